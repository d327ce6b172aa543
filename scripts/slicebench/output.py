"""Where a run's plots and reports go, and how they are written.

default_out_dir(sel)    <folder of the first input file>/<run id>
out_dir_for(path, run_id)  the same for any file and run id
write_files(folder, files)
    Write (name, bytes) pairs into folder (made if missing), each through a
    temporary file renamed into place: a reader never sees half a file.
    A name that exists already (a file, a folder, a symlink) stops it
    before anything is written: no run replaces earlier results. Raises
    PlotError naming the path when a name exists or the folder or a file
    cannot be written.
emit(text, stream, end)
    Print text on stream (standard output by default), flushed; a reader
    that went away (| head) is not the run's failure: the stream is
    pointed at /dev/null, so that nothing later fails on it, and emit
    returns False (True when written). Other write errors raise OSError,
    the stream pointed at /dev/null all the same.
"""

import os
import re
import sys
import tempfile

from .model import PlotError


def default_out_dir(sel):
    """<folder of the first input file>/<run id>, the run id made safe as
    one path component."""
    return out_dir_for(sel.results[0].path, sel.run_id)


def out_dir_for(path, run_id):
    """<folder of path>/<run id made safe as one path component>."""
    name = re.sub(r"[^A-Za-z0-9._+-]", "_", run_id).lstrip(".") or "run"
    return os.path.join(os.path.dirname(path) or ".", name)


def _write(folder, name, data):
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return os.path.join(folder, name)


def write_files(folder, files):
    """Write (name, bytes) pairs into folder; return the paths written.
    A name that exists in folder already stops it before anything is
    written: no run replaces earlier results (plots, findings, a report)."""
    there = [name for name, _ in files
             if os.path.lexists(os.path.join(folder, name))]
    if there:
        more = f" (and {len(there) - 1} more)" if len(there) > 1 else ""
        raise PlotError(f"{os.path.join(folder, there[0])}{more} exists already "
                        "(no run replaces earlier results; give --out a new folder)")
    try:
        os.makedirs(folder, exist_ok=True)
        return [_write(folder, name, data) for name, data in files]
    except OSError as e:
        where = e.filename or folder
        raise PlotError(f"{where}: cannot write: {e.strerror}") from None


# emit's default stream: standard output as it is when emit is called
_STDOUT = object()
# the streams (by file descriptor) emit found without a reader
_GONE = set()


def emit(text, stream=_STDOUT, end="\n"):
    """Print text and end on stream (default sys.stdout), flushed. True
    when written; False when the stream has no reader (| head), now or
    since an earlier call, or was closed when the program started (None).
    Any other failure to write (a full disk, EIO) raises OSError. Either
    way the stream then points at /dev/null, so that Python's flush at
    exit finds nothing to fail on."""
    stream = sys.stdout if stream is _STDOUT else stream
    if stream is None:
        return False
    try:
        fd = stream.fileno()
    except (OSError, ValueError):     # not a file (a closed one, a StringIO)
        fd = None
    if fd is not None and fd in _GONE:
        return False
    try:
        print(text, file=stream, end=end, flush=True)
        return True
    except BrokenPipeError:
        _silence(fd)
        return False
    except OSError:
        _silence(fd)
        raise


def _silence(fd):
    """Point fd (None: not a file) at /dev/null, for good."""
    if fd is None:
        return
    _GONE.add(fd)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)
