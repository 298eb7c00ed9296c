"""Time mlsd against its references, side by side in one run.

Run it with the project's interpreter, from anywhere:

    .venv/bin/python bench/run.py            # about a minute
    .venv/bin/python bench/run.py --tests    # also time the whole test suite once

Every figure is a whole process started with subprocess: the median of several
runs after a warm-up run. Where a target is relative, the reference is measured
in the same run, interleaved with the command it is compared to, so a busy or a
slow machine moves both alike. The table is Markdown, ready for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
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

# One interpreter that generates every preset through the library, as a
# notebook or a script embedding mlsd would.
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

# argv for run number n; a generator needs a fresh output directory each time.
Argv = Callable[[int], Sequence[str]]


@dataclass
class Row:
    what: str
    seconds: float | None
    runs: int = 0
    reference: str = ""  # the label of the row this one is a ratio of
    ratio: float | None = None
    target: str = ""
    holds: bool | None = None


class Bench:
    def __init__(self, scratch: Path, runs: int, bytecode_cache: bool):
        self.scratch = scratch
        self.runs = runs
        self.env = _isolated_env(scratch, bytecode_cache)

    def run(self, argv: Sequence[str], ok: Sequence[int] = (0,), cwd: Path | None = None) -> float:
        start = time.perf_counter()
        done = subprocess.run(list(argv), env=self.env, cwd=cwd or self.scratch, capture_output=True)
        elapsed = time.perf_counter() - start
        if done.returncode not in ok:
            output = (done.stdout + done.stderr).decode(errors="replace")
            raise SystemExit(f"bench: {' '.join(map(str, argv))} exited {done.returncode}\n{output[-3000:]}")
        return elapsed

    def medians(self, argvs: Sequence[Argv], runs: int, ok: Sequence[int] = (0,)) -> list[float]:
        """Median seconds of each command: one warm-up round, then ``runs`` interleaved rounds."""
        times: list[list[float]] = [[] for _ in argvs]
        for n in range(runs + 1):
            # Alternate the order as well, so neither command always runs second.
            order = list(enumerate(argvs)) if n % 2 else list(reversed(list(enumerate(argvs))))
            for index, argv in order:
                elapsed = self.run(argv(n), ok)
                if n:
                    times[index].append(elapsed)
        return [statistics.median(t) for t in times]

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


def check_available(bench: Bench) -> bool:
    done = subprocess.run([MLSD, "check", "--help"], env=bench.env, capture_output=True)
    return done.returncode == 0


def measure(bench: Bench, with_tests: bool) -> list[Row]:
    rows: list[Row] = []
    runs, slow_runs = bench.runs, max(3, bench.runs // 3)
    reference = "import click, yaml"

    # Start-up: the CLI against the two libraries every command needs.
    base, helped, listed = bench.medians(
        [_fixed(PYTHON, "-c", "import click, yaml"), _fixed(MLSD, "--help"), _fixed(MLSD, "list")], runs
    )
    rows.append(Row(f'python -c "{reference}" (reference)', base, runs))
    for what, seconds in (("mlsd --help", helped), ("mlsd list", listed)):
        rows.append(_relative(what, seconds, runs, base, reference, 1.5))

    # Generation: mlsd new against plain cookiecutter of the same template and preset.
    out = bench.fresh_dir("generated")
    plain, made = bench.medians(
        [
            lambda n: (COOKIECUTTER, "--no-input", str(ROOT), f"preset={PRESET}", "-o", str(out / f"cookiecutter-{n}")),
            lambda n: (MLSD, "new", PRESET, "--no-input", "-o", str(out / f"mlsd-{n}")),
        ],
        slow_runs,
    )
    cc_label = f"cookiecutter --no-input <template> preset={PRESET}"
    rows.append(Row(f"{cc_label} (reference)", plain, slow_runs))
    rows.append(_relative(f"mlsd new {PRESET} --no-input", made, slow_runs, plain, "cookiecutter", 1.1))

    # Every preset, blank included, generated by one Python process through the library.
    all_runs = max(2, min(3, runs))
    count = len(list((ROOT / "presets").glob("*.yaml")))
    (together,) = bench.medians(
        [lambda n: (PYTHON, "-c", ALL_PRESETS_SCRIPT, str(bench.fresh_dir(f"all-{n}")))], all_runs
    )
    rows.append(_absolute(f"all {count} presets generated in one process", together, all_runs, 3.0))

    # mlsd check on a freshly generated repo (findings make it exit 1, which is fine here).
    if check_available(bench):
        repo = bench.fresh_dir("checked")
        bench.run((MLSD, "new", PRESET, "--no-input", "--slug", "checked-repo", "-o", str(repo)))
        (checked,) = bench.medians([_fixed(MLSD, "check", str(repo / "checked-repo"))], runs, ok=(0, 1))
        rows.append(_absolute("mlsd check <generated repo>", checked, runs, 0.2))
    else:
        rows.append(Row("mlsd check <generated repo>", None, target="< 0.2 s"))

    # Listing a presets directory of a thousand presets.
    directory = many_presets(bench.fresh_dir("many") / "presets", MANY_PRESETS)
    (many,) = bench.medians([_fixed(MLSD, "list", "--presets-dir", str(directory))], slow_runs)
    rows.append(_absolute(f"mlsd list with {MANY_PRESETS:,} presets in --presets-dir", many, slow_runs, 1.0))

    if with_tests:
        # One run: the suite is the slowest thing here and has no cold-start effect worth a warm-up.
        suite = bench.run((PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"), cwd=ROOT)
        rows.append(_absolute(f"test suite (pytest -n auto, {os.cpu_count()} cores), 1 run", suite, 1, 90.0))
    return rows


def _relative(what: str, seconds: float, runs: int, base: float, reference: str, limit: float) -> Row:
    ratio = seconds / base
    return Row(what, seconds, runs, reference, ratio, f"<= {limit} x {reference}", ratio <= limit)


def _absolute(what: str, seconds: float, runs: int, limit: float) -> Row:
    return Row(what, seconds, runs, target=f"< {limit:g} s", holds=seconds < limit)


def imports(bench: Bench) -> list[tuple[str, list[str]]]:
    """Which commands import cookiecutter or rich, read from ``python -X importtime``."""
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
        found.append((label, sorted(names & {"cookiecutter", "rich"})))
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
    lines = ["| what | median | runs | ratio | target | holds |", "|---|---:|---:|---:|---|---|"]
    for row in rows:
        ratio = f"{row.ratio:.2f} x {row.reference}" if row.ratio is not None else ""
        holds = "" if row.holds is None else ("yes" if row.holds else "**no**")
        runs = str(row.runs) if row.seconds is not None else ""
        lines.append(f"| {row.what} | {_seconds(row.seconds)} | {runs} | {ratio} | {row.target} | {holds} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per quick command (default 15; generation uses a third)")
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
            print(f"{label}: imports {', '.join(names) if names else 'neither cookiecutter nor rich'}")
    return 0 if all(r.holds is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
