"""Device strings exactly as ``torch.device`` parses them, without importing torch.

rfdetr 1.8.1 stores ``str(torch.device(value))``. The table below was read from torch 2.13.0 (the
reference environment): the device types it knows, the index syntax (``type`` or ``type:N`` with ``N``
written without sign or leading zeros), the index limit (``N`` must fit a C ``int``) and the wrap of
that index into a signed byte, which makes ``"cuda:255"`` print as ``"cuda"`` and ``"cuda:128"`` as
``"cuda:-128"``. Failures are worded as rfdetr words them, so code that matches on rfdetr's messages
keeps working.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import Any, Optional

from ..core.errors import FieldError, warn_at_caller

__all__ = ["DEVICE_TYPES", "default_device", "normalize_device"]

DEVICE_TYPES: tuple[str, ...] = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
    "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)  # fmt: skip
_DEVICE_TEXT = re.compile(r"([a-z]+)(?::(0|[1-9][0-9]*))?", re.ASCII)
_INDEX_LIMIT = 2**31 - 1
_LEGACY_TYPE = "mkldnn"
_LEGACY_MESSAGE = (
    "'mkldnn' is no longer used as device type. So torch.device('mkldnn') will be deprecated and "
    "removed in the future. Please use other valid device types instead."
)
_legacy_warned = False
_detected: Optional[str] = None


def _parse(text: str) -> str:
    canonical = _canonical(text)
    if canonical.partition(":")[0] == _LEGACY_TYPE:
        _warn_legacy_once()
    return canonical


@functools.lru_cache(maxsize=256)
def _canonical(text: str) -> str:
    """Parsing is pure, so results are remembered (failures are not: they raise)."""
    match = _DEVICE_TEXT.fullmatch(text)
    if match is None or match.group(1) not in DEVICE_TYPES:
        raise FieldError.rfdetr(f"Invalid device specifier: {text!r}.", text, kind="device")
    kind, index_text = match.groups()
    if index_text is None:
        return kind
    index = int(index_text)
    if index > _INDEX_LIMIT:
        raise FieldError.rfdetr(f"Invalid device specifier: {text!r}.", text, kind="device")
    index = (index + 128) % 256 - 128
    return kind if index == -1 else f"{kind}:{index}"


def _warn_legacy_once() -> None:
    global _legacy_warned
    if not _legacy_warned:
        _legacy_warned = True
        warn_at_caller(_LEGACY_MESSAGE, UserWarning)


def normalize_device(value: Any) -> str:
    """The canonical form of a device string, or of a ``torch.device`` when torch is already loaded."""
    if isinstance(value, str):
        return _parse(str(value))
    torch = sys.modules.get("torch")
    device_type = getattr(torch, "device", None)
    if isinstance(device_type, type) and isinstance(value, device_type):
        return str(value)
    raise FieldError.rfdetr("device must be a string or torch.device.", value, kind="device")


def _detect(torch: Any) -> str:
    """The reference's accelerator probe, which avoids creating a CUDA context where it can."""
    accelerator = getattr(torch, "accelerator", None)
    current = getattr(accelerator, "current_accelerator", None)
    if current is not None:
        try:
            try:
                found = current(check_available=True)
            except TypeError:
                found = current()
                if found is not None and not getattr(accelerator, "is_available", lambda: True)():
                    found = None
        except RuntimeError:
            return "cpu"
        return "cpu" if found is None else str(found)
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def default_device() -> str:
    """``"cpu"``, unless the caller has imported torch: then the accelerator torch reports, probed once."""
    global _detected
    if _detected is None:
        torch = sys.modules.get("torch")
        if torch is None:
            return "cpu"
        _detected = _detect(torch)
    return _detected
