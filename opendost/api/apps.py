from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opendost.api"
    label = "api"
