"""Where mlsd itself can be fetched from, named the way pip and pre-commit want it.

A generated repo installs mlsd in its CI, its pre-commit hook and its README.
mlsd is not on the package index, so a bare ``mlsd`` there would fail, and
would run whatever someone later published under that name. Instead the repo
names a git source pinned to one commit. Users give the template's location in
many forms (an https URL, ``git@host:org/repo.git``, cookiecutter's ``gh:``
abbreviations, ``git+file://``); this module turns each into one URL that both
``git clone`` (pre-commit) and a pip direct reference (``git+URL@commit``)
accept, or says there is none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DISTRIBUTION = "mlsd"
# cookiecutter's built-in abbreviations (cookiecutter.config.BUILTIN_ABBREVIATIONS).
ABBREVIATIONS = {
    "gh": "https://github.com/{}.git",
    "gl": "https://gitlab.com/{}.git",
    "bb": "https://bitbucket.org/{}",
}
_SCHEMES = ("https", "http", "ssh", "git", "file")
# What may stand in a URL written into YAML and a double-quoted shell word:
# nothing that quotes, expands, comments or separates.
_SAFE_URL = re.compile(r"[A-Za-z0-9._~:/@%+=-]+")
_COMMIT = re.compile(r"[0-9a-f]{40}")
# scp-like syntax: [user@]host:path, where the host holds no slash.
_SCP = re.compile(r"([\w.-]+@)?([\w.-]+):(?!//)([^\s]+)")
_ABBREVIATED = re.compile(r"([a-z]+):([\w.-]+(?:/[\w.-]+)+)")


@dataclass(frozen=True)
class PinnedSource:
    """A git URL of mlsd and the exact commit to install from it."""

    url: str
    commit: str

    @property
    def requirement(self) -> str:
        """The PEP 508 direct reference pip installs."""
        return f"{DISTRIBUTION} @ git+{self.url}@{self.commit}"

    @property
    def web_url(self) -> str | None:
        """A page a reader can open, for https sources only."""
        return self.url.removesuffix(".git") if self.url.startswith("https://") else None


def git_url(source: str) -> str | None:
    """The URL to clone for a template source as a user wrote it; None when it is no git remote.

    Credentials are dropped, so a token in the URL a template was fetched with
    never reaches the files of a generated repo.
    """
    text = source.strip()
    abbreviated = _ABBREVIATED.fullmatch(text)
    if abbreviated and abbreviated.group(1) in ABBREVIATIONS:
        text = ABBREVIATIONS[abbreviated.group(1)].format(abbreviated.group(2))
    if text.startswith("hg+"):
        return None  # cookiecutter also fetches Mercurial; pip's git+ and pre-commit cannot
    text = text.removeprefix("git+")
    if "://" not in text:
        scp = _SCP.fullmatch(text)
        if scp is None or len(scp.group(2)) == 1:  # "C:\..." is a Windows path, not a host
            return None
        text = f"ssh://{scp.group(1) or ''}{scp.group(2)}/{scp.group(3).lstrip('/')}"
    return _clean(text)


def _clean(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _SCHEMES or not parts.path.strip("/"):
        return None
    host = parts.hostname or ""
    if parts.scheme != "file" and not host:
        return None
    # Keep a user name only where it selects an account (ssh, git@...); never a password.
    user = f"{parts.username}@" if parts.scheme == "ssh" and parts.username else ""
    if parts.scheme == "file":
        # pip before 24 refuses a git+file URL with an empty host; git reads "localhost" as local.
        host = host or "localhost"
    netloc = f"{user}{host}{f':{port}' if port else ''}"
    cleaned = f"{parts.scheme}://{netloc}{parts.path}"
    return cleaned if _SAFE_URL.fullmatch(cleaned) else None


def pinned(source: str | None, commit: str | None) -> PinnedSource | None:
    """``source`` pinned at ``commit``, or None unless both are usable."""
    url = git_url(source) if source else None
    if url is None or commit is None or not _COMMIT.fullmatch(commit):
        return None
    return PinnedSource(url, commit)


def from_direct_url(text: str) -> PinnedSource | None:
    """The source an install recorded in its PEP 610 ``direct_url.json``, when it came from git."""
    try:
        record = json.loads(text)
        vcs = record.get("vcs_info") or {}
        if vcs.get("vcs") != "git":
            return None
        return pinned(str(record["url"]), str(vcs.get("commit_id") or ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def installed_source() -> PinnedSource | None:
    """Where the installed mlsd came from, when pip installed it from git (``pip install git+URL``)."""
    from importlib import metadata

    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except (metadata.PackageNotFoundError, OSError):
        return None
    return from_direct_url(text) if text else None
