"""Between rfdetr 1.8.1 and 1.8.2: the keypoint preview's keypoint classes, and a choice of precision."""

from ..move import Move, Step


def _keypoint_classes(move: Move) -> None:
    """1.8.2 changed the default and, with it, how COCO keypoint categories are mapped: no value is sure."""
    field = "num_keypoints_per_class"
    if not move.is_a("RFDETRKeypointPreviewConfig"):
        return
    why = (
        f"rfdetr 1.8.2 changed how COCO keypoint categories are mapped along with this default, so whether "
        f"{move.value(field)!r} trains as in rfdetr {move.source} depends on the dataset: check it"
    )
    if move.given(field):
        move.flag(field, "needs a decision", why)
    else:
        move.pin(field, move.default(field), why, kind="needs a decision")


def _down(move: Move) -> None:
    _keypoint_classes(move)
    if move.is_a("TrainConfig") and move.given("amp_dtype"):
        value = move.data["amp_dtype"]
        if value == "auto":
            move.drop("amp_dtype", "dropped", "rfdetr 1.8.1 always chooses the precision as 'auto' does")
        else:
            move.cannot("amp_dtype", "chooses the precision itself (bf16 where CUDA supports it, else fp16)")


STEP = Step("1.8.2", up=_keypoint_classes, down=_down)
