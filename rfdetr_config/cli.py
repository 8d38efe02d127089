"""The ``rfdetr-config`` command (also ``python -m rfdetr_config``).

Output goes to stdout and is stable (JSON keys in field order); problems and warnings go to stderr,
one line each, ``FILE:LINE:COLUMN: message`` where the parser gives a place and ``FILE: field: message``
otherwise, so that editors and CI annotators can jump to them. No input ends in a traceback.

Exit status: 0 when everything is valid (for ``diff``: the files do not differ; ``migrate``: the file
is migrated, with any change that may train differently shown; ``detect``: a release accepts the file),
1 when a file is invalid or cannot be read, or the command cannot be carried out (``diff``: also when the
files differ; ``migrate``: also when the target release cannot express the file, or a change may train
differently under ``--strict``; ``detect``: no release accepts the file), 2 for a wrong command line,
130 when interrupted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
import warnings
from typing import TYPE_CHECKING, Any, Dict, List, NoReturn, Optional, Sequence, Tuple, Type

from . import __version__
from .core.build import BaseConfig, suggest
from .checks.enums import plain_value
from .core.errors import ConfigError, ErrorDetail, FileError, FileProblem, describe
from .core.fields import annotation_text, field_descriptions
from .files import (
    CLASS_KEY,
    FORMATS,
    MAX_BYTES,
    RELEASE_KEY,
    WRITERS,
    Format,
    class_for,
    decode,
    document,
    format_of,
    from_data,
    header_of,
    json_form,
    parse,
    read,
    release_classes,
    split_header,
)
from .releases import RELEASES, TOP
from .integrations.schema import json_schema
from .checks.validators import describe_check

if TYPE_CHECKING:
    from .migration.engine import Migration
    from .releases.changes import Change

__all__ = ["main"]

PROG = "rfdetr-config"
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STDIN = "-"
STDIN_NAME = "<stdin>"

_TOP_NAMES: Tuple[str, ...] = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig", "ModelConfig")

_EXIT_CODES = """exit status:
  0    every file is valid (diff: the files do not differ; migrate: the file is migrated, any change that
       may train differently shown; detect: a release accepts the file)
  1    a file is invalid or cannot be read, or the command cannot be carried out (diff: also when the
       files differ; migrate: also when the target release cannot express the file, or with --strict a
       change may train differently; detect: no release accepts the file); every problem is on stderr,
       one line each: FILE:LINE:COLUMN: message
  2    the command line is wrong
  130  interrupted
"""

_EPILOG = f"""examples (none needs an extra):
  {PROG} show TrainConfig --format json > train.json
  {PROG} validate train.json
  {PROG} validate - --format json < train.json
  {PROG} show KeypointTrainConfig --format json > keypoint.json
  {PROG} validate train.json keypoint.json --jsonl
  {PROG} diff train.json keypoint.json
  {PROG} schema TrainConfig > train.schema.json
  {PROG} show RFDETRNanoConfig
  {PROG} show TrainConfig --release 1.8.1 --format json > old.json
  {PROG} migrate old.json --to {TOP} -o new.json
  {PROG} detect old.json
  {PROG} changes 1.8.1 {TOP} --class TrainConfig

A file names its class under the key "{CLASS_KEY}" (rc.dump and show --format write it), or --class does,
and its rfdetr release under "{RELEASE_KEY}", or --release does (default: rfdetr {TOP}; supported: rfdetr
{RELEASES[0]} to {RELEASES[-1]}).
Writing TOML needs the toml extra (reading it too, on Python 3.10); YAML needs the yaml extra.

{_EXIT_CODES}"""


class _Usage(Exception):
    """A command line that argparse accepts but the command cannot: exit status 2."""


class _Parser(argparse.ArgumentParser):
    """Reports a wrong command line on one line, with where to look, instead of the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {_one_line(message)} (see {self.prog} --help)\n")


def _one_line(text: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def _shown(name: str) -> str:
    """A file name as it can stand on one line: control characters escaped as Python writes them."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda found: repr(found.group())[1:-1], name)


def _release_named(text: str) -> str:
    if text in RELEASES:
        return text
    raise argparse.ArgumentTypeError(f"unsupported rfdetr release {text!r}; supported: {', '.join(RELEASES)}")


def _class_named(name: Optional[str], release: Optional[str]) -> Optional[Type[BaseConfig]]:
    """The class ``name`` of ``release`` (the package's own by default); a usage error with a did-you-mean."""
    if name is None:
        return None
    classes = release_classes(release)
    if name in classes:
        return classes[name]
    hint = suggest(name, classes)
    detail = f"did you mean {hint!r}?" if hint else f"one of: {', '.join(classes)}"
    raise _Usage(f"unknown class {name!r}; {detail}")


class _Outcome:
    """What became of one input: its config in file form, or its problems; and the warnings it raised."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.document: Optional[Dict[str, Any]] = None
        self.problems: List[ErrorDetail] = []
        self.warnings: List[str] = []

    def record(self) -> Dict[str, Any]:
        """The JSON record the command prints for this input when it prints one per input."""
        return {
            "file": self.name,
            "valid": not self.problems,
            "config": self.document,
            "errors": [_error_record(d) for d in self.problems],
            "warnings": self.warnings,
        }


def _error_record(detail: ErrorDetail) -> Dict[str, Any]:
    return {
        "loc": [part if isinstance(part, (str, int)) else repr(part) for part in detail.loc],
        "type": detail.type,
        "message": _message(detail),
        "line": getattr(detail, "line", None),
        "column": getattr(detail, "column", None),
    }


def _message(detail: ErrorDetail) -> str:
    if detail.type == "class_missing":
        return f'no class given: pass --class NAME, or add "{CLASS_KEY}": NAME to the file'
    return _one_line(describe(detail))


def _problem_line(name: str, detail: ErrorDetail) -> str:
    line = getattr(detail, "line", None)
    where = _shown(name) if line is None else f"{_shown(name)}:{line}:{getattr(detail, 'column', None) or 1}"
    return _one_line(f"{where}: {_message(detail)}")


def _read_input(path: str, fmt: Optional[Format]) -> Tuple[str, Dict[str, Any]]:
    """The name to report an input by, and the mapping it holds."""
    if path != STDIN:
        return path, read(path, fmt)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin closed or replaced by something without bytes
        raise FileError(STDIN_NAME, [FileProblem("cannot be read: standard input is not open", "io")])
    return STDIN_NAME, parse(decode(stream.read(MAX_BYTES + 1), STDIN_NAME), fmt or "json", STDIN_NAME)


def _load(path: str, args: argparse.Namespace) -> _Outcome:
    outcome = _Outcome(STDIN_NAME if path == STDIN else path)
    cls = _class_named(args.class_name, args.release)
    try:
        outcome.name, data = _read_input(path, args.format)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            config = from_data(data, cls, source=outcome.name, release=args.release)
        outcome.warnings = [_one_line(f"{w.category.__name__}: {w.message}") for w in caught]
        outcome.document = document(config, outcome.name)
    except FileError as error:
        outcome.problems = list(error.details)
    return outcome


def _check_inputs(paths: Sequence[str]) -> None:
    if sum(path == STDIN for path in paths) > 1:
        raise _Usage("standard input (-) can be read only once")


def _print_json(value: Any, *, indent: Optional[int] = 2) -> None:
    """Print JSON as the file writers write it; escaped to ASCII if the terminal's encoding cannot show it."""
    try:
        print(json.dumps(value, indent=indent, ensure_ascii=False))
    except UnicodeEncodeError:
        print(json.dumps(value, indent=indent, ensure_ascii=True))


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    _check_inputs(args.files)
    outcomes: List[_Outcome] = []
    for path in args.files:
        outcome = _load(path, args)
        outcomes.append(outcome)
        for detail in outcome.problems:
            _warn(_problem_line(outcome.name, detail))
        for note in outcome.warnings:
            _warn(f"{_shown(outcome.name)}: {note}")
        if args.jsonl and not args.quiet:
            _print_json(outcome.record(), indent=None)
            sys.stdout.flush()
    if not args.quiet and not args.jsonl:
        if len(outcomes) == 1:
            if outcomes[0].document is not None:
                _print_json(outcomes[0].document)
        else:
            _print_json([outcome.record() for outcome in outcomes])
    return EXIT_INVALID if any(outcome.problems for outcome in outcomes) else EXIT_OK


def _named_class(args: argparse.Namespace) -> Type[BaseConfig]:
    cls = _class_named(args.class_name, args.release)
    assert cls is not None  # a required argument
    return cls


def _show(args: argparse.Namespace) -> int:
    cls = _named_class(args)
    defaults = {p.name: (None if p.required else p.make_default()) for p in cls.__rfdetr_plan__}
    if args.format == "table":
        described = field_descriptions(cls)
        rows = [
            (
                p.name,
                annotation_text(p.annotation),
                "(required)" if p.required else repr(plain_value(defaults[p.name])),
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
        return EXIT_OK
    data = json_form({**header_of(cls), **defaults}, f"{cls.__name__} defaults")
    if args.format == "json":
        _print_json(data)
    else:
        print(WRITERS[args.format](data), end="")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    _print_json(json_schema(_named_class(args)))
    return EXIT_OK


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text: ``1`` and ``1.0`` differ, as do ``true`` and ``1``; NaN equals NaN."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _diff(args: argparse.Namespace) -> int:
    _check_inputs([args.a, args.b])
    outcomes = [_load(path, args) for path in (args.a, args.b)]
    for outcome in outcomes:
        for detail in outcome.problems:
            _warn(_problem_line(outcome.name, detail))
    left, right = (outcome.document for outcome in outcomes)
    if left is None or right is None:
        return EXIT_INVALID
    keys = [*left, *(key for key in right if key not in left)]
    changed = {
        key: [left.get(key), right.get(key)]
        for key in keys
        if key not in left or key not in right or not _same(left[key], right[key])
    }
    _print_json(changed)
    return EXIT_INVALID if changed else EXIT_OK


def _file_problems(name: str, details: Sequence[ErrorDetail]) -> int:
    for detail in details:
        _warn(_problem_line(name, detail))
    return EXIT_INVALID


def _header_class(header: Dict[str, str], given: Optional[Type[BaseConfig]], name: str, release: Optional[str]) -> str:
    """The name of the class a file holds: ``--class``'s, which the header must agree with, or the header's.

    A missing class is a usage error rather than a problem of the file, as a missing source release is for
    ``migrate``: the command line can supply what the file leaves out.
    """
    if given is None and CLASS_KEY not in header:
        raise _Usage(f'no class given: pass --class NAME, or add "{CLASS_KEY}": NAME to {_shown(name)}')
    if given is not None:
        class_for({CLASS_KEY: header[CLASS_KEY]} if CLASS_KEY in header else {}, given, name)
        return given.__name__
    return class_for({CLASS_KEY: header[CLASS_KEY]}, None, name, release=release).__name__


def _migrate(args: argparse.Namespace) -> int:
    from .migration.engine import migrate  # only here: the other commands start without the migration steps

    given = _class_named(args.class_name, args.source)
    try:
        out_format = None if args.output is None else format_of(args.output)
    except FileError as error:
        return _file_problems(args.output, error.details)
    name = STDIN_NAME if args.file == STDIN else args.file
    try:
        name, data = _read_input(args.file, args.format)
        header, fields = split_header(data, name)
        if args.source is None and RELEASE_KEY not in header:
            raise _Usage(
                f'no release to migrate from: pass --from X.Y.Z, or add "{RELEASE_KEY}": X.Y.Z to {_shown(name)}'
            )
        class_name = _header_class(header, given, name, args.source)
        # The header's own release, checked as validate checks it: supported, and agreeing with --from.
        class_for({**header, CLASS_KEY: class_name}, None, name, release=args.source)
    except FileError as error:
        return _file_problems(name, error.details)
    source = args.source or header[RELEASE_KEY]
    try:
        moved = migrate(fields, class_name, source=source, target=args.target, strict=args.strict)
    except ConfigError as error:  # refused by the source, not expressible in the target, or --strict
        return _file_problems(name, error.details)
    fmt = out_format or args.format or ("json" if args.file == STDIN else format_of(args.file))
    where = args.output or "<stdout>"
    try:
        migrated = json_form({CLASS_KEY: class_name, RELEASE_KEY: args.target, **moved.data}, where)
        text = WRITERS[fmt](migrated)
    except FileError as error:  # a missing extra, or TOML and a null inside a field
        return _file_problems(where, error.details)
    if args.output is None:
        if fmt == "json":
            _print_json(migrated)
        else:
            print(text, end="")
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            _warn(_problem_line(args.output, FileProblem(f"cannot be written: {reason}", "io")))
            return EXIT_INVALID
    _report(name, moved)
    return EXIT_OK


_VALUE_WIDTH = 30
_REPORT_WIDTH = 120


def _value(value: Any, missing: Any) -> str:
    """A value in the change table: its repr, cut short; ``-`` where the field was or is left out (``missing``)."""
    if value is missing:
        return "-"
    text = _one_line(repr(value))
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 3] + "..."


def _report(name: str, moved: Migration) -> None:
    """The changes as a table on stderr, one row each, the message wrapped under its column; then the warnings."""
    from .migration.engine import MISSING

    route = f"{_shown(name)}: {moved.class_name} from rfdetr {moved.source} to {moved.target}"
    if not moved.changes:
        _warn(f"{route}: no changes")
    else:
        attention = f", {len(moved.lossy)} may train differently" if moved.lossy else ""
        _warn(f"{route}: {len(moved.changes)} changes{attention}")
        rows = [
            (
                c.field or "(config)",
                c.kind,
                f"{_value(c.old, MISSING)} -> {_value(c.new, MISSING)}",
                _one_line(c.message),
            )
            for c in moved.changes
        ]
        header = ("field", "kind", "old -> new", "message")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        indent = sum(widths) + 2 * len(widths)
        for row in [header, *rows]:
            start = "  ".join(f"{cell:{width}}" for cell, width in zip(row[:3], widths, strict=True))
            wrapped = textwrap.wrap(row[3], max(50, _REPORT_WIDTH - indent)) or [""]
            _warn(f"{start}  {wrapped[0]}".rstrip())
            for more in wrapped[1:]:
                _warn(" " * indent + more)
    for said in moved.warnings:
        _warn(f"{_shown(name)}: rfdetr {moved.target} warns: {_one_line(said)}")


def _changes(args: argparse.Namespace) -> int:
    from .releases.changes import changes

    cls = _class_named(args.class_name, args.source)
    found = changes(args.source, args.target, None if cls is None else cls.__name__)
    if args.json:
        _print_json([_change_record(change) for change in found])
    elif not found:
        which = "" if cls is None else f" for {cls.__name__}"
        print(f"rfdetr {args.source} and {args.target} declare no differences{which}")
    else:
        for change in found:
            print(_one_line(change.message))
    return EXIT_OK


def _change_record(change: Change) -> Dict[str, Any]:
    return {
        "class": change.class_name,
        "field": change.field,
        "kind": change.kind,
        "old": _json_value(change.old),
        "new": _json_value(change.new),
        "note": change.note,
        "message": change.message,
    }


def _json_value(value: Any) -> Any:
    """A declared value as JSON data: an enum's value, a default as itself, a rule or a type by its text."""
    value = plain_value(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return json_form({"value": value}, "a declared value")["value"]
    except FileError:
        return str(value)


def _detect(args: argparse.Namespace) -> int:
    from .migration.engine import releases_accepting

    given = _class_named(args.class_name, None)
    name = STDIN_NAME if args.file == STDIN else args.file
    try:
        name, data = _read_input(args.file, args.format)
        header, fields = split_header(data, name)
        class_name = _header_class(header, given, name, None)
    except FileError as error:
        return _file_problems(name, error.details)
    accepting = releases_accepting(fields, class_name)
    if not accepting:
        _warn(
            f"{_shown(name)}: no supported rfdetr release ({RELEASES[0]} to {RELEASES[-1]}) accepts it as a "
            f"{class_name} ({PROG} validate FILE --release X.Y.Z says why)"
        )
        return EXIT_INVALID
    print(f"{_shown(name)}: a {class_name} of rfdetr {', '.join(accepting)}")
    named = header.get(RELEASE_KEY)
    if named is not None:
        if named not in RELEASES:
            verdict = "which is not a supported release"
        elif named in accepting:
            verdict = "one of them"
        else:
            verdict = "which refuses it"
        print(f"{_shown(name)}: its {RELEASE_KEY} names rfdetr {_shown(named)}, {verdict}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG,
        description="Validate, show, compare and migrate RF-DETR configurations, without pydantic or torch.",
        epilog=_EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__} (rfdetr {RELEASES[0]} to {RELEASES[-1]}; by default rfdetr {TOP})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = ", ".join(_TOP_NAMES) + ", ..."

    def command(name: str, summary: str, description: str, examples: str, run: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=textwrap.fill(description, 100),
            epilog=f"examples:\n{examples}\n\n{_EXIT_CODES}",
            formatter_class=formatter,
        )
        sub.set_defaults(run=run)
        return sub

    def release(sub: argparse.ArgumentParser, text: str) -> None:
        sub.add_argument("--release", metavar="X.Y.Z", type=_release_named, help=text)

    def inputs(sub: argparse.ArgumentParser, which: str) -> None:
        sub.add_argument("--class", dest="class_name", metavar="NAME", help=f"the class of {which}: {names}")
        release(
            sub,
            f"the rfdetr release whose classes the files hold; a file's own {RELEASE_KEY} must name the same "
            f"classes (default: the file's, else {TOP})",
        )
        sub.add_argument(
            "--format",
            choices=FORMATS,
            help="read every input as this format, instead of by its suffix (standard input: json)",
        )

    def class_argument(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("class_name", metavar="CLASS", help=f"one of: {names}")
        release(sub, f"the rfdetr release whose class to take (default: {TOP})")

    validate = command(
        "validate",
        "check files; print each normalised (JSON) or every error",
        "Check each JSON, TOML or YAML file (- for standard input). Print the file validated and normalised as "
        "JSON, or each problem on stderr. With several files, print one JSON list of records "
        '{"file", "valid", "config", "errors", "warnings"}; with --jsonl, one record per line as each file is '
        "checked (the same shape for one file or many).",
        f"  {PROG} validate train.json\n"
        f"  {PROG} validate run.toml other.yaml --class TrainConfig --jsonl\n"
        f"  {PROG} validate - --format yaml < run.yaml",
        _validate,
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a .json, .toml, .yaml or .yml file, or -")
    inputs(validate, "every file (a file's own config_class must agree)")
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on stdout (problems still go to stderr)"
    )
    validate.add_argument("--jsonl", action="store_true", help="print one JSON record per file, one per line")

    show = command(
        "show",
        "a class's defaults and rules",
        "Print a class's fields with their types, defaults and rules, or its defaults as a file (with its "
        f'"{CLASS_KEY}" key, so that validate reads it back).',
        f"  {PROG} show RFDETRNanoConfig\n  {PROG} show TrainConfig --format json > train.json\n"
        f"  {PROG} show TrainConfig --format yaml   # needs the yaml extra",
        _show,
    )
    class_argument(show)
    show.add_argument("--format", choices=["table", *FORMATS], default="table")
    show.add_argument("-v", "--verbose", action="store_true", help="with the table, what each field means")

    schema = command(
        "schema",
        "a class's JSON Schema",
        f'Print the JSON Schema (draft 2020-12) of a class\'s file (its fields, and its optional "{CLASS_KEY}" key).',
        f"  {PROG} schema KeypointTrainConfig > keypoint.schema.json",
        _schema,
    )
    class_argument(schema)

    diff = command(
        "diff",
        "the fields that differ between two files",
        "Print, as JSON, each key whose normalised value differs between A and B: {key: [a, b]}. The files "
        f'may hold different classes: then "{CLASS_KEY}" differs, and a field only one class has shows null '
        "on the other side. Exit status 1 when they differ, so that CI can gate on it.",
        f"  {PROG} diff baseline.json tuned.toml\n  {PROG} diff - tuned.json --format json < baseline.json",
        _diff,
    )
    diff.add_argument("a", metavar="A", help="a file, or -")
    diff.add_argument("b", metavar="B", help="a file, or -")
    inputs(diff, "both files")

    def one_input(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("file", metavar="FILE", help="a .json, .toml, .yaml or .yml file, or -")
        sub.add_argument("--class", dest="class_name", metavar="NAME", help=f"the class of the file: {names}")
        sub.add_argument(
            "--format",
            choices=FORMATS,
            help="read the input as this format, instead of by its suffix (standard input: json)",
        )

    moving = command(
        "migrate",
        "rewrite a file for another rfdetr release, keeping what it trains",
        "Rewrite a file written for one rfdetr release for another, newer or older, so that it trains as it "
        "did: values the old release took by default are pinned, moved fields follow their meaning. Print "
        "the file (in the input's format) or write it to -o, with its rfdetr_release naming the target; "
        "report every change on stderr as a table, and mark what may train differently (lossy, needs a "
        "decision). A value the target cannot express is an error: nothing is written.",
        f"  {PROG} migrate old.json --to {TOP} -o new.json\n"
        f"  {PROG} migrate run.yaml --to 1.10.1 --strict > new.yaml\n"
        f"  {PROG} migrate - --class TrainConfig --from 1.8.1 < old.json",
        _migrate,
    )
    one_input(moving)
    moving.add_argument(
        "--from",
        dest="source",
        metavar="X.Y.Z",
        type=_release_named,
        help=f"the rfdetr release the file was written for (default: the file's {RELEASE_KEY})",
    )
    moving.add_argument(
        "--to",
        dest="target",
        metavar="X.Y.Z",
        type=_release_named,
        default=TOP,
        help=f"the rfdetr release to write it for (default: {TOP})",
    )
    moving.add_argument(
        "-o", "--output", metavar="OUT", help="write the file here, in the format of its suffix, instead of stdout"
    )
    moving.add_argument(
        "--strict", action="store_true", help="fail, writing nothing, on any change that may train differently"
    )

    changed = command(
        "changes",
        "what differs between two rfdetr releases",
        "Print every declared difference between the configuration classes of rfdetr X and Y (either may "
        "be the older), one line each: fields added, removed or moved, defaults, types, rules.",
        f"  {PROG} changes 1.8.1 {TOP} --class TrainConfig\n  {PROG} changes 1.10.1 1.11.0 --json",
        _changes,
    )
    changed.add_argument("source", metavar="X", type=_release_named, help="an rfdetr release")
    changed.add_argument("target", metavar="Y", type=_release_named, help="another rfdetr release")
    changed.add_argument("--class", dest="class_name", metavar="NAME", help=f"only this class's changes: {names}")
    changed.add_argument(
        "--json", action="store_true", help='print one JSON list of {"class", "field", "kind", "old", "new", ...}'
    )

    detect = command(
        "detect",
        "which rfdetr releases accept a file",
        "Print the supported rfdetr releases that accept the file as its class, and whether the release "
        f"its {RELEASE_KEY} names is one of them. Exit status 1 when none accepts it.",
        f"  {PROG} detect old.json\n  {PROG} detect - --class TrainConfig < old.json",
        _detect,
    )
    one_input(detect)
    return parser


def _run(argv: Optional[Sequence[str]]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a wrong command line, already printed
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        return int(args.run(args))
    except _Usage as error:
        print(f"{PROG} {args.command}: {error} (see {PROG} {args.command} --help)", file=sys.stderr)
        return EXIT_USAGE
    except FileError as error:  # the command cannot be carried out: a missing extra
        for detail in error.details:
            print(f"{PROG}: {_message(detail)}", file=sys.stderr)
        return EXIT_INVALID


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line on ``argv`` (the process's arguments by default); returns the exit status."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
        _stop_writing()
        return EXIT_OK
    except MemoryError:  # pragma: no cover - the inputs are bounded; a machine can still run out
        print(f"{PROG}: out of memory", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a bug of ours, not a problem of the input: still one line
        print(f"{PROG}: internal error: {type(error).__name__}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_INVALID


def _stop_writing() -> None:
    """Point stdout at nothing, so that Python's flush at exit does not fail again on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout is not a file descriptor
        pass
