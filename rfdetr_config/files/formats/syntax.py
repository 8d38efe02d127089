"""Syntax errors of every format, placed by line and column, and the extras a format needs."""

from __future__ import annotations

import re
from typing import Optional, Tuple

from ...core.errors import FileError, FileProblem
from ..limits import digit_limit

__all__ = ["LONG_INTEGER", "at", "long_integer", "missing_extra", "syntax"]


def at(text: str, index: int) -> Tuple[int, int]:
    """The line and column (from 1) of a character of ``text``."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def syntax(
    source: str,
    fmt: str,
    message: str,
    text: str,
    index: Optional[int] = None,
    *,
    line: Optional[int] = None,
    column: Optional[int] = None,
) -> FileError:
    """A syntax error of ``fmt`` placed at ``index`` of ``text``, or at ``line`` and ``column``."""
    if index is not None:
        line, column = at(text, index)
    return FileError(source, [FileProblem(f"not valid {fmt}: {message}", "syntax", line=line, column=column)])


LONG_INTEGER = "an integer with more than {limit} digits"


def long_integer(source: str, fmt: str, text: str) -> FileError:
    """Python reads no integer longer than its digit limit; the first one that long is where the text fails."""
    limit = digit_limit()
    found = re.search(rf"[0-9](?:_?[0-9]){{{limit},}}", text)
    return syntax(source, fmt, LONG_INTEGER.format(limit=limit), text, found.start() if found else None)


def missing_extra(source: str, what: str, package: str, extra: str) -> FileError:
    """The error for a format whose extra is not installed, with the command that installs it."""
    message = f"{what} needs {package} (the {extra!r} extra): pip install {package}"
    return FileError(source, [FileProblem(message, "missing_extra")])
