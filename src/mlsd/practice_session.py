"""A timed mock interview in the terminal, written into a practice repo as it is typed.

The session walks the steps of the shaped plan with a clock. In the clarifying
step each question the candidate types is matched against the preset's
clarifying questions (the idea matcher of :mod:`mlsd.ideas`); a match reveals
that question's assumption. Every other line typed goes straight into the
matching section of the practice repo's DESIGN.md, each write atomic, so Ctrl-C
loses nothing; ``mlsd check --against`` grades the repo afterwards. What was
asked, revealed and missed is kept in ``practice-session.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd.ideas import Idea, Unit
from mlsd.interview import FRAMEWORK, STEP_GUIDES, shaped_minutes, step_ids
from mlsd.repo_files import RepoFiles

SESSION_FILE = "practice-session.md"
DESIGN_FILE = "DESIGN.md"
# Where a step's answers land in DESIGN.md: the section the step is mostly about.
STEP_SECTIONS = {"clarify": 2, "formulate": 1, "architecture": 5, "model": 4, "scale": 6, "monitor": 7}


def clock(seconds: float) -> str:
    """mm:ss, or -mm:ss past the end."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


def insert_into_section(text: str, number: int, addition: str) -> str:
    """``text`` with ``addition`` at the end of section ``number`` (before the next level-2 heading)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"## {number}. ")), None)
    if start is None:
        return text.rstrip("\n") + f"\n\n{addition}\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    merged = lines[:end] + ["", addition] + lines[end:]
    return "\n".join(merged) + "\n"


@dataclass
class SessionLog:
    """What happened, kept as Markdown next to the design."""

    title: str
    minutes: int
    asked: list[tuple[str, str | None]] = field(default_factory=list)  # question typed, assumption revealed
    missed_key: list[str] = field(default_factory=list)
    probes: list[tuple[str, str]] = field(default_factory=list)  # probe, step title

    def markdown(self) -> str:
        out = [f"# Practice session: {self.title}", "", f"A {self.minutes}-minute mock interview.", ""]
        out += ["## Clarifying questions you asked", ""]
        out += [f"- {q}" + (f" (assumption: {a})" if a else " (no matching assumption)") for q, a in self.asked] or ["- none"]
        out += ["", "## Key questions you did not ask", ""]
        out += [f"- {q}" for q in self.missed_key] or ["- none"]
        out += ["", "## Follow-ups the interviewer asked", ""]
        out += [f"- {step}: {probe}" for probe, step in self.probes] or ["- none"]
        return "\n".join(out) + "\n"


class Session:
    """One mock interview; ``ask`` reads a line (None at end of input), ``say`` prints one."""

    def __init__(
        self,
        preset: dict[str, Any],
        repo: Path,
        minutes: int,
        ask: Callable[[str], str | None],
        say: Callable[[str], None],
        now: Callable[[], float] = time.monotonic,
        prepare: Callable[[], None] = lambda: None,
    ):
        self.preset = preset
        self.repo = repo
        self._files: RepoFiles | None = None
        self.minutes = minutes
        self.ask, self.say, self.now = ask, say, now
        # Run once the first step is on screen and before anything is written:
        # the practice repo is made while the candidate reads the first step.
        self.prepare = prepare
        self.started = now()
        self.log = SessionLog(preset["title"], minutes)
        interview = preset.get("interview") or {}
        self.clarifying = [
            (preset["clarifying_questions"][c["question"] - 1], c["key"] == "yes", Idea.from_phrasings(c["phrasings"]))
            for c in interview.get("clarifying", [])
        ]
        self.probes = interview.get("probes", [])

    # -- writing ---------------------------------------------------------------- #
    @property
    def files(self) -> RepoFiles:
        # Opened at the first write: the repo may be made by ``prepare`` only.
        if self._files is None:
            self._files = RepoFiles(self.repo)
        return self._files

    def _append(self, section: int, text: str) -> None:
        design = self.files.read_text(DESIGN_FILE) or ""
        self.files.write_text(DESIGN_FILE, insert_into_section(design, section, text))

    def _save_log(self) -> None:
        self.files.write_text(SESSION_FILE, self.log.markdown())

    # -- the clock -------------------------------------------------------------- #
    def _prompt(self, step_title: str, step_end: float) -> str:
        elapsed = self.now() - self.started
        return f"[{clock(elapsed)} of {self.minutes}:00 | {step_title}: {clock(step_end - elapsed)} left] > "

    # -- steps ------------------------------------------------------------------ #
    def run(self) -> None:
        weights = shaped_minutes(self.preset, self.minutes)
        titles = [step.title for step in FRAMEWORK]
        self.say(f"Mock interview: {self.preset['title']} ({self.minutes} minutes).")
        self.say("Type one line at a time; an empty line ends a step. Every answer is saved as you type it.")
        end = weights[0] * 60
        for index, (sid, share) in enumerate(zip(step_ids(), weights[1:-1])):
            end += share * 60
            title = f"{index + 1}. {titles[index]}"
            guide = STEP_GUIDES[sid]
            self.say("")
            self.say(f"== {title} ({share} min) ==")
            self.say(f"Decide: {guide.decide}")
            self.say(f"Draw: {guide.draw}")
            if index == 0:
                self.prepare()
            if sid == "clarify":
                self._clarify(title, end)
            else:
                self._answer(title, end, STEP_SECTIONS[sid])
            self._probe(sid, title, end)
        self.say("")
        self.say(f"Interviewer's deep dive ({weights[-1]} min): expect the follow-ups in docs/interviewer.md.")

    def _lines(self, title: str, end: float):
        while True:
            line = self.ask(self._prompt(title, end))
            if line is None or not line.strip():
                return
            yield line.strip()

    def _clarify(self, title: str, end: float) -> None:
        self.say("Ask the interviewer your clarifying questions, in your own words.")
        asked: set[int] = set()
        for line in self._lines(title, end):
            unit = Unit.of(line)
            hit = next((i for i, (_, _, idea) in enumerate(self.clarifying) if i not in asked and idea.matches(unit)), None)
            if hit is None:
                self.say("Interviewer: good question; assume what you think is reasonable and say it.")
                self.log.asked.append((line, None))
            else:
                question = self.clarifying[hit][0]
                asked.add(hit)
                self.say(f"Interviewer: {question['assumption']}")
                self.log.asked.append((line, question["assumption"]))
            self._save_log()
        self.log.missed_key = [q["question"] for i, (q, key, _) in enumerate(self.clarifying) if key and i not in asked]
        if self.log.missed_key:
            self.say("Key questions you did not ask:")
            for question in self.log.missed_key:
                self.say(f"  - {question}")
        self._save_log()

    def _answer(self, title: str, end: float, section: int) -> None:
        for line in self._lines(title, end):
            self._append(section, line)

    def _probe(self, sid: str, title: str, end: float) -> None:
        probe = next((p for p in self.probes if p["step"] == sid), None)
        if probe is None:
            return
        self.say(f"Interviewer: {probe['question']}")
        self.log.probes.append((probe["question"], title))
        self._save_log()
        for line in self._lines(title, end):
            self._append(STEP_SECTIONS[sid], line)
