"""The file format of the conformance vectors, shared by the recorder and the replay.

Values keep their exact Python type through JSON: floats are tagged (so ``1`` and ``1.0``, ``nan``
and ``inf`` survive), dicts are pair lists (so non-string keys and key order survive), and the few
non-JSON inputs (tuples, paths, bytes) are tagged too.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import pathlib
from typing import Any, Iterator

VECTORS = pathlib.Path(__file__).with_name("vectors.jsonl.gz")

# Fixed places that make normalised paths comparable between the recording and the replay.
ROOT = "/tmp/rfdetr-config-conformance"
HOME = f"{ROOT}/home"
WORKDIR = f"{ROOT}/work"
RF_HOME = f"{ROOT}/models"


def prepare_environment() -> None:
    """Create the fixed directories and point HOME, RF_HOME and the working directory at them."""
    for path in (HOME, WORKDIR, RF_HOME):
        os.makedirs(path, exist_ok=True)
    os.environ["HOME"] = HOME
    os.environ["RF_HOME"] = RF_HOME
    os.chdir(WORKDIR)


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
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
    raise TypeError(f"cannot encode {value!r}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        ((tag, body),) = value.items()
        if tag == "$f":
            return float(body)
        if tag == "$t":
            return tuple(decode(v) for v in body)
        if tag == "$d":
            return {decode(k): decode(v) for k, v in body}
        if tag == "$p":
            return pathlib.Path(body)
        if tag == "$b":
            return body.encode("latin-1")
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


def write(records: list[dict[str, Any]]) -> None:
    """Write the vectors byte-reproducibly (no time stamp or file name in the gzip header)."""
    lines = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    with open(VECTORS, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(lines.encode("utf-8"))


def read() -> Iterator[dict[str, Any]]:
    with gzip.open(VECTORS, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
