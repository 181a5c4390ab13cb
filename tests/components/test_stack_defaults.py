"""What a stack gets when its file says little: the defaults of a minimal provisioned stack, who can
reach port 3306, and subnets that cannot host a cluster, all under the mock engine."""

import pytest

from components.network import NetworkError
from plan.engine import stack_config
from tests.helpers import DEV_SOURCE_OUTPUTS

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
MYSQL = ("tcp", 3306, 3306)
# Two subnets the mock account places in the same zone (us-east-1b): see plan/engine.py.
ONE_ZONE_SUBNETS = ["subnet-0123456789abcdef1", "subnet-0123456789abcdef3"]


def minimal_provisioned(program, **overrides):
    """The prod stack reduced to `aws:region` and `aurora:capacityType: provisioned`."""
    keep = {"aws:region", "aurora:capacityType"}
    remove = tuple(key for key in stack_config("prod") if key not in keep)
    return program("prod", overrides=overrides, remove=remove)


@pytest.fixture(scope="module")
def minimal():
    from plan.engine import run_program

    return minimal_provisioned(run_program)


@pytest.mark.engine
def test_a_minimal_provisioned_stack_gets_deletion_protection_and_pulumi_protect(minimal):
    cluster = minimal.one(CLUSTER)
    assert cluster.inputs["deletionProtection"] is True
    assert cluster.protect is True
    instances = minimal.of_type(INSTANCE)
    assert len(instances) == 2 and all(instance.protect for instance in instances)


def test_a_provisioned_cluster_stays_protected_with_deletion_protection_off(program):
    deployment = minimal_provisioned(program, **{"aurora:deletionProtection": False})
    cluster = deployment.one(CLUSTER)
    assert cluster.inputs["deletionProtection"] is False
    assert cluster.protect is True
    assert all(instance.protect for instance in deployment.of_type(INSTANCE))


@pytest.mark.engine
def test_a_minimal_provisioned_stack_applies_changes_in_the_maintenance_window(minimal):
    assert minimal.one(CLUSTER).inputs["applyImmediately"] is False
    assert [i.inputs["applyImmediately"] for i in minimal.of_type(INSTANCE)] == [False, False]
    assert minimal.one(CLUSTER).inputs["preferredMaintenanceWindow"] == "sun:05:00-sun:06:00"


def test_the_database_admits_exactly_the_client_group_and_the_configured_sources(program):
    deployment = program(
        "dev",
        overrides={
            "aurora:network": {
                "vpcId": "default",
                "allowedSecurityGroupIds": ["sg-0cccccccccccccccc", "sg-0dddddddddddddddd"],
                "allowedCidrs": ["10.20.0.0/16"],
            }
        },
    )
    database_group = deployment.named("network-database").urn
    client_group = deployment.named("network-client").urn
    admitted = set()
    for rule in deployment.of_type(INGRESS):
        assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == MYSQL
        assert rule.property_dependencies["securityGroupId"] == [database_group]
        if rule.property_dependencies.get("referencedSecurityGroupId"):
            admitted.add(("group", tuple(rule.property_dependencies["referencedSecurityGroupId"])))
        else:
            admitted.add(("source", rule.inputs.get("referencedSecurityGroupId"), rule.inputs.get("cidrIpv4")))
    assert admitted == {
        ("group", (client_group,)),
        ("source", "sg-0cccccccccccccccc", None),
        ("source", "sg-0dddddddddddddddd", None),
        ("source", None, "10.20.0.0/16"),
    }
    assert len(deployment.of_type(INGRESS)) == 4


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_subnets_in_one_zone_are_refused_with_the_setting_named(program, stack):
    network = {"vpcId": "vpc-0123456789abcdef0", "subnetIds": ONE_ZONE_SUBNETS}
    with pytest.raises(NetworkError) as caught:
        program(stack, overrides={"aurora:network": network}, stack_outputs=DEV_SOURCE_OUTPUTS)
    message = str(caught.value)
    assert message.startswith(f"aurora:network.subnetIds {ONE_ZONE_SUBNETS} ")
    assert "1 Availability Zone(s) (us-east-1b)" in message and "at least two" in message
