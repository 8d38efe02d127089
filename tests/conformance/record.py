"""Record rfdetr 1.8.1's own behaviour as conformance vectors.

Run in the reference environment (see ``../shared/reference/build-reference.sh`` beside the
repository), from the repository root::

    /tmp/rfdetr-reference/bin/python tests/conformance/record.py

It generates a seeded corpus of inputs for every configuration class, runs each through
``cls.model_validate(data)`` and ``cls(**data)``, and writes what happened (accepted or not, the
``model_dump()`` with exact types and order, warnings, error locations, crashes) to
``vectors.jsonl.gz``. The corpus is built from the reference's own field annotations, so every field
of every class is exercised.
"""

from __future__ import annotations

import math
import pathlib
import random
import sys
import typing
import warnings
from typing import Any, Dict, List, Literal, Union

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import vectors_format as vf

vf.prepare_environment()

import pydantic  # noqa: E402
from rfdetr import config as ref  # noqa: E402

SEED = 20261128
CLASS_NAMES = [
    "ModelConfig", "RFDETRBaseConfig", "RFDETRLargeDeprecatedConfig", "RFDETRNanoConfig", "RFDETRSmallConfig",
    "RFDETRMediumConfig", "RFDETRLargeConfig", "RFDETRSegPreviewConfig", "RFDETRSegNanoConfig",
    "RFDETRSegSmallConfig", "RFDETRSegMediumConfig", "RFDETRSegLargeConfig", "RFDETRSegXLargeConfig",
    "RFDETRSeg2XLargeConfig", "RFDETRKeypointPreviewConfig", "TrainConfig", "SegmentationTrainConfig",
    "KeypointTrainConfig",
]  # fmt: skip
TORCH_ONCE = "'mkldnn' is no longer used as device type"
NAN, INF = float("nan"), float("inf")

# The range rules read from the reference: field -> (bound, kind) where kind says which side is allowed.
INT_AT_LEAST = {
    "batch_size": 1, "grad_accum_steps": 1, "auto_batch_target_effective": 1, "auto_batch_max_targets_per_image": 1,
    "ema_update_interval": 1, "eval_interval": 1, "prefetch_factor": 1, "checkpoint_interval": 1,
    "skip_best_epochs": 0, "num_channels": 1,
}  # fmt: skip
FLOAT_BOUNDS = {"auto_batch_ema_headroom": (0.0, 1.0), "smooth_alpha": (0.0, 1.0), "postprocess_trace_alpha": (0.0,)}
PATH_FIELDS = {"dataset_dir", "output_dir", "pretrain_weights", "resume"}

INT_POOL = [0, 1, -1, 2, 7, 10**30, -(10**30), True, False, 4.0, -3.0, 4.5, 1e20, 9.2233720368547e18, 2.0**63,
            -(2.0**63), "4", " 4 ", "\t4\n", "4.0", "4.00", "4.", ".0", "1e3", "1_000", "1__0", "0x10", "+4", "-0",
            "04", "", " ", "abc", "\u0663", "\xa04", "\x1c4", "9" * 4300, "9" * 4301, NAN, INF, -INF, None, [], {},
            [1], "4.5", "1_000.0", "+-4"]  # fmt: skip
FLOAT_POOL = [0.0, -0.0, 1, 0, -1, 0.5, 1.5, -2.25, 1e-300, 5e-324, 1e308, 10**30, 10**400, True, False, "1e-3",
              " 1.5 ", "inf", "-inf", "nan", "NaN", "-nan", "Infinity", "infinit", "1_0.5", "1__0", "_1", "0x10", "",
              ".5", "5.", "1e", "1e400", "\u0661.\u0665", "1,5", "abc", NAN, INF, -INF, None, [], {}, [1.0],
              "1_000e1_0", "\x1c1"]  # fmt: skip
BOOL_POOL = [True, False, 0, 1, 2, -1, 0.0, 1.0, 1.5, NAN, "yes", "no", "on", "off", "t", "f", "y", "n", "true",
             "false", "TRUE", "FaLsE", "Yes", "OFF", "1", "0", " yes", "yes ", "2", "", "1.0", "none", None,
             [], {}]  # fmt: skip
STR_POOL = ["x", "", " x ", "auto", "Apache-2.0", "\u00e9t\u00e9", 1, 0, 1.5, True, False, None, [], {}, ["x"], NAN]
ANY_POOL = [None, 1, "x", 1.5, True, [1, "a", None], {"a": {"b": [1, 2.5]}}, [], {}, NAN, {"k": NAN}]
DICT_POOL = [None, {}, {"a": 1}, {"a": [1, {"b": None}], "c": 1.5}, {1: 2}, {"a": 1, 2: 3}, [], "x", 1, True,
             [["a", 1]]]  # fmt: skip
PATH_POOL = ["data", "", ".", "..", "~", "~/x", "~user/x", "./a/../b", "a/b/", "a//b", "/", "/tmp/../x",
             "rf-detr-base.pth", "rf-detr-nano.pth", "rf-detr-seg-nano.pt", "rf-detr-large-2026.pth", "w.pth",
             "last", "~/w.pth", "sub/w.pth", f"{vf.RF_HOME}/rf-detr-nano.pth", f"{vf.RF_HOME}/rf-detr-base.pth",
             "a\x00b", pathlib.Path("p/q"), 5, 0, 1.5, True, False, None, [], {}, ["a"]]  # fmt: skip
DEVICE_POOL = ["cpu", "cuda", "cuda:0", "cuda:1", "cuda:127", "cuda:128", "cuda:255", "cuda:256", "cuda:2147483647",
               "cuda:2147483648", "cuda:01", "cuda:-1", "cuda:", "cuda:1 ", " cpu", "CPU", "Cuda", "mps", "mps:0",
               "meta:3", "xla:1", "privateuseone:2", "hip", "xpu", "gpu", "npu", "", "cuda:1:2", "cuda:x", 1, 0,
               None, True, 1.5, [], {}]  # fmt: skip


def literal_pool(members: tuple[Any, ...]) -> list[Any]:
    pool: list[Any] = list(members)
    for m in members:
        pool += [m.upper(), m.capitalize(), f" {m}", f"{m} ", m.encode()]
    return [*pool, "other", "", 1, 0, None, True, [], {}, NAN]


def element_pool(tp: Any) -> list[Any]:
    if tp is int:
        return [1, 0, -1, True, 2.0, 2.5, "3", " 4 ", "x", None, NAN, [1], 10**30]
    if tp is float:
        return [0.5, 1, True, "0.25", "nan", "x", None, INF, [0.5], 10**400]
    if tp is str:
        return ["a", "", 1, None, True, ["a"], b"a"]
    if typing.get_origin(tp) is Literal:
        return [*list(typing.get_args(tp)), "p3", "P6", None, 3]
    raise TypeError(tp)


def list_pool(item: Any, rnd: random.Random) -> list[Any]:
    elements = element_pool(item)
    valid = [e for e in elements if e is not None][:3]
    pool: list[Any] = [[], None, "12", "", {}, 1, True, [[elements[0]]], {"a": 1}]
    pool += [[e] for e in elements]
    pool += [[rnd.choice(elements) for _ in range(rnd.randint(2, 5))] for _ in range(6)]
    pool += [tuple(valid), list(valid) * 2]
    return pool


def value_pool(name: str, tp: Any, rnd: random.Random) -> list[Any]:
    """Candidate values for one field, from its annotation and its rule."""
    if name in PATH_FIELDS:
        return list(PATH_POOL)
    if name == "device":
        return list(DEVICE_POOL)
    if name == "progress_bar":
        return [True, False, "tqdm", "rich", "TQDM", " rich", None, 1, 0, "yes", "", [], 1.0]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    optional = origin is Union and type(None) in args
    if optional:
        members = tuple(a for a in args if a is not type(None))
        tp = members[0] if len(members) == 1 else Union[members]  # type: ignore[valid-type]
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    pool: list[Any]
    if tp is int:
        pool = list(INT_POOL)
        bound = INT_AT_LEAST.get(name)
        if bound is not None:
            pool += [bound - 1, bound, bound + 1, float(bound), float(bound - 1), str(bound), str(bound - 1),
                     bound - 0.5, f" {bound} ", -(10**20)]  # fmt: skip
    elif tp is float:
        pool = list(FLOAT_POOL)
        for bound in FLOAT_BOUNDS.get(name, ()):
            pool += [bound, math.nextafter(bound, -INF), math.nextafter(bound, INF), int(bound), str(bound),
                     repr(math.nextafter(bound, -INF)), repr(math.nextafter(bound, INF)), -bound]  # fmt: skip
    elif tp is bool:
        pool = list(BOOL_POOL)
    elif tp is str:
        pool = list(STR_POOL)
    elif tp is Any:
        pool = list(ANY_POOL)
    elif origin is Literal:
        pool = literal_pool(args)
    elif origin in (list, List):
        pool = list_pool(args[0], rnd)
    elif origin in (dict, Dict):
        pool = list(DICT_POOL)
    elif origin is Union:
        pool = [1, 0, -1, 2, "auto", "AUTO", "auto ", " auto", "1", " 2 ", "0", "x", "", 1.0, 1.5, 0.0, True, False,
                NAN, INF, None, [], {}, "1.0", 10**30, "gpu", "0,1", [0, 1]]  # fmt: skip
    else:
        raise TypeError(f"{name}: {tp!r}")
    if optional and None not in pool:
        pool.append(None)
    return pool


def base_required(cls: type) -> dict[str, Any]:
    """Values for the fields a class requires, so single-field cases isolate that field."""
    out: dict[str, Any] = {}
    base_defaults = ref.RFDETRBaseConfig.model_fields
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        if info.is_required():
            out[name] = None if name == "dataset_dir" else base_defaults[name].default
    return out


def strip_union_tag(cls: type, loc: tuple[Any, ...]) -> list[Any]:
    """Drop pydantic's union-member tags (``('batch_size', 'int')``): locations name fields and indexes."""
    if not loc:
        return []
    info = cls.model_fields.get(loc[0])  # type: ignore[attr-defined]
    out = list(loc)
    if info is not None and len(loc) > 1 and isinstance(loc[1], str):
        ann = info.annotation
        members = [a for a in typing.get_args(ann) if a is not type(None)] if typing.get_origin(ann) is Union else []
        if len(members) > 1 or loc[0] in PATH_FIELDS:
            del out[1]
    return out


def run(cls: type, data: dict[str, Any], path: str) -> dict[str, Any]:
    outcome: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = cls.model_validate(data) if path == "dict" else cls(**data)  # type: ignore[attr-defined]
        except pydantic.ValidationError as error:
            locs = []
            for e in error.errors():
                loc = strip_union_tag(cls, e["loc"])
                if loc not in locs:
                    locs.append(loc)
            outcome = {"ok": False, "locs": [[vf.encode(p) for p in loc] for loc in locs]}
        except Exception as error:
            outcome = {"ok": False, "crash": type(error).__name__}
        else:
            dump = model.model_dump()
            outcome = {"ok": True, "dump": vf.encode(dump), "set": sorted(model.model_fields_set)}
    outcome["warnings"] = [
        [w.category.__name__, str(w.message)] for w in caught if not str(w.message).startswith(TORCH_ONCE)
    ]
    return outcome


def corpus(cls: type, rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """(label, input) pairs for one class."""
    fields = cls.model_fields  # type: ignore[attr-defined]
    base = base_required(cls)
    cases: list[tuple[str, dict[str, Any]]] = [("defaults", dict(base))]
    pools = {name: value_pool(name, info.annotation, rnd) for name, info in fields.items()}
    for name, pool in pools.items():
        for value in pool:
            cases.append((f"field:{name}", {**base, name: value}))
    if base:
        for name in base:
            cases.append((f"missing:{name}", {k: v for k, v in base.items() if k != name}))
        cases.append(("missing:all", {}))
    names = list(fields)
    for _ in range(250):
        chosen = rnd.sample(names, rnd.randint(2, 6))
        data = dict(base)
        for name in chosen:
            pool = pools[name]
            valid_first = pool[: max(3, len(pool) // 4)]
            data[name] = rnd.choice(valid_first if rnd.random() < 0.7 else pool)
        cases.append(("several", data))
    for typo in ("epoch", "lr_rate", "batchsize", "resolutoin", "foo", "hidden-dim", "devices_", "Encoder"):
        cases.append((f"unknown:{typo}", {**base, typo: 1}))
        cases.append((f"unknown+bad:{typo}", {**base, typo: 1, names[0]: "not valid"}))
    if "resolution" in fields:
        cases += model_scenarios(cls, base, rnd)
    else:
        cases += train_scenarios(base, rnd)
    return cases


def model_scenarios(cls: type, base: dict[str, Any], rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    fields = cls.model_fields  # type: ignore[attr-defined]
    default_weights = fields["pretrain_weights"].default
    knobs: dict[str, list[Any]] = {
        "resolution": [320, 640, 641, 704, 1, 0, -16, "640", 640.0, 560, 384],
        "patch_size": [0, -1, 7, 12, 14, 16, "16"],
        "positional_encoding_size": [10, 37, 0],
        "pretrain_weights": [
            None,
            default_weights,
            "other.pth",
            "~/w.pth",
            "rf-detr-base.pth",
            f"{vf.RF_HOME}/{default_weights}" if isinstance(default_weights, str) else "x.pth",
        ],
        "hidden_dim": [256, 384, 512],
        "num_queries": [100, 200, 300, 301, 1000],
        "group_detr": [1, 13, 14],
        "mask_downsample_ratio": [2, 4, 8],
        "segmentation_head": [True, False],
        "cls_loss_coef": [1.0, 2, "3"],
        "num_channels": [1, 3, 4],
        "projector_scale": [["P4"], ["P3", "P5"], ["P3"], ["P5"]],
        "out_feature_indexes": [[2, 5, 8, 11], [3, 6, 9, 12], [1]],
        "encoder": ["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"],
        "two_stage": [True, False],
        "bbox_reparam": [False, True],
    }
    return mixes("model-scenario", base, knobs, 260, rnd)


def train_scenarios(base: dict[str, Any], rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    knobs: dict[str, list[Any]] = {
        "group_detr": [13, 1], "ia_bce_loss": [True, False], "segmentation_head": [True, False],
        "num_select": [300, None, 5], "keypoint_flip_pairs": [[], [1, 0], [0], ["1", 2.0]],
        "dataset_dir": [None, "data", "~/d"], "batch_size": ["auto", 1, 0, "2"], "progress_bar": [True, False, "rich"],
        "smooth_alpha": [0.0, 0.5, 1.0], "skip_best_epochs": [0, 10, -1], "devices": [1, "0,1", "auto", 2.0],
        "cls_loss_coef": [1.0, 2.0, 5.0], "output_dir": ["out", "~/o", "./a/../b"],
    }  # fmt: skip
    return mixes("train-scenario", base, knobs, 200, rnd)


def mixes(
    label: str, base: dict[str, Any], knobs: dict[str, list[Any]], count: int, rnd: random.Random
) -> list[tuple[str, dict[str, Any]]]:
    """``count`` inputs that each set one to five of the knobs, on top of ``base``."""
    out = []
    for _ in range(count):
        data = dict(base)
        for name in rnd.sample(list(knobs), rnd.randint(1, 5)):
            data[name] = rnd.choice(knobs[name])
        out.append((label, data))
    return out


ASSIGNMENT_KNOBS: dict[str, list[Any]] = {
    "resolution": [320, 640, "512", 0, -32],
    "patch_size": [0, 8, 16, "x"],
    "positional_encoding_size": [10, 50],
    "hidden_dim": [256, 512],
    "num_queries": [100, 500],
    "cls_loss_coef": [1.0, 3],
    "pretrain_weights": [None, "mine.pth", "rf-detr-nano.pth", "rf-detr-base.pth"],
    "num_channels": [1, 0],
    "device": ["cuda:1", "gpu"],
    "group_detr": [13, 20],
    "num_select": [5, None],
    "keypoint_flip_pairs": [[1, 0], []],
    "smooth_alpha": [0.5, 1.0],
    "epochs": [7, "x"],
    "output_dir": ["runs", 5],
    "segmentation_head": [True, False],
}


def assignment_cases(cls: type, rnd: random.Random) -> list[tuple[dict[str, Any], list[tuple[str, Any]]]]:
    """Validated assignments (``config.field = value``), one to three in a row, after a construction."""
    fields = cls.model_fields  # type: ignore[attr-defined]
    knobs = [name for name in ASSIGNMENT_KNOBS if name in fields]
    base = base_required(cls)
    cases = []
    for _ in range(60):
        start = dict(base)
        if rnd.random() < 0.3 and "resolution" in fields:
            start["resolution"] = rnd.choice([448, 640])
        changes = [(name, rnd.choice(ASSIGNMENT_KNOBS[name])) for name in rnd.sample(knobs, rnd.randint(1, 3))]
        cases.append((start, changes))
    return cases


def run_assignments(cls: type, start: dict[str, Any], changes: list[tuple[str, Any]]) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = cls(**start)
    outcome: dict[str, Any]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for name, value in changes:
                setattr(model, name, value)
        except pydantic.ValidationError as error:
            locs = [strip_union_tag(cls, e["loc"]) for e in error.errors()]
            outcome = {"ok": False, "locs": [[vf.encode(p) for p in loc] for loc in locs]}
        except Exception as error:  # a crash of the reference is data here
            outcome = {"ok": False, "crash": type(error).__name__}
        else:
            outcome = {"ok": True, "dump": vf.encode(model.model_dump()), "set": sorted(model.model_fields_set)}
    outcome["warnings"] = [
        [w.category.__name__, str(w.message)] for w in caught if not str(w.message).startswith(TORCH_ONCE)
    ]
    return outcome


def main() -> None:
    rnd = random.Random(SEED)
    records = []
    for class_name in CLASS_NAMES:
        cls = getattr(ref, class_name)
        for label, data in corpus(cls, rnd):
            for path in ("dict", "kwargs"):
                record = {"cls": class_name, "path": path, "label": label, "input": vf.encode(data)}
                record.update(run(cls, data, path))
                records.append(record)
    assign_rnd = random.Random(SEED + 1)  # a stream of its own, so the records above never change with it
    for class_name in CLASS_NAMES:
        cls = getattr(ref, class_name)
        for start, changes in assignment_cases(cls, assign_rnd):
            record = {"cls": class_name, "path": "assign", "label": "assignment", "input": vf.encode(start)}
            record["changes"] = [[name, vf.encode(value)] for name, value in changes]
            record.update(run_assignments(cls, start, changes))
            records.append(record)
    vf.write(records)
    counts: dict[tuple[str, str], int] = {}
    for r in records:
        counts[r["cls"], r["path"]] = counts.get((r["cls"], r["path"]), 0) + 1
    print(f"{len(records)} records written to {vf.VECTORS}")
    for (name, path), n in counts.items():
        print(f"  {name} {path}: {n}")


if __name__ == "__main__":
    main()
