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
_SECTION = re.compile(r"^## (\d+)\.\s+(.+?)\s*$")
_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")


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

    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.body]


@dataclass
class Document:
    """A parsed DESIGN.md."""

    lines: list[Line]
    sections: list[Section]
    outside: list[Line]  # lines before the first or after the last numbered section

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


def strip_comments(text: str) -> str:
    """Blank out HTML comments (the guidance) but keep every line break, so lines still count."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


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
        heading = None if in_fence else _HEADING.match(line.text)
        section_match = _SECTION.match(line.text) if heading and len(heading.group(1)) == 2 else None
        if section_match:
            current = Section(int(section_match.group(1)), section_match.group(2), line.number)
            current.blocks.append(Block(current.title, 2, line.number))
            sections.append(current)
            continue
        if heading and len(heading.group(1)) == 2:
            current = None  # an unnumbered level-2 heading (References, Contents) ends a section
            outside.append(line)
            continue
        if current is None:
            outside.append(line)
            continue
        if heading:
            current.blocks.append(Block(heading.group(2), len(heading.group(1)), line.number))
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


def _cells(text: str) -> list[str]:
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def tables(lines: list[Line]) -> list[Table]:
    """Every table in ``lines``."""
    found: list[Table] = []
    index = 0
    while index < len(lines) - 1:
        head, rule = lines[index], lines[index + 1]
        if head.text.lstrip().startswith("|") and re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", rule.text) and "-" in rule.text:
            table = Table(_cells(head.text), [])
            index += 2
            while index < len(lines) and lines[index].text.lstrip().startswith("|"):
                table.rows.append((lines[index].number, _cells(lines[index].text)))
                index += 1
            found.append(table)
            continue
        index += 1
    return found
