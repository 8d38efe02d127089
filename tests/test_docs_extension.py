"""The ``rfdetr-fields`` directive (docs/_ext/rfdetr_fields.py), built into small Sphinx projects.

The API reference is generated, so its promises are tested here rather than by eye: every field
is one link target, a variant lists only what it changes and each of those rows is a target too,
docstring prose never turns into links nobody wrote, and the same directive documents a class set
under another import path (there will be one per rfdetr release) without changes.
"""

from __future__ import annotations

import io
import pathlib
import sys
import types
from typing import Any, Dict, Iterator, List, Literal, Optional, Union

import attrs
import pytest

import rfdetr_config as rc

pytest.importorskip("sphinx")

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

EXT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "_ext"
sys.path.insert(0, str(EXT))

import rfdetr_fields  # noqa: E402

RELEASE = "example_release"


@pytest.fixture
def release() -> Iterator[str]:
    """A module that exports the training classes under another import path, as a release's will."""
    module = types.ModuleType(RELEASE)
    for name in ("BaseConfig", "TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig"):
        setattr(module, name, getattr(rc.for_release("1.8.1") if name != "BaseConfig" else rc, name))
    sys.modules[RELEASE] = module
    yield RELEASE
    del sys.modules[RELEASE]


class Built:
    """A finished build: its Python objects, its pages and its warnings."""

    def __init__(self, app: Sphinx, warnings: str) -> None:
        self.objects: Dict[str, str] = {name: entry.objtype for name, entry in app.env.get_domain("py").objects.items()}
        self.html = (pathlib.Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        self.warnings = warnings


def build(tmp_path: pathlib.Path, body: str) -> Built:
    """Build one page holding ``body`` with the directive loaded, nitpicky, as the real site is.

    The page also declares ``rfdetr_config.BaseConfig``, the base that root classes link to.
    """
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['rfdetr_fields']\n"
        "nitpicky = True\n"
        "nitpick_ignore_regex = [(r'py:class', r'os\\.PathLike')]\n",
        encoding="utf-8",
    )
    base = ".. py:class:: rfdetr_config.BaseConfig"
    (source / "index.rst").write_text(f"Fields\n======\n\n{base}\n\n{body}\n", encoding="utf-8")
    warnings = io.StringIO()
    with docutils_namespace():  # each build registers its directives and nodes afresh, as sphinx-build does
        app = Sphinx(source, source, tmp_path / "html", tmp_path / "doctrees", "html", status=None, warning=warnings)
        app.build()
    return Built(app, warnings.getvalue())


# Pages of rfdetr 1.8.1's classes: the seed release, whose docstrings these tests quote.
SEED = rc.for_release("1.8.1")


def _attributes(built: Built, prefix: str) -> List[str]:
    return sorted(n[len(prefix) :] for n, kind in built.objects.items() if kind == "attribute" and n.startswith(prefix))


def test_a_root_class_gets_every_field_as_one_attribute_each(tmp_path: pathlib.Path) -> None:
    built = build(tmp_path, ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.TrainConfig")
    assert built.warnings == ""
    assert _attributes(built, "rfdetr_config.releases.v1_8_1.TrainConfig.") == sorted(
        a.name for a in attrs.fields(SEED.TrainConfig)
    )
    assert built.html.count('id="rfdetr_config.releases.v1_8_1.TrainConfig.smooth_alpha"') == 1
    assert "__init__" not in built.html
    assert "__new__" not in built.html


def test_a_variant_lists_only_what_it_changes_and_each_row_is_a_target(tmp_path: pathlib.Path) -> None:
    built = build(
        tmp_path,
        ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.TrainConfig\n\n"
        ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.KeypointTrainConfig",
    )
    assert built.warnings == ""
    changed = [
        a.name
        for a in attrs.fields(SEED.KeypointTrainConfig)
        if a.default != attrs.fields_dict(SEED.TrainConfig)[a.name].default
    ]
    assert _attributes(built, "rfdetr_config.releases.v1_8_1.KeypointTrainConfig.") == sorted(changed)
    assert (
        'id="rfdetr_config.releases.v1_8_1.KeypointTrainConfig.lr"' not in built.html
    )  # unchanged: described once, on TrainConfig
    assert 'href="#rfdetr_config.releases.v1_8_1.TrainConfig.smooth_alpha"' in built.html


def test_docstring_prose_stays_prose(tmp_path: pathlib.Path) -> None:
    """``OKS@75`` is not an e-mail address, and roles render as links, not as their source text."""
    built = build(
        tmp_path,
        ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.ModelConfig\n\n"
        ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.TrainConfig\n\n"
        ".. rfdetr-fields:: rfdetr_config.releases.v1_8_1.KeypointTrainConfig",
    )
    assert "OKS&#64;75" in built.html  # the HTML writer's spelling of a plain "@"
    assert "mailto:" not in built.html
    assert ":class:" not in built.html
    assert "Attributes:" not in built.html
    assert (
        'href="#rfdetr_config.releases.v1_8_1.TrainConfig"' in built.html
    )  # ModelConfig.cls_loss_coef's :class:`TrainConfig`


def test_another_class_set_is_documented_by_its_own_import_path(tmp_path: pathlib.Path, release: str) -> None:
    """Pointing the directive at another module is all a page for another rfdetr release needs."""
    built = build(
        tmp_path,
        f".. py:class:: {release}.BaseConfig\n\n"
        f".. rfdetr-fields:: {release}.TrainConfig\n\n"
        f".. rfdetr-fields:: {release}.SegmentationTrainConfig",
    )
    assert built.warnings == ""  # every link, to the base and to the full list, resolved within the set
    assert f"{release}.TrainConfig.lr" in built.objects
    assert f"{release}.SegmentationTrainConfig.mask_ce_loss_coef" in built.objects  # a field of its own, in full
    assert f"{release}.SegmentationTrainConfig.num_select" in built.objects  # a changed default
    elsewhere = [name for name in built.objects if name.startswith("rfdetr_config.")]
    assert elsewhere == ["rfdetr_config.BaseConfig"]  # declared by every test page; nothing of the set lands there


def test_a_path_that_does_not_import_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    built = build(tmp_path, ".. rfdetr-fields:: rfdetr_config.NoSuchConfig")
    assert "cannot import 'rfdetr_config.NoSuchConfig'" in built.warnings


@pytest.mark.parametrize(
    ("annotation", "text"),
    [
        (int, "int"),
        (Optional[List[float]], "list[float] | None"),
        (Union[int, Literal["auto"]], "int | Literal['auto']"),
        (Optional[Dict[str, Any]], "dict[str, Any] | None"),
        (Optional[Literal["tqdm", "rich"]], "Literal['tqdm', 'rich'] | None"),
        (int | None, "int | None"),
    ],
)
def test_types_are_written_as_users_write_them(annotation: Any, text: str) -> None:
    assert rfdetr_fields.type_text(annotation) == text


def test_path_like_fields_name_the_standard_protocol() -> None:
    assert rfdetr_fields.field_facts(rc.TrainConfig)["resume"].type == "str | os.PathLike[str] | None"


def test_escaping_keeps_inline_literals_intact() -> None:
    assert rfdetr_fields._escape("OKS@75 and ``a@b``") == "OKS\\@75 and ``a@b``"


def test_a_computed_default_is_explained_not_evaluated() -> None:
    """The device default depends on whether torch is loaded; the docs say so instead of printing 'cpu'."""
    device = rfdetr_fields.field_facts(rc.RFDETRNanoConfig)["device"]
    assert device.default is None
    assert "torch" in device.default_note
    assert not device.required
