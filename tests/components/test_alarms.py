"""Every alarm that tells someone, field by field: what it watches, how it compares, after how long,
and whom it tells; and the alarm topics' keys (mock engine, real stack files). The client host's
idle-stop alarm tells no one (its action stops the host): tests/components/test_client_idle_stop.py pins it.

Metric names, statistics and units: Aurora User Guide, "Amazon CloudWatch metrics for Amazon Aurora"
(FreeableMemory in bytes, AuroraReplicaLag and AuroraGlobalDBReplicationLag in milliseconds,
CPUUtilization and ACUUtilization in percent).
"""

import json

import pytest

from plan.engine import ACCOUNT
from tests.helpers import DEV_SOURCE_OUTPUTS

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
IDLE_STOP = "client-idle-stop"
FIFTEEN_MINUTES = {"period": 300, "evaluationPeriods": 3}


def watched(cluster, metric, statistic, comparison, threshold, role=None):
    dimensions = {"DBClusterIdentifier": cluster, **({"Role": role} if role else {})}
    return {
        "namespace": "AWS/RDS",
        "metricName": metric,
        "statistic": statistic,
        "comparisonOperator": comparison,
        "threshold": threshold,
        "dimensions": dimensions,
        **FIFTEEN_MINUTES,
    }


def notifying_alarms(deployment):
    return [a for a in deployment.of_type(ALARM) if a.name != IDLE_STOP]


def alarms_of(deployment):
    fields = (
        "namespace",
        "metricName",
        "statistic",
        "comparisonOperator",
        "threshold",
        "dimensions",
        "period",
        "evaluationPeriods",
    )
    return {a.inputs["name"]: {f: a.inputs.get(f) for f in fields} for a in notifying_alarms(deployment)}


def test_dev_alarms_watch_cpu_memory_and_capacity(dev):
    assert dev.named(IDLE_STOP).inputs["name"] == "aurora-dev-client-idle-stop"
    assert alarms_of(dev) == {
        "aurora-dev-writer-cpu": watched("aurora-dev", "CPUUtilization", "Average", "GreaterThanThreshold", 80, "WRITER"),
        "aurora-dev-writer-memory": watched(
            "aurora-dev", "FreeableMemory", "Average", "LessThanThreshold", 256 * 1024 * 1024, "WRITER"
        ),
        "aurora-dev-acu": watched("aurora-dev", "ACUUtilization", "Average", "GreaterThanThreshold", 90),
    }


def test_prod_alarms_watch_cpu_memory_and_replica_lag(prod):
    assert alarms_of(prod) == {
        "aurora-prod-writer-cpu": watched("aurora-prod", "CPUUtilization", "Average", "GreaterThanThreshold", 80, "WRITER"),
        "aurora-prod-writer-memory": watched(
            "aurora-prod", "FreeableMemory", "Average", "LessThanThreshold", 256 * 1024 * 1024, "WRITER"
        ),
        "aurora-prod-replica-lag": watched("aurora-prod", "AuroraReplicaLag", "Maximum", "GreaterThanThreshold", 1000, "READER"),
    }


def test_a_prod_stack_without_readers_has_no_replica_lag_alarm(program):
    deployment = program("prod", overrides={"aurora:provisioned": {"readers": 0}}, stack_outputs=DEV_SOURCE_OUTPUTS)
    assert set(alarms_of(deployment)) == {"aurora-prod-writer-cpu", "aurora-prod-writer-memory"}


@pytest.mark.engine
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_alarms_notify_the_stacks_topic_on_alarm_and_recovery_and_ignore_silence(stack, request):
    deployment = request.getfixturevalue(stack)
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:observability-alarms"
    alarms = notifying_alarms(deployment)
    assert len(alarms) == 3
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic_arn] and alarm.inputs["okActions"] == [topic_arn]
        # A paused serverless writer reports nothing: silence is not an incident.
        assert alarm.inputs["treatMissingData"] == "notBreaching"
        assert alarm.inputs["alarmDescription"]


@pytest.mark.engine
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_alarm_topic_is_encrypted_with_its_own_rotating_key(stack, request):
    deployment = request.getfixturevalue(stack)
    key = deployment.named("observability-alarm-key").inputs
    assert key["enableKeyRotation"] is True
    assert key["deletionWindowInDays"] == 30
    statements = {s["Sid"]: s for s in json.loads(key["policy"])["Statement"]}
    assert statements["CloudWatchAlarmsPublish"] == {
        "Sid": "CloudWatchAlarmsPublish",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }
    assert statements["AccountAdministersKey"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    topic = deployment.named("observability-alarms").inputs
    assert topic["kmsMasterKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/observability-alarm-key"
