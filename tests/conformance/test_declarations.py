"""Our declarations against each release's own, as recorded: classes, field order, defaults, required fields, policies.

The vectors replay behaviour; this checks the shape directly, so that a field inserted in the wrong
place or a default mistyped is named as such rather than found as a dump that differs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import rfdetr_config as rc
from rfdetr_config.checks.enums import plain_value
from rfdetr_config.releases import MODULES

from . import vectors_format as vf

# Names of rfdetr's configuration module that need torch to exist: not offered without it.
TORCH_ONLY = {"SchedulerType"}


def _reference(release: str) -> dict[str, Any]:
    entry = vf.read_manifest()["releases"][release]
    with open(vf.DECLARATIONS_DIR / entry["declarations"], encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def _distinct() -> list[str]:
    seen: dict[str, str] = {}
    for release, module in MODULES.items():
        seen.setdefault(module, release)
    return list(seen.values())


@pytest.mark.parametrize("release", _distinct())
def test_classes_fields_and_defaults_are_the_references(release: str) -> None:
    module = rc.for_release(release)
    reference = _reference(release)

    def enum(name: str, member: str) -> Any:
        return getattr(getattr(module, name), member)

    assert list(module.DECLARED.class_names) == list(reference["classes"])
    for name, body in reference["classes"].items():
        cls = getattr(module, name)
        theirs = body["fields"]
        assert list(cls.__rfdetr_order__) == [f["name"] for f in theirs], name
        assert [p.name for p in cls.__rfdetr_plan__ if p.required] == [f["name"] for f in theirs if f.get("required")]
        assert cls.__rfdetr_unknown_keys__ == body["extra"], name
        for field in theirs:
            if field.get("required"):
                continue
            expected = vf.decode(field["default_factory" if "default_factory" in field else "default"], enum)
            ours = cls.__rfdetr_fields__[field["name"]].make_default()
            assert vf.same(plain_value(ours), plain_value(expected)), (name, field["name"], ours, expected)
            assert type(ours) is type(expected), (name, field["name"], ours, expected)


@pytest.mark.parametrize("release", _distinct())
def test_public_names_are_the_references(release: str) -> None:
    module = rc.for_release(release)
    public = _reference(release)["module"]
    exported = set(public["all"]) if public.get("all") else set(public["classes"]) | set(public["aliases"])
    assert exported - TORCH_ONLY - {"BaseConfig"} <= set(module.__all__)
    for name, enum in public["enums"].items():
        ours = getattr(module, name)
        members = [(alias, member.value) for alias, member in ours.__members__.items()]
        assert members == [(m["name"], m["value"]) for m in enum["members"]]
