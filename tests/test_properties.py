"""Property-based tests: any name and any field text either generates clean Markdown or fails cleanly."""

from __future__ import annotations

import copy
import os
import re
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PRESETS_DIR, load_yaml
from markdown_checks import problems
from mlsd.cli import main
from mlsd.diagram import flowchart, label

# CI: a fixed seed and a bounded budget; locally HYPOTHESIS_PROFILE=dev explores more.
settings.register_profile(
    "ci", derandomize=True, max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RUNNER = CliRunner()
# Text as people type it, including the characters Markdown and Jinja care about.
PIECES = ["#", "|", "`", "<", ">", "-", "*", "{{", "{%", "```", "<!--", "-->", "\n", "1. ", "> ", "\\", '"', "'"]
TEXT = st.lists(
    st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), st.sampled_from(PIECES)),
    max_size=8,
).map("".join)


def _markdown_problems(project: Path) -> list[str]:
    found = []
    for path in sorted(project.rglob("*.md")):
        if ".mlsd" in path.parts:
            continue
        found += [f"{path.relative_to(project)}: {p}" for p in problems(path.read_text(encoding="utf-8"))]
    return found


@given(name=TEXT)
@settings(max_examples=10)
def test_any_name_generates_or_fails_cleanly(name: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        result = RUNNER.invoke(main, ["new", "-o", out, "--no-input", "--name", name, "--slug", "doc"])
        if result.exit_code != 0:
            assert result.exit_code == 2, result.output
            assert result.output.strip().splitlines()[-1].startswith("Error: the system name")
            assert os.listdir(out) == []
            return
        project = Path(out) / "doc"
        assert _markdown_problems(project) == []
        first = (project / "DESIGN.md").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith(": ML system design")


@given(users=TEXT.filter(lambda t: t.strip()), risk=TEXT.filter(lambda t: t.strip()), tech=TEXT.filter(lambda t: t.strip()))
@settings(max_examples=6)
def test_any_field_text_keeps_the_markdown_well_formed(users: str, risk: str, tech: str) -> None:
    data = copy.deepcopy(load_yaml(PRESETS_DIR / "uber_eta.yaml"))
    data["id"] = "prop_preset"
    data["problem"]["users"] = users
    data["risks"][0]["risk"] = risk
    data["architecture"]["components"][0]["tech"] = tech
    with tempfile.TemporaryDirectory() as out:
        preset = Path(out) / "prop_preset.yaml"
        preset.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        result = RUNNER.invoke(main, ["new", "--preset-file", str(preset), "-o", out, "--no-input", "--slug", "doc"])
        assert result.exit_code == 0, result.output
        assert _markdown_problems(Path(out) / "doc") == []


NODE = re.compile(r'^    c_[a-z0-9_]+\["[^"\n]*"\]$')
EDGE = re.compile(r'^  c_[a-z0-9_]+ -->\|"[^"|\n]*"\| c_[a-z0-9_]+$')


@given(names=st.lists(TEXT, min_size=2, max_size=4), carries=TEXT)
def test_mermaid_labels_stay_valid_for_any_string(names: list[str], carries: str) -> None:
    components = [
        {"id": f"n{i}", "name": name, "tech": name[::-1], "path": ("online", "offline")[i % 2]}
        for i, name in enumerate(names)
    ]
    text = flowchart(components, [{"from": "n0", "to": "n1", "carries": carries}])
    for line in text.splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("subgraph") or stripped == "end":
            continue
        assert NODE.match(line) or EDGE.match(line), line
    assert "\n" not in label(carries)
