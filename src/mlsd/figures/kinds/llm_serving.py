"""LLM serving: tokens in and out, accelerator memory for weights and KV cache, speed and cost.

Throughput is counted in tokens: prefill (the prompt, processed in parallel)
and decode (the output, one token per sequence per step). A model replica
spans ``accelerators_per_replica`` accelerators and must hold its weights plus
the KV cache of every sequence in flight.
"""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet, ceil
from mlsd.figures.units import SECONDS_PER_DAY, count, decimal, money, plural, readable_bytes, si

GB = 1e9

INPUTS = (
    InputSpec("actors", "actors/day", "Actors per day", integer=True),
    InputSpec("requests_per_actor_per_day", "requests/actor/day", "Requests per actor per day"),
    InputSpec("peak_to_average", "ratio", "Peak-to-average traffic ratio"),
    InputSpec("prompt_tokens", "tokens", "Prompt tokens per request (mean, context included)"),
    InputSpec("output_tokens", "tokens", "Output tokens per request (mean)"),
    InputSpec("parameters", "parameters", "Model parameters", integer=True),
    InputSpec("bytes_per_parameter", "B", "Bytes per parameter (2 for BF16, 1 for FP8)"),
    InputSpec("layers", "layers", "Transformer layers", integer=True),
    InputSpec("kv_heads", "heads", "Key-value heads per layer", integer=True),
    InputSpec("head_dim", "values", "Head dimension", integer=True),
    InputSpec("kv_bytes_per_value", "B", "Bytes per KV-cache value"),
    InputSpec("concurrent_sequences", "sequences", "Sequences in flight on one replica", integer=True),
    InputSpec("accelerators_per_replica", "accelerators", "Accelerators per model replica", integer=True),
    InputSpec("accelerator_memory_gb", "GB", "Memory of one accelerator (GB)"),
    InputSpec("prefill_tokens_per_s", "tokens/s", "Prefill tokens per second, one accelerator"),
    InputSpec("decode_tokens_per_s", "tokens/s", "Decode tokens per second, one accelerator, at that concurrency"),
    InputSpec("target_utilization", "fraction", "Target utilisation at peak", maximum=1),
    InputSpec("accelerator_hourly_price", "USD/h", "Price of one accelerator-hour (USD)", required=False),
)

LIMITS = (
    InputSpec("max_accelerators", "accelerators", "Accelerator cap (reservation)", required=False, integer=True),
    InputSpec("ttft_target_ms", "ms", "Time-to-first-token target (ms)", required=False),
    InputSpec("tpot_target_ms", "ms", "Time-per-output-token target (ms)", required=False),
    InputSpec("max_cost_per_million_tokens", "USD", "Cost ceiling per million tokens (USD)", required=False),
    InputSpec("max_cost_per_million_output_tokens", "USD", "Cost ceiling per million output tokens (USD)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    add = sheet.add
    add("daily_requests", "Requests per day", "actors x requests per actor per day", "{} x {}",
        ("actors", "requests_per_actor_per_day"), lambda a, r: a * r, "requests/day", lambda v: f"{count(v)} requests/day")
    add("peak_rps", "Peak requests per second", "requests per day / 86,400 s x peak-to-average ratio", "{} / 86,400 s x {}",
        ("daily_requests", "peak_to_average"), lambda d, p: d / SECONDS_PER_DAY * p, "requests/s", lambda v: f"{si(v)} requests/s")
    add("peak_prefill_tokens", "Prompt tokens per second at peak", "peak requests/s x prompt tokens", "{} x {}",
        ("peak_rps", "prompt_tokens"), lambda q, t: q * t, "tokens/s", lambda v: f"{si(v)} tokens/s")
    add("peak_decode_tokens", "Output tokens per second at peak", "peak requests/s x output tokens", "{} x {}",
        ("peak_rps", "output_tokens"), lambda q, t: q * t, "tokens/s", lambda v: f"{si(v)} tokens/s")
    add("prefill_accelerators", "Accelerators busy with prefill", "prompt tokens/s / prefill tokens/s per accelerator", "{} / {}",
        ("peak_prefill_tokens", "prefill_tokens_per_s"), lambda t, r: t / r, "accelerators", lambda v: decimal(v, "accelerators"))
    add("decode_accelerators", "Accelerators busy with decode", "output tokens/s / decode tokens/s per accelerator", "{} / {}",
        ("peak_decode_tokens", "decode_tokens_per_s"), lambda t, r: t / r, "accelerators", lambda v: decimal(v, "accelerators"))
    add("replicas", "Model replicas at peak",
        "ceil((prefill + decode accelerators) / (target utilisation x accelerators per replica))", "ceil(({} + {}) / ({} x {}))",
        ("prefill_accelerators", "decode_accelerators", "target_utilization", "accelerators_per_replica"),
        lambda p, d, u, a: ceil((p + d) / (u * a)), "replicas", lambda v: plural(v, "replica"))
    add("accelerators", "Accelerators at peak", "replicas x accelerators per replica", "{} x {}",
        ("replicas", "accelerators_per_replica"), lambda r, a: r * a, "accelerators", lambda v: plural(v, "accelerator"))
    add("weight_memory", "Weight memory, one replica", "parameters x bytes per parameter", "{} x {} B",
        ("parameters", "bytes_per_parameter"), lambda p, b: p * b, "B", readable_bytes)
    add("kv_bytes_per_token", "KV cache per token", "layers x KV heads x head dim x 2 (K and V) x bytes per value",
        "{} x {} x {} x 2 x {} B", ("layers", "kv_heads", "head_dim", "kv_bytes_per_value"),
        lambda l, h, d, b: l * h * d * 2 * b, "B", readable_bytes)
    add("tokens_in_flight", "Tokens held in KV cache, one replica", "sequences in flight x (prompt + output tokens)",
        "{} x ({} + {})", ("concurrent_sequences", "prompt_tokens", "output_tokens"),
        lambda c, p, o: c * (p + o), "tokens", lambda v: f"{si(v)} tokens")
    add("kv_cache", "KV-cache memory, one replica", "KV cache per token x tokens in flight", "{} x {}",
        ("kv_bytes_per_token", "tokens_in_flight"), lambda b, t: b * t, "B", readable_bytes)
    add("memory_needed", "Weights plus KV cache, one replica", "weight memory + KV-cache memory", "{} + {}",
        ("weight_memory", "kv_cache"), lambda w, k: w + k, "B", readable_bytes)
    add("replica_memory", "Accelerator memory, one replica", "accelerators per replica x memory per accelerator",
        "{} x {} GB", ("accelerators_per_replica", "accelerator_memory_gb"), lambda a, m: a * m * GB, "B", readable_bytes)
    add("ttft_ms", "Time to first token (compute only)", "prompt tokens / (prefill tokens/s x accelerators per replica)",
        "{} / ({} x {})", ("prompt_tokens", "prefill_tokens_per_s", "accelerators_per_replica"),
        lambda t, r, a: t / (r * a) * 1000, "ms", lambda v: decimal(v, "ms"))
    add("tpot_ms", "Time per output token", "sequences in flight / (decode tokens/s x accelerators per replica)",
        "{} / ({} x {})", ("concurrent_sequences", "decode_tokens_per_s", "accelerators_per_replica"),
        lambda c, r, a: c / (r * a) * 1000, "ms", lambda v: decimal(v, "ms"))
    if "accelerator_hourly_price" in (workload.get("inputs") or {}):
        add("cost_per_day", "Fleet cost per day", "accelerators x hourly price x 24 h", "{} x {} x 24",
            ("accelerators", "accelerator_hourly_price"), lambda a, p: a * p * 24, "USD/day", lambda v: f"{money(v)}/day")
        add("cost_per_million_tokens", "Cost per million tokens (prompt and output)",
            "fleet cost per day / (requests per day x (prompt + output tokens)) x 1,000,000",
            "{} / ({} x ({} + {})) x 1M", ("cost_per_day", "daily_requests", "prompt_tokens", "output_tokens"),
            lambda c, d, p, o: c / (d * (p + o)) * 1e6, "USD", money)
        add("cost_per_million_output_tokens", "Cost per million output tokens",
            "fleet cost per day / (requests per day x output tokens) x 1,000,000", "{} / ({} x {}) x 1M",
            ("cost_per_day", "daily_requests", "output_tokens"), lambda c, d, o: c / (d * o) * 1e6, "USD", money)


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "memory_needed", "replica_memory",
                  lambda need, have: f"weights plus KV cache need {readable_bytes(need)} per replica, over the "
                  f"{readable_bytes(have)} of accelerator memory", field=("inputs", "accelerator_memory_gb", "value"))
    issues += over(values, "accelerators", "max_accelerators",
                   lambda a, cap: f"{n(a)} accelerators needed at peak exceed the cap of {n(cap)}")
    issues += over(values, "ttft_ms", "ttft_target_ms",
                   lambda t, cap: f"time to first token of {n(t)} ms is over the target of {n(cap)} ms")
    issues += over(values, "tpot_ms", "tpot_target_ms",
                   lambda t, cap: f"time per output token of {n(t)} ms is over the target of {n(cap)} ms")
    issues += over(values, "cost_per_million_tokens", "max_cost_per_million_tokens",
                   lambda c, cap: f"USD {n(c)} per million tokens is over the ceiling of USD {n(cap)}")
    issues += over(values, "cost_per_million_output_tokens", "max_cost_per_million_output_tokens",
                   lambda c, cap: f"USD {n(c)} per million output tokens is over the ceiling of USD {n(cap)}")
    return issues


KIND = Kind(
    name="llm_serving",
    title="LLM serving",
    summary="a language model generating tokens: prefill and decode throughput, weights and KV cache against accelerator memory, TTFT, time per token, cost per million tokens",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("accelerators", "peak_decode_tokens", "memory_needed", "cost_per_million_output_tokens"),
)
