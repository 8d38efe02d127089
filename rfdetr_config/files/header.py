"""The header: the one place that knows which keys say what a file is.

A file holds one mapping: the header, which says what the file is (the class, and the rfdetr release
whose classes it holds), then the fields. Every header key is listed in :data:`HEADER`, and
:func:`header_of` says what a writer puts under each, so a new one is declared once for the readers,
the writers and the JSON Schema.
"""

from __future__ import annotations

import weakref
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type

from ..core.build import BaseConfig, suggest
from ..core.dicts import CLASS_KEY, RELEASE_KEY
from ..core.errors import ErrorDetail, FileError, FileProblem
from ..releases import MODULES, RELEASES, TOP, for_release, group_of, release_hint
from .json_form import kind_of

__all__ = [
    "CLASS_KEY",
    "HEADER",
    "RELEASE_KEY",
    "class_for",
    "header_of",
    "release_classes",
    "release_of",
    "release_read_as",
    "remember_release",
    "split_header",
]

HEADER: Dict[str, str] = {
    CLASS_KEY: "The configuration class this file holds, by its name in rfdetr (for example TrainConfig).",
    RELEASE_KEY: (
        "The rfdetr release whose classes the file holds (for example 1.11.2): the release the file was written for."
    ),
}
"""Every header key a file may carry, in the order :func:`dump` writes them, with what it means."""


def header_of(cls: Type[BaseConfig], release: Optional[str] = None) -> Dict[str, str]:
    """What :func:`dump` writes before the fields of a ``cls``: one value for each key of :data:`HEADER`.

    ``release`` is the release to name (see :func:`release_of`).
    """
    return {CLASS_KEY: cls.__name__, RELEASE_KEY: release_of(cls, release)}


def release_of(cls: Type[BaseConfig], release: Optional[str] = None) -> str:
    """The rfdetr release a file of a ``cls`` names: ``release`` if given, else ``cls``'s default release.

    Releases whose configuration modules behave alike share their classes, so a class alone does not
    say which of them it was taken for. Without ``release``, a class of the package's own release
    (:data:`~rfdetr_config.releases.TOP`) names it, and a class of any other group the newest release
    of its group: ``for_release("1.9.3").TrainConfig`` alone is written as rfdetr 1.9.4's. Whoever knows
    the release (a file's header, a ``--release``, a :func:`~rfdetr_config.for_release`) passes it.

    Raises:
        ValueError: ``release`` is not a supported release, or not one whose classes ``cls`` is one of.
    """
    first = str(cls.__rfdetr_release__)  # type: ignore[attr-defined]
    group = group_of(first)
    if release is None:
        return TOP if TOP in group.releases else group.releases[-1]
    if group_of(release) is not group:
        raise ValueError(
            f"{cls.__name__} is a class of rfdetr {_span(group.releases)}, not of rfdetr {release}; "
            f"take rfdetr_config.for_release({release!r}).{cls.__name__}"
        )
    return release


_READ_AS: Dict[int, str] = {}
"""The release each config read from a file was read as, by ``id``, while the config lives."""


def remember_release(config: BaseConfig, release: str) -> None:
    """Note that ``config`` was read as rfdetr ``release``'s, so that writing it names that release again."""
    key = id(config)
    _READ_AS[key] = release
    weakref.finalize(config, _READ_AS.pop, key, None)


def release_read_as(config: BaseConfig) -> Optional[str]:
    """The release :func:`remember_release` noted for ``config``, if any."""
    return _READ_AS.get(id(config))


def _span(releases: Tuple[str, ...]) -> str:
    return releases[0] if len(releases) == 1 else f"{releases[0]} to {releases[-1]}"


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
            elif key == RELEASE_KEY and isinstance(value, (int, float)) and not isinstance(value, bool):
                msg = 'must be text: write it in quotes ("1.10"); unquoted, YAML and TOML read a number'
                problems.append(ErrorDetail((key,), msg, value, "header_type"))
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
        hint = release_hint(named)
        msg = f"unsupported rfdetr release; {hint or 'supported releases: ' + ', '.join(RELEASES)}"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "unknown_release")])
    wanted = release_of(cls) if cls is not None else asked
    if named is not None and wanted is not None and MODULES[named] != MODULES[wanted]:
        whose = f"{cls.__name__} is rfdetr {wanted}'s" if cls is not None else f"rfdetr {wanted} was asked for"
        said = f"rfdetr_config.changes({named!r}, {wanted!r}) says what differs"
        msg = f"the file is for another rfdetr release: {whose} ({said})"
        raise FileError(source, [ErrorDetail((RELEASE_KEY,), msg, named, "release_mismatch")])
    return wanted or named


def release_classes(release: Optional[str]) -> Dict[str, Type[BaseConfig]]:
    """The classes of ``release`` (the package's own by default), by name; built only when a header names one."""
    module = for_release(release or TOP)
    return {name: getattr(module, name) for name in module.DECLARED.class_names}
