"""The formats a configuration file may be in, and for each how it is read and written."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Literal, Tuple, Union

from ...core.errors import FileError, FileProblem
from .json import json_text, parse_json
from .toml import parse_toml, toml_text
from .yaml import parse_yaml, yaml_text

__all__ = ["FORMATS", "PARSERS", "WRITERS", "Format", "PathLike", "check_format", "format_of"]

PathLike = Union[str, "os.PathLike[str]"]
Format = Literal["json", "toml", "yaml"]
FORMATS: Tuple[Format, ...] = ("json", "toml", "yaml")
_SUFFIXES: Dict[str, Format] = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}

PARSERS: Dict[str, Callable[[str, str], Any]] = {"json": parse_json, "toml": parse_toml, "yaml": parse_yaml}
"""The data a file's text holds (before :func:`~rfdetr_config.files.json_form.json_form`), in each format."""

WRITERS: Dict[str, Callable[[Dict[str, Any]], str]] = {"json": json_text, "toml": toml_text, "yaml": yaml_text}
"""The text of a file's mapping (see :func:`~rfdetr_config.files.writing.document`) in each format."""


def check_format(fmt: object) -> Format:
    """``fmt`` itself, once it is known to be a format: a misspelt format must not fall through to another.

    Raises:
        ValueError: ``fmt`` is not ``"json"``, ``"toml"`` or ``"yaml"``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be 'json', 'toml' or 'yaml', not {fmt!r}")
    return fmt


def format_of(path: PathLike) -> Format:
    """The format a file's suffix names: ``"json"``, ``"toml"`` or ``"yaml"``.

    Raises:
        ConfigError: The suffix names none of them.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in _SUFFIXES:
        shown = f"{suffix!r}" if suffix else "no suffix"
        problem = FileProblem(f"unknown file type ({shown}): use .json, .toml, .yaml or .yml", "format")
        raise FileError(os.fspath(path), [problem])
    return _SUFFIXES[suffix]
