"""Between rfdetr 1.8.3 and 1.9.0: the training configuration takes over, names its optimizer and schedule.

Up: the model's ``cls_loss_coef`` and the training copies of model fields go (their meaning stays
where 1.8 read it from), ``lr_drop``/``lr_min_factor`` are also written into ``lr_scheduler_kwargs``
where 1.9 reads them, and ``augmentation_backend="cpu"`` is named as the pipeline 1.8 ran. Down: only
AdamW and the two managed schedules exist, with their settings in the two old fields.
"""

from typing import Any, Dict

from ...checks.optimizers import is_managed_scheduler
from ..move import Move, Step

LR_FIELDS = {"lr_drop": "lr_drop", "lr_min_factor": "min_factor"}
"""The deprecated schedule fields, and their keys in ``lr_scheduler_kwargs``."""

_MODEL_FIELDS = ("group_detr", "ia_bce_loss", "num_select", "segmentation_head")


def _up(move: Move) -> None:
    if move.is_a("ModelConfig"):
        _model_cls_loss_coef(move)
        return
    for field in _MODEL_FIELDS:
        if move.given(field):
            why = f"rfdetr {move.source} ignores it: the model configuration's {field} is the one used"
            move.drop(field, "dropped", why)
    _lr_fields_into_kwargs(move)
    _name_the_pipeline(move)


def _model_cls_loss_coef(move: Move) -> None:
    field = "cls_loss_coef"
    if not move.given(field):
        return
    train = move.partner
    if train is None:
        why = (
            f"from rfdetr 1.9 only the training configuration's cls_loss_coef counts; rfdetr {move.source} used "
            "this one when the training configuration left it out: migrate the two together to keep it"
        )
        move.drop(field, "needs a decision", why)
    elif train.given(field):
        why = f"the training configuration gives cls_loss_coef, the one rfdetr {move.source} uses"
        move.drop(field, "dropped", why)
    else:
        why = (
            f"from the model configuration, whose value rfdetr {move.source} uses when the training "
            "configuration leaves it out"
        )
        train.set(field, move.data[field], "moved", why)
        move.drop(field, "moved", "to the training configuration, the one rfdetr 1.9 reads")


def _lr_fields_into_kwargs(move: Move) -> None:
    kwargs: Dict[str, Any] = {}
    for field, kwarg in LR_FIELDS.items():
        if move.given(field) and move.data[field] != move.default(field):
            kwargs[kwarg] = move.data[field]
    if kwargs:
        why = (
            "where rfdetr 1.9 and later read lr_drop and lr_min_factor; the deprecated fields keep the same "
            "values while they exist (1.9 and 1.10)"
        )
        move.set("lr_scheduler_kwargs", kwargs, "moved", why)


def drop_overridden_lr_fields(move: Move) -> None:
    """Between releases that have both, a schedule field that its kwarg overrides goes: it would only warn."""
    if not move.is_a("TrainConfig") or not is_managed_scheduler(move.value("lr_scheduler")):
        return
    kwargs = move.value("lr_scheduler_kwargs")
    for field, kwarg in LR_FIELDS.items():
        if move.given(field) and kwarg in kwargs and move.data[field] != kwargs[kwarg]:
            why = f"lr_scheduler_kwargs gives {kwarg!r}, which wins over it (rfdetr warns that it is ignored)"
            move.drop(field, "dropped", why)


def _name_the_pipeline(move: Move) -> None:
    field = "augmentation_backend"
    value = move.value(field)
    if value == "cpu":
        why = (
            f"rfdetr {move.source} runs the Albumentations pipeline for 'cpu', while 1.9 picks one by what is "
            "installed; 'albumentations' keeps it, and needs albumentations installed where it trains"
        )
        move.set(field, "albumentations", "needs a decision", why)
    elif value == "auto":
        why = (
            f"'auto' picks a pipeline by what is installed, differently in rfdetr {move.source} and 1.9: "
            "name the pipeline to be sure"
        )
        move.flag(field, "needs a decision", why)


def _down(move: Move) -> None:
    if move.is_a("ModelConfig"):
        return
    _schedule_down(move)
    _optimizer_down(move)
    _pipeline_down(move)
    if move.value("eval_ema_only"):
        why = (
            "always evaluates the base model besides the EMA weights: it cannot evaluate the EMA weights alone "
            "(set eval_base_model=True, or eval_ema_only=False, to evaluate both first)"
        )
        move.cannot("eval_ema_only", why)


def _schedule_down(move: Move) -> None:
    move.handled("lr_scheduler", "lr_scheduler_kwargs")
    schedule = move.value("lr_scheduler")
    if not is_managed_scheduler(schedule):
        move.cannot("lr_scheduler", "only has the schedules 'step' and 'cosine'")
        return
    if schedule != schedule.strip().lower():
        move.set("lr_scheduler", schedule.strip().lower(), "converted", f"rfdetr {move.target} spells it so")
    if not move.given("lr_scheduler_kwargs"):
        return
    kwargs = move.data["lr_scheduler_kwargs"]
    for field, kwarg in LR_FIELDS.items():
        if kwarg in kwargs and move.value(field) != kwargs[kwarg]:
            why = f"from lr_scheduler_kwargs['{kwarg}']: rfdetr {move.target} has only the field"
            move.set(field, kwargs[kwarg], "moved", why)
    why = f"rfdetr {move.target} has no lr_scheduler_kwargs; lr_drop and lr_min_factor say what it held"
    move.drop("lr_scheduler_kwargs", "moved" if kwargs else "dropped", why)


def _optimizer_down(move: Move) -> None:
    move.handled("optimizer")
    optimizer = move.value("optimizer")
    if not (isinstance(optimizer, str) and optimizer.strip().lower() == "adamw"):
        move.cannot("optimizer", "always trains with AdamW")
    elif move.given("optimizer"):
        move.drop("optimizer", "dropped", f"rfdetr {move.target} always trains with AdamW")


def _pipeline_down(move: Move) -> None:
    field = "augmentation_backend"
    move.handled(field)
    value = move.value(field)
    if value == "albumentations":
        move.set(field, "cpu", "converted", f"rfdetr {move.target} runs the Albumentations pipeline for 'cpu'")
    elif value == "kornia":
        move.set(field, "gpu", "converted", f"rfdetr {move.target} runs the Kornia pipeline for 'gpu'")
    elif value == "torchvision":
        move.cannot(field, "has no torchvision pipeline")
    else:
        why = (
            f"rfdetr {move.source} picks a pipeline for {value!r} by what is installed; rfdetr {move.target} "
            "picks another way ('cpu' is always Albumentations there): name the pipeline to be sure"
        )
        move.flag(field, "needs a decision", why)


STEP = Step("1.9.0", up=_up, down=_down)
