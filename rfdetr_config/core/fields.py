"""How a configuration field is declared, and what each class derives from its declarations.

A field is an annotated class attribute, as in the reference. A plain default (``amp: bool = True``)
is enough when the annotation says everything; :func:`setting` adds what an annotation cannot say: a
range check (an attrs validator), a conversion that is not the type's own (paths, devices), a
default factory. At class creation every field becomes a :class:`FieldPlan`: the converter, the check
and the default, resolved once, in the reference's field order.
"""

from __future__ import annotations

import collections.abc
import inspect
import os
import re
import types
import typing
from typing import Any, Callable, Dict, List, Optional, Tuple

import attrs

from .coerce import Converter, converter_for

__all__ = [
    "FieldPlan",
    "Setting",
    "attributes_section",
    "field_descriptions",
    "inherit_settings",
    "order_like_reference",
    "plain_text",
    "plan_fields",
    "redefault",
    "setting",
]

Validator = Callable[[Any, Any, Any], None]
_KEY = "rfdetr_config"


@attrs.frozen
class Setting:
    """What :func:`setting` was given, kept so that a later release can change one part of it."""

    convert: Optional[Converter] = None
    check: Optional[Validator] = None
    default: Any = attrs.field(default=attrs.Factory(lambda: attrs.NOTHING))
    factory: Optional[Callable[[], Any]] = None
    dump: Optional[Callable[[Any], Any]] = None


def setting(
    *,
    default: Any = attrs.NOTHING,
    factory: Optional[Callable[[], Any]] = None,
    check: Optional[Validator] = None,
    convert: Optional[Converter] = None,
    dump: Optional[Callable[[Any], Any]] = None,
) -> Any:
    """Declare a field whose annotation alone does not say everything.

    Args:
        default: The value when the caller gives none. It is not validated, as in the reference.
        factory: Called for a fresh default each time, instead of ``default``.
        check: An attrs validator run on every value the caller gives.
        convert: Replaces the annotation's lax conversion (for paths, devices, legacy spellings).
        dump: How ``unstructure`` writes a stored value, where rfdetr serialises it differently
            (an enum member stored, its value dumped).

    What a field means is written once, in its class docstring's ``Attributes:`` section. The
    default is a keyword so that type checkers see it (they read field specifiers by keyword).
    """
    return attrs.field(
        default=attrs.Factory(factory) if factory is not None else default,
        validator=check,
        metadata={_KEY: Setting(convert, check, default, factory, dump)},
    )


def redefault(value: Any, default: Any) -> Any:
    """``value`` (a plain default or a :func:`setting`) with another default, keeping its check and conversion.

    A release that only changes a default (``grad_accum_steps`` 4 -> 1) must not drop the rule
    that came with the field.
    """
    found = value.metadata.get(_KEY) if hasattr(value, "metadata") else None
    if not isinstance(found, Setting):
        return default
    return setting(default=default, check=found.check, convert=found.convert, dump=found.dump)


def _setting_of(attribute: attrs.Attribute) -> Optional[Setting]:  # type: ignore[type-arg]
    found = attribute.metadata.get(_KEY)
    return found if isinstance(found, Setting) else None


def order_like_reference(cls: type, fields: List[attrs.Attribute]) -> List[attrs.Attribute]:  # type: ignore[type-arg]
    """Put fields in pydantic's order: a base's fields first, an override keeps its base's place.

    attrs would move an overridden field to the end, which would change the key order of every
    dict that ``unstructure`` writes.
    """
    order: Dict[str, int] = {}
    for klass in reversed(cls.__mro__):
        for name in inspect.get_annotations(klass):
            order.setdefault(name, len(order))
    return sorted(fields, key=lambda a: order[a.name])


def inherit_settings(cls: type, fields: List[attrs.Attribute]) -> List[attrs.Attribute]:  # type: ignore[type-arg]
    """An override keeps the check and conversion it does not replace.

    The reference attaches its checks by field name, so a subclass that writes
    ``smooth_alpha: float = 0.5`` is still held to ``[0, 1)``.
    """
    own_names = inspect.get_annotations(cls)
    out = []
    for attribute in fields:
        base = _base_attribute(cls, attribute.name) if attribute.name in own_names else None
        if base is not None:
            own, inherited = _setting_of(attribute) or Setting(), _setting_of(base) or Setting()
            validator = attribute.validator or base.validator
            merged = attrs.evolve(own, convert=own.convert or inherited.convert, dump=own.dump or inherited.dump)
            if validator is not attribute.validator or merged != own:
                attribute = attribute.evolve(validator=validator, metadata={**attribute.metadata, _KEY: merged})
        out.append(attribute)
    return out


def _base_attribute(cls: type, name: str) -> Optional[attrs.Attribute]:  # type: ignore[type-arg]
    for base in cls.__mro__[1:]:
        for attribute in getattr(base, "__attrs_attrs__", ()):
            if attribute.name == name:
                return attribute  # type: ignore[no-any-return]
    return None


class _Required:
    def __repr__(self) -> str:
        return "<required>"


REQUIRED: Any = _Required()


@attrs.frozen
class FieldPlan:
    """Everything construction needs to know about one field, computed once per class.

    Attributes:
        name: The field name.
        attribute: The attrs attribute.
        convert: Lax conversion of a given value to the field's type.
        check: The attrs validator holding the field's rule (the attribute's own), if any.
        default: The default value, :data:`REQUIRED`, or ignored when ``factory`` is set.
        factory: Makes a fresh default.
        annotation: The resolved type annotation.
        required: Whether the caller must give a value (``ModelConfig``'s architecture, ``dataset_dir``).
        by_annotation: Whether ``convert`` is the annotation's own conversion (not a special one).
        dump: How ``unstructure`` writes the stored value, if not as it is.
    """

    name: str
    attribute: attrs.Attribute  # type: ignore[type-arg]
    convert: Converter
    check: Optional[Validator]
    default: Any
    factory: Optional[Callable[[], Any]]
    annotation: Any
    required: bool
    by_annotation: bool
    dump: Optional[Callable[[Any], Any]] = None

    def make_default(self) -> Any:
        """The default, fresh for mutable values so that no two instances share a list."""
        if self.factory is not None:
            return self.factory()
        if isinstance(self.default, list):
            return list(self.default)
        return self.default


def plan_fields(cls: type) -> Tuple[FieldPlan, ...]:
    """Derive the plan of every field of an attrs class."""
    fields = attrs.fields(cls)
    if any(isinstance(a.type, str) for a in fields):
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
    plans = []
    for attribute in fields:
        found = _setting_of(attribute)
        annotation = attribute.type
        special = found.convert if found is not None else None
        by_annotation = special is None
        convert = converter_for(annotation) if special is None else special
        default = attribute.default
        factory = None
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            factory = default.factory
            default = REQUIRED
        elif default is attrs.NOTHING:
            default = REQUIRED
        required = default is REQUIRED and factory is None
        plans.append(
            FieldPlan(
                attribute.name,
                attribute,
                convert,
                attribute.validator,
                default,
                factory,
                annotation,
                required,
                by_annotation,
                found.dump if found is not None else None,
            )
        )
    return tuple(plans)


def attributes_section(doc: str) -> Dict[str, str]:
    """Parse a Google-style ``Attributes:`` section into name -> one-paragraph description."""
    found: Dict[str, str] = {}
    lines = inspect.cleandoc(doc).splitlines()
    try:
        start = lines.index("Attributes:") + 1
    except ValueError:
        return found
    current = None
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        text = line.strip()
        if line.startswith("    ") and not line.startswith("     ") and ":" in text:
            current, _, rest = text.partition(":")
            found[current] = rest.strip()
        elif current is not None and text:
            found[current] += " " + text
    return found


def field_descriptions(cls: type) -> Dict[str, str]:
    """What each field means, from the nearest class docstring that describes it.

    The docstrings are the single source: the API reference, the JSON Schema and ``show`` read them.
    """
    out: Dict[str, str] = {}
    for klass in cls.__mro__:
        for name, text in attributes_section(klass.__doc__ or "").items():
            out.setdefault(name, text)
    return out


_ROLE = re.compile(r":[\w:.-]+:`~?([^`<]*?)\s*(?:<[^`>]*>)?`")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`<]+?)\s*<[^`>]*>`__?")
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}(\S(?:.*?\S)?)\*{1,2}(?![\w*])")


def plain_text(text: str) -> str:
    """ReST inline markup as plain text, for where no one renders it (a terminal, a JSON Schema).

    ````"auto"```` becomes ``"auto"``, ``:class:`~a.MultiScale``` becomes ``MultiScale``, a link its text.
    """
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1] if m.group(0).count("~") else m.group(1), text)
    text = _LITERAL.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub(r"\1", text)


def annotation_text(annotation: Any) -> str:
    """A field's type as a person reads it: ``Optional[List[float]]``, ``Union[str, PathLike, None]``."""
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return repr(annotation).replace("typing.", "")
    if origin is os.PathLike:
        return "PathLike"
    if origin is collections.abc.Callable:
        parameters = "..." if args[0] is Ellipsis else f"[{', '.join(annotation_text(a) for a in args[0])}]"
        return f"Callable[{parameters}, {annotation_text(args[-1])}]"
    if origin in (typing.Union, types.UnionType):
        if len(args) == 2 and type(None) in args:
            return f"Optional[{annotation_text(next(a for a in args if a is not type(None)))}]"
        return f"Union[{', '.join(annotation_text(a) for a in args)}]"
    if origin is not None:
        name = {list: "List", dict: "Dict", tuple: "Tuple"}.get(origin, getattr(origin, "__name__", repr(origin)))
        return f"{name}[{', '.join(annotation_text(a) for a in args)}]"
    return repr(annotation).replace("typing.", "")
