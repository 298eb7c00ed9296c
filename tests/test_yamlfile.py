"""Safe YAML loading: line numbers, and refusal of everything a preset must not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.errors import PresetError
from mlsd.yamlfile import MAX_PRESET_BYTES, load_yaml_bytes, load_yaml_file


def _reference_loader():
    import yaml

    # PyYAML's own safe constructor (libyaml's parser when present), which the loader must agree with.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_SAFE_LOADER = _reference_loader()


def _error(raw: bytes) -> str:
    with pytest.raises(PresetError) as caught:
        load_yaml_bytes(raw, "p.yaml")
    assert len(caught.value.problems) == 1
    return str(caught.value)


def test_lines_are_recorded_per_field_path() -> None:
    loaded = load_yaml_bytes(b"id: x\nscope:\n  in_scope:\n    - a\n    - b\n", "p.yaml")
    assert loaded.data == {"id": "x", "scope": {"in_scope": ["a", "b"]}}
    assert loaded.line_of(("scope", "in_scope", 1)) == 5
    assert loaded.line_of(("scope", "missing", "deeper")) == 2


def test_invalid_yaml_names_file_and_line() -> None:
    assert _error(b"id: x\ntitle: [unclosed\nsummary: y\n").startswith("p.yaml:3: invalid YAML:")


def test_not_utf8() -> None:
    assert _error(b"id: x\ntitle: caf\xe9\n") == "p.yaml:2: file is not valid UTF-8; save it as UTF-8"


@pytest.mark.parametrize("raw", [b"", b"   \n\n"])
def test_empty_file(raw: bytes) -> None:
    assert _error(raw) == "p.yaml: file is empty; a preset is a YAML mapping of fields"


def test_top_level_must_be_a_mapping() -> None:
    assert _error(b"- a\n- b\n") == "p.yaml:1: top level must be a mapping of fields, not list"


def test_python_object_tags_are_refused() -> None:
    message = _error(b"id: !!python/object/apply:os.system ['echo hi']\n")
    assert message.startswith("p.yaml:1: invalid YAML: could not determine a constructor")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 12):
        lines.append(f"a{n}: &a{n} [*a{'' if n == 1 else n - 1}, *a{'' if n == 1 else n - 1}, *a{'' if n == 1 else n - 1}]")
    message = _error("\n".join(lines).encode())
    assert message == "p.yaml:2: YAML aliases (*name) are not allowed in presets; write the value out"


def test_merge_keys_are_refused() -> None:
    assert _error(b"base: {a: 1}\nother:\n  <<: {a: 2}\n") == "p.yaml:3: YAML merge keys (<<) are not allowed in presets"


def test_duplicate_keys_are_refused() -> None:
    assert _error(b"id: x\nscope:\n  a: 1\n  a: 2\n") == "p.yaml:4: scope.a: duplicate key; each field may appear once"


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x: '" + b"a" * MAX_PRESET_BYTES + b"'\n")
    with pytest.raises(PresetError) as caught:
        load_yaml_file(big, "big.yaml")
    assert str(caught.value) == (
        f"big.yaml: file is {MAX_PRESET_BYTES + 6} bytes, over the {MAX_PRESET_BYTES}-byte limit for a preset"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2.5, true, ~, -3, 0x1f, .inf]\nb: 'quoted'\nc: |\n  block\n  text\n",
        "1: one\n2020-01-02: day\nwhen: 2020-01-02T03:04:05Z\nblob: !!binary aGk=\n",
        "tags: !!set {x, y}\npairs: !!omap [a: 1, b: 2]\nplain: !!str 12\n",
        "nested:\n  - {a: [x, {b: null}]}\n  - - deep\n",
    ],
)
def test_data_is_what_safe_load_builds(text: str) -> None:
    import yaml

    assert load_yaml_bytes(text.encode(), "p.yaml").data == yaml.load(text, Loader=_SAFE_LOADER)


def test_every_preset_loads_as_safe_load_reads_it() -> None:
    import yaml

    from conftest import PRESET_FILES

    for path in PRESET_FILES:
        raw = path.read_bytes()
        assert load_yaml_bytes(raw, path.name).data == yaml.load(raw, Loader=_SAFE_LOADER), path.name
