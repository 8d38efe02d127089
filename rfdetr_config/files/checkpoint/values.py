"""What a checkpoint may hold once read: plain values, placeholders for tensors, and the allow-list of globals."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable, Mapping
from typing import IO, Final

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

ZIP_MAGIC: Final = b"PK\x03\x04"
EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
LEGACY_MAGIC_NUMBER: Final = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL_VERSION: Final = 1001
HIGHEST_PICKLE_PROTOCOL: Final = 5


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
class StorageType:
    """A ``torch.<Dtype>Storage`` class named by the file, standing for the element type of a storage."""

    dtype: str


@dataclasses.dataclass(frozen=True)
class Dtype:
    """A ``torch.<dtype>`` object named by the file (storages of untyped ``torch.UntypedStorage`` carry one)."""

    name: str


@dataclasses.dataclass(frozen=True)
class Global:
    """An allowed global: a name the interpreter knows how to stand in for, never an imported object."""

    name: str


class _Mark:
    """The MARK opcode's stack entry."""


MARK: Final = _Mark()

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
ELEMENT_SIZES: Final[Mapping[str, int]] = {
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


def resolve_global(module: str, name: str) -> object:
    """Return the stand-in for an allowed global, or raise naming the one refused.

    Nothing is imported: the answer depends on the two strings alone.
    """
    if module == "__builtin__":
        module = "builtins"  # protocols 0 to 2 name the builtins module by its Python 2 name
    qualified = f"{module}.{name}"
    if qualified in _TENSOR_REBUILDERS or qualified in _OTHER_GLOBALS:
        return Global(qualified)
    if module == "torch" and name in _STORAGE_DTYPES:
        return StorageType(_STORAGE_DTYPES[name])
    if module == "torch.storage" and name == "UntypedStorage":
        return StorageType("uint8")
    if module == "torch" and name in _TORCH_DTYPES:
        return Dtype(name)
    if module in ("pathlib", "pathlib._local") and name in _PATH_CLASSES:
        return Global(f"pathlib.{name}")
    if len(qualified) > 200:
        qualified = qualified[:200] + "..."
    raise CheckpointError(f"the checkpoint refers to {qualified}, which this reader does not allow")


class BoundedStream:
    """A read-only view of a pickle that refuses, before reading, any read larger than the bounds allow."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw = raw
        self._remaining = limit

    def _take(self, count: int) -> None:
        self._remaining -= count
        if self._remaining < 0:
            raise CheckpointError(f"the pickle is larger than the {MAX_PICKLE_BYTES}-byte limit")

    def read(self, size: int = -1) -> bytes:
        """At most ``size`` bytes; a size past the string bound is refused before reading."""
        if size < 0 or size > MAX_STRING_BYTES:
            raise CheckpointError(
                f"the pickle declares a value of {size} bytes, over the {MAX_STRING_BYTES}-byte limit"
            )
        data = self._raw.read(size)
        self._take(len(data))
        return data

    def readline(self) -> bytes:
        """One line, no longer than the string bound."""
        line = self._raw.readline(MAX_STRING_BYTES + 1)
        if len(line) > MAX_STRING_BYTES:
            raise CheckpointError(f"the pickle holds a line over the {MAX_STRING_BYTES}-byte limit")
        self._take(len(line))
        return line


PersistentLoad = Callable[[object], object]


def expect_int(value: object, what: str) -> int:
    """``value`` if it is an int (not a bool), else the file is refused naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not an int")
    return value


def expect_str(value: object, what: str) -> str:
    """``value`` if it is a str, else the file is refused naming ``what``."""
    if not isinstance(value, str):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not a str")
    return value


def _expect_int_tuple(value: object, what: str) -> tuple[int, ...]:
    if not isinstance(value, tuple):
        raise CheckpointError(f"{what} is a {type(value).__name__}, not a tuple")
    return tuple(expect_int(item, what) for item in value)


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
        storage_offset=expect_int(offset, "a tensor's storage offset"),
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


def call(func: object, args: object) -> object:
    """Do what REDUCE would do for an allowed callable, without calling anything the file named."""
    if not isinstance(args, tuple):
        raise CheckpointError(f"REDUCE is given {type(args).__name__} arguments")
    if not isinstance(func, Global):
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
                hashable(pair[0])
                result[pair[0]] = pair[1]
        return result
    if name in ("builtins.set", "builtins.frozenset"):
        items: list[object] = []
        if args:
            if len(args) != 1 or not isinstance(args[0], (list, tuple)):
                raise CheckpointError(f"{name} is called with arguments it would not be given")
            items = list(args[0])
        for item in items:
            hashable(item)
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


def hashable(key: object) -> None:
    """Refuse a dict key or set member Python cannot hash, as a clean error instead of a TypeError.

    Only tuples, frozensets and the placeholders are hashable containers here, and their depth is checked as they are
    made, so hashing them cannot recurse deeply.
    """
    try:
        hash(key)
    except TypeError:
        raise CheckpointError(f"the pickle uses an unhashable {type(key).__name__} as a key") from None
