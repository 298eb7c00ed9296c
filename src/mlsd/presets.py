"""Presets: finding, loading, validating and merging them over the blank skeleton.

This is the one implementation used by the Jinja extension (plain cookiecutter),
the generation hooks and the CLI.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlsd.errors import PresetError, Problem, UnknownPresetError
from mlsd.listing import (
    BLANK_ID,
    LISTED_FIELDS,
    PRESET_SUFFIX,
    PresetSummary,
    display_name,
    id_differs,
    in_prompt_order,
    list_presets,
    preset_paths,
    read_summary,
    summary_of,
)
from mlsd.listing import stem as _stem
from mlsd.schema import (
    PRESET,
    SKELETON,
    TODO_MARKER,
    Issue,
    is_not_applicable,
    latency_component_refs,
    validate_shape,
)
from mlsd.yamlfile import LoadedYaml, format_path, load_yaml_file

__all__ = ["BLANK_ID", "LISTED_FIELDS", "PRESET_SUFFIX", "PresetSummary", "display_name", "read_summary"]


def cross_check(data: dict[str, Any], mode: str = PRESET) -> list[Issue]:
    """Rules that span fields: references between them, and the content bar."""
    # Imported here, not at the top, so that listing presets never loads it.
    from mlsd.concepts import CONCEPTS_BY_ID

    issues: list[Issue] = []

    tagged = data.get("concepts") if isinstance(data.get("concepts"), dict) else {}
    for key in ("concepts", "study"):
        concepts = data.get(key)
        if not isinstance(concepts, dict) or mode != PRESET:
            continue
        for concept in concepts:
            if isinstance(concept, str) and concept not in CONCEPTS_BY_ID:
                near = difflib.get_close_matches(concept, list(CONCEPTS_BY_ID), n=1)
                hint = f"did you mean '{near[0]}'?" if near else "see the seed's 25 key concepts"
                issues.append(Issue((key, concept), f"unknown concept '{concept}'; {hint}"))
            elif key == "study" and concept in tagged:
                issues.append(
                    Issue((key, concept), f"'{concept}' is tagged under concepts:; study lists only concepts the design does not use")
                )

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
        for where_below, ref in latency_component_refs(serving["latency_budget"]):
            where = ("scale", "serving", "latency_budget") + where_below
            if ref not in component_paths:
                issues.append(Issue(where, f"'{ref}' is not a component id"))
            elif component_paths[ref] != "online":
                issues.append(Issue(where, f"'{ref}' is not on the online path, so it has no share of the p99"))

    sized = _dig(data, "deployment", "experiment", "sizing", "metrics")
    for index, metric in enumerate(sized if isinstance(sized, list) and mode == PRESET else []):
        if not isinstance(metric, dict):
            continue
        where = ("deployment", "experiment", "sizing", "metrics", index)
        effect = metric.get("effect")
        if isinstance(effect, dict) and len([k for k in ("relative", "absolute") if k in effect]) != 1:
            issues.append(Issue(where + ("effect",), "give exactly one of relative or absolute"))
        if metric.get("kind") == "mean" and "cv" not in metric:
            issues.append(Issue(where + ("cv",), "a mean metric needs its coefficient of variation and its source"))
        if metric.get("test") == "non_inferiority" and metric.get("sides", 1) != 1:
            issues.append(Issue(where + ("sides",), "a non-inferiority test is one-sided: write 1 or leave it out"))

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


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def to_problems(issues: list[Issue], loaded: LoadedYaml) -> list[Problem]:
    return [
        Problem(loaded.display_name, format_path(i.path), i.message, loaded.line_of(i.path))
        for i in issues
    ]


def validate_loaded(loaded: LoadedYaml, expected_id: str | None = None) -> list[Problem]:
    """Every problem in one loaded preset file, each with file, line and field."""
    data = loaded.data
    mode = SKELETON if data.get("id") == BLANK_ID else PRESET
    issues = validate_shape(data, mode) + cross_check(data, mode)
    if expected_id is not None and isinstance(data.get("id"), str) and data["id"] != expected_id:
        issues.insert(0, Issue(("id",), id_differs(data["id"], expected_id)))
    return to_problems(issues, loaded)


def load_valid(path: Path, presets_dir: Path | None = None) -> LoadedYaml:
    """Load one preset file and raise :class:`PresetError` if it breaks the schema."""
    loaded = load_yaml_file(path, display_name(path, presets_dir))
    problems = validate_loaded(loaded, expected_id=_stem(path))
    if problems:
        raise PresetError(problems)
    return loaded


def load_preset_file(path: Path, presets_dir: Path | None = None) -> dict[str, Any]:
    """Load and validate one preset file; raise :class:`PresetError` listing every problem."""
    return load_valid(path, presets_dir).data


def copy_data(value: Any) -> Any:
    """A deep copy of loaded YAML data: mappings and lists copied, scalars shared.

    Several times faster than :func:`copy.deepcopy`, which keeps a memo for
    cycles and shared objects that loaded presets cannot hold (aliases are refused).
    """
    if isinstance(value, dict):
        return {key: copy_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_data(item) for item in value]
    return value


def merge_over(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overlay`` over ``base``; lists and scalars replace, mappings merge."""
    merged = copy_data(base)
    for key, value in overlay.items():
        if (
            isinstance(value, dict)
            and isinstance(merged.get(key), dict)
            and not is_not_applicable(value)
            and not is_not_applicable(merged[key])
        ):
            merged[key] = merge_over(merged[key], value)
        else:
            merged[key] = copy_data(value)
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
        return preset_paths(self.directories)

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
        return in_prompt_order([_summary(path) for path in self.paths().values()])

    def listing(self) -> list[PresetSummary]:
        """What ``mlsd list`` shows: :meth:`summaries`, read without validating each file.

        ``show``, ``new`` and ``validate`` still load and validate the file they use.
        """
        return list_presets(self.directories)

    def _blank_path(self) -> Path:
        return self.builtin_dir / f"{BLANK_ID}{PRESET_SUFFIX}"

    def _dir_of(self, preset_id: str) -> Path:
        return self.path_of(preset_id).parent


# Loaded presets are kept per process, keyed by the file's stamp as well, so a
# long-lived process (a notebook, a test run) sees a file edited under it.
def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _summary(path: Path) -> PresetSummary:
    return _summary_stamped(path, _stamp(path))


@lru_cache(maxsize=256)
def _summary_stamped(path: Path, stamp: object) -> PresetSummary:
    return summary_of(_load_cached(path, path.parent), path)


def _load_cached(path: Path, presets_dir: Path) -> dict[str, Any]:
    return _load_stamped(path, presets_dir, _stamp(path))


@lru_cache(maxsize=256)
def _load_stamped(path: Path, presets_dir: Path, stamp: object) -> dict[str, Any]:
    return load_preset_file(path, presets_dir)


def _load_merged(path: Path, blank_path: Path, presets_dir: Path) -> dict[str, Any]:
    return _merged_stamped(path, blank_path, presets_dir, _stamp(path), _stamp(blank_path))


@lru_cache(maxsize=256)
def _merged_stamped(path: Path, blank_path: Path, presets_dir: Path, stamp: object, blank_stamp: object) -> dict[str, Any]:
    preset = _load_cached(path, presets_dir)
    if path == blank_path:
        return copy_data(preset)
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
