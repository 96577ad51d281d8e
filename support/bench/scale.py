"""One app server against two behind nginx (support.scale_out: each with one worker, sharing
PostgreSQL, Redis and the s3 option's bucket on its emulator): the home page, and the profile
page of a logged-in user."""

from ..project import bake
from ..scale_out import scaled_out_stack
from ..visitor import PASSWORD, Visitor
from ..webservers import web_server
from .servers import wrk

PAGES = {"home page": ("/", False), "profile page, logged in": ("/profile/", True)}


def scale_out_rows(work, duration):
    """(page, servers, req/s, p50, p99, ratio to one server) for each page."""
    project = bake(work / "scale-bake", media_storage="s3", project_name="Bench scale")
    project.install()
    with scaled_out_stack(project, work / "scaled-out") as site:
        first = site.machines[0]
        create = "from users.models import User\n"
        create += f"User.objects.create_user('bench', password={PASSWORD!r})"
        first.manage("shell", "-v0", "-c", create)
        visitor = Visitor(site)
        visitor.log_in("bench")
        cookie = "Cookie: sessionid=" + visitor.session.cookies["sessionid"]
        (work / "one-server").mkdir()
        # The same shipped site, its upstream the first server only.
        with web_server("nginx", project, work / "one-server", app_port=first.port) as port:
            bases = {"one": f"https://127.0.0.1:{port}", "two": site.base_url}
            rows = []
            for page, (path, logged_in) in PAGES.items():
                headers = (cookie,) if logged_in else ()
                measured = {
                    servers: wrk(base + path, duration, headers=headers)
                    for servers, base in bases.items()
                }
                for servers, (rate, p50, p99) in measured.items():
                    ratio = rate / measured["one"][0]
                    rows.append(
                        (page, servers, f"{rate:,.0f}", f"{p50:.2f}", f"{p99:.2f}", f"{ratio:.2f}")
                    )
    return rows
