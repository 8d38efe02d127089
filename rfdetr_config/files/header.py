"""The header: the one place that knows which keys say what a file is.

A file holds one mapping: the header, which says what the file is (the class, and the rfdetr release
whose classes it holds), then the fields. Every header key is listed in :data:`HEADER`, and
:func:`header_of` says what a writer puts under each, so a new one is declared once for the readers,
the writers and the JSON Schema.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple, Type

from ..core.build import BaseConfig, suggest
from ..core.dicts import CLASS_KEY, RELEASE_KEY
from ..core.errors import ErrorDetail, FileError, FileProblem
from ..releases import MODULES, RELEASES, TOP, for_release
from .json_form import kind_of

__all__ = [
    "CLASS_KEY",
    "HEADER",
    "RELEASE_KEY",
    "class_for",
    "header_of",
    "release_classes",
    "release_of",
    "split_header",
]

HEADER: Dict[str, str] = {
    CLASS_KEY: "The configuration class this file holds, by its name in rfdetr (for example TrainConfig).",
    RELEASE_KEY: (
        "The rfdetr release whose classes the file holds (for example 1.11.2); written as the first of the "
        "releases that share those classes."
    ),
}
"""Every header key a file may carry, in the order :func:`dump` writes them, with what it means."""


def header_of(cls: Type[BaseConfig]) -> Dict[str, str]:
    """What :func:`dump` writes before the fields of a ``cls``: one value for each key of :data:`HEADER`."""
    return {CLASS_KEY: cls.__name__, RELEASE_KEY: release_of(cls)}


def release_of(cls: Type[BaseConfig]) -> str:
    """The first rfdetr release whose classes ``cls`` is one of."""
    return str(cls.__rfdetr_release__)  # type: ignore[attr-defined]


def split_header(data: Any, source: str) -> Tuple[Dict[str, str], Dict[str, Any]]:
    """The header keys of a file's mapping, and the rest of it (the fields).

    Raises:
        ConfigError: The content is not a mapping, or a header value is not text.
    """
    if not isinstance(data, Mapping):
        problem = FileProblem(f"must be a mapping of field names to values, not {kind_of(data)}", "dict_type")
        raise FileError(source, [problem])
    header: Dict[str, str] = {}
    problems: List[ErrorDetail] = []
    for key in HEADER:
        if key in data:
            value = data[key]
            if isinstance(value, str):
                header[key] = value
            else:
                problems.append(ErrorDetail((key,), "must be text", value, "header_type"))
    if problems:
        raise FileError(source, problems)
    if not header:
        return header, dict(data)
    return header, {key: value for key, value in data.items() if key not in HEADER}


def class_for(
    header: Mapping[str, str],
    cls: Optional[Type[BaseConfig]],
    source: str,
    classes: Optional[Mapping[str, Type[BaseConfig]]] = None,
    release: Optional[str] = None,
) -> Type[BaseConfig]:
    """The class a file is built as: the caller's, which the header must agree with, or the header's.

    Args:
        header: The file's header (:func:`split_header`).
        cls: The class the caller names, if any.
        source: The file, for errors.
        classes: The classes a header may name, by name; by default those of the release chosen.
        release: The rfdetr release the caller asks for, if any; the header's may only name the same
            classes. Without either, the release of ``rfdetr_config`` itself.

    Raises:
        ConfigError: The header names another class or release than the caller's, an unknown class or
            release, or no class when ``cls`` is not given.
    """
    named = header.get(CLASS_KEY)
    chosen_release = _chosen_release(header.get(RELEASE_KEY), release, cls, source)
    if cls is not None:
        if named is None or named == cls.__name__:
            return cls
        problem = ErrorDetail(
            (CLASS_KEY,), f"the file holds another class than the {cls.__name__} asked for", named, "class_mismatch"
        )
        raise FileError(source, [problem])
    if named is None:
        problem = FileProblem(
            "is required when no class is given: name the class in the file", "class_missing", loc=(CLASS_KEY,)
        )
        raise FileError(source, [problem])
    choices = release_classes(chosen_release) if classes is None else classes
    if named in choices:
        return choices[named]
    hint = suggest(named, choices)
    if hint is not None:
        msg = f"unknown configuration class; did you mean {hint!r}?"
    elif classes is not None:
        msg = f"must be one of {', '.join(choices)}"
    else:
        msg = "unknown configuration class"
    raise FileError(source, [ErrorDetail((CLASS_KEY,), msg, named, "unknown_class")])


def _chosen_release(
    named: Optional[str], asked: Optional[str], cls: Optional[Type[BaseConfig]], source: str
) -> Optional[str]:
    """The release whose classes a file is read with: the caller's (or its class's), else the file's."""
    if named is not None and named not in MODULES:
        msg = f"unsupported rfdetr release; supported releases: {', '.join(RELEASES)}"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "unknown_release")])
    wanted = release_of(cls) if cls is not None else asked
    if named is not None and wanted is not None and MODULES[named] != MODULES[wanted]:
        whose = f"{cls.__name__} is rfdetr {wanted}'s" if cls is not None else f"rfdetr {wanted} was asked for"
        msg = f"the file is for another rfdetr release: {whose} (see rfdetr_config.changes for what differs)"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "release_mismatch")])
    return wanted or named


def release_classes(release: Optional[str]) -> Dict[str, Type[BaseConfig]]:
    """The classes of ``release`` (the package's own by default), by name; built only when a header names one."""
    module = for_release(release or TOP)
    return {name: getattr(module, name) for name in module.DECLARED.class_names}
