"""Writing what rfdetr reads: a run file stays one, a ``fit`` YAML file keeps its comments, a dump stays bare.

No header is written into a shape rfdetr reads: rfdetr's ``model_validate`` refuses keys it does not
know, ``config_class`` and ``rfdetr_release`` among them.
"""

from __future__ import annotations

import io
import json
import warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ...core.dicts import structure, unstructure
from ...core.errors import ErrorDetail, FileError
from ...releases import for_release
from ..json_form import json_form
from .jsonargparse import as_written, reread, takes
from .run import Run
from .settings import Setting

__all__ = ["BASES", "direct_fit_text", "fit_text", "run_text"]

BASES = {"model_config": "ModelConfig", "train_config": "TrainConfig"}
"""The class ``rfdetr fit`` builds each section as: with jsonargparse 4.52 and later, the only one it takes."""


def run_text(run: Run) -> str:
    """The text of rfdetr's ``training_config.json`` for ``run``, as rfdetr writes it (``indent=2``)."""
    return json.dumps(json_form(run.dump(), "training_config.json"), indent=2)


def _fit_document(run: Run) -> Dict[str, Any]:
    """A ``fit`` file for ``run`` from nothing: both sections direct, enum fields by name.

    A section of the base class holds the fields given; one of a subclass holds every field, since
    ``rfdetr fit`` fills what a section leaves out with the base class's defaults, not the subclass's.
    """
    sections = {}
    for key, config in (("model_config", run.model), ("train_config", run.train)):
        plans = {plan.name: plan for plan in type(config).__rfdetr_plan__}
        every = type(config).__name__ not in BASES.values()
        sections[key] = {
            name: as_written(value, plans[name].annotation)
            for name, value in unstructure(config, exclude_unset=not every).items()
        }
    return {**{k: v for k, v in run.extra.items() if k != "model"}, "model": sections}


def fit_text(
    run: Run,
    text: Optional[str] = None,
    *,
    changed: Mapping[str, Mapping[str, Any]] = {},
    settings: Sequence[Setting] = (),
) -> str:
    """The text of a ``rfdetr fit`` YAML file holding ``run``.

    Given the ``text`` it was read from, that text is kept (comments, key order, the other sections),
    and in each section: the ``changed`` fields (``{"train_config": {"amp_dtype": "bf16"}}``, a migration's new
    values) are rewritten or added, a key the run's release does not have is removed, and the
    ``settings`` the text does not hold are added. Enum fields are written by their members' names, as jsonargparse
    reads them.

    Raises:
        ConfigError: The ``yaml`` extra (``ruamel.yaml`` for a text kept as it is) is not installed.
    """
    if text is None:
        from ..formats.yaml import yaml_text

        return yaml_text(_fit_document(run))
    yaml = _round_trip()
    document = yaml.load(text)
    for path, value in settings:
        node = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    set_fields = {path for path, _ in settings}
    model = document["model"]
    for key, config in (("model_config", run.model), ("train_config", run.train)):
        section = model.get(key)
        where: Tuple[str, ...] = (key,)
        if section is None:
            section = model[key] = {}
        if "class_path" in section:
            section, where = section.setdefault("init_args", {}), (key, "init_args")
        added = {p[-1] for p in set_fields if len(p) == len(where) + 2 and p[1:-1] == where}
        _update(section, config, changed.get(key, {}), added)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _update(section: Any, config: Any, changed: Mapping[str, Any], added: set[str]) -> None:
    """Rewrite the fields ``changed`` gives (by their new value), drop those ``config``'s class has not."""
    plans = {plan.name: plan for plan in type(config).__rfdetr_plan__}
    full = unstructure(config)
    for name in list(section):
        if name not in plans:
            del section[name]
        elif name in changed:
            new = as_written(changed[name], plans[name].annotation)
            if not _same(reread(section[name]), new, plans[name].annotation):
                section[name] = _quoted(new)
        elif not takes(plans[name], section[name]):  # kept, but the release's parser reads it otherwise
            section[name] = _quoted(as_written(full[name], plans[name].annotation))
    values = unstructure(config, exclude_unset=True)
    order = list(plans)
    wanted = {name: changed[name] for name in changed if name in plans}
    wanted.update({name: values[name] for name in added if name in values and name not in wanted})
    for name in sorted(wanted, key=order.index):
        if name not in section:
            section[name] = _quoted(as_written(wanted[name], plans[name].annotation))


def _quoted(value: Any) -> Any:
    """Text that YAML 1.1 would read as something else (an enum member named ``OFF``) in quotes."""
    if isinstance(value, str) and not isinstance(reread(value), str):
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def _same(old: Any, new: Any, annotation: Any) -> bool:
    if old == new and type(old) is type(new):
        return True
    return json.dumps(as_written(old, annotation), default=str) == json.dumps(new, default=str)


def direct_fit_text(run: Run, text: str) -> str:
    """A ``fit`` file in the ``class_path`` shape rewritten in the shape ``rfdetr fit`` reads.

    Each ``class_path`` section becomes the base class's own section: the values the file gave, as it gave
    them, and every other field at the subclass's value (``RFDETRSmallConfig``'s defaults written out as
    ``ModelConfig`` fields). The rest of the file (comments, other sections) is kept.

    Raises:
        ConfigError: The base class cannot hold what the subclass means: a field it does not have, or a
            value it reads otherwise; each is named. The ``yaml`` extra is not installed.
    """
    yaml = _round_trip()
    document = yaml.load(text)
    model = document["model"]
    problems: List[ErrorDetail] = []
    for key, base_name in BASES.items():
        section = model.get(key)
        if not (isinstance(section, Mapping) and "class_path" in section):
            continue
        config = run.model if key == "model_config" else run.train
        base = getattr(for_release(run.release), base_name)
        values = unstructure(config)
        where = ("model", key, "init_args")
        meant = type(config).__name__
        lacking = [name for name in values if name not in base.__rfdetr_names__]
        problems += [
            ErrorDetail(
                (*where, name),
                f"{base_name} has no such field, so rfdetr fit cannot say what {meant} means",
                values[name],
                "base_cannot_hold",
            )
            for name in lacking
        ]
        if lacking:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            as_base = unstructure(structure(values, base))
        problems += [
            ErrorDetail(
                (*where, name),
                f"{base_name} reads it as {as_base[name]!r}, not what {meant} means",
                values[name],
                "base_cannot_hold",
            )
            for name in values
            if not _same(as_base[name], values[name], None)
        ]
        given = section.get("init_args") or {}
        plans = {plan.name: plan for plan in base.__rfdetr_plan__}
        model[key] = {
            name: given[name] if name in given else _quoted(as_written(value, plans[name].annotation))
            for name, value in values.items()
        }
    if problems:
        raise FileError("fit YAML", problems)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _round_trip() -> Any:
    """ruamel.yaml's round-trip reader and writer, which keeps comments and key order (the ``yaml`` extra)."""
    try:
        from ruamel.yaml import YAML
    except ImportError:
        problem_text = "keeping a fit file's comments needs the yaml extra: pip install 'rfdetr-config[yaml]'"
        from ...core.errors import FileProblem

        raise FileError("fit YAML", [FileProblem(problem_text, "missing_extra")]) from None
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    return yaml
