"""Moving a configuration dict from one rfdetr release to another without changing what it trains.

A saved configuration is read as its own release reads it, then carried across each step between
releases whose classes differ (:mod:`rfdetr_config.migration.steps`), then read back as the target
release reads it. Every change on the way is reported with its reason; what the target cannot keep
is reported as ``"lossy"`` or ``"needs a decision"``, never silently. As a last guard, every field
that both releases have and no step touched is compared between the two readings; a difference is
reported as lossy, so a gap in the steps shows instead of training differently.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, List, Mapping, Tuple, Type

import attrs

from ..core.build import BaseConfig, fields_set
from ..core.dicts import structure, structure_as_released, unstructure
from ..core.errors import ConfigError, ErrorDetail
from ..releases import DISTINCT, MODULES, declared, for_release, module_name
from ..releases.changes import ClassNamed, changes, check_class_name, name_of_class, same_default
from .move import MISSING, Direction, Journey, MigrationChange, MigrationKind, Move, same
from .steps import step_to

__all__ = [
    "MISSING",
    "Migration",
    "MigrationChange",
    "MigrationKind",
    "migrate",
    "migrate_pair",
    "releases_accepting",
]

AS_GIVEN = frozenset({"dataset_dir", "output_dir", "pretrain_weights", "device"})
"""Fields each release resolves on the machine that loads them (paths, a device), written as the dict
gave them: the file stays portable, and a resolved form that rfdetr would not read back (``"cuda:128"``
is stored as ``"cuda:-128"``) is never written."""


@attrs.frozen
class Migration:
    """A configuration dict migrated to another rfdetr release.

    Attributes:
        data: The dict for the target release: the fields the input gave, in the target's terms,
            plus the values pinned so that it trains as the source did.
        changes: What was done to it, and why, in the order done.
        class_name: The configuration class.
        source: The release the input was written for.
        target: The release ``data`` is for.
        warnings: What rfdetr ``target`` warns when it loads ``data``.
    """

    data: Dict[str, Any]
    changes: Tuple[MigrationChange, ...]
    class_name: str
    source: str
    target: str
    warnings: Tuple[str, ...] = ()

    @property
    def lossy(self) -> Tuple[MigrationChange, ...]:
        """The changes that may not keep what the configuration trains (``lossy``, ``needs a decision``)."""
        return tuple(c for c in self.changes if not c.keeps_training)


def migrate(
    data: Mapping[str, Any], class_name: ClassNamed, *, source: str, target: str, strict: bool = False
) -> Migration:
    """Rewrite a configuration dict of rfdetr ``source`` for rfdetr ``target``, keeping what it trains.

    >>> import rfdetr_config as rc
    >>> moved = rc.migrate({"dataset_dir": "data", "lr_drop": 50}, "TrainConfig", source="1.8.1", target="1.11.2")
    >>> moved.data["lr_scheduler_kwargs"], moved.data["grad_accum_steps"]
    ({'lr_drop': 50}, 4)

    Args:
        data: The configuration as rfdetr ``source`` reads it (a training configuration of 1.8 may
            hold unknown keys and loose spellings, as 1.8 accepts them).
        class_name: rfdetr's name of its class, e.g. ``"SegmentationTrainConfig"``, or the class itself
            (of any release: only its name counts).
        source: The release it was written for.
        target: The release to write it for, newer or older.
        strict: Fail on any change that may not keep what it trains, instead of reporting it.

    Raises:
        ConfigError: rfdetr ``source`` refuses ``data``; or ``target`` cannot express a value of it
            (every such field, with why); or, with ``strict``, a change may not keep what it trains.
        ValueError: A release is not supported, or neither release has a class ``class_name``.
    """
    (result,) = _migrate([(data, name_of_class(class_name))], source, target, strict)
    return result


def migrate_pair(
    model_data: Mapping[str, Any],
    model_class: ClassNamed,
    train_data: Mapping[str, Any],
    train_class: ClassNamed,
    *,
    source: str,
    target: str,
    strict: bool = False,
) -> Tuple[Migration, Migration]:
    """Migrate a model configuration and the training configuration it trains with, together.

    Some meaning spans the two: up to rfdetr 1.8.3 a model configuration's ``cls_loss_coef`` is the
    one used when the training configuration leaves it out, and from 1.11 a training ``amp_dtype``
    other than ``"auto"`` overrides the model's ``amp=False``. Migrated alone, either may need a
    decision; together, each goes where the target keeps it.

    Returns:
        The model configuration's migration and the training configuration's.

    Raises:
        ConfigError: As :func:`migrate`, for either configuration.
        ValueError: As :func:`migrate`.
    """
    pair = [(model_data, name_of_class(model_class)), (train_data, name_of_class(train_class))]
    model, train = _migrate(pair, source, target, strict)
    return model, train


def releases_accepting(data: Mapping[str, Any], class_name: ClassNamed) -> Tuple[str, ...]:
    """The supported rfdetr releases that accept ``data`` as a ``class_name``, oldest first.

    ``class_name`` is rfdetr's name of the class, or the class itself (of any release: only its name counts).

    "Which rfdetr wrote this file?": a dict that only one group of releases accepts names it. Each
    release reads it as rfdetr would, so a 1.8 training configuration's unknown keys are ignored.

    Raises:
        ValueError: No supported release has a class ``class_name``.
    """
    class_name = name_of_class(class_name)
    check_class_name(class_name, DISTINCT)
    found: List[str] = []
    for release in DISTINCT:
        if class_name not in declared(release).class_names:
            continue
        cls = getattr(for_release(release), class_name)
        try:
            _read(data, cls)
        except ConfigError:
            continue
        found += declared(release).covers
    return tuple(found)


def _read(data: Mapping[str, Any], cls: Type[BaseConfig]) -> BaseConfig:
    """``data`` read as ``cls``'s release reads it, its warnings kept quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return structure_as_released(data, cls)


def _source_class(class_name: str, source: str, target: str) -> Type[BaseConfig]:
    """Class ``class_name`` of rfdetr ``source``, once the name is known to either release."""
    check_class_name(class_name, (source, target))
    return getattr(for_release(source), class_name)  # type: ignore[no-any-return]


@attrs.define(eq=False)
class _Carried(Journey):
    """A journey that also keeps the source release's reading of the input, for the final comparison."""

    cls: Type[BaseConfig] = attrs.field(kw_only=True)
    config: BaseConfig = attrs.field(kw_only=True)


def _start(data: Mapping[str, Any], class_name: str, source: str, target: str) -> _Carried:
    """The journey of ``data``: read as the source reads it, the fields given kept in the source's dump form."""
    cls = _source_class(class_name, source, target)
    config = _read(data, cls)
    fields = unstructure(config, exclude_unset=True)
    for field in AS_GIVEN.intersection(fields):
        if isinstance(data[field], str):
            fields[field] = data[field]
    journey = _Carried(class_name, source, target, fields, cls=cls, config=config)
    for key in data:
        if key not in cls.__rfdetr_names__:
            why = f"rfdetr {source} ignores a key that is no field of {class_name}"
            journey.records.append(MigrationChange(str(key), "dropped", data[key], MISSING, why, source))
    return journey


def _path(source: str, target: str) -> List[Tuple[Direction, str, str]]:
    """The steps from ``source`` to ``target``: direction, the release left and the release reached."""
    start = DISTINCT.index(declared(source).name)
    end = DISTINCT.index(declared(target).name)
    if start <= end:
        return [("up", DISTINCT[i], DISTINCT[i + 1]) for i in range(start, end)]
    return [("down", DISTINCT[i], DISTINCT[i - 1]) for i in range(start, end, -1)]


def _migrate(inputs: List[Tuple[Mapping[str, Any], str]], source: str, target: str, strict: bool) -> List[Migration]:
    for release in (source, target):
        module_name(release)  # an unsupported release is a ValueError naming the supported ones
    if MODULES[source] == MODULES[target]:  # nothing to carry: the input only has to be valid
        for data, name in inputs:
            _read(data, _source_class(name, source, target))
        return [Migration(dict(data), (), name, source, target) for data, name in inputs]
    journeys = [_start(data, class_name, source, target) for data, class_name in inputs]
    for direction, origin, destination in _path(source, target):
        newer = destination if direction == "up" else origin
        function = getattr(step_to(newer), direction)
        moves = [Move(journey, direction, origin, destination) for journey in journeys]
        if len(moves) == 2:
            moves[0].partner, moves[1].partner = moves[1], moves[0]
        for move in moves:
            function(move)
        for move in moves:
            _declared_changes(move)
    return [_finish(journey, strict) for journey in journeys]


def _declared_changes(move: Move) -> None:
    """What the declarations say, for the fields the step's function left alone."""
    for change in changes(move.origin, move.destination, move.class_name):
        field = change.field
        if field is None or move.is_handled(field):
            continue
        if change.kind == "field removed" and field in move.data:
            value = move.data[field]
            if move.direction == "up":
                move.drop(field, "lossy", f"rfdetr {move.target} has no {field}, and no other place for it")
            elif same_default(value, move.default(field)):
                why = f"rfdetr {move.target} has no {field}; it does what the default {value!r} does"
                move.drop(field, "dropped", why)
            else:
                move.cannot(field, f"has no {field}: it cannot express {value!r}")
        elif change.kind == "default" and field not in move.data:
            old = move.default(field)
            why = f"the default changed in rfdetr {move.release}; {old!r} is what rfdetr {move.source} used"
            move.pin(field, old, why)


def _finish(journey: _Carried, strict: bool) -> Migration:
    name, target = journey.class_name, journey.target
    if journey.problems:
        raise ConfigError(name, journey.problems)
    cls: Type[BaseConfig] = getattr(for_release(target), name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = structure(journey.data, cls)
        except ConfigError as error:
            details = [
                ErrorDetail(d.loc, f"rfdetr {target} refuses the migrated value: {d.msg}", d.input, d.type)
                for d in error.details
            ]
            raise ConfigError(name, details) from None
    _compare(journey, result)
    if strict and any(not c.keeps_training for c in journey.records):
        lossy = [_as_detail(c, result, journey.config) for c in journey.records if not c.keeps_training]
        raise ConfigError(name, lossy)
    said = tuple(str(w.message) for w in caught)
    return Migration(journey.data, tuple(journey.records), name, journey.source, target, said)


def _compare(journey: _Carried, result: BaseConfig) -> None:
    """Report, as lossy, a shared field that no step touched and that ends with another value."""
    converted = {
        c.field
        for c in changes(journey.cls.__rfdetr_release__, journey.target, journey.class_name)  # type: ignore[attr-defined]
        if c.kind == "conversion"
    }
    target_names = type(result).__rfdetr_names__
    for field in type(journey.config).__rfdetr_order__:
        if field in journey.touched or field in converted or field not in target_names:
            continue
        before, after = getattr(journey.config, field), getattr(result, field)
        if before is after or same(before, after):
            continue
        why = f"ends as {after!r} where rfdetr {journey.cls.__rfdetr_release__} had {before!r}"  # type: ignore[attr-defined]
        old = before if field in fields_set(journey.config) else MISSING
        journey.records.append(MigrationChange(field, "lossy", old, after, why, journey.target))


def _as_detail(change: MigrationChange, result: BaseConfig, source: BaseConfig) -> ErrorDetail:
    """A change refused by ``strict``, with the value it concerns: the one given, else the one it had or gets."""
    loc: Tuple[str, ...] = (change.field,) if change.field is not None else ()
    kind: MigrationKind = change.kind
    value = change.old if change.old is not MISSING else change.new
    if value is MISSING and change.field is not None:
        value = getattr(result, change.field, getattr(source, change.field, MISSING))
    return ErrorDetail(loc, f"{kind} in rfdetr {change.release}: {change.message}", value, kind.replace(" ", "_"))
