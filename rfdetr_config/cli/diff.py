"""``rfdetr-config diff``: the fields that differ between two files."""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict, List

from ..files import CLASS_KEY
from .arguments import PROG, command, inputs
from .inputs import check_inputs, load_input
from .output import EXIT_OK, problem_line, warn, width


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text: ``1`` and ``1.0`` differ, as do ``true`` and ``1``; NaN equals NaN."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def run(args: argparse.Namespace) -> int:
    """Compare two files, field by field."""
    check_inputs([args.a, args.b])
    outcomes = [load_input(path, args) for path in (args.a, args.b)]
    for outcome in outcomes:
        for detail in outcome.problems:
            warn(problem_line(outcome.name, detail))
    left, right = (outcome.document for outcome in outcomes)
    if left is None or right is None:
        return EXIT_TROUBLE
    if all(outcome.shaped is not None and outcome.shaped.run is not None for outcome in outcomes):
        from ..files.shapes import diff_runs

        runs = [outcome.shaped.run for outcome in outcomes if outcome.shaped is not None]
        changed_runs = diff_runs(*[run for run in runs if run is not None])  # field by field, across releases
        _print_rows(changed_runs)
        return EXIT_DIFFERENT if changed_runs else EXIT_OK
    keys = [*left, *(key for key in right if key not in left)]
    changed = {
        key: [left.get(key, ABSENT.format("A")), right.get(key, ABSENT.format("B"))]
        for key in keys
        if key not in left or key not in right or not _same(left[key], right[key])
    }
    _print_rows(changed)
    return EXIT_DIFFERENT if changed else EXIT_OK


ABSENT = "(not in {})"
"""What a row shows on the side of a file that lacks the key (its class or release has no such field)."""

EXIT_DIFFERENT, EXIT_TROUBLE = 1, 2
"""As diff(1): 1 when the files differ, 2 when one cannot be read or is invalid."""


def _print_rows(changed: Dict[str, List[Any]]) -> None:
    """The JSON object of rows, each ``[a, b]`` on one line where it fits the width."""
    try:
        print(_rows_text(changed, ensure_ascii=False))
    except UnicodeEncodeError:  # the terminal's encoding cannot show it
        print(_rows_text(changed, ensure_ascii=True))


def _rows_text(changed: Dict[str, List[Any]], *, ensure_ascii: bool) -> str:
    if not changed:
        return "{}"
    lines = []
    for key, row in changed.items():
        short = f"  {json.dumps(key, ensure_ascii=ensure_ascii)}: {json.dumps(row, ensure_ascii=ensure_ascii)}"
        if len(short) <= width():
            lines.append(short)
        else:
            lines.append("\n".join(json.dumps({key: row}, indent=2, ensure_ascii=ensure_ascii).splitlines()[1:-1]))
    return "{\n" + ",\n".join(lines) + "\n}"


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    diff = command(
        commands,
        "diff",
        "the fields that differ between two files",
        "Print, as JSON, each key whose normalised value differs between A and B: {key: [a, b]}. The files "
        f'may hold different classes or releases: then "{CLASS_KEY}" differs, and a field only one of them has '
        f'shows "{ABSENT.format("A")}" or "{ABSENT.format("B")}" on the other side. Exit status 1 when they '
        "differ, so that CI can gate on it, and 2 when a file cannot be read or is invalid, as diff(1).",
        f"  {PROG} diff baseline.json tuned.toml\n  {PROG} diff - tuned.json --input-format json < baseline.json",
        run,
        (
            (0, "the files do not differ"),
            (1, "the files differ"),
            (2, "a file cannot be read or is invalid (each problem is on stderr), as for diff(1)"),
        ),
    )
    diff.add_argument("a", metavar="A", help="a file, or -")
    diff.add_argument("b", metavar="B", help="a file, or -")
    inputs(diff, "both files")
