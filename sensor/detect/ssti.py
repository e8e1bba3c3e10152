"""Server-side template injection: Jinja/Twig, Freemarker, Velocity, ERB/JSP, Thymeleaf/Spring EL, Smarty, Handlebars."""
from __future__ import annotations

TYPE = "ssti"
RULES: list[tuple[str, float, str]] = [
    ("ssti:jinja_expression", 0.9, r"\{\{\s*(?:\d+\s*[*+\-/]\s*\d+|['\"]\s*['\"]?\s*\.\s*__|config\b|self\b|request\b|lipsum\b|cycler\b|joiner\b|namespace\b|url_for\b|get_flashed_messages\b|range\b|_self\b|app\b|settings\b|\[\]\s*\.|\(\)\s*\.|[^}]*__\w+__|[^}]*\|\s*(?:attr|join|safe|map|select)\b|[^}]*\.\s*(?:popen|system|exec|read|getruntime|forname)\s*\()"),
    ("ssti:jinja_statement", 0.9, r"\{%\s*(?:if|for|set|import|include|extends|macro|block|raw|debug|with|print|from|endif|endfor|call|filter|autoescape)\b[^%]*%\}"),
    ("ssti:erb_jsp", 0.85, r"<%[=\-#]?\s*(?:if|for|end|\d+\s*[*+\-/]|system|exec|eval|request|response|out\.|java|runtime|process|file|io\.|%>|`|@|[a-z_]+\s*\()"),
    ("ssti:dollar_expression", 0.85, r"\$\{\s*(?:\d+\s*[*+\-/]\s*\d+|[^}]*(?:\.getclass\s*\(|\.forname\s*\(|\.exec\s*\(|new\s*\(\s*\)|\?new\s*\(|freemarker|t\s*\(\s*java|__\w+__|runtime|processbuilder|\.popen\s*\(|ognl|springframework|@java|request\.|session\.|application\.))"),
    ("ssti:freemarker", 0.95, r"<#(?:assign|if|list|include|import|macro|function|setting|attempt|ftl)\b|freemarker\.template\.utility\.(?:execute|objectconstructor|jythonruntime)|\?new\s*\(\s*\)|\?api\b"),
    ("ssti:velocity", 0.9, r"#set\s*\(\s*\$\w+\s*=|#foreach\s*\(|\$class\.inspect|\$\w+\.getclass\(\)|#evaluate\s*\("),
    ("ssti:thymeleaf", 0.9, r"[*#@~]\{\s*(?:\d+\s*[*+\-/]\s*\d+|t\s*\(|__|[^}]*\.getclass\(|[^}]*new\s+java)|__\$\{[^}]*\}__(?:::|\.)"),
    ("ssti:smarty", 0.85, r"\{(?:php|literal|\$smarty\.|system\s*\(|include\s+file\s*=|fetch\s+file\s*=|math\s+equation)"),
    ("ssti:handlebars", 0.85, r"\{\{#(?:with|each|if)\s+[^}]*\}\}[^{]*\{\{(?:#|this|lookup)|\{\{\s*lookup\s+|\{\{#with\s+\"s\"\s+as\s+\|"),
    ("ssti:generic_arith", 0.7, r"(?:\{\{|\$\{|#\{|\{%|<%=|\[\[|\$\{\{|@\()\s*\d+\s*[*+]\s*\d+\s*(?:\}\}|\}|%\}|%>|\]\]|\))"),
    ("ssti:percent_brace", 0.8, r"\{%\s*\w+[^%]*%\}[^{]*\{%\s*end\w*\s*%\}|<%\s*\w+[^%]*%>[^<]*<%\s*end\w*\s*%>"),
]
