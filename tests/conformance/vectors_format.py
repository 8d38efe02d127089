"""The file format of the conformance vectors, shared by the recorder and the replay.

Values keep their exact Python type through JSON: floats are tagged (so ``1`` and ``1.0``, ``nan``
and ``inf`` survive), dicts are pair lists (so non-string keys and key order survive), and the few
non-JSON inputs (tuples, paths, bytes) are tagged too. From rfdetr 1.9 on two more kinds of value
appear: callables (``optimizer``/``lr_scheduler``), tagged ``{"$c": name}`` with ``name`` an
attribute of :mod:`tests.conformance.callables`, and enum members given as input, tagged
``{"$e": "MultiScale.PER_SAMPLE"}`` and resolved against the release's own enum on replay.

A release's vectors are one or more gzip'd JSON-lines files under ``vectors/``, listed per release
in ``vectors/MANIFEST.json``; its declarations are ``declarations/<release>.json``.
"""

from __future__ import annotations

import enum
import gzip
import json
import math
import os
import pathlib
import re
from typing import Any, Callable, Iterator

HERE = pathlib.Path(__file__).resolve().parent
VECTORS_DIR = HERE / "vectors"
DECLARATIONS_DIR = HERE / "declarations"
MANIFEST = VECTORS_DIR / "MANIFEST.json"

# Fixed places that make normalised paths comparable between the recording and the replay.
ROOT = "/tmp/rfdetr-config-conformance"
HOME = f"{ROOT}/home"
WORKDIR = f"{ROOT}/work"
RF_HOME = f"{ROOT}/models"
ROBOFLOW_HOME = f"{ROOT}/roboflow"  # only the environment section sets it
CACHE_VARIABLES = ("RF_HOME", "ROBOFLOW_HOME")


def prepare_environment() -> None:
    """Create the fixed directories; point HOME, RF_HOME and the working directory at them; unset ROBOFLOW_HOME."""
    for path in (HOME, WORKDIR, RF_HOME, ROBOFLOW_HOME):
        os.makedirs(path, exist_ok=True)
    os.environ["HOME"] = HOME
    os.environ["RF_HOME"] = RF_HOME
    os.environ.pop("ROBOFLOW_HOME", None)
    os.chdir(WORKDIR)


def set_cache_variables(env: dict[str, str | None]) -> None:
    """Set (a string) or unset (None) ``RF_HOME`` and ``ROBOFLOW_HOME`` as a record's ``env`` says."""
    for key in CACHE_VARIABLES:
        value = env.get(key)
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def mask_addresses(text: str) -> str:
    """Object addresses (``<function f at 0x7f...>``) differ between processes: compare texts without them."""
    return _ADDRESS.sub(" at 0x?", text)


def _callables() -> dict[int, str]:
    from . import callables

    names: dict[int, str] = {}
    for name, value in vars(callables).items():
        if not name.startswith("_") and callable(value) and id(value) not in names:
            names[id(value)] = name
    return names


_CALLABLE_NAMES: dict[int, str] | None = None


def callable_name(value: Any) -> str:
    """The name under which :mod:`tests.conformance.callables` holds ``value`` (by identity)."""
    global _CALLABLE_NAMES
    if _CALLABLE_NAMES is None:
        _CALLABLE_NAMES = _callables()
    name = _CALLABLE_NAMES.get(id(value))
    if name is None:
        raise TypeError(f"cannot encode {value!r}: not one of tests.conformance.callables")
    return name


def encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        return {"$f": repr(value)}
    if kind is dict:
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if kind is list:
        return [encode(v) for v in value]
    if isinstance(value, enum.Enum):  # before str: rfdetr's enums are str enums
        return {"$e": f"{kind.__name__}.{value.name}"}
    if isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, pathlib.PurePath):
        return {"$p": str(value)}
    if isinstance(value, bytes):
        return {"$b": value.decode("latin-1")}
    if callable(value):
        return {"$c": callable_name(value)}
    raise TypeError(f"cannot encode {value!r}")


def decode(value: Any, enums: Callable[[str, str], Any] | None = None) -> Any:
    """The value ``encode`` gave; ``enums(enum_name, member_name)`` resolves enum members."""
    if isinstance(value, list):
        return [decode(v, enums) for v in value]
    if isinstance(value, dict):
        ((tag, body),) = value.items()
        if tag == "$f":
            return float(body)
        if tag == "$t":
            return tuple(decode(v, enums) for v in body)
        if tag == "$d":
            return {decode(k, enums): decode(v, enums) for k, v in body}
        if tag == "$p":
            return pathlib.Path(body)
        if tag == "$b":
            return body.encode("latin-1")
        if tag == "$c":
            from . import callables

            return getattr(callables, body)
        if tag == "$e":
            if enums is None:
                raise ValueError(f"no enums to resolve {body}")
            enum_name, member = body.split(".")
            return enums(enum_name, member)
        raise ValueError(tag)
    return value


def same(a: Any, b: Any) -> bool:
    """Equal in value, type and order; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def dumps(value: Any) -> str:
    """The text of an encoded value exactly as it appears in a vectors file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FLOAT_TAG = re.compile(r'\{"\$f":"([^"]*)"\}')
_JSON_FLOATS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _plain(values: Any) -> bool:
    for v in values:
        kind = type(v)
        if kind not in _SCALARS and (kind is not list or not _plain(v)):
            return False
    return True


def plain_text(dump: dict[str, Any]) -> str | None:
    """A dump of plain values (exact str, int, float, bool, None and lists of them) as JSON text, else None.

    With :func:`untagged_text` of the recorded dump it compares two dumps in C: the type tags of the
    format are needed only where JSON would lose a type, which for plain values is the floats alone.
    """
    if not _plain(dump.values()):
        return None
    return json.dumps(list(dump.items()), ensure_ascii=False, separators=(",", ":"))


def untagged_text(dump_text: str) -> str:
    """A recorded dump's text (``{"$d":[...]}``) with floats written as JSON writes them, for :func:`plain_text`."""
    inner = dump_text[len('{"$d":') : -1] if dump_text.startswith('{"$d":') else dump_text
    if '{"$f":' not in inner:
        return inner
    return _FLOAT_TAG.sub(lambda m: _JSON_FLOATS.get(m.group(1), m.group(1)), inner)


def write(path: pathlib.Path, records: list[dict[str, Any]]) -> None:
    """Write the vectors byte-reproducibly (no time stamp or file name in the gzip header)."""
    lines = "".join(dumps(r) + "\n" for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(lines.encode("utf-8"))


def read(path: pathlib.Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


_DUMP, _SET = ',"dump":', ',"set":'


def read_split(path: pathlib.Path) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each record without its ``dump``, and the dump's text (None when there is none).

    The dumps are most of the text; a replay that compares its own dump as text (``dumps(encode(ours))``)
    need not parse them. Only a record's own ``dump`` key is followed by ``{`` ... ``,"set":`` outside a
    string: encoded values never have ``dump`` or ``set`` as an object key.
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            start = line.find(_DUMP)
            if start < 0:
                yield json.loads(line), None
                continue
            end = line.index(_SET, start)
            yield json.loads(line[:start] + line[end:]), line[start + len(_DUMP) : end]


def read_manifest() -> dict[str, Any]:
    with open(MANIFEST, encoding="utf-8") as fh:
        manifest: dict[str, Any] = json.load(fh)
    return manifest


def read_declarations(name: str) -> dict[str, Any]:
    with open(DECLARATIONS_DIR / name, encoding="utf-8") as fh:
        declarations: dict[str, Any] = json.load(fh)
    return declarations
