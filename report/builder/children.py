"""Worker processes that never outlive the build.

Every worker pool of the build (the chart worker, a page provider's pool) runs `die_with_parent` as the first
thing in each worker: on Linux the kernel then sends the worker SIGKILL the moment the process that made it
ends (`prctl(PR_SET_PDEATHSIG)`), so a build killed with `kill -9` leaves no worker running. A worker whose
builder ended before it got this far ends at once.

`PR_SET_PDEATHSIG` fires when the *thread* that started the worker ends, so pools start their workers from
the build's main thread (the chart worker on its first chart, the page pool when it is made).

Page workers fork from multiprocessing's fork server, so their parent is the server, not the builder. The
server ends when the write ends of its "alive" pipe are all closed; the builder holds one, and every worker
inherits a copy, so a worker closes its copy: then the server ends with the builder, and the workers with
the server.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from multiprocessing import forkserver

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(builder: int) -> None:
    """In a worker: be killed when its parent ends, and end now if the builder (pid `builder`) already has.

    A worker the builder made itself checks that its parent is still the builder once the signal is set up
    (a dead builder's children pass to another parent at once, even while the builder is a zombie). A worker
    of the fork server needs no check: the server cannot end before this worker lets go of its pipe."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if not _release_fork_server() and os.getppid() != builder:
        os._exit(1)


def _release_fork_server() -> bool:
    """In a worker forked by the fork server: close its copy of the server's keep-alive pipe (it never asks
    the server for processes of its own); whether this is such a worker."""
    server = forkserver._forkserver
    if getattr(server, "_forkserver_alive_fd", None) is None:
        return False
    os.close(server._forkserver_alive_fd)
    server._forkserver_alive_fd = None
    return True


def alive(pid: int) -> bool:
    """Whether a process `pid` exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
