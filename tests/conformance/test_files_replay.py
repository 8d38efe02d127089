"""Replay of rfdetr's own files as the real releases read them (``tests/conformance/files``).

Each recorded run file is read as its release reads it (accept or reject); each recorded ``rfdetr fit``
YAML input is read as ``rfdetr fit`` reads it (jsonargparse's rules, then the release's classes): the
same decision, the same values. Every accepted run file is migrated to every other release, and what is
written has no key the target refuses and reads back there. The recordings come from
``record_files.py``; without them the tests are skipped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pathlib
from typing import Any, Dict, Iterator, List

import pytest

import rfdetr_config as rc
from rfdetr_config.core.dicts import unstructure
from rfdetr_config.files import parse
from rfdetr_config.files.shapes import read_fit, read_run
from rfdetr_config.releases import DISTINCT, declared

from . import vectors_format as vf

# The replay runs every recorded file through the package, which the other tests cover line by line.
pytestmark = pytest.mark.no_cover

FILES = pathlib.Path(__file__).resolve().parent / "files"
KNOWN = {
    # rfdetr fit refuses a class_path other than the base class (jsonargparse 4.52+); the package reads the
    # documented shape all the same, and warns (docs/rfdetr-files.rst)
    "class_path",
    # PyYAML's last-wins duplicate key: the package refuses every duplicate key (a safer reading)
    "duplicate key (last wins in PyYAML)",
}


REPLAY_SHARE = 6
REPLAY_ALL = os.environ.get("RFDETR_CONFIG_REPLAY_ALL") == "1"


def _sampled(label: str) -> bool:
    """Whether a run file is also migrated to every release: a fixed sixth, all with RFDETR_CONFIG_REPLAY_ALL=1."""
    return REPLAY_ALL or int(hashlib.sha256(label.encode("utf-8")).hexdigest()[:8], 16) % REPLAY_SHARE == 0


def _imports_a_callable(label: str) -> bool:
    """A callable named by ``class_path`` (``optimizer={class_path: torch.optim.SGD}``).

    ``rfdetr fit`` imports it; the package never imports what a file names, so it refuses the file
    (docs/differences.rst).
    """
    return label.startswith(("train_config.optimizer={class_path", "train_config.lr_scheduler={class_path"))


def _records(part: str, release: str) -> Iterator[Dict[str, Any]]:
    path = FILES / part / f"{release}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _recorded(part: str) -> List[str]:
    return [r for r in DISTINCT if (FILES / part / f"{r}.jsonl.gz").exists()]


@pytest.fixture(autouse=True)
def _environment() -> Iterator[None]:
    with vf.prepared_environment():
        yield


@pytest.mark.parametrize("release", _recorded("fit") or [pytest.param("none", marks=pytest.mark.skip("no recordings"))])
def test_fit_inputs_read_as_rfdetr_fit_reads_them(release: str) -> None:
    differ: List[str] = []
    for record in _records("fit", release):
        if record.get("kind") == "print_config":
            continue
        expected = record["parse"]["ok"] and record["build"]["ok"]
        try:
            run = read_fit(parse(record["yaml"], "yaml", "fit"), "fit", release=release, text=record["yaml"])
        except rc.ConfigError:
            run = None
        if (run is not None) != expected:
            if record["shape"] != "direct" or record["label"] in KNOWN or _imports_a_callable(record["label"]):
                continue
            differ.append(f"{record['label']}: recorded {'accept' if expected else 'reject'}")
            continue
        if run is not None:
            for key, config in (("model_config", run.model), ("train_config", run.train)):
                dump = vf.decode(record["build"][key]["dump"], lambda _kind, value: value)
                got = unstructure(config)
                wrong = [name for name in dump if not vf.same(dump[name], got.get(name))]
                if wrong:
                    differ.append(f"{record['label']}: {key} values differ: {wrong}")
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize(
    "release", _recorded("runfiles") or [pytest.param("none", marks=pytest.mark.skip("no recordings"))]
)
def test_run_files_read_and_migrate_everywhere(release: str) -> None:
    differ: List[str] = []
    for record in _records("runfiles", release):
        if not record.get("text"):
            continue  # nothing written
        back = record.get("read_back") or {}
        expected = bool(back.get("model_config", {}).get("ok") and back.get("train_config", {}).get("ok"))
        try:
            run = read_run(parse(record["text"], "json", "run"), "run")  # a file cut short is refused
        except rc.ConfigError:
            run = None
        if (run is not None) != expected:
            differ.append(f"{record['label']}: recorded {'accept' if expected else 'reject'}")
            continue
        if run is None:
            continue
        if release not in run.releases:
            differ.append(f"{record['label']}: read as {run.releases}")
        for target in DISTINCT if _sampled(record["label"]) else ():
            newest = declared(target).covers[-1]
            try:
                moved = rc.migrate_run(run, newest)
            except rc.ConfigError:
                continue  # the target cannot express a value (an error naming it, nothing written)
            data = json.loads(rc.dumps_run(moved.run))
            module = rc.for_release(newest)
            refused = set(data["train_config"]) - set(type(moved.run.train).__rfdetr_names__)
            refused |= set(data["model_config"]) - set(getattr(module, data["model_config_type"]).__rfdetr_names__)
            if refused:
                differ.append(f"{record['label']} -> {newest}: keys the target refuses: {sorted(refused)}")
            rc.loads_run(json.dumps(data), release=newest)
    assert not differ, "\n".join(differ)
