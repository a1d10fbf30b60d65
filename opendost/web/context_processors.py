def navigation(request):
    """Menu entries for the logged-in user; filled by opendost.web.navigation."""
    from opendost.web.navigation import menu_for

    user = getattr(request, "user", None)
    return {"nav_menu": menu_for(user) if user is not None and user.is_authenticated else []}
