"""System names and slugs: deriving a directory name and checking both.

A name is free text shown in the documents. A slug becomes a directory name, so
it is kept to a portable subset: lower-case ASCII letters, digits and hyphens.
"""

from __future__ import annotations

import re
import unicodedata

from mlsd.errors import InvalidNameError

MAX_NAME_LENGTH = 120
MAX_SLUG_LENGTH = 64
SLUG_RULE = "lower-case letters, digits and single hyphens, starting with a letter or digit"
# Device names that Windows refuses as file or directory names, with any extension.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def derive_slug(name: str) -> str:
    """Turn a system name into a slug; may return '' when nothing portable is left.

    >>> derive_slug("TikTok For You feed")
    'tiktok-for-you-feed'
    >>> derive_slug("Café Crème")
    'cafe-creme'
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG_CHARS.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
        # Cut at a word boundary when one is near, so the slug stays readable.
        if "-" in slug[MAX_SLUG_LENGTH // 2 :]:
            slug = slug.rsplit("-", 1)[0]
    if slug in WINDOWS_RESERVED:
        slug = f"{slug}-design"
    return slug


def check_name(name: str) -> str:
    """Return the name stripped of surrounding space, or raise :class:`InvalidNameError`."""
    stripped = name.strip()
    if not stripped:
        raise InvalidNameError("the system name is empty; give a name such as 'Checkout fraud scoring'")
    if len(stripped) > MAX_NAME_LENGTH:
        raise InvalidNameError(
            f"the system name is {len(stripped)} characters; keep it to {MAX_NAME_LENGTH} or fewer"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in stripped):
        raise InvalidNameError("the system name contains control characters or line breaks; use one line of text")
    if any(unicodedata.category(ch) == "Cf" for ch in stripped):
        # Bidirectional overrides and zero-width characters make text read differently from what it is.
        raise InvalidNameError(
            "the system name contains invisible formatting characters (bidirectional overrides or "
            "zero-width characters); type the name again as plain text"
        )
    return stripped


def check_slug(slug: str) -> str:
    """Return the slug if it is a portable directory name, else raise :class:`InvalidNameError`."""
    if not slug:
        raise InvalidNameError(
            f"the slug is empty: the name has no letters or digits to derive it from; "
            f"pass --slug with {SLUG_RULE}"
        )
    if len(slug) > MAX_SLUG_LENGTH:
        raise InvalidNameError(f"the slug '{slug[:20]}...' is {len(slug)} characters; the limit is {MAX_SLUG_LENGTH}")
    if not _SLUG.fullmatch(slug):
        raise InvalidNameError(f"the slug '{slug}' is not a valid directory name; use {SLUG_RULE}")
    if slug in WINDOWS_RESERVED:
        raise InvalidNameError(f"the slug '{slug}' is a reserved device name on Windows; choose another")
    return slug
