"""Which of the 25 key concepts a preset's own text names.

A concept the design names is one it uses, so its tag must say how; a
concept named only as a rejected option or a non-goal is not. Validation
reports the first mention of each named concept that is not tagged.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mlsd.concepts import CONCEPTS
from mlsd.schema import FieldPath, Issue

# Fields that are not the design's own text: the tags themselves, sources,
# interview coaching, and the names of the question and the system.
_OTHER_TOP_LEVEL = frozenset({"id", "title", "system_name", "concepts", "study", "references", "interview"})

# Fields that name what the design does not do: options weighed and not
# taken, non-goals, and modes marked not applicable.
_NOT_USED = (("scope", "out_of_scope"), ("model", "candidates"))


# Rollout stages name a concept by being taken, whatever their detail says.
_STAGE_CONCEPTS = {
    "shadow": "shadow_mode_testing",
    "canary": "canary_releases",
    "blue_green": "blue_green_deployment",
    "ab_test": "ab_testing",
}


@dataclass(frozen=True)
class _Phrase:
    needle: str  # what must occur in the text (lowercased unless exact)
    exact: bool  # matched as written, not in any case
    pattern: re.Pattern[str]


def _phrase(text: str) -> _Phrase:
    prefix = text.endswith("*")
    words = text.rstrip("*")
    exact = words != words.lower()
    pattern = re.compile(r"(?<!\w)" + re.escape(words) + ("" if prefix else r"(?!\w)"), 0 if exact else re.IGNORECASE)
    return _Phrase(words if exact else words.lower(), exact, pattern)


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, tuple[_Phrase, ...]], ...]:
    return tuple((concept.id, tuple(_phrase(name) for name in concept.names)) for concept in CONCEPTS)


def _not_used(path: FieldPath) -> bool:
    if path[:2] in _NOT_USED:
        return True
    return len(path) >= 3 and path[0] == "decisions" and path[2] == "options"


def _design_text(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        if "not_applicable" in value:
            return
        for key, item in value.items():
            if (not path and key in _OTHER_TOP_LEVEL) or _not_used((*path, key)):
                continue
            yield from _design_text(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _design_text(item, (*path, index))


def named_concepts(preset: dict[str, Any], skip: Collection[str] = ()) -> dict[str, tuple[FieldPath, str]]:
    """Concept id -> where the design's text first names it, and the words it uses.

    Concepts in ``skip`` are not looked for. A plain substring test on the
    whole text rules most phrases out before any pattern runs.
    """
    texts = list(_design_text(preset))
    whole = "\n".join(text for _, text in texts)
    lowered = whole.lower()
    found: dict[str, tuple[FieldPath, str]] = {}
    for index, stage in enumerate(_rollout_stages(preset)):
        concept_id = _STAGE_CONCEPTS.get(stage)
        if concept_id and concept_id not in skip and concept_id not in found:
            found[concept_id] = (("deployment", "experiment", "rollout", index, "stage"), stage)
    for concept_id, phrases in _phrases():
        if concept_id in skip or concept_id in found:
            continue
        present = [p for p in phrases if p.needle in (whole if p.exact else lowered)]
        if not present or not any(p.pattern.search(whole) for p in present):
            continue
        for path, text in texts:
            match = next((m for p in present if (m := p.pattern.search(text))), None)
            if match:
                found[concept_id] = (path, match.group(0))
                break
    return found


def _rollout_stages(preset: dict[str, Any]) -> list[str]:
    rollout = ((preset.get("deployment") or {}).get("experiment") or {}).get("rollout")
    if not isinstance(rollout, list):
        return []
    return [str(stage.get("stage", "")) if isinstance(stage, dict) else "" for stage in rollout]


def untagged_concept_issues(preset: dict[str, Any]) -> list[Issue]:
    """A concept the text names but the tags leave out, at the field that names it."""
    tagged = preset.get("concepts") or {}
    if not isinstance(tagged, dict):
        return []
    return [
        Issue(path, f"names {concept_id} ('{words}') but concepts: does not tag it; "
                    f"add concepts.{concept_id} with how this design uses it")
        for concept_id, (path, words) in named_concepts(preset, skip=tagged).items()
    ]
