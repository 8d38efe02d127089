"""The commands between releases: ``migrate``, ``changes`` and ``detect``, run in this process as in test_cli."""

from __future__ import annotations

import json
import pathlib
import re
import shlex
from typing import Any, List

import pytest

import rfdetr_config as rc
from rfdetr_config.releases import RELEASES, TOP

from . import test_cli
from .test_cli import CLI, Run

run, work, base_install = test_cli.run, test_cli.work, test_cli.base_install  # the in-process fixtures

OLD = {"config_class": "TrainConfig", "rfdetr_release": "1.8.1", "dataset_dir": "data", "lr_drop": 50}
"""A 1.8.1 training file whose meaning moved (lr_drop) and whose defaults changed since."""

NEWER_ONLY = {"config_class": "TrainConfig", "rfdetr_release": TOP, "dataset_dir": "data", "eval_ema_only": True}
"""A file rfdetr 1.8 cannot express: it always evaluates the base model besides the EMA weights."""

SUPPORTED = f"supported: {', '.join(RELEASES)}"


def _write(path: pathlib.Path, data: Any) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def _rows(done: Run) -> List[str]:
    """The table's rows (after the summary line and the column names), continuation lines left out."""
    lines = done.raw_err.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("field "))
    return [line for line in lines[start + 1 :] if not line.startswith(" ")]


# migrate: the table, and the file written.


def test_migrate_writes_a_file_that_loads_and_reports_a_table(
    run: CLI, work: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(work / "old.json", OLD)
    narrow = run("migrate", path, "--to", "1.11.2", "-o", "new.json")
    assert max(len(line) for line in narrow.raw_err.splitlines()) <= 100  # the terminal's width, by default
    monkeypatch.setenv("COLUMNS", "160")  # the rows below on one line each, but for the longest messages
    done = run("migrate", path, "--to", "1.11.2", "-o", "new.json")
    assert done.code == 0, done
    assert done.out == ""
    moved = rc.migrate({"dataset_dir": "data", "lr_drop": 50}, "TrainConfig", source="1.8.1", target="1.11.2")
    summary = f"{len(moved.changes)} changes, {len(moved.lossy)} may train differently"
    assert done.lines[0] == f"{path}: TrainConfig from rfdetr 1.8.1 to 1.11.2: {summary}"
    assert len(moved.lossy) == 2
    assert re.match(r"field +kind +old -> new +message$", done.lines[1])
    rows = _rows(done)
    assert [row.split()[0] for row in rows] == [c.field for c in moved.changes]
    by_field = {row.split()[0]: row for row in rows}
    assert re.match(r"lr_drop +moved +50 -> - +already in lr_scheduler_kwargs\['lr_drop'\]", by_field["lr_drop"])
    kwargs_row = by_field["lr_scheduler_kwargs"]
    assert re.match(r"lr_scheduler_kwargs +moved +- -> \{'lr_drop': 50\} +where rfdetr 1\.9", kwargs_row)
    assert re.match(r"grad_accum_steps +pinned +- -> 4 +the default changed", by_field["grad_accum_steps"])
    assert re.match(r"amp_dtype +needs a decision +- -> - +on CUDA GPUs", by_field["amp_dtype"])
    kind_column = done.lines[1].index("kind")
    assert all(row[kind_column - 2 : kind_column] == "  " and row[kind_column] != " " for row in rows)
    message_column = done.lines[1].index("message")
    table = done.raw_err.splitlines()
    continued = [line for line in table[table.index(done.lines[1]) :] if line.startswith(" ")]
    assert continued
    assert all(len(line) - len(line.lstrip()) >= kind_column for line in continued)
    assert any(len(line) - len(line.lstrip()) == message_column for line in continued)
    assert max(len(line) for line in done.raw_err.splitlines()) <= 160

    written = json.loads((work / "new.json").read_text())
    assert (written["config_class"], written["rfdetr_release"]) == ("TrainConfig", "1.11.2")
    config = rc.load(work / "new.json")
    assert type(config) is rc.for_release("1.11.2").TrainConfig
    assert config.lr_scheduler_kwargs == {"lr_drop": 50}
    assert (config.grad_accum_steps, config.eval_backend) == (4, "faster_coco_eval")


def test_migrate_prints_the_file_in_the_input_format_without_output(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", OLD)
    as_json = run("migrate", path)
    assert as_json.code == 0
    expected = rc.migrate({"dataset_dir": "data", "lr_drop": 50}, "TrainConfig", source="1.8.1", target=TOP).data
    assert as_json.json() == {"config_class": "TrainConfig", "rfdetr_release": TOP, **expected}
    yaml_path = work / "old.yaml"
    yaml_path.write_text("config_class: TrainConfig\nrfdetr_release: 1.8.1\ndataset_dir: data\nlr_drop: 50\n")
    as_yaml = run("migrate", str(yaml_path))
    assert as_yaml.code == 0
    assert as_yaml.out.startswith(f"config_class: TrainConfig\nrfdetr_release: {TOP}\ndataset_dir: data\n")
    toml = b'config_class = "TrainConfig"\nrfdetr_release = "1.8.1"\nnull_fields = ["dataset_dir"]\n'
    as_toml = run("migrate", "-", "--input-format", "toml", stdin=toml)
    assert as_toml.code == 0
    assert rc.loads(as_toml.out, rc.TrainConfig, fmt="toml").dataset_dir is None  # TOML lists it under null_fields
    from_stdin = run("migrate", "-", stdin=json.dumps(OLD).encode())
    assert from_stdin.json() == as_json.json()
    assert from_stdin.lines[0].startswith("<stdin>: TrainConfig from rfdetr 1.8.1")


@pytest.mark.parametrize("suffix", ["json", "toml", "yaml"])
def test_migrate_writes_the_format_of_the_output_suffix(run: CLI, work: pathlib.Path, suffix: str) -> None:
    path = _write(work / "old.json", OLD)
    assert run("migrate", path, "-o", f"new.{suffix}").code == 0
    assert rc.load(work / f"new.{suffix}", rc.TrainConfig).lr_scheduler_kwargs == {"lr_drop": 50}


def test_the_header_names_the_release_asked_for(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", OLD)
    done = run("migrate", path, "--to", "1.9.3")
    assert done.json()["rfdetr_release"] == "1.9.3"
    assert type(rc.load(_write(work / "new.json", done.out))) is rc.for_release("1.9.3").TrainConfig


def test_a_release_sharing_the_classes_needs_no_change(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", {**OLD, "rfdetr_release": "1.9.0", "epochs": 3})
    done = run("migrate", path, "--to", "1.9.4")
    assert done.code == 0
    assert done.lines == [f"{path}: TrainConfig from rfdetr 1.9.0 to 1.9.4: no changes"]
    assert done.json() == {**OLD, "rfdetr_release": "1.9.4", "epochs": 3}
    same = run("migrate", path, "--to", "1.9.0")
    assert (same.code, same.lines[0]) == (0, f"{path}: TrainConfig from rfdetr 1.9.0 to 1.9.0: no changes")


def test_the_source_release_comes_from_from_or_the_file(run: CLI, work: pathlib.Path) -> None:
    bare = {"dataset_dir": "data", "lr_drop": 50}
    path = _write(work / "bare.json", {"config_class": "TrainConfig", **bare})
    done = run("migrate", path, "--from", "1.8.1")
    assert done.code == 0
    assert done.json()["lr_scheduler_kwargs"] == {"lr_drop": 50}
    nameless = _write(work / "nameless.json", bare)
    assert run("migrate", nameless, "--from", "1.8.1", "--class", "TrainConfig").json() == done.json()
    agreeing = _write(work / "old.json", {**OLD, "rfdetr_release": "1.9.0"})
    assert run("migrate", agreeing, "--from", "1.9.4", "--class", "TrainConfig").code == 0


def test_the_target_warnings_follow_the_table(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", {**OLD, "group_detr": 13})
    done = run("migrate", path, "--to", "1.8.2")
    assert done.code == 0
    assert done.lines[-1] == (
        f"{path}: rfdetr 1.8.2 warns: TrainConfig.group_detr is deprecated since v1.7.0 and will be removed in "
        "v1.9.0. Set group_detr on ModelConfig instead."
    )


def test_long_values_are_cut_short_in_the_table(run: CLI, work: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for every row on one line
    path = _write(work / "old.json", {**OLD, "note": "x" * 100})  # rfdetr 1.8 ignores an unknown key
    done = run("migrate", path)
    (row,) = (row for row in _rows(done) if row.startswith("note "))
    assert re.match(r"note +dropped +'x{26}\.\.\. -> - +rfdetr 1\.8\.1 ignores a key", row)
    assert "note" not in done.json()


# migrate: what it refuses.


def test_a_value_the_target_cannot_express_writes_nothing(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "new.json", NEWER_ONLY)
    done = run("migrate", path, "--to", "1.8.1", "-o", "old.json")
    assert done.code == 1
    assert done.out == ""
    assert len(done.lines) == 1
    assert done.lines[0].startswith(f"{path}: eval_ema_only: rfdetr 1.8.1 always evaluates the base model")
    assert done.lines[0].endswith("(got True)")
    assert not (work / "old.json").exists()


def test_strict_fails_on_every_change_that_may_train_differently(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", OLD)
    done = run("migrate", path, "--strict", "--to", "1.11.2", "-o", "new.json")
    assert done.code == 1
    problems = [line[len(path) + 2 :].split(": ")[:2] for line in done.lines]
    assert problems == [
        ["augmentation_backend", "needs a decision in rfdetr 1.9.0"],
        ["amp_dtype", "needs a decision in rfdetr 1.11.1"],
    ]
    assert not (work / "new.json").exists()
    assert run("migrate", path, "--strict", "--to", "1.8.3").code == 0  # nothing lossy on the way


def test_an_input_the_source_refuses_is_exit_1(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", {**OLD, "epochs": "many", "batch_size": 0})
    done = run("migrate", path)
    assert done.code == 1
    assert sorted(line.split(":")[1].strip() for line in done.lines) == ["batch_size", "epochs"]
    assert all(line.startswith(f"{path}: ") for line in done.lines)


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        (OLD, ["--from", "1.9.0"], ": rfdetr_release: the file is for another rfdetr release: rfdetr 1.9.0 was"),
        ({**OLD, "rfdetr_release": "1.7.0"}, [], ": rfdetr_release: unsupported rfdetr release; supported releases:"),
        ({**OLD, "rfdetr_release": 181}, [], ": rfdetr_release: must be text: write it in quotes"),
        ({**OLD, "config_class": "TrainConfg"}, [], ": config_class: unknown configuration class; did you mean"),
        (OLD, ["--class", "ModelConfig"], ": config_class: the file holds another class than the ModelConfig"),
        ('{"epochs": 3,\n "lr": }', ["--from", "1.8.1"], ":2:8: not valid JSON: Expecting value"),
        ("[1, 2]", [], ": must be a mapping of field names to values, not a list"),
        ("", [], ": is empty"),
        (OLD, ["-o", "new.txt"], "new.txt: unknown file type ('.txt'): use .json, .toml, .yaml or .yml"),
        (OLD, ["-o", "missing/new.json"], "missing/new.json: cannot be written: no such file or directory"),
    ],
)
def test_a_bad_file_is_one_line_each_and_exit_1(
    run: CLI, work: pathlib.Path, content: Any, argv: List[str], message: str
) -> None:
    path = _write(work / "old.json", content)
    done = run("migrate", path, *argv)
    assert done.code == 1, done
    assert done.out == ""
    assert len(done.lines) == 1
    assert message in done.lines[0]


def test_a_file_that_cannot_be_read_is_named_once(run: CLI, work: pathlib.Path) -> None:
    for command in ("migrate", "detect"):
        missing = run(command, "nope.json")
        assert (missing.code, missing.lines) == (1, ["nope.json: cannot be read: no such file or directory"])
        (work / "folder.json").mkdir(exist_ok=True)
        folder = run(command, "folder.json")
        assert (folder.code, folder.lines) == (1, ["folder.json: cannot be read: is a directory"])


def test_writing_without_the_extra_is_one_line_and_exit_1(run: CLI, work: pathlib.Path, base_install: None) -> None:
    path = _write(work / "old.json", OLD)
    done = run("migrate", path, "-o", "new.toml")
    assert done.code == 1
    assert done.lines == ["new.toml: writing TOML needs tomli-w (the 'toml' extra): pip install tomli-w"]
    assert not (work / "new.toml").exists()
    printed = run("migrate", "-", "--input-format", "yaml", stdin=b"{}")
    assert printed.code == 1  # reading YAML needs the extra too
    assert printed.lines == ["<stdin>: reading YAML needs PyYAML (the 'yaml' extra): pip install PyYAML"]


def test_a_null_inside_a_field_cannot_go_to_toml(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", {**OLD, "notes": {"a": None}})
    done = run("migrate", path, "-o", "new.toml")
    assert done.code == 1
    assert done.lines == ["new.toml: notes.a: a null, which TOML cannot hold inside a field"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["migrate", "old.json", "--to", "99.0.0"], f"argument --to: unsupported rfdetr release '99.0.0'; {SUPPORTED}"),
        (
            ["migrate", "old.json", "--from", "1.8"],
            "unsupported rfdetr release '1.8'; name the patch release: 1.8.1 to 1.8.3",
        ),
        (["migrate", "old.json", "--from", "v1.8.1"], "unsupported rfdetr release 'v1.8.1'; did you mean '1.8.1'?"),
        (["migrate", "old.json", "--class", "TrainConfg"], "unknown class 'TrainConfg'; did you mean 'TrainConfig'?"),
        (["migrate"], "the following arguments are required: FILE"),
        (["migrate", "bare.json"], 'no release to migrate from: pass --from X.Y.Z, or add "rfdetr_release": X.Y.Z'),
        (["migrate", "bare.json", "--from", "1.8.1"], 'no class given: pass --class NAME, or add "config_class": NAME'),
        (["detect", "bare.json"], 'no class given: pass --class NAME, or add "config_class": NAME to bare.json'),
        (["detect", "old.json", "--class", "Nope"], "unknown class 'Nope'; one of: ModelConfig,"),
        (["changes", "1.8.1"], "the following arguments are required: Y"),
        (["changes", "1.8.1", "2.0"], f"argument Y: unsupported rfdetr release '2.0'; {SUPPORTED}"),
        (["changes", "1.8.1", "1.9.0", "--class", "trainconfig"], "did you mean 'TrainConfig'?"),
    ],
)
def test_a_wrong_command_line_is_one_line_and_exit_2(
    run: CLI, work: pathlib.Path, argv: List[str], message: str
) -> None:
    _write(work / "old.json", OLD)
    _write(work / "bare.json", {"dataset_dir": "data"})
    done = run(*argv)
    assert done.code == 2, done
    assert done.out == ""
    assert len(done.lines) == 1
    assert message in done.err
    assert done.err.rstrip().endswith(f"(see rfdetr-config {argv[0]} --help)")


# changes


def test_changes_prints_one_line_per_change(run: CLI) -> None:
    done = run("changes", "1.8.1", TOP, "--class", "TrainConfig")
    assert done.code == 0
    found = rc.changes("1.8.1", TOP, "TrainConfig")
    assert done.out.splitlines()[:3] == [
        f"rfdetr 1.8.1 -> {TOP}: {len(found)} changes, each under the classes it concerns",
        "",
        "TrainConfig:",
    ]
    said = test_cli.messages(done.out.split("TrainConfig:\n", 1)[1])
    assert said == [f"  {c.field + ': ' if c.field else ''}{c.words}" for c in found]
    every = run("changes", TOP, "1.8.1")
    assert len(every.out.splitlines()) > len(done.out.splitlines())


def test_changes_between_releases_that_share_their_classes(run: CLI) -> None:
    assert run("changes", "1.9.0", "1.9.4").out == "rfdetr 1.9.0 and 1.9.4 declare no differences\n"
    one = run("changes", "1.9.0", "1.9.0", "--class", "ModelConfig")
    assert (one.code, one.out) == (0, "rfdetr 1.9.0 and 1.9.0 declare no differences for ModelConfig\n")
    assert run("changes", "1.9.0", "1.9.4", "--json").json() == []


def test_changes_as_json(run: CLI) -> None:
    records = run("changes", "1.8.1", TOP, "--json").json()
    found = rc.changes("1.8.1", TOP)
    assert [r["message"] for r in records] == [c.message for c in found]
    assert set(records[0]) == {"class", "field", "kind", "old", "new", "note", "message"}
    by_kind = {(r["class"], r["field"], r["kind"]): r for r in records}
    assert by_kind["TrainConfig", "grad_accum_steps", "default"]["old"] == 4
    assert by_kind["TrainConfig", "multi_scale", "type"]["new"] == "MultiScale"
    checks = [r for r in records if r["kind"] == "check"]
    assert checks
    assert all(isinstance(r["old"], (str, type(None))) and isinstance(r["new"], (str, type(None))) for r in checks)
    assert any(isinstance(r["new"], dict) for r in records)


# detect


def test_detect_names_the_releases_that_accept_a_file(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "old.json", OLD)
    done = run("detect", path)
    accepting = rc.releases_accepting({"dataset_dir": "data", "lr_drop": 50}, "TrainConfig")
    assert "1.8.1" in accepting
    assert TOP not in accepting
    assert done.code == 0
    assert done.out.splitlines() == [
        f"{path}: a TrainConfig of rfdetr {', '.join(accepting)}",
        f"{path}: its rfdetr_release names rfdetr 1.8.1, one of them",
    ]
    assert done.err == ""


@pytest.mark.parametrize(
    ("release", "verdict"),
    [("1.8.1", "which refuses it"), ("1.7.0", "which is not a supported release"), (TOP, "one of them")],
)
def test_detect_says_whether_the_files_release_is_among_them(
    run: CLI, work: pathlib.Path, release: str, verdict: str
) -> None:
    content = {"config_class": "TrainConfig", "rfdetr_release": release, "multi_scale": "per-sample"}
    path = _write(work / "new.json", {**content, "dataset_dir": "data"})  # multi_scale is a bool up to 1.10
    done = run("detect", path)
    assert done.code == 0
    assert done.out.splitlines()[1] == f"{path}: its rfdetr_release names rfdetr {release}, {verdict}"


def test_detect_reads_standard_input_and_class(run: CLI) -> None:
    done = run("detect", "-", "--class", "RFDETRNanoConfig", stdin=b'{"num_classes": 3}')
    assert done.code == 0
    assert done.out == f"<stdin>: a RFDETRNanoConfig of rfdetr {', '.join(RELEASES)}\n"  # no release named


def test_detect_exits_1_when_no_release_accepts_the_file(run: CLI, work: pathlib.Path) -> None:
    path = _write(work / "bad.json", {"config_class": "TrainConfig", "dataset_dir": "data", "batch_size": 0})
    done = run("detect", path)
    assert done.code == 1
    assert done.out == ""
    assert done.lines == [
        f"{path}: no supported rfdetr release ({RELEASES[0]} to {RELEASES[-1]}) accepts it as a TrainConfig "
        "(rfdetr-config validate FILE --release X.Y.Z says why)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1]", ": must be a mapping of field names to values, not a list"),
        ('{"a": 1,}', ":1:9: not valid JSON: "),
        ({"config_class": "Nano"}, ": config_class: unknown configuration class"),
    ],
)
def test_detect_on_a_bad_file_is_one_line_and_exit_1(run: CLI, work: pathlib.Path, content: Any, message: str) -> None:
    path = _write(work / "odd.json", content)
    done = run("detect", path)
    assert (done.code, len(done.lines), done.out) == (1, 1, "")
    assert message in done.err


# Help.


@pytest.mark.parametrize("command", ["migrate", "changes", "detect"])
def test_each_command_has_help_with_examples_and_exit_status(run: CLI, command: str) -> None:
    done = run(command, "--help")
    assert done.code == 0
    assert "examples:" in done.out
    assert "exit status:" in done.out
    assert f"rfdetr-config {command} " in done.out.split("examples:")[1]
    assert command in run("--help").out


def test_the_migrate_examples_of_the_help_work(run: CLI, work: pathlib.Path) -> None:
    _write(work / "old.json", OLD)
    for line in run("migrate", "--help").out.split("examples:")[1].split("exit status:")[0].splitlines():
        if not line.strip():
            continue
        words = shlex.split(line)[1:]
        stdin = b""
        if "<" in words:
            at = words.index("<")
            stdin, words = (work / words[at + 1]).read_bytes(), words[:at]
        if ">" in words:
            words = words[: words.index(">")]
        if "run.yaml" in words:
            (work / "run.yaml").write_text("config_class: TrainConfig\nrfdetr_release: 1.9.0\ndataset_dir: data\n")
        done = run(*words, stdin=stdin)
        assert done.code == 0, (line, done)


def test_the_shipped_1_8_1_example_migrates_to_a_file_the_top_release_reads(run: CLI, work: pathlib.Path) -> None:
    example = test_cli.EXAMPLES / "keypoint_train_1_8_1.json"
    assert run("validate", str(example)).code == 0
    done = run("migrate", str(example), "-o", "new.json")
    assert done.code == 0, done
    config = rc.load(work / "new.json")
    assert isinstance(config, rc.KeypointTrainConfig)
    assert (config.multi_scale, config.lr_scheduler_kwargs) == (rc.MultiScale.PER_SAMPLE, {"lr_drop": 40})
    assert (config.grad_accum_steps, config.keypoint_nll_loss_coef) == (4, 0.5)
