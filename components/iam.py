"""IAM helpers shared by components."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws


def assume_role_policy(service: str) -> str:
    """Trust policy letting one AWS service principal assume a role, and nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


def service_role(
    name: str,
    attachment_name: str,
    service: str,
    description: str,
    managed_policy: str,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
    """A role for `service` with one AWS managed policy (`managed_policy` is the part after `aws:`)."""
    partition = aws.get_partition().partition
    role = aws.iam.Role(name, description=description, assume_role_policy=assume_role_policy(service), tags=tags, opts=opts)
    attachment = aws.iam.RolePolicyAttachment(
        attachment_name,
        role=role.name,
        policy_arn=f"arn:{partition}:iam::aws:{managed_policy}",
        opts=opts,
    )
    return role, attachment
