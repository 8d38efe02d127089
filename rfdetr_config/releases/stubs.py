"""Write every release's module and type stub, and the package's typed imports, from the registry.

Release modules build their classes at run time, which type checkers cannot follow, so each one has a
``.pyi`` beside it that lists every class with every field, its type and its default: what mypy,
IDEs and a reader looking for one release's complete field list see. A release that shares its
group's classes gets a stub that re-exports them. The top-level package's ``TYPE_CHECKING`` import
names the registry's :data:`~rfdetr_config.releases.registry.TOP` release. All of it is generated,
never edited; a test fails when a file is out of date. After changing the registry or a declaration::

    python -m rfdetr_config.releases.stubs          # rewrite what is out of date
    python -m rfdetr_config.releases.stubs --check  # exit 1 if a file is out of date
"""

from __future__ import annotations

import argparse
import collections.abc
import enum
import json
import math
import os
import pathlib
import sys
import textwrap
import types
import typing
from typing import Any, Dict, List, Optional, Sequence, Set

import attrs

from .registry import GROUPS, TOP, declared
from .release import ClassDecl, Release

__all__ = ["generated", "main", "stub_text"]

_HERE = pathlib.Path(__file__).parent
_TYPING_NAMES = {list: "List", dict: "Dict", tuple: "Tuple", collections.abc.Callable: "Callable"}


class _Writer:
    """Turns annotations and defaults into stub source, remembering what it must import."""

    def __init__(self) -> None:
        self.typing: Set[str] = set()
        self.imports: Dict[str, Set[str]] = {}

    def annotation(self, tp: Any) -> str:
        if tp is None or tp is type(None):
            return "None"
        if tp is Any:
            self.typing.add("Any")
            return "Any"
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Literal:
            self.typing.add("Literal")
            return f"Literal[{', '.join(_literal(a) or repr(a) for a in args)}]"
        if origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            if len(members) < len(args) and len(members) == 1:
                self.typing.add("Optional")
                return f"Optional[{self.annotation(members[0])}]"
            self.typing.add("Union")
            return f"Union[{', '.join(self.annotation(a) for a in args)}]"
        if origin is os.PathLike:
            self.imports.setdefault("os", set())
            return f"os.PathLike[{self.annotation(args[0])}]"
        if origin is collections.abc.Callable:
            self.typing.add("Callable")
            parameters, result = args[0], args[-1]
            shown = "..." if parameters is Ellipsis else f"[{', '.join(self.annotation(a) for a in parameters)}]"
            return f"Callable[{shown}, {self.annotation(result)}]"
        if origin is not None:
            name = _TYPING_NAMES[origin]
            self.typing.add(name)
            return f"{name}[{', '.join(self.annotation(a) for a in args)}]"
        if isinstance(tp, type):
            if tp.__module__ != "builtins":
                self.imports.setdefault(tp.__module__, set()).add(tp.__name__)
            return tp.__name__
        raise TypeError(f"cannot write the annotation {tp!r} in a stub")

    def imports_text(self) -> List[str]:
        lines = [f"from typing import {', '.join(sorted(self.typing))}"] if self.typing else []
        for module, names in sorted(self.imports.items()):
            lines.append(f"import {module}" if not names else f"from {module} import {', '.join(sorted(names))}")
        return lines


def _quoted(text: str) -> str:
    """A string literal in the project's style (double quotes)."""
    return json.dumps(text, ensure_ascii=False) if "\\" not in text and "'" not in text else repr(text)


def _literal(value: Any) -> Optional[str]:
    """Source for a default simple enough to show, else None (shown as ``...``)."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, str):
        return _quoted(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        items = [_literal(v) for v in value]
        if all(i is not None for i in items):
            shown = ", ".join(typing.cast(List[str], items))
            return f"[{shown}]" if isinstance(value, list) else f"({shown}{',' if len(items) == 1 else ''})"
    return None


def _default(value: Any) -> Optional[str]:
    """`` = <default>`` for a field, "" for a required one."""
    if value is attrs.NOTHING:
        return ""
    found = getattr(value, "metadata", {}).get("rfdetr_config") if hasattr(value, "metadata") else None
    if found is not None:
        if found.factory is not None:
            return " = ..."
        value = found.default
        if value is attrs.NOTHING:
            return ""
    shown = _literal(value)
    return f" = {shown if shown is not None else '...'}"


def _class_lines(decl: ClassDecl, release: Release, writer: _Writer) -> List[str]:
    base = decl.base or "BaseConfig"
    inherited = _all_annotations(release, decl.base) if decl.base else {}
    lines = ["@config_class()", f"class {decl.name}({base}):", *_docstring(decl.docstring())]
    for field in decl.fields:
        text = writer.annotation(field.annotation)
        narrowed = field.name in inherited and not _compatible(field.annotation, inherited[field.name])
        ignore = "  # type: ignore[assignment]" if narrowed else ""
        lines.append(f"    {field.name}: {text}{_default(field.value)}{ignore}")
    return lines


def _compatible(new: Any, old: Any) -> bool:
    """Whether a type checker accepts ``new`` overriding ``old``: the same type, or fewer literals."""
    if new == old:
        return True
    literals = typing.get_origin(new) is typing.Literal and typing.get_origin(old) is typing.Literal
    return literals and set(typing.get_args(new)) <= set(typing.get_args(old))


def _all_annotations(release: Release, name: str) -> Dict[str, Any]:
    decl = release.get(name)
    found = _all_annotations(release, decl.base) if decl.base else {}
    found.update((f.name, f.annotation) for f in decl.fields)
    return found


def _docstring(text: str) -> List[str]:
    lines = []
    for line in text.splitlines():
        indent = " " * (4 + len(line) - len(line.lstrip()))
        wrapped = textwrap.wrap(line.strip(), 116 - len(indent)) or [""]
        lines += [f"{indent}{wrapped[0]}".rstrip(), *(f"{indent}    {w}" for w in wrapped[1:])]
    lines[0] = f'    """{lines[0].lstrip()}'
    if len(lines) == 1:
        return [f'{lines[0]}"""', ""]
    return [*lines, '    """', ""]


def stub_text(release_name: str) -> str:
    """The stub of release ``release_name``'s module."""
    release = declared(release_name)
    module = _module(release_name)
    if release.name != release_name:
        return _shared_stub(release_name, _module(release.name))
    writer = _Writer()
    body: List[str] = []
    aliases: List[str] = []
    for name, value in release.extras.items():
        if isinstance(value, type):
            body.append(f"from {value.__module__} import {value.__name__} as {value.__name__}")
        else:
            aliases.append(f"{name} = {writer.annotation(value)}")
    classes: List[str] = []
    for decl in release.classes:
        classes += ["", "", *_class_lines(decl, release, writer)]
    writer.typing.update({"Tuple", "Type"})
    covered = ", ".join(release.covers)
    header = [
        f'"""rfdetr {covered}: the configuration classes of ``rfdetr_config.releases.{module}``, for type checkers.',
        "",
        "Written by ``python -m rfdetr_config.releases.stubs`` from the release declarations; do not edit.",
        '"""',
        "",
    ]
    for value in release.extras.values():  # re-exported below: imported once, as itself
        names = writer.imports.get(value.__module__) if isinstance(value, type) else None
        if names is not None and value.__name__ in names:
            names.discard(value.__name__)
            if not names:
                del writer.imports[value.__module__]
    imports = writer.imports_text()
    out = [
        *header,
        *imports,
        "",
        "from rfdetr_config.core.build import BaseConfig, config_class",
        "from rfdetr_config.releases.release import Release",
        *body,
        "",
        *aliases,
        "",
        "DECLARED: Release",
        "RELEASE: str",
        "RELEASES: Tuple[str, ...]",
        "CONFIG_CLASSES: Tuple[Type[BaseConfig], ...]",
        *classes,
    ]
    return "\n".join(out).rstrip() + "\n"


def _module(release: str) -> str:
    return f"v{release.replace('.', '_')}"


def _shared_stub(release: str, home: str) -> str:
    return "\n".join(
        [
            f'"""rfdetr {release}: the configuration classes of ``rfdetr_config.releases.{home}``, for type checkers.',
            "",
            "Written by ``python -m rfdetr_config.releases.stubs`` from the release registry; do not edit.",
            '"""',
            "",
            f"from rfdetr_config.releases.{home} import *",
            "",
        ]
    )


def _module_text(release: str) -> str:
    home = declared(release).name
    shared = "" if home == release else f" (the classes of ``{_module(home)}``)"
    return "\n".join(
        [
            f'"""rfdetr {release}\'s configuration classes{shared}, as its ``rfdetr.config`` names them."""',
            "",
            "from ._lazy import release_module",
            "",
            "__getattr__, __dir__, __all__ = release_module(__name__)",
            "",
        ]
    )


def _top_text() -> str:
    """``releases/top.py``: the top release's classes and enums, which the package imports for type checkers."""
    release = declared(TOP)
    enums = (n for n, v in release.extras.items() if isinstance(v, type) and issubclass(v, enum.Enum))
    names = sorted({*release.class_names, *enums})
    return "\n".join(
        [
            f'"""The classes ``rfdetr_config`` exports, rfdetr {TOP}\'s, as type checkers see them.',
            "",
            "Written by ``python -m rfdetr_config.releases.stubs`` from the registry's ``TOP``; do not edit. At run",
            "time the package takes them from :func:`~rfdetr_config.for_release` and never imports this module.",
            '"""',
            "",
            f"from .{_module(TOP)} import (",
            *(f"    {name}," for name in names),
            ")",
            "",
            "__all__ = [",
            *(f'    "{name}",' for name in names),
            "]",
            "",
        ]
    )


def generated() -> Dict[pathlib.Path, str]:
    """Every generated file, and the text it should hold."""
    files: Dict[pathlib.Path, str] = {}
    for group in GROUPS:
        for release in group.releases:
            files[_HERE / f"{_module(release)}.py"] = _module_text(release)
            files[_HERE / f"{_module(release)}.pyi"] = stub_text(release)
    files[_HERE / "top.py"] = _top_text()
    return files


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Rewrite every generated file, or with ``--check`` report the stale ones (exit 1)."""
    parser = argparse.ArgumentParser(prog="python -m rfdetr_config.releases.stubs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    options = parser.parse_args(argv)
    stale = []
    for path, text in generated().items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(str(path.relative_to(_HERE.parent.parent)))
        if not options.check:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(("out of date: " if options.check else "rewrote: ") + ", ".join(stale))
    return 1 if stale and options.check else 0


if __name__ == "__main__":
    sys.exit(main())
