"""Sphinx configuration: the API reference is generated from the package's docstrings and declarations."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_ext"))
sys.path.insert(0, os.path.dirname(HERE))

import rfdetr_config  # noqa: E402

project = "rfdetr_config"
author = "the rfdetr_config developers"
release = version = rfdetr_config.__version__
copyright = "2026, the rfdetr_config developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "rfdetr_fields",
    "rfdetr_releases",
]
exclude_patterns = ["_build"]
html_theme = "furo"
html_static_path = ["_static"]
html_css_files = ["wrap.css"]
html_title = f"rfdetr_config {release}"
nitpicky = True
# Only what cannot resolve offline or has no page of its own: the build uses no intersphinx, so that
# it works without a network; type variables and the error-location alias are not documented objects.
nitpick_ignore_regex = [
    (r"py:class", r"(attrs|cattrs|hypothesis)\..*"),
    (r"py:class", r"os\.PathLike|types\.ModuleType"),
    (r"py:class", r"rfdetr_config(\.\w+)+\.(C|T)"),
    (r"py:class", r"Loc|Source"),
    (r"py:class", r"collections\.abc\.Callable|Ellipsis"),  # Callable[..., Any] in field types
]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

# Each page's examples run in a fresh HOME, model cache and working directory. Warnings are errors
# while they run: an example that warns must catch the warning and show it, as users would see it.
# (Leaving the filters alone would not show them either: Python hides a DeprecationWarning unless it
# is raised in __main__.) The filters are restored after each page, for Sphinx's own sake.
doctest_global_setup = """
import os, tempfile, warnings
_root = os.path.realpath(tempfile.mkdtemp(prefix="rfdetr-config-docs-"))
for _name in ("home", "models", "work"):
    os.makedirs(os.path.join(_root, _name))
os.environ["HOME"] = os.path.join(_root, "home")
os.environ["RF_HOME"] = os.path.join(_root, "models")
os.chdir(os.path.join(_root, "work"))
_filters = warnings.filters[:]
warnings.simplefilter("error")
"""

doctest_global_cleanup = """
warnings.filters[:] = _filters
"""
