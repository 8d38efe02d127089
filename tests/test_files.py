from __future__ import annotations

import datetime
import json
import math
import pathlib
import sys
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config import files
from rfdetr_config.files import reading
from rfdetr_config.files.formats import yaml as yaml_format
from rfdetr_config.strategies import instances

from .conftest import all_classes

CLASSES = all_classes()
ROOT = pathlib.Path(__file__).resolve().parent.parent
FORMATS = ("json", "toml", "yaml")


@pytest.fixture(autouse=True)
def _quiet(quiet: None) -> None:
    """Every test here builds configurations whose warnings are not the point."""


def _error(call: Any) -> rc.ConfigError:
    with pytest.raises(rc.ConfigError) as caught:
        call()
    return caught.value


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Round trips.


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
    assert type(rc.load(path)) is cls  # the file names its class
    # an untouched default path is normalised when loaded, as rfdetr does with model_dump() output
    for name in ("output_dir", "pretrain_weights"):
        if hasattr(config, name) and name not in rc.fields_set(config):
            return
    assert again == config


@CLASSES
@pytest.mark.parametrize("fmt", ["json", "yaml"])
@settings(max_examples=10)
@given(data=st.data())
def test_one_round_trip_reaches_a_fixed_point(cls: type[rc.BaseConfig], fmt: files.Format, data: st.DataObject) -> None:
    first = rc.dumps(data.draw(instances(cls)), fmt=fmt)
    second = rc.dumps(rc.loads(first, fmt=fmt), fmt=fmt)
    assert rc.dumps(rc.loads(second, fmt=fmt), fmt=fmt) == second


def test_toml_writes_nulls_as_a_list(tmp_path: pathlib.Path) -> None:
    config = rc.TrainConfig(dataset_dir=None, output_dir="out")
    path = tmp_path / "train.toml"
    rc.dump(config, path)
    text = path.read_text()
    assert "null_fields = [" in text
    assert rc.load(path, rc.TrainConfig) == config


def test_toml_names_each_null_it_cannot_hold() -> None:
    config = rc.TrainConfig(dataset_dir=None, notes={"a": [1, None], "b": None})
    error = _error(lambda: rc.dumps(config, fmt="toml"))
    assert [d.loc for d in error.details] == [("notes", "a", 1), ("notes", "b")]
    assert "TOML cannot hold" in str(error)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("null_fields = 3", "null_fields: must be a list of field names"),
        ("epochs = 3\nnull_fields = ['epochs']", "epochs: is listed in null_fields and also has a value"),
    ],
)
def test_toml_null_fields_are_checked(text: str, problem: str) -> None:
    assert problem in str(_error(lambda: rc.loads(text, rc.TrainConfig, fmt="toml")))


def test_loads_and_dumps_strings() -> None:
    config = rc.RFDETRNanoConfig(num_classes=3, pretrain_weights=None)
    for fmt in FORMATS:
        assert rc.loads(rc.dumps(config, fmt=fmt), rc.RFDETRNanoConfig, fmt=fmt) == config


# The header: the class key.


@pytest.mark.parametrize("fmt", FORMATS)
def test_dump_writes_the_class_first_and_unstructure_does_not(fmt: files.Format) -> None:
    config = rc.KeypointTrainConfig(dataset_dir=None)
    text = rc.dumps(config, fmt=fmt)
    assert text.splitlines()[0 if fmt != "json" else 1].replace('"', "").replace(" =", ":").strip(" ,") == (
        "config_class: KeypointTrainConfig"
    )
    assert "config_class" not in rc.unstructure(config)


def test_load_without_a_class_reads_the_class_the_file_names(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "model.json"
    rc.dump(rc.RFDETRSegNanoConfig(num_classes=4), path)
    loaded = rc.load(path)
    assert type(loaded) is rc.RFDETRSegNanoConfig
    assert loaded.num_classes == 4


def test_the_class_key_is_optional_when_the_caller_names_the_class() -> None:
    assert rc.loads('{"num_classes": 2}', rc.RFDETRNanoConfig).num_classes == 2
    named = '{"config_class": "RFDETRNanoConfig", "num_classes": 2}'
    assert rc.loads(named, rc.RFDETRNanoConfig).num_classes == 2


def test_the_class_key_must_agree_with_the_named_class() -> None:
    error = _error(lambda: rc.loads('{"config_class": "RFDETRNanoConfig"}', rc.TrainConfig, source="m.json"))
    assert str(error) == (
        "1 error in m.json:\n  config_class: the file holds another class than the TrainConfig asked for "
        "(got 'RFDETRNanoConfig')"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"num_classes": 2}', "config_class: is required when no class is given: name the class in the file"),
        ('{"config_class": "TrainConfg"}', "config_class: unknown configuration class; did you mean 'TrainConfig'?"),
        ('{"config_class": "Nope"}', "config_class: unknown configuration class (got 'Nope')"),
        ('{"config_class": ["TrainConfig"]}', "config_class: must be text (got ['TrainConfig'])"),
        ('{"config_class": null}', "config_class: must be text (got None)"),
    ],
)
def test_the_class_key_problems_are_named(text: str, message: str) -> None:
    assert message in str(_error(lambda: rc.loads(text)))


def test_structure_points_files_to_load() -> None:
    error = _error(lambda: rc.structure({"config_class": "TrainConfig", "dataset_dir": None}, rc.TrainConfig))
    assert "config_class: a file's header key, not a field" in str(error)
    kept = rc.structure({"config_class": "TrainConfig", "dataset_dir": None}, rc.TrainConfig, unknown_keys="ignore")
    assert kept == rc.TrainConfig(dataset_dir=None)


def test_one_header_table_declares_every_header_key() -> None:
    assert list(files.HEADER) == list(files.header_of(rc.TrainConfig)) == ["config_class", "rfdetr_release"]
    header, fields = files.split_header({"config_class": "TrainConfig", "epochs": 3}, "x")
    assert (header, fields) == ({"config_class": "TrainConfig"}, {"epochs": 3})
    assert rc.json_schema(rc.TrainConfig)["properties"]["config_class"]["const"] == "TrainConfig"


# Errors: the file once, the line and the column, no "(got None)".


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        ("bad.json", '{\n  "epochs": 3,\n  "lr": ,\n}', "line 3, column 9: not valid JSON: Expecting value"),
        ("bad.toml", "epochs = 3\nlr = = 1\n", "line 2, column 6: not valid TOML: Invalid value"),
        ("bad.yaml", "epochs: 3\nlr: [1, 2\n", "line 3, column 1: not valid YAML:"),
        ("end.toml", "epochs = 3\nlr = [1,\n", "line 2, column 9: not valid TOML: Invalid value"),
    ],
)
def test_syntax_errors_name_the_file_once_with_line_and_column(
    tmp_path: pathlib.Path, name: str, text: str, place: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    message = str(_error(lambda: rc.load(path, rc.TrainConfig)))
    assert message.startswith(f"1 error in {path}:\n  {place}")
    assert message.count(name) == 1
    assert "(got None)" not in message
    detail = _error(lambda: rc.load(path, rc.TrainConfig)).errors()[0]
    assert detail["type"] == "syntax"
    assert set(detail["ctx"]) == {"line", "column"}


def test_validation_errors_name_the_file_and_class(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"dataset_dir": None, "epochs": "many"}))
    error = _error(lambda: rc.load(path, rc.TrainConfig))
    assert str(error).startswith(f"1 error in {path} (TrainConfig):\n  epochs: must be an integer")
    assert error.errors()[0]["loc"] == ("epochs",)


def test_unreadable_files_say_why_once(tmp_path: pathlib.Path) -> None:
    assert str(_error(lambda: rc.load(tmp_path / "missing.json"))) == (
        f"1 error in {tmp_path / 'missing.json'}:\n  cannot be read: no such file or directory"
    )
    assert "cannot be read: is a directory" in str(_error(lambda: rc.load(tmp_path)))
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert "too many levels of symbolic links" in str(_error(lambda: rc.load(tmp_path / "a.json")))
    (tmp_path / "train.ini").write_text("num_classes = 2")
    assert "unknown file type ('.ini'): use .json" in str(_error(lambda: rc.load(tmp_path / "train.ini")))
    assert rc.load(tmp_path / "train.ini", rc.RFDETRNanoConfig, fmt="toml") == rc.RFDETRNanoConfig(num_classes=2)


def test_missing_extras_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "tomli_w", None)
    config = rc.TrainConfig(dataset_dir=None)
    assert str(_error(lambda: rc.dumps(config, fmt="yaml"))) == (
        "1 error in YAML text:\n  writing YAML needs PyYAML (the 'yaml' extra): pip install PyYAML"
    )
    assert "writing TOML needs tomli-w (the 'toml' extra)" in str(_error(lambda: rc.dumps(config, fmt="toml")))
    assert "reading YAML needs PyYAML" in str(_error(lambda: rc.loads("a: 1", rc.TrainConfig, fmt="yaml")))


def test_dump_names_the_file_and_writes_nothing_when_it_fails(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = tmp_path / "train.yaml"
    assert str(_error(lambda: rc.dump(rc.TrainConfig(dataset_dir=None), path))).startswith(f"1 error in {path}:")
    assert not path.exists()


# Every option is checked.


@pytest.mark.parametrize(
    "call",
    [
        lambda: rc.loads("{}", rc.TrainConfig, fmt="xml"),  # type: ignore[arg-type]
        lambda: rc.loads("{}", rc.TrainConfig, fmt="JSON"),  # type: ignore[arg-type]
        lambda: rc.dumps(rc.RFDETRNanoConfig(), fmt="xml"),  # type: ignore[arg-type]
        lambda: rc.load("x.json", rc.TrainConfig, fmt="yml"),  # type: ignore[arg-type]
        lambda: files.parse("{}", "xml"),  # type: ignore[arg-type]
        lambda: rc.structure({"dataset_dir": None}, rc.TrainConfig, unknown_keys="Forbid"),  # type: ignore[arg-type]
        lambda: rc.structure({"dataset_dir": None}, rc.TrainConfig, unknown_keys="drop"),  # type: ignore[arg-type]
        lambda: rc.loads("{}", rc.TrainConfig, unknown_keys="Ignore"),  # type: ignore[arg-type]
        lambda: rc.load("x.json", rc.TrainConfig, unknown_keys=None),  # type: ignore[arg-type]
    ],
)
def test_options_outside_their_literal_raise_value_error(call: Any) -> None:
    with pytest.raises(ValueError, match=r"^(fmt|unknown_keys) must be ") as caught:
        call()
    assert not isinstance(caught.value, rc.ConfigError)


def test_unknown_keys_ignore_is_passed_through() -> None:
    loaded = rc.loads('{"dataset_dir": null, "epoch": 3}', rc.TrainConfig, unknown_keys="ignore")
    assert loaded.epochs == rc.TrainConfig(dataset_dir=None).epochs


# Duplicate keys are an error in every format.


def test_json_duplicate_keys_are_each_placed() -> None:
    text = '{\n  "epochs": 3,\n  "notes": {"a": 1, "b": [{"x": 1, "x": 2}], "a": 3},\n  "epochs": 4\n}'
    error = _error(lambda: rc.loads(text, rc.TrainConfig, source="d.json"))
    assert str(error) == (
        "3 errors in d.json:\n"
        "  line 3, column 36: duplicate key 'x' (first given on line 3)\n"
        "  line 3, column 46: duplicate key 'a' (first given on line 3)\n"
        "  line 4, column 3: duplicate key 'epochs' (first given on line 2)"
    )


def test_json_keys_equal_once_unescaped_are_duplicates() -> None:
    error = _error(lambda: rc.loads('{"epochs": 1, "\\u0065pochs": 2}', rc.TrainConfig))
    assert "duplicate key 'epochs'" in str(error)


def test_yaml_duplicate_keys_are_placed() -> None:
    error = _error(lambda: rc.loads("epochs: 3\nnotes:\n  a: 1\n  a: 2\n", rc.TrainConfig, fmt="yaml"))
    assert "line 4, column 3: not valid YAML: duplicate key 'a' (first given on line 3)" in str(error)


def test_yaml_merge_keys_may_still_be_overridden() -> None:
    text = "dataset_dir: null\nnotes:\n  base: &b {x: 1, y: 2}\n  over: {<<: *b, x: 3}\n"
    assert rc.loads(text, rc.TrainConfig, fmt="yaml").notes["over"] == {"x": 3, "y": 2}


def test_toml_duplicate_keys_are_placed() -> None:
    error = _error(lambda: rc.loads("epochs = 3\nepochs = 4\n", rc.TrainConfig, fmt="toml"))
    assert "line 2, column 11: not valid TOML: Cannot overwrite a value" in str(error)


# Text: UTF-8 with an optional byte order mark, in every format.


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".json", '{"config_class": "RFDETRNanoConfig", "num_classes": 2}'),
        (".toml", 'config_class = "RFDETRNanoConfig"\nnum_classes = 2\n'),
        (".yaml", "config_class: RFDETRNanoConfig\nnum_classes: 2\n"),
    ],
)
def test_a_byte_order_mark_is_read_in_every_format(tmp_path: pathlib.Path, suffix: str, text: str) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert rc.load(path).num_classes == 2  # type: ignore[attr-defined]
    assert rc.loads("\ufeff" + text, fmt=suffix[1:]).num_classes == 2  # type: ignore[arg-type, attr-defined]


def test_text_that_is_not_utf8_is_placed(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"config_class": "TrainConfig",\n "project": "caf\xe9"}')
    assert str(_error(lambda: rc.load(path))).endswith("line 2, column 17: is not UTF-8 text (byte 0xe9)")
    path.write_bytes('{"dataset_dir": null}'.encode("utf-16"))
    assert str(_error(lambda: rc.load(path))).endswith("is UTF-16 text; save it as UTF-8")


# Values JSON cannot hold: the JSON form, as rfdetr's model_dump(mode="json") writes them.


def test_yaml_and_toml_dates_sets_and_bytes_become_what_rfdetr_writes() -> None:
    yaml_text = (
        "dataset_dir: null\nnotes:\n  day: 2024-05-01\n  at: 2001-12-14t21:59:43.10-05:00\n"
        "  utc: 2001-12-14 21:59:43Z\n"
        "  tags: !!set {b, a, c}\n  blob: !!binary aGk=\n  pairs: !!omap [x: 1, y: 2]\n  2: two\n  true: yes\n"
        "  null: nothing\n  2024-01-02: a day\n"
    )
    notes = rc.loads(yaml_text, rc.TrainConfig, fmt="yaml").notes
    assert notes == {
        "day": "2024-05-01",
        "at": "2001-12-14T21:59:43.100000-05:00",
        "utc": "2001-12-14T21:59:43Z",
        "tags": ["a", "b", "c"],
        "blob": "hi",
        "pairs": [["x", 1], ["y", 2]],
        "2": "two",
        "true": True,
        "None": "nothing",
        "2024-01-02": "a day",
    }
    toml_text = "null_fields = ['dataset_dir']\n[notes]\nday = 1979-05-27\nat = 1979-05-27T07:32:00\nwhen = 07:32:00\n"
    notes = rc.loads(toml_text, rc.TrainConfig, fmt="toml").notes
    assert notes == {"day": "1979-05-27", "at": "1979-05-27T07:32:00", "when": "07:32:00"}


def test_a_config_built_with_a_date_is_written_as_rfdetr_writes_it() -> None:
    config = rc.TrainConfig(
        dataset_dir=None,
        notes={"day": datetime.date(2024, 1, 2), "set": frozenset({3, 1}), "raw": b"ok", 7: (1, 2)},
        aug_config={"at": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)},
    )
    assert config.notes["day"] == datetime.date(2024, 1, 2)  # stored as given, as rfdetr stores it
    for fmt in FORMATS:
        again = rc.loads(rc.dumps(config, fmt=fmt), fmt=fmt)
        assert again.notes == {"day": "2024-01-02", "set": [1, 3], "raw": "ok", "7": [1, 2]}  # type: ignore[attr-defined]
        assert again.aug_config == {"at": "2024-01-02T03:04:05Z"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ({"blob": b"\xff"}, "notes.blob: binary data that is not UTF-8 text, which a file cannot hold"),
        ({"x": object()}, "notes.x: a object, which a file cannot hold"),
        ({1: "a", "1": "b"}, "notes['1']: two keys are written as this same text (got '1')"),
        ({"s": "\ud800"}, "notes.s: text that is not valid Unicode (a lone surrogate)"),
        ({"\udc00": 1}, "notes: a key that is not valid Unicode (a lone surrogate)"),
        ({(1, 2): 1}, "notes: a key that cannot be written as text: tuple"),
    ],
)
def test_values_no_file_can_hold_are_named_by_their_path(notes: Any, message: str) -> None:
    config = rc.TrainConfig(dataset_dir=None, notes=notes)
    for fmt in FORMATS:
        error = _error(lambda fmt=fmt: rc.dumps(config, fmt=fmt))
        assert message in str(error), str(error)


def test_non_utf8_binary_in_a_yaml_file_is_named_by_its_path() -> None:
    error = _error(lambda: rc.loads("dataset_dir: null\nnotes: {blob: !!binary /w==}\n", fmt="yaml", source="b.yaml"))
    assert "notes.blob: binary data that is not UTF-8 text" in str(error)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _distinct_as_text(mapping: dict[Any, Any]) -> bool:
    return len({str(key) for key in mapping}) == len(mapping)


_PYTHON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # non-finite floats: test_non_finite_floats_stay_floats
    | st.text(max_size=5)
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(datetime.timezone.utc))
    | st.times()
    | st.binary(max_size=4).filter(_is_utf8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.frozensets(st.integers() | st.text(max_size=3), max_size=3)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3).filter(_distinct_as_text)
    ),
    max_leaves=8,
)


@given(_PYTHON_VALUES)
def test_the_json_form_is_json_data_and_a_fixed_point(value: Any) -> None:
    form = files.json_form({"notes": value}, "x")
    assert json.loads(json.dumps(form, allow_nan=False)) == form
    assert files.json_form(form, "x") == form


def test_non_finite_floats_stay_floats_in_every_format() -> None:
    config = rc.TrainConfig(dataset_dir=None, notes=[math.inf, -math.inf, math.nan])
    for fmt in FORMATS:
        notes = rc.loads(rc.dumps(config, fmt=fmt), fmt=fmt).notes  # type: ignore[attr-defined]
        assert notes[:2] == [math.inf, -math.inf]
        assert math.isnan(notes[2])


# Bounds: nesting, aliases, size; odd content.


def test_nesting_is_bounded_as_rfdetr_reads_json() -> None:
    assert rc.loads(f'{{"dataset_dir": null, "notes": {_nested(199)}}}', rc.TrainConfig).notes is not None
    error = _error(lambda: rc.loads(f'{{"dataset_dir": null, "notes": {_nested(200)}}}', rc.TrainConfig))
    assert str(error) == "1 error in <string>:\n  notes: nested more than 200 levels deep"


@pytest.mark.parametrize("depth", [600, 100_000])
@pytest.mark.parametrize(
    ("fmt", "template"),
    [("json", '{{"notes": {}}}'), ("toml", "notes = {}"), ("yaml", "notes: {}")],
)
def test_deep_nesting_is_an_error_in_every_format(fmt: files.Format, template: str, depth: int) -> None:
    error = _error(lambda: rc.loads(template.format(_nested(depth)), rc.TrainConfig, fmt=fmt))
    assert "nested more than 200 levels deep" in str(error) or "maximum nesting depth" in str(error)


def test_a_deep_config_built_in_python_is_refused_when_written() -> None:
    deep: Any = 0
    for _ in range(300):
        deep = [deep]
    error = _error(lambda: rc.dumps(rc.TrainConfig(dataset_dir=None, notes=deep)))
    assert "notes: nested more than 200 levels deep" in str(error)


def test_a_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "dataset_dir: null\nnotes:\n" + "\n".join(f"  {line}" for line in lines) + "\n"
    started = time.perf_counter()
    error = _error(lambda: rc.loads(text, rc.TrainConfig, fmt="yaml"))
    assert time.perf_counter() - started < 5
    assert "notes: holds more than 1,000,000 values (YAML aliases counted as often as they are used)" in str(error)


def test_aliases_within_the_bound_are_expanded() -> None:
    text = "dataset_dir: null\nnotes:\n  base: &b [1, 2]\n  again: *b\n"
    assert rc.loads(text, rc.TrainConfig, fmt="yaml").notes == {"base": [1, 2], "again": [1, 2]}


def test_a_file_larger_than_the_bound_is_refused(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"notes": "x" * 200}))
    assert "is larger than" in str(_error(lambda: rc.load(path, rc.TrainConfig)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_huge_integers_are_placed(fmt: files.Format) -> None:
    digits = "1" * 5000
    text = {"json": f'{{"notes": {digits}}}', "toml": f"notes = {digits}", "yaml": f"notes: {digits}"}[fmt]
    message = str(_error(lambda: rc.loads(text, rc.TrainConfig, fmt=fmt)))
    assert "an integer with more than 4300 digits" in message
    assert "line 1, column" in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_text_is_an_error(fmt: files.Format) -> None:
    assert str(_error(lambda: rc.loads(" \n", rc.TrainConfig, fmt=fmt))).endswith("  is empty")


@pytest.mark.parametrize(
    ("text", "fmt", "kind"),
    [("[1, 2]", "json", "a list"), ("- 1\n", "yaml", "a list"), ('"x"', "json", "text"), ("~\n", "yaml", "null")],
)
def test_content_that_is_not_a_mapping(text: str, fmt: files.Format, kind: str) -> None:
    message = str(_error(lambda: rc.loads(text, rc.TrainConfig, fmt=fmt)))
    assert message.endswith(f"must be a mapping of field names to values, not {kind}")


def test_nan_literals_in_json_are_read_and_checked() -> None:
    assert math.isnan(rc.loads('{"dataset_dir": null, "notes": NaN}', rc.TrainConfig).notes)
    text = '{"dataset_dir": null, "auto_batch_ema_headroom": NaN}'
    message = str(_error(lambda: rc.loads(text, rc.TrainConfig)))
    assert "auto_batch_ema_headroom: auto_batch_ema_headroom must be" in message


@pytest.mark.parametrize(
    "text",
    [
        "notes: !!python/object/apply:os.system ['echo owned']\n",
        "notes: !!python/name:os.system\n",
        "notes: !!python/object:collections.OrderedDict {}\n",
        "notes: !custom 1\n",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(text: str) -> None:
    message = str(_error(lambda: rc.loads(text, rc.TrainConfig, fmt="yaml")))
    assert "line 1, column 8: not valid YAML: the tag " in message
    assert "is not allowed: only YAML's standard tags are read" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("notes: 2024-02-30\n", "line 1, column 8: not valid YAML: day is out of range for month"),
        ("a: 1\n---\nb: 2\n", "line 2, column 1: not valid YAML: but found another document"),
        ("notes: \x07\n", "line 1, column 8: not valid YAML: the character '\\x07' is not allowed"),
        ("notes: *nowhere\n", "line 1, column 8: not valid YAML: found undefined alias"),
    ],
)
def test_yaml_errors_are_placed(text: str, problem: str) -> None:
    assert problem in str(_error(lambda: rc.loads(text, rc.TrainConfig, fmt="yaml")))


def test_yaml_uses_the_c_loader_where_it_is_built() -> None:
    yaml = pytest.importorskip("yaml")
    loader = yaml_format._yaml_loader()
    assert issubclass(loader, yaml.SafeLoader if not yaml.__with_libyaml__ else yaml.CSafeLoader)


def test_the_pure_python_yaml_loader_is_as_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    yaml = pytest.importorskip("yaml")
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    yaml_format._yaml_loader.cache_clear()
    try:
        assert not issubclass(yaml_format._yaml_loader(), getattr(yaml, "CLoader", ()))
        assert "duplicate key" in str(_error(lambda: rc.loads("a: 1\na: 2\n", fmt="yaml")))
        assert "nested more than 200" in str(_error(lambda: rc.loads(f"a: {_nested(600)}", fmt="yaml")))
    finally:
        yaml_format._yaml_loader.cache_clear()


# The shipped examples are what the schema accepts.


@pytest.mark.parametrize("name", ["keypoint_train.json", "nano_model.json"])
def test_shipped_good_examples_load_and_match_the_schema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    path = ROOT / "examples" / name
    config = rc.load(path)
    jsonschema.validate(json.loads(path.read_text()), rc.json_schema(type(config)))
    jsonschema.validate(json.loads(rc.dumps(config)), rc.json_schema(type(config)))


def test_the_json_form_of_odd_keys_and_members() -> None:
    class Label(str):
        pass

    form = files.json_form(
        {"notes": {b"raw": frozenset({True, 2, "a", (1, 2)}), Label("label"): Label("text"), 1.5: datetime.time(1, 2)}},
        "x",
    )
    assert form == {"notes": {"raw": [2, True, "a", [1, 2]], "label": "text", "1.5": "01:02:00"}}


def test_a_shared_container_deeper_than_its_first_use_is_too_deep() -> None:
    deep: Any = []
    for _ in range(150):
        deep = [deep]
    holder: Any = deep
    for _ in range(100):
        holder = [holder]
    error = _error(lambda: files.json_form({"a": deep, "b": holder}, "x"))
    assert [d.loc for d in error.details] == [("b",)]


def test_a_config_nested_past_the_interpreter_is_refused_when_written() -> None:
    deep: Any = 0
    for _ in range(5000):
        deep = [deep]
    error = _error(lambda: rc.dumps(rc.TrainConfig(dataset_dir=None, notes=deep)))
    assert "nested more than 200 levels deep" in str(error)


def test_file_errors_pickle() -> None:
    import pickle

    error = _error(lambda: rc.loads('{"a": }', rc.TrainConfig, source="p.json"))
    clone = pickle.loads(pickle.dumps(error))
    assert (type(clone), str(clone), clone.errors()) == (type(error), str(error), error.errors())


def test_load_reads_with_the_release_the_file_names() -> None:
    newer = rc.for_release("1.11.2").TrainConfig(dataset_dir=None, multi_scale="per-sample")  # type: ignore[arg-type]
    text = rc.dumps(newer, exclude_unset=True)
    assert json.loads(text)["rfdetr_release"] == "1.11.2"  # the package's own release
    again = rc.loads(text)
    assert type(again) is type(newer)
    assert again == newer
    assert rc.loads(text, release="1.11.2") == newer
    with pytest.raises(rc.ConfigError, match="the file is for another rfdetr release"):
        rc.loads(text, release="1.9.0")
    with pytest.raises(rc.ConfigError, match=r"TrainConfig is rfdetr 1\.8\.1's"):
        rc.loads(text, rc.for_release("1.8.1").TrainConfig)
    unsupported = text.replace('"1.11.2"', '"0.9"')
    with pytest.raises(rc.ConfigError, match="rfdetr_release: unsupported rfdetr release"):
        rc.loads(unsupported)


def test_a_file_keeps_pydantics_view_of_its_errors() -> None:
    import pickle

    text = '{"config_class": "TrainConfig", "epoch": 5, "batch_size": 0}'
    with pytest.raises(rc.ConfigError) as caught:
        rc.loads(text)
    entries = caught.value.errors()
    assert [(e["type"], e["loc"]) for e in entries] == [("value_error", ())]  # pydantic stops at the unknown key
    assert "did you mean 'epochs'?" in str(caught.value)  # our message still says every problem
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.errors() == entries or [e["type"] for e in again.errors()] == ["value_error"]
