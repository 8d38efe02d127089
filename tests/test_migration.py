"""Migrating configurations between rfdetr releases: the rules of each step, and the properties of all."""

from __future__ import annotations

import itertools
import pickle
import warnings
from typing import Any, Dict, Tuple

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.migration.engine import MISSING, Migration
from rfdetr_config.migration.steps import step_to
from rfdetr_config.releases import DISTINCT, declared
from rfdetr_config.strategies import valid_dicts

TRAIN = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")
MODEL = ("ModelConfig", "RFDETRNanoConfig", "RFDETRLargeConfig", "RFDETRKeypointPreviewConfig")
STEPS = list(itertools.pairwise(DISTINCT))


def kinds(result: Migration) -> Dict[str, str]:
    return {c.field: c.kind for c in result.changes if c.field is not None}


def up(data: Dict[str, Any], name: str = "TrainConfig", source: str = "1.8.1", target: str = "1.11.2") -> Migration:
    return rc.migrate(data, name, source=source, target=target)


def loads_silently(result: Migration) -> rc.BaseConfig:
    """The target reads the migrated dict, and says nothing about it."""
    cls = getattr(rc.for_release(result.target), result.class_name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return rc.structure(result.data, cls)


# The issue's own example, and each rule of each step.


def test_a_1_8_1_keypoint_config_keeps_its_old_defaults() -> None:
    result = up({"dataset_dir": "data"}, "KeypointTrainConfig")
    config = loads_silently(result)
    assert (config.grad_accum_steps, config.keypoint_nll_loss_coef) == (4, 0.5)  # type: ignore[attr-defined]
    assert (config.log_per_class_metrics, config.compute_val_loss) == (True, True)  # type: ignore[attr-defined]


def test_new_fields_are_pinned_to_what_the_old_release_did() -> None:
    data = up({"dataset_dir": "d"}).data
    assert data["eval_base_model"] is True
    assert data["eval_backend"] == "faster_coco_eval"
    assert (data["num_sanity_val_steps"], data["compact_train_metrics"]) == (2, False)


def test_eval_base_model_follows_a_1_9_eval_ema_only() -> None:
    result = up({"dataset_dir": "d", "eval_ema_only": True}, source="1.9.4")
    assert (result.data["eval_base_model"], result.data["eval_ema_only"]) == (False, True)
    loads_silently(result)
    result = up({"dataset_dir": "d", "eval_ema_only": False}, source="1.9.4")
    assert result.data["eval_base_model"] is True
    assert "eval_ema_only" not in result.data
    loads_silently(result)


def test_the_segmentation_loss_weight_of_1_8_2_is_pinned() -> None:
    result = up({"dataset_dir": "d"}, "SegmentationTrainConfig", source="1.8.2")
    assert result.data["cls_loss_coef"] == 5.0
    assert up({"dataset_dir": "d"}, "SegmentationTrainConfig", source="1.8.3").data.get("cls_loss_coef") is None


@pytest.mark.parametrize(
    ("given", "kwargs"),
    [({"lr_drop": 50}, {"lr_drop": 50}), ({"lr_min_factor": 0.1}, {"min_factor": 0.1}), ({"lr_drop": 100}, None)],
)
def test_lr_drop_and_lr_min_factor_move_into_the_schedule_kwargs(given: Dict[str, Any], kwargs: Any) -> None:
    result = up({"dataset_dir": "d", **given})
    assert result.data.get("lr_scheduler_kwargs") == kwargs
    assert not set(given) & set(result.data)
    loads_silently(result)


def test_lr_drop_for_an_unmanaged_schedule_is_dropped_as_ignored() -> None:
    data = {"dataset_dir": "d", "lr_drop": 50, "lr_scheduler": "torch.optim.lr_scheduler.StepLR"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = up(data, source="1.10.1")
    assert kinds(result)["lr_drop"] == "dropped"
    assert result.data.get("lr_scheduler_kwargs") is None


@pytest.mark.parametrize(
    ("scales", "padding", "mode"),
    [(True, False, "per-batch"), (True, True, "per-sample"), (False, True, "off"), (False, False, "off")],
)
def test_multi_scale_and_padding_become_a_mode(scales: bool, padding: bool, mode: str) -> None:
    result = up({"dataset_dir": "d", "multi_scale": scales, "do_random_resize_via_padding": padding})
    assert result.data["multi_scale"] == mode
    assert "do_random_resize_via_padding" not in result.data
    back = rc.migrate(result.data, "TrainConfig", source="1.11.2", target="1.10.1").data
    assert back["multi_scale"] is scales
    assert back.get("do_random_resize_via_padding", False) is (mode == "per-sample")


def test_loose_spellings_are_written_as_values() -> None:
    result = up({"dataset_dir": "d", "multi_scale": "on", "use_ema": "no", "epochs": "3"})
    assert (result.data["multi_scale"], result.data["use_ema"], result.data["epochs"]) == ("per-batch", False, 3)


def test_a_negative_clipping_norm_becomes_zero() -> None:
    result = up({"dataset_dir": "d", "clip_max_norm": -1.0}, source="1.11.0")
    assert result.data["clip_max_norm"] == 0.0
    assert kinds(result)["clip_max_norm"] == "converted"


def test_unknown_keys_and_inert_fields_of_1_8_are_dropped_with_the_reason() -> None:
    result = up({"dataset_dir": "d", "epochz": 3, "group_detr": 5, "num_select": 10})
    assert {f: kinds(result)[f] for f in ("epochz", "group_detr", "num_select")} == dict.fromkeys(
        ("epochz", "group_detr", "num_select"), "dropped"
    )
    assert "ignores" in next(c.message for c in result.changes if c.field == "epochz")


def test_paths_are_written_as_given() -> None:
    result = up({"dataset_dir": "data", "output_dir": "~/runs"})
    assert (result.data["dataset_dir"], result.data["output_dir"]) == ("data", "~/runs")


@pytest.mark.parametrize(
    ("value", "written", "kind"),
    [("cpu", "albumentations", "needs a decision"), ("auto", "auto", "needs a decision"), ("gpu", "gpu", None)],
)
def test_the_augmentation_pipeline_of_1_8(value: str, written: str, kind: Any) -> None:
    result = up({"dataset_dir": "d", "augmentation_backend": value})
    assert result.data["augmentation_backend"] == written
    assert kinds(result).get("augmentation_backend") == kind


def test_what_needs_a_decision_is_reported_and_refused_when_strict() -> None:
    result = up({"dataset_dir": "d"})
    assert {c.field for c in result.lossy} == {"augmentation_backend", "amp_dtype"}
    with pytest.raises(rc.ConfigError) as caught:
        rc.migrate({"dataset_dir": "d"}, "TrainConfig", source="1.8.1", target="1.11.2", strict=True)
    assert {d.loc for d in caught.value.details} == {("augmentation_backend",), ("amp_dtype",)}


def test_the_keypoint_preview_classes_need_a_decision() -> None:
    result = up({"num_classes": 1}, "RFDETRKeypointPreviewConfig", target="1.8.2")
    assert result.data["num_keypoints_per_class"] == [0, 17]
    assert kinds(result)["num_keypoints_per_class"] == "needs a decision"


def test_a_bare_weights_name_needs_a_decision_from_1_10() -> None:
    result = up({"pretrain_weights": "mine.pth"}, "RFDETRNanoConfig", source="1.9.4")
    assert result.data["pretrain_weights"] == "mine.pth"
    assert kinds(result)["pretrain_weights"] == "needs a decision"


def test_a_model_cls_loss_coef_alone_needs_a_decision() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = up({"cls_loss_coef": 2.0}, "RFDETRNanoConfig")
    assert "cls_loss_coef" not in result.data
    assert kinds(result)["cls_loss_coef"] == "needs a decision"


@pytest.mark.parametrize("train_class", TRAIN)
@pytest.mark.parametrize(("train_gives", "effective"), [(False, 2.0), (True, 3.0)])
def test_a_pair_keeps_the_1_8_loss_weight_precedence(train_class: str, train_gives: bool, effective: float) -> None:
    train = {"dataset_dir": "d", **({"cls_loss_coef": 3.0} if train_gives else {})}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, trained = rc.migrate_pair(
            {"cls_loss_coef": 2.0}, "RFDETRNanoConfig", train, train_class, source="1.8.1", target="1.11.2"
        )
    assert "cls_loss_coef" not in model.data
    assert trained.data["cls_loss_coef"] == effective
    assert not [c for c in model.lossy if c.field == "cls_loss_coef"]


@pytest.mark.parametrize(("amp_dtype", "written"), [("auto", None), ("bf16", None)])
def test_a_pair_with_amp_off_trains_fp32_from_1_11(amp_dtype: str, written: Any) -> None:
    _model, train = rc.migrate_pair(
        {"amp": False}, "RFDETRNanoConfig", {"dataset_dir": "d", "amp_dtype": amp_dtype}, "TrainConfig",
        source="1.10.1", target="1.11.2",
    )  # fmt: skip
    assert train.data["amp_dtype"] is written
    assert not train.lossy


def test_amp_dtype_alone_needs_a_decision_where_amp_could_be_off() -> None:
    result = up({"dataset_dir": "d", "amp_dtype": "bf16"}, source="1.10.1")
    assert kinds(result)["amp_dtype"] == "needs a decision"


def test_a_pair_downgrade_says_fp32_with_the_model() -> None:
    model, train = rc.migrate_pair(
        {}, "RFDETRNanoConfig", {"dataset_dir": "d", "amp_dtype": None}, "TrainConfig", source="1.11.2", target="1.10.1"
    )
    assert model.data["amp"] is False
    assert train.data["amp_dtype"] == "auto"


@pytest.mark.parametrize(
    ("data", "target", "field"),
    [
        ({"amp_dtype": "fp8", "batch_size": 4}, "1.10.1", "amp_dtype"),
        ({"amp_dtype": None}, "1.10.1", "amp_dtype"),
        ({"dataset_file": "webdataset"}, "1.10.1", "dataset_file"),
        ({"eval_base_model": True, "optimizer": "sgd"}, "1.8.3", "optimizer"),
        ({"eval_base_model": True, "lr_scheduler": "torch.optim.lr_scheduler.StepLR"}, "1.8.3", "lr_scheduler"),
        ({"eval_base_model": True, "augmentation_backend": "torchvision"}, "1.8.3", "augmentation_backend"),
        ({"best_model_metric": "mar"}, "1.9.4", "best_model_metric"),
        ({}, "1.8.3", "eval_ema_only"),
    ],
)
def test_a_downgrade_that_cannot_be_said_names_the_field(data: Dict[str, Any], target: str, field: str) -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.migrate({"dataset_dir": "d", **data}, "TrainConfig", source="1.11.2", target=target)
    assert (field,) in {d.loc for d in caught.value.details}
    assert f"rfdetr {target[:-2]}" in str(caught.value)


def test_large_p3_cannot_go_below_1_10() -> None:
    with pytest.raises(rc.ConfigError, match="projector_scale"):
        rc.migrate({"projector_scale": ["P3"]}, "RFDETRLargeConfig", source="1.10.1", target="1.9.4")


def test_a_downgrade_to_1_9_says_eval_base_model_with_eval_ema_only() -> None:
    result = rc.migrate({"dataset_dir": "d"}, "TrainConfig", source="1.11.2", target="1.9.4")
    assert result.data["eval_ema_only"] is True
    assert result.data["compute_val_loss"] is True
    assert result.data["grad_accum_steps"] == 1
    loads_silently(result)


def test_invalid_input_and_arguments() -> None:
    with pytest.raises(rc.ConfigError, match="dataset_dir"):
        up({})
    with pytest.raises(ValueError, match="supported releases"):
        rc.migrate({}, "TrainConfig", source="1.7.0", target="1.11.2")
    with pytest.raises(ValueError, match="did you mean 'TrainConfig'"):
        rc.migrate({}, "TrainConfg", source="1.8.1", target="1.11.2")
    with pytest.raises(ValueError, match="no configuration class"):
        rc.migrate({}, ["TrainConfig"], source="1.8.1", target="1.11.2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no configuration class"):
        rc.releases_accepting({}, "Nope")


def test_records_read_as_sentences_and_pickle() -> None:
    change = up({"dataset_dir": "d"}).changes[0]
    assert str(change).startswith(f"{change.field}: {change.kind}: ")
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING
    assert not MISSING
    assert repr(MISSING) == "MISSING"


def test_releases_accepting_tells_which_rfdetr_wrote_a_file() -> None:
    assert rc.releases_accepting({"dataset_dir": "d", "lr_drop": 5}, "TrainConfig")[-1] == "1.10.1"
    from_1_11 = rc.RELEASES[rc.RELEASES.index("1.11.0") :]
    assert rc.releases_accepting({"dataset_dir": "d", "multi_scale": "per-sample"}, "TrainConfig") == from_1_11
    assert rc.releases_accepting({"dataset_dir": "d", "clip_max_norm": -1}, "TrainConfig")[-1] == "1.11.0"
    assert rc.releases_accepting({}, "TrainConfig") == ()


def test_every_step_has_its_module() -> None:
    assert [step_to(newer).release for _, newer in STEPS] == list(DISTINCT[1:])
    with pytest.raises(ValueError, match="no step"):
        step_to(DISTINCT[0])


# Properties over generated valid configurations of every class of every release.

PAIRS = [*STEPS, ("1.8.1", "1.11.1"), ("1.9.0", "1.11.1")]


def _drawn(data: st.DataObject, release: str, name: str) -> Dict[str, Any]:
    cls = getattr(rc.for_release(release), name)
    drawn = data.draw(valid_dicts(cls, loose=True))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rc.structure(drawn, cls, unknown_keys=cls.__rfdetr_unknown_keys__)
    except rc.ConfigError:  # a rule across fields the strategy does not know
        assume(False)
    return drawn


def _effective(config: rc.BaseConfig, ignored: Tuple[str, ...]) -> Dict[str, Any]:
    """What a config trains with: its fields, with the schedule settings read as rfdetr reads them."""
    values = {f: getattr(config, f) for f in type(config).__rfdetr_order__ if f not in ignored}
    kwargs = values.pop("lr_scheduler_kwargs", None) or {}
    for field, kwarg in (("lr_drop", "lr_drop"), ("lr_min_factor", "min_factor")):
        if field in values and kwarg in kwargs:
            values[field] = kwargs[kwarg]
    if "eval_base_model" in values:
        values.pop("eval_ema_only", None)
    return values


@pytest.mark.parametrize("name", TRAIN + MODEL)
@pytest.mark.parametrize("release", DISTINCT)
@settings(max_examples=10)
@given(data=st.data())
def test_migrating_to_the_same_release_changes_nothing(release: str, name: str, data: st.DataObject) -> None:
    drawn = _drawn(data, release, name)
    for same in declared(release).covers:
        result = rc.migrate(drawn, name, source=release, target=same)
        assert result.data == drawn
        assert result.changes == ()


@pytest.mark.parametrize("name", TRAIN + MODEL)
@pytest.mark.parametrize(("older", "newer"), PAIRS)
@settings(max_examples=15)
@given(data=st.data())
def test_upgrades_load_silently_and_come_back(older: str, newer: str, name: str, data: st.DataObject) -> None:
    drawn = _drawn(data, older, name)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        source = rc.structure(drawn, getattr(rc.for_release(older), name), unknown_keys="ignore")
    result = rc.migrate(drawn, name, source=older, target=newer)
    assert not [c for c in result.changes if c.kind == "lossy"]
    assert newer in rc.releases_accepting(result.data, name)
    assert set(result.warnings) <= {str(w.message) for w in said}
    try:
        back = rc.migrate(result.data, name, source=newer, target=older)
    except rc.ConfigError:
        return
    if any(not c.keeps_training and c.new is MISSING for c in (*result.changes, *back.changes)):
        return  # a value the other release has no place for
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = rc.structure(back.data, getattr(rc.for_release(older), name))
    # Dropped: no effect in the source; converted: the same meaning in other words (-1.0 and 0.0 norms).
    ignored = tuple(c.field for c in result.changes if c.kind in ("dropped", "converted") and c.field)
    assert _effective(again, ignored) == _effective(source, ignored)


@pytest.mark.parametrize(("older", "newer"), [("1.8.1", "1.11.1"), ("1.8.2", "1.9.0")])
@settings(max_examples=25)
@given(data=st.data())
def test_pairs_upgrade_with_the_loss_weight_where_1_8_read_it(older: str, newer: str, data: st.DataObject) -> None:
    model = _drawn(data, older, "RFDETRNanoConfig")
    train_class = data.draw(st.sampled_from(TRAIN))
    train = _drawn(data, older, train_class)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = rc.structure(train, getattr(rc.for_release(older), train_class), unknown_keys="ignore")
        old_model = rc.structure(model, rc.for_release(older).RFDETRNanoConfig)
        moved_model, moved_train = rc.migrate_pair(model, "RFDETRNanoConfig", train, train_class, source=older,
                                                   target=newer)  # fmt: skip
    effective = old_model.cls_loss_coef if "cls_loss_coef" in model and "cls_loss_coef" not in train else None  # type: ignore[attr-defined]
    new = loads_silently(moved_train)
    assert new.cls_loss_coef == (old.cls_loss_coef if effective is None else effective)  # type: ignore[attr-defined]
    assert "cls_loss_coef" not in moved_model.data


def test_a_nan_the_source_accepts_is_no_lossy_change() -> None:
    result = up({"dataset_dir": "d", "lr": float("nan"), "lr_min_factor": float("nan")})
    assert not result.lossy or {c.field for c in result.lossy} == {"augmentation_backend", "amp_dtype"}
    assert "lr" not in kinds(result)
