"""Record one rfdetr release's own configuration behaviour as conformance vectors.

Run it with the Python of that release's reference environment (rfdetr's ``rfdetr/config.py`` with
pydantic and torch), from anywhere; it writes into this directory (``vectors/``, ``declarations/``).

Re-recording a release that the manifest lists, on the project machine::

    ../shared/reference/build-reference.sh 1.11.2                      # about two minutes, once
    /tmp/rfdetr-reference-1.11.2/bin/python tests/conformance/record.py --release 1.11.2
    python -m pytest tests/conformance                                 # the replay: no torch, no pydantic

``--check`` records into a scratch copy and says whether the result matches the files in the
repository, changing nothing (``record.py --release 1.8.1 --check``). Every release takes 20-30 s.

From a fresh machine, the reference is a virtual environment with torch 2.13.0 (CPU build) and
pydantic 2.13.4 in which the release's ``rfdetr/config.py`` imports as ``rfdetr.config`` without the
rest of rfdetr; that is what ``build-reference.sh`` makes. By hand (Python 3.11)::

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install torch==2.13.0 pydantic==2.13.4
    /tmp/ref/bin/pip download --no-deps rfdetr==1.12.0 -d /tmp/wheel
    mkdir -p /tmp/ref-src/rfdetr/assets && touch /tmp/ref-src/rfdetr/__init__.py /tmp/ref-src/rfdetr/assets/__init__.py
    unzip -p /tmp/wheel/rfdetr-1.12.0-py3-none-any.whl rfdetr/config.py > /tmp/ref-src/rfdetr/config.py
    # /tmp/ref-src/rfdetr/assets/model_weights.py: a get_model_cache_dir() that computes the model cache
    # directory exactly as that wheel's rfdetr/assets/model_weights.py does (the one import config.py makes)
    echo /tmp/ref-src > /tmp/ref/lib/python3.11/site-packages/rfdetr-reference.pth
    /tmp/ref/bin/python tests/conformance/record.py --release 1.12.0

Never commit the reference or its code: only what it did (the vectors) and what it declares (the
declarations, as data). A release the registry lists without vectors fails
``test_conformance.py``. The corpus needs nothing new for it: fields are found in the release's own
declarations and given values by their annotation. A field whose annotation is of a kind the
generator does not know (a new enum, say) stops the recording with a TypeError naming it: give it a
pool in ``candidates()``. A new rule across fields gets its cases in ``RULES`` (training) or
``MODEL_RULES`` (model), a new environment variable in ``ENVIRONMENTS``; every release is then
re-recorded (the rules inputs are the same for all releases). ``declarations/1.8.1.json`` must exist:
part of every corpus is generated from it.

When a recording is identical to another release's (rfdetr sometimes ships a ``config.py`` that
differs only in comments, or not at all), one copy is kept under the oldest release's name and
``vectors/MANIFEST.json`` points both releases at it (``identical_to``). The other files are stored
as changes against the previous release's (most records repeat: every release gets the same
inputs), except 1.8.1's, which stay whole; ``vectors_format.read_lines`` gives the records back.
Every file is worked out anew from the records at each recording, so recording a release again, or
one between two others, leaves them all right. Read the summary it prints: per class and path,
inputs accepted, rejected and crashed. It needs about 2 GB of memory.

What is recorded, per release, run through ``cls.model_validate(data)`` ("dict" path),
``cls(**data)`` ("kwargs" path) and validated assignments ("assign" path): accepted or not, the
``model_dump()`` with exact types and key order, ``model_fields_set``, warnings (category and text, in
order, object addresses masked), error locations, crashes (a bare TypeError and the like), and the type
of the stored value of enum-valued fields (``stored``). Every rejection (a ValidationError, any path)
also records ``errors``: pydantic's ``errors()`` list entry for entry, each with ``type``, ``loc``,
``msg``, ``input`` and ``ctx`` where pydantic gives one (no ``url``), values in the exact-type
encoding (an exception in ``ctx``, such as ``{'error': ValueError(...)}``, as ``{"$x": [type name,
text]}``; see ``vf.encode_any``), object addresses masked; ``errors_agreement.py`` compares ours with
it. Two files:

* ``<release>.jsonl.gz``, the *corpus*: the 1.8.1 corpus, generated from the field declarations of
  1.8.1 (``declarations/1.8.1.json``) with the seeded random stream of the first recorder, so every
  release is given the same inputs and 1.8.1's file reproduces byte for byte. A key the release no
  longer has stays in the single-field cases (they show it rejected or ignored) and is left out of
  the mixes and assignments, after its value has been drawn, so nothing after it moves.
* ``<release>.rules.jsonl.gz``, the *rules*: every field that is new or declared differently since
  1.8.1 (one stream per field name and annotation, so a new field never moves an old one), mixes of
  them, multi-field cases for the cross-field rules (the same inputs for every release, whether the
  release knows the keys or not), callables, 1.8.1 dumps and the release's own dumps loaded back, the
  model cache directory under several ``RF_HOME``/``ROBOFLOW_HOME`` settings (``env`` in the record)
  and assignment sequences. Here a rejection also records ``msgs``: the text of every ValueError that
  rfdetr's own code raised (a ``raise`` statement in ``config.py``).

``declarations/<release>.json`` holds the module's declarations as data: per class, in field order,
name, annotation (as text, one spelling: ``list[int]``, ``int | None``), default (or ``required``, or
``default_factory`` with the value it makes), constraints, field validators (run order) and serializer,
the model validators in run order, the extra policy; plus ``__all__``, the enums with their members,
the type aliases, constants, and the environment recorded under (torch's optimizer names among it).

HOME, the working directory and the model cache variables are fixed (see ``vectors_format``) so that
normalised paths compare; the default ``device`` is whatever torch detects (``cpu`` here: record on
a machine without an accelerator).
"""

from __future__ import annotations

import argparse
import ast
import collections.abc
import enum
import functools
import hashlib
import itertools
import json
import math
import pathlib
import platform
import random
import shutil
import sys
import tempfile
import time
import types
import typing
import warnings
from typing import Any, Callable, Dict, List, Literal, Union

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conformance import callables as cb  # noqa: E402
from tests.conformance import vectors_format as vf  # noqa: E402

pydantic: Any = None  # imported in main(), after the environment is fixed
ref: Any = None

SEED = 20261128
LEGACY_RELEASE = "1.8.1"  # the release whose declarations generate the corpus part
CLASS_NAMES = [
    "ModelConfig", "RFDETRBaseConfig", "RFDETRLargeDeprecatedConfig", "RFDETRNanoConfig", "RFDETRSmallConfig",
    "RFDETRMediumConfig", "RFDETRLargeConfig", "RFDETRSegPreviewConfig", "RFDETRSegNanoConfig",
    "RFDETRSegSmallConfig", "RFDETRSegMediumConfig", "RFDETRSegLargeConfig", "RFDETRSegXLargeConfig",
    "RFDETRSeg2XLargeConfig", "RFDETRKeypointPreviewConfig", "TrainConfig", "SegmentationTrainConfig",
    "KeypointTrainConfig",
]  # fmt: skip
TRAIN_CLASSES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")
TORCH_ONCE = "'mkldnn' is no longer used as device type"
NAN, INF = float("nan"), float("inf")
UNION_TYPES = (Union, types.UnionType)

# ---------------------------------------------------------------------------------------------
# The corpus part: the first recorder's generator, unchanged, driven by 1.8.1's declarations.
# ---------------------------------------------------------------------------------------------

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
    optional = origin in UNION_TYPES and type(None) in args
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
    elif origin in UNION_TYPES:
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
        members = (
            [a for a in typing.get_args(ann) if a is not type(None)] if typing.get_origin(ann) in UNION_TYPES else []
        )
        if len(members) > 1 or loc[0] in PATH_FIELDS:
            del out[1]
    return out


def fresh(value: Any) -> Any:
    """A copy of the containers of an input (rfdetr 1.9+ writes into the dict it validates), same leaves."""
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    return value


def noted(caught: list[warnings.WarningMessage]) -> list[list[str]]:
    return [
        [w.category.__name__, vf.mask_addresses(str(w.message))]
        for w in caught
        if not str(w.message).startswith(TORCH_ONCE)
    ]


def locations(cls: type, error: Any, unique: bool) -> list[list[Any]]:
    locs: list[list[Any]] = []
    for e in error.errors():
        loc = strip_union_tag(cls, e["loc"])
        if not unique or loc not in locs:
            locs.append(loc)
    return [[vf.encode(p) for p in loc] for loc in locs]


@functools.cache
def raise_lines() -> frozenset[int]:
    """Lines of the reference's ``raise`` statements: an error raised there is in rfdetr's own words."""
    tree = ast.parse(pathlib.Path(ref.__file__).read_text(encoding="utf-8"))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return frozenset(lines)


def rfdetr_messages(error: Any) -> list[str]:
    """The ValueErrors of a ValidationError that a ``raise`` statement of ``config.py`` raised."""
    reference = pathlib.Path(ref.__file__).resolve()
    out: list[str] = []
    for e in error.errors():
        exc = (e.get("ctx") or {}).get("error")
        if e["type"] != "value_error" or not isinstance(exc, ValueError):
            continue
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None or pathlib.Path(tb.tb_frame.f_code.co_filename).resolve() != reference:
            continue
        if tb.tb_lineno in raise_lines() and str(exc) not in out:
            out.append(str(exc))
    return out


@functools.cache
def enum_fields(cls: type) -> tuple[str, ...]:
    """Fields whose annotation names an enum: the stored value's type is recorded for them."""

    def has_enum(tp: Any) -> bool:
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return True
        return any(has_enum(a) for a in typing.get_args(tp))

    return tuple(n for n, info in cls.model_fields.items() if has_enum(info.annotation))  # type: ignore[attr-defined]


def accepted(model: Any) -> dict[str, Any]:
    outcome: dict[str, Any] = {"ok": True, "dump": vf.encode(model.model_dump()), "set": sorted(model.model_fields_set)}
    return outcome


def stored_types(cls: type, model: Any) -> dict[str, str]:
    return {name: type(getattr(model, name)).__name__ for name in enum_fields(cls)}


def error_entries(error: Any) -> list[dict[str, Any]]:
    """pydantic's ``errors()`` list, entry for entry: ``type``, ``loc``, ``msg``, ``input`` and ``ctx`` if any.

    No ``url``. Values keep their exact types (``vf.encode_any``: an exception in ``ctx`` as its type and
    text); object addresses in texts are masked, as in warnings.
    """
    out = []
    for e in error.errors(include_url=False):
        entry = {
            "type": e["type"],
            "loc": [vf.encode(p) for p in e["loc"]],
            "msg": vf.mask_addresses(e["msg"]),
            "input": vf.encode_any(e["input"]),
        }
        if "ctx" in e:
            entry["ctx"] = vf.encode_any(e["ctx"])
        out.append(entry)
    return out


def observe(cls: type, act: Callable[[], Any], *, unique: bool, messages: bool) -> dict[str, Any]:
    """What the reference does while ``act`` runs: the model it leaves, or how it fails, and its warnings."""
    outcome: dict[str, Any]
    stored: dict[str, str] = {}
    msgs: list[str] = []
    entries: list[dict[str, Any]] | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = act()
        except pydantic.ValidationError as error:
            outcome = {"ok": False, "locs": locations(cls, error, unique=unique)}
            msgs = rfdetr_messages(error) if messages else []
            entries = error_entries(error)
        except Exception as error:  # a crash of the reference is data here
            outcome = {"ok": False, "crash": type(error).__name__}
        else:
            outcome = accepted(model)
            stored = stored_types(cls, model)
    outcome["warnings"] = noted(caught)
    if stored:
        outcome["stored"] = stored
    if msgs:
        outcome["msgs"] = msgs
    if entries is not None:
        outcome["errors"] = entries
    return outcome


def run(cls: type, data: dict[str, Any], path: str, messages: bool = False) -> dict[str, Any]:
    def validate() -> Any:
        return cls.model_validate(data) if path == "dict" else cls(**data)  # type: ignore[attr-defined]

    return observe(cls, validate, unique=True, messages=messages)


def legacy_corpus(cls: type, fields: dict[str, Any], rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """(label, input) pairs for one class, from its 1.8.1 fields (``fields``: name -> annotation)."""
    live = cls.model_fields  # type: ignore[attr-defined]
    base = base_required(cls)
    cases: list[tuple[str, dict[str, Any]]] = [("defaults", dict(base))]
    pools = {name: value_pool(name, tp, rnd) for name, tp in fields.items()}
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
            value = rnd.choice(valid_first if rnd.random() < 0.7 else pool)
            if name in live:
                data[name] = value
        cases.append(("several", data))
    for typo in ("epoch", "lr_rate", "batchsize", "resolutoin", "foo", "hidden-dim", "devices_", "Encoder"):
        cases.append((f"unknown:{typo}", {**base, typo: 1}))
        cases.append((f"unknown+bad:{typo}", {**base, typo: 1, names[0]: "not valid"}))
    if "resolution" in fields:
        cases += model_scenarios(cls, base, rnd)
    else:
        cases += train_scenarios(cls, base, rnd)
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
    return mixes("model-scenario", base, knobs, 260, rnd, fields)


def train_scenarios(cls: type, base: dict[str, Any], rnd: random.Random) -> list[tuple[str, dict[str, Any]]]:
    knobs: dict[str, list[Any]] = {
        "group_detr": [13, 1], "ia_bce_loss": [True, False], "segmentation_head": [True, False],
        "num_select": [300, None, 5], "keypoint_flip_pairs": [[], [1, 0], [0], ["1", 2.0]],
        "dataset_dir": [None, "data", "~/d"], "batch_size": ["auto", 1, 0, "2"], "progress_bar": [True, False, "rich"],
        "smooth_alpha": [0.0, 0.5, 1.0], "skip_best_epochs": [0, 10, -1], "devices": [1, "0,1", "auto", 2.0],
        "cls_loss_coef": [1.0, 2.0, 5.0], "output_dir": ["out", "~/o", "./a/../b"],
    }  # fmt: skip
    return mixes("train-scenario", base, knobs, 200, rnd, cls.model_fields)  # type: ignore[attr-defined]


def mixes(
    label: str,
    base: dict[str, Any],
    knobs: dict[str, list[Any]],
    count: int,
    rnd: random.Random,
    live: dict[str, Any],
) -> list[tuple[str, dict[str, Any]]]:
    """``count`` inputs that each set one to five of the knobs, on top of ``base``.

    A knob the class lacks (``live``: the class's fields) is drawn all the same, then left out.
    """
    out = []
    for _ in range(count):
        data = dict(base)
        for name in rnd.sample(list(knobs), rnd.randint(1, 5)):
            value = rnd.choice(knobs[name])
            if name in live:
                data[name] = value
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


def legacy_assignment_cases(
    cls: type, fields: dict[str, Any], rnd: random.Random
) -> list[tuple[dict[str, Any], list[tuple[str, Any]]]]:
    """Validated assignments (``config.field = value``), one to three in a row, after a construction."""
    live = cls.model_fields  # type: ignore[attr-defined]
    knobs = [name for name in ASSIGNMENT_KNOBS if name in fields]
    base = base_required(cls)
    cases = []
    for _ in range(60):
        start = dict(base)
        if rnd.random() < 0.3 and "resolution" in fields:
            start["resolution"] = rnd.choice([448, 640])
        changes = [(name, rnd.choice(ASSIGNMENT_KNOBS[name])) for name in rnd.sample(knobs, rnd.randint(1, 3))]
        changes = [(name, value) for name, value in changes if name in live]
        if changes:
            cases.append((start, changes))
    return cases


def run_assignments(
    cls: type, start: dict[str, Any], changes: list[tuple[str, Any]], messages: bool = False
) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = cls(**fresh(start))

    def assign() -> Any:
        for name, value in changes:
            setattr(model, name, value)
        return model

    return observe(cls, assign, unique=False, messages=messages)


def record_corpus(legacy: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus part: exactly the first recorder's records, over 1.8.1's fields."""
    rnd = random.Random(SEED)
    records = []
    for class_name in CLASS_NAMES:
        cls = getattr(ref, class_name)
        for label, data in legacy_corpus(cls, legacy[class_name], rnd):
            for path in ("dict", "kwargs"):
                record = {"cls": class_name, "path": path, "label": label, "input": vf.encode(data)}
                record.update(run(cls, fresh(data), path))
                records.append(record)
    assign_rnd = random.Random(SEED + 1)  # a stream of its own, so the records above never change with it
    for class_name in CLASS_NAMES:
        cls = getattr(ref, class_name)
        for start, changes in legacy_assignment_cases(cls, legacy[class_name], assign_rnd):
            record = {"cls": class_name, "path": "assign", "label": "assignment", "input": vf.encode(start)}
            record["changes"] = [[name, vf.encode(value)] for name, value in changes]
            record.update(run_assignments(cls, start, changes))
            records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# Declarations: the module's classes, fields, validators, enums and aliases, as data.
# ---------------------------------------------------------------------------------------------


def type_text(tp: Any) -> str:
    """An annotation as text, spelled one way whatever the source spelling (``List[int]`` and ``list[int]``)."""
    if tp is None or tp is type(None):
        return "None"
    if tp is Any:
        return "Any"
    if tp is Ellipsis:
        return "..."
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin in UNION_TYPES:
        return " | ".join(type_text(a) for a in args)
    if origin is collections.abc.Callable:
        params, result = args[0], args[-1]
        head = "..." if params is Ellipsis else f"[{', '.join(type_text(p) for p in params)}]"
        return f"Callable[{head}, {type_text(result)}]"
    if origin is not None:
        name = {list: "list", dict: "dict", tuple: "tuple", set: "set"}.get(origin) or type_text(origin)
        return f"{name}[{', '.join(type_text(a) for a in args)}]"
    if isinstance(tp, type):
        if tp.__module__ == "builtins" or tp.__module__ == ref.__name__:
            return tp.__qualname__
        if tp.__module__.startswith("pathlib"):
            return f"pathlib.{tp.__qualname__}"
        return f"{tp.__module__}.{tp.__qualname__}"
    return repr(tp)


def parse_type(text: str) -> Any:
    """The annotation that ``type_text`` wrote (for the plain annotations of 1.8.1)."""
    namespace = {"Literal": Literal, "Any": Any, "pathlib": pathlib, "Callable": collections.abc.Callable}
    return eval(text, namespace)


def chain(schema: dict[str, Any]) -> tuple[list[list[str]], dict[str, Any]]:
    """Validator functions wrapped around a core schema, in the order they run, and the schema inside."""
    mode = {"function-before": "before", "function-after": "after", "function-wrap": "wrap", "function-plain": "plain"}
    kind = schema.get("type")
    if kind in mode:
        name = schema["function"]["function"].__name__
        inner_runs, inner = chain(schema["schema"]) if "schema" in schema else ([], schema)
        if kind == "function-after":
            return [*inner_runs, [mode[kind], name]], inner
        return [[mode[kind], name], *inner_runs], inner
    if kind in ("default", "model"):
        return chain(schema["schema"])
    return [], schema


def serializer_of(schema: dict[str, Any]) -> str | None:
    while True:
        ser = schema.get("serialization")
        if ser and "function" in ser:
            return str(ser["function"].__name__)
        if (
            schema.get("type") in ("default", "function-before", "function-after", "function-wrap")
            and "schema" in schema
        ):
            schema = schema["schema"]
            continue
        return None


CONSTRAINTS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern", "strict")


def field_declarations(cls: type, fields_schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        entry: dict[str, Any] = {"name": name, "annotation": type_text(info.annotation)}
        if info.is_required():
            entry["required"] = True
        elif info.default_factory is not None:
            entry["default_factory"] = vf.encode(info.default_factory())
        else:
            entry["default"] = vf.encode(info.default)
        constraints: dict[str, Any] = {}
        for item in info.metadata:
            for key in CONSTRAINTS:
                value = getattr(item, key, None)
                if value is not None:
                    constraints[key] = vf.encode(value)
        if constraints:
            entry["constraints"] = constraints
        for key in ("alias", "validation_alias", "serialization_alias", "frozen", "exclude", "discriminator"):
            value = getattr(info, key, None)
            if value is not None:
                entry[key] = repr(value)
        runs, _ = chain(fields_schema[name]["schema"])
        if runs:
            entry["validators"] = runs
        serializer = serializer_of(fields_schema[name]["schema"])
        if serializer:
            entry["serializer"] = serializer
        out.append(entry)
    return out


def class_declarations(cls: type) -> dict[str, Any]:
    runs, inner = chain(cls.__pydantic_core_schema__)  # type: ignore[attr-defined]
    assert inner.get("type") == "model-fields", inner.get("type")
    config = cls.model_config  # type: ignore[attr-defined]
    return {
        "bases": [b.__name__ for b in cls.__bases__],
        "extra": config.get("extra", "ignore"),
        "validate_assignment": bool(config.get("validate_assignment", False)),
        "model_validators": runs,
        "fields": field_declarations(cls, inner["fields"]),
    }


def module_declarations() -> dict[str, Any]:
    public = {name: value for name, value in vars(ref).items() if not name.startswith("_")}
    enums, aliases, classes, constants, functions = {}, {}, {}, {}, []
    for name, value in public.items():
        if getattr(typing, name, None) is value or getattr(collections.abc, name, None) is value:
            continue  # imported typing names
        if isinstance(value, type) and value.__module__ == ref.__name__:
            if issubclass(value, enum.Enum):
                enums[name] = {
                    "bases": [b.__name__ for b in value.__bases__],
                    "members": [
                        {"name": key, "value": vf.encode(m.value), **({"alias_of": m.name} if m.name != key else {})}
                        for key, m in value.__members__.items()
                    ],
                }
            else:
                classes[name] = {"bases": [b.__name__ for b in value.__bases__]}
        elif typing.get_origin(value) is not None or isinstance(value, types.UnionType):
            aliases[name] = type_text(value)
        elif isinstance(value, (str, int, float, bool)) and not isinstance(value, type):
            constants[name] = vf.encode(value)
        elif isinstance(value, types.FunctionType) and value.__module__ == ref.__name__:
            functions.append(name)
    return {
        "all": list(ref.__all__) if hasattr(ref, "__all__") else None,
        "classes": classes,
        "enums": enums,
        "aliases": aliases,
        "constants": constants,
        "functions": functions,
    }


def declarations(release: str) -> dict[str, Any]:
    import torch

    optimizers = sorted(
        name
        for name in dir(torch.optim)
        if isinstance(getattr(torch.optim, name), type)
        and issubclass(getattr(torch.optim, name), torch.optim.Optimizer)
    )
    return {
        "environment": {
            "python": platform.python_version(),
            "pydantic": pydantic.VERSION,
            "torch": torch.__version__.split("+")[0],
            "torch_optim_optimizers": optimizers,
        },
        "module": module_declarations(),
        "classes": {name: class_declarations(getattr(ref, name)) for name in CLASS_NAMES},
    }


def config_md5() -> str:
    return hashlib.md5(pathlib.Path(ref.__file__).read_bytes()).hexdigest()


def legacy_fields(decl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per class, 1.8.1's fields (name -> annotation), from its declarations."""
    return {
        name: {f["name"]: parse_type(f["annotation"]) for f in body["fields"]} for name, body in decl["classes"].items()
    }


# ---------------------------------------------------------------------------------------------
# The rules part: new and changed fields, cross-field rules, callables, environment, dumps.
# ---------------------------------------------------------------------------------------------

ABSENT = object()  # a knob left out of the input
NEW_INT_AT_LEAST = {"eval_batch_size": 1, "pad_targets_to": 1, "num_sanity_val_steps": 0}

CALLABLES = [
    cb.make_optimizer, cb.make_scheduler, cb.TopLevelOptimizer, cb.TopLevelScheduler, cb.ReduceLROnPlateau,
    cb.TorchStylePlateau, cb.TorchStyleSGD, cb.partial_torch_style_plateau,
    cb.nested_class, cb.static_method, cb.bound_method, cb.builtin_function, cb.lambda_optimizer,
    cb.nested_optimizer, cb.no_module_function, cb.callable_instance, cb.callable_instance_default_repr,
    cb.partial_no_arguments, cb.partial_json_keywords, cb.partial_function_keywords, cb.partial_scheduler_keywords,
    cb.partial_preset_keywords, cb.partial_managed_keywords, cb.partial_nan_keyword, cb.partial_tuple_keyword,
    cb.partial_nested_dict_keyword, cb.partial_of_partial, cb.partial_plateau, cb.partial_positional,
    cb.partial_positional_and_keywords, cb.partial_set_keyword, cb.partial_class_keyword, cb.partial_bytes_keyword,
    cb.partial_of_lambda, cb.partial_of_nested, cb.partial_of_builtin,
]  # fmt: skip
OPTIMIZER_NAMES = [
    "adamw", "AdamW", "ADAMW", " sgd ", "sgd", "SGD", "adam", "muon", "Muon", "adafactor", "optimizer", "Optimizer",
    "lbfgs", "sparseadam", "rmsprop", "asgd", "nadam", "radam", "rprop", "adadelta", "adagrad", "adamax", "lamb",
    "foo", "adam w", "adam_w", "\tadamw\n", "", " ", "\t", "torch.optim.AdamW", "torch.optim.SGD", " torch.optim.SGD ",
    "my.module.Opt", ".", "a.", ".b", "torch..x", 1, 0, None, True, 1.5, [], {}, ["adamw"], b"adamw", NAN,
]  # fmt: skip
SCHEDULER_NAMES = [
    "step", "cosine", "STEP", "Cosine", " step ", "\tcosine\n", "linear", "exponential", "steplr", "cosineannealing",
    "", " ", "\n", "torch.optim.lr_scheduler.StepLR", "torch.optim.lr_scheduler.ReduceLROnPlateau",
    " torch.optim.lr_scheduler.ReduceLROnPlateau ", "torch.optim.ReduceLROnPlateau", "x.y", ".", "step.", 1, 0, None,
    True, 1.5, [], {}, ["step"], b"step", NAN,
]  # fmt: skip
KWARGS_POOL = [
    {"params": []}, {"lr": 0.1}, {"weight_decay": 0.0}, {"fused": True}, {"lr": 0.1, "momentum": 0.9},
    {"momentum": 0.9}, {"min_factor": 0.1}, {"lr_drop": 50}, {"lr_drop": "50"}, {"lr_drop": 50, "min_factor": 0.1},
    {"gamma": 0.1}, {"step_size": 3, "gamma": 0.5}, {"LR": 1}, {"lr_drop": None}, {"betas": (0.9, 0.99)},
    {"nested": {"a": [1, NAN]}}, {"": 1},
]  # fmt: skip
AUGMENTATION_VALUES = [
    "cpu", "auto", "gpu", "tv", "albu", "torchvision", "albumentations", "kornia", "KORNIA", "Kornia", "GPU", "TV",
    "Albu", " gpu", "gpu ", "CPU", "Auto", " auto", "none", "", "torchvision ", "kornia.augmentation", None, 1, 0, True,
    [], {}, b"gpu", ["gpu"],
]  # fmt: skip
MULTI_SCALE_VALUES = [
    True, False, "per-batch", "per-sample", "off", "PER_BATCH", "PER_SAMPLE", "OFF", "per_batch", "Per-Batch",
    " off", "off ", "on", 1, 0, 1.0, 0.0, "true", "false", "yes", "no", "1", "0", None, "", [], {}, b"off",
]  # fmt: skip
AMP_EXTRAS = ["fp8", "FP8", " fp8", "fp32", "float16", 16, "BF16", "auto", None, "none", "None", False, 0]
COMPUTE_VAL_LOSS_EXTRAS = ["auto", "AUTO", "Auto", " auto", "auto ", "off"]
MONITOR_EXTRAS = ["val/loss", "val/mAP_50_95", " val/loss ", "VAL/LOSS", "train/loss", "val/ema_mAP_50_95"]


def distinct(pool: list[Any]) -> list[Any]:
    """The pool without repeated values (same type and repr), in order."""
    seen: set[tuple[str, str]] = set()
    out = []
    for value in pool:
        key = (type(value).__name__, repr(value))
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def release_pool(name: str, tp: Any, constraints: dict[str, Any]) -> list[Any]:
    """Candidate values for a field new or changed since 1.8.1: a stream of its own per name and annotation."""
    return distinct(candidates(name, tp, constraints))


def candidates(name: str, tp: Any, constraints: dict[str, Any]) -> list[Any]:
    rnd = random.Random(f"{SEED}/{name}/{type_text(tp)}")
    if name == "optimizer":
        return [*OPTIMIZER_NAMES, *CALLABLES]
    if name == "lr_scheduler":
        return [*SCHEDULER_NAMES, *CALLABLES]
    if name in ("optimizer_kwargs", "lr_scheduler_kwargs"):
        return [*DICT_POOL, *KWARGS_POOL]
    if name == "augmentation_backend":
        return [*AUGMENTATION_VALUES, *dict.fromkeys(ref.AugmentationBackend.__members__.values())]
    if name == "multi_scale" and isinstance(tp, type):
        return [*MULTI_SCALE_VALUES, *tp]
    pool: list[Any]
    if name == "amp_dtype":
        pool = [*value_pool(name, tp, rnd), *AMP_EXTRAS]
    elif name == "compute_val_loss":
        pool = [*BOOL_POOL, *COMPUTE_VAL_LOSS_EXTRAS]
    elif name == "lr_scheduler_monitor":
        pool = [*STR_POOL, *MONITOR_EXTRAS]
    else:
        pool = value_pool(name, tp, rnd)
    bound = NEW_INT_AT_LEAST.get(name)
    if bound is not None:
        pool += [bound - 1, bound, bound + 1, float(bound), str(bound), str(bound - 1), bound - 0.5, -(10**20)]
    for key in ("ge", "gt", "le", "lt"):
        if key in constraints:
            b = vf.decode(constraints[key])
            pool += [b, math.nextafter(b, -INF), math.nextafter(b, INF), int(b), str(b), -1.0, -1, "-0.5", -INF]
    return pool


def valid_first(pool: list[Any]) -> list[Any]:
    return pool[: max(3, len(pool) // 4)]


def product_cases(knobs: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the knobs' values (ABSENT leaves the key out)."""
    out = []
    for values in itertools.product(*knobs.values()):
        out.append({k: v for k, v in zip(knobs, values, strict=True) if v is not ABSENT})
    return out


RULES: dict[str, dict[str, list[Any]]] = {
    # lr_drop / lr_min_factor folded into lr_scheduler_kwargs (1.9-1.10), removed in 1.11.
    "lr-fold": {
        "lr_drop": [ABSENT, 100, 100.0, 50, "50", None, "x"],
        "lr_min_factor": [ABSENT, 0.0, 0, 0.1, "0.1"],
        "lr_scheduler": [ABSENT, "step", " Cosine ", "torch.optim.lr_scheduler.StepLR", cb.partial_preset_keywords,
                         cb.lambda_optimizer, "bogus"],
        "lr_scheduler_kwargs": [ABSENT, {}, {"lr_drop": 50}, {"lr_drop": 60}, {"min_factor": 0.1},
                                {"min_factor": 0.2, "lr_drop": 50}, {"gamma": 0.5}],
    },
    "optimizer": {
        "optimizer": [ABSENT, "adamw", "SGD", " sgd ", "Optimizer", "torch.optim.SGD", "my.module.Opt", "", "nope", 3,
                      None, *CALLABLES],
        "optimizer_kwargs": [ABSENT, {}, {"lr": 0.1}, {"params": []}, {"weight_decay": 0}, {"fused": True},
                             {"momentum": 0.9}, {"lr": 0.1, "fused": False, "momentum": 0.9}, None, "x", {1: 2}],
    },
    "scheduler": {
        "lr_scheduler": [ABSENT, "step", "COSINE", "\tstep\n", "torch.optim.lr_scheduler.StepLR",
                         "torch.optim.lr_scheduler.ReduceLROnPlateau", "linear", "", "  ", 0, None, *CALLABLES],
        "lr_scheduler_kwargs": [ABSENT, {}, {"lr_drop": 5}, {"min_factor": 0.5}, {"gamma": 0.5},
                                {"step_size": 3, "gamma": 0.5}, {"lr_drop": 5, "min_factor": 0.5, "gamma": 1}, None,
                                "x", {"patience": 2}],
    },
    "eval-ema": {
        "eval_ema_only": [ABSENT, True, False, None, 1, 0, "yes", "false", "x"],
        "use_ema": [ABSENT, True, False, 0, "no"],
        "eval_base_model": [ABSENT, True, False, None, 0, 1, "true", "x"],
    },
    "val-loss": {
        "compute_val_loss": [ABSENT, True, False, 0, 1, "auto", "false", "no", 0.0, None, "AUTO"],
        "lr_scheduler": [ABSENT, "step", "torch.optim.lr_scheduler.ReduceLROnPlateau",
                         " torch.optim.lr_scheduler.ReduceLROnPlateau ", "torch.optim.lr_scheduler.ReduceLROnPlateau\n",
                         "torch.optim.ReduceLROnPlateau", "torch.optim.lr_scheduler.reducelronplateau",
                         cb.ReduceLROnPlateau, cb.partial_plateau, cb.TorchStylePlateau,
                         cb.partial_torch_style_plateau],
        "lr_scheduler_monitor": [ABSENT, "val/loss", "val/mAP_50_95", " val/loss", "val/loss ", "", "VAL/LOSS", None],
    },
    "fp8": {
        "amp_dtype": [ABSENT, "fp8", "auto", None, "bf16", "FP8", "fp8 ", "fp32"],
        "batch_size": [ABSENT, "auto", 4, "4", 1, " auto", "AUTO", 0, 4.0],
    },
    # Which before-validator warns first, and that warnings come before an unknown-key error.
    "warning-order": {
        "fp16_eval": [ABSENT, True],
        "eval_ema_only": [ABSENT, False],
        "lr_scheduler": [ABSENT, cb.lambda_optimizer, cb.partial_scheduler_keywords],
        "optimizer": [ABSENT, cb.nested_optimizer, cb.make_optimizer],
        "optimizer_kwargs": [ABSENT, {"momentum": 0.9}],
        "lr_drop": [ABSENT, 50],
        "amp_dtype": [ABSENT, "fp32"],
        "bogus": [ABSENT, 1],
    },
    "multi-scale": {
        "multi_scale": [ABSENT, True, False, "per-sample", "per-batch", "off", 1, "true", None],
        "do_random_resize_via_padding": [ABSENT, True, False],
        "expanded_scales": [ABSENT, False],
    },
}  # fmt: skip
MODEL_RULES: dict[str, dict[str, list[Any]]] = {
    "projector": {
        "projector_scale": [ABSENT, ["P3"], ["P5"], ["P3", "P5"], ["P3", "P4", "P5"], ["P4"], ["P4", "P4"], ["p3"], [],
                            ["P6"]],
        "pretrain_weights": [ABSENT, None, "rf-detr-large-2026.pth", "rf-detr-large.pth", "other.pth"],
        "out_feature_indexes": [ABSENT, [3, 6, 9, 12]],
    },
    "amp": {
        "amp": [ABSENT, True, False, "no", None],
        "cuda_graphs": [ABSENT, True, False, 1, "yes", "x", None],
        "compile": [ABSENT, True],
    },
}  # fmt: skip
MODEL_RULE_CLASSES = {
    "projector": ("RFDETRLargeConfig", "RFDETRLargeDeprecatedConfig", "RFDETRBaseConfig"),
    "amp": ("RFDETRNanoConfig", "RFDETRSegNanoConfig"),
}

# Inputs whose rejection is worded by rfdetr: the device, unknown keys and the range checks.
MESSAGE_CASES: dict[str, list[dict[str, Any]]] = {
    "model": [
        *({"device": d} for d in DEVICE_POOL),
        {"bogus": 1}, {"zeta": 1, "alpha": 2}, {"cls_loss_coef": 1.0}, {"Device": "cpu"},
        {"device": "cuda:x", "bogus": 1},
    ],
    "train": [
        {"bogus": 1}, {"zeta": 1, "alpha": 2},
        {"resolution": 640, "device": "cpu", "callbacks": None, "start_epoch": 0, "do_benchmark": False},
        {"mask_ce_loss_coef": 1.0},
        {"group_detr": 13, "ia_bce_loss": True, "num_select": 300, "segmentation_head": False},
        {"lr_drop": 100, "lr_min_factor": 0.0, "do_random_resize_via_padding": False},
        {"batch_size": 0}, {"batch_size": -1}, {"grad_accum_steps": 0}, {"auto_batch_target_effective": 0},
        {"auto_batch_max_targets_per_image": 0}, {"auto_batch_ema_headroom": 0.0}, {"auto_batch_ema_headroom": 1.5},
        {"smooth_alpha": 1.0}, {"smooth_alpha": -0.1}, {"ema_update_interval": 0}, {"eval_interval": 0},
        {"prefetch_factor": 0}, {"eval_batch_size": 0}, {"eval_batch_size": -3}, {"pad_targets_to": 0},
        {"pad_targets_to": -1}, {"clip_max_norm": -1.0}, {"checkpoint_interval": 0}, {"skip_best_epochs": -1},
        {"batch_size": 0, "grad_accum_steps": 0, "smooth_alpha": 2.0, "bogus": 1},
    ],
}  # fmt: skip

ENVIRONMENTS: list[dict[str, str | None]] = [
    {"RF_HOME": vf.RF_HOME, "ROBOFLOW_HOME": None},
    {"RF_HOME": None, "ROBOFLOW_HOME": None},
    {"RF_HOME": "", "ROBOFLOW_HOME": None},
    {"RF_HOME": None, "ROBOFLOW_HOME": vf.ROBOFLOW_HOME},
    {"RF_HOME": "", "ROBOFLOW_HOME": vf.ROBOFLOW_HOME},
    {"RF_HOME": vf.RF_HOME, "ROBOFLOW_HOME": vf.ROBOFLOW_HOME},
    {"RF_HOME": None, "ROBOFLOW_HOME": ""},
    {"RF_HOME": "", "ROBOFLOW_HOME": ""},
    {"RF_HOME": "~/rf", "ROBOFLOW_HOME": None},
    {"RF_HOME": "rel/models", "ROBOFLOW_HOME": None},
    {"RF_HOME": None, "ROBOFLOW_HOME": "~/rb"},
]
ENVIRONMENT_INPUTS: list[dict[str, Any]] = [
    {}, {"pretrain_weights": "rf-detr-nano.pth"}, {"pretrain_weights": "rf-detr-base.pth"},
    {"pretrain_weights": "w.pth"}, {"pretrain_weights": "~/w.pth"}, {"pretrain_weights": "sub/w.pth"},
    {"pretrain_weights": None}, {"pretrain_weights": "rf-detr-nano.pth", "hidden_dim": 512},
    {"pretrain_weights": "rf-detr-base.pth", "hidden_dim": 512}, {"pretrain_weights": pathlib.Path("w.pth")},
]  # fmt: skip
ENVIRONMENT_CLASSES = ("RFDETRNanoConfig", "RFDETRBaseConfig", "ModelConfig")

# Releases' own dumps loaded back: built in the release from these inputs (keys it lacks left out).
OWN_DUMPS: list[dict[str, Any]] = [
    {}, {"lr_drop": 50}, {"lr_min_factor": 0.1, "lr_scheduler": "cosine"}, {"eval_ema_only": True},
    {"eval_base_model": True}, {"eval_ema_only": False, "eval_base_model": False}, {"multi_scale": "per-sample"},
    {"multi_scale": False}, {"optimizer": cb.partial_json_keywords}, {"optimizer": cb.lambda_optimizer},
    {"lr_scheduler": cb.partial_plateau, "compute_val_loss": True}, {"augmentation_backend": "gpu"},
    {"amp_dtype": "fp8"}, {"amp_dtype": None}, {"fp16_eval": True}, {"batch_size": "auto"},
    {"pretrain_weights": "rf-detr-nano.pth"}, {"pretrain_weights": None}, {"resolution": 640}, {"cuda_graphs": True},
    {"projector_scale": ["P3", "P5"]},
]  # fmt: skip

TRAIN_ASSIGN_KNOBS: dict[str, list[Any]] = {
    "optimizer": ["sgd", "nope", "torch.optim.SGD", cb.make_optimizer, cb.lambda_optimizer, cb.partial_json_keywords],
    "optimizer_kwargs": [{"lr": 0.1}, {"momentum": 0.9}],
    "lr_scheduler": ["cosine", "torch.optim.lr_scheduler.ReduceLROnPlateau", "bogus", cb.TopLevelScheduler],
    "lr_scheduler_kwargs": [{"gamma": 0.5}, {"lr_drop": 5}],
    "lr_drop": [50, 100],
    "lr_min_factor": [0.1],
    "eval_ema_only": [True, False],
    "use_ema": [False, True],
    "eval_base_model": [True, False],
    "compute_val_loss": [False, "auto"],
    "lr_scheduler_monitor": ["val/mAP_50_95", "val/loss"],
    "amp_dtype": ["fp8", "bf16", "x", None],
    "batch_size": ["auto", 2],
    "multi_scale": [False, "per-sample", 1],
    "augmentation_backend": ["gpu", "cpu", "KORNIA"],
    "pad_targets_to": [0, 8],
    "eval_batch_size": [0, 2],
    "clip_max_norm": [-1.0, 0.5],
    "fp16_eval": [True],
    "do_random_resize_via_padding": [True],
}
# Fixed assignment sequences for the cross-field rules: an assignment re-runs the model validators.
TRAIN_ASSIGN_SEQUENCES: list[list[tuple[str, Any]]] = [
    [("optimizer", cb.make_optimizer)],
    [("optimizer", cb.make_optimizer), ("epochs", 3)],
    [("optimizer", cb.partial_json_keywords)],
    [("optimizer", cb.partial_json_keywords), ("epochs", 3)],
    [("optimizer", cb.lambda_optimizer), ("epochs", 3)],
    [("optimizer", cb.make_optimizer), ("optimizer_kwargs", {"momentum": 0.9})],
    [("lr_scheduler", cb.lambda_optimizer), ("epochs", 3)],
    [("lr_scheduler", cb.partial_plateau), ("compute_val_loss", False)],
    [("lr_scheduler", cb.partial_scheduler_keywords), ("lr_drop", 50)],
    [("lr_drop", 50), ("lr_min_factor", 0.1)],
    [("lr_scheduler", "torch.optim.lr_scheduler.StepLR"), ("lr_drop", 50)],
    [("lr_scheduler_kwargs", {"lr_drop": 60}), ("lr_drop", 50)],
    [("lr_drop", "50")],
    [("lr_min_factor", 0.0)],
    [("lr_scheduler", "cosine"), ("lr_scheduler_kwargs", {"gamma": 0.5})],
    [("eval_ema_only", True), ("use_ema", False)],
    [("use_ema", False), ("eval_ema_only", True)],
    [("eval_base_model", True), ("eval_ema_only", True)],
    [("eval_ema_only", False)],
    [("eval_ema_only", True), ("epochs", 3)],
    [("amp_dtype", "fp8"), ("batch_size", "auto")],
    [("batch_size", "auto"), ("amp_dtype", "fp8")],
    [("amp_dtype", None)],
    [("multi_scale", True)],
    [("multi_scale", "per-sample"), ("epochs", 3)],
    [("fp16_eval", True), ("epochs", 3)],
    [("compute_val_loss", False), ("lr_scheduler", "torch.optim.lr_scheduler.ReduceLROnPlateau")],
    [("lr_scheduler", "torch.optim.lr_scheduler.ReduceLROnPlateau"), ("compute_val_loss", False)],
    [("optimizer", "sgd"), ("optimizer_kwargs", {"lr": 0.1})],
    [("optimizer_kwargs", {"lr": 0.1}), ("optimizer", "torch.optim.SGD")],
    [("augmentation_backend", "gpu"), ("epochs", 3)],
    [("augmentation_backend", "tv")],
    [("pad_targets_to", 0)],
    [("eval_batch_size", 0)],
    [("clip_max_norm", -1.0)],
    [("keypoint_flip_pairs", [1, 0])],
]
MODEL_ASSIGN_KNOBS: dict[str, list[Any]] = {
    "cuda_graphs": [True, "x", 0],
    "projector_scale": [["P3"], ["P4"], ["P3", "P5"]],
    "amp": [False, "no"],
    "pretrain_weights": [None, "rf-detr-nano.pth"],
    "resolution": [640, 0],
    "device": ["cuda:1", 5],
}


def release_fields(cls_name: str, decl: dict[str, Any], legacy_decl: dict[str, Any]) -> list[str]:
    """Fields of a class that 1.8.1 did not have, or declared with another annotation or constraints."""
    old = {f["name"]: f for f in legacy_decl["classes"][cls_name]["fields"]}
    out = []
    for f in decl["classes"][cls_name]["fields"]:
        before = old.get(f["name"])
        if before is None or (before["annotation"], before.get("constraints")) != (
            f["annotation"],
            f.get("constraints"),
        ):
            out.append(f["name"])
    return out


def stream(*keys: Any) -> random.Random:
    """A random stream of its own for one case: changing one case never moves another."""
    return random.Random("/".join(map(str, (SEED, *keys))))


def rules_corpus(decl: dict[str, Any], legacy_decl: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules part's inputs, as dicts with the class, label, environment (None: the usual) and input."""
    cases: list[dict[str, Any]] = []

    def add(cls_name: str, label: str, data: dict[str, Any], env: dict[str, str | None] | None = None) -> None:
        cases.append({"cls": cls_name, "label": label, "env": env, "input": data})

    constraints = {
        c: {f["name"]: f.get("constraints", {}) for f in body["fields"]} for c, body in decl["classes"].items()
    }
    for cls_name in CLASS_NAMES:
        cls = getattr(ref, cls_name)
        live = cls.model_fields
        base = base_required(cls)
        changed = release_fields(cls_name, decl, legacy_decl)
        pools = {n: release_pool(n, live[n].annotation, constraints[cls_name][n]) for n in changed}
        for name in changed:  # single-field cases
            for value in pools[name]:
                add(cls_name, f"new-field:{name}", {**base, name: value})
        if changed:  # mixes: one to three new fields, up to three others
            others = [n for n in live if n not in changed]
            for i in range(150):
                r = stream("mix", cls_name, i)
                data = dict(base)
                for name in r.sample(changed, min(len(changed), r.randint(1, 3))):
                    pool = pools[name]
                    data[name] = r.choice(valid_first(pool) if r.random() < 0.7 else pool)
                for name in r.sample(others, r.randint(0, 3)):
                    pool = value_pool(
                        name, live[name].annotation, stream("pool", name, type_text(live[name].annotation))
                    )
                    data[name] = r.choice(valid_first(pool) if r.random() < 0.7 else pool)
                add(cls_name, "new-mix", data)
        is_train = cls_name in TRAIN_CLASSES
        for rule, knobs in (RULES if is_train else MODEL_RULES).items():
            if not is_train and cls_name not in MODEL_RULE_CLASSES[rule]:
                continue
            for i, data in enumerate(product_cases(knobs)):
                if cls_name in ("SegmentationTrainConfig", "KeypointTrainConfig") and i % 5:
                    continue  # the rules are TrainConfig's; the subclasses get every fifth case
                add(cls_name, f"rule:{rule}", {**base, **data})
        for data in MESSAGE_CASES["train" if is_train else "model"]:
            add(cls_name, "messages", {**base, **data})
        legacy_defaults = {}
        for f in legacy_decl["classes"][cls_name]["fields"]:
            if f.get("required"):
                legacy_defaults[f["name"]] = base.get(f["name"])
            else:
                legacy_defaults[f["name"]] = vf.decode(f["default_factory"] if "default_factory" in f else f["default"])
        add(cls_name, f"dump:{LEGACY_RELEASE}", legacy_defaults)
        for variant in OWN_DUMPS:
            start = {**base, **{k: v for k, v in variant.items() if k in live}}
            if variant and len(start) == len(base):
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    own = cls(**fresh(start)).model_dump()
            except Exception:
                continue
            add(cls_name, "dump:own", own)
        if cls_name in ENVIRONMENT_CLASSES:
            for env in ENVIRONMENTS:
                for data in ENVIRONMENT_INPUTS:
                    add(cls_name, "env", {**base, **data}, env)
    return cases


def rules_assignments() -> list[dict[str, Any]]:
    """The rules part's assignment sequences: drawn per class from fixed knobs, fixed ones, environment."""
    out = []
    for cls_name in CLASS_NAMES:
        cls = getattr(ref, cls_name)
        live = cls.model_fields
        base = base_required(cls)
        knobs = TRAIN_ASSIGN_KNOBS if cls_name in TRAIN_CLASSES else MODEL_ASSIGN_KNOBS
        for i in range(80):
            r = stream("assign", cls_name, i)
            start = dict(base)
            if r.random() < 0.3:
                name = r.choice(list(knobs))
                start[name] = r.choice(knobs[name])
            changes = [(name, r.choice(knobs[name])) for name in r.sample(list(knobs), r.randint(1, 4))]
            start = {k: v for k, v in start.items() if k in live}
            changes = [(name, value) for name, value in changes if name in live]
            if not changes:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cls(**fresh(start))
            except Exception:
                continue
            out.append({"cls": cls_name, "start": start, "changes": changes, "env": None, "label": "assign-new"})
        if cls_name in TRAIN_CLASSES:
            for changes in TRAIN_ASSIGN_SEQUENCES:
                changes = [(name, value) for name, value in changes if name in live]
                if changes:
                    out.append(
                        {"cls": cls_name, "start": dict(base), "changes": changes, "env": None, "label": "assign-rule"}
                    )
        if cls_name in ENVIRONMENT_CLASSES:
            for env in ENVIRONMENTS:
                out.append({"cls": cls_name, "start": dict(base), "changes": [("pretrain_weights", "rf-detr-nano.pth")],
                            "env": env, "label": "env"})  # fmt: skip
    return out


def record_rules(decl: dict[str, Any], legacy_decl: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for case in rules_corpus(decl, legacy_decl):
        cls = getattr(ref, case["cls"])
        for path in ("dict", "kwargs"):
            record: dict[str, Any] = {"cls": case["cls"], "path": path, "label": case["label"]}
            if case["env"] is not None:
                record["env"] = case["env"]
            record["input"] = vf.encode(case["input"])
            vf.set_cache_variables(case["env"] or {"RF_HOME": vf.RF_HOME})
            try:
                record.update(run(cls, fresh(case["input"]), path, messages=True))
            finally:
                vf.set_cache_variables({"RF_HOME": vf.RF_HOME})
            records.append(record)
    for case in rules_assignments():
        cls = getattr(ref, case["cls"])
        record = {"cls": case["cls"], "path": "assign", "label": case["label"]}
        if case["env"] is not None:
            record["env"] = case["env"]
        record["input"] = vf.encode(case["start"])
        record["changes"] = [[name, vf.encode(value)] for name, value in case["changes"]]
        vf.set_cache_variables(case["env"] or {"RF_HOME": vf.RF_HOME})
        try:
            record.update(run_assignments(cls, case["start"], case["changes"], messages=True))
        finally:
            vf.set_cache_variables({"RF_HOME": vf.RF_HOME})
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# Files and the manifest
# ---------------------------------------------------------------------------------------------


def version_key(release: str) -> tuple[int, ...]:
    return tuple(int(p) for p in release.split("."))


def file_digest(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per class and path: inputs, accepted, rejected, crashed."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for r in records:
        row = table.setdefault(r["cls"], {}).setdefault(r["path"], {"n": 0, "ok": 0, "rejected": 0, "crashed": 0})
        row["n"] += 1
        row["ok" if r["ok"] else ("crashed" if "crash" in r else "rejected")] += 1
    return table


def totals(records: list[dict[str, Any]]) -> dict[str, int]:
    out = {"records": len(records), "dict": 0, "kwargs": 0, "assign": 0, "ok": 0, "rejected": 0, "crashed": 0}
    for r in records:
        out[r["path"]] += 1
        out["ok" if r["ok"] else ("crashed" if "crash" in r else "rejected")] += 1
    return out


PARTS = {"corpus": "{}.jsonl.gz", "rules": "{}.rules.jsonl.gz"}


def publish(release: str, out: pathlib.Path, parts: dict[str, list[dict[str, Any]]], decl: dict[str, Any]) -> None:
    """Put a release's recording into the manifest and rewrite the files that change.

    Releases whose recordings are identical (corpus, rules and declarations) share one copy, kept
    under the oldest one's name. The others each keep their own: the oldest, and 1.8.1, in full; every
    other one as changes against the previous release that keeps its own (``vf.stored_text``). All
    files are worked out anew from the records, so recording a release between two others, or again,
    leaves every file right; a file is rewritten only when its text changes.
    """
    vectors_dir, decl_dir = out / "vectors", out / "declarations"
    manifest_path = vectors_dir / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    releases: dict[str, Any] = manifest.get("releases", {})
    new_lines = {part: vf.record_lines(records) for part, records in parts.items()}
    decl_text = json.dumps(decl, indent=1, ensure_ascii=False) + "\n"
    content = {part: vf.digest(lines) for part, lines in new_lines.items()}
    content["declarations"] = hashlib.sha256(decl_text.encode("utf-8")).hexdigest()
    stale = [r for r, e in releases.items() if e.get("identical_to") == release and e["sha256"] != content]
    releases[release] = {
        "config_md5": config_md5(),
        "sha256": content,
        "totals": {part: totals(records) for part, records in parts.items()},
    }
    # One copy per group of identical recordings, kept under the oldest release's name.
    group = sorted((r for r, e in releases.items() if e["sha256"] == content and r not in stale), key=version_key)
    keeper = group[0]
    for name in group:
        releases[name].pop("identical_to", None)
        if name != keeper:
            releases[name]["identical_to"] = keeper
    for name in stale:  # their copy changed under them: the replay's manifest test fails until recorded again
        print(f"warning: {name} was recorded identical to {release}, which changed: record {name} again")
        releases[name]["identical_to"] = keeper

    def contents(name: str, part: str) -> list[str]:
        """A keeper's records: the new ones, or those its files hold (not yet rewritten: staged below)."""
        if name == keeper:
            return new_lines[part]
        return list(vf.read_lines(vectors_dir / PARTS[part].format(name)))

    keepers = sorted((r for r, e in releases.items() if "identical_to" not in e), key=version_key)
    staged: dict[pathlib.Path, str] = {}
    for part, pattern in PARTS.items():
        base: tuple[str, list[str]] | None = None
        for name in keepers:
            lines = contents(name, part)
            path = vectors_dir / pattern.format(name)
            text = vf.stored_text(lines, None if name == LEGACY_RELEASE else base)
            if not path.exists() or vf.read_text(path) != text:
                staged[path] = text
            base = (path.name, lines)
    keep_decl = {decl_dir / f"{name}.json" for name in keepers}
    wanted = {vectors_dir / pattern.format(name) for name in keepers for pattern in PARTS.values()}
    for path, text in staged.items():
        vf.write_text(path, text)
    vf.read_lines.cache_clear()
    decl_dir.mkdir(parents=True, exist_ok=True)
    (decl_dir / f"{keeper}.json").write_text(decl_text, encoding="utf-8")
    for path in [*vectors_dir.glob("*.jsonl.gz"), *decl_dir.glob("*.json")]:
        if path not in wanted and path not in keep_decl:
            path.unlink()
    for name in (release, keeper):  # the stored files give back exactly the records
        for part, pattern in PARTS.items():
            owner = releases[name].get("identical_to", name)
            assert vf.digest(vf.read_lines(vectors_dir / pattern.format(owner))) == releases[name]["sha256"][part]
    for name, entry in releases.items():
        owner = entry.get("identical_to", name)
        entry["vectors"] = [pattern.format(owner) for pattern in PARTS.values()]
        entry["declarations"] = f"{owner}.json"
        entry["files"] = {v: file_digest(vectors_dir / v) for v in entry["vectors"]}
        entry["files"][entry["declarations"]] = file_digest(decl_dir / entry["declarations"])
    manifest = {
        "format": 1,
        "about": (
            "Every rfdetr release the vectors cover: its config.py (md5), its vectors files (replayed in order) "
            "and its declarations file. Releases whose recordings came out identical share one copy, kept under "
            "the oldest release's name ('identical_to'). 'sha256' is the digest of the records (as vf.digest "
            "computes it), 'files' of the stored files. Written by record.py."
        ),
        "releases": {
            name: {key: releases[name][key] for key in MANIFEST_KEYS if key in releases[name]}
            for name in sorted(releases, key=version_key)
        },
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


MANIFEST_KEYS = ("config_md5", "identical_to", "vectors", "declarations", "sha256", "files", "totals")


def print_summary(release: str, parts: dict[str, list[dict[str, Any]]], seconds: float) -> None:
    print(f"rfdetr {release} (config.py md5 {config_md5()}), recorded in {seconds:.0f} s")
    for part, records in parts.items():
        t = totals(records)
        print(
            f"  {part}: {t['records']} records: dict {t['dict']}, kwargs {t['kwargs']}, assign {t['assign']}; "
            f"accepted {t['ok']}, rejected {t['rejected']}, crashed {t['crashed']}"
        )
        for cls_name, paths in summary(records).items():
            cells = ", ".join(
                f"{p} {c['n']} ({c['ok']} ok/{c['rejected']} rej/{c['crashed']} crash)" for p, c in paths.items()
            )
            print(f"    {cls_name}: {cells}")


def main(argv: list[str] | None = None) -> int:
    global pydantic, ref
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--release", required=True, help="the rfdetr release this Python's rfdetr.config is, e.g. 1.9.3"
    )
    parser.add_argument("--check", action="store_true", help="record into a scratch copy and compare; change nothing")
    args = parser.parse_args(argv)
    release: str = args.release
    if release not in sys.prefix:
        print(f"warning: {sys.prefix} does not look like the reference for {release}", file=sys.stderr)

    here = pathlib.Path(__file__).resolve().parent
    out = here
    if args.check:
        out = pathlib.Path(tempfile.mkdtemp(prefix="rfdetr-record-"))
        shutil.copytree(here / "vectors", out / "vectors")
        shutil.copytree(here / "declarations", out / "declarations")

    vf.prepare_environment()
    import pydantic as _pydantic
    from rfdetr import config as _ref

    pydantic, ref = _pydantic, _ref
    started = time.perf_counter()
    decl = declarations(release)
    if release == LEGACY_RELEASE:
        legacy_decl = json.loads(json.dumps(decl))  # as it will read back from its file
    else:
        manifest = json.loads((out / "vectors" / "MANIFEST.json").read_text(encoding="utf-8"))
        legacy_path = out / "declarations" / manifest["releases"][LEGACY_RELEASE]["declarations"]
        legacy_decl = json.loads(legacy_path.read_text(encoding="utf-8"))
    parts = {
        "corpus": record_corpus(legacy_fields(legacy_decl)),
        "rules": record_rules(decl, legacy_decl),
    }
    publish(release, out, parts, decl)
    print_summary(release, parts, time.perf_counter() - started)
    if args.check:
        manifest = json.loads((out / "vectors" / "MANIFEST.json").read_text(encoding="utf-8"))
        committed = json.loads((here / "vectors" / "MANIFEST.json").read_text(encoding="utf-8"))
        mine, theirs = manifest["releases"][release], committed["releases"].get(release)
        same = theirs is not None and mine["sha256"] == theirs["sha256"]
        print(f"--check: the recording of {release} {'matches' if same else 'DIFFERS FROM'} the one in {here}")
        shutil.rmtree(out)
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
