"""Measure rfdetr_config against an rfdetr release's own config module, side by side in one process.

Run with that release's reference environment's interpreter so that both implementations are
importable (``../shared/reference/build-reference.sh RELEASE`` builds it; add attrs and cattrs to it),
and name the release (default: the release the package exports)::

    /tmp/rfdetr-reference-1.8.3/bin/pip install attrs cattrs
    /tmp/rfdetr-reference-1.8.3/bin/python benchmarks/compare.py --release 1.8.3

With any other interpreter it measures rfdetr_config alone and says so. ``--quick`` runs a short
smoke pass (used by CI to keep the script working; its numbers mean nothing). Ratios are
rfdetr_config's median divided by the reference's median: below 1 is faster.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import gc
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from typing import Any, Callable, Iterator, Optional

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.simplefilter("ignore")

import rfdetr_config as rc  # noqa: E402

try:
    from rfdetr import config as ref
except ImportError:  # the reference environment is not this interpreter
    ref = None

release = rc.for_release(rc.releases.TOP)  # the classes measured; --release chooses another
CLASSES = ["TrainConfig", "KeypointTrainConfig", "SegmentationTrainConfig", "RFDETRBaseConfig", "RFDETRNanoConfig"]
Call = Callable[[], Any]


def _per_call(fn: Call, batch: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(batch):
        fn()
    return (time.perf_counter_ns() - start) / batch / 1000.0


def interleaved(ours: Call, theirs: Optional[Call], quick: bool) -> tuple[float, Optional[float]]:
    """Median microseconds per call, alternating batches until both medians settle."""
    batch = 20 if quick else 200
    mine: list[float] = []
    other: list[float] = []
    previous = (0.0, 0.0)
    for round_ in range(3 if quick else 200):
        gc.collect()
        mine.append(_per_call(ours, batch))
        if theirs is not None:
            other.append(_per_call(theirs, batch))
        if round_ >= 15 and round_ % 5 == 0:
            current = (statistics.median(mine), statistics.median(other) if other else 0.0)
            if all(abs(c - p) <= 0.01 * max(c, 1e-9) for c, p in zip(current, previous, strict=True)):
                break
            previous = current
    return statistics.median(mine), (statistics.median(other) if other else None)


def _row(table: list[tuple[str, float, Optional[float]]], label: str, ours: float, theirs: Optional[float]) -> None:
    table.append((label, ours, theirs))


def _inputs(cls: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A full dict as ``unstructure`` writes it, and a few typical keywords."""
    if issubclass(cls, release.TrainConfig):
        few = {"dataset_dir": "datasets/coco", "epochs": 50, "batch_size": 8, "lr": 2e-4}
        return rc.unstructure(cls(dataset_dir=None)), few
    few = {"num_classes": 3, "pretrain_weights": None, "device": "cpu", "resolution": 640}
    return rc.unstructure(cls()), few


def measure_calls(quick: bool) -> list[tuple[str, float, Optional[float]]]:
    table: list[tuple[str, float, Optional[float]]] = []
    for name in CLASSES:
        mine_cls = getattr(release, name)
        their_cls = getattr(ref, name) if ref is not None else None
        base = {"dataset_dir": None} if issubclass(mine_cls, release.TrainConfig) else {}
        full, few = _inputs(mine_cls)
        broken = dict(full, **({"lr": "fast", "batch_size": 0, "smooth_alpha": 2.0} if base else {}))
        if not base:
            broken.update(hidden_dim="wide", num_channels=0, encoder="vit")
        mine_obj = mine_cls(**base)
        their_obj = their_cls(**base) if their_cls is not None else None

        def expect_error(fn: Call) -> Call:
            def run() -> None:
                try:
                    fn()
                except ValueError:
                    return
                raise AssertionError("expected an error")

            return run

        pairs: list[tuple[str, Call, Optional[Call]]] = [
            (
                "structure full dict",
                lambda c=mine_cls, d=full: rc.structure(d, c),
                (lambda c=their_cls, d=full: c.model_validate(d)) if their_cls else None,
            ),
            (
                "construct from keywords",
                lambda c=mine_cls, k=few: c(**k),
                (lambda c=their_cls, k=few: c(**k)) if their_cls else None,
            ),
            (
                "unstructure",
                lambda o=mine_obj: rc.unstructure(o),
                (lambda o=their_obj: o.model_dump()) if their_obj is not None else None,
            ),
            (
                "dict with errors",
                expect_error(lambda c=mine_cls, d=broken: rc.structure(d, c)),
                expect_error(lambda c=their_cls, d=broken: c.model_validate(d)) if their_cls else None,
            ),
        ]
        for label, ours, theirs in pairs:
            _row(table, f"{label:24s} {name}", *interleaved(ours, theirs, quick))
    return table


def measure_migration(quick: bool) -> list[tuple[str, float, Optional[float]]]:
    """Migrating a full rfdetr 1.8.1 dump to the release measured, against the reference loading the result.

    The reference cannot migrate, so the ratio says what a migration costs in loads of the same
    configuration by rfdetr itself.
    """
    table: list[tuple[str, float, Optional[float]]] = []
    target = release.RELEASES[0]
    if target in rc.for_release("1.8.1").RELEASES:
        return table
    for name in CLASSES[:3]:
        old = rc.unstructure(getattr(rc.for_release("1.8.1"), name)(dataset_dir="data"))
        migrated = rc.migrate(old, name, source="1.8.1", target=target).data
        their_cls = getattr(ref, name) if ref is not None else None
        ours = lambda d=old, n=name: rc.migrate(d, n, source="1.8.1", target=target)  # noqa: E731
        theirs = (lambda c=their_cls, d=migrated: c.model_validate(d)) if their_cls else None
        _row(table, f"{'migrate full 1.8.1 dump':24s} {name}", *interleaved(ours, theirs, quick))
    return table


_PEAK = "; print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"


def _child_run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds of one child process, and its peak resident MiB (VmHWM, which exec resets)."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.split()[-1]) / 1024.0


def _precompile() -> None:
    """Byte-compile both sides first, as an installed package is, so no run pays for compiling sources.

    PYTHONDONTWRITEBYTECODE would otherwise make every child compile them again.
    """
    dirs = [ROOT / "rfdetr_config"]
    if ref is not None:
        dirs.append(pathlib.Path(ref.__file__).parent)
    for directory in dirs:
        compileall.compile_dir(str(directory), quiet=1)


_FIRST_USE = (
    "{module}.TrainConfig(dataset_dir='datasets/coco', epochs=50, batch_size=8, lr=2e-4); "
    "{module}.RFDETRBaseConfig(num_classes=3, pretrain_weights=None, device='cpu', resolution=640)"
)


def measure_import(quick: bool) -> list[tuple[str, float, Optional[float]]]:
    _precompile()
    runs = 2 if quick else 15
    ours = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import rfdetr_config"
    theirs = "import rfdetr.config"
    quiet = "import warnings; warnings.simplefilter('ignore'); "
    commands = {
        "import": (ours, theirs),
        "import, then build a TrainConfig and a model": (
            f"{quiet}{ours} as m; " + _FIRST_USE.format(module="m"),
            f"{quiet}{theirs} as m; " + _FIRST_USE.format(module="m"),
        ),
    }
    table: list[tuple[str, float, Optional[float]]] = []
    for label, (mine_code, their_code) in commands.items():
        mine, other = [], []
        for _ in range(runs):
            mine.append(_child_run([sys.executable, "-c", mine_code + _PEAK]))
            if ref is not None:
                other.append(_child_run([sys.executable, "-c", their_code + _PEAK]))
        wall = (
            statistics.median(t for t, _ in mine) * 1000,
            (statistics.median(t for t, _ in other) * 1000 if other else None),
        )
        rss = statistics.median(m for _, m in mine), (statistics.median(m for _, m in other) if other else None)
        table += [(f"{label}: wall time (ms)", *wall), (f"{label}: peak RSS (MiB)", *rss)]
    return table


def _structure(cls: Any, data: dict[str, Any]) -> Any:
    return rc.structure(data, cls)


def _model_validate(cls: Any, data: dict[str, Any]) -> Any:
    return cls.model_validate(data)


def _construct(cls: Any, keywords: dict[str, Any]) -> Any:
    return cls(**keywords)


@contextlib.contextmanager
def _shared_work_stubbed() -> Iterator[None]:
    """Replace the filesystem path calls and ``warnings.warn``, which both sides make alike, with no-ops.

    What remains is each side's own validation work. Both call these through the modules at call
    time, so one patch reaches both.
    """
    saved = os.path.realpath, os.path.expanduser, os.path.abspath, warnings.warn
    os.path.realpath = os.path.expanduser = os.path.abspath = lambda path, *args, **kwargs: path
    warnings.warn = lambda *args, **kwargs: None
    try:
        yield
    finally:
        os.path.realpath, os.path.expanduser, os.path.abspath, warnings.warn = saved


def measure_core(quick: bool) -> list[tuple[str, float, Optional[float]]]:
    """Construction rows again with the work both sides share stubbed out: each side's own part."""
    table = []
    with _shared_work_stubbed():
        for name in ("TrainConfig", "RFDETRBaseConfig"):
            mine_cls = getattr(release, name)
            their_cls = getattr(ref, name) if ref is not None else None
            full, few = _inputs(mine_cls)
            rows = {
                "structure, shared work stubbed": (full, _structure, _model_validate),
                "keywords, shared work stubbed": (few, _construct, _construct),
            }
            for label, (data, ours, theirs) in rows.items():
                result = interleaved(
                    lambda c=mine_cls, d=data, f=ours: f(c, d),
                    (lambda c=their_cls, d=data, f=theirs: f(c, d)) if their_cls else None,
                    quick,
                )
                table.append((f"{label:32s} {name}", *result))
    return table


def _bytes_per_instance(make: Call, count: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    kept = [make() for _ in range(count)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    total = sum(s.size_diff for s in after.compare_to(before, "filename"))
    del kept
    return total / count


def measure_memory(quick: bool) -> list[tuple[str, float, Optional[float]]]:
    count = 50 if quick else 2000
    table = []
    for name in ("TrainConfig", "RFDETRNanoConfig"):
        mine_cls = getattr(release, name)
        base = {"dataset_dir": "data"} if issubclass(mine_cls, release.TrainConfig) else {}
        full = rc.unstructure(mine_cls(**base))
        mine = _bytes_per_instance(lambda c=mine_cls, d=full: rc.structure(d, c), count)
        theirs = None
        if ref is not None:
            their_cls = getattr(ref, name)
            theirs = _bytes_per_instance(lambda c=their_cls, d=full: c.model_validate(d), count)
        table.append((f"bytes per instance       {name}", mine, theirs))
    return table


def _versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}", f"attrs {version('attrs')}", f"cattrs {version('cattrs')}"]
    if ref is not None:
        import pydantic
        import torch

        parts += [f"pydantic {pydantic.VERSION}", f"torch {torch.__version__}"]
    return ", ".join(parts)


def _rst(table: list[tuple[str, float, Optional[float]]]) -> str:
    """The table as the reStructuredText list-table that ``docs/benchmarks.rst`` shows."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    lines += ["   * - measure", "     - rfdetr_config", "     - reference", "     - ratio"]
    for label, ours, theirs in table:
        unit = " ms" if "(ms)" in label else " MiB" if "(MiB)" in label else " B" if "bytes" in label else " µs"
        name = " ".join(label.replace(" (ms)", "").replace(" (MiB)", "").split())
        name = name.replace("bytes per instance", "memory per instance").replace("import", "``import``", 1)
        for kind in ("TrainConfig", "KeypointTrainConfig", "SegmentationTrainConfig", "RFDETR"):
            name = name.replace(f" {kind}", f", {kind}", 1) if "," not in name else name
        lines.append(f"   * - {name}")
        lines.append(f"     - {ours:.1f}{unit}")
        lines.append(f"     - {theirs:.1f}{unit}" if theirs is not None else "     - ")
        lines.append(f"     - {ours / theirs:.2f}" if theirs else "     - ")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run; the numbers mean nothing")
    parser.add_argument("--rst", action="store_true", help="also print the table for docs/benchmarks.rst")
    parser.add_argument(
        "--release",
        default=rc.releases.TOP,
        choices=rc.RELEASES,
        help="the rfdetr release to measure; run with that release's reference environment",
    )
    args = parser.parse_args()
    global release
    release = rc.for_release(args.release)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"versions: rfdetr_config {rc.__version__} for rfdetr {args.release}, {_versions()}")
    if ref is None:
        print("reference: not importable here; measuring rfdetr_config alone")
    table = measure_calls(args.quick) + measure_migration(args.quick) + measure_core(args.quick)
    table += measure_import(args.quick)
    table += measure_memory(args.quick)
    print(f"\n{'measure':62s} {'rfdetr_config':>14s} {'reference':>12s} {'ratio':>7s}")
    for label, ours, theirs in table:
        unit = "" if "(" in label or "bytes" in label else " us"
        ratio = f"{ours / theirs:7.2f}" if theirs else "      -"
        theirs_text = f"{theirs:9.1f}{unit}" if theirs is not None else f"{'-':>12s}"
        print(f"{label:62s} {ours:11.1f}{unit} {theirs_text} {ratio}")
    if args.rst:
        print("\n" + _rst(table))


if __name__ == "__main__":
    main()
