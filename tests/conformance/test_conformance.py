"""Replay rfdetr's recorded behaviour, release by release, on rfdetr_config: same decisions, values, types, warnings.

The vectors come from ``record.py`` run against each release's reference; ``vectors/MANIFEST.json``
lists every release and its files. This module needs neither torch nor pydantic. A release is
replayed on ``rfdetr_config.for_release(release)``; a release the library does not support yet is
skipped, saying so (while the library has no ``for_release``, its top level is rfdetr 1.8.1).

What must agree, record by record: accepted or not; the ``unstructure`` dump (values, exact types,
key order); ``fields_set``; warnings (category, text and order); the type of the stored value of
enum-valued fields (``stored``: an enum member, or a plain ``str``); error locations. Texts are
compared with object addresses masked (``<function f at 0x...>``: they differ between processes).
Records made under another model cache setting (``env``) are replayed under the same setting.

Documented differences, and nothing else:

* Unknown keys are rejected by name. Where the reference drops them (``extra="ignore"``: the training
  classes of 1.8.x), ``unknown_keys="ignore"`` must then give exactly the reference's result.
* Where the reference crashes (a bare ``TypeError`` or ``ZeroDivisionError``), ours raises
  :class:`ConfigError` naming only fields of the input.
* The constructor raises Python's own ``TypeError`` for unknown or missing keywords, as any function
  does (rfdetr raises its ValidationError).
* Recorded sequences of validated assignments are replayed through :func:`rfdetr_config.replace`,
  which must give the same values, fields set and warnings; where an assignment is refused,
  ``replace`` reports every bad change rather than only the first.
* Callables rfdetr cannot rewrite as a dotted path stay in the config as the object itself, as they
  do in rfdetr's ``model_dump()``; the vectors name them (``{"$c": ...}``, see ``callables.py``).

pydantic's ``errors()`` list: every rejection the reference reported with a ValidationError carries its
``errors()`` list (``errors``), and our :meth:`ConfigError.errors` must equal it entry for entry (type, loc,
msg, input, ctx; ``test_errors_are_pydantics``), wherever ours raises a ConfigError at all (not for the
constructor's TypeError above, nor where the reference crashed and has no list); for the 1.8.x classes
that ignore unknown keys, the list of the ``unknown_keys="ignore"`` call is compared.
``tests/conformance/ERRORS_AGREEMENT.md`` says how the list is made and what cannot match.

Error wording: where rfdetr raised a ValueError in its own words (device, unknown parameters,
optimizer and scheduler names, managed kwargs, ``eval_ema_only``, ...), the rules records carry the
text (``msgs``) and ``test_error_wording`` checks that our ConfigError carries it, word for word.
Releases listed in ``WORDING_PENDING`` are known not to yet; their failures are expected (xfail).
"""

from __future__ import annotations

import functools
import hashlib
import json
import warnings
from typing import Any, Iterator

import pytest

import rfdetr_config as rc

from . import vectors_format as vf

LEGACY_DEVICE = "'mkldnn' is no longer used as device type"
TOP_LEVEL_RELEASE = "1.8.1"  # what the top level is while the library has no for_release()
# The replay runs every recorded input through the package, which the other tests cover line by line;
# traced for coverage it would take several times as long.
pytestmark = pytest.mark.no_cover

WORDING_PENDING: set[str] = set()  # releases whose ConfigError does not carry rfdetr's own words yet

MANIFEST = vf.read_manifest()
RELEASES = list(MANIFEST["releases"])


@functools.cache
def declarations(release: str) -> dict[str, Any]:
    return vf.read_declarations(MANIFEST["releases"][release]["declarations"])


class Release:
    """One release's module and declarations, as the checks need them."""

    def __init__(self, name: str, module: Any) -> None:
        self.name = name
        self.module = module
        decl = declarations(name)["classes"]
        self.names = {c: {f["name"] for f in body["fields"]} for c, body in decl.items()}
        self.required = {c: [f["name"] for f in body["fields"] if f.get("required")] for c, body in decl.items()}
        self.ignores_unknown = {c for c, body in decl.items() if body["extra"] == "ignore"}

    def enum(self, enum_name: str, member: str) -> Any:
        return getattr(getattr(self.module, enum_name), member)

    def decode(self, value: Any) -> Any:
        return vf.decode(value, self.enum)


def release_module(release: str) -> Any:
    """``rfdetr_config.for_release(release)``, or a skip that says why there is none."""
    for_release = getattr(rc, "for_release", None)
    if for_release is None:
        if release == TOP_LEVEL_RELEASE:
            return rc
        pytest.skip(f"rfdetr_config has no for_release() yet, so rfdetr {release} cannot be chosen")
    try:
        return for_release(release)
    except ValueError as error:
        pytest.skip(f"rfdetr_config does not support rfdetr {release} yet: {error}")


@pytest.fixture(autouse=True)
def fixed_environment() -> Iterator[None]:
    with vf.prepared_environment():
        yield


def _attempt(call: Any) -> tuple[str, Any, list[list[str]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", call())
        except rc.ConfigError as error:
            result = ("config_error", error)
        except TypeError as error:
            result = ("type_error", error)
    notes = [
        [w.category.__name__, vf.mask_addresses(str(w.message))]
        for w in caught
        if not str(w.message).startswith(LEGACY_DEVICE)
    ]
    return result[0], result[1], notes


def _locs(error: rc.ConfigError) -> list[list[Any]]:
    out: list[list[Any]] = []
    for detail in error.details:
        loc = list(detail.loc)
        if loc not in out:
            out.append(loc)
    return out


def _same_dump(ours: Any, dump_text: str, rel: Release) -> tuple[bool, dict[str, Any]]:
    """Our dump against the recorded one: as text first (the usual case), else value by value."""
    if type(ours) is dict:
        mine = vf.plain_text(ours)
        if mine is not None and mine == vf.untagged_text(dump_text):
            return True, {}
    expected = rel.decode(json.loads(dump_text))
    if vf.same(ours, expected):
        return True, {}
    if isinstance(ours, dict) and isinstance(expected, dict):
        diff = {k: (ours.get(k), expected.get(k)) for k in expected if not vf.same(ours.get(k), expected.get(k))}
        return False, diff or {"keys": list(ours)}
    return False, {"dump": (ours, expected)}


def _agrees(
    record: dict[str, Any], dump_text: str | None, value: Any, notes: list[list[str]], rel: Release
) -> str | None:
    """An accepted result against an accepted record: dump, fields set, stored types, warnings."""
    same, diff = _same_dump(rc.unstructure(value), dump_text or "null", rel)
    if not same:
        return f"dump differs (ours, reference): {diff}"
    if sorted(rc.fields_set(value)) != record["set"]:
        return f"fields set {sorted(rc.fields_set(value))} != {record['set']}"
    for name, type_name in record.get("stored", {}).items():
        if type(getattr(value, name)).__name__ != type_name:
            return f"{name} stored as {type(getattr(value, name)).__name__}, the reference stores {type_name}"
    if notes != record["warnings"]:
        return f"warnings {notes} != {record['warnings']}"
    return None


def check_assignments(record: dict[str, Any], dump_text: str | None, rel: Release) -> tuple[str | None, Any]:
    """``replace`` against the reference's validated assignments, one after another."""
    cls = getattr(rel.module, record["cls"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = cls(**rel.decode(record["input"]))
    changes = {name: rel.decode(value) for name, value in record["changes"]}
    kind, value, notes = _attempt(lambda: rc.replace(start, **changes))
    if record["ok"]:
        if kind != "ok":
            return f"reference assigns, ours {kind}: {value}", None
        return _agrees(record, dump_text, value, notes, rel), None
    if kind != "config_error":
        return f"FALSE ACCEPT: the reference refuses the assignment, ours {kind}", None
    ours = _locs(value)
    expected = [rel.decode(loc) for loc in record.get("locs", [])]
    if any(loc[0] not in changes for loc in ours if loc):
        return f"errors off the changed fields: {ours}", value
    if [] in ours and [] not in expected:  # a rule on the whole configuration: only where rfdetr has one
        return f"a whole-configuration error the reference does not report: {ours}", value
    return (None if all(loc in ours for loc in expected) else f"locations {ours} miss {expected}"), value


def check(record: dict[str, Any], dump_text: str | None, rel: Release) -> tuple[str | None, Any]:
    """(None when rfdetr_config agrees with the recorded outcome, else what differs; our error if any)."""
    if record["path"] == "assign":
        return check_assignments(record, dump_text, rel)
    cls_name = record["cls"]
    cls = getattr(rel.module, cls_name)
    data = rel.decode(record["input"])
    names = rel.names[cls_name]
    unknown = [k for k in data if k not in names]
    missing = [n for n in rel.required[cls_name] if n not in data]
    kwargs_path = record["path"] == "kwargs"
    call = (lambda: cls(**data)) if kwargs_path else (lambda: rc.structure(data, cls))
    kind, value, notes = _attempt(call)

    if unknown or (missing and kwargs_path):
        if kwargs_path:
            problem = None if kind == "type_error" else f"expected TypeError for {unknown or missing}, got {kind}"
            return problem, None
        if kind != "config_error":
            return f"unknown keys {unknown} accepted", None
        locs = _locs(value)
        if any([k] not in locs for k in unknown):
            return f"unknown keys {unknown} not all named: {locs}", value
        if cls_name not in rel.ignores_unknown:
            return None, value  # the reference rejects them too
        kind, value, notes = _attempt(lambda: rc.structure(data, cls, unknown_keys="ignore"))
    if record["ok"]:
        if kind != "ok":
            return f"reference accepts, ours {kind}: {value}", None
        return _agrees(record, dump_text, value, notes, rel), None
    if kind == "ok":
        return f"FALSE ACCEPT: reference rejects ({record.get('crash') or record.get('locs')}), ours accepts", None
    if kind != "config_error":
        return f"expected ConfigError, got {kind}: {value}", None
    if "crash" in record:
        crash_ok = all(loc[0] in data for loc in _locs(value))
        return (None if crash_ok else f"crash reported off the input: {_locs(value)}"), value
    expected_locs = [rel.decode(loc) for loc in record["locs"]]
    if sorted(map(repr, _locs(value))) != sorted(map(repr, expected_locs)):
        return f"error locations {_locs(value)} != {expected_locs}", value
    if notes != record["warnings"]:
        return f"warnings {notes} != {record['warnings']}", value
    return None, value


def pydantic_errors(record: dict[str, Any], error: Any) -> str | None:
    """Our errors() against pydantic's recorded list, for a record the reference rejected with one."""
    expected = record.get("errors")
    if expected is None or not isinstance(error, rc.ConfigError):
        return None
    ours = vf.encode_errors(error.errors())
    if vf.dumps(ours) == vf.dumps(expected):
        return None
    return f"errors() {vf.dumps(ours)[:600]} != pydantic's {vf.dumps(expected)[:600]}"


def wording(record: dict[str, Any], error: Any) -> str | None:
    """Our ConfigError against the texts rfdetr raised for the record, if it recorded any."""
    if not record.get("msgs") or not isinstance(error, rc.ConfigError):
        return None
    text = str(error)
    lost = [m for m in record["msgs"] if m not in text]
    return f"our error lacks rfdetr's words {lost}; ours: {text!r}" if lost else None


class Replay:
    """A release's replay, run once: failures per class, wording failures, counts."""

    def __init__(self) -> None:
        self.failures: dict[str, list[str]] = {}
        self.records: dict[str, int] = {}
        self.wording: list[str] = []
        self.errors_lists: list[str] = []
        self.inputs = {"dict": 0, "kwargs": 0, "assign": 0}


def _describe(record: dict[str, Any], problem: str) -> str:
    where = f" env={record['env']}" if "env" in record else ""
    return (
        f"{record['path']} {record['label']}{where} {vf.decode(record['input'], lambda e, m: f'{e}.{m}')!r}: {problem}"
    )


def _replay(release: str, module: Any) -> Replay:
    rel = Release(release, module)
    result = Replay()
    for name in MANIFEST["releases"][release]["vectors"]:
        for record, dump_text in vf.read_split(vf.VECTORS_DIR / name):
            cls_name = record["cls"]
            result.records[cls_name] = result.records.get(cls_name, 0) + 1
            result.inputs[record["path"]] += 1
            env = record.get("env")
            if env is not None:
                vf.set_cache_variables(env)
            try:
                problem, error = check(record, dump_text, rel)
            except Exception as crash:  # the replay itself must report, not stop, on any record
                problem, error = f"replay raised {type(crash).__name__}: {crash}", None
            finally:
                if env is not None:
                    vf.set_cache_variables({"RF_HOME": vf.RF_HOME})
            if problem is not None:
                result.failures.setdefault(cls_name, []).append(_describe(record, problem))
            lost = wording(record, error)
            if lost is not None:
                result.wording.append(_describe(record, lost))
            if not record["ok"]:
                differs = pydantic_errors(record, error)
                if differs is not None:
                    result.errors_lists.append(_describe(record, differs))
    return result


_REPLAYS: dict[tuple[Any, ...], tuple[Any, Replay]] = {}


def replay(release: str) -> Replay:
    """The replay of a release (skipped when unsupported), run once.

    Releases with the same vectors whose classes are the very same objects (rfdetr_config shares them
    between releases whose configuration modules behave alike) share one replay.
    """
    module = release_module(release)
    classes = tuple(getattr(module, name, None) for name in declarations(release)["classes"])
    key = (*map(id, classes), *MANIFEST["releases"][release]["vectors"])
    if key not in _REPLAYS:
        _REPLAYS[key] = (classes, _replay(release, module))  # the classes stay referenced: ids stay unique
    return _REPLAYS[key][1]


CASES = [(release, cls) for release in RELEASES for cls in declarations(release)["classes"]]


@pytest.mark.parametrize(("release", "class_name"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_agrees_with_reference(release: str, class_name: str) -> None:
    result = replay(release)
    count = result.records.get(class_name, 0)
    assert count, f"no vectors recorded for {class_name} in {release}"
    failures = result.failures.get(class_name, [])
    assert not failures, f"{len(failures)} of {count} disagree:\n" + "\n".join(failures[:25])


@pytest.mark.parametrize("release", RELEASES)
def test_error_wording(release: str) -> None:
    result = replay(release)
    if result.wording and release in WORDING_PENDING:
        pytest.xfail(f"rfdetr_config does not carry rfdetr {release}'s own error words yet ({len(result.wording)})")
    assert not result.wording, f"{len(result.wording)} errors:\n" + "\n".join(result.wording[:25])


@pytest.mark.parametrize("release", RELEASES)
def test_errors_are_pydantics(release: str) -> None:
    result = replay(release)
    assert not result.errors_lists, f"{len(result.errors_lists)} differ:\n" + "\n".join(result.errors_lists[:10])


def test_manifest_covers_every_release() -> None:
    unrecorded = [release for release in rc.RELEASES if release not in RELEASES]
    assert not unrecorded, (
        f"rfdetr {', '.join(unrecorded)} is registered but has no conformance vectors: record it with "
        "tests/conformance/record.py --release X.Y.Z (docs/adding-a-release.rst, step 'Record')"
    )
    for release in RELEASES:
        entry = MANIFEST["releases"][release]
        for name, sha in entry["files"].items():
            folder = vf.DECLARATIONS_DIR if name == entry["declarations"] else vf.VECTORS_DIR
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha, f"{release}: {name} changed"
        if "identical_to" in entry:  # recorded identical to a release that has not changed since
            assert entry["sha256"] == MANIFEST["releases"][entry["identical_to"]]["sha256"], f"record {release} again"


@pytest.mark.parametrize("release", RELEASES)
def test_corpus_size(release: str) -> None:
    totals = MANIFEST["releases"][release]["totals"]
    both = list(totals.values())
    assert sum(t["dict"] for t in both) >= 20_000
    assert sum(t["kwargs"] for t in both) >= 20_000
    assert sum(t["assign"] for t in both) >= 1_000
    assert len(declarations(release)["classes"]) == 18


@pytest.mark.parametrize("release", RELEASES)
def test_replayed_every_record(release: str) -> None:
    result = replay(release)
    totals = MANIFEST["releases"][release]["totals"]
    assert sum(result.inputs.values()) == sum(t["records"] for t in totals.values())


def test_stored_changes_give_back_the_records(tmp_path: Any) -> None:
    base = [vf.dumps({"cls": "A", "n": i}) for i in range(50)]
    lines = [base[0], "x", *base[2:20], base[40], base[41], "y", "y", *base[21:39], base[5], *base[45:], "z"]
    vf.write_text(tmp_path / "base.jsonl.gz", vf.stored_text(base))
    stored = vf.stored_text(lines, ("base.jsonl.gz", base))
    vf.write_text(tmp_path / "changed.jsonl.gz", stored)
    assert len(stored.splitlines()) < len(lines) / 3
    assert list(vf.read_lines(tmp_path / "changed.jsonl.gz")) == lines
    assert list(vf.read_lines(tmp_path / "base.jsonl.gz")) == base
