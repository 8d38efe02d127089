"""Writing a configuration file: the header, then the fields, as JSON data in any format."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

from ..core.build import BaseConfig
from ..core.dicts import unstructure
from ..core.errors import FileError, FileProblem
from .formats import WRITERS, Format, PathLike, check_format, format_of
from .header import header_of
from .json_form import json_form
from .limits import MAX_DEPTH

__all__ = ["document", "dump", "dumps"]


def document(config: BaseConfig, source: Optional[str] = None, **exclude: bool) -> Dict[str, Any]:
    """What a file of ``config`` holds: the header, then its fields as JSON data (see :func:`json_form`).

    ``exclude`` takes :func:`~rfdetr_config.unstructure`'s ``exclude_unset`` and ``exclude_defaults``.

    Raises:
        ConfigError: A value no file can hold, named by its path.
    """
    title = source or f"{type(config).__name__} as a file"
    try:
        fields = unstructure(config, **exclude)
    except RecursionError:
        raise FileError(title, [FileProblem(f"nested more than {MAX_DEPTH} levels deep", "too_deep")]) from None
    return json_form({**header_of(type(config)), **fields}, title)


def dumps(
    config: BaseConfig, *, fmt: Format = "json", exclude_unset: bool = False, exclude_defaults: bool = False
) -> str:
    """The text of a file of ``config`` in format ``fmt``, header first; :func:`loads` reads it back.

    ``exclude_unset`` and ``exclude_defaults`` leave fields out as :func:`~rfdetr_config.unstructure`
    does: a file that holds only what was given reads back without rules running for the rest.

    Raises:
        ConfigError: A value no file can hold, or one TOML cannot hold (a null inside a field), or the
            format's extra is not installed.
        ValueError: ``fmt`` is not a format.
    """
    chosen = check_format(fmt)
    return WRITERS[chosen](document(config, exclude_unset=exclude_unset, exclude_defaults=exclude_defaults))


def dump(config: BaseConfig, path: PathLike, *, exclude_unset: bool = False, exclude_defaults: bool = False) -> None:
    """Write ``config`` to a JSON, TOML or YAML file (by suffix), header first; :func:`load` reads it back.

    Nothing is written when the config cannot be: the text is made before the file is opened.
    ``exclude_unset`` and ``exclude_defaults`` are as for :func:`dumps`.

    Raises:
        ConfigError: As :func:`dumps`, or the suffix names no format.
    """
    source = os.fspath(path)
    fmt = format_of(path)
    try:
        text = WRITERS[fmt](document(config, source, exclude_unset=exclude_unset, exclude_defaults=exclude_defaults))
    except FileError as error:
        raise FileError(source, error.details) from None
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
