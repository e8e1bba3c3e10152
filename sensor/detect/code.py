"""Code injection (hit type `rce`): PHP, Java (incl. Log4Shell, deserialization), Node.js, Python, Perl, Ruby."""
from __future__ import annotations

import base64
import re

from sensor.detect.php_words import (C_LIKE, FUNCTIONS, FUNCTIONS_V4, HIGH_RISK, INI_DOTTED, INI_GENERIC, INI_NAMES,
                                      PLAIN, expand)

TYPE = "rce"

# what a PHP call's first argument looks like: a string, variable, backtick, `@`, number, nothing, a call, or one of
# PHP's magic constants (upper case: Python's `__file__` is lower case and case-sensitive)
_PHP_ARG = r")\s*\(\s*(?:['\"$`@\d]|[a-z_\\][\w\\]*\s*\(|(?-i:__(?:FILE|DIR|LINE|CLASS|FUNCTION|METHOD|NAMESPACE|TRAIT)__))"


def _other_word(word: str) -> str:
    """A whole word that is not `word` (hyperscan has no lookbehind to say "not after `word`")."""
    n = len(word)
    alts = [r"\w{1,%d}" % (n - 1), r"\w{%d,}" % (n + 1)]
    alts += [re.escape(word[:k]) + r"[^\W" + word[k] + "]" + (r"\w{%d}" % (n - k - 1) if n - k - 1 else "")
             for k in range(n)]
    return "(?:" + "|".join(alts) + ")"


# An empty call (`phpinfo()`) counts when code punctuation or the end follows it and it is not declared or named after
# `function`: PHP's own messages and traces name functions that way (`Call to undefined function mysql_connect()`,
# `#0 /var/www/index.php(2): require_once()` then the next frame)
_EMPTY_CALL = r")\s*\(\s*\)\s*(?:$|[^\w\s#])"
_NOT_DECLARED = r"(?:^\s*|[^\w\s.$>:]\s*|(?:^|\W)" + _other_word("function") + r"\s+)"

# a call of the os / subprocess functions that run programs (its name and the opening parenthesis)
_PY_CALL = (r"(?:os|subprocess|commands|pty|posix)\s*\.\s*(?:system|popen|popen2|popen3|spawn\w*|exec\w*|call|check_output|"
            r"check_call|run|getoutput|getstatusoutput|startfile)\s*\(")

# what an injected call hands the program: a string, a list or tuple of string literals, or a call that builds one;
# a bare variable (`run(cmd, shell=True)`) or a list holding one (`["convert", src, dst]`) is code someone wrote
_PY_ARG = (r"\s*(?:[rbfu]{0,2}['\"]|\[\s*(?:[rbfu]{0,2}(?:'[^'\n]*'|\"[^\"\n]*\")\s*,?\s*)*\]|"
           r"\(\s*(?:[rbfu]{0,2}(?:'[^'\n]*'|\"[^\"\n]*\")\s*,?\s*)+\)|[\w.]+\s*\(|$)")

# PHP-only names php:high_risk_function takes with any argument (after a quoted `name.`, as in `'subprocess.popen('`,
# only with an argument that starts like code)
_PHP_RISKY = ("fopen|readfile|unserialize|var_dump|print_r|scandir|opendir|readdir|tempnam|tmpfile|ob_start|"
              "array_map|array_filter|array_walk|parse_str|uasort|uksort|base64_decode|gzinflate|gzuncompress|"
              "gzdecode|str_rot13|shell_exec|passthru|proc_open|popen|pcntl_exec|create_function|"
              "call_user_func(?:_array)?|assert_options|move_uploaded_file|file_put_contents|fsockopen|pfsockopen|"
              "phpinfo|posix_(?:getpwuid|kill|mkfifo|setuid|setsid|getuid)|preg_replace_callback(?:_array)?|"
              "register_shutdown_function|register_tick_function|ini_set|ini_get_all|highlight_file|show_source|"
              "php_uname|get_current_user|getmyuid|escapeshellcmd|escapeshellarg|curl_exec|curl_multi_exec|"
              "mb_ereg_replace|mb_eregi_replace|file_get_contents|stream_socket_client|stream_get_contents|"
              "get_defined_vars|get_defined_functions|include_once|require_once")
# PHP calls named by php:function_call_quoted, up to the opening parenthesis. Quoted with the object before it and
# closed right after the parenthesis (`"os.system(" path:*.py`) it is a code search's phrase, not a call
_PHP_QUOTED_CALL = (r"(?:system|exec|shell_exec|passthru|popen|proc_open|eval|assert|file_get_contents|readfile|fopen|phpinfo|"
                    r"print_r|var_dump|base64_decode|str_rot13|gzinflate|call_user_func|array_map|preg_replace|"
                    r"create_function|unserialize)\s*\(\s*")


def _b64_stems(word: bytes) -> list[str]:
    """The base64 characters that depend only on `word`, at each of the three byte alignments it can start at."""
    out = []
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + word).decode()
        out.append(enc[-(-8 * k // 6):(8 * (k + len(word))) // 6])
    return out


def _b64_any(words: list[bytes]) -> str:
    """A case-sensitive alternation of the stems of `words`, in standard and URL-safe base64."""
    stems = {"".join("[+\\-]" if c == "+" else "[/_]" if c == "/" else c for c in st)
             for w in words for st in _b64_stems(w) if len(st) >= 8}
    return "(?-i:" + "|".join(sorted(stems)) + ")"


# Ruby Marshal gadget classes (ERB#result through DeprecatedInstanceVariableProxy, RubyGems' universal chains): Rails'
# own Marshal sessions hold hashes, strings and numbers, never these
_MARSHAL_GADGETS = [b"DeprecatedInstanceVariableProxy", b"Gem::Requirement", b"Gem::StubSpecification",
                    b"Gem::Installer", b"Gem::SpecFetcher", b"Gem::Source::SpecificFetcher", b"Gem::RequestSet",
                    b"Gem::Package::TarReader", b"Gem::Resolver::", b"Net::WriteAdapter", b"Net::BufferedIO",
                    b"o:\x08ERB"]
# pickle's GLOBAL opcode (`c` module NL name NL) and protocol-4 STACK_GLOBAL (two short strings) naming a function
# that runs a program or code; a pickled session or cache entry names data classes
_PICKLE_CALLS = {b"os": [b"system", b"popen", b"execv", b"execvp", b"execl", b"spawnl", b"spawnv"],
                 b"posix": [b"system", b"popen", b"execv"], b"nt": [b"system", b"popen", b"spawnl"],
                 b"subprocess": [b"Popen", b"call", b"check_call", b"check_output", b"run", b"getoutput"],
                 b"commands": [b"getoutput"], b"pty": [b"spawn"],
                 b"builtins": [b"eval", b"exec", b"__import__", b"compile", b"getattr"],
                 b"__builtin__": [b"eval", b"execfile", b"__import__", b"compile", b"getattr"]}
_PICKLE_WORDS = ([b"c" + m + b"\n" + f + b"\n" for m, fs in _PICKLE_CALLS.items() for f in fs]
                 + [b"\x8c" + bytes([len(m)]) + m + b"\x94\x8c" + bytes([len(f)]) + f for m, fs in _PICKLE_CALLS.items()
                    for f in fs])
_PICKLE_MODS = "|".join(m.decode() for m in _PICKLE_CALLS)
_PICKLE_FUNCS = "|".join(sorted({f.decode() for fs in _PICKLE_CALLS.values() for f in fs}))


PHP_FUNCTION_KEYS = frozenset(('base64_decode', 'str_rot13', 'shell_exec', 'proc_open', 'pcntl_exec', 'create_function', 'call_user_func', 'call_user_func_array', 'file_put_contents', 'file_get_contents', 'posix_getpwuid', 'php_uname', 'assert_options', 'get_defined_vars', 'get_defined_functions', 'get_defined_constants', 'ini_set', 'ini_get_all', 'show_source', 'highlight_file', 'move_uploaded_file'))

RULES: list[tuple[str, float, str]] = [
    # --- PHP
    # `<?php`, `<?=`, and the `[php]`/`[/php]`/`[\php]` markers some BBCode-style engines turn into PHP
    ("php:open_tag", 0.9, r"<\?(?:php[\s(/]|=|\s+php\b)|\[[/\\]?php\]"),
    # Smarty's `{php}…{/php}` block runs its body as PHP (Smarty < 3.1.19 and SmartyBC)
    ("php:smarty_tag", 0.85, r"\{/?php\}"),
    # `${func()}` / `{${func()}}`: PHP's complex string syntax (and EL/template engines) call what stands inside
    ("php:complex_syntax_call", 0.85, r"\$\{\s*[a-z_][\w\\]*\s*\("),
    # `<?` closing a value, and `<?xml :code` (a broken XML declaration that a short_open_tag PHP runs as code)
    ("php:open_tag_end", 0.6, r"<\?\s*$"),
    ("php:xml_polyglot", 0.85, r"<\?xml\s+:\s*[a-z_]\w*\s*[\s(;]"),
    ("php:open_tag_code", 0.9, r"<\?\s*(?:\$|\w+\s*\(|echo\b|print\b|exec\b|system\b|include\b|require\b|eval\b|@)"),
    # a superglobal alone (`?$_COOKIE=…` overwriting one), or in a value with code punctuation anywhere (`$_GET[c]`,
    # `echo $_SERVER;`, `{$_ENV}`); named among plain words (`php $_SERVER HTTP_HOST empty`, `$_POST vs $_GET`) it is
    # a search about PHP: reported only
    ("php:superglobal", 0.9, r"^\s*\$_(?:get|post|cookie|request|server|files|env|session)\s*$|\$_(?:get|post|cookie|request|server|files|env|session)\b.*[;(){}\[\]=<>'\"`@^|&]|[;(){}\[\]=<>'\"`@^|&].*\$_(?:get|post|cookie|request|server|files|env|session)\b|\$\s*\{\s*['\"]?\s*(?:_(?:get|post|cookie|request|server|files|env|session)|globals)\b|\$(?:http_response_header|php_errormsg)\b|(?-i:\$argv\s*\[)|\$globals\b|\$http_(?:get|post|cookie|server|env|raw_post_data|session|post_files)_vars\b|\$http_raw_post_data\b"),
    ("php:superglobal", 0.45, r"\$_(?:get|post|cookie|request|server|files|env|session)\b"),
    # `$f('id');` calls what a variable names; a PHP variable never starts with a digit (`$5 (five dollars)`)
    # (`$NOW(-7 days)`, `$NOW(+1 month)`: Directus / Grafana date macros, an offset and a unit no PHP call takes)
    ("php:variable_variable", 0.85, r"\$\s*\{\s*['\"][^'\"]*['\"]|\$\s+\{\s*(?:\$\w+|[a-z_]{3,})\s*\}|\$\$\w+\s*\(|\$[a-z_]\w*(?:\(\s*(?:[^)+\-\d\s][^)]*|[+\-]?[\d.]*\s*|[+\-]?\d[^)]*[^)\w\s][^)]*)\)|\s+\(\s*['\"$][^)]*\))\s*(?:;|$)"),
    # a wrapper followed by what a stream path holds (`php://filter/…`, `phar://x/y`) or the bare `php://input`;
    # followed by a blank and a word it is prose (`php://input explained`, `the data://protocol`)
    ("php:stream_wrapper", 0.9, r"\bphp://(?:std(?:in|out|err)|input|output|fd|memory|temp|filter)(?:\s*$|[^\s\w])|\b(?:zlib|bzip2|glob|phar|ssh2(?:\.\w+)?|rar|ogg|expect|zip|compress\.(?:zlib|bzip2))://[^\s]|\bdata://[a-z]+/[\w.+\-]+[;,]"),
    # php.ini directives that open code paths count anywhere (`allow_url_include=1`, CVE-2024-4577's
    # `-d auto_prepend_file=`); tuning ones (`memory_limit`) only as a directive line, after `-d`, in `ini_set('…',`
    # or `.htaccess` `php_value`; the plainest (`engine`, `extension`, `precision`) only after `-d`, in `ini_set`, or
    # as a whole one-directive value — in prose or key=value lists (`engine=v8 precision=2`) they are words
    ("php:config_directive", 0.85, r"\b(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension)\s*=\s*\S|(?:-d\s*|\bini_set\s*\(\s*['\"])\s*(?:engine|extension|precision)\s*(?:=\s*\S|['\"]\s*,)|^\s*(?:engine|extension|precision)\s*=\s*[^\s=]+\s*$|(?:^|[\n;]|-d\s*|\bini_set\s*\(\s*['\"])\s*(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension|magic_quotes_gpc|display_errors|error_log|file_uploads|session\.(?:referer_check|use_only_cookies)|mbstring\.\w+|pcre\.\w+|zend\.\w+|mail\.\w+|expose_php|memory_limit|max_execution_time|serialize_precision|output_buffering|implicit_flush)\s*(?:=\s*\S|['\"]\s*,)|\bphp_(?:admin_)?(?:value|flag)\s+(?:allow_url_(?:include|fopen)|auto_(?:prepend|append)_file|safe_mode|open_basedir|disable_functions|register_globals|include_path|upload_tmp_dir|session\.(?:save_path|serialize_handler|auto_start|upload_progress\.\w+)|opcache\.\w+|suhosin\.\w+|assert\.\w+|xdebug\.\w+|phar\.\w+|mail\.(?:add_x_header|log|force_extra_parameters)|sendmail_path|short_open_tag|enable_dl|extension_dir|user_ini\.\w+|zend_extension|magic_quotes_gpc|display_errors|error_log|file_uploads|session\.(?:referer_check|use_only_cookies)|mbstring\.\w+|pcre\.\w+|zend\.\w+|mail\.\w+|expose_php|memory_limit|max_execution_time|engine|extension|precision|serialize_precision|output_buffering|implicit_flush)\b"),
    # CRS 4 933120's directive list: namespaced (`cgi.force_redirect=0`, `yaml.decode_php=1`) or php.ini-only names
    # anywhere; names like ordinary settings only after `-d` / in `ini_set(`
    *[("php:config_directive", 0.85, r"(?:^|[^\w.$>:\-])(?:" + names + r")\s*=\s*[^=\s]")
      for names in expand(INI_DOTTED)],
    ("php:config_directive", 0.85, r"(?:^|[^\w.$>:\-])(?:" + "|".join(INI_NAMES.split()) + r")\s*=\s*[^=\s]"),
    ("php:config_directive", 0.85, r"(?:-d\s*|\bini_set\s*\(\s*['\"])(?:" + "|".join(INI_GENERIC.split())
     + r")\s*(?:=\s*\S|['\"]\s*,)"),
    # CRS v4 934170: a `data:` URI whose base64 body starts with `<?` (`PD8`/`PD9`…): PHP code for an include or a
    # `data://` wrapper; images and fonts in data URIs start otherwise
    ("php:data_uri_code", 0.9, r"\bdata:(?://)?[\w.+\-]+/[\w.+\-]+(?:\s*;\s*[\w.\-]+=[\w.\-]+)*\s*;\s*base64\s*,\s*(?-i:PD[89+/])"),
    ("php:serialized_object", 0.95, r"\b[oc]:\+?\d+:\"[\w\\]+\":\+?\d+:\{"),
    ("php:serialized_array", 0.7, r"\ba:\d+:\{(?:[sibd]:\d*[:;])"),
    # PHP-only names take any argument; names that are also English words or other languages' calls
    # (`copy(paste)`, `extract(text)`, `eval(x)`) need a PHP-looking one: a string, a variable, a backtick, a call
    ("php:high_risk_function", 0.9, r"(?:^|[^\w.]|\W\.|^\.)(?:" + _PHP_RISKY + r")\s*(?:/\*.*\*/\s*)*\(\s*(?:[^\s)a-z]|[a-z]\w*(?:[^\w:]|:[^/]|:/[^/]|$))|(?:^|[^'\"\w.])[\w.]*\w\.(?:" + _PHP_RISKY + r")\s*(?:/\*.*\*/\s*)*\(\s*[^\s)\[]|['\"][\w.]*\w\.(?:" + _PHP_RISKY + r")\s*(?:/\*.*\*/\s*)*\(\s*(?:['\"][^\s'\"]|[^\s)'\"])|(?:^|[^\w.$>:]|[^\w)\]$]\.)(?:fread|fwrite|fputs|extract|putenv|getenv|serialize|dl|chmod|chown|unlink|rmdir|mkdir|copy|rename|glob|system|exec|eval|assert|usort|symlink)\s*(?:/\*.*\*/\s*)*\(\s*(?:['\"@`]|\$[\w\[{]*\s*(?:[^\w\s:]|$)|[a-z_]\w*\s*\(|[a-z_]\w*\s*:\s*['\"$`][^)]*\)\s*(?:[^\s{]|$))"),
    ("php:quoted_function_call", 0.8, r"['\"](?:system|exec|shell_exec|passthru|popen|proc_open|assert|eval|phpinfo|base64_decode|create_function|file_get_contents|readfile)['\"]\s*\("),
    ("php:distinctive_call", 0.85, r"(?:^|[^\w.])(?:strrev|unpack|intval)\s*(?:/\*.*?\*/\s*)*=?\s*\(|(?:gzdecode|zlib_decode|base64_decode|call_user_func(?:_array)?|fsockopen|shell_exec|proc_open|pcntl_exec|create_function|file_put_contents|file_get_contents|move_uploaded_file|gzinflate|gzuncompress|str_rot13|phpinfo|php_uname|posix_\w+|preg_replace\w*|assert_options|get_defined_vars|ini_set|escapeshell(?:cmd|arg)|curl_exec|stream_socket_client|register_shutdown_function|mb_ereg_replace|highlight_file|show_source)\s*(?:/\*.*?\*/\s*)*=?\s*\((?:\s*(?:[^\s)a-z]|[a-z]\w*(?:[^\w:]|:[^/]|:/[^/]|$))|\s*\)\s*(?:$|[^\w\s]))"),
    # Project files (`settings.py`, `config.yml`) count as the uploaded name itself or after a traversal: with a directory
    # path in front they are source locations (a stack frame's `"filename": "/srv/app/settings.py"` in an error report).
    # Windows drops trailing dots and spaces from a file name (`web.config ` is saved as web.config); a `php.ini` in an
    # upload folder configures PHP run as CGI/FastCGI there (per-directory ini: `auto_prepend_file` of the upload)
    ("upload:restricted_file", 0.8, r"(?:^|/)\.(?:htaccess|htpasswd|boto|env|user\.ini|bashrc|bash_profile|profile|npmrc|pypirc|netrc|git-credentials|gitconfig|ssh)[\s.]*$|(?:^|/)(?:authorized_keys|id_rsa\w*|crontab)[\s.]*$|(?:^|\.\.[/\\])(?:web\.config|php\.ini|php5\.ini|config\.ya?ml|settings\.py|wp-config\.php)[\s.]*$"),
    ("php:call_evasion", 0.85, r"\b(?:file|exec|system|passthru|eval|assert|include|require|fopen|readfile|popen|proc_open|shell_exec|phpinfo|chr|ord|base64_decode|unserialize|create_function|call_user_func)\s*(?:(?:/\*.*?\*/|//[^\n]*\n|#[^\n]*\n|[\r\n]+)\s*)+\("),
    # a parameter NAME that is a PHP-only function name (`?get_defined_vars=1`, CRS 933150 on ARGS_NAMES): no form names
    # a field so; backdoors and apps that call `key($_GET)` take it as the function to run. As a value it is a docs
    # search (php:function_name below); engine.py makes a `#key` point of such names and applies this rule there only.
    # One-word names (`phpinfo`, `getenv`, `popen`) are debug switches and words: left out
    ("php:function_param", 0.85, r"^\s*(?:" + "|".join(sorted(PHP_FUNCTION_KEYS)) + r")\s*$"),
    ("php:function_name", 0.45, r"\b(?:base64_decode|gzinflate|gzuncompress|str_rot13|shell_exec|proc_open|pcntl_exec|create_function|call_user_func_array|move_uploaded_file|file_put_contents|file_get_contents|phpinfo|fsockopen|posix_getpwuid|php_uname|preg_replace|assert_options|get_defined_vars)\b"),
    # calls of names from the CRS PHP function lists: high-risk ones with anything, the rest with a PHP argument
    ("php:crs_high_risk_call", 0.85, r"\b(?:" + "|".join(HIGH_RISK.split()) + r")\s*\(\s*(?:[^\s)a-z]|[a-z]\w*(?:[^\w:]|:[^/]|:/[^/]|$))"),
    ("php:crs_high_risk_call", 0.85, _NOT_DECLARED + "(?:" + "|".join(HIGH_RISK.split()) + _EMPTY_CALL),
    *[("php:crs_function", 0.7, r"\b(?:" + names + r")\s*\(\s*(?:['\"$`@\d]|[a-z_]\w*\s*\()")
      for names in expand(FUNCTIONS)],
    *[("php:crs_function", 0.7, _NOT_DECLARED + "(?:" + names + _EMPTY_CALL) for names in expand(FUNCTIONS)],
    # CRS 4's function lists beyond 3.3's: underscore and PHP-only names with a PHP argument (or none); C-like names
    # with a `$variable`. Not after `.`/`->`/`::`/`$` (methods of other languages' objects: pathlib's `p.is_file()`)
    *[("php:crs_function", 0.7, r"(?:^|[^\w.$>:]|[^\w)\]$]\.)(?:" + names + _PHP_ARG) for names in expand(FUNCTIONS_V4)],
    *[("php:crs_function", 0.7, r"(?:" + _NOT_DECLARED + r"|[^\w)\]$]\.)(?:" + names + _EMPTY_CALL)
      for names in expand(FUNCTIONS_V4)],
    ("php:crs_function", 0.7, r"(?:^|[^\w.$>:]|[^\w)\]$]\.)(?:" + "|".join(PLAIN.split()) + _PHP_ARG),
    ("php:crs_function", 0.7, r"(?:" + _NOT_DECLARED + r"|[^\w)\]$]\.)(?:" + "|".join(PLAIN.split()) + _EMPTY_CALL),
    ("php:crs_function", 0.7, r"(?:^|[^\w.$>:]|[^\w)\]$]\.)(?:" + "|".join(C_LIKE.split())
     + r")\s*\(\s*\$[a-z_]|(?:^|[^\w.$>:])(?:getcwd|gethostname|getrusage|localeconv|hrtime|microtime|uniqid|getdate|gettimeofday)\s*\(\s*\)"),
    ("php:underscore_function_call", 0.6, r"^\s*(?:array|str|date|pg|ldap|sodium_crypto|tidy|mysql|mysqli|curl|file|posix|proc|stream|socket|openssl|mb|iconv|preg|ftp|zip|xml|json|ob|session|ini|gz|bz|hash|image|imap|mcrypt|oci|odbc|sqlite|pcntl|apcu?|igbinary|msgpack|yaml|simplexml|dom|libxml|xmlrpc|xsl|bcm|gmp|ctype|intl|grapheme|locale|numfmt|collator|transliterator|spl|class|func|is|call|debug|error|highlight|php|memory|gc|zend|var|serialize|unserialize|shm|sem|msg|sys|pfsock|fsock|http|url|base64|convert|quoted|uu|levenshtein|similar|soundex|metaphone|money|number|nl|ucwords|wordwrap|htmlspecialchars|html|strip|add|crc|md5|sha1|crypt|password|random|mt|lcg|uniqid|openlog|syslog|closelog|define|constant|defined|method|property|interface|trait|enum|iterator|forward|register|spl|runkit|uopz|eio|ev|event)_[a-z0-9_]+\s*\((?:\s*[^\d\s]|\s*\d+\s*[^\d\s)]|\s*\d+\s*\)\s*(?:$|[^.\s])|\s*$)|^\s*date_[a-z]+\s*\("),
    # `include`/`require` count with a path, URL, wrapper or variable: Node's `require('express')` is an import
    ("php:function_call_quoted", 0.85, r"(?:^|[^\w.]|\W\.|^\.)" + _PHP_QUOTED_CALL + r"(?:['\"$(\[`]|chr\s*\(|\d+\s*\)|[a-z_]+\s*\()|(?:^|[^'\"\w.])[\w.]*\w\." + _PHP_QUOTED_CALL + r"(?:['\"$(`]|chr\s*\(|\d+\s*\)|[a-z_]+\s*\()|['\"][\w.]*\w\." + _PHP_QUOTED_CALL + r"(?:['\"](?:[^\s'\"]|['\"])|[$(\[`]|chr\s*\(|\d+\s*\)|[a-z_]+\s*\()|\b(?:print|echo|chr|ord)\s*\(\s*(?:[$`(]|[a-z_]\w*\s*\(|\d+\s*\))|\b(?:include|require)(?:_once)?\s*\(?\s*(?:['\"]\s*(?:/|\.\.?[/\\]|[a-z][\w+.\-]*://|data:|[a-z]:[\\/]|\$|[\w\-]+\.(?:php\d?|phtml|inc|txt|log|jpe?g|png|gif)\b)|\$)"),
    # not right inside a `{{ … }}` binding (`{{ $t('cart.total') }}`: Vue/Angular helpers); PHP's own `{$f('x')}`
    # interpolation (one brace) counts
    ("php:variable_call", 0.8, r"(?:^\s*|[^{\s]\s*|(?:^|[^{])\{\s*)\$(?:\{[^}\s]{1,30}\}|[a-z_@$][\w$]{0,30})\s*(?:(?:\[[^\]]{1,30}\]|\{[^}]{1,30}\}|/\*.{0,40}?\*/|//[^\n]{0,40}\n|#[^\n]{0,40}\n)\s*)*\((?:\s*\)|\s*['\"$\d]|\s*[a-z_\\][\w\\]*\s*\()"),
    ("php:commented_call", 0.8, r"\(\s*(?:/\*.*?\*/\s*)+[a-z_]+\s*(?:/\*.*?\*/\s*)*\)\s*\(|\(\s*[a-z_]+\s*(?:/\*.*?\*/\s*)+\)\s*\("),
    ("php:variable_function", 0.85, r"\(\s*['\"]?[a-z_.'\"()\s]+['\"]?\s*\)\s*\(\s*['\"][^'\"]*['\"]\s*\)|\(\s*sy[\s.'\"()]*st[\s.'\"()]*em\s*\)|['\"][a-z_]+['\"]\s*\.\s*['\"][a-z_]+['\"]\s*\)?\s*\(|\$\{?[a-z_]+\}?\s*\[\s*['\"]?\w+['\"]?\s*\]\s*\(|\$\w+\s*\(\s*\$\w+|\$\w+\s*\[[^\]]{1,20}\]\s*\(|\$_+\s*\(|\$\{?_+\}?\s*\["),
    # CRS 933210's `(string)'…'` form: a cast of a quoted name, concatenated or called, or naming a code-running
    # function; a C#/Java `(string)"abc"` cast in a snippet is neither
    ("php:string_cast_call", 0.85, r"\(\s*string\s*\)\s*['\"](?:[^'\"]{0,40}['\"]\s*[.)(]|(?:system|exec|shell_exec|passthru|popen|proc_open|assert|eval|phpinfo|create_function|call_user_func\w*|base64_decode|file_put_contents|file_get_contents|include|require)['\"]\s*(?:$|[;.)(]))"),
    # `pack('H*', '73797374656d')` / `hex2bin(…)`: PHP building a function name or code from hex
    ("php:hex_pack", 0.85, r"\bpack\s*\(\s*['\"][hHaA]\*?['\"]\s*,\s*['\"]?[0-9a-f]{6,}|\bhex2bin\s*\(\s*['\"]?[0-9a-f]{6,}"),
    # .htaccess lines that make Apache hand other extensions to PHP (an upload of `.htaccess` / `.user.ini` content)
    ("php:htaccess_handler", 0.85, r"(?:^|[\n>])\s*(?:addtype|addhandler|sethandler|forcetype)\s+(?:application/x-httpd-php|php\d*-script|x-httpd-php)"),
    # `mail()`'s fifth argument handing sendmail a log file (`-X/var/www/x.php`) or queue/config path (PHPMailer
    # CVE-2016-10033 style); `-f sender@…` is its ordinary use
    ("php:mail_sendmail_args", 0.85, r"\bmail\s*\([^)]{0,400}['\"\s]-(?:x\s*[/.\w]|oqueuedirectory|c\s*/)"),
    # built-in classes that object-instantiation bugs (`new $a($b)`) and gadget chains use to read, list, fetch or
    # write: constructed with a PHP-looking argument
    ("php:builtin_class_new", 0.75, r"\bnew\s+\\?(?:splfileobject|spltempfileobject|splfileinfo|directoryiterator|filesystemiterator|globiterator|recursivedirectoryiterator|reflectionclass|reflectionfunction|reflectionmethod|pdo|simplexmlelement|soapclient|imagick|ziparchive|phardata|phar|xmlreader)\s*\(\s*['\"$]"),
    # Symfony YAML's PHP tags build objects / read constants when the parser allows them
    ("php:yaml_tag", 0.85, r"!php/(?:object|const|enum)\b"),
    # a function name built by bitwise NOT of a high-byte string and called (`(~"\x8f\x97\x8f…")()`, PHP 7+)
    ("php:bitwise_not_call", 0.85, r"\(\s*~\s*['\"]?(?:%[89a-f][0-9a-f]|[^\x00-\x7f]){3,}['\"]?\s*\)\s*\("),
    # Drupal render-array callbacks in a parameter name (`mail[#post_render][]=exec`, SA-CORE-2018-002/004)
    ("php:drupal_render_callback", 0.9, r"\[\s*#(?:post_render|pre_render|lazy_builder|access_callback|value_callback|element_validate|process)\s*\]"),
    # ThinkPHP 5 routes (`s=index/\think\app/invokefunction`, `\think\Request/input`): a controller named by its
    # namespaced class reaches any public method of any framework class (CVE-2018-20062 / 2019-9082)
    ("php:thinkphp_route", 0.9, r"(?:^|[/=])\s*\\?think\\[a-z_\\]+/[a-z_]"),
    # a method-override field naming a PHP magic method (`_method=__construct`, ThinkPHP 5.0.23 CVE-2019-9082's twin):
    # the framework calls that method of its Request object with the other fields as arguments. Only under the
    # `_method` name (the engine's _RULE_ONLY_KEYS): a docs search for `__construct` is a word
    ("php:magic_method_override", 0.85, r"^\s*__(?:construct|destruct|call|callstatic|get|set|isset|unset|sleep|wakeup|serialize|unserialize|tostring|invoke|set_state|clone|debuginfo)\s*$"),
    ("upload:php_session", 0.75, r"(?:^|/|\\)sess_[a-z0-9,\-]{8,}"),
    # The extensions that exist to slip past upload filters (`.phtml`, `.php5`, `.phar`) count anywhere; plain `.php` as
    # the uploaded name itself, after a traversal or after a Windows client path (old browsers send `C:\\…\\x.php`): with
    # a directory path in front (`src/Controller/Cart.php`) it is a source location, a stack frame in an error report
    ("upload:php_script", 0.85, r"\.\s*(?:php\d+|phtml|phar|pht|phpt|phps|pgif|shtml|htaccess|inc)(?:[.\s;:]|$|%00|%20|\x00)|(?:^|\.\.[/\\]|^[a-z]:\\(?:[^\\/]*\\)*)[^/\\]*?\.\s*php(?:[.\s;:]|$|%00|%20|\x00)|wp-config[\-_.]php"),
    # --- Java
    # Runtime / ProcessBuilder named as code: alone, before punctuation, or called with code-like arguments;
    # a stack frame's `(Runtime.java:620)`, `(Native Method)`, `(Unknown Source)` are not code arguments
    ("java:runtime_exec", 0.95, r"\bjava\.lang\.(?:runtime|processbuilder)(?:\s*$|[^\w.$\s]|\s+[^\w\s]|\.\s*\w+\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[]))|\bruntime\s*\.\s*getruntime\s*\(|\.\s*exec\s*\(\s*['\"\[]|\bnew\s+processbuilder\b"),
    # a fully qualified JDK class used as code (a call or constructor with code-like arguments), or the name
    # right after code punctuation (`T(java.`, `@java.`, `new java.`, `!!java.`); stack traces have neither
    ("java:qualified_call", 0.85, r"\b(?:java|javax|jdk|sun|com\.sun|org\.omg)\.[\w$]+\.[\w$.]+\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|true\b|false\b|[a-z_$][\w$]*\s*[,)+\[])|(?:[@=<>\[{]|!!|\bnew\s+|\bt\s*\(\s*)(?:java|javax)\.(?:lang|io|net|nio|util|beans|rmi|script|naming|management|xml|sql)\.[a-z_$]"),
    ("java:runtime_gadget", 0.9, r"\b(?:runtime|processbuilder)\b.*\b(?:clonetransformer|forclosure|instantiatefactory|instantiatetransformer|invokertransformer|prototypeclonefactory|prototypeserializationfactory|whileclosure|getproperty|filewriter|xmldecoder|unmarshaller|base64data)"),
    # the long gadget names mean nothing else and match inside a word too: ColdFusion's WDDX deserialiser strips a
    # class name's first and last characters, so CVE-2023-29300 exploits send `xcom.sun.rowset.JdbcRowSetImplx`
    ("java:gadget", 0.85, r"\b(?:clonetransformer|forclosure|instantiatefactory|prototypeclonefactory|prototypeserializationfactory|whileclosure|constanttransformer|lazymap|transformedmap|priorityqueue|xmldecoder|beancomparator|commons\.collections|commons\.beanutils|c3p0)\b|(?:instantiatetransformer|invokertransformer|chainedtransformer|templatesimpl|annotationinvocationhandler|badattributevalueexpexception|jdbcrowsetimpl|rmiconnectionimpl)"),
    # Tomcat session ids are hex with an optional `.jvmRoute`: one that starts with a dot names a file in the session
    # store (CVE-2025-24813: a partial PUT writes `.evil.session`, `JSESSIONID=.evil` deserialises it)
    # A string left and re-entered around an OGNL/EL braces expression (`aaa\u0027+{233*233}+\u0027`, `'+#{…}+'`):
    # Confluence CVE-2021-26084 and its kin concatenate the evaluated expression into the template
    ("java:ognl_concat", 0.85, r"['\"]\s*\+\s*(?:[#%$]\{[^{}]{1,200}\}|\{\s*\d+\s*[-+*/]\s*\d+\s*\})\s*\+\s*['\"]"),
    ("java:session_file", 0.85, r"^\s*\.[^\s;,]{1,128}$"),
    # Runtime / ProcessBuilder used as code with code-like arguments (prose such as `Java Runtime Environment`,
    # `how to use Runtime exec` and pasted stack frames are not)
    ("java:runtime_word", 0.8, r"\bruntime\s*(?:\.\s*|@)(?:getruntime|halt|loadlibrary|addshutdownhook)\b|\bruntime\s*\.\s*(?:exec|load)\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[])|\bgetruntime\s*\(\s*\)|\bprocessbuilder(?:\s*\.\s*\w+)?\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[])|\bprocessbuilder\b[^\n]{0,60}\.\s*start\s*\(\s*\)"),
    # a value that *is* a class exploit chains name (CRS java-classes.data, ysoserial/marshalsec packages),
    # `java.x.runtime`-style dotted names, and gadget packages anywhere; inside prose or a stack trace
    # ordinary JDK names (java.lang.String, NullPointerException) are vocabulary, not code. `jdk.internal.` counts
    # unless a stack frame's `at` names it (`\tat jdk.internal.reflect.GeneratedMethodAccessor212.invoke(…)` is in
    # every Java 17+ trace, `at java.base/jdk.internal.loader…` with its module); after code punctuation or alone
    # (`T(jdk.internal.misc.Unsafe)`) it still counts
    ("java:class_name", 0.85, r"^\s*(?:java\.(?:lang\.(?:class|classloader|integer|number|object|process|processbuilder|reflect|runtime|string|stringbuilder|system|thread|invoke)|io\.(?:bufferedinputstream|bufferedreader|bytearrayinputstream|bytearrayoutputstream|chararrayreader|datainputstream|file|fileoutputstream|filepermission|filewriter|filterinputstream|filteroutputstream|filterreader|inputstream|inputstreamreader|linenumberreader|objectinputstream|objectoutputstream|outputstream|pipedoutputstream|pipedreader|printstream|pushbackinputstream|reader|stringreader)|beans\.xmldecoder?|net\.urlclassloader|rmi\.registry)(?:\.[\w$]+)*|javax\.(?:script\.scriptenginemanager|naming\.initialcontext|management\.remote)|com\.(?:opensymphony\.xwork2|sun\.org\.apache|sun\.rowset|thoughtworks\.xstream)|org\.(?:apache\.(?:commons|struts2?|xalan)|omg\.corba|springframework\.context\.support|codehaus\.groovy\.runtime))\s*;?\s*$|\bjava\.[\w$.]*\b(?:runtime|processbuilder)(?:\s*$|[^\w.$\s]|\s+[^\w\s]|\.\s*\w+\s*\(\s*(?:\)|[\"'\d\[{#@(]|new\b|null\b|[a-z_$][\w$]*\s*[,)+\[]))|(?:^\s*|[^\w\s.$/]\s*|(?:^|\W)" + _other_word("at") + r"\s+)jdk\.internal\.|\b(?:java\.(?:beans\.(?:xmldecoder|eventhandler)|net\.urlclassloader\b.{0,80}\bnew\s*java\.net\.url)|javax\.script\.scriptenginemanager|javax\.naming\.initialcontext|jdk\.(?:nashorn|jshell)\.|sun\.(?:misc\.unsafe|reflect\.misc)|com\.(?:opensymphony\.xwork2|thoughtworks\.xstream|sun\.rowset|sun\.org\.apache\.(?:xalan|bcel)|mchange\.v2\.c3p0|alibaba\.fastjson)\.|org\.(?:apache\.(?:commons\.collections\d*\.functors|xalan|naming\.factory|tomcat\.dbcp|shiro\.jndi|xbean\.naming)|codehaus\.groovy\.runtime|mozilla\.javascript\.tools|python\.util\.pythoninterpreter|mvel2|yaml\.snakeyaml\.constructor)|groovy\.lang\.groovy(?:shell|classloader)|bsh\.(?:interpreter|xthis)|ognl\.ognl(?:context|runtime)|clojure\.(?:lang|core)\.\w)"),
    # polymorphic JSON typing (fastjson `@type`, Jackson `@class`) naming a JDK/library class, and the values
    # fastjson probes put there (`java.net.Inet4Address`)
    ("java:json_type", 0.9, r"['\"]@(?:type|class)['\"]\s*:\s*['\"]\s*l?(?:java|javax|jdk|sun|com|org|ch\.qos|net\.sf|oracle|bsh|groovy|clojure)\.[\w$.]+|^\s*(?:java\.net\.(?:inet[46]?address|url|urlclassloader|socket)|java\.lang\.autocloseable|com\.sun\.rowset\.jdbcrowsetimpl)\s*$"),
    ("java:log4shell", 0.95, r"(?:\$|&dollar;?|%24)(?:\{|&l(?:brace|cub);?|%7b)(?:[^}]{0,15}(?:\$|&dollar;?|%24)(?:\{|&l(?:brace|cub);?|%7b)|\s*(?:jndi|ctx|env|sys|main|java|base64|bundle|docker|k8s|log4j|marker|spring|web|kubernetes)\s*:|\s*(?:lower|upper|date)\s*:\s*['\"]?[^}'\"\s]{1,3}['\"]?\s*(?:\}|%7d))"),
    # nested lookups, `${prefix:key:-default}` (obfuscated `${::-j}`, `${:1337:-x}`) and a bare `{jndi:scheme:`;
    # a shell-style `${PORT:-8080}` default has no lookup prefix
    ("java:log4shell_lookup", 0.8, r"(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)[^}]*(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)|(?:\$|&dollar;?)(?:\{|&l(?:brace|cub);?)\s*(?::*|[\w.\-]*:[^}]{0,30}):-|\{\s*jndi\s*:\s*[a-z]+:"),
    # Apache Commons Text interpolation (Text4Shell): `${script:engine:…}`, `${dns:address|…}`,
    # `${url:UTF-8:http://…}`, `${file:UTF-8:…}` — the lookup followed by its own argument syntax
    ("java:commons_text_lookup", 0.9, r"(?:\$|%24)(?:\{|%7b)\s*(?:script\s*:\s*[\w\-]+\s*:|dns\s*:\s*(?:address|canonical-name|name)\s*\||url\s*:\s*[\w\-]+\s*:\s*\w+:|file\s*:\s*[\w\-]+\s*:|xml\s*:[^}]*:\s*/|properties\s*:[^}]*::|base64decoder\s*:|urldecoder\s*:|const\s*:\s*[\w.$]+\.)"),
    # a JNDI reference URL as a whole value (what gadget properties such as fastjson's `dataSourceName` receive):
    # Java-only naming schemes, and LDAP URLs with the path layout of public JNDI exploit servers
    ("java:jndi_url", 0.85, r"^\s*(?:rmi|iiops?|corbaname|corbaloc|jnp)://[\w.\-\[\]:]+/\S|\bldaps?://[^\s/]+/(?:basic|deserialization|tomcatbypass|groovybypass|websphere\w*|jbossbypass)/"),
    ("java:serialized_base64", 0.95, r"\b(?:ro0ab|kztaau|cs7qaf)"),
    # the stream magic `\xac\xed\x00\x05` and its first type code (TC_OBJECT … TC_ENUM, 0x70-0x7e) base64-encoded
    # after a few leading bytes (a length, a version or a format byte a wrapper puts first), at each of the three byte
    # alignments: `rO0ABX`, `?KztAAV`-style (one byte, or four), `??s7QAFc`-style (two bytes, or five); near the start
    # of a base64 token, where a deserializer reads it. Case-sensitive
    ("java:serialized_base64", 0.95, r"(?-i:(?:^|[^A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]{0,24}(?:rO0ABX|[Kaq6]ztAAV|[CGKOSWaeimquy26+\-]s7QAF[c-f]))"),
    ("java:serialized", 0.95, r"\xac\xed\x00?\x05"),
    # Java serialization stream magic in hex (`aced0005` then a TC_* type code)
    ("java:serialized_hex", 0.9, r"\baced0005(?:7[3-7a-e]|[0-9a-f]{2}){2}"),
    # base64 of a gzip member with no flags and a zero mtime (Java's GZIPOutputStream, `gzip` reading a
    # pipe): how serialized objects travel in cookies and view states. Case-sensitive. Reported only: the points
    # layer inflates the blob, so what it carries (`java:serialized`, markup, SQL) is judged on its own
    ("java:gzip_base64_blob", 0.45, r"(?-i:(?:^|[=\s\"':])H4sIAAAAAAA)"),
    ("java:ognl", 0.95, r"%\{\s*(?:\(\s*#|#)|#_memberaccess|@ognl|#context\s*\[|ognlcontext|@java\.lang|#\w+\s*=\s*@|#application\s*\[|\(#\w+=|\bclass\.classloader\b|#request\s*\[|#parameters\s*\["),
    # Spring4Shell in dotted or bracket form, reflection entry points; `Class.forName` counts with a JDK /
    # gadget package or a computed argument (a JDBC driver name in a tutorial does not)
    ("java:class_loader", 0.95, r"class\.module\.classloader|\bclass(?:\s*\[\s*['\"]?module['\"]?\s*\]|\s*\.\s*module)?\s*(?:\[\s*['\"]?|\.\s*)classloader\b|classloader\.resources\.context|\.getclass\s*\(\s*\)\s*\.\s*forname|\bclass\s*\.\s*forname\s*\(\s*(?:['\"]\s*(?:java|javax|jdk|sun|com\.sun|org\.apache|org\.springframework|org\.codehaus|bsh|groovy|ognl|clojure|javassist)\.|[^'\"\s])|springframework\.context\.support\.(?:file|classpath)\w*xmlapplicationcontext|\bgetdeclaredmethod\s*\(|\.invoke\s*\(\s*null|\bscriptenginemanager\b|\bgetenginebyname\s*\(|\.getclassloader\s*\(\s*\)|\bdefineclass\s*\("),
    ("java:el_injection", 0.85, r"[#$]\{[^}]*(?:\.getclass\(|\.forname\(|\.getruntime\(|\.exec\(|\.newinstance\(|t\s*\(\s*java\.|request\.getparameter|session\.getattribute|applicationscope|facescontext|pagecontext\s*\.|\[\s*['\"]class['\"]\s*\])"),
    # Groovy runs a string or list as a process: `"id".execute()`, `['sh','-c','id'].execute()`
    ("groovy:execute", 0.85, r"['\"][^'\"\n]{1,200}['\"]\s*\.\s*execute\s*\(\s*\)|\[\s*['\"][^\]]*['\"]\s*\]\s*\.\s*execute\s*\("),
    # Groovy compile-time annotations run before any sandbox: `@Grab`/`@GrabResolver` fetch and load a jar from the
    # repository the request names, `@ASTTest` runs its closure (Jenkins CVE-2019-1003000 class, `checkScript`)
    ("groovy:compile_annotation", 0.85, r"@(?:groovy\.lang\.)?(?:grab(?:resolver|config|excludes)?|grapes)\s*\(|@(?:groovy\.transform\.)?asttest\s*\("),
    # a .NET BinaryFormatter stream (SerializedStreamHeader: root 1, header -1, version 1.0) in base64 at any of the three
    # byte alignments, or in hex: ysoserial.net payloads, alone or inside an ObjectStateFormatter ViewState (`/wEy…`).
    # Filed under Java's deserialization family; a benign ViewState starts with a Pair (`/wEP…`), never this header
    ("dotnet:binaryformatter", 0.9, r"(?-i:AAEAAAD[/_]{5}AQAAAAAAAA|ABAAAA[/_]{5}wEAAAAAAAAA|AAQAAAP[/_]{4}8BAAAAAAAAA)|\b0001000000ffffffff0100000000000000"),
    # .NET code starting a process by its full name (Razor `@{ System.Diagnostics.Process.Start("cmd") }`, a
    # ProcessStartInfo handed to a deserialization gadget); the class named in prose has no call
    ("dotnet:process_start", 0.85, r"\bsystem\s*\.\s*diagnostics\s*\.\s*process\s*\.\s*start\s*\(|\bnew\s+system\s*\.\s*diagnostics\s*\.\s*processstartinfo\s*\("),
    # JDBC URLs whose options run code or deserialize when a server connects with them: H2's `INIT=` running a remote
    # script or defining a Java/JS alias or trigger, MySQL Connector/J deserialization and URL-fed LOCAL INFILE,
    # PostgreSQL's class-instantiating and log-file options (CVE-2022-21724/-26520), DB2's JNDI reroute list
    ("java:jdbc_url", 0.9, r"\bjdbc:h2:\S*?;\s*init\s*=.{0,300}?(?:runscript\s+from\s+['\"]?\s*(?:https?|ftp|file|jar):|create\s+(?:alias|trigger)\b)|\bjdbc:(?:mysql|mariadb):\S*?[?&;,]\s*(?:autodeserialize\s*=\s*(?:true|yes|1)\b|(?:queryinterceptors|statementinterceptors|allowurlinlocalinfile)\s*=)|\bjdbc:postgresql:\S*?[?&]\s*(?:socketfactory|sslfactory|sslhostnameverifier|sslpasswordcallback|loggerfile|authenticationpluginclassname)\s*=|\bjdbc:db2:\S*?clientrerouteserverlistjndiname\s*=|\bjdbc:[\w:]+\S*?(?:jndi|datasource)\w*\s*=\s*(?:ldaps?|rmi|iiop)://"),
    # classes Jackson's polymorphic-typing deny list names (SubTypeValidator): connection sources and factories that
    # do a JNDI lookup or run a JDBC URL from their properties. Pooled data sources that Spring configs name by class
    # (`com.zaxxer.hikari.HikariDataSource`, dbcp2's `BasicDataSource`) are left to the lookups they are fed
    ("java:gadget_class", 0.85, r"\b(?:ch\.qos\.logback\.core\.db\.(?:drivermanager|jndi)connectionsource|org\.apache\.(?:commons\.dbcp2?\.(?:datasources|cpdsadapter)\.\w+|ibatis\.datasource\.jndi\.\w+|openjpa\.ee\.\w+|hadoop\.shaded\.com\.zaxxer\.\w+|aries\.transaction\.jms\.\w+|commons\.configuration2?\.jndiconfiguration|cxf\.jaxrs\.provider\.xsltprovider|xbean\.propertyeditor\.jndiconverter|axis2\.transport\.jms\.\w+|commons\.proxy\.provider\.remoting\.\w+|log4j\.receivers\.db\.\w+|tomcat\.dbcp\.dbcp2?\.(?:datasources|cpdsadapter)\.\w+|xalan\.lib\.sql\.jndiconnectionpool|batik\.swing\.jsvgcanvas)|org\.springframework\.(?:beans\.factory\.(?:config\.propertypathfactorybean|objectfactorycreatingfactorybean)|aop\.config\.methodlocatingfactorybean|jndi\.support\.simplejndibeanfactory)|com\.ibatis\.sqlmap\.engine\.transaction\.jta\.jtatransactionconfig|oracle\.jdbc\.connector\.oraclemanagedconnectionfactory|org\.jdom2?\.transform\.xsltransformer|net\.sf\.ehcache\.transaction\.manager\.\w+|com\.newrelic\.agent\.deps\.ch\.qos\.logback\.core\.db\.\w+|br\.com\.anteros\.dbcp\.\w+|com\.mysql\.cj\.jdbc\.admin\.miniadmin|org\.docx4j\.org\.apache\.xalan\.\w+|com\.caucho\.config\.types\.resourceref|org\.hibernate\.jmx\.statisticsservice)\b"),
    # (what a server drops after an extension: trailing dots and blanks, `;…` (IIS, Tomcat path parameters), `:…` (an
    # NTFS stream: `x.asp:.jpg` writes x.asp), an encoded blank or NUL)
    ("upload:jsp_script", 0.85, r"\.\s*(?:jspx?|jspf|jsw|jsv|jhtml)(?:[\s.;:]|$|%00|%20|\x00)"),
    # ASP and ASP.NET pages and handlers IIS runs (not `.cer`/`.cdx`, which IIS 6 also mapped: certificates are uploaded)
    ("upload:asp_script", 0.85, r"\.\s*(?:aspx?|asa|asax|ascx|ashx|asmx|axd|cshtml|vbhtml|svc|rem|soap)(?:[\s.;:]|$|%00|%20|\x00)"),
    # --- Node.js / JavaScript server side
    # `process.env`/`exit`/… and `child_process` need code around them (or be the whole value: `what is process.env`
    # is a question) (`process.env.X`, `'child_process'`); the
    # words alone are prose; also `'return process'` strings and computed `global['pro'+'cess']` access
    ("node:injection", 0.95, r"_\$\$nd_func\$\$_|__js_function|['\"`]child_process\b|\bchild_process\s*(?:[.\[)'\"`;]|$)|\bprocess\s*\.\s*(?:mainmodule|binding|dlopen|execpath)\b|\bprocess\s*\.\s*(?:kill|exit|env|argv|cwd|chdir|umask|getuid|setuid)\s*[(.\[);,}+]|^\s*process\s*\.\s*(?:kill|exit|env|argv|cwd|chdir|umask|getuid|setuid)\s*$|\brequire\s*\(\s*['\"`](?:node:)?(?:child_process|vm|cluster|worker_threads|module|process)['\"`]\s*\)|\brequire\s*\.\s*(?:main|cache|resolve|extensions)\b|\bmodule\s*\.\s*exports\s*=|\bglobal\s*\.\s*process\b|\bthis\s*\.\s*constructor\s*\.\s*constructor|\bconstructor\s*\.\s*constructor\s*\(|\bfs\s*\.\s*(?:readfile|writefile|unlink|readdir|appendfile|createreadstream|createwritestream|mkdir|rmdir|rename|chmod|open|symlink)(?:sync)?\s*\(|\.\s*(?:execsync|spawnsync|execfile|execfilesync|spawn)\s*\(|\bvm\s*\.\s*(?:runin\w*context|script|compilefunction)\b|\bnew\s+function\s*\(|\beval\s*\(\s*(?:atob|string\.fromcharcode|unescape|decodeuri|buffer|require)|\bbuffer\s*\.\s*from\s*\(.*,\s*['\"`]base64['\"`]|['\"`]\s*return\s+(?:process|global|globalthis|require|module)\b|\breflect\s*\.\s*(?:construct|apply)\s*\(\s*function\b|\[\s*['\"`]mainmodule['\"`]\s*\]|\b(?:global|globalthis|this|process|module|require)\s*\[\s*['\"`][\w$]*['\"`]\s*\+"),
    # a required module used on the spot, a local path or `node:` builtin; a bare `require('express')` is an
    # import line. A value that opens an anonymous function (`function() {`, node-serialize) or an IIFE
    ("node:require_call", 0.85, r"\brequire\s*\(\s*['\"`]?[\w./\-]+['\"`]?\s*\)\s*\.\s*\w+|\brequire\s*\(\s*['\"`](?:\.{0,2}/|node:)[\w./\-]*['\"`]\s*\)|\bimport\s*\(\s*['\"`](?:node:)?(?:child_process|fs|os|net|vm)['\"`]\s*\)|\bprocess\s*\[\s*['\"`]|\bconsole\s*\.\s*(?:log|debug|error|info|trace|warn)\s*\.\s*call\s*\(|^\s*function\s*\(\s*\)\s*\{\s*$|\bfunction\s*\(\s*\)\s*\{.*\}\s*\)?\s*\(\s*\)|\bconsole\s*\[\s*['\"`]\w+['\"`]\s*\]|\brequire\s*\["),
    # node-serialize / eval probes log a value (`console.info(1)`, `console.log(process.env)`); logging a
    # string literal or a plain variable is the tutorial snippet people paste into a search box
    ("node:console_call", 0.85, r"\bconsole\s*\.\s*(?:log|debug|error|info|trace|warn|dir)\s*\(\s*(?:[\d(`$\[{]|[a-z_]\w*\s*[.(\[,+])"),
    # `__proto__` as a key or member (`[__proto__]`, `.__proto__`, a JSON key); the word in prose is not
    # (`what is __proto__ in javascript`); `Object.prototype.x = …` assignments
    ("node:prototype_pollution", 0.9, r"__proto__\s*[\[.\]'\"=:]|[\[.'\"]\s*__proto__|^\s*__proto__\s*$|\bconstructor\s*(?:\.|\]?\s*\[\s*['\"]?)\s*prototype\b(?:\s*$|['\"]?\s*\]|\s*[.\[=])|\bprototype\s*\]?\s*\[\s*['\"]?\w+['\"]?\s*\]\s*=|\bobject\s*\.\s*prototype\s*(?:\.\s*[\w$]+|\[[^\]]{1,40}\])\s*=\s*[^=\s]"),
    # React Server Components flight references (`"$7:Module:prototype"`) that walk into an object's prototype chain
    ("node:rsc_prototype_walk", 0.9, r"['\"]\$[0-9a-z@]{1,8}:(?:[\w$]+:){0,6}(?:prototype|constructor|__proto__)\b"),
    # endless loops as statements (`while(true){`, `while(1);`, a bare `while(true)`); `while(true) loop explained`
    # is a search. A new object (`while(new Date){}`) and a non-empty string literal are always true. Comments are
    # whitespace to a JS parser: `while/**/(!0)/**/{}` is the same loop
    ("node:dos_loop", 0.85, r"\bwhile(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\(+(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*(?:true|new\s+[a-z_$][\w$.]*(?:\s*\([^()]*\))?|'[^'\\]+'|\"[^\"\\]+\"|[+-]?infinity|[+-]?[1-9]\d*|this|!!\s*(?:\{\}|\[\]|\"\"|''|``|\w+)|!\s*(?:false|0|-0|\+0|null|undefined|nan|''|\"\"|``|\[\]\s*\[\s*0?\s*\]|void\s*0)|!!\s*\w+|\[\]|\{\}|-?[1-9]\d*)(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\)+(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*(?:[{;]|$)|\bfor(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\((?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*;(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*;(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\)|\bdo(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\{.*\}(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*while(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\((?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*(?:true|1)(?:\s|/\*(?:[^*]|\*+[^*/])*\*+/)*\)"),
    ("node:ssti", 0.9, r"#\{\s*(?:require|process|global|this|constructor|root)\b|\{\{\s*(?:range\.constructor|constructor\.constructor|this\.constructor|global\.process)|\brequire\s*\(\s*\w+\s*\)\s*\.\s*(?:spawn|exec|write|readfile)"),
    # --- Python / Perl / Ruby
    # dunder attributes reached through attribute/item access (`''.__class__`, `__globals__[`); one-liner
    # imports chained with `;`/`,` (`import socket,subprocess,os;`), not a markdown `import os` line
    ("python:injection", 0.95, r"\b__import__\s*\(|[.\['\"(|]\s*__(?:class|mro|subclasses|globals|builtins|bases|base|init|getattribute|reduce|dict|code|func_globals)__|__(?:class|mro|subclasses|globals|builtins|bases|base|init|getattribute|reduce|dict|code|func_globals)__\s*(?:\.\s*(?:__|[a-z_]\w*\s*[.(\[])|[\[(])|^\s*__(?:class|mro|subclasses|globals|builtins|bases|getattribute|reduce|func_globals)__\s*$|\bimport\s+(?:os|subprocess|socket|pty|sys)(?:\s*,\s*\w+)*\s*;\s*[a-z_]|\bfrom\s+(?:os|subprocess)\s+import\s+(?:system|popen|\*|exec\w*|spawn\w*|call|check_output|run|getoutput)|\bpickle\.loads\s*\(|\bcompile\s*\(.*,\s*['\"]exec['\"]|\bexec\s*\(\s*(?:compile|base64|__import__|open)|\bgetattr\s*\(\s*__builtins__"),
    # `os.system(`-style calls; one written between quotes and closed right after its `(` (`"subprocess.run(" shell=True`,
    # `'os.popen(' deprecated`) is a code search's phrase, unless a string concatenation follows it
    ("python:injection", 0.95, r"(?:^|[^'\"\w])" + _PY_CALL + _PY_ARG),
    ("python:injection", 0.95, r"['\"]" + _PY_CALL + r"\s*(?:[^'\"\s]|['\"](?:\S|\s*[+%]))"),
    ("perl:interpolation", 0.85, r"@\s*\{\s*\[\s*[^\]\s].*(?:\]|\}|$)"),
    # `system "…"`, `exec`, `qx`, and `open` with a pipe (`open(F, "|id")`); `open 'til 9` is not Perl
    # (`SYNO.Core.System","method"`: a dotted API name ending in System is no call; `{{ .System "id" }}` is one)
    ("perl:injection", 0.85, r"(?:^|[^.\w]|(?:^|[^\w])\.)(?:system|exec|qx)\s*\(?\s*['\"`][^'\"`]*['\"`]|\bopen\s*\(\s*(?:[\w$]+\s*,\s*)?['\"]\s*(?:\||[^'\"]*\|\s*['\"])|\bqx\s*[{/(\[|]|\bperl\s+-e\s*['\"]|\$\s*\{\s*\\\s*\(\s*(?:system|exec)|\bgetpwuid\s*\(\s*\$[<>]"),
    # `*_eval` with code after it or called as a method; the bare method name is a docs search
    # `%x{…}` is Ruby's command literal; Ruby is case-sensitive and `%X{requestId}` is a Log4j/Logback MDC pattern
    ("ruby:injection", 0.9, r"\b(?:process|kernel|io|open3|pty)\s*\.\s*(?:spawn|exec|system|popen\d?|capture\d?\w*|fork|open|spawn)\s*[\s(]|\bkernel\s*\.\s*\w+|(?-i:%x)\s*[({\[]|\bsyscall\s*\(|\b(?:instance|class|module)_eval\s*[({'\"]|\.\s*(?:instance|class|module)_eval\b|\bsend\s*\(\s*:(?:system|exec|eval)|\bobjectspace\s*\.|\berb\.new\s*\("),
    # YAML tags that make Psych / PyYAML / SnakeYAML-style loaders build objects or call functions (Psych's
    # `!ruby/object:Gem::Installer` gadget chain, PyYAML's `!!python/object/apply:os.system`); plain YAML has none
    ("ruby:yaml_object", 0.9, r"!ruby/(?:object|hash|struct|marshalable|class|module|exception|array|string)\s*:"),
    ("python:yaml_object", 0.9, r"!!python/(?:object(?:/(?:apply|new))?|name|module)\s*:|tag:yaml\.org,2002:python/(?:object|name|module)"),
    # `Marshal.load` of what a request carries (base64 text, params, cookies): Ruby's object deserialization
    ("ruby:marshal_load", 0.85, r"\bmarshal\s*\.\s*(?:load|restore)\s*\(\s*(?:base64\s*\.|[\w:.]*decode64|params\b|cookies\b|request\b)"),
    ("ruby:backticks_eval", 0.7, r"\b(?:eval|instance_eval)\s*\(\s*['\"]"),
    # a Marshal stream (`\x04\x08`; base64 `BAg`/`BAh`, a Rails session cookie) naming a gadget class
    ("ruby:marshal_gadget", 0.9, r"(?-i:^\s*BA[gh])[A-Za-z0-9+/_\-]*?" + _b64_any(_MARSHAL_GADGETS)
     + r"|\x04\x08.{0,600}?(?:deprecatedinstancevariableproxy|gem::(?:requirement|stubspecification|installer|specfetcher|"
       r"source::specificfetcher|requestset|package::tarreader|resolver::)|net::(?:writeadapter|bufferedio)|o:\x08erb\b)"),
    # a pickle calling a program-running function: GLOBAL (`cos\nsystem\n`), STACK_GLOBAL, or either in base64
    ("python:pickle_call", 0.9, r"(?:^|[\x00-\x20(.\x80-\xff])c(?:" + _PICKLE_MODS + r")\n(?:" + _PICKLE_FUNCS + r")\n|\x8c[\x01-\x10](?:"
     + _PICKLE_MODS + r")\x94?\x8c[\x01-\x20](?:" + _PICKLE_FUNCS + r")\b|" + _b64_any(_PICKLE_WORDS)),
    # .NET's ExpandedWrapper`2 pairing a class with an ObjectDataProvider (ysoserial.net's XmlSerializer/DataContract
    # gadget; DotNetNuke's DNNPersonalization cookie, CVE-2017-9822): the serializer calls the method the XML names. The
    # type is internal plumbing of WCF Data Services; no application sends its name
    ("dotnet:expanded_wrapper", 0.9, r"system\.data\.services\.internal\.expandedwrapper|expandedwrapperof\w*objectdataprovider|"
     r"expandedwrapper\W{1,3}2\s*\[\s*\[[^\]]{0,300}\]\s*,\s*\[\s*system\.windows\.data\.objectdataprovider"),
    # Nginx / PHP-FPM path info (`cgi.fix_pathinfo=1`): `/uploads/1337.jpg/x.php` runs the uploaded picture as PHP; a
    # file of a picture or text type is never a folder
    ("php:pathinfo_script", 0.85, r"\.(?:jpe?g|png|gif|bmp|webp|ico|svg|txt|pdf|css|avif|tiff?)/[^/?#\s]*\.(?:php\d?|phtml|phar|pht|phps)(?:$|[/?#\s])"),
    # a XAML ObjectDataProvider (or any markup extension) typed as a Process: ysoserial.net's XAML gadget
    ("dotnet:xaml_process", 0.9, r"\{\s*x\s*:\s*type\s+(?:[\w.]+\s*:\s*)?(?:system\.diagnostics\.)?process(?:startinfo)?\s*\}"),
    # Symfony's `_controller` (fragment renderer `/_fragment?_path=`, route defaults) holding a bare function name:
    # the framework calls it as a PHP callable; real controllers are `Class::method`, service ids or bundle notation
    ("php:symfony_callable", 0.85, r"(?:^|[&?;\s{,'\"])_controller['\"]?\s*[=:]\s*['\"]?\\?[a-z_][a-z0-9_]*\s*(?:['\"&;,}]|$)"),
    # --- spreadsheet formulas (CSV / formula injection): what a cell does when an exported file is opened
    # DDE: `APP|'TOPIC'!ITEM` asks Excel to start APP with TOPIC as its command line (`=cmd|' /C calc'!A0`, also after
    # `+`, `-`, `@` or inside arithmetic: `-2+3+cmd|…`, `@SUM(1+1)*cmd|…`). A program that runs commands is enough
    # anywhere; any other application name counts when the value is a formula. Plain formulas (`=SUM(A1:A3)`) are
    # spreadsheet content and stay clean (sqli.py / rce.py read them as formulas)
    ("formula:dde", 0.9, r"(?:^|[=+\-@*/&(,;\s'\"])(?:[a-z]:)?(?:[\w.]*\\)*(?:cmd|powershell|pwsh|msexcel|excel|rundll32|mshta|regsvr32|wscript|cscript|certutil|bitsadmin|msiexec|conhost|winword|explorer|wmic|calc|notepad|ddeauto)(?:\.exe)?\s*\|\s*'"),
    ("formula:dde", 0.85, r"^\s*['\"]?\s*[=+\-@][^\n|]{0,200}?[\w.]+\s*\|\s*'[^'\n]{0,300}'\s*!"),
    # LibreOffice's `=DDE("cmd";"/C calc";…)`, Word's `DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc"` field, and
    # Excel 4 macro calls into Windows DLLs (`=CALL("Kernel32","WinExec",…)`, `=REGISTER(…)`) or `=EXEC("calc")`
    ("formula:dde", 0.9, r"(?:^|[=+\-@*&(,;])\s*dde\s*\(\s*['\"]?\s*[\w.\\:]+|\bdde(?:auto)?\s+['\"]?[a-z]:\\|(?:^|[=+\-@*&(,;])\s*(?:call|register)\s*\(\s*['\"](?:kernel32|shell32|user32|urlmon|msvcrt|ntdll|advapi32)\b|^\s*[=+\-@]\s*exec\s*\(\s*['\"]"),
    # a formula fetching a URL it builds from a cell range or several cells (`=WEBSERVICE("http://x/?d="&A1&A2)`,
    # `=IMPORTXML(CONCAT("http://x/?v=", CONCATENATE(A2:E2)), "//a")`): it ships the sheet's data to that host when the
    # file is opened (HYPERLINK when clicked). One cell in a link or lookup (`"https://crm/customers/"&A2`,
    # `"https://www.google.com/search?q="&A2`) is how people build links and stays clean
    ("formula:exfiltration", 0.8, r"(?:^|[=+\-@(,;*&])\s*(?:webservice|importxml|importdata|importhtml|importfeed|image|hyperlink|filterxml)\s*\(\s*(?:(?:concat(?:enate)?|textjoin|join)\s*\(\s*)?['\"](?:https?:)?//[^'\"]*['\"]\s*[&,][^)]{0,80}?(?:(?:[\w.]+!)?\$?[a-z]{1,3}\$?\d+\s*:\s*\$?[a-z]{1,3}\$?\d+|\$?[a-z]{1,3}\$?\d+\s*&\s*\$?[a-z]{1,3}\$?\d+|[\w.]+!\$?[a-z]{1,3}\$?\d+)"),
]

# Android's NullPointerException text names the method it could not call (`Attempt to invoke virtual method
# 'int java.lang.String.length()' on a null object reference`): in a crash report that is a JDK call written as code.
_ANDROID_NPE = re.compile(r"attempt to (?:invoke (?:virtual|interface|static|direct|super) method|read from field|"
                          r"write to field) '[^'\n]{1,300}' on a null object reference", re.I)
_QUALIFIED_CALL = re.compile(next(rx for name, _s, rx in RULES if name == "java:qualified_call"), re.I | re.S)


def counts(rule: str, value: str) -> bool:
    """Whether a code-rule finding on this value stands (the engine drops it otherwise): a qualified JDK call only
    outside Android's null-reference messages."""
    if rule == "java:qualified_call" and "null object reference" in value.lower():
        return _QUALIFIED_CALL.search(_ANDROID_NPE.sub(" ", value)) is not None
    return True
