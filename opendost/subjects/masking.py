def mask_citizen_id(value: str | None) -> str:
    """Show only the last 3 digits of a citizen ID: '001234567890' -> '*********890'.

    Used everywhere a citizen ID is displayed, exported or sent through the API (R-22).
    """
    if not value:
        return ""
    keep = 3 if len(value) > 4 else 0
    return "*" * (len(value) - keep) + value[len(value) - keep :]
