"""Range checks as attrs validators.

Each check is a small frozen object that is callable the attrs way, ``(instance, attribute, value)``,
and also readable: its bounds are data, so the docs, the JSON Schema and the test strategies derive
from the same object that does the checking. Every comparison is written so that NaN fails it, which
is what the reference does for each of these rules.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional, Union

import attrs

from ..core.errors import FieldError

Number = Union[int, float]

__all__ = ["Interval", "OrAuto", "at_least", "between", "describe_check", "or_auto"]


_CONSTRAINT_TYPES = {"le": "less_than_equal", "lt": "less_than", "ge": "greater_than_equal", "gt": "greater_than"}


def _fmt(bound: Number) -> str:
    return repr(bound)


@attrs.frozen(repr=False)
class Interval:
    """Accepts numbers between ``low`` and ``high``; a missing bound is unbounded.

    Args:
        low: The lower bound, or ``None``.
        high: The upper bound, or ``None``.
        low_closed: Whether ``low`` itself is allowed.
        high_closed: Whether ``high`` itself is allowed.
        says: rfdetr's own message for a failure, where rfdetr words the rule itself (so that code
            matching rfdetr's text keeps working); otherwise the failure says ``must be ...``.
    """

    low: Optional[Number] = None
    high: Optional[Number] = None
    low_closed: bool = True
    high_closed: bool = True
    says: Optional[str] = None
    kind: ClassVar[str] = "out_of_range"

    def contains(self, value: Number) -> bool:
        """Whether ``value`` satisfies the rule; NaN never does."""
        if self.low is not None and not (value >= self.low if self.low_closed else value > self.low):
            return False
        return self.high is None or (value <= self.high if self.high_closed else value < self.high)

    def condition(self, var: str) -> str:
        """The rule as a Python expression over ``var``, for the generated build functions."""
        parts = []
        if self.low is not None:
            parts.append(f"{var} {'>=' if self.low_closed else '>'} {self.low!r}")
        if self.high is not None:
            parts.append(f"{var} {'<=' if self.high_closed else '<'} {self.high!r}")
        return " and ".join(parts)

    def describe(self) -> str:
        """The rule as a person reads it: ``>= 1`` or ``in (0, 1]``."""
        if self.high is None and self.low is not None:
            return f"{'>=' if self.low_closed else '>'} {_fmt(self.low)}"
        if self.low is None and self.high is not None:
            return f"{'<=' if self.high_closed else '<'} {_fmt(self.high)}"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"in {left}{_fmt(self.low) if self.low is not None else '-inf'}, " + (
            f"{_fmt(self.high) if self.high is not None else 'inf'}{right}"
        )

    def message(self) -> str:
        """What a failure says."""
        return self.says or f"must be {self.describe()}"

    def failure(self, value: Any, message: Optional[str] = None) -> FieldError:
        """The failure of ``value`` (converted), reported as rfdetr's pydantic reports it.

        A rule rfdetr words itself is its own validator raising a ValueError (pydantic's ``value_error``);
        any other is a ``Field`` constraint, reported by the first bound that fails in pydantic's order
        (``le``, ``lt``, ``ge``, ``gt``; NaN fails the first there is).
        """
        text = message or self.message()
        if self.says is not None:
            return FieldError.rfdetr(self.says, value, self.kind, msg=text)
        for bound, closed, name in ((self.high, self.high_closed, "le"), (self.low, self.low_closed, "ge")):
            if bound is None:
                continue
            if name == "le":
                fails = not (value <= bound if closed else value < bound)
                constraint = "le" if closed else "lt"
            else:
                fails = not (value >= bound if closed else value > bound)
                constraint = "ge" if closed else "gt"
            if fails:
                reported = _CONSTRAINT_TYPES[constraint]
                return FieldError(text, value, kind=self.kind, reported=reported, ctx={constraint: bound})
        return FieldError(text, value, kind=self.kind)  # pragma: no cover - only called on a failing value

    def __call__(self, instance: Any, attribute: Any, value: Number) -> None:
        """Raise :class:`~rfdetr_config.core.errors.FieldError` unless ``value`` is inside."""
        if not self.contains(value):
            raise self.failure(value)

    def __repr__(self) -> str:
        return f"<interval validator: {self.describe()}>"


@attrs.frozen(repr=False)
class OrAuto:
    """Accepts the word ``"auto"`` as it is, and hands any other value to ``inner``."""

    inner: Interval
    kind: ClassVar[str] = "out_of_range"

    def message(self) -> str:
        """What a failure says: the inner rule's own words, if rfdetr has some, else ``must be ...``."""
        return self.inner.says or f"must be {self.inner.describe()}, or 'auto'"

    def failure(self, value: Any) -> FieldError:
        """The failure of ``value``, reported as the inner rule's."""
        return self.inner.failure(value, self.message())

    def __call__(self, instance: Any, attribute: Any, value: Any) -> None:
        """Raise :class:`~rfdetr_config.core.errors.FieldError` unless ``value`` is ``"auto"`` or inside."""
        if value == "auto":
            return
        if not self.inner.contains(value):
            raise self.failure(value)

    def condition(self, var: str) -> str:
        """The rule as a Python expression over ``var``, for the generated build functions."""
        return f"{var} == 'auto' or ({self.inner.condition(var)})"

    def __repr__(self) -> str:
        return f"<'auto' or {self.inner!r}>"


def at_least(low: Number, *, says: Optional[str] = None) -> Interval:
    """``value >= low``; ``says`` is rfdetr's wording of a failure, if it has its own."""
    return Interval(low=low, says=says)


def between(low: Number, high: Number, *, low_closed: bool, high_closed: bool, says: Optional[str] = None) -> Interval:
    """``low < value < high``, each end closed or open as given; ``says`` as for :func:`at_least`."""
    return Interval(low=low, high=high, low_closed=low_closed, high_closed=high_closed, says=says)


def or_auto(inner: Interval) -> OrAuto:
    """``"auto"``, or a value that satisfies ``inner``."""
    return OrAuto(inner)


def describe_check(check: Any) -> str:
    """A field's rule as a person reads it (``>= 1``, ``None or >= 1``, ``'auto' or >= 1``), or ""."""
    inner = getattr(check, "validator", check)  # attrs.validators.optional
    prefix = "None or " if inner is not check else ""
    if isinstance(inner, Interval):
        return prefix + inner.describe()
    if isinstance(inner, OrAuto):
        return f"{prefix}'auto' or {inner.inner.describe()}"
    return ""
