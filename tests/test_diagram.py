"""The Mermaid architecture diagram."""

from __future__ import annotations

import re

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.diagram import flowchart, label

NODE = re.compile(r'^\s+(c_[a-z0-9_]+)\["')
EDGE = re.compile(r'^\s+(c_[a-z0-9_]+) -->\|"[^"]*"\| (c_[a-z0-9_]+)$')


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_nodes_and_edges_match_the_preset(preset_id: str) -> None:
    architecture = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")["architecture"]
    lines = flowchart(architecture["components"], architecture["data_flow"]).splitlines()
    nodes = [m.group(1) for line in lines if (m := NODE.match(line))]
    edges = [(m.group(1), m.group(2)) for line in lines if (m := EDGE.match(line))]
    assert sorted(nodes) == sorted(f"c_{c['id']}" for c in architecture["components"])
    assert edges == [(f"c_{f['from']}", f"c_{f['to']}") for f in architecture["data_flow"]]
    assert lines[0] == "flowchart LR"


def test_paths_get_their_own_subgraphs() -> None:
    components = [
        {"id": "api", "name": "API", "path": "online", "tech": "Go"},
        {"id": "end", "name": "Trainer", "path": "offline", "tech": "Spark"},
    ]
    text = flowchart(components, [{"from": "end", "to": "api", "carries": "model"}])
    online = text.index('subgraph online_path["Online serving path"]')
    offline = text.index('subgraph offline_path["Offline training and data path"]')
    assert online < text.index("c_api[") < offline < text.index("c_end[")
    assert "streaming_path" not in text


@pytest.mark.parametrize(
    "text",
    ['say "hi"', "a|b", "<script>", "x]y[z", "{curly}", "back`tick", "#hash; & amp", "line\nbreak"],
)
def test_labels_never_break_out_of_their_quotes(text: str) -> None:
    escaped = label(text)
    assert not set('"|<>[]{}`') & set(escaped)
    assert "\n" not in escaped
