"""The optional RDS Proxy (`provisioned.proxy`): off by default; when on, TLS and IAM required,
the cluster's secret read by the proxy's role only, and the cluster's sources (no others) admitted.

Facts pinned here come from botocore's rds model (CreateDBProxy, CreateDBProxyEndpoint) and the
Terraform AWS provider that pulumi-aws bridges (internal/service/rds/proxy_target.go:
RegisterDBProxyTargets with DBClusterIdentifiers and the target group's name;
proxy_default_target_group.go: the default group is the one named `default`, its `name` read back)."""

import json

import botocore.session
import pulumi
import pytest

from plan.engine import run_program, stack_config
from tests.helpers import DEV_SOURCE_OUTPUTS
from tests.settings.helpers import load, only_problem, problem_about, problems, raw_from_file, refusal_reads

PROXY = "aws:rds/proxy:Proxy"
TARGET_GROUP = "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup"
TARGET = "aws:rds/proxyTarget:ProxyTarget"
ENDPOINT = "aws:rds/proxyEndpoint:ProxyEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
PROXY_TYPES = {PROXY, TARGET_GROUP, TARGET, ENDPOINT}
PROD_TAGS = {"Project": "aurora", "Stack": "prod", "ManagedBy": "pulumi", "Environment": "prod"}
MANAGED_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-prod"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]
# The fake default VPC's third subnet is in us-east-1c, zone id use1-az3 (plan/engine.py).
PROXY_SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]


def provisioned(**changes):
    return {**stack_config("prod")["aurora:provisioned"], **changes}


def prod_with(**overrides):
    return run_program("prod", overrides=overrides, stack_outputs=DEV_SOURCE_OUTPUTS)


@pytest.fixture(scope="module")
def with_proxy():
    return prod_with(
        **{
            "aurora:provisioned": provisioned(proxy=True),
            "aurora:network": {
                "vpcId": "default",
                "allowedSecurityGroupIds": ["sg-0cccccccccccccccc"],
                "allowedCidrs": ["10.20.0.0/16"],
            },
        }
    )


def rules_of(deployment, rule_type, group):
    """(source group urn or CIDR, description, protocol, ports) of each rule on `group`."""
    found = []
    for rule in deployment.of_type(rule_type):
        if rule.property_dependencies.get("securityGroupId") != [group.urn]:
            continue
        inputs = rule.inputs
        source = rule.property_dependencies.get("referencedSecurityGroupId") or inputs.get("referencedSecurityGroupId")
        found.append(
            (
                inputs.get("cidrIpv4") or (source[0] if isinstance(source, list) and source else source),
                inputs["description"],
                inputs["ipProtocol"],
                inputs["fromPort"],
                inputs["toPort"],
            )
        )
    return sorted(found, key=str)


def test_the_proxy_is_off_by_default_in_both_real_stacks(dev, prod):
    for deployment in (dev, prod):
        assert not PROXY_TYPES & deployment.types()
        assert [r for r in deployment.resources if r.name == "network-proxy"] == []
        assert "proxyEndpoint" not in deployment.outputs and "proxyReaderEndpoint" not in deployment.outputs


@pytest.mark.engine
def test_the_proxy_requires_tls_and_iam_and_signs_in_with_the_cluster_secret(with_proxy):
    proxy = with_proxy.one(PROXY)
    assert proxy.inputs == {
        "name": "aurora-prod-proxy",
        "engineFamily": "MYSQL",
        "requireTls": True,
        "auths": [
            {
                "authScheme": "SECRETS",
                "iamAuth": "REQUIRED",
                "secretArn": MANAGED_SECRET,
                "description": "Cluster master user; clients sign in with IAM",
            }
        ],
        "roleArn": "arn:aws:iam::123456789012:role/proxy-role",
        "vpcSubnetIds": PROXY_SUBNETS,
        "vpcSecurityGroupIds": [proxy.inputs["vpcSecurityGroupIds"][0]],
        "debugLogging": False,
        "tags": PROD_TAGS,
    }
    assert proxy.property_dependencies["vpcSecurityGroupIds"] == [with_proxy.named("network-proxy").urn]
    assert with_proxy.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"] == SUBNETS


@pytest.mark.engine
def test_the_proxy_and_its_reader_endpoint_leave_out_the_use1_az3_subnet(with_proxy):
    """RDS User Guide and Aurora User Guide, "Quotas and limitations for RDS Proxy": "US East (N.
    Virginia) Region does not support RDS Proxy in the use1-az3 Availability Zone." RDS creates the
    proxy without such a subnet and reads back the shorter list; `vpc_subnet_ids` is ForceNew on
    aws_db_proxy and aws_db_proxy_endpoint (terraform-provider-aws internal/service/rds/proxy.go,
    proxy_endpoint.go; issues #17781, #23446; docs PR #40498), so sending it plans a replacement on
    every preview. The cluster's subnet group keeps all three subnets."""
    assert with_proxy.one(PROXY).inputs["vpcSubnetIds"] == PROXY_SUBNETS
    assert with_proxy.one(ENDPOINT).inputs["vpcSubnetIds"] == PROXY_SUBNETS
    assert "subnet-0aaaaaaaaaaaaaaa3" not in PROXY_SUBNETS
    assert with_proxy.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"] == SUBNETS


def test_zone_ids_rds_proxy_does_not_support_are_the_documented_ones():
    """Aurora User Guide, "Quotas and limitations for RDS Proxy": use1-az3 (US East, N. Virginia)
    and usw1-az2 (US West, N. California); zone ids, because zone names differ per account."""
    from components.network import PROXY_UNSUPPORTED_ZONE_IDS, proxy_subnets

    assert PROXY_UNSUPPORTED_ZONE_IDS == {"use1-az3": "US East (N. Virginia)", "usw1-az2": "US West (N. California)"}
    zones = {"subnet-1": "us-west-1a", "subnet-2": "us-west-1b", "subnet-3": "us-west-1c"}
    zone_ids = {"subnet-1": "usw1-az1", "subnet-2": "usw1-az2", "subnet-3": "usw1-az3"}
    assert proxy_subnets(["subnet-1", "subnet-2", "subnet-3"], zones, zone_ids, "network") == ["subnet-1", "subnet-3"]


def test_fewer_than_two_zones_rds_proxy_supports_are_refused_in_one_line(program):
    """Aurora User Guide, "Setting up network prerequisites for RDS Proxy": "This VPC should have a
    minimum of two subnets that are in different Availability Zones" (botocore's CreateDBProxy
    documentation says only "One or more VPC subnet IDs"). Refused before anything is declared,
    rather than a proxy in one zone or a failed create."""
    from components.placement import PlacementError

    network = {"vpcId": "vpc-0123456789abcdef0", "subnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa3"]}
    with pytest.raises(PlacementError) as caught:
        program(
            "prod",
            overrides={"aurora:provisioned": provisioned(proxy=True), "aurora:network": network},
            stack_outputs=DEV_SOURCE_OUTPUTS,
        )
    assert isinstance(caught.value, pulumi.RunError)
    message = str(caught.value)
    assert message.startswith("aurora:network.subnetIds: ") and "\n" not in message
    assert "supports 1 of the subnets' zones (us-east-1a;" in message and "subnet-0aaaaaaaaaaaaaaa3 (use1-az3)" in message
    assert "at least 2" in message and "provisioned.proxy off" in message


def test_the_proxy_values_are_ones_create_db_proxy_accepts():
    """botocore rds model: CreateDBProxy EngineFamily, UserAuthConfig AuthScheme and IAMAuth enums,
    CreateDBProxyEndpoint TargetRole."""
    model = botocore.session.get_session().get_service_model("rds")
    auth = model.shape_for("UserAuthConfig").members
    create = model.operation_model("CreateDBProxy").input_shape.members
    assert "MYSQL" in create["EngineFamily"].enum
    assert "RequireTLS" in create
    assert "SECRETS" in auth["AuthScheme"].enum and "REQUIRED" in auth["IAMAuth"].enum
    endpoint = model.operation_model("CreateDBProxyEndpoint").input_shape.members
    assert "READ_ONLY" in endpoint["TargetRole"].enum


@pytest.mark.engine
def test_the_proxy_role_is_trusted_by_rds_and_reads_only_the_cluster_secret(with_proxy):
    """No aws:SourceAccount / aws:SourceArn condition on this trust, unlike the Enhanced Monitoring
    role's: Aurora User Guide, "Quotas and limitations for RDS Proxy": "Currently, RDS Proxy doesn't
    support any global condition context keys", and "Configuring IAM authentication for RDS Proxy"
    documents the role without one. A condition on a key the proxy does not send would deny it."""
    role = with_proxy.named("proxy-role")
    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    policies = [p for p in with_proxy.of_type("aws:iam/rolePolicy:RolePolicy") if p.name.startswith("proxy-")]
    assert len(policies) == 1
    assert json.loads(policies[0].inputs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": MANAGED_SECRET}],
    }
    assert policies[0].property_dependencies["role"] == [role.urn]
    assert not [a for a in with_proxy.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") if a.name.startswith("proxy")]
    # The proxy is created once its role may read the secret.
    assert policies[0].urn in with_proxy.one(PROXY).dependencies


@pytest.mark.engine
def test_the_proxy_admits_exactly_the_sources_the_database_admits(with_proxy):
    database, proxy = with_proxy.named("network-database"), with_proxy.named("network-proxy")
    expected_sources = [
        ("10.20.0.0/16", "Private client range", "tcp", 3306, 3306),
        ("sg-0cccccccccccccccc", "Existing client group", "tcp", 3306, 3306),
    ]
    assert rules_of(with_proxy, INGRESS, proxy) == expected_sources
    assert rules_of(with_proxy, INGRESS, database) == sorted(
        [*expected_sources, (proxy.urn, "RDS Proxy", "tcp", 3306, 3306)], key=str
    )


@pytest.mark.engine
def test_the_proxy_reaches_only_the_database(with_proxy):
    database, proxy = with_proxy.named("network-database"), with_proxy.named("network-proxy")
    assert rules_of(with_proxy, EGRESS, proxy) == [(database.urn, "MySQL to the Aurora cluster", "tcp", 3306, 3306)]
    assert "ingress" not in proxy.inputs and "egress" not in proxy.inputs


def test_with_a_client_host_the_proxy_admits_it_too(program):
    deployment = program(
        "prod",
        overrides={"aurora:provisioned": provisioned(proxy=True), "aurora:client": "ssm"},
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    client = deployment.named("network-client")
    assert rules_of(deployment, INGRESS, deployment.named("network-proxy")) == [(client.urn, "Client host", "tcp", 3306, 3306)]


@pytest.mark.engine
def test_the_default_target_group_targets_the_cluster_once_its_instances_exist(with_proxy):
    group = with_proxy.one(TARGET_GROUP)
    assert group.inputs == {"dbProxyName": "aurora-prod-proxy"}
    target = with_proxy.one(TARGET)
    assert target.inputs == {
        "dbProxyName": "aurora-prod-proxy",
        "targetGroupName": "default",
        "dbClusterIdentifier": "aurora-prod",
    }
    assert target.property_dependencies["targetGroupName"] == [group.urn]
    instances = {r.urn for r in with_proxy.of_type("aws:rds/clusterInstance:ClusterInstance")}
    assert len(instances) == 2 and instances <= set(target.dependencies)


@pytest.mark.engine
def test_a_read_only_endpoint_serves_the_readers(with_proxy):
    endpoint = with_proxy.one(ENDPOINT)
    assert endpoint.inputs == {
        "dbProxyName": "aurora-prod-proxy",
        "dbProxyEndpointName": "aurora-prod-proxy-readers",
        "targetRole": "READ_ONLY",
        "vpcSubnetIds": PROXY_SUBNETS,
        "vpcSecurityGroupIds": with_proxy.one(PROXY).inputs["vpcSecurityGroupIds"],
        "tags": PROD_TAGS,
    }
    assert with_proxy.one(TARGET).urn in endpoint.dependencies


@pytest.mark.engine
def test_the_stack_exports_both_proxy_endpoints(with_proxy):
    assert with_proxy.outputs["proxyEndpoint"] == "aurora-prod-proxy.proxy-abc.us-east-1.rds.amazonaws.com"
    assert with_proxy.outputs["proxyReaderEndpoint"] == "aurora-prod-proxy-readers.proxy-abc.us-east-1.rds.amazonaws.com"


def test_without_readers_there_is_no_read_only_endpoint(program):
    deployment = program(
        "prod", overrides={"aurora:provisioned": provisioned(proxy=True, readers=0)}, stack_outputs=DEV_SOURCE_OUTPUTS
    )
    assert deployment.one(PROXY) and deployment.of_type(ENDPOINT) == []
    assert "proxyReaderEndpoint" not in deployment.outputs and "proxyEndpoint" in deployment.outputs


def test_in_global_mode_the_proxy_signs_in_with_the_generated_secret(program):
    """Aurora User Guide, "Using RDS Proxy with Aurora global databases": a proxy may serve any
    cluster of a global database. The primary has no managed secret there (master_password.py)."""
    deployment = program(
        "prod",
        overrides={
            "aurora:provisioned": provisioned(proxy=True, backtrackHours=0),
            "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    secret = deployment.named("database-master-password-secret")
    proxy = deployment.one(PROXY)
    assert proxy.property_dependencies["auths"] == [secret.urn]
    policy = next(p for p in deployment.of_type("aws:iam/rolePolicy:RolePolicy") if p.name == "proxy-read-secret")
    assert policy.property_dependencies["policy"] == [secret.urn]


def test_a_serverless_stack_cannot_ask_for_a_proxy():
    """RDS Proxy keeps a Serverless v2 writer from auto-pausing (aws-facts: scale to zero): the
    proxy belongs to the provisioned shape only."""
    raw = raw_from_file("dev")
    found = problems({**raw, "provisioned": {"proxy": True}})
    only_problem(found, "provisioned", "is set", "aurora:capacityType is not provisioned")


def test_the_proxy_setting_must_be_a_boolean():
    raw = raw_from_file("prod")
    found = problems({**raw, "provisioned": provisioned(proxy="yes")}, stack="prod")
    only_problem(found, "provisioned.proxy", "is 'yes':", "true or false")


def test_a_cluster_name_too_long_for_the_proxy_endpoint_is_refused_before_anything_is_declared():
    """botocore rds model: DBProxyEndpointName is at most 63 characters. The entry admits 49; on the
    stack a tighter derived name binds first (prod's promotion snapshot, 44), and that one limit is given."""
    from settings import derived_names

    raw = raw_from_file("prod")
    name = "a" * 50
    settings = load({**raw, "provisioned": provisioned(proxy=True)}, stack="prod")
    [endpoint] = [e for e in derived_names.DERIVED_NAMES if e.what == "proxy endpoint name"]
    refusal_reads(
        endpoint.problem(name, settings),
        "clusterName",
        f"the proxy endpoint name '{name}-proxy-readers'",
        "64 characters, over the 63 RDS allows",
        "DBProxyEndpointName",
        "at most 49 characters",
        "aurora:provisioned.proxy",
    )
    [found] = problems({**raw, "clusterName": name, "provisioned": provisioned(proxy=True)}, stack="prod")
    problem_about([found], "clusterName", "the promotion snapshot identifier", "at most 44 characters")
