"""The AWS API calls shared by the program's dynamic resources (`components/`) and by `ops`: SQL
through the Data API, the SQL files it applies, completing a restored cluster, and the one way an
AWS failure becomes a line.

The layering: `awsfacts` (what AWS accepts and does, pure) < `awscalls` (boto3 calls) <
`components` and `ops`. This package imports `awsfacts` at most, never `components` or `ops`."""
