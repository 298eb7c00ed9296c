"""The ML Test Score: 28 tests, half a point by hand, a point automated, the lowest group wins."""

from __future__ import annotations

import pytest

from mlsd.ml_test_score import GROUPS, Score, format_points, score


def test_four_groups_of_seven_tests() -> None:
    assert list(GROUPS) == ["Data", "Model", "Infrastructure", "Monitoring"]
    assert [len(tests) for tests in GROUPS.values()] == [7, 7, 7, 7]
    assert len({t for tests in GROUPS.values() for t in tests}) == 28


def test_points_per_group_and_the_lowest_group_is_the_score() -> None:
    marks = {
        # 3 automated + 2 manual = 3 + 1 = 4
        "Data": ["automated"] * 3 + ["manual"] * 2 + ["not done"] * 2,
        # 7 manual = 3.5
        "Model": ["manual"] * 7,
        # 1 automated + 1 manual = 1.5: the weakest group
        "Infrastructure": ["automated", "manual"] + ["not done"] * 5,
        # 7 automated = 7
        "Monitoring": ["automated"] * 7,
    }
    result = score(marks)
    assert result.groups == {"Data": 4.0, "Model": 3.5, "Infrastructure": 1.5, "Monitoring": 7.0}
    assert result.final == 1.5
    assert format_points(result.final) == "1.5"
    assert result.meaning.startswith("a first pass at production readiness")


@pytest.mark.parametrize(
    ("final", "meaning"),
    [(0.0, "more a research project"), (0.5, "not wholly untested"), (3.0, "reasonably tested"), (5.0, "strong automated"), (5.5, "exceptional")],
)
def test_bands(final: float, meaning: str) -> None:
    assert Score({"Data": final}).meaning.startswith(meaning)


def test_nothing_done_scores_zero_and_unknown_marks_are_refused() -> None:
    assert score({}).final == 0.0
    with pytest.raises(ValueError, match="unknown mark 'done' in Model"):
        score({"Model": ["done"]})
