"""Observability: the workshop's CloudWatch metrics on a dashboard, and alarms that notify an SNS topic.

Both stacks get it. The serverless shape watches capacity (ACU) instead of replica lag; the
provisioned shape watches replica lag on its readers.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
import json
from dataclasses import dataclass
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks
from settings.derived_names import alarm_name, dashboard_name

from .arg_rules import Rule, check_tags, refuse_bad_args
from .key_policies import VERSION, account_administers_key
from .package_identity import released_identity, type_token

NAMESPACE = "AWS/RDS"
PERIOD_SECONDS = 300


@dataclass(frozen=True)
class AlarmRule:
    """One alarm: a cluster metric for the writer (or readers), compared with a threshold."""

    key: str
    metric: str
    statistic: str
    comparison: str
    threshold: float
    periods: int
    role: str | None
    """`WRITER` or `READER`; None for cluster-wide metrics such as capacity."""
    description: str


# Thresholds: sustained (15 minutes) conditions worth waking someone for, not momentary spikes.
COMMON_ALARMS = (
    AlarmRule(
        "writer-cpu", "CPUUtilization", "Average", "GreaterThanThreshold", 80, 3, "WRITER", "Writer CPU above 80% for 15 minutes"
    ),
    AlarmRule(
        "writer-memory",
        "FreeableMemory",
        "Average",
        "LessThanThreshold",
        256 * 1024 * 1024,
        3,
        "WRITER",
        "Writer freeable memory below 256 MiB for 15 minutes",
    ),
)
SERVERLESS_ALARMS = (
    AlarmRule(
        "acu",
        "ACUUtilization",
        "Average",
        "GreaterThanThreshold",
        90,
        3,
        None,
        "Writer at over 90% of its maximum ACU for 15 minutes: raise serverless.maxCapacity",
    ),
)
PROVISIONED_ALARMS = (
    AlarmRule(
        "replica-lag",
        "AuroraReplicaLag",
        "Maximum",
        "GreaterThanThreshold",
        1000,
        3,
        "READER",
        "A reader lags the writer by more than 1 s for 15 minutes",
    ),
)


def alarm_rules(serverless: bool, readers: int) -> tuple[AlarmRule, ...]:
    if serverless:
        return COMMON_ALARMS + SERVERLESS_ALARMS
    return COMMON_ALARMS + (PROVISIONED_ALARMS if readers else ())


def dashboard_body(cluster_identifier: str, region: str, serverless: bool) -> str:
    """The dashboard JSON: one widget per workshop metric, writer and reader side by side."""

    def widget(title: str, metrics: list[list], x: int, y: int) -> dict:
        return {
            "type": "metric",
            "x": x,
            "y": y,
            "width": 12,
            "height": 6,
            "properties": {"title": title, "region": region, "period": PERIOD_SECONDS, "stat": "Average", "metrics": metrics},
        }

    def by_role(metric: str) -> list[list]:
        return [[NAMESPACE, metric, "DBClusterIdentifier", cluster_identifier, "Role", role] for role in ("WRITER", "READER")]

    widgets = [
        widget("CPU utilization (%)", by_role("CPUUtilization"), 0, 0),
        widget("Database connections", by_role("DatabaseConnections"), 12, 0),
        widget("Read IOPS", by_role("ReadIOPS"), 0, 6),
        widget("Write IOPS", by_role("WriteIOPS"), 12, 6),
    ]
    if serverless:
        widgets.append(
            widget(
                "Serverless capacity (ACU)",
                [[NAMESPACE, "ServerlessDatabaseCapacity", "DBClusterIdentifier", cluster_identifier]],
                0,
                12,
            )
        )
        widgets.append(
            widget("ACU utilization (%)", [[NAMESPACE, "ACUUtilization", "DBClusterIdentifier", cluster_identifier]], 12, 12)
        )
    else:
        widgets.append(
            widget(
                "Replica lag (ms)",
                [[NAMESPACE, "AuroraReplicaLag", "DBClusterIdentifier", cluster_identifier, "Role", "READER"]],
                0,
                12,
            )
        )
        widgets.append(
            widget(
                "Backtrack change records",
                [[NAMESPACE, "BacktrackChangeRecordsCreationRate", "DBClusterIdentifier", cluster_identifier]],
                12,
                12,
            )
        )
    return json.dumps({"widgets": widgets})


def alarm_key_policy() -> str:
    """Key policy: the account administers the key; CloudWatch alarms of this account may encrypt with it."""
    account = aws.get_caller_identity().account_id
    partition = aws.get_partition().partition
    return json.dumps(
        {
            "Version": VERSION,
            "Statement": [
                account_administers_key(partition, account),
                {
                    "Sid": "CloudWatchAlarmsPublish",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"},
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                },
            ],
        }
    )


def alarm_topic(
    name: str,
    cluster_identifier: str,
    alarm_email: str | None,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    region: str | None = None,
) -> tuple[aws.kms.Key, aws.sns.Topic]:
    """An encrypted SNS topic CloudWatch alarms can publish to, with an optional e-mail subscriber.

    CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key (alias/aws/sns):
    its key policy does not admit them, and cannot be edited. The topic gets its own key whose
    policy does. Source: AWS re:Post, "configure a CloudWatch alarm with an encrypted SNS topic".
    """
    key = aws.kms.Key(
        f"{name}-alarm-key",
        description=f"{cluster_identifier}: encrypts the alarm topic",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=alarm_key_policy(),
        region=region,
        tags=tags,
        opts=opts,
    )
    topic = aws.sns.Topic(f"{name}-alarms", kms_master_key_id=key.arn, region=region, tags=tags, opts=opts)
    if alarm_email:
        aws.sns.TopicSubscription(
            f"{name}-alarm-email", topic=topic.arn, protocol="email", endpoint=alarm_email, region=region, opts=opts
        )
    return key, topic


def dashboard_url(region: str, dashboard_name: str) -> str:
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards/dashboard/{dashboard_name}"


class ObservabilityArgs(TypedDict):
    """The cluster to watch and who hears of it; a dict from the program and from the package."""

    cluster_identifier: str
    """The cluster whose metrics are shown."""
    region: str
    """Region of the cluster and dashboard."""
    serverless: bool
    """Serverless shape: capacity widgets and the ACU alarm."""
    readers: NotRequired[int]
    """Number of readers: the replica lag alarm needs at least one; default 0."""
    alarm_email: NotRequired[str | None]
    """Address subscribed to the alarm topic (AWS sends a confirmation e-mail first); default none."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable resource; default none."""


# Each arg's rule is its setting's (settings/model.py).
OBSERVABILITY_ARG_RULES: dict[str, Rule] = {
    "cluster_identifier": checks.check_identifier,
    "region": checks.check_region,
    "alarm_email": checks.check_email,
    "tags": check_tags,
}


class Observability(pulumi.ComponentResource):
    """Dashboard, alarm topic and alarms for one cluster."""

    dashboard_url: pulumi.Output[str]
    """The CloudWatch dashboard in the console."""
    alarm_topic_arn: pulumi.Output[str]
    """The SNS topic the alarms notify: subscribe to it for more than the e-mail address."""

    def __init__(self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("Observability", args, OBSERVABILITY_ARG_RULES)
        super().__init__(type_token("Observability"), name, None, released_identity(opts, "aurora:observability:Observability"))
        readers, alarm_email, tags = args.get("readers", 0), args.get("alarm_email"), args.get("tags", {})
        child = pulumi.ResourceOptions(parent=self)
        # The children, for the program (not outputs of the package).
        self.topic_key: aws.kms.Key
        self.topic: aws.sns.Topic
        self.topic_key, self.topic = alarm_topic(name, args["cluster_identifier"], alarm_email, tags, child)
        dashboard = dashboard_name(args["cluster_identifier"])
        self.dashboard: aws.cloudwatch.Dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=dashboard,
            dashboard_body=dashboard_body(args["cluster_identifier"], args["region"], args["serverless"]),
            opts=child,
        )
        self.alarms: list[aws.cloudwatch.MetricAlarm] = [
            aws.cloudwatch.MetricAlarm(
                f"{name}-{rule.key}",
                name=alarm_name(args["cluster_identifier"], rule.key),
                alarm_description=rule.description,
                namespace=NAMESPACE,
                metric_name=rule.metric,
                dimensions={"DBClusterIdentifier": args["cluster_identifier"], **({"Role": rule.role} if rule.role else {})},
                statistic=rule.statistic,
                period=PERIOD_SECONDS,
                evaluation_periods=rule.periods,
                comparison_operator=rule.comparison,
                threshold=rule.threshold,
                # A paused serverless cluster reports nothing: silence is not an incident.
                treat_missing_data="notBreaching",
                alarm_actions=[self.topic.arn],
                ok_actions=[self.topic.arn],
                tags=tags,
                opts=child,
            )
            for rule in alarm_rules(args["serverless"], readers)
        ]
        self.dashboard_url = pulumi.Output.from_input(dashboard_url(args["region"], dashboard))
        self.alarm_topic_arn = self.topic.arn
        self.register_outputs({"dashboardUrl": self.dashboard_url, "alarmTopicArn": self.alarm_topic_arn})
