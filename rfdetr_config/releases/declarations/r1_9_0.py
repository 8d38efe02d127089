"""rfdetr 1.9.0 to 1.9.4: optimizers and schedules by name, path or callable; training configs refuse unknown keys.

The fields that moved to another class in rfdetr 1.7 are gone with their deprecation warnings
(``cls_loss_coef`` from the model, ``group_detr``, ``ia_bce_loss``, ``num_select`` and
``segmentation_head`` from training). ``lr_drop`` and ``lr_min_factor`` stay, but what they say moves
into ``lr_scheduler_kwargs``. 1.9.1 and 1.9.2 changed comments only.
"""

from typing import Any, Callable, Dict, Literal, Union

from ...checks.enums import AugmentationBackend, augmentation_backend, plain_value
from ...checks.input_rules import desugar_callable_lr_scheduler, desugar_callable_optimizer, fold_deprecated_lr_fields
from ...checks.optimizers import lr_scheduler_choice, optimizer_choice
from ...checks.rules import (
    check_eval_ema_only,
    check_lr_scheduler_kwargs,
    check_optimizer_kwargs,
    sync_positional_encoding,
    warn_pretrain_compatibility,
)
from ...core.fields import setting
from ..release import Revision
from . import r1_8_3 as previous


class ModelConfig(Revision):
    """The classification loss weight lives on the training configuration only."""

    removed = ("cls_loss_coef",)
    rules = (sync_positional_encoding, warn_pretrain_compatibility)


class TrainConfig(Revision):
    """Optimizer and schedule choices; EMA-only evaluation; the model's fields gone; unknown keys refused.

    Attributes:
        eval_ema_only: Whether evaluation uses the EMA weights only (needs ``use_ema``).
        eval_masks_head_resolution: Whether masks are evaluated at the mask head's resolution.
        scale_jitter: Whether training resizes with random scale jitter (the two-branch resize of 1.8).
        augmentation_backend: Where augmentations run: a pipeline (``"torchvision"``, ``"albumentations"``,
            ``"kornia"``, stored as an :class:`AugmentationBackend`; ``"gpu"``, ``"tv"`` and ``"albu"``
            are older names), or ``"cpu"``/``"auto"`` to pick by what is installed when training starts.
        lr_scheduler: Learning-rate schedule: ``"step"`` or ``"cosine"`` (managed by rfdetr), a dotted
            import path, or a callable.
        lr_scheduler_kwargs: Keyword arguments of the schedule; for a managed one only ``lr_drop`` and
            ``min_factor``.
        lr_scheduler_interval: Whether the schedule steps every ``"step"`` or every ``"epoch"``.
        lr_scheduler_monitor: Metric a schedule such as ``ReduceLROnPlateau`` watches.
        optimizer: A ``torch.optim`` optimizer by short name (any case), a dotted import path, or a
            callable.
        optimizer_kwargs: Keyword arguments of the optimizer; not the ones rfdetr sets for a named one
            (``params``, ``lr``, ``weight_decay``, ``fused``).
    """

    removed = ("group_detr", "ia_bce_loss", "num_select", "segmentation_head")
    after = {
        "eval_ema_only": "ema_update_interval",
        "eval_masks_head_resolution": "log_per_class_metrics",
        "scale_jitter": "aug_config",
        "lr_scheduler_kwargs": "lr_scheduler",
        "lr_scheduler_interval": "lr_scheduler_kwargs",
        "lr_scheduler_monitor": "lr_scheduler_interval",
        "optimizer": "lr_min_factor",
        "optimizer_kwargs": "optimizer",
    }
    rules = (check_eval_ema_only, check_optimizer_kwargs, check_lr_scheduler_kwargs)
    unknown_keys = "forbid"
    input_rules = (desugar_callable_lr_scheduler, fold_deprecated_lr_fields, desugar_callable_optimizer)

    eval_ema_only: bool = False
    eval_masks_head_resolution: bool = False
    scale_jitter: bool = True
    augmentation_backend: Union[AugmentationBackend, Literal["cpu", "auto"]] = setting(
        default="cpu", convert=augmentation_backend, dump=plain_value
    )
    lr_scheduler: Union[str, Callable[..., Any]] = setting(default="step", convert=lr_scheduler_choice)
    lr_scheduler_kwargs: Dict[str, Any] = setting(factory=dict)
    lr_scheduler_interval: Literal["step", "epoch"] = "step"
    lr_scheduler_monitor: str = "val/loss"
    optimizer: Union[str, Callable[..., Any]] = setting(default="adamw", convert=optimizer_choice)
    optimizer_kwargs: Dict[str, Any] = setting(factory=dict)


class SegmentationTrainConfig(Revision):
    """``num_select`` and ``segmentation_head`` belong to the model configuration."""

    removed = ("num_select", "segmentation_head")


RELEASE = previous.RELEASE.revise(
    "1.9.0",
    ModelConfig,
    TrainConfig,
    SegmentationTrainConfig,
    AugmentationBackend=AugmentationBackend,
)
