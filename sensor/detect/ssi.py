"""Server-side includes: `<!--#exec ...-->` and ESI tags."""
from __future__ import annotations

TYPE = "ssi"
RULES: list[tuple[str, float, str]] = [
    ("ssi:directive", 0.95, r"<!--\s*#\s*(?:exec|include|echo|config|printenv|fsize|flastmod|set|if|elif|else|endif)\b"),
    ("ssi:esi", 0.9, r"<esi:(?:include|vars|assign|choose|inline|eval|debug|remove|try)\b"),
]
