"""What a design document at work adds to the seven sections, as a view model.

An interview answer ends at the design. A design doc at work also carries its
review state (status, authors, reviewers, approvers), the system it replaces,
non-goals, cost, milestones, a threat model, operational readiness, the ML Test
Score, a model card, a datasheet, and how the old system is retired. This
module builds those parts from a preset: what the preset knows is filled in
(SLOs from the requirements, error budgets computed from availability targets,
alternatives from the decisions, cost from the computed figures), the rest is a
``TODO`` with the question to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlsd.markdown import show
from mlsd.figures.model import Figure
from mlsd.ml_test_score import GROUPS, MARKS, Score, format_points, score
from mlsd.schema import TODO_MARKER

# The lifecycle of a design doc, in order; check refuses any other status.
STATUSES = ("draft", "in review", "approved", "superseded")
# Generated files that serve interview study only; work mode leaves them out.
INTERVIEW_ONLY_FILES = ("docs/interview-plan.md", "docs/interviewer.md", "docs/concepts.md")
# The window an error budget is counted over.
ERROR_BUDGET_DAYS = 30
MINUTES_PER_DAY = 24 * 60




@dataclass(frozen=True)
class ErrorBudget:
    """Downtime an availability target allows over the budget window."""

    availability_percent: float
    minutes: float

    @property
    def formula(self) -> str:
        return (
            f"(100% - {self.availability_percent:g}%) x {ERROR_BUDGET_DAYS} d x {MINUTES_PER_DAY:,} min/d"
            f" = {self.minutes:,.1f} min"
        )


def error_budget(availability_percent: float) -> ErrorBudget:
    """``availability_percent`` of 99.95 allows 0.05% of 30 days: 21.6 minutes."""
    if not 0 < availability_percent <= 100:
        raise ValueError(f"availability must be a percentage in (0, 100], got {availability_percent:g}")
    minutes = (100 - availability_percent) / 100 * ERROR_BUDGET_DAYS * MINUTES_PER_DAY
    return ErrorBudget(availability_percent, minutes)


def _slo_rows(preset: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for requirement in preset["scope"]["non_functional_requirements"]:
        value, unit = requirement.get("value"), str(requirement.get("unit", ""))
        target = f"{show(value)} {unit}".strip()
        budget = ""
        if requirement.get("kind") == "availability" and unit == "%" and isinstance(value, (int, float)):
            try:
                budget = error_budget(float(value)).formula
            except ValueError:
                budget = ""
        rows.append({"name": show(requirement.get("name")), "target": target, "error_budget": budget or "n/a"})
    return rows


def _cost_rows(figures: list[Figure]) -> list[dict[str, str]]:
    """Computed figures that are money, shown with their formula."""
    return [
        {"label": figure.label, "formula": figure.formula, "result": figure.readable or TODO_MARKER}
        for figure in figures
        if "USD" in figure.unit or "cost" in figure.label.lower()
    ]


def _alternatives(preset: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"decision": show(d.get("title")), "options": "; ".join(show(o) for o in d.get("options", [])), "chosen": show(d.get("chosen"))}
        for d in preset.get("decisions", [])
    ]


# Every test of the rubric as generated: nothing is done yet.
GENERATED_MARK = "not done"


def rubric() -> list[dict[str, Any]]:
    """The ML Test Score tables as generated, every test marked :data:`GENERATED_MARK`."""
    return [
        {"group": group, "tests": [{"number": n, "test": test, "mark": GENERATED_MARK} for n, test in enumerate(tests, start=1)]}
        for group, tests in GROUPS.items()
    ]


SCORE_LINE_PREFIX = "ML Test Score:"


def score_line(result: Score) -> str:
    """The sentence that states the score; check reads it back after :data:`SCORE_LINE_PREFIX`."""
    parts = ", ".join(f"{group} {format_points(points)}" for group, points in result.groups.items())
    return f"{SCORE_LINE_PREFIX} {format_points(result.final)} (the lowest of {parts})"


def work_sections(preset: dict[str, Any], figures: list[Figure]) -> dict[str, Any]:
    """The work-mode parts of the document for ``preset``; ``figures`` are its computed figures."""
    sources = preset["data"]["sources"]
    initial = score({group: [GENERATED_MARK] * len(tests) for group, tests in GROUPS.items()})
    return {
        "statuses": STATUSES,
        "slos": _slo_rows(preset),
        "error_budget_days": ERROR_BUDGET_DAYS,
        "cost": _cost_rows(figures),
        "alternatives": _alternatives(preset),
        "main_source": show(sources[0]["name"]) if sources else TODO_MARKER + ": the main data set",
        "rubric": rubric(),
        "score_line": score_line(initial),
        "score_meaning": initial.meaning,
        "marks": ", ".join(f"`{m}`" for m in MARKS),
    }
