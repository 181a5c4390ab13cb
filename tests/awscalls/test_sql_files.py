"""Splitting SQL scripts and digesting what would be applied."""

from awscalls.sql_files import SAMPLE_DATA_DIR, SqlFile, digest, load_sql_files, split_statements


def test_split_on_semicolons_outside_quotes_and_comments():
    script = "-- comment; not a statement\nINSERT INTO t VALUES ('a;b', \"c;d\");\n# another; comment\nSELECT `x;y` FROM t;\n"
    assert split_statements(script) == ["INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT `x;y` FROM t"]


def test_escaped_quotes_stay_inside_the_string():
    assert split_statements(r"SELECT 'it\'s; fine'; SELECT 2") == [r"SELECT 'it\'s; fine'", "SELECT 2"]


def test_sample_data_files_in_order():
    files = load_sql_files(SAMPLE_DATA_DIR)
    assert [f.name for f in files] == ["01-schema.sql", "02-planets.sql"]
    assert files[0].statements[0] == "CREATE DATABASE IF NOT EXISTS tutorial"
    assert len(files[1].statements) == 1


def test_digest_changes_with_any_statement():
    base = [SqlFile("a.sql", ("SELECT 1",))]
    assert digest(base) == digest([SqlFile("a.sql", ("SELECT 1",))])
    assert digest(base) != digest([SqlFile("a.sql", ("SELECT 2",))])
    assert digest(base) != digest([SqlFile("b.sql", ("SELECT 1",))])
