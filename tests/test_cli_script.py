"""The installed command as a shell runs it: a separate process, real pipes and signals."""

from __future__ import annotations

import json
import pathlib
import shutil
import signal
import subprocess
import sys
import time
from typing import List

import pytest

from .test_cli import messages

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ODD_FILES = pathlib.Path(__file__).resolve().parent / "odd_files"


def _command() -> List[str]:
    script = shutil.which("rfdetr-config", path=str(pathlib.Path(sys.executable).parent))
    return [script] if script is not None else [sys.executable, "-m", "rfdetr_config"]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(), *args], input=stdin, capture_output=True, text=True, check=False, timeout=60)


def test_the_installed_script_validates_an_example() -> None:
    if len(_command()) > 1:
        pytest.skip("the package is not installed with its scripts in this environment")
    done = _run("validate", str(EXAMPLES / "keypoint_train.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["config_class"] == "KeypointTrainConfig"
    assert "exit status:" in _run("--help").stdout


def test_python_dash_m_reads_standard_input() -> None:
    text = "config_class: RFDETRNanoConfig\nnum_classes: 2\n"
    done = subprocess.run(
        [sys.executable, "-m", "rfdetr_config", "validate", "-", "--input-format", "yaml"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["num_classes"] == 2


def test_every_odd_file_in_one_process() -> None:
    paths = sorted(str(path) for path in ODD_FILES.iterdir() if not path.name.startswith("."))
    done = _run("validate", "--jsonl", *paths)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [record["file"] for record in records] == paths
    assert len(messages(done.stderr)) == sum(len(r["errors"]) + len(r["warnings"]) for r in records)


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    process = subprocess.Popen(
        [*_command(), "validate", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # past the start-up, into the read of standard input
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "rfdetr-config: interrupted\n"
    assert out == ""


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    valid = str(ODD_FILES / "valid.json")
    process = subprocess.Popen(
        [*_command(), "validate", *[valid] * 400], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "[\n"
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert err == ""
