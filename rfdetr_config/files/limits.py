"""How much a configuration file may hold: reading is bounded, so that no file exhausts the stack or the memory."""

from __future__ import annotations

import sys

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "digit_limit"]

MAX_BYTES = 16 * 1024 * 1024
"""The largest file read: configurations are a few kilobytes, and a device or a runaway file is not one."""

MAX_DEPTH = 200
"""The most containers nested in a file, the file's own mapping included: as many as rfdetr's JSON reading allows."""

MAX_VALUES = 1_000_000
"""The most values a file may hold, each YAML alias counted as often as it is used."""


def digit_limit() -> int:
    """The most digits Python reads in one integer: a longer one is where a file fails."""
    return int(getattr(sys, "get_int_max_str_digits", lambda: 4300)())
