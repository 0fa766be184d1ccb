"""The builder's own error: raised by any stage, caught once by the command line."""


class BuildError(Exception):
    """The build stopped; the message lists every problem found, and `_site/` was left as it was."""
