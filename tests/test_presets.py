"""The preset catalogue, merging over the blank, and the cross-field rules."""

from __future__ import annotations

import copy
import itertools
import re

import pytest

from conftest import PRESET_IDS, PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.concepts import CONCEPTS_BY_ID
from mlsd.errors import UnknownPresetError
from mlsd.presets import PresetCatalogue, cross_check, merge_over


@pytest.fixture(scope="module")
def catalogue() -> PresetCatalogue:
    return PresetCatalogue([PRESETS_DIR])


def test_ids_start_with_the_blank_and_cover_every_file(catalogue: PresetCatalogue) -> None:
    ids = catalogue.ids()
    assert ids[0] == "blank"
    assert sorted(ids) == sorted(PRESET_IDS)


def test_unknown_id_lists_near_ids(catalogue: PresetCatalogue) -> None:
    with pytest.raises(UnknownPresetError) as caught:
        catalogue.load("blnk")
    assert caught.value.near == ["blank"]
    assert str(caught.value) == "unknown preset 'blnk': did you mean blank? run 'mlsd list' to see every preset id"


def test_unknown_id_with_nothing_near(catalogue: PresetCatalogue) -> None:
    with pytest.raises(UnknownPresetError) as caught:
        catalogue.load("zzzzzz")
    assert str(caught.value) == "unknown preset 'zzzzzz': run 'mlsd list' to see every preset id"


def test_merge_over_replaces_lists_and_keeps_missing_fields() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": {"not_applicable": "n/a"}, "c": 3}
    overlay = {"a": {"y": [9]}, "b": {"k": 1}}
    assert merge_over(base, overlay) == {"a": {"x": 1, "y": [9]}, "b": {"k": 1}, "c": 3}
    assert base["a"]["y"] == [1, 2]


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_worked_presets_hold_no_todo_and_merge_cleanly(catalogue: PresetCatalogue, preset_id: str) -> None:
    merged = catalogue.load(preset_id)
    assert "TODO" not in repr(merged)
    own = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    assert {key: merged[key] for key in own} == own


def _worked() -> dict:
    if not WORKED_PRESET_IDS:
        pytest.skip("no worked preset yet")
    return load_yaml(PRESETS_DIR / f"{WORKED_PRESET_IDS[0]}.yaml")


def _cross(data: dict) -> dict[tuple, str]:
    return {issue.path: issue.message for issue in cross_check(data)}


def test_cross_check_passes_a_worked_preset() -> None:
    assert _cross(_worked()) == {}


def test_cross_check_finds_broken_references() -> None:
    data = copy.deepcopy(_worked())
    data["architecture"]["data_flow"][0]["to"] = "nowhere"
    data["decisions"][0]["chosen"] = "something else"
    data["concepts"]["feature_store"] = "a typo of the concept id"
    problems = _cross(data)
    assert problems[("architecture", "data_flow", 0, "to")].startswith("'nowhere' is not a component id")
    assert problems[("decisions", 0, "chosen")] == "must repeat one of the options word for word"
    assert problems[("concepts", "feature_store")] == "unknown concept 'feature_store'; did you mean 'feature_stores'?"


def test_cross_check_wants_risks_that_span_the_kinds() -> None:
    data = copy.deepcopy(_worked())
    for risk in data["risks"]:
        risk["kind"] = "technical"
    assert _cross(data)[("risks",)] == (
        "must span technical, business, privacy or safety, and fairness; missing: business, privacy or safety, fairness"
    )


def test_cross_check_wants_no_todo_in_a_worked_preset() -> None:
    data = copy.deepcopy(_worked())
    data["problem"]["users"] = "TODO: later"
    assert _cross(data)[("problem", "users")] == "still holds a TODO marker"


def test_concept_tags_resolve_and_every_concept_is_used_twice() -> None:
    counts = {concept: 0 for concept in CONCEPTS_BY_ID}
    for preset_id in WORKED_PRESET_IDS:
        for tag in load_yaml(PRESETS_DIR / f"{preset_id}.yaml")["concepts"]:
            assert tag in CONCEPTS_BY_ID, f"{preset_id}: {tag}"
            counts[tag] += 1
    if len(WORKED_PRESET_IDS) < 33:
        pytest.skip("concept coverage is checked once all 33 presets exist")
    assert {c: n for c, n in counts.items() if n < 2} == {}


def _answer_sentences(value) -> set[str]:
    """Every sentence-sized piece of a preset's answer text, normalised."""
    if isinstance(value, str):
        pieces = re.split(r"(?<=[.;:])\s+", value.lower())
        return {" ".join(re.findall(r"[a-z0-9]+", p)) for p in pieces if len(p.split()) >= 4}
    if isinstance(value, dict):
        return set().union(*(_answer_sentences(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_answer_sentences(v) for v in value)) if value else set()
    return set()


def _shingles(value, blank_shingles: set) -> set:
    words = " ".join(sorted(_answer_sentences(value))).split()
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)} - blank_shingles


# Share of 5-word shingles two presets may have in common before one repeats the other.
MAX_OVERLAP = 0.02


def test_no_two_presets_repeat_each_other() -> None:
    blank = _shingles(load_yaml(PRESETS_DIR / "blank.yaml"), set())
    shingles = {i: _shingles(load_yaml(PRESETS_DIR / f"{i}.yaml"), blank) for i in WORKED_PRESET_IDS}
    worst = (0.0, "", "")
    for a, b in itertools.combinations(shingles, 2):
        overlap = len(shingles[a] & shingles[b]) / max(1, min(len(shingles[a]), len(shingles[b])))
        worst = max(worst, (overlap, a, b))
    print(f"closest pair: {worst[1]} and {worst[2]} share {worst[0]:.1%} of their 5-word shingles")
    assert worst[0] <= MAX_OVERLAP, f"{worst[1]} and {worst[2]} share {worst[0]:.1%} of their wording"
