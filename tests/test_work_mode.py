"""Work mode: a design doc for a review at work, from any preset or the blank skeleton."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd import cli
from mlsd.cli import main
from mlsd.ml_test_score import GROUPS
from mlsd.answers import PURPOSES
from mlsd.work_mode import INTERVIEW_ONLY_FILES, SCORE_LINE_PREFIX, error_budget

RUNNER = CliRunner()
WORK_HEADINGS = (
    "### Context and current system",
    "### Goals and non-goals",
    "### Datasheet: ",
    "### Model card",
    "### Alternatives considered",
    "### Cost",
    "### Milestones",
    "### Operational readiness",
    "### ML production readiness",
    "### Migration and decommissioning",
    "### Security and privacy threat model",
    "### Open questions",
)
# Where each part belongs among the seven sections.
WORK_SECTIONS = {1: WORK_HEADINGS[0], 2: WORK_HEADINGS[1], 3: WORK_HEADINGS[2], 4: WORK_HEADINGS[3],
                 5: WORK_HEADINGS[4], 6: WORK_HEADINGS[5], 7: WORK_HEADINGS[10]}


def _new(tmp_path: Path, *args: str) -> Path:
    result = RUNNER.invoke(main, ["new", *args, "--purpose", "work", "--no-input", "-o", str(tmp_path), "--slug", "doc"])
    assert result.exit_code == 0, result.output
    return tmp_path / "doc"


@pytest.mark.parametrize(("availability", "minutes"), [(99.95, 21.6), (99.9, 43.2), (99.0, 432.0), (100.0, 0.0)])
def test_error_budget_is_the_allowed_downtime_over_30_days(availability: float, minutes: float) -> None:
    # (100 - 99.95)% of 30 d x 1,440 min/d = 0.0005 x 43,200 = 21.6 min
    assert error_budget(availability).minutes == pytest.approx(minutes)
    with pytest.raises(ValueError):
        error_budget(0)


def test_the_cli_repeats_the_purposes_of_the_library() -> None:
    assert cli.PURPOSES == PURPOSES


@pytest.mark.parametrize("preset_id", ["uber_eta", "model_serving_platform", None])
def test_work_mode_adds_the_review_parts_in_their_sections_and_drops_interview_files(tmp_path: Path, preset_id: str | None) -> None:
    repo = _new(tmp_path, *([preset_id] if preset_id else []))
    design = (repo / "DESIGN.md").read_text(encoding="utf-8")
    positions = [design.index(f"\n{heading}") for heading in WORK_HEADINGS]
    assert positions == sorted(positions)
    starts = [design.index(f"\n## {n}. ") for n in range(1, 8)] + [design.index("\n## References")]
    for number, heading in WORK_SECTIONS.items():
        assert starts[number - 1] < design.index(f"\n{heading}") < starts[number], heading
    for row in ("| Status | Draft |", "| Authors |", "| Reviewers |", "| Approvers |"):
        assert row in design
    assert design.count(" | not done |") == sum(len(t) for t in GROUPS.values())
    assert f"{SCORE_LINE_PREFIX} 0 (the lowest of Data 0, Model 0, Infrastructure 0, Monitoring 0)" in design
    for relative in INTERVIEW_ONLY_FILES:
        assert not (repo / relative).exists()
        assert relative not in (repo / "README.md").read_text(encoding="utf-8")
        assert relative not in (repo / "mkdocs.yml").read_text(encoding="utf-8")


def test_slos_carry_error_budgets_computed_from_availability(tmp_path: Path) -> None:
    design = (_new(tmp_path, "uber_eta") / "DESIGN.md").read_text(encoding="utf-8")
    rows = [line for line in design.splitlines() if line.startswith("| ") and "min/d = " in line]
    assert rows, "an availability requirement gets its error budget"
    for row in rows:
        percent, minutes = re.search(r"\(100% - ([\d.]+)%\) x 30 d x 1,440 min/d = ([\d,.]+) min", row).groups()
        assert float(minutes.replace(",", "")) == pytest.approx(error_budget(float(percent)).minutes, abs=0.05)


def _fill(design: Path) -> None:
    """Answer every TODO as an author would, and mark the rubric."""
    text = design.read_text(encoding="utf-8")
    text = re.sub(r"TODO: [^|\n]*", "Answered by the author.", text)
    text = text.replace("TODO", "Answered")
    for group in GROUPS:
        text = re.sub(rf"(\| {group} test \| Status \|\n\|---\|---\|\n)((?:\|[^\n]*\n)+)",
                      lambda m: m.group(1) + m.group(2).replace("| not done |", "| manual |"), text)
    text = re.sub(rf"{SCORE_LINE_PREFIX} 0 \(the lowest of [^)]*\)", f"{SCORE_LINE_PREFIX} 3.5 (every group 3.5)", text)
    design.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("preset_id", ["uber_eta", "feature_store"])
def test_a_filled_work_doc_passes_its_own_check(tmp_path: Path, preset_id: str) -> None:
    repo = _new(tmp_path, preset_id)
    _fill(repo / "DESIGN.md")
    result = RUNNER.invoke(main, ["check", str(repo)])
    assert result.exit_code == 0, result.output
    assert "completeness 100%" in result.output


def test_check_recomputes_the_ml_test_score_and_knows_the_lifecycle(tmp_path: Path) -> None:
    repo = _new(tmp_path, "uber_eta")
    _fill(repo / "DESIGN.md")
    design = repo / "DESIGN.md"
    text = design.read_text(encoding="utf-8")
    # Data tests 1 and 2 automated: Data = 5 x 0.5 + 2 x 1 = 4.5, but the lowest group is still 3.5.
    text = text.replace("| 1. Feature expectations are written down in a schema | manual |", "| 1. Feature expectations are written down in a schema | automated |")
    # Monitoring test 7 not done: Monitoring = 6 x 0.5 = 3, now the lowest.
    text = text.replace("| 7. Prediction quality on served data has not regressed | manual |", "| 7. Prediction quality on served data has not regressed | not done |")
    text = text.replace("| 6. Models are canaried before they serve all traffic | manual |", "| 6. Models are canaried before they serve all traffic | weekly |")
    text = text.replace("| Status | Draft |", "| Status | Done |")
    design.write_text(text, encoding="utf-8")
    result = RUNNER.invoke(main, ["check", str(repo)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.endswith("status 'Done' is not one of: draft, in review, approved, superseded") for line in lines)
    assert any(line.endswith("mark 'weekly' is not one of: automated, manual, not done") for line in lines)
    # 'weekly' counts as not done: Infrastructure = 6 x 0.5 = 3; Monitoring 3; the score is 3.
    assert any("the ML Test Score stated is 3.5, but the tables give 3 (the lowest of Data 4, Model 3.5, Infrastructure 3, Monitoring 3)" in line for line in lines)


def test_practice_does_not_go_with_work(tmp_path: Path) -> None:
    result = RUNNER.invoke(main, ["new", "uber_eta", "--practice", "--purpose", "work", "--no-input", "-o", str(tmp_path)])
    assert result.exit_code in (1, 2)
    assert "it does not go with --purpose work" in result.output
    assert list(tmp_path.iterdir()) == []


def test_plain_cookiecutter_offers_the_purpose(baked) -> None:
    repo = baked("tiktok_fyp", purpose="work")
    assert "### Model card" in (repo / "DESIGN.md").read_text(encoding="utf-8")
    assert not (repo / "docs" / "interview-plan.md").exists()
    assert "### Model card" not in (baked("tiktok_fyp") / "DESIGN.md").read_text(encoding="utf-8")


def test_a_repo_recorded_with_the_old_practice_answer_updates_as_practice(tmp_path: Path) -> None:
    result = RUNNER.invoke(main, ["new", "uber_eta", "--practice", "--no-input", "-o", str(tmp_path), "--slug", "p"])
    assert result.exit_code == 0, result.output
    repo = tmp_path / "p"
    record = json.loads((repo / ".cruft.json").read_text(encoding="utf-8"))
    answers = record["context"]["cookiecutter"]
    del answers["purpose"]
    answers["practice"] = True
    (repo / ".cruft.json").write_text(json.dumps(record), encoding="utf-8")
    before = (repo / "DESIGN.md").read_text(encoding="utf-8")
    assert RUNNER.invoke(main, ["update", str(repo)]).exit_code == 0
    assert (repo / "DESIGN.md").read_text(encoding="utf-8") == before  # still the practice skeleton


def test_update_keeps_work_mode(tmp_path: Path) -> None:
    repo = _new(tmp_path, "uber_eta")
    result = RUNNER.invoke(main, ["update", str(repo)])
    assert result.exit_code == 0 and result.output == "Already up to date.\n", result.output
    assert not (repo / "docs" / "concepts.md").exists()


@pytest.mark.parametrize(("args"), [("stripe_fraud_detection",), ("--no-guidance",)], ids=["preset", "blank-no-guidance"])
def test_work_docs_pass_lint_and_build_as_a_site(tmp_path: Path, args: tuple[str, ...]) -> None:
    from pymarkdown.api import PyMarkdownApi

    repo = _new(tmp_path, *args)
    api = PyMarkdownApi().configuration_file_path(str(repo / ".pymarkdown.yml")).enable_strict_configuration()
    failures = [f"{f.scan_file}:{f.line_number} {f.rule_id}" for t in ("README.md", "DESIGN.md", "docs")
                for f in api.scan_path(str(repo / t), recurse_if_directory=True).scan_failures]
    assert failures == []
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                           cwd=repo, capture_output=True, text=True, timeout=180)
    assert built.returncode == 0, built.stderr
