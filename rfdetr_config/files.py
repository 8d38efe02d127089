"""Configuration files: JSON, TOML and YAML, chosen by the file's suffix.

JSON and TOML reading use the standard library (``tomli`` on Python 3.10); TOML writing needs the
``toml`` extra (``tomli-w``) and YAML the ``yaml`` extra (PyYAML). TOML has no null, so a TOML file
written by :func:`dump` lists the fields whose value is ``None`` under the key ``null_fields``, and
:func:`load` reads them back; no field has that name.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable, Dict, Type, TypeVar, Union

from .build import BaseConfig
from .dicts import UnknownKeys, structure, unstructure
from .errors import ConfigError, ErrorDetail

__all__ = ["NULL_FIELDS_KEY", "WRITERS", "dump", "dumps", "format_of", "from_data", "load", "loads", "parse", "read"]

C = TypeVar("C", bound=BaseConfig)
PathLike = Union[str, "os.PathLike[str]"]
NULL_FIELDS_KEY = "null_fields"
_FORMATS = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}


def format_of(path: PathLike) -> str:
    """The format a file's suffix names: ``"json"``, ``"toml"`` or ``"yaml"``."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in _FORMATS:
        raise ConfigError(
            str(path), [ErrorDetail((), "unknown file type: use .json, .toml, .yaml or .yml", suffix, "format")]
        )
    return _FORMATS[suffix]


def _missing_extra(what: str, extra: str) -> ConfigError:
    detail = ErrorDetail(
        (), f"{what} needs the {extra!r} extra: pip install 'rfdetr-config[{extra}]'", extra, "missing_extra"
    )
    return ConfigError(what, [detail])


def _toml_reader() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - Python 3.10
        import tomli
    except ImportError:  # pragma: no cover
        raise _missing_extra("reading TOML", "toml") from None
    return tomli  # pragma: no cover


def parse(text: str, fmt: str, source: str) -> Any:
    """Parse ``text``; a syntax error names the source and, where the parser gives it, the line."""
    try:
        if fmt == "json":
            return json.loads(text)
        if fmt == "toml":
            data = _toml_reader().loads(text)
            for name in data.pop(NULL_FIELDS_KEY, []):
                data[name] = None
            return data
        try:
            import yaml
        except ImportError:
            raise _missing_extra("reading YAML", "yaml") from None
        return yaml.safe_load(text)
    except ConfigError:
        raise
    except Exception as error:  # each parser has its own error type; all carry a message
        raise ConfigError(
            source, [ErrorDetail((), f"not valid {fmt.upper()}: {_where(error)}", None, "syntax")]
        ) from None


def _where(error: Exception) -> str:
    line = getattr(error, "lineno", None)
    mark = getattr(error, "problem_mark", None)
    if line is None and mark is not None:
        line = mark.line + 1
    message = getattr(error, "msg", None) or getattr(error, "problem", None) or str(error)
    return f"line {line}: {message}" if line is not None and f"line {line}" not in str(message) else str(message)


def loads(
    text: str, cls: Type[C], *, fmt: str = "json", unknown_keys: UnknownKeys = "forbid", source: str = "<string>"
) -> C:
    """Build ``cls`` from the text of a file in format ``fmt`` (``"json"``, ``"toml"`` or ``"yaml"``)."""
    return from_data(parse(text, fmt, source), cls, source=source, unknown_keys=unknown_keys)


def read(path: PathLike) -> Any:
    """The plain data in a JSON, TOML or YAML file (by suffix), not yet checked against any class.

    Raises:
        ConfigError: The file cannot be read or parsed; it names the file, and the line where the
            parser gives one.
    """
    fmt = format_of(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [ErrorDetail((), f"cannot be read: {error}", str(path), "io")]) from None
    return parse(text, fmt, os.fspath(path))


def from_data(data: Any, cls: Type[C], *, source: str, unknown_keys: UnknownKeys = "forbid") -> C:
    """``structure(data, cls)``, with any error titled by where the data came from."""
    try:
        return structure(data, cls, unknown_keys=unknown_keys)
    except ConfigError as error:
        raise ConfigError(f"{cls.__name__} from {source}", error.details) from None


def load(path: PathLike, cls: Type[C], *, unknown_keys: UnknownKeys = "forbid") -> C:
    """Build ``cls`` from a JSON, TOML or YAML file (by suffix).

    Raises:
        ConfigError: The file cannot be read or parsed (naming the file, and the line where the
            parser gives one), or its content is not a valid ``cls``.
    """
    return from_data(read(path), cls, source=os.fspath(path), unknown_keys=unknown_keys)


def _toml_text(data: Dict[str, Any]) -> str:
    try:
        import tomli_w
    except ImportError:
        raise _missing_extra("writing TOML", "toml") from None
    nulls = [name for name, value in data.items() if value is None]
    body = {name: value for name, value in data.items() if value is not None}
    if nulls:
        body[NULL_FIELDS_KEY] = nulls
    try:
        return str(tomli_w.dumps(body))
    except (TypeError, ValueError) as error:
        raise ConfigError(
            "writing TOML", [ErrorDetail((), f"a value TOML cannot hold: {error}", None, "toml_value")]
        ) from None


def _yaml_text(data: Dict[str, Any]) -> str:
    try:
        import yaml
    except ImportError:
        raise _missing_extra("writing YAML", "yaml") from None

    class Dumper(yaml.SafeDumper):
        """Double-quotes the strings that plain YAML would bend (line separators, unprintables)."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        bendable = not value.isprintable() or any(c in value for c in "\x85\u2028\u2029")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if bendable else None)

    Dumper.add_representer(str, text)
    return str(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True))


WRITERS: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "json": lambda data: json.dumps(data, indent=2, ensure_ascii=False) + "\n",
    "toml": _toml_text,
    "yaml": _yaml_text,
}


def dumps(config: BaseConfig, *, fmt: str = "json") -> str:
    """The text of ``config`` in format ``fmt``; :func:`loads` reads it back equal."""
    return WRITERS[fmt](unstructure(config))


def dump(config: BaseConfig, path: PathLike) -> None:
    """Write ``config`` to a JSON, TOML or YAML file (by suffix); :func:`load` reads it back equal."""
    text = dumps(config, fmt=format_of(path))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
