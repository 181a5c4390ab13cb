"""Each rule `load_settings` applies, with the key, the value and the reason a user reads, and each
value it keeps (pure: no mock engine). Shape, network, promotion, application user and disaster
recovery."""

from __future__ import annotations

from functools import partial

import pytest

from awsfacts.engine_versions import parameter_group_family
from settings import derived_names, rules
from settings import model as config_models
from settings.model import ProvisionedConfig
from tests.helpers import CONSOLE_PROVISIONED, CONSOLE_SERVERLESS
from tests.settings import helpers
from tests.settings.helpers import only_problem, problem_about, problem_keys

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}
GLOBAL_READY = {**PROVISIONED, "provisioned": {"backtrackHours": 0}}
VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]


# These rules are read on a prod stack.
load = partial(helpers.load, stack="prod")
problems = partial(helpers.problems, stack="prod")


# --- the whole configuration -----------------------------------------------------------------


def test_every_setting_reaches_the_settings_unchanged():
    raw = {
        "capacityType": "provisioned",
        "clusterName": "orders",
        "engineVersion": "8.0.mysql_aurora.3.10.7",
        "masterUsername": "dba",
        "provisioned": {
            "instanceClass": "db.r8g.xlarge",
            "readers": 2,
            "readerInstanceClasses": ["db.r8g.large"],
            "backtrackHours": 0,
            "monitoringInterval": 15,
            "proxy": True,
        },
        "dataApi": False,
        "iamAuthentication": False,
        "network": {
            "vpcId": VPC,
            "subnetIds": SUBNETS,
            "allowedSecurityGroupIds": ["sg-0123abcd"],
            "allowedCidrs": ["10.1.0.0/16"],
        },
        "client": "ssm",
        "clientIdleStopMinutes": 60,
        "backupRetentionDays": 35,
        "backupWindow": "01:00-01:30",
        "maintenanceWindow": "mon:02:00-mon:02:30",
        "deletionProtection": False,
        "applyImmediately": True,
        "logExports": ["error"],
        "logRetentionDays": 3653,
        "kmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "sampleData": False,
        "dropSampleDataOnDelete": True,
        "alarmEmail": "ops@example.com",
        "disasterRecovery": {"region": "eu-central-1", "retentionDays": 35},
        "tags": {"Team": "orders"},
    }
    settings = load(raw, region="eu-west-1", project="shop", stack="live")
    assert (settings.project, settings.stack, settings.region) == ("shop", "live", "eu-west-1")
    assert (settings.capacity_type, settings.cluster_name, settings.engine_version) == (
        "provisioned",
        "orders",
        raw["engineVersion"],
    )
    assert settings.master_username == "dba" and parameter_group_family(settings.engine_version) == "aurora-mysql8.0"
    assert isinstance(settings.shape, ProvisionedConfig)
    assert settings.shape.model_dump() == {
        "instance_class": "db.r8g.xlarge",
        "readers": 2,
        "reader_instance_classes": ("db.r8g.large",),
        "backtrack_hours": 0,
        "monitoring_interval": 15,
        "insights": "standard",
        "proxy": True,
    }
    assert settings.restore_from is None
    assert (settings.data_api, settings.iam_authentication, settings.client) == (False, False, "ssm")
    assert settings.client_idle_stop_minutes == 60
    assert settings.network.model_dump() == {
        "vpc_id": VPC,
        "subnet_ids": tuple(SUBNETS),
        "allowed_cidrs": ("10.1.0.0/16",),
        "allowed_security_group_ids": ("sg-0123abcd",),
        "client_subnet_id": None,
        "subnet_group_description": None,
    }
    assert (settings.backup_retention_days, settings.backup_window, settings.maintenance_window) == (
        35,
        "01:00-01:30",
        "mon:02:00-mon:02:30",
    )
    assert (settings.deletion_protection, settings.apply_immediately) == (False, True)
    assert (settings.log_exports, settings.log_retention_days) == (("error",), 3653)
    assert (settings.kms_key_id, settings.alarm_email) == (raw["kmsKeyId"], "ops@example.com")
    assert (settings.sample_data, settings.drop_sample_data_on_delete, settings.app_user) == (False, True, None)
    assert settings.disaster_recovery is not None
    assert settings.disaster_recovery.model_dump() == {
        "vpc_id": "default",
        "subnet_ids": (),
        "allowed_cidrs": (),
        "region": "eu-central-1",
        "mode": "snapshot-copy",
        "retention_days": 35,
        "instances": 1,
    }
    assert settings.tags == {"Team": "orders"}
    assert settings.resource_tags == {"Project": "shop", "Stack": "live", "ManagedBy": "pulumi", "Team": "orders"}
    # A restored cluster keeps the snapshot's master user, so restoreFrom comes without masterUsername
    # (the cluster then sends none: test_prod_stack.test_the_restored_cluster_has_no_master_username_input).
    without_user = {key: value for key, value in raw.items() if key != "masterUsername"}
    restored = load({**without_user, "restoreFrom": {"snapshotIdentifier": "orders-seed"}}, region="eu-west-1")
    assert restored.restore_from is not None
    assert restored.restore_from.model_dump() == {"stack": None, "snapshot_identifier": "orders-seed"}


def test_an_unknown_key_far_from_every_setting_gets_no_suggestion():
    [found] = problems({**SERVERLESS, "zzz": 1})
    assert found.startswith("aurora:zzz is not a known setting") and "did you mean" not in found


def test_an_unknown_capacity_type_lists_the_two_shapes():
    only_problem(problems({"capacityType": "serverless-2"}), "capacityType", "is 'serverless-2':", "serverless, provisioned")


def test_a_serverless_v1_capacity_type_says_it_reached_end_of_life():
    only_problem(problems({"capacityType": "serverless-v1"}), "capacityType", "is 'serverless-v1':", "end of life")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("clusterName", "Orders", "aurora:clusterName is 'Orders': an RDS identifier has lower-case letters"),
        ("masterUsername", "root", "aurora:masterUsername is 'root': a user name has 1 to 16"),
        ("client", "cloud9", "aurora:client is 'cloud9': allowed values are ssm, none"),
        ("backupRetentionDays", 36, "aurora:backupRetentionDays is 36: allowed values are whole numbers from 1 to 35"),
        ("logRetentionDays", 10, "aurora:logRetentionDays is 10: allowed values are 1, 3, 5, 7, 14, 30, 60, 90"),
        ("kmsKeyId", "alias/aws/rds", "aurora:kmsKeyId is 'alias/aws/rds': an alias; expected a KMS key ARN"),
        ("tags", {"aws:x": "y"}, "aurora:tags has key 'aws:x': tag keys have 1 to 128"),
        ("alarmEmail", "ops", "aurora:alarmEmail is 'ops': expected an e-mail address"),
        ("logExports", ["audit", "postgresql"], "aurora:logExports is ['audit', 'postgresql']: expected distinct values"),
        ("iamAuthentication", "no", "aurora:iamAuthentication is 'no': allowed values are true or false"),
        ("deletionProtection", 1, "aurora:deletionProtection is 1: allowed values are true or false"),
        ("applyImmediately", "yes", "aurora:applyImmediately is 'yes': allowed values are true or false"),
        ("sampleData", "yes", "aurora:sampleData is 'yes': allowed values are true or false"),
        ("dropSampleDataOnDelete", 0, "aurora:dropSampleDataOnDelete is 0: allowed values are true or false"),
        ("engineVersion", "8.0", "aurora:engineVersion is '8.0': expected 8.0.mysql_aurora.3.<minor>.<patch>"),
    ],
)
def test_each_top_level_setting_is_checked_by_its_rule(key, value, message):
    [found] = problems({**PROVISIONED, key: value})
    assert found.startswith(message)  # the key, the value and the first words of the reason


def test_a_malformed_window_is_reported_without_an_overlap_verdict():
    found = problems({**SERVERLESS, "backupWindow": "5am", "maintenanceWindow": "sunday"})
    assert len(found) == 2
    problem_about(found, "backupWindow", "is '5am':", "hh:mm-hh:mm in UTC", "30 minutes")
    problem_about(found, "maintenanceWindow", "is 'sunday':", "ddd:hh:mm-ddd:hh:mm in UTC", "30 minutes")
    only_problem(problems({**SERVERLESS, "backupWindow": "5am"}), "backupWindow", "is '5am':", "hh:mm-hh:mm")


def test_overlapping_windows_are_refused_when_both_are_well_formed():
    only_problem(
        problems({**SERVERLESS, "backupWindow": "04:30-05:30"}),
        "backupWindow",
        "'04:30-05:30' overlaps aurora:maintenanceWindow 'sun:05:00-sun:06:00'",
        "disjoint",
    )


def test_sample_data_with_the_data_api_is_accepted():
    settings = load({**SERVERLESS, "sampleData": True})
    assert (settings.sample_data, settings.data_api) == (True, True)


@pytest.mark.parametrize(
    "project, stack, expected",
    [
        ("aurora", "dev", "aurora-dev"),
        ("-Aurora_", "_Dev-", "aurora-dev"),
        ("a.b", "c  d", "a-b-c-d"),
        ("p" * 70, "dev", "p" * 63),
        ("p" * 62, "dev", "p" * 62),
    ],
)
def test_the_default_cluster_name_is_a_valid_identifier_derived_from_project_and_stack(project, stack, expected):
    assert config_models.default_cluster_name(project, stack) == expected


# --- serverless shape ------------------------------------------------------------------------


def test_serverless_settings_need_an_object():
    only_problem(problems({"capacityType": "serverless", "serverless": 4}), "serverless", "is 4:", "an object", "minCapacity")


def test_the_serverless_shape_without_capacity_shows_an_example():
    only_problem(
        problems({"capacityType": "serverless"}), "serverless", "is required for capacityType serverless", "{minCapacity: 0, "
    )


def test_serverless_settings_on_the_provisioned_shape_are_refused():
    only_problem(problems({**PROVISIONED, "serverless": {}}), "serverless", "is set", "aurora:capacityType is not serverless")


def test_capacity_limits_are_named_per_setting_and_skip_the_comparison():
    found = problems({"capacityType": "serverless", "serverless": {"minCapacity": -1, "maxCapacity": 0.5}})
    assert len(found) == 2
    problem_about(found, "serverless.minCapacity", "is -1:", "0 to 256 ACU in steps of 0.5")
    problem_about(found, "serverless.maxCapacity", "is 0.5:", "1 to 256 ACU in steps of 0.5")
    found = problems({"capacityType": "serverless", "serverless": {"minCapacity": 300, "maxCapacity": 4}})
    only_problem(found, "serverless.minCapacity", "is 300:", "0 to 256 ACU")


def test_a_pause_with_a_non_zero_minimum_is_refused():
    found = problems({"capacityType": "serverless", "serverless": {"minCapacity": 0.5, "secondsUntilAutoPause": 600}})
    only_problem(found, "serverless.secondsUntilAutoPause", "is 600 but minCapacity is 0.5", "pauses only when minCapacity is 0")


def test_a_non_zero_minimum_never_pauses_and_needs_no_new_engine():
    settings = load(
        {"capacityType": "serverless", "serverless": {"minCapacity": 0.5}, "engineVersion": "8.0.mysql_aurora.3.05.2"}
    )
    assert settings.serverless is not None
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (0.5, 4)
    assert settings.serverless.seconds_until_auto_pause is None


def test_a_zero_minimum_keeps_the_chosen_pause():
    settings = load({"capacityType": "serverless", "serverless": {"minCapacity": 0, "secondsUntilAutoPause": 86400}})
    assert settings.serverless is not None
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (0, 4)
    assert settings.serverless.seconds_until_auto_pause == 86400


# --- provisioned shape -----------------------------------------------------------------------


def test_provisioned_settings_on_the_serverless_shape_are_refused():
    only_problem(problems({**SERVERLESS, "provisioned": {}}), "provisioned", "is set", "aurora:capacityType is not provisioned")


def test_provisioned_settings_need_an_object():
    only_problem(problems({**PROVISIONED, "provisioned": "db.r7g.large"}), "provisioned", "is 'db.r7g.large':", "an object")


def test_each_provisioned_setting_is_checked_and_named():
    found = problems(
        {
            **PROVISIONED,
            "provisioned": {
                "instanceClass": "db.t4g.medium",
                "readers": 16,
                "backtrackHours": 73,
                "monitoringInterval": 2,
                "insights": "full",
            },
        }
    )
    assert [message.split(":", 2)[1] for message in found] == [
        "provisioned.instanceClass is 'db.t4g.medium'",
        "provisioned.readers is 16",
        "provisioned.backtrackHours is 73",
        "provisioned.monitoringInterval is 2",
        "provisioned.insights is 'full'",
    ]
    problem_about(found, "provisioned.readers", "0 to 15")
    problem_about(found, "provisioned.monitoringInterval", "0, 1, 5, 10, 15, 30, 60")
    problem_about(found, "provisioned.insights", "standard, advanced")


def test_fifteen_readers_and_advanced_insights_are_accepted():
    settings = load({**PROVISIONED, "clusterName": "db", "provisioned": {"readers": 15, "insights": "advanced"}})
    assert isinstance(settings.shape, ProvisionedConfig)
    assert settings.shape.model_dump() == {
        "instance_class": "db.r7g.large",
        "readers": 15,
        "reader_instance_classes": (),
        "backtrack_hours": 24,
        "monitoring_interval": 60,
        "insights": "advanced",
        "proxy": False,
    }
    assert settings.shape.backtrack_seconds == 86400


# --- promotion source ------------------------------------------------------------------------


def test_a_restore_source_on_the_serverless_shape_is_refused():
    found = problems({**SERVERLESS, "restoreFrom": {"stack": "organization/aurora/dev"}})
    only_problem(found, "restoreFrom", "is set", "aurora:capacityType is not provisioned", "provisioned production cluster")


@pytest.mark.parametrize("restore_from", [{}, {"stack": "organization/aurora/dev", "snapshotIdentifier": "s1"}])
def test_a_restore_source_names_exactly_one_source(restore_from):
    only_problem(problems({**PROVISIONED, "restoreFrom": restore_from}), "restoreFrom", f"is {restore_from!r}:", "exactly one of")


def test_a_restore_source_needs_an_object():
    # No follow-on: the refused value is not also checked as an empty object.
    found = problems({**PROVISIONED, "restoreFrom": "organization/aurora/dev"})
    only_problem(found, "restoreFrom", "is 'organization/aurora/dev':", "an object", "stack, snapshotIdentifier")


def test_each_restore_source_is_checked_by_its_own_rule():
    found = problems({**PROVISIONED, "restoreFrom": {"stack": "aurora/dev"}})
    only_problem(found, "restoreFrom.stack", "is 'aurora/dev':", "organization/project/stack")
    found = problems({**PROVISIONED, "restoreFrom": {"snapshotIdentifier": "1st"}})
    only_problem(found, "restoreFrom.snapshotIdentifier", "is '1st':", "snapshot identifier or ARN")
    restore_from = load({**PROVISIONED, "restoreFrom": {"stack": "org/aurora/dev"}}).restore_from
    assert restore_from is not None
    assert restore_from.model_dump() == {"stack": "org/aurora/dev", "snapshot_identifier": None}


# --- network ---------------------------------------------------------------------------------


def test_network_settings_need_an_object():
    only_problem(problems({**SERVERLESS, "network": "default"}), "network", "is 'default':", "an object", "vpcId")


def test_each_network_setting_is_checked_and_named():
    found = problems(
        {
            **SERVERLESS,
            "network": {
                "vpcId": "vpc-1",
                "subnetIds": "subnet-0123456789abcdef1",
                "allowedSecurityGroupIds": ["sg-1"],
                "allowedCidrs": "10.0.0.0/8",
                "clientSubnetId": "subnet-1",
            },
        }
    )
    assert len(found) == 5
    problem_about(found, "network.vpcId", "is 'vpc-1':", "`default` or a VPC id")
    problem_about(found, "network.subnetIds", "is 'subnet-0123456789abcdef1':", "expected a list: Subnets")
    problem_about(found, "network.allowedCidrs", "is '10.0.0.0/8':", "expected a list: Private IPv4 ranges")
    problem_about(found, "network.allowedSecurityGroupIds", "is ['sg-1']:", "a list of distinct sg-")
    problem_about(found, "network.clientSubnetId", "is 'subnet-1':", "expected a subnet id (subnet-...)")


def test_another_vpc_with_one_subnet_is_refused_with_the_reason():
    found = problems({**SERVERLESS, "network": {"vpcId": VPC, "subnetIds": SUBNETS[:1]}})
    only_problem(found, "network.subnetIds", f"is {SUBNETS[:1]!r}:", "at least two subnets", "different Availability Zones")


def test_the_default_vpc_may_name_its_subnets_and_the_client_subnet():
    network = {"subnetIds": SUBNETS[:1], "clientSubnetId": SUBNETS[0], "allowedCidrs": ["10.1.0.0/16", "192.168.0.0/24"]}
    settings = load({**SERVERLESS, "network": network})
    assert settings.network.model_dump() == {
        "vpc_id": "default",
        "subnet_ids": tuple(SUBNETS[:1]),
        "allowed_cidrs": ("10.1.0.0/16", "192.168.0.0/24"),
        "allowed_security_group_ids": (),
        "client_subnet_id": SUBNETS[0],
        "subnet_group_description": None,
    }
    assert settings.network.uses_default_vpc


def test_every_allowed_range_is_checked():
    found = problems({**SERVERLESS, "network": {"allowedCidrs": ["10.0.0.0/8", "8.8.8.0/24", "0.0.0.0/0"]}})
    assert len(found) == 2
    problem_about(found, "network.allowedCidrs", "has '8.8.8.0/24':", "only private ranges")
    problem_about(found, "network.allowedCidrs", "has '0.0.0.0/0':", "world-open")


# --- application user ------------------------------------------------------------------------


def test_the_application_user_defaults_to_app_on_the_tutorial_database():
    settings = load({**SERVERLESS, "appUser": {"endpoint": "127.0.0.1:3307"}})
    assert settings.app_user is not None
    assert settings.app_user.model_dump() == {"name": "app", "endpoint": "127.0.0.1:3307"}
    assert settings.app_user.database == "tutorial"


def test_the_application_user_needs_an_endpoint_iam_authentication_and_a_valid_name():
    found = problems({**SERVERLESS, "iamAuthentication": False, "appUser": {"name": "root"}})
    assert len(found) == 2
    problem_about(found, "appUser.name", "is 'root':", "a user name has 1 to 16", "rdsadmin")
    problem_about(found, "appUser.endpoint", "is required", "host:port")
    # The rule that joins appUser to iamAuthentication runs once both are valid.
    found = problems({**SERVERLESS, "iamAuthentication": False, "appUser": {"endpoint": "127.0.0.1:3307"}})
    only_problem(found, "appUser", "is set", "aurora:iamAuthentication is false", "turn iamAuthentication on")
    only_problem(
        problems({**SERVERLESS, "appUser": {"endpoint": "localhost"}}), "appUser.endpoint", "is 'localhost':", "host:port"
    )
    # No follow-on: a section that is not an object is not also searched for its required keys.
    only_problem(problems({**SERVERLESS, "appUser": ["app"]}), "appUser", "is ['app']:", "an object", "name, endpoint")


# --- disaster recovery -----------------------------------------------------------------------


def test_disaster_recovery_defaults_to_a_week_of_copies_in_the_named_region():
    settings = load({**PROVISIONED, "disasterRecovery": {"region": "us-west-2"}})
    assert settings.disaster_recovery is not None
    assert settings.disaster_recovery.model_dump() == {
        "vpc_id": "default",
        "subnet_ids": (),
        "allowed_cidrs": (),
        "region": "us-west-2",
        "mode": "snapshot-copy",
        "retention_days": 7,
        "instances": 1,
    }
    assert not settings.disaster_recovery.is_global


def test_a_global_secondary_keeps_its_placement():
    dr = {
        "region": "us-west-2",
        "mode": "global",
        "vpcId": VPC,
        "subnetIds": SUBNETS,
        "allowedCidrs": ["10.2.0.0/16"],
        "instances": 16,
    }
    settings = load({**GLOBAL_READY, "clusterName": "db", "disasterRecovery": dr})
    assert settings.disaster_recovery is not None
    assert settings.disaster_recovery.model_dump() == {
        "vpc_id": VPC,
        "subnet_ids": tuple(SUBNETS),
        "allowed_cidrs": ("10.2.0.0/16",),
        "region": "us-west-2",
        "mode": "global",
        "retention_days": 7,
        "instances": 16,
    }
    assert settings.disaster_recovery.is_global


def test_disaster_recovery_needs_an_object():
    found = problems({**PROVISIONED, "disasterRecovery": "us-west-2"})
    assert found[0] == problem_about(found, "disasterRecovery", "is 'us-west-2':", "an object", "region", "mode")


def test_the_disaster_recovery_region_is_required_known_and_different():
    only_problem(problems({**PROVISIONED, "disasterRecovery": {}}), "disasterRecovery.region", "is required")
    found = problems({**PROVISIONED, "disasterRecovery": {"region": "us-west-9"}})
    only_problem(
        found,
        "disasterRecovery.region",
        "is 'us-west-9':",
        "expected an AWS region, such as us-west-2",
        "did you mean us-west-2?",
    )
    found = problems({**PROVISIONED, "disasterRecovery": {"region": "eu-west-1"}}, region="eu-west-1")
    only_problem(found, "disasterRecovery.region", "is 'eu-west-1'", "the same as aws:region", "a different region")


def test_each_disaster_recovery_number_and_mode_is_checked():
    found = problems({**PROVISIONED, "disasterRecovery": {"region": "us-west-2", "mode": "pilot-light", "retentionDays": 36}})
    assert len(found) == 2
    problem_about(found, "disasterRecovery.mode", "is 'pilot-light':", "snapshot-copy, global")
    problem_about(found, "disasterRecovery.retentionDays", "is 36:", "1 to 35")
    found = problems({**GLOBAL_READY, "disasterRecovery": {"region": "us-west-2", "mode": "global", "instances": 17}})
    only_problem(found, "disasterRecovery.instances", "is 17:", "1 to 16")


@pytest.mark.parametrize(
    "key, value", [("vpcId", "default"), ("subnetIds", SUBNETS), ("allowedCidrs", ["10.2.0.0/16"]), ("instances", 2)]
)
def test_secondary_placement_is_refused_for_backup_copies(key, value):
    found = problems({**PROVISIONED, "disasterRecovery": {"region": "us-west-2", key: value}})
    only_problem(found, f"disasterRecovery.{key}", "is set", "aurora:disasterRecovery.mode is 'snapshot-copy'", "mode global")


def test_a_global_database_refuses_backtrack_and_auto_pause():
    found = problems({**PROVISIONED, "disasterRecovery": {"region": "us-west-2", "mode": "global"}})
    only_problem(
        found, "disasterRecovery.mode", "is global but aurora:provisioned.backtrackHours is 24", "does not allow backtrack"
    )
    found = problems({**SERVERLESS, "disasterRecovery": {"region": "us-west-2", "mode": "global"}})
    only_problem(found, "disasterRecovery.mode", "is global but aurora:serverless.minCapacity is 0", "never auto-pauses")
    serverless_global = {"capacityType": "serverless", "serverless": {"minCapacity": 0.5}}
    assert load({**serverless_global, "disasterRecovery": {"region": "us-west-2", "mode": "global"}}).disaster_recovery.is_global


def test_the_secondary_instance_identifiers_are_checked_too():
    """The secondary is `<clusterName>-<region>`, its instances `...-instance-<n>`: 63 characters at most
    (botocore rds model, CreateDBInstance DBInstanceIdentifier)."""
    name = "a" * 41  # + "-us-west-2" (10) + "-instance-2" (11) = 62, 63 with "-instance-10"
    dr = {"region": "us-west-2", "mode": "global", "instances": 10}
    [instances] = [e for e in derived_names.DERIVED_NAMES if e.what == "secondary instance identifier"]
    settings = load({**GLOBAL_READY, "disasterRecovery": dr})
    assert instances.problem(name, settings) is None
    longer = "a" * 42
    assert f"'{longer}-us-west-2-instance-10'" in (instances.problem(longer, settings) or "")
    assert instances.max_cluster_name_length(settings) == 41
    # On the stack the secondary final snapshot binds first (at most 38): that limit is the one given.
    found = problems({**GLOBAL_READY, "clusterName": longer, "disasterRecovery": dr})
    only_problem(found, "clusterName", "the secondary final snapshot identifier", "at most 38 characters", "mode global")


def test_the_secondary_final_snapshot_limits_a_global_stack_to_38_characters_with_us_west_2():
    """`<clusterName>-us-west-2-final-<8 hex>` (botocore rds model, CreateDBClusterSnapshot: 1 to 63)."""
    dr = {"region": "us-west-2", "mode": "global"}
    name = "a" * 38
    assert load({**GLOBAL_READY, "clusterName": name, "disasterRecovery": dr}).cluster_name == name
    [found] = problems({**GLOBAL_READY, "clusterName": name + "a", "disasterRecovery": dr})
    assert found.startswith(f"aurora:clusterName is {name + 'a'!r} (39 characters): the secondary final snapshot identifier")
    assert "use a clusterName of at most 38 characters" in found


def test_a_kms_key_of_another_region_is_refused():
    """RDS encrypts a cluster only with a key of the cluster's own region (CreateDBCluster KmsKeyId)."""
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert load({**SERVERLESS, "kmsKeyId": key}, region="eu-west-1").kms_key_id == key
    found = problems({**SERVERLESS, "kmsKeyId": key}, region="us-east-1")
    only_problem(found, "kmsKeyId", f"is {key!r}, a key in eu-west-1", "aws:region is us-east-1", "a key in us-east-1")


def test_an_invalid_value_is_replaced_by_its_default_for_the_later_rules():
    """A refused clusterName is not also measured against the identifier limit: one problem, one message."""
    name = "X" * 60
    only_problem(
        problems({**PROVISIONED, "clusterName": name}), "clusterName", f"is {name!r}:", "an RDS identifier has lower-case letters"
    )


@pytest.mark.parametrize("key", ["subnetIds", "allowedSecurityGroupIds"])
def test_an_id_list_that_is_a_number_is_refused_not_a_crash(key):
    only_problem(problems({**SERVERLESS, "network": {key: 5}}), f"network.{key}", "is 5:", "expected a list")


def test_the_secondary_placement_is_named_under_disaster_recovery():
    dr = {"region": "us-west-2", "mode": "global", "vpcId": "vpc-1", "subnetIds": ["subnet-1"], "allowedCidrs": ["8.8.8.0/24"]}
    found = problems({**GLOBAL_READY, "disasterRecovery": dr})
    assert len(found) == 3
    problem_about(found, "disasterRecovery.vpcId", "is 'vpc-1':", "a VPC id")
    problem_about(found, "disasterRecovery.subnetIds", "is ['subnet-1']:", "subnet-")
    problem_about(found, "disasterRecovery.allowedCidrs", "has '8.8.8.0/24':", "only private ranges")


def test_a_missing_dr_region_is_not_measured_into_the_secondary_identifier():
    name = "a" * 48  # with a region it would be measured; without one, only the missing region is reported
    found = problems({**GLOBAL_READY, "clusterName": name, "disasterRecovery": {"mode": "global"}})
    only_problem(found, "disasterRecovery.region", "is required")


def test_any_backtrack_window_is_refused_for_a_global_database():
    found = problems(
        {**PROVISIONED, "provisioned": {"backtrackHours": 0.5}, "disasterRecovery": {"region": "us-west-2", "mode": "global"}}
    )
    only_problem(found, "disasterRecovery.mode", "is global but aurora:provisioned.backtrackHours is 0.5", "does not allow")


# --- rules joining settings: a restored cluster, the master password, a Global Database ------

GLOBAL_ADVANCED = {
    **PROVISIONED,
    "provisioned": {"backtrackHours": 0, "insights": "advanced"},
    "disasterRecovery": {"region": "us-west-2", "mode": "global"},
}


def test_a_restored_stack_refuses_a_master_username_of_its_own():
    raw = {**PROVISIONED, "restoreFrom": {"snapshotIdentifier": "orders-seed"}, "masterUsername": "dba"}
    [found] = problems(raw)
    problem_about([found], "masterUsername", "is 'dba'", "aurora:restoreFrom is set", "keeps the snapshot's master user")


def test_a_master_password_version_outside_a_global_database_is_refused():
    [found] = problems({**PROVISIONED, "masterPasswordVersion": 2})
    problem_about([found], "masterPasswordVersion", "aurora:disasterRecovery.mode is not global", "Secrets Manager manages")


def test_a_master_password_version_in_a_global_database_is_accepted():
    raw = {**GLOBAL_ADVANCED, "provisioned": {"backtrackHours": 0}, "masterPasswordVersion": 2}
    assert load(raw).master_password_version == 2


def test_advanced_insights_on_a_global_database_primary_is_refused():
    [found] = problems(GLOBAL_ADVANCED)
    problem_about([found], "disasterRecovery.mode", "is global", "aurora:provisioned.insights is 'advanced'", "insights standard")


def test_a_global_databases_problems_are_reported_beside_the_other_combination_problems():
    raw = {**GLOBAL_ADVANCED, "restoreFrom": {"snapshotIdentifier": "orders-seed"}, "masterUsername": "dba"}
    found = problems(raw)
    assert problem_keys(found) == ["aurora:masterUsername", "aurora:disasterRecovery.mode"]
    problem_about(found, "masterUsername", "aurora:restoreFrom is set")
    problem_about(found, "disasterRecovery.mode", "aurora:provisioned.insights is 'advanced'")


def test_a_cluster_name_derived_from_the_stack_is_checked_with_its_project_and_stack():
    """The rules see the project and stack the default name comes from (the validation context)."""
    name = "a" * 58 + "-prod"
    found = problems(PROVISIONED, project="a" * 58)
    only_problem(found, "clusterName", f"is {name!r}", f"'{name}-final-ffffffff'", "78 characters", "at most 48 characters")


# --- the rule table: each rule alone ---------------------------------------------------------

OTHER_REGION_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DR = {"region": "us-west-2"}


def _adopting(stack: dict, **adopt: object) -> dict:
    """A console stack whose adoption section differs by `adopt`."""
    return {**stack, "adopt": {**stack["adopt"], **adopt}}


_ADOPTED_WRITER = CONSOLE_SERVERLESS["adopt"]["instances"]

# A stack that breaks exactly one rule of rules.RULES, by the rule's name.
BREAKS_ONE_RULE = {
    "serverless-min-not-above-max": {**SERVERLESS, "serverless": {"minCapacity": 8, "maxCapacity": 4}},
    "auto-pause-needs-min-capacity-zero": {
        **SERVERLESS,
        "serverless": {"minCapacity": 1, "maxCapacity": 4, "secondsUntilAutoPause": 600},
    },
    "reader-classes-not-beyond-readers": {
        **PROVISIONED,
        "provisioned": {"readers": 1, "readerInstanceClasses": ["db.r7g.large", "db.r6g.large"]},
    },
    "restore-from-exactly-one-source": {**PROVISIONED, "restoreFrom": {}},
    "network-needs-two-subnets": {**SERVERLESS, "network": {"vpcId": VPC, "subnetIds": SUBNETS[:1]}},
    "secondary-needs-two-subnets": {
        **GLOBAL_READY,
        "disasterRecovery": {**DR, "mode": "global", "vpcId": VPC, "subnetIds": SUBNETS[:1]},
    },
    "disaster-recovery-in-another-region": {**PROVISIONED, "disasterRecovery": {"region": "us-east-1"}},
    "disaster-recovery-in-the-same-partition": {**PROVISIONED, "disasterRecovery": {"region": "us-gov-west-1"}},
    "secondary-vpc-id-needs-mode-global": {**PROVISIONED, "disasterRecovery": {**DR, "vpcId": "default"}},
    "secondary-subnet-ids-needs-mode-global": {**PROVISIONED, "disasterRecovery": {**DR, "subnetIds": SUBNETS}},
    "secondary-allowed-cidrs-needs-mode-global": {**PROVISIONED, "disasterRecovery": {**DR, "allowedCidrs": ["10.0.0.0/16"]}},
    "secondary-instances-needs-mode-global": {**PROVISIONED, "disasterRecovery": {**DR, "instances": 2}},
    "serverless-needs-its-section": {"capacityType": "serverless"},
    "serverless-section-needs-serverless": {**PROVISIONED, "serverless": {"minCapacity": 0.5}},
    "provisioned-section-needs-provisioned": {**SERVERLESS, "provisioned": {}},
    "restore-needs-provisioned": {**SERVERLESS, "restoreFrom": {"snapshotIdentifier": "seed"}},
    "idle-stop-needs-client-ssm": {**PROVISIONED, "clientIdleStopMinutes": 60},
    "backup-window-outside-maintenance-window": {
        **SERVERLESS,
        "backupWindow": "05:00-06:00",
        "maintenanceWindow": "sun:05:30-sun:06:30",
    },
    "sample-data-needs-data-api": {**SERVERLESS, "sampleData": True, "dataApi": False},
    "app-user-needs-iam-authentication": {**SERVERLESS, "appUser": {"endpoint": "127.0.0.1:3307"}, "iamAuthentication": False},
    "restore-keeps-the-master-user": {**PROVISIONED, "restoreFrom": {"snapshotIdentifier": "seed"}, "masterUsername": "dba"},
    "password-version-needs-mode-global": {**PROVISIONED, "masterPasswordVersion": 2},
    "auto-pause-needs-engine-3.08": {**SERVERLESS, "engineVersion": "8.0.mysql_aurora.3.07.1"},
    "global-refuses-backtrack": {**PROVISIONED, "disasterRecovery": {**DR, "mode": "global"}},
    "global-refuses-advanced-insights": {
        **PROVISIONED,
        "provisioned": {"backtrackHours": 0, "insights": "advanced"},
        "disasterRecovery": {**DR, "mode": "global"},
    },
    "global-refuses-auto-pause": {**SERVERLESS, "disasterRecovery": {**DR, "mode": "global"}},
    "storage-key-in-the-cluster-region": {**SERVERLESS, "kmsKeyId": OTHER_REGION_KEY},
    # The final snapshot's name is the longest a provisioned stack derives: 48 characters fit.
    "cluster-name-fits": {**PROVISIONED, "clusterName": "a" * 49},
    # Aurora User Guide, "Supported Regions and Aurora DB engines for Amazon RDS Proxy": Aurora MySQL 2
    # and 3 only.
    "proxy-needs-a-listed-engine": {
        **PROVISIONED,
        "provisioned": {"proxy": True},
        "engineVersion": "8.4.mysql_aurora.8.4.7",
    },
    "adopt-cluster-is-cluster-name": _adopting(CONSOLE_SERVERLESS, cluster="database-2"),
    "adopt-log-groups-within-log-exports": _adopting(CONSOLE_SERVERLESS, logGroups=["error", "audit"]),
    "adopt-instances-match-the-shape": _adopting(CONSOLE_PROVISIONED, instances=CONSOLE_PROVISIONED["adopt"]["instances"][:1]),
    "adopt-instances-keep-their-names": _adopting(
        CONSOLE_PROVISIONED,
        instances=[
            {"identifier": "orders-instance-1", "availabilityZone": "us-east-1a"},
            {"identifier": "orders-reader", "availabilityZone": "us-east-1b"},
        ],
    ),
    "adopt-is-protected": {**CONSOLE_SERVERLESS, "protect": False},
    "instance-identifiers-one-per-instance": {
        **{key: value for key, value in CONSOLE_PROVISIONED.items() if key != "adopt"},
        "instanceIdentifiers": ["orders-instance-1"],
    },
    "adopt-zones-in-the-region": _adopting(
        CONSOLE_SERVERLESS, instances=[{"identifier": "database-1-instance-1", "availabilityZone": "eu-west-1a"}]
    ),
    "adopt-names-the-subnets": {**CONSOLE_SERVERLESS, "network": {"vpcId": "default"}},
    "adopt-not-with-restore-from": {**CONSOLE_PROVISIONED, "restoreFrom": {"snapshotIdentifier": "seed"}},
}


def test_every_rule_has_its_own_name_and_a_stack_that_breaks_it():
    names = [rule.name for rule in rules.RULES]
    assert len(names) == len(set(names))
    # The name limits are one rule; tests/settings/test_derived_names.py breaks each derived name's limit.
    assert set(BREAKS_ONE_RULE) == set(names)


@pytest.mark.parametrize("name", sorted(BREAKS_ONE_RULE))
def test_each_rule_alone_refuses_its_stack(name, monkeypatch):
    """With the rule, one message that names the rule's setting first; without it, the stack loads."""
    [rule] = [rule for rule in rules.RULES if rule.name == name]
    [message] = problems(BREAKS_ONE_RULE[name])
    assert message.startswith(f"aurora:{rule.setting} ")
    monkeypatch.setattr(rules, "RULES", tuple(other for other in rules.RULES if other is not rule))
    load(BREAKS_ONE_RULE[name])


def test_more_reader_classes_than_readers_are_refused_naming_both_settings():
    [message] = problems(BREAKS_ONE_RULE["reader-classes-not-beyond-readers"])
    assert message == (
        "aurora:provisioned.readerInstanceClasses is ['db.r7g.large', 'db.r6g.large']: allowed is at most one "
        "class per reader, and aurora:provisioned.readers is 1; remove classes or raise readers"
    )


def test_the_placement_messages_say_what_to_do():
    [two] = problems(BREAKS_ONE_RULE["network-needs-two-subnets"])
    assert two.endswith(": a VPC other than the default needs at least two subnets in different Availability Zones")
    [key] = problems(BREAKS_ONE_RULE["secondary-instances-needs-mode-global"])
    assert key.endswith("it places the secondary cluster of mode global; remove it or use mode global")


def test_a_serverless_stack_without_its_section_is_told_only_that():
    """The capacity rules judge a serverless section the stack file sets: the defaults standing in
    for a missing one (minCapacity 0) must not add a pause refusal to the missing section's."""
    found = helpers.problems({"capacityType": "serverless", "engineVersion": "8.0.mysql_aurora.3.07.1"})
    only_problem(found, "serverless", "is required for capacityType serverless")


# --- adopting a cluster built in the console --------------------------------------------------


def test_the_console_stacks_load_with_their_adoption_sections():
    serverless, provisioned = load(CONSOLE_SERVERLESS), load(CONSOLE_PROVISIONED)
    assert serverless.adopt is not None and provisioned.adopt is not None
    assert [i.identifier for i in provisioned.adopt.instances] == ["orders-instance-1", "orders-instance-1-us-east-1b"]
    assert serverless.adopt.live.manage_master_user_password is False
    assert provisioned.adopt.accept_changes == (
        "masterPasswordToSecretsManager",
        "securityGroups",
        "parameterGroup",
        "instanceSettings",
        "insightsAndMonitoring",
        "tags",
    )
    assert [i.identifier for i in provisioned.adopt.live.instances] == ["orders-instance-1", "orders-instance-1-us-east-1b"]


def test_an_adopted_cluster_under_another_name_is_refused_naming_the_name_to_set():
    [message] = problems(BREAKS_ONE_RULE["adopt-cluster-is-cluster-name"])
    assert message == (
        "aurora:adopt.cluster is 'database-2' but aurora:clusterName is 'database-1': the cluster is imported under "
        "the name it has (a new identifier renames it); set clusterName to database-2"
    )


def test_a_log_group_of_a_type_not_exported_is_refused_naming_it():
    [message] = problems(BREAKS_ONE_RULE["adopt-log-groups-within-log-exports"])
    assert message.startswith("aurora:adopt.logGroups is ['error', 'audit'] but aurora:logExports is ['error', 'slowquery']")
    assert message.endswith("remove audit or export it")


def test_a_serverless_stack_adopts_exactly_one_instance():
    two = _adopting(CONSOLE_SERVERLESS, instances=[*_ADOPTED_WRITER, {"identifier": "r", "availabilityZone": "us-east-1b"}])
    [message] = problems(two)
    assert message.startswith("aurora:adopt.instances has 2 instances but the settings declare 1 (serverless: the writer)")
    assert message.endswith("delete the readers first or adopt it as capacityType provisioned")


def test_a_provisioned_stack_adopts_the_writer_and_each_reader():
    [message] = problems(BREAKS_ONE_RULE["adopt-instances-match-the-shape"])
    assert message.startswith(
        "aurora:adopt.instances has 1 instances but the settings declare 2 (provisioned: the writer and 1 readers)"
    )
    assert message.endswith("set provisioned.readers to 0")


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("acceptChanges", ["securityGroup"], "expected distinct values from masterPasswordToSecretsManager, securityGroups"),
        ("acceptChanges", ["securityGroups", "securityGroups"], "expected distinct values from"),
        ("logGroups", ["errors"], "expected distinct values from audit, error"),
        ("instances", [], "expected at least one item"),
    ],
)
def test_adoption_values_are_checked_naming_the_key_and_what_is_allowed(key, value, fragment):
    [message] = problems(_adopting(CONSOLE_SERVERLESS, **{key: value}))
    assert message.startswith(f"aurora:adopt.{key} is {value!r}: {fragment}")


def test_the_subnet_group_named_default_cannot_be_imported():
    """terraform-provider-aws internal/service/rds/validate.go validSubnetGroupName refuses `default`."""
    subnet_group = {"name": "default"}
    [message] = problems(_adopting(CONSOLE_SERVERLESS, subnetGroup=subnet_group))
    assert message.startswith("aurora:adopt.subnetGroup.name is 'default': the AWS provider imports")


def test_the_live_attributes_are_required_as_ops_adopt_writes_them():
    found = problems(_adopting(CONSOLE_SERVERLESS, live={"engineMode": "provisioned"}))
    assert "aurora:adopt.live.storageEncrypted is required: StorageEncrypted (an unencrypted cluster cannot be adopted)" in found
    # Every key but engineMode and the three that are absent on a cluster without them (kmsKeyId,
    # globalClusterIdentifier, databaseInsightsMode).
    assert len(found) == 11
