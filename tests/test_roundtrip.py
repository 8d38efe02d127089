from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.strategies import valid_dicts as valid_inputs

from .conftest import all_classes


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Every test here builds configurations whose warnings are not the point."""


@all_classes()
@settings(max_examples=60)
@given(data=st.data())
def test_structure_unstructure_round_trip(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    config = rc.structure(data.draw(valid_inputs(cls)), cls)
    dumped = rc.unstructure(config)
    assert list(dumped) == [p.name for p in cls.__rfdetr_plan__]
    if "output_dir" in dumped and rc.fields_set(config).isdisjoint({"output_dir"}):
        return  # an untouched default path is normalised on load, as in the reference
    if "pretrain_weights" in dumped and "pretrain_weights" not in rc.fields_set(config):
        return
    again = rc.structure(dumped, cls)
    assert again == config
    assert rc.unstructure(again) == dumped or dumped != dumped  # NaN-free here, so equal


@all_classes()
@settings(max_examples=20)
@given(data=st.data())
def test_constructor_and_structure_agree(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    given_values = data.draw(valid_inputs(cls))
    assert cls(**given_values) == rc.structure(given_values, cls)


@all_classes()
@settings(max_examples=10)
@given(data=st.data())
def test_copy_and_pickle_keep_values_and_fields_set(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    config = rc.structure(data.draw(valid_inputs(cls)), cls)
    for clone in (copy.copy(config), copy.deepcopy(config), pickle.loads(pickle.dumps(config))):
        assert clone == config
        assert rc.fields_set(clone) == rc.fields_set(config)


@all_classes()
@settings(max_examples=40)
@given(data=st.data())
def test_a_dump_of_what_was_set_reads_back_as_it_was(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    """With ``exclude_unset`` one round trip is exact: same values, same fields set, no rule run anew."""
    config = rc.structure(data.draw(valid_inputs(cls)), cls)
    dumped = rc.unstructure(config, exclude_unset=True)
    assert list(dumped) == [name for name in cls.__rfdetr_order__ if name in rc.fields_set(config)]
    again = rc.structure(dumped, cls)
    assert again == config
    assert rc.fields_set(again) == rc.fields_set(config)


def test_exclude_defaults_leaves_out_what_equals_its_default() -> None:
    v181 = rc.for_release("1.8.1")
    config = v181.TrainConfig(dataset_dir=None, epochs=100, lr=2e-4, grad_accum_steps=4.0)  # type: ignore[arg-type]
    assert rc.unstructure(config, exclude_defaults=True) == {"lr": 2e-4, "dataset_dir": None}
    assert rc.unstructure(config, exclude_unset=True, exclude_defaults=True) == {"lr": 2e-4, "dataset_dir": None}
    assert set(rc.unstructure(config, exclude_unset=True)) == {"lr", "epochs", "grad_accum_steps", "dataset_dir"}
    assert len(rc.unstructure(config)) == len(v181.TrainConfig.__rfdetr_order__)


def test_a_file_of_what_was_set_reads_back_without_warnings() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = rc.for_release("1.8.1").KeypointTrainConfig(dataset_dir=None, epochs=3)
        assert rc.loads(rc.dumps(config, exclude_unset=True)) == config
    with pytest.warns(DeprecationWarning, match="TrainConfig.group_detr is deprecated"):
        rc.loads(rc.dumps(config))
