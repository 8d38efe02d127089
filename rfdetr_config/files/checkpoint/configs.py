"""What rfdetr records about a run in its checkpoints: the training and model configs, names and version."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypedDict

from .values import PathValue


class CheckpointConfigs(TypedDict):
    """What a checkpoint records about the run and the model, each ``None`` where the file does not say.

    Attributes:
        train_config: The training config as dumped: ``args`` in RF-DETR's own files, ``hyper_parameters`` in a
            Lightning-native one, a Namespace's attributes in a pre-Lightning one.
        train_config_key: Which of ``"args"`` and ``"hyper_parameters"`` it came from.
        model_config: The model config as dumped (RF-DETR 1.8.1 and later, where it was resolved).
        model_name: The model class's name, such as ``"RFDETRNano"``.
        rfdetr_version: The rfdetr release that wrote the file.
        class_names: The label names, from the training config (RF-DETR records the dataset's there).
        repr_stand_ins: Per config, the top-level fields whose value looks like a repr() stand-in (see
            :func:`is_repr_stand_in`); empty lists for files written before the stand-ins existed.
    """

    train_config: dict[str, object] | None
    train_config_key: str | None
    model_config: dict[str, object] | None
    model_name: str | None
    rfdetr_version: str | None
    class_names: list[str] | None
    repr_stand_ins: dict[str, list[str]]


_UNREPRESENTABLE = re.compile(r"<unrepresentable [A-Za-z_][\w.]*>")
_REPR_SHAPES = (
    re.compile(r"<.*>", re.DOTALL),  # object.__repr__ and friends: "<function f at 0x...>"
    re.compile(r"[A-Za-z_][\w.]*\(.*\)", re.DOTALL),  # "PosixPath('runs/a')", "datetime.date(2024, 1, 1)"
)


def is_repr_stand_in(value: object) -> bool:
    """Tell whether a config value looks like the repr() that rfdetr 1.11+ stores for a value torch cannot load.

    From 1.11, before it saves ``args`` and ``model_config``, rfdetr replaces each top-level value that a weights-only
    ``torch.load`` would refuse by ``repr(value)``, or by ``"<unrepresentable TypeName>"`` when repr itself fails. It
    marks nothing else, so apart from that last form a stand-in is an ordinary string: this can only recognise the
    shapes reprs take (``<...>`` and ``Name(...)``). A user string of the same shape is a false positive, which is why
    the field's declared type, not this function, settles it.

    Args:
        value: A top-level value of a checkpoint's ``args`` or ``model_config``.

    Returns:
        Whether it is a string shaped like a repr.
    """
    if not isinstance(value, str) or isinstance(value, PathValue):
        return False
    return any(pattern.fullmatch(value) for pattern in (_UNREPRESENTABLE, *_REPR_SHAPES))


def _release_at_least(version: str | None, major: int, minor: int) -> bool:
    match = re.match(r"(\d+)\.(\d+)", version or "")
    return match is not None and (int(match[1]), int(match[2])) >= (major, minor)


def _string_keyed(value: object) -> dict[str, object] | None:
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {str(key): item for key, item in value.items()}
    return None


def checkpoint_configs(checkpoint: Mapping[object, object]) -> CheckpointConfigs:
    """Pick out of a checkpoint what describes its training run and its model, whichever release wrote it.

    RF-DETR's checkpoints grew these keys over releases and Lightning puts the training config elsewhere, so one
    place resolves the variants: ``args`` (a dict, or a Namespace in pre-Lightning files) before
    ``hyper_parameters``, and ``None`` for what a file does not record. Only the shapes are checked: a config is
    returned only if it is a dict with string keys, a name or version only if it is a string.

    Args:
        checkpoint: What :func:`read_checkpoint` returned (or ``torch.load``, for a trusted file).

    Returns:
        The configs and their provenance; see :class:`CheckpointConfigs`.
    """
    train_config: dict[str, object] | None = None
    train_config_key: str | None = None
    for key in ("args", "hyper_parameters"):
        found = _string_keyed(checkpoint.get(key))
        if found is not None:
            train_config, train_config_key = found, key
            break
    model_config = _string_keyed(checkpoint.get("model_config"))
    model_name = checkpoint.get("model_name")
    version = checkpoint.get("rfdetr_version")
    rfdetr_version = version if isinstance(version, str) else None
    names = (train_config or {}).get("class_names")
    class_names = list(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else None
    stand_ins: dict[str, list[str]] = {"train_config": [], "model_config": []}
    if _release_at_least(rfdetr_version, 1, 11):
        for label, config in (("train_config", train_config), ("model_config", model_config)):
            stand_ins[label] = [key for key, value in (config or {}).items() if is_repr_stand_in(value)]
    return CheckpointConfigs(
        train_config=train_config,
        train_config_key=train_config_key,
        model_config=model_config,
        model_name=model_name if isinstance(model_name, str) else None,
        rfdetr_version=rfdetr_version,
        class_names=class_names,
        repr_stand_ins=stand_ins,
    )
