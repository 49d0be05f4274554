"""Shared by the raw compat clients (zeep_raw.py, idl_raw_envelope.py): their command line and how they fail.

The clients import it from their own folder (Python puts a script's folder first on sys.path), both in
tests/compat and where the end-to-end tests copy the scripts.
"""
import sys

DEFAULT_START = "20100101000000"
DEFAULT_END = "20100101010000"


def fail(message):
    """Reports a failed check on stderr and exits 1."""
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def arguments(usage, default_instrument):
    """(URL, START, END, INSTRUMENT) from the command line; without a URL prints the usage and exits 2."""
    if len(sys.argv) < 2:
        print(usage, file=sys.stderr)
        sys.exit(2)
    start, end, instrument = sys.argv[2:5] if len(sys.argv) > 4 else (DEFAULT_START, DEFAULT_END, default_instrument)
    return sys.argv[1], start, end, instrument
