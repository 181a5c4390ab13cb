"""The `connect` stack output (components/outputs.py): it pastes into an interactive bash, and each
client line's flags are ones that client accepts."""

import shlex
import shutil
import socket
import subprocess

import pytest

from components.outputs import connect_text

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf"
CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
TEXT = connect_text(
    "us-east-1", "aurora-dev.cluster-abc.us-east-1.rds.amazonaws.com", 3306, "admin", CLUSTER, SECRET, "i-0123456789abcdef0", True
)
# Stand-ins that print each argument they receive, one per line.
ECHOING_COMMANDS = "".join(f'{name}() {{ printf "<%s>\\n" "$@"; }}\n' for name in ("aws", "curl", "mysql", "aurora-mysql"))


def line_starting(prefix):
    return next(line for line in TEXT.splitlines() if line.startswith(prefix))


@pytest.mark.subprocess
def test_the_whole_output_pastes_into_an_interactive_bash():
    """Interactive bash expands `!name` (history expansion) unless it is single-quoted: the managed
    secret's ARN (`rds!cluster-...`) must reach `aws` unchanged."""
    shell = subprocess.run(
        ["bash", "--norc", "--noprofile", "-i"], input=ECHOING_COMMANDS + TEXT + "\n", capture_output=True, text=True, timeout=20
    )
    assert "event not found" not in shell.stderr
    assert f"<{SECRET}>" in shell.stdout.splitlines()
    assert "<SELECT * FROM tutorial.planet>" in shell.stdout.splitlines()
    forwarded = (
        '<{"host":["aurora-dev.cluster-abc.us-east-1.rds.amazonaws.com"],"portNumber":["3306"],"localPortNumber":["3307"]}>'
    )
    assert forwarded in shell.stdout.splitlines()


def test_each_client_line_verifies_against_the_rds_bundle():
    """MySQL 8.0 Reference Manual, "Command Options for Encrypted Connections": --ssl-mode=VERIFY_CA
    verifies the server certificate against --ssl-ca; MariaDB's client takes --ssl and --ssl-ca and
    has no --ssl-mode."""
    mysql_line, mariadb_line = (line for line in TEXT.splitlines() if line.startswith("mysql "))
    assert shlex.split(mysql_line)[-2:] == ["--ssl-ca=global-bundle.pem", "--ssl-mode=VERIFY_CA"]
    assert shlex.split(mariadb_line)[-2:] == ["--ssl-ca=global-bundle.pem", "--ssl"]
    assert "curl -fsSLO https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem" in TEXT


def client_on_a_closed_port(line):
    """Run this machine's `mysql` with a line's flags, pointed at a closed port (no prompt)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    flags = [
        {"--password": "--password=unused", "--port=3307": f"--port={closed}"}.get(flag, flag) for flag in shlex.split(line)[1:]
    ]
    return subprocess.run(["mysql", *flags, "--connect-timeout=2", "-e", "SELECT 1"], capture_output=True, text=True, timeout=20)


@pytest.mark.subprocess
@pytest.mark.skipif(shutil.which("mysql") is None, reason="needs a mysql client (CI installs MariaDB's)")
def test_mariadbs_client_accepts_its_line_and_would_reject_mysqls():
    mariadb_client = "MariaDB" in subprocess.run(["mysql", "--version"], capture_output=True, text=True).stdout
    if not mariadb_client:
        pytest.skip("this machine's mysql is not MariaDB's")
    mysql_line, mariadb_line = (line for line in TEXT.splitlines() if line.startswith("mysql "))
    accepted = client_on_a_closed_port(mariadb_line)
    assert "unknown" not in accepted.stderr and "Can't connect" in accepted.stderr
    assert "unknown variable 'ssl-mode=VERIFY_CA'" in client_on_a_closed_port(mysql_line).stderr


def test_without_a_client_host_only_the_data_api_is_offered():
    text = connect_text("eu-west-1", "e", 3306, "admin", CLUSTER, SECRET, None, True)
    assert text.splitlines() == [
        "# Query through the RDS Data API from anywhere with AWS credentials:",
        f"aws rds-data execute-statement --region eu-west-1 --resource-arn {CLUSTER} --secret-arn '{SECRET}' "
        "--sql 'SELECT * FROM tutorial.planet'",
    ]


def test_global_mode_names_the_global_writer_endpoint_for_applications():
    writer = "aurora-prod-global.global-abc.global.rds.amazonaws.com"
    text = connect_text("us-east-1", "e", 3306, "admin", CLUSTER, SECRET, None, False, writer)
    assert text.splitlines()[-1] == f"#   {writer}"
    assert "switchover or failover" in text
    assert writer not in connect_text("us-east-1", "e", 3306, "admin", CLUSTER, SECRET, None, False)
