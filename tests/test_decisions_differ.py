"""Decisions that differ where the systems differ: no family copies one choice into every preset.

Each test fails when more than half of a family's presets make the same
choice (risk profile, utilisation target, rollout sequence), or when a reason
is copied word for word between presets (edge serving, variance of a metric).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml

PRESETS = {preset_id: load_yaml(PRESETS_DIR / f"{preset_id}.yaml") for preset_id in WORKED_PRESET_IDS}
FAMILIES: dict[str, list[str]] = defaultdict(list)
for _id, _preset in PRESETS.items():
    FAMILIES[_preset["category"]].append(_id)


def _most_shared(choices: dict[str, object]) -> tuple[object, list[str]]:
    counts = Counter(choices.values())
    choice, _ = counts.most_common(1)[0]
    return choice, sorted(p for p, c in choices.items() if c == choice)


def _at_most_half(family: str, what: str, choices: dict[str, object]) -> None:
    choice, sharing = _most_shared(choices)
    assert len(sharing) <= len(FAMILIES[family]) // 2, f"{what} {choice!r} is copied across {sharing}"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_risk_registers_are_shaped_by_the_system(family: str) -> None:
    profiles = {p: tuple(sorted(Counter(r["kind"] for r in PRESETS[p]["risks"]).items())) for p in FAMILIES[family]}
    _at_most_half(family, "risk profile", profiles)
    counts = {p: len(PRESETS[p]["risks"]) for p in FAMILIES[family]}
    _at_most_half(family, "risk count", counts)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_peak_utilisation_is_chosen_per_system(family: str) -> None:
    # Each preset's main online service, where it has one: the tier that sets the host count.
    targets = {}
    for p in FAMILIES[family]:
        services = [w for w in PRESETS[p]["workloads"] if w["kind"] == "online_service" and "target_utilization" in w["inputs"]]
        if services:
            targets[p] = services[0]["inputs"]["target_utilization"]["value"]
    if len(targets) >= 3:
        _at_most_half(family, "peak utilisation", targets)


def test_utilisation_reasons_are_not_copied() -> None:
    reasons = Counter(
        w["inputs"]["target_utilization"]["basis"]
        for p in PRESETS.values()
        for w in p["workloads"]
        if "target_utilization" in w["inputs"]
    )
    assert [r for r, n in reasons.items() if n > 1] == []


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_rollout_sequences_fit_the_system(family: str) -> None:
    sequences = {p: tuple(s["stage"] for s in PRESETS[p]["deployment"]["experiment"]["rollout"]) for p in FAMILIES[family]}
    _at_most_half(family, "rollout sequence", sequences)


def test_edge_serving_is_decided_per_system() -> None:
    reasons = Counter()
    for preset in PRESETS.values():
        edge = preset["deployment"]["serving"]["edge"]
        if isinstance(edge, dict):
            reasons[edge["not_applicable"].strip().lower()] += 1
    assert [r for r, n in reasons.items() if n > 1] == []
    assert all(len(r.split()) >= 8 for r in reasons), "say why this system serves nothing on devices"


def test_the_sources_of_variance_behind_each_sample_size_are_stated() -> None:
    stated: dict[str, list[str]] = defaultdict(list)
    too_short = []
    for preset_id, preset in PRESETS.items():
        for metric in preset["deployment"]["experiment"]["sizing"]["metrics"]:
            if metric["kind"] == "mean":
                basis = metric["cv"]["basis"]
                if len(basis.split()) < 12:
                    too_short.append(f"{preset_id}.{metric['id']}")
                stated[basis].append(f"{preset_id}.{metric['id']}")
    assert too_short == [], "name where each metric's spread comes from"
    copied = {basis: where for basis, where in stated.items() if len({w.split('.')[0] for w in where}) > 1}
    assert copied == {}
