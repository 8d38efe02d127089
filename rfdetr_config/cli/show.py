"""``rfdetr-config show`` and ``schema``: a class's fields, defaults and rules, or its JSON Schema."""

from __future__ import annotations

import argparse
import textwrap

from ..checks.enums import plain_value
from ..checks.validators import describe_check
from ..core.fields import annotation_text, field_descriptions, plain_text
from ..files import CLASS_KEY, FORMATS, WRITERS, header_of, json_form
from ..integrations.schema import json_schema
from .arguments import PROG, class_argument, command, named_class
from .output import EXIT_OK, print_json, table, width


def show(args: argparse.Namespace) -> int:
    """Print a class's fields, or its defaults as a file."""
    cls = named_class(args)
    defaults = {p.name: (None if p.required else p.make_default()) for p in cls.__rfdetr_plan__}
    if args.format == "table":
        described = field_descriptions(cls)
        rows = [
            (
                p.name,
                annotation_text(p.annotation),
                "(required)" if p.required else repr(plain_value(defaults[p.name])),
                describe_check(p.check),
            )
            for p in cls.__rfdetr_plan__
        ]
        for line in table(("field", "type", "default", "rule"), rows):
            print(line)
        if args.verbose:
            for name, *_ in rows:
                print(f"\n{name}")
                print(
                    textwrap.fill(
                        plain_text(described.get(name, "")), width(), initial_indent="  ", subsequent_indent="  "
                    )
                )
        return EXIT_OK
    data = json_form({**header_of(cls, args.release), **defaults}, f"{cls.__name__} defaults")
    if args.format == "json":
        print_json(data)
    else:
        print(WRITERS[args.format](data), end="")
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    """Print a class's JSON Schema."""
    print_json(json_schema(named_class(args)))
    return EXIT_OK


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    show_command = command(
        commands,
        "show",
        "a class's defaults and rules",
        "Print a class's fields with their types, defaults and rules, or its defaults as a file (with its "
        f'"{CLASS_KEY}" key, so that validate reads it back).',
        f"  {PROG} show RFDETRNanoConfig\n  {PROG} show TrainConfig --format json > train.json\n"
        f"  {PROG} show TrainConfig --format yaml   # needs the yaml extra",
        show,
        ((0, "printed"), (1, "the format needs an extra that is not installed")),
    )
    class_argument(show_command)
    show_command.add_argument("--format", choices=["table", *FORMATS], default="table")
    show_command.add_argument("-v", "--verbose", action="store_true", help="with the table, what each field means")

    schema_command = command(
        commands,
        "schema",
        "a class's JSON Schema",
        f'Print the JSON Schema (draft 2020-12) of a class\'s file (its fields, and its optional "{CLASS_KEY}" key).',
        f"  {PROG} schema KeypointTrainConfig > keypoint.schema.json",
        schema,
        ((0, "printed"),),
    )
    class_argument(schema_command)
