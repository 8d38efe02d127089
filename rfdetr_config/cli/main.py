"""The command line: the parser of every command, and the one place that turns failures into exit statuses."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import NoReturn, Optional, Sequence

from .. import __version__
from ..core.errors import FileError
from ..files import CLASS_KEY, RELEASE_KEY
from ..releases import RELEASES, TOP
from . import changes, detect, diff, fit_shape, migrate, show, validate
from .arguments import PROG, HelpFormatter, exit_statuses
from .inputs import Usage
from .output import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_USAGE, message, one_line, warn, width, wrapped

__all__ = ["main"]

_EXAMPLES = f"""examples (none needs an extra):
  {PROG} show TrainConfig --format json > train.json
  {PROG} validate train.json
  {PROG} validate - --input-format json < train.json
  {PROG} show KeypointTrainConfig --format json > keypoint.json
  {PROG} validate train.json keypoint.json --jsonl
  {PROG} diff train.json keypoint.json
  {PROG} schema TrainConfig > train.schema.json
  {PROG} show RFDETRNanoConfig
  {PROG} show TrainConfig --release 1.8.1 --format json > old.json
  {PROG} migrate old.json --to {TOP} -o new.json
  {PROG} detect old.json
  {PROG} changes 1.8.1 {TOP} --class TrainConfig"""

_NOTES = (
    f'A file names its class under the key "{CLASS_KEY}" (rc.dump and show --format write it), or --class does, '
    f'and its rfdetr release under "{RELEASE_KEY}", or --release does (default: rfdetr {TOP}; supported: rfdetr '
    f"{RELEASES[0]} to {RELEASES[-1]}).",
    "Writing TOML needs the toml extra (reading it too, on Python 3.10); YAML needs the yaml extra.",
)

_EXITS = (
    (0, "the command succeeded: every file is valid (each command's --help says what it means there)"),
    (1, "a file is invalid or cannot be read, or the command cannot be carried out (diff: the files differ)"),
)


def _epilog() -> str:
    notes = "\n".join(textwrap.fill(note, width()) for note in _NOTES)
    return f"{_EXAMPLES}\n\n{notes}\n\n{exit_statuses(_EXITS)}"


class _Parser(argparse.ArgumentParser):
    """Reports a wrong command line on one line, with where to look, instead of the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, "\n".join(wrapped(f"{self.prog}: {one_line(message)} (see {self.prog} --help)")) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Validate, show, compare and migrate RF-DETR configurations, without pydantic or torch.",
        epilog=_epilog(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__} (rfdetr {RELEASES[0]} to {RELEASES[-1]}; by default rfdetr {TOP})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (validate, show, diff, migrate, changes, detect, fit_shape):
        module.add(commands)
    return parser


def _run(argv: Optional[Sequence[str]]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a wrong command line, already printed
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        return int(args.run(args))
    except Usage as error:
        warn(f"{PROG} {args.command}: {error} (see {PROG} {args.command} --help)")
        return EXIT_USAGE
    except FileError as error:  # the command cannot be carried out: a missing extra
        for detail in error.details:
            warn(f"{PROG}: {message(detail)}")
        return EXIT_INVALID


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line on ``argv`` (the process's arguments by default); returns the exit status."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        _stop_writing()
        return EXIT_OK
    except MemoryError:  # pragma: no cover - the inputs are bounded; a machine can still run out
        print(f"{PROG}: out of memory", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a bug of ours, not a problem of the input: still one line
        print(f"{PROG}: internal error: {type(error).__name__}: {one_line(str(error))}", file=sys.stderr)
        return EXIT_INVALID


def _stop_writing() -> None:
    """Point stdout at nothing, so that Python's flush at exit does not fail again on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a file descriptor
        pass
