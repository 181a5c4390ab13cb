"""Opt-in (AURORA_INTEGRATION=1): a cluster made as the console makes it, adopted with `ops adopt`
and a stack file, imported without a replacement, settled, and its adoption section removed with
nothing planned (docs/adopt.md). About 30-40 minutes and well under US$1 (Serverless v2 0.5 ACU).

The cluster is made with boto3 the way the console's "Easy create" makes it: a master password typed
in (not in Secrets Manager), the VPC's default security group, a subnet group of the default VPC's
subnets, the AWS managed storage key, Serverless v2 0.5 to 4 ACU and the Data API.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from settings.model import DEFAULT_ENGINE_VERSION

from .stacks import PROJECT, REGION, RUN, delete_leftovers, destroy, enabled

pytestmark = enabled

CLUSTER = f"aurora-it-{RUN}-console"
STACK = f"it-{RUN}-adopt"
STACK_FILE = PROJECT / f"Pulumi.{STACK}.yaml"
# What the first `up` changes in place on such a cluster at least, accepted as a user would (docs/adopt.md).
ACCEPTED = ["masterPasswordToSecretsManager", "securityGroups", "parameterGroup", "instanceSettings", "tags"]


def printed_changes(out: str) -> list[str]:
    """The change names `ops adopt` printed (its lines under "to go ahead:", before the notes)."""
    lines = out.split("to go ahead:\n")[1].splitlines()
    return [line.split(":")[0].strip() for line in lines if line.startswith("  ") and not line.startswith("  -")]


@pytest.fixture(scope="module")
def console_cluster() -> Iterator[str]:
    import boto3

    rds, ec2 = boto3.client("rds", region_name=REGION), boto3.client("ec2", region_name=REGION)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    rds.create_db_subnet_group(
        DBSubnetGroupName=CLUSTER, DBSubnetGroupDescription="Created from the RDS Management Console", SubnetIds=subnets
    )
    try:
        rds.create_db_cluster(
            DBClusterIdentifier=CLUSTER,
            Engine="aurora-mysql",
            EngineVersion=DEFAULT_ENGINE_VERSION,
            MasterUsername="admin",
            MasterUserPassword=secrets.token_urlsafe(24),
            DBSubnetGroupName=CLUSTER,
            StorageEncrypted=True,
            ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 4},
            EnableHttpEndpoint=True,
            BackupRetentionPeriod=1,
        )
        rds.create_db_instance(
            DBInstanceIdentifier=f"{CLUSTER}-instance-1",
            DBClusterIdentifier=CLUSTER,
            Engine="aurora-mysql",
            DBInstanceClass="db.serverless",
        )
        rds.get_waiter("db_instance_available").wait(
            DBInstanceIdentifier=f"{CLUSTER}-instance-1", WaiterConfig={"Delay": 30, "MaxAttempts": 60}
        )
        yield CLUSTER
    finally:
        # Whatever the stack did not take over (a failed adoption leaves the console's cluster).
        for instance in rds.describe_db_instances(Filters=[{"Name": "db-cluster-id", "Values": [CLUSTER]}])["DBInstances"]:
            rds.delete_db_instance(DBInstanceIdentifier=instance["DBInstanceIdentifier"], SkipFinalSnapshot=True)
        clusters = rds.describe_db_clusters(Filters=[{"Name": "db-cluster-id", "Values": [CLUSTER]}])["DBClusters"]
        if clusters:
            rds.modify_db_cluster(DBClusterIdentifier=CLUSTER, DeletionProtection=False, ApplyImmediately=True)
            rds.delete_db_cluster(DBClusterIdentifier=CLUSTER, SkipFinalSnapshot=True)
            rds.get_waiter("db_cluster_deleted").wait(DBClusterIdentifier=CLUSTER)
        rds.delete_db_subnet_group(DBSubnetGroupName=CLUSTER)
        delete_leftovers(rds, [CLUSTER])


@pytest.fixture(scope="module")
def adopted(console_cluster) -> Iterator[Any]:
    from pulumi import automation as auto

    written = subprocess.run(
        [sys.executable, "-m", "ops", "adopt", "--cluster", console_cluster, "--stack", STACK, "--region", REGION, "--yes"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    print(written.stdout, written.stderr)
    assert written.returncode == 0, written.stderr
    stack_file = yaml.safe_load(STACK_FILE.read_text())
    changes = printed_changes(written.stdout)
    assert set(ACCEPTED) <= set(changes)
    stack_file["config"]["aurora:adopt"]["acceptChanges"] = changes
    STACK_FILE.write_text(yaml.safe_dump(stack_file, sort_keys=False))
    stack = auto.create_or_select_stack(stack_name=STACK, work_dir=str(PROJECT))
    try:
        yield stack
    finally:
        destroy(stack)
        STACK_FILE.unlink(missing_ok=True)


def test_the_first_preview_imports_and_replaces_nothing(adopted):
    summary = adopted.preview(on_output=print).change_summary
    assert not {"replace", "delete", "create-replacement", "delete-replaced"} & set(summary), summary
    # The cluster, its writer, the subnet group; and the accepted in-place updates only.
    assert summary.get("import", 0) >= 3, summary


def test_the_import_settles_and_removing_the_section_plans_nothing(adopted):
    adopted.up(on_output=print)
    adopted.preview(refresh=True, expect_no_changes=True, on_output=print)
    stack_file = yaml.safe_load(STACK_FILE.read_text())
    del stack_file["config"]["aurora:adopt"]
    STACK_FILE.write_text(yaml.safe_dump(stack_file, sort_keys=False))
    adopted.preview(refresh=True, expect_no_changes=True, on_output=print)
