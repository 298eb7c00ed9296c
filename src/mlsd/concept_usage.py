"""Which of the 25 key concepts a preset's own text names.

A concept the design names is one it uses, so its tag must say how; a
concept named only as a rejected option or a non-goal is not. Validation
reports the first mention of each named concept that is not tagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((concept.id, re.compile(concept.names, re.MULTILINE)) for concept in CONCEPTS)


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


def named_concepts(preset: dict[str, Any]) -> dict[str, tuple[FieldPath, str]]:
    """Concept id -> where the design's text first names it, and the words it uses."""
    found: dict[str, tuple[FieldPath, str]] = {}
    for path, text in _design_text(preset):
        for concept_id, pattern in _patterns():
            if concept_id not in found and (match := pattern.search(text)):
                found[concept_id] = (path, match.group(0))
    return found


def untagged_concept_issues(preset: dict[str, Any]) -> list[Issue]:
    """A concept the text names but the tags leave out, at the field that names it."""
    tagged = preset.get("concepts") or {}
    if not isinstance(tagged, dict):
        return []
    return [
        Issue(path, f"names {concept_id} ('{words}') but concepts: does not tag it; "
                    f"add concepts.{concept_id} with how this design uses it")
        for concept_id, (path, words) in named_concepts(preset).items()
        if concept_id not in tagged
    ]
