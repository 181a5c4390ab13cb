"""awsfacts/limits.py: each limit against its source, botocore's RDS model (offline, the locked botocore)."""

import botocore.session

from awsfacts.limits import DEFAULT_PAUSE_SECONDS, MAX_BACKTRACK_HOURS

RDS = botocore.session.get_session().get_service_model("rds")


def test_the_longest_backtrack_window_is_the_models():
    documentation = RDS.operation_model("CreateDBCluster").input_shape.members["BacktrackWindow"].documentation
    assert "from 0 to 259,200 (72 hours)" in documentation
    assert MAX_BACKTRACK_HOURS * 3600 == 259_200


def test_the_auto_pause_default_is_the_models():
    documentation = RDS.shape_for("ServerlessV2ScalingConfiguration").members["SecondsUntilAutoPause"].documentation
    assert f"The default is {DEFAULT_PAUSE_SECONDS} seconds" in documentation
