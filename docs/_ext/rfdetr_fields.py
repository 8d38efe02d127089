"""The ``rfdetr-fields`` directive: a configuration class and its fields, read from the class itself.

Usage, one line per class::

    .. rfdetr-fields:: rfdetr_config.TrainConfig

The class is named by import path, so the same directive documents any set of classes declared the
same way (there is one set per rfdetr release); a page for another set is a list of these lines.

A class whose base has no fields (``ModelConfig``, ``TrainConfig``) gets every field as a
``py:attribute``: a link target that ``:attr:`` roles, the index and the search find, showing the
field's type, default, rule and meaning. A variant gets only what differs from its base: a narrow
table of the fields whose default, type, rule or meaning it changes (each row a link target of its
own, such as ``RFDETRNanoConfig.resolution``), full entries for fields the base does not have, and
links to the base and to the full list. Each field is therefore described once, where it first appears.

Everything shown is read from what the package runs on (the attrs fields, the validators' own
descriptions of their rules, the docstrings' ``Attributes:`` sections), so the reference cannot
drift from the code. The rest of the class docstring is rendered as autodoc would render it.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import attrs
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.napoleon.docstring import GoogleDocstring
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from rfdetr_config.checks.validators import describe_check
from rfdetr_config.core.fields import field_descriptions

_STATIC = Path(__file__).with_name("rfdetr_fields_static")
_FACTORIES_SHOWN_BY_VALUE = (list, dict, set, tuple)
_INLINE_LITERAL = re.compile(r"(``.+?``)")


@dataclass(frozen=True)
class FieldFacts:
    """What the reference says about one field of one class.

    Attributes:
        name: The field name.
        type: The annotation, written as a user would write it (``int | None``).
        default: The default as Python source, or ``None`` when it is required or computed.
        default_note: How a computed default is chosen (the factory's docstring), else "".
        rule: The range rule, as the validator describes it, else "".
        meaning: The field's meaning, from the nearest class docstring that describes it.
    """

    name: str
    type: str
    default: Optional[str]
    default_note: str
    rule: str
    meaning: str

    @property
    def required(self) -> bool:
        """Whether the caller must give a value (no default, not computed)."""
        return self.default is None and not self.default_note


def type_text(annotation: Any) -> str:
    """An annotation in the spelling users write since Python 3.10: ``list[int] | None``.

    The reference and the package spell ``Optional[List[int]]``; the new spelling is shorter, so long
    unions still fit the signature line, and Sphinx links each name in it.
    """
    if annotation is type(None):
        return "None"
    if annotation is Any:
        return "Any"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(type_text(arg) for arg in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(arg) for arg in args)}]"
    if origin is not None:
        return f"{type_text(origin)}[{', '.join(type_text(arg) for arg in args)}]"
    if isinstance(annotation, type):
        if annotation.__module__ == "builtins":
            return annotation.__qualname__
        return f"{annotation.__module__}.{annotation.__qualname__}"
    return repr(annotation)


def _first_paragraph(doc: Optional[str]) -> str:
    return " ".join(inspect.cleandoc(doc or "").split("\n\n")[0].split())


def field_facts(cls: type) -> dict[str, FieldFacts]:
    """Every field of ``cls``, in declaration order, from its attrs fields and docstrings."""
    attrs.resolve_types(cls)
    meanings = field_descriptions(cls)
    facts = {}
    for field in attrs.fields(cls):
        default, note = _default_text(field.default)
        facts[field.name] = FieldFacts(
            name=field.name,
            type=type_text(field.type),
            default=default,
            default_note=note,
            rule=describe_check(field.validator),
            meaning=meanings.get(field.name, ""),
        )
    return facts


def _default_text(default: Any) -> tuple[Optional[str], str]:
    """The default as source text, or the factory's own account of how it picks one."""
    if default is attrs.NOTHING:
        return None, ""
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.factory in _FACTORIES_SHOWN_BY_VALUE:
            return repr(default.factory()), ""
        return None, _first_paragraph(default.factory.__doc__)
    return repr(default), ""


def _escape(text: str) -> str:
    """Keep docstring prose from turning into links the author did not write.

    docutils makes a mailto link of anything shaped like ``name@host`` (``OKS@75``); an escaped ``@``
    is plain text. Inline literals are left alone, since a backslash would show there.
    """
    parts = _INLINE_LITERAL.split(text)
    return "".join(part if index % 2 else part.replace("@", "\\@") for index, part in enumerate(parts))


def _without_attributes(doc: str) -> list[str]:
    """The docstring's lines minus its ``Attributes:`` section, which the field entries replace."""
    out: list[str] = []
    skipping = False
    for line in inspect.cleandoc(doc).splitlines():
        if line.strip() == "Attributes:" and not line.startswith(" "):
            skipping = True
            continue
        if skipping and line and not line.startswith(" "):
            skipping = False
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _config_base(cls: type) -> Optional[type]:
    """The nearest base that has fields; ``None`` for a root such as ``TrainConfig``."""
    return next((base for base in cls.__mro__[1:] if attrs.has(base) and attrs.fields(base)), None)


def _home(cls: type, name: str) -> type:
    """The class where field ``name`` first appears, whose entry describes it in full."""
    return next(klass for klass in reversed(cls.__mro__) if attrs.has(klass) and name in attrs.fields_dict(klass))


def _literal(source: Optional[str]) -> str:
    return "*required*" if source is None else f"``{source}``"


def _row(cells: list[str]) -> list[str]:
    """One row of a ``list-table``, a line per cell."""
    return [f"   {'*' if index == 0 else ' '} - {cell}" for index, cell in enumerate(cells)]


def _settings(facts: FieldFacts) -> tuple[Any, ...]:
    """What a variant can change about a field: its type, default and rule (its meaning is told apart)."""
    return (facts.type, facts.default, facts.default_note, facts.rule)


class ConfigClass(SphinxDirective):
    """Render the configuration class named by the argument's import path, with its fields."""

    required_arguments = 1
    has_content = False
    option_spec = {"secondary": directives.flag}

    def run(self) -> list[nodes.Node]:
        """The class entry, with its field entries or its changes nested inside."""
        self.module, _, name = self.arguments[0].rpartition(".")
        try:
            self.cls = getattr(importlib.import_module(self.module), name)
        except (ImportError, AttributeError, ValueError) as error:
            raise self.error(f"rfdetr-fields: cannot import {self.arguments[0]!r}: {error}") from error
        if not attrs.has(self.cls):
            raise self.error(f"rfdetr-fields: {self.arguments[0]!r} is not an attrs class")
        self.base = _config_base(self.cls)
        self.facts = field_facts(self.cls)
        self.changed: list[str] = []
        self.secondary = "secondary" in self.options
        lines = [f".. py:class:: {name}(**fields)", f"   :module: {self.module}"]
        lines += ["   :no-index-entry:", ""] if self.secondary else [""]
        lines += [f"   {line}" if line else "" for line in self._class_text()]
        container = nodes.container()
        source, line = self.get_source_info()  # problems in the generated text point at the directive
        self.state.nested_parse(
            StringList(lines, items=[(source, line - 1)] * len(lines)), self.content_offset, container
        )
        self._register_changed_rows(container)
        return list(container.children)

    def _class_text(self) -> list[str]:
        docstring = GoogleDocstring(
            _without_attributes(self.cls.__doc__ or ""),
            self.config,
            what="class",
            name=self.arguments[0],
            obj=self.cls,
        )
        lines = [_escape(line) for line in docstring.lines()]
        base = self.cls.__mro__[1]
        lines += ["", f"Bases: :class:`~{self._path_of(base)}`", ""]
        if self.base is None:
            lines += ["Every field, with its type, default, rule and meaning:", ""]
            for facts in self.facts.values():
                lines += self._entry(facts)
            return lines
        base_facts = field_facts(self.base)
        shared = [name for name in self.facts if name in base_facts]
        self.changed = [name for name in shared if _settings(self.facts[name]) != _settings(base_facts[name])]
        if self.changed:
            lines += self._changes_table(base_facts)
        described = [
            name
            for name in shared
            if name not in self.changed and self._own_account(self.facts[name], base_facts[name])
        ]
        if described:  # the same field, said differently for this class: not a change, so not in the table
            lines += [f"What {self.cls.__name__} says of a field its base also has:", ""]
            lines += [f"* ``{name}``: {_escape(self.facts[name].meaning)}" for name in described]
            lines.append("")
        own = [facts for name, facts in self.facts.items() if name not in base_facts]
        if own:
            lines += [".. rubric:: Fields of its own", ""]
            for facts in own:
                lines += self._entry(facts)
        root = _home(self.cls, next(iter(self.facts)))
        if root is self.base:
            lines.append(
                f"Every other field is as in :class:`~{self._path_of(root)}`, which lists each one with its "
                "type, rule and meaning."
            )
        else:
            lines.append(
                f"Every other field is as in :class:`~{self._path_of(self.base)}`. All fields, with type, rule "
                f"and meaning: :class:`~{self._path_of(root)}`."
            )
        lines.append("")
        return lines

    def _entry(self, facts: FieldFacts) -> list[str]:
        """A ``py:attribute`` entry: the signature carries type and default, the body the rest."""
        lines = [f".. py:attribute:: {facts.name}", f"   :type: {facts.type}"]
        if self.secondary:  # the main page's entry is the one the index and the search give
            lines.append("   :no-index:")
        if facts.default is not None:
            lines.append(f"   :value: {facts.default}")
        notes = [_escape(facts.meaning) if facts.meaning else "(No description.)"]
        if facts.required:
            notes.append("**Required.**")
        if facts.default_note:
            notes.append(f"**Default:** {_escape(facts.default_note)}")
        if facts.rule:
            notes.append(f"**Rule:**\N{NO-BREAK SPACE}``{facts.rule}``")  # the label stays with its rule
        return [*lines, "", "   " + " ".join(notes), ""]

    def _changes_table(self, base_facts: dict[str, FieldFacts]) -> list[str]:
        """A narrow table of the fields the variant changes: default here, default in the base, why.

        Changed types and rules follow as a list: a narrowed ``Literal`` is too long for a cell of a
        table that must fit the content column.
        """
        assert self.base is not None
        base_name = self.base.__name__
        why = {name: self._own_account(self.facts[name], base_facts[name]) for name in self.changed}
        headers = ["field", "default here", f"in {base_name}"]
        if any(why.values()):
            headers.append("why")
        lines = [
            f"What differs from :class:`~{self._path_of(self.base)}`:",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :class: rfdetr-changes",
            "",
            *_row(headers),
        ]
        for name in self.changed:
            cells = [
                self._field_link(name),
                _literal(self.facts[name].default),
                _literal(base_facts[name].default),
            ]
            if len(headers) == 4:
                cells.append(why[name])
            lines += _row(cells)
        lines.append("")
        for name in self.changed:
            here, there = self.facts[name], base_facts[name]
            if here.type != there.type:
                lines.append(f"* ``{name}`` is declared ``{here.type}`` (in {base_name}: ``{there.type}``).")
            if here.rule != there.rule:
                lines.append(
                    f"* ``{name}`` has the rule ``{here.rule or 'none'}`` (in {base_name}: ``{there.rule or 'none'}``)."
                )
        return [*lines, ""]

    @staticmethod
    def _own_account(here: FieldFacts, there: FieldFacts) -> str:
        """The variant's own description of a field, when it says something its base does not."""
        return _escape(here.meaning) if here.meaning and here.meaning != there.meaning else ""

    def _field_link(self, name: str) -> str:
        """A field's name, linked to the entry that describes it.

        On a secondary page that is the main pages' entry (the package's own class), where it has the field.
        """
        home = _home(self.cls, name)
        if not self.secondary:
            return f":attr:`{name} <{self._path_of(home)}.{name}>`"
        package = importlib.import_module(self.module.partition(".")[0])
        main = getattr(package, home.__name__, None)
        if main is not None and name in attrs.fields_dict(main):
            return f":attr:`{name} <{package.__name__}.{home.__name__}.{name}>`"
        return f"``{name}``"

    def _path_of(self, cls: type) -> str:
        """The import path readers use: the documented module's name if it exports the class."""
        module = importlib.import_module(self.module)
        if getattr(module, cls.__name__, None) is cls:
            return f"{self.module}.{cls.__name__}"
        package = importlib.import_module(self.module.partition(".")[0])
        if getattr(package, cls.__name__, None) is cls:
            return f"{package.__name__}.{cls.__name__}"
        return f"{cls.__module__}.{cls.__qualname__}"

    def _register_changed_rows(self, container: nodes.Element) -> None:
        """Make each row of the changes table the link target of that field on this class.

        Rows are not directives, so they are registered with the Python domain by hand, as
        ``py:attribute`` would: ``:attr:`RFDETRNanoConfig.resolution``` and the index then find them.
        """
        if not self.changed or self.secondary:
            return
        table = next(iter(container.findall(lambda n: isinstance(n, nodes.table) and "rfdetr-changes" in n["classes"])))
        rows = list(next(iter(table.findall(nodes.tbody))).children)
        domain = self.env.get_domain("py")  # works on every Sphinx the docs extra allows (>= 7)
        for name, row in zip(self.changed, rows, strict=True):
            fullname = f"{self.module}.{self.cls.__name__}.{name}"
            node_id = make_id(self.env, self.state.document, "", fullname)
            row["ids"].append(node_id)
            self.state.document.note_explicit_target(row)
            domain.note_object(fullname, "attribute", node_id, location=row)  # type: ignore[attr-defined]
            index = addnodes.index(
                entries=[("single", f"{name} ({fullname[: -len(name) - 1]} attribute)", node_id, "", None)]
            )
            row.children[0].insert(0, index)


def _add_static_path(app: Sphinx) -> None:
    """Serve the style sheet from next to the extension, whatever the site's own static path."""
    app.config.html_static_path.append(str(_STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and its style sheet; it reads only the classes, so parallel builds are safe.

    The style sheet ships with the extension so that a site using the directive needs no setup of its own.
    """
    app.setup_extension("sphinx.ext.napoleon")  # class docstrings are Google style
    app.add_directive("rfdetr-fields", ConfigClass)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("rfdetr_fields.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
