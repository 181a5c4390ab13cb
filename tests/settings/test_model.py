"""The configuration models: what they accept as the Pulumi CLI stores it, what they refuse and
how each refusal reads (one line: the full key, the value, what is allowed), all at once.

Source for the stored forms: `pulumi config set` stores its value as text unless `--path` is given,
and with `--path` stores non-integer numbers as text and booleans and integers typed
(/work/shared/delivery-facts.md, Pulumi CLI `config set` reference)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from settings import checks as v
from settings import messages, values
from settings import model as config_models
from settings.model import ProvisionedConfig, RestoreFromConfig, StackConfig
from tests.settings.helpers import load, only_problem, problem_about, problem_keys, problems, refusal

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
GLOBAL = {
    "capacityType": "provisioned",
    "provisioned": {"backtrackHours": 0},
    "disasterRecovery": {"region": "us-west-2", "mode": "global"},
}


def models(model: type[BaseModel] = StackConfig) -> list[type[BaseModel]]:
    found = [model]
    for field in model.model_fields.values():
        nested = config_models_of(field.annotation)
        if nested is not None and nested not in found:
            found += models(nested)
    return found


def config_models_of(annotation):
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def test_numbers_stored_as_text_count_as_numbers_at_every_level():
    settings = load(
        {
            "capacityType": "serverless",
            "serverless": {"minCapacity": "0.5", "maxCapacity": "8"},
            "backupRetentionDays": "14",
            "clientIdleStopMinutes": "60",
        }
    )
    assert (settings.serverless.min_capacity, settings.serverless.max_capacity) == (0.5, 8)
    assert settings.backup_retention_days == 14 and settings.client_idle_stop_minutes == 60
    prod = load({**GLOBAL, "provisioned": {"backtrackHours": "0", "readers": "2"}}, stack="prod")
    assert (prod.shape.backtrack_hours, prod.shape.readers) == (0, 2)
    assert prod.disaster_recovery.retention_days == 7


def test_a_number_stored_as_text_is_checked_like_the_number_and_shown_as_written():
    found = problems({"capacityType": "serverless", "serverless": {"minCapacity": "0.3", "maxCapacity": "4"}})
    only_problem(found, "serverless.minCapacity", "is '0.3':", "0 to 256 ACU in steps of 0.5")


def test_booleans_stored_as_text_true_and_false_count_as_booleans():
    settings = load({**SERVERLESS, "dataApi": "false", "sampleData": "false", "deletionProtection": "true"})
    assert settings.data_api is False and settings.sample_data is False and settings.deletion_protection is True


@pytest.mark.parametrize("value", ["yes", "True", "1", 1, 0])
def test_other_spellings_of_a_boolean_are_refused(value):
    only_problem(problems({**SERVERLESS, "iamAuthentication": value}), "iamAuthentication", f"is {value!r}:", "true or false")


def test_a_boolean_is_not_a_number():
    found = problems({"capacityType": "provisioned", "provisioned": {"readers": True}})
    only_problem(found, "provisioned.readers", "is True:", "whole numbers from 0 to 15")


@pytest.mark.parametrize(
    "raw",
    [
        {"capacityType": "serverless-v1"},
        {"capacityType": "serverless-v1", "engineVersion": "5.6.10a", "scalingConfiguration": {"minCapacity": 1}},
        {"engineMode": "serverless", "scalingConfiguration": {"minCapacity": 1, "autoPause": True}},
        {"capacityType": "serverless", "serverless": {"minCapacity": 1}, "engineMode": "serverless", "engineVersion": "5.6.10a"},
    ],
)
def test_a_serverless_v1_configuration_gets_one_end_of_life_message(raw):
    found = problems(raw)
    assert len(found) == 1
    assert v.SERVERLESS_V1_END in found[0]
    assert "end of life" in found[0] and "capacityType serverless" in found[0] and "8.0.mysql_aurora.3.10.5" in found[0]


def test_a_v1_message_does_not_hide_unrelated_problems():
    found = problems({"capacityType": "serverless-v1", "backupRetentionDays": 90})
    assert len(found) == 2
    problem_about(found[1:], "backupRetentionDays", "is 90:", "1 to 35")


def test_a_v1_message_hides_only_a_v1_engine_version_not_a_malformed_one():
    """v1 brought Aurora MySQL 1 (5.6.10a); a version that is neither is a problem of its own."""
    assert len(problems({"engineMode": "serverless", "engineVersion": "5.6.10a"})) == 1
    found = problems({"engineMode": "serverless", "engineVersion": "8.0.banana"})
    assert len(found) == 2
    problem_about(found[1:], "engineVersion", "is '8.0.banana':", "expected 8.0.mysql_aurora.3.<minor>.<patch>")


def test_a_v1_message_does_not_hide_a_v1_looking_value_of_another_setting():
    found = problems({"engineMode": "serverless", "clusterName": "5.6.10a"})
    assert len(found) == 2
    problem_about(found[1:], "clusterName", "is '5.6.10a':")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({**SERVERLESS, "serverless": {"minCapacty": 0}}, ("serverless.minCapacty", "serverless.minCapacity", "maxCapacity")),
        ({**SERVERLESS, "network": {"vpcID": "default"}}, ("network.vpcID", "network.vpcId", "clientSubnetId")),
        (
            {**GLOBAL, "disasterRecovery": {"region": "us-west-2", "mode": "global", "instance": 2}},
            ("disasterRecovery.instance", "disasterRecovery.instances", "retentionDays"),
        ),
        ({**SERVERLESS, "appUser": {"endpoint": "127.0.0.1:3307", "nam": "x"}}, ("appUser.nam", "appUser.name", "endpoint")),
    ],
)
def test_nested_typos_get_a_suggestion_and_the_allowed_keys(raw, expected):
    """`expected`: the key as typed, the suggested key, one of the allowed keys listed."""
    typed, suggested, allowed = expected
    only_problem(problems(raw), typed, "is not a known setting", f"did you mean aurora:{suggested}?", "allowed keys are", allowed)


def test_every_level_refuses_unknown_keys_and_every_setting_is_described():
    for model in models():
        assert model.model_config.get("extra") == "forbid", model.__name__
        for key, field in model.model_fields.items():
            assert field.description and field.alias, f"{model.__name__}.{key}"


def test_a_section_that_is_not_an_object_names_its_keys():
    only_problem(problems({**SERVERLESS, "serverless": 4}), "serverless", "is 4:", "an object with keys", "secondsUntilAutoPause")


def test_problems_in_different_sections_are_all_reported_with_their_full_names():
    found = problems(
        {
            "capacityType": "serverless",
            "serverless": {"minCapacity": 8, "maxCapacity": 300},
            "network": {"allowedCidrs": ["0.0.0.0/0", "8.8.8.0/24"], "subnetIds": "subnet-1"},
            "tags": {"aws:owner": "x"},
        }
    )
    assert problem_keys(found) == [
        "aurora:serverless.maxCapacity",
        "aurora:network.subnetIds",
        "aurora:network.allowedCidrs",
        "aurora:network.allowedCidrs",
        "aurora:tags",
    ]
    problem_about(found, "serverless.maxCapacity", "is 300:", "1 to 256 ACU")
    problem_about(found, "network.subnetIds", "is 'subnet-1':")
    problem_about(found, "network.allowedCidrs", "has '0.0.0.0/0':", "world-open")
    problem_about(found, "network.allowedCidrs", "has '8.8.8.0/24':", "only private ranges")
    problem_about(found, "tags", "has key 'aws:owner':")


def test_a_missing_required_setting_is_explained_by_its_description():
    # The reason is the field's description: where the host:port comes from.
    only_problem(problems({**SERVERLESS, "appUser": {}}), "appUser.endpoint", "is required", "host:port", "docs/connecting.md")


def test_text_is_a_number_only_when_it_is_all_digits():
    assert values.as_number("0.5") == 0.5 and values.as_number("-3") == -3
    assert values.as_number("1e3") == "1e3" and values.as_number("nan") == "nan"
    assert values.as_flag("true") is True and values.as_flag("TRUE") == "TRUE"


def test_rules_joining_settings_run_once_every_setting_is_valid():
    """A rule reads typed settings, so it waits for them; then every broken rule is reported."""
    joined = {**SERVERLESS, "sampleData": True, "dataApi": False, "iamAuthentication": False}
    found = problems({**joined, "backupRetentionDays": 0, "appUser": {}})
    assert [p.split(":", 2)[1].split(" ")[0] for p in found] == ["backupRetentionDays", "appUser.endpoint"]
    found = problems({**joined, "appUser": {"endpoint": "127.0.0.1:3307"}})
    assert [p.split(" ")[0] for p in found] == ["aurora:sampleData", "aurora:appUser"]
    assert "loaded through the Data API" in found[0] and "signs in with IAM database authentication" in found[1]


def test_a_refused_setting_causes_no_follow_on_problem():
    """A refused `client` is not replaced by its default to complain that clientIdleStopMinutes needs ssm."""
    only_problem(problems({**SERVERLESS, "client": "cloud9", "clientIdleStopMinutes": 60}), "client", "is 'cloud9':", "ssm, none")


# --- the models are the settings (issue #14, "Configuration: declared once") ----------------


def test_the_settings_components_receive_are_the_validated_models_and_no_parallel_copy_exists():
    """Adding a setting touches one model field: what components read is the validated model."""
    settings = load({**GLOBAL, "appUser": {"endpoint": "127.0.0.1:3307"}, "restoreFrom": {"snapshotIdentifier": "seed"}})
    assert type(settings) is StackConfig
    sections = (settings.shape, settings.network, settings.restore_from, settings.app_user, settings.disaster_recovery)
    assert [type(section) for section in sections] == [
        config_models.ProvisionedConfig,
        config_models.NetworkConfig,
        config_models.RestoreFromConfig,
        config_models.AppUserConfig,
        config_models.DisasterRecoveryConfig,
    ]


@pytest.mark.parametrize("model", models(), ids=lambda model: model.__name__)
def test_every_settings_model_is_frozen(model):
    assert model.model_config.get("frozen") is True


def test_the_settings_cannot_be_changed_once_validated():
    settings = load(SERVERLESS)
    with pytest.raises(ValueError, match="frozen"):
        settings.data_api = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        settings.network.vpc_id = "vpc-0123456789abcdef0"  # type: ignore[misc]


def test_equal_configurations_give_equal_settings_and_the_stack_is_part_of_them():
    assert load(SERVERLESS) == load(dict(SERVERLESS))
    assert load(SERVERLESS) != load(SERVERLESS, stack="prod")
    assert hash(load(SERVERLESS).network) == hash(load(dict(SERVERLESS)).network)


def test_the_stack_context_gives_the_project_stack_region_and_default_cluster_name():
    settings = load(SERVERLESS, project="Shop", stack="Live", region="eu-west-1")
    assert (settings.project, settings.stack, settings.region, settings.cluster_name) == (
        "Shop",
        "Live",
        "eu-west-1",
        "shop-live",
    )


def test_the_users_tags_follow_the_owner_tags_and_may_override_them():
    settings = load({**SERVERLESS, "tags": {"ManagedBy": "platform", "Team": "orders"}}, project="shop", stack="live")
    assert settings.resource_tags == {"Project": "shop", "Stack": "live", "ManagedBy": "platform", "Team": "orders"}


def test_the_ca_certificate_defaults_to_rsa2048_for_both_shapes():
    assert load(SERVERLESS).ca_certificate_identifier == "rds-ca-rsa2048-g1"
    assert load({"capacityType": "provisioned"}).ca_certificate_identifier == "rds-ca-rsa2048-g1"


@pytest.mark.parametrize("authority", ["rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"])
def test_every_ca_rds_offers_for_aurora_is_accepted(authority):
    settings = load({**SERVERLESS, "caCertificateIdentifier": authority})
    assert settings.ca_certificate_identifier == authority


@pytest.mark.parametrize("authority", ["rds-ca-2019", "rds-ca-rsa2048", 2048])
def test_an_expired_or_unknown_ca_is_refused_naming_the_key_the_value_and_the_choices(authority):
    [problem] = problems({**SERVERLESS, "caCertificateIdentifier": authority})
    assert problem.startswith(f"aurora:caCertificateIdentifier is {authority!r}")
    assert "rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1" in problem


# --- provisioned.readerInstanceClasses: per-reader overrides of instanceClass -------------------

PROD = {"capacityType": "provisioned"}


def test_every_instance_takes_instance_class_unless_its_reader_has_a_class_of_its_own():
    assert load(PROD, stack="prod").shape.instance_classes == ("db.r7g.large", "db.r7g.large")
    three = {"instanceClass": "db.r7g.xlarge", "readers": 3, "readerInstanceClasses": ["db.r7g.large", "db.r6g.large"]}
    settings = load({**PROD, "provisioned": three}, stack="prod")
    assert settings.shape.reader_instance_classes == ("db.r7g.large", "db.r6g.large")
    assert settings.shape.instance_classes == ("db.r7g.xlarge", "db.r7g.large", "db.r6g.large", "db.r7g.xlarge")


def test_a_serverless_stack_has_one_db_serverless_writer():
    assert load(SERVERLESS).shape.instance_classes == ("db.serverless",)


@pytest.mark.parametrize(
    "value, key, fragments",
    [
        (["db.r7g.large", "db.t4g.medium"], "provisioned.readerInstanceClasses", ("has 'db.t4g.medium':", "db.t* classes")),
        (["r7g.large"], "provisioned.readerInstanceClasses", ("has 'r7g.large':", "start with `db.`")),
        (
            "db.r7g.large",
            "provisioned.readerInstanceClasses",
            ("is 'db.r7g.large':", "expected a list: Instance class of each reader"),
        ),
    ],
)
def test_a_reader_class_is_checked_as_instance_class_is(value, key, fragments):
    found = problems({**PROD, "provisioned": {"readers": 2, "readerInstanceClasses": value}}, stack="prod")
    only_problem(found, key, *fragments)


# --- refusals pydantic raises itself, and how they read ---------------------------------------


class _AnyDict(BaseModel):
    provisioned: dict


class _Number(BaseModel):
    clusterName: int  # noqa: N815 - named as the setting it stands for


class _Section(BaseModel):
    provisioned: ProvisionedConfig


def model_refusal(model: type[BaseModel], raw: dict, **options) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw, **options)
    return messages.problems(caught.value)


def test_a_section_refused_as_a_plain_map_or_as_attributes_names_its_keys():
    """pydantic reports `dict_type` and `model_attributes_type` where a section is not an object;
    the settings' own rules refuse first today, so these stand-in models raise them."""
    for found, value in (
        (model_refusal(_AnyDict, {"provisioned": []}), "[]"),
        (model_refusal(_Section, {"provisioned": 5}, from_attributes=True), "5"),
    ):
        problem_about(found, "provisioned", f"is {value}:", "expected an object with keys", "instanceClass", "proxy")


def test_a_pydantic_error_without_a_rule_names_the_setting_the_value_and_pydantics_reason():
    problem_about(model_refusal(_Number, {"clusterName": "x"}), "clusterName", "is 'x':", "valid integer")


@pytest.mark.parametrize("value", [["on"], {"on": True}])
def test_a_list_or_map_given_for_a_boolean_is_refused_with_one_line(value):
    [found] = problems({"capacityType": "provisioned", "dataApi": value})
    problem_about([found], "dataApi", f"is {value!r}:", "true or false")


def test_a_refusal_in_pydantics_own_error_carries_what_is_allowed():
    """Code that validates a model itself (not through load_settings) gets pydantic's error, whose
    message is what the setting allows; the loader adds the key and the value as written."""
    with pytest.raises(ValidationError) as caught:
        RestoreFromConfig.model_validate({"stack": "dev"})
    [rule] = caught.value.errors()
    assert (rule["type"], rule["loc"], rule["input"]) == ("aurora", ("stack",), "dev")
    assert rule["msg"] == rule["ctx"]["allowed"] == "expected organization/project/stack, for example organization/aurora/dev"
    assert refusal("restoreFrom.stack", "dev") == f"aurora:restoreFrom.stack is 'dev': {rule['msg']}"
