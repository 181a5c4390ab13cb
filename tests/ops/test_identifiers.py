"""RDS identifier rules, checked against botocore's RDS service model (the documented constraints of
each parameter the commands derive a name for)."""

import re

import botocore.session
import pytest

from awscalls.errors import OperationError
from ops.identifiers import CLUSTER, CLUSTER_SNAPSHOT, EXPORT_TASK, INSTANCE, fit

MODEL = botocore.session.get_session().get_service_model("rds")


def documented(operation, member):
    text = MODEL.operation_model(operation).input_shape.members[member].documentation
    return " ".join(re.sub("<[^>]+>", " ", text).split())


@pytest.mark.parametrize(
    ("rule", "operation", "member"),
    [
        (CLUSTER, "RestoreDBClusterToPointInTime", "DBClusterIdentifier"),
        (INSTANCE, "CreateDBInstance", "DBInstanceIdentifier"),
        (CLUSTER_SNAPSHOT, "CopyDBClusterSnapshot", "TargetDBClusterSnapshotIdentifier"),
        (CLUSTER_SNAPSHOT, "CreateDBClusterSnapshot", "DBClusterSnapshotIdentifier"),
    ],
)
def test_the_rules_are_the_ones_botocore_documents(rule, operation, member):
    """Source: botocore's RDS model, the documentation of each parameter: "Must contain from 1 to
    63 letters, numbers, or hyphens ... First character must be a letter ... Can't end with a
    hyphen or contain two consecutive hyphens"."""
    text = documented(operation, member)
    assert f"from 1 to {rule.max_length} letters, numbers, or hyphens" in text
    assert "First character must be a letter" in text
    assert "end with a hyphen or contain two consecutive hyphens" in text


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("a" * 63, None),
        ("a" * 64, "is 64 characters long; at most 63 are allowed"),
        ("", "is 0 characters long; at most 63 are allowed"),
        ("9lives", "must start with a letter and hold only letters, digits and hyphens"),
        ("under_score", "must start with a letter and hold only letters, digits and hyphens"),
        ("rds:nightly", "must start with a letter and hold only letters, digits and hyphens"),
        ("ends-", "cannot end with a hyphen or contain two consecutive hyphens"),
        ("two--hyphens", "cannot end with a hyphen or contain two consecutive hyphens"),
        ("Mixed-Case-1", None),
    ],
)
def test_each_rule_is_enforced_at_its_boundary(value, problem):
    assert CLUSTER.problem(value) == problem


def test_a_refused_identifier_names_its_kind_and_source():
    with pytest.raises(OperationError, match=r"^instance identifier 'x--y' \(--name\) cannot end with a hyphen"):
        INSTANCE.check("x--y", "--name")


def test_export_task_identifiers_are_at_most_60_characters():
    assert EXPORT_TASK.problem("e" * 60) is None
    assert EXPORT_TASK.problem("e" * 61) == "is 61 characters long; at most 60 are allowed"


@pytest.mark.parametrize(
    ("stem", "derived"),
    [
        ("rds:aurora-prod-2026-11-26-05-00", "aurora-prod-2026-11-26-05-00-x"),
        ("123", "s-123-x"),
        ("a_b.c", "a-b-c-x"),
        ("z" * 100, "z" * 61 + "-x"),
    ],
)
def test_fit_makes_any_stem_valid_and_keeps_the_suffix(stem, derived):
    assert fit(stem, "-x", CLUSTER_SNAPSHOT) == derived
