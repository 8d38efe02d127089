"""rfdetr 1.10.0 and 1.10.1: evaluation of the base model, new defaults, and more room for Large's projector.

Three defaults changed training: ``grad_accum_steps`` 4 -> 1, ``log_per_class_metrics`` True -> False
and ``compute_val_loss`` True -> ``"auto"``. ``eval_ema_only`` is deprecated in favour of
``eval_base_model``, which an old configuration's ``eval_ema_only`` decides. The model cache for a bare
``pretrain_weights`` name also honours ``ROBOFLOW_HOME``, and an empty variable counts as unset.
"""

from typing import List, Literal, Optional, Union

import attrs

from ...checks.input_rules import (
    carry_over_eval_ema_only,
    desugar_callable_lr_scheduler,
    desugar_callable_optimizer,
    fold_deprecated_lr_fields,
)
from ...checks.paths import PathLikeStr, in_model_cache_from_1_10
from ...checks.rules import (
    check_eval_base_model,
    check_eval_ema_only,
    check_lr_scheduler_kwargs,
    check_optimizer_kwargs,
    check_val_loss_monitor,
)
from ...checks.validators import at_least
from ...core.coerce import optional
from ...core.fields import setting
from ..release import Revision
from . import r1_9_0 as previous


class ModelConfig(Revision):
    """A bare weights file name is looked up in ``$RF_HOME``, else ``$ROBOFLOW_HOME``, else ``~/.roboflow/models``.

    Attributes:
        pretrain_weights: Weights to start from. A bare file name is looked up in the model cache
            (``$RF_HOME``, else ``$ROBOFLOW_HOME``, else ``~/.roboflow/models``; an empty variable
            counts as unset); another path is expanded and resolved; ``None`` trains from scratch.
    """

    pretrain_weights: Optional[PathLikeStr] = setting(default=None, convert=optional(in_model_cache_from_1_10))


class RFDETRLargeConfig(Revision):
    """The projector may produce P3 and P5 too."""

    projector_scale: List[Literal["P3", "P4", "P5"]] = ["P4"]


class TrainConfig(Revision):
    """Evaluation batch and base model, checkpoint metric, compact logs, sanity checks, packed targets.

    Attributes:
        grad_accum_steps: Steps whose gradients are accumulated before an optimizer step; at least 1
            (1 from rfdetr 1.10; ``batch_size="auto"`` sets it itself).
        eval_batch_size: Images per device in evaluation, at least 1; ``None`` uses ``batch_size``.
        eval_base_model: Whether the base model is evaluated too, not only the selected one (the EMA
            weights when ``use_ema``); no effect without EMA.
        eval_ema_only: Deprecated: use ``eval_base_model``. Given without it, it decides it
            (``eval_base_model = not eval_ema_only``), with a warning.
        best_model_metric: The validation metric that picks the best checkpoint and that early stopping
            watches: ``"map"`` (mAP@50:95 of the task) or ``"mar"``.
        log_per_class_metrics: Whether metrics are also logged per class.
        compact_train_metrics: Whether the auxiliary losses of the decoder layers are logged as one
            value per loss term, per epoch.
        num_sanity_val_steps: Validation batches run before training, to catch errors early
            (PyTorch Lightning's own default, 2, applied before rfdetr 1.10).
        compute_val_loss: Whether the validation loss is computed; ``"auto"`` computes it when
            something watches it.
        pack_targets: Whether the targets of a batch travel as packed tensors.
    """

    after = {
        "eval_batch_size": "grad_accum_steps",
        "eval_base_model": "ema_update_interval",
        "best_model_metric": "amp_dtype",
        "compact_train_metrics": "train_log_on_step",
        "num_sanity_val_steps": "compute_train_metrics",
        "pack_targets": "prefetch_factor",
    }
    rules = (
        check_eval_ema_only,
        check_eval_base_model,
        check_val_loss_monitor,
        check_optimizer_kwargs,
        check_lr_scheduler_kwargs,
    )
    input_rules = (
        desugar_callable_lr_scheduler,
        fold_deprecated_lr_fields,
        carry_over_eval_ema_only,
        desugar_callable_optimizer,
    )

    grad_accum_steps: int = 1
    eval_batch_size: Optional[int] = setting(
        default=None, check=attrs.validators.optional(at_least(1, says="eval_batch_size must be >= 1 when provided."))
    )
    eval_base_model: bool = False
    best_model_metric: Literal["map", "mar"] = "map"
    log_per_class_metrics: bool = False
    compact_train_metrics: bool = True
    num_sanity_val_steps: int = 0
    compute_val_loss: Union[bool, Literal["auto"]] = "auto"
    pack_targets: bool = True


RELEASE = previous.RELEASE.revise("1.10.0", ModelConfig, RFDETRLargeConfig, TrainConfig)
