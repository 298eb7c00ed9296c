"""How figures are written: magnitudes, byte sizes, counts and plain numbers.

One home for number formatting, so capacity.md, the summary card and any
prose that names a figure all show it the same way.
"""

from __future__ import annotations

import math

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600
DAYS_PER_YEAR = 365
DAYS_PER_MONTH = 30
BITS_PER_BYTE = 8


def si(value: float, unit: str = "", decimals: int = 1) -> str:
    """Readable magnitude: 1_234_000 -> '1.2 M', with an optional unit."""
    prefixes = ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
    for factor, prefix in prefixes:
        if abs(value) >= factor:
            text = f"{value / factor:.{decimals}f}".rstrip("0").rstrip(".")
            return f"{text} {prefix}{unit}".rstrip()
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return f"{text} {unit}".rstrip()


def readable_bytes(value: float) -> str:
    """Bytes in decimal units: 3.4e12 -> '3.4 TB'."""
    return si(value, "B")


def count(value: float) -> str:
    """A large count in words: 1.2e10 -> '12 billion', 3_400 -> '3,400'."""
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= factor:
            text = f"{value / factor:.1f}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    return f"{round(value):,}"


def number(value: float) -> str:
    """A number as written in a document: 600000000 -> '600,000,000', 99.995 -> '99.995'.

    Large values are rounded to whole units; smaller ones keep up to six
    significant digits, so an availability of 99.995 is never shown as 100.
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1e5:
        return f"{round(value):,}"
    return f"{value:,.6g}"


def plural(value: float, singular: str, plural_form: str | None = None) -> str:
    """'1 host', '2 hosts', '1,234 hosts': a whole count with its noun agreeing."""
    noun = singular if value == 1 else (plural_form or singular + "s")
    return f"{number(value)} {noun}"


def decimal(value: float, unit: str, digits: int = 3) -> str:
    """A measured quantity to a few significant digits: 26.04 ms, 0.0417 s."""
    text = f"{value:,.{digits}g}" if abs(value) < 10 ** digits else f"{round(value):,}"
    if "e" in text:
        text = number(value)
    return f"{text} {unit}".strip()


def duration_hours(hours: float) -> str:
    """Hours as the unit that reads best: '45 min', '7.5 h', '3.2 days'."""
    if hours < 1:
        return decimal(hours * 60, "min")
    if hours < 48:
        return decimal(hours, "h")
    return decimal(hours / 24, "days")


def money(value: float, currency: str = "USD") -> str:
    """An amount of money: 'USD 1.2 M', 'USD 450', 'USD 0.12'."""
    if abs(value) >= 1e4:
        return f"{currency} {si(value)}"
    if abs(value) >= 10:
        return f"{currency} {round(value):,}"
    return f"{currency} {value:.2f}"


def is_finite(value: float) -> bool:
    return not (math.isinf(value) or math.isnan(value))
