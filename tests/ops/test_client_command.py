"""`client start` and the client host in `status`: EC2 in moto (StartInstances, DescribeInstances),
SSM through botocore's Stubber (moto 5 has no DescribeInstanceInformation)."""

import json

import boto3
import pytest
from moto import mock_aws

from tests.helpers import client_host_image
from tests.ops.ops_harness import StubSession, run


def ssm_answers(*ping_statuses):
    return [
        {"InstanceInformationList": [{"InstanceId": "i", "PingStatus": ping}]} if ping else {"InstanceInformationList": []}
        for ping in ping_statuses
    ]


@pytest.fixture(scope="module")
def moto_ec2():
    """One moto EC2 for the module: starting its backend is the slow part, so each test adds its own host."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        yield ec2, client_host_image(ec2)


@pytest.fixture
def aws(moto_ec2, stub):
    """A stopped client host in moto's EC2, and a stubbed SSM client."""
    ec2, image = moto_ec2
    instance_id = ec2.run_instances(ImageId=image, InstanceType="t4g.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])
    ssm, ssm_stubber = stub("ssm")
    return ec2, instance_id, ssm, ssm_stubber


def expect_pings(ssm_stubber, instance_id, *ping_statuses):
    for answer in ssm_answers(*ping_statuses):
        ssm_stubber.add_response(
            "describe_instance_information", answer, {"Filters": [{"Key": "InstanceIds", "Values": [instance_id]}]}
        )


def state_of(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"]


def test_start_wakes_a_stopped_host_waits_for_ssm_and_prints_the_session_command(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    assert state_of(ec2, instance_id) == "stopped"
    expect_pings(ssm_stubber, instance_id, None, "ConnectionLost", "Online")
    code, out, err = run(
        ["--stack", "dev", "--json", "client", "start"],
        StubSession(ec2=ec2, ssm=ssm),
        outputs={"dev": {"clientInstanceId": instance_id, "clusterArn": "arn:aws:rds:us-east-1:1:cluster:aurora-dev"}},
    )
    assert (code, state_of(ec2, instance_id)) == (0, "running")
    command = f"aws ssm start-session --target {instance_id} --region us-east-1"
    assert json.loads(out) == {
        "instanceId": instance_id,
        "state": "running",
        "ssm": "Online",
        "waitedSeconds": 20,
        "session": command,
    }
    assert err.splitlines() == [
        f"starting client host {instance_id} (was stopped)",
        f"waiting for SSM to report {instance_id} online: agent not registered yet (0s)",
        f"waiting for SSM to report {instance_id} online: agent ConnectionLost (10s)",
        f"client host {instance_id} is online; open a session with: {command}",
    ]


def test_start_takes_an_instance_id_without_a_stack(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    expect_pings(ssm_stubber, instance_id, "Online")
    code, out, err = run(
        ["--region", "us-east-1", "client", "start", "--instance-id", instance_id], StubSession(ec2=ec2, ssm=ssm)
    )
    assert code == 0
    assert f"session        aws ssm start-session --target {instance_id} --region us-east-1" in out


def test_a_running_host_is_not_started_again(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    ec2.start_instances(InstanceIds=[instance_id])
    expect_pings(ssm_stubber, instance_id, "Online")
    code, _, err = run(["--region", "us-east-1", "client", "start", "--instance-id", instance_id], StubSession(ec2=ec2, ssm=ssm))
    assert code == 0
    assert err.splitlines()[0] == f"client host {instance_id} is already running"


def test_a_host_ssm_never_reports_online_fails_in_one_line_after_the_timeout(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    expect_pings(ssm_stubber, instance_id, "ConnectionLost", "ConnectionLost", "ConnectionLost")
    code, out, err = run(
        ["--region", "us-east-1", "--timeout", "20", "client", "start", "--instance-id", instance_id],
        StubSession(ec2=ec2, ssm=ssm),
    )
    assert (code, out, state_of(ec2, instance_id)) == (1, "", "running")
    last = err.splitlines()[-1]
    assert last.startswith(f"error: gave up waiting for SSM to report {instance_id} online after 20s")
    assert f"client host {instance_id} was started by this command and is left running" in last


def test_a_failure_on_a_host_that_was_already_running_does_not_claim_to_have_started_it(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    ec2.start_instances(InstanceIds=[instance_id])
    ssm_stubber.add_client_error("describe_instance_information", "AccessDeniedException", "not allowed")
    code, _, err = run(["--region", "us-east-1", "client", "start", "--instance-id", instance_id], StubSession(ec2=ec2, ssm=ssm))
    assert code == 1 and err.splitlines()[-1] == "error: AccessDeniedException: not allowed"


def test_a_failure_after_starting_the_host_says_it_was_started(aws):
    ec2, instance_id, ssm, ssm_stubber = aws
    ssm_stubber.add_client_error("describe_instance_information", "AccessDeniedException", "not allowed")
    code, _, err = run(["--region", "us-east-1", "client", "start", "--instance-id", instance_id], StubSession(ec2=ec2, ssm=ssm))
    assert (code, state_of(ec2, instance_id)) == (1, "running")
    last = err.splitlines()[-1]
    assert last.startswith("error: AccessDeniedException: not allowed; ")
    assert f"client host {instance_id} was started by this command" in last


def test_an_unknown_instance_is_one_error_line(aws):
    ec2, _, ssm, _ = aws
    code, out, err = run(
        ["--region", "us-east-1", "client", "start", "--instance-id", "i-0000000000000dead"], StubSession(ec2=ec2, ssm=ssm)
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("error: client host 'i-0000000000000dead' not found in this account in region us-east-1")


def test_a_terminated_host_is_refused_with_what_to_do(aws):
    ec2, instance_id, ssm, _ = aws
    ec2.terminate_instances(InstanceIds=[instance_id])
    code, _, err = run(["--region", "us-east-1", "client", "start", "--instance-id", instance_id], StubSession(ec2=ec2, ssm=ssm))
    assert code == 1
    assert err == f"error: client host {instance_id} is terminated: run `pulumi up` to create it again\n"


def test_a_stack_without_a_client_host_says_so(aws):
    ec2, _, ssm, _ = aws
    code, _, err = run(
        ["--stack", "prod", "client", "start"],
        StubSession(ec2=ec2, ssm=ssm),
        outputs={"prod": {"clusterArn": "arn:aws:rds:us-east-1:1:cluster:aurora-prod"}},
    )
    assert code == 1
    assert err == "error: stack 'prod' has no client host (output clientInstanceId): set client: ssm\n"


def test_start_needs_a_stack_or_an_instance_id(aws):
    ec2, _, ssm, _ = aws
    code, _, err = run(["--region", "us-east-1", "client", "start"], StubSession(ec2=ec2, ssm=ssm))
    assert code == 2
    assert err == "error: say which client host: --stack NAME (its clientInstanceId output) or --instance-id ID\n"


def test_client_needs_an_action():
    code, _, err = run(["client"])
    assert code == 2
    assert err.startswith("error: the following arguments are required: ACTION")


CLUSTER = {
    "DBClusterIdentifier": "aurora-dev",
    "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
    "Status": "available",
    "EngineVersion": "8.0.mysql_aurora.3.10.5",
    "DBClusterMembers": [],
    "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
}


@pytest.fixture
def dev_status(aws, stub):
    ec2, instance_id, ssm, _ = aws
    rds, rds_stubber = stub("rds")
    rds_stubber.add_response("describe_db_clusters", {"DBClusters": [CLUSTER]}, {"DBClusterIdentifier": "aurora-dev"})
    rds_stubber.add_response(
        "describe_pending_maintenance_actions",
        {"PendingMaintenanceActions": []},
        {"Filters": [{"Name": "db-cluster-id", "Values": [CLUSTER["DBClusterArn"]]}]},
    )
    outputs = {"dev": {"clusterIdentifier": "aurora-dev", "clusterArn": CLUSTER["DBClusterArn"], "clientInstanceId": instance_id}}
    return StubSession(ec2=ec2, ssm=ssm, rds=rds), instance_id, outputs


def test_status_shows_that_the_stacks_client_host_is_stopped(dev_status):
    session, instance_id, outputs = dev_status
    code, out, _ = run(["--stack", "dev", "--json", "status"], session, outputs=outputs)
    assert code == 0
    assert json.loads(out)["clientHost"] == {
        "instanceId": instance_id,
        "state": "stopped",
        "note": "start it with `python -m ops client start`",
    }


def test_status_names_a_client_host_it_cannot_read_and_still_shows_the_cluster(dev_status):
    session, _, outputs = dev_status
    outputs["dev"]["clientInstanceId"] = "i-0000000000000dead"
    code, out, _ = run(["--stack", "dev", "--json", "status"], session, outputs=outputs)
    assert code == 0
    shown = json.loads(out)
    assert shown["status"] == "available"
    assert shown["clientHost"] == {
        "instanceId": "i-0000000000000dead",
        "state": "not found",
        "couldNotRead": "client host 'i-0000000000000dead' not found in this account in region us-east-1: "
        "check --instance-id and --region",
    }


def test_status_of_a_cluster_named_directly_has_no_client_host(stub):
    rds, rds_stubber = stub("rds")
    rds_stubber.add_response("describe_db_clusters", {"DBClusters": [CLUSTER]}, {"DBClusterIdentifier": "aurora-dev"})
    rds_stubber.add_response(
        "describe_pending_maintenance_actions",
        {"PendingMaintenanceActions": []},
        {"Filters": [{"Name": "db-cluster-id", "Values": [CLUSTER["DBClusterArn"]]}]},
    )
    code, out, _ = run(["--cluster", "aurora-dev", "--json", "status"], StubSession(rds=rds))
    assert code == 0 and "clientHost" not in json.loads(out)


def test_a_host_still_stopping_is_waited_for_before_it_is_started(stub):
    """EC2 refuses StartInstances on a stopping instance (IncorrectInstanceState); moto cannot hold an
    instance in `stopping`, so EC2 is stubbed here."""
    host = "i-0123456789abcdef0"
    ec2, ec2_stubber = stub("ec2")
    ssm, ssm_stubber = stub("ssm")

    def expect_state(state):
        ec2_stubber.add_response(
            "describe_instances",
            {"Reservations": [{"Instances": [{"InstanceId": host, "State": {"Name": state}}]}]},
            {"InstanceIds": [host]},
        )

    expect_state("stopping")
    expect_state("stopping")
    expect_state("stopped")
    ec2_stubber.add_response("start_instances", {}, {"InstanceIds": [host]})
    expect_state("pending")
    expect_state("running")
    expect_pings(ssm_stubber, host, "Online")
    code, _, err = run(["--region", "us-east-1", "client", "start", "--instance-id", host], StubSession(ec2=ec2, ssm=ssm))
    assert code == 0
    assert err.splitlines()[:4] == [
        f"waiting for client host {host} to stop: stopping (0s)",
        f"starting client host {host} (was stopped)",
        f"waiting for client host {host} to run: pending (0s)",
        f"client host {host} is online; open a session with: aws ssm start-session --target {host} --region us-east-1",
    ]


def test_status_shows_a_refused_client_host_read_as_not_read(dev_status, stub):
    session, instance_id, outputs = dev_status
    ec2, ec2_stubber = stub("ec2")
    ec2_stubber.add_client_error("describe_instances", "UnauthorizedOperation", "not allowed", http_status_code=403)
    session.clients["ec2"] = ec2
    code, out, _ = run(["--stack", "dev", "--json", "status"], session, outputs=outputs)
    assert code == 0
    assert json.loads(out)["clientHost"]["state"] == "not read: UnauthorizedOperation"
