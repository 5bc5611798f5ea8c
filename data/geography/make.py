#!/usr/bin/env python3
"""Make the theatre maps' coastlines and borders from Natural Earth, once.

Input: Natural Earth 1:110m admin-0 countries as a shapefile. The one used is the copy the
geopandas 0.14.4 wheel ships as `geopandas/datasets/naturalearth_lowres` (PyPI; geopandas 1.0
removed it). Only the shapefile is needed, not geopandas itself:

    python3 -m venv /tmp/ne && /tmp/ne/bin/pip install pyshp
    /tmp/ne/bin/pip download 'geopandas==0.14.4' --no-deps -d /tmp/ne-dl
    unzip -o /tmp/ne-dl/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*' -d /tmp/gp
    /tmp/ne/bin/python data/geography/make.py /tmp/gp/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Output: one text file per theatre in this folder (`THEATRE.geo`), read by
crates/airwar-report with include_str!. Each country outline is cut into runs of edges: an edge
that belongs to one country only is coast, an edge two countries share is a land border (kept
once). Runs are clipped to the theatre's box, simplified (Douglas-Peucker) and rounded to
0.01 degree. Format, one item a line:

    # comment
    box LON_MIN LAT_MIN LON_MAX LAT_MAX
    coast LON,LAT LON,LAT ...
    border LON,LAT LON,LAT ...

The box of each theatre must hold every base, battle, operation and front point of the
theatre's data file; the script checks that (Python 3.11's tomllib reads the data files).
"""

import sys
import tomllib
from pathlib import Path

import shapefile  # pyshp

HERE = Path(__file__).resolve().parent
DATA = HERE.parent

# Theatre boxes (lon_min, lat_min, lon_max, lat_max) and the simplification tolerance (degrees).
THEATRES = {
    "china-1937": ((70.0, 15.0, 135.0, 50.0), 0.08),
    # Korea's box reaches Okinawa (Kadena) and Tokyo (Yokota), where the data has bases.
    "korea-1950": ((115.0, 24.0, 142.0, 45.0), 0.03),
}


def key(p):
    return (round(p[0], 6), round(p[1], 6))


def rings(shape):
    parts = list(shape.parts) + [len(shape.points)]
    for a, b in zip(parts, parts[1:]):
        yield [tuple(p) for p in shape.points[a:b]]


def edge(a, b):
    ka, kb = key(a), key(b)
    return (ka, kb) if ka <= kb else (kb, ka)


def runs(all_rings):
    """Coast and border polylines: maximal runs of one kind along each ring, borders once."""
    count = {}
    for ring in all_rings:
        for a, b in zip(ring, ring[1:]):
            e = edge(a, b)
            count[e] = count.get(e, 0) + 1
    emitted = set()
    out = []
    for ring in all_rings:
        current, kind = [], None
        for a, b in zip(ring, ring[1:]):
            e = edge(a, b)
            k = "coast" if count[e] == 1 else "border"
            if k == "border" and e in emitted:
                k = None  # the neighbour's copy: already drawn
            emitted.add(e)
            if k != kind or not current:
                if kind and len(current) > 1:
                    out.append((kind, current))
                current, kind = ([a] if k else []), k
            if k:
                current.append(b)
        if kind and len(current) > 1:
            out.append((kind, current))
    return out


def clip_segment(p, q, box):
    """Liang-Barsky: the part of segment p-q inside the box, or None."""
    x0, y0, x1, y1 = box
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return None
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    if t0 > t1:
        return None
    return ((p[0] + t0 * dx, p[1] + t0 * dy), (p[0] + t1 * dx, p[1] + t1 * dy))


def clip(line, box):
    pieces, current = [], []
    for p, q in zip(line, line[1:]):
        c = clip_segment(p, q, box)
        if c is None:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        a, b = c
        if current and current[-1] == a:
            current.append(b)
        else:
            if len(current) > 1:
                pieces.append(current)
            current = [a, b]
        if b != q:  # left the box
            pieces.append(current)
            current = []
    if len(current) > 1:
        pieces.append(current)
    return pieces


def simplify(points, tol):
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    dx, dy = bx - ax, by - ay
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        if norm == 0:
            d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
        else:
            d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    left = simplify(points[: index + 1], tol)
    return left[:-1] + simplify(points[index:], tol)


def rounded(points):
    out = []
    for x, y in points:
        p = (round(x, 2), round(y, 2))
        if not out or out[-1] != p:
            out.append(p)
    return out


def places(theatre):
    """Every (name, lon, lat) the theatre's data file and its battles place on the map."""
    def v(x):
        return x["value"] if isinstance(x, dict) else x

    d = tomllib.loads((DATA / "scenarios" / f"{theatre}.toml").read_text())
    for b in d.get("bases", []):
        yield b["id"], v(b["longitude"]), v(b["latitude"])
    for o in d.get("operations", []):
        yield o["id"], v(o["longitude"]), v(o["latitude"])
    for f in d.get("front", []):
        yield f["place"], v(f["longitude"]), v(f["latitude"])
    for bid in d.get("battles", []):
        e = tomllib.loads((DATA / "battles" / f"{bid}.toml").read_text())
        yield bid, v(e["context"]["longitude"]), v(e["context"]["latitude"])


def main(shp):
    reader = shapefile.Reader(shp)
    all_rings = [r for shape in reader.shapes() for r in rings(shape)]
    lines = runs(all_rings)
    for theatre, (box, tol) in THEATRES.items():
        for name, lon, lat in places(theatre):
            if not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
                sys.exit(f"{theatre}: {name} ({lon}, {lat}) lies outside the box {box}")
        out = [
            f"# {theatre}: coastlines and land borders, Natural Earth 1:110m admin-0 countries",
            "# (public domain; naturalearth_lowres of the geopandas 0.14.4 wheel), clipped to the",
            f"# box, simplified to {tol} degree and rounded to 0.01 degree by data/geography/make.py.",
            "box " + " ".join(f"{v:g}" for v in box),
        ]
        for kind, line in lines:
            for piece in clip(line, box):
                piece = rounded(simplify(piece, tol))
                if len(piece) > 1:
                    out.append(kind + " " + " ".join(f"{x:.2f},{y:.2f}" for x, y in piece))
        (HERE / f"{theatre}.geo").write_text("\n".join(out) + "\n")
        print(f"{theatre}: {len(out) - 4} lines")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
