"""Rules joining settings that the other configuration tests leave out, with the exact message a
user reads (pure: `load_settings` only, no mock engine)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from components import config
from components.config import ConfigError, load_settings
from components.config_models import ProvisionedConfig, RestoreFromConfig, StackConfig

PROVISIONED = {"capacityType": "provisioned"}
GLOBAL_ADVANCED = {
    **PROVISIONED,
    "provisioned": {"backtrackHours": 0, "insights": "advanced"},
    "disasterRecovery": {"region": "us-west-2", "mode": "global"},
}
MASTER_USERNAME_WITH_RESTORE = (
    "aurora:masterUsername is 'dba' but aurora:restoreFrom is set: a restored cluster keeps the snapshot's "
    "master user (RestoreDBClusterFromSnapshot has no MasterUsername); remove masterUsername from this stack"
)
ADVANCED_INSIGHTS_ON_GLOBAL = (
    "aurora:disasterRecovery.mode is global but aurora:provisioned.insights is 'advanced': for a Global "
    "Database member the AWS provider sends DatabaseInsightsMode when it creates the secondary but "
    "Performance Insights only in a later modify, and AWS needs both in one call for advanced; use "
    "insights standard, or mode snapshot-copy"
)


def problems(raw, project="aurora"):
    with pytest.raises(ConfigError) as caught:
        load_settings(raw, project, "prod", "us-east-1")
    return caught.value.problems


def test_a_restored_stack_refuses_a_master_username_of_its_own():
    raw = {**PROVISIONED, "restoreFrom": {"snapshotIdentifier": "orders-seed"}, "masterUsername": "dba"}
    assert problems(raw) == [MASTER_USERNAME_WITH_RESTORE]


def test_a_master_password_version_outside_a_global_database_is_refused():
    assert problems({**PROVISIONED, "masterPasswordVersion": 2}) == [
        "aurora:masterPasswordVersion is set but aurora:disasterRecovery.mode is not global: outside a Global "
        "Database, Secrets Manager manages and rotates the master password; remove it"
    ]


def test_a_master_password_version_in_a_global_database_is_accepted():
    raw = {**GLOBAL_ADVANCED, "provisioned": {"backtrackHours": 0}, "masterPasswordVersion": 2}
    assert load_settings(raw, "aurora", "prod", "us-east-1").master_password_version == 2


def test_advanced_insights_on_a_global_database_primary_is_refused():
    assert problems(GLOBAL_ADVANCED) == [ADVANCED_INSIGHTS_ON_GLOBAL]


def test_a_global_databases_problems_are_reported_beside_the_other_combination_problems():
    raw = {**GLOBAL_ADVANCED, "restoreFrom": {"snapshotIdentifier": "orders-seed"}, "masterUsername": "dba"}
    assert problems(raw) == [MASTER_USERNAME_WITH_RESTORE, ADVANCED_INSIGHTS_ON_GLOBAL]


def test_a_cluster_name_derived_from_the_stack_is_checked_with_its_project_and_stack():
    """The rules see the project and stack the default name comes from (the validation context)."""
    name = "a" * 58 + "-prod"
    found = problems(PROVISIONED, project="a" * 58)[0]
    assert found.startswith(f"aurora:clusterName is {name!r} (63 characters): the instance identifier '{name}-instance-2'")
    assert "would be 74 characters, over the 63 RDS allows" in found


class _AnyDict(BaseModel):
    provisioned: dict


class _Number(BaseModel):
    clusterName: int  # noqa: N815 - named as the setting it stands for


class _Section(BaseModel):
    provisioned: ProvisionedConfig


SECTION_KEYS = "instanceClass, readers, backtrackHours, monitoringInterval, insights, proxy"


def refusal(model: type[BaseModel], raw: dict, **options) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw, **options)
    return config.problems(caught.value)


def test_a_section_refused_as_a_plain_map_or_as_attributes_names_its_keys():
    """pydantic reports `dict_type` and `model_attributes_type` where a section is not an object;
    the settings' own rules refuse first today, so these stand-in models raise them."""
    assert refusal(_AnyDict, {"provisioned": []}) == [f"aurora:provisioned is []: expected an object with keys {SECTION_KEYS}"]
    assert refusal(_Section, {"provisioned": 5}, from_attributes=True) == [
        f"aurora:provisioned is 5: expected an object with keys {SECTION_KEYS}"
    ]


def test_a_pydantic_error_without_a_rule_names_the_setting_the_value_and_pydantics_reason():
    assert refusal(_Number, {"clusterName": "x"}) == [
        "aurora:clusterName is 'x': input should be a valid integer, unable to parse string as an integer"
    ]


@pytest.mark.parametrize("value", [["on"], {"on": True}])
def test_a_list_or_map_given_for_a_boolean_is_refused_with_one_line(value):
    assert problems({**PROVISIONED, "dataApi": value}) == [f"aurora:dataApi is {value!r}: allowed values are true or false"]


def test_a_refusal_reads_the_same_in_pydantics_own_error():
    """Code that validates a model itself (not through load_settings) sees the user's message too."""
    with pytest.raises(ValidationError) as caught:
        StackConfig.model_validate({**PROVISIONED, "masterPasswordVersion": 2})
    [rules] = caught.value.errors()
    assert rules["msg"] == str(rules["ctx"]["messages"])
    with pytest.raises(ValidationError) as caught:
        RestoreFromConfig.model_validate({"stack": "dev"})
    [rule] = caught.value.errors()
    assert rule["msg"] == rule["ctx"]["message"]
    assert rule["msg"].endswith(" is 'dev': expected organization/project/stack, for example organization/aurora/dev")
    # Through load_settings the same message names the setting's full key.
    assert rule["ctx"]["write"]("restoreFrom.stack").startswith("aurora:restoreFrom.stack is 'dev': ")
