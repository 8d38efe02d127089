"""Model configurations: :class:`ModelConfig` and rfdetr 1.8.1's published variants.

Field names, order, types and defaults are the reference's. ``ModelConfig`` itself leaves the
architecture fields required; each variant gives them the defaults its published weights were
trained with.
"""

from typing import List, Literal, Optional

from .build import BaseConfig, config_class
from .coerce import optional
from .devices import default_device, normalize_device
from .fields import setting
from .paths import PathLikeStr, in_model_cache
from .rules import sync_positional_encoding, warn_deprecated_model_fields, warn_pretrain_compatibility
from .validators import at_least

__all__ = [
    "EncoderName",
    "ModelConfig",
    "PathLikeStr",
    "RFDETRBaseConfig",
    "RFDETRKeypointPreviewConfig",
    "RFDETRLargeConfig",
    "RFDETRLargeDeprecatedConfig",
    "RFDETRMediumConfig",
    "RFDETRNanoConfig",
    "RFDETRSeg2XLargeConfig",
    "RFDETRSegLargeConfig",
    "RFDETRSegMediumConfig",
    "RFDETRSegNanoConfig",
    "RFDETRSegPreviewConfig",
    "RFDETRSegSmallConfig",
    "RFDETRSegXLargeConfig",
    "RFDETRSmallConfig",
]

EncoderName = Literal["dinov2_windowed_small", "dinov2_windowed_base", "dinov2_registers_windowed_small"]
ProjectorLevel = Literal["P3", "P4", "P5"]


@config_class(rules=(warn_deprecated_model_fields, sync_positional_encoding, warn_pretrain_compatibility))
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
        amp: Whether training and inference use automatic mixed precision.
        num_channels: Input image channels; at least 1.
        num_classes: Number of object classes.
        pretrain_weights: Weights to start from. A bare file name is looked up in the model cache
            (``$RF_HOME``, else ``~/.roboflow/models``); another path is expanded and resolved;
            ``None`` trains from scratch.
        device: Torch device string, stored as ``str(torch.device(value))``.
        resolution: Input resolution in pixels. Given explicitly, it re-derives
            ``positional_encoding_size`` where the variant's default is ``resolution // patch_size``.
        group_detr: Query groups used in training (group DETR).
        gradient_checkpointing: Whether to trade compute for memory in the backbone.
        compile: Whether to ``torch.compile`` the model.
        fused_optimizer: Whether to use the fused optimizer implementation.
        positional_encoding_size: Side of the backbone's positional-encoding grid, in patches.
        ia_bce_loss: Whether the classification loss is IoU-aware binary cross-entropy.
        cls_loss_coef: Classification loss weight; deprecated here, set it on :class:`TrainConfig`.
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
        model_name: Name of the model class, stored in checkpoints by training so that loading can
            pick the right class without inspecting the weights.
    """

    encoder: EncoderName
    out_feature_indexes: List[int]
    dec_layers: int
    two_stage: bool = True
    projector_scale: List[ProjectorLevel]
    hidden_dim: int
    patch_size: int
    num_windows: int
    sa_nheads: int
    ca_nheads: int
    dec_n_points: int
    num_queries: int = 300
    num_select: int = 300
    postprocess_trace_alpha: float = setting(default=0.2, check=at_least(0.0))
    bbox_reparam: bool = True
    lite_refpoint_refine: bool = True
    layer_norm: bool = True
    amp: bool = True
    num_channels: int = setting(default=3, check=at_least(1))
    num_classes: int = 90
    pretrain_weights: Optional[PathLikeStr] = setting(default=None, convert=optional(in_model_cache))
    device: str = setting(factory=default_device, convert=normalize_device)
    resolution: int
    group_detr: int = 13
    gradient_checkpointing: bool = False
    compile: bool = False
    fused_optimizer: bool = True
    positional_encoding_size: int
    ia_bce_loss: bool = True
    cls_loss_coef: float = 1.0
    segmentation_head: bool = False
    use_grouppose_keypoints: bool = False
    keypoint_cross_attn: bool = True
    inter_instance_kp_attn: bool = False
    grouppose_keypoint_dim_downscale: int = 1
    dual_projector: bool = False
    dual_projector_kp_only: bool = False
    num_keypoints_per_class: List[int] = setting(factory=list)
    num_decoder_registers: int = 0
    mask_downsample_ratio: int = 4
    backbone_lora: bool = False
    freeze_encoder: bool = False
    license: str = "Apache-2.0"
    model_name: Optional[str] = None


@config_class()
class RFDETRBaseConfig(ModelConfig):
    """RF-DETR Base."""

    encoder: EncoderName = "dinov2_windowed_small"
    hidden_dim: int = 256
    patch_size: int = 14
    num_windows: int = 4
    dec_layers: int = 3
    sa_nheads: int = 8
    ca_nheads: int = 16
    dec_n_points: int = 2
    num_queries: int = 300
    num_select: int = 300
    projector_scale: List[ProjectorLevel] = ["P4"]
    out_feature_indexes: List[int] = [2, 5, 8, 11]
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-base.pth"
    resolution: int = 560
    positional_encoding_size: int = 37


@config_class()
class RFDETRLargeDeprecatedConfig(RFDETRBaseConfig):
    """The first RF-DETR Large, on a DINOv2 base encoder."""

    encoder: EncoderName = "dinov2_windowed_base"
    hidden_dim: int = 384
    sa_nheads: int = 12
    ca_nheads: int = 24
    dec_n_points: int = 4
    projector_scale: List[ProjectorLevel] = ["P3", "P5"]
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-large.pth"


@config_class()
class RFDETRNanoConfig(RFDETRBaseConfig):
    """RF-DETR Nano."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 2
    patch_size: int = 16
    resolution: int = 384
    positional_encoding_size: int = 24
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-nano.pth"


@config_class()
class RFDETRSmallConfig(RFDETRBaseConfig):
    """RF-DETR Small."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 3
    patch_size: int = 16
    resolution: int = 512
    positional_encoding_size: int = 32
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-small.pth"


@config_class()
class RFDETRMediumConfig(RFDETRBaseConfig):
    """RF-DETR Medium."""

    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_windows: int = 2
    dec_layers: int = 4
    patch_size: int = 16
    resolution: int = 576
    positional_encoding_size: int = 36
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-medium.pth"


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
    projector_scale: List[Literal["P4"]] = ["P4"]  # type: ignore[assignment]  # narrowed as in the reference
    out_feature_indexes: List[int] = [3, 6, 9, 12]
    num_classes: int = 90
    positional_encoding_size: int = 44
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-large-2026.pth"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-preview.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-nano.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-small.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-medium.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-large.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-xlarge.pt"
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-seg-xxlarge.pt"
    num_classes: int = 90


@config_class()
class RFDETRKeypointPreviewConfig(RFDETRBaseConfig):
    """The preview keypoint model: GroupPose keypoints on a dual projector."""

    use_grouppose_keypoints: bool = True
    dual_projector: bool = True
    dual_projector_kp_only: bool = True
    num_keypoints_per_class: List[int] = [0, 17]
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
    pretrain_weights: Optional[PathLikeStr] = "rf-detr-keypoint-preview-xlarge.pth"
    num_classes: int = 90
