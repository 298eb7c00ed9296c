"""``--set key=value``: override one scalar field of a preset by its dotted path.

``workloads[0].inputs.actors.value=5e8`` or ``problem.business_objective=...`` or
``risks[2].likelihood=high``. The new value takes the type of the value it
replaces, and the result is validated like any preset.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from mlsd.errors import MlsdError

_PART = re.compile(r"([a-z_][a-z0-9_]*)((?:\[\d+\])*)")


class OverrideError(MlsdError):
    """A ``--set`` that names no scalar field or gives a value of the wrong type."""


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``key=value``; the key is a dotted field path."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise OverrideError(f"--set '{text}' is not key=value, for example --set workloads[0].inputs.actors.value=5e8")
    return key.strip(), value


def _steps(key: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in key.split("."):
        match = _PART.fullmatch(part)
        if not match:
            raise OverrideError(f"--set key '{key}' is not a field path such as scope.in_scope[0]")
        steps.append(match.group(1))
        steps.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return steps


def _coerce(key: str, current: Any, raw: str) -> Any:
    if isinstance(current, bool):
        lowered = raw.strip().lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
        raise OverrideError(f"--set {key}: expected true or false, got '{raw}'")
    if isinstance(current, (int, float)) or current is None and key.endswith(".value"):
        try:
            number = float(raw.replace(",", "").replace("_", ""))
        except ValueError:
            raise OverrideError(f"--set {key}: expected a number, got '{raw}'") from None
        return int(number) if number.is_integer() else number
    return raw


def apply_overrides(preset: dict[str, Any], assignments: dict[str, str]) -> dict[str, Any]:
    """A copy of ``preset`` with each dotted path set; only existing scalar fields."""
    result = copy.deepcopy(preset)
    for key, raw in assignments.items():
        steps = _steps(key)
        node: Any = result
        for step in steps[:-1]:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                raise OverrideError(f"--set {key}: the preset has no field '{step}' on that path") from None
        last = steps[-1]
        try:
            current = node[last]
        except (KeyError, IndexError, TypeError):
            raise OverrideError(f"--set {key}: the preset has no field '{last}' on that path") from None
        if isinstance(current, (dict, list)):
            raise OverrideError(f"--set {key}: only a single value can be set, and this field holds a {type(current).__name__}")
        node[last] = _coerce(key, current, raw)
    return result


def encode(assignments: dict[str, str]) -> str:
    """Overrides as the text recorded with the answers (empty when none)."""
    return json.dumps(assignments, ensure_ascii=False, sort_keys=True) if assignments else ""


def decode(text: str | None) -> dict[str, str]:
    """Inverse of :func:`encode`; rejects anything but a mapping of strings."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise OverrideError("the recorded overrides are not valid JSON") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise OverrideError("the recorded overrides must map field paths to text")
    return value
