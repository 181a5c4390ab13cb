"""Disaster recovery as configuration: the refused combinations, the snapshot-copy resources, and
the Global Database with its secondary cluster in the DR region."""

import json

import pytest

from plan.engine import MOCK_PASSWORD, MOCK_RANDOM_HEX
from settings.loading import ConfigError
from tests.helpers import DEV_SOURCE_OUTPUTS
from tests.settings.helpers import only_problem, problems

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
    only_problem(problems, "disasterRecovery.region", "is 'us-east-1'", "the same as aws:region", "a different region")


def test_unknown_dr_region_is_refused(program):
    problems = refused(program, "prod", {**DR, "region": "us-west-9"})
    only_problem(problems, "disasterRecovery.region", "is 'us-west-9':", "expected an AWS region, such as us-west-2")


def test_snapshot_copy_backs_up_daily_and_copies_to_a_vault_in_the_dr_region(program):
    deployment = program("prod", overrides={"aurora:disasterRecovery": DR}, stack_outputs=DEV_SOURCE_OUTPUTS)
    key = deployment.one("aws:kms/key:Key", "disaster-recovery-dr-key").inputs
    assert key["region"] == "us-west-2" and key["enableKeyRotation"] is True
    vaults = {v.name: v.inputs for v in deployment.of_type("aws:backup/vault:Vault")}
    assert vaults["disaster-recovery-dr-vault"]["region"] == "us-west-2"
    assert vaults["disaster-recovery-dr-vault"]["kmsKeyArn"] == "arn:aws:kms:us-west-2:123456789012:key/disaster-recovery-dr-key"
    assert "region" not in vaults["disaster-recovery-vault"]
    rule = deployment.one("aws:backup/plan:Plan").inputs["rules"][0]
    # Derived from Pulumi.prod.yaml's windows (03:00-04:00, sun:05:00-sun:06:00): see below.
    assert rule["schedule"] == "cron(0 6 ? * * *)" and rule["startWindow"] == 60
    assert {v.name: v.inputs["forceDestroy"] for v in deployment.of_type("aws:backup/vault:Vault")} == {
        "disaster-recovery-vault": False,
        "disaster-recovery-dr-vault": False,
    }
    assert rule["lifecycle"] == {"deleteAfter": 14}
    assert rule["copyActions"] == [
        {
            "destinationVaultArn": "arn:aws:mock:aws:backup/vault:Vault:123456789012:disaster-recovery-dr-vault",
            "lifecycle": {"deleteAfter": 14},
        }
    ]
    selection = deployment.one("aws:backup/selection:Selection").inputs
    assert selection["resources"] == ["arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"]
    trust = json.loads(deployment.one("aws:iam/role:Role", "disaster-recovery-backup-role").inputs["assumeRolePolicy"])
    # No confused-deputy condition: AWS Backup Developer Guide, "Cross-service confused deputy
    # prevention", documents aws:SourceArn / aws:SourceAccount for the SNS topic and KMS key
    # policies only, not for the role Backup assumes (disaster_recovery.py).
    assert trust == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    assert deployment.outputs["drVaultArn"].endswith("disaster-recovery-dr-vault")
    assert deployment.one("aws:rds/cluster:Cluster").inputs["backtrackWindow"] == 86400


GLOBAL = {"region": "us-west-2", "mode": "global", "instances": 2, "allowedCidrs": ["10.20.0.0/16"]}
PROD_WITHOUT_BACKTRACK = {
    "aurora:provisioned": {
        "instanceClass": "db.r7g.large",
        "readers": 1,
        "backtrackHours": 0,
        "monitoringInterval": 60,
        "insights": "standard",
    }
}
CLUSTER = "aws:rds/cluster:Cluster"


@pytest.fixture(scope="module")
def global_prod():
    from plan.engine import run_program

    # The primary's reader is smaller than its writer: the secondary's instances take the writer's class.
    provisioned = {**PROD_WITHOUT_BACKTRACK["aurora:provisioned"], "readerInstanceClasses": ["db.r6g.large"]}
    return run_program(
        "prod", overrides={"aurora:disasterRecovery": GLOBAL, "aurora:provisioned": provisioned}, stack_outputs=DEV_SOURCE_OUTPUTS
    )


@pytest.mark.engine
def test_global_database_is_made_from_the_existing_cluster(global_prod):
    primary = global_prod.named("database-cluster")
    assert "globalClusterIdentifier" not in primary.inputs
    # The primary learns its global identifier from AWS; its own inputs must never undo it.
    assert sorted(primary.ignore_changes) == [
        "availabilityZones",
        "engineLifecycleSupport",
        "globalClusterIdentifier",
        "performanceInsightsKmsKeyId",
        "snapshotIdentifier",
    ]
    assert primary.inputs["backtrackWindow"] == 0
    global_cluster = global_prod.one("aws:rds/globalCluster:GlobalCluster")
    assert global_cluster.inputs["globalClusterIdentifier"] == "aurora-prod-global"
    assert global_cluster.inputs["sourceDbClusterIdentifier"] == "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
    assert global_cluster.inputs["forceDestroy"] is True and global_cluster.inputs["deletionProtection"] is True
    assert global_cluster.protect is True
    assert "engine" not in global_cluster.inputs  # inherited from the source cluster
    # Computed, never sent.
    assert "endpoint" not in global_cluster.inputs


@pytest.mark.engine
def test_extended_support_is_sent_to_each_member_cluster_not_to_the_global_cluster(global_prod):
    """CreateGlobalCluster's EngineLifecycleSupport "only applies to Aurora PostgreSQL-based global
    databases" (botocore rds model), so an Aurora MySQL global cluster is not sent it (the provider
    sends it only when set, rds/global_cluster.go resourceGlobalClusterCreate). CreateDBCluster's
    applies to every Aurora DB cluster, a global secondary included: the secondary gets the
    primary's enrolment, so both regions reach the end of standard support alike."""
    global_cluster = global_prod.one("aws:rds/globalCluster:GlobalCluster")
    assert "engineLifecycleSupport" not in global_cluster.inputs
    primary = global_prod.named("database-cluster").inputs
    secondary = global_prod.named("global-database-secondary-cluster").inputs
    assert secondary["engineLifecycleSupport"] == primary["engineLifecycleSupport"] == "open-source-rds-extended-support"


@pytest.mark.engine
def test_secondary_cluster_lives_in_the_dr_region_encrypted_with_a_key_there(global_prod):
    secondary = global_prod.named("global-database-secondary-cluster")
    inputs = secondary.inputs
    assert inputs["clusterIdentifier"] == "aurora-prod-us-west-2"
    assert inputs["region"] == "us-west-2"
    assert inputs["globalClusterIdentifier"] == "aurora-prod-global"
    assert inputs["storageEncrypted"] is True
    assert inputs["kmsKeyId"] == "arn:aws:kms:us-west-2:123456789012:key/global-database-storage-key"
    assert inputs["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    assert "masterUsername" not in inputs and "masterPassword" not in inputs and "manageMasterUserPassword" not in inputs
    assert (
        inputs["skipFinalSnapshot"] is False
        and inputs["finalSnapshotIdentifier"] == f"aurora-prod-us-west-2-final-{MOCK_RANDOM_HEX}"
    )
    assert inputs["deletionProtection"] is True and inputs["deleteAutomatedBackups"] is False
    assert inputs["enabledCloudwatchLogsExports"] == ["audit", "error", "general", "slowquery"]
    assert inputs["databaseInsightsMode"] == "standard"
    assert secondary.protect is True
    assert sorted(secondary.ignore_changes) == [
        "availabilityZones",
        "engineLifecycleSupport",
        "performanceInsightsKmsKeyId",
        "replicationSourceIdentifier",
    ]
    writer = global_prod.named("database-instance-1")
    assert writer.urn in secondary.dependencies
    key = global_prod.named("global-database-storage-key").inputs
    assert key["region"] == "us-west-2" and key["enableKeyRotation"] is True


@pytest.mark.engine
def test_secondary_network_is_in_the_dr_region_and_admits_only_named_ranges(global_prod):
    subnet_group = global_prod.named("global-database-network-db-subnets").inputs
    assert subnet_group["region"] == "us-west-2"
    assert subnet_group["subnetIds"] == ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
    group = global_prod.named("global-database-network-database").inputs
    assert group["region"] == "us-west-2" and group["vpcId"] == "vpc-0ddd0ddd0ddd0ddd0"
    rules = [
        r
        for r in global_prod.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("global-database-")
    ]
    secondary_groups = global_prod.named("global-database-secondary-cluster").inputs["vpcSecurityGroupIds"]
    assert len(secondary_groups) == 1
    assert [rule.inputs for rule in rules] == [
        {
            # The group the secondary cluster sits in, and no other.
            "securityGroupId": secondary_groups[0],
            "description": "Private client range",
            "ipProtocol": "tcp",
            "fromPort": 3306,
            "toPort": 3306,
            "region": "us-west-2",
            "cidrIpv4": "10.20.0.0/16",
            "tags": {"Project": "aurora", "Stack": "prod", "ManagedBy": "pulumi", "Environment": "prod"},
        }
    ]
    assert rules[0].property_dependencies["securityGroupId"] == [global_prod.named("global-database-network-database").urn]
    params = global_prod.named("global-database-secondary-cluster-params").inputs
    assert params["region"] == "us-west-2"
    assert {"name": "require_secure_transport", "value": "ON", "applyMethod": "immediate"} in params["parameters"]
    logs = [r.inputs for r in global_prod.of_type("aws:cloudwatch/logGroup:LogGroup") if r.name.startswith("global-database-")]
    assert sorted(log["name"] for log in logs) == [
        f"/aws/rds/cluster/aurora-prod-us-west-2/{t}" for t in ("audit", "error", "general", "slowquery")
    ]
    assert all(log["region"] == "us-west-2" and log["retentionInDays"] == 90 for log in logs)


@pytest.mark.engine
def test_secondary_instances_take_the_primary_writers_class_not_its_readers(global_prod):
    """After a Region failover a secondary instance writes in the primary writer's place."""
    classes = {
        r.inputs["identifier"]: r.inputs["instanceClass"] for r in global_prod.of_type("aws:rds/clusterInstance:ClusterInstance")
    }
    assert classes == {
        "aurora-prod-instance-1": "db.r7g.large",
        "aurora-prod-instance-2": "db.r6g.large",
        "aurora-prod-us-west-2-instance-1": "db.r7g.large",
        "aurora-prod-us-west-2-instance-2": "db.r7g.large",
    }


@pytest.mark.engine
def test_secondary_instances_spread_over_the_dr_zones(global_prod):
    # Registration order follows the engine's scheduling, not the program's: sort.
    instances = sorted(
        (r for r in global_prod.of_type("aws:rds/clusterInstance:ClusterInstance") if r.name.startswith("global-database-")),
        key=lambda r: r.inputs["identifier"],
    )
    assert [(i.inputs["identifier"], i.inputs["availabilityZone"], i.inputs["promotionTier"]) for i in instances] == [
        ("aurora-prod-us-west-2-instance-1", "us-west-2a", 0),
        ("aurora-prod-us-west-2-instance-2", "us-west-2b", 1),
    ]
    for instance in instances:
        assert instance.inputs["region"] == "us-west-2"
        assert instance.inputs["instanceClass"] == "db.r7g.large"
        assert instance.inputs["publiclyAccessible"] is False
        assert instance.inputs["monitoringRoleArn"] == "arn:aws:iam::123456789012:role/database-monitoring"
        assert instance.protect is True


@pytest.mark.engine
def test_global_outputs_name_the_secondary(global_prod):
    assert global_prod.outputs["globalClusterIdentifier"] == "aurora-prod-global"
    # The Global Database writer endpoint (GlobalCluster `endpoint`, Computed in terraform-provider-aws
    # rds/global_cluster.go and in the locked pulumi-aws 7.51.1; botocore rds GlobalCluster.Endpoint
    # "always points to the writer DB instance in the current primary cluster").
    writer = "aurora-prod-global.global-abc.global.rds.amazonaws.com"
    assert global_prod.outputs["globalWriterEndpoint"] == writer
    assert f"#   {writer}" in global_prod.outputs["connect"].splitlines()
    assert global_prod.outputs["drClusterIdentifier"] == "aurora-prod-us-west-2"
    assert global_prod.outputs["drReaderEndpoint"] == "aurora-prod-us-west-2.cluster-ro-abc.us-west-2.rds.amazonaws.com"
    assert "drVaultArn" not in global_prod.outputs
    assert "aws:backup/plan:Plan" not in global_prod.types()


def test_serverless_primary_gets_a_serverless_secondary_that_never_pauses(program):
    deployment = program(
        "dev",
        overrides={
            "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
            "aurora:serverless": {"minCapacity": 0.5, "maxCapacity": 4},
        },
    )
    secondary = deployment.named("global-database-secondary-cluster")
    # One builder scales both clusters: the secondary exactly as the primary.
    primary = deployment.named("database-cluster").inputs
    assert secondary.inputs["serverlessv2ScalingConfiguration"] == primary["serverlessv2ScalingConfiguration"]
    assert secondary.inputs["serverlessv2ScalingConfiguration"] == {"minCapacity": 0.5, "maxCapacity": 4}
    # Dev is not protected; neither is its secondary.
    assert secondary.protect is False
    instance = deployment.named("global-database-secondary-instance-1").inputs
    assert instance["instanceClass"] == "db.serverless" and instance["monitoringInterval"] == 0


def test_the_secondary_has_the_primarys_performance_insights(program):
    deployment = program(
        "prod",
        overrides={
            "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
            "aurora:provisioned": {"backtrackHours": 0},
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    primary = deployment.named("database-cluster").inputs
    secondary = deployment.named("global-database-secondary-cluster").inputs
    keys = ("databaseInsightsMode", "performanceInsightsEnabled", "performanceInsightsRetentionPeriod")
    assert (
        {key: secondary.get(key) for key in keys}
        == {key: primary.get(key) for key in keys}
        == {
            "databaseInsightsMode": "standard",
            "performanceInsightsEnabled": True,
            "performanceInsightsRetentionPeriod": 7,
        }
    )


def test_secondary_placement_keys_are_refused_for_snapshot_copy(program):
    problems = refused(program, "prod", {**DR, "instances": 2})
    only_problem(
        problems, "disasterRecovery.instances", "is set", "aurora:disasterRecovery.mode is 'snapshot-copy'", "mode global"
    )


def test_public_dr_ranges_are_refused(program):
    problems = refused(program, "prod", {**GLOBAL, "allowedCidrs": ["0.0.0.0/0"]}, **PROD_WITHOUT_BACKTRACK)
    only_problem(problems, "disasterRecovery.allowedCidrs", "has '0.0.0.0/0':", "world-open")


def test_a_cluster_name_too_long_for_the_secondary_is_refused(program):
    name = "a" * 45
    problems = refused(program, "prod", GLOBAL, **PROD_WITHOUT_BACKTRACK, **{"aurora:clusterName": name})
    # One message, the tightest limit: the secondary's final snapshot (botocore rds model,
    # CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63), not also its instances' 42.
    assert problems == [
        f"aurora:clusterName is '{name}' (45 characters): the secondary final snapshot identifier "
        f"'{name}-us-west-2-final-ffffffff' derived from it would be 70 characters, over the 63 RDS allows (botocore rds "
        "model, CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63 letters, digits or hyphens); use a "
        "clusterName of at most 38 characters (the name comes with aurora:disasterRecovery.mode global)"
    ]


def test_a_missing_dr_region_is_named(program):
    problems = refused(program, "prod", {"mode": "snapshot-copy"})
    only_problem(problems, "disasterRecovery.region", "is required", "the region that receives the copies")


@pytest.mark.engine
def test_replication_lag_alarms_in_the_dr_region_on_a_topic_there(global_prod):
    alarm = global_prod.named("global-database-replication-lag").inputs
    assert alarm["region"] == "us-west-2"
    assert alarm["metricName"] == "AuroraGlobalDBReplicationLag"
    assert alarm["dimensions"] == {"DBClusterIdentifier": "aurora-prod-us-west-2"}
    assert alarm["threshold"] == 5000 and alarm["evaluationPeriods"] == 3 and alarm["period"] == 300
    topic = global_prod.named("global-database-dr-alarms").inputs
    assert topic["region"] == "us-west-2"
    assert topic["kmsMasterKeyId"] == "arn:aws:kms:us-west-2:123456789012:key/global-database-dr-alarm-key"
    assert alarm["alarmActions"] == ["arn:aws:sns:us-west-2:123456789012:global-database-dr-alarms"]
    key_policy = json.loads(global_prod.named("global-database-dr-alarm-key").inputs["policy"])
    assert any(s["Principal"] == {"Service": "cloudwatch.amazonaws.com"} for s in key_policy["Statement"])


# How the SDK marks a Pulumi secret on the wire (pulumi.runtime.rpc._special_secret_sig).
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


GENERATED_SECRET_ARN = "arn:aws:mock:aws:secretsmanager/secret:Secret:123456789012:database-master-password-secret"


def is_pulumi_secret(value) -> bool:
    return isinstance(value, dict) and SECRET_SIG in value.values()


@pytest.mark.engine
def test_global_primary_has_no_managed_password_but_a_write_only_generated_one(global_prod):
    """Managed master passwords are not supported for Global Database members (Aurora User Guide,
    "Password management with Amazon Aurora and AWS Secrets Manager", Limitations). The write-only
    arguments exist in terraform-provider-aws internal/service/rds/cluster.go (master_password_wo,
    WriteOnly, ConflictsWith manage_master_user_password; RequiredWith master_password_wo_version)."""
    primary = global_prod.named("database-cluster").inputs
    assert "manageMasterUserPassword" not in primary and "masterPassword" not in primary
    assert is_pulumi_secret(primary["masterPasswordWo"]) and primary["masterPasswordWo"]["value"] == MOCK_PASSWORD
    assert primary["masterPasswordWoVersion"] == 1


@pytest.mark.engine
def test_generated_password_is_random_rds_safe_and_rotates_with_its_version(global_prod):
    """RDS master passwords: printable ASCII except '/', '"', '@' and space (RDS User Guide, naming
    constraints). The version is the keeper: a new version is a new RandomPassword."""
    password = global_prod.one("random:index/randomPassword:RandomPassword").inputs
    assert password["length"] == 32 and password["special"] is True
    assert not set(password["overrideSpecial"]) & set('/"@ ')
    assert password["keepers"] == {"version": "1"}


@pytest.mark.engine
def test_generated_password_is_kept_in_a_kms_encrypted_secret_replicated_to_the_dr_region(global_prod):
    secret = global_prod.one("aws:secretsmanager/secret:Secret")
    # Secrets Manager keeps a deleted secret's name for the recovery window: a prefix, not a name.
    assert secret.inputs["namePrefix"] == "aurora-prod-master-" and "name" not in secret.inputs
    # Encrypted with aws/secretsmanager, by leaving the key out (see the test below).
    assert "kmsKeyId" not in secret.inputs
    assert secret.inputs["replicas"] == [{"region": "us-west-2"}]
    assert secret.protect is True
    version = global_prod.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert "secretString" not in version.inputs
    assert is_pulumi_secret(version.inputs["secretStringWo"])
    assert json.loads(version.inputs["secretStringWo"]["value"]) == {
        "engine": "mysql",
        "username": "admin",
        "password": MOCK_PASSWORD,
        "dbClusterIdentifier": "aurora-prod",
    }
    assert version.inputs["secretStringWoVersion"] == 1
    assert version.protect is True


def test_the_generated_secret_names_no_kms_key_so_a_refresh_reads_back_what_was_sent():
    """botocore secretsmanager model, DescribeSecret KmsKeyId: "If the secret is encrypted with the
    Amazon Web Services managed key aws/secretsmanager, this field is omitted." The provider's
    `kms_key_id` is Optional, not Computed, and Read stores what DescribeSecret answers
    (terraform-provider-aws internal/service/secretsmanager/secret.go), so naming the default key
    diffs on every preview. Leaving it out is the same key: CreateSecret KmsKeyId "If you don't
    specify this value, then Secrets Manager uses the key aws/secretsmanager", and for a replica,
    ReplicaRegionType KmsKeyId "If you don't include this field, Secrets Manager uses
    aws/secretsmanager" (the replica's `kms_key_id` is Optional+Computed in secret.go: read back
    without a diff when left out, as TestAccSecretsManagerSecret_basicReplica in secret_test.go shows)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("secretsmanager")
    described = model.operation_model("DescribeSecret").output_shape.members["KmsKeyId"].documentation
    assert "aws/secretsmanager</code>, this field is omitted" in described
    created = model.operation_model("CreateSecret").input_shape.members["KmsKeyId"].documentation
    assert "If you don't specify this value, then Secrets Manager uses the key <code>aws/secretsmanager</code>" in created
    replica = model.shape_for("ReplicaRegionType").members["KmsKeyId"].documentation
    assert "If you don't include this field, Secrets Manager uses <code>aws/secretsmanager</code>" in replica


@pytest.mark.engine
def test_outputs_and_the_secret_users_get_the_generated_secret(global_prod):
    secret_arn = GENERATED_SECRET_ARN
    assert global_prod.outputs["secretArn"] == secret_arn
    assert f"--secret-arn {secret_arn}" in global_prod.outputs["connect"]


def test_rotation_is_a_version_bump_of_the_password_cluster_and_secret(program):
    deployment = program(
        "prod",
        overrides={"aurora:disasterRecovery": GLOBAL, **PROD_WITHOUT_BACKTRACK, "aurora:masterPasswordVersion": 2},
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    assert deployment.one("random:index/randomPassword:RandomPassword").inputs["keepers"] == {"version": "2"}
    assert deployment.named("database-cluster").inputs["masterPasswordWoVersion"] == 2
    assert deployment.one("aws:secretsmanager/secretVersion:SecretVersion").inputs["secretStringWoVersion"] == 2


def test_the_client_host_of_a_global_primary_reads_the_generated_secret(program):
    deployment = program(
        "dev",
        overrides={
            "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
            "aurora:serverless": {"minCapacity": 0.5, "maxCapacity": 4},
        },
    )
    secret_arn = GENERATED_SECRET_ARN
    policy = json.loads(deployment.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == secret_arn
    assert f"export AURORA_SECRET_ARN={secret_arn}" in deployment.one("aws:ec2/instance:Instance").inputs["userData"]
    assert deployment.one("pulumi-python:dynamic:Resource", "sample-data").inputs["secret_arn"] == secret_arn


def test_without_a_global_database_the_password_stays_managed_and_no_version_is_accepted(program):
    problems = refused(program, "prod", DR, **{"aurora:masterPasswordVersion": 2})
    only_problem(problems, "masterPasswordVersion", "is set", "aurora:disasterRecovery.mode is not global", "Secrets Manager")


def test_global_secondary_with_advanced_insights_is_refused_with_the_reason(program):
    """terraform-provider-aws internal/service/rds/cluster.go, resourceClusterCreate: with
    global_cluster_identifier set, performance_insights_* go to the ModifyDBCluster after create
    while database_insights_mode goes to CreateDBCluster; advanced mode needs Performance Insights
    on in the same call (RDS API CreateDBCluster, DatabaseInsightsMode)."""
    provisioned = {**PROD_WITHOUT_BACKTRACK["aurora:provisioned"], "insights": "advanced"}
    problems = refused(program, "prod", GLOBAL, **{"aurora:provisioned": provisioned})
    only_problem(
        problems,
        "disasterRecovery.mode",
        "is global but aurora:provisioned.insights is 'advanced'",
        "DatabaseInsightsMode",
        "both in one call",
        "insights standard",
    )


def test_the_backup_schedule_avoids_the_real_windows_of_the_prod_stack():
    """The old fixed 05:00 UTC fell inside prod's Sunday 05:00-06:00 maintenance window. AWS Backup
    starts a job within StartWindowMinutes (minimum 60, AWS Backup API CreateBackupPlan, BackupRule)."""
    from components.disaster_recovery import SNAPSHOT_MINUTES, START_WINDOW_MINUTES, backup_start_hour
    from plan.engine import stack_config
    from settings.checks import daily_interval, daily_overlaps_daily, daily_overlaps_weekly, maintenance_interval

    config = stack_config("prod")
    backup, maintenance = config["aurora:backupWindow"], config["aurora:maintenanceWindow"]
    hour = backup_start_hour(backup, maintenance)
    job = (hour * 60, hour * 60 + START_WINDOW_MINUTES + SNAPSHOT_MINUTES)
    assert hour == 6
    assert not daily_overlaps_daily(job, daily_interval(backup))
    assert not daily_overlaps_weekly(job, maintenance_interval(maintenance))
    assert daily_overlaps_weekly((5 * 60, 6 * 60), maintenance_interval(maintenance))  # the old schedule


@pytest.mark.parametrize(
    "backup, maintenance",
    [("03:00-04:00", "sun:05:00-sun:06:00"), ("23:30-00:30", "mon:00:30-mon:03:00"), ("06:00-07:00", "wed:07:00-wed:09:00")],
)
def test_the_backup_schedule_never_meets_either_window(backup, maintenance):
    from components.disaster_recovery import SNAPSHOT_MINUTES, START_WINDOW_MINUTES, backup_start_hour
    from settings.checks import daily_interval, daily_overlaps_daily, daily_overlaps_weekly, maintenance_interval

    hour = backup_start_hour(backup, maintenance)
    job = (hour * 60, hour * 60 + START_WINDOW_MINUTES + SNAPSHOT_MINUTES)
    assert not daily_overlaps_daily(job, daily_interval(backup))
    assert not daily_overlaps_weekly(job, maintenance_interval(maintenance))


def test_the_generated_secret_and_its_replica_are_priced():
    from plan import cost, prices
    from plan.snapshot import Resource, Snapshot

    secret = Resource("urn:secret", "aws:secretsmanager/secret:Secret", "pw-secret", "", {"replicas": [{"region": "us-west-2"}]})
    [line] = cost.estimate(Snapshot("prod", "us-east-1", [secret])).lines
    assert (line.item, line.monthly_usd) == ("pw-secret", 2 * prices.SECRET_MONTH)


def test_the_installed_sdk_has_the_write_only_arguments():
    """pulumi-aws 7 bridges the provider's write-only attributes (terraform-provider-aws
    internal/service/rds/cluster.go master_password_wo*, internal/service/secretsmanager/
    secret_version.go secret_string_wo*): the installed SDK must accept them."""
    import inspect

    import pulumi_aws as aws

    cluster = inspect.signature(aws.rds.Cluster._internal_init).parameters
    version = inspect.signature(aws.secretsmanager.SecretVersion._internal_init).parameters
    assert {"master_password_wo", "master_password_wo_version"} <= set(cluster)
    assert {"secret_string_wo", "secret_string_wo_version"} <= set(version)


@pytest.mark.engine
def test_replication_lag_alarm_compares_the_maximum_over_three_periods(global_prod):
    alarm = global_prod.named("global-database-replication-lag").inputs
    assert alarm["namespace"] == "AWS/RDS" and alarm["statistic"] == "Maximum"
    assert alarm["comparisonOperator"] == "GreaterThanThreshold"
    assert alarm["okActions"] == alarm["alarmActions"]
    # A silent secondary is not a healthy one: missing data is shown as such.
    assert alarm["treatMissingData"] == "missing"


@pytest.mark.engine
def test_the_dr_alarm_topic_key_rotates(global_prod):
    key = global_prod.named("global-database-dr-alarm-key").inputs
    assert key["enableKeyRotation"] is True and key["region"] == "us-west-2"


def test_every_instance_primary_and_secondary_uses_the_configured_ca(program):
    """caCertificateIdentifier reaches ca_cert_identifier of each instance (CreateDBInstance CACertificateIdentifier)."""
    deployment = program(
        "prod",
        overrides={
            "aurora:disasterRecovery": GLOBAL,
            "aurora:provisioned": {"backtrackHours": 0},
            "aurora:caCertificateIdentifier": "rds-ca-ecc384-g1",
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    instances = deployment.of_type("aws:rds/clusterInstance:ClusterInstance")
    assert len(instances) == 4
    assert {i.inputs["caCertIdentifier"] for i in instances} == {"rds-ca-ecc384-g1"}


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_a_dr_region_in_another_partition_is_refused_in_one_line(region):
    """Cross-region snapshot copies and Global Database members stay in one partition (aws, aws-cn,
    aws-us-gov are separate); the partition is botocore's partitions data (settings/checks.py)."""
    partition = {"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"}[region]
    raw = {"capacityType": "provisioned", "disasterRecovery": {"region": region, "mode": "snapshot-copy"}}
    assert problems(raw) == [
        f"aurora:disasterRecovery.region is '{region}', in the {partition} partition, but aws:region us-east-1 is in aws: "
        "snapshot copies and Global Database members stay within one partition; choose a region of the same partition"
    ]
