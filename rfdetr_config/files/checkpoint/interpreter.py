"""The restricted pickle interpreter: runs a pickle's opcodes, building only plain values and placeholders."""

from __future__ import annotations

import collections
import pickletools
import struct
from collections.abc import Iterator

from .values import (
    HIGHEST_PICKLE_PROTOCOL,
    MARK,
    MAX_DEPTH,
    MAX_MARKS,
    MAX_MEMO,
    MAX_OBJECTS,
    BoundedStream,
    CheckpointError,
    Dtype,
    Global,
    NamespaceDict,
    PersistentLoad,
    StoragePlaceholder,
    StorageType,
    TensorPlaceholder,
    call,
    expect_int,
    expect_str,
    hashable,
    resolve_global,
)


class Interpreter:
    """Runs the opcodes of one pickle, building plain values and placeholders only."""

    def __init__(self, stream: BoundedStream, persistent_load: PersistentLoad) -> None:
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
        if value is MARK:
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
        if not self._stack or self._stack.pop() is not MARK:
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
        index = expect_int(arg, "a memo index")
        if not 0 <= index < MAX_MEMO:
            raise CheckpointError(f"the pickle uses memo slot {index}, outside 0..{MAX_MEMO - 1}")
        return index

    def run(self) -> object:
        """The value the pickle builds; any failure of the file is a CheckpointError."""
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
            raise CheckpointError(f"the pickle is corrupt: {one_line(error)}") from None
        if self._marks or len(self._stack) != 1:
            raise CheckpointError("the pickle leaves its stack unbalanced")
        return self._stack[0]

    def _step(self, name: str, arg: object) -> None:
        push = self._push
        if name in ("PROTO",):
            if expect_int(arg, "the protocol") > HIGHEST_PICKLE_PROTOCOL:
                raise CheckpointError(f"the pickle uses protocol {arg}, which this reader does not know")
        elif name == "FRAME":
            pass
        elif name == "MARK":
            if len(self._marks) >= MAX_MARKS:
                raise CheckpointError(f"the pickle nests deeper than {MAX_DEPTH} levels")
            self._stack.append(MARK)
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
                hashable(item)
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
                hashable(item)
                target.add(item)
        elif name == "POP":
            if self._stack and self._stack[-1] is MARK:
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
            module, _, attribute = expect_str(arg, "a global's name").partition(" ")
            push(resolve_global(module, attribute))
        elif name == "STACK_GLOBAL":
            attribute = expect_str(self._pop(), "a global's name")
            module = expect_str(self._pop(), "a global's module")
            push(resolve_global(module, attribute))
        elif name == "REDUCE":
            args = self._pop()
            func = self._pop()
            push(self._after_call(call(func, args)))
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
            hashable(key)
            target[key] = items[index + 1]
        return target

    def _new_object(self, cls: object, args: object) -> object:
        if not isinstance(cls, Global):
            raise CheckpointError(f"the pickle creates an object of a {type(cls).__name__}, which is not a class")
        if cls.name == "argparse.Namespace":
            if args != ():
                raise CheckpointError("argparse.Namespace is created with arguments")
            return NamespaceDict(cls.name)
        if cls.name == "collections.OrderedDict" or cls.name.startswith("pathlib."):
            return self._after_call(call(cls, args))
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
    if isinstance(value, Global):
        return value.name
    return type(value).__name__


def _py2_string(arg: object) -> str:
    if isinstance(arg, bytes):
        try:
            return arg.decode("utf-8")
        except UnicodeDecodeError:
            raise CheckpointError("the pickle holds a byte string that is not UTF-8") from None
    return expect_str(arg, "a string")


def one_line(error: BaseException) -> str:
    """An exception's text on one short line, for a message about the file."""
    text = " ".join(str(error).split())
    return text[:300] if text else type(error).__name__


def zip_persistent_load(pid: object) -> StoragePlaceholder:
    """Turn a zip-format storage reference into a placeholder; the archive entry it names is never opened."""
    if not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage":
        raise CheckpointError("the pickle has a persistent id that is not a storage reference")
    _, storage_type, key, location, numel = pid
    return _storage(storage_type, key, location, numel)


def legacy_persistent_load(pid: object) -> StoragePlaceholder:
    """The legacy stream's storage reference; a view of another storage (``view_metadata``) is refused."""
    if not isinstance(pid, tuple) or len(pid) != 6 or pid[0] != "storage":
        raise CheckpointError("the pickle has a persistent id that is not a storage reference")
    _, storage_type, key, location, numel, view = pid
    if view is not None:
        raise CheckpointError("the checkpoint holds a storage view, which this reader does not read")
    return _storage(storage_type, key, location, numel)


def _storage(storage_type: object, key: object, location: object, numel: object) -> StoragePlaceholder:
    if isinstance(storage_type, Dtype):
        dtype = storage_type.name
    elif isinstance(storage_type, StorageType):
        dtype = storage_type.dtype
    else:
        raise CheckpointError(f"a storage reference names a {_describe(storage_type)} as its type")
    return StoragePlaceholder(
        dtype=dtype,
        key=expect_str(key, "a storage key"),
        location=expect_str(location, "a storage location"),
        numel=expect_int(numel, "a storage size"),
    )


def check_depth(root: object) -> None:
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
        child = next(items, MARK)
        if child is MARK:
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
