"""Number formatting shared by the renderers (None prints as an en dash)."""
DASH = "–"


def seconds(s):
    if s is None:
        return DASH
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 60:
        return f"{s:.1f} s"
    m, s = divmod(round(s), 60)
    return f"{m} min {s:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


def count(n):
    if n is None:
        return DASH
    return f"{n:,.0f}" if float(n).is_integer() or abs(n) >= 100 else f"{n:,.1f}"


def ns(v):
    if v is None:
        return DASH
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def ratio(v):
    return DASH if v is None else f"{v:.1f}x"
