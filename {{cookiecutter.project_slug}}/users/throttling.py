"""Login and password-reset throttling, counted where every process and server sees it.

Logins: django-axes, in the database. A pair of account and address is locked out after
LOGIN_FAILURES failed logins, an address after ADDRESS_FAILURES over any accounts, each for
LOCKOUT. No lock is per account alone: an attacker elsewhere can never lock a real user out
(docs/security.md has the trade-off). Password resets: counted in the default cache.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.shortcuts import redirect, render

LOGIN_FAILURES = settings.AXES_FAILURE_LIMIT


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind this site's own web server (a trusted
    proxy) the address that server saw, which it appended last to X-Forwarded-For. What a
    client writes in that header itself is never read."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        return forwarded or remote
    return remote


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter (axes has
    one limit for all): AXES_FAILURE_LIMIT for an account from one address, and
    ADDRESS_FAILURE_LIMIT for an address over all accounts."""

    def get_failures(self, request, credentials=None):
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # The address's count scaled to the pair's limit, which axes compares with.
        return max(pair, address * LOGIN_FAILURES // settings.ADDRESS_FAILURE_LIMIT)


def locked_out(request, original_response=None, credentials=None):
    """The page for a login refused by the throttle: 429, and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def throttle_password_resets(view):
    """At most PASSWORD_RESETS_PER_HOUR reset requests an hour from one address (429 past
    it) and emails to one address (past it, the usual page, no email: the page never says
    whether an address has an account)."""

    def throttled(request, *args, **kwargs):
        if request.method == "POST":
            if over_limit("reset-address", client_address(request)):
                context = {"minutes": 60}
                return render(request, "registration/locked_out.html", context, status=429)
            if over_limit("reset-email", request.POST.get("email", "").strip().lower()):
                return redirect("password_reset_done")
        return view(request, *args, **kwargs)

    return throttled


def over_limit(kind, key):
    """Count one more request for key this hour; whether that is over the limit."""
    name = f"throttle:{kind}:{key}"
    if cache.add(name, 1, timeout=3600):
        return False
    try:
        return cache.incr(name) > settings.PASSWORD_RESETS_PER_HOUR
    except ValueError:  # the hour ran out just now
        return False
