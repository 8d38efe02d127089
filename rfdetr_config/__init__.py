"""rfdetr_config: RF-DETR's configuration classes without pydantic or torch.

Frozen attrs twins of every configuration class of rfdetr's ``rfdetr.config``, release by release,
with the same fields, defaults, conversions, checks and warnings, plus plain-dict conversion through
cattrs. The classes here are those of :data:`~rfdetr_config.releases.TOP`; :func:`for_release` gives
any supported release's.

Importing the package is cheap: each configuration class is created when first used, and cattrs is
imported on first use of :data:`converter`, :func:`make_converter` or :func:`register_hooks`.
"""

import importlib
from typing import TYPE_CHECKING, Any, List

from .core.build import BaseConfig, fields_set, replace
from .core.dicts import UnknownKeys, structure, unstructure
from .core.errors import ConfigError, PretrainWeightsCompatibilityWarning
from .releases import RELEASES, TOP, for_release

if TYPE_CHECKING:
    from .files import dump, dumps, load, loads
    from .files.shapes import Run, RunMigration, diff_runs, migrate_run
    from .files.shapes.api import dump_run, dumps_run, load_run, loads_run
    from .integrations.cattrs_hooks import converter, make_converter, register_hooks
    from .integrations.schema import json_schema
    from .migration import Migration, MigrationChange, migrate, migrate_pair, releases_accepting
    from .releases.changes import Change, changes
    from .releases.top import (
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

    CONFIG_CLASSES: tuple[type[BaseConfig], ...]

__version__ = "0.1.0"

# Loaded on first use: building the classes costs most of the import, cattrs is needed by few, and
# files, schemas and release comparisons by some.
_LAZY = {
    **dict.fromkeys(("converter", "make_converter", "register_hooks"), "integrations.cattrs_hooks"),
    **dict.fromkeys(("dump", "dumps", "load", "loads"), "files"),
    **dict.fromkeys(("Change", "changes"), "releases.changes"),
    **dict.fromkeys(("Migration", "MigrationChange", "migrate", "migrate_pair", "releases_accepting"), "migration"),
    "json_schema": "integrations.schema",
    **dict.fromkeys(("Run", "RunMigration", "diff_runs", "migrate_run"), "files.shapes"),
    **dict.fromkeys(("dump_run", "dumps_run", "load_run", "loads_run"), "files.shapes.api"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif not name.startswith("_") and name in (top := for_release(TOP)).__all__:
        value = getattr(top, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    """The public API only: not the names the package imports for itself, nor its subpackages."""
    return sorted(__all__)


__all__ = [
    "CONFIG_CLASSES",
    "RELEASES",
    "AugmentationBackend",
    "BaseConfig",
    "Change",
    "ConfigError",
    "KeypointTrainConfig",
    "Migration",
    "MigrationChange",
    "ModelConfig",
    "MultiScale",
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
    "Run",
    "RunMigration",
    "SegmentationTrainConfig",
    "TrainConfig",
    "UnknownKeys",
    "__version__",
    "changes",
    "converter",
    "diff_runs",
    "dump",
    "dump_run",
    "dumps",
    "dumps_run",
    "fields_set",
    "for_release",
    "json_schema",
    "load",
    "load_run",
    "loads",
    "loads_run",
    "make_converter",
    "migrate",
    "migrate_pair",
    "migrate_run",
    "register_hooks",
    "releases_accepting",
    "replace",
    "structure",
    "unstructure",
]
