"""The two layouts ``torch.save`` writes (zip archive, legacy stream), read without opening tensor data."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from typing import IO, Union

from .interpreter import Interpreter, check_depth, legacy_persistent_load, one_line, zip_persistent_load
from .values import (
    ELEMENT_SIZES,
    EMPTY_ZIP_MAGIC,
    LEGACY_MAGIC_NUMBER,
    LEGACY_PROTOCOL_VERSION,
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_ENTRIES,
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_PICKLE_BYTES,
    ZIP_MAGIC,
    BoundedStream,
    CheckpointError,
    PersistentLoad,
    StoragePlaceholder,
)


def _run_pickle(raw: IO[bytes], persistent_load: PersistentLoad) -> object:
    return Interpreter(BoundedStream(raw, MAX_PICKLE_BYTES), persistent_load).run()


def _no_persistent_ids(pid: object) -> object:
    raise CheckpointError("a header pickle of the legacy format holds a persistent id")


def _read_legacy(raw: IO[bytes], size: int) -> object:
    """Read the legacy stream's main pickle, then check that the storages it names are all there, unread.

    After the main pickle come a pickled list of storage keys and, per key, the storage's element count and bytes.
    Only the counts are read and the bytes are skipped by seeking, so a truncated file is caught at the cost of a
    few bytes per tensor.
    """
    magic = _run_pickle(raw, _no_persistent_ids)
    if magic != LEGACY_MAGIC_NUMBER:
        raise CheckpointError("the file is neither a zip archive nor a legacy torch checkpoint")
    protocol = _run_pickle(raw, _no_persistent_ids)
    if protocol != LEGACY_PROTOCOL_VERSION:
        raise CheckpointError("the legacy checkpoint has an unknown protocol version")
    info = _run_pickle(raw, _no_persistent_ids)
    if not isinstance(info, dict) or info.get("little_endian") is not True:
        raise CheckpointError("the legacy checkpoint was not written on a little-endian machine")
    storages: dict[str, StoragePlaceholder] = {}

    def persistent_load(pid: object) -> object:
        storage = legacy_persistent_load(pid)
        if storages.setdefault(storage.key, storage) != storage:
            raise CheckpointError(f"the legacy checkpoint describes storage {storage.key!r} in two ways")
        return storage

    result = _run_pickle(raw, persistent_load)
    listed = _run_pickle(raw, _no_persistent_ids)
    keys = [key for key in listed if isinstance(key, str)] if isinstance(listed, list) else []
    if keys != listed or sorted(keys) != sorted(storages):
        raise CheckpointError("the legacy checkpoint's storage list does not match its pickle")
    position = raw.tell()
    for key in keys:
        storage = storages[key]
        raw.seek(position)
        header = raw.read(8)
        if len(header) < 8:
            raise CheckpointError("the legacy checkpoint is truncated in its storage data")
        (count,) = struct.unpack("<q", header)
        if count != storage.numel or count < 0:
            raise CheckpointError(f"the legacy checkpoint's storage {key!r} has the wrong size")
        position += 8 + count * ELEMENT_SIZES.get(storage.dtype, 1)
        if position > size:
            raise CheckpointError("the legacy checkpoint is truncated in its storage data")
    return result


def _check_central_directory(raw: IO[bytes], size: int) -> None:
    """Check the entry count and central-directory size from the end records, before zipfile reads any entry."""
    tail_size = min(size, 22 + 0xFFFF)
    raw.seek(size - tail_size)
    tail = raw.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise CheckpointError("the zip archive has no end-of-central-directory record (truncated?)")
    entries, directory_size = struct.unpack_from("<xxxxxxxxxxHI", tail, end)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        locator = end - 20
        if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            raise CheckpointError("the zip archive's zip64 records are missing")
        (record_offset,) = struct.unpack_from("<Q", tail, locator + 8)
        if record_offset > size - 56:
            raise CheckpointError("the zip archive's zip64 record is outside the file")
        raw.seek(record_offset)
        record = raw.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise CheckpointError("the zip archive's zip64 record is corrupt")
        entries, directory_size = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_ARCHIVE_ENTRIES:
        raise CheckpointError(f"the zip archive has {entries} entries, over the limit of {MAX_ARCHIVE_ENTRIES}")
    if directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise CheckpointError(
            f"the zip archive's directory is {directory_size} bytes, over the limit of {MAX_CENTRAL_DIRECTORY_BYTES}"
        )
    raw.seek(0)


def _read_zip(raw: IO[bytes], size: int) -> object:
    """Find ``<name>/data.pkl`` and interpret it; no other entry is opened."""
    _check_central_directory(raw, size)
    try:
        data = _data_pkl(raw)
    except CheckpointError:
        raise
    except Exception as error:
        # zipfile reports a damaged archive in many ways (BadZipFile, zlib.error, EOFError, NotImplementedError for
        # an unknown compression, RuntimeError for encryption, ...); every one of them means the file is corrupt.
        raise CheckpointError(f"the zip archive is corrupt: {type(error).__name__}: {one_line(error)}") from None
    stream = io.BytesIO(data)
    result = _run_pickle(stream, zip_persistent_load)
    if stream.tell() != len(data):
        raise CheckpointError("data.pkl goes on after its pickle ends")
    return result


def _data_pkl(raw: IO[bytes]) -> bytes:
    with zipfile.ZipFile(raw) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ARCHIVE_ENTRIES:
            raise CheckpointError(f"the zip archive has over {MAX_ARCHIVE_ENTRIES} entries")
        pickles = [info for info in infos if re.fullmatch(r"[^/]+/data\.pkl", info.filename)]
        if len(pickles) != 1:
            found = "no" if not pickles else f"{len(pickles)}"
            raise CheckpointError(f"the zip archive has {found} <name>/data.pkl entries, where torch writes one")
        info = pickles[0]
        if info.file_size > MAX_PICKLE_BYTES:
            raise CheckpointError(f"data.pkl is {info.file_size} bytes, over the {MAX_PICKLE_BYTES}-byte limit")
        return _read_entry(archive, info)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read an entry in small steps, so that inflating a compressed one never holds more than the limit."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as entry:
        # Read one byte past the limit, so an entry whose header understates its size is still caught.
        while chunk := entry.read(min(1024**2, MAX_PICKLE_BYTES + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_PICKLE_BYTES:
                raise CheckpointError(f"data.pkl is over the {MAX_PICKLE_BYTES}-byte limit")
    return b"".join(chunks)


_Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def read_checkpoint(source: _Source) -> dict[object, object]:
    """Read the top-level mapping of a torch checkpoint, with tensors as placeholders and nothing executed.

    Use this instead of ``torch.load`` wherever the file may not be trusted, or torch is not installed: it needs
    neither, and it reads what a config needs (the ``args``, ``model_config`` and friends) from a checkpoint of any
    size in the memory of its pickle alone.

    Args:
        source: A path to a ``.pth``/``.ckpt`` file, or its bytes.

    Returns:
        The checkpoint's top-level dict. ``collections.OrderedDict`` values stay OrderedDicts, an
        ``argparse.Namespace`` becomes a :class:`NamespaceDict`, a ``pathlib`` path a :class:`PathValue`, and every
        tensor a :class:`TensorPlaceholder`.

    Raises:
        CheckpointError: The file is unreadable, truncated or corrupt, breaks a bound, names a global that is not
            allowed, or is not a mapping at its top level.
        OSError: The path cannot be opened (the file itself is never at fault for this one).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return _read(io.BytesIO(data), len(data))
    with open(source, "rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        return _read(raw, size)


def _read(raw: IO[bytes], size: int) -> dict[object, object]:
    if size > MAX_ARCHIVE_BYTES:
        raise CheckpointError(f"the file is {size} bytes, over the {MAX_ARCHIVE_BYTES}-byte limit")
    try:
        head = raw.read(4)
        raw.seek(0)
        if head in (ZIP_MAGIC, EMPTY_ZIP_MAGIC):
            result = _read_zip(raw, size)
        elif head[:2] == b"\x80\x02":
            result = _read_legacy(raw, size)
        elif not head:
            raise CheckpointError("the file is empty")
        else:
            raise CheckpointError("the file is neither a zip archive nor a legacy torch checkpoint")
        check_depth(result)
    except CheckpointError:
        raise
    except RecursionError:
        raise CheckpointError("the checkpoint nests too deeply to read") from None
    except (OSError, EOFError, ValueError, struct.error, OverflowError) as error:
        # A short read of the legacy stream or of the archive's end records.
        raise CheckpointError(f"the checkpoint is corrupt: {type(error).__name__}: {one_line(error)}") from None
    if not isinstance(result, dict):
        raise CheckpointError(f"the checkpoint holds a {type(result).__name__}, not a mapping, at its top level")
    return result
