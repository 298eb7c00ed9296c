"""mlsd sync: derived files follow the tables in DESIGN.md; check names a stale one."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd.cli import main
from mlsd.derived_inputs import DERIVED_FILES, fingerprint, recorded_fingerprint

RUNNER = CliRunner()


def _digest(directory: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".mlsd" not in p.parts and str(p.relative_to(directory)) not in skip
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sync")
    made = {}
    for preset_id in ("tiktok_fyp", "blank"):
        slug = preset_id.replace("_", "-")
        args = ["new", *([preset_id] if preset_id != "blank" else []), "--no-input", "-o", str(out), "--slug", slug]
        result = RUNNER.invoke(main, args)
        assert result.exit_code == 0, result.output
        made[preset_id] = out / slug
    return made


@pytest.fixture
def repo(generated, tmp_path: Path, request) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(generated[getattr(request, "param", "tiktok_fyp")], target)
    return target


def _set_row(design: Path, label_start: str, value: str, basis: str | None = None) -> None:
    """Edit one row of a DESIGN.md table as a person would: its value, and its basis if given."""
    lines = design.read_text(encoding="utf-8").splitlines(True)
    for index, line in enumerate(lines):
        if not line.startswith(f"| {label_start}"):
            continue
        cells = [cell.strip() for cell in line.strip()[1:-1].split(" | ")]
        cells[1] = value
        if basis is not None:
            cells[3] = basis
        lines[index] = "| " + " | ".join(cells) + " |\n"
        design.write_text("".join(lines), encoding="utf-8")
        return
    raise AssertionError(f"no row starting {label_start!r}")


def test_a_fresh_repo_has_nothing_stale_and_sync_changes_nothing(repo: Path) -> None:
    before = _digest(repo)
    assert RUNNER.invoke(main, ["check", str(repo)]).output.count("run: mlsd sync") == 0
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 0, result.output
    assert result.output == "Derived files already match DESIGN.md.\n"
    assert _digest(repo) == before


def test_an_edited_table_makes_capacity_stale_until_sync(repo: Path) -> None:
    design = repo / "DESIGN.md"
    _set_row(design, "Actors per day", "1,200,000,000")
    stale = RUNNER.invoke(main, ["check", str(repo)])
    assert stale.exit_code == 1
    assert re.search(r"docs/capacity\.md:\d+: .*run: mlsd sync", stale.output), stale.output
    others = _digest(repo, skip=(*DERIVED_FILES, ".cruft.json"))
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 0, result.output
    assert "recomputed: docs/capacity.md" in result.output
    capacity = (repo / "docs" / "capacity.md").read_text(encoding="utf-8")
    # 1.2B users x 18.75 requests / 86,400 s x 2.5 = 651,042 requests/s at peak
    assert "651 k QPS" in capacity and "325.5 k QPS" not in capacity
    assert "651 k QPS" in (repo / "docs" / "interview-plan.md").read_text(encoding="utf-8")
    assert _digest(repo, skip=(*DERIVED_FILES, ".cruft.json")) == others  # DESIGN.md and the rest untouched
    assert "run: mlsd sync" not in RUNNER.invoke(main, ["check", str(repo)]).output
    answers = json.loads((repo / ".cruft.json").read_text(encoding="utf-8"))["context"]["cookiecutter"]
    assert json.loads(answers["_mlsd_overrides"])["workloads[0].inputs.actors.value"] == "1200000000"
    updated = RUNNER.invoke(main, ["update", str(repo)])
    assert updated.exit_code == 0 and "651 k QPS" in (repo / "docs" / "capacity.md").read_text(encoding="utf-8")


def test_an_edited_latency_step_moves_the_critical_path(repo: Path) -> None:
    design = repo / "DESIGN.md"
    text = design.read_text(encoding="utf-8")
    assert text.count("\n| Multitask ranker | 80 |\n") == 1  # its row in the budget table
    design.write_text(text.replace("\n| Multitask ranker | 80 |\n", "\n| Multitask ranker | 60 |\n"), encoding="utf-8")
    before = (repo / "docs" / "capacity.md").read_text(encoding="utf-8")
    assert RUNNER.invoke(main, ["sync", str(repo)]).exit_code == 0
    after = (repo / "docs" / "capacity.md").read_text(encoding="utf-8")
    old = int(re.search(r"critical path is [^=]*= ([\d,]+) ms", before).group(1).replace(",", ""))
    new = int(re.search(r"critical path is [^=]*= ([\d,]+) ms", after).group(1).replace(",", ""))
    assert new == old - 20  # the ranker's 80 ms became 60 ms on a serial path


@pytest.mark.parametrize("repo", ["blank"], indirect=True)
def test_a_filled_blank_skeleton_gets_its_capacity_computed(repo: Path) -> None:
    design = repo / "DESIGN.md"
    assert "TODO: fill in the inputs" in (repo / "docs" / "capacity.md").read_text(encoding="utf-8")
    for label, value in (("Actors per day", "2,000,000"), ("Requests per actor per day", "10"), ("Peak-to-average", "3")):
        _set_row(design, label, value, basis="Assumption: our own traffic logs, 2026.")
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 0, result.output
    capacity = (repo / "docs" / "capacity.md").read_text(encoding="utf-8")
    # 2M x 10 / 86,400 x 3 = 694.4 requests/s
    assert "694.4 QPS" in capacity


def test_a_value_that_is_not_a_number_is_one_line_and_writes_nothing(repo: Path) -> None:
    _set_row(repo / "DESIGN.md", "Actors per day", "lots")
    before = _digest(repo)
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 1
    assert re.fullmatch(r"Error: DESIGN\.md:\d+: 'lots' is not a number; write digits such as 1,200 or 0\.6\n", result.output)
    assert _digest(repo) == before


def test_sync_refuses_a_linked_docs_folder(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.move(str(repo / "docs"), str(outside))
    (repo / "docs").symlink_to(outside)
    _set_row(repo / "DESIGN.md", "Actors per day", "1,200,000,000")
    before = _digest(outside)
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 1 and "docs: is a symbolic link" in result.output
    assert _digest(outside) == before


def test_fingerprint_reads_back() -> None:
    line = f"<!-- mlsd:inputs {fingerprint(['1', '2'])} -->"
    assert recorded_fingerprint(f"# Title\n\nText.\n{line}\n") == (4, fingerprint(["1", "2"]))
    assert fingerprint(["1", "2"]) != fingerprint(["12"])


@pytest.mark.parametrize("purpose", ["interview", "work"])
def test_sync_writes_what_generation_with_the_recorded_answers_writes(tmp_path: Path, purpose: str) -> None:
    made = RUNNER.invoke(main, ["new", "uber_eta", "--no-input", "-o", str(tmp_path), "--slug", "eta", "--purpose", purpose])
    assert made.exit_code == 0, made.output
    repo = tmp_path / "eta"
    before = json.loads((repo / ".cruft.json").read_text(encoding="utf-8"))
    _set_row(repo / "DESIGN.md", "Actors per day", "31,000,000", basis="Uber reported about 31M trips a day, 2025.")
    result = RUNNER.invoke(main, ["sync", str(repo)])
    assert result.exit_code == 0, result.output
    after = json.loads((repo / ".cruft.json").read_text(encoding="utf-8"))
    assert after["commit"] == before["commit"]  # sync rewrites derived files, it does not move the repo's template
    # Generation from the answers sync recorded gives the same derived files, byte for byte, and the same base copies.
    from mlsd.answers import read_answers
    from mlsd.scaffold import generate, resolve
    from mlsd.update import regeneration

    fresh = generate(resolve(regeneration(repo, read_answers(repo), tmp_path / "fresh", None)))
    expected = [f for f in DERIVED_FILES if (fresh / f).exists()]
    assert len(expected) == (3 if purpose == "interview" else 1)
    for relative in expected:
        assert (repo / relative).read_bytes() == (fresh / relative).read_bytes(), relative
        assert (repo / ".mlsd" / "base" / relative).read_bytes() == (fresh / relative).read_bytes(), relative
    assert not (repo / "docs" / "concepts.md").exists() or purpose == "interview"
