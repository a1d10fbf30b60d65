from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "opendost.common"
    label = "common"
