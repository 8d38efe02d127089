"""The per-class functions generated from the field plans: build an instance, dump it to a dict.

Looping over ~80 field plans and calling a converter for each value costs more than validation is
worth, so each class gets straight-line functions, as attrs does for ``__init__``. A value that
already has the field's exact type skips its converter (the converter would return it unchanged),
and a range test is written inline from the validator's bounds; everything else goes through the
same converters and attrs validators, so behaviour is defined by :mod:`~rfdetr_config.core.coerce` and
:mod:`~rfdetr_config.checks.validators` alone. ``tests/test_compiled.py`` holds the shortcuts to that.
"""

from __future__ import annotations

import functools
import linecache
import os
import typing
from typing import Any, Callable, Dict, List, Literal, Optional, Tuple, Union

from .errors import ErrorDetail, FieldError
from .fields import FieldPlan

__all__ = ["make_builder", "make_dumper", "make_full_builder", "writable_twin"]

Builder = Callable[[Any, Any], Optional[List[ErrorDetail]]]
Dumper = Callable[[Any], Dict[str, Any]]


def _fail(errors: Optional[List[ErrorDetail]], field: str, error: FieldError, raw: Any) -> List[ErrorDetail]:
    found = ErrorDetail.all_from(field, error, raw)
    if errors is None:
        return found
    errors.extend(found)
    return errors


def _reject(errors: Optional[List[ErrorDetail]], failure: Tuple[Any, ...], value: Any, raw: Any) -> List[ErrorDetail]:
    """What the check would raise, without raising: an out-of-range value is the common failure.

    ``failure`` is (field, message, kind, check); how pydantic words it is left to the check, asked if ever needed.
    """
    if errors is None:
        errors = []
    field, message, kind, check = failure
    errors.append(ErrorDetail((field,), message, raw, kind, (check, value)))
    return errors


_MISSING = object()


def _inline(check: Any, var: str) -> Tuple[str, Any]:
    """A Python expression true when ``check`` passes, and the check whose message tells a failure.

    ("", None) when the check cannot be written inline; then it is called, and raises its own error.
    """
    inner = getattr(check, "validator", None)  # attrs.validators.optional
    if inner is not None and hasattr(inner, "condition"):
        return f"{var} is None or ({inner.condition(var)})", inner
    if hasattr(check, "condition"):
        return str(check.condition(var)), check
    return "", None


def _needs_conversion(annotation: Any, var: str) -> str:
    """A Python test that is false exactly when the converter would return ``var`` unchanged."""
    if annotation in (int, float, str):
        return f"type({var}) is not {annotation.__name__}"
    if annotation is bool:
        return f"{var} is not True and {var} is not False"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal and all(type(a) is str for a in args):
        return f"type({var}) is not str or {var} not in {args!r}"
    if origin is Union and len(args) == 2 and type(None) in args:
        inner = _needs_conversion(next(a for a in args if a is not type(None)), var)
        return f"{var} is not None and ({inner})"
    if origin is Union and all(_strict_member(a) for a in args):
        # A smart union returns a value of exactly one member's type unchanged (coerce._strict_match).
        return " and ".join(f"({_needs_conversion(a, var)})" for a in args)
    return "True"


def _strict_member(annotation: Any) -> bool:
    literal = typing.get_origin(annotation) is Literal
    return annotation in (int, str) or (literal and all(type(a) is str for a in typing.get_args(annotation)))


def _conversion(plan: FieldPlan, i: int, var: str, namespace: Dict[str, Any]) -> str:
    """The statement that converts ``var``, skipping the converter wherever the outcome is known.

    Converters may say more about themselves: ``passes_none`` (``coerce.optional``: None is kept,
    ``inner`` converts the rest) and ``when_failed`` (a cheaper twin with the same verdict, for a
    build whose result is already lost, as ``paths`` gives).
    """
    convert: Any = plan.convert
    namespace[f"_c{i}"] = convert
    call = f"{var} = _c{i}({var})"
    if not plan.by_annotation:
        keeps_none = getattr(convert, "passes_none", False)
        if keeps_none:  # the None test is written out: call the inner converter directly
            convert = namespace[f"_c{i}"] = convert.inner
        if hasattr(convert, "when_failed"):
            namespace[f"_q{i}"] = convert.when_failed
            call = f"{var} = _c{i}({var}) if errors is None else _q{i}({var})"
        return f"if {var} is not None: {call}" if keeps_none else call
    test = _needs_conversion(plan.annotation, var)
    if test == "True":
        return call
    if plan.annotation is float:  # an int where a float is due, as in the reference's own defaults
        exact = f"type({var}) is int and -_FLOAT_LIMIT < {var} < _FLOAT_LIMIT"
        return f"if {test}: {var} = float({var}) if {exact} else _c{i}({var})"
    return f"if {test}: {call}"


def _compile(name: str, source: str, namespace: Dict[str, Any]) -> Any:
    filename = f"<rfdetr_config generated {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # the source is built from field names only
    return namespace[name]


@functools.cache
def writable_twin(cls: type) -> type:
    """A subclass of ``cls`` with the same memory layout whose fields are set by plain assignment.

    A build function creates the instance as the twin, assigns every field, then turns it into
    ``cls`` by ``__class__`` assignment (allowed because the layouts are identical). Plain slot
    assignment is about ten times faster than calling each slot's setter, and the instance is
    frozen from the moment anyone else can see it. ``__delattr__`` is reset too: Python only uses
    its fast attribute setting when neither method is overridden. One twin per class serves both
    build functions.
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": cls.__module__,
        "__qualname__": f"{cls.__qualname__}.<being built>",
    }
    return type(cls.__name__, (cls,), namespace)


def _default(plan: FieldPlan, i: int, namespace: Dict[str, Any]) -> str:
    if plan.required:
        return "None"  # only while the missing field is being reported
    if plan.factory is not None:
        namespace[f"_f{i}"] = plan.factory
        return f"_f{i}()"
    namespace[f"_d{i}"] = plan.default
    return f"_d{i}[:]" if isinstance(plan.default, list) else f"_d{i}"


def _given(plan: FieldPlan, i: int, namespace: Dict[str, Any]) -> List[str]:
    """The lines that convert, check and store a given value ``v{i}``, or file its failure."""
    v = f"v{i}"
    lines = ["try:", f"    {_conversion(plan, i, v, namespace)}"]
    passes, explained = _inline(plan.check, v)
    if passes:
        namespace[f"_x{i}"] = (plan.name, explained.message(), explained.kind, explained)
        failure = f"_x{i}, {v}, given[{plan.name!r}]"
        lines += [f"    if {passes}: self.{plan.name} = {v}", f"    else: errors = _reject(errors, {failure})"]
    else:
        if plan.check is not None:
            namespace[f"_k{i}"], namespace[f"_a{i}"] = plan.check, plan.attribute
            lines.append(f"    _k{i}(None, _a{i}, {v})")
        lines.append(f"    self.{plan.name} = {v}")
    return [*lines, "except _FieldError as e:", f"    errors = _fail(errors, {plan.name!r}, e, given[{plan.name!r}])"]


def _indented(lines: List[str], depth: int) -> List[str]:
    return [" " * depth + line for line in lines]


def _builder(cls: type, plans: Tuple[FieldPlan, ...], full: bool) -> Builder:
    namespace: Dict[str, Any] = {"_FieldError": FieldError, "_fail": _fail, "_reject": _reject, "_M": _MISSING}
    namespace.update(
        _Cls=cls,
        _Writable=writable_twin(cls),
        _set=object.__setattr__,
        _FLOAT_LIMIT=2**1023,  # float() of any int closer to zero is exact or rounds, never overflows
        _POSITION={p.name: i for i, p in enumerate(plans)},
        _MISSINGS=(_MISSING,) * len(plans),
    )
    unpacked = "(" + "".join(f"v{i}, " for i in range(len(plans))) + ")"
    lines = ["def build(self, given):"]
    if full:
        lines.append(f"    {unpacked} = given.values()")
    else:
        lines += ["    slots = [*_MISSINGS]", "    for name, value in given.items():"]
        lines += ["        slots[_POSITION[name]] = value", f"    {unpacked} = slots"]
    lines += ["    _set(self, '__class__', _Writable)", "    errors = None"]
    for i, plan in enumerate(plans):
        if full:
            lines += _indented(_given(plan, i, namespace), 4)
        else:
            lines += [f"    if v{i} is _M:", f"        self.{plan.name} = {_default(plan, i, namespace)}"]
            lines += ["    else:", *_indented(_given(plan, i, namespace), 8)]
    lines += ["    self.__class__ = _Cls", "    return errors"]
    return _compile("build", "\n".join(lines) + "\n", namespace)  # type: ignore[no-any-return]


def make_builder(cls: type, plans: Tuple[FieldPlan, ...]) -> Builder:
    """``build(instance, given)``: set every field on ``instance``; return the failures, or None.

    ``given`` maps field names to values; absent fields take their defaults.
    """
    return _builder(cls, plans, full=False)


def make_full_builder(cls: type, plans: Tuple[FieldPlan, ...]) -> Builder:
    """The same for a ``given`` that has every field, in order, as ``unstructure`` writes it.

    Its values are taken positionally, and no field asks whether it was given: the common way to
    load a saved configuration costs less. A separate function, compiled on its own first use, so
    that a program that only uses one way pays for compiling one.
    """
    return _builder(cls, plans, full=True)


_SCALARS = (int, float, bool, str)


def _is_scalar(annotation: Any) -> bool:
    """Immutable once stored: numbers, text, literals, and paths (always stored as ``str``)."""
    return annotation in _SCALARS or typing.get_origin(annotation) in (Literal, os.PathLike)


def _dumped(annotation: Any, value: str) -> str:
    """An expression giving a fresh copy of ``value`` where it may hold a list or dict."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if _is_scalar(annotation):
        return value
    if origin in (list, typing.List) and _is_scalar(args[0]):
        return f"{value}[:]"
    if origin is Union and len(args) == 2 and type(None) in args:
        inner = _dumped(next(a for a in args if a is not type(None)), "v")
        return value if inner == "v" else f"(None if (v := {value}) is None else {inner})"
    if origin is Union and all(_is_scalar(a) for a in args):
        return value
    if origin in (dict, typing.Dict):  # mostly left empty: a fresh empty dict without the walk
        return f"(_copied(e) if (e := {value}) else {{}})"
    return f"_copied({value})"


def copied(value: Any) -> Any:
    """Fresh lists and dicts, so that changing a dumped dict never reaches the frozen instance."""
    if isinstance(value, list):
        return [copied(v) for v in value]
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value


def make_dumper(cls: type, plans: Tuple[FieldPlan, ...]) -> Dumper:
    """``dump(instance)``: every field in order, containers copied.

    The dict starts as a copy of one holding every key already (a copy is one block copy), so
    filling it never grows it; a dict display of 80 entries is built by growing, at twice the cost.
    """
    lines = ["def dump(c):", "    d = _KEYS.copy()"]
    namespace: Dict[str, Any] = {"_copied": copied, "_KEYS": dict.fromkeys(plan.name for plan in plans)}
    for i, plan in enumerate(plans):
        if plan.dump is not None:  # a dump form is for what is not plain text (an enum member)
            namespace[f"_w{i}"] = plan.dump
            lines.append(f"    d[{plan.name!r}] = e if (e := c.{plan.name}).__class__ is str else _w{i}(e)")
        else:
            lines.append(f"    d[{plan.name!r}] = {_dumped(plan.annotation, f'c.{plan.name}')}")
    lines.append("    return d")
    return _compile("dump", "\n".join(lines) + "\n", namespace)  # type: ignore[no-any-return]
