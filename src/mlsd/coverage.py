"""Practice coverage: which of a reference design's key ideas a candidate's document expresses.

The key ideas are curated per preset (``interview.key_points``), each tagged with
its section, a dimension (requirements, formulation, ...) and the lowest level
expected to say it. An idea counts when one sentence or bullet of the
candidate's section expresses it (:mod:`mlsd.ideas`). The skeleton's own text
(TODO rows, guidance, headings, table headers, labels and every line as the
practice repo was generated) never counts, so an untouched repo scores 0%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mlsd.ideas import Idea, Unit, first_match, prose_units
from mlsd.markdown import one_line
from mlsd.references import resolve_references
from mlsd.schema import DIMENSIONS, LEVELS, TODO_MARKER
from mlsd.sections import SECTION_TITLES, Line, heading_of, is_table_rule, parse, row_cells

_BULLET = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+")
_BOLD_LABEL = re.compile(r"\*\*[^*]{1,60}?:\*\*|__[^_]{1,60}?:__")
# A level is reached when at least this share of its ideas in a dimension is found.
LEVEL_SHARE = 0.5
DIMENSION_TITLES = {
    "requirements": "Requirements",
    "formulation": "Formulation",
    "data": "Data",
    "model": "Model",
    "architecture": "Architecture",
    "serving_scale": "Serving and scale",
    "monitoring": "Monitoring",
    "trade_offs": "Trade-offs",
}


class NoKeyIdeas(ValueError):
    """The reference preset has no curated key ideas to grade against."""


@dataclass(frozen=True)
class KeyPoint:
    section: int
    dimension: str
    level: str
    idea: str
    matcher: Idea


def key_points(preset: dict[str, Any]) -> list[KeyPoint]:
    """The curated key ideas of ``preset``; :class:`NoKeyIdeas` when it has none."""
    points = ((preset.get("interview") or {}).get("key_points")) or []
    if not points:
        raise NoKeyIdeas(f"preset '{preset.get('id')}' has no interview.key_points to grade against yet")
    return [
        KeyPoint(p["section"], p["dimension"], p["level"], p["idea"], Idea.from_phrasings(p["phrasings"]))
        for p in points
    ]


@dataclass(frozen=True)
class Skeleton:
    """The text that came with the repo: whole lines and table cells that earn nothing."""

    lines: frozenset[str] = frozenset()
    cells: frozenset[str] = frozenset()

    @classmethod
    def of(cls, generated_text: str | None, extra_cells: list[str] = ()) -> Skeleton:  # type: ignore[assignment]
        lines = {line.strip() for line in (generated_text or "").splitlines() if line.strip()}
        cells = {cell for line in lines if line.startswith("|") for cell in row_cells(line) if cell}
        cells.update(one_line(text) for text in extra_cells)
        return cls(frozenset(lines), frozenset(cells))


def _is_skeleton_cell(cell: str, skeleton: Skeleton) -> bool:
    return not cell or TODO_MARKER in cell or cell in skeleton.cells


def own_text(lines: list[Line], skeleton: Skeleton) -> list[str]:
    """The candidate's own paragraphs, bullets and table rows in ``lines``, skeleton text removed.

    A bullet with its continuation lines is one piece, so is a paragraph; a table
    row is one piece made of its cells that are neither headers nor skeleton text.
    """
    pieces: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            pieces.append(" ".join(current))
            current.clear()

    index = 0
    while index < len(lines):
        text = lines[index].text
        stripped = text.strip()
        index += 1
        if not stripped or heading_of(text) is not None:
            close()
            continue
        if stripped.startswith("|"):
            close()
            following = lines[index].text if index < len(lines) else ""
            if is_table_rule(stripped) or ("-" in following and is_table_rule(following.strip())):
                continue  # a rule or a header row
            if stripped in skeleton.lines:
                continue
            cells = [c for c in row_cells(stripped) if not _is_skeleton_cell(c, skeleton)]
            if cells:
                pieces.append(" — ".join(_BOLD_LABEL.sub("", c).strip() for c in cells))
            continue
        if stripped in skeleton.lines or TODO_MARKER in stripped:
            close()
            continue
        bullet = _BULLET.match(text)
        if bullet:
            close()
            text = text[bullet.end() :]
        current.append(_BOLD_LABEL.sub("", text).strip())
    close()
    return [p for p in pieces if p]


@dataclass
class Found:
    point: KeyPoint
    evidence: str


@dataclass
class SectionCoverage:
    number: int
    title: str
    attempted: bool
    found: list[Found]
    missed: list[KeyPoint]

    @property
    def total(self) -> int:
        return len(self.found) + len(self.missed)

    @property
    def percent(self) -> int:
        return round(100 * len(self.found) / self.total) if self.total else 0


@dataclass
class DimensionVerdict:
    """What one dimension's evidence supports, and what the next level would add."""

    dimension: str
    level: str | None  # None: below the mid-level bar
    evidence: list[Found]
    next_level: str | None
    next_missing: list[KeyPoint]

    @property
    def title(self) -> str:
        return DIMENSION_TITLES[self.dimension]


@dataclass
class Coverage:
    preset_id: str
    sections: list[SectionCoverage]
    scored: list[int] = field(default_factory=list)  # the section numbers counted

    @property
    def found(self) -> int:
        return sum(len(s.found) for s in self.sections if s.number in self.scored)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections if s.number in self.scored)

    @property
    def percent(self) -> int:
        return round(100 * self.found / self.total) if self.total else 0

    def verdicts(self) -> list[DimensionVerdict]:
        """A levelled verdict per dimension, over the scored sections only."""
        found = [f for s in self.sections if s.number in self.scored for f in s.found]
        missed = [p for s in self.sections if s.number in self.scored for p in s.missed]
        verdicts = []
        for dimension in DIMENSIONS:
            mine = [f for f in found if f.point.dimension == dimension]
            lost = [p for p in missed if p.dimension == dimension]
            if not mine and not lost:
                continue
            verdicts.append(_verdict(dimension, mine, lost))
        return verdicts


def _verdict(dimension: str, found: list[Found], missed: list[KeyPoint]) -> DimensionVerdict:
    """The highest level whose ideas are at least half found, with every lower level that has ideas met too."""
    reached: str | None = None
    for level in LEVELS:
        hits = sum(f.point.level == level for f in found)
        misses = sum(p.level == level for p in missed)
        if hits + misses == 0:
            continue  # the reference expects nothing of this dimension at this level
        if hits / (hits + misses) < LEVEL_SHARE:
            break
        reached = level
    following = LEVELS[LEVELS.index(reached) + 1 :] if reached else LEVELS
    next_level = next((lv for lv in following if any(p.level == lv for p in missed)), None)
    return DimensionVerdict(
        dimension, reached, found, next_level, [p for p in missed if p.level == next_level] if next_level else []
    )


def measure(
    design_text: str,
    reference: dict[str, Any],
    preset_id: str,
    *,
    generated_text: str | None = None,
    score_all: bool = False,
) -> Coverage:
    """Coverage of ``reference``'s key ideas by ``design_text``, section by section.

    ``generated_text`` is the document as it was generated (the repo's
    ``.mlsd/base/DESIGN.md``): its lines earn nothing. Only sections with some
    text of the candidate's own are scored, unless ``score_all``.
    """
    reference = resolve_references(reference)
    points = key_points(reference)
    # The practice skeleton shows the clarifying questions, so asking them back earns nothing.
    questions = [q["question"] for q in reference.get("clarifying_questions", [])]
    skeleton = Skeleton.of(generated_text, extra_cells=questions)
    document = parse(design_text)
    sections = []
    for number, title in enumerate(SECTION_TITLES, start=1):
        section = document.section(number)
        pieces = own_text(section.lines(), skeleton) if section else []
        units: list[Unit] = prose_units(pieces)
        found, missed = [], []
        for point in (p for p in points if p.section == number):
            unit = first_match(point.matcher, units)
            if unit is None:
                missed.append(point)
            else:
                found.append(Found(point, unit.text))
        sections.append(SectionCoverage(number, title, bool(pieces), found, missed))
    scored = [s.number for s in sections if score_all or s.attempted]
    return Coverage(preset_id, sections, scored)
