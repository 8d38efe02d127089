"""Replays of one release group run on one worker: each group's replay is computed once per worker that runs it."""

from __future__ import annotations

from typing import List

import pytest

from rfdetr_config.releases import RELEASES, declared


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    for item in items:
        release = getattr(getattr(item, "callspec", None), "params", {}).get("release")
        if isinstance(release, str) and release in RELEASES:
            item.add_marker(pytest.mark.xdist_group(f"rfdetr-{declared(release).name}"))
