"""Generated repos install mlsd from a pinned git source, and never by a bare package name.

The end-to-end tests run real pre-commit against a generated repo whose
template and hook both come from a local bare clone of this project, reached by
a file:// URL, so they need no network beyond the package index pip already uses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_as_git_repo, copy_project
from mlsd.answers import install_source
from mlsd.source import PinnedSource, from_direct_url, git_url, pinned

COMMIT = "0123456789abcdef0123456789abcdef01234567"
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]


# --------------------------------------------------------------------------- #
# Normalising the forms users give
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://github.com/acme/mlsd.git", "https://github.com/acme/mlsd.git"),
        ("https://github.com/acme/mlsd", "https://github.com/acme/mlsd"),
        ("git+https://github.com/acme/mlsd.git", "https://github.com/acme/mlsd.git"),
        ("  https://gitlab.example.com:8443/team/tools/mlsd.git ", "https://gitlab.example.com:8443/team/tools/mlsd.git"),
        ("https://user:s3cret@github.com/acme/mlsd.git", "https://github.com/acme/mlsd.git"),
        ("https://github.com/acme/mlsd.git#egg=mlsd", "https://github.com/acme/mlsd.git"),
        ("git@github.com:acme/mlsd.git", "ssh://git@github.com/acme/mlsd.git"),
        ("git@gitlab.com:group/sub/mlsd.git", "ssh://git@gitlab.com/group/sub/mlsd.git"),
        ("ssh://git@github.com/acme/mlsd.git", "ssh://git@github.com/acme/mlsd.git"),
        ("git+ssh://git@github.com:22/acme/mlsd.git", "ssh://git@github.com:22/acme/mlsd.git"),
        ("git://example.org/mlsd.git", "git://example.org/mlsd.git"),
        ("gh:acme/mlsd", "https://github.com/acme/mlsd.git"),
        ("gl:group/sub/mlsd", "https://gitlab.com/group/sub/mlsd.git"),
        ("bb:acme/mlsd", "https://bitbucket.org/acme/mlsd"),
        ("git+file:///srv/git/mlsd.git", "file://localhost/srv/git/mlsd.git"),
        ("file:///srv/git/mlsd.git", "file://localhost/srv/git/mlsd.git"),
        ("file://localhost/srv/git/mlsd.git", "file://localhost/srv/git/mlsd.git"),
    ],
)
def test_git_url_normalises_each_form(given: str, expected: str) -> None:
    assert git_url(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        "/home/me/mlsd",
        "../mlsd",
        "mlsd",
        "C:\\src\\mlsd",
        "hg+https://example.org/mlsd",
        "https://github.com",
        "ftp://example.org/mlsd.git",
        "https://github.com/acme/ml sd.git",
        'https://github.com/acme/mlsd"; rm -rf ~; ".git',
        "https://github.com/acme/$(id).git",
    ],
)
def test_what_is_no_git_remote_gives_none(given: str) -> None:
    assert git_url(given) is None


def test_a_pinned_source_names_pip_and_pre_commit_forms() -> None:
    source = pinned("git@github.com:acme/mlsd.git", COMMIT)
    assert source == PinnedSource("ssh://git@github.com/acme/mlsd.git", COMMIT)
    assert source.requirement == f"mlsd @ git+ssh://git@github.com/acme/mlsd.git@{COMMIT}"
    assert source.web_url is None
    assert pinned("gh:acme/mlsd", COMMIT).web_url == "https://github.com/acme/mlsd"


@pytest.mark.parametrize("commit", [None, "", "main", "v1.0", COMMIT[:12], COMMIT.upper()])
def test_no_pin_without_an_exact_commit(commit: str | None) -> None:
    assert pinned("https://github.com/acme/mlsd.git", commit) is None


def test_the_installs_recorded_git_source() -> None:
    record = {
        "url": "https://github.com/acme/mlsd.git",
        "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": COMMIT},
    }
    assert from_direct_url(json.dumps(record)) == PinnedSource("https://github.com/acme/mlsd.git", COMMIT)
    wheel = {"url": "file:///tmp/mlsd-0.1.0-py3-none-any.whl", "archive_info": {"hashes": {}}}
    editable = {"url": "file:///home/me/mlsd", "dir_info": {"editable": True}}
    for other in (wheel, editable, {"url": "x", "vcs_info": {"vcs": "hg", "commit_id": COMMIT}}):
        assert from_direct_url(json.dumps(other)) is None
    assert from_direct_url("not json") is None
    assert from_direct_url("[]") is None


# --------------------------------------------------------------------------- #
# Which source a generation uses
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A small git checkout with an origin remote, and its HEAD."""
    repo = tmp_path_factory.mktemp("checkout")
    (repo / "cookiecutter.json").write_text("{}\n", encoding="utf-8")
    subprocess.run([*GIT, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "x"], cwd=repo, check=True)
    subprocess.run([*GIT, "remote", "add", "origin", "git@github.com:acme/mlsd.git"], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    return repo, head.stdout.strip()


def test_source_from_a_url_and_its_clone(checkout: tuple[Path, str]) -> None:
    repo, head = checkout
    context = {"_template": "gh:acme/mlsd", "_repo_dir": str(repo)}
    assert install_source(context) == PinnedSource("https://github.com/acme/mlsd.git", head)


def test_cruft_passes_the_commit_it_checked_out() -> None:
    context = {"_template": "https://github.com/acme/mlsd.git", "_commit": COMMIT}
    assert install_source(context) == PinnedSource("https://github.com/acme/mlsd.git", COMMIT)


def test_source_from_a_local_checkout_is_its_origin_at_head(checkout: tuple[Path, str]) -> None:
    repo, head = checkout
    assert install_source({"_template": str(repo), "_repo_dir": str(repo)}) == PinnedSource(
        "ssh://git@github.com/acme/mlsd.git", head
    )


def test_a_new_commit_in_the_checkout_is_seen(tmp_path: Path) -> None:
    subprocess.run([*GIT, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "remote", "add", "origin", "https://github.com/acme/mlsd.git"], cwd=tmp_path, check=True)
    context = {"_template": str(tmp_path), "_repo_dir": str(tmp_path)}
    heads = []
    for message in ("first", "second"):
        subprocess.run([*GIT, "commit", "-q", "--allow-empty", "-m", message], cwd=tmp_path, check=True)
        heads.append(subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True).stdout.strip())
        assert install_source(context).commit == heads[-1]
    assert heads[0] != heads[1]


def test_no_source_for_a_plain_directory(tmp_path: Path) -> None:
    assert install_source({"_template": str(tmp_path), "_repo_dir": str(tmp_path)}) is None
    assert install_source({}) is None


def test_a_wheel_template_uses_the_installs_recorded_source(monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.answers

    recorded = PinnedSource("https://github.com/acme/mlsd.git", COMMIT)
    monkeypatch.setattr(mlsd.answers, "installed_source", lambda: recorded)
    mlsd.answers._install_source.cache_clear()
    bundled = str(Path(mlsd.answers.__file__).resolve().parent / "template")
    assert install_source({"_template": bundled, "_repo_dir": bundled}) == recorded
    assert install_source({"_template": "/elsewhere", "_repo_dir": "/elsewhere"}) is None
    mlsd.answers._install_source.cache_clear()


# --------------------------------------------------------------------------- #
# No generated file installs a bare package name
# --------------------------------------------------------------------------- #

# What an install names: the words after "pip install", quoted or not, up to the end of
# the command; the items of a dependency list.
_PIP_INSTALL = re.compile(r"""pip3?\s+install((?:\s+(?:"[^"]*"|'[^']*'|[^\s;&|`)"']+))*)""")
_WORD = re.compile(r""""([^"]*)"|'([^']*)'|(\S+)""")
_DEPENDENCY_LIST = re.compile(r"dependencies\s*[:=]\s*\[([^\]]*)\]")
_BARE_NAME = re.compile(r"mlsd(?:\[[\w,]*\])?(?:\s*[<>=!~].*)?")


def _names(line: str) -> list[str]:
    names = []
    for install in _PIP_INSTALL.finditer(line):
        names += [next(group for group in word.groups() if group is not None) for word in _WORD.finditer(install.group(1))]
    for listed in _DEPENDENCY_LIST.finditer(line):
        names += [item.strip().strip("\"'") for item in listed.group(1).split(",")]
    return names


def bare_installs(text: str) -> list[str]:
    """Every line of ``text`` that installs mlsd by a bare package name or points at an index page."""
    return [
        line
        for line in text.splitlines()
        if "pypi.org/project/mlsd" in line or any(_BARE_NAME.fullmatch(name) for name in _names(line))
    ]


@pytest.mark.parametrize(
    "line",
    [
        "pip install mlsd",
        'python -m pip install "mlsd"',
        "pip install 'mlsd[docs]>=0.1'",
        "pip install pymarkdownlnt mlsd",
        'additional_dependencies: ["mlsd"]',
        "additional_dependencies: [mlsd]",
        "dependencies = [\"mlsd>=0.1\"]",
        "see [mlsd](https://pypi.org/project/mlsd/)",
    ],
)
def test_the_bare_install_scan_catches(line: str) -> None:
    assert bare_installs(line) == [line]


@pytest.mark.parametrize(
    "line",
    [
        f'pip install "mlsd @ git+https://github.com/acme/mlsd.git@{COMMIT}"',
        'python -m pip install "$MLSD_REQUIREMENT"',
        "pip install pymarkdownlnt mkdocs-material",
        'pip install "mlsd @ git+<git URL of mlsd>@<commit>"',
        "mlsd check . --baseline .mlsd/check-baseline.json",
        "(`pip install pre-commit && pre-commit install`), then `mlsd update`",
    ],
)
def test_the_bare_install_scan_passes(line: str) -> None:
    assert bare_installs(line) == []


def _generated_files(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def _assert_no_bare_install(project: Path) -> None:
    files = _generated_files(project)
    offending = {name: bare_installs(text) for name, text in files.items() if bare_installs(text)}
    assert offending == {}
    hooks = files[".pre-commit-config.yaml"]
    if "repo: local" not in hooks:
        assert re.search(r"^    rev: [0-9a-f]{40}$", hooks, re.M), hooks


@pytest.mark.parametrize("preset_id", ["blank", "uber_eta", "tiktok_fyp"])
def test_no_generated_file_installs_a_bare_name_without_a_source(baked, preset_id: str) -> None:
    project = baked(preset_id)
    _assert_no_bare_install(project)
    files = _generated_files(project)
    if install_source({"_template": str(ROOT), "_repo_dir": str(ROOT)}) is None:
        # This checkout has no origin remote: every file falls back and says how to pin.
        assert "  - repo: local\n" in files[".pre-commit-config.yaml"]
        assert "language: system" in files[".pre-commit-config.yaml"]
        assert 'MLSD_REQUIREMENT: ""' in files[".github/workflows/design-check.yml"]
        assert "No public git source of mlsd was known" in files["README.md"]


# --------------------------------------------------------------------------- #
# Real pre-commit and a workflow schema, on a repo generated from a git URL
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def bare_clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """This project as a bare git repository, its file:// URL and HEAD."""
    base = tmp_path_factory.mktemp("source")
    work = copy_as_git_repo(base / "work")
    bare = base / "mlsd.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True, text=True, check=True)
    return f"file://{bare}", head.stdout.strip()


def _generate_from_url(url: str, preset_id: str, output: Path, home: Path) -> Path:
    """Plain cookiecutter on ``url``, as a user would run it."""
    made = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", url, f"preset={preset_id}", "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "COOKIECUTTER_CONFIG": str(home / "cookiecutter.yaml")},
    )
    assert made.returncode == 0, made.stderr
    (project,) = [p for p in output.iterdir() if p.is_dir()]
    return project


@pytest.fixture(scope="module")
def fallback_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank repo generated from a copy of the template that is no git clone: no source is known."""
    base = tmp_path_factory.mktemp("plain")
    template = copy_project(base / "mlsd")
    home = base / "home"
    home.mkdir()
    (home / "cookiecutter.yaml").write_text(f"cookiecutters_dir: {home / 'cc'}\nreplay_dir: {home / 'replay'}\n", encoding="utf-8")
    project = _generate_from_url(str(template), "blank", base / "out", home)
    assert "  - repo: local\n" in (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    return project


@pytest.mark.parametrize("preset_id", ["blank", "stripe_fraud_detection"])
@pytest.mark.parametrize("form", ["git+file", "file"])
def test_a_repo_from_a_git_url_pins_that_commit_everywhere(
    bare_clone: tuple[str, str], preset_id: str, form: str, tmp_path: Path, isolated_cookiecutter_home: Path
) -> None:
    url, head = bare_clone
    given = f"git+{url}" if form == "git+file" else url
    project = _generate_from_url(given, preset_id, tmp_path / "out", isolated_cookiecutter_home)
    _assert_no_bare_install(project)
    url = url.replace("file:///", "file://localhost/")
    requirement = f"mlsd @ git+{url}@{head}"
    assert f'MLSD_REQUIREMENT: "{requirement}"' in (project / ".github/workflows/design-check.yml").read_text(encoding="utf-8")
    assert f'pip install "{requirement}"' in (project / "README.md").read_text(encoding="utf-8")
    hooks = (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'  - repo: "{url}"\n    rev: {head}\n' in hooks


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_installs_the_pinned_hook_and_blocks_a_new_todo(
    bare_clone: tuple[str, str], tmp_path: Path, isolated_cookiecutter_home: Path
) -> None:
    url, _ = bare_clone
    project = _generate_from_url(url, "uber_eta", tmp_path / "out", isolated_cookiecutter_home)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run([*GIT, "init", "-q"], cwd=project, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "generated"], cwd=project, check=True)
    pre_commit = [sys.executable, "-m", "pre_commit"]

    clean = subprocess.run([*pre_commit, "run", "--all-files"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^mlsd check\.+Passed$", clean.stdout, re.M), clean.stdout

    design = project / "DESIGN.md"
    text = design.read_text(encoding="utf-8")
    design.write_text(text.replace("\n### Users\n", "\n### Users\n\nTODO: who else uses this?\n", 1), encoding="utf-8")
    subprocess.run([*GIT, "add", "DESIGN.md"], cwd=project, check=True)
    failing = subprocess.run([*pre_commit, "run", "--all-files"], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert failing.returncode == 1
    assert "1. Problem Statement / Users: still holds a TODO marker" in failing.stdout

    # Installed as a git hook, the same check refuses the commit.
    subprocess.run([*pre_commit, "install"], cwd=project, env=env, check=True, capture_output=True)
    commit = subprocess.run([*GIT, "commit", "-q", "-m", "add a question"], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert commit.returncode != 0
    assert "still holds a TODO marker" in commit.stdout + commit.stderr


@pytest.mark.parametrize("pinned_source", [True, False], ids=["pinned", "fallback"])
def test_the_generated_workflow_passes_the_github_workflow_schema(
    bare_clone: tuple[str, str], fallback_repo: Path, pinned_source: bool, tmp_path: Path, isolated_cookiecutter_home: Path
) -> None:
    if pinned_source:
        project = _generate_from_url(bare_clone[0], "tiktok_fyp", tmp_path / "out", isolated_cookiecutter_home)
    else:
        project = fallback_repo
    workflow = project / ".github" / "workflows" / "design-check.yml"
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_pip_installs_the_pinned_requirement_and_records_the_same_pin(bare_clone: tuple[str, str], tmp_path: Path) -> None:
    """What the workflow and README run; an install made this way pins new repos to the same commit."""
    url, head = bare_clone
    source = pinned(url, head)
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), source.requirement],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    (record,) = target.glob("mlsd-*.dist-info/direct_url.json")
    assert from_direct_url(record.read_text(encoding="utf-8")) == source
    # `mlsd new` from that install, with no checkout in sight, pins what pip recorded.
    run_installed = f"import sys; sys.path.insert(0, {str(target)!r}); from mlsd.cli import main; main()"
    made = subprocess.run(
        [sys.executable, "-c", run_installed, "new", "uber_eta", "--no-input", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    (project,) = (tmp_path / "out").iterdir()
    hooks = (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'  - repo: "{source.url}"\n    rev: {source.commit}\n' in hooks
    # The answers name that source too, not the copy in site-packages, so cruft can use them,
    # before and after an update made by the same install.
    for command in (["update", str(project)], ["update", "--check", str(project)]):
        ran = subprocess.run([sys.executable, "-c", run_installed, *command], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        record = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
        assert (record["template"], record["commit"]) == (source.url, source.commit)
    checked = subprocess.run([sys.executable, "-m", "cruft", "check"], cwd=project, capture_output=True, text=True, timeout=180)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_pre_commit_accepts_the_hook_manifest_and_the_fallback_config(fallback_repo: Path) -> None:
    pre_commit = [sys.executable, "-m", "pre_commit"]
    manifest = subprocess.run([*pre_commit, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = fallback_repo / ".pre-commit-config.yaml"
    checked = subprocess.run([*pre_commit, "validate-config", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_fallback_hook_runs_the_mlsd_on_path(fallback_repo: Path, tmp_path: Path) -> None:
    project = tmp_path / "repo"
    shutil.copytree(fallback_repo, project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    subprocess.run([*GIT, "init", "-q"], cwd=project, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    clean = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # The baseline accepts the skeleton's own TODOs, not a conflict left by a merge.
    design = project / "DESIGN.md"
    design.write_text(design.read_text(encoding="utf-8") + "<<<<<<< ours\n=======\n>>>>>>> theirs\n", encoding="utf-8")
    failing = subprocess.run(pre_commit, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert failing.returncode == 1
    assert "merge conflict marker '<<<<<<<'" in failing.stdout
