"""Names and slugs."""

from __future__ import annotations

import pytest

from mlsd.errors import InvalidNameError
from mlsd.naming import MAX_SLUG_LENGTH, check_name, check_slug, derive_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("TikTok For You feed", "tiktok-for-you-feed"),
        ("Café Crème ranking", "cafe-creme-ranking"),
        ("  spaced   out  ", "spaced-out"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("{{ 7*7 }}", "7-7"),
        ("-leading dash", "leading-dash"),
        ("CON", "con-design"),
        ("nul", "nul-design"),
        ("中文 only", "only"),
        ("🚀🚀", ""),
        ("!!!", ""),
    ],
)
def test_derive_slug(name: str, slug: str) -> None:
    assert derive_slug(name) == slug


def test_long_names_are_cut_at_a_word_boundary() -> None:
    slug = derive_slug("word " * 100)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-") and slug.endswith("word")


@pytest.mark.parametrize("slug", ["a", "tiktok-fyp", "x1-2-3", "a" * MAX_SLUG_LENGTH])
def test_good_slugs(slug: str) -> None:
    assert check_slug(slug) == slug


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("", "the slug is empty"),
        ("UPPER", "is not a valid directory name"),
        ("a--b", "is not a valid directory name"),
        ("-a", "is not a valid directory name"),
        ("a/b", "is not a valid directory name"),
        ("..", "is not a valid directory name"),
        ("lpt1", "reserved device name on Windows"),
        ("a" * (MAX_SLUG_LENGTH + 1), f"the limit is {MAX_SLUG_LENGTH}"),
    ],
)
def test_bad_slugs(slug: str, message: str) -> None:
    with pytest.raises(InvalidNameError) as caught:
        check_slug(slug)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_names() -> None:
    assert check_name("  Fraud scoring ") == "Fraud scoring"
    for bad in ["", "   ", "x" * 121, "tab\there"]:
        with pytest.raises(InvalidNameError):
            check_name(bad)
