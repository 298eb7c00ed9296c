"""What every workload kind declares, and the helpers the kind modules share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mlsd.figures.model import FitIssue, InputSpec, Sheet
from mlsd.figures.units import number

Values = dict[str, "float | None"]


@dataclass(frozen=True)
class Kind:
    """A kind of workload: its inputs and limits, its formulas, and its fit checks.

    ``compute`` fills a :class:`Sheet` from the workload's values; ``fit`` compares
    the computed values with the limits; ``structure`` checks any parts beyond
    inputs and limits (such as an online service's stages) and returns
    ``(field path within the workload, message)`` pairs; ``extra_inputs`` lists the
    inputs such parts add, as ``(key, spec, value, basis, field path)``.
    """

    name: str
    title: str
    summary: str
    inputs: tuple[InputSpec, ...]
    limits: tuple[InputSpec, ...]
    compute: Callable[[Sheet, dict[str, Any]], None]
    fit: Callable[[Values, dict[str, Any]], list[FitIssue]]
    headline: tuple[str, ...] = ()
    structure: Callable[[dict[str, Any]], list[tuple[tuple[str | int, ...], str]]] = lambda workload: []
    extra_inputs: Callable[[dict[str, Any]], list[tuple[str, InputSpec, Any, Any, tuple[str | int, ...]]]] = lambda workload: []
    structure_doc: str = ""


def over(
    values: Values,
    figure: str,
    limit: str,
    describe: Callable[[float, float], str],
    field: tuple[str | int, ...] | None = None,
) -> list[FitIssue]:
    """A limit broken when ``figure`` exceeds ``limit``; silent when either is missing.

    ``limit`` is usually one of the kind's limits, reported at its own field;
    when it is a computed figure, ``field`` names the input to change.
    """
    value, cap = values.get(figure), values.get(limit)
    if value is None or cap is None or value <= cap * (1 + 1e-9):
        return []
    return [FitIssue(field or ("limits", limit, "value"), describe(value, cap))]


def n(value: float) -> str:
    """A number as the fit messages write it."""
    return number(round(value, 2) if abs(value) < 1e5 else round(value))
