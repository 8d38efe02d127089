"""The ``rfdetr-config`` command (also ``python -m rfdetr_config``).

Output goes to stdout and is stable (JSON keys in field order); problems and warnings go to stderr,
one line each, ``FILE:LINE:COLUMN: message`` where the parser gives a place and ``FILE: field: message``
otherwise, so that editors and CI annotators can jump to them. No input ends in a traceback.

Exit status: 0 when everything is valid (for ``diff``: the files do not differ; ``migrate``: the file
is migrated, with any change that may train differently shown; ``detect``: a release accepts the file),
1 when a file is invalid or cannot be read, or the command cannot be carried out (``diff``: also when the
files differ; ``migrate``: also when the target release cannot express the file, or a change may train
differently under ``--strict``; ``detect``: no release accepts the file), 2 for a wrong command line,
130 when interrupted.
"""

from .main import main

__all__ = ["main"]
