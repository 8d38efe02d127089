"""rfdetr 1.11.1 and 1.11.2: a negative ``clip_max_norm`` is refused (it trained unclipped, as 0 does)."""

from ...checks.validators import at_least
from ...core.fields import setting
from ..release import Revision
from . import r1_11_0 as previous


class TrainConfig(Revision):
    """Gradient clipping norms are at least 0.

    Attributes:
        clip_max_norm: Gradient clipping norm, at least 0; 0 turns clipping off.
    """

    clip_max_norm: float = setting(default=0.1, check=at_least(0.0))


RELEASE = previous.RELEASE.revise("1.11.1", TrainConfig)
