"""Estimated monthly cost of what a stack declares, from `prices.py` and its stated assumptions.

Each cluster is priced in its storage configuration (`storageType`), and both configurations are
shown side by side with AWS's break-even rule. RDS Extended Support is not in the total: it is
charged only once the engine's major version is past its end of standard support; the estimate
says from when and how much, or that the cluster is not enrolled. The table has us-east-1's prices
(plan/prices.py): a line or note pricing something in another region says the price stands in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import prices
from .snapshot import Resource, Snapshot
from .text import fitted

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
EC2_INSTANCE = "aws:ec2/instance:Instance"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
PROXY = "aws:rds/proxy:Proxy"
PROXY_TARGET = "aws:rds/proxyTarget:ProxyTarget"

NOT_ESTIMATED = (
    "backup storage beyond the cluster's size, AWS Backup copies and cross-region transfer",
    "CloudWatch Logs ingestion (exported logs, Enhanced Monitoring)",
    "backtrack change records, advanced Database Insights, data transfer",
)


@dataclass
class CostLine:
    item: str
    detail: str
    monthly_usd: float
    regions: frozenset[str] = frozenset()
    """Where what the line prices runs; a region other than the table's is priced at a stand-in."""


@dataclass
class CostEstimate:
    region: str = prices.PRICE_REGION
    """The stack's region (`aws:region`): what it declares without a region of its own runs there."""
    lines: list[CostLine] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the total leaves out or would change to: storage configurations, Extended Support."""

    @property
    def total(self) -> float:
        return round(sum(line.monthly_usd for line in self.lines), 2)

    def region_of(self, resource: Resource) -> str:
        """A resource's own `region` input, else the stack's."""
        return str(resource.inputs.get("region") or self.region)

    def add(
        self, item: str, detail: str, monthly_usd: float, *resources: Resource, replica_regions: tuple[str, ...] = ()
    ) -> None:
        """A line pricing `resources` (none: one thing in the stack's region) and their copies in `replica_regions`."""
        regions = {self.region_of(r) for r in resources} or {self.region}
        self.lines.append(CostLine(item, detail, round(monthly_usd, 2), frozenset(regions | set(replica_regions))))


def estimate(snapshot: Snapshot) -> CostEstimate:
    result = CostEstimate(region=snapshot.region or prices.PRICE_REGION)
    for cluster in snapshot.of_type(CLUSTER):
        shape = "serverless" if cluster.inputs.get("serverlessv2ScalingConfiguration") else "provisioned"
        optimized = is_io_optimized(cluster)
        compute = 0.0
        for instance in snapshot.instances_of(cluster):
            compute += _instance_cost(result, instance, cluster, optimized)
        standard_storage, optimized_storage = storage_costs(shape)
        assumed = f"{prices.STORAGE_GB[shape]} GB, {prices.IO_MILLIONS[shape]} M I/O (assumed)"
        result.add(
            f"{cluster.name} storage",
            assumed + (", I/O-Optimized: no I/O charge" if optimized else ""),
            optimized_storage if optimized else standard_storage,
            cluster,
        )
        stand_in = stand_in_note({result.region_of(cluster)})
        result.notes.append(storage_comparison(cluster, compute, shape) + stand_in)
        support = extended_support(snapshot, cluster)
        # A note that quotes no price (not enrolled, no published price) has no price standing in.
        result.notes.append(support + (stand_in if "$" in support else ""))
        if cluster.inputs.get("manageMasterUserPassword"):
            result.add(f"{cluster.name} master secret", "Secrets Manager", prices.SECRET_MONTH, cluster)
    for secret in snapshot.of_type("aws:secretsmanager/secret:Secret"):
        # A replica is billed as a secret of its own.
        copies = 1 + len(secret.inputs.get("replicas") or [])
        replicas = tuple(str(replica.get("region")) for replica in secret.inputs.get("replicas") or [])
        result.add(
            secret.name, f"Secrets Manager, {copies} region(s)", copies * prices.SECRET_MONTH, secret, replica_regions=replicas
        )
    for host in snapshot.of_type(EC2_INSTANCE):
        _host_cost(result, snapshot, host)
    for proxy in snapshot.of_type(PROXY):
        _proxy_cost(result, snapshot, proxy)
    _kms_keys(result, snapshot)
    _count(result, snapshot, "aws:cloudwatch/metricAlarm:MetricAlarm", "CloudWatch alarms", prices.ALARM_MONTH)
    _count(result, snapshot, "aws:cloudwatch/dashboard:Dashboard", "CloudWatch dashboards", prices.DASHBOARD_MONTH)
    return result


def is_io_optimized(cluster: Resource) -> bool:
    return cluster.inputs.get("storageType") == "aurora-iopt1"


def storage_costs(shape: str) -> tuple[float, float]:
    """The assumed storage and I/O of a cluster of `shape` a month: on Standard, on I/O-Optimized."""
    gigabytes, io_millions = prices.STORAGE_GB[shape], prices.IO_MILLIONS[shape]
    standard = gigabytes * prices.STORAGE_GB_MONTH + io_millions * prices.IO_PER_MILLION
    return standard, gigabytes * prices.IO_OPTIMIZED_STORAGE_GB_MONTH


def storage_comparison(cluster: Resource, standard_compute: float, shape: str) -> str:
    """The cluster's instances, storage and I/O a month in both configurations, and its I/O share."""
    standard_storage, optimized_storage = storage_costs(shape)
    standard = standard_compute + standard_storage
    optimized = standard_compute * prices.IO_OPTIMIZED_COMPUTE_MULTIPLIER + optimized_storage
    io_share = prices.IO_MILLIONS[shape] * prices.IO_PER_MILLION / standard if standard else 0.0
    current = "aurora-iopt1" if is_io_optimized(cluster) else "aurora"
    return (
        f"{cluster.name} storage configuration (storageType {current}): Standard ${standard:,.2f}, "
        f"I/O-Optimized ${optimized:,.2f} a month; I/O-Optimized is cheaper when I/O is above about "
        f"{prices.IO_OPTIMIZED_BREAK_EVEN_IO_SHARE:.0%} of the Aurora bill (assumed here: {io_share:.0%})"
    )


def extended_support(snapshot: Snapshot, cluster: Resource) -> str:
    """What RDS Extended Support would add once the major version is past standard support."""
    version = str(cluster.inputs.get("engineVersion", ""))
    support = prices.MAJOR_VERSION_SUPPORT.get(version[:3])
    calendar = (
        f"{support.name}: standard support ends {support.standard_support_ends}" if support else f"{version}: no date known"
    )
    calendar += f" (release calendar as of {prices.STANDARD_SUPPORT_AS_OF})"
    if cluster.inputs.get("engineLifecycleSupport") == "open-source-rds-extended-support-disabled":
        return f"{cluster.name} Extended Support: not enrolled, AWS upgrades the major version then; {calendar}"
    instances = snapshot.instances_of(cluster)
    if any(instance.inputs.get("instanceClass") == "db.serverless" for instance in instances):
        return (
            f"{cluster.name} Extended Support: enrolled, charged per ACU-hour after {calendar}; "
            "no published ACU-hour price found (plan/prices.py), not priced"
        )
    vcpus = [prices.instance_vcpus(str(instance.inputs.get("instanceClass"))) for instance in instances]
    if None in vcpus:
        return f"{cluster.name} Extended Support: enrolled, charged per vCPU-hour after {calendar}; unknown class, not priced"
    total = sum(v for v in vcpus if v is not None)
    monthly = total * prices.EXTENDED_SUPPORT_VCPU_HOUR_YEARS_1_2 * prices.HOURS_PER_MONTH
    charged = f" from {support.extended_support_charged_from}" if support and support.extended_support_charged_from else ""
    return (
        f"{cluster.name} Extended Support: enrolled, not in the total; after {calendar}, "
        f"${monthly:,.2f} a month{charged} ({total} vCPU x ${prices.EXTENDED_SUPPORT_VCPU_HOUR_YEARS_1_2:.3f} "
        f"x {prices.HOURS_PER_MONTH} h)"
    )


def _instance_cost(result: CostEstimate, instance: Resource, cluster: Resource, optimized: bool = False) -> float:
    """Adds the instance's line, priced in the cluster's storage configuration; returns its Standard price."""
    multiplier = prices.IO_OPTIMIZED_COMPUTE_MULTIPLIER if optimized else 1
    premium = f", I/O-Optimized x{prices.IO_OPTIMIZED_COMPUTE_MULTIPLIER:g}" if optimized else ""
    instance_class = str(instance.inputs.get("instanceClass"))
    if instance_class == "db.serverless":
        scaling: dict[str, Any] = cluster.inputs.get("serverlessv2ScalingConfiguration") or {}
        minimum, maximum = float(scaling.get("minCapacity", 0)), float(scaling.get("maxCapacity", 1))
        busy_acu = max(minimum, maximum * prices.BUSY_FRACTION_OF_MAX_ACU)
        busy_hours = prices.BUSY_HOURS_PER_MONTH
        idle_hours = prices.HOURS_PER_MONTH - busy_hours
        # At minCapacity 0 the instance pauses when idle and bills no ACU.
        acu_hours = busy_hours * busy_acu + idle_hours * minimum
        idle = "paused" if minimum == 0 else f"{minimum:g} ACU"
        standard = acu_hours * prices.SERVERLESS_ACU_HOUR
        result.add(
            instance.name,
            f"db.serverless: {busy_hours} h busy at {busy_acu:g} ACU, {idle_hours} h idle ({idle}) = {acu_hours:g} ACU-h{premium}",
            standard * multiplier,
            instance,
        )
        return standard
    hourly = prices.instance_hourly(instance_class)
    if hourly is None:
        result.unpriced.append(f"{instance.name} ({instance_class})")
        return 0.0
    standard = hourly * prices.HOURS_PER_MONTH
    result.add(instance.name, f"{instance_class}, {prices.HOURS_PER_MONTH} h{premium}", standard * multiplier, instance)
    return standard


def idle_stop_minutes(snapshot: Snapshot, host: Resource) -> float | None:
    """Minutes of idleness after which an alarm stops `host` with the EC2 stop action, if one does."""
    for alarm in snapshot.of_type(ALARM):
        stops = any(str(action).endswith(":ec2:stop") for action in alarm.inputs.get("alarmActions") or [])
        if stops and host.urn in alarm.property_dependencies.get("dimensions", []):
            return float(alarm.inputs["evaluationPeriods"]) * float(alarm.inputs["period"]) / 60
    return None


def _host_cost(result: CostEstimate, snapshot: Snapshot, host: Resource) -> None:
    instance_type = str(host.inputs.get("instanceType"))
    hourly = prices.EC2_HOURLY.get(instance_type)
    if hourly is None:
        result.unpriced.append(f"{host.name} ({instance_type})")
        return
    idle_minutes = idle_stop_minutes(snapshot, host)
    if idle_minutes is None:
        hours, running = float(prices.HOURS_PER_MONTH), f"{prices.HOURS_PER_MONTH} h"
    else:
        tail = prices.WORKING_DAYS_PER_MONTH * idle_minutes / 60
        hours = min(float(prices.HOURS_PER_MONTH), prices.BUSY_HOURS_PER_MONTH + tail)
        running = f"{hours:g} h: {prices.BUSY_HOURS_PER_MONTH} h busy + {tail:g} h before the idle stop (assumed)"
    volume = prices.CLIENT_ROOT_VOLUME_GB * prices.EBS_GP3_GB_MONTH
    result.add(
        host.name,
        f"{instance_type}, {running}; {prices.CLIENT_ROOT_VOLUME_GB} GB gp3 always",
        hourly * hours + volume,
        host,
    )
    if host.inputs.get("associatePublicIpAddress"):
        result.add(f"{host.name} public IPv4", f"{hours:g} h (released while stopped)", hours * prices.PUBLIC_IPV4_HOUR, host)


def _proxy_cost(result: CostEstimate, snapshot: Snapshot, proxy: Resource) -> None:
    """RDS Proxy bills the vCPUs of the instances behind it, at least PROXY_MIN_VCPUS."""
    cluster_urns = {
        urn
        for target in snapshot.of_type(PROXY_TARGET)
        if proxy.urn in target.property_dependencies.get("dbProxyName", [])
        for urn in target.property_dependencies.get("dbClusterIdentifier", [])
    }
    classes = [
        str(instance.inputs.get("instanceClass"))
        for cluster in snapshot.of_type(CLUSTER)
        if cluster.urn in cluster_urns
        for instance in snapshot.instances_of(cluster)
    ]
    counts = [prices.instance_vcpus(instance_class) for instance_class in classes]
    if None in counts:
        result.unpriced.append(f"{proxy.name} (serves {', '.join(sorted(set(classes)))})")
        return
    vcpus = max(prices.PROXY_MIN_VCPUS, sum(count or 0 for count in counts))
    result.add(
        proxy.name,
        f"RDS Proxy, {vcpus} vCPU x {prices.HOURS_PER_MONTH} h",
        vcpus * prices.PROXY_VCPU_HOUR * prices.HOURS_PER_MONTH,
        proxy,
    )


def _kms_keys(result: CostEstimate, snapshot: Snapshot) -> None:
    keys = snapshot.of_type("aws:kms/key:Key")
    if not keys:
        return
    rotating = sum(1 for key in keys if key.inputs.get("enableKeyRotation"))
    detail = f"{len(keys)} x ${prices.KMS_KEY_MONTH:.2f}"
    if rotating:
        steady = prices.KMS_KEY_MONTH + prices.KMS_CHARGED_ROTATIONS * prices.KMS_ROTATION_MONTH
        detail += f"; {rotating} rotating yearly: ${steady:.2f} each from the third year"
    result.add("KMS keys", detail, len(keys) * prices.KMS_KEY_MONTH, *keys)


def _count(result: CostEstimate, snapshot: Snapshot, type_: str, label: str, unit_price: float) -> None:
    counted = snapshot.of_type(type_)
    if counted:
        result.add(label, f"{len(counted)} x ${unit_price:.2f}", len(counted) * unit_price, *counted)


def stand_in_note(regions: set[str] | frozenset[str]) -> str:
    """Says so when a price of the table (plan/prices.py has one region) stands in for another region's."""
    others = sorted(set(regions) - {prices.PRICE_REGION})
    return f"; {prices.PRICE_REGION} price standing in for {', '.join(others)}" if others else ""


def render(estimate_: CostEstimate, stack: str) -> list[str]:
    lines = [
        f"Estimated monthly cost of {stack}: ${estimate_.total:,.2f} "
        f"(prices as of {prices.PRICES_AS_OF}, {prices.PRICE_REGION}, on-demand)"
    ]
    width = max((len(line.item) for line in estimate_.lines), default=0)
    for line in estimate_.lines:
        lines.append(f"  {line.item:<{width}}  ${line.monthly_usd:>9,.2f}  {line.detail}{stand_in_note(line.regions)}")
    for name in estimate_.unpriced:
        lines.append(f"  {name}: not in the price table (plan/prices.py), not counted")
    lines += fitted([f"  {note}" for note in estimate_.notes])
    lines.append("  Not estimated: " + "; ".join(NOT_ESTIMATED) + ".")
    return lines
