"""Transparent huge pages off for this process and every process it
starts: prctl(PR_SET_THP_DISABLE, 1), which Linux keeps across fork and
exec. A process that has them off faults its memory in 4 KiB pages only,
whatever /sys/kernel/mm/transparent_hugepage/enabled says, and its
/proc/self/status reads "THP_enabled: 0".

    thp.disable()        # ThpError, one line, if the kernel refuses
    thp.enabled()        # True, False, or None when the kernel does not say
    thp.system_mode()    # "always", "madvise", "never" or "unknown"
"""

import ctypes
import os

PR_SET_THP_DISABLE = 41          # <linux/prctl.h>, Linux 3.15 on


class ThpError(Exception):
    """prctl refused; str() says why, one line."""


def disable():
    """Huge pages off for this process and its children to come."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        zero = ctypes.c_ulong(0)     # the kernel wants args 3-5 zero, as longs
        rc = libc.prctl(ctypes.c_int(PR_SET_THP_DISABLE), ctypes.c_ulong(1),
                        zero, zero, zero)
    except (OSError, AttributeError, TypeError) as e:
        raise ThpError(f"cannot turn transparent huge pages off: {e}") from None
    if rc != 0:
        code = ctypes.get_errno()
        raise ThpError("cannot turn transparent huge pages off: prctl: "
                       f"{os.strerror(code)}")


def enabled(status="/proc/self/status"):
    """Whether this process may have huge pages (its THP_enabled line:
    False after disable(), or on a kernel without them); None when the
    file has no such line (kernels before 5.0)."""
    try:
        with open(status, encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key == "THP_enabled":
                    return value.strip() != "0"
    except OSError:
        return None
    return None


def system_mode(path="/sys/kernel/mm/transparent_hugepage/enabled"):
    """The machine's mode, the bracketed word of path ("unknown" when it
    cannot be read), as the results' thp_enabled gives it."""
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            text = f.read()
    except OSError:
        return "unknown"
    start, end = text.find("["), text.find("]")
    return text[start + 1:end] if 0 <= start < end else "unknown"
