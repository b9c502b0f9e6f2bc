"""Evidence and visit photos: decoded with Pillow and written again as a plain JPEG, so no
EXIF block (GPS position, camera serial, time) leaves the phone's file; the orientation is
applied to the pixels first. Stored through Django's storage API (``STORAGES["default"]``:
local files by default, S3-compatible storage at scale)."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2000


def clean_photo(upload: UploadedFile, *, field: str = "photo") -> ContentFile[bytes]:
    """A JPEG copy of ``upload`` without metadata, at most 2000 px on its longer side.
    ``ValidationError`` (Indonesian, on ``field``) for a file that is no image or too big."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            {field: _("Foto terlalu besar (maksimal 8 MB); kirim foto yang lebih kecil.")}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            pixels = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(
            {field: _("Berkas bukan foto yang dapat dibaca; kirim foto JPEG atau PNG.")}
        ) from exc
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
