"""Server-side template injection: Jinja/Twig, Freemarker, Velocity, ERB/JSP/Mako, Thymeleaf/Spring EL, Smarty, Handlebars."""
from __future__ import annotations

TYPE = "ssti"
RULES: list[tuple[str, float, str]] = [
    # Jinja/Twig/Nunjucks: arithmetic probes, the globals SSTI chains start from used as objects (Blade's
    # `{{ config('app.name') }}` is a call), dunder walks, `|attr` and list-`|join` string building,
    # filters given a PHP callable (`|map('system')`) and Twig's dangerous functions; `|safe`/`|join(', ')` are not
    ("ssti:jinja_expression", 0.9, r"\{\{[=&~!\-]?\s*(?:\d+\s*[*+\-/]\s*['\"]?\d+|['\"]\s*['\"]?\s*\.\s*__|(?:config|self|request|lipsum|cycler|joiner|namespace|url_for|get_flashed_messages|range|_self|app|settings|handler)(?:\s*(?:\}\}|[\[|]|\(\s*\)\s*\.)|\.)|\[\]\s*\.|\(\)\s*\.|(?:dump|source|constant|attribute|template_from_string)\s*\(|[^}]*__\w+__|[^}]*\|\s*attr\b|[^}]*\]\s*\|\s*join\b|[^}]*\|\s*(?:map|filter|select|reject|sort|reduce|apply|call)\s*\(\s*['\"]\s*(?:system|exec|passthru|shell_exec|popen|proc_open|eval|assert|call_user_func\w*|file_get_contents|readfile|file_put_contents|unserialize|phpinfo)\b|[^}]*\.\s*(?:popen|system|exec|read|getruntime|forname|getclass|getdeclaredmethods?|getmethods?|newinstance)\s*\()"),
    # statements that import, debug, print, test a constant (`{% if True %}`), include an absolute path or
    # walk objects; the `{% if %}` / `{% for %}` / `{% block %}` of CMS templates are not
    ("ssti:jinja_statement", 0.9, r"\{%-?\s*(?:import\s+[a-z_]|get_admin_log\b|ssi\s+['\"]?/|if\s+(?:not\s+)?(?:true|false|none|\d+(?:\s*[=!<>]=?\s*\d+)?)\s*-?%\}|from\s+[a-z_][\w.]*\s+import\b|debug\b|print\b|(?:include|extends|import|from)\s+['\"]?\s*(?:/|\.\./|[a-z][\w+.\-]*://|[a-z]:\\)|[^%]*__\w+__|[^%]*\d+\s*\*\s*\d+|[^%]*\.\s*(?:popen|system|exec|getruntime|forname|read)\s*\(|set\s+[^%]*(?:\(\s*\)|\bself\b|\brequest\b|\bconfig\b|\bcycler\b|\blipsum\b|\.\s*__))"),
    # ERB/EJS/JSP scriptlets that run code, and JSP `<%@ page import %>` directives; `<%= @user.name %>` is a Rails view, and so
    # are `<% if user_signed_in? %>` and `<%= form_with … %>`; a test of a constant (`<% if True %>`) is a probe
    ("ssti:erb_jsp", 0.85, r"<%@\s*(?:page|include|taglib)\b|<%[=\-#]?\s*(?:(?:if|unless|while)\s+(?:not\s+)?(?:true|false|none|nil|\d+(?:\s*[=!<>]=?\s*\d+)?)\s*-?%>|\d+\s*[*+\-/]|(?:system|exec|eval|request|response|java|runtime|process|file)\b|out\.|io\.|%>|`|[a-z_]+\s*\()"),
    # Mako: module-level Python blocks and tags that load modules or files
    ("ssti:mako", 0.85, r"<%!\s*(?:import|from)\b|<%\s*(?:namespace|inherit|include)\s[^>]*\b(?:module\s*=|file\s*=\s*['\"]\s*(?:/|\.\.|\w+://))"),
    ("ssti:dollar_expression", 0.85, r"\$\{\s*(?:\d+\s*[*+\-/]\s*\d+|[^}]*(?:\.getclass\s*\(|\.forname\s*\(|\.exec\s*\(|new\s*\(\s*\)|\?new\s*\(|freemarker|t\s*\(\s*java|__\w+__|runtime|processbuilder|\.popen\s*\(|ognl|springframework|@java|request\.|session\.|application\.))"),
    ("ssti:freemarker", 0.95, r"<#(?:assign|if|list|include|import|macro|function|setting|attempt|ftl)\b|freemarker\.template\.utility\.(?:execute|objectconstructor|jythonruntime)|\?new\s*\(\s*\)|\?api\b"),
    ("ssti:velocity", 0.9, r"#set\s*\(\s*\$\w+\s*=|#foreach\s*\(|\$class\.inspect|\$\w+\.getclass\(\)|#evaluate\s*\("),
    ("ssti:thymeleaf", 0.9, r"[*#@~]\{\s*(?:\d+\s*[*+\-/]\s*\d+|t\s*\(|__|[^}]*\.getclass\(|[^}]*new\s+java)|__\$\{[^}]*\}__(?:::|\.)"),
    # Smarty tags that run PHP, read files or call static methods (`{self::getStreamVariable(…)}`)
    ("ssti:smarty", 0.85, r"\{(?:php|literal|\$smarty\.|system\s*\(|include\s+file\s*=\s*['\"]?\s*(?:/|\.\.|[a-z][\w+.\-]*:|\$)|fetch\s+file\s*=|math\s+equation|self::|[a-z_]\w*::\w+\s*\()"),
    # Handlebars prototype walks: `{{#with "s" as |string|}}`, `constructor`, `lookup … "constructor"`, `this.pop`;
    # `{{#each items}}{{this.title}}` is a template
    ("ssti:handlebars", 0.85, r"\{\{#with\s+['\"]|\{\{[#>]?[^}]*\bconstructor\b|\{\{\s*lookup\s+[^}]*['\"]?(?:constructor|__proto__|prototype)|\{\{\s*this\.(?:pop|push|shift|unshift)\b|\{\{#with\s+\([^}]*\)\s*as\s*\|"),
    # Razor (ASP.NET): a code block or expression reaching .NET's process, file or reflection APIs
    # (`@{ var p = new System.Diagnostics.Process(); … }`, `@System.IO.File.ReadAllText(…)`); `@{ ViewBag.Title = "x"; }`
    # and `@Html.Raw(Model.Body)` are views
    ("ssti:razor", 0.85, r"(?:^|[\s>\"'(;])@(?:\{[^}]{0,200}?|\(\s*)?(?:new\s+)?(?:global::\s*)?system\s*\.\s*(?:diagnostics\s*\.\s*process|io\s*\.\s*(?:file|directory|streamwriter)\b|reflection\s*\.|net\s*\.\s*webclient|runtime\s*\.\s*interopservices|activator\b|appdomain\b)|(?:^|[\s>\"'(;])@\{[^}]{0,200}?\bprocess(?:startinfo)?\s*(?:\.\s*start\s*\(|\(\s*\))"),
    # Go text/template: the whole data object dumped as the value (`{{ . }}`, `{{printf "%#v" .}}`) or a function field
    # called (`{{ call .Func "id" }}`); `{{ range .Items }}{{ . }}{{ end }}` and `{{ .Title }}` are Hugo templates
    ("ssti:go_template", 0.8, r"^\s*\{\{-?\s*(?:\.|printf\s+['\"`]%[#+]?v['\"`]\s+\.)\s*-?\}\}\s*$|\{\{-?\s*call\s+\.[a-z_]\w*"),
    # Go templates with Sprig / Hugo / gomplate functions reading the server's environment (`{{ env "AWS_SECRET_ACCESS_KEY" }}`,
    # `{{ getenv "DB_PASSWORD" }}`) by a secret's name: the rendered text hands the credential out. `{{ getenv "HUGO_ENV" }}`
    # in a theme names no secret
    ("ssti:go_env", 0.85, r"\{\{-?\s*(?:env|expandenv|getenv|os\.getenv|env\.getenv)\s+['\"`][^'\"`}]{0,80}(?:secret|key|token|passw|pwd|credential|database_url|_dsn|aws_|private|auth)"),
    # arithmetic between any engine's delimiters (`{{=7*7}}` doT, `{{7*'7'}}`, `[=7*7]` FreeMarker square syntax)
    ("ssti:generic_arith", 0.7, r"(?:\{\{[=&~!\-]?|\$\{|#\{|\{%|<%[=\-]?|\[\[|\$\{\{|@\(|\[=)\s*\(?\s*\d+\s*[*+]\s*['\"]?\d+['\"]?\s*\)?\s*(?:\}\}|\}|%\}|%>|\]\]|\)|\])"),
    # template-engine fuzz polyglots (`${{<%[%'"}}%\`): openers of different engines side by side
    ("ssti:polyglot", 0.8, r"(?:\$\{|#\{|\{\{|<%|\[%)[^\w\s]{0,3}(?:<%|\[%|\{\{|\$\{|#\{)[^\w\s]{0,4}(?:\}\}|%>|%\]|\})"),
    # a `{% x %}…{% endx %}` block is ordinary Liquid/Jinja; reported, not an attack on its own
    ("ssti:percent_brace", 0.45, r"\{%\s*\w+[^%]*%\}[^{]*\{%\s*end\w*\s*%\}|<%\s*\w+[^%]*%>[^<]*<%\s*end\w*\s*%>"),
]
