"""The policy pack's rules at their edges (policy/policies.py, pure): what makes a stack production,
which clusters are Global Database secondaries, IPv6 and host-bit ranges, and what each report says
(with the URN it names, every finding of a resource in one report; tests/policy/test_policies.py pins the
rules themselves)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from policy import policies
from policy.policies import POLICIES
from tests.policy.helpers import resource_options

BY_NAME = {policy.name: policy for policy in POLICIES}
CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
PROD = "urn:pulumi:prod::aurora::aws:rds/cluster:Cluster::db"
DEV = "urn:pulumi:dev::aurora::aws:rds/cluster:Cluster::db"


def reports(policy_name: str, resource_type: str, props: dict[str, Any], urn: str = DEV) -> list[tuple[str, str | None]]:
    """What the policy reports, with the URN it names."""
    found: list[tuple[str, str | None]] = []
    args = ResourceValidationArgs(resource_type, props, urn, urn.split("::")[-1], resource_options(), None)
    BY_NAME[policy_name].validate(args, lambda message, urn=None: found.append((message, urn)))
    return found


def messages(policy_name: str, resource_type: str, props: dict[str, Any], urn: str = DEV) -> list[str]:
    return [message for message, _ in reports(policy_name, resource_type, props, urn)]


@pytest.mark.parametrize(
    "urn, stack",
    [("urn:pulumi:prod::aurora::aws:rds/cluster:Cluster::db", "prod"), ("a:b:c", "c"), ("a:b", ""), ("", "")],
)
def test_the_stack_name_is_the_third_part_of_the_urn(urn, stack):
    assert policies.stack_name(urn) == stack


@pytest.mark.parametrize(
    "urn, tags, production",
    [
        (PROD, {}, True),
        ("urn:pulumi:production::aurora::x::y", None, True),
        (DEV, {"Environment": "PROD"}, True),
        (DEV, {"Environment": "staging"}, False),
        (DEV, {"Team": "prod"}, False),
        (DEV, None, False),
    ],
)
def test_production_is_the_stack_name_or_the_environment_tag(urn, tags, production):
    assert policies.is_production(urn, {"tags": tags}) is production


def test_a_policy_reports_the_resource_it_judged():
    assert reports("aurora-storage-encrypted", CLUSTER, {}, PROD) == [
        ("db: storageEncrypted must declare encrypted storage (a volume created unencrypted stays unencrypted)", PROD)
    ]
    assert reports("aurora-storage-encrypted", "aws:s3/bucket:Bucket", {}, PROD) == []


def test_a_global_primary_with_its_own_master_user_needs_a_managed_or_write_only_password():
    props = {"globalClusterIdentifier": "g", "masterUsername": "admin"}
    assert messages("aurora-master-password-not-in-state", CLUSTER, props) == [
        "db: manageMasterUserPassword must be true (or, for a Global Database member, masterPasswordWo with "
        "masterPasswordWoVersion) so the master password never sits in Pulumi state in clear"
    ]
    write_only = {**props, "masterPasswordWo": "generated", "masterPasswordWoVersion": 1}
    assert messages("aurora-master-password-not-in-state", CLUSTER, write_only) == []
    assert policies.is_global_secondary(props) is False
    assert policies.is_global_secondary({"globalClusterIdentifier": "g"}) is True
    assert policies.is_global_secondary({"masterUsername": "admin"}) is False


@pytest.mark.parametrize(
    "resource_type, props",
    [
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {"cidrIpv4": "0.0.0.1/0"}),
        ("aws:ec2/securityGroupRule:SecurityGroupRule", {"type": "ingress", "ipv6CidrBlocks": ["::/0"]}),
        ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [{"ipv6CidrBlocks": ["::/0"]}]}),
    ],
)
def test_world_open_ranges_are_found_in_ipv6_lists_and_with_host_bits_set(resource_type, props):
    assert len(messages("aurora-no-world-open-ingress", resource_type, props)) == 1


def test_every_open_range_of_a_group_is_named():
    group = {"ingress": [{"cidrBlocks": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6CidrBlocks": ["::/0"]}]}
    assert messages("aurora-no-world-open-ingress", "aws:ec2/securityGroup:SecurityGroup", group) == [
        "db: ingress from 0.0.0.0/0, ::/0 reaches beyond private address space (RFC 1918, RFC 6598 100.64.0.0/10, "
        "RFC 4193 fc00::/7); admit named security groups or private ranges"
    ]


def test_tls_may_be_required_in_lower_case():
    group = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
    assert messages("aurora-tls-required", group, {"parameters": [{"name": "require_secure_transport", "value": "on"}]}) == []


def test_backtrack_advice_names_the_global_database_exception():
    assert messages("aurora-production-backtrack", CLUSTER, {"backtrackWindow": 0}, PROD) == [
        "db: production clusters keep a backtrack window (backtrackWindow > 0), unless they are part of a Global "
        "Database, which AWS does not allow to backtrack"
    ]


@pytest.mark.parametrize(
    "props, urn",
    [
        ({"serverlessv2ScalingConfiguration": {"minCapacity": 0.5}}, PROD),  # serverless production
        ({"globalClusterIdentifier": "g"}, PROD),  # a Global Database secondary
        ({}, DEV),  # not production
    ],
)
def test_backtrack_is_not_asked_of_clusters_that_cannot_or_need_not_have_it(props, urn):
    assert messages("aurora-production-backtrack", CLUSTER, props, urn) == []


def test_serverless_production_instances_need_no_enhanced_monitoring():
    instance = "urn:pulumi:prod::aurora::aws:rds/clusterInstance:ClusterInstance::i1"
    assert messages("aurora-production-enhanced-monitoring", INSTANCE, {"instanceClass": "db.serverless"}, instance) == []
    assert messages("aurora-production-enhanced-monitoring", INSTANCE, {"instanceClass": "db.r7g.large"}, instance) == [
        "i1: production instances turn on Enhanced Monitoring (monitoringInterval > 0 and a monitoringRoleArn)"
    ]


def test_a_provider_password_is_reported():
    provider = "pulumi:providers:mysql"
    assert messages("aurora-provider-password", provider, {"endpoint": "127.0.0.1:3307", "password": "secret"}) == [
        "db: the MySQL provider signs in with a password, which Pulumi keeps (encrypted) in the stack state; "
        "remove aurora:appUser when the application user exists"
    ]
    assert messages("aurora-provider-password", provider, {"endpoint": "127.0.0.1:3307"}) == []


# The multi-AZ stack policy ------------------------------------------------------------------------


def _resource(resource_type: str, urn: str, props: dict, cluster: PolicyResource | None = None) -> PolicyResource:
    dependencies = {"clusterIdentifier": [cluster]} if cluster else {}
    return PolicyResource(resource_type, props, urn, urn.split("::")[-1], resource_options(), None, None, [], dependencies)


def _cluster(urn: str, zones: list[str | None]) -> list[PolicyResource]:
    cluster = _resource(CLUSTER, urn, {})
    return [cluster, *(_resource(INSTANCE, f"{urn}-i{n}", {"availabilityZone": zone}, cluster) for n, zone in enumerate(zones))]


def stack_reports(resources: list[PolicyResource]) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    BY_NAME["aurora-production-multi-az"].validate(StackValidationArgs(resources), lambda m, urn=None: found.append((m, urn)))
    return found


def test_the_multi_az_report_names_the_cluster_it_judged():
    assert stack_reports(_cluster(PROD, [])) == [
        (
            "db: production clusters need instances in at least two Availability Zones (found 0 instance(s)); "
            "add a reader in another zone",
            PROD,
        )
    ]


def test_other_resources_and_unlinked_instances_do_not_hide_a_single_zone_cluster():
    unlinked = _resource(INSTANCE, "urn:pulumi:prod::aurora::x::stray", {"availabilityZone": "us-east-1c"})
    group = _resource("aws:rds/subnetGroup:SubnetGroup", "urn:pulumi:prod::aurora::y::net", {})
    found = stack_reports([group, unlinked, *_cluster(PROD, ["us-east-1a", "us-east-1a"])])
    assert [urn for _, urn in found] == [PROD]


def test_an_unjudged_cluster_does_not_stop_the_others_being_judged():
    """No instance pinned: RDS places them, so the spread is not judged (policy/policies.py `_spread_problem`)."""
    other = "urn:pulumi:prod::aurora::aws:rds/cluster:Cluster::other"
    found = stack_reports([*_cluster(PROD, [None, None]), *_cluster(other, ["us-east-1a"])])
    assert [urn for _, urn in found] == [other]


def test_a_development_cluster_does_not_stop_production_clusters_being_judged():
    found = stack_reports([*_cluster(DEV, ["us-east-1a"]), *_cluster(PROD, ["us-east-1a"])])
    assert [urn for _, urn in found] == [PROD]


def test_a_private_range_written_with_host_bits_set_is_private():
    """`10.1.2.3/16` is the range 10.1.0.0/16 as `ipaddress.ip_network(strict=False)` reads it."""
    assert policies.is_private_range("10.1.2.3/16") is True
    rule = {"cidrIpv4": "10.1.2.3/16"}
    assert messages("aurora-no-world-open-ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", rule) == []


def test_every_unencrypted_volume_of_an_instance_is_named_in_one_report():
    instance = {"rootBlockDevice": {"volumeSize": 8}, "ebsBlockDevices": [{"deviceName": "/dev/sdf"}]}
    [report] = messages("aurora-storage-encrypted", "aws:ec2/instance:Instance", instance)
    assert report.startswith("db: rootBlockDevice.encrypted, ebsBlockDevices[0].encrypted ")
    assert "encrypted storage" in report


def test_every_proxy_auth_entry_without_required_iam_is_named_in_one_report():
    auths = [
        {"authScheme": "SECRETS", "iamAuth": "DISABLED"},
        {"authScheme": "SECRETS", "iamAuth": "REQUIRED"},
        {"authScheme": "SECRETS"},
    ]
    [report] = messages("aurora-proxy-tls-and-iam", "aws:rds/proxy:Proxy", {"requireTls": True, "auths": auths})
    assert report.startswith("db: ") and "iamAuth DISABLED, unset" in report and "iamAuth REQUIRED" in report
