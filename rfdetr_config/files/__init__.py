"""Configuration files: JSON, TOML and YAML, one contract for the API, the command line and the schema.

A file holds one mapping: the *header*, which says what the file is (today the one key ``config_class``,
naming the class), then the fields, as :func:`~rfdetr_config.unstructure` writes them. :func:`dump`
writes the header; :func:`load` reads it, uses it to choose the class when the caller names none, and
checks it agrees when the caller does; :func:`~rfdetr_config.json_schema` allows it. Every header key is
listed in :data:`HEADER`, and :func:`header_of` says what :func:`dump` writes under each, so a new one is
declared once for all of them.

The content of a file is JSON data whatever its format. TOML and YAML can also write dates, times,
sets and binary data; those become what rfdetr's ``model_dump(mode="json")`` writes for the same value
(see :func:`~rfdetr_config.files.json_form.json_form`) as the file is read, and so does anything a
config holds when it is written. A file therefore reads back to what it says, in any format, and a
config loaded from a file writes back the same file.

Every error these functions raise for a file is a :class:`~rfdetr_config.ConfigError` titled by the file
(a ``FileError``): the file is named once, and each problem where the parser found it, by line and column.

Reading is bounded, so that no file can exhaust the stack or the memory: at most :data:`MAX_BYTES`
bytes, :data:`MAX_DEPTH` nested containers, and :data:`MAX_VALUES` values once YAML aliases are
expanded. Text is UTF-8, with or without a byte order mark, in every format. A key given twice is an
error in every format. YAML is read with the safe loader (PyYAML's C one where it is built): tags that
would build Python objects are refused.

JSON and TOML reading use the standard library (``tomli`` on Python 3.10); TOML writing needs the
``toml`` extra (``tomli-w``) and YAML the ``yaml`` extra (PyYAML). TOML has no null, so a TOML file
written by :func:`dump` lists the fields whose value is ``None`` under the key ``null_fields``, and
:func:`load` reads them back; no field has that name.

The package is laid out by step: :mod:`.header` (what a file is), :mod:`.limits` and
:mod:`.json_form` (what a file may hold), :mod:`.formats` (one module per format), :mod:`.reading` and
:mod:`.writing`.
"""

from .formats import FORMATS, WRITERS, Format, PathLike, check_format, format_of
from .formats.toml import NULL_FIELDS_KEY
from .header import CLASS_KEY, HEADER, RELEASE_KEY, class_for, header_of, release_classes, release_of, split_header
from .json_form import json_form
from .limits import MAX_BYTES, MAX_DEPTH, MAX_VALUES
from .reading import decode, from_data, load, loads, parse, read
from .writing import document, dump, dumps

__all__ = [
    "CLASS_KEY",
    "FORMATS",
    "HEADER",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "NULL_FIELDS_KEY",
    "RELEASE_KEY",
    "WRITERS",
    "Format",
    "PathLike",
    "check_format",
    "class_for",
    "decode",
    "document",
    "dump",
    "dumps",
    "format_of",
    "from_data",
    "header_of",
    "json_form",
    "load",
    "loads",
    "parse",
    "read",
    "release_classes",
    "release_of",
    "split_header",
]
