"""Record what ``rfdetr_config.migrate`` does between every two releases, checked by the real rfdetr releases.

A migration claims to keep what a configuration trains. This recorder puts that claim to the releases
themselves: each sampled input is one that rfdetr ``S`` accepts, and the migrated dict must be one that
rfdetr ``T`` accepts and reads as ``S`` read the input. Re-record after any change to the
engine or its steps (about three minutes on two cores; it needs the reference environments
``/tmp/rfdetr-reference-<release>`` that ``record.py`` describes, and writes only ``migrations/``)::

    PYTHONPATH=. /work/venv/bin/python tests/conformance/record_migrations.py
    python -m pytest tests/conformance/test_migrations.py      # the replay: no torch, no pydantic

What is sampled, per source release ``S`` (releases that share their classes get the same inputs):

* inputs that rfdetr ``S`` accepted through ``model_validate`` in the conformance vectors (``vectors/``),
  drawn with a fixed seed per class; records made under another model cache setting, and inputs holding
  callables, are left out (a callable cannot be compared across processes);
* the full ``model_dump()`` of each class's defaults, as ``S`` writes it;
* hand-written cases for every rule of :mod:`rfdetr_config.migration.steps` (:func:`rule_cases`), and pairs
  of a model and a training configuration for :func:`rfdetr_config.migrate_pair` (:func:`pair_cases`).

A hand-written input ``S`` refuses is not migrated: the inputs are the same for every release, and not
every release has every field. For each input and each target ``T`` whose classes differ from ``S``'s
(a release sharing ``S``'s classes gets the input back unchanged), ``migrate`` is run (never ``strict``),
and the reference pythons check the result, many cases per call, each in one long-running worker
(this very file, run with ``--worker``). The verdict of a case is a pass when:

1. rfdetr ``T`` accepts the migrated dict;
2. every field of both ``model_dump()`` results that no change record names has the same value and
   type (rfdetr's enums are ``str`` enums: a member is compared by its value), or an old spelling
   that rfdetr itself reads as the new one (:func:`respelled`: ``multi_scale=True`` is
   ``"per-batch"``, ``augmentation_backend="gpu"`` is ``"kornia"``), which is counted as ``respelled``;
3. every ``pinned`` record's new value is what rfdetr ``T``'s dump holds for that field;
4. for a pair, the classification loss weight that trains is the same: up to 1.8.3 the model dict's
   ``cls_loss_coef`` when it gives one and the training dict does not, else the training config's.

A case ``migrate`` refuses (a value the target cannot express) records the ConfigError's text and has
no verdict; the summary counts apart the refusals where rfdetr ``T`` refused the value ``migrate``
itself wrote (``refused_own_value``): the input may well have been expressible.
HOME, the working directory and the model cache variables are fixed as ``vectors_format`` fixes
them, in the workers and here, so that normalised paths compare.

Each ``migrations/<S>.jsonl.gz`` holds one line per input: the input, and per group of targets with
the same outcome our data and change list (field, kind) or our refusal, plus the failed verdicts with
why. A release sharing its classes with an earlier one is stored as changes against that one's file
(``vectors_format.stored_text``). ``migrations/MANIFEST.json`` counts cases, target accepts, refusals
and verdict failures per source release.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import pathlib
import random
import subprocess
import sys
import threading
import time
import warnings
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

REPO = pathlib.Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rfdetr_config.releases.registry import RELEASES  # noqa: E402
from tests.conformance import vectors_format as vf  # noqa: E402

MIGRATIONS_DIR = vf.HERE / "migrations"
MANIFEST = MIGRATIONS_DIR / "MANIFEST.json"
LEGACY = ("1.8.1", "1.8.2", "1.8.3")
"""The releases in which a model configuration's ``cls_loss_coef`` may be the one that trains."""
SEED = 20261206
TRAIN_CLASSES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")
CORPUS_PER_TRAIN_CLASS = 70
CORPUS_PER_MODEL_CLASS = 14
CORPUS_PAIRS = 60
FAMILIES = {
    "TrainConfig": (
        "ModelConfig", "RFDETRBaseConfig", "RFDETRLargeDeprecatedConfig", "RFDETRNanoConfig", "RFDETRSmallConfig",
        "RFDETRMediumConfig", "RFDETRLargeConfig",
    ),
    "SegmentationTrainConfig": (
        "RFDETRSegPreviewConfig", "RFDETRSegNanoConfig", "RFDETRSegSmallConfig", "RFDETRSegMediumConfig",
        "RFDETRSegLargeConfig", "RFDETRSegXLargeConfig", "RFDETRSeg2XLargeConfig",
    ),
    "KeypointTrainConfig": ("RFDETRKeypointPreviewConfig",),
}  # fmt: skip
"""Each training class and the model classes it trains, for pairs."""
TORCH_ONCE = "'mkldnn' is no longer used as device type"
REASONS_KEPT = 4

Case = Tuple[str, str, Dict[str, Any]]
"""A sampled input: label, class name, the dict."""
Pair = Tuple[str, Tuple[str, str], Tuple[Dict[str, Any], Dict[str, Any]]]
"""A sampled pair: label, (model class, training class), (model dict, training dict)."""


# --- the worker: runs in a reference environment, knows nothing of rfdetr_config -------------------------


def worker() -> int:
    """Validate JSON-lines requests (``{"cls", "data"}``) with this Python's ``rfdetr.config``, one answer a line.

    An answer is ``{"ok": true, "dump", "warnings"}`` or ``{"ok": false, "error"}``; the dump is encoded
    as the conformance vectors encode values, enum members included.
    """
    vf.prepare_environment()
    import pydantic  # type: ignore[import-not-found]
    from rfdetr import config as ref  # type: ignore[import-not-found]

    def enum(name: str, member: str) -> Any:
        return getattr(getattr(ref, name), member)

    for line in sys.stdin:
        request = json.loads(line)
        cls = getattr(ref, request["cls"])
        answer: Dict[str, Any]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model = cls.model_validate(vf.decode(request["data"], enum))
            except pydantic.ValidationError as error:
                shown = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                answer = {"ok": False, "error": shown}
            except Exception as error:
                answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
            else:
                answer = {"ok": True, "dump": vf.encode(model.model_dump())}
        if answer["ok"]:
            answer["warnings"] = [
                vf.mask_addresses(str(w.message)) for w in caught if not str(w.message).startswith(TORCH_ONCE)
            ]
        sys.stdout.write(vf.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


class Reference:
    """One release's reference python, kept running as a worker that validates batches of dicts."""

    def __init__(self, release: str) -> None:
        python = pathlib.Path(f"/tmp/rfdetr-reference-{release}/bin/python")
        if not python.exists():
            raise SystemExit(f"no reference environment for rfdetr {release}: {python} (see record.py)")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ROBOFLOW_HOME")}
        self.release = release
        self.process = subprocess.Popen(
            [str(python), "-u", str(pathlib.Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=env,
        )

    def validate(self, requests: Sequence[Tuple[str, Any]]) -> List[Dict[str, Any]]:
        """``(class name, encoded dict)`` each validated; the answers in order."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        stdin, stdout = self.process.stdin, self.process.stdout

        def feed() -> None:
            for cls, data in requests:
                stdin.write(vf.dumps({"cls": cls, "data": data}) + "\n")
            stdin.flush()

        writer = threading.Thread(target=feed)
        writer.start()
        answers = []
        for _ in requests:
            line = stdout.readline()
            if not line:
                raise RuntimeError(f"the rfdetr {self.release} worker stopped")
            answers.append(json.loads(line))
        writer.join()
        return answers

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def validate_all(references: Dict[str, Reference], batches: Dict[str, List[Tuple[str, Any]]]) -> Dict[str, Any]:
    """Every release's batch validated by its reference, the references working side by side."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(batches) or 1) as pool:
        futures = {r: pool.submit(references[r].validate, batch) for r, batch in batches.items()}
        return {r: future.result() for r, future in futures.items()}


# --- the sample ----------------------------------------------------------------------------------------


def _has_callable(encoded: Any) -> bool:
    return '{"$c":' in vf.dumps(encoded)


def corpus_cases(release: str, class_names: Iterable[str]) -> List[Tuple[str, str, Any]]:
    """Inputs rfdetr ``release`` accepted as dicts in the conformance vectors, drawn per class with a fixed seed.

    The inputs stay encoded (``vectors_format``): enum members in them belong to the release that reads them.
    """
    entry = vf.read_manifest()["releases"][release]
    pools: Dict[str, List[Tuple[str, Any]]] = {}
    for name in entry["vectors"]:
        for record, _ in vf.read_split(vf.VECTORS_DIR / name):
            if record["path"] != "dict" or not record["ok"] or "env" in record or _has_callable(record["input"]):
                continue
            pools.setdefault(record["cls"], []).append((record["label"], record["input"]))
    out = []
    for cls in class_names:
        pool = pools.get(cls, [])
        count = CORPUS_PER_TRAIN_CLASS if cls in TRAIN_CLASSES else CORPUS_PER_MODEL_CLASS
        rnd = random.Random(f"{SEED}:{entry['vectors'][0]}:{cls}")
        for label, data in rnd.sample(pool, min(count, len(pool))):
            out.append((f"corpus:{label}", cls, data))
    return out


def _train_rules() -> List[Tuple[str, Dict[str, Any]]]:
    """Training-configuration cases for the rules of the steps, as label and the fields besides ``dataset_dir``."""
    cases: List[Tuple[str, Dict[str, Any]]] = [("empty", {})]

    def add(label: str, **fields: Any) -> None:
        cases.append((label, fields))

    extra: Dict[str, Any]
    for scheduler in (None, "step", "cosine"):
        extra = {} if scheduler is None else {"lr_scheduler": scheduler}
        add(f"lr_drop {scheduler}", lr_drop=50, **extra)
        add(f"lr_min_factor {scheduler}", lr_min_factor=0.1, **extra)
        add(f"lr both {scheduler}", lr_drop=30, lr_min_factor=0.05, **extra)
        add(f"lr_drop default {scheduler}", lr_drop=100, lr_min_factor=0.0, **extra)
        add(f"lr kwargs {scheduler}", lr_scheduler_kwargs={"lr_drop": 40, "min_factor": 0.2}, **extra)
        add(f"lr kwargs and fields {scheduler}", lr_drop=40, lr_scheduler_kwargs={"lr_drop": 40}, **extra)
        add(f"lr kwargs differ from fields {scheduler}", lr_min_factor=0.3, lr_scheduler_kwargs={"min_factor": 0.3})
        add(f"empty kwargs {scheduler}", lr_scheduler_kwargs={}, **extra)
    add("lr_drop unmanaged", lr_drop=50, lr_scheduler="torch.optim.lr_scheduler.OneCycleLR")
    for scales in (True, False, "on", "off", 1, 0, "per-batch", "per-sample"):
        add(f"multi_scale {scales!r}", multi_scale=scales)
        for padding in (True, False):
            add(f"multi_scale {scales!r} padding {padding}", multi_scale=scales, do_random_resize_via_padding=padding)
    add("padding alone", do_random_resize_via_padding=True)
    for norm in (-1.0, -0.5, 0.0, 0.5, 2, -3):
        add(f"clip_max_norm {norm}", clip_max_norm=norm)
    for key, value in (
        ("foo", 1),
        ("group_detr", 11),
        ("ia_bce_loss", False),
        ("num_select", 100),
        ("segmentation_head", True),
        ("amp_dtype", "bf16"),
        ("eval_ema_only", True),
        ("optimizer", "sgd"),
        ("lr_scheduler_kwargs", {"lr_drop": 3}),
    ):
        add(f"key {key}", **{key: value})
    add("unknown keys", foo=1, bar={"x": [1]}, group_detr=7)
    for field in ("use_ema", "tensorboard", "multi_scale", "early_stopping", "run_test", "fp16_eval", "wandb"):
        for loose in ("on", "off", "yes", "no", "1", "0", 1, 0, "true", "False"):
            add(f"loose {field} {loose!r}", **{field: loose})
    for coef in ("cls_loss_coef", "keypoint_nll_loss_coef"):
        add(f"{coef} given", **{coef: 3.0})
        add(f"{coef} int", **{coef: 2})
    for ema_only in (True, False):
        for use_ema in (None, True, False):
            extra = {} if use_ema is None else {"use_ema": use_ema}
            add(f"eval_ema_only {ema_only} use_ema {use_ema}", eval_ema_only=ema_only, **extra)
            add(f"eval_base_model {ema_only} use_ema {use_ema}", eval_base_model=ema_only, **extra)
    for dtype in ("auto", "bf16", "fp16", "fp8", None, "fp32"):
        add(f"amp_dtype {dtype!r}", amp_dtype=dtype)
    for backend in ("cpu", "auto", "gpu", "kornia", "torchvision", "albumentations"):
        add(f"augmentation_backend {backend}", augmentation_backend=backend)
    for optimizer in ("adamw", "AdamW", " adamw ", "sgd", "Adam", "torch.optim.SGD"):
        add(f"optimizer {optimizer!r}", optimizer=optimizer)
    add("optimizer kwargs", optimizer="sgd", optimizer_kwargs={"momentum": 0.9})
    for scheduler in ("step", "cosine", "Cosine", " step ", "torch.optim.lr_scheduler.OneCycleLR", "OneCycleLR"):
        add(f"lr_scheduler {scheduler!r}", lr_scheduler=scheduler)
    for compute in (True, False, "auto"):
        add(f"compute_val_loss {compute!r}", compute_val_loss=compute)
        add(
            f"plateau compute_val_loss {compute!r}",
            lr_scheduler="torch.optim.lr_scheduler.ReduceLROnPlateau",
            lr_scheduler_interval="epoch",
            compute_val_loss=compute,
        )
    knobs: Tuple[Tuple[str, Tuple[Any, ...]], ...] = (
        ("eval_batch_size", (None, 8)),
        ("pack_targets", (True, False)),
        ("compact_train_metrics", (True, False)),
        ("num_sanity_val_steps", (0, 2, 5)),
        ("pad_targets_to", (None, 64)),
        ("eval_backend", ("hotcoco", "faster_coco_eval", "ufcoco", "vernier")),
        ("fp16_eval", (True, False)),
        ("dataset_file", ("coco", "webdataset", "yolo")),
        ("grad_accum_steps", (1, 4)),
        ("log_per_class_metrics", (True, False)),
        ("compute_val_loss", (True,)),
        ("batch_size", ("auto", 8)),
        ("best_model_metric", ("mar",)),
        ("resume", ("checkpoint.pth",)),
        ("output_dir", ("~/runs", "runs/a")),
        ("dataset_dir", ("/abs/data", "~/data", None)),
    )
    for key, values in knobs:
        for value in values:
            add(f"{key} {value!r}", **{key: value})
    add(
        "many at once",
        lr_drop=60,
        lr_min_factor=0.01,
        multi_scale=True,
        do_random_resize_via_padding=True,
        clip_max_norm=-1.0,
        use_ema="on",
        augmentation_backend="gpu",
        lr_scheduler="cosine",
        epochs=12,
    )
    return cases


def _model_rules(cls: str) -> List[Tuple[str, Dict[str, Any]]]:
    cases: List[Tuple[str, Dict[str, Any]]] = [
        ("empty", {}),
        ("amp False", {"amp": False}),
        ("amp off", {"amp": "off"}),
        ("cls_loss_coef", {"cls_loss_coef": 2.0}),
        ("bare weights", {"pretrain_weights": "rf-detr-base.pth"}),
        ("weights path", {"pretrain_weights": "weights/x.pth"}),
        ("no weights", {"pretrain_weights": None}),
        ("cuda_graphs", {"cuda_graphs": True}),
        ("group_detr", {"group_detr": 7, "num_select": 100}),
    ]
    if cls == "RFDETRKeypointPreviewConfig":
        for classes in ([17], [0, 17], [5], [3, 4]):
            cases.append((f"num_keypoints_per_class {classes}", {"num_keypoints_per_class": classes}))
    if cls == "RFDETRLargeConfig":
        for scales in (["P3", "P5"], ["P4"], ["P3", "P4", "P5"], ["P5"], ["P3"]):
            cases.append((f"projector_scale {scales}", {"projector_scale": scales}))
    return cases


def rule_cases(class_names: Sequence[str]) -> List[Case]:
    """Hand-written inputs for the rules of the steps, for every class; a release refusing one drops it."""
    out: List[Case] = []
    train = _train_rules()
    for cls in class_names:
        if cls in TRAIN_CLASSES:
            out += [(f"rule:{label}", cls, {"dataset_dir": "data", **fields}) for label, fields in train]
        elif cls != "ModelConfig":
            out += [(f"rule:{label}", cls, fields) for label, fields in _model_rules(cls)]
    return out


def pair_cases() -> List[Pair]:
    """Hand-written pairs: where ``cls_loss_coef`` is given, and the model's ``amp`` with ``amp_dtype``."""
    models = {"TrainConfig": "RFDETRBaseConfig", "SegmentationTrainConfig": "RFDETRSegSmallConfig"}
    models["KeypointTrainConfig"] = "RFDETRKeypointPreviewConfig"
    out: List[Pair] = []
    model: Dict[str, Any]
    train: Dict[str, Any]
    for train_cls, model_cls in models.items():
        for model_coef in (None, 3.0):
            for train_coef in (None, 4.0, 1.0):
                model = {} if model_coef is None else {"cls_loss_coef": model_coef}
                train = {"dataset_dir": "data"} | ({} if train_coef is None else {"cls_loss_coef": train_coef})
                label = f"pair:cls_loss_coef model {model_coef} train {train_coef}"
                out.append((label, (model_cls, train_cls), (model, train)))
        for amp in (None, False, True):
            for dtype in ("absent", "auto", "bf16", "fp16", "fp8", None):
                model = {} if amp is None else {"amp": amp}
                train = {"dataset_dir": "data"}
                if dtype != "absent":
                    train["amp_dtype"] = dtype
                out.append((f"pair:amp {amp} amp_dtype {dtype}", (model_cls, train_cls), (model, train)))
    return out


def corpus_pairs(release: str, corpus: Sequence[Tuple[str, str, Any]]) -> List[Tuple[str, Tuple[str, str], Any]]:
    """Pairs of sampled corpus inputs, each training input with a model input of its family."""
    rnd = random.Random(f"{SEED}:pairs:{vf.read_manifest()['releases'][release]['vectors'][0]}")
    by_class: Dict[str, List[Tuple[str, Any]]] = {}
    for label, cls, data in corpus:
        by_class.setdefault(cls, []).append((label, data))
    out = []
    for _ in range(CORPUS_PAIRS):
        train_cls = rnd.choice(TRAIN_CLASSES)
        model_cls = rnd.choice([c for c in FAMILIES[train_cls] if c in by_class])
        (m_label, model), (t_label, train) = rnd.choice(by_class[model_cls]), rnd.choice(by_class[train_cls])
        out.append((f"pair:{m_label} + {t_label}", (model_cls, train_cls), (model, train)))
    return out


# --- migrating and judging -----------------------------------------------------------------------------


class Judge:
    """Our migrations and the references' verdicts on them, for one source release at a time."""

    def __init__(self) -> None:
        import rfdetr_config as rc
        from rfdetr_config.releases import MODULES

        self.rc = rc
        self.modules = MODULES

    def group(self, release: str) -> str:
        return self.modules[release]

    def targets(self, source: str) -> List[str]:
        """The releases whose classes differ from ``source``'s: a release sharing them gets the input back."""
        return [t for t in RELEASES if self.group(t) != self.group(source)]

    def decode(self, encoded: Any, release: str) -> Any:
        module = self.rc.for_release(release)
        return vf.decode(encoded, lambda name, member: getattr(getattr(module, name), member))

    def plain(self, encoded: Any, release: str) -> Any:
        """A recorded dump decoded, each enum member as its value (rfdetr's enums are ``str`` enums)."""
        return _values(self.decode(encoded, release))

    def migrate(self, source: str, target: str, classes: Sequence[str], inputs: Sequence[Any]) -> Dict[str, Any]:
        """Our migration of one input (or a pair), as recorded: data and changes, or the refusal."""
        rc = self.rc
        decoded = [self.decode(data, source) for data in inputs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if len(classes) == 1:
                    results = [rc.migrate(decoded[0], classes[0], source=source, target=target)]
                else:
                    results = list(
                        rc.migrate_pair(decoded[0], classes[0], decoded[1], classes[1], source=source, target=target)
                    )
            except rc.ConfigError as error:
                return {"refused": str(error)}
            except Exception as error:
                return {"crashed": f"{type(error).__name__}: {error}"}
        return {"results": results}


def _values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_values(v) for v in value]
    if hasattr(type(value), "__members__") and hasattr(value, "value"):
        return value.value
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{text if len(text) <= 80 else text[:77] + '...'} ({type(value).__name__})"


def respelled(field: str, dump: Dict[str, Any]) -> Any:
    """A field's value in the spelling of rfdetr 1.11, where an older release spells the same setting otherwise.

    rfdetr itself reads each old spelling as the new one: 1.11 reads ``multi_scale=True`` as
    ``"per-batch"`` (``"per-sample"`` with ``do_random_resize_via_padding``) and ``False`` as ``"off"``;
    1.9 on read ``augmentation_backend="gpu"`` as ``"kornia"``. A migration may rely on that instead of
    rewriting a value, so a difference of spelling alone is counted (``respelled``), not failed.
    """
    value = dump[field]
    if field == "multi_scale" and type(value) is bool:
        return "off" if not value else "per-sample" if dump.get("do_random_resize_via_padding") else "per-batch"
    if field == "augmentation_backend" and value == "gpu":
        return "kornia"
    return value


def judge_one(
    judge: Judge,
    source: str,
    target: str,
    migration: Any,
    src_dump: Any,
    answer: Dict[str, Any],
    respellings: List[str],
) -> List[str]:
    """Why one migrated configuration fails its verdict (an empty list when it passes).

    A shared field that ends spelled differently but meaning the same (:func:`respelled`) is added to
    ``respellings`` instead.
    """
    cls = migration.class_name
    if not answer["ok"]:
        return [f"{cls}: rfdetr {target} refuses the migrated data: {answer['error'][:300]}"]
    before, after = judge.plain(src_dump, source), judge.plain(answer["dump"], target)
    named = {c.field for c in migration.changes}
    reasons = []
    for field in before:
        if field not in after or field in named or vf.same(before[field], after[field]):
            continue
        if vf.same(respelled(field, before), respelled(field, after)):
            respellings.append(field)
            continue
        reasons.append(
            f"{cls}.{field}: unchanged by any record, but rfdetr {source} reads {_shown(before[field])} "
            f"and rfdetr {target} reads {_shown(after[field])}"
        )
    for change in migration.changes:
        if change.kind != "pinned":
            continue
        if change.field not in after:
            reasons.append(f"{cls}.{change.field}: pinned to {change.new!r}, a field rfdetr {target} does not have")
        elif not vf.same(_values(change.new), after[change.field]):
            reasons.append(
                f"{cls}.{change.field}: pinned to {_shown(change.new)}, but rfdetr {target} reads "
                f"{_shown(after[change.field])}"
            )
    return reasons


def effective_cls_loss_coef(release: str, model: Dict[str, Any], train: Dict[str, Any], dumps: Sequence[Any]) -> Any:
    """The classification loss weight that trains: up to 1.8.3 the model dict's when only it gives one."""
    if release in LEGACY and "cls_loss_coef" in model and "cls_loss_coef" not in train:
        return dumps[0]["cls_loss_coef"]
    return dumps[1]["cls_loss_coef"]


# --- recording -----------------------------------------------------------------------------------------


def sample(source: str, class_names: Sequence[str], defaults: Dict[str, Any]) -> Tuple[List[Any], List[Any]]:
    """The inputs (label, class, encoded dict) and pairs (label, classes, encoded dicts) offered to ``source``."""
    corpus = corpus_cases(source, class_names)
    singles: List[Any] = list(corpus)
    singles += [(f"defaults:{cls}", cls, dump) for cls, dump in defaults.items()]
    singles += [(label, cls, vf.encode(data)) for label, cls, data in rule_cases(class_names)]
    pairs: List[Any] = [(label, classes, [vf.encode(d) for d in data]) for label, classes, data in pair_cases()]
    pairs += corpus_pairs(source, corpus)
    return singles, pairs


def record(releases: Sequence[str]) -> Dict[str, Any]:
    """Sample, migrate and judge every source in ``releases``; the lines of each source's file, and counts."""
    vf.prepare_environment()
    judge = Judge()
    started = time.perf_counter()
    references = {r: Reference(r) for r in RELEASES}
    try:
        classes = {s: list(vf.read_declarations(_declarations_name(s))["classes"]) for s in RELEASES}
        base: Dict[str, Any] = {
            c: ({"dataset_dir": "data"} if c in TRAIN_CLASSES else {}) for c in classes[RELEASES[-1]]
        }
        base["ModelConfig"] = None  # required fields: its corpus inputs give them
        first = validate_all(
            references,
            {
                s: [(cls, vf.encode(d)) for cls, d in base.items() if d is not None and cls in classes[s]]
                for s in releases
            },
        )
        offered: Dict[str, Tuple[List[Any], List[Any]]] = {}
        for s in releases:
            names = [cls for cls, d in base.items() if d is not None and cls in classes[s]]
            defaults = {cls: a["dump"] for cls, a in zip(names, first[s], strict=True) if a["ok"]}
            offered[s] = sample(s, classes[s], defaults)
        print(f"sampled in {time.perf_counter() - started:.0f} s", flush=True)

        src_requests = {
            s: [(cls, data) for _, cls, data in singles]
            + [(c, d) for _, pair_classes, datas in pairs for c, d in zip(pair_classes, datas, strict=True)]
            for s, (singles, pairs) in offered.items()
        }
        src_answers = validate_all(references, src_requests)
        print(f"sources validated in {time.perf_counter() - started:.0f} s", flush=True)

        units: Dict[str, List[Dict[str, Any]]] = {}
        dropped: Dict[str, List[str]] = {}
        for s, (singles, pairs) in offered.items():
            answers = iter(src_answers[s])
            items: List[Dict[str, Any]] = []
            for label, cls, data in singles:
                answer = next(answers)
                items.append({"label": label, "classes": [cls], "inputs": [data], "src": [answer]})
            for label, pair_classes, datas in pairs:
                pair_answers = [next(answers) for _ in datas]
                items.append({"label": label, "classes": list(pair_classes), "inputs": datas, "src": pair_answers})
            units[s] = [u for u in items if all(a["ok"] for a in u["src"])]
            dropped[s] = [u["label"] for u in items if not all(a["ok"] for a in u["src"])]

        tgt_requests: Dict[str, List[Tuple[str, Any]]] = {t: [] for t in RELEASES}
        pending: List[Tuple[str, Dict[str, Any], int]] = []
        for s in releases:
            for unit in units[s]:
                unit["ours"] = {}
                for t in judge.targets(s):
                    outcome = judge.migrate(s, t, unit["classes"], unit["inputs"])
                    unit["ours"][t] = outcome
                    if "results" in outcome:
                        for m in outcome["results"]:
                            pending.append((t, outcome, len(tgt_requests[t])))
                            tgt_requests[t].append((m.class_name, vf.encode(m.data)))
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
        tgt_answers = validate_all(references, {t: r for t, r in tgt_requests.items() if r})
        print(f"targets validated in {time.perf_counter() - started:.0f} s", flush=True)
        for t, outcome, index in pending:
            outcome.setdefault("answers", []).append(tgt_answers[t][index])
    finally:
        for reference in references.values():
            reference.close()

    files: Dict[str, Any] = {}
    for s in releases:
        lines: List[str] = []
        failures: List[str] = []
        refusals: List[str] = []
        counts = dict.fromkeys(("inputs", "pairs", "cases", "accepted", "refused", "refused_own_value", "respelled"), 0)
        for unit in units[s]:
            line, unit_counts, unit_failures = judge_unit(judge, s, unit)
            lines.append(vf.dumps(line))
            for key, value in unit_counts.items():
                counts[key] += value
            failures += unit_failures
            refusals += [
                f"{unit['label']} ({', '.join(unit['classes'])}): {o['refused'].splitlines()[-1].strip()}"
                for o in line["outcomes"]
                if "refuses the migrated value" in o.get("refused", "")
            ]
            counts["pairs" if len(unit["classes"]) == 2 else "inputs"] += 1
        counts["failures"] = len(failures)
        files[s] = {"lines": lines, "counts": counts, "failures": failures, "refusals": refusals, "dropped": dropped[s]}
    print(f"judged in {time.perf_counter() - started:.0f} s", flush=True)
    return files


def _declarations_name(release: str) -> str:
    name: str = vf.read_manifest()["releases"][release]["declarations"]
    return name


def judge_unit(judge: Judge, source: str, unit: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, int], List[str]]:
    """One input's line: our outcome per group of targets, and the failed verdicts; its counts and failures."""
    counts = {"cases": 0, "accepted": 0, "refused": 0, "refused_own_value": 0, "respelled": 0}
    groups: Dict[str, Dict[str, Any]] = {}
    fails: Dict[str, List[str]] = {}
    for t, outcome in unit["ours"].items():
        counts["cases"] += 1
        if "results" in outcome:
            result: Dict[str, Any] = {
                "data": [vf.encode(m.data) for m in outcome["results"]],
                "changes": [[[c.field, c.kind] for c in m.changes] for m in outcome["results"]],
            }
            reasons: List[str] = []
            respellings: List[str] = []
            for m, src, answer in zip(outcome["results"], unit["src"], outcome["answers"], strict=True):
                reasons += judge_one(judge, source, t, m, src["dump"], answer, respellings)
            if respellings:
                counts["respelled"] += 1
                result["respelled"] = sorted(set(respellings))
            if all(a["ok"] for a in outcome["answers"]):
                counts["accepted"] += 1
                if len(unit["classes"]) == 2:
                    reasons += _coef_reasons(judge, source, t, unit, outcome)
            if reasons:
                fails[t] = reasons[:REASONS_KEPT] + (
                    [f"and {len(reasons) - REASONS_KEPT} more"] * (len(reasons) > REASONS_KEPT)
                )
        elif "refused" in outcome:
            counts["refused"] += 1
            counts["refused_own_value"] += "refuses the migrated value" in outcome["refused"]
            result = {"refused": outcome["refused"]}
        else:
            result = {"crashed": outcome["crashed"]}
            fails[t] = [f"migrate raised {outcome['crashed']}"]
        key = vf.dumps(result)
        groups.setdefault(key, {"to": [], **result})["to"].append(t)
    line: Dict[str, Any] = {"label": unit["label"], "classes": unit["classes"], "inputs": unit["inputs"]}
    line["outcomes"] = list(groups.values())
    if fails:
        line["fails"] = fails
    failures = [f"{source}->{t} {unit['label']}: {' | '.join(reasons)}" for t, reasons in fails.items()]
    return line, counts, failures


def _coef_reasons(judge: Judge, source: str, target: str, unit: Dict[str, Any], outcome: Dict[str, Any]) -> List[str]:
    inputs = [judge.decode(d, source) for d in unit["inputs"]]
    before = effective_cls_loss_coef(
        source, inputs[0], inputs[1], [judge.plain(a["dump"], source) for a in unit["src"]]
    )
    data = [m.data for m in outcome["results"]]
    after = effective_cls_loss_coef(
        target, data[0], data[1], [judge.plain(a["dump"], target) for a in outcome["answers"]]
    )
    if vf.same(before, after):
        return []
    return [f"cls_loss_coef that trains: {_shown(before)} in rfdetr {source}, {_shown(after)} in rfdetr {target}"]


def publish(files: Dict[str, Any], judge_groups: Callable[[str], str]) -> Dict[str, Any]:
    """Write each source's file (against the file of the first release of its group) and the manifest."""
    MIGRATIONS_DIR.mkdir(exist_ok=True)
    manifest: Dict[str, Any] = {"format": 1, "about": __doc__.split("\n\n")[0], "releases": {}}
    firsts: Dict[str, str] = {}
    for s in RELEASES:
        firsts.setdefault(judge_groups(s), s)
    for s, entry in files.items():
        name = f"{s}.jsonl.gz"
        first = firsts[judge_groups(s)]
        if first != s:
            text = vf.stored_text(entry["lines"], (f"{first}.jsonl.gz", files[first]["lines"]))
        else:
            text = vf.stored_text(entry["lines"])
        vf.write_text(MIGRATIONS_DIR / name, text)
        manifest["releases"][s] = {
            "file": name,
            "sha256": hashlib.sha256((MIGRATIONS_DIR / name).read_bytes()).hexdigest(),
            **entry["counts"],
        }
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def print_summary(files: Dict[str, Any], seconds: float) -> None:
    columns = ("inputs", "pairs", "cases", "accepted", "refused", "refused_own_value", "respelled", "failures")
    print(f"{'source':>7} " + " ".join(f"{c:>{max(len(c), 6)}}" for c in columns))
    for s, entry in files.items():
        print(f"{s:>7} " + " ".join(f"{entry['counts'][c]:>{max(len(c), 6)}}" for c in columns))
    print(
        "refused: migrate() refused (a value the target cannot express); refused_own_value: of those, refused "
        "because the target refuses the value migrate() wrote; respelled: passed, some field only spelled anew"
    )
    for s, entry in files.items():
        own = sorted({r.split("): ", 1)[1] for r in entry["refusals"]})
        for text in own[:5]:
            print(f"{s}: refused its own value: {text}")
    for s, entry in files.items():
        rules = [label for label in entry["dropped"] if not label.startswith("corpus:")]
        if rules:
            print(f"{s}: {len(rules)} hand-written inputs refused by rfdetr {s} itself, so not migrated")
    failures = [f for entry in files.values() for f in entry["failures"]]
    for failure in failures[:40]:
        print("FAIL", failure)
    if len(failures) > 40:
        print(f"... and {len(failures) - 40} more failures")
    print(f"recorded in {seconds:.0f} s")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", action="store_true", help="serve validations (run by a reference python)")
    args = parser.parse_args(argv)
    if args.worker:
        return worker()
    started = time.perf_counter()
    files = record(RELEASES)
    judge = Judge()
    publish(files, judge.group)
    print_summary(files, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
