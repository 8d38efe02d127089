"""``rfdetr-config validate``: check files; print each normalised, or every problem."""

from __future__ import annotations

import argparse
import sys
from typing import List

from .arguments import PROG, command, inputs
from .inputs import Outcome, check_inputs, load_input
from .output import EXIT_INVALID, EXIT_OK, print_json, problem_line, shown, warn


def run(args: argparse.Namespace) -> int:
    """Validate every file named."""
    check_inputs(args.files)
    outcomes: List[Outcome] = []
    for path in args.files:
        outcome = load_input(path, args)
        outcomes.append(outcome)
        for detail in outcome.problems:
            warn(problem_line(outcome.name, detail))
        for note in outcome.warnings:
            warn(f"{shown(outcome.name)}: {note}")
        if args.jsonl and not args.quiet:
            print_json(outcome.record(), indent=None)
            sys.stdout.flush()
    if not args.quiet and not args.jsonl:
        if len(outcomes) == 1:
            if outcomes[0].document is not None:
                print_json(outcomes[0].document)
        else:
            print_json([outcome.record() for outcome in outcomes])
    return EXIT_INVALID if any(outcome.problems for outcome in outcomes) else EXIT_OK


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    validate = command(
        commands,
        "validate",
        "check files; print each normalised (JSON) or every error",
        "Check each JSON, TOML or YAML file (- for standard input). Print the file validated and normalised as "
        "JSON, or each problem on stderr. With several files, print one JSON list of records "
        '{"file", "valid", "config", "errors", "warnings"}; with --jsonl, one record per line as each file is '
        "checked (the same shape for one file or many).",
        f"  {PROG} validate train.json\n"
        f"  {PROG} validate run.toml other.yaml --class TrainConfig --jsonl\n"
        f"  {PROG} validate - --input-format yaml < run.yaml",
        run,
        (
            (0, "every file is valid"),
            (1, "a file is invalid or cannot be read; each problem is on stderr as FILE:LINE:COLUMN: message"),
        ),
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a .json, .toml, .yaml or .yml file, or -")
    inputs(validate, "every file (a file's own config_class must agree)")
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on stdout (problems still go to stderr)"
    )
    validate.add_argument("--jsonl", action="store_true", help="print one JSON record per file, one per line")
