"""Reading a design document back: its sections, subsections and tables, with lines.

``mlsd check``, ``mlsd check --against`` and ``mlsd show --section`` all read a
DESIGN.md that a person may have edited, so parsing is lenient: it finds
headings and tables wherever they are and remembers the line of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION_TITLES = (
    "Problem Statement",
    "Scope & Requirements",
    "Data",
    "Model",
    "System Architecture",
    "Deployment",
    "Risks & Mitigations",
)
# Every pattern here runs in linear time on any line: each is anchored and no two
# neighbouring quantifiers can match the same characters. Trailing space and
# closing hashes are stripped in Python instead of by lazy groups, which made
# a heading with thousands of inner spaces take seconds.
_SECTION = re.compile(r"(\d+)\.[ \t]+(\S.*)")
_HEADING = re.compile(r"(#{2,6})[ \t]+(\S.*)")
_FENCE = re.compile(r"[ \t]*(?:```|~~~)")
_TABLE_RULE_CHARS = frozenset(" \t:|-")


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Block:
    """A heading and the lines under it up to the next heading of any level."""

    title: str
    level: int
    line: int
    body: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.body)


@dataclass
class Section:
    """One of the seven numbered sections, with its blocks (its own text first)."""

    number: int
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    _tables: list[Table] | None = field(default=None, init=False, repr=False, compare=False)

    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.body]

    def tables(self) -> list[Table]:
        """Every table in the section, parsed once: several rules read the same tables."""
        if self._tables is None:
            self._tables = tables(self.lines())
        return self._tables


@dataclass
class Document:
    """A parsed DESIGN.md."""

    lines: list[Line]
    sections: list[Section]
    outside: list[Line]  # lines before the first or after the last numbered section

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


def strip_comments(text: str) -> str:
    """Blank out HTML comments (the guidance) but keep every line break, so lines still count.

    A scan with ``str.find`` rather than a lazy regular expression: with
    thousands of unclosed ``<!--`` a regex retries the rest of the text from
    each one. An unclosed comment runs to the end, as it does in HTML.
    """
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            out.append(text[position:])
            return "".join(out)
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end + 3
        out.append(text[position:start])
        out.append("\n" * text.count("\n", start, stop))
        position = stop


def heading_of(text: str) -> tuple[int, str] | None:
    """Level and title of an ATX heading of level 2 to 6, closing hashes and spaces removed."""
    match = _HEADING.match(text)
    if match is None:
        return None
    title = match.group(2).rstrip()
    stripped = title.rstrip("#")
    if stripped != title and (not stripped or stripped[-1] in " \t"):
        title = stripped.rstrip() or title  # "## Title ##": the closing sequence is not part of it
    return len(match.group(1)), title


def parse(text: str) -> Document:
    """Split ``text`` into the numbered sections; comments are removed, fences respected."""
    lines = [Line(n, t) for n, t in enumerate(strip_comments(text).splitlines(), start=1)]
    sections: list[Section] = []
    outside: list[Line] = []
    in_fence = False
    current: Section | None = None
    for line in lines:
        if _FENCE.match(line.text):
            in_fence = not in_fence
        heading = None if in_fence else heading_of(line.text)
        section_match = _SECTION.fullmatch(heading[1]) if heading and heading[0] == 2 else None
        if section_match:
            current = Section(int(section_match.group(1)), section_match.group(2).rstrip(), line.number)
            current.blocks.append(Block(current.title, 2, line.number))
            sections.append(current)
            continue
        if heading and heading[0] == 2:
            current = None  # an unnumbered level-2 heading (References, Contents) ends a section
            outside.append(line)
            continue
        if current is None:
            outside.append(line)
            continue
        if heading:
            current.blocks.append(Block(heading[1], heading[0], line.number))
            continue
        current.blocks[-1].body.append(line)
    return Document(lines, sections, outside)


def section_markdown(text: str, number: int) -> str | None:
    """The raw Markdown of section ``number`` (guidance comments included), or None."""
    raw = text.splitlines()
    document = parse(text)
    section = document.section(number)
    if section is None:
        return None
    following = [s.line for s in document.sections if s.line > section.line]
    ends = following + [line.number for line in document.outside if line.number > section.line and line.text.startswith("## ")]
    end = min(ends) - 1 if ends else len(raw)
    return "\n".join(raw[section.line - 1 : end]).rstrip() + "\n"


@dataclass
class Table:
    """A Markdown table: header cells and rows of cells, each row with its line."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def row_cells(text: str) -> list[str]:
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def is_table_rule(text: str) -> bool:
    """A delimiter row such as ``|---|:--:|``: only pipes, colons, dashes and spaces."""
    return bool(text.strip()) and set(text) <= _TABLE_RULE_CHARS


def tables(lines: list[Line]) -> list[Table]:
    """Every table in ``lines``."""
    found: list[Table] = []
    index = 0
    while index < len(lines) - 1:
        head, rule = lines[index], lines[index + 1]
        if head.text.lstrip().startswith("|") and "-" in rule.text and is_table_rule(rule.text):
            table = Table(row_cells(head.text), [])
            index += 2
            while index < len(lines) and lines[index].text.lstrip().startswith("|"):
                table.rows.append((lines[index].number, row_cells(lines[index].text)))
                index += 1
            found.append(table)
            continue
        index += 1
    return found
