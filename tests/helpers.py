"""Helpers the tests of several folders share: the dev stack's outputs prod reads, the examples
as a user runs them, a clock that moves only when something sleeps, a cluster in moto, and the
inputs pulumi-aws declares."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from plan.engine import ACCOUNT, PROJECT_ROOT

# What prod's stack reference reads from dev (the mock engine has no other stack to ask).
DEV_SOURCE_OUTPUTS = {
    "organization/aurora/dev": {
        "clusterIdentifier": "aurora-dev",
        "clusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:aurora-dev",
        "engineVersion": "8.0.mysql_aurora.3.10.5",
    }
}

# A cluster as the console builds it (Aurora MySQL 3, Serverless v2 0.5 to 4 ACU, the default VPC and its
# default security group, a plain master password, the Data API), with the adoption section `ops adopt`
# writes for it (/work/wt/adopt-contract.md): the `aurora:*` values without the namespace.
CONSOLE_SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
CONSOLE_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONSOLE_LIVE = {
    "engineMode": "provisioned",
    "storageEncrypted": True,
    "kmsKeyId": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0000aaaa-00aa-00aa-00aa-000000aaaaaa",  # aws/rds
    "masterUsername": "admin",
    "manageMasterUserPassword": False,
    "iamDatabaseAuthenticationEnabled": False,
    "vpcSecurityGroupIds": ["sg-0defa017"],
    "dbClusterParameterGroupName": "default.aurora-mysql8.0",
    "globalClusterIdentifier": None,
    "copyTagsToSnapshot": False,
    "tags": {},
    "enabledCloudwatchLogsExports": ["error", "slowquery"],
    "performanceInsightsEnabled": False,
    "databaseInsightsMode": None,
}


def console_instance(identifier: str, **changed: Any) -> dict[str, Any]:
    """An instance as the console makes it (CreateDBInstance's defaults: tier 1, automatic minor upgrades,
    private in a default VPC subnet group without public access), as `ops adopt` records it."""
    return {
        "identifier": identifier,
        "promotionTier": 1,
        "publiclyAccessible": False,
        "autoMinorVersionUpgrade": True,
        "copyTagsToSnapshot": False,
        "monitoringInterval": 0,
        "monitoringRoleArn": None,
        "tags": {},
        **changed,
    }


CONSOLE_SUBNET_GROUP_DESCRIPTION = "Created from the RDS Management Console"
CONSOLE_SERVERLESS: dict[str, Any] = {
    "capacityType": "serverless",
    "clusterName": "database-1",
    "serverless": {"minCapacity": 0.5, "maxCapacity": 4},
    "masterUsername": "admin",
    "dataApi": True,
    "iamAuthentication": False,
    "network": {"vpcId": "default", "subnetIds": CONSOLE_SUBNETS, "subnetGroupDescription": CONSOLE_SUBNET_GROUP_DESCRIPTION},
    "client": "none",
    "backupRetentionDays": 1,
    "deletionProtection": False,
    "protect": True,
    "logExports": ["error", "slowquery"],
    "adopt": {
        "cluster": "database-1",
        "instances": [{"identifier": "database-1-instance-1", "availabilityZone": "us-east-1a"}],
        "subnetGroup": {"name": "default-vpc-0abc1234"},
        "logGroups": ["error"],
        "live": {**CONSOLE_LIVE, "instances": [console_instance("database-1-instance-1")]},
        "acceptChanges": ["masterPasswordToSecretsManager", "securityGroups", "parameterGroup", "instanceSettings", "tags"],
    },
}
# Provisioned, a reader in another zone, backtrack and the four log exports, a customer managed key.
CONSOLE_PROVISIONED: dict[str, Any] = {
    "capacityType": "provisioned",
    "clusterName": "orders",
    "provisioned": {"instanceClass": "db.r6g.large", "readers": 1, "backtrackHours": 24, "monitoringInterval": 0},
    "kmsKeyId": CONSOLE_KEY,
    "dataApi": False,
    "iamAuthentication": True,
    "network": {"vpcId": "default", "subnetIds": CONSOLE_SUBNETS, "subnetGroupDescription": CONSOLE_SUBNET_GROUP_DESCRIPTION},
    "deletionProtection": True,
    "protect": True,
    # The console names a reader after the writer and its zone.
    "instanceIdentifiers": ["orders-instance-1", "orders-instance-1-us-east-1b"],
    "logExports": ["audit", "error", "general", "slowquery"],
    "adopt": {
        "cluster": "orders",
        "instances": [
            {"identifier": "orders-instance-1", "availabilityZone": "us-east-1a"},
            {"identifier": "orders-instance-1-us-east-1b", "availabilityZone": "us-east-1b"},
        ],
        "subnetGroup": {"name": "default-vpc-0abc1234"},
        "logGroups": ["audit", "error", "general", "slowquery"],
        "live": {
            **CONSOLE_LIVE,
            "kmsKeyId": CONSOLE_KEY,
            "iamDatabaseAuthenticationEnabled": True,
            "enabledCloudwatchLogsExports": ["audit", "error", "general", "slowquery"],
            "instances": [console_instance("orders-instance-1"), console_instance("orders-instance-1-us-east-1b")],
        },
        "acceptChanges": [
            "masterPasswordToSecretsManager",
            "securityGroups",
            "parameterGroup",
            "instanceSettings",
            "insightsAndMonitoring",
            "tags",
        ],
    },
}

EXAMPLES = PROJECT_ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("Pulumi.*.yaml"))


def example_name(path: Path) -> str:
    return path.name[len("Pulumi.") : -len(".yaml")]


def example_root(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root holding the program and `examples/Pulumi.<name>.yaml` as its stack file."""
    root = tmp_path_factory.mktemp(name)
    for file_name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / file_name, root / file_name)
    shutil.copy(EXAMPLES / f"Pulumi.{name}.yaml", root / f"Pulumi.{name}.yaml")
    return root


class FakeClock:
    """A monotonic clock that moves only when something sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def create_moto_cluster(rds: Any, identifier: str = "aurora-prod", **fields: Any) -> None:
    """An Aurora MySQL cluster in moto with a managed master password; `fields` add CreateDBCluster parameters."""
    rds.create_db_cluster(
        DBClusterIdentifier=identifier, Engine="aurora-mysql", MasterUsername="admin", ManageMasterUserPassword=True, **fields
    )


def pulumi_input_names(args_class: type) -> set[str]:
    """The inputs of a pulumi-aws args class by their Pulumi names (`@pulumi.getter(name=...)`)."""
    return {getattr(member.fget, "_pulumi_name", None) for member in vars(args_class).values() if isinstance(member, property)}


def planets(server: Any) -> list[tuple[int, str]]:
    """The workshop's tutorial.planet rows in a MariaDB server the tests started, by id."""
    connection = server.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM tutorial.planet ORDER BY id")
        rows = list(cursor.fetchall())
    connection.close()
    return rows


def use_fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials and region for moto: never real ones, whatever the environment holds."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)


def client_host_image(ec2: Any) -> str:
    """An arm64 image to launch a client host from in moto. moto's catalogue of Amazon's images is not
    loaded (MOTO_EC2_LOAD_DEFAULT_AMIS, tests/conftest.py: building it took a third of the EC2 tests'
    time), so the image is registered here."""
    return ec2.register_image(Name="client-host", RootDeviceName="/dev/xvda", Architecture="arm64")["ImageId"]
