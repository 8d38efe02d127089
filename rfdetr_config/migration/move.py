"""What a migration step works with: the configuration on its way, and the records of what was done.

A :class:`Journey` carries one configuration from the source release to the target; at each step
between release groups it crosses as a :class:`Move`, whose methods rewrite the dict and record why
(:class:`MigrationChange`). Steps live in :mod:`rfdetr_config.migration.steps`.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Literal, Optional, Set

import attrs

from ..checks.enums import plain_value
from ..core.errors import ErrorDetail
from ..releases.changes import effective_fields
from ..releases.registry import declared

__all__ = ["MISSING", "Direction", "Journey", "MigrationChange", "MigrationKind", "Move", "Step", "plain", "same"]

MigrationKind = Literal["pinned", "moved", "converted", "dropped", "lossy", "needs a decision"]
Direction = Literal["up", "down"]


class _Missing:
    """The value of a field a dict leaves out."""

    _instance: Optional[_Missing] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""``old`` of a change that gave a value to a field the dict left out; ``new`` of one that removed a key."""


@attrs.frozen
class MigrationChange:
    """One thing a migration did to a dict, and why.

    Attributes:
        field: The field (the source release's name for it), or None for the configuration as a whole.
        kind: ``"pinned"`` (a value written so the target does what the source did where the dict
            relied on a default), ``"moved"`` (a value now held where the target keeps its meaning),
            ``"converted"`` (the same meaning in the target's terms), ``"dropped"`` (a key with no
            effect, or no place, in the target, whose removal changes nothing it trains),
            ``"lossy"`` (an effect the target cannot keep) or ``"needs a decision"`` (whether it
            trains the same depends on something outside the configuration).
        old: The value before, or :data:`~rfdetr_config.migration.move.MISSING`.
        new: The value after, or :data:`~rfdetr_config.migration.move.MISSING`.
        message: Why, in a sentence.
        release: The rfdetr release whose change this answers.
    """

    field: Optional[str]
    kind: MigrationKind
    old: Any
    new: Any
    message: str
    release: str

    @property
    def keeps_training(self) -> bool:
        """Whether this change keeps what the configuration trains (all but ``lossy`` and ``needs a decision``)."""
        return self.kind not in ("lossy", "needs a decision")

    def __str__(self) -> str:
        where = self.field if self.field is not None else "(config)"
        return f"{where}: {self.kind}: {self.message}"


@attrs.define(eq=False)
class Journey:
    """One configuration on its way from the source release to the target, and all that was done to it.

    The engine makes one per configuration and hands it to every step as a :class:`Move`; what the
    steps record here is the migration's report.

    Attributes:
        class_name: The configuration class.
        source: The release the migration starts from, whose behaviour the dict carries.
        target: The release it ends at.
        data: The dict: the fields given, in the form the release it is in now dumps them.
        records: Every change made, in order.
        problems: What the target cannot express, one per field.
        touched: The fields a change was recorded for.
    """

    class_name: str
    source: str
    target: str
    data: Dict[str, Any]
    records: List[MigrationChange] = attrs.field(factory=list)
    problems: List[ErrorDetail] = attrs.field(factory=list)
    touched: Set[str] = attrs.field(factory=set)


class Move:
    """One configuration's dict as it crosses one step, with the means to rewrite it and say why.

    Attributes:
        journey: The configuration's whole migration, where changes and problems are recorded.
        class_name: The configuration class.
        direction: ``"up"`` to the newer release of the step, ``"down"`` to the older.
        origin: The release the dict is in now.
        destination: The release it goes to.
        source: The release the migration started from, whose behaviour the dict carries.
        target: The release the migration ends at; the reasons given name these two.
        release: The newer release of the step, whose change each record answers.
        data: The dict: the fields given, in the form the origin release dumps them.
        partner: The other configuration of a pair (model and training), moving alongside, or None.
    """

    def __init__(self, journey: Journey, direction: Direction, origin: str, destination: str) -> None:
        self.journey = journey
        self.class_name = journey.class_name
        self.source = journey.source
        self.target = journey.target
        self.direction = direction
        self.origin = origin
        self.destination = destination
        self.release = destination if direction == "up" else origin
        self.data = journey.data
        self.partner: Optional[Move] = None
        self._handled: Set[str] = set()

    def is_a(self, name: str) -> bool:
        """Whether the configuration is a ``name`` (that class or a subclass of it)."""
        release = declared(self.origin)
        current: Optional[str] = self.class_name
        while current is not None:
            if current == name:
                return True
            current = release.get(current).base
        return False

    def default(self, field: str, release: Optional[str] = None) -> Any:
        """The default of ``field`` in ``release`` (the origin by default), as a dump writes it."""
        return plain(_defaults(release or self.origin, self.class_name)[field])

    def given(self, field: str) -> bool:
        """Whether the dict gives ``field``."""
        return field in self.data

    def value(self, field: str) -> Any:
        """What ``field`` is in the origin release: the dict's value, else the default."""
        return self.data[field] if field in self.data else self.default(field)

    def handled(self, *fields: str) -> None:
        """Leave ``fields`` to the step's function: the engine's own treatment of them is skipped."""
        self._handled.update(fields)

    def is_handled(self, field: str) -> bool:
        """Whether the step's function took ``field`` over."""
        return field in self._handled

    def set(self, field: str, value: Any, kind: MigrationKind, why: str) -> None:
        """Give ``field`` the value ``value``, for the reason ``why``."""
        old = self.data.get(field, MISSING)
        self.data[field] = value
        self.record(field, kind, why, old, value)

    def pin(self, field: str, value: Any, why: str, kind: MigrationKind = "pinned") -> None:
        """Write ``value`` for a ``field`` the dict leaves out, so that the destination does what the origin did."""
        self.set(field, value, kind, why)

    def drop(self, field: str, kind: MigrationKind, why: str) -> None:
        """Remove ``field`` from the dict, for the reason ``why``."""
        old = self.data.pop(field, MISSING)
        self.record(field, kind, why, old, MISSING)

    def flag(self, field: str, kind: MigrationKind, why: str) -> None:
        """Report ``field`` without changing it: its value stays, but it may not train the same."""
        value = self.data.get(field, MISSING)
        self.record(field, kind, why, value, value)

    def cannot(self, field: str, why: str) -> None:
        """The destination release cannot express ``field``'s value: the migration fails with ``why``."""
        self._handled.add(field)
        value = self.data.get(field, self.default(field))
        if all(problem.loc != (field,) for problem in self.journey.problems):
            self.journey.problems.append(ErrorDetail((field,), f"rfdetr {self.target} {why}", value, "inexpressible"))

    def record(self, field: Optional[str], kind: MigrationKind, why: str, old: Any, new: Any) -> None:
        """Add a record of a change made."""
        if field is not None:
            self._handled.add(field)
            self.journey.touched.add(field)
        self.journey.records.append(MigrationChange(field, kind, old, new, why, self.release))


@functools.cache
def _defaults(release: str, class_name: str) -> Dict[str, Any]:
    return {name: f.default for name, f in effective_fields(declared(release), class_name).items()}


def plain(value: Any) -> Any:
    """A default as a dump holds it: an enum member as its value, containers as fresh copies."""
    value = plain_value(value)
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def same(a: Any, b: Any) -> bool:
    """Equal, a NaN being the same as another NaN (rfdetr accepts one in some fields).

    Values whose comparison fails are not the same.
    """
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return False


StepFunction = Callable[[Move], None]


@attrs.frozen
class Step:
    """The step from the release before ``release`` to ``release``, and back.

    Attributes:
        release: The newer release of the step.
        up: Rewrites a dict of the older release for ``release``.
        down: Rewrites a dict of ``release`` for the older release.
    """

    release: str
    up: StepFunction
    down: StepFunction
