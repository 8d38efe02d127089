"""The commands on rfdetr's own files: run files, ``rfdetr fit`` YAML files and bare dumps.

Each command reads the package's own files as it always has; a file of one of rfdetr's shapes (no
``config_class`` header, no ``--class``) comes here, is read as rfdetr reads it and written back in its
own shape, never with a header.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, List, Optional, Tuple

import attrs

from ..core.dicts import unstructure
from ..core.errors import ConfigError, FileError, FileProblem
from ..files import format_of
from ..files.shapes import guess_bare, shape_of
from ..files.shapes.api import Shaped, bare_text, read_shaped, settings_of
from ..files.shapes.checkpoint import CHECKPOINT_KEY
from ..files.shapes.run import migrate_run
from ..files.shapes.settings import Setting
from ..files.shapes.writing import fit_text, run_text
from .inputs import Usage, read_text_input
from .output import EXIT_INVALID, EXIT_OK, file_problems, shown, warn, write_file

__all__ = ["detect", "migrate"]


def _read(args: argparse.Namespace) -> Optional[Tuple[str, Dict[str, Any], str, Any, List[Setting]]]:
    """The input, if it is one of rfdetr's shapes and no class is given; else ``None``."""
    if args.class_name is not None:
        return None
    name, data, text, fmt = read_text_input(args.file, args.format)
    shape = shape_of(data)
    if shape == "ours" or (shape == "bare" and guess_bare(data, None)[0] is None):
        return None  # the package's own file, or fields that name no class: the command's own reading
    try:
        settings = settings_of(getattr(args, "sets", None) or [])
    except ValueError as error:
        raise Usage(str(error)) from None
    return name, data, text, fmt, settings


def _section_of(path: Tuple[str, ...]) -> Optional[str]:
    """The run section a ``--set`` path ends in (``train_config.x``, ``model.train_config.init_args.x``)."""
    inner = [p for p in path[:-1] if p != "init_args"]
    return inner[-1] if inner and inner[-1] in ("train_config", "model_config") else None


def _read_with_decisions(
    data: Dict[str, Any], settings: List[Setting], name: str, release: Optional[str], text: str, fmt: Any
) -> Tuple[Optional[Shaped], Dict[str, Dict[str, Any]], List[Setting]]:
    """Read a run with ``--set`` applied.

    A set the source release refuses, or of a field it has not, is a decision for the target: it settles
    what the migration would otherwise leave to one.
    """
    applied = list(settings)
    for _ in range(2):
        try:
            shaped = read_shaped(data, name, release=release, text=text, fmt=fmt, settings=applied)
            decisions: Dict[str, Dict[str, Any]] = {}
            run = shaped.run if shaped is not None else None
            for path, value in settings:
                section = _section_of(path)
                if section is None or run is None:
                    continue
                config = run.train if section == "train_config" else run.model
                if (path, value) not in applied or path[-1] not in type(config).__rfdetr_names__:
                    decisions.setdefault(section, {})[path[-1]] = value
            return shaped, decisions, applied
        except FileError as error:
            refused = [
                (path, value)
                for path, value in applied
                if _section_of(path) is not None
                and any(tuple(str(p) for p in d.loc[: len(path)]) == path for d in error.details)
            ]
            if not refused:
                raise
            applied = [s for s in applied if s not in refused]
    raise AssertionError("unreachable")  # pragma: no cover


def migrate(args: argparse.Namespace, report: Callable[[str, Any], None]) -> Optional[int]:
    """Migrate a file of one of rfdetr's shapes, or ``None`` when it is the package's own.

    ``report`` shows each configuration's migration on stderr.
    """
    found = _read(args)
    if found is None:
        return None
    name, data, text, fmt, settings = found
    try:
        decisions: Dict[str, Dict[str, Any]] = {}
        if shape_of(data) in ("run", "fit"):
            shaped, decisions, settings = _read_with_decisions(data, settings, name, args.source, text, fmt)
        else:
            shaped = read_shaped(data, name, release=args.source, text=text, fmt=fmt, settings=settings)
    except FileError as error:
        return file_problems(name, error.details)
    if shaped is None:
        raise Usage(f'no class given: pass --class NAME, or add "config_class": NAME to {shown(name)}')
    _told(name, shaped, args.source)
    out_format = fmt if args.output is None else format_of(args.output)
    try:
        if shaped.run is not None:
            moved = migrate_run(shaped.run, args.target, strict=args.strict, decisions=decisions)
            if shaped.shape == "run" and moved.run.shape == "checkpoint" and out_format == "yaml":
                out = fit_text(attrs.evolve(moved.run, extra={}, text=None))  # a checkpoint becomes a fit file
            elif shaped.shape == "fit":
                changed = {
                    "model_config": _new_values(moved.model),
                    "train_config": {**_new_values(moved.train), **decisions.get("train_config", {})},
                }
                out = fit_text(moved.run, text or None, changed=changed, settings=settings)
            else:
                out = run_text(moved.run)
            reports = [moved.model, moved.train]
        else:
            from ..migration import migrate as migrate_one

            assert shaped.config is not None
            config = shaped.config
            one = migrate_one(
                unstructure(config, exclude_unset=True),
                type(config).__name__,
                source=shaped.release,
                target=args.target,
                strict=args.strict,
            )
            out = bare_text(one.data, out_format, args.output or "<stdout>")
            reports = [one]
        if shaped.run is not None:
            _read_back(out, shaped.shape, out_format, args.target)
    except ConfigError as error:
        return file_problems(name, error.details)
    if args.output is None:
        print(out, end="" if out.endswith("\n") else "\n")
    elif not write_file(args.output, out):
        return EXIT_INVALID
    for done in reports:
        report(name, done)
    return EXIT_OK


def _read_back(text: str, shape: str, fmt: Any, target: str) -> None:
    """Refuse to write what the target release would refuse to read (a value its ``fit`` parser cannot take)."""
    from ..files.reading import parse

    data = parse(text, fmt, f"the file for rfdetr {target}")
    shaped = read_shaped(data, f"the file for rfdetr {target}", release=target, text=text, fmt=fmt)
    if shaped is None:  # pragma: no cover - a shape is written back as itself
        raise FileError(f"the file for rfdetr {target}", [FileProblem(f"is not a {shape} file", "shape")])


def _new_values(moved: Any) -> Dict[str, Any]:
    """The fields a migration changed, by their new value (left out: removed)."""
    return {c.field: moved.data[c.field] for c in moved.changes if c.field and c.field in moved.data}


def _told(name: str, shaped: Shaped, given: Optional[str]) -> None:
    """Say which release a file was read as, when it was told from its fields."""
    if given is None and shaped.releases:
        others = (
            f" (also accepted by rfdetr {', '.join(shaped.releases[1:])}; --from decides)"
            if len(shaped.releases) > 1
            else ""
        )
        warn(f"{shown(name)}: a {shaped.shape} file of rfdetr {shaped.release}, told from its fields{others}")


def detect(args: argparse.Namespace) -> Optional[int]:
    """The releases that accept a file of one of rfdetr's shapes, or ``None`` when it is the package's own."""
    found = _read(args)
    if found is None:
        return None
    name, data, text, fmt, settings = found
    from ..releases import DISTINCT, declared

    accepting: List[str] = []
    first: Optional[FileError] = None
    for release in reversed(DISTINCT):
        newest = declared(release).covers[-1]
        try:
            shaped = read_shaped(data, name, release=newest, text=text, fmt=fmt, settings=settings)
        except FileError as error:
            first = first or error
            continue
        if shaped is None:
            raise Usage(f'no class given: pass --class NAME, or add "config_class": NAME to {shown(name)}')
        accepting += reversed(declared(release).covers)
    if not accepting:
        warn(
            f"{shown(name)}: no supported rfdetr release accepts it "
            "(rfdetr-config validate FILE --release X.Y.Z says why)"
        )
        return EXIT_INVALID
    info = data.get(CHECKPOINT_KEY)
    if isinstance(info, dict):
        print(f"{shown(name)}: a checkpoint whose configurations rfdetr {', '.join(accepting)} accept")
        written = info.get("rfdetr_version")
        if written is not None:
            verdict = "one of them" if written in accepting else "which refuses them"
            print(f"{shown(name)}: it records it was written by rfdetr {shown(str(written))}, {verdict}")
    else:
        print(f"{shown(name)}: a {shape_of(data)} file of rfdetr {', '.join(accepting)}")
    return EXIT_OK
