"""The answers a design repo was generated from, recorded in ``.cruft.json``.

The file follows cruft's layout (template, commit, checkout, context, directory),
so ``cruft check`` and ``cruft update`` work on repos made by plain cookiecutter
and by ``mlsd new``. Only stable keys are written: no output directory and no
temporary clone path. ``mlsd update`` reads the same file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.interview import DEFAULT_INTERVIEW_MINUTES, INTERVIEW_LENGTHS
from mlsd.source import PinnedSource, git_url, installed_source, pinned

ANSWERS_FILE = ".cruft.json"
# Prompted answers, in prompt order, plus the private keys mlsd passes itself.
ANSWER_KEYS = ("preset", "purpose", "system_name", "system_slug", "interview_minutes", "guidance", "workload_kinds")
# What the document is for: interview study of a worked design, practice with
# its answers hidden, or a design doc at work. One question, since the three
# exclude each other.
PURPOSES = ("interview", "practice", "work")
PRIVATE_KEYS = ("_mlsd_preset_file", "_mlsd_overrides")
_JINJA_DELIMITERS = re.compile(r"\{[{%#]")
_REMOTE = re.compile(r"^(?:(?:git|hg)\+)?[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:")


def jinja_literal(value: str) -> str:
    """Wrap an answer so cookiecutter's Jinja pass yields it unchanged.

    cookiecutter renders every answer as a Jinja template, unsandboxed. A JSON
    string is also a valid Jinja string literal, so ``{{ "<json>" }}`` renders to
    exactly the text typed, whatever it contains.
    """
    return "{{ " + json.dumps(value, ensure_ascii=False) + " }}"


def from_jinja_literal(value: Any) -> Any:
    """Undo :func:`jinja_literal`; other values pass through unchanged."""
    if isinstance(value, str) and value.startswith("{{ ") and value.endswith(" }}"):
        try:
            decoded = json.loads(value[3:-3])
        except ValueError:
            return value
        if isinstance(decoded, str):
            return decoded
    return value


def protect(value: Any) -> Any:
    """An answer as stored: wrapped only when it holds Jinja delimiters."""
    if isinstance(value, str) and _JINJA_DELIMITERS.search(value):
        return jinja_literal(value)
    return value


def template_source(context: dict[str, Any]) -> str:
    """Where the template came from, as something cruft can clone again."""
    template = str(context.get("_template") or context.get("_repo_dir") or "")
    if _REMOTE.match(template):
        # cookiecutter's git+ prefix is its own; git, and so cruft, want the bare URL.
        return template.removeprefix("git+")
    repo_dir = context.get("_repo_dir")
    path = Path(template) if template else Path(str(repo_dir or "."))
    return str(path.resolve()) if path.exists() else template


def git_commit(directory: str | os.PathLike[str] | None) -> str | None:
    """HEAD of the git work tree at ``directory``, or None when it is not one."""
    stamp = _git_stamp(str(directory)) if directory else None
    return _git_commit_at(str(directory), stamp) if stamp else None


# Asked once per clone and commit: generating many repos in one process runs git once.
@lru_cache(maxsize=16)
def _git_commit_at(directory: str, _stamp: tuple[int, int]) -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def answers_record(context: dict[str, Any]) -> dict[str, Any]:
    """The ``.cruft.json`` content for one generation."""
    source = template_source(context)
    commit = git_commit(context.get("_repo_dir"))
    if commit is None and _bundled_template(str(context.get("_repo_dir") or source)):
        # The template inside a pip-installed mlsd is no clone; name the git source pip
        # recorded for the install, so cruft check and cruft update can use the record.
        installed = installed_source()
        if installed is not None:
            source, commit = installed.url, installed.commit
    cookiecutter = {key: protect(context[key]) for key in ANSWER_KEYS if key in context}
    cookiecutter.update({key: context[key] for key in PRIVATE_KEYS if context.get(key)})
    cookiecutter["_template"] = source
    if commit:
        cookiecutter["_commit"] = commit
    return {
        "template": source,
        "commit": commit,
        "checkout": context.get("_checkout") or None,
        "context": {"cookiecutter": cookiecutter},
        "directory": None,
    }


def answers_json(context: dict[str, Any]) -> str:
    """:func:`answers_record` as the text cruft itself would write."""
    return json.dumps(answers_record(context), ensure_ascii=False, indent=2) + "\n"


# An answers file holds a few short strings; anything larger is not one.
MAX_ANSWERS_BYTES = 256 * 1024
# Answers that must be text: a null or a number here would turn into "None" or "12" in the documents.
TEXT_ANSWERS = ("preset", "system_name", "system_slug")


def parse_answers(text: str, name: str) -> dict[str, Any]:
    """The answers in the text of a ``.cruft.json``, unwrapped; :class:`MlsdError` naming ``name`` otherwise."""
    try:
        record = json.loads(text)
    except RecursionError:
        raise MlsdError(f"{name}: is nested too deeply to be an answers file") from None
    except ValueError as exc:
        raise MlsdError(f"{name}:{getattr(exc, 'lineno', 1)}: is not valid JSON: {getattr(exc, 'msg', exc)}") from None
    context = record.get("context") if isinstance(record, dict) else None
    stored = context.get("cookiecutter") if isinstance(context, dict) else None
    if not isinstance(stored, dict):
        raise MlsdError(f"{name}: context.cookiecutter must be a mapping of answers; regenerate the file with mlsd new")
    for key in TEXT_ANSWERS:
        if key in stored and not isinstance(stored[key], str):
            raise MlsdError(f"{name}: context.cookiecutter.{key} must be text, not {json.dumps(stored[key])[:40]}")
    return {key: from_jinja_literal(value) for key, value in stored.items()}


def read_answers(project_dir: Path) -> dict[str, Any]:
    """The recorded answers of a generated repo; :class:`MlsdError` for a missing, unsafe or malformed file."""
    from mlsd.repo_files import RepoFiles

    files = RepoFiles(project_dir)
    text = files.read_text(ANSWERS_FILE, MAX_ANSWERS_BYTES)
    if text is None:
        raise MlsdError(f"{project_dir} has no {ANSWERS_FILE}; only repos generated from this template can be updated")
    return parse_answers(text, files.show(ANSWERS_FILE))


def git_remote(directory: str | os.PathLike[str] | None) -> str | None:
    """The ``origin`` URL of the git work tree at ``directory``, or None."""
    if not directory or not (Path(directory) / ".git").exists():
        return None
    try:
        result = subprocess.run(
            ["git", "remote", "get-url", "origin"], cwd=directory, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    remote = result.stdout.strip()
    return remote if result.returncode == 0 and remote else None


def _bundled_template(directory: str) -> bool:
    """Whether ``directory`` is the template inside this installed mlsd (a wheel's copy)."""
    try:
        return Path(directory).resolve() == Path(__file__).resolve().parent / "template"
    except OSError:
        return False


def install_source(context: dict[str, Any]) -> PinnedSource | None:
    """The git source and commit a generated repo installs mlsd from; None when none is known.

    In order: the URL the template was fetched from (cruft passes the commit it
    checked out as ``_commit``, a cookiecutter clone has it as HEAD); the
    ``origin`` of a local checkout with its HEAD; for the template inside a
    pip-installed mlsd, the git source pip recorded for that install.
    """
    template, repo_dir = str(context.get("_template") or ""), str(context.get("_repo_dir") or "")
    return _install_source(template, repo_dir, str(context.get("_commit") or ""), _git_stamp(template), _git_stamp(repo_dir))


def _git_stamp(directory: str) -> tuple[int, int] | None:
    """Changes when the git repository at ``directory`` is cloned again or committed to."""
    try:
        status = (Path(directory) / ".git").stat() if directory else None
    except OSError:
        return None
    return (status.st_ino, status.st_mtime_ns) if status else None


# Three generated files ask for the source in one generation; git is asked once.
@lru_cache(maxsize=16)
def _install_source(
    template: str, repo_dir: str, recorded_commit: str, *_stamps: tuple[int, int] | None
) -> PinnedSource | None:
    commit = recorded_commit or git_commit(repo_dir) or git_commit(template or None)
    if git_url(template):
        return pinned(template, commit)
    for checkout in (template, repo_dir):
        remote = git_remote(checkout) if checkout else None
        if remote:
            return pinned(remote, commit)
    if repo_dir and _bundled_template(repo_dir) or template and _bundled_template(template):
        return installed_source()
    return None


def purpose_of(answers: dict[str, Any]) -> str:
    """The purpose answer; repos recorded before the question had a yes/no ``practice`` answer instead."""
    value = str(answers.get("purpose") or "").strip().lower()
    if not value:
        return "practice" if truthy(answers.get("practice", False)) else "interview"
    if value not in PURPOSES:
        raise MlsdError(f"purpose '{answers.get('purpose')}' is not one of: {', '.join(PURPOSES)}")
    return value


def truthy(value: Any) -> bool:
    """cookiecutter answers a yes/no prompt with a bool, overrides arrive as text."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "y", "on"}


def interview_length(value: Any) -> int:
    """The interview length answer as minutes; anything unexpected falls back to the default length."""
    try:
        minutes = int(str(value).strip())
    except ValueError:
        return DEFAULT_INTERVIEW_MINUTES
    return minutes if minutes in INTERVIEW_LENGTHS else DEFAULT_INTERVIEW_MINUTES
