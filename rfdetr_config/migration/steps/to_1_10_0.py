"""Between rfdetr 1.9 and 1.10: new defaults, evaluation of the base model, the model cache.

Three defaults that change training (``grad_accum_steps``, ``log_per_class_metrics``,
``compute_val_loss``) the engine pins by itself. The new fields whose default does something 1.9 did
not do are pinned here to what 1.9 did: ``eval_base_model`` (1.9 evaluated the base model too unless
``eval_ema_only``), ``compact_train_metrics`` and ``num_sanity_val_steps``.
"""

from ...checks.paths import is_bare_name
from ...checks.rules import reduces_on_unwatched_val_loss
from ..move import Move, Step
from .to_1_9_0 import drop_overridden_lr_fields


def _bare_weights(move: Move) -> None:
    field = "pretrain_weights"
    value = move.data.get(field)
    if move.is_a("ModelConfig") and isinstance(value, str) and value and is_bare_name(value):
        why = (
            "a bare file name is looked up in the model cache of the machine that loads it, and from rfdetr 1.10 "
            "that cache may be $ROBOFLOW_HOME (an empty variable counts as unset): write the full path to be sure"
        )
        move.flag(field, "needs a decision", why)


def _up(move: Move) -> None:
    _bare_weights(move)
    drop_overridden_lr_fields(move)
    if not move.is_a("TrainConfig"):
        return
    move.handled("eval_base_model", "eval_ema_only")
    ema_only = move.value("eval_ema_only")
    why = (
        f"rfdetr {move.source} evaluates the base model besides the EMA weights unless eval_ema_only; from 1.10 "
        "eval_base_model says so, and its default does not"
    )
    move.pin("eval_base_model", not ema_only, why)
    if move.given("eval_ema_only") and not ema_only:
        why = "deprecated in rfdetr 1.10, which warns whenever it is given; False is its default"
        move.drop("eval_ema_only", "dropped", why)
    why = f"rfdetr {move.source} logs the auxiliary losses layer by layer (logging only)"
    move.pin("compact_train_metrics", False, why)
    why = f"rfdetr {move.source} runs PyTorch Lightning's 2 validation batches before training"
    move.pin("num_sanity_val_steps", 2, why)
    if not move.given("compute_val_loss"):
        why = f"the default changed in rfdetr 1.10; True is what rfdetr {move.source} used"
        move.pin("compute_val_loss", True, why)
    if reduces_on_unwatched_val_loss(move.value):
        why = (
            "rfdetr 1.10 refuses ReduceLROnPlateau watching val/loss without the validation loss, which rfdetr "
            f"{move.source} accepted but could not train with; True computes it"
        )
        move.set("compute_val_loss", True, "needs a decision", why)


def _down(move: Move) -> None:
    _bare_weights(move)
    drop_overridden_lr_fields(move)
    if move.is_a("RFDETRLargeConfig") and set(move.value("projector_scale")) - {"P4"}:
        move.cannot("projector_scale", "only has the projector level P4")
    if not move.is_a("TrainConfig"):
        return
    field = "compute_val_loss"
    if move.value(field) == "auto":
        why = (
            f"rfdetr {move.target} has no 'auto'; computing the validation loss always trains the same "
            "('auto' computes it when something watches it)"
        )
        move.set(field, True, "converted", why)
    _eval_base_model_down(move)
    if move.given("eval_batch_size") and move.data["eval_batch_size"] is not None:
        move.drop("eval_batch_size", "lossy", f"rfdetr {move.target} evaluates in batches of batch_size")
    for field, why in (
        ("compact_train_metrics", "logs the auxiliary losses layer by layer (logging only)"),
        ("num_sanity_val_steps", "runs PyTorch Lightning's 2 validation batches before training, whatever this says"),
        ("pack_targets", "carries targets its own way (transport only)"),
    ):
        move.handled(field)
        if move.given(field):
            move.drop(field, "dropped", f"rfdetr {move.target} {why}")


def _eval_base_model_down(move: Move) -> None:
    move.handled("eval_base_model", "eval_ema_only")
    wanted = bool(move.value("use_ema")) and not move.value("eval_base_model")
    if move.given("eval_base_model"):
        why = f"rfdetr {move.target} says it with eval_ema_only (the EMA weights alone, or the base model too)"
        move.drop("eval_base_model", "moved", why)
    if wanted != move.value("eval_ema_only"):
        use_ema = move.value("use_ema")
        why = f"eval_base_model={not wanted!r} with use_ema={use_ema!r}, as rfdetr {move.target} says it"
        move.set("eval_ema_only", wanted, "converted", why)


STEP = Step("1.10.0", up=_up, down=_down)
