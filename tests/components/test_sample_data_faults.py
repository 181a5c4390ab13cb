"""Issue 29: the sample data failing at each of its Data API calls in turn, in each of the three ways
of tests/faults.py, ends after one re-run where a clean run ends.

The Data API is a fake answering from the rds-data model's shapes (tests/model_fake.py) that runs
the statements on the test MariaDB, one connection per transaction. What it assumes of the Data API,
beyond the shapes:

- a call naming a transaction that is no longer open (committed, rolled back, or never begun)
  answers BadRequestException "Transaction ... is not found";
- a transaction the failed run left open is discarded before the re-run: the Data API rolls back
  a transaction that sees no call for three minutes, and `pulumi up` is run again after that.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest

from awscalls.sql_files import SAMPLE_DATA_DIR, SAMPLE_DATA_TEARDOWN_DIR, digest, load_sql_files
from components.sample_data import SampleDataError, SqlFilesProvider, _files_input
from tests.faults import Faults, every_fault
from tests.helpers import planets
from tests.model_fake import FakeError, model_client

FILES = load_sql_files(SAMPLE_DATA_DIR)
PROPS = {
    "cluster_arn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
    "cluster_resource_id": "cluster-ABCDEFGHIJKL",
    "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
    "region": "us-east-1",
    "files": _files_input(FILES),
    "digest": digest(FILES),
    "teardown_files": _files_input(load_sql_files(SAMPLE_DATA_TEARDOWN_DIR)),
    "drop_on_delete": False,
}


class DataApiOnMariaDb:
    def __init__(self, server: Any):
        self.server = server
        self.open: dict[str, Any] = {}
        self.begun = 0

    def answer(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        assert (params["resourceArn"], params["secretArn"]) == (PROPS["cluster_arn"], PROPS["secret_arn"])
        if operation == "BeginTransaction":
            self.begun += 1
            transaction = f"tx-{self.begun}"
            self.open[transaction] = self.server.connect(autocommit=False)
            return {"transactionId": transaction}
        connection = self._transaction(params["transactionId"])
        if operation == "ExecuteStatement":
            with connection.cursor() as cursor:
                return {"numberOfRecordsUpdated": cursor.execute(params["sql"])}
        del self.open[params["transactionId"]]
        if operation == "CommitTransaction":
            connection.commit()
            connection.close()
            return {"transactionStatus": "Transaction Committed"}
        assert operation == "RollbackTransaction"
        connection.rollback()
        connection.close()
        return {"transactionStatus": "Rollback Complete"}

    def _transaction(self, transaction: str) -> Any:
        if transaction not in self.open:
            raise FakeError("BadRequestException", f"Transaction {transaction} is not found")
        return self.open[transaction]

    def time_out(self) -> int:
        """Roll back what was left open, as the Data API does after three minutes; how many."""
        left = len(self.open)
        for connection in self.open.values():
            connection.rollback()
            connection.close()
        self.open.clear()
        return left


def run(data_api: DataApiOnMariaDb, faults: Faults, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One `pulumi up` of the sample data (the provider's create) through `faults`; its `applied`."""
    client = faults.wrap(model_client("rds-data", data_api.answer))
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    monkeypatch.setattr("pulumi.log.info", lambda *args, **kwargs: None)
    applied: list[str] = SqlFilesProvider().create(PROPS).outs["applied"]
    return applied


@pytest.mark.subprocess
def test_a_failure_at_any_call_ends_after_one_rerun_where_a_clean_run_ends(empty_mariadb, monkeypatch):
    clean = Faults()
    clean_applied = run(DataApiOnMariaDb(empty_mariadb), clean, monkeypatch)
    clean_end = (clean_applied, planets(empty_mariadb))
    assert Counter(clean.calls) == {
        "rds-data.BeginTransaction": 2,
        "rds-data.ExecuteStatement": 3,
        "rds-data.CommitTransaction": 2,
    }
    outcomes: Counter[str] = Counter()
    left_open = 0
    for faults in every_fault(len(clean.calls)):
        connection = empty_mariadb.connect()
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS tutorial")
        connection.close()
        data_api = DataApiOnMariaDb(empty_mariadb)
        try:
            applied = run(data_api, faults, monkeypatch)
            outcomes["survived"] += 1
        except SampleDataError as error:
            assert "\n" not in str(error)
            left_open += data_api.time_out()
            applied = run(data_api, Faults(), monkeypatch)
            outcomes["re-run"] += 1
        left_open += data_api.time_out()
        assert (applied, planets(empty_mariadb)) == clean_end, f"call {faults.fail_at} failing {faults.kind}"
    # 7 calls, 3 kinds: every one converges. A `retried` statement runs twice in its transaction
    # (idempotent SQL) and a `retried` BeginTransaction leaves an unused transaction open: the run
    # survives both. The rest stop the run (a `retried` commit too: the second one finds the
    # transaction gone, and the message says its outcome is unknown) and one re-run finishes it. A
    # `lost` or `retried` BeginTransaction leaves an empty transaction to the Data API's timeout.
    assert outcomes == {"re-run": 16, "survived": 5}
    assert left_open == 4
