"""Compiled templates: strings compiled once per process, templates kept on disk for the next one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader

from mlsd import template_cache
from mlsd.template_cache import CACHE_SUBDIR, TEMPLATE_CODE_CACHE
from mlsd.template_env import MlsdExtension


def test_a_string_is_compiled_once_across_fresh_environments() -> None:
    source = "{{ a }} and {{ b | one_line }} (compiled once)"
    first = Environment(extensions=[MlsdExtension])
    assert first.from_string(source).render(a=1, b="x\ny") == "1 and x y (compiled once)"
    compiled = [key for key in template_cache._COMPILED_STRINGS if key[1] == source]
    assert len(compiled) == 1
    second = Environment(extensions=[MlsdExtension])
    assert second.from_string(source).render(a=2, b="z") == "2 and z (compiled once)"
    assert [key for key in template_cache._COMPILED_STRINGS if key[1] == source] == compiled


def test_other_delimiters_get_their_own_code() -> None:
    source = "<< a >> {{ a }}"
    plain = Environment(extensions=[MlsdExtension])
    angled = Environment(extensions=[MlsdExtension], variable_start_string="<<", variable_end_string=">>")
    assert plain.from_string(source).render(a=1) == "<< a >> 1"
    assert angled.from_string(source).render(a=1) == "1 {{ a }}"


class _Counting:
    """Counts the compiles of environments made through it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        original = Environment.compile

        def compile(environment, source, name=None, filename=None, raw=False, defer_init=False):
            if name is not None:
                self.names.append(name)
            return original(environment, source, name, filename, raw, defer_init)

        monkeypatch.setattr(Environment, "compile", compile)


def _render(directory: Path, name: str = "page.md", **variables) -> str:
    environment = Environment(loader=FileSystemLoader(str(directory)), extensions=[MlsdExtension])
    return environment.get_template(name).render(**variables)


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    directory = tmp_path / "templates"
    directory.mkdir()
    (directory / "page.md").write_text("Hello {{ who | one_line }}\n", encoding="utf-8")
    return directory


def _new_process() -> None:
    """What a new process starts with: nothing compiled in memory."""
    TEMPLATE_CODE_CACHE.clear()


def test_a_template_compiled_once_is_read_from_disk_by_the_next_process(templates, isolated_cache, monkeypatch) -> None:
    counting = _Counting(monkeypatch)
    _new_process()
    assert _render(templates, who="a\nb") == "Hello a b"
    assert counting.names == ["page.md"]
    entries = list((isolated_cache / CACHE_SUBDIR).iterdir())
    assert len(entries) == 1 and entries[0].stat().st_mode & 0o077 == 0
    _new_process()
    assert _render(templates, who="c") == "Hello c"
    assert counting.names == ["page.md"]  # not compiled again


def test_an_edited_template_is_compiled_again(templates, isolated_cache, monkeypatch) -> None:
    counting = _Counting(monkeypatch)
    _new_process()
    _render(templates, who="a")
    (templates / "page.md").write_text("Goodbye {{ who }}\n", encoding="utf-8")
    _new_process()
    assert _render(templates, who="a") == "Goodbye a"
    assert counting.names == ["page.md", "page.md"]


@pytest.mark.parametrize("spoil", ["writable by others", "garbage", "other code", "empty"])
def test_an_untrusted_or_foreign_entry_is_not_used_and_is_replaced(templates, isolated_cache, monkeypatch, spoil) -> None:
    counting = _Counting(monkeypatch)
    _new_process()
    _render(templates, who="a")
    (entry,) = (isolated_cache / CACHE_SUBDIR).iterdir()
    if spoil == "writable by others":
        os.chmod(entry, 0o666)
    elif spoil == "garbage":
        entry.write_bytes(template_cache._producer() + b"\x00not jinja code")
    elif spoil == "other code":
        entry.write_bytes(b"mlsd-template 0000\n" + entry.read_bytes().split(b"\n", 1)[1])
    else:
        entry.write_bytes(b"")
    _new_process()
    assert _render(templates, who="b") == "Hello b"
    assert counting.names == ["page.md", "page.md"]
    _new_process()
    _render(templates, who="c")
    assert counting.names == ["page.md", "page.md"]  # the replaced entry is good again


def test_different_syntax_does_not_share_compiled_code(isolated_cache) -> None:
    source = {"t": "<< a >> {{ a }}"}
    _new_process()
    plain = Environment(loader=DictLoader(source), extensions=[MlsdExtension])
    angled = Environment(
        loader=DictLoader(source), extensions=[MlsdExtension], variable_start_string="<<", variable_end_string=">>"
    )
    assert plain.get_template("t").render(a=1) == "<< a >> 1"
    assert angled.get_template("t").render(a=1) == "1 {{ a }}"


def test_without_a_cache_directory_templates_still_render(templates, monkeypatch) -> None:
    monkeypatch.setenv("MLSD_CACHE_DIR", "")
    _new_process()
    assert _render(templates, who="x") == "Hello x"
