"""What goes wrong, and how it is told: the one exception that invalid input raises, and the warnings.

Validation never stops at the first problem: every converter and validator reports into a list of
:class:`ErrorDetail`, and :class:`ConfigError` carries the whole list (its ``details``, which its message
shows, one line each). Each failure also knows how rfdetr's pydantic reports it (pydantic's type, its
context, the member failures of a union), and :meth:`~rfdetr_config.ConfigError.errors` renders those:
pydantic's ``ValidationError.errors()`` list, entry for entry, so that code written against rfdetr keeps
working. Where pydantic stops early (a failing "before" model validator, the first failing assignment),
``errors()`` holds only what pydantic reports, and ``details`` still holds everything.
"""

from __future__ import annotations

import decimal
import os
import sys
import warnings
from typing import Any, Dict, Optional, Protocol, Sequence, Tuple, Type, Union

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
    "pydantic_message",
    "warn_at_caller",
]


Members = Tuple[Tuple[str, "FieldError"], ...]
"""The failure of each member of a union, with pydantic's tag for the member, in the annotation's order."""


class FieldError(ValueError):
    """A single value failed one rule.

    Raised by converters and validators; the machinery that runs them catches it and files it
    under the field's path, so it never reaches the caller on its own.

    Args:
        msg: The rule that failed, phrased for a person ("must be >= 1").
        value: The offending value.
        loc: The path below the field (a list index, a dict key) where the failure sits.
        kind: A short machine-readable tag for the rule.
        reported: pydantic's type for the failure, where it is not ``kind``.
        ctx: pydantic's context for it (``{"ge": 1}``, ``{"expected": "'a' or 'b'"}``; for a
            ``value_error``, ``{"error": text}``, the text of the ValueError rfdetr raises).
        members: For a union, each member's failure: pydantic reports one entry per member.
    """

    __slots__ = ("kind", "loc", "msg", "value")
    # Most failures are reported by pydantic as they are: these stay the class's, set only where they differ.
    reported: Optional[str] = None
    ctx: Optional[Dict[str, Any]] = None
    members: Members = ()

    def __init__(
        self,
        msg: str,
        value: Any,
        loc: Loc = (),
        kind: str = "value_error",
        *,
        reported: Optional[str] = None,
        ctx: Optional[Dict[str, Any]] = None,
        members: Members = (),
    ) -> None:
        self.msg = msg
        self.value = value
        self.loc = loc
        self.kind = kind
        if reported is not None:
            self.reported = reported
        if ctx is not None:
            self.ctx = ctx
        if members:
            self.members = members

    @classmethod
    def rfdetr(cls, text: str, value: Any, kind: str = "value_error", *, msg: Optional[str] = None) -> FieldError:
        """A ValueError rfdetr's own validator raises with ``text``: pydantic reports a ``value_error``.

        ``msg`` is our wording, where it says more than rfdetr's ``text``.
        """
        return cls(text if msg is None else msg, value, kind=kind, reported="value_error", ctx={"error": text})

    def moved(self, loc: Loc, value: Any = None, *, prefix: str = "") -> FieldError:
        """The same failure at ``loc`` (below an element or key), keeping how pydantic reports it."""
        return FieldError(
            prefix + self.msg,
            self.value if value is None else value,
            loc,
            self.kind,
            reported=self.reported,
            ctx=self.ctx,
            members=self.members,
        )

    def __str__(self) -> str:
        return self.msg

    def __reduce__(self) -> tuple[Any, ...]:
        state = (self.reported, self.ctx, self.members)
        return (_field_error, (self.msg, self.value, self.loc, self.kind, *state))


def _field_error(msg: str, value: Any, loc: Loc, kind: str, reported: Any, ctx: Any, members: Members) -> FieldError:
    return FieldError(msg, value, loc, kind, reported=reported, ctx=ctx, members=members)


class FieldErrors(FieldError):
    """Several failures inside one container field, one per bad element or key."""

    __slots__ = ("failures",)

    def __init__(self, failures: list[FieldError]) -> None:
        first = failures[0]
        super().__init__(first.msg, first.value, first.loc, first.kind)
        self.failures = failures

    def __reduce__(self) -> tuple[Any, ...]:
        return (FieldErrors, (self.failures,))


_NOT_GIVEN: Any = object()

# pydantic-core's message templates for the types rfdetr's classes produce; ``{name}`` is from ctx.
_TEMPLATES: Dict[str, str] = {
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "bool_type": "Input should be a valid boolean",
    "callable_type": "Input should be callable",
    "dict_type": "Input should be a valid dictionary",
    "enum": "Input should be {expected}",
    "extra_forbidden": "Extra inputs are not permitted",
    "finite_number": "Input should be a finite number",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "float_type": "Input should be a valid number",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_parsing_size": "Unable to parse input string as an integer, exceeded maximum size",
    "int_type": "Input should be a valid integer",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "list_type": "Input should be a valid list",
    "literal_error": "Input should be {expected}",
    "missing": "Field required",
    "path_type": "Input is not a valid path for <class 'pathlib.Path'>",
    "string_type": "Input should be a valid string",
    "string_unicode": "Input should be a valid string, unable to parse raw data as a unicode string",
    "value_error": "Value error, {error}",
}


def _number(value: Any) -> str:
    """A bound as pydantic prints it: an int as it is, a float as Rust prints an f64 (``1``, ``0.5``, no exponent)."""
    if not isinstance(value, float):
        return str(value)
    text = format(decimal.Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def pydantic_message(type: str, ctx: Optional[Dict[str, Any]], fallback: str) -> str:
    """The ``msg`` pydantic gives an entry of ``type`` with ``ctx``; ``fallback`` for a type pydantic does not have."""
    template = _TEMPLATES.get(type)
    if template is None:
        return fallback
    if ctx is None:
        return template
    return template.format_map({k: _number(v) if isinstance(v, (int, float)) else v for k, v in ctx.items()})


class _Lazy(Protocol):
    def failure(self, value: Any) -> FieldError: ...


Source = Union[None, FieldError, Tuple[_Lazy, Any]]
"""How pydantic reports a failure: as it is (None), as a :class:`FieldError` says, or as ``check.failure(value)``."""


class ErrorDetail:
    """One failure: where, what rule, which input, and how pydantic reports it.

    Kept as a small value object so the message and ``errors()`` are rendered from the same data.
    pydantic's side is the ``source``: None where pydantic reports the failure as it is, else the
    ``FieldError`` that was raised (``reported``, ``ctx``, ``members``), or a check and the value it
    refused, asked only when ``errors()`` is called; nothing of it is rendered before.
    """

    __slots__ = ("input", "loc", "msg", "source", "type")

    def __init__(self, loc: Loc, msg: str, input: Any, type: str, source: Source = None) -> None:
        self.loc = loc
        self.msg = msg
        self.input = input
        self.type = type
        self.source = source

    @classmethod
    def from_field_error(cls, field: str, error: FieldError, raw: Any = _NOT_GIVEN) -> ErrorDetail:
        """File ``error`` under ``field``; ``raw`` is the field's value as given, the input of a field-level failure."""
        value = error.value if raw is _NOT_GIVEN or error.loc else raw
        plain = error.reported is None and error.ctx is None and not error.members
        source = None if plain else _detached(error)
        return cls((field, *error.loc) if error.loc else (field,), error.msg, value, error.kind, source)

    @classmethod
    def all_from(cls, field: str, error: FieldError, raw: Any = _NOT_GIVEN) -> list[ErrorDetail]:
        """File ``error`` under ``field``, one detail per failure it holds."""
        if isinstance(error, FieldErrors):
            return [cls.from_field_error(field, e, raw) for e in error.failures]
        return [cls.from_field_error(field, error, raw)]

    @classmethod
    def whole(cls, text: str, input: Any, kind: str = "value_error") -> ErrorDetail:
        """A ValueError of one of rfdetr's model validators: no field, the whole input as pydantic's input."""
        return cls((), text, input, kind, FieldError.rfdetr(text, input))

    def as_dict(self) -> dict[str, Any]:
        """Our own view of the failure: type, loc, our message and the input."""
        return {"type": self.type, "loc": self.loc, "msg": self.msg, "input": self.input}

    def entries(self) -> list[dict[str, Any]]:
        """The entries pydantic's ``errors()`` has for this failure: one, or one per member of a union."""
        source = self.source
        if isinstance(source, tuple):
            check, refused = source
            source = check.failure(refused)
        if source is None:
            source = _AS_IT_IS
        if source.members:
            out = []
            for tag, member in source.members:
                failures = member.failures if isinstance(member, FieldErrors) else [member]
                for failure in failures:
                    inner = ErrorDetail.from_field_error(tag, failure)
                    inner.loc = (*self.loc, *inner.loc)
                    out.extend(inner.entries())
            return out
        type = source.reported or self.type
        ctx = source.ctx
        entry = {"type": type, "loc": self.loc, "msg": pydantic_message(type, ctx, self.msg), "input": self.input}
        if ctx is not None:
            entry["ctx"] = {"error": ValueError(ctx["error"])} if type == "value_error" else dict(ctx)
        return [entry]

    def __repr__(self) -> str:
        return f"ErrorDetail(loc={self.loc!r}, msg={self.msg!r}, input={self.input!r})"


_AS_IT_IS = FieldError("", None)


def _detached(error: FieldError) -> FieldError:
    """``error`` without the traceback (and context) it was raised with, and so its members.

    A kept exception keeps its traceback, and the traceback the frames that raised and caught it, among
    them the build function's, which holds the list this failure goes into: a cycle, which only the
    garbage collector frees, and which keeps every value of the build alive until it does.
    """
    error.__traceback__ = None
    error.__context__ = None
    for _, member in error.members:
        _detached(member)
        for failure in getattr(member, "failures", ()):
            _detached(failure)
    return error


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

    def __init__(
        self, title: str, details: Sequence[ErrorDetail], reported: Optional[Sequence[ErrorDetail]] = None
    ) -> None:
        self.title = title
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        self.reported: tuple[ErrorDetail, ...] = self.details if reported is None else tuple(reported)
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
        """What pydantic's ``ValidationError.errors()`` gives for the same input, entry for entry (without ``url``).

        Each entry has ``type``, ``loc``, ``msg`` and ``input``, and ``ctx`` where pydantic gives one; the
        texts are pydantic's. Where pydantic stops before looking at the fields (a failing "before" model
        validator, such as unknown keys) or at the first failing assignment, so does this list; every
        failure found, in our words and with a did-you-mean for unknown keys, is in ``details`` and in
        the message.
        """
        return [entry for d in self.reported for entry in d.entries()]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.title, self.details, None if self.reported == self.details else self.reported))


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

    def entries(self) -> list[dict[str, Any]]:
        """A file's problem has no pydantic counterpart: our own view, as :meth:`as_dict`."""
        return [self.as_dict()]

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
        reported: The failures pydantic would report, where they are fewer than ``details`` (see
            :class:`ConfigError`); a file's content keeps the view of the error it raised.
    """

    def __init__(
        self,
        source: str,
        details: Sequence[ErrorDetail],
        *,
        class_name: Optional[str] = None,
        reported: Optional[Sequence[ErrorDetail]] = None,
    ) -> None:
        self.source = source
        self.class_name = class_name
        super().__init__(source if class_name is None else f"{source} ({class_name})", details, reported)

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
        reported = None if self.reported == self.details else self.reported
        return (_file_error, (self.source, self.details, self.class_name, reported))


def _file_error(
    source: str,
    details: Sequence[ErrorDetail],
    class_name: Optional[str],
    reported: Optional[Sequence[ErrorDetail]] = None,
) -> FileError:
    return FileError(source, details, class_name=class_name, reported=reported)


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
