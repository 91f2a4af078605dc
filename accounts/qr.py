import segno


def qr_svg(data: str) -> str:
    """An inline SVG QR code, large modules so cheap phone cameras read it from paper."""
    return segno.make(data, error="m").svg_inline(
        scale=6, border=2, dark="#000", light="#fff", omitsize=True
    )
