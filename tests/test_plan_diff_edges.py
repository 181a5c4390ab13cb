"""The offline plan's report at its edges (plan/diff.py, pure): the summary's total with exactly two
kinds of change, the unchanged count beside created resources, and value lines at the plan's width."""

from __future__ import annotations

from plan import diff, text
from plan.snapshot import Resource, Snapshot
from plan.text import MAX_WIDTH

GROUP = "aws:rds/subnetGroup:SubnetGroup"


def resource(name: str, inputs: dict | None = None) -> Resource:
    return Resource(urn=f"urn:pulumi:prod::aurora::{GROUP}::{name}", type=GROUP, name=name, parent="", inputs=inputs or {})


def test_two_kinds_of_change_already_get_the_total():
    changes = [diff.Change("create", resource("added")), diff.Change("update", resource("net"))]
    assert diff.summary(changes, 0) == "Resources: + 1 to create, ~ 1 to update, 2 changes"


def test_created_resources_do_not_lower_the_unchanged_count():
    kept = [resource("same"), resource("other")]
    old = Snapshot("prod", "", [resource("net", {"subnetIds": ["a"]}), *kept])
    new = Snapshot("prod", "", [resource("net", {"subnetIds": ["b"]}), *kept, resource("added"), resource("added-too")])
    changes = diff.compare(old, new)
    assert sorted(change.kind for change in changes) == ["create", "create", "update"]
    assert diff.unchanged_count(old, new, changes) == 2


def test_an_added_value_forcing_replacement_is_cut_to_leave_room_for_the_note():
    [line] = diff.value_lines("engine", {}, {"engine": "x" * 200}, True)
    # One word longer than the line: its start, and how much of it is left out.
    assert line == '     + engine: "' + "x" * 38 + "... (163 more characters) [forces replacement]"
    assert len(line) == MAX_WIDTH


def test_a_change_exactly_as_wide_as_the_plan_stays_on_one_line():
    before, after = "a" * 41, "b" * 41
    lines = diff.value_lines("k", {"k": before}, {"k": after}, False)
    assert lines == [f'     ~ k: "{before}" => "{after}"']
    assert len(lines[0]) == MAX_WIDTH


def test_a_change_wider_than_the_plan_puts_the_arrow_under_the_old_value():
    before, after = "a" * 50, "b" * 50
    assert diff.value_lines("k", {"k": before}, {"k": after}, False) == [
        "     ~ k:",
        f'          "{before}"',
        f'       => "{after}"',
    ]


def test_a_long_list_is_cut_between_items_and_counts_the_rest():
    value = ["audit", "error", "general", "slowquery"]
    assert text.truncated(text.shown(value), 39) == '["audit", "error", ... and 2 more items'


def test_a_long_sentence_is_cut_between_words_and_counts_the_rest():
    cut = text.truncated("the quick brown fox jumps over the lazy dog", 34)
    assert cut == "the quick ... (33 more characters)"


def test_a_difference_deep_in_a_list_names_the_items_left_out_before_it():
    old = [{"name": f"parameter_{i}", "value": "1"} for i in range(8)]
    new = [*old[:5], {"name": "parameter_5", "value": "2"}, *old[6:]]
    before, after = text.around_first_difference(text.shown(old), text.shown(new), 80)
    assert before.startswith('(5 items before) ... {name: "parameter_5", value: "1"}')
    assert after.startswith('(5 items before) ... {name: "parameter_5", value: "2"}')
    assert before.endswith(" more items") and len(before) <= 80
