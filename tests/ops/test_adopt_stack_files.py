"""Every stack file `ops adopt` writes for a console-built cluster is one the project accepts: the
strict YAML parse the Pulumi CLI's parser needs, the SDK's stack settings type, yamllint --strict
with the repository's .yamllint (as .ci/run runs it), and the program's own loader, the way Pulumi
hands the values to the program (tests/project/test_project_files.py does the same for the
committed stack files)."""

from __future__ import annotations

import pulumi
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID as ACCOUNT
from pulumi.automation import StackSettings
from yamllint import linter
from yamllint.config import YamlLintConfig

from ops import adopt_reads
from plan.engine import PROJECT_ROOT, _as_config_values, load_yaml, project_name
from settings.adoption import refusals, unaccepted
from settings.loading import ConfigError, load_settings, read_stack_config, stack_keys
from settings.namespaces import unread_key_problems
from tests.helpers import use_fake_aws_credentials
from tests.ops import adopt_console
from tests.ops.adopt_console import (
    console_provisioned,
    console_serverless,
    create_cluster,
    create_instance,
)
from tests.ops.ops_harness import run


def _managed_password_scale_to_zero(console):
    create_cluster(
        console.rds,
        console.account,
        "paused",
        MasterUserPassword=None,
        ManageMasterUserPassword=True,
        ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 4, "SecondsUntilAutoPause": 300},
        EnableCloudwatchLogsExports=["error"],
    )
    create_instance(console.rds, "paused", "paused-instance-1", "db.serverless", "us-east-1b")
    console.logs.create_log_group(logGroupName="/aws/rds/cluster/paused/error")
    console.logs.put_retention_policy(logGroupName="/aws/rds/cluster/paused/error", retentionInDays=14)
    return "paused"


def _customer_key_two_reader_classes(console):
    key = console.kms.create_key(Description="orders")["KeyMetadata"]["Arn"]
    create_cluster(
        console.rds, console.account, "shop", KmsKeyId=key, DeletionProtection=True, EnableIAMDatabaseAuthentication=True
    )
    monitoring = {"MonitoringInterval": 60, "MonitoringRoleArn": f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring-role"}
    create_instance(console.rds, "shop", "shop-instance-1", "db.r7g.xlarge", "us-east-1a", **monitoring)
    create_instance(console.rds, "shop", "shop-instance-2", "db.r7g.large", "us-east-1c", PromotionTier=2, **monitoring)
    return "shop"


OWNER_TAGS = [{"Key": "Project", "Value": "shop"}, {"Key": "Stack", "Value": "prod"}, {"Key": "ManagedBy", "Value": "hand"}]


def _tagged_public(console):
    """Tags the program's keys already name and instances set as the program sets them, but a public reader."""
    tags = OWNER_TAGS
    create_cluster(
        console.rds, console.account, "tagged", Tags=tags, CopyTagsToSnapshot=True, EnableCloudwatchLogsExports=["error"]
    )
    settled = {"Tags": tags, "CopyTagsToSnapshot": True, "AutoMinorVersionUpgrade": False}
    create_instance(console.rds, "tagged", "tagged-instance-1", "db.r7g.large", "us-east-1a", PromotionTier=0, **settled)
    create_instance(
        console.rds,
        "tagged",
        "tagged-instance-2",
        "db.r7g.large",
        "us-east-1b",
        PromotionTier=1,
        PubliclyAccessible=True,
        **settled,
    )
    return "tagged"


def _an_instance_with_its_own_tag(console):
    create_cluster(console.rds, console.account, "owned", Tags=OWNER_TAGS, CopyTagsToSnapshot=True)
    own = {"Tags": [*OWNER_TAGS, {"Key": "Owner", "Value": "dba"}], "CopyTagsToSnapshot": True}
    create_instance(console.rds, "owned", "owned-instance-1", "db.r7g.large", "us-east-1a", **own)
    return "owned"


def _insights_on_monitored_elsewhere(console):
    """Database Insights standard on the cluster (moto keeps neither PerformanceInsightsEnabled nor
    DatabaseInsightsMode of CreateDBCluster: added to what it describes, as botocore's DBCluster has them),
    and Enhanced Monitoring through a role of its own: only the role changes."""
    name = _customer_key_two_reader_classes(console)
    described = adopt_reads.describe_cluster
    with_insights = {"PerformanceInsightsEnabled": True, "DatabaseInsightsMode": "standard"}
    console.monkeypatch.setattr(adopt_reads, "describe_cluster", lambda rds, cluster: described(rds, cluster) | with_insights)
    return name


SHAPES = {
    "console-serverless": lambda c: console_serverless(c.rds, c.account) or "database-1",
    "console-provisioned": lambda c: console_provisioned(c.rds, c.logs, c.account) or "orders",
    "managed-password-scale-to-zero": _managed_password_scale_to_zero,
    "customer-key-two-reader-classes": _customer_key_two_reader_classes,
    "tagged-public": _tagged_public,
    "an-instance-with-its-own-tag": _an_instance_with_its_own_tag,
    "insights-on-monitored-elsewhere": _insights_on_monitored_elsewhere,
}


@pytest.fixture(scope="module", params=SHAPES, ids=str)
def adopted(request, tmp_path_factory):
    """The stack file `ops adopt` wrote for one console shape, and the changes it printed: written once
    per shape, in a moto account of its own, for this module's checks, which only read it."""
    import boto3
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as monkeypatch, mock_aws():
        use_fake_aws_credentials(monkeypatch)
        console = adopt_console.console(boto3.client("rds", region_name="us-east-1"))
        console.monkeypatch = monkeypatch
        cluster = SHAPES[request.param](console)
        directory = tmp_path_factory.mktemp(request.param)
        code, out, err = run(["adopt", "--cluster", cluster, "--stack", "adopted", "--directory", str(directory)])
    assert code == 0, err
    changes = [line.split(":")[0].strip() for line in out.split("to go ahead:\n")[1].split("\n") if line.startswith("  ")]
    changes = changes[: next((i for i, name in enumerate(changes) if name.startswith("-")), len(changes))]
    return directory / "Pulumi.adopted.yaml", changes


def _load(config: dict) -> object:
    pulumi.runtime.set_all_config(_as_config_values(config))
    raw, region = read_stack_config()
    problems = unread_key_problems(stack_keys())
    assert problems == []
    return load_settings(raw, project_name(), "adopted", region)


def test_the_written_file_parses_strictly_and_round_trips_through_the_sdk_stack_type(adopted):
    path, _ = adopted
    document = load_yaml(path)
    settings = StackSettings(config=document["config"])
    assert settings._serialize() == document


def test_the_written_file_passes_yamllint_strict_with_the_repository_configuration(adopted):
    path, _ = adopted
    config = YamlLintConfig(file=str(PROJECT_ROOT / ".yamllint"))
    assert [f"{p.line}: {p.message} ({p.rule})" for p in linter.run(path.read_text(), config)] == []


def test_the_programs_loader_accepts_the_written_file(adopted):
    path, _ = adopted
    try:
        settings = _load(load_yaml(path)["config"])
    except ConfigError as error:
        pytest.fail(f"{path.name}: {error}")
    assert settings.adopt is not None and settings.adopt.cluster == settings.cluster_name


def test_the_programs_loader_accepts_the_file_with_every_printed_change_accepted(adopted):
    path, changes = adopted
    config = load_yaml(path)["config"]
    config["aurora:adopt"]["acceptChanges"] = changes
    assert "securityGroups" in changes
    settings = _load(config)
    assert settings.adopt is not None and list(settings.adopt.accept_changes) == changes


def test_the_guard_asks_for_exactly_the_changes_ops_adopt_prints_and_refuses_nothing(adopted):
    """settings/adoption.py, run before anything is declared, and `ops adopt` read the same cluster
    alike: the written file is refused by nothing but the changes it prints, each by its name."""
    path, changes = adopted
    settings = _load(load_yaml(path)["config"])
    assert refusals(settings) == []
    assert [line.split(" add ")[1].split(" to ")[0] for line in unaccepted(settings)] == changes
