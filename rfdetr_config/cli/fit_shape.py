"""``rfdetr-config fit-shape``: a ``class_path`` fit file, in the shape ``rfdetr fit`` reads."""

from __future__ import annotations

import argparse
import warnings

from ..core.errors import ConfigError
from ..files.reading import parse
from ..files.shapes import read_fit
from ..files.shapes.writing import direct_fit_text
from .arguments import PROG, command, release
from .inputs import STDIN, STDIN_NAME, read_text_input
from .output import EXIT_INVALID, EXIT_OK, file_problems, write_file


def run(args: argparse.Namespace) -> int:
    """Rewrite one fit file."""
    name = STDIN_NAME if args.file == STDIN else args.file
    try:
        name, _, text, _ = read_text_input(args.file, "yaml")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what rfdetr warns reading it is validate's to say
            fit = read_fit(parse(text, "yaml", name), name, release=args.release, text=text)
        out = direct_fit_text(fit, text)
    except ConfigError as error:
        return file_problems(name, error.details)
    if args.output is None:
        print(out, end="")
        return EXIT_OK
    return EXIT_OK if write_file(args.output, out) else EXIT_INVALID


def add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the command line."""
    sub = command(
        commands,
        "fit-shape",
        "write a class_path fit file in the shape rfdetr fit reads",
        "rfdetr fit (jsonargparse 4.52 and later) refuses a class_path other than ModelConfig and TrainConfig. "
        "Rewrite each such section as the base class's own fields: the values the file gives, and every other "
        "field at the subclass's value. Comments and the other sections are kept. Where the base class cannot "
        "hold what the subclass means, each field is named and nothing is written.",
        f"  {PROG} fit-shape small.yaml -o small-direct.yaml\n  {PROG} fit-shape - < small.yaml",
        run,
        (
            (0, "the file is rewritten"),
            (1, "it cannot be read, rfdetr refuses it, or the base class cannot hold what it means"),
        ),
    )
    sub.add_argument("file", metavar="FILE", help="a rfdetr fit .yaml file, or -")
    sub.add_argument("-o", "--output", metavar="OUT", help="write the file here instead of stdout")
    release(sub, "the rfdetr release to read it as (default: told from its fields, else the newest)")
