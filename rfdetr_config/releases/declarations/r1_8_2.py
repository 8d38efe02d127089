"""rfdetr 1.8.2: ``amp_dtype`` arrives; keypoint flip pairs no longer warn; the keypoint preview counts 17 keypoints."""

from typing import List, Literal

from ...core.coerce import falling_back
from ...core.fields import setting
from ..release import Revision
from . import r1_8_1 as previous

AmpDtype = Literal["auto", "bf16", "fp16"]


class TrainConfig(Revision):
    """A choice of autocast precision.

    Attributes:
        amp_dtype: Autocast precision of mixed-precision training: ``"auto"`` (bf16 where CUDA
            supports it, else fp16), ``"bf16"`` or ``"fp16"``; no effect without ``ModelConfig.amp``
            or on CPU. Any other value falls back to ``"auto"`` with a warning instead of failing.
    """

    after = {"amp_dtype": "weight_decay"}
    amp_dtype: AmpDtype = setting(
        default="auto",
        convert=falling_back(
            ("auto", "bf16", "fp16"),
            "auto",
            "Unknown amp_dtype={value!r}; expected one of 'auto', 'bf16', 'fp16'. Falling back to 'auto'.",
        ),
    )


class KeypointTrainConfig(Revision):
    """Flip pairs are used now, so they no longer warn."""

    rules = ()


class RFDETRKeypointPreviewConfig(Revision):
    """One keypoint class of 17 keypoints (the COCO person), where 1.8.1 had a background class first."""

    num_keypoints_per_class: List[int] = [17]


RELEASE = previous.RELEASE.revise("1.8.2", TrainConfig, KeypointTrainConfig, RFDETRKeypointPreviewConfig)
