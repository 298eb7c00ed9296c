"""Preset, workload and field identifiers: lower-case ASCII snake_case.

A module of its own so that ``mlsd list`` can refuse a look-alike id (Cyrillic
letters in a Latin word) without importing the schema.
"""

from __future__ import annotations

import re

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def is_identifier(value: str) -> bool:
    """True for ``snake_case`` ids such as ``tiktok_fyp``; ASCII only, so no look-alike passes."""
    return IDENTIFIER.fullmatch(value) is not None
