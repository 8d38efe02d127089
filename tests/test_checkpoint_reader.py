"""The checkpoint reader: real rfdetr files read as torch.load read them, and hostile files refused, without torch.

The fixtures come from ``tests/checkpoints/record.py`` (real rfdetr releases, real ``torch.save``); their JSON
sidecars hold what ``torch.load(weights_only=False)`` returned. The hostile files are built here, byte by byte where
the ``pickle`` module would refuse to write them, and each one that would run a command aims it at a marker file whose
absence proves that nothing ran.
"""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import pickle
import struct
import subprocess
import tracemalloc
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rfdetr_config.files.checkpoint import (
    CheckpointError,
    NamespaceDict,
    PathValue,
    StoragePlaceholder,
    TensorPlaceholder,
    archive,
    checkpoint_configs,
    interpreter,
    is_repr_stand_in,
    read_checkpoint,
    values,
)

FIXTURES = pathlib.Path(__file__).resolve().parent / "checkpoints" / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".json")


def sidecar(path: pathlib.Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))


def encode(value: Any) -> Any:
    """The reader's values in the tagged JSON that record.py writes for torch.load's."""
    if isinstance(value, TensorPlaceholder):
        return {"$tensor": value.dtype, "shape": list(value.shape)}
    if isinstance(value, PathValue):
        return {"$path": value.kind, "value": str(value)}
    if isinstance(value, NamespaceDict):
        return {"$namespace": value.kind, "attributes": encode(dict(value))}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: encode(item) for key, item in value.items()}
        return {"$dict": [[encode(key), encode(item)] for key, item in value.items()]}
    raise TypeError(f"no JSON form for {type(value).__qualname__}")


# --- the real files --------------------------------------------------------------------------------------------------


def test_there_are_fixtures_of_every_release_and_format() -> None:
    records = [sidecar(path) for path in FIXTURE_FILES]
    assert {r["release"] for r in records} == {"1.8.1", "1.10.0", "1.11.2"}
    assert {r["format"] for r in records} == {"zip", "legacy"}
    assert all(path.stat().st_size < 16_384 for path in FIXTURE_FILES)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_reads_as_torch_load_read_it(path: pathlib.Path) -> None:
    record = sidecar(path)
    checkpoint = read_checkpoint(path)
    assert sorted(checkpoint) == record["top_level_keys"]
    assert {key: encode(checkpoint[key]) for key in record["values"]} == record["values"]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_reads_the_same_from_bytes(path: pathlib.Path) -> None:
    assert encode(read_checkpoint(path.read_bytes())) == encode(read_checkpoint(path))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_configs_of_each_fixture(path: pathlib.Path) -> None:
    values = sidecar(path)["values"]
    configs = checkpoint_configs(read_checkpoint(path))
    if "args" in values:
        assert configs["train_config_key"] == "args"
        args = values["args"]
        attributes = args["attributes"] if "$namespace" in args else args
        assert encode(configs["train_config"]) == attributes
    elif "hyper_parameters" in values:
        assert configs["train_config_key"] == "hyper_parameters"
        assert encode(configs["train_config"]) == values["hyper_parameters"]
    else:
        assert configs["train_config"] is None
        assert configs["train_config_key"] is None
    assert encode(configs["model_config"]) == values.get("model_config")
    assert configs["model_name"] == values.get("model_name")
    assert configs["rfdetr_version"] == values.get("rfdetr_version")


def test_release_1_11_stores_a_path_as_its_repr_and_it_is_reported() -> None:
    configs = checkpoint_configs(read_checkpoint(FIXTURES / "rfdetr-1.11.2-checkpoint_best_regular.pth"))
    assert configs["train_config"] is not None
    assert configs["train_config"]["notes"] == "PurePosixPath('runs/exp1')"
    assert configs["repr_stand_ins"] == {"train_config": ["notes"], "model_config": []}
    assert configs["class_names"] == ["cat", "dog"]
    assert configs["model_name"] == "RFDETRNano"


def test_earlier_releases_store_the_path_itself() -> None:
    configs = checkpoint_configs(read_checkpoint(FIXTURES / "rfdetr-1.10.0-checkpoint_best_regular.pth"))
    assert configs["train_config"] is not None
    notes = configs["train_config"]["notes"]
    assert isinstance(notes, PathValue)
    assert (notes, notes.kind) == ("runs/exp1", "PurePosixPath")
    assert configs["repr_stand_ins"] == {"train_config": [], "model_config": []}


def test_lightning_files_before_1_11_record_no_config() -> None:
    configs = checkpoint_configs(read_checkpoint(FIXTURES / "rfdetr-1.8.1-last.ckpt"))
    assert configs["train_config"] is None
    assert configs["model_config"] is None
    assert configs["model_name"] is None


def test_legacy_namespace_and_placeholders() -> None:
    checkpoint = read_checkpoint(FIXTURES / "rfdetr-1.11.2-legacy-namespace.pth")
    args = checkpoint["args"]
    assert isinstance(args, NamespaceDict)
    assert args.kind == "argparse.Namespace"
    model = checkpoint["model"]
    assert isinstance(model, dict)
    weight = model["class_embed.weight"]
    assert isinstance(weight, TensorPlaceholder)
    assert (weight.dtype, weight.shape, weight.stride, weight.storage_offset) == ("float32", (3, 4), (4, 1), 0)
    assert weight.storage.location == "cpu"
    assert weight.storage.numel == 12


def test_roboflow_bundle_holds_a_simple_namespace() -> None:
    checkpoint = read_checkpoint(FIXTURES / "rfdetr-1.11.2-weights.pt")
    assert isinstance(checkpoint["args"], NamespaceDict)
    assert checkpoint["args"].kind == "types.SimpleNamespace"
    assert checkpoint_configs(checkpoint)["class_names"] == ["cat", "dog"]


def test_shared_storages_stay_shared() -> None:
    # best-model payloads hold every weight twice (model and state_dict), as views of one storage each.
    checkpoint = read_checkpoint(FIXTURES / "rfdetr-1.11.2-checkpoint_best_regular.pth")
    model, state = checkpoint["model"], checkpoint["state_dict"]
    assert isinstance(model, dict)
    assert isinstance(state, dict)
    assert model["class_embed.weight"] == state["model.class_embed.weight"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PurePosixPath('runs/exp1')", True),
        ("<function f at 0x7f00>", True),
        ("<unrepresentable Foo>", True),
        ("datetime.date(2024, 1, 1)", True),
        ("runs/exp1", False),
        ("a (b)", False),
        (3, False),
        (PathValue("<x>", "PurePosixPath"), False),
    ],
)
def test_is_repr_stand_in(value: object, expected: bool) -> None:
    assert is_repr_stand_in(value) is expected


def test_configs_of_odd_mappings() -> None:
    assert checkpoint_configs({})["train_config"] is None
    configs = checkpoint_configs({"args": [1], "hyper_parameters": {"a": 1}, "model_name": 3, "rfdetr_version": 1.2})
    assert configs["train_config_key"] == "hyper_parameters"
    assert (configs["model_name"], configs["rfdetr_version"]) == (None, None)
    # A stand-in is only looked for where rfdetr makes them.
    old = checkpoint_configs({"args": {"notes": "<x>"}, "rfdetr_version": "1.10.0"})
    assert old["repr_stand_ins"]["train_config"] == []
    new = checkpoint_configs({"args": {"notes": "<x>"}, "rfdetr_version": "1.11.0"})
    assert new["repr_stand_ins"]["train_config"] == ["notes"]


# --- building hostile files ------------------------------------------------------------------------------------------

PROTO2 = b"\x80\x02"


def glob(module: str, name: str) -> bytes:
    return b"c" + f"{module}\n{name}\n".encode()


def text(value: str) -> bytes:
    data = value.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def integer(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)


def int_tuple(values: tuple[int, ...]) -> bytes:
    return b"(" + b"".join(integer(v) for v in values) + b"t"


def storage_pid(key: str, numel: int, storage_type: bytes = b"") -> bytes:
    kind = storage_type or glob("torch", "FloatStorage")
    return b"(" + text("storage") + kind + text(key) + text("cpu") + integer(numel) + b"tQ"


def tensor(pid: bytes, shape: tuple[int, ...]) -> bytes:
    stride = tuple(math.prod(shape[i + 1 :]) for i in range(len(shape)))
    hooks = glob("collections", "OrderedDict") + b")R"
    args = b"(" + pid + integer(0) + int_tuple(shape) + int_tuple(stride) + b"\x89" + hooks + b"t"
    return glob("torch._utils", "_rebuild_tensor_v2") + args + b"R"


def in_dict(key: str, value: bytes) -> bytes:
    """A protocol-2 pickle of {key: value}: the reader wants a mapping at the top, so hostile values go inside one."""
    return PROTO2 + b"}" + text(key) + value + b"s."


def torch_zip(data_pkl: bytes, entries: dict[str, bytes] | None = None, **options: Any) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", **options) as archive:
        archive.writestr("archive/data.pkl", data_pkl)
        archive.writestr("archive/byteorder", b"little")
        for name, data in (entries or {}).items():
            archive.writestr(name, data)
        archive.writestr("archive/version", b"3\n")
    return buffer.getvalue()


class Command:
    """Pickles as a call of ``func(*args)``: what a hostile checkpoint holds."""

    def __init__(self, func: Any, *args: Any) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.func, self.args)


@pytest.fixture
def marker(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "ran"


def hostile_commands(marker: pathlib.Path) -> dict[str, Command]:
    touch = f"open({str(marker)!r}, 'w').close()"
    return {
        "os.system": Command(os.system, f"touch '{marker}'"),
        "builtins.eval": Command(eval, touch),
        "builtins.exec": Command(exec, touch),
        "subprocess.Popen": Command(subprocess.Popen, ["touch", str(marker)]),
        "subprocess.check_call": Command(subprocess.check_call, ["touch", str(marker)]),
        "os.remove": Command(os.remove, str(marker)),
    }


def refused(data: bytes | pathlib.Path, *words: str) -> str:
    with pytest.raises(CheckpointError) as caught:
        read_checkpoint(data)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


COMMANDS = ["os.system", "builtins.eval", "builtins.exec", "subprocess.Popen", "subprocess.check_call"]


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("protocol", [2, 4, 5])
@pytest.mark.parametrize("layout", ["zip", "legacy-stream"])
def test_a_call_of_a_command_is_refused_and_nothing_runs(
    name: str, protocol: int, layout: str, marker: pathlib.Path
) -> None:
    command = hostile_commands(marker)[name]
    payload = pickle.dumps({"args": command, "model": {}}, protocol=protocol)
    if layout == "zip":
        data = torch_zip(payload)
    else:
        header = b"".join(pickle.dumps(v, protocol=2) for v in (values.LEGACY_MAGIC_NUMBER, 1001))
        data = header + pickle.dumps({"little_endian": True}, protocol=2) + payload
    # os.system pickles as posix.system (or nt.system): the message names what the file names.
    function = name.rpartition(".")[2]
    refused(data, function, "does not allow")
    assert not marker.exists()


def test_the_hostile_payloads_are_real(marker: pathlib.Path) -> None:
    # The control: plain pickle runs the same bytes, which is what the reader must never do.
    pickle.loads(pickle.dumps(hostile_commands(marker)["builtins.exec"], protocol=2))
    assert marker.exists()


def test_a_hand_written_global_is_named(marker: pathlib.Path) -> None:
    payload = in_dict("args", glob("os", "system") + b"(" + text(f"touch {marker}") + b"tR")
    refused(torch_zip(payload), "os.system")
    assert not marker.exists()


def test_an_unknown_class_is_refused(marker: pathlib.Path) -> None:
    payload = pickle.dumps({"args": Command(print, 1), "value": pathlib.PurePosixPath("x")})
    refused(torch_zip(payload), "builtins.print")


@pytest.mark.parametrize(
    ("opcode", "words"),
    [
        (b"i" + b"os\nsystem\n", ("INST",)),
        (b"(" + glob("os", "system") + b"o", ("os.system",)),
        (b"\x82\x01", ("EXT1",)),
        (b"\x97", ("NEXT_BUFFER",)),
    ],
    ids=["INST", "OBJ", "EXT1", "NEXT_BUFFER"],
)
def test_opcodes_that_instantiate_or_look_up_are_refused(opcode: bytes, words: tuple[str, ...]) -> None:
    refused(torch_zip(b"\x80\x05}" + text("a") + b"(" + opcode + b"s."), *words)


def test_a_global_smuggled_into_a_tensor_rebuild(marker: pathlib.Path) -> None:
    smuggled = glob("os", "system") + b"(" + text(f"touch {marker}") + b"tR"
    hooks = glob("collections", "OrderedDict") + b")R"
    rebuild = glob("torch._utils", "_rebuild_tensor_v2")
    as_storage = rebuild + b"(" + smuggled + integer(0) + int_tuple((1,)) + int_tuple((1,)) + b"\x89" + hooks + b"tR"
    refused(torch_zip(in_dict("w", as_storage)), "os.system")
    as_hook = tensor(storage_pid("0", 1), (1,)).replace(hooks, smuggled)
    refused(torch_zip(in_dict("w", as_hook)), "os.system")
    assert not marker.exists()


def test_a_rebuild_given_the_wrong_things() -> None:
    rebuild = glob("torch._utils", "_rebuild_tensor_v2")
    not_a_storage = rebuild + b"(" + text("x") + integer(0) + int_tuple((1,)) + int_tuple((1,)) + b"\x89}tR"
    refused(torch_zip(in_dict("w", not_a_storage)), "str where a storage belongs")
    parameter = glob("torch._utils", "_rebuild_parameter") + b"(" + text("x") + b"\x89}tR"
    refused(torch_zip(in_dict("w", parameter)), "where a tensor belongs")
    with_hooks = tensor(storage_pid("0", 1), (1,)).replace(b")R", b")R" + integer(1) + integer(2) + b"s", 1)
    refused(torch_zip(in_dict("w", with_hooks)), "backward hooks")
    too_few = rebuild + b"(" + storage_pid("0", 1) + b"tR"
    refused(torch_zip(in_dict("w", too_few)), "arguments")


def test_a_persistent_id_carrying_a_global(marker: pathlib.Path) -> None:
    refused(torch_zip(in_dict("w", tensor(storage_pid("0", 1, glob("builtins", "exec")), (1,)))), "builtins.exec")
    # A persistent id that is not a storage reference at all, or with a storage type that is no type.
    refused(torch_zip(in_dict("w", text("boom") + b"Q")), "persistent id")
    refused(torch_zip(in_dict("w", tensor(storage_pid("0", 1, text("FloatStorage")), (1,)))), "storage reference")
    refused(torch_zip(in_dict("w", b"P0\n")), "persistent id")
    assert not marker.exists()


def test_a_good_hand_written_tensor_reads() -> None:
    checkpoint = read_checkpoint(torch_zip(in_dict("w", tensor(storage_pid("7", 6), (2, 3)))))
    assert checkpoint == {
        "w": TensorPlaceholder("float32", (2, 3), (3, 1), 0, StoragePlaceholder("float32", "7", "cpu", 6))
    }


@pytest.mark.parametrize("cut", [0.99, 0.5, 0.1])
@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_a_truncated_file(path: pathlib.Path, cut: float) -> None:
    data = path.read_bytes()
    refused(data[: int(len(data) * cut)])


def test_a_truncated_data_pkl() -> None:
    data_pkl = data_pkl_of("rfdetr-1.11.2-checkpoint_best_regular.pth")
    for cut in (1, 2, len(data_pkl) // 2, len(data_pkl) - 1):
        refused(torch_zip(data_pkl[:cut]))
    refused(torch_zip(data_pkl + b"more"), "goes on after")


def test_a_damaged_entry_fails_its_checksum() -> None:
    data = bytearray((FIXTURES / "rfdetr-1.8.1-checkpoint_best_regular.pth").read_bytes())
    start = data.index(b"\x80\x02")  # the first byte of data.pkl, the archive's first entry
    data[start + 100] ^= 0x01
    refused(bytes(data), "corrupt")


def test_not_a_checkpoint() -> None:
    refused(b"", "empty")
    refused(b'{"epochs": 3}', "neither")
    refused(pickle.dumps([1, 2]), "neither")
    refused(torch_zip(pickle.dumps([1, 2], protocol=2)), "list, not a mapping")
    refused(pickle.dumps(123, protocol=2), "neither")
    header = b"".join(pickle.dumps(v, protocol=2) for v in (values.LEGACY_MAGIC_NUMBER, 7))
    refused(header, "protocol version")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/b/data.pkl", b"\x80\x02}.")
    refused(buffer.getvalue(), "no <name>/data.pkl")
    refused(torch_zip(b"\x80\x02}.", {"other/data.pkl": b"\x80\x02}."}), "2 <name>/data.pkl")


def test_an_unhashable_key_and_a_bad_stack() -> None:
    refused(torch_zip(PROTO2 + b"}]" + integer(1) + b"s."), "unhashable list")
    refused(torch_zip(PROTO2 + b"}" + integer(1) + b"a."), "appends to a dict")
    refused(torch_zip(PROTO2 + b"0."), "empty stack")
    refused(torch_zip(PROTO2 + b"}}."), "unbalanced")
    refused(torch_zip(PROTO2 + b"}" + b"h\x05."), "never filled")
    refused(torch_zip(b"\x80\x09}."), "protocol 9")


# --- bounds ----------------------------------------------------------------------------------------------------------


def test_an_oversized_data_pkl_is_refused_before_it_is_read(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.pth"
    with zipfile.ZipFile(path, "w") as archive, archive.open("archive/data.pkl", "w", force_zip64=True) as entry:
        block = b"N0" * (1 << 19)  # NONE, POP: a valid pickle that never ends
        for _ in range(values.MAX_PICKLE_BYTES // len(block) + 1):
            entry.write(block)
    tracemalloc.start()
    try:
        refused(path, "data.pkl is", "limit")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024**2


def test_a_zip_bomb_data_pkl(tmp_path: pathlib.Path) -> None:
    # 80 MiB of a two-byte pattern, deflated to well under 1 MiB: refused by its declared size, never inflated.
    path = tmp_path / "bomb.pth"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("archive/data.pkl", "w", force_zip64=True) as entry,
    ):
        block = b"N0" * (1 << 20)
        for _ in range(40):
            entry.write(block)
    assert path.stat().st_size < 1024**2
    refused(path, "limit")


def test_a_zip_bomb_that_understates_its_size(tmp_path: pathlib.Path) -> None:
    # The same bomb with its headers claiming 10 bytes: the read is capped, and the lie is caught.
    body = b"N0" * (1 << 20) * 40
    data = bytearray(torch_zip(body, compression=zipfile.ZIP_DEFLATED))
    size_field = struct.pack("<I", len(body))
    assert data.count(size_field) == 2  # the local header and the central directory record
    data = data.replace(size_field, struct.pack("<I", 10))
    tracemalloc.start()
    try:
        refused(bytes(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(data) + 8 * 1024**2


def test_too_many_archive_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ARCHIVE_ENTRIES", 5)
    refused(FIXTURES / "rfdetr-1.11.2-last.ckpt", "entries", "limit of 5")


def test_a_central_directory_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_CENTRAL_DIRECTORY_BYTES", 100)
    refused(FIXTURES / "rfdetr-1.11.2-last.ckpt", "directory")


def test_a_zip_whose_end_record_lies() -> None:
    data = bytearray(torch_zip(PROTO2 + b"}."))
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)  # claims zip64, without the zip64 records
    refused(bytes(data), "zip64")
    refused(bytes(data[: end + 10]), "end-of-central-directory")


def test_a_file_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 1000)
    refused(FIXTURES / "rfdetr-1.11.2-last.ckpt", "over the 1000-byte limit")


@pytest.mark.parametrize(
    "body",
    [
        b"]" * 100_001 + b"a" * 100_000,  # [[[...]]] by APPEND
        b"]" * 300 + b"a" * 299,  # just over the limit
        b"(" * 100_000,  # a nest of marks
        b"N" + b"\x85" * 100_000,  # ((((None,),),),) by TUPLE1
        b")" + b"\x85" * (values.MAX_DEPTH + 1),
    ],
    ids=["lists-100000", "lists-300", "marks", "tuples-100000", "tuples-201"],
)
def test_a_deep_nest(body: bytes) -> None:
    refused(torch_zip(PROTO2 + b"}" + text("a") + body + b"s."))


def test_nesting_up_to_the_limit_reads() -> None:
    depth = values.MAX_DEPTH - 1  # the top-level dict is one level
    checkpoint = read_checkpoint(torch_zip(PROTO2 + b"}" + text("a") + b"]" * depth + b"a" * (depth - 1) + b"s."))
    value: Any = checkpoint["a"]
    for _ in range(depth - 1):
        (value,) = value
    assert value == []


def test_shared_substructure_is_measured_once() -> None:
    # Each list holds the one below it twice: 2**60 paths through 61 objects, measured in linear time.
    body = b"]q\x000" + b"".join(b"](h%ch%ceq%c0" % (i, i, i + 1) for i in range(60)) + b"h\x3c"
    checkpoint = read_checkpoint(torch_zip(PROTO2 + b"}" + text("a") + body + b"s."))
    value = checkpoint["a"]
    for _ in range(60):
        assert isinstance(value, list)
        assert value[0] is value[1]
        value = value[0]
    assert value == []


def test_a_container_that_holds_itself() -> None:
    refused(torch_zip(PROTO2 + b"}" + text("a") + b"]q\x00h\x00as."), "contains itself")


def test_a_huge_memo_index(marker: pathlib.Path) -> None:
    refused(torch_zip(PROTO2 + b"}r\xff\xff\xff\xff."), "memo slot 4294967295")
    refused(torch_zip(PROTO2 + b"}j\xff\xff\xff\x7f."), "memo slot")
    refused(torch_zip(b"\x80\x02}p99999999999999999999\n."), "memo slot")


def test_many_memo_puts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "MAX_MEMO", 10_000)
    refused(torch_zip(b"\x80\x04}" + b"\x94" * 10_001 + b"."), "memo slot 10000")


def test_too_many_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "MAX_OBJECTS", 10_000)
    refused(torch_zip(PROTO2 + b"}" + b"N0" * 10_000 + b"."), "more than 10000 objects")


@pytest.mark.parametrize(
    "declared",
    [
        b"\x8d" + struct.pack("<Q", 1 << 62),  # BINUNICODE8, 4 EiB
        b"\x8e" + struct.pack("<Q", (1 << 63) - 1),  # BINBYTES8
        b"X" + struct.pack("<I", 0xFFFFFFFF),  # BINUNICODE, 4 GiB
        b"B" + struct.pack("<I", 100 * 1024**2),  # BINBYTES, 100 MiB
        b"\x96" + struct.pack("<Q", 1 << 40),  # BYTEARRAY8
    ],
    ids=["BINUNICODE8", "BINBYTES8", "BINUNICODE", "BINBYTES", "BYTEARRAY8"],
)
def test_a_huge_declared_string_length(declared: bytes) -> None:
    tracemalloc.start()
    try:
        refused(torch_zip(b"\x80\x05}" + text("a") + declared + b"abc" + b"s."), "limit")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024**2


def test_a_string_that_is_shorter_than_declared() -> None:
    refused(torch_zip(PROTO2 + b"}" + text("a") + b"X" + struct.pack("<I", 1000) + b"abc"), "corrupt")


def test_huge_numbers_are_values_not_errors() -> None:
    # LONG4 with a 1 MiB integer and a text LONG Python refuses to parse: one reads, one is a clean error.
    big = b"\x8b" + struct.pack("<i", 1 << 20) + b"\x01" * (1 << 20)
    assert read_checkpoint(torch_zip(PROTO2 + b"}" + text("a") + big + b"s."))["a"] != 0
    refused(torch_zip(PROTO2 + b"}" + text("a") + b"L" + b"9" * 10_000 + b"L\ns."), "corrupt")


def test_allowed_values_of_old_protocols() -> None:
    value = {
        "set": {1, 2},
        "frozenset": frozenset({3}),
        "bytes": b"\x00\xff",
        "bytearray": bytearray(b"ab"),
        "tuple": (1, (2, 3)),
        "nan": float("nan"),
        "windows": pathlib.PureWindowsPath("C:/runs/a"),
    }
    for protocol in (0, 1, 2, 3, 4, 5):
        read = read_checkpoint(torch_zip(pickle.dumps(value, protocol=protocol)))
        plain = {k: v for k, v in value.items() if k not in ("nan", "windows")}
        assert {k: v for k, v in read.items() if k in plain} == plain
        nan = read["nan"]
        assert isinstance(nan, float)
        assert math.isnan(nan)
        windows = read["windows"]
        assert isinstance(windows, PathValue)
        assert (windows, windows.kind) == ("C:\\runs\\a", "PureWindowsPath")


# --- a large checkpoint ----------------------------------------------------------------------------------------------


def test_a_100_mb_checkpoint_reads_in_little_memory(tmp_path: pathlib.Path) -> None:
    numel = 25 * 1024**2  # float32: 100 MiB
    weight = tensor(storage_pid("0", numel), (5, numel // 5))
    weights = in_dict("model", glob("collections", "OrderedDict") + b")R" + text("w") + weight + b"s")
    path = tmp_path / "big.pth"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", weights)
        with archive.open("archive/data/0", "w", force_zip64=True) as entry:
            block = bytes(1024**2)
            for _ in range(100):
                entry.write(block)
        archive.writestr("archive/version", b"3\n")
    assert path.stat().st_size > 100 * 1024**2
    tracemalloc.start()
    try:
        checkpoint = read_checkpoint(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    model = checkpoint["model"]
    assert isinstance(model, dict)
    placeholder = model["w"]
    assert isinstance(placeholder, TensorPlaceholder)
    assert placeholder.shape == (5, numel // 5)
    assert placeholder.storage.numel == numel
    print(f"peak traced memory reading a {path.stat().st_size} byte checkpoint: {peak} bytes")
    assert peak < 1024**2


# --- fuzzing ---------------------------------------------------------------------------------------------------------

FIXTURE_BYTES = {path.name: path.read_bytes() for path in FIXTURE_FILES}


def data_pkl_of(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(FIXTURE_BYTES[name])) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith("/data.pkl")))


ZIP_NAMES = sorted(name for name, data in FIXTURE_BYTES.items() if data[:2] == b"PK")
DATA_PKLS = {name: data_pkl_of(name) for name in ZIP_NAMES}


def mutate(data: bytes, mutations: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, byte in mutations:
        out[position % len(out)] = byte
    return bytes(out[: cut % (len(out) + 1)] if cut is not None else out)


MUTATIONS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8)


def only_checkpoint_errors(data: bytes) -> None:
    try:
        read_checkpoint(data)
    except CheckpointError as error:
        message = str(error)
    else:
        message = ""
    assert "\n" not in message


# A mutated protocol-0 string can make pickletools warn about an invalid escape: noise, not a failure (with warnings
# as errors the reader turns it into a CheckpointError, which the long runs of these fuzzers check).
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(FIXTURE_BYTES)), mutations=MUTATIONS, cut=st.none() | st.integers(0, 1 << 20))
def test_fuzz_mutated_files_raise_only_checkpoint_errors(name: str, mutations: list[tuple[int, int]], cut: Any) -> None:
    only_checkpoint_errors(mutate(FIXTURE_BYTES[name], mutations, cut))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(ZIP_NAMES), mutations=MUTATIONS, cut=st.none() | st.integers(0, 1 << 20))
def test_fuzz_mutated_pickles_raise_only_checkpoint_errors(
    name: str, mutations: list[tuple[int, int]], cut: Any
) -> None:
    # Re-zipped, so the archive's checksum does not catch the mutation before the interpreter sees it.
    only_checkpoint_errors(torch_zip(mutate(DATA_PKLS[name], mutations, cut)))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64))
def test_fuzz_random_pickle_bodies(body: bytes) -> None:
    only_checkpoint_errors(torch_zip(PROTO2 + body))
    only_checkpoint_errors(PROTO2 + body)
