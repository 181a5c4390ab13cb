"""The policy pack: each policy against compliant and violating resources, then every policy over
what both real stacks declare (zero violations), then the pack served the way Pulumi runs it."""

from __future__ import annotations

import ipaddress
from typing import Any

import pulumi_aws as aws
import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from plan.engine import PROJECT_ROOT, Deployment, run_program
from policy.policies import POLICIES, PRIVATE_RANGES, is_production_name
from settings.checks import check_private_cidr
from tests.helpers import DEV_SOURCE_OUTPUTS, pulumi_input_names
from tests.policy.helpers import all_violations, resource_options

BY_NAME = {policy.name: policy for policy in POLICIES}
DEV_URN = "urn:pulumi:dev::aurora::aws:rds/cluster:Cluster::db"
PROD_URN = "urn:pulumi:prod::aurora::aws:rds/cluster:Cluster::db"
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


def violations(policy_name: str, resource_type: str, props: dict[str, Any], urn: str = DEV_URN) -> list[str]:
    policy = BY_NAME[policy_name]
    assert isinstance(policy, ResourceValidationPolicy)
    found: list[str] = []
    args = ResourceValidationArgs(resource_type, props, urn, urn.split("::")[-1], resource_options(), None)
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
    "dbClusterParameterGroupName": "db-cluster-params",
}


def test_enforcement_levels_are_chosen_deliberately():
    levels = {policy.name: policy.enforcement_level for policy in POLICIES}
    assert levels.pop("aurora-production-backtrack") == EnforcementLevel.ADVISORY
    assert levels.pop("aurora-provider-password") == EnforcementLevel.ADVISORY
    assert set(levels.values()) == {EnforcementLevel.MANDATORY}
    assert len(levels) == 11


# The names the policies read -------------------------------------------------------------------------

# Each input property the policies read, by the pulumi-aws args class that declares it.
PROPERTIES_READ = {
    aws.rds.ClusterArgs: [
        "storageEncrypted",
        "dbClusterParameterGroupName",
        "masterPassword",
        "masterPasswordWo",
        "masterPasswordWoVersion",
        "manageMasterUserPassword",
        "masterUsername",
        "globalClusterIdentifier",
        "serverlessv2ScalingConfiguration",
        "deletionProtection",
        "backupRetentionPeriod",
        "skipFinalSnapshot",
        "enabledCloudwatchLogsExports",
        "backtrackWindow",
        "tags",
    ],
    aws.rds.ClusterInstanceArgs: [
        "availabilityZone",
        "clusterIdentifier",
        "publiclyAccessible",
        "instanceClass",
        "monitoringInterval",
        "monitoringRoleArn",
    ],
    aws.rds.InstanceArgs: ["storageEncrypted", "publiclyAccessible"],
    aws.rds.ClusterParameterGroupArgs: ["parameters"],
    aws.rds.ClusterParameterGroupParameterArgs: ["name", "value"],
    aws.ebs.VolumeArgs: ["encrypted"],
    aws.ec2.InstanceArgs: ["rootBlockDevice", "ebsBlockDevices"],
    aws.ec2.InstanceRootBlockDeviceArgs: ["encrypted"],
    aws.ec2.InstanceEbsBlockDeviceArgs: ["encrypted"],
    aws.ec2.LaunchTemplateArgs: ["blockDeviceMappings"],
    aws.ec2.LaunchTemplateBlockDeviceMappingArgs: ["ebs"],
    aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs: ["encrypted"],
    aws.vpc.SecurityGroupIngressRuleArgs: ["cidrIpv4", "cidrIpv6"],
    aws.ec2.SecurityGroupRuleArgs: ["type", "cidrBlocks", "ipv6CidrBlocks"],
    aws.ec2.SecurityGroupArgs: ["ingress"],
    aws.ec2.SecurityGroupIngressArgs: ["cidrBlocks", "ipv6CidrBlocks"],
    aws.ec2.DefaultSecurityGroupArgs: ["ingress"],
    aws.ec2.DefaultSecurityGroupIngressArgs: ["cidrBlocks", "ipv6CidrBlocks"],
    aws.secretsmanager.SecretVersionArgs: ["secretString", "secretBinary", "secretStringWo", "secretStringWoVersion"],
    aws.rds.ProxyArgs: ["requireTls", "auths", "defaultAuthScheme"],
    aws.rds.ProxyAuthArgs: ["iamAuth"],
}


@pytest.mark.parametrize("args_class", PROPERTIES_READ, ids=lambda cls: cls.__name__)
def test_every_property_a_policy_reads_is_an_input_of_the_installed_pulumi_aws(args_class):
    """A policy reading a misspelt name sees nothing and passes everything. Source: the installed
    pulumi-aws 7 SDK, generated from the provider schema (`@pulumi.getter(name=...)` on each args
    class; e.g. `masterPasswordWo` in pulumi_aws/rds/cluster.py, `secretStringWo` in
    pulumi_aws/secretsmanager/secret_version.py)."""
    assert set(PROPERTIES_READ[args_class]) <= pulumi_input_names(args_class)


# Storage and access ------------------------------------------------------------------------------


def _encryption(paths: str) -> list[str]:
    return [f"db: {paths} must declare encrypted storage (a volume created unencrypted stays unencrypted)"]


@pytest.mark.parametrize(
    "resource_type, props, expected",
    [
        (CLUSTER, {"storageEncrypted": True}, []),
        (CLUSTER, {"storageEncrypted": False}, _encryption("storageEncrypted")),
        (CLUSTER, {}, _encryption("storageEncrypted")),
        ("aws:rds/instance:Instance", {"storageEncrypted": True}, []),
        ("aws:rds/instance:Instance", {"engine": "mysql"}, _encryption("storageEncrypted")),
        ("aws:ebs/volume:Volume", {"encrypted": True, "size": 8}, []),
        ("aws:ebs/volume:Volume", {"size": 8}, _encryption("encrypted")),
        ("aws:ec2/instance:Instance", {"rootBlockDevice": {"encrypted": True}}, []),
        ("aws:ec2/instance:Instance", {"rootBlockDevice": {"volumeSize": 8}}, _encryption("rootBlockDevice.encrypted")),
        (
            "aws:ec2/instance:Instance",
            {
                "rootBlockDevice": {"encrypted": True},
                "ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": True}, {"deviceName": "/dev/sdg"}],
            },
            _encryption("ebsBlockDevices[1].encrypted"),
        ),
        (
            "aws:ec2/launchTemplate:LaunchTemplate",
            # The launch template's schema types `encrypted` as a string; an instance-store
            # mapping (virtualName, no ebs) has no EBS volume to judge.
            {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}, {"virtualName": "ephemeral0"}]},
            [],
        ),
        (
            "aws:ec2/launchTemplate:LaunchTemplate",
            {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "false", "volumeSize": 8}}]},
            _encryption("blockDeviceMappings[0].ebs.encrypted"),
        ),
        ("aws:ec2/launchTemplate:LaunchTemplate", {"imageId": "ami-0123456789abcdef0"}, _encryption("blockDeviceMappings")),
        ("aws:s3/bucket:Bucket", {}, []),
    ],
)
def test_storage_encrypted(resource_type, props, expected):
    """Storage created unencrypted cannot be encrypted in place: Aurora User Guide, "Encrypting
    Amazon Aurora resources" (limitations: an unencrypted DB cluster cannot be converted to an
    encrypted one), and Amazon EBS User Guide, "Amazon EBS encryption" (no direct way to encrypt an
    existing unencrypted volume; only a copy of its snapshot can be)."""
    assert violations("aurora-storage-encrypted", resource_type, props) == expected


def test_no_public_access():
    message = "db: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
    for instance in (CLUSTER_INSTANCE, "aws:rds/instance:Instance"):
        assert violations("aurora-no-public-access", instance, {"publiclyAccessible": False}) == []
        assert violations("aurora-no-public-access", instance, {"publiclyAccessible": True}) == [message]
        assert violations("aurora-no-public-access", instance, {}) == [message]


def _public(ranges: str) -> list[str]:
    return [
        f"db: ingress from {ranges} reaches beyond private address space (RFC 1918, RFC 6598 100.64.0.0/10, "
        "RFC 4193 fc00::/7); admit named security groups or private ranges"
    ]


@pytest.mark.parametrize(
    "resource_type, props, public",
    [
        (INGRESS_RULE, {"cidrIpv4": "0.0.0.0/0", "fromPort": 3306, "toPort": 3306}, "0.0.0.0/0"),
        (INGRESS_RULE, {"cidrIpv6": "::/0"}, "::/0"),
        # Two halves are the whole of IPv4, however they are spread over rules.
        (INGRESS_RULE, {"cidrIpv4": "0.0.0.0/1"}, "0.0.0.0/1"),
        (SECURITY_GROUP_RULE, {"type": "ingress", "cidrBlocks": ["0.0.0.0/1", "128.0.0.0/1"]}, "0.0.0.0/1, 128.0.0.0/1"),
        # Any public range, not only world-open ones; and ranges straddling a private block.
        (INGRESS_RULE, {"cidrIpv4": "203.0.113.7/32"}, "203.0.113.7/32"),
        (INGRESS_RULE, {"cidrIpv4": "10.0.0.0/7"}, "10.0.0.0/7"),
        (INGRESS_RULE, {"cidrIpv4": "172.32.0.0/16"}, "172.32.0.0/16"),
        (INGRESS_RULE, {"cidrIpv4": "100.128.0.0/16"}, "100.128.0.0/16"),
        # What `ipaddress` calls private but is no client network: link-local, here the metadata address.
        (INGRESS_RULE, {"cidrIpv4": "169.254.169.254/32"}, "169.254.169.254/32"),
        (INGRESS_RULE, {"cidrIpv6": "2600:1f18:aaaa::/48"}, "2600:1f18:aaaa::/48"),
        (INGRESS_RULE, {"cidrIpv4": "not-a-range"}, "not-a-range"),
        (
            SECURITY_GROUP_RULE,
            {"type": "ingress", "cidrBlocks": ["10.0.0.0/8"], "ipv6CidrBlocks": ["2001:db8::/32"]},
            "2001:db8::/32",
        ),
        (SECURITY_GROUP, {"ingress": [{"fromPort": 3306, "cidrBlocks": ["0.0.0.0/0"]}]}, "0.0.0.0/0"),
        (SECURITY_GROUP, {"ingress": [{"fromPort": 3306, "ipv6CidrBlocks": ["::/0"]}]}, "::/0"),
        (
            DEFAULT_SECURITY_GROUP,
            {"ingress": [{"fromPort": 3306, "toPort": 3306, "protocol": "tcp", "cidrBlocks": ["198.51.100.0/24"]}]},
            "198.51.100.0/24",
        ),
    ],
)
def test_ingress_from_outside_private_address_space_is_refused(resource_type, props, public):
    """Private means inside RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598 shared address space
    (100.64/10) or RFC 4193 unique local IPv6 (fc00::/7); ranges parsed with Python's ipaddress."""
    assert violations("aurora-no-world-open-ingress", resource_type, props) == _public(public)


@pytest.mark.parametrize(
    "resource_type, props",
    [
        (INGRESS_RULE, {"cidrIpv4": "10.0.0.0/16"}),
        (INGRESS_RULE, {"cidrIpv4": "172.31.255.0/24"}),
        (INGRESS_RULE, {"cidrIpv4": "192.168.0.0/16"}),
        (INGRESS_RULE, {"cidrIpv4": "100.64.0.0/10"}),
        (INGRESS_RULE, {"cidrIpv6": "fd12:3456:789a::/48"}),
        (INGRESS_RULE, {"referencedSecurityGroupId": "sg-0123456789abcdef0"}),
        (SECURITY_GROUP, {"ingress": [{"fromPort": 3306, "securityGroups": ["sg-0123456789abcdef0"]}]}),
        (DEFAULT_SECURITY_GROUP, {"ingress": [{"fromPort": 0, "toPort": 0, "protocol": "-1", "self": True}]}),
        # Egress to anywhere is how the client host reaches SSM: not ingress, not judged here.
        (SECURITY_GROUP_RULE, {"type": "egress", "cidrBlocks": ["0.0.0.0/0"]}),
        (SECURITY_GROUP, {"egress": [{"cidrBlocks": ["0.0.0.0/0"]}]}),
        ("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", {"cidrIpv4": "0.0.0.0/0"}),
    ],
)
def test_private_and_referenced_ingress_pass(resource_type, props):
    assert violations("aurora-no-world-open-ingress", resource_type, props) == []


def test_the_private_ranges_are_the_rfc_blocks_and_none_is_global():
    """RFC 1918 (section 3), RFC 6598 (shared address space) and RFC 4193 (section 3.1) define
    these blocks. Python's ipaddress (docs: is_private/is_global follow the IANA IPv4 and IPv6
    special-purpose registries) agrees none is global; it calls 100.64.0.0/10 neither private nor
    global, which is why the pack lists its ranges instead of using `is_private`, and why it refuses
    what `is_private` accepts but no client uses (169.254.0.0/16, link-local)."""
    assert [str(network) for network in PRIVATE_RANGES] == [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
    ]
    assert not any(network.is_global for network in PRIVATE_RANGES)
    shared = ipaddress.ip_network("100.64.0.0/10")
    assert (shared.is_private, shared.is_global) == (False, False)
    assert ipaddress.ip_network("169.254.0.0/16").is_private


@pytest.mark.parametrize(
    "cidr", ["10.1.0.0/16", "172.16.0.0/12", "192.168.4.0/24", "100.64.0.0/10", "100.128.0.0/9", "8.8.8.0/24", "0.0.0.0/0"]
)
def test_the_pack_admits_exactly_the_ipv4_ranges_configuration_admits(cidr):
    """`aurora:network.allowedCidrs` is checked by settings/checks.py before anything is
    declared; the pack must not refuse what configuration accepts, nor accept what it refuses."""
    admitted_by_config = check_private_cidr(cidr) is None
    admitted_by_pack = violations("aurora-no-world-open-ingress", INGRESS_RULE, {"cidrIpv4": cidr}) == []
    assert admitted_by_pack == admitted_by_config


# Passwords and secret values ------------------------------------------------------------------------


def test_a_managed_master_password_is_accepted():
    assert (
        violations("aurora-master-password-not-in-state", CLUSTER, {"masterUsername": "admin", "manageMasterUserPassword": True})
        == []
    )


def test_a_write_only_master_password_with_its_version_is_accepted():
    """AWS does not support Secrets Manager-managed master passwords for Global Database members
    (Aurora User Guide, "Password management with Amazon Aurora and AWS Secrets Manager",
    Limitations), so the global primary sets the write-only password. Provider source
    (internal/service/rds/cluster.go): `master_password_wo` is WriteOnly, conflicts with
    `manage_master_user_password` and `master_password`, and is RequiredWith
    `master_password_wo_version`."""
    write_only = {"masterUsername": "admin", "masterPasswordWo": "generated", "masterPasswordWoVersion": 1}
    assert violations("aurora-master-password-not-in-state", CLUSTER, write_only) == []


def test_a_write_only_master_password_without_its_version_is_refused():
    assert violations(
        "aurora-master-password-not-in-state", CLUSTER, {"masterUsername": "admin", "masterPasswordWo": "generated"}
    ) == ["db: masterPasswordWo needs masterPasswordWoVersion (the provider sends a new password only when the version changes)"]


@pytest.mark.parametrize(
    "props",
    [
        {"masterUsername": "admin", "masterPassword": "hunter22"},
        # The write-only password does not excuse a clear one next to it.
        {"masterUsername": "admin", "masterPassword": "hunter22", "masterPasswordWo": "x", "masterPasswordWoVersion": 1},
    ],
)
def test_a_clear_text_master_password_is_refused(props):
    assert violations("aurora-master-password-not-in-state", CLUSTER, props) == [
        "db: masterPassword is kept in Pulumi state; use manageMasterUserPassword (Secrets Manager) or the write-only "
        "masterPasswordWo with masterPasswordWoVersion"
    ]


def test_a_master_user_without_a_password_shape_is_refused():
    assert violations("aurora-master-password-not-in-state", CLUSTER, {"masterUsername": "admin"}) == [
        "db: manageMasterUserPassword must be true (or, for a Global Database member, masterPasswordWo with "
        "masterPasswordWoVersion) so the master password never sits in Pulumi state in clear"
    ]


def test_a_global_secondary_has_no_master_user_to_judge():
    assert violations("aurora-master-password-not-in-state", CLUSTER, {"globalClusterIdentifier": "g"}) == []


@pytest.mark.parametrize("key", ["secretString", "secretBinary"])
def test_a_secret_value_read_back_into_state_is_refused(key):
    """Provider source (internal/service/secretsmanager/secret_version.go): the read sets
    `secret_string` and `secret_binary` from GetSecretValue, and clears `secret_string` only when
    `secret_string_wo` is used. Every value is refused, not only a JSON with a `password` key: at
    preview a generated value is still unknown, so its content cannot be judged (the same choice
    as tflint-ruleset-aws's `aws_secretsmanager_secret_version_secret_string` rule)."""
    assert violations("aurora-secret-value-write-only", SECRET_VERSION, {"secretId": "s", key: '{"password":"p"}'}) == [
        f"db: {key} is read back into Pulumi state; put the value in secretStringWo with secretStringWoVersion"
    ]


def test_a_write_only_secret_value_needs_its_version():
    """Provider source (secret_version.go): `secret_string_wo` is RequiredWith `secret_string_wo_version`."""
    name = "aurora-secret-value-write-only"
    assert violations(name, SECRET_VERSION, {"secretId": "s", "secretStringWo": "{}", "secretStringWoVersion": 1}) == []
    assert violations(name, SECRET_VERSION, {"secretId": "s", "secretStringWo": "{}"}) == [
        "db: secretStringWo needs secretStringWoVersion (the provider writes a new value only when the version changes)"
    ]


# TLS -------------------------------------------------------------------------------------------------

PROXY = "aws:rds/proxy:Proxy"
PROXY_URN = "urn:pulumi:prod::aurora::aws:rds/proxy:Proxy::db"
IAM_SECRET = {"authScheme": "SECRETS", "iamAuth": "REQUIRED", "secretArn": "arn:aws:secretsmanager:us-east-1:1:secret:x"}


@pytest.mark.parametrize(
    "props",
    [
        {"requireTls": True, "auths": [IAM_SECRET]},
        {"requireTls": True, "auths": [IAM_SECRET, {**IAM_SECRET, "secretArn": "arn:aws:secretsmanager:us-east-1:1:secret:y"}]},
        # End-to-end IAM authentication: no secret at all (CreateDBProxy DefaultAuthScheme IAM_AUTH).
        {"requireTls": True, "defaultAuthScheme": "IAM_AUTH"},
    ],
)
def test_a_proxy_with_tls_and_iam_passes(props):
    assert violations("aurora-proxy-tls-and-iam", PROXY, props, PROXY_URN) == []


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"auths": [IAM_SECRET]}, "db: requireTls is None: a proxy must refuse connections without TLS"),
        ({"requireTls": False, "auths": [IAM_SECRET]}, "db: requireTls is False: a proxy must refuse connections without TLS"),
        (
            {"requireTls": True, "auths": [{**IAM_SECRET, "iamAuth": "DISABLED"}]},
            "db: auths have iamAuth DISABLED: every entry must have iamAuth REQUIRED",
        ),
        (
            {"requireTls": True, "auths": [IAM_SECRET, {**IAM_SECRET, "iamAuth": "ENABLED"}]},
            "db: auths have iamAuth ENABLED: every entry must have iamAuth REQUIRED",
        ),
        (
            {"requireTls": True, "auths": [{"authScheme": "SECRETS", "secretArn": "arn:x"}]},
            "db: auths have iamAuth unset: every entry must have iamAuth REQUIRED",
        ),
        (
            {"requireTls": True, "defaultAuthScheme": "NONE"},
            "db: no auth entry and defaultAuthScheme is not IAM_AUTH: clients must sign in with IAM",
        ),
    ],
)
def test_a_proxy_without_tls_or_iam_is_refused(props, message):
    assert violations("aurora-proxy-tls-and-iam", PROXY, props, PROXY_URN) == [message]


def test_the_proxy_policy_knows_the_values_create_db_proxy_accepts():
    """botocore rds model: UserAuthConfig.IAMAuth is DISABLED, REQUIRED or ENABLED, so only REQUIRED
    forces IAM; CreateDBProxy DefaultAuthScheme IAM_AUTH is end-to-end IAM without secrets."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("rds")
    assert set(model.shape_for("UserAuthConfig").members["IAMAuth"].enum) == {"DISABLED", "REQUIRED", "ENABLED"}
    assert "IAM_AUTH" in model.operation_model("CreateDBProxy").input_shape.members["DefaultAuthScheme"].enum


@pytest.mark.engine
def test_a_prod_stack_with_the_proxy_passes_every_policy():
    deployment = run_program(
        "prod",
        overrides={
            "aurora:provisioned": {
                "instanceClass": "db.r7g.large",
                "readers": 1,
                "backtrackHours": 24,
                "monitoringInterval": 60,
                "insights": "standard",
                "proxy": True,
            }
        },
        stack_outputs=DEV_SOURCE_OUTPUTS,
    )
    assert PROXY in deployment.types()
    assert all_violations(deployment) == []


def test_a_parameter_group_must_require_tls():
    group = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
    message = ["db: require_secure_transport must be ON so clients cannot connect without TLS"]
    on = {"parameters": [{"name": "require_secure_transport", "value": "ON"}]}
    assert violations("aurora-tls-required", group, on) == []
    assert violations("aurora-tls-required", group, {"parameters": [{"name": "require_secure_transport", "value": "1"}]}) == []
    assert (
        violations("aurora-tls-required", group, {"parameters": [{"name": "require_secure_transport", "value": "OFF"}]})
        == message
    )
    assert violations("aurora-tls-required", group, {"parameters": []}) == message


@pytest.mark.parametrize("urn", [PROD_URN, DEV_URN])
@pytest.mark.parametrize("group", [None, "default.aurora-mysql8.0"])
def test_a_cluster_on_the_default_parameter_group_is_refused(urn, group):
    """require_secure_transport is OFF unless a parameter group turns it on: RDS User Guide,
    "Requiring SSL/TLS for all connections to a MySQL DB instance" (mysql-ssl-connections.require-ssl:
    "For MySQL 8.4 and lower, the require_secure_transport parameter is set to 0 (OFF) by default"),
    the same cluster parameter for Aurora MySQL 3 (Aurora User Guide, "Security with Amazon Aurora
    MySQL", TLS connections); AWS's default.* groups cannot be modified (Aurora User Guide,
    "Parameter groups for Amazon Aurora"). A cluster without a group of its own accepts clear text."""
    props = {**PROVISIONED_CLUSTER, "dbClusterParameterGroupName": group}
    assert violations("aurora-tls-required", CLUSTER, props, urn) == [
        f"db: dbClusterParameterGroupName is {group or 'unset'}: name a cluster parameter group with "
        "require_secure_transport=ON (AWS's default groups leave it OFF)"
    ]


def test_a_cluster_with_its_own_parameter_group_passes():
    assert violations("aurora-tls-required", CLUSTER, PROVISIONED_CLUSTER, PROD_URN) == []


# Keeping data ----------------------------------------------------------------------------------------

SERVERLESS_CLUSTER = {**PROVISIONED_CLUSTER, "serverlessv2ScalingConfiguration": {"minCapacity": 0.5, "maxCapacity": 4}}


def test_provisioned_clusters_are_kept():
    name = "aurora-provisioned-cluster-kept"
    assert violations(name, CLUSTER, PROVISIONED_CLUSTER) == []
    careless = {**PROVISIONED_CLUSTER, "deletionProtection": False, "backupRetentionPeriod": 1, "skipFinalSnapshot": True}
    assert violations(name, CLUSTER, careless) == [
        "db: deletionProtection must be true; backupRetentionPeriod must be at least 7 days (is 1); skipFinalSnapshot must be false"
    ]


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"deletionProtection": False}, "deletionProtection must be true"),
        ({"backupRetentionPeriod": 1}, "backupRetentionPeriod must be at least 7 days (is 1)"),
        ({"skipFinalSnapshot": True}, "skipFinalSnapshot must be false"),
    ],
)
def test_a_production_serverless_cluster_is_kept_too(change, problem):
    name = "aurora-provisioned-cluster-kept"
    assert violations(name, CLUSTER, SERVERLESS_CLUSTER, PROD_URN) == []
    assert violations(name, CLUSTER, {**SERVERLESS_CLUSTER, **change}, PROD_URN) == [f"db: {problem}"]
    # The serverless development shape may be deleted freely.
    assert violations(name, CLUSTER, {**SERVERLESS_CLUSTER, **change}, DEV_URN) == []


# Production -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stack",
    ["prod", "Prod", "PROD", "production", "Production", "prod-eu", "eu-prod", "prod_eu", "prod.eu", "team-Production-2"],
)
def test_stack_names_holding_the_word_prod_are_production(stack):
    assert is_production_name(stack)


@pytest.mark.parametrize("stack", ["dev", "product-demo", "preprod", "prodeu", "reproduce", "staging", ""])
def test_stack_names_merely_containing_prod_are_not_production(stack):
    assert not is_production_name(stack)


@pytest.mark.parametrize("stack", ["Prod", "prod-eu"])
def test_production_policies_judge_every_production_stack_name(stack):
    without_audit = {**PROVISIONED_CLUSTER, "enabledCloudwatchLogsExports": ["error"]}
    assert violations("aurora-production-audit-logs", CLUSTER, without_audit, PROD_URN.replace(":prod:", f":{stack}:")) == [
        "db: production clusters export the audit log (enabledCloudwatchLogsExports must include audit)"
    ]
    urn = f"urn:pulumi:{stack}::aurora::aws:rds/cluster:Cluster::db"
    assert violations("aurora-provisioned-cluster-kept", CLUSTER, {**SERVERLESS_CLUSTER, "deletionProtection": False}, urn) == [
        "db: deletionProtection must be true"
    ]


def test_production_audit_logs():
    name = "aurora-production-audit-logs"
    without_audit = {**PROVISIONED_CLUSTER, "enabledCloudwatchLogsExports": ["error"]}
    expected = ["db: production clusters export the audit log (enabledCloudwatchLogsExports must include audit)"]
    assert violations(name, CLUSTER, PROVISIONED_CLUSTER, PROD_URN) == []
    assert violations(name, CLUSTER, without_audit, PROD_URN) == expected
    assert violations(name, CLUSTER, {**without_audit, "tags": {"Environment": "production"}}, DEV_URN) == expected
    assert violations(name, CLUSTER, {**without_audit, "tags": {"Environment": "Prod-EU"}}, DEV_URN) == expected
    assert violations(name, CLUSTER, {**without_audit, "tags": {"Environment": "product"}}, DEV_URN) == []
    assert violations(name, CLUSTER, without_audit, DEV_URN) == []


def test_production_backtrack_is_advised():
    name = "aurora-production-backtrack"
    assert violations(name, CLUSTER, PROVISIONED_CLUSTER, PROD_URN) == []
    found = violations(name, CLUSTER, {**PROVISIONED_CLUSTER, "backtrackWindow": 0}, PROD_URN)
    assert len(found) == 1 and found[0].startswith("db: production clusters keep a backtrack window")


def test_production_enhanced_monitoring():
    name = "aurora-production-enhanced-monitoring"
    monitored = {"instanceClass": "db.r7g.large", "monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::1:role/m"}
    assert violations(name, CLUSTER_INSTANCE, monitored, PROD_URN) == []
    assert violations(name, CLUSTER_INSTANCE, {**monitored, "monitoringInterval": 0}, PROD_URN) == [
        "db: production instances turn on Enhanced Monitoring (monitoringInterval > 0 and a monitoringRoleArn)"
    ]
    assert violations(name, CLUSTER_INSTANCE, {**monitored, "monitoringInterval": 0}, DEV_URN) == []


# Availability Zones (a stack policy) --------------------------------------------------------------------


def _policy_resource(resource_type: str, urn: str, props: dict, cluster: PolicyResource | None = None) -> PolicyResource:
    dependencies = {"clusterIdentifier": [cluster]} if cluster else {}
    return PolicyResource(resource_type, props, urn, urn.split("::")[-1], resource_options(), None, None, [], dependencies)


def stack_violations(resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    policy = BY_NAME["aurora-production-multi-az"]
    assert isinstance(policy, StackValidationPolicy)
    policy.validate(StackValidationArgs(resources), lambda message, urn=None: found.append(message))
    return found


def _cluster_with_instances(
    zones: list[str | None], urn: str = PROD_URN, cluster_props: dict | None = None
) -> list[PolicyResource]:
    cluster = _policy_resource(CLUSTER, urn, cluster_props or PROVISIONED_CLUSTER)
    instances = [
        _policy_resource(CLUSTER_INSTANCE, f"{urn}-i{n}", {} if zone is None else {"availabilityZone": zone}, cluster)
        for n, zone in enumerate(zones)
    ]
    return [cluster, *instances]


def _spread(found: str) -> list[str]:
    return [f"db: production clusters need instances in at least two Availability Zones ({found}); add a reader in another zone"]


@pytest.mark.parametrize(
    "zones",
    [
        ["us-east-1a", "us-east-1b"],
        ["us-east-1a", "us-east-1b", None],
        # Nothing pinned: RDS places every instance; the policy cannot judge it (no false positive).
        [None, None],
        [None, None, None],
    ],
)
def test_instances_that_are_or_may_be_spread_pass(zones):
    assert stack_violations(_cluster_with_instances(zones)) == []


@pytest.mark.parametrize(
    "zones, found",
    [
        (["us-east-1a", "us-east-1a"], "found 2 instance(s) in ['us-east-1a']"),
        (["us-east-1a"], "found 1 instance(s) in ['us-east-1a']"),
        # One instance is in one zone, pinned or not.
        ([None], "found 1 instance(s)"),
        # Next to a pinned zone an unpinned instance may land in the same one.
        (["us-east-1a", None], "found 2 instance(s): 1 pinned to us-east-1a, 1 unpinned, which RDS may place in that zone too"),
        (
            ["us-east-1a", "us-east-1a", None],
            "found 3 instance(s): 2 pinned to us-east-1a, 1 unpinned, which RDS may place in that zone too",
        ),
        ([], "found 0 instance(s)"),
    ],
)
def test_instances_that_may_share_one_zone_are_refused(zones, found):
    """Both issues' statements at once: a single instance, or an unpinned instance next to one
    pinned zone, is refused (issue 11); instances none of which is pinned are not judged (issue 12)."""
    assert stack_violations(_cluster_with_instances(zones)) == _spread(found)


def test_the_zone_spread_is_judged_for_production_clusters_only():
    assert stack_violations(_cluster_with_instances(["us-east-1a"], urn=DEV_URN)) == []
    prod_eu = PROD_URN.replace(":prod:", ":prod-eu:")
    assert stack_violations(_cluster_with_instances(["us-east-1a"], urn=prod_eu)) == _spread(
        "found 1 instance(s) in ['us-east-1a']"
    )
    secondary = {"globalClusterIdentifier": "g", "storageEncrypted": True}
    assert stack_violations(_cluster_with_instances(["us-west-2a"], cluster_props=secondary)) == []


# Every policy over what the real stacks declare --------------------------------------------------------


def test_dev_stack_passes_every_policy(dev):
    assert all_violations(dev) == []


def test_prod_stack_passes_every_policy(prod):
    assert all_violations(prod) == []


@pytest.mark.engine
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


@pytest.mark.engine
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
        if registration.type == CLUSTER:
            inputs = {key: value for key, value in registration.inputs.items() if key != "dbClusterParameterGroupName"}
            return dataclasses.replace(registration, inputs={**inputs, "storageEncrypted": False})
        if registration.type == CLUSTER_INSTANCE:
            return dataclasses.replace(registration, inputs={**registration.inputs, "publiclyAccessible": True})
        if registration.type == SECURITY_GROUP:
            split_world = [{"protocol": "tcp", "fromPort": 3306, "toPort": 3306, "cidrBlocks": ["0.0.0.0/1", "128.0.0.0/1"]}]
            return dataclasses.replace(registration, inputs={**registration.inputs, "ingress": split_world})
        return registration

    tampered = Deployment([broken(r) for r in prod.resources], prod.outputs)
    found = all_violations(tampered)
    assert sorted(found) == sorted(
        [
            "database-cluster: storageEncrypted must declare encrypted storage (a volume created unencrypted stays unencrypted)",
            "database-cluster: dbClusterParameterGroupName is unset: name a cluster parameter group with "
            "require_secure_transport=ON (AWS's default groups leave it OFF)",
        ]
        + [
            f"database-instance-{n}: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
            for n in (1, 2)
        ]
        + [
            "network-database: ingress from 0.0.0.0/1, 128.0.0.0/1 reaches beyond private address space (RFC 1918, "
            "RFC 6598 100.64.0.0/10, RFC 4193 fc00::/7); admit named security groups or private ranges"
        ]
    )


@pytest.mark.engine
def test_an_app_user_provider_password_is_reported_as_advice():
    deployment = run_program("dev", overrides={"aurora:appUser": {"name": "app", "endpoint": "127.0.0.1:3307"}})
    assert all_violations(deployment) == [
        "app-user-mysql: the MySQL provider signs in with a password, which Pulumi keeps (encrypted) in the stack "
        "state; remove aurora:appUser when the application user exists"
    ]
    assert violations("aurora-provider-password", "pulumi:providers:mysql", {"endpoint": "127.0.0.1:3307"}) == []


# The pack as Pulumi runs it ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_pack():
    """The pack loaded as Pulumi loads a Python policy pack: `python -u -m pulumi.policy <engine>
    <pack directory>` (the SDK's pulumi/policy/__main__.py runs the directory's `__main__.py` with
    runpy). The pack prints the port of its gRPC Analyzer server (pulumi analyzer.proto), which
    the engine then calls, as these tests do."""
    import subprocess
    import sys

    import grpc
    from pulumi.runtime.proto import analyzer_pb2_grpc

    pack = PROJECT_ROOT / "policy"
    command = [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(pack)]
    server = subprocess.Popen(command, cwd=pack, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = server.stdout.readline().strip()
        if not port.isdigit():
            pytest.fail(f"the pack did not announce a port (exit code {server.wait(timeout=10)})")
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=10)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        server.kill()
        server.wait()


@pytest.mark.subprocess
def test_the_served_pack_announces_exactly_the_policies_of_the_module(served_pack):
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2

    info = served_pack.GetAnalyzerInfo(empty_pb2.Empty(), timeout=10)
    level = {EnforcementLevel.ADVISORY: analyzer_pb2.ADVISORY, EnforcementLevel.MANDATORY: analyzer_pb2.MANDATORY}
    assert info.name == "aurora-guardrails"
    assert [(p.name, p.enforcementLevel, p.description) for p in info.policies] == [
        (p.name, level[p.enforcement_level], p.description) for p in POLICIES
    ]


@pytest.mark.subprocess
def test_the_served_pack_reports_a_violation_through_the_engine_protocol(served_pack):
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2

    properties = struct_pb2.Struct()
    properties.update({**PROVISIONED_CLUSTER, "storageEncrypted": False})
    request = analyzer_pb2.AnalyzeRequest(type=CLUSTER, properties=properties, urn=PROD_URN, name="db")
    response = served_pack.Analyze(request, timeout=10)
    assert [(d.policyName, d.enforcementLevel) for d in response.diagnostics] == [
        ("aurora-storage-encrypted", analyzer_pb2.MANDATORY)
    ]
    compliant = struct_pb2.Struct()
    compliant.update(PROVISIONED_CLUSTER)
    request = analyzer_pb2.AnalyzeRequest(type=CLUSTER, properties=compliant, urn=PROD_URN, name="db")
    assert list(served_pack.Analyze(request, timeout=10).diagnostics) == []
