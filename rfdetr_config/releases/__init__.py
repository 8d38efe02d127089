"""rfdetr releases: which are supported, and the classes of each.

Every supported release number has a module of its own name under :mod:`rfdetr_config.releases`
(``v1_8_1``, ..., ``v1_11_2``) holding its classes under rfdetr's names, together with the other
public names of that release's ``rfdetr.config``. Releases whose configuration modules behave alike
share the very same classes (``v1_9_2.TrainConfig is v1_9_0.TrainConfig``). A release module builds
each class on first use, so using one release builds nothing of another. Which releases exist, and
which share classes, is said once, in :mod:`rfdetr_config.releases.registry`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .registry import (
    DISTINCT,
    GROUPS,
    MODULES,
    RELEASES,
    TOP,
    declared,
    group_of,
    module_name,
    release_hint,
    release_module_name,
)

__all__ = [
    "DISTINCT",
    "GROUPS",
    "MODULES",
    "RELEASES",
    "TOP",
    "declared",
    "for_release",
    "group_of",
    "module_name",
    "release_hint",
    "release_module_name",
]


def for_release(release: str) -> ModuleType:
    """The module with rfdetr ``release``'s configuration classes, enums and type aliases.

    >>> import rfdetr_config as rc
    >>> rc.for_release("1.8.3").KeypointTrainConfig(dataset_dir=None).keypoint_nll_loss_coef
    1.0

    Raises:
        ValueError: ``release`` is not supported; the message lists the supported releases.
    """
    return importlib.import_module(release_module_name(release))
