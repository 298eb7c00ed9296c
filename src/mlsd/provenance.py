"""Each scale figure says where it comes from: a public figure with its year, or an assumption.

A candidate quoting a preset's number needs to know which it is, and an
engineer reviewing a design needs to know which numbers to check. A basis
passes when it cites a year (a public figure, whose source it names), says
it is assumed, or says it is derived from other figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mlsd.schema import FieldPath, Issue

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ASSUMED = re.compile(r"\bassum", re.IGNORECASE)
_DERIVED = re.compile(r"\b(?:derived|computed) from\b", re.IGNORECASE)

MESSAGE = "basis neither cites a source with its year nor says it is an assumption; cite both, or begin it with 'Assumption:'"


def _scale_bases(preset: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    for index, workload in enumerate(preset.get("workloads") or []):
        if not isinstance(workload, dict):
            continue
        for group in ("inputs", "limits"):
            for key, item in (workload.get(group) or {}).items():
                if isinstance(item, dict) and isinstance(item.get("basis"), str):
                    yield ("workloads", index, group, key, "basis"), item["basis"]
    p99 = ((preset.get("scale") or {}).get("serving") or {}).get("p99_latency_ms")
    if isinstance(p99, dict) and isinstance(p99.get("basis"), str):
        yield ("scale", "serving", "p99_latency_ms", "basis"), p99["basis"]


def says_where_it_comes_from(basis: str) -> bool:
    """Whether ``basis`` cites a year, says it is assumed, or says it is derived."""
    return bool(_YEAR.search(basis) or _ASSUMED.search(basis) or _DERIVED.search(basis))


def provenance_issues(preset: dict[str, Any]) -> list[Issue]:
    """Every scale basis that does not say whether it is a public figure or an assumption."""
    return [Issue(path, MESSAGE) for path, basis in _scale_bases(preset) if not says_where_it_comes_from(basis)]
