"""Shared test fixtures: the recording mock engine (from `plan.engine`) run over the real stack
files, a MariaDB server on 127.0.0.1, botocore Stubbers, moto's fake account and its RDS client.
Plain helpers are in tests/helpers.py and the folders' own helper modules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from plan.engine import Deployment, run_program
from plan.snapshot import Snapshot, take
from tests.helpers import DEV_SOURCE_OUTPUTS, use_fake_aws_credentials


@pytest.fixture(scope="session")
def dev() -> Deployment:
    return run_program("dev")


@pytest.fixture(scope="session")
def prod() -> Deployment:
    return run_program("prod", stack_outputs=DEV_SOURCE_OUTPUTS)


@pytest.fixture(scope="session")
def dev_snapshot() -> Snapshot:
    """dev as the offline plan takes it (`plan.snapshot.take`), once for the whole run."""
    return take("dev")


@pytest.fixture(scope="session")
def prod_snapshot() -> Snapshot:
    """prod as the offline plan takes it, with the plan's placeholder outputs of dev."""
    return take("prod")


@pytest.fixture
def program() -> Callable[..., Deployment]:
    return run_program


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory):
    from tests import mariadb_server

    server, database = mariadb_server.start(tmp_path_factory.mktemp("mariadb"))
    yield database
    mariadb_server.stop(server)


@pytest.fixture
def empty_mariadb(mariadb):
    """The server with no `tutorial` database, whatever an earlier test left."""
    connection = mariadb.connect()
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS tutorial")
    connection.close()
    return mariadb


@pytest.fixture
def stub():
    """`stub("rds")` gives a boto3 client and its botocore Stubber, which checks each request
    against the service model; every queued response must have been used by the end of the test."""
    import boto3
    from botocore.stub import Stubber

    stubbers = []

    def make(service: str):
        client = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        stubber = Stubber(client)
        stubber.activate()
        stubbers.append(stubber)
        return client, stubber

    yield make
    for stubber in stubbers:
        stubber.deactivate()
        stubber.assert_no_pending_responses()


@pytest.fixture
def fake_aws_credentials(monkeypatch):
    use_fake_aws_credentials(monkeypatch)


@pytest.fixture
def moto_rds(fake_aws_credentials):
    """An RDS client of moto's fake account in us-east-1, empty; everything moto holds is dropped after the test."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        yield boto3.client("rds", region_name="us-east-1")


# Markers that say what a test needs beyond the code it calls (registered in pytest.ini). The
# mutation run (tests/mutation_selection.py) leaves such tests out by these markers alone, so they
# must be right: fixtures that bring the engine or MariaDB mark their users here, and the guard
# below fails any test that runs the engine or starts a child process without its marker.
ENGINE_FIXTURES = {"dev", "prod", "program", "dev_snapshot", "prod_snapshot"}
MARIADB_FIXTURES = {"mariadb"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        needed = set(getattr(item, "fixturenames", ()))
        if needed & ENGINE_FIXTURES:
            item.add_marker(pytest.mark.engine)
        if needed & MARIADB_FIXTURES:
            # The server is a child process, started by whichever test of a worker needs it first:
            # every such test may be that one, so each carries both markers.
            item.add_marker(pytest.mark.mariadb)
            item.add_marker(pytest.mark.subprocess)


class _Activity:
    """Counts engine runs and child processes, so a test's activity can be compared with its markers."""

    engine_runs = 0
    child_processes = 0
    # Fixtures seen running the engine or starting a child: every test that uses one needs the marker.
    engine_fixtures: set[str] = set()
    subprocess_fixtures: set[str] = set()

    @classmethod
    def install(cls) -> None:
        import subprocess

        import plan.engine

        mocks_init = plan.engine.RecordingMocks.__init__
        popen_init = subprocess.Popen.__init__

        def counting_mocks_init(self, *args, **kwargs):
            cls.engine_runs += 1
            mocks_init(self, *args, **kwargs)

        def counting_popen_init(self, *args, **kwargs):
            cls.child_processes += 1
            popen_init(self, *args, **kwargs)

        # A fixture asked for by name at run time (`request.getfixturevalue("dev")`) is not among the
        # test's fixturenames, and once cached it runs nothing: count the request itself.
        getfixturevalue = pytest.FixtureRequest.getfixturevalue

        def counting_getfixturevalue(self, argname):
            if argname in ENGINE_FIXTURES | cls.engine_fixtures:
                cls.engine_runs += 1
            if argname in cls.subprocess_fixtures:
                cls.child_processes += 1
            return getfixturevalue(self, argname)

        plan.engine.RecordingMocks.__init__ = counting_mocks_init  # type: ignore[method-assign]
        pytest.FixtureRequest.getfixturevalue = counting_getfixturevalue  # type: ignore[method-assign]
        subprocess.Popen.__init__ = counting_popen_init  # type: ignore[method-assign]

    @classmethod
    def snapshot(cls) -> tuple[int, int]:
        return cls.engine_runs, cls.child_processes


def _share_botocore_models() -> None:
    """Each boto3 session reads and parses its service models again (botocore caches them per
    loader, and every session has a loader of its own): a test process makes hundreds of sessions
    (every `ops` command, every moto test), and parsing rds and ec2 again each time was most of the
    ops tests' time. The files never change during a run, so one parse per search path serves every
    session, as one loader serves every client of a session in botocore itself."""
    import functools

    from botocore.loaders import Loader

    for name in ("load_service_model", "load_data", "load_data_with_path", "list_available_services", "determine_latest_version"):
        original = getattr(Loader, name)

        @functools.wraps(original)
        def shared(self, *args, _original=original, _cache={}, **kwargs):  # noqa: B006 - the cache is the point
            key = (tuple(self.search_paths), args, tuple(sorted(kwargs.items())))
            if key not in _cache:
                _cache[key] = _original(self, *args, **kwargs)
            return _cache[key]

        setattr(Loader, name, shared)


def _share_moto_kms_key_material() -> None:
    """moto makes an RSA-2048 private key for every KMS key it creates (50 ms each); no test signs
    or verifies with one, so one key per key spec serves them all."""
    import functools

    import moto.kms.models

    moto.kms.models.generate_private_key = functools.cache(moto.kms.models.generate_private_key)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything imported by collection (pulumi_aws, moto, botocore) lives until the process ends:
    frozen, the garbage collector stops walking it on every full collection, and pytest's five
    collections at the end of the session take milliseconds, not a second."""
    import gc

    gc.freeze()


def _skip_moto_image_catalogue() -> None:
    """moto builds its catalogue of Amazon's images (some 1,300 AMIs with random ids) each time an EC2
    backend starts, a third of the EC2 tests' time; no test reads it (`helpers.client_host_image`
    registers the one a client host needs). Left to a value the environment sets."""
    import os

    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(_Activity, "installed"):
        _Activity.install()
        _share_botocore_models()
        _share_moto_kms_key_material()
        _skip_moto_image_catalogue()
        _Activity.installed = True  # type: ignore[attr-defined]


def _check_activity(item: pytest.Item, before: tuple[int, int], phase: str) -> None:
    engine_runs, child_processes = (now - then for now, then in zip(_Activity.snapshot(), before, strict=True))
    fixtures = set(getattr(item, "fixturenames", ()))
    engine_runs += len(fixtures & _Activity.engine_fixtures)
    child_processes += len(fixtures & _Activity.subprocess_fixtures)
    missing = []
    if engine_runs and item.get_closest_marker("engine") is None:
        missing.append("engine (it ran the program under the mock engine)")
    if child_processes and item.get_closest_marker("subprocess") is None:
        missing.append("subprocess (it started a child process)")
    if missing:
        pytest.fail(
            f"{item.nodeid} needs the marker {' and '.join(missing)} in its {phase}; see tests/conftest.py", pytrace=False
        )


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    before = _Activity.snapshot()
    result = yield
    engine_runs, child_processes = (now - then for now, then in zip(_Activity.snapshot(), before, strict=True))
    if engine_runs:
        _Activity.engine_fixtures.add(fixturedef.argname)
    if child_processes:
        _Activity.subprocess_fixtures.add(fixturedef.argname)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    before = _Activity.snapshot()
    result = yield
    _check_activity(item, before, "setup")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    before = _Activity.snapshot()
    result = yield
    _check_activity(item, before, "call")
    return result
