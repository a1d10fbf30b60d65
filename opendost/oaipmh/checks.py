"""`manage.py check --deploy`: settings harvesters would reject (an invalid adminEmail or domain)."""

import re

from django.core import checks

from opendost.oaipmh import provider, registry

EMAIL_RE = re.compile(r"^\S+@(\S+\.)+\S+$")  # emailType of OAI-PMH.xsd


@checks.register(deploy=True)
def oai_settings(app_configs, **kwargs):
    found = []
    for email in provider.admin_emails():
        if not EMAIL_RE.match(email):
            found.append(
                checks.Warning(
                    f"OAI-PMH adminEmail {email!r} is not valid in Identify responses.",
                    hint="Set OAI_ADMIN_EMAILS (or DEFAULT_FROM_EMAIL) to an address with a full domain.",
                    id="oaipmh.W001",
                )
            )
    domain = registry.repository_identifier()
    if not registry.DOMAIN_RE.match(domain):
        found.append(
            checks.Warning(
                f"OAI-PMH repository identifier {domain!r} is not a domain name; identifiers will not follow "
                "the oai-identifier scheme.",
                hint="Set SITE_URL to the public https address, or OAI_REPOSITORY_IDENTIFIER.",
                id="oaipmh.W002",
            )
        )
    return found
