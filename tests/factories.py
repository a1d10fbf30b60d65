"""Factories for the kernel records every test needs: departments, units and users with roles.

App-specific factories live next to their tests (tests/<app>/factories.py).
"""

import factory
from django.contrib.auth.models import Group

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.departments.models import Department, Unit


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Sở Khoa học và Công nghệ số {n}")
    governing_body = "UBND TỈNH THỬ NGHIỆM"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Phòng Quản lý số {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(role=Role.OFFICER)` gives an officer of a new department."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("Mat-khau-dai-du-dung-0!")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            roles = extracted if isinstance(extracted, list | tuple | set) else [extracted]
            for role in roles:
                obj.groups.add(Group.objects.get(name=Role(role).value))


def officer(**kwargs) -> User:
    return UserFactory(role=Role.OFFICER, **kwargs)
