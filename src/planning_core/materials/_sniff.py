"""What a file is, read from its bytes (magic numbers), never from its name.

A name is what the applicant typed; the bytes are what the bureau files. Checking the first
bytes (``%PDF-``, the PNG signature, JPEG's SOI marker, DWG's ``AC10xx`` version string) and,
for GeoJSON, parsing it, is enough for the five kinds the window takes, so no heavy
dependency (libmagic) is needed.
"""

from __future__ import annotations

import json

__all__ = ["MEDIA_TYPES", "sniff_media_type"]

#: The media types a material file may have, with what they are for.
MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "PDF (scans, signed forms, reports)",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image (photographs of the site)",
    "image/vnd.dwg": "AutoCAD DWG drawing (总平面图)",
    "application/geo+json": "GeoJSON (the site's boundary, 红线)",
}

_GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def sniff_media_type(content: bytes) -> str | None:
    """The media type ``content`` is, by its bytes; None when it is none of :data:`MEDIA_TYPES`."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(content) >= 6 and content[:4] == b"AC10" and content[4:6].isdigit():
        return "image/vnd.dwg"
    if content.lstrip()[:1] == b"{":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if isinstance(data, dict) and data.get("type") in _GEOJSON_TYPES:
            return "application/geo+json"
    return None
