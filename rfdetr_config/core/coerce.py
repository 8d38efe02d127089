"""Lax conversion of input values to the annotated type, as rfdetr 1.8.1 (pydantic v2, lax mode) does it.

The reference accepts more than the exact type: ``"1e-3"`` for a float, ``4.0`` or ``" 4 "`` for an int,
``"yes"`` for a bool. It also refuses some things that Python's own ``int()`` or ``float()`` would take
(``4.5`` for an int, ``"0x10"``, non-ASCII digits). Each function here reproduces one of those rules,
measured against the reference and pinned by the conformance vectors in ``tests/conformance``.

:func:`converter_for` turns a field annotation into one converter, so that every class uses the same
mechanism. A converter returns the converted value or raises :class:`~rfdetr_config.core.errors.FieldError`.
"""

from __future__ import annotations

import collections
import functools
import math
import re
import types
import typing
from typing import Any, Callable, Literal, Union

from .errors import FieldError, FieldErrors, warn_at_caller

Converter = Callable[[Any], Any]

__all__ = [
    "Converter",
    "converter_for",
    "expected",
    "falling_back",
    "optional",
    "to_bool",
    "to_float",
    "to_int",
    "to_str",
    "union_tag",
]

# The characters Rust's str::trim removes (Unicode White_Space); Python's str.strip also removes
# U+001C..U+001F, which the reference keeps and then rejects.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_INT_TEXT = re.compile(r"([+-]?[0-9](?:_?[0-9])*)(?:\.0+)?", re.ASCII)
_FLOAT_TEXT = re.compile(
    r"[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.)(?:[eE][+-]?[0-9](?:_?[0-9])*)?"
    r"|[+-]?(?:inf|infinity|nan)",
    re.ASCII | re.IGNORECASE,
)
_MAX_INT_TEXT = 4300
_I64_BOUND = 2.0**63
_TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})
_SEQUENCES = (list, tuple, set, frozenset, collections.deque)


def to_int(value: Any) -> int:
    """An int from an int, a bool, an integral float inside the 64-bit range, or integer text."""
    if type(value) is int:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FieldError("must be a finite number", value, kind="finite_number")
        if not value.is_integer():
            raise FieldError("must be an integer, got a float with a fractional part", value, kind="int_from_float")
        if not -_I64_BOUND < value < _I64_BOUND:  # pydantic says "string" here too
            raise FieldError("must be an integer within the 64-bit range", value, kind="int_parsing_size")
        return int(value)
    if isinstance(value, str):
        text = value.strip(_WHITESPACE)
        if len(text) > _MAX_INT_TEXT:
            raise FieldError(f"integer text longer than {_MAX_INT_TEXT} characters", value, kind="int_parsing_size")
        match = _INT_TEXT.fullmatch(text)
        if match is None:
            raise FieldError("must be an integer; unable to parse the string", value, kind="int_parsing")
        return int(match.group(1))
    raise FieldError("must be an integer", value, kind="int_type")


def to_float(value: Any) -> float:
    """A float from a float, an int or bool that fits, or number text (nan and inf included)."""
    if type(value) is float:
        return value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise FieldError("must be a number a float can hold", value, kind="float_type") from None
    if isinstance(value, str):
        text = value.strip(_WHITESPACE)
        if _FLOAT_TEXT.fullmatch(text) is None:
            raise FieldError("must be a number; unable to parse the string", value, kind="float_parsing")
        return float(text)
    raise FieldError("must be a number", value, kind="float_type")


def to_bool(value: Any) -> bool:
    """A bool from a bool, 0 or 1 (int or float), or one of the reference's words in any case."""
    if value is True or value is False:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)):
        if value == 0:
            return False
        if value == 1:
            return True
        # pydantic cannot read a float with a fraction, or NaN, as a number of a bool at all
        kind = "bool_type" if isinstance(value, float) and not value.is_integer() else "bool_parsing"
        raise FieldError("must be a boolean (0 or 1 when a number)", value, kind=kind)
    if isinstance(value, str):
        word = value.lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise FieldError("must be a boolean; unable to interpret the string", value, kind="bool_parsing")
    raise FieldError("must be a boolean", value, kind="bool_type")


def to_str(value: Any) -> str:
    """A str from a str, or from UTF-8 bytes; numbers are not turned into text."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise FieldError("must be a string; the bytes are not valid UTF-8", value, kind="string_unicode") from None
    raise FieldError("must be a string", value, kind="string_type")


def _keep(value: Any) -> Any:
    return value


def expected(members: Any) -> str:
    """The ``ctx['expected']`` pydantic gives for a Literal or an Enum: ``'a', 'b' or 'c'`` (each ``repr()``)."""
    shown = [repr(m) for m in members]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def union_tag(tp: Any) -> str:
    """The name pydantic gives a member of a union in its errors' locations: ``int``, ``literal['auto']``."""
    if typing.get_origin(tp) is Literal:
        return f"literal[{','.join(repr(m) for m in typing.get_args(tp))}]"
    return getattr(tp, "__name__", repr(tp))


def _literal(members: tuple[str, ...]) -> Converter:
    allowed = " or ".join(repr(m) for m in members)
    ctx = {"expected": expected(members)}

    def convert(value: Any) -> str:
        if isinstance(value, str) and value in members:
            return str(value)
        raise FieldError(f"must be {allowed}", value, kind="literal_error", ctx=ctx)

    return convert


def falling_back(members: tuple[Any, ...], fallback: Any, message: str) -> Converter:
    """A value outside ``members`` becomes ``fallback``, with a UserWarning that says so.

    For settings where rfdetr degrades a bad request instead of failing the run (``amp_dtype``).
    ``message`` is formatted with the rejected ``value``.
    """

    def convert(value: Any) -> Any:
        for member in members:
            if value == member:
                return member
        warn_at_caller(message.format(value=value), UserWarning)
        return fallback

    convert.never_fails = True  # type: ignore[attr-defined]
    convert.__doc__ = f"a value other than {', '.join(map(repr, members))} becomes {fallback!r}, with a warning"
    return convert


def optional(inner: Converter) -> Converter:
    """Let ``None`` through unchanged; hand anything else to ``inner``."""

    def convert(value: Any) -> Any:
        return None if value is None else inner(value)

    convert.passes_none = True  # type: ignore[attr-defined]  # lets generated code skip the call for None
    convert.inner = inner  # type: ignore[attr-defined]
    return convert


def _each(error: FieldError) -> list[FieldError]:
    return error.failures if isinstance(error, FieldErrors) else [error]


def _list_of(item: Converter) -> Converter:
    def convert(value: Any) -> list[Any]:
        if not isinstance(value, _SEQUENCES):
            raise FieldError("must be a list", value, kind="list_type")
        out = []
        failures: list[FieldError] = []
        for index, element in enumerate(value):
            try:
                out.append(item(element))
            except FieldError as error:
                failures.extend(e.moved((index, *e.loc)) for e in _each(error))
        if failures:
            raise FieldErrors(failures)
        return out

    return convert


def _dict_of(key: Converter, item: Converter) -> Converter:
    def convert(value: Any) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise FieldError("must be a mapping", value, kind="dict_type")
        out = {}
        failures: list[FieldError] = []
        for k, v in value.items():
            try:
                new_key = key(k)
            except FieldError as error:
                failures.append(error.moved((k, "[key]"), k, prefix="keys "))
                continue
            try:
                out[new_key] = item(v)
            except FieldError as error:
                failures.extend(e.moved((k, *e.loc)) for e in _each(error))
        if failures:
            raise FieldErrors(failures)
        return out

    return convert


def _strict_match(tp: Any, value: Any) -> bool:
    """Whether ``value`` is already exactly of ``tp``; the first pass of a smart union."""
    if tp is int:
        return type(value) is int
    if tp is str:
        return type(value) is str
    if typing.get_origin(tp) is Literal:
        return any(type(value) is type(m) and value == m for m in typing.get_args(tp))
    return False


def _describe(tp: Any) -> str:
    if typing.get_origin(tp) is Literal:
        return " or ".join(repr(m) for m in typing.get_args(tp))
    return {int: "an integer", str: "a string", float: "a number", bool: "a boolean"}.get(tp, repr(tp))


def _smart_union(members: tuple[Any, ...]) -> Converter:
    """Exact type first, in declaration order; then each member's lax conversion, in order."""
    converters = [(m, converter_for(m), union_tag(m)) for m in members]
    wanted = " or ".join(_describe(m) for m in members)

    def convert(value: Any) -> Any:
        for tp, conv, _ in converters:
            if _strict_match(tp, value):
                return conv(value)
        failed = []
        for _, conv, tag in converters:
            try:
                return conv(value)
            except FieldError as error:
                failed.append((tag, error))
        raise FieldError(f"must be {wanted}", value, kind="union_error", members=tuple(failed))

    return convert


@functools.cache
def converter_for(tp: Any) -> Converter:
    """The lax converter for one annotation, built once per distinct annotation."""
    if tp is int:
        return to_int
    if tp is float:
        return to_float
    if tp is bool:
        return to_bool
    if tp is str:
        return to_str
    if tp is Any or tp is object:
        return _keep
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        return _literal(args)
    if origin in (list, typing.List):
        return _list_of(converter_for(args[0]))
    if origin in (dict, typing.Dict):
        return _dict_of(converter_for(args[0]), converter_for(args[1]))
    if origin is Union or origin is types.UnionType:
        members = tuple(a for a in args if a is not type(None))
        inner = converter_for(members[0]) if len(members) == 1 else _smart_union(members)
        return optional(inner) if len(members) < len(args) else inner
    raise TypeError(f"no converter for annotation {tp!r}")
