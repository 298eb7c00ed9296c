"""Time mlsd against its references and its budgets, in one run.

Run it with the project's interpreter, from anywhere:

    .venv/bin/python bench/run.py            # a minute or two
    .venv/bin/python bench/run.py --tests    # also time the whole test suite once

Every figure is a whole process started with subprocess. A relative target is
measured in pairs: the command and its reference run one after the other, in
alternating order, after one warm-up run of each, and the ratio is the median
of the per-pair ratios. Load from other work on the machine slows both halves
of a pair alike, so the ratio means the same on a busy machine as on a quiet
one; the median of each command is shown next to it. An absolute target is
judged on the median CPU time (user and system) of several runs after a
warm-up, which other work on the machine stretches far less than wall time;
the wall-time median is shown too. The test suite, spread over every core, is
judged on wall time. The table is Markdown, ready for docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
MLSD = str(BIN / "mlsd")
COOKIECUTTER = str(BIN / "cookiecutter")
PRESET = "tiktok_fyp"
MANY_PRESETS = 1000
REFERENCE = "import click, yaml"
# CPU per preset when every preset is generated in one process, start-up included.
PER_PRESET_CPU = 0.12
# The listing's first run after an edit, against the same reference as the cached one.
UNCACHED_LIST_RATIO = 1.7
# The generated repo of each preset is named after its id, so the largest one can be found again.
ALL_PRESETS_SCRIPT = """
import sys
from pathlib import Path
from mlsd.scaffold import GenerationRequest, catalogue, generate, resolve

out = Path(sys.argv[1])
presets = catalogue()
ids = list(presets.paths())
for preset_id in ids:
    slug = preset_id.replace("_", "-")
    generate(resolve(GenerationRequest(preset_id=preset_id, system_slug=slug, output_dir=out), presets))
print(len(ids))
"""
# mlsd check in one process on a normal and on a long document, alternated: the
# process start-up and imports are left out, so what is timed is the part that
# grows with the document. Prints the median of the per-pair ratios.
CHECK_GROWTH_SCRIPT = """
import contextlib, io, statistics, sys, time
from mlsd.cli import main

def timed(repo):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["check", repo], standalone_mode=False)
        except SystemExit:
            pass
    return time.perf_counter() - start

normal, long, pairs = sys.argv[1], sys.argv[2], int(sys.argv[3])
timed(normal), timed(long)
ratios = []
for n in range(pairs):
    if n % 2:
        b, a = timed(long), timed(normal)
    else:
        a, b = timed(normal), timed(long)
    ratios.append(b / a)
print(statistics.median(ratios))
"""
GROWTH = 10  # how many times longer the long DESIGN.md is

# argv for run number n; a generator needs a fresh output directory each time.
Argv = Callable[[int], Sequence[str]]


@dataclass
class Row:
    what: str
    seconds: float | None
    runs: int = 0
    reference: str = ""  # what the ratio is of
    reference_seconds: float | None = None
    ratio: float | None = None
    target: str = ""
    holds: bool | None = None
    note: str = ""
    cpu_seconds: float | None = None  # what an absolute target is judged on


class Bench:
    def __init__(self, scratch: Path, runs: int, bytecode_cache: bool):
        self.scratch = scratch
        self.runs = runs
        self.env = _isolated_env(scratch, bytecode_cache)
        self.last_cpu = 0.0

    def run(self, argv: Sequence[str], ok: Sequence[int] = (0,), cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
        """Wall seconds of one run; the CPU seconds it took (user and system) are left in ``last_cpu``."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(list(argv), env=env or self.env, cwd=cwd or self.scratch, capture_output=True, stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode not in ok:
            output = (done.stdout + done.stderr).decode(errors="replace")
            raise SystemExit(f"bench: {' '.join(map(str, argv))} exited {done.returncode}\n{output[-3000:]}")
        return elapsed

    def median(self, argv: Argv, runs: int, ok: Sequence[int] = (0,)) -> tuple[float, float]:
        """Median wall and median CPU seconds of ``runs`` runs after one warm-up run."""
        self.run(argv(0), ok)
        wall, cpu = [], []
        for n in range(1, runs + 1):
            wall.append(self.run(argv(n), ok))
            cpu.append(self.last_cpu)
        return statistics.median(wall), statistics.median(cpu)

    def paired(
        self, reference: Argv, command: Argv, runs: int, env: dict[str, str] | None = None
    ) -> tuple[float, float, float]:
        """Medians of the reference and the command, and the median of the per-pair ratios.

        One warm-up run of each, then ``runs`` pairs; the order within a pair
        alternates, so neither always runs second.
        """
        self.run(reference(0))
        self.run(command(0), env=env)
        base: list[float] = []
        timed: list[float] = []
        for n in range(1, runs + 1):
            if n % 2:
                base.append(self.run(reference(n)))
                timed.append(self.run(command(n), env=env))
            else:
                timed.append(self.run(command(n), env=env))
                base.append(self.run(reference(n)))
        ratios = [t / b for t, b in zip(timed, base)]
        return statistics.median(base), statistics.median(timed), statistics.median(ratios)

    def until_prompt(self, argv: Sequence[str], timeout: float = 20.0, marker: bytes | None = None) -> float:
        """Wall seconds from start until the command asks for input on a pseudo-terminal,
        or, given ``marker``, until a line holding it is complete on screen."""
        import pty
        import select
        import signal

        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the command on a terminal
            os.chdir(self.scratch)
            os.execve(argv[0], list(argv), self.env)
        seen = b""
        try:
            # A prompt ends in "> " or ": " with nothing after it; colour codes around it do not count.
            def shown() -> bool:
                plain = re.sub(rb"\x1b\[[0-9;]*m", b"", seen)
                if marker is not None:
                    return marker in plain and b"\n" in plain.split(marker, 1)[1]
                return plain.rstrip(b" ").endswith((b">", b":", b"?"))

            while not shown() and time.perf_counter() - start < timeout:
                ready, _, _ = select.select([fd], [], [], 0.2)
                if ready:
                    try:
                        seen += os.read(fd, 4096)
                    except OSError:
                        break
            return time.perf_counter() - start
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)

    def fresh_dir(self, name: str) -> Path:
        path = self.scratch / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def _isolated_env(scratch: Path, bytecode_cache: bool) -> dict[str, str]:
    """The caller's environment, minus what would change the measured work."""
    env = dict(os.environ)
    env.pop("MLSD_PRESETS_DIR", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    if bytecode_cache:
        # As an installed mlsd runs: byte-code compiled once, not on every start.
        # PYTHONDONTWRITEBYTECODE would recompile mlsd's modules (not the
        # pre-compiled site-packages) in every process and skew the ratios.
        # The cache goes to the scratch directory, not the checkout.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    # mlsd's cache of preset heads starts empty here and stays here.
    env["MLSD_CACHE_DIR"] = str(scratch / "mlsd-cache")
    # cookiecutter keeps replay files and clones in the home directory; keep them here.
    config = scratch / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {scratch / 'cookiecutters'}\nreplay_dir: {scratch / 'replay'}\n", encoding="utf-8"
    )
    env["COOKIECUTTER_CONFIG"] = str(config)
    return env


def _fixed(*argv: str) -> Argv:
    return lambda n: argv


def many_presets(directory: Path, count: int) -> Path:
    """``count`` copies of a built-in preset, each with its own id, in ``directory``."""
    source = (ROOT / "presets" / f"{PRESET}.yaml").read_text(encoding="utf-8")
    pattern = re.compile(rf"^id: {PRESET}$", re.M)
    if len(pattern.findall(source)) != 1:
        raise SystemExit(f"bench: presets/{PRESET}.yaml has no single 'id: {PRESET}' line to rewrite")
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        preset_id = f"bench_copy_{n:04d}"
        (directory / f"{preset_id}.yaml").write_text(pattern.sub(f"id: {preset_id}", source), encoding="utf-8")
    return directory


def available_commands(bench: Bench) -> set[str]:
    """The subcommands ``mlsd --help`` lists, read at run time."""
    done = subprocess.run([MLSD, "--help"], env=bench.env, capture_output=True, text=True, check=True)
    listed = done.stdout.split("Commands:", 1)[-1]
    return {line.split()[0] for line in listed.splitlines() if line.startswith("  ") and line.split()}


def lengthened(design: str, times: int) -> str:
    """``design`` with the body of each numbered section written ``times`` times over."""
    parts = re.split(r"(?m)^(?=## \d+\. )", design)
    return parts[0] + "".join(
        part.split("\n", 1)[0] + "\n" + part.split("\n", 1)[1] * times if "\n" in part else part for part in parts[1:]
    )


def largest_repo(generated: Path) -> tuple[Path, str]:
    """The generated repo with the longest DESIGN.md, and the preset it came from."""
    repo = max((p for p in generated.iterdir() if (p / "DESIGN.md").is_file()), key=lambda p: (p / "DESIGN.md").stat().st_size)
    return repo, repo.name.replace("-", "_")


# Rows for commands that are planned, measured from the day `mlsd --help` lists
# them: (command, what, argv given the largest repo and its preset id, seconds).
PLANNED: list[tuple[str, str, Callable[[Path, str], Sequence[str]], float]] = [
    ("sync", "mlsd sync <largest generated repo>", lambda repo, pid: (MLSD, "sync", str(repo)), 0.3),
    # Timed on a pseudo-terminal until the session's first step is on screen, in a
    # fresh practice directory each run; the repo is made while that step is read.
    ("practice", "mlsd practice <id>, first step on screen", None, 0.5),
]


def measure(bench: Bench, with_tests: bool) -> list[Row]:
    rows: list[Row] = []
    runs, slow_runs = bench.runs, max(3, bench.runs // 3)
    reference = _fixed(PYTHON, "-c", REFERENCE)
    commands = available_commands(bench)

    # Start-up: each command paired with the two libraries every command needs.
    quick = [("mlsd --help", ("--help",)), ("mlsd list", ("list",)), (f"mlsd show {PRESET}", ("show", PRESET))]
    for what, args in quick:
        base, seconds, ratio = bench.paired(reference, _fixed(MLSD, *args), runs)
        rows.append(_relative(what, seconds, runs, base, ratio, REFERENCE, 1.3))
    # The first run after a change reads the files again; these runs never keep what they read.
    uncached = {**bench.env, "MLSD_CACHE_DIR": ""}
    base, seconds, ratio = bench.paired(reference, _fixed(MLSD, "list"), runs, env=uncached)
    rows.append(_relative("mlsd list, preset heads not cached", seconds, runs, base, ratio, REFERENCE, UNCACHED_LIST_RATIO))
    base, seconds, ratio = bench.paired(reference, _fixed(MLSD, "show", PRESET), runs, env=uncached)
    rows.append(Row(f"mlsd show {PRESET}, brief not cached", seconds, runs, REFERENCE, base, ratio, note="loads and validates the preset"))

    # Generation: mlsd new paired with plain cookiecutter of the same template and preset.
    out = bench.fresh_dir("generated")
    plain, made, ratio = bench.paired(
        lambda n: (COOKIECUTTER, "--no-input", str(ROOT), f"preset={PRESET}", "-o", str(out / f"cookiecutter-{n}")),
        lambda n: (MLSD, "new", PRESET, "--no-input", "-o", str(out / f"mlsd-{n}")),
        slow_runs,
    )
    rows.append(_relative(f"mlsd new {PRESET} --no-input", made, slow_runs, plain, ratio, "cookiecutter", 1.1))

    # Every preset, blank included, generated by one Python process through the library.
    all_runs = max(2, min(3, runs))
    count = len(list((ROOT / "presets").glob("*.yaml")))
    together = bench.median(lambda n: (PYTHON, "-c", ALL_PRESETS_SCRIPT, str(bench.fresh_dir(f"all-{n}"))), all_runs)
    # Budgeted per preset: the row measures what a generation costs, not how many presets there are.
    limit = PER_PRESET_CPU * count
    rows.append(
        _absolute(f"all {count} presets generated in one process", together, all_runs, limit,
                  target=f"< {PER_PRESET_CPU:g} s CPU a preset ({limit:.1f} s)")
    )

    # mlsd check (findings make it exit 1, which is fine here) on the largest repo just generated.
    repo, preset_id = largest_repo(bench.scratch / "all-1")
    size = f"{(repo / 'DESIGN.md').stat().st_size // 1024} KB DESIGN.md"
    checked = bench.median(_fixed(MLSD, "check", str(repo)), runs, ok=(0, 1))
    rows.append(_absolute(f"mlsd check <largest generated repo: {preset_id}, {size}>", checked, runs, 0.3))
    against = bench.median(_fixed(MLSD, "check", str(repo), "--against", preset_id), runs, ok=(0, 1))
    rows.append(_absolute(f"mlsd check --against {preset_id} <that repo>", against, runs, 0.5))
    rows.append(check_growth(bench, repo, runs))

    files = sorted(str(p) for p in (ROOT / "presets").glob("*.yaml"))
    validated = bench.median(_fixed(MLSD, "validate", "--strict", *files), slow_runs)
    rows.append(_absolute(f"mlsd validate --strict presets/*.yaml ({len(files)} files)", validated, slow_runs, 2.0))

    # Listing a presets directory of a thousand presets.
    directory = many_presets(bench.fresh_dir("many") / "presets", MANY_PRESETS)
    many = bench.median(_fixed(MLSD, "list", "--presets-dir", str(directory)), slow_runs)
    rows.append(_absolute(f"mlsd list with {MANY_PRESETS:,} presets in --presets-dir", many, slow_runs, 1.0))

    for command, what, argv, limit in PLANNED:
        if command not in commands:
            print(f"bench: skipped '{what}': mlsd has no '{command}' command yet", file=sys.stderr)
            continue
        if argv is None:
            practice_dir = bench.fresh_dir("practice")
            started = [
                bench.until_prompt((MLSD, "practice", preset_id, "--dir", str(practice_dir / f"run-{n}")), marker=b"Draw: ")
                for n in range(runs + 1)
            ][1:]  # the first run warms up
            wall = statistics.median(started)
            rows.append(Row(what, wall, runs, target=f"< {limit:g} s", holds=wall < limit))
            continue
        seconds = bench.median(lambda n, argv=argv: argv(repo, preset_id), runs, ok=(0, 1))
        rows.append(_absolute(what, seconds, runs, limit))

    if with_tests:
        rows.append(test_suite(bench))
    return rows


def check_growth(bench: Bench, repo: Path, runs: int) -> Row:
    """mlsd check on a DESIGN.md ten times as long: the whole command, and how the document's part grows."""
    long_repo = bench.scratch / "long" / repo.name
    shutil.rmtree(long_repo.parent, ignore_errors=True)
    shutil.copytree(repo, long_repo)
    design = (repo / "DESIGN.md").read_text(encoding="utf-8")
    (long_repo / "DESIGN.md").write_text(lengthened(design, GROWTH), encoding="utf-8")
    wall, cpu = bench.median(_fixed(MLSD, "check", str(long_repo)), runs, ok=(0, 1))
    done = subprocess.run(
        [PYTHON, "-c", CHECK_GROWTH_SCRIPT, str(repo), str(long_repo), str(runs)],
        env=bench.env, capture_output=True, text=True, check=True,
    )
    ratio = float(done.stdout.split()[-1])
    limit = GROWTH * 1.2
    return Row(
        f"mlsd check <that repo, DESIGN.md {GROWTH}x as long>",
        wall,
        runs,
        reference="the normal check, in process",
        ratio=ratio,
        target=f"< 1 s CPU; in process <= {limit:g} x the normal check",
        holds=cpu < 1.0 and ratio <= limit,
        cpu_seconds=cpu,
    )


def test_suite(bench: Bench) -> Row:
    """One run of the whole suite with the repo's own pytest configuration."""
    # No warm-up: the suite is the slowest thing here and has no cold start worth one.
    seconds = bench.run((PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"), cwd=ROOT, env=_suite_env(bench))
    cores = os.cpu_count() or 1
    # Wall time is the promise here, the suite being spread over every core;
    # the CPU column says what it would take with the cores to itself.
    return Row(
        f"test suite (pytest -q, repo config: -n auto, {cores} cores), 1 run",
        seconds,
        1,
        target="< 120 s wall",
        holds=seconds < 120.0,
        cpu_seconds=bench.last_cpu,
        note=f"{bench.last_cpu / cores:.0f} s of CPU per core",
    )


def _suite_env(bench: Bench) -> dict[str, str]:
    """The suite keeps its own caches; only the byte-code prefix is shared with the other rows."""
    env = {k: v for k, v in bench.env.items() if k not in ("MLSD_CACHE_DIR", "COOKIECUTTER_CONFIG")}
    return env


def _relative(what: str, seconds: float, runs: int, base: float, ratio: float, reference: str, limit: float) -> Row:
    return Row(what, seconds, runs, reference, base, ratio, f"<= {limit} x {reference}", ratio <= limit)


def _absolute(what: str, timing: tuple[float, float], runs: int, limit: float, target: str | None = None) -> Row:
    """A budget in seconds, judged on CPU time: other work on the machine stretches wall time, not CPU time."""
    wall, cpu = timing
    return Row(what, wall, runs, target=target or f"< {limit:g} s CPU", holds=cpu < limit, cpu_seconds=cpu)


def imports(bench: Bench) -> list[tuple[str, list[str]]]:
    """Which commands import cookiecutter, rich or yaml, read from ``python -X importtime``."""
    out = bench.fresh_dir("imports")
    commands = [
        ("mlsd --help", ["--help"]),
        ("mlsd list", ["list"]),
        (f"mlsd show {PRESET}", ["show", PRESET]),
        ("mlsd validate", ["validate", str(ROOT / "presets" / f"{PRESET}.yaml")]),
        (f"mlsd new {PRESET}", ["new", PRESET, "--no-input", "-o", str(out)]),
    ]
    found = []
    for label, args in commands:
        done = subprocess.run([PYTHON, "-X", "importtime", MLSD, *args], env=bench.env, capture_output=True, text=True)
        names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if line.startswith("import time:")}
        found.append((label, sorted(names & {"cookiecutter", "rich", "yaml"})))
    return found


def machine(bytecode_cache: bool) -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {}
    for name in ("mlsd", "cookiecutter", "click", "pyyaml"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "?"
    return [
        f"date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"cpu: {cpu}, {usable} cores usable of {os.cpu_count()}",
        f"system: {platform.system()} {platform.release()}",
        f"python: {platform.python_implementation()} {platform.python_version()}",
        "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "byte-code cache: " + ("on, in a scratch directory" if bytecode_cache else "as the caller's environment has it"),
    ]


def _seconds(value: float | None) -> str:
    if value is None:
        return "not available"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: list[Row]) -> str:
    lines = [
        "| what | median | CPU median | runs | reference median | paired ratio | target | holds |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        ratio = f"{row.ratio:.2f} x {row.reference}" if row.ratio is not None else ""
        base = _seconds(row.reference_seconds) if row.reference_seconds is not None else ""
        holds = "" if row.holds is None else ("yes" if row.holds else "**no**")
        runs = str(row.runs) if row.seconds is not None else ""
        what = f"{row.what} ({row.note})" if row.note else row.what
        cpu = _seconds(row.cpu_seconds) if row.cpu_seconds is not None else ""
        lines.append(f"| {what} | {_seconds(row.seconds)} | {cpu} | {runs} | {base} | {ratio} | {row.target} | {holds} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs (pairs) per quick command (default 15; slow ones use a third)")
    parser.add_argument("--tests", action="store_true", help="also time one run of the whole test suite")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    parser.add_argument(
        "--as-is",
        dest="bytecode_cache",
        action="store_false",
        help="keep the caller's PYTHONDONTWRITEBYTECODE instead of caching byte-code as an installed mlsd does",
    )
    args = parser.parse_args(argv)
    for tool in (MLSD, COOKIECUTTER):
        if not Path(tool).is_file():
            parser.error(f"{tool} not found; run this with the project's interpreter (.venv/bin/python bench/run.py)")
    with tempfile.TemporaryDirectory(prefix="mlsd-bench-") as scratch:
        bench = Bench(Path(scratch), max(1, args.runs), args.bytecode_cache)
        rows = measure(bench, args.tests)
        imported = imports(bench)
    if args.json:
        print(json.dumps({"machine": machine(args.bytecode_cache), "rows": [vars(r) for r in rows], "imports": dict(imported)}, indent=2))
    else:
        print("\n".join(machine(args.bytecode_cache)))
        print()
        print(table(rows))
        print()
        for label, names in imported:
            print(f"{label}: imports {', '.join(names) if names else 'none of cookiecutter, rich, yaml'}")
    return 0 if all(r.holds is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
