"""Replay the recorded migrations: ``migrate`` still does what the references judged, and they judged it a pass.

The vectors come from ``record_migrations.py``, which ran every sampled input of each rfdetr release
through :func:`rfdetr_config.migrate` (or :func:`~rfdetr_config.migrate_pair`) to every release whose
classes differ, and had both releases' own ``rfdetr.config`` read the input and the result. This
module needs neither torch nor pydantic.

Two checks per source release:

* ``test_verdicts_pass``: every recorded verdict is a pass. A failure names the input, the two
  releases and the field; it stays failing until the engine is fixed and the vectors re-recorded.
* ``test_migrate_reproduces``: ``migrate`` today gives exactly the recorded data and change list
  (field and kind, in order), or refuses with the same ConfigError text, so the verdicts still apply.
  Replaying every case takes minutes, so a fixed sixth of the inputs is replayed (the same for every
  release that shares its classes); ``RFDETR_CONFIG_REPLAY_ALL=1`` replays them all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import warnings
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import rfdetr_config as rc

from . import vectors_format as vf

# Replaying runs the migration engine over thousands of inputs that its own tests cover line by line.
pytestmark = pytest.mark.no_cover

MIGRATIONS_DIR = vf.HERE / "migrations"
MANIFEST: Dict[str, Any] = json.loads((MIGRATIONS_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
RELEASES = list(MANIFEST["releases"])
REPLAY_SHARE = 6
REPLAY_ALL = os.environ.get("RFDETR_CONFIG_REPLAY_ALL") == "1"


@pytest.fixture(autouse=True)
def fixed_environment() -> Iterator[None]:
    with vf.prepared_environment():
        yield


def lines(source: str) -> Tuple[str, ...]:
    return vf.read_lines(MIGRATIONS_DIR / MANIFEST["releases"][source]["file"])


def chosen(line: str) -> bool:
    """Whether the sampled replay takes this input: by its text, so releases with the same inputs agree."""
    head = line.split(',"outcomes":', 1)[0]
    return REPLAY_ALL or int(hashlib.sha256(head.encode("utf-8")).hexdigest()[:8], 16) % REPLAY_SHARE == 0


def decode(encoded: Any, release: str) -> Any:
    module = rc.for_release(release)
    return vf.decode(encoded, lambda name, member: getattr(getattr(module, name), member))


def migrated(source: str, target: str, classes: Tuple[str, ...], inputs: str) -> str:
    """Our migration today, as the recorder writes an outcome (the text of its JSON), for one target."""
    data = [decode(d, source) for d in json.loads(inputs)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if len(classes) == 1:
                results = [rc.migrate(data[0], classes[0], source=source, target=target)]
            else:
                results = list(rc.migrate_pair(data[0], classes[0], data[1], classes[1], source=source, target=target))
        except rc.ConfigError as error:
            return vf.dumps({"refused": str(error)})
        except Exception as error:  # recorded as such: a crash is a failed verdict, not a stop of the replay
            return vf.dumps({"crashed": f"{type(error).__name__}: {error}"})
    return vf.dumps(
        {
            "data": [vf.encode(m.data) for m in results],
            "changes": [[[c.field, c.kind] for c in m.changes] for m in results],
        }
    )


@functools.cache
def migrated_in_group(group: str, target: str, classes: Tuple[str, ...], inputs: str) -> str:
    """:func:`migrated` from the first release of ``group``: releases sharing their classes migrate alike."""
    return migrated(first_of_group()[group], target, classes, inputs)


def recorded(result: Dict[str, Any]) -> str:
    return vf.dumps({k: v for k, v in result.items() if k in ("data", "changes", "refused", "crashed")})


@functools.cache
def first_of_group() -> Dict[str, str]:
    from rfdetr_config.releases import MODULES

    firsts: Dict[str, str] = {}
    for release in MODULES:
        firsts.setdefault(MODULES[release], release)
    return firsts


@pytest.mark.parametrize("source", RELEASES)
def test_migrate_reproduces(source: str) -> None:
    from rfdetr_config.releases import MODULES

    group = MODULES[source]
    differences: List[str] = []
    replayed = 0
    for line in lines(source):
        if not chosen(line):
            continue
        record = json.loads(line)
        inputs = vf.dumps(record["inputs"])
        for result in record["outcomes"]:
            expected = recorded(result)
            for target in result["to"]:
                replayed += 1
                key = (target, tuple(record["classes"]), inputs)
                ours = migrated_in_group(group, *key)
                if ours != expected:
                    ours = migrated(source, *key)
                if ours != expected:
                    shown = f"ours {ours[:400]}, recorded {expected[:400]}"
                    differences.append(f"{source}->{target} {record['label']}: {shown}")
    assert replayed, "nothing replayed"
    assert not differences, f"{len(differences)} of {replayed} differ from the recording:\n" + "\n".join(
        differences[:20]
    )


@pytest.mark.parametrize("source", RELEASES)
def test_verdicts_pass(source: str) -> None:
    failures: List[str] = []
    for line in lines(source):
        record = json.loads(line)
        for target, reasons in record.get("fails", {}).items():
            failures.append(f"{source}->{target} {record['label']} {record['inputs']}: {' | '.join(reasons)}")
    assert not failures, f"{len(failures)} migrations from rfdetr {source} fail their verdict:\n" + "\n".join(
        failures[:25]
    )


@pytest.mark.parametrize("source", RELEASES)
def test_manifest_counts(source: str) -> None:
    entry = MANIFEST["releases"][source]
    path = MIGRATIONS_DIR / entry["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], f"{path.name} changed: re-record"
    records = [json.loads(line) for line in lines(source)]
    cases = sum(len(result["to"]) for record in records for result in record["outcomes"])
    refused = sum(len(result["to"]) for record in records for result in record["outcomes"] if "refused" in result)
    failures = sum(len(record.get("fails", {})) for record in records)
    assert (cases, refused, failures) == (entry["cases"], entry["refused"], entry["failures"])
    assert entry["inputs"] >= 900, "the sample shrank"
    assert entry["cases"] >= 9000, "the sample shrank"


def test_every_release_is_a_source() -> None:
    assert set(RELEASES) == set(rc.RELEASES)
