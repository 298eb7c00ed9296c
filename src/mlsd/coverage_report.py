"""How a practice grade is shown: text and JSON with the same discipline.

Found ideas are always listed; a missed idea is named only when its section is
revealed, so grading never gives the reference away by accident.
"""

from __future__ import annotations

from typing import Any

from mlsd.coverage import Coverage, DimensionVerdict, KeyPoint

EVIDENCE_CHARS = 90


def _clip(text: str, limit: int = EVIDENCE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _hidden(points: list[KeyPoint], revealed: set[int]) -> dict[int, int]:
    """How many missed points stay hidden, per section."""
    counts: dict[int, int] = {}
    for point in points:
        if point.section not in revealed:
            counts[point.section] = counts.get(point.section, 0) + 1
    return counts


def _next_level_text(verdict: DimensionVerdict, revealed: set[int]) -> str:
    if verdict.next_level is None:
        return "nothing more among the reference's ideas"
    shown = [p.idea.rstrip(".") for p in verdict.next_missing if p.section in revealed]
    hidden = _hidden(verdict.next_missing, revealed)
    parts = list(shown)
    if hidden:
        where = ", ".join(str(n) for n in sorted(hidden))
        count = sum(hidden.values())
        parts.append(f"{count} idea{'s' * (count != 1)} in section {where} (--reveal {min(hidden)} names them)")
    return f"{verdict.next_level}: " + "; ".join(parts)


def text_lines(coverage: Coverage, revealed: set[int]) -> list[str]:
    """The report as lines of plain text (the caller styles and wraps them)."""
    lines: list[str] = []
    if not coverage.scored:
        lines.append("Nothing written yet; write in DESIGN.md, or add --all to score every section.")
    for section in coverage.sections:
        if section.number not in coverage.scored:
            continue
        lines.append(f"{section.number}. {section.title}: {len(section.found)}/{section.total} key ideas ({section.percent}%)")
        for found in section.found:
            lines.append(f"  found:  {found.point.idea}  <- \"{_clip(found.evidence)}\"")
        if section.number in revealed:
            lines += [f"  missed: {point.idea}" for point in section.missed]
        elif section.missed:
            lines.append(f"  missed: {len(section.missed)}, hidden (--reveal {section.number} names them)")
    skipped = [str(s.number) for s in coverage.sections if s.number not in coverage.scored]
    if coverage.scored and skipped:
        lines.append(f"Not attempted, so not scored: section {', '.join(skipped)} (--all scores them)")
    verdicts = coverage.verdicts()
    if verdicts:
        lines.append("Level by dimension:")
        for verdict in verdicts:
            level = verdict.level or f"below {verdict.next_level or 'mid'}"
            evidence = "; ".join(f.point.idea.rstrip(".") for f in verdict.evidence) or "none yet"
            lines.append(f"  {verdict.title}: {level}. Evidence: {evidence}")
            lines.append(f"    next, {_next_level_text(verdict, revealed)}")
    scope = "every section" if len(coverage.scored) == len(coverage.sections) else "the attempted sections"
    lines.append(f"coverage of {coverage.preset_id}: {coverage.percent}% of {scope} ({coverage.found}/{coverage.total} key ideas)")
    return lines


def as_json(coverage: Coverage, revealed: set[int]) -> dict[str, Any]:
    """The report as JSON: missed ideas appear by name only for revealed sections."""

    def missed(section_number: int, points: list[KeyPoint]) -> Any:
        if section_number in revealed:
            return [p.idea for p in points]
        return {"hidden": len(points)}

    return {
        "version": 2,
        "against": coverage.preset_id,
        "percent": coverage.percent,
        "found": coverage.found,
        "total": coverage.total,
        "scored_sections": coverage.scored,
        "revealed_sections": sorted(revealed),
        "sections": [
            {
                "number": s.number,
                "title": s.title,
                "attempted": s.attempted,
                "scored": s.number in coverage.scored,
                "percent": s.percent,
                "found": [{"idea": f.point.idea, "evidence": f.evidence} for f in s.found],
                "missed": missed(s.number, s.missed),
            }
            for s in coverage.sections
        ],
        "dimensions": [
            {
                "dimension": v.dimension,
                "level": v.level,
                "evidence": [f.point.idea for f in v.evidence],
                "next_level": v.next_level,
                "next_adds": [p.idea for p in v.next_missing if p.section in revealed],
                "next_hidden": sum(_hidden(v.next_missing, revealed).values()),
            }
            for v in coverage.verdicts()
        ],
    }
