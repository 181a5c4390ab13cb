"""`clone` and `restore` against moto: the new cluster is as safe as its source, identifiers are
checked before the first call, and a failure leaves no orphan. Outcomes are checked in the emulated
state and in the requests sent (moto copies some source fields by itself, so the request is what
proves the command asked for them)."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.helpers import FakeClock
from tests.ops.ops_harness import run

SOURCE_TAGS = [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "prod"}]


def recording_session():
    """A boto3 session that records every RDS request's parameters by operation name."""
    session = boto3.session.Session(region_name="us-east-1")
    sent = {}

    def record(params, model, **_):
        sent.setdefault(model.name, []).append(dict(params))

    session.events.register("provide-client-params.rds.*", record)
    return session, sent


@pytest.fixture(scope="module")
def source():
    """A production-like source: TLS parameter group, network, KMS key, logs, IAM auth, deletion
    protection, tags, serverless scaling; a writer with its own parameter group, CA and monitoring.
    Built once for the module (moto is slow to set up); each test creates its own clone name."""
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        for key, value in credentials.items():
            patch.setenv(key, value)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            patch.delenv(key, raising=False)
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
            DBClusterIdentifier="aurora-src",
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
                DBInstanceIdentifier=f"aurora-src-instance-{number}",
                DBClusterIdentifier="aurora-src",
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


@pytest.fixture
def aws_source(source, fake_aws_credentials):
    return source


def test_clone_is_as_safe_as_its_source(aws_source):
    session, sent = recording_session()
    code, out, err = run(["--cluster", "aurora-src", "--json", "--yes", "clone", "clone-0"], session=session)
    assert code == 0, err
    request = sent["RestoreDBClusterToPointInTime"][0]
    assert request["DBClusterParameterGroupName"] == "aurora-tls"
    assert request["VpcSecurityGroupIds"] == [aws_source["group"]]
    assert request["DBSubnetGroupName"] == "aurora-db"
    assert request["KmsKeyId"] == aws_source["key"]
    assert request["EnableCloudwatchLogsExports"] == ["audit", "error", "slowquery"]
    assert request["EnableIAMDatabaseAuthentication"] is True
    assert request["DeletionProtection"] is True
    # The source's tags, and the request that made the clone (what a re-run recognises it by).
    assert request["Tags"] == [*SOURCE_TAGS, {"Key": "ops:origin", "Value": "clone of aurora-src"}]
    assert request["ServerlessV2ScalingConfiguration"] == {"MinCapacity": 0.5, "MaxCapacity": 16}
    assert (request["RestoreType"], request["UseLatestRestorableTime"]) == ("copy-on-write", True)
    clone = aws_source["rds"].describe_db_clusters(DBClusterIdentifier="clone-0")["DBClusters"][0]
    assert clone["DBClusterParameterGroup"] == "aurora-tls"
    assert clone["EnabledCloudwatchLogsExports"] == ["audit", "error", "slowquery"]
    assert clone["IAMDatabaseAuthenticationEnabled"] is True
    assert [g["VpcSecurityGroupId"] for g in clone["VpcSecurityGroups"]] == [aws_source["group"]]
    assert clone["DBSubnetGroup"] == "aurora-db"
    assert json.loads(out)["copied"]["parameterGroup"] == "aurora-tls"


def test_the_clones_instance_is_like_the_source_writer(aws_source):
    session, sent = recording_session()
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-1"], session=session)
    assert code == 0, err
    request = sent["CreateDBInstance"][0]
    assert request == {
        "DBInstanceIdentifier": "clone-1-instance-1",
        "DBClusterIdentifier": "clone-1",
        "Engine": "aurora-mysql",
        "PubliclyAccessible": False,
        "DBInstanceClass": "db.r7g.large",
        "DBParameterGroupName": "aurora-instance",
        "CACertificateIdentifier": "rds-ca-rsa4096-g1",
        "MonitoringInterval": 30,
        "MonitoringRoleArn": "arn:aws:iam::123456789012:role/rds-monitoring",
    }
    instance = aws_source["rds"].describe_db_instances(DBInstanceIdentifier="clone-1-instance-1")["DBInstances"][0]
    assert instance["DBInstanceClass"] == "db.r7g.large" and instance["PubliclyAccessible"] is False
    assert [
        m["DBInstanceIdentifier"]
        for m in aws_source["rds"].describe_db_clusters(DBClusterIdentifier="clone-1")["DBClusters"][0]["DBClusterMembers"]
    ] == ["clone-1-instance-1"]


def test_clone_prints_what_it_copied(aws_source):
    code, out, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-2"])
    assert code == 0, err
    assert "parameterGroup" not in err and out.count("parameterGroup") == 1
    assert "  parameterGroup          aurora-tls\n" in out
    assert "  logExports              audit, error, slowquery\n" in out
    assert "  iamAuthentication       yes\n" in out
    assert "None" not in out and "{" not in out


def test_restore_latest_copies_the_source_settings_too(aws_source):
    session, sent = recording_session()
    code, _, err = run(["--cluster", "aurora-src", "--yes", "restore", "restored-3", "--latest"], session=session)
    assert code == 0, err
    request = sent["RestoreDBClusterToPointInTime"][0]
    assert (request["RestoreType"], request["DBClusterParameterGroupName"]) == ("full-copy", "aurora-tls")
    restored = aws_source["rds"].describe_db_clusters(DBClusterIdentifier="restored-3")["DBClusters"][0]
    assert restored["DBClusterParameterGroup"] == "aurora-tls" and restored["IAMDatabaseAuthenticationEnabled"] is True


def test_a_name_whose_instance_identifier_would_be_too_long_is_refused_before_any_call(aws_source):
    session, sent = recording_session()
    name = "c" * 53
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", name], session=session)
    assert code == 1
    assert err == (
        f"error: instance identifier '{name}-instance-1' (derived from '{name}'; choose a name of at most 52 characters) "
        "is 64 characters long; at most 63 are allowed\n"
    )
    assert sent == {}


def test_a_52_character_name_is_accepted(aws_source):
    name = "c" * 52
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", name])
    assert code == 0, err
    assert aws_source["rds"].describe_db_instances(DBInstanceIdentifier=f"{name}-instance-1")["DBInstances"]


def test_a_failed_instance_creation_deletes_the_new_cluster(aws_source):
    session = boto3.session.Session(region_name="us-east-1")

    def refuse(**_):
        raise session.client("rds").exceptions.InstanceQuotaExceededFault(
            {"Error": {"Code": "InstanceQuotaExceeded", "Message": "quota reached"}}, "CreateDBInstance"
        )

    session.events.register("before-call.rds.CreateDBInstance", refuse)
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-6"], session=session)
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: creating instance clone-6-instance-1 failed (InstanceQuotaExceeded: quota reached); "
        "cluster clone-6 was deleted, nothing is left: a re-run starts again"
    )
    clusters = [c["DBClusterIdentifier"] for c in aws_source["rds"].describe_db_clusters()["DBClusters"]]
    assert "clone-6" not in clusters and "aurora-src" in clusters


def slow_instances_session():
    """A session on which every instance stays `creating`."""
    session = boto3.session.Session(region_name="us-east-1")

    def still_creating(parsed, **_):
        for instance in parsed.get("DBInstances", []):
            instance["DBInstanceStatus"] = "creating"

    session.events.register("after-call.rds.DescribeDBInstances", still_creating)
    return session


def test_a_timeout_names_what_is_left_and_how_to_remove_it(aws_source):
    session = slow_instances_session()
    code, _, err = run(["--cluster", "aurora-src", "--timeout", "30", "--yes", "clone", "clone-7"], session=session)
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: gave up waiting for clone-7 to be available after 30s (last state: cluster available, "
        "instance creating); it may still finish in AWS; cluster clone-7 and instance "
        "clone-7-instance-1 were created and are left as they are: a re-run of the same command waits for them; "
        "remove them with: "
        "aws rds delete-db-instance --db-instance-identifier clone-7-instance-1 && "
        "aws rds modify-db-cluster --db-cluster-identifier clone-7 --no-deletion-protection --apply-immediately && "
        "aws rds delete-db-cluster --db-cluster-identifier clone-7 --skip-final-snapshot"
    )


def test_aws_reserved_tags_and_absent_settings_are_not_sent():
    """Tag keys starting with `aws:` are AWS's own and cannot be set (RDS AddTagsToResource
    refuses them); settings the source does not have are left out rather than sent empty."""
    from ops.new_cluster import _cluster_settings, _instance_settings

    source = {
        "TagList": [{"Key": "aws:cloudformation:stack-name", "Value": "x"}, {"Key": "team", "Value": "data"}],
        "IAMDatabaseAuthenticationEnabled": False,
        "DeletionProtection": False,
    }
    assert _cluster_settings(source) == {
        "Tags": [{"Key": "team", "Value": "data"}],
        "EnableIAMDatabaseAuthentication": False,
        "DeletionProtection": False,
    }
    assert _instance_settings(None) == {"DBInstanceClass": "db.serverless"}
    assert _instance_settings({"DBInstanceClass": "db.r7g.large", "MonitoringInterval": 0, "MonitoringRoleArn": "r"}) == {
        "DBInstanceClass": "db.r7g.large",
        "MonitoringInterval": 0,
    }


def test_an_interrupted_wait_names_what_is_left(aws_source):
    def interrupt(seconds):
        raise KeyboardInterrupt

    clock = FakeClock()
    clock.sleep = interrupt
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-9"], session=slow_instances_session(), clock=clock)
    assert code == 1
    assert err.splitlines()[-1].startswith(
        "error: interrupted; cluster clone-9 and instance clone-9-instance-1 were created and are left as they are: "
        "a re-run of the same command waits for them; "
        "remove them with: aws rds delete-db-instance --db-instance-identifier clone-9-instance-1 && "
    )


def test_a_clean_up_that_cannot_delete_leaves_the_cluster_protected_for_a_re_run(aws_source):
    session = boto3.session.Session(region_name="us-east-1")
    rds = session.client("rds")

    def refuse(operation, code):
        def raise_it(**_):
            raise ClientError({"Error": {"Code": code, "Message": "refused"}}, operation)

        return raise_it

    session.events.register("before-call.rds.CreateDBInstance", refuse("CreateDBInstance", "InstanceQuotaExceeded"))
    session.events.register("before-call.rds.DeleteDBCluster", refuse("DeleteDBCluster", "InvalidDBClusterStateFault"))
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-10"], session=session)
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: creating instance clone-10-instance-1 failed (InstanceQuotaExceeded: refused) and deleting cluster "
        "clone-10 failed too (InvalidDBClusterStateFault: refused); cluster clone-10 is left with deletion protection "
        "on, as its source has: a re-run of the same command finishes it; remove it with: "
        "aws rds modify-db-cluster --db-cluster-identifier clone-10 --no-deletion-protection --apply-immediately && "
        "aws rds delete-db-cluster --db-cluster-identifier clone-10 --skip-final-snapshot"
    )
    assert rds.describe_db_clusters(DBClusterIdentifier="clone-10")["DBClusters"][0]["DeletionProtection"] is True
    code, _, err = run(["--cluster", "aurora-src", "--yes", "clone", "clone-10"])
    assert code == 0, err
    assert "was started by an earlier run" in err
