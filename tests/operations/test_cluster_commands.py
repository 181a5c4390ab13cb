"""`python -m ops` failover, clone, restore and snapshot against moto: outcomes are checked in the
emulated state and in the requests sent (moto copies some source fields by itself, so the request
is what proves the command asked for them)."""

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws
from ops_harness import Terminal, run

SOURCE_TAGS = [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "prod"}]


def recording_session():
    """A boto3 session that records every RDS request's parameters by operation name."""
    session = boto3.session.Session(region_name="us-east-1")
    sent = {}

    def record(params, model, **_):
        sent.setdefault(model.name, []).append(dict(params))

    session.events.register("provide-client-params.rds.*", record)
    return session, sent


@pytest.fixture
def aws(fake_aws_credentials):
    """A production-like source: TLS parameter group, network, KMS key, logs, IAM auth, deletion
    protection, tags, serverless scaling; a writer with its own parameter group, CA and monitoring."""
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
            for n, zone in ((1, "us-east-1a"), (2, "us-east-1b"))
        ]
        group = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
        rds.create_db_subnet_group(DBSubnetGroupName="aurora-db", DBSubnetGroupDescription="db", SubnetIds=subnets)
        rds.create_db_cluster_parameter_group(
            DBClusterParameterGroupName="aurora-tls", DBParameterGroupFamily="aurora-mysql8.0", Description="TLS"
        )
        rds.modify_db_cluster_parameter_group(
            DBClusterParameterGroupName="aurora-tls",
            Parameters=[{"ParameterName": "require_secure_transport", "ParameterValue": "ON", "ApplyMethod": "immediate"}],
        )
        rds.create_db_parameter_group(
            DBParameterGroupName="aurora-instance", DBParameterGroupFamily="aurora-mysql8.0", Description="i"
        )
        key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
        rds.create_db_cluster(
            DBClusterIdentifier="aurora-prod",
            Engine="aurora-mysql",
            EngineVersion="8.0.mysql_aurora.3.10.5",
            MasterUsername="admin",
            ManageMasterUserPassword=True,
            StorageEncrypted=True,
            KmsKeyId=key,
            DBClusterParameterGroupName="aurora-tls",
            DBSubnetGroupName="aurora-db",
            VpcSecurityGroupIds=[group],
            EnableCloudwatchLogsExports=["audit", "error", "slowquery"],
            EnableIAMDatabaseAuthentication=True,
            DeletionProtection=True,
            Tags=SOURCE_TAGS,
            ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 16},
        )
        for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
            rds.create_db_instance(
                DBInstanceIdentifier=f"aurora-prod-instance-{number}",
                DBClusterIdentifier="aurora-prod",
                Engine="aurora-mysql",
                DBInstanceClass="db.r7g.large",
                AvailabilityZone=zone,
                PromotionTier=number - 1,
                DBParameterGroupName="aurora-instance",
                CACertificateIdentifier="rds-ca-rsa4096-g1",
                MonitoringInterval=30,
                MonitoringRoleArn="arn:aws:iam::123456789012:role/rds-monitoring",
            )
        yield {"rds": rds, "key": key, "group": group}


def writer(rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier="aurora-prod")["DBClusters"][0]
    return next(m["DBInstanceIdentifier"] for m in cluster["DBClusterMembers"] if m["IsClusterWriter"])


def test_failover_with_yes_promotes_the_reader_and_reports_both_writers(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "failover"])
    assert code == 0, err
    assert writer(aws["rds"]) == "aurora-prod-instance-2"
    result = json.loads(out)
    assert (result["previousWriter"], result["writer"]) == ("aurora-prod-instance-1", "aurora-prod-instance-2")
    # moto completes at once: the first poll already sees the new writer, so no time passed.
    assert result["secondsUntilAvailable"] == 0


def test_failover_asks_naming_the_reader_that_will_be_promoted(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"], stdin=Terminal("y\n"))
    assert code == 0
    assert (
        "writer aurora-prod-instance-1 becomes a reader, aurora-prod-instance-2 becomes the writer "
        "(lowest promotion tier, then largest size). Proceed? [y/N]"
    ) in err
    assert writer(aws["rds"]) == "aurora-prod-instance-2"


@pytest.mark.parametrize("stdin", [Terminal("n\n"), Terminal("\n")])
def test_failover_declined_changes_nothing(aws, stdin):
    code, out, err = run(["--cluster", "aurora-prod", "failover"], stdin=stdin)
    assert (code, out) == (1, "")
    assert err.endswith("error: not confirmed: nothing was changed\n")
    assert writer(aws["rds"]) == "aurora-prod-instance-1"


def test_failover_without_a_terminal_needs_yes(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"])
    assert code == 1
    assert err == "error: not confirmed: standard input is not a terminal; pass --yes to proceed\n"
    assert writer(aws["rds"]) == "aurora-prod-instance-1"


def test_failover_to_a_non_reader_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "failover", "--target", "aurora-prod-instance-1"])
    assert code == 1
    assert (
        err == "error: --target 'aurora-prod-instance-1' is not a reader of 'aurora-prod': readers are aurora-prod-instance-2\n"
    )


def test_unknown_cluster_is_one_line(aws):
    code, _, err = run(["--cluster", "nope", "--yes", "failover"])
    assert (code, err) == (1, "error: cluster 'nope' not found in this account and region\n")


def test_clone_is_as_safe_as_its_source(aws):
    session, sent = recording_session()
    code, out, err = run(["--cluster", "aurora-prod", "--json", "clone", "aurora-prod-clone"], session=session)
    assert code == 0, err
    request = sent["RestoreDBClusterToPointInTime"][0]
    assert request["DBClusterParameterGroupName"] == "aurora-tls"
    assert request["VpcSecurityGroupIds"] == [aws["group"]]
    assert request["DBSubnetGroupName"] == "aurora-db"
    assert request["KmsKeyId"] == aws["key"]
    assert request["EnableCloudwatchLogsExports"] == ["audit", "error", "slowquery"]
    assert request["EnableIAMDatabaseAuthentication"] is True
    assert request["DeletionProtection"] is True
    assert request["Tags"] == SOURCE_TAGS
    assert request["ServerlessV2ScalingConfiguration"] == {"MinCapacity": 0.5, "MaxCapacity": 16}
    assert (request["RestoreType"], request["UseLatestRestorableTime"]) == ("copy-on-write", True)
    clone = aws["rds"].describe_db_clusters(DBClusterIdentifier="aurora-prod-clone")["DBClusters"][0]
    assert clone["DBClusterParameterGroup"] == "aurora-tls"
    assert clone["EnabledCloudwatchLogsExports"] == ["audit", "error", "slowquery"]
    assert clone["IAMDatabaseAuthenticationEnabled"] is True
    assert [g["VpcSecurityGroupId"] for g in clone["VpcSecurityGroups"]] == [aws["group"]]
    assert clone["DBSubnetGroup"] == "aurora-db"
    assert json.loads(out)["copied"]["parameterGroup"] == "aurora-tls"


def test_the_clones_instance_is_like_the_source_writer(aws):
    session, sent = recording_session()
    code, _, err = run(["--cluster", "aurora-prod", "clone", "aurora-prod-clone"], session=session)
    assert code == 0, err
    request = sent["CreateDBInstance"][0]
    assert request == {
        "DBInstanceIdentifier": "aurora-prod-clone-instance-1",
        "DBClusterIdentifier": "aurora-prod-clone",
        "Engine": "aurora-mysql",
        "PubliclyAccessible": False,
        "DBInstanceClass": "db.r7g.large",
        "DBParameterGroupName": "aurora-instance",
        "CACertificateIdentifier": "rds-ca-rsa4096-g1",
        "MonitoringInterval": 30,
        "MonitoringRoleArn": "arn:aws:iam::123456789012:role/rds-monitoring",
    }
    instance = aws["rds"].describe_db_instances(DBInstanceIdentifier="aurora-prod-clone-instance-1")["DBInstances"][0]
    assert instance["DBInstanceClass"] == "db.r7g.large" and instance["PubliclyAccessible"] is False
    assert [
        m["DBInstanceIdentifier"]
        for m in aws["rds"].describe_db_clusters(DBClusterIdentifier="aurora-prod-clone")["DBClusters"][0]["DBClusterMembers"]
    ] == ["aurora-prod-clone-instance-1"]


def test_clone_prints_what_it_copied(aws):
    code, out, err = run(["--cluster", "aurora-prod", "clone", "aurora-prod-clone"])
    assert code == 0, err
    assert "copied from the source: parameterGroup aurora-tls;" in err
    assert "  parameterGroup          aurora-tls\n" in out
    assert "  logExports              audit, error, slowquery\n" in out
    assert "  iamAuthentication       yes\n" in out
    assert "None" not in out and "{" not in out


def test_restore_latest_copies_the_source_settings_too(aws):
    session, sent = recording_session()
    code, _, err = run(["--cluster", "aurora-prod", "restore", "aurora-prod-restored", "--latest"], session=session)
    assert code == 0, err
    request = sent["RestoreDBClusterToPointInTime"][0]
    assert (request["RestoreType"], request["DBClusterParameterGroupName"]) == ("full-copy", "aurora-tls")
    restored = aws["rds"].describe_db_clusters(DBClusterIdentifier="aurora-prod-restored")["DBClusters"][0]
    assert restored["DBClusterParameterGroup"] == "aurora-tls" and restored["IAMDatabaseAuthenticationEnabled"] is True


def test_a_name_whose_instance_identifier_would_be_too_long_is_refused_before_any_call(aws):
    session, sent = recording_session()
    name = "c" * 53
    code, _, err = run(["--cluster", "aurora-prod", "clone", name], session=session)
    assert code == 1
    assert err == (
        f"error: instance identifier '{name}-instance-1' (derived from '{name}'; choose a name of at most 52 characters) "
        "is 64 characters long; at most 63 are allowed\n"
    )
    assert sent == {}


def test_a_52_character_name_is_accepted(aws):
    name = "c" * 52
    code, _, err = run(["--cluster", "aurora-prod", "clone", name])
    assert code == 0, err
    assert aws["rds"].describe_db_instances(DBInstanceIdentifier=f"{name}-instance-1")["DBInstances"]


def test_a_failed_instance_creation_deletes_the_new_cluster(aws):
    session = boto3.session.Session(region_name="us-east-1")

    def refuse(**_):
        raise session.client("rds").exceptions.InstanceQuotaExceededFault(
            {"Error": {"Code": "InstanceQuotaExceeded", "Message": "quota reached"}}, "CreateDBInstance"
        )

    session.events.register("before-call.rds.CreateDBInstance", refuse)
    code, _, err = run(["--cluster", "aurora-prod", "clone", "aurora-prod-clone"], session=session)
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: creating instance aurora-prod-clone-instance-1 failed (InstanceQuotaExceeded: quota reached); "
        "cluster aurora-prod-clone was deleted, nothing is left"
    )
    clusters = [c["DBClusterIdentifier"] for c in aws["rds"].describe_db_clusters()["DBClusters"]]
    assert clusters == ["aurora-prod"]


def test_a_timeout_names_what_is_left_and_how_to_remove_it(aws):
    session = boto3.session.Session(region_name="us-east-1")

    def still_creating(parsed, **_):
        for instance in parsed.get("DBInstances", []):
            instance["DBInstanceStatus"] = "creating"

    session.events.register("after-call.rds.DescribeDBInstances", still_creating)
    code, _, err = run(["--cluster", "aurora-prod", "--timeout", "30", "clone", "aurora-prod-clone"], session=session)
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: gave up waiting for aurora-prod-clone to be available after 30s (last state: cluster available, "
        "instance creating); it may still finish in AWS; cluster aurora-prod-clone and instance "
        "aurora-prod-clone-instance-1 were created and are left as they are; remove them with: "
        "aws rds delete-db-instance --db-instance-identifier aurora-prod-clone-instance-1 && "
        "aws rds modify-db-cluster --db-cluster-identifier aurora-prod-clone --no-deletion-protection --apply-immediately && "
        "aws rds delete-db-cluster --db-cluster-identifier aurora-prod-clone --skip-final-snapshot"
    )


def test_clone_onto_an_existing_name_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "clone", "aurora-prod"])
    assert (code, err) == (1, "error: a cluster named 'aurora-prod' already exists; choose another name\n")


def test_restore_after_the_latest_restorable_time_is_refused(aws):
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, _, err = run(["--cluster", "aurora-prod", "restore", "aurora-prod-restored", "--to", future])
    assert code == 1
    assert "is after the latest restorable time of 'aurora-prod'" in err and err.count("\n") == 1
    with pytest.raises(aws["rds"].exceptions.DBClusterNotFoundFault):
        aws["rds"].describe_db_clusters(DBClusterIdentifier="aurora-prod-restored")


def test_snapshot_is_taken_and_available(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--json", "snapshot"])
    assert code == 0, err
    assert json.loads(out)["snapshot"] == "aurora-prod-20261126-120000"
    snapshot = aws["rds"].describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="aurora-prod-20261126-120000")
    assert snapshot["DBClusterSnapshots"][0]["Status"] == "available"


def test_snapshot_with_an_invalid_name_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "snapshot", "rds:nightly"])
    assert (code, err) == (
        1,
        "error: cluster snapshot identifier 'rds:nightly' (the snapshot name) must start with a letter and hold only "
        "letters, digits and hyphens\n",
    )


def test_cluster_from_stack_outputs(aws):
    outputs = {"prod": {"clusterIdentifier": "aurora-prod"}}
    code, _, err = run(["--stack", "prod", "snapshot", "manual-1"], outputs=outputs)
    assert code == 0, err
    assert aws["rds"].describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="manual-1")["DBClusterSnapshots"]
