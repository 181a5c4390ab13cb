"""A dynamic provider's failure reaches `pulumi up` as one line; its detail goes to the host's log.

Pulumi's dynamic-provider host (the pulumi package's `pulumi/dynamic/__main__.py`, 3.272) wraps
Create, Read, Update, Delete, Diff and Check in `_abort_with_traceback`: an exception a provider
raises ends the call with `context.abort(grpc.StatusCode.UNKNOWN, traceback.format_exc())`, and that
text, the whole traceback with every chained exception, is the resource's error in `pulumi up`.
`format_exc` gives one line when the exception has no chain (raised `from None`) and
`sys.tracebacklimit` is 0: the traceback module then prints neither frames nor the "Traceback (most
recent call last)" header. The limit is set in `configure`, which only the host calls (once, when it
loads the provider), so the program's own process and the tests keep their tracebacks.

The host's stderr is not hidden (pulumi's sdk/go/common/resource/plugin/plugin.go: each line a
dynamic provider writes there is an info message of `pulumi up`, and in the engine's log from -v=5),
and `pulumi.log` in the host writes to it: the detail, the chain of exceptions with the place each
was raised, goes there as one line.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import pulumi
from pulumi.dynamic import ConfigureRequest, ResourceProvider

from awscalls.errors import AWS_FAILURES, one_line

Method = TypeVar("Method", bound=Callable[..., Any])


class OneLineProvider(ResourceProvider):
    """A dynamic provider whose failures the host sends to `pulumi up` without a traceback; each of
    its methods is wrapped in `in_one_line`."""

    def configure(self, req: ConfigureRequest) -> None:
        # The host's own answer to a failing call is `traceback.format_exc()`: no frames from here on.
        sys.tracebacklimit = 0


def in_one_line(error_type: type[Exception], what: str) -> Callable[[Method], Method]:
    """The provider method, with any exception turned into one `error_type` of one line (`what`
    names the resource for a failure that does not name it itself) and its detail logged."""

    def wrap(method: Method) -> Method:
        @functools.wraps(method)
        def boundary(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 (the promise is one line for any failure, a defect too)
                pulumi.log.info(f"{what}, {method.__name__} failed: {detail(error)}")
                raise error_type(summary(error, error_type, what, method.__name__)) from None

        return boundary  # type: ignore[return-value]

    return wrap


def summary(error: Exception, error_type: type[Exception], what: str, method: str) -> str:
    """The provider's own error says what happened and what to do; anything else is named with the
    resource and the call it broke."""
    if isinstance(error, error_type):
        return " ".join(str(error).split())
    if isinstance(error, AWS_FAILURES):
        return f"{what}, {method}: {one_line(error)}; fix the cause and run `pulumi up` again"
    return f"{what}, {method}: {type(error).__name__}: {one_line(error)} (a fault of this program; the detail is in the log)"


def detail(error: BaseException) -> str:
    """Each exception of the chain, outermost first, with the place it was raised."""
    parts = []
    link: BaseException | None = error
    while link is not None:
        parts.append(f"{type(link).__name__} at {_raised_at(link)}: {' '.join(str(link).split())}")
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    return "; caused by ".join(parts)


def _raised_at(error: BaseException) -> str:
    frame = error.__traceback__
    if frame is None:
        return "an unknown place"
    while frame.tb_next is not None:
        frame = frame.tb_next
    code = frame.tb_frame.f_code
    return f"{os.path.relpath(code.co_filename)}:{frame.tb_lineno} in {code.co_name}"
