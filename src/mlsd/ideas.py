"""Finding an idea in a person's own words.

An idea is a few groups of phrasings (synonyms, abbreviations, related terms).
It is found in a piece of text when one sentence or bullet of it holds a match
for every group. Words are compared after Snowball stemming, so "arrives",
"arrival" and "arriving" meet. A list of terms pasted without sentences does
not count: a unit of text must read as prose (see :func:`reads_as_prose`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[a-z0-9]+")
# Where one sentence ends and the next begins inside a line or paragraph.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")

# Words that glue prose together. A unit of text made only of content words is
# a list of terms, not a statement of an idea.
FUNCTION_WORDS = frozenset(
    """a an the of to for by with on in at from as into onto over under after before until within without
    via about per than then so if because since while when where which who whom whose what how why whether
    is are was were be been being am has have had do does did can could will would should must may might
    shall it its this that these those we our us they their them i my you your he she his her there here
    not no nor only also each every any all both either neither some most more less fewer few once yet
    instead rather just even still""".split()
)
COORDINATORS = frozenset({"and", "or", "but"})
# Verb-like signs: pronoun subjects, auxiliaries, and common design verbs.
_VERB_WORDS = frozenset(
    """is are was were be been being am has have had do does did can could will would should must may might
    we it they i you use uses used train trains predict predicts serve serves log logs measure measures keep
    keeps add adds run runs send sends fall falls fail fails miss misses need needs make makes take takes
    give gives get gets let lets cap caps drop drops join joins store stores rank ranks score scores track
    tracks watch watches compare compares pick picks choose chooses learn learns fit fits""".split()
)
MIN_PROSE_WORDS = 4
# A unit with this many commas must look like a sentence, not a pasted list.
LIST_COMMAS = 3
MIN_FUNCTION_SHARE_IN_LISTS = 0.15


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, unstemmed."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The stemmed tokens of ``text``."""
    return [_stem(word) for word in tokens(text)]


def _verb_like(word: str) -> bool:
    return word in _VERB_WORDS or (len(word) > 4 and (word.endswith("ed") or word.endswith("ing")))


def reads_as_prose(text: str) -> bool:
    """True when ``text`` reads as a statement rather than a pasted list of terms.

    It needs at least four words and one function word other than and/or/but
    ("MAE of the pickup ETA" passes, "Pickup ETA MAE" does not). With three or
    more commas it must also have a verb-like word and a fair share of function
    words, which comma-separated word salad lacks.
    """
    words = tokens(text)
    if len(words) < MIN_PROSE_WORDS:
        return False
    function = [w for w in words if w in FUNCTION_WORDS]
    if not function:
        return False
    if text.count(",") >= LIST_COMMAS:
        share = (len(function) + sum(w in COORDINATORS for w in words)) / len(words)
        if share < MIN_FUNCTION_SHARE_IN_LISTS or not any(_verb_like(w) for w in words):
            return False
    return True


def sentences(text: str) -> list[str]:
    """``text`` split at sentence ends (., !, ? and ; followed by space)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


PREFIX = "*"


def _phrase(text: str) -> tuple[str, ...]:
    """A phrasing as words to compare: stems, or ``prefix*`` for a word written with a trailing ``*``."""
    words = []
    for raw in text.lower().split():
        star = raw.endswith(PREFIX)
        for position, token in enumerate(tokens(raw)):
            last = position == len(tokens(raw)) - 1
            words.append(token + PREFIX if star and last else _stem(token))
    return tuple(words)


@dataclass(frozen=True)
class Idea:
    """Groups of phrasings; found when every group has a phrasing inside one unit of text.

    A phrasing is one or more words compared after stemming, in order; a word
    written with a trailing ``*`` (``calibrat*``) matches any word starting so.
    """

    groups: tuple[tuple[tuple[str, ...], ...], ...]

    @classmethod
    def from_phrasings(cls, phrasings: list[list[str]]) -> Idea:
        return cls(tuple(tuple(p for p in (_phrase(phrase) for phrase in group) if p) for group in phrasings))

    def matches(self, unit: Unit) -> bool:
        """True when every group has a phrasing that occurs, word after word, in ``unit``."""
        return all(any(_contains(unit, phrase) for phrase in group) for group in self.groups)


def _word_matches(unit: Unit, index: int, wanted: str) -> bool:
    if wanted.endswith(PREFIX):
        return unit.words[index].startswith(wanted[:-1])
    return unit.stems[index] == wanted


def _contains(unit: Unit, needle: tuple[str, ...]) -> bool:
    width = len(unit.stems) - len(needle) + 1
    return any(all(_word_matches(unit, i + k, w) for k, w in enumerate(needle)) for i in range(max(width, 0)))


@dataclass(frozen=True)
class Unit:
    """One sentence or bullet of a person's text, with its stems."""

    text: str
    words: tuple[str, ...]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Unit:
        words = tuple(tokens(text))
        return cls(text, words, tuple(_stem(w) for w in words))


def prose_units(texts: list[str]) -> list[Unit]:
    """The sentences of ``texts`` that read as prose, ready to match."""
    return [Unit.of(s) for text in texts for s in sentences(text) if reads_as_prose(s)]


def first_match(idea: Idea, units: list[Unit]) -> Unit | None:
    """The first unit expressing ``idea``, or None."""
    return next((unit for unit in units if idea.matches(unit)), None)
