"""Reading configuration into the settings (StackConfig): defaults, the real stack files, and refusals;
then the running stack's configuration as Pulumi hands it over (read, decoded per key, loaded with
its project and stack, every problem on its own line)."""

import pulumi
import pytest

from awsfacts.engine_versions import parameter_group_family
from settings import loading as config
from settings import namespaces
from settings.loading import ConfigError
from settings.model import DEFAULT_ENGINE_VERSION
from tests.settings.helpers import load, only_problem, problem_about, problems, raw_from_file

DEV_SERVERLESS = {"minCapacity": 0, "maxCapacity": 4, "secondsUntilAutoPause": 300}


def test_dev_file_gives_the_workshops_serverless_shape():
    settings = load(raw_from_file("dev"))
    assert settings.capacity_type == "serverless"
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (0, 4)
    assert settings.serverless.seconds_until_auto_pause == 300
    assert settings.cluster_name == "aurora-dev"
    assert settings.engine_version == DEFAULT_ENGINE_VERSION
    assert settings.data_api is True and settings.client == "ssm"
    assert settings.network.uses_default_vpc
    assert parameter_group_family(settings.engine_version) == "aurora-mysql8.0"


def test_defaults_for_a_minimal_serverless_stack():
    settings = load({"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 2}})
    assert settings.serverless.seconds_until_auto_pause == 300
    assert settings.backup_retention_days == 7
    assert settings.deletion_protection is False
    assert settings.log_exports == ("error", "slowquery")
    assert settings.resource_tags == {"Project": "aurora", "Stack": "dev", "ManagedBy": "pulumi"}


def test_capacity_type_is_required():
    only_problem(problems({}), "capacityType", "is required", "serverless (the dev shape) or provisioned (the prod shape)")


def test_every_refused_setting_is_reported_at_once():
    found = problems(
        {
            "capacityType": "serverless",
            "serverless": {"minCapacity": 8, "maxCapacity": 4},
            "engineVersion": "5.6.10a",
            "client": "cloud9",
            "backupRetentionDays": 0,
        }
    )
    # minCapacity above maxCapacity joins two settings: its rule runs once every setting is valid.
    assert len(found) == 3
    assert any(p.startswith("aurora:engineVersion is '5.6.10a'") for p in found)
    problem_about(found, "client", "is 'cloud9':", "ssm, none")
    problem_about(found, "backupRetentionDays", "is 0:", "1 to 35")


def test_every_broken_rule_is_reported_at_once():
    found = problems(
        {
            "capacityType": "serverless",
            "serverless": {"minCapacity": 8, "maxCapacity": 4},
            "sampleData": True,
            "dataApi": False,
            "backupWindow": "05:00-06:00",
            "maintenanceWindow": "sun:05:30-sun:06:30",
        }
    )
    assert [p.split(" ")[0] for p in found] == ["aurora:serverless.minCapacity", "aurora:backupWindow", "aurora:sampleData"]
    assert "8 is above aurora:serverless.maxCapacity 4" in found[0] and "overlaps" in found[1]


def test_unknown_keys_are_refused_with_a_suggestion():
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "dataAPI": True})
    only_problem(found, "dataAPI", "is not a known setting", "did you mean aurora:dataApi?")


def test_unknown_sub_keys_are_refused():
    found = problems({"capacityType": "serverless", "serverless": {**DEV_SERVERLESS, "maxAcu": 8}})
    problem = only_problem(found, "serverless.maxAcu", "is not a known setting", "allowed keys are", "maxCapacity")
    assert "did you mean" not in problem


def test_serverless_shape_needs_its_capacity():
    assert "aurora:serverless is required for capacityType serverless" in problems({"capacityType": "serverless"})[0]


def test_auto_pause_only_with_zero_minimum():
    found = problems(
        {"capacityType": "serverless", "serverless": {"minCapacity": 1, "maxCapacity": 4, "secondsUntilAutoPause": 300}}
    )
    assert "the writer pauses only when minCapacity is 0" in found[0]


def test_auto_pause_outside_aws_range_is_refused():
    found = problems({"capacityType": "serverless", "serverless": {**DEV_SERVERLESS, "secondsUntilAutoPause": 60}})
    only_problem(found, "serverless.secondsUntilAutoPause", "is 60:", "300 to 86400")


def test_scale_to_zero_with_an_old_engine_is_refused():
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "engineVersion": "8.0.mysql_aurora.3.05.2"})
    assert "pausing at 0 ACU needs Aurora MySQL 3.08 or later" in found[0]


def test_other_vpc_needs_two_subnets():
    found = problems(
        {
            "capacityType": "serverless",
            "serverless": DEV_SERVERLESS,
            "network": {"vpcId": "vpc-0123456789abcdef0", "subnetIds": ["subnet-0123456789abcdef0"]},
        }
    )
    assert "needs at least two subnets in different Availability Zones" in found[0]


def test_world_open_ingress_is_refused():
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "network": {"allowedCidrs": ["0.0.0.0/0"]}})
    only_problem(found, "network.allowedCidrs", "has '0.0.0.0/0':", "world-open")


def test_shape_specific_settings_on_the_wrong_shape_are_refused():
    found = problems({"capacityType": "provisioned", "serverless": DEV_SERVERLESS})
    assert "aurora:serverless is set but aurora:capacityType is not serverless" in found[0]
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "provisioned": {"readers": 1}})
    assert "aurora:provisioned is set but aurora:capacityType is not provisioned" in found[0]


def test_sample_data_needs_the_data_api():
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "sampleData": True, "dataApi": False})
    only_problem(found, "sampleData", "is true but aurora:dataApi is false", "through the Data API")


def test_booleans_must_be_booleans():
    found = problems({"capacityType": "serverless", "serverless": DEV_SERVERLESS, "dataApi": "yes"})
    only_problem(found, "dataApi", "is 'yes':", "true or false")


def test_default_cluster_name_follows_rds_rules():
    settings = load({"capacityType": "serverless", "serverless": DEV_SERVERLESS}, project="My_Project", stack="Feature--X")
    assert settings.cluster_name == "my-project-feature-x"


@pytest.mark.parametrize("version", [0, -1, "two", 1.5, True])
def test_master_password_version_is_a_positive_whole_number(version):
    raw = {
        "capacityType": "provisioned",
        "provisioned": {"backtrackHours": 0},
        "disasterRecovery": {"region": "us-west-2", "mode": "global"},
        "masterPasswordVersion": version,
    }
    [found] = problems(raw, stack="prod")
    problem_about([found], "masterPasswordVersion", f"is {version!r}:", "whole numbers from 1 to 1000000")


# --- reading the stack's configuration -------------------------------------------------------


@pytest.fixture
def stack_config_values():
    def apply(values):
        pulumi.runtime.set_all_config(values)

    yield apply
    pulumi.runtime.set_all_config({})


def test_the_stack_configuration_is_read_and_decoded_per_key(stack_config_values, monkeypatch):
    # The namespace is `aurora` whatever the project is called.
    monkeypatch.setattr(pulumi.config, "get_project", lambda: "shop")
    stack_config_values(
        {
            "aws:region": "eu-west-1",
            "aurora:capacityType": "serverless",
            "aurora:clusterName": "123",  # a string setting stays text even when it looks like JSON
            "aurora:serverless": '{"minCapacity": 0, "maxCapacity": 2}',
            "aurora:dataApi": "true",
            "aurora:backupRetentionDays": "7",
            "aurora:masterUsername": "admin",
            "aurora:unknownSetting": "not json",
            "aurora:odd:key": "x",
            "other:key": "ignored",
        }
    )
    raw, region = config.read_stack_config()
    assert region == "eu-west-1"
    assert raw == {
        "capacityType": "serverless",
        "clusterName": "123",
        "serverless": {"minCapacity": 0, "maxCapacity": 2},
        "dataApi": True,
        "backupRetentionDays": 7,
        "masterUsername": "admin",
        "unknownSetting": "not json",
        "odd:key": "x",
    }


def test_a_stack_without_a_region_reads_an_empty_one(stack_config_values):
    stack_config_values({"aurora:capacityType": "provisioned"})
    assert config.read_stack_config() == ({"capacityType": "provisioned"}, "")


@pytest.fixture
def running_as_staging(monkeypatch):
    monkeypatch.setattr(pulumi, "get_project", lambda: "aurora")
    monkeypatch.setattr(pulumi, "get_stack", lambda: "staging")


def test_the_running_stack_is_loaded_with_its_project_and_stack_names(stack_config_values, running_as_staging):
    stack_config_values({"aws:region": "us-east-2", "aurora:capacityType": "provisioned"})
    settings = config.load_stack_settings()
    assert (settings.project, settings.stack, settings.region, settings.cluster_name) == (
        "aurora",
        "staging",
        "us-east-2",
        "aurora-staging",
    )


def refusal_of_stack(values: dict[str, str]) -> list[str]:
    """The problems `load_stack_settings` refuses a running stack `aurora/staging` with."""
    pulumi.runtime.set_all_config(values)
    with pytest.raises(ConfigError) as caught:
        config.load_stack_settings()
    return caught.value.problems


def test_keys_nothing_reads_come_first_then_the_settings_problems(stack_config_values, running_as_staging):
    found = refusal_of_stack({"aws:region": "us-east-2", "aws:regoin": "x", "aurora:capacityType": "none"})
    assert [problem.split(" ", 1)[0] for problem in found] == ["aws:regoin", "aurora:capacityType"]


def test_a_key_nothing_reads_is_refused_even_when_the_settings_are_valid(stack_config_values, running_as_staging):
    found = refusal_of_stack({"aws:region": "us-east-2", "aws:regoin": "x", "aurora:capacityType": "provisioned"})
    assert found == namespaces.unread_key_problems(["aws:regoin"])


def test_the_configuration_error_lists_every_problem_on_its_own_line():
    error = ConfigError(["first", "second"])
    assert error.problems == ["first", "second"]
    assert str(error) == "the stack configuration is invalid; nothing was created or changed:\n  - first\n  - second"
