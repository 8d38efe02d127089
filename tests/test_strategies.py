"""The public strategies themselves: valid draws are accepted, invalid draws fail exactly where drawn."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.integrations.strategies import _spellings, instances, invalid_dicts, valid_dicts

from .conftest import all_classes, release_classes

CLASSES = all_classes()
RELEASE_CLASSES = release_classes()


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Every test here builds configurations whose warnings are not the point."""


@CLASSES
@settings(max_examples=40)
@given(data=st.data())
def test_every_valid_draw_is_accepted(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    loose = data.draw(st.booleans())
    config = rc.structure(data.draw(valid_dicts(cls, loose=loose)), cls)
    assert isinstance(config, cls)


@CLASSES
@settings(max_examples=40)
@given(data=st.data())
def test_every_invalid_draw_fails_exactly_where_drawn(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    bad, locs = data.draw(invalid_dicts(cls))
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure(bad, cls)
    assert sorted(map(repr, {d.loc for d in caught.value.details})) == sorted(map(repr, set(locs)))


@CLASSES
@settings(max_examples=10)
@given(data=st.data())
def test_from_type_draws_valid_instances(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    config = data.draw(st.from_type(cls))
    assert type(config) is cls


@settings(max_examples=30)
@given(instances(rc.RFDETRNanoConfig))
def test_instances_are_instances(config: rc.RFDETRNanoConfig) -> None:
    assert config.patch_size >= 1


@given(
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_loose_spellings_mean_the_canonical_values(epochs: int, lr: float, use_ema: bool) -> None:
    canonical = rc.TrainConfig(dataset_dir=None, epochs=epochs, lr=lr, use_ema=use_ema)
    for e in _spellings(epochs, int):
        for f in _spellings(lr, float):
            for b in _spellings(use_ema, bool):
                assert rc.TrainConfig(dataset_dir=None, epochs=e, lr=f, use_ema=b) == canonical


@RELEASE_CLASSES
@settings(max_examples=15)
@given(data=st.data())
def test_other_releases_valid_draws_are_accepted(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    config = rc.structure(data.draw(valid_dicts(cls, loose=data.draw(st.booleans()))), cls)
    assert type(config) is cls


@RELEASE_CLASSES
@settings(max_examples=15)
@given(data=st.data())
def test_other_releases_invalid_draws_fail_exactly_where_drawn(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    bad, locs = data.draw(invalid_dicts(cls))
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure(bad, cls)
    assert sorted(map(repr, {d.loc for d in caught.value.details})) == sorted(map(repr, set(locs)))
