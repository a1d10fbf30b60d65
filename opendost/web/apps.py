from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "opendost.web"
    label = "web"
