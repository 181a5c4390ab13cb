"""`python -m ops`: the command line for operating the workshop's clusters.

Results go to standard output (aligned text, or one JSON document with --json); progress and
questions go to standard error, so `--json` output stays machine-readable. A failure ends with one
line, `error: ...`, and exit status 1; a usage error exits 2; nothing prints a traceback.
Global options (--stack, --cluster, --region, --json, --yes, --timeout) work before or after the
command, as with `aws` and `pulumi`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import boto3
from botocore.config import Config

from awscalls.data_api import field_value
from awscalls.errors import AWS_FAILURES, OperationError, one_line, raised_inside_botocore
from awsfacts.limits import MAX_BACKTRACK_HOURS

from . import client, cluster_ops, failover, new_cluster, pause_check, query, seed, snapshot_ops, status
from .cluster_ops import Waiting, parse_time
from .render import lines
from .stack_outputs import read_stack_config, read_stack_outputs, require
from .targets import DataApiTarget, data_api_off, from_cluster, require_data_api

# The backtrack window's limit, as the settings check it (aws-facts: "Backtrack").
MAX_BACKTRACK_MINUTES = MAX_BACKTRACK_HOURS * 60
MAX_TIMEOUT_SECONDS = 24 * 3600
# pause-check reads 1-minute points, which CloudWatch keeps for 15 days; 3 days keeps one call small.
MAX_PAUSE_CHECK_HOURS = 72
# A probe that hangs would hide the failover it measures: short timeouts, no retries.
PROBE_CLIENT = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1})


class UsageError(Exception):
    """A command line argparse refused, or one that lacks what says which resource to act on;
    printed as one `error:` line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own hook; raising keeps the output one line
        raise UsageError(f"{message} (see `{self.prog} --help`)")


@dataclass
class Context:
    """What a command needs: parsed arguments, AWS clients, and the terminal."""

    args: argparse.Namespace
    session: Any
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    read_outputs: Callable[[str], dict[str, Any]]
    read_config: Callable[[str, str], str | None]
    environ: Mapping[str, str]
    waiting: Waiting = field(default_factory=Waiting)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    _outputs: dict[str, Any] | None = field(default=None, repr=False)
    _region: str | None = field(default=None, repr=False)

    def client(self, service: str, config: Config | None = None) -> Any:
        options = {"config": config} if config else {}
        return self.session.client(service, region_name=self.region(), **options)

    def region(self) -> str:
        """--region; else the stack's (clusterArn output, then `aws:region` config); else
        AWS_REGION, AWS_DEFAULT_REGION, the profile's region. The error names what was tried."""
        if self._region is None:
            self._region = self._find_region()
        return self._region

    def _find_region(self) -> str:
        if self.args.region:
            return self.args.region
        tried = ["--region"]
        if self.args.stack:
            arn = self.stack_outputs().get("clusterArn", "")
            if arn.count(":") >= 4 and arn.split(":")[3]:
                return arn.split(":")[3]
            configured = self.read_config(self.args.stack, "aws:region")
            if configured:
                return configured
            tried.append(f"stack {self.args.stack!r} (clusterArn output, aws:region config)")
        for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            if self.environ.get(variable):
                return self.environ[variable]
            tried.append(variable)
        profile_region = getattr(self.session, "region_name", None)
        if profile_region:
            return profile_region
        tried.append("the AWS profile's region")
        raise OperationError(f"no AWS region: tried {', '.join(tried)}; pass --region REGION")

    def progress(self, message: str) -> None:
        print(message, file=self.stderr, flush=True)

    def stack_outputs(self) -> dict[str, Any]:
        if self._outputs is None:
            self._outputs = self.read_outputs(self.args.stack)
        return self._outputs

    def stack_output(self, key: str) -> Any:
        return require(self.stack_outputs(), key, self.args.stack)

    def cluster_id(self) -> str:
        if self.args.cluster:
            return self.args.cluster
        if self.args.stack:
            return self.stack_output("clusterIdentifier")
        raise UsageError("say which cluster: --cluster ID or --stack NAME")

    def data_api_target(self) -> DataApiTarget:
        """--cluster-arn with --secret-arn; else the stack's outputs; else the cluster's managed secret."""
        arn, secret = getattr(self.args, "cluster_arn", None), getattr(self.args, "secret_arn", None)
        if arn or secret:
            if not (arn and secret):
                raise UsageError("--cluster-arn and --secret-arn go together: pass both")
            return DataApiTarget(arn, secret)
        if self.args.stack:
            return DataApiTarget(self.stack_output("clusterArn"), self.stack_output("secretArn"))
        if self.args.cluster:
            return from_cluster(cluster_ops.describe_cluster(self.client("rds"), self.args.cluster))
        raise UsageError("say which cluster: --stack NAME, --cluster ID, or --cluster-arn with --secret-arn")

    def confirm(self, question: str) -> None:
        """Ask before changing a live database or creating what is billed until deleted; --yes
        answers for the user. Raises when declined."""
        if self.args.yes:
            return
        if not self.stdin.isatty():
            raise OperationError("not confirmed: standard input is not a terminal; pass --yes to proceed")
        self.stderr.write(f"{question} [y/N] ")
        self.stderr.flush()
        if self.stdin.readline().strip().lower() not in ("y", "yes"):
            raise OperationError("not confirmed: nothing was changed")


def bounded_number(what: str, high: float) -> Callable[[str], float]:
    """An argparse type: a number above 0 and at most `high`. nan fails every comparison and inf
    and 1e12 exceed `high`, so all three are refused."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not 0 < value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed: give {what} above 0 and at most {high:g}")
        return value

    return parse


def port_number(text: str) -> int:
    if not (text.isascii() and text.isdecimal() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port: give a whole number from 1 to 65535")
    return int(text)


def _time_argument(text: str) -> datetime:
    try:
        return parse_time(text)
    except OperationError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _global_options(top_level: bool) -> Parser:
    """The options every command takes. On the commands their defaults are suppressed, so a value
    given before the command is not reset by the command's parser."""
    parser = Parser(add_help=False)
    group = parser.add_argument_group("global options (before or after the command)")

    def default(value: Any) -> Any:
        return value if top_level else argparse.SUPPRESS

    group.add_argument("--stack", default=default(None), help="read identifiers from this Pulumi stack's outputs (e.g. dev)")
    group.add_argument("--cluster", default=default(None), help="RDS cluster identifier")
    group.add_argument(
        "--region", default=default(None), help="AWS region (default: the stack's, AWS_REGION, AWS_DEFAULT_REGION, the profile's)"
    )
    group.add_argument("--json", action="store_true", default=default(False), help="print the result as JSON")
    group.add_argument("--yes", action="store_true", default=default(False), help="answer yes to confirmations (for scripts)")
    group.add_argument(
        "--timeout",
        type=bounded_number("seconds", MAX_TIMEOUT_SECONDS),
        default=default(1800.0),
        help=f"seconds to wait for an operation (default 1800, at most {MAX_TIMEOUT_SECONDS})",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m ops",
        description="Operate the workshop's Aurora clusters. boto3's own settings apply (AWS_PROFILE, AWS_ENDPOINT_URL).",
        parents=[_global_options(top_level=True)],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = [_global_options(top_level=False)]

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=description, parents=shared)

    seeding = command(
        "seed",
        "apply the sample-data SQL files",
        "Apply sql/sample-data/*.sql (one transaction per file; safe to repeat). Through the Data API with --stack, "
        "--cluster or --cluster-arn/--secret-arn, or over a direct TLS connection with --host (password from MYSQL_PWD).",
    )
    _data_api_target_options(seeding)
    seeding.add_argument("--host", help="connect directly to this MySQL host instead of the Data API")
    seeding.add_argument("--port", type=port_number, default=3306, help="MySQL port (default 3306)")
    seeding.add_argument("--user", help="MySQL user for --host (password from MYSQL_PWD)")
    seeding.add_argument(
        "--ssl-ca", help=f"CA bundle that verifies the server (default: {seed.CLIENT_HOST_CA_BUNDLE} when it exists)"
    )
    seeding.add_argument("--allow-plaintext", action="store_true", help="connect without TLS (a local test database only)")
    seeding.set_defaults(handler=run_seed)

    command(
        "status",
        "cluster, instances, capacity, backtrack and maintenance",
        "State, engine version, writer and readers with zones and promotion tiers, serverless capacity, backtrack "
        "window, latest restorable time, pending maintenance of the cluster and its instances (required or available) "
        "and the next maintenance window; with --stack, whether the stack's client host is running. Reads it may not "
        "make are named, the rest is still shown.",
    ).set_defaults(handler=run_status, needs_cluster=True)

    client_host = command(
        "client",
        "the client host (start it after its idle stop)",
        "Operate the stack's client host, which stops itself after clientIdleStopMinutes of low CPU.",
    )
    client_commands = client_host.add_subparsers(dest="client_command", required=True, metavar="ACTION")
    starting = client_commands.add_parser(
        "start",
        help="start the host and wait until SSM reports it online",
        description="Start the client host (from --stack's clientInstanceId output, or --instance-id), wait until it "
        "runs and Systems Manager reports it Online, and print the command that opens a session.",
        parents=shared,
    )
    starting.add_argument("--instance-id", help="EC2 instance id of the client host (default: the stack's clientInstanceId)")
    starting.set_defaults(handler=run_client_start)

    running_sql = command(
        "sql",
        "run one SQL statement through the Data API",
        "Run one statement through the RDS Data API, waiting while a paused cluster resumes, and print the rows as a "
        "table (or --json). A statement other than SELECT, SHOW, DESCRIBE or EXPLAIN asks for confirmation (or --yes).",
    )
    running_sql.add_argument("statement", help='the SQL statement, e.g. "SELECT * FROM tutorial.planet"')
    running_sql.add_argument("--database", help="default database for the statement")
    _data_api_target_options(running_sql)
    running_sql.set_defaults(handler=run_sql, render=query.text_lines)

    failing_over = command(
        "failover",
        "promote a reader to writer and time it",
        "Show the current and expected writer, ask for confirmation, fail over, wait, and report the seconds until the "
        "new writer was available; with --probe, also the seconds during which writes failed.",
    )
    failing_over.add_argument("--target", help="reader to promote (default: AWS's choice, lowest promotion tier)")
    failing_over.add_argument(
        "--probe", action="store_true", help="probe the writer through the Data API every second and report failed-write seconds"
    )
    failing_over.set_defaults(handler=run_failover, needs_cluster=True)

    backtracking = command(
        "backtrack",
        "rewind the cluster in place",
        "Check that the time is inside the backtrack window, confirm, backtrack, wait and report.",
    )
    when = backtracking.add_mutually_exclusive_group(required=True)
    when.add_argument("--to", type=_time_argument, help="ISO 8601 time, e.g. 2026-11-26T14:30:00Z")
    when.add_argument(
        "--minutes-ago",
        type=bounded_number("minutes", MAX_BACKTRACK_MINUTES),
        help=f"minutes before now (at most {MAX_BACKTRACK_HOURS} hours)",
    )
    backtracking.set_defaults(handler=run_backtrack, needs_cluster=True)

    cloning = command(
        "clone",
        "copy-on-write clone with one instance",
        "Clone the cluster (copy-on-write, same region) with its parameter group, network, key, log exports, IAM "
        "authentication, deletion protection, tags and capacity; add an instance like the writer; wait; print the endpoint.",
    )
    cloning.add_argument("name", help="identifier of the new cluster (at most 52 characters: its instance adds -instance-1)")
    cloning.set_defaults(
        needs_cluster=True,
        handler=lambda c: new_cluster.clone(c.client("rds"), c.cluster_id(), c.args.name, c.confirm, c.progress, c.waiting),
    )

    restoring = command(
        "restore",
        "point-in-time restore into a new cluster",
        "Restore the cluster as of a time (or the latest restorable time) into a new cluster with the source's "
        "settings and one instance like the writer.",
    )
    restoring.add_argument("name", help="identifier of the new cluster (at most 52 characters)")
    point = restoring.add_mutually_exclusive_group(required=True)
    point.add_argument("--to", type=_time_argument, help="ISO 8601 time")
    point.add_argument("--latest", action="store_true", help="the latest restorable time (about 5 minutes ago)")
    restoring.set_defaults(
        needs_cluster=True,
        handler=lambda c: new_cluster.restore_to_time(
            c.client("rds"), c.cluster_id(), c.args.name, c.args.to, c.confirm, c.progress, c.waiting
        ),
    )

    snapshotting = command(
        "snapshot",
        "take a manual cluster snapshot",
        "Take a manual snapshot (kept until deleted) and wait until it is available.",
    )
    snapshotting.add_argument("name", nargs="?", help="snapshot identifier (default: <cluster>-<UTC time>)")
    snapshotting.set_defaults(
        needs_cluster=True,
        handler=lambda c: cluster_ops.snapshot(
            c.client("rds"), c.cluster_id(), c.args.name, c.confirm, c.progress, c.waiting, c.now()
        ),
    )

    copying = command(
        "copy-snapshot",
        "copy a cluster snapshot to another region",
        "Copy a cluster snapshot (manual, or automated rds:...) into another region as <snapshot>-<region>-<UTC time> "
        "and wait until the copy is available.",
    )
    copying.add_argument("snapshot", help="cluster snapshot identifier in this region")
    copying.add_argument("--to-region", required=True, help="destination region")
    copying.add_argument("--kms-key", help="KMS key ARN in the destination region (required for encrypted snapshots)")
    copying.set_defaults(handler=run_copy_snapshot)

    exporting = command(
        "export-snapshot",
        "export a cluster snapshot to S3 as Parquet",
        "Start an export of a cluster snapshot to S3 (Parquet) as task <snapshot>-export-<UTC time>. Exports take long: "
        "this starts the task and prints how to follow it.",
    )
    exporting.add_argument("snapshot", help="cluster snapshot identifier")
    exporting.add_argument("--bucket", required=True, help="S3 bucket name")
    exporting.add_argument(
        "--role-arn", required=True, help="IAM role trusted by export.rds.amazonaws.com with write access to the bucket"
    )
    exporting.add_argument("--kms-key", required=True, help="symmetric KMS key ARN that encrypts the export")
    exporting.set_defaults(
        handler=lambda c: snapshot_ops.export_to_s3(
            c.client("rds"), c.args.snapshot, c.args.bucket, c.args.role_arn, c.args.kms_key, c.now(), c.progress
        )
    )

    command(
        "wake",
        "resume a paused serverless cluster and time it",
        "Query the cluster through the Data API, retrying while it resumes from auto-pause, and report how long it took.",
    ).set_defaults(handler=run_wake, needs_cluster=True)

    checking_pause = command(
        "pause-check",
        "why a scale-to-zero serverless cluster is not pausing",
        "For a Serverless v2 cluster with minimum capacity 0: a verdict line, then the evidence: open connections and "
        "connection attempts (CloudWatch), the sessions the Data API sees, each feature the Aurora User Guide says "
        "prevents auto-pause (RDS Proxy, Global Database, binlog replication, zero-ETL, provisioned instances, "
        "promotion tiers), and the capacity history. Read-only; only the sessions query can resume a paused writer, "
        "so by default it runs only while the writer is awake.",
    )
    checking_pause.add_argument(
        "--hours",
        type=bounded_number("hours", MAX_PAUSE_CHECK_HOURS),
        default=3.0,
        help=f"how far back to read CloudWatch (default 3, at most {MAX_PAUSE_CHECK_HOURS})",
    )
    checking_pause.add_argument(
        "--sessions",
        choices=pause_check.SESSION_CHOICES,
        default="auto",
        help="query the writer's sessions through the Data API: auto (only while it is awake; default), always (resumes "
        "a paused writer), never",
    )
    checking_pause.set_defaults(handler=run_pause_check, needs_cluster=True, render=pause_check.text_lines)
    return parser


def _data_api_target_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cluster-arn", help="cluster ARN for the Data API (with --secret-arn)")
    parser.add_argument("--secret-arn", help="Secrets Manager secret ARN for the Data API (with --cluster-arn)")


def run_status(context: Context) -> dict[str, Any]:
    result = status.status(context.client("rds"), context.cluster_id(), context.now())
    if context.args.stack and "clientInstanceId" in context.stack_outputs():
        result["clientHost"] = client.host_state(context.client("ec2"), context.stack_output("clientInstanceId"))
    return result


def run_client_start(context: Context) -> dict[str, Any]:
    instance_id = context.args.instance_id
    if not instance_id:
        if not context.args.stack:
            raise UsageError("say which client host: --stack NAME (its clientInstanceId output) or --instance-id ID")
        outputs = context.stack_outputs()
        if "clientInstanceId" not in outputs:
            raise OperationError(f"stack {context.args.stack!r} has no client host (output clientInstanceId): set client: ssm")
        instance_id = outputs["clientInstanceId"]
    return client.start(
        context.client("ec2"), context.client("ssm"), instance_id, context.region(), context.progress, context.waiting
    )


def run_wake(context: Context) -> dict[str, Any]:
    cluster_id = context.cluster_id()
    require_data_api(context.client("rds"), cluster_id)
    return snapshot_ops.wake(
        context.client("rds"),
        context.client("rds-data"),
        cluster_id,
        context.waiting.clock,
        context.waiting.sleep,
        context.progress,
    )


def run_pause_check(context: Context) -> dict[str, Any]:
    return pause_check.pause_check(
        context.client("rds"),
        context.client("cloudwatch"),
        lambda: context.client("rds-data"),
        context.cluster_id(),
        context.args.hours,
        context.args.sessions,
        context.now(),
        context.progress,
        context.waiting.sleep,
    )


def run_copy_snapshot(context: Context) -> dict[str, Any]:
    source = context.client("rds")
    target = context.session.client("rds", region_name=context.args.to_region)
    return snapshot_ops.copy_to_region(
        source,
        target,
        context.args.snapshot,
        context.region(),
        context.args.to_region,
        context.args.kms_key,
        context.progress,
        context.waiting,
        context.now(),
    )


def run_backtrack(context: Context) -> dict[str, Any]:
    now = context.now()
    to = context.args.to or now - timedelta(minutes=context.args.minutes_ago)
    return cluster_ops.backtrack(
        context.client("rds"), context.cluster_id(), to, context.confirm, context.progress, context.waiting, now
    )


def run_failover(context: Context) -> dict[str, Any]:
    rds = context.client("rds")
    cluster_id = context.cluster_id()
    probe = None
    if context.args.probe:
        cluster = cluster_ops.describe_cluster(rds, cluster_id)
        if not cluster.get("HttpEndpointEnabled"):
            raise OperationError(f"{data_api_off(cluster_id, cluster['DBClusterArn'])}; or drop --probe, which writes through it")
        target = from_cluster(cluster)
        data_api = context.client("rds-data", PROBE_CLIENT)

        def writer_takes_writes() -> bool:
            # A read-only answer means the endpoint still reaches an instance that cannot write.
            response = data_api.execute_statement(**target.request(), sql="SELECT @@global.innodb_read_only")
            return field_value(response["records"][0][0]) in (0, False)

        probe = failover.WriteProbe(writer_takes_writes, context.waiting.clock)
    return failover.failover(rds, cluster_id, context.args.target, context.confirm, context.progress, context.waiting, probe)


def run_sql(context: Context) -> dict[str, Any]:
    query.single_statement(context.args.statement)
    target = context.data_api_target()
    require_data_api(context.client("rds"), target.cluster_arn)
    return query.run_sql(
        context.client("rds-data"),
        target,
        context.args.statement,
        context.args.database,
        context.confirm,
        context.progress,
        context.waiting.sleep,
    )


def run_seed(context: Context) -> dict[str, Any]:
    args = context.args
    if args.host:
        if not args.user:
            raise UsageError("--host needs --user (and the password in MYSQL_PWD)")
        return seed.seed_directly(args.host, args.port, args.user, args.ssl_ca, args.allow_plaintext, context.progress)
    if not (args.stack or args.cluster or args.cluster_arn or args.secret_arn):
        raise UsageError("say where to seed: --stack NAME, --cluster ID, --cluster-arn with --secret-arn, or --host with --user")
    target = context.data_api_target()
    require_data_api(context.client("rds"), target.cluster_arn)
    return seed.seed_through_data_api(context.client("rds-data"), target, context.progress)


def _print_result(result: dict[str, Any], args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        json.dump(result, out, indent=2, default=str)
        out.write("\n")
        return
    render = getattr(args, "render", lines)
    out.write("".join(f"{line}\n" for line in render(result)))


def main(
    argv: list[str] | None = None,
    session: Any = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    read_outputs: Callable[[str], dict[str, Any]] = read_stack_outputs,
    waiting: Waiting | None = None,
    now: Callable[[], datetime] | None = None,
    read_config: Callable[[str, str], str | None] = read_stack_config,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run one command; its exit status. A reader that closes the pipe early (`ops --json status |
    head -1`) is normal for a command line: the command then ends quietly with status 1, as the
    `signal` module's "Note on SIGPIPE" in Python's documentation advises."""
    try:
        try:
            return _run(argv, session, stdin, stdout, stderr, read_outputs, waiting, now, read_config, environ)
        finally:
            stdout.flush()  # a reader that left shows here, inside this `try`, not at interpreter exit
    except BrokenPipeError:
        _discard_output_of_closed_pipes(stdout, stderr)
        return 1


def _discard_output_of_closed_pipes(*streams: TextIO) -> None:
    """Point the streams' descriptors at os.devnull, so the flush at interpreter exit finds no closed
    pipe to fail on again (Python's documentation, `signal` module, "Note on SIGPIPE")."""
    for stream in streams:
        try:
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):  # io.StringIO and other streams without a descriptor
            continue
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


def _run(
    argv: list[str] | None,
    session: Any,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    read_outputs: Callable[[str], dict[str, Any]],
    waiting: Waiting | None,
    now: Callable[[], datetime] | None,
    read_config: Callable[[str, str], str | None],
    environ: Mapping[str, str] | None,
) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.stack and args.cluster:
            raise UsageError("--stack and --cluster name the cluster twice: give one (see `python -m ops --help`)")
    except UsageError as error:
        print(f"error: {error}", file=stderr)
        return 2
    try:
        context = Context(
            args,
            session or boto3.session.Session(),
            stdin,
            stdout,
            stderr,
            read_outputs,
            read_config,
            os.environ if environ is None else environ,
        )
        if waiting is not None:
            context.waiting = waiting
        if now is not None:
            context.now = now
        context.waiting.timeout_seconds = args.timeout
        if getattr(args, "needs_cluster", False):
            context.cluster_id()  # a missing --cluster/--stack is a usage error before anything else is resolved
        result = args.handler(context)
        _print_result(result, args, stdout)
    except UsageError as error:
        print(f"error: {error}", file=stderr)
        return 2
    except OperationError as error:
        print(f"error: {error}", file=stderr)
        return 1
    except AWS_FAILURES as error:
        print(f"error: {one_line(error)}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the operation may still be running in AWS: check `python -m ops status`", file=stderr)
        return 130
    except BrokenPipeError:
        raise  # the reader left: `main` ends quietly
    except Exception as error:  # noqa: BLE001 (the promise is one line, never a traceback, even for a defect)
        if raised_inside_botocore(error):
            print(f"error: {one_line(error)}", file=stderr)
            return 1
        first = (str(error).strip().splitlines() or [""])[0]
        print(f"error: unexpected {type(error).__name__}: {first} (a defect in ops: please report it)", file=stderr)
        return 1
    return 0
