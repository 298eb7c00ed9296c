"""Real tools read what mlsd writes: a Markdown linter, MkDocs and a browser.

* pymarkdownlnt, with the rules the generated repo carries in .pymarkdown.yml,
  on a few representative presets with and without guidance (every preset's
  Markdown gets the fast structural check of test_rendering);
* ``mkdocs build --strict`` with the generated mkdocs.yml, on a few representative presets;
* headless Chromium on a few of those sites served on 127.0.0.1: every
  architecture diagram is drawn by Mermaid as an SVG that shows each component
  and each flow. The screenshots are kept under build/test-artifacts/ (or
  $MLSD_TEST_ARTIFACTS); the test prints where.

The sites load Mermaid from a CDN, as Material does for their users. Tests run
without internet, so the browser is handed the same file from the npm package
(fetched by .ci/run, or here with npm if it is missing).
"""

from __future__ import annotations

import base64
import fcntl
import functools
import html.parser
import http.server
import json
import os
import select
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import PRESETS_DIR, REPRESENTATIVE_PRESET_IDS, ROOT, TEST_CACHE, load_yaml, npm_or_skip

LINT_CONFIG = ".pymarkdown.yml"
# What the generated README tells the user to lint.
LINT_TARGETS = ("README.md", "DESIGN.md", "docs")
# The version Material's "mermaid@11" resolves to when these tests were written;
# .ci/run reads this line to fetch the same file.
MERMAID_VERSION = "11.17.2"
ARTIFACTS = Path(os.environ.get("MLSD_TEST_ARTIFACTS") or ROOT / "build" / "test-artifacts")
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def _lint(project: Path) -> list[str]:
    """Every lint failure in the files the README names, under the repo's own config."""
    from pymarkdown.api import PyMarkdownApi

    failures = []
    for target in LINT_TARGETS:
        api = PyMarkdownApi().configuration_file_path(str(project / LINT_CONFIG)).enable_strict_configuration()
        result = api.scan_path(str(project / target), recurse_if_directory=True)
        failures += [
            f"{Path(f.scan_file).relative_to(project)}:{f.line_number}:{f.column_number} {f.rule_id} "
            f"{f.rule_description} {f.extra_error_information or ''}".rstrip()
            for f in result.scan_failures
        ]
    return failures


# Preset text reaches the documents only through the escaping filters, which
# the property tests hold to well-formed Markdown for any text; the linter, at
# about a second a repo, runs on the representative presets.
@pytest.mark.parametrize(
    ("preset_id", "guidance"),
    [(p, g) for p in REPRESENTATIVE_PRESET_IDS for g in (True, False)],
    ids=[f"{p}-{'guidance' if g else 'no-guidance'}" for p in REPRESENTATIVE_PRESET_IDS for g in (True, False)],
)
def test_generated_markdown_passes_lint(baked, preset_id: str, guidance: bool) -> None:
    project = baked(preset_id) if guidance else baked(preset_id, guidance=False)
    assert (project / LINT_CONFIG).is_file()
    assert _lint(project) == []


def test_the_lint_command_in_the_readme_reads_the_repos_rules(baked, tmp_path: Path) -> None:
    """`pymarkdown scan` run in the repo finds .pymarkdown.yml by itself."""
    project = tmp_path / "repo"
    shutil.copytree(baked("blank"), project)
    readme = (project / "README.md").read_text(encoding="utf-8")
    command = ["pymarkdown", "scan", "-r", *LINT_TARGETS]
    assert " ".join(command) in readme
    pymarkdown = [sys.executable, "-m", "pymarkdown"]
    clean = subprocess.run([*pymarkdown, *command[1:]], cwd=project, capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # Without the file the default rules apply, and the long lines fail MD013.
    (project / LINT_CONFIG).unlink()
    default = subprocess.run([*pymarkdown, "scan", "README.md"], cwd=project, capture_output=True, text=True, timeout=120)
    assert default.returncode != 0 and "MD013" in default.stdout


def _build_site(project: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **QUIET_MKDOCS},
    )


@pytest.mark.parametrize("preset_id", REPRESENTATIVE_PRESET_IDS)
def test_docs_site_builds_strict(baked, preset_id: str, tmp_path: Path) -> None:
    project = baked(preset_id)
    site = tmp_path / "site"
    built = _build_site(project, site)
    assert built.returncode == 0, built.stderr
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    records = sorted(p.stem for p in (project / "docs" / "decisions").glob("*.md"))
    assert pages == {
        "index.html",
        "DESIGN/index.html",
        "docs/capacity/index.html",
        "docs/interview-plan/index.html",
        "docs/interviewer/index.html",
        "docs/concepts/index.html",
        *(f"docs/decisions/{stem}/index.html" for stem in records),
    }
    assert (site / "DESIGN" / "index.html").read_text(encoding="utf-8").count('<pre class="mermaid">') == 1
    # Only the documents are published: not mlsd's copy, not the tooling.
    published = {p.relative_to(site).parts[0] for p in site.iterdir()}
    assert not published & {".mlsd", "mkdocs_hooks.py", LINT_CONFIG, "mkdocs.yml"}


# --- The browser ---------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    # Without these Chromium dials Google's services at start, which a closed
    # network refuses, many at a time.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--remote-debugging-pipe",
]


def _chromium() -> str | None:
    for name in (os.environ.get("MLSD_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (found := shutil.which(name)):
            return found
    return None


def _mermaid_js() -> Path:
    """Mermaid's browser bundle from the npm package, cached across runs."""
    if os.environ.get("MLSD_MERMAID_JS"):
        return Path(os.environ["MLSD_MERMAID_JS"])
    target = TEST_CACHE / f"mermaid-{MERMAID_VERSION}.min.js"
    if target.is_file():
        return target
    npm = npm_or_skip(target, f"mermaid@{MERMAID_VERSION}")
    with tempfile.TemporaryDirectory(dir=TEST_CACHE) as tmp:
        packed = subprocess.run(
            [npm, "pack", "--silent", f"mermaid@{MERMAID_VERSION}"], cwd=tmp, capture_output=True, text=True, timeout=300
        )
        if packed.returncode != 0:
            pytest.skip(f"npm could not fetch mermaid@{MERMAID_VERSION}: {packed.stderr.strip()[-300:]}")
        (tarball,) = Path(tmp).glob("mermaid-*.tgz")
        with tarfile.open(tarball) as archive:
            source = archive.extractfile("package/dist/mermaid.min.js")
            assert source is not None
            (Path(tmp) / "mermaid.min.js").write_bytes(source.read())
        # Another worker may be fetching too; a rename is all or nothing.
        os.replace(Path(tmp) / "mermaid.min.js", target)
    return target


class DevTools:
    """Chromium driven over the DevTools protocol on a pipe (fds 3 and 4), no port, no extra package."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_r, self._out = os.pipe()
        self._in, from_browser_w = os.pipe()
        # Copies numbered 10 and up, so that moving them onto 3 and 4 cannot overwrite one another.
        reads = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        writes = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def wire() -> None:
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self._log = open(profile / "chromium.log", "wb")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            close_fds=False,  # fds 3 and 4 must survive; every other fd is close-on-exec
            preexec_fn=wire,
        )
        os.close(reads)
        os.close(writes)
        self._buffer = b""
        self._last_id = 0
        self.handlers: dict[str, Callable[[dict, str | None], None]] = {}

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._out, data):]
        return self._last_id

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        wanted = self.post(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message is None:
                raise TimeoutError(f"Chromium did not answer {method} in {timeout} s")
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self._dispatch(message)

    def pump(self, seconds: float) -> None:
        """Handle events for a while (requests to answer, errors to record)."""
        deadline = time.monotonic() + seconds
        while (message := self._read(deadline)) is not None:
            self._dispatch(message)

    def _dispatch(self, message: dict) -> None:
        handler = self.handlers.get(message.get("method", ""))
        if handler:
            handler(message.get("params", {}), message.get("sessionId"))

    def _read(self, deadline: float) -> dict | None:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if select.select([self._in], [], [], left)[0]:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise EOFError(f"Chromium exited; see {self._log.name}")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def close(self) -> None:
        try:
            self.post("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._in)
            os.close(self._out)
            self._log.close()


class _Labels(html.parser.HTMLParser):
    """The text of each node and edge label in a Mermaid SVG, a <br> read as a newline."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self.edges: list[str] = []
        self._open: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._open is not None:
            self._depth += tag == "span"
            if tag == "br":
                self._text.append("\n")
        elif tag == "span" and ("nodeLabel" in classes or "edgeLabel" in classes):
            self._open = self.nodes if "nodeLabel" in classes else self.edges
            self._text: list[str] = []
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == "span":
            self._depth -= 1
            if self._depth == 0:
                self._open.append("\n".join(" ".join(line.split()) for line in "".join(self._text).split("\n")))
                self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def _text(value: object) -> str:
    return " ".join(str(value).split())


def _expected_labels(preset: dict) -> tuple[list[str], list[str]]:
    """Node labels (subgraph titles, then name and technology) and edge labels, sorted."""
    from mlsd.diagram import PATH_TITLES

    components = preset["architecture"]["components"]
    paths = {c.get("path") for c in components}
    nodes = [title for path, title in PATH_TITLES.items() if path in paths]
    nodes += [f"{_text(c['name'])}\n{_text(c.get('tech', ''))}" for c in components]
    edges = [_text(f.get("carries", "")) for f in preset["architecture"]["data_flow"]]
    return sorted(nodes), sorted(edges)


# Text a Mermaid label must survive: quotes, entity look-alikes, brackets, pipes,
# arrows, keywords and a directive; each would end or rewrite an unescaped label.
HOSTILE = {
    "architecture.components[0].name": 'Feed "API" & [beta] {x} #1; end | 50% `tick` %%{init: {"theme":"forest"}}%%',
    "architecture.components[0].tech": "Go <- p99 < 50 ms -> ok; (A) -->|B| C",
    "architecture.components[1].name": "end",
    "architecture.data_flow[0].carries": 'ids --> scores | "top-k" [1..k] {a} end; click x call y; #quot; \\ back',
}
BROWSER_SITES = {
    # The largest diagram, three subgraphs.
    "tiktok_fyp": ("tiktok_fyp", {}),
    # The skeleton's placeholder diagram.
    "blank": ("blank", {}),
    # Labels chosen to break an escaping that missed a character.
    "hostile": ("uber_eta", HOSTILE),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on 127.0.0.1 at a free port."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("children", []) + node.get("shadowRoots", []):
        yield from _walk(child)


def _render(devtools: DevTools, session: str, url: str, expected: int, errors: list) -> list[dict]:
    """Open ``url``, wait until Material has replaced every Mermaid block, return the SVG nodes."""
    errors.clear()
    loaded: list[bool] = []
    devtools.handlers["Page.loadEventFired"] = lambda event, _: loaded.append(True)
    devtools.call("Page.navigate", {"url": url}, session)
    deadline = time.monotonic() + 60
    while not loaded:
        assert time.monotonic() < deadline, f"{url} did not load"
        devtools.pump(0.1)
    count = "[document.querySelectorAll('pre.mermaid').length, document.querySelectorAll('div.mermaid').length]"
    while True:
        waiting, drawn = devtools.call("Runtime.evaluate", {"expression": count, "returnByValue": True}, session)[
            "result"
        ].get("value", [1, 0])
        if drawn == expected and waiting == 0:
            break
        # Material leaves a block it could not draw as it was; errors say why.
        assert time.monotonic() < deadline and not errors, (
            f"{url}: {drawn} of {expected} diagrams drawn; errors: {errors}"
        )
        devtools.pump(0.1)
    # Material draws into a closed shadow root; DevTools can still see inside.
    document = devtools.call("DOM.getDocument", {"depth": -1, "pierce": True}, session)["root"]
    return [
        node
        for node in _walk(document)
        if node.get("nodeName") == "svg" and "aria-roledescription" in node.get("attributes", [])
    ]


def _watch(devtools: DevTools, base_url: str, mermaid: bytes) -> tuple[list[str], list[str]]:
    """Answer every request the page makes, and collect its errors.

    Pages of the site come from the local server; Mermaid, which the site asks
    a CDN for, is answered with the npm package's file; anything else (web
    fonts) is refused at once rather than left to time out.
    """
    errors: list[str] = []
    fetched: list[str] = []
    body = base64.b64encode(mermaid).decode()

    def request_paused(event: dict, session: str | None) -> None:
        url, request_id = event["request"]["url"], event["requestId"]
        if url.startswith(base_url + "/"):
            devtools.post("Fetch.continueRequest", {"requestId": request_id}, session)
        elif "/mermaid@" in url and url.endswith("/dist/mermaid.min.js"):
            fetched.append(url)
            headers = [{"name": "Content-Type", "value": "text/javascript"}]
            devtools.post(
                "Fetch.fulfillRequest",
                {"requestId": request_id, "responseCode": 200, "responseHeaders": headers, "body": body},
                session,
            )
        else:
            devtools.post("Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"}, session)

    def exception_thrown(event: dict, session: str | None) -> None:
        # A diagram Mermaid cannot parse ends as an unhandled rejection that carries the parse error.
        details = event["exceptionDetails"]
        errors.append(" ".join(filter(None, [details.get("text"), details.get("exception", {}).get("description")])))

    def console_called(event: dict, session: str | None) -> None:
        if event["type"] == "error":
            errors.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in event["args"]))

    devtools.handlers.update(
        {
            "Fetch.requestPaused": request_paused,
            "Runtime.exceptionThrown": exception_thrown,
            "Runtime.consoleAPICalled": console_called,
        }
    )
    return errors, fetched


def _check_diagram(devtools: DevTools, session: str, svg: dict, preset: dict, where: str) -> None:
    """The SVG is a flowchart showing exactly the preset's components, subgraphs and flows."""
    attributes = dict(zip(svg["attributes"][::2], svg["attributes"][1::2]))
    assert attributes["aria-roledescription"] == "flowchart-v2", (where, attributes)
    markup = devtools.call("DOM.getOuterHTML", {"nodeId": svg["nodeId"]}, session)["outerHTML"]
    assert "Syntax error" not in markup, where
    labels = _Labels()
    labels.feed(markup)
    nodes, edges = _expected_labels(preset)
    # A flow from a component to itself adds unlabelled helper nodes.
    assert sorted(label for label in labels.nodes if label) == nodes, where
    assert sorted(labels.edges) == edges, where


def _screenshot(devtools: DevTools, session: str, svg: dict, path: Path) -> None:
    box = devtools.call("DOM.getBoxModel", {"nodeId": svg["nodeId"]}, session)["model"]
    clip = {"x": box["border"][0], "y": box["border"][1], "width": box["width"], "height": box["height"], "scale": 2}
    shot = devtools.call("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}, session)
    path.write_bytes(base64.b64decode(shot["data"]))


def test_diagrams_render_in_chromium(baked, served: tuple[Path, str], tmp_path: Path, record_property) -> None:
    from mlsd.overrides import apply_overrides

    binary = _chromium()
    if binary is None:
        pytest.skip("Chromium not found (Debian: apt-get install chromium; .ci/run installs it), or set MLSD_CHROMIUM")
    mermaid = _mermaid_js().read_bytes()
    root, base_url = served
    sites = {}
    for name, (preset_id, overrides) in BROWSER_SITES.items():
        answers = {"_mlsd_overrides": json.dumps(overrides)} if overrides else {}
        built = _build_site(baked(preset_id, **answers), root / name)
        assert built.returncode == 0, built.stderr
        pages = [p for p in (root / name).rglob("*.html") if 'class="mermaid"' in p.read_text(encoding="utf-8")]
        assert pages, f"{name}: no page holds a diagram"
        sites[name] = (apply_overrides(load_yaml(PRESETS_DIR / f"{preset_id}.yaml"), overrides), pages)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    profile = tmp_path / "profile"
    profile.mkdir()
    devtools = DevTools(binary, profile)
    try:
        errors, fetched = _watch(devtools, base_url, mermaid)
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        devtools.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
        devtools.call("Runtime.enable", {}, session)
        devtools.call("Page.enable", {}, session)
        for name, (preset, pages) in sites.items():
            for page in pages:
                place = page.relative_to(root).parent.as_posix()
                expected = page.read_text(encoding="utf-8").count('class="mermaid"')
                svgs = _render(devtools, session, f"{base_url}/{place}/", expected, errors)
                assert len(svgs) == expected, place
                for number, svg in enumerate(svgs, start=1):
                    _check_diagram(devtools, session, svg, preset, place)
                    shots.append(ARTIFACTS / f"diagram-{place.replace('/', '-')}-{number}.png")
                    _screenshot(devtools, session, svg, shots[-1])
                assert errors == [], place
        assert fetched, "Material never asked for Mermaid"
    finally:
        devtools.close()
    record_property("screenshots", " ".join(map(str, shots)))
    print("diagram screenshots:", *shots, sep="\n  ")
