"""What a file is: its shape, and for a full dump the classes and releases its field set names.

Four shapes are read:

``ours``
    the package's own file: the header (``config_class``, ``rfdetr_release``), then one config.
``run``
    ``output_dir/training_config.json`` as rfdetr writes it at every training run: ``train_config``,
    ``model_config``, ``model_config_type``, ``class_names``, ``num_classes``.
``fit``
    a YAML file for ``rfdetr fit --config``: ``model.model_config`` and ``model.train_config``, with
    other sections (``trainer``, ``seed_everything``, ...) beside them.
``bare``
    one config's ``model_dump()`` with nothing around it.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, FrozenSet, List, Literal, Mapping, Optional, Tuple

import attrs

from ...releases import DISTINCT, declared, for_release
from ..header import HEADER

__all__ = ["FIT_SECTIONS", "RUN_KEYS", "Shape", "candidates", "shape_of", "train_class_for_model"]

Shape = Literal["ours", "run", "fit", "bare"]

RUN_KEYS = ("train_config", "model_config", "model_config_type", "class_names", "num_classes")
"""The keys of rfdetr's ``training_config.json``, in the order rfdetr writes them."""

FIT_SECTIONS = frozenset(
    {"model", "data", "trainer", "seed_everything", "optimizer", "lr_scheduler", "ckpt_path", "config", "fit"}
)
"""Top-level keys of a LightningCLI configuration file."""

TRAIN_CLASSES = ("TrainConfig", "SegmentationTrainConfig", "KeypointTrainConfig")


def shape_of(data: Mapping[str, Any]) -> Shape:
    """The shape of a file's mapping (see the module's docstring)."""
    if any(key in data for key in HEADER):
        return "ours"
    if isinstance(data.get("train_config"), Mapping) and isinstance(data.get("model_config"), Mapping):
        return "run"
    model = data.get("model")
    if isinstance(model, Mapping) and ("model_config" in model or "train_config" in model):
        return "fit"
    if data and all(key in FIT_SECTIONS for key in data):
        return "fit"
    return "bare"


@attrs.frozen
class Candidate:
    """A class of a release group whose fields are exactly a dump's keys."""

    release: str  # the first release of the group
    class_name: str

    @property
    def covers(self) -> Tuple[str, ...]:
        """Every release of the group, oldest first."""
        return tuple(declared(self.release).covers)


@functools.cache
def _field_sets() -> Dict[FrozenSet[str], List[Candidate]]:
    found: Dict[FrozenSet[str], List[Candidate]] = {}
    for release in DISTINCT:
        module = for_release(release)
        for name in declared(release).class_names:
            cls = getattr(module, name)
            names = frozenset(attrs.fields_dict(cls))
            found.setdefault(names, []).append(Candidate(release, name))
    return found


def candidates(keys: Any, kind: Optional[Literal["train", "model"]] = None) -> List[Candidate]:
    """The (release group, class) pairs whose field set is exactly ``keys``, newest group first.

    A full ``model_dump()`` holds every field, so its keys name the classes it can be; every model
    configuration class of a group shares one field set, as do ``TrainConfig`` and
    ``KeypointTrainConfig``. ``kind`` keeps the training or the model configurations only.
    """
    found = _field_sets().get(frozenset(keys), [])
    if kind == "train":
        found = [c for c in found if c.class_name in TRAIN_CLASSES]
    elif kind == "model":
        found = [c for c in found if c.class_name not in TRAIN_CLASSES]
    order = {release: i for i, release in enumerate(DISTINCT)}
    return sorted(found, key=lambda c: -order[c.release])


def train_class_for_model(model_class: str, model: Mapping[str, Any]) -> str:
    """The training configuration class rfdetr pairs with a model class: its task's."""
    if "Keypoint" in model_class or (model_class == "ModelConfig" and model.get("use_grouppose_keypoints") is True):
        return "KeypointTrainConfig"
    if "Seg" in model_class or (model_class == "ModelConfig" and model.get("segmentation_head") is True):
        return "SegmentationTrainConfig"
    return "TrainConfig"
