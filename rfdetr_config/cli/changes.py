"""``rfdetr-config changes``: what differs between two rfdetr releases."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from ..checks.enums import plain_value
from ..core.errors import FileError
from ..files import json_form
from ..releases import TOP
from .arguments import CLASS_NAMES, PROG, command
from .inputs import class_named, release_named
from .output import EXIT_OK, one_line, print_json, say

if TYPE_CHECKING:
    from ..releases.changes import Change


def run(args: argparse.Namespace) -> int:
    """Print the differences between two releases."""
    from ..releases.changes import changes

    cls = class_named(args.class_name, args.source)
    found = changes(args.source, args.target, None if cls is None else cls.__name__)
    if args.json:
        print_json([_change_record(change) for change in found])
    elif not found:
        which = "" if cls is None else f" for {cls.__name__}"
        print(f"rfdetr {args.source} and {args.target} declare no differences{which}")
    else:
        families = _by_family(found, (args.source, args.target))
        distinct = sum(len(shared) for _, shared in families)
        say(f"rfdetr {args.source} -> {args.target}: {distinct} changes, each under the classes it concerns")
        for label, shared in families:
            print(f"\n{label}:")
            for change in shared:
                say("  " + one_line(f"{change.field + ': ' if change.field else ''}{change.words}"), " " * 6)
    return EXIT_OK


def _by_family(found: Sequence[Change], releases: Tuple[str, str]) -> List[Tuple[str, List[Change]]]:
    """Each change once, under the classes that share it (a class and its subclasses, said as such)."""
    classes: Dict[Tuple[Any, ...], List[str]] = {}
    first: Dict[Tuple[Any, ...], Change] = {}
    for change in found:
        key = (change.field, change.kind, repr(change.old), repr(change.new), change.note)
        classes.setdefault(key, []).append(change.class_name)
        first.setdefault(key, change)
    families: Dict[Tuple[str, ...], List[Change]] = {}
    for key, names in classes.items():
        families.setdefault(tuple(names), []).append(first[key])
    return [(_family_label(names, releases), shared) for names, shared in families.items()]


def _family_label(names: Tuple[str, ...], releases: Tuple[str, str]) -> str:
    """``ModelConfig and its 14 subclasses`` where the classes are exactly that, else their names."""
    from ..releases import declared

    bases: Dict[str, Optional[str]] = {}
    for release in releases:
        for decl in declared(release).classes:
            bases.setdefault(decl.name, decl.base)
    roots = [name for name in names if bases.get(name) not in names]
    if len(roots) == 1 and len(names) > 1:
        family = {roots[0]}
        for name in bases:  # oldest class first, so a base precedes its subclasses
            if bases[name] in family:
                family.add(name)
        if family == set(names):
            return f"{roots[0]} and its {len(names) - 1} subclasses"
    return ", ".join(names)


def _change_record(change: Change) -> Dict[str, Any]:
    return {
        "class": change.class_name,
        "field": change.field,
        "kind": change.kind,
        "old": _json_value(change.old),
        "new": _json_value(change.new),
        "note": change.note,
        "message": change.message,
    }


def _json_value(value: Any) -> Any:
    """A declared value as JSON data: an enum's value, a default as itself, a rule or a type by its text."""
    value = plain_value(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return json_form({"value": value}, "a declared value")["value"]
    except FileError:
        return str(value)


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    changed = command(
        commands,
        "changes",
        "what differs between two rfdetr releases",
        "Print every declared difference between the configuration classes of rfdetr X and Y (either may "
        "be the older), one line each: fields added, removed or moved, defaults, types, rules.",
        f"  {PROG} changes 1.8.1 {TOP} --class TrainConfig\n  {PROG} changes 1.10.1 1.11.0 --json",
        run,
        ((0, "the differences are printed (none is not a failure)"),),
    )
    changed.add_argument("source", metavar="X", type=release_named, help="an rfdetr release")
    changed.add_argument("target", metavar="Y", type=release_named, help="another rfdetr release")
    changed.add_argument("--class", dest="class_name", metavar="NAME", help=f"only this class's changes: {CLASS_NAMES}")
    changed.add_argument(
        "--json", action="store_true", help='print one JSON list of {"class", "field", "kind", "old", "new", ...}'
    )
