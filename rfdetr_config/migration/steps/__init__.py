"""The steps between release groups whose classes differ, one module each, for the groups the registry says have one.

``to_1_9_0`` goes from 1.8.3 to 1.9.0 and back, as a :class:`~rfdetr_config.migration.move.Step`: an
``up`` and a ``down`` function that rewrite the dict of one configuration through a
:class:`~rfdetr_config.migration.move.Move`. They hold what the declarations cannot say: where a
removed field's meaning went, what an old release did where a new field now decides, which values
an older release cannot express. What the declarations do say, the engine
(:mod:`rfdetr_config.migration.engine`) applies by itself after the step's functions; a step's
function only has to handle the fields where that is wrong, and a group with nothing to handle has
no module here.
"""

from __future__ import annotations

import functools
import importlib

from ...releases.registry import DISTINCT, group_of
from ..move import Move, Step

__all__ = ["step_to"]


def _no_special_cases(move: Move) -> None:
    """A step whose releases' declarations say all there is to do: the engine does it."""


@functools.cache
def step_to(release: str) -> Step:
    """The step that arrives at ``release`` (one of :data:`~rfdetr_config.releases.DISTINCT`, not the first).

    A group without a step module in the registry gets a step that leaves everything to the engine.
    """
    if release not in DISTINCT[1:]:
        raise ValueError(f"no step arrives at rfdetr {release}")
    module = group_of(release).step
    if module is None:
        return Step(release, up=_no_special_cases, down=_no_special_cases)
    found: Step = importlib.import_module(module).STEP
    return found
