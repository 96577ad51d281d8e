"""Logging in while others upload large avatars, against the real Procfile process on SQLite
behind nginx: image work happens outside any database transaction, so SQLite's write lock is
held only for the row, and a login never waits long enough to fail."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from test_uploads_end_to_end import PASSWORD, Visitor

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

UPLOADS_EACH = 3


def padded_gif(size=5_000_000):
    """A GIF whose 5 MB are a comment of 1-byte sub-blocks: the most header to scan."""
    buffer = io.BytesIO()
    Image.new("P", (64, 64)).save(buffer, "GIF")
    first = buffer.getvalue()[:-1]
    blocks = (size - len(first) - 4) // 2
    return first + b"!\xfe" + b"\x01x" * blocks + b"\x00;"


def noisy_png():
    """About 5 MB of PNG that decodes to 4.8 megapixels: the most pixels to decode."""
    buffer = io.BytesIO()
    Image.effect_noise((2200, 2200), 64).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_user_logs_in_every_quarter_second_while_two_others_upload(local_behind_nginx):
    stack = local_behind_nginx
    stack.create_users(["upload-a", "upload-b", "logging-in"], password=PASSWORD)
    sessions = stack.sessions(["upload-a", "upload-b"])
    uploaders = []
    for username in ("upload-a", "upload-b"):
        visitor = Visitor(stack)
        visitor.use_session(sessions[username])
        uploaders.append(visitor)
    images = [padded_gif(), noisy_png()]
    assert all(len(image) <= 5_000_000 for image in images)
    done = threading.Event()

    def upload(visitor):
        statuses = [
            visitor.upload(images[n % 2], name="big").status_code for n in range(UPLOADS_EACH)
        ]
        return statuses

    def log_in_repeatedly():
        statuses = []
        while not done.is_set():
            visitor = Visitor(stack)
            response = visitor.post(
                "/accounts/login/", data={"username": "logging-in", "password": PASSWORD}
            )
            statuses.append(response.status_code)
            time.sleep(0.25)
        return statuses

    with ThreadPoolExecutor(3) as pool:
        logins = pool.submit(log_in_repeatedly)
        uploads = [pool.submit(upload, visitor) for visitor in uploaders]
        upload_statuses = [future.result(timeout=300) for future in uploads]
        done.set()
        login_statuses = logins.result(timeout=60)

    assert upload_statuses == [[302] * UPLOADS_EACH] * 2, stack.app.output()[-4000:]
    assert len(login_statuses) >= 2
    assert set(login_statuses) == {302}, login_statuses
    assert "database is locked" not in stack.app.output()
