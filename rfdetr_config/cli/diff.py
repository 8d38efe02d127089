"""``rfdetr-config diff``: the fields that differ between two files."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..files import CLASS_KEY
from .arguments import PROG, command, inputs
from .inputs import check_inputs, load_input
from .output import EXIT_INVALID, EXIT_OK, print_json, problem_line, warn


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
        return EXIT_INVALID
    if all(outcome.shaped is not None and outcome.shaped.run is not None for outcome in outcomes):
        from ..files.shapes import diff_runs

        runs = [outcome.shaped.run for outcome in outcomes if outcome.shaped is not None]
        changed_runs = diff_runs(*[run for run in runs if run is not None])  # field by field, across releases
        print_json(changed_runs)
        return EXIT_INVALID if changed_runs else EXIT_OK
    keys = [*left, *(key for key in right if key not in left)]
    changed = {
        key: [left.get(key), right.get(key)]
        for key in keys
        if key not in left or key not in right or not _same(left[key], right[key])
    }
    print_json(changed)
    return EXIT_INVALID if changed else EXIT_OK


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    diff = command(
        commands,
        "diff",
        "the fields that differ between two files",
        "Print, as JSON, each key whose normalised value differs between A and B: {key: [a, b]}. The files "
        f'may hold different classes: then "{CLASS_KEY}" differs, and a field only one class has shows null '
        "on the other side. Exit status 1 when they differ, so that CI can gate on it.",
        f"  {PROG} diff baseline.json tuned.toml\n  {PROG} diff - tuned.json --format json < baseline.json",
        run,
    )
    diff.add_argument("a", metavar="A", help="a file, or -")
    diff.add_argument("b", metavar="B", help="a file, or -")
    inputs(diff, "both files")
