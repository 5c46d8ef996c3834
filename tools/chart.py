#!/usr/bin/env python3
"""Draws the example bar chart (input/ads/graphics/chart.svg) as SVG paths only: bars, an
axis, and its figures and labels as outlines of Noto Sans SC Bold (fonts/, OFL), since paiban
refuses SVG text (a chart must not depend on the fonts of the machine that prints it).
The figures are invented for the example. Needs fontTools (pip install fonttools).

    python3 tools/chart.py input/ads/graphics/chart.svg
"""
import sys
from fontTools.ttLib import TTFont
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen

FONT = "fonts/NotoSansSC-Bold.ttf"
DATA = [("1月", 412), ("2月", 365), ("3月", 530), ("4月", 588), ("5月", 641), ("6月", 702)]


def text_path(font, text, x, y, size, anchor="middle"):
    """SVG path data of `text` at baseline y, `size` px, centred on x (or starting at x)."""
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    width = sum(glyphs[cmap[ord(c)]].width for c in text) * scale
    pen_x = x - width / 2 if anchor == "middle" else x
    out = []
    for c in text:
        g = glyphs[cmap[ord(c)]]
        pen = SVGPathPen(glyphs)
        g.draw(TransformPen(pen, (scale, 0, 0, -scale, pen_x, y)))
        out.append(pen.getCommands())
        pen_x += g.width * scale
    return " ".join(out)


def main(out):
    font = TTFont(FONT)
    w, h, left, base, top = 480, 300, 40, 260, 40
    bar_w, gap = 44, (w - left - 20 - 6 * 44) / 6
    peak = max(v for _, v in DATA)
    parts = [f'<rect x="{left}" y="{base}" width="{w - left - 10}" height="2" fill="#000000"/>']
    labels, figures = [], []
    for i, (label, v) in enumerate(DATA):
        x = left + gap / 2 + i * (bar_w + gap)
        bh = (base - top - 30) * v / peak
        parts.append(f'<rect x="{x:.1f}" y="{base - bh:.1f}" width="{bar_w}" height="{bh:.1f}" fill="#E60012"/>')
        figures.append(text_path(font, str(v), x + bar_w / 2, base - bh - 8, 18))
        labels.append(text_path(font, label, x + bar_w / 2, base + 26, 18))
    parts.append(f'<path fill="#000000" d="{" ".join(figures + labels)}"/>')
    with open(out, "w") as f:
        f.write(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">\n'
            + "\n".join(parts)
            + "\n</svg>\n"
        )


if __name__ == "__main__":
    main(sys.argv[1])
