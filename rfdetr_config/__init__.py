"""rfdetr_config: RF-DETR's configuration classes without pydantic or torch.

Frozen attrs twins of every configuration class of rfdetr 1.8.1's ``rfdetr.config``, with the same
fields, defaults, conversions, checks and warnings, plus plain-dict conversion through cattrs.

Importing the package is cheap: the configuration classes are created when first used (the model
and the training classes separately), and cattrs is imported on first use of :data:`converter`,
:func:`make_converter` or :func:`register_hooks`.
"""

import importlib
from typing import TYPE_CHECKING, Any, Dict, List

from .build import BaseConfig, fields_set, replace
from .dicts import UnknownKeys, structure, unstructure
from .errors import ConfigError, PretrainWeightsCompatibilityWarning
from .files import dump, dumps, load, loads
from .schema import json_schema

if TYPE_CHECKING:
    from .cattrs_hooks import converter, make_converter, register_hooks
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
    from .training import KeypointTrainConfig, SegmentationTrainConfig, TrainConfig

    CONFIG_CLASSES: tuple[type[BaseConfig], ...]

__version__ = "0.1.0"

_MODEL_CLASSES = (
    "ModelConfig",
    "RFDETRBaseConfig",
    "RFDETRLargeDeprecatedConfig",
    "RFDETRNanoConfig",
    "RFDETRSmallConfig",
    "RFDETRMediumConfig",
    "RFDETRLargeConfig",
    "RFDETRSegPreviewConfig",
    "RFDETRSegNanoConfig",
    "RFDETRSegSmallConfig",
    "RFDETRSegMediumConfig",
    "RFDETRSegLargeConfig",
    "RFDETRSegXLargeConfig",
    "RFDETRSeg2XLargeConfig",
    "RFDETRKeypointPreviewConfig",
)
_TRAINING_CLASSES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")

# Loaded on first use: the class modules cost most of the import (attrs builds 18 classes), and
# many programs need only the model or only the training classes; cattrs is needed by few.
_HOME: Dict[str, str] = {
    **dict.fromkeys(_MODEL_CLASSES, "models"),
    **dict.fromkeys(_TRAINING_CLASSES, "training"),
    **dict.fromkeys(("converter", "make_converter", "register_hooks"), "cattrs_hooks"),
}


def __getattr__(name: str) -> Any:
    if name == "CONFIG_CLASSES":
        value: Any = tuple(__getattr__(n) for n in _MODEL_CLASSES + _TRAINING_CLASSES)
    elif name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted({*globals(), *__all__})


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
