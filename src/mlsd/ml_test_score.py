"""The ML Test Score rubric: 28 production-readiness tests in four groups, and their score.

After E. Breck, S. Cai, E. Nielsen, M. Salib and D. Sculley, "The ML Test
Score: A Rubric for ML Production Readiness and Technical Debt Reduction",
IEEE International Conference on Big Data, 2017. Each test earns half a point
when it is run by hand with its results written down and shared, a full point
when it runs automatically and repeatedly. A group's score is the sum of its
tests; the final score is the lowest group score, so one neglected area caps
the whole system. The test names below are short paraphrases of the paper's.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS: dict[str, tuple[str, ...]] = {
    "Data": (
        "Feature expectations are written down in a schema",
        "Every feature earns its place",
        "No feature costs more than it brings",
        "Features meet meta-level requirements (allowed sources, no forbidden data)",
        "The data pipeline has privacy controls",
        "A new feature can be added quickly",
        "All code that builds input features is tested",
    ),
    "Model": (
        "Every model specification is reviewed and checked in",
        "Offline and online metrics are known to move together",
        "All hyperparameters have been tuned",
        "The cost of model staleness is known",
        "A simpler model is shown not to be better",
        "Quality is sufficient on every important slice of the data",
        "The model is tested for inclusion and fairness",
    ),
    "Infrastructure": (
        "Training is reproducible",
        "Model specifications are unit tested",
        "The whole ML pipeline is integration tested",
        "Model quality is validated before it serves",
        "A single example can be traced through the model (debuggable)",
        "Models are canaried before they serve all traffic",
        "A serving model can be rolled back",
    ),
    "Monitoring": (
        "A change in an upstream dependency sends a notification",
        "Data invariants hold for training and serving inputs",
        "Training and serving features are not skewed",
        "Models are not too stale",
        "Models are numerically stable (no NaN or infinity)",
        "Computing performance (latency, throughput, memory) has not regressed",
        "Prediction quality on served data has not regressed",
    ),
}

# What each mark earns, as the paper defines it.
POINTS = {"automated": 1.0, "manual": 0.5, "not done": 0.0}
MARKS = tuple(POINTS)

# The paper's reading of a final score: (upper bound, meaning), first match wins.
BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "more a research project than a production system"),
    (1.0, "not wholly untested, but serious holes in reliability are likely"),
    (2.0, "a first pass at production readiness; more investment is needed"),
    (3.0, "reasonably tested, with room for more automation"),
    (5.0, "strong automated testing and monitoring, fit for a mission-critical system"),
    (float("inf"), "exceptional automated testing and monitoring"),
)


@dataclass(frozen=True)
class Score:
    """Points per group and the final score (the lowest group)."""

    groups: dict[str, float]

    @property
    def final(self) -> float:
        return min(self.groups.values()) if self.groups else 0.0

    @property
    def meaning(self) -> str:
        return next(text for bound, text in BANDS if self.final <= bound)


def score(marks: dict[str, list[str]]) -> Score:
    """Score ``marks`` (group -> one mark per test, in order); unknown marks raise ValueError."""
    groups = {}
    for group, tests in GROUPS.items():
        given = marks.get(group, [])
        unknown = [m for m in given if m not in POINTS]
        if unknown:
            raise ValueError(f"unknown mark '{unknown[0]}' in {group}; use one of: {', '.join(MARKS)}")
        groups[group] = sum(POINTS[m] for m in given[: len(tests)])
    return Score(groups)


def format_points(value: float) -> str:
    """Half points as the paper writes them: 3, 3.5."""
    return f"{value:g}"
