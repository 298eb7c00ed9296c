"""Checks above preset loading: each workload against its kind, the fit checks, and concept tags.

Loading a preset (:mod:`mlsd.presets`) knows nothing of figures; validation
and generation call this module, which sits above both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlsd.concept_usage import untagged_concept_issues
from mlsd.provenance import provenance_issues
from mlsd.errors import PresetError, Problem
from mlsd.figures import compute as compute_figures
from mlsd.figures import workload_issues
from mlsd.figures.fit import fit_issues
from mlsd.presets import BLANK_ID, load_valid, to_problems
from mlsd.references import reference_issues, sizing_reference_issues
from mlsd.yamlfile import LoadedYaml, format_path


def _problems(issues: list, data: dict[str, Any], loaded: LoadedYaml | None) -> list[Problem]:
    if loaded is None:
        return [Problem(str(data.get("id", "preset")), format_path(i.path), i.message) for i in issues]
    return to_problems(issues, loaded)


def workload_errors(data: dict[str, Any], loaded: LoadedYaml | None = None) -> list[Problem]:
    """Workloads that break their kind's rules (unknown kinds or inputs, missing inputs),
    and prose that refers to a figure no workload has."""
    issues = workload_issues(data)
    if not issues:
        figures = compute_figures(data)
        issues = sizing_reference_issues(data, {name: figures[name].value for name in figures}) or reference_issues(data)
    return _problems(issues, data, loaded)


def preset_warnings(data: dict[str, Any], loaded: LoadedYaml | None = None) -> list[Problem]:
    """Where a preset's numbers disagree with its own limits and targets,
    concepts its text names that its tags leave out, and scale figures that
    do not say whether they are public or assumed.

    Warnings at generation, errors under ``mlsd validate --strict``; the test
    suite holds every built-in preset to none.
    """
    if data.get("id") == BLANK_ID:
        return []
    return _problems(fit_issues(data) + untagged_concept_issues(data) + provenance_issues(data), data, loaded)


def check_preset_file(path: Path, presets_dir: Path | None = None) -> list[Problem]:
    """Validate one file: raise :class:`PresetError` on errors, return the fit warnings."""
    loaded = load_valid(path, presets_dir)
    errors = workload_errors(loaded.data, loaded)
    if errors:
        raise PresetError(errors)
    return preset_warnings(loaded.data, loaded)
