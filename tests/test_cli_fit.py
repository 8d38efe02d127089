"""The command line's finish: every output format of every class, lines within the terminal's width, and the
hints a person needs (an unknown key once, where a removed field went, a release spelled another way)."""

from __future__ import annotations

import json
import pathlib

import pytest

import rfdetr_config as rc
from rfdetr_config.files import parse
from rfdetr_config.releases import DISTINCT, RELEASES, TOP

from .test_cli import CLI, messages
from .test_cli import run as run  # the fixtures
from .test_cli import work as work

WIDTH = 100  # COLUMNS is unset in the tests (conftest)


@pytest.mark.parametrize("fmt", ["json", "toml", "yaml"])
@pytest.mark.parametrize("release", RELEASES)
def test_show_writes_every_class_of_every_release_in_every_format(run: CLI, release: str, fmt: str) -> None:
    for name in rc.for_release(release).DECLARED.class_names:
        done = run("show", name, "--release", release, "--format", fmt)
        assert (done.code, done.err) == (0, ""), (name, done)
        header = parse(done.out, fmt)  # type: ignore[arg-type]
        assert (header["config_class"], header["rfdetr_release"]) == (name, release)  # the release asked for


@pytest.mark.parametrize("release", DISTINCT)
def test_no_line_is_wider_than_the_terminal(run: CLI, release: str) -> None:
    outputs = []
    for name in rc.for_release(release).DECLARED.class_names:
        outputs.append(run("show", name, "--release", release, "-v").out)
    if release == TOP:
        for command in ("", "validate", "show", "schema", "diff", "migrate", "changes", "detect"):
            outputs.append(run(*command.split(), "--help").out)
        outputs += [run("changes", RELEASES[0], TOP).out, run("changes", TOP, RELEASES[0]).out]
        outputs.append(run("show", "TrainConfig", "--release", "9").err)
    for text in outputs:
        assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_the_width_follows_columns(run: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for text in (run("show", "RFDETRNanoConfig", "-v").out, run("changes", "1.8.1", "1.11.2").out):
        assert max(len(line) for line in text.splitlines()) <= 60


def test_each_command_lists_its_own_exit_statuses(run: CLI) -> None:
    def statuses(command: str) -> str:
        return run(command, "--help").out.split("exit status:")[1]

    assert "the files differ" in statuses("diff")
    assert "2    a file cannot be read or is invalid" in statuses("diff")
    for command in ("validate", "show", "schema", "migrate", "changes", "detect"):
        assert "the files differ" not in statuses(command), command
    assert "--strict" in statuses("migrate")
    assert "--strict" not in statuses("validate")


def test_an_unknown_key_is_said_once_with_its_suggestion(run: CLI, work: pathlib.Path) -> None:
    path = work / "t.json"
    path.write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": None, "epoch": 3}))
    done = run("validate", str(path))
    assert done.lines == [f"{path}: epoch: unknown field; did you mean 'epochs'? (got 'epoch')"]
    assert "Available parameter(s)" not in done.raw_err
    with pytest.raises(rc.ConfigError, match=r"Available parameter\(s\)"):  # the API keeps rfdetr's words
        rc.load(path)


def test_a_field_of_another_release_says_where_it_went(run: CLI, work: pathlib.Path) -> None:
    path = work / "t.json"
    data = {"config_class": "TrainConfig", "rfdetr_release": "1.11.2", "dataset_dir": None, "lr_drop": 40}
    path.write_text(json.dumps(data))
    (line,) = run("validate", str(path)).lines
    assert line == (
        f"{path}: lr_drop: unknown field; removed in rfdetr 1.11.0; rfdetr 1.8.1 to 1.10.1 accept this file "
        "(see rfdetr-config detect and rfdetr-config migrate) (got 'lr_drop')"
    )
    path.write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": None, "pack_targets": True}))
    (older,) = run("validate", str(path), "--release", "1.9.4").lines
    assert "pack_targets: unknown field; added in rfdetr 1.10.0; rfdetr " in older


def test_a_release_mismatch_names_the_command_that_says_what_differs(run: CLI, work: pathlib.Path) -> None:
    path = work / "t.json"
    path.write_text(json.dumps({"config_class": "TrainConfig", "rfdetr_release": "1.9.3", "dataset_dir": None}))
    (line,) = run("validate", str(path), "--release", "1.8.1").lines
    assert "rfdetr-config changes 1.9.3 1.8.1 says what differs" in line
    assert "rfdetr_config." not in line


def test_changes_says_each_change_once_in_words(run: CLI) -> None:
    text = run("changes", "1.8.1", TOP).out
    assert len(text.splitlines()) < 100
    assert "ModelConfig and its 14 subclasses:" in text
    assert "TrainConfig and its 2 subclasses:" in text
    assert text.count("lr_drop: removed") == 1
    assert "clip_max_norm: now must be >= 0.0" in text
    assert "eval_batch_size: added, default None (after grad_accum_steps; must be None or >= 1)" in text
    for internal in ("convert -> convert", "<interval", "<MultiScale", "``", ":class:", "warn_deprecated"):
        assert internal not in text, internal


def test_no_rest_markup_outside_the_html_docs(run: CLI) -> None:
    for name in ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig", "RFDETRNanoConfig"):
        for text in (run("show", name, "-v").out, run("schema", name).out):
            assert "``" not in text, name
            assert ":class:`" not in text, name
    assert '"auto"' in run("show", "TrainConfig", "-v").out


def test_diff_rows_fit_and_say_which_side_lacks_a_field(run: CLI, work: pathlib.Path) -> None:
    old, new = work / "old.json", work / "new.json"
    old.write_text(json.dumps({"config_class": "TrainConfig", "rfdetr_release": "1.8.1", "dataset_dir": None}))
    new.write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": None}))
    done = run("diff", str(old), str(new))
    assert done.code == 1
    rows = done.json()
    assert rows["eval_batch_size"] == ["(not in A)", None]  # not [null, null]
    assert rows["lr_drop"] == [100, "(not in B)"]
    assert '  "grad_accum_steps": [4, 1],' in done.out.splitlines()  # a short row on one line
    assert [None, None] not in rows.values()


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["show", "TrainConfig", "--release", "v1.8.1"], "did you mean '1.8.1'?"),
        (["show", "TrainConfig", "--release", "1.9"], "name the patch release: 1.9.0 to 1.9.4"),
        (["changes", "1.8.1", "V1.11.2"], "did you mean '1.11.2'?"),
    ],
)
def test_a_release_spelled_another_way_gets_a_suggestion(run: CLI, argv: list[str], said: str) -> None:
    done = run(*argv)
    assert done.code == 2
    assert said in done.err


def test_a_release_written_as_a_number_is_told_to_quote_it(run: CLI, work: pathlib.Path) -> None:
    path = work / "t.yaml"
    path.write_text("config_class: TrainConfig\nrfdetr_release: 1.10\ndataset_dir: null\n")
    (line,) = run("validate", str(path)).lines
    assert 'write it in quotes ("1.10")' in line


def test_a_file_keeps_the_release_it_names(run: CLI, work: pathlib.Path) -> None:
    for release in ("1.9.3", "1.11.1", "1.11.2"):
        path = work / "t.json"
        path.write_text(json.dumps({"config_class": "TrainConfig", "rfdetr_release": release, "dataset_dir": None}))
        assert run("validate", str(path)).json()["rfdetr_release"] == release
        bare = work / "bare.json"
        bare.write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": None}))
        assert run("validate", str(bare), "--release", release).json()["rfdetr_release"] == release
    assert run("validate", str(bare)).json()["rfdetr_release"] == TOP


def test_messages_read_back_from_wrapped_lines() -> None:
    assert messages("a: b\n    c\nd\n") == ["a: b c", "d"]
