"""Running `python -m ops` in-process: a terminal, stubbed sessions, one `run` (on tests/helpers.py's fake clock)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import boto3

from ops.cli import main
from ops.cluster_ops import Waiting
from tests.helpers import FakeClock

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Terminal(io.StringIO):
    def __init__(self, answer, tty=True):
        super().__init__(answer)
        self._tty = tty

    def isatty(self):
        return self._tty


class StubSession:
    """A boto3 session whose clients are Stubber-activated clients, one per service."""

    region_name = "us-east-1"

    def __init__(self, **clients):
        self.clients = clients
        self.requested = []

    def client(self, service, region_name=None, config=None):
        self.requested.append((service, region_name))
        return self.clients[service.replace("-", "_")]


_shared_session = []


def shared_session():
    """One boto3 session for the tests that need no hooks: its loader caches the service models,
    which are slow to load again for every command."""
    if not _shared_session:
        _shared_session.append(boto3.session.Session(region_name="us-east-1"))
    return _shared_session[0]


def run(argv, session=None, stdin=None, clock=None, outputs=None, environ=None, config=None, interval=10):
    """Exit code, standard output and standard error of one command."""
    clock = clock or FakeClock()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv,
        session=session or shared_session(),
        stdin=stdin or Terminal("", tty=False),
        stdout=out,
        stderr=err,
        read_outputs=lambda stack: (outputs or {})[stack],
        waiting=Waiting(interval_seconds=interval, clock=clock, sleep=clock.sleep),
        now=lambda: NOW,
        read_config=lambda stack, key: (config or {}).get((stack, key)),
        environ=environ or {},
    )
    return code, out.getvalue(), err.getvalue()
