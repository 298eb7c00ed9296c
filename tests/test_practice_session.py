"""mlsd practice: a timed mock interview on a terminal, driven here through a pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from mlsd.cli import main
from mlsd.practice_session import clock, insert_into_section

MLSD = [sys.executable, "-c", "from mlsd.cli import main; main()"]
CLOCK = re.compile(rb"\[\d\d:\d\d of 30:00 \| 1\. Clarify requirements: \d\d:\d\d left\] > ")
# Written for this test, in words other than the preset's question.
LATE_QUESTION = "Is showing up late worse for a rider than showing up early?"
FORMULATION_ANSWER = "We learn an adjustment on top of the router's travel time instead of the full duration."


class Terminal:
    """mlsd running on a pseudo-terminal: read until a pattern shows, type lines."""

    def __init__(self, args: list[str], cwd: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1", "COLUMNS": "200"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # test workers may ignore it; a shell never does
            os.chdir(cwd)
            os.execvpe(MLSD[0], [*MLSD, *args], env)
        self.seen = b""

    def expect(self, pattern: bytes | re.Pattern[bytes], seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        found = lambda: (pattern.search(self.seen) if isinstance(pattern, re.Pattern) else pattern in self.seen)  # noqa: E731
        while not found() and time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.5)[0]:
                try:
                    self.seen += os.read(self.fd, 4096)
                except OSError:
                    break
        if not found():
            self.kill()
            pytest.fail(f"{pattern!r} did not show within {seconds} s: {self.seen[-2000:]!r}")

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def interrupt(self) -> int:
        time.sleep(0.5)  # let input() start waiting, as a person's Ctrl-C would find it
        os.kill(self.pid, signal.SIGINT)
        deadline, again = time.monotonic() + 30, time.monotonic() + 3
        while True:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > again:
                os.kill(self.pid, signal.SIGINT)
                again = time.monotonic() + 3
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail("mlsd practice did not stop within 30 s of Ctrl-C")
            try:
                if select.select([self.fd], [], [], 0.1)[0]:
                    os.read(self.fd, 4096)
            except OSError:
                pass

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def test_mock_interview_on_a_terminal(tmp_path: Path) -> None:
    repo = tmp_path / "eta-practice"
    term = Terminal(["practice", "uber_eta", "--minutes", "30", "--dir", str(repo)], tmp_path)
    term.expect(CLOCK)
    term.type(LATE_QUESTION)
    term.expect(b"Interviewer: Yes for pickups")  # the matching assumption, revealed
    term.type("")
    term.expect(b"Key questions you did not ask:")
    term.expect(b"Interviewer: Dispatch asks for ETAs")  # the step's probe
    term.type("")
    term.expect(b"2. ML problem formulation")
    term.type(FORMULATION_ANSWER)
    term.expect(b"left] > ", 30)
    deadline = time.monotonic() + 30
    while FORMULATION_ANSWER not in (repo / "DESIGN.md").read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert term.interrupt() == 130
    design = (repo / "DESIGN.md").read_text(encoding="utf-8")
    section_1 = design.split("## 1. Problem Statement")[1].split("## 2. ")[0]
    assert FORMULATION_ANSWER in section_1
    session = (repo / "practice-session.md").read_text(encoding="utf-8")
    assert LATE_QUESTION in session
    assert "Is there already a routing engine, and does the model replace it?" in session.split("did not ask")[1]
    graded = CliRunner().invoke(main, ["check", str(repo), "--against", "uber_eta", "--format", "json"])
    report = json.loads(graded.output)
    assert report["scored_sections"] == [1] and report["percent"] > 0  # the answer earns its idea


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_mock_interview_runs_under_tmux(tmp_path: Path) -> None:
    socket = f"mlsd-test-{os.getpid()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    command = " ".join([sys.executable, "-c", "'from mlsd.cli import main; main()'", "practice", "uber_eta", "--dir", str(tmp_path / "p")])
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-x", "160", "-y", "40", command], env=env, check=True)
    try:
        def screen() -> str:
            return subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=True).stdout

        deadline = time.monotonic() + 60
        while "left] >" not in screen() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "1. Clarify requirements" in screen()
        subprocess.run([*tmux, "send-keys", LATE_QUESTION, "Enter"], check=True)
        deadline = time.monotonic() + 30
        while "Yes for pickups" not in screen() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "Yes for pickups" in screen()
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def test_without_a_terminal_it_says_so_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["practice", "uber_eta", "--dir", str(tmp_path / "p")], input="hello\n")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "needs a terminal" in result.output
    assert not (tmp_path / "p").exists()


def test_answers_go_to_the_end_of_their_section() -> None:
    text = "# T\n\n## 1. A\n\nold\n\n## 2. B\n\nx\n"
    assert insert_into_section(text, 1, "new") == "# T\n\n## 1. A\n\nold\n\nnew\n\n## 2. B\n\nx\n"
    assert insert_into_section(text, 2, "new").endswith("x\n\nnew\n")


def test_clock_format() -> None:
    assert clock(0) == "00:00" and clock(125.9) == "02:05" and clock(-61) == "-01:01"
