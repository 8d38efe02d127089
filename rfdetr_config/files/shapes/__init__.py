"""rfdetr's own files: run files, ``rfdetr fit`` YAML files and bare dumps, read and written as rfdetr does.

:mod:`.detect` tells the shapes apart and names the classes a full dump's fields can be;
:mod:`.jsonargparse` is how ``rfdetr fit`` reads its two sections; :mod:`.run` is the pair of
configurations a run holds; :mod:`.reading` reads each shape; :mod:`.writing` writes what rfdetr reads;
:mod:`.settings` applies ``--set KEY=VALUE`` to a file as it is shaped.
"""

from .detect import Shape, shape_of
from .reading import AmbiguousError, guess_bare, read_fit, read_run
from .run import Run, RunMigration, check_class_names, diff_runs, migrate_run

__all__ = [
    "AmbiguousError",
    "Run",
    "RunMigration",
    "Shape",
    "check_class_names",
    "diff_runs",
    "guess_bare",
    "migrate_run",
    "read_fit",
    "read_run",
    "shape_of",
]
