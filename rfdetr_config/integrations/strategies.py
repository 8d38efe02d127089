"""Hypothesis strategies for every configuration class, for your own property tests.

Hypothesis' ``st.builds`` reads types and defaults but not range validators, so it draws values that
fail. These strategies read the same field declarations the validators are built from (annotations,
:class:`~rfdetr_config.checks.validators.Interval` bounds, literal members), so they know every rule.

Importing this module needs Hypothesis (``pip install rfdetr-config[hypothesis]``); the package itself
does not. Once Hypothesis is installed, ``st.from_type(TrainConfig)`` works without importing anything:
the strategies are registered through Hypothesis' plugin entry point.

Example:
    >>> from hypothesis import given
    >>> from rfdetr_config import KeypointTrainConfig, structure
    >>> from rfdetr_config.integrations.strategies import valid_dicts
    >>> @given(valid_dicts(KeypointTrainConfig, loose=True))
    ... def test_loads(data):
    ...     structure(data, KeypointTrainConfig)
    >>> test_loads()
"""

from __future__ import annotations

import math
import typing
import warnings
from typing import Any, Callable, Dict, List, Literal, Tuple, Type, TypeVar, Union

from hypothesis import strategies as st

from ..checks.devices import DEVICE_TYPES
from ..checks.enums import AugmentationBackend, MultiScale, augmentation_backend, multi_scale
from ..checks.optimizers import lr_scheduler_choice, optimizer_choice
from ..checks.validators import Interval, OrAuto
from ..core.build import BaseConfig
from ..core.coerce import to_bool
from ..core.dicts import structure
from ..core.fields import FieldPlan
from ..releases.release import CLASS_LISTENERS, built_classes

__all__ = ["instances", "invalid_dicts", "register", "register_class", "valid_dicts"]

C = TypeVar("C", bound=BaseConfig)
Loc = Tuple[Union[str, int], ...]
_PATH_FIELDS = frozenset({"dataset_dir", "output_dir", "resume", "pretrain_weights"})
_I64 = 2**63
_SAFE_FLOAT_INT = 2**53

_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=10)
_PATH = st.lists(_NAME, min_size=1, max_size=3).map("/".join)
_JSON_SCALAR = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_JSON = st.recursive(
    _JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
# torch keeps a device index in a signed byte; indices that wrap below -1 are stored as text that
# torch refuses to read back ("cuda:-128"), so valid draws stay where the stored form reads back.
_DEVICE = st.builds(
    lambda kind, index: kind if index is None else f"{kind}:{index}",
    st.sampled_from([k for k in DEVICE_TYPES if k != "mkldnn"]),
    st.none() | st.integers(min_value=0, max_value=127),
)


def _spellings(value: Any, kind: Any) -> List[Any]:
    """Inputs the reference reads as ``value``; the canonical one first, so shrinking goes there."""
    if kind is bool:
        words = (
            ["true", "True", "YES", "on", "t", "y", "1"] if value else ["false", "False", "no", "OFF", "f", "n", "0"]
        )
        return [value, *words, int(value), float(value)]
    if kind is int:
        forms: List[Any] = [value, str(value), f" {value} ", f"{value}.0"]
        if abs(value) < _SAFE_FLOAT_INT:
            forms.append(float(value))
        return forms
    if kind is float:
        forms = [value, repr(value), f" {value!r} "]
        if value.is_integer() and abs(value) < _SAFE_FLOAT_INT and not (value == 0 and math.copysign(1, value) < 0):
            forms.append(int(value))
        return forms
    return [value]


def _loose(strategy: st.SearchStrategy[Any], kind: Any) -> st.SearchStrategy[Any]:
    return st.tuples(strategy, st.integers(min_value=0, max_value=8)).map(
        lambda pair: (lambda forms: forms[pair[1] % len(forms)])(_spellings(pair[0], kind))
    )


def _number(interval: Any, kind: Any) -> st.SearchStrategy[Any]:
    bounds = interval.inner if isinstance(interval, OrAuto) else interval
    if not isinstance(bounds, Interval):
        return st.integers() if kind is int else st.floats(allow_nan=False)
    if kind is int:
        low = None if bounds.low is None else math.ceil(bounds.low)
        return st.integers(min_value=low, max_value=None if low is None else low + 10_000)
    return st.floats(
        min_value=bounds.low,
        max_value=bounds.high,
        exclude_min=bounds.low is not None and not bounds.low_closed,
        exclude_max=bounds.high is not None and not bounds.high_closed,
        allow_nan=False,
    )


def _valid(annotation: Any, check: Any, loose: bool) -> st.SearchStrategy[Any]:
    inner_check = getattr(check, "validator", check)  # attrs.validators.optional wraps the interval
    if annotation in (int, float, bool):
        base = st.booleans() if annotation is bool else _number(inner_check, annotation)
        return _loose(base, annotation) if loose else base
    if annotation is str:
        return st.text(max_size=10)
    if annotation is Any or annotation is object:
        return _JSON
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (list, typing.List):
        return st.lists(_valid(args[0], None, loose), max_size=4)
    if origin in (dict, typing.Dict):
        return st.dictionaries(st.text(max_size=6), _JSON, max_size=3)
    if origin is Union:
        members = [a for a in args if a is not type(None)]
        options = [_valid(m, inner_check, loose) for m in members]
        if isinstance(inner_check, OrAuto):
            options = [st.just("auto"), _valid(int, inner_check, loose)]
        return st.one_of([*options, *([st.none()] if len(members) < len(args) else [])])
    raise TypeError(f"no strategy for {annotation!r}")


# Values of fields that name things, checked by rfdetr's own rules rather than by their annotation
# (keyed by the field's conversion: the same field is a plain Literal in older releases).
_NAMED: Dict[Any, List[Any]] = {
    optimizer_choice: ["adamw", "SGD", " adam ", "Muon", "torch.optim.AdamW", "my_package.optim.Lion"],
    lr_scheduler_choice: ["step", "cosine", " Cosine ", "STEP", "torch.optim.lr_scheduler.StepLR"],
    multi_scale: [*MultiScale, "off", "per-batch", "per-sample", True, False],
    augmentation_backend: [
        "cpu", "auto", "torchvision", "albumentations", "kornia", "gpu", "tv", "albu", *AugmentationBackend
    ],
}  # fmt: skip
_BAD_NAMES: Dict[Any, List[Any]] = {
    optimizer_choice: ["adamx", "", "  ", 3, None],
    lr_scheduler_choice: ["linear", "", " ", 3, None],
    augmentation_backend: ["KORNIA", "cuda", "", 1, None],
    multi_scale: ["on", "true", "PER_BATCH", 1, 0, None],
}
# rfdetr reads these as dicts before checking any field, and may rewrite them: only a bad key is drawn.
_KWARGS = {"optimizer_kwargs": ["momentum", "betas", "eps"], "lr_scheduler_kwargs": ["lr_drop", "min_factor"]}


def _valid_field(plan: FieldPlan, loose: bool) -> st.SearchStrategy[Any]:
    if plan.convert in _NAMED:
        return st.sampled_from(_NAMED[plan.convert])
    if plan.name in _KWARGS:
        return st.dictionaries(st.sampled_from(_KWARGS[plan.name]), _JSON_SCALAR, max_size=2)
    if plan.name in _PATH_FIELDS:
        path = _PATH if plan.name != "resume" else st.sampled_from(["last", "checkpoints/last.ckpt"])
        return path if plan.name == "output_dir" else st.none() | path
    if plan.name == "device":
        return _DEVICE
    if plan.name == "patch_size":  # 0 with an explicit resolution divides by zero in the reference
        return st.integers(min_value=1, max_value=32)
    if plan.name == "progress_bar":
        return st.sampled_from(["tqdm", "rich", None, *([True, False] if loose else [])])
    return _valid(plan.annotation, plan.check, loose)


def valid_dicts(cls: Type[BaseConfig], *, loose: bool = False) -> st.SearchStrategy[Dict[str, Any]]:
    """JSON-like dicts that ``structure(data, cls)`` accepts: the required fields and any others.

    Args:
        cls: A configuration class.
        loose: Also draw the spellings the reference accepts for the same value: numeric strings,
            bool words, integral floats for ints, ints for integral floats.
    """
    plans = cls.__rfdetr_plan__
    required = {p.name: _valid_field(p, loose) for p in plans if p.required}
    optional = {p.name: _valid_field(p, loose) for p in plans if not p.required}
    drawn = st.fixed_dictionaries(required, optional=optional)
    return drawn.filter(_consistent) if "eval_ema_only" in cls.__rfdetr_fields__ else drawn


def _consistent(data: Dict[str, Any]) -> bool:
    """Whether the fields that rfdetr checks together agree.

    EMA-only evaluation needs EMA weights and contradicts evaluating the base model too; fp8 needs a
    batch size given.
    """
    ema_only = to_bool(data.get("eval_ema_only", False))
    if ema_only and (not to_bool(data.get("use_ema", True)) or to_bool(data.get("eval_base_model", False))):
        return False
    return not (data.get("amp_dtype") == "fp8" and data.get("batch_size") == "auto")


def _quietly(cls: Type[C]) -> Callable[[Dict[str, Any]], C]:
    def build(data: Dict[str, Any]) -> C:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return structure(data, cls)

    return build


def instances(cls: Type[C]) -> st.SearchStrategy[C]:
    """Valid instances of ``cls`` (the warnings their construction would emit are silenced)."""
    return valid_dicts(cls).map(_quietly(cls))


_NOT_NUMBERS: List[Any] = ["abc", "", None, [], {}, "1e", "0x10"]


def _invalid(annotation: Any, check: Any, name: str) -> List[st.SearchStrategy[Tuple[Any, Loc]]]:
    """Strategies of (bad value, location below the field)."""
    here: Tuple[()] = ()
    inner_check = getattr(check, "validator", check)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    optional = origin is Union and type(None) in args
    members = [a for a in args if a is not type(None)] if origin is Union else [annotation]
    out: List[st.SearchStrategy[Tuple[Any, Loc]]] = []
    bounds = inner_check.inner if isinstance(inner_check, OrAuto) else inner_check
    if isinstance(bounds, Interval) and bounds.low is not None:
        kind = int if int in members else float
        below = bounds.low - 1 if kind is int else math.nextafter(bounds.low, -math.inf)
        if not bounds.low_closed:
            below = bounds.low
        out.append(st.just((below, here)))
        if bounds.high is not None:
            above = bounds.high if not bounds.high_closed else math.nextafter(bounds.high, math.inf)
            out.append(st.just((above, here)))
        if kind is float:
            out.append(st.just((math.nan, here)))
    tp = members[0] if len(members) == 1 else None
    if tp is int:
        bad: List[Any] = [*_NOT_NUMBERS, 1.5, math.inf, "4.5"]
    elif tp is float:
        bad = [*_NOT_NUMBERS, 10**400]
    elif tp is bool:
        bad = [2, -1, 0.5, "maybe", "", None, [], " yes"]
    elif tp is str:
        bad = [1, 1.5, True, [], {}, None]
    elif tp is not None and typing.get_origin(tp) is Literal:
        bad = ["not-a-member", 1, None, [], *(str(m).upper() for m in typing.get_args(tp))]
    elif tp is not None and typing.get_origin(tp) in (list, typing.List):
        bad = ["12", 1, {}, None]
        element = [v for v, _ in _bad_scalars(typing.get_args(tp)[0])]
        out.append(st.sampled_from(element).map(lambda v: ([v], (0,))))
    elif tp is not None and typing.get_origin(tp) in (dict, typing.Dict):
        bad = [[], "x", 1, None]
        out.append(st.just(({1: "x"}, (1, "[key]"))))
    elif isinstance(inner_check, OrAuto):
        bad = ["AUTO", "auto ", None, 1.5, [], "x"]
    elif tp is None and str in members and int in members:
        bad = [None, 1.5, [], {}]
    else:
        bad = []
    bad = [b for b in bad if not (optional and b is None)]
    if bad:
        out.append(st.sampled_from(bad).map(lambda v: (v, here)))
    return out


def _bad_scalars(tp: Any) -> List[Tuple[Any, Loc]]:
    if tp is int:
        return [("x", ()), (1.5, ()), (None, ())]
    if tp is float:
        return [("x", ()), (None, ())]
    if tp is str:
        return [(1, ()), (None, ())]
    if typing.get_origin(tp) is Literal:
        return [("nope", ()), (None, ())]
    return []


def _invalid_field(plan: FieldPlan) -> List[st.SearchStrategy[Tuple[Any, Loc]]]:
    here: Tuple[()] = ()
    if getattr(plan.convert, "never_fails", False):  # a bad value falls back to the default, with a warning
        return []
    if plan.convert in _BAD_NAMES:
        return [st.sampled_from(_BAD_NAMES[plan.convert]).map(lambda v: (v, here))]
    if plan.name in _KWARGS:  # an empty or None value is replaced where lr_drop/lr_min_factor fold into it
        return [st.just(({1: "x"}, (1, "[key]")))]
    if plan.name in _PATH_FIELDS:
        bad: List[Any] = [5, 1.5, True, [], {}, *([None] if plan.name == "output_dir" else [])]
        return [st.sampled_from(bad).map(lambda v: (v, here))]
    if plan.name == "device":
        return [st.sampled_from(["gpu", "CPU", " cpu", "cuda:01", "cuda:", "", 1, None]).map(lambda v: (v, here))]
    if plan.name == "progress_bar":
        return [st.sampled_from(["fancy", 1, 0, "TQDM", []]).map(lambda v: (v, here))]
    return _invalid(plan.annotation, plan.check, plan.name)


def invalid_dicts(cls: Type[BaseConfig]) -> st.SearchStrategy[Tuple[Dict[str, Any], List[Loc]]]:
    """Dicts that ``structure(data, cls)`` rejects, each with every error location it must report.

    A draw starts from a valid dict and spoils one or more fields (a bad type, a value just outside its
    range, a bad list element, an unknown key next to a field name).
    """
    plans = [p for p in cls.__rfdetr_plan__ if _invalid_field(p)]
    spoilers = {p.name: st.one_of(_invalid_field(p)) for p in plans}
    names = sorted(spoilers)
    typo = st.sampled_from(names).map(lambda n: n + "_x")

    @st.composite
    def draw(data: st.DrawFn) -> Tuple[Dict[str, Any], List[Loc]]:
        base = data(valid_dicts(cls))
        chosen = data(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        locs: List[Loc] = []
        for name in chosen:
            value, below = data(spoilers[name])
            base[name] = value
            locs.append((name, *below))
        if data(st.booleans()):
            key = data(typo)
            base[key] = 1
            locs.append((key,))
            if cls.__rfdetr_unknown_keys__ == "forbid":  # and rfdetr's own message, which has no field
                locs.append(())
        return base, locs

    return draw()


def register_class(cls: Type[BaseConfig]) -> None:
    """Make ``st.from_type(cls)`` draw valid instances of ``cls``."""
    st.register_type_strategy(cls, instances(cls))


def register() -> None:
    """Register every configuration class built so far, of every release, and each one built later."""
    for cls in built_classes():
        register_class(cls)
    if register_class not in CLASS_LISTENERS:
        CLASS_LISTENERS.append(register_class)


register()
