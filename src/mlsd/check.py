"""``mlsd check``: findings about a design repo, each as ``path:line: message``.

Rules read the generated layout (seven numbered sections, tables for
requirements, metrics and risks, docs/capacity.md) but tolerate edits: a rule
only speaks when it finds something to complain about, with the line to fix.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.derived_inputs import DERIVED_FILES, fingerprint, recorded_fingerprint, table_values
from mlsd.ml_test_score import GROUPS as RUBRIC_GROUPS
from mlsd.ml_test_score import POINTS as RUBRIC_POINTS
from mlsd.ml_test_score import score as rubric_score
from mlsd.repo_files import RepoFiles
from mlsd.work_mode import SCORE_LINE_PREFIX, STATUSES, score_line
from mlsd.parts import Part, parts
from mlsd.sections import SECTION_TITLES, Block, Document, Line, Section, parse, strip_comments, tables

DESIGN_FILE = "DESIGN.md"
CAPACITY_FILE = "docs/capacity.md"
DECISIONS_DIR = "docs/decisions"
METRIC_RUNGS = ("business", "online", "offline", "guardrail")
MIN_RISKS = 5
MARKERS = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|\?\?\?")
# Text without any of these holds no marker.
_MARKER_TOKENS = ("TODO", "TBD", "FIXME", "XXX", "???")
# A target such as "200 ms", "99.95 %", "<= 0.1 %", "1,200 requests/s".
NUMBER_AND_UNIT = re.compile(r"^[<>=≤≥~≈ ]*-?\d[\d,]*(?:\.\d+)?\s*\S")
BASELINE_VERSION = 1
# Where a generated repo keeps the findings it started with (see the CI workflow).
CHECK_BASELINE = ".mlsd/check-baseline.json"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str
    section: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def key(self) -> tuple[str, str, str]:
        """What a baseline remembers: lines shift as a document grows, the rest does not."""
        return (self.path, self.rule, self.message)


@dataclass
class SectionScore:
    number: int
    title: str
    parts: int
    complete: int

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.parts) if self.parts else 0


@dataclass
class Report:
    findings: list[Finding]
    scores: list[SectionScore]
    baselined: int = 0
    unresolved: int = 0  # open questions marked <<[UNRESOLVED]>> ... <<[END]>>

    @property
    def completeness(self) -> int:
        parts = sum(s.parts for s in self.scores)
        return round(100 * sum(s.complete for s in self.scores) / parts) if parts else 0

    def summary_line(self) -> str:
        per_section = ", ".join(f"{s.number}. {s.title} {s.percent}%" for s in self.scores)
        questions = f"; {self.unresolved} unresolved question{'s' * (self.unresolved != 1)}" if self.unresolved else ""
        return f"completeness {self.completeness}%: {per_section}{questions}"

    def as_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "findings": [asdict(f) for f in self.findings],
            "baselined": self.baselined,
            "completeness": self.completeness,
            "unresolved_questions": self.unresolved,
            "sections": [
                {"number": s.number, "title": s.title, "parts": s.parts, "complete": s.complete, "percent": s.percent}
                for s in self.scores
            ],
        }


# --------------------------------------------------------------------------- #
# Rules over DESIGN.md
# --------------------------------------------------------------------------- #


def _section_rules(document: Document) -> list[Finding]:
    findings = []
    seen = [s.number for s in document.sections]
    for number, title in enumerate(SECTION_TITLES, start=1):
        section = document.section(number)
        if section is None:
            findings.append(Finding(DESIGN_FILE, 1, "section-missing", f"section {number}. {title} is missing", number))
        elif section.title != title:
            findings.append(
                Finding(DESIGN_FILE, section.line, "section-title", f"section {number} should be titled '{title}', not '{section.title}'", number)
            )
    for previous, section in zip(document.sections, document.sections[1:]):
        if section.number <= previous.number:
            findings.append(
                Finding(DESIGN_FILE, section.line, "section-order", f"section {section.number}. {section.title} is out of order; the sections run 1 to 7", section.number)
            )
    extra = [n for n in seen if not 1 <= n <= len(SECTION_TITLES)]
    for section in document.sections:
        if section.number in extra:
            findings.append(Finding(DESIGN_FILE, section.line, "section-extra", f"section {section.number} is not one of the seven", section.number))
    return findings


def leaf_blocks(section: Section) -> list[Block]:
    """Subsections that hold text themselves (a heading followed by deeper headings does not)."""
    blocks = section.blocks[1:]
    leaves = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.level > block.level:
            continue
        leaves.append(block)
    return leaves


def _subsection_rules(section: Section) -> list[Finding]:
    findings = []
    for block in leaf_blocks(section):
        content = [line for line in block.body if line.text.strip()]
        if not content:
            findings.append(
                Finding(DESIGN_FILE, block.line, "guidance-only", f"{section.number}. {section.title} / {block.title}: holds only guidance; write the answer", section.number)
            )
            continue
        todo = next((line for line in content if "TODO" in line.text), None)
        if todo is not None or "TODO" in block.title:
            findings.append(
                Finding(DESIGN_FILE, todo.number if todo else block.line, "todo", f"{section.number}. {section.title} / {block.title}: still holds a TODO marker", section.number)
            )
    return findings


def _column(table, name: str) -> int | None:
    lowered = [cell.lower() for cell in table.header]
    return lowered.index(name) if name in lowered else None


def _requirement_rules(document: Document) -> list[Finding]:
    section = document.section(2)
    if section is None:
        return []
    findings = []
    for table in section.tables():
        target, name = _column(table, "target"), _column(table, "requirement")
        if target is None or name is None:
            continue
        for line, cells in table.rows:
            value = cells[target] if target < len(cells) else ""
            if not NUMBER_AND_UNIT.match(value) or "TODO" in value:
                findings.append(
                    Finding(DESIGN_FILE, line, "nfr-number", f"non-functional requirement '{cells[name]}' needs a number and a unit, not '{value}'", 2)
                )
    return findings


def _metrics_rules(document: Document) -> list[Finding]:
    section = document.section(1)
    if section is None:
        return []
    ladders = [t for t in section.tables() if _column(t, "level") is not None]
    if not ladders:
        return [Finding(DESIGN_FILE, section.line, "metrics-ladder", "no metrics ladder: add a table of business, online, offline and guardrail metrics", 1)]
    findings = []
    for table in ladders:
        column = _column(table, "level")
        levels = {cells[column].strip().lower() for _, cells in table.rows if column < len(cells)}
        header_line = table.rows[0][0] - 2 if table.rows else section.line
        for rung in METRIC_RUNGS:
            if rung not in levels:
                findings.append(Finding(DESIGN_FILE, header_line, "metrics-ladder", f"the metrics ladder has no {rung} metric", 1))
    return findings


def _baseline_rules(document: Document) -> list[Finding]:
    section = document.section(4)
    if section is None:
        return []
    if any(block.title.lower().startswith("baseline") for block in section.blocks[1:]):
        return []
    return [Finding(DESIGN_FILE, section.line, "baseline-model", "no baseline model: add a '### Baseline: <model>' subsection", 4)]


def _risk_rules(document: Document) -> list[Finding]:
    section = document.section(7)
    if section is None:
        return []
    risk_tables = [t for t in section.tables() if _column(t, "risk") is not None]
    rows = [(line, cells, t) for t in risk_tables for line, cells in t.rows]
    findings = []
    if len(rows) < MIN_RISKS:
        findings.append(
            Finding(DESIGN_FILE, rows[0][0] if rows else section.line, "risk-count", f"only {len(rows)} risk{'s' * (len(rows) != 1)}; list at least {MIN_RISKS}", 7)
        )
    for table in risk_tables:
        if _column(table, "detection") is None and table.rows:
            findings.append(Finding(DESIGN_FILE, table.rows[0][0] - 2, "risk-detection", "the risks table has no Detection column: name the alert or metric that shows each risk happening", 7))
    for line, cells, table in rows:
        risk = cells[_column(table, "risk")]
        for name, rule, message in (
            ("mitigation", "risk-mitigation", "has no mitigation"),
            ("detection", "risk-detection", "has no detection signal: name the alert or metric, with its threshold, that shows it happening"),
        ):
            column = _column(table, name)
            if column is None:
                continue
            value = cells[column].strip() if column < len(cells) else ""
            if value.lower() in {"", "-", "none", "n/a"}:
                findings.append(Finding(DESIGN_FILE, line, rule, f"risk '{risk}' {message}", 7))
    return findings


def has_marker(text: str) -> bool:
    """Whether ``text`` holds an unresolved marker; substring tests first, as most text has none."""
    return any(token in text for token in _MARKER_TOKENS) and MARKERS.search(text) is not None


def _marker_rules(document: Document) -> list[Finding]:
    findings: list[Finding] = []
    if not has_marker("\n".join(line.text for line in document.lines)):
        return findings  # most finished documents: a few substring scans, no pattern per line
    inside = {line.number for section in document.sections for line in section.lines()}
    inside |= {block.line for section in document.sections for block in section.blocks}
    for line in document.lines:
        for match in MARKERS.finditer(line.text):
            marker = match.group(0)
            if marker == "TODO" and line.number in inside:
                continue  # reported per subsection by the TODO rule
            findings.append(Finding(DESIGN_FILE, line.number, "marker", f"unresolved marker '{marker}'"))
            break
    return findings


def _status_rules(document: Document) -> list[Finding]:
    """The document's status, in the table at its top, is one of the lifecycle states."""
    for table in tables(document.outside):
        field, value = _column(table, "field"), _column(table, "value")
        if field is None or value is None:
            continue
        for line, cells in table.rows:
            if cells[field].strip().lower() == "status" and value < len(cells):
                status = cells[value].strip()
                if status.lower() not in STATUSES:
                    return [Finding(DESIGN_FILE, line, "status", f"status '{status}' is not one of: {', '.join(STATUSES)}")]
    return []


def _ml_test_score_rules(document: Document) -> list[Finding]:
    """The ML Test Score tables, scored again, agree with the score the document states."""
    marks: dict[str, list[str]] = {}
    findings = []
    lines = [line for section in document.sections for line in section.lines()]
    for table in (table for section in document.sections for table in section.tables()):
        if len(table.header) != 2 or not table.header[0].endswith(" test") or table.header[1].lower() != "status":
            continue
        group = table.header[0].removesuffix(" test")
        if group not in RUBRIC_GROUPS:
            continue
        for line, cells in table.rows:
            mark = cells[1].strip().lower() if len(cells) > 1 else ""
            if mark not in RUBRIC_POINTS:
                findings.append(Finding(DESIGN_FILE, line, "ml-test-score", f"mark '{mark}' is not one of: {', '.join(RUBRIC_POINTS)}", 6))
                mark = "not done"
            marks.setdefault(group, []).append(mark)
    if not marks:
        return findings
    computed = rubric_score(marks)
    stated_line = next((line for line in lines if line.text.startswith(SCORE_LINE_PREFIX)), None)
    stated = parse_amount(stated_line.text[len(SCORE_LINE_PREFIX):]) if stated_line else None
    if stated_line is None or stated is None:
        findings.append(Finding(DESIGN_FILE, lines[0].number if lines else 1, "ml-test-score", f"the ML Test Score is not stated; add the line: {score_line(computed)}", 6))
    elif stated != computed.final:
        findings.append(
            Finding(DESIGN_FILE, stated_line.number, "ml-test-score", f"the ML Test Score stated is {stated:g}, but the tables give {score_line(computed).removeprefix(SCORE_LINE_PREFIX).strip()}", 6)
        )
    return findings


# --------------------------------------------------------------------------- #
# Capacity figures against the numbers stated elsewhere
# --------------------------------------------------------------------------- #

_SCALE_WORDS = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


_AMOUNT = re.compile(r"(?<![\d,.])-?\d[\d,]*(?:\.\d+)?")
_SCALE_WORD = re.compile(r"[ \t]*(k|M|G|T|thousand|million|billion|trillion)(?![A-Za-z0-9_])")


def parse_amount(text: str) -> float | None:
    """Read '347.2 k QPS', '12 billion', '1,500' or '0.6' back into a number."""
    # Two steps, each linear: the number, then an optional scale word right after it.
    # One pattern ending in an optional word and \b retried every start inside a
    # long run of digits, quadratic in the length of the run.
    match = _AMOUNT.search(text)
    if not match:
        return None
    value = float(match.group(0).replace(",", ""))
    scale = _SCALE_WORD.match(text, match.end())
    return value * _SCALE_WORDS[scale.group(1)] if scale else value


def _scale_value(document: Document, prefix: str) -> float | None:
    section = document.section(2)
    if section is None:
        return None
    for table in section.tables():
        # Workload input tables name their rows "Input"; older repos say "Figure".
        name = _column(table, "input")
        name = _column(table, "figure") if name is None else name
        if name is None or _column(table, "value") is None:
            continue
        for _, cells in table.rows:
            if cells[name].lower().startswith(prefix.lower()):
                return parse_amount(cells[_column(table, "value")])
    return None


def _capacity_rules(document: Document, capacity_text: str) -> list[Finding]:
    findings = []
    lines = [Line(n, t) for n, t in enumerate(strip_comments(capacity_text).splitlines(), start=1)]
    derived = {}
    for table in tables(lines):
        if _column(table, "figure") is None or _column(table, "result") is None:
            continue
        for line, cells in table.rows:
            derived[cells[_column(table, "figure")].lower()] = (line, cells[_column(table, "result")])
    budget_line = next((l for l in lines if "critical path is" in l.text and "p99 target of" in l.text), None)
    p99 = None
    if budget_line is not None:
        match = re.search(
            r"critical path is [^=]*= ([\d,.]+) ms(?:, of which the first byte arrives after ([\d,.]+) ms)?; "
            r"the p99 target of ([\d,.]+) ms bounds the (critical path|time to first byte)",
            budget_line.text,
        )
        if match:
            path, first_byte, target, measures = match.groups()
            p99 = float(target.replace(",", ""))
            held_text = first_byte if measures == "time to first byte" and first_byte else path
            held = float(held_text.replace(",", ""))
            if held > p99:
                findings.append(Finding(CAPACITY_FILE, budget_line.number, "capacity-mismatch", f"the latency budget's {measures} takes {held:g} ms, over the p99 target of {p99:g} ms"))

    requirements = []
    section = document.section(2)
    if section is not None:
        for table in section.tables():
            target, kind = _column(table, "target"), _column(table, "kind")
            if target is not None and kind is not None:
                requirements += [(line, cells[kind].lower(), cells[target]) for line, cells in table.rows]
    if p99 is not None:
        latency = [parse_amount(t) for _, k, t in requirements if k == "latency" and t.strip().endswith("ms")]
        if latency and p99 not in latency:
            findings.append(
                Finding(DESIGN_FILE, next(l for l, k, _ in requirements if k == "latency"), "capacity-mismatch", f"docs/capacity.md plans for a p99 of {p99:g} ms, but no latency requirement states it")
            )
    peak = derived.get("peak qps")
    if peak is not None:
        peak_value = parse_amount(peak[1])
        actors = _scale_value(document, "Actors per day")
        per_actor = _scale_value(document, "Requests per actor per day")
        ratio = _scale_value(document, "Peak-to-average")
        if peak_value and actors and per_actor and ratio:
            expected = actors * per_actor / 86_400 * ratio
            if abs(expected - peak_value) > 0.01 * expected + 0.05 * 1_000:
                findings.append(
                    Finding(CAPACITY_FILE, peak[0], "capacity-mismatch", f"peak QPS here is {peak[1]}, but the scale assumptions in DESIGN.md give {expected:,.0f} QPS; regenerate or fix one")
                )
        for line, kind, target in requirements:
            if kind == "throughput" and "requests/s" in target and peak_value:
                stated = parse_amount(target)
                if stated is not None and stated < peak_value:
                    findings.append(
                        Finding(DESIGN_FILE, line, "capacity-mismatch", f"throughput target {target} is below the peak of {peak[1]} in docs/capacity.md")
                    )
    return findings


# --------------------------------------------------------------------------- #
# What a reviewer would catch: conflicts, open questions, leftover placeholders
# --------------------------------------------------------------------------- #

# git's conflict markers open a line: seven of one character, then a space or the end.
_CONFLICT_MARKERS = (
    ("<<<<<<<", re.compile(r"<{7}(?: |$)")),
    ("|||||||", re.compile(r"\|{7}(?: |$)")),
    ("=======", re.compile(r"={7}[ \t]*$")),
    (">>>>>>>", re.compile(r">{7}(?: |$)")),
)
_CONFLICT_HEADS = frozenset(marker for marker, _ in _CONFLICT_MARKERS)
# An open question: <<[UNRESOLVED]>> ... <<[END]>>. The brackets keep Markdown from
# reading the marker as an HTML tag; the bare <<UNRESOLVED>> form is read as well.
# A marker quoted in backticks is only being talked about.
UNRESOLVED_OPEN = re.compile(r"(?<!`)<<\[?UNRESOLVED\]?>>")
UNRESOLVED_CLOSE = re.compile(r"(?<!`)<<\[?END\]?>>")
APPROVED = "approved"
# A placeholder sentence of the blank skeleton is one of at least this many words.
_PLACEHOLDER_WORDS = 4


def review_documents(files: RepoFiles) -> dict[str, str]:
    """The documents a reviewer reads, by repo path, with their text: DESIGN.md, README.md,
    docs/*.md and the decision records, each read once for every rule. Read through
    :class:`RepoFiles`, so a link or a special file among them is refused in one line,
    never followed; a missing DESIGN.md is an error."""
    documents = {DESIGN_FILE: read_design(files)}
    names = ["README.md"]
    for folder in ("docs", DECISIONS_DIR):
        names += [f"{folder}/{name}" for name in files.list_dir(folder) or () if name.endswith(".md")]
    for name in names:
        text = files.read_text(name)
        if text is not None:
            documents[name] = text
    return documents


def conflict_findings(name: str, text: str) -> list[Finding]:
    """Every merge conflict marker left in ``text``; the middle markers only inside a conflict."""
    findings = []
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:7] not in _CONFLICT_HEADS:
            continue  # most lines: one set look-up instead of four patterns
        marker = next((m for m, pattern in _CONFLICT_MARKERS if pattern.match(line)), None)
        if marker is None or (marker in ("|||||||", "=======") and not inside):
            continue
        inside = marker != ">>>>>>>"
        findings.append(Finding(name, number, "conflict", f"merge conflict marker '{marker}': keep the right text and delete the markers"))
    return findings


@dataclass
class OpenQuestion:
    """A block marked unresolved: where it opens, the lines it spans, whether it was closed."""

    path: str
    line: int
    lines: range  # from the opening marker to the closing one, or to the end of the file
    closed: bool


def open_questions(name: str, text: str) -> list[OpenQuestion]:
    """The blocks marked unresolved in ``text`` (guidance comments are not read)."""
    questions: list[OpenQuestion] = []
    start = None
    lines = strip_comments(text).splitlines()
    for number, line in enumerate(lines, start=1):
        if start is None and UNRESOLVED_OPEN.search(line):
            start = number
        if start is not None and UNRESOLVED_CLOSE.search(line):
            questions.append(OpenQuestion(name, start, range(start, number + 1), closed=True))
            start = None
    if start is not None:
        questions.append(OpenQuestion(name, start, range(start, len(lines) + 1), closed=False))
    return questions


def document_status(document: Document) -> str | None:
    """The status the document states before its first section, lower-cased.

    Either a metadata table row (``| Status | Approved |``) or a line
    ``Status: Approved`` (bold or in a list item is fine).
    """
    first = document.sections[0].line if document.sections else len(document.lines) + 1
    head = [line for line in document.lines if line.number < first]
    for table in tables(head):
        for _, cells in [(0, table.header), *table.rows]:
            if len(cells) > 1 and cells[0].strip("*_ ").lower() == "status":
                return cells[1].strip("*_ ").lower()
    for line in head:
        label, colon, value = line.text.lstrip("-*+ ").partition(":")
        if colon and label.strip("*_ ").lower() == "status":
            return value.strip("*_ ").lower()
    return None


def unresolved_findings(questions: list[OpenQuestion], status: str | None) -> list[Finding]:
    """A block left open is always a finding; an open question at all, once the document is approved."""
    findings = []
    for question in questions:
        if not question.closed:
            findings.append(Finding(question.path, question.line, "unresolved", "unresolved question has no closing <<[END]>>"))
        elif status is not None and status.startswith(APPROVED):
            findings.append(
                Finding(question.path, question.line, "unresolved", "unresolved question in an approved document: resolve it, or set the status back to in review")
            )
    return findings


@lru_cache(maxsize=1)
def blank_placeholders() -> tuple[str, ...]:
    """The sentences the blank skeleton writes in place of answers without a TODO marker.

    Read from the blank preset itself, so the list follows the skeleton: its
    strings without a marker and of a few words at least (its title and summary).
    """
    from mlsd.presets import load_blank
    from mlsd.scaffold import template_root

    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if not MARKERS.search(value) and len(value.split()) >= _PLACEHOLDER_WORDS:
                found.append(value.strip().rstrip("."))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    try:
        walk(load_blank(template_root() / "presets"))
    except MlsdError:
        return ()
    return tuple(dict.fromkeys(found))


def placeholder_findings(name: str, text: str, placeholders: tuple[str, ...]) -> list[Finding]:
    """Lines still holding a placeholder sentence of the blank skeleton."""
    findings: list[Finding] = []
    visible = strip_comments(text)
    present = [p for p in placeholders if p in visible]
    if not present:
        return findings  # one scan of the text per placeholder instead of one per line
    for number, line in enumerate(visible.splitlines(), start=1):
        placeholder = next((p for p in present if p in line), None)
        if placeholder is not None:
            findings.append(Finding(name, number, "placeholder", f"placeholder text from the blank skeleton: '{placeholder}'; write this system's own"))
    return findings


def section_intro_findings(document: Document) -> list[Finding]:
    """A TODO between a section heading and its first subsection."""
    findings = []
    for section in document.sections:
        todo = next((line for line in section.blocks[0].body if "TODO" in line.text), None)
        if todo is not None:
            findings.append(
                Finding(DESIGN_FILE, todo.number, "todo", f"{section.number}. {section.title}: still holds a TODO marker under the section heading", section.number)
            )
    return findings


def _review_rules(documents: dict[str, str], document: Document) -> tuple[list[Finding], list[OpenQuestion]]:
    findings = section_intro_findings(document)
    questions: list[OpenQuestion] = []
    placeholders = blank_placeholders()
    for name, text in documents.items():
        findings += conflict_findings(name, text)
        if name != "README.md":
            questions += open_questions(name, text)
        if name == DESIGN_FILE or (name.startswith("docs/") and name.count("/") == 1):
            findings += placeholder_findings(name, text, placeholders)
    findings += unresolved_findings(questions, document_status(document))
    return findings, questions


# --------------------------------------------------------------------------- #
# Running the rules
# --------------------------------------------------------------------------- #


def _scores(
    document: Document, findings: list[Finding], unresolved: set[int] | frozenset[int] = frozenset()
) -> list[SectionScore]:
    """Per section, the share of its parts (table rows, list items, paragraphs) that are done.

    A part is done when it holds no marker, is not inside an unresolved
    question, and no finding points into it. A subsection with no text is one
    missing part; a finding about the section as a whole, or about a heading,
    counts as one more.
    """
    scores = []
    for number, title in enumerate(SECTION_TITLES, start=1):
        section = document.section(number)
        if section is None:
            scores.append(SectionScore(number, title, 1, 0))
            continue
        flagged = {f.line for f in findings if f.path == DESIGN_FILE and f.section == number}
        pieces = parts(section.blocks[0].body)
        for leaf in leaf_blocks(section):
            pieces += parts(leaf.body) or [Part("empty", [Line(leaf.line, "")])]
        covered = {n for piece in pieces for n in piece.numbers}
        done = sum(
            1 for piece in pieces if not piece.numbers & (flagged | unresolved) and not has_marker(piece.text)
        )
        loose = {(f.line, f.message) for f in findings if f.path == DESIGN_FILE and f.section == number and f.line not in covered}
        scores.append(SectionScore(number, title, max(len(pieces) + len(loose), 1), done))
    return scores


def _stale_rules(documents: dict[str, str], document: Document) -> list[Finding]:
    """A derived file computed from other table values than DESIGN.md now holds."""
    current = fingerprint(table_values(document))
    findings = []
    for relative in DERIVED_FILES:
        text = documents.get(relative)
        recorded = recorded_fingerprint(text) if text is not None else None
        if recorded is not None and recorded[1] != current:
            findings.append(Finding(relative, recorded[0], "stale", f"{relative} was computed from other inputs than the tables in DESIGN.md now hold; run: mlsd sync"))
    return findings


def read_design(files: RepoFiles) -> str:
    """The text of the repo's DESIGN.md, read safely; :class:`MlsdError` when there is none."""
    text = files.read_text(DESIGN_FILE)
    if text is None:
        raise MlsdError(f"{files.display_root} has no {DESIGN_FILE}; run mlsd check in a generated design repo")
    return text


def check_directory(directory: Path) -> Report:
    """Every finding for the design repo at ``directory``.

    The repo may come from anyone, so files are read through
    :class:`~mlsd.repo_files.RepoFiles`: a link, a FIFO, a device or an
    oversized file is refused with one line instead of being followed or read.
    """
    documents = review_documents(RepoFiles(directory))
    document = parse(documents[DESIGN_FILE])
    findings = _section_rules(document)
    for section in document.sections:
        findings += _subsection_rules(section)
    findings += _requirement_rules(document)
    findings += _metrics_rules(document)
    findings += _baseline_rules(document)
    findings += _risk_rules(document)
    findings += _marker_rules(document)
    findings += _status_rules(document)
    findings += _ml_test_score_rules(document)
    findings += _stale_rules(documents, document)
    review, questions = _review_rules(documents, document)
    findings += review
    if CAPACITY_FILE in documents:
        findings += _capacity_rules(document, documents[CAPACITY_FILE])
    for name, record in documents.items():
        if not name.startswith(f"{DECISIONS_DIR}/"):
            continue
        for number, line in enumerate(strip_comments(record).splitlines(), start=1):
            match = MARKERS.search(line)
            if match:
                findings.append(Finding(name, number, "marker", f"unresolved marker '{match.group(0)}'"))
                break
    findings.sort(key=lambda f: (f.path != DESIGN_FILE, f.path, f.line, f.rule))
    unresolved = {n for q in questions if q.path == DESIGN_FILE for n in q.lines}
    return Report(findings, _scores(document, findings, unresolved), unresolved=len(questions))


def check_with_baseline(directory: Path, baseline: Path | None, *, update: bool = False) -> tuple[Report, bool]:
    """Check ``directory``, then record or apply ``baseline``; True as second value when it was recorded.

    ``baseline`` is a path as typed (relative to the current directory); it must
    name a file inside the repo, reached without links.
    """
    report = check_directory(directory)
    if baseline is None:
        return report, False
    files = RepoFiles(directory)
    relative = files.relative(Path(os.path.abspath(baseline)))
    if update or not files.exists(relative):
        write_baseline(report, files, relative)
        return report, True
    return apply_baseline(report, files, relative), False


# A baseline lists findings as short strings; a megabyte is thousands of them.
MAX_BASELINE_BYTES = 1024 * 1024


def apply_baseline(report: Report, files: RepoFiles, baseline: str | Path) -> Report:
    """Drop findings recorded in the repo's ``baseline`` file; only new ones remain."""
    name = files.show(files.relative(baseline))
    text = files.read_text(baseline, MAX_BASELINE_BYTES)
    if text is None:
        raise MlsdError(f"{name} does not exist; record one with --update-baseline")
    try:
        recorded = json.loads(text)
        entries = recorded["findings"]
        if not isinstance(entries, list) or not all(
            isinstance(item, list) and len(item) == 3 and all(isinstance(part, str) for part in item) for item in entries
        ):
            raise TypeError("findings must be a list of [path, rule, message] entries")
        known = Counter(tuple(item) for item in entries)
    except RecursionError:
        raise MlsdError(f"{name} is nested too deeply to be a baseline written by mlsd check") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise MlsdError(f"{name} is not a baseline written by mlsd check: {exc}; record it again with --update-baseline") from None
    fresh = []
    for finding in report.findings:
        if known[finding.key()] > 0:
            known[finding.key()] -= 1
        else:
            fresh.append(finding)
    return replace(report, findings=fresh, baselined=len(report.findings) - len(fresh))


def write_baseline(report: Report, files: RepoFiles, baseline: str | Path) -> None:
    """Record today's findings, atomically, so later checks fail only on new ones."""
    content = {"version": BASELINE_VERSION, "findings": [list(f.key()) for f in report.findings]}
    files.write_text(baseline, json.dumps(content, indent=2, ensure_ascii=False) + "\n")
