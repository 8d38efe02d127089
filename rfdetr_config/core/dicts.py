"""Plain dicts in and out: what ``structure`` and ``unstructure`` do, without cattrs.

``structure`` takes what rfdetr's ``Model.model_validate(data)`` takes and gives the same values;
``unstructure`` gives what ``model_dump()`` gives, key for key, so the dict loads unchanged in rfdetr.
The cattrs hooks in :mod:`~rfdetr_config.integrations.cattrs_hooks` call these same two functions, so a dict means the
same thing through either door; this module keeps cattrs off the import path of the package.
"""

from __future__ import annotations

from typing import Any, Dict, Literal, Mapping, Optional, Type, TypeVar

from .build import BaseConfig, create, fields_set, prepare_input, unknown_name_detail
from .errors import ConfigError, ErrorDetail

__all__ = ["UnknownKeys", "check_unknown_keys", "structure", "structure_as_released", "unstructure"]

CLASS_KEY = "config_class"
"""The file header key naming the class (the files layer writes it; see :mod:`rfdetr_config.files.header`)."""

RELEASE_KEY = "rfdetr_release"
"""The file header key naming the rfdetr release whose classes a file holds."""

HEADER_KEYS = frozenset({CLASS_KEY, RELEASE_KEY})
"""Keys a file carries before the fields: given to :func:`structure`, they are told apart from typos."""

C = TypeVar("C", bound=BaseConfig)
UnknownKeys = Literal["forbid", "ignore"]


def check_unknown_keys(unknown_keys: object) -> None:
    """Refuse any ``unknown_keys`` but the two it can be.

    A near miss such as ``"Forbid"`` must not quietly act as ``"ignore"``: that would drop the typo the
    option exists to catch (``epoch: 3`` training 100 epochs).

    Raises:
        ValueError: ``unknown_keys`` is neither ``"forbid"`` nor ``"ignore"``.
    """
    if unknown_keys != "forbid" and unknown_keys != "ignore":
        raise ValueError(f"unknown_keys must be 'forbid' or 'ignore', not {unknown_keys!r}")


def structure(data: Mapping[str, Any], cls: Type[C], *, unknown_keys: UnknownKeys = "forbid") -> C:
    """Build a config of class ``cls`` from a plain dict, as rfdetr's ``cls.model_validate(data)`` does.

    Args:
        data: Field names to values; values may be in the loose forms the reference accepts.
        cls: The configuration class.
        unknown_keys: ``"forbid"`` (the default) reports each unknown key with a did-you-mean;
            ``"ignore"`` drops them silently, as rfdetr 1.8.1's ``TrainConfig`` does.

    Raises:
        ConfigError: Every unknown key, missing field and invalid value, together.
        ValueError: ``unknown_keys`` is neither ``"forbid"`` nor ``"ignore"``.
    """
    if unknown_keys != "forbid" and unknown_keys != "ignore":
        check_unknown_keys(unknown_keys)
    if type(data) is not dict and not isinstance(data, Mapping):
        detail = ErrorDetail(
            (), f"must be a mapping of field names to values, got {type(data).__name__}", data, "dict_type"
        )
        raise ConfigError(cls.__name__, [detail])
    data, subject = prepare_input(cls, data)
    order = cls.__rfdetr_order__
    if isinstance(data, dict) and len(data) == len(order) and tuple(data) == order:
        return create(cls, data, full=True, subject=subject)  # as unstructure writes it: every field, in order
    names = cls.__rfdetr_names__
    if names.issuperset(data) and all(name in data for name in cls.__rfdetr_required__):
        return create(cls, data, subject=subject)
    problems: list[ErrorDetail] = []
    reported: Optional[list[ErrorDetail]] = None
    if unknown_keys == "forbid":
        unknown = [key for key in data if key not in names]
        if unknown and cls.__rfdetr_unknown_keys__ == "forbid":
            # rfdetr's "before" model validator refuses them: pydantic reports that alone, and no field
            stop = _InRfdetrsWords(unknown, names, data)
            problems.append(stop)
            reported = [stop]
        problems.extend(_unknown_key(key, data[key], names) for key in unknown)
    problems.extend(
        ErrorDetail((name,), "is required", data, "missing") for name in cls.__rfdetr_required__ if name not in data
    )
    given = {key: value for key, value in data.items() if key in names}
    return create(cls, given, problems, reported=reported, subject=subject)


class _InRfdetrsWords(ErrorDetail):
    """rfdetr's own message for unknown keys, for the classes it refuses them in, so that code matching it works.

    Written out (every field name, sorted) only when the message is read.
    """

    __slots__ = ("_names", "_text", "_unknown")

    def __init__(self, unknown: list[Any], names: frozenset[str], data: Mapping[str, Any]) -> None:
        self.loc, self.input, self.type, self.source = (), data, "unknown_parameters", None
        self._names, self._text, self._unknown = names, "", unknown

    @property
    def msg(self) -> str:  # type: ignore[override]
        if not self._text:
            try:
                listed = sorted(self._unknown)
            except TypeError:  # keys of several types: rfdetr crashes here
                listed = sorted(self._unknown, key=repr)
            text = ", ".join(f"'{key}'" for key in listed)
            self._text = f"Unknown parameter(s): {text}. Available parameter(s): {', '.join(sorted(self._names))}."
        return self._text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_InRfdetrsWords, (self._unknown, self._names, self.input))

    def entries(self) -> list[dict[str, Any]]:
        """The one entry pydantic gives: rfdetr's ValueError, at no field, with the input mapping."""
        return ErrorDetail.whole(self.msg, self.input).entries()


def _unknown_key(key: Any, value: Any, names: frozenset[str]) -> ErrorDetail:
    if key in HEADER_KEYS:
        msg = "a file's header key, not a field: rfdetr_config.load and loads read files"
        return unknown_name_detail(key, names, value=value, msg=msg)
    return unknown_name_detail(key, names, value=value)


def structure_as_released(data: Mapping[str, Any], cls: Type[C]) -> C:
    """``data`` read as ``cls``'s own release reads it: unknown keys ignored where that release ignores them.

    What a file or a migration must do to decide as rfdetr did (rfdetr 1.8's training classes drop unknown
    keys); :func:`structure` refuses them by default, to catch typos.
    """
    ignore = cls.__rfdetr_unknown_keys__ == "ignore"
    return structure(data, cls, unknown_keys="ignore" if ignore else "forbid")


def unstructure(config: BaseConfig, *, exclude_unset: bool = False, exclude_defaults: bool = False) -> Dict[str, Any]:
    """The config as a plain dict, equal key for key to rfdetr's ``model_dump()`` with the same options.

    A full dump counts every field as given when it is read back, so reading it re-runs the rules for
    fields nobody set (rfdetr 1.8's deprecation warnings come again, for one). A dict meant for people,
    or to be read back as it was written, is better without them.

    Args:
        config: The configuration.
        exclude_unset: Only the fields given when ``config`` was built (its :func:`fields_set`).
        exclude_defaults: Leave out the fields whose value equals their default.
    """
    dumped: Dict[str, Any] = type(config).__rfdetr_dump__(config)
    if not (exclude_unset or exclude_defaults):
        return dumped
    given = fields_set(config) if exclude_unset else None
    plans = type(config).__rfdetr_fields__
    return {
        name: value
        for name, value in dumped.items()
        if (given is None or name in given)
        and not (exclude_defaults and not plans[name].required and _is_default(getattr(config, name), plans[name]))
    }


def _is_default(value: Any, plan: Any) -> bool:
    """Pydantic's test: the stored value equals the default (compared with ``==``)."""
    try:
        return bool(value == plan.make_default())
    except Exception:  # a value whose comparison fails is not the default
        return False
