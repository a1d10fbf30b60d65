"""Walk the chain and name the first broken link (R-21)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from opendost.audit.hashing import GENESIS_HASH, chain_hash, event_content
from opendost.audit.models import AuditEvent, AuditHead

FIELDS = [
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "department_id",
    "changes",
    "before",
    "after",
    "note",
    "request_id",
    "prev_hash",
    "hash",
]


@dataclass(frozen=True)
class ChainReport:
    checked: int
    last_seq: int
    last_hash: str
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _type_keys() -> dict[int, str]:
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


def audit_chain_verify(*, anchor: Path | None = None) -> ChainReport:
    """Recompute every hash in seq order; stop at the first row that does not fit.

    1. Each row's seq must be the previous seq + 1 (a deleted row leaves a hole).
    2. Its prev_hash must be the previous row's hash, and its hash must match its content (an edit).
    3. The last row must be the head row (a deleted tail), and, when an anchor file from an earlier
       run is given, the row it names must still carry the hash it recorded (a deleted tail whose
       head was moved back, or a re-hashed chain).
    """
    types = _type_keys()
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    hashes_at_anchor: dict[int, str] = {}
    anchored = _read_anchor(anchor)
    for row in AuditEvent.objects.order_by("seq").values(*FIELDS).iterator(chunk_size=2000):
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(
                checked,
                expected_seq - 1,
                prev_hash,
                expected_seq,
                _("event %(missing)s is missing: the chain jumps from %(before)s to %(after)s")
                % {"missing": expected_seq, "before": expected_seq - 1, "after": seq},
            )
        if row["prev_hash"] != prev_hash:
            return ChainReport(checked, seq - 1, prev_hash, seq, _("its link to the previous event does not match"))
        fields = {k: row[k] for k in FIELDS if k not in {"content_type_id", "prev_hash", "hash"}}
        content = event_content(content_type_key=types.get(row["content_type_id"], ""), **fields)
        if chain_hash(prev_hash, content) != row["hash"]:
            return ChainReport(checked, seq - 1, prev_hash, seq, _("its content was changed after it was written"))
        if anchored and seq == anchored[0]:
            hashes_at_anchor[seq] = row["hash"]
        prev_hash, expected_seq, checked = row["hash"], seq + 1, checked + 1
    last_seq = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (last_seq, prev_hash):
        return ChainReport(
            checked,
            last_seq,
            prev_hash,
            last_seq + 1,
            _("the chain ends at event %(last)s but its head records event %(head)s: the last events were deleted")
            % {"last": last_seq, "head": head_seq},
        )
    if anchored:
        anchor_seq, anchor_hash = anchored
        if anchor_seq > last_seq:
            return ChainReport(
                checked,
                last_seq,
                prev_hash,
                last_seq + 1,
                _(
                    "the chain ends at event %(last)s but the external anchor records event %(anchor)s: "
                    "the last events were deleted"
                )
                % {"last": last_seq, "anchor": anchor_seq},
            )
        if anchor_seq and hashes_at_anchor.get(anchor_seq) != anchor_hash:
            return ChainReport(
                checked,
                last_seq,
                prev_hash,
                anchor_seq,
                _("event %(seq)s no longer matches the external anchor: the chain was rewritten")
                % {"seq": anchor_seq},
            )
    return ChainReport(checked, last_seq, prev_hash)


def _read_anchor(anchor: Path | None) -> tuple[int, str] | None:
    if anchor is None or not anchor.exists():
        return None
    data = json.loads(anchor.read_text(encoding="utf-8"))
    return int(data["last_seq"]), str(data["last_hash"])


def write_anchor(anchor: Path, report: ChainReport) -> None:
    """Record the verified head outside the database (copy this file off the host, e.g. daily)."""
    anchor.parent.mkdir(parents=True, exist_ok=True)
    tmp = anchor.with_suffix(anchor.suffix + ".tmp")
    tmp.write_text(json.dumps({"last_seq": report.last_seq, "last_hash": report.last_hash}), encoding="utf-8")
    tmp.replace(anchor)
