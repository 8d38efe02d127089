"""The release a file names is the release written back; the API takes classes where it takes class names."""

from __future__ import annotations

import json

import pytest

import rfdetr_config as rc
from rfdetr_config.releases import GROUPS, TOP


def _release(text: str) -> str:
    return str(json.loads(text)["rfdetr_release"])


def test_the_top_level_classes_write_the_top_release() -> None:
    assert _release(rc.dumps(rc.TrainConfig(dataset_dir=None))) == TOP


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.first)
def test_a_class_alone_writes_the_newest_release_of_its_group(group: object) -> None:
    releases = group.releases  # type: ignore[attr-defined]
    config = rc.for_release(releases[0]).RFDETRNanoConfig()
    assert _release(rc.dumps(config)) == releases[-1]
    for release in releases:  # whoever names the release is written back
        assert _release(rc.dumps(config, release=release)) == release
        assert rc.files.document(config, release=release)["rfdetr_release"] == release  # type: ignore[attr-defined]


def test_a_loaded_config_writes_back_the_release_its_file_named(tmp_path: object) -> None:
    for release in ("1.9.3", "1.11.1"):
        text = json.dumps({"config_class": "RFDETRNanoConfig", "rfdetr_release": release})
        assert _release(rc.dumps(rc.loads(text))) == release
        assert _release(rc.dumps(rc.loads(text), release=rc.for_release(release).RELEASES[0])) != ""
    asked = rc.loads(json.dumps({"config_class": "RFDETRNanoConfig"}), release="1.9.2")
    assert _release(rc.dumps(asked)) == "1.9.2"


def test_a_release_of_another_group_is_refused() -> None:
    with pytest.raises(ValueError, match=r"for_release\('1\.8\.1'\)"):
        rc.dumps(rc.TrainConfig(dataset_dir=None), release="1.8.1")


def test_classes_are_taken_where_names_are() -> None:
    old = rc.for_release("1.8.1").TrainConfig
    assert rc.changes("1.8.1", TOP, rc.TrainConfig) == rc.changes("1.8.1", TOP, "TrainConfig")
    assert rc.releases_accepting({"dataset_dir": None}, old) == rc.releases_accepting(
        {"dataset_dir": None}, "TrainConfig"
    )
    moved = rc.migrate({"dataset_dir": None, "lr_drop": 40}, old, source="1.8.1", target=TOP)
    assert moved.class_name == "TrainConfig"


def test_dir_shows_the_public_api_only() -> None:
    assert dir(rc) == sorted(rc.__all__)
    for internal in ("Any", "List", "TYPE_CHECKING", "importlib", "core"):
        assert internal not in dir(rc)
