"""Issue 19: RDS Extended Support enrolment (`engineLifecycleSupport`) and the storage configuration
(`storageType`): the settings and their defaults per stack, the cluster inputs the mock engine sees,
what an existing stack plans on its next `up`, and the plan's prices for both."""

from __future__ import annotations

import pytest

from components.aurora_cluster import FIXED_AFTER_CREATION
from components.validation import ENGINE_LIFECYCLE_SUPPORTS, EXTENDED_SUPPORT_DISABLED, EXTENDED_SUPPORT_ENABLED
from plan import cost, diff, prices
from plan.readback import COMPUTED, Account, plan_against, read_back, second_run, standard_storage_unreported
from plan.snapshot import Resource, Snapshot, snapshot_of
from tests.helpers import DEV_SOURCE_OUTPUTS
from tests.settings.helpers import load, problems

CLUSTER = "aws:rds/cluster:Cluster"
SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}
GLOBAL = {"region": "us-west-2", "mode": "global", "instances": 1}


# --- The settings -----------------------------------------------------------------------------------


def test_dev_opts_out_of_extended_support_and_prod_stays_enrolled():
    assert load(SERVERLESS).engine_lifecycle_support == EXTENDED_SUPPORT_DISABLED
    assert load(PROVISIONED).engine_lifecycle_support == EXTENDED_SUPPORT_ENABLED


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
@pytest.mark.parametrize("choice", ENGINE_LIFECYCLE_SUPPORTS)
def test_either_enrolment_can_be_chosen_for_either_shape(raw, choice):
    assert load({**raw, "engineLifecycleSupport": choice}).engine_lifecycle_support == choice


def test_the_allowed_enrolments_are_the_two_aws_accepts():
    """botocore rds CreateDBCluster EngineLifecycleSupport; rds/cluster.go engineLifecycleSupport_Values()."""
    assert ENGINE_LIFECYCLE_SUPPORTS == ("open-source-rds-extended-support", "open-source-rds-extended-support-disabled")


@pytest.mark.parametrize("value", ["open-source-rds-standard-support", "disabled", True])
def test_another_enrolment_is_refused_in_one_line(value):
    [problem] = problems({**SERVERLESS, "engineLifecycleSupport": value})
    assert problem.startswith(f"aurora:engineLifecycleSupport is {value!r}")
    assert "open-source-rds-extended-support-disabled" in problem and "\n" not in problem


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
def test_both_shapes_keep_standard_storage_by_default(raw):
    assert load(raw).storage_type == "aurora"


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
def test_io_optimized_storage_can_be_chosen_for_both_shapes(raw):
    assert load({**raw, "storageType": "aurora-iopt1"}).storage_type == "aurora-iopt1"


@pytest.mark.parametrize("value", ["io1", "gp3", "", "standard"])
def test_a_storage_type_aurora_does_not_offer_is_refused_in_one_line(value):
    """io1, io2, gp3 are Multi-AZ DB cluster storage (botocore rds CreateDBCluster StorageType)."""
    [problem] = problems({**PROVISIONED, "storageType": value})
    assert problem.startswith(f"aurora:storageType is {value!r}")
    assert "aurora-iopt1" in problem and "\n" not in problem


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


# --- The plan's prices ------------------------------------------------------------------------------


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
