from django.apps import AppConfig


class ClassificationsConfig(AppConfig):
    name = "opendost.classifications"
    label = "classifications"
