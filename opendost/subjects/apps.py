from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "opendost.subjects"
    label = "subjects"
