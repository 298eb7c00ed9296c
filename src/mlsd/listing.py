"""Listing presets: the few fields ``mlsd list`` shows, read from the head of each file.

Loading and validating a whole preset takes milliseconds, too long for each of
a thousand files, and importing the YAML parser alone costs a quarter of the
command's start-up. So a listing reads the head of each file and takes the
listed fields from a cache (:mod:`mlsd.user_cache`) when that head was read before;
otherwise it parses YAML events only until the listed fields are found. Anything
that quick read cannot vouch for goes to the full loader, which raises
:class:`PresetError` naming the file and line. The file's schema is not checked
here: the commands that use a preset load and validate it.

This module imports neither the YAML parser nor the schema until a head needs parsing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlsd.categories import CATEGORIES
from mlsd.errors import MlsdError, PresetError, Problem
from mlsd.identifiers import is_identifier
from mlsd.repo_files import open_regular

BLANK_ID = "blank"
PRESET_SUFFIX = ".yaml"
# The fields a listing shows: top-level scalars written at the head of a preset.
LISTED_FIELDS = ("id", "title", "category", "summary", "system_name")
# The listed fields open every preset, so this much of a file usually holds them.
HEAD_BYTES = 4096
# A preset is a few hundred lines; anything far larger is a mistake or an attack.
MAX_PRESET_BYTES = 256 * 1024


@dataclass(frozen=True)
class PresetSummary:
    """What listing a preset needs."""

    id: str
    title: str
    category: str
    summary: str
    system_name: str
    path: Path

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


def display_name(path: Path, presets_dir: Path | None = None) -> str:
    """Name a preset file the way messages show it: ``presets/<id>.yaml`` when built in."""
    if presets_dir is not None and path.parent == presets_dir:
        return f"{presets_dir.name}/{path.name}"
    return str(path)


def stem(path: Path) -> str:
    """The preset id a file name promises."""
    return path.name[: -len(PRESET_SUFFIX)]


def id_differs(found: object, expected: str) -> str:
    return f"'{found}' differs from the file name; rename one so both say '{expected}'"


def preset_paths(directories: Sequence[Path]) -> dict[str, Path]:
    """Preset id -> file over ``directories`` in order; an id defined in two directories is an error."""
    found: dict[str, Path] = {}
    for directory in directories:
        if not directory.is_dir():
            raise PresetError([Problem(str(directory), "", "presets directory not found")])
        for name in _preset_names(directory):
            path = directory / name
            preset_id = stem(path)
            if preset_id in found:
                raise PresetError(
                    [Problem(str(path), "id", f"duplicate id '{preset_id}': {found[preset_id]} already defines it; rename one", _id_line(path))]
                )
            found[preset_id] = path
    return found


def _preset_names(directory: Path) -> list[str]:
    """Sorted names matching ``*.yaml`` in ``directory``, as ``Path.glob`` finds them.

    A generation asks for the presets several times; a plain listing of the
    directory is several times cheaper than a glob that builds a path object per entry.
    """
    import fnmatch

    pattern = f"*{PRESET_SUFFIX}"
    return sorted((name for name in os.listdir(directory) if fnmatch.fnmatch(name, pattern)), key=os.path.normcase)


def _id_line(path: Path) -> int | None:
    """The line of the top-level ``id:`` field, read without parsing the whole file."""
    try:
        with open_regular(path) as handle:
            return next((n for n, line in enumerate(handle, start=1) if line.startswith(b"id:")), None)
    except (OSError, MlsdError):
        return None


def in_prompt_order(rows: list[PresetSummary]) -> list[PresetSummary]:
    """Blank first, then by category in :data:`CATEGORIES` order, each in file order."""
    order = {category: rank for rank, category in enumerate(CATEGORIES)}
    return sorted(rows, key=lambda s: (order.get(s.category, len(order)), s.id != BLANK_ID))


# The cache file of listed fields by the absolute path of each preset file.
HEADS_CACHE = "preset-heads.json"
# Entries for other directories are kept too, up to this many in all.
MAX_CACHED_HEADS = 5000


@dataclass(frozen=True)
class CachedHead:
    """The text a listing parsed, whether it was the whole file, and the listed fields found in it."""

    whole: bool
    text: str
    fields: tuple[str, ...]


def list_presets(directories: Sequence[Path]) -> list[PresetSummary]:
    """The summary of every preset in ``directories``, in prompt order, heads cached between runs.

    A cached entry is used only when the file still starts with the very text
    it was read from, so an edited preset is always read again.
    """
    from mlsd import user_cache

    version = f"{user_cache.code_version()} {','.join(LISTED_FIELDS)}"
    cached = _cached_heads(user_cache.read(HEADS_CACHE, version))
    used: dict[str, CachedHead] = {}
    rows = []
    for path in preset_paths(directories).values():
        key = os.path.abspath(path)
        start = _start_of(path)
        entry = cached.get(key)
        if entry is not None and start is not None and _matches(entry, start, path):
            rows.append(PresetSummary(*entry.fields, path=path))
            used[key] = entry
            continue
        summary, fields_from = read_summary_from(path, display_name(path, directories[0]), start)
        rows.append(summary)
        if start is not None and fields_from is not None:
            used[key] = CachedHead(start[1], fields_from, tuple(getattr(summary, f) for f in LISTED_FIELDS))
    if any(cached.get(key) != entry for key, entry in used.items()):
        listed = {os.path.abspath(d) for d in directories}
        kept = [(k, e) for k, e in cached.items() if k not in used and os.path.dirname(k) not in listed]
        entries = (kept + list(used.items()))[-MAX_CACHED_HEADS:]
        data = {k: [e.whole, e.text, list(e.fields)] for k, e in entries}
        user_cache.write(HEADS_CACHE, version, data, keep_out=directories)
    return in_prompt_order(rows)


def _cached_heads(data: Any) -> dict[str, CachedHead]:
    """The entries of the cache file; none at all if any of them is not what this module writes."""
    if not isinstance(data, dict):
        return {}
    entries = {}
    for key, value in data.items():
        if not (isinstance(value, list) and len(value) == 3):
            return {}
        whole, text, fields = value
        if not (
            isinstance(whole, bool)
            and isinstance(text, str)
            and isinstance(fields, list)
            and len(fields) == len(LISTED_FIELDS)
            and all(isinstance(f, str) for f in fields)
        ):
            return {}
        entries[key] = CachedHead(whole, text, tuple(fields))
    return entries


def _matches(entry: CachedHead, start: tuple[bytes, bool], path: Path) -> bool:
    """The entry was read from exactly these bytes, and names the preset its file name promises."""
    raw, whole = start
    if entry.whole != whole or entry.fields[0] != stem(path):
        return False
    try:
        return entry.text == raw.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _start_of(path: Path) -> tuple[bytes, bool] | None:
    """What the quick read parses first: the whole lines of the head, or the whole file when shorter."""
    try:
        # Regular files only, opened without blocking: a FIFO named like a preset never hangs a listing.
        with open_regular(path) as handle:
            head = handle.read(HEAD_BYTES)
    except (OSError, MlsdError):
        return None  # the full loader says what is wrong with the file
    if len(head) == HEAD_BYTES:
        # Whole lines only, so the cut never falls inside a word or a character.
        return head[: head.rfind(b"\n") + 1], False
    return head, True


def read_summary(path: Path, name: str | None = None) -> PresetSummary:
    """The listed fields of one preset file, read without validating the file.

    Raises :class:`PresetError` naming the file and line when the file cannot be
    read as a preset, and when its id differs from the file name, since no
    command could use it.
    """
    return read_summary_from(path, name or str(path), _start_of(path))[0]


def read_summary_from(path: Path, name: str, start: tuple[bytes, bool] | None) -> tuple[PresetSummary, str | None]:
    """The summary, and the text of ``start`` when the fields came from it alone (so it may be cached)."""
    fields, fields_from = _quick_read(path, start)
    if fields is None:
        from mlsd.yamlfile import load_yaml_file

        fields = load_yaml_file(path, name).data
    expected = stem(path)
    if not is_identifier(expected):
        # The quick read skips validation, so a look-alike id (Cyrillic letters
        # in a Latin word) is refused here, before a listing could show it.
        raise PresetError([Problem(name, "id", f"'{expected}' is not a valid id: use lower-case ASCII letters, digits and underscores, starting with a letter; rename the file", _id_line(path))])
    if "id" in fields and str(fields["id"]) != expected:
        from mlsd.yamlfile import load_yaml_file

        line = load_yaml_file(path, name).line_of(("id",))
        raise PresetError([Problem(name, "id", id_differs(fields["id"], expected), line)])
    return summary_of(fields, path), fields_from


def summary_of(data: dict[str, Any], path: Path) -> PresetSummary:
    return PresetSummary(
        id=str(data.get("id", path.stem)),
        title=str(data.get("title", "")),
        category=str(data.get("category", "")),
        summary=str(data.get("summary", "")),
        system_name=str(data.get("system_name", "")),
        path=path,
    )


def _quick_read(path: Path, start: tuple[bytes, bool] | None) -> tuple[dict[str, Any] | None, str | None]:
    """The listed fields as the full loader would construct them, or None to let it decide."""
    if start is None:
        return None, None
    raw, whole = start
    fields = _parse_fields(raw, whole_file=whole)
    if fields is not None or whole:
        return fields, None if fields is None else raw.decode("utf-8")
    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_PRESET_BYTES + 1)
    except (OSError, MlsdError):
        return None, None
    if len(raw) > MAX_PRESET_BYTES:
        return None, None
    return _parse_fields(raw, whole_file=True), None


def _parse_fields(raw: bytes, whole_file: bool) -> dict[str, Any] | None:
    import yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # libyaml's parser when present, as in mlsd.yamlfile.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    fields: dict[str, Any] = {}
    keys: set[str] = set()
    try:
        loader.get_event()  # the stream start
        if not loader.check_event(yaml.DocumentStartEvent):
            return None
        loader.get_event()
        if not loader.check_event(yaml.MappingStartEvent):
            return None
        loader.get_event()
        while len(fields) < len(LISTED_FIELDS):
            key = loader.get_event()
            if isinstance(key, yaml.MappingEndEvent):
                break
            # The full loader refuses duplicate and merge keys; odd keys are its call too.
            if not isinstance(key, yaml.ScalarEvent) or key.tag not in (None, "!") or key.value in keys or key.value == "<<":
                return None
            keys.add(key.value)
            value = loader.get_event()
            if key.value in LISTED_FIELDS:
                if not isinstance(value, yaml.ScalarEvent):
                    return None
                fields[key.value] = _construct_scalar(loader, value)
            elif isinstance(value, yaml.AliasEvent):
                return None
            elif isinstance(value, yaml.CollectionStartEvent) and not _skip_collection(loader):
                return None
        if not whole_file:
            # From the start of a file, the last value read is whole only if the
            # parser moves on to a next key within the lines read: a value that
            # carries on past the cut ends at the cut, with the mapping.
            if len(fields) < len(LISTED_FIELDS) or loader.get_event().start_mark.line >= text.count("\n"):
                return None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return fields


def _construct_scalar(loader: Any, event: Any) -> Any:
    """Resolve and construct a scalar exactly as composing the whole document would."""
    import yaml

    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return loader.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))


def _skip_collection(loader: Any) -> bool:
    """Read past a nested mapping or sequence; False at an alias, which the full loader refuses."""
    import yaml

    depth = 1
    while depth:
        event = loader.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            return False
    return True
