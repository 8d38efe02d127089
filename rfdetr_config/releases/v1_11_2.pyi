"""rfdetr 1.11.2: the configuration classes of ``rfdetr_config.releases.v1_11_1``, for type checkers.

Written by ``python -m rfdetr_config.releases.stubs`` from the release registry; do not edit.
"""

from rfdetr_config.releases.v1_11_1 import *
