"""What the login throttle adds to a login: the same login with it on and off, alternating.
Passwords are hashed with a fast hasher here, so that the throttle's own cost is not lost in
the production hasher's deliberate half second (which the login also pays)."""

LOGIN_SCRIPT = """
import statistics, sys, time
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
from users.models import User

fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
fast.enable()
password = "a-long-bench-password"
User.objects.filter(username="bench").delete()
User.objects.create_user("bench", password=password)
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
times = {True: [], False: []}
for _ in range(int(sys.argv[1])):
    for throttled in (True, False):
        with override_settings(AXES_ENABLED=throttled):
            started = time.perf_counter()
            answer = client.post("/accounts/login/", {"username": "bench", "password": password})
            times[throttled].append(time.perf_counter() - started)
            assert answer.status_code == 302, answer.status_code
            client.logout()
print(statistics.median(times[True]) * 1000, statistics.median(times[False]) * 1000)
"""


def login_cost(project, env, logins):
    """Rows: median login time with the throttle, without, and the difference (ms)."""
    result = project.run(project.python, "-c", LOGIN_SCRIPT, str(logins), env=env, timeout=900)
    throttled, plain = map(float, result.stdout.split()[-2:])
    return [
        ("with the login throttle", f"{throttled:.2f}"),
        ("without it", f"{plain:.2f}"),
        ("added by the throttle", f"{throttled - plain:.2f}"),
    ]
