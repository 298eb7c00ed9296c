"""Experiment sizing: sample size per arm and run length from declared inputs.

Formulas (normal approximation, per arm, d the difference to detect):

- proportion, two samples (Fleiss, Levin and Paik, *Statistical Methods for
  Rates and Proportions*, 3rd ed., 2003, without continuity correction):
  n = (z_alpha x sqrt(2 p_bar q_bar) + z_beta x sqrt(p1 q1 + p2 q2))^2 / d^2
- mean: n = 2 (z_alpha + z_beta)^2 (CV x mean)^2 / d^2
- count or rate (Poisson, per unit of exposure):
  n = (z_alpha + z_beta)^2 (lambda1 + lambda2) / d^2

z_alpha is z_{1-alpha/2} for a two-sided test and z_{1-alpha} for a one-sided
one. Non-inferiority uses the margin as d, assumes no true difference
(p2 = p1, lambda2 = lambda1) and is one-sided. Clustered, switchback and geo
designs multiply n by the design effect 1 + (m - 1) x ICC; a variance
reduction (CUPED, stratification, pairing) multiplies it by (1 - reduction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Mapping

from mlsd.figures import compute as compute_workloads
from mlsd.figures.model import Figure
from mlsd.figures.units import number
from mlsd.schema import Issue, figure_value

DAYS_PER_WEEK = 7
PROPORTION, MEAN, COUNT = "proportion", "mean", "count"
NON_INFERIORITY = "non_inferiority"
_Z = NormalDist()


def z_alpha(alpha: float, sides: int) -> float:
    """The critical value: z_{1-alpha/2} two-sided, z_{1-alpha} one-sided."""
    return _Z.inv_cdf(1 - alpha / sides)


def z_beta(power: float) -> float:
    return _Z.inv_cdf(power)


def n_proportion(p1: float, p2: float, alpha: float, power: float, sides: int, d: float | None = None) -> float:
    """Per-arm n for two proportions; ``d`` overrides p2 - p1 (the non-inferiority margin)."""
    d = abs(p2 - p1) if d is None else abs(d)
    p_bar = (p1 + p2) / 2
    spread = z_alpha(alpha, sides) * math.sqrt(2 * p_bar * (1 - p_bar)) + z_beta(power) * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return spread**2 / d**2


def n_mean(mean: float, cv: float, d: float, alpha: float, power: float, sides: int) -> float:
    """Per-arm n for a difference in means, sigma = CV x mean."""
    return 2 * (z_alpha(alpha, sides) + z_beta(power)) ** 2 * (cv * mean) ** 2 / d**2


def n_count(rate1: float, rate2: float, alpha: float, power: float, sides: int, d: float | None = None) -> float:
    """Per-arm units of exposure for two Poisson rates."""
    d = abs(rate2 - rate1) if d is None else abs(d)
    return (z_alpha(alpha, sides) + z_beta(power)) ** 2 * (rate1 + rate2) / d**2


def design_effect(cluster_size: float, icc: float) -> float:
    """Variance inflation from correlated units: 1 + (m - 1) x ICC."""
    return 1 + (cluster_size - 1) * icc


@dataclass(frozen=True)
class SizedMetric:
    """One metric's sizing: the inputs as read, and the figures computed from them."""

    id: str
    name: str
    role: str
    unit: str
    sample_size_per_arm: float | None
    days_needed: float | None
    figures: list[Figure]


@dataclass(frozen=True)
class ExperimentSizing:
    metrics: list[SizedMetric]
    planned_days: float | None
    figures: list[Figure]

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    @property
    def duration_days(self) -> float | None:
        """The longest any sized metric needs: the test runs until all can be read."""
        days = [m.days_needed for m in self.metrics if m.days_needed is not None]
        return max(days) if days else None


def _pct(value: float) -> str:
    return f"{number(round(value * 100, 4))}%"


def _independent_n(
    raw: dict[str, Any], baseline: float, cv: float | None, d: float, effect_text: str,
    alpha: float, power: float, sides: int,
) -> tuple[float, str, str]:
    """Per-arm n for independent observations, its formula, and the numbers in it."""
    kind, unit = raw.get("kind"), str(raw.get("unit", "units"))
    same = raw.get("test") == NON_INFERIORITY  # no true difference under non-inferiority
    za, zb = z_alpha(alpha, sides), z_beta(power)
    z_text = (f"z = {za:.3f} ({'one' if sides == 1 else 'two'}-sided alpha {number(alpha)}), "
              f"z_beta = {zb:.3f} (power {number(power)})")
    other = baseline if same else baseline + d
    if kind == PROPORTION:
        return (n_proportion(baseline, other, alpha, power, sides, d),
                "(z x sqrt(2 p_bar q_bar) + z_beta x sqrt(p1 q1 + p2 q2))^2 / d^2",
                f"p1 = {number(baseline)}, p2 = {number(round(other, 6))}, d = {effect_text}; {z_text}")
    if kind == MEAN:
        return (n_mean(baseline, cv or 0.0, d, alpha, power, sides),
                "2 (z + z_beta)^2 (CV x mean)^2 / d^2",
                f"CV = {number(cv or 0.0)}, mean = {number(baseline)}, d = {effect_text}; {z_text}")
    return (n_count(baseline, other, alpha, power, sides, d),
            "(z + z_beta)^2 (rate1 + rate2) / d^2",
            f"rate1 = {number(baseline)}, rate2 = {number(round(other, 9))} per {unit.rstrip('s')}, "
            f"d = {effect_text}; {z_text}")


def units_per_day(raw: dict[str, Any], values: Mapping[str, float | None]) -> float | None:
    """Observations a day: a number, or a workload figure named by ``ref`` (a look-up, no arithmetic)."""
    item = raw.get("units_per_day")
    if isinstance(item, dict) and isinstance(item.get("ref"), str):
        return values.get(item["ref"])
    return figure_value(item)


def _size_metric(raw: dict[str, Any], sizing: dict[str, Any], values: Mapping[str, float | None]) -> SizedMetric:
    alpha, power = figure_value(sizing.get("alpha")), figure_value(sizing.get("power"))
    share = figure_value(sizing.get("traffic_share"))
    kind = raw.get("kind")
    sides = 1 if raw.get("test") == NON_INFERIORITY else int(figure_value(raw.get("sides")) or 2)
    baseline, cv = figure_value(raw.get("baseline")), figure_value(raw.get("cv"))
    effect = raw.get("effect") if isinstance(raw.get("effect"), dict) else {}
    metric_id, unit = str(raw.get("id", "metric")), str(raw.get("unit", "units"))
    key = f"experiment.{metric_id}"
    empty = SizedMetric(metric_id, str(raw.get("name", "")), str(raw.get("role", "")), unit, None, None, [])
    if None in (alpha, power, baseline) or not effect or (kind == MEAN and cv is None):
        return empty
    if "relative" in effect:
        d = baseline * float(effect["relative"])
        effect_text = f"{_pct(float(effect['relative']))} of {number(baseline)} = {number(round(d, 6))}"
    else:
        d = float(effect.get("absolute", 0))
        effect_text = number(d)
    if d == 0:
        return empty
    n, formula, numbers = _independent_n(raw, baseline, cv, d, effect_text, alpha, power, sides)
    figures = [Figure(f"{key}.base_sample_size", f"{raw.get('name')}: {unit} per arm, independent units",
                      formula, numbers, n, unit, f"{number(math.ceil(n))} {unit}")]
    if kind == COUNT:
        # Rate tests are often quoted in events; this is the count the control arm must see.
        events = n * baseline
        figures.append(Figure(f"{key}.events_per_arm", "Events in the control arm, independent units",
                              "n x rate1", f"{number(round(n))} x {number(baseline)}", events, "events",
                              f"{number(math.ceil(events))} events"))
    design = raw.get("design") if isinstance(raw.get("design"), dict) else {}
    m, icc = figure_value(design.get("cluster_size")), figure_value(design.get("icc"))
    factor_text = []
    if m is not None and icc is not None:
        effect_factor = design_effect(m, icc)
        figures.append(Figure(f"{key}.design_effect", f"Design effect ({design.get('kind', 'clustered')})",
                              "1 + (m - 1) x ICC", f"1 + ({number(m)} - 1) x {number(icc)}",
                              effect_factor, "x", f"{effect_factor:.2f}"))
        n *= effect_factor
        factor_text.append(f"{effect_factor:.2f}")
    reduction = figure_value(raw.get("variance_reduction"))
    if reduction is not None:
        n *= 1 - reduction
        factor_text.append(f"(1 - {number(reduction)})")
    n = float(math.ceil(n))
    figures.append(Figure(f"{key}.sample_size_per_arm", f"{raw.get('name')}: sample size per arm",
                          "independent n" + (" x design effect" if m is not None and icc is not None else "")
                          + (" x (1 - variance reduction)" if reduction is not None else ""),
                          " x ".join([number(math.ceil(figures[0].value or 0))] + factor_text), n, unit,
                          f"{number(n)} {unit}"))
    if m is not None and icc is not None:
        clusters = math.ceil(n / m)
        figures.append(Figure(f"{key}.clusters_per_arm", "Clusters or windows per arm", "sample size / m",
                              f"{number(n)} / {number(m)}", clusters, "clusters", f"{number(clusters)}"))
    per_day = units_per_day(raw, values)
    days = None
    if per_day is not None and share is not None:
        days = raw_days = math.ceil(n / (per_day * share))
        weeks = sizing.get("round_to") == "weeks"
        if weeks:
            days = math.ceil(raw_days / DAYS_PER_WEEK) * DAYS_PER_WEEK
        figures.append(Figure(f"{key}.duration_days", f"{raw.get('name')}: days to reach it",
                              f"ceil(sample size / ({unit} per day x share per arm))"
                              + (", rounded up to whole weeks" if weeks else ""),
                              f"ceil({number(n)} / ({number(per_day)} x {number(share)})) = {raw_days}"
                              + (f", so {days} in whole weeks" if weeks else ""),
                              float(days), "days", f"{days} day{'s' * (days != 1)}"))
    return SizedMetric(metric_id, str(raw.get("name", "")), str(raw.get("role", "")), unit, n,
                       float(days) if days is not None else None, figures)


def compute(experiment: dict[str, Any], values: Mapping[str, float | None] | None = None) -> ExperimentSizing:
    """Size every declared metric; the first primary metric also gets the unprefixed names.

    ``values`` are the workload figures by name, for a ``units_per_day`` that
    refers to one (``ref: feed.actors``), so the test's traffic follows the
    traffic model.
    """
    values = values or {}
    sizing = experiment.get("sizing") if isinstance(experiment.get("sizing"), dict) else {}
    metrics = [_size_metric(raw, sizing, values) for raw in sizing.get("metrics") or [] if isinstance(raw, dict)]
    figures = [f for m in metrics for f in m.figures]
    primary = next((m for m in metrics if m.role == "primary"), metrics[0] if metrics else None)
    if primary is not None:
        for suffix in ("sample_size_per_arm", "duration_days"):
            found = next((f for f in primary.figures if f.key.endswith("." + suffix)), None)
            if found is not None:
                figures.append(Figure(f"experiment.{suffix}", found.label, found.formula, found.inputs,
                                      found.value, found.unit, found.readable))
    return ExperimentSizing(metrics, figure_value(sizing.get("planned_days")), figures)


def figure_values(preset: dict[str, Any]) -> dict[str, float | None]:
    """The preset's workload inputs and figures by name, for sizing inputs that refer to them."""
    figures = compute_workloads(preset)
    return {name: figures[name].value for name in figures}


def experiment_issues(preset: dict[str, Any]) -> list[Issue]:
    """Sized metrics that cannot be read within the planned run."""
    experiment = (preset.get("deployment") or {}).get("experiment")
    if not isinstance(experiment, dict):
        return []
    sizing = compute(experiment, figure_values(preset))
    issues = []
    for index, metric in enumerate(sizing.metrics):
        if metric.days_needed is not None and sizing.planned_days is not None and metric.days_needed > sizing.planned_days:
            issues.append(Issue(
                ("deployment", "experiment", "sizing", "metrics", index),
                f"{metric.name} needs {number(metric.sample_size_per_arm or 0)} {metric.unit} per arm, "
                f"{number(metric.days_needed)} days at the declared traffic, longer than the planned "
                f"{number(sizing.planned_days)} days",
            ))
    return issues


