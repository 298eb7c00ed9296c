"""Concept tags tell the truth: what the text names is tagged, and the study list is chosen with reasons."""

from __future__ import annotations

import copy
import re

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.concept_usage import named_concepts, untagged_concept_issues
from mlsd.concepts import CONCEPTS, CONCEPTS_BY_ID
from mlsd.presets import cross_check


def _minimal(**fields) -> dict:
    preset = {"id": "x", "concepts": {}, "scope": {"in_scope": [], "out_of_scope": []}, "model": {}}
    preset.update(fields)
    return preset


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Roll out through a 1% canary, then 10%.", "canary_releases"),
        ("Scores run in shadow for a week.", "shadow_mode_testing"),
        ("An HNSW index over 40M vectors.", "vector_databases"),
        ("Retrieval-augmented answers cite the help centre.", "rag"),
        ("Serve the INT8 build on tier C phones.", "model_compression"),
        ("A two-tower model retrieves 500 candidates.", "embedding_based_retrieval"),
        ("Hourly PSI per feature.", "data_drift_detection"),
    ],
)
def test_a_named_concept_is_found_with_the_words_that_name_it(text: str, concept: str) -> None:
    found = named_concepts(_minimal(summary=text))
    assert concept in found
    assert found[concept][0] == ("summary",)
    assert found[concept][1] in text


@pytest.mark.parametrize(
    "text",
    [
        "The shadow of a building darkens the frame.",  # a shadow, not shadow testing
        "Drop columns with a PSIcode prefix.",
        "The ranker sees all candidates at once.",
    ],
)
def test_words_that_only_look_like_a_concept_do_not_name_it(text: str) -> None:
    assert named_concepts(_minimal(summary=text)) == {}


def test_options_not_taken_non_goals_and_not_applicable_modes_do_not_count() -> None:
    preset = _minimal(
        scope={"in_scope": ["Ranking"], "out_of_scope": ["A feature store rebuild"]},
        model={"candidates": [{"name": "Contextual bandit", "description": "Thompson sampling over rows"}]},
        decisions=[{"options": ["Federated learning on phones", "Server training"], "chosen": "Server training"}],
        deployment={"serving": {"edge": {"not_applicable": "No on-device inference: phones only display."}}},
        interview={"probes": [{"question": "Why no canary?"}]},
        references=[{"title": "Deep RAG survey"}],
    )
    assert named_concepts(preset) == {}


def test_a_rollout_stage_names_its_concept_whatever_its_detail_says() -> None:
    preset = _minimal(deployment={"experiment": {"rollout": [{"stage": "shadow", "detail": "Score live requests for a week."}]}})
    assert named_concepts(preset) == {"shadow_mode_testing": (("deployment", "experiment", "rollout", 0, "stage"), "shadow")}


def test_an_acronym_names_its_concept_only_as_written() -> None:
    assert "multimodal" in named_concepts(_minimal(summary="CLIP embeds the photo."))
    assert named_concepts(_minimal(summary="Each clip is 15 s long.")) == {}
    assert "model_compression" in named_concepts(_minimal(summary="Quantised to INT8 weights."))


def test_an_untagged_named_concept_is_reported_at_its_field_and_a_tag_clears_it() -> None:
    preset = _minimal(deployment={"experiment": {"rollout": [{"stage": "canary", "detail": "1% for a day"}]}})
    issues = untagged_concept_issues(preset)
    assert [(i.path, i.message) for i in issues] == [
        (("deployment", "experiment", "rollout", 0, "stage"),
         "names canary_releases ('canary') but concepts: does not tag it; "
         "add concepts.canary_releases with how this design uses it")
    ]
    preset["concepts"]["canary_releases"] = "1% of traffic for a day before the ramp."
    assert untagged_concept_issues(preset) == []


def test_every_concept_is_found_by_its_own_label() -> None:
    for concept in CONCEPTS:
        assert concept.id in named_concepts(_minimal(summary=f"This design uses {concept.label}.")), concept.id


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_a_concept_the_design_names_is_never_left_unticked(preset_id: str) -> None:
    preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    assert [f"{'.'.join(map(str, i.path))}: {i.message}" for i in untagged_concept_issues(preset)] == []


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_the_study_list_is_chosen_for_the_question_with_reasons(preset_id: str) -> None:
    preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    study = preset.get("study") or {}
    assert 3 <= len(study) <= 10, "study lists the few untagged concepts this question can lead to"
    assert not set(study) & set(preset["concepts"])
    assert set(study) <= set(CONCEPTS_BY_ID)
    for concept_id, why in study.items():
        assert len(why.split()) >= 8, f"{concept_id}: say why this question leads to it"


def test_study_rejects_unknown_and_tagged_concepts() -> None:
    preset = copy.deepcopy(load_yaml(PRESETS_DIR / "tiktok_fyp.yaml"))
    tagged = next(iter(preset["concepts"]))
    preset["study"] = {tagged: "already used", "vector_database": "a typo"}
    messages = {i.path: i.message for i in cross_check(preset)}
    assert messages[("study", tagged)] == f"'{tagged}' is tagged under concepts:; study lists only concepts the design does not use"
    assert messages[("study", "vector_database")] == "unknown concept 'vector_database'; did you mean 'vector_databases'?"


def test_concepts_page_lists_the_study_list_with_why(baked) -> None:
    preset = load_yaml(PRESETS_DIR / "pinterest_visual_search.yaml")
    text = (baked("pinterest_visual_search") / "docs" / "concepts.md").read_text(encoding="utf-8")
    open_ = re.findall(r"^- \[ \] \*\*(.+?):\*\* .* Why here: (.+)$", text, flags=re.M)
    assert [label for label, _ in open_] == [c.label for c in CONCEPTS if c.id in preset["study"]]
    assert "Retrieval-augmented generation" not in text or "rag" in preset["study"]
