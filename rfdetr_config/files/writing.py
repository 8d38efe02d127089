"""Writing a configuration file: the header, then the fields, as JSON data in any format."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

from ..core.build import BaseConfig
from ..core.dicts import unstructure
from ..core.errors import FileError, FileProblem
from .formats import WRITERS, Format, PathLike, check_format, format_of
from .header import header_of, release_read_as
from .json_form import json_form
from .limits import MAX_DEPTH

__all__ = ["document", "dump", "dumps"]


def document(
    config: BaseConfig, source: Optional[str] = None, *, release: Optional[str] = None, **exclude: bool
) -> Dict[str, Any]:
    """What a file of ``config`` holds: the header, then its fields as JSON data (see :func:`json_form`).

    ``release`` is the rfdetr release the header names (see :func:`dumps`). ``exclude`` takes
    :func:`~rfdetr_config.unstructure`'s ``exclude_unset`` and ``exclude_defaults``.

    Raises:
        ConfigError: A value no file can hold, named by its path.
        ValueError: ``release`` is not one whose classes ``config``'s class is one of.
    """
    header = header_of(type(config), release or release_read_as(config))
    title = source or f"{type(config).__name__} as a file"
    try:
        fields = unstructure(config, **exclude)
    except RecursionError:
        raise FileError(title, [FileProblem(f"nested more than {MAX_DEPTH} levels deep", "too_deep")]) from None
    return json_form({**header, **fields}, title)


def dumps(
    config: BaseConfig,
    *,
    fmt: Format = "json",
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    release: Optional[str] = None,
) -> str:
    """The text of a file of ``config`` in format ``fmt``, header first; :func:`loads` reads it back.

    ``exclude_unset`` and ``exclude_defaults`` leave fields out as :func:`~rfdetr_config.unstructure`
    does: a file that holds only what was given reads back without rules running for the rest.

    The header's ``rfdetr_release`` is ``release`` when given; else the release ``config`` was read as,
    for a config that :func:`load` or :func:`loads` made (so a file is written back naming the release it
    named); else its class's own (see ``rfdetr_config.files.release_of``):
    :data:`~rfdetr_config.releases.TOP` for the package's classes, the newest release of its group for
    another release's.

    Raises:
        ConfigError: A value no file can hold, or one TOML cannot hold (a null inside a field), or the
            format's extra is not installed.
        ValueError: ``fmt`` is not a format, or ``release`` is not one whose classes ``config``'s class is.
    """
    chosen = check_format(fmt)
    return WRITERS[chosen](
        document(config, release=release, exclude_unset=exclude_unset, exclude_defaults=exclude_defaults)
    )


def dump(
    config: BaseConfig,
    path: PathLike,
    *,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    release: Optional[str] = None,
) -> None:
    """Write ``config`` to a JSON, TOML or YAML file (by suffix), header first; :func:`load` reads it back.

    Nothing is written when the config cannot be: the text is made before the file is opened.
    ``exclude_unset``, ``exclude_defaults`` and ``release`` are as for :func:`dumps`.

    Raises:
        ConfigError: As :func:`dumps`, or the suffix names no format.
        ValueError: As :func:`dumps`.
    """
    source = os.fspath(path)
    fmt = format_of(path)
    exclude = {"exclude_unset": exclude_unset, "exclude_defaults": exclude_defaults}
    try:
        text = WRITERS[fmt](document(config, source, release=release, **exclude))
    except FileError as error:
        raise FileError(source, error.details, reported=error.reported) from None
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
