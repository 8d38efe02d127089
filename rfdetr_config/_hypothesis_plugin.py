"""Hypothesis' entry point: registers the strategies when Hypothesis is imported.

Kept apart from :mod:`rfdetr_config.integrations.strategies` because that module imports Hypothesis, and Hypothesis
runs its entry points while it is being imported.
"""

import sys


def setup() -> None:
    """Register the strategies, unless :mod:`rfdetr_config.integrations.strategies` is loading and will do it itself."""
    if "rfdetr_config.integrations.strategies" not in sys.modules:
        from .integrations import strategies  # noqa: F401 - importing registers them
