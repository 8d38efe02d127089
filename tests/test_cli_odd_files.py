"""The command line on odd inputs: every file of ``tests/odd_files``, and those a checkout cannot hold.

Each input must end without a traceback, with exit status 0, 1 or 2, and with exactly one stderr line per
problem and per warning, each naming the input first. The table below says what each one must give, so
that a new odd file comes with its expected outcome.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
from typing import Dict, List, Optional, Tuple

import pytest

from .test_cli import CLI, Run, run  # noqa: F401 - the in-process fixture

ODD_FILES = pathlib.Path(__file__).resolve().parent / "odd_files"

# file name: (exit status, a line of stderr it must contain, or None when it must print nothing there)
EXPECTED: Dict[str, Tuple[int, Optional[str]]] = {
    "alias_bomb.yaml": (
        1,
        ": notes: holds more than 1,000,000 values (YAML aliases counted as often as they are used)",
    ),
    "binary_not_utf8.yaml": (1, ": notes.blob: binary data that is not UTF-8 text, which a file cannot hold"),
    "bom.json": (0, None),
    "bom.toml": (0, None),
    "bom.yaml": (0, None),
    "class_is_a_list.json": (1, ": config_class: must be text (got ['TrainConfig'])"),
    "class_typo.json": (1, ": config_class: unknown configuration class; did you mean 'TrainConfig'?"),
    "comments_only.yaml": (1, ": must be a mapping of field names to values, not null"),
    "control_character.yaml": (1, ":2:10: not valid YAML: the character '\\x07' is not allowed"),
    "dates.toml": (0, None),
    "dates_sets_binary.yaml": (0, None),
    "deep_600.json": (1, ": notes: nested more than 200 levels deep"),
    "deep_600.toml": (1, ": nested more than 200 levels deep"),
    "deep_600.yaml": (1, "nested more than 200 levels deep"),
    "duplicate_keys.json": (1, ":5:3: duplicate key 'epochs' (first given on line 4)"),
    "duplicate_keys.toml": (1, ":3:13: not valid TOML: Cannot overwrite a value"),
    "duplicate_keys.yaml": (1, ":4:1: not valid YAML: duplicate key 'epochs' (first given on line 3)"),
    "empty.json": (1, ": is empty"),
    "empty.toml": (1, ": is empty"),
    "empty.yaml": (1, ": is empty"),
    "every_field_wrong.json": (1, ": epoch: unknown field; did you mean 'epochs'? (got 'epoch')"),
    "huge_integer.json": (1, ":1:63: not valid JSON: an integer with more than 4300 digits"),
    "huge_integer.toml": (1, ":2:9: not valid TOML: an integer with more than 4300 digits"),
    "huge_integer.yaml": (1, ":2:8: not valid YAML: an integer with more than 4300 digits"),
    "impossible_date.yaml": (1, ":2:8: not valid YAML: day is out of range for month"),
    "keys_that_collide.yaml": (1, ": notes['1']: two keys are written as this same text (got '1')"),
    "latin1.json": (1, ":2:17: is not UTF-8 text (byte 0xe9)"),
    "list.json": (1, ": must be a mapping of field names to values, not a list"),
    "lone_surrogate.json": (1, ": project: text that is not valid Unicode (a lone surrogate)"),
    "nan_in_a_range.json": (1, ": auto_batch_ema_headroom: auto_batch_ema_headroom must be in (0, 1]. (got nan)"),
    "nan_in_notes.json": (0, None),
    "no_class.json": (1, ': no class given: pass --class NAME, or add "config_class": NAME to the file'),
    "no_suffix": (1, ": unknown file type (no suffix): use .json, .toml, .yaml or .yml"),
    "nul_byte.json": (1, ":1:53: not valid JSON: Expecting property name enclosed in double quotes"),
    "null_fields_not_a_list.toml": (1, ": null_fields: must be a list of field names (got 3)"),
    "python_tag.yaml": (1, ":3:8: not valid YAML: the tag !!python/object/apply:os.system is not allowed"),
    "scalar.yaml": (1, ": must be a mapping of field names to values, not text"),
    "syntax_error.json": (1, ":3:9: not valid JSON: Expecting value"),
    "syntax_error.toml": (1, ":2:6: not valid TOML: Invalid value"),
    "syntax_error.yaml": (1, ":3:1: not valid YAML: did not find expected ',' or ']'"),
    "two_documents.yaml": (1, ":2:1: not valid YAML: but found another document"),
    "unhashable_key.yaml": (1, ":3:5: not valid YAML: found unhashable key"),
    "unknown_suffix.ini": (1, ": unknown file type ('.ini'): use .json, .toml, .yaml or .yml"),
    "unterminated.toml": (1, ":2:24: not valid TOML: Unterminated string"),
    "utf16.json": (1, ": is UTF-16 text; save it as UTF-8"),
    "valid.json": (0, None),
    "warns_over_lines.json": (0, ": PretrainWeightsCompatibilityWarning: RFDETRNanoConfig was instantiated"),
    "whitespace.json": (1, ": is empty"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Tuple[str, int, str]]:
    """Inputs a checkout cannot hold: by name, the path to pass, the exit status, and a line of stderr."""
    root = tmp_path_factory.mktemp("made")
    (root / "loop_a.json").symlink_to(root / "loop_b.json")
    (root / "loop_b.json").symlink_to(root / "loop_a.json")
    (root / "dangling.json").symlink_to(root / "nowhere.json")
    (root / "directory.json").mkdir()
    (root / "new\nline.json").write_text('{"config_class": "TrainConfig", "lr": }')
    return {
        "symlink loop": (str(root / "loop_a.json"), 1, ": cannot be read: too many levels of symbolic links"),
        "dangling symlink": (str(root / "dangling.json"), 1, ": cannot be read: no such file or directory"),
        "directory": (str(root / "directory.json"), 1, ": cannot be read: is a directory"),
        "bare directory": (str(root), 1, ": cannot be read: is a directory"),
        "missing": (str(root / "missing.json"), 1, ": cannot be read: no such file or directory"),
        "newline in the name": (
            str(root / "new\nline.json"),
            1,
            "new\\nline.json:1:39: not valid JSON: Expecting value",
        ),
        "a device": (os.devnull, 1, ": unknown file type (no suffix)"),
    }


def _odd_files() -> List[str]:
    return sorted(path.name for path in ODD_FILES.iterdir() if not path.name.startswith("."))


def test_every_odd_file_has_an_expected_outcome() -> None:
    assert _odd_files() == sorted(EXPECTED)


def _check(done: Run, name: str, code: int, expected: Optional[str]) -> None:
    """The rules every run must keep, then the outcome expected for this input."""
    assert done.code in (0, 1, 2)
    assert "Traceback" not in done.err
    assert "internal error" not in done.err
    record = json.loads(done.out)
    assert record["valid"] is (done.code == 0)
    assert len(done.lines) == len(record["errors"]) + len(record["warnings"])  # one line per problem
    shown = name.replace("\n", "\\n")
    assert all(line.startswith(shown) for line in done.lines)
    assert all(line.count(shown) == 1 for line in done.lines)  # the file is named once
    assert not any(line.endswith("(got None)") for line in done.lines)
    assert done.code == code, done
    if expected is None:
        assert done.err == ""
    else:
        assert any(expected in line for line in done.lines), done.lines


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_odd_file(run: CLI, name: str) -> None:  # noqa: F811
    path = str(ODD_FILES / name)
    code, expected = EXPECTED[name]
    _check(run("validate", "--jsonl", path), path, code, expected)


@pytest.mark.parametrize(
    "case",
    ["symlink loop", "dangling symlink", "directory", "bare directory", "missing", "newline in the name", "a device"],
)
def test_odd_input_a_checkout_cannot_hold(run: CLI, made: Dict[str, Tuple[str, int, str]], case: str) -> None:  # noqa: F811
    path, code, expected = made[case]
    _check(run("validate", "--jsonl", path), path, code, expected)


def test_odd_files_on_the_base_install(run: CLI, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Without PyYAML every YAML file is one line naming the missing extra; the rest is as before."""
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    for name in _odd_files():
        path = str(ODD_FILES / name)
        code, expected = EXPECTED[name]
        if name.endswith(".yaml") and expected != ": is empty":  # emptiness is found before parsing
            code, expected = 1, ": reading YAML needs PyYAML (the 'yaml' extra): pip install PyYAML"
        _check(run("validate", "--jsonl", path), path, code, expected)


def test_every_odd_file_at_once_with_each_command(run: CLI) -> None:  # noqa: F811
    paths = [str(ODD_FILES / name) for name in _odd_files()]
    together = run("validate", *paths)
    assert together.code == 1
    records = json.loads(together.out)
    assert [r["file"] for r in records] == paths
    assert len(together.lines) == sum(len(r["errors"]) + len(r["warnings"]) for r in records)
    with_class = run("validate", "-q", "--class", "TrainConfig", *paths)
    assert with_class.code == 1
    assert "Traceback" not in with_class.err
    valid = str(ODD_FILES / "valid.json")
    for path in paths:
        for command in (["diff", valid, path], ["diff", path, valid], ["validate", "-", "--input-format", "yaml"]):
            stdin = pathlib.Path(path).read_bytes() if command[1] == "-" else b""
            done = run(*command, stdin=stdin)
            assert done.code in ((0, 1, 2) if command[0] == "diff" else (0, 1)), (command, done)
            assert "internal error" not in done.err
