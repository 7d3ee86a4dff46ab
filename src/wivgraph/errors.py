"""The one exception type for bad input: its message is what the user reads."""


class WivgraphError(Exception):
    """Bad input or configuration, with a message naming what and where (no traceback shown)."""


class QueryRefused(WivgraphError):
    """A query that would write, reach the network or otherwise leave the read-only sandbox."""
