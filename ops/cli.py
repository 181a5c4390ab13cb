"""`python -m ops`: the command line for operating the workshop's clusters.

Results go to standard output (text, or one JSON document with --json); progress and questions go
to standard error, so `--json` output stays machine-readable. A failure ends with one line,
`error: ...`, and exit status 1; a usage error exits 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from . import cluster_ops, seed, snapshot_ops
from .cluster_ops import Waiting, parse_time
from .data_api import describe
from .errors import OperationError
from .stack_outputs import read_stack_outputs, require


@dataclass
class Context:
    """What a command needs: parsed arguments, AWS clients, and the terminal."""

    args: argparse.Namespace
    session: Any
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    read_outputs: Callable[[str], dict[str, Any]]
    waiting: Waiting = field(default_factory=Waiting)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    _outputs: dict[str, Any] | None = field(default=None, repr=False)

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.args.region)

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
        raise OperationError("say which cluster: --cluster ID or --stack NAME (before the command)")

    def confirm(self, question: str) -> None:
        """Ask before changing a live database; --yes answers for the user. Raises when declined."""
        if self.args.yes:
            return
        if not self.stdin.isatty():
            raise OperationError("not confirmed: standard input is not a terminal; pass --yes to proceed")
        self.stderr.write(f"{question} [y/N] ")
        self.stderr.flush()
        if self.stdin.readline().strip().lower() not in ("y", "yes"):
            raise OperationError("not confirmed: nothing was changed")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--stack", help="read identifiers from this Pulumi stack's outputs (e.g. dev)")
    target.add_argument("--cluster", help="RDS cluster identifier")
    parser.add_argument("--region", help="AWS region (default: boto3's configuration)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--yes", action="store_true", help="answer yes to confirmations (for scripts)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for an operation (default 1800)")


def _time_argument(text: str) -> datetime:
    try:
        return parse_time(text)
    except OperationError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ops",
        description="Operate the workshop's Aurora clusters. boto3's own settings apply (AWS_PROFILE, AWS_ENDPOINT_URL).",
    )
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seeding = commands.add_parser(
        "seed",
        help="apply the sample-data SQL files",
        description=(
            "Apply sql/sample-data/*.sql (one transaction per file; safe to repeat). Through the Data API with "
            "--stack or --cluster-arn/--secret-arn, or over a direct connection with --host (password from MYSQL_PWD)."
        ),
    )
    seeding.add_argument("--cluster-arn", help="cluster ARN for the Data API")
    seeding.add_argument("--secret-arn", help="Secrets Manager secret ARN for the Data API")
    seeding.add_argument("--host", help="connect directly to this MySQL host instead of the Data API")
    seeding.add_argument("--port", type=int, default=3306, help="MySQL port (default 3306)")
    seeding.add_argument("--user", help="MySQL user for --host (password from MYSQL_PWD)")
    seeding.add_argument("--ssl-ca", help="CA bundle to verify the server's TLS certificate")
    seeding.set_defaults(handler=run_seed)

    commands.add_parser(
        "status",
        help="cluster, instances, capacity, backtrack and maintenance",
        description="State, engine version, writer and readers with AZs and promotion tiers, serverless capacity, "
        "backtrack window, latest restorable time and pending maintenance actions.",
    ).set_defaults(handler=lambda c: cluster_ops.status(c.client("rds"), c.cluster_id()))

    failing_over = commands.add_parser(
        "failover",
        help="promote a reader to writer and time it",
        description="Show the current and expected writer, ask for confirmation, fail over, wait, and report the "
        "seconds until the new writer was available.",
    )
    failing_over.add_argument("--target", help="reader to promote (default: the lowest promotion tier)")
    failing_over.set_defaults(
        handler=lambda c: cluster_ops.failover(c.client("rds"), c.cluster_id(), c.args.target, c.confirm, c.progress, c.waiting)
    )

    backtracking = commands.add_parser(
        "backtrack",
        help="rewind the cluster in place",
        description="Check that the time is inside the backtrack window, confirm, backtrack, wait and report.",
    )
    when = backtracking.add_mutually_exclusive_group(required=True)
    when.add_argument("--to", type=_time_argument, help="ISO 8601 time, e.g. 2026-11-26T14:30:00Z")
    when.add_argument("--minutes-ago", type=float, help="minutes before now")
    backtracking.set_defaults(handler=run_backtrack)

    cloning = commands.add_parser(
        "clone",
        help="copy-on-write clone with one instance",
        description="Clone the cluster (copy-on-write, same region), add an instance like the writer, wait, print the endpoint.",
    )
    cloning.add_argument("name", help="identifier of the new cluster")
    cloning.set_defaults(handler=lambda c: cluster_ops.clone(c.client("rds"), c.cluster_id(), c.args.name, c.progress, c.waiting))

    restoring = commands.add_parser(
        "restore",
        help="point-in-time restore into a new cluster",
        description="Restore the cluster as of a time (or the latest restorable time) into a new cluster with one instance.",
    )
    restoring.add_argument("name", help="identifier of the new cluster")
    point = restoring.add_mutually_exclusive_group(required=True)
    point.add_argument("--to", type=_time_argument, help="ISO 8601 time")
    point.add_argument("--latest", action="store_true", help="the latest restorable time (about 5 minutes ago)")
    restoring.set_defaults(
        handler=lambda c: cluster_ops.restore_to_time(
            c.client("rds"), c.cluster_id(), c.args.name, c.args.to, c.progress, c.waiting
        )
    )

    snapshotting = commands.add_parser(
        "snapshot",
        help="take a manual cluster snapshot",
        description="Take a manual snapshot (kept until deleted) and wait until it is available.",
    )
    snapshotting.add_argument("name", nargs="?", help="snapshot identifier (default: <cluster>-<UTC time>)")
    snapshotting.set_defaults(
        handler=lambda c: cluster_ops.snapshot(c.client("rds"), c.cluster_id(), c.args.name, c.progress, c.waiting, c.now())
    )

    copying = commands.add_parser(
        "copy-snapshot",
        help="copy a cluster snapshot to another region",
        description="Copy a cluster snapshot into another region (disaster recovery) and wait until the copy is available.",
    )
    copying.add_argument("snapshot", help="cluster snapshot identifier in this region")
    copying.add_argument("--to-region", required=True, help="destination region")
    copying.add_argument("--kms-key", help="KMS key ARN in the destination region (required for encrypted snapshots)")
    copying.set_defaults(handler=run_copy_snapshot)

    exporting = commands.add_parser(
        "export-snapshot",
        help="export a cluster snapshot to S3 as Parquet",
        description="Start an export of a cluster snapshot to S3 (Parquet). Exports take long: this starts the task and prints how to follow it.",
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

    commands.add_parser(
        "wake",
        help="resume a paused serverless cluster and time it",
        description="Query the cluster through the Data API, retrying while it resumes from auto-pause, and report how long it took.",
    ).set_defaults(
        handler=lambda c: snapshot_ops.wake(
            c.client("rds"), c.client("rds-data"), c.cluster_id(), c.waiting.clock, c.waiting.sleep, c.progress
        )
    )
    return parser


def run_copy_snapshot(context: Context) -> dict[str, Any]:
    source = context.client("rds")
    source_region = source.meta.region_name
    target = context.session.client("rds", region_name=context.args.to_region)
    return snapshot_ops.copy_to_region(
        source,
        target,
        context.args.snapshot,
        source_region,
        context.args.to_region,
        context.args.kms_key,
        context.progress,
        context.waiting,
    )


def run_backtrack(context: Context) -> dict[str, Any]:
    now = context.now()
    to = context.args.to or now - timedelta(minutes=context.args.minutes_ago)
    return cluster_ops.backtrack(
        context.client("rds"), context.cluster_id(), to, context.confirm, context.progress, context.waiting, now
    )


def run_seed(context: Context) -> dict[str, Any]:
    args = context.args
    if args.host:
        if not args.user:
            raise OperationError("--host needs --user (and the password in MYSQL_PWD)")
        return seed.seed_directly(args.host, args.port, args.user, args.ssl_ca, context.progress)
    if args.stack:
        cluster_arn, secret_arn = context.stack_output("clusterArn"), context.stack_output("secretArn")
    elif args.cluster_arn and args.secret_arn:
        cluster_arn, secret_arn = args.cluster_arn, args.secret_arn
    else:
        raise OperationError("say where to seed: --stack NAME, --cluster-arn with --secret-arn, or --host with --user")
    return seed.seed_through_data_api(context.client("rds-data"), cluster_arn, secret_arn, context.progress)


def _print_result(result: dict[str, Any], as_json: bool, out: TextIO) -> None:
    if as_json:
        json.dump(result, out, indent=2, default=str)
        out.write("\n")
        return
    for key, value in result.items():
        if isinstance(value, list):
            out.write(f"{key}:\n")
            for item in value:
                out.write(f"  {item}\n")
        else:
            out.write(f"{key}: {value}\n")


def main(
    argv: list[str] | None = None,
    session: Any = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    read_outputs: Callable[[str], dict[str, Any]] = read_stack_outputs,
    waiting: Waiting | None = None,
    now: Callable[[], datetime] | None = None,
) -> int:
    args = build_parser().parse_args(argv)
    try:
        context = Context(args, session or boto3.session.Session(), stdin, stdout, stderr, read_outputs)
        if waiting is not None:
            context.waiting = waiting
        if now is not None:
            context.now = now
        context.waiting.timeout_seconds = args.timeout
        result = args.handler(context)
    except OperationError as error:
        print(f"error: {error}", file=stderr)
        return 1
    except NoCredentialsError:
        print("error: no AWS credentials found: configure a profile (AWS_PROFILE) or environment credentials", file=stderr)
        return 1
    except NoRegionError:
        print("error: no AWS region: pass --region or set AWS_REGION", file=stderr)
        return 1
    except (ClientError, BotoCoreError) as error:
        print(f"error: {describe(error)}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the operation may still be running in AWS: check `python -m ops status`", file=stderr)
        return 130
    _print_result(result, args.json, stdout)
    return 0
