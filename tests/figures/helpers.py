"""Building one workload from plain numbers, for the hand-worked examples."""

from __future__ import annotations

from typing import Any

from mlsd.figures import compute_workload
from mlsd.figures.model import Workload


def workload(kind: str, inputs: dict[str, float], limits: dict[str, float] | None = None, **extra: Any) -> Workload:
    data = {
        "kind": kind,
        "name": "w",
        "label": "test workload",
        "inputs": {k: {"value": v, "basis": "assumption"} for k, v in inputs.items()},
        "limits": {k: {"value": v, "basis": "assumption"} for k, v in (limits or {}).items()},
        **extra,
    }
    return compute_workload(0, data)


def values(w: Workload) -> dict[str, float | None]:
    return {f.key: f.value for f in w}


def messages(w: Workload) -> list[str]:
    return [f.message for f in w.fit]
