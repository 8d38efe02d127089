"""What changed between two rfdetr releases, computed from their declarations.

Nothing here is written by hand: every difference comes from comparing the two releases' declared
classes, field by field (added, removed, moved, default, type, check, conversion) and rule by rule.
So the list cannot drift from what the classes do, and the documentation's "what changed" pages and
the migration of configurations read the same facts. Reading the declarations builds no class.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Iterable, List, Literal, Optional, Tuple, Type, Union

import attrs

from ..checks.enums import plain_value
from ..checks.validators import describe_check
from ..core.build import BaseConfig, suggest
from ..core.fields import annotation_text, plain_text
from . import declared, module_name
from .release import Release

__all__ = [
    "Change",
    "ChangeKind",
    "ClassNamed",
    "EffectiveField",
    "changes",
    "check_class_name",
    "effective_fields",
    "name_of_class",
    "same_default",
]

ChangeKind = Literal[
    "class added",
    "class removed",
    "field added",
    "field removed",
    "field moved",
    "default",
    "type",
    "check",
    "conversion",
    "rule added",
    "rule removed",
    "input rule added",
    "input rule removed",
]


@attrs.frozen
class Change:
    """One declared difference between two releases.

    Attributes:
        class_name: The configuration class it concerns.
        field: The field, or None for a change of the class or of its rules.
        kind: What kind of difference it is.
        old: What the older release had (a default, a type, a rule), or None.
        new: What the newer release has, or None.
        note: What else a reader needs: where an added field sits, what a rule does.
    """

    class_name: str
    field: Optional[str]
    kind: ChangeKind
    old: Any = None
    new: Any = None
    note: str = ""

    @property
    def message(self) -> str:
        """The change in one sentence of plain words, without function names, reST or Python reprs."""
        where = f"{self.class_name}.{self.field}" if self.field else self.class_name
        return f"{where}: {self.words}"

    @property
    def words(self) -> str:
        """What changed, without naming the class and field (``now must be >= 0.0``)."""
        note = f" ({plain_text(self.note)})" if self.note else ""
        if self.kind == "field added":
            return f"added, default {_text(self.new)}{note}"
        if self.kind == "field removed":
            return f"removed (default was {_text(self.old)})"
        if self.kind in ("class added", "class removed"):
            return self.kind
        if self.kind.endswith(("rule added", "rule removed")):
            what = "input rule" if self.kind.startswith("input") else "rule"
            said = plain_text(self.note) or str(self.new if self.kind.endswith("added") else self.old)
            return f"new {what}: {said}" if self.kind.endswith("added") else f"{what} dropped: {said}"
        if self.kind == "check":
            old, new = describe_check(self.old), describe_check(self.new)
            if not new:
                return f"no longer checked (was: must be {old})"
            return f"now must be {new}" + (f" (was: {old})" if old else "")
        if self.kind == "conversion":
            new, old = (plain_text(v) if v else "as its type says" for v in (self.new, self.old))
            return f"read differently: {new}" + ("" if new == old else f" (was: {old})")
        if self.kind == "field moved":
            return f"moved from position {self.old} to {self.new}"
        old, new = (_text(v) if self.kind == "default" else str(v) for v in (self.old, self.new))
        return f"{self.kind} {old} -> {new}{note}"

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class EffectiveField:
    """A field as a class of a release ends up with it, inherited parts included.

    Attributes:
        name: The field name.
        annotation: Its type.
        default: Its default (a fresh value where a factory makes it), or ``attrs.NOTHING`` if required.
        check: The validator holding its rule, if any.
        convert: Its special conversion, if any (else the annotation's own).
    """

    name: str
    annotation: Any
    default: Any
    check: Any
    convert: Any


def _setting(value: Any) -> Any:
    return value.metadata.get("rfdetr_config") if hasattr(value, "metadata") else None


def effective_fields(release: Release, class_name: str) -> Dict[str, EffectiveField]:
    """Every field of ``class_name`` in ``release``, in order, as the class is built from its declarations."""
    decl = release.get(class_name)
    fields = effective_fields(release, decl.base) if decl.base else {}
    for own in decl.fields:
        found = _setting(own.value)
        previous = fields.get(own.name)
        if found is not None:
            default = found.factory() if found.factory is not None else found.default
            check, convert = found.check, found.convert
        else:
            default = own.value
            check = previous.check if previous else None
            convert = previous.convert if previous else None
        fields[own.name] = EffectiveField(own.name, own.annotation, default, check, convert)
    return fields


def _rules(release: Release, class_name: str, attribute: str) -> Tuple[Any, ...]:
    decl = release.get(class_name)
    inherited = _rules(release, decl.base, attribute) if decl.base else ()
    own: Tuple[Any, ...] = getattr(decl, attribute)
    return inherited + own if attribute == "rules" else own + inherited


def _doc(function: Any) -> str:
    doc = (getattr(function, "__doc__", None) or "").strip().splitlines()
    return doc[0].rstrip(".") if doc else ""


class _Required:
    def __repr__(self) -> str:
        return "required"


def _shown(value: Any) -> Any:
    return _Required() if value is attrs.NOTHING else value


def _text(value: Any) -> str:
    """A declared value as rfdetr's file would hold it: an enum member as its value."""
    return repr(plain_value(_shown(value)))


def _class_changes(old: Release, new: Release, name: str) -> List[Change]:
    out: List[Change] = []
    before, after = effective_fields(old, name), effective_fields(new, name)
    out += [Change(name, f, "field removed", before[f].default) for f in before if f not in after]
    kept_before = [f for f in before if f in after]
    kept_after = [f for f in after if f in before]
    for field in after:
        if field not in before:
            position = list(after).index(field)
            place = f"after {list(after)[position - 1]}" if position else "first"
            rule = describe_check(after[field].check)
            note = f"{place}; must be {rule}" if rule else place
            out.append(Change(name, field, "field added", None, after[field].default, note))
            continue
        a, b = before[field], after[field]
        if kept_before.index(field) != kept_after.index(field):
            out.append(Change(name, field, "field moved", kept_before.index(field), kept_after.index(field)))
        if a.annotation != b.annotation:
            out.append(Change(name, field, "type", annotation_text(a.annotation), annotation_text(b.annotation)))
        if not same_default(a.default, b.default):
            out.append(Change(name, field, "default", a.default, b.default))
        if a.check != b.check:
            out.append(Change(name, field, "check", a.check, b.check))
        if a.convert is not b.convert:
            out.append(Change(name, field, "conversion", _label(a.convert), _label(b.convert)))
    for attribute, kind in (("input_rules", "input rule"), ("rules", "rule")):
        old_rules, new_rules = _rules(old, name, attribute), _rules(new, name, attribute)
        out += [
            Change(name, None, f"{kind} removed", r.__name__, None, _doc(r))  # type: ignore[arg-type]
            for r in old_rules
            if r not in new_rules
        ]
        out += [
            Change(name, None, f"{kind} added", None, r.__name__, _doc(r))  # type: ignore[arg-type]
            for r in new_rules
            if r not in old_rules
        ]
    return out


def same_default(a: Any, b: Any) -> bool:
    """Whether two defaults are the same: equal and of one type (``1`` is not the default ``1.0``)."""
    return type(a) is type(b) and bool(a == b)


def _label(convert: Any) -> Optional[str]:
    """A conversion as its docstring's first line says it; a wrapper (``optional``) as what it wraps."""
    if convert is None:
        return None
    doc = (convert.__doc__ or "").strip().splitlines()
    if doc:
        return doc[0].rstrip(".")
    for cell in getattr(convert, "__closure__", None) or ():
        inner = cell.cell_contents
        if callable(inner) and not isinstance(inner, type):
            found = _label(inner)
            if found:
                return found
    return getattr(convert, "__name__", repr(convert))


_release = declared


@functools.cache
def _between(source: str, target: str) -> Tuple[Change, ...]:
    old, new = _release(source), _release(target)
    if old is new:
        return ()
    out: List[Change] = []
    out += [Change(n, None, "class removed") for n in old.class_names if n not in new.class_names]
    out += [Change(n, None, "class added") for n in new.class_names if n not in old.class_names]
    for name in new.class_names:
        if name in old.class_names:
            out += _class_changes(old, new, name)
    return tuple(out)


ClassNamed = Union[str, Type[BaseConfig]]
"""A configuration class, by rfdetr's name of it or as a class of any release."""


def name_of_class(named: Any) -> Any:
    """The name of a class given as a class (of any release), or what was given, to be checked as a name."""
    if isinstance(named, type) and issubclass(named, BaseConfig):
        return named.__name__
    return named


def changes(source: str, target: str, class_name: Optional[ClassNamed] = None) -> Tuple[Change, ...]:
    """Every declared difference from rfdetr release ``source`` to ``target`` (either may be older).

    Computed once per pair of releases. Releases that share their classes have no differences.

    Args:
        source: The release a configuration comes from, e.g. ``"1.8.1"``.
        target: The release it goes to.
        class_name: Only this class's changes: rfdetr's class name, or the class itself (of any release).

    Raises:
        ValueError: A release is not supported, or no class of either release has that name.
    """
    for release in (source, target):
        module_name(release)  # an unsupported release is a ValueError naming the supported ones
    if class_name is None:
        return _between(source, target)
    name = name_of_class(class_name)
    if not isinstance(name, str):  # refused here: the cache below needs a name it can hash
        check_class_name(name, (source, target))
    return _of_class(source, target, name)


@functools.cache
def _of_class(source: str, target: str, class_name: str) -> Tuple[Change, ...]:
    check_class_name(class_name, (source, target))
    return tuple(c for c in _between(source, target) if c.class_name == class_name)


def check_class_name(class_name: object, releases: Iterable[str]) -> None:
    """Refuse a name that no class of ``releases`` has, suggesting the nearest one.

    Raises:
        ValueError: No class of any of ``releases`` is called ``class_name``.
    """
    releases = tuple(releases)
    names = {name for release in releases for name in _release(release).class_names}
    if not isinstance(class_name, str) or class_name not in names:
        hint = suggest(class_name, names) if isinstance(class_name, str) else None
        extra = f"; did you mean {hint!r}?" if hint else ""
        raise ValueError(f"no configuration class {class_name!r} in rfdetr {' or '.join(releases)}{extra}")
