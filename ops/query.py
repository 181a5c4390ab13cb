"""`sql`: one statement through the RDS Data API (the workshop's "connect and query" without a
client host). A paused cluster is waited out; a statement that may write needs confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awscalls.data_api import ResumeRetry, call_while_resuming, field_value
from awscalls.errors import AWS_FAILURES, OperationError, one_line
from awscalls.sql_files import split_statements

from .render import grid
from .targets import DataApiTarget, data_api_off, says_data_api_off

# Statements that only read; anything else may change data and is confirmed first.
READ_ONLY_VERBS = ("SELECT", "SHOW", "DESCRIBE", "DESC", "EXPLAIN")


def single_statement(sql: str) -> str:
    statements = split_statements(sql)
    if len(statements) != 1:
        raise OperationError(f"give exactly one SQL statement (the Data API runs one per call); got {len(statements)}")
    return statements[0]


def reads_only(statement: str) -> bool:
    verb = statement.split(None, 1)[0].upper()
    return verb in READ_ONLY_VERBS and " INTO " not in f" {statement.upper()} "


def run_sql(
    data_api: Any,
    target: DataApiTarget,
    sql: str,
    database: str | None,
    confirm: Callable[[str], None],
    report: Callable[[str], None],
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    statement = single_statement(sql)
    if not reads_only(statement):
        confirm(f"This statement may change data in {target.cluster_arn}:\n  {statement}\nRun it?")
    request = {**target.request(), "sql": statement, "includeResultMetadata": True}
    if database:
        request["database"] = database
    try:
        response = call_while_resuming(lambda: data_api.execute_statement(**request), ResumeRetry(), sleep=sleep, report=report)
    except AWS_FAILURES as error:
        if says_data_api_off(error):
            raise OperationError(data_api_off(target.cluster, target.cluster_arn)) from error
        raise OperationError(f"the statement failed: {one_line(error)}") from error
    metadata = response.get("columnMetadata") or []
    columns = [column.get("label") or column.get("name") or f"column{index + 1}" for index, column in enumerate(metadata)]
    rows = [[field_value(field) for field in record] for record in response.get("records") or []]
    if not columns and rows:
        columns = [f"column{index + 1}" for index in range(len(rows[0]))]
    return {"columns": columns, "rows": rows, "recordsUpdated": response.get("numberOfRecordsUpdated", 0)}


def text_lines(result: dict[str, Any]) -> list[str]:
    """Rows as a table, then the count (as the mysql client prints them)."""
    if not result["columns"]:
        return [f"{result['recordsUpdated']} row(s) affected"]
    return [*grid(result["columns"], result["rows"]), f"({len(result['rows'])} row{'s' if len(result['rows']) != 1 else ''})"]
