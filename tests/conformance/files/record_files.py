"""Record the files rfdetr itself writes and reads, as test vectors: run files and ``rfdetr fit`` YAML.

The configuration classes of rfdetr_config must read what real rfdetr runs left behind
(``output_dir/training_config.json``) and what users feed ``rfdetr fit``. Neither can be worked out from
``config.py`` alone: the run file is shaped by the training code that writes it (``json.dump(...,
default=str)`` over ``model_dump()`` after rfdetr assigned fields on the model config), and the YAML
goes through jsonargparse's own type rules before the pydantic classes ever see it. So this script runs
the real thing, release by release, and stores what happened; the tests replay the data without torch,
pydantic or jsonargparse.

Run it with the Python of a *whole* rfdetr release (``rfdetr[train,cli]``), because the run-file writer
of 1.11 is a function of ``rfdetr.detr`` and the parser check needs the real ``rfdetr`` command::

    ../shared/reference/build-rfdetr-full.sh 1.11.1 /tmp/rfdetr-full-1.11.1         # a few minutes, once
    /tmp/rfdetr-full-1.11.1/bin/pip install pydantic==2.13.4                         # the project's reference pydantic
    PYTHONPATH=../shared/reference/rfdetr-full \\
        /tmp/rfdetr-full-1.11.1/bin/python tests/conformance/files/record_files.py --release 1.11.1

``--part runfiles`` or ``--part fit`` records one part only; ``--verify-cli N`` also runs the real
``rfdetr fit --config X --print_config`` on N inputs of the fit corpus (about 10 s each) and stops if
its output differs from the stand-in parser's, which is how the stand-in was checked (``verified`` in
the manifest). ``--check`` records into memory and says whether the files in the repository match,
changing nothing (object addresses masked). ``--jsonargparse-only`` with any environment that has
``rfdetr.config``, pydantic and some jsonargparse (no lightning needed) records only the fit parse
(``fit/<release>.jsonargparse-<version>.jsonl.gz``): that is how the older jsonargparse releases were
observed. The environment is fixed as ``vectors_format.prepare_environment`` fixes it, so paths
compare; record on a machine without an accelerator (``device`` defaults to ``cpu``).

One file per distinct release: 1.9.1-1.9.4 behave as 1.9.0, 1.10.1 as 1.10.0, 1.11.2 as 1.11.1, and
the manifest says so. Inputs are generated from the release's own field declarations with a fixed
seed, plus hand-written cases; a new release needs nothing new unless it adds a kind of field the pools
do not know (the recorder stops with a TypeError naming it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import decimal
import enum
import functools
import hashlib
import importlib
import importlib.metadata
import io
import json
import logging
import os
import pathlib
import random
import shutil
import sys
import tempfile
import time
import types
import typing
import uuid
import warnings
from typing import Any, Callable

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

from tests.conformance import callables as cb  # noqa: E402
from tests.conformance import vectors_format as vf  # noqa: E402

SEED = 20261201
MANIFEST = HERE / "MANIFEST.json"
RUNFILES_DIR = HERE / "runfiles"
FIT_DIR = HERE / "fit"
# Releases whose recordings stand for others (their config.py and the code read here behave alike).
STANDS_FOR = {"1.9.0": ["1.9.1", "1.9.2", "1.9.3", "1.9.4"], "1.10.0": ["1.10.1"], "1.11.1": ["1.11.2"]}
TRAIN_CLASSES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")
MODEL_CLASSES = (
    "ModelConfig", "RFDETRBaseConfig", "RFDETRLargeDeprecatedConfig", "RFDETRNanoConfig", "RFDETRSmallConfig",
    "RFDETRMediumConfig", "RFDETRLargeConfig", "RFDETRSegPreviewConfig", "RFDETRSegNanoConfig",
    "RFDETRSegSmallConfig", "RFDETRSegMediumConfig", "RFDETRSegLargeConfig", "RFDETRSegXLargeConfig",
    "RFDETRSeg2XLargeConfig", "RFDETRKeypointPreviewConfig",
)  # fmt: skip
TORCH_ONCE = "'mkldnn' is no longer used as device type"
UNION_TYPES = (typing.Union, types.UnionType)
PATH_FIELDS = {"dataset_dir", "output_dir", "pretrain_weights", "resume"}

ref: Any = None  # rfdetr.config, imported after the environment is fixed
pydantic: Any = None


def version_key(release: str) -> tuple[int, ...]:
    return tuple(int(p) for p in release.split("."))


# ---------------------------------------------------------------------------------------------
# Values as data: vectors_format's tags, plus "$x" for what it cannot encode.
# ---------------------------------------------------------------------------------------------


def encode(value: Any, _open: frozenset[int] = frozenset()) -> Any:
    """``vectors_format.encode``, extended to any value: an unknown leaf becomes ``{"$x": [type, repr]}``.

    The repr has object addresses masked; such a value cannot be decoded (only compared as data). A container
    that holds itself is written ``{"$x": [type, "<cycle>"]}`` where it recurs.
    """
    kind = type(value)
    if kind in (dict, list, tuple):
        if id(value) in _open:
            return {"$x": [kind.__name__, "<cycle>"]}
        inner = _open | {id(value)}
        if kind is dict:
            return {"$d": [[encode(k, inner), encode(v, inner)] for k, v in value.items()]}
        items = [encode(v, inner) for v in value]
        return items if kind is list else {"$t": items}
    try:
        return vf.encode(value)
    except (TypeError, ValueError, RecursionError):
        return {"$x": [f"{kind.__module__}.{kind.__qualname__}", vf.mask_addresses(safe_repr(value))]}


def safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception as error:  # an object whose repr fails is data too
        return f"<repr failed: {type(error).__name__}>"


def noted(caught: list[warnings.WarningMessage]) -> list[list[str]]:
    return [
        [w.category.__name__, vf.mask_addresses(str(w.message))]
        for w in caught
        if not str(w.message).startswith(TORCH_ONCE)
    ]


def error_list(error: Any) -> list[dict[str, Any]]:
    """A pydantic ValidationError's ``errors()``, each entry's type, loc, msg and input as data."""
    out = []
    for e in error.errors():
        out.append({"type": e["type"], "loc": [encode(p) for p in e["loc"]], "msg": vf.mask_addresses(e["msg"]),
                    "input": encode(e.get("input"))})  # fmt: skip
    return out


def observed(act: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
    """Run ``act``; return its result (or None) and what happened: ok, errors or crash, warnings."""
    result = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = act()
        except pydantic.ValidationError as error:
            outcome: dict[str, Any] = {"ok": False, "errors": error_list(error)}
        except Exception as error:  # a crash of the reference is data here
            outcome = {"ok": False, "crash": [type(error).__name__, vf.mask_addresses(str(error))]}
        else:
            outcome = {"ok": True}
    outcome["warnings"] = noted(caught)
    return result, outcome


def model_state(model: Any) -> dict[str, Any]:
    return {"dump": encode(model.model_dump()), "set": sorted(model.model_fields_set)}


# ---------------------------------------------------------------------------------------------
# Field annotations -> candidate values (valid-looking ones, for run files).
# ---------------------------------------------------------------------------------------------


def enum_types() -> dict[str, type]:
    return {
        n: getattr(ref, n) for n in ("AugmentationBackend", "MultiScale") if isinstance(getattr(ref, n, None), type)
    }


def annotation_args(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    return typing.get_origin(tp), typing.get_args(tp)


def run_pool(name: str, tp: Any) -> list[Any]:
    """Values of the right type for one field (the release decides which it accepts)."""
    if name in PATH_FIELDS:
        return ["data", "~/datasets/coco", "/srv/data/run", pathlib.Path("p/q"), "weights/w.pth"]
    if name == "device":
        return ["cpu"]
    if name in ("optimizer", "lr_scheduler"):
        base = ["adamw", "sgd", "adam"] if name == "optimizer" else ["step", "cosine"]
        return [*base, cb.make_optimizer if name == "optimizer" else cb.make_scheduler]
    origin, args = annotation_args(tp)
    if tp is bool:
        return [True, False]
    if tp is int:
        return [1, 2, 3, 8, 16, 100]
    if tp is float:
        return [0.0, 0.25, 0.5, 1e-4, 2.0, 1e-05, 0.9]
    if tp is str:
        return ["x", "run-1", "\u00f1ame"]
    if tp is typing.Any:
        return [None, 1, "x", {"k": [1, 2.5]}, [1, "a"]]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return list(tp)
    if origin is typing.Literal:
        return list(args)
    if origin in UNION_TYPES:
        out: list[Any] = []
        for a in args:
            if a is type(None):
                out.append(None)
            elif a is not pathlib.Path and typing.get_origin(a) is not collections_abc_callable():
                out += run_pool(name, a)
        return out
    if origin is list:
        (item,) = args
        if item is int:
            return [[], [1, 2], [0, 17], [17]]
        if item is float:
            return [[0.5, 0.25], []]
        if item is str:
            return [["a", "b"], []]
        if typing.get_origin(item) is typing.Literal:
            return [[m] for m in typing.get_args(item)]
    if origin is dict:
        return [{}, {"a": 1}, {"HorizontalFlip": {"p": 0.5}}]
    raise TypeError(f"no run-file pool for {name}: {tp!r}")


def collections_abc_callable() -> Any:
    import collections.abc

    return collections.abc.Callable


def fields_of(cls: type) -> dict[str, Any]:
    return {n: info.annotation for n, info in cls.model_fields.items()}  # type: ignore[attr-defined]


def required_values(cls: type) -> dict[str, Any]:
    """Values for the fields a class requires: the Small variant's defaults (dataset_dir: a path)."""
    small = ref.RFDETRSmallConfig.model_fields
    out: dict[str, Any] = {}
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        if info.is_required():
            out[name] = "data" if name == "dataset_dir" else small[name].default
    return out


def valid_mix(cls: type, base: dict[str, Any], rnd: random.Random, count: int) -> dict[str, Any]:
    """``base`` plus up to ``count`` random fields with pool values, keys the class rejects dropped."""
    fields = fields_of(cls)
    names = sorted(fields)
    data = dict(base)
    for name in rnd.sample(names, min(count, len(names))):
        if name != "output_dir":  # the file goes there: keep it under the fixed working directory
            data[name] = rnd.choice(run_pool(name, fields[name]))
    for _ in range(8):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                cls(**data)
                return data
            except pydantic.ValidationError as error:
                bad = {e["loc"][0] for e in error.errors() if e["loc"]}
            except Exception:
                bad = set(data) - set(base)
        if not bad - set(base):
            return dict(base)
        for key in bad - set(base):
            data.pop(key, None)
    return dict(base)


# ---------------------------------------------------------------------------------------------
# Part 1: run files (output_dir/training_config.json)
# ---------------------------------------------------------------------------------------------


class Color(enum.Enum):
    """A plain (non-str) enum given as a free-form value."""

    RED = 1


class Level(enum.IntEnum):
    LOW = 1


class Shown:
    """An object with its own ``__str__``."""

    def __str__(self) -> str:
        return "shown-object"


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text")


def odd_values() -> list[tuple[str, Any]]:
    """Values a free-form field (``notes``, ``aug_config``) can hold that JSON does not know (``default=str``)."""
    import numpy as np
    import torch

    cyclic: list[Any] = []
    cyclic.append(cyclic)
    return [
        ("set", {3, 1, 2}),
        ("frozenset", frozenset({"a"})),
        ("bytes", b"ab\x00\xff"),
        ("path", pathlib.Path("p/q")),
        ("pure-windows-path", pathlib.PureWindowsPath("C:/x/y")),
        ("decimal", decimal.Decimal("1.10")),
        ("datetime", datetime.datetime(2024, 1, 2, 3, 4, 5)),
        ("date", datetime.date(2024, 1, 2)),
        ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ("complex", complex(1, 2)),
        ("plain-enum", Color.RED),
        ("int-enum", Level.LOW),
        ("range", range(3)),
        ("object-with-str", Shown()),
        ("object-without-str", object()),
        ("function", cb.make_optimizer),
        ("lambda", lambda: None),
        ("class", cb.TopLevelOptimizer),
        ("numpy-float32", np.float32(1.5)),
        ("numpy-float64", np.float64(0.1)),
        ("numpy-int64", np.int64(3)),
        ("numpy-bool", np.bool_(True)),
        ("numpy-array", np.array([1, 2])),
        ("torch-tensor", torch.tensor(1.5)),
        ("torch-device", torch.device("cpu")),
        ("torch-dtype", torch.float32),
        ("tuple", (1, "a", None)),
        ("nan", float("nan")),
        ("inf", float("inf")),
        ("-inf", float("-inf")),
        ("negative-zero", -0.0),
        ("big-int", 10**30),
        ("non-ascii", "\u00f1\u65e5\u672c\U0001f600"),
        ("control-chars", "a\tb\nc\x00"),
        ("int-keys", {1: "a", 2.5: "b", True: "c", None: "d"}),  # noqa: F601 - True is the key 1: "c" wins
        ("tuple-keys", {(1, 2): "a"}),
        ("object-keys", {Shown(): 1}),
        ("cyclic-list", cyclic),
        ("unprintable", Unprintable()),
        ("nested", {"a": [{"b": {1, 2}}, (pathlib.Path("x"),)]}),
    ]


def detector_names() -> dict[str, list[str]]:
    """Model config class -> the detector classes (``rfdetr.variants`` etc.) that use it, whose name rfdetr
    writes into ``model_name`` (``type(detector).__name__``) before it writes a run file."""
    import rfdetr
    import rfdetr.detr

    names: dict[str, list[str]] = {}
    seen: set[type] = set()
    stack = [rfdetr.detr.RFDETR]
    with contextlib.suppress(Exception):
        for name in dir(rfdetr):
            obj = getattr(rfdetr, name, None)
            if isinstance(obj, type) and issubclass(obj, rfdetr.detr.RFDETR):
                stack.append(obj)
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
        config = cls.__dict__.get("_model_config_class") or getattr(cls, "_model_config_class", None)
        if config is not None:
            names.setdefault(config.__name__, []).append(cls.__name__)
    return {k: sorted(set(v)) for k, v in sorted(names.items())}


TRAIN_FOR_MODEL = {
    "RFDETRSegPreviewConfig": "SegmentationTrainConfig", "RFDETRSegNanoConfig": "SegmentationTrainConfig",
    "RFDETRSegSmallConfig": "SegmentationTrainConfig", "RFDETRSegMediumConfig": "SegmentationTrainConfig",
    "RFDETRSegLargeConfig": "SegmentationTrainConfig", "RFDETRSegXLargeConfig": "SegmentationTrainConfig",
    "RFDETRSeg2XLargeConfig": "SegmentationTrainConfig", "RFDETRKeypointPreviewConfig": "KeypointTrainConfig",
}  # fmt: skip


def runfile_cases(release: str, detectors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The (model config, training config, what rfdetr assigns, class names) cases of one release.

    Each case is data: constructor keyword arguments, then the assignments rfdetr's training code makes
    before writing (``steps``: ``["model"|"train", field, value]`` in order), then the class names it writes.
    """
    rnd = random.Random(f"{SEED}:runfiles")
    cases: list[dict[str, Any]] = []
    models = [m for m in MODEL_CLASSES if hasattr(ref, m)]
    counter = iter(range(10**6))

    def add(label: str, model: str, mkw: dict[str, Any], train: str, tkw: dict[str, Any], **extra: Any) -> None:
        n = next(counter)
        tkw = dict(tkw)
        if not extra.pop("default_output_dir", False):
            tkw.setdefault("output_dir", f"runs/{n:03d}")
        name = extra.pop("model_name", None) or (detectors.get(model) or ["RFDETR"])[0]
        cases.append({"id": n, "label": label, "model_class": model, "model_kwargs": mkw, "train_class": train,
                      "train_kwargs": tkw, "model_name": name, **extra})  # fmt: skip

    # Every model class with its usual training class, and with each other training class, defaults only.
    for model in models:
        mkw = required_values(getattr(ref, model)) if model == "ModelConfig" else {}
        usual = TRAIN_FOR_MODEL.get(model, "TrainConfig")
        add("defaults", model, mkw, usual, {"dataset_dir": "data"}, class_names=["cat", "dog"])
    for model in ("RFDETRNanoConfig", "RFDETRSegNanoConfig", "RFDETRKeypointPreviewConfig"):
        for train in TRAIN_CLASSES:
            if train != TRAIN_FOR_MODEL.get(model, "TrainConfig"):
                add("cross-class", model, {}, train, {"dataset_dir": "data"}, class_names=["a"])
    # Every detector class name that rfdetr writes for a config class.
    for model, names in detectors.items():
        for name in names[1:]:
            mkw = required_values(getattr(ref, model)) if model == "ModelConfig" else {}
            add("other-detector-name", model, mkw, TRAIN_FOR_MODEL.get(model, "TrainConfig"),
                {"dataset_dir": "data"}, class_names=["a", "b"], model_name=name)  # fmt: skip
    add("large-deprecated-fallback", "RFDETRLargeDeprecatedConfig", {}, "TrainConfig", {"dataset_dir": "data"},
        class_names=["a"], model_name="RFDETRLarge")  # fmt: skip
    add("base-class-name", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data"}, model_name="RFDETR")
    # Class names: none, empty, explicit, non-ASCII; the 1.11 start-of-run copy may carry null.
    for label, names in (("class-names-null", None), ("class-names-empty", []), ("class-names-unicode",
                         ["\u00f1and\u00fa", "\u65e5\u672c", "a\"b\\c"]),
                        ("class-names-many", [f"c{i}" for i in range(80)])):  # fmt: skip
        add(label, "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data"}, class_names=names)
    add("class-names-from-train-config", "RFDETRNanoConfig", {}, "TrainConfig",
        {"dataset_dir": "data", "class_names": ["x", "y"]}, class_names=["x", "y"])  # fmt: skip
    # What training assigns on the configs before writing.
    add("dataset-num-classes", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data"},
        steps=[["model", "num_classes", 3]], class_names=["a", "b", "c"])  # fmt: skip
    add("explicit-num-classes-kept", "RFDETRNanoConfig", {"num_classes": 5}, "TrainConfig", {"dataset_dir": "data"},
        class_names=["a", "b", "c"])  # fmt: skip
    add("resolution-override", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data"},
        resolution=640, class_names=["a"])  # fmt: skip
    add("resolution-override-base", "RFDETRBaseConfig", {}, "TrainConfig", {"dataset_dir": "data"},
        resolution=448, class_names=["a"])  # fmt: skip
    add("auto-batch", "RFDETRSmallConfig", {}, "TrainConfig", {"dataset_dir": "data", "batch_size": "auto"},
        auto_batch=[6, 3], class_names=["a"])  # fmt: skip
    add("keypoint-schema-padded", "RFDETRKeypointPreviewConfig", {}, "KeypointTrainConfig", {"dataset_dir": "data"},
        steps=[["train", "keypoint_flip_pairs", [1, 2, 3, 4]], ["model", "num_keypoints_per_class", [17, 0]],
               ["model", "num_classes", 2]], class_names=["person", "bike"])  # fmt: skip
    add("pretrain-weights-none", "RFDETRNanoConfig", {"pretrain_weights": None}, "TrainConfig",
        {"dataset_dir": "data"}, class_names=["a"])  # fmt: skip
    add("pretrain-weights-path", "RFDETRNanoConfig", {"pretrain_weights": pathlib.Path("weights/n.pth")},
        "TrainConfig", {"dataset_dir": pathlib.Path("data")}, class_names=["a"])  # fmt: skip
    add("paths", "RFDETRNanoConfig", {"pretrain_weights": "~/w.pth"}, "TrainConfig",
        {"dataset_dir": "~/d/../data", "output_dir": pathlib.Path("out/x"), "resume": pathlib.Path("last.ckpt")},
        class_names=["a"])  # fmt: skip
    add("dataset-dir-none", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": None}, class_names=None)
    add("default-output-dir", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data"}, class_names=["a"],
        default_output_dir=True)  # fmt: skip
    # Floats JSON writes its own way.
    add("float-specials", "RFDETRNanoConfig", {"cls_loss_coef": float("inf")}, "TrainConfig",
        {"dataset_dir": "data", "lr": float("nan"), "weight_decay": -0.0, "warmup_epochs": 1e-300,
         "lr_encoder": 1e16, "epochs": 10**20}, class_names=["a"])  # fmt: skip
    # Enum members and callables given as values (what the release accepts decides).
    tfields = fields_of(ref.TrainConfig)
    for enum_name, enum_cls in enum_types().items():
        field = "augmentation_backend" if enum_name == "AugmentationBackend" else "multi_scale"
        for member in enum_cls.__members__.values():
            add(f"enum-{enum_name}.{member.name}", "RFDETRNanoConfig", {}, "TrainConfig",
                {"dataset_dir": "data", field: member}, class_names=["a"])  # fmt: skip
    if "multi_scale" in tfields and "MultiScale" not in enum_types():
        for value in (True, False):
            add(
                "multi-scale-bool", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data", "multi_scale": value}
            )
    if "optimizer" in tfields:
        import torch

        for label, value in (("optimizer-function", cb.make_optimizer), ("optimizer-class", cb.TopLevelOptimizer),
                             ("optimizer-torch-class", torch.optim.SGD), ("optimizer-lambda", lambda p: None),
                             ("optimizer-partial", functools.partial(cb.make_optimizer, lr=0.5)),
                             ("optimizer-partial-odd",
                              functools.partial(cb.make_optimizer, lr=decimal.Decimal(1)))):  # fmt: skip
            add(label, "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data", "optimizer": value})
        for label, value in (("scheduler-function", cb.make_scheduler), ("scheduler-plateau", cb.TorchStylePlateau),
                             ("scheduler-lambda", lambda o: None), ("scheduler-torch-class",
                              torch.optim.lr_scheduler.StepLR)):  # fmt: skip
            add(label, "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data", "lr_scheduler": value})
    # Free-form values JSON does not know, in notes (Any) and aug_config (dict[str, Any]).
    for label, value in odd_values():
        add(f"notes-{label}", "RFDETRNanoConfig", {}, "TrainConfig", {"dataset_dir": "data", "notes": value})
    for label, value in odd_values()[:12]:
        add(f"aug-config-{label}", "RFDETRNanoConfig", {}, "TrainConfig",
            {"dataset_dir": "data", "aug_config": {"Op": {"p": 0.5, "v": value}}})  # fmt: skip
    # Seeded mixes of valid values over every class pair.
    for i in range(4):
        for model in models:
            mcls = getattr(ref, model)
            base = required_values(mcls) if model == "ModelConfig" else {}
            mkw = valid_mix(mcls, base, rnd, rnd.randint(2, 8))
            train = TRAIN_FOR_MODEL.get(model, "TrainConfig") if i % 2 == 0 else rnd.choice(TRAIN_CLASSES)
            tcls = getattr(ref, train)
            tkw = valid_mix(
                tcls, {"dataset_dir": "data", "output_dir": f"runs/mix-{i}-{model}"}, rnd, rnd.randint(3, 12)
            )
            names = rnd.choice([None, ["a"], ["cat", "dog", "bird"]])
            add(f"mix-{i}", model, mkw, train, tkw, class_names=names)
    return cases


def inline_writer(config: Any, model_config: Any, class_names: Any) -> None:
    """The run-file write of rfdetr 1.8.1-1.10.x, which is inline in ``RFDETR.train`` (``detr.py``): the same dict,
    the same calls, in the same order; an OSError was logged and swallowed there, anything else propagated."""
    complete_config = {
        "train_config": config.model_dump(),
        "model_config": model_config.model_dump(),
        "model_config_type": model_config.__class__.__name__,
        "class_names": class_names,
        "num_classes": len(class_names) if class_names else 0,
    }
    os.makedirs(config.output_dir, exist_ok=True)
    with open(os.path.join(config.output_dir, "training_config.json"), "w") as f:
        json.dump(complete_config, f, indent=2, default=str)


def release_writer(release: str) -> tuple[str, Callable[[Any, Any, Any], None]]:
    if version_key(release) >= (1, 11, 0):
        import rfdetr.detr

        return "rfdetr.detr._save_training_config", rfdetr.detr._save_training_config
    return "inline json.dump in RFDETR.train (detr.py)", inline_writer


def prepare_run(case: dict[str, Any], release: str) -> tuple[Any, Any, dict[str, Any]]:
    """Build the two configs and make rfdetr's assignments in the order ``RFDETR.__init__``/``train`` make them."""
    from rfdetr.assets.model_weights import get_model_cache_dir

    steps: list[list[Any]] = []
    mcls, tcls = getattr(ref, case["model_class"]), getattr(ref, case["train_class"])
    model, built = observed(lambda: mcls(**case["model_kwargs"]))
    if model is None:
        return None, None, {"model_build": built}
    log: dict[str, Any] = {"model_build": built}

    def assign(target: str, obj: Any, field: str, value: Any) -> None:
        _, outcome = observed(lambda: setattr(obj, field, value))
        steps.append([target, field, encode(value), outcome["ok"], outcome["warnings"]])

    # __init__ -> maybe_download_pretrain_weights: a bare file name resolves to the model cache.
    weights = model.pretrain_weights
    if weights is not None:
        weights = os.fspath(weights)
        if not os.path.dirname(weights):
            weights = os.path.join(get_model_cache_dir(), weights)
        assign("model", model, "pretrain_weights", weights)
    # train(resolution=...): PE follows the resolution only when it was derived from it.
    if case.get("resolution"):
        new = case["resolution"]
        if model.positional_encoding_size == model.resolution // model.patch_size:
            assign("model", model, "positional_encoding_size", new // model.patch_size)
        assign("model", model, "resolution", new)
    config, built = observed(lambda: tcls(**case["train_kwargs"]))
    log["train_build"] = built
    if config is None:
        return None, None, log
    if case.get("auto_batch") and config.batch_size == "auto":
        assign("train", config, "batch_size", case["auto_batch"][0])
        assign("train", config, "grad_accum_steps", case["auto_batch"][1])
    assign("model", model, "model_name", case["model_name"])
    for target, field, value in case.get("steps", []):
        if target == "train" and field == "keypoint_flip_pairs" and version_key(release) < (1, 8, 2):
            continue  # 1.8.1's dataset alignment does not set the flip pairs
        if field == "num_classes" and "num_classes" in model.model_fields_set:
            continue  # an explicit num_classes is kept (a warning is logged instead)
        assign(target, model if target == "model" else config, field, value)
    log["steps"] = steps
    return model, config, log


def read_back(text: str, train_class: str) -> dict[str, Any]:
    """What the release does with the file it wrote: each config's ``model_validate`` of its part."""
    try:
        data = json.loads(text)
    except ValueError as error:
        return {"json_error": str(error)}
    out: dict[str, Any] = {}
    for key, cls_name in (("model_config", data.get("model_config_type")), ("train_config", train_class)):
        cls = getattr(ref, cls_name, None) if isinstance(cls_name, str) else None
        if cls is None:
            out[key] = {"ok": False, "crash": ["missing class", str(cls_name)]}
            continue
        model, outcome = observed(lambda cls=cls, key=key: cls.model_validate(data[key]))
        if model is not None:
            outcome.update(model_state(model))
        out[key] = outcome
    return out


def record_runfiles(release: str) -> list[dict[str, Any]]:
    """Every case written under the fixed working directory (``runs/NNN``): one release at a time (a lock)."""
    with exclusive("rfdetr-config-files-runfiles.lock"):
        return _record_runfiles(release)


def _record_runfiles(release: str) -> list[dict[str, Any]]:
    writer_name, writer = release_writer(release)
    detectors = detector_names()
    records = []
    import rfdetr.detr

    logger = getattr(rfdetr.detr, "logger", None) or logging.getLogger("rfdetr")
    for case in runfile_cases(release, detectors):
        model, config, log = prepare_run(case, release)
        record: dict[str, Any] = {
            "release": release, "id": case["id"], "label": case["label"], "writer": writer_name,
            "model_class": case["model_class"], "model_kwargs": encode(case["model_kwargs"]),
            "train_class": case["train_class"], "train_kwargs": encode(case["train_kwargs"]),
            "model_name": case["model_name"], "resolution": case.get("resolution"),
            "auto_batch": case.get("auto_batch"), "class_names": encode(case.get("class_names")), **log,
        }  # fmt: skip
        if model is None:
            records.append(record)
            continue
        path = pathlib.Path(config.output_dir) / "training_config.json"
        shutil.rmtree(path.parent, ignore_errors=True)
        logs = io.StringIO()
        handler = logging.StreamHandler(logs)
        logger.addHandler(handler)
        _, wrote = observed(functools.partial(writer, config, model, case.get("class_names")))
        logger.removeHandler(handler)
        record["write"] = wrote
        if logs.getvalue():
            record["write"]["logged"] = vf.mask_addresses(logs.getvalue().splitlines()[0])
        record["path"] = str(path)
        if path.exists():
            raw = path.read_bytes()
            record["text"] = raw.decode("utf-8", errors="surrogateescape")
            record["mode"] = oct(path.stat().st_mode & 0o777)
            record["leftovers"] = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
            record["read_back"] = read_back(record["text"], case["train_class"])
        else:
            record["text"] = None
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# Part 2: `rfdetr fit` YAML, through jsonargparse as rfdetr's LightningCLI reads it.
# ---------------------------------------------------------------------------------------------


def fit_parser(linked: bool = True) -> Any:
    """The ``model`` and ``data`` part of ``rfdetr fit``'s parser without Lightning (``linked=False``: ``model`` only).

    LightningCLI adds each class with ``add_class_arguments(cls, key, fail_untyped=False, sub_configs=True)``;
    rfdetr's module and data module both take ``(model_config: ModelConfig, train_config: TrainConfig)`` and its CLI
    links ``model.model_config``/``model.train_config`` to the data module's on parse. The linking shows in some
    error messages, and it builds the configs twice (warnings come twice), so it is kept.
    """
    from jsonargparse import ActionConfigFile, ArgumentParser

    def stand_in(name: str) -> type:
        def __init__(self, model_config, train_config):  # type: ignore[no-untyped-def]
            self.model_config = model_config
            self.train_config = train_config

        # The classes themselves, not names: this module's annotations are strings (``from __future__``).
        __init__.__annotations__ = {"model_config": ref.ModelConfig, "train_config": ref.TrainConfig, "return": None}
        return type(name, (), {"__init__": __init__})

    parser = ArgumentParser(exit_on_error=False)
    parser.add_argument("-c", "--config", action=ActionConfigFile)
    parser.add_class_arguments(stand_in("RFDETRModelModule"), "model", fail_untyped=False, sub_configs=True)
    if linked:
        parser.add_class_arguments(stand_in("RFDETRDataModule"), "data", fail_untyped=False, sub_configs=True)
        parser.link_arguments("model.model_config", "data.model_config", apply_on="parse")
        parser.link_arguments("model.train_config", "data.train_config", apply_on="parse")
    return parser


def input_path() -> pathlib.Path:
    """The YAML file given to ``--config``: one per release and jsonargparse, so that recordings can overlap."""
    return pathlib.Path(vf.WORKDIR) / f"fit-input-{importlib.metadata.version('rfdetr')}-{jsonargparse_version()}.yaml"


def parse_yaml(parser: Any, text: str) -> Any:
    """``--config FILE`` with ``text`` in the file, as ``rfdetr fit --config FILE`` reads it."""
    path = input_path()
    path.write_text(text, encoding="utf-8")
    return parser.parse_args(["--config", path.name])


def jsonargparse_version() -> str:
    return importlib.metadata.version("jsonargparse")


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


BOOL_YAML = ["true", "false", "1", "0", "yes", "no", "on", "off", "'true'", "'false'", "True", "TRUE", "'yes'",
             "'1'", "'0'", "null", "2", "1.0", "[true]", "y", "'on'"]  # fmt: skip
INT_YAML = ["5", "5.0", "'8'", '"8"', "-1", "0", "1e3", "'1e3'", "0x10", "1_000", "true", "null", "'abc'", "[1]",
            "5.5", "'5.0'", "+3", "007", "~", "100000000000000000000", "'  8 '", "1:30"]  # fmt: skip
FLOAT_YAML = ["0.5", "1", "1e-4", "'1e-4'", "1.0e-4", "1.0e-04", ".inf", "-.inf", ".nan", "'nan'", "'inf'", "null",
              "true", "'abc'", "[0.5]", "'0.5'", "1_000.5", "0x10", "-0.0", "1e400", "'1e400'", "5"]  # fmt: skip
STR_YAML = ["abc", "''", "123", "1.5", "null", "'null'", "true", "[a]", "{a: 1}", "~", "2024-01-02", "\u00f1ame",
            "'x # not a comment'", "None"]  # fmt: skip
OPTIONAL_YAML = ["null", "'null'", "None", "'None'", "~", "''"]
PATH_YAML = ["data", "~/data", "/srv/data", "./a/../b", "null", "''", "5", "[a]", "'~'", "C:\\\\data"]
LIST_INT_YAML = ["[0, 1]", "[]", "5", "'[1, 2]'", "null", "[a]", "[1.0, 2]", "['1']", "0,1", "[true]", "{a: 1}"]
LIST_FLOAT_YAML = ["[0.5, 0.25]", "[1, 2]", "0.5", "[]", "null", "['0.5']", "[1e-4]", "[.nan]"]
LIST_STR_YAML = ["[a, b]", "a", "[]", "null", "[1, 2]", "[yes, no]", "['1', 'x y']", "[null]"]
DICT_YAML = ["{a: 1}", "{}", "null", "[]", "x", "{1: 2}", "{a: {b: [1, 2.5]}}", "{a: null}"]
ANY_YAML = ["x", "1", "{a: 1}", "[1, a]", "null", "true", "1.5", "2024-01-02", "{a: [1, {b: null}]}"]
DEVICE_YAML = ["cpu", "cuda:0", "cuda", "gpu", "CPU", "null", "1", "mps"]
CALLABLE_YAML = {
    "optimizer": ["adamw", "sgd", "SGD", "AdamW", "torch.optim.SGD", "{class_path: torch.optim.SGD}",
                  "{class_path: torch.optim.SGD, init_args: {lr: 0.1}}", "tests.conformance.callables.make_optimizer",
                  "null", "5", "nonexistent"],
    "lr_scheduler": ["step", "cosine", "Cosine", "StepLR", "torch.optim.lr_scheduler.StepLR",
                     "{class_path: torch.optim.lr_scheduler.StepLR, init_args: {step_size: 3}}", "ReduceLROnPlateau",
                     "tests.conformance.callables.make_scheduler", "null", "5", "linear"],
}  # fmt: skip


def enum_yaml(enum_cls: type) -> list[str]:
    out = []
    for name, member in enum_cls.__members__.items():
        out += [name, name.lower(), member.value, member.value.upper(), quoted(member.value), quoted(name)]
    return [*out, "true", "false", "null", "'on'", "other"]


def literal_yaml(members: tuple[Any, ...]) -> list[str]:
    out: list[str] = []
    for m in members:
        out += [str(m), str(m).upper(), quoted(str(m))]
    return [*out, "other", "null", "1", "''"]


def yaml_pool(name: str, tp: Any) -> list[str]:
    """YAML texts for one field's value: valid and invalid, in jsonargparse's and YAML's edge cases."""
    if name in PATH_FIELDS:
        return list(PATH_YAML)
    if name == "device":
        return list(DEVICE_YAML)
    if name in CALLABLE_YAML:
        return list(CALLABLE_YAML[name])
    origin, args = annotation_args(tp)
    if tp is bool:
        return list(BOOL_YAML)
    if tp is int:
        return list(INT_YAML)
    if tp is float:
        return list(FLOAT_YAML)
    if tp is str:
        return list(STR_YAML)
    if tp is typing.Any:
        return list(ANY_YAML)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return enum_yaml(tp)
    if origin is typing.Literal:
        return literal_yaml(args)
    if origin in UNION_TYPES:
        out: list[str] = []
        for a in args:
            if a is type(None):
                out += OPTIONAL_YAML
            else:
                out += [v for v in yaml_pool(name, a) if v not in out]
        return list(dict.fromkeys(out))
    if origin in (list, typing.List):
        (item,) = args
        if item is int:
            return list(LIST_INT_YAML)
        if item is float:
            return list(LIST_FLOAT_YAML)
        if item is str:
            return list(LIST_STR_YAML)
        if typing.get_origin(item) is typing.Literal:
            return ["[P3, P4]", "[p4]", "P4", "[]", "null", "[P6]", "'[P4]'"]
    if origin in (dict, typing.Dict):
        return list(DICT_YAML)
    raise TypeError(f"no YAML pool for {name}: {tp!r}")


def scalar_yaml(value: Any) -> str:
    """A default value as YAML flow text (for the required fields of the base document)."""
    if isinstance(value, enum.Enum):
        value = value.value
    return json.dumps(value)


def fit_document(model: dict[str, str] | None, train: dict[str, str] | None) -> str:
    """``model: {model_config: ..., train_config: ...}`` with each value given as YAML text."""
    lines = ["model:"]
    for key, group in (("model_config", model), ("train_config", train)):
        if group is None:
            continue
        if not group:
            lines.append(f"  {key}: {{}}")
            continue
        lines.append(f"  {key}:")
        lines += [f"    {k}: {v}" for k, v in group.items()]
    return "\n".join(lines) + "\n"


def base_groups() -> tuple[dict[str, str], dict[str, str]]:
    """The smallest accepted direct-shape input: ModelConfig's required fields (the Small variant's values), and
    ``dataset_dir``."""
    model = {k: scalar_yaml(v) for k, v in required_values(ref.ModelConfig).items()}
    return model, {"dataset_dir": "data"}


def fit_corpus(release: str) -> list[tuple[str, str, str]]:
    """(label, shape, YAML text) inputs for one release, from its field declarations and a fixed seed."""
    rnd = random.Random(f"{SEED}:fit")
    model_base, train_base = base_groups()
    out: list[tuple[str, str, str]] = [("base", "direct", fit_document(model_base, train_base))]
    groups = (("model_config", ref.ModelConfig, model_base), ("train_config", ref.TrainConfig, train_base))
    showcased: set[str] = set()
    # One field at a time: the whole pool for the first field of each annotation, a sample for the others.
    for key, cls, base in groups:
        for name, tp in fields_of(cls).items():
            pool = yaml_pool(name, tp)
            kind = repr(tp)
            if kind not in showcased or name in PATH_FIELDS or name in CALLABLE_YAML or name == "device":
                showcased.add(kind)
                chosen = pool
            else:
                chosen = [pool[0], *rnd.sample(pool[1:], min(3, len(pool) - 1))]
            for text in chosen:
                group = {**base, name: text}
                doc = fit_document(group, train_base) if key == "model_config" else fit_document(model_base, group)
                out.append((f"{key}.{name}={text}", "direct", doc))
    # Seeded mixes over both groups.
    for i in range(120):
        groups_out = []
        for _key, cls, base in groups:
            fields = fields_of(cls)
            group = dict(base)
            for name in rnd.sample(sorted(fields), rnd.randint(1, 5)):
                group[name] = rnd.choice(yaml_pool(name, fields[name]))
            groups_out.append(group)
        out.append((f"mix-{i}", "direct", fit_document(*groups_out)))
    out += hand_cases(model_base, train_base)
    return out


def flow(group: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in group.items()) + "}"


def hand_cases(model_base: dict[str, str], train_base: dict[str, str]) -> list[tuple[str, str, str]]:
    """Hand-written inputs: the class_path shape for every class, unknown keys, nulls, comments, YAML oddities."""
    out: list[tuple[str, str, str]] = []
    train_doc = "  train_config:\n    dataset_dir: data\n"
    model_doc = "  model_config:\n" + "".join(f"    {k}: {v}\n" for k, v in model_base.items())
    for name in MODEL_CLASSES:
        if not hasattr(ref, name):
            continue
        for path, shape in ((f"rfdetr.config.{name}", "class_path"), (name, "class_path_short")):
            out.append((f"class_path {path}", shape, f"model:\n  model_config:\n    class_path: {path}\n{train_doc}"))
        out.append((f"class_path {name} init_args", "class_path",
                    f"model:\n  model_config:\n    class_path: rfdetr.config.{name}\n    init_args:\n"
                    f"      num_classes: 3\n{train_doc}"))  # fmt: skip
    out.append(("class_path ModelConfig with its required init_args", "class_path",
                "model:\n  model_config:\n    class_path: rfdetr.config.ModelConfig\n    init_args:\n"
                + "".join(f"      {k}: {v}\n" for k, v in model_base.items()) + train_doc))  # fmt: skip
    out.append(("class_path ModelConfig short with init_args", "class_path_short",
                "model:\n  model_config:\n    class_path: ModelConfig\n    init_args:\n"
                + "".join(f"      {k}: {v}\n" for k, v in model_base.items()) + train_doc))  # fmt: skip
    out.append(("class_path rfdetr.RFDETRSmallConfig (package path)", "class_path",
                f"model:\n  model_config:\n    class_path: rfdetr.RFDETRSmallConfig\n{train_doc}"))  # fmt: skip
    out.append(("class_path unknown class", "class_path",
                f"model:\n  model_config:\n    class_path: rfdetr.config.NoSuchConfig\n{train_doc}"))  # fmt: skip
    out.append(("init_args without class_path", "class_path",
                "model:\n  model_config:\n    init_args:\n"
                + "".join(f"      {k}: {v}\n" for k, v in model_base.items()) + train_doc))  # fmt: skip
    for name in TRAIN_CLASSES:
        for path, shape in ((f"rfdetr.config.{name}", "class_path"), (name, "class_path_short")):
            out.append((f"train class_path {path}", shape,
                        f"model:\n{model_doc}  train_config:\n    class_path: {path}\n    init_args:\n"
                        "      dataset_dir: data\n"))  # fmt: skip
    out.append(("train class_path without init_args", "class_path",
                f"model:\n{model_doc}  train_config:\n    class_path: rfdetr.config.TrainConfig\n"))  # fmt: skip
    # Unknown keys and nulls.
    out.append(
        ("unknown key in model_config", "direct", fit_document({**model_base, "no_such_field": "1"}, train_base))
    )
    out.append(
        ("unknown key in train_config", "direct", fit_document(model_base, {**train_base, "no_such_field": "1"}))
    )
    out.append(("unknown key in model", "direct", fit_document(model_base, train_base) + "  no_such_key: 1\n"))
    out.append(("unknown top-level key", "direct", fit_document(model_base, train_base) + "no_such_key: 1\n"))
    out.append(("model_config only rfdetr 1.x-style variant key", "direct",
                fit_document({**model_base, "model_name": "RFDETRSmall"}, train_base)))  # fmt: skip
    out.append(("model: null", "direct", "model: null\n"))
    out.append(("empty document", "direct", ""))
    out.append(("model_config: null", "direct", f"model:\n  model_config: null\n{train_doc}"))
    out.append(("model_config empty value", "direct", f"model:\n  model_config:\n{train_doc}"))
    out.append(("model_config: {}", "direct", f"model:\n  model_config: {{}}\n{train_doc}"))
    out.append(("train_config: null", "direct", f"model:\n{model_doc}  train_config: null\n"))
    out.append(("train_config: {}", "direct", f"model:\n{model_doc}  train_config: {{}}\n"))
    out.append(("train_config missing", "direct", f"model:\n{model_doc}"))
    out.append(("dataset_dir explicitly null", "direct", fit_document(model_base, {"dataset_dir": "null"})))
    out.append(("required model field null", "direct", fit_document({**model_base, "encoder": "null"}, train_base)))
    out.append(("model_config as a string", "direct", f"model:\n  model_config: RFDETRSmallConfig\n{train_doc}"))
    out.append(("model_config as a list", "direct", f"model:\n  model_config: [1, 2]\n{train_doc}"))
    # Comments and YAML forms.
    commented = (
        "# a run\nmodel:  # the module\n  model_config:\n"
        + "".join(f"    {k}: {v}  # {k}\n" for k, v in model_base.items())
        + "  # between groups\n  train_config:\n    dataset_dir: data # trailing\n    project: 'a # b'\n"
    )
    out.append(("comments everywhere", "direct", commented))
    out.append(
        ("flow style", "direct", f"model: {{model_config: {flow(model_base)}, train_config: {flow(train_base)}}}\n")
    )
    out.append(("json document", "direct", json.dumps({"model": {"model_config": {k: json.loads(v) for k, v in
                model_base.items()}, "train_config": {"dataset_dir": "data"}}}) + "\n"))  # fmt: skip
    anchors = "model:\n  model_config: &m\n" + "".join(f"    {k}: {v}\n" for k, v in model_base.items())
    out.append(("anchor and merge key", "direct", anchors + "  train_config:\n    <<: {dataset_dir: data}\n"))
    out.append(("duplicate key (last wins in PyYAML)", "direct",
                fit_document(model_base, {**train_base, "epochs": "3"}) + "    epochs: 4\n"))  # fmt: skip
    out.append(
        ("tab indentation", "direct", fit_document(model_base, train_base).replace("    dataset_dir", "\tdataset_dir"))
    )
    out.append(("explicit tags", "direct", fit_document(model_base, {**train_base, "epochs": "!!int '8'",
                "lr": "!!float '1e-4'", "project": "!!str 5"})))  # fmt: skip
    out.append(("python tag refused by safe loader", "direct",
                fit_document(model_base, {**train_base, "notes": "!!python/tuple [1, 2]"})))  # fmt: skip
    out.append(("multi-document", "direct", fit_document(model_base, train_base) + "---\nmodel: null\n"))
    out.append(("norway problem in class_names", "direct",
                fit_document(model_base, {**train_base, "class_names": "[no, yes, on, off, 'no']"})))  # fmt: skip
    out.append(("sexagesimal and dates in str fields", "direct",
                fit_document(model_base, {**train_base, "project": "1:30", "run": "2024-01-02"})))  # fmt: skip
    out.append(("devices list", "direct", fit_document(model_base, {**train_base, "devices": "[0, 1]"})))
    out.append(("nested null in aug_config", "direct",
                fit_document(model_base, {**train_base,
                                          "aug_config": "{HorizontalFlip: null, a: {b: null}}"})))  # fmt: skip
    out.append(("block-style list", "direct", "model:\n  model_config:\n" + "".join(
        f"    {k}: {v}\n" for k, v in model_base.items() if k != "out_feature_indexes") +
        "    out_feature_indexes:\n    - 2\n    - 5\n" + train_doc))  # fmt: skip
    out.append(
        ("multi-line string", "direct", fit_document(model_base, {**train_base, "project": "|\n      a\n      b"}))
    )
    return out


def namespace_dict(value: Any) -> Any:
    from jsonargparse import Namespace

    if isinstance(value, Namespace):
        return {k: namespace_dict(v) for k, v in vars(value).items()}
    if isinstance(value, dict):
        return {k: namespace_dict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [namespace_dict(v) for v in value]
    return value


def parse_and_build(parser: Any, text: str, instantiate: bool = True) -> dict[str, Any]:
    """What the stand-in ``fit`` parser does with one YAML text: the parse, what it would pass the config classes,
    and what they then do."""
    record: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cfg = parse_yaml(parser, text)
        except Exception as error:
            record["parse"] = {"ok": False, "exception": type(error).__name__, "error": vf.mask_addresses(str(error))}
        else:
            record["parse"] = {"ok": True}
    record["parse"]["warnings"] = [w for w in noted(caught) if w[0] != "JsonargparseDeprecationWarning"]
    if not record["parse"]["ok"]:
        return record
    model_ns = cfg.get("model")
    record["received"] = {k: encode(namespace_dict(model_ns.get(k))) for k in ("model_config", "train_config")}
    record["types"] = {k: type(model_ns.get(k)).__name__ for k in ("model_config", "train_config")}
    if not instantiate:
        return record
    build = getattr(parser, "instantiate", None) or parser.instantiate_classes
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            init = build(cfg)
        except pydantic.ValidationError as error:
            outcome: dict[str, Any] = {"ok": False, "class": error.title, "errors": error_list(error)}
        except Exception as error:
            outcome = {"ok": False, "crash": [type(error).__name__, vf.mask_addresses(str(error))]}
            cause = error.__cause__ or error.__context__
            if isinstance(cause, pydantic.ValidationError):
                outcome.update({"class": cause.title, "errors": error_list(cause)})
        else:
            outcome = {"ok": True}
            module = init.model
            for key in ("model_config", "train_config"):
                value = getattr(module, key)
                outcome[key] = {"class": type(value).__name__, **model_state(value)} if hasattr(value, "model_dump") \
                    else {"class": type(value).__name__, "value": encode(value)}  # fmt: skip
    outcome["warnings"] = [w for w in noted(caught) if w[0] != "JsonargparseDeprecationWarning"]
    record["build"] = outcome
    return record


def linked_parser() -> tuple[Any, Any]:
    """The linked stand-in, or the exception its construction raises (jsonargparse before 4.41)."""
    try:
        return fit_parser(linked=True), None
    except Exception as error:
        return None, [type(error).__name__, str(error)]


def record_fit(release: str, instantiate: bool = True) -> list[dict[str, Any]]:
    """Each input through the ``model`` group alone (``parse``: jsonargparse's reading of the two configs, then the
    config classes: ``received``/``build``) and through the linked parser (``fit``: what ``rfdetr fit --config``
    itself does at parse time)."""
    parser = fit_parser(linked=False)
    linked, broken = linked_parser()
    version = jsonargparse_version()
    records = []
    for i, (label, shape, text) in enumerate(fit_corpus(release)):
        record = {"release": release, "jsonargparse": version, "id": i, "label": label, "shape": shape, "yaml": text}
        record.update(parse_and_build(parser, text, instantiate))
        if broken is not None:
            record["fit"] = {"ok": False, "parser_construction": broken}
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    parse_yaml(linked, text)
                    record["fit"] = {"ok": True}
                except Exception as error:
                    record["fit"] = {"ok": False, "exception": type(error).__name__, "error": str(error)}
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# The real `rfdetr fit`, run in this process as its console script runs it.
# ---------------------------------------------------------------------------------------------


def real_fit(argv: list[str]) -> dict[str, Any]:
    """``rfdetr fit ARGV`` (``rfdetr.training.cli.main``): exit status, stdout and stderr."""
    from rfdetr.training import cli

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["rfdetr", "fit", *argv]
    code: Any = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cli.main()
    except SystemExit as stop:
        code = stop.code
    except Exception as error:  # training would start: not wanted here
        code = f"{type(error).__name__}: {error}"
    finally:
        sys.argv = saved
    return {"argv": ["rfdetr", "fit", *argv], "rc": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def print_config_records(release: str) -> list[dict[str, Any]]:
    """The real ``rfdetr fit --print_config`` (no config: the defaults) and with the base input."""
    records = []
    model_base, train_base = base_groups()
    inputs = [("defaults", None), ("base input", fit_document(model_base, train_base))]
    for label, text in inputs:
        argv = ["--print_config"]
        if text is not None:
            path = input_path()
            path.write_text(text, encoding="utf-8")
            argv = ["--config", path.name, "--print_config"]
        result = real_fit(argv)
        records.append({"release": release, "kind": "print_config", "label": label, "yaml": text, **result})
    return records


def verify_cli(release: str, records: list[dict[str, Any]], count: int) -> dict[str, Any]:
    """Run the real command on ``count`` corpus inputs (spread over the corpus) and compare with the stand-ins.

    ``rfdetr fit --config X --print_config`` prints after loading (type checks) but before the parse links and
    the required-argument check: compared with the ``model``-only stand-in (acceptance, and the printed ``model``
    section). ``rfdetr fit --config X`` is run only where the linked stand-in refuses (a parse error stops it
    before the module is built): compared on refusal, its messages kept.
    """
    import yaml

    parser = fit_parser(linked=False)
    picked = sorted({round(i * (len(records) - 1) / max(count - 1, 1)) for i in range(count)})
    # The stand-in's dumps first: a real run in this process may change jsonargparse's global settings.
    dumps: dict[int, Any] = {}
    for index in picked:
        if records[index]["parse"]["ok"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # skip_none: deprecated from jsonargparse 4.49, what print_config does
                cfg = parse_yaml(parser, records[index]["yaml"])
                dumps[index] = yaml.safe_load(parser.dump(cfg, skip_none=False))["model"]
    path = input_path()
    result: dict[str, Any] = {"inputs": len(picked), "print_config_same": 0, "print_config_required_only": 0,
                              "fit_refusal_same": 0, "differ": [], "fit_messages": {}}  # fmt: skip
    for index in picked:
        record = records[index]
        path.write_text(record["yaml"], encoding="utf-8")
        real = real_fit(["--config", path.name, "--print_config"])
        ok = real["rc"] in (0, None)
        mine = record["parse"]
        if ok and not mine["ok"] and mine["error"].startswith("the following arguments are required"):
            result["print_config_required_only"] += 1
        elif ok != mine["ok"]:
            result["differ"].append([record["id"], "print_config " + ("accepted" if ok else "refused"),
                                     real["stderr"][-300:]])  # fmt: skip
        elif ok:
            if dumps[index] != yaml.safe_load(real["stdout"])["model"]:
                result["differ"].append([record["id"], "print_config dump differs"])
            else:
                result["print_config_same"] += 1
        else:
            result["print_config_same"] += 1
        if not record["fit"]["ok"]:
            real = real_fit(["--config", path.name])
            message = (real["stderr"].strip().splitlines() or [""])[-1]
            if real["rc"] == 2:
                result["fit_refusal_same"] += 1
                result["fit_messages"].setdefault(message[:200], []).append(record["id"])
            else:
                result["differ"].append([record["id"], "fit not refused", str(real["rc"])[:300]])
    return result


# ---------------------------------------------------------------------------------------------
# Files and manifest
# ---------------------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for dist in ("rfdetr", "torch", "pydantic", "pydantic_core", "jsonargparse", "pytorch-lightning", "PyYAML"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[dist] = importlib.metadata.version(dist)
    return out


def file_text(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n" for r in records)


def runfile_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"records": len(records), "written": 0, "write_raised": 0, "no_file": 0, "model_read_ok": 0,
              "model_read_rejected": 0, "train_read_ok": 0, "train_read_rejected": 0, "not_built": 0}  # fmt: skip
    for r in records:
        if "write" not in r:
            counts["not_built"] += 1
            continue
        counts["written"] += r.get("text") is not None
        counts["write_raised"] += not r["write"]["ok"]
        counts["no_file"] += r.get("text") is None
        back = r.get("read_back") or {}
        for key, name in (("model_config", "model"), ("train_config", "train")):
            if key in back:
                counts[f"{name}_read_{'ok' if back[key]['ok'] else 'rejected'}"] += 1
    return counts


def fit_counts(records: list[dict[str, Any]]) -> dict[str, Any]:
    counts: dict[str, Any] = {"inputs": 0, "accepted": 0, "refused_by_jsonargparse": 0, "refused_by_rfdetr": 0,
                              "by_shape": {}}  # fmt: skip
    for r in records:
        if r.get("kind") == "print_config":
            continue
        counts["inputs"] += 1
        counts["fit_parse_refused"] = counts.get("fit_parse_refused", 0) + (not r["fit"]["ok"])
        shape = counts["by_shape"].setdefault(r["shape"], {"inputs": 0, "accepted": 0, "jsonargparse": 0, "rfdetr": 0})
        shape["inputs"] += 1
        if not r["parse"]["ok"]:
            counts["refused_by_jsonargparse"] += 1
            shape["jsonargparse"] += 1
        elif "build" in r and not r["build"]["ok"]:
            counts["refused_by_rfdetr"] += 1
            shape["rfdetr"] += 1
        else:
            counts["accepted"] += 1
            shape["accepted"] += 1
    return counts


def masked(text: str) -> str:
    return vf.mask_addresses(text)


def read_manifest() -> dict[str, Any]:
    if MANIFEST.exists():
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    return {}


ABOUT = (
    "Files rfdetr itself writes and reads, recorded from the real releases by record_files.py. runfiles/<release>: "
    "output_dir/training_config.json as each release's training code writes it, and what the release does reading "
    "it back. fit/<release>: YAML inputs of `rfdetr fit` through jsonargparse (a stand-in parser checked against "
    "the real command: 'verified'), then the release's config classes; its first records are the real "
    "`rfdetr fit --print_config` output. fit/<release>.jsonargparse-<version>: the same inputs parsed by an older "
    "jsonargparse (parse only). 'stands_for': releases that behave as the recorded one. 'sha256' is of the "
    "uncompressed text with object addresses masked."
)


def publish(
    release: str, part: str, name: str, records: list[dict[str, Any]], extra: dict[str, Any], check: bool
) -> bool:
    """Write one gz file and its manifest entry (or, with ``check``, compare with them)."""
    text = file_text(records)
    path = HERE / name
    digest = hashlib.sha256(masked(text).encode("utf-8")).hexdigest()
    if check:
        old = vf.read_text(path) if path.exists() else ""
        same = masked(old) == masked(text)
        print(f"{name}: {'unchanged' if same else 'DIFFERS'}")
        return same
    vf.write_text(path, text)
    with manifest_lock():
        update_manifest(release, name, {"sha256": digest, "bytes_gz": path.stat().st_size, **extra})
    print(f"{name}: {len(records)} records, {path.stat().st_size} bytes gz")
    return True


@contextlib.contextmanager
def exclusive(name: str) -> Any:
    """A lock file in the temporary directory, held while the body runs (recordings of two releases may overlap)."""
    import fcntl

    with open(pathlib.Path(tempfile.gettempdir()) / name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def manifest_lock() -> Any:
    """The manifest is read and rewritten under a lock."""
    return exclusive("rfdetr-config-files-manifest.lock")


def update_manifest(release: str, name: str, entry_data: dict[str, Any]) -> None:
    manifest = read_manifest()
    manifest["about"] = ABOUT
    entry = manifest.setdefault("releases", {}).setdefault(release, {})
    entry["stands_for"] = STANDS_FOR.get(release, [])
    entry.setdefault("files", {})[name] = entry_data
    manifest["releases"] = dict(sorted(manifest["releases"].items(), key=lambda kv: version_key(kv[0])))
    MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def check_stands_for(release: str, standing: str, part: str, verify: int) -> int:
    """Record a release that another one's files stand for, and compare: the manifest notes the result under
    ``checked``; no file of its own is written."""
    found: dict[str, Any] = {"versions": versions()}
    parts = []
    if part in ("runfiles", "all"):
        parts.append(("runfiles", f"runfiles/{standing}.jsonl.gz", record_runfiles(release)))
    if part in ("fit", "all"):
        corpus = record_fit(release)
        if verify:
            found["verified"] = verify_cli(release, corpus, verify)
        parts.append(("fit", f"fit/{standing}.jsonl.gz", corpus))
    same = True
    for name, path, records in parts:
        for r in records:
            r["release"] = standing
        ours = [masked(line) for line in file_text(records).splitlines()]
        theirs = [
            masked(line) for line in vf.read_text(HERE / path).splitlines() if '"kind":"print_config"' not in line
        ]
        found[name] = {"records": len(ours), "identical": ours == theirs,
                       "differing_records": sum(a != b for a, b in zip(ours, theirs, strict=False))
                       + abs(len(ours) - len(theirs))}  # fmt: skip
        same &= ours == theirs
        print(f"{release} {name} vs {path}: {'identical' if ours == theirs else 'DIFFERENT'}")
    with manifest_lock():
        manifest = read_manifest()
        manifest["releases"][standing].setdefault("checked", {})[release] = found
        MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    global ref, pydantic
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--release", required=True)
    args.add_argument("--part", choices=("runfiles", "fit", "all"), default="all")
    args.add_argument("--verify-cli", type=int, default=0, metavar="N")
    args.add_argument("--check", action="store_true")
    args.add_argument("--jsonargparse-only", action="store_true")
    opts = args.parse_args(argv)
    vf.prepare_environment()
    import pydantic as _pydantic

    pydantic = _pydantic
    ref = importlib.import_module("rfdetr.config")
    installed = importlib.metadata.version("rfdetr")
    if installed != opts.release and not opts.jsonargparse_only:
        print(f"this environment has rfdetr {installed}, not {opts.release}", file=sys.stderr)
        return 2
    standing = next((k for k, v in STANDS_FOR.items() if opts.release in v), None)
    if standing is not None:
        return check_stands_for(opts.release, standing, opts.part, opts.verify_cli)
    started = time.time()
    ok = True
    found = versions()
    if opts.jsonargparse_only:
        records = record_fit(opts.release, instantiate=False)
        name = f"fit/{opts.release}.jsonargparse-{jsonargparse_version()}.jsonl.gz"
        ok &= publish(
            opts.release, "fit", name, records, {"counts": fit_counts(records), "versions": found}, opts.check
        )
        return 0 if ok else 1
    if opts.part in ("runfiles", "all"):
        records = record_runfiles(opts.release)
        ok &= publish(opts.release, "runfiles", f"runfiles/{opts.release}.jsonl.gz", records,
                      {"counts": runfile_counts(records), "model_name_by_config": detector_names(), "versions": found},
                      opts.check)  # fmt: skip
    if opts.part in ("fit", "all"):
        corpus = record_fit(opts.release)
        extra: dict[str, Any] = {"counts": fit_counts(corpus), "versions": found}
        if opts.verify_cli:
            extra["verified"] = verify_cli(opts.release, corpus, opts.verify_cli)
            print("verified:", json.dumps(extra["verified"])[:2000])
        elif not opts.check:
            previous = read_manifest().get("releases", {}).get(opts.release, {}).get("files", {})
            if f"fit/{opts.release}.jsonl.gz" in previous and "verified" in previous[f"fit/{opts.release}.jsonl.gz"]:
                extra["verified"] = previous[f"fit/{opts.release}.jsonl.gz"]["verified"]
        records = print_config_records(opts.release) + corpus
        ok &= publish(opts.release, "fit", f"fit/{opts.release}.jsonl.gz", records, extra, opts.check)
    print(f"{opts.release}: {time.time() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
