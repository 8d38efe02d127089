"""rfdetr 1.9.3: the configuration classes of ``rfdetr_config.releases.v1_9_0``, for type checkers.

Written by ``python -m rfdetr_config.releases.stubs`` from the release registry; do not edit.
"""

from rfdetr_config.releases.v1_9_0 import *
