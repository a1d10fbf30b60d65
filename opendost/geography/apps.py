from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "opendost.geography"
    label = "geography"
