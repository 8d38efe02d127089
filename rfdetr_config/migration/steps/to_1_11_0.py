"""Between rfdetr 1.10 and 1.11: multi-scale modes, schedule settings in their kwargs, precision, evaluator.

Up: ``lr_drop``/``lr_min_factor`` live only in ``lr_scheduler_kwargs``; ``multi_scale`` with
``do_random_resize_via_padding`` becomes a :class:`~rfdetr_config.checks.enums.MultiScale` mode; a model's
``amp=False`` becomes ``amp_dtype=None`` (from 1.11 another ``amp_dtype`` overrides it); the evaluator
1.10 used is named. Down: the reverse, where 1.10 has the words for it.
"""

from typing import Any, Dict

from ...checks.optimizers import is_managed_scheduler
from ..move import Move, Step, same
from .to_1_9_0 import LR_FIELDS


def _up(move: Move) -> None:
    if not move.is_a("TrainConfig"):
        return
    _lr_fields_out(move)
    _multi_scale_up(move)
    _precision_up(move)
    why = f"rfdetr {move.source} evaluates with faster_coco_eval (rfdetr says every evaluator gives the same metrics)"
    move.pin("eval_backend", "faster_coco_eval", why)
    if move.given("fp16_eval") and move.data["fp16_eval"]:
        why = "no effect in either release; rfdetr 1.11 warns whenever it is true"
        move.drop("fp16_eval", "dropped", why)


def _lr_fields_out(move: Move) -> None:
    move.handled(*LR_FIELDS)
    managed = is_managed_scheduler(move.value("lr_scheduler"))
    kwargs: Dict[str, Any] = dict(move.value("lr_scheduler_kwargs") or {})
    added = False
    for field, kwarg in LR_FIELDS.items():
        if not move.given(field):
            continue
        value = move.data[field]
        if not managed:
            move.drop(field, "dropped", f"rfdetr {move.source} ignores it for a schedule it does not manage")
        elif kwarg in kwargs and same(kwargs[kwarg], value):
            move.drop(field, "moved", f"already in lr_scheduler_kwargs[{kwarg!r}], where rfdetr 1.11 keeps it")
        elif kwarg in kwargs:
            move.drop(field, "dropped", f"lr_scheduler_kwargs gives another {kwarg!r}, which wins over it")
        elif value == move.default(field):
            move.drop(field, "dropped", f"the default, which rfdetr 1.11 takes for {kwarg!r} too")
        else:
            kwargs[kwarg] = value
            added = True
            move.drop(field, "moved", f"into lr_scheduler_kwargs[{kwarg!r}], where rfdetr 1.11 keeps it")
    if added:
        move.set("lr_scheduler_kwargs", kwargs, "moved", "lr_drop and lr_min_factor live here from rfdetr 1.11")


def _multi_scale_up(move: Move) -> None:
    move.handled("multi_scale", "do_random_resize_via_padding")
    scales, padding = move.value("multi_scale"), move.value("do_random_resize_via_padding")
    mode = "off" if not scales else "per-sample" if padding else "per-batch"
    if move.given("multi_scale") or mode != "per-batch":
        why = f"multi_scale={scales!r} with do_random_resize_via_padding={padding!r}, as rfdetr 1.11 names it"
        move.set("multi_scale", mode, "converted", why)
    if move.given("do_random_resize_via_padding"):
        if mode == "per-sample":
            move.drop("do_random_resize_via_padding", "moved", "into multi_scale='per-sample'")
        else:
            move.drop("do_random_resize_via_padding", "dropped", f"no effect with multi_scale={mode!r}")


def _precision_up(move: Move) -> None:
    move.handled("amp_dtype")
    dtype, model = move.value("amp_dtype"), move.partner
    if model is not None:
        if model.value("amp") is False and dtype is not None:
            why = (
                f"the model's amp=False trains fp32 in rfdetr {move.source}; from 1.11 amp_dtype says it, "
                "and any other value overrides amp"
            )
            move.set("amp_dtype", None, "converted", why)
    elif dtype != "auto":
        why = (
            f"from rfdetr 1.11 amp_dtype={dtype!r} overrides ModelConfig.amp=False, with which rfdetr {move.source} "
            "trains fp32: migrate the two together to keep that"
        )
        move.flag("amp_dtype", "needs a decision", why)


def _down(move: Move) -> None:
    if not move.is_a("TrainConfig"):
        if move.given("cuda_graphs") and move.data["cuda_graphs"]:
            move.drop("cuda_graphs", "lossy", f"rfdetr {move.target} does not capture CUDA graphs")
        return
    _multi_scale_down(move)
    _precision_down(move)
    if move.given("eval_backend"):
        why = (
            f"rfdetr {move.target} evaluates with faster_coco_eval (rfdetr says every evaluator gives the same metrics)"
        )
        move.drop("eval_backend", "dropped", why)
    if move.given("pad_targets_to") and move.data["pad_targets_to"] is not None:
        move.drop("pad_targets_to", "lossy", f"rfdetr {move.target} does not pad targets")
    if move.value("dataset_file") == "webdataset":
        move.cannot("dataset_file", "has no webdataset format")


def _multi_scale_down(move: Move) -> None:
    move.handled("multi_scale")
    mode = move.value("multi_scale")
    if move.given("multi_scale") or mode != "per-batch":
        why = f"multi_scale={mode!r}, as rfdetr {move.target} says it"
        move.set("multi_scale", mode != "off", "converted", why)
    if mode == "per-sample":
        why = f"multi_scale='per-sample', as rfdetr {move.target} says it"
        move.set("do_random_resize_via_padding", True, "moved", why)


def _precision_down(move: Move) -> None:
    move.handled("amp_dtype")
    dtype, model = move.value("amp_dtype"), move.partner
    if dtype == "fp8":
        move.cannot("amp_dtype", "has no fp8 training")
    elif dtype is None:
        if model is None:
            move.cannot("amp_dtype", "trains fp32 only with ModelConfig.amp=False: migrate the two together")
            return
        if model.value("amp") is not False:
            model.set("amp", False, "converted", f"amp_dtype=None, as rfdetr {move.target} says it")
        move.set("amp_dtype", "auto", "converted", f"the model's amp=False says fp32 in rfdetr {move.target}")
    elif dtype != "auto":
        if model is None:
            why = (
                f"rfdetr {move.target} trains fp32 whatever amp_dtype says when ModelConfig.amp=False: "
                "migrate the two together to keep it"
            )
            move.flag("amp_dtype", "needs a decision", why)
        elif model.value("amp") is False:
            why = f"amp_dtype={dtype!r} overrides amp=False in rfdetr {move.source}; {move.target} needs amp=True"
            model.set("amp", True, "converted", why)


STEP = Step("1.11.0", up=_up, down=_down)
