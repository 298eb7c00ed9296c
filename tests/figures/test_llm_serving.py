"""LLM serving formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

# 864,000 requests a day at 2x peak: 864,000 / 86,400 x 2 = 20 requests/s
BASE = {
    "actors": 86_400, "requests_per_actor_per_day": 10, "peak_to_average": 2,
    "prompt_tokens": 1_000, "output_tokens": 200, "parameters": 8e9, "bytes_per_parameter": 2,
    "layers": 32, "kv_heads": 8, "head_dim": 128, "kv_bytes_per_value": 2, "concurrent_sequences": 64,
    "accelerators_per_replica": 1, "accelerator_memory_gb": 80, "prefill_tokens_per_s": 10_000,
    "decode_tokens_per_s": 2_000, "target_utilization": 0.5, "accelerator_hourly_price": 2,
}


def test_tokens_accelerators_memory_and_speed() -> None:
    v = values(workload("llm_serving", BASE))
    assert v["peak_rps"] == pytest.approx(20)
    # 20 x 1,000 = 20,000 prompt tokens/s; 20 x 200 = 4,000 output tokens/s
    assert v["peak_prefill_tokens"] == pytest.approx(20_000)
    assert v["peak_decode_tokens"] == pytest.approx(4_000)
    # 20,000 / 10,000 = 2 and 4,000 / 2,000 = 2 accelerators busy; ceil(4 / (0.5 x 1)) = 8 replicas of 1
    assert v["prefill_accelerators"] == pytest.approx(2)
    assert v["decode_accelerators"] == pytest.approx(2)
    assert v["replicas"] == 8
    assert v["accelerators"] == 8
    # 8e9 x 2 B = 16 GB of weights; 32 x 8 x 128 x 2 x 2 B = 131,072 B (128 KiB) of KV per token
    assert v["weight_memory"] == pytest.approx(16e9)
    assert v["kv_bytes_per_token"] == 131_072
    # 64 x (1,000 + 200) = 76,800 tokens; x 131,072 B = 10.07 GB; with weights 26.07 GB of 80 GB
    assert v["tokens_in_flight"] == 76_800
    assert v["kv_cache"] == pytest.approx(76_800 * 131_072)
    assert v["memory_needed"] == pytest.approx(16e9 + 76_800 * 131_072)
    assert v["replica_memory"] == pytest.approx(80e9)
    # TTFT 1,000 / 10,000 = 100 ms; time per token 64 / 2,000 = 32 ms
    assert v["ttft_ms"] == pytest.approx(100)
    assert v["tpot_ms"] == pytest.approx(32)
    # 8 x USD 2 x 24 = USD 384 a day over 864,000 x 1,200 tokens = USD 0.37 per million
    assert v["cost_per_day"] == pytest.approx(384)
    assert v["cost_per_million_tokens"] == pytest.approx(384 / (864_000 * 1_200) * 1e6)
    # USD 384 over 864,000 x 200 output tokens = USD 2.22 per million output tokens
    assert v["cost_per_million_output_tokens"] == pytest.approx(384 / (864_000 * 200) * 1e6)


def test_weights_and_kv_against_memory_both_ways() -> None:
    assert workload("llm_serving", BASE).fit == []
    # 20 GB is under the 26.07 GB needed
    found = messages(workload("llm_serving", {**BASE, "accelerator_memory_gb": 20}))
    assert found == ["weights plus KV cache need 26.1 GB per replica, over the 20 GB of accelerator memory"]


def test_limits_both_ways() -> None:
    fine = {"max_accelerators": 8, "ttft_target_ms": 100, "tpot_target_ms": 32, "max_cost_per_million_tokens": 0.38}
    assert workload("llm_serving", BASE, fine).fit == []
    tight = {"max_accelerators": 7, "ttft_target_ms": 99, "tpot_target_ms": 31, "max_cost_per_million_tokens": 0.3}
    assert messages(workload("llm_serving", BASE, tight)) == [
        "8 accelerators needed at peak exceed the cap of 7",
        "time to first token of 100 ms is over the target of 99 ms",
        "time per output token of 32 ms is over the target of 31 ms",
        "USD 0.37 per million tokens is over the ceiling of USD 0.3",
    ]
