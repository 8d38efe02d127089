from __future__ import annotations

import json
import pathlib
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.strategies import instances

from .conftest import all_classes

CLASSES = all_classes()


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Every test here builds configurations whose warnings are not the point."""


@CLASSES
@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_dump_then_load_is_equal(
    cls: type[rc.BaseConfig], suffix: str, tmp_path: pathlib.Path, data: st.DataObject
) -> None:
    config = data.draw(instances(cls))
    path = tmp_path / f"config{suffix}"
    refusal = None
    try:
        rc.dump(config, path)
    except rc.ConfigError as error:
        refusal = str(error)
    if refusal is not None:  # TOML cannot hold a null inside notes or aug_config
        assert suffix == ".toml"
        assert "TOML cannot hold" in refusal
        return
    again = rc.load(path, cls)
    # an untouched default path is normalised when loaded, as rfdetr does with model_dump() output
    for name in ("output_dir", "pretrain_weights"):
        if hasattr(config, name) and name not in rc.fields_set(config):
            return
    assert again == config


def test_toml_writes_nulls_as_a_list(tmp_path: pathlib.Path) -> None:
    config = rc.TrainConfig(dataset_dir=None, output_dir="out")
    path = tmp_path / "train.toml"
    rc.dump(config, path)
    text = path.read_text()
    assert "null_fields = [" in text
    assert rc.load(path, rc.TrainConfig) == config


def test_loads_and_dumps_strings() -> None:
    config = rc.RFDETRNanoConfig(num_classes=3, pretrain_weights=None)
    for fmt in ("json", "toml", "yaml"):
        assert rc.loads(rc.dumps(config, fmt=fmt), rc.RFDETRNanoConfig, fmt=fmt) == config


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.json", '{\n  "epochs": 3,\n  "lr": ,\n}', "line 3"),
        ("bad.toml", "epochs = 3\nlr = = 1\n", "line 2"),
        ("bad.yaml", "epochs: 3\nlr: [1, 2\n", "line 3"),
    ],
)
def test_syntax_errors_name_the_file_and_line(tmp_path: pathlib.Path, name: str, text: str, line: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(rc.ConfigError) as caught:
        rc.load(path, rc.TrainConfig)
    message = str(caught.value)
    assert str(path) in message
    assert line in message


def test_validation_errors_name_the_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"dataset_dir": None, "epochs": "many"}))
    with pytest.raises(rc.ConfigError, match=r"TrainConfig from .*train\.json") as caught:
        rc.load(path, rc.TrainConfig)
    assert caught.value.errors()[0]["loc"] == ("epochs",)


def test_unknown_suffix_and_unreadable_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(rc.ConfigError, match="unknown file type"):
        rc.load(tmp_path / "train.ini", rc.TrainConfig)
    with pytest.raises(rc.ConfigError, match="cannot be read"):
        rc.load(tmp_path / "missing.json", rc.TrainConfig)


def test_missing_extras_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    config = rc.TrainConfig(dataset_dir=None)
    with pytest.raises(rc.ConfigError, match=r"rfdetr-config\[yaml\]"):
        rc.dumps(config, fmt="yaml")
    with pytest.raises(rc.ConfigError, match=r"rfdetr-config\[toml\]"):
        rc.dumps(config, fmt="toml")
    with pytest.raises(rc.ConfigError, match=r"rfdetr-config\[yaml\]"):
        rc.loads("a: 1", rc.TrainConfig, fmt="yaml")
