"""The registry a domain app uses: registration rules, identifiers, the oai_dc rendering."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from opendost.oaipmh import registry
from opendost.oaipmh.metadata import render_oai_dc
from opendost.oaipmh.registry import RecordSource
from tests.oaipmh.conftest import DOMAIN, OrganizationSource


def test_register_and_unregister():
    source = registry.register(OrganizationSource())

    assert registry.sources() == [source]
    assert registry.get_source("org") is source
    registry.register(source)  # registering the same instance again is harmless
    registry.unregister("org")
    assert registry.sources() == []


def test_a_prefix_is_registered_once():
    registry.register(OrganizationSource())

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        registry.register(OrganizationSource())


@pytest.mark.parametrize("prefix", ["", "a/b", "kết quả", "a:b"])
def test_a_prefix_must_be_usable_in_identifiers_and_sets(prefix):
    source = OrganizationSource()
    source.prefix = prefix

    with pytest.raises(ImproperlyConfigured):
        registry.register(source)


def test_sources_are_walked_in_prefix_order():
    later, earlier = OrganizationSource(), OrganizationSource()
    later.prefix, earlier.prefix = "zeta", "alpha"
    registry.register(later)
    registry.register(earlier)

    assert registry.sources() == [earlier, later]


def test_repository_identifier(settings):
    assert registry.repository_identifier() == DOMAIN
    settings.SITE_URL = "https://KHCN.BacNinh.gov.vn:8443/portal"
    assert registry.repository_identifier() == "khcn.bacninh.gov.vn"
    settings.OAI_REPOSITORY_IDENTIFIER = "oai.khcn.gov.vn"
    assert registry.repository_identifier() == "oai.khcn.gov.vn"


def test_parse_identifier():
    source = registry.register(OrganizationSource())

    assert registry.parse_identifier(f"oai:{DOMAIN}:org/abc/def") == (source, "abc/def")
    assert registry.parse_identifier(f"oai:{DOMAIN}:org/") is None
    assert registry.parse_identifier(f"oai:{DOMAIN}:other/1") is None
    assert registry.parse_identifier("oai:elsewhere.org:org/1") is None
    assert registry.parse_identifier(f"{DOMAIN}:org/1") is None


def test_a_source_must_describe_its_records():
    class Incomplete(RecordSource):
        prefix = "x"

    with pytest.raises(NotImplementedError):
        Incomplete().queryset()
    with pytest.raises(NotImplementedError):
        Incomplete().dublin_core(object())


def test_dublin_core_refuses_elements_outside_the_fifteen():
    class Typo(RecordSource):
        prefix = "typo"

        def dublin_core(self, obj):
            return {"titel": ["Đề tài"]}

    with pytest.raises(ValueError, match="titel"):
        render_oai_dc(Typo(), object())


def test_deploy_checks_warn_about_settings_harvesters_reject(settings):
    from opendost.oaipmh.checks import oai_settings

    assert oai_settings(None) == []
    settings.DEFAULT_FROM_EMAIL = "OpenDOST <no-reply@localhost>"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in oai_settings(None)] == ["oaipmh.W001", "oaipmh.W002"]
