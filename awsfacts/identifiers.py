"""RDS identifier rules, and names shaped to fit them (pure: the settings, the derived names and
`ops` check the same rule).

Source: botocore's RDS service model, the documentation of `DBClusterIdentifier`
(RestoreDBClusterToPointInTime), `DBInstanceIdentifier` (CreateDBInstance) and
`TargetDBClusterSnapshotIdentifier` (CopyDBClusterSnapshot): "Must contain from 1 to 63 letters,
numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two
consecutive hyphens." Export task identifiers follow the same letters-digits-hyphens rule with at
most 60 characters (Aurora User Guide, "Creating snapshot export tasks": the export identifier).
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_LOWER_CASE_SHAPE = re.compile(r"[a-z][a-z0-9-]*")
RDS_IDENTIFIER_LIMIT = 63
EXPORT_TASK_LIMIT = 60


def identifier_problem(value: str, max_length: int = RDS_IDENTIFIER_LIMIT, lower_case: bool = False) -> str | None:
    """Why `value` breaks the RDS identifier rule, or None when it is valid. `lower_case` is the
    stricter form the stack settings ask for: RDS stores identifiers lower-cased, so a name with
    capitals would read back different from the stack file."""
    if not 1 <= len(value) <= max_length:
        return f"is {len(value)} characters long; at most {max_length} are allowed"
    if not (_LOWER_CASE_SHAPE if lower_case else _SHAPE).fullmatch(value):
        case = "lower-case " if lower_case else ""
        return f"must start with a {case}letter and hold only {case}letters, digits and hyphens"
    if value.endswith("-") or "--" in value:
        return "cannot end with a hyphen or contain two consecutive hyphens"
    return None


def sanitised(stem: str, max_length: int) -> str:
    """`stem` with every run of other characters turned into one hyphen, cut to `max_length`
    without a hyphen at either end. It may still start with a digit or be empty."""
    return re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")[:max_length].rstrip("-")


def instance_identifier(cluster_identifier: str, number: int) -> str:
    """Identifier of a cluster's `number`th instance (1 is the intended writer): how this program
    names instances, and so how `ops clone` names a clone's."""
    return f"{cluster_identifier}-instance-{number}"
