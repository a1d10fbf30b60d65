def navigation(request):
    """Menu entries for the logged-in user; filled by opendost.web.navigation."""
    from opendost.web.navigation import menu_tree

    user = getattr(request, "user", None)
    return {"nav_menu": menu_tree(user, request.path) if user is not None and user.is_authenticated else []}
