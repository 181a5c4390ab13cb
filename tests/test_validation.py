"""Each validation rule on its own: accepted values, refused values, and what the message says."""

import pytest
from conftest import refusal

from settings import checks as v


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


@pytest.mark.parametrize("value", [0, 0.5, 4, 256])
def test_capacity_accepts_half_acu_steps(value):
    assert refusal("serverless.minCapacity", value) is None


@pytest.mark.parametrize("value", [0.3, -1, 256.5, 300, "0.25"])
def test_capacity_refuses_values_off_the_half_acu_grid_or_out_of_range(value):
    message = refusal("serverless.maxCapacity", value)
    assert message == f"aurora:serverless.maxCapacity is {value!r}: allowed values are 1 to 256 ACU in steps of 0.5"


@pytest.mark.parametrize("name", ["aurora-dev", "a", "db1-prod"])
def test_identifier_accepts_rds_identifiers(name):
    assert refusal("clusterName", name) is None


@pytest.mark.parametrize("name", ["1db", "Aurora", "db--x", "db-", "db_x", ""])
def test_identifier_refuses_what_rds_refuses(name):
    assert "RDS identifier" in refusal("clusterName", name)


@pytest.mark.parametrize("window", ["03:00-04:00", "23:45-00:15"])
def test_backup_window_accepts_30_minutes_or_more_even_across_midnight(window):
    assert refusal("backupWindow", window) is None


@pytest.mark.parametrize("window", ["03:00-03:15", "3:00-04:00", "25:00-26:00", "03:00"])
def test_backup_window_refuses_short_or_malformed_windows(window):
    assert "hh:mm-hh:mm in UTC, at least 30 minutes" in refusal("backupWindow", window)


def test_maintenance_window_format():
    assert refusal("maintenanceWindow", "sun:05:00-sun:06:00") is None
    assert refusal("maintenanceWindow", "sat:23:30-sun:00:30") is None
    assert "ddd:hh:mm-ddd:hh:mm" in refusal("maintenanceWindow", "sunday 5am")
    assert "at least 30 minutes" in refusal("maintenanceWindow", "sun:05:00-sun:05:10")


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


def test_log_exports_accept_aurora_mysql_types_only():
    assert refusal("logExports", ["audit", "error", "general", "slowquery"]) is None
    assert "distinct values from audit, error" in refusal("logExports", ["postgresql"])
    assert "distinct" in refusal("logExports", ["error", "error"])


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


def test_backtrack_is_limited_to_72_hours():
    assert refusal("provisioned.backtrackHours", 72) is None
    assert refusal("provisioned.backtrackHours", 0) is None
    assert "0 (off) to 72 hours" in refusal("provisioned.backtrackHours", 73)


def test_tags_refuse_reserved_prefix_and_non_string_values():
    assert refusal("tags", {"Team": "data"}) is None
    assert "may not start with aws:" in refusal("tags", {"aws:owner": "x"})
    assert "at most 256 characters" in refusal("tags", {"Cost": "c" * 257})


def test_mysql_user_refuses_reserved_names():
    assert refusal("masterUsername", "admin") is None
    assert "not one of rdsadmin" in refusal("masterUsername", "rdsadmin")


def test_choice_message_lists_allowed_values():
    assert refusal("client", "cloud9") == "aurora:client is 'cloud9': allowed values are ssm, none"
