"""The policy pack: each policy against compliant and violating resources, then every policy over
what both real stacks declare (zero violations)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import DEV_SOURCE_OUTPUTS, Deployment, run_program
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)

from policy.policies import POLICIES

BY_NAME = {policy.name: policy for policy in POLICIES}
DEV_URN = "urn:pulumi:dev::aurora::aws:rds/cluster:Cluster::db"
PROD_URN = "urn:pulumi:prod::aurora::aws:rds/cluster:Cluster::db"


def _options(protect: bool = False, ignore_changes: list[str] | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, ignore_changes or [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def violations(policy_name: str, resource_type: str, props: dict[str, Any], urn: str = DEV_URN) -> list[str]:
    policy = BY_NAME[policy_name]
    assert isinstance(policy, ResourceValidationPolicy)
    found: list[str] = []
    args = ResourceValidationArgs(resource_type, props, urn, urn.split("::")[-1], _options(), None)
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


PROVISIONED_CLUSTER = {
    "storageEncrypted": True,
    "manageMasterUserPassword": True,
    "masterUsername": "admin",
    "deletionProtection": True,
    "backupRetentionPeriod": 7,
    "skipFinalSnapshot": False,
    "backtrackWindow": 86400,
    "enabledCloudwatchLogsExports": ["audit", "error"],
}


def test_enforcement_levels_are_chosen_deliberately():
    levels = {policy.name: policy.enforcement_level for policy in POLICIES}
    assert levels.pop("aurora-production-backtrack") == EnforcementLevel.ADVISORY
    assert levels.pop("aurora-provider-password") == EnforcementLevel.ADVISORY
    assert set(levels.values()) == {EnforcementLevel.MANDATORY}
    assert len(levels) == 9


@pytest.mark.parametrize(
    "resource_type, props, expected",
    [
        ("aws:rds/cluster:Cluster", {"storageEncrypted": True}, []),
        (
            "aws:rds/cluster:Cluster",
            {"storageEncrypted": False},
            ["db: storageEncrypted must be true (an unencrypted cluster cannot be encrypted later)"],
        ),
        ("aws:rds/cluster:Cluster", {}, ["db: storageEncrypted must be true (an unencrypted cluster cannot be encrypted later)"]),
        ("aws:ec2/instance:Instance", {"rootBlockDevice": {"encrypted": True}}, []),
        ("aws:ec2/instance:Instance", {"rootBlockDevice": {"volumeSize": 8}}, ["db: rootBlockDevice.encrypted must be true"]),
        ("aws:s3/bucket:Bucket", {}, []),
    ],
)
def test_storage_encrypted(resource_type, props, expected):
    assert violations("aurora-storage-encrypted", resource_type, props) == expected


def test_no_public_access():
    instance = "aws:rds/clusterInstance:ClusterInstance"
    assert violations("aurora-no-public-access", instance, {"publiclyAccessible": False}) == []
    message = "db: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
    assert violations("aurora-no-public-access", instance, {"publiclyAccessible": True}) == [message]
    assert violations("aurora-no-public-access", instance, {}) == [message]


@pytest.mark.parametrize(
    "resource_type, props, open_range",
    [
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"cidrIpv4": "0.0.0.0/0"}, "0.0.0.0/0"),
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"cidrIpv6": "::/0"}, "::/0"),
        (
            "aws:ec2/securityGroupRule:SecurityGroupRule",
            {"type": "ingress", "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"]},
            "0.0.0.0/0",
        ),
        ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [{"fromPort": 3306, "cidrBlocks": ["0.0.0.0/0"]}]}, "0.0.0.0/0"),
    ],
)
def test_world_open_ingress_is_refused(resource_type, props, open_range):
    assert violations("aurora-no-world-open-ingress", resource_type, props) == [
        f"db: ingress from {open_range} is open to the world; admit named security groups or private ranges"
    ]


@pytest.mark.parametrize(
    "resource_type, props",
    [
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"cidrIpv4": "10.0.0.0/16"}),
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"referencedSecurityGroupId": "sg-0123456789abcdef0"}),
        # Egress to anywhere is how the client host reaches SSM: not ingress, not judged here.
        ("aws:ec2/securityGroupRule:SecurityGroupRule", {"type": "egress", "cidrBlocks": ["0.0.0.0/0"]}),
        ("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", {"cidrIpv4": "0.0.0.0/0"}),
    ],
)
def test_private_and_referenced_ingress_pass(resource_type, props):
    assert violations("aurora-no-world-open-ingress", resource_type, props) == []


def test_master_password_not_in_state():
    cluster = "aws:rds/cluster:Cluster"
    name = "aurora-master-password-not-in-state"
    assert violations(name, cluster, {"masterUsername": "admin", "manageMasterUserPassword": True}) == []
    assert violations(name, cluster, {"masterUsername": "admin", "masterPassword": "hunter22"}) == [
        "db: masterPassword would be kept in Pulumi state; use manageMasterUserPassword (Secrets Manager)"
    ]
    assert violations(name, cluster, {"masterUsername": "admin"}) == [
        "db: manageMasterUserPassword must be true so the master password lives only in Secrets Manager"
    ]
    # A Global Database secondary has no master user of its own.
    assert violations(name, cluster, {"globalClusterIdentifier": "g"}) == []


def test_tls_required():
    group = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
    on = {"parameters": [{"name": "require_secure_transport", "value": "ON"}]}
    assert violations("aurora-tls-required", group, on) == []
    assert violations("aurora-tls-required", group, {"parameters": [{"name": "require_secure_transport", "value": "OFF"}]}) == [
        "db: require_secure_transport must be ON so clients cannot connect without TLS"
    ]
    assert violations("aurora-tls-required", group, {"parameters": []}) != []


def test_provisioned_clusters_are_kept():
    cluster = "aws:rds/cluster:Cluster"
    name = "aurora-provisioned-cluster-kept"
    assert violations(name, cluster, PROVISIONED_CLUSTER) == []
    careless = {**PROVISIONED_CLUSTER, "deletionProtection": False, "backupRetentionPeriod": 1, "skipFinalSnapshot": True}
    assert violations(name, cluster, careless) == [
        "db: deletionProtection must be true; backupRetentionPeriod must be at least 7 days (is 1); skipFinalSnapshot must be false"
    ]
    # The serverless development shape may be deleted freely.
    assert violations(name, cluster, {**careless, "serverlessv2ScalingConfiguration": {"minCapacity": 0}}) == []


def test_production_audit_logs():
    cluster = "aws:rds/cluster:Cluster"
    name = "aurora-production-audit-logs"
    without_audit = {**PROVISIONED_CLUSTER, "enabledCloudwatchLogsExports": ["error"]}
    expected = ["db: production clusters export the audit log (enabledCloudwatchLogsExports must include audit)"]
    assert violations(name, cluster, PROVISIONED_CLUSTER, PROD_URN) == []
    assert violations(name, cluster, without_audit, PROD_URN) == expected
    assert violations(name, cluster, {**without_audit, "tags": {"Environment": "production"}}, DEV_URN) == expected
    assert violations(name, cluster, without_audit, DEV_URN) == []


def test_production_backtrack_is_advised():
    cluster = "aws:rds/cluster:Cluster"
    name = "aurora-production-backtrack"
    assert violations(name, cluster, PROVISIONED_CLUSTER, PROD_URN) == []
    found = violations(name, cluster, {**PROVISIONED_CLUSTER, "backtrackWindow": 0}, PROD_URN)
    assert len(found) == 1 and found[0].startswith("db: production clusters keep a backtrack window")


def test_production_enhanced_monitoring():
    instance = "aws:rds/clusterInstance:ClusterInstance"
    name = "aurora-production-enhanced-monitoring"
    monitored = {"instanceClass": "db.r7g.large", "monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::1:role/m"}
    assert violations(name, instance, monitored, PROD_URN) == []
    assert violations(name, instance, {**monitored, "monitoringInterval": 0}, PROD_URN) == [
        "db: production instances turn on Enhanced Monitoring (monitoringInterval > 0 and a monitoringRoleArn)"
    ]
    assert violations(name, instance, {**monitored, "monitoringInterval": 0}, DEV_URN) == []


def _policy_resource(resource_type: str, urn: str, props: dict, cluster: PolicyResource | None = None) -> PolicyResource:
    dependencies = {"clusterIdentifier": [cluster]} if cluster else {}
    return PolicyResource(resource_type, props, urn, urn.split("::")[-1], _options(), None, None, [], dependencies)


def stack_violations(resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    BY_NAME["aurora-production-multi-az"].validate(
        StackValidationArgs(resources), lambda message, urn=None: found.append(message)
    )
    return found


def _cluster_with_instances(zones: list[str], urn: str = PROD_URN) -> list[PolicyResource]:
    cluster = _policy_resource("aws:rds/cluster:Cluster", urn, PROVISIONED_CLUSTER)
    instances = [
        _policy_resource("aws:rds/clusterInstance:ClusterInstance", f"{urn}-i{n}", {"availabilityZone": zone}, cluster)
        for n, zone in enumerate(zones)
    ]
    return [cluster, *instances]


def test_production_instances_spread_over_zones():
    assert stack_violations(_cluster_with_instances(["us-east-1a", "us-east-1b"])) == []
    assert stack_violations(_cluster_with_instances(["us-east-1a", "us-east-1a"])) == [
        "db: production clusters need instances in at least two Availability Zones (found 2 instance(s) in "
        "['us-east-1a']); add a reader in another zone"
    ]
    assert len(stack_violations(_cluster_with_instances([]))) == 1
    assert stack_violations(_cluster_with_instances(["us-east-1a"], urn=DEV_URN)) == []


# Every policy over what the real stacks declare --------------------------------------------------------


def all_violations(deployment: Deployment) -> list[str]:
    """Run the whole pack the way the engine does: each resource through every resource policy,
    then the stack policies over all custom resources (props are the recorded inputs)."""
    custom = [r for r in deployment.resources if r.type.startswith(("aws:", "mysql:", "pulumi:providers:"))]
    found: list[str] = []

    def report(message: str, urn: str | None = None) -> None:
        found.append(message)

    resources: dict[str, PolicyResource] = {}
    for registration in custom:
        options = _options(registration.protect, registration.ignore_changes)
        resources[registration.urn] = PolicyResource(
            registration.type, registration.inputs, registration.urn, registration.name, options, None, None, [], {}
        )
    for registration in custom:
        resources[registration.urn].property_dependencies = {
            key: [resources[urn] for urn in urns if urn in resources] for key, urns in registration.property_dependencies.items()
        }
    for policy in POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            for registration in custom:
                resource = resources[registration.urn]
                args = ResourceValidationArgs(
                    resource.resource_type, resource.props, resource.urn, resource.name, resource.opts, None
                )
                policy.validate(args, report)
        else:
            policy.validate(StackValidationArgs(list(resources.values())), report)
    return found


def test_dev_stack_passes_every_policy(dev):
    assert all_violations(dev) == []


def test_prod_stack_passes_every_policy(prod):
    assert all_violations(prod) == []


def test_prod_with_a_global_database_passes_every_mandatory_policy():
    deployment = run_program(
        "prod",
        overrides={
            "aurora:disasterRecovery": {"region": "us-west-2", "mode": "global"},
            "aurora:provisioned": {"readers": 1, "backtrackHours": 0},
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    found = all_violations(deployment)
    # Only the advisory backtrack policy speaks, about the global primary, as documented.
    assert len(found) == 1 and found[0].startswith("database-cluster: production clusters keep a backtrack window")


def test_the_pack_catches_a_single_instance_production_stack():
    deployment = run_program("prod", overrides={"aurora:provisioned": {"readers": 0}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert all_violations(deployment) == [
        "database-cluster: production clusters need instances in at least two Availability Zones (found 1 instance(s) "
        "in ['us-east-1a']); add a reader in another zone"
    ]


def test_the_pack_sees_each_recorded_resource(prod):
    """A recorded resource edited to break promises is caught: the zero above is not vacuous."""
    import dataclasses

    def broken(registration):
        if registration.type == "aws:rds/cluster:Cluster":
            return dataclasses.replace(registration, inputs={**registration.inputs, "storageEncrypted": False})
        if registration.type == "aws:rds/clusterInstance:ClusterInstance":
            return dataclasses.replace(registration, inputs={**registration.inputs, "publiclyAccessible": True})
        return registration

    tampered = Deployment([broken(r) for r in prod.resources], prod.outputs)
    found = all_violations(tampered)
    assert sorted(found) == sorted(
        ["database-cluster: storageEncrypted must be true (an unencrypted cluster cannot be encrypted later)"]
        + [
            f"database-instance-{n}: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
            for n in (1, 2)
        ]
    )


def test_an_app_user_provider_password_is_reported_as_advice():
    deployment = run_program("dev", overrides={"aurora:appUser": {"name": "app", "endpoint": "127.0.0.1:3307"}})
    assert all_violations(deployment) == [
        "app-user-mysql: the MySQL provider signs in with a password, which Pulumi keeps (encrypted) in the stack "
        "state; remove aurora:appUser when the application user exists"
    ]
    assert violations("aurora-provider-password", "pulumi:providers:mysql", {"endpoint": "127.0.0.1:3307"}) == []


def test_the_pack_starts_serving_its_policies():
    """`__main__.py` as the analyzer runs it: it announces the port of its gRPC server."""
    import subprocess
    import sys
    from pathlib import Path

    pack = Path(__file__).resolve().parent.parent / "policy"
    server = subprocess.Popen([sys.executable, str(pack / "__main__.py")], cwd=pack, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip().isdigit()
    finally:
        server.kill()
        server.wait()
