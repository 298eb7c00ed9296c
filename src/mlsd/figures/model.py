"""What the figures engine works with: declared inputs, computed figures, and the set of both.

Plain data and arithmetic only: nothing here knows of templates, prompts or the CLI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterator

from mlsd.figures.units import number

INPUT = "input"
LIMIT = "limit"
DERIVED = "figure"


@dataclass(frozen=True)
class InputSpec:
    """One input a kind declares: its key, unit, label and whether a preset must give it."""

    key: str
    unit: str
    label: str
    required: bool = True
    integer: bool = False
    maximum: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class Figure:
    """One number of a workload: an input as given, or a result with its formula and numbers."""

    key: str
    label: str
    formula: str
    inputs: str | None
    value: float | None
    unit: str
    readable: str | None
    role: str = DERIVED
    basis: str | None = None

    @property
    def is_input(self) -> bool:
        return self.role in (INPUT, LIMIT)


@dataclass(frozen=True)
class FitIssue:
    """A computed figure that breaks a limit the preset declares; ``field`` is relative to the workload."""

    field: tuple[str | int, ...]
    message: str


class Sheet:
    """Computes a workload's figures in order; each may use inputs and earlier figures.

    A figure whose inputs are missing, or whose result is not a finite number,
    is kept with no value, so a skeleton shows TODO and a huge input shows a
    one-line complaint instead of raising.
    """

    def __init__(self, values: dict[str, float | None]):
        self.values: dict[str, float | None] = dict(values)
        self.shown: dict[str, str] = {k: number(v) for k, v in values.items() if v is not None}
        self.figures: list[Figure] = []
        self.out_of_range: list[str] = []

    def add(
        self,
        key: str,
        label: str,
        formula: str,
        template: str,
        refs: tuple[str, ...],
        calculate: Callable[..., float],
        unit: str,
        fmt: Callable[[float], str],
    ) -> float | None:
        """Compute one figure from ``refs`` (input keys or earlier figure keys) and record it."""
        parts = [self.values.get(ref) for ref in refs]
        ready = all(p is not None for p in parts)
        value: float | None = None
        if ready:
            try:
                value = float(calculate(*parts))
            except (OverflowError, ZeroDivisionError, ValueError):
                value = None
            if value is None or math.isinf(value) or math.isnan(value):
                value = None
                self.out_of_range.append(key)
        self.values[key] = value
        readable = fmt(value) if value is not None else None
        if readable is not None:
            self.shown[key] = readable
        self.figures.append(
            Figure(
                key=key,
                label=label,
                formula=formula,
                inputs=template.format(*(self.shown.get(ref, "") for ref in refs)) if ready else None,
                value=value,
                unit=unit,
                readable=readable,
            )
        )
        return value


def ceil(value: float) -> float:
    """Whole units needed, as a float so the sheet treats every figure alike."""
    return float(math.ceil(value - 1e-9))


@dataclass
class Workload:
    """One workload's numbers: inputs (and limits) as declared, then the computed figures."""

    index: int
    name: str
    kind: str
    label: str
    inputs: list[Figure] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    fit: list[FitIssue] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Figure]:
        yield from self.inputs
        yield from self.figures

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self}


class FigureSet:
    """Every input and figure of a preset by qualified name ``<workload>.<key>``, in order."""

    def __init__(self, workloads: list[Workload]):
        self.workloads = workloads
        self._by_name: dict[str, Figure] = {
            f"{w.name}.{f.key}": f for w in workloads for f in w
        }

    def __getitem__(self, name: str) -> Figure:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Figure | None:
        return self._by_name.get(name)

    def names(self) -> list[str]:
        return list(self._by_name)

    def of_kind(self, kind: str) -> list[Workload]:
        return [w for w in self.workloads if w.kind == kind]
