"""Hostile and broken input: one clear line, a non-zero exit, nothing lost.

Each test here is a row of docs/robustness.md.
"""

from __future__ import annotations

import hashlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PRESETS_DIR, ROOT, load_yaml
from mlsd.cli import main

RUNNER = CliRunner()
MLSD = [sys.executable, "-c", "from mlsd.cli import main; main()"]


def _digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _new(tmp_path: Path, *args: str):
    return RUNNER.invoke(main, ["new", "-o", str(tmp_path), "--no-input", *args])


# --- names and slugs ------------------------------------------------------- #

@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("x" * 500, None),
        ("Crème brûlée ranker", "creme-brulee-ranker"),
        ("中文 推荐 system", "system"),
        ("🚀 launch ranker", "launch-ranker"),
        ("مرحبا ranker", "ranker"),
        ("CON", "con-design"),
        ("-leading dash", "leading-dash"),
        ("{{ 7*7 }} ranker", "7-7-ranker"),
        ("{% raw %} ranker", "raw-ranker"),
    ],
)
def test_odd_names_give_a_valid_slug_or_one_line_error(tmp_path: Path, name: str, slug: str | None) -> None:
    result = _new(tmp_path, "--name", name)
    if slug is None:
        assert result.exit_code == 2
        assert len(result.output.strip().splitlines()[-1:]) == 1
        assert "characters; keep it to 120 or fewer" in result.output
        assert list(tmp_path.iterdir()) == []
        return
    assert result.exit_code == 0, result.output
    design = (tmp_path / slug / "DESIGN.md").read_text(encoding="utf-8")
    assert design.splitlines()[0] == f"# {name}: ML system design"


@pytest.mark.parametrize("name", ["", "   ", "!!!", "🚀🚀", "中文"])
def test_names_with_nothing_to_slug_say_which_rule(tmp_path: Path, name: str) -> None:
    result = _new(tmp_path, "--name", name)
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: the s")  # "the system name is empty" or "the slug is empty"
    assert list(tmp_path.iterdir()) == []


def test_a_hook_breaking_name_stays_data(tmp_path: Path) -> None:
    name = "''') ; import os; os.system('touch PWNED') #"
    result = _new(tmp_path, "--name", name, "--slug", "safe")
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()
    assert (tmp_path / "safe" / "DESIGN.md").read_text(encoding="utf-8").startswith(f"# {name}:")


def test_jinja_in_set_values_and_preset_files_is_text(tmp_path: Path) -> None:
    result = _new(tmp_path, "uber_eta", "--set", "problem.users={{ 7*7 }} riders", "--set", "system_name={{ 6*7 }}", "--slug", "s")
    assert result.exit_code == 0, result.output
    design = (tmp_path / "s" / "DESIGN.md").read_text(encoding="utf-8")
    assert "{{ 7*7 }} riders" in design and design.startswith("# {{ 6*7 }}: ")
    data = load_yaml(PRESETS_DIR / "uber_eta.yaml")
    data["id"] = "team_jinja"
    data["problem"]["business_objective"] = "{% for x in range(3) %}loop{% endfor %}"
    team = tmp_path / "team_jinja.yaml"
    team.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    made = _new(tmp_path, "--preset-file", str(team), "--slug", "t")
    assert made.exit_code == 0, made.output
    assert "{% for x in range(3) %}loop{% endfor %}" in (tmp_path / "t" / "DESIGN.md").read_text(encoding="utf-8")


# --- preset files ------------------------------------------------------------ #

def _validate(path: Path):
    return RUNNER.invoke(main, ["validate", str(path)])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id: bad\ntitle: [unclosed\n", ":3: invalid YAML:"),
        (b"\xff\xfe not utf-8\n", ":1: file is not valid UTF-8; save it as UTF-8"),
        (b"", ": file is empty; a preset is a YAML mapping of fields"),
        (b"a: &x [1]\nb: *x\n", ":2: YAML aliases (*name) are not allowed in presets; write the value out"),
        (b"id: !!python/object/apply:os.system [echo]\n", ":1: invalid YAML: could not determine a constructor"),
        (b"id: bad\nid: bad\n", ":2: id: duplicate key; each field may appear once"),
    ],
)
def test_broken_preset_files_name_file_and_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = _validate(path)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(str(path) + expected)


def test_wrong_types_unknown_keys_and_missing_fields(tmp_path: Path) -> None:
    data = load_yaml(PRESETS_DIR / "uber_eta.yaml")
    data["id"] = "bad"
    data["workloads"][0]["inputs"]["actors"]["value"] = "many"
    data["risks"][0]["severity"] = "high"
    del data["model"]["choice"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    lines = _validate(path).output.splitlines()
    assert any(l.startswith(f"{path}:") and l.endswith("workloads[0].inputs.actors.value: expected a number, got text") for l in lines)
    assert any(l.startswith(f"{path}:") and "risks[0].severity: unknown field" in l for l in lines)
    assert any(l.startswith(f"{path}:") and l.endswith("model.choice: required") for l in lines)


def test_an_id_different_from_the_file_name(tmp_path: Path) -> None:
    data = load_yaml(PRESETS_DIR / "uber_eta.yaml")
    path = tmp_path / "other_name.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert "id: 'uber_eta' differs from the file name" in _validate(path).output


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: big\nsummary: '" + b"x" * 300_000 + b"'\n")
    assert "over the 262144-byte limit for a preset" in _validate(path).output


# --- the file system ----------------------------------------------------------- #

def test_an_output_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    result = RUNNER.invoke(main, ["new", "-o", str(blocker / "sub"), "--no-input"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot create {blocker / 'sub' / 'my-ml-system'}: Not a directory")
    assert blocker.read_text(encoding="utf-8") == "not a directory\n"


def test_a_failure_half_way_removes_the_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keep.md").write_text("mine\n", encoding="utf-8")
    import mlsd.template_env

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mlsd.template_env, "_document", broken)
    result = _new(tmp_path)
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.md"]
    assert (tmp_path / "keep.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_on_the_target_path_is_refused(tmp_path: Path, dangling: bool) -> None:
    real = tmp_path / "elsewhere"
    if not dangling:
        real.mkdir()
        (real / "notes.md").write_text("mine\n", encoding="utf-8")
    (tmp_path / "my-ml-system").symlink_to(real)
    before = _digest(tmp_path)
    result = _new(tmp_path)
    assert result.exit_code == 1
    assert "already exists; nothing was changed" in result.output
    assert _digest(tmp_path) == before


def test_two_runs_for_one_slug_at_once(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [
        subprocess.Popen([*MLSD, "new", "uber_eta", "-o", str(tmp_path), "--no-input"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = sorted((run.wait(timeout=120), run.stderr.read()) for run in runs)
    assert [code for code, _ in outcomes] == [0, 1]
    assert "already exists; nothing was changed" in outcomes[1][1]
    (project,) = list(tmp_path.iterdir())
    assert (project / "DESIGN.md").is_file() and (project / ".mlsd" / "check-baseline.json").is_file()


# --- the command line ------------------------------------------------------------ #

@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "--frobnicate"], "No such option '--frobnicate'"),
        (["new", "uber_eta", "--preset-file", "presets/uber_eta.yaml"], "give a preset ID or --preset-file, not both"),
        (["new", "--practice"], "--practice needs a preset ID"),
        (["check", "--update-baseline"], "--update-baseline needs --baseline FILE"),
    ],
)
def test_unknown_options_and_contradictions(tmp_path: Path, args: list[str], message: str, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = RUNNER.invoke(main, args + ["-o", str(tmp_path)] if args[0] == "new" else args)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_at_a_prompt_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: mlsd on a terminal, so it prompts
        # Test runners may start workers with SIGINT ignored, and exec keeps that;
        # a person's shell never does, so restore the default first.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(tmp_path)
        os.execvpe(MLSD[0], [*MLSD, "new", "uber_eta"], env)
    seen = b""
    deadline = time.monotonic() + 60
    while b"What is the document for" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                seen += os.read(fd, 1024)
            except OSError:
                break
    if b"What is the document for" not in seen:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail(f"no prompt within 60 s: {seen!r}")
    # The prompt text is written a moment before readline starts waiting; a
    # signal in that gap is only seen on the next one, as with a person who
    # presses Ctrl-C again. So give readline a moment, and repeat if need be.
    time.sleep(0.5)
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    next_signal = time.monotonic() + 3
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > next_signal:
            os.kill(pid, signal.SIGINT)
            next_signal = time.monotonic() + 3
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("mlsd did not stop within 30 s of Ctrl-C")
        try:  # keep draining the terminal so the child never blocks on a full buffer
            if select.select([fd], [], [], 0.1)[0]:
                os.read(fd, 1024)
        except OSError:
            pass
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130
    assert list(tmp_path.iterdir()) == []


# --- signals, special files and hostile values ------------------------------------ #

def test_sigterm_during_new_removes_the_partial_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.hooks

    real_post = mlsd.hooks.post_generate

    def terminated(project_dir, *args, **kwargs):
        assert project_dir.is_dir()  # the target is half made when the signal comes
        os.kill(os.getpid(), signal.SIGTERM)
        return real_post(project_dir, *args, **kwargs)

    monkeypatch.setattr(mlsd.hooks, "post_generate", terminated)
    result = _new(tmp_path)
    assert result.exit_code == 143
    assert result.output.strip() == "Terminated; nothing was written."
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert _new(tmp_path).exit_code == 0  # a rerun is not refused for a half-made directory


def test_ctrl_c_before_cookiecutter_runs_leaves_no_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.hooks

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(mlsd.hooks, "pre_generate", interrupted)
    result = _new(tmp_path)
    assert result.exit_code == 130
    assert "Interrupted; nothing was written." in result.output
    assert list(tmp_path.iterdir()) == []


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def test_special_files_as_presets_are_refused_without_hanging(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    _fifo(team, "piped.yaml")
    for args in (["list", "--presets-dir", str(team)], ["new", "--preset-file", str(team / "piped.yaml"), "-o", str(tmp_path), "--no-input"]):
        result = RUNNER.invoke(main, args)
        assert result.exit_code in (1, 2), result.output
        assert "piped.yaml" in result.output and "is a FIFO, not a regular file" in result.output
    assert "is a FIFO, not a regular file" in _validate(team / "piped.yaml").output
    (team / "piped.yaml").unlink()
    (team / "zero.yaml").symlink_to("/dev/zero")
    result = RUNNER.invoke(main, ["list", "--presets-dir", str(team)])
    assert result.exit_code == 1 and "zero.yaml: is a device, not a regular file" in result.output


def test_deep_yaml_nesting_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\nx: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 1
    assert "nested more than 24 levels deep" in result.output or "nested too deeply" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["1e308", "inf", "nan"])
def test_a_huge_or_non_finite_scale_value_is_refused(tmp_path: Path, value: str) -> None:
    result = _new(tmp_path, "tiktok_fyp", "--set", f"workloads[0].inputs.actors.value={value}")
    assert result.exit_code in (1, 2), result.output
    assert "must be a finite number no larger than 1e+30" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_look_alike_id_is_never_listed(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    source = (PRESETS_DIR / "uber_eta.yaml").read_text(encoding="utf-8")
    look_alike = "ub\u0435r_eta"  # a Cyrillic "e"
    (team / f"{look_alike}.yaml").write_text(source.replace("id: uber_eta", f"id: {look_alike}"), encoding="utf-8")
    result = RUNNER.invoke(main, ["list", "--presets-dir", str(team)])
    assert result.exit_code == 1
    assert f"'{look_alike}' is not a valid id: use lower-case ASCII letters" in result.output


@pytest.mark.parametrize("invisible", ["\u202e", "\u200b", "\u2066", "\ufeff"])
def test_invisible_formatting_characters_in_names_are_refused(tmp_path: Path, invisible: str) -> None:
    result = _new(tmp_path, "--name", f"Fraud{invisible} scoring")
    assert result.exit_code == 2
    assert "invisible formatting characters" in result.output
    assert list(tmp_path.iterdir()) == []
