"""The web process's front (config/web_front.py): request bodies are read in the event loop
before Django takes a thread, a client that stops sending is cut off, answers pass unchanged."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core.wsgi import get_wsgi_application

from config import web_front
from config.web_front import WebFront


def request(method, path, headers=()):
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"x-forwarded-proto", b"https"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


def body(data, more=False):
    return {"type": "http.request", "body": data, "more_body": more}


def exchange(application, scope, messages, timeout=10):
    """Everything the application sends for scope, given messages as the client's side."""

    async def talk():
        client = ApplicationCommunicator(application, scope)
        for message in messages:
            await client.send_input(message)
        sent = [await client.receive_output(timeout)]  # the start
        while sent[-1]["type"] == "http.response.start" or sent[-1].get("more_body"):
            sent.append(await client.receive_output(timeout))
        await client.wait(timeout)
        return sent

    return asyncio.run(talk())


class Echo:
    """A WSGI application that answers with the body it read, in chunks of chunk bytes,
    repeated times; it notes each call."""

    def __init__(self, chunk=None, repeated=1):
        self.chunk, self.repeated, self.calls = chunk, repeated, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        size = self.chunk or max(len(data), 1)
        pieces = [data[at : at + size] for at in range(0, len(data), size)]
        return pieces * self.repeated


def sized(length):
    return [(b"content-length", str(length).encode())]


def test_django_gets_the_whole_body_however_it_arrives_in_pieces(db):
    data = bytes(range(256)) * 12_000  # over FILE_UPLOAD_MAX_MEMORY_SIZE: waits on disk
    pieces = [body(data[at : at + 65_536], more=True) for at in range(0, len(data), 65_536)]
    pieces[-1]["more_body"] = False

    start, *answer = exchange(WebFront(Echo()), request("POST", "/", sized(len(data))), pieces)

    assert start["status"] == 200
    assert b"".join(message["body"] for message in answer) == data


def test_a_client_that_stops_sending_gets_408_and_never_reaches_django(db, monkeypatch):
    monkeypatch.setattr(web_front, "BODY_IDLE_SECONDS", 0.2)
    django = Echo()
    scope = request("POST", "/accounts/login/", sized(100_000))

    start, end = exchange(WebFront(django), scope, [body(b"username=a", more=True)])

    assert start["status"] == 408
    assert (b"connection", b"close") in start["headers"]
    assert end["body"] == b"Request body timeout.\n" and not end.get("more_body")
    assert django.calls == 0


def test_a_body_over_its_limit_is_not_waited_for_and_django_answers_413(db, settings):
    front = WebFront(get_wsgi_application())
    too_long = sized(settings.MAX_REQUEST_BODY + 1)

    # No body is sent: reading it would wait (BODY_IDLE_SECONDS) past the exchange's timeout.
    start, *_ = exchange(front, request("POST", "/accounts/login/", too_long), [], timeout=5)

    assert start["status"] == 413


@pytest.mark.parametrize("chunks", [1, 200])
def test_a_long_answer_goes_out_in_blocks_and_a_short_one_in_one_message(db, chunks):
    data = b"x" * 8192
    long_or_short = Echo(chunk=8192, repeated=chunks)  # 8 KB, or 200 × 8 KB = 1.6 MB

    start, *answer = exchange(WebFront(long_or_short), request("POST", "/", sized(8192)),
                              [body(data)])  # fmt: skip

    assert start["status"] == 200
    assert b"".join(message["body"] for message in answer) == data * chunks
    if chunks == 1:
        assert len(answer) == 1
    else:  # each block about SEND_BYTES, so memory stays flat however long the answer
        sizes = [len(message["body"]) for message in answer[:-1]]
        assert all(web_front.SEND_BYTES <= size < web_front.SEND_BYTES + 8192 for size in sizes)


def test_a_long_answer_stops_when_the_client_disconnects(db):
    long = Echo(chunk=8192, repeated=2000)  # 2000 × 8 KB = 16 MB

    async def talk():
        client = ApplicationCommunicator(WebFront(long), request("POST", "/", sized(8192)))
        await client.send_input(body(b"x" * 8192))
        sent = [await client.receive_output(10), await client.receive_output(10)]
        await client.send_input({"type": "http.disconnect"})
        await client.wait(10)  # the application ends without sending the rest
        while not client.output_queue.empty():
            sent.append(client.output_queue.get_nowait())
        return sent

    start, *answer = asyncio.run(talk())

    assert start["status"] == 200
    assert sum(len(message["body"]) for message in answer) < 4 * web_front.SEND_BYTES
    assert all(message.get("more_body") for message in answer)  # never ended as if whole


def test_the_server_is_told_there_is_nothing_to_start_or_stop(db):
    async def lifespan():
        server = ApplicationCommunicator(WebFront(Echo()), {"type": "lifespan"})
        await server.send_input({"type": "lifespan.startup"})
        started = await server.receive_output(5)
        await server.send_input({"type": "lifespan.shutdown"})
        stopped = await server.receive_output(5)
        await server.wait(5)
        return started["type"], stopped["type"]

    assert asyncio.run(lifespan()) == ("lifespan.startup.complete", "lifespan.shutdown.complete")
