"""Callables given as ``optimizer`` / ``lr_scheduler`` in the conformance vectors (rfdetr 1.9 on).

rfdetr rewrites a callable it can rebuild (an importable top-level class or function, optionally in a
``functools.partial`` with JSON keyword arguments only) to the dotted path
``f"{__module__}.{__qualname__}"`` and keeps any other callable as the object itself, with a warning.
These stand-ins cover each case without torch. The recorder imports this module as
``tests.conformance.callables`` (the repository root on ``sys.path``), as the replay does, so
``__module__`` and therefore every rewritten path is the same in both. A value is named in the
vectors by its attribute name here (``{"$c": "make_optimizer"}``); keep the names stable.
"""

from __future__ import annotations

import functools
from typing import Any


def make_optimizer(params: Any = None, lr: float = 0.001, **kwargs: Any) -> Any:
    """A top-level function: rebuilt as ``tests.conformance.callables.make_optimizer``."""
    return None


def make_scheduler(optimizer: Any = None, **kwargs: Any) -> Any:
    """A top-level function for ``lr_scheduler``."""
    return None


class TopLevelOptimizer:
    """A top-level class: rebuilt as ``tests.conformance.callables.TopLevelOptimizer``."""

    def __init__(self, params: Any = None, **kwargs: Any) -> None:
        self.params = params


class TopLevelScheduler:
    """A top-level class for ``lr_scheduler``."""

    def __init__(self, optimizer: Any = None, **kwargs: Any) -> None:
        self.optimizer = optimizer


class ReduceLROnPlateau:
    """Named like torch's plateau scheduler, but its dotted path is this module's."""

    def __init__(self, optimizer: Any = None, **kwargs: Any) -> None:
        self.optimizer = optimizer


class TorchStylePlateau:
    """Poses as torch's plateau scheduler (module and qualified name), so it is rebuilt as
    ``torch.optim.lr_scheduler.ReduceLROnPlateau``: the path rfdetr's validation-loss rule looks for."""

    def __init__(self, optimizer: Any = None, **kwargs: Any) -> None:
        self.optimizer = optimizer


TorchStylePlateau.__module__ = "torch.optim.lr_scheduler"
TorchStylePlateau.__qualname__ = "ReduceLROnPlateau"


class TorchStyleSGD:
    """Poses as torch's SGD as torch defines it: rebuilt as ``torch.optim.sgd.SGD``."""

    def __init__(self, params: Any = None, **kwargs: Any) -> None:
        self.params = params


TorchStyleSGD.__module__ = "torch.optim.sgd"
TorchStyleSGD.__qualname__ = "SGD"


class Outer:
    """Holds a nested class and methods: qualified names with a dot but no ``<``."""

    class Inner:
        """``Outer.Inner``: rebuilt as ``tests.conformance.callables.Outer.Inner``."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.args = args

    @staticmethod
    def build(*args: Any, **kwargs: Any) -> Any:
        """A static method: ``Outer.build``."""
        return None

    def method(self, *args: Any, **kwargs: Any) -> Any:
        """A method, bound below: ``Outer.method``."""
        return None


class CallableInstance:
    """An instance with ``__call__``: it has no ``__qualname__`` of its own, so it is kept as the object."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return None

    def __repr__(self) -> str:
        return "CallableInstance()"


class CallableInstanceDefaultRepr:
    """The same, with the default repr (an address, masked when texts are compared)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return None


def _factory() -> Any:
    def nested_optimizer(params: Any = None, **kwargs: Any) -> Any:
        return None

    return nested_optimizer


def _no_module(params: Any = None, **kwargs: Any) -> Any:
    return None


_no_module.__module__ = None  # type: ignore[assignment]

lambda_optimizer = lambda params=None, **kwargs: None  # noqa: E731
nested_optimizer = _factory()
no_module_function = _no_module
nested_class = Outer.Inner
static_method = Outer.build
bound_method = Outer().method
callable_instance = CallableInstance()
callable_instance_default_repr = CallableInstanceDefaultRepr()
builtin_function = max

# functools.partial: rebuilt only with keyword arguments that JSON can write.
partial_no_arguments = functools.partial(TopLevelOptimizer)
partial_json_keywords = functools.partial(TopLevelOptimizer, lr=0.01, betas=[0.9, 0.99], name="x", flag=True, none=None)
partial_function_keywords = functools.partial(make_optimizer, momentum=0.9)
partial_scheduler_keywords = functools.partial(TopLevelScheduler, step_size=3, gamma=0.5)
partial_preset_keywords = functools.partial(TopLevelScheduler, lr_drop=5, min_factor=0.1)
partial_managed_keywords = functools.partial(TopLevelOptimizer, lr=0.1, weight_decay=0.0, params=None, fused=True)
partial_nan_keyword = functools.partial(TopLevelOptimizer, lr=float("nan"))  # JSON writes NaN by default
partial_tuple_keyword = functools.partial(TopLevelOptimizer, betas=(0.9, 0.99))
partial_nested_dict_keyword = functools.partial(TopLevelOptimizer, groups={"a": [1, 2], "b": {"c": None}})
partial_of_partial = functools.partial(partial_json_keywords, eps=1e-8)  # functools flattens it
partial_plateau = functools.partial(ReduceLROnPlateau, patience=3)
partial_torch_style_plateau = functools.partial(TorchStylePlateau, patience=2)
partial_positional = functools.partial(TopLevelOptimizer, 0.5)
partial_positional_and_keywords = functools.partial(TopLevelOptimizer, 0.5, lr=0.1)
partial_set_keyword = functools.partial(TopLevelOptimizer, lr={1, 2})
partial_class_keyword = functools.partial(TopLevelOptimizer, hook=TopLevelScheduler)
partial_bytes_keyword = functools.partial(TopLevelOptimizer, tag=b"x")
partial_of_lambda = functools.partial(lambda_optimizer, lr=0.1)
partial_of_nested = functools.partial(nested_optimizer, lr=0.1)
partial_of_builtin = functools.partial(max, default=0)
