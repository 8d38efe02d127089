import os
import typing
import warnings
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, settings

# CI: the same examples every run, no timing-based failures, and a reproduction blob on failure.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same kind of HOME, RF_HOME, working directory (free of symlinks) and terminal width."""
    root = tmp_path_factory.mktemp("env").resolve()
    for name in ("home", "models", "work"):
        (root / name).mkdir()
    monkeypatch.setenv("HOME", str(root / "home"))
    monkeypatch.setenv("RF_HOME", str(root / "models"))
    monkeypatch.chdir(root / "work")
    monkeypatch.delenv("COLUMNS", raising=False)  # the command line's width: its default, 100


@pytest.fixture
def quiet() -> Iterator[None]:
    """Silence the warnings that valid but deprecated or unusual configurations emit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def all_classes() -> Any:
    """Parametrize a test over every configuration class."""
    import rfdetr_config as rc

    return pytest.mark.parametrize("cls", rc.CONFIG_CLASSES, ids=lambda c: c.__name__)


def release_classes() -> Any:
    """Parametrize over the classes each other release changed: every class of the training family, and the
    model classes whose fields changed, for every release module but the top one."""
    import rfdetr_config as rc
    from rfdetr_config.releases import MODULES, TOP

    names = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig", "RFDETRKeypointPreviewConfig")
    releases = sorted({r for r, m in MODULES.items() if m != MODULES[TOP] and r == rc.for_release(r).RELEASES[0]})
    classes = [getattr(rc.for_release(r), n) for r in releases for n in names]
    return pytest.mark.parametrize("cls", classes, ids=lambda c: f"{c.__rfdetr_release__}-{c.__name__}")


def typed_value(annotation: Any) -> str:
    """Source of a value of ``annotation`` that a type checker accepts, for calls written into test modules."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return repr(args[0])
    if origin is list:
        return f"[{typed_value(args[0])}]"
    if origin is typing.Union:
        return typed_value(args[0])
    return {int: "1", float: "1.0", bool: "True", str: "'x'"}[annotation]
