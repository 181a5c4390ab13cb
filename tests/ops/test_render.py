"""Human output: aligned key/value lines and tables, never Python reprs."""

from ops.render import lines, text


def test_values_read_as_words_not_python():
    assert [text(None), text(True), text(False), text(24.0), text(0.5), text([]), text(["a", "b"])] == [
        "-",
        "yes",
        "no",
        "24",
        "0.5",
        "-",
        "a, b",
    ]


def test_keys_align_and_records_become_a_table():
    result = {
        "cluster": "aurora-prod",
        "status": "available",
        "instances": [{"role": "writer", "tier": 0}, {"role": "reader", "tier": 1}],
        "copied": {"parameterGroup": "aurora-tls", "iamAuthentication": True},
        "window": None,
    }
    assert lines(result) == [
        "cluster    aurora-prod",
        "status     available",
        "instances",
        "  role    tier",
        "  writer  0",
        "  reader  1",
        "copied",
        "  parameterGroup     aurora-tls",
        "  iamAuthentication  yes",
        "window     -",
    ]


def test_long_lists_go_one_item_a_line():
    applied = ["01-schema.sql: 2 statement(s) committed", "02-planets.sql: 1 statement(s) committed"]
    assert lines({"applied": applied}) == ["applied", f"  {applied[0]}", f"  {applied[1]}"]
