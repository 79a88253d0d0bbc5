#!/usr/bin/python3
"""default-avatar.py: draw htdocs/static/avatar-default-N.png, the picture
/user/get_user_info names for a user without an avatar, in QQ's sizes
(30, 40, 50, 100 px).  Python's standard library only; run it again only
to change the picture: tools/default-avatar.py htdocs/static"""

import struct
import sys
import zlib
from pathlib import Path

BG = (0xd9, 0xdd, 0xe3)         # light grey square
FG = (0x9a, 0xa3, 0xad)         # darker grey head and shoulders
SIZES = (30, 40, 50, 100)
SS = 4                          # samples per pixel side (anti-aliasing)


def inside(x, y):
    """Is the point (x, y), in 0..1 of the square, on the figure?"""
    head = (x - 0.5) ** 2 + (y - 0.38) ** 2 <= 0.19 ** 2
    body = ((x - 0.5) / 0.36) ** 2 + ((y - 1.0) / 0.34) ** 2 <= 1.0
    return head or body


def pixels(n):
    rows = []
    for py in range(n):
        row = bytearray([0])    # PNG filter type 0 (None) for the row
        for px in range(n):
            hits = sum(inside((px + (i + 0.5) / SS) / n,
                              (py + (j + 0.5) / SS) / n)
                       for i in range(SS) for j in range(SS))
            f = hits / (SS * SS)
            row += bytes(round(b + (g - b) * f) for b, g in zip(BG, FG))
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return (struct.pack(">I", len(data)) + body +
            struct.pack(">I", zlib.crc32(body) & 0xffffffff))


def png(n):
    ihdr = struct.pack(">IIBBBBB", n, n, 8, 2, 0, 0, 0)   # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", zlib.compress(pixels(n), 9)) + chunk(b"IEND", b""))


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "htdocs/static")
    for n in SIZES:
        (out / ("avatar-default-%d.png" % n)).write_bytes(png(n))


if __name__ == "__main__":
    main()
