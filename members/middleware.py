"""Request wiring of the members app."""

from . import audit


class AuditContextMiddleware:
    """Makes the request's user the actor of every audit entry written while the
    request runs (members.audit reads it from a context variable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.acting(request):
            return self.get_response(request)
