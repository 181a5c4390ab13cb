"""Running SQL over a direct MySQL connection, for users on the client host (or a forwarded port)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pymysql

from awscalls.errors import OperationError
from awscalls.sql_files import SqlFile

CONNECT_TIMEOUT_SECONDS = 10


def connect(host: str, port: int, user: str, password: str, ssl_ca: str | None = None) -> pymysql.connections.Connection:
    """A connection with autocommit off; with `ssl_ca`, TLS is required (PyMySQL refuses a server
    that offers none) and the certificate and host name are verified against that bundle."""
    ssl = {"ca": ssl_ca, "check_hostname": True} if ssl_ca else None
    try:
        return pymysql.connect(
            host=host,
            port=port,
            user=user,
            password=password,
            ssl=ssl,
            autocommit=False,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except pymysql.err.OperationalError as error:
        code, message = error.args[0], error.args[1] if len(error.args) > 1 else ""
        if code == 1045:
            raise OperationError(f"access denied for {user!r} at {host}:{port}: check the user and MYSQL_PWD") from error
        raise OperationError(f"cannot connect to {host}:{port}: {message}") from error


def apply_files(
    connection: pymysql.connections.Connection, files: Iterable[SqlFile], report: Callable[[str], None] = print
) -> list[str]:
    """Apply each file in its own transaction; a failing file is rolled back and stops the run."""
    applied = []
    for sql_file in files:
        try:
            with connection.cursor() as cursor:
                for statement in sql_file.statements:
                    cursor.execute(statement)
            connection.commit()
        except pymysql.err.MySQLError as error:
            connection.rollback()
            raise OperationError(f"{sql_file.name} failed and was rolled back: {error.args[-1]}") from error
        applied.append(f"{sql_file.name}: {len(sql_file.statements)} statement(s) committed")
        report(applied[-1])
    return applied
