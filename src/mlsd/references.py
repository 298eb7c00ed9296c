"""Prose that names a figure instead of restating it: ``${feed.peak_qps}``.

A preset's text may refer to any input or computed figure by its name, such as
``${feed.actors}``, ``${ranking.hosts}``, ``${latency.critical_path_ms}`` or
``${experiment.sample_size_per_arm}``. Rendering looks the name up and writes
the figure exactly as docs/capacity.md shows it, so changing one input (with
``--set``) changes every mention. A reference is a look-up only: the data
holds no arithmetic. An unknown name is an error with the file, line and field.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterator

from mlsd.figures import compute as compute_figures
from mlsd.figures import experiments, latency
from mlsd.schema import Issue

REFERENCE = re.compile(r"\$\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")


def figure_texts(preset: dict[str, Any]) -> dict[str, str]:
    """Every name prose may use, with the text capacity.md shows for it."""
    texts: dict[str, str] = {}
    figures = compute_figures(preset)
    for name in figures:
        readable = figures[name].readable
        if readable is not None:
            texts[name] = readable
    scale = preset.get("scale")
    if isinstance(scale, dict):
        for figure in latency.compute(scale).figures:
            if figure.readable is not None:
                texts[figure.key] = figure.readable
    experiment = (preset.get("deployment") or {}).get("experiment")
    if isinstance(experiment, dict):
        values = {name: figures[name].value for name in figures}
        for figure in experiments.compute(experiment, values).figures:
            if figure.readable is not None:
                texts[figure.key] = figure.readable
    return texts


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def reference_issues(preset: dict[str, Any], texts: dict[str, str] | None = None) -> list[Issue]:
    """A reference to a name no figure has, with the nearest names."""
    texts = texts if texts is not None else figure_texts(preset)
    issues = []
    for path, text in _strings(preset):
        for match in REFERENCE.finditer(text):
            name = match.group(1)
            if name not in texts:
                near = difflib.get_close_matches(name, list(texts), n=3, cutoff=0.6)
                hint = f"; did you mean {', '.join('${' + n + '}' for n in near)}?" if near else "; see docs/capacity.md for the names"
                issues.append(Issue(path, f"refers to '${{{name}}}', which names no input or figure{hint}"))
    return issues


def sizing_reference_issues(preset: dict[str, Any], values: dict[str, Any]) -> list[Issue]:
    """A sizing input given as ``ref`` must name a workload figure, and give a value or a ref, not both."""
    sizing = ((preset.get("deployment") or {}).get("experiment") or {}).get("sizing") or {}
    issues = []
    for index, metric in enumerate(sizing.get("metrics") or []):
        item = metric.get("units_per_day") if isinstance(metric, dict) else None
        if not isinstance(item, dict):
            continue
        where = ("deployment", "experiment", "sizing", "metrics", index, "units_per_day")
        if ("value" in item) == ("ref" in item):
            issues.append(Issue(where, "give a value or a ref (a workload figure such as feed.actors), not both"))
        elif "ref" in item and item["ref"] not in values:
            near = difflib.get_close_matches(str(item["ref"]), list(values), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            issues.append(Issue((*where, "ref"), f"'{item['ref']}' names no workload input or figure{hint}"))
    return issues


def referenced_names(preset: dict[str, Any]) -> set[str]:
    """Every name the preset's prose refers to."""
    return {match.group(1) for _, text in _strings(preset) for match in REFERENCE.finditer(text)}


def _substitute(value: Any, texts: dict[str, str]) -> Any:
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: texts.get(m.group(1), m.group(0)), value) if "${" in value else value
    if isinstance(value, dict):
        return {key: _substitute(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, texts) for item in value]
    return value


def resolve_references(preset: dict[str, Any]) -> dict[str, Any]:
    """The preset with every reference in its prose replaced by the figure's text.

    An unknown name is left as written; validation reports it before generation.
    """
    return _substitute(preset, figure_texts(preset))
