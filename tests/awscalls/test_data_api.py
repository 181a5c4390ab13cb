"""The Data API path: request shapes checked by botocore's Stubber, the resuming retry, transactions."""

import pytest
from botocore.stub import ANY

from awscalls.data_api import DataApiSession, ResumeRetry, call_while_resuming
from awscalls.errors import OperationError
from awscalls.sql_files import SqlFile

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev-AbCdEf"
TARGET = {"resourceArn": CLUSTER, "secretArn": SECRET}
FILES = [
    SqlFile("01-schema.sql", ("CREATE DATABASE IF NOT EXISTS tutorial",)),
    SqlFile("02-planets.sql", ("INSERT 1", "INSERT 2")),
]


@pytest.fixture
def stubbed(stub):
    return stub("rds-data")


def resuming(stubber, method):
    stubber.add_client_error(
        method, service_error_code="DatabaseResumingException", service_message="resuming", http_status_code=400
    )


def session(client, messages, sleeps, retry=None):
    retry = retry or ResumeRetry()
    return DataApiSession(client, CLUSTER, SECRET, retry=retry, sleep=sleeps.append, report=messages.append)


def test_each_file_runs_in_its_own_committed_transaction(stubbed):
    client, stubber = stubbed
    stubber.add_response("begin_transaction", {"transactionId": "tx-1"}, TARGET)
    stubber.add_response(
        "execute_statement", {}, {**TARGET, "sql": "CREATE DATABASE IF NOT EXISTS tutorial", "transactionId": "tx-1"}
    )
    stubber.add_response(
        "commit_transaction", {"transactionStatus": "Transaction Committed"}, {**TARGET, "transactionId": "tx-1"}
    )
    stubber.add_response("begin_transaction", {"transactionId": "tx-2"}, TARGET)
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": "INSERT 1", "transactionId": "tx-2"})
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": "INSERT 2", "transactionId": "tx-2"})
    stubber.add_response(
        "commit_transaction", {"transactionStatus": "Transaction Committed"}, {**TARGET, "transactionId": "tx-2"}
    )
    messages = []
    applied = session(client, messages, []).apply_files(FILES)
    assert applied == ["01-schema.sql: 1 statement(s) committed", "02-planets.sql: 2 statement(s) committed"]


def test_a_failing_statement_rolls_the_file_back(stubbed):
    client, stubber = stubbed
    stubber.add_response("begin_transaction", {"transactionId": "tx-1"}, TARGET)
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": "INSERT 1", "transactionId": "tx-1"})
    stubber.add_client_error(
        "execute_statement", service_error_code="BadRequestException", service_message="Duplicate entry", http_status_code=400
    )
    stubber.add_response("rollback_transaction", {"transactionStatus": "Rollback Complete"}, {**TARGET, "transactionId": "tx-1"})
    with pytest.raises(OperationError, match="^02-planets.sql failed and was rolled back: BadRequestException: Duplicate entry$"):
        session(client, [], []).apply_files(FILES[1:])


def test_a_failed_commit_says_its_outcome_is_unknown_and_that_a_rerun_is_safe(stubbed):
    """A commit whose answer is lost may have been carried out: "rolled back" would be a guess. The
    rollback that follows only releases a transaction the commit left open; its refusal (the
    transaction is gone after a commit that went through) is not reported as a second failure."""
    client, stubber = stubbed
    stubber.add_response("begin_transaction", {"transactionId": "tx-1"}, TARGET)
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": "INSERT 1", "transactionId": "tx-1"})
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": "INSERT 2", "transactionId": "tx-1"})
    stubber.add_client_error("commit_transaction", "InternalServerErrorException", "internal error", 500)
    stubber.add_client_error("rollback_transaction", "BadRequestException", "Transaction tx-1 is not found", 400)
    messages = []
    with pytest.raises(OperationError) as caught:
        session(client, messages, []).apply_files(FILES[1:])
    assert str(caught.value) == (
        "02-planets.sql: its commit failed (InternalServerErrorException: internal error), so whether it took "
        "effect is unknown: check the data it writes before relying on it; running it again is safe (the sample "
        "data's SQL is idempotent: a second run leaves the same rows)"
    )
    assert "rolled back" not in str(caught.value) and messages == []


def test_resuming_database_is_retried_with_backoff_until_it_answers(stubbed):
    client, stubber = stubbed
    for _ in range(3):
        resuming(stubber, "begin_transaction")
    stubber.add_response("begin_transaction", {"transactionId": "tx-1"}, TARGET)
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": ANY, "transactionId": "tx-1"})
    stubber.add_response("commit_transaction", {}, {**TARGET, "transactionId": "tx-1"})
    messages, sleeps = [], []
    session(client, messages, sleeps).apply_files(FILES[:1])
    assert sleeps == [2, 4, 8]
    assert messages[0] == "the database is resuming from auto-pause; retrying in 2s (attempt 1 of 9)"


def test_resuming_gives_up_after_the_bound_with_a_clear_error(stubbed):
    client, stubber = stubbed
    retry = ResumeRetry(attempts=3, first_delay=1, max_delay=2)
    for _ in range(3):
        resuming(stubber, "begin_transaction")
    sleeps = []
    with pytest.raises(OperationError) as caught:
        session(client, [], sleeps, retry).apply_files(FILES[:1])
    assert sleeps == [1, 2]
    assert str(caught.value) == (
        "the database did not resume within 3s (it answered DatabaseResumingException 3 times); "
        "check the cluster's status and try again"
    )


def test_other_errors_are_not_retried(stubbed):
    client, stubber = stubbed
    stubber.add_client_error(
        "begin_transaction", service_error_code="ForbiddenException", service_message="not authorized", http_status_code=403
    )
    sleeps = []
    with pytest.raises(
        OperationError, match="^could not start a transaction through the Data API: ForbiddenException: not authorized$"
    ):
        session(client, [], sleeps).apply_files(FILES[:1])
    assert sleeps == []


def test_query_returns_plain_values(stubbed):
    client, stubber = stubbed
    resuming(stubber, "execute_statement")
    stubber.add_response(
        "execute_statement",
        {"records": [[{"longValue": 1}, {"stringValue": "Mercury"}], [{"longValue": 2}, {"isNull": True}]]},
        {**TARGET, "sql": "SELECT id, name FROM tutorial.planet"},
    )
    rows = session(client, [], []).query("SELECT id, name FROM tutorial.planet")
    assert rows == [[1, "Mercury"], [2, None]]


def test_default_backoff_waits_about_ninety_seconds():
    assert ResumeRetry().delays() == [2, 4, 8, 15, 15, 15, 15, 15]
    assert sum(ResumeRetry().delays()) == 89


def test_a_call_that_answers_at_once_does_not_wait():
    sleeps, messages = [], []
    assert call_while_resuming(lambda: "ok", sleep=sleeps.append, report=messages.append) == "ok"
    assert (sleeps, messages) == ([], [])


# Each retried error, its message and why a retry is safe are pinned by botocore's rds-data model
# (error shapes and their documentation), except the link failure: aws/aws-sdk-js#2914.
LINK_FAILURE = (
    "Communications link failure\n\nThe last packet sent successfully to the server was 0 milliseconds ago. "
    "The driver has not received any packets from the server."
)


@pytest.mark.parametrize(
    ("code", "message", "status", "reason"),
    [
        ("DatabaseUnavailableException", "", 504, "the writer instance is not available yet (DatabaseUnavailableException)"),
        ("ServiceUnavailableError", "", 503, "the Data API cannot reach the cluster yet (ServiceUnavailableError)"),
        (
            "BadRequestException",
            LINK_FAILURE,
            400,
            "the database does not accept connections yet (BadRequestException: Communications link failure)",
        ),
    ],
)
def test_a_database_not_ready_yet_is_retried_like_a_resuming_one(stubbed, code, message, status, reason):
    client, stubber = stubbed
    stubber.add_client_error("execute_statement", code, message, status)
    stubber.add_response("execute_statement", {"records": [[{"longValue": 1}]]}, {**TARGET, "sql": "SELECT 1"})
    messages, sleeps = [], []
    assert session(client, messages, sleeps).query("SELECT 1") == [[1]]
    assert sleeps == [2]
    assert messages == [f"{reason}; retrying in 2s (attempt 1 of 9)"]


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [
        # The statement ran out of time and may still run (ExecuteStatement continueAfterTimeout):
        # a retry would run it twice.
        ("StatementTimeoutException", "Statement timed out", 400),
        # HTTP 500: outcome unknown; botocore's _retry.json (general_server_error) retries it already.
        ("InternalServerErrorException", "", 500),
        ("BadRequestException", "Duplicate entry '1' for key 'PRIMARY'", 400),
        # A connection lost after packets were exchanged: the statement may have run.
        (
            "BadRequestException",
            "Communications link failure\n\nThe last packet successfully received from the server was 5 ms ago.",
            400,
        ),
        ("HttpEndpointNotEnabledException", "HttpEndpoint is not enabled for cluster aurora-dev", 400),
        ("DatabaseErrorException", "You have an error in your SQL syntax", 400),
    ],
)
def test_errors_that_a_retry_cannot_cure_are_final_at_once(stubbed, code, message, status):
    client, stubber = stubbed
    stubber.add_client_error("execute_statement", code, message, status)
    sleeps = []
    with pytest.raises(OperationError, match=f"^query failed: {code}"):
        session(client, [], sleeps).query("SELECT 1")
    assert sleeps == []


def test_the_retried_errors_are_the_models_not_ready_errors():
    """botocore's rds-data model: ExecuteStatement and BeginTransaction list each retried code, and
    each says the database or service is not available (or resuming), not that the request is wrong."""
    import botocore.session

    from awscalls.data_api import TRANSIENT

    model = botocore.session.get_session().get_service_model("rds-data")
    for operation in ("ExecuteStatement", "BeginTransaction"):
        assert set(TRANSIENT) <= {e.name for e in model.operation_model(operation).error_shapes}
    docs = {code: model.shape_for(code).documentation for code in TRANSIENT}
    assert "Wait a few seconds and try again" in docs["DatabaseResumingException"]
    assert "writer instance in the DB cluster isn't available" in docs["DatabaseUnavailableException"]
    assert "isn't available" in docs["ServiceUnavailableError"]
    assert "timed out" in model.shape_for("StatementTimeoutException").documentation


def test_a_database_never_ready_names_what_it_answered(stubbed):
    client, stubber = stubbed
    retry = ResumeRetry(attempts=3, first_delay=1, max_delay=2)
    resuming(stubber, "begin_transaction")
    for _ in range(2):
        stubber.add_client_error("begin_transaction", "DatabaseUnavailableException", "", 504)
    with pytest.raises(OperationError) as caught:
        session(client, [], [], retry).apply_files(FILES[:1])
    assert str(caught.value) == (
        "the database was not ready within 3s (it answered DatabaseResumingException, DatabaseUnavailableException "
        "in 3 tries); check the cluster's status and try again"
    )
