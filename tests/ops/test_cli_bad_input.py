"""No input ends in a traceback: every command fed bad values ends in one `error:` line and a
non-zero exit (2 for a usage error: what argparse refuses, or a command line that does not say
which resource to act on; 1 for what the command refuses), before any AWS call;
and every AWS-calling command meets an endpoint that is not AWS (an HTML error page, HTTP 500)."""

import http.server
import io
import threading

import pytest
from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError
from hypothesis import given, settings
from hypothesis import strategies as st

from awscalls.errors import one_line
from ops.cli import main
from tests.ops.ops_harness import StubSession, run

CLUSTER = ["--cluster", "aurora-prod"]
BAD_ARGUMENTS = [
    # The numbers the issue names, and their neighbours.
    (
        ["backtrack", *CLUSTER, "--minutes-ago", "nan"],
        2,
        "argument --minutes-ago: 'nan' is not allowed: give minutes above 0 and at most 4320",
    ),
    (["backtrack", *CLUSTER, "--minutes-ago", "inf"], 2, "argument --minutes-ago: 'inf' is not allowed"),
    (["backtrack", *CLUSTER, "--minutes-ago", "1e12"], 2, "argument --minutes-ago: '1e12' is not allowed"),
    (["backtrack", *CLUSTER, "--minutes-ago=-5"], 2, "argument --minutes-ago: '-5' is not allowed"),
    (["backtrack", *CLUSTER, "--minutes-ago", "soon"], 2, "argument --minutes-ago: 'soon' is not allowed"),
    (["backtrack", *CLUSTER, "--to", "yesterday"], 2, "'yesterday' is not a time: use ISO 8601"),
    (["backtrack", *CLUSTER], 2, "one of the arguments --to --minutes-ago is required"),
    (
        ["--timeout", "nan", "status", *CLUSTER],
        2,
        "argument --timeout: 'nan' is not allowed: give seconds above 0 and at most 86400",
    ),
    (["failover", *CLUSTER, "--timeout", "inf"], 2, "argument --timeout: 'inf' is not allowed"),
    (["failover", *CLUSTER, "--timeout", "0"], 2, "argument --timeout: '0' is not allowed"),
    (["seed", "--host", "db", "--user", "admin", "--ssl-ca", "/no/such/ca.pem"], 1, "--ssl-ca '/no/such/ca.pem': no such file"),
    (["seed", "--host", "db", "--user", "admin", "--port", "99999"], 2, "argument --port: '99999' is not a TCP port"),
    (["seed", "--host", "db"], 2, "--host needs --user"),
    (["seed", "--cluster-arn", "arn:aws:rds:us-east-1:1:cluster:c"], 2, "--cluster-arn and --secret-arn go together"),
    (["seed"], 2, "say where to seed"),
    (["status"], 2, "say which cluster: --cluster ID or --stack NAME"),
    (["--stack", "dev", "--cluster", "c", "status"], 2, "--stack and --cluster name the cluster twice"),
    (["clone", *CLUSTER, "my_clone"], 1, "cluster identifier 'my_clone' (the new cluster's name) must start with a letter"),
    (["clone", *CLUSTER, "c" * 64], 1, "is 64 characters long; at most 63 are allowed"),
    (["clone", *CLUSTER, "c" * 53], 1, "choose a name of at most 52 characters"),
    (["clone", *CLUSTER, "clone-"], 1, "cannot end with a hyphen or contain two consecutive hyphens"),
    (["restore", *CLUSTER, "1restore", "--latest"], 1, "must start with a letter"),
    (["restore", *CLUSTER, "r", "--to", "2026-13-01"], 2, "'2026-13-01' is not a time"),
    (["restore", *CLUSTER, "r"], 2, "one of the arguments --to --latest is required"),
    (["snapshot", *CLUSTER, "a--b"], 1, "cluster snapshot identifier 'a--b' (the snapshot name) cannot end with a hyphen"),
    (["copy-snapshot", "nightly"], 2, "the following arguments are required: --to-region"),
    (["copy-snapshot", "nightly", "--to-region", "us-east-1"], 1, "--to-region us-east-1 is the snapshot's own region"),
    (["export-snapshot", "nightly", "--bucket", "b"], 2, "the following arguments are required: --role-arn, --kms-key"),
    (["wake"], 2, "say which cluster"),
    (["sql"], 2, "the following arguments are required: statement"),
    (["sql", "SELECT 1; SELECT 2", *CLUSTER], 1, "give exactly one SQL statement"),
    (["failover", *CLUSTER, "--probe=yes"], 2, "argument --probe: ignored explicit argument 'yes'"),
    (["nonsense"], 2, "argument COMMAND: invalid choice: 'nonsense'"),
    ([], 2, "the following arguments are required: COMMAND"),
]


@pytest.fixture
def no_aws(stub, monkeypatch):
    """A session whose clients answer nothing: any AWS call would fail the test."""
    monkeypatch.setenv("MYSQL_PWD", "not-used")
    return StubSession(rds=stub("rds")[0], rds_data=stub("rds-data")[0])


def assert_one_error_line(code, out, err, expected_code, expected_text):
    assert (code, out) == (expected_code, ""), err
    assert err.count("\n") == 1 and err.startswith("error: ") and err.endswith("\n"), err
    assert expected_text in err
    assert "Traceback" not in err and "unexpected" not in err


@pytest.mark.parametrize(("argv", "expected_code", "expected_text"), BAD_ARGUMENTS, ids=lambda value: repr(value)[:60])
def test_bad_arguments_end_in_one_error_line_before_any_aws_call(no_aws, argv, expected_code, expected_text):
    code, out, err = run(argv, no_aws)
    assert_one_error_line(code, out, err, expected_code, expected_text)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers().map(str)))
def test_any_timeout_is_either_used_or_refused_in_one_line(value):
    """A valid --timeout gets as far as the missing cluster, anything else is refused; both are usage errors (exit 2)."""
    code, out, err = run([f"--timeout={value}", "wake"], StubSession())
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ") and "unexpected" not in err
    try:
        number = float(value)
        valid = number == number and 0 < number <= 86400
    except ValueError:
        valid = False
    assert code == 2
    assert ("say which cluster" if valid else "argument --timeout") in err, err


class NotAws(http.server.BaseHTTPRequestHandler):
    """An endpoint that is not AWS: an HTML error page with the status set on the class."""

    status = 500
    body = b"<html><body><h1>Internal error</h1></body></html>"

    def do_POST(self):
        body = self.body
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def not_aws_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotAws)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


# botocore reads a 5xx `<html>` page as a bare status, a 200 one as an empty or unparsable result,
# and a page that opens with a doctype as an error whose message is the page itself (JSON services).
PROXY_PAGE = b"<!DOCTYPE html>\n<html>\n<head><title>403 Forbidden</title></head>\n<body>denied</body>\n</html>\n"


@pytest.fixture(params=[(500, NotAws.body), (200, NotAws.body), (403, PROXY_PAGE)], ids=["http-500", "html-200", "doctype-403"])
def not_aws(request, not_aws_server, monkeypatch, fake_aws_credentials):
    monkeypatch.setattr(NotAws, "status", request.param[0])
    monkeypatch.setattr(NotAws, "body", request.param[1])
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{not_aws_server.server_address[1]}")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


AWS_COMMANDS = [
    ["status", *CLUSTER],
    ["failover", *CLUSTER, "--yes"],
    ["backtrack", *CLUSTER, "--minutes-ago", "5", "--yes"],
    ["clone", *CLUSTER, "aurora-prod-clone", "--yes"],
    ["restore", *CLUSTER, "aurora-prod-restored", "--latest", "--yes"],
    ["snapshot", *CLUSTER, "--yes"],
    ["copy-snapshot", "nightly", "--to-region", "us-west-2", "--kms-key", "k"],
    ["export-snapshot", "nightly", "--bucket", "b", "--role-arn", "r", "--kms-key", "k"],
    ["wake", *CLUSTER],
    ["sql", "SELECT 1", *CLUSTER],
    ["seed", *CLUSTER],
    ["seed", "--cluster-arn", "arn:aws:rds:us-east-1:1:cluster:c", "--secret-arn", "arn:aws:secretsmanager:us-east-1:1:secret:s"],
    ["client", "start", "--instance-id", "i-0123456789abcdef0"],
]


@pytest.mark.parametrize("argv", AWS_COMMANDS, ids=lambda argv: argv[0])
def test_an_endpoint_that_is_not_aws_ends_in_one_error_line(not_aws, argv):
    code, out, err = run(argv)
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "not an AWS response" in err and "<" not in err, err
    assert "Traceback" not in err and "unexpected" not in err


def test_a_profile_that_is_not_configured_is_named_in_one_error_line(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_PROFILE", "nosuchprofile")
    out, err = io.StringIO(), io.StringIO()
    code = main(["--cluster", "x", "status"], stdout=out, stderr=err, environ={})
    assert (code, out.getvalue()) == (1, "")
    assert_one_error_line(code, "", err.getvalue(), 1, "AWS profile 'nosuchprofile' is not configured")
    assert "not an AWS response" not in err.getvalue()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NoRegionError(), "no AWS region: pass --region"),
        (NoCredentialsError(), "no AWS credentials found"),
        (PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), "AWS_SECRET_ACCESS_KEY"),
    ],
    ids=lambda value: type(value).__name__,
)
def test_botocore_configuration_errors_are_not_called_endpoint_errors(error, expected):
    try:
        raise error
    except type(error) as raised:
        line = one_line(raised)
    assert expected in line and "not an AWS response" not in line


class NoRegionSession(StubSession):
    region_name = None


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["failover"],
        ["backtrack", "--minutes-ago", "5"],
        ["clone", "c2"],
        ["restore", "r2", "--latest"],
        ["snapshot"],
        ["wake"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_missing_cluster_is_a_usage_error_before_the_region_is_looked_for(command):
    code, out, err = run(command, NoRegionSession())
    assert_one_error_line(code, out, err, 2, "say which cluster: --cluster ID or --stack NAME")
