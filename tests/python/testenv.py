"""Where the Python tests find things: the repository, its scripts/ (put
first on sys.path, so that `slicebench` imports from the checkout) and
the committed reference run. Imported first by every test script."""

import glob
import os
import sys

sys.dont_write_bytecode = True
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)


def reference_csv():
    """The committed reference run's glibc results (the first by name)."""
    return sorted(glob.glob(os.path.join(REPO, "results", "reference",
                                         "*_glibc.csv")))[0]
