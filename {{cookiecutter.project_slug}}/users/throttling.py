"""Login and password-reset throttling, counted where every process and server sees it.

Logins: django-axes, in the database. A pair of account and address is locked out after
LOGIN_FAILURES failed logins, an address after ADDRESS_FAILURES over any accounts, each for
LOCKOUT. No lock is per account alone: an attacker elsewhere can never lock a real user out
(docs/security.md has the trade-off). Password resets: counted in the default cache.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
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
    ADDRESS_FAILURE_LIMIT for an address over all accounts. A login that succeeds, the
    common case, costs one query: one count for both, nothing deleted when nothing failed."""

    def get_failures(self, request, credentials=None):
        _, address = self.get_user_attempts(request, credentials)
        username = get_client_username(request, credentials)
        counts = address.aggregate(
            pair=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        request.axes_pair_failures = counts["pair"] or 0
        # The address's count scaled to the pair's limit, which axes compares with.
        address_failures = (counts["address"] or 0) * LOGIN_FAILURES
        return max(request.axes_pair_failures, address_failures // settings.ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None):
        """A success forgets the pair's failures only: forgetting the address's too would let
        an attacker's own account reset the count of guesses at everyone else's."""
        if getattr(request, "axes_pair_failures", None) == 0:
            return 0
        pair, _ = self.filter_user_attempts(request, credentials)
        return pair.delete()[0]

    def clean_expired_user_attempts(self, request=None, credentials=None):
        """Axes deletes in a write transaction even when nothing has expired; look first."""
        if not AccessAttempt.objects.filter(
            attempt_time__lte=get_cool_off_threshold(request)
        ).exists():
            return 0
        return super().clean_expired_user_attempts(request, credentials)


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
