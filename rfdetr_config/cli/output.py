"""What the command prints: one line per problem on stderr, JSON on stdout."""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Dict, Optional, Sequence

from ..core.errors import ErrorDetail, describe
from ..files import CLASS_KEY

__all__ = ["file_problems", "message", "one_line", "print_json", "problem_line", "shown", "warn"]

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
    return one_line(describe(detail))


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


def warn(line: str) -> None:
    """One line on stderr."""
    print(line, file=sys.stderr)


def file_problems(name: str, details: Sequence[ErrorDetail]) -> int:
    """Print a file's problems; the exit status of an invalid file."""
    for detail in details:
        warn(problem_line(name, detail))
    return EXIT_INVALID
