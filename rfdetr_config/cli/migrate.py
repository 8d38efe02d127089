"""``rfdetr-config migrate``: rewrite a file for another rfdetr release, and show every change."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..core.errors import ConfigError, FileError
from ..files import CLASS_KEY, RELEASE_KEY, WRITERS, class_for, format_of, json_form, split_header
from ..files.shapes.checkpoint import is_checkpoint
from ..releases import TOP
from .arguments import PROG, command, one_input
from .hints import for_people, problems_of
from .inputs import STDIN, STDIN_NAME, Usage, class_named, header_class, read_input, release_named
from .output import (
    EXIT_INVALID,
    EXIT_OK,
    file_problems,
    one_line,
    print_json,
    shown,
    table,
    warn,
    write_file,
)

if TYPE_CHECKING:
    from ..migration import Migration


def run(args: argparse.Namespace) -> int:
    """Migrate one file."""
    from ..migration import migrate  # only here: the other commands start without the migration steps
    from .shaped import migrate as migrate_shaped

    given = class_named(args.class_name, args.source)
    if args.output is not None and is_checkpoint(args.output):
        raise Usage(f"{PROG} never writes a checkpoint: name a run file (.json) or a rfdetr fit file (.yaml)")
    try:
        handled = migrate_shaped(args, _report)
    except FileError as error:
        return file_problems(STDIN_NAME if args.file == STDIN else args.file, error.details)
    if handled is not None:
        return handled
    try:
        out_format = None if args.output is None else format_of(args.output)
    except FileError as error:
        return file_problems(args.output, error.details)
    name = STDIN_NAME if args.file == STDIN else args.file
    data = None
    try:
        name, data = read_input(args.file, args.format)
        header, fields = split_header(data, name)
        if args.source is None and RELEASE_KEY not in header:
            raise Usage(
                f'no release to migrate from: pass --from X.Y.Z, or add "{RELEASE_KEY}": X.Y.Z to {shown(name)}'
            )
        class_name = header_class(header, given, name, args.source)
        # The header's own release, checked as validate checks it: supported, and agreeing with --from.
        class_for({**header, CLASS_KEY: class_name}, None, name, release=args.source)
    except FileError as error:
        chosen = args.format is not None
        return file_problems(name, problems_of(error, data, None, stdin=args.file == STDIN, format_chosen=chosen))
    source = args.source or header[RELEASE_KEY]
    try:
        moved = migrate(fields, class_name, source=source, target=args.target, strict=args.strict)
    except ConfigError as error:  # refused by the source, not expressible in the target, or --strict
        return file_problems(name, for_people(error.details, fields, class_name, source))
    fmt = out_format or args.format or ("json" if args.file == STDIN else format_of(args.file))
    where = args.output or "<stdout>"
    try:
        migrated = json_form({CLASS_KEY: class_name, RELEASE_KEY: args.target, **moved.data}, where)
        text = WRITERS[fmt](migrated)
    except FileError as error:  # a missing extra, or TOML and a null inside a field
        return file_problems(where, error.details)
    if args.output is None:
        if fmt == "json":
            print_json(migrated)
        else:
            print(text, end="")
    elif not write_file(args.output, text):
        return EXIT_INVALID
    _report(name, moved)
    return EXIT_OK


_VALUE_WIDTH = 30


def _value(value: Any, missing: Any) -> str:
    """A value in the change table: its repr, cut short; ``-`` where the field was or is left out (``missing``)."""
    if value is missing:
        return "-"
    text = one_line(repr(value))
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 3] + "..."


def _report(name: str, moved: Migration) -> None:
    """The changes as a table on stderr, then the warnings.

    One row each, as wide as the terminal: a long cell is wrapped under its column.
    """
    from ..migration import MISSING

    route = f"{shown(name)}: {moved.class_name} from rfdetr {moved.source} to {moved.target}"
    if not moved.changes:
        warn(f"{route}: no changes")
    else:
        attention = f", {len(moved.lossy)} may train differently" if moved.lossy else ""
        warn(f"{route}: {len(moved.changes)} changes{attention}")
        rows = [
            (
                c.field or "(config)",
                c.kind,
                f"{_value(c.old, MISSING)} -> {_value(c.new, MISSING)}",
                one_line(c.message),
            )
            for c in moved.changes
        ]
        for line in table(("field", "kind", "old -> new", "message"), rows):
            print(line, file=sys.stderr)
    for said in moved.warnings:
        warn(f"{shown(name)}: rfdetr {moved.target} warns: {one_line(said)}")


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    moving = command(
        commands,
        "migrate",
        "rewrite a file for another rfdetr release, keeping what it trains",
        "Rewrite a file written for one rfdetr release for another, newer or older, so that it trains as it "
        "did: values the old release took by default are pinned, moved fields follow their meaning. Print "
        "the file (in the input's format) or write it to -o, with its rfdetr_release naming the target; "
        "report every change on stderr as a table, and mark what may train differently (lossy, needs a "
        "decision). A value the target cannot express is an error: nothing is written.",
        f"  {PROG} migrate old.json --to {TOP} -o new.json\n"
        f"  {PROG} migrate run.yaml --to 1.10.1 --strict > new.yaml\n"
        f"  {PROG} migrate - --class TrainConfig --from 1.8.1 < old.json",
        run,
        (
            (0, "the file is migrated; every change is shown, and any that may train differently is marked"),
            (
                1,
                "the file is invalid or cannot be read, the target release cannot express it, or (--strict) a "
                "change may train differently; nothing is written",
            ),
        ),
    )
    one_input(moving)
    moving.add_argument(
        "--from",
        dest="source",
        metavar="X.Y.Z",
        type=release_named,
        help=f"the rfdetr release the file was written for (default: the file's {RELEASE_KEY})",
    )
    moving.add_argument(
        "--to",
        dest="target",
        metavar="X.Y.Z",
        type=release_named,
        default=TOP,
        help=f"the rfdetr release to write it for (default: {TOP})",
    )
    moving.add_argument(
        "-o", "--output", metavar="OUT", help="write the file here, in the format of its suffix, instead of stdout"
    )
    moving.add_argument(
        "--strict", action="store_true", help="fail, writing nothing, on any change that may train differently"
    )
