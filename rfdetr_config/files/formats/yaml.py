"""YAML: PyYAML's safe loader (the C one where it is built), a key given twice refused; needs the ``yaml`` extra."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Dict

from ..limits import digit_limit
from .syntax import LONG_INTEGER, missing_extra, syntax

if TYPE_CHECKING:
    import yaml

__all__ = ["parse_yaml", "yaml_text"]


def parse_yaml(text: str, source: str) -> Any:
    """The data of a YAML text, read with the safe loader."""
    try:
        import yaml
    except ImportError:
        raise missing_extra(source, "reading YAML", "PyYAML", "yaml") from None
    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except yaml.reader.ReaderError as error:
        character = chr(error.character) if isinstance(error.character, int) else error.character  # C loader: int
        message = f"the character {character!r} is not allowed"
        raise syntax(source, "YAML", message, text, error.position) from None
    except yaml.MarkedYAMLError as error:
        message = _yaml_message(error)
        mark = error.problem_mark or error.context_mark
        if mark is None:
            raise syntax(source, "YAML", message, text) from None
        raise syntax(source, "YAML", message, text, line=mark.line + 1, column=mark.column + 1) from None
    except yaml.YAMLError as error:  # pragma: no cover - every error PyYAML raises has a mark or a position
        raise syntax(source, "YAML", str(error), text) from None


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or ""
    tag = re.match(r"could not determine a constructor for the tag '([^']*)'", problem)
    if tag is not None:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return f"the tag {name} is not allowed: only YAML's standard tags are read"
    if error.context and error.context not in problem:
        return f"{problem} ({error.context})"
    return problem


@functools.cache
def _yaml_loader() -> type:
    """PyYAML's safe loader (the C one where it is built), refusing a key given twice in one mapping."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class Loader(base):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: Dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    problem = f"duplicate key {key!r} (first given on line {first})"
                    raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
                seen[key] = key_node
            return super().construct_mapping(node, deep)

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as error:  # a scalar its constructor cannot make: 2024-02-30
                message = LONG_INTEGER if "integer string conversion" in str(error) else str(error)
                problem = message.format(limit=digit_limit())
                raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return Loader


def yaml_text(data: Dict[str, Any]) -> str:
    """YAML text in block style, keys in the order given."""
    try:
        import yaml
    except ImportError:
        raise missing_extra("YAML text", "writing YAML", "PyYAML", "yaml") from None

    class Dumper(yaml.SafeDumper):
        """Double-quotes the strings that plain YAML would bend (line separators, unprintables)."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        bendable = not value.isprintable() or any(c in value for c in "\x85\u2028\u2029")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if bendable else None)

    Dumper.add_representer(str, text)
    return str(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True))
