"""The Procfile's web process: what needs no thread is done in granian's event loop, so a slow
client holds a connection, never one of the WEB_THREADS threads that run Django.

- Hashed static files are answered from memory (config/static_front.py's answers).
- A request's body is read whole before Django is given a thread: in memory up to Django's
  FILE_UPLOAD_MAX_MEMORY_SIZE, in a temporary file beyond. A client that sends nothing for
  BODY_IDLE_SECONDS gets 408 and loses its connection, as with nginx's client_body_timeout in
  deploy/nginx.conf. A body over its limit (config/middleware.py) is not read: Django answers
  413 at once.
- Django's WSGI application runs in a thread; a short answer comes back whole and is sent from
  the loop, a long one (a private file) is sent from the thread in blocks of SEND_BYTES, each
  once the client has taken the one before, so memory stays flat; and no more once the client
  has gone.
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from tempfile import SpooledTemporaryFile

from a2wsgi.wsgi import build_environ
from django.conf import settings

from config.middleware import body_limit
from config.static_front import StaticFront

BODY_IDLE_SECONDS = 20
SEND_BYTES = 256 * 1024
TIMED_OUT = (408, [(b"content-type", b"text/plain"), (b"connection", b"close")])


class WebFront:
    def __init__(self, wsgi_application):
        self.static = StaticFront(wsgi_application)
        self.application = wsgi_application
        self.threads = ThreadPoolExecutor(settings.WEB_THREADS, thread_name_prefix="django")
        self.static_headers = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        environ = build_environ(scope, BytesIO())  # no body read yet
        static = self.static.answer(environ)
        if static is not None:
            status, headers, body = static
            return await send_whole(send, int(status[:3]), self.encoded_once(headers), body)
        try:
            environ["wsgi.input"] = await whole_body(environ, receive)
        except TimeoutError:
            status, headers = TIMED_OUT
            return await send_whole(send, status, headers, b"Request body timeout.\n")
        except ClientGone:
            return None
        loop = asyncio.get_running_loop()
        sender = Sender(send, loop)
        watching = asyncio.ensure_future(sender.watch(receive))
        try:
            answer = await loop.run_in_executor(self.threads, self.django, environ, sender)
        finally:
            watching.cancel()
        if answer is not None:  # else sent from the thread
            status, headers, body = answer
            await send_whole(send, int(status[:3]), encoded(headers), body)

    def encoded_once(self, headers):
        """Each static answer's headers encoded once; the list is kept beside its encoding, so
        its id cannot be reused by another."""
        kept = self.static_headers.get(id(headers))
        if kept is None or kept[0] is not headers:
            kept = self.static_headers[id(headers)] = (headers, encoded(headers))
        return kept[1]

    def django(self, environ, sender):
        """Django's answer, returned whole if short; otherwise sent from here, block by block."""
        started = []

        def start_response(status, headers, exc_info=None):
            started[:] = status, headers

        answer = self.application(environ, start_response)
        try:
            pieces = blocks(answer)
            first = next(pieces)
            if len(first) < SEND_BYTES:  # only the last block is short: this is all of it
                return *started, first
            sender.stream(*started, first, pieces)
            return None
        finally:
            getattr(answer, "close", lambda: None)()
            environ["wsgi.input"].close()


class ClientGone(Exception):
    """The client disconnected before its request body was whole."""


async def whole_body(environ, receive):
    """The request body as a file at its start; empty when Django would not read it (no
    Content-Length, or one over the limit). TimeoutError when the client stalls."""
    # Closed by WebFront.django once Django has answered, or here if reading fails.
    body = SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > body_limit(environ["PATH_INFO"]):
        length = 0
    received, more = 0, True
    try:
        while more and received < length:
            async with asyncio.timeout(BODY_IDLE_SECONDS):
                message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk = message.get("body", b"")
            body.write(chunk)
            received += len(chunk)
            more = message.get("more_body", False)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body


class Sender:
    """ASGI's send, called from Django's thread: each message is sent before the next, and
    none once the client has gone (granian's send does not fail then: it logs each message)."""

    def __init__(self, send, loop):
        self.send = send
        self.loop = loop
        self.gone = threading.Event()

    async def watch(self, receive):
        """Once the body is read, the server's receive answers when the client disconnects."""
        while (await receive())["type"] != "http.disconnect":
            pass
        self.gone.set()

    def __call__(self, message):
        asyncio.run_coroutine_threadsafe(self.sending(message), self.loop).result()

    async def sending(self, message):
        await self.send(message)

    def stream(self, status, headers, first, rest):
        """Start the response, then send its blocks: each but the last says more follows."""
        self({"type": "http.response.start", "status": int(status[:3]),
              "headers": encoded(headers)})  # fmt: skip
        block = first
        for following in rest:
            if self.gone.is_set():
                return  # nobody to send the rest to: stop reading it
            self({"type": "http.response.body", "body": block, "more_body": True})
            block = following
        self({"type": "http.response.body", "body": block})


def blocks(chunks):
    """The chunks joined in blocks of at least SEND_BYTES, the last one excepted."""
    block, size = [], 0
    for chunk in chunks:
        block.append(chunk)
        size += len(chunk)
        if size >= SEND_BYTES:
            yield b"".join(block)
            block, size = [], 0
    yield b"".join(block)


async def send_whole(send, status, headers, body):
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def encoded(headers):
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


async def lifespan(receive, send):
    """Nothing to start or stop: Django was set up when this module's application was made."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        else:
            await send({"type": "lifespan.shutdown.complete"})
            return
