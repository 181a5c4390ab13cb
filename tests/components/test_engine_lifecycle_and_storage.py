"""RDS Extended Support enrolment (`engineLifecycleSupport`) and the storage configuration
(`storageType`) on the clusters: the inputs the mock engine sees, what AWS reads back, and what an
existing stack plans on its next `up`. The settings themselves are pinned in
tests/settings/test_engine_lifecycle_and_storage.py, their prices in tests/plan/test_cost.py."""

from __future__ import annotations

import pytest

from components.aurora_cluster import FIXED_AFTER_CREATION
from plan import diff
from plan.readback import COMPUTED, Account, plan_against, read_back, second_run, standard_storage_unreported
from plan.snapshot import Resource, Snapshot
from settings.checks import EXTENDED_SUPPORT_DISABLED
from tests.helpers import DEV_SOURCE_OUTPUTS

CLUSTER = "aws:rds/cluster:Cluster"
GLOBAL = {"region": "us-west-2", "mode": "global", "instances": 1}


# --- The clusters the program declares ----------------------------------------------------------------


@pytest.mark.engine
def test_the_dev_cluster_is_created_without_extended_support_on_standard_storage(dev):
    cluster = dev.one(CLUSTER)
    assert cluster.inputs["engineLifecycleSupport"] == "open-source-rds-extended-support-disabled"
    assert cluster.inputs["storageType"] == "aurora"
    assert "engineLifecycleSupport" in cluster.ignore_changes
    assert "storageType" not in cluster.ignore_changes


@pytest.mark.engine
def test_the_prod_cluster_is_restored_enrolled_in_extended_support_on_standard_storage(prod):
    cluster = prod.one(CLUSTER)
    assert cluster.inputs["snapshotIdentifier"]
    assert cluster.inputs["engineLifecycleSupport"] == "open-source-rds-extended-support"
    assert cluster.inputs["storageType"] == "aurora"
    assert "engineLifecycleSupport" in cluster.ignore_changes


@pytest.mark.engine
def test_the_configured_choices_reach_the_primary_and_the_global_secondary(program):
    deployment = program(
        "prod",
        overrides={
            "aurora:disasterRecovery": GLOBAL,
            "aurora:provisioned": {"backtrackHours": 0},
            "aurora:storageType": "aurora-iopt1",
            "aurora:engineLifecycleSupport": EXTENDED_SUPPORT_DISABLED,
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    clusters = deployment.of_type(CLUSTER)
    assert len(clusters) == 2
    for cluster in clusters:
        assert cluster.inputs["storageType"] == "aurora-iopt1"
        assert cluster.inputs["engineLifecycleSupport"] == EXTENDED_SUPPORT_DISABLED
        assert set(FIXED_AFTER_CREATION) <= set(cluster.ignore_changes)
    # CreateGlobalCluster EngineLifecycleSupport "only applies to Aurora PostgreSQL-based global databases".
    assert "engineLifecycleSupport" not in deployment.one("aws:rds/globalCluster:GlobalCluster").inputs


# --- What AWS reads back, and what an existing stack plans -------------------------------------------


def cluster(**inputs) -> Resource:
    return Resource(urn="urn:cluster", type=CLUSTER, name="database-cluster", parent="", inputs=inputs)


def test_aws_does_not_report_standard_storage_and_the_provider_plans_nothing_for_it():
    """botocore rds: "The storage type isn't returned when you set it to aurora"; rds/cluster.go
    CustomizeDiff sets "aurora" back to "" on an existing cluster whose state holds ""."""
    account = Account("us-east-1")
    assert standard_storage_unreported("aurora", {}, account) == ""
    assert standard_storage_unreported("aurora-iopt1", {}, account) == "aurora-iopt1"
    state = read_back(cluster(storageType="aurora"), account)
    assert state["storageType"] == ""
    assert (
        plan_against(Snapshot("s", "us-east-1", [cluster(**state)]), Snapshot("s", "us-east-1", [cluster(storageType="aurora")]))
        == []
    )


@pytest.mark.parametrize(("old", "new"), [("", "aurora-iopt1"), ("aurora-iopt1", "aurora"), ("aurora", "aurora-iopt1")])
def test_a_storage_switch_is_an_in_place_update_flagged_with_the_30_day_rule(old, new):
    """rds/cluster.go: storage_type is ForceNew only for engines that are not Aurora; Update sends it."""
    [change] = diff.compare(Snapshot("s", "", [cluster(storageType=old)]), Snapshot("s", "", [cluster(storageType=new)]))
    assert (change.kind, change.properties, change.replacing) == ("update", ["storageType"], [])
    text = " ".join(" ".join(change.lines()).split())
    assert "once every 30 days" in text and "back to aurora at any time" in text


def test_a_cluster_created_before_these_settings_reads_back_aws_defaults():
    """CreateDBCluster EngineLifecycleSupport "Default: open-source-rds-extended-support"."""
    state = read_back(cluster(clusterIdentifier="c"), Account("us-east-1"))
    assert state["engineLifecycleSupport"] == "open-source-rds-extended-support"
    assert state["storageType"] == ""
    assert {c.attribute for c in COMPUTED if c.type == CLUSTER} >= {"engineLifecycleSupport", "storageType"}


def without_new_settings(snapshot: Snapshot) -> Snapshot:
    """The first run as the program made it before issue 19: neither attribute sent."""
    resources = [
        Resource(
            **{**r.__dict__, "inputs": {k: v for k, v in r.inputs.items() if k not in ("engineLifecycleSupport", "storageType")}}
        )
        if r.type == CLUSTER
        else r
        for r in snapshot.resources
    ]
    return Snapshot(snapshot.stack, snapshot.region, resources, snapshot.error)


@pytest.mark.engine
@pytest.mark.parametrize(("stack", "overrides"), [("dev", {}), ("prod", {})])
def test_an_existing_stack_plans_nothing_for_the_new_settings(stack, overrides):
    """docs/upgrade-notes.md: the dev cluster stays enrolled (AWS keeps the enrolment it was created
    with; the program ignores it after creation), and "" => "aurora" storage is no change."""
    created = second_run(stack, overrides)
    run = second_run(stack, overrides, first=without_new_settings(created.first))
    assert run.changes == [], "\n".join(diff.render(run.changes, 0, "before issue 19", stack))
    kept = next(r for r in run.state.resources if r.type == CLUSTER)
    assert kept.inputs["engineLifecycleSupport"] == "open-source-rds-extended-support"


@pytest.mark.engine
def test_without_ignoring_the_enrolment_an_existing_dev_stack_would_plan_it_on_every_up(monkeypatch):
    """The provider's Update never sends engine_lifecycle_support and AWS keeps the enrolment of an
    existing cluster: without it in FIXED_AFTER_CREATION the update would be planned again and again."""
    created = second_run("dev")
    kept = [name for name in FIXED_AFTER_CREATION if name != "engineLifecycleSupport"]
    monkeypatch.setattr("components.aurora_cluster.FIXED_AFTER_CREATION", kept)
    run = second_run("dev", first=without_new_settings(created.first))
    assert [(c.resource.type, c.kind, c.properties) for c in run.changes] == [(CLUSTER, "update", ["engineLifecycleSupport"])]


@pytest.mark.engine
def test_switching_an_existing_stack_to_io_optimized_and_back_is_planned_in_place():
    to_optimized = second_run("prod", then={"aurora:storageType": "aurora-iopt1"})
    assert [(c.kind, c.properties) for c in to_optimized.changes] == [("update", ["storageType"])]
    # The state read back from an I/O-Optimized cluster, then the stack back on Standard.
    back = second_run("prod", {"aurora:storageType": "aurora-iopt1"}, then={"aurora:storageType": "aurora"})
    assert [(c.kind, c.properties) for c in back.changes] == [("update", ["storageType"])]
