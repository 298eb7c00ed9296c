"""cookiecutter.json, generated from the presets so the prompt never drifts from them.

Regenerate it after adding or renaming a preset::

    python -m mlsd.prompt_file            # rewrite cookiecutter.json
    python -m mlsd.prompt_file --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mlsd.answers import PURPOSES
from mlsd.figures.kinds import KINDS
from mlsd.figures.skeleton import DEFAULT_KINDS
from mlsd.interview import DEFAULT_INTERVIEW_MINUTES, INTERVIEW_LENGTHS
from mlsd.presets import BLANK_ID, PresetCatalogue, PresetSummary
from mlsd.schema import CATEGORIES

EXTENSION = "mlsd_cookiecutter_bridge.MlsdExtension"

PROMPTS = {
    "preset": "Which system are you designing?",
    "purpose": "What is the document for?",
    "system_name": "System name (shown in the documents)",
    "system_slug": "Directory name for the design repo",
    "interview_minutes": "Interview length in minutes, for the interview plan",
    "guidance": "Include writing guidance as HTML comments in the documents?",
    "workload_kinds": "For a custom system, its workload kinds, comma-separated ("
    + ", ".join(KINDS)
    + "); a preset has its own",
}


def choice_label(summary: PresetSummary) -> str:
    """The label a person reads at the preset prompt."""
    if summary.id == BLANK_ID:
        return "Custom system: a blank skeleton with guidance"
    category = summary.category if summary.category in CATEGORIES else "custom"
    return f"{summary.title} ({category})"


def build(catalogue: PresetCatalogue) -> dict[str, Any]:
    """The whole cookiecutter.json content, blank skeleton first."""
    summaries = catalogue.summaries()
    preset_prompt: dict[str, str] = {"__prompt__": PROMPTS["preset"]}
    preset_prompt.update({s.id: choice_label(s) for s in summaries})
    return {
        "preset": [s.id for s in summaries],
        "purpose": list(PURPOSES),
        "system_name": "{{ cookiecutter.preset | mlsd_default_name }}",
        "system_slug": "{{ cookiecutter.system_name | mlsd_slug }}",
        # cookiecutter takes the first choice as the default.
        "interview_minutes": [str(DEFAULT_INTERVIEW_MINUTES)]
        + [str(m) for m in INTERVIEW_LENGTHS if m != DEFAULT_INTERVIEW_MINUTES],
        "guidance": True,
        "workload_kinds": ",".join(DEFAULT_KINDS),
        # Set by mlsd for a team's preset file and --set overrides; never prompted.
        "_mlsd_preset_file": "",
        "_mlsd_overrides": "",
        "_extensions": [EXTENSION],
        "__prompts__": {
            "preset": preset_prompt,
            "purpose": {
                "__prompt__": PROMPTS["purpose"],
                "interview": "Interview study: the worked design, with the plan and the concepts",
                "practice": "Interview practice: the preset's questions and guidance, its answers hidden",
                "work": "A design doc at work: review status, cost, readiness, model card; no interview files",
            },
            "system_name": PROMPTS["system_name"],
            "system_slug": PROMPTS["system_slug"],
            "interview_minutes": PROMPTS["interview_minutes"],
            "guidance": PROMPTS["guidance"],
            "workload_kinds": PROMPTS["workload_kinds"],
        },
    }


def render(catalogue: PresetCatalogue) -> str:
    return json.dumps(build(catalogue), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    from mlsd.scaffold import template_root

    parser = argparse.ArgumentParser(description="Regenerate cookiecutter.json from presets/.")
    parser.add_argument("--check", action="store_true", help="only report whether it is up to date")
    args = parser.parse_args(argv)
    root = template_root()
    target = root / "cookiecutter.json"
    wanted = render(PresetCatalogue([root / "presets"]))
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{target}: out of date; run: python -m mlsd.prompt_file", file=sys.stderr)
            return 1
        print(f"{target}: up to date")
        return 0
    Path(target).write_text(wanted, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
