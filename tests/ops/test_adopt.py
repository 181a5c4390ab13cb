"""`ops adopt` against moto: clusters as the console builds them are written as stack files whose
settings reproduce them and whose `aurora:adopt` section is what the contract says
(/work/wt/adopt-contract.md); clusters that cannot be adopted are refused in one line naming what
blocks and the way out, and no file is written."""

from __future__ import annotations

import pytest

from plan.engine import load_yaml
from tests.ops import adopt_console
from tests.ops.adopt_console import (
    CONSOLE_SUBNET_GROUP_DESCRIPTION,
    console_provisioned,
    console_serverless,
    create_cluster,
    create_instance,
)
from tests.ops.ops_harness import Terminal, run


@pytest.fixture
def console(moto_rds):
    """moto's account as the console leaves it, with the clients a test builds clusters with."""
    return adopt_console.console(moto_rds)


def adopt(tmp_path, cluster, stack="adopted", *more):
    return run(["adopt", "--cluster", cluster, "--stack", stack, "--directory", str(tmp_path), *more])


def written(tmp_path, stack="adopted"):
    return load_yaml(tmp_path / f"Pulumi.{stack}.yaml")["config"]


def test_a_console_serverless_cluster_is_written_with_its_capacity_network_and_adopt_section(console, tmp_path):
    console_serverless(console.rds, console.account)
    code, out, err = adopt(tmp_path, "database-1")
    assert (code, err) == (0, "reading cluster 'database-1' in us-east-1\n")
    config = written(tmp_path)
    account = console.account
    assert config == {
        "aws:region": "us-east-1",
        "aurora:capacityType": "serverless",
        "aurora:serverless": {"minCapacity": 0.5, "maxCapacity": 4},
        "aurora:clusterName": "database-1",
        "aurora:engineVersion": "8.0.mysql_aurora.3.10.5",
        "aurora:masterUsername": "admin",
        "aurora:network": {
            "vpcId": "default",
            "subnetIds": account.subnet_ids,
            "subnetGroupDescription": CONSOLE_SUBNET_GROUP_DESCRIPTION,
            "allowedSecurityGroupIds": [account.default_group_id],
        },
        "aurora:dataApi": True,
        "aurora:iamAuthentication": False,
        "aurora:client": "none",
        "aurora:sampleData": False,
        "aurora:backupRetentionDays": 1,
        "aurora:backupWindow": "07:00-07:30",
        "aurora:maintenanceWindow": "sat:09:00-sat:09:30",
        "aurora:deletionProtection": False,
        "aurora:protect": True,
        "aurora:storageType": "aurora",
        "aurora:caCertificateIdentifier": "rds-ca-rsa2048-g1",
        "aurora:adopt": {
            "cluster": "database-1",
            "instances": [{"identifier": "database-1-instance-1", "availabilityZone": "us-east-1a"}],
            "subnetGroup": {"name": account.subnet_group},
            "logGroups": [],
            "live": {
                "engineMode": "provisioned",
                "storageEncrypted": True,
                "kmsKeyId": account.aws_rds_key_arn,
                "masterUsername": "admin",
                "manageMasterUserPassword": False,
                "iamDatabaseAuthenticationEnabled": False,
                "vpcSecurityGroupIds": [account.default_group_id],
                "dbClusterParameterGroupName": console.rds.describe_db_clusters()["DBClusters"][0]["DBClusterParameterGroup"],
                "globalClusterIdentifier": None,
                "copyTagsToSnapshot": False,
                "tags": {},
                "enabledCloudwatchLogsExports": [],
                "performanceInsightsEnabled": False,
                "databaseInsightsMode": None,
                "instances": [
                    {
                        "identifier": "database-1-instance-1",
                        "promotionTier": 1,
                        "publiclyAccessible": False,
                        "autoMinorVersionUpgrade": True,
                        "copyTagsToSnapshot": False,
                        "monitoringInterval": 0,
                        "monitoringRoleArn": None,
                        "tags": {},
                    }
                ],
            },
            "acceptChanges": [],
        },
    }


def test_the_aws_managed_key_leaves_kms_key_id_unset_and_a_customer_managed_key_is_named_by_its_arn(console, tmp_path):
    key_arn = console.kms.create_key(Description="orders")["KeyMetadata"]["Arn"]
    create_cluster(console.rds, console.account, "own-key", KmsKeyId=key_arn)
    create_instance(console.rds, "own-key", "own-key-instance-1", "db.r7g.large", "us-east-1a")
    console_serverless(console.rds, console.account)
    assert adopt(tmp_path, "own-key", "own")[0] == adopt(tmp_path, "database-1", "aws")[0] == 0
    assert written(tmp_path, "own")["aurora:kmsKeyId"] == written(tmp_path, "own")["aurora:adopt"]["live"]["kmsKeyId"] == key_arn
    assert "aurora:kmsKeyId" not in written(tmp_path, "aws")


def test_the_first_ups_in_place_changes_are_printed_by_name_and_none_is_accepted_by_the_file(console, tmp_path):
    console_serverless(console.rds, console.account)
    code, out, _ = adopt(tmp_path, "database-1")
    group = console.account.default_group_id
    assert "  masterPasswordToSecretsManager: the master password moves to Secrets Manager" in out
    assert (
        f"  securityGroups: the cluster's security groups become the program's own database group: clients admitted only by {group} lose access"
        in out
    )
    assert "  parameterGroup: the cluster parameter group default." in out
    assert written(tmp_path)["aurora:adopt"]["acceptChanges"] == []
    text = (tmp_path / "Pulumi.adopted.yaml").read_text()
    assert (
        "    #   masterPasswordToSecretsManager\n    #   securityGroups\n    #   parameterGroup\n    #   instanceSettings\n"
        "    #   logExports\n    #   tags\n    acceptChanges: []\n" in text
    )


def test_a_master_password_in_secrets_manager_needs_no_change(console, tmp_path):
    create_cluster(
        console.rds,
        console.account,
        "managed",
        MasterUserPassword=None,
        ManageMasterUserPassword=True,
        ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 8, "SecondsUntilAutoPause": 600},
    )
    create_instance(console.rds, "managed", "managed-instance-1", "db.serverless", "us-east-1c")
    code, out, _ = adopt(tmp_path, "managed")
    assert code == 0 and "masterPasswordToSecretsManager" not in out
    config = written(tmp_path)
    assert config["aurora:adopt"]["live"]["manageMasterUserPassword"] is True
    assert config["aurora:serverless"] == {"minCapacity": 0, "maxCapacity": 8, "secondsUntilAutoPause": 600}


def test_the_default_security_group_with_its_all_traffic_rule_is_reported_and_left_alone(console, tmp_path):
    console_serverless(console.rds, console.account)
    before = console.ec2.describe_security_groups(GroupIds=[console.account.default_group_id])["SecurityGroups"]
    _, out, _ = adopt(tmp_path, "database-1")
    group = console.account.default_group_id
    assert f"  - the VPC's default security group {group}, whose all-traffic rule admits each of its members: " in out
    assert console.ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"] == before


def test_a_provisioned_cluster_keeps_its_reader_zone_backtrack_log_exports_and_log_groups(console, tmp_path):
    console_provisioned(console.rds, console.logs, console.account)
    code, out, _ = adopt(tmp_path, "orders", "prod")
    assert code == 0
    config = written(tmp_path, "prod")
    assert config["aurora:capacityType"] == "provisioned"
    assert config["aurora:provisioned"] == {
        "instanceClass": "db.r7g.large",
        "readers": 1,
        "backtrackHours": 24,
        "monitoringInterval": 0,
        "insights": "standard",
    }
    assert config["aurora:logExports"] == ["audit", "error", "general", "slowquery"]
    section = config["aurora:adopt"]
    assert section["instances"] == [
        {"identifier": "orders-instance-1", "availabilityZone": "us-east-1a"},
        {"identifier": "orders-instance-1-us-east-1b", "availabilityZone": "us-east-1b"},
    ]
    assert section["logGroups"] == ["audit", "error", "general", "slowquery"]
    # The console's log groups never expire; the file keeps them as long as CloudWatch Logs allows, and says so.
    assert config["aurora:logRetentionDays"] == 3653
    assert (
        "  - log group retention (audit never expires, error never expires, general never expires, slowquery never expires)"
        in out
    )
    assert "  log group     /aws/rds/cluster/orders/slowquery" in out


def test_a_cluster_without_backtrack_says_zero_hours_not_the_shapes_default(console, tmp_path):
    create_cluster(console.rds, console.account, "plain")
    create_instance(console.rds, "plain", "plain-instance-1", "db.r7g.large", "us-east-1a")
    assert adopt(tmp_path, "plain")[0] == 0
    assert written(tmp_path)["aurora:provisioned"]["backtrackHours"] == 0


def test_custom_parameters_are_reported_by_name_and_value(console, tmp_path):
    console.rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="tuned", DBParameterGroupFamily="aurora-mysql8.0", Description="tuned"
    )
    console.rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="tuned",
        Parameters=[{"ParameterName": "innodb_print_all_deadlocks", "ParameterValue": "1", "ApplyMethod": "immediate"}],
    )
    create_cluster(console.rds, console.account, "tuned", DBClusterParameterGroupName="tuned")
    create_instance(console.rds, "tuned", "tuned-instance-1", "db.r7g.large", "us-east-1a")
    code, out, _ = adopt(tmp_path, "tuned")
    assert code == 0
    assert "  - custom parameters in tuned: innodb_print_all_deadlocks=1: " in out
    assert written(tmp_path)["aurora:adopt"]["live"]["dbClusterParameterGroupName"] == "tuned"


REFUSED = {
    "unencrypted": (
        {"StorageEncrypted": False, "KmsKeyId": None},
        "its storage is not encrypted",
        "take a snapshot, copy it with a KMS key (CopyDBClusterSnapshot KmsKeyId), and restore the copy",
    ),
    "aurora-mysql-2": (
        {"EngineVersion": "5.7.mysql_aurora.2.11.2"},
        "it runs Aurora MySQL 2 (engine version 5.7.mysql_aurora.2.11.2, MySQL 5.7)",
        "upgrade it in place to Aurora MySQL 3 first",
    ),
    "serverless-v1": (
        {"EngineMode": "serverless", "EngineVersion": "5.7.mysql_aurora.2.11.2"},
        "its engine mode is serverless (Aurora Serverless v1",
        "upgrade it to Aurora Serverless v2 first",
    ),
    "postgresql": (
        {"Engine": "aurora-postgresql", "EngineVersion": "16.4"},
        "its engine is aurora-postgresql",
        "Aurora MySQL (aurora-mysql) clusters only",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_cluster_that_cannot_be_adopted_is_refused_in_one_line_and_no_file_is_written(console, tmp_path, case):
    fields, blocks, way_out = REFUSED[case]
    create_cluster(console.rds, console.account, "console", **fields)
    code, out, err = adopt(tmp_path, "console")
    assert (code, out) == (1, "")
    line = err.splitlines()[-1]
    assert line.startswith("error: cluster 'console' cannot be adopted: ") and blocks in line and way_out in line
    assert list(tmp_path.iterdir()) == []


def test_a_serverless_writer_without_a_reported_capacity_range_is_refused_not_a_traceback(console, tmp_path):
    """moto, unlike AWS, lets a db.serverless instance join a cluster without ServerlessV2ScalingConfiguration:
    the answer ops adopt cannot read a capacity range from."""
    create_cluster(console.rds, console.account, "rangeless")
    create_instance(console.rds, "rangeless", "rangeless-instance-1", "db.serverless", "us-east-1a")
    code, out, err = adopt(tmp_path, "rangeless")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1].startswith("error: cluster 'rangeless' cannot be adopted: its writer is db.serverless but ")
    assert "--serverless-v2-scaling-configuration" in err
    assert list(tmp_path.iterdir()) == []


def test_a_global_database_member_is_refused(console, tmp_path):
    console.rds.create_global_cluster(
        GlobalClusterIdentifier="world", Engine="aurora-mysql", EngineVersion="8.0.mysql_aurora.3.10.5"
    )
    create_cluster(console.rds, console.account, "member", GlobalClusterIdentifier="world")
    create_instance(console.rds, "member", "member-instance-1", "db.r7g.large", "us-east-1a")
    code, _, err = adopt(tmp_path, "member")
    assert code == 1
    assert "it is a member of the global database 'world'" in err and "remove it from the global database first" in err
    assert list(tmp_path.iterdir()) == []


def test_a_serverless_cluster_with_a_reader_is_refused_naming_the_reader(console, tmp_path):
    console_serverless(console.rds, console.account)
    create_instance(console.rds, "database-1", "database-1-instance-1-us-east-1b", "db.serverless", "us-east-1b", PromotionTier=2)
    code, _, err = adopt(tmp_path, "database-1")
    assert code == 1
    assert (
        "it has 2 instances, and the serverless shape has a single db.serverless writer; delete the readers "
        "(database-1-instance-1-us-east-1b) first" in err
    )


def test_a_cluster_without_instances_is_refused(console, tmp_path):
    create_cluster(console.rds, console.account, "empty")
    code, _, err = adopt(tmp_path, "empty")
    assert code == 1 and "it has no DB instance" in err


def test_a_cluster_that_does_not_exist_is_named_with_the_region(console, tmp_path):
    code, _, err = adopt(tmp_path, "nowhere")
    assert (code, err.splitlines()[-1]) == (
        1,
        "error: cluster 'nowhere' not found in this account in region us-east-1: check --cluster and --region",
    )


def test_an_existing_stack_file_is_replaced_only_when_confirmed(console, tmp_path):
    console_serverless(console.rds, console.account)
    existing = tmp_path / "Pulumi.adopted.yaml"
    existing.write_text("config: {}\n")
    code, _, err = adopt(tmp_path, "database-1")
    assert (code, err.splitlines()[-1]) == (1, "error: not confirmed: standard input is not a terminal; pass --yes to proceed")
    assert existing.read_text() == "config: {}\n"
    code, _, err = run(
        ["adopt", "--cluster", "database-1", "--stack", "adopted", "--directory", str(tmp_path)], stdin=Terminal("y\n")
    )
    assert code == 0 and f"{existing} exists: replace it? [y/N]" in err
    assert written(tmp_path)["aurora:clusterName"] == "database-1"


def test_yes_replaces_an_existing_stack_file(console, tmp_path):
    console_serverless(console.rds, console.account)
    (tmp_path / "Pulumi.adopted.yaml").write_text("config: {}\n")
    assert adopt(tmp_path, "database-1", "adopted", "--yes")[0] == 0
    assert written(tmp_path)["aurora:clusterName"] == "database-1"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["adopt", "--cluster", "database-1"], "error: adopt needs --cluster ID (the live cluster) and --stack NAME"),
        (["adopt", "--stack", "dev"], "error: adopt needs --cluster ID (the live cluster) and --stack NAME"),
        (
            ["adopt", "--cluster", "database-1", "--stack", "org/aurora/dev"],
            "error: --stack 'org/aurora/dev' is not a stack name",
        ),
    ],
)
def test_adopt_needs_a_cluster_and_a_plain_stack_name(argv, message, fake_aws_credentials):
    code, out, err = run(argv)
    assert (code, out) == (2, "") and err.startswith(message) and err.count("\n") == 1


def _printed(out):
    """The changes `ops adopt` printed, by name: their effects."""
    lines = out.split("to go ahead:\n")[1].split("\n")
    return dict(line.strip().split(": ", 1) for line in lines if line.startswith("  ") and not line.startswith("  -"))


def test_the_provisioned_console_clusters_instance_insights_and_tag_changes_name_what_changes_where(console, tmp_path):
    console_provisioned(console.rds, console.logs, console.account)
    code, out, _ = adopt(tmp_path, "orders")
    printed = _printed(out)
    assert code == 0 and "logExports" not in printed  # the four exports are written as they are
    # The console's CreateDBInstance defaults: tier 1 for both, automatic minor version upgrades on.
    assert printed["instanceSettings"] == (
        "orders-instance-1: promotion tier 1 becomes 0, automatic minor version upgrades stop (upgrades become "
        "aurora:engineVersion changes); orders-instance-1-us-east-1b: automatic minor version upgrades stop (upgrades "
        "become aurora:engineVersion changes)"
    )
    assert printed["insightsAndMonitoring"] == (
        "Performance Insights is switched on on the cluster; Database Insights becomes standard (switched on they are "
        "billed; switched off their history stops)"
    )
    assert printed["tags"] == (
        "the cluster gets the tags Project, Stack, ManagedBy; the cluster's snapshots copy its tags; orders-instance-1 "
        "gets the cluster's tags (its own others are removed); orders-instance-1's snapshots copy its tags; "
        "orders-instance-1-us-east-1b gets the cluster's tags (its own others are removed); "
        "orders-instance-1-us-east-1b's snapshots copy its tags"
    )
    live = written(tmp_path)["aurora:adopt"]["live"]
    assert [(i["promotionTier"], i["autoMinorVersionUpgrade"], i["publiclyAccessible"]) for i in live["instances"]] == [
        (1, True, False),
        (1, True, False),
    ]


def test_a_public_instance_is_a_change_that_names_it(console, tmp_path):
    create_cluster(console.rds, console.account, "open", EnableCloudwatchLogsExports=["error", "slowquery"])
    create_instance(
        console.rds, "open", "open-instance-1", "db.r7g.large", "us-east-1a", PubliclyAccessible=True, PromotionTier=0
    )
    printed = _printed(adopt(tmp_path, "open")[1])
    assert printed["instanceSettings"] == (
        "open-instance-1: it becomes private: clients from outside the VPC lose access, automatic minor version "
        "upgrades stop (upgrades become aurora:engineVersion changes)"
    )
    assert written(tmp_path)["aurora:adopt"]["live"]["instances"][0]["publiclyAccessible"] is True


def test_no_live_log_exports_is_the_log_exports_change(console, tmp_path):
    console_serverless(console.rds, console.account)
    printed = _printed(adopt(tmp_path, "database-1")[1])
    assert printed["logExports"].startswith("the cluster exports none of its logs; the first `up` exports the shape's")
    assert written(tmp_path)["aurora:adopt"]["live"]["enabledCloudwatchLogsExports"] == []
