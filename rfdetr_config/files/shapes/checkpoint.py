"""rfdetr's checkpoints (``.pth``, ``.ckpt``, ``.pt``) as the run they record, read without torch.

The safe reader (:mod:`rfdetr_config.files.checkpoint`) gives what the checkpoint holds; this module turns
it into the mapping a run file holds, so that every command and :func:`~rfdetr_config.load_run` read a
checkpoint as they read ``training_config.json``. What a checkpoint records beyond a run file (the
rfdetr version that wrote it, the model's name, values saved as their ``repr()``) travels under
:data:`CHECKPOINT_KEY`, which no run file has. A checkpoint that kept no model configuration
(rfdetr's ``checkpoint_best_total.pth`` before 1.11) gives its training configuration alone, as a
bare dump. Nothing is ever written back into a checkpoint.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Mapping, Optional

from ...core.errors import FileError, FileProblem
from ...releases import RELEASES
from ..checkpoint import CheckpointError, checkpoint_configs, read_checkpoint
from ..formats import PathLike

__all__ = ["CHECKPOINT_KEY", "CHECKPOINT_SUFFIXES", "checkpoint_mapping", "checkpoint_release", "is_checkpoint"]

CHECKPOINT_SUFFIXES = (".pth", ".ckpt", ".pt")
"""The suffixes of the files ``torch.save`` writes for rfdetr."""

CHECKPOINT_KEY = "checkpoint"
"""Where a checkpoint's mapping keeps what a run file has no key for: ``rfdetr_version``, ``model_name``
and ``notes`` (what the reader could not take at face value)."""

_PATH_REPR = re.compile(r"^(?:Pure)?(?:Posix|Windows)?Path\((['\"])(.*)\1\)$")
_PATH_FIELDS = frozenset({"dataset_dir", "output_dir", "resume", "pretrain_weights"})


def is_checkpoint(path: PathLike) -> bool:
    """Whether ``path`` names a checkpoint, by its suffix."""
    return os.path.splitext(os.fspath(path))[1].lower() in CHECKPOINT_SUFFIXES


def checkpoint_mapping(path: PathLike) -> Dict[str, Any]:
    """The run a checkpoint records, as a run file's mapping; or its training configuration alone.

    Raises:
        ConfigError: The file is not a checkpoint the reader accepts (it names what it refused), or it
            records no training configuration.
    """
    source = os.fspath(path)
    try:
        configs = checkpoint_configs(read_checkpoint(source))
    except CheckpointError as error:
        raise FileError(source, [FileProblem(str(error), "checkpoint")]) from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise FileError(source, [FileProblem(f"cannot be read: {reason}", "io")]) from None
    train, model = configs["train_config"], configs["model_config"]
    if train is None:
        msg = (
            "records no training configuration (rfdetr keeps it in checkpoint_best_*.pth; a Lightning "
            "last.ckpt before rfdetr 1.11 holds none)"
        )
        raise FileError(source, [FileProblem(msg, "no_config")])
    notes: List[str] = []
    stand_ins = configs["repr_stand_ins"]
    train_data = _understood(_plain(train), stand_ins.get("train_config", ()), "train_config", notes)
    if model is None:
        return train_data
    model_data = _understood(_plain(model), stand_ins.get("model_config", ()), "model_config", notes)
    class_names = _plain(configs["class_names"])
    model_name = configs["model_name"]
    info = {"rfdetr_version": configs["rfdetr_version"], "model_name": model_name, "notes": notes}
    return {
        "train_config": train_data,
        "model_config": model_data,
        "model_config_type": f"{model_name}Config" if isinstance(model_name, str) else "ModelConfig",
        "class_names": class_names,
        "num_classes": len(class_names) if isinstance(class_names, list) else 0,
        CHECKPOINT_KEY: info,
    }


def checkpoint_release(info: Mapping[str, Any], source: str) -> Optional[str]:
    """The release a checkpoint's ``rfdetr_version`` names, or None where it names none.

    Raises:
        ConfigError: It names a release rfdetr_config does not support (a newer rfdetr, say).
    """
    version = info.get("rfdetr_version")
    if version is None:
        return None
    if isinstance(version, str) and version in RELEASES:
        return version
    msg = (
        f"was written by rfdetr {version!s}, which rfdetr_config does not support (supported: {RELEASES[0]} "
        f"to {RELEASES[-1]}); --release X.Y.Z reads it as one that is"
    )
    raise FileError(source, [FileProblem(msg, "unsupported_release")])


def _plain(value: Any) -> Any:
    """Read values as the plain JSON-like data a run file holds (the reader's str and dict subclasses too)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _understood(data: Dict[str, Any], stand_ins: Any, section: str, notes: List[str]) -> Dict[str, Any]:
    """Values rfdetr 1.11 saved as their ``repr()``: a path's repr is its path; any other is kept and noted."""
    for field in stand_ins:
        value = data.get(field)
        found = _PATH_REPR.match(value) if isinstance(value, str) and field in _PATH_FIELDS else None
        if found is not None:
            data[field] = found.group(2)
            continue
        notes.append(
            f"UserWarning: {section}.{field} was saved by rfdetr as the repr() of its value, {value!r}; it is "
            "read as that text"
        )
    return data
