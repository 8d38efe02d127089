"""Read the configuration stored in an RF-DETR checkpoint without torch and without unpickling it.

A ``.pth`` or ``.ckpt`` file written by ``torch.save`` is a pickle, and loading a pickle runs whatever it names. This
module never hands the file to :mod:`pickle`: it walks the opcodes itself (with :func:`pickletools.genops`), builds
only plain values, and refuses every global that is not on a short allow-list. Tensors become
:class:`TensorPlaceholder` values that say what the tensor was (dtype, shape) while their bytes stay unread on disk,
so a checkpoint of several gigabytes is read in the memory its small pickle needs.

Both layouts ``torch.save`` has written are understood: the zip archive (``<name>/data.pkl`` next to one
``<name>/data/<key>`` entry per storage, never opened) and the legacy stream (magic number, protocol and
system-information pickles, the main pickle, the list of storage keys, then each storage's element count and bytes:
the counts are read to catch a truncated file, the bytes are skipped).

Every size that a hostile file could inflate has a bound, set by a module constant: the archive, its central
directory, the pickle, each string, the memo, the number of objects built, the stack of marks and the nesting depth
of the result. Anything that breaks a bound, is truncated or corrupt, or names a global that is not allowed raises
:class:`CheckpointError`, and nothing else is raised for anything the file contains.
"""

from .archive import read_checkpoint
from .configs import CheckpointConfigs, checkpoint_configs, is_repr_stand_in
from .values import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_ENTRIES,
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_DEPTH,
    MAX_MARKS,
    MAX_MEMO,
    MAX_OBJECTS,
    MAX_PICKLE_BYTES,
    MAX_STRING_BYTES,
    CheckpointError,
    NamespaceDict,
    PathValue,
    StoragePlaceholder,
    TensorPlaceholder,
)

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_ARCHIVE_ENTRIES",
    "MAX_CENTRAL_DIRECTORY_BYTES",
    "MAX_DEPTH",
    "MAX_MARKS",
    "MAX_MEMO",
    "MAX_OBJECTS",
    "MAX_PICKLE_BYTES",
    "MAX_STRING_BYTES",
    "CheckpointConfigs",
    "CheckpointError",
    "NamespaceDict",
    "PathValue",
    "StoragePlaceholder",
    "TensorPlaceholder",
    "checkpoint_configs",
    "is_repr_stand_in",
    "read_checkpoint",
]
