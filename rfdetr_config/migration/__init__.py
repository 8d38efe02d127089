"""Carrying a configuration between rfdetr releases: the engine, and the steps between release groups."""

from .engine import MISSING, Migration, MigrationChange, MigrationKind, migrate, migrate_pair, releases_accepting

__all__ = ["MISSING", "Migration", "MigrationChange", "MigrationKind", "migrate", "migrate_pair", "releases_accepting"]
