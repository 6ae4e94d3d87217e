"""The fonts of map images: one face for Latin and Korean, and what to say when it is missing."""

from __future__ import annotations

from matplotlib import font_manager

__all__ = ["FONTS", "font_note"]

FONTS = ["Noto Sans CJK KR", "DejaVu Sans"]  # Latin and Korean in one face; DejaVu as fallback


def font_note() -> str | None:
    """Return what the image says when the CJK font is missing, or None when it is there."""
    names = {font.name for font in font_manager.fontManager.ttflist}
    if FONTS[0] in names:
        return None
    return f"Font fallback: {FONTS[0]} not installed, Korean text may not render (fonts-noto-cjk)"
