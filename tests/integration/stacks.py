"""Throwaway stacks for the opt-in integration tests, through the Pulumi Automation API.

Only with AURORA_INTEGRATION=1: they need the Pulumi CLI (logged in to a backend), AWS credentials
allowed to create everything the program declares, and they cost money (see docs/testing.md).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

enabled = pytest.mark.skipif(
    os.environ.get("AURORA_INTEGRATION") != "1",
    reason="real AWS integration test: set AURORA_INTEGRATION=1 (costs money, see docs/testing.md)",
)

PROJECT = Path(__file__).resolve().parents[2]
REGION = os.environ.get("AURORA_INTEGRATION_REGION", "us-east-1")
DR_REGION = os.environ.get("AURORA_INTEGRATION_DR_REGION", "us-west-2")
RUN = uuid.uuid4().hex[:6]
SERVERLESS = '{"minCapacity": 0, "maxCapacity": 2, "secondsUntilAutoPause": 300}'


def stack(name: str, config: dict[str, str]) -> Any:
    from pulumi import automation as auto

    created = auto.create_or_select_stack(stack_name=name, work_dir=str(PROJECT))
    created.set_all_config({key: auto.ConfigValue(value) for key, value in {"aws:region": REGION, **config}.items()})
    return created


def qualified_name(deployed_stack: Any) -> str:
    """`org/aurora/stack` as a StackReference needs it: self-managed backends use `organization`."""
    who = deployed_stack.workspace.who_am_i()
    self_managed = (who.url or "").split("://")[0] in ("s3", "file", "gs", "azblob")
    organization = os.environ.get("AURORA_INTEGRATION_ORG") or ("organization" if self_managed else who.user)
    return f"{organization}/aurora/{deployed_stack.name}"


def settle(deployed_stack: Any) -> None:
    """A preview after `up` must plan nothing: the restore completion, the write-only password and
    every computed value settled. With a refresh, because the provider records a restored cluster
    as it read it right after the restore, before the completion switched features on."""
    deployed_stack.preview(refresh=True, expect_no_changes=True, on_output=print)


def destroy(deployed_stack: Any, remove: bool = True) -> None:
    # Throwaway stacks only: protect exists to stop exactly this on real ones.
    subprocess.run(["pulumi", "state", "unprotect", "--all", "--yes", "--stack", deployed_stack.name], cwd=PROJECT, check=False)
    deployed_stack.destroy(on_output=print)
    if remove:
        deployed_stack.workspace.remove_stack(deployed_stack.name)


@contextmanager
def deployed(name: str, config: dict[str, str]) -> Iterator[Any]:
    """A stack brought up for the test and always destroyed afterwards, even after a failed up."""
    created = stack(name, {"aurora:client": "none", **config})
    try:
        created.up(on_output=print)
        yield created
    finally:
        destroy(created)


def delete_leftovers(rds: Any, clusters: list[str]) -> None:
    """Final and promotion snapshots (named per stack incarnation) and retained automated backups."""
    for snapshot in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]:
        identifier = snapshot["DBClusterSnapshotIdentifier"]
        if any(identifier.startswith(f"{cluster}-") for cluster in clusters):
            rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=identifier)
    for cluster in clusters:
        for backup in rds.describe_db_cluster_automated_backups(DBClusterIdentifier=cluster).get("DBClusterAutomatedBackups", []):
            rds.delete_db_cluster_automated_backup(DbClusterResourceId=backup["DbClusterResourceId"])
