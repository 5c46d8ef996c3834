#!/usr/bin/env python3
"""Draws the example edition's nameplate (报头) as SVG paths from a font's glyph outlines.

The example front page (input/front) needs a paper's nameplate as vector art with no text
element (a nameplate must not depend on fonts). A real paper's nameplate is its own artwork;
this one is the paper's name in LXGW WenKai (OFL, fonts/LXGWWenKai-Regular.ttf), so the
example stays free to redistribute. Needs fontTools (pip install fonttools).

    python3 tools/nameplate.py 平顶山日报 input/front/layouts/masthead/nameplate.svg
"""
import sys
from fontTools.ttLib import TTFont
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen

FONT = "fonts/LXGWWenKai-Regular.ttf"


def main(text, out, colour="#E60012"):
    font = TTFont(FONT)
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()
    upm = font["head"].unitsPerEm
    ascent, descent = 880, -120
    x = 0.0
    paths = []
    for ch in text:
        name = cmap[ord(ch)]
        pen = SVGPathPen(glyphs)
        # Font units are y-up; SVG is y-down from the top of the em box.
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, ascent)))
        paths.append(pen.getCommands())
        x += glyphs[name].width
    width, height = x, ascent - descent
    body = "\n".join(f'  <path d="{d}"/>' for d in paths if d)
    with open(out, "w") as f:
        f.write(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width / upm * 72:.1f}pt" height="{height / upm * 72:.1f}pt">\n'
            f'<g fill="{colour}">\n{body}\n</g>\n</svg>\n'
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
