"""The pieces of command line that several commands share: how a command, a class, a release and an input are named."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Type

from ..core.build import BaseConfig
from ..files import FORMATS, RELEASE_KEY
from ..releases import TOP
from .inputs import class_named, release_named
from .output import PROG, warn, width

__all__ = [
    "PROG",
    "Commands",
    "HelpFormatter",
    "class_argument",
    "command",
    "exit_statuses",
    "inputs",
    "named_class",
    "one_input",
    "release",
]

TOP_NAMES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig", "ModelConfig")
CLASS_NAMES = ", ".join(TOP_NAMES) + ", ..."

Exits = Sequence[Tuple[int, str]]

COMMON_EXITS: Exits = ((2, "the command line is wrong"), (130, "interrupted"))
"""The exit statuses every command shares, after its own."""


def exit_statuses(own: Exits) -> str:
    """The "exit status" section of a command's help: its own statuses, then the common ones, wrapped."""
    meanings: Dict[int, str] = dict(own)
    for code, meaning in COMMON_EXITS:
        meanings[code] = f"{meanings[code]}, or {meaning}" if code in meanings else meaning
    lines = ["exit status:"]
    for code, meaning in meanings.items():
        lines += textwrap.wrap(
            meaning, width(), initial_indent=f"  {code:<5}", subsequent_indent=" " * 7, break_on_hyphens=False
        )
    return "\n".join(lines)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, as wide as the terminal (``COLUMNS``, else 100); descriptions are wrapped by us."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=width(), max_help_position=min(30, width() // 3))


Commands = "argparse._SubParsersAction[argparse.ArgumentParser]"
Run = Callable[[argparse.Namespace], int]


def command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: str,
    run: Run,
    exits: Exits,
) -> argparse.ArgumentParser:
    """Add the command ``name``, whose ``run`` the main program calls with the parsed arguments.

    ``exits`` are the command's own exit statuses and what each means, for its help.
    """
    sub = commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, width()),
        epilog=f"examples:\n{examples}\n\n{exit_statuses(exits)}",
        formatter_class=HelpFormatter,
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
    input_format(sub, "read every input as this format, instead of by its suffix (standard input: json)")


class _OldInputFormat(argparse.Action):
    """``--format`` where it names the input's format: the old spelling of ``--input-format``, still read."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: Optional[str] = None
    ) -> None:
        warn(f"{parser.prog}: --format is deprecated for the input's format; use --input-format")
        setattr(namespace, self.dest, values)


def input_format(sub: argparse.ArgumentParser, text: str) -> None:
    """Add ``--input-format`` (the input's format; ``show --format`` is the output's), and its old spelling."""
    sub.add_argument("--input-format", dest="format", choices=FORMATS, help=text)
    sub.add_argument("--format", dest="format", choices=FORMATS, action=_OldInputFormat, help=argparse.SUPPRESS)


def one_input(sub: argparse.ArgumentParser) -> None:
    """Add the one input file of a command, its class and its format."""
    settings(sub)
    sub.add_argument("file", metavar="FILE", help="a .json, .toml, .yaml or .yml file, or -")
    sub.add_argument("--class", dest="class_name", metavar="NAME", help=f"the class of the file: {CLASS_NAMES}")
    input_format(sub, "read the input as this format, instead of by its suffix (standard input: json)")


def class_argument(sub: argparse.ArgumentParser) -> None:
    """Add a class named by position, and the release to take it from."""
    sub.add_argument("class_name", metavar="CLASS", help=f"one of: {CLASS_NAMES}")
    release(sub, f"the rfdetr release whose class to take (default: {TOP})")


def named_class(args: argparse.Namespace) -> Type[BaseConfig]:
    """The class a command's required ``CLASS`` argument names."""
    cls = class_named(args.class_name, args.release)
    assert cls is not None  # a required argument
    return cls
