from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opendost.demo"
    label = "demo"
