"""Encryption beyond the database (issue #18, defect 7): with a stack key (`kmsKeyId`) the exported
log groups and Performance Insights use customer managed keys too, each of its own region; the keys
this program creates in the DR region carry explicit key policies.

Sources: CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management
Service" (the `logs.<region>.amazonaws.com` statement, `kms:EncryptionContext:aws:logs:arn`);
terraform-provider-aws internal/service/logs/group.go (`kms_key_id` Optional, not ForceNew: Update
calls AssociateKmsKey) and internal/service/rds/cluster.go (`performance_insights_kms_key_id`
Optional+Computed, not ForceNew); "InvalidParameterCombination: You can't change your Performance
Insights KMS key" (terraform-provider-aws #9746, #44046)."""

import json

import pytest

from components.key_policies import (
    backup_vault_key_policy,
    cloudwatch_logs_statement,
    global_secondary_key_policy,
)
from plan.engine import ACCOUNT, PROJECT_ROOT
from tests.helpers import DEV_SOURCE_OUTPUTS

STACK_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SECONDARY_KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/global-database-storage-key"
WITH_KEY = {"aurora:kmsKeyId": STACK_KEY}
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CLUSTER = "aws:rds/cluster:Cluster"
GLOBAL = {
    "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
    "aurora:provisioned": {"backtrackHours": 0},
}
ROOT = {
    "Sid": "AccountAdministersKey",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*",
    "Resource": "*",
}
THROUGH_A_SERVICE = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:DescribeKey",
]


def log_group_keys(deployment, prefix):
    return {g.name: g.inputs.get("kmsKeyId") for g in deployment.of_type(LOG_GROUP) if g.name.startswith(prefix)}


def test_with_a_stack_key_every_exported_log_group_is_encrypted_with_it(program):
    prod = program("prod", overrides=WITH_KEY, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert log_group_keys(prod, "database-log-") == {
        f"database-log-{log_type}": STACK_KEY for log_type in ("audit", "error", "general", "slowquery")
    }


def test_without_a_stack_key_log_groups_and_insights_keep_the_service_defaults(prod):
    assert log_group_keys(prod, "database-log-") == dict.fromkeys(
        [f"database-log-{t}" for t in ("audit", "error", "general", "slowquery")]
    )
    cluster = prod.one(CLUSTER).inputs
    assert cluster["performanceInsightsEnabled"] is True and "performanceInsightsKmsKeyId" not in cluster


def test_a_new_provisioned_cluster_encrypts_performance_insights_with_the_stack_key(program):
    prod = program("prod", overrides=WITH_KEY, remove=("aurora:restoreFrom",))
    cluster = prod.one(CLUSTER)
    assert cluster.inputs["kmsKeyId"] == STACK_KEY
    assert cluster.inputs["performanceInsightsKmsKeyId"] == STACK_KEY
    # The key can never change once Performance Insights is on: an existing cluster keeps its own.
    assert "performanceInsightsKmsKeyId" in cluster.ignore_changes


def test_a_restored_cluster_gets_the_stack_key_for_performance_insights_through_the_completion(program):
    """A restore applies no Performance Insights setting (aws-facts: "Restoring from a snapshot"):
    RestoreCompletion switches it on, and sends the key with it, the only moment AWS accepts one."""
    prod = program("prod", overrides=WITH_KEY, stack_outputs=DEV_SOURCE_OUTPUTS)
    cluster = prod.one(CLUSTER)
    assert cluster.inputs["snapshotIdentifier"] and cluster.inputs["performanceInsightsKmsKeyId"] == STACK_KEY
    assert "performanceInsightsKmsKeyId" in cluster.ignore_changes
    completion = prod.named("database-restore-completion")
    assert completion.inputs["insights_kms_key_id"] == STACK_KEY


def test_a_serverless_cluster_encrypts_its_log_groups_and_has_no_insights_key(program):
    dev = program("dev", overrides={"aurora:kmsKeyId": STACK_KEY})
    assert set(log_group_keys(dev, "database-log-").values()) == {STACK_KEY}
    assert "performanceInsightsKmsKeyId" not in dev.one(CLUSTER).inputs


def test_the_global_secondary_uses_the_key_of_its_own_region(program):
    deployment = program("prod", overrides={**GLOBAL, **WITH_KEY}, remove=("aurora:restoreFrom",))
    assert set(log_group_keys(deployment, "database-log-").values()) == {STACK_KEY}
    assert log_group_keys(deployment, "global-database-secondary-log-") == {
        f"global-database-secondary-log-{t}": SECONDARY_KEY for t in ("audit", "error", "general", "slowquery")
    }
    secondary = deployment.named("global-database-secondary-cluster")
    assert secondary.inputs["kmsKeyId"] == SECONDARY_KEY
    assert secondary.inputs["performanceInsightsKmsKeyId"] == SECONDARY_KEY
    assert "performanceInsightsKmsKeyId" in secondary.ignore_changes
    assert deployment.named("database-cluster").inputs["performanceInsightsKmsKeyId"] == STACK_KEY


def test_without_a_stack_key_the_secondarys_log_groups_still_use_the_dr_key(program):
    """The DR key's policy admits CloudWatch Logs for the secondary's log groups (checkov CKV_AWS_158 on
    examples/Pulumi.global-dr.yaml flagged them unencrypted while the grant went unused): they use
    it whatever kmsKeyId says; Performance Insights keeps following the primary (aws/rds here)."""
    deployment = program("prod", overrides=GLOBAL, remove=("aurora:restoreFrom",))
    assert log_group_keys(deployment, "global-database-secondary-log-") == {
        f"global-database-secondary-log-{t}": SECONDARY_KEY for t in ("audit", "error", "general", "slowquery")
    }
    # The primary's groups stay on CloudWatch Logs' own encryption without a stack key.
    assert set(log_group_keys(deployment, "database-log-").values()) == {None}
    assert "performanceInsightsKmsKeyId" not in deployment.named("global-database-secondary-cluster").inputs


def test_the_dr_key_admits_exactly_the_secondarys_log_groups(program):
    """CloudWatch Logs calls KMS with the encryption context `aws:logs:arn` = the log group's ARN,
    `arn:<partition>:logs:<region>:<account>:log-group:<name>` (CloudWatch Logs User Guide, "Encrypt
    log data in CloudWatch Logs using AWS Key Management Service", step 2). The ArnLike pattern (`*`
    matches any characters, IAM User Guide "ARN condition operators") must match each group's ARN,
    and none of the primary's or another cluster's."""
    from fnmatch import fnmatchcase

    deployment = program("prod", overrides=GLOBAL, remove=("aurora:restoreFrom",))
    policy = json.loads(deployment.named("global-database-storage-key").inputs["policy"])
    logs = next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchLogsEncryptClusterLogGroups")
    assert logs["Principal"] == {"Service": "logs.us-west-2.amazonaws.com"}
    pattern = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    secondary_groups = [g.inputs for g in deployment.of_type(LOG_GROUP) if g.name.startswith("global-database-secondary-log-")]
    arns = [f"arn:aws:logs:{g['region']}:{ACCOUNT}:log-group:{g['name']}" for g in secondary_groups]
    assert len(arns) == 4 and all(fnmatchcase(arn, pattern) for arn in arns)
    primary_groups = [g.inputs["name"] for g in deployment.of_type(LOG_GROUP) if g.name.startswith("database-log-")]
    others = [f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:{name}" for name in primary_groups]
    others.append(f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{secondary_groups[0]['name']}")
    assert not any(fnmatchcase(arn, pattern) for arn in others)


def test_the_global_secondary_key_has_its_explicit_policy(program):
    deployment = program("prod", overrides=GLOBAL, remove=("aurora:restoreFrom",))
    policy = deployment.named("global-database-storage-key").inputs["policy"]
    assert json.loads(policy) == json.loads(global_secondary_key_policy("aws", ACCOUNT, "us-west-2", "aurora-prod-us-west-2"))


def test_the_backup_vault_key_has_its_explicit_policy(program):
    deployment = program("prod", overrides={"aurora:disasterRecovery": {"region": "us-west-2"}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    policy = deployment.one("aws:kms/key:Key", "disaster-recovery-dr-key").inputs["policy"]
    assert json.loads(policy) == json.loads(backup_vault_key_policy("aws", ACCOUNT, "us-west-2"))


def test_the_secondary_key_admits_rds_and_cloudwatch_logs_of_its_region_only():
    statements = json.loads(global_secondary_key_policy("aws", ACCOUNT, "us-west-2", "aurora-prod-us-west-2"))["Statement"]
    assert statements == [
        ROOT,
        {
            "Sid": "RdsUsesKeyForThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": THROUGH_A_SERVICE,
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT, "kms:ViaService": "rds.us-west-2.amazonaws.com"}},
        },
        {
            "Sid": "CloudWatchLogsEncryptClusterLogGroups",
            "Effect": "Allow",
            "Principal": {"Service": "logs.us-west-2.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/aws/rds/cluster/aurora-prod-us-west-2/*"
                    )
                }
            },
        },
    ]


def test_the_backup_vault_key_admits_aws_backup_and_the_rds_copy_it_runs():
    statements = json.loads(backup_vault_key_policy("aws-cn", ACCOUNT, "cn-north-1"))["Statement"]
    assert statements == [
        {**ROOT, "Principal": {"AWS": f"arn:aws-cn:iam::{ACCOUNT}:root"}},
        {
            "Sid": "BackupUsesKeyForThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": THROUGH_A_SERVICE,
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "kms:CallerAccount": ACCOUNT,
                    "kms:ViaService": ["backup.cn-north-1.amazonaws.com", "rds.cn-north-1.amazonaws.com"],
                }
            },
        },
    ]


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_the_logs_statement_names_the_partition_region_and_cluster(region):
    statement = cloudwatch_logs_statement("aws-us-gov", region, ACCOUNT, "aurora-prod")
    assert statement["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
    assert statement["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws-us-gov:logs:{region}:{ACCOUNT}:log-group:/aws/rds/cluster/aurora-prod/*"
        }
    }


def test_the_configuration_reference_shows_the_statement_a_stack_key_needs():
    """The user's key belongs to the user: the program cannot add this statement, the page must show it."""
    text = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    shown = text.split("Your key's policy must admit CloudWatch Logs", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(shown) == cloudwatch_logs_statement("aws", "<region>", "<account>", "<clusterName>")


def test_an_existing_global_stack_sees_its_secondarys_log_groups_updated_in_place(program):
    """Before issue 27 a global stack without kmsKeyId sent no kmsKeyId on the secondary's log
    groups; now the DR key: `kms_key_id` is not ForceNew (terraform-provider-aws
    internal/service/logs/group.go, Update calls AssociateKmsKey), so each is an update."""
    from plan import diff
    from plan.snapshot import Resource, Snapshot

    deployment = program("prod", overrides=GLOBAL, remove=("aurora:restoreFrom",))
    groups = [g for g in deployment.of_type(LOG_GROUP) if g.name.startswith("global-database-secondary-log-")]

    def snapshot(with_key: bool) -> Snapshot:
        resources = [
            Resource(
                urn=g.urn,
                type=LOG_GROUP,
                name=g.name,
                parent="",
                inputs=g.inputs if with_key else {k: v for k, v in g.inputs.items() if k != "kmsKeyId"},
            )
            for g in groups
        ]
        return Snapshot("prod", "us-east-1", resources)

    changes = diff.compare(snapshot(False), snapshot(True))
    assert len(changes) == 4 and {c.kind for c in changes} == {"update"}
    assert all(not c.loses_data for c in changes)
