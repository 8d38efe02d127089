"""Model configurations: :class:`ModelConfig` and rfdetr 1.8.1's published variants.

Field names, order, types and defaults are the reference's. ``ModelConfig`` itself leaves the
architecture fields required; each variant gives them the defaults its published weights were
trained with.
"""

import os
from typing import List, Literal, Optional, Union

from .build import BaseConfig, config_class
from .coerce import optional
from .devices import default_device, normalize_device
from .fields import setting
from .paths import in_model_cache
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
PathLikeStr = Union[str, os.PathLike[str]]
ProjectorLevel = Literal["P3", "P4", "P5"]


@config_class(rules=(warn_deprecated_model_fields, sync_positional_encoding, warn_pretrain_compatibility))
class ModelConfig(BaseConfig):
    """Architecture and runtime settings of an RF-DETR model.

    The architecture fields have no default here; use a variant such as :class:`RFDETRNanoConfig`.
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
    postprocess_trace_alpha: float = setting(0.2, check=at_least(0.0))
    bbox_reparam: bool = True
    lite_refpoint_refine: bool = True
    layer_norm: bool = True
    amp: bool = True
    num_channels: int = setting(3, check=at_least(1))
    num_classes: int = 90
    pretrain_weights: Optional[PathLikeStr] = setting(None, convert=optional(in_model_cache))
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
