"""Sphinx extension: a reference page per supported rfdetr release and a "what changed" page per step.

The pages are written into ``docs/releases/`` when the build starts (that folder is generated, not
kept in the repository), from the package's own registry and declarations: a new release gets its
pages without anyone writing them. Each release page lists every class through the ``rfdetr-fields``
directive; each step page lists :func:`rfdetr_config.changes` between two consecutive releases with
distinct classes, grouped so that a change shared by a class and its subclasses is said once.
"""

from __future__ import annotations

import importlib
import itertools
import pathlib
from typing import Any, Dict, List, Tuple

from sphinx.application import Sphinx

import rfdetr_config as rc
from rfdetr_config.releases import MODULES, TOP

_FOLDER = "releases"


def _distinct() -> List[Tuple[str, str]]:
    """(first release number, module name) of each release module, oldest first."""
    seen: Dict[str, str] = {}
    for release, module in MODULES.items():
        seen.setdefault(module, release)
    return [(release, module) for module, release in seen.items()]


def _title(text: str, mark: str = "=") -> List[str]:
    return [text, mark * len(text), ""]


def _covers(module: str) -> str:
    numbers = [r for r, m in MODULES.items() if m == module]
    return numbers[0] if len(numbers) == 1 else f"{numbers[0]} to {numbers[-1]}"


def _release_page(release: str, module: str) -> List[str]:
    namespace = rc.for_release(release)
    path = f"rfdetr_config.releases.{module}"
    lines = _title(f"rfdetr {_covers(module)}")
    lines += [
        f".. py:module:: {path}",
        "",
        f"The configuration classes of rfdetr {_covers(module)}, importable as ``{path}`` or as",
        f'``rfdetr_config.for_release("{release}")``.'
        + (" They are also the classes ``rfdetr_config`` itself exports." if module == MODULES[TOP] else ""),
        "",
    ]
    extras = [name for name in namespace.DECLARED.extras if not name.startswith("_")]
    if extras:
        lines += ["Besides the classes, the module holds " + ", ".join(f"``{n}``" for n in extras) + ".", ""]
    for name, value in namespace.DECLARED.extras.items():  # the enums the field types name, as targets here
        if isinstance(value, type) and value.__module__ == "rfdetr_config.checks.enums":
            lines += [
                f".. py:class:: {name}",
                f"   :canonical: rfdetr_config.checks.enums.{name}",
                "",
                f"   The same enum as :class:`rfdetr_config.{name}`.",
                "",
            ]
    for name in namespace.DECLARED.class_names:
        lines += _title(name, "-")
        lines += [f".. rfdetr-fields:: {path}.{name}", "   :secondary:", ""]
    return lines


def _grouped(changes: Tuple[Any, ...]) -> Dict[str, List[Tuple[Any, List[str]]]]:
    """Changes by the first class that has them, each with the other classes that have it too."""
    same: Dict[Tuple[Any, ...], Tuple[Any, List[str]]] = {}
    for change in changes:
        key = (change.field, change.kind, repr(change.old), repr(change.new), change.note)
        if key in same:
            same[key][1].append(change.class_name)
        else:
            same[key] = (change, [])
    by_class: Dict[str, List[Tuple[Any, List[str]]]] = {}
    for change, others in same.values():
        by_class.setdefault(change.class_name, []).append((change, others))
    return by_class


def _item(change: Any) -> str:
    """One change as a list item: the field linked to its reference entry, then the change in plain words."""
    said = change.message.split(": ", 1)[1] if change.field or ": " in change.message else change.message
    said = said.replace("``", "").replace("`", "'")
    if change.field is None:
        return said
    top = getattr(rc, change.class_name, None)
    if top is not None and change.field in top.__rfdetr_names__:
        # the family's base describes every field; a subclass has an entry only for what it changes
        home = next(c for c in reversed(top.__mro__) if change.field in getattr(c, "__rfdetr_names__", ()))
        field = f":attr:`{change.field} <rfdetr_config.{home.__name__}.{change.field}>`"
    else:  # a field the newest release no longer has: no reference entry to link to
        field = f"``{change.field}``"
    return f"{field}: {said}"


def _meaning(new_release: str) -> List[str]:
    """What the step's migration module says changed in meaning beyond the declarations, if it has one."""
    from rfdetr_config.releases.registry import group_of

    step = group_of(new_release).step
    if step is None:
        return []
    summary = (importlib.import_module(step).__doc__ or "").strip().splitlines()
    if not summary:
        return []
    return [
        ".. rubric:: Beyond the declarations",
        "",
        f"{summary[0]} :doc:`/upgrading` says what ``rfdetr_config.migrate`` does about it.",
        "",
    ]


def _step_page(old: Tuple[str, str], new: Tuple[str, str]) -> List[str]:
    span = [_covers(module).replace(" to ", "\u2013") for module in (old[1], new[1])]  # an en dash: 1.9.0 to 1.9.4
    lines = _title(f"rfdetr {span[0]} \u2192 {span[1]}")
    lines += [
        "Every difference between the two releases' declarations, as",
        f'``rfdetr_config.changes("{old[0]}", "{new[0]}")`` computes it, by class. A change that several',
        "classes share (a class and its subclasses) is listed under the first of them.",
        "",
        *_meaning(new[0]),
    ]
    for class_name, found in _grouped(rc.changes(old[0], new[0])).items():
        lines += _title(class_name, "-")
        sharing = sorted({c for _, others in found for c in others})
        for change, others in found:
            also = f" (also {', '.join(others)})" if others and set(others) != set(sharing) else ""
            lines.append(f"- {_item(change)}{also}")
        if sharing:
            lines += ["", f"Also in: {', '.join(sharing)}."]
        lines.append("")
    return lines


def _write(app: Sphinx) -> None:
    folder = pathlib.Path(app.srcdir) / _FOLDER
    folder.mkdir(exist_ok=True)
    distinct = _distinct()
    pages: List[str] = []
    for release, module in distinct:
        _replace(folder / f"{module}.rst", _release_page(release, module))
        pages.append(module)
    steps: List[str] = []
    for old, new in itertools.pairwise(distinct):
        name = f"{old[1]}-to-{new[1]}"
        _replace(folder / f"{name}.rst", _step_page(old, new))
        steps.append(name)
    index = _title("Releases")
    index += [
        "Every supported rfdetr release, oldest first, with the module that holds its classes. Releases whose",
        f"configuration modules behave alike share one module. The package itself exports rfdetr {TOP}'s classes.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - rfdetr",
        "     - module",
    ]
    for release, module in MODULES.items():
        index += [f"   * - {release}", f"     - :doc:`rfdetr_config.releases.{module} <{module}>`"]
    index += ["", ".. toctree::", "   :maxdepth: 1", "   :caption: Each release", "", *(f"   {p}" for p in pages)]
    index += ["", ".. toctree::", "   :maxdepth: 1", "   :caption: What changed", "", *(f"   {s}" for s in steps)]
    _replace(folder / "index.rst", index)


def _replace(path: pathlib.Path, lines: List[str]) -> None:
    """Write only when different, so that Sphinx rereads only what changed."""
    text = "\n".join(lines).rstrip() + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> Dict[str, Any]:
    """Register the page writer; it runs once the builder is ready, before any source is read."""
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
