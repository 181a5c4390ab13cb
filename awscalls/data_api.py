"""Running SQL through the RDS Data API, with patience for a database that is not ready yet.

A cluster paused at 0 ACU answers its first call with DatabaseResumingException and starts
resuming (about 15 s); a writer that has just become available can still be unreachable for a
moment. Such calls are retried with bounded backoff, telling the user why it waits; every other
error is final at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from .errors import AWS_FAILURES, OperationError, answer_field, error_code, error_message, one_line
from .sql_files import SqlFile

T = TypeVar("T")
RESUMING = "DatabaseResumingException"

# The Data API errors that mean "not yet" (botocore's rds-data model, error shapes and their
# documentation). In each, the statement never reached the database, so a retry cannot run it twice.
TRANSIENT = {
    # "The Data API request automatically resumes the DB instance. Wait a few seconds and try again."
    RESUMING: "the database is resuming from auto-pause",
    # "The writer instance in the DB cluster isn't available." (HTTP 504)
    "DatabaseUnavailableException": "the writer instance is not available yet (DatabaseUnavailableException)",
    # "The service specified by the resourceArn parameter isn't available." (HTTP 503)
    "ServiceUnavailableError": "the Data API cannot reach the cluster yet (ServiceUnavailableError)",
}
# Not retried, on purpose: StatementTimeoutException (the statement ran and may go on running:
# ExecuteStatement's continueAfterTimeout, a retry would run it again); InternalServerErrorException
# (HTTP 500, outcome unknown; botocore's own retry handler, _retry.json general_server_error, already
# retries it briefly); the errors of a wrong request, secret, permission or switch (HttpEndpoint-
# NotEnabledException, ForbiddenException, SecretsErrorException, DatabaseErrorException...).

# The BadRequestException (deprecated in the model, still sent) a database that is not accepting
# connections yet answers: the Data API's MySQL driver never got a packet, so nothing ran
# (aws/aws-sdk-js#2914, "Communications link failure when unpausing": "The last packet sent
# successfully to the server was 0 milliseconds ago. The driver has not received any packets").
LINK_FAILURE = ("Communications link failure", "has not received any packets from the server")


def transient_reason(error: ClientError) -> str | None:
    """Why the call may succeed if retried; None for an error that retrying cannot cure."""
    code = error_code(error)
    if code in TRANSIENT:
        return TRANSIENT[code]
    if code == "BadRequestException" and all(part in error_message(error) for part in LINK_FAILURE):
        return "the database does not accept connections yet (BadRequestException: Communications link failure)"
    return None


@dataclass(frozen=True)
class ResumeRetry:
    """Backoff while the database is not ready: 2, 4, 8, then 15 s steps, about 90 s in all."""

    attempts: int = 9
    first_delay: float = 2.0
    max_delay: float = 15.0

    def delays(self) -> list[float]:
        return [min(self.first_delay * 2**n, self.max_delay) for n in range(self.attempts - 1)]


def call_while_resuming(
    call: Callable[[], T],
    retry: ResumeRetry = ResumeRetry(),
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[str], None] = print,
) -> T:
    """Run `call`, retrying while the database answers that it is not ready yet (TRANSIENT)."""
    delays = retry.delays()
    answers = []
    for attempt in range(retry.attempts):
        try:
            return call()
        except ClientError as error:
            reason = transient_reason(error)
            if reason is None:
                raise
            answers.append(error_code(error))
            if attempt == len(delays):
                break
            report(f"{reason}; retrying in {delays[attempt]:g}s (attempt {attempt + 1} of {retry.attempts})")
            sleep(delays[attempt])
    waited = sum(delays)
    if set(answers) == {RESUMING}:
        raise OperationError(
            f"the database did not resume within {waited:g}s (it answered {RESUMING} "
            f"{retry.attempts} times); check the cluster's status and try again"
        )
    raise OperationError(
        f"the database was not ready within {waited:g}s (it answered {', '.join(sorted(set(answers)))} in "
        f"{retry.attempts} tries); check the cluster's status and try again"
    )


class DataApiSession:
    """SQL against one cluster through the Data API, authenticated with a Secrets Manager secret."""

    def __init__(
        self,
        client: Any,
        resource_arn: str,
        secret_arn: str,
        retry: ResumeRetry = ResumeRetry(),
        sleep: Callable[[float], None] = time.sleep,
        report: Callable[[str], None] = print,
    ):
        self.client = client
        self.resource_arn = resource_arn
        self.secret_arn = secret_arn
        self.retry = retry
        self.sleep = sleep
        self.report = report

    def _target(self) -> dict[str, str]:
        return {"resourceArn": self.resource_arn, "secretArn": self.secret_arn}

    def apply_files(self, files: Iterable[SqlFile]) -> list[str]:
        """Apply each file in its own transaction; a failing file is rolled back and stops the run.

        A failed CommitTransaction is another matter: the commit may have been carried out and only
        its answer lost (a timeout), so the error says the outcome is unknown, not rolled back."""
        applied = []
        for sql_file in files:
            transaction = self._begin()
            try:
                for statement in sql_file.statements:
                    self.client.execute_statement(sql=statement, transactionId=transaction, **self._target())
            except AWS_FAILURES as error:
                self._rollback(transaction)
                raise OperationError(f"{sql_file.name} failed and was rolled back: {one_line(error)}") from error
            try:
                self.client.commit_transaction(transactionId=transaction, **self._target())
            except AWS_FAILURES as error:
                # Releases the transaction if the commit never ran; after a commit that did, it has nothing to undo.
                self._rollback(transaction, quiet=True)
                raise OperationError(
                    f"{sql_file.name}: its commit failed ({one_line(error)}), so whether it took effect is unknown: "
                    "check the data it writes before relying on it; running it again is safe (the sample data's "
                    "SQL is idempotent: a second run leaves the same rows)"
                ) from error
            applied.append(f"{sql_file.name}: {len(sql_file.statements)} statement(s) committed")
            self.report(applied[-1])
        return applied

    def query(self, sql: str) -> list[list[Any]]:
        """Rows of a single statement, each a list of plain Python values."""
        try:
            response = call_while_resuming(
                lambda: self.client.execute_statement(sql=sql, **self._target()), self.retry, self.sleep, self.report
            )
        except AWS_FAILURES as error:
            raise OperationError(f"query failed: {one_line(error)}") from error
        return [[field_value(field) for field in record] for record in response.get("records", [])]

    def _begin(self) -> str:
        try:
            response = call_while_resuming(
                lambda: self.client.begin_transaction(**self._target()), self.retry, self.sleep, self.report
            )
        except AWS_FAILURES as error:
            raise OperationError(f"could not start a transaction through the Data API: {one_line(error)}") from error
        return answer_field(response, "transactionId")

    def _rollback(self, transaction: str, quiet: bool = False) -> None:
        """RollbackTransaction; `quiet` after a failed commit, where a refusal only says the commit
        went through or the transaction is gone."""
        try:
            self.client.rollback_transaction(transactionId=transaction, **self._target())
        except AWS_FAILURES as error:
            # The transaction times out server-side anyway; the original failure is what matters.
            if not quiet:
                self.report(f"rollback failed too ({one_line(error)}); the Data API discards it when it times out")


def field_value(field: dict[str, Any]) -> Any:
    """A Data API field (`{'longValue': 1}`, `{'isNull': True}`) as a plain value."""
    if field.get("isNull"):
        return None
    return next(iter(field.values()))
