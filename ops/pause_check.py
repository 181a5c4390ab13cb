"""`pause-check`: why a scale-to-zero Aurora Serverless v2 cluster is not pausing.

Every condition is one the Aurora User Guide names on its auto-pause page, "Scaling to Zero ACUs with
automatic pause and resume for Aurora Serverless v2"
(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html),
in its sections "Prerequisites and Limitations", "Situations where Aurora Serverless v2 doesn't
auto-pause", "How Aurora Serverless v2 auto-pause works for clusters with provisioned instances" and
"Troubleshooting for Aurora Serverless v2 auto-pause". Each is checked with the read that reveals
it; a read the caller may not make is named under `couldNotRead` and its condition reads
`not read`, never `clear`.

Reading must not wake the cluster: CloudWatch and the RDS control plane never do, but a Data API
statement resumes a paused writer (same page, "Resuming an auto-paused Aurora Serverless v2
instance") and restarts its idle timer. So the sessions are queried only when the writer's capacity
was above zero for the whole last minute, or when the caller asks for it (`--sessions always`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from awscalls.data_api import ResumeRetry, call_while_resuming, field_value
from awscalls.errors import AWS_FAILURES, one_line
from awsfacts.engine_versions import ENGINE, FIRST_RELEASE_WITH_AUTO_PAUSE, aurora_mysql_3_release, is_aurora_mysql_84
from awsfacts.limits import DEFAULT_PAUSE_SECONDS

from .cluster_ops import SERVERLESS_CLASS, describe_cluster
from .render import lines
from .status import NotRead, Reader
from .targets import data_api_off, from_cluster

AUTO_PAUSE_PAGE = (
    'Aurora User Guide, "Scaling to Zero ACUs with automatic pause and resume for Aurora Serverless v2", '
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html"
)
# "If you're using Aurora MySQL, the database engine must be running version 3.08.0 or higher"
# (awsfacts.engine_versions.FIRST_RELEASE_WITH_AUTO_PAUSE, which also covers 8.4).
# The writer and the readers in promotion tiers 0 and 1 pause and resume together; tiers 2-15 alone.
TIERS_PAUSING_WITH_WRITER = (0, 1)
PERIOD_SECONDS = 60
SESSIONS_SQL = (Path(__file__).resolve().parent / "sql" / "sessions.sql").read_text()
SESSION_CHOICES = ("auto", "always", "never")

WRITER_GROUP = "the writer and tier 0-1 readers"
ALL_INSTANCES = "every instance"


@dataclass
class Condition:
    """One thing the auto-pause page says keeps instances awake, and what was found."""

    name: str
    state: str  # "blocks", "clear", "not read", "not applicable"
    evidence: str
    keeps_awake: str | None = None
    # Set on a blocking condition: the short reason the verdict line names.
    reason: str | None = None
    # A setting that rules auto-pause out altogether ("cannot pause"), not a feature that keeps it awake.
    configuration: bool = False
    # Connections and sessions come and go: a writer that still paused in the window is pausing.
    activity: bool = False

    def view(self) -> dict[str, Any]:
        return {"condition": self.name, "state": self.state, "keepsAwake": self.keeps_awake, "evidence": self.evidence}


def clear(name: str, evidence: str) -> Condition:
    return Condition(name, "clear", evidence)


def blocks(
    name: str, evidence: str, keeps_awake: str, reason: str, configuration: bool = False, activity: bool = False
) -> Condition:
    return Condition(name, "blocks", evidence, keeps_awake, reason, configuration, activity)


def unread(name: str, value: NotRead) -> Condition:
    return Condition(name, "not read", str(value))


def pause_check(
    rds: Any,
    cloudwatch: Any,
    data_api: Callable[[], Any],
    cluster_id: str,
    hours: float,
    sessions: str,
    now: datetime,
    report: Callable[[str], None],
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    cluster = describe_cluster(rds, cluster_id)
    reader = Reader()
    instances = reader.read(
        "the cluster's instances (rds:DescribeDBInstances)",
        partial(_instances, rds, cluster_id),
    )
    start = now - timedelta(hours=hours)
    member_list = cluster.get("DBClusterMembers", [])
    metrics = reader.read(
        "CloudWatch metrics (cloudwatch:GetMetricData)",
        partial(_metrics, cloudwatch, [m["DBInstanceIdentifier"] for m in member_list], start, now),
    )
    window = f"{hours:g} h"
    rows = _instance_rows(cluster, instances, metrics)
    writer_row = next((row for row in rows if row["role"] == "writer"), None)

    conditions = [
        _minimum_capacity(cluster),
        _engine_version(cluster),
        _instance_classes(rows, instances),
        _cluster_status(cluster),
        _connections(rows, metrics, window),
        _proxies(reader, rds, cluster_id),
        _global_database(reader, rds, cluster),
        _binlog(reader, rds, cluster),
        _replicas(cluster),
        _zero_etl(reader, rds, cluster),
        Condition(
            "Babelfish T-SQL port activity",
            "not applicable",
            "Aurora PostgreSQL only"
            if cluster.get("Engine") != "aurora-postgresql"
            else "not checked: read the T-SQL port's sessions",
        ),
    ]
    writer_awake = _awake_last_minute(metrics, writer_row)
    session_view, session_condition = _sessions(cluster, writer_row, writer_awake, sessions, data_api, report, sleep, reader)
    conditions.append(session_condition)

    result = {
        "verdict": _verdict(cluster_id, conditions, writer_row, rows, metrics, window, hours),
        "cluster": cluster_id,
        "capacityRange": _capacity_range(cluster),
        "window": f"{start.isoformat()} to {now.isoformat()} ({window}, {PERIOD_SECONDS}-second points)",
        "instances": rows,
        "conditions": [condition.view() for condition in conditions],
        "sessions": session_view,
        "source": AUTO_PAUSE_PAGE,
        "couldNotRead": reader.unreadable,
    }
    return result


def text_lines(result: dict[str, Any]) -> list[str]:
    """The verdict line first, then the evidence as aligned lines."""
    rest = {key: value for key, value in result.items() if key != "verdict"}
    return [result["verdict"], *lines(rest)]


# --- reads -------------------------------------------------------------------------------------


def _instances(rds: Any, cluster_id: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for page in rds.get_paginator("describe_db_instances").paginate(Filters=[{"Name": "db-cluster-id", "Values": [cluster_id]}]):
        for instance in page.get("DBInstances", []):
            found[instance["DBInstanceIdentifier"]] = instance
    return found


# (query id suffix, metric, statistic): open connections, connection attempts (each one restarts the
# idle timer: "Troubleshooting"), capacity (0 while paused: "Monitoring") and ACU utilization.
METRICS = (
    ("connections", "DatabaseConnections", "Maximum"),
    ("attempts", "ConnectionAttempts", "Sum"),
    ("acu_min", "ServerlessDatabaseCapacity", "Minimum"),
    ("acu_max", "ServerlessDatabaseCapacity", "Maximum"),
    ("utilization", "ACUUtilization", "Maximum"),
)


def _metrics(
    cloudwatch: Any, instance_ids: list[str], start: datetime, end: datetime
) -> dict[str, dict[str, list[tuple[datetime, float]]]]:
    """Per instance and per metric key, the (time, value) points of the window, oldest first."""
    queries, names = [], {}
    for index, instance_id in enumerate(instance_ids):
        for key, metric, statistic in METRICS:
            query_id = f"i{index}_{key}"
            names[query_id] = (instance_id, key)
            queries.append(
                {
                    "Id": query_id,
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/RDS",
                            "MetricName": metric,
                            "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": instance_id}],
                        },
                        "Period": PERIOD_SECONDS,
                        "Stat": statistic,
                    },
                    "ReturnData": True,
                }
            )
    points: dict[str, dict[str, list[tuple[datetime, float]]]] = {
        instance_id: {key: [] for key, _, _ in METRICS} for instance_id in instance_ids
    }
    # At most 500 queries a call (CloudWatch GetMetricData).
    for first in range(0, len(queries), 500):
        request: dict[str, Any] = {
            "MetricDataQueries": queries[first : first + 500],
            "StartTime": start,
            "EndTime": end,
            "ScanBy": "TimestampAscending",
        }
        while True:
            response = cloudwatch.get_metric_data(**request)
            for series in response.get("MetricDataResults", []):
                instance_id, key = names[series["Id"]]
                points[instance_id][key] += zip(series.get("Timestamps", []), series.get("Values", []), strict=True)
            if not response.get("NextToken"):
                break
            request["NextToken"] = response["NextToken"]
    for series_by_key in points.values():
        for key in series_by_key:
            series_by_key[key].sort(key=lambda point: point[0])
    return points


def _proxies(reader: Reader, rds: Any, cluster_id: str) -> Condition:
    name = "RDS Proxy"

    def targeting() -> list[str]:
        found = []
        for page in rds.get_paginator("describe_db_proxies").paginate():
            for proxy in page.get("DBProxies", []):
                pages = rds.get_paginator("describe_db_proxy_targets").paginate(DBProxyName=proxy["DBProxyName"])
                targets = [target for target_page in pages for target in target_page.get("Targets", [])]
                if any(cluster_id in (t.get("RdsResourceId"), t.get("TrackedClusterId")) for t in targets):
                    found.append(proxy["DBProxyName"])
        return found

    proxies = reader.read("RDS proxies (rds:DescribeDBProxies, rds:DescribeDBProxyTargets)", targeting)
    if isinstance(proxies, NotRead):
        return unread(name, proxies)
    if not proxies:
        return clear(name, "no proxy targets the cluster")
    listed = ", ".join(proxies)
    return blocks(
        name,
        f"{listed} {'targets' if len(proxies) == 1 else 'target'} the cluster and keeps a connection open to each instance",
        ALL_INSTANCES,
        f"RDS Proxy {listed} {'targets' if len(proxies) == 1 else 'target'} it",
    )


def _global_database(reader: Reader, rds: Any, cluster: dict[str, Any]) -> Condition:
    name = "Aurora Global Database"
    global_id = cluster.get("GlobalClusterIdentifier")
    arn = cluster["DBClusterArn"]

    def membership() -> tuple[str, dict[str, Any]] | None:
        request = {"GlobalClusterIdentifier": global_id} if global_id else {}
        for page in rds.get_paginator("describe_global_clusters").paginate(**request):
            for global_cluster in page.get("GlobalClusters", []):
                for member in global_cluster.get("GlobalClusterMembers", []):
                    if member.get("DBClusterArn") == arn:
                        return global_cluster["GlobalClusterIdentifier"], member
        return None

    found = reader.read("global databases (rds:DescribeGlobalClusters)", membership)
    if isinstance(found, NotRead):
        return unread(name, found)
    if found is None:
        return clear(name, "not a member of a global database")
    global_name, member = found
    if member.get("IsWriter"):
        return blocks(
            name,
            f"primary cluster of {global_name}: its writer stays active to manage the secondaries",
            WRITER_GROUP,
            f"primary of global database {global_name}",
        )
    return blocks(
        name,
        f"secondary cluster of {global_name}: secondary clusters never pause",
        ALL_INSTANCES,
        f"secondary of global database {global_name}",
    )


def _binlog(reader: Reader, rds: Any, cluster: dict[str, Any]) -> Condition:
    name = "binlog replication (binlog_format)"
    group = cluster.get("DBClusterParameterGroup")
    if not group:
        return clear(name, "no cluster parameter group reported")

    def binlog_format() -> str | None:
        for page in rds.get_paginator("describe_db_cluster_parameters").paginate(DBClusterParameterGroupName=group):
            for parameter in page.get("Parameters", []):
                if parameter.get("ParameterName") == "binlog_format":
                    return parameter.get("ParameterValue")
        return None

    value = reader.read(f"cluster parameter group {group} (rds:DescribeDBClusterParameters)", binlog_format)
    if isinstance(value, NotRead):
        return unread(name, value)
    if value is None or value.upper() == "OFF":
        return clear(name, f"binlog_format is {value or 'OFF (the default)'} in {group}")
    return blocks(
        name,
        f"binlog_format is {value} in {group}: Aurora keeps checking the replication connection",
        WRITER_GROUP,
        f"binlog replication on (binlog_format {value})",
    )


def _replicas(cluster: dict[str, Any]) -> Condition:
    name = "binlog read replicas"
    source = cluster.get("ReplicationSourceIdentifier")
    replicas = cluster.get("ReadReplicaIdentifiers") or []
    if not source and not replicas:
        return clear(name, "no replication source, no read replicas")
    parts = ([f"replicates from {source}"] if source else []) + ([f"replicated to {', '.join(replicas)}"] if replicas else [])
    return blocks(name, "; ".join(parts), WRITER_GROUP, "binlog " + "; ".join(parts))


def _zero_etl(reader: Reader, rds: Any, cluster: dict[str, Any]) -> Condition:
    name = "zero-ETL integration"
    arn = cluster["DBClusterArn"]

    def integrations() -> list[str]:
        found = []
        for page in rds.get_paginator("describe_integrations").paginate():
            found += [
                i.get("IntegrationName") or i.get("IntegrationArn", "")
                for i in page.get("Integrations", [])
                if i.get("SourceArn") == arn
            ]
        return found

    found = reader.read("zero-ETL integrations (rds:DescribeIntegrations)", integrations)
    if isinstance(found, NotRead):
        return unread(name, found)
    if not found:
        return clear(name, "no integration has the cluster as its source")
    listed = ", ".join(found)
    return blocks(name, f"source of {listed}", WRITER_GROUP, f"zero-ETL integration {listed}")


# --- conditions from the cluster itself --------------------------------------------------------


def _capacity_range(cluster: dict[str, Any]) -> str | None:
    scaling = cluster.get("ServerlessV2ScalingConfiguration")
    if not scaling:
        return None
    text = f"{scaling.get('MinCapacity', 0):g}-{scaling.get('MaxCapacity', 0):g} ACU"
    if scaling.get("SecondsUntilAutoPause"):
        text += f", pauses after {scaling['SecondsUntilAutoPause']} s idle"
    return text


def _minimum_capacity(cluster: dict[str, Any]) -> Condition:
    name = "minimum capacity (0 ACU turns auto-pause on)"
    scaling = cluster.get("ServerlessV2ScalingConfiguration")
    if not scaling:
        return blocks(name, "no Serverless v2 scaling configuration", ALL_INSTANCES, "not a Serverless v2 cluster", True)
    minimum = scaling.get("MinCapacity")
    if minimum:
        return blocks(
            name, f"MinCapacity is {minimum:g}: only 0 turns auto-pause on", ALL_INSTANCES, f"minCapacity is {minimum:g}", True
        )
    return clear(name, f"MinCapacity 0, SecondsUntilAutoPause {scaling.get('SecondsUntilAutoPause', DEFAULT_PAUSE_SECONDS)}")


def _engine_version(cluster: dict[str, Any]) -> Condition:
    name = "engine version (Aurora MySQL 3.08.0 or later, or 8.4)"
    version = cluster.get("EngineVersion") or ""
    aurora_mysql = cluster.get("Engine") == ENGINE
    if aurora_mysql and is_aurora_mysql_84(version):
        return clear(name, f"{version}: every Aurora MySQL 8.4 release pauses")
    release = aurora_mysql_3_release(version)
    if not aurora_mysql or release is None:
        return Condition(name, "not applicable", f"{cluster.get('Engine')} {version}: not an Aurora MySQL 3 or 8.4 version")
    if release < FIRST_RELEASE_WITH_AUTO_PAUSE:
        return blocks(
            name, f"{version} predates auto-pause", ALL_INSTANCES, f"engine {version} predates auto-pause (3.08.0)", True
        )
    return clear(name, version)


def _cluster_status(cluster: dict[str, Any]) -> Condition:
    name = "cluster status (patching, upgrades)"
    state = cluster.get("Status")
    if state in (None, "available"):
        return clear(name, f"cluster status {state or '-'}")
    return blocks(name, f"cluster status {state}", ALL_INSTANCES, f"cluster status is {state}")


def _pauses(role: str, klass: Any, tier: Any) -> str:
    if klass != SERVERLESS_CLASS:
        return "never (provisioned)" if isinstance(klass, str) else "-"
    if role == "writer":
        return "when the whole cluster is idle"
    return "with the writer" if tier in TIERS_PAUSING_WITH_WRITER else "alone"


def _instance_rows(
    cluster: dict[str, Any],
    instances: dict[str, dict[str, Any]] | NotRead,
    metrics: dict[str, dict[str, list[tuple[datetime, float]]]] | NotRead,
) -> list[dict[str, Any]]:
    rows = []
    for member in cluster.get("DBClusterMembers", []):
        instance_id = member["DBInstanceIdentifier"]
        role = "writer" if member.get("IsClusterWriter") else "reader"
        klass = instances if isinstance(instances, NotRead) else instances.get(instance_id, {}).get("DBInstanceClass")
        tier = member.get("PromotionTier")
        row: dict[str, Any] = {
            "role": role,
            "instance": instance_id,
            "class": klass,
            "tier": tier,
            "pauses": _pauses(role, klass, tier),
        }
        if isinstance(metrics, NotRead):
            row.update(maxConnections=metrics)
        else:
            series = metrics[instance_id]
            minimums = [value for _, value in series["acu_min"]]
            capacity = [value for _, value in series["acu_max"]]
            row.update(
                maxConnections=_maximum(series["connections"]),
                connectionAttempts=sum(value for _, value in series["attempts"]) if series["attempts"] else None,
                acu=f"{min(minimums):g}-{max(capacity):g}" if minimums and capacity else None,
                maxAcuUtilization=_maximum(series["utilization"]),
                pausedMinutes=sum(1 for value in minimums if value == 0) if minimums else None,
                lastMinute=_last_minute(series),
            )
        rows.append(row)
    return rows


def _maximum(series: list[tuple[datetime, float]]) -> float | None:
    return max(value for _, value in series) if series else None


def _last_minute(series: dict[str, list[tuple[datetime, float]]]) -> str | None:
    """The newest capacity point: paused throughout, awake throughout, or pausing/resuming."""
    if not series["acu_min"] or not series["acu_max"]:
        return None
    low, high = series["acu_min"][-1][1], series["acu_max"][-1][1]
    if high == 0:
        return "paused"
    return f"{high:g} ACU" if low > 0 else f"pausing or resuming (0-{high:g} ACU)"


def _awake_last_minute(metrics: Any, writer_row: dict[str, Any] | None) -> bool:
    """Whether the writer's capacity stayed above 0 for the whole newest minute: only then does a
    Data API statement find it awake rather than resume it."""
    if writer_row is None or isinstance(metrics, NotRead):
        return False
    minimums = metrics[writer_row["instance"]]["acu_min"]
    return bool(minimums) and minimums[-1][1] > 0


def _instance_classes(rows: list[dict[str, Any]], instances: dict[str, Any] | NotRead) -> Condition:
    name = "instance classes (provisioned ones never pause)"
    if isinstance(instances, NotRead):
        return unread(name, instances)
    if not rows:
        return blocks(name, "the cluster has no instances", ALL_INSTANCES, "no instances", True)
    provisioned = [f"{row['instance']} ({row['class']})" for row in rows if row["class"] != SERVERLESS_CLASS]
    if not provisioned:
        return clear(name, f"{len(rows)} of {len(rows)} are {SERVERLESS_CLASS}")
    if len(provisioned) == len(rows):
        return blocks(
            name, f"no {SERVERLESS_CLASS} instance: {', '.join(provisioned)}", ALL_INSTANCES, "no Serverless v2 instance", True
        )
    return blocks(
        name,
        f"provisioned {', '.join(provisioned)} never pause{'s' if len(provisioned) == 1 else ''}, so the writer stays active",
        WRITER_GROUP,
        f"provisioned instance {', '.join(provisioned)}",
    )


def _connections(rows: list[dict[str, Any]], metrics: Any, window: str) -> Condition:
    name = "open connections (DatabaseConnections)"
    if isinstance(metrics, NotRead):
        return unread(name, metrics)
    seen = [row for row in rows if row.get("maxConnections")]
    if not any(row.get("maxConnections") is not None for row in rows):
        return Condition(name, "not read", f"no DatabaseConnections data in the last {window}")
    if not seen:
        return clear(name, f"0 on every instance in the last {window}")
    evidence = ", ".join(f"{row['instance']} up to {row['maxConnections']:g}" for row in seen)
    reader_note = " (a reader's connections keep the writer awake)" if any(row["role"] == "reader" for row in seen) else ""
    most = max(row["maxConnections"] for row in seen)
    return blocks(
        name,
        f"{evidence} in the last {window}{reader_note}",
        ALL_INSTANCES if reader_note else WRITER_GROUP,
        f"{most:g} open connection{'s' if most != 1 else ''} (max in the last {window})",
        activity=True,
    )


def _sessions(
    cluster: dict[str, Any],
    writer_row: dict[str, Any] | None,
    awake: bool,
    choice: str,
    data_api: Callable[[], Any],
    report: Callable[[str], None],
    sleep: Callable[[float], None],
    reader: Reader,
) -> tuple[Any, Condition]:
    name = "sessions the Data API sees on the writer"
    reason = None
    if choice == "never":
        reason = "not queried (--sessions never)"
    elif not cluster.get("HttpEndpointEnabled"):
        reason = f"not queried: {data_api_off(cluster['DBClusterIdentifier'], cluster['DBClusterArn'])}"
    elif not (cluster.get("MasterUserSecret") or {}).get("SecretArn"):
        reason = "not queried: the cluster has no managed master secret for the Data API"
    elif choice == "auto" and not awake:
        state = (writer_row or {}).get("lastMinute") or "unknown"
        reason = (
            f"not queried: the writer's last minute was {state}, and a Data API statement would resume it "
            "(--sessions always queries anyway)"
        )
    if reason:
        return reason, Condition(name, "not read", reason)
    target = from_cluster(cluster)
    if not awake:
        report("querying the sessions through the Data API: this resumes a paused writer")

    def query() -> Any:
        return data_api().execute_statement(**target.request(), sql=SESSIONS_SQL, includeResultMetadata=True)

    try:
        response = call_while_resuming(query, ResumeRetry(), sleep=sleep, report=report)
    except AWS_FAILURES as error:
        reader.unreadable.append({"what": "sessions (rds-data:ExecuteStatement)", "reason": one_line(error)})
        return f"not read: {one_line(error)}", Condition(name, "not read", one_line(error))
    columns = [column.get("label") or column.get("name") for column in response.get("columnMetadata") or []]
    records = [dict(zip(columns, (field_value(f) for f in record), strict=True)) for record in response.get("records") or []]
    note = "this query restarted the writer's idle timer"
    if not records:
        return f"none ({note})", clear(name, f"no session but this one ({note})")
    users = sorted({f"{record.get('user')}@{str(record.get('host') or '').split(':')[0]}" for record in records})
    return records, blocks(
        name,
        f"{len(records)} open: {', '.join(users)} ({note})",
        WRITER_GROUP,
        f"{len(records)} open session{'s' if len(records) != 1 else ''} ({', '.join(users)})",
        activity=True,
    )


def _verdict(
    cluster_id: str,
    conditions: list[Condition],
    writer_row: dict[str, Any] | None,
    rows: list[dict[str, Any]],
    metrics: Any,
    window: str,
    hours: float,
) -> str:
    blocking = [condition for condition in conditions if condition.state == "blocks"]
    configuration = [condition.reason for condition in blocking if condition.configuration]
    if configuration:
        return f"{cluster_id}: cannot pause: {', '.join(r for r in configuration if r)}"
    paused = (writer_row or {}).get("pausedMinutes")
    minutes = round(hours * 60)
    features = [condition.reason for condition in blocking if not (paused and condition.activity)]
    if features:
        return f"{cluster_id}: not pausing: {', '.join(r for r in features if r)}"
    if paused:
        return f"{cluster_id}: pausing as configured (paused {paused} of the last {minutes} minutes)"
    if isinstance(metrics, NotRead) or paused is None:
        return f"{cluster_id}: no capacity data for the last {window}, and nothing found that keeps it awake"
    attempts = sum(row.get("connectionAttempts") or 0 for row in rows)
    if attempts:
        return (
            f"{cluster_id}: not pausing: {attempts:g} connection attempts in the last {window} "
            "(each one restarts the idle timer; look for Data API or Lambda callers)"
        )
    return f"{cluster_id}: not paused in the last {window}, and nothing found that keeps it awake"
