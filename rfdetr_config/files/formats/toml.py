"""TOML: read with the standard library (``tomli`` on Python 3.10), written with ``tomli-w``.

TOML has no null, so a TOML file lists the fields whose value is ``None`` under the key
:data:`NULL_FIELDS_KEY`; no field has that name.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Dict, List

from ...core.errors import ErrorDetail, FileError, FileProblem, Loc
from .syntax import long_integer, missing_extra, syntax

__all__ = ["NULL_FIELDS_KEY", "parse_toml", "toml_text"]

NULL_FIELDS_KEY = "null_fields"


def _toml_reader(source: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - Python 3.10
        import tomli
    except ImportError:  # pragma: no cover
        raise missing_extra(source, "reading TOML", "tomli", "toml") from None
    return tomli  # pragma: no cover


_TOML_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def parse_toml(text: str, source: str) -> Any:
    """The data of a TOML text, the fields listed under :data:`NULL_FIELDS_KEY` read back as None."""
    reader = _toml_reader(source)
    try:
        data = reader.loads(text)
    except reader.TOMLDecodeError as error:
        raise _tomlsyntax(error, text, source) from None
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise long_integer(source, "TOML", text) from None
        raise syntax(source, "TOML", str(error), text) from None  # pragma: no cover - none other is known
    nulls = data.pop(NULL_FIELDS_KEY, [])
    if not isinstance(nulls, list) or not all(isinstance(name, str) for name in nulls):
        raise FileError(
            source, [ErrorDetail((NULL_FIELDS_KEY,), "must be a list of field names", nulls, "null_fields")]
        )
    given = [
        ErrorDetail((name,), f"is listed in {NULL_FIELDS_KEY} and also has a value", data[name], "null_fields")
        for name in nulls
        if name in data
    ]
    if given:
        raise FileError(source, given)
    data.update(dict.fromkeys(nulls))
    return data


def _tomlsyntax(error: Exception, text: str, source: str) -> FileError:
    """The message without the position that tomllib appends to it, and the position on its own."""
    message = str(getattr(error, "msg", None) or error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    found = _TOML_WHERE.search(message)
    if found is not None:
        message = message[: found.start()]
        if line is None and found.group(1) is not None:
            line, column = int(found.group(1)), int(found.group(2))
        elif line is None:
            return syntax(source, "TOML", message, text, len(text.rstrip("\n")))
    if line is None or column is None:
        return syntax(source, "TOML", message, text)
    return syntax(source, "TOML", message, text, line=line, column=column)


def toml_text(data: Dict[str, Any]) -> str:
    """TOML text, fields that are None listed under :data:`NULL_FIELDS_KEY`; a null inside a field is an error."""
    try:
        import tomli_w
    except ImportError:
        raise missing_extra("TOML text", "writing TOML", "tomli-w", "toml") from None
    nulls = [name for name, value in data.items() if value is None]
    body = {name: value for name, value in data.items() if value is not None}
    problems = [
        FileProblem("a null, which TOML cannot hold inside a field", "toml_value", loc=loc)
        for name, value in body.items()
        for loc in _nulls_within(value, (name,))
    ]
    if problems:
        raise FileError("TOML text", problems)
    if nulls:
        body[NULL_FIELDS_KEY] = nulls
    return str(tomli_w.dumps(body))


def _nulls_within(value: Any, loc: Loc) -> List[Loc]:
    """Where ``value`` holds a null: TOML has none, and lists only the fields that are null themselves."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found: List[Loc] = []
    for key, item in items:
        found.extend([(*loc, key)] if item is None else _nulls_within(item, (*loc, key)))
    return found
