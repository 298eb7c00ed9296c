"""Safe YAML loading that remembers the line of every field.

Presets are hand-written data. Loading them must never construct Python objects,
must stay linear in the size of the file, and must let every later error point
at a line. So this module composes the node tree itself, refuses aliases and
duplicate keys, and returns the data together with a field-path -> line map.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mlsd.errors import PresetError, Problem
from mlsd.listing import MAX_PRESET_BYTES
from mlsd.repo_files import UnsafePathError, open_regular

# The deepest field of a preset is a handful of levels down; hundreds is an attack on the stack.
MAX_DEPTH = 24

FieldPath = tuple[str | int, ...]


@dataclass
class LoadedYaml:
    """A YAML mapping together with where each field path was written."""

    data: dict[str, Any]
    display_name: str
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, path: FieldPath) -> int | None:
        """Return the line of ``path`` or of its nearest written ancestor."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def format_path(path: FieldPath) -> str:
    """Render ``("a", 2, "b")`` as ``a[2].b``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _fail(
    display_name: str, message: str, line: int | None = None, field_path: str = ""
) -> PresetError:
    return PresetError([Problem(display_name, field_path, message, line)])


# libyaml's loader when present: presets are parsed on every generation.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _AliasRefused(Exception):
    def __init__(self, line: int):
        self.line = line


def load_yaml_file(path: Path, display_name: str | None = None) -> LoadedYaml:
    """Read ``path`` as a YAML mapping; raise :class:`PresetError` on any fault."""
    name = display_name or str(path)
    try:
        with open_regular(path, name) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PRESET_BYTES:
                raise _fail(name, f"file is {size} bytes, over the {MAX_PRESET_BYTES}-byte limit for a preset")
            # Read one byte past the limit: a file growing while read is still caught.
            raw = handle.read(MAX_PRESET_BYTES + 1)
    except UnsafePathError as exc:
        raise _fail(name, str(exc).removeprefix(f"{name}: ")) from None
    except OSError as exc:
        raise _fail(name, f"cannot read file: {exc.strerror or exc}") from None
    return load_yaml_bytes(raw, name)


def load_yaml_bytes(raw: bytes, display_name: str) -> LoadedYaml:
    """Parse YAML bytes into a mapping with line numbers (see module docstring)."""
    if len(raw) > MAX_PRESET_BYTES:
        raise _fail(
            display_name,
            f"file is {len(raw)} bytes, over the {MAX_PRESET_BYTES}-byte limit for a preset",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(display_name, "file is not valid UTF-8; save it as UTF-8", line) from None
    if not text.strip():
        raise _fail(display_name, "file is empty; a preset is a YAML mapping of fields")

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _fail(display_name, "file holds no YAML document")
        walk = _Walk(loader, display_name)
        data = walk.value(node, (), node.start_mark.line + 1)
        if walk.needs_constructor:
            data = loader.construct_document(node)
        lines = walk.lines
    except _AliasRefused as exc:
        raise _fail(
            display_name, "YAML aliases (*name) are not allowed in presets; write the value out", exc.line
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise _fail(display_name, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise _fail(display_name, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise _fail(display_name, f"nested too deeply; a preset needs far fewer than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        raise _fail(
            display_name,
            f"top level must be a mapping of fields, not {type(data).__name__}",
            node.start_mark.line + 1,
        )
    return LoadedYaml(data=data, display_name=display_name, lines=lines)


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Walk:
    """One pass over the composed nodes: record lines, refuse what presets may not hold, build the data.

    Building plain mappings, lists and scalars here, instead of handing the
    checked tree to PyYAML's constructor, halves the cost of loading. A
    container with an explicit tag (``!!set``, ``!!omap``) or a key that is not
    a scalar is rare; the walk marks it and the constructor builds the whole
    document instead, so the data is exactly what ``yaml.safe_load`` returns.
    """

    def __init__(self, loader: Any, display_name: str):
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.display_name = display_name
        self.lines: dict[FieldPath, int] = {}
        self.seen: set[int] = set()
        self.needs_constructor = False

    def value(self, node: yaml.Node, path: FieldPath, parent_line: int) -> Any:
        """The data of ``node``, checked (see :func:`load_yaml_bytes`).

        The composer hands back the very same node object for every alias of an
        anchor, so a node met twice is an alias. Refusing it keeps loading linear
        in the file size (no alias bombs) and keeps every value written where it is read.
        """
        if id(node) in self.seen:
            raise _AliasRefused(parent_line)
        if len(path) > MAX_DEPTH:
            raise _fail(
                self.display_name,
                f"nested more than {MAX_DEPTH} levels deep; a preset needs far fewer",
                node.start_mark.line + 1,
            )
        self.seen.add(id(node))
        line = node.start_mark.line + 1
        self.lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if node.tag != _SEQ_TAG:
            self.needs_constructor = True
        return [self.value(item, path + (index,), line) for index, item in enumerate(node.value)]

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """The value PyYAML's safe constructor gives the scalar (an unknown tag raises its error)."""
        construct = self.constructors.get(node.tag) or self.constructors[None]
        return construct(self.loader, node)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[Any, Any]:
        if node.tag != _MAP_TAG:
            self.needs_constructor = True
        data: dict[Any, Any] = {}
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            scalar_key = isinstance(key_node, yaml.ScalarNode)
            key_text = key_node.value if scalar_key else str(key_node)
            if key_text == "<<":
                raise _fail(self.display_name, "YAML merge keys (<<) are not allowed in presets", key_line)
            if key_text in keys:
                raise _fail(
                    self.display_name,
                    "duplicate key; each field may appear once",
                    key_line,
                    format_path(path + (key_text,)),
                )
            keys.add(key_text)
            if scalar_key:
                key = self._scalar(key_node)
            else:
                key = key_text
                self.needs_constructor = True
            data[key] = self.value(value_node, path + (key_text,), key_line)
            self.lines[path + (key_text,)] = key_line
        return data
