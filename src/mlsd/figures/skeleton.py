"""The blank skeleton's workloads: each chosen kind's inputs, to be filled in."""

from __future__ import annotations

from typing import Any

from mlsd.errors import MlsdError
from mlsd.figures.kinds import KINDS
from mlsd.schema import TODO_MARKER

DEFAULT_KINDS = ("online_service",)


def parse_kinds(answer: object) -> tuple[str, ...]:
    """Kinds from a comma-separated answer such as ``online_service, training``; raise on an unknown one."""
    text = ",".join(answer) if isinstance(answer, (list, tuple)) else str(answer or "")
    kinds = tuple(dict.fromkeys(k.strip() for k in text.replace(";", ",").split(",") if k.strip()))
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise MlsdError(f"unknown workload kind {', '.join(repr(k) for k in unknown)}; choose from: {', '.join(KINDS)}")
    return kinds or DEFAULT_KINDS


def split_overrides(is_skeleton: bool, overrides: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Overrides to apply to the preset as loaded, and those for the skeleton's workloads.

    The blank skeleton's workloads are made from the chosen kinds after loading,
    so values a user filled in for them (recorded by ``mlsd sync``) apply after that.
    """
    if not is_skeleton:
        return overrides, {}
    late = {key: value for key, value in overrides.items() if key.startswith("workloads[")}
    return {key: value for key, value in overrides.items() if key not in late}, late


def skeleton_workloads(kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """One workload per kind with every input (optional ones too) left as TODO."""
    workloads = []
    for kind_name in kinds:
        kind = KINDS[kind_name]
        todo = {"value": None, "basis": f"{TODO_MARKER}: a public figure with its year, or 'assumption' and your reasoning"}
        workloads.append(
            {
                "kind": kind.name,
                "name": kind.name,
                "label": f"{TODO_MARKER}: what this {kind.title.lower()} workload is",
                "inputs": {spec.key: dict(todo) for spec in kind.inputs},
                "limits": {spec.key: dict(todo) for spec in kind.limits},
            }
        )
    return workloads
