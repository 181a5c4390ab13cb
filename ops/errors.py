"""The one exception type operations raise for the user: its message is the whole story."""


class OperationError(Exception):
    """A failure worth one line to the user (no traceback): what failed and what to do."""
