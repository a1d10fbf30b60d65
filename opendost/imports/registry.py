"""Import specs by name, for the views and the `import_file` command. A module registers its spec
with `register(spec)` when it is imported (see `specs()`, which imports the known spec modules)."""

from django.utils.module_loading import import_string

from opendost.imports.kit import ImportSpec

SPEC_MODULES = ["opendost.imports.organizations"]
_SPECS: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    _SPECS[spec.name] = spec
    return spec


def specs() -> dict[str, ImportSpec]:
    for module in SPEC_MODULES:
        import_string(module + ".SPEC")
    return _SPECS


def get_spec(name: str) -> ImportSpec | None:
    return specs().get(name)
