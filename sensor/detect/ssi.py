"""Server-side includes: `<!--#exec ...-->` and ESI tags."""
from __future__ import annotations

TYPE = "ssi"
RULES: list[tuple[str, float, str]] = [
    # Apache/nginx run `<!--#element` only with no blank after `<!--`; a spaced one counts when it carries an
    # `attr=` (servers that trim it, and probes); `<!-- #set up the header -->` is a plain HTML comment
    ("ssi:directive", 0.95, r"<!--#\s*(?:exec|include|echo|config|printenv|fsize|flastmod|set|if|elif|else|endif)\b|<!--\s+#\s*(?:exec|include|echo|config|fsize|flastmod|set|if|elif)\s+\w+\s*=|<!--\s*#\s*(?:printenv|else|endif)\s*-->"),
    # ESI tags and the `<!--esi …-->` comment form
    ("ssi:esi", 0.9, r"<esi:(?:include|vars|assign|choose|inline|eval|debug|remove|try)\b|<!--esi\s"),
]
