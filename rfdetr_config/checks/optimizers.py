"""Optimizer and learning-rate scheduler choices (rfdetr 1.9.0 on): names, dotted paths or callables.

rfdetr accepts a short name that it manages (an optimizer class of ``torch.optim``, the ``step`` and
``cosine`` schedules), a dotted import path that it imports only when training starts, or a callable.
A callable it can name again (an importable top-level class or function, possibly in a
``functools.partial`` with JSON keyword arguments) is rewritten to its dotted path, so that the saved
configuration can be restored; any other callable is kept as it is, with a warning.

Which optimizer names exist depends on the installed torch. Without importing it, the names are those of
torch 2.13; when the program has already imported torch, torch itself is asked, as rfdetr does.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Dict, FrozenSet, Optional, Tuple

from ..core.coerce import to_str
from ..core.errors import FieldError, warn_at_caller

__all__ = [
    "MANAGED_OPTIMIZER_KWARGS",
    "MANAGED_SCHEDULERS",
    "MANAGED_SCHEDULER_KWARGS",
    "TORCH_OPTIMIZERS",
    "desugar",
    "is_managed_optimizer",
    "is_managed_scheduler",
    "lr_scheduler_choice",
    "optimizer_choice",
    "optimizer_names",
]

TORCH_OPTIMIZERS: FrozenSet[str] = frozenset(
    {
        "ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "Muon", "NAdam",
        "Optimizer", "RAdam", "RMSprop", "Rprop", "SGD", "SparseAdam",
    }
)  # fmt: skip
"""The ``torch.optim`` optimizer classes of torch 2.13 (the abstract ``Optimizer`` included, as rfdetr accepts it)."""

MANAGED_SCHEDULERS: FrozenSet[str] = frozenset({"step", "cosine"})
MANAGED_OPTIMIZER_KWARGS: FrozenSet[str] = frozenset({"params", "lr", "weight_decay", "fused"})
MANAGED_SCHEDULER_KWARGS: FrozenSet[str] = frozenset({"min_factor", "lr_drop"})


def optimizer_names() -> FrozenSet[str]:
    """The optimizer short names, lower-cased: the loaded torch's when torch is loaded, else torch 2.13's."""
    torch = sys.modules.get("torch")
    optim = getattr(torch, "optim", None)
    base = getattr(optim, "Optimizer", None)
    if not isinstance(base, type):
        return _LOWER_TORCH_OPTIMIZERS
    return frozenset(
        name.lower() for name in dir(optim) if isinstance(c := getattr(optim, name), type) and issubclass(c, base)
    )


_LOWER_TORCH_OPTIMIZERS = frozenset(name.lower() for name in TORCH_OPTIMIZERS)


def is_managed_optimizer(value: Any) -> bool:
    """A bare name (no dot): rfdetr builds the optimizer and sets its learning rate and weight decay."""
    return isinstance(value, str) and "." not in value


def is_managed_scheduler(value: Any) -> bool:
    """One of rfdetr's own schedules, in any case and with surrounding spaces."""
    return isinstance(value, str) and value.strip().lower() in MANAGED_SCHEDULERS


def _str_or_callable(value: Any, what: str) -> Any:
    """Pydantic's ``str | Callable`` union: text (lax, as for any ``str`` field) or any callable kept as it is."""
    if type(value) is str or callable(value):
        return value
    try:
        return to_str(value)
    except FieldError as error:
        members = (("str", error), ("callable", FieldError("must be callable", value, kind="callable_type")))
        raise FieldError(f"must be a string or a callable {what}", value, kind="union_error", members=members) from None


def optimizer_choice(value: Any) -> Any:
    """A stripped optimizer name or dotted path, or a callable; a bare name must be a torch optimizer."""
    value = _str_or_callable(value, "optimizer")
    if not isinstance(value, str):
        return value
    name = value.strip()
    if not name:
        raise FieldError.rfdetr("optimizer must be a non-empty string.", value)
    if "." not in name and name.lower() not in optimizer_names():
        raise FieldError.rfdetr(
            f"Unknown native optimizer {name!r}. Short names must name a torch.optim optimizer (e.g. 'adamw', "
            "'sgd', 'adam'); use a full dotted import path or a callable for anything else.",
            value,
        )
    return name


def lr_scheduler_choice(value: Any) -> Any:
    """A stripped schedule name or dotted path, or a callable; a bare name must be ``step`` or ``cosine``."""
    value = _str_or_callable(value, "scheduler")
    if not isinstance(value, str):
        return value
    name = value.strip()
    if not name:
        raise FieldError.rfdetr("lr_scheduler must be a non-empty string.", value)
    if "." not in name and not is_managed_scheduler(name):
        raise FieldError.rfdetr(
            f"Unknown lr_scheduler {value!r}. Bare names must be a managed preset (cosine, step); use a full "
            "dotted import path (e.g. 'torch.optim.lr_scheduler.StepLR') or a callable for anything else.",
            value,
        )
    return name


def _reconstructable(target: Any, what: str) -> Tuple[Optional[str], Optional[Dict[str, Any]], Optional[str]]:
    """``(dotted path, keyword arguments, None)`` for a callable that can be named again, else ``(None, None, why)``."""
    func = target
    keywords: Dict[str, Any] = {}
    if isinstance(target, functools.partial):
        if target.args:
            return None, None, "pass every functools.partial argument as a keyword, not positionally"
        func = target.func
        keywords = dict(target.keywords or {})
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if module is None or qualname is None or "<" in qualname:
        reason = f"define the {what} as an importable top-level class or function (no lambda or nested definition)"
        return None, None, reason
    try:
        json.dumps(keywords)
    except (TypeError, ValueError):
        return (
            None,
            None,
            ("use only JSON-serializable functools.partial keyword arguments (no tensors, modules, or callables)"),
        )
    return f"{module}.{qualname}", keywords, None


def desugar(field: str, data: Dict[str, Any]) -> None:
    """Rewrite a callable ``data[field]`` as rfdetr does (see the module docstring), warning where it cannot."""
    target = data.get(field)
    if target is None or isinstance(target, str) or not callable(target):
        return
    kwargs_field = f"{field}_kwargs"
    if data.get(kwargs_field):
        warn_at_caller(
            f"{kwargs_field} is ignored when {field} is a callable; bake arguments into the callable (for "
            "example with functools.partial) instead.",
            UserWarning,
        )
    path, keywords, reason = _reconstructable(target, field)
    if reason is None:
        data[field], data[kwargs_field] = path, keywords
        return
    data[kwargs_field] = {}
    label = getattr(target, "__qualname__", None) or repr(target)
    warn_at_caller(
        f"{field} callable {label!r} cannot be saved to training_config.json and restored: {reason}. Training "
        "proceeds with the in-memory callable; only saved-config reproducibility is affected.",
        UserWarning,
    )
