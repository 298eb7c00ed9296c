"""The architecture diagram: a Mermaid flowchart built from components and edges.

Online serving, streaming and offline paths each get a subgraph. Every label is
escaped with Mermaid entity codes, so any text yields a diagram that parses.
"""

from __future__ import annotations

from typing import Any

from mlsd.markdown import fold

PATH_TITLES = {
    "online": "Online serving path",
    "streaming": "Streaming and nearline path",
    "offline": "Offline training and data path",
}

# Characters that end or reinterpret a quoted Mermaid label, as entity codes.
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}


def label(text: object) -> str:
    """Escape text for use inside a double-quoted Mermaid label."""
    return "".join(_ENTITIES.get(ch, ch) for ch in fold(text))


def node_id(component_id: str) -> str:
    """A node id that can never collide with a Mermaid keyword such as ``end``."""
    return f"c_{component_id}"


def flowchart(components: list[dict[str, Any]], data_flow: list[dict[str, Any]]) -> str:
    """Mermaid source for the architecture, subgraph per path, one edge per flow."""
    lines = ["flowchart LR"]
    for path, title in PATH_TITLES.items():
        members = [c for c in components if c.get("path") == path]
        if not members:
            continue
        lines.append(f'  subgraph {path}_path["{label(title)}"]')
        for component in members:
            name = label(component.get("name", component["id"]))
            tech = label(component.get("tech", ""))
            lines.append(f'    {node_id(component["id"])}["{name}<br/>{tech}"]')
        lines.append("  end")
    for flow in data_flow:
        lines.append(f'  {node_id(flow["from"])} -->|"{label(flow.get("carries", ""))}"| {node_id(flow["to"])}')
    return "\n".join(lines)
