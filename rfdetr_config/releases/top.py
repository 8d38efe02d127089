"""The classes ``rfdetr_config`` exports, rfdetr 1.11.2's, as type checkers see them.

Written by ``python -m rfdetr_config.releases.stubs`` from the registry's ``TOP``; do not edit. At run
time the package takes them from :func:`~rfdetr_config.for_release` and never imports this module.
"""

from .v1_11_2 import (
    AugmentationBackend,
    KeypointTrainConfig,
    ModelConfig,
    MultiScale,
    RFDETRBaseConfig,
    RFDETRKeypointPreviewConfig,
    RFDETRLargeConfig,
    RFDETRLargeDeprecatedConfig,
    RFDETRMediumConfig,
    RFDETRNanoConfig,
    RFDETRSeg2XLargeConfig,
    RFDETRSegLargeConfig,
    RFDETRSegMediumConfig,
    RFDETRSegNanoConfig,
    RFDETRSegPreviewConfig,
    RFDETRSegSmallConfig,
    RFDETRSegXLargeConfig,
    RFDETRSmallConfig,
    SegmentationTrainConfig,
    TrainConfig,
)

__all__ = [
    "AugmentationBackend",
    "KeypointTrainConfig",
    "ModelConfig",
    "MultiScale",
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
    "SegmentationTrainConfig",
    "TrainConfig",
]
