from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "opendost.departments"
    label = "departments"
