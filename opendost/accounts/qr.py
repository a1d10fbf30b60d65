"""QR codes for authenticator set-up, rendered on the server as an SVG data URI (no script, CSP-safe)."""

import base64
import io

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg_data_uri(text: str) -> str:
    """`data:image/svg+xml;base64,...` for an `<img src>`; CSP allows `img-src data:`."""
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def secret_for_display(bin_key: bytes) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    secret = base64.b32encode(bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
