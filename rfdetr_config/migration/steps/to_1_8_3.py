"""Between rfdetr 1.8.2 and 1.8.3: segmentation's classification loss weight and the keypoint NLL weight.

Both are defaults that changed, which the engine pins by itself, but for one case: up to 1.8.3 a
model configuration that gives ``cls_loss_coef`` decides it when the training configuration leaves it
out, so a pair keeps the model's value instead.
"""

from ..move import Move, Step


def _cls_loss_coef(move: Move) -> None:
    field = "cls_loss_coef"
    if not move.is_a("SegmentationTrainConfig") or move.given(field):
        return
    move.handled(field)
    model = move.partner
    if model is not None and model.given(field):
        why = (
            f"the model configuration's cls_loss_coef, which rfdetr {move.source} uses when the training "
            "configuration leaves it out"
        )
        move.pin(field, model.data[field], why, kind="moved")
        return
    why = (
        f"the default changed in rfdetr 1.8.3; {move.default(field)!r} is what rfdetr {move.source} used, "
        "unless the model configuration gave one (migrate the two together to keep that)"
    )
    move.pin(field, move.default(field), why)


STEP = Step("1.8.3", up=_cls_loss_coef, down=_cls_loss_coef)
