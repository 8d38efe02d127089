"""JSON Schema (draft 2020-12) for every configuration class, derived from the field declarations.

Types come from the annotations, ranges from the validators' bounds, members from the literals, and
descriptions from the class docstrings, so the schema cannot drift from what ``structure`` checks. It
describes the canonical JSON form of a file, whose header keys (``config_class``) are optional. What
JSON Schema cannot say is listed in the documentation: the loose spellings ``structure`` also accepts
(``"1e-3"`` for a number, ``"yes"`` or ``1`` for a boolean, ``true`` for an integer), numbers too large
for the field's machine type, and the one rule across fields (``patch_size`` 0 with an explicit
``resolution``).
"""

from __future__ import annotations

import collections.abc
import enum
import typing
from typing import Any, Dict, Literal, Tuple, Type, Union

from ..checks.devices import DEVICE_TYPES
from ..checks.enums import MultiScale, augmentation_backend, multi_scale, plain_value
from ..checks.validators import Interval, OrAuto
from ..core.build import BaseConfig
from ..core.fields import FieldPlan, field_descriptions, plain_text
from ..files import HEADER, RELEASE_KEY, header_of, release_of

__all__ = ["json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_PATH_FIELDS = frozenset({"dataset_dir", "output_dir", "resume", "pretrain_weights"})
_DEVICE_PATTERN = "^(" + "|".join(DEVICE_TYPES) + ")(:(0|[1-9][0-9]*))?$"


def _bounds(schema: Dict[str, Any], interval: Interval) -> Dict[str, Any]:
    if interval.low is not None:
        schema["minimum" if interval.low_closed else "exclusiveMinimum"] = interval.low
    if interval.high is not None:
        schema["maximum" if interval.high_closed else "exclusiveMaximum"] = interval.high
    return schema


def _for_type(annotation: Any, check: Any) -> Dict[str, Any]:
    inner = getattr(check, "validator", check)  # attrs.validators.optional wraps the interval
    if isinstance(inner, OrAuto):
        return {"anyOf": [_bounds({"type": "integer"}, inner.inner), {"const": "auto"}]}
    simple = {int: "integer", float: "number", bool: "boolean", str: "string"}
    if annotation in simple:
        schema: Dict[str, Any] = {"type": simple[annotation]}
        return _bounds(schema, inner) if isinstance(inner, Interval) else schema
    if annotation is Any or annotation is object:
        return {}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin in (list, typing.List):
        return {"type": "array", "items": _for_type(args[0], None)}
    if origin in (dict, typing.Dict):
        return {"type": "object", "additionalProperties": _for_type(args[1], None)}
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {"type": "string", "enum": sorted({m.value for m in annotation})}
    if origin is Union:  # a callable has no JSON form: only its other members can be written
        members = [a for a in args if a is not type(None) and typing.get_origin(a) is not collections.abc.Callable]
        options = [_for_type(m, check) for m in members]
        if type(None) in args:
            options.append({"type": "null"})
        if {} in options:
            return {}
        return options[0] if len(options) == 1 else {"anyOf": options}
    raise TypeError(f"no schema for {annotation!r}")


def _for_field(plan: FieldPlan) -> Dict[str, Any]:
    if plan.name in _PATH_FIELDS:
        optional = plan.name != "output_dir"
        return {"type": ["string", "null"]} if optional else {"type": "string"}
    if plan.name == "device":
        return {"type": "string", "pattern": _DEVICE_PATTERN}
    if plan.name == "progress_bar":
        return {"enum": ["tqdm", "rich", None, True, False]}
    if plan.convert is multi_scale:  # a bool is read as rfdetr 1.10 and earlier meant it
        return {"enum": [*(m.value for m in MultiScale), True, False]}
    if plan.convert is augmentation_backend:  # the older names are read too
        return {
            "type": "string",
            "enum": ["torchvision", "albumentations", "kornia", "gpu", "tv", "albu", "cpu", "auto"],
        }
    return _for_type(plan.annotation, plan.check)


def _covered(cls: Type[BaseConfig]) -> Tuple[str, ...]:
    """Every release number that shares ``cls``'s classes: any of them may name the file's release."""
    from ..releases import MODULES

    module = MODULES[release_of(cls)]
    return tuple(release for release, name in MODULES.items() if name == module)


def json_schema(cls: Type[BaseConfig]) -> Dict[str, Any]:
    """The JSON Schema of a file of ``cls``, and of its dict form.

    It accepts what :func:`~rfdetr_config.dump` writes (the header, then the fields), what
    ``unstructure`` writes (the fields alone), and what ``load`` reads in canonical form. The header's
    keys are optional, and each must say what it says of ``cls``: ``config_class`` is the class's name.
    """
    described = field_descriptions(cls)
    properties: Dict[str, Any] = {
        key: {"const": value, "description": HEADER[key]} for key, value in header_of(cls).items()
    }
    properties[RELEASE_KEY] = {"enum": list(_covered(cls)), "description": HEADER[RELEASE_KEY]}
    for plan in cls.__rfdetr_plan__:
        schema = _for_field(plan)
        if not plan.required:
            schema["default"] = plain_value(plan.make_default())
        if plan.name in described:
            schema["description"] = plain_text(described[plan.name])
        properties[plan.name] = schema
    return {
        "$schema": _DIALECT,
        "title": cls.__name__,
        "description": plain_text((cls.__doc__ or "").strip().split("\n\n")[0]),
        "type": "object",
        "properties": properties,
        "required": [p.name for p in cls.__rfdetr_plan__ if p.required],
        "additionalProperties": False,
    }
