"""How far ``ConfigError.errors()`` is from pydantic's ``ValidationError.errors()``, release by release.

A script, not a test: it replays every rejected record of every release's vectors through the
package, as ``test_conformance.py`` does (``structure`` for the "dict" path, the constructor for
"kwargs", ``replace`` for "assign"), and compares our ``errors()`` with the list the recorder kept
from pydantic (the records' ``errors`` key). Both sides are compared in the vectors' encoding
(``vf.encode_any``: exact types, an exception as its type and text, object addresses masked), so
``1`` and ``1.0`` differ and NaN equals NaN.

Run it from the repository, with the package installed (no torch, no pydantic)::

    python tests/conformance/errors_agreement.py              # the report, on stdout
    python tests/conformance/errors_agreement.py --write      # also into ERRORS_AGREEMENT.md
    python tests/conformance/errors_agreement.py --catalogue --write   # pydantic's side alone, fast
    python tests/conformance/errors_agreement.py --sample 20  # every 20th rejected record: a quick look

``--write`` replaces only the part of ``ERRORS_AGREEMENT.md`` between the ``measured`` markers (or,
with ``--catalogue``, the ``catalogue`` markers); the rest of that file is written by hand.

What it reports, per release (releases whose vectors and classes are the same share one replay):
the share of rejected inputs whose lists are equal entry for entry, equal in (loc, type) (in order,
and as multisets), and equal in msg; then a table of the disagreements, entry by entry, grouped by
(pydantic type, our type), the shape of the locations and the pattern of both messages, with the
number of inputs each covers and two example inputs. Records the reference crashed on have no list
to compare and are only counted.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys
import time
import warnings
from typing import Any, Iterable

REPO = pathlib.Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import rfdetr_config as rc  # noqa: E402
from tests.conformance import test_conformance as tc  # noqa: E402
from tests.conformance import vectors_format as vf  # noqa: E402

NOTE = pathlib.Path(__file__).resolve().parent / "ERRORS_AGREEMENT.md"
START, END = "<!-- measured:start -->", "<!-- measured:end -->"


# ---------------------------------------------------------------------------------------------
# Running a record through the package
# ---------------------------------------------------------------------------------------------


def attempt(call: Any) -> tuple[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", call()
        except rc.ConfigError as error:
            return "config_error", error
        except TypeError as error:
            return "type_error", error


def ours_for(record: dict[str, Any], rel: tc.Release) -> tuple[str, Any, str]:
    """(kind, our result, how it was called) for a record, called as the replay calls it."""
    cls = getattr(rel.module, record["cls"])
    if record["path"] == "assign":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = cls(**rel.decode(record["input"]))
        changes = {name: rel.decode(value) for name, value in record["changes"]}
        kind, value = attempt(lambda: rc.replace(start, **changes))
        return kind, value, "replace"
    data = rel.decode(record["input"])
    if record["path"] == "kwargs":
        kind, value = attempt(lambda: cls(**data))
        return kind, value, "constructor"
    kind, value = attempt(lambda: rc.structure(data, cls))
    unknown = [k for k in data if k not in rel.names[record["cls"]]]
    if unknown and record["cls"] in rel.ignores_unknown:
        # The reference drops unknown keys here (extra="ignore"); the replay compares our result with
        # unknown_keys="ignore", and so does this script.
        kind, value = attempt(lambda: rc.structure(data, cls, unknown_keys="ignore"))
        return kind, value, "structure(unknown_keys='ignore')"
    return kind, value, "structure"


def encoded(error: rc.ConfigError) -> list[dict[str, Any]]:
    """Our errors() in the recorded encoding."""
    return vf.encode_errors(error.errors())


# ---------------------------------------------------------------------------------------------
# Describing a disagreement
# ---------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d[\d_]*\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|inf|nan)(?![\w])")
_AVAILABLE = re.compile(r"(Available parameter\(s\)|Valid|valid (?:names|values|options)|one of)\s*:?.*$", re.S)


def pattern(msg: str | None) -> str:
    """A message with its particulars replaced: quoted text by '…', numbers by N, long lists cut."""
    if msg is None:
        return "—"
    text = _AVAILABLE.sub(lambda m: m.group(1) + " …", msg)
    text = _QUOTED.sub("'…'", text)
    text = _NUMBER.sub("N", text)
    text = re.sub(r"(?:'…'(?:, | or | and )?){2,}", "'…', …", text)
    return text if len(text) <= 110 else text[:107] + "..."


def loc_shape(loc: list[Any] | None) -> str:
    """A location with field names as f, indexes as i, and pydantic's union tags kept (shortened)."""
    if loc is None:
        return "—"
    if not loc:
        return "()"
    parts = []
    for i, p in enumerate(loc):
        if isinstance(p, int):
            parts.append("i")
        elif i == 0:
            parts.append("f")
        elif isinstance(p, str) and (p.isidentifier() and not any(c in p for c in "[(")):
            parts.append("f" if p.islower() and "_" in p else p)
        else:
            text = str(p)
            parts.append(text if len(text) <= 30 else text[:27] + "...")
    return "(" + ", ".join(parts) + ")"


def ctx_keys(entry: dict[str, Any] | None) -> str:
    if entry is None or "ctx" not in entry:
        return "-"
    ctx = entry["ctx"]
    if isinstance(ctx, dict) and "$d" in ctx:
        return ",".join(str(k) for k, _ in ctx["$d"])
    return "?"


def what_differs(ref: dict[str, Any], ours: dict[str, Any]) -> str:
    keys = []
    for key in ("type", "loc", "msg", "input", "ctx"):
        if vf.dumps(ref.get(key)) != vf.dumps(ours.get(key)):
            keys.append(key)
    return "+".join(keys) or "order"


def field_of(entry: dict[str, Any]) -> Any:
    loc = entry["loc"]
    return vf.dumps(loc[0]) if loc else "()"


def pair_entries(
    ref: list[dict[str, Any]], ours: list[dict[str, Any]]
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Entries paired by field (the first part of loc, ``()`` for the whole model), in order within one."""
    by_field: dict[Any, list[dict[str, Any]]] = collections.defaultdict(list)
    for e in ours:
        by_field[field_of(e)].append(e)
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    for e in ref:
        mine = by_field.get(field_of(e))
        pairs.append((e, mine.pop(0) if mine else None))
    for rest in by_field.values():
        pairs.extend((None, e) for e in rest)
    return pairs


def short_input(record: dict[str, Any], rel: tc.Release, ref: list[dict[str, Any]]) -> str:
    """The class, the path and the input, without the required fields the recorder fills in (unless named).

    ``ref`` is every entry, pydantic's and ours: a required field either side names is shown.
    """

    def plain(v: Any) -> Any:
        return vf.decode(v, lambda e, m: f"{e}.{m}")

    named = {e["loc"][0] for e in ref if e["loc"]}
    data = plain(record["input"])
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in rel.required[record["cls"]] or k in named}
    text = f"{record['cls']} {record['path']} {data!r}"
    if record["path"] == "assign":
        text += f" then {[(n, plain(v)) for n, v in record['changes']]!r}"
    text = vf.mask_addresses(text)
    return text if len(text) <= 180 else text[:177] + "..."


# ---------------------------------------------------------------------------------------------
# The replay
# ---------------------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.rejected = 0
        self.crashed = 0
        self.equal = 0
        self.loc_type = 0
        self.loc_type_multiset = 0
        self.msg = 0
        self.count_equal = 0
        self.per_path: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])  # rejected, equal, loc_type
        self.not_config_error: collections.Counter[str] = collections.Counter()
        self.called: collections.Counter[str] = collections.Counter()
        # category -> [inputs, entries, examples]
        self.categories: dict[tuple[str, ...], list[Any]] = {}
        self.pydantic_entries = 0
        self.our_entries = 0


def categorise(
    tally: Tally, record: dict[str, Any], rel: tc.Release, ref: list[dict[str, Any]], ours: list[dict[str, Any]]
) -> None:
    seen: set[tuple[str, ...]] = set()
    for a, b in pair_entries(ref, ours):
        if a is not None and b is not None and vf.dumps(a) == vf.dumps(b):
            continue
        key = (
            record["path"] if record["path"] == "assign" else "dict/kwargs",
            a["type"] if a else "—",
            b["type"] if b else "—",
            loc_shape(a["loc"] if a else None),
            loc_shape(b["loc"] if b else None),
            ctx_keys(a),
            ctx_keys(b),
            pattern(a["msg"] if a else None),
            pattern(b["msg"] if b else None),
            what_differs(a, b) if a and b else ("ours lacks it" if a else "pydantic lacks it"),
        )
        cell = tally.categories.setdefault(key, [0, 0, []])
        cell[1] += 1
        if key not in seen:
            seen.add(key)
            cell[0] += 1
            if len(cell[2]) < 2:
                example = short_input(record, rel, [*ref, *ours])
                if example not in cell[2]:
                    cell[2].append(example)


def replay_release(release: str, sample: int = 1) -> Tally:
    rel = tc.Release(release, tc.release_module(release))
    tally = Tally()
    seen = 0
    for name in tc.MANIFEST["releases"][release]["vectors"]:
        for record, _dump in vf.read_split(vf.VECTORS_DIR / name):
            if record["ok"]:
                continue
            seen += 1
            if seen % sample:
                continue
            if "crash" in record:
                tally.crashed += 1
                continue
            ref = record["errors"]
            tally.rejected += 1
            tally.pydantic_entries += len(ref)
            env = record.get("env")
            if env is not None:
                vf.set_cache_variables(env)
            try:
                kind, value, how = ours_for(record, rel)
            except Exception as crash:  # report, never stop
                kind, value, how = f"replay raised {type(crash).__name__}", None, "—"
            finally:
                if env is not None:
                    vf.set_cache_variables({"RF_HOME": vf.RF_HOME})
            tally.called[how] += 1
            row = tally.per_path[record["path"]]
            row[0] += 1
            if kind != "config_error":
                tally.not_config_error[f"{record['path']}: {kind}"] += 1
                key = (record["path"], "(all)", f"no ConfigError: {kind}", "", "", "", "", "", "", "")
                cell = tally.categories.setdefault(key, [0, 0, []])
                cell[0] += 1
                cell[1] += len(ref)
                if len(cell[2]) < 2:
                    cell[2].append(short_input(record, rel, ref))
                continue
            ours = encoded(value)
            tally.our_entries += len(ours)
            if vf.dumps(ours) == vf.dumps(ref):
                tally.equal += 1
                row[1] += 1
            lt_ref = [vf.dumps([e["loc"], e["type"]]) for e in ref]
            lt_ours = [vf.dumps([e["loc"], e["type"]]) for e in ours]
            if lt_ref == lt_ours:
                tally.loc_type += 1
                row[2] += 1
            if sorted(lt_ref) == sorted(lt_ours):
                tally.loc_type_multiset += 1
            if [e["msg"] for e in ref] == [e["msg"] for e in ours]:
                tally.msg += 1
            if len(ref) == len(ours):
                tally.count_equal += 1
            if vf.dumps(ours) != vf.dumps(ref):
                categorise(tally, record, rel, ref, ours)
    return tally


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f} %" if d else "—"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "\\n") if text else ""


def report(releases: Iterable[str], top: int, sample: int = 1) -> str:
    lines: list[str] = []
    out = lines.append
    groups: dict[tuple[Any, ...], list[str]] = {}
    for release in releases:
        module = tc.release_module(release)
        classes = tuple(getattr(module, name, None) for name in tc.declarations(release)["classes"])
        key = (*map(id, classes), *tc.MANIFEST["releases"][release]["vectors"])
        groups.setdefault(key, []).append(release)
    tallies: dict[str, Tally] = {}
    seconds = {}
    for names in groups.values():
        started = time.perf_counter()
        tallies[names[0]] = replay_release(names[0], sample)
        seconds[names[0]] = time.perf_counter() - started
    shared = {names[0]: names[1:] for names in groups.values()}

    out("## Agreement per release")
    out("")
    out(
        "Rejected inputs: records the reference rejected with a ValidationError (corpus and rules, all three "
        "paths); crashes of the reference (a bare TypeError and the like) have no list and are counted apart. "
        "*equal*: our errors() equals pydantic's entry for entry (type, loc, msg, input, ctx; no url). "
        "*(loc, type)*: the same (loc, type) pairs in the same order; *as multisets*: in any order. "
        "*msg*: the same messages in the same order. *length*: as many entries."
    )
    out("")
    heads = ["release", "same vectors and classes as", "rejected", "crashed", "equal", "(loc, type)"]
    out("| " + " | ".join([*heads, "(loc, type) as multisets", "msg", "length"]) + " |")
    out("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    total = Tally()
    for name, t in tallies.items():
        out(
            f"| {name} | {', '.join(shared[name]) or '—'} | {t.rejected} | {t.crashed} | {pct(t.equal, t.rejected)} | "
            f"{pct(t.loc_type, t.rejected)} | {pct(t.loc_type_multiset, t.rejected)} | {pct(t.msg, t.rejected)} | "
            f"{pct(t.count_equal, t.rejected)} |"
        )
        for attr in ("rejected", "crashed", "equal", "loc_type", "loc_type_multiset", "msg", "count_equal"):
            setattr(total, attr, getattr(total, attr) + getattr(t, attr))
    out(
        f"| all | | {total.rejected} | {total.crashed} | {pct(total.equal, total.rejected)} | "
        f"{pct(total.loc_type, total.rejected)} | {pct(total.loc_type_multiset, total.rejected)} | "
        f"{pct(total.msg, total.rejected)} | {pct(total.count_equal, total.rejected)} |"
    )
    out("")
    out("Per path (rejected / equal / (loc, type) in order):")
    out("")
    out("| release | dict | kwargs | assign | entries: pydantic / ours | how ours was called |")
    out("|---|---|---|---|---|---|")
    for name, t in tallies.items():
        paths = " | ".join(
            f"{t.per_path[p][0]} / {t.per_path[p][1]} / {t.per_path[p][2]}" for p in ("dict", "kwargs", "assign")
        )
        called = ", ".join(f"{k} {v}" for k, v in t.called.most_common())
        out(f"| {name} | {paths} | {t.pydantic_entries} / {t.our_entries} | {called} |")
    out("")
    misses = collections.Counter()
    for t in tallies.values():
        misses.update(t.not_config_error)
    if misses:
        out(
            "Rejected inputs for which ours raised no ConfigError (all releases): "
            + ", ".join(f"{k} {v}" for k, v in misses.most_common())
            + "."
        )
        out("")

    # Categories, over all releases.
    merged: dict[tuple[str, ...], list[Any]] = {}
    per_release: dict[tuple[str, ...], dict[str, int]] = collections.defaultdict(dict)
    for name, t in tallies.items():
        for key, (inputs, entries, examples) in t.categories.items():
            m = merged.setdefault(key, [0, 0, []])
            m[0] += inputs
            m[1] += entries
            for e in examples:
                if len(m[2]) < 2 and e not in m[2]:
                    m[2].append(e)
            per_release[key][name] = inputs
    out("## Disagreements by category (all releases together)")
    out("")
    out(
        "Entry by entry: pydantic's entries and ours are paired by field (the first part of loc, or `()`), in "
        "order within a field; an entry with no partner shows `—` on the other side. A category is (path, "
        "pydantic type, our type, both loc shapes, both ctx keys, both message patterns, what differs). Loc "
        "shapes write a field as `f` and an index as `i` and keep pydantic's union tags; message patterns "
        "write quoted text as '…' and numbers as N. *inputs*: rejected inputs with at least one such entry "
        "(an input counts once per category, in several categories if it has several kinds of entries)."
    )
    out("")
    out("### By (pydantic type, our type)")
    out("")
    out("| pydantic type | our type | inputs | entries |")
    out("|---|---|---:|---:|")
    by_types: dict[tuple[str, str], list[int]] = {}
    for key, (inputs, entries, _) in merged.items():
        pair = (key[1], key[2])
        cell_ = by_types.setdefault(pair, [0, 0])
        cell_[0] += inputs
        cell_[1] += entries
    for (a, b), (inputs, entries) in sorted(by_types.items(), key=lambda kv: -kv[1][0]):
        out(f"| {cell(a)} | {cell(b)} | {inputs} | {entries} |")
    out("")
    out(f"### The {top} largest categories in full")
    out("")
    heads = ["#", "path", "pydantic type", "our type", "loc (pydantic / ours)", "ctx keys (pydantic / ours)"]
    out("| " + " | ".join([*heads, "pydantic msg", "our msg", "differs", "inputs", "entries", "examples"]) + " |")
    out("|---:|---|---|---|---|---|---|---|---|---:|---:|---|")
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))
    for i, (key, (inputs, entries, examples)) in enumerate(ranked[:top], 1):
        path, ta, tb, la, lb, ca, cb_, ma, mb, diff = key
        ex = "<br>".join(f"`{cell(e)}`" for e in examples)
        out(
            f"| {i} | {path} | {cell(ta)} | {cell(tb)} | {cell(la)} / {cell(lb)} | {ca} / {cb_} | {cell(ma)} | "
            f"{cell(mb)} | {diff} | {inputs} | {entries} | {ex} |"
        )
    rest = ranked[top:]
    if rest:
        out("")
        out(
            f"{len(rest)} smaller categories ({sum(v[0] for _, v in rest)} input-category pairs) are left out; "
            f"`--top N` shows more."
        )
    out("")
    out(f"Replay time: {', '.join(f'{k} {v:.0f} s' for k, v in seconds.items())}.")
    return "\n".join(lines) + "\n"


CAT_START, CAT_END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"


def loc_kind(loc: list[Any]) -> str:
    """Where an entry sits: the whole model, a field, a union member, a list element, a dict key."""
    if not loc:
        return "()"
    if len(loc) == 1:
        return "(field,)"
    second = loc[1]
    if len(loc) >= 3 and loc[-1] == "[key]":
        return "(field, key, '[key]')"
    if isinstance(second, int):
        return "(field, index)" if len(loc) == 2 else "(field, index, ...)"
    if isinstance(second, str) and second.startswith("lax-or-strict["):
        return "(field, 'lax-or-strict[...path...]')"
    return f"(field, {second!r})"


def catalogue(releases: Iterable[str]) -> str:
    """pydantic's side alone: per release, entries and inputs per (type, where), with the message patterns."""
    lines: list[str] = []
    out = lines.append
    seen_files: set[tuple[str, ...]] = set()
    keepers = []
    for release in releases:
        files = tuple(tc.MANIFEST["releases"][release]["vectors"])
        if files not in seen_files:
            seen_files.add(files)
            keepers.append(release)
    table: dict[tuple[str, str], dict[str, list[int]]] = collections.defaultdict(dict)
    patterns: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    inputs_total: dict[str, int] = {}
    lengths: dict[str, collections.Counter[int]] = {}
    for release in keepers:
        total = 0
        lengths[release] = collections.Counter()
        for name in tc.MANIFEST["releases"][release]["vectors"]:
            for record, _dump in vf.read_split(vf.VECTORS_DIR / name):
                if record["ok"] or "crash" in record:
                    continue
                total += 1
                lengths[release][len(record["errors"])] += 1
                counted: set[tuple[str, str]] = set()
                for e in record["errors"]:
                    key = (e["type"], loc_kind(e["loc"]))
                    row = table[key].setdefault(release, [0, 0])
                    row[1] += 1
                    if key not in counted:
                        counted.add(key)
                        row[0] += 1
                    patterns[key][pattern(e["msg"])] += 1
        inputs_total[release] = total
    out("## pydantic's entries, by type and place (the recorded side only)")
    out("")
    out(
        "Per distinct recording (releases with identical vectors counted once): rejected inputs with at least "
        "one entry of the kind / entries. Message patterns as above (quoted text '…', numbers N), most "
        "frequent first."
    )
    out("")
    out("| type | loc | " + " | ".join(keepers) + " | message patterns |")
    out("|---|---|" + "---:|" * len(keepers) + "---|")
    ranked = sorted(table.items(), key=lambda kv: -sum(v[0] for v in kv[1].values()))
    for (typ, where), per in ranked:
        counts = " | ".join(f"{per[r][0]} / {per[r][1]}" if r in per else "—" for r in keepers)
        shown = 40 if typ == "value_error" else 4  # rfdetr's own messages: all of them
        pats = "; ".join(f"`{cell(p)}` ({n})" for p, n in patterns[(typ, where)].most_common(shown))
        more = len(patterns[(typ, where)]) - shown
        if more > 0:
            pats += f"; {more} more"
        out(f"| {typ} | {cell(where)} | {counts} | {pats} |")
    out("| **rejected inputs** | | " + " | ".join(str(inputs_total[r]) for r in keepers) + " | |")
    out("")
    out(
        "Entries per rejected input: "
        + "; ".join(f"{r}: " + ", ".join(f"{n} entries: {c}" for n, c in sorted(lengths[r].items())) for r in keepers)
        + "."
    )
    return "\n".join(lines) + "\n"


def write_section(start: str, end: str, text: str) -> None:
    old = NOTE.read_text(encoding="utf-8") if NOTE.exists() else ""
    if start not in old:
        old = f"{old}{start}\n{end}\n"
    head, _, rest = old.partition(start)
    _, _, tail = rest.partition(end)
    NOTE.write_text(f"{head}{start}\n{text}{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"also write the report into {NOTE.name}")
    parser.add_argument("--release", action="append", help="only these releases (default: every one)")
    parser.add_argument("--top", type=int, default=80, help="how many categories to show in full")
    parser.add_argument("--catalogue", action="store_true", help="only pydantic's side, by type and place (fast)")
    parser.add_argument("--sample", type=int, default=1, help="only every Nth rejected record (not with --write)")
    args = parser.parse_args(argv)
    if args.sample != 1 and args.write:
        parser.error("--write needs every record: leave out --sample")
    releases = args.release or tc.RELEASES
    if args.catalogue:
        text = catalogue(releases)
        print(text)
        if args.write:
            write_section(CAT_START, CAT_END, text)
        return 0
    with vf.prepared_environment():
        text = report(releases, args.top, args.sample)
    print(text)
    if args.write:
        write_section(START, END, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
