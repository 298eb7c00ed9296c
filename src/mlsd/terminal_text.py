"""Text laid out for a terminal: words filled to a width, list items kept apart, Markdown made readable."""

from __future__ import annotations

import re

from mlsd.sections import heading_of, is_table_rule, row_cells, strip_comments

MIN_WIDTH = 20
_BULLET = re.compile(r"(\s*)([-*+]|\d{1,9}[.)])\s+")


def fill(text: str, width: int) -> list[str]:
    """Fill words greedily into lines of at most ``width`` (20 at least); a longer word keeps its own line."""
    width = max(width, MIN_WIDTH)
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def hanging(first: str, text: str, width: int, indent: int | None = None) -> list[str]:
    """``first`` then ``text`` filled, continuation lines indented under the text."""
    indent = len(first) if indent is None else indent
    body = fill(text, width - indent) or [""]
    return [first + body[0]] + [" " * indent + line for line in body[1:]]


def field_lines(label: str, value: str | list[str], width: int, label_width: int = 13) -> list[str]:
    """A labelled value, or a labelled list with one item per line."""
    head = f"{label}:".ljust(label_width)
    if isinstance(value, str):
        return hanging(head, value, width)
    lines = [f"{label}:"]
    for item in value:
        lines += hanging("  - ", item, width)
    return lines


def markdown_for_terminal(markdown: str, width: int) -> list[str]:
    """Markdown as terminal lines: paragraphs and list items filled, tables as one item per row.

    Headings stay as they are; each table row becomes a list item of its cells,
    because a table wider than the terminal cannot be read once the terminal
    breaks it mid-word.
    """
    out: list[str] = []
    paragraph: list[str] = []
    bullet: tuple[str, list[str]] | None = None

    def flush() -> None:
        nonlocal bullet
        if paragraph:
            out.extend(fill(" ".join(paragraph), width))
            paragraph.clear()
        if bullet is not None:
            out.extend(hanging(bullet[0], " ".join(bullet[1]), width))
            bullet = None

    lines = strip_comments(markdown).splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped:
            flush()
            if out and out[-1] != "":
                out.append("")
            continue
        if heading_of(line) is not None or stripped.startswith("# "):
            flush()
            out.append(stripped)
            continue
        if stripped.startswith("|"):
            flush()
            following = lines[index].strip() if index < len(lines) else ""
            if is_table_rule(stripped) or ("-" in following and is_table_rule(following)):
                continue
            cells = [c for c in row_cells(stripped) if c]
            if cells:
                out.extend(hanging("- ", " | ".join(cells), width))
            continue
        match = _BULLET.match(line)
        if match:
            flush()
            bullet = (match.group(1) + match.group(2) + " ", [line[match.end() :].strip()])
            continue
        if bullet is not None:
            bullet[1].append(stripped)
        else:
            paragraph.append(stripped)
    flush()
    while out and out[-1] == "":
        out.pop()
    return out
