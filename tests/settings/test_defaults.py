"""Configuration defaults per shape and the limits that sit exactly on a boundary (`load_settings`, pure)."""

from functools import partial

import pytest

from settings.model import DEFAULT_INSTANCE_CLASS, WORKSHOP_LOG_EXPORTS, ProvisionedConfig, ServerlessConfig
from tests.settings import helpers

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}


# A prod stack unless a test names another.
load = partial(helpers.load, stack="prod")
problems = partial(helpers.problems, stack="prod")


def test_a_minimal_provisioned_stack_is_protected_and_waits_for_the_maintenance_window():
    settings = load(PROVISIONED)
    assert settings.deletion_protection is True
    assert settings.apply_immediately is False


def test_a_minimal_provisioned_stack_gets_the_workshops_production_shape():
    settings = load(PROVISIONED)
    provisioned = settings.shape
    assert isinstance(provisioned, ProvisionedConfig)
    assert (provisioned.instance_class, provisioned.readers, provisioned.backtrack_hours) == (DEFAULT_INSTANCE_CLASS, 1, 24)
    assert (provisioned.monitoring_interval, provisioned.insights) == (60, "standard")
    assert settings.log_exports == WORKSHOP_LOG_EXPORTS
    assert settings.client == "none"
    assert settings.serverless is None and settings.restore_from is None and settings.disaster_recovery is None
    assert settings.cluster_name == "aurora-prod"
    assert (settings.master_username, settings.data_api, settings.iam_authentication) == ("admin", True, True)
    assert (settings.backup_retention_days, settings.backup_window, settings.maintenance_window) == (
        7,
        "03:00-04:00",
        "sun:05:00-sun:06:00",
    )
    assert (settings.log_retention_days, settings.kms_key_id, settings.alarm_email) == (30, None, None)
    assert (settings.sample_data, settings.drop_sample_data_on_delete, settings.app_user) == (False, False, None)
    assert settings.network.vpc_id == "default" and settings.network.subnet_ids == ()
    assert settings.network.allowed_security_group_ids == () and settings.network.allowed_cidrs == ()
    assert settings.network.client_subnet_id is None
    assert settings.tags == {}


def test_a_minimal_serverless_stack_applies_changes_at_once_and_is_not_protected():
    settings = load(SERVERLESS, stack="dev")
    assert settings.apply_immediately is True
    assert settings.deletion_protection is False
    assert settings.client == "ssm"
    assert isinstance(settings.shape, ServerlessConfig)


def test_explicit_deletion_protection_and_apply_immediately_are_kept():
    settings = load({**PROVISIONED, "deletionProtection": False, "applyImmediately": True})
    assert (settings.deletion_protection, settings.apply_immediately) == (False, True)


def test_equal_minimum_and_maximum_capacity_is_accepted():
    settings = load({"capacityType": "serverless", "serverless": {"minCapacity": 4, "maxCapacity": 4}}, stack="dev")
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (4, 4)
    assert settings.serverless.seconds_until_auto_pause is None


def test_a_minimum_above_the_maximum_is_refused_by_half_an_acu():
    found = problems({"capacityType": "serverless", "serverless": {"minCapacity": 4.5, "maxCapacity": 4}})
    helpers.only_problem(found, "serverless.minCapacity", "4.5 is above aurora:serverless.maxCapacity 4", "must not exceed")


def test_serverless_defaults_to_pausing_after_five_minutes_at_zero():
    settings = load({"capacityType": "serverless", "serverless": {}}, stack="dev")
    assert settings.serverless is not None
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (0, 4)
    assert settings.serverless.seconds_until_auto_pause == 300


def test_a_cluster_name_whose_final_snapshot_identifier_has_63_characters_is_accepted():
    """Source: botocore `rds` model, CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63
    characters; `<name>-final-<8 hex>` adds 15, so every stack takes a clusterName of 48."""
    name = "a" * 48
    assert load({**SERVERLESS, "clusterName": name}, stack="dev").cluster_name == name


@pytest.mark.parametrize("length", [49, 55, 63, 64, 70])
def test_a_cluster_name_too_long_is_told_the_one_limit_that_applies(length):
    """Issue 27: a 70-character name was told "1 to 63", then at 55 "at most 52", then "at most 48".
    Now one message, with the tightest limit of the stack's derived names: on every stack the final
    snapshot `<name>-final-<8 hex>` (botocore rds model, CreateDBClusterSnapshot
    DBClusterSnapshotIdentifier: 1 to 63 characters), so 48."""
    name = "a" * length
    assert problems({**SERVERLESS, "clusterName": name}) == [
        f"aurora:clusterName is {name!r} ({length} characters): the final snapshot identifier "
        f"'{name}-final-ffffffff' derived from it would be {length + 15} characters, over the 63 RDS allows "
        "(botocore rds model, CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63 letters, digits or "
        "hyphens); use a clusterName of at most 48 characters"
    ]


def test_readers_count_in_the_derived_identifier():
    """Source: botocore `rds` model, CreateDBInstance DBInstanceIdentifier: 1 to 63 characters. The
    final snapshot binds first on every stack, so the instances' limit is measured on its entry."""
    from settings import derived_names

    [instances] = [e for e in derived_names.DERIVED_NAMES if e.what == "instance identifier"]
    name = "a" * 52  # a writer and 8 readers end at "-instance-9"; a ninth reader is "-instance-10"
    assert instances.problem(name, load({**PROVISIONED, "provisioned": {"readers": 8}})) is None
    found = instances.problem(name, load({**PROVISIONED, "provisioned": {"readers": 9}}))
    assert found is not None
    assert found.startswith(
        f"aurora:clusterName is {name!r} (52 characters): the instance identifier '{name}-instance-10' derived from it "
        "would be 64 characters, over the 63 RDS allows"
    )
    assert found.endswith("use a clusterName of at most 51 characters")


# --- a null, as `pulumi config set aurora:<key> null` or an empty YAML key stores it ----------


@pytest.mark.parametrize(
    "key",
    ["clusterName", "client", "deletionProtection", "applyImmediately", "logExports", "engineLifecycleSupport", "serverless"],
)
def test_a_null_leaves_a_default_the_program_works_out_in_place(key):
    """The same stack as without the key: the default that depends on the shape or the stack."""
    assert load({**PROVISIONED, key: None}) == load(PROVISIONED)
    assert load({**PROVISIONED, key: None}).model_fields_set == load(PROVISIONED).model_fields_set


def test_a_null_section_of_the_stacks_own_shape_is_that_shape_with_its_defaults():
    assert load({**PROVISIONED, "provisioned": None}).shape == ProvisionedConfig()
    helpers.only_problem(
        helpers.problems({"capacityType": "serverless", "serverless": None}),
        "serverless",
        "is required for capacityType serverless",
    )


def test_a_null_pause_is_the_default_pause_of_a_writer_that_may_pause():
    serverless = helpers.load({"capacityType": "serverless", "serverless": {"minCapacity": 0, "secondsUntilAutoPause": None}})
    assert serverless.shape == ServerlessConfig(minCapacity=0)
    assert isinstance(serverless.shape, ServerlessConfig) and serverless.shape.seconds_until_auto_pause == 300


def test_an_empty_log_export_list_keeps_the_shapes_exports():
    """It always has (the exports were `configured or default`): read as "export nothing" it would
    delete a running stack's log groups."""
    assert load({**PROVISIONED, "logExports": []}).log_exports == WORKSHOP_LOG_EXPORTS


def test_a_null_for_a_setting_with_a_fixed_default_is_refused_as_before():
    helpers.only_problem(problems({**PROVISIONED, "backupRetentionDays": None}), "backupRetentionDays", "is None:", "1 to 35")
