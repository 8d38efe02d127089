"""rfdetr's own files: run files, rfdetr fit YAML and bare dumps, through the API and the command line."""

from __future__ import annotations

import json
import pathlib
import shutil
import warnings

import pytest

import rfdetr_config as rc
from rfdetr_config.files.shapes import shape_of
from rfdetr_config.files.shapes.jsonargparse import reread
from rfdetr_config.releases import TOP

from . import test_cli
from .test_cli import CLI

run, work = test_cli.run, test_cli.work  # the in-process fixtures

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
RUN_1_8_1 = EXAMPLES / "rfdetr_runs" / "1.8.1" / "training_config.json"
RUN_1_11_2 = EXAMPLES / "rfdetr_runs" / "1.11.2" / "training_config.json"
FIT = EXAMPLES / "rfdetr_fit.yaml"


def test_each_shape_is_told_apart() -> None:
    assert shape_of(json.loads(RUN_1_8_1.read_text())) == "run"
    assert shape_of({"model": {"train_config": {}}, "trainer": {}}) == "fit"
    assert shape_of({"config_class": "TrainConfig"}) == "ours"
    assert shape_of({"epochs": 3}) == "bare"


def test_a_run_file_names_its_release_by_its_fields() -> None:
    old = rc.load_run(RUN_1_8_1)
    assert old.release == "1.8.1"
    assert old.releases[-1] == "1.8.1"
    assert type(old.model).__name__ == "RFDETRNanoConfig"
    assert old.num_classes == len(old.class_names or ())
    new = rc.load_run(RUN_1_11_2)
    assert new.release == TOP
    assert TOP in new.releases


def test_num_classes_is_checked_against_class_names() -> None:
    data = json.loads(RUN_1_8_1.read_text())
    data["num_classes"] = 5
    with pytest.raises(rc.ConfigError, match="num_classes: must be the number of class_names"):
        rc.loads_run(json.dumps(data))


def test_errors_point_into_the_file() -> None:
    data = json.loads(RUN_1_8_1.read_text())
    data["train_config"]["epochs"] = "many"
    with pytest.raises(rc.ConfigError, match=r"train_config\.epochs"):
        rc.loads_run(json.dumps(data))
    text = FIT.read_text().replace("epochs: 50", "epochs: 5.0")
    with pytest.raises(rc.ConfigError, match=r"model\.train_config\.epochs: rfdetr fit's parser refuses it"):
        rc.loads_run(text, fmt="yaml")


def test_jsonargparse_reads_text_again() -> None:
    assert reread("8") == 8
    assert reread("1e-4") == 0.0001
    assert reread("yes") is True
    assert reread("x # y") == "x # y"
    assert reread("") == ""
    assert reread("2024-01-02") == "2024-01-02"


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("multi_scale: PER_BATCH", True),
        ("multi_scale: per-batch", False),
        ("multi_scale: 'OFF'", True),
        ("use_ema: 1", False),
        ("use_ema: 'yes'", True),
        ("num_workers: '8'", True),
        ("devices: [0, 1]", False),
        ("epoch: 3", False),
    ],
)
def test_fit_sections_are_read_as_rfdetr_fit_reads_them(line: str, ok: bool) -> None:
    text = FIT.read_text().replace(
        "    multi_scale: PER_BATCH       # an enum field: by its member's name", f"    {line}"
    )
    if ok:
        rc.loads_run(text, fmt="yaml")
    else:
        with pytest.raises(rc.ConfigError):
            rc.loads_run(text, fmt="yaml")


def test_a_run_migrates_as_a_pair_and_writes_no_header() -> None:
    moved = rc.load_run(RUN_1_8_1).migrate(TOP)
    assert moved.run.release == TOP
    text = rc.dumps_run(moved.run)
    data = json.loads(text)
    assert set(data) == {"train_config", "model_config", "model_config_type", "class_names", "num_classes"}
    assert "config_class" not in text
    assert "rfdetr_release" not in text
    train_fields = set(rc.for_release(TOP).TrainConfig.__rfdetr_names__)
    assert set(data["train_config"]) <= train_fields
    assert rc.loads_run(text).release == TOP


def test_a_fit_file_keeps_its_comments_and_other_sections() -> None:
    read = rc.load_run(FIT)
    moved = read.migrate("1.9.0")
    text = rc.dumps_run(moved.run, changed={"train_config": {"epochs": 60}})
    assert "# the COCO-style dataset" in text
    assert "max_epochs: 50" in text
    assert text.startswith("# rfdetr fit")
    assert "epochs: 60" in text
    assert rc.loads_run(text, fmt="yaml", release="1.9.0").train.epochs == 60


def test_a_value_the_target_parser_reads_otherwise_is_rewritten(run: CLI, work: pathlib.Path) -> None:
    # rfdetr 1.10's multi_scale is a bool to jsonargparse: PER_BATCH (1.11's enum member) becomes true
    done = run("migrate", str(FIT), "--to", "1.10.1", "-o", "fit.yaml")
    assert done.code == 0, done.err
    text = (work / "fit.yaml").read_text()
    assert "multi_scale: true" in text
    assert "# an enum field" in text
    assert run("validate", "fit.yaml", "--release", "1.10.1", "-q").code == 0


def test_diff_runs_field_by_field_across_releases() -> None:
    changed = rc.diff_runs(rc.load_run(RUN_1_8_1), rc.load_run(RUN_1_11_2))
    assert "train_config.grad_accum_steps" in changed
    assert changed["train_config.lr_drop"][1] is None


# ---- the command line ------------------------------------------------------------------------------------------


def test_validate_detect_and_diff_need_no_class(run: CLI, work: pathlib.Path) -> None:
    for path in (RUN_1_8_1, RUN_1_11_2, FIT):
        assert run("validate", str(path), "-q").code == 0
        detected = run("detect", str(path))
        assert detected.code == 0
        assert "file of rfdetr" in detected.out
    differs = run("diff", str(RUN_1_8_1), str(RUN_1_11_2))
    assert differs.code == 1
    assert "train_config.grad_accum_steps" in differs.json()


def test_a_bare_dump_names_its_class_and_release(run: CLI, work: pathlib.Path) -> None:
    bare = work / "train.json"
    bare.write_text(json.dumps(json.loads(RUN_1_8_1.read_text())["train_config"]))
    assert run("validate", str(bare), "-q").code == 0
    moved = run("migrate", str(bare), "--to", TOP, "-o", "new.json")
    assert moved.code == 0
    assert "told from its fields" in moved.err
    assert "config_class" not in (work / "new.json").read_text()


def test_migrate_strict_takes_decisions_from_set(run: CLI, work: pathlib.Path) -> None:
    shutil.copy(RUN_1_8_1, work / "training_config.json")
    refused = run("migrate", "training_config.json", "--strict", "-o", "new.json")
    assert refused.code == 1
    assert "train_config.amp_dtype" in refused.err
    decided = run(
        "migrate",
        "training_config.json",
        "--strict",
        "--set",
        "train_config.amp_dtype=bf16",
        "--set",
        "train_config.augmentation_backend=albumentations",
        "-o",
        "new.json",
    )
    assert decided.code == 0, decided.err
    data = json.loads((work / "new.json").read_text())
    assert data["train_config"]["amp_dtype"] == "bf16"
    assert data["train_config"]["augmentation_backend"] == "albumentations"


def test_set_changes_a_value_and_a_wrong_path_gets_a_did_you_mean(run: CLI, work: pathlib.Path) -> None:
    done = run("validate", str(RUN_1_8_1), "-q", "--set", "train_config.epochs=0x10")
    assert done.code == 0
    printed = run("validate", str(RUN_1_8_1), "--set", "train_config.epochs=7")
    assert printed.json()["train_config"]["epochs"] == 7
    wrong = run("validate", str(RUN_1_8_1), "--set", "train_confg.epochs=7")
    assert wrong.code == 1
    assert "did you mean 'train_config'?" in wrong.err
    bad = run("validate", str(RUN_1_8_1), "--set", "epochs")
    assert bad.code == 2


def test_a_fit_file_migrates_into_its_own_text(run: CLI, work: pathlib.Path) -> None:
    done = run("migrate", str(FIT), "--to", "1.9.0", "-o", "fit.yaml")
    assert done.code == 0, done.err
    text = (work / "fit.yaml").read_text()
    assert "# the COCO-style dataset" in text
    assert "dataset_dir: datasets/pets" in text
    assert run("validate", "fit.yaml", "--release", "1.9.0", "-q").code == 0


def test_fit_shape_writes_a_class_path_file_as_rfdetr_fit_reads_it(tmp_path: pathlib.Path) -> None:
    from rfdetr_config.cli import main

    source = tmp_path / "small.yaml"
    source.write_text(
        "# my small run\nseed_everything: 7\nmodel:\n  model_config:\n"
        "    class_path: rfdetr.config.RFDETRSmallConfig\n    init_args:\n      num_classes: 3\n"
        "  train_config:\n    class_path: TrainConfig\n    init_args:\n      dataset_dir: data\n      epochs: 12\n"
        "trainer:\n  max_epochs: 12\n"
    )
    out = tmp_path / "direct.yaml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["fit-shape", str(source), "-o", str(out)]) == 0
        small, direct = rc.load_run(source), rc.load_run(out)
    text = out.read_text()
    assert "class_path" not in text
    assert text.startswith("# my small run\n")
    assert "trainer:\n  max_epochs: 12" in text
    assert type(direct.model).__name__ == "ModelConfig"
    assert rc.unstructure(direct.model) == rc.unstructure(small.model)  # the variant's values, written out
    assert (direct.train.epochs, direct.train.dataset_dir) == (12, small.train.dataset_dir)  # type: ignore[attr-defined]
