"""The JSON form: what a file holds, whatever its format, and what a config holds once written."""

from __future__ import annotations

import datetime
import enum
import json
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from ..core.errors import ErrorDetail, FileError, FileProblem, Loc
from .limits import MAX_DEPTH, MAX_VALUES

__all__ = ["json_form", "kind_of"]

_CONTAINERS = (dict, list, tuple, set, frozenset)


class _TooDeep(Exception):
    pass


class _TooMany(Exception):
    pass


def json_form(data: Mapping[str, Any], source: str) -> Dict[str, Any]:
    """``data`` as JSON data, by the rule rfdetr's ``model_dump(mode="json")`` follows for the same values.

    Dates, datetimes and times become ISO 8601 text (``"2024-05-01"``, ``"2024-05-01T12:00:00Z"``); sets,
    frozensets and tuples become lists (a set sorted, so that a file always gives the same list); bytes
    become their UTF-8 text; keys that are not text become text (``1`` → ``"1"``, ``True`` → ``"true"``,
    ``None`` → ``"None"``, a date in ISO 8601). Unlike ``model_dump(mode="json")``, NaN and the infinities
    stay floats: every format here can write them (JSON as Python's ``NaN`` and ``Infinity``), so they read
    back as they were.

    Args:
        data: A file's mapping: the header and the fields.
        source: The file, for errors.

    Raises:
        ConfigError: A value no file can hold (bytes that are not UTF-8, text that is not Unicode, any other
            type), two keys that become the same text, nesting deeper than :data:`MAX_DEPTH`, or more than
            :data:`MAX_VALUES` values; each named by its path.
    """
    problems: List[ErrorDetail] = []
    memo: Dict[int, Tuple[int, int]] = {}
    total = len(data)
    for key, value in data.items():
        try:
            count, _ = _measure(value, MAX_DEPTH - 1, memo)
        except _TooDeep:
            problems.append(FileProblem(f"nested more than {MAX_DEPTH} levels deep", "too_deep", loc=(key,)))
            continue
        except _TooMany:
            count = MAX_VALUES + 1
        total += count
        if total > MAX_VALUES:
            problems.append(FileProblem(_too_many(), "too_large", loc=(key,)))
            break
    if not problems:
        converted = _convert_mapping(data, (), problems)
    if problems:
        raise FileError(source, problems)
    return converted


def _too_many() -> str:
    return f"holds more than {MAX_VALUES:,} values (YAML aliases counted as often as they are used)"


def _measure(value: Any, room: int, memo: Dict[int, Tuple[int, int]]) -> Tuple[int, int]:
    """The values in ``value`` (aliases counted each time) and its nesting; each shared container is walked once."""
    if not isinstance(value, _CONTAINERS):
        return 1, 0
    known = memo.get(id(value))
    if known is None:
        if room <= 0:
            raise _TooDeep
        count, height = 1, 0
        for child in value.values() if isinstance(value, dict) else value:
            size, nested = _measure(child, room - 1, memo)
            count += size
            height = max(height, nested)
            if count > MAX_VALUES:
                raise _TooMany
        known = memo[id(value)] = (count + (len(value) if isinstance(value, dict) else 0), height + 1)
    if known[1] > room:
        raise _TooDeep
    return known


def _convert_mapping(data: Mapping[Any, Any], loc: Loc, problems: List[ErrorDetail]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key, value in data.items():
        text = key if type(key) is str else _key_text(key, loc, problems)
        if text is None:
            continue
        if not text.isascii() and not _is_unicode(text):
            problems.append(ErrorDetail(loc, "a key that is not valid Unicode (a lone surrogate)", key, "json_key"))
            continue
        if text in out:
            problems.append(ErrorDetail((*loc, text), "two keys are written as this same text", key, "duplicate_key"))
            continue
        out[text] = _convert(value, (*loc, text), problems)
    return out


def _convert(value: Any, loc: Loc, problems: List[ErrorDetail]) -> Any:
    kind = type(value)
    if kind is str:
        if not value.isascii() and not _is_unicode(value):
            problems.append(ErrorDetail(loc, "text that is not valid Unicode (a lone surrogate)", value, "json_value"))
        return value
    if value is None or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, dict):
        return _convert_mapping(value, loc, problems)
    if isinstance(value, (list, tuple)):
        return [_convert(v, (*loc, i), problems) for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_convert(v, (*loc, i), problems) for i, v in enumerate(value)]
        return sorted(items, key=_set_order)
    if isinstance(value, enum.Enum):  # what rfdetr's model_dump(mode="json") writes: the member's value
        return _convert(value.value, loc, problems)
    if isinstance(value, (str, int, float)):  # other subclasses: written as their base type
        return str.__str__(value) if isinstance(value, str) else (int if isinstance(value, int) else float)(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return _iso(value)
    if isinstance(value, (bytes, bytearray)):
        try:
            return _convert(bytes(value).decode("utf-8"), loc, problems)
        except UnicodeDecodeError:
            problems.append(
                ErrorDetail(loc, "binary data that is not UTF-8 text, which a file cannot hold", value, "json_value")
            )
            return None
    problems.append(ErrorDetail(loc, f"a {type(value).__name__}, which a file cannot hold", value, "json_value"))
    return None


def _key_text(key: Any, loc: Loc, problems: List[ErrorDetail]) -> Optional[str]:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None or isinstance(key, (int, float)):
        return str(key)
    if isinstance(key, str):
        return str(key)
    if isinstance(key, (datetime.date, datetime.time)):
        return _iso(key)
    if isinstance(key, bytes):
        try:
            return key.decode("utf-8")
        except UnicodeDecodeError:
            pass
    problems.append(ErrorDetail(loc, f"a key that cannot be written as text: {type(key).__name__}", key, "json_key"))
    return None


def _iso(value: Union[datetime.date, datetime.time]) -> str:
    text = value.isoformat()
    offset = value.utcoffset() if isinstance(value, (datetime.datetime, datetime.time)) else None
    return text[:-6] + "Z" if offset == datetime.timedelta(0) and text.endswith("+00:00") else text


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _set_order(value: Any) -> Tuple[int, Any]:
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, str):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True))


def kind_of(value: Any) -> str:
    """A value's kind as a message names it: null, a list, text, a number ..."""
    names = {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), f"a {type(value).__name__}")
