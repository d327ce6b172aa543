"""Run a script again with the system Python when this one lacks modules.

The Python package needs numpy and scipy (Debian: python3-numpy,
python3-scipy), which a python3 first on PATH (a pyenv or venv one) may not
have. need(prog, modules, script, argv) checks for the modules without
importing them (fast) and, when one is missing, replaces the process by
/usr/bin/python3 running the same script with the same arguments; if that
is not possible (no /usr/bin/python3, or it is this interpreter, or it was
already tried), it prints one line and exits with status 2. Standard
library only, so it runs under any python3.
"""

import os
import sys
from importlib.util import find_spec

SYSTEM_PYTHON = "/usr/bin/python3"
# Set in the environment of the re-executed process: never loop.
ENV = "SLICEBENCH_REEXEC"


def missing(modules):
    """The first of modules this interpreter cannot import, or None."""
    for name in modules:
        try:
            if find_spec(name) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


def need(prog, modules, script, argv):
    """Return if every module is importable; else re-exec or exit 2."""
    absent = missing(modules)
    if absent is None:
        return
    here = os.path.realpath(sys.executable or "")
    if (os.environ.get(ENV) != "1" and os.access(SYSTEM_PYTHON, os.X_OK)
            and here != os.path.realpath(SYSTEM_PYTHON)):
        os.environ[ENV] = "1"
        try:
            os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(script)]
                     + list(argv))
        except OSError:
            pass
    try:        # a stderr that cannot take the line: the status still tells
        sys.stderr.write(f"{prog}: needs the Python module {absent} (Debian: "
                         f"apt-get install python3-{absent}); {SYSTEM_PYTHON} "
                         "has it on a Debian with the suite's packages\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(2)
