"""Hypothesis strategies for every configuration class of every release (needs ``hypothesis``).

The public name of :mod:`rfdetr_config.integrations.strategies`, which holds them.
"""

from .integrations.strategies import *  # noqa: F403
from .integrations.strategies import __all__ as __all__
