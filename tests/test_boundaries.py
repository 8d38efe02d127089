"""Every range rule at its boundary, on both the constructor and ``structure``.

The table is the reference's rules as read and recorded from rfdetr 1.8.1, written out here on
purpose rather than read from the package: the tests pin the package, not the other way round.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rfdetr_config as rc

INF = math.inf
# (class, field, kind, low, low_closed, high, high_closed)
RULES = [
    (rc.TrainConfig, "batch_size", int, 1, True, None, True),
    (rc.TrainConfig, "grad_accum_steps", int, 1, True, None, True),
    (rc.TrainConfig, "auto_batch_target_effective", int, 1, True, None, True),
    (rc.TrainConfig, "auto_batch_max_targets_per_image", int, 1, True, None, True),
    (rc.TrainConfig, "auto_batch_ema_headroom", float, 0.0, False, 1.0, True),
    (rc.TrainConfig, "smooth_alpha", float, 0.0, True, 1.0, False),
    (rc.KeypointTrainConfig, "smooth_alpha", float, 0.0, True, 1.0, False),
    (rc.TrainConfig, "ema_update_interval", int, 1, True, None, True),
    (rc.TrainConfig, "eval_interval", int, 1, True, None, True),
    (rc.TrainConfig, "prefetch_factor", int, 1, True, None, True),
    (rc.TrainConfig, "checkpoint_interval", int, 1, True, None, True),
    (rc.TrainConfig, "skip_best_epochs", int, 0, True, None, True),
    (rc.KeypointTrainConfig, "skip_best_epochs", int, 0, True, None, True),
    (rc.SegmentationTrainConfig, "grad_accum_steps", int, 1, True, None, True),
    (rc.RFDETRBaseConfig, "postprocess_trace_alpha", float, 0.0, True, None, True),
    (rc.RFDETRNanoConfig, "num_channels", int, 1, True, None, True),
    (rc.RFDETRSegNanoConfig, "num_channels", int, 1, True, None, True),
]
IDS = [f"{cls.__name__}.{field}" for cls, field, *_ in RULES]


def _base(cls: type) -> dict[str, Any]:
    return {"dataset_dir": None} if issubclass(cls, rc.TrainConfig) else {}


def _inside(value: float, low: float, low_closed: bool, high: float | None, high_closed: bool) -> bool:
    ok_low = value >= low if low_closed else value > low
    ok_high = high is None or (value <= high if high_closed else value < high)
    return bool(ok_low and ok_high)


def _accepts(build: Callable[[], Any]) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            build()
        except rc.ConfigError:
            return False
    return True


def _both_paths(cls: type, field: str, value: Any) -> tuple[bool, bool]:
    data = {**_base(cls), field: value}
    return _accepts(lambda: cls(**data)), _accepts(lambda: rc.structure(data, cls))


def _expect(cls: type, field: str, value: Any, accepted: bool) -> None:
    assert _both_paths(cls, field, value) == (accepted, accepted), (cls.__name__, field, value)


@pytest.mark.parametrize(("cls", "field", "kind", "low", "low_closed", "high", "high_closed"), RULES, ids=IDS)
def test_edges(
    cls: type, field: str, kind: type, low: float, low_closed: bool, high: float | None, high_closed: bool
) -> None:
    edges = [low] + ([high] if high is not None else [])
    for edge in edges:
        for value in (math.nextafter(edge, -INF), float(edge), math.nextafter(edge, INF)):
            if kind is int and not float(value).is_integer():
                _expect(cls, field, value, False)  # 0.9999999999999999 is not an integer
                continue
            _expect(
                cls, field, value if kind is float else int(value), _inside(value, low, low_closed, high, high_closed)
            )
        if kind is int:
            for value in (edge - 1, edge, edge + 1):
                _expect(cls, field, value, _inside(value, low, low_closed, high, high_closed))
                _expect(cls, field, str(value), _inside(value, low, low_closed, high, high_closed))
    for value in (math.nan, INF, -INF, "nan", "-inf"):
        _expect(cls, field, value, kind is float and _inside(float(value), low, low_closed, high, high_closed))
    for wrong in ("abc", [], {}, [low], ""):
        _expect(cls, field, wrong, False)


@pytest.mark.parametrize(("cls", "field", "kind", "low", "low_closed", "high", "high_closed"), RULES, ids=IDS)
@given(data=st.data())
def test_drawn_values(
    cls: type,
    field: str,
    kind: type,
    low: float,
    low_closed: bool,
    high: float | None,
    high_closed: bool,
    data: st.DataObject,
) -> None:
    if kind is int:
        value: float = data.draw(st.integers(min_value=int(low) - 50, max_value=int(low) + 50))
    else:
        value = data.draw(st.floats(min_value=-2.0, max_value=3.0) | st.sampled_from([low, high or low]))
    _expect(cls, field, value, _inside(value, low, low_closed, high, high_closed))


def test_batch_size_auto_and_nothing_else() -> None:
    _expect(rc.TrainConfig, "batch_size", "auto", True)
    for wrong in ("AUTO", "auto ", " auto", "Auto", None):
        _expect(rc.TrainConfig, "batch_size", wrong, False)


def test_optional_prefetch_factor_accepts_none() -> None:
    _expect(rc.TrainConfig, "prefetch_factor", None, True)


def test_unchecked_float_accepts_nan_and_inf() -> None:
    for value in (math.nan, INF, -INF):
        _expect(rc.TrainConfig, "lr", value, True)
