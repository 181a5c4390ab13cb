"""`ops seed`: apply the sample-data SQL files, through the Data API or a direct connection.

The direct path uses TLS verified against the RDS CA bundle by default (the file given with
`--ssl-ca`, else the bundle the client host installs) and refuses plaintext unless asked."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from awscalls.data_api import DataApiSession
from awscalls.errors import OperationError
from awscalls.sql_files import SAMPLE_DATA_DIR, load_sql_files

from . import direct
from .targets import DataApiTarget

COUNT_PLANETS = "SELECT COUNT(*) FROM tutorial.planet"
# What a failed seed leaves: each file is one transaction, and every file is safe to apply again.
LEFT_BEHIND = "the files reported committed stay committed: run the same command again, it applies every file again"
RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
# Where the client host's user data puts the bundle (components/scripts/client-init.sh).
CLIENT_HOST_CA_BUNDLE = Path("/etc/pki/rds/global-bundle.pem")


def seed_through_data_api(client, target: DataApiTarget, report: Callable[[str], None]) -> dict:
    session = DataApiSession(client, target.cluster_arn, target.secret_arn, report=report)
    try:
        applied = session.apply_files(load_sql_files(SAMPLE_DATA_DIR))
        rows = session.query(COUNT_PLANETS)[0][0]
    except OperationError as error:
        raise OperationError(f"{error}; {LEFT_BEHIND}") from error
    return {"path": "data-api", "cluster": target.cluster_arn, "applied": applied, "planets": rows}


def ca_bundle(ssl_ca: str | None, allow_plaintext: bool, default: Path = CLIENT_HOST_CA_BUNDLE) -> str | None:
    """The CA bundle to verify the server with; None only when plaintext was asked for."""
    if ssl_ca is not None:
        if not Path(ssl_ca).is_file():
            raise OperationError(f"--ssl-ca {ssl_ca!r}: no such file; download the RDS CA bundle from {RDS_CA_BUNDLE_URL}")
        return ssl_ca
    if allow_plaintext:
        return None
    if default.is_file():
        return str(default)
    raise OperationError(
        f"TLS is required: pass --ssl-ca with the RDS CA bundle ({RDS_CA_BUNDLE_URL}), "
        "or --allow-plaintext for a server without TLS (a local test database)"
    )


def seed_directly(
    host: str, port: int, user: str, ssl_ca: str | None, allow_plaintext: bool, report: Callable[[str], None]
) -> dict:
    password = os.environ.get("MYSQL_PWD")
    if password is None:
        raise OperationError("MYSQL_PWD is not set: export the password in MYSQL_PWD (it is never taken on the command line)")
    bundle = ca_bundle(ssl_ca, allow_plaintext)
    connection = direct.connect(host, port, user, password, bundle)
    try:
        applied = direct.apply_files(connection, load_sql_files(SAMPLE_DATA_DIR), report)
        with connection.cursor() as cursor:
            cursor.execute(COUNT_PLANETS)
            rows = cursor.fetchone()[0]
    except OperationError as error:
        raise OperationError(f"{error}; {LEFT_BEHIND}") from error
    finally:
        connection.close()
    return {"path": "direct", "host": f"{host}:{port}", "tls": bundle is not None, "applied": applied, "planets": rows}
