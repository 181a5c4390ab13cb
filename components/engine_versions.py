"""Engine version arithmetic shared by the program and the offline plan (pure, no Pulumi)."""

from __future__ import annotations

import re

_MAJOR = re.compile(r"^(\d+\.\d+)\.")


def engine_major(engine_version: str) -> str | None:
    """The MySQL major an engine version is compatible with: `8.0` for Aurora MySQL 3
    (`8.0.mysql_aurora.3.10.5`), `8.4` for Aurora MySQL 8.4 (`8.4.mysql_aurora.8.4.7`); None when the
    text is not `<digits>.<digits>.` followed by more. Each major has its own parameter group family
    (`aurora-mysql8.0`, `aurora-mysql8.4`) and RDS never moves a cluster back to an earlier one."""
    match = _MAJOR.match(engine_version)
    return match.group(1) if match else None


def major_change(resource_type: str, properties: list[str], old: dict, new: dict) -> str | None:
    """Why a planned change of a cluster cannot be undone, when it cannot: its engine moves to another
    major. RDS upgrades in place and has no downgrade (ModifyDBCluster EngineVersion,
    AllowMajorVersionUpgrade: botocore rds model); going back means restoring a snapshot taken
    before into a new cluster."""
    if resource_type not in ENGINE_VERSIONED_TYPES or "engineVersion" not in properties:
        return None
    before, after = old.get("engineVersion"), new.get("engineVersion")
    old_major = engine_major(before) if isinstance(before, str) else None
    new_major = engine_major(after) if isinstance(after, str) else None
    if old_major is None or new_major is None or old_major == new_major:
        return None
    return (
        f"engine major {old_major} => {new_major} cannot be undone "
        "(RDS has no downgrade; going back is a restore of an earlier snapshot)"
    )


ENGINE_VERSIONED_TYPES = frozenset({"aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster"})
"""The resource types whose `engineVersion` the plan judges."""
