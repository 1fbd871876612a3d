"""Take the network away from a process or a thread, so that no SPARQL it evaluates can fetch.

Oxigraph fetches ``SERVICE`` and ``LOAD`` from Rust, where no Python hook sees it, so the wall
must be the kernel's. :func:`cut_network` tries, in order:

1. **seccomp** (chosen first): a filter that makes ``socket()`` fail with ``EACCES`` for every
   address family but ``AF_UNIX`` (and ``io_uring_setup``, which could open sockets around the
   filter), refusing any other architecture's system calls. It needs no privilege (only
   ``no_new_privs``), works in containers that forbid namespaces, covers every thread the
   process or thread starts afterwards, and keeps the Unix socket a worker talks over.
2. **an empty network namespace** (``unshare(CLONE_NEWNET)``, with a user namespace when not
   root): where seccomp filters are not built into the kernel. Only a whole, still
   single-threaded process can move, so this is for worker processes.

It answers which wall holds, or ``"none"`` where the kernel refuses both (another operating
system, a sandbox that forbids both): the caller reports that (``/health`` does), and the parse
wall of :mod:`graph.sparql.grammar` then holds alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import struct

__all__ = ["cut_network", "SECCOMP", "NAMESPACE", "NONE"]

SECCOMP, NAMESPACE, NONE = "seccomp", "network namespace", "none"

# Linux's numbers (linux/audit.h, linux/seccomp.h, linux/filter.h and each architecture's syscall table).
_ARCHITECTURES = {  # machine: (AUDIT_ARCH_*, socket, io_uring_setup, seccomp)
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
_X32_SYSCALL_BIT = 0x40000000
_AF_UNIX = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1
_RET_ALLOW, _RET_KILL_PROCESS = 0x7FFF0000, 0x80000000
_RET_EACCES = 0x00050000 | errno.EACCES
_LD_W_ABS, _JEQ_K, _JSET_K, _RET_K = 0x20, 0x15, 0x45, 0x06
_NR, _ARCH, _ARG0 = 0, 4, 16  # offsets in struct seccomp_data
_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _instruction(code: int, true: int, false: int, value: int) -> bytes:
    return struct.pack("HBBI", code, true, false, value)


def _filter(arch: int, socket_call: int, io_uring_setup: int) -> list[bytes]:
    """The BPF program: deny ``socket()`` but for AF_UNIX, and ``io_uring_setup``; allow the rest."""
    i = _instruction
    return [
        i(_LD_W_ABS, 0, 0, _ARCH),
        i(_JEQ_K, 1, 0, arch),
        i(_RET_K, 0, 0, _RET_KILL_PROCESS),  # another ABI (i386 through int 0x80) gets past no check
        i(_LD_W_ABS, 0, 0, _NR),
        i(_JSET_K, 6, 0, _X32_SYSCALL_BIT),  # x32 numbers: refused
        i(_JEQ_K, 5, 0, io_uring_setup),
        i(_JEQ_K, 0, 3, socket_call),
        i(_LD_W_ABS, 0, 0, _ARG0),
        i(_JEQ_K, 0, 2, _AF_UNIX),
        i(_RET_K, 0, 0, _RET_ALLOW),
        i(_RET_K, 0, 0, _RET_ALLOW),
        i(_RET_K, 0, 0, _RET_EACCES),
    ]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _install_seccomp(whole_process: bool) -> bool:
    numbers = _ARCHITECTURES.get(platform.machine())
    if numbers is None or platform.system() != "Linux":
        return False
    arch, socket_call, io_uring_setup, seccomp_call = numbers
    code = b"".join(_filter(arch, socket_call, io_uring_setup))
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _Program(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if whole_process:
        # Every thread at once, or none: a thread that cannot be synchronised makes this fail (it
        # answers that thread's id), and filtering the caller alone would not be the whole process.
        flags = _SECCOMP_FILTER_FLAG_TSYNC
        return libc.syscall(seccomp_call, _SECCOMP_SET_MODE_FILTER, flags, ctypes.byref(program)) == 0
    # One thread, and those it starts: prctl filters the caller.
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0


def _enter_empty_namespace() -> bool:
    if platform.system() != "Linux":
        return False
    libc = _libc()
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    return libc.unshare(flags) == 0


def cut_network(whole_process: bool = True) -> str:
    """Cut this process (or, with ``whole_process=False``, the calling thread) off the network.

    Returns which wall now holds: :data:`SECCOMP`, :data:`NAMESPACE` (processes only) or
    :data:`NONE` where the kernel refused both. Irreversible, and meant to be: call it in a
    process or thread that only evaluates client SPARQL.

    Examples
    --------
    >>> import subprocess, sys
    >>> code = ("import socket; from graph.sparql.netwall import cut_network; print(cut_network()); "
    ...         "socket.socketpair()\\ntry: socket.socket()\\nexcept OSError as e: print(e.errno == 13)")
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
    ['seccomp', 'True']
    """
    if _install_seccomp(whole_process):
        return SECCOMP
    if whole_process and _enter_empty_namespace():
        return NAMESPACE
    return NONE
