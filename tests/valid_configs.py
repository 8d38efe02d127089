"""Hypothesis strategies for valid input dicts of every class, read from the field declarations."""

from __future__ import annotations

import math
import typing
from typing import Any, Literal, Union

from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.devices import DEVICE_TYPES
from rfdetr_config.fields import FieldPlan
from rfdetr_config.validators import Interval, OrAuto

_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
_PATH = st.lists(_NAME, min_size=1, max_size=3).map("/".join)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_DEVICE = st.builds(
    lambda kind, index: kind if index is None else f"{kind}:{index}",
    st.sampled_from(DEVICE_TYPES).filter(lambda k: k != "mkldnn"),
    # torch wraps the index into a signed byte; an index that wraps below -1 is written back as text
    # ("cuda:-128") that torch itself refuses, so it cannot round-trip (the reference does the same).
    st.none() | st.integers(min_value=0, max_value=600).filter(lambda i: i % 256 < 128 or i % 256 == 255),
)


def _number(interval: Interval | None, kind: type) -> st.SearchStrategy[Any]:
    if kind is int:
        low = None if interval is None or interval.low is None else math.ceil(interval.low)
        return st.integers(min_value=low, max_value=None if low is None else low + 10_000)
    if interval is None:
        return st.floats(allow_nan=False)
    return st.floats(
        min_value=interval.low,
        max_value=interval.high,
        exclude_min=not interval.low_closed,
        exclude_max=not interval.high_closed,
        allow_nan=False,
    )


def _for_type(tp: Any, check: Any) -> st.SearchStrategy[Any]:
    interval = check if isinstance(check, Interval) else getattr(check, "validator", None)
    if isinstance(check, OrAuto):
        return st.just("auto") | _number(check.inner, int)
    if tp in (int, float):
        return _number(interval, tp)
    if tp is bool:
        return st.booleans()
    if tp is str:
        return st.text(max_size=10)
    if tp is Any:
        return _JSON
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(_for_type(args[0], None), max_size=4)
    if origin is dict:
        return st.dictionaries(st.text(max_size=6), _JSON, max_size=3)
    if origin is Union:
        members = [a for a in args if a is not type(None)]
        options = [_for_type(m, check) for m in members]
        return st.one_of(options + ([st.none()] if len(members) < len(args) else []))
    raise TypeError(tp)


def _for_field(plan: FieldPlan) -> st.SearchStrategy[Any]:
    if plan.name in ("dataset_dir", "output_dir", "resume", "pretrain_weights"):
        path = _PATH if plan.name != "resume" else st.sampled_from(["last", "ckpt/last.ckpt"])
        return path if plan.name == "output_dir" else st.none() | path
    if plan.name == "device":
        return _DEVICE
    return _for_type(plan.annotation, plan.check)


def valid_inputs(cls: type[rc.BaseConfig]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts that ``structure(data, cls)`` accepts: the required fields plus any subset of the rest."""
    plans = cls.__rfdetr_plan__
    required = {p.name: _for_field(p) for p in plans if p.required}
    optional = {p.name: _for_field(p) for p in plans if not p.required}
    if "patch_size" in required or "patch_size" in optional:
        required_patch = st.integers(min_value=1, max_value=32)
        (required if "patch_size" in required else optional)["patch_size"] = required_patch
    return st.fixed_dictionaries(required, optional=optional)


def valid_configs(cls: type[rc.BaseConfig]) -> st.SearchStrategy[rc.BaseConfig]:
    """Instances built from :func:`valid_inputs`."""
    return valid_inputs(cls).map(lambda data: rc.structure(data, cls))
