"""awsfacts/engine_versions.py: the one parser of Aurora MySQL engine versions (offline)."""

from awsfacts.engine_versions import aurora_mysql_3_release, engine_major, is_aurora_mysql_84, version_key


def test_one_parser_answers_every_question_about_a_version():
    assert version_key("8.0.mysql_aurora.3.10.5") == (8, 0, 3, 10, 5)
    assert (engine_major("8.0.mysql_aurora.3.10.5"), engine_major("8.4.mysql_aurora.8.4.7")) == ("8.0", "8.4")
    assert engine_major("8.0") is None and engine_major("latest") is None
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.08.0") == (3, 8, 0)
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.8.0") is None  # AWS writes the minor with two digits
    assert is_aurora_mysql_84("8.4.mysql_aurora.8.4.7") and not is_aurora_mysql_84("8.0.mysql_aurora.3.10.5")
