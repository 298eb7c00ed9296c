"""Platform: many tenants' endpoints on one fleet, sized by replica floors and by traffic.

Every endpoint keeps a minimum number of replicas however idle it is, so the
fleet is the larger of what the floors need and what the traffic needs, each
bin-packed at ``replicas_per_host``.
"""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet, ceil
from mlsd.figures.units import money, plural

HOURS_PER_MONTH = 730

INPUTS = (
    InputSpec("tenants", "teams", "Tenant teams", integer=True),
    InputSpec("endpoints", "endpoints", "Endpoints (deployed models)", integer=True),
    InputSpec("replica_floor", "replicas", "Minimum replicas per endpoint", integer=True),
    InputSpec("replicas_per_host", "replicas", "Replicas one host packs", integer=True),
    InputSpec("peak_qps", "requests/s", "Requests per second at peak, all endpoints"),
    InputSpec("per_replica_qps", "requests/s", "Requests one replica sustains per second"),
    InputSpec("target_utilization", "fraction", "Target utilisation at peak", maximum=1),
    InputSpec("host_hourly_price", "USD/h", "Price of one host-hour (USD)", required=False),
)

LIMITS = (
    InputSpec("max_hosts", "hosts", "Host cap", required=False, integer=True),
    InputSpec("max_cost_per_month", "USD/month", "Fleet budget per month (USD)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    add = sheet.add
    add("endpoints_per_tenant", "Endpoints per tenant", "endpoints / tenants", "{} / {}", ("endpoints", "tenants"),
        lambda e, t: e / t, "endpoints", lambda v: f"{v:.1f}")
    add("floor_replicas", "Replicas held by the floors", "endpoints x minimum replicas per endpoint", "{} x {}",
        ("endpoints", "replica_floor"), lambda e, f: e * f, "replicas", lambda v: plural(v, "replica"))
    add("traffic_replicas", "Replicas the traffic needs", "ceil(peak QPS / (QPS per replica x target utilisation))",
        "ceil({} / ({} x {}))", ("peak_qps", "per_replica_qps", "target_utilization"),
        lambda q, r, u: ceil(q / (r * u)), "replicas", lambda v: plural(v, "replica"))
    add("floor_hosts", "Hosts from bin-packing the floors", "ceil(floor replicas / replicas per host)", "ceil({} / {})",
        ("floor_replicas", "replicas_per_host"), lambda r, p: ceil(r / p), "hosts", lambda v: plural(v, "host"))
    add("traffic_hosts", "Hosts from traffic", "ceil(traffic replicas / replicas per host)", "ceil({} / {})",
        ("traffic_replicas", "replicas_per_host"), lambda r, p: ceil(r / p), "hosts", lambda v: plural(v, "host"))
    add("hosts", "Minimum fleet (the larger binds)", "max(hosts from floors, hosts from traffic)", "max({}, {})",
        ("floor_hosts", "traffic_hosts"), max, "hosts", lambda v: plural(v, "host"))
    if "host_hourly_price" in (workload.get("inputs") or {}):
        add("cost_per_month", "Fleet cost per month", "hosts x hourly price x 730 h", "{} x {} x 730",
            ("hosts", "host_hourly_price"), lambda h, p: h * p * HOURS_PER_MONTH, "USD/month",
            lambda v: f"{money(v)}/month")


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "hosts", "max_hosts", lambda h, cap: f"{n(h)} hosts needed exceed the host cap of {n(cap)}")
    issues += over(values, "cost_per_month", "max_cost_per_month",
                   lambda c, cap: f"the fleet costs USD {n(c)} a month, over the budget of USD {n(cap)}")
    return issues


KIND = Kind(
    name="platform",
    title="Platform",
    summary="a shared serving fleet for many teams' models: replica floors and traffic, bin-packed onto hosts",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("hosts", "floor_hosts", "traffic_hosts"),
)
