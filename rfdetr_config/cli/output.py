"""What the command prints: one line per problem on stderr, JSON on stdout."""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import textwrap
from typing import Any, Dict, List, Optional, Sequence

from ..core.errors import ErrorDetail, FileProblem, describe
from ..files import CLASS_KEY

__all__ = [
    "PROG",
    "file_problems",
    "message",
    "one_line",
    "print_json",
    "problem_line",
    "say",
    "shown",
    "table",
    "warn",
    "width",
    "wrapped",
]

PROG = "rfdetr-config"

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def one_line(text: str) -> str:
    """``text`` on one line: a problem is one line of stderr."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def shown(name: str) -> str:
    """A file name as it can stand on one line: control characters escaped as Python writes them."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda found: repr(found.group())[1:-1], name)


def error_record(detail: ErrorDetail) -> Dict[str, Any]:
    return {
        "loc": [part if isinstance(part, (str, int)) else repr(part) for part in detail.loc],
        "type": detail.type,
        "message": message(detail),
        "line": getattr(detail, "line", None),
        "column": getattr(detail, "column", None),
    }


def message(detail: ErrorDetail) -> str:
    """A problem's message as the command says it."""
    if detail.type == "class_missing":
        return f'no class given: pass --class NAME, or add "{CLASS_KEY}": NAME to the file'
    text = one_line(describe(detail))
    if detail.type == "release_mismatch":  # the API's pointer, as the command that says the same
        text = re.sub(r"rfdetr_config\.changes\('([^']*)', '([^']*)'\)", rf"{PROG} changes \1 \2", text)
    return text


def problem_line(name: str, detail: ErrorDetail) -> str:
    """``FILE:LINE:COLUMN: message`` where the parser gave a place, else ``FILE: message``."""
    line = getattr(detail, "line", None)
    where = shown(name) if line is None else f"{shown(name)}:{line}:{getattr(detail, 'column', None) or 1}"
    return one_line(f"{where}: {message(detail)}")


def print_json(value: Any, *, indent: Optional[int] = 2) -> None:
    """Print JSON as the file writers write it; escaped to ASCII if the terminal's encoding cannot show it."""
    try:
        print(json.dumps(value, indent=indent, ensure_ascii=False))
    except UnicodeEncodeError:
        print(json.dumps(value, indent=indent, ensure_ascii=True))


DEFAULT_WIDTH = 100
"""The width of a line when ``COLUMNS`` does not say."""


def width() -> int:
    """How wide a line may be: ``COLUMNS``, else :data:`DEFAULT_WIDTH`.

    Whatever the output is, so that what the command prints does not depend on where it goes.
    """
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return DEFAULT_WIDTH
    return columns if columns >= 40 else DEFAULT_WIDTH


def wrapped(line: str, indent: str = "    ") -> List[str]:
    """``line`` cut to the width: the first piece as it starts, the rest under ``indent``."""
    if len(line) <= width():
        return [line]
    return textwrap.wrap(line, width(), subsequent_indent=indent, break_on_hyphens=False, drop_whitespace=True) or [
        line
    ]


def warn(line: str) -> None:
    """One message on stderr: one line, continued on indented lines if it is wider than the terminal."""
    print("\n".join(wrapped(line)), file=sys.stderr)


def say(line: str, indent: str = "    ") -> None:
    """One line of text on stdout, continued on indented lines if it is wider than the terminal."""
    print("\n".join(wrapped(line, indent)))


def _cell(text: str, room: int) -> List[str]:
    """A cell's lines: cut between words, and inside one only if a word is wider than the column."""
    lines = textwrap.wrap(text, room, break_on_hyphens=False, break_long_words=False)
    if any(len(line) > room for line in lines):
        lines = textwrap.wrap(text, room, break_on_hyphens=False)
    return lines or [""]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], room: Optional[int] = None) -> List[str]:
    """Rows in aligned columns that fit the width.

    The last column (prose) is narrowed first, then the widest but the first (the names), their cells
    wrapped between words where the words allow it.
    """
    room = width() if room is None else room
    columns = len(header)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(columns)]
    words = [max(len(word) for row in [header, *rows] for word in [*row[i].split(), ""]) for i in range(columns)]
    last = columns - 1  # the prose column gives way first, down to a readable width
    while sum(widths) + 2 * last > room and widths[last] > max(words[last], 30):
        widths[last] -= 1
    while sum(widths) + 2 * (columns - 1) > room:
        narrower = [i for i in range(1, columns) if widths[i] > max(words[i], 8)]
        narrower = narrower or [i for i in range(1, columns) if widths[i] > 8] or [i for i in [0] if widths[i] > 8]
        if not narrower:
            break
        widest = max(narrower, key=lambda i: widths[i])
        widths[widest] -= 1
    lines: List[str] = []
    for row in [header, *rows]:
        cells = [_cell(cell, w) for cell, w in zip(row, widths, strict=True)]
        for parts in itertools.zip_longest(*cells, fillvalue=""):
            lines.append("  ".join(f"{part:{w}}" for part, w in zip(parts, widths, strict=True)).rstrip())
    return lines


def file_problems(name: str, details: Sequence[ErrorDetail]) -> int:
    """Print a file's problems; the exit status of an invalid file."""
    for detail in details:
        warn(problem_line(name, detail))
    return EXIT_INVALID


def write_file(path: str, text: str) -> bool:
    """Write a command's output file; a failure is one line on stderr and ``False``."""
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        warn(problem_line(path, FileProblem(f"cannot be written: {reason}", "io")))
        return False
    return True
