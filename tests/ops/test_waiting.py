"""`Waiting`'s bounded tries (ops/cluster_ops.py): a poll or a read that fails transiently is tried
again, at most `failures_allowed` times in a row; other failures end the run at once; an act that
failed is looked for before it is sent again."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from awscalls.errors import transient
from ops.cluster_ops import Waiting
from tests.faults import throttled, timed_out
from tests.helpers import FakeClock


def waiting(clock: FakeClock) -> Waiting:
    return Waiting(interval_seconds=10, clock=clock, sleep=clock.sleep)


def denied() -> ClientError:
    return ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DescribeDBClusters")


def answers(*outcomes):
    """A call that raises or returns each outcome in turn."""
    queue = list(outcomes)

    def call():
        outcome = queue.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return call


def test_throttling_timeouts_and_server_errors_are_transient_and_refusals_are_not():
    server_error = ClientError(
        {"Error": {"Code": "InternalFailure", "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "X"
    )
    not_aws = ClientError({"Error": {"Code": "500", "Message": "<html>"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "X")
    assert [transient(e) for e in (throttled("X"), timed_out(), server_error, denied(), not_aws)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_failed_poll_does_not_end_the_wait():
    clock, notes = FakeClock(), []
    seconds = waiting(clock).until(answers(throttled("DescribeDBClusters"), "creating", None), "the clone", notes.append)
    assert seconds == 20
    assert notes[0] == "waiting for the clone: a poll failed (Throttling: Rate exceeded) (0s)"


def test_polls_failing_beyond_the_bound_end_the_wait_with_the_aws_error():
    clock = FakeClock()
    with pytest.raises(ClientError, match="Throttling"):
        waiting(clock).until(answers(*[throttled("DescribeDBClusters")] * 3), "the clone", lambda note: None)
    assert clock.sleeps == [10, 10]


def test_a_refusal_ends_the_wait_at_once():
    clock = FakeClock()
    with pytest.raises(ClientError, match="AccessDenied"):
        waiting(clock).until(answers(denied()), "the clone", lambda note: None)
    assert clock.sleeps == []


def test_a_read_is_tried_again_after_a_lost_answer():
    assert waiting(FakeClock()).retried(answers(timed_out(), "cluster"), "reading", lambda note: None) == "cluster"


def test_an_act_whose_answer_was_lost_is_found_not_repeated():
    sent = []

    def act():
        sent.append("create")
        raise timed_out()

    assert waiting(FakeClock()).act_once(act, lambda: "the cluster", "creating", lambda note: None) == "the cluster"
    assert sent == ["create"]


def test_an_act_that_did_not_take_effect_is_sent_again():
    act = answers(throttled("CreateDBClusterSnapshot"), "snapshot")
    assert waiting(FakeClock()).act_once(act, lambda: None, "taking", lambda note: None) == "snapshot"
