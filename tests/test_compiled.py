"""The generated build functions: both ways in agree, and what they hand out is the class itself."""

from __future__ import annotations

import pathlib
import pickle
import warnings
from typing import Any, Dict

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.checks import paths
from rfdetr_config.core.coerce import to_float
from rfdetr_config.core.errors import FieldError
from rfdetr_config.strategies import invalid_dicts, valid_dicts

from .conftest import all_classes


def _outcome(data: Dict[str, Any], cls: type[rc.BaseConfig]) -> str:
    """Everything a caller can observe about one ``structure`` call, as comparable text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            config = rc.structure(data, cls)
        except rc.ConfigError as error:
            # pydantic's input of a failure of the whole configuration is the input mapping, in its order
            entries = error.errors()
            unordered = [{**e, "input": sorted(e["input"].items(), key=repr)} if not e["loc"] else e for e in entries]
            return repr(("rejected", unordered))
    heard = [(w.category.__name__, str(w.message)) for w in caught]
    return repr(("accepted", rc.unstructure(config), sorted(rc.fields_set(config)), heard))


def _full_dict(cls: type[rc.BaseConfig], data: st.DataObject) -> Dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rc.unstructure(rc.structure(data.draw(valid_dicts(cls)), cls))


@all_classes()
@settings(max_examples=25)
@given(data=st.data())
def test_positional_and_by_name_builds_agree_on_valid_input(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    in_order = {**_full_dict(cls, data), **data.draw(valid_dicts(cls, loose=True))}
    assert tuple(in_order) == cls.__rfdetr_order__  # takes the positional build
    reordered = dict(reversed(list(in_order.items())))  # takes the build by name
    assert _outcome(in_order, cls) == _outcome(reordered, cls)


@all_classes()
@settings(max_examples=25)
@given(data=st.data())
def test_positional_and_by_name_builds_agree_on_invalid_input(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    spoiled, _ = data.draw(invalid_dicts(cls))
    in_order = {**_full_dict(cls, data), **{k: v for k, v in spoiled.items() if k in cls.__rfdetr_names__}}
    reordered = dict(reversed(list(in_order.items())))
    assert _outcome(in_order, cls) == _outcome(reordered, cls)


@all_classes()
@settings(max_examples=5)
@given(data=st.data())
def test_built_instances_are_exactly_the_class_and_frozen(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    names = cls.__rfdetr_order__
    full = _full_dict(cls, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = (rc.structure(full, cls), cls(**dict(reversed(list(full.items())))))
    for config in built:
        assert type(config) is cls
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(config, names[0], getattr(config, names[0]))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(config, names[0])


def test_a_plain_subclass_builds_instances_of_itself(quiet: None) -> None:
    class Mine(rc.TrainConfig):
        pass

    mine = Mine(dataset_dir=None, epochs=3)
    assert type(mine) is Mine
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mine.epochs = 4  # type: ignore[misc]
    again = rc.structure(rc.unstructure(mine), Mine)
    assert type(again) is Mine
    assert again.epochs == 3
    assert type(rc.replace(mine, epochs=5)) is Mine
    with pytest.raises(rc.ConfigError):
        Mine(dataset_dir=None, epochs="many")


_NEAR_FLOAT_LIMITS = [s * (2**e + d) for s in (1, -1) for e in (53, 1023, 1024) for d in (-1, 0, 1)]


@settings(max_examples=200)
@given(value=st.one_of(st.integers(), st.sampled_from(_NEAR_FLOAT_LIMITS)))
def test_an_int_for_a_float_converts_as_the_converter_does(value: int) -> None:
    """The generated code converts ints in range itself; the converter decides the rest."""
    try:
        expected: Any = to_float(value)
    except FieldError as error:
        expected = error.kind
    for data in ({"dataset_dir": None, "lr": value}, {**_IN_ORDER, "lr": value}):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got: Any = rc.structure(data, rc.TrainConfig).lr
        except rc.ConfigError as error:
            got = error.errors()[0]["type"]
        assert type(got) is type(expected)
        assert got == expected


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _IN_ORDER = rc.unstructure(rc.TrainConfig(dataset_dir=None))


def test_building_leaves_no_writable_class_behind(quiet: None) -> None:
    config = rc.TrainConfig(dataset_dir=None)
    restored = pickle.loads(pickle.dumps(config))
    assert type(restored) is rc.TrainConfig
    assert restored == config
    assert all(type(c) is rc.TrainConfig for c in (config, rc.replace(config, epochs=2)))


_PATHS = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("ab/~.\0\udc80\ud800é")),
    st.binary(),
    st.builds(lambda t: pathlib.PurePosixPath(t.replace("\0", "")), st.text()),
    st.integers(),
)


@settings(max_examples=300)
@given(value=_PATHS)
@pytest.mark.parametrize("resolve", [paths.resolved, paths.in_model_cache], ids=lambda f: f.__name__)
def test_a_failed_build_checks_paths_with_the_same_verdict(resolve: Any, value: Any) -> None:
    """Once a build has failed, paths are checked without resolving; what is reported must not change."""

    def verdict(convert: Any) -> Any:
        try:
            convert(value)
        except FieldError as error:
            return (error.kind, error.msg)
        return "accepted"

    assert verdict(resolve.when_failed) == verdict(resolve)


def test_path_failures_after_another_failure_are_still_reported(quiet: None) -> None:
    data = {**_IN_ORDER, "lr": "fast", "output_dir": "out\0put"}
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure(data, rc.TrainConfig)
    assert [e["loc"] for e in caught.value.errors()] == [("lr",), ("output_dir",)]
    assert caught.value.details[1].type == "path_value"
    assert caught.value.errors()[1]["msg"] == "Value error, embedded null byte"
