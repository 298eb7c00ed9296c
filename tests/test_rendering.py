"""Rendering defects that must never come back, checked over every preset's generated repo."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import PRESET_FILES, PRESET_IDS, load_yaml
from mlsd.markdown import code_span, quantity

# Units that a count of exactly one must not carry in the plural.
_PLURAL_AFTER_ONE = re.compile(r"(?<![\d.,])1 (seconds|minutes|hours|days|weeks|hosts|servers|replicas|workers|GPUs|nodes)\b")
# Minutes that are a whole number of days (1,440, 2,880, ...).
_WHOLE_DAYS_IN_MINUTES = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+) minutes\b")
# Text such as float32[360][12] outside a code span reads as a Markdown reference link.
_REFERENCE_LINK = re.compile(r"[\w\]]\[[^\]\s]+\]\[[^\]]*\]")


def _documents(project: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(project.rglob("*.md")):
        if ".mlsd" not in path.parts:
            yield str(path.relative_to(project)), path.read_text(encoding="utf-8")


def _outside_code(text: str) -> str:
    """The text with code spans and fenced blocks blanked out."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"(`+).+?\1", "", text)


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_units_agree_with_their_numbers(baked, preset_id: str) -> None:
    for name, text in _documents(baked(preset_id)):
        assert not _PLURAL_AFTER_ONE.search(text), f"{name}: {_PLURAL_AFTER_ONE.search(text).group(0)}"
        for match in _WHOLE_DAYS_IN_MINUTES.finditer(text):
            minutes = int(match.group(1).replace(",", ""))
            # A count of minute-long things (2,000 endpoints x 1,440 minutes) may be meant; a duration is not.
            assert minutes % 1440 or "x " + match.group(0) in text, f"{name}: '{match.group(0)}' is a whole number of days"


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_no_text_outside_code_reads_as_a_reference_link(baked, preset_id: str) -> None:
    for name, text in _documents(baked(preset_id)):
        found = _REFERENCE_LINK.search(_outside_code(text))
        assert found is None, f"{name}: '{found.group(0)}' would render as a link; put it in a code span"


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_readme_speaks_of_todo_markers_only_when_there_are_some(baked, preset_id: str) -> None:
    project = baked(preset_id)
    readme = (project / "README.md").read_text(encoding="utf-8")
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    mentions = "Replace every `TODO` marker" in readme
    assert mentions == ("TODO" in _outside_code(design)), preset_id


def _string_lists(value: Any, path: tuple = ()) -> Iterator[tuple[str, list[str]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "phrasings":  # ways of saying an idea: short terms by design, not prose
                yield from _string_lists(item, (*path, key))
    elif isinstance(value, list):
        if len(value) > 1 and all(isinstance(item, str) for item in value):
            yield ".".join(map(str, path)), value
        for index, item in enumerate(value):
            yield from _string_lists(item, (*path, index))


def fragments(items: list[str]) -> list[str]:
    """Items that look like the tail of the item before, cut off at a comma.

    An inline YAML list splits "for 1,500 candidates" into "for 1" and "500
    candidates": the second piece starts in lower case or with digits, the
    first lacks a closing mark, and the second is either a few words or the
    rest of a number.
    """
    found = []
    for before, item in zip(items, items[1:]):
        if re.search(r"[.!?:;)\"'%]$", before.strip()) or not re.match(r"[a-z0-9]", item):
            continue
        if len(item.split()) < 4 or (re.search(r"\d$", before) and re.match(r"\d{3}\b", item)):
            found.append(item)
    return found


def test_the_fragment_finder_finds_what_yaml_splits() -> None:
    split = ["About 550 ms of the p99 for 1", "500 candidates."]
    assert fragments(split) == ["500 candidates."]
    assert fragments(["Reach must come from vote integrity", "not relevance."]) == ["not relevance."]
    assert fragments(["Latency under 200 ms", "p99 invitations per member per week stays flat"]) == []
    assert fragments(["One sentence.", "another whole sentence starting in lower case"]) == []


@pytest.mark.parametrize("path", PRESET_FILES, ids=PRESET_IDS)
def test_no_list_item_is_a_fragment_of_the_one_before(path: Path) -> None:
    data = load_yaml(path)
    found = {where: fragments(items) for where, items in _string_lists(data)}
    assert {where: items for where, items in found.items() if items} == {}


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(1, "minutes", "1 minute"), (2, "minutes", "2 minutes"), (1440, "minutes", "1 day"), (2880, "minutes", "2 days"),
     (90, "minutes", "90 minutes"), (48, "hours", "2 days"), (1, "hosts", "1 host"), (7200, "seconds", "2 hours"),
     (1.5, "days", "1.5 days"), (200, "ms", "200 ms")],
)
def test_quantity(value: float, unit: str, text: str) -> None:
    assert quantity(value, unit) == text


def test_code_span_keeps_brackets_and_pipes_literal() -> None:
    assert code_span("float32[360][12]") == "`float32[360][12]`"
    assert code_span("a|b") == "`a\\|b`"
    assert code_span("x`y") == "``x`y``"


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_every_generated_document_is_well_formed(baked, preset_id: str) -> None:
    from markdown_checks import problems

    for name, text in _documents(baked(preset_id)):
        assert problems(text) == [], name


def _schema_keys(node: Any) -> Iterator[str]:
    from mlsd.schema import Field, ListOf, MapOf, OrNotApplicable, Record

    if isinstance(node, Field):
        yield from _schema_keys(node.node)
    elif isinstance(node, Record):
        for key, field in node.fields.items():
            yield key
            yield from _schema_keys(field)
    elif isinstance(node, ListOf):
        yield from _schema_keys(node.item)
    elif isinstance(node, MapOf):
        yield from _schema_keys(node.value)
    elif isinstance(node, OrNotApplicable):
        yield from _schema_keys(node.node)


def _internal_names() -> re.Pattern[str]:
    """Field paths such as scale.traffic and the snake_case keys of the schema and the workload kinds."""
    from mlsd.figures import KINDS
    from mlsd.schema import PRESET_SCHEMA

    keys = set(_schema_keys(PRESET_SCHEMA))
    snake = {k for k in keys if "_" in k} | {spec.key for kind in KINDS.values() for spec in kind.inputs if "_" in spec.key}
    top = sorted(PRESET_SCHEMA.fields)
    dotted = rf"\b(?:{'|'.join(top)})\.(?!md\b)[a-z_]+\b"
    return re.compile(rf"{dotted}|\b(?:{'|'.join(sorted(snake))})\b|\$\{{")


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_no_internal_field_name_shows_in_prose(baked, preset_id: str) -> None:
    pattern = _internal_names()
    for name, text in _documents(baked(preset_id)):
        # An API's request and response name their wire fields, which may share a key's name.
        prose = "\n".join(line for line in text.splitlines() if not line.startswith(("- **Request:**", "- **Response:**")))
        found = sorted(set(m.group(0) for m in pattern.finditer(_outside_code(prose))))
        assert found == [], f"{name}: {found}"


def test_the_internal_name_finder_finds_the_old_leak() -> None:
    pattern = _internal_names()
    assert pattern.search("peak QPS that scale.traffic implies")
    assert pattern.search("raise per_host_qps")
    assert pattern.search("about ${feed.hosts_at_peak} hosts")
    assert not pattern.search("the scale of traffic; the model version")


# Words that say a number is measured away from live traffic, on a sample or a replay.
_MEASURED_OFFLINE = re.compile(
    r"\b(audit(?:ed|s)?|backtest\w*|held-out|holdout sets?|golden sets?|labelled (?:sets?|samples?)|replay(?:ed|s)?)\b",
    re.IGNORECASE,
)
# Words that say a number needs live traffic: an experiment arm or production requests.
_MEASURED_LIVE = re.compile(r"\b(live traffic|in production|A/B|treatment arm|control arm)\b", re.IGNORECASE)


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_metric_levels_agree_with_how_each_metric_is_measured(preset_file: Path) -> None:
    metrics = load_yaml(preset_file)["formulation"]["metrics"]
    wrong = [f"online: {m['name']}" for m in metrics["online"] if _MEASURED_OFFLINE.search(f"{m['name']} {m['definition']}")]
    wrong += [f"offline: {m['name']}" for m in metrics["offline"] if _MEASURED_LIVE.search(f"{m['name']} {m['definition']}")]
    assert wrong == []


def test_the_level_check_catches_a_batch_audit_called_online() -> None:
    assert _MEASURED_OFFLINE.search("Weekly audit of 10k blurred panoramas by raters")
    assert _MEASURED_LIVE.search("Share of requests in production answered within 200 ms")
    assert not _MEASURED_OFFLINE.search("Share of sampled served values equal to point-in-time offline values")
