"""The whole program under the mock engine, driven by the real Pulumi.dev.yaml."""

import json

import pytest

from plan.engine import DEFAULT_SUBNETS, MOCK_RANDOM_HEX
from settings.loading import ConfigError

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def test_cluster_is_serverless_v2_with_auto_pause(dev):
    cluster = dev.one(CLUSTER).inputs
    assert cluster["engine"] == "aurora-mysql"
    assert cluster["engineMode"] == "provisioned"
    assert cluster["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    assert cluster["serverlessv2ScalingConfiguration"] == {"minCapacity": 0, "maxCapacity": 4, "secondsUntilAutoPause": 300}
    assert "scalingConfiguration" not in cluster


def test_cluster_keeps_secrets_out_of_state_and_encrypts_storage(dev):
    cluster = dev.one(CLUSTER).inputs
    assert cluster["manageMasterUserPassword"] is True
    assert "masterPassword" not in cluster
    assert cluster["storageEncrypted"] is True
    assert cluster["masterUsername"] == "admin"


def test_cluster_keeps_data_on_deletion(dev):
    cluster = dev.one(CLUSTER)
    assert cluster.inputs["skipFinalSnapshot"] is False
    assert cluster.inputs["finalSnapshotIdentifier"] == f"aurora-dev-final-{MOCK_RANDOM_HEX}"
    assert cluster.inputs["deleteAutomatedBackups"] is False
    assert cluster.inputs["copyTagsToSnapshot"] is True
    assert sorted(cluster.ignore_changes) == [
        "availabilityZones",
        "engineLifecycleSupport",
        "performanceInsightsKmsKeyId",
        "snapshotIdentifier",
    ]


def test_dev_cluster_is_not_protected_so_the_workshop_cleanup_works(dev):
    cluster = dev.one(CLUSTER)
    assert cluster.protect is False
    assert cluster.inputs["deletionProtection"] is False


def test_cluster_backups_windows_and_data_api(dev):
    cluster = dev.one(CLUSTER).inputs
    assert cluster["backupRetentionPeriod"] == 1
    assert cluster["preferredBackupWindow"] == "03:00-04:00"
    assert cluster["preferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
    assert cluster["enableHttpEndpoint"] is True
    assert cluster["iamDatabaseAuthenticationEnabled"] is True
    assert cluster["enabledCloudwatchLogsExports"] == ["error", "slowquery"]


def test_writer_is_a_private_serverless_instance_with_pinned_minor_version(dev):
    writer = dev.one(INSTANCE)
    assert writer.inputs["instanceClass"] == "db.serverless"
    assert writer.inputs["publiclyAccessible"] is False
    assert writer.inputs["autoMinorVersionUpgrade"] is False
    assert writer.inputs["caCertIdentifier"] == "rds-ca-rsa2048-g1"
    assert writer.inputs["identifier"] == "aurora-dev-instance-1"
    assert writer.inputs["clusterIdentifier"] == "aurora-dev"
    assert writer.inputs["promotionTier"] == 0


def test_tls_is_required_by_the_cluster_parameter_group(dev):
    group = dev.one("aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs
    assert group["family"] == "aurora-mysql8.0"
    parameters = {p["name"]: p["value"] for p in group["parameters"]}
    assert parameters["require_secure_transport"] == "ON"
    assert parameters["slow_query_log"] == "1" and parameters["log_output"] == "FILE"
    assert dev.one(CLUSTER).inputs["dbClusterParameterGroupName"] == "database-cluster-params-name"


def test_log_groups_exist_before_the_cluster_with_retention(dev):
    groups = dev.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert sorted(g.inputs["name"] for g in groups) == [
        "/aws/rds/cluster/aurora-dev/error",
        "/aws/rds/cluster/aurora-dev/slowquery",
    ]
    assert all(g.inputs["retentionInDays"] == 30 for g in groups)
    assert {g.urn for g in groups} <= set(dev.one(CLUSTER).dependencies)


def test_database_ingress_is_mysql_from_the_client_group_only(dev):
    rules = dev.of_type(INGRESS)
    assert len(rules) == 1
    rule = rules[0].inputs
    assert (rule["ipProtocol"], rule["fromPort"], rule["toPort"]) == ("tcp", 3306, 3306)
    assert "cidrIpv4" not in rule
    # The ids are the groups' own: the engine records which resource each input came from.
    assert rules[0].property_dependencies["securityGroupId"] == [dev.named("network-database").urn]
    assert rules[0].property_dependencies["referencedSecurityGroupId"] == [dev.named("network-client").urn]


def test_no_rule_anywhere_admits_the_world(dev):
    for rule in dev.of_type(INGRESS):
        assert rule.inputs.get("cidrIpv4") != "0.0.0.0/0"
    for group in dev.of_type("aws:ec2/securityGroup:SecurityGroup"):
        assert "ingress" not in group.inputs and "egress" not in group.inputs


def test_client_egress_is_https_and_mysql_only(dev):
    rules = sorted(
        (r.inputs["fromPort"], r.inputs.get("cidrIpv4"), "referencedSecurityGroupId" in r.inputs) for r in dev.of_type(EGRESS)
    )
    assert rules == [(443, "0.0.0.0/0", False), (3306, None, True)]


def test_subnet_group_uses_every_default_subnet(dev):
    group = dev.one("aws:rds/subnetGroup:SubnetGroup").inputs
    assert group["subnetIds"] == sorted(DEFAULT_SUBNETS)


def test_client_host_is_ssm_managed_with_imdsv2_and_encrypted_disk(dev):
    instance = dev.one("aws:ec2/instance:Instance")
    assert instance.inputs["metadataOptions"]["httpTokens"] == "required"
    assert instance.inputs["rootBlockDevice"]["encrypted"] is True
    assert instance.inputs["instanceType"] == "t4g.micro"
    assert "keyName" not in instance.inputs
    assert instance.ignore_changes == ["ami"]
    user_data = instance.inputs["userData"]
    assert "export AURORA_ENDPOINT=aurora-dev.cluster-abc.us-east-1.rds.amazonaws.com" in user_data
    assert "dnf install -y mariadb105" in user_data
    assert "--ssl-verify-server-cert" in user_data


def test_client_role_has_ssm_core_and_reads_only_the_master_secret(dev):
    trust = json.loads(dev.one("aws:iam/role:Role", "client-role").inputs["assumeRolePolicy"])
    assert trust["Statement"] == [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    attachment = dev.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    policy = json.loads(dev.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev",
        }
    ]


def test_every_child_is_parented_to_its_component(dev):
    components = {r.urn: r for r in dev.resources if r.type.startswith("aurora:")}
    for resource in dev.resources:
        if resource.type.startswith("aws:"):
            assert resource.parent in components, resource.name
            assert resource.name.startswith(components[resource.parent].name + "-"), resource.name


def test_every_taggable_resource_carries_the_stack_tags(dev):
    for resource in dev.resources:
        if "tags" in resource.inputs:
            assert resource.inputs["tags"]["Stack"] == "dev"
            assert resource.inputs["tags"]["Environment"] == "dev"


def test_outputs_give_what_users_and_the_prod_stack_read(dev):
    outputs = dev.outputs
    assert outputs["clusterIdentifier"] == "aurora-dev"
    assert outputs["port"] == 3306
    assert outputs["secretArn"].startswith("arn:aws:secretsmanager:")
    assert outputs["clientInstanceId"] == "i-0123456789abcdef0"
    assert "aws ssm start-session --region us-east-1 --target i-0123456789abcdef0" in outputs["connect"]
    assert "aws rds-data execute-statement" in outputs["connect"]
    assert set(outputs) >= {"clusterArn", "clusterEndpoint", "readerEndpoint", "securityGroupId"}


def test_without_a_client_host_there_is_no_instance_and_no_ingress(program):
    deployment = program("dev", overrides={"aurora:client": "none"})
    assert "aws:ec2/instance:Instance" not in deployment.types()
    assert deployment.of_type(INGRESS) == []
    assert "clientInstanceId" not in deployment.outputs


def test_existing_vpc_admits_named_groups_and_private_ranges(program):
    deployment = program(
        "dev",
        overrides={
            "aurora:client": "none",
            "aurora:network": {
                "vpcId": "vpc-0123456789abcdef0",
                "subnetIds": ["subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"],
                "allowedSecurityGroupIds": ["sg-0cccccccccccccccc"],
                "allowedCidrs": ["10.20.0.0/16"],
            },
        },
    )
    sources = sorted(
        (r.inputs.get("referencedSecurityGroupId", ""), r.inputs.get("cidrIpv4", "")) for r in deployment.of_type(INGRESS)
    )
    assert sources == [("", "10.20.0.0/16"), ("sg-0cccccccccccccccc", "")]
    assert deployment.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"] == [
        "subnet-0bbbbbbbbbbbbbbb0",
        "subnet-0bbbbbbbbbbbbbbb1",
    ]


def test_bad_configuration_declares_nothing(program):
    with pytest.raises(ConfigError) as caught:
        program("dev", overrides={"aurora:engineVersion": "5.6.10a"})
    assert "aurora:engineVersion is '5.6.10a'" in str(caught.value)


def test_dev_dashboard_watches_serverless_capacity_and_alarms_on_acu(dev):
    body = json.loads(dev.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert "Serverless capacity (ACU)" in titles and "Replica lag (ms)" not in titles
    alarms = {a.inputs["name"]: a.inputs for a in dev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarms) == {"aurora-dev-writer-cpu", "aurora-dev-writer-memory", "aurora-dev-acu", "aurora-dev-client-idle-stop"}
    assert alarms["aurora-dev-acu"]["dimensions"] == {"DBClusterIdentifier": "aurora-dev"}
    assert all(a["treatMissingData"] == "notBreaching" for a in alarms.values())


def test_dev_has_no_backtrack_no_monitoring_role_and_no_restore(dev):
    cluster = dev.one(CLUSTER).inputs
    assert "backtrackWindow" not in cluster and "snapshotIdentifier" not in cluster
    assert dev.one(INSTANCE).inputs["monitoringInterval"] == 0
    assert "aws:rds/clusterSnapshot:ClusterSnapshot" not in dev.types()


def test_final_snapshot_name_is_unique_per_incarnation_of_the_stack(dev):
    """A fixed `<cluster>-final` collides at the second destroy (DBClusterSnapshotAlreadyExists):
    the suffix is a RandomId kept for the stack's life (terraform-aws-modules/terraform-aws-rds-aurora
    main.tf uses random_id the same way). final_snapshot_identifier is Optional without ForceNew in
    terraform-provider-aws internal/service/rds/cluster.go (resourceCluster schema), so adding the
    suffix to an existing cluster is an in-place state change, never a replacement."""
    suffix = dev.one("random:index/randomId:RandomId", "database-final-snapshot-suffix")
    assert suffix.inputs == {"byteLength": 4, "keepers": {"clusterIdentifier": "aurora-dev"}}
    cluster = dev.one(CLUSTER)
    assert cluster.property_dependencies["finalSnapshotIdentifier"] == [suffix.urn]


def test_dev_exports_its_engine_version_and_master_user_for_the_promotion(dev):
    """A snapshot restores at its own engine version; the prod stack reads this output to check it."""
    assert dev.outputs["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    assert dev.outputs["masterUsername"] == "admin"


def test_client_host_subnet_is_in_a_zone_that_offers_its_type(dev):
    """aws.ec2.get_instance_type_offerings with location_type availability-zone lists the zones
    (EC2 DescribeInstanceTypeOfferings, LocationType availability-zone)."""
    offerings = [a for t, a in dev.invokes if t == "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings"]
    assert offerings == [{"filters": [{"name": "instance-type", "values": ["t4g.micro"]}], "locationType": "availability-zone"}]
    assert dev.one("aws:ec2/instance:Instance").inputs["subnetId"] == "subnet-0aaaaaaaaaaaaaaa1"


def test_the_first_subnet_in_an_offering_zone_hosts_the_client():
    from components.placement import client_subnet

    zones = {"subnet-01": "us-east-1c", "subnet-02": "us-east-1a"}
    assert client_subnet(zones, {"us-east-1a", "us-east-1b"}, "t4g.micro", "network") == "subnet-02"


def test_a_configured_client_subnet_in_a_zone_without_the_type_is_refused(program):
    from components.placement import PlacementError

    with pytest.raises(PlacementError) as caught:
        program("dev", overrides={"aurora:network": {"vpcId": "default", "clientSubnetId": "subnet-0aaaaaaaaaaaaaaa3"}})
    assert str(caught.value) == (
        "aurora:network.clientSubnetId subnet-0aaaaaaaaaaaaaaa3 is in us-east-1c, which does not offer t4g.micro; "
        "choose a subnet in one of us-east-1a, us-east-1b"
    )
