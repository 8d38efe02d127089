"""What the command line adds to a file's problems so that a person can act on them.

The API's errors keep rfdetr's words (its ``Unknown parameter(s): ... Available parameter(s): ...``
lists every field); on a terminal each unknown key is said once, with its did-you-mean, and a key that
another release of the class has says so, with the releases that accept the file and the commands
that help.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple

from ..core.errors import ErrorDetail, FileError, FileProblem
from ..files import HEADER, RELEASE_KEY
from ..releases import DISTINCT, RELEASES, TOP, declared
from .output import PROG

__all__ = ["for_people", "problems_of", "span", "with_format_hint"]


def problems_of(
    error: FileError, data: Optional[Mapping[str, Any]], asked: Optional[str], *, stdin: bool, format_chosen: bool
) -> List[ErrorDetail]:
    """A file's problems as the command line shows them (:func:`with_format_hint`, :func:`for_people`).

    ``data`` is the file's mapping when it was read, ``asked`` the release the command line asks for.
    """
    details = with_format_hint(error.details, stdin, format_chosen)
    if data is None or error.class_name is None:
        return for_people(details, None, None, asked or TOP)
    named = data.get(RELEASE_KEY)
    release = named if isinstance(named, str) and named in RELEASES else asked or TOP
    fields = {key: value for key, value in data.items() if key not in HEADER}
    return for_people(details, fields, error.class_name, release)


def span(releases: Sequence[str]) -> str:
    """Releases as runs of consecutive supported ones: ``1.8.1 to 1.10.1, 1.11.1``."""
    runs: List[List[str]] = []
    for release in releases:
        if runs and RELEASES.index(release) == RELEASES.index(runs[-1][-1]) + 1:
            runs[-1].append(release)
        else:
            runs.append([release])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)


def for_people(
    details: Sequence[ErrorDetail], fields: Optional[Mapping[str, Any]], class_name: Optional[str], release: str
) -> List[ErrorDetail]:
    """``details`` as the command line shows them.

    rfdetr's one message naming every unknown key and every field is left out where each unknown key has
    its own line; an unknown key that another release of ``class_name`` declares tells where it went.
    """
    unknown = [d for d in details if d.type == "unknown_field"]
    shown = [d for d in details if not (unknown and d.type == "unknown_parameters")]
    if not unknown or class_name is None or fields is None:
        return shown
    accepting: Optional[Tuple[str, ...]] = None
    out: List[ErrorDetail] = []
    for detail in shown:
        where = _elsewhere(detail.input, class_name, release) if detail.type == "unknown_field" else None
        if where is None:
            out.append(detail)
            continue
        if accepting is None:
            from ..migration import releases_accepting  # only on this path: it loads every release's classes

            accepting = releases_accepting(fields, class_name)
        took = f"rfdetr {span(accepting)} accept this file" if accepting else "no supported release accepts this file"
        msg = f"{detail.msg}; {where}; {took} (see {PROG} detect and {PROG} migrate)"
        out.append(ErrorDetail(detail.loc, msg, detail.input, detail.type))
    return out


def _elsewhere(key: Any, class_name: str, release: str) -> Optional[str]:
    """Where the releases that declare ``key`` on ``class_name`` stand from ``release``, if any does."""
    if not isinstance(key, str):
        return None
    from ..releases.changes import effective_fields  # only on this path

    having = [
        first
        for first in DISTINCT
        if class_name in declared(first).class_names and key in effective_fields(declared(first), class_name)
    ]
    if not having:
        return None
    groups = list(DISTINCT)
    mine = next(i for i, first in reversed(list(enumerate(groups))) if RELEASES.index(first) <= RELEASES.index(release))
    last, first = groups.index(having[-1]), groups.index(having[0])
    if last < mine:
        return f"removed in rfdetr {groups[last + 1]}"
    if first > mine:
        return f"added in rfdetr {groups[first]}"
    return f"a field of rfdetr {span([r for g in having for r in declared(g).covers])}, not {release}"


def with_format_hint(details: Sequence[ErrorDetail], stdin: bool, chosen: bool) -> List[ErrorDetail]:
    """A file whose format was guessed says how to name it: an unknown suffix, or standard input not JSON."""
    out: List[ErrorDetail] = []
    for detail in details:
        if not chosen and isinstance(detail, FileProblem) and detail.type in ("format", "syntax"):
            if detail.type == "format":
                extra = " (or name its format with --input-format)"
            elif stdin:
                extra = "; standard input is read as JSON: --input-format yaml or toml reads another format"
            else:
                extra = ""
            if extra:
                detail = FileProblem(
                    detail.msg + extra, detail.type, loc=detail.loc, line=detail.line, column=detail.column
                )
        out.append(detail)
    return out
