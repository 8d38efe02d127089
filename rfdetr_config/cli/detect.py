"""``rfdetr-config detect``: which rfdetr releases accept a file."""

from __future__ import annotations

import argparse

from ..core.errors import FileError
from ..files import RELEASE_KEY, split_header
from ..releases import RELEASES
from .arguments import PROG, command, one_input
from .hints import with_format_hint
from .inputs import STDIN, STDIN_NAME, class_named, header_class, read_input
from .output import EXIT_INVALID, EXIT_OK, file_problems, shown, warn


def run(args: argparse.Namespace) -> int:
    """Print the releases that accept a file."""
    from ..migration import releases_accepting
    from .shaped import detect as detect_shaped

    given = class_named(args.class_name, None)
    try:
        handled = detect_shaped(args)
    except FileError as error:
        return file_problems(STDIN_NAME if args.file == STDIN else args.file, error.details)
    if handled is not None:
        return handled
    name = STDIN_NAME if args.file == STDIN else args.file
    try:
        name, data = read_input(args.file, args.format)
        header, fields = split_header(data, name)
        class_name = header_class(header, given, name, None)
    except FileError as error:
        chosen = args.format is not None
        return file_problems(name, with_format_hint(error.details, args.file == STDIN, chosen))
    accepting = releases_accepting(fields, class_name)
    if not accepting:
        warn(
            f"{shown(name)}: no supported rfdetr release ({RELEASES[0]} to {RELEASES[-1]}) accepts it as a "
            f"{class_name} ({PROG} validate FILE --release X.Y.Z says why)"
        )
        return EXIT_INVALID
    print(f"{shown(name)}: a {class_name} of rfdetr {', '.join(accepting)}")
    named = header.get(RELEASE_KEY)
    if named is not None:
        if named not in RELEASES:
            verdict = "which is not a supported release"
        elif named in accepting:
            verdict = "one of them"
        else:
            verdict = "which refuses it"
        print(f"{shown(name)}: its {RELEASE_KEY} names rfdetr {shown(named)}, {verdict}")
    return EXIT_OK


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    detect = command(
        commands,
        "detect",
        "which rfdetr releases accept a file",
        "Print the supported rfdetr releases that accept the file as its class, and whether the release "
        f"its {RELEASE_KEY} names is one of them. Exit status 1 when none accepts it.",
        f"  {PROG} detect old.json\n  {PROG} detect - --class TrainConfig < old.json",
        run,
        ((0, "a supported release accepts the file"), (1, "no release accepts it, or it cannot be read")),
    )
    one_input(detect)
