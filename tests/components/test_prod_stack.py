"""The promotion to production under the mock engine, driven by the real Pulumi.prod.yaml with the
dev stack's reference mocked."""

import json

import pytest

from plan.engine import MOCK_RANDOM_HEX
from settings.loading import ConfigError
from tests.helpers import DEV_SOURCE_OUTPUTS

PROMOTION_SNAPSHOT = f"aurora-prod-promotion-{MOCK_RANDOM_HEX}"

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
SNAPSHOT = "aws:rds/clusterSnapshot:ClusterSnapshot"


def test_snapshot_of_the_dev_cluster_is_kept_and_never_replaced(prod):
    snapshot = prod.one(SNAPSHOT)
    assert snapshot.inputs["dbClusterIdentifier"] == "aurora-dev"
    assert snapshot.inputs["dbClusterSnapshotIdentifier"] == PROMOTION_SNAPSHOT
    assert snapshot.retain_on_delete is True
    assert snapshot.ignore_changes == ["dbClusterIdentifier", "dbClusterSnapshotIdentifier"]


def test_cluster_is_restored_from_that_snapshot_and_protected(prod):
    cluster = prod.one(CLUSTER)
    assert cluster.inputs["snapshotIdentifier"] == PROMOTION_SNAPSHOT
    assert cluster.protect is True
    assert "snapshotIdentifier" in cluster.ignore_changes
    assert prod.one(SNAPSHOT).urn in cluster.dependencies
    assert cluster.inputs["deletionProtection"] is True


def test_restored_cluster_keeps_the_security_settings(prod):
    cluster = prod.one(CLUSTER).inputs
    assert cluster["engine"] == "aurora-mysql" and cluster["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    assert cluster["storageEncrypted"] is True
    assert cluster["manageMasterUserPassword"] is True and "masterPassword" not in cluster
    assert cluster["enableHttpEndpoint"] is True
    assert "serverlessv2ScalingConfiguration" not in cluster
    assert cluster["backupRetentionPeriod"] == 7
    assert cluster["skipFinalSnapshot"] is False and cluster["deleteAutomatedBackups"] is False


def test_backtrack_window_is_in_seconds(prod):
    assert prod.one(CLUSTER).inputs["backtrackWindow"] == 24 * 3600


def test_database_insights_standard_with_performance_insights(prod):
    cluster = prod.one(CLUSTER).inputs
    assert cluster["databaseInsightsMode"] == "standard"
    assert cluster["performanceInsightsEnabled"] is True
    assert cluster["performanceInsightsRetentionPeriod"] == 7


def test_writer_and_reader_are_provisioned_in_different_zones_with_tiers(prod):
    instances = sorted(prod.of_type(INSTANCE), key=lambda r: r.name)
    assert [i.inputs["instanceClass"] for i in instances] == ["db.r7g.large", "db.r7g.large"]
    assert [i.inputs["promotionTier"] for i in instances] == [0, 1]
    zones = [i.inputs["availabilityZone"] for i in instances]
    assert zones == ["us-east-1a", "us-east-1b"]
    assert all(i.protect for i in instances)
    assert all(i.inputs["publiclyAccessible"] is False for i in instances)


def test_enhanced_monitoring_role_is_trusted_by_rds_monitoring_only(prod):
    """RDS User Guide, "Setting up and enabling Enhanced Monitoring", "Protecting against the
    confused deputy problem": the trust policy carries aws:SourceAccount (StringEquals) and
    aws:SourceArn for the account's DB instances (arn:aws:rds:Region:my-account-id:db:dbname). Any
    region: the same role serves a Global Database secondary in the DR region."""
    role = prod.one("aws:iam/role:Role", "database-monitoring")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "monitoring.rds.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "ArnLike": {"aws:SourceArn": "arn:aws:rds:*:123456789012:db:*"},
                "StringEquals": {"aws:SourceAccount": "123456789012"},
            },
        }
    ]
    attachment = prod.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    for instance in prod.of_type(INSTANCE):
        assert instance.inputs["monitoringInterval"] == 60
        assert instance.inputs["monitoringRoleArn"] == "arn:aws:iam::123456789012:role/database-monitoring"


def test_parameter_group_turns_on_the_logs_that_are_exported(prod):
    parameters = {
        p["name"]: p["value"] for p in prod.one("aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs["parameters"]
    }
    assert parameters == {
        "require_secure_transport": "ON",
        "server_audit_logging": "1",
        "server_audit_events": "CONNECT,QUERY_DCL,QUERY_DDL",
        "general_log": "1",
        "slow_query_log": "1",
        "long_query_time": "1",
        "log_output": "FILE",
    }
    assert prod.one(CLUSTER).inputs["enabledCloudwatchLogsExports"] == ["audit", "error", "general", "slowquery"]


def test_log_groups_are_created_first_with_the_configured_retention(prod):
    groups = prod.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert sorted(g.inputs["name"] for g in groups) == [
        f"/aws/rds/cluster/aurora-prod/{kind}" for kind in ("audit", "error", "general", "slowquery")
    ]
    assert {g.inputs["retentionInDays"] for g in groups} == {90}
    assert {g.urn for g in groups} <= set(prod.one(CLUSTER).dependencies)


def test_restore_completion_switches_on_what_the_restore_skips(prod):
    completion = prod.one("pulumi-python:dynamic:Resource", "database-restore-completion")
    assert completion.inputs["cluster_identifier"] == "aurora-prod"
    assert completion.inputs["data_api"] is True and completion.inputs["iam_authentication"] is True
    assert completion.inputs["insights_mode"] == "standard" and completion.inputs["insights_retention_days"] == 7
    assert completion.inputs["performance_insights"] is True
    assert {i.urn for i in prod.of_type(INSTANCE)} <= set(completion.dependencies)


def test_dashboard_and_alarms(prod):
    body = json.loads(prod.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert titles[:4] == ["CPU utilization (%)", "Database connections", "Read IOPS", "Write IOPS"]
    assert "Replica lag (ms)" in titles
    alarms = {a.inputs["name"]: a.inputs for a in prod.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarms) == {"aurora-prod-writer-cpu", "aurora-prod-writer-memory", "aurora-prod-replica-lag"}
    assert alarms["aurora-prod-writer-cpu"]["threshold"] == 80
    assert alarms["aurora-prod-replica-lag"]["threshold"] == 1000
    assert alarms["aurora-prod-replica-lag"]["dimensions"] == {"DBClusterIdentifier": "aurora-prod", "Role": "READER"}
    # The AWS managed aws/sns key would silently stop every notification: CloudWatch may not use it.
    topic = prod.one("aws:sns/topic:Topic").inputs
    assert topic["kmsMasterKeyId"] == "arn:aws:kms:us-east-1:123456789012:key/observability-alarm-key"
    key_policy = json.loads(prod.one("aws:kms/key:Key", "observability-alarm-key").inputs["policy"])
    publisher = next(s for s in key_policy["Statement"] if s["Sid"] == "CloudWatchAlarmsPublish")
    assert publisher["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert publisher["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert publisher["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert all(a["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:observability-alarms"] for a in alarms.values())


def test_outputs_include_the_dashboard_and_the_snapshot(prod):
    assert prod.outputs["dashboardUrl"] == (
        "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/aurora-prod-aurora"
    )
    assert prod.outputs["restoredFromSnapshot"] == PROMOTION_SNAPSHOT
    assert prod.outputs["readerEndpoint"] == "aurora-prod.cluster-ro-abc.us-east-1.rds.amazonaws.com"


def test_an_existing_snapshot_is_restored_without_taking_a_new_one(program):
    deployment = program("prod", overrides={"aurora:restoreFrom": {"snapshotIdentifier": "aurora-dev-manual-2026"}})
    assert SNAPSHOT not in deployment.types()
    assert deployment.one(CLUSTER).inputs["snapshotIdentifier"] == "aurora-dev-manual-2026"


def test_a_destroyed_dev_stack_does_not_break_prod(program):
    deployment = program("prod", stack_outputs={"organization/aurora/dev": {}})
    assert deployment.one(SNAPSHOT).inputs["dbClusterIdentifier"] == "source-stack-has-no-clusterIdentifier-output"
    assert deployment.one(SNAPSHOT).ignore_changes == ["dbClusterIdentifier", "dbClusterSnapshotIdentifier"]


def test_without_restore_source_prod_is_a_new_empty_cluster(program):
    deployment = program("prod", remove=("aurora:restoreFrom",))
    assert SNAPSHOT not in deployment.types()
    assert "snapshotIdentifier" not in deployment.one(CLUSTER).inputs
    assert "pulumi-python:dynamic:Resource" not in deployment.types()
    assert deployment.one(CLUSTER).protect is True


def test_three_readers_never_share_the_writers_zone(program):
    deployment = program(
        "prod",
        overrides={"aurora:provisioned": {"readers": 3, "instanceClass": "db.r5.large"}},
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    instances = sorted(deployment.of_type(INSTANCE), key=lambda r: r.name)
    assert [i.inputs["availabilityZone"] for i in instances] == ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1b"]
    assert [i.inputs["promotionTier"] for i in instances] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "provisioned, message",
    [
        ({"instanceClass": "r7g.large"}, "aurora:provisioned.instanceClass is 'r7g.large': instance classes start with `db.`"),
        ({"instanceClass": "db.t4g.medium"}, "db.t* classes do not support the Data API"),
        ({"backtrackHours": 100}, "aurora:provisioned.backtrackHours is 100: allowed values are 0 (off) to 72 hours"),
        ({"monitoringInterval": 20}, "aurora:provisioned.monitoringInterval is 20: allowed values are 0, 1, 5, 10, 15, 30, 60"),
        ({"insights": "full"}, "aurora:provisioned.insights is 'full': allowed values are standard, advanced"),
        ({"readers": 16}, "aurora:provisioned.readers is 16: allowed values are whole numbers from 0 to 15"),
    ],
)
def test_bad_provisioned_values_are_refused_before_anything_is_declared(program, provisioned, message):
    with pytest.raises(ConfigError) as caught:
        program("prod", overrides={"aurora:provisioned": provisioned}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "restore_from",
    [{}, {"stack": "organization/aurora/dev", "snapshotIdentifier": "snap-1"}],
)
def test_restore_needs_exactly_one_source(program, restore_from):
    with pytest.raises(ConfigError) as caught:
        program("prod", overrides={"aurora:restoreFrom": restore_from})
    assert "set exactly one of stack (organization/aurora/dev) or snapshotIdentifier" in str(caught.value)


def test_advanced_insights_keeps_performance_insights_for_465_days(program):
    deployment = program("prod", overrides={"aurora:provisioned": {"insights": "advanced"}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    cluster = deployment.one(CLUSTER).inputs
    assert (cluster["databaseInsightsMode"], cluster["performanceInsightsRetentionPeriod"]) == ("advanced", 465)


def test_alarm_email_subscribes_to_the_topic(program):
    deployment = program("prod", overrides={"aurora:alarmEmail": "dba@example.com"}, stack_outputs=DEV_SOURCE_OUTPUTS)
    subscription = deployment.one("aws:sns/topicSubscription:TopicSubscription").inputs
    assert (subscription["protocol"], subscription["endpoint"]) == ("email", "dba@example.com")


@pytest.mark.parametrize("insights", ["standard", "advanced"])
def test_restore_completion_leaves_the_cluster_exactly_as_its_inputs_declare(program, insights):
    """What the completion applies must equal the cluster's own inputs, so the next `pulumi up`
    (after a refresh reads the cluster) has nothing left to change. The pairs are the provider's
    read of DescribeDBClusters (terraform-provider-aws internal/service/rds/cluster.go,
    resourceClusterRead: enable_http_endpoint <- HttpEndpointEnabled, ...)."""
    prod = program("prod", overrides={"aurora:provisioned": {"insights": insights}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    cluster = prod.one(CLUSTER).inputs
    completion = prod.one("pulumi-python:dynamic:Resource", "database-restore-completion").inputs
    assert completion["insights_mode"] == insights
    assert {
        "enableHttpEndpoint": completion["data_api"],
        "iamDatabaseAuthenticationEnabled": completion["iam_authentication"],
        "databaseInsightsMode": completion["insights_mode"],
        "performanceInsightsEnabled": completion["performance_insights"],
        "performanceInsightsRetentionPeriod": completion["insights_retention_days"],
    } == {
        key: cluster[key]
        for key in (
            "enableHttpEndpoint",
            "iamDatabaseAuthenticationEnabled",
            "databaseInsightsMode",
            "performanceInsightsEnabled",
            "performanceInsightsRetentionPeriod",
        )
    }


def test_restored_cluster_sends_no_master_username():
    """RestoreDBClusterFromSnapshot has no MasterUsername parameter (botocore RDS model, operation
    RestoreDBClusterFromSnapshot), and master_username is Optional+Computed+ForceNew in
    terraform-provider-aws internal/service/rds/cluster.go: sending it can only plan a replacement."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("rds")
    assert "MasterUsername" not in model.operation_model("RestoreDBClusterFromSnapshot").input_shape.members
    assert "MasterUsername" in model.operation_model("CreateDBCluster").input_shape.members


def test_the_restored_cluster_has_no_master_username_input(prod):
    assert "masterUsername" not in prod.one(CLUSTER).inputs


def test_the_client_host_of_a_restored_cluster_signs_in_as_the_clusters_user(program):
    """The user comes from the cluster's computed master_username (the mock engine answers as the
    provider's read would: the snapshot's user), not from this stack's configuration."""
    deployment = program("prod", overrides={"aurora:client": "ssm"}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert "export AURORA_USER=admin\n" in deployment.one("aws:ec2/instance:Instance").inputs["userData"]
    assert "--user=admin " in deployment.outputs["connect"]


def test_master_username_in_a_restoring_stack_is_refused(program):
    with pytest.raises(ConfigError) as caught:
        program("prod", overrides={"aurora:masterUsername": "dba"}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert caught.value.problems == [
        "aurora:masterUsername is 'dba' but aurora:restoreFrom is set: a restored cluster keeps the snapshot's "
        "master user (RestoreDBClusterFromSnapshot has no MasterUsername); remove masterUsername from this stack"
    ]


def test_a_source_at_another_engine_version_is_refused(program):
    from components.promotion import PromotionError

    outputs = {
        "organization/aurora/dev": {**DEV_SOURCE_OUTPUTS["organization/aurora/dev"], "engineVersion": "8.0.mysql_aurora.3.10.6"}
    }
    with pytest.raises(PromotionError) as caught:
        program("prod", stack_outputs=outputs)
    assert str(caught.value) == (
        "aurora:engineVersion is '8.0.mysql_aurora.3.10.5' but organization/aurora/dev runs '8.0.mysql_aurora.3.10.6': "
        "a snapshot restores at its own version; set aurora:engineVersion to '8.0.mysql_aurora.3.10.6' in this stack "
        "(upgrade after the promotion if you need a newer one)"
    )


def test_a_source_without_the_engine_version_output_says_how_to_fix_it(program):
    from components.promotion import PromotionError

    outputs = {"organization/aurora/dev": {"clusterIdentifier": "aurora-dev"}}
    with pytest.raises(PromotionError) as caught:
        program("prod", stack_outputs=outputs)
    assert "run `pulumi up -s dev` once with this version of the program, then retry" in str(caught.value)


def test_promotion_snapshot_name_is_unique_per_incarnation_and_never_renamed_in_place(prod):
    """rds.ClusterSnapshot's db_cluster_snapshot_identifier is ForceNew (terraform-provider-aws
    internal/service/rds/cluster_snapshot.go): a stack promoted under the old fixed name keeps it
    (ignore_changes) instead of replacing its retained snapshot; a new stack gets a RandomId suffix."""
    suffix = prod.one("random:index/randomId:RandomId", "promotion-snapshot-suffix")
    assert suffix.inputs == {"byteLength": 4, "keepers": {"clusterIdentifier": "aurora-prod"}}
    snapshot = prod.one(SNAPSHOT)
    assert snapshot.property_dependencies["dbClusterSnapshotIdentifier"] == [suffix.urn]
    assert "dbClusterSnapshotIdentifier" in snapshot.ignore_changes


ZONES_A_AND_C = {
    "vpcId": "vpc-0123456789abcdef0",
    "subnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa3"],
}


def test_instances_go_only_where_the_class_is_orderable(program):
    """terraform-provider-aws internal/service/rds/orderable_instance_data_source.go: with
    preferred_instance_classes the first matching option is returned and availability_zones are its
    zones (DescribeOrderableDBInstanceOptions, OrderableDBInstanceOption.AvailabilityZones)."""
    deployment = program("prod", overrides={"aurora:provisioned": {"readers": 2}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    instances = sorted(deployment.of_type(INSTANCE), key=lambda r: r.name)
    # us-east-1c sells no Graviton in the fake account (as use1-az3 does not): never used.
    assert [i.inputs["availabilityZone"] for i in instances] == ["us-east-1a", "us-east-1b", "us-east-1b"]
    orderable = [args for token, args in deployment.invokes if token == "aws:rds/getOrderableDbInstance:getOrderableDbInstance"]
    assert orderable == [
        {"engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.10.5", "preferredInstanceClasses": ["db.r7g.large"]}
    ]


def test_too_few_usable_zones_for_readers_are_refused(program):
    from components.placement import PlacementError

    with pytest.raises(PlacementError) as caught:
        program("prod", overrides={"aurora:network": ZONES_A_AND_C}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert str(caught.value) == (
        "aurora:network.subnetIds: db.r7g.large can be ordered in 1 of the subnets' zones (us-east-1a; not in "
        "us-east-1c), and 2 instance(s) need 2: add subnets in other zones or choose another instance class"
    )


def test_a_class_sold_in_every_zone_may_use_them_all(program):
    deployment = program(
        "prod",
        overrides={"aurora:network": ZONES_A_AND_C, "aurora:provisioned": {"instanceClass": "db.r5.large"}},
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    zones = [i.inputs["availabilityZone"] for i in sorted(deployment.of_type(INSTANCE), key=lambda r: r.name)]
    assert zones == ["us-east-1a", "us-east-1c"]


READER_CLASSES = {"instanceClass": "db.r7g.xlarge", "readers": 3, "readerInstanceClasses": ["db.r7g.large", "db.r6i.large"]}


def test_each_reader_gets_its_own_class_and_goes_where_that_class_is_sold(program):
    """Reader 1 and 2 take their items of readerInstanceClasses, reader 3 instanceClass; the
    orderable zones are asked once per class, and us-east-1c (no Graviton here) gets only the db.r6i reader."""
    deployment = program("prod", overrides={"aurora:provisioned": READER_CLASSES}, stack_outputs=DEV_SOURCE_OUTPUTS)
    instances = sorted(deployment.of_type(INSTANCE), key=lambda r: r.inputs["identifier"])
    assert [
        (i.inputs["identifier"], i.inputs["instanceClass"], i.inputs["availabilityZone"], i.inputs["promotionTier"])
        for i in instances
    ] == [
        ("aurora-prod-instance-1", "db.r7g.xlarge", "us-east-1a", 0),
        ("aurora-prod-instance-2", "db.r7g.large", "us-east-1b", 1),
        ("aurora-prod-instance-3", "db.r6i.large", "us-east-1c", 2),
        ("aurora-prod-instance-4", "db.r7g.xlarge", "us-east-1b", 3),
    ]
    orderable = [args for token, args in deployment.invokes if token == "aws:rds/getOrderableDbInstance:getOrderableDbInstance"]
    assert sorted(args["preferredInstanceClasses"][0] for args in orderable) == ["db.r6i.large", "db.r7g.large", "db.r7g.xlarge"]


def test_a_reader_class_sold_only_in_the_writers_zone_is_refused(program):
    from components.placement import PlacementError

    provisioned = {"instanceClass": "db.r5.large", "readerInstanceClasses": ["db.r7g.large"]}
    with pytest.raises(PlacementError) as caught:
        program(
            "prod",
            overrides={"aurora:network": ZONES_A_AND_C, "aurora:provisioned": provisioned},
            stack_outputs=DEV_SOURCE_OUTPUTS,
        )
    assert str(caught.value) == (
        "aurora:network.subnetIds: reader 1's class db.r7g.large can be ordered in no zone of the subnets but the "
        "writer's (us-east-1a), and a reader is placed outside it: add subnets in other zones or choose another class for it"
    )


def test_an_instance_keeps_its_zone_once_created(prod):
    """availability_zone is ForceNew on aws_rds_cluster_instance (terraform-provider-aws
    internal/service/rds/cluster_instance.go): a zone that later sells the class must not replace it."""
    assert all(i.ignore_changes == ["availabilityZone"] for i in prod.of_type(INSTANCE))


def test_once_prod_exists_a_dev_at_another_version_does_not_block_it(program):
    """DescribeDBClusters filter db-cluster-id (aws.rds.get_clusters): a restored prod cluster no
    longer depends on dev, which may be upgraded before it."""
    from plan.engine import AccountState

    restored = {"clusterIdentifier": "aurora-prod", "engineVersion": "8.0.mysql_aurora.3.10.5", "tags": {}}
    outputs = {
        "organization/aurora/dev": {**DEV_SOURCE_OUTPUTS["organization/aurora/dev"], "engineVersion": "8.0.mysql_aurora.3.10.6"}
    }
    deployment = program("prod", stack_outputs=outputs, deployed=AccountState({(CLUSTER, "database-cluster"): restored}))
    assert deployment.one(CLUSTER).inputs["engineVersion"] == "8.0.mysql_aurora.3.10.5"


def test_the_engine_version_check_asks_whether_prod_exists(prod):
    assert (
        "aws:rds/getClusters:getClusters",
        {"filters": [{"name": "db-cluster-id", "values": ["aurora-prod"]}]},
    ) in prod.invokes


DEV_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev"
PROD_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-2222bbbb-prod-GhIjKl"


def test_prods_secret_arn_is_the_one_the_completion_checked_never_devs(monkeypatch, program):
    """A cluster restored from a snapshot of a managed-password cluster can report the source's
    MasterUserSecret (terraform-provider-aws PR #48901, July 2026), and the provider stores what it
    read right after its post-restore modify (rds/cluster.go, resourceClusterCreate then Read). Here
    the cluster's state holds dev's secret and the restore completion prod's own, checked by its
    owner tag (awscalls/restored_cluster.own_master_secret): every use of the secret is prod's."""
    from plan.engine import RecordingMocks

    new_state = RecordingMocks._new_state

    def restored_answers(self, args):
        resource_id, state = new_state(self, args)
        if args.typ == CLUSTER:
            state["masterUserSecrets"] = [{"secretArn": DEV_SECRET}]
        if args.name == "database-restore-completion":
            state["master_secret_arn"] = PROD_SECRET
        return resource_id, state

    monkeypatch.setattr(RecordingMocks, "_new_state", restored_answers)
    deployment = program("prod", stack_outputs=DEV_SOURCE_OUTPUTS)
    assert deployment.outputs["secretArn"] == PROD_SECRET
    assert DEV_SECRET not in json.dumps(deployment.outputs, default=str)
    assert DEV_SECRET not in json.dumps([r.inputs for r in deployment.resources if r.type != CLUSTER], default=str)


def test_the_completion_checks_the_secret_of_a_managed_password_only(prod):
    assert prod.one("pulumi-python:dynamic:Resource", "database-restore-completion").inputs["managed_master_password"]
    # A completion recorded before the check existed has no answer: the cluster's own report stands.
    assert prod.outputs["secretArn"] == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-prod"
