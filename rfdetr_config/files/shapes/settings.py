"""``--set KEY=VALUE``: a change to a file as it is shaped, applied before it is validated.

``KEY`` is a dotted path into the file's mapping (``epochs``, ``train_config.amp_dtype``,
``model.train_config.init_args.lr``); ``VALUE`` is read as a YAML scalar (``50`` is a number, ``bf16``
text, ``null`` null, ``[1, 2]`` a list). Every key on the way but the last must be there; a wrong one
gets a did-you-mean.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ...core.build import suggest
from ...core.errors import ErrorDetail, FileError

__all__ = ["Setting", "apply_settings", "parse_setting"]

Setting = Tuple[Tuple[str, ...], Any]
"""A parsed ``--set``: the path, and the value."""


def parse_setting(text: str) -> Setting:
    """``KEY=VALUE`` as a path and a value.

    Raises:
        ValueError: There is no ``=``, or the key is empty or has an empty part.
    """
    key, sep, value = text.partition("=")
    path = tuple(part.strip() for part in key.split("."))
    if not sep or not all(path):
        raise ValueError(f"--set takes KEY=VALUE with a dotted KEY (train_config.epochs=50), not {text!r}")
    return path, _scalar(value)


def _scalar(text: str) -> Any:
    """``text`` read as YAML (a scalar or a flow collection); text that YAML cannot read stays text."""
    try:
        import yaml
    except ImportError:  # without the yaml extra: JSON's spellings
        import json

        try:
            return json.loads(text)
        except ValueError:
            return text
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if type(value).__module__ == "datetime":
        return text
    return value


def apply_settings(data: Mapping[str, Any], settings: Sequence[Setting], source: str) -> Dict[str, Any]:
    """A copy of a file's mapping with each setting applied, in order.

    Raises:
        ConfigError: A key on the way is not in the file (with a did-you-mean), or is not a mapping.
    """
    out: Dict[str, Any] = copy.deepcopy(dict(data))
    problems: List[ErrorDetail] = []
    for path, value in settings:
        node: Any = out
        for depth, part in enumerate(path[:-1]):
            if not isinstance(node, dict) or part not in node:
                problems.append(_wrong(path, depth, node))
                break
            node = node[part]
        else:
            if isinstance(node, dict):
                node[path[-1]] = value
            else:
                problems.append(_wrong(path, len(path) - 1, node))
    if problems:
        raise FileError(source, problems)
    return out


def _wrong(path: Tuple[str, ...], depth: int, node: Any) -> ErrorDetail:
    shown = ".".join(path[: depth + 1])
    if not isinstance(node, dict):
        return ErrorDetail(path[:depth], f"--set {'.'.join(path)}: {shown} is not a mapping", None, "set_path")
    keys = [k for k in node if isinstance(k, str)]
    hint = suggest(path[depth], keys)
    msg = f"--set {'.'.join(path)}: the file has no {shown}" + (f"; did you mean {hint!r}?" if hint else "")
    return ErrorDetail(path[: depth + 1], msg, path[depth], "set_path")
