"""rfdetr 1.10.1: the configuration classes of ``rfdetr_config.releases.v1_10_0``, for type checkers.

Written by ``python -m rfdetr_config.releases.stubs`` from the release registry; do not edit.
"""

from rfdetr_config.releases.v1_10_0 import *
