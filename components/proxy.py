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

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from settings.derived_names import proxy_name, proxy_reader_endpoint_name

from .iam import assume_role_policy, secret_read_policy

ENGINE_FAMILY = "MYSQL"
RDS_SERVICE = "rds.amazonaws.com"


@dataclass
class DatabaseProxyArgs:
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
    instances: Sequence[pulumi.Resource]
    """The cluster's instances: the target is registered once they exist."""
    readers: int
    """Readers of the cluster; with none, no read-only endpoint (it would have no target)."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags for every resource."""


class DatabaseProxy(pulumi.ComponentResource):
    """RDS Proxy, its role, default target group, cluster target and read-only endpoint."""

    role: aws.iam.Role
    proxy: aws.rds.Proxy
    target: aws.rds.ProxyTarget
    reader_endpoint_resource: aws.rds.ProxyEndpoint | None
    endpoint: pulumi.Output[str]
    reader_endpoint: pulumi.Output[str] | None

    def __init__(self, name: str, args: DatabaseProxyArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:database:Proxy", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.role = aws.iam.Role(
            f"{name}-role",
            description="RDS Proxy: reads the cluster's master secret",
            # No aws:SourceAccount / aws:SourceArn condition, unlike the Enhanced Monitoring role: the
            # RDS Proxy guide documents none for this trust ("Configuring IAM authentication for RDS
            # Proxy" creates the role as "RDS - Add Role to Database"), and its "Quotas and limitations"
            # say "Currently, RDS Proxy doesn't support any global condition context keys". A condition
            # on a key the service does not send denies the AssumeRole: the proxy could not sign in.
            assume_role_policy=assume_role_policy(RDS_SERVICE),
            tags=args.tags,
            opts=child,
        )
        # The role's only permission: read the one secret the proxy signs in with.
        policy = aws.iam.RolePolicy(
            f"{name}-read-secret",
            role=self.role.id,
            policy=pulumi.Output.from_input(args.secret_arn).apply(secret_read_policy),
            opts=child,
        )
        self.proxy = aws.rds.Proxy(
            f"{name}-proxy",
            name=proxy_name(args.cluster_identifier),
            engine_family=ENGINE_FAMILY,
            require_tls=True,
            auths=[
                aws.rds.ProxyAuthArgs(
                    auth_scheme="SECRETS",
                    iam_auth="REQUIRED",
                    secret_arn=args.secret_arn,
                    description="Cluster master user; clients sign in with IAM",
                )
            ],
            role_arn=self.role.arn,
            vpc_subnet_ids=list(args.subnet_ids),
            vpc_security_group_ids=[args.security_group_id],
            # Debug logging writes the SQL of every statement to CloudWatch Logs.
            debug_logging=False,
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        default_group = aws.rds.ProxyDefaultTargetGroup(
            f"{name}-default-target-group",
            db_proxy_name=self.proxy.name,
            opts=child,
        )
        self.target = aws.rds.ProxyTarget(
            f"{name}-cluster-target",
            db_proxy_name=self.proxy.name,
            target_group_name=default_group.name,
            db_cluster_identifier=args.cluster,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.instances)),
        )
        self.endpoint = self.proxy.endpoint
        self.reader_endpoint_resource = None
        self.reader_endpoint = None
        if args.readers > 0:
            self.reader_endpoint_resource = aws.rds.ProxyEndpoint(
                f"{name}-readers",
                db_proxy_name=self.proxy.name,
                db_proxy_endpoint_name=proxy_reader_endpoint_name(args.cluster_identifier),
                target_role="READ_ONLY",
                vpc_subnet_ids=list(args.subnet_ids),
                vpc_security_group_ids=[args.security_group_id],
                tags=args.tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.target]),
            )
            self.reader_endpoint = self.reader_endpoint_resource.endpoint
        self.register_outputs({"endpoint": self.endpoint, "readerEndpoint": self.reader_endpoint})
