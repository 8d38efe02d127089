"""What every release module is made of: its declarations, with each class built on first use."""

from __future__ import annotations

import sys
from typing import Any, Callable, List, Tuple

from ..declare import build_class
from . import declarations_of

__all__ = ["release_module"]


def release_module(module: str) -> Tuple[Callable[[str], Any], Callable[[], List[str]], List[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of release module ``module`` (its ``__name__``).

    The module also gets the release's other public names at once (they cost nothing), its
    :class:`~rfdetr_config.declare.Release` as ``DECLARED`` and the release numbers it serves as
    ``RELEASES``.
    """
    release = declarations_of(module.rsplit(".", 1)[1])
    namespace = sys.modules[module].__dict__
    namespace.update(release.extras, DECLARED=release, RELEASES=release.covers)
    names = release.class_names

    def __getattr__(name: str) -> Any:
        if name in names:
            return build_class(release, name, module, namespace)
        if name == "CONFIG_CLASSES":
            value = namespace[name] = tuple(build_class(release, n, module, namespace) for n in names)
            return value
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    def __dir__() -> List[str]:
        return sorted({*namespace, *names, "CONFIG_CLASSES"})

    return __getattr__, __dir__, [*names, *release.extras, "CONFIG_CLASSES", "RELEASES"]
