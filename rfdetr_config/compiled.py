"""The per-class functions generated from the field plans: build an instance, dump it to a dict.

Looping over ~80 field plans and calling a converter for each value costs more than validation is
worth, so each class gets one straight-line function, as attrs does for ``__init__``. A value that
already has the field's exact type skips its converter (the converter would return it unchanged);
everything else goes through the same converters and attrs validators as before, so behaviour is
defined by :mod:`~rfdetr_config.coerce` and :mod:`~rfdetr_config.validators` alone.
"""

from __future__ import annotations

import linecache
import os
import typing
from typing import Any, Callable, Dict, List, Literal, Optional, Tuple, Union

from .errors import ErrorDetail, FieldError
from .fields import FieldPlan

__all__ = ["make_builder", "make_dumper", "writable_twin"]

Builder = Callable[[Any, Any, bool], Optional[List[ErrorDetail]]]
Dumper = Callable[[Any], Dict[str, Any]]


def _fail(errors: Optional[List[ErrorDetail]], field: str, error: FieldError) -> List[ErrorDetail]:
    return [*(errors or ()), *ErrorDetail.all_from(field, error)]


_MISSING = object()


def _condition(check: Any, var: str) -> str:
    """A Python expression true when ``check`` would pass, or "" when it cannot be written inline.

    Only a shortcut: when it is false, the validator itself runs and raises its own error.
    """
    inner = getattr(check, "validator", None)  # attrs.validators.optional
    if inner is not None and hasattr(inner, "condition"):
        return f"{var} is None or ({inner.condition(var)})"
    if hasattr(check, "condition"):
        return str(check.condition(var))
    return ""


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
    return "True"


def _compile(name: str, source: str, namespace: Dict[str, Any]) -> Any:
    filename = f"<rfdetr_config generated {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # the source is built from field names only
    return namespace[name]


def writable_twin(cls: type) -> type:
    """A subclass of ``cls`` with the same memory layout whose fields are set by plain assignment.

    A build function creates the instance as the twin, assigns every field, then turns it into
    ``cls`` by ``__class__`` assignment (allowed because the layouts are identical). Plain slot
    assignment is about ten times faster than calling each slot's setter, and the instance is
    frozen from the moment anyone else can see it. ``__delattr__`` is reset too: Python only uses
    its fast attribute setting when neither method is overridden.
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


def make_builder(cls: type, plans: Tuple[FieldPlan, ...]) -> Builder:
    """``build(instance, given, full)``: set every field on ``instance``; return the failures, or None.

    ``given`` maps field names to values; ``full`` promises that its keys are every field, in
    order, so that its values can be taken positionally instead of looked up one by one.
    """
    namespace: Dict[str, Any] = {"_FieldError": FieldError, "_fail": _fail, "_M": _MISSING}
    namespace.update(
        _Cls=cls,
        _Writable=writable_twin(cls),
        _set=object.__setattr__,
        _POSITION={p.name: i for i, p in enumerate(plans)},
        _MISSINGS=(_MISSING,) * len(plans),
    )
    unpacked = "".join(f"v{i}, " for i in range(len(plans)))
    lines = [
        "def build(self, given, full):",
        "    if full:",
        f"        ({unpacked}) = given.values()",
        "    else:",
        "        slots = [*_MISSINGS]",
        "        for name, value in given.items():",
        "            slots[_POSITION[name]] = value",
        f"        ({unpacked}) = slots",
        "    _set(self, '__class__', _Writable)",
        "    errors = None",
    ]
    for i, plan in enumerate(plans):
        v = f"v{i}"
        lines += [f"    if {v} is _M:", f"        self.{plan.name} = {_default(plan, i, namespace)}", "    else:", "        try:"]
        namespace[f"_c{i}"] = plan.convert
        test = _needs_conversion(plan.annotation, v) if plan.by_annotation else "True"
        lines.append(f"            {v} = _c{i}({v})" if test == "True" else f"            if {test}: {v} = _c{i}({v})")
        if plan.check is not None:
            namespace[f"_k{i}"], namespace[f"_a{i}"] = plan.check, plan.attribute
            passes = _condition(plan.check, v)
            call = f"_k{i}(None, _a{i}, {v})"
            lines.append(f"            if not ({passes}): {call}" if passes else f"            {call}")
        lines += [
            f"            self.{plan.name} = {v}",
            "        except _FieldError as e:",
            f"            errors = _fail(errors, {plan.name!r}, e)",
        ]
    lines += ["    self.__class__ = _Cls", "    return errors"]
    return _compile("build", "\n".join(lines) + "\n", namespace)  # type: ignore[no-any-return]


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
    return f"_copied({value})"


def copied(value: Any) -> Any:
    """Fresh lists and dicts, so that changing a dumped dict never reaches the frozen instance."""
    if isinstance(value, list):
        return [copied(v) for v in value]
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value


def make_dumper(cls: type, plans: Tuple[FieldPlan, ...]) -> Dumper:
    """``dump(instance)``: every field in order, containers copied, as one dict display."""
    items = [f"        {plan.name!r}: {_dumped(plan.annotation, f'c.{plan.name}')}," for plan in plans]
    source = "def dump(c):\n    return {\n" + "\n".join(items) + "\n    }\n"
    return _compile("dump", source, {"_copied": copied})  # type: ignore[no-any-return]
