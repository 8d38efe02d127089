"""A user's own cattrs converter: single classes, and unions of classes told apart by the class key."""

from __future__ import annotations

from typing import Any, List, Optional, Union

import attrs
import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.files import header_of
from rfdetr_config.strategies import instances

Training = Union[rc.TrainConfig, rc.KeypointTrainConfig, rc.SegmentationTrainConfig]


@attrs.define
class Experiment:
    name: str
    train: rc.TrainConfig | rc.KeypointTrainConfig
    model: Optional[Union[rc.RFDETRNanoConfig, rc.RFDETRSmallConfig]] = None
    history: List[Training] = attrs.Factory(list)


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Dumps of training configs hold deprecated fields; their warnings are not the point here."""


@pytest.fixture(params=[cattrs.Converter, cattrs.BaseConverter], ids=["Converter", "BaseConverter"])
def conv(request: pytest.FixtureRequest) -> cattrs.BaseConverter:
    return rc.register_hooks(request.param())  # type: ignore[no-any-return]


def test_a_union_is_structured_by_the_class_key(conv: cattrs.Converter) -> None:
    data = {"name": "a", "train": {"config_class": "KeypointTrainConfig", "dataset_dir": None, "epochs": "7"}}
    experiment = conv.structure(data, Experiment)
    assert type(experiment.train) is rc.KeypointTrainConfig
    assert experiment.train.epochs == 7
    assert experiment.model is None


def test_a_union_value_is_unstructured_with_the_class_key_first(conv: cattrs.Converter) -> None:
    experiment = Experiment(
        "a", rc.KeypointTrainConfig(dataset_dir=None, output_dir="out"), rc.RFDETRSmallConfig(pretrain_weights=None)
    )
    dumped = conv.unstructure(experiment)
    assert list(dumped["train"])[:3] == ["config_class", "rfdetr_release", "lr"]
    assert dumped["train"]["config_class"] == "KeypointTrainConfig"
    assert dumped["model"]["config_class"] == "RFDETRSmallConfig"
    assert conv.structure(dumped, Experiment) == experiment


def test_union_items_of_a_list_carry_the_class_key() -> None:
    """cattrs' Converter unstructures list items by their declared type (BaseConverter by their own class)."""
    conv = rc.register_hooks(cattrs.Converter())
    history: List[Training] = [rc.SegmentationTrainConfig(dataset_dir=None, output_dir="out")]
    experiment = Experiment("a", rc.TrainConfig(dataset_dir=None, output_dir="out"), history=history)
    dumped = conv.unstructure(experiment)
    assert dumped["history"][0]["config_class"] == "SegmentationTrainConfig"
    assert conv.structure(dumped, Experiment) == experiment


def test_a_single_class_has_no_class_key(conv: cattrs.Converter) -> None:
    config = rc.KeypointTrainConfig(dataset_dir=None)
    assert "config_class" not in conv.unstructure(config)
    assert "config_class" not in conv.unstructure(config, unstructure_as=rc.KeypointTrainConfig)
    assert "config_class" not in rc.unstructure(config)
    assert conv.unstructure(config, unstructure_as=Training)["config_class"] == "KeypointTrainConfig"
    assert "config_class" not in conv.unstructure(
        rc.TrainConfig(dataset_dir=None), unstructure_as=Optional[rc.TrainConfig]
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dataset_dir": None}, "config_class: is required to choose among TrainConfig, KeypointTrainConfig"),
        ({"config_class": "TrainConfg"}, "config_class: unknown configuration class; did you mean 'TrainConfig'?"),
        ({"config_class": "RFDETRNanoConfig"}, "config_class: must be one of TrainConfig, KeypointTrainConfig"),
        ({"config_class": 3}, "config_class: must be text (got 3)"),
        ([1, 2], "must be a mapping of field names to values, not a list"),
        ({"config_class": "TrainConfig", "epoch": 3}, "epoch: unknown field; did you mean 'epochs'?"),
    ],
)
def test_union_problems_are_config_errors(conv: cattrs.Converter, data: Any, message: str) -> None:
    with pytest.raises(rc.ConfigError) as caught:
        conv.structure(data, rc.TrainConfig | rc.KeypointTrainConfig)
    assert message in str(caught.value)


def test_an_optional_union_takes_none(conv: cattrs.Converter) -> None:
    assert conv.structure(None, Optional[Union[rc.RFDETRNanoConfig, rc.RFDETRSmallConfig]]) is None
    assert conv.unstructure(None, unstructure_as=Optional[Union[rc.RFDETRNanoConfig, rc.RFDETRSmallConfig]]) is None


def test_unknown_keys_applies_to_union_members() -> None:
    conv = rc.register_hooks(cattrs.Converter(), unknown_keys="ignore")
    built = conv.structure({"config_class": "TrainConfig", "dataset_dir": None, "epoch": 3}, Training)
    assert built == rc.TrainConfig(dataset_dir=None)


@pytest.mark.parametrize("value", ["Forbid", "drop", None])
def test_register_hooks_checks_unknown_keys(value: Any) -> None:
    with pytest.raises(ValueError, match="unknown_keys must be 'forbid' or 'ignore'"):
        rc.register_hooks(cattrs.Converter(), unknown_keys=value)
    with pytest.raises(ValueError, match="unknown_keys must be 'forbid' or 'ignore'"):
        rc.make_converter(unknown_keys=value)


@pytest.mark.parametrize(
    "tp", [Union[int, str], Union[rc.TrainConfig, int], Optional[rc.TrainConfig], rc.TrainConfig, List[rc.TrainConfig]]
)
def test_only_unions_of_config_classes_are_taken(tp: Any) -> None:
    from rfdetr_config.integrations.cattrs_hooks import _is_config_union

    assert not _is_config_union(tp)


@settings(max_examples=20)
@given(data=st.data())
def test_a_union_round_trip_is_what_a_file_holds(data: st.DataObject) -> None:
    config = data.draw(
        st.sampled_from([rc.TrainConfig, rc.KeypointTrainConfig, rc.SegmentationTrainConfig]).flatmap(instances)
    )
    dumped = rc.converter.unstructure(config, unstructure_as=Training)
    assert list(dumped) == list(header_of(type(config))) + list(rc.unstructure(config))
    again = rc.converter.structure(dumped, Training)
    assert type(again) is type(config)
    assert rc.unstructure(again) == rc.unstructure(rc.structure(rc.unstructure(config), type(config)))
