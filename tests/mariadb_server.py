"""A throwaway MariaDB server on 127.0.0.1 for the SQL tests (real SQL, never a fake).

Needs Debian's mariadb-server (`.ci/run` installs it). The server lives in a temporary directory
and is stopped when the test session ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pymysql

TEST_USER, TEST_PASSWORD = "tester", "tester-password"
START_TIMEOUT_SECONDS = 60


@dataclass
class MariaDb:
    host: str
    port: int
    user: str
    password: str

    def connect(self, **kwargs) -> pymysql.connections.Connection:
        """A connection of the tests' own, in plaintext on 127.0.0.1: without TLS options PyMySQL
        tries TLS and builds a context from the system's CA store for every connection (35 ms each,
        a fifth of the fault sweeps' time). The program's connections keep their own TLS settings
        (ops/direct.py), and the tests of those pass them."""
        kwargs.setdefault("ssl_disabled", True)
        return pymysql.connect(host=self.host, port=self.port, user=self.user, password=self.password, **kwargs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


BINARY_DIRECTORIES = ("/usr/sbin", "/usr/bin", "/usr/local/bin")


def _binary(*names: str) -> str:
    """The first of `names` installed; the error names them all, so a half-installed MariaDB says what is missing."""
    for name in names:
        for directory in BINARY_DIRECTORIES:
            candidate = Path(directory) / name
            if candidate.exists():
                return str(candidate)
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        f"MariaDB is not fully installed: no {' or '.join(names)} in {', '.join(BINARY_DIRECTORIES)} or on PATH; "
        "install Debian's mariadb-server and mariadb-client (bash .ci/run does)"
    )


def start(directory: Path) -> tuple[subprocess.Popen, MariaDb]:
    # Both binaries are looked up first: a half-installed MariaDB is reported before anything runs.
    install_db, server_binary = _binary("mariadb-install-db", "mysql_install_db"), _binary("mariadbd", "mysqld")
    data, socket_path, port = directory / "data", directory / "mysqld.sock", _free_port()
    user_flag = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *user_flag,
        ],
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            server_binary,
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={socket_path}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={directory / 'mysqld.pid'}",
            f"--log-error={directory / 'error.log'}",
            "--skip-name-resolve",
            *user_flag,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            root = pymysql.connect(unix_socket=str(socket_path), user="root", password="")
            break
        except pymysql.err.OperationalError as error:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log = (directory / "error.log").read_text() if (directory / "error.log").exists() else ""
                raise RuntimeError(f"MariaDB did not start:\n{log[-2000:]}") from error
            time.sleep(0.2)
    with root.cursor() as cursor:
        cursor.execute(f"CREATE USER '{TEST_USER}'@'127.0.0.1' IDENTIFIED BY '{TEST_PASSWORD}'")
        cursor.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{TEST_USER}'@'127.0.0.1'")
    root.close()
    return server, MariaDb("127.0.0.1", port, TEST_USER, TEST_PASSWORD)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
