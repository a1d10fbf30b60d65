"""Finding administrative units by name or code, as people type them in a spreadsheet.

"Bắc Ninh", "tỉnh bắc ninh", "Tinh Bac Ninh" and "24" all find the province "Tỉnh Bắc Ninh" of the
chosen code set; names are compared with `fold()` and without their type word (tỉnh, thành phố,
quận, huyện, thị xã, xã, phường, thị trấn, đặc khu). Units are loaded once per province and level.
"""

import re

from django.utils.translation import gettext as _

from opendost.common.text import fold, normalize
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit

_TYPE_WORDS = re.compile(r"^(tinh|thanh pho|tp\.?|quan|huyen|thi xa|thi tran|xa|phuong|dac khu)\s+")
_CODE_WIDTH = {AdminLevel.PROVINCE: 2, AdminLevel.DISTRICT: 3, AdminLevel.COMMUNE: 5}


class PlaceNotFound(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _code_key(text: str, level: str) -> str | None:
    text = text.strip()
    return text.zfill(_CODE_WIDTH[level]) if text.isdigit() else None


class Places:
    def __init__(self):
        self._index: dict[tuple, dict[str, list[AdminUnit]]] = {}
        self._found: dict[tuple, AdminUnit | PlaceNotFound] = {}

    def _units(self, code_set: str, level: str, province: AdminUnit | None) -> dict[str, list[AdminUnit]]:
        cache_key = (code_set, level, province.pk if province else None)
        if cache_key not in self._index:
            units = AdminUnit.objects.filter(code_set=code_set, level=level)
            if province is not None:
                units = units.filter(province=province)
            index: dict[str, list[AdminUnit]] = {}
            for unit in units.only("pk", "code", "name", "code_set", "level", "parent_id", "province_id"):
                folded = fold(unit.name)
                exact = normalize(unit.name).casefold()
                for key in {f"#{unit.code}", f"!{exact}", f"={folded}", f"~{_TYPE_WORDS.sub('', folded)}"}:
                    index.setdefault(key, []).append(unit)
            self._index[cache_key] = index
        return self._index[cache_key]

    def find(
        self, text: str, *, code_set: str, level: str, province: AdminUnit | None = None, parent=None
    ) -> AdminUnit:
        """Memoised: a 100k-row file names the same few hundred units over and over."""
        key = (text, code_set, level, province.pk if province else None, parent.pk if parent else None)
        if key not in self._found:
            try:
                self._found[key] = self._find(text, code_set=code_set, level=level, province=province, parent=parent)
            except PlaceNotFound as exc:
                self._found[key] = exc
        found = self._found[key]
        if isinstance(found, PlaceNotFound):
            raise PlaceNotFound(found.message, found.field)
        return found

    def _find(self, text: str, *, code_set: str, level: str, province: AdminUnit | None, parent) -> AdminUnit:
        index = self._units(code_set, level, province)
        code = _code_key(text, level)
        found = index.get(f"#{code}", []) if code else []
        if not found:
            # the name as written, then ignoring accents ("Thanh An" and "Thạnh An" can both exist), then
            # without its type word ("Tân Thạnh" for "Phường Tân Thạnh")
            folded = fold(text)
            found = (
                index.get(f"!{normalize(text).casefold()}", [])
                or index.get(f"={folded}", [])
                or index.get(f"~{_TYPE_WORDS.sub('', folded)}", [])
            )
        if parent is not None and len(found) > 1:
            found = [u for u in found if u.parent_id == parent.pk]
        if len(found) == 1:
            return found[0]
        if not found:
            where = f" ({province.name})" if province is not None else ""
            raise PlaceNotFound(
                _("“%(value)s” is not a unit of the %(code_set)s map%(where)s.")
                % {"value": text, "code_set": CodeSet(code_set).label, "where": where}
            )
        raise PlaceNotFound(
            _("Several units are called “%(value)s”: write the unit's code instead.") % {"value": text}
        )
