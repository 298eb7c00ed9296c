"""cookiecutter.json agrees with presets/ and is what the generator writes."""

from __future__ import annotations

import json

from conftest import PRESET_IDS, PRESETS_DIR, ROOT, load_yaml
from mlsd.presets import PresetCatalogue
from mlsd.prompt_file import main, render


def test_cookiecutter_json_is_up_to_date() -> None:
    current = (ROOT / "cookiecutter.json").read_text(encoding="utf-8")
    assert current == render(PresetCatalogue([PRESETS_DIR])), "stale: run python -m mlsd.prompt_file"


def test_choice_list_is_exactly_the_preset_files_blank_first() -> None:
    context = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    choices = context["preset"]
    assert choices[0] == "blank"
    assert sorted(choices) == sorted(PRESET_IDS)
    labels = context["__prompts__"]["preset"]
    assert set(labels) - {"__prompt__"} == set(choices)
    for preset_id in choices[1:]:
        preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
        assert labels[preset_id] == f"{preset['title']} ({preset['category']})"


def test_choices_are_grouped_by_category() -> None:
    choices = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))["preset"]
    categories = [load_yaml(PRESETS_DIR / f"{i}.yaml")["category"] for i in choices]
    seen: list[str] = []
    for category in categories:
        if not seen or seen[-1] != category:
            assert category not in seen, f"{category} appears in two runs"
            seen.append(category)


def test_at_most_seven_prompts() -> None:
    # Six questions about the repo, and one about a custom system's workload kinds.
    context = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    assert len([k for k in context if not k.startswith("_")]) <= 7
    assert context["workload_kinds"] == "online_service"


def test_check_mode_reports_without_writing(capsys) -> None:
    assert main(["--check"]) == 0
    assert capsys.readouterr().out.endswith("up to date\n")
