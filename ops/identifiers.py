"""The RDS identifier rules as `ops` applies them before its first AWS call: a refusal is an
OperationError naming where the value came from, and derived names are made to fit
(the rules themselves: awsfacts/identifiers.py)."""

from __future__ import annotations

from dataclasses import dataclass

from awscalls.errors import OperationError
from awsfacts.identifiers import EXPORT_TASK_LIMIT, RDS_IDENTIFIER_LIMIT, identifier_problem, sanitised


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
EXPORT_TASK = IdentifierRule("export task identifier", EXPORT_TASK_LIMIT)


def fit(stem: str, suffix: str, rule: IdentifierRule) -> str:
    """`stem` made valid (automated `rds:` prefix dropped, other characters turned into hyphens)
    and shortened so that `stem + suffix` fits the rule; the suffix is kept whole."""
    cleaned = sanitised(stem.removeprefix("rds:"), len(stem))
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"s-{cleaned}".rstrip("-")
    cleaned = cleaned[: rule.max_length - len(suffix)].rstrip("-")
    return rule.check(cleaned + suffix, f"derived from {stem!r}")
