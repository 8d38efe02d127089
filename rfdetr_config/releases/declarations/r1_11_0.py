"""rfdetr 1.11.0: ``multi_scale`` becomes a mode, precision gets None and fp8, the evaluator is chosen.

``lr_drop``, ``lr_min_factor`` and ``do_random_resize_via_padding`` are gone: the first two live in
``lr_scheduler_kwargs``, the third in ``multi_scale="per-sample"``. So every full dump of rfdetr 1.8 to
1.10 is refused. ``fp16_eval`` has no effect any more and warns when set.
"""

from typing import Literal, Optional

import attrs

from ...checks.enums import MultiScale, multi_scale, plain_value
from ...checks.input_rules import (
    carry_over_eval_ema_only,
    desugar_callable_lr_scheduler,
    desugar_callable_optimizer,
    warn_deprecated_fp16_eval,
)
from ...checks.rules import check_fp8_batch_size
from ...checks.validators import at_least
from ...core.coerce import falling_back
from ...core.fields import setting
from ..release import Revision
from . import r1_10_0 as previous

DatasetFile = Literal["coco", "o365", "roboflow", "yolo", "webdataset"]
AmpDtype = Optional[Literal["auto", "bf16", "fp16", "fp8"]]
CocoEvalBackend = Literal["hotcoco", "faster_coco_eval", "ufcoco", "vernier"]


class ModelConfig(Revision):
    """CUDA graphs can be captured.

    Attributes:
        amp: Deprecated (set ``amp_dtype`` on the training configuration): whether training uses mixed
            precision, when ``amp_dtype`` is left at ``"auto"``.
        cuda_graphs: Whether CUDA graphs are captured for the model's forward pass.
    """

    after = {"cuda_graphs": "compile"}
    cuda_graphs: bool = False


class TrainConfig(Revision):
    """Multi-scale modes, more precisions, padded targets, a choice of COCO evaluator.

    Attributes:
        multi_scale: How training varies the input resolution: ``"off"``, ``"per-batch"`` or
            ``"per-sample"`` (a :class:`MultiScale`); ``True`` and ``False`` are read as per batch and off.
        dataset_file: Dataset format.
        amp_dtype: Training precision: ``"auto"`` (bf16 where CUDA supports it, else fp16), ``"bf16"``,
            ``"fp16"``, ``"fp8"`` (Transformer Engine, needs an explicit ``batch_size``) or ``None``
            (full fp32). A value other than ``"auto"`` overrides ``ModelConfig.amp``. Any other value
            falls back to ``"auto"`` with a warning.
        pad_targets_to: Pads each image's targets to this count, at least 1; ``None`` does not pad.
        eval_backend: The COCO evaluator of validation and test mAP; all four give the same metrics.
        fp16_eval: Deprecated, no effect: evaluation precision follows ``amp_dtype``.
    """

    removed = ("lr_drop", "lr_min_factor", "do_random_resize_via_padding")
    after = {"pad_targets_to": "eval_batch_size", "eval_backend": "log_per_class_metrics"}
    rules = (check_fp8_batch_size, *previous.RELEASE.get("TrainConfig").rules)
    input_rules = (
        desugar_callable_lr_scheduler,
        warn_deprecated_fp16_eval,
        carry_over_eval_ema_only,
        desugar_callable_optimizer,
    )

    multi_scale: MultiScale = setting(default=MultiScale.PER_BATCH, convert=multi_scale, dump=plain_value)
    dataset_file: DatasetFile = "roboflow"
    amp_dtype: AmpDtype = setting(
        default="auto",
        convert=falling_back(
            (None, "auto", "bf16", "fp16", "fp8"),
            "auto",
            "Unknown amp_dtype={value!r}; expected None or one of 'auto', 'bf16', 'fp16', 'fp8'. Falling back "
            "to 'auto'.",
        ),
    )
    pad_targets_to: Optional[int] = setting(
        default=None,
        check=attrs.validators.optional(at_least(1, says="pad_targets_to must be a positive integer when provided.")),
    )
    eval_backend: CocoEvalBackend = "vernier"


RELEASE = previous.RELEASE.revise(
    "1.11.0",
    ModelConfig,
    TrainConfig,
    AmpDtype=AmpDtype,
    CocoEvalBackend=CocoEvalBackend,
    DatasetFile=DatasetFile,
    MultiScale=MultiScale,
)
