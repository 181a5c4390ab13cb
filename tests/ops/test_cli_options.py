"""Global options before or after the command, in every command's --help; the region from
--region, the stack, AWS_REGION or AWS_DEFAULT_REGION, with an error that names what was tried."""

import io
from contextlib import redirect_stdout

import pytest

from ops.cli import build_parser
from tests.ops.ops_harness import StubSession, run

ARN = "arn:aws:rds:eu-west-1:123456789012:cluster:aurora-prod"
GLOBAL_OPTIONS = ("--stack", "--cluster", "--region", "--json", "--yes", "--timeout")


def commands():
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    return sorted(subparsers.choices)


@pytest.mark.parametrize("command", commands())
def test_every_commands_help_shows_the_global_options(command, capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([command, "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "global options (before or after the command):" in help_text
    for option in GLOBAL_OPTIONS:
        assert option in help_text


@pytest.mark.parametrize(
    "argv",
    [
        ["--cluster", "X", "--yes", "--json", "--timeout", "60", "failover"],
        ["failover", "--yes", "--cluster", "X", "--json", "--timeout", "60"],
        ["--json", "failover", "--cluster", "X", "--yes", "--timeout=60"],
    ],
)
def test_global_options_work_before_or_after_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.cluster, args.yes, args.json, args.timeout, args.stack) == ("X", True, True, 60.0, None)


def test_an_option_before_the_command_is_not_reset_by_the_command():
    args = build_parser().parse_args(["--region", "eu-west-1", "status", "--cluster", "X"])
    assert (args.region, args.cluster) == ("eu-west-1", "X")


def describe_fails(stub):
    """An RDS client whose first call is refused, so each test sees which region was chosen."""
    client, stubber = stub("rds")
    stubber.add_client_error("describe_db_clusters", service_error_code="DBClusterNotFoundFault", http_status_code=404)
    return client


class RecordingSession(StubSession):
    region_name = None


@pytest.mark.parametrize(
    ("argv", "environ", "outputs", "config", "region"),
    [
        (["--region", "ap-south-1", "--stack", "prod"], {"AWS_REGION": "us-east-2"}, {"clusterArn": ARN}, {}, "ap-south-1"),
        (["--stack", "prod"], {"AWS_REGION": "us-east-2"}, {"clusterArn": ARN}, {}, "eu-west-1"),
        (["--stack", "prod"], {"AWS_REGION": "us-east-2"}, {}, {("prod", "aws:region"): "eu-central-1"}, "eu-central-1"),
        (["--cluster", "aurora-prod"], {"AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"}, {}, {}, "us-east-2"),
        (["--cluster", "aurora-prod"], {"AWS_DEFAULT_REGION": "us-west-1"}, {}, {}, "us-west-1"),
    ],
)
def test_the_region_comes_from_the_first_place_that_names_one(stub, argv, environ, outputs, config, region):
    session = RecordingSession(rds=describe_fails(stub))
    outputs = {"prod": {"clusterIdentifier": "aurora-prod", **outputs}}
    run([*argv, "status"], session, outputs=outputs, environ=environ, config=config)
    assert session.requested == [("rds", region)]


def test_no_region_anywhere_names_what_was_tried():
    session = RecordingSession()
    code, _, err = run(["--stack", "prod", "status"], session, outputs={"prod": {"clusterIdentifier": "c"}})
    assert (code, err) == (
        1,
        "error: no AWS region: tried --region, stack 'prod' (clusterArn output, aws:region config), AWS_REGION, "
        "AWS_DEFAULT_REGION, the AWS profile's region; pass --region REGION\n",
    )


def test_python_m_ops_help_lists_the_new_commands():
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    assert "sql" in out.getvalue() and "status" in out.getvalue()
