"""The Jinja extension: strings compiled once per process, and never shared across different syntax."""

from __future__ import annotations

from jinja2 import Environment

from mlsd import template_env
from mlsd.template_env import MlsdExtension


def test_a_string_is_compiled_once_across_fresh_environments() -> None:
    source = "{{ a }} and {{ b | one_line }} (compiled once)"
    first = Environment(extensions=[MlsdExtension])
    assert first.from_string(source).render(a=1, b="x\ny") == "1 and x y (compiled once)"
    compiled = [key for key in template_env._COMPILED_STRINGS if key[1] == source]
    assert len(compiled) == 1
    second = Environment(extensions=[MlsdExtension])
    assert second.from_string(source).render(a=2, b="z") == "2 and z (compiled once)"
    assert [key for key in template_env._COMPILED_STRINGS if key[1] == source] == compiled


def test_other_delimiters_get_their_own_code() -> None:
    source = "<< a >> {{ a }}"
    plain = Environment(extensions=[MlsdExtension])
    angled = Environment(extensions=[MlsdExtension], variable_start_string="<<", variable_end_string=">>")
    assert plain.from_string(source).render(a=1) == "<< a >> 1"
    assert angled.from_string(source).render(a=1) == "1 {{ a }}"
