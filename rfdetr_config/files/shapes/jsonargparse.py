"""How ``rfdetr fit`` reads its two configuration sections before rfdetr's classes see them.

``rfdetr fit`` is a LightningCLI: jsonargparse reads ``model.model_config`` and ``model.train_config``
against the signature of the base classes (``ModelConfig``, ``TrainConfig``), then calls the class with
*every* field, the ones the file leaves out at their defaults. Its own rules come first, and they are
stricter than rfdetr's lax reading in places:

* a text value is read again as YAML (``'8'`` is 8, ``'1e-4'`` is 0.0001, ``'yes'`` is true, ``'[1, 2]'``
  a list); a value that stays text keeps its original spelling;
* a ``bool`` takes only booleans (``1`` is refused), an ``int`` only integers (``5.0`` is refused), a
  ``float`` integers and floats (not booleans);
* an enum field takes its members' *names* (``PER_BATCH``, not ``per-batch``);
* a literal takes its members exactly, a text field only text, a list only a list;
* a field with a range declared on the field itself is left to rfdetr's own (lax) reading;
* a field without a default may not be left out, nor be null; an unknown key is refused.

None of this runs jsonargparse: it is the observed behaviour of jsonargparse 4.53 with rfdetr, replayed
by the tests against the recorded files (``tests/conformance/files``).
"""

from __future__ import annotations

import enum
import functools
import re
import typing
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, Type, Union

from ...core.build import BaseConfig, unknown_name_detail
from ...core.errors import ErrorDetail

__all__ = ["FIT_KEYS", "FitRefusal", "fit_mapping", "read_section", "reread", "takes"]

FIT_KEYS = ("seed_everything", "trainer", "model", "data", "optimizer", "lr_scheduler", "ckpt_path", "weights_only")
"""The top-level keys ``rfdetr fit --config`` accepts (``--print_config`` writes them, ``data`` aside)."""

_NO = object()


class FitRefusal(ErrorDetail):
    """A value ``rfdetr fit``'s parser refuses before rfdetr's classes see it."""


@functools.lru_cache(maxsize=1)
def _loader() -> Any:
    """A safe YAML loader that also reads ``1e3`` as a float, as jsonargparse's does."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
            |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
            |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
            |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        list("-+0123456789."),
    )
    return Loader


def reread(value: Any) -> Any:
    """A text value read again as YAML, as jsonargparse reads it; anything else as it is.

    Text that stays text (or becomes a date) keeps its original spelling; empty text stays empty.
    """
    if not isinstance(value, str) or not value.strip():
        return value
    try:
        import yaml

        loaded = yaml.load(value, Loader=_loader())
    except Exception:  # any YAML error: the text stays text
        return value
    if isinstance(loaded, (str, bytes)) or (loaded is None and value.strip() not in ("~", "null", "Null", "NULL")):
        return value
    if type(loaded).__module__ == "datetime":
        return value
    return loaded


def _is_constrained(plan: Any) -> bool:
    """A range declared on the field itself (pydantic's ``Field(ge=...)``): jsonargparse defers to pydantic."""
    check = plan.check
    return plan.by_annotation and type(check).__name__ == "Interval" and getattr(check, "says", "") is None


def _adapt(tp: Any, value: Any, again: Any) -> Any:
    """``value`` (``again``: read again) as jsonargparse takes it for the type ``tp``, or ``_NO``."""
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return value
    if tp is type(None):
        return None if again is None else _NO
    if origin is Union:
        if again is None and type(None) in typing.get_args(tp):
            return None
        for member in typing.get_args(tp):
            got = _adapt(member, value, again)
            if got is not _NO:
                return got
        return _NO
    if origin is Literal:
        for member in typing.get_args(tp):
            if type(again) is type(member) and again == member:
                return member
        return _NO
    if tp is bool:
        return again if isinstance(again, bool) else _NO
    if tp is int:
        return again if isinstance(again, int) and not isinstance(again, bool) else _NO
    if tp is float:
        if isinstance(again, (int, float)) and not isinstance(again, bool):
            try:
                return float(again)
            except OverflowError:
                return float("inf") if again > 0 else float("-inf")
        return _NO
    if tp is str:
        return value if isinstance(value, str) else _NO
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        if isinstance(value, str) and value in tp.__members__:  # a member's name, as the file spells it
            return tp.__members__[value]
        return _NO
    if origin in (list, List):
        if not isinstance(again, list):
            return _NO
        (item,) = typing.get_args(tp) or (Any,)
        out = []
        for element in again:
            got = _adapt(item, element, reread(element))
            if got is _NO:
                return _NO
            out.append(got)
        return out
    if origin in (dict, Dict) or tp is dict:
        return again if isinstance(again, dict) else _NO
    if origin is not None and getattr(origin, "__name__", "") == "PathLike":
        return _NO  # a path is given as text: the str member takes it
    if origin is not None and getattr(origin, "__name__", "") == "Callable":
        return _NO  # a callable by class_path cannot be checked without torch
    return value


def takes(plan: Any, value: Any) -> bool:
    """Whether ``rfdetr fit``'s parser takes ``value`` for the field ``plan`` (before rfdetr's own checks)."""
    if _is_constrained(plan):
        return True
    return _adapt(plan.annotation, value, reread(value)) is not _NO


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def read_section(
    cls: Type[BaseConfig], section: Any, loc: Tuple[Any, ...], *, fill: bool = True
) -> Tuple[Dict[str, Any], List[ErrorDetail]]:
    """One configuration section as ``rfdetr fit`` passes it to ``cls``, or what its parser refuses.

    Args:
        cls: The class jsonargparse reads the section against (the base class, or the one a
            ``class_path`` names).
        section: The section's mapping as the file holds it.
        loc: Where the section is in the file, for errors (``("model", "train_config")``).
        fill: Give every field the section leaves out at ``cls``'s default, as the parser does.

    Returns:
        The fields, every one given (with ``fill``), and the problems the parser finds.
    """
    problems: List[ErrorDetail] = []
    if section is None:
        section = {}
    if not isinstance(section, Mapping):
        problems.append(FitRefusal(loc, "must be a mapping of field names to values", section, "dict_type"))
        return {}, problems
    plans = {plan.name: plan for plan in cls.__rfdetr_plan__}
    out: Dict[str, Any] = {}
    for key, value in section.items():
        plan = plans.get(key)
        if plan is None:
            problems.append(_relocated(unknown_name_detail(key, plans), loc))
            continue
        if _is_constrained(plan):
            out[key] = value
            continue
        if value is None and not plan.required:  # a YAML null passes the parser whatever the type: the class decides
            out[key] = None
            continue
        again = reread(value)
        if again is None and plan.required:
            problems.append(FitRefusal((*loc, key), "is required by rfdetr fit and may not be null", value, "missing"))
            continue
        got = _adapt(plan.annotation, value, again)
        if got is _NO:
            msg = f"rfdetr fit's parser refuses it: expected {_type_name(plan.annotation)}"
            problems.append(FitRefusal((*loc, key), msg, value, "fit_type"))
            continue
        out[key] = got
    if fill:
        missing = [plan.name for plan in plans.values() if plan.name not in section and plan.required]
        for name in missing:
            problems.append(FitRefusal((*loc, name), "is required by rfdetr fit", None, "missing"))
        for plan in plans.values():
            if plan.name not in out and plan.name not in section:
                out[plan.name] = plan.make_default()
        out = {plan.name: out[plan.name] for plan in plans.values() if plan.name in out}
    return out, problems


def _relocated(detail: ErrorDetail, loc: Tuple[Any, ...]) -> ErrorDetail:
    detail.loc = (*loc, *detail.loc)
    return detail


def plain(value: Any) -> Any:
    """A section's value with enum members as their values, as rfdetr's dump writes them."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def as_written(value: Any, annotation: Optional[Any]) -> Any:
    """A value as a ``fit`` YAML writes it for jsonargparse: an enum field by its member's name."""
    members = _enum_of(annotation)
    if members is not None and isinstance(value, (str, enum.Enum)):
        for member in members:
            if value == member.value or value is member:
                return member.name
    return value


def _enum_of(tp: Any) -> Optional[Type[enum.Enum]]:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    for member in typing.get_args(tp):
        found = _enum_of(member)
        if found is not None:
            return found
    return None


def fit_mapping(text: str, source: str) -> Tuple[Any, List[ErrorDetail]]:
    """A ``fit`` YAML text as jsonargparse loads it (``1e3`` is a float), and the keys it refuses.

    Call it on text that :func:`~rfdetr_config.files.parse` has read (so within the bounds of a file).
    A key that is not text inside ``model`` is refused, as rfdetr's classes refuse it; a top-level key
    ``rfdetr fit`` does not know is refused, as its parser does.
    """
    import yaml

    from ..json_form import json_form

    data = yaml.load(text, Loader=_loader())
    problems: List[ErrorDetail] = []
    if isinstance(data, dict):
        for key in data:
            if key not in FIT_KEYS:
                msg = f"rfdetr fit does not accept this key; its sections are {', '.join(FIT_KEYS)}"
                problems.append(FitRefusal((key,), msg, key, "unknown_field"))
        _text_keys(data.get("model"), ("model",), problems)
    return json_form(data, source), problems


def _text_keys(value: Any, loc: Tuple[Any, ...], problems: List[ErrorDetail]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if not isinstance(key, str):
                problems.append(FitRefusal((*loc, str(key)), "a key must be text", key, "string_type"))
            _text_keys(inner, (*loc, str(key)), problems)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _text_keys(inner, (*loc, index), problems)
