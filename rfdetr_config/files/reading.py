"""Reading a configuration file: bytes to text to a mapping to a config, bounded at every step."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple, Type, TypeVar, overload

from ..core.build import BaseConfig
from ..core.dicts import UnknownKeys, check_unknown_keys, structure
from ..core.errors import ConfigError, FileError, FileProblem
from .formats import PARSERS, Format, PathLike, check_format, format_of
from .header import RELEASE_KEY, class_for, remember_release, split_header
from .json_form import json_form, kind_of
from .limits import MAX_BYTES, MAX_DEPTH

__all__ = ["decode", "from_data", "load", "loads", "parse", "read"]

C = TypeVar("C", bound=BaseConfig)


def decode(data: bytes, source: str) -> str:
    """The text of a file's bytes: UTF-8, after a byte order mark if there is one.

    Raises:
        ConfigError: The bytes are more than :data:`MAX_BYTES`, or not UTF-8 (the position of the first
            byte that is not, counting columns in bytes).
    """
    if len(data) > MAX_BYTES:
        problem = FileProblem(
            f"is larger than {MAX_BYTES // (1024 * 1024)} MiB, too large for a configuration", "too_large"
        )
        raise FileError(source, [problem])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FileError(source, [FileProblem("is UTF-16 text; save it as UTF-8", "encoding")]) from None
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - data.rfind(b"\n", 0, start)
        byte = data[start : start + 1].hex()
        problem = FileProblem(f"is not UTF-8 text (byte 0x{byte})", "encoding", line=line, column=column)
        raise FileError(source, [problem]) from None


def _read_bytes(path: PathLike, fmt: Optional[Format]) -> Tuple[bytes, Format]:
    source = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            chosen = fmt or format_of(path)
            return fh.read(MAX_BYTES + 1), chosen
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise FileError(source, [FileProblem(f"cannot be read: {reason}", "io")]) from None


def read(path: PathLike, fmt: Optional[Format] = None) -> Dict[str, Any]:
    """The mapping a JSON, TOML or YAML file holds (by suffix, or ``fmt``), header included, not yet built.

    Raises:
        ConfigError: The file cannot be read or parsed, or holds something else than a mapping that a file
            can hold; it names the file once, and the line and column where the parser gives them.
    """
    if fmt is not None:
        check_format(fmt)
    data, chosen = _read_bytes(path, fmt)
    source = os.fspath(path)
    return parse(decode(data, source), chosen, source)


def parse(text: str, fmt: Format, source: str = "<string>") -> Dict[str, Any]:
    """The mapping that the text of a file holds, as JSON data (see :func:`json_form`), header included.

    Raises:
        ConfigError: The text is empty, not valid in its format (with the line and column where the parser
            gives them), a key is given twice, or it holds no mapping or something a file cannot hold.
        ValueError: ``fmt`` is not a format.
    """
    check_format(fmt)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FileError(source, [FileProblem("is empty", "empty")])
    try:
        data = PARSERS[fmt](text, source)
    except RecursionError:
        raise FileError(source, [FileProblem(f"nested more than {MAX_DEPTH} levels deep", "too_deep")]) from None
    if not isinstance(data, dict):
        problem = FileProblem(f"must be a mapping of field names to values, not {kind_of(data)}", "dict_type")
        raise FileError(source, [problem])
    return json_form(data, source)


@overload
def from_data(
    data: Any, cls: Type[C], *, source: str, unknown_keys: UnknownKeys = ..., release: Optional[str] = ...
) -> C: ...


@overload
def from_data(
    data: Any, cls: None = None, *, source: str, unknown_keys: UnknownKeys = ..., release: Optional[str] = ...
) -> BaseConfig: ...


def from_data(
    data: Any,
    cls: Optional[Type[BaseConfig]] = None,
    *,
    source: str,
    unknown_keys: UnknownKeys = "forbid",
    release: Optional[str] = None,
) -> BaseConfig:
    """Build the config a file's mapping holds, as ``cls`` or as the class its header names.

    Raises:
        ConfigError: The header disagrees with ``cls`` or names no known class, or the fields are not a
            valid config; titled by ``source`` and the class.
        ValueError: ``unknown_keys`` is neither ``"forbid"`` nor ``"ignore"``.
    """
    check_unknown_keys(unknown_keys)
    header, fields = split_header(data, source)
    chosen = class_for(header, cls, source, release=release)
    try:
        config = structure(fields, chosen, unknown_keys=unknown_keys)
    except ConfigError as error:
        raise FileError(source, error.details, class_name=chosen.__name__, reported=error.reported) from None
    named = header.get(RELEASE_KEY, release)
    if named is not None:  # written back, the config names the release it was read as
        remember_release(config, named)
    return config


@overload
def loads(
    text: str,
    cls: Type[C],
    *,
    fmt: Format = ...,
    unknown_keys: UnknownKeys = ...,
    source: str = ...,
    release: Optional[str] = ...,
) -> C: ...


@overload
def loads(
    text: str,
    cls: None = None,
    *,
    fmt: Format = ...,
    unknown_keys: UnknownKeys = ...,
    source: str = ...,
    release: Optional[str] = ...,
) -> BaseConfig: ...


def loads(
    text: str,
    cls: Optional[Type[BaseConfig]] = None,
    *,
    fmt: Format = "json",
    unknown_keys: UnknownKeys = "forbid",
    source: str = "<string>",
    release: Optional[str] = None,
) -> BaseConfig:
    """Build a config from the text of a file in format ``fmt``, as ``cls`` or as the class the text names.

    Args:
        text: The file's text.
        cls: The class to build. Without it, the text's ``config_class`` key names the class; with it, that
            key may be left out, and must name ``cls`` when it is there.
        fmt: ``"json"``, ``"toml"`` or ``"yaml"``.
        unknown_keys: ``"forbid"`` or ``"ignore"``, as for :func:`~rfdetr_config.structure`.
        source: What to call the text in errors.
        release: Without ``cls``, the rfdetr release whose classes the text's class is looked up in;
            the text's ``rfdetr_release`` key, when there, must name the same classes. Without either,
            the release ``rfdetr_config`` itself exports.

    Raises:
        ConfigError: The text cannot be parsed, names another or no
            class or another release, or is not a valid config.
        ValueError: ``fmt`` or ``unknown_keys`` is not one of its values.
    """
    check_format(fmt)
    check_unknown_keys(unknown_keys)
    return from_data(parse(text, fmt, source), cls, source=source, unknown_keys=unknown_keys, release=release)


@overload
def load(
    path: PathLike,
    cls: Type[C],
    *,
    fmt: Optional[Format] = ...,
    unknown_keys: UnknownKeys = ...,
    release: Optional[str] = ...,
) -> C: ...


@overload
def load(
    path: PathLike,
    cls: None = None,
    *,
    fmt: Optional[Format] = ...,
    unknown_keys: UnknownKeys = ...,
    release: Optional[str] = ...,
) -> BaseConfig: ...


def load(
    path: PathLike,
    cls: Optional[Type[BaseConfig]] = None,
    *,
    fmt: Optional[Format] = None,
    unknown_keys: UnknownKeys = "forbid",
    release: Optional[str] = None,
) -> BaseConfig:
    """Build a config from a JSON, TOML or YAML file (by suffix, or ``fmt``), as ``cls`` or as the file names.

    Without ``cls`` the file's ``config_class`` key chooses among the package's classes, so
    ``load("run.json")`` reads back whatever :func:`dump` wrote. With ``cls`` the key may be left out, and
    must name ``cls`` when it is there. The file's ``rfdetr_release`` key, or ``release``, chooses whose
    classes (as for :func:`loads`).

    Raises:
        ConfigError: The file cannot be read or parsed (naming the
            line and column where the parser gives them), names another or no class or another release,
            or is not a valid config.
        ValueError: ``fmt`` or ``unknown_keys`` is not one of its values.
    """
    check_unknown_keys(unknown_keys)
    return from_data(read(path, fmt), cls, source=os.fspath(path), unknown_keys=unknown_keys, release=release)
