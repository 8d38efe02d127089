"""The package as users meet it: import cost, the command line, the shipped examples."""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import typing
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)


def test_import_loads_neither_torch_nor_pydantic() -> None:
    wanted = ("torch", "pydantic", "numpy", "cattrs")
    code = f"import sys, rfdetr_config; print(sorted(m for m in {wanted!r} if m in sys.modules))"
    assert _run(sys.executable, "-c", code).stdout.strip() == "[]"


_BUILT = (
    "import sys; m = sys.modules.get('rfdetr_config.releases.v1_8_1'); "
    "built = sorted(n for n, v in vars(m).items() if isinstance(v, type) and n.endswith('Config')) if m else []; "
    "others = sorted(k for k in sys.modules if k.startswith('rfdetr_config.releases.v') and not k.endswith('v1_8_1')); "
    "print(built, others, 'rfdetr_config.cattrs_hooks' in sys.modules)"
)


@pytest.mark.parametrize(
    ("statement", "built"),
    [
        ("import rfdetr_config", "[] [] False"),
        ("from rfdetr_config import TrainConfig", "['TrainConfig'] [] False"),
        (
            "from rfdetr_config import RFDETRNanoConfig",
            "['ModelConfig', 'RFDETRBaseConfig', 'RFDETRNanoConfig'] [] False",
        ),
        ("from rfdetr_config import KeypointTrainConfig", "['KeypointTrainConfig', 'TrainConfig'] [] False"),
        ("import rfdetr_config as rc; rc.converter", "[] [] True"),
    ],
)
def test_classes_are_built_on_first_use(statement: str, built: str) -> None:
    """A class and its bases are built when first used; nothing of another release, nor cattrs."""
    assert _run(sys.executable, "-c", f"{statement}; {_BUILT}").stdout.strip() == built


def test_using_one_release_builds_no_other() -> None:
    code = (
        "import sys, rfdetr_config as rc; rc.for_release('1.8.3').TrainConfig(dataset_dir=None); "
        "print(sorted(k for k in sys.modules if k.startswith('rfdetr_config.releases.v')))"
    )
    assert _run(sys.executable, "-c", code).stdout.strip() == "['rfdetr_config.releases.v1_8_3']"


def test_lazy_names_are_listed_and_unknown_names_fail() -> None:
    import rfdetr_config as rc

    assert {"TrainConfig", "RFDETRNanoConfig", "converter", "CONFIG_CLASSES"} <= set(dir(rc))
    with pytest.raises(AttributeError, match="no attribute 'TrainConfg'"):
        rc.TrainConfg  # type: ignore[attr-defined]  # noqa: B018


def test_py_typed_is_shipped() -> None:
    import rfdetr_config

    assert (pathlib.Path(rfdetr_config.__file__).parent / "py.typed").exists()


@pytest.mark.parametrize("example", ["keypoint_train.json", "nano_model.json"])
def test_examples_validate(example: str) -> None:
    done = _run(sys.executable, "-m", "rfdetr_config", "validate", str(EXAMPLES / example))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["config_class"] in ("KeypointTrainConfig", "RFDETRNanoConfig")


def test_nano_example_rederives_encoding_size() -> None:
    done = _run(sys.executable, "-m", "rfdetr_config", "validate", str(EXAMPLES / "nano_model.json"))
    assert json.loads(done.stdout)["positional_encoding_size"] == 448 // 16


def test_broken_example_lists_every_error() -> None:
    done = _run(sys.executable, "-m", "rfdetr_config", "validate", str(EXAMPLES / "broken_train.json"))
    assert done.returncode == 1
    assert done.stdout == ""
    for expected in ("batch_size", "smooth_alpha", "keypoint_oks_sigmas[1]", "did you mean 'epochs'"):
        assert expected in done.stderr


def test_class_option_and_conflicts(tmp_path: pathlib.Path) -> None:
    plain = tmp_path / "train.json"
    plain.write_text(json.dumps({"dataset_dir": None, "notes": float("nan")}))
    ok = _run(sys.executable, "-m", "rfdetr_config", "validate", str(plain), "--class", "TrainConfig")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["notes"] == "nan"
    unnamed = _run(sys.executable, "-m", "rfdetr_config", "validate", str(plain))
    assert unnamed.returncode == 1
    assert "--class" in unnamed.stderr
    clash = _run(
        sys.executable, "-m", "rfdetr_config", "validate", str(EXAMPLES / "nano_model.json"), "--class", "TrainConfig"
    )
    assert clash.returncode == 1
    assert "disagrees" in clash.stderr
    missing = _run(sys.executable, "-m", "rfdetr_config", "validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 1
    named_wrong = tmp_path / "wrong.json"
    named_wrong.write_text(json.dumps({"config_class": "Nope"}))
    assert "unknown class" in _run(sys.executable, "-m", "rfdetr_config", "validate", str(named_wrong)).stderr


def test_warnings_go_to_stderr(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"config_class": "RFDETRNanoConfig", "cls_loss_coef": 2.0}))
    done = _run(sys.executable, "-m", "rfdetr_config", "validate", str(path))
    assert done.returncode == 0
    assert "DeprecationWarning" in done.stderr


def test_console_script_is_installed() -> None:
    script = shutil.which("rfdetr-config", path=str(pathlib.Path(sys.executable).parent))
    if script is None:
        pytest.skip("the package is not installed with its scripts in this environment")
    done = _run(script, "validate", str(EXAMPLES / "keypoint_train.json"))
    assert done.returncode == 0, done.stderr
    assert "--class" in _run(script, "validate", "--help").stdout


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "rfdetr_config", *args)


def test_validate_any_format_and_several_files(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.toml").write_text('config_class = "TrainConfig"\nepochs = 5\nnull_fields = ["dataset_dir"]\n')
    (tmp_path / "b.yaml").write_text("config_class: RFDETRNanoConfig\nnum_classes: 2\n")
    (tmp_path / "c.yaml").write_text("config_class: RFDETRNanoConfig\nnum_channels: 0\n")
    done = _cli("validate", str(tmp_path / "a.toml"), str(tmp_path / "b.yaml"), str(tmp_path / "c.yaml"))
    assert done.returncode == 1
    assert "num_channels: must be >= 1" in done.stderr
    assert done.stdout.count('"config_class"') == 2
    quiet = _cli("validate", "-q", str(tmp_path / "a.toml"))
    assert (quiet.returncode, quiet.stdout) == (0, "")


def test_show_table_and_formats() -> None:
    table = _cli("show", "KeypointTrainConfig")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["field", "type", "default", "rule"]
    assert any(line.startswith("smooth_alpha") and "0.5" in line and "in [0.0, 1.0)" in line for line in lines)
    assert "(required)" in next(line for line in lines if line.startswith("dataset_dir"))
    assert json.loads(_cli("show", "RFDETRNanoConfig", "--format", "json").stdout)["resolution"] == 384
    assert "resolution = 384" in _cli("show", "RFDETRNanoConfig", "--format", "toml").stdout
    assert "resolution: 384" in _cli("show", "RFDETRNanoConfig", "--format", "yaml").stdout
    assert "NLL-Cholesky" in _cli("show", "KeypointTrainConfig", "-v").stdout


def test_schema_command() -> None:
    schema = json.loads(_cli("schema", "TrainConfig").stdout)
    assert schema["required"] == ["dataset_dir"]


def test_diff_command(tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": "d", "epochs": 5}))
    (tmp_path / "b.yaml").write_text("config_class: TrainConfig\ndataset_dir: ./d\nepochs: 6\n")
    done = _cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.yaml"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"epochs": [5, 6]}  # "d" and "./d" resolve to the same directory
    (tmp_path / "c.yaml").write_text("config_class: RFDETRNanoConfig\n")
    assert _cli("diff", str(tmp_path / "a.json"), str(tmp_path / "c.yaml")).returncode == 1
    assert _cli("diff", str(tmp_path / "a.json"), str(tmp_path / "nope.json")).returncode == 1


def test_usage_errors_exit_2() -> None:
    assert _cli("show", "NoSuchConfig").returncode == 2
    assert _cli().returncode == 2
    helped = _cli("--help")
    assert helped.returncode == 0
    assert "examples:" in helped.stdout


def test_validate_reports_an_unreadable_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"config_class": "TrainConfig", "project": "caf\xe9"}')
    done = _cli("validate", str(path))
    assert done.returncode == 1
    assert "cannot be read" in done.stderr
    assert "Traceback" not in done.stderr


def _typed_value(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return repr(args[0])
    if origin is list:
        return f"[{_typed_value(args[0])}]"
    if origin is typing.Union:
        return _typed_value(args[0])
    return {int: "1", float: "1.0", bool: "True", str: "'x'"}[annotation]


@pytest.mark.skipif(not _has_module("mypy"), reason="mypy is not installed")
def test_type_checkers_see_the_same_required_fields(tmp_path: pathlib.Path) -> None:
    """Every field with a default is optional to mypy too: defaults are read from ``setting(default=...)``."""
    import rfdetr_config as rc

    lines = ["import rfdetr_config as rc"]
    for cls in rc.CONFIG_CLASSES:
        required = [p for p in cls.__rfdetr_plan__ if p.required]
        arguments = ", ".join(f"{p.name}={_typed_value(p.annotation)}" for p in required)
        lines.append(f"rc.{cls.__name__}({arguments})")
    lines.append("rc.TrainConfig()  # E: missing dataset_dir")
    source = tmp_path / "usage.py"
    source.write_text("\n".join(lines) + "\n")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)]
    environment = {**os.environ, "MYPYPATH": str(ROOT)}  # an editable install is invisible to mypy
    found = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120, env=environment).stdout
    problems = [line for line in found.splitlines() if ": error:" in line]
    assert len(problems) == 1, found
    assert f"usage.py:{len(lines)}:" in problems[0]
    assert "dataset_dir" in problems[0]
