"""Policy reports that name several findings at once, and private ranges written with host bits
(policy/policies.py, pure)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

from policy import policies
from policy.policies import POLICIES

BY_NAME = {policy.name: policy for policy in POLICIES}
DEV = "urn:pulumi:dev::aurora::aws:rds/cluster:Cluster::db"


def messages(policy_name: str, resource_type: str, props: dict[str, Any]) -> list[str]:
    found: list[str] = []
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    args = ResourceValidationArgs(resource_type, props, DEV, "db", options, None)
    BY_NAME[policy_name].validate(args, lambda message, urn=None: found.append(message))
    return found


def test_a_private_range_written_with_host_bits_set_is_private():
    """`10.1.2.3/16` is the range 10.1.0.0/16 as `ipaddress.ip_network(strict=False)` reads it."""
    assert policies.is_private_range("10.1.2.3/16") is True
    rule = {"cidrIpv4": "10.1.2.3/16"}
    assert messages("aurora-no-world-open-ingress", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", rule) == []


def test_every_unencrypted_volume_of_an_instance_is_named_in_one_report():
    instance = {"rootBlockDevice": {"volumeSize": 8}, "ebsBlockDevices": [{"deviceName": "/dev/sdf"}]}
    assert messages("aurora-storage-encrypted", "aws:ec2/instance:Instance", instance) == [
        "db: rootBlockDevice.encrypted, ebsBlockDevices[0].encrypted must declare encrypted storage "
        "(a volume created unencrypted stays unencrypted)"
    ]


def test_every_proxy_auth_entry_without_required_iam_is_named_in_one_report():
    auths = [
        {"authScheme": "SECRETS", "iamAuth": "DISABLED"},
        {"authScheme": "SECRETS", "iamAuth": "REQUIRED"},
        {"authScheme": "SECRETS"},
    ]
    assert messages("aurora-proxy-tls-and-iam", "aws:rds/proxy:Proxy", {"requireTls": True, "auths": auths}) == [
        "db: auths have iamAuth DISABLED, unset: every entry must have iamAuth REQUIRED"
    ]
