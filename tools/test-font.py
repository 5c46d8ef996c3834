#!/usr/bin/env python3
"""Makes tests/data/fonts/RareTest.ttf: a tiny TrueType font of our own with one glyph, a
filled square for U+30729 (𰜩, CJK Ext. G), which none of the project's fonts has (HanaMinB, the bundled fallback, ends at Ext. F). The tests
use it as a `[fonts] fallback`. Needs fontTools (pip install fonttools).

    python3 tools/test-font.py tests/data/fonts/RareTest.ttf
"""
import sys
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen


def square(size, inset):
    pen = TTGlyphPen(None)
    pen.moveTo((inset, -120 + inset))
    pen.lineTo((inset, 880 - inset))
    pen.lineTo((size - inset, 880 - inset))
    pen.lineTo((size - inset, -120 + inset))
    pen.closePath()
    return pen.glyph()


def main(out):
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "u30729"])
    fb.setupCharacterMap({0x30729: "u30729"})
    fb.setupGlyf({".notdef": square(1000, 100), "u30729": square(1000, 80)})
    fb.setupHorizontalMetrics({".notdef": (1000, 100), "u30729": (1000, 80)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "PaibanRareTest", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
