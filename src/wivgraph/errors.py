"""The one exception type for bad input: its message is what the user reads."""


class WivgraphError(Exception):
    """Bad input or configuration, with a message naming what and where (no traceback shown)."""


class QueryRefused(WivgraphError):
    """A query that would write, reach the network or otherwise leave the read-only sandbox."""


#: values quoted in a message are cut to this many characters
SHOWN_CHARS = 60


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` for a message, cut with an ellipsis and the full length when it is long:
    ``'aaaa…' (100,000 characters)``; a 100 kB parameter is never echoed in full."""
    text = str(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else repr(value)
    return f"{text[:limit]!r}… ({len(text):,} characters)"
