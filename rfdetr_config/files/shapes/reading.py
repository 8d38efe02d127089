"""Reading rfdetr's own files: a run file, a ``rfdetr fit`` YAML file, a bare ``model_dump()``.

Each is read as rfdetr reads it: a run file's sections with ``model_validate``; a ``fit`` file's two
sections through jsonargparse's rules first (:mod:`.jsonargparse`), every field then given; a bare dump
as its class's ``model_validate``. The class and the release come from the file where it says them,
else from a full dump's field set; what stays ambiguous is an error naming the candidates and the
argument that decides.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type

from ...core.build import BaseConfig, suggest
from ...core.dicts import structure_as_released
from ...core.errors import ConfigError, ErrorDetail, FileError, FileProblem
from ...releases import RELEASES, TOP, declared, for_release
from ...releases.registry import group_of
from .checkpoint import CHECKPOINT_KEY, checkpoint_release
from .detect import TRAIN_CLASSES, candidates, train_class_for_model
from .jsonargparse import fit_mapping, read_section
from .run import Run, check_class_names
from .settings import Setting, apply_settings

__all__ = ["AmbiguousError", "guess_bare", "read_fit", "read_run", "resolve_class_path"]

Said = Tuple[str, ...]


class AmbiguousError(FileProblem):
    """The file does not say enough to choose a class or a release: the candidates, and what decides."""


def _built(
    data: Any, cls: Type[BaseConfig], loc: Tuple[Any, ...]
) -> Tuple[Optional[BaseConfig], List[ErrorDetail], Said]:
    """``data`` built as ``cls``, or its problems under ``loc``; and what it warned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            config = structure_as_released(data, cls)
        except ConfigError as error:
            for detail in error.details:
                detail.loc = (*loc, *detail.loc)
            return None, list(error.details), ()
    return config, [], tuple(f"{w.category.__name__}: {w.message}" for w in caught)


def _model_class(name: Any, release: str, loc: Tuple[Any, ...]) -> Tuple[Optional[Type[BaseConfig]], List[ErrorDetail]]:
    module = for_release(release)
    names = [n for n in declared(release).class_names if n not in TRAIN_CLASSES]
    if isinstance(name, str) and name in names:
        return getattr(module, name), []
    hint = suggest(name, names) if isinstance(name, str) else None
    msg = f"unknown model configuration class of rfdetr {release}" + (f"; did you mean {hint!r}?" if hint else "")
    return None, [ErrorDetail(loc, msg, name, "unknown_class")]


def _releases_to_try(release: Optional[str], groups: Sequence[str], source: str, what: str) -> List[str]:
    """The releases to read a run with: the one given, else the groups a full dump's fields name."""
    if release is not None:
        return [release]
    if groups:
        return [declared(first).covers[-1] for first in groups]
    msg = (
        f"the rfdetr release cannot be told from its {what}: they are not every field of any supported release "
        f"(pass --release X.Y.Z, or release= in the API; supported: {RELEASES[0]} to {RELEASES[-1]})"
    )
    raise FileError(source, [AmbiguousError(msg, "release_unknown")])


def _group_candidates(keys: Any, kind: str) -> List[str]:
    return list(dict.fromkeys(c.release for c in candidates(keys, kind)))  # type: ignore[arg-type]


def read_run(data: Mapping[str, Any], source: str, *, release: Optional[str] = None) -> Run:
    """A run from rfdetr's ``training_config.json`` mapping.

    Without ``release``, the release is told from the two sections' field sets (each a full
    ``model_dump()``); where several release groups have those fields, the newest that accepts the run
    is chosen and every accepting release is listed in :attr:`Run.releases`, newest first.

    Raises:
        ConfigError: Either configuration is invalid for the release (its fields under ``train_config``
            and ``model_config``), the class names disagree with ``num_classes``, or the release cannot
            be told.
    """
    info = data.get(CHECKPOINT_KEY)
    if isinstance(info, Mapping) and release is None:
        release = checkpoint_release(info, source)
    train_data, model_data = data["train_config"], data["model_config"]
    groups = [g for g in _group_candidates(train_data, "train") if g in _group_candidates(model_data, "model")]
    tried = _releases_to_try(release, groups, source, "train_config and model_config fields")
    outcomes = [_read_run_as(data, r) for r in tried]
    accepted = [(r, run) for r, (run, _) in zip(tried, outcomes, strict=False) if run is not None]
    if not accepted:
        raise FileError(source, outcomes[0][1])
    _chosen_release, run = accepted[0]
    if release is None:
        covers: List[str] = []
        for r, _ in accepted:
            covers += reversed(group_of(r).releases)
        run = _with(run, releases=tuple(covers))
    if isinstance(info, Mapping):
        said = tuple(str(note) for note in info.get("notes", ()))
        run = _with(
            run,
            shape="checkpoint",
            model_name=info.get("model_name"),
            rfdetr_version=info.get("rfdetr_version"),
            warnings=(*said, *run.warnings),
        )
    return run


def _with(run: Run, **changes: Any) -> Run:
    import attrs

    return attrs.evolve(run, **changes)


def _read_run_as(data: Mapping[str, Any], release: str) -> Tuple[Optional[Run], List[ErrorDetail]]:
    problems: List[ErrorDetail] = []
    model_cls, found = _model_class(data.get("model_config_type"), release, ("model_config_type",))
    problems += found
    model = train = None
    said: Said = ()
    if model_cls is not None:
        model, found, said = _built(data["model_config"], model_cls, ("model_config",))
        problems += found
    model_name = model_cls.__name__ if model_cls is not None else "ModelConfig"
    train_name = _train_class_of_run(data["train_config"], model_name, data["model_config"], release)
    train_cls = getattr(for_release(release), train_name)
    train, found, said_train = _built(data["train_config"], train_cls, ("train_config",))
    problems += found
    problems += check_class_names(data.get("class_names"), data.get("num_classes"))
    if problems or model is None or train is None:
        return None, problems
    run = Run(
        model,
        train,
        data.get("class_names"),
        data.get("num_classes"),
        release=release,
        shape="run",
        extra={k: v for k, v in data.items() if k not in ("train_config", "model_config", CHECKPOINT_KEY)},
        warnings=(*said, *said_train),
    )
    return run, []


def _train_class_of_run(train: Any, model_class: str, model: Any, release: str) -> str:
    """A run file's training class: ``SegmentationTrainConfig`` by its own fields, else the model's task's."""
    for candidate in candidates(train, "train"):
        if candidate.class_name == "SegmentationTrainConfig" and candidate.release == declared(release).covers[0]:
            return "SegmentationTrainConfig"
    name = train_class_for_model(model_class, model if isinstance(model, Mapping) else {})
    return "TrainConfig" if name == "SegmentationTrainConfig" else name


# --------------------------------------------------------------------------------------------------
# rfdetr fit YAML
# --------------------------------------------------------------------------------------------------

_PREFIXES = ("rfdetr.config.", "rfdetr.")


def resolve_class_path(path: Any) -> Optional[str]:
    """The class a ``class_path`` names, without rfdetr's module prefix (``rfdetr.config.X`` is ``X``)."""
    if not isinstance(path, str):
        return None
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path if "." not in path else None


def _fit_section(
    model_part: Mapping[str, Any], key: str, base: str, release: str, notes: List[str]
) -> Tuple[Optional[Type[BaseConfig]], Dict[str, Any], Tuple[Any, ...], List[ErrorDetail]]:
    """One section of a ``fit`` file: its class, its fields as the parser passes them, where they are."""
    module = for_release(release)
    section = model_part.get(key)
    loc: Tuple[Any, ...] = ("model", key)
    cls: Type[BaseConfig] = getattr(module, base)
    if isinstance(section, Mapping) and "class_path" in section:
        named = resolve_class_path(section["class_path"])
        allowed = [n for n in declared(release).class_names if (n in TRAIN_CLASSES) == (base == "TrainConfig")]
        if named not in allowed:
            hint = suggest(named, allowed) if named else None
            msg = f"names no {base} class of rfdetr {release}" + (f"; did you mean {hint!r}?" if hint else "")
            return None, {}, loc, [ErrorDetail((*loc, "class_path"), msg, section["class_path"], "unknown_class")]
        extra = [k for k in section if k not in ("class_path", "init_args")]
        problems = [
            ErrorDetail((*loc, k), "unknown key beside class_path and init_args", k, "unknown_field") for k in extra
        ]
        if named != base:
            notes.append(
                f"{'.'.join(loc)}: rfdetr fit refuses a class_path other than {base} with jsonargparse 4.52 and "
                f"later ('Subclasses are disabled'); rfdetr-config fit-shape writes it as {base}'s own fields"
            )
        cls = getattr(module, named)
        loc = (*loc, "init_args")
        fields, found = read_section(cls, section.get("init_args") or {}, loc)
        return cls, fields, loc, problems + found
    fields, found = read_section(cls, section, loc)
    return cls, fields, loc, found


def read_fit(
    data: Mapping[str, Any],
    source: str,
    *,
    release: Optional[str] = None,
    text: Optional[str] = None,
    settings: Sequence[Setting] = (),
) -> Run:
    """A run from a ``rfdetr fit --config`` YAML mapping, read as ``rfdetr fit`` reads it.

    Without ``release``: the release a full section names by its field set (``--print_config``
    writes every field), else the package's own. With the file's ``text`` (YAML), it is read again as
    jsonargparse loads YAML (``1e3`` unquoted is a float), and the keys ``rfdetr fit`` refuses are found;
    ``settings`` (``--set``) are applied after.

    Raises:
        ConfigError: The parser refuses a section, or rfdetr's classes refuse what it passes them,
            each problem at its place in the file (``model.train_config.epochs``).
    """
    refused: List[ErrorDetail] = []
    if text is not None:
        data, refused = fit_mapping(text, source)
    if settings:
        data = apply_settings(data, settings, source)
    model_part = data.get("model")
    if not isinstance(model_part, Mapping):
        problem = ErrorDetail(
            ("model",), "must be a mapping holding model_config and train_config", model_part, "dict_type"
        )
        raise FileError(source, [problem])
    groups = _fit_groups(model_part)
    tried = [release] if release is not None else ([declared(g).covers[-1] for g in groups] or [TOP])
    first_problems: Optional[List[ErrorDetail]] = None
    accepted: List[Tuple[str, Run]] = []
    for candidate in tried:
        run, problems = _read_fit_as(data, model_part, candidate)
        if refused:
            run, problems = None, [*refused, *problems]
        if run is not None:
            accepted.append((candidate, run))
        elif first_problems is None:
            first_problems = problems
    if not accepted:
        raise FileError(source, first_problems or [])
    run = accepted[0][1]
    if release is None and groups:
        covers: List[str] = []
        for r, _ in accepted:
            covers += reversed(group_of(r).releases)
        run = _with(run, releases=tuple(covers))
    return _with(run, text=text) if text is not None else run


def _fit_groups(model_part: Mapping[str, Any]) -> List[str]:
    """The release groups whose fields both sections hold in full (a ``--print_config`` file)."""

    def keys(key: str) -> Any:
        section = model_part.get(key)
        if isinstance(section, Mapping) and "class_path" in section:
            section = section.get("init_args")
        return section if isinstance(section, Mapping) else {}

    train, model = _group_candidates(keys("train_config"), "train"), _group_candidates(keys("model_config"), "model")
    return [g for g in train if g in model]


def _read_fit_as(
    data: Mapping[str, Any], model_part: Mapping[str, Any], release: str
) -> Tuple[Optional[Run], List[ErrorDetail]]:
    notes: List[str] = []
    problems: List[ErrorDetail] = []
    unknown = [k for k in model_part if k not in ("model_config", "train_config")]
    problems += [
        ErrorDetail(("model", k), "rfdetr's model takes only model_config and train_config", k, "unknown_field")
        for k in unknown
    ]
    model_cls, model_fields, model_loc, found = _fit_section(model_part, "model_config", "ModelConfig", release, notes)
    problems += found
    train_cls, train_fields, train_loc, found = _fit_section(model_part, "train_config", "TrainConfig", release, notes)
    problems += found
    if problems or model_cls is None or train_cls is None:
        return None, problems
    model, found, said = _built(model_fields, model_cls, model_loc)
    problems += found
    train, found, said_train = _built(train_fields, train_cls, train_loc)
    problems += found
    if problems or model is None or train is None:
        return None, problems
    class_names = getattr(train, "class_names", None)
    extra = {k: v for k, v in data.items() if k != "model"}
    run = Run(
        model,
        train,
        class_names,
        len(class_names) if class_names else 0,
        release=release,
        shape="fit",
        extra=extra,
        warnings=(*notes, *said, *said_train),
    )
    return run, []


# --------------------------------------------------------------------------------------------------
# A bare model_dump()
# --------------------------------------------------------------------------------------------------


def guess_bare(data: Mapping[str, Any], release: Optional[str]) -> Tuple[Optional[str], List[str], str]:
    """For a bare dump: the class its field set names (or ``None``), the releases to try newest first, and why.

    A full ``model_dump()`` names its release group and whether it is a training or a model configuration;
    ``TrainConfig`` and ``KeypointTrainConfig`` (and every model configuration class) share their fields,
    and with every field given the base class reads it as the subclass would.
    """
    found = candidates(data)
    if release is not None:
        found = [c for c in found if c.release == group_of(release).first]
    if not found:
        return None, [], ""
    names = [c.class_name for c in found]
    chosen: str
    for base in ("TrainConfig", "SegmentationTrainConfig", "ModelConfig"):
        if base in names:
            chosen = base
            break
    else:
        chosen = names[0]
    releases = [declared(c.release).covers[-1] for c in found if c.class_name == chosen]
    if release is not None:
        releases = [release]
    return chosen, list(dict.fromkeys(releases)), ", ".join(dict.fromkeys(names))
