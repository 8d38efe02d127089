"""Releases as declarations: each rfdetr release's classes, written as what changed since the one before.

rfdetr 1.8.1 is declared in full; every later release names only the classes it changed, each as a
:class:`Revision` of the same name that adds, overrides or removes fields, or replaces the class's
rules. A declaration is a plain Python class, cheap to create: reading every release's
declarations builds nothing. :func:`build_class` turns one into the frozen attrs class on first use,
one class (and its bases) at a time, through :func:`~rfdetr_config.core.build.config_class`, the one
mechanism every release shares.

A declaration class may set, besides its annotated fields:

``rules``
    The class's own rules across fields (base-class rules run first). A revision that does not set
    it keeps the previous release's rules.
``input_rules``
    The class's own rules on the input dict, run before any field is converted (subclass rules
    first, as pydantic runs "before" model validators). Kept by a revision that does not set it.
``unknown_keys``
    What rfdetr does with a key that is no field: ``"forbid"`` or ``"ignore"`` (kept from the base
    class, and by a revision, when not set).
``removed``
    Field names the release dropped.
``after``
    For a field a release added, the field it follows (rfdetr inserts new fields mid-class, and the
    field order is the key order of every dump). Without it, a new field goes last.

A field a revision redeclares with a plain default keeps its check and conversion. A revision's
``Attributes:`` section may also describe a field anew without redeclaring it.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

import attrs

from ..core.build import BaseConfig, InputRule, Rule, config_class
from ..core.fields import attributes_section, redefault
from .registry import group_of

__all__ = [
    "CLASS_LISTENERS",
    "ClassDecl",
    "Declaration",
    "FieldDecl",
    "Release",
    "Revision",
    "build_class",
    "built_classes",
]

CLASS_LISTENERS: List[Callable[[type], None]] = []
"""Called with each configuration class as it is built. The Hypothesis strategies listen here, so that
``st.from_type`` draws valid instances of classes built after they were loaded, and no release is
built just to be registered."""

_BUILT: List[type] = []


class Declaration:
    """The base of a class declared in full; the Python base class is the configuration base class."""


class Revision:
    """The base of a release's changes to the class of the same name in the release before it."""


@attrs.frozen
class FieldDecl:
    """One field as a class declares it.

    Attributes:
        name: The field name.
        annotation: Its type, as rfdetr annotates it.
        value: The default, a :func:`~rfdetr_config.core.fields.setting`, or ``attrs.NOTHING`` when required.
        doc: What the field means, from the declaring class's docstring ("" to keep the base's).
    """

    name: str
    annotation: Any
    value: Any
    doc: str


@attrs.frozen
class ClassDecl:
    """One configuration class of one release: its own fields (new and overridden) and rules.

    Attributes:
        name: rfdetr's class name.
        base: The name of its base class in the same release, or None for a root class.
        summary: The docstring without its ``Attributes:`` section.
        fields: The fields the class declares itself, in order; the rest come from ``base``.
        rules: Its own rules across fields, run after its bases' rules.
        input_rules: Its own rules on the input dict, run before its bases' input rules.
        unknown_keys: What rfdetr does with unknown keys (``"forbid"``, ``"ignore"``), or None for
            its base's policy.
    """

    name: str
    base: Optional[str]
    summary: str
    fields: Tuple[FieldDecl, ...]
    rules: Tuple[Rule, ...]
    input_rules: Tuple[InputRule, ...] = ()
    unknown_keys: Optional[str] = None

    def docstring(self) -> str:
        """The built class's docstring: the summary, then each declared field's meaning."""
        described = [f for f in self.fields if f.doc]
        if not described:
            return self.summary
        lines = [self.summary, "", "Attributes:"]
        lines += [f"    {f.name}: {f.doc}" for f in described]
        return "\n".join(lines)

    def revised(self, change: type) -> ClassDecl:
        """This class as the :class:`Revision` ``change`` revises it."""
        removed = set(change.__dict__.get("removed", ()))
        unknown = removed - {f.name for f in self.fields}
        if unknown:
            raise ValueError(f"{change.__qualname__} removes fields {self.name} does not declare: {sorted(unknown)}")
        fields = [f for f in self.fields if f.name not in removed]
        after: Mapping[str, str] = change.__dict__.get("after", {})
        for new in _own_fields(change):
            names = [f.name for f in fields]
            if new.name in names:
                old = fields[names.index(new.name)]
                value = new.value if _is_setting(new.value) else redefault(old.value, new.value)
                fields[names.index(new.name)] = attrs.evolve(new, value=value, doc=new.doc or old.doc)
            elif new.name in after:
                fields.insert(names.index(after[new.name]) + 1, new)
            else:
                fields.append(new)
        docs = attributes_section(change.__dict__.get("__doc__") or "")
        redeclared = set(inspect.get_annotations(change))
        fields = [
            attrs.evolve(f, doc=docs[f.name]) if f.name in docs and f.name not in redeclared else f for f in fields
        ]
        rules = tuple(change.__dict__.get("rules", self.rules))
        input_rules = tuple(change.__dict__.get("input_rules", self.input_rules))
        unknown_keys = change.__dict__.get("unknown_keys", self.unknown_keys)
        return attrs.evolve(self, fields=tuple(fields), rules=rules, input_rules=input_rules, unknown_keys=unknown_keys)


def _is_setting(value: Any) -> bool:
    return value is attrs.NOTHING or hasattr(value, "metadata")


def _summary(declaration: type) -> str:
    doc = declaration.__dict__.get("__doc__") or ""
    lines = inspect.cleandoc(doc).splitlines()
    if "Attributes:" in lines:
        lines = lines[: lines.index("Attributes:")]
    return "\n".join(lines).strip()


def _own_fields(declaration: type) -> List[FieldDecl]:
    docs = attributes_section(declaration.__dict__.get("__doc__") or "")
    return [
        FieldDecl(name, annotation, declaration.__dict__.get(name, attrs.NOTHING), docs.get(name, ""))
        for name, annotation in inspect.get_annotations(declaration).items()
    ]


def _declared(declaration: type) -> ClassDecl:
    parent = declaration.__mro__[1]
    return ClassDecl(
        name=declaration.__name__,
        base=None if parent is Declaration else parent.__name__,
        summary=_summary(declaration),
        fields=tuple(_own_fields(declaration)),
        rules=tuple(declaration.__dict__.get("rules", ())),
        input_rules=tuple(declaration.__dict__.get("input_rules", ())),
        unknown_keys=declaration.__dict__.get("unknown_keys"),
    )


@attrs.frozen
class Release:
    """The configuration classes of one or more rfdetr releases that behave alike.

    Attributes:
        name: The first release with these classes, e.g. ``"1.9.0"``.
        classes: Each class's declaration, in rfdetr's order (a base before its subclasses).
        extras: The other public names of that release's ``rfdetr.config`` (enums, type aliases).
    """

    name: str
    classes: Tuple[ClassDecl, ...]
    extras: Mapping[str, Any] = attrs.field(factory=dict)

    @classmethod
    def declare(cls, name: str, declarations: Iterable[type], **extras: Any) -> Release:
        """A release declared in full, from declaration classes in rfdetr's order."""
        return cls(name, tuple(_declared(d) for d in declarations), dict(extras))

    def revise(self, name: str, *changes: type, **extras: Any) -> Release:
        """The next release: this one with each change applied to the class it subclasses.

        Args:
            name: The new release's number.
            changes: :class:`Revision` subclasses named after the classes they change.
            extras: Public names the new release adds or replaces.
        """
        classes = {decl.name: decl for decl in self.classes}
        for change in changes:
            if not issubclass(change, Revision) or change.__name__ not in classes:
                raise ValueError(f"{change.__qualname__} revises no class of release {self.name}")
            classes[change.__name__] = classes[change.__name__].revised(change)
        return Release(name, tuple(classes.values()), {**self.extras, **extras})

    def get(self, name: str) -> ClassDecl:
        """The declaration of class ``name``."""
        for decl in self.classes:
            if decl.name == name:
                return decl
        raise KeyError(name)

    @property
    def covers(self) -> Tuple[str, ...]:
        """Every release number with exactly these classes, oldest first (from the registry)."""
        return group_of(self.name).releases

    @property
    def class_names(self) -> Tuple[str, ...]:
        """The class names, in rfdetr's order."""
        return tuple(decl.name for decl in self.classes)


def build_class(release: Release, name: str, module: str, built: Dict[str, Any]) -> type:
    """The attrs class ``name`` of ``release``, building its bases first; ``built`` caches them.

    The class's ``__module__`` is ``module``, the release's public module, so that it pickles and
    prints as ``rfdetr_config.releases.v1_9_0.TrainConfig``.
    """
    found = built.get(name)
    if isinstance(found, type):
        return found
    decl = release.get(name)
    base = BaseConfig if decl.base is None else build_class(release, decl.base, module, built)
    namespace: Dict[str, Any] = {
        "__module__": module,
        "__qualname__": name,
        "__doc__": decl.docstring(),
        "__annotations__": {f.name: f.annotation for f in decl.fields},
    }
    namespace.update((f.name, f.value) for f in decl.fields if f.value is not attrs.NOTHING)
    decorate = config_class(rules=decl.rules, input_rules=decl.input_rules, unknown_keys=decl.unknown_keys)
    cls: type = decorate(type(name, (base,), namespace))
    cls.__rfdetr_release__ = release.name  # type: ignore[attr-defined]
    built[name] = cls
    _BUILT.append(cls)
    for listener in CLASS_LISTENERS:
        listener(cls)
    return cls


def built_classes() -> Tuple[type, ...]:
    """Every configuration class built so far, of every release, in the order built."""
    return tuple(_BUILT)
