"""Configuration files: JSON, TOML and YAML, one contract for the API, the command line and the schema.

A file holds one mapping: the *header*, which says what the file is (today the one key ``config_class``,
naming the class), then the fields, as :func:`~rfdetr_config.unstructure` writes them. :func:`dump`
writes the header; :func:`load` reads it, uses it to choose the class when the caller names none, and
checks it agrees when the caller does; :func:`~rfdetr_config.json_schema` allows it. Every header key is
listed in :data:`HEADER`, and :func:`header_of` says what :func:`dump` writes under each, so a new one is
declared once for all of them.

The content of a file is JSON data whatever its format. TOML and YAML can also write dates, times,
sets and binary data; those become what rfdetr's ``model_dump(mode="json")`` writes for the same value
(see :func:`json_form`) as the file is read, and so does anything a config holds when it is written. A
file therefore reads back to what it says, in any format, and a config loaded from a file writes back
the same file.

Every error these functions raise for a file is a :class:`~rfdetr_config.ConfigError` titled by the file
(a ``FileError``): the file is named once, and each problem where the parser found it, by line and column.

Reading is bounded, so that no file can exhaust the stack or the memory: at most :data:`MAX_BYTES`
bytes, :data:`MAX_DEPTH` nested containers, and :data:`MAX_VALUES` values once YAML aliases are
expanded. Text is UTF-8, with or without a byte order mark, in every format. A key given twice is an
error in every format. YAML is read with the safe loader (PyYAML's C one where it is built): tags that
would build Python objects are refused.

JSON and TOML reading use the standard library (``tomli`` on Python 3.10); TOML writing needs the
``toml`` extra (``tomli-w``) and YAML the ``yaml`` extra (PyYAML). TOML has no null, so a TOML file
written by :func:`dump` lists the fields whose value is ``None`` under the key ``null_fields``, and
:func:`load` reads them back; no field has that name.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import sys
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    overload,
)

from .core.build import BaseConfig, suggest
from .core.dicts import UnknownKeys, check_unknown_keys, structure, unstructure
from .core.errors import ConfigError, ErrorDetail, FileError, FileProblem, Loc

if TYPE_CHECKING:
    import yaml

__all__ = [
    "CLASS_KEY",
    "FORMATS",
    "HEADER",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "NULL_FIELDS_KEY",
    "RELEASE_KEY",
    "WRITERS",
    "Format",
    "check_format",
    "class_for",
    "decode",
    "document",
    "dump",
    "dumps",
    "format_of",
    "from_data",
    "header_of",
    "json_form",
    "load",
    "loads",
    "parse",
    "read",
    "release_classes",
    "split_header",
]

C = TypeVar("C", bound=BaseConfig)
PathLike = Union[str, "os.PathLike[str]"]
Format = Literal["json", "toml", "yaml"]
FORMATS: Tuple[Format, ...] = ("json", "toml", "yaml")
NULL_FIELDS_KEY = "null_fields"
CLASS_KEY = "config_class"
RELEASE_KEY = "rfdetr_release"

HEADER: Dict[str, str] = {
    CLASS_KEY: "The configuration class this file holds, by its name in rfdetr (for example TrainConfig).",
    RELEASE_KEY: (
        "The rfdetr release whose classes the file holds (for example 1.11.2); written as the first of the "
        "releases that share those classes."
    ),
}
"""Every header key a file may carry, in the order :func:`dump` writes them, with what it means."""

MAX_BYTES = 16 * 1024 * 1024
"""The largest file read: configurations are a few kilobytes, and a device or a runaway file is not one."""

MAX_DEPTH = 200
"""The most containers nested in a file, the file's own mapping included: as many as rfdetr's JSON reading allows."""

MAX_VALUES = 1_000_000
"""The most values a file may hold, each YAML alias counted as often as it is used."""

_SUFFIXES: Dict[str, Format] = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
_CONTAINERS = (dict, list, tuple, set, frozenset)


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


# The header: the one place that knows which keys say what a file is.


def header_of(cls: Type[BaseConfig]) -> Dict[str, str]:
    """What :func:`dump` writes before the fields of a ``cls``: one value for each key of :data:`HEADER`."""
    return {CLASS_KEY: cls.__name__, RELEASE_KEY: release_of(cls)}


def release_of(cls: Type[BaseConfig]) -> str:
    """The first rfdetr release whose classes ``cls`` is one of."""
    return str(cls.__rfdetr_release__)  # type: ignore[attr-defined]


def split_header(data: Any, source: str) -> Tuple[Dict[str, str], Dict[str, Any]]:
    """The header keys of a file's mapping, and the rest of it (the fields).

    Raises:
        ConfigError: The content is not a mapping, or a header value is not text.
    """
    if not isinstance(data, Mapping):
        problem = FileProblem(f"must be a mapping of field names to values, not {_kind(data)}", "dict_type")
        raise FileError(source, [problem])
    header: Dict[str, str] = {}
    problems: List[ErrorDetail] = []
    for key in HEADER:
        if key in data:
            value = data[key]
            if isinstance(value, str):
                header[key] = value
            else:
                problems.append(ErrorDetail((key,), "must be text", value, "header_type"))
    if problems:
        raise FileError(source, problems)
    if not header:
        return header, dict(data)
    return header, {key: value for key, value in data.items() if key not in HEADER}


def class_for(
    header: Mapping[str, str],
    cls: Optional[Type[BaseConfig]],
    source: str,
    classes: Optional[Mapping[str, Type[BaseConfig]]] = None,
    release: Optional[str] = None,
) -> Type[BaseConfig]:
    """The class a file is built as: the caller's, which the header must agree with, or the header's.

    Args:
        header: The file's header (:func:`split_header`).
        cls: The class the caller names, if any.
        source: The file, for errors.
        classes: The classes a header may name, by name; by default those of the release chosen.
        release: The rfdetr release the caller asks for, if any; the header's may only name the same
            classes. Without either, the release of ``rfdetr_config`` itself.

    Raises:
        ConfigError: The header names another class or release than the caller's, an unknown class or
            release, or no class when ``cls`` is not given.
    """
    named = header.get(CLASS_KEY)
    chosen_release = _chosen_release(header.get(RELEASE_KEY), release, cls, source)
    if cls is not None:
        if named is None or named == cls.__name__:
            return cls
        problem = ErrorDetail(
            (CLASS_KEY,), f"the file holds another class than the {cls.__name__} asked for", named, "class_mismatch"
        )
        raise FileError(source, [problem])
    if named is None:
        problem = FileProblem(
            "is required when no class is given: name the class in the file", "class_missing", loc=(CLASS_KEY,)
        )
        raise FileError(source, [problem])
    choices = release_classes(chosen_release) if classes is None else classes
    if named in choices:
        return choices[named]
    hint = suggest(named, choices)
    if hint is not None:
        msg = f"unknown configuration class; did you mean {hint!r}?"
    elif classes is not None:
        msg = f"must be one of {', '.join(choices)}"
    else:
        msg = "unknown configuration class"
    raise FileError(source, [ErrorDetail((CLASS_KEY,), msg, named, "unknown_class")])


def _chosen_release(
    named: Optional[str], asked: Optional[str], cls: Optional[Type[BaseConfig]], source: str
) -> Optional[str]:
    """The release whose classes a file is read with: the caller's (or its class's), else the file's."""
    from .releases import MODULES, RELEASES

    if named is not None and named not in MODULES:
        msg = f"unsupported rfdetr release; supported releases: {', '.join(RELEASES)}"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "unknown_release")])
    wanted = release_of(cls) if cls is not None else asked
    if named is not None and wanted is not None and MODULES[named] != MODULES[wanted]:
        whose = f"{cls.__name__} is rfdetr {wanted}'s" if cls is not None else f"rfdetr {wanted} was asked for"
        msg = f"the file is for another rfdetr release: {whose} (see rfdetr_config.changes for what differs)"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "release_mismatch")])
    return wanted or named


def release_classes(release: Optional[str]) -> Dict[str, Type[BaseConfig]]:
    """The classes of ``release`` (the package's own by default), by name; built only when a header names one."""
    from .releases import TOP, for_release

    module = for_release(release or TOP)
    return {name: getattr(module, name) for name in module.DECLARED.class_names}


# The JSON form: what a file holds, whatever its format.


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
    if isinstance(value, (str, int, float)):  # subclasses, bool included, read as their base
        return value
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


def _kind(value: Any) -> str:
    names = {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), f"a {type(value).__name__}")


# Reading.


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
        data = _PARSERS[fmt](text, source)
    except RecursionError:
        raise FileError(source, [FileProblem(f"nested more than {MAX_DEPTH} levels deep", "too_deep")]) from None
    if not isinstance(data, dict):
        problem = FileProblem(f"must be a mapping of field names to values, not {_kind(data)}", "dict_type")
        raise FileError(source, [problem])
    return json_form(data, source)


def _at(text: str, index: int) -> Tuple[int, int]:
    """The line and column (from 1) of a character of ``text``."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _syntax(
    source: str,
    fmt: str,
    message: str,
    text: str,
    index: Optional[int] = None,
    *,
    line: Optional[int] = None,
    column: Optional[int] = None,
) -> FileError:
    if index is not None:
        line, column = _at(text, index)
    return FileError(source, [FileProblem(f"not valid {fmt}: {message}", "syntax", line=line, column=column)])


_LONG_INTEGER = "an integer with more than {limit} digits"


def _digit_limit() -> int:
    return int(getattr(sys, "get_int_max_str_digits", lambda: 4300)())


def _long_integer(source: str, fmt: str, text: str) -> FileError:
    """Python reads no integer longer than its digit limit; the first one that long is where the text fails."""
    limit = _digit_limit()
    found = re.search(rf"[0-9](?:_?[0-9]){{{limit},}}", text)
    return _syntax(source, fmt, _LONG_INTEGER.format(limit=limit), text, found.start() if found else None)


class _DuplicateKey(Exception):
    pass


def _unique_object(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_object)
    except json.JSONDecodeError as error:
        raise _syntax(source, "JSON", error.msg, text, line=error.lineno, column=error.colno) from None
    except _DuplicateKey:
        raise FileError(source, _json_duplicates(text)) from None
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise _long_integer(source, "JSON", text) from None
        raise _syntax(source, "JSON", str(error), text) from None  # pragma: no cover - none other is known


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
                    line, column = _at(text, index)
                    first = _at(text, seen[value])[0]
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


def _toml_reader(source: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - Python 3.10
        import tomli
    except ImportError:  # pragma: no cover
        raise _missing_extra(source, "reading TOML", "tomli", "toml") from None
    return tomli  # pragma: no cover


_TOML_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _parse_toml(text: str, source: str) -> Any:
    reader = _toml_reader(source)
    try:
        data = reader.loads(text)
    except reader.TOMLDecodeError as error:
        raise _toml_syntax(error, text, source) from None
    except ValueError as error:
        if "integer string conversion" in str(error):
            raise _long_integer(source, "TOML", text) from None
        raise _syntax(source, "TOML", str(error), text) from None  # pragma: no cover - none other is known
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


def _toml_syntax(error: Exception, text: str, source: str) -> FileError:
    """The message without the position that tomllib appends to it, and the position on its own."""
    message = str(getattr(error, "msg", None) or error)
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    found = _TOML_WHERE.search(message)
    if found is not None:
        message = message[: found.start()]
        if line is None and found.group(1) is not None:
            line, column = int(found.group(1)), int(found.group(2))
        elif line is None:
            return _syntax(source, "TOML", message, text, len(text.rstrip("\n")))
    if line is None or column is None:
        return _syntax(source, "TOML", message, text)
    return _syntax(source, "TOML", message, text, line=line, column=column)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise _missing_extra(source, "reading YAML", "PyYAML", "yaml") from None
    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except yaml.reader.ReaderError as error:
        character = chr(error.character) if isinstance(error.character, int) else error.character  # C loader: int
        message = f"the character {character!r} is not allowed"
        raise _syntax(source, "YAML", message, text, error.position) from None
    except yaml.MarkedYAMLError as error:
        message = _yaml_message(error)
        mark = error.problem_mark or error.context_mark
        if mark is None:
            raise _syntax(source, "YAML", message, text) from None
        raise _syntax(source, "YAML", message, text, line=mark.line + 1, column=mark.column + 1) from None
    except yaml.YAMLError as error:  # pragma: no cover - every error PyYAML raises has a mark or a position
        raise _syntax(source, "YAML", str(error), text) from None


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or ""
    tag = re.match(r"could not determine a constructor for the tag '([^']*)'", problem)
    if tag is not None:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return f"the tag {name} is not allowed: only YAML's standard tags are read"
    if error.context and error.context not in problem:
        return f"{problem} ({error.context})"
    return problem


@functools.cache
def _yaml_loader() -> type:
    """PyYAML's safe loader (the C one where it is built), refusing a key given twice in one mapping."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class Loader(base):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: Dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    problem = f"duplicate key {key!r} (first given on line {first})"
                    raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
                seen[key] = key_node
            return super().construct_mapping(node, deep)

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as error:  # a scalar its constructor cannot make: 2024-02-30
                message = _LONG_INTEGER if "integer string conversion" in str(error) else str(error)
                problem = message.format(limit=_digit_limit())
                raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return Loader


_PARSERS: Dict[str, Callable[[str, str], Any]] = {"json": _parse_json, "toml": _parse_toml, "yaml": _parse_yaml}


# Building.


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
        return structure(fields, chosen, unknown_keys=unknown_keys)
    except ConfigError as error:
        raise FileError(source, error.details, class_name=chosen.__name__) from None


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


# Writing.


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


def _missing_extra(source: str, what: str, package: str, extra: str) -> FileError:
    message = f"{what} needs {package} (the {extra!r} extra): pip install {package}"
    return FileError(source, [FileProblem(message, "missing_extra")])


def _json_text(data: Dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _toml_text(data: Dict[str, Any]) -> str:
    try:
        import tomli_w
    except ImportError:
        raise _missing_extra("TOML text", "writing TOML", "tomli-w", "toml") from None
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


def _yaml_text(data: Dict[str, Any]) -> str:
    try:
        import yaml
    except ImportError:
        raise _missing_extra("YAML text", "writing YAML", "PyYAML", "yaml") from None

    class Dumper(yaml.SafeDumper):
        """Double-quotes the strings that plain YAML would bend (line separators, unprintables)."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        bendable = not value.isprintable() or any(c in value for c in "\x85\u2028\u2029")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if bendable else None)

    Dumper.add_representer(str, text)
    return str(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True))


WRITERS: Dict[str, Callable[[Dict[str, Any]], str]] = {"json": _json_text, "toml": _toml_text, "yaml": _yaml_text}
"""The text of a file's mapping (see :func:`document`) in each format."""


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
