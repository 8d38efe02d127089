"""Replay rfdetr 1.8.1's recorded behaviour on rfdetr_config: same decisions, values, types, warnings.

The vectors come from ``record.py`` run against the reference; this module needs neither torch nor
pydantic. Two differences are allowed, both documented: unknown keys are rejected by name (rfdetr's
``TrainConfig`` drops them; with ``unknown_keys="ignore"`` ours must then match it exactly), and
where the reference crashes (a bare ``TypeError`` or ``ZeroDivisionError``) ours raises
:class:`ConfigError`. The constructor raises Python's own ``TypeError`` for unknown or missing
keywords, as any function does. Recorded sequences of validated assignments are replayed through
:func:`rfdetr_config.replace`, which must give the same values, fields set and warnings; where an
assignment is refused, ``replace`` reports every bad change rather than only the first.
"""

from __future__ import annotations

import collections
import os
import warnings
from typing import Any, Iterator

import pytest

import rfdetr_config as rc

from . import vectors_format as vf

LEGACY_DEVICE = "'mkldnn' is no longer used as device type"


@pytest.fixture(scope="module")
def by_class() -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for record in vf.read():
        grouped[record["cls"]].append(record)
    return grouped


@pytest.fixture(autouse=True)
def fixed_environment() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("HOME", "RF_HOME")}
    cwd = os.getcwd()
    vf.prepare_environment()
    try:
        yield
    finally:
        os.chdir(cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _attempt(call: Any) -> tuple[str, Any, list[list[str]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", call())
        except rc.ConfigError as error:
            result = ("config_error", error)
        except TypeError as error:
            result = ("type_error", error)
    notes = [[w.category.__name__, str(w.message)] for w in caught if not str(w.message).startswith(LEGACY_DEVICE)]
    return result[0], result[1], notes


def _locs(error: rc.ConfigError) -> list[list[Any]]:
    out: list[list[Any]] = []
    for detail in error.details:
        loc = list(detail.loc)
        if loc not in out:
            out.append(loc)
    return out


def check_assignments(record: dict[str, Any]) -> str | None:
    """``replace`` against the reference's validated assignments, one after another."""
    cls = getattr(rc, record["cls"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = cls(**vf.decode(record["input"]))
    changes = {name: vf.decode(value) for name, value in record["changes"]}
    kind, value, notes = _attempt(lambda: rc.replace(start, **changes))
    if record["ok"]:
        if kind != "ok":
            return f"reference assigns, ours {kind}: {value}"
        if not vf.same(rc.unstructure(value), vf.decode(record["dump"])):
            return "values differ after the assignments"
        if sorted(rc.fields_set(value)) != record["set"]:
            return f"fields set {sorted(rc.fields_set(value))} != {record['set']}"
        return None if notes == record["warnings"] else f"warnings {notes} != {record['warnings']}"
    if kind != "config_error":
        return f"FALSE ACCEPT: the reference refuses the assignment, ours {kind}"
    ours = _locs(value)
    if any(loc[0] not in changes for loc in ours):
        return f"errors off the changed fields: {ours}"
    expected = [vf.decode(loc) for loc in record.get("locs", [])]
    return None if all(loc in ours for loc in expected) else f"locations {ours} miss {expected}"


def check(record: dict[str, Any]) -> str | None:
    """None when rfdetr_config agrees with the recorded reference outcome, else what differs."""
    if record["path"] == "assign":
        return check_assignments(record)
    cls = getattr(rc, record["cls"])
    data = vf.decode(record["input"])
    names = {p.name for p in cls.__rfdetr_plan__}
    unknown = [k for k in data if k not in names]
    required = [p.name for p in cls.__rfdetr_plan__ if p.required]
    missing = [n for n in required if n not in data]
    kwargs_path = record["path"] == "kwargs"
    call = (lambda: cls(**data)) if kwargs_path else (lambda: rc.structure(data, cls))
    kind, value, notes = _attempt(call)

    if unknown or (missing and kwargs_path):
        if kwargs_path:
            return None if kind == "type_error" else f"expected TypeError for {unknown or missing}, got {kind}"
        if kind != "config_error":
            return f"unknown keys {unknown} accepted"
        locs = _locs(value)
        if any([k] not in locs for k in unknown):
            return f"unknown keys {unknown} not all named: {locs}"
        if record["cls"] in ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig"):
            kind, value, notes = _attempt(lambda: rc.structure(data, cls, unknown_keys="ignore"))
        else:
            return None
    if record["ok"]:
        if kind != "ok":
            return f"reference accepts, ours {kind}: {value}"
        dump = rc.unstructure(value)
        expected = vf.decode(record["dump"])
        if not vf.same(dump, expected):
            diff = {k: (dump.get(k), expected.get(k)) for k in expected if not vf.same(dump.get(k), expected.get(k))}
            return f"dump differs (ours, reference): {diff or list(dump)}"
        if sorted(rc.fields_set(value)) != record["set"]:
            return f"fields set {sorted(rc.fields_set(value))} != {record['set']}"
        if notes != record["warnings"]:
            return f"warnings {notes} != {record['warnings']}"
        return None
    if kind == "ok":
        return f"FALSE ACCEPT: reference rejects ({record.get('crash') or record.get('locs')}), ours accepts"
    if kind != "config_error":
        return f"expected ConfigError, got {kind}: {value}"
    if "crash" in record:
        return None if all(loc[0] in data for loc in _locs(value)) else f"crash reported off the input: {_locs(value)}"
    expected_locs = [vf.decode(loc) for loc in record["locs"]]
    if sorted(map(repr, _locs(value))) != sorted(map(repr, expected_locs)):
        return f"error locations {_locs(value)} != {expected_locs}"
    if notes != record["warnings"]:
        return f"warnings {notes} != {record['warnings']}"
    return None


CLASS_NAMES = [cls.__name__ for cls in rc.CONFIG_CLASSES]


@pytest.mark.parametrize("class_name", CLASS_NAMES)
def test_agrees_with_reference(by_class: dict[str, list[dict[str, Any]]], class_name: str) -> None:
    records = by_class[class_name]
    assert records, f"no vectors recorded for {class_name}"
    failures = []
    for record in records:
        problem = check(record)
        if problem is not None:
            failures.append(f"{record['path']} {record['label']} {vf.decode(record['input'])!r}: {problem}")
    assert not failures, f"{len(failures)} of {len(records)} disagree:\n" + "\n".join(failures[:25])


def test_corpus_size(by_class: dict[str, list[dict[str, Any]]]) -> None:
    records = [r for rs in by_class.values() for r in rs]
    assert sum(r["path"] != "assign" for r in records) // 2 >= 20_000
    assert sum(r["path"] == "assign" for r in records) >= 1_000
    assert sorted(by_class) == sorted(CLASS_NAMES)
