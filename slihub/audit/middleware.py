"""django-auditlog's middleware (who made each change), made safe against forged proxy headers.

auditlog takes the address from the first X-Forwarded-For entry and the port from X-Forwarded-Port as
sent. A header that is not an address (or a port beyond 65535, or negative) would then fail the write of
the audit entry, and with it the change itself: a server error that anyone could cause. Such values are
left out (the connection's own address is used instead), never trusted."""

import ipaddress

from auditlog.middleware import AuditlogMiddleware


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        claimed = AuditlogMiddleware._get_remote_addr(request)
        if claimed is None:
            return None
        return _address(claimed) or _address(request.META.get("REMOTE_ADDR", ""))

    @staticmethod
    def _get_remote_port(request):
        port = AuditlogMiddleware._get_remote_port(request)
        return port if port is not None and 0 <= port <= 65535 else None
