"""The client host stops itself when idle: the alarm `clientIdleStopMinutes` declares, what it watches
and stops, and a value refused before anything is declared (mock engine). The setting's rule is
pinned in tests/settings/test_client_idle_stop.py."""

import botocore.session
import pytest

from components.client_host import stop_action_arn
from settings.loading import ConfigError
from tests.settings.helpers import only_problem

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def idle_alarms(deployment):
    return [a for a in deployment.of_type(ALARM) if a.name == "client-idle-stop"]


def test_dev_declares_the_idle_stop_alarm_with_the_default_30_minutes(dev):
    alarm = dev.named("client-idle-stop")
    assert alarm.type == ALARM
    assert alarm.inputs == {
        "name": "aurora-dev-client-idle-stop",
        "alarmDescription": "Stops the Aurora client host after 30 idle minutes (start it with `python -m ops client start`)",
        "namespace": "AWS/EC2",
        "metricName": "CPUUtilization",
        "dimensions": {"InstanceId": "i-0123456789abcdef0"},
        "statistic": "Maximum",
        "period": 300,
        "evaluationPeriods": 6,
        "datapointsToAlarm": 6,
        "comparisonOperator": "LessThanThreshold",
        "threshold": 2,
        "treatMissingData": "notBreaching",
        "alarmActions": ["arn:aws:automate:us-east-1:ec2:stop"],
        "okActions": [],
        "insufficientDataActions": [],
        "actionsEnabled": True,
        "tags": {"Project": "aurora", "Stack": "dev", "ManagedBy": "pulumi", "Environment": "dev"},
    }
    assert alarm.parent.endswith("aurora:index:ClientHost::client")


def test_the_alarm_watches_the_client_instance_it_stops(dev):
    alarm = dev.named("client-idle-stop")
    assert alarm.property_dependencies["dimensions"] == [dev.named("client-instance").urn]


def test_the_stop_action_is_the_form_cloudwatch_documents():
    """botocore's cloudwatch model, PutMetricAlarm AlarmActions, lists `arn:aws:automate:region:ec2:stop`
    among the EC2 actions (no Lambda, no role of ours: CloudWatch uses its service-linked role
    AWSServiceRoleForCloudWatchEvents, CloudWatch User Guide "Using service-linked roles for CloudWatch")."""
    shape = botocore.session.get_session().get_service_model("cloudwatch").operation_model("PutMetricAlarm").input_shape
    assert "arn:aws:automate:<i>region</i>:ec2:stop" in shape.members["AlarmActions"].documentation
    assert stop_action_arn("eu-west-1") == "arn:aws:automate:eu-west-1:ec2:stop"
    assert stop_action_arn("cn-north-1") == "arn:aws-cn:automate:cn-north-1:ec2:stop"


@pytest.mark.parametrize(("minutes", "periods"), [(5, 1), (60, 12), (1440, 288)])
def test_the_setting_becomes_five_minute_periods(program, minutes, periods):
    deployment = program("dev", overrides={"aurora:clientIdleStopMinutes": minutes})
    alarm = deployment.named("client-idle-stop").inputs
    assert (alarm["period"], alarm["evaluationPeriods"], alarm["datapointsToAlarm"]) == (300, periods, periods)


def test_zero_never_stops_the_host(program):
    deployment = program("dev", overrides={"aurora:clientIdleStopMinutes": 0})
    assert idle_alarms(deployment) == []
    assert deployment.one("aws:ec2/instance:Instance")


def test_without_a_client_host_there_is_no_idle_alarm(program):
    assert idle_alarms(program("dev", overrides={"aurora:client": "none"})) == []


def test_prod_has_no_client_host_and_so_no_idle_alarm(prod):
    assert idle_alarms(prod) == []


def test_a_bad_value_is_refused_before_anything_is_declared(program):
    with pytest.raises(ConfigError) as caught:
        program("dev", overrides={"aurora:clientIdleStopMinutes": 7})
    only_problem(caught.value.problems, "clientIdleStopMinutes", "is 7:", "steps of 5")
