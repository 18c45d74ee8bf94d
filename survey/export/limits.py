"""Label lengths the file formats allow: longer labels are cut (with a warning), never refused,
so one long Arabic question text cannot stop an export."""

from __future__ import annotations


def cut(text: str, limit: int, what: str, warnings: list[str], in_bytes: bool = True) -> str:
    """`text` within `limit` UTF-8 bytes (or characters), cut at a character boundary."""
    size = len(text.encode()) if in_bytes else len(text)
    if size <= limit:
        return text
    shortened = text.encode()[:limit].decode(errors="ignore") if in_bytes else text[:limit]
    unit = "bytes" if in_bytes else "characters"
    warnings.append(f"{what} is longer than the format allows ({size} {unit}, at most {limit}); "
                    f"cut to '{shortened}'")
    return shortened
