"""Listing presets: the quick read gives what full loading gives, and broken files are named.

These tests hold behaviour only. How fast listing is lives in bench/run.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PRESETS_DIR, WORKED_PRESET_IDS
from mlsd.cli import main
from mlsd.listing import summary_of
from mlsd.presets import PresetCatalogue, PresetSummary, read_summary
from mlsd.yamlfile import load_yaml_file

TEAM_ID = "warehouse_slotting"


def _full(path: Path) -> PresetSummary:
    """The summary built from the fully loaded file: what the quick read must match."""
    return summary_of(load_yaml_file(path).data, path)


def _list(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["list", *args])
    return result.exit_code, result.output


def test_listing_equals_the_validated_summaries_of_the_builtin_presets() -> None:
    catalogue = PresetCatalogue([PRESETS_DIR])
    assert catalogue.listing() == catalogue.summaries()


@pytest.mark.parametrize(
    "text",
    [
        # Quoting, folding and plain multi-line scalars.
        'id: x\ntitle: "A \\"quoted\\" title"\ncategory: feeds\nsummary: >-\n  folded over\n  two lines\nsystem_name: \'Single\'\n',
        "id: x\ntitle: plain text\n  carried on\nsummary: |\n  kept\n  lines\n",
        # Values the full loader constructs as something other than text.
        "id: x\ntitle: 2024-05-01\ncategory: 12\nsummary: yes\nsystem_name: ~\n",
        "id: x\ntitle: !!str 12\nsummary: 0x1F\nsystem_name: 1.5e+3\n",
        # Fields after nested values, a document marker, comments, and a field left out.
        "# about\n---\nconcepts:\n  a: [1, {b: 2}]\nid: x\nrisks:\n  - kind: technical\ntitle: late # comment\n",
        # An anchor with no alias is allowed by the full loader too.
        "id: x\ntitle: &t anchored\n",
    ],
)
def test_the_quick_read_equals_full_loading(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_summary(path) == _full(path)


def test_a_listed_field_holding_a_mapping_falls_back_to_full_loading(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\ntitle:\n  en: English\n", encoding="utf-8")
    assert read_summary(path) == _full(path)


def test_the_quick_read_equals_full_loading_wherever_the_first_block_read_ends(tmp_path: Path) -> None:
    # The quick read starts with the head of a file; move the listed fields,
    # with values spanning lines, across the end of that head byte by byte.
    fields = (
        "id: x\ntitle: first words\n  and the rest\ncategory: 'quoted'\n"
        "summary: >-\n  folded\n  text\nsystem_name: \"quoted over\n  two lines\"\nafter: [1, 2]\n"
    )
    path = tmp_path / "x.yaml"
    for padding in range(3850, 4150):
        lines = ["# " + "p" * 60] * (padding // 63) + ["#" + "q" * (padding % 63)]
        path.write_text("\n".join(lines) + "\n" + fields + "tail: " + "t" * 5000 + "\n", encoding="utf-8")
        assert read_summary(path) == _full(path), padding


@pytest.fixture
def team_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "team"
    directory.mkdir()
    source = (PRESETS_DIR / f"{WORKED_PRESET_IDS[0]}.yaml").read_text(encoding="utf-8")
    (directory / f"{TEAM_ID}.yaml").write_text(
        source.replace(f"id: {WORKED_PRESET_IDS[0]}\n", f"id: {TEAM_ID}\n", 1), encoding="utf-8"
    )
    return directory


def test_a_team_preset_is_listed_as_full_loading_reads_it(team_dir: Path) -> None:
    code, output = _list("--json", "--presets-dir", str(team_dir))
    assert code == 0, output
    (row,) = [r for r in json.loads(output) if r["id"] == TEAM_ID]
    full = _full(team_dir / f"{TEAM_ID}.yaml")
    assert row == {"id": full.id, "title": full.title, "category": full.category, "summary": full.summary, "system_name": full.system_name}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: broken\ntitle: [unclosed\nsummary: y\n", 3, "invalid YAML"),
        ("id: broken\ntitle: a\ntitle: b\n", 3, "duplicate key"),
        ("id: broken\nbase: &b x\ntitle: *b\n", 3, "YAML aliases"),
        ("- id: broken\n", 1, "top level must be a mapping"),
        ("id: other\ntitle: a\n", 1, "'other' differs from the file name"),
    ],
)
def test_a_broken_file_stops_the_listing_with_one_line_naming_it(team_dir: Path, text: str, line: int, message: str) -> None:
    path = team_dir / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = _list("--presets-dir", str(team_dir))
    assert code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert output.startswith(f"Error: {path}:{line}: ") and message in output, output


def test_an_empty_file_stops_the_listing_naming_it(team_dir: Path) -> None:
    path = team_dir / "broken.yaml"
    path.write_text("", encoding="utf-8")
    code, output = _list("--presets-dir", str(team_dir))
    assert code == 1
    assert output == f"Error: {path}: file is empty; a preset is a YAML mapping of fields\n"


def test_a_schema_fault_below_the_listed_fields_is_left_to_the_commands_that_use_the_file(team_dir: Path, tmp_path: Path) -> None:
    path = team_dir / f"{TEAM_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^system_kind: .*$", "system_kind: gizmo", text, count=1, flags=re.M), encoding="utf-8")
    code, output = _list("--presets-dir", str(team_dir))
    assert code == 0 and TEAM_ID in output
    shown = CliRunner().invoke(main, ["show", TEAM_ID, "--presets-dir", str(team_dir)])
    assert shown.exit_code == 1
    assert f"{TEAM_ID}.yaml:" in shown.output and "system_kind: 'gizmo' is not one of" in shown.output
    made = CliRunner().invoke(main, ["new", TEAM_ID, "--presets-dir", str(team_dir), "-o", str(tmp_path / "o"), "--no-input"])
    assert made.exit_code == 1 and "system_kind" in made.output


def test_the_listing_wraps_to_the_terminal_and_keeps_every_word() -> None:
    for columns in ("40", "100"):
        result = CliRunner().invoke(main, ["list"], env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.output.splitlines()) <= int(columns)
        words = result.output.split()
        for summary in PresetCatalogue([PRESETS_DIR]).listing():
            assert summary.id in words
            assert all(word in words for word in summary.summary.split())


def test_the_cli_repeats_the_interview_lengths_faithfully() -> None:
    from mlsd import cli, interview

    assert cli.INTERVIEW_LENGTHS == interview.INTERVIEW_LENGTHS == (30, 45, 60)
    assert cli.DEFAULT_INTERVIEW_MINUTES == interview.DEFAULT_INTERVIEW_MINUTES


def _modules_loaded_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Run mlsd in a fresh interpreter and return the modules it imported."""
    script = (
        "import json, sys\n"
        "from mlsd.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return set(json.loads(done.stderr.splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules} | modules


@pytest.mark.parametrize(
    ("args", "never"),
    [
        (("--help",), {"cookiecutter", "rich", "jinja2", "yaml", "mlsd.presets", "mlsd.schema", "mlsd.interview"}),
        (("list",), {"cookiecutter", "rich", "jinja2", "mlsd.figures", "mlsd.concepts", "mlsd.interview", "mlsd.answers"}),
        (("show", "blank"), {"cookiecutter", "rich"}),
        (("validate", str(PRESETS_DIR / "blank.yaml")), {"cookiecutter", "rich"}),
    ],
)
def test_commands_that_do_not_generate_never_import_cookiecutter(args: tuple[str, ...], never: set[str]) -> None:
    assert not _roots(_modules_loaded_by(*args)) & never


# --- The cache of preset heads and of briefs ------------------------------------------------


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.suffix == ".json")


def test_an_edited_preset_is_listed_as_it_now_reads(team_dir: Path, isolated_cache: Path) -> None:
    path = team_dir / f"{TEAM_ID}.yaml"
    code, first = _list("--json", "--presets-dir", str(team_dir))
    assert code == 0 and (isolated_cache / "preset-heads.json").is_file()
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, flags=re.M).group(1)
    # Same length and the old timestamps: only the content tells the edit apart.
    edited = "Z" * len(title)
    path.write_text(text.replace(f"title: {title}", f"title: {edited}", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, second = _list("--json", "--presets-dir", str(team_dir))
    assert code == 0
    (row,) = [r for r in json.loads(second) if r["id"] == TEAM_ID]
    assert row["title"] == edited
    assert [r for r in json.loads(first) if r["id"] != TEAM_ID] == [r for r in json.loads(second) if r["id"] != TEAM_ID]


def test_a_cached_listing_is_the_same_and_loads_no_yaml(isolated_cache: Path) -> None:
    env = {**os.environ, "MLSD_CACHE_DIR": str(isolated_cache)}
    first = subprocess.run([sys.executable, "-c", "from mlsd.cli import main; main()", "list"], capture_output=True, text=True, env=env)
    assert _modules_loaded_by("list", env=env) & {"yaml", "mlsd.schema", "mlsd.presets"} == set()
    second = subprocess.run([sys.executable, "-c", "from mlsd.cli import main; main()", "list"], capture_output=True, text=True, env=env)
    assert first.returncode == 0 and first.stdout == second.stdout and "tiktok_fyp" in first.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"\x00not json",
        b'{"version": 1, "data": []}',
        b"[" * 100000,
        None,  # the right version, entries of the wrong shape
        "forged",  # the right version and shape, a head that is not the file's
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_replaced(team_dir: Path, isolated_cache: Path, content) -> None:
    from mlsd import listing, user_cache

    _list("--presets-dir", str(team_dir))
    cache = isolated_cache / listing.HEADS_CACHE
    document = json.loads(cache.read_text(encoding="utf-8"))
    key = os.path.abspath(team_dir / f"{TEAM_ID}.yaml")
    if content is None:
        document["data"][key] = {"__class__": "os.system"}
        content = json.dumps(document).encode()
    elif content == "forged":
        document["data"][key] = [True, "id: warehouse_slotting\n", ["warehouse_slotting", "Forged", "x", "y", "z"]]
        content = json.dumps(document).encode()
    assert document["version"] == f"{user_cache.code_version()} {','.join(listing.LISTED_FIELDS)}"
    cache.write_bytes(content)
    code, output = _list("--json", "--presets-dir", str(team_dir))
    assert code == 0, output
    (row,) = [r for r in json.loads(output) if r["id"] == TEAM_ID]
    assert row["title"] == _full(team_dir / f"{TEAM_ID}.yaml").title
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == document["version"]


def test_a_cache_others_may_write_is_not_read(team_dir: Path, isolated_cache: Path) -> None:
    from mlsd import user_cache

    user_cache.write("probe.json", "v", {"a": 1})
    assert user_cache.read("probe.json", "v") == {"a": 1}
    assert user_cache.read("probe.json", "other version") is None
    (isolated_cache / "probe.json").chmod(0o666)
    assert user_cache.read("probe.json", "v") is None


def test_the_cache_is_never_written_inside_a_presets_directory(team_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLSD_CACHE_DIR", str(team_dir / "cache"))
    code, _ = _list("--presets-dir", str(team_dir))
    assert code == 0 and not (team_dir / "cache").exists()


@pytest.mark.parametrize("directory", ["", "relative/cache"])
def test_no_cache_without_an_absolute_directory(directory: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from mlsd import user_cache

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLSD_CACHE_DIR", directory)
    assert user_cache.cache_dir() is None
    assert _list()[0] == 0 and list(tmp_path.iterdir()) == []


def test_show_from_the_cache_is_the_same_and_follows_an_edit(team_dir: Path, isolated_cache: Path) -> None:
    def show() -> str:
        result = CliRunner().invoke(main, ["show", TEAM_ID, "--presets-dir", str(team_dir)])
        assert result.exit_code == 0, result.output
        return result.output

    first = show()
    assert any(p.name.startswith("brief-") for p in _cache_files(isolated_cache))
    assert show() == first
    path = team_dir / f"{TEAM_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    name = re.search(r"^system_name: (.*)$", text, flags=re.M).group(1)
    path.write_text(text.replace(f"system_name: {name}", "system_name: Edited Name", 1), encoding="utf-8")
    assert "system name: Edited Name" in show()
    # A fault after the edit is reported, not hidden behind the cached brief.
    path.write_text(text.replace("system_kind: ", "system_kind: gizmo #", 1), encoding="utf-8")
    broken = CliRunner().invoke(main, ["show", TEAM_ID, "--presets-dir", str(team_dir)])
    assert broken.exit_code == 1 and "system_kind" in broken.output
