"""Practice coverage: how much of a reference preset a user's design document covers.

Each section of the reference yields key points (its metrics, requirements,
sources, models, components, risks...). A key point counts as found when most of
its distinctive words appear in the user's text for that section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlsd.sections import SECTION_TITLES, parse
from mlsd.references import resolve_references

# A key point is found when this share of its distinctive words is present.
FOUND_SHARE = 0.6
_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or per than that the their this to was "
    "were which with within without each every not no our we you your they them then there these those via".split()
)


def words(text: str) -> set[str]:
    """The distinctive words of ``text``: lower-case, no stop words, no single letters."""
    return {w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _STOPWORDS}


def key_points(preset: dict[str, Any]) -> dict[int, list[str]]:
    """The reference answers worth finding, per section number."""
    formulation, scope, data = preset["formulation"], preset["scope"], preset["data"]
    model, architecture, deployment = preset["model"], preset["architecture"], preset["deployment"]
    return {
        1: [
            preset["problem"]["business_objective"],
            formulation["problem_type"],
            formulation["label"]["definition"],
            *[m["name"] for level in ("business", "online", "offline", "guardrail") for m in formulation["metrics"][level]],
        ],
        2: [*scope["functional_requirements"], *[r["name"] for r in scope["non_functional_requirements"]]],
        3: [*[s["name"] for s in data["sources"]], *[e["name"] for e in data["entities"]]],
        4: [model["baseline"]["name"], *[c["name"] for c in model["candidates"]], *[f["name"] for f in model["features"]]],
        5: [*[f"{c['name']} {c['tech']}" for c in architecture["components"]], *[a["path"] for a in architecture["apis"]]],
        6: [
            deployment["experiment"]["primary_metric"],
            *deployment["monitoring"]["model"],
            *deployment["monitoring"]["data"],
            deployment["maintenance"]["rollback"],
        ],
        7: [*[r["risk"] for r in preset["risks"]], *[d["title"] for d in preset["decisions"]]],
    }


@dataclass
class SectionCoverage:
    number: int
    title: str
    found: list[str]
    missed: list[str]

    @property
    def percent(self) -> int:
        total = len(self.found) + len(self.missed)
        return round(100 * len(self.found) / total) if total else 100


@dataclass
class Coverage:
    preset_id: str
    sections: list[SectionCoverage]

    @property
    def percent(self) -> int:
        found = sum(len(s.found) for s in self.sections)
        total = found + sum(len(s.missed) for s in self.sections)
        return round(100 * found / total) if total else 100


def is_found(point: str, available: set[str]) -> bool:
    wanted = words(point)
    if not wanted:
        return True
    return len(wanted & available) / len(wanted) >= FOUND_SHARE


def measure(design_text: str, reference: dict[str, Any], preset_id: str) -> Coverage:
    """Coverage of ``reference`` by the design document ``design_text``, section by section."""
    reference = resolve_references(reference)
    document = parse(design_text)
    sections = []
    for number, points in key_points(reference).items():
        section = document.section(number)
        available = words(section.text + " " + " ".join(b.title for b in section.blocks)) if section else set()
        found = [p for p in points if is_found(p, available)]
        missed = [p for p in points if not is_found(p, available)]
        sections.append(SectionCoverage(number, SECTION_TITLES[number - 1], found, missed))
    return Coverage(preset_id, sections)


def practice_preset(preset: dict[str, Any], blank: dict[str, Any]) -> dict[str, Any]:
    """The preset's skeleton: its identity and clarifying questions over the blank, no answers."""
    skeleton = dict(blank)
    for key in ("id", "title", "category", "system_kind", "summary", "system_name"):
        skeleton[key] = preset[key]
    skeleton["clarifying_questions"] = [
        {"question": q["question"], "assumption": "TODO: the answer you will design for"}
        for q in preset["clarifying_questions"]
    ]
    return skeleton
