#!/usr/bin/env python3
"""Writes a caption and a photographer into a JPEG's own metadata, as a photo agency does:
an IPTC IIM record (1:90 UTF-8, 2:120 caption, 2:80 by-line) in a Photoshop APP13 segment and
the same in an XMP packet (dc:description, dc:creator) in APP1. The pixels are not touched:
the segments are inserted after the JPEG's first segments (SOI, JFIF/EXIF), any earlier APP13
and XMP are dropped.

    python3 tools/caption-photo.py IN.jpg OUT.jpg --caption "▲……" --byline "新华社记者 张三"

Standard library only. Used to make input/copy/photos/agency.jpg (issue 19's example).
"""
import argparse
import struct
from xml.sax.saxutils import escape

XMP_NS = b"http://ns.adobe.com/xap/1.0/\x00"


def dataset(record, number, value):
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def app13(caption, byline):
    iim = dataset(1, 90, b"\x1b%G")
    iim += dataset(2, 120, caption.encode("utf-8"))
    iim += dataset(2, 80, byline.encode("utf-8"))
    if len(iim) % 2:
        iim += b"\x00"
    # A Photoshop image resource block: 8BIM, resource 0x0404 (IPTC), empty name, size, data.
    block = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    return segment(0xED, b"Photoshop 3.0\x00" + block)


def app1_xmp(caption, byline):
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt>'
        "</dc:description><dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>' % (escape(caption), escape(byline))
    )
    return segment(0xE1, XMP_NS + packet.encode("utf-8"))


def segment(marker, payload):
    if len(payload) + 2 > 0xFFFF:
        raise SystemExit("metadata too long for one JPEG segment")
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--caption", required=True)
    ap.add_argument("--byline", required=True)
    a = ap.parse_args()
    data = open(a.src, "rb").read()
    if data[:2] != b"\xff\xd8":
        raise SystemExit(f"{a.src} is not a JPEG")
    i, kept = 2, []
    # Keep the leading APPn segments but for APP13 and XMP; stop at the first other marker.
    while data[i] == 0xFF and 0xE0 <= data[i + 1] <= 0xEF:
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        seg = data[i : i + 2 + length]
        xmp = data[i + 1] == 0xE1 and seg[4:].startswith(XMP_NS)
        if data[i + 1] != 0xED and not xmp:
            kept.append(seg)
        i += 2 + length
    out = b"\xff\xd8" + b"".join(kept) + app1_xmp(a.caption, a.byline)
    out += app13(a.caption, a.byline) + data[i:]
    open(a.dst, "wb").write(out)


if __name__ == "__main__":
    main()
