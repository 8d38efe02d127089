from __future__ import annotations

import pathlib
import pickle
import warnings

import pytest

import rfdetr_config as rc

v181 = rc.for_release("1.8.1")  # the seed release, whose behaviour these tests pin


def test_every_bad_field_at_once_with_paths() -> None:
    data = {"dataset_dir": None, "lr": "fast", "batch_size": 0, "keypoint_oks_sigmas": [0.1, 0.2, "x"], "epoch": 3}
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure(data, v181.TrainConfig)
    error = caught.value
    assert isinstance(error, ValueError)
    assert [d.loc for d in error.details] == [("lr",), ("batch_size",), ("keypoint_oks_sigmas", 2), ("epoch",)]
    # 1.8.1's TrainConfig ignores unknown keys: pydantic would report the fields, and the key as it forbids extras
    assert [(e["loc"], e["type"]) for e in error.errors()] == [
        (("lr",), "float_parsing"),
        (("batch_size",), "value_error"),
        (("keypoint_oks_sigmas", 2), "float_parsing"),
        (("epoch",), "extra_forbidden"),
    ]
    message = str(error)
    assert message.startswith("4 errors in TrainConfig:")
    assert "keypoint_oks_sigmas[2]: must be a number" in message
    assert "'x'" in message
    assert "epoch: unknown field; did you mean 'epochs'?" in message


def test_errors_are_pydantics() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        v181.RFDETRNanoConfig(num_channels=0)
    (entry,) = caught.value.errors()
    assert entry == {
        "type": "greater_than_equal",
        "loc": ("num_channels",),
        "msg": "Input should be greater than or equal to 1",
        "input": 0,
        "ctx": {"ge": 1},
    }
    assert str(caught.value) == "1 error in RFDETRNanoConfig:\n  num_channels: must be >= 1 (got 0)"


def test_errors_give_rfdetrs_own_value_errors_and_the_raw_input() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, "smooth_alpha": 1}, v181.TrainConfig)
    (entry,) = caught.value.errors()
    assert type(entry["input"]) is int  # as given, not converted
    assert entry["input"] == 1
    assert entry["msg"] == "Value error, smooth_alpha must be in [0.0, 1.0)."
    assert repr(entry["ctx"]) == "{'error': ValueError('smooth_alpha must be in [0.0, 1.0).')}"
    with pytest.raises(rc.ConfigError) as caught:
        v181.RFDETRNanoConfig(device="gpu")
    (entry,) = caught.value.errors()
    assert (entry["type"], entry["msg"]) == ("value_error", "Value error, Invalid device specifier: 'gpu'.")


def test_a_union_gives_one_entry_per_member() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, "batch_size": "big"}, rc.TrainConfig)
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        (("batch_size", "int"), "int_parsing"),
        (("batch_size", "literal['auto']"), "literal_error"),
    ]
    assert caught.value.errors()[1]["ctx"] == {"expected": "'auto'"}
    assert str(caught.value).count("\n") == 1  # one line for the field


def test_unknown_keys_stop_pydantic_before_the_fields() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, "epoch": 3, "batch_size": 0}, rc.TrainConfig)
    (entry,) = caught.value.errors()
    assert (entry["type"], entry["loc"]) == ("value_error", ())
    assert entry["msg"].startswith("Value error, Unknown parameter(s): 'epoch'. Available parameter(s): accelerator, ")
    assert entry["input"] == {"dataset_dir": None, "epoch": 3, "batch_size": 0}
    assert [d.loc for d in caught.value.details] == [(), ("batch_size",), ("epoch",)]
    assert "epoch: unknown field; did you mean 'epochs'?" in str(caught.value)


def test_replace_reports_the_first_failing_change_as_pydantic_does() -> None:
    config = rc.TrainConfig(dataset_dir=None)
    with pytest.raises(rc.ConfigError) as caught:
        rc.replace(config, epochs="x", batch_size=0)
    assert [e["loc"] for e in caught.value.errors()] == [("epochs",)]
    assert [d.loc for d in caught.value.details] == [("epochs",), ("batch_size",)]


def test_constructor_reports_all_fields_too() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        v181.RFDETRBaseConfig(encoder="vit", projector_scale=["P3", "P9"], hidden_dim="wide")
    assert [e["loc"] for e in caught.value.errors()] == [("encoder",), ("projector_scale", 1), ("hidden_dim",)]


def test_unknown_key_without_a_close_match_has_no_suggestion() -> None:
    with pytest.raises(rc.ConfigError, match=r"zzz: unknown field \(got 'zzz'\)"):
        rc.structure({"dataset_dir": None, "zzz": 1}, v181.TrainConfig)


def test_unknown_keys_can_be_ignored_like_the_reference_train_config() -> None:
    config = rc.structure({"dataset_dir": None, "epoch": 3}, v181.TrainConfig, unknown_keys="ignore")
    assert config == v181.TrainConfig(dataset_dir=None)


def test_missing_required_fields_through_structure() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"epochs": 3}, v181.TrainConfig)
    entry = {"type": "missing", "loc": ("dataset_dir",), "msg": "Field required", "input": {"epochs": 3}}
    assert caught.value.errors()[0] == entry
    assert str(caught.value).endswith("dataset_dir: is required")


def test_constructor_raises_type_error_for_unknown_or_missing_keywords() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'epoch'"):
        v181.TrainConfig(dataset_dir=None, epoch=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument"):
        v181.TrainConfig()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        v181.TrainConfig(None)  # type: ignore[misc]


@pytest.mark.parametrize("value", [5, 1.5, True, [], {}])
@pytest.mark.parametrize("field", ["dataset_dir", "output_dir", "resume"])
def test_non_paths_are_errors_where_the_reference_crashes(field: str, value: object) -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, field: value}, v181.TrainConfig)
    assert caught.value.details[0].loc == (field,)


def test_zero_patch_size_with_resolution_is_an_error_not_a_zero_division() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(rc.ConfigError) as error:
            v181.RFDETRNanoConfig(resolution=640, patch_size=0, cls_loss_coef=1.0)
    assert error.value.details[0].loc == ("patch_size",)
    assert [w.category for w in caught] == [DeprecationWarning]  # emitted before the reference crashed too


def test_structure_needs_a_mapping() -> None:
    with pytest.raises(rc.ConfigError, match="must be a mapping"):
        rc.structure(["epochs", 3], v181.TrainConfig)  # type: ignore[arg-type]


def test_bad_dict_key_location_and_unicode_bytes() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, "aug_config": {1: "x"}, "project": b"\xff"}, v181.TrainConfig)
    assert [e["loc"] for e in caught.value.errors()] == [("project",), ("aug_config", 1, "[key]")]


def test_unusable_path_is_an_error() -> None:
    with pytest.raises(rc.ConfigError, match="not a usable path"):
        v181.TrainConfig(dataset_dir="a\x00b")


def test_error_pickles_and_long_inputs_are_shortened() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        v181.TrainConfig(dataset_dir=None, project="x" * 500 + "\x00", lr="y" * 500)
    clone = pickle.loads(pickle.dumps(caught.value))
    assert clone.errors() == caught.value.errors()
    assert "..." in str(caught.value)
    assert len(str(caught.value).splitlines()[1]) < 150


def test_path_objects_are_accepted() -> None:
    config = v181.TrainConfig(dataset_dir=pathlib.Path("data"), resume=pathlib.Path("last"))
    assert config.dataset_dir == str(pathlib.Path.cwd() / "data")
    assert config.resume == "last"


@pytest.mark.parametrize(
    ("bound", "shown"),
    [
        (1, "1"),
        (0.0, "0"),
        (0.5, "0.5"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (2.0**63, "9223372036854776000"),
    ],
)
def test_bounds_are_printed_as_pydantic_prints_them(bound: float, shown: str) -> None:
    from rfdetr_config.core.errors import pydantic_message

    assert (
        pydantic_message("greater_than_equal", {"ge": bound}, "") == f"Input should be greater than or equal to {shown}"
    )


def test_the_reported_list_survives_pickling() -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.structure({"dataset_dir": None, "epoch": 3, "batch_size": "big"}, rc.TrainConfig)
    clone = pickle.loads(pickle.dumps(caught.value))
    assert repr(clone.errors()) == repr(caught.value.errors())
    assert len(clone.details) == 3
