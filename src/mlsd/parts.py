"""The parts of a subsection that completeness counts: table rows, list items, paragraphs.

A subsection is rarely all done or all missing: a risks table with five finished
rows and one marked TODO is five sixths done. Each part is scored on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlsd.sections import Line

# Each pattern is a single pass over the line: no quantified group repeats another.
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_TABLE_RULE = re.compile(r"[\s:|]*-[\s:|-]*")
_FENCE = re.compile(r"\s*(?:```|~~~)")


@dataclass
class Part:
    """One answer-sized piece of text and the lines it spans."""

    kind: str  # "row", "item", "paragraph" or "code"
    lines: list[Line]

    @property
    def numbers(self) -> set[int]:
        return {line.number for line in self.lines}

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def parts(body: list[Line]) -> list[Part]:
    """Split the lines under one heading into parts.

    A table's header and rule are not parts; each row is. A list item (with its
    continuation lines) is one part, a nested item another. A paragraph is one
    part, except a lead-in that ends with a colon and only introduces what
    follows ("Trade-offs:", "- Pros:"), and a one-line pointer to another
    document of the repo ("Recorded in [docs/decisions/...](...)."): neither
    is an answer. A fenced block is one part.
    """
    found: list[Part] = []
    current: Part | None = None
    in_fence = False
    for index, line in enumerate(body):
        text = line.text
        if in_fence:
            current.lines.append(line)  # type: ignore[union-attr]
            in_fence = not _FENCE.match(text)
            continue
        if not text.strip():
            current = None
            continue
        if _FENCE.match(text):
            current = Part("code", [line])
            found.append(current)
            in_fence = True
            continue
        if text.lstrip().startswith("|"):
            following = body[index + 1].text if index + 1 < len(body) else ""
            if _TABLE_RULE.fullmatch(text) or _TABLE_RULE.fullmatch(following):
                current = None  # the header row or the rule under it
                continue
            current = Part("row", [line])
            found.append(current)
            current = None
            continue
        if _LIST_ITEM.match(text):
            current = Part("item", [line])
            found.append(current)
            continue
        if current is None:
            current = Part("paragraph", [line])
            found.append(current)
        else:
            current.lines.append(line)
    return [part for part in found if not _lead_in(part) and not _pointer(part)]


def _lead_in(part: Part) -> bool:
    if part.kind not in ("item", "paragraph"):
        return False
    return part.text.rstrip().endswith(":") or part.text.rstrip().endswith(":**")


def _pointer(part: Part) -> bool:
    return part.kind == "paragraph" and len(part.lines) == 1 and "](docs/" in part.text
