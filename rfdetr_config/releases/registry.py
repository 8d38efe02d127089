"""Every supported rfdetr release, in one place.

This is the registry that everything release-aware reads: the release modules and their stubs, the
migration engine, the files' release header, the documentation and the tests. Supporting a new
rfdetr release is one entry in :data:`GROUPS` (``docs/adding-a-release.rst``); nothing else lists
releases.

Releases whose configuration modules behave alike form a group and share one set of classes: the
group's first release declares them (``declarations/r1_9_0.py``) and its module holds them
(``v1_9_0``); every release of the group still has a module of its own name (``v1_9_2``) giving the
very same classes.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Dict, Optional, Tuple

import attrs

if TYPE_CHECKING:
    from .release import Release

__all__ = [
    "DISTINCT",
    "GROUPS",
    "MODULES",
    "RELEASES",
    "TOP",
    "Group",
    "declared",
    "group_of",
    "module_name",
    "release_hint",
    "release_module_name",
]


def _identifier(release: str) -> str:
    return release.replace(".", "_")


@attrs.frozen
class Group:
    """Releases whose configuration classes behave alike, and where their pieces live.

    Attributes:
        releases: Every release number of the group, oldest first; the first one names the group.
        has_step: Whether ``rfdetr_config/migration/steps/to_<first>.py`` holds what the migration
            engine cannot work out from the declarations alone, on the way from the group before.
            A group without special cases has none.
    """

    releases: Tuple[str, ...]
    has_step: bool = True

    @property
    def first(self) -> str:
        """The release that names the group and declares its classes."""
        return self.releases[0]

    @property
    def module(self) -> str:
        """The name, under :mod:`rfdetr_config.releases`, of the module whose classes the group shares."""
        return f"v{_identifier(self.first)}"

    @property
    def declarations(self) -> str:
        """The full name of the module declaring the group's classes."""
        return f"{__package__}.declarations.r{_identifier(self.first)}"

    @property
    def step(self) -> Optional[str]:
        """The full name of the migration step module arriving at this group, if it has one."""
        return f"rfdetr_config.migration.steps.to_{_identifier(self.first)}" if self.has_step else None


GROUPS: Tuple[Group, ...] = (
    Group(("1.8.1",), has_step=False),
    Group(("1.8.2",)),
    Group(("1.8.3",)),
    Group(("1.9.0", "1.9.1", "1.9.2", "1.9.3", "1.9.4")),
    Group(("1.10.0", "1.10.1")),
    Group(("1.11.0",)),
    Group(("1.11.1", "1.11.2")),
)
"""The supported releases, oldest first, grouped by the classes they share."""

TOP = "1.11.2"
"""The release whose classes ``rfdetr_config`` itself exports."""

_GROUP_OF: Dict[str, Group] = {release: group for group in GROUPS for release in group.releases}

RELEASES: Tuple[str, ...] = tuple(_GROUP_OF)
"""The supported rfdetr releases, oldest first."""

DISTINCT: Tuple[str, ...] = tuple(group.first for group in GROUPS)
"""The first release of each group of releases that share their classes, oldest first."""

MODULES: Dict[str, str] = {release: group.module for release, group in _GROUP_OF.items()}
"""Each supported release number, and the name of the module under :mod:`rfdetr_config.releases` holding its classes."""


def group_of(release: str) -> Group:
    """The group of ``release``.

    Raises:
        ValueError: ``release`` is not a supported release number; the message lists them.
    """
    group = _GROUP_OF.get(release) if isinstance(release, str) else None
    if group is None:
        supported = ", ".join(RELEASES)
        shown = repr(release) if isinstance(release, str) else f"{release!r} ({type(release).__name__})"
        hint = release_hint(release) if isinstance(release, str) else None
        raise ValueError(
            f"unsupported rfdetr release {shown}; {hint + '; ' if hint else ''}supported releases: {supported}"
        )
    return group


def release_hint(text: str) -> Optional[str]:
    """What an unsupported release number was probably meant to be, if anything is close.

    ``v1.8.1`` is ``1.8.1``; ``1.9`` is one of ``1.9.0`` to ``1.9.4``.
    """
    bare = text.strip().lstrip("vV")
    if bare in _GROUP_OF:
        return f"did you mean {bare!r}?"
    series = [release for release in RELEASES if release.startswith(bare + ".")] if bare.count(".") == 1 else []
    if series:
        which = series[0] if len(series) == 1 else f"{series[0]} to {series[-1]}"
        return f"name the patch release: {which}"
    return None


def module_name(release: str) -> str:
    """The full name of the module whose classes ``release`` shares with its group.

    Raises:
        ValueError: ``release`` is not a supported release number.
    """
    return f"{__package__}.{group_of(release).module}"


def release_module_name(release: str) -> str:
    """The full name of ``release``'s own module (``rfdetr_config.releases.v1_9_2``).

    Raises:
        ValueError: ``release`` is not a supported release number.
    """
    group_of(release)
    return f"{__package__}.v{_identifier(release)}"


@functools.cache
def declared(release: str) -> Release:
    """The declarations of ``release``'s classes (reading them builds no class).

    Raises:
        ValueError: ``release`` is not supported.
    """
    group = group_of(release)
    found: Release = importlib.import_module(group.declarations).RELEASE
    return found
