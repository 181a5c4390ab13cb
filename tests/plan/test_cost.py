"""The offline plan's cost estimate (plan/cost.py, plan/prices.py): each line of dev and prod, the
client host, the proxy, keys and addresses, the storage configurations and Extended Support, and
the totals the docs quote."""

from __future__ import annotations

import pytest

from plan import cost, prices
from plan.engine import PROJECT_ROOT, run_program
from plan.snapshot import Resource, Snapshot, snapshot_of
from settings.checks import EXTENDED_SUPPORT_ENABLED
from tests.helpers import DEV_SOURCE_OUTPUTS
from tests.plan.helpers import CLUSTER, resource


@pytest.mark.engine
def test_dev_cost_is_serverless_hours_plus_fixed_items(dev_snapshot):
    estimate = cost.estimate(dev_snapshot)
    lines = {line.item: line for line in estimate.lines}
    writer = lines["database-instance-1"]
    # 176 busy hours at half of 4 ACU; paused (0 ACU) the other 554 hours.
    assert writer.detail == "db.serverless: 176 h busy at 2 ACU, 554 h idle (paused) = 352 ACU-h"
    assert writer.monthly_usd == round(352 * prices.SERVERLESS_ACU_HOUR, 2)
    # The client host runs the 176 busy hours plus 30 idle minutes a working day (its idle stop).
    assert lines["client-instance"].monthly_usd == round(0.0084 * 187 + 8 * 0.08, 2)
    assert lines["KMS keys"].monthly_usd == 1.00
    assert lines["KMS keys"].detail == "1 x $1.00; 1 rotating yearly: $3.00 each from the third year"
    assert estimate.total == round(sum(line.monthly_usd for line in estimate.lines), 2)
    assert estimate.unpriced == []


@pytest.mark.engine
def test_prod_cost_prices_each_provisioned_instance(prod_snapshot):
    estimate = cost.estimate(prod_snapshot)
    instances = [line for line in estimate.lines if line.item.startswith("database-instance-")]
    assert [(line.item, line.monthly_usd) for line in instances] == [
        ("database-instance-1", round(0.28 * 730, 2)),
        ("database-instance-2", round(0.28 * 730, 2)),
    ]
    rendered = cost.render(estimate, "prod")
    assert rendered[0].startswith(f"Estimated monthly cost of prod: ${estimate.total:,.2f} (prices as of {prices.PRICES_AS_OF}")


@pytest.mark.engine
def test_a_reader_of_its_own_class_is_priced_at_that_class():
    snapshot = take_with("prod", {"aurora:provisioned": {"readers": 2, "readerInstanceClasses": ["db.r6g.large"]}})
    lines = {line.item: line for line in cost.estimate(snapshot).lines if line.item.startswith("database-instance-")}
    assert {item: (line.detail, line.monthly_usd) for item, line in lines.items()} == {
        "database-instance-1": ("db.r7g.large, 730 h", round(0.28 * 730, 2)),
        "database-instance-2": ("db.r6g.large, 730 h", round(0.26 * 730, 2)),
        "database-instance-3": ("db.r7g.large, 730 h", round(0.28 * 730, 2)),
    }


@pytest.mark.engine
def test_an_idle_stopping_client_host_is_priced_for_the_busy_hours_plus_its_idle_delay(dev_snapshot):
    lines = {line.item: line for line in cost.estimate(dev_snapshot).lines}
    assert lines["client-instance"].detail == (
        "t4g.micro, 187 h: 176 h busy + 11 h before the idle stop (assumed); 8 GB gp3 always"
    )
    # An auto-assigned public address is released while the host is stopped.
    assert lines["client-instance public IPv4"].detail == "187 h (released while stopped)"
    assert lines["client-instance public IPv4"].monthly_usd == round(187 * 0.005, 2)


@pytest.mark.engine
def test_a_client_host_that_never_stops_runs_all_month_with_its_public_address():
    snapshot = take_with("dev", {"aurora:clientIdleStopMinutes": 0})
    lines = {line.item: line for line in cost.estimate(snapshot).lines}
    assert lines["client-instance"].monthly_usd == round(0.0084 * 730 + 8 * 0.08, 2)
    assert lines["client-instance public IPv4"].monthly_usd == 3.65


@pytest.mark.engine
def test_the_proxy_is_priced_by_the_vcpus_of_the_instances_it_serves():
    snapshot = take_with("prod", {"aurora:provisioned": {"instanceClass": "db.r7g.xlarge", "readers": 1, "proxy": True}})
    lines = {line.item: line for line in cost.estimate(snapshot).lines}
    # Two db.r7g.xlarge instances: 4 vCPUs each.
    assert lines["proxy-proxy"].detail == "RDS Proxy, 8 vCPU x 730 h"
    assert lines["proxy-proxy"].monthly_usd == round(8 * 0.015 * 730, 2)


def test_the_proxy_bills_at_least_two_vcpus():
    cluster = resource(CLUSTER, "db", {"clusterIdentifier": "a"})
    instance = resource(
        "aws:rds/clusterInstance:ClusterInstance",
        "db-1",
        {"instanceClass": "db.r7g.large"},
        property_dependencies={"clusterIdentifier": [cluster.urn]},
    )
    proxy = resource("aws:rds/proxy:Proxy", "p", {})
    target = resource(
        "aws:rds/proxyTarget:ProxyTarget",
        "t",
        {},
        property_dependencies={"dbProxyName": [proxy.urn], "dbClusterIdentifier": [cluster.urn]},
    )
    lonely = Snapshot("prod", "us-east-1", [proxy])
    assert [(line.item, line.monthly_usd) for line in cost.estimate(lonely).lines] == [("p", round(2 * 0.015 * 730, 2))]
    served = Snapshot("prod", "us-east-1", [cluster, instance, proxy, target])
    proxy_line = next(line for line in cost.estimate(served).lines if line.item == "p")
    assert proxy_line.detail == "RDS Proxy, 2 vCPU x 730 h"


def test_a_proxy_in_front_of_unknown_classes_is_not_guessed():
    cluster = resource(CLUSTER, "db", {"clusterIdentifier": "a"})
    instance = resource(
        "aws:rds/clusterInstance:ClusterInstance",
        "db-1",
        {"instanceClass": "db.x2g.large"},
        property_dependencies={"clusterIdentifier": [cluster.urn]},
    )
    proxy = resource("aws:rds/proxy:Proxy", "p", {})
    target = resource(
        "aws:rds/proxyTarget:ProxyTarget",
        "t",
        {},
        property_dependencies={"dbProxyName": [proxy.urn], "dbClusterIdentifier": [cluster.urn]},
    )
    estimate = cost.estimate(Snapshot("prod", "us-east-1", [cluster, instance, proxy, target]))
    assert "p (serves db.x2g.large)" in estimate.unpriced


def test_public_ipv4_and_kms_rotation_prices_are_the_ones_aws_publishes():
    """AWS News Blog, "New - AWS Public IPv4 Address Charge + Public IP Insights" (from 1 February
    2024, $0.005 per IP per hour); AWS KMS pricing (a key $1 a month; since May 2024 only the first
    and second rotation of a key add $1 a month each)."""
    assert round(prices.PUBLIC_IPV4_HOUR * prices.HOURS_PER_MONTH, 2) == 3.65
    assert prices.KMS_KEY_MONTH + prices.KMS_CHARGED_ROTATIONS * prices.KMS_ROTATION_MONTH == 3.00


def test_a_key_without_rotation_and_a_host_without_a_public_address_add_nothing_more():
    host = resource("aws:ec2/instance:Instance", "host", {"instanceType": "t4g.micro", "associatePublicIpAddress": False})
    key = resource("aws:kms/key:Key", "key", {"enableKeyRotation": False})
    lines = {line.item: line for line in cost.estimate(Snapshot("dev", "", [host, key])).lines}
    assert set(lines) == {"host", "KMS keys"}
    assert lines["KMS keys"].detail == "1 x $1.00"


def test_instance_prices_scale_with_size_and_unknown_classes_are_not_guessed():
    assert prices.instance_hourly("db.r7g.2xlarge") == pytest.approx(0.28 * 4)
    assert prices.instance_hourly("db.x2g.large") is None


def take_with(stack: str, overrides: dict) -> Snapshot:
    """A snapshot of `stack` with some settings changed, through the same mock engine as `take`."""
    deployment = run_program(stack, overrides=overrides, stack_outputs=DEV_SOURCE_OUTPUTS)
    resources = [
        Resource(r.urn, r.type, r.name, r.parent, r.inputs, property_dependencies=r.property_dependencies)
        for r in deployment.resources
        if r.type.startswith("aws:")
    ]
    return Snapshot(stack, "us-east-1", resources)


@pytest.mark.engine
@pytest.mark.parametrize("page", ["README.md", "docs/offline-plan.md"])
def test_the_docs_quote_the_current_estimates(page, dev_snapshot, prod_snapshot):
    text = " ".join((PROJECT_ROOT / page).read_text().split())
    dev_total, prod_total = cost.estimate(dev_snapshot).total, cost.estimate(prod_snapshot).total
    assert f"dev about ${round(dev_total)} a month, prod about ${round(prod_total)}" in text


# --- The storage configurations and Extended Support ------------------------------------------------


def test_the_price_table_dates_and_sources_both_configurations_and_extended_support():
    assert prices.IO_OPTIMIZED_STORAGE_GB_MONTH == 0.225 and prices.STORAGE_GB_MONTH == 0.10
    assert prices.IO_OPTIMIZED_COMPUTE_MULTIPLIER == 1.30
    assert prices.IO_OPTIMIZED_BREAK_EVEN_IO_SHARE == 0.25
    assert (prices.EXTENDED_SUPPORT_VCPU_HOUR_YEARS_1_2, prices.EXTENDED_SUPPORT_VCPU_HOUR_YEAR_3) == (0.100, 0.200)
    # No ACU-hour figure was found: not priced rather than guessed.
    assert prices.EXTENDED_SUPPORT_ACU_HOUR is None
    three = prices.MAJOR_VERSION_SUPPORT["8.0"]
    assert (three.standard_support_ends, three.extended_support_charged_from, three.extended_support_ends) == (
        "2028-04-30",
        "2028-05-01",
        "2029-07-31",
    )
    assert three.extended_support_year_3_from is None


@pytest.mark.engine
def test_dev_is_priced_on_standard_storage_with_io_optimized_alongside(dev_snapshot):
    estimate = cost.estimate(dev_snapshot)
    lines = {line.item: line for line in estimate.lines}
    assert lines["database-cluster storage"].monthly_usd == round(1 * 0.10 + 1 * 0.20, 2)
    writer = lines["database-instance-1"].monthly_usd
    [comparison] = [n for n in estimate.notes if "storage configuration" in n]
    standard, optimized = writer + 0.30, writer * 1.3 + 1 * 0.225
    assert f"Standard ${standard:,.2f}, I/O-Optimized ${optimized:,.2f} a month" in comparison
    assert "above about 25% of the Aurora bill" in comparison
    [support] = [n for n in estimate.notes if "Extended Support" in n]
    assert "not enrolled" in support and "standard support ends 2028-04-30" in support


@pytest.mark.engine
def test_prod_shows_what_extended_support_would_cost_per_vcpu_hour(prod_snapshot):
    estimate = cost.estimate(prod_snapshot)
    [support] = [n for n in estimate.notes if "Extended Support" in n]
    # Two db.r7g.large instances: 4 vCPU x $0.100 x 730 h, charged from 2028-05-01; not in the total.
    assert "$292.00 a month from 2028-05-01 (4 vCPU x $0.100 x 730 h)" in support
    assert "not in the total" in support
    assert estimate.total == round(sum(line.monthly_usd for line in estimate.lines), 2)
    rendered = " ".join(" ".join(cost.render(estimate, "prod")).split())
    assert "Extended Support: enrolled" in rendered


@pytest.mark.engine
def test_an_io_optimized_cluster_is_priced_dearer_per_instance_without_io(program):
    deployment = program("prod", overrides={"aurora:storageType": "aurora-iopt1"}, stack_outputs=DEV_SOURCE_OUTPUTS)
    estimate = cost.estimate(snapshot_of("prod", "us-east-1", deployment))
    lines = {line.item: line for line in estimate.lines}
    assert lines["database-instance-1"].monthly_usd == round(0.28 * 730 * 1.3, 2)
    assert lines["database-cluster storage"].monthly_usd == round(20 * 0.225, 2)
    assert "I/O-Optimized: no I/O charge" in lines["database-cluster storage"].detail


@pytest.mark.engine
def test_a_serverless_cluster_enrolled_in_extended_support_is_not_priced_without_a_published_figure(program):
    deployment = program("dev", overrides={"aurora:engineLifecycleSupport": EXTENDED_SUPPORT_ENABLED})
    [support] = [n for n in cost.estimate(snapshot_of("dev", "us-east-1", deployment)).notes if "Extended Support" in n]
    assert "per ACU-hour" in support and "not priced" in support
