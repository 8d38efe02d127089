"""rfdetr's checkpoints wherever files are read: the run they record, validated, detected, diffed and migrated.

The fixtures are real checkpoints written by rfdetr 1.8.1, 1.10.0 and 1.11.2 (``tests/checkpoints/record.py``);
nothing here needs torch.
"""

from __future__ import annotations

import io
import json
import pathlib
import pickle
import warnings
import zipfile
from typing import Any, List

import pytest

import rfdetr_config as rc
from rfdetr_config.cli import main
from rfdetr_config.files.shapes.checkpoint import checkpoint_mapping

FIXTURES = pathlib.Path(__file__).parent / "checkpoints" / "fixtures"
WITH_BOTH = ["1.8.1", "1.10.0", "1.11.2"]


def fixture(release: str, name: str = "checkpoint_best_regular.pth") -> pathlib.Path:
    return FIXTURES / f"rfdetr-{release}-{name}"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, List[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(list(argv))
    out, err = capsys.readouterr()
    lines: List[str] = []
    for line in err.splitlines():  # a long problem goes on over indented lines: one problem, one entry
        if line.startswith("    ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return code, out, lines


def torch_zip(payload: Any) -> bytes:
    """A checkpoint in torch's zip layout holding only plain values."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps(payload, protocol=2))
        archive.writestr("archive/version", b"3\n")
    return buffer.getvalue()


@pytest.mark.parametrize("release", WITH_BOTH)
def test_a_checkpoint_gives_the_run_it_records(release: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = rc.load_run(fixture(release))
    assert (run.shape, run.release, run.rfdetr_version, run.model_name) == (
        "checkpoint",
        release,
        release,
        "RFDETRNano",
    )
    assert type(run.model).__name__ == "RFDETRNanoConfig"
    assert run.class_names == ["cat", "dog"]
    assert "checkpoint" not in run.extra


@pytest.mark.parametrize("release", WITH_BOTH)
def test_a_checkpoint_migrates_to_a_run_file_and_a_fit_file_that_read_back(
    release: str, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for out in ("run.json", "fit.yaml"):
        code, _, err = cli(capsys, "migrate", str(fixture(release)), "--to", "1.11.2", "-o", str(tmp_path / out))
        assert code == 0, err
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = rc.load_run(tmp_path / out, release="1.11.2")
        assert back.shape == ("run" if out.endswith(".json") else "fit")
        # a fit file holds the base class's section with the variant's values written out, as rfdetr fit reads it
        assert type(back.model).__name__ == ("RFDETRNanoConfig" if back.shape == "run" else "ModelConfig")
        assert (back.model.resolution, back.model.patch_size) == (384, 16)  # type: ignore[attr-defined]
    written = json.loads((tmp_path / "run.json").read_text())
    assert set(written) == {"train_config", "model_config", "model_config_type", "class_names", "num_classes"}


def test_validate_detect_and_diff_read_checkpoints(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "validate", "-q", str(fixture("1.11.2")))[0] == 0
    code, out, _ = cli(capsys, "detect", str(fixture("1.11.2")))
    assert code == 0
    assert "it records it was written by rfdetr 1.11.2, one of them" in out
    code, out, _ = cli(capsys, "diff", str(fixture("1.8.1")), str(fixture("1.11.2")))
    assert code == 1
    assert "train_config.grad_accum_steps" in out


def test_a_checkpoint_without_its_model_configuration_gives_its_training_configuration(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "validate", str(fixture("1.10.0", "checkpoint_best_total.pth")))
    assert code == 0
    assert json.loads(out)["lr"] > 0


def test_a_checkpoint_that_records_no_configuration_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "validate", str(fixture("1.8.1", "last.ckpt")))
    assert code == 1
    assert "records no training configuration" in err[0]


def test_a_value_saved_as_its_repr_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    data = checkpoint_mapping(fixture("1.11.2"))
    assert data["checkpoint"]["notes"] == [
        "UserWarning: train_config.notes was saved by rfdetr as the repr() of its value, "
        "\"PurePosixPath('runs/exp1')\"; it is read as that text"
    ]


def test_a_path_saved_as_its_repr_is_the_path() -> None:
    from rfdetr_config.files.shapes import checkpoint as shape

    notes: List[str] = []
    understood = shape._understood(
        {"output_dir": "PosixPath('runs/out')", "notes": "Foo(1)"}, ["output_dir", "notes"], "train_config", notes
    )
    assert understood == {"output_dir": "runs/out", "notes": "Foo(1)"}
    assert len(notes) == 1
    assert notes[0].startswith("UserWarning: train_config.notes was saved by rfdetr as the repr()")


def test_a_checkpoint_of_an_unsupported_release_names_it(tmp_path: pathlib.Path) -> None:
    data = checkpoint_mapping(fixture("1.11.2"))
    payload = {
        "args": data["train_config"],
        "model_config": data["model_config"],
        "model_name": "RFDETRNano",
        "rfdetr_version": "9.9.9",
    }
    (tmp_path / "new.pth").write_bytes(torch_zip(payload))
    with pytest.raises(rc.ConfigError, match=r"written by rfdetr 9\.9\.9, which rfdetr_config does not support"):
        rc.load_run(tmp_path / "new.pth")
    assert rc.load_run(tmp_path / "new.pth", release="1.11.2").release == "1.11.2"


def test_a_hostile_checkpoint_is_one_line_and_runs_nothing(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"

    class Command:
        def __reduce__(self) -> Any:
            import os

            return (os.system, (f"touch {marker}",))

    (tmp_path / "evil.pth").write_bytes(torch_zip({"args": Command()}))
    code, out, err = cli(capsys, "validate", str(tmp_path / "evil.pth"))
    assert (code, out) == (1, "")
    assert len(err) == 1
    assert "system" in err[0]
    assert not marker.exists()


def test_migrate_never_writes_a_checkpoint(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "migrate", str(fixture("1.11.2")), "-o", str(tmp_path / "out.pth"))
    assert code == 2
    assert "never writes a checkpoint" in err[0]
    assert not (tmp_path / "out.pth").exists()
