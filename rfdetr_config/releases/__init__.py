"""rfdetr releases: which are supported, and the classes of each.

Every supported release number maps to one module of :mod:`rfdetr_config.releases` holding its
classes under rfdetr's names, together with the other public names of that release's
``rfdetr.config``. Releases whose configuration modules behave alike share one module (and so the
very same classes): ``rfdetr_config.releases.v1_9_0`` serves 1.9.0 to 1.9.4. A release module builds
each class on first use, so using one release builds nothing of another.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Dict, Tuple

if TYPE_CHECKING:
    from ..declare import Release

__all__ = ["DISTINCT", "MODULES", "RELEASES", "TOP", "declarations_of", "declared", "for_release", "module_name"]

MODULES: Dict[str, str] = {
    "1.8.1": "v1_8_1",
    "1.8.2": "v1_8_2",
    "1.8.3": "v1_8_3",
    "1.9.0": "v1_9_0",
    "1.9.1": "v1_9_0",
    "1.9.2": "v1_9_0",
    "1.9.3": "v1_9_0",
    "1.9.4": "v1_9_0",
    "1.10.0": "v1_10_0",
    "1.10.1": "v1_10_0",
    "1.11.0": "v1_11_0",
    "1.11.1": "v1_11_1",
    "1.11.2": "v1_11_1",
}
"""Each supported release number, and the name of the module under :mod:`rfdetr_config.releases` with its classes."""

RELEASES: Tuple[str, ...] = tuple(MODULES)
"""The supported rfdetr releases, oldest first."""

DISTINCT: Tuple[str, ...] = tuple({module: release for release, module in reversed(MODULES.items())}.values())[::-1]
"""The first release of each group of releases that share their classes, oldest first."""

TOP = "1.11.2"
"""The release whose classes ``rfdetr_config`` itself exports."""


def module_name(release: str) -> str:
    """The full name of the module holding ``release``'s classes.

    Raises:
        ValueError: ``release`` is not a supported release number.
    """
    if not isinstance(release, str) or release not in MODULES:
        supported = ", ".join(RELEASES)
        shown = repr(release) if isinstance(release, str) else f"{release!r} ({type(release).__name__})"
        raise ValueError(f"unsupported rfdetr release {shown}; supported releases: {supported}")
    return f"{__name__}.{MODULES[release]}"


def for_release(release: str) -> ModuleType:
    """The module with rfdetr ``release``'s configuration classes, enums and type aliases.

    >>> import rfdetr_config as rc
    >>> rc.for_release("1.8.3").KeypointTrainConfig(dataset_dir=None).keypoint_nll_loss_coef
    1.0

    Raises:
        ValueError: ``release`` is not supported; the message lists the supported releases.
    """
    return importlib.import_module(module_name(release))


@functools.cache
def declared(release: str) -> Release:
    """The declarations of ``release``'s classes (reading them builds no class).

    Raises:
        ValueError: ``release`` is not supported.
    """
    return declarations_of(module_name(release).rsplit(".", 1)[1])


def declarations_of(module: str) -> Release:
    """The declarations behind release module ``module`` (``"v1_8_1"`` is declared in ``r1_8_1``)."""
    return importlib.import_module(f"rfdetr_config.declarations.r{module[1:]}").RELEASE  # type: ignore[no-any-return]
