"""factory_boy factories for registry records (synthetic, marked demo)."""

from __future__ import annotations

import datetime as dt

import factory

from tumbuh.accounts.models import User
from tumbuh.registry.models import Child, Family, Mother, Person, Relationship, Sex
from tumbuh.wilayah.models import Region

PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        user = model_class(*args, **kwargs)
        user.set_password(PASSWORD)
        user.save()
        return user


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    kelurahan = factory.LazyFunction(lambda: Region.objects.get(code="32.71.03.1006"))
    head_name = factory.Sequence(lambda n: f"Kepala {n}")
    address_line = "Gg. Uji No. 1"
    is_demo = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Orang Uji {n}")
    sex = Sex.MALE
    birth_date = dt.date(1995, 5, 5)
    family = factory.SubFactory(FamilyFactory)
    is_demo = True


class MotherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mother

    person = factory.SubFactory(
        PersonFactory,
        sex=Sex.FEMALE,
        relationship=Relationship.WIFE,
        name=factory.Sequence(lambda n: f"Ibu Uji {n}"),
    )
    is_demo = True


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    person = factory.SubFactory(
        PersonFactory,
        birth_date=dt.date(2025, 1, 10),
        relationship=Relationship.CHILD,
        name=factory.Sequence(lambda n: f"Anak Uji {n}"),
    )
    mother = factory.SubFactory(
        MotherFactory,
        person__family=factory.SelfAttribute("...person.family"),
    )
    is_demo = True
