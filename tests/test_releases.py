"""Choosing an rfdetr release: the registry, the release modules, their stubs, and what each release changed."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys
import warnings
from typing import Any

import attrs
import pytest

import rfdetr_config as rc
from rfdetr_config.releases import GROUPS, MODULES, RELEASES, TOP, declared, module_name, release_module_name, stubs
from rfdetr_config.releases import release as declare
from rfdetr_config.releases.registry import Group

from .conftest import typed_value

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_releases_are_listed_oldest_first() -> None:
    as_numbers = [tuple(int(p) for p in r.split(".")) for r in rc.RELEASES]
    assert as_numbers == sorted(as_numbers)
    assert rc.RELEASES[0] == "1.8.1"
    assert set(rc.RELEASES) == set(MODULES)
    assert TOP in rc.RELEASES


@pytest.mark.parametrize("release", list(MODULES))
def test_every_release_resolves_to_its_module(release: str) -> None:
    module = rc.for_release(release)
    assert module.__name__ == release_module_name(release)
    assert release == module.RELEASE
    assert release in module.RELEASES
    assert module.DECLARED.covers == module.RELEASES
    for name in module.DECLARED.class_names:
        cls = getattr(module, name)
        assert cls.__module__ == module_name(release)
        assert cls.__rfdetr_release__ == module.DECLARED.name
    assert [c.__name__ for c in module.CONFIG_CLASSES] == list(module.DECLARED.class_names)
    assert set(module.__all__) >= {*module.DECLARED.class_names, "PretrainWeightsCompatibilityWarning"}


def test_releases_sharing_a_module_share_their_classes() -> None:
    for release, module in MODULES.items():
        same = [r for r, m in MODULES.items() if m == module]
        assert tuple(same) == rc.for_release(release).RELEASES
        assert rc.for_release(same[0]).TrainConfig is rc.for_release(release).TrainConfig


def test_the_top_level_is_the_top_release() -> None:
    top = rc.for_release(TOP)
    assert rc.TrainConfig is top.TrainConfig
    assert rc.RFDETRNanoConfig is top.RFDETRNanoConfig
    assert rc.CONFIG_CLASSES == top.CONFIG_CLASSES


@pytest.mark.parametrize("bad", ["1.7.0", "1.8", "v1.8.1", " 1.8.1", "", "99.0.0", 1.8, None])
def test_an_unsupported_release_names_the_supported_ones(bad: Any) -> None:
    with pytest.raises(ValueError, match="unsupported rfdetr release") as caught:
        rc.for_release(bad)
    assert ", ".join(rc.RELEASES) in str(caught.value)


def test_classes_of_different_releases_are_different_classes() -> None:
    old, new = rc.for_release("1.8.1"), rc.for_release("1.8.2")
    assert old.TrainConfig is not new.TrainConfig
    assert not issubclass(new.TrainConfig, old.TrainConfig)
    assert issubclass(new.KeypointTrainConfig, new.TrainConfig)
    assert old.TrainConfig(dataset_dir=None) != new.TrainConfig(dataset_dir=None)


def test_stubs_are_up_to_date() -> None:
    assert stubs.main(["--check"]) == 0, "run: python -m rfdetr_config.releases.stubs"


def test_stub_lists_every_field_of_every_class() -> None:
    for home in set(MODULES.values()):
        text = (ROOT / "rfdetr_config" / "releases" / f"{home}.pyi").read_text()
        module = rc.for_release(next(r for r, m in MODULES.items() if m == home))
        for cls in module.CONFIG_CLASSES:
            assert f"class {cls.__name__}(" in text
            declared = module.DECLARED.get(cls.__name__)
            for field in declared.fields:
                assert f"    {field.name}: " in text


@pytest.mark.skipif(sys.platform == "win32", reason="mypy run is slow there")
def test_type_checkers_see_each_release(tmp_path: pathlib.Path) -> None:
    """A user's call to every class of every release, by the release's own module, type-checks.

    A removed or misspelt keyword does not; nor does the top level see another release than the registry's top.
    """
    pytest.importorskip("mypy")
    lines = ["import rfdetr_config as rc"]
    for release in RELEASES:
        own = release_module_name(release).rsplit(".", 1)[1]
        lines.append(f"from rfdetr_config.releases import {own}")
        for cls in rc.for_release(release).CONFIG_CLASSES:
            required = [p for p in cls.__rfdetr_plan__ if p.required]
            arguments = ", ".join(f"{p.name}={typed_value(p.annotation)}" for p in required)
            lines.append(f"{own}.{cls.__name__}({arguments})")
    top = release_module_name(TOP).rsplit(".", 1)[1]
    lines.append(f"top: type[{top}.TrainConfig] = rc.TrainConfig")
    lines.append("v1_8_1.TrainConfig(dataset_dir=None, amp_dtype='bf16')  # E: 1.8.1 has no amp_dtype")
    lines.append("reveal_type(v1_8_2.TrainConfig(dataset_dir=None).amp_dtype)")
    source = tmp_path / "usage.py"
    source.write_text("\n".join(lines) + "\n")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)]
    environment = {**os.environ, "MYPYPATH": str(ROOT)}
    found = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300, env=environment).stdout
    problems = [line for line in found.splitlines() if ": error:" in line]
    assert len(problems) == 1, found
    assert f"usage.py:{len(lines) - 1}:" in problems[0]
    assert "amp_dtype" in problems[0]
    assert "Literal['auto'] | Literal['bf16'] | Literal['fp16']" in found


# What each release changed, beyond what the conformance vectors replay.


def test_1_8_2_adds_amp_dtype_after_weight_decay() -> None:
    old, new = rc.for_release("1.8.1").TrainConfig, rc.for_release("1.8.2").TrainConfig
    assert "amp_dtype" not in old.__rfdetr_order__
    position = new.__rfdetr_order__.index("weight_decay")
    assert new.__rfdetr_order__[position + 1] == "amp_dtype"
    assert [n for n in new.__rfdetr_order__ if n != "amp_dtype"] == list(old.__rfdetr_order__)


@pytest.mark.parametrize("value", [None, "fp8", "fp32", 16, "BF16", " bf16", 1.5, [], {}])
def test_1_8_2_amp_dtype_falls_back_to_auto_with_a_warning(value: Any) -> None:
    cls = rc.for_release("1.8.2").TrainConfig
    message = f"Unknown amp_dtype={value!r}; expected one of 'auto', 'bf16', 'fp16'. Falling back to 'auto'."
    with pytest.warns(UserWarning, match="Unknown amp_dtype") as caught:
        config = cls(dataset_dir=None, amp_dtype=value)
    assert [str(w.message) for w in caught] == [message]
    assert caught[0].filename == __file__
    assert config.amp_dtype == "auto"
    with pytest.warns(UserWarning, match="Unknown amp_dtype"):
        assert rc.replace(config, amp_dtype=value).amp_dtype == "auto"


@pytest.mark.parametrize("value", ["auto", "bf16", "fp16"])
def test_1_8_2_amp_dtype_keeps_its_three_values_silently(value: str) -> None:
    cls = rc.for_release("1.8.2").TrainConfig
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = rc.structure({"dataset_dir": None, "amp_dtype": value}, cls)
    assert config.amp_dtype == value
    assert rc.unstructure(config)["amp_dtype"] == value


def test_1_8_2_amp_dtype_warns_even_when_another_field_fails() -> None:
    cls = rc.for_release("1.8.2").TrainConfig
    with pytest.warns(UserWarning, match="Unknown amp_dtype"), pytest.raises(rc.ConfigError, match="batch_size"):
        cls(dataset_dir=None, amp_dtype="fp32", batch_size=0)


def test_1_8_2_keypoint_flip_pairs_no_longer_warn() -> None:
    with pytest.warns(UserWarning, match="keypoint_flip_pairs is accepted but not yet implemented"):
        rc.for_release("1.8.1").KeypointTrainConfig(dataset_dir=None, keypoint_flip_pairs=[1, 2])
    for release in ("1.8.2", "1.8.3"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            config = rc.for_release(release).KeypointTrainConfig(dataset_dir=None, keypoint_flip_pairs=[1, 2])
        assert config.keypoint_flip_pairs == [1, 2]


@pytest.mark.parametrize(
    ("release", "keypoints", "segmentation_cls", "keypoint_nll"),
    [("1.8.1", [0, 17], 5.0, 0.5), ("1.8.2", [17], 5.0, 0.5), ("1.8.3", [17], 1.0, 1.0)],
)
def test_defaults_that_changed(
    release: str, keypoints: list[int], segmentation_cls: float, keypoint_nll: float
) -> None:
    module = rc.for_release(release)
    assert module.RFDETRKeypointPreviewConfig().num_keypoints_per_class == keypoints
    assert module.SegmentationTrainConfig(dataset_dir=None).cls_loss_coef == segmentation_cls
    assert module.KeypointTrainConfig(dataset_dir=None).keypoint_nll_loss_coef == keypoint_nll
    assert module.KeypointTrainConfig(dataset_dir=None).cls_loss_coef == 2.0


def test_a_changed_default_keeps_its_rule() -> None:
    """A revision that redeclares a field with a plain default keeps the field's check."""

    class TrainConfig(declare.Revision):
        grad_accum_steps: int = 1

    release = rc.for_release("1.8.3").DECLARED.revise("9.9.9", TrainConfig)
    cls = declare.build_class(release, "TrainConfig", __name__, {})
    assert cls(dataset_dir=None).grad_accum_steps == 1
    with pytest.raises(rc.ConfigError, match=r"grad_accum_steps: grad_accum_steps, .* must be >= 1\."):
        cls(dataset_dir=None, grad_accum_steps=0)


def test_a_revision_must_name_a_class_and_fields_of_the_release() -> None:
    base = rc.for_release("1.8.1").DECLARED

    class TrainConfg(declare.Revision):
        pass

    with pytest.raises(ValueError, match="revises no class"):
        base.revise("9.9.9", TrainConfg)

    class TrainConfig(declare.Revision):
        removed = ("no_such_field",)

    with pytest.raises(ValueError, match="no_such_field"):
        base.revise("9.9.9", TrainConfig)


def test_attrs_evolve_is_refused_with_a_pointer_to_replace() -> None:
    config = rc.TrainConfig(dataset_dir=None)
    with pytest.raises(TypeError, match=r"use rfdetr_config\.replace"):
        attrs.evolve(config, lr=0.5)
    changed = config.__replace__(lr=0.5)  # what copy.replace calls on Python 3.13
    assert changed.lr == 0.5
    assert rc.fields_set(changed) == {"dataset_dir", "lr"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("notadevice", "Invalid device specifier: 'notadevice'."),
        ("cuda:2147483648", "Invalid device specifier: 'cuda:2147483648'."),
        (3, "device must be a string or torch.device."),
    ],
)
def test_device_errors_carry_rfdetrs_words(value: Any, message: str) -> None:
    with pytest.raises(rc.ConfigError) as caught:
        rc.RFDETRNanoConfig(device=value)
    assert message in str(caught.value)
    assert caught.value.errors()[0]["loc"] == ("device",)


@pytest.mark.parametrize("release", list(MODULES))
def test_from_type_draws_valid_instances_of_every_release(release: str) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    module = rc.for_release(release)

    @settings(max_examples=5, suppress_health_check=list(HealthCheck), deadline=None)
    @given(st.from_type(module.TrainConfig), st.from_type(module.RFDETRKeypointPreviewConfig))
    def check(train: Any, model: Any) -> None:
        assert type(train) is module.TrainConfig
        assert type(model) is module.RFDETRKeypointPreviewConfig

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check()


def test_changes_between_releases_are_computed_from_the_declarations() -> None:
    assert [c.message for c in rc.changes("1.8.1", "1.8.2")] == [
        "RFDETRKeypointPreviewConfig.num_keypoints_per_class: default [0, 17] -> [17]",
        "TrainConfig.amp_dtype: added, default 'auto' (after weight_decay)",
        "SegmentationTrainConfig.amp_dtype: added, default 'auto' (after weight_decay)",
        "KeypointTrainConfig.amp_dtype: added, default 'auto' (after weight_decay)",
        "KeypointTrainConfig: rule dropped: Flip pairs are accepted but not used yet by rfdetr 1.8.1",
    ]
    assert [(c.class_name, c.field, c.kind, c.old, c.new) for c in rc.changes("1.8.2", "1.8.3")] == [
        ("SegmentationTrainConfig", "cls_loss_coef", "default", 5.0, 1.0),
        ("KeypointTrainConfig", "keypoint_nll_loss_coef", "default", 0.5, 1.0),
    ]


def test_changes_go_both_ways_and_are_computed_once_per_pair() -> None:
    up, down = rc.changes("1.8.3", "1.9.0", "TrainConfig"), rc.changes("1.9.0", "1.8.3", "TrainConfig")
    added = {c.field for c in up if c.kind == "field added"}
    assert added == {c.field for c in down if c.kind == "field removed"}
    assert {"optimizer", "lr_scheduler_kwargs", "eval_ema_only"} <= added
    assert {c.field for c in up if c.kind == "field removed"} == {
        "group_detr",
        "ia_bce_loss",
        "num_select",
        "segmentation_head",
    }
    assert rc.changes("1.8.3", "1.9.0") is rc.changes("1.8.3", "1.9.0")
    assert rc.changes("1.9.0", "1.9.4") == ()
    assert rc.changes("1.8.1", "1.8.1") == ()


def test_changes_reject_unknown_classes_and_releases() -> None:
    with pytest.raises(ValueError, match="no configuration class 'TrainConfg'"):
        rc.changes("1.8.1", "1.8.2", "TrainConfg")
    with pytest.raises(ValueError, match="unsupported rfdetr release"):
        rc.changes("1.8.1", "2.0.0")


def test_optimizer_names_come_from_torch_when_the_program_has_loaded_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    train = rc.for_release("1.9.0").TrainConfig
    assert train(dataset_dir=None, optimizer=" Muon ").optimizer == "Muon"  # torch 2.13's names without torch
    with pytest.raises(rc.ConfigError, match="Unknown native optimizer 'Lion'"):
        train(dataset_dir=None, optimizer="Lion")

    class Optimizer:
        pass

    class Lion(Optimizer):
        pass

    fake = types.ModuleType("torch")
    fake.optim = types.SimpleNamespace(Optimizer=Optimizer, Lion=Lion, helper=len)  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "torch", fake)
    assert train(dataset_dir=None, optimizer="lion").optimizer == "lion"
    with pytest.raises(rc.ConfigError, match="Unknown native optimizer 'Muon'"):
        train(dataset_dir=None, optimizer="Muon")


# The registry: a release registered without one of its pieces fails here, naming the step it skipped.


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.first)
def test_every_registered_group_has_its_pieces(group: Group) -> None:
    guide = "docs/adding-a-release.rst"
    assert importlib.util.find_spec(group.declarations) is not None, (
        f"rfdetr {group.first} is registered but not declared: write {group.declarations} ({guide}, 'Declare')"
    )
    assert declared(group.first).name == group.first, f"{group.declarations} must declare release {group.first}"
    step = ROOT / "rfdetr_config" / "migration" / "steps" / f"to_{group.first.replace('.', '_')}.py"
    if group.has_step:
        assert step.exists(), f"the registry says {group.first} has a migration step: write {step.name} ({guide})"
    else:
        assert not step.exists(), f"{step.name} exists but the registry does not name it: set has_step ({guide})"
    for release in group.releases:
        own = ROOT / "rfdetr_config" / "releases" / release_module_name(release).rsplit(".", 1)[1]
        for path in (own.with_suffix(".py"), own.with_suffix(".pyi")):
            assert path.exists(), f"{path.name} is missing: run python -m rfdetr_config.releases.stubs ({guide})"


def test_no_release_is_declared_that_the_registry_does_not_list() -> None:
    folder = ROOT / "rfdetr_config" / "releases" / "declarations"
    declared_here = {path.stem for path in folder.glob("r*.py")}
    registered = {group.declarations.rsplit(".", 1)[1] for group in GROUPS}
    assert declared_here == registered, "add the release to GROUPS in rfdetr_config/releases/registry.py"


def test_the_registry_lists_each_release_once_oldest_first() -> None:
    numbers = [tuple(int(part) for part in release.split(".")) for release in RELEASES]
    assert numbers == sorted(set(numbers))
    assert TOP in RELEASES
