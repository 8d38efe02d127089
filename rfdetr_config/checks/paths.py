"""The three ways rfdetr 1.8.1 normalises a path-valued field.

``dataset_dir`` and ``output_dir`` are user-expanded and resolved; ``pretrain_weights`` puts a bare file
name into the model cache directory and resolves anything else; ``resume`` is only made a ``str``
because PyTorch Lightning also takes sentinels such as ``"last"`` there. Defaults are never normalised:
the reference keeps ``"output"`` and ``"rf-detr-base.pth"`` as written until a value is given.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Union

from ..core.coerce import to_str
from ..core.errors import FieldError

__all__ = [
    "PathLikeStr",
    "as_text",
    "in_model_cache",
    "in_model_cache_from_1_10",
    "is_bare_name",
    "model_cache_dir",
    "model_cache_dir_from_1_10",
    "resolved",
]

PathLikeStr = Union[str, os.PathLike[str]]
"""The annotation of every path field: text or an ``os.PathLike``, stored as ``str``."""


# pydantic's tag for the ``Path`` member of rfdetr's ``str | Path``, verbatim.
_PATH_TAG = (
    "lax-or-strict[lax=union[json-or-python[json=function-after[path_validator(), str],python=is-instance[Path]],"
    "function-after[path_validator(), str]],strict=json-or-python[json=function-after[path_validator(), str],"
    "python=is-instance[Path]]]"
)


def _fspath(value: Any) -> str:
    try:
        path = os.fspath(value)
    except TypeError:
        # rfdetr crashes on most such values; None reaches pydantic's ``str | Path`` (for output_dir)
        members = (
            ("str", FieldError("must be a string", value, kind="string_type")),
            (_PATH_TAG, FieldError("must be a path", value, kind="path_type")),
        )
        raise FieldError(
            f"must be a path (str or os.PathLike), got {type(value).__name__}", value, kind="path_type", members=members
        ) from None
    return to_str(path)


def _checked(value: Any, compute: Any) -> str:
    try:
        return str(compute())
    except ValueError as error:
        raise FieldError.rfdetr(str(error), value, "path_value", msg=f"is not a usable path: {error}") from None


def model_cache_dir() -> str:
    """Where rfdetr up to 1.9 keeps downloaded weights: ``$RF_HOME`` (even empty), else ``~/.roboflow/models``."""
    return os.path.abspath(os.path.expanduser(os.environ.get("RF_HOME", "~/.roboflow/models")))


def model_cache_dir_from_1_10() -> str:
    """Where rfdetr 1.10 on keeps them: ``$RF_HOME``, else ``$ROBOFLOW_HOME``, else ``~/.roboflow/models``.

    An empty variable counts as unset (up to 1.9 an empty ``RF_HOME`` meant the working directory).
    """
    chosen = os.environ.get("RF_HOME") or os.environ.get("ROBOFLOW_HOME") or "~/.roboflow/models"
    return os.path.abspath(os.path.expanduser(chosen))


def _also_checked_only(resolve: Callable[[Any], str]) -> Callable[[Any], str]:
    """Give ``resolve`` a ``when_failed`` twin: the same verdict on a value, without the file system work.

    A build that has already failed discards every value it converts, but must still report every
    bad one. Resolving can only fail on a NUL or on text the file system encoding cannot hold, so a
    plain ASCII path without NUL is accepted as it is, and any other goes through ``resolve``.
    """

    def checked_only(value: Any) -> str:
        path = _fspath(value)
        return path if path.isascii() and "\0" not in path else resolve(value)

    resolve.when_failed = checked_only  # type: ignore[attr-defined]
    return resolve


@_also_checked_only
def resolved(value: Any) -> str:
    """User-expand and resolve symlinks, as for ``dataset_dir`` and ``output_dir``."""
    path = _fspath(value)
    return _checked(value, lambda: os.path.realpath(os.path.expanduser(path)))


def is_bare_name(path: str) -> bool:
    """Whether ``path`` is a file name without a directory (after ``~``), which rfdetr looks up in its model cache."""
    return not os.path.dirname(os.path.expanduser(path))


def _in_cache(cache_dir: Callable[[], str]) -> Callable[[Any], str]:
    @_also_checked_only
    def in_cache(value: Any) -> str:
        """A bare file name goes into the model cache; a path with a directory part is resolved."""
        path = _fspath(value)

        def compute() -> str:
            expanded = os.path.expanduser(path)
            if is_bare_name(expanded):
                return os.path.join(cache_dir(), expanded)
            return os.path.realpath(expanded)

        return _checked(value, compute)

    where = (cache_dir.__doc__ or "").strip().splitlines()[0].rstrip(".")
    in_cache.__doc__ = f"A bare file name goes {where[:1].lower() + where[1:]}; a path is resolved."
    return in_cache


in_model_cache = _in_cache(model_cache_dir)
in_model_cache_from_1_10 = _in_cache(model_cache_dir_from_1_10)


def as_text(value: Any) -> str:
    """Only ``os.fspath``: the value is passed on verbatim, so it is not resolved."""
    return _fspath(value)
