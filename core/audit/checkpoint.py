"""Checkpoints: the chain's head signed with the audit key, kept outside the database.

The chain alone cannot show that entries were removed from its end (what is left still verifies)
or that someone holding the key rewrote it. A checkpoint records the last entry's id and hash at
a moment; `erp audit verify --since-checkpoint FILE` then checks that the log still holds that
entry unchanged. The file is signed, so it can be checked without the database, and an altered
file is refused.
"""
from __future__ import annotations

import hmac
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from .log import keyed

# Signed apart from the entries (whose messages start with a 64-digit hash), so a checkpoint's
# signature can never pass for an entry's hash or the other way round.
_PURPOSE = "erp audit checkpoint\n"


class CheckpointRefused(Exception):
    """A file that is not a checkpoint, or one whose signature does not match."""


@dataclass(frozen=True)
class Checkpoint:
    entry_id: int   # the chain's last entry when it was taken (0: the log was empty)
    hash: str       # that entry's hash
    entries: int    # how many entries the chain held up to it
    taken: str      # when, ISO 8601 in UTC

    @classmethod
    def of(cls, verification) -> Checkpoint:
        """A checkpoint of the head of an intact chain (a log.Verification)."""
        return cls(verification.head_id, verification.head_hash, verification.checked,
                   datetime.now(timezone.utc).replace(microsecond=0).isoformat())

    def _signature(self, key: str) -> str:
        mac = keyed(key).copy()
        mac.update((_PURPOSE + json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))).encode())
        return mac.hexdigest()

    def signed(self, key: str) -> str:
        """The checkpoint file's text."""
        return json.dumps({"audit_checkpoint": asdict(self), "signature": self._signature(key)}, indent=2) + "\n"

    @classmethod
    def read(cls, text: str, key: str) -> Checkpoint:
        """The checkpoint in a file's text, if its signature matches under `key`."""
        try:
            document = json.loads(text)
            fields = document["audit_checkpoint"]
            checkpoint = cls(entry_id=fields["entry_id"], hash=fields["hash"], entries=fields["entries"],
                             taken=fields["taken"])
            signature = document["signature"]
            valid = (isinstance(checkpoint.entry_id, int) and isinstance(checkpoint.entries, int)
                     and isinstance(checkpoint.hash, str) and isinstance(checkpoint.taken, str)
                     and isinstance(signature, str) and signature.isascii())
        except (ValueError, TypeError, KeyError):
            valid = False
        if not valid:
            raise CheckpointRefused("it is not a checkpoint written by `erp audit checkpoint`")
        if not hmac.compare_digest(signature, checkpoint._signature(key)):
            raise CheckpointRefused("its signature does not match: the file was altered, or ERP_AUDIT_KEY "
                                    "is not the key it was signed with")
        return checkpoint
