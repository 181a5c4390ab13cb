"""A major engine upgrade (Aurora MySQL 3 to 8.4) as a stack-file change (docs/major-upgrade.md).

Sources of the facts pinned here:
- Engine version strings: Aurora MySQL 3 is `8.0.mysql_aurora.3.<minor>.<patch>` (Aurora User Guide,
  "Checking Aurora MySQL version numbers"); Aurora MySQL 8.4's first minor is 8.4.7 (Aurora MySQL
  Release Notes, "Aurora MySQL 8.4.7, May 21, 2026"; Aurora User Guide, "Aurora MySQL version 8.4"),
  whose RDS engine version is `8.4.mysql_aurora.8.4.7` with family `aurora-mysql8.4` (as
  DescribeDBEngineVersions lists it; check with `aws rds describe-db-engine-versions --engine
  aurora-mysql --query "DBEngineVersions[].[EngineVersion,DBParameterGroupFamily]"`).
- `family` (and `name`, `description`) of a cluster parameter group is ForceNew; `engine_version` of
  a cluster is Optional+Computed, not ForceNew; `allow_major_version_upgrade` is Optional, kept in
  state only (terraform-provider-aws internal/service/rds/cluster_parameter_group.go,
  internal/service/rds/cluster.go `resourceCluster`, `resourceClusterUpdate`; botocore rds model:
  DBCluster has no AllowMajorVersionUpgrade).
"""

from __future__ import annotations

import pytest

from awsfacts.engine_versions import engine_major
from components import parameters
from components.parameters import NOT_IN_FAMILY, cluster_parameters
from plan.diff import compare, major_change, render
from plan.engine import run_program
from plan.readback import second_run
from plan.snapshot import Resource, Snapshot
from settings.checks import LOG_EXPORT_TYPES
from settings.deployed import DeployedCluster, check_major_upgrade, is_major_upgrade, major_upgrade_problems
from settings.loading import ConfigError
from tests.settings.helpers import load

V3 = "8.0.mysql_aurora.3.10.5"
V3_RUNNING = "8.0.mysql_aurora.3.10.6"
V84 = "8.4.mysql_aurora.8.4.7"
CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
UPGRADE = {"aurora:engineVersion": V84, "aurora:majorVersionUpgradeAcknowledged": True}
PROVISIONED = {"capacityType": "provisioned"}
GLOBAL = {
    "capacityType": "provisioned",
    "provisioned": {"backtrackHours": 0},
    "disasterRecovery": {"region": "us-west-2", "mode": "global"},
}


# --- Which change is a major upgrade --------------------------------------------------------------


def test_the_major_is_the_mysql_compatibility_of_the_version():
    assert (engine_major(V3), engine_major(V84), engine_major("latest")) == ("8.0", "8.4", None)


def test_only_a_later_major_than_the_deployed_one_is_a_major_upgrade():
    assert is_major_upgrade(V84, V3_RUNNING)
    assert not is_major_upgrade("8.0.mysql_aurora.3.10.7", V3_RUNNING)  # a minor upgrade
    assert not is_major_upgrade(V84, None)  # a first deployment
    assert not is_major_upgrade(V3, "8.4.mysql_aurora.8.4.8")  # never planned: the newer one is kept
    assert not is_major_upgrade(V84, "8.4.mysql_aurora.8.4.8")


# --- The setting and its refusals -----------------------------------------------------------------


def test_the_acknowledgement_is_off_by_default_and_reads_pulumi_config_text():
    assert load(PROVISIONED).major_version_upgrade_acknowledged is False
    assert load({**PROVISIONED, "majorVersionUpgradeAcknowledged": "true"}).major_version_upgrade_acknowledged is True


def test_the_acknowledgement_is_accepted_in_every_shape_and_means_nothing_without_an_upgrade():
    assert load({**GLOBAL, "majorVersionUpgradeAcknowledged": True}).major_version_upgrade_acknowledged
    settings = load({**PROVISIONED, "majorVersionUpgradeAcknowledged": True})
    assert major_upgrade_problems(settings, running(settings.engine_version)) == []


def running(version: str = V3_RUNNING) -> DeployedCluster:
    return DeployedCluster("aurora-dev", version)


def test_a_major_upgrade_without_the_acknowledgement_is_refused_in_one_line_saying_what_to_do():
    settings = load({**PROVISIONED, "engineVersion": V84, "applyImmediately": True})
    (problem,) = major_upgrade_problems(settings, running())
    assert "\n" not in problem
    assert problem.startswith(f"aurora:engineVersion is {V84!r} but the cluster runs {V3_RUNNING!r}")
    assert "cannot be undone" in problem
    assert ".venv/bin/python -m ops snapshot --stack dev" in problem
    assert "set aurora:majorVersionUpgradeAcknowledged: true" in problem


def test_a_major_upgrade_deferred_to_the_maintenance_window_is_refused():
    settings = load({**PROVISIONED, "engineVersion": V84, "majorVersionUpgradeAcknowledged": True})
    (problem,) = major_upgrade_problems(settings, running())
    assert "must apply now" in problem and "set aurora:applyImmediately: true" in problem


def test_an_acknowledged_major_upgrade_applied_now_is_allowed():
    settings = load({**PROVISIONED, "engineVersion": V84, "majorVersionUpgradeAcknowledged": True, "applyImmediately": True})
    assert major_upgrade_problems(settings, running()) == []
    check_major_upgrade(settings, running())


def test_a_major_upgrade_of_a_global_database_is_refused():
    settings = load({**GLOBAL, "engineVersion": V84, "applyImmediately": True})
    with pytest.raises(ConfigError) as caught:
        check_major_upgrade(settings, running())
    assert any("of a Global Database is made on the global cluster" in p for p in caught.value.problems)
    assert any(f"keep {V3_RUNNING!r}" in p for p in caught.value.problems)


def test_minor_upgrades_and_first_deployments_need_no_acknowledgement():
    assert major_upgrade_problems(load({**PROVISIONED, "engineVersion": "8.0.mysql_aurora.3.10.7"}), running()) == []
    assert major_upgrade_problems(load({**PROVISIONED, "engineVersion": V84}), None) == []


# --- The parameter group of the new family --------------------------------------------------------


@pytest.mark.parametrize("exports", [(), ("error", "slowquery"), tuple(LOG_EXPORT_TYPES)])
def test_the_new_family_carries_the_same_parameters(exports):
    assert cluster_parameters(exports, "aurora-mysql8.4") == cluster_parameters(exports, "aurora-mysql8.0")


def test_a_parameter_the_new_family_removed_is_an_error_not_dropped(monkeypatch):
    monkeypatch.setattr(parameters, "_parameters", lambda exports: {"default_authentication_plugin": "x", "general_log": "1"})
    with pytest.raises(ValueError, match="aurora-mysql8.4 has no default_authentication_plugin .replaced by authentication"):
        cluster_parameters((), "aurora-mysql8.4")
    assert "default_authentication_plugin" in NOT_IN_FAMILY["aurora-mysql8.4"]


# --- The offline plan marks the change that cannot be undone --------------------------------------


def cluster_snapshot(version: str) -> Snapshot:
    cluster = Resource(urn="urn:cluster", type=CLUSTER, name="database-cluster", parent="", inputs={"engineVersion": version})
    return Snapshot("dev", "us-east-1", [cluster])


def test_a_major_engine_change_is_marked_irreversible():
    (change,) = compare(cluster_snapshot(V3), cluster_snapshot(V84))
    assert change.kind == "update" and change.before is not None
    why = major_change(CLUSTER, change.properties, change.before.inputs, change.resource.inputs)
    assert why is not None and "engine major 8.0 => 8.4 cannot be undone" in why
    text = "\n".join(render([change], 0, "HEAD", "dev"))
    assert "WARNING: 1 of these changes cannot be undone:" in text
    assert "     IRREVERSIBLE: engine major 8.0 => 8.4" in text


def test_a_minor_engine_change_is_not_marked():
    (change,) = compare(cluster_snapshot(V3), cluster_snapshot("8.0.mysql_aurora.3.10.7"))
    assert change.before is not None
    assert major_change(CLUSTER, change.properties, change.before.inputs, change.resource.inputs) is None
    assert "cannot be undone" not in "\n".join(render([change], 0, "HEAD", "dev"))


# --- One `pulumi up` of the stack-file change, and the one after it -------------------------------


@pytest.fixture(scope="module")
def upgrade():
    """dev deployed at its 3.x version (AWS then reports the next patch), then the stack file names 8.4."""
    return second_run("dev", then=UPGRADE)


@pytest.mark.engine
def test_the_upgrade_replaces_only_the_parameter_group_and_updates_the_cluster_in_place(upgrade):
    assert upgrade.second.error is None, upgrade.second.error
    changes = {(c.resource.type, c.resource.name): c for c in upgrade.changes}
    group = changes.pop((GROUP, "database-cluster-params"))
    assert (group.kind, group.replacing) == ("replace", ["family"])
    assert group.resource.inputs["family"] == "aurora-mysql8.4"
    assert group.resource.inputs["parameters"] == group.before.inputs["parameters"]
    cluster = changes.pop((CLUSTER, "database-cluster"))
    assert (cluster.kind, cluster.properties, cluster.replacing) == ("update", ["engineVersion"], [])
    assert cluster.resource.inputs["engineVersion"] == V84
    assert cluster.resource.inputs["allowMajorVersionUpgrade"] is True
    assert changes == {}, "instances and everything else are unchanged"


@pytest.mark.engine
def test_the_upgrade_is_the_plans_one_irreversible_change(upgrade):
    text = "\n".join(render(upgrade.changes, 0, "the state", "dev"))
    assert "WARNING: 1 of these changes cannot be undone:" in text
    assert "aws:rds:Cluster database-cluster: engine major 8.0 => 8.4" in text
    assert text.count("IRREVERSIBLE:") == 1
    assert not [c for c in upgrade.changes if c.loses_data]


@pytest.mark.engine
def test_the_up_after_the_upgrade_plans_nothing(upgrade):
    after = second_run("dev", UPGRADE, first=upgrade.second)
    assert after.second.error is None and after.changes == []


@pytest.mark.engine
def test_the_new_group_exists_before_the_cluster_points_at_it_and_the_old_goes_after():
    """Auto-named and not delete-before-replace: Pulumi creates the replacement, updates the cluster
    that depends on it, and deletes the old group last."""
    deployment = run_program("dev", UPGRADE)
    group = deployment.one(GROUP, "database-cluster-params")
    assert "name" not in group.inputs and "namePrefix" not in group.inputs
    assert group.delete_before_replace is False
    cluster = deployment.one(CLUSTER)
    assert group.urn in cluster.property_dependencies["dbClusterParameterGroupName"]


@pytest.mark.engine
def test_the_instances_follow_the_cluster_and_name_no_engine_or_parameter_group():
    """rds/cluster_instance.go: engine_version and db_parameter_group_name are Optional+Computed, so
    unsent they plan nothing when RDS moves the instances to 8.4 and its default instance group."""
    deployment = run_program("dev", UPGRADE)
    for instance in deployment.of_type(INSTANCE):
        assert "engineVersion" not in instance.inputs and "dbParameterGroupName" not in instance.inputs
    assert "dbInstanceParameterGroupName" not in deployment.one(CLUSTER).inputs


@pytest.mark.engine
def test_an_unacknowledged_upgrade_stops_the_run_naming_the_setting():
    with pytest.raises(ConfigError) as caught:
        second_run("dev", then={"aurora:engineVersion": V84})
    (problem,) = caught.value.problems
    assert "cannot be undone" in problem and "aurora:majorVersionUpgradeAcknowledged: true" in problem


@pytest.mark.engine
def test_a_production_upgrade_needs_apply_immediately():
    with pytest.raises(ConfigError) as caught:
        second_run("prod", then=UPGRADE)
    (problem,) = caught.value.problems
    assert "set aurora:applyImmediately: true" in problem
    applied = second_run("prod", then={**UPGRADE, "aurora:applyImmediately": True})
    cluster = next(c for c in applied.changes if c.resource.type == CLUSTER)
    assert cluster.kind == "update" and cluster.before is not None
    assert major_change(CLUSTER, cluster.properties, cluster.before.inputs, cluster.resource.inputs)
    assert not [c for c in applied.changes if c.kind == "replace" and c.resource.type in (CLUSTER, INSTANCE)]
