def record_login_failed(sender, credentials=None, request=None, **kwargs):
    """A failed sign-in: the typed username, escaped (S-25), and no actor."""
    from opendost.audit.enums import AuditAction
    from opendost.audit.services import audit_record

    username = str((credentials or {}).get("username", "") or "")
    address = (request.META.get("REMOTE_ADDR", "") if request is not None else "") or ""
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        actor_label=username,
        note=f"ip={address}" if address else "",
    )
