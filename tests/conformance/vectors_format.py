"""The file format of the conformance vectors, shared by the recorder and the replay.

Values keep their exact Python type through JSON: floats are tagged (so ``1`` and ``1.0``, ``nan``
and ``inf`` survive), dicts are pair lists (so non-string keys and key order survive), and the few
non-JSON inputs (tuples, paths, bytes) are tagged too. From rfdetr 1.9 on two more kinds of value
appear: callables (``optimizer``/``lr_scheduler``), tagged ``{"$c": name}`` with ``name`` an
attribute of :mod:`tests.conformance.callables`, and enum members given as input, tagged
``{"$e": "MultiScale.PER_SAMPLE"}`` and resolved against the release's own enum on replay.
pydantic's error entries (a record's ``errors``) can hold what no input holds: an exception
(``ctx['error']``), tagged ``{"$x": [type name, str()]}``, or another object, ``{"$o": [type name,
repr()]}`` (``encode_any``); they decode to :class:`Opaque`.

A release's vectors are gzip'd JSON-lines files under ``vectors/``, listed per release in
``vectors/MANIFEST.json``; its declarations are ``declarations/<release>.json``. A file may hold
only the records that differ from another file's (``stored_text``); ``read_lines`` fills them in.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import gzip
import hashlib
import json
import math
import os
import pathlib
import re
from typing import Any, Callable, Iterator, NamedTuple

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


@contextlib.contextmanager
def prepared_environment() -> Iterator[None]:
    """The fixed environment of :func:`prepare_environment` for a while, then the one before it again."""
    saved = {k: os.environ.get(k) for k in ("HOME", *CACHE_VARIABLES)}
    cwd = os.getcwd()
    prepare_environment()
    try:
        yield
    finally:
        os.chdir(cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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


class Opaque(NamedTuple):
    """What ``encode_any`` kept of a value ``encode`` cannot give back: its kind, type name and text."""

    kind: str  # "$x": an exception (text: ``str()``), "$o": any other object (text: ``repr()``)
    type_name: str
    text: str


def encode_any(value: Any) -> Any:
    """``encode``, and for what it cannot give back a description: for pydantic's error entries.

    An exception (``ctx['error']``) becomes ``{"$x": [type name, str()]}``, any other object that
    ``encode`` refuses (a callable not in :mod:`tests.conformance.callables`, a model) ``{"$o": [type
    name, repr()]}``; texts have object addresses masked. Containers are walked with this same rule.
    """
    if isinstance(value, BaseException):
        return {"$x": [type(value).__name__, mask_addresses(str(value))]}
    kind = type(value)
    if kind is dict:
        return {"$d": [[encode_any(k), encode_any(v)] for k, v in value.items()]}
    if kind is list:
        return [encode_any(v) for v in value]
    if kind is tuple:
        return {"$t": [encode_any(v) for v in value]}
    try:
        return encode(value)
    except TypeError:
        return {"$o": [kind.__name__, mask_addresses(repr(value))]}


def encode_errors(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An ``errors()`` list in the encoding the recorder keeps pydantic's in (``record.error_entries``).

    ``type``, ``loc``, ``msg`` (object addresses masked), ``input``, and ``ctx`` where there is one; no ``url``.
    """
    out = []
    for e in entries:
        entry = {
            "type": e.get("type"),
            "loc": [encode_any(p) for p in e.get("loc", ())],
            "msg": mask_addresses(str(e.get("msg"))),
            "input": encode_any(e.get("input")),
        }
        if "ctx" in e:
            entry["ctx"] = encode_any(e["ctx"])
        out.append(entry)
    return out


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
        if tag in ("$x", "$o"):
            return Opaque(tag, *body)
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


def record_lines(records: list[dict[str, Any]]) -> list[str]:
    """The records as the lines of a vectors file."""
    return [dumps(r) for r in records]


def digest(lines: list[str] | tuple[str, ...]) -> str:
    """The sha256 of a file's records, whichever way the file stores them."""
    sha = hashlib.sha256()
    for line in lines:
        sha.update(line.encode("utf-8"))
        sha.update(b"\n")
    return sha.hexdigest()


_BASE, _SAME = '{"base":', '{"same":'


def stored_text(lines: list[str], base: tuple[str, list[str]] | None = None) -> str:
    """The text of a vectors file holding ``lines``: in full, or as changes against ``base`` (name, lines).

    A file with a base starts with ``{"base": name}`` (a file in the same directory); then each line is
    a record of its own, or ``{"same": [start, count]}``: the base's records ``start`` to
    ``start + count - 1``, unchanged. Releases are given the same inputs, so most of a release's
    records repeat the previous release's.
    """
    if base is None:
        return "".join(line + "\n" for line in lines)
    name, previous = base
    index: dict[str, int] = {}
    for i, line in enumerate(previous):
        index.setdefault(line, i)
    out = [dumps({"base": name})]
    run: list[int] | None = None  # [start, count] of the run being written
    following: int | None = None  # the base line after the last one used
    for line in lines:
        if following is not None and following < len(previous) and previous[following] == line:
            at: int | None = following
        else:
            at = index.get(line)
        if at is None:
            run = None
            out.append(line)
            following = following + 1 if following is not None else None
        elif run is not None and run[0] + run[1] == at:
            run[1] += 1
            out[-1] = dumps({"same": run})
            following = at + 1
        else:
            run = [at, 1]
            out.append(dumps({"same": run}))
            following = at + 1
    return "".join(line + "\n" for line in out)


def write_text(path: pathlib.Path, text: str) -> None:
    """Write a vectors file's text gzip'd, byte-reproducibly (no time stamp or file name in the header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def read_text(path: pathlib.Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return fh.read()


@functools.lru_cache(maxsize=4)
def read_lines(path: pathlib.Path) -> tuple[str, ...]:
    """A vectors file's record lines, its base's repeated records filled in (kept for the next file)."""
    stored = read_text(path).split("\n")[:-1]  # JSON text has no raw newline (splitlines() splits more)
    if not stored or not stored[0].startswith(_BASE):
        return tuple(stored)
    base = read_lines(path.with_name(json.loads(stored[0])["base"]))
    out: list[str] = []
    for line in stored[1:]:
        if line.startswith(_SAME):
            start, count = json.loads(line)["same"]
            out.extend(base[start : start + count])
        else:
            out.append(line)
    return tuple(out)


def read(path: pathlib.Path) -> Iterator[dict[str, Any]]:
    for line in read_lines(path):
        yield json.loads(line)


_DUMP, _SET = ',"dump":', ',"set":'


def read_split(path: pathlib.Path) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Each record without its ``dump``, and the dump's text (None when there is none).

    The dumps are most of the text; a replay that compares its own dump as text need not parse them.
    Only a record's own ``dump`` key is followed by ``{`` ... ``,"set":`` outside a string: encoded
    values never have ``dump`` or ``set`` as an object key.
    """
    for line in read_lines(path):
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
