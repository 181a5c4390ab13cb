"""Placement: the Availability Zones where this stack's instances can actually run.

Zone names map to different zone ids in each account, and some zones offer few instance types
(use1-az3 in us-east-1 has no Graviton). So the zones of the subnets are narrowed to those where
RDS can order the instance class for this engine and version (`aws.rds.get_orderable_db_instance`,
whose `availability_zones` are the zones of the matching orderable option) and, for the client
host, where EC2 offers its instance type (`aws.ec2.get_instance_type_offerings` with location type
`availability-zone`). Subnets outside those zones stay in the DB subnet group (RDS may still spread
storage there) but nothing is placed in them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_aws as aws


class PlacementError(pulumi.RunError):
    """No usable zone, or too few for a cluster with readers (shown without a traceback)."""


def orderable_zones(engine: str, engine_version: str, instance_class: str, region: str | None) -> set[str]:
    """Zones where RDS sells `instance_class` for this engine and version. `preferred_instance_classes`
    makes the provider pick one option even when several storage types or licences match."""
    option = aws.rds.get_orderable_db_instance(
        engine=engine, engine_version=engine_version, preferred_instance_classes=[instance_class], region=region
    )
    return set(option.availability_zones)


def offered_zones(instance_type: str, region: str | None) -> set[str]:
    """Zones where EC2 offers `instance_type`."""
    offerings = aws.ec2.get_instance_type_offerings(
        filters=[aws.ec2.GetInstanceTypeOfferingsFilterArgs(name="instance-type", values=[instance_type])],
        location_type="availability-zone",
        region=region,
    )
    return set(offerings.locations)


def usable_database_zones(
    subnet_zones: Sequence[str], orderable: set[str], instance_class: str, instances: int, config_key: str
) -> list[str]:
    """The subnets' zones where the class is orderable, in the subnets' (stable) order; refused
    when none remain, or fewer than two for a cluster with readers."""
    usable = [zone for zone in subnet_zones if zone in orderable]
    needed = 2 if instances > 1 else 1
    if len(usable) < needed:
        left_out = [zone for zone in subnet_zones if zone not in orderable]
        raise PlacementError(
            f"aurora:{config_key}.subnetIds: {instance_class} can be ordered in {len(usable)} of the subnets' zones "
            f"({', '.join(usable) or 'none'}; not in {', '.join(left_out) or 'any'}), and {instances} instance(s) "
            f"need {needed}: add subnets in other zones or choose another instance class"
        )
    return usable


def instance_zones(
    subnet_zones: Sequence[str], orderable: Mapping[str, set[str]], instance_classes: Sequence[str], config_key: str
) -> list[str]:
    """The zone of each instance of a cluster whose classes are `instance_classes` (the writer's
    first), `orderable` giving the zones that sell each class: the writer in the first usable zone
    of its class, each reader round-robin over the usable zones of its class other than the writer's.
    Refused when the writer's class has no usable zone (or only one while readers share its class),
    or a reader's class none besides the writer's."""
    writer_class = instance_classes[0]
    writer_zone = usable_database_zones(
        subnet_zones, orderable[writer_class], writer_class, instance_classes.count(writer_class), config_key
    )[0]
    zones = [writer_zone]
    for index, reader_class in enumerate(instance_classes[1:]):
        others = [zone for zone in subnet_zones if zone in orderable[reader_class] and zone != writer_zone]
        if not others:
            raise PlacementError(
                f"aurora:{config_key}.subnetIds: reader {index + 1}'s class {reader_class} can be ordered in no zone of the "
                f"subnets but the writer's ({writer_zone}), and a reader is placed outside it: add subnets in other zones "
                "or choose another class for it"
            )
        zones.append(others[index % len(others)])
    return zones


def client_subnet(subnet_zones: Mapping[str, str], offered: set[str], instance_type: str, config_key: str) -> str:
    """The first subnet (by id) in a zone that offers the client host's instance type."""
    for subnet_id in sorted(subnet_zones):
        if subnet_zones[subnet_id] in offered:
            return subnet_id
    raise PlacementError(
        f"aurora:{config_key}: no subnet is in a zone that offers {instance_type} "
        f"({', '.join(sorted(set(subnet_zones.values())))}); set {config_key}.clientSubnetId to a subnet in "
        f"one of {', '.join(sorted(offered)) or 'no zone'}"
    )
