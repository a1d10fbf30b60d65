from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opendost.numbering.models import NumberSeries
from opendost.numbering.services import format_symbol, number_next
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 5)


def next_decision(department, on=JAN, doc_type="QĐ", suffix="SKHCN"):
    return number_next(department=department, doc_type=doc_type, year=on.year, suffix=suffix, on=on)


def test_first_number_of_a_series_is_01_with_the_symbol():
    assert next_decision(DepartmentFactory()) == (1, "01/QĐ-SKHCN")


def test_numbers_follow_on_without_gaps():
    department = DepartmentFactory()
    numbers = [next_decision(department)[0] for _ in range(12)]
    assert numbers == list(range(1, 13))
    assert format_symbol(number=12, doc_type="QĐ", suffix="SKHCN") == "12/QĐ-SKHCN"


def test_each_type_year_and_department_has_its_own_series():
    one, two = DepartmentFactory(), DepartmentFactory()
    next_decision(one)
    next_decision(one)
    assert next_decision(one, doc_type="GP") == (1, "01/GP-SKHCN")
    assert next_decision(two) == (1, "01/QĐ-SKHCN")
    assert next_decision(one, on=date(2027, 1, 1)) == (1, "01/QĐ-SKHCN")
    assert NumberSeries.objects.get(department=one, doc_type="QĐ", year=2026).last_number == 2


def test_official_letter_symbol_is_agency_and_unit():
    assert next_decision(DepartmentFactory(), doc_type="CV", suffix="SKHCN-QLKH") == (1, "01/SKHCN-QLKH")


def test_a_number_taken_in_a_rolled_back_transaction_is_given_again():
    department = DepartmentFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        next_decision(department)
        raise RuntimeError("rendering failed")
    assert next_decision(department)[0] == 1


def test_series_of_a_body_that_ceased_are_closed():
    bac_giang = DepartmentFactory(valid_to=date(2025, 6, 30))
    assert next_decision(bac_giang, on=date(2025, 6, 30)) == (1, "01/QĐ-SKHCN")
    with pytest.raises(ValidationError) as error:
        next_decision(bac_giang, on=date(2025, 7, 1))
    assert error.value.code == "series_closed"


def test_a_body_numbers_nothing_before_it_exists():
    bac_ninh = DepartmentFactory(valid_from=date(2025, 7, 1))
    with pytest.raises(ValidationError):
        next_decision(bac_ninh, on=date(2025, 6, 30))
    assert next_decision(bac_ninh, on=date(2025, 7, 1))[0] == 1


def test_the_year_must_be_the_issue_year():
    with pytest.raises(ValidationError):
        number_next(department=DepartmentFactory(), doc_type="QĐ", year=2025, suffix="SKHCN", on=JAN)


@pytest.mark.parametrize(("doc_type", "suffix"), [("", "SKHCN"), ("QĐ", " ")])
def test_type_and_suffix_are_required(doc_type, suffix):
    with pytest.raises(ValidationError):
        next_decision(DepartmentFactory(), doc_type=doc_type, suffix=suffix)


def test_series_are_unique_per_department_type_and_year():
    department = DepartmentFactory()
    NumberSeries.objects.create(department=department, doc_type="QĐ", year=2026, symbol_suffix="SKHCN")
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberSeries.objects.create(department=department, doc_type="QĐ", year=2026, symbol_suffix="SKHCN")
