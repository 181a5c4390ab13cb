"""Every SQL statement the documentation shows runs against the project's sample data: the
statements after `ops ... sql` and `mysql>` in code samples of README.md and docs/*.md, and every
```sql block, each run in MariaDB loaded with sql/sample-data (an unknown column fails here)."""

import re
import shlex

import pymysql
import pytest

from awscalls.sql_files import REPOSITORY_ROOT, SAMPLE_DATA_DIR, load_sql_files, split_statements
from ops import direct

PAGES = [REPOSITORY_ROOT / "README.md", *sorted((REPOSITORY_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<language>[a-z]*)\n(?P<body>.*?)^```", re.DOTALL | re.MULTILINE)
OPS_SQL = re.compile(r"-m ops\b.*\bsql\s")
MYSQL_PROMPT = "mysql> "


def statements_in(text: str) -> list[str]:
    found = []
    for fence in FENCE.finditer(text):
        body = fence.group("body")
        if fence.group("language") == "sql":
            found += split_statements(body)
            continue
        for line in body.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith(MYSQL_PROMPT):
                found += split_statements(line.removeprefix(MYSQL_PROMPT))
            elif OPS_SQL.search(line):
                words = shlex.split(line)
                found.append(words[words.index("sql") + 1])
    return found


def documented_statements() -> list[tuple[str, str]]:
    return [(page.relative_to(REPOSITORY_ROOT).as_posix(), sql) for page in PAGES for sql in statements_in(page.read_text())]


def test_statements_are_found_in_ops_commands_mysql_prompts_and_sql_blocks():
    page = (
        "```sh\n$ .venv/bin/python -m ops --cluster c sql 'SELECT id FROM tutorial.planet'\n```\n"
        "```text\nmysql> SELECT name FROM tutorial.planet;\n```\n"
        "```sql\nSELECT 1;\nSELECT 2;\n```\n"
        "```sh\n.venv/bin/python -m ops --cluster c status\n```\n"
    )
    assert statements_in(page) == ["SELECT id FROM tutorial.planet", "SELECT name FROM tutorial.planet", "SELECT 1", "SELECT 2"]


def test_the_documentation_shows_sql_to_check():
    assert any(page == "docs/operations.md" for page, _ in documented_statements())


@pytest.fixture
def sample_data(empty_mariadb):
    connection = direct.connect(empty_mariadb.host, empty_mariadb.port, empty_mariadb.user, empty_mariadb.password)
    try:
        direct.apply_files(connection, load_sql_files(SAMPLE_DATA_DIR), report=lambda _: None)
    finally:
        connection.close()
    return empty_mariadb


def run_all(server, statements):
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            for page, sql in statements:
                try:
                    cursor.execute(sql)
                    cursor.fetchall()
                except pymysql.MySQLError as error:
                    pytest.fail(f"{page}: {sql!r} fails on the sample data: {error}", pytrace=False)
        connection.rollback()
    finally:
        connection.close()


@pytest.mark.mariadb
@pytest.mark.subprocess
def test_every_documented_statement_runs_on_the_sample_data(sample_data):
    run_all(sample_data, documented_statements())


@pytest.mark.mariadb
@pytest.mark.subprocess
def test_a_statement_naming_a_column_the_sample_data_lacks_fails(sample_data):
    with pytest.raises(pytest.fail.Exception, match="Unknown column 'moons'"):
        run_all(sample_data, [("page.md", "SELECT id, name, moons FROM tutorial.planet")])


@pytest.mark.mariadb
@pytest.mark.subprocess
def test_the_sql_sample_shows_the_rows_the_sample_data_holds(sample_data):
    from tests.ops.test_docs_samples import FIRST_PLANETS, PAGE, SAMPLE

    sample = next(m.group("body") for m in SAMPLE.finditer(PAGE.read_text()) if m.group("name") == "sql")
    [sql] = statements_in(f"```text\n{sample}```\n")
    connection = sample_data.connect()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = [list(row) for row in cursor.fetchall()]
    connection.close()
    assert rows == [[next(iter(field.values())) for field in record] for record in FIRST_PLANETS["records"]]
