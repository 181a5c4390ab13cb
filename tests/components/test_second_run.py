"""The second `pulumi up` plans nothing: every stack and example is run, read back as AWS and the
provider store it (`plan/readback.py`), and run again in the account the first run left.

This is the offline twin of the integration test's refreshed `preview --expect-no-changes`. The
read-back model names its sources; these tests show that each behaviour in it matters: without the
program's fix for it, the second run plans a change."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from plan.diff import render
from plan.engine import stack_config
from plan.readback import (
    ABSENT,
    APPLIED_AT_ONCE,
    COMPUTED,
    DEFERRED,
    MODEL,
    NOT_MODIFIED_IN_PLACE,
    RUNNING,
    Account,
    SecondRun,
    Unmodelled,
    key_arn,
    lower_case,
    next_up,
    plan_against,
    proxy_subnets,
    read_back,
    second_run,
    secret_key,
    state_after_up,
    state_of,
    upgraded_engine,
)
from plan.snapshot import Resource, Snapshot
from settings.loading import ConfigError
from tests.helpers import EXAMPLE_FILES, example_name, example_root

pytestmark = pytest.mark.engine

CLUSTER = "aws:rds/cluster:Cluster"
SNAPSHOT = "aws:rds/clusterSnapshot:ClusterSnapshot"
PROXY = "aws:rds/proxy:Proxy"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PROD = stack_config("prod")
PROXY_AND_ALARMS = {
    "aurora:provisioned": {**PROD["aurora:provisioned"], "proxy": True},
    "aurora:alarmEmail": "oncall@example.com",
}
ENCRYPTED = {"aurora:kmsKeyId": KEY_ARN}
SMALLER_READER = {"aurora:provisioned": {**PROD["aurora:provisioned"], "readers": 2, "readerInstanceClasses": ["db.r6g.large"]}}


def plan_text(run: SecondRun) -> str:
    return "\n".join(render(run.changes, 0, "the state after the first up", run.first.stack))


def assert_plans_nothing(run: SecondRun) -> None:
    assert run.first.error is None and run.second.error is None, (run.first.error, run.second.error)
    assert run.changes == [], plan_text(run)


STACKS = {
    "dev": ("dev", {}),
    "prod": ("prod", {}),
    "prod-with-proxy-and-alarm-email": ("prod", PROXY_AND_ALARMS),
    "prod-with-kms-key": ("prod", ENCRYPTED),
    "prod-with-a-smaller-reader": ("prod", SMALLER_READER),
}
EXAMPLES = [example_name(path) for path in EXAMPLE_FILES]


@pytest.fixture(scope="module")
def example_roots(tmp_path_factory) -> dict[str, Path]:
    return {name: example_root(name, tmp_path_factory) for name in EXAMPLES}


@pytest.fixture(scope="module")
def runs(example_roots) -> Callable[[str], SecondRun]:
    """Each stack's and example's two runs, made once for the tests of this module."""

    @functools.cache
    def run(case: str) -> SecondRun:
        if case in STACKS:
            stack, overrides = STACKS[case]
            return second_run(stack, overrides)
        return second_run(case, root=example_roots[case])

    return run


# --- Every stack the project ships plans nothing the second time ------------------------------------


@pytest.mark.parametrize("case", STACKS)
def test_the_second_up_of_a_stack_plans_nothing(case, runs):
    assert_plans_nothing(runs(case))


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_second_up_of_an_example_plans_nothing(name, runs):
    assert_plans_nothing(runs(name))


# --- Every attribute sent is modelled, and every entry is used --------------------------------------


@pytest.fixture(scope="module")
def first_runs(runs) -> list[Snapshot]:
    return [runs(case).first for case in [*STACKS, *EXAMPLES]]


def test_an_attribute_without_a_read_back_entry_is_an_error():
    resource = Resource(urn="u", type=CLUSTER, name="c", parent="", inputs={"newAttribute": 1})
    with pytest.raises(Unmodelled, match="aws:rds/cluster:Cluster newAttribute: no read-back entry"):
        read_back(resource, Account("us-east-1"))


@pytest.mark.parametrize("entry", MODEL, ids=lambda e: f"{e.type.split(':')[-1]}:{'+'.join(sorted(e.attributes))[:40]}")
def test_taking_out_any_read_back_entry_fails_the_second_run(entry, first_runs):
    """Each entry is needed: without it, some stack's state cannot be read back."""
    if entry.unsent:
        pytest.skip(f"left unset on purpose: {entry.unsent}")
    reduced = [other for other in MODEL if other is not entry]
    failures = 0
    for run in first_runs:
        try:
            state_of(run, Account(run.region), reduced)
        except Unmodelled:
            failures += 1
    assert failures, f"no stack sends {entry.type} {sorted(entry.attributes)}: the entry is dead"


def test_every_modelled_attribute_is_sent_by_some_stack(first_runs):
    sent = {(r.type, key) for run in first_runs for r in run.resources for key in r.inputs}
    modelled = {(entry.type, attribute) for entry in MODEL if not entry.unsent for attribute in entry.attributes}
    assert modelled - sent == set()


# --- Each behaviour, and the defect the second run would show without the program's fix ------------


def resource(type_: str, **inputs) -> Resource:
    return Resource(urn=f"urn:{type_}:r", type=type_, name="r", parent="", inputs=inputs)


def test_rds_proxy_drops_a_subnet_in_use1_az3():
    """RDS User Guide, "Limitations for RDS Proxy": not available in use1-az3 (us-east-1); rds/proxy.go
    reads VpcSubnetIds back, and vpc_subnet_ids is ForceNew: a proxy given all three default subnets
    would be replaced on every `up`."""
    account = Account("us-east-1", {"subnet-a": "use1-az1", "subnet-b": "use1-az2", "subnet-c": "use1-az3"})
    proxy = resource(PROXY, vpcSubnetIds=["subnet-a", "subnet-b", "subnet-c"])
    assert proxy_subnets(proxy.inputs["vpcSubnetIds"], proxy.inputs, account) == ["subnet-a", "subnet-b"]
    changes = plan_against(
        Snapshot("s", "us-east-1", [resource(PROXY, vpcSubnetIds=["subnet-a", "subnet-b"])]), Snapshot("s", "us-east-1", [proxy])
    )
    assert [(c.kind, c.replacing) for c in changes] == [("replace", ["vpcSubnetIds"])]


def test_the_program_gives_the_proxy_only_subnets_rds_proxy_supports(monkeypatch):
    """Without the program's zone filter (components/network.py), the second run replaces the proxy."""
    monkeypatch.setattr("components.network.PROXY_UNSUPPORTED_ZONE_IDS", set())
    run = second_run("prod", PROXY_AND_ALARMS)
    replaced = {(c.resource.type, tuple(c.replacing)) for c in run.changes if c.kind == "replace"}
    assert (PROXY, ("vpcSubnetIds",)) in replaced, plan_text(run)


def test_describe_secret_omits_the_default_key():
    """botocore secretsmanager DescribeSecret KmsKeyId: omitted for aws/secretsmanager; the provider's
    kms_key_id is Optional, not Computed (secretsmanager/secret.go): naming the alias diffs every time."""
    sent = resource("aws:secretsmanager/secret:Secret", kmsKeyId="alias/aws/secretsmanager", description="d")
    state = read_back(sent, Account("us-east-1"))
    assert "kmsKeyId" not in state
    assert secret_key(KEY_ARN, {}, Account("us-east-1")) == KEY_ARN
    changes = plan_against(Snapshot("s", "us-east-1", [resource(sent.type, **state)]), Snapshot("s", "us-east-1", [sent]))
    assert [(c.kind, c.properties) for c in changes] == [("update", ["kmsKeyId"])]


def test_rds_reads_back_the_key_arn_for_an_alias():
    """rds/cluster.go reads KmsKeyId (the key ARN); kms_key_id is ForceNew (provider issues #1477,
    #38780): an alias ARN in the stack would replace the cluster on every later preview."""
    account = Account("us-east-1", key_arns={"arn:aws:kms:us-east-1:123456789012:alias/prod": KEY_ARN})
    assert key_arn("arn:aws:kms:us-east-1:123456789012:alias/prod", {}, account) == KEY_ARN
    assert key_arn(KEY_ARN, {}, account) == KEY_ARN
    assert key_arn("alias/other", {}, account).startswith("arn:aws:kms:us-east-1:123456789012:key/")
    sent = resource(CLUSTER, kmsKeyId="arn:aws:kms:us-east-1:123456789012:alias/prod")
    changes = plan_against(Snapshot("s", "us-east-1", [resource(CLUSTER, kmsKeyId=KEY_ARN)]), Snapshot("s", "us-east-1", [sent]))
    assert [(c.kind, c.replacing) for c in changes] == [("replace", ["kmsKeyId"])]


def test_rds_stores_identifiers_in_lower_case():
    """botocore rds model: the identifier "is stored as a lowercase string"."""
    assert lower_case("Aurora-Prod", {}, Account("us-east-1")) == "aurora-prod"


def test_aws_upgrades_the_minor_version_and_the_provider_reads_it_back():
    assert upgraded_engine("8.0.mysql_aurora.3.10.5", {}, Account("us-east-1")) == "8.0.mysql_aurora.3.10.6"
    assert upgraded_engine("8.4.7", {}, Account("us-east-1")) == "8.4.8"


def test_without_keeping_the_deployed_version_the_second_run_plans_a_downgrade(monkeypatch, runs):
    """terraform-aws-rds-aurora #228/#286/#454, pulumi-aws #5756: a pinned version after AWS's upgrade."""
    monkeypatch.setattr("settings.deployed.kept_engine_version", lambda configured, deployed, stack: (configured, None))
    run = second_run("prod", first=runs("prod").first)
    cluster = next(c for c in run.changes if c.resource.type == CLUSTER)
    assert (cluster.kind, cluster.properties) == ("update", ["engineVersion"])
    assert (cluster.before.inputs["engineVersion"], cluster.resource.inputs["engineVersion"]) == (
        "8.0.mysql_aurora.3.10.6",
        "8.0.mysql_aurora.3.10.5",
    )


def test_an_explicit_upgrade_in_the_stack_file_still_applies_in_place(runs):
    run = second_run("prod", then={"aurora:engineVersion": "8.0.mysql_aurora.3.10.7"}, first=runs("prod").first)
    changes = [(c.resource.type, c.kind, c.properties) for c in run.changes]
    assert changes == [(CLUSTER, "update", ["engineVersion"])], plan_text(run)
    assert run.changes[0].resource.inputs["engineVersion"] == "8.0.mysql_aurora.3.10.7"


def test_a_cluster_reports_three_zones_and_sending_two_would_replace_it():
    """rds/cluster.go: availability_zones is Optional+Computed+ForceNew, and Aurora reports every zone
    it spreads storage over (three): the program sends none and ignores them."""
    zones = next(c for c in COMPUTED if c.type == CLUSTER and c.attribute == "availabilityZones")
    state = read_back(resource(CLUSTER, clusterIdentifier="c"), Account("us-east-1"))
    assert state["availabilityZones"] == ["us-east-1a", "us-east-1b", "us-east-1c"] == zones.value({}, Account("us-east-1"))
    sending_two = resource(CLUSTER, clusterIdentifier="c", availabilityZones=["us-east-1a", "us-east-1b"])
    changes = plan_against(Snapshot("s", "us-east-1", [resource(CLUSTER, **state)]), Snapshot("s", "us-east-1", [sending_two]))
    assert [(c.kind, c.replacing) for c in changes] == [("replace", ["availabilityZones"])]


def test_computed_attributes_the_program_does_not_send_plan_nothing():
    """tags_all (every tagged resource) and engine_version_actual are filled in by the provider."""
    state = read_back(resource(CLUSTER, clusterIdentifier="c", tags={"a": "b"}, engineVersion="8.4.7"), Account("us-east-1"))
    assert state["tagsAll"] == {"a": "b"} and state["engineVersionActual"] == "8.4.8"
    second = resource(CLUSTER, clusterIdentifier="c", tags={"a": "b"}, engineVersion="8.4.8")
    assert plan_against(Snapshot("s", "us-east-1", [resource(CLUSTER, **state)]), Snapshot("s", "us-east-1", [second])) == []


def test_write_only_and_config_only_attributes_are_kept_as_sent():
    sent = resource(CLUSTER, masterPasswordWo="[secret]", finalSnapshotIdentifier="c-final-0a1b2c3d")
    state = read_back(sent, Account("us-east-1"))
    assert state["masterPasswordWo"] == "[secret]" and state["finalSnapshotIdentifier"] == "c-final-0a1b2c3d"
    assert ABSENT not in state.values()


# --- The promotion snapshot is not needed once production exists ------------------------------------


def test_prod_records_the_snapshot_it_was_restored_from(runs):
    cluster = next(r for r in runs("prod").first.resources if r.type == CLUSTER)
    assert cluster.inputs["tags"]["PromotedFromSnapshot"] == "aurora-prod-promotion-0a1b2c3d"


def test_a_deleted_promotion_snapshot_is_not_taken_again(runs):
    """cluster_snapshot.go Read: a snapshot deleted outside Pulumi leaves the state at refresh. The
    next run finds it gone (DescribeDBClusterSnapshots) and declares nothing in its place."""
    run = second_run("prod", forget=lambda r: r.type == SNAPSHOT, first=runs("prod").first)
    assert_plans_nothing(run)
    assert [r for r in run.second.resources if r.type == SNAPSHOT] == []


def test_a_deleted_promotion_snapshot_and_a_destroyed_dev_stack_leave_prod_alone(runs):
    run = second_run("prod", forget=lambda r: r.type == SNAPSHOT, source_outputs={}, first=runs("prod").first)
    assert_plans_nothing(run)


def test_a_destroyed_dev_stack_leaves_prod_and_its_snapshot_alone(runs):
    assert_plans_nothing(second_run("prod", source_outputs={}, first=runs("prod").first))


# --- Changes AWS defers to the maintenance window (plan/readback.py DEFERRED) ------------------------

INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
PROD_ACCOUNT = Account("us-east-1")
# Each change AWS defers with applyImmediately false, made in prod's stack file (prod defers: its
# applyImmediately defaults to false).
DEFERRED_CHANGES = {
    "caCertIdentifier": {"aurora:caCertificateIdentifier": "rds-ca-rsa4096-g1"},
    "instanceClass": {"aurora:provisioned": {**PROD["aurora:provisioned"], "instanceClass": "db.r7g.xlarge"}},
    "iamDatabaseAuthenticationEnabled": {"aurora:iamAuthentication": False},
}
# Changes Aurora applies at once whatever applyImmediately says (plan/readback.py APPLIED_AT_ONCE).
AT_ONCE_CHANGES = {
    "storageType": {"aurora:storageType": "aurora-iopt1"},
    "enabledCloudwatchLogsExports": {"aurora:logExports": ["audit", "error", "slowquery"]},
    "backupRetentionPeriod": {"aurora:backupRetentionDays": 14},
    "preferredMaintenanceWindow": {"aurora:maintenanceWindow": "sat:05:00-sat:06:00"},
    "monitoringInterval": {"aurora:provisioned": {**PROD["aurora:provisioned"], "monitoringInterval": 30}},
}
NEWER_MINOR = "8.0.mysql_aurora.3.10.7"


def changed(changes, attribute: str) -> list[tuple[str, str]]:
    return sorted((c.resource.type, c.resource.name) for c in changes if attribute in c.properties)


def test_every_cluster_and_instance_attribute_is_deferred_applied_at_once_or_not_modified():
    """A new attribute sent to a cluster or an instance needs an answer to "does AWS defer it?"."""
    for type_ in (CLUSTER, INSTANCE):
        modelled = {a for entry in MODEL if entry.type == type_ for a in entry.attributes}
        deferred = {d.attribute for d in DEFERRED if d.type == type_}
        at_once, not_modified = APPLIED_AT_ONCE[type_][0], NOT_MODIFIED_IN_PLACE[type_][0]
        assert not (deferred & at_once or deferred & not_modified or at_once & not_modified), type_
        assert deferred | at_once | not_modified == modelled, type_


@pytest.mark.parametrize("entry", [d for d in DEFERRED if d.read_meanwhile == RUNNING], ids=lambda d: d.attribute)
def test_a_deferred_change_read_back_as_running_is_planned_again(entry):
    """Read stores the running value while the change is pending (entry.source): the next `up`
    plans the same change again, and again, until the maintenance window."""
    old, new = {"instanceClass": ("db.r7g.large", "db.r7g.xlarge")}.get(entry.attribute, ("a", "b"))
    state = Snapshot("s", "us-east-1", [resource(entry.type, **{entry.attribute: old})])
    sent = Snapshot("s", "us-east-1", [resource(entry.type, **{entry.attribute: new})])
    after = state_after_up(state, sent, PROD_ACCOUNT, apply_immediately=False)
    assert [(c.kind, c.properties) for c in plan_against(after, sent)] == [("update", [entry.attribute])]
    applied = state_after_up(state, sent, PROD_ACCOUNT, apply_immediately=True)
    assert plan_against(applied, sent) == []


@pytest.mark.parametrize("attribute", DEFERRED_CHANGES)
def test_prod_refuses_a_change_aws_would_defer_before_anything_is_declared(attribute, runs):
    """applyImmediately false (prod): one line naming the setting, the running and the configured
    value, and the two ways out, instead of a change planned on every `up` until the window."""
    entry = next(d for d in DEFERRED if d.attribute == attribute)
    with pytest.raises(ConfigError) as refused:
        second_run("prod", then=DEFERRED_CHANGES[attribute], first=runs("prod").first)
    (problem,) = refused.value.problems
    assert problem.startswith(f"aurora:{entry.setting} is ") and "\n" not in problem
    assert "set aurora:applyImmediately: true for this `up`" in problem
    assert f"or keep aurora:{entry.setting}: " in problem


@pytest.mark.parametrize("attribute", DEFERRED_CHANGES)
def test_without_the_refusal_a_deferred_change_is_planned_on_every_up(attribute, runs, monkeypatch):
    """The defect the refusal prevents: the `up` sends the change, AWS holds it, and the next
    `up` (and `preview --expect-no-changes`) plans it again."""
    monkeypatch.setattr("settings.deployed.deferred_change_problems", lambda settings, deployed: [])
    run = second_run("prod", then=DEFERRED_CHANGES[attribute], first=runs("prod").first)
    assert changed(run.changes, attribute), plan_text(run)
    after = state_after_up(run.state, run.second, PROD_ACCOUNT, apply_immediately=False)
    _, again = next_up("prod", after, DEFERRED_CHANGES[attribute])
    assert changed(again, attribute) == changed(run.changes, attribute)


@pytest.mark.parametrize("attribute", DEFERRED_CHANGES)
def test_with_apply_immediately_a_deferred_change_applies_and_the_next_up_plans_nothing(attribute, runs):
    now = {**DEFERRED_CHANGES[attribute], "aurora:applyImmediately": True}
    run = second_run("prod", then=now, first=runs("prod").first)
    assert changed(run.changes, attribute), plan_text(run)
    after = state_after_up(run.state, run.second, PROD_ACCOUNT, apply_immediately=True)
    assert next_up("prod", after, now)[1] == []


def test_a_readers_own_class_change_is_refused_for_that_reader_and_applied_now_to_it_alone(runs):
    """readerInstanceClasses changes one instance's instanceClass: deferred like instanceClass
    (plan/readback.py DEFERRED), refused naming the item; with applyImmediately, only that reader changes."""
    smaller = {"aurora:provisioned": {**PROD["aurora:provisioned"], "readerInstanceClasses": ["db.r6g.large"]}}
    with pytest.raises(ConfigError) as refused:
        second_run("prod", then=smaller, first=runs("prod").first)
    (problem,) = refused.value.problems
    assert problem.startswith("aurora:provisioned.readerInstanceClasses[0] is 'db.r6g.large' but aurora-prod-instance-2 runs")
    now = {**smaller, "aurora:applyImmediately": True}
    run = second_run("prod", then=now, first=runs("prod").first)
    assert changed(run.changes, "instanceClass") == [(INSTANCE, "database-instance-2")]
    after = state_after_up(run.state, run.second, PROD_ACCOUNT, apply_immediately=True)
    assert next_up("prod", after, now)[1] == []


def test_a_deferred_minor_upgrade_is_a_pending_change_the_next_up_does_not_plan_again(runs):
    """The provider keeps engine_version while it is the pending version (rds/cluster.go,
    compareActualEngineVersion; readback DEFERRED engineVersion): accepted, documented pending change."""
    upgrade = {"aurora:engineVersion": NEWER_MINOR}
    run = second_run("prod", then=upgrade, first=runs("prod").first)
    assert [(c.resource.type, c.properties) for c in run.changes] == [(CLUSTER, ["engineVersion"])]
    after = state_after_up(run.state, run.second, PROD_ACCOUNT, apply_immediately=False)
    cluster = next(r for r in after.resources if r.type == CLUSTER)
    assert (cluster.inputs["engineVersion"], cluster.inputs["engineVersionActual"]) == (NEWER_MINOR, "8.0.mysql_aurora.3.10.6")
    assert next_up("prod", after, upgrade)[1] == []


@pytest.mark.parametrize("attribute", AT_ONCE_CHANGES)
def test_a_change_aurora_applies_at_once_is_not_refused_and_the_next_up_plans_nothing(attribute, runs):
    run = second_run("prod", then=AT_ONCE_CHANGES[attribute], first=runs("prod").first)
    assert changed(run.changes, attribute), plan_text(run)
    after = state_after_up(run.state, run.second, PROD_ACCOUNT, apply_immediately=False)
    assert next_up("prod", after, AT_ONCE_CHANGES[attribute])[1] == []
