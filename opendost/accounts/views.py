from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

login_view = login_not_required(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    response = auth_views.LogoutView.as_view()(request)
    messages.info(request, _("You have logged out."))
    return response


def two_factor(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor.html", {})
