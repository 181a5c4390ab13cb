"""Values the program accepted that AWS would refuse (issue 27): the stack's region, an engine version
AWS does not offer, a stack key without the `aurora:` namespace, RDS Proxy on Aurora MySQL 8.4.
(The one clusterName limit is pinned in tests/settings/test_defaults.py and tests/settings/test_derived_names.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import botocore.session
import pulumi
import pytest

from plan.engine import PROJECT_ROOT, AccountState, RecordingMocks, StackFileError, stack_config
from settings import checks as v
from settings import deployed as deployed_module
from settings import namespaces
from settings.deployed import DeployedCluster, DeployedStateError, engine_version_problem, engine_version_regions
from settings.loading import ConfigError
from settings.namespaces import namespaced, provider_keys, unread_key_problems
from tests.helpers import DEV_SOURCE_OUTPUTS
from tests.settings.helpers import load, problems, refusal

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}
CLUSTER = "aws:rds/cluster:Cluster"
ENGINE_VERSION_INVOKE = "aws:rds/getEngineVersion:getEngineVersion"
UNKNOWN_VERSION = "8.0.mysql_aurora.3.99.0"


# --- aws:region -------------------------------------------------------------------------------------


def test_the_regions_are_those_of_botocores_partitions_data_and_every_rds_endpoint_region_is_among_them():
    """Source: botocore's partitions data (`partitions.json`, offline, from the locked botocore) without
    its `*-global` names; the RDS endpoints list (`Session.get_available_regions("rds", partition)`)
    lags it (me-west-1 and sa-west-1 are in the partitions data only), so it must be contained. The
    stack-file schema's `aws:region` enum is the same list."""
    session = botocore.session.Session()
    rds_endpoints = {r for p in session.get_available_partitions() for r in session.get_available_regions("rds", p)}
    assert rds_endpoints <= set(v.AWS_REGIONS)
    assert {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "me-west-1", "sa-west-1"} <= set(v.AWS_REGIONS)
    assert not [region for region in v.AWS_REGIONS if region.endswith("-global")]
    assert (v.PARTITION_OF_REGION["cn-north-1"], v.PARTITION_OF_REGION["us-gov-west-1"]) == ("aws-cn", "aws-us-gov")
    assert all(session.get_partition_for_region(region) == partition for region, partition in v.PARTITION_OF_REGION.items())


@pytest.mark.parametrize("region", ["us-east-1", "af-south-1", "us-west-2", "cn-northwest-1", "us-gov-east-1"])
def test_every_rds_region_is_accepted(region):
    assert load(SERVERLESS, region=region).region == region


def test_a_region_that_does_not_exist_is_refused_in_one_line():
    assert problems(SERVERLESS, region="us-east-7") == [
        "aws:region is 'us-east-7': not an AWS region (botocore's partitions data); expected one such as "
        "us-east-1 or eu-west-1; did you mean us-east-2?"
    ]


def test_a_region_nothing_resembles_gets_no_guess():
    assert v.check_stack_region("nowhere") == (
        "aws:region is 'nowhere': not an AWS region (botocore's partitions data); expected one such as us-east-1 or eu-west-1"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "eu-wets-1",
            "aurora:disasterRecovery.region is 'eu-wets-1': expected an AWS region, such as us-west-2; did you mean eu-west-1?",
        ),
    ],
)
def test_a_dr_region_is_refused_with_the_nearest_region_when_there_is_one(value, message):
    assert refusal("disasterRecovery.region", value) == message


def test_no_region_is_an_error_naming_aws_region():
    assert problems(SERVERLESS, region="") == [
        "aws:region is not set: the stack needs its AWS region; set it with `pulumi config set aws:region us-east-1`"
    ]


def test_the_region_comes_first_with_every_other_problem():
    found = problems({**SERVERLESS, "backupRetentionDays": 0}, region="us-east-7")
    assert [p.split(" ", 1)[0] for p in found] == ["aws:region", "aurora:backupRetentionDays"]


def test_the_program_stops_on_an_unknown_region_and_on_none(program):
    with pytest.raises(ConfigError) as caught:
        program("dev", overrides={"aws:region": "us-east-7"})
    assert caught.value.problems == [v.check_stack_region("us-east-7")]
    with pytest.raises(ConfigError) as caught:
        program("dev", remove=("aws:region",))
    assert caught.value.problems[0].startswith("aws:region is not set")


def test_a_refusal_is_a_run_error_the_pulumi_cli_shows_without_a_traceback():
    """pulumi/pulumi sdk/python/cmd/pulumi-language-python-exec: `except pulumi.RunError as e:
    pulumi.log.error(str(e))`; any other exception is "Program failed with an unhandled exception" and
    the traceback."""
    assert issubclass(ConfigError, pulumi.RunError)
    assert issubclass(DeployedStateError, pulumi.RunError)


# --- a stack key without the aurora: namespace ------------------------------------------------------


def project_with_stack_file(tmp_path: Path, text: str) -> Path:
    """A project root with the program, Pulumi.yaml (project `aurora`) and `text` as Pulumi.dev.yaml."""
    for file_name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / file_name, tmp_path / file_name)
    (tmp_path / "Pulumi.dev.yaml").write_text(text)
    return tmp_path


DEV_FILE = (PROJECT_ROOT / "Pulumi.dev.yaml").read_text()


def test_a_key_without_a_namespace_is_the_projects_as_the_cli_reads_it():
    """pulumi/pulumi sdk/go/common/workspace/loaders.go: `LoadProjectStackBytes` rewrites the stack
    file's `config:` with `stackConfigNamespacedWithProject`, which prefixes every key without a `:`
    with the project name (Pulumi.yaml `name: aurora`); sdk/go/common/resource/config/key.go `ParseKey`
    then takes `<namespace>:<name>`. So `deletionProtection: true` is `aurora:deletionProtection`."""
    assert namespaced({"deletionProtection": True, "aws:region": "us-east-1"}, "aurora") == {
        "aurora:deletionProtection": True,
        "aws:region": "us-east-1",
    }


def test_the_offline_plan_applies_a_bare_key_like_the_cli(tmp_path, program):
    root = project_with_stack_file(
        tmp_path, DEV_FILE.replace("  aurora:deletionProtection: false\n", "  deletionProtection: true\n")
    )
    assert stack_config("dev", root)["aurora:deletionProtection"] is True
    deployment = program("dev", root=root)
    assert deployment.one(CLUSTER).inputs["deletionProtection"] is True


def test_a_setting_given_with_and_without_its_namespace_is_refused(tmp_path):
    """The CLI writes both into one Go map (loaders.go `stackConfigNamespacedWithProject`): either value
    may win, so the plan refuses instead of guessing."""
    root = project_with_stack_file(tmp_path, DEV_FILE + "  deletionProtection: true\n")
    with pytest.raises(StackFileError) as caught:
        stack_config("dev", root)
    assert str(caught.value) == (
        "Pulumi.dev.yaml: aurora:deletionProtection is set twice, with and without its namespace (the Pulumi CLI "
        "reads a key without one as aurora:<key> and keeps either value): keep one"
    )


def test_a_providers_keys_are_read_from_its_generated_sdk():
    """pulumi_mysql/config/vars.py reads these eight keys (the provider's schema config, pulumi-mysql 3.x)."""
    assert namespaces._provider_config_keys("pulumi_mysql") == {
        "authenticationPlugin",
        "endpoint",
        "maxConnLifetimeSec",
        "maxOpenConns",
        "password",
        "proxy",
        "tls",
        "username",
    }


def test_keys_something_reads_pass():
    """aurora: keys are the settings' own to judge; pulumi: is the engine's open namespace; the
    providers' keys are those their generated SDKs read (pulumi_aws/config/vars.py and pulumi_mysql's)."""
    assert unread_key_problems(["aws:region", "aurora:x", "mysql:endpoint", "pulumi:disable-default-providers"]) == []
    assert {"region", "profile", "defaultTags", "assumeRoles"} <= provider_keys()["aws"]
    assert {"endpoint", "username", "password"} <= provider_keys()["mysql"]
    assert provider_keys()["random"] == frozenset()


NAMESPACES_READ = (
    "this program reads aurora:* (a key written without a namespace in Pulumi.<stack>.yaml is aurora:<key>) and its "
    "providers read aws:*, mysql:*, pulumi:*, random:*"
)


def test_each_key_nothing_reads_gets_one_line_in_key_order():
    """A provider refuses a key its schema lacks at `pulumi preview` (pulumi-terraform-bridge CheckConfig,
    "`cloudflare:requiredprop` is not a valid configuration key for the cloudflare provider", its provider
    tests); a key in another namespace reaches no one."""
    keys = ["zzz:q", "aws:regoin", "random:length", "auror:deletionProtection", "aws:deletionProtection", "aws:region"]
    keys.append("aws:region:eu")  # the namespace ends at the first colon (config.ParseKey)
    assert unread_key_problems(keys) == [
        f"auror:deletionProtection is set but nothing reads the 'auror' namespace: {NAMESPACES_READ}; did you mean "
        "aurora:deletionProtection?",
        "aws:deletionProtection is not a configuration key of the aws provider, which refuses it at `pulumi preview`; "
        "did you mean aurora:deletionProtection?",
        "aws:region:eu is not a configuration key of the aws provider, which refuses it at `pulumi preview`; did you "
        "mean aws:region?",
        "aws:regoin is not a configuration key of the aws provider, which refuses it at `pulumi preview`; did you mean "
        "aws:region?",
        "random:length is not a configuration key of the random provider, which refuses it at `pulumi preview`",
        f"zzz:q is set but nothing reads the 'zzz' namespace: {NAMESPACES_READ}",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"zzzqqq": 1}, "aurora:zzzqqq is not a known setting"),
        ({"deletionProtecton": True}, "aurora:deletionProtecton is not a known setting; did you mean aurora:deletionProtection?"),
        # A provider's key written without its namespace reads as the program's (loaders.go).
        ({"region": "us-east-1"}, "aurora:region is not a known setting; did you mean aws:region?"),
        (
            {"serverless": {"minCapacity": 0, "maxCapacity": 4, "qqqzzz": 1}},
            "aurora:serverless.qqqzzz is not a known setting: allowed keys are minCapacity, maxCapacity, secondsUntilAutoPause",
        ),
        (
            {"serverless": {"minCapacity": 0, "maxCapacity": 4, "maxCapacty": 1}},
            "aurora:serverless.maxCapacty is not a known setting; did you mean aurora:serverless.maxCapacity? allowed "
            "keys are minCapacity, maxCapacity, secondsUntilAutoPause",
        ),
    ],
)
def test_an_unknown_setting_gets_one_line_with_the_nearest_key(raw, message):
    assert problems({**SERVERLESS, **raw}) == [message]


def test_a_key_in_a_namespace_nothing_reads_is_refused(program):
    with pytest.raises(ConfigError) as caught:
        program("dev", overrides={"auror:deletionProtection": "true"})
    assert caught.value.problems == [
        "auror:deletionProtection is set but nothing reads the 'auror' namespace: this program reads aurora:* (a key "
        "written without a namespace in Pulumi.<stack>.yaml is aurora:<key>) and its providers read aws:*, mysql:*, "
        "pulumi:*, random:*; did you mean aurora:deletionProtection?"
    ]


# --- engineVersion, asked of AWS --------------------------------------------------------------------


def test_the_engine_version_is_asked_of_aws_before_any_resource_is_declared(monkeypatch, program):
    """The provider's data source (terraform-provider-aws internal/service/rds/engine_version_data_source.go)
    sends `version` as DescribeDBEngineVersions EngineVersion for engine aurora-mysql."""
    asked_before: list[bool] = []
    new_resource = RecordingMocks.new_resource

    def recording(self, args):
        asked_before.append(any(token == ENGINE_VERSION_INVOKE for token, _ in self.invokes))
        return new_resource(self, args)

    monkeypatch.setattr(RecordingMocks, "new_resource", recording)
    deployment = program("dev")
    asked = [args for token, args in deployment.invokes if token == ENGINE_VERSION_INVOKE]
    assert asked == [{"engine": "aurora-mysql", "version": "8.0.mysql_aurora.3.10.5", "region": "us-east-1"}]
    assert asked_before and all(asked_before)


def test_a_version_aws_does_not_offer_stops_the_preview_in_one_line(program):
    with pytest.raises(ConfigError) as caught:
        program(
            "dev",
            overrides={"aurora:engineVersion": UNKNOWN_VERSION},
            deployed=AccountState(engine_versions_not_offered=frozenset({UNKNOWN_VERSION})),
        )
    assert caught.value.problems == [
        f"aurora:engineVersion is '{UNKNOWN_VERSION}': AWS does not offer this Aurora MySQL version in us-east-1 "
        "(DescribeDBEngineVersions); list those it offers with `aws rds describe-db-engine-versions --engine "
        "aurora-mysql --region us-east-1 --query 'DBEngineVersions[].EngineVersion'`"
    ]


def test_a_major_upgrade_target_aws_does_not_offer_is_refused(program):
    running = {"clusterIdentifier": "aurora-prod", "engineVersion": "8.0.mysql_aurora.3.10.5", "tags": {}}
    target = "8.4.mysql_aurora.8.4.99"
    with pytest.raises(ConfigError) as caught:
        program(
            "prod",
            overrides={
                "aurora:engineVersion": target,
                "aurora:majorVersionUpgradeAcknowledged": True,
                "aurora:applyImmediately": True,
            },
            stack_outputs=DEV_SOURCE_OUTPUTS,
            deployed=AccountState({(CLUSTER, "database-cluster"): running}, engine_versions_not_offered=frozenset({target})),
        )
    assert caught.value.problems == [
        f"aurora:engineVersion is '{target}' (the upgrade of the cluster that runs '8.0.mysql_aurora.3.10.5'): AWS "
        "does not offer this Aurora MySQL version in us-east-1 (DescribeDBEngineVersions); list those it offers with "
        "`aws rds describe-db-engine-versions --engine aurora-mysql --region us-east-1 --query "
        "'DBEngineVersions[].EngineVersion'`"
    ]


def test_a_cluster_that_already_runs_the_version_is_not_asked_about(program):
    """Nothing is created at it, and AWS may have stopped offering a version a cluster still runs."""
    running = {"clusterIdentifier": "aurora-prod", "engineVersion": "8.0.mysql_aurora.3.10.5", "tags": {}}
    deployment = program(
        "prod", stack_outputs=DEV_SOURCE_OUTPUTS, deployed=AccountState({(CLUSTER, "database-cluster"): running})
    )
    assert not [token for token, _ in deployment.invokes if token == ENGINE_VERSION_INVOKE]


def test_the_offline_plan_offers_a_well_formed_version_it_has_not_heard_of(program):
    """The fake account cannot know AWS's catalogue: a real new minor in a pull request's plan is not
    refused offline (`pulumi preview` asks AWS)."""
    deployment = program("dev", overrides={"aurora:engineVersion": "8.0.mysql_aurora.3.11.0"})
    [cluster] = [r for r in deployment.resources if r.type == CLUSTER]
    assert cluster.inputs["engineVersion"] == "8.0.mysql_aurora.3.11.0"


def test_a_global_database_asks_in_both_regions():
    settings = load(
        {**PROVISIONED, "provisioned": {"backtrackHours": 0}, "disasterRecovery": {"region": "us-west-2", "mode": "global"}}
    )
    assert engine_version_regions(settings) == ["us-east-1", "us-west-2"]
    assert engine_version_regions(load(SERVERLESS)) == ["us-east-1"]


def test_an_answer_for_another_version_is_refused(monkeypatch):
    monkeypatch.setattr(
        deployed_module.aws.rds, "get_engine_version", lambda **_: SimpleNamespace(version_actual="8.0.mysql_aurora.3.10.50")
    )
    problem = engine_version_problem(load(SERVERLESS), None)
    assert problem is not None and problem.startswith("aurora:engineVersion is '8.0.mysql_aurora.3.10.5': AWS does not offer")


def test_when_aws_cannot_be_asked_the_run_stops_in_one_line_without_a_traceback(monkeypatch):
    """Decided: no answer (no credentials, no network) stops the run; the question is not skipped,
    or `pulumi up` would fail at CreateDBCluster after other resources exist."""

    # The shape of an invoke's error as the Python SDK raises it: the provider's reason
    # (engine_version_data_source.go "reading RDS engine versions: %s") on its own line.
    def no_credentials(**_):
        raise Exception(
            "invocation of aws:rds/getEngineVersion:getEngineVersion returned an error: invoking "
            "aws:rds/getEngineVersion:getEngineVersion: 1 error occurred:\n\t* reading RDS engine versions: "
            "get credentials: failed to refresh cached credentials, no EC2 IMDS role found\n\n"
        )

    monkeypatch.setattr(deployed_module.aws.rds, "get_engine_version", no_credentials)
    with pytest.raises(DeployedStateError) as caught:
        engine_version_problem(load(SERVERLESS), None)
    assert str(caught.value) == (
        "could not ask AWS whether aurora:engineVersion '8.0.mysql_aurora.3.10.5' is offered in us-east-1 "
        "(DescribeDBEngineVersions): invocation of aws:rds/getEngineVersion:getEngineVersion returned an error: "
        "invoking aws:rds/getEngineVersion:getEngineVersion: 1 error occurred: * reading RDS engine versions: get "
        "credentials: failed to refresh cached credentials, no EC2 IMDS role found"
    )


def test_the_running_version_is_not_asked_about_even_when_aws_cannot_be_asked(monkeypatch):
    def unreachable(**_):
        raise AssertionError("asked")

    monkeypatch.setattr(deployed_module.aws.rds, "get_engine_version", unreachable)
    running = DeployedCluster("aurora-dev", "8.0.mysql_aurora.3.10.5")
    assert engine_version_problem(load(SERVERLESS), running) is None


# --- RDS Proxy and Aurora MySQL 8.4 -----------------------------------------------------------------


def test_rds_proxy_on_aurora_mysql_8_4_is_refused_until_aws_lists_it():
    """Aurora User Guide, "Supported Regions and Aurora DB engines for Amazon RDS Proxy" (Amazon RDS
    Proxy with Aurora MySQL): the table's columns are Aurora MySQL version 3 and version 2; 8.4 is not listed."""
    raw = {**PROVISIONED, "provisioned": {"proxy": True}, "engineVersion": "8.4.mysql_aurora.8.4.7"}
    assert problems(raw) == [
        "aurora:provisioned.proxy is true but aurora:engineVersion is '8.4.mysql_aurora.8.4.7': RDS Proxy supports "
        'Aurora MySQL 2 and 3 (MySQL 5.7 and 8.0), not yet Aurora MySQL 8.4 (Aurora User Guide, "Supported Regions '
        'and Aurora DB engines for Amazon RDS Proxy"); keep an Aurora MySQL 3 version or turn the proxy off'
    ]
    assert load({**raw, "engineVersion": "8.0.mysql_aurora.3.10.5"}).shape.proxy
    assert load({**raw, "provisioned": {"proxy": False}}).engine_version == "8.4.mysql_aurora.8.4.7"


def test_a_major_upgrade_to_8_4_with_the_proxy_is_refused(program):
    running = {"clusterIdentifier": "aurora-prod", "engineVersion": "8.0.mysql_aurora.3.10.5", "tags": {}}
    with pytest.raises(ConfigError) as caught:
        program(
            "prod",
            overrides={
                "aurora:engineVersion": "8.4.mysql_aurora.8.4.7",
                "aurora:majorVersionUpgradeAcknowledged": True,
                "aurora:applyImmediately": True,
                "aurora:provisioned": {"proxy": True},
            },
            stack_outputs=DEV_SOURCE_OUTPUTS,
            deployed=AccountState({(CLUSTER, "database-cluster"): running}),
        )
    assert [p.split(" ", 1)[0] for p in caught.value.problems] == ["aurora:provisioned.proxy"]
