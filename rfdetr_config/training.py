"""Training configurations: :class:`TrainConfig` and its segmentation and keypoint variants.

Field names, order, types and defaults are rfdetr 1.8.1's; ``dataset_dir`` has no default there
either (``None`` must be given explicitly to mean "none").
"""

from typing import Any, Dict, List, Literal, Optional, Union

import attrs

from .build import BaseConfig, config_class
from .coerce import converter_for, optional
from .fields import setting
from .models import PathLikeStr
from .paths import as_text, resolved
from .rules import warn_deprecated_train_fields, warn_keypoint_flip_pairs
from .validators import at_least, between, or_auto

__all__ = ["KeypointTrainConfig", "SegmentationTrainConfig", "TrainConfig"]

ProgressBar = Optional[Literal["tqdm", "rich"]]
_progress_bar_style = converter_for(ProgressBar)


def _progress_bar(value: Any) -> Optional[str]:
    """Older configurations stored a bool here: ``True`` meant tqdm, ``False`` none."""
    if isinstance(value, bool):
        return "tqdm" if value else None
    return _progress_bar_style(value)  # type: ignore[no-any-return]


_AT_LEAST_ONE = at_least(1)


@config_class(rules=(warn_deprecated_train_fields,))
class TrainConfig(BaseConfig):
    """Training hyperparameters, data, logging and runtime settings.

    ``auto_batch_target_effective`` is per device: the global effective batch is that times
    ``devices`` times ``num_nodes``.
    """

    lr: float = 1e-4
    lr_encoder: float = 1.5e-4
    batch_size: Union[int, Literal["auto"]] = setting(4, check=or_auto(_AT_LEAST_ONE))
    grad_accum_steps: int = setting(4, check=_AT_LEAST_ONE)
    auto_batch_target_effective: int = setting(16, check=_AT_LEAST_ONE)
    auto_batch_max_targets_per_image: int = setting(100, check=_AT_LEAST_ONE)
    auto_batch_ema_headroom: float = setting(0.7, check=between(0, 1.0, low_closed=False, high_closed=True))
    epochs: int = 100
    resume: Optional[PathLikeStr] = setting(None, convert=optional(as_text))
    ema_decay: float = 0.993
    ema_tau: int = 100
    lr_drop: int = 100
    checkpoint_interval: int = setting(10, check=_AT_LEAST_ONE)
    skip_best_epochs: int = setting(0, check=at_least(0))
    smooth_alpha: float = setting(0.0, check=between(0.0, 1.0, low_closed=True, high_closed=False))
    warmup_epochs: float = 0.0
    lr_vit_layer_decay: float = 0.8
    lr_component_decay: float = 0.7
    drop_path: float = 0.0
    group_detr: int = 13
    ia_bce_loss: bool = True
    cls_loss_coef: float = 1.0
    num_select: int = 300
    keypoint_flip_pairs: List[int] = setting(factory=list)
    keypoint_l1_loss_coef: float = 0
    keypoint_findable_loss_coef: float = 0
    keypoint_visible_loss_coef: float = 0
    keypoint_nll_loss_coef: float = 0
    keypoint_oks_sigmas: Optional[List[float]] = None
    dataset_file: Literal["coco", "o365", "roboflow", "yolo"] = "roboflow"
    square_resize_div_64: bool = True
    dataset_dir: Optional[PathLikeStr] = setting(convert=optional(resolved))
    output_dir: PathLikeStr = setting("output", convert=resolved)
    multi_scale: bool = True
    expanded_scales: bool = True
    do_random_resize_via_padding: bool = False
    use_ema: bool = True
    ema_update_interval: int = setting(1, check=_AT_LEAST_ONE)
    num_workers: int = 2
    weight_decay: float = 1e-4
    early_stopping: bool = False
    early_stopping_patience: int = 10
    early_stopping_min_delta: float = 0.001
    early_stopping_use_ema: bool = False
    progress_bar: ProgressBar = setting(None, convert=_progress_bar)
    tensorboard: bool = True
    wandb: bool = False
    mlflow: bool = False
    clearml: bool = False
    project: Optional[str] = None
    run: Optional[str] = None
    class_names: Optional[List[str]] = None
    run_test: bool = False
    segmentation_head: bool = False
    eval_max_dets: int = 500
    eval_interval: int = setting(1, check=_AT_LEAST_ONE)
    log_per_class_metrics: bool = True
    aug_config: Optional[Dict[str, Any]] = None
    augmentation_backend: Literal["cpu", "auto", "gpu"] = "cpu"
    save_dataset_grids: bool = False
    notes: Optional[Any] = None
    accelerator: str = "auto"
    clip_max_norm: float = 0.1
    seed: Optional[int] = None
    sync_bn: bool = False
    strategy: str = "auto"
    devices: Union[int, str] = 1
    num_nodes: int = 1
    fp16_eval: bool = False
    lr_scheduler: Literal["step", "cosine"] = "step"
    lr_min_factor: float = 0.0
    dont_save_weights: bool = False
    train_log_sync_dist: bool = False
    train_log_on_step: bool = False
    compute_train_metrics: bool = False
    compute_val_loss: bool = True
    compute_test_loss: bool = True
    pin_memory: Optional[bool] = None
    persistent_workers: Optional[bool] = None
    prefetch_factor: Optional[int] = setting(None, check=attrs.validators.optional(_AT_LEAST_ONE))


@config_class()
class SegmentationTrainConfig(TrainConfig):
    """Training settings for segmentation models: mask losses, and ``num_select`` left to the model."""

    num_select: Optional[int] = None  # type: ignore[assignment]
    mask_point_sample_ratio: int = 16
    mask_ce_loss_coef: float = 5.0
    mask_dice_loss_coef: float = 5.0
    cls_loss_coef: float = 5.0
    segmentation_head: bool = True


@config_class(rules=(warn_keypoint_flip_pairs,))
class KeypointTrainConfig(TrainConfig):
    """Training settings for keypoint models (the NLL-Cholesky keypoint head).

    Its per-epoch OKS metrics are noisy early in fine-tuning, so best-checkpoint selection smooths
    them (``smooth_alpha`` 0.5) and ignores the first ten epochs (``skip_best_epochs``).
    """

    cls_loss_coef: float = 2.0
    keypoint_l1_loss_coef: float = 1
    keypoint_findable_loss_coef: float = 1
    keypoint_visible_loss_coef: float = 1
    keypoint_nll_loss_coef: float = 0.5
    smooth_alpha: float = 0.5
    skip_best_epochs: int = setting(10, check=at_least(0))
