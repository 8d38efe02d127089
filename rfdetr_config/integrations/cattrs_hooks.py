"""The cattrs side: hooks that teach any cattrs converter the configuration classes.

cattrs' own hooks for attrs classes would convert more loosely than the reference (``"false"``
would become ``True``, ``4.7`` would become ``4``), so every config class gets hooks that call
:func:`~rfdetr_config.core.dicts.structure` and :func:`~rfdetr_config.core.dicts.unstructure`.

A union of config classes (``TrainConfig | KeypointTrainConfig``) cannot be told apart by its fields,
which the classes share; its dicts carry the class's name under the key that files use for it,
``config_class``, written when such a value is unstructured and read to choose the class when one is
structured.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Callable, Dict, Optional, Tuple, Type, TypeVar, Union

import cattrs

from ..core.build import BaseConfig
from ..core.dicts import UnknownKeys, check_unknown_keys, structure, unstructure
from ..core.errors import ConfigError, ErrorDetail
from ..files import CLASS_KEY, class_for, header_of, split_header
from ..files.header import release_read_as

__all__ = ["converter", "make_converter", "register_hooks"]

C = TypeVar("C", bound=BaseConfig)


def _is_config_class(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseConfig) and "__rfdetr_plan__" in tp.__dict__


def _union_members(tp: Any) -> Optional[Tuple[Type[BaseConfig], ...]]:
    """The config classes of a union of two or more of them (``None`` allowed besides), else nothing."""
    if typing.get_origin(tp) not in (Union, types.UnionType):
        return None
    members = tuple(arg for arg in typing.get_args(tp) if arg is not type(None))
    if len(members) < 2 or not all(_is_config_class(member) for member in members):
        return None
    return members


def _is_config_union(tp: Any) -> bool:
    return _union_members(tp) is not None


def _union_structure_hook(tp: Any, unknown_keys: UnknownKeys) -> Callable[[Any, Any], Any]:
    members = _union_members(tp) or ()
    by_name: Dict[str, Type[BaseConfig]] = {member.__name__: member for member in members}
    optional = type(None) in typing.get_args(tp)
    title = " | ".join(by_name)

    def structure_union(data: Any, _: Any) -> Any:
        if data is None and optional:
            return None
        header, fields = split_header(data, title)
        if CLASS_KEY not in header:
            detail = ErrorDetail((CLASS_KEY,), f"is required to choose among {', '.join(by_name)}", None, "missing")
            raise ConfigError(title, [detail])
        chosen = class_for(header, None, title, by_name)
        return structure(fields, chosen, unknown_keys=unknown_keys)

    return structure_union


def _union_unstructure(value: Any) -> Any:
    if value is None:
        return None
    return {**header_of(type(value), release_read_as(value)), **unstructure(value)}


def register_hooks(conv: cattrs.Converter, *, unknown_keys: UnknownKeys = "forbid") -> cattrs.Converter:
    """Teach a cattrs converter (yours or a new one) to structure and unstructure every config class.

    Unions of config classes are taught too: a value unstructured as ``TrainConfig | KeypointTrainConfig``
    carries ``"config_class": "KeypointTrainConfig"`` before its fields, and a dict structured as that union
    must carry it, as the files :func:`~rfdetr_config.dump` writes do. A single class needs no such key and
    gets none, so that its dict stays what rfdetr's ``model_dump()`` writes.

    Args:
        conv: The converter to extend; it is returned for chaining.
        unknown_keys: ``"forbid"`` reports each unknown key with a did-you-mean; ``"ignore"`` drops
            them silently, as rfdetr 1.8.1's ``TrainConfig`` does.

    Raises:
        ValueError: ``unknown_keys`` is neither ``"forbid"`` nor ``"ignore"``.
    """
    check_unknown_keys(unknown_keys)

    def structure_hook(data: Any, cls: Type[C]) -> C:
        return structure(data, cls, unknown_keys=unknown_keys)

    conv.register_structure_hook_func(_is_config_class, structure_hook)
    conv.register_unstructure_hook_func(_is_config_class, unstructure)
    conv.register_structure_hook_factory(_is_config_union, lambda tp: _union_structure_hook(tp, unknown_keys))
    conv.register_unstructure_hook_func(_is_config_union, _union_unstructure)
    return conv


def make_converter(*, unknown_keys: UnknownKeys = "forbid") -> cattrs.Converter:
    """A new cattrs converter with the config hooks registered."""
    return register_hooks(cattrs.Converter(), unknown_keys=unknown_keys)


converter: cattrs.Converter = make_converter()
"""The pre-configured converter: ``converter.structure(data, TrainConfig)``, ``converter.unstructure(c)``."""
