"""Numeric limits AWS sets, shared by the settings and `ops`."""

MAX_BACKTRACK_HOURS = 72
"""Aurora MySQL's longest backtrack window: BacktrackWindow at most 259,200 seconds (botocore rds
model, CreateDBCluster BacktrackWindow: "must be set to a number from 0 to 259,200 (72 hours)")."""

DEFAULT_PAUSE_SECONDS = 300
"""What AWS pauses a Serverless v2 writer after when SecondsUntilAutoPause is not sent (botocore rds
model, ServerlessV2ScalingConfiguration: "The default is 300 seconds")."""

MAX_PROMOTION_TIER = 15
"""The lowest failover priority of an Aurora instance: PromotionTier 0 to 15 (botocore rds model,
CreateDBInstance PromotionTier: "Valid Values: 0 - 15")."""
