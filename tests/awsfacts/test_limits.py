"""awsfacts: each fact against its source, botocore's RDS model (offline, the locked botocore)."""

import botocore.session

from awsfacts.engine_versions import aurora_mysql_3_release, engine_major, is_aurora_mysql_84, version_key
from awsfacts.limits import DEFAULT_PAUSE_SECONDS, MAX_BACKTRACK_HOURS

RDS = botocore.session.get_session().get_service_model("rds")


def test_the_longest_backtrack_window_is_the_models():
    documentation = RDS.operation_model("CreateDBCluster").input_shape.members["BacktrackWindow"].documentation
    assert "from 0 to 259,200 (72 hours)" in documentation
    assert MAX_BACKTRACK_HOURS * 3600 == 259_200


def test_the_auto_pause_default_is_the_models():
    documentation = RDS.shape_for("ServerlessV2ScalingConfiguration").members["SecondsUntilAutoPause"].documentation
    assert f"The default is {DEFAULT_PAUSE_SECONDS} seconds" in documentation


def test_one_parser_answers_every_question_about_a_version():
    assert version_key("8.0.mysql_aurora.3.10.5") == (8, 0, 3, 10, 5)
    assert (engine_major("8.0.mysql_aurora.3.10.5"), engine_major("8.4.mysql_aurora.8.4.7")) == ("8.0", "8.4")
    assert engine_major("8.0") is None and engine_major("latest") is None
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.08.0") == (3, 8, 0)
    assert aurora_mysql_3_release("8.0.mysql_aurora.3.8.0") is None  # AWS writes the minor with two digits
    assert is_aurora_mysql_84("8.4.mysql_aurora.8.4.7") and not is_aurora_mysql_84("8.0.mysql_aurora.3.10.5")
