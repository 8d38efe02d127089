"""rfdetr_config: RF-DETR's configuration classes without pydantic or torch.

Frozen attrs twins of every configuration class of rfdetr 1.8.1's ``rfdetr.config``, with the same
fields, defaults, conversions, checks and warnings, plus plain-dict conversion through cattrs.

cattrs itself is imported on first use of :data:`converter`, :func:`make_converter` or
:func:`register_hooks`, so that importing the package stays cheap.
"""

from typing import TYPE_CHECKING, Any

from .build import BaseConfig, fields_set, replace
from .dicts import UnknownKeys, structure, unstructure
from .errors import ConfigError, PretrainWeightsCompatibilityWarning
from .files import dump, dumps, load, loads
from .models import (
    ModelConfig,
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
)
from .schema import json_schema
from .training import KeypointTrainConfig, SegmentationTrainConfig, TrainConfig

if TYPE_CHECKING:
    from .cattrs_hooks import converter, make_converter, register_hooks

__version__ = "0.1.0"

_CATTRS_SIDE = ("converter", "make_converter", "register_hooks")


def __getattr__(name: str) -> Any:
    if name in _CATTRS_SIDE:
        from . import cattrs_hooks

        value = getattr(cattrs_hooks, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CONFIG_CLASSES: tuple[type[BaseConfig], ...] = (
    ModelConfig,
    RFDETRBaseConfig,
    RFDETRLargeDeprecatedConfig,
    RFDETRNanoConfig,
    RFDETRSmallConfig,
    RFDETRMediumConfig,
    RFDETRLargeConfig,
    RFDETRSegPreviewConfig,
    RFDETRSegNanoConfig,
    RFDETRSegSmallConfig,
    RFDETRSegMediumConfig,
    RFDETRSegLargeConfig,
    RFDETRSegXLargeConfig,
    RFDETRSeg2XLargeConfig,
    RFDETRKeypointPreviewConfig,
    TrainConfig,
    SegmentationTrainConfig,
    KeypointTrainConfig,
)
"""Every configuration class, in the reference's order of declaration."""

__all__ = [
    "CONFIG_CLASSES",
    "BaseConfig",
    "ConfigError",
    "KeypointTrainConfig",
    "ModelConfig",
    "PretrainWeightsCompatibilityWarning",
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
    "UnknownKeys",
    "__version__",
    "converter",
    "dump",
    "dumps",
    "fields_set",
    "json_schema",
    "load",
    "loads",
    "make_converter",
    "register_hooks",
    "replace",
    "structure",
    "unstructure",
]
