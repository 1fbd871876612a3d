"""The ``parley`` command's first step: import the command line, where a Ctrl-C gets the same answer as in a command.

The command line imports the whole library, which takes a second or so. A Ctrl-C in that second would otherwise end
in Python's traceback of whatever module was being imported.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the ``parley`` command; a Ctrl-C while it starts ends it as one during a command does (status 130)."""
    try:
        from api.cli import app  # here, not above: this import is what a Ctrl-C may cut short
    except KeyboardInterrupt:
        sys.stderr.write("stopped (interrupted)\n")
        raise SystemExit(130) from None
    app()


if __name__ == "__main__":
    main()
