"""Rules on the input itself, run before any field is converted, as rfdetr's "before" model validators.

They see the dict as the caller wrote it (a copy: the caller's dict is never changed), may rewrite it,
warn, or refuse it as a whole. They run in the reference's order, which decides the order of the
warnings, and before the unknown-key check, so their warnings come even when that check then fails.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping

from ..core.build import rewrites_a_copy
from ..core.errors import ConfigError, ErrorDetail, warn_at_caller
from .optimizers import desugar, is_managed_scheduler

__all__ = [
    "carry_over_eval_ema_only",
    "desugar_callable_lr_scheduler",
    "desugar_callable_optimizer",
    "fold_deprecated_lr_fields",
    "warn_deprecated_fp16_eval",
]


def desugar_callable_optimizer(cls: type, data: Dict[str, Any]) -> None:
    """A callable ``optimizer`` that can be named again becomes its dotted path and keyword arguments."""
    desugar("optimizer", data)


def desugar_callable_lr_scheduler(cls: type, data: Dict[str, Any]) -> None:
    """A callable ``lr_scheduler`` that can be named again becomes its dotted path and keyword arguments."""
    desugar("lr_scheduler", data)


_LR_FIELD_KWARGS = {"lr_drop": "lr_drop", "lr_min_factor": "min_factor"}


def fold_deprecated_lr_fields(cls: type, data: Dict[str, Any]) -> None:
    """``lr_drop`` and ``lr_min_factor`` given for a managed schedule move into ``lr_scheduler_kwargs``.

    As rfdetr 1.9 and 1.10 do, with a FutureWarning for each, on the values as given (``"50"`` stays
    text inside the kwargs while the field itself becomes 50); a kwarg already set wins over the
    field. For a schedule that is not managed they are ignored, with a warning when not default.
    """
    defaults = {name: cls.__rfdetr_fields__[name].default for name in _LR_FIELD_KWARGS}  # type: ignore[attr-defined]
    if not is_managed_scheduler(data.get("lr_scheduler", "step")):
        for name in _LR_FIELD_KWARGS:
            if name in data and data[name] != defaults[name]:
                warn_at_caller(
                    f"{name} is ignored for the explicit (non-managed) lr_scheduler {data.get('lr_scheduler')!r}; "
                    "it only applies to the managed 'step'/'cosine' presets.",
                    FutureWarning,
                )
        return
    given = data.get("lr_scheduler_kwargs") or {}
    try:
        kwargs = dict(given)
    except TypeError:  # rfdetr crashes here; a ValueError (text) it reports as this one is reported
        raise ConfigError(
            cls.__name__, [ErrorDetail(("lr_scheduler_kwargs",), "must be a mapping", given, "dict_type")]
        ) from None
    for name, kwarg in _LR_FIELD_KWARGS.items():
        if name not in data or data[name] == defaults[name] or kwargs.get(kwarg) == data[name]:
            continue
        if kwarg in kwargs:
            warn_at_caller(
                f"{name}={data[name]!r} is ignored because lr_scheduler_kwargs already sets {kwarg!r}="
                f"{kwargs[kwarg]!r} (the kwarg wins); remove the deprecated {name}.",
                FutureWarning,
            )
            continue
        warn_at_caller(
            f"{name} is deprecated; pass it via lr_scheduler_kwargs={{'{kwarg}': ...}} instead.", FutureWarning
        )
        kwargs[kwarg] = data[name]
    if kwargs:
        data["lr_scheduler_kwargs"] = kwargs


def _copies_the_input(data: Mapping[str, Any]) -> bool:
    """When rfdetr's ``_warn_deprecated_eval_ema_only`` goes on with a copy of the input."""
    return "eval_ema_only" in data and not ("eval_base_model" in data and not data["eval_base_model"])


@rewrites_a_copy(when=_copies_the_input)
def carry_over_eval_ema_only(cls: type, data: Dict[str, Any]) -> None:
    """``eval_ema_only`` (deprecated in rfdetr 1.10) decides ``eval_base_model`` when that is not given.

    As rfdetr does, on the values as given (``"false"`` is a true value here), with a FutureWarning
    whenever ``eval_ema_only`` is given and not None, unless ``eval_base_model`` is given and false.
    """
    if "eval_ema_only" not in data or ("eval_base_model" in data and not data["eval_base_model"]):
        return
    if "eval_base_model" not in data:
        data["eval_base_model"] = not bool(data["eval_ema_only"])
    if data.get("eval_ema_only") is not None:
        warn_at_caller(
            "eval_ema_only is deprecated. New configurations evaluate only the selected model (EMA when "
            "use_ema=True) by default; legacy configurations are migrated from this flag. Set "
            "eval_base_model=True to also evaluate the base model.",
            FutureWarning,
        )


def warn_deprecated_fp16_eval(cls: type, data: Dict[str, Any]) -> None:
    """``fp16_eval`` (deprecated in rfdetr 1.11) has no effect: a true value warns."""
    if data.get("fp16_eval"):
        warn_at_caller(
            "fp16_eval is deprecated and has no effect; evaluation precision follows amp_dtype. Set "
            "amp_dtype='fp16' to evaluate in fp16.",
            FutureWarning,
        )
