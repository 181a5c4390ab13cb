"""`ops seed`: apply the sample-data SQL files, through the Data API or a direct connection."""

from __future__ import annotations

import os
from collections.abc import Callable

from . import direct
from .data_api import DataApiSession
from .errors import OperationError
from .sql_files import SAMPLE_DATA_DIR, load_sql_files

COUNT_PLANETS = "SELECT COUNT(*) FROM tutorial.planet"


def seed_through_data_api(client, cluster_arn: str, secret_arn: str, report: Callable[[str], None]) -> dict:
    session = DataApiSession(client, cluster_arn, secret_arn, report=report)
    applied = session.apply_files(load_sql_files(SAMPLE_DATA_DIR))
    rows = session.query(COUNT_PLANETS)[0][0]
    return {"path": "data-api", "cluster": cluster_arn, "applied": applied, "planets": rows}


def seed_directly(host: str, port: int, user: str, ssl_ca: str | None, report: Callable[[str], None]) -> dict:
    password = os.environ.get("MYSQL_PWD")
    if password is None:
        raise OperationError("MYSQL_PWD is not set: export the password in MYSQL_PWD (it is never taken on the command line)")
    connection = direct.connect(host, port, user, password, ssl_ca)
    try:
        applied = direct.apply_files(connection, load_sql_files(SAMPLE_DATA_DIR), report)
        with connection.cursor() as cursor:
            cursor.execute(COUNT_PLANETS)
            rows = cursor.fetchone()[0]
    finally:
        connection.close()
    return {"path": "direct", "host": f"{host}:{port}", "applied": applied, "planets": rows}
