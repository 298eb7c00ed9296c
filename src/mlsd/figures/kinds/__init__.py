"""The workload kinds, one module each, behind one registry.

A new kind is a new module with a ``KIND`` and one entry here.
"""

from __future__ import annotations

from mlsd.figures.kinds import batch, llm_serving, on_device, online_service, platform, streaming, training
from mlsd.figures.kinds.base import Kind

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (online_service, llm_serving, on_device, batch, streaming, training, platform)
}

__all__ = ["KINDS", "Kind"]
