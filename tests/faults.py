"""A fault injector for the run-time code's AWS calls: call number k fails once, in one of three ways.

Issue 29's measure of "a re-run ends where a clean run ends": run a command with call k failing,
then run it again unchanged, for every k and every kind, and compare the end state with a clean
run's. The three kinds are what a caller of AWS can meet:

- `before`: the call fails before it takes effect (a throttle, a refused connection): nothing changed;
- `lost`: the call takes effect and its answer is lost (a read timeout): AWS changed, the caller
  does not know;
- `retried`: the call takes effect, its answer is lost, and botocore sends it again: the caller
  sees the second answer (for a create, usually "already exists").

`FaultyClient` wraps a boto3 client (one of moto's, or a botocore `Stubber`'s) and counts every API
operation called through it, across all the clients that share one `Faults`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from botocore.exceptions import ClientError, ReadTimeoutError

Kind = Literal["before", "lost", "retried"]
KINDS: tuple[Kind, ...] = ("before", "lost", "retried")


@dataclass
class Faults:
    """Which call fails (`fail_at`, 1-based, counted over every wrapped client) and how; 0: none."""

    fail_at: int = 0
    kind: Kind = "before"
    calls: list[str] = field(default_factory=list)
    """Every operation called, in order (`rds.CreateDBClusterSnapshot`), the failing one included."""

    def wrap(self, client: Any) -> FaultyClient:
        return FaultyClient(client, self)

    @property
    def fired(self) -> bool:
        return 0 < self.fail_at <= len(self.calls)


def throttled(operation: str) -> ClientError:
    """What a call that never took effect raises: AWS's throttling error, as botocore gives it."""
    return ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, operation)


def timed_out() -> ReadTimeoutError:
    """What a call whose answer was lost raises."""
    return ReadTimeoutError(endpoint_url="https://rds.amazonaws.com")


class FaultyClient:
    """A boto3 client whose API methods go through `Faults`; everything else (`meta`,
    `exceptions`, `get_waiter`, `get_paginator`) is the client's own."""

    def __init__(self, client: Any, faults: Faults):
        self._client, self._faults = client, faults

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        operation = self._client.meta.method_to_api_mapping.get(name)
        if operation is None or not callable(attribute):
            return attribute
        return self._faulty(f"{self._client.meta.service_model.service_name}.{operation}", attribute)

    def _faulty(self, operation: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            self._faults.calls.append(operation)
            if len(self._faults.calls) != self._faults.fail_at:
                return call(*args, **kwargs)
            if self._faults.kind == "before":
                raise throttled(operation.split(".", 1)[1])
            answer = call(*args, **kwargs)
            if self._faults.kind == "lost":
                raise timed_out()
            del answer  # botocore sent it again: the caller sees the second answer
            return call(*args, **kwargs)

        return run


def every_fault(calls: int) -> Iterator[Faults]:
    """A `Faults` for each call of a clean run of `calls` calls and each kind."""
    for fail_at in range(1, calls + 1):
        for kind in KINDS:
            yield Faults(fail_at, kind)
