import re
import uuid

from django.core.exceptions import PermissionDenied

from opendost.audit.context import current_request_id

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class AuditMiddleware:
    """Give each request an id that its audit events carry, and record authorisation denials (S-24).

    A proxy's X-Request-ID is kept when it looks like an id; anything else is replaced. Place it after
    AuthenticationMiddleware, so the denied user is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            return self.get_response(request)
        finally:
            current_request_id.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            from opendost.audit.services import audit_authz_denied

            audit_authz_denied(request=request)
        return None
