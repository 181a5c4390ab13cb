"""The offline plan: tree, cost estimate, diff, and the command end to end (including `--diff`
against a real git revision, run in a child process)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plan import cost, diff, prices, tree
from plan.engine import PROJECT_ROOT
from plan.snapshot import Resource, Snapshot, take

CLUSTER = "aws:rds/cluster:Cluster"


@pytest.mark.engine
def test_tree_shows_components_and_what_reviewers_check(prod_snapshot):
    lines = tree.render(prod_snapshot)
    assert lines[0] == "Stack prod (us-east-1): 26 resources"
    assert "  aurora:database:AuroraCluster database" in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("    aws:rds:Cluster database-cluster"))  # a child
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("        "))
    cluster = " ".join(lines[start:end])  # its settings wrap onto lines of their own
    for shown in (
        "clusterIdentifier=aurora-prod",
        "storageEncrypted=true",
        "deletionProtection=true",
        "backtrackWindow=86400",
        "[protect]",
        "[ignores availabilityZones, performanceInsightsKmsKeyId, engineLifecycleSupport,",
        "snapshotIdentifier]",
    ):
        assert shown in cluster
    snapshot_at = next(i for i, line in enumerate(lines) if "aws:rds:ClusterSnapshot promotion-snapshot" in line)
    snapshot_end = next(i for i in range(snapshot_at + 1, len(lines)) if not lines[i].startswith("        "))
    snapshot_line = " ".join(lines[snapshot_at:snapshot_end])
    assert "dbClusterIdentifier=<organization/aurora/dev:clusterIdentifier>" in snapshot_line
    assert "[retain on delete]" in snapshot_line


@pytest.mark.engine
def test_a_program_that_refuses_its_configuration_is_reported(tmp_path):
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n  aurora:capacityType: serverless-v1\n")
    snapshot = take("bad", tmp_path)
    assert snapshot.resources == []
    assert snapshot.error.startswith("refused: the stack configuration is invalid")
    assert tree.render(snapshot)[0] == ("Stack bad: refused: the stack configuration is invalid; nothing was created or changed:")


@pytest.mark.engine
def test_a_program_that_fails_otherwise_is_reported_as_a_defect_naming_the_exception(tmp_path):
    """Only a refusal reads as one: any other failure may come after resources were declared, and its
    exception class is what a report of the defect needs."""
    shutil.copy(PROJECT_ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "__main__.py").write_text("raise KeyError('writer')\n")
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n")
    snapshot = take("bad", tmp_path)
    assert tree.render(snapshot) == [
        "Stack bad: the program stopped on an unexpected KeyError (a defect: please report it): 'writer'"
    ]


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
    cluster = _resource(CLUSTER, "db", {"clusterIdentifier": "a"})
    instance = _resource(
        "aws:rds/clusterInstance:ClusterInstance",
        "db-1",
        {"instanceClass": "db.r7g.large"},
        property_dependencies={"clusterIdentifier": [cluster.urn]},
    )
    proxy = _resource("aws:rds/proxy:Proxy", "p", {})
    target = _resource(
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
    cluster = _resource(CLUSTER, "db", {"clusterIdentifier": "a"})
    instance = _resource(
        "aws:rds/clusterInstance:ClusterInstance",
        "db-1",
        {"instanceClass": "db.x2g.large"},
        property_dependencies={"clusterIdentifier": [cluster.urn]},
    )
    proxy = _resource("aws:rds/proxy:Proxy", "p", {})
    target = _resource(
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
    host = _resource("aws:ec2/instance:Instance", "host", {"instanceType": "t4g.micro", "associatePublicIpAddress": False})
    key = _resource("aws:kms/key:Key", "key", {"enableKeyRotation": False})
    lines = {line.item: line for line in cost.estimate(Snapshot("dev", "", [host, key])).lines}
    assert set(lines) == {"host", "KMS keys"}
    assert lines["KMS keys"].detail == "1 x $1.00"


def test_instance_prices_scale_with_size_and_unknown_classes_are_not_guessed():
    assert prices.instance_hourly("db.r7g.2xlarge") == pytest.approx(0.28 * 4)
    assert prices.instance_hourly("db.x2g.large") is None


def take_with(stack: str, overrides: dict) -> Snapshot:
    """A snapshot of `stack` with some settings changed, through the same mock engine as `take`."""
    from plan.engine import run_program
    from tests.helpers import DEV_SOURCE_OUTPUTS

    deployment = run_program(stack, overrides=overrides, stack_outputs=DEV_SOURCE_OUTPUTS)
    resources = [
        Resource(r.urn, r.type, r.name, r.parent, r.inputs, property_dependencies=r.property_dependencies)
        for r in deployment.resources
        if r.type.startswith("aws:")
    ]
    return Snapshot(stack, "us-east-1", resources)


def _resource(type_: str, name: str, inputs: dict, **options) -> Resource:
    return Resource(urn=f"urn:pulumi:prod::aurora::{type_}::{name}", type=type_, name=name, parent="", inputs=inputs, **options)


def test_diff_marks_a_replaced_protected_cluster():
    old = Snapshot(
        "prod", "us-east-1", [_resource(CLUSTER, "db", {"clusterIdentifier": "a", "backupRetentionPeriod": 7}, protect=True)]
    )
    new = Snapshot(
        "prod", "us-east-1", [_resource(CLUSTER, "db", {"clusterIdentifier": "b", "backupRetentionPeriod": 14}, protect=True)]
    )
    [change] = diff.compare(old, new)
    assert change.kind == "replace" and change.loses_data
    assert change.lines() == [
        "+- aws:rds:Cluster db  replace",
        "     ~ backupRetentionPeriod: 7 => 14",
        '     ~ clusterIdentifier: "a" => "b" [forces replacement]',
        "     STATEFUL: a new, empty resource would replace it; it is protected, so pulumi up would refuse",
    ]


def test_diff_respects_ignore_changes_and_in_place_updates():
    ignored = {"ignore_changes": ["snapshotIdentifier"]}
    old = Snapshot("prod", "", [_resource(CLUSTER, "db", {"snapshotIdentifier": "s1", "backupRetentionPeriod": 7}, **ignored)])
    same_but_snapshot = Snapshot(
        "prod", "", [_resource(CLUSTER, "db", {"snapshotIdentifier": "s2", "backupRetentionPeriod": 7}, **ignored)]
    )
    assert diff.compare(old, same_but_snapshot) == []
    longer_backups = Snapshot(
        "prod", "", [_resource(CLUSTER, "db", {"snapshotIdentifier": "s1", "backupRetentionPeriod": 14}, **ignored)]
    )
    [change] = diff.compare(old, longer_backups)
    assert change.kind == "update" and not change.loses_data


def test_diff_orders_data_loss_first_and_flags_deletions():
    group = "aws:rds/subnetGroup:SubnetGroup"
    old = Snapshot("dev", "", [_resource(CLUSTER, "db", {}), _resource(group, "net", {"subnetIds": ["a"]})])
    new = Snapshot("dev", "", [_resource(group, "net", {"subnetIds": ["a", "b"]}), _resource("aws:kms/key:Key", "k", {})])
    changes = diff.compare(old, new)
    assert [c.kind for c in changes] == ["delete", "update", "create"]
    lines = diff.render(changes, 0, "main", "dev")
    assert lines[:4] == [
        "Changes to dev since main:",
        "Resources: + 1 to create, ~ 1 to update, - 1 to delete, 3 changes",
        "WARNING: 1 of these changes would replace or delete a stateful resource:",
        "  -  aws:rds:Cluster db: data would be deleted",
    ]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.subprocess
def test_plan_command_diffs_against_a_git_revision(tmp_path):
    """A copy of the project in its own repository: rename the prod cluster, then plan against HEAD."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    for package in ("awsfacts", "components", "ops", "plan", "sql"):
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "base")
    prod_file = tmp_path / "Pulumi.prod.yaml"
    prod_file.write_text(prod_file.read_text().replace("config:\n", "config:\n  aurora:clusterName: aurora-production\n", 1))

    completed = subprocess.run(
        [sys.executable, "-m", "plan", "prod", "--diff", "HEAD", "--strict", "--markdown"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 3, completed.stderr
    output = completed.stdout
    assert output.startswith("## Offline plan\n")
    assert "### `prod`" in output
    assert "> 5 change(s) would replace or delete a stateful resource (its data would be lost):" in output
    # The retained promotion snapshot keeps its name (ignore_changes): never replaced by a rename.
    assert "promotion-snapshot  replace" not in output
    cluster = output[output.index("+- aws:rds:Cluster database-cluster  replace\n") :].split("\n+- ", 1)[0]
    assert '     ~ clusterIdentifier: "aurora-prod" => "aurora-production" [forces replacement]\n' in cluster
    assert '     ~ finalSnapshotIdentifier: "aurora-prod-final-0a1b2c3d" => "aurora-production-final-0a1b2c3d"\n' in cluster
    assert "     STATEFUL: a new, empty resource would replace it; it is protected, so pulumi up would refuse" in cluster


@pytest.mark.engine
@pytest.mark.parametrize("page", ["README.md", "docs/offline-plan.md"])
def test_the_docs_quote_the_current_estimates(page, dev_snapshot, prod_snapshot):
    text = " ".join((PROJECT_ROOT / page).read_text().split())
    dev_total, prod_total = cost.estimate(dev_snapshot).total, cost.estimate(prod_snapshot).total
    assert f"dev about ${round(dev_total)} a month, prod about ${round(prod_total)}" in text


def test_diff_shows_a_dropped_protect_option():
    old = Snapshot("prod", "", [_resource(CLUSTER, "db", {"clusterIdentifier": "a"}, protect=True)])
    new = Snapshot("prod", "", [_resource(CLUSTER, "db", {"clusterIdentifier": "a"}, protect=False)])
    [change] = diff.compare(old, new)
    assert change.kind == "update" and not change.loses_data
    assert change.lines() == ["~  aws:rds:Cluster db  update", "     ~ protect: true => false"]
