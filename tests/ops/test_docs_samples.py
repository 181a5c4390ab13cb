"""The sample output in docs/operations.md is what the code prints: each sample is produced here
from a Stubber or moto run and compared with the page. After changing the output, regenerate the
samples with `OPS_WRITE_SAMPLES=1 .venv/bin/python -m pytest tests/ops/test_docs_samples.py`."""

import os
import re
from pathlib import Path

import boto3
import pytest
import requests
from moto import mock_aws

from tests.helpers import FakeClock
from tests.ops.local_aws import switch_data_api_on
from tests.ops.ops_harness import StubSession, run
from tests.ops.test_backtrack_and_status import expect_full_status
from tests.ops.test_failover import expect_probed_failover
from tests.ops.test_pause_check import proxied_dev_cluster

# The first planets of sql/sample-data as the Data API returns them; tests/ops/test_docs_sql.py
# runs the sample's statement on that data.
FIRST_PLANETS = {
    "columnMetadata": [{"name": "id", "label": "id"}, {"name": "name", "label": "name"}],
    "records": [[{"longValue": number}, {"stringValue": name}] for number, name in ((1, "Mercury"), (2, "Venus"), (3, "Earth"))],
}
PAGE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
SAMPLE = re.compile(r"(<!-- sample: (?P<name>[a-z-]+) -->\n```text\n)(?P<body>.*?)(```)", re.DOTALL)


def shown(argv, code, out, err, with_progress=False):
    assert code == 0, err
    return f"$ .venv/bin/python -m ops {' '.join(argv)}\n" + (err if with_progress else "") + out


def sample_status(stub):
    client, stubber = stub("rds")
    expect_full_status(stubber)
    argv = ["--cluster", "aurora-prod", "status"]
    return shown(argv, *run(argv, StubSession(rds=client)))


def sample_failover_probe(stub):
    rds, stubber = stub("rds")
    data_api, data_stubber = stub("rds-data")
    expect_probed_failover(stubber, data_stubber)
    argv = ["--cluster", "aurora-prod", "--yes", "failover", "--probe"]
    return shown(argv, *run(argv, StubSession(rds=rds, rds_data=data_api), clock=FakeClock()), with_progress=True)


def sample_sql(stub):
    with mock_aws():
        boto3.client("rds", region_name="us-east-1").create_db_cluster(
            DBClusterIdentifier="aurora-dev", Engine="aurora-mysql", MasterUsername="admin", ManageMasterUserPassword=True
        )
        switch_data_api_on("aurora-dev")
        requests.post(
            "http://motoapi.amazonaws.com/moto-api/static/rds-data/statement-results", json={"results": [FIRST_PLANETS]}
        )
        argv = ["--cluster", "aurora-dev", "sql", "'SELECT id, name FROM tutorial.planet WHERE id <= 3 ORDER BY id'"]
        return shown(argv, *run([*argv[:-1], argv[-1].strip("'")]))


def sample_client_start(stub):
    host = "i-0123456789abcdef0"
    ec2, ec2_stubber = stub("ec2")
    ssm, ssm_stubber = stub("ssm")
    for state in ("stopped", "running"):
        ec2_stubber.add_response(
            "describe_instances",
            {"Reservations": [{"Instances": [{"InstanceId": host, "State": {"Name": state}}]}]},
            {"InstanceIds": [host]},
        )
        if state == "stopped":
            ec2_stubber.add_response("start_instances", {}, {"InstanceIds": [host]})
    for entries in ([], [{"InstanceId": host, "PingStatus": "Online"}]):
        ssm_stubber.add_response(
            "describe_instance_information",
            {"InstanceInformationList": entries},
            {"Filters": [{"Key": "InstanceIds", "Values": [host]}]},
        )
    argv = ["--stack", "dev", "client", "start"]
    outputs = {"dev": {"clientInstanceId": host, "clusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"}}
    return shown(argv, *run(argv, StubSession(ec2=ec2, ssm=ssm), outputs=outputs), with_progress=True)


def sample_pause_check(stub):
    with mock_aws():
        session = proxied_dev_cluster()
        argv = ["--cluster", "aurora-dev", "pause-check"]
        return shown(argv, *run(argv, session=session))


SAMPLES = {
    "status": sample_status,
    "failover-probe": sample_failover_probe,
    "sql": sample_sql,
    "client-start": sample_client_start,
    "pause-check": sample_pause_check,
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_page_shows_what_the_command_prints(name, stub, fake_aws_credentials):
    produced = SAMPLES[name](stub)
    page = PAGE.read_text()
    if os.environ.get("OPS_WRITE_SAMPLES"):
        page = SAMPLE.sub(lambda m: m.group(1) + produced + m.group(4) if m.group("name") == name else m.group(0), page)
        PAGE.write_text(page)
    documented = {m.group("name"): m.group("body") for m in SAMPLE.finditer(page)}
    assert documented.get(name) == produced
