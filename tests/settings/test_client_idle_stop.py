"""The client host's idle stop as a setting: `clientIdleStopMinutes` in five-minute steps up to the
day a CloudWatch alarm can evaluate, its default, and its refusal without a client host (pure: no
mock engine). The alarm it declares is pinned in tests/components/test_client_idle_stop.py."""

import botocore.session
import pytest

from settings import checks as v
from tests.settings.helpers import load, problem_about, problems, raw_from_file, refusal, refusal_reads


def test_the_longest_setting_stays_within_cloudwatchs_one_day_evaluation_limit():
    """botocore's cloudwatch model, PutMetricAlarm `Period`: for periods under one hour, Period x
    EvaluationPeriods may not exceed 86,400 s. EC2 basic monitoring reports every 5 minutes."""
    doc = botocore.session.get_session().get_service_model("cloudwatch").operation_model("PutMetricAlarm")
    assert "can't be longer than one day (86,400 seconds)" in doc.input_shape.members["Period"].documentation
    assert v.MAX_IDLE_STOP_MINUTES * 60 == 86400
    assert refusal("clientIdleStopMinutes", 1440) is None
    assert refusal("clientIdleStopMinutes", 1445) is not None


@pytest.mark.parametrize("minutes", [0, 5, 30, 1440])
def test_zero_and_five_minute_steps_up_to_a_day_are_accepted(minutes):
    assert refusal("clientIdleStopMinutes", minutes) is None


@pytest.mark.parametrize("minutes", [-5, 3, 31, 1445, "31"])
def test_other_values_are_refused_with_the_rule(minutes):
    message = refusal("clientIdleStopMinutes", minutes)
    refusal_reads(message, "clientIdleStopMinutes", f"is {minutes!r}:", "0 (never stop) or 5 to 1440 minutes in steps of 5")


def test_the_refusal_gives_the_whole_rule_and_its_two_reasons():
    """The reasons are part of the message a user acts on, so the message is pinned whole once."""
    assert refusal("clientIdleStopMinutes", 31) == (
        "aurora:clientIdleStopMinutes is 31: allowed values are 0 (never stop) or 5 to 1440 minutes in steps of 5 "
        "(EC2 reports CPU every 5 minutes; a CloudWatch alarm evaluates at most one day)"
    )


def test_the_dev_file_takes_the_default_of_30_minutes():
    assert load(raw_from_file("dev")).client_idle_stop_minutes == 30


def test_the_setting_without_a_client_host_is_refused():
    raw = {**raw_from_file("prod"), "clientIdleStopMinutes": 30}
    [found] = problems(raw, stack="prod")
    problem_about([found], "clientIdleStopMinutes", "is set", "aurora:client is 'none'", "only client ssm creates")
