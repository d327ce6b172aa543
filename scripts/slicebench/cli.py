"""The scripts' command-line parser, and how their help and usage errors
get out.

Parser
    argparse.ArgumentParser, with the suite's way of failing. A usage
    error is one line on stderr, "PROG: message (see --help)", and exit
    status 2. --help (and whatever else argparse prints) goes through
    output.emit: a reader that went away (| head) ends it quietly with
    status 0; any other failure to write it (a full disk) is one line on
    stderr, "PROG: cannot write the help: reason", and status 2, the
    status the suite's tools give bad arguments and output they cannot
    write (1 means a result in some: a regression, a differing variant).
    Help and usage go to standard output as it is when they are printed
    (a standard output closed from the start: nothing printed, status 0).
write_help(prog, text, stream)
    The same for a script that prints its help itself: text on stream
    (standard output by default), or exit as above when it cannot be
    written.
fail(prog, message, status)
    "PROG: message" on stderr, then exit with status. A line that cannot
    reach stderr is dropped, never a traceback: the status still tells.
"""

import argparse
import sys

from .output import emit


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and help written through emit."""

    def write(self, text, stream):
        """How the parser's help and messages get out (a script may
        write them its own way)."""
        write_help(self.prog, text, stream)

    def _print_message(self, message, file=None):
        if message:
            self.write(message, sys.stderr if file is None else file)

    def print_help(self, file=None):
        self.write(self.format_help(), sys.stdout if file is None else file)

    def print_usage(self, file=None):
        self.write(self.format_usage(), sys.stdout if file is None else file)

    def error(self, message):
        fail(self.prog, f"{message} (see --help)", 2)


def write_help(prog, text, stream=None):
    """text on stream (default sys.stdout); status 2 and one line on stderr
    when it cannot be written for another reason than a reader gone."""
    try:
        emit(text, sys.stdout if stream is None else stream, end="")
    except OSError as e:
        fail(prog, f"cannot write the help: {e.strerror or e}", 2)


def fail(prog, message, status):
    """'PROG: message' on stderr (dropped if it cannot be written), then
    exit with status."""
    try:
        emit(f"{prog}: {message}", sys.stderr)
    except OSError:
        pass
    sys.exit(status)
