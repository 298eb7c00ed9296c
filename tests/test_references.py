"""Prose that names figures: ${name} renders as capacity.md shows it, and follows --set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PRESETS_DIR, load_yaml
from mlsd.cli import main
from mlsd.references import REFERENCE, figure_texts, reference_issues, resolve_references
from mlsd.scaffold import catalogue

RUNNER = CliRunner()


def _texts(repo: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(repo.rglob("*.md")) if ".mlsd" not in p.parts)


def test_a_reference_renders_as_capacity_md_shows_the_figure() -> None:
    preset = catalogue().load("tiktok_fyp")
    texts = figure_texts(preset)
    resolved = resolve_references({**preset, "summary": "Peak ${feed.peak_qps}; ${latency.critical_path_ms} path."})
    assert resolved["summary"] == f"Peak {texts['feed.peak_qps']}; {texts['latency.critical_path_ms']} path."
    # 600M daily users x 18.75 requests / 86,400 s x 2.5 = 325,521 requests/s at peak
    assert texts["feed.peak_qps"] == "325.5 k QPS"


def test_an_unknown_name_is_an_error_with_file_line_and_field(tmp_path: Path) -> None:
    data = load_yaml(PRESETS_DIR / "tiktok_fyp.yaml")
    data["id"] = "team_refs"
    data["problem"]["users"] = "Viewers, about ${feed.actor} of them."
    path = tmp_path / "team_refs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = RUNNER.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "${feed.actor}" in l)
    assert re.match(r".*team_refs\.yaml:\d+: problem\.users: refers to '\$\{feed\.actor\}', which names no input or figure; did you mean \$\{feed\.actors\}", line)


def test_reference_issues_lists_every_unknown_name() -> None:
    preset = {"workloads": [], "problem": {"users": "${a.b} and ${c.d}"}, "scale": {}}
    assert [i.message.split("'")[1] for i in reference_issues(preset, {})] == ["${a.b}", "${c.d}"]


@pytest.mark.parametrize("preset_id", ["tiktok_fyp"])
def test_set_on_an_input_changes_every_mention(tmp_path: Path, preset_id: str) -> None:
    base = RUNNER.invoke(main, ["new", preset_id, "--no-input", "-o", str(tmp_path), "--slug", "base"])
    doubled = RUNNER.invoke(
        main, ["new", preset_id, "--no-input", "-o", str(tmp_path), "--slug", "doubled",
               "--set", "workloads[0].inputs.actors.value=1200000000"]
    )
    assert base.exit_code == 0 and doubled.exit_code == 0, doubled.output
    before, after = _texts(tmp_path / "base"), _texts(tmp_path / "doubled")
    # 1.2B x 18.75 / 86,400 x 2.5 = 651,042 requests/s: twice 325,521
    assert "325.5 k QPS" in before and "651 k QPS" in after
    assert "11.2 billion requests/day" in before and "22.5 billion requests/day" in after
    for old in ("600,000,000", "600M", "325.5 k QPS", "325k", "326k", "11.2 billion", "11.25B"):
        assert old not in after, old
    capacity = (tmp_path / "doubled" / "docs" / "capacity.md").read_text(encoding="utf-8")
    assert "651 k QPS" in capacity


def test_references_stay_in_the_data_and_resolve_in_every_preset() -> None:
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        preset = catalogue().load(path.stem)
        assert reference_issues(preset) == [], path.stem
        rendered = resolve_references(preset)
        leftovers = [m.group(0) for m in REFERENCE.finditer(str(rendered))]
        assert leftovers == [], path.stem
