"""The table of names derived from the cluster name (`settings/derived_names.py`): each limit
against the AWS model it comes from, the boundaries, and the message (pure: no mock engine)."""

from __future__ import annotations

from functools import partial

import botocore.session
import pytest

from components.observability import alarm_rules
from settings import derived_names as d
from settings.loading import ConfigError
from tests.settings import helpers

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}
PROMOTED = {**PROVISIONED, "restoreFrom": {"stack": "organization/aurora/dev"}}
SNAPSHOT_COPIES = {**PROVISIONED, "disasterRecovery": {"region": "us-west-2"}}
GLOBAL = {**PROVISIONED, "provisioned": {"backtrackHours": 0}, "disasterRecovery": {"region": "us-west-2", "mode": "global"}}
PROXY = {**PROVISIONED, "provisioned": {"proxy": True, "readers": 1}}


# A prod stack unless a test names another.
load = partial(helpers.load, stack="prod")
problems = partial(helpers.problems, stack="prod")


def entry(what: str) -> d.DerivedName:
    [found] = [e for e in d.DERIVED_NAMES if e.what == what]
    return found


def _shape(service: str, name: str) -> dict:
    return botocore.session.get_session().get_service_model(service).shape_for(name).metadata


def _documentation(service: str, operation: str, member: str) -> str:
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model(operation).input_shape.members[member].documentation


# --- each limit, from the model or the provider it is written in -------------------------------


def test_rds_identifiers_are_at_most_63_characters():
    """botocore rds model: CreateDBInstance DBInstanceIdentifier, CreateDBClusterSnapshot
    DBClusterSnapshotIdentifier and CreateDBCluster DBClusterIdentifier (for Aurora) are 1 to 63
    letters, digits or hyphens; terraform-provider-aws rds/cluster_snapshot.go StringLenBetween(1, 63)."""
    assert "from 1 to 63 letters, numbers, or hyphens" in _documentation("rds", "CreateDBInstance", "DBInstanceIdentifier")
    assert "from 1 to 63 letters, numbers, or hyphens" in _documentation(
        "rds", "CreateDBClusterSnapshot", "DBClusterSnapshotIdentifier"
    )
    assert "1 to 63 (for Aurora DB clusters)" in _documentation("rds", "CreateDBCluster", "DBClusterIdentifier")
    for what in (
        "instance identifier",
        "final snapshot identifier",
        "promotion snapshot identifier",
        "secondary cluster identifier",
        "secondary instance identifier",
        "secondary final snapshot identifier",
    ):
        assert (entry(what).limit, entry(what).service) == (63, "RDS"), what


def test_the_final_snapshot_is_held_to_the_cluster_snapshot_limit_not_delete_db_clusters():
    """botocore rds model: DeleteDBCluster documents FinalDBSnapshotIdentifier as 1 to 255, but what
    it names is a cluster snapshot, 1 to 63 (CreateDBClusterSnapshot; provider PR #33700 kept 63)."""
    assert "1 to 255" in _documentation("rds", "DeleteDBCluster", "FinalDBSnapshotIdentifier")
    assert "CreateDBClusterSnapshot" in entry("final snapshot identifier").source


def test_proxy_and_proxy_endpoint_names_are_at_most_63_characters():
    """botocore rds model: shapes DBProxyName and DBProxyEndpointName, max 63."""
    assert _shape("rds", "DBProxyName")["max"] == 63 == entry("proxy name").limit
    assert _shape("rds", "DBProxyEndpointName")["max"] == 63 == entry("proxy endpoint name").limit


def test_the_global_cluster_identifier_is_at_most_255_characters():
    """botocore rds model: shape GlobalClusterIdentifier, max 255."""
    assert _shape("rds", "GlobalClusterIdentifier")["max"] == 255 == entry("global cluster identifier").limit


def test_backup_vault_plan_and_selection_names_are_at_most_50_characters():
    """botocore backup model: BackupVaultName pattern ^[a-zA-Z0-9\\-\\_]{2,50}$, BackupSelectionName
    pattern ^[a-zA-Z0-9\\-\\_\\.]{1,50}$, BackupPlanInput.BackupPlanName "1 to 50" characters."""
    assert _shape("backup", "BackupVaultName")["pattern"].endswith("{2,50}$")
    assert _shape("backup", "BackupSelectionName")["pattern"].endswith("{1,50}$")
    plan = botocore.session.get_session().get_service_model("backup").shape_for("BackupPlanInput")
    assert "1 to 50" in plan.members["BackupPlanName"].documentation
    for what in ("backup vault name", "disaster-recovery vault name", "backup plan name", "backup selection name"):
        assert (entry(what).limit, entry(what).service) == (50, "AWS Backup"), what


def test_cloudwatch_alarm_and_dashboard_names_are_at_most_255_characters():
    """botocore cloudwatch model: shape AlarmName max 255; PutDashboard DashboardName "The maximum
    length is 255", A-Z, a-z, 0-9, "-" and "_"."""
    assert _shape("cloudwatch", "AlarmName")["max"] == 255
    assert "The maximum length is 255" in _documentation("cloudwatch", "PutDashboard", "DashboardName")
    for what in ("alarm name", "client idle-stop alarm name", "replication lag alarm name", "dashboard name"):
        assert entry(what).limit == 255, what


def test_log_group_names_are_at_most_512_characters():
    """botocore logs model: shape LogGroupName, max 512."""
    assert _shape("logs", "LogGroupName")["max"] == 512
    assert entry("log group name").limit == entry("secondary log group name").limit == 512


def test_the_master_secret_name_is_at_most_512_characters_with_the_providers_suffix():
    """botocore secretsmanager model: shape NameType, max 512; terraform-provider-aws
    secretsmanager validSecretNamePrefix allows 512 - id.UniqueIDSuffixLength (26) for name_prefix."""
    assert _shape("secretsmanager", "NameType")["max"] == 512 == entry("master secret name").limit
    longest = entry("master secret name").longest("db", load(GLOBAL))
    assert longest is not None and len(longest) == len("db-master-") + 26


def test_every_entry_names_its_source_and_the_names_are_distinct():
    whats = [e.what for e in d.DERIVED_NAMES]
    assert len(whats) == len(set(whats))
    assert all(e.source and e.formed and e.service for e in d.DERIVED_NAMES)


# --- the table forms the names the components declare -----------------------------------------


@pytest.mark.engine
def test_the_components_declare_the_names_the_table_forms(program):
    """The components and the table call the same functions; these are the names a deployment gets."""
    copies = program(
        "prod", overrides={"aurora:disasterRecovery": {"region": "us-west-2", "mode": "snapshot-copy"}}, stack_outputs={}
    )
    declared = {(r.type, r.inputs.get("name") or r.inputs.get("dashboardName")) for r in copies.resources}
    expected = {
        ("aws:backup/vault:Vault", d.backup_vault_name("aurora-prod")),
        ("aws:backup/vault:Vault", d.dr_vault_name("aurora-prod")),
        ("aws:backup/plan:Plan", d.backup_plan_name("aurora-prod")),
        ("aws:backup/selection:Selection", d.backup_selection_name("aurora-prod")),
        ("aws:cloudwatch/dashboard:Dashboard", d.dashboard_name("aurora-prod")),
        ("aws:cloudwatch/metricAlarm:MetricAlarm", d.alarm_name("aurora-prod", d.LONGEST_ALARM_KEY)),
        ("aws:cloudwatch/logGroup:LogGroup", d.log_group_name("aurora-prod", "slowquery")),
    }
    assert expected <= declared
    assert d.backup_vault_name("c") == "c-backups" and d.dr_vault_name("c") == d.backup_plan_name("c") == "c-dr"
    assert d.backup_selection_name("c") == "c-cluster" and d.dashboard_name("c") == "c-aurora"
    assert d.log_group_name("c", "audit") == "/aws/rds/cluster/c/audit" and d.alarm_name("c", "acu") == "c-acu"


@pytest.mark.engine
def test_the_global_and_client_names_are_the_tables_too(program):
    dev = program("dev")
    assert ("aws:cloudwatch/metricAlarm:MetricAlarm", d.client_idle_stop_alarm_name("aurora-dev")) in {
        (r.type, r.inputs.get("name")) for r in dev.resources
    }
    overrides = {
        "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
        "aurora:provisioned": {"backtrackHours": 0},
    }
    global_ = program("prod", overrides=overrides, stack_outputs={})
    secondary = d.secondary_cluster_identifier("aurora-prod", "us-west-2")
    names = {(r.type, r.inputs.get("name") or r.inputs.get("namePrefix")) for r in global_.resources}
    assert ("aws:cloudwatch/metricAlarm:MetricAlarm", d.replication_lag_alarm_name(secondary)) in names
    assert ("aws:secretsmanager/secret:Secret", d.master_secret_prefix("aurora-prod")) in names
    assert d.client_idle_stop_alarm_name("c") == "c-client-idle-stop" and d.master_secret_prefix("c") == "c-master-"
    assert d.replication_lag_alarm_name("s") == "s-replication-lag"


def test_the_longest_alarm_key_is_the_one_the_table_counts():
    keys = {rule.key for serverless in (True, False) for readers in (0, 1) for rule in alarm_rules(serverless, readers)}
    assert max(keys, key=len) == d.LONGEST_ALARM_KEY


def test_snapshot_names_count_the_random_suffix_at_its_full_length():
    assert len(d.LONGEST_SUFFIX) == 2 * d.SUFFIX_BYTES == 8
    assert entry("final snapshot identifier").longest("db", load(SERVERLESS, stack="dev")) == "db-final-ffffffff"
    assert entry("promotion snapshot identifier").longest("db", load(PROMOTED)) == "db-promotion-ffffffff"


# --- which stacks declare which names ------------------------------------------------------------


@pytest.mark.parametrize(
    "what, raw",
    [
        ("promotion snapshot identifier", PROMOTED),
        ("proxy name", PROXY),
        ("proxy endpoint name", PROXY),
        ("global cluster identifier", GLOBAL),
        ("secondary cluster identifier", GLOBAL),
        ("secondary instance identifier", GLOBAL),
        ("secondary final snapshot identifier", GLOBAL),
        ("master secret name", GLOBAL),
        ("replication lag alarm name", GLOBAL),
        ("secondary log group name", GLOBAL),
        ("backup vault name", SNAPSHOT_COPIES),
        ("disaster-recovery vault name", SNAPSHOT_COPIES),
        ("backup plan name", SNAPSHOT_COPIES),
        ("backup selection name", SNAPSHOT_COPIES),
        ("client idle-stop alarm name", SERVERLESS),
    ],
)
def test_a_name_is_measured_only_for_a_stack_that_declares_it(what, raw):
    assert entry(what).longest("db", load(raw)) is not None
    assert entry(what).longest("db", load(PROVISIONED)) is None


@pytest.mark.parametrize(
    "what, raw",
    [
        ("promotion snapshot identifier", {**PROVISIONED, "restoreFrom": {"snapshotIdentifier": "orders-seed"}}),
        ("backup vault name", GLOBAL),
        ("backup selection name", GLOBAL),
        ("secondary cluster identifier", SNAPSHOT_COPIES),
    ],
)
def test_a_neighbouring_setting_does_not_declare_the_name(what, raw):
    """A named snapshot is restored without a promotion snapshot; a Global Database has no vaults;
    snapshot copies have no secondary cluster."""
    assert entry(what).longest("db", load(raw)) is None


def test_the_secondarys_names_carry_its_region():
    settings = load(GLOBAL)
    assert entry("replication lag alarm name").longest("db", settings) == "db-us-west-2-replication-lag"
    assert entry("secondary final snapshot identifier").longest("db", settings) == "db-us-west-2-final-ffffffff"


def test_the_names_every_stack_declares():
    settings = load(SERVERLESS, stack="dev")
    longest = {e.what: e.longest("db", settings) for e in d.DERIVED_NAMES if not e.declared_by}
    assert longest == {
        "instance identifier": "db-instance-1",
        "final snapshot identifier": "db-final-ffffffff",
        "alarm name": "db-writer-memory",
        "dashboard name": "db-aurora",
        "log group name": "/aws/rds/cluster/db/slowquery",
    }


def test_the_proxy_endpoint_exists_only_with_a_reader():
    assert entry("proxy endpoint name").longest("db", load({**PROVISIONED, "provisioned": {"proxy": True, "readers": 0}})) is None


def test_no_idle_stop_alarm_when_the_host_never_stops():
    assert entry("client idle-stop alarm name").longest("db", load({**SERVERLESS, "clientIdleStopMinutes": 0})) is None


def test_the_longest_log_group_is_the_longest_exported_type():
    settings = load({**PROVISIONED, "logExports": ["error", "iam-db-auth-error"]})
    assert entry("log group name").longest("db", settings) == "/aws/rds/cluster/db/iam-db-auth-error"


# --- boundaries: exactly at the limit passes, one more character fails --------------------------


def test_a_promoted_stack_takes_a_cluster_name_of_44_characters():
    """`<name>-promotion-<8 hex>`: 19 characters on top of the name, 63 at most
    (terraform-provider-aws rds/cluster_snapshot.go StringLenBetween(1, 63))."""
    name = "a" * 44
    assert load({**PROMOTED, "clusterName": name}).cluster_name == name
    [found] = problems({**PROMOTED, "clusterName": name + "a"})
    helpers.problem_about(
        [found],
        "clusterName",
        f"is {name + 'a'!r} (45 characters)",
        f"'{name}a-promotion-ffffffff'",
        "64 characters, over the 63 RDS allows",
        "rds/cluster_snapshot.go",
        "at most 44 characters",
        "aurora:restoreFrom.stack",
    )


def test_snapshot_copies_take_a_cluster_name_of_42_characters():
    """`<name>-backups` and `<name>-cluster`: 8 characters on top of the name, 50 at most
    (botocore backup model, BackupVaultName and BackupSelectionName)."""
    name = "a" * 42
    assert load({**SNAPSHOT_COPIES, "clusterName": name}).cluster_name == name
    [found] = problems({**SNAPSHOT_COPIES, "clusterName": name + "a"})
    # The vault and the selection both bind at 42: one message, the first in the table.
    helpers.problem_about(
        [found],
        "clusterName",
        f"'{name}a-backups'",
        "51 characters, over the 50 AWS Backup allows",
        "BackupVaultName",
        "at most 42 characters",
        "aurora:disasterRecovery.mode snapshot-copy",
    )


def test_every_stack_takes_a_cluster_name_of_48_characters():
    """`<name>-final-<8 hex>` (botocore rds model, CreateDBClusterSnapshot: 1 to 63)."""
    name = "a" * 48
    assert load({**SERVERLESS, "clusterName": name}, stack="dev").cluster_name == name
    [found] = problems({**SERVERLESS, "clusterName": name + "a"})
    assert found.startswith(f"aurora:clusterName is {name + 'a'!r} (49 characters): the final snapshot identifier")
    assert found.endswith("use a clusterName of at most 48 characters")


def test_an_instance_identifier_of_63_characters_passes_and_64_fails():
    """`<name>-instance-<n>` (botocore rds model, CreateDBInstance DBInstanceIdentifier: 1 to 63);
    measured on the entry, as the final snapshot binds first on every stack."""
    settings = load({**PROVISIONED, "provisioned": {"readers": 9}})  # the last instance is -instance-10
    assert entry("instance identifier").problem("a" * 51, settings) is None
    helpers.refusal_reads(
        entry("instance identifier").problem("a" * 52, settings),
        "clusterName",
        f"'{'a' * 52}-instance-10'",
        "64 characters, over the 63 RDS allows",
        "at most 51 characters",
    )
    assert entry("instance identifier").max_cluster_name_length(settings) == 51


@pytest.mark.parametrize(
    "raw, longest",
    [(SERVERLESS, 48), (PROVISIONED, 48), (PROMOTED, 44), (SNAPSHOT_COPIES, 42), (GLOBAL, 38), (PROXY, 48)],
)
def test_the_longest_cluster_name_a_stack_takes(raw, longest):
    assert d.max_cluster_name_length(load(raw)) == longest
    assert load({**raw, "clusterName": "a" * longest}).cluster_name == "a" * longest
    with pytest.raises(ConfigError):
        load({**raw, "clusterName": "a" * (longest + 1)})


# --- the message and when it comes ---------------------------------------------------------------


def test_one_message_gives_the_tightest_limit_before_anything_is_declared():
    """A 53-character name on a promoted stack breaks the instances' (52), the final snapshot's (48)
    and the promotion snapshot's (44) limits: one message, with the promotion snapshot's 44."""
    name = "a" * 53
    [found] = problems({**PROMOTED, "clusterName": name})
    assert found.startswith(f"aurora:clusterName is {name!r} (53 characters): the promotion snapshot identifier ")
    assert found.endswith("use a clusterName of at most 44 characters (the name comes with aurora:restoreFrom.stack)")
    assert d.binding(load(PROMOTED)).what == "promotion snapshot identifier"


def test_a_default_cluster_name_that_is_too_long_is_refused_with_the_length_to_set():
    """The default (project-stack) is not cut to the derived names' limit: see default_cluster_name."""
    project = "a" * 46
    [found] = problems(SERVERLESS, project=project, stack="dev")
    assert found.startswith(f"aurora:clusterName is '{project}-dev' (50 characters): the final snapshot identifier")
    assert found.endswith("use a clusterName of at most 48 characters")


def test_the_message_names_the_setting_the_value_the_limit_and_the_source():
    message = entry("dashboard name").problem("a" * 250, load(SERVERLESS, stack="dev"))
    helpers.refusal_reads(
        message,
        "clusterName",
        f"is {'a' * 250!r} (250 characters)",
        f"the dashboard name '{'a' * 250}-aurora'",
        "257 characters, over the 255 CloudWatch allows",
        "botocore cloudwatch model, PutDashboard",
        "at most 248 characters",
    )
