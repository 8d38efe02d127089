"""What the commands read: files or standard input, the classes and releases the command line names."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from ..core.build import BaseConfig, suggest
from ..core.dicts import unstructure
from ..core.errors import ErrorDetail, FileError, FileProblem
from ..files import (
    CLASS_KEY,
    MAX_BYTES,
    Format,
    class_for,
    decode,
    document,
    from_data,
    json_form,
    parse,
    read,
    release_classes,
)
from ..files.formats import format_of
from ..files.shapes.api import Shaped, read_shaped, settings_of
from ..files.shapes.checkpoint import checkpoint_mapping, is_checkpoint
from ..files.shapes.settings import apply_settings
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
        self.shaped: Optional[Shaped] = None

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
    name, data, _, _ = read_text_input(path, fmt)
    return name, data


_STDIN_READ: Dict[str, Any] = {}


def read_text_input(path: str, fmt: Optional[Format]) -> Tuple[str, Dict[str, Any], str, Format]:
    """The name to report an input by, the mapping it holds, its text and its format.

    Standard input is read once; a second call gives what the first read.
    """
    if path != STDIN and fmt is None and is_checkpoint(path):
        return path, checkpoint_mapping(path), "", "json"
    if path != STDIN:
        data = read(path, fmt)
        chosen = fmt or format_of(path)
        text = ""
        if chosen == "yaml":  # kept for a rfdetr fit file, read again as jsonargparse reads it
            with open(path, "rb") as fh:
                text = decode(fh.read(MAX_BYTES + 1), path)
        return path, data, text, chosen
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin closed or replaced by something without bytes
        raise FileError(STDIN_NAME, [FileProblem("cannot be read: standard input is not open", "io")])
    if _STDIN_READ.get("stream") is not stream:
        _STDIN_READ.update(stream=stream, text=decode(stream.read(MAX_BYTES + 1), STDIN_NAME))
    text = _STDIN_READ["text"]
    return STDIN_NAME, parse(text, fmt or "json", STDIN_NAME), text, fmt or "json"


def load_input(path: str, args: argparse.Namespace) -> Outcome:
    """Read and build one input as the command line says, catching every problem of the file."""
    outcome = Outcome(STDIN_NAME if path == STDIN else path)
    cls = class_named(args.class_name, args.release)
    data: Optional[Dict[str, Any]] = None
    try:
        outcome.name, data, text, fmt = read_text_input(path, args.format)
        if cls is None:
            shaped = read_shaped(data, outcome.name, release=args.release, text=text, fmt=fmt, settings=_sets(args))
            if shaped is not None:
                outcome.shaped = shaped
                outcome.warnings = [one_line(w) for w in shaped.warnings]
                outcome.document = shaped_document(shaped, outcome.name)
                return outcome
        data = with_settings(data, args, outcome.name)
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


def _sets(args: argparse.Namespace) -> List[Any]:
    try:
        return settings_of(getattr(args, "sets", None) or [])
    except ValueError as error:
        raise Usage(str(error)) from None


def with_settings(data: Dict[str, Any], args: argparse.Namespace, name: str) -> Dict[str, Any]:
    """The mapping with the command line's ``--set`` changes applied."""
    texts = getattr(args, "sets", None) or []
    if not texts:
        return data
    try:
        settings = settings_of(texts)
    except ValueError as error:
        raise Usage(str(error)) from None
    return apply_settings(data, settings, name)


def shaped_document(shaped: Shaped, name: str) -> Dict[str, Any]:
    """What ``validate`` prints for a file of rfdetr's own shapes: a run as rfdetr writes it, a bare dump's fields."""
    if shaped.run is not None:
        return json_form(shaped.run.dump(), name)
    assert shaped.config is not None
    return json_form(unstructure(shaped.config), name)
