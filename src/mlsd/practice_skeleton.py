"""The practice skeleton: a preset reduced to its question, prompts and guidance, none of its answers."""

from __future__ import annotations

from typing import Any

# The line that stands in for the preset's summary: the summary states the key idea.
PRACTICE_SUMMARY = "A practice repo: write your own design for this question, then grade it against the reference."
PRACTICE_FOCUS_WHY = "The interviewer will probe this step hardest, so it gets the most time."
ASSUMPTION_TODO = "TODO: the answer you will design for"


def practice_preset(preset: dict[str, Any], blank: dict[str, Any]) -> dict[str, Any]:
    """The preset's skeleton over the blank: its identity, questions and probe questions, no answers.

    What is kept says what to answer, never what the answer is: the clarifying
    questions without their assumptions, the interview's focus (it shapes the
    plan's minutes) and the probes' questions without the levelled answers.
    """
    skeleton = dict(blank)
    for key in ("id", "title", "category", "system_kind", "system_name"):
        skeleton[key] = preset[key]
    skeleton["summary"] = PRACTICE_SUMMARY
    skeleton["clarifying_questions"] = [
        {"question": q["question"], "assumption": ASSUMPTION_TODO} for q in preset["clarifying_questions"]
    ]
    interview = preset.get("interview")
    if isinstance(interview, dict):
        skeleton["interview"] = {
            # The focus and weights shape the minutes; the reason would name the key idea.
            "signal": {**interview["signal"], "why": PRACTICE_FOCUS_WHY},
            "probes": [{"question": p["question"], "kind": p["kind"], "step": p["step"]} for p in interview["probes"]],
        }
    return skeleton
