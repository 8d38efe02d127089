"""A training run's configuration: a model configuration, the training configuration, the class names.

This is what rfdetr's ``training_config.json`` holds, and what ``rfdetr fit --config`` reads. The two
configurations are validated, migrated and compared as a pair, because some meaning spans them (see
:func:`~rfdetr_config.migrate_pair`).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import attrs

from ...core.build import BaseConfig
from ...core.dicts import structure, unstructure
from ...core.errors import ConfigError, ErrorDetail
from ...migration import Migration, migrate_pair
from ...releases import for_release

__all__ = ["Run", "RunMigration", "check_class_names", "diff_runs", "migrate_run"]


@attrs.frozen(eq=False)
class Run:
    """A model configuration and the training configuration it trains with, and the run's class names.

    A run file (``training_config.json``), a ``rfdetr fit`` YAML file and a checkpoint all hold one.

    Attributes:
        model: The model configuration (its class is the run file's ``model_config_type``).
        train: The training configuration.
        class_names: The class names the run file records (``None`` where rfdetr could not tell them yet).
        num_classes: The count the run file records, as rfdetr writes it (``len(class_names)``, or 0).
        release: The rfdetr release whose classes ``model`` and ``train`` are.
        releases: Every supported release that accepts the pair as it was read, newest first, where the
            release was told from the file's fields (empty when it was given).
        shape: ``"run"`` (rfdetr's run file), ``"fit"`` (a ``rfdetr fit`` YAML file) or ``"checkpoint"``.
        model_name: The model's name, where the source records one apart from the model configuration.
        rfdetr_version: The rfdetr version the source says wrote it, where it says.
        extra: What the source holds besides the pair (a ``fit`` file's other sections), kept as it is.
        warnings: What rfdetr warns when it reads the pair, in order, as ``"Category: message"``.
        text: The text it was read from, where kept (a ``fit`` file is written back into it).
    """

    model: BaseConfig
    train: BaseConfig
    class_names: Optional[List[str]] = None
    num_classes: Optional[int] = None
    release: str = attrs.field(default="")
    releases: Tuple[str, ...] = ()
    shape: str = "run"
    model_name: Optional[str] = None
    rfdetr_version: Optional[str] = None
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    warnings: Tuple[str, ...] = ()
    text: Optional[str] = attrs.field(default=None, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Run):
            return NotImplemented
        return (self.model, self.train, self.class_names, self.num_classes) == (
            other.model,
            other.train,
            other.class_names,
            other.num_classes,
        )

    def dump(self) -> Dict[str, Any]:
        """The run as rfdetr's ``training_config.json`` holds it (every field, as ``model_dump()`` writes it)."""
        return {
            "train_config": unstructure(self.train),
            "model_config": unstructure(self.model),
            "model_config_type": type(self.model).__name__,
            "class_names": self.class_names,
            "num_classes": self.num_classes if self.num_classes is not None else len(self.class_names or ()),
        }

    def migrate(self, target: str, *, strict: bool = False) -> RunMigration:
        """This run for rfdetr ``target``, as :func:`migrate_run`."""
        return migrate_run(self, target, strict=strict)


def check_class_names(class_names: Any, num_classes: Any) -> List[ErrorDetail]:
    """What is wrong with a run file's ``class_names`` and ``num_classes``, as rfdetr writes them.

    rfdetr writes ``class_names`` as a list of texts, or null when it could not read them yet, and
    ``num_classes`` as their count (0 when there are none).
    """
    problems: List[ErrorDetail] = []
    names_ok = class_names is None or (
        isinstance(class_names, list) and all(isinstance(name, str) for name in class_names)
    )
    if not names_ok:
        problems.append(ErrorDetail(("class_names",), "must be a list of texts, or null", class_names, "list_type"))
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        problems.append(ErrorDetail(("num_classes",), "must be an integer", num_classes, "int_type"))
    elif names_ok:
        expected = len(class_names) if class_names else 0
        if num_classes != expected:
            msg = f"must be the number of class_names ({expected}), as rfdetr writes it"
            problems.append(ErrorDetail(("num_classes",), msg, num_classes, "num_classes_mismatch"))
    return problems


@attrs.frozen
class RunMigration:
    """A run migrated to another rfdetr release: the new run, and each configuration's migration."""

    run: Run
    model: Migration
    train: Migration

    @property
    def changes(self) -> Tuple[Any, ...]:
        """Every change, the model configuration's first."""
        return (*self.model.changes, *self.train.changes)

    @property
    def lossy(self) -> Tuple[Any, ...]:
        """The changes that may not keep what the run trains."""
        return (*self.model.lossy, *self.train.lossy)


def migrate_run(
    run: Run,
    target: str,
    *,
    strict: bool = False,
    decisions: Mapping[str, Mapping[str, Any]] = {},
) -> RunMigration:
    """``run`` rewritten for rfdetr ``target``, both configurations together (as :func:`migrate_pair`).

    Each configuration is migrated from the fields it was given, then built as the target builds it.
    ``decisions`` are values for the target, by section and field (``{"train_config": {"amp_dtype":
    "bf16"}}``): they settle what the migration leaves to a decision (``lossy``, ``needs a decision``),
    so that ``strict`` passes once every such field is decided.

    Raises:
        ConfigError: As :func:`~rfdetr_config.migrate_pair`, its locations under ``model_config`` and
            ``train_config``.
    """
    model_class, train_class = type(run.model).__name__, type(run.train).__name__
    model_data = unstructure(run.model, exclude_unset=True)
    train_data = unstructure(run.train, exclude_unset=True)
    try:
        moved_model, moved_train = migrate_pair(
            model_data, model_class, train_data, train_class, source=run.release, target=target
        )
    except ConfigError as error:
        raise ConfigError(error.title, list(error.details)) from None
    open_points: List[ErrorDetail] = []
    for section, moved in (("model_config", moved_model), ("train_config", moved_train)):
        decided = dict(decisions.get(section, {}))
        moved.data.update(decided)
        for change in moved.lossy:
            if change.field not in decided:
                msg = f"{change.kind}: {change.message} (decide with --set {section}.{change.field}=VALUE)"
                open_points.append(ErrorDetail((section, change.field or "<root>"), msg, change.new, "lossy"))
    if strict and open_points:
        raise ConfigError(f"run from rfdetr {run.release} to {target}", open_points)
    module = for_release(target)
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = structure(moved_model.data, getattr(module, moved_model.class_name))
        train = structure(moved_train.data, getattr(module, moved_train.class_name))
    said = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    result = attrs.evolve(run, model=model, train=train, release=target, releases=(), warnings=said)
    return RunMigration(result, moved_model, moved_train)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def diff_runs(a: Run, b: Run) -> Dict[str, List[Any]]:
    """Each value that differs between two runs, by its path: ``{"train_config.epochs": [a, b]}``.

    Both configurations are compared field by field as rfdetr dumps them, then the classes and the
    class names; a field only one side's release has shows ``None`` on the other side. The runs may
    be of different releases.
    """
    out: Dict[str, List[Any]] = {}
    pairs: Sequence[Tuple[str, Any, Any]] = (
        ("model_config_type", type(a.model).__name__, type(b.model).__name__),
        ("train_config_type", type(a.train).__name__, type(b.train).__name__),
    )
    for key, left, right in pairs:
        if left != right:
            out[key] = [left, right]
    for section, left_config, right_config in (
        ("model_config", a.model, b.model),
        ("train_config", a.train, b.train),
    ):
        left, right = unstructure(left_config), unstructure(right_config)
        for name in [*left, *(k for k in right if k not in left)]:
            if name not in left or name not in right or not _same(left[name], right[name]):
                out[f"{section}.{name}"] = [left.get(name), right.get(name)]
    for key, left, right in (
        ("class_names", a.class_names, b.class_names),
        ("num_classes", a.num_classes, b.num_classes),
    ):
        if not _same(left, right):
            out[key] = [left, right]
    return out
