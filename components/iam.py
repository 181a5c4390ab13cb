"""IAM helpers shared by components.

Service roles can carry the confused-deputy conditions AWS recommends for trust policies
(`aws:SourceAccount`, `aws:SourceArn`; IAM User Guide, "The confused deputy problem"), but only
where the service's own guide says it sends those keys when it assumes the role: a condition on a
key the service leaves out of the request denies the AssumeRole, and the feature stops working.
Each caller says which guide it follows.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws


def assume_role_policy(service: str, source_account: str | None = None, source_arn: str | None = None) -> str:
    """Trust policy letting one AWS service principal assume a role, and nothing else; with
    `source_account` / `source_arn`, only on behalf of that account's resources matching the ARN pattern."""
    statement: dict = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    condition: dict = {}
    if source_arn is not None:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    if source_account is not None:
        condition["StringEquals"] = {"aws:SourceAccount": source_account}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def service_role(
    name: str,
    attachment_name: str,
    service: str,
    description: str,
    managed_policy: str,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    *,
    source_account: str | None = None,
    source_arn: str | None = None,
) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
    """A role for `service` with one AWS managed policy (`managed_policy` is the part after `aws:`),
    optionally restricted to `source_account` / `source_arn` (see `assume_role_policy`)."""
    partition = aws.get_partition().partition
    role = aws.iam.Role(
        name,
        description=description,
        assume_role_policy=assume_role_policy(service, source_account, source_arn),
        tags=tags,
        opts=opts,
    )
    attachment = aws.iam.RolePolicyAttachment(
        attachment_name,
        role=role.name,
        policy_arn=f"arn:{partition}:iam::aws:{managed_policy}",
        opts=opts,
    )
    return role, attachment


def secret_read_policy(secret_arn: str) -> str:
    """Permission to read one Secrets Manager secret, and nothing else. The secrets here are
    encrypted with the AWS managed key aws/secretsmanager, which any principal allowed to read the
    secret may use through Secrets Manager: no kms:Decrypt statement."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret_arn}],
        }
    )
