"""Record small checkpoints the way each rfdetr release writes them, with what torch.load reads back from them.

The fixtures in ``fixtures/`` are real ``torch.save`` output of rfdetr's own checkpoint code, so that the reader in
``rfdetr_config.files.checkpoint`` is tested against the files users have, not against a re-implementation of
their shape. Each file holds a tiny stand-in model (three small tensors) in place of a detector; everything else in
the payload is made by the release's code:

* ``checkpoint_best_regular.pth``: ``BestModelCallback._save_checkpoint`` after a one-step ``Trainer.fit``,
  with the release's ``TrainConfig`` and ``RFDETRNanoConfig``;
* ``checkpoint_best_total.pth``: that file copied and passed through the release's ``strip_checkpoint``, as
  ``BestModelCallback.on_fit_end`` does;
* ``last.ckpt``: Lightning's own checkpoint from the same fit, by the ``ModelCheckpoint`` that rfdetr configures
  (``filename="last"``); from 1.11 the module's ``on_save_checkpoint`` is ``RFDETRModelModule``'s, so the file
  describes its model like the ``.pth`` files do;
* with 1.11.2 only: ``weights.pt``, the Roboflow upload bundle of ``RFDETR.export_for_roboflow`` (its ``args`` is a
  ``types.SimpleNamespace``); ``legacy-namespace.pth``, a pre-Lightning checkpoint (``args`` an
  ``argparse.Namespace`` of the release's legacy namespace) in torch's legacy, non-zip format
  (``_use_new_zipfile_serialization=False``); and ``converted.ckpt``, that file passed through
  ``convert_legacy_checkpoint`` (``hyper_parameters``).

The training config's ``notes`` is a ``PurePosixPath``: releases before 1.11 pickle it as a path object, and 1.11's
checkpoint code replaces it by its repr().

Beside each fixture, ``<fixture>.json`` records the release, torch and Lightning versions, the file's top-level keys
and, tagged JSON (see :func:`encode`), what ``torch.load(weights_only=False)`` returned for the config keys and the
model's state dict. The tests compare the reader's output with it, without torch.

Re-running it, one release at a time, with each release's full environment::

    bash /work/shared/reference/build-rfdetr-full.sh 1.11.2          # a few minutes, once per release
    PYTHONPATH=/work/shared/reference/rfdetr-full /tmp/rfdetr-full-1.11.2/bin/python tests/checkpoints/record.py

and the same for 1.10.0 and 1.8.1. It overwrites that release's fixtures (torch writes a fresh serialization id
into every archive, so the bytes change while the content does not). It runs in a scratch directory with HOME,
RF_HOME and the working directory fixed there, because the configs resolve paths against them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import shutil
import sys
import types
import warnings
from typing import Any

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
SCRATCH = pathlib.Path("/tmp/rfdetr-checkpoint-fixtures")
RELEASES = ("1.8.1", "1.10.0", "1.11.2")
# Top-level keys whose values the sidecar records: everything about the configs, and the model's weights (as
# dtype and shape) so that the placeholders are checked too.
RECORDED_KEYS = (
    "args",
    "hyper_parameters",
    "model_config",
    "model_name",
    "rfdetr_version",
    "best_total_source",
    "legacy_checkpoint_format",
    "epoch",
    "global_step",
    "model",
    "state_dict",
)


def encode(value: Any) -> Any:
    """Turn what torch.load returned into JSON, tagging what JSON cannot say; the tests encode the reader's alike."""
    import torch

    if isinstance(value, torch.Tensor):
        return {"$tensor": str(value.dtype).removeprefix("torch."), "shape": list(value.shape)}
    if isinstance(value, pathlib.PurePath):
        return {"$path": type(value).__name__, "value": str(value)}
    if isinstance(value, (argparse.Namespace, types.SimpleNamespace)):
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        return {"$namespace": kind, "attributes": encode(dict(vars(value)))}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: encode(item) for key, item in value.items()}
        return {"$dict": [[encode(key), encode(item)] for key, item in value.items()]}
    raise TypeError(f"no JSON form for {type(value).__qualname__}")


def tiny_detector() -> Any:
    """Three small tensors with the names rfdetr reads when it syncs ``model_config`` from the weights."""
    import torch

    class TinyDetector(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # class_embed has num_classes + 1 rows: rfdetr derives model_config.num_classes (2) from it.
            self.class_embed = torch.nn.Linear(4, 3)
            self.query_feat = torch.nn.Embedding(2, 4)

        def forward(self, x: Any) -> Any:
            return self.class_embed(x + self.query_feat.weight.sum(0))

    torch.manual_seed(0)
    return TinyDetector()


def configs(release: str) -> tuple[Any, Any]:
    from rfdetr.config import RFDETRNanoConfig, TrainConfig

    train_config = TrainConfig(
        dataset_dir="ds",
        output_dir="out",
        epochs=1,
        batch_size=1,
        class_names=["cat", "dog"],
        notes=pathlib.PurePosixPath("runs/exp1"),
    )
    return train_config, RFDETRNanoConfig(num_classes=2)


def lightning_module(train_config: Any, model_config: Any) -> Any:
    import pytorch_lightning as pl
    import torch

    class TinyModule(pl.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.model = tiny_detector()
            self.train_config = train_config
            self.model_config = model_config

        def training_step(self, batch: Any, batch_idx: int) -> Any:
            (x,) = batch
            return self.model(x).sum()

        def configure_optimizers(self) -> Any:
            return torch.optim.SGD(self.parameters(), lr=0.1)

    from rfdetr.training.module_model import RFDETRModelModule

    # From 1.11 rfdetr's module describes its model in every Lightning checkpoint; earlier modules add nothing.
    if "on_save_checkpoint" in vars(RFDETRModelModule):
        TinyModule.on_save_checkpoint = RFDETRModelModule.on_save_checkpoint  # type: ignore[method-assign]
    return TinyModule()


def record_release(release: str, out: pathlib.Path) -> list[pathlib.Path]:
    """Write this release's best-model and Lightning files into ``out``; return their paths."""
    import pytorch_lightning as pl
    import torch
    from pytorch_lightning.callbacks import ModelCheckpoint
    from rfdetr.training.callbacks.best_model import BestModelCallback
    from rfdetr.utilities.state_dict import strip_checkpoint

    train_config, model_config = configs(release)
    module = lightning_module(train_config, model_config)
    best = BestModelCallback(output_dir=str(out), run_test=False)
    last = ModelCheckpoint(
        dirpath=str(out),
        filename="last",
        every_n_epochs=1,
        save_top_k=1,
        enable_version_counter=False,
        auto_insert_metric_name=False,
        verbose=False,
    )
    trainer = pl.Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=1,
        limit_train_batches=1,
        limit_val_batches=0,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=str(out),
        callbacks=[last, best],
    )
    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(1, 4)), batch_size=1)
    trainer.fit(module, train_dataloaders=data)

    regular = out / "checkpoint_best_regular.pth"
    best._current_pl_module = module
    best._save_checkpoint(trainer, str(regular))
    total = out / "checkpoint_best_total.pth"
    shutil.copy2(regular, total)
    if "extra_metadata" in strip_checkpoint.__code__.co_varnames:
        strip_checkpoint(total, extra_metadata={"best_total_source": "regular"})
    else:
        strip_checkpoint(total)
    return [regular, total, out / "last.ckpt"]


def record_extras(out: pathlib.Path) -> list[pathlib.Path]:
    """The files rfdetr writes outside training: the Roboflow bundle, and a converted pre-Lightning checkpoint."""
    import torch
    from rfdetr._namespace import _namespace_from_configs
    from rfdetr.detr import RFDETR
    from rfdetr.training.checkpoint import convert_legacy_checkpoint

    train_config, model_config = configs("1.11.2")
    namespace = _namespace_from_configs(model_config, train_config)

    bundle_dir = out / "bundle"
    detector = types.SimpleNamespace(model=tiny_detector(), args=namespace)
    owner = types.SimpleNamespace(model=detector, class_names=["cat", "dog"], _optimized_inplace=False)
    RFDETR.export_for_roboflow(owner, bundle_dir)  # type: ignore[arg-type]
    bundle = out / "weights.pt"
    shutil.move(bundle_dir / "weights.pt", bundle)

    # The pre-Lightning engine saved {model, optimizer, lr_scheduler, epoch, args} with args an argparse.Namespace.
    model = tiny_detector()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    model(torch.ones(1, 4)).sum().backward()
    optimizer.step()
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10)
    legacy = out / "legacy-namespace.pth"
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "lr_scheduler": scheduler.state_dict(),
            "epoch": 3,
            "args": argparse.Namespace(**vars(namespace)),
        },
        legacy,
        _use_new_zipfile_serialization=False,
    )
    converted = out / "converted.ckpt"
    convert_legacy_checkpoint(str(legacy), str(converted))
    return [bundle, legacy, converted]


def sidecar(path: pathlib.Path, release: str, writer: str) -> dict[str, Any]:
    import pytorch_lightning
    import torch

    loaded = torch.load(path, map_location="cpu", weights_only=False)
    with open(path, "rb") as raw:
        layout = "zip" if raw.read(4) == b"PK\x03\x04" else "legacy"
    return {
        "release": release,
        "torch": torch.__version__,
        "pytorch_lightning": pytorch_lightning.__version__,
        "writer": writer,
        "format": layout,
        "size": path.stat().st_size,
        "top_level_keys": sorted(loaded),
        "values": {key: encode(loaded[key]) for key in RECORDED_KEYS if key in loaded},
    }


WRITERS = {
    "checkpoint_best_regular.pth": "BestModelCallback._save_checkpoint",
    "checkpoint_best_total.pth": "BestModelCallback._save_checkpoint, then strip_checkpoint",
    "last.ckpt": "Trainer.fit with ModelCheckpoint(filename='last')",
    "weights.pt": "RFDETR.export_for_roboflow",
    "legacy-namespace.pth": "torch.save(..., _use_new_zipfile_serialization=False) of a pre-Lightning payload",
    "converted.ckpt": "convert_legacy_checkpoint of legacy-namespace.pth",
}


def main() -> None:
    """Record the fixtures of the rfdetr release installed in this interpreter."""
    if SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    (SCRATCH / "ds").mkdir(parents=True)
    os.environ.update(HOME=str(SCRATCH), RF_HOME=str(SCRATCH / "models"), ROBOFLOW_HOME=str(SCRATCH / "models"))
    os.chdir(SCRATCH)

    from importlib.metadata import version

    release = version("rfdetr")
    if release not in RELEASES:
        sys.exit(f"rfdetr {release} is installed; this records {', '.join(RELEASES)}")
    out = SCRATCH / "out"
    out.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = record_release(release, out)
        if release == RELEASES[-1]:
            paths += record_extras(out)
        FIXTURES.mkdir(exist_ok=True)
        for path in paths:
            name = f"rfdetr-{release}-{path.name}"
            shutil.copy2(path, FIXTURES / name)
            record = sidecar(path, release, WRITERS[path.name])
            text = json.dumps(record, indent=1, sort_keys=False, allow_nan=False) + "\n"
            (FIXTURES / f"{name}.json").write_text(text, encoding="utf-8")
            print(f"{name}: {record['size']} bytes, {record['format']}, keys {record['top_level_keys']}")


if __name__ == "__main__":
    main()
