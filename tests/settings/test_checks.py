"""Each validation rule on its own (settings/checks.py): the values it accepts, the values it must
refuse, at its boundaries, and its message (exact where the user acts on it).

The limits come from the RDS API as botocore's service model documents it (the `rds` model's
CreateDBCluster, Tag and CreateDBClusterSnapshot shapes); the first tests read that model so a
limit here cannot drift from its source unnoticed.
"""

from __future__ import annotations

import ast
import re

import botocore.session
import pytest
from pydantic.alias_generators import to_camel

from awsfacts.engine_versions import aurora_mysql_3_release
from plan.engine import PROJECT_ROOT
from settings import checks as v
from settings.model import AppUserConfig, NetworkConfig, ProvisionedConfig, RestoreFromConfig, ServerlessConfig, StackConfig
from tests.settings.helpers import refusal


@pytest.fixture(scope="module")
def rds_model():
    return botocore.session.get_session().get_service_model("rds")


def _documentation(rds_model, shape: str, member: str) -> str:
    text = rds_model.shape_for(shape).members[member].documentation
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def test_the_limits_pinned_here_are_the_ones_botocore_documents(rds_model):
    """Source: botocore's `rds` service model (the RDS API reference text)."""
    assert "from 1 to 63 (for Aurora DB clusters)" in _documentation(rds_model, "CreateDBClusterMessage", "DBClusterIdentifier")
    maintenance = _documentation(rds_model, "CreateDBClusterMessage", "PreferredMaintenanceWindow")
    assert "ddd:hh24:mi-ddd:hh24:mi" in maintenance and "Must be at least 30 minutes" in maintenance
    backup = _documentation(rds_model, "CreateDBClusterMessage", "PreferredBackupWindow")
    assert "hh24:mi-hh24:mi" in backup and "Must be at least 30 minutes" in backup
    key, value = _documentation(rds_model, "Tag", "Key"), _documentation(rds_model, "Tag", "Value")
    assert "from 1 to 128 Unicode characters in length and can't be prefixed with aws: or rds:" in key
    assert "from 1 to 256 Unicode characters in length and can't be prefixed with aws: or rds:" in value


def test_every_validator_is_used_by_the_configuration_loader():
    """A rule nothing calls protects nothing: each public `check_*` is called from the configuration
    models (settings/model.py), the rules (settings/rules.py) or the loader (settings/loading.py)."""
    validators = {name for name in dir(v) if name.startswith("check_")}
    called = set()
    for module in ("loading.py", "model.py", "rules.py"):
        tree = ast.parse((PROJECT_ROOT / "settings" / module).read_text())
        called |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr.startswith("check_")}
    assert validators - called == set()


# --- a value of the wrong type ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("clusterName", 5, "expected text"),
        ("engineVersion", None, "expected text"),
        ("appUser.name", None, "expected text"),
        ("maintenanceWindow", 5, "expected text"),
        ("provisioned.instanceClass", 5, "expected text"),
        ("network.vpcId", None, "expected text"),
        ("restoreFrom.stack", 5, "expected text"),
        ("restoreFrom.snapshotIdentifier", 5, "expected text"),
        ("appUser.endpoint", 3306, "expected text"),
        ("kmsKeyId", 5, "expected text"),
        ("alarmEmail", 5, "expected text"),
        ("serverless.maxCapacity", True, "expected a number"),
        ("provisioned.backtrackHours", "a day", "expected a number"),
        ("clientIdleStopMinutes", 30.5, "expected a whole number"),
        ("logExports", "error", "expected a list"),
        ("network.allowedSecurityGroupIds", "sg-0123abcd", "expected a list"),
    ],
)
def test_a_value_of_the_wrong_type_is_told_the_type_and_what_the_setting_is_for(key, value, expected):
    """pydantic judges the type (strictly: `true` is no number, 5 no text) before the setting's own
    rule; the line names the type and then the setting's description, the one place it is written."""
    section, _, name = key.rpartition(".")
    model = {
        "": StackConfig,
        "serverless": ServerlessConfig,
        "provisioned": ProvisionedConfig,
        "appUser": AppUserConfig,
        "network": NetworkConfig,
        "restoreFrom": RestoreFromConfig,
    }[section]
    [description] = [
        field.description for field_name, field in model.model_fields.items() if (field.alias or to_camel(field_name)) == name
    ]
    assert refusal(key, value) == f"aurora:{key} is {value!r}: {expected}: {description}"


@pytest.mark.parametrize("items, item", [(["sg-0123abcd", 5], 5), ([None], None)])
def test_an_item_of_the_wrong_type_is_named_in_its_list(items, item):
    assert refusal("network.allowedSecurityGroupIds", items).startswith(
        f"aurora:network.allowedSecurityGroupIds has {item!r}: expected text: "
    )


def test_a_tag_that_is_not_text_is_named_by_its_key():
    assert refusal("tags", {"Cost": 5}).startswith("aurora:tags.Cost is 5: expected text: ")
    assert refusal("tags", {5: "x"}) == "aurora:tags has key 5: expected text"


# --- identifiers and names -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aurora-dev", "a", "db1-prod"])
def test_identifier_accepts_rds_identifiers(name):
    assert refusal("clusterName", name) is None


@pytest.mark.parametrize("name", ["1db", "Aurora", "db--x", "db-", "db_x", ""])
def test_identifier_refuses_what_rds_refuses(name):
    assert "RDS identifier" in refusal("clusterName", name)


def test_the_identifier_rule_checks_the_characters_and_leaves_the_length_to_the_stack_rule():
    """A 70-character name is told its limit once, by the rule `cluster-name-fits` (the tightest
    derived name, 48 or fewer), never "1 to 63" first (issue 27)."""
    assert v.check_identifier("a" * 70) is None
    assert refusal("clusterName", "a" * 63 + "_") == (
        f"aurora:clusterName is {'a' * 63 + '_'!r}: an RDS identifier has lower-case letters, digits or "
        "hyphens, starts with a letter, and has no trailing or double hyphen"
    )


@pytest.mark.parametrize("value", ["a-b--c", "-ab", "ab-"])
def test_identifier_refuses_misplaced_hyphens(value):
    assert refusal("clusterName", value).startswith(f"aurora:clusterName is {value!r}: an RDS identifier")


def test_mysql_user_refuses_reserved_names():
    assert refusal("masterUsername", "admin") is None
    assert "not one of rdsadmin" in refusal("masterUsername", "rdsadmin")


@pytest.mark.parametrize("name", ["RDSADMIN", "RdsAdmin", "ROOT", "rdsrepladmin"])
def test_reserved_user_names_are_refused_whatever_their_case(name):
    assert refusal("masterUsername", name) == (
        f"aurora:masterUsername is {name!r}: a user name has 1 to 16 letters, digits or underscores, starts with "
        "a letter, and is not one of rdsadmin, rdsrepladmin, root, mysql.sys, mysql.session"
    )


def test_user_names_have_at_most_16_characters_starting_with_a_letter():
    assert refusal("appUser.name", "a" * 16) is None
    assert refusal("appUser.name", "app_user_2") is None
    for refused in ("a" * 17, "2app", "app-user", ""):
        assert refusal("appUser.name", refused).startswith(f"aurora:appUser.name is {refused!r}: a user name")


# --- windows ---------------------------------------------------------------------------------


def test_maintenance_window_format():
    assert refusal("maintenanceWindow", "sun:05:00-sun:06:00") is None
    assert refusal("maintenanceWindow", "sat:23:30-sun:00:30") is None
    assert "ddd:hh:mm-ddd:hh:mm" in refusal("maintenanceWindow", "sunday 5am")
    assert "at least 30 minutes" in refusal("maintenanceWindow", "sun:05:00-sun:05:10")


@pytest.mark.parametrize("window", ["sun:05:00-sun:05:30", "sun:23:45-mon:00:15", "Sun:05:00-Sun:06:00"])
def test_maintenance_window_of_exactly_30_minutes_is_accepted(window):
    assert refusal("maintenanceWindow", window) is None


@pytest.mark.parametrize("window", ["sun:05:00-sun:05:29", "sun:23:50-mon:00:10", "sun:05:00-sun:05:00", "sun:05:00"])
def test_maintenance_window_under_30_minutes_or_malformed_is_refused(window):
    assert refusal("maintenanceWindow", window) == (
        f"aurora:maintenanceWindow is {window!r}: expected ddd:hh:mm-ddd:hh:mm in UTC (days mon..sun), at least 30 minutes long"
    )


def test_maintenance_window_converts_to_minutes_since_monday():
    assert v.maintenance_interval("mon:00:00-mon:00:30") == (0, 30)
    assert v.maintenance_interval("SUN:23:59-mon:00:29") == (6 * 1440 + 23 * 60 + 59, 29)
    assert v.maintenance_interval("wed:10:05-thu:01:00") == (2 * 1440 + 605, 3 * 1440 + 60)


@pytest.mark.parametrize("window", ["03:00-04:00", "23:45-00:15"])
def test_backup_window_accepts_30_minutes_or_more_even_across_midnight(window):
    assert refusal("backupWindow", window) is None


@pytest.mark.parametrize("window", ["03:00-03:15", "3:00-04:00", "25:00-26:00", "03:00"])
def test_backup_window_refuses_short_or_malformed_windows(window):
    assert "hh:mm-hh:mm in UTC, at least 30 minutes" in refusal("backupWindow", window)


@pytest.mark.parametrize("window", ["03:00-03:30", "23:45-00:15"])
def test_backup_window_of_exactly_30_minutes_is_accepted(window):
    assert refusal("backupWindow", window) is None


@pytest.mark.parametrize("window", ["03:00-03:29", "23:50-00:10", "03:00-04:60"])
def test_backup_window_under_30_minutes_or_malformed_is_refused(window):
    assert refusal("backupWindow", window) == (
        f"aurora:backupWindow is {window!r}: expected hh:mm-hh:mm in UTC, at least 30 minutes long"
    )


@pytest.mark.parametrize(
    "backup, maintenance",
    [("05:00-06:00", "sun:05:30-sun:06:30"), ("23:30-00:30", "mon:00:00-mon:00:45"), ("00:00-00:45", "sun:23:30-mon:00:30")],
)
def test_overlapping_windows_are_refused_including_across_midnight_and_the_week_boundary(backup, maintenance):
    message = v.check_windows_do_not_overlap(backup, maintenance)
    assert "overlaps" in message and backup in message and maintenance in message


def test_disjoint_windows_are_accepted():
    assert v.check_windows_do_not_overlap("03:00-04:00", "sun:05:00-sun:06:00") is None
    assert v.check_windows_do_not_overlap("03:00-04:00", "sun:04:00-sun:05:00") is None


@pytest.mark.parametrize(
    "backup, maintenance",
    [
        ("04:00-05:00", "sun:05:00-sun:06:00"),  # maintenance starts as the backup ends
        ("06:00-07:00", "sun:05:00-sun:06:00"),  # the backup starts as maintenance ends
        ("00:00-01:00", "sun:23:00-mon:00:00"),  # touching across the end of the week
        ("23:00-00:00", "mon:00:00-mon:01:00"),  # touching across midnight at the start of the week
    ],
)
def test_windows_that_touch_without_overlapping_are_accepted(backup, maintenance):
    assert v.check_windows_do_not_overlap(backup, maintenance) is None


def test_a_backup_window_ending_where_it_starts_lasts_a_day_and_meets_every_maintenance_window():
    assert v.check_windows_do_not_overlap("03:00-03:00", "wed:12:00-wed:12:30") is not None


def test_overlapping_windows_message_names_both_settings():
    assert v.check_windows_do_not_overlap("05:00-06:00", "wed:05:59-wed:06:30") == (
        "aurora:backupWindow '05:00-06:00' overlaps aurora:maintenanceWindow 'wed:05:59-wed:06:30': RDS requires "
        "them to be disjoint; move one of them"
    )


@pytest.mark.parametrize("maintenance", ["mon:00:30-mon:01:00", "sun:23:00-mon:00:31", "sat:23:59-sun:00:29"])
def test_a_daily_backup_overlaps_maintenance_on_any_day_and_across_the_week_boundary(maintenance):
    assert v.check_windows_do_not_overlap("00:00-00:45", maintenance) is not None


@pytest.mark.parametrize(
    "first, second, overlap",
    [
        ((60, 300), (120, 240), True),  # the second inside the first
        ((60, 180), (120, 240), True),  # the second starts inside the first and ends after it
        ((60, 120), (120, 180), False),  # the first ends as the second starts
        ((120, 180), (60, 120), False),  # the first starts as the second ends
        ((30, 90), (1410, 1500), True),  # the second passes midnight into the first
        ((1410, 1500), (30, 90), True),  # the first passes midnight over the second
        ((1410, 1440), (0, 60), False),  # touching at midnight
    ],
)
def test_two_daily_intervals_overlap_only_when_they_share_a_minute_on_the_clock(first, second, overlap):
    """The DR backup job (components/disaster_recovery.py) must miss the stack's backup window: daily
    intervals in minutes since 00:00 UTC, an end past midnight (daily_interval) wraps to the next day."""
    assert v.daily_overlaps_daily(first, second) is overlap


# --- numbers and choices ---------------------------------------------------------------------


def test_choice_message_lists_allowed_values():
    assert refusal("client", "cloud9") == "aurora:client is 'cloud9': allowed values are ssm, none"


@pytest.mark.parametrize(
    "value, refused", [(1, False), (35, False), ("7", False), (0, True), (36, True), (7.0, True), (True, True), ("seven", True)]
)
def test_int_range_accepts_its_bounds_and_only_whole_numbers(value, refused):
    message = refusal("backupRetentionDays", value)
    expected = f"aurora:backupRetentionDays is {value!r}: allowed values are whole numbers from 1 to 35"
    assert message == (expected if refused else None)


@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_booleans_are_only_true_or_false(value):
    assert refusal("dataApi", value) == f"aurora:dataApi is {value!r}: allowed values are true or false"
    assert refusal("dataApi", False) is None


@pytest.mark.parametrize("value", [0, 0.5, 4, 256])
def test_capacity_accepts_half_acu_steps(value):
    assert refusal("serverless.minCapacity", value) is None


@pytest.mark.parametrize("value", [0.3, -1, 256.5, 300, "0.25"])
def test_capacity_refuses_values_off_the_half_acu_grid_or_out_of_range(value):
    message = refusal("serverless.maxCapacity", value)
    assert message == f"aurora:serverless.maxCapacity is {value!r}: allowed values are 1 to 256 ACU in steps of 0.5"


def test_capacity_minimum_depends_on_the_setting():
    assert refusal("serverless.minCapacity", 0) is None
    assert refusal("serverless.maxCapacity", 0.5) == (
        "aurora:serverless.maxCapacity is 0.5: allowed values are 1 to 256 ACU in steps of 0.5"
    )
    assert refusal("serverless.maxCapacity", 1) is None
    assert refusal("serverless.maxCapacity", 255.5) is None


def test_backtrack_is_limited_to_72_hours():
    assert refusal("provisioned.backtrackHours", 72) is None
    assert refusal("provisioned.backtrackHours", 0) is None
    assert "0 (off) to 72 hours" in refusal("provisioned.backtrackHours", 73)


@pytest.mark.parametrize("hours", [0.5, 1.25, 72, 0])
def test_backtrack_accepts_whole_seconds_up_to_72_hours(hours):
    assert refusal("provisioned.backtrackHours", hours) is None


@pytest.mark.parametrize("hours", [-1, 72.5, 1 / 7, "72.5"])
def test_backtrack_refuses_negative_fractional_seconds_and_non_numbers(hours):
    assert refusal("provisioned.backtrackHours", hours) == (
        f"aurora:provisioned.backtrackHours is {hours!r}: allowed values are 0 (off) to 72 hours"
    )


@pytest.mark.parametrize("version", ["8.0.mysql_aurora.3.10.5", "8.0.mysql_aurora.3.08.0", "8.4.mysql_aurora.4.0.1"])
def test_engine_version_accepts_aurora_mysql_3_and_8_4(version):
    assert refusal("engineVersion", version) is None


def test_engine_version_refuses_the_workshops_serverless_v1_version():
    message = refusal("engineVersion", "5.6.10a")
    assert message.startswith("aurora:engineVersion is '5.6.10a'")
    assert "end of life" in message and "8.0.mysql_aurora.3.10.5" in message


@pytest.mark.parametrize("version", ["5.7.mysql_aurora.2.11.2", "5.7.12"])
def test_engine_version_refuses_mysql_5_7_as_out_of_support(version):
    assert "out of standard support" in refusal("engineVersion", version)


@pytest.mark.parametrize("version", ["8.0", "latest", "8.0.mysql_aurora.3.10", "3"])
def test_engine_version_refuses_malformed_versions(version):
    message = refusal("engineVersion", version)
    assert message.startswith(f"aurora:engineVersion is {version!r}: ")
    assert "8.0.mysql_aurora.3.10.5 (LTS)" in message


def test_auto_pause_needs_aurora_mysql_3_08():
    assert "3.08 or later" in v.check_engine_supports_auto_pause("8.0.mysql_aurora.3.07.1")
    assert v.check_engine_supports_auto_pause("8.0.mysql_aurora.3.08.0") is None
    assert v.check_engine_supports_auto_pause("8.4.mysql_aurora.4.0.1") is None


def test_engine_version_minor_is_read_from_aurora_mysql_3_only():
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.10.5") == (3, 10, 5)
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.07.1") == (3, 7, 1)
    assert aurora_mysql_3_release("8.4.mysql_aurora.4.0.1") is None


def test_auto_pause_message_names_both_settings():
    assert v.check_engine_supports_auto_pause("8.0.mysql_aurora.3.07.1") == (
        "aurora:serverless.minCapacity is 0 but aurora:engineVersion is '8.0.mysql_aurora.3.07.1': pausing at 0 "
        "ACU needs Aurora MySQL 3.08 or later; raise engineVersion or set minCapacity to 0.5 or more"
    )


@pytest.mark.parametrize(
    "version, fragment",
    [
        ("5.6.10a", "Aurora MySQL 1 (MySQL 5.6) and Aurora Serverless v1 reached end of life in 2025"),
        ("8.0.mysql_aurora.1.22.2", "Aurora MySQL 1 (MySQL 5.6)"),
        ("8.0.mysql_aurora.2.11.2", "Aurora MySQL 2 (MySQL 5.7) is out of standard support"),
        ("8.0.mysql_aurora.3.1.0", "expected 8.0.mysql_aurora.3.<minor>.<patch> or 8.4.mysql_aurora.<version>"),
        ("8.4.mysql_aurora.4.0", "expected 8.0.mysql_aurora.3.<minor>.<patch>"),
        ("latest", "use an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.5 (LTS) or Aurora MySQL 8.4"),
    ],
)
def test_engine_version_explains_each_refusal(version, fragment):
    message = refusal("engineVersion", version)
    assert message.startswith(f"aurora:engineVersion is {version!r}: ") and fragment in message
    assert message.endswith("use an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.5 (LTS) or Aurora MySQL 8.4")


@pytest.mark.parametrize("instance_class", ["db.r7g.large", "db.r5.large", "db.r8g.2xlarge", "db.r6i.xlarge"])
def test_instance_class_accepts_aurora_mysql_3_classes(instance_class):
    assert refusal("provisioned.instanceClass", instance_class) is None


def test_instance_class_needs_the_db_prefix():
    assert "start with `db.`" in refusal("provisioned.instanceClass", "r7g.large")


def test_instance_class_refuses_burstable_classes_for_the_data_api():
    assert "db.t* classes do not support the Data API" in refusal("provisioned.instanceClass", "db.t4g.medium")


@pytest.mark.parametrize("instance_class", ["db.m5.large", "db.r7g.huge", "db.serverless"])
def test_instance_class_refuses_unsupported_families_and_sizes(instance_class):
    assert "Aurora MySQL 3 runs on" in refusal("provisioned.instanceClass", instance_class)


@pytest.mark.parametrize("value", [None, "db.r7g", "db.r7g.large.x", "db.t4g", "db.r7g.medium"])
def test_instance_class_refuses_incomplete_or_unknown_shapes(value):
    message = refusal("provisioned.instanceClass", value)
    assert message is not None and message.startswith(f"aurora:provisioned.instanceClass is {value!r}: ")


def test_instance_class_messages():
    assert refusal("provisioned.instanceClass", "db.t4g.medium") == (
        "aurora:provisioned.instanceClass is 'db.t4g.medium': db.t* classes do not support the Data API and are "
        "not meant for production; use db.r7g.large or another memory-optimized class"
    )
    assert refusal("provisioned.instanceClass", "db.m5.large") == (
        "aurora:provisioned.instanceClass is 'db.m5.large': Aurora MySQL 3 runs on db.<family>.<size> with family "
        "one of r5, r6g, r6i, r7g, r7i, r8g, x2g (for example db.r7g.large)"
    )
    assert refusal("provisioned.instanceClass", "r7g.large") == (
        "aurora:provisioned.instanceClass is 'r7g.large': instance classes start with `db.`, for example db.r7g.large"
    )


def test_log_exports_accept_aurora_mysql_types_only():
    assert refusal("logExports", ["audit", "error", "general", "slowquery"]) is None
    assert "distinct values from audit, error" in refusal("logExports", ["postgresql"])
    assert "distinct" in refusal("logExports", ["error", "error"])


@pytest.mark.parametrize("value", [["error", "postgresql"], ["error", "error"], []])
def test_log_exports_refuse_non_lists_and_unknown_types(value):
    message = refusal("logExports", value)
    if value == []:
        assert message is None
    else:
        assert message == (
            f"aurora:logExports is {value!r}: expected distinct values from audit, error, general, slowquery, "
            "instance, iam-db-auth-error"
        )


# --- network ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["default", "vpc-0123abcd", "vpc-0123456789abcdef0"])
def test_vpc_id_accepts_default_and_8_to_17_hex_digits(value):
    assert refusal("network.vpcId", value) is None


@pytest.mark.parametrize("value", ["vpc-0123abc", "vpc-0123456789abcdef01", "vpc-0123ABCD", "subnet-0123abcd", "Default"])
def test_vpc_id_refuses_anything_else(value):
    assert refusal("network.vpcId", value) == (
        f"aurora:network.vpcId is {value!r}: allowed values are `default` or a VPC id (vpc-...)"
    )


@pytest.mark.parametrize("values", [[], ["sg-0123abcd"], ["sg-0123abcd", "sg-0123456789abcdef0"]])
def test_id_lists_accept_distinct_well_formed_ids(values):
    assert refusal("network.allowedSecurityGroupIds", values) is None


@pytest.mark.parametrize(
    "values",
    [
        ["sg-0123abcd", "sg-0123abcd"],  # duplicates
        ["sg-0123abcd", "subnet-0123abcd"],  # one id of another kind
        ["sg-0123"],
        ["xsg-0123abcd"],
        ["sg-0123abcd "],
    ],
)
def test_id_lists_refuse_anything_but_a_list_of_distinct_ids(values):
    assert refusal("network.allowedSecurityGroupIds", values) == (
        f"aurora:network.allowedSecurityGroupIds is {values!r}: expected a list of distinct sg-... ids"
    )


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "172.31.0.0/16", "192.168.1.0/24"])
def test_private_cidrs_are_admitted(cidr):
    assert refusal("network.allowedCidrs", [cidr]) is None


def test_world_open_cidr_is_refused():
    assert "world-open" in refusal("network.allowedCidrs", ["0.0.0.0/0"])


@pytest.mark.parametrize("cidr", ["8.8.8.0/24", "0.0.0.0/1", "52.0.0.0/8"])
def test_public_cidrs_are_refused(cidr):
    assert "only private ranges" in refusal("network.allowedCidrs", [cidr])


@pytest.mark.parametrize("cidr", ["10.0.0.1/16", "not-a-cidr", "10.0.0.0/33"])
def test_malformed_cidrs_are_refused(cidr):
    assert "expected an IPv4 CIDR" in refusal("network.allowedCidrs", [cidr])


@pytest.mark.parametrize("cidr", ["100.64.0.0/10", "100.127.0.0/16", "172.16.0.0/12", "10.0.0.0/8", "192.168.0.0/16"])
def test_private_and_shared_address_ranges_are_admitted(cidr):
    assert refusal("network.allowedCidrs", [cidr]) is None


@pytest.mark.parametrize("cidr", ["100.128.0.0/16", "172.32.0.0/16", "192.169.0.0/16", "11.0.0.0/8", "10.0.0.0/7"])
def test_ranges_just_outside_the_private_blocks_are_refused(cidr):
    assert refusal("network.allowedCidrs", [cidr]) == (
        f"aurora:network.allowedCidrs has {cidr!r}: only private ranges (10.0.0.0/8, 172.16.0.0/12, "
        "192.168.0.0/16, 100.64.0.0/10) are admitted; reach the database through the client host or a VPN instead"
    )


@pytest.mark.parametrize("cidr", ["10.0.0.0/16/1", "10.0.0.256/24", "ten"])
def test_a_cidr_that_is_not_one_is_named(cidr):
    assert refusal("network.allowedCidrs", [cidr]) == (
        f"aurora:network.allowedCidrs has {cidr!r}: expected an IPv4 CIDR such as 10.0.0.0/16"
    )


# --- tags ------------------------------------------------------------------------------------


def test_tags_refuse_reserved_prefix_and_non_string_values():
    assert refusal("tags", {"Team": "data"}) is None
    assert "may not start with aws:" in refusal("tags", {"aws:owner": "x"})
    assert "at most 256 characters" in refusal("tags", {"Cost": "c" * 257})


def test_tag_keys_up_to_128_and_values_up_to_256_characters_are_accepted():
    """Limits: RDS API Tag (botocore `rds` model, pinned above)."""
    assert refusal("tags", {"k" * 128: "v" * 256, "Empty": "", "k": "v"}) is None


@pytest.mark.parametrize("key", ["k" * 129, "", "aws:owner", "AWS:owner", "rds:owner"])
def test_tag_keys_too_long_empty_or_reserved_are_refused(key):
    assert refusal("tags", {key: "x"}) == (
        f"aurora:tags has key {key!r}: tag keys have 1 to 128 characters and may not start with aws: or rds:"
    )


@pytest.mark.parametrize("value", ["v" * 257, "aws:x", "rds:x"])
def test_tag_values_too_long_or_reserved_are_refused(value):
    assert refusal("tags", {"Team": value}) == (
        f"aurora:tags.Team is {value!r}: tag values are strings of at most 256 characters, not starting with aws: or rds:"
    )


def test_tags_must_be_a_map():
    assert refusal("tags", ["Team=data"]) == "aurora:tags is ['Team=data']: expected a map of names to text"


# --- references to other things --------------------------------------------------------------


KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MRK_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
KMS_WHY = (
    "expected a KMS key ARN arn:<partition>:kms:<region>:<12-digit account>:key/<key id, a UUID or mrk-<32 hex>>, "
    "because RDS reads back the key ARN and kms_key_id forces replacement of the cluster (anything else plans a "
    "replacement on every later preview); find it with `aws kms describe-key --key-id <alias> --query KeyMetadata.Arn`"
)


@pytest.mark.parametrize(
    "value", [KMS_KEY, MRK_KEY, "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
)
def test_kms_key_accepts_key_arns_of_a_uuid_or_a_multi_region_key(value):
    """Key ids: a UUID, or mrk- and 32 hex digits for a multi-Region key (AWS KMS Developer Guide, "Key identifiers")."""
    assert refusal("kmsKeyId", value, region=value.split(":")[3]) is None


@pytest.mark.parametrize(
    "value, kind",
    [
        ("arn:aws:kms:us-east-1:123456789012:alias/aurora", "an alias; "),
        ("alias/aurora", "an alias; "),
        ("alias/aws/rds", "an alias; "),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", "a bare key id; "),
        ("mrk-1234abcd12ab34cd56ef1234567890ab", "a bare key id; "),
        ("arn:aws:kms:us-east-1:123456789012:key/abc", ""),
        ("arn:aws:kms:us-east-1:12345:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""),
        ("arn:aws:s3:::bucket", ""),
        ("x:kms:y", ""),
    ],
)
def test_kms_key_refuses_aliases_bare_ids_and_other_arns(value, kind):
    """RDS stores and reads back the key ARN, and kms_key_id is ForceNew on aws_rds_cluster
    (terraform-provider-aws internal/service/rds/cluster.go; provider issues #1477, #38780): an alias
    or a key id would plan a replacement of the cluster on every later preview."""
    assert refusal("kmsKeyId", value) == f"aurora:kmsKeyId is {value!r}: {kind}{KMS_WHY}"


def test_a_kms_key_must_be_in_the_stacks_region():
    """RDS encrypts a cluster only with a key of its own region (RDS User Guide, "Encrypting Amazon
    Aurora resources": the key must be in the same Region as the cluster)."""
    assert v.check_kms_key_region("kmsKeyId", KMS_KEY, "us-east-1") is None
    assert v.check_kms_key_region("kmsKeyId", MRK_KEY, "us-east-1") is None
    assert v.check_kms_key_region("kmsKeyId", KMS_KEY, "eu-west-1") == (
        f"aurora:kmsKeyId is {KMS_KEY!r}, a key in us-east-1: the stack's aws:region is eu-west-1, and RDS encrypts "
        "a cluster only with a key of the cluster's own region; use the ARN of a key in eu-west-1"
    )


def test_a_stack_without_a_region_is_not_measured_against_the_keys():
    assert v.check_kms_key_region("kmsKeyId", KMS_KEY, "") is None


@pytest.mark.parametrize("value", ["127.0.0.1:3307", "db.example.com:3306", "DB.Example.com:3306", "h:1", "h:65535"])
def test_endpoint_accepts_host_and_port(value):
    assert refusal("appUser.endpoint", value) is None


@pytest.mark.parametrize("value", ["127.0.0.1", "h:0", "h:65536", "h:123456", "h :3306", "h:port", ":3306"])
def test_endpoint_refuses_missing_or_out_of_range_ports(value):
    assert refusal("appUser.endpoint", value) == (
        f"aurora:appUser.endpoint is {value!r}: expected host:port, for example 127.0.0.1:3307"
    )


@pytest.mark.parametrize("value", ["organization/aurora/dev", "my-org/aurora.v2/dev_1"])
def test_stack_reference_accepts_three_parts(value):
    assert refusal("restoreFrom.stack", value) is None


@pytest.mark.parametrize("value", ["aurora/dev", "org/aurora/dev/x", "org//dev", "org/aurora/dev env", "dev"])
def test_stack_reference_refuses_anything_but_organization_project_stack(value):
    assert refusal("restoreFrom.stack", value) == (
        f"aurora:restoreFrom.stack is {value!r}: expected organization/project/stack, for example organization/aurora/dev"
    )


@pytest.mark.parametrize(
    "value", ["aurora-dev-snapshot", "A", "a" * 255, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:aurora-dev-1"]
)
def test_snapshot_identifier_accepts_names_up_to_255_characters_and_arns(value):
    assert refusal("restoreFrom.snapshotIdentifier", value) is None


@pytest.mark.parametrize("value", ["a" * 256, "1snapshot", "snap_1", "", "snapshot:1"])
def test_snapshot_identifier_refuses_other_values(value):
    assert refusal("restoreFrom.snapshotIdentifier", value) == (
        f"aurora:restoreFrom.snapshotIdentifier is {value!r}: expected a cluster snapshot identifier or ARN"
    )


@pytest.mark.parametrize("value", ["ops@example.com", "first.last+alarms@mail.example.org"])
def test_email_accepts_addresses(value):
    assert refusal("alarmEmail", value) is None


@pytest.mark.parametrize("value", ["ops", "ops@example", "@example.com", "ops@", "o ps@example.com", "ops@ex ample.com"])
def test_email_refuses_what_cannot_receive_mail(value):
    assert refusal("alarmEmail", value) == f"aurora:alarmEmail is {value!r}: expected an e-mail address"


def test_setting_and_show_name_the_value_as_the_user_typed_it():
    assert v.setting("network.vpcId") == "aurora:network.vpcId"
    assert v.show("x") == "'x'" and v.show(None) == "None"


def test_the_world_open_refusal_reads_whole():
    assert refusal("network.allowedCidrs", ["0.0.0.0/0"]) == (
        "aurora:network.allowedCidrs has '0.0.0.0/0': world-open ranges are never admitted to the database"
    )


def test_a_client_subnet_that_is_no_subnet_id_reads_whole():
    assert (
        refusal("network.clientSubnetId", "subnet-1")
        == "aurora:network.clientSubnetId is 'subnet-1': expected a subnet id (subnet-...)"
    )
    assert refusal("network.clientSubnetId", "subnet-0123abcd") is None


def test_the_adoption_checks_say_what_is_allowed():
    assert v.check_availability_zone("us-east-1a") is None
    assert v.check_availability_zone("east") == "expected an Availability Zone name such as us-east-1a"
    assert v.check_distinct(["a", "b"]) is None
    assert v.check_distinct(["a", "a"]) == "expected distinct values"
    assert v.check_subnet_group_name("default-vpc-0abc1234") is None
    assert v.check_subnet_group_name("default") == (
        "the AWS provider imports a DB subnet group named with 1 to 255 lower-case letters, digits, spaces, periods, "
        "underscores or hyphens, and not `default` (terraform-provider-aws rds validSubnetGroupName): move the cluster "
        "to a subnet group of its own first"
    )
