"""DatabaseProxy: an optional RDS Proxy in front of the production cluster.

RDS Proxy keeps client connections open through a failover and pools them (Aurora User Guide,
"Amazon RDS Proxy for Aurora"). Clients must use TLS and sign in with IAM (`iam_auth: REQUIRED`):
the proxy itself signs in to the database with the cluster's master secret, which only the
proxy's role may read. The default endpoint reaches the writer; a read-only endpoint reaches the
readers. Its security group (declared in `network.py`) admits the sources the cluster admits.

Inputs follow the provider's resources (terraform-provider-aws internal/service/rds/proxy.go: `auth`
entries sent as UserAuthConfig, `require_tls` and `debug_logging` sent when true, `vpc_subnet_ids`
ForceNew; proxy_default_target_group.go: the group named `default`; proxy_target.go: the cluster
registered with RegisterDBProxyTargets) and CreateDBProxy in botocore's rds model (EngineFamily
MYSQL, UserAuthConfig AuthScheme SECRETS, IAMAuth REQUIRED).
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks
from settings.derived_names import proxy_name, proxy_reader_endpoint_name

from .arg_rules import Rule, check_tags, refuse_bad_args
from .iam import assume_role_policy, secret_read_policy
from .package_identity import released_identity, type_token

ENGINE_FAMILY = "MYSQL"
RDS_SERVICE = "rds.amazonaws.com"


class DatabaseProxyArgs(TypedDict):
    """The cluster behind the proxy and where the proxy runs; a dict from the program and from the package."""

    cluster_identifier: str
    """The cluster the proxy targets; the proxy and its endpoint are named after it."""
    cluster: pulumi.Input[str]
    """The cluster's identifier as an output, so the target waits for the cluster."""
    secret_arn: pulumi.Input[str]
    """The master secret the proxy signs in with (managed, or generated in global mode)."""
    subnet_ids: Sequence[str]
    """The database subnets in zones RDS Proxy supports (`Network.proxy_subnet_ids`): RDS drops any
    other from the proxy, and `vpc_subnet_ids` read back shorter would replace it on every preview."""
    security_group_id: pulumi.Input[str]
    """The proxy's security group from `Network`."""
    instance_identifiers: pulumi.Input[Sequence[str]]
    """The cluster's instances (`AuroraCluster.instance_identifiers`): the target is registered once they exist."""
    readers: int
    """Readers of the cluster; with none, no read-only endpoint (it would have no target)."""
    tags: NotRequired[dict[str, str]]
    """Tags for every resource; default none."""


# Each arg's rule is its setting's (settings/model.py).
PROXY_ARG_RULES: dict[str, Rule] = {
    "cluster_identifier": checks.check_identifier,
    "subnet_ids": checks.distinct_ids("subnet"),
    "tags": check_tags,
}


class DatabaseProxy(pulumi.ComponentResource):
    """RDS Proxy, its role, default target group, cluster target and read-only endpoint."""

    endpoint: pulumi.Output[str]
    """The proxy's read/write endpoint (TLS, IAM authentication)."""
    reader_endpoint: pulumi.Output[str] | None
    """The proxy's read-only endpoint; absent when the cluster has no readers."""

    def __init__(self, name: str, args: DatabaseProxyArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("DatabaseProxy", args, PROXY_ARG_RULES)
        super().__init__(type_token("DatabaseProxy"), name, None, released_identity(opts, "aurora:database:Proxy"))
        tags = args.get("tags", {})
        child = pulumi.ResourceOptions(parent=self)

        # The children, for the program (not outputs of the package).
        self.role: aws.iam.Role = aws.iam.Role(
            f"{name}-role",
            description="RDS Proxy: reads the cluster's master secret",
            # No aws:SourceAccount / aws:SourceArn condition, unlike the Enhanced Monitoring role: the
            # RDS Proxy guide documents none for this trust ("Configuring IAM authentication for RDS
            # Proxy" creates the role as "RDS - Add Role to Database"), and its "Quotas and limitations"
            # say "Currently, RDS Proxy doesn't support any global condition context keys". A condition
            # on a key the service does not send denies the AssumeRole: the proxy could not sign in.
            assume_role_policy=assume_role_policy(RDS_SERVICE),
            tags=tags,
            opts=child,
        )
        # The role's only permission: read the one secret the proxy signs in with.
        policy = aws.iam.RolePolicy(
            f"{name}-read-secret",
            role=self.role.id,
            policy=pulumi.Output.from_input(args["secret_arn"]).apply(secret_read_policy),
            opts=child,
        )
        self.proxy: aws.rds.Proxy = aws.rds.Proxy(
            f"{name}-proxy",
            name=proxy_name(args["cluster_identifier"]),
            engine_family=ENGINE_FAMILY,
            require_tls=True,
            auths=[
                aws.rds.ProxyAuthArgs(
                    auth_scheme="SECRETS",
                    iam_auth="REQUIRED",
                    secret_arn=args["secret_arn"],
                    description="Cluster master user; clients sign in with IAM",
                )
            ],
            role_arn=self.role.arn,
            vpc_subnet_ids=list(args["subnet_ids"]),
            vpc_security_group_ids=[args["security_group_id"]],
            # Debug logging writes the SQL of every statement to CloudWatch Logs.
            debug_logging=False,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        default_group = aws.rds.ProxyDefaultTargetGroup(
            f"{name}-default-target-group",
            db_proxy_name=self.proxy.name,
            opts=child,
        )
        self.target: aws.rds.ProxyTarget = aws.rds.ProxyTarget(
            f"{name}-cluster-target",
            db_proxy_name=self.proxy.name,
            target_group_name=default_group.name,
            # Waits for the instances through its input: a package user passes their identifiers, not
            # the resources (the same dependency, `depends_on` takes resources only).
            db_cluster_identifier=pulumi.Output.all(args["cluster"], args["instance_identifiers"]).apply(
                lambda values: values[0]
            ),
            opts=child,
        )
        self.endpoint = self.proxy.endpoint
        self.reader_endpoint_resource: aws.rds.ProxyEndpoint | None = None
        self.reader_endpoint = None
        if args["readers"] > 0:
            self.reader_endpoint_resource = aws.rds.ProxyEndpoint(
                f"{name}-readers",
                db_proxy_name=self.proxy.name,
                db_proxy_endpoint_name=proxy_reader_endpoint_name(args["cluster_identifier"]),
                target_role="READ_ONLY",
                vpc_subnet_ids=list(args["subnet_ids"]),
                vpc_security_group_ids=[args["security_group_id"]],
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.target]),
            )
            self.reader_endpoint = self.reader_endpoint_resource.endpoint
        self.register_outputs({"endpoint": self.endpoint, "readerEndpoint": self.reader_endpoint})
