"""JSON: read with the standard library, every key given twice found where it is given again."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from ...core.errors import ErrorDetail, FileError, FileProblem
from .syntax import at, long_integer, syntax

__all__ = ["json_text", "parse_json"]


class _DuplicateKey(Exception):
    pass


def _unique_object(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


def parse_json(text: str, source: str) -> Any:
    """The data of a JSON text; a key given twice is an error at each place it is given again."""
    try:
        return json.loads(text, object_pairs_hook=_unique_object)
    except json.JSONDecodeError as error:
        raise syntax(source, "JSON", error.msg, text, line=error.lineno, column=error.colno) from None
    except _DuplicateKey:
        raise FileError(source, _json_duplicates(text)) from None
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise long_integer(source, "JSON", text) from None
        raise syntax(source, "JSON", str(error), text) from None  # pragma: no cover - none other is known


def _json_duplicates(text: str) -> List[ErrorDetail]:
    """Each key given twice in one object of valid JSON, where it is given again (scanned, not parsed)."""
    problems: List[ErrorDetail] = []
    open_objects: List[Optional[Dict[str, int]]] = []  # the keys seen in each open object; None for an array
    expect_key = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            value, end = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            seen = open_objects[-1] if open_objects else None
            if expect_key and seen is not None:
                if value in seen:
                    line, column = at(text, index)
                    first = at(text, seen[value])[0]
                    msg = f"duplicate key {value!r} (first given on line {first})"
                    problems.append(FileProblem(msg, "duplicate_key", line=line, column=column))
                else:
                    seen[value] = index
                expect_key = False
            index = end
            continue
        if char == "{":
            open_objects.append({})
            expect_key = True
        elif char == "[":
            open_objects.append(None)
        elif char in "]}":
            open_objects.pop()
        elif char == ",":
            expect_key = bool(open_objects) and open_objects[-1] is not None
        index += 1
    return problems


def json_text(data: Dict[str, Any]) -> str:
    """JSON text, indented, non-ASCII written as itself."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
