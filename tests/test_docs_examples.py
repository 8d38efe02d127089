"""The examples in README.md and docs/*.rst are user code: they type-check, and the README's run.

The documentation build executes every example in ``docs/`` as a doctest, but nothing ran the
README, and nothing type-checked either: ``lr="1e-4"`` works at run time (rfdetr accepts it too),
yet ``mypy --strict`` rejects it in the reader's own code, so an example that readers copy failed
their CI. Here every Python example is extracted, page by page, into a module of its own, and one
``mypy --strict`` run checks them all, as a user's project would be checked.

An example that is not meant to type-check (the contents of a file, say) is marked on the line
before it: ``<!-- not type-checked: why -->`` in Markdown, ``.. not type-checked: why`` in reST.
Dict input needs no mark: a dict literal passed to ``structure`` type-checks as the mapping it is.
"""

from __future__ import annotations

import doctest
import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Tuple

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]
SKIP_MARKS = ("<!-- not type-checked:", ".. not type-checked:")
PYTHON_FENCE = re.compile(r"^```(python|py|pycon)\s*$")
RST_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\. (?P<name>doctest|testcode|code-block|code|sourcecode)::\s*(?P<lang>\S*)"
)
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL | doctest.DONT_ACCEPT_TRUE_FOR_1  # Sphinx's


@dataclass
class Example:
    """One example: where it starts and its lines, as written (prompts and output included).

    Attributes:
        document: The file, relative to the repository root.
        lines: ``(line number, text)`` pairs, numbered as in the file.
        skipped: Why the example is exempt from type checking, or "".
    """

    document: str
    lines: List[Tuple[int, str]] = field(default_factory=list)
    skipped: str = ""

    @property
    def is_doctest(self) -> bool:
        """Whether the example is an interactive session (``>>>``) rather than a script."""
        return any(text.lstrip().startswith(">>>") for _, text in self.lines)

    def code(self) -> List[Tuple[int, str]]:
        """The Python source with its file line numbers: a session's prompts and output removed."""
        if not self.is_doctest:
            indent = min((len(t) - len(t.lstrip()) for _, t in self.lines if t.strip()), default=0)
            return [(n, t[indent:]) for n, t in self.lines]
        out, in_source = [], False
        for number, text in self.lines:
            stripped = text.lstrip()
            if stripped.startswith(">>>"):
                out.append((number, stripped[4:]))
                in_source = True
            elif in_source and stripped.startswith("..."):
                out.append((number, stripped[4:]))
            else:
                in_source = False  # output; a traceback's own "..." line is output too
        return out


def _skip_reason(previous: List[str]) -> str:
    """The reason given by a skip mark on the last non-blank line before an example, if any."""
    for text in reversed(previous):
        if text.strip():
            stripped = text.strip()
            for mark in SKIP_MARKS:
                if stripped.startswith(mark):
                    return stripped[len(mark) :].strip(" ->") or "marked"
            return ""
    return ""


def markdown_examples(path: pathlib.Path, root: pathlib.Path = ROOT) -> List[Example]:
    """Fenced ``python``/``pycon`` blocks of a Markdown file; ``root`` is what paths are named from."""
    lines = path.read_text(encoding="utf-8").splitlines()
    examples, current = [], None
    for number, text in enumerate(lines, start=1):
        if current is None and PYTHON_FENCE.match(text):
            current = Example(str(path.relative_to(root)), skipped=_skip_reason(lines[: number - 1]))
        elif current is not None and text.startswith("```"):
            examples.append(current)
            current = None
        elif current is not None:
            current.lines.append((number, text))
    return examples


def rst_examples(path: pathlib.Path, root: pathlib.Path = ROOT) -> List[Example]:
    """The doctest and Python code directives of a reST file, and bare ``>>>`` paragraphs."""
    document = str(path.relative_to(root))
    lines = path.read_text(encoding="utf-8").splitlines()
    examples: List[Example] = []
    index = 0
    while index < len(lines):
        text = lines[index]
        found = RST_DIRECTIVE.match(text)
        if found and (found["name"] in ("doctest", "testcode") or found["lang"] in ("python", "py", "pycon")):
            example = Example(document, skipped=_skip_reason(lines[:index]))
            indent = len(found["indent"])
            index += 1
            while index < len(lines) and (not lines[index].strip() or _indent(lines[index]) > indent):
                body = lines[index]
                if not (body.strip().startswith(":") and not example.lines):  # the directive's options
                    example.lines.append((index + 1, body))
                index += 1
            examples.append(example)
        elif text.lstrip().startswith(">>>"):
            example = Example(document, skipped=_skip_reason(lines[:index]))
            while index < len(lines) and lines[index].strip():
                example.lines.append((index + 1, lines[index]))
                index += 1
            examples.append(example)
        else:
            index += 1
    return examples


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def examples_of(path: pathlib.Path) -> List[Example]:
    """Every Python example of a documentation file, in order."""
    return markdown_examples(path) if path.suffix == ".md" else rst_examples(path)


def _module_name(path: pathlib.Path) -> str:
    return "example_" + re.sub(r"\W", "_", path.stem.lower())


@dataclass
class Checked:
    """The outcome of the one mypy run: the errors of each document, with the document's line numbers."""

    errors: Dict[str, List[str]]
    output: str


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """Write each document's examples to a module of its own and type-check them all in one run.

    A page's examples share one module because they share names, as a page's doctests do. Each
    module line remembers the document line it came from, so a failure points into the document.
    """
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    work = tmp_path_factory.mktemp("examples")
    origin: Dict[Tuple[str, int], Tuple[str, int]] = {}
    errors: Dict[str, List[str]] = {}
    for path in DOCUMENTS:
        document = str(path.relative_to(ROOT))
        errors[document] = []
        module = _module_name(path)
        source: List[str] = []
        for example in examples_of(path):
            if example.skipped:
                continue
            for number, text in example.code():
                source.append(text)
                origin[(module, len(source))] = (document, number)
        (work / f"{module}.py").write_text("\n".join(source) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes", "--no-error-summary"]
    command += sorted(str(p) for p in work.glob("*.py"))
    environment = {**os.environ, "MYPYPATH": str(ROOT)}  # an editable install is invisible to mypy
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600, env=environment, cwd=work)
    for line in done.stdout.splitlines():
        found = re.match(r"^(?:.*[/\\])?(example_\w+)\.py:(\d+): (error|note): (.*)$", line)
        if found is None:
            continue
        document, number = origin.get((found[1], int(found[2])), (found[1], int(found[2])))
        if found[3] == "error":
            errors.setdefault(document, []).append(f"{document}:{number}: {found[4]}")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return Checked(errors, done.stdout + done.stderr)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_type_check(checked: Checked, path: pathlib.Path) -> None:
    """Every example of the document passes ``mypy --strict`` as the reader's code."""
    errors = checked.errors[str(path.relative_to(ROOT))]
    assert not errors, "\n".join(errors)


def test_the_extraction_finds_the_examples() -> None:
    """The extraction sees the examples, so an empty module cannot pass for a clean one."""
    found = {str(p.relative_to(ROOT)): examples_of(p) for p in DOCUMENTS}
    assert len(found["README.md"]) >= 3
    for page in ("index", "getting-started", "coming-from-rfdetr", "files-and-cli", "property-testing"):
        assert found[f"docs/{page}.rst"], page
    assert all(e.code() for examples in found.values() for e in examples if not e.skipped)


def test_the_extraction_reads_sessions_marks_and_options(tmp_path: pathlib.Path) -> None:
    """Prompts, output, tracebacks, directive options and skip marks are told apart."""
    page = tmp_path / "page.rst"
    page.write_text(
        "Text.\n\n"
        ".. doctest::\n"
        "   :options: +ELLIPSIS\n\n"
        "   >>> for x in (1,):\n"
        "   ...     print(x)\n"
        "   1\n"
        "   >>> raise ValueError\n"
        "   Traceback (most recent call last):\n"
        "   ...\n"
        "   ValueError\n\n"
        ".. not type-checked: a file's contents\n\n"
        ".. code-block:: python\n\n"
        "   epochs = '3'\n\n"
        "After.\n",
        encoding="utf-8",
    )
    session, marked = rst_examples(page, root=tmp_path)
    assert [text for _, text in session.code()] == ["for x in (1,):", "    print(x)", "raise ValueError"]
    assert [number for number, _ in session.code()] == [6, 7, 9]
    assert marked.skipped == "a file's contents"
    readme = tmp_path / "README.md"
    readme.write_text(
        "<!-- not type-checked: input -->\n```python\nx = 1\n```\n\n```py\ny = 2\n```\n", encoding="utf-8"
    )
    first, second = markdown_examples(readme, root=tmp_path)
    assert (first.skipped, second.skipped) == ("input", "")
    assert second.code() == [(7, "y = 2")]


@pytest.fixture
def strict_warnings() -> Iterator[None]:
    """Any warning is an error, so an example that warns must show it (as the docs build does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.usefixtures("strict_warnings")
def test_readme_examples_run() -> None:
    """The README's examples run in order, in one namespace; a session's output must match.

    The docs build runs the docs' examples; the README is the first page most people read, and
    its examples used to be checked by no one.
    """
    pytest.importorskip("tomli_w")
    pytest.importorskip("hypothesis")
    namespace: Dict[str, Any] = {"__name__": "readme"}
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    parser = doctest.DocTestParser()
    report: List[str] = []
    for example in examples_of(ROOT / "README.md"):
        first = example.lines[0][0] if example.lines else 0
        text = "\n".join(t for _, t in example.lines) + "\n"
        if example.is_doctest:
            test = parser.get_doctest(text, namespace, f"README.md:{first}", "README.md", first - 1)
            runner.run(test, out=report.append, clear_globs=False)
            namespace = test.globs  # a DocTest runs in a copy of the namespace it was given
        else:
            exec(compile(text, f"README.md:{first}", "exec"), namespace)
    assert not report, "".join(report)
