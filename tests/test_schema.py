"""The JSON Schema agrees with ``structure`` on strict JSON, except where JSON Schema cannot say it."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import jsonschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import rfdetr_config as rc
from rfdetr_config.checks import optimizers
from rfdetr_config.strategies import invalid_dicts, valid_dicts

from .conftest import all_classes

CLASSES = all_classes()
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=5,
)
# Sampled spellings that sit on the interesting edges of the loose rules.
EDGE_VALUES = st.sampled_from(
    [0, 1, -1, 2, True, False, 1.0, 0.0, 1.5, 2**63, -(2**63), 2.0**63, 10**400, "1", " 2 ", "1e-3", "yes", "auto",
     "tqdm", "cpu", "cuda:1", "cuda:2147483648", "P4", "a\x00b", [], [1], ["P3"], {}, None]
)  # fmt: skip


def _strict_json(data: Any) -> Any:
    try:
        return json.loads(json.dumps(data, allow_nan=False))
    except (TypeError, ValueError):
        return None


def _accepts(data: Any, cls: type[rc.BaseConfig]) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rc.structure(data, cls)
        except rc.ConfigError:
            return False
    return True


def _beyond_schema(data: Any, cls: type[rc.BaseConfig]) -> bool:
    """Whether ``structure`` refuses ``data`` by a rule JSON Schema cannot say.

    A rule across fields (rfdetr reports it for the whole configuration), or a name that rfdetr
    checks against what it knows (optimizers of the installed torch, its own schedules).
    """
    named = {optimizers.optimizer_choice, optimizers.lr_scheduler_choice}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rc.structure(data, cls)
    except rc.ConfigError as error:
        locs = [d.loc for d in error.details]
        plans = cls.__rfdetr_fields__
        return any(not loc or (loc[0] in plans and plans[loc[0]].convert in named) for loc in locs)
    return False


def _machine_limit(value: Any) -> bool:
    """Values JSON Schema's numbers and strings allow that the field's machine type cannot hold."""
    if isinstance(value, list):
        return any(_machine_limit(v) for v in value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 2**63
    if isinstance(value, float):
        return abs(value) >= 2.0**63
    if isinstance(value, str):
        return (
            "\x00" in value
            or value.startswith(("cuda:2147483648",))
            or any(part.isdigit() and int(part) > 2**31 - 1 for part in value.split(":")[1:])
        )
    return False


@CLASSES
def test_schema_is_valid_draft_2020_12(cls: type[rc.BaseConfig]) -> None:
    schema = rc.json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == ["config_class", "rfdetr_release", *(p.name for p in cls.__rfdetr_plan__)]
    assert all("description" in prop for prop in schema["properties"].values())


@CLASSES
@settings(max_examples=20)
@given(data=st.data())
def test_valid_documents_match_the_schema(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    document = _strict_json(data.draw(valid_dicts(cls)))
    assume(document is not None)
    jsonschema.validate(document, rc.json_schema(cls))


@CLASSES
# Many invalid dicts hold values no JSON document can (bytes, tuples, NaN); those are skipped.
@settings(max_examples=20, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_invalid_documents_fail_the_schema(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    bad, _ = data.draw(invalid_dicts(cls))
    document = _strict_json(bad)
    assume(document is not None and document == bad)
    assume(not any(_machine_limit(v) for v in document.values()))
    assume(not _beyond_schema(document, cls))
    assert not jsonschema.Draft202012Validator(rc.json_schema(cls)).is_valid(document)


@CLASSES
@settings(max_examples=40)
@given(data=st.data())
def test_schema_and_structure_agree_field_by_field(cls: type[rc.BaseConfig], data: st.DataObject) -> None:
    base = _strict_json(data.draw(valid_dicts(cls)))
    assume(base is not None)
    name = data.draw(st.sampled_from(cls.__rfdetr_order__))
    value = data.draw(EDGE_VALUES | JSON_VALUES)
    document = {**base, name: value}
    schema = rc.json_schema(cls)
    by_schema = jsonschema.Draft202012Validator(schema).is_valid(document)
    by_structure = _accepts(document, cls)
    if by_schema == by_structure:
        return
    if by_structure:
        # a loose spelling: what structure made of it is canonical and the schema accepts that
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            canonical = rc.unstructure(rc.structure(document, cls))[name]
        field_schema = {**schema, "properties": {name: schema["properties"][name]}, "required": []}
        assert jsonschema.Draft202012Validator(field_schema).is_valid({name: _strict_json(canonical)}), (name, value)
        assert value != canonical or type(value) is not type(canonical) or isinstance(value, list), (name, value)
    else:
        assert (
            _machine_limit(value)
            or (name == "patch_size" and value == 0 and "resolution" in document)
            or _beyond_schema(document, cls)
        ), f"schema accepts, structure rejects: {name}={value!r}"


def test_reference_schema_differences_are_stated() -> None:
    # rfdetr 1.8.1's model_json_schema() leaves these rules out; ours states them.
    props = rc.json_schema(rc.TrainConfig)["properties"]
    assert props["auto_batch_ema_headroom"]["exclusiveMinimum"] == 0
    assert props["auto_batch_ema_headroom"]["maximum"] == 1.0
    assert props["smooth_alpha"]["exclusiveMaximum"] == 1.0
    assert props["batch_size"]["anyOf"][0]["minimum"] == 1
    assert rc.json_schema(rc.TrainConfig)["additionalProperties"] is False
    assert math.isclose(props["lr"]["default"], 1e-4)
