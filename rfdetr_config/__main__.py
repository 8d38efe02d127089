"""``python -m rfdetr_config``: the same as the ``rfdetr-config`` command."""

import sys

from .cli import main

sys.exit(main())
