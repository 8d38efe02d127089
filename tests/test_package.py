"""The package as users meet it: import cost, lazy names, typing. The command line: ``test_cli*.py``."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

from rfdetr_config.releases import TOP, module_name, release_module_name

from .conftest import typed_value

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)


def test_import_loads_neither_torch_nor_pydantic() -> None:
    wanted = ("torch", "pydantic", "numpy", "cattrs")
    code = f"import sys, rfdetr_config; print(sorted(m for m in {wanted!r} if m in sys.modules))"
    assert _run(sys.executable, "-c", code).stdout.strip() == "[]"


_TOP_MODULE = module_name(TOP)
_TOP_OWN = release_module_name(TOP)
_BUILT = (
    f"import sys; m = sys.modules.get({_TOP_MODULE!r}); "
    "built = sorted(n for n, v in vars(m).items() if isinstance(v, type) and n.endswith('Config')) if m else []; "
    f"top = ({_TOP_MODULE!r}, {_TOP_OWN!r}); "
    "others = sorted(k for k in sys.modules if k.startswith('rfdetr_config.releases.v') and k not in top); "
    "print(built, others, 'rfdetr_config.integrations.cattrs_hooks' in sys.modules)"
)


@pytest.mark.parametrize(
    ("statement", "built"),
    [
        ("import rfdetr_config", "[] [] False"),
        ("from rfdetr_config import TrainConfig", "['TrainConfig'] [] False"),
        (
            "from rfdetr_config import RFDETRNanoConfig",
            "['ModelConfig', 'RFDETRBaseConfig', 'RFDETRNanoConfig'] [] False",
        ),
        ("from rfdetr_config import KeypointTrainConfig", "['KeypointTrainConfig', 'TrainConfig'] [] False"),
        ("import rfdetr_config as rc; rc.converter", "[] [] True"),
    ],
)
def test_classes_are_built_on_first_use(statement: str, built: str) -> None:
    """A class and its bases are built when first used; nothing of another release, nor cattrs."""
    assert _run(sys.executable, "-c", f"{statement}; {_BUILT}").stdout.strip() == built


def test_using_one_release_builds_no_other() -> None:
    code = (
        "import sys, rfdetr_config as rc; rc.for_release('1.8.3').TrainConfig(dataset_dir=None); "
        "print(sorted(k for k in sys.modules if k.startswith('rfdetr_config.releases.v')))"
    )
    assert _run(sys.executable, "-c", code).stdout.strip() == "['rfdetr_config.releases.v1_8_3']"


def test_lazy_names_are_listed_and_unknown_names_fail() -> None:
    import rfdetr_config as rc

    assert {"TrainConfig", "RFDETRNanoConfig", "converter", "CONFIG_CLASSES"} <= set(dir(rc))
    with pytest.raises(AttributeError, match="no attribute 'TrainConfg'"):
        rc.TrainConfg  # type: ignore[attr-defined]  # noqa: B018


def test_py_typed_is_shipped() -> None:
    import rfdetr_config

    assert (pathlib.Path(rfdetr_config.__file__).parent / "py.typed").exists()


@pytest.mark.skipif(not _has_module("mypy"), reason="mypy is not installed")
def test_type_checkers_see_the_same_required_fields(tmp_path: pathlib.Path) -> None:
    """Every field with a default is optional to mypy too: defaults are read from ``setting(default=...)``."""
    import rfdetr_config as rc

    lines = ["import rfdetr_config as rc"]
    for cls in rc.CONFIG_CLASSES:
        required = [p for p in cls.__rfdetr_plan__ if p.required]
        arguments = ", ".join(f"{p.name}={typed_value(p.annotation)}" for p in required)
        lines.append(f"rc.{cls.__name__}({arguments})")
    lines.append("rc.TrainConfig()  # E: missing dataset_dir")
    source = tmp_path / "usage.py"
    source.write_text("\n".join(lines) + "\n")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)]
    environment = {**os.environ, "MYPYPATH": str(ROOT)}  # an editable install is invisible to mypy
    found = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120, env=environment).stdout
    problems = [line for line in found.splitlines() if ": error:" in line]
    assert len(problems) == 1, found
    assert f"usage.py:{len(lines)}:" in problems[0]
    assert "dataset_dir" in problems[0]
