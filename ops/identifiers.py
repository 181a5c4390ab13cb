"""RDS identifier rules, checked before the first AWS call, and names derived to fit them.

Source: botocore's RDS service model, the documentation of `DBClusterIdentifier`
(RestoreDBClusterToPointInTime), `DBInstanceIdentifier` (CreateDBInstance) and
`TargetDBClusterSnapshotIdentifier` (CopyDBClusterSnapshot): "Must contain from 1 to 63 letters,
numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two
consecutive hyphens." Export task identifiers follow the same letters-digits-hyphens rule with at
most 60 characters (Aurora User Guide, "Creating snapshot export tasks": the export identifier).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import OperationError

_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


@dataclass(frozen=True)
class IdentifierRule:
    kind: str
    max_length: int

    def problem(self, value: str) -> str | None:
        """Why `value` breaks the rule, or None when it is valid."""
        if not 1 <= len(value) <= self.max_length:
            return f"is {len(value)} characters long; at most {self.max_length} are allowed"
        if not _SHAPE.fullmatch(value):
            return "must start with a letter and hold only letters, digits and hyphens"
        if value.endswith("-") or "--" in value:
            return "cannot end with a hyphen or contain two consecutive hyphens"
        return None

    def check(self, value: str, source: str) -> str:
        """`value` unchanged when valid; else an OperationError naming where it came from."""
        problem = self.problem(value)
        if problem:
            raise OperationError(f"{self.kind} {value!r} ({source}) {problem}")
        return value


CLUSTER = IdentifierRule("cluster identifier", 63)
INSTANCE = IdentifierRule("instance identifier", 63)
CLUSTER_SNAPSHOT = IdentifierRule("cluster snapshot identifier", 63)
EXPORT_TASK = IdentifierRule("export task identifier", 60)


def fit(stem: str, suffix: str, rule: IdentifierRule) -> str:
    """`stem` made valid (automated `rds:` prefix dropped, other characters turned into hyphens)
    and shortened so that `stem + suffix` fits the rule; the suffix is kept whole."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", stem.removeprefix("rds:")).strip("-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"s-{cleaned}".rstrip("-")
    cleaned = cleaned[: rule.max_length - len(suffix)].rstrip("-")
    return rule.check(cleaned + suffix, f"derived from {stem!r}")
