"""Resources as the offline plan's snapshots hold them, built by hand for the plan's own tests."""

from __future__ import annotations

from plan.snapshot import Resource

CLUSTER = "aws:rds/cluster:Cluster"


def resource(type_: str = CLUSTER, name: str = "db", inputs: dict | None = None, **options) -> Resource:
    """A resource of prod's stack with the URN Pulumi would give it (`options`: protect, ignore_changes, ...)."""
    return Resource(
        urn=f"urn:pulumi:prod::aurora::{type_}::{name}", type=type_, name=name, parent="", inputs=inputs or {}, **options
    )
