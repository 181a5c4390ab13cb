"""Network: the VPC the cluster lives in, its DB subnet group, and who may reach port 3306.

Every security group rule of the project is declared here, so one file answers "who can reach
the database?". The database group admits MySQL only from named sources; the client host's group
has no inbound rules at all (it is reached through SSM Session Manager). The optional RDS Proxy's
group admits exactly the sources the database admits, and the database admits the proxy.

The proxy lives in the database subnets whose zone RDS Proxy supports (`proxy_subnet_ids`): given a
subnet elsewhere, RDS creates the proxy without it and reads back the shorter list, and
`vpc_subnet_ids` is ForceNew on the proxy and its endpoints (terraform-provider-aws
internal/service/rds/proxy.go, proxy_endpoint.go; issues #17781, #23446), so every later preview
would plan their replacement.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks

from .adoption import imported
from .arg_rules import Rule, check_tags, each, refuse_bad_args
from .client_host import DEFAULT_INSTANCE_TYPE
from .package_identity import released_identity, type_token
from .placement import PlacementError, client_subnet, offered_zones

MYSQL_PORT = 3306
HTTPS_PORT = 443
ANYWHERE = "0.0.0.0/0"
# Zone ids where RDS Proxy cannot run (RDS User Guide and Aurora User Guide, "Quotas and limitations
# for RDS Proxy": "US East (N. Virginia) Region does not support RDS Proxy in the use1-az3
# Availability Zone. US West (N. California) Region does not support RDS Proxy in the usw1-az2
# Availability Zone."). Zone ids, not names: names map to different zones in each account.
PROXY_UNSUPPORTED_ZONE_IDS = {
    "use1-az3": "US East (N. Virginia)",
    "usw1-az2": "US West (N. California)",
}
# "This VPC should have a minimum of two subnets that are in different Availability Zones" (Aurora
# User Guide, "Setting up network prerequisites for RDS Proxy").
PROXY_MINIMUM_ZONES = 2


class NetworkError(Exception):
    """The chosen VPC or subnets cannot host an Aurora cluster."""


class NetworkArgs(TypedDict):
    """Where the cluster lives and who may reach it; a dict from the program and from the package."""

    vpc_id: NotRequired[str]
    """`default` (the default) for the account's default VPC, or an existing VPC id."""
    subnet_ids: NotRequired[Sequence[str]]
    """DB subnet group members; default: none given, the default VPC's default subnets."""
    allowed_security_group_ids: NotRequired[Sequence[str]]
    """Existing security groups admitted on 3306; default none."""
    allowed_cidrs: NotRequired[Sequence[str]]
    """Private CIDR ranges admitted on 3306; default none."""
    client_host: NotRequired[bool]
    """Create the client host's security group and admit it on 3306; default false."""
    client_subnet_id: NotRequired[str | None]
    """Subnet for the client host; default: the first database subnet in a zone offering its type."""
    proxy: NotRequired[bool]
    """Create the RDS Proxy's security group (the database's sources reach the proxy, the proxy the
    database); default false."""
    client_instance_type: NotRequired[str]
    """Instance type of the client host: its subnet must be in a zone that offers it; default t4g.micro."""
    region: NotRequired[str | None]
    """Region of the network; default: the stack's `aws:region` (the DR secondary sets another)."""
    config_key: NotRequired[str]
    """The configuration object these settings came from, for error messages; default `network`."""
    tags: NotRequired[dict[str, str]]
    """Tags for every resource; default none."""
    subnet_group_description: NotRequired[str | None]
    """The DB subnet group's description; default "Aurora cluster subnets (managed by Pulumi)"."""
    existing_subnet_group: NotRequired[str | None]
    """The name of an adopted cluster's DB subnet group, with subnetIds its subnets: imported under
    it (ForceNew, rds/subnet_group.go); default none: one is created."""


# What an arg left out means: one place for every default of NetworkArgs.
NETWORK_DEFAULTS: NetworkArgs = {
    "vpc_id": "default",
    "subnet_ids": (),
    "allowed_security_group_ids": (),
    "allowed_cidrs": (),
    "client_host": False,
    "client_subnet_id": None,
    "proxy": False,
    "client_instance_type": DEFAULT_INSTANCE_TYPE,
    "region": None,
    "config_key": "network",
    "tags": {},
    "subnet_group_description": "Aurora cluster subnets (managed by Pulumi)",
    "existing_subnet_group": None,
}
# Each arg's rule is its setting's (settings/model.py `NetworkConfig`).
NETWORK_ARG_RULES: dict[str, Rule] = {
    "vpc_id": checks.check_vpc_id,
    "subnet_ids": checks.distinct_ids("subnet"),
    "allowed_security_group_ids": checks.distinct_ids("sg"),
    "allowed_cidrs": each(checks.check_private_cidr),
    "client_subnet_id": checks.subnet_id,
    "region": checks.check_region,
    "tags": check_tags,
    "existing_subnet_group": checks.check_subnet_group_name,
}


class Network(pulumi.ComponentResource):
    """DB subnet group and security groups in an existing (or the default) VPC."""

    vpc_id: str
    """The VPC's id (the default VPC's when `vpcId` is `default`)."""
    subnet_ids: list[str]
    """The DB subnet group's subnets."""
    subnet_zones: dict[str, str]
    """Availability Zone of each subnet."""
    subnet_zone_ids: dict[str, str]
    """Availability Zone id of each subnet (the same physical zone in every account)."""
    proxy_subnet_ids: list[str]
    """The subnets in zones RDS Proxy supports, for the proxy and its endpoints; empty without a proxy."""
    availability_zones: list[str]
    """Distinct AZs of the subnets, sorted so instance placement is stable across runs."""
    uses_default_vpc: bool
    """Whether the network is the default VPC (its subnets give instances public addresses)."""
    client_subnet_id: str
    """The client host's subnet (the first database subnet without a client host)."""
    subnet_group_name: pulumi.Output[str]
    """The DB subnet group's name, for the cluster."""
    database_security_group_id: pulumi.Output[str]
    """The database's security group, for the cluster."""
    client_security_group_id: pulumi.Output[str] | None
    """The client host's security group; absent without a client host."""
    proxy_security_group_id: pulumi.Output[str] | None
    """The RDS Proxy's security group; absent without a proxy."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("Network", args, NETWORK_ARG_RULES)
        args = {**NETWORK_DEFAULTS, **args}
        super().__init__(type_token("Network"), name, None, released_identity(opts, "aurora:network:Network"))
        child = pulumi.ResourceOptions(parent=self)
        self.region = args["region"]

        self.uses_default_vpc = args["vpc_id"] == "default"
        self.vpc_id = aws.ec2.get_vpc(default=True, region=self.region).id if self.uses_default_vpc else args["vpc_id"]
        self.subnet_ids = list(args["subnet_ids"]) or self._default_subnet_ids(self.vpc_id, self.region)
        subnets = {subnet_id: aws.ec2.get_subnet(id=subnet_id, region=self.region) for subnet_id in self.subnet_ids}
        self.subnet_zones = {subnet_id: subnet.availability_zone for subnet_id, subnet in subnets.items()}
        self.subnet_zone_ids = {subnet_id: subnet.availability_zone_id for subnet_id, subnet in subnets.items()}
        self.availability_zones = self._availability_zones(self.subnet_zones, args["config_key"])
        self.proxy_subnet_ids = (
            proxy_subnets(self.subnet_ids, self.subnet_zones, self.subnet_zone_ids, args["config_key"]) if args["proxy"] else []
        )
        self.client_subnet_id = self._client_subnet(args) if args["client_host"] else self.subnet_ids[0]

        # The children, for the program (not outputs of the package).
        self.subnet_group: aws.rds.SubnetGroup = aws.rds.SubnetGroup(
            f"{name}-db-subnets",
            # An adopted group's name; otherwise auto-named, and the bridge keeps the name in the
            # state on later runs, so an adopted group keeps its name once the section is gone.
            name=args["existing_subnet_group"],
            subnet_ids=self.subnet_ids,
            # None from the program (the setting unset) means the default, as an absent arg does.
            description=args["subnet_group_description"] or NETWORK_DEFAULTS["subnet_group_description"],
            region=self.region,
            tags=args["tags"],
            opts=pulumi.ResourceOptions.merge(child, imported(args["existing_subnet_group"])),
        )
        # No egress rules: the database never initiates connections for this project.
        self.database_security_group: aws.ec2.SecurityGroup = aws.ec2.SecurityGroup(
            f"{name}-database",
            vpc_id=self.vpc_id,
            description="Aurora MySQL: port 3306 from named sources only",
            region=self.region,
            tags={**args["tags"], "Name": f"{name}-database"},
            opts=child,
        )
        self.client_security_group: aws.ec2.SecurityGroup | None = None
        if args["client_host"]:
            self.client_security_group = self._client_security_group(name, args, child)
        sources = self._mysql_sources(args)
        for suffix, description, source in sources:
            self._admit(self.database_security_group.id, f"{name}-allow-{suffix}", description, args["tags"], child, **source)
        self.proxy_security_group: aws.ec2.SecurityGroup | None = (
            self._proxy_security_group(name, args, sources, child) if args["proxy"] else None
        )
        self.subnet_group_name = self.subnet_group.name
        self.database_security_group_id = self.database_security_group.id
        self.client_security_group_id = self.client_security_group.id if self.client_security_group else None
        self.proxy_security_group_id = self.proxy_security_group.id if self.proxy_security_group else None

        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "subnetGroupName": self.subnet_group.name,
                "databaseSecurityGroupId": self.database_security_group.id,
            }
        )

    def _client_security_group(self, name: str, args: NetworkArgs, child: pulumi.ResourceOptions) -> aws.ec2.SecurityGroup:
        group = aws.ec2.SecurityGroup(
            f"{name}-client",
            vpc_id=self.vpc_id,
            description="Aurora client host: no inbound, reached through SSM Session Manager",
            tags={**args["tags"], "Name": f"{name}-client"},
            opts=child,
        )
        # HTTPS out reaches SSM, the package repositories and the RDS CA bundle.
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-client-https-out",
            security_group_id=group.id,
            description="SSM, packages, RDS CA bundle",
            ip_protocol="tcp",
            from_port=HTTPS_PORT,
            to_port=HTTPS_PORT,
            cidr_ipv4=ANYWHERE,
            tags=args["tags"],
            opts=child,
        )
        self._reach_database(group.id, f"{name}-client-mysql-out", args["tags"], child)
        return group

    def _mysql_sources(self, args: NetworkArgs) -> list[tuple[str, str, dict[str, pulumi.Input[str]]]]:
        """Who may reach MySQL: (resource name suffix, description, source) for each named source."""
        sources: list[tuple[str, str, dict[str, pulumi.Input[str]]]] = []
        if self.client_security_group is not None:
            sources.append(("client", "Client host", {"referenced_security_group_id": self.client_security_group.id}))
        sources += [
            (f"sg-{index}", "Existing client group", {"referenced_security_group_id": group_id})
            for index, group_id in enumerate(args["allowed_security_group_ids"])
        ]
        sources += [
            (f"cidr-{index}", "Private client range", {"cidr_ipv4": cidr}) for index, cidr in enumerate(args["allowed_cidrs"])
        ]
        return sources

    def _proxy_security_group(
        self,
        name: str,
        args: NetworkArgs,
        sources: list[tuple[str, str, dict[str, pulumi.Input[str]]]],
        child: pulumi.ResourceOptions,
    ) -> aws.ec2.SecurityGroup:
        """The proxy admits whom the database admits; it reaches the database, and nothing else."""
        group = aws.ec2.SecurityGroup(
            f"{name}-proxy",
            vpc_id=self.vpc_id,
            description="RDS Proxy: port 3306 from the database's named sources only",
            region=self.region,
            tags={**args["tags"], "Name": f"{name}-proxy"},
            opts=child,
        )
        for suffix, description, source in sources:
            self._admit(group.id, f"{name}-proxy-allow-{suffix}", description, args["tags"], child, **source)
        self._reach_database(group.id, f"{name}-proxy-mysql-out", args["tags"], child)
        self._admit(
            self.database_security_group.id,
            f"{name}-allow-proxy",
            "RDS Proxy",
            args["tags"],
            child,
            referenced_security_group_id=group.id,
        )
        return group

    def _reach_database(
        self, security_group_id: pulumi.Input[str], resource_name: str, tags: dict[str, str], opts: pulumi.ResourceOptions
    ) -> None:
        """Egress from a group to the database group on the MySQL port, and nowhere else on it."""
        aws.vpc.SecurityGroupEgressRule(
            resource_name,
            security_group_id=security_group_id,
            description="MySQL to the Aurora cluster",
            ip_protocol="tcp",
            from_port=MYSQL_PORT,
            to_port=MYSQL_PORT,
            referenced_security_group_id=self.database_security_group.id,
            region=self.region,
            tags=tags,
            opts=opts,
        )

    def _admit(
        self,
        security_group_id: pulumi.Input[str],
        resource_name: str,
        description: str,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions,
        **source: pulumi.Input[str],
    ) -> None:
        aws.vpc.SecurityGroupIngressRule(
            resource_name,
            security_group_id=security_group_id,
            description=description,
            ip_protocol="tcp",
            from_port=MYSQL_PORT,
            to_port=MYSQL_PORT,
            region=self.region,
            tags=tags,
            opts=opts,
            **source,
        )

    @staticmethod
    def _default_subnet_ids(vpc_id: str, region: str | None) -> list[str]:
        subnets = aws.ec2.get_subnets(
            filters=[
                aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc_id]),
                aws.ec2.GetSubnetsFilterArgs(name="default-for-az", values=["true"]),
            ],
            region=region,
        )
        return sorted(subnets.ids)

    def _client_subnet(self, args: NetworkArgs) -> str:
        """The client host's subnet, in a zone where EC2 offers its instance type."""
        offered = offered_zones(args["client_instance_type"], self.region)
        if args["client_subnet_id"] is None:
            return client_subnet(self.subnet_zones, offered, args["client_instance_type"], args["config_key"])
        zone = aws.ec2.get_subnet(id=args["client_subnet_id"], region=self.region).availability_zone
        if zone not in offered:
            raise PlacementError(
                f"aurora:{args['config_key']}.clientSubnetId {args['client_subnet_id']} is in {zone}, which does not offer "
                f"{args['client_instance_type']}; choose a subnet in one of {', '.join(sorted(offered)) or 'no zone'}"
            )
        return args["client_subnet_id"]

    @staticmethod
    def _availability_zones(subnet_zones: dict[str, str], config_key: str) -> list[str]:
        zones = sorted(set(subnet_zones.values()))
        if len(zones) < 2:
            raise NetworkError(
                f"aurora:{config_key}.subnetIds {list(subnet_zones)} cover {len(zones)} Availability Zone(s) "
                f"({', '.join(zones) or 'none'}): Aurora needs subnets in at least two"
            )
        return zones


def proxy_subnets(
    subnet_ids: Sequence[str], subnet_zones: Mapping[str, str], subnet_zone_ids: Mapping[str, str], config_key: str
) -> list[str]:
    """The subnets whose zone id RDS Proxy supports, in the subnets' order; refused when they cover
    fewer than two zones (RDS Proxy's minimum)."""
    supported = [subnet_id for subnet_id in subnet_ids if subnet_zone_ids[subnet_id] not in PROXY_UNSUPPORTED_ZONE_IDS]
    zones = sorted({subnet_zones[subnet_id] for subnet_id in supported})
    if len(zones) < PROXY_MINIMUM_ZONES:
        left_out = [f"{subnet_id} ({subnet_zone_ids[subnet_id]})" for subnet_id in subnet_ids if subnet_id not in supported]
        raise PlacementError(
            f"aurora:{config_key}.subnetIds: RDS Proxy supports {len(zones)} of the subnets' zones "
            f"({', '.join(zones) or 'none'}; not {', '.join(left_out) or 'any'}) and needs subnets in at least "
            f"{PROXY_MINIMUM_ZONES}: add a subnet in another zone, or turn provisioned.proxy off"
        )
    return supported
