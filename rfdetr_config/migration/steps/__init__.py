"""How a configuration crosses from one rfdetr release to the next, one step at a time.

Each module here holds one step between releases whose classes differ (``to_1_9_0`` goes from 1.8.3
to 1.9.0 and back), where the registry says the group has one, as a :class:`Step`: an ``up`` and a ``down`` function that rewrite the dict of one
configuration through a :class:`Move`. They hold what the declarations cannot say: where a removed
field's meaning went, what an old release did where a new field now decides, which values an older
release cannot express. What the declarations do say, the engine in :mod:`rfdetr_config.migration.engine`
applies by itself after the step's functions: a default that changed is pinned to the old one when
the dict leaves the field out, and a field the other release lacks is dropped when it holds its
default and refused otherwise. A step's function only has to handle the fields where that is wrong.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any, Callable, Dict, List, Literal, Optional, Set

import attrs

from ...checks.enums import plain_value
from ...core.errors import ErrorDetail
from ...releases.changes import effective_fields
from ...releases.registry import DISTINCT, declared, group_of

__all__ = ["MISSING", "Direction", "MigrationChange", "MigrationKind", "Move", "Step", "step_to"]

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
        old: The value before, or :data:`~rfdetr_config.migration.engine.MISSING`.
        new: The value after, or :data:`~rfdetr_config.migration.engine.MISSING`.
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


class Move:
    """One configuration's dict as it crosses one step, with the means to rewrite it and say why.

    Attributes:
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

    def __init__(
        self,
        class_name: str,
        direction: Direction,
        origin: str,
        destination: str,
        data: Dict[str, Any],
        records: List[MigrationChange],
        problems: List[ErrorDetail],
        touched: Set[str],
        source: str,
        target: str,
    ) -> None:
        self.class_name = class_name
        self.source = source
        self.target = target
        self.direction = direction
        self.origin = origin
        self.destination = destination
        self.release = destination if direction == "up" else origin
        self.data = data
        self.partner: Optional[Move] = None
        self._records = records
        self._problems = problems
        self._touched = touched
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
        if all(problem.loc != (field,) for problem in self._problems):
            self._problems.append(ErrorDetail((field,), f"rfdetr {self.target} {why}", value, "inexpressible"))

    def record(self, field: Optional[str], kind: MigrationKind, why: str, old: Any, new: Any) -> None:
        """Add a record of a change made."""
        if field is not None:
            self._handled.add(field)
            self._touched.add(field)
        self._records.append(MigrationChange(field, kind, old, new, why, self.release))


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


def _no_special_cases(move: Move) -> None:
    """A step whose releases' declarations say all there is to do: the engine does it."""


@functools.cache
def step_to(release: str) -> Step:
    """The step that arrives at ``release`` (one of :data:`~rfdetr_config.releases.DISTINCT`, not the first).

    A group without a step module in the registry gets a step that leaves everything to the engine.
    """
    if release not in DISTINCT[1:]:
        raise ValueError(f"no step arrives at rfdetr {release}")
    module = group_of(release).step
    if module is None:
        return Step(release, up=_no_special_cases, down=_no_special_cases)
    found: Step = importlib.import_module(module).STEP
    return found
