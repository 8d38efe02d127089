"""What the reference does beyond single fields: derived values, warnings, fields set, changes."""

from __future__ import annotations

import os
import sys
import types
import warnings
from typing import Any

import attrs
import cattrs
import pytest

import rfdetr_config as rc
from rfdetr_config.checks import devices

v181 = rc.for_release("1.8.1")  # the seed release, whose behaviour these tests pin


def _caught(build: Any) -> tuple[Any, list[tuple[type, str]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build()
    return result, [(w.category, str(w.message)) for w in caught]


def test_seed_page_keypoint_defaults() -> None:
    config = v181.KeypointTrainConfig(dataset_dir=None)
    assert config.cls_loss_coef == 2.0
    assert (config.keypoint_l1_loss_coef, config.keypoint_findable_loss_coef, config.keypoint_visible_loss_coef) == (
        1,
        1,
        1,
    )
    assert type(config.keypoint_l1_loss_coef) is int  # defaults are kept as written, as in the reference
    assert config.keypoint_nll_loss_coef == 0.5
    assert config.smooth_alpha == 0.5
    assert config.skip_best_epochs == 10
    assert issubclass(v181.KeypointTrainConfig, v181.TrainConfig)


def test_seed_page_flip_pairs_warning() -> None:
    _, notes = _caught(lambda: v181.KeypointTrainConfig(dataset_dir=None, keypoint_flip_pairs=[1, 0]))
    assert notes == [
        (
            UserWarning,
            "keypoint_flip_pairs is accepted but not yet implemented and will be ignored. Flip pair swapping "
            "(swapping left/right joint indices after a horizontal flip) is planned for a future release. "
            "Training will proceed without semantic joint swapping.",
        )
    ]
    _, none = _caught(lambda: v181.KeypointTrainConfig(dataset_dir=None, keypoint_flip_pairs=[]))
    assert none == []


def test_warning_points_at_the_caller() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        v181.TrainConfig(dataset_dir=None, group_detr=2)
    assert caught[0].filename == __file__


def test_resolution_rederives_encoding_size_only_for_formula_variants() -> None:
    nano = v181.RFDETRNanoConfig(resolution=640)
    assert nano.positional_encoding_size == 40
    assert rc.fields_set(nano) == {"resolution", "positional_encoding_size"}
    base = v181.RFDETRBaseConfig(resolution=640)  # 37 is tuned to the pretrained weights, not 560 // 14
    assert base.positional_encoding_size == 37
    explicit = v181.RFDETRNanoConfig(resolution=640, positional_encoding_size=7)
    assert explicit.positional_encoding_size == 7


def test_replace_validates_and_acts_like_assignment() -> None:
    nano = v181.RFDETRNanoConfig()
    bigger = rc.replace(nano, resolution=512)
    assert bigger.positional_encoding_size == 32
    assert nano.resolution == 384  # the original is untouched
    assert rc.fields_set(bigger) == {"resolution", "positional_encoding_size"}
    again = rc.replace(bigger, resolution=768)  # the encoding size is now explicit: it stays
    assert again.positional_encoding_size == 32
    with pytest.raises(rc.ConfigError) as caught:
        rc.replace(nano, num_channels=0, resolutoin=3)
    assert [d.loc for d in caught.value.details] == [("num_channels",), ("resolutoin",)]
    assert "did you mean 'resolution'" in str(caught.value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(rc.ConfigError, match="patch_size"):  # the reference: ZeroDivisionError
            rc.replace(nano, patch_size=0, resolution=640)
        kept = rc.replace(nano, resolution=640, patch_size=0)  # in this order the size is derived first
    assert kept.positional_encoding_size == 40


def test_replace_warns_as_assignment_does() -> None:
    nano = v181.RFDETRNanoConfig()
    _, notes = _caught(lambda: rc.replace(nano, hidden_dim=512))
    assert [c for c, _ in notes] == [rc.PretrainWeightsCompatibilityWarning]


def test_instances_are_frozen_and_unhashable() -> None:
    config = v181.TrainConfig(dataset_dir=None)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.lr = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(config)
    assert attrs.has(v181.TrainConfig)
    assert not hasattr(config, "__dict__")


def test_attrs_validators_carry_the_checks() -> None:
    field = attrs.fields(v181.TrainConfig).smooth_alpha
    assert "[0.0, 1.0)" in repr(field.validator)
    assert attrs.fields(v181.KeypointTrainConfig).smooth_alpha.validator == field.validator
    attrs.validate(v181.TrainConfig(dataset_dir=None))


def test_field_order_matches_the_reference_for_overrides() -> None:
    names = [a.name for a in attrs.fields(v181.RFDETRNanoConfig)]
    assert names[:5] == ["encoder", "out_feature_indexes", "dec_layers", "two_stage", "projector_scale"]
    seg = [a.name for a in attrs.fields(v181.SegmentationTrainConfig)]
    assert seg[-3:] == ["mask_point_sample_ratio", "mask_ce_loss_coef", "mask_dice_loss_coef"]


def test_progress_bar_legacy_bools() -> None:
    assert v181.TrainConfig(dataset_dir=None, progress_bar=True).progress_bar == "tqdm"  # type: ignore[arg-type]
    assert v181.TrainConfig(dataset_dir=None, progress_bar=False).progress_bar is None  # type: ignore[arg-type]


def test_pretrain_weights_cases() -> None:
    cache = os.environ["RF_HOME"]
    _, scratch = _caught(lambda: v181.RFDETRNanoConfig(pretrain_weights=None))
    assert "initialised from scratch" in scratch[0][1]
    _, custom = _caught(lambda: v181.RFDETRNanoConfig(pretrain_weights="mine.pth", hidden_dim=512))
    assert custom == []
    named, published = _caught(lambda: v181.RFDETRNanoConfig(pretrain_weights="rf-detr-nano.pth", hidden_dim=512))
    assert named.pretrain_weights == os.path.join(cache, "rf-detr-nano.pth")
    assert "hidden_dim: 512 (variant default: 256)" in published[0][1]
    _, fewer = _caught(lambda: v181.RFDETRNanoConfig(num_queries=100))
    assert fewer == []


def test_register_hooks_on_a_users_converter() -> None:
    @attrs.define
    class Experiment:
        name: str
        train: v181.TrainConfig

    conv = rc.register_hooks(cattrs.Converter())
    exp = conv.structure({"name": "a", "train": {"dataset_dir": None, "epochs": "7"}}, Experiment)
    assert exp.train.epochs == 7
    assert conv.unstructure(exp)["train"]["epochs"] == 7
    with pytest.raises(ValueError, match="unknown_keys"):
        rc.register_hooks(cattrs.Converter(), unknown_keys="drop")  # type: ignore[arg-type]


def test_converter_is_stricter_than_cattrs_defaults() -> None:
    assert rc.converter.structure({"dataset_dir": None, "use_ema": "false"}, v181.TrainConfig).use_ema is False
    with pytest.raises(rc.ConfigError):
        rc.converter.structure({"dataset_dir": None, "epochs": 4.7}, v181.TrainConfig)


def test_devices_without_and_with_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert v181.RFDETRNanoConfig().device == "cpu"
    assert v181.RFDETRNanoConfig(device="cuda:255").device == "cuda"
    assert v181.RFDETRNanoConfig(device="cuda:384").device == "cuda:-128"

    class Device:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

    fake = types.SimpleNamespace(
        device=Device,
        accelerator=types.SimpleNamespace(current_accelerator=lambda check_available: Device("cuda")),
    )
    monkeypatch.setitem(sys.modules, "torch", fake)
    monkeypatch.setattr(devices, "_detected", None)
    assert v181.RFDETRNanoConfig(device=Device("cuda:1")).device == "cuda:1"  # type: ignore[arg-type]
    assert v181.RFDETRNanoConfig().device == "cuda"


@pytest.mark.parametrize(
    ("torch_like", "expected"),
    [
        (types.SimpleNamespace(accelerator=types.SimpleNamespace(current_accelerator=lambda **_: None)), "cpu"),
        (
            types.SimpleNamespace(
                accelerator=types.SimpleNamespace(current_accelerator=lambda: "xpu", is_available=lambda: False)
            ),
            "cpu",
        ),
        (
            types.SimpleNamespace(
                accelerator=types.SimpleNamespace(current_accelerator=lambda: "xpu", is_available=lambda: True)
            ),
            "xpu",
        ),
        (types.SimpleNamespace(cuda=types.SimpleNamespace(is_available=lambda: True)), "cuda"),
        (
            types.SimpleNamespace(
                cuda=types.SimpleNamespace(is_available=lambda: False),
                backends=types.SimpleNamespace(mps=types.SimpleNamespace(is_available=lambda: True)),
            ),
            "mps",
        ),
        (
            types.SimpleNamespace(
                cuda=types.SimpleNamespace(is_available=lambda: False),
                backends=types.SimpleNamespace(mps=types.SimpleNamespace(is_available=lambda: False)),
            ),
            "cpu",
        ),
    ],
)
def test_accelerator_detection_follows_the_reference(torch_like: Any, expected: str) -> None:
    assert devices._detect(torch_like) == expected


def test_detection_failure_means_cpu() -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("no driver")

    assert (
        devices._detect(types.SimpleNamespace(accelerator=types.SimpleNamespace(current_accelerator=broken))) == "cpu"
    )


def test_legacy_device_type_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "_legacy_warned", False)
    _, first = _caught(lambda: v181.RFDETRNanoConfig(device="mkldnn"))
    _, second = _caught(lambda: v181.RFDETRNanoConfig(device="mkldnn:1"))
    assert [c for c, _ in first] == [UserWarning]
    assert second == []
    with pytest.raises(rc.ConfigError):
        v181.RFDETRNanoConfig(device="cuda:2147483648")


def test_dumped_containers_are_copies() -> None:
    config = v181.TrainConfig(dataset_dir=None, class_names=["a"], aug_config={"k": [1]}, keypoint_flip_pairs=[1, 0])
    dumped = rc.unstructure(config)
    dumped["class_names"].append("b")
    dumped["aug_config"]["k"].append(2)
    dumped["keypoint_flip_pairs"].clear()
    assert config.class_names == ["a"]
    assert config.aug_config == {"k": [1]}
    assert config.keypoint_flip_pairs == [1, 0]
