"""The one exception type operations raise for the user, and the failures AWS calls can end in."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

# ResponseParserError (an endpoint that answers with something other than AWS's XML/JSON, such as
# an HTML error page) is not a BotoCoreError, so it is named on its own.
AWS_FAILURES = (ClientError, BotoCoreError, ResponseParserError)


class OperationError(Exception):
    """A failure worth one line to the user (no traceback): what failed and what to do."""


def error_code(error: Exception) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""


def one_line(error: Exception) -> str:
    """An AWS failure as one line: `Code: message` for service errors, the first line otherwise."""
    if isinstance(error, ClientError):
        message = f"{error_code(error)}: {error.response.get('Error', {}).get('Message', '')}".rstrip(": ")
    elif isinstance(error, ResponseParserError):
        message = "the endpoint's answer is not an AWS response (check AWS_ENDPOINT_URL and the region)"
    else:
        message = str(error)
    first = message.strip().splitlines()[0] if message.strip() else type(error).__name__
    return first if len(first) <= 300 else first[:297] + "..."
