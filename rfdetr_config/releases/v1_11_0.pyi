"""rfdetr 1.11.0: the configuration classes of ``rfdetr_config.releases.v1_11_0``, for type checkers.

Written by ``python -m rfdetr_config.releases.stubs`` from the release declarations; do not edit.
"""

from typing import Any, Callable, Dict, List, Literal, Optional, Tuple, Type, Union
import os

from rfdetr_config.core.build import BaseConfig, config_class
from rfdetr_config.releases.release import Release
from rfdetr_config.core.errors import PretrainWeightsCompatibilityWarning as PretrainWeightsCompatibilityWarning
from rfdetr_config.checks.enums import AugmentationBackend as AugmentationBackend
from rfdetr_config.checks.enums import MultiScale as MultiScale

EncoderName = Literal["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"]
PathLikeStr = Union[str, os.PathLike[str]]
AmpDtype = Optional[Literal["auto", "bf16", "fp16", "fp8"]]
CocoEvalBackend = Literal["hotcoco", "faster_coco_eval", "ufcoco", "vernier"]
DatasetFile = Literal["coco", "o365", "roboflow", "yolo", "webdataset"]

DECLARED: Release
RELEASE: str
RELEASES: Tuple[str, ...]
CONFIG_CLASSES: Tuple[Type[BaseConfig], ...]


@config_class()
class ModelConfig(BaseConfig):
    """Architecture and runtime settings of an RF-DETR model.

    The architecture fields have no default here; use a variant such as :class:`RFDETRNanoConfig`,
    whose defaults match its published weights.

    Attributes:
        encoder: The DINOv2 backbone variant.
        out_feature_indexes: Backbone blocks whose outputs feed the projector.
        dec_layers: Number of decoder layers.
        two_stage: Whether the decoder is seeded with encoder proposals (two-stage DETR).
        projector_scale: Feature-pyramid levels the projector produces.
        hidden_dim: Width of the transformer.
        patch_size: Backbone patch size in pixels.
        num_windows: Windows per side for the backbone's windowed attention.
        sa_nheads: Attention heads in the decoder's self-attention.
        ca_nheads: Attention heads in the decoder's cross-attention.
        dec_n_points: Sampling points per head in deformable cross-attention.
        num_queries: Object queries per group.
        num_select: Detections kept by post-processing; the model configuration owns it.
        postprocess_trace_alpha: Weight of the trace term in post-processing scores; at least 0.
        bbox_reparam: Whether boxes are predicted relative to their reference points.
        lite_refpoint_refine: Whether reference points are refined with the light-weight head.
        layer_norm: Whether the projector uses layer normalisation.
        amp: Deprecated (set ``amp_dtype`` on the training configuration): whether training uses mixed precision,
            when ``amp_dtype`` is left at ``"auto"``.
        num_channels: Input image channels; at least 1.
        num_classes: Number of object classes.
        pretrain_weights: Weights to start from. A bare file name is looked up in the model cache (``$RF_HOME``,
            else ``$ROBOFLOW_HOME``, else ``~/.roboflow/models``; an empty variable counts as unset); another path is
            expanded and resolved; ``None`` trains from scratch.
        device: Torch device string, stored as ``str(torch.device(value))``.
        resolution: Input resolution in pixels. Given explicitly, it re-derives ``positional_encoding_size`` where
            the variant's default is ``resolution // patch_size``.
        group_detr: Query groups used in training (group DETR).
        gradient_checkpointing: Whether to trade compute for memory in the backbone.
        compile: Whether to ``torch.compile`` the model.
        cuda_graphs: Whether CUDA graphs are captured for the model's forward pass.
        fused_optimizer: Whether to use the fused optimizer implementation.
        positional_encoding_size: Side of the backbone's positional-encoding grid, in patches.
        ia_bce_loss: Whether the classification loss is IoU-aware binary cross-entropy.
        segmentation_head: Whether the model predicts masks.
        use_grouppose_keypoints: Whether the keypoint head uses GroupPose.
        keypoint_cross_attn: Whether keypoint queries cross-attend to image features.
        inter_instance_kp_attn: Whether keypoint queries attend across instances.
        grouppose_keypoint_dim_downscale: Width reduction of the GroupPose keypoint queries.
        dual_projector: Whether keypoints get a projector of their own.
        dual_projector_kp_only: Whether the second projector serves keypoints only.
        num_keypoints_per_class: Keypoints of each class, by class index.
        num_decoder_registers: Register tokens added to the decoder.
        mask_downsample_ratio: Downsampling of predicted masks relative to the input.
        backbone_lora: Whether the backbone is fine-tuned with LoRA adapters.
        freeze_encoder: Whether the backbone's weights are frozen.
        license: License of the weights.
        model_name: Name of the model class, stored in checkpoints by training so that loading can pick the right
            class without inspecting the weights.
    """

    encoder: Literal["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"]
    out_feature_indexes: List[int]
    dec_layers: int
    two_stage: bool = True
    projector_scale: List[Literal["P3", "P4", "P5"]]
    hidden_dim: int
    patch_size: int
    num_windows: int
    sa_nheads: int
    ca_nheads: int
    dec_n_points: int
    num_queries: int = 300
    num_select: int = 300
    postprocess_trace_alpha: float = 0.2
    bbox_reparam: bool = True
    lite_refpoint_refine: bool = True
    layer_norm: bool = True
    amp: bool = True
    num_channels: int = 3
    num_classes: int = 90
    pretrain_weights: Union[str, os.PathLike[str], None] = None
    device: str = ...
    resolution: int
    group_detr: int = 13
    gradient_checkpointing: bool = False
    compile: bool = False
    cuda_graphs: bool = False
    fused_optimizer: bool = True
    positional_encoding_size: int
    ia_bce_loss: bool = True
    segmentation_head: bool = False
    use_grouppose_keypoints: bool = False
    keypoint_cross_attn: bool = True
    inter_instance_kp_attn: bool = False
    grouppose_keypoint_dim_downscale: int = 1
    dual_projector: bool = False
    dual_projector_kp_only: bool = False
    num_keypoints_per_class: List[int] = ...
    num_decoder_registers: int = 0
    mask_downsample_ratio: int = 4
    backbone_lora: bool = False
    freeze_encoder: bool = False
    license: str = "Apache-2.0"
    model_name: Optional[str] = None


@config_class()
class RFDETRBaseConfig(ModelConfig):
    """RF-DETR Base."""

    encoder: Literal["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"] = "dinov2_windowed_small"
    hidden_dim: int = 256
    patch_size: int = 14
    num_windows: int = 4
    dec_layers: int = 3
    sa_nheads: int = 8
    ca_nheads: int = 16
    dec_n_points: int = 2
    num_queries: int = 300
    num_select: int = 300
    projector_scale: List[Literal["P3", "P4", "P5"]] = ["P4"]
    out_feature_indexes: List[int] = [2, 5, 8, 11]
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-base.pth"
    resolution: int = 560
    positional_encoding_size: int = 37


@config_class()
class RFDETRLargeDeprecatedConfig(RFDETRBaseConfig):
    """The first RF-DETR Large, on a DINOv2 base encoder."""

    encoder: Literal["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"] = "dinov2_windowed_base"
    hidden_dim: int = 384
    sa_nheads: int = 12
    ca_nheads: int = 24
    dec_n_points: int = 4
    projector_scale: List[Literal["P3", "P4", "P5"]] = ["P3", "P5"]
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-large.pth"


@config_class()
class RFDETRNanoConfig(RFDETRBaseConfig):
    """RF-DETR Nano."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 2
    patch_size: int = 16
    resolution: int = 384
    positional_encoding_size: int = 24
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-nano.pth"


@config_class()
class RFDETRSmallConfig(RFDETRBaseConfig):
    """RF-DETR Small."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 3
    patch_size: int = 16
    resolution: int = 512
    positional_encoding_size: int = 32
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-small.pth"


@config_class()
class RFDETRMediumConfig(RFDETRBaseConfig):
    """RF-DETR Medium."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 4
    patch_size: int = 16
    resolution: int = 576
    positional_encoding_size: int = 36
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-medium.pth"


@config_class()
class RFDETRLargeConfig(ModelConfig):
    """RF-DETR Large (2026): a small DINOv2 encoder at 704 pixels, patch 16."""

    encoder: Literal["dinov2_windowed_small"] = "dinov2_windowed_small"
    hidden_dim: int = 256
    dec_layers: int = 4
    sa_nheads: int = 8
    ca_nheads: int = 16
    dec_n_points: int = 2
    num_windows: int = 2
    patch_size: int = 16
    projector_scale: List[Literal["P3", "P4", "P5"]] = ["P4"]
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_classes: int = 90
    positional_encoding_size: int = 44
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-large-2026.pth"
    resolution: int = 704
    num_queries: int = 300
    num_select: int = 300


@config_class()
class RFDETRSegPreviewConfig(RFDETRBaseConfig):
    """The preview segmentation model: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 4
    patch_size: int = 12
    resolution: int = 432
    positional_encoding_size: int = 36
    num_queries: int = 200
    num_select: int = 200
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-preview.pt"
    num_classes: int = 90


@config_class()
class RFDETRSegNanoConfig(RFDETRBaseConfig):
    """RF-DETR Seg Nano: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 1
    dec_layers: int = 4
    patch_size: int = 12
    resolution: int = 312
    positional_encoding_size: int = 26
    num_queries: int = 100
    num_select: int = 100
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-nano.pt"
    num_classes: int = 90


@config_class()
class RFDETRSegSmallConfig(RFDETRBaseConfig):
    """RF-DETR Seg Small: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 4
    patch_size: int = 12
    resolution: int = 384
    positional_encoding_size: int = 32
    num_queries: int = 100
    num_select: int = 100
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-small.pt"
    num_classes: int = 90


@config_class()
class RFDETRSegMediumConfig(RFDETRBaseConfig):
    """RF-DETR Seg Medium: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 5
    patch_size: int = 12
    resolution: int = 432
    positional_encoding_size: int = 36
    num_queries: int = 200
    num_select: int = 200
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-medium.pt"
    num_classes: int = 90


@config_class()
class RFDETRSegLargeConfig(RFDETRBaseConfig):
    """RF-DETR Seg Large: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 5
    patch_size: int = 12
    resolution: int = 504
    positional_encoding_size: int = 42
    num_queries: int = 200
    num_select: int = 200
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-large.pt"
    num_classes: int = 90


@config_class()
class RFDETRSegXLargeConfig(RFDETRBaseConfig):
    """RF-DETR Seg XLarge: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 6
    patch_size: int = 12
    resolution: int = 624
    positional_encoding_size: int = 52
    num_queries: int = 300
    num_select: int = 300
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-xlarge.pt"
    num_classes: int = 90


@config_class()
class RFDETRSeg2XLargeConfig(RFDETRBaseConfig):
    """RF-DETR Seg 2XLarge: segmentation head, patch 12."""

    segmentation_head: bool = True
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 6
    patch_size: int = 12
    resolution: int = 768
    positional_encoding_size: int = 64
    num_queries: int = 300
    num_select: int = 300
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-seg-xxlarge.pt"
    num_classes: int = 90


@config_class()
class RFDETRKeypointPreviewConfig(RFDETRBaseConfig):
    """The preview keypoint model: GroupPose keypoints on a dual projector."""

    use_grouppose_keypoints: bool = True
    dual_projector: bool = True
    dual_projector_kp_only: bool = True
    num_keypoints_per_class: List[int] = [17]
    keypoint_cross_attn: bool = True
    inter_instance_kp_attn: bool = False
    grouppose_keypoint_dim_downscale: int = 1
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 4
    patch_size: int = 12
    resolution: int = 576
    positional_encoding_size: int = 48
    num_queries: int = 100
    num_select: int = 100
    pretrain_weights: Union[str, os.PathLike[str], None] = "rf-detr-keypoint-preview-xlarge.pth"
    num_classes: int = 90


@config_class()
class TrainConfig(BaseConfig):
    """Training hyperparameters, data, logging and runtime settings.

    Attributes:
        lr: Learning rate of the transformer.
        lr_encoder: Learning rate of the backbone.
        batch_size: Images per device and step, at least 1; ``"auto"`` probes the largest that fits.
        grad_accum_steps: Steps whose gradients are accumulated before an optimizer step; at least 1 (1 from rfdetr
            1.10; ``batch_size="auto"`` sets it itself).
        eval_batch_size: Images per device in evaluation, at least 1; ``None`` uses ``batch_size``.
        pad_targets_to: Pads each image's targets to this count, at least 1; ``None`` does not pad.
        auto_batch_target_effective: Effective batch (batch times accumulation) that ``"auto"`` aims for, per
            device: the global batch is this times ``devices`` times ``num_nodes``; at least 1.
        auto_batch_max_targets_per_image: Worst-case objects per image assumed by the probe; at least 1.
        auto_batch_ema_headroom: Share of the probed batch kept when EMA weights need memory too; in (0, 1].
        epochs: Training epochs.
        resume: Checkpoint to resume from, passed on verbatim (``"last"`` is allowed).
        ema_decay: Decay of the exponential moving average of the weights.
        ema_tau: Warm-up of the EMA decay, in steps.
        checkpoint_interval: Epochs between checkpoints; at least 1.
        skip_best_epochs: Epochs before best-checkpoint selection starts; at least 0.
        smooth_alpha: EMA smoothing of the metric that picks the best checkpoint; in [0, 1), 0 is off.
        warmup_epochs: Epochs of learning-rate warm-up.
        lr_vit_layer_decay: Per-layer learning-rate decay in the backbone.
        lr_component_decay: Learning-rate decay between model components.
        drop_path: Stochastic depth rate of the backbone.
        cls_loss_coef: Classification loss weight.
        keypoint_flip_pairs: Left/right keypoint index pairs to swap on horizontal flips (not used yet).
        keypoint_l1_loss_coef: L1 loss weight of keypoint coordinates.
        keypoint_findable_loss_coef: Loss weight of the keypoint visibility head.
        keypoint_visible_loss_coef: Loss weight of the keypoint visibility score.
        keypoint_nll_loss_coef: Weight of the keypoints' NLL-Cholesky loss.
        keypoint_oks_sigmas: Per-keypoint OKS sigmas; ``None`` uses the dataset's.
        dataset_file: Dataset format.
        square_resize_div_64: Whether images are resized to squares divisible by 64.
        dataset_dir: Dataset root, expanded and resolved; required (``None`` when set elsewhere).
        output_dir: Where checkpoints and logs go, expanded and resolved when given.
        multi_scale: How training varies the input resolution: ``"off"``, ``"per-batch"`` or ``"per-sample"`` (a
            :class:`MultiScale`); ``True`` and ``False`` are read as per batch and off.
        expanded_scales: Whether multi-scale training uses the expanded set of scales.
        use_ema: Whether an EMA copy of the weights is kept and evaluated.
        ema_update_interval: Steps between EMA updates; at least 1.
        eval_base_model: Whether the base model is evaluated too, not only the selected one (the EMA weights when
            ``use_ema``); no effect without EMA.
        eval_ema_only: Deprecated: use ``eval_base_model``. Given without it, it decides it (``eval_base_model = not
            eval_ema_only``), with a warning.
        num_workers: Data-loading worker processes.
        weight_decay: Weight decay of the optimizer.
        amp_dtype: Training precision: ``"auto"`` (bf16 where CUDA supports it, else fp16), ``"bf16"``, ``"fp16"``,
            ``"fp8"`` (Transformer Engine, needs an explicit ``batch_size``) or ``None`` (full fp32). A value other than
            ``"auto"`` overrides ``ModelConfig.amp``. Any other value falls back to ``"auto"`` with a warning.
        best_model_metric: The validation metric that picks the best checkpoint and that early stopping watches:
            ``"map"`` (mAP@50:95 of the task) or ``"mar"``.
        early_stopping: Whether training stops when the metric stalls.
        early_stopping_patience: Epochs without improvement before stopping.
        early_stopping_min_delta: Smallest change that counts as an improvement.
        early_stopping_use_ema: Whether early stopping watches the EMA model.
        progress_bar: Progress bar style, or ``None`` for none; ``True``/``False`` mean tqdm/none.
        tensorboard: Whether to log to TensorBoard.
        wandb: Whether to log to Weights & Biases.
        mlflow: Whether to log to MLflow.
        clearml: Whether to log to ClearML (reserved, not implemented by rfdetr 1.8.1).
        project: Project name for the loggers.
        run: Run name for the loggers.
        class_names: Class names, by class index.
        run_test: Whether to evaluate on the test split after training.
        eval_max_dets: Detections per image counted by evaluation.
        eval_interval: Epochs between evaluations; at least 1.
        log_per_class_metrics: Whether metrics are also logged per class.
        eval_backend: The COCO evaluator of validation and test mAP; all four give the same metrics.
        eval_masks_head_resolution: Whether masks are evaluated at the mask head's resolution.
        aug_config: Augmentation settings, passed on as given.
        scale_jitter: Whether training resizes with random scale jitter (the two-branch resize of 1.8).
        augmentation_backend: Where augmentations run: a pipeline (``"torchvision"``, ``"albumentations"``,
            ``"kornia"``, stored as an :class:`AugmentationBackend`; ``"gpu"``, ``"tv"`` and ``"albu"`` are older
            names), or ``"cpu"``/``"auto"`` to pick by what is installed when training starts.
        save_dataset_grids: Whether sample grids of the dataset are saved.
        notes: Provenance metadata stored in checkpoints and exported models: any JSON value.
        accelerator: PyTorch Lightning accelerator.
        clip_max_norm: Gradient clipping norm.
        seed: Random seed, or ``None``.
        sync_bn: Whether batch norm is synchronised across devices.
        strategy: PyTorch Lightning strategy (``"ddp"``, ``"fsdp"``...).
        devices: Devices to train on: a count or a PyTorch Lightning device string.
        num_nodes: Machines taking part in training.
        fp16_eval: Deprecated, no effect: evaluation precision follows ``amp_dtype``.
        lr_scheduler: Learning-rate schedule: ``"step"`` or ``"cosine"`` (managed by rfdetr), a dotted import path,
            or a callable.
        lr_scheduler_kwargs: Keyword arguments of the schedule; for a managed one only ``lr_drop`` and
            ``min_factor``.
        lr_scheduler_interval: Whether the schedule steps every ``"step"`` or every ``"epoch"``.
        lr_scheduler_monitor: Metric a schedule such as ``ReduceLROnPlateau`` watches.
        optimizer: A ``torch.optim`` optimizer by short name (any case), a dotted import path, or a callable.
        optimizer_kwargs: Keyword arguments of the optimizer; not the ones rfdetr sets for a named one (``params``,
            ``lr``, ``weight_decay``, ``fused``).
        dont_save_weights: Whether to skip saving weights.
        train_log_sync_dist: Whether training logs are synchronised across devices.
        train_log_on_step: Whether training metrics are logged every step.
        compact_train_metrics: Whether the auxiliary losses of the decoder layers are logged as one value per loss
            term, per epoch.
        compute_train_metrics: Whether metrics are computed on the training set.
        num_sanity_val_steps: Validation batches run before training, to catch errors early (PyTorch Lightning's own
            default, 2, applied before rfdetr 1.10).
        compute_val_loss: Whether the validation loss is computed; ``"auto"`` computes it when something watches it.
        compute_test_loss: Whether the test loss is computed.
        pin_memory: Data-loader ``pin_memory``; ``None`` leaves the choice to rfdetr.
        persistent_workers: Data-loader ``persistent_workers``; ``None`` leaves the choice to rfdetr.
        prefetch_factor: Data-loader ``prefetch_factor``, at least 1; ``None`` leaves the choice to rfdetr.
        pack_targets: Whether the targets of a batch travel as packed tensors.
    """

    lr: float = 0.0001
    lr_encoder: float = 0.00015
    batch_size: Union[int, Literal["auto"]] = 4
    grad_accum_steps: int = 1
    eval_batch_size: Optional[int] = None
    pad_targets_to: Optional[int] = None
    auto_batch_target_effective: int = 16
    auto_batch_max_targets_per_image: int = 100
    auto_batch_ema_headroom: float = 0.7
    epochs: int = 100
    resume: Union[str, os.PathLike[str], None] = None
    ema_decay: float = 0.993
    ema_tau: int = 100
    checkpoint_interval: int = 10
    skip_best_epochs: int = 0
    smooth_alpha: float = 0.0
    warmup_epochs: float = 0.0
    lr_vit_layer_decay: float = 0.8
    lr_component_decay: float = 0.7
    drop_path: float = 0.0
    cls_loss_coef: float = 1.0
    keypoint_flip_pairs: List[int] = ...
    keypoint_l1_loss_coef: float = 0
    keypoint_findable_loss_coef: float = 0
    keypoint_visible_loss_coef: float = 0
    keypoint_nll_loss_coef: float = 0
    keypoint_oks_sigmas: Optional[List[float]] = None
    dataset_file: Literal["coco", "o365", "roboflow", "yolo", "webdataset"] = "roboflow"
    square_resize_div_64: bool = True
    dataset_dir: Union[str, os.PathLike[str], None]
    output_dir: Union[str, os.PathLike[str]] = "output"
    multi_scale: MultiScale = MultiScale.PER_BATCH
    expanded_scales: bool = True
    use_ema: bool = True
    ema_update_interval: int = 1
    eval_base_model: bool = False
    eval_ema_only: bool = False
    num_workers: int = 2
    weight_decay: float = 0.0001
    amp_dtype: Optional[Literal["auto", "bf16", "fp16", "fp8"]] = "auto"
    best_model_metric: Literal["map", "mar"] = "map"
    early_stopping: bool = False
    early_stopping_patience: int = 10
    early_stopping_min_delta: float = 0.001
    early_stopping_use_ema: bool = False
    progress_bar: Optional[Literal["tqdm", "rich"]] = None
    tensorboard: bool = True
    wandb: bool = False
    mlflow: bool = False
    clearml: bool = False
    project: Optional[str] = None
    run: Optional[str] = None
    class_names: Optional[List[str]] = None
    run_test: bool = False
    eval_max_dets: int = 500
    eval_interval: int = 1
    log_per_class_metrics: bool = False
    eval_backend: Literal["hotcoco", "faster_coco_eval", "ufcoco", "vernier"] = "vernier"
    eval_masks_head_resolution: bool = False
    aug_config: Optional[Dict[str, Any]] = None
    scale_jitter: bool = True
    augmentation_backend: Union[AugmentationBackend, Literal["cpu", "auto"]] = "cpu"
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
    lr_scheduler: Union[str, Callable[..., Any]] = "step"
    lr_scheduler_kwargs: Dict[str, Any] = ...
    lr_scheduler_interval: Literal["step", "epoch"] = "step"
    lr_scheduler_monitor: str = "val/loss"
    optimizer: Union[str, Callable[..., Any]] = "adamw"
    optimizer_kwargs: Dict[str, Any] = ...
    dont_save_weights: bool = False
    train_log_sync_dist: bool = False
    train_log_on_step: bool = False
    compact_train_metrics: bool = True
    compute_train_metrics: bool = False
    num_sanity_val_steps: int = 0
    compute_val_loss: Union[bool, Literal["auto"]] = "auto"
    compute_test_loss: bool = True
    pin_memory: Optional[bool] = None
    persistent_workers: Optional[bool] = None
    prefetch_factor: Optional[int] = None
    pack_targets: bool = True


@config_class()
class SegmentationTrainConfig(TrainConfig):
    """Training settings for segmentation models: mask losses, and ``num_select`` left to the model.

    Attributes:
        mask_point_sample_ratio: Points sampled per mask for the mask losses.
        mask_ce_loss_coef: Weight of the mask cross-entropy loss.
        mask_dice_loss_coef: Weight of the mask Dice loss.
        cls_loss_coef: Classification loss weight: 1, as segmentation trained before rfdetr 1.7 (pass 5.0 to
            reproduce 1.7 to 1.8.2).
    """

    mask_point_sample_ratio: int = 16
    mask_ce_loss_coef: float = 5.0
    mask_dice_loss_coef: float = 5.0
    cls_loss_coef: float = 1.0


@config_class()
class KeypointTrainConfig(TrainConfig):
    """Training settings for keypoint models (the NLL-Cholesky keypoint head).

    Its per-epoch OKS metrics are noisy early in fine-tuning, so best-checkpoint selection smooths
    them and ignores the first epochs.

    Attributes:
        cls_loss_coef: Classification loss weight (2 for keypoints).
        keypoint_l1_loss_coef: L1 loss weight of keypoint coordinates.
        keypoint_findable_loss_coef: Loss weight of the keypoint visibility head.
        keypoint_visible_loss_coef: Loss weight of the keypoint visibility score.
        keypoint_nll_loss_coef: NLL-Cholesky loss weight: 1, in line with the other keypoint terms.
        smooth_alpha: Metric smoothing, 0.5 here, because keypoint mAP is noisy epoch to epoch.
        skip_best_epochs: 10 here: early keypoint mAP peaks are transient.
    """

    cls_loss_coef: float = 2.0
    keypoint_l1_loss_coef: float = 1
    keypoint_findable_loss_coef: float = 1
    keypoint_visible_loss_coef: float = 1
    keypoint_nll_loss_coef: float = 1.0
    smooth_alpha: float = 0.5
    skip_best_epochs: int = 10
