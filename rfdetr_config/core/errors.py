"""What goes wrong, and how it is told: the one exception that invalid input raises, and the warnings.

Validation never stops at the first problem: every converter and validator reports into a list of
:class:`ErrorDetail`, and :class:`ConfigError` carries the whole list. Its :meth:`~rfdetr_config.ConfigError.errors`
is shaped like pydantic's ``ValidationError.errors()`` so that code written against rfdetr keeps working.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Optional, Sequence, Tuple, Type, Union

Loc = Tuple[Union[str, int], ...]

__all__ = [
    "ConfigError",
    "ErrorDetail",
    "FieldError",
    "FieldErrors",
    "FileError",
    "FileProblem",
    "PretrainWeightsCompatibilityWarning",
    "describe",
    "emit_at_caller",
    "format_loc",
    "warn_at_caller",
]


class FieldError(ValueError):
    """A single value failed one rule.

    Raised by converters and validators; the machinery that runs them catches it and files it
    under the field's path, so it never reaches the caller on its own.

    Args:
        msg: The rule that failed, phrased for a person ("must be >= 1").
        value: The offending value.
        loc: The path below the field (a list index, a dict key) where the failure sits.
        kind: A short machine-readable tag for the rule.
    """

    __slots__ = ("kind", "loc", "msg", "value")

    def __init__(self, msg: str, value: Any, loc: Loc = (), kind: str = "value_error") -> None:
        self.msg = msg
        self.value = value
        self.loc = loc
        self.kind = kind

    def __str__(self) -> str:
        return self.msg


class FieldErrors(FieldError):
    """Several failures inside one container field, one per bad element or key."""

    __slots__ = ("failures",)

    def __init__(self, failures: list[FieldError]) -> None:
        first = failures[0]
        super().__init__(first.msg, first.value, first.loc, first.kind)
        self.failures = failures


class ErrorDetail:
    """One failure: where, what rule, which input.

    Kept as a small value object so the message and ``errors()`` are rendered from the same data.
    """

    __slots__ = ("input", "loc", "msg", "type")

    def __init__(self, loc: Loc, msg: str, input: Any, type: str) -> None:
        self.loc = loc
        self.msg = msg
        self.input = input
        self.type = type

    @classmethod
    def from_field_error(cls, field: str, error: FieldError) -> ErrorDetail:
        """File ``error`` under ``field``."""
        return cls((field, *error.loc), error.msg, error.value, error.kind)

    @classmethod
    def all_from(cls, field: str, error: FieldError) -> list[ErrorDetail]:
        """File ``error`` under ``field``, one detail per failure it holds."""
        failures = error.failures if isinstance(error, FieldErrors) else [error]
        return [cls.from_field_error(field, e) for e in failures]

    def as_dict(self) -> dict[str, Any]:
        """The pydantic-shaped form that :meth:`~rfdetr_config.ConfigError.errors` returns."""
        return {"type": self.type, "loc": self.loc, "msg": self.msg, "input": self.input}

    def __repr__(self) -> str:
        return f"ErrorDetail(loc={self.loc!r}, msg={self.msg!r}, input={self.input!r})"


def format_loc(loc: Loc) -> str:
    """Render a path the way Python code would index it: ``keypoint_oks_sigmas[2]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not out:
            out = part
        else:
            out += f".{part}" if part.isidentifier() else f"[{part!r}]"
    return out or "<root>"


def _short_repr(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ConfigError(ValueError):
    """Raised for every invalid configuration input, naming each bad field at once.

    A ``ValueError`` so that callers who already catch rfdetr's ``ValidationError`` (also a
    ``ValueError``) or plain ``ValueError`` keep working.

    Args:
        title: What was being built or loaded, e.g. ``"TrainConfig"``.
        details: Every failure found.
    """

    def __init__(self, title: str, details: Sequence[ErrorDetail]) -> None:
        self.title = title
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        self._message: str | None = None
        super().__init__(title)

    def __str__(self) -> str:
        """The full message, rendered when first asked for: code that catches and moves on pays nothing."""
        if self._message is None:
            self._message = self._render()
        return self._message

    def __repr__(self) -> str:
        return f"ConfigError({self.title!r}, {len(self.details)} error(s): {[format_loc(d.loc) for d in self.details]})"

    def _render(self) -> str:
        count = len(self.details)
        noun = "error" if count == 1 else "errors"
        lines = [f"{count} {noun} in {self.title}:"]
        lines += [f"  {describe(d)}" for d in self.details]
        return "\n".join(lines)

    def errors(self) -> list[dict[str, Any]]:
        """Every failure as a dict with ``type``, ``loc``, ``msg`` and ``input``, in field order."""
        return [d.as_dict() for d in self.details]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.title, self.details))


class FileProblem(ErrorDetail):
    """A failure of a file's text rather than of a field's value: unreadable, not parseable, a duplicate key.

    Its message says all there is to say, so no input is shown after it (the input would be the file, or
    nothing at all). Where the parser knows the place, ``line`` and ``column`` give it, counting from 1, so
    that editors and the command line can point at it; ``errors()`` carries them under ``ctx``.
    """

    __slots__ = ("column", "line")

    def __init__(
        self, msg: str, type: str, *, loc: Loc = (), line: Optional[int] = None, column: Optional[int] = None
    ) -> None:
        super().__init__(loc, msg, None, type)
        self.line = line
        self.column = column

    def as_dict(self) -> dict[str, Any]:
        """The pydantic-shaped form, with the position under ``ctx`` when there is one."""
        shaped = super().as_dict()
        if self.line is not None:
            shaped["ctx"] = {"line": self.line, "column": self.column}
        return shaped

    def __repr__(self) -> str:
        return f"FileProblem(loc={self.loc!r}, msg={self.msg!r}, line={self.line!r}, column={self.column!r})"


def describe(detail: ErrorDetail) -> str:
    """One failure on one line, without the file it is in: ``batch_size: must be >= 1 (got 0)``.

    The command line prints this after the file's name and position, and :class:`FileError` after an
    indent, so that both say the same thing in the same words.
    """
    where = format_loc(detail.loc)
    if isinstance(detail, FileProblem):
        return f"{where}: {detail.msg}" if detail.loc else detail.msg
    if detail.type == "missing" or not detail.loc:  # nothing given, or a rule on the whole input
        return f"{where}: {detail.msg}"
    return f"{where}: {detail.msg} (got {_short_repr(detail.input)})"


class FileError(ConfigError):
    """A file, or text in a file format, that cannot be read, parsed or built into its configuration class.

    The title is the file once (``train.json``), with the class when one was chosen, and each problem
    follows on its own line, with the line and column where the parser found it.

    Args:
        source: The file's path, or a name for text that did not come from a file.
        details: Every failure found.
        class_name: The configuration class the content was built as, once known.
    """

    def __init__(self, source: str, details: Sequence[ErrorDetail], *, class_name: Optional[str] = None) -> None:
        self.source = source
        self.class_name = class_name
        super().__init__(source if class_name is None else f"{source} ({class_name})", details)

    def _render(self) -> str:
        count = len(self.details)
        lines = [f"{count} {'error' if count == 1 else 'errors'} in {self.title}:"]
        for d in self.details:
            line = getattr(d, "line", None)
            if line is None:
                lines.append(f"  {describe(d)}")
            else:
                lines.append(f"  line {line}, column {getattr(d, 'column', None)}: {describe(d)}")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_file_error, (self.source, self.details, self.class_name))


def _file_error(source: str, details: Sequence[ErrorDetail], class_name: Optional[str]) -> FileError:
    return FileError(source, details, class_name=class_name)


class PretrainWeightsCompatibilityWarning(UserWarning):
    """A model configuration overrides what its variant's published weights need.

    Loading those weights will then leave large parts of the model randomly initialised. Filter it
    with the usual ``warnings`` machinery when the override is intended.
    """


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_CATTRS_DIR = f"{os.sep}cattrs{os.sep}"
_INTERNAL_FILES: dict[str, bool] = {}


def _caller_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside this package and cattrs, seen from our caller."""
    frame = sys._getframe(2)
    level = 2
    while frame.f_back is not None:
        filename = frame.f_code.co_filename
        internal = _INTERNAL_FILES.get(filename)
        if internal is None:
            internal = _INTERNAL_FILES[filename] = (
                filename.startswith((_PACKAGE_DIR, "<rfdetr_config generated")) or _CATTRS_DIR in filename
            )
        if not internal:
            break
        frame = frame.f_back
        level += 1
    return level


def warn_at_caller(message: str, category: Type[Warning]) -> None:
    """Warn with the location of the user's call, however deep inside the package it is raised.

    A fixed ``stacklevel`` would point into the package whenever the same rule is reached through a
    different path (constructor, ``structure``, ``replace``).
    """
    warnings.warn(message, category, stacklevel=_caller_stacklevel())


def emit_at_caller(notices: Sequence[tuple[str, Type[Warning]]]) -> None:
    """Emit several warnings, in order, all at the user's call site (found once)."""
    level = _caller_stacklevel()
    for message, category in notices:
        warnings.warn(message, category, stacklevel=level)
