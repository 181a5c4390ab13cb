"""The sample-data SQL and the direct `ops seed` path against a real MariaDB on 127.0.0.1."""

import io

import pytest

from awscalls.errors import OperationError
from awscalls.sql_files import SAMPLE_DATA_DIR, load_sql_files
from ops import direct
from ops.cli import main
from tests.helpers import planets

WORKSHOP_PLANETS = [
    (1, "Mercury"),
    (2, "Venus"),
    (3, "Earth"),
    (4, "Mars"),
    (5, "Jupiter"),
    (6, "Saturn"),
    (7, "Uranus"),
    (8, "Neptune"),
]


def apply(server):
    connection = direct.connect(server.host, server.port, server.user, server.password)
    try:
        return direct.apply_files(connection, load_sql_files(SAMPLE_DATA_DIR), report=lambda _: None)
    finally:
        connection.close()


def test_applying_gives_exactly_the_workshops_eight_planets(empty_mariadb):
    apply(empty_mariadb)
    assert planets(empty_mariadb) == WORKSHOP_PLANETS


def test_applying_twice_duplicates_nothing(empty_mariadb):
    apply(empty_mariadb)
    apply(empty_mariadb)
    assert planets(empty_mariadb) == WORKSHOP_PLANETS


def test_reapplying_repairs_an_edited_row_and_keeps_user_rows(empty_mariadb):
    apply(empty_mariadb)
    connection = empty_mariadb.connect(autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tutorial.planet SET name = 'Pluto' WHERE id = 3")
        cursor.execute("INSERT INTO tutorial.planet (name) VALUES ('Ceres')")
    connection.close()
    apply(empty_mariadb)
    assert planets(empty_mariadb) == WORKSHOP_PLANETS + [(9, "Ceres")]


def test_table_matches_the_workshops_definition(empty_mariadb):
    apply(empty_mariadb)
    connection = empty_mariadb.connect()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, column_type, is_nullable, column_key, extra FROM information_schema.columns "
            "WHERE table_schema = 'tutorial' AND table_name = 'planet' ORDER BY ordinal_position"
        )
        columns = [tuple(str(value).lower() for value in row) for row in cursor.fetchall()]
    connection.close()
    assert columns == [
        ("id", "int(10) unsigned", "no", "pri", "auto_increment"),
        ("name", "varchar(30)", "yes", "", ""),
    ]


def test_a_failing_file_is_rolled_back(empty_mariadb, tmp_path):
    apply(empty_mariadb)
    (tmp_path / "01-bad.sql").write_text(
        "INSERT INTO tutorial.planet (id, name) VALUES (20, 'Vulcan');\nINSERT INTO tutorial.missing VALUES (1);\n"
    )
    connection = direct.connect(empty_mariadb.host, empty_mariadb.port, empty_mariadb.user, empty_mariadb.password)
    with pytest.raises(OperationError, match=r"^01-bad.sql failed and was rolled back: Table 'tutorial.missing' doesn't exist$"):
        direct.apply_files(connection, load_sql_files(tmp_path), report=lambda _: None)
    connection.close()
    assert planets(empty_mariadb) == WORKSHOP_PLANETS


def run_cli(argv, env_password, monkeypatch):
    if env_password is None:
        monkeypatch.delenv("MYSQL_PWD", raising=False)
    else:
        monkeypatch.setenv("MYSQL_PWD", env_password)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_ops_seed_direct_applies_and_reports(empty_mariadb, monkeypatch):
    argv = ["seed", "--host", "127.0.0.1", "--port", str(empty_mariadb.port), "--user", empty_mariadb.user, "--allow-plaintext"]
    code, out, err = run_cli(argv, empty_mariadb.password, monkeypatch)
    assert code == 0, err
    assert "\nplanets  8\n" in out
    assert "  01-schema.sql: 2 statement(s) committed\n" in out
    assert planets(empty_mariadb) == WORKSHOP_PLANETS


def test_ops_seed_with_bad_credentials_fails_in_one_line(mariadb, monkeypatch):
    argv = ["seed", "--host", "127.0.0.1", "--port", str(mariadb.port), "--user", mariadb.user, "--allow-plaintext"]
    code, out, err = run_cli(argv, "wrong-password", monkeypatch)
    assert code == 1
    assert err == f"error: access denied for 'tester' at 127.0.0.1:{mariadb.port}: check the user and MYSQL_PWD\n"
    assert out == ""


def test_ops_seed_to_an_unreachable_host_fails_in_one_line(monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    code, _, err = run_cli(
        ["seed", "--host", "127.0.0.1", "--port", str(closed_port), "--user", "x", "--allow-plaintext"], "pw", monkeypatch
    )
    assert code == 1
    assert err.startswith(f"error: cannot connect to 127.0.0.1:{closed_port}: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_ops_seed_without_mysql_pwd_refuses(monkeypatch):
    code, _, err = run_cli(["seed", "--host", "127.0.0.1", "--user", "x"], None, monkeypatch)
    assert code == 1
    assert err == "error: MYSQL_PWD is not set: export the password in MYSQL_PWD (it is never taken on the command line)\n"
