"""The shapes' public face: read any file the package reads, and load, dump and migrate a run."""

from __future__ import annotations

import os
import warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type

import attrs

from ...core.build import BaseConfig
from ...core.dicts import structure_as_released
from ...core.errors import ConfigError, FileError, FileProblem
from ...releases import for_release
from ..formats import WRITERS, Format, PathLike, check_format, format_of
from ..header import HEADER
from ..json_form import json_form
from ..limits import MAX_BYTES
from .checkpoint import checkpoint_mapping, is_checkpoint
from .detect import Shape, shape_of
from .reading import guess_bare, read_fit, read_run
from .run import Run
from .settings import Setting, apply_settings, parse_setting
from .writing import fit_text, run_text

__all__ = ["Shaped", "dump_run", "dumps_run", "load_run", "loads_run", "read_shaped", "settings_of"]


@attrs.frozen
class Shaped:
    """What a file holds once read, whatever its shape.

    Attributes:
        shape: ``"ours"``, ``"run"``, ``"fit"`` or ``"bare"``.
        config: The one configuration (``ours``, ``bare``), else ``None``.
        run: The run (``run``, ``fit``), else ``None``.
        releases: The releases that accept it, newest first, where they were told from its fields.
        warnings: What rfdetr warns reading it.
    """

    shape: Shape
    config: Optional[BaseConfig] = None
    run: Optional[Run] = None
    releases: Tuple[str, ...] = ()
    warnings: Tuple[str, ...] = ()

    @property
    def release(self) -> str:
        """The release it was read as."""
        if self.run is not None:
            return self.run.release
        assert self.config is not None
        return str(type(self.config).__rfdetr_release__)  # type: ignore[attr-defined]


def settings_of(texts: Sequence[str]) -> List[Setting]:
    """``--set`` texts parsed (see :func:`~rfdetr_config.files.shapes.settings.parse_setting`)."""
    return [parse_setting(text) for text in texts]


def read_shaped(
    data: Mapping[str, Any],
    source: str,
    *,
    release: Optional[str] = None,
    text: Optional[str] = None,
    fmt: Optional[Format] = None,
    settings: Sequence[Setting] = (),
) -> Optional[Shaped]:
    """A file's mapping read as the shape it is, or ``None`` for the package's own files (with a header).

    A bare dump whose fields name no class is ``None`` too: the caller asks for the class. ``settings``
    (``--set``) are applied to the mapping first; ``text`` is a YAML file's text, which a ``fit`` file
    is read again from, as jsonargparse reads it.

    Raises:
        ConfigError: As rfdetr refuses the file, each problem at its place in the file.
    """
    shape = shape_of(data)
    if shape == "ours":
        return None
    if shape == "fit":
        fit_source = text if fmt == "yaml" else None
        run = read_fit(data, source, release=release, text=fit_source, settings=settings)
        return Shaped("fit", run=run, releases=run.releases, warnings=run.warnings)
    if settings:
        data = apply_settings(data, settings, source)
    if shape == "run":
        run = read_run(data, source, release=release)
        return Shaped("run", run=run, releases=run.releases, warnings=run.warnings)
    class_name, releases, _ = guess_bare(data, release)
    if class_name is None:
        return None
    first_error: Optional[ConfigError] = None
    accepted: List[Tuple[str, BaseConfig, Tuple[str, ...]]] = []
    for candidate in releases:
        cls: Type[BaseConfig] = getattr(for_release(candidate), class_name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                config = structure_as_released(data, cls)
            except ConfigError as error:
                first_error = first_error or error
                continue
        accepted.append((candidate, config, tuple(f"{w.category.__name__}: {w.message}" for w in caught)))
    if not accepted:
        assert first_error is not None
        raise FileError(source, first_error.details, class_name=class_name, reported=first_error.reported)
    _, config, said = accepted[0]
    told = tuple(r for r, _, _ in accepted) if release is None else ()
    return Shaped("bare", config=config, releases=_covers(told), warnings=said)


def _covers(releases: Sequence[str]) -> Tuple[str, ...]:
    from ...releases.registry import group_of

    out: List[str] = []
    for release in releases:
        out += reversed(group_of(release).releases)
    return tuple(out)


def _run_of(
    data: Mapping[str, Any],
    source: str,
    release: Optional[str],
    text: Optional[str],
    fmt: Format,
    settings: Sequence[Setting],
) -> Run:
    shaped = read_shaped(data, source, release=release, text=text, fmt=fmt, settings=settings)
    if shaped is None or shaped.run is None:
        problem = FileProblem(
            "holds no run: a run file (train_config, model_config, model_config_type, ...), a rfdetr fit "
            "file (model.model_config, model.train_config) or a checkpoint with both configurations was expected",
            "not_a_run",
        )
        raise FileError(source, [problem])
    return shaped.run


def loads_run(
    text: str,
    *,
    fmt: Format = "json",
    release: Optional[str] = None,
    source: str = "<string>",
    sets: Sequence[str] = (),
) -> Run:
    """The run a run file's or a ``rfdetr fit`` file's text holds, read as rfdetr reads it.

    Args:
        text: The file's text.
        fmt: Its format (a run file is JSON, a ``fit`` file YAML).
        release: The rfdetr release to read it as; by default told from its fields (a run file holds
            every field), else the package's own.
        source: What to call the text in errors.
        sets: ``KEY=VALUE`` changes applied before it is read (as ``--set``).

    Raises:
        ConfigError: It cannot be parsed, holds no run, or rfdetr refuses it (each problem at its place).
    """
    from ..reading import parse

    check_format(fmt)
    data = parse(text, fmt, source)
    settings = settings_of(sets)
    run = _run_of(data, source, release, text, fmt, settings)
    if settings and run.shape == "fit":
        run = attrs.evolve(run, text=fit_text(run, text, settings=settings))
    return run


def load_run(path: PathLike, *, release: Optional[str] = None, sets: Sequence[str] = ()) -> Run:
    """The run a file holds: a run file, a ``rfdetr fit`` YAML file or a checkpoint (see :func:`loads_run`).

    A checkpoint (``.pth``, ``.ckpt``, ``.pt``) is read without torch and without running anything it
    holds (``rfdetr_config.files.checkpoint``); its release is the ``rfdetr_version`` it records,
    else told from its fields.
    """
    from ..reading import decode

    source = os.fspath(path)
    if is_checkpoint(path):
        return _run_of(checkpoint_mapping(path), source, release, None, "json", settings_of(sets))
    fmt = format_of(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise FileError(source, [FileProblem(f"cannot be read: {reason}", "io")]) from None
    return loads_run(decode(raw, source), fmt=fmt, release=release, source=source, sets=sets)


def dumps_run(run: Run, shape: Optional[str] = None, *, changed: Mapping[str, Mapping[str, Any]] = {}) -> str:
    """The text of a file of ``run`` in the shape rfdetr reads: ``"run"`` (JSON) or ``"fit"`` (YAML).

    By default the shape it was read from; a ``fit`` file read from text keeps that text's comments and
    other sections. No header is written.
    """
    chosen = shape or (run.shape if run.shape in ("run", "fit") else "run")
    if chosen == "fit":
        return fit_text(run, run.text, changed=changed)
    if chosen != "run":
        raise ValueError(f"shape must be 'run' or 'fit', not {chosen!r}")
    return run_text(run)


def dump_run(run: Run, path: PathLike, shape: Optional[str] = None) -> None:
    """Write ``run`` to ``path`` as :func:`dumps_run` makes it; nothing is written if it cannot be made."""
    text = dumps_run(run, shape)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def bare_text(data: Dict[str, Any], fmt: Format, source: str) -> str:
    """A bare dump's text: the fields, no header (rfdetr's ``model_validate`` reads it)."""
    fields = {k: v for k, v in data.items() if k not in HEADER}
    return WRITERS[fmt](json_form(fields, source))
