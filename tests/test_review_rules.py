"""What a reviewer would catch: conflict markers, open questions, placeholders, TODOs under a
section heading, and completeness counted per part."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import line_of, replace_once
from mlsd.check import blank_placeholders, check_directory, conflict_findings, open_questions
from mlsd.cli import main
from mlsd.parts import parts
from mlsd.repo_files import UnsafePathError
from mlsd.sections import Line

RUNNER = CliRunner()


@pytest.fixture
def repo(editable_copy) -> Path:
    return editable_copy("uber_eta")


def _insert_after(path: Path, anchor: str, new: str) -> None:
    replace_once(path, anchor, anchor + new)


def _findings(repo: Path, rule: str) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.message) for f in check_directory(repo).findings if f.rule == rule]


# --------------------------------------------------------------------------- #
# Conflict markers
# --------------------------------------------------------------------------- #

CONFLICT = "\n<<<<<<< ours\nOur users.\n=======\nTheir users.\n>>>>>>> theirs\n"


def test_conflict_markers_in_design_docs_and_decisions(repo: Path) -> None:
    design = repo / "DESIGN.md"
    _insert_after(design, "\n### Users\n", CONFLICT)
    capacity = repo / "docs" / "capacity.md"
    _insert_after(capacity, "\n", "<<<<<<< HEAD\nold\n||||||| base\nbase\n=======\nnew\n>>>>>>> 1a2b3c\n")
    (record,) = sorted((repo / "docs" / "decisions").glob("0001-*.md"))
    _insert_after(record, "\n", "<<<<<<< ours\n=======\n>>>>>>> theirs\n")
    found = _findings(repo, "conflict")
    message = "merge conflict marker '{}': keep the right text and delete the markers"
    start = line_of(design, "<<<<<<< ours")
    assert found[:3] == [
        ("DESIGN.md", start, message.format("<<<<<<<")),
        ("DESIGN.md", start + 2, message.format("=======")),
        ("DESIGN.md", start + 4, message.format(">>>>>>>")),
    ]
    assert [(path, line) for path, line, _ in found[3:]] == [
        ("docs/capacity.md", 2), ("docs/capacity.md", 4), ("docs/capacity.md", 6), ("docs/capacity.md", 8),
        (f"docs/decisions/{record.name}", 2), (f"docs/decisions/{record.name}", 3), (f"docs/decisions/{record.name}", 4),
    ]
    result = RUNNER.invoke(main, ["check", str(repo)])
    assert result.exit_code == 1
    assert f"DESIGN.md:{start}: merge conflict marker '<<<<<<<'" in result.output


def test_seven_equals_signs_outside_a_conflict_are_a_heading_underline() -> None:
    assert conflict_findings("DESIGN.md", "Title\n=======\n\ntext\n") == []
    assert conflict_findings("DESIGN.md", "<<<<<<<< eight is not a marker\n") == []


# --------------------------------------------------------------------------- #
# Unresolved questions
# --------------------------------------------------------------------------- #

QUESTION = "\n<<[UNRESOLVED]>> Do riders see the estimate before they book?\n\nProduct and legal disagree.\n\n<<[END]>>\n"


def test_open_questions_are_counted_while_the_status_is_draft(repo: Path) -> None:
    design = repo / "DESIGN.md"
    _insert_after(design, "\n### Users\n", QUESTION)
    _insert_after(design, "\n### Business objective\n", "\n<<UNRESOLVED>> Which city first? <<END>>\n")
    report = check_directory(repo)
    assert report.unresolved == 2
    assert [f for f in report.findings if f.rule == "unresolved"] == []
    result = RUNNER.invoke(main, ["check", str(repo)])
    assert result.output.rstrip().endswith("; 2 unresolved questions")
    data = json.loads(RUNNER.invoke(main, ["check", str(repo), "--format", "json"]).output)
    assert data["unresolved_questions"] == 2
    # The paragraphs inside the question are not finished answers.
    assert next(s for s in report.scores if s.number == 1).percent < 100


@pytest.mark.parametrize(
    "status_line",
    ["| Status | Approved |", "| **Status** | approved (2026-11-30) |"],
)
def test_an_approved_document_refuses_open_questions(repo: Path, status_line: str) -> None:
    design = repo / "DESIGN.md"
    text = design.read_text(encoding="utf-8")
    assert "| Status | Draft |" in text
    design.write_text(text.replace("| Status | Draft |", status_line, 1), encoding="utf-8")
    _insert_after(design, "\n### Users\n", QUESTION)
    assert _findings(repo, "unresolved") == [
        (
            "DESIGN.md",
            line_of(design, "<<[UNRESOLVED]>>"),
            "unresolved question in an approved document: resolve it, or set the status back to in review",
        )
    ]


def test_a_status_line_outside_a_table(repo: Path) -> None:
    design = repo / "DESIGN.md"
    text = design.read_text(encoding="utf-8")
    design.write_text(text.replace("| Status | Draft |", "| Owner | Maps team |", 1).replace("\n", "\n\n**Status:** Approved\n", 1), encoding="utf-8")
    _insert_after(design, "\n### Users\n", QUESTION)
    assert [line for _, line, _ in _findings(repo, "unresolved")] == [line_of(design, "<<[UNRESOLVED]>>")]


def test_an_unclosed_question_is_a_finding_whatever_the_status(repo: Path) -> None:
    design = repo / "DESIGN.md"
    _insert_after(design, "\n### Users\n", "\n<<[UNRESOLVED]>> Who pays for the maps?\n")
    assert _findings(repo, "unresolved") == [
        ("DESIGN.md", line_of(design, "<<[UNRESOLVED]>>"), "unresolved question has no closing <<[END]>>")
    ]


def test_markers_quoted_or_in_guidance_are_not_questions() -> None:
    text = "Write `<<[UNRESOLVED]>>` to open one.\n<!-- <<[UNRESOLVED]>> in guidance <<[END]>> -->\n"
    assert open_questions("DESIGN.md", text) == []


# --------------------------------------------------------------------------- #
# Placeholders of the blank skeleton, TODO under a section heading
# --------------------------------------------------------------------------- #


def test_the_placeholders_come_from_the_blank_skeleton() -> None:
    placeholders = blank_placeholders()
    assert "Custom system (blank skeleton)" in placeholders
    assert "Every section with guidance and markers to replace, for a system of your own" in placeholders
    assert all("TODO" not in p for p in placeholders)


def test_a_blank_repo_reports_its_placeholder_text(baked) -> None:
    project = baked("blank")
    design = project / "DESIGN.md"
    found = _findings(project, "placeholder")
    assert ("DESIGN.md", line_of(design, "| Question | Custom system (blank skeleton) |"),
            "placeholder text from the blank skeleton: 'Custom system (blank skeleton)'; write this system's own") in found
    assert ("DESIGN.md", line_of(design, "Every section with guidance and markers"),
            "placeholder text from the blank skeleton: 'Every section with guidance and markers to replace, "
            "for a system of your own'; write this system's own") in found


def test_a_todo_directly_under_a_section_heading(repo: Path) -> None:
    design = repo / "DESIGN.md"
    _insert_after(design, "## 4. Model\n", "\nTODO: say why a model is needed at all\n")
    line = line_of(design, "TODO: say why a model")
    assert _findings(repo, "todo") == [("DESIGN.md", line, "4. Model: still holds a TODO marker under the section heading")]


# --------------------------------------------------------------------------- #
# Completeness per part, against hand-worked percentages
# --------------------------------------------------------------------------- #

HAND_WORKED = """\
# Fare estimate: ML system design

| | |
|---|---|
| Status | Draft |

## 1. Problem Statement

### Users

Riders who want a fair price.

### Metrics

| Level | Metric | Definition | Target |
|---|---|---|---|
| Business | Bookings | Booked rides per session | +1 % |
| Online | Acceptance | Share of quotes accepted | 40 % |
| Offline | MAE | Mean absolute fare error | 0.8 USD |
| Guardrail | Complaints | Fare complaints per 1,000 rides | TODO |

## 2. Scope & Requirements

### In scope

- Quotes for standard rides
- TODO: shared rides

Trade-offs:

- Accuracy before latency

## 3. Data

### Sources

### Schema

One row per completed ride,
with the quoted and the charged fare.

## 4. Model

### Baseline: gradient-boosted trees

Fast to train and easy to explain.

## 5. System Architecture

TODO: draw the diagram

### Components

- Quote service
- Feature store
- Model server

## 6. Deployment

### Rollout

```text
shadow, then a 5 % canary
```

- **Guardrails:**
    - p99 latency under 200 ms

## 7. Risks & Mitigations

| Risk | Detection | Mitigation |
|---|---|---|
| Stale traffic data | Feed age over 2 minutes pages on-call | Fall back to historical speeds |
| Surge misread as demand | Demand error over 20% for an hour | Cap the multiplier |
| Label leakage | Offline gain over 10% on a time split | Split by time |
| Cold start in a new city | MAE in the first month over twice the median | Borrow a similar city's model |
| Outage of the map provider | Route errors over 1% for 5 minutes | Cache routes for an hour |
| TODO: a fairness risk | TODO | TODO |
"""


def test_completeness_counts_rows_items_and_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "DESIGN.md").write_text(HAND_WORKED, encoding="utf-8")
    report = check_directory(tmp_path)
    # 1: 1 paragraph + 4 rows, one row TODO -> 4/5. 2: three items (the "Trade-offs:" lead-in is
    # not one), one TODO -> 2/3. 3: an empty subsection and a paragraph of two lines -> 1/2.
    # 4: one paragraph -> 1/1. 5: the TODO under the heading and three items -> 3/4.
    # 6: a code block and a nested item under a lead-in -> 2/2. 7: six rows, one TODO -> 5/6.
    assert [(s.number, s.complete, s.parts) for s in report.scores] == [
        (1, 4, 5), (2, 2, 3), (3, 1, 2), (4, 1, 1), (5, 3, 4), (6, 2, 2), (7, 5, 6)
    ]
    # 18 of 23 parts: 78.3 %.
    assert report.summary_line() == (
        "completeness 78%: 1. Problem Statement 80%, 2. Scope & Requirements 67%, 3. Data 50%, "
        "4. Model 100%, 5. System Architecture 75%, 6. Deployment 100%, 7. Risks & Mitigations 83%"
    )


def test_a_finding_about_a_whole_section_is_one_more_missing_part(tmp_path: Path) -> None:
    # Without a baseline subsection, section 4 gets a finding at its heading: 1 of 2 parts.
    text = HAND_WORKED.replace("### Baseline: gradient-boosted trees", "### Approach")
    (tmp_path / "DESIGN.md").write_text(text, encoding="utf-8")
    four = check_directory(tmp_path).scores[3]
    assert (four.complete, four.parts, four.percent) == (1, 2, 50)


def test_parts_of_one_subsection() -> None:
    body = [Line(n, t) for n, t in enumerate(
        ["", "| A | B |", "|---|---|", "| 1 | 2 |", "| 3 | 4 |", "", "- one", "  continued", "- two:",
         "    - nested", "", "Para one", "still one", "", "Recorded in [docs/decisions/x.md](docs/decisions/x.md)."],
        start=1,
    )]
    assert [(p.kind, sorted(p.numbers)) for p in parts(body)] == [
        ("row", [4]), ("row", [5]), ("item", [7, 8]), ("item", [10]), ("paragraph", [12, 13])
    ]


# --------------------------------------------------------------------------- #
# Every new pattern runs in linear time on a hostile line
# --------------------------------------------------------------------------- #

HOSTILE = [
    "<" * 40_000 + "x",
    "=" * 40_000 + "x",
    "|" * 40_000 + "x",
    "|" + " " * 40_000 + "x",
    "-" * 40_000 + "x",
    " " * 40_000 + "-",
    "<<[" * 20_000,
    "<<[UNRESOLVED" * 5_000,
    "`<<" * 20_000,
    "1" * 40_000 + ".",
]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_review_rules_take_linear_time(line: str) -> None:
    text = "\n".join([line] * 5)
    started = time.perf_counter()
    conflict_findings("DESIGN.md", text)
    open_questions("DESIGN.md", text)
    parts([Line(n, line) for n in range(1, 6)])
    # Quadratic matching of a 40,000-character line takes minutes; linear, milliseconds.
    assert time.perf_counter() - started < 5


def test_review_rules_read_no_symbolic_link(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("<<<<<<< ours\n=======\n>>>>>>> theirs\n<<[UNRESOLVED]>>\n", encoding="utf-8")
    for link in (repo / "docs" / "linked.md", repo / "docs" / "decisions" / "0099-linked.md"):
        link.symlink_to(outside)
        # A link among the documents is refused in one line, never read.
        with pytest.raises(UnsafePathError, match=f"{link.name}: is a symbolic link"):
            check_directory(repo)
        link.unlink()
