"""The one exception type operations raise for the user, and the one way every command turns an
AWS failure into a line: `one_line`."""

from __future__ import annotations

import os
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, NoCredentialsError, NoRegionError, ProfileNotFound
from botocore.exceptions import ConnectionError as ConnectionFailure
from botocore.parsers import ResponseParserError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker, TransientRetryableChecker

NOT_AWS = "the endpoint's answer is not an AWS response"
CHECK_ENDPOINT = "(check AWS_ENDPOINT_URL and the region)"


class NotAnAwsAnswer(Exception):
    """A parsed answer without the element every AWS answer to the call has (an HTML page that
    botocore parsed as an empty result)."""


# ResponseParserError (an endpoint that answers with something other than AWS's XML/JSON, such as
# an HTML error page) is not a BotoCoreError, so it is named on its own.
AWS_FAILURES = (ClientError, BotoCoreError, ResponseParserError, NotAnAwsAnswer)

Answer = TypeVar("Answer")


class OperationError(Exception):
    """A failure worth one line to the user (no traceback): what failed and what to do."""


def answer_field(response: dict[str, Any], key: str) -> Any:
    """`response[key]`; a missing key means the endpoint did not answer as AWS does."""
    if key not in response:
        raise NotAnAwsAnswer(key)
    return response[key]


def raised_inside_botocore(error: BaseException) -> bool:
    """True when the innermost frame is botocore's: an answer it could not read raises plain
    KeyError or ValueError there (an HTML page that parses as XML but holds no result element)."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}botocore{os.sep}" in frame.tb_frame.f_code.co_filename


def error_code(error: Exception) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""


def error_message(error: Exception) -> str:
    return (error.response.get("Error", {}).get("Message", "") or "") if isinstance(error, ClientError) else ""


def _not_aws_client_error(error: ClientError) -> str | None:
    """A ClientError botocore made from an answer that is not AWS's (an HTML page, a bare HTTP
    status): AWS's own errors have a named code and a message that is not markup."""
    code, message = error_code(error), error_message(error)
    if not (code in ("", "Unknown") or code.isdecimal() or message.lstrip().startswith("<")):
        return None
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    try:
        phrase = f"HTTP {status} {HTTPStatus(status).phrase}"
    except (TypeError, ValueError):
        phrase = f"HTTP {status}" if status else "no HTTP status"
    page = ", an HTML page" if "<html" in message.lower() or "<!doctype" in message.lower() else ""
    return f"{NOT_AWS} ({phrase}{page}) {CHECK_ENDPOINT}"


def _configuration(error: BotoCoreError) -> str:
    if isinstance(error, ProfileNotFound):
        profile = error.kwargs.get("profile", "")
        return (
            f"AWS profile {profile!r} is not configured: set AWS_PROFILE to a profile `aws configure list-profiles` "
            "shows, or unset it"
        )
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials found: configure a profile (AWS_PROFILE) or environment credentials"
    if isinstance(error, NoRegionError):
        return "no AWS region: pass --region or set AWS_REGION"
    return str(error)


def one_line(error: Exception) -> str:
    """An AWS failure as one line: `Code: message` for service errors, what is wrong with the
    configuration for botocore's own errors, and a plain statement for answers that are not AWS's."""
    if isinstance(error, ClientError):
        message = _not_aws_client_error(error) or (f"{error_code(error)}: {error_message(error)}".rstrip(": "))
    elif isinstance(error, BotoCoreError):
        message = _configuration(error)
    elif isinstance(error, (ResponseParserError, NotAnAwsAnswer)) or raised_inside_botocore(error):
        message = f"{NOT_AWS} {CHECK_ENDPOINT}"
    else:
        message = str(error)
    first = message.strip().splitlines()[0] if message.strip() else type(error).__name__
    return first if len(first) <= 300 else first[:297] + "..."


# HTTP statuses botocore's standard retry mode repeats (botocore/retries/standard.py:
# TransientRetryableChecker and ThrottlingStatusCodeChecker).
_TRANSIENT_STATUSES = (429, 500, 502, 503, 504)


def transient(error: Exception) -> bool:
    """A failure that says nothing about the request itself, as botocore's standard retry mode
    judges it: throttling, a server error, a lost connection or answer. Such a failure can outlast
    botocore's own few attempts; anything else (access denied, a bad parameter) will not heal."""
    if isinstance(error, ClientError):
        context = RetryContext(attempt_number=1, parsed_response=error.response)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        # A status without a named code is an endpoint that is not AWS (`_not_aws_client_error`): asking again will not help.
        code = error_code(error)
        return (
            ThrottledRetryableChecker().is_retryable(context)
            or TransientRetryableChecker().is_retryable(context)
            or (status in _TRANSIENT_STATUSES and code not in ("", "Unknown") and not code.isdecimal())
        )
    return isinstance(error, (ConnectionFailure, HTTPClientError))


def again_if_transient(call: Callable[[], Answer], failures_allowed: int, before_again: Callable[[Exception], None]) -> Answer:
    """`call()`, a read or a call safe to repeat, made again after a transient failure (`transient`),
    at most `failures_allowed` failures in a row; `before_again` reports the failure and waits."""
    failures = 0
    while True:
        try:
            return call()
        except AWS_FAILURES as error:
            failures += 1
            if not transient(error) or failures > failures_allowed:
                raise
            before_again(error)
