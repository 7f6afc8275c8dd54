"""The W3C Bitstring Status List: one bit per credential, gzip-compressed and base64url
encoded with a "u" prefix (multibase). Index 0 is the most significant bit of byte 0."""

import base64
import gzip
import zlib
from collections.abc import Iterable

from badges.errors import InvalidBadge
from badges.ob3 import STATUS_LIST_SIZE

_MAX_INFLATED = 16 * 1024 * 1024  # a list far larger than any we publish is refused


def encode(revoked: Iterable[int], *, size: int = STATUS_LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list of {size}")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text (a list served twice is identical).
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def is_set(encoded: str, index: int) -> bool:
    """Raises:
    InvalidBadge: the list is not valid multibase/gzip, or too short for the index."""
    if not encoded.startswith("u"):
        raise InvalidBadge("the status list is not base64url multibase (no 'u' prefix)")
    try:
        packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        inflater = zlib.decompressobj(wbits=31)  # gzip framing
        bits = inflater.decompress(packed, _MAX_INFLATED)
    except (ValueError, zlib.error) as exc:
        raise InvalidBadge(f"the status list cannot be decoded: {exc}") from exc
    if index < 0 or index // 8 >= len(bits):
        raise InvalidBadge(f"the status list has no entry {index}")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
