"""``rfdetr-config changes``: what differs between two rfdetr releases."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Dict

from ..checks.enums import plain_value
from ..core.errors import FileError
from ..files import json_form
from ..releases import TOP
from .arguments import CLASS_NAMES, PROG, command
from .inputs import class_named, release_named
from .output import EXIT_OK, one_line, print_json

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
        for change in found:
            print(one_line(change.message))
    return EXIT_OK


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
