"""The ``rfdetr-config`` command (also ``python -m rfdetr_config``).

``validate`` checks configuration files: it prints each validated, normalised config as JSON, or
every error, and exits with status 1 when any file fails.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from typing import Any, Dict, List, Optional, Sequence, Type

from . import CONFIG_CLASSES
from .build import BaseConfig
from .dicts import structure, unstructure

__all__ = ["main"]

_CLASSES: Dict[str, Type[BaseConfig]] = {cls.__name__: cls for cls in CONFIG_CLASSES}
_CLASS_KEY = "config_class"

_EPILOG = """examples:
  rfdetr-config validate examples/keypoint_train.json --class KeypointTrainConfig
  rfdetr-config validate examples/nano_model.json     (the file names its class under "config_class")
"""


def _json_default(value: Any) -> Any:
    return repr(value)


def _finite_json(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, list):
        return [_finite_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    return value


def _load_json(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _choose_class(data: Any, requested: Optional[str]) -> Type[BaseConfig]:
    named = data.pop(_CLASS_KEY, None) if isinstance(data, dict) else None
    name = requested or named
    if name is None:
        raise LookupError(f"no class given: pass --class NAME or put a {_CLASS_KEY!r} key in the file")
    if requested and named and requested != named:
        raise LookupError(f"--class {requested} disagrees with the file's {_CLASS_KEY!r} ({named})")
    if name not in _CLASSES:
        raise LookupError(f"unknown class {name!r}; one of: {', '.join(_CLASSES)}")
    return _CLASSES[name]


def _validate(paths: Sequence[str], requested: Optional[str]) -> int:
    status = 0
    for path in paths:
        try:
            data = _load_json(path)
            cls = _choose_class(data, requested)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                config = structure(data, cls)
        except (OSError, ValueError, LookupError) as error:
            status = 1
            print(f"{path}: {error}", file=sys.stderr)
            continue
        for w in caught:
            print(f"{path}: {w.category.__name__}: {w.message}", file=sys.stderr)
        document = {_CLASS_KEY: cls.__name__, **unstructure(config)}
        print(json.dumps(_finite_json(document), indent=2, default=_json_default))
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rfdetr-config",
        description="Validate RF-DETR configuration files without pydantic or torch.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate",
        help="check configuration files and print them normalised",
        description="Check each JSON file; print it validated and normalised, or every error (exit status 1).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a JSON configuration file")
    validate.add_argument("--class", dest="class_name", metavar="NAME", choices=list(_CLASSES), help="the class")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return _validate(args.files, args.class_name)
