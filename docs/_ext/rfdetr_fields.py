"""A Sphinx directive that tabulates a configuration class's fields from the code itself.

``.. rfdetr-fields:: TrainConfig`` renders one row per field: name, type, default, rule and meaning,
read from the same field plans, validators and docstrings the package runs on, so it cannot drift.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

import rfdetr_config
from rfdetr_config.fields import annotation_text, field_descriptions
from rfdetr_config.validators import describe_check


def _default(plan: Any) -> str:
    if plan.required:
        return "required"
    if plan.name == "device":
        return "'cpu' (the accelerator torch reports, when torch is loaded)"
    return repr(plan.make_default())


class FieldsTable(Directive):
    """Render the fields of the class named in the argument."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """One table node for the class."""
        cls = getattr(rfdetr_config, self.arguments[0])
        described = field_descriptions(cls)
        headers = ("field", "type", "default", "rule", "meaning")
        table = nodes.table(classes=["rfdetr-fields"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (18, 18, 14, 12, 38):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row(headers)
        body = nodes.tbody()
        group += body
        for plan in cls.__rfdetr_plan__:
            cells = (
                plan.name,
                annotation_text(plan.annotation),
                _default(plan),
                describe_check(plan.check),
                described.get(plan.name, ""),
            )
            body += self._row(cells, literal=(0, 2))
        return [table]

    @staticmethod
    def _row(cells: tuple[str, ...], literal: tuple[int, ...] = ()) -> nodes.row:
        row = nodes.row()
        for index, text in enumerate(cells):
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += nodes.literal(text=text) if index in literal else nodes.Text(text.replace("``", ""))
            entry += paragraph
            row += entry
        return row


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("rfdetr-fields", FieldsTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
