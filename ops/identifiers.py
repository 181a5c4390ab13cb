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
_LOWER_CASE_SHAPE = re.compile(r"[a-z][a-z0-9-]*")
RDS_IDENTIFIER_LIMIT = 63


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


@dataclass(frozen=True)
class IdentifierRule:
    kind: str
    max_length: int

    def problem(self, value: str) -> str | None:
        """Why `value` breaks the rule, or None when it is valid."""
        return identifier_problem(value, self.max_length)

    def check(self, value: str, source: str) -> str:
        """`value` unchanged when valid; else an OperationError naming where it came from."""
        problem = self.problem(value)
        if problem:
            raise OperationError(f"{self.kind} {value!r} ({source}) {problem}")
        return value


CLUSTER = IdentifierRule("cluster identifier", RDS_IDENTIFIER_LIMIT)
INSTANCE = IdentifierRule("instance identifier", RDS_IDENTIFIER_LIMIT)
CLUSTER_SNAPSHOT = IdentifierRule("cluster snapshot identifier", RDS_IDENTIFIER_LIMIT)
EXPORT_TASK = IdentifierRule("export task identifier", 60)


def fit(stem: str, suffix: str, rule: IdentifierRule) -> str:
    """`stem` made valid (automated `rds:` prefix dropped, other characters turned into hyphens)
    and shortened so that `stem + suffix` fits the rule; the suffix is kept whole."""
    cleaned = sanitised(stem.removeprefix("rds:"), len(stem))
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"s-{cleaned}".rstrip("-")
    cleaned = cleaned[: rule.max_length - len(suffix)].rstrip("-")
    return rule.check(cleaned + suffix, f"derived from {stem!r}")
