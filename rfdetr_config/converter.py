"""Plain dicts in and out, through cattrs.

``structure`` takes what rfdetr's ``Model.model_validate(data)`` takes and gives the same values;
``unstructure`` gives what ``model_dump()`` gives, key for key, so the dict loads unchanged in rfdetr.
The hooks do the work through the same construction as the constructor; cattrs' own hooks for
attrs classes are replaced because their scalar conversions are laxer than the reference's
(``"false"`` would become ``True``, ``4.7`` would become ``4``).
"""

from __future__ import annotations

from typing import Any, Dict, Literal, Mapping, Type, TypeVar

import cattrs

from .build import BaseConfig, create, unknown_name_detail
from .errors import ConfigError, ErrorDetail

__all__ = ["UnknownKeys", "converter", "make_converter", "register_hooks", "structure", "unstructure"]

C = TypeVar("C", bound=BaseConfig)
UnknownKeys = Literal["forbid", "ignore"]


def _is_config_class(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseConfig) and "__rfdetr_plan__" in tp.__dict__


def structure_config(data: Any, cls: Type[C], *, unknown_keys: UnknownKeys = "forbid") -> C:
    """Build ``cls`` from a mapping of field names to values, reporting every problem at once."""
    if not isinstance(data, Mapping):
        raise ConfigError(
            cls.__name__,
            [
                ErrorDetail(
                    (), f"must be a mapping of field names to values, got {type(data).__name__}", data, "dict_type"
                )
            ],
        )
    names = cls.__rfdetr_names__
    if names.issuperset(data) and all(name in data for name in cls.__rfdetr_required__):
        return create(cls, data)
    problems: list[ErrorDetail] = []
    if unknown_keys == "forbid":
        problems.extend(unknown_name_detail(key, names) for key in data if key not in names)
    problems.extend(
        ErrorDetail((name,), "is required", None, "missing") for name in cls.__rfdetr_required__ if name not in data
    )
    given = {key: value for key, value in data.items() if key in names}
    return create(cls, given, problems)


def unstructure_config(config: BaseConfig) -> Dict[str, Any]:
    """Every field, in field order, as the reference's ``model_dump()`` writes it."""
    return config.__rfdetr_dump__(config)


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
        return structure_config(data, cls, unknown_keys=unknown_keys)

    conv.register_structure_hook_func(_is_config_class, structure_hook)
    conv.register_unstructure_hook_func(_is_config_class, unstructure_config)
    return conv


def make_converter(*, unknown_keys: UnknownKeys = "forbid") -> cattrs.Converter:
    """A new cattrs converter with the config hooks registered."""
    return register_hooks(cattrs.Converter(), unknown_keys=unknown_keys)


converter: cattrs.Converter = make_converter()
_ignoring_converter = make_converter(unknown_keys="ignore")


def structure(data: Mapping[str, Any], cls: Type[C], *, unknown_keys: UnknownKeys = "forbid") -> C:
    """Build a config of class ``cls`` from a plain dict, as rfdetr's ``cls.model_validate(data)`` does.

    Args:
        data: Field names to values; values may be in the loose forms the reference accepts.
        cls: The configuration class.
        unknown_keys: ``"forbid"`` (the default) reports unknown keys; ``"ignore"`` drops them.

    Raises:
        ConfigError: Every unknown key, missing field and invalid value, together.
    """
    chosen = _ignoring_converter if unknown_keys == "ignore" else converter
    return chosen.structure(data, cls)


def unstructure(config: BaseConfig) -> Dict[str, Any]:
    """The config as a plain dict, equal key for key to rfdetr's ``model_dump()``."""
    return converter.unstructure(config)  # type: ignore[no-any-return]
