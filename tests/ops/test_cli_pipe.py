"""A reader that closes the pipe early (`ops --json status | head -1`) is normal for a command line:
`ops` then ends quietly with status 1, as the `signal` module's "Note on SIGPIPE" in Python's
documentation advises, never with an "unexpected BrokenPipeError" or Python's "Exception ignored"."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys

import boto3
import pytest
import requests

from ops.cli import main
from plan.engine import PROJECT_ROOT
from tests.ops.ops_harness import StubSession
from tests.ops.test_backtrack_and_status import expect_full_status

TESTING_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint():
    """moto's server in this process, holding one cluster; the environment that sends `ops` to it.
    What it holds is dropped afterwards (moto's reset), so other tests start from an empty account."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    rds = boto3.client(
        "rds",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-dev", Engine="aurora-mysql", MasterUsername="admin", ManageMasterUserPassword=True
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    yield environment | TESTING_CREDENTIALS | {"AWS_ENDPOINT_URL": endpoint}
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)
    server.stop()


def run_into_a_closed_pipe(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python COMMAND` writing to a pipe whose reader left before the first byte: every write to
    standard output fails, whatever the timing (`| head -1` fails only some runs)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=PROJECT_ROOT,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)


@pytest.mark.subprocess
def test_json_status_into_a_pipe_the_reader_closed_ends_quietly(moto_endpoint):
    completed = run_into_a_closed_pipe(["-m", "ops", "--cluster", "aurora-dev", "--json", "status"], moto_endpoint)
    assert (completed.returncode, completed.stderr) == (1, "")


@pytest.mark.subprocess
def test_after_a_closed_pipe_standard_output_goes_to_devnull(moto_endpoint):
    """What is written after `main` returns (Python's own flush at exit, a caller's output) goes to
    os.devnull rather than failing on the closed pipe again."""
    caller = (
        "import sys\n"
        "from ops.cli import main\n"
        "code = main(['--cluster', 'aurora-dev', '--json', 'status'])\n"
        "print('written after main returned', flush=True)\n"
        "sys.exit(code)\n"
    )
    completed = run_into_a_closed_pipe(["-c", caller], moto_endpoint)
    assert (completed.returncode, completed.stderr) == (1, "")


class ClosedPipe(io.StringIO):
    """Standard output whose reader left: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_standard_output_is_no_defect_in_process(stub):
    client, stubber = stub("rds")
    expect_full_status(stubber)
    errors = io.StringIO()
    code = main(
        ["--cluster", "aurora-prod", "--json", "status"], session=StubSession(rds=client), stdout=ClosedPipe(), stderr=errors
    )
    assert (code, errors.getvalue()) == (1, "")
