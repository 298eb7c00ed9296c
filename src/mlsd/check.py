"""``mlsd check``: findings about a design repo, each as ``path:line: message``.

Rules read the generated layout (seven numbered sections, tables for
requirements, metrics and risks, docs/capacity.md) but tolerate edits: a rule
only speaks when it finds something to complain about, with the line to fix.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.parts import Part, parts
from mlsd.sections import SECTION_TITLES, Block, Document, Line, Section, parse, strip_comments, tables

DESIGN_FILE = "DESIGN.md"
CAPACITY_FILE = "docs/capacity.md"
DECISIONS_DIR = "docs/decisions"
METRIC_RUNGS = ("business", "online", "offline", "guardrail")
MIN_RISKS = 5
MARKERS = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|\?\?\?")
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
    for table in tables(section.lines()):
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
    ladders = [t for t in tables(section.lines()) if _column(t, "level") is not None]
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
    risk_tables = [t for t in tables(section.lines()) if _column(t, "risk") is not None]
    rows = [(line, cells, t) for t in risk_tables for line, cells in t.rows]
    findings = []
    if len(rows) < MIN_RISKS:
        findings.append(
            Finding(DESIGN_FILE, rows[0][0] if rows else section.line, "risk-count", f"only {len(rows)} risk{'s' * (len(rows) != 1)}; list at least {MIN_RISKS}", 7)
        )
    for line, cells, table in rows:
        column = _column(table, "mitigation")
        mitigation = cells[column].strip() if column is not None and column < len(cells) else ""
        if mitigation.lower() in {"", "-", "none", "n/a"}:
            risk = cells[_column(table, "risk")]
            findings.append(Finding(DESIGN_FILE, line, "risk-mitigation", f"risk '{risk}' has no mitigation", 7))
    return findings


def _marker_rules(document: Document) -> list[Finding]:
    findings = []
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


# --------------------------------------------------------------------------- #
# Capacity figures against the numbers stated elsewhere
# --------------------------------------------------------------------------- #

_SCALE_WORDS = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def parse_amount(text: str) -> float | None:
    """Read '347.2 k QPS', '12 billion', '1,500' or '0.6' back into a number."""
    match = re.search(r"(-?\d[\d,]*(?:\.\d+)?)\s*(k|M|G|T|thousand|million|billion|trillion)?\b", text)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    return value * _SCALE_WORDS.get(match.group(2) or "", 1)


def _scale_value(document: Document, prefix: str) -> float | None:
    section = document.section(2)
    if section is None:
        return None
    for table in tables(section.lines()):
        if _column(table, "figure") is None or _column(table, "value") is None:
            continue
        for _, cells in table.rows:
            if cells[_column(table, "figure")].lower().startswith(prefix.lower()):
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
    budget_line = next((l for l in lines if "add up to" in l.text and "target of" in l.text), None)
    p99 = None
    if budget_line is not None:
        match = re.search(r"add up to ([\d,.]+) ms against a target of ([\d,.]+) ms", budget_line.text)
        if match:
            total, p99 = (float(x.replace(",", "")) for x in match.groups())
            if total > p99:
                findings.append(Finding(CAPACITY_FILE, budget_line.number, "capacity-mismatch", f"the latency budget adds up to {total:g} ms, over the p99 target of {p99:g} ms"))

    requirements = []
    section = document.section(2)
    if section is not None:
        for table in tables(section.lines()):
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
# An open question: <<[UNRESOLVED]>> ... <<[END]>>. The brackets keep Markdown from
# reading the marker as an HTML tag; the bare <<UNRESOLVED>> form is read as well.
# A marker quoted in backticks is only being talked about.
UNRESOLVED_OPEN = re.compile(r"(?<!`)<<\[?UNRESOLVED\]?>>")
UNRESOLVED_CLOSE = re.compile(r"(?<!`)<<\[?END\]?>>")
APPROVED = "approved"
# A placeholder sentence of the blank skeleton is one of at least this many words.
_PLACEHOLDER_WORDS = 4


def review_files(directory: Path) -> list[tuple[str, Path]]:
    """The documents a reviewer reads, by repo path: DESIGN.md, README.md, docs/*.md, decision records.

    Symbolic links and anything but regular files are left out: a cloned repo
    must not make check read outside it.
    """
    candidates = [directory / DESIGN_FILE, directory / "README.md"]
    for folder in (directory / "docs", directory / DECISIONS_DIR):
        if folder.is_dir() and not folder.is_symlink():
            candidates += sorted(folder.glob("*.md"))
    return [
        (path.relative_to(directory).as_posix(), path)
        for path in candidates
        if path.is_file() and not path.is_symlink()
    ]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def conflict_findings(name: str, text: str) -> list[Finding]:
    """Every merge conflict marker left in ``text``; the middle markers only inside a conflict."""
    findings = []
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
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
    findings = []
    for number, line in enumerate(strip_comments(text).splitlines(), start=1):
        placeholder = next((p for p in placeholders if p in line), None)
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


def _review_rules(directory: Path, document: Document) -> tuple[list[Finding], list[OpenQuestion]]:
    findings = section_intro_findings(document)
    questions: list[OpenQuestion] = []
    placeholders = blank_placeholders()
    for name, path in review_files(directory):
        text = _read(path)
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
            1 for piece in pieces if not piece.numbers & (flagged | unresolved) and not MARKERS.search(piece.text)
        )
        loose = {(f.line, f.message) for f in findings if f.path == DESIGN_FILE and f.section == number and f.line not in covered}
        scores.append(SectionScore(number, title, max(len(pieces) + len(loose), 1), done))
    return scores


def check_directory(directory: Path) -> Report:
    """Every finding for the design repo at ``directory``."""
    design = directory / DESIGN_FILE
    if not design.is_file():
        raise MlsdError(f"{directory} has no {DESIGN_FILE}; run mlsd check in a generated design repo")
    text = design.read_text(encoding="utf-8")
    document = parse(text)
    findings = _section_rules(document)
    for section in document.sections:
        findings += _subsection_rules(section)
    findings += _requirement_rules(document)
    findings += _metrics_rules(document)
    findings += _baseline_rules(document)
    findings += _risk_rules(document)
    findings += _marker_rules(document)
    review, questions = _review_rules(directory, document)
    findings += review
    capacity = directory / CAPACITY_FILE
    if capacity.is_file():
        findings += _capacity_rules(document, capacity.read_text(encoding="utf-8"))
    decisions = directory / DECISIONS_DIR
    if decisions.is_dir():
        for record in sorted(decisions.glob("*.md")):
            for number, line in enumerate(strip_comments(record.read_text(encoding="utf-8")).splitlines(), start=1):
                match = MARKERS.search(line)
                if match:
                    findings.append(Finding(f"{DECISIONS_DIR}/{record.name}", number, "marker", f"unresolved marker '{match.group(0)}'"))
                    break
    findings.sort(key=lambda f: (f.path != DESIGN_FILE, f.path, f.line, f.rule))
    unresolved = {n for q in questions if q.path == DESIGN_FILE for n in q.lines}
    return Report(findings, _scores(document, findings, unresolved), unresolved=len(questions))


def apply_baseline(report: Report, baseline: Path) -> Report:
    """Drop findings recorded in ``baseline``; only new ones remain."""
    try:
        recorded = json.loads(baseline.read_text(encoding="utf-8"))
        known = Counter(tuple(item) for item in recorded["findings"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MlsdError(f"{baseline} is not a baseline written by mlsd check: {exc}") from None
    fresh = []
    for finding in report.findings:
        if known[finding.key()] > 0:
            known[finding.key()] -= 1
        else:
            fresh.append(finding)
    return replace(report, findings=fresh, baselined=len(report.findings) - len(fresh))


def write_baseline(report: Report, baseline: Path) -> None:
    """Record today's findings so later checks fail only on new ones."""
    baseline.parent.mkdir(parents=True, exist_ok=True)
    content = {"version": BASELINE_VERSION, "findings": [list(f.key()) for f in report.findings]}
    baseline.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
