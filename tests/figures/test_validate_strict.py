"""mlsd validate --strict fails on numbers that do not fit, naming file, line, field and both numbers."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PRESETS_DIR, load_yaml
from mlsd.cli import main

LLM = {
    "kind": "llm_serving", "name": "chat", "label": "Chat", "inputs": {
        k: {"value": v, "basis": "assumption"} for k, v in {
            "actors": 86_400, "requests_per_actor_per_day": 10, "peak_to_average": 2, "prompt_tokens": 1_000,
            "output_tokens": 200, "parameters": 8_000_000_000, "bytes_per_parameter": 2, "layers": 32, "kv_heads": 8,
            "head_dim": 128, "kv_bytes_per_value": 2, "concurrent_sequences": 64, "accelerators_per_replica": 1,
            "accelerator_memory_gb": 20, "prefill_tokens_per_s": 10_000, "decode_tokens_per_s": 2_000,
            "target_utilization": 0.5}.items()},
}
DEVICE = {
    "kind": "on_device", "name": "camera", "label": "Camera", "inputs": {
        k: {"value": v, "basis": "assumption"} for k, v in {
            "devices": 1_000, "frames_per_second": 60, "gops_per_inference": 100, "accelerator_tops": 10,
            "utilization_ceiling": 0.5, "model_mb": 20}.items()},
}


def _write(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(load_yaml(PRESETS_DIR / "tiktok_fyp.yaml"))
    data["id"] = "broken"
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path


def _strict(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    return result.exit_code, result.output.splitlines()


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def test_builtin_presets_pass_strict() -> None:
    result = CliRunner().invoke(main, ["validate", "--strict", *map(str, sorted(PRESETS_DIR.glob("*.yaml")))])
    assert result.exit_code == 0, result.output


def test_throughput_target_above_the_host_cap(tmp_path: Path) -> None:
    def change(data: dict) -> None:
        data["workloads"][0]["limits"] = {
            "throughput_target": {"value": 2_000_000, "basis": "assumption"},
            "max_hosts": {"value": 100, "basis": "assumption"},
        }
    path = _write(tmp_path, change)
    code, lines = _strict(path)
    assert code != 0
    hosts = [line for line in lines if "host cap" in line]
    assert len(hosts) == 1
    assert hosts[0].startswith(f"warning: {path}:{_line_of(path, 'max_hosts:') + 1}: workloads[0].limits.max_hosts.value: ")
    assert "at 2,000,000 requests/s exceed the host cap of 100" in hosts[0]


@pytest.mark.parametrize(
    ("workload", "expected"),
    [
        (DEVICE, "workloads[1].inputs.frames_per_second.value: camera: "
                 "compute per frame takes 20 ms, over the frame period of 16.67 ms"),
        (LLM, "workloads[1].inputs.accelerator_memory_gb.value: chat: "
              "weights plus KV cache need 26.1 GB per replica, over the 20 GB of accelerator memory"),
    ],
    ids=["frame compute above the frame period", "weights and KV above accelerator memory"],
)
def test_a_workload_that_does_not_fit(tmp_path: Path, workload: dict, expected: str) -> None:
    path = _write(tmp_path, lambda data: data["workloads"].append(workload))
    code, lines = _strict(path)
    assert code != 0
    assert any(line.startswith(f"warning: {path}:") and expected in line for line in lines), lines


def test_without_strict_a_misfit_is_only_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda data: data["workloads"].append(LLM))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning:" in result.output


def test_a_huge_value_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    def change(data: dict) -> None:
        data["workloads"][0]["inputs"]["actors"]["value"] = 1e308
    code, lines = _strict(_write(tmp_path, change))
    assert code != 0
    assert any("workloads[0].inputs.actors.value: must be a finite number no larger than 1e+30, got 1e+308" in line for line in lines)
    assert not any("Traceback" in line for line in lines)


def test_an_unknown_input_is_an_error_with_its_line(tmp_path: Path) -> None:
    def change(data: dict) -> None:
        data["workloads"][0]["inputs"]["actorz"] = {"value": 1, "basis": "typo"}
    path = _write(tmp_path, change)
    code, lines = _strict(path)
    assert code != 0
    assert f"{path}:{_line_of(path, 'actorz:')}: workloads[0].inputs.actorz: unknown input; did you mean 'actors'?" in lines
