"""Construction: one mechanism that turns given values into a frozen, validated instance.

Every class goes through :func:`create`: convert each given value (lax, as the reference), run its
attrs validator, collect every failure, then run the class's rules (derived values and warnings) and
freeze the result. The constructor, ``structure`` and :func:`replace` differ only in what they hand
to it. The instance remembers which fields the caller gave, because the reference's rules depend on
it (a deprecated field warns only when set; ``positional_encoding_size`` follows an explicit
``resolution``).
"""

from __future__ import annotations

import inspect
import operator
import sys
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
)

import attrs

from .compiled import Builder, Dumper, make_builder, make_dumper, make_full_builder
from .errors import ConfigError, ErrorDetail, FieldError, emit_at_caller
from .fields import FieldPlan, inherit_settings, order_like_reference, plan_fields, setting

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10 has no dataclass_transform; it only informs type checkers

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda f: f


__all__ = [
    "BaseConfig",
    "Draft",
    "InputRule",
    "Rule",
    "apply_input_rules",
    "config_class",
    "create",
    "fields_set",
    "prepare_input",
    "replace",
    "rewrites_a_copy",
    "suggest",
]

C = TypeVar("C", bound="BaseConfig")
Rule = Callable[["Draft"], None]
InputRule = Callable[[type, Dict[str, Any]], None]
"""A rule on the input itself, before any field is converted: it may rewrite the dict, warn, or raise."""


class BaseConfig:
    """The root of every configuration class; it holds no field of its own.

    Instances are frozen attrs instances with slots. Besides the fields, each one keeps the set of
    fields its creator gave explicitly (see :func:`fields_set`).
    """

    __slots__ = ("_rfdetr_fields_set",)
    _rfdetr_fields_set: frozenset[str]
    __attrs_attrs__: ClassVar[Any]
    __rfdetr_plan__: ClassVar[Tuple[FieldPlan, ...]]
    __rfdetr_fields__: ClassVar[Dict[str, FieldPlan]]
    __rfdetr_names__: ClassVar[frozenset[str]]
    __rfdetr_position__: ClassVar[Dict[str, int]]
    __rfdetr_order__: ClassVar[Tuple[str, ...]]
    __rfdetr_required__: ClassVar[Tuple[str, ...]]
    __rfdetr_build__: ClassVar[Builder]
    __rfdetr_build_full__: ClassVar[Builder]
    __rfdetr_dump__: ClassVar[Dumper]
    __rfdetr_values__: ClassVar[Callable[[Any], Tuple[Any, ...]]]
    __rfdetr_rules__: ClassVar[Tuple[Rule, ...]] = ()
    __rfdetr_input_rules__: ClassVar[Tuple[InputRule, ...]] = ()
    __rfdetr_unknown_keys__: ClassVar[str] = "forbid"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every class, decorated or not, gets build functions of its own: they create that class."""
        super().__init_subclass__(**kwargs)
        cls.__rfdetr_build__ = staticmethod(_compile_on_first_use(cls, "__rfdetr_build__", make_builder))
        cls.__rfdetr_build_full__ = staticmethod(_compile_on_first_use(cls, "__rfdetr_build_full__", make_full_builder))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(type(self).__rfdetr_values__(self) == type(self).__rfdetr_values__(other))

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self) -> str:
        values = type(self).__rfdetr_values__(self)
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self.__rfdetr_order__, values, strict=True))
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore, (type(self), type(self).__rfdetr_values__(self), self._rfdetr_fields_set))


def _restore(cls: Type[C], values: Tuple[Any, ...], given: frozenset[str]) -> C:
    instance = object.__new__(cls)
    for plan, value in zip(cls.__rfdetr_plan__, values, strict=True):
        object.__setattr__(instance, plan.name, value)
    object.__setattr__(instance, "_rfdetr_fields_set", given)
    return instance


_NOTHING: Mapping[str, Any] = {}


class Draft:
    """An instance being built, as the class rules see and change it.

    Attributes:
        cls: The class being built.
        instance: The instance; every field is already set and valid.
        given: The names the caller set explicitly; an assignment by a rule adds to it.
        raw: The values as the caller gave them, before conversion (empty for :func:`replace`).
        subject: What rfdetr's "after" model validators are given, which pydantic reports as the input of
            their failures: the input mapping (after the input rules) when building, the instance when
            assigning.
    """

    __slots__ = ("cls", "errors", "given", "instance", "notices", "raw", "subject")

    def __init__(
        self, cls: type, instance: Any, given: frozenset[str], raw: Mapping[str, Any] = _NOTHING, subject: Any = None
    ) -> None:
        self.cls = cls
        self.instance = instance
        self.given = given
        self.raw = raw
        self.subject = raw if subject is None else subject
        self.notices: List[Tuple[str, Type[Warning]]] = []
        self.errors: List[ErrorDetail] = []

    def get(self, name: str) -> Any:
        """The current value of a field."""
        return getattr(self.instance, name)

    def default(self, name: str) -> Any:
        """The class default of ``name``, or :data:`~rfdetr_config.core.fields.REQUIRED`."""
        return self.cls.__rfdetr_fields__[name].default  # type: ignore[attr-defined]

    def warn(self, message: str, category: Type[Warning]) -> None:
        """Queue a warning; it is emitted, in order, when the instance is finished."""
        self.notices.append((message, category))

    def assign(self, name: str, value: Any) -> None:
        """Set a field as the reference's validated assignment does: mark it given, rerun the rules."""
        object.__setattr__(self.instance, name, value)
        self.given = self.given | {name}
        run_rules(self)

    def fail(self, field: str, error: FieldError) -> None:
        """Record a failure found by a rule; the remaining rules are not run."""
        self.errors.append(ErrorDetail.from_field_error(field, error))

    def fail_whole(self, message: str) -> None:
        """Record a failure of the configuration as a whole (rfdetr reports it with no field)."""
        self.errors.append(ErrorDetail.whole(message, self.subject))


def apply_input_rules(cls: type, given: Mapping[str, Any]) -> Mapping[str, Any]:
    """``given`` after the class's input rules, in the reference's order; the caller's dict is never changed.

    Raises:
        ConfigError: A rule refused the input, in rfdetr's words and with no field, as rfdetr does;
            or the input made one of rfdetr's rules crash, which is reported instead of the crash.
    """
    return prepare_input(cls, given)[0]


_COPYING_RULES: Dict[InputRule, Callable[[Mapping[str, Any]], bool]] = {}


def rewrites_a_copy(when: Callable[[Mapping[str, Any]], bool]) -> Callable[[InputRule], InputRule]:
    """Mark an input rule whose rfdetr counterpart rewrites a copy of the input, not the input itself.

    ``when(data)`` tells whether the rule rewrites ``data`` at all: only then is the copy made. It changes
    nothing but what pydantic reports as the input of a failing "after" model validator (see
    :func:`prepare_input`).
    """

    def mark(rule: InputRule) -> InputRule:
        _COPYING_RULES[rule] = when
        return rule

    return mark


def prepare_input(cls: type, given: Mapping[str, Any]) -> Tuple[Mapping[str, Any], Mapping[str, Any]]:
    """``given`` after the input rules (as :func:`apply_input_rules`), and the input rfdetr's "after" validators see.

    Most of rfdetr's "before" model validators rewrite the input mapping in place, so that its "after"
    model validators, whose failures pydantic reports with that mapping as the input, see the rewrite; a
    few rewrite a copy (:func:`rewrites_a_copy`), whose changes they do not see.
    """
    rules: Tuple[InputRule, ...] = cls.__rfdetr_input_rules__  # type: ignore[attr-defined]
    if not rules:
        return given, given
    data = subject = dict(given)
    copying = not _COPYING_RULES.keys().isdisjoint(rules)
    for rule in rules:
        if copying and rule in _COPYING_RULES and _COPYING_RULES[rule](data):
            data = dict(data)
        try:
            rule(cls, data)
        except ConfigError:
            raise
        except (TypeError, ValueError) as error:  # in rfdetr too, a rule that cannot read the input
            raise ConfigError(cls.__name__, [ErrorDetail.whole(str(error), data)]) from None
    return data, subject


def run_rules(draft: Draft) -> None:
    """Run the class's rules in the reference's order, stopping at the first failure."""
    for rule in draft.cls.__rfdetr_rules__:  # type: ignore[attr-defined]
        rule(draft)
        if draft.errors:
            return


def _convert(plan: FieldPlan, value: Any, errors: List[ErrorDetail]) -> Any:
    try:
        converted = plan.convert(value)
        if plan.check is not None:
            plan.check(None, plan.attribute, converted)
    except FieldError as error:
        errors.extend(ErrorDetail.all_from(plan.name, error, value))
        return None
    return converted


def create(
    cls: Type[C],
    given: Mapping[str, Any],
    problems: Sequence[ErrorDetail] = (),
    *,
    into: Optional[C] = None,
    full: bool = False,
    reported: Optional[Sequence[ErrorDetail]] = None,
    subject: Optional[Mapping[str, Any]] = None,
) -> C:
    """Build an instance of ``cls`` from the values the caller gave (by name).

    Args:
        cls: A configuration class.
        given: Field values by name; absent fields take their defaults. Names must be fields.
        problems: Failures already found by the caller (unknown or missing keys), reported together
            with the field failures in one :class:`ConfigError`.
        into: A blank instance to fill (the constructor's ``self``); a new one by default.
        full: The caller checked that ``given`` has every field, in the class's order.
        reported: What the reference reports, where it stops before the fields (see
            :class:`~rfdetr_config.core.errors.ConfigError`); every failure by default.
        subject: The input as rfdetr's "after" model validators see it (see :func:`prepare_input`);
            ``given`` by default.
    """
    instance = object.__new__(cls) if into is None else into
    errors = (cls.__rfdetr_build_full__ if full else cls.__rfdetr_build__)(instance, given)
    if problems:
        errors = sorted([*problems, *(errors or ())], key=_field_position(cls))
    if errors is not None:
        raise ConfigError(cls.__name__, errors, reported)  # the build reports in field order
    names = cls.__rfdetr_names__ if full else _names_of(given)
    if not cls.__rfdetr_rules__:
        object.__setattr__(instance, "_rfdetr_fields_set", names)
        return instance
    draft = Draft(cls, instance, names, given, subject)
    run_rules(draft)
    return _finish(draft)  # type: ignore[no-any-return]


def _field_position(cls: type) -> Callable[[ErrorDetail], int]:
    order: Dict[str, int] = cls.__rfdetr_position__  # type: ignore[attr-defined]
    return lambda d: order.get(d.loc[0], len(order)) if d.loc else -1  # type: ignore[arg-type]


def _finish(draft: Draft) -> Any:
    if draft.notices:
        emit_at_caller(draft.notices)
    if draft.errors:
        raise ConfigError(draft.cls.__name__, draft.errors)
    object.__setattr__(draft.instance, "_rfdetr_fields_set", _shared(draft.given))
    return draft.instance


_SHARED_SETS: Dict[frozenset[str], frozenset[str]] = {}
_SETS_BY_KEYS: Dict[Tuple[str, ...], frozenset[str]] = {}


def _shared(names: frozenset[str]) -> frozenset[str]:
    """One frozenset per distinct set of given names: most instances of a program share a few.

    A set of 80 names takes about 4 KiB, more than all the field values of an instance.
    """
    if len(_SHARED_SETS) > 4096:
        _SHARED_SETS.clear()
    return _SHARED_SETS.setdefault(names, names)


def _names_of(given: Mapping[str, Any]) -> frozenset[str]:
    """The shared set of ``given``'s keys, found by their order (cheaper to hash than a set)."""
    keys = tuple(given)
    found = _SETS_BY_KEYS.get(keys)
    if found is None:
        if len(_SETS_BY_KEYS) > 4096:
            _SETS_BY_KEYS.clear()
        found = _SETS_BY_KEYS[keys] = _shared(frozenset(keys))
    return found


def fields_set(config: BaseConfig) -> frozenset[str]:
    """The fields given explicitly when ``config`` was built, like pydantic's ``model_fields_set``.

    It decides the reference's rules: deprecation warnings, the weights compatibility warning and
    whether ``positional_encoding_size`` follows ``resolution``.
    """
    return config._rfdetr_fields_set


def suggest(name: str, choices: Iterable[str]) -> Optional[str]:
    """The field ``name`` was probably meant to be, if one is close enough."""
    import difflib  # only needed on the error path

    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


class _UnknownName(ErrorDetail):
    """A key that is not a field; the did-you-mean is looked for only when the message is read.

    Looking for it costs more than building the rest of the error, and code that catches the error
    and moves on never reads the message.
    """

    __slots__ = ("_choices", "_text", "_value", "_what")

    def __init__(self, name: Any, choices: Iterable[str], what: str, value: Any, text: str) -> None:
        self.loc, self.input, self.type, self.source = (name,), name, "unknown_field", None
        self._choices, self._what, self._text, self._value = choices, what, text, value

    @property
    def msg(self) -> str:  # type: ignore[override]
        if not self._text:
            name = self.input
            hint = suggest(name, self._choices) if isinstance(name, str) else None
            self._text = f"unknown {self._what}" + (f"; did you mean {hint!r}?" if hint else "")
        return self._text

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_UnknownName, (self.input, sorted(self._choices), self._what, self._value, self._text))

    def entries(self) -> List[Dict[str, Any]]:
        """The entry pydantic gives a key that is not a field where a class forbids them (``extra='forbid'``)."""
        msg = "Extra inputs are not permitted"
        return [{"type": "extra_forbidden", "loc": self.loc, "msg": msg, "input": self._value}]


def unknown_name_detail(
    name: Any, choices: Iterable[str], *, what: str = "field", value: Any = None, msg: str = ""
) -> ErrorDetail:
    """The failure for a key that is not a field, with a did-you-mean when one is close (unless ``msg`` says it all).

    ``value`` is what the key was given: pydantic's input for an extra key it forbids.
    """
    return _UnknownName(name, choices, what, value, msg)


def replace(config: C, /, **changes: Any) -> C:
    """A copy of ``config`` with ``changes`` applied and validated again.

    Each change acts as the reference's validated assignment (``config.field = value``) does, one
    after another in the order given: rfdetr's input rules see the whole configuration with the new
    value (and what they rewrite in other fields is kept as they wrote it, unconverted, as pydantic
    keeps it), the value is converted and checked, the field joins :func:`fields_set` and the class
    rules run again. So changing ``resolution`` re-derives ``positional_encoding_size`` exactly when
    the reference would, and the same warnings come in the same order.

    Raises:
        ConfigError: A name is not a field, or a value is invalid (all of them are reported), or a
            rule refuses the result.
    """
    cls = type(config)
    plans = cls.__rfdetr_fields__
    input_rules = cls.__rfdetr_input_rules__
    errors: List[ErrorDetail] = []
    reported: Optional[List[ErrorDetail]] = None  # rfdetr stops at the first change that fails
    instance = _restore(cls, cls.__rfdetr_values__(config), fields_set(config))
    draft = Draft(cls, instance, fields_set(config), subject=instance)
    for name, value in changes.items():
        if reported is None and errors:
            reported = list(errors)
        if name not in plans:
            errors.append(unknown_name_detail(name, plans, value=value))
            continue
        rewritten: Mapping[str, Any] = _NOTHING
        if input_rules and not errors:
            current = dict(zip(cls.__rfdetr_order__, cls.__rfdetr_values__(instance), strict=True))
            rewritten = apply_input_rules(cls, {**current, name: value})
            rewritten = {k: v for k, v in rewritten.items() if k != name and v is not current.get(k, _NOTHING)}
        converted = _convert(plans[name], value, errors)
        if errors:
            continue  # nothing more is applied; the remaining values are still checked
        for other, raw in rewritten.items():
            object.__setattr__(instance, other, raw)
        draft.assign(name, converted)
        if draft.errors:
            break
        if draft.notices:  # the reference warns at each assignment, before the next one's warnings
            emit_at_caller(draft.notices)
            draft.notices.clear()
    if errors:
        raise ConfigError(cls.__name__, errors, reported)
    return _finish(draft)  # type: ignore[no-any-return]


def _make_init(cls: type) -> Callable[..., None]:
    plans: Tuple[FieldPlan, ...] = cls.__rfdetr_plan__  # type: ignore[attr-defined]
    names: frozenset[str] = cls.__rfdetr_names__  # type: ignore[attr-defined]
    required: Tuple[str, ...] = cls.__rfdetr_required__  # type: ignore[attr-defined]
    required_names = frozenset(required)
    title = f"{cls.__name__}.__init__()"

    def __init__(self: Any, **kwargs: Any) -> None:
        if len(kwargs) == len(names) and sys._getframe(1).f_code is _EVOLVE:
            raise TypeError(
                f"attrs.evolve() cannot be used on {cls.__name__}: it passes every field, so every field would "
                "count as set and every field warning would come again; use rfdetr_config.replace(config, "
                "**changes), which applies the changes as rfdetr's assignment does"
            )
        if not names.issuperset(kwargs):
            unknown = next(k for k in kwargs if k not in names)
            raise TypeError(f"{title} got an unexpected keyword argument {unknown!r}")
        if not kwargs.keys() >= required_names:
            missing = [n for n in required if n not in kwargs]
            listed = ", ".join(repr(n) for n in missing)
            raise TypeError(f"{title} missing {len(missing)} required keyword-only argument(s): {listed}")
        data, subject = prepare_input(type(self), kwargs)
        create(type(self), data, into=self, subject=subject)

    __init__.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(
                p.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if p.required else p.make_default(),
                annotation=p.annotation,
            )
            for p in plans
        ]
    )
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


_EVOLVE = attrs.evolve.__code__


def _replace_method(self: C, /, **changes: Any) -> C:
    """``copy.replace(config, **changes)`` (Python 3.13) is :func:`replace`."""
    return replace(self, **changes)


def _compile_on_first_use(cls: type, slot: str, make: Callable[[type, Any], Callable[..., Any]]) -> Callable[..., Any]:
    """A stand-in that generates the real function when first called, keeping import cheap."""

    def first_call(*args: Any) -> Any:
        real = make(cls, cls.__rfdetr_plan__)  # type: ignore[attr-defined]
        setattr(cls, slot, staticmethod(real))
        return real(*args)

    return first_call


def _transform(cls: type, fields: List[attrs.Attribute]) -> List[attrs.Attribute]:  # type: ignore[type-arg]
    return order_like_reference(cls, inherit_settings(cls, fields))


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(setting,))
def config_class(
    *, rules: Tuple[Rule, ...] = (), input_rules: Tuple[InputRule, ...] = (), unknown_keys: Optional[str] = None
) -> Callable[[Type[C]], Type[C]]:
    """Make a frozen, slotted attrs configuration class with the reference's construction rules.

    Args:
        rules: Checks and derivations across fields, run after the base classes' rules, in order.
        input_rules: Rules on the input dict, run before the base classes' input rules (pydantic's
            order for "before" model validators), in order.
        unknown_keys: What rfdetr does with a key that is no field, ``"forbid"`` or ``"ignore"``; by
            default the base class's. rfdetr_config refuses them either way (unless asked not to),
            but where rfdetr refuses them too, the error also says so in rfdetr's words.
    """

    def decorate(cls: Type[C]) -> Type[C]:
        new = attrs.define(
            cls,
            frozen=True,
            slots=True,
            init=False,
            kw_only=True,
            eq=False,
            repr=False,
            order=False,
            field_transformer=_transform,
        )
        new.__hash__ = None  # type: ignore[assignment]
        new.__rfdetr_rules__ = new.__rfdetr_rules__ + tuple(rules)
        new.__rfdetr_input_rules__ = tuple(input_rules) + new.__rfdetr_input_rules__
        if unknown_keys is not None:
            new.__rfdetr_unknown_keys__ = unknown_keys
        new.__rfdetr_plan__ = plan_fields(new)
        new.__rfdetr_order__ = tuple(p.name for p in new.__rfdetr_plan__)
        new.__rfdetr_names__ = frozenset(new.__rfdetr_order__)
        new.__rfdetr_position__ = {name: i for i, name in enumerate(new.__rfdetr_order__)}
        new.__rfdetr_required__ = tuple(p.name for p in new.__rfdetr_plan__ if p.required)
        new.__rfdetr_dump__ = staticmethod(_compile_on_first_use(new, "__rfdetr_dump__", make_dumper))
        new.__rfdetr_values__ = operator.attrgetter(*new.__rfdetr_order__)
        new.__rfdetr_fields__ = {p.name: p for p in new.__rfdetr_plan__}
        new.__init__ = _make_init(new)  # type: ignore[method-assign]
        new.__replace__ = _replace_method  # type: ignore[attr-defined]  # attrs would install attrs.evolve
        return new

    return decorate
