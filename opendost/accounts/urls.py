from django.urls import path

from opendost.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("me/", views.account, name="account"),
    path("me/password/", views.password_change, name="password_change"),
]
