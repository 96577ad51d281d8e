"""Clients that stall: a login POST's headers and the first bytes of a body announced as much
longer, then nothing. Each looks like a slow phone, and each may hold a worker thread of the
app while the server waits for the rest."""

import selectors
import socket
import ssl
import time

STALLED_REQUEST = (
    "POST /accounts/login/ HTTP/1.1\r\nHost: {host}\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n"
    # A made-up CSRF cookie and a matching Referer: all the form's check asks before the body.
    "Cookie: csrftoken=stalledstalledstalledstalledstal\r\n"
    "Referer: https://{host}/accounts/login/\r\n"
    # As a platform's router says it (a web server in front sets its own).
    "X-Forwarded-Proto: https\r\n\r\nusername=a"
)


def open_connection(port, *, tls):
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    if not tls:
        return connection
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context.wrap_socket(connection)


def stall(port, count=16, *, tls=False, host="127.0.0.1"):
    """count connections, each sending a login POST's headers and 10 of 100,000 body bytes,
    then nothing; returns them, open."""
    stalled = []
    for _ in range(count):
        connection = open_connection(port, tls=tls)
        connection.sendall(STALLED_REQUEST.format(host=host).encode())
        stalled.append(connection)
    return stalled


def seconds_until_closed(connections, timeout):
    """Seconds until the server has closed every connection (what it answered first, a 408
    say, is read and dropped), or None if some are still open after timeout."""
    start = time.monotonic()
    selector = selectors.DefaultSelector()
    for connection in connections:
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ)
    try:
        while selector.get_map() and time.monotonic() - start < timeout:
            for key, _ in selector.select(timeout=0.5):
                if not read_some(key.fileobj):
                    selector.unregister(key.fileobj)
        return None if selector.get_map() else time.monotonic() - start
    finally:
        selector.close()
        for connection in connections:
            connection.close()


def read_some(connection):
    """False once the peer has closed the connection."""
    try:
        return bool(connection.recv(65536))
    except (ssl.SSLWantReadError, BlockingIOError):
        return True  # TLS record not complete yet
    except OSError:
        return False  # reset: closed too
