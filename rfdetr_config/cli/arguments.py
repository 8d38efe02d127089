"""The pieces of command line that several commands share: how a command, a class, a release and an input are named."""

from __future__ import annotations

import argparse
import textwrap
from typing import Callable, Type

from ..core.build import BaseConfig
from ..files import FORMATS, RELEASE_KEY
from ..releases import TOP
from .inputs import class_named, release_named

__all__ = ["PROG", "Commands", "class_argument", "command", "inputs", "named_class", "one_input", "release"]

PROG = "rfdetr-config"
TOP_NAMES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig", "ModelConfig")
CLASS_NAMES = ", ".join(TOP_NAMES) + ", ..."

EXIT_CODES = """exit status:
  0    every file is valid (diff: the files do not differ; migrate: the file is migrated, any change that
       may train differently shown; detect: a release accepts the file)
  1    a file is invalid or cannot be read, or the command cannot be carried out (diff: also when the
       files differ; migrate: also when the target release cannot express the file, or with --strict a
       change may train differently; detect: no release accepts the file); every problem is on stderr,
       one line each: FILE:LINE:COLUMN: message
  2    the command line is wrong
  130  interrupted
"""

Commands = "argparse._SubParsersAction[argparse.ArgumentParser]"
Run = Callable[[argparse.Namespace], int]


def command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: str,
    run: Run,
) -> argparse.ArgumentParser:
    """Add the command ``name``, whose ``run`` the main program calls with the parsed arguments."""
    sub = commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 100),
        epilog=f"examples:\n{examples}\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(run=run)
    return sub


def release(sub: argparse.ArgumentParser, text: str) -> None:
    """Add ``--release``."""
    sub.add_argument("--release", metavar="X.Y.Z", type=release_named, help=text)


def settings(sub: argparse.ArgumentParser) -> None:
    """Add ``--set KEY=VALUE``."""
    sub.add_argument(
        "--set",
        dest="sets",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="change a value before validating: a dotted path into the file as it is shaped (epochs=50, "
        "train_config.amp_dtype=bf16, model.train_config.lr=2e-4), the value read as YAML; repeatable",
    )


def inputs(sub: argparse.ArgumentParser, which: str) -> None:
    """Add what names the class, the release and the format of input files."""
    settings(sub)
    sub.add_argument("--class", dest="class_name", metavar="NAME", help=f"the class of {which}: {CLASS_NAMES}")
    release(
        sub,
        f"the rfdetr release whose classes the files hold; a file's own {RELEASE_KEY} must name the same "
        f"classes (default: the file's, else {TOP})",
    )
    sub.add_argument(
        "--format",
        choices=FORMATS,
        help="read every input as this format, instead of by its suffix (standard input: json)",
    )


def one_input(sub: argparse.ArgumentParser) -> None:
    """Add the one input file of a command, its class and its format."""
    settings(sub)
    sub.add_argument("file", metavar="FILE", help="a .json, .toml, .yaml or .yml file, or -")
    sub.add_argument("--class", dest="class_name", metavar="NAME", help=f"the class of the file: {CLASS_NAMES}")
    sub.add_argument(
        "--format",
        choices=FORMATS,
        help="read the input as this format, instead of by its suffix (standard input: json)",
    )


def class_argument(sub: argparse.ArgumentParser) -> None:
    """Add a class named by position, and the release to take it from."""
    sub.add_argument("class_name", metavar="CLASS", help=f"one of: {CLASS_NAMES}")
    release(sub, f"the rfdetr release whose class to take (default: {TOP})")


def named_class(args: argparse.Namespace) -> Type[BaseConfig]:
    """The class a command's required ``CLASS`` argument names."""
    cls = class_named(args.class_name, args.release)
    assert cls is not None  # a required argument
    return cls
