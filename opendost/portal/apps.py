from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "opendost.portal"
    label = "portal"
