"""The reference's rules across fields: derived values and warnings, run after every field is valid.

Each rule reads and may change a :class:`~rfdetr_config.core.build.Draft`. They run in the reference's
order, base-class rules first; a rule that assigns a field makes the others run again, because that
is what the reference's validated assignment does (which is why some warnings come twice there).
Warning texts and categories are rfdetr 1.8.1's.
"""

from __future__ import annotations

import functools
import operator
from typing import Any, Callable, Dict, List, Tuple

from ..core.build import Draft
from ..core.errors import FieldError, PretrainWeightsCompatibilityWarning
from ..core.fields import REQUIRED
from .optimizers import MANAGED_OPTIMIZER_KWARGS, MANAGED_SCHEDULER_KWARGS, is_managed_optimizer, is_managed_scheduler

__all__ = [
    "check_eval_base_model",
    "check_eval_ema_only",
    "check_fp8_batch_size",
    "check_lr_scheduler_kwargs",
    "check_optimizer_kwargs",
    "check_val_loss_monitor",
    "reduces_on_unwatched_val_loss",
    "sync_positional_encoding",
    "warn_deprecated_model_fields",
    "warn_deprecated_train_fields",
    "warn_keypoint_flip_pairs",
    "warn_pretrain_compatibility",
]

# Overriding any of these to another value keeps the variant's published weights from loading.
_ARCHITECTURE_FIELDS = (
    "encoder", "hidden_dim", "dec_layers", "num_windows", "sa_nheads", "ca_nheads", "dec_n_points",
    "out_feature_indexes", "projector_scale", "bbox_reparam", "lite_refpoint_refine", "layer_norm",
    "two_stage", "patch_size", "segmentation_head", "num_channels",
)  # fmt: skip
# Only a larger value breaks loading: it adds slots of another shape; fewer is fine.
_GROWTH_FIELDS = ("num_queries", "group_detr")


def _deprecation(owner: str, name: str, target: str) -> str:
    return f"{owner}.{name} is deprecated since v1.7.0 and will be removed in v1.9.0. Set {name} on {target} instead."


_MODEL_DEPRECATED = {"cls_loss_coef": _deprecation("ModelConfig", "cls_loss_coef", "TrainConfig")}
_TRAIN_DEPRECATED = {
    name: _deprecation("TrainConfig", name, "ModelConfig")
    for name in ("group_detr", "ia_bce_loss", "segmentation_head", "num_select")
}


def warn_deprecated_model_fields(draft: Draft) -> None:
    """``cls_loss_coef`` belongs to the training configuration now."""
    _warn_given(draft, _MODEL_DEPRECATED)


def warn_deprecated_train_fields(draft: Draft) -> None:
    """Architecture fields that the model configuration owns now."""
    _warn_given(draft, _TRAIN_DEPRECATED)


def _warn_given(draft: Draft, messages: Dict[str, str]) -> None:
    for name, message in messages.items():
        if name in draft.given:
            draft.warn(message, DeprecationWarning)


def sync_positional_encoding(draft: Draft) -> None:
    """An explicit ``resolution`` re-derives ``positional_encoding_size`` as ``resolution // patch_size``.

    Only for classes whose default encoding size is itself that formula of their defaults (a
    class tuned to pretrained weights, like RFDETRBaseConfig with 37 at 560/14, keeps its value),
    and only when the caller did not set the encoding size too.
    """
    if "resolution" not in draft.given or "positional_encoding_size" in draft.given:
        return
    if not _derives_encoding(draft.cls):
        return
    patch_size = draft.get("patch_size")
    if patch_size == 0:
        error = FieldError(
            "must not be 0 when resolution is given: positional_encoding_size is resolution // patch_size",
            patch_size,
            kind="zero_division",
        )
        draft.fail("patch_size", error)
        return
    draft.assign("positional_encoding_size", draft.get("resolution") // patch_size)


@functools.cache
def _derives_encoding(cls: type) -> bool:
    defaults = [cls.__rfdetr_fields__[n].default for n in ("resolution", "positional_encoding_size", "patch_size")]  # type: ignore[attr-defined]
    resolution, encoding, patch = defaults
    return all(isinstance(d, int) for d in defaults) and encoding == resolution // patch


class _Weights:
    """What the weights rule needs to know about a class, worked out once per class.

    Attributes:
        published: The variant's published weights file (its ``pretrain_weights`` default), or None.
        from_scratch: The warning for ``pretrain_weights=None``.
        watched: The fields whose override breaks those weights: (name, default, only growth counts).
        locate: Where the release puts a weights file name (its model cache changed in rfdetr 1.10).
    """

    def __init__(self, cls: type) -> None:
        plans = cls.__rfdetr_fields__  # type: ignore[attr-defined]
        self.locate = plans["pretrain_weights"].convert  # the release's own model cache
        published = plans["pretrain_weights"].default
        self.published = None if published is REQUIRED else published
        self.from_scratch = (
            f"{cls.__name__} was instantiated with pretrain_weights=None. The model will be initialised from "
            f"scratch, which typically produces lower accuracy than fine-tuning from the published checkpoint "
            f"({published!r})."
        )
        differs = [(n, plans[n].default, False) for n in _ARCHITECTURE_FIELDS if plans[n].default is not REQUIRED]
        grows = [(n, plans[n].default, True) for n in _GROWTH_FIELDS if isinstance(plans[n].default, int)]
        self.watched: Tuple[Tuple[str, Any, bool], ...] = tuple(differs + grows)
        self.current = operator.attrgetter(*(n for n, _, _ in self.watched))
        self.defaults = tuple(d for _, d, _ in self.watched)


@functools.cache
def _weights(cls: type) -> _Weights:
    return _Weights(cls)


def _overrides(draft: Draft, weights: _Weights) -> List[Tuple[str, Any, Any]]:
    found = []
    given, instance = draft.given, draft.instance
    if weights.current(instance) != weights.defaults:  # all equal: the usual case, one comparison
        for name, default, growth_only in weights.watched:
            if name in given:
                current = getattr(instance, name)
                if (isinstance(current, int) and current > default) if growth_only else current != default:
                    found.append((name, current, default))
    if "mask_downsample_ratio" in given and draft.get("segmentation_head"):
        default, current = draft.default("mask_downsample_ratio"), draft.get("mask_downsample_ratio")
        if default is not REQUIRED and current != default:
            found.append(("mask_downsample_ratio", current, default))
    return found


def warn_pretrain_compatibility(draft: Draft) -> None:
    """Warn when the configuration cannot load its variant's published weights.

    Three cases, as in the reference: ``pretrain_weights=None`` given for a variant that has
    weights (training from scratch); a custom weights path (nothing can be known at this point, so
    nothing is said); the variant's own weights, by default or by name, with architecture overrides
    (one warning listing every override).
    """
    weights = _weights(draft.cls)
    published = weights.published
    if published is None:
        return
    if "pretrain_weights" in draft.given:
        current = draft.get("pretrain_weights")
        if current is None:
            draft.warn(weights.from_scratch, PretrainWeightsCompatibilityWarning)
            return
        raw = draft.raw.get("pretrain_weights")
        same_as_published = type(raw) is str and raw == published  # then converted alike, just now
        if not same_as_published and current != weights.locate(published):
            return
    overrides = _overrides(draft, weights)
    if overrides:
        lines = "\n".join(f"  {n}: {current!r} (variant default: {default!r})" for n, current, default in overrides)
        draft.warn(
            f"{draft.cls.__name__} was instantiated with overrides that differ from the variant defaults in ways "
            f"that prevent the published pretrained weights ({published!r}) from loading correctly:\n{lines}\n"
            "Loading the checkpoint with this configuration will leave significant portions of the model "
            "randomly initialised, which typically produces lower accuracy. To suppress this warning: revert "
            "the override(s), pick a variant whose defaults match, or pass pretrain_weights=None to acknowledge "
            "that you intend to train from scratch.",
            PretrainWeightsCompatibilityWarning,
        )


def warn_keypoint_flip_pairs(draft: Draft) -> None:
    """Flip pairs are accepted but not used yet by rfdetr 1.8.1."""
    if draft.get("keypoint_flip_pairs"):
        draft.warn(
            "keypoint_flip_pairs is accepted but not yet implemented and will be ignored. Flip pair swapping "
            "(swapping left/right joint indices after a horizontal flip) is planned for a future release. "
            "Training will proceed without semantic joint swapping.",
            UserWarning,
        )


def check_eval_ema_only(draft: Draft) -> None:
    """Evaluating the EMA weights alone needs EMA weights."""
    if draft.get("eval_ema_only") and not draft.get("use_ema"):
        draft.fail_whole("eval_ema_only=True requires use_ema=True.")


def check_optimizer_kwargs(draft: Draft) -> None:
    """For an optimizer it builds, rfdetr sets the parameters, learning rate, weight decay and fusing itself."""
    if is_managed_optimizer(draft.get("optimizer")):
        reserved = MANAGED_OPTIMIZER_KWARGS.intersection(draft.get("optimizer_kwargs"))
        if reserved:
            draft.fail_whole(f"optimizer_kwargs cannot include RF-DETR-managed key(s): {', '.join(sorted(reserved))}.")


def check_lr_scheduler_kwargs(draft: Draft) -> None:
    """Managed schedules take only ``lr_drop`` and ``min_factor`` as keyword arguments."""
    schedule = draft.get("lr_scheduler")
    if is_managed_scheduler(schedule):
        unknown = set(draft.get("lr_scheduler_kwargs")) - MANAGED_SCHEDULER_KWARGS
        if unknown:
            draft.fail_whole(
                f"lr_scheduler_kwargs for a managed preset ({schedule!r}) accepts only "
                f"{{{', '.join(sorted(MANAGED_SCHEDULER_KWARGS))}}}; unknown key(s): {', '.join(sorted(unknown))}."
            )


def check_eval_base_model(draft: Draft) -> None:
    """Evaluating the EMA weights alone contradicts also evaluating the base model."""
    if draft.get("eval_ema_only") and draft.get("eval_base_model"):
        draft.fail_whole(
            "eval_ema_only=True contradicts eval_base_model=True. Drop the deprecated eval_ema_only: evaluating "
            "only the selected model is now the default."
        )


def reduces_on_unwatched_val_loss(get: Callable[[str], Any]) -> bool:
    """Whether ``ReduceLROnPlateau`` watches the validation loss while it is not computed (``get`` reads a field)."""
    return (
        get("compute_val_loss") is False
        and get("lr_scheduler") == "torch.optim.lr_scheduler.ReduceLROnPlateau"
        and get("lr_scheduler_monitor") == "val/loss"
    )


def check_val_loss_monitor(draft: Draft) -> None:
    """``ReduceLROnPlateau`` watching the validation loss needs the validation loss computed."""
    if reduces_on_unwatched_val_loss(draft.get):
        draft.fail_whole(
            "compute_val_loss=False requires a non-val/loss monitor when lr_scheduler is ReduceLROnPlateau. "
            "Set compute_val_loss=True or 'auto'."
        )


def check_fp8_batch_size(draft: Draft) -> None:
    """FP8 training needs a batch size given: the automatic probe does not know Transformer Engine layers."""
    if draft.get("amp_dtype") == "fp8" and draft.get("batch_size") == "auto":
        draft.fail_whole(
            "FP8 training requires an explicit integer batch_size: automatic batch sizing does not probe "
            "Transformer Engine layers. Choose batch_size manually or use amp_dtype='bf16'/'fp16'."
        )
