"""Presets: finding, loading, validating and merging them over the blank skeleton.

This is the one implementation used by the Jinja extension (plain cookiecutter),
the generation hooks and the CLI.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from mlsd.errors import MlsdError, PresetError, Problem, UnknownPresetError
from mlsd.repo_files import open_regular
from mlsd.schema import (
    CATEGORIES,
    PRESET,
    SKELETON,
    TODO_MARKER,
    Issue,
    is_identifier,
    is_not_applicable,
    validate_shape,
)
from mlsd.yamlfile import MAX_PRESET_BYTES, LoadedYaml, format_path, load_yaml_file

BLANK_ID = "blank"
PRESET_SUFFIX = ".yaml"


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


def cross_check(data: dict[str, Any], mode: str = PRESET) -> list[Issue]:
    """Rules that span fields: references between them, and the content bar."""
    # Imported here, not at the top, so that listing presets never loads it.
    from mlsd.concepts import CONCEPTS_BY_ID

    issues: list[Issue] = []

    concepts = data.get("concepts")
    if isinstance(concepts, dict) and mode == PRESET:
        for concept in concepts:
            if isinstance(concept, str) and concept not in CONCEPTS_BY_ID:
                near = difflib.get_close_matches(concept, list(CONCEPTS_BY_ID), n=1)
                hint = f"did you mean '{near[0]}'?" if near else "see the seed's 25 key concepts"
                issues.append(Issue(("concepts", concept), f"unknown concept '{concept}'; {hint}"))

    architecture = data.get("architecture")
    component_paths: dict[str, str] = {}
    if isinstance(architecture, dict) and isinstance(architecture.get("components"), list):
        for index, component in enumerate(architecture["components"]):
            if not isinstance(component, dict) or not isinstance(component.get("id"), str):
                continue
            if component["id"] in component_paths:
                issues.append(
                    Issue(("architecture", "components", index, "id"), f"'{component['id']}' is used twice")
                )
            component_paths[component["id"]] = str(component.get("path"))
        flows = architecture.get("data_flow")
        if isinstance(flows, list) and mode == PRESET:
            for index, flow in enumerate(flows):
                if not isinstance(flow, dict):
                    continue
                for end in ("from", "to"):
                    ref = flow.get(end)
                    if isinstance(ref, str) and ref not in component_paths:
                        issues.append(
                            Issue(
                                ("architecture", "data_flow", index, end),
                                f"'{ref}' is not a component id ({', '.join(component_paths)})",
                            )
                        )

    serving = _dig(data, "scale", "serving")
    if isinstance(serving, dict) and isinstance(serving.get("latency_budget"), list) and mode == PRESET:
        for index, share in enumerate(serving["latency_budget"]):
            ref = share.get("component") if isinstance(share, dict) else None
            if not isinstance(ref, str):
                continue
            where = ("scale", "serving", "latency_budget", index, "component")
            if ref not in component_paths:
                issues.append(Issue(where, f"'{ref}' is not a component id"))
            elif component_paths[ref] != "online":
                issues.append(Issue(where, f"'{ref}' is not on the online path, so it has no share of the p99"))

    decisions = data.get("decisions")
    if isinstance(decisions, list):
        for index, decision in enumerate(decisions):
            if not isinstance(decision, dict):
                continue
            options, chosen = decision.get("options"), decision.get("chosen")
            if isinstance(options, list) and isinstance(chosen, str) and chosen not in options and mode == PRESET:
                issues.append(
                    Issue(("decisions", index, "chosen"), "must repeat one of the options word for word")
                )

    if mode == PRESET:
        issues.extend(_content_bar(data))
        issues.extend(_todo_markers(data, ()))
        issues.extend(_interview_rules(data))
    return issues


def _interview_rules(data: dict[str, Any]) -> list[Issue]:
    """What the interview block's schema cannot say alone: references into the preset and coverage."""
    from mlsd.schema import INTERVIEW_STEPS, MAX_PROBES

    interview = data.get("interview")
    if not isinstance(interview, dict):
        return []
    issues: list[Issue] = []
    weights = _dig(interview, "signal", "weights")
    if isinstance(weights, dict):
        for step in weights:
            if step not in INTERVIEW_STEPS:
                issues.append(Issue(("interview", "signal", "weights", str(step)), f"not a step; one of: {', '.join(INTERVIEW_STEPS)}"))
    probes = interview.get("probes")
    if isinstance(probes, list):
        if len(probes) > MAX_PROBES:
            issues.append(Issue(("interview", "probes"), f"at most {MAX_PROBES} probes, has {len(probes)}"))
        steps = {p.get("step") for p in probes if isinstance(p, dict)}
        missing = [step for step in INTERVIEW_STEPS if step not in steps]
        if missing:
            issues.append(Issue(("interview", "probes"), f"every step needs a probe to end on; none for: {', '.join(missing)}"))
    questions = data.get("clarifying_questions")
    clarifying = interview.get("clarifying")
    if isinstance(clarifying, list) and isinstance(questions, list):
        seen: set[int] = set()
        for index, entry in enumerate(clarifying):
            number = entry.get("question") if isinstance(entry, dict) else None
            if not isinstance(number, int) or isinstance(number, bool):
                continue
            where = ("interview", "clarifying", index, "question")
            if not 1 <= number <= len(questions):
                issues.append(Issue(where, f"must name one of the {len(questions)} clarifying questions (1 to {len(questions)})"))
            elif number in seen:
                issues.append(Issue(where, f"question {number} is listed twice"))
            seen.add(number)
    points = interview.get("key_points")
    if isinstance(points, list):
        sections = {p.get("section") for p in points if isinstance(p, dict)}
        missing_sections = [str(n) for n in range(1, 8) if n not in sections]
        if missing_sections:
            issues.append(Issue(("interview", "key_points"), f"every section needs a key point; none for section {', '.join(missing_sections)}"))
    return issues


def _todo_markers(value: Any, path: tuple) -> list[Issue]:
    """A finished preset carries no TODO markers; only the blank skeleton does."""
    if isinstance(value, str):
        return [Issue(path, "still holds a TODO marker")] if TODO_MARKER in value else []
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in _todo_markers(v, path + (k,))]
    if isinstance(value, list):
        return [i for n, v in enumerate(value) for i in _todo_markers(v, path + (n,))]
    return []


def _content_bar(data: dict[str, Any]) -> list[Issue]:
    """The parts of the presets.md bar that a field-by-field schema cannot say."""
    issues: list[Issue] = []
    risks = data.get("risks")
    if isinstance(risks, list):
        kinds = {r.get("kind") for r in risks if isinstance(r, dict)}
        missing = [
            label
            for label, wanted in (
                ("technical", {"technical", "operational"}),
                ("business", {"business", "legal"}),
                ("privacy or safety", {"privacy", "safety"}),
                ("fairness", {"fairness"}),
            )
            if not kinds & wanted
        ]
        if missing:
            issues.append(Issue(("risks",), f"must span technical, business, privacy or safety, and fairness; missing: {', '.join(missing)}"))
    features = _dig(data, "model", "features")
    if isinstance(features, list):
        groups = {f.get("group") for f in features if isinstance(f, dict)}
        if len(groups) < 3:
            issues.append(Issue(("model", "features"), f"group features by at least 3 kinds; found {len(groups)}"))
    components = _dig(data, "architecture", "components")
    if isinstance(components, list):
        paths = {c.get("path") for c in components if isinstance(c, dict)}
        if "online" not in paths or not paths & {"offline", "streaming"}:
            issues.append(Issue(("architecture", "components"), "needs both online and offline (or streaming) components"))
    return issues


def _id_line(path: Path) -> int | None:
    """The line of the top-level ``id:`` field, read without parsing the whole file."""
    try:
        with open_regular(path) as handle:
            return next((n for n, line in enumerate(handle, start=1) if line.startswith(b"id:")), None)
    except (OSError, MlsdError):
        return None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _to_problems(issues: list[Issue], loaded: LoadedYaml) -> list[Problem]:
    return [
        Problem(loaded.display_name, format_path(i.path), i.message, loaded.line_of(i.path))
        for i in issues
    ]


def _id_differs(found: object, expected: str) -> str:
    return f"'{found}' differs from the file name; rename one so both say '{expected}'"


def _stem(path: Path) -> str:
    """The preset id a file name promises."""
    return path.name[: -len(PRESET_SUFFIX)]


def validate_loaded(loaded: LoadedYaml, expected_id: str | None = None) -> list[Problem]:
    """Every problem in one loaded preset file, each with file, line and field."""
    data = loaded.data
    mode = SKELETON if data.get("id") == BLANK_ID else PRESET
    issues = validate_shape(data, mode) + cross_check(data, mode)
    if expected_id is not None and isinstance(data.get("id"), str) and data["id"] != expected_id:
        issues.insert(0, Issue(("id",), _id_differs(data["id"], expected_id)))
    return _to_problems(issues, loaded)


def consistency_warnings(data: dict[str, Any], loaded: LoadedYaml | None = None) -> list[Problem]:
    """Where a preset's numbers disagree with its own targets.

    These are warnings, not errors: generation goes ahead and says so, while the
    test suite holds every built-in preset to zero of them.
    """
    if data.get("id") == BLANK_ID:
        return []
    # Imported here, not at the top, so that listing presets never loads it.
    from mlsd.capacity import consistency_issues

    issues = consistency_issues(data)
    if loaded is None:
        return [Problem(str(data.get("id", "preset")), format_path(i.path), i.message) for i in issues]
    return _to_problems(issues, loaded)


def _load_valid(path: Path, presets_dir: Path | None) -> LoadedYaml:
    loaded = load_yaml_file(path, display_name(path, presets_dir))
    problems = validate_loaded(loaded, expected_id=_stem(path))
    if problems:
        raise PresetError(problems)
    return loaded


def check_preset_file(path: Path, presets_dir: Path | None = None) -> list[Problem]:
    """Validate one file: raise :class:`PresetError` on errors, return the warnings."""
    loaded = _load_valid(path, presets_dir)
    return consistency_warnings(loaded.data, loaded)


def load_preset_file(path: Path, presets_dir: Path | None = None) -> dict[str, Any]:
    """Load and validate one preset file; raise :class:`PresetError` listing every problem."""
    return _load_valid(path, presets_dir).data


def merge_over(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overlay`` over ``base``; lists and scalars replace, mappings merge."""
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if (
            isinstance(value, dict)
            and isinstance(merged.get(key), dict)
            and not is_not_applicable(value)
            and not is_not_applicable(merged[key])
        ):
            merged[key] = merge_over(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


class PresetCatalogue:
    """The presets in one or more directories, the built-in one first."""

    def __init__(self, directories: list[Path]):
        self.directories = [Path(d) for d in directories]

    @property
    def builtin_dir(self) -> Path:
        return self.directories[0]

    def paths(self) -> dict[str, Path]:
        """Preset id -> file; an id defined in two directories is an error."""
        found: dict[str, Path] = {}
        for directory in self.directories:
            if not directory.is_dir():
                raise PresetError([Problem(str(directory), "", "presets directory not found")])
            for path in sorted(directory.glob(f"*{PRESET_SUFFIX}")):
                preset_id = _stem(path)
                if preset_id in found:
                    raise PresetError(
                        [Problem(str(path), "id", f"duplicate id '{preset_id}': {found[preset_id]} already defines it; rename one", _id_line(path))]
                    )
                found[preset_id] = path
        return found

    def ids(self) -> list[str]:
        """Every id: the blank first, then by category and title order of the files."""
        return [s.id for s in self.summaries()]

    def near_ids(self, wanted: str, limit: int = 3) -> list[str]:
        ids = list(self.paths())
        near = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.5)
        near += [i for i in ids if wanted and wanted.lower() in i and i not in near]
        return near[:limit]

    def path_of(self, preset_id: str) -> Path:
        paths = self.paths()
        if preset_id not in paths:
            raise UnknownPresetError(preset_id, self.near_ids(preset_id))
        return paths[preset_id]

    def load(self, preset_id: str) -> dict[str, Any]:
        """The validated preset ``preset_id`` merged over the blank skeleton."""
        return _load_merged(self.path_of(preset_id), self._blank_path(), self._dir_of(preset_id))

    def summaries(self) -> list[PresetSummary]:
        """A summary of every preset, in prompt order: blank, then by category."""
        return _in_prompt_order([_summary(path) for path in self.paths().values()])

    def listing(self) -> list[PresetSummary]:
        """What ``mlsd list`` shows: :meth:`summaries`, read without validating each file.

        ``show``, ``new`` and ``validate`` still load and validate the file they use.
        """
        return _in_prompt_order([read_summary(path, display_name(path, self.builtin_dir)) for path in self.paths().values()])

    def _blank_path(self) -> Path:
        return self.builtin_dir / f"{BLANK_ID}{PRESET_SUFFIX}"

    def _dir_of(self, preset_id: str) -> Path:
        return self.path_of(preset_id).parent


def _in_prompt_order(rows: list[PresetSummary]) -> list[PresetSummary]:
    order = {category: rank for rank, category in enumerate(CATEGORIES)}
    return sorted(rows, key=lambda s: (order.get(s.category, len(order)), s.id != BLANK_ID))


@lru_cache(maxsize=256)
def _summary(path: Path) -> PresetSummary:
    return _summary_of(_load_cached(path, path.parent), path)


def _summary_of(data: dict[str, Any], path: Path) -> PresetSummary:
    return PresetSummary(
        id=str(data.get("id", path.stem)),
        title=str(data.get("title", "")),
        category=str(data.get("category", "")),
        summary=str(data.get("summary", "")),
        system_name=str(data.get("system_name", "")),
        path=path,
    )


# The fields a listing shows: top-level scalars written at the head of a preset.
LISTED_FIELDS = ("id", "title", "category", "summary", "system_name")
# The listed fields open every preset, so this much of a file usually holds them.
_HEAD_BYTES = 4096
# libyaml's parser when present, as in mlsd.yamlfile.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_summary(path: Path, name: str | None = None) -> PresetSummary:
    """The listed fields of one preset file, read without validating the file.

    Loading and validating a whole preset takes milliseconds, too long for each
    of a thousand files in a listing, so this reads the head of the file and
    parses only until the listed fields are found. Anything that quick read
    cannot vouch for goes to the full loader, which raises :class:`PresetError`
    naming the file and line; so does an id that differs from the file name,
    since no command could use it.
    """
    name = name or str(path)
    fields = _read_head(path)
    if fields is None:
        fields = load_yaml_file(path, name).data
    expected = _stem(path)
    if not is_identifier(expected):
        # The quick read skips validation, so a look-alike id (Cyrillic letters
        # in a Latin word) is refused here, before a listing could show it.
        line = _id_line(path)
        raise PresetError([Problem(name, "id", f"'{expected}' is not a valid id: use lower-case ASCII letters, digits and underscores, starting with a letter; rename the file", line)])
    if "id" in fields and str(fields["id"]) != expected:
        line = load_yaml_file(path, name).line_of(("id",))
        raise PresetError([Problem(name, "id", _id_differs(fields["id"], expected), line)])
    return _summary_of(fields, path)


def _read_head(path: Path) -> dict[str, Any] | None:
    """The listed fields as the full loader would construct them, or None to let it decide."""
    try:
        with open_regular(path) as handle:
            head = handle.read(_HEAD_BYTES)
            if len(head) == _HEAD_BYTES:
                # Whole lines only, so the cut never falls inside a word or a character.
                fields = _parse_fields(head[: head.rfind(b"\n") + 1], whole_file=False)
                if fields is not None:
                    return fields
            raw = head + handle.read(MAX_PRESET_BYTES + 1 - len(head))
    except (OSError, MlsdError):
        return None  # the full loader says what is wrong with the file
    if len(raw) > MAX_PRESET_BYTES:
        return None
    return _parse_fields(raw, whole_file=True)


def _parse_fields(raw: bytes, whole_file: bool) -> dict[str, Any] | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    loader = _Loader(text)
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


def _construct_scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    """Resolve and construct a scalar exactly as composing the whole document would."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return loader.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style))


def _skip_collection(loader: Any) -> bool:
    """Read past a nested mapping or sequence; False at an alias, which the full loader refuses."""
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


@lru_cache(maxsize=256)
def _load_cached(path: Path, presets_dir: Path) -> dict[str, Any]:
    return load_preset_file(path, presets_dir)


@lru_cache(maxsize=256)
def _load_merged(path: Path, blank_path: Path, presets_dir: Path) -> dict[str, Any]:
    preset = _load_cached(path, presets_dir)
    if path == blank_path:
        return copy.deepcopy(preset)
    return merge_over(_load_cached(blank_path, blank_path.parent), preset)


def load_blank(presets_dir: Path) -> dict[str, Any]:
    """The blank skeleton of the built-in presets directory."""
    return _load_cached(presets_dir / f"{BLANK_ID}{PRESET_SUFFIX}", presets_dir)


def resolve_preset(
    catalogue: PresetCatalogue,
    preset_id: str,
    *,
    preset_file: str | Path | None = None,
    overrides: dict[str, str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The preset to render: by id, or from a file, with ``--set`` overrides applied.

    Returns the preset's id and its data merged over the blank skeleton.
    """
    if preset_file:
        path = Path(preset_file)
        data = load_preset_file(path)
        merged = merge_over(load_blank(catalogue.builtin_dir), data) if data.get("id") != BLANK_ID else data
        resolved_id = str(data["id"])
        source = str(path)
    else:
        merged = catalogue.load(preset_id)
        resolved_id = preset_id
        source = display_name(catalogue.path_of(preset_id), catalogue.builtin_dir)
    if overrides:
        from mlsd.overrides import apply_overrides

        merged = apply_overrides(merged, overrides)
        mode = SKELETON if resolved_id == BLANK_ID else PRESET
        issues = validate_shape(merged, mode) + cross_check(merged, mode)
        if issues:
            raise PresetError(
                [Problem(f"{source} with --set", format_path(i.path), i.message) for i in issues]
            )
    return resolved_id, merged
