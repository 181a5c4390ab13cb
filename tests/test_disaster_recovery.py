"""Disaster recovery as configuration: the refused combinations, and the snapshot-copy resources."""

import json

import pytest

from components.config import ConfigError
from conftest import DEV_SOURCE_OUTPUTS

DR = {"region": "us-west-2", "mode": "snapshot-copy", "retentionDays": 14}


def refused(program, stack, disaster_recovery, **overrides):
    with pytest.raises(ConfigError) as caught:
        program(stack, overrides={"aurora:disasterRecovery": disaster_recovery, **overrides}, stack_outputs=DEV_SOURCE_OUTPUTS)
    return caught.value.problems


def test_global_with_backtrack_explains_the_trade_off(program):
    problems = refused(program, "prod", {"region": "us-west-2", "mode": "global"})
    assert problems[0].startswith(
        "aurora:disasterRecovery.mode is global but aurora:provisioned.backtrackHours is 24: AWS does not allow backtrack on a Global Database"
    )
    assert "use mode snapshot-copy" in problems[0]


def test_global_with_auto_pause_is_refused(program):
    problems = refused(program, "dev", {"region": "us-west-2", "mode": "global"})
    assert any("a Global Database primary never auto-pauses" in p for p in problems)


def test_dr_region_equal_to_the_primary_is_refused(program):
    problems = refused(program, "prod", {**DR, "region": "us-east-1"})
    assert problems == [
        "aurora:disasterRecovery.region is 'us-east-1', the same as aws:region: disaster recovery needs a different region"
    ]


def test_unknown_dr_region_is_refused(program):
    problems = refused(program, "prod", {**DR, "region": "us-west-9"})
    assert problems == ["aurora:disasterRecovery.region is 'us-west-9': expected an AWS region where Aurora runs, such as us-west-2"]


def test_snapshot_copy_backs_up_daily_and_copies_to_a_vault_in_the_dr_region(program):
    deployment = program("prod", overrides={"aurora:disasterRecovery": DR}, stack_outputs=DEV_SOURCE_OUTPUTS)
    key = deployment.one("aws:kms/key:Key").inputs
    assert key["region"] == "us-west-2" and key["enableKeyRotation"] is True
    vaults = {v.name: v.inputs for v in deployment.of_type("aws:backup/vault:Vault")}
    assert vaults["disaster-recovery-dr-vault"]["region"] == "us-west-2"
    assert vaults["disaster-recovery-dr-vault"]["kmsKeyArn"] == "arn:aws:kms:us-west-2:123456789012:key/disaster-recovery-dr-key"
    assert "region" not in vaults["disaster-recovery-vault"]
    rule = deployment.one("aws:backup/plan:Plan").inputs["rules"][0]
    assert rule["schedule"] == "cron(0 5 ? * * *)"
    assert rule["lifecycle"] == {"deleteAfter": 14}
    assert rule["copyActions"] == [
        {"destinationVaultArn": "arn:aws:mock:aws:backup/vault:Vault:123456789012:disaster-recovery-dr-vault", "lifecycle": {"deleteAfter": 14}}
    ]
    selection = deployment.one("aws:backup/selection:Selection").inputs
    assert selection["resources"] == ["arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"]
    trust = json.loads(deployment.one("aws:iam/role:Role", "disaster-recovery-backup-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "backup.amazonaws.com"}
    assert deployment.outputs["drVaultArn"].endswith("disaster-recovery-dr-vault")
    assert deployment.one("aws:rds/cluster:Cluster").inputs["backtrackWindow"] == 86400
