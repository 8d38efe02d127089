"""What the commands read: files or standard input, the classes and releases the command line names."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from ..core.build import BaseConfig, suggest
from ..core.errors import ErrorDetail, FileError, FileProblem
from ..files import (
    CLASS_KEY,
    MAX_BYTES,
    Format,
    class_for,
    decode,
    document,
    from_data,
    parse,
    read,
    release_classes,
)
from ..releases import RELEASES, release_hint
from .hints import problems_of
from .output import error_record, one_line, shown

STDIN = "-"
STDIN_NAME = "<stdin>"


class Usage(Exception):
    """A command line that argparse accepts but the command cannot: exit status 2."""


def release_named(text: str) -> str:
    """A release number from the command line, if supported (argparse's ``type``)."""
    if text in RELEASES:
        return text
    hint = release_hint(text)
    raise argparse.ArgumentTypeError(
        f"unsupported rfdetr release {text!r}; {hint or 'supported: ' + ', '.join(RELEASES)}"
    )


def class_named(name: Optional[str], release: Optional[str]) -> Optional[Type[BaseConfig]]:
    """The class ``name`` of ``release`` (the package's own by default); a usage error with a did-you-mean."""
    if name is None:
        return None
    classes = release_classes(release)
    if name in classes:
        return classes[name]
    hint = suggest(name, classes)
    detail = f"did you mean {hint!r}?" if hint else f"one of: {', '.join(classes)}"
    raise Usage(f"unknown class {name!r}; {detail}")


class Outcome:
    """What became of one input: its config in file form, or its problems; and the warnings it raised."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.document: Optional[Dict[str, Any]] = None
        self.problems: List[ErrorDetail] = []
        self.warnings: List[str] = []

    def record(self) -> Dict[str, Any]:
        """The JSON record the command prints for this input when it prints one per input."""
        return {
            "file": self.name,
            "valid": not self.problems,
            "config": self.document,
            "errors": [error_record(d) for d in self.problems],
            "warnings": self.warnings,
        }


def read_input(path: str, fmt: Optional[Format]) -> Tuple[str, Dict[str, Any]]:
    """The name to report an input by, and the mapping it holds."""
    if path != STDIN:
        return path, read(path, fmt)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin closed or replaced by something without bytes
        raise FileError(STDIN_NAME, [FileProblem("cannot be read: standard input is not open", "io")])
    return STDIN_NAME, parse(decode(stream.read(MAX_BYTES + 1), STDIN_NAME), fmt or "json", STDIN_NAME)


def load_input(path: str, args: argparse.Namespace) -> Outcome:
    """Read and build one input as the command line says, catching every problem of the file."""
    outcome = Outcome(STDIN_NAME if path == STDIN else path)
    cls = class_named(args.class_name, args.release)
    data: Optional[Dict[str, Any]] = None
    try:
        outcome.name, data = read_input(path, args.format)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            config = from_data(data, cls, source=outcome.name, release=args.release)
        outcome.warnings = [one_line(f"{w.category.__name__}: {w.message}") for w in caught]
        outcome.document = document(config, outcome.name)
    except FileError as error:
        outcome.problems = problems_of(
            error, data, args.release, stdin=path == STDIN, format_chosen=args.format is not None
        )
    return outcome


def check_inputs(paths: Sequence[str]) -> None:
    """Refuse reading standard input twice."""
    if sum(path == STDIN for path in paths) > 1:
        raise Usage("standard input (-) can be read only once")


def header_class(header: Dict[str, str], given: Optional[Type[BaseConfig]], name: str, release: Optional[str]) -> str:
    """The name of the class a file holds: ``--class``'s, which the header must agree with, or the header's.

    A missing class is a usage error rather than a problem of the file, as a missing source release is for
    ``migrate``: the command line can supply what the file leaves out.
    """
    if given is None and CLASS_KEY not in header:
        raise Usage(f'no class given: pass --class NAME, or add "{CLASS_KEY}": NAME to {shown(name)}')
    if given is not None:
        class_for({CLASS_KEY: header[CLASS_KEY]} if CLASS_KEY in header else {}, given, name)
        return given.__name__
    return class_for({CLASS_KEY: header[CLASS_KEY]}, None, name, release=release).__name__
