"""One file answered from memory with fixed headers, and nothing else: what granian itself can
do, the ceiling of any Python application under the Procfile's command (bench/run runs it in
the project's environment, so this module imports the standard library only)."""

import json
import os

with open(os.environ["CEILING_BODY"], "rb") as _file:
    BODY = _file.read()
HEADERS = json.loads(os.environ["CEILING_HEADERS"])
ENCODED = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS]


def wsgi(environ, start_response):
    start_response("200 OK", [tuple(header) for header in HEADERS])
    return [BODY]


async def asgi(scope, receive, send):
    if scope["type"] != "http":  # lifespan: nothing to start
        return
    await send({"type": "http.response.start", "status": 200, "headers": ENCODED})
    await send({"type": "http.response.body", "body": BODY})
