"""rfdetr 1.8.3: segmentation's classification loss weight back to 1, keypoint NLL loss weight back to 1."""

from ..release import Revision
from . import r1_8_2 as previous


class SegmentationTrainConfig(Revision):
    """The classification loss weight that segmentation had before rfdetr 1.7.

    Attributes:
        cls_loss_coef: Classification loss weight: 1, as segmentation trained before rfdetr 1.7
            (pass 5.0 to reproduce 1.7 to 1.8.2).
    """

    cls_loss_coef: float = 1.0


class KeypointTrainConfig(Revision):
    """The NLL-Cholesky loss weighted like the other keypoint terms again.

    Attributes:
        keypoint_nll_loss_coef: NLL-Cholesky loss weight: 1, in line with the other keypoint terms.
    """

    keypoint_nll_loss_coef: float = 1.0


RELEASE = previous.RELEASE.revise("1.8.3", SegmentationTrainConfig, KeypointTrainConfig)
