"""The cattrs side: hooks that teach any cattrs converter the configuration classes.

cattrs' own hooks for attrs classes would convert more loosely than the reference (``"false"``
would become ``True``, ``4.7`` would become ``4``), so every config class gets hooks that call
:func:`~rfdetr_config.dicts.structure` and :func:`~rfdetr_config.dicts.unstructure`.
"""

from __future__ import annotations

from typing import Any, Type, TypeVar

import cattrs

from .build import BaseConfig
from .dicts import UnknownKeys, structure, unstructure

__all__ = ["converter", "make_converter", "register_hooks"]

C = TypeVar("C", bound=BaseConfig)


def _is_config_class(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseConfig) and "__rfdetr_plan__" in tp.__dict__


def register_hooks(conv: cattrs.Converter, *, unknown_keys: UnknownKeys = "forbid") -> cattrs.Converter:
    """Teach a cattrs converter (yours or a new one) to structure and unstructure every config class.

    Args:
        conv: The converter to extend; it is returned for chaining.
        unknown_keys: ``"forbid"`` reports each unknown key with a did-you-mean; ``"ignore"`` drops
            them silently, as rfdetr 1.8.1's ``TrainConfig`` does.
    """
    if unknown_keys not in ("forbid", "ignore"):
        raise ValueError(f"unknown_keys must be 'forbid' or 'ignore', not {unknown_keys!r}")

    def structure_hook(data: Any, cls: Type[C]) -> C:
        return structure(data, cls, unknown_keys=unknown_keys)

    conv.register_structure_hook_func(_is_config_class, structure_hook)
    conv.register_unstructure_hook_func(_is_config_class, unstructure)
    return conv


def make_converter(*, unknown_keys: UnknownKeys = "forbid") -> cattrs.Converter:
    """A new cattrs converter with the config hooks registered."""
    return register_hooks(cattrs.Converter(), unknown_keys=unknown_keys)


converter: cattrs.Converter = make_converter()
"""The pre-configured converter: ``converter.structure(data, TrainConfig)``, ``converter.unstructure(c)``."""
