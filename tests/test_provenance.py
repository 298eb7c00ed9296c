"""Scale figures say whether they are public (source and year) or assumed; technologies say whose they are."""

from __future__ import annotations

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.provenance import MESSAGE, provenance_issues, says_where_it_comes_from


@pytest.mark.parametrize(
    ("basis", "says"),
    [
        ("Uber reported 2.6B trips in Q4 2023, about 28M a day.", True),
        ("Assumption: about 6 sessions a day across surfaces.", True),
        ("Assumed, from the share of users on HW4.", True),
        ("Derived from the daily trips and the share that request an ETA.", True),
        ("Unit id, experiment id, variant and timestamp, compressed.", False),
        ("Half-loaded hosts so one region absorbs another's failover.", False),
    ],
)
def test_a_basis_says_where_its_figure_comes_from(basis: str, says: bool) -> None:
    assert says_where_it_comes_from(basis) is says


def test_every_unsourced_scale_basis_is_reported_at_its_field() -> None:
    preset = {
        "workloads": [{"inputs": {"actors": {"value": 1, "basis": "Lots of users."},
                                  "peak_to_average": {"value": 2, "basis": "Assumption: evening peak."}},
                       "limits": {"max_hosts": {"value": 9, "basis": "Budget."}}}],
        "scale": {"serving": {"p99_latency_ms": {"value": 200, "basis": "The product's need, 2025 survey."}}},
    }
    assert [(i.path, i.message) for i in provenance_issues(preset)] == [
        (("workloads", 0, "inputs", "actors", "basis"), MESSAGE),
        (("workloads", 0, "limits", "max_hosts", "basis"), MESSAGE),
    ]


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_every_scale_figure_says_whether_it_is_public_or_assumed(preset_id: str) -> None:
    issues = provenance_issues(load_yaml(PRESETS_DIR / f"{preset_id}.yaml"))
    assert [".".join(map(str, i.path)) for i in issues] == []


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_every_technology_says_whose_it_is(preset_id: str) -> None:
    components = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")["architecture"]["components"]
    assert [c["id"] for c in components if "stack" not in c] == []
    # The mark is rendered from the field, so the text does not repeat it.
    assert [c["id"] for c in components if "stand-in" in c["tech"].lower()] == []
