"""The one exception type operations raise for the user, and the failures AWS calls can end in."""

from __future__ import annotations

import os

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

# ResponseParserError (an endpoint that answers with something other than AWS's XML/JSON, such as
# an HTML error page) is not a BotoCoreError, so it is named on its own.
AWS_FAILURES = (ClientError, BotoCoreError, ResponseParserError)


class OperationError(Exception):
    """A failure worth one line to the user (no traceback): what failed and what to do."""


def raised_inside_botocore(error: BaseException) -> bool:
    """True when the innermost frame is botocore's: an answer it could not read raises plain
    KeyError or ValueError there (an HTML page that parses as XML but holds no result element)."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and f"{os.sep}botocore{os.sep}" in frame.tb_frame.f_code.co_filename


def error_code(error: Exception) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""


def one_line(error: Exception) -> str:
    """An AWS failure as one line: `Code: message` for service errors, the first line otherwise."""
    if isinstance(error, ClientError):
        message = f"{error_code(error)}: {error.response.get('Error', {}).get('Message', '')}".rstrip(": ")
    elif isinstance(error, ResponseParserError) or raised_inside_botocore(error):
        message = "the endpoint's answer is not an AWS response (check AWS_ENDPOINT_URL and the region)"
    else:
        message = str(error)
    first = message.strip().splitlines()[0] if message.strip() else type(error).__name__
    return first if len(first) <= 300 else first[:297] + "..."
