"""The `python -m ops` commands: each one's `add_*` declares its arguments, right above the `run_*`
that carries it out with a `Context`. COMMANDS lists them in the order `--help` shows them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from botocore.config import Config

from awscalls.data_api import field_value
from awscalls.errors import OperationError
from awsfacts.limits import MAX_BACKTRACK_HOURS

from . import adopt, client, cluster_ops, failover, new_cluster, pause_check, query, seed, snapshot_ops, status
from .adopt_file import stack_file_text, write_stack_file
from .adopt_reads import read_live
from .arguments import Subcommands, UsageError, bounded_number, data_api_target_options, port_number, time_argument
from .context import Context
from .targets import data_api_off, from_cluster, require_data_api

# The backtrack window's limit, as the settings check it (aws-facts: "Backtrack").
MAX_BACKTRACK_MINUTES = MAX_BACKTRACK_HOURS * 60
# pause-check reads 1-minute points, which CloudWatch keeps for 15 days; 3 days keeps one call small.
MAX_PAUSE_CHECK_HOURS = 72
# A probe that hangs would hide the failover it measures: short timeouts, no retries.
PROBE_CLIENT = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1})


def add_seed(commands: Subcommands) -> None:
    seeding = commands.add(
        "seed",
        "apply the sample-data SQL files",
        "Apply sql/sample-data/*.sql (one transaction per file; safe to repeat). Through the Data API with --stack, "
        "--cluster or --cluster-arn/--secret-arn, or over a direct TLS connection with --host (password from MYSQL_PWD).",
    )
    data_api_target_options(seeding)
    seeding.add_argument("--host", help="connect directly to this MySQL host instead of the Data API")
    seeding.add_argument("--port", type=port_number, default=3306, help="MySQL port (default 3306)")
    seeding.add_argument("--user", help="MySQL user for --host (password from MYSQL_PWD)")
    seeding.add_argument(
        "--ssl-ca", help=f"CA bundle that verifies the server (default: {seed.CLIENT_HOST_CA_BUNDLE} when it exists)"
    )
    seeding.add_argument("--allow-plaintext", action="store_true", help="connect without TLS (a local test database only)")
    seeding.set_defaults(handler=run_seed)


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


def add_status(commands: Subcommands) -> None:
    commands.add(
        "status",
        "cluster, instances, capacity, backtrack and maintenance",
        "State, engine version, writer and readers with zones and promotion tiers, serverless capacity, backtrack "
        "window, latest restorable time, pending maintenance of the cluster and its instances (required or available) "
        "and the next maintenance window; with --stack, whether the stack's client host is running. Reads it may not "
        "make are named, the rest is still shown.",
    ).set_defaults(handler=run_status, needs_cluster=True)


def run_status(context: Context) -> dict[str, Any]:
    result = status.status(context.client("rds"), context.cluster_id(), context.now())
    if context.args.stack and "clientInstanceId" in context.stack_outputs():
        result["clientHost"] = client.host_state(context.client("ec2"), context.stack_output("clientInstanceId"))
    return result


def add_client(commands: Subcommands) -> None:
    client_host = commands.add(
        "client",
        "the client host (start it after its idle stop)",
        "Operate the stack's client host, which stops itself after clientIdleStopMinutes of low CPU.",
    )
    starting = Subcommands(client_host, dest="client_command", metavar="ACTION").add(
        "start",
        "start the host and wait until SSM reports it online",
        "Start the client host (from --stack's clientInstanceId output, or --instance-id), wait until it "
        "runs and Systems Manager reports it Online, and print the command that opens a session.",
    )
    starting.add_argument("--instance-id", help="EC2 instance id of the client host (default: the stack's clientInstanceId)")
    starting.set_defaults(handler=run_client_start)


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


def add_sql(commands: Subcommands) -> None:
    running_sql = commands.add(
        "sql",
        "run one SQL statement through the Data API",
        "Run one statement through the RDS Data API, waiting while a paused cluster resumes, and print the rows as a "
        "table (or --json). A statement other than SELECT, SHOW, DESCRIBE or EXPLAIN asks for confirmation (or --yes).",
    )
    running_sql.add_argument("statement", help='the SQL statement, e.g. "SELECT * FROM tutorial.planet"')
    running_sql.add_argument("--database", help="default database for the statement")
    data_api_target_options(running_sql)
    running_sql.set_defaults(handler=run_sql, render=query.text_lines)


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


def add_failover(commands: Subcommands) -> None:
    failing_over = commands.add(
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


def add_backtrack(commands: Subcommands) -> None:
    backtracking = commands.add(
        "backtrack",
        "rewind the cluster in place",
        "Check that the time is inside the backtrack window, confirm, backtrack, wait and report.",
    )
    when = backtracking.add_mutually_exclusive_group(required=True)
    when.add_argument("--to", type=time_argument, help="ISO 8601 time, e.g. 2026-11-26T14:30:00Z")
    when.add_argument(
        "--minutes-ago",
        type=bounded_number("minutes", MAX_BACKTRACK_MINUTES),
        help=f"minutes before now (at most {MAX_BACKTRACK_HOURS} hours)",
    )
    backtracking.set_defaults(handler=run_backtrack, needs_cluster=True)


def run_backtrack(context: Context) -> dict[str, Any]:
    now = context.now()
    to = context.args.to or now - timedelta(minutes=context.args.minutes_ago)
    return cluster_ops.backtrack(
        context.client("rds"),
        context.cluster_id(),
        to,
        context.confirm,
        context.progress,
        context.waiting,
        now,
        context.args.minutes_ago,
    )


def add_clone(commands: Subcommands) -> None:
    cloning = commands.add(
        "clone",
        "copy-on-write clone with one instance",
        "Clone the cluster (copy-on-write, same region) with its parameter group, network, key, log exports, IAM "
        "authentication, deletion protection, tags and capacity; add an instance like the writer; wait; print the endpoint.",
    )
    cloning.add_argument("name", help="identifier of the new cluster (at most 52 characters: its instance adds -instance-1)")
    cloning.set_defaults(handler=run_clone, needs_cluster=True)


def run_clone(context: Context) -> dict[str, Any]:
    return new_cluster.clone(
        context.client("rds"), context.cluster_id(), context.args.name, context.confirm, context.progress, context.waiting
    )


def add_restore(commands: Subcommands) -> None:
    restoring = commands.add(
        "restore",
        "point-in-time restore into a new cluster",
        "Restore the cluster as of a time (or the latest restorable time) into a new cluster with the source's "
        "settings and one instance like the writer.",
    )
    restoring.add_argument("name", help="identifier of the new cluster (at most 52 characters)")
    point = restoring.add_mutually_exclusive_group(required=True)
    point.add_argument("--to", type=time_argument, help="ISO 8601 time")
    point.add_argument("--latest", action="store_true", help="the latest restorable time (about 5 minutes ago)")
    restoring.set_defaults(handler=run_restore, needs_cluster=True)


def run_restore(context: Context) -> dict[str, Any]:
    return new_cluster.restore_to_time(
        context.client("rds"),
        context.cluster_id(),
        context.args.name,
        context.args.to,
        context.confirm,
        context.progress,
        context.waiting,
    )


def add_snapshot(commands: Subcommands) -> None:
    snapshotting = commands.add(
        "snapshot",
        "take a manual cluster snapshot",
        "Take a manual snapshot (kept until deleted) and wait until it is available.",
    )
    snapshotting.add_argument("name", nargs="?", help="snapshot identifier (default: <cluster>-<UTC time>)")
    snapshotting.set_defaults(handler=run_snapshot, needs_cluster=True)


def run_snapshot(context: Context) -> dict[str, Any]:
    return cluster_ops.snapshot(
        context.client("rds"),
        context.cluster_id(),
        context.args.name,
        context.confirm,
        context.progress,
        context.waiting,
        context.now(),
    )


def add_copy_snapshot(commands: Subcommands) -> None:
    copying = commands.add(
        "copy-snapshot",
        "copy a cluster snapshot to another region",
        "Copy a cluster snapshot (manual, or automated rds:...) into another region as <snapshot>-<region>-<UTC time> "
        "and wait until the copy is available.",
    )
    copying.add_argument("snapshot", help="cluster snapshot identifier in this region")
    copying.add_argument("--to-region", required=True, help="destination region")
    copying.add_argument("--kms-key", help="KMS key ARN in the destination region (required for encrypted snapshots)")
    copying.set_defaults(handler=run_copy_snapshot)


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


def add_export_snapshot(commands: Subcommands) -> None:
    exporting = commands.add(
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
    exporting.set_defaults(handler=run_export_snapshot)


def run_export_snapshot(context: Context) -> dict[str, Any]:
    args = context.args
    return snapshot_ops.export_to_s3(
        context.client("rds"), args.snapshot, args.bucket, args.role_arn, args.kms_key, context.now(), context.progress
    )


def add_wake(commands: Subcommands) -> None:
    commands.add(
        "wake",
        "resume a paused serverless cluster and time it",
        "Query the cluster through the Data API, retrying while it resumes from auto-pause, and report how long it took.",
    ).set_defaults(handler=run_wake, needs_cluster=True)


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


def add_pause_check(commands: Subcommands) -> None:
    checking_pause = commands.add(
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


def add_adopt(commands: Subcommands) -> None:
    adopting = commands.add(
        "adopt",
        "write a stack file that adopts a cluster built in the console",
        "Read the cluster named by --cluster (instances, subnet group, security groups, parameter group, KMS key, log "
        "groups) and write Pulumi.<--stack>.yaml: the settings that reproduce it and the aurora:adopt section naming "
        "what the first `pulumi up` imports, protected. Prints the in-place changes that first `up` makes (each "
        "accepted by name in the file) and what the settings cannot express; refuses a cluster that cannot be adopted, "
        "naming the way out. Read-only in AWS; an existing stack file is replaced only when confirmed (or --yes). "
        "See docs/adopt.md.",
    )
    adopting.add_argument(
        "--directory", type=Path, default=Path("."), help="where to write Pulumi.<stack>.yaml (default: the current directory)"
    )
    adopting.set_defaults(handler=run_adopt, render=adopt.text_lines, writes_stack=True)


def run_adopt(context: Context) -> dict[str, Any]:
    args = context.args
    if not (args.cluster and args.stack):
        raise UsageError("adopt needs --cluster ID (the live cluster) and --stack NAME (the stack file to write)")
    bad_name = adopt.check_stack_name(args.stack)
    if bad_name:
        raise UsageError(bad_name)
    context.progress(f"reading cluster {args.cluster!r} in {context.region()}")
    live = read_live(context.client("rds"), context.client("ec2"), context.client("kms"), context.client("logs"), args.cluster)
    refused = adopt.refusal(live)
    if refused:
        raise OperationError(refused)
    adoption = adopt.adoption(live, context.region())
    path = args.directory / f"Pulumi.{args.stack}.yaml"
    write_stack_file(path, stack_file_text(adoption, args.stack, args.cluster), context.confirm)
    return adopt.summary(adoption, str(path), args.stack)


COMMANDS = (
    add_seed,
    add_status,
    add_client,
    add_sql,
    add_failover,
    add_backtrack,
    add_clone,
    add_restore,
    add_snapshot,
    add_copy_snapshot,
    add_export_snapshot,
    add_wake,
    add_pause_check,
    add_adopt,
)
