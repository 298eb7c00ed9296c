"""Every preset and the blank skeleton, baked through cookiecutter by pytest-cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PRESET_FILES, PRESET_IDS, PRESETS_DIR as ROOT_PRESETS, load_yaml
from mlsd.derived_inputs import FINGERPRINT_PREFIX

SECTION_HEADINGS = [
    "## 1. Problem Statement",
    "## 2. Scope & Requirements",
    "## 3. Data",
    "## 4. Model",
    "## 5. System Architecture",
    "## 6. Deployment",
    "## 7. Risks & Mitigations",
]
FIXED_FILES = {
    ".cruft.json",
    ".gitattributes",
    ".gitignore",
    ".github/workflows/design-check.yml",
    ".pre-commit-config.yaml",
    ".pymarkdown.yml",
    ".markdownlint.yaml",
    ".markdownlintignore",
    "mkdocs.yml",
    "mkdocs_hooks.py",
    "README.md",
    "DESIGN.md",
    "docs/capacity.md",
    "docs/interview-plan.md",
    "docs/interviewer.md",
    "docs/concepts.md",
}


def check_files(project: Path, preset: dict) -> None:
    """The fixed files, plus one decision record per decision named after its title."""
    files = _files(project)
    records = sorted(f for f in files if f.startswith("docs/decisions/"))
    assert files - set(records) == FIXED_FILES
    assert len(records) == len(preset["decisions"])
    for number, (record, decision) in enumerate(zip(records, preset["decisions"]), start=1):
        full_slug = re.sub(r"[^a-z0-9]+", "-", decision["title"].lower()).strip("-")
        stem = record.removeprefix("docs/decisions/").removesuffix(".md")
        assert stem.startswith(f"{number:04d}-")
        assert full_slug.startswith(stem[5:]) and len(stem[5:]) >= min(len(full_slug), 20)


def _files(project: Path) -> set[str]:
    """Generated files, without the .mlsd/base copy (checked on its own)."""
    return {
        p.relative_to(project).as_posix()
        for p in project.rglob("*")
        if p.is_file() and p.relative_to(project).parts[0] != ".mlsd"
    }


def _normal(text: str) -> str:
    return " ".join(str(text).split())


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_bake_gives_the_expected_repo(baked, preset_file: Path) -> None:
    preset = load_yaml(preset_file)
    project = baked(preset_file.stem)

    assert project.name == re.sub(r"[^a-z0-9]+", "-", preset["system_name"].lower()).strip("-")
    check_files(project, preset)
    base = project / ".mlsd" / "base"
    assert {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()} == _files(project) - {".cruft.json"}
    for path in project.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text and "{%" not in text, f"unrendered Jinja in {path.name}"
            assert "\n\n\n" not in text, f"double blank line in {path.name}"

    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    headings = [line for line in design.splitlines() if line.startswith("## ") and line[3].isdigit()]
    assert headings == SECTION_HEADINGS
    assert design.startswith(f"# {preset['system_name']}: ML system design\n")


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_design_shows_the_presets_own_content(baked, preset_file: Path) -> None:
    from mlsd.references import resolve_references

    # Prose that names a figure (${name}) shows the figure's text instead.
    preset = resolve_references(load_yaml(preset_file))
    design = _normal((baked(preset_file.stem) / "DESIGN.md").read_text(encoding="utf-8"))

    expected = [
        preset["problem"]["business_objective"],
        preset["formulation"]["label"]["delay"],
        preset["model"]["baseline"]["name"],
        preset["model"]["choice"],
        preset["deployment"]["experiment"]["hypothesis"],
        *[q["question"] for q in preset["clarifying_questions"]],
        *[r["name"] for r in preset["scope"]["non_functional_requirements"]],
        *[f["name"] for f in preset["model"]["features"]],
        *[c["tech"] for c in preset["architecture"]["components"]],
        *[a["path"] for a in preset["architecture"]["apis"]],
        *[r["mitigation"] for r in preset["risks"]],
        *[d["title"] for d in preset["decisions"]],
        *[r["title"] for r in preset["references"]],
    ]
    missing = [text for text in expected if _normal(text) not in design]
    assert not missing, f"{preset_file.name}: not in DESIGN.md: {missing[:3]}"


def test_blank_marks_every_section_todo_and_guides_it(baked) -> None:
    project = baked("blank")
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    sections = [part for part in design.split("\n## ") if part[:1].isdigit()]
    assert len(sections) == 7
    for section in sections:
        assert "TODO" in section, section.splitlines()[0]
        assert "<!-- Guidance:" in section, section.splitlines()[0]
    for heading in SECTION_HEADINGS:
        assert f"[{heading[3:]}](DESIGN.md#" in readme


@pytest.mark.parametrize("preset_id", ["blank", "stripe_fraud_detection"])
def test_guidance_switched_off_leaves_no_comment(baked, preset_id: str) -> None:
    if preset_id not in PRESET_IDS:
        pytest.skip(f"{preset_id} not written yet")
    project = baked(preset_id, guidance=False)
    for path in project.rglob("*.md"):
        # The inputs fingerprint that ends a derived file is a comment too, but no guidance.
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(FINGERPRINT_PREFIX))
        assert "<!--" not in text, path.name


def test_worked_preset_readme_lists_no_todo_section(baked) -> None:
    worked = [i for i in PRESET_IDS if i != "blank"]
    if not worked:
        pytest.skip("no worked preset yet")
    readme = (baked(worked[0]) / "README.md").read_text(encoding="utf-8")
    assert "None: every section has a first draft." in readme
    assert "](DESIGN.md#" not in readme.split("## Sections still to write")[1]


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_interview_plan_clock_sums_exactly(baked, preset_file: Path) -> None:
    # The default length, so the bake is shared with the other tests; tests/test_coaching.py
    # sums every length for every preset in-process.
    plan = (baked(preset_file.stem) / "docs" / "interview-plan.md").read_text(encoding="utf-8")
    table = plan.split("| Part | Minutes | Clock |")[1].split("| **Total** |")[0]
    rows = re.findall(r"^\| ([^|]+) \| (\d+) \| (\d+) to (\d+) \|$", table, flags=re.M)
    assert [r[0] for r in rows][0] == "Introduction" and rows[-1][0] == "Interviewer's deep dive"
    assert [r[0][:2] for r in rows[1:-1]] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert sum(int(r[1]) for r in rows) == 45
    assert all(rows[i][3] == rows[i + 1][2] for i in range(len(rows) - 1))
    assert rows[0][2] == "0" and rows[-1][3] == "45"
    headings = re.findall(r"^## (?:\d\. )?.+ \((\d+) min\)$", plan, flags=re.M)
    assert sum(map(int, headings)) == 45
    assert "## Whiteboard card" in plan and "## Summary card" in plan


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_decision_records_have_valid_front_matter(baked, preset_file: Path) -> None:
    import yaml

    preset = load_yaml(preset_file)
    records = sorted((baked(preset_file.stem) / "docs" / "decisions").glob("*.md"))
    assert len(records) == len(preset["decisions"])
    for record, decision in zip(records, preset["decisions"]):
        text = record.read_text(encoding="utf-8")
        assert text.startswith("---\n")
        front, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(front)
        assert meta["status"] in {"proposed", "accepted", "rejected", "deprecated"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["date"]))
        for heading in ("## Context and Problem Statement", "## Considered Options", "## Decision Outcome", "### Consequences"):
            assert heading in body
        assert f'Chosen option: "{_normal(decision["chosen"])}"' in body


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_concepts_list_the_tagged_then_the_study_list(baked, preset_file: Path) -> None:
    from mlsd.concepts import CONCEPTS

    preset = load_yaml(preset_file)
    text = (baked(preset_file.stem) / "docs" / "concepts.md").read_text(encoding="utf-8")
    ticked = re.findall(r"^- \[x\] \*\*(.+?)\*\*", text, flags=re.M)
    open_ = re.findall(r"^- \[ \] \*\*(.+?):\*\*", text, flags=re.M)
    labels = {c.id: c.label for c in CONCEPTS}
    assert ticked == [labels[c] for c in preset["concepts"]]
    study = preset.get("study") or {c for c in labels if c not in preset["concepts"]}
    assert sorted(open_) == sorted(labels[c] for c in study)


# About two minutes of speech at 150 to 170 words a minute.
GLANCE_WORD_LIMIT = 340


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_design_opens_with_a_two_minute_summary_that_links_to_its_depth(baked, preset_file: Path) -> None:
    from mlsd.markdown import anchor

    preset = load_yaml(preset_file)
    project = baked(preset_file.stem)
    text = (project / "DESIGN.md").read_text(encoding="utf-8")
    assert text.index("## At a glance") < text.index("## Contents") < text.index(SECTION_HEADINGS[0])
    glance = text[text.index("## At a glance") : text.index("## Contents")]
    glance = re.sub(r"<!--.*?-->", "", glance, flags=re.S)
    links = re.findall(r"\]\(([^)]+)\)", glance)
    spoken = re.sub(r"\(\[[^]]*\]\([^)]+\)\)", "", glance)
    assert len(spoken.split()) <= GLANCE_WORD_LIMIT
    anchors = {anchor(h.removeprefix("## ")) for h in SECTION_HEADINGS}
    for link in links:
        if link.startswith("#"):
            assert link[1:] in anchors, link
        else:
            assert (project / link).is_file(), link
    for decision in preset["decisions"]:
        assert decision["chosen"].split()[0] in glance
    assert sum(1 for link in links if link.startswith("docs/decisions/")) == len(preset["decisions"])


def test_components_table_marks_published_technology_and_stand_ins(baked) -> None:
    preset = load_yaml(ROOT_PRESETS / "uber_eta.yaml")
    text = (baked("uber_eta") / "DESIGN.md").read_text(encoding="utf-8")
    rows = text.split("### Components")[1].split("\n\n")[1].splitlines()[2:]
    for component, row in zip(preset["architecture"]["components"], rows):
        mark = {"published": " (published) |", "stand_in": " (stand-in) |"}.get(component.get("stack"), f"{component['tech']} |")
        assert row.endswith(mark), row
    if any(c.get("stack") in ("published", "stand_in") for c in preset["architecture"]["components"]):
        assert "Stand-in: an open-source or generic equivalent" in text
