"""Between rfdetr 1.11.0 and 1.11.1: no negative clipping norm; "auto" precision wants native bf16."""

from ..move import Move, Step


def _auto_precision(move: Move) -> None:
    if not move.is_a("TrainConfig") or move.value("amp_dtype") != "auto":
        return
    model = move.partner
    if model is not None and model.value("amp") is False:
        return
    why = (
        "on CUDA GPUs without native bf16 (T4, V100) 'auto' trains fp16 from rfdetr 1.11.1 and bf16 (emulated) "
        "before it: set amp_dtype to 'bf16' or 'fp16' if it trains on such GPUs"
    )
    move.flag("amp_dtype", "needs a decision", why)


def _up(move: Move) -> None:
    _auto_precision(move)
    if move.is_a("TrainConfig") and move.given("clip_max_norm") and not move.data["clip_max_norm"] >= 0:
        norm = move.data["clip_max_norm"]
        why = f"rfdetr 1.11.1 refuses a norm of {norm!r}; rfdetr {move.source} trains it unclipped, as 0.0 says"
        move.set("clip_max_norm", 0.0, "converted", why)


STEP = Step("1.11.1", up=_up, down=_auto_precision)
