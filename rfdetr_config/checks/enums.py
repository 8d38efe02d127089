"""The enums of rfdetr's configuration module, without torch.

``MultiScale`` (rfdetr 1.11.0 on) is how training varies the input size: not at all, once per batch,
or per sample (which rfdetr 1.8 to 1.10 spelt ``multi_scale=True`` with
``do_random_resize_via_padding=True``).

``AugmentationBackend`` (rfdetr 1.9.0 on) names the augmentation pipelines that can be pinned. The
words ``"cpu"`` and ``"auto"`` are accepted too, but are not members: rfdetr stores them as they are and
picks a pipeline by what is installed only when the dataset is built, so that a saved configuration
stays portable.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import importlib
from typing import Any, Dict

from ..core.coerce import expected
from ..core.errors import FieldError

__all__ = ["AugmentationBackend", "MultiScale", "augmentation_backend", "multi_scale", "plain_value"]

_LEGACY_BACKENDS: Dict[str, str] = {"gpu": "kornia", "tv": "torchvision", "albu": "albumentations"}


@functools.cache
def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


class AugmentationBackend(str, enum.Enum):
    """An augmentation pipeline; ``GPU`` is another name for ``KORNIA``, which always runs on the device."""

    TV = "torchvision"
    ALBU = "albumentations"
    KORNIA = "kornia"
    GPU = "kornia"  # noqa: PIE796 - an alias of KORNIA, as in rfdetr

    @classmethod
    def from_str(cls, value: str, *, has_cuda: bool = False) -> AugmentationBackend:
        """The pipeline ``value`` names, picking one by what is installed for ``"cpu"`` and ``"auto"``.

        As rfdetr does: the legacy names ``"gpu"``, ``"tv"`` and ``"albu"`` are understood; ``"cpu"``
        prefers Albumentations, then Kornia, then torchvision; ``"auto"`` prefers Kornia first when
        ``has_cuda``. Whether a package is installed is found by importing it, once per process.

        Raises:
            ValueError: ``value`` names no pipeline.
        """
        value = _LEGACY_BACKENDS.get(value, value)
        if value in ("cpu", "auto"):
            if value == "auto" and has_cuda and _importable("kornia.augmentation"):
                return cls.KORNIA
            if _importable("albumentations"):
                return cls.ALBU
            if _importable("kornia.augmentation"):
                return cls.KORNIA
            return cls.TV
        try:
            return cls(value)
        except ValueError:
            raise ValueError(
                f"Unknown augmentation_backend {value!r}; expected one of 'cpu', 'auto', 'torchvision', "
                "'albumentations', 'kornia'."
            ) from None


def augmentation_backend(value: Any) -> Any:
    """A member for a pipeline's value or legacy name; ``"cpu"`` and ``"auto"`` stay plain text."""
    if isinstance(value, str):
        value = _LEGACY_BACKENDS.get(value, value)
    if isinstance(value, AugmentationBackend):
        return value
    if type(value) is str and value in ("cpu", "auto"):
        return value
    try:
        return AugmentationBackend(value)
    except ValueError:
        pass
    if isinstance(value, str) and value in ("cpu", "auto"):
        return str(value)
    raise FieldError(
        "must be 'torchvision', 'albumentations' or 'kornia' (an AugmentationBackend), or 'cpu' or 'auto'",
        value,
        kind="union_error",
        members=_backend_members(value),
    )


def _backend_members(value: Any) -> Any:
    """How pydantic reports a value that is neither member of ``AugmentationBackend | Literal['cpu', 'auto']``."""
    enum_ctx = {"expected": expected([m.value for m in AugmentationBackend.__members__.values()])}
    words_ctx = {"expected": expected(("cpu", "auto"))}
    return (
        ("str-enum[AugmentationBackend]", FieldError("must be a pipeline", value, kind="enum", ctx=enum_ctx)),
        ("literal['cpu','auto']", FieldError("must be 'cpu' or 'auto'", value, kind="literal_error", ctx=words_ctx)),
    )


class MultiScale(str, enum.Enum):
    """How training varies the input resolution."""

    OFF = "off"
    PER_BATCH = "per-batch"
    PER_SAMPLE = "per-sample"

    @classmethod
    def from_value(cls, value: Any) -> MultiScale:
        """A member from a member, its value, or a bool (``True`` is per batch, ``False`` off).

        Raises:
            ValueError: ``value`` is none of these.
        """
        if value is True:
            return cls.PER_BATCH
        if value is False:
            return cls.OFF
        return cls(value)


def multi_scale(value: Any) -> MultiScale:
    """A member; a real bool is read as rfdetr 1.10 and earlier meant it, other spellings of one are refused.

    UTF-8 bytes are read as their text, as pydantic reads them for an enum of text.
    """
    if isinstance(value, (bytes, bytearray)):
        with contextlib.suppress(UnicodeDecodeError):
            value = bytes(value).decode("utf-8")
    try:
        return MultiScale.from_value(value)
    except ValueError:
        raise FieldError(
            "must be 'off', 'per-batch' or 'per-sample' (a MultiScale), or True or False",
            value,
            kind="enum",
            ctx={"expected": expected([m.value for m in MultiScale])},
        ) from None


def plain_value(value: Any) -> Any:
    """What rfdetr writes for an enum-or-text field: a member's value, text as it is."""
    return value.value if isinstance(value, enum.Enum) else value
