"""The ``rfdetr-config`` command (also ``python -m rfdetr_config``).

Output goes to stdout and is stable (JSON keys in field order); errors and warnings go to stderr.
Exit status: 0 when everything is valid, 1 when any file is invalid, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

from . import CONFIG_CLASSES
from .build import BaseConfig
from .dicts import unstructure
from .errors import ConfigError
from .fields import annotation_text, field_descriptions
from .files import WRITERS, from_data, read
from .schema import json_schema
from .validators import describe_check

__all__ = ["main"]

_CLASSES: Dict[str, Type[BaseConfig]] = {cls.__name__: cls for cls in CONFIG_CLASSES}
_CLASS_KEY = "config_class"

_EPILOG = """examples:
  rfdetr-config validate examples/keypoint_train.json
  rfdetr-config validate run.toml other.yaml --class TrainConfig
  rfdetr-config show RFDETRNanoConfig
  rfdetr-config show KeypointTrainConfig --format toml
  rfdetr-config schema TrainConfig > train.schema.json
  rfdetr-config diff old.json new.json

A file names its class under the key "config_class" (which validate also prints), or --class does.
"""


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def _read(path: str, requested: Optional[str]) -> Tuple[Type[BaseConfig], BaseConfig, List[str]]:
    """Load one file as its class; returns the class, the config and the warnings it raised."""
    data = read(path)
    named = data.pop(_CLASS_KEY, None) if isinstance(data, dict) else None
    if requested and named and requested != named:
        raise LookupError(f"--class {requested} disagrees with the file's {_CLASS_KEY!r} ({named})")
    name = requested or named
    if name is None:
        raise LookupError(f"no class given: pass --class NAME or put a {_CLASS_KEY!r} key in the file")
    if name not in _CLASSES:
        raise LookupError(f"unknown class {name!r}; one of: {', '.join(_CLASSES)}")
    cls = _CLASSES[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = from_data(data, cls, source=path)
    return cls, config, [f"{w.category.__name__}: {w.message}" for w in caught]


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            cls, config, notes = _read(path, args.class_name)
        except (ConfigError, LookupError) as error:
            status = 1
            print(f"{path}: {error}", file=sys.stderr)
            continue
        for note in notes:
            print(f"{path}: {note}", file=sys.stderr)
        if not args.quiet:
            print(json.dumps(_json_safe({_CLASS_KEY: cls.__name__, **unstructure(config)}), indent=2))
    return status


def _show(args: argparse.Namespace) -> int:
    cls = _CLASSES[args.class_name]
    defaults = {p.name: (None if p.required else p.make_default()) for p in cls.__rfdetr_plan__}
    if args.format == "table":
        described = field_descriptions(cls)
        rows = [
            (
                p.name,
                annotation_text(p.annotation),
                "(required)" if p.required else repr(defaults[p.name]),
                describe_check(p.check),
            )
            for p in cls.__rfdetr_plan__
        ]
        header = ("field", "type", "default", "rule")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            line = "  ".join(f"{cell:{w}}" for cell, w in zip(row[:3], widths, strict=True))
            print(f"{line}  {row[3]}".rstrip())
        if args.verbose:
            for name, *_ in rows:
                print(f"\n{name}\n  {described.get(name, '')}")
        return 0
    if args.format == "json":
        print(json.dumps(_json_safe(defaults), indent=2))
        return 0
    print(WRITERS[args.format](defaults), end="")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(_CLASSES[args.class_name]), indent=2))
    return 0


def _diff(args: argparse.Namespace) -> int:
    loaded = []
    for path in (args.a, args.b):
        try:
            loaded.append(_read(path, args.class_name))
        except (ConfigError, LookupError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 1
    (cls_a, a, _), (cls_b, b, _) = loaded
    if cls_a is not cls_b:
        print(f"the files hold different classes: {cls_a.__name__} and {cls_b.__name__}", file=sys.stderr)
        return 1
    left, right = unstructure(a), unstructure(b)
    changed = {
        k: [left[k], right[k]] for k in left if json.dumps(_json_safe(left[k])) != json.dumps(_json_safe(right[k]))
    }
    print(json.dumps(_json_safe(changed), indent=2))
    return 0


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="rfdetr-config",
        description="Validate, show and compare RF-DETR configurations, without pydantic or torch.",
        epilog=_EPILOG,
        formatter_class=formatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = list(_CLASSES)

    def command(name: str, summary: str, description: str, examples: str, run: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=summary, description=description, epilog=f"examples:\n{examples}", formatter_class=formatter
        )
        sub.set_defaults(run=run)
        return sub

    def class_option(sub: argparse.ArgumentParser, which: str) -> None:
        sub.add_argument("--class", dest="class_name", metavar="NAME", choices=names, help=f"the class of {which}")

    def class_argument(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("class_name", metavar="CLASS", choices=names, help="one of: " + ", ".join(names))

    validate = command(
        "validate",
        "check files; print each normalised (JSON) or every error",
        "Check each JSON, TOML or YAML file. Print it validated and normalised as JSON, or every error on "
        "stderr; exit status 1 if any file fails.",
        "  rfdetr-config validate examples/keypoint_train.json\n  rfdetr-config validate run.toml --class TrainConfig",
        _validate,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a .json, .toml, .yaml or .yml file")
    class_option(validate, "every file")
    validate.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")

    show = command(
        "show",
        "a class's defaults and rules",
        "Print a class's fields with their types, defaults and rules, or its defaults as a file.",
        "  rfdetr-config show RFDETRNanoConfig\n  rfdetr-config show TrainConfig --format yaml",
        _show,
    )
    class_argument(show)
    show.add_argument("--format", choices=["table", "json", "toml", "yaml"], default="table")
    show.add_argument("-v", "--verbose", action="store_true", help="with the table, what each field means")

    schema = command(
        "schema",
        "a class's JSON Schema",
        "Print the JSON Schema (draft 2020-12) of a class's dict form.",
        "  rfdetr-config schema KeypointTrainConfig > keypoint.schema.json",
        _schema,
    )
    class_argument(schema)

    diff = command(
        "diff",
        "the fields that differ between two files",
        "Print, as JSON, each field whose normalised value differs between A and B: {field: [a, b]}.",
        "  rfdetr-config diff baseline.json tuned.toml",
        _diff,
    )
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B")
    class_option(diff, "both files")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        sys.stderr.close()
        return 0
