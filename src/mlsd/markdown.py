"""Making preset text safe inside generated Markdown."""

from __future__ import annotations

import re
from typing import Any

from mlsd.figures.units import number
from mlsd.schema import NOT_APPLICABLE, TODO_MARKER, is_not_applicable

_WHITESPACE = re.compile(r"\s+")


# What would turn plain text at the start of a line into a heading, quote, list or rule.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](\s|$))|[-*_=]{3,}\s*$)")
_FENCE_RUN = re.compile(r"`{3,}|~{3,}")


def fold(text: object) -> str:
    """Fold any run of white space, line breaks included, into one space."""
    text = str(text)
    # Most preset text is already folded: every white-space character but the
    # plain space is unprintable, so this test is exact and skips the pattern.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _WHITESPACE.sub(" ", text).strip()


# A statement ends at . ! or ? followed by space and a capital or a digit, so
# "e.g. the" and "0.6 of" do not end one, or at a semicolon.
_STATEMENT_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|;\s+")


def first_statement(text: object) -> str:
    """The first sentence of ``text``, or its first clause before a semicolon,
    for a summary line that links to the rest."""
    return _STATEMENT_BREAK.split(fold(text), maxsplit=1)[0]


def one_line(text: object) -> str:
    """Preset or user text as one line of Markdown that shows exactly as written.

    ``<`` is escaped so no value can open an HTML tag or a comment that hides the
    rest of the page, and ``][`` so no two bracketed words become a reference link; fence runs and line-start markers are escaped so no value
    can open a code block or turn into a heading, list or quote.
    """
    # "][" would join two bracketed words into a reference link ("float32[360][12]").
    line = fold(text).replace("<", "&lt;").replace("][", "]\\[")
    if "``" in line or "~~" in line:
        line = _FENCE_RUN.sub(lambda run: "".join("\\" + ch for ch in run.group()), line)
    match = _BLOCK_START.match(line)
    if match:
        end = match.end()
        line = line[:end] + "\\" + line[end:] if match.group().isdigit() else "\\" + line
    return line


def table_cell(text: object) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return one_line(text).replace("|", "\\|")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: '5. System Architecture' -> '5-system-architecture'."""
    lowered = heading.strip().lower()
    kept = "".join(ch for ch in lowered if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


# Plural units as presets write them, with their singular for a value of exactly 1.
_SINGULAR = {
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week",
    "hosts": "host", "servers": "server", "replicas": "replica", "workers": "worker", "GPUs": "GPU",
    "accelerators": "accelerator", "nodes": "node", "events": "event", "requests": "request",
}
# A duration that is a whole number of a larger unit reads better in it: 1,440 minutes is 1 day.
_WHOLE_UNITS = (("minutes", 1440, "days"), ("hours", 24, "days"), ("seconds", 3600, "hours"))


def quantity(value: Any, unit: str) -> str:
    """A number with its unit, as a person writes it: '1 minute', '2 days' for 2,880 minutes."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return f"{show(value)} {unit}".strip()
    for small, factor, large in _WHOLE_UNITS:
        if unit == small and value >= factor and value % factor == 0:
            value, unit = value / factor, large
    if value == 1:
        unit = _SINGULAR.get(unit, unit)
    return f"{number(value)} {unit}".strip()


def code_span(text: object) -> str:
    """Text as an inline code span, so '[360][12]' is never read as a link; for table cells."""
    folded = fold(text).replace("|", "\\|")
    fence = "``" if "`" in folded else "`"
    padding = " " if folded.startswith("`") or folded.endswith("`") else ""
    return f"{fence}{padding}{folded}{padding}{fence}"


_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


def name_cell(text: object) -> str:
    """A field name for a table cell: an identifier such as ``user_id`` as code,
    a name in words as plain text."""
    folded = fold(text)
    return code_span(folded) if "_" in folded and _IDENTIFIER.fullmatch(folded) else table_cell(folded)


def show(value: Any) -> str:
    """A field value as text: numbers with separators, empty numbers as TODO."""
    if value is None:
        return TODO_MARKER
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    if is_not_applicable(value):
        return f"Not applicable: {value[NOT_APPLICABLE]}"
    return str(value)
