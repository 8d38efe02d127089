"""The command line, run in this process (``cli.main(argv)``) so that its coverage is measured with the rest."""

from __future__ import annotations

import io
import json
import pathlib
import runpy
import shlex
import sys
from typing import Any, Callable, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config import cli
from rfdetr_config.cli import inputs as cli_inputs
from rfdetr_config.cli import show as cli_show
from rfdetr_config.strategies import instances

from .conftest import all_classes

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


class Run:
    """One run of the command: its exit status and what it printed."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.raw_err = err
        self.err = "".join(f"{line}\n" for line in messages(err))  # each message on one line again

    @property
    def lines(self) -> List[str]:
        """The stderr messages: one per problem or warning, each a line continued on indented lines."""
        return messages(self.err)

    def json(self) -> Any:
        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out[:200]!r}, err={self.err[:500]!r})"


CLI = Callable[..., Run]


def messages(text: str) -> List[str]:
    """The messages of the command's stderr: a message wider than the terminal continues on lines indented
    by four spaces, which are read back into it."""
    out: List[str] = []
    for line in text.splitlines():
        if line.startswith("    ") and out:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CLI:
    """Run ``rfdetr-config ARGS`` in this process, with ``stdin`` as its standard input."""

    def call(*argv: str, stdin: bytes = b"") -> Run:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return call


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Files written and read here hold deprecated fields; the command records their warnings itself."""


@pytest.fixture
def base_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if installed without extras: no PyYAML, no tomli-w."""
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    return


@pytest.fixture
def work(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(path: pathlib.Path, data: Any) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


# The top level: version, help, usage errors.


def test_version(run: CLI) -> None:
    done = run("--version")
    releases = f"rfdetr {rc.RELEASES[0]} to {rc.RELEASES[-1]}; by default rfdetr {rc.releases.TOP}"
    assert (done.code, done.out) == (0, f"rfdetr-config {rc.__version__} ({releases})\n")


def test_help_lists_exit_codes_and_examples(run: CLI) -> None:
    done = run("--help")
    assert done.code == 0
    for text in ("exit status:", "  0 ", "  1 ", "  2 ", "  130", "examples (none needs an extra):"):
        assert text in done.out
    for command in ("validate", "show", "schema", "diff"):
        sub = run(command, "--help")
        assert sub.code == 0
        assert "exit status:" in sub.out
        assert "examples:" in sub.out


def _help_examples(text: str) -> List[str]:
    start = text.index("examples (none needs an extra):")
    return [line.strip() for line in text[start:].splitlines()[1:] if line.startswith("  rfdetr-config")]


def test_help_examples_work_on_the_base_install(run: CLI, work: pathlib.Path, base_install: None) -> None:
    examples = _help_examples(run("--help").out)
    assert len(examples) >= 6
    for example in examples:
        words = shlex.split(example)[1:]
        stdin = b""
        if "<" in words:
            at = words.index("<")
            stdin = (work / words[at + 1]).read_bytes()
            words = words[:at] + words[at + 2 :]
        target = None
        if ">" in words:
            at = words.index(">")
            target, words = work / words[at + 1], words[:at]
        done = run(*words, stdin=stdin)
        expected = 1 if words[0] == "diff" else 0  # the example diffs two different classes
        assert done.code == expected, (example, done)
        if target is not None:
            target.write_text(done.out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "rfdetr-config: the following arguments are required: COMMAND (see rfdetr-config --help)"),
        (["lint"], "rfdetr-config: argument COMMAND: invalid choice: 'lint'"),
        (
            ["show", "TrainConfg"],
            "rfdetr-config show: unknown class 'TrainConfg'; did you mean 'TrainConfig'? "
            "(see rfdetr-config show --help)",
        ),
        (["schema", "Nope"], "unknown class 'Nope'; one of: ModelConfig, RFDETRBaseConfig"),
        (["validate", "x.json", "--class", "keypointtrainconfig"], "did you mean 'KeypointTrainConfig'?"),
        (["validate"], "the following arguments are required: FILE"),
        (["validate", "x.json", "--input-format", "xml"], "argument --input-format: invalid choice: 'xml'"),
        (["show", "TrainConfig", "--format", "ini"], "argument --format: invalid choice: 'ini'"),
        (["validate", "-", "-"], "rfdetr-config validate: standard input (-) can be read only once"),
        (["diff", "-", "-"], "rfdetr-config diff: standard input (-) can be read only once"),
    ],
)
def test_a_wrong_command_line_is_one_line_and_exit_2(run: CLI, argv: List[str], message: str) -> None:
    done = run(*argv)
    assert done.code == 2
    assert len(done.lines) == 1
    assert message in done.err
    assert done.out == ""


# validate


def test_validate_prints_what_dump_writes(run: CLI, work: pathlib.Path) -> None:
    config = rc.KeypointTrainConfig(dataset_dir="data", output_dir="runs", epochs=5)
    rc.dump(config, work / "train.json")
    done = run("validate", "train.json")
    assert done.code == 0
    assert done.out == rc.dumps(rc.load(work / "train.json"))
    assert next(iter(done.json())) == "config_class"


@pytest.mark.parametrize("example", ["keypoint_train.json", "nano_model.json"])
def test_shipped_examples_validate(run: CLI, example: str) -> None:
    done = run("validate", str(EXAMPLES / example))
    assert done.code == 0, done
    assert done.json()["config_class"] in ("KeypointTrainConfig", "RFDETRNanoConfig")


def test_nano_example_rederives_encoding_size(run: CLI) -> None:
    assert run("validate", str(EXAMPLES / "nano_model.json")).json()["positional_encoding_size"] == 448 // 16


def test_broken_example_lists_every_error_one_line_each(run: CLI) -> None:
    path = str(EXAMPLES / "broken_train.json")
    done = run("validate", path)
    assert (done.code, done.out) == (1, "")
    assert done.lines == [  # rfdetr's own message, listing every field, is left to the API
        f"{path}: batch_size: batch_size must be >= 1, or 'auto'. (got 0)",
        f"{path}: smooth_alpha: smooth_alpha must be in [0.0, 1.0). (got 1.0)",
        f"{path}: keypoint_oks_sigmas[1]: must be a number; unable to parse the string (got 'wide')",
        f"{path}: epoch: unknown field; did you mean 'epochs'? (got 'epoch')",
    ]


def test_a_syntax_error_is_file_line_column(run: CLI, work: pathlib.Path) -> None:
    _write(work / "bad.json", '{"config_class": "TrainConfig",\n "lr": }')
    done = run("validate", "bad.json")
    assert (done.code, done.lines) == (1, ["bad.json:2:8: not valid JSON: Expecting value"])


def test_a_missing_file_is_named_once(run: CLI, work: pathlib.Path) -> None:
    done = run("validate", "missing.json")
    assert done.lines == ["missing.json: cannot be read: no such file or directory"]
    directory = run("validate", str(work))
    assert directory.lines == [f"{work}: cannot be read: is a directory"]


def test_the_class_comes_from_the_file_or_the_option(run: CLI, work: pathlib.Path) -> None:
    plain = _write(work / "train.json", {"dataset_dir": None, "epochs": 3})
    assert run("validate", plain, "--class", "TrainConfig").json()["epochs"] == 3
    unnamed = run("validate", plain)
    assert unnamed.code == 1
    assert unnamed.lines == [f'{plain}: no class given: pass --class NAME, or add "config_class": NAME to the file']
    clash = run("validate", str(EXAMPLES / "nano_model.json"), "--class", "TrainConfig", "--release", "1.11.2")
    assert clash.code == 1
    assert "config_class: the file holds another class than the TrainConfig asked for" in clash.err
    named_wrong = _write(work / "wrong.json", {"config_class": "KeypointTrainConfg"})
    assert "did you mean 'KeypointTrainConfig'?" in run("validate", named_wrong).err
    as_list = _write(work / "list.json", {"config_class": ["TrainConfig"]})
    assert run("validate", as_list).lines == [f"{as_list}: config_class: must be text (got ['TrainConfig'])"]


def test_several_files_make_one_json_document_naming_each(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.toml", 'config_class = "TrainConfig"\nepochs = 5\nnull_fields = ["dataset_dir"]\n')
    _write(work / "b.yaml", "config_class: RFDETRNanoConfig\nnum_classes: 2\n")
    _write(work / "c.yaml", "config_class: RFDETRNanoConfig\nnum_channels: 0\n")
    done = run("validate", "a.toml", "b.yaml", "c.yaml")
    assert done.code == 1
    records = done.json()
    assert [(r["file"], r["valid"]) for r in records] == [("a.toml", True), ("b.yaml", True), ("c.yaml", False)]
    assert records[0]["config"]["epochs"] == 5
    assert records[2]["config"] is None
    assert records[2]["errors"] == [
        {
            "loc": ["num_channels"],
            "type": "out_of_range",
            "message": "num_channels: must be >= 1 (got 0)",
            "line": None,
            "column": None,
        }
    ]
    assert done.lines == ["c.yaml: num_channels: must be >= 1 (got 0)"]


def test_jsonl_prints_one_record_per_line_for_any_number_of_files(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", {"config_class": "RFDETRNanoConfig"})
    _write(work / "b.json", '{"config_class": "RFDETRNanoConfig",')
    for files in (["a.json"], ["a.json", "b.json"]):
        done = run("validate", "--jsonl", *files)
        records = [json.loads(line) for line in done.out.splitlines()]
        assert [r["file"] for r in records] == files
    assert records[1]["errors"][0]["line"] == 1
    assert records[1]["errors"][0]["message"] == "not valid JSON: Expecting property name enclosed in double quotes"


def test_quiet_prints_nothing_on_stdout(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", {"config_class": "RFDETRNanoConfig"})
    assert (run("validate", "-q", "a.json").out, run("validate", "-q", "--jsonl", "a.json", "a.json").out) == ("", "")
    assert run("validate", "-q", "missing.json").code == 1


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        (None, '{"config_class": "RFDETRNanoConfig", "num_classes": 2}'),
        ("json", '\ufeff{"config_class": "RFDETRNanoConfig", "num_classes": 2}'),
        ("toml", 'config_class = "RFDETRNanoConfig"\nnum_classes = 2'),
        ("yaml", "config_class: RFDETRNanoConfig\nnum_classes: 2"),
    ],
)
def test_standard_input(run: CLI, fmt: str, text: str) -> None:
    option = [] if fmt is None else ["--input-format", fmt]
    done = run("validate", "-", *option, stdin=text.encode())
    assert done.code == 0, done
    assert done.json()["num_classes"] == 2


def test_standard_input_errors_are_named_stdin(run: CLI) -> None:
    done = run("validate", "-", "--jsonl", stdin=b'{"config_class": "RFDETRNanoConfig",\n "num_classes": }')
    assert done.lines == [
        "<stdin>:2:17: not valid JSON: Expecting value; standard input is read as JSON: --input-format yaml or "
        "toml reads another format"
    ]
    chosen = run("validate", "-", "--input-format", "json", stdin=b'{"config_class": "RFDETRNanoConfig",\n "n": }')
    assert chosen.lines == ["<stdin>:2:7: not valid JSON: Expecting value"]
    assert json.loads(done.out)["file"] == "<stdin>"
    assert run("validate", "-", stdin=b"caf\xe9").lines == ["<stdin>:1:4: is not UTF-8 text (byte 0xe9)"]


def test_format_reads_any_suffix(run: CLI, work: pathlib.Path) -> None:
    _write(work / "model.txt", "config_class: RFDETRNanoConfig\n")
    assert run("validate", "model.txt").lines == [
        "model.txt: unknown file type ('.txt'): use .json, .toml, .yaml or .yml (or name its format with "
        "--input-format)"
    ]
    assert run("validate", "model.txt", "--input-format", "yaml").code == 0
    old_spelling = run("validate", "model.txt", "--format", "yaml")
    assert old_spelling.code == 0
    assert old_spelling.lines == [
        "rfdetr-config validate: --format is deprecated for the input's format; use --input-format"
    ]


def test_warnings_go_to_stderr_one_line_each(run: CLI, work: pathlib.Path) -> None:
    path = _write(
        work / "model.json",
        {"config_class": "RFDETRNanoConfig", "pretrain_weights": "rf-detr-nano.pth", "hidden_dim": 512},
    )
    done = run("validate", path)
    assert done.code == 0
    assert len(done.lines) == 1
    assert done.lines[0].startswith(f"{path}: PretrainWeightsCompatibilityWarning: RFDETRNanoConfig was instantiated")
    assert "hidden_dim: 512 (variant default: 256)" in done.lines[0]
    record = json.loads(run("validate", path, "--jsonl").out)
    assert record["warnings"] == [done.lines[0][len(path) + 2 :]]


def test_values_json_cannot_hold_follow_the_one_rule(run: CLI, work: pathlib.Path) -> None:
    _write(
        work / "d.yaml", "config_class: TrainConfig\ndataset_dir: null\nnotes: {day: 2024-05-01, tags: !!set {b, a}}\n"
    )
    quiet = run("validate", "-q", "d.yaml")
    loud = run("validate", "d.yaml")
    assert quiet.code == loud.code == 0
    assert loud.json()["notes"] == {"day": "2024-05-01", "tags": ["a", "b"]}
    assert loud.out == rc.dumps(rc.load(work / "d.yaml"))


def test_nan_is_printed_as_the_file_writers_write_it(run: CLI, work: pathlib.Path) -> None:
    _write(work / "n.json", '{"config_class": "TrainConfig", "dataset_dir": null, "notes": NaN}')
    done = run("validate", "n.json")
    assert '"notes": NaN' in done.out
    assert done.out == rc.dumps(rc.load(work / "n.json"))


def test_an_encoding_the_terminal_cannot_show_is_escaped(
    run: CLI, work: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(work / "u.json", {"config_class": "TrainConfig", "dataset_dir": None, "project": "caf\u00e9"})
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    assert cli.main(["validate", "u.json"]) == 0
    stream.seek(0)
    assert '"project": "caf\\u00e9"' in stream.read()


@pytest.mark.parametrize("cls", rc.CONFIG_CLASSES, ids=lambda c: c.__name__)
def test_show_as_json_validates_back(run: CLI, cls: type[rc.BaseConfig]) -> None:
    shown = run("show", cls.__name__, "--format", "json")
    assert shown.code == 0
    checked = run("validate", "-", stdin=shown.out.encode())
    required = {p.name for p in cls.__rfdetr_plan__ if p.required} - {"dataset_dir"}  # dataset_dir may be null
    if required:  # shown as null: the file says what must be filled in
        assert checked.code == 1
        assert {line.split(": ")[1] for line in checked.lines} == required
        return
    assert checked.code == 0, checked
    assert checked.json()["config_class"] == cls.__name__


@all_classes()
@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_command_and_the_api_read_a_file_alike(run: CLI, cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    text = rc.dumps(data.draw(instances(cls)))
    done = run("validate", "-", stdin=text.encode())
    assert done.code == 0, done
    assert done.out == rc.dumps(rc.loads(text))


# show, schema


def test_show_table_and_formats(run: CLI) -> None:
    table = run("show", "KeypointTrainConfig")
    assert table.code == 0
    lines = table.out.splitlines()
    assert lines[0].split() == ["field", "type", "default", "rule"]
    assert any(line.startswith("smooth_alpha") and "0.5" in line and "in [0.0, 1.0)" in line for line in lines)
    assert "(required)" in next(line for line in lines if line.startswith("dataset_dir"))
    assert run("show", "RFDETRNanoConfig", "--format", "json").json()["resolution"] == 384
    assert 'config_class = "RFDETRNanoConfig"\n' in run("show", "RFDETRNanoConfig", "--format", "toml").out
    assert "resolution: 384" in run("show", "RFDETRNanoConfig", "--format", "yaml").out
    assert "NLL-Cholesky" in run("show", "KeypointTrainConfig", "-v").out


@pytest.mark.parametrize(("fmt", "package"), [("yaml", "PyYAML"), ("toml", "tomli-w")])
def test_show_without_the_extra_is_one_line_and_exit_1(run: CLI, base_install: None, fmt: str, package: str) -> None:
    done = run("show", "TrainConfig", "--format", fmt)
    assert (done.code, done.out) == (1, "")
    assert done.lines == [
        f"rfdetr-config: writing {fmt.upper()} needs {package} (the '{fmt}' extra): pip install {package}"
    ]


def test_reading_yaml_without_the_extra_names_the_file(run: CLI, work: pathlib.Path, base_install: None) -> None:
    _write(work / "a.yaml", "config_class: RFDETRNanoConfig\n")
    assert run("validate", "a.yaml").lines == [
        "a.yaml: reading YAML needs PyYAML (the 'yaml' extra): pip install PyYAML"
    ]


def test_schema_command(run: CLI) -> None:
    schema = run("schema", "TrainConfig").json()
    assert schema["required"] == ["dataset_dir"]
    assert schema["properties"]["config_class"] == {
        "const": "TrainConfig",
        "description": rc.files.HEADER["config_class"],
    }


# diff


def test_diff_exits_1_when_the_files_differ(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", {"config_class": "TrainConfig", "dataset_dir": "d", "epochs": 5})
    _write(work / "b.yaml", "config_class: TrainConfig\ndataset_dir: ./d\nepochs: 6\n")
    done = run("diff", "a.json", "b.yaml")
    assert done.code == 1, done
    assert done.json() == {"epochs": [5, 6]}  # "d" and "./d" resolve to the same directory
    same = run("diff", "a.json", "a.json")
    assert (same.code, same.json()) == (0, {})


def test_diff_compares_across_classes(run: CLI, work: pathlib.Path) -> None:
    _write(work / "t.json", {"config_class": "TrainConfig", "dataset_dir": None})
    _write(work / "s.json", {"config_class": "SegmentationTrainConfig", "dataset_dir": None})
    done = run("diff", "t.json", "s.json")
    assert done.code == 1
    changed = done.json()
    assert changed["config_class"] == ["TrainConfig", "SegmentationTrainConfig"]
    only_in_b = set(rc.SegmentationTrainConfig.__rfdetr_order__) - set(rc.TrainConfig.__rfdetr_order__)
    assert only_in_b
    assert all(changed[name][0] == "(not in A)" for name in only_in_b)
    _write(work / "m.json", {"config_class": "RFDETRNanoConfig"})
    assert run("diff", "t.json", "m.json").code == 1


def test_diff_tells_numbers_and_booleans_apart_and_nan_equal(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", '{"config_class": "TrainConfig", "dataset_dir": null, "notes": [1, true, NaN]}')
    _write(work / "b.json", '{"config_class": "TrainConfig", "dataset_dir": null, "notes": [1.0, 1, NaN]}')
    assert run("diff", "a.json", "b.json").json() == {
        "notes": [
            [1, True, pytest.approx(float("nan"), nan_ok=True)],
            [1.0, 1, pytest.approx(float("nan"), nan_ok=True)],
        ]
    }
    assert run("diff", "a.json", "a.json").code == 0


def test_diff_with_a_bad_file_exits_2_and_names_it(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", {"config_class": "TrainConfig", "dataset_dir": None})
    done = run("diff", "a.json", "nope.json")
    assert (done.code, done.out) == (2, "")  # as diff(1): 1 says "they differ", 2 "trouble"
    _write(work / "bad.json", {"config_class": "TrainConfig", "dataset_dir": None, "batch_size": 0})
    assert run("diff", "a.json", "bad.json").code == 2
    assert done.lines == ["nope.json: cannot be read: no such file or directory"]


def test_diff_reads_standard_input(run: CLI, work: pathlib.Path) -> None:
    _write(work / "a.json", {"config_class": "RFDETRNanoConfig", "num_classes": 3})
    as_json = run("diff", "-", "a.json", stdin=b'{"config_class": "RFDETRNanoConfig"}')
    assert as_json.code == 1
    assert as_json.json() == {"num_classes": [90, 3]}
    as_yaml = run(
        "diff", "-", "a.json", "--input-format", "yaml", stdin=b"config_class: RFDETRNanoConfig\nnum_classes: 3\n"
    )
    assert (as_yaml.code, as_yaml.json()) == (0, {})


# The process: interrupts, pipes, our own bugs.


def test_ctrl_c_exits_130_with_one_line(run: CLI, work: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_inputs, "read", interrupted)
    done = run("validate", "a.json")
    assert (done.code, done.lines) == (130, ["rfdetr-config: interrupted"])


def test_a_closed_pipe_is_not_an_error(run: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(*_: Any, **__: Any) -> Any:
        raise BrokenPipeError

    monkeypatch.setattr(cli_show, "print_json", closed)
    done = run("schema", "TrainConfig")
    assert (done.code, done.err) == (0, "")


def test_a_bug_of_ours_is_still_one_line(run: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise TypeError("something\nwe did not expect")

    monkeypatch.setattr(cli_show, "json_schema", broken)
    done = run("schema", "TrainConfig")
    assert (done.code, done.lines) == (1, ["rfdetr-config: internal error: TypeError: something we did not expect"])


def test_python_dash_m_runs_the_same_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["rfdetr_config", "--version"])
    with pytest.raises(SystemExit) as stop:
        runpy.run_module("rfdetr_config", run_name="__main__")
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("rfdetr-config ")


# Releases: --release and the file's own rfdetr_release.


def test_show_takes_any_release(run: CLI) -> None:
    newest = run("show", "TrainConfig", "--release", "1.11.2")
    assert newest.code == 0
    assert any(line.startswith("multi_scale ") and "'per-batch'" in line for line in newest.out.splitlines())
    oldest = run("show", "TrainConfig", "--release", "1.8.1")
    assert not any(line.startswith("multi_scale ") and "'per-batch'" in line for line in oldest.out.splitlines())
    assert run("schema", "TrainConfig", "--release", "1.9.3").json()["properties"]["rfdetr_release"]["enum"] == [
        "1.9.0",
        "1.9.1",
        "1.9.2",
        "1.9.3",
        "1.9.4",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "TrainConfig", "--release", "99.0.0"], "unsupported rfdetr release '99.0.0'; supported: 1.8.1,"),
        (["show", "TrainConfg", "--release", "1.9.0"], "unknown class 'TrainConfg'; did you mean 'TrainConfig'?"),
        (["validate", "x.json", "--class", "Nano"], "unknown class 'Nano'"),
    ],
)
def test_a_wrong_release_or_class_is_a_usage_error(run: CLI, argv: List[str], message: str) -> None:
    done = run(*argv)
    assert done.code == 2
    assert len(done.lines) == 1
    assert message in done.err


def test_a_file_carries_its_release_and_is_read_with_its_classes(run: CLI, work: pathlib.Path) -> None:
    written = run("show", "TrainConfig", "--release", "1.11.2", "--format", "json")
    path = work / "t.json"
    path.write_text(written.out)
    assert written.json()["rfdetr_release"] == "1.11.2"  # the release asked for, not its group's first
    assert run("validate", str(path), "-q").code == 0
    assert run("validate", str(path), "-q", "--release", "1.11.2").code == 0
    refused = run("validate", str(path), "-q", "--release", "1.8.1")
    assert refused.code == 1
    assert refused.lines == [
        f"{path}: rfdetr_release: the file is for another rfdetr release: rfdetr 1.8.1 was asked for "
        "(rfdetr-config changes 1.11.2 1.8.1 says what differs) (got '1.11.2')"
    ]


def test_a_file_without_a_release_is_read_as_the_release_asked_for(run: CLI, work: pathlib.Path) -> None:
    path = work / "t.json"
    path.write_text(json.dumps({"config_class": "TrainConfig", "dataset_dir": None, "multi_scale": "per-sample"}))
    assert run("validate", str(path), "-q", "--release", "1.11.0").code == 0
    assert run("validate", str(path), "-q").code == 0  # the package's own release, rfdetr 1.11.2
    assert run("validate", str(path), "-q", "--release", "1.8.1").code == 1  # there multi_scale is a bool
