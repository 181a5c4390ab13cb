"""The MariaDB fixture's own failure: a half-installed server names the binary it lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import mariadb_server


def test_a_missing_server_binary_is_named_before_anything_runs(tmp_path, monkeypatch):
    installed = {"mariadb-install-db"}
    monkeypatch.setattr(mariadb_server.shutil, "which", lambda name: f"/usr/bin/{name}" if name in installed else None)
    monkeypatch.setattr(mariadb_server, "BINARY_DIRECTORIES", (str(tmp_path),))
    monkeypatch.setattr(mariadb_server.subprocess, "run", lambda *a, **k: pytest.fail("ran a MariaDB binary"))
    with pytest.raises(RuntimeError) as error:
        mariadb_server.start(tmp_path)
    assert str(error.value).startswith("MariaDB is not fully installed: no mariadbd or mysqld in ")
    assert not (Path(tmp_path) / "data").exists()
