"""A free local port for the online form, so the command the demo prints works as printed."""

from __future__ import annotations

import socket

TRIES = 20


def free_port(host: str, start: int) -> int | None:
    """`start` or the next port that can be listened on; None when TRIES ports are taken."""
    for port in range(start, min(start + TRIES, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    return None
