"""What every release module is made of: its group's declarations, with each class built on first use."""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, List, Tuple

from .registry import GROUPS, declared, module_name
from .release import build_class

__all__ = ["release_module"]

_RELEASE_OF_MODULE = {f"v{release.replace('.', '_')}": release for group in GROUPS for release in group.releases}


def release_module(module: str) -> Tuple[Callable[[str], Any], Callable[[], List[str]], List[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of release module ``module`` (its ``__name__``).

    The module also gets the release's other public names at once (they cost nothing), its
    :class:`~rfdetr_config.releases.release.Release` as ``DECLARED``, its own number as ``RELEASE``
    and the release numbers that share its classes as ``RELEASES``. The module of a release that is
    not the first of its group gives the first one's classes, so that both are the same objects.
    """
    release = _RELEASE_OF_MODULE[module.rsplit(".", 1)[1]]
    declarations = declared(release)
    namespace = sys.modules[module].__dict__
    namespace.update(declarations.extras, DECLARED=declarations, RELEASE=release, RELEASES=declarations.covers)
    names = declarations.class_names
    home = module_name(release)

    def __getattr__(name: str) -> Any:
        if home != module and (name in names or name == "CONFIG_CLASSES"):
            value = namespace[name] = getattr(importlib.import_module(home), name)
            return value
        if name in names:
            return build_class(declarations, name, module, namespace)
        if name == "CONFIG_CLASSES":
            value = namespace[name] = tuple(build_class(declarations, n, module, namespace) for n in names)
            return value
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    def __dir__() -> List[str]:
        return sorted({*namespace, *names, "CONFIG_CLASSES"})

    return __getattr__, __dir__, [*names, *declarations.extras, "CONFIG_CLASSES", "RELEASE", "RELEASES"]
