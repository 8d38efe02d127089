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

from __future__ import annotations

import collections
import dataclasses
import io
import os
import pickletools
import re
import struct
import zipfile
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Final, TypedDict, Union

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

# The archive is only indexed, never read in full: the limit only keeps a header's numbers from sending the reader
# seeking through a pretend file far larger than any real checkpoint (those are at most a few GB).
MAX_ARCHIVE_BYTES: Final = 64 * 1024**3
# One entry per storage plus a handful of bookkeeping files: a Lightning checkpoint with EMA and optimizer state holds
# a few thousand.
MAX_ARCHIVE_ENTRIES: Final = 100_000
# zipfile keeps one ZipInfo per central-directory record in memory, and counts records by the directory's size, not
# by the entry count the end record declares; this caps that before zipfile parses any of them (a real checkpoint
# uses about 100 bytes per entry).
MAX_CENTRAL_DIRECTORY_BYTES: Final = 8 * 1024**2
# data.pkl holds the structure and the configs, never tensor bytes: about a hundred bytes per tensor plus the configs'
# few kilobytes, so even a checkpoint with optimizer state is far below this.
MAX_PICKLE_BYTES: Final = 64 * 1024**2
# The longest single string or bytes value the reader accepts; config strings are short.
MAX_STRING_BYTES: Final = 16 * 1024**2
# Nesting of containers in the result. Real checkpoints nest fewer than ten levels; 200 keeps recursive consumers
# (==, repr, json) well inside Python's recursion limit.
MAX_DEPTH: Final = 200
# MARK opcodes open before they are closed; each open mark is one level of a container being built.
MAX_MARKS: Final = MAX_DEPTH
# Values pushed while interpreting, memo fetches included: about 25 per tensor, so tens of thousands of tensors fit.
# It also bounds the memory a hostile pickle can make the reader allocate (a few hundred MB at worst).
MAX_OBJECTS: Final = 2_000_000
# Memo slots. Picklers number them from 0 upwards, so a legitimate index never exceeds the number of objects.
MAX_MEMO: Final = MAX_OBJECTS

_ZIP_MAGIC: Final = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
_LEGACY_MAGIC_NUMBER: Final = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL_VERSION: Final = 1001
_HIGHEST_PICKLE_PROTOCOL: Final = 5


class CheckpointError(ValueError):
    """The file is not a checkpoint this reader can read safely.

    A ``ValueError`` because the input, not the program, is at fault; callers that already handle bad config files
    as ``ValueError`` need nothing new. The message is one line and names the reason: the global that was refused,
    the bound that was exceeded, or where the file is corrupt.
    """


@dataclasses.dataclass(frozen=True)
class StoragePlaceholder:
    """Where a storage's bytes would be, kept instead of the bytes.

    Attributes:
        dtype: The element type, as torch names it (``"float32"``).
        key: The storage's name in the archive (``<name>/data/<key>``) or in the legacy stream.
        location: The device it was saved from (``"cpu"``, ``"cuda:0"``).
        numel: Its length in elements, as the file declares it (unchecked: the bytes are never read).
    """

    dtype: str
    key: str
    location: str
    numel: int


@dataclasses.dataclass(frozen=True)
class TensorPlaceholder:
    """A tensor whose data was left unread: enough to see what it was, nothing to compute with.

    Attributes:
        dtype: The element type, as torch names it.
        shape: The tensor's size.
        stride: Its strides, in elements.
        storage_offset: Where it starts in its storage, in elements.
        storage: The storage it is a view of; tensors that shared one in the file share an equal one here.
        requires_grad: The flag as saved.
        parameter: Whether it was saved as an ``nn.Parameter``.
    """

    dtype: str
    shape: tuple[int, ...]
    stride: tuple[int, ...]
    storage_offset: int
    storage: StoragePlaceholder
    requires_grad: bool = False
    parameter: bool = False


class NamespaceDict(dict[str, object]):
    """The attributes of an ``argparse.Namespace`` or ``types.SimpleNamespace``, read as a dict.

    Checkpoints from RF-DETR's pre-Lightning training loop stored ``args`` as an ``argparse.Namespace``, and the
    Roboflow upload bundle (``weights.pt``) stores the model's ``types.SimpleNamespace``. A dict subclass rather than
    a plain dict so that a caller can still tell which kind of file it was (:attr:`kind` names the class); it compares
    equal to the dict of the same items.
    """

    kind: str

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __reduce__(self) -> tuple[object, ...]:
        return (NamespaceDict, (self.kind,), None, None, iter(self.items()))


class PathValue(str):
    """A ``pathlib`` path that the checkpoint stored as a path object, read as its string.

    ``TrainConfig`` accepts ``Path`` values, and releases before 1.11 pickled them as they were. A ``str`` subclass so
    that it works wherever the config expects a path string; :attr:`kind` keeps the class the file named
    (``"PosixPath"``, ``"WindowsPath"``...), because a Windows path read on Linux is still a Windows path.
    """

    kind: str

    def __new__(cls, value: str, kind: str) -> PathValue:
        """Make the string, remembering which path class it came from."""
        self = super().__new__(cls, value)
        self.kind = kind
        return self

    def __reduce__(self) -> tuple[type[PathValue], tuple[str, str]]:
        return (PathValue, (str(self), self.kind))

    def __repr__(self) -> str:
        return f"PathValue({str(self)!r}, kind={self.kind!r})"


@dataclasses.dataclass(frozen=True)
class _StorageType:
    """A ``torch.<Dtype>Storage`` class named by the file, standing for the element type of a storage."""

    dtype: str


@dataclasses.dataclass(frozen=True)
class _Dtype:
    """A ``torch.<dtype>`` object named by the file (storages of untyped ``torch.UntypedStorage`` carry one)."""

    name: str


@dataclasses.dataclass(frozen=True)
class _Global:
    """An allowed global: a name the interpreter knows how to stand in for, never an imported object."""

    name: str


class _Mark:
    """The MARK opcode's stack entry."""


_MARK: Final = _Mark()

# torch.<Name>Storage -> dtype name, as torch's own storage classes map them.
_STORAGE_DTYPES: Final[Mapping[str, str]] = {
    "DoubleStorage": "float64",
    "FloatStorage": "float32",
    "HalfStorage": "float16",
    "BFloat16Storage": "bfloat16",
    "LongStorage": "int64",
    "IntStorage": "int32",
    "ShortStorage": "int16",
    "CharStorage": "int8",
    "ByteStorage": "uint8",
    "BoolStorage": "bool",
    "ComplexDoubleStorage": "complex128",
    "ComplexFloatStorage": "complex64",
    "UntypedStorage": "uint8",
}
# torch.<name> dtypes a file may name (the canonical names; aliases such as torch.float pickle as these).
_TORCH_DTYPES: Final = frozenset(
    {
        "float64",
        "float32",
        "float16",
        "bfloat16",
        "int64",
        "int32",
        "int16",
        "int8",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
        "complex128",
        "complex64",
        "complex32",
        "float8_e4m3fn",
        "float8_e5m2",
        "float8_e4m3fnuz",
        "float8_e5m2fnuz",
    }
)
_ELEMENT_SIZES: Final[Mapping[str, int]] = {
    "float64": 8,
    "float32": 4,
    "float16": 2,
    "bfloat16": 2,
    "int64": 8,
    "int32": 4,
    "int16": 2,
    "int8": 1,
    "uint8": 1,
    "uint16": 2,
    "uint32": 4,
    "uint64": 8,
    "bool": 1,
    "complex128": 16,
    "complex64": 8,
    "complex32": 4,
}
_PATH_CLASSES: Final = frozenset({"PurePath", "PurePosixPath", "PureWindowsPath", "Path", "PosixPath", "WindowsPath"})
_TENSOR_REBUILDERS: Final = frozenset(
    {
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    }
)
_OTHER_GLOBALS: Final = frozenset(
    {
        "collections.OrderedDict",
        "argparse.Namespace",
        "types.SimpleNamespace",
        "builtins.set",
        "builtins.frozenset",
        "builtins.bytearray",
        "_codecs.encode",
        "torch.Size",
    }
)


def _resolve_global(module: str, name: str) -> object:
    """Return the stand-in for an allowed global, or raise naming the one refused.

    Nothing is imported: the answer depends on the two strings alone.
    """
    if module == "__builtin__":
        module = "builtins"  # protocols 0 to 2 name the builtins module by its Python 2 name
    qualified = f"{module}.{name}"
    if qualified in _TENSOR_REBUILDERS or qualified in _OTHER_GLOBALS:
        return _Global(qualified)
    if module == "torch" and name in _STORAGE_DTYPES:
        return _StorageType(_STORAGE_DTYPES[name])
    if module == "torch.storage" and name == "UntypedStorage":
        return _StorageType("uint8")
    if module == "torch" and name in _TORCH_DTYPES:
        return _Dtype(name)
    if module in ("pathlib", "pathlib._local") and name in _PATH_CLASSES:
        return _Global(f"pathlib.{name}")
    if len(qualified) > 200:
        qualified = qualified[:200] + "..."
    raise CheckpointError(f"the checkpoint refers to {qualified}, which this reader does not allow")


class _BoundedStream:
    """A read-only view of a pickle that refuses, before reading, any read larger than the bounds allow."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw = raw
        self._remaining = limit

    def _take(self, count: int) -> None:
        self._remaining -= count
        if self._remaining < 0:
            raise CheckpointError(f"the pickle is larger than the {MAX_PICKLE_BYTES}-byte limit")

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > MAX_STRING_BYTES:
            raise CheckpointError(
                f"the pickle declares a value of {size} bytes, over the {MAX_STRING_BYTES}-byte limit"
            )
        data = self._raw.read(size)
        self._take(len(data))
        return data

    def readline(self) -> bytes:
        line = self._raw.readline(MAX_STRING_BYTES + 1)
        if len(line) > MAX_STRING_BYTES:
            raise CheckpointError(f"the pickle holds a line over the {MAX_STRING_BYTES}-byte limit")
        self._take(len(line))
        return line


_PersistentLoad = Callable[[object], object]


def _expect_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not an int")
    return value


def _expect_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not a str")
    return value


def _expect_int_tuple(value: object, what: str) -> tuple[int, ...]:
    if not isinstance(value, tuple):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not a tuple")
    return tuple(_expect_int(item, what) for item in value)


def _tensor_from(args: tuple[object, ...], qualified: str) -> TensorPlaceholder:
    """Make the placeholder that ``_rebuild_tensor``/``_rebuild_tensor_v2`` would have made a tensor of."""
    if len(args) < 4:
        raise CheckpointError(f"{qualified} is called with {len(args)} arguments")
    storage, offset, shape, stride = args[:4]
    if not isinstance(storage, StoragePlaceholder):
        raise CheckpointError(f"{qualified} is given a {type(storage).__name__} where a storage belongs")
    requires_grad = False
    if qualified.endswith("_v2"):
        if len(args) not in (6, 7):
            raise CheckpointError(f"{qualified} is called with {len(args)} arguments")
        flag = args[4]
        if not isinstance(flag, bool):
            raise CheckpointError(f"{qualified} is given a {type(flag).__name__} for requires_grad")
        requires_grad = flag
        _check_hooks(args[5], qualified)
    elif len(args) != 4:
        raise CheckpointError(f"{qualified} is called with {len(args)} arguments")
    return TensorPlaceholder(
        dtype=storage.dtype,
        shape=_expect_int_tuple(shape, "a tensor's size"),
        stride=_expect_int_tuple(stride, "a tensor's stride"),
        storage_offset=_expect_int(offset, "a tensor's storage offset"),
        storage=storage,
        requires_grad=requires_grad,
    )


def _check_hooks(hooks: object, qualified: str) -> None:
    """Backward hooks cannot be saved meaningfully; torch writes an empty OrderedDict, and nothing else is accepted."""
    if not isinstance(hooks, dict) or hooks:
        raise CheckpointError(f"{qualified} is given backward hooks, which this reader does not allow")


def _parameter_from(args: tuple[object, ...], qualified: str) -> TensorPlaceholder:
    """Make the placeholder that ``_rebuild_parameter`` (and its ``_with_state`` variant) would have made."""
    expected = 4 if qualified.endswith("_with_state") else 3
    if len(args) != expected:
        raise CheckpointError(f"{qualified} is called with {len(args)} arguments")
    data, requires_grad = args[0], args[1]
    if not isinstance(data, TensorPlaceholder):
        raise CheckpointError(f"{qualified} is given a {type(data).__name__} where a tensor belongs")
    if not isinstance(requires_grad, bool):
        raise CheckpointError(f"{qualified} is given a {type(requires_grad).__name__} for requires_grad")
    _check_hooks(args[2], qualified)
    if expected == 4 and args[3] is not None and not isinstance(args[3], (dict, tuple)):
        raise CheckpointError(f"{qualified} is given a {type(args[3]).__name__} as state")
    return dataclasses.replace(data, requires_grad=requires_grad, parameter=True)


def _call(func: object, args: object) -> object:
    """Do what REDUCE would do for an allowed callable, without calling anything the file named."""
    if not isinstance(args, tuple):
        raise CheckpointError(f"REDUCE is given {type(args).__name__} arguments")
    if not isinstance(func, _Global):
        raise CheckpointError(f"REDUCE calls a {type(func).__name__}, which is not an allowed callable")
    name = func.name
    if name in ("torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2"):
        return _tensor_from(args, name)
    if name.startswith("torch._utils._rebuild_parameter"):
        return _parameter_from(args, name)
    if name == "types.SimpleNamespace":
        # Its __reduce__ passes no arguments and the attributes as BUILD's state.
        if args:
            raise CheckpointError("types.SimpleNamespace is called with arguments it would not be given")
        return NamespaceDict(name)
    if name == "collections.OrderedDict":
        result: collections.OrderedDict[object, object] = collections.OrderedDict()
        if args:
            if len(args) != 1 or not isinstance(args[0], (list, tuple)):
                raise CheckpointError("collections.OrderedDict is called with arguments it would not be given")
            for pair in args[0]:
                if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                    raise CheckpointError("collections.OrderedDict is given an item that is not a pair")
                _hashable(pair[0])
                result[pair[0]] = pair[1]
        return result
    if name in ("builtins.set", "builtins.frozenset"):
        items: list[object] = []
        if args:
            if len(args) != 1 or not isinstance(args[0], (list, tuple)):
                raise CheckpointError(f"{name} is called with arguments it would not be given")
            items = list(args[0])
        for item in items:
            _hashable(item)
        return set(items) if name == "builtins.set" else frozenset(items)
    if name == "builtins.bytearray":
        if len(args) == 0:
            return bytearray()
        if len(args) == 1 and isinstance(args[0], bytes):
            return bytearray(args[0])
        if len(args) == 2 and isinstance(args[0], str) and args[1] in ("latin1", "latin-1"):
            return bytearray(_latin1(args[0], name))  # how protocols 0 to 2 write a bytearray
        raise CheckpointError("builtins.bytearray is called with arguments it would not be given")
    if name == "_codecs.encode":
        # Protocol 2 writes bytes as _codecs.encode(text, "latin1").
        if len(args) == 2 and isinstance(args[0], str) and args[1] in ("latin1", "latin-1"):
            return _latin1(args[0], name)
        raise CheckpointError("_codecs.encode is called with arguments it would not be given")
    if name == "torch.Size":
        if len(args) == 1 and isinstance(args[0], tuple):
            return _expect_int_tuple(args[0], "a torch.Size")
        raise CheckpointError("torch.Size is called with arguments it would not be given")
    if name.startswith("pathlib."):
        if not all(isinstance(part, str) for part in args):
            raise CheckpointError(f"{name} is given parts that are not strings")
        return _path_value(name.removeprefix("pathlib."), [str(part) for part in args])
    raise CheckpointError(f"{name} cannot be called here")


def _latin1(value: str, name: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        raise CheckpointError(f"{name} is given text that is not latin-1") from None


def _path_value(kind: str, parts: list[str]) -> PathValue:
    """Join path parts the way the path class would, for the flavour the file named (whatever this machine is)."""
    windows = "Windows" in kind
    separator = "\\" if windows else "/"
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text.endswith(("/", "\\")):
            text += part
        else:
            text += separator + part
    return PathValue(text or ".", kind)


def _hashable(key: object) -> None:
    """Refuse a dict key or set member Python cannot hash, as a clean error instead of a TypeError.

    Only tuples, frozensets and the placeholders are hashable containers here, and their depth is checked as they are
    made, so hashing them cannot recurse deeply.
    """
    try:
        hash(key)
    except TypeError:
        raise CheckpointError(f"the pickle uses an unhashable {type(key).__name__} as a key") from None


class _Interpreter:
    """Runs the opcodes of one pickle, building plain values and placeholders only."""

    def __init__(self, stream: _BoundedStream, persistent_load: _PersistentLoad) -> None:
        self._stream = stream
        self._persistent_load = persistent_load
        self._stack: list[object] = []
        self._marks: list[int] = []
        self._memo: dict[int, object] = {}
        self._objects = 0
        # Depth of each immutable container made so far (kept alive here so its id cannot be reused). Mutable
        # containers are measured once, on the finished result.
        self._depths: dict[int, tuple[object, int]] = {}

    def _push(self, value: object) -> None:
        self._objects += 1
        if self._objects > MAX_OBJECTS:
            raise CheckpointError(f"the pickle builds more than {MAX_OBJECTS} objects")
        self._stack.append(value)

    def _pop(self) -> object:
        if not self._stack or (self._marks and len(self._stack) <= self._marks[-1]):
            raise CheckpointError("the pickle pops from an empty stack")
        value = self._stack.pop()
        if value is _MARK:
            raise CheckpointError("the pickle uses a mark as a value")
        return value

    def _top(self) -> object:
        if not self._stack or (self._marks and len(self._stack) <= self._marks[-1]):
            raise CheckpointError("the pickle reads from an empty stack")
        return self._stack[-1]

    def _pop_mark(self) -> list[object]:
        if not self._marks:
            raise CheckpointError("the pickle closes a mark it never opened")
        start = self._marks.pop()
        items = self._stack[start:]
        del self._stack[start:]
        if not self._stack or self._stack.pop() is not _MARK:
            raise CheckpointError("the pickle's marks are out of order")
        return items

    def _depth_of(self, value: object) -> int:
        entry = self._depths.get(id(value))
        return entry[1] if entry is not None and entry[0] is value else 0

    def _immutable(self, value: tuple[object, ...] | frozenset[object]) -> object:
        depth = 1 + max((self._depth_of(item) for item in value), default=0)
        if depth > MAX_DEPTH:
            raise CheckpointError(f"the pickle nests deeper than {MAX_DEPTH} levels")
        self._depths[id(value)] = (value, depth)
        return value

    def _memo_index(self, arg: object) -> int:
        index = _expect_int(arg, "a memo index")
        if not 0 <= index < MAX_MEMO:
            raise CheckpointError(f"the pickle uses memo slot {index}, outside 0..{MAX_MEMO - 1}")
        return index

    def run(self) -> object:
        try:
            for opcode, arg, _ in pickletools.genops(self._stream):  # type: ignore[arg-type]
                if opcode.name == "STOP":
                    break
                self._step(opcode.name, arg)
            else:
                raise CheckpointError("the pickle ends before its STOP opcode")
        except CheckpointError:
            raise
        except (ValueError, UnicodeDecodeError, EOFError, OverflowError, struct.error, Warning) as error:
            # genops reports a truncated or malformed opcode stream as ValueError (and decoding errors as theirs);
            # a Warning arrives as an exception only where warnings are errors, such as pickletools' warning about an
            # invalid escape in a protocol-0 string.
            raise CheckpointError(f"the pickle is corrupt: {_one_line(error)}") from None
        if self._marks or len(self._stack) != 1:
            raise CheckpointError("the pickle leaves its stack unbalanced")
        return self._stack[0]

    def _step(self, name: str, arg: object) -> None:
        push = self._push
        if name in ("PROTO",):
            if _expect_int(arg, "the protocol") > _HIGHEST_PICKLE_PROTOCOL:
                raise CheckpointError(f"the pickle uses protocol {arg}, which this reader does not know")
        elif name == "FRAME":
            pass
        elif name == "MARK":
            if len(self._marks) >= MAX_MARKS:
                raise CheckpointError(f"the pickle nests deeper than {MAX_DEPTH} levels")
            self._stack.append(_MARK)
            self._marks.append(len(self._stack))
        elif name in (
            "INT",
            "BININT",
            "BININT1",
            "BININT2",
            "LONG",
            "LONG1",
            "LONG4",
            "FLOAT",
            "BINFLOAT",
            "UNICODE",
            "BINUNICODE",
            "SHORT_BINUNICODE",
            "BINUNICODE8",
            "BINBYTES",
            "SHORT_BINBYTES",
            "BINBYTES8",
        ):
            push(arg)
        elif name in ("STRING", "BINSTRING", "SHORT_BINSTRING"):
            # A Python 2 str; torch.load decodes it as UTF-8, and so does this reader.
            push(_py2_string(arg))
        elif name == "BYTEARRAY8":
            if not isinstance(arg, (bytes, bytearray)):
                raise CheckpointError("the pickle's BYTEARRAY8 holds no bytes")
            push(bytearray(arg))
        elif name == "NONE":
            push(None)
        elif name == "NEWTRUE":
            push(True)
        elif name == "NEWFALSE":
            push(False)
        elif name == "EMPTY_LIST":
            push([])
        elif name == "EMPTY_DICT":
            push({})
        elif name == "EMPTY_SET":
            push(set())
        elif name == "EMPTY_TUPLE":
            push(())
        elif name == "LIST":
            push(self._pop_mark())
        elif name == "TUPLE":
            push(self._immutable(tuple(self._pop_mark())))
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            count = int(name[-1])
            items = [self._pop() for _ in range(count)]
            push(self._immutable(tuple(reversed(items))))
        elif name == "FROZENSET":
            items = self._pop_mark()
            for item in items:
                _hashable(item)
            push(self._immutable(frozenset(items)))
        elif name == "DICT":
            push(self._dict_from(self._pop_mark(), {}))
        elif name == "APPEND":
            value = self._pop()
            self._append(self._top(), [value])
        elif name == "APPENDS":
            values = self._pop_mark()
            self._append(self._top(), values)
        elif name == "SETITEM":
            value = self._pop()
            key = self._pop()
            self._dict_from([key, value], self._top())
        elif name == "SETITEMS":
            items = self._pop_mark()
            self._dict_from(items, self._top())
        elif name == "ADDITEMS":
            items = self._pop_mark()
            target = self._top()
            if not isinstance(target, set):
                raise CheckpointError(f"the pickle adds set items to a {type(target).__name__}")
            for item in items:
                _hashable(item)
                target.add(item)
        elif name == "POP":
            if self._stack and self._stack[-1] is _MARK:
                self._pop_mark()
            else:
                self._pop()
        elif name == "POP_MARK":
            self._pop_mark()
        elif name == "DUP":
            push(self._top())
        elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
            self._memo[self._memo_index(arg)] = self._top()
        elif name == "MEMOIZE":
            self._memo[self._memo_index(len(self._memo))] = self._top()
        elif name in ("GET", "BINGET", "LONG_BINGET"):
            index = self._memo_index(arg)
            if index not in self._memo:
                raise CheckpointError(f"the pickle reads memo slot {index}, which it never filled")
            push(self._memo[index])
        elif name == "GLOBAL":
            module, _, attribute = _expect_str(arg, "a global's name").partition(" ")
            push(_resolve_global(module, attribute))
        elif name == "STACK_GLOBAL":
            attribute = _expect_str(self._pop(), "a global's name")
            module = _expect_str(self._pop(), "a global's module")
            push(_resolve_global(module, attribute))
        elif name == "REDUCE":
            args = self._pop()
            func = self._pop()
            push(self._after_call(_call(func, args)))
        elif name == "NEWOBJ":
            args = self._pop()
            cls = self._pop()
            push(self._new_object(cls, args))
        elif name == "NEWOBJ_EX":
            kwargs = self._pop()
            args = self._pop()
            cls = self._pop()
            if kwargs != {}:
                raise CheckpointError("the pickle creates an object with keyword arguments")
            push(self._new_object(cls, args))
        elif name == "BUILD":
            state = self._pop()
            self._build(self._top(), state)
        elif name in ("PERSID", "BINPERSID"):
            pid = arg if name == "PERSID" else self._pop()
            push(self._persistent_load(pid))
        elif name in ("INST", "OBJ"):
            described = f" {arg}" if isinstance(arg, str) else ""
            raise CheckpointError(f"the pickle instantiates a class with {name}{described.replace(' ', '.', 1)}")
        else:
            # EXT1/2/4 (the copyreg extension registry) and the out-of-band buffer opcodes.
            raise CheckpointError(f"the pickle uses the {name} opcode, which this reader does not allow")

    def _after_call(self, value: object) -> object:
        if isinstance(value, (tuple, frozenset)):
            return self._immutable(value)
        return value

    def _append(self, target: object, values: list[object]) -> None:
        if not isinstance(target, list):
            raise CheckpointError(f"the pickle appends to a {type(target).__name__}")
        target.extend(values)

    def _dict_from(self, items: list[object], target: object) -> dict[object, object]:
        if not isinstance(target, dict):
            raise CheckpointError(f"the pickle sets items on a {type(target).__name__}")
        if len(items) % 2:
            raise CheckpointError("the pickle sets a key without a value")
        for index in range(0, len(items), 2):
            key = items[index]
            _hashable(key)
            target[key] = items[index + 1]
        return target

    def _new_object(self, cls: object, args: object) -> object:
        if not isinstance(cls, _Global):
            raise CheckpointError(f"the pickle creates an object of a {type(cls).__name__}, which is not a class")
        if cls.name == "argparse.Namespace":
            if args != ():
                raise CheckpointError("argparse.Namespace is created with arguments")
            return NamespaceDict(cls.name)
        if cls.name == "collections.OrderedDict" or cls.name.startswith("pathlib."):
            return self._after_call(_call(cls, args))
        raise CheckpointError(f"the pickle creates a {_describe(cls)} object, which this reader does not allow")

    def _build(self, target: object, state: object) -> None:
        if isinstance(target, NamespaceDict):
            if not isinstance(state, dict) or not all(isinstance(key, str) for key in state):
                raise CheckpointError(f"{target.kind} is given a state that is not a dict of names")
            target.update(state)
        elif isinstance(target, collections.OrderedDict):
            # torch's state dicts carry their module versions as attributes (``_metadata``); they say nothing
            # about the config, so they are checked for shape and dropped.
            if not isinstance(state, (dict, tuple)):
                raise CheckpointError("an OrderedDict is given a state that is not a dict")
        elif isinstance(target, TensorPlaceholder):
            # A tensor subclass or a tensor with Python attributes; the attributes are dropped like the data.
            if not isinstance(state, (dict, tuple)):
                raise CheckpointError("a tensor is given a state that is not a dict")
        else:
            raise CheckpointError(f"the pickle sets the state of a {type(target).__name__}")


def _describe(value: object) -> str:
    if isinstance(value, _Global):
        return value.name
    return type(value).__name__


def _py2_string(arg: object) -> str:
    if isinstance(arg, bytes):
        try:
            return arg.decode("utf-8")
        except UnicodeDecodeError:
            raise CheckpointError("the pickle holds a byte string that is not UTF-8") from None
    return _expect_str(arg, "a string")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


def _zip_persistent_load(pid: object) -> StoragePlaceholder:
    """Turn a zip-format storage reference into a placeholder; the archive entry it names is never opened."""
    if not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage":
        raise CheckpointError("the pickle has a persistent id that is not a storage reference")
    _, storage_type, key, location, numel = pid
    return _storage(storage_type, key, location, numel)


def _legacy_persistent_load(pid: object) -> StoragePlaceholder:
    """The legacy stream's storage reference; a view of another storage (``view_metadata``) is refused."""
    if not isinstance(pid, tuple) or len(pid) != 6 or pid[0] != "storage":
        raise CheckpointError("the pickle has a persistent id that is not a storage reference")
    _, storage_type, key, location, numel, view = pid
    if view is not None:
        raise CheckpointError("the checkpoint holds a storage view, which this reader does not read")
    return _storage(storage_type, key, location, numel)


def _storage(storage_type: object, key: object, location: object, numel: object) -> StoragePlaceholder:
    if isinstance(storage_type, _Dtype):
        dtype = storage_type.name
    elif isinstance(storage_type, _StorageType):
        dtype = storage_type.dtype
    else:
        raise CheckpointError(f"a storage reference names a {_describe(storage_type)} as its type")
    return StoragePlaceholder(
        dtype=dtype,
        key=_expect_str(key, "a storage key"),
        location=_expect_str(location, "a storage location"),
        numel=_expect_int(numel, "a storage size"),
    )


def _check_depth(root: object) -> None:
    """Refuse a result nested deeper than :data:`MAX_DEPTH` or containing itself, without recursing.

    Shared substructures are measured once, so a pickle that references one list from many places cannot make this
    walk exponential.
    """
    heights: dict[int, int] = {}
    on_path: set[int] = set()
    keep: list[object] = []  # keeps every visited container alive, so no id is reused during the walk
    stack: list[tuple[object, Iterator[object], int]] = []

    def children(value: object) -> Iterator[object] | None:
        if isinstance(value, dict):
            return iter([*value.keys(), *value.values()])
        if isinstance(value, (list, tuple, set, frozenset)):
            return iter(value)
        return None

    def enter(value: object) -> bool:
        items = children(value)
        if items is None or id(value) in heights:
            return False
        if id(value) in on_path:
            raise CheckpointError("the pickle builds a container that contains itself")
        if len(stack) >= MAX_DEPTH:
            raise CheckpointError(f"the pickle nests deeper than {MAX_DEPTH} levels")
        on_path.add(id(value))
        keep.append(value)
        stack.append((value, items, 0))
        return True

    enter(root)
    while stack:
        value, items, height = stack[-1]
        child = next(items, _MARK)
        if child is _MARK:
            stack.pop()
            on_path.discard(id(value))
            heights[id(value)] = height + 1
            if stack:
                parent, parent_items, parent_height = stack[-1]
                stack[-1] = (parent, parent_items, max(parent_height, height + 1))
            continue
        if not enter(child):
            child_height = heights.get(id(child), 0)
            if child_height + len(stack) > MAX_DEPTH:
                raise CheckpointError(f"the pickle nests deeper than {MAX_DEPTH} levels")
            stack[-1] = (value, items, max(height, child_height))


def _run_pickle(raw: IO[bytes], persistent_load: _PersistentLoad) -> object:
    return _Interpreter(_BoundedStream(raw, MAX_PICKLE_BYTES), persistent_load).run()


def _no_persistent_ids(pid: object) -> object:
    raise CheckpointError("a header pickle of the legacy format holds a persistent id")


def _read_legacy(raw: IO[bytes], size: int) -> object:
    """Read the legacy stream's main pickle, then check that the storages it names are all there, unread.

    After the main pickle come a pickled list of storage keys and, per key, the storage's element count and bytes.
    Only the counts are read and the bytes are skipped by seeking, so a truncated file is caught at the cost of a
    few bytes per tensor.
    """
    magic = _run_pickle(raw, _no_persistent_ids)
    if magic != _LEGACY_MAGIC_NUMBER:
        raise CheckpointError("the file is neither a zip archive nor a legacy torch checkpoint")
    protocol = _run_pickle(raw, _no_persistent_ids)
    if protocol != _LEGACY_PROTOCOL_VERSION:
        raise CheckpointError("the legacy checkpoint has an unknown protocol version")
    info = _run_pickle(raw, _no_persistent_ids)
    if not isinstance(info, dict) or info.get("little_endian") is not True:
        raise CheckpointError("the legacy checkpoint was not written on a little-endian machine")
    storages: dict[str, StoragePlaceholder] = {}

    def persistent_load(pid: object) -> object:
        storage = _legacy_persistent_load(pid)
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
        position += 8 + count * _ELEMENT_SIZES.get(storage.dtype, 1)
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
        raise CheckpointError(f"the zip archive is corrupt: {type(error).__name__}: {_one_line(error)}") from None
    stream = io.BytesIO(data)
    result = _run_pickle(stream, _zip_persistent_load)
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
        if head in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC):
            result = _read_zip(raw, size)
        elif head[:2] == b"\x80\x02":
            result = _read_legacy(raw, size)
        elif not head:
            raise CheckpointError("the file is empty")
        else:
            raise CheckpointError("the file is neither a zip archive nor a legacy torch checkpoint")
        _check_depth(result)
    except CheckpointError:
        raise
    except RecursionError:
        raise CheckpointError("the checkpoint nests too deeply to read") from None
    except (OSError, EOFError, ValueError, struct.error, OverflowError) as error:
        # A short read of the legacy stream or of the archive's end records.
        raise CheckpointError(f"the checkpoint is corrupt: {type(error).__name__}: {_one_line(error)}") from None
    if not isinstance(result, dict):
        raise CheckpointError(f"the checkpoint holds a {type(result).__name__}, not a mapping, at its top level")
    return result


class CheckpointConfigs(TypedDict):
    """What a checkpoint records about the run and the model, each ``None`` where the file does not say.

    Attributes:
        train_config: The training config as dumped: ``args`` in RF-DETR's own files, ``hyper_parameters`` in a
            Lightning-native one, a Namespace's attributes in a pre-Lightning one.
        train_config_key: Which of ``"args"`` and ``"hyper_parameters"`` it came from.
        model_config: The model config as dumped (RF-DETR 1.8.1 and later, where it was resolved).
        model_name: The model class's name, such as ``"RFDETRNano"``.
        rfdetr_version: The rfdetr release that wrote the file.
        class_names: The label names, from the training config (RF-DETR records the dataset's there).
        repr_stand_ins: Per config, the top-level fields whose value looks like a repr() stand-in (see
            :func:`is_repr_stand_in`); empty lists for files written before the stand-ins existed.
    """

    train_config: dict[str, object] | None
    train_config_key: str | None
    model_config: dict[str, object] | None
    model_name: str | None
    rfdetr_version: str | None
    class_names: list[str] | None
    repr_stand_ins: dict[str, list[str]]


_UNREPRESENTABLE = re.compile(r"<unrepresentable [A-Za-z_][\w.]*>")
_REPR_SHAPES = (
    re.compile(r"<.*>", re.DOTALL),  # object.__repr__ and friends: "<function f at 0x...>"
    re.compile(r"[A-Za-z_][\w.]*\(.*\)", re.DOTALL),  # "PosixPath('runs/a')", "datetime.date(2024, 1, 1)"
)


def is_repr_stand_in(value: object) -> bool:
    """Tell whether a config value looks like the repr() that rfdetr 1.11+ stores for a value torch cannot load.

    From 1.11, before it saves ``args`` and ``model_config``, rfdetr replaces each top-level value that a weights-only
    ``torch.load`` would refuse by ``repr(value)``, or by ``"<unrepresentable TypeName>"`` when repr itself fails. It
    marks nothing else, so apart from that last form a stand-in is an ordinary string: this can only recognise the
    shapes reprs take (``<...>`` and ``Name(...)``). A user string of the same shape is a false positive, which is why
    the field's declared type, not this function, settles it.

    Args:
        value: A top-level value of a checkpoint's ``args`` or ``model_config``.

    Returns:
        Whether it is a string shaped like a repr.
    """
    if not isinstance(value, str) or isinstance(value, PathValue):
        return False
    return any(pattern.fullmatch(value) for pattern in (_UNREPRESENTABLE, *_REPR_SHAPES))


def _release_at_least(version: str | None, major: int, minor: int) -> bool:
    match = re.match(r"(\d+)\.(\d+)", version or "")
    return match is not None and (int(match[1]), int(match[2])) >= (major, minor)


def _string_keyed(value: object) -> dict[str, object] | None:
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {str(key): item for key, item in value.items()}
    return None


def checkpoint_configs(checkpoint: Mapping[object, object]) -> CheckpointConfigs:
    """Pick out of a checkpoint what describes its training run and its model, whichever release wrote it.

    RF-DETR's checkpoints grew these keys over releases and Lightning puts the training config elsewhere, so one
    place resolves the variants: ``args`` (a dict, or a Namespace in pre-Lightning files) before
    ``hyper_parameters``, and ``None`` for what a file does not record. Only the shapes are checked: a config is
    returned only if it is a dict with string keys, a name or version only if it is a string.

    Args:
        checkpoint: What :func:`read_checkpoint` returned (or ``torch.load``, for a trusted file).

    Returns:
        The configs and their provenance; see :class:`CheckpointConfigs`.
    """
    train_config: dict[str, object] | None = None
    train_config_key: str | None = None
    for key in ("args", "hyper_parameters"):
        found = _string_keyed(checkpoint.get(key))
        if found is not None:
            train_config, train_config_key = found, key
            break
    model_config = _string_keyed(checkpoint.get("model_config"))
    model_name = checkpoint.get("model_name")
    version = checkpoint.get("rfdetr_version")
    rfdetr_version = version if isinstance(version, str) else None
    names = (train_config or {}).get("class_names")
    class_names = list(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else None
    stand_ins: dict[str, list[str]] = {"train_config": [], "model_config": []}
    if _release_at_least(rfdetr_version, 1, 11):
        for label, config in (("train_config", train_config), ("model_config", model_config)):
            stand_ins[label] = [key for key, value in (config or {}).items() if is_repr_stand_in(value)]
    return CheckpointConfigs(
        train_config=train_config,
        train_config_key=train_config_key,
        model_config=model_config,
        model_name=model_name if isinstance(model_name, str) else None,
        rfdetr_version=rfdetr_version,
        class_names=class_names,
        repr_stand_ins=stand_ins,
    )
