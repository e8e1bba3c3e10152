"""SQL injection: a SQL tokenizer run in the contexts a value can sit in (bare, inside '…', inside "…")."""
from __future__ import annotations

import functools
import re
from typing import Final

from sensor.detect.base import Finding

TYPE: Final = "sqli"
REPORT_FLOOR: Final = 0.3  # the engine's floor: weaker findings are not evidence of anything

# Patterns the engine matches on the raw bytes (sqli is one of its rule sets too): what the analyser cannot see.
RULES: Final[list[tuple[str, float, str]]] = [
    # a string closed and the rest of the query cut off with a NUL (`admin'\x00`): SQLite's C API and drivers that
    # pass C strings stop at the NUL, leaving `WHERE user='admin'` with the password clause dropped. The engine scans a
    # value with its NULs removed and one NUL appended when it had any (the analyser sees no NUL), so this reads "the
    # value's only quote closes it, then a NUL" -- after a login name, an id or an e-mail address: a random password
    # whose `\0` a decoder reads as a NUL (`)nQs>xc7^-\0hw%5-'`) is symbols, not a name
    ("sqli:null_truncation", 0.8, r"^[\w.@+\- ]{0,64}['\"][\s)]*\x00"),
    # a *name* (cookie, parameter) that is only an SQL line comment: the tail of a value cut at a raw `;` -- a Cookie
    # header splits `user=x';--` into `user=x'` and a bare crumb `--`, a `;`-separated query string `id=1;--` into
    # `id=1` and a name `--`. No site names a cookie or a field `--`; ending a statement and silencing the rest of the
    # query does (the engine counts this rule on `#key` points only, see _KEY_ONLY)
    ("sqli:comment_name", 0.6, r"^\s*--[\s\-+]*$"),
    # a *name* that is a backtick-quoted MySQL identifier (`` `password`=1 ``, `` `u`.`role`=1 ``): applications that
    # build `WHERE <name> = ?` from the request's keys (ORM filters, mass assignment) put it inside their own
    # backticks, which it closes; no form or client names a field with backticks (names only, see _KEY_ONLY: a value
    # spelled so is a markdown code span). Reported, not blocked: a name alone carries no payload, and CRS counts
    # such names only at paranoia level 3 (942511)
    ("sqli:backtick_name", 0.45, r"^\s*`[\w$]+`(?:\.`[\w$]+`)*\s*$"),
]

# Hyperscan pre-filter: a value without any of these cannot be SQL worth tokenizing.
TRIGGERS: Final = [
    r"['\"`]", r"--", r"#", r"/\*", r";", r"\bunion\b", r"\bselect\b", r"\b(?:and|or|xor|not|div|like|rlike|regexp|sounds)\b",
    # `@var` / `@@version` (T-SQL and MySQL variables), but not the `@` inside an address (`jane@example.com`): an
    # injection that names a variable after a word character carries another trigger anyway (a keyword, a quote, an
    # operator), and e-mail addresses are among the commonest benign values (tests/detect/test_tokenizer_shortcuts.py)
    r"&&", r"\|\|", r"\w\s*\(", r"@@\w", r"(?:^|[^\w.+\-])@\w", r"\b(?:insert|update|delete|drop|create|alter|truncate|exec|execute|declare|waitfor|shutdown|having|order|group|into|case|procedure)\b",
    r"^\s*['\"`]?\s*(?:xp_\w+|sp_\w+|utl_\w+|dbms_\w+|openrowset|opendatasource|msdasql|sqloledb|sys_context|pg_sleep|@@version)\s*['\"`]?\s*$",
    r"\b(?:information_schema|sysobjects|syscolumns|sqlite_master|pg_catalog|mysql\.user|pg_shadow|msysobjects|dual)\b",
    r"\b0x[0-9a-f]{4,}", r"[=<>!]", r"::", r"^\s*(?:xor|regexp|rlike|order\s+by|group\s+by)\s*$", r"'\s*\?", r"->|\|\||&&|>>|<<", r"^\s*(?:mysql\.db|msysaccessobjects|northwind|schema_name|table_name|column_name|sp_executesql|4294967296|4294967295|2147483648|2147483647|2\.2250738585072011e-308)\s*$", r"\xe2\x80[\x98\x99]|\xc2\xb4", r"\b(?:from|where|limit|like|null|as|collate)\b", r"\)\s*(?:when|then)\b", r"\w\W{0,4}\($", r"\d\.e[(.,]", r"(?:%[a-z]){3}", r"^\s*(?:msdb|n?varchar2?|nchar|tempdb)\s*$",
    r"^\s*-?(?:214748364|429496729|922337203685477580|1844674407370955161)\d\s*$",  # integer edges (_INT_EDGES)
    r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)e\+?\d{3,}\s*$",  # a float past a double's range (out_of_range)
    r"^[\w\-]{1,64}\[[\w\-]{1,64}\]$",  # `password[password]` (a form name): mysqljs object expansion (_SELF_KEY)
]
# Keywords a filter may strip once, nested inside themselves: `UNIunionON` is UNION after the filter.
_NESTABLE: Final = ("union", "select", "from", "where", "and", "or", "xor", "order", "group", "having", "insert", "update",
                    "delete", "drop", "sleep", "benchmark", "concat", "null", "table", "limit", "into", "exec", "waitfor")
_NESTED_FORMS: Final = {w[:k] + w + w[k:]: w for w in _NESTABLE for k in range(len(w) + 1)}
TRIGGERS.append(r"\b(?:" + "|".join(_NESTED_FORMS) + r")\b")

_E: Final = {"select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute", "declare",
             "shutdown", "waitfor", "grant", "revoke", "rename", "handler", "load", "call", "merge", "replace", "set", "use",
             "begin", "commit", "rollback", "kill", "deallocate", "prepare", "show", "describe", "desc"}
_STMT_STRONG: Final = {"select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute",
                       "declare", "shutdown", "waitfor", "grant", "load", "handler", "deallocate", "prepare", "kill", "rename",
                       "call", "merge", "revoke"}
_K: Final = {"from", "where", "into", "values", "table", "database", "order", "group", "by", "having", "limit", "offset",
             "procedure", "delay", "case", "when", "then", "else", "end", "join", "on", "as", "distinct", "all", "top",
             "outfile", "dumpfile", "asc", "elseif", "exists", "union", "char", "nchar", "varchar", "columns", "schema",
             "tables", "inner", "outer", "left", "right", "cross", "natural", "straight_join", "sql_calc_found_rows",
             "information_schema", "lock", "share", "mode", "for", "xml", "path", "raw", "explicit", "returning", "with",
             "recursive", "over", "partition", "fetch", "next", "rows", "only", "time", "zone", "interval", "binary", "escape",
             "default", "key", "primary", "using", "instead", "of", "if", "while", "loop", "begin", "return", "function"}
_LOGIC: Final = {"and", "or", "xor", "&&", "||"}
_OPW: Final = {"not", "like", "rlike", "regexp", "is", "in", "between", "div", "mod", "sounds", "collate", "glob", "match",
               "against", "ilike", "similar", "escape", "notnull", "isnull", "any", "some"}
_CONST: Final = {"null", "true", "false", "unknown", "current_user", "current_date", "current_time", "current_timestamp",
                 "session_user", "system_user", "localtime", "localtimestamp", "user", "dual"}
# Functions whose names do not occur in prose: a call is a strong signal even with spaces before '('.
_FUNC_STRONG: Final = {
    "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sys_eval", "sys_exec",
    "group_concat", "concat_ws", "substring_index", "unhex", "name_const", "make_set", "export_set", "geometrycollection",
    "multipoint", "polygon", "linestring", "multilinestring", "multipolygon", "json_keys", "json_extract", "gtid_subset",
    "utl_inaddr.get_host_address", "utl_http.request", "dbms_pipe.receive_message", "dbms_lock.sleep", "ctxsys.drithsx.sn",
    "dbms_xmlgen.getxml", "xmltype", "sp_executesql", "sp_oacreate", "sp_makewebtask", "openrowset", "opendatasource",
    "pg_read_file", "pg_ls_dir", "lo_import", "lo_export", "randomblob", "sqlite_version", "load_extension", "procedure_analyse",
    "char_length", "character_length", "octet_length", "bit_length", "string_agg", "array_agg", "xmlagg", "listagg",
    "substr", "substring", "mid", "ascii", "ord", "hex", "bin", "conv", "concat", "chr", "nchar", "char", "cast",
    "convert", "ifnull", "isnull", "nullif", "coalesce", "elt", "field", "instr", "locate", "position", "lpad", "rpad",
    "md5", "sha1", "sha2", "crc32", "rand", "floor", "ceil", "ceiling", "version", "database", "schema", "current_user",
    "session_user", "system_user", "user_name", "db_name", "host_name", "suser_name", "suser_sname", "is_srvrolemember",
    "has_dbaccess", "object_id", "object_name", "col_name", "table_name", "quotename", "unistr", "utl_raw.cast_to_varchar2",
    "to_char", "to_number", "to_date", "nvl", "nvl2", "decode", "regexp_substr", "regexp_like", "regexp_replace",
    "xmlelement", "extract", "waitfor", "exec", "execute", "if", "iif", "case", "char", "json_object", "json_array",
    "row", "exists", "strcmp", "soundex", "uuid", "connection_id", "last_insert_id", "row_count", "found_rows",
    "benchmark", "current_setting", "pg_client_encoding", "inet_server_addr", "txid_current", "array_to_string",
    "query_to_xml", "generate_series", "sp_password", "fn_varbintohexstr", "fn_sqlvarbasetostr", "master.dbo.fn_varbintohexstr",
    "changes", "total_changes", "typeof", "zeroblob", "likelihood", "unicode", "trim", "ltrim", "rtrim", "reverse",
    "repeat", "space", "upper", "lower", "ucase", "lcase", "length", "len", "datalength", "count", "sum", "avg", "min",
    "max", "now", "sysdate", "getdate", "curdate", "curtime", "date_format", "from_unixtime", "unix_timestamp",
    "str_to_date", "dayname", "week", "abs", "exp", "pow", "power", "sqrt", "log", "ln", "mod", "round", "truncate",
    "greatest", "least", "format", "insert", "replace", "left", "right", "date", "time", "year", "month", "day",
    "hour", "minute", "second", "interval", "sign", "pi", "rownum", "find_in_set", "aes_encrypt", "aes_decrypt",
    "des_encrypt", "encode", "compress", "uncompress", "from_base64", "to_base64", "weight_string", "password",
    "old_password", "encrypt", "bit_and", "bit_or", "bit_xor", "std", "stddev", "variance", "any_value", "st_latfromgeohash",
    "st_longfromgeohash", "st_pointfromgeohash", "polyfromtext", "geomfromtext", "exp", "isnull", "sleep",
    "div", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "degrees", "radians", "lo_get", "user",
}
# Words that are common in prose too: only count as calls when '(' follows immediately.
_FUNC_PROSE: Final = {"if", "case", "char", "left", "right", "date", "time", "year", "month", "day", "hour", "minute", "second",
                      "count", "sum", "min", "max", "avg", "now", "round", "sign", "space", "repeat", "reverse", "trim", "format",
                      "insert", "replace", "length", "len", "lower", "upper", "log", "power", "position", "field", "version",
                      "database", "schema", "interval", "encode", "decode", "password", "row", "exists", "extract", "week",
                      "abs", "exp", "pi", "mod", "least", "greatest", "cast", "convert", "user", "ln", "md5", "sqrt", "std",
                      "match", "truncate", "uuid", "unicode", "locate", "instr", "elt", "soundex", "encrypt", "compress",
                      "std", "pow", "ceil", "floor", "rand", "mid", "bin", "hex", "ord", "ascii", "chr", "concat", "typeof",
                      "changes", "nchar", "lpad", "rpad", "to_char", "execute", "exec", "waitfor", "sin", "cos", "tan", "cot", "degrees", "radians", "asin", "acos",
                      "atan", "atan2"}
_FUNC_SIGNAL: Final = {"lo_get", "lo_import", "lo_export", "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sys_eval",
                       "sys_exec", "group_concat", "concat_ws", "name_const", "dbms_pipe.receive_message", "dbms_lock.sleep",
                       "utl_inaddr.get_host_address", "utl_http.request", "randomblob", "load_extension", "pg_read_file",
                       "openrowset", "sp_oacreate", "xmltype", "json_keys", "gtid_subset", "procedure_analyse", "unistr",
                       "ctxsys.drithsx.sn", "dbms_xmlgen.getxml", "sqlite_version", "make_set", "export_set",
                       # lock waits, file and network access, catalog probes: DBMS-specific names no prose or formula uses
                       "get_lock", "release_lock", "is_free_lock", "is_used_lock", "master_pos_wait", "source_pos_wait",
                       "sys_get", "pg_read_binary_file", "pg_stat_file", "dblink", "dblink_exec", "dblink_connect",
                       "lo_from_bytea", "current_database", "inet_client_addr", "sqlite_source_id", "sqlite_compileoption_used",
                       "sqlite_compileoption_get", "serverproperty", "has_perms_by_name", "fn_xe_file_target_read_file",
                       "fn_get_audit_file", "fn_trace_gettable", "openquery", "openxml", "utl_inaddr.get_host_name",
                       "dbms_ldap.init", "httpuritype", "xdburitype", "dbms_java.runjava", "ordsys.ord_dicom.getmappingxpath",
                       "dbms_aw.interp", "dbms_utility.sqlid_to_sqlhash", "sys.dbms_export_extension", "is_srvrolemember",
                       "pg_terminate_backend", "pg_cancel_backend", "query_to_xml", "database_to_xml", "table_to_xml",
                       "sys.fn_sqlvarbasetostr", "fn_varbintohexstr", "xp_fileexist", "xp_dirtree", "xp_regread", "json_extract",
                       "name_const", "sys_context", "st_latfromgeohash", "st_longfromgeohash", "st_pointfromgeohash", "gtid_subtract"}
# More SQL function names, from the vocabulary of OWASP CRS 4.25 rule 942151 ("SQL function name detected",
# Apache-2.0; PostgreSQL JSON functions, MySQL date/network functions, Oracle raw/dump) plus MySQL's and MSSQL's
# JSON functions. They count as calls only where SQL puts an operand (after a logic word, a comparison, `(`, `,`,
# SELECT...): alone (`log2(8)`, `datediff(a, b)`) they are formulas and code as often as probes. Names without `_`
# are words too (`dump`, `weekday`): they need `(` right after them.
_FUNC_CRS4: Final = frozenset("""
    adddate addtime asciistr bin_to_num bit_count coercibility collation convert_tz date_add date_sub datediff
    dayofmonth dayofweek dayofyear des_decrypt dump ends_with field_in_set from_days get_format getpgusername
    hextoraw inet6_aton inet6_ntoa inet_aton inet_ntoa is_ipv4 is_ipv4_compat is_ipv4_mapped is_ipv6
    is_superuser json_agg json_array_elements json_array_elements_text json_array_length json_build_array
    json_build_object json_contains json_contains_path json_depth json_each json_each_text json_extract_path
    json_extract_path_text json_length json_object_agg json_object_keys json_overlaps json_populate_record
    json_populate_recordset json_query json_quote json_search json_strip_nulls json_to_record json_to_recordset
    json_type json_typeof json_unquote json_valid json_value jsonb_array jsonb_array_elements
    jsonb_array_elements_text jsonb_array_length jsonb_build_array jsonb_build_object jsonb_each jsonb_each_text
    jsonb_exists jsonb_extract_path jsonb_extract_path_text jsonb_insert jsonb_object jsonb_object_agg
    jsonb_object_keys jsonb_path_exists jsonb_path_exists_tz jsonb_path_match jsonb_path_match_tz
    jsonb_path_query jsonb_path_query_array jsonb_path_query_array_tz jsonb_path_query_first
    jsonb_path_query_first_tz jsonb_path_query_tz jsonb_populate_record jsonb_populate_recordset jsonb_pretty
    jsonb_set jsonb_set_lax jsonb_strip_nulls jsonb_to_record jsonb_to_recordset jsonb_typeof last_day lo_put
    log10 log2 makedate microsecond monthname period_add period_diff pg_database pg_largeobject pg_user rawtohex
    row_to_json sec_to_time starts_with stddev_pop stddev_samp subdate subtime time_format time_to_sec timediff
    timestampadd timestampdiff to_json to_jsonb uncompressed_length use_json_null utc_date utc_time
    utc_timestamp uuid_short var_pop var_samp weekday weekofyear yearweek
""".split())
_OPERAND_WORDS: Final = {"select", "where", "when", "then", "else", "by", "having", "case", "not", "like", "rlike", "regexp",
                         "in", "is", "return", "and", "or", "xor", "between", "div", "mod", "values", "on"}


def _operand_slot(prev: Tok, first: bool) -> bool:
    """The token before a word puts it where SQL expects an operand (`and f(`, `=f(`, `(f(`, `select f(`)."""
    if prev.t in ("&", "(", ","):
        return True
    if prev.t == "o" and not prev.v.isalpha():
        return not (first and prev.v == "=")  # a value that starts with `=` is a spreadsheet formula
    return prev.v in _OPERAND_WORDS


_TABLES: Final = re.compile(r"information_schema|sysobjects|syscolumns|sysusers|sqlite_master|sqlite_temp_master|pg_catalog|"
                            r"pg_shadow|pg_user|pg_database|mysql\.user|mysql\.db|msysobjects|msysaccessobjects|all_tables|"
                            r"user_tables|all_tab_columns|user_tab_columns|dba_users|sys\.tables|sys\.objects|sys\.columns|"
                            r"master\.\.sysdatabases|master\.dbo|sysdatabases|sys\.sql_logins|v\$version|v\$instance")
# Every name above holds one of these: a few substring tests rule out most values before the regex scans them all
# (the search cost 4 µs on a line of prose; tests/detect/test_tokenizer_shortcuts.py checks the list covers them).
_TABLE_MARKS: Final = ("sys", "schema", "sqlite", "pg_", "mysql.", "_tab", "dba_", "master.", "v$")


def _catalog(s: str) -> bool:
    """`s` names a system catalog table (_TABLES)."""
    for mark in _TABLE_MARKS:
        if mark in s:
            return _TABLES.search(s) is not None
    return False


def names_catalog(value: str) -> bool:
    """`value` names a system catalog table in any case (`INFORMATION_SCHEMA`, `mysql.db`): a probe even alone."""
    return _catalog(value.lower())


# /*!50000 code */ is executed by MySQL, /*M!100000 code */ by MariaDB: drop the opener so the code reads as code.
# Optimizer hints (/*+ … */) stay comments: their content is not SQL that runs.
_VERSION_COMMENT: Final = re.compile(r"/\*m?!\d*")
_WS: Final = " \t\r\n\x0b\x0c\xa0"
_OPS3: Final = ("<=>", "!<>", "->>", "#>>", "===", "!==")
_OPS2: Final = ("==", "<=", ">=", "<>", "!=", "||", "&&", ":=", "::", "<<", ">>", "!<", "!>", "^=", "|=", "&=", "->", "<@", "@>", "#>", "?|", "?&")
_WORD: Final = re.compile(r"[a-z_$\x80-\uffff][a-z0-9_$\x80-\uffff]*(?:\.[a-z_$][a-z0-9_$]*)*")
# A float (`1.0`, `.1`, `1e0`) can never begin an identifier, so MySQL ends it before a following keyword: `1e0union`.
_FLOAT: Final = re.compile(r"[.e]")
# Schemas and packages of the databases themselves (Oracle's supplied PL/SQL packages -- DBMS_*, UTL_*, USER_LOCK,
# OWA_*, CTX_* per the "PL/SQL Packages and Types Reference" -- and the system schemas of MSSQL, PostgreSQL, MySQL,
# DB2): what qualifies a database function in an injection, never an object of a programming language.
_DB_QUALIFIER: Final = re.compile(r"(?:dbms_|utl_|user_lock|owa_|ctx_|ctxsys|ordsys|mdsys|xdb|sys|master|msdb|dbo|pg_catalog|public|mysql|information_schema|sysibm|sysproc)[a-z0-9_]*\.")
_NUM: Final = re.compile(r"0x[0-9a-f]+|0b[01]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?")


# Token class of a word, first set wins: compound-query operators (U), logic, statements, operator words,
# constants, keywords; anything else is a bare name (n).
_WORD_CLASS: Final[dict[str, str]] = {}
for _cls, _words in (("k", _K), ("t", _CONST), ("o", _OPW), ("E", _E), ("&", _LOGIC), ("U", ("union", "except", "intersect"))):
    _WORD_CLASS.update(dict.fromkeys(_words, _cls))  # later (higher-priority) sets overwrite earlier ones


class Tok:
    __slots__ = ("t", "v", "closed")

    def __init__(self, t: str, v: str, closed: bool = True) -> None:
        self.t, self.v, self.closed = t, v, closed

    def __repr__(self) -> str:
        return f"{self.t}:{self.v}"


@functools.lru_cache(maxsize=4096)
def _tok(t: str, v: str) -> Tok:
    """A shared token for words and punctuation (tokens are never modified; most are the same few hundred)."""
    return Tok(t, v)


# Letters that prefix a string literal (hex, bit, national, PostgreSQL escape) and charset introducers (`_utf8'x'`).
_STR_PREFIX: Final = {"x", "b", "n", "e"}
_CHARSETS: Final = {"utf8", "utf8mb4", "latin1", "binary", "ascii", "ucs2", "utf16", "utf32", "cp1251", "gbk", "big5", "sjis"}
# Inside a string: everything but the closing quote and (outside backticks) the backslash escape.
_STR_PLAIN: Final = {"'": re.compile(r"[^'\\]+"), '"': re.compile(r'[^"\\]+'), "`": re.compile(r"[^`]+")}


def _skip_comments(s: str, k: int) -> int:
    """Index after the closed `/*…*/` comments and blanks starting at k (k itself when the first is unclosed)."""
    n = len(s)
    while k + 1 < n and s[k] == "/" and s[k + 1] == "*":
        j = s.find("*/", k + 2)
        if j < 0:
            return k
        k = j + 2
        while k < n and s[k] in _WS:
            k += 1
    return k


def tokenize(s: str, max_tokens: int = 200) -> list[Tok]:
    """Tokens of `s` (lower-cased): s string, 1 number, E statement, k keyword, & logic, o operator, f function,
    n bareword, v variable, t constant, c comment, ( ) , ; . and ? for anything else."""
    plain = s.replace(" ", "")
    if plain.isascii() and plain.isalpha() and plain.islower():
        # Lower-case words and blanks only (prose: most values the pre-filter sends here, for an `and` or a `from`):
        # scan_tokens would make one word token per word and nothing else (tests/detect/test_tokenizer_shortcuts.py compares)
        words = s.split()
        return [_tok(_WORD_CLASS.get(w, "n"), w) for w in (words[:max_tokens] if len(words) > max_tokens else words)]
    return scan_tokens(s, max_tokens)


def scan_tokens(s: str, max_tokens: int = 200) -> list[Tok]:
    """tokenize's general path: any text, character by character."""
    out: list[Tok] = []
    i, n = 0, len(s)
    while i < n and len(out) < max_tokens:
        ch = s[i]
        if ch in _WS:
            i += 1
            continue
        # Words are most tokens: try them first (no branch below starts with a letter or `_`).
        m = _WORD.match(s, i) if ch.isalpha() or ch == "_" else None
        if m is None:
            if ch == "/" and s.startswith("/*", i):
                j = s.find("*/", i + 2)
                end = n if j < 0 else j + 2
                out.append(Tok("c", s[i:end]))
                i = end
                continue
            if ch == "*" and s.startswith("*/", i):
                out.append(Tok("c", "*/"))
                i += 2
                continue
            if ch == "-" and s.startswith("--", i) or ch == "#" and not s.startswith("#>", i) and not (i > 0 and s[i - 1] == "&"):
                j = s.find("\n", i)
                end = n if j < 0 else j
                out.append(Tok("c", s[i:end]))
                i = end
                continue
            if ch in "'\"`":
                j = i + 1
                buf = []
                closed = False
                plain = _STR_PLAIN[ch].match
                while j < n:
                    m = plain(s, j)
                    if m is not None:  # the string's ordinary characters in one step
                        buf.append(m.group())
                        j = m.end()
                        if j >= n:
                            break
                    c = s[j]
                    if c == "\\" and ch != "`":
                        buf.append(s[j:j + 2])
                        j += 2
                        continue
                    if c == ch:
                        if j + 1 < n and s[j + 1] == ch:
                            buf.append(c)
                            j += 2
                            continue
                        closed = True
                        j += 1
                        break
                    buf.append(c)
                    j += 1
                out.append(Tok("n" if ch == "`" else "s", "".join(buf), closed))
                i = j
                continue
            if ch.isdigit() or ch == "." and i + 1 < n and s[i + 1].isdigit():
                m = _NUM.match(s, i)
                if m:
                    out.append(Tok("1", m.group()))
                    i = m.end()
                    if i < n and (s[i].isalpha() or s[i] == "_"):  # 1abc: an identifier in MySQL, a word in prose
                        m2 = _WORD.match(s, i)
                        if m2 and (m2.group() not in _WORD_CLASS or not _FLOAT.search(m.group())):
                            out[-1] = Tok("n", m.group() + m2.group())
                            i = m2.end()
                    continue
            if ch == "\\" and s.startswith("\\n", i):
                m2 = _WORD.match(s, i + 2)
                if m2 is None or m2.group() in _WORD_CLASS:  # MySQL's `\N` is NULL: `\Nunion select` needs no blank
                    out.append(_tok("t", "null"))
                    i += 2
                    continue
            if ch == "@" and s.startswith("@>", i):
                out.append(Tok("o", "@>"))
                i += 2
                continue
            if ch == "@":
                j = i + 1
                while j < n and s[j] == "@":
                    j += 1
                m = _WORD.match(s, j)
                if m and j == i + 1 and i > 0 and (s[i - 1].isalnum() or s[i - 1] == "_") and out and "." in m.group():
                    out[-1] = Tok("n", out[-1].v + s[i:m.end()])  # `select@company.com`: an e-mail address
                    i = m.end()
                    continue
                if m:
                    out.append(Tok("v", s[i:m.end()]))
                    i = m.end()
                    continue
                out.append(Tok("?", ch))
                i += 1
                continue
            m = _WORD.match(s, i)
        if m:
            w = m.group()
            i = m.end()
            if i < n and s[i] == "'" and (w in _STR_PREFIX or w[0] == "_" and w[1:] in _CHARSETS):
                continue  # X'41', B'01', N'text', _utf8'x': the word is part of the string literal after it
            k = i
            while k < n and s[k] in _WS:
                k += 1
            tight = i < n and s[i] == "("
            if k + 1 < n and s[k] == "/" and s[k + 1] == "*":
                # `sleep/**/(5)`: to SQL a comment is blank space; putting one before `(` only hides the call
                k = _skip_comments(s, k)
                tight = True
            paren = k < n and s[k] == "("
            if "." in w and paren and w.rsplit(".", 1)[1] in _FUNC_SIGNAL:
                # `sys.dbms_lock.sleep(5)` calls the database; `Thread.sleep(1000)`, `time.sleep(5)` may be code:
                # a call qualified by any other name is marked open (closed=False) and needs SQL around it
                out.append(Tok("f", w.rsplit(".", 1)[1], bool(_DB_QUALIFIER.match(w))))
            elif paren and (w in _FUNC_STRONG and (tight or w not in _FUNC_PROSE) or w in _FUNC_SIGNAL):
                out.append(Tok("f", w))
            elif paren and w in _FUNC_CRS4 and out and (tight or "_" in w) and _operand_slot(out[-1], len(out) == 1):
                out.append(Tok("f", w))
            else:
                out.append(_tok(_WORD_CLASS.get(w, "n"), w))
            continue
        if ch in "(),;.":
            # a dot not followed by a name (`from delivery.</p>`, `from Lisbon. See`) ends a sentence: marked open
            out.append(Tok(".", ".", False) if ch == "." and (i + 1 >= n or not (s[i + 1].isalnum() or s[i + 1] in "_`\"["))
                       else _tok(ch, ch))
            i += 1
            continue
        three, two = s[i:i + 3], s[i:i + 2]
        if three in _OPS3:
            out.append(_tok("o", three))
            i += 3
        elif two in _OPS2:
            out.append(_tok("&" if two in ("||", "&&") else "o", two))
            i += 2
        elif ch in "=<>!|&^~+-*/%?":
            out.append(_tok("o", ch))
            i += 1
        else:
            out.append(Tok("?", ch))
            i += 1
    return out


_LITERAL: Final = {"1", "s", "t", "v"}
_ONE_LETTER_VAR: Final = re.compile(r"@@+[a-z]\d*$")
_EXPR_START: Final = {"1", "s", "n", "t", "(", "f", "v", "E"}
_CMP: Final = {"=", "==", "===", "!==", "<", ">", "<=", ">=", "<>", "!=", "!<", "!>", "<=>", "like", "rlike", "regexp", "is", "in", "between", "sounds",
               "glob", "ilike", "not", "similar"}


_IS_OPERANDS: Final = {"null", "true", "false", "unknown", "distinct"}
# Second words of two-word comparison operators (`not like`, `sounds like`, `is not`, `not between`).
_CMP_TAIL: Final = {"like", "rlike", "regexp", "in", "between", "null", "not", "ilike", "similar", "glob"}
# Arithmetic that turns two literals into a value (`1 div 0`, `2*3`); `/` and `-` stay out (`2 and 1/2 cups`).
_ARITH_WORDS: Final = {"div", "mod", "*", "%", "^", "<<", ">>", "|", "&"}
_JOINS: Final = ("join", "inner", "left", "right", "cross", "natural", "straight_join")
# Clause words that continue a query after a breakout quote (`'union select`, `'order by 3`, `' inner join t on`).
_CLAUSE_WORDS: Final = frozenset(("union", "having", "order", "group", "limit", "procedure", "into", "where", "from") + _JOINS)
_ORDER: Final = {"<", ">", "<=", ">="}
# Operators that need an operand after them: a logic word right after one is a syntax error in every dialect.
_DANGLING_OPS: Final = {"~", "+", "-", "*", "/", "^", "<<", ">>"}
_ARITH: Final = {"+", "-", "*", "/", "%", "^", "|", "&", "<<", ">>", "div", "mod"}


def _skip_arith(toks: list[Tok], j: int) -> int:
    """Index of the last operand of `lit op lit op lit…` starting at the literal toks[j]."""
    while j + 2 < len(toks) and toks[j + 1].v in _ARITH and toks[j + 2].t in ("1", "t"):
        j += 2
    return j


def _truthy_operand(a: Tok, left: Tok | None) -> bool:
    """A lone operand after AND/OR that makes a boolean probe: a constant, a variable, 0/1, or the same number as
    the left side (`1 or 1`); `sizes 8 and 10`, `5 or 6` are ranges in prose."""
    if a.t != "1" or left is None:
        return True  # a value that *starts* with `or 88` continues a condition the application wrote
    return a.v in ("0", "1") or left.t == "1" and left.v == a.v


def _compare_after(toks: list[Tok], i: int, left: Tok | None = None) -> float:
    """Score the expression starting at toks[i] (after a logic operator); `left` is the operand before it."""
    if i >= len(toks):
        return 0.0
    t = toks[i]
    j = i
    opened = 0
    while j < len(toks) and toks[j].t in ("(", "o") and toks[j].v in ("(", "not", "!", "-", "+", "~"):
        opened += toks[j].t == "("
        j += 1
    if j >= len(toks):
        return 0.5 if t.t in ("(",) else 0.0
    a = toks[j]
    if a.t == "f" and a.v in _FUNC_CRS4:
        # a name of the wider vocabulary is a call only in SQL's shape: its value compared, or the condition ending
        # (`and log2(x) for scale` is a sentence)
        k = _call_end(toks, j)
        return 0.9 if k < 0 or k + 1 == len(toks) or toks[k + 1].t in ("o", "&", ")", ";") else 0.0
    if a.t == "f":
        return 0.9
    if a.t == "E" and a.v == "select":
        # `and select from the best` is prose: SELECT needs a select list (column, literal, call, `*`)
        b = toks[j + 1] if j + 1 < len(toks) else None
        return 0.9 if b is None or b.t in ("f", "v", "1", "s", "t", "(", "n") and not _prose_run(toks, j + 1) or b.v == "*" else 0.0
    if a.t in ("1", "s", "t", "v", "n"):
        if a.t == "1":
            j = _skip_arith(toks, j)  # `2+342-342-1=0+0+0+1`: the left side may be a computation
        while opened and j + 2 < len(toks) and toks[j + 1].t == ")" and toks[j + 2].t in ("o", ")"):
            j += 1  # `(id)='1`, `((1))=1`: the operand's own parentheses close before the comparison
            opened -= 1
        while a.t == "n" and j + 2 < len(toks) and toks[j + 1].v in ("->", "->>") and toks[j + 2].t in ("s", "1") \
                and toks[j + 2].closed:
            j += 2  # `attrs->>'$.role'`, `data->'a'->>'b'`: a JSON extraction (MySQL, PostgreSQL) is the operand compared
        if a.t == "v" and j + 2 < len(toks) and toks[j + 1].v == ":=" and toks[j + 2].t in _EXPR_START:
            return 0.9  # `and (@x:=1)=1`: a user-variable assignment inside a condition, MySQL only
        if j + 2 < len(toks) and toks[j + 1].t == "o" and toks[j + 1].v in _CMP:
            k = j + 2
            if toks[k].t == "o" and toks[k].v in _CMP_TAIL and toks[j + 1].v in ("not", "sounds", "is") and k + 1 < len(toks) \
                    or toks[j + 1].v == "similar" and toks[k].v == "to" and k + 1 < len(toks):
                k += 1  # two-word operator (`not like`, PostgreSQL's `similar to`): the operand follows its second word
            if toks[k].v == "binary" and k + 1 < len(toks):
                k += 1  # MySQL's BINARY cast before the operand: `regexp binary 0x31`
            b = toks[k]
            if toks[k - 1].v == "in" and b.v != "(":
                return 0.0  # SQL's IN takes a list: `'to' in the dropdown` is English
            if toks[j + 1].v == "is" and b.t == "n" and b.v not in _IS_OPERANDS and a.v != b.v:
                # IS takes NULL, TRUE, FALSE, UNKNOWN (SQLite: any value), not a word: `3 or 4 is fine` is English
                return 0.0
            if b.t in _LITERAL and k + 1 < len(toks) and (toks[k + 1].t in ("n", "1", "?") or toks[k + 1].v in ("<", "/")):
                return 0.5  # `10 > 5</p>`, `2 > 1 apples`: the comparison runs on into markup or words
            if b.t in _LITERAL or b.t in ("f", "(") or b.t == "n" and a.t == "n" and a.v == b.v:
                return 0.9
            if b.t == "n" and a.t in _LITERAL:
                return 0.7
            return 0.5
        if j + 1 < len(toks) and toks[j + 1].t == "c" and a.t != "n":
            return 0.8
        if j + 1 == len(toks) and a.t in ("1", "t", "v"):
            return 0.7 if _truthy_operand(a, left) else 0.45
        if a.t in ("1", "t") and j + 1 < len(toks) and toks[j + 1].t in ("&", ")", ";"):
            return 0.7 if _truthy_operand(a, left) else 0.45
        if a.t == "1" and j + 2 < len(toks) and toks[j + 1].v in _ARITH_WORDS and toks[j + 2].t in ("1", "t") and \
                (j + 3 == len(toks) or toks[j + 3].t in ("c", "&", ")", ";")):
            return 0.7  # `and 1 div 0`, `or 2*3`: a computed truth value
        if j + 1 < len(toks) and toks[j + 1].t == "o" and toks[j + 1].v != "?" and j + 2 == len(toks):
            return 0.7  # `or x=` cut off; a trailing `?` is a question mark (`yes or no?`)
    return 0.0


def _judge(toks: list[Tok], ctx: str, inword: bool = False, in_call: bool = False) -> tuple[float, str]:
    """Best (score, rule) for one token stream; `ctx` is the quote the value was assumed to start inside, `inword`
    tells that the value's first such quote sits between two letters (`l'union`, `O'Brien`), `in_call` that it
    follows a `(` or a markup attribute's `=` (`execute('SELECT 1')`, `<a href="#top">`: the quote opens an
    argument or an attribute value, it closes nothing)."""
    best, rule = 0.0, ""
    sig = [t for t in toks if t.t != "c"]
    ncomments = len(toks) - len(sig)
    nt = len(sig)

    # One whole SELECT written as code -- it ends in its own `;`, or holds a template tag no SQL parses -- runs only
    # where the application executes the value as its statement (a BI tool, an exercise runner): a subquery slot
    # `IN (…)` rejects the `;`. Its clauses are its own; what carries a payload (a signal function, a catalog table,
    # UNION, a second statement, INTO OUTFILE) still counts.
    code_stmt = not ctx and not ncomments and nt > 3 and sig[0].v == "select" and _balanced(sig) and \
        (sig[-1].t == ";" and sum(x.t == ";" for x in sig) == 1 or _unparseable(sig))

    # `spark.sql("SELECT … WHERE dt = '…' AND x IN (…)")`: a quote right after `(` opens the argument a whole SELECT
    # is (see quoted_arg below); its clauses are the argument's own, capped as a code statement's are
    quoted_arg_stmt = bool(ctx) and in_call and nt > 2 and sig[1].v == "select" and toks[-1].t != "c"
    pipe_table = any(sig[k].v == "|" and sig[k + 1].v == "-" and sig[k + 2].v in ("|", "!") for k in range(nt - 2))
    # a logic word right after an operator that wants an operand (`~||`, `-or`): the statement does not parse, so no
    # condition in it is evaluated (a `;` would end the statement before it: then the reading stays)
    dangling = any(sig[k].t == "&" and sig[k - 1].t == "o" and sig[k - 1].v in _DANGLING_OPS for k in range(1, nt)) \
        and not any(x.t == ";" for x in sig)

    def take(score: float, name: str) -> None:
        nonlocal best, rule
        if (code_stmt or quoted_arg_stmt) and name in _CODE_STMT_RULES and (score < 0.9 or name == "sqli:select_from"):
            score = min(score, 0.45)
        if score > best:
            best, rule = score, name

    for i, t in enumerate(sig):
        nxt = sig[i + 1] if i + 1 < nt else None
        if t.t == "U":
            j = i + 1
            while j < nt and (sig[j].v in ("all", "distinct", "distinctrow", "(")):
                j += 1
            if j < nt and sig[j].v == "select":
                # `trade union select committee`: a word before UNION and only words after SELECT is an English
                # name (an injected UNION follows a value, a quote or a bracket, and selects columns or literals)
                prose = not ctx and not ncomments and i > 0 and sig[i - 1].t == "n" and j + 1 < nt and \
                    all(x.t == "n" and "." not in x.v and "_" not in x.v for x in sig[j + 1:]) and \
                    all(x.t in ("n", "U", "E") for x in sig[:i])
                # ... nor a select list no database parses: `union select tickets 2024` (a search) puts a number
                # right after a column, where only `,`, an operator, an alias word or FROM can stand
                prose = prose or not ncomments and _select_list_broken(sig, j + 1)
                take(0.45 if prose else 0.97 if t.v == "union" else 0.85, "sqli:union_select")
            elif j < nt and sig[j].v == "values" and j + 1 < nt and sig[j + 1].t == "(":
                take(0.85, "sqli:union_values")
        elif t.t == "E" and nxt is not None:
            v = t.v
            if v == "select":
                rest = {x.v for x in sig[i + 1:i + 40]}
                if "from" in rest or nxt.t in ("f", "v", "1", "s", "t") or nxt.v in ("*", "(") or "_" in nxt.v and nxt.v in _FUNC_SIGNAL:
                    sqlish = any(x.t in ("f", "v", "(", ",", "s", "1", "c") or x.v in ("*", "where", "limit", "dual")
                                 for x in sig[i + 1:i + 40]) or ncomments > 0 or _catalog(" ".join(rest))
                    if "from" in rest:
                        # `prepare('SELECT … FROM t WHERE a = ?')`: a quote that opens an argument closes nothing; a
                        # SELECT right after it is the argument (unless a comment cuts the rest, as a breakout does)
                        quoted_arg = i == 1 and ctx and in_call and toks[-1].t != "c"
                        take(0.9 if sqlish and _select_list_ok(sig, i + 1, ncomments) and not quoted_arg else 0.45,
                             "sqli:select_from")
                    elif i > 0 and (sig[i - 1].t == "n" or sig[i - 1].v in ("then", "else", ",")) and not ncomments:
                        pass  # `then select 'Pay'`, `please select 2`: a word before SELECT is English, not SQL
                    elif nxt.t in ("f", "v") or nxt.t == "n" and "_" in nxt.v and nxt.v in _FUNC_SIGNAL or nxt.t in ("1", "s") and \
                            (nxt.closed or i > 0 and sig[i - 1].t in (";", "(")) and \
                            (i + 2 >= nt or sig[i + 2].t in (",", ")", "c", "o") or sig[i + 2].t == "&" and _compare_after(sig, i + 3) >= 0.7):
                        take(0.85, "sqli:select_expr")
                    elif nxt.v == "(":
                        take(0.6, "sqli:select_expr")
            elif v == "replace" and _replace_values(sig, i + 1, i > 0 and sig[i - 1].t == ";" or ncomments > 0):
                take(0.85, "sqli:insert")  # MySQL REPLACE [INTO] t (cols) VALUES (...)
            elif v == "insert" and nxt.v == "into":
                # INSERT INTO needs its table: `insert into values multiple rows` is a search about the syntax
                named = i + 2 < nt and (sig[i + 2].t == "n" or _catalog(sig[i + 2].v))
                rest = {x.v for x in sig[i:i + 30]}
                # and what follows the table is its column list, VALUES, SELECT, SET...: `insert into hot tub cover`
                # (a second bare word after the name) is a search, no INSERT parses it
                if named and not ncomments and _words_after_name(sig, i + 2, _INSERT_TAIL):
                    named = False
                take((0.85 if "values" in rest or "select" in rest else 0.5) if named else 0.45, "sqli:insert")
            elif v == "update" and any(x.v == "set" for x in sig[i + 2:i + 4]):
                take(0.85, "sqli:update")
            elif v == "delete" and nxt.v == "from" and i + 2 < nt and (sig[i + 2].t == "n" or _catalog(sig[i + 2].v)) and \
                    (i + 3 >= nt or sig[i + 3].t in (";", ".", ")", ",") or sig[i + 3].v in ("where", "limit", "order", "using", "returning")):
                take(0.85, "sqli:delete")  # DELETE FROM t [WHERE…|;]; not `delete from my cart the blue one`
            elif v in ("drop", "create", "alter", "truncate") and nxt.v in _DDL_OBJECTS:
                # the object's name must follow as SQL writes it: `create table in excel`, `drop table and chairs`,
                # `truncate table text in word` are searches (a name is never `in`/`the`, nor followed by `in`/`and`)
                obj = sig[i + 2] if i + 2 < nt else None
                after = sig[i + 3] if i + 3 < nt else None
                prose = obj is not None and (obj.v in _DETERMINERS or obj.t in ("o", "&") and obj.v.isalpha() or
                                             obj.v in ("for", "of", "with", "on", "from", "to", "by") or
                                             obj.t == "n" and after is not None and (after.t in ("o", "&") and after.v.isalpha()
                                             and after.v not in ("not", "like") or after.v in ("by", "for", "of", "from", "to"))
                                             and not ncomments)
                # after its name a statement goes on only as its grammar lets it (`drop table t cascade`, `, t2`,
                # `;`, `create table t (`, `alter table t add`); another bare word makes a phrase: `drop table
                # tennis paddles` is a search, no DDL parses it
                prose = prose or obj is not None and obj.t == "n" and not ncomments and \
                    _words_after_name(sig, i + 2, _DDL_TAIL[v])
                take(0.45 if prose or _quoted_phrase(sig, i, ctx, ncomments) else 0.9, "sqli:ddl")
            elif v == "waitfor" and nxt.v in ("delay", "time"):
                # the delay is a string or a variable: `waitfor delay '0:0:5'`; `waitfor delay sql server` is a search
                take(0.95 if i + 2 >= nt or sig[i + 2].t in ("s", "v", "1", "(", "f") else 0.45, "sqli:waitfor")
            elif v in ("exec", "execute") and nxt.v == "immediate":
                take(0.85, "sqli:exec_immediate")  # Oracle dynamic SQL
            elif v in ("exec", "execute") and (nxt.v.startswith(("xp_", "sp_", "master.", "master..")) or nxt.v == "master"):
                take(0.9, "sqli:exec")
            elif v in ("exec", "execute") and i + 2 < nt and (nxt.t in ("n", "(", "v", "s") and (nxt.v.startswith(("xp_", "sp_", "master.", "(")) or nxt.t in ("(", "v"))):
                take(0.9, "sqli:exec")
            elif v == "declare" and (nxt.t == "v" or nxt.t == "n" and i + 2 < nt and sig[i + 2].v == "cursor" and
                                     any(sig[x].v == "for" and sig[x + 1].v == "select" for x in range(i + 3, min(nt - 1, i + 8)))):
                # DECLARE @v …, DECLARE c CURSOR [options] FOR SELECT …
                take(0.9, "sqli:declare")
            elif v == "shutdown" and (nxt is None or nxt.t in (";",) or nxt.v == "with" and i + 2 < nt and
                                      sig[i + 2].v == "nowait" and (i + 3 == nt or sig[i + 3].t == ";")):
                take(0.8, "sqli:shutdown")  # T-SQL's SHUTDOWN [WITH NOWAIT] stops the server
            elif v in ("drop", "truncate") and nxt.t == "n" and (i + 2 < nt and sig[i + 2].t in (";",) or ncomments) and i == 0:
                take(0.75, "sqli:ddl")
            elif v == "begin" and any(x.t == "f" for x in sig[i:i + 8]):
                take(0.85, "sqli:plsql_block")
            elif v == "load" and nxt.v in ("data", "xml"):
                take(0.85, "sqli:load_data")
            elif v == "set" and nxt.t == "v":
                take(0.8, "sqli:set_var")
        elif t.t == "E" and nxt is None and v_is_stmt(t.v) and i > 0 and sig[i - 1].t == ";":
            take(0.75, "sqli:stacked")
        if t.t == ";" and nxt is not None and nxt.v == "copy" and _copy_shape(sig, i + 1):
            take(0.85, "sqli:copy")  # PostgreSQL COPY t|(query) TO|FROM 'file'|PROGRAM 'cmd': files and commands
        if t.t == ";" and nxt is not None and nxt.t == "E" and nxt.v in _STMT_STRONG and _stmt_shape(sig, i + 1):
            take(0.9 if i + 2 < nt or nxt.v == "shutdown" else 0.7, "sqli:stacked")
        if t.t == ";" and nxt is not None and nxt.v in _RECON_VERBS and i <= 1 and (i == 0 or sig[0].t in ("1", "s", ")")) \
                and _recon_shape(sig, i + 1):
            take(0.8, "sqli:stacked")  # `1;desc [users]`, `';show tables`: a stacked recon statement, see _RECON_VERBS
        if t.v == "goto" and t.t == "n" and nxt is not None and nxt.t in ("n", "E", "k") and \
                (i + 2 == nt or sig[i + 2].t == ";") and \
                any(sig[k].v == nxt.v and sig[k + 1].v == ":" for k in range(i - 1)):
            take(0.8, "sqli:goto_loop")  # T-SQL `begin: goto begin`: a label and a jump back to it, a batch that never ends
        if t.t == "f":
            name = t.v
            strong = name in _FUNC_SIGNAL
            # a call sitting in prose (`the sleep(5) function`, `count(items) should be 5`) is not in SQL position
            if name in _MIN_ARGS and _args(sig, i) < _MIN_ARGS[name]:
                pass  # `benchmark(s) 2024`: too few arguments for the real function
            elif not t.closed and i == 0 and not ncomments and _lone_literal_call(sig, False):
                pass  # `Thread.sleep(1000)`, `time.sleep(5)`: a method of some object, alone
            elif strong:
                if not _call_in_prose(sig, i):
                    take(0.9, "sqli:function")
            elif name in _FUNC_CRS4:
                pass  # the wider vocabulary counts through the condition, SELECT or breakout it sits in, not alone
            elif best >= 0.6 or i > 0 and sig[i - 1].t == ".":
                pass  # nothing to add; `df.groupby('a').sum()`: a method call on an object is code, SQL qualifies names without a gap
            elif _in_braces(sig, i) or _call_in_prose(sig, i) or _in_c_condition(sig, i):
                pass  # `{ user(name: "x") { id } }`: a GraphQL field or a code block, never SQL; or a call in prose
            elif i > 0 and sig[i - 1].v == "new" or _method_chain(sig, i):
                pass  # `new Date().getTime()`, `$(x).hide()`: a constructor or a call whose result has methods
            elif _generator_args(sig, i):
                pass  # `sum(i.price for i in items)`: a Python generator expression; no SQL call takes `for x in`
            elif not ncomments and (_call_framed_by_prose(sig, i) or ctx and _prose_run(sig, 1, 2)):
                # `In cell B2 put =IF(…) and drag down`, `the Substr (Substring) function in your app`: words before
                # the call and a phrase after it -- or, read after a breakout quote, words right after the quote
                # (`What's the difference between char(10) and …`: `'what' s the` is no SQL; a string takes one
                # alias at most) -- make a sentence around it, which no statement parses
                take(0.45, "sqli:function")
            elif not ctx and not ncomments and _shallow(sig) and _filter_expr(sig, 0, nt) == nt:
                take(0.45, "sqli:function")  # `year(BirthDate) eq 1985`: a filter language's call over a field
            elif i == 0 and not ncomments and _lone_literal_call(sig):
                take(0.45, "sqli:function")  # `date('Y-m-d')`: one call over literals, nothing SQL around it
            elif not ncomments and _math_call_end(sig, i) >= 0 and _has_math_pair(sig):
                take(0.45, "sqli:function")  # `abs(-4) = 4 and abs(4) = 4`: sums in a sentence read no data
            else:
                # a call in a value that no SQL parser accepts (a PromQL selector, a KQL pipeline, LaTeX) reads nothing
                # a Python traceback's header is no SQL any database parses: its frames' code lines call functions
                take(0.45 if _formula(toks) or _unparseable(sig) or _string_subscript(sig) or
                     not ctx and (_field_chain(sig, 0, nt) or _py_traceback(sig)) else 0.6, "sqli:function")
        if t.t == "v" and t.v.startswith("@@") and not _ONE_LETTER_VAR.match(t.v):
            # `@@mentions in slack`: a chat handle in a sentence; a server variable is not followed by words
            # (`[C@@H]`, a SMILES stereo centre, names no variable: every MySQL/MSSQL one has a longer name)
            prose = not ncomments and nt >= i + 3 and (sig[i + 1].v == "in" or sig[i + 1].v not in _CMP) and \
                all(x.t in ("n", "o", "k") and x.v.isalpha() for x in sig[i + 1:i + 3])
            take(0.45 if prose else 0.85, "sqli:system_variable")
        if t.t in ("n", "k") and _catalog(t.v):
            take(0.9, "sqli:catalog")
        if t.t == "k" and t.v == "into" and nxt is not None and nxt.t == "v" and i > 0 and sig[i - 1].t in ("1", ")") and \
                (i + 2 == nt or sig[i + 2].t in (",", ";")):
            take(0.7, "sqli:into_var")  # `… limit 1 into @a,@b`: the row goes into user variables (LIMIT/ORDER BY context)
        if t.t == "k" and t.v in ("outfile", "dumpfile") and i > 0 and sig[i - 1].v == "into":
            take(0.95, "sqli:into_outfile")
        if t.t == "&" and nxt is None and toks[-1].t == "c" and i >= 2 and sig[i - 2].t == "o" and sig[i - 2].v in _CMP:
            take(0.7, "sqli:logic_comment")
        if t.t == "&" and nxt is not None:
            if i >= 2 and sig[i - 2].v == "between":
                continue  # the AND of `between 1 and 5` joins the range, it is not a logic operator
            if dangling:
                continue  # `~-1~||-1||` (an Akamai cookie's fields): an operator waiting for its operand; no SQL parses it
            sc = _compare_after(sig, i + 1, sig[i - 1] if i and t.v != "xor" else None)
            if sc and not ctx and not ncomments and i >= 3 and sig[i - 3].t == "n" and sig[i - 2].v in _CMP \
                    and sig[i - 1].t == "1" and i + 1 < nt and sig[i + 1].t == "n":
                sc = min(sc, 0.45)  # `x > 5 and y < 3`: a condition over names on both sides is a formula, not a probe
            if sc and not ctx and not ncomments and i == 3 and nt == 7 and sig[0].t == sig[2].t == sig[4].t == sig[6].t == "1" \
                    and sig[1].v in _ORDER and sig[5].v in _ORDER:
                sc = min(sc, 0.45)  # `5 < 10 and 10 > 5`: two inequalities, a statement of arithmetic

            if sc and sc < 0.9 and not ncomments and i >= 2 and sig[i - 1].v in ("true", "false") and \
                    sig[i - 2].t == "n" and nxt.v in ("true", "false"):
                sc = 0.45  # `it's true or false`, `answer true or false`: a phrase about truth values
            if sc and not ctx and not ncomments and _math_statement_before(sig, i) and _math_statement_after(sig, i + 1):
                sc = min(sc, 0.45)  # `max(3,7) = 7 and min(-2,5) = -2`: two sums joined by a word, no value of a query
            if sc and not ncomments and (not ctx or sig[1].t == "n") and _field_chain(sig, 1 if ctx else 0, i) and \
                    _field_compare(sig, i + 1):
                # `space = OPS and lastmodified > now("-30d")`, `df.query("age > 30 and country == 'NL'")`: from its
                # start the value (or, after a quote, the text a bare name opens -- no SQL puts a name after a
                # closing quote) is a filter of fields compared with values: a query language the user writes,
                # with no self-comparison, literal tautology or signal call that probes
                sc = min(sc, 0.45)
            if sc and not ctx and not ncomments and sc < 0.95 and _filter_region(sig, i):
                # `year(BirthDate) eq 1985 and month(BirthDate) ge 6`, `*[_type == "post" && defined(slug)]`: a
                # filter language's predicates over fields, with nothing that probes (see _filter_expr)
                sc = min(sc, 0.45)
            if sc and t.v == "||" and pipe_table:
                sc = min(sc, 0.45)  # `| 2019 || Ajax || 12`: wiki/markdown table cells, not SQL's OR
            if sc:
                take(sc * (0.95 if i == 0 or sig[i - 1].t in ("1", "s", "t", ")", "n") else 0.85), "sqli:logic_tautology")
        if t.t == "k" and t.v == "order" and nxt is not None and nxt.v == "by" and i + 2 < nt and sig[i + 2].t in ("1", "n"):
            after = sig[i + 3] if i + 3 < nt else None
            if after is None and (ncomments or i == 0 or i > 0 and sig[i - 1].t in ("s", ")", "1")):
                # a bare `order by phone` is English; `order by 3` probes the column count
                take(0.75 if ncomments or ctx else 0.5 if sig[i + 2].t == "1" else 0.45, "sqli:order_by")
            elif after is not None and after.t in (",", "&", ";", "o", "k") and sig[i + 2].t == "1":
                take(0.75, "sqli:order_by")
        if t.t == "o" and t.v in ("^", "|", "&") and i == 1 and sig[0].t == "1" and nxt is not None and nxt.t == "s" \
                and nxt.closed and i + 3 < nt and sig[i + 2].v in ("=", "<=>", "like") and sig[i + 3].t == "s" \
                and sig[i + 3].v == nxt.v and (i + 4 == nt or sig[i + 4].t in (";", ")")):
            # `0^'1'='1`, `0|'a'='a'`: MySQL's bitwise XOR/OR/AND binds tighter than `=`, so the number combined with a
            # quoted string compared with itself is a truth value -- the XOR of CRS's tautology rules, spelled with a
            # sign. Only a quoted self-comparison: `2^3=8`, `x^'2'` are arithmetic and notation
            take(0.8, "sqli:logic_tautology")
        if t.t == "k" and t.v == "having" and nxt is not None and nxt.t in ("1", "n", "f", "(") and _clause_follows(sig, i) \
                and (i > 0 or i + 2 < nt and sig[i + 2].v in _CMP):
            take(0.7, "sqli:having")
        if t.t == "k" and t.v == "procedure" and nxt is not None and nxt.v == "analyse":
            take(0.85, "sqli:procedure_analyse")
        if t.t == "k" and t.v == "as" and nxt is not None and nxt.t in ("s", "n", "t", "k") and i + 2 < nt and sig[i + 2].v == "from" and i > 0 and sig[i - 1].t in ("1", ")", "s", "n"):
            take(0.75, "sqli:alias_from")
        if t.t == "k" and t.v == "from" and nxt is not None and nxt.t in ("n", "k") and i + 2 < nt and sig[i + 2].v in ("limit", "group", "order", "having", "join", "union") \
                and _clause_follows(sig, i + 2) or \
                t.t == "k" and t.v == "from" and nxt is not None and nxt.t == "n" and i + 2 < nt and sig[i + 2].t == "." and sig[i + 2].closed:
            take(0.7, "sqli:from_clause")
        if t.t == "k" and t.v == "from" and nxt is not None and nxt.t == "n" and i + 5 < nt + 1 and i + 4 < nt and sig[i + 2].v == "where" \
                and sig[i + 3].t == "n" and sig[i + 4].t == "o" and sig[i + 4].v in _CMP and i + 5 < nt and sig[i + 5].t in _LITERAL:
            take(0.7, "sqli:from_clause")  # FROM table WHERE column = literal
        if t.t == "o" and t.v == "::" and nxt is not None and nxt.v in ("jsonb", "json", "int", "integer", "text", "varchar", "bigint", "numeric", "bool", "boolean", "regclass", "oid", "bytea", "inet", "xml", "float", "char", "double", "real", "date", "timestamp", "money", "uuid", "name", "smallint"):
            # GROQ's namespaced functions (`pt::text(body)`, `string::split(…)`): a namespace name, `::`, a call
            groq = i > 0 and sig[i - 1].t == "n" and sig[i - 1].v in _GROQ_NAMESPACES and i + 2 < nt and sig[i + 2].t == "("
            take(0.45 if groq else 0.75, "sqli:pg_cast")
        if t.t == "o" and t.v in ("<@", "@>", "->>", "->", "#>", "#>>", "?|", "?&", "?") and i > 0 and sig[i - 1].t in ("s", ")") and nxt is not None and (nxt.t in ("s", "1") or nxt.v == "array") and \
                (not t.v.startswith("?") or sig[i - 1].v.lstrip()[:1] in ("{", "[")):
            take(0.75, "sqli:json_operator")
        if t.t == "o" and t.v == "against" and i > 0 and sig[i - 1].t == ")" and nxt is not None and nxt.t == "(" and i + 2 < nt and sig[i + 2].t == "s":
            take(0.75, "sqli:match_against")  # MySQL full-text MATCH (col) AGAINST ('…' IN BOOLEAN MODE)
        if t.t == "k" and t.v == "case" and any(x.v == "when" for x in sig[i + 1:i + 4]) and any(x.v == "then" for x in sig[i + 2:i + 20]):
            take(0.75, "sqli:case_when")
    # Breaking out of the assumed quote context.
    if ctx and nt and sig[0].t == ("n" if ctx == "`" else "s") and sig[0].closed:
        t1 = sig[1] if nt > 1 else None
        t2 = sig[2] if nt > 2 else None
        if t1 is None:
            if ncomments and toks[-1].t == "c" and not (in_call and _selector(toks, ctx)):
                take(0.85, "sqli:quote_comment")
        elif t1.t == "&":
            sc = _compare_after(sig, 2)
            commented = any(x.t == "c" for x in toks[-2:]) and nt <= 4
            if inword and not commented and toks[-1].t != "c" and (t2 is None or t2.t != "s"):
                # `Palme d'Or winners`, `l'or et l'argent`: after an elision only a real condition counts (while
                # `a'or'a` quotes the operator on both sides and `x'and y--` ends in a comment, as SQL does)
                take(sc, "sqli:quote_logic")
            elif not commented and t2 is not None and (_prose_run(sig, 2, 3) or _prose_string(sig, 2) or
                                                        t2.t == "1" and nt > 3 and sig[3].t == "n" and "." not in sig[3].v):
                # `6'2" and the XL fit`, `the 'or' in 'colour or pattern'`, `5' 10" and 170 lbs`: prose
                take(sc, "sqli:quote_logic")
            else:
                # `5'4" or so`; `a ' and a ; in it`: one word, then a `;` that starts no statement (prose around
                # the characters it names; a stacked query needs its statement word, read by the rules above)
                lone_word = t2 is not None and t2.t == "n" and not ncomments and \
                    (nt == 3 or sig[3].t == ";" and nt > 4 and sig[4].t not in ("E", "U", "k", ";"))
                take(max(sc, 0.8 if t2 is not None and (t2.t in _EXPR_START or t2.v == "not") and not lone_word or commented else 0.45), "sqli:quote_logic")
        elif t1.t == "o" and t1.v == "collate" and t2 is not None and t2.t in ("n", "s", "k", "t"):
            take(0.8, "sqli:quote_collate")
        elif t1.t == ";":
            take(0.85 if t2 is None or t2.t in ("E", "c", "k", "n") else 0.6, "sqli:quote_stacked")
        elif t1.t == "o" and t1.v != "?" and (t2 is not None and t2.t in ("s", "1", "f", "v", "t", "(", "E") or
                              toks[-1].t == "c" and nt <= 6 and t1.v not in ("~", "!", "collate")):
            if not (t2 is not None and t2.t in ("s", "1") and _prose_string(sig, 2 if t2.t == "s" else 3)) and \
                    not (nt == 3 and t2 is not None and t2.t == "s" and not t2.closed and _PROSE_TAIL.match(t2.v)) and \
                    not (t2 is not None and t2.t == "1" and nt > 3 and sig[3].t == "n" and "." not in sig[3].v) and \
                    not (t2 is not None and t2.t == "s" and nt > 4 and sig[3].t in ("n", "1") and sig[4].t in ("s", ".")) and \
                    not (t1.v in ("-", "+") and t2 is not None and t2.t == "1" and nt > 3 and sig[0].v[-1:] in _MEMBER_OPEN and
                         sig[3].t == "s" and sig[3].v[:1] in _MEMBER_SEP) and \
                    not (t1.v == "-" and nt == 4 and t2 is not None and t2.t == "1" and sig[0].v[-1:].isdigit() and
                         sig[3].t == "s" and not sig[3].closed and not sig[3].v):
                # not `13"-15" laptops`, `3/8"-16 bolt`, `55"-65"` (inch marks: the query's own closing quote would
                # put an empty string right after the number, which nothing parses) nor `Replace '&' with 'and'` (a
                # quoted symbol),
                # nor `{path="/",code="5"}` (quoted values read inside out: a string, a bare name or number and a
                # string again, which no SQL expression is), nor `{stamp:'-1',necessary:true}` (a signed number quoted
                # as a member: after a key's `:` or a list's `[`/`,`, up to the separator of the next member)
                take(0.8, "sqli:quote_operator")
        elif t1.t == "o" and t2 is None and toks[-1].t == "c":
            take(0.8, "sqli:quote_operator")
        elif t1.t in ("U", "k") and t1.v in _CLAUSE_WORDS:
            # the clause must go on the way SQL goes on (`'union select`, `'order by 3`); a quoted word in prose
            # (`the word 'where' is`, `l'union fait la force`) is followed by more prose or by the closing quote
            if t1.v in ("order", "group") and (nt == 3 and toks[-1].t != "c" or nt > 3 and sig[3].t == "s") or \
                    _quoted_list(sig) or t1.v in ("order", "group") and nt == 5 and sig[2].v == "by" and \
                    sig[3].t == "n" and not ncomments and not sig[4].closed and _prose_string(sig, 4):
                # ... or `near 'ORDER BY position' at line 1`: a quoted phrase in a pasted error, the sentence going
                # on after its closing quote (SQL takes no string after an ORDER BY column: nothing would parse)
                pass  # `the 'group by' clause`, `"union station","drop leaf table"`: SQL words quoted in prose or a list
            elif _clause_follows(sig, 1):
                take(0.8, "sqli:quote_clause")
            elif inword or t1.v in _JOINS:
                pass  # an apostrophe inside a word (`l'union`, `d'where`), or `'left join'` quoted in prose
            elif t2 is not None and t2.v == "{" and t1.v != "from":
                pass  # `States.Format('Order {} ok', …)`: a placeholder after the word; only FROM takes an ODBC `{oj …}`
            elif t2 is None or t2.t != "s" and not _prose_run(sig, 2, 2):
                take(0.6, "sqli:quote_clause")  # a truncated probe (`'UNION A`, `' union/`, `as" from`)
        elif t1.t == ")" and t2 is not None and t2.t in ("&", ";", "U", "o", ")") or t1.t == ")" and t2 is None and ncomments:
            take(0.8, "sqli:quote_paren")
        elif t1.t == ")" and t2 is not None and t2.t == "," and toks[-1].t == "c":
            take(0.75, "sqli:quote_paren")  # `x'), ('admin','pw')-- -`: one more row in an INSERT
        elif t1.t == "," and not in_call and _values_breakout(sig, toks):
            take(0.75, "sqli:quote_values")  # `x', 'pw') on duplicate key update …`: more values, `)`, then SQL
        elif t1.t == "," and nt > 4 and sig[2].t == "n" and sig[3].v == "=" and sig[4].t in _EXPR_START and \
                (toks[-1].t == "c" or any(x.v == "where" for x in sig[4:])):
            take(0.75, "sqli:quote_assignment")  # `x', role='admin' where id=1#`: one more column in an UPDATE
        elif t1.t == "E" and t1.v in _STMT_STRONG and t2 is not None and not _prose_run(sig, 2, 2) \
                and not (t2.t == "s" and (not t2.closed or t2.v[:1] in _WS)) and _stmt_shape(sig, 1) and not in_call \
                and not (t1.v == "select" and t2.v in ("all", "distinct") and
                         (nt == 3 or sig[3].t == "s" and (not sig[3].closed or sig[3].v[:1] in _WS))) \
                and not _quoted_phrase(sig, 1, ctx, ncomments):
            take(0.6, "sqli:quote_statement")  # not `he said "select the red one` nor `'select' is a keyword`
        if toks[1:2] and toks[1].t == "c" and nt > 1 and (toks[1].v.startswith("/*") or sig[1].t in ("&", "U", "E", "k", ";", "o", ")", "f")) \
                and not (in_call and _selector(toks, ctx)):
            # a line comment (`#`, `--`) right after the quote ends the query unless SQL follows on the next line;
            # code in a search box (`querySelector('#app');\nx.innerHTML = …`) goes on with names
            take(0.8, "sqli:quote_comment")
    if not ctx and nt >= 2:
        t0, t1 = sig[0], sig[1]
        j = 1
        while j < nt and sig[j].t == ")":
            j += 1
        # `1) and 2) are required`: numbered items in prose, not a breakout (which goes on in SQL, not in words)
        listed = j > 1 and j < nt and sig[j].t == "&" and not ncomments and nt >= j + 3 and _prose_run(sig, nt - 2, 2) or \
            t0.t == "n" and j == 1 and nt > 3 and sig[1].t == "U" and sig[2].v == "select" and not ncomments and \
            all(x.t == "n" and "." not in x.v and "_" not in x.v for x in sig[3:]) or \
            t0.t == "n" and j == 1 and nt > 3 and sig[1].t == "U" and sig[2].v == "select" and not ncomments and \
            _select_list_broken(sig, 3)  # `trade union select committee`, `credit union select checking 500 bonus`
        if not listed and (t0.t in ("1", "n", "t") and j < nt and sig[j].t == "U" and (j + 1 < nt and sig[j + 1].v in ("select", "values", "all", "distinct", "(") or j + 1 == nt and t0.t == "1" or j + 1 < nt and sig[j + 1].t == "c" or ncomments and sig[j].v == "union") or t0.t == "1" and j > 1 and j < nt and sig[j].t in ("&", ";", "c")):
            take(0.7, "sqli:numeric_breakout")
        if t0.t == "1" and t1.t == "," and nt >= 5 and sig[2].t == "n" and sig[3].v == "=":
            k = _assignments_end(sig, 2)
            if k > 0 and (k == nt or sig[k].v == "where" or sig[k].t == ";") and \
                    (toks[-1].t == "c" or k < nt or any(sig[x].t == "s" and sig[x].closed for x in range(4, k, 4))):
                # `30, role='admin'`, `0, balance=9999-- -`: the number closes one column of an UPDATE … SET, the
                # rest sets another; `30, n=12` (a number and a count) needs the WHERE or comment SQL ends it with
                take(0.6, "sqli:numeric_assignment")
        if t0.t == ")" and (t1.t == "o" and t1.v in _CMP or t1.v in ("when", "then", "and", "or", "union", "order", "group", "having")) and nt <= 8:
            take(0.6, "sqli:paren_breakout")
        if t0.t == "s" and t1.v == "not" and nt >= 4 and sig[2].t == "o" and sig[2].v in _CMP and sig[3].t in ("s", "1"):
            take(0.7, "sqli:string_compare")
        if t0.t == "s" and t1.t == "o" and t1.v in _CMP and nt >= 3 and sig[2].t in ("s", "1") or t0.t == "s" and t1.t == "," and nt >= 4 and sig[2].t == "s" and sig[3].t == "o":
            take(0.7, "sqli:string_compare")
        if t0.t == "&" and t1.t == "(" and nt <= 8 and any(x.t == "o" for x in sig[2:]):
            take(0.6, "sqli:logic_paren")
        if t0.t == "1" and t1.t == "c" and nt == 2 and toks[-1].t == "c" and toks[-1].v.startswith(("--", "#", "/*")):
            take(0.55, "sqli:numeric_comment")
        if t0.t == "1" and t1.t == ";" and nt == 2 and toks[-1].t == "c" and len(toks[-1].v.strip(" -")) <= 2:
            take(0.6, "sqli:numeric_comment")  # `1;--`, `5; #`: end the statement, silence the rest
        if t0.t == "1" and t1.v == "not" and nt >= 5 and sig[2].v == "between" and sig[4].v == "and":
            take(0.6, "sqli:numeric_breakout")  # `1 not between 0 and 1`: sqlmap's `between` tamper of `>`
    if not ctx and 3 <= nt <= 5 and sig[-1].t == "s" and not sig[-1].closed and not sig[-1].v.strip() and sig[-2].t == "o" \
            and sig[-2].v in _CMP and sig[-3].t in ("n", "1", "s", ")"):
        # `name LIKE '`, `id = '`: the value ends by opening a string after a comparison, for the application's own
        # closing quote to finish (`… LIKE ''`); text does not end in an operator and a lone quote
        take(0.6, "sqli:open_compare")
    if nt == 2 and sig[0].t == "E" and sig[0].v in ("exec", "execute") and sig[1].t in ("n", "k", "E") and not ctx \
            and (sig[0].v == "execute" or sig[1].t != "n" or "_" in sig[1].v or "." in sig[1].v):
        # `exec` is also the short for executive (`exec chair`, `exec team`): then the name must look like a procedure
        take(0.55, "sqli:exec_procedure")  # the whole value is `EXEC name`: a complete T-SQL/PL statement
    return best, rule


# An HTML start tag still open, up to an attribute name: `<a class="x" href` (its value comes next).
_IN_TAG: Final = re.compile(r"<[a-z][\w-]*\s[^<>]*[\w:-]$")


def _in_tag(s: str, end: int) -> bool:
    """s[:end] ends inside an HTML start tag, right after an attribute name."""
    lt = s.rfind("<", 0, end)
    return lt >= 0 and bool(_IN_TAG.match(s, lt, end))
_SELECTOR: Final = {q: re.compile(r"#[\w\-.:>+~*,\[\]= ]*" + q) for q in "'\"`"}


def _selector(toks: list[Tok], ctx: str) -> bool:
    """The `#…` read as a comment after the breakout quote is a quoted CSS selector, anchor or colour passed to a
    call or an attribute (`$('#menu')`, `<a href="#top">`, `color="#ff0000"`): the quote it seems to break out of
    opened the string `#…` closes. (Markup that carries script is the XSS detector's to judge.)"""
    return len(toks) > 1 and toks[1].t == "c" and bool(_SELECTOR[ctx].match(toks[1].v))


def _field_compare(sig: list[Tok], j: int) -> bool:
    """sig[j:] starts with `field op value`: a bare name compared with a literal, another name or a call of a
    non-signal function over literals (`lastmodified > now("-30d")`), ending there."""
    if j + 2 >= len(sig) or sig[j].t != "n" or sig[j + 1].t != "o" or sig[j + 1].v not in _CMP | {"~", "!~"}:
        return False
    if _in_list_end(sig, j) > 0:
        return True
    b = sig[j + 2]
    if b.t == "n" and (j + 3 == len(sig) or sig[j + 3].t != "("):
        return b.v != sig[j].v  # `x = x` compares a name with itself: the probe
    if b.t in ("f", "n"):  # a call: an SQL function's, or a name no database has (`startOfWeek()`)
        if b.v in _FUNC_SIGNAL:
            return False
        k = _call_end(sig, j + 2)
        return k >= 0 and all(x.t in ("s", "1", ",", "(") or x.t == "o" and x.v == "-" for x in sig[j + 3:k])
    return b.t in ("1", "s")


def _in_list_end(sig: list[Tok], j: int) -> int:
    """sig[j:] is `field [not] in (literal, name, …)` (JQL's `status in ("In Progress", Review)`): the index after
    the `)`, else -1. A list holding anything else (a sub-select, a call) is not a filter value."""
    k = j + 1 + (sig[j + 1].v == "not")
    if k + 2 >= len(sig) or sig[k].v != "in" or sig[k + 1].t != "(":
        return -1
    k += 2
    while k + 1 < len(sig) and sig[k].t in ("s", "1", "n") and sig[k + 1].t in (",", ")"):
        if sig[k + 1].t == ")":
            return k + 2
        k += 2
    return -1


def _field_chain(sig: list[Tok], start: int, i: int) -> bool:
    """sig[start:i] is `field op value` conditions joined by AND/OR, nothing else."""
    k = start
    while k < i:
        if not _field_compare(sig, k):
            return False
        end = _in_list_end(sig, k)
        k = end - 3 if end > 0 else k
        k += 3
        if k < len(sig) and sig[k].t == "(":
            k = _call_end(sig, k - 1) + 1
        if k >= i:
            return k == i
        if sig[k].t != "&":
            return False
        k += 1
    return False


def _quoted_phrase(sig: list[Tok], i: int, ctx: str, ncomments: int) -> bool:
    """Read inside out, the statement word at sig[i] right after the breakout quote is a quoted phrase
    (`repo:api "DROP COLUMN"`): only words follow it up to the value's last character, the quote that closes the
    phrase -- an empty string in the SQL reading, which no statement takes after its object's name. A title quoted
    mid-sentence (`"DROP TABLE in production: our postmortem" convinced me`) reads the same way: words (and a
    title's `:`) up to a quote that opens the rest of the sentence, a string of words after a bare name -- where the
    statements that never take a string after a name (DDL, DELETE) cannot go on; EXEC, GRANT, INSERT and SELECT
    (a column's quoted alias) can, and stay read as statements."""
    if not ctx or i != 1 or ncomments or len(sig) <= 3:
        return False
    last = sig[-1]
    if last.t == "s" and not last.closed and not last.v and all(x.t in ("n", "k") for x in sig[2:-1]):
        return True
    if sig[1].v not in ("drop", "create", "alter", "truncate", "delete"):
        return False
    m = 2
    while m < len(sig) and (sig[m].t in ("n", "k") or sig[m].t in ("o", "&") and sig[m].v.isalpha() or sig[m].v in (":", ",")):
        m += 1
    return m < len(sig) and sig[m - 1].t in ("n", "k") and _prose_string(sig, m) and \
        (m == len(sig) - 1 or not sig[m].closed)


# The rest of a sentence after a quoted symbol (`Unexpected token '<', "<!DOCTYPE "… is not valid JSON`): punctuation,
# a blank, then words up to the end of the value -- the string the app's own quote would close, compared with nothing
_PROSE_TAIL: Final = re.compile(r"^[,.;:!?]\s+\S*[a-z]{2,}[^']*$")
_MEMBER_OPEN: Final = (":", "=", "[", ",", "{")
_MEMBER_SEP: Final = (",", ";", "}", "]", "&", "|")


def _quoted_list(sig: list[Tok]) -> bool:
    """Read inside out, the value is a list of quoted phrases (`"union station","drop leaf table"`): it opens and
    ends with the quote and every string between is only a separator (`,`, `;`, `|`)."""
    return sig[0].v == "" and sig[-1].t == "s" and not sig[-1].closed and not sig[-1].v and \
        sum(x.t == "s" for x in sig) > 2 and \
        all(not x.v.strip(" ,;|") and x.v for x in sig[1:-1] if x.t == "s")


def _values_breakout(sig: list[Tok], toks: list[Tok]) -> bool:
    """After the closing quote: `, value`… then `)` and what ends an INSERT's VALUES tuple in an injection -- a
    comment, `;`, another row `, (`, ON DUPLICATE KEY UPDATE or RETURNING (`x', 'pw') on duplicate key update …`)."""
    nt, k = len(sig), 1
    while k + 1 < nt and sig[k].t == "," and sig[k + 1].t in ("s", "1", "t", "v") and sig[k + 1].closed:
        k += 2
    if k == 1 or k >= nt or sig[k].t != ")":
        return False
    if k + 1 == nt:
        return toks[-1].t == "c"
    r = sig[k + 1]
    return r.t == ";" or r.t == "," and k + 2 < nt and sig[k + 2].t == "(" or r.v == "returning" or \
        r.v == "on" and [x.v for x in sig[k + 2:k + 5]] == ["duplicate", "key", "update"]


def _assignments_end(sig: list[Tok], j: int) -> int:
    """End of `name = literal [, name = literal]…` from sig[j] (strings closed), or -1 when sig[j] starts none."""
    k = -1
    while j + 2 < len(sig) and sig[j].t == "n" and sig[j + 1].v == "=" and sig[j + 2].t in ("1", "s", "t") and \
            sig[j + 2].closed:
        k = j + 3
        if k + 1 < len(sig) and sig[k].t == ",":
            j = k + 1
        else:
            break
    return k


def _prose_string(sig: list[Tok], j: int) -> bool:
    """sig[j] is a string that opens with a blank and holds words: the text between two quoted words in a sentence
    (`'&' with 'and'`), not an SQL operand (`'a'`, `''`)."""
    if j >= len(sig) or sig[j].t != "s":
        return False
    v = sig[j].v
    return v[:1] in _WS and any(c.isalpha() for c in v)


# Statement verbs that are everyday English too: they count only in their SQL shape.
_STMT_NEXT: Final = {"call": ("n",), "kill": ("1", "n"), "grant": ("n", "k", "E"), "revoke": ("n", "k", "E"),
                     "rename": ("k", "n"), "merge": ("k",), "handler": ("n",), "prepare": ("n",), "deallocate": ("E",),
                     "load": ("n",), "declare": ("v", "n"), "exec": ("n", "v", "(", "s"), "execute": ("n", "v", "(", "s", "k")}


def _stmt_shape(sig: list[Tok], j: int) -> bool:
    """The statement word at sig[j] is followed the way that statement is written, not by a phrase
    (`; call me back?`, `; drop me a line`)."""
    if _prose_run(sig, j + 1, 2) and not (j + 3 < len(sig) and sig[j + 3].t in ("(", ".", ",", "o")):
        return False
    v = sig[j].v
    nxt = sig[j + 1] if j + 1 < len(sig) else None
    if v == "select" and nxt is not None and nxt.t == "n" and j + 2 < len(sig):
        # `select col, …`, `select col from`; not a title in quotes (`"Select Comfort" Pillow`)
        return sig[j + 2].t in (",", ".", "o", "&", "(", ")", ";") or sig[j + 2].v in ("from", "as", "into")
    if v == "update":  # UPDATE t SET …, or `;update users` cut after the table
        return any(x.v == "set" for x in sig[j + 2:j + 4]) or j + 2 == len(sig) and nxt is not None and nxt.t == "n"
    if v in ("insert", "delete"):
        return nxt is not None and nxt.v == ("into" if v == "insert" else "from") and \
            not (v == "insert" and _words_after_name(sig, j + 2, _INSERT_TAIL))
    if v in _DDL_TAIL and nxt is not None and nxt.v in _DDL_OBJECTS and _words_after_name(sig, j + 2, _DDL_TAIL[v]):
        return False  # `; drop table tennis paddles`: see _DDL_TAIL
    want = _STMT_NEXT.get(v)
    if want is None or nxt is None:
        return True
    if nxt.t not in want:
        return False
    if v == "call":
        return j + 2 < len(sig) and sig[j + 2].t in ("(", ";") or j + 2 == len(sig)
    if v == "merge":
        return nxt.v == "into"
    if v == "load":
        return nxt.v in ("data", "xml")
    return True


# Recon statements a stacked query runs to learn the schema (MySQL DESC/DESCRIBE/EXPLAIN t, SHOW TABLES, MSSQL/MySQL
# USE db): their verbs are everyday English, so they count only stacked right after a lone value (`1;desc [users]`,
# `5;show tables`) and written whole in their SQL shape -- `serves 4; use fresh basil` runs on into words.
_RECON_VERBS: Final = {"desc", "describe", "explain", "show", "use"}
_SHOW_WHAT: Final = {"tables", "databases", "schemas", "columns", "fields", "grants", "processlist", "variables", "status",
                     "full", "create", "triggers", "privileges", "users", "plugins", "engines", "table", "index", "indexes",
                     "keys", "procedure", "function", "master", "slave", "binary", "global", "session", "open", "events"}

_SYSTEM_DBS: Final = {"master", "msdb", "tempdb", "model", "mysql", "information_schema", "performance_schema", "sys", "postgres",
                      "template0", "template1", "northwind", "pubs"}
_PRONOUNS: Final = {"yourself", "myself", "himself", "herself", "itself", "themselves", "ourselves", "it", "them", "him",
                    "me", "us", "you", "what", "how", "why", "who", "where", "when", "one", "both", "each", "everything"}


def _recon_shape(sig: list[Tok], j: int) -> bool:
    """sig[j] is a recon verb after `;`: DESC/DESCRIBE/EXPLAIN/USE and one object name (`users`, `[users]`,
    `db.users`, a backticked name) ending the value; SHOW, a word of its grammar and at most `from|in|like x`."""
    v = sig[j].v
    rest = sig[j + 1:]
    if rest and rest[-1].t == ";":
        rest = rest[:-1]
    if v == "show":
        if not rest or rest[0].v not in _SHOW_WHAT:
            return False
        k = 1
        while k < len(rest) and rest[k].v in _SHOW_WHAT and k < 3:
            k += 1  # `show full tables`, `show global variables`
        tail = rest[k:]
        return not tail or len(tail) == 2 and tail[0].v in ("from", "in", "like") and tail[1].t in ("n", "s", "k")
    if len(rest) == 3 and rest[0].v == "[" and rest[1].t == "n" and rest[2].v == "]":
        return True  # MSSQL's bracketed name
    if v == "describe" or v == "desc" or v == "explain":
        # `desc users`, `describe users password` (one column): a table name, nothing after but a column
        return 1 <= len(rest) <= 2 and all(x.t in ("n", "s") and not x.v[:1] in _WS and " " not in x.v for x in rest) \
            and rest[0].v not in _DETERMINERS and rest[0].v not in _PRONOUNS
    # USE and one database: a system database, or a name no English noun is (`app_db`, `shop2`); not `use butter`
    return len(rest) == 1 and rest[0].t in ("n", "s") and " " not in rest[0].v and \
        (rest[0].v in _SYSTEM_DBS or any(c in rest[0].v for c in "_.$0123456789"))


_CONDITION_WORDS: Final = {"in", "like", "ilike", "is", "between", "not", "regexp", "rlike", "sounds", "glob", "match", "similar"}


def _copy_shape(sig: list[Tok], j: int) -> bool:
    """sig[j] is COPY followed by a table [(columns)] or a (query), then TO/FROM a file string, PROGRAM, STDIN/STDOUT
    (`; copy the file to a folder` is English: no quoted path or PROGRAM follows)."""
    n = len(sig)
    k = j + 1
    if k >= n or sig[k].t not in ("n", "("):
        return False
    if sig[k].t == "n":
        k += 1
    if k < n and sig[k].t == "(":
        depth = 0
        while k < n:
            depth += sig[k].t == "("
            depth -= sig[k].t == ")"
            k += 1
            if depth == 0:
                break
    if k + 1 >= n or sig[k].v not in ("to", "from"):
        return False
    t = sig[k + 1]
    return t.t == "s" or t.v in ("program", "stdout", "stdin")


def _clause_follows(sig: list[Tok], i: int) -> bool:
    """The clause keyword at sig[i] is followed the way SQL requires (UNION SELECT, ORDER BY, LIMIT 5, WHERE x…)."""
    kw = sig[i].v
    nxt = sig[i + 1] if i + 1 < len(sig) else None
    if nxt is None:
        return False
    if kw == "union":
        return nxt.v in ("select", "all", "distinct", "(", "values")
    if kw in ("order", "group"):
        return nxt.v == "by"
    if kw == "limit":
        return nxt.t in ("1", "v")
    if kw == "procedure":
        return nxt.t == "n"
    if kw == "into":  # INTO OUTFILE, INTO @var, INTO table [(cols)|;|--]
        after = sig[i + 2] if i + 2 < len(sig) else None
        return nxt.v in ("outfile", "dumpfile") or nxt.t == "v" or nxt.t == "n" and (after is None or after.t in ("(", ";", ",") or after.v == "from")
    if kw in ("join", "straight_join"):
        return nxt.t in ("n", "(") and any(x.v in ("on", "using") for x in sig[i + 2:i + 6])
    if kw in ("inner", "left", "right", "cross", "natural"):  # [INNER|LEFT [OUTER]|CROSS|NATURAL] JOIN t ON …
        j = i + 2 if nxt.v == "outer" else i + 1
        if j >= len(sig) or sig[j].v != "join":
            return False
        return _clause_follows(sig, j) or kw in ("cross", "natural") and j + 1 < len(sig) and sig[j + 1].t == "n"
    if kw == "having" and nxt.t == "n":  # `having 1=1`, `having count(*)>1`; not `from people having fun`
        return i + 2 < len(sig) and sig[i + 2].t in ("o", "&", ".")
    if kw == "where" and nxt.t == "n":  # `where id=1`, `where name like 'a%'`; not `'where did you get that?!'`
        after = sig[i + 2] if i + 2 < len(sig) else None
        return after is not None and (after.t in ("o", "&", ".") or after.v in _CONDITION_WORDS)
    # where / from / having: an operand; a string only when an operator follows it (`where 'a'='a`)
    if nxt.t == "s":
        return nxt.closed and i + 2 < len(sig) and sig[i + 2].t in ("o", "&")
    return nxt.t in ("n", "1", "f", "(", "t", "v") or nxt.t == "k" and _catalog(nxt.v)


def _prose_run(sig: list[Tok], j: int, run: int = 3) -> bool:
    """`run` bare words in a row from sig[j] on: English, not SQL (an expression is at most `name alias`)."""
    k = j
    while k < len(sig) and sig[k].t == "n" and "." not in sig[k].v and "_" not in sig[k].v:
        k += 1
    return k - j >= run


# Bare words that may follow the object's name in a statement (the rest of the grammar is keywords, brackets and
# punctuation, which are not bare words): options (`drop table t cascade constraints purge`), the next clause of
# CREATE/ALTER (`returns`, `identified`, `add`, `modify`...), and T-SQL statements that follow one another with no
# `;` (`drop table t go`, `… print 1`).
_TSQL_NEXT: Final = frozenset(("go", "print", "dbcc", "backup", "restore", "reconfigure", "raiserror", "goto", "bulk",
                               "checkpoint", "open", "close", "deny", "throw", "save"))
_DDL_TAIL: Final = {
    "drop": _TSQL_NEXT | {"cascade", "restrict", "purge", "constraints", "force", "sync"},
    "truncate": _TSQL_NEXT | {"cascade", "restrict", "restart", "continue", "identity", "reuse", "storage",
                              "immediate", "preserve", "purge", "partitions"},
    "create": _TSQL_NEXT | {"returns", "identified", "before", "after", "engine", "charset", "character", "owner",
                            "comment", "authorization", "soname", "language", "nologging", "tablespace",
                            "deterministic", "sql", "reads", "modifies", "contains", "definer", "security", "external",
                            "inherits", "unlogged", "encoding", "template", "location", "password", "auto_increment",
                            "type", "under", "compress", "follows", "precedes"},
    "alter": _TSQL_NEXT | {"add", "modify", "change", "rename", "enable", "disable", "owner", "engine", "auto_increment",
                           "convert", "identified", "account", "compile", "nocheck", "check", "rebuild", "reorganize",
                           "switch", "attach", "detach", "validate", "inherit", "cluster", "reset", "password",
                           "character", "charset", "comment", "force", "discard", "import", "exchange", "coalesce",
                           "truncate", "analyze", "optimize", "repair", "remove", "upgrade", "algorithm", "lock",
                           "login", "name", "member", "encoding", "tablespace", "connection", "valid",
                           "superuser", "nosuperuser", "createdb", "createrole", "replication", "bypassrls",
                           "nologin", "move", "split", "merge", "shrink", "allocate", "deallocate", "logging",
                           "nologging", "parallel", "noparallel", "cache", "nocache", "monitoring", "row", "flashback"},
}
_DDL_OBJECTS: Final = ("table", "database", "schema", "user", "procedure", "function", "view", "index", "trigger", "login")
_INSERT_TAIL: Final = _TSQL_NEXT | {"value", "output", "partition", "overriding"}


def _words_after_name(sig: list[Tok], j: int, tail: frozenset | set) -> bool:
    """The statement's object name at sig[j] is followed by a bare word its grammar has no place for: a phrase."""
    if j + 1 >= len(sig) or sig[j].t != "n":
        return False
    a = sig[j + 1]
    return a.t == "n" and "." not in a.v and a.v not in tail


# Keywords that are ordinary nouns after a call in prose (`the sleep(5) function`).
_PROSE_K: Final = {"function", "time", "mode", "path", "key", "share", "lock", "only", "next", "rows", "default", "raw", "table",
                   "database", "of", "return", "loop", "zone", "columns", "tables", "schema"}


# Statement words that are everyday verbs and nouns after a call in prose (`the sleep(5) call blocks`).
_PROSE_E: Final = {"call", "show", "set", "use", "load", "replace", "kill", "merge", "begin", "commit", "handler", "describe"}


# English determiners: `from the list`, `from your account`; a table name is never one of them.
_DETERMINERS: Final = {"the", "a", "an", "my", "your", "our", "their", "his", "her", "its", "this", "that", "these", "those",
                       "every", "each", "any", "some", "no"}


_SELECT_LIST_END: Final = frozenset(("from", "into", "where", "group", "order", "having", "limit", "procedure", "union",
                                     "except", "intersect", "for", "window", "offset", "fetch", "lock"))


def _select_list_broken(sig: list[Tok], j: int) -> bool:
    """SELECT's list from sig[j] (up to FROM or another clause) holds two operands side by side that no dialect
    parses: a number right after a column, literal, variable or `)` (`tickets 2024`, `1 2`; an alias is a word and
    no alias is all digits), or three words in a row (`name alias` is the most an item is)."""
    depth = 0
    for k in range(j, len(sig)):
        t = sig[k]
        if t.t == "(":
            depth += 1
        elif t.t == ")":
            depth -= 1
            if depth < 0:
                return False
        if depth or t.t == "(":
            continue
        if t.t == ";" or t.v in _SELECT_LIST_END:
            return False
        if k > j and t.t == "1" and t.v[:1].isdigit() and sig[k - 1].t in ("n", "1", "s", "t", "v", ")") and \
                not _select_modifier(sig[k - 1]):
            return True
        if k > j + 1 and all(x.t == "n" and not _select_modifier(x) for x in sig[k - 2:k + 1]):
            return True
    return False


def _select_modifier(t: Tok) -> bool:
    """A word that may stand before SELECT's list or be a qualified name (`sql_no_cache`, `distinctrow`, `t.c`)."""
    return t.t == "n" and ("_" in t.v or "." in t.v or t.v == "distinctrow")


def _select_list_ok(sig: list[Tok], j: int, ncomments: int) -> bool:
    """SELECT's list up to FROM holds an expression, not nothing (`select from many`) or a phrase (`select the best option`),
    and FROM names a table, not `the drop-down menu`."""
    k = j
    while k < len(sig) and sig[k].v != "from":
        if _prose_run(sig, k):
            return False
        k += 1
    if k + 1 < len(sig) and sig[k + 1].v in _DETERMINERS and not ncomments:
        return False
    return any(t.t in ("n", "1", "s", "f", "v", "t", "(") or t.v == "*" for t in sig[j:k]) or ncomments > 0


# Signal functions that need several arguments: a closed call with fewer is a word with a parenthesis.
_MIN_ARGS: Final = {"benchmark": 2, "extractvalue": 2, "updatexml": 3, "name_const": 2, "make_set": 2, "export_set": 3,
                    "concat_ws": 2, "get_lock": 2, "master_pos_wait": 2}


def _args(sig: list[Tok], i: int) -> int:
    """Arguments of the call whose name is sig[i]; a large number when the call is not closed (the value ends in SQL)."""
    depth, commas = 0, 0
    for t in sig[i + 1:]:
        if t.t == "(":
            depth += 1
        elif t.t == ")":
            depth -= 1
            if depth == 0:
                return commas + 1
        elif t.t == "," and depth == 1:
            commas += 1
    return 99


def _call_end(sig: list[Tok], i: int) -> int:
    """Index of the `)` that closes the call at sig[i] (its `(` follows it), or -1 when the value ends first."""
    depth = 0
    for k in range(i + 1, len(sig)):
        t = sig[k].t
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _py_traceback(sig: list[Tok]) -> bool:
    """The value opens with `Traceback (most recent call last):`, a Python traceback."""
    return len(sig) > 6 and sig[0].v == "traceback" and sig[1].t == "(" and sig[2].v == "most" and sig[3].v == "recent" \
        and sig[5].v == "last" and sig[6].t == ")"


def _generator_args(sig: list[Tok], i: int) -> bool:
    """The call at sig[i], or the call holding it, takes `for <name> in`: Python's generator expression (SQL's `for` in
    SUBSTRING/OVERLAY follows FROM and takes a number, never `name in`)."""
    k = _call_end(sig, i)
    if k >= 0 and any(sig[j].v == "for" and sig[j + 1].t == "n" and sig[j + 2].v == "in" for j in range(i + 2, k - 2)):
        return True
    depth = 0
    for p in range(i - 1, 0, -1):  # `max(len(w) for w in words)`: the enclosing call's `(`
        if sig[p].t == ")":
            depth += 1
        elif sig[p].t == "(":
            if depth == 0:
                return sig[p - 1].t in ("f", "n") and _generator_args(sig, p - 1)
            depth -= 1
    return False


def _method_chain(sig: list[Tok], i: int) -> bool:
    """The call at sig[i] is followed by `.name`: a method called on its result (`Date().getTime()`), which SQL's
    built-in functions do not have (Oracle's object types, which do, are signal functions)."""
    k = _call_end(sig, i)
    return k >= 0 and k + 2 < len(sig) and sig[k + 1].t == "." and sig[k + 2].t in ("n", "f", "k", "E")


def _lone_literal_call(sig: list[Tok], text: bool = True) -> bool:
    """The whole value is `name(literal, …)`: a call and nothing else, over strings and numbers only (with `text`,
    at least one string: `date('Y-m-d')`; calls over numbers alone, `div(23.23, 2)`, are how probes look)."""
    if sig and sig[-1].t == ";":
        sig = sig[:-1]
    return len(sig) >= 3 and sig[1].t == "(" and sig[-1].t == ")" and \
        all(t.t in ("s", "1", ",") and (t.t != "s" or t.closed) for t in sig[2:-1]) and \
        (not text or any(t.t == "s" for t in sig[2:-1]))


def _in_braces(sig: list[Tok], i: int) -> bool:
    """The call at sig[i] opens or follows a `{` block (GraphQL selections, code): SQL has no braces."""
    if i > 0 and sig[i - 1].v == "{":
        return True
    k = _call_end(sig, i)
    return k >= 0 and k + 1 < len(sig) and sig[k + 1].v == "{"


def _in_c_condition(sig: list[Tok], i: int) -> bool:
    """The call at sig[i] sits in the condition of a C-style `if (…) stmt` / `while (…) stmt` (code in a text box):
    SQL's IF is a call `if(a,b,c)` or `IF … THEN`, never followed by a bare statement."""
    depth = 0
    for k in range(i - 1, -1, -1):
        t = sig[k].t
        if t == ")":
            depth += 1
        elif t == "(":
            if depth == 0:
                if k == 0 or sig[k - 1].v not in ("if", "while"):
                    return False
                end = _call_end(sig, k - 1)
                return end >= 0 and end + 1 < len(sig) and (sig[end + 1].t in ("n", "f") or sig[end + 1].v == "{")
            depth -= 1
    return False


def _call_in_prose(sig: list[Tok], i: int) -> bool:
    """A call at sig[i] framed by English: a bare word right before it and after its `)`, or words inside that no
    SQL argument list has (`sleep (8 hours)`), followed by more words. SQL never puts a bare word before a call."""
    n = len(sig)
    if i + 1 >= n or sig[i + 1].t != "(":
        return False
    depth, k, wordy = 0, i + 1, False
    while k < n:
        t = sig[k]
        if t.t == "(":
            depth += 1
        elif t.t == ")":
            depth -= 1
            if depth == 0:
                break
        elif k > i + 1 and t.t == "n" and sig[k - 1].t in ("n", "1") and depth == 1:
            wordy = True  # `8 hours`, `items more`: two operands with nothing between
        k += 1
    if k >= n:
        return False  # an unclosed call: the value ends inside SQL
    after = sig[k + 1:k + 3]
    before = sig[i - 1] if i > 0 else None
    words_after = len(after) == 2 and after[0].t in ("n", "o") and after[1].t in ("n", "1") and after[0].v not in _CMP - {"is", "in", "not"} \
        or len(after) >= 1 and (after[0].t == "n" or after[0].v in _PROSE_K or after[0].t == "E" and after[0].v in _PROSE_E) \
        and (len(after) == 1 or after[1].t == "n")
    words_before = before is not None and before.t == "n" and "." not in before.v
    return (words_after and (words_before or wordy or i == 0)) or (words_before and (wordy or not after))


def _call_framed_by_prose(sig: list[Tok], i: int) -> bool:
    """The call at sig[i] sits in a sentence: bare words before it (the value's first word, or two in a row, maybe
    then one operator: `put =IF(`, `difference between char(`) and, after its `)`, at most two linking words (a logic
    or operator word, a noun like `function`) and then two bare words (`and drag down`, `function in your app`). SQL
    puts no phrase after a value: the call's result is compared with nothing, it is not a condition."""
    k = _call_end(sig, i)
    if k < 0:
        return False
    m = k + 1
    for _ in range(2):
        if m < len(sig) and (sig[m].t in ("&", "o") and sig[m].v.isalpha() or sig[m].v in _PROSE_K or
                             sig[m].t == "E" and sig[m].v in _PROSE_E):
            m += 1
    words = 0
    while m < len(sig) and words < 2 and (sig[m].t == "n" and "." not in sig[m].v and "_" not in sig[m].v or
                                          sig[m].t == "E" and sig[m].v in _PROSE_E):
        words += 1  # (`or just use the toolbar`: a statement word that is an everyday verb)
        m += 1
    if words < 2:
        return False
    j = i - 1
    if j >= 1 and (sig[j].t == "o" or sig[j].t == "k" and sig[j].v.isalpha()):
        j -= 1  # `put =IF(`, `between char(`, `store it as char(`
    return j >= 0 and sig[j].t == "n" and "." not in sig[j].v and "_" not in sig[j].v and \
        (j == 0 or sig[j - 1].t == "n" or sig[j - 1].t == "k" and sig[j - 1].v.isalpha())


# Functions that spreadsheets, calculators and programming languages share with SQL.
_MATH_FUNCS: Final = {"max", "min", "count", "sum", "avg", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "abs",
                      "round", "floor", "ceil", "ceiling", "sqrt", "pow", "power", "exp", "log", "ln", "mod", "sign", "pi",
                      "rand", "degrees", "radians", "greatest", "least", "now", "len", "length", "lower", "upper", "trim"}
_CALC_FUNCS: Final = {"sqrt", "log", "ln", "max", "min", "abs", "round", "pow", "power", "floor", "ceil", "avg", "sum"}
_FORMULA_OPS: Final = {"+", "-", "*", "/", "^", "%", ":", "<", ">", "<=", ">=", "=", "[", "]"}  # `-log[H+]`: a concentration


def _formula(toks: list[Tok]) -> bool:
    """`max(a, b)`, `sin(x)/cos(x)`, `SUM(A1:A10)`: calls of shared math functions over names and numbers, nothing
    else (no string, comment, keyword, logic or separator that would tie the value to an SQL statement)."""
    # ... over at least one variable or cell (`cos(0)`, a call on constants only, is how probes look), except the
    # calculator functions people type with numbers (`sqrt(16)`, `max(3, 7)`)
    # (the shape test first: it fails at the first SQL token, and this runs once per call in the value)
    if len(toks) > 3 and toks[-1].t == "n" and toks[-2].v in ("in", "of", "for"):
        toks = toks[:-2]  # `min(1, 2) = 1 in math`: a formula named in a sentence ends in a phrase, not in SQL
    return all(t.t in ("n", "1", "(", ")", ",") or t.t == "f" and t.v in _MATH_FUNCS or
               t.t in ("o", "?") and t.v in _FORMULA_OPS for t in toks) and \
        any(t.t == "n" or t.v == "*" or t.t == "f" and t.v in _CALC_FUNCS for t in toks)


# SQL's reserved clause words: after a `|` (bitwise OR) SQL wants an operand, a pipeline language a stage.
_PIPE_STAGE_WORDS: Final = {"where", "order", "group", "by", "having", "limit", "join", "from", "on", "distinct", "top",
                            "into", "values", "as", "then", "else", "end"}
# Aggregates every database requires an argument for: `count()` is KQL, `sum()` a method.
_NEEDS_ARG: Final = {"count", "sum", "avg", "min", "max"}


_CODE_STMT_RULES: Final = {"sqli:select_from", "sqli:select_expr", "sqli:having", "sqli:order_by", "sqli:from_clause",
                           "sqli:alias_from", "sqli:case_when", "sqli:logic_tautology", "sqli:function", "sqli:pg_cast",
                           "sqli:json_operator", "sqli:match_against"}


def _string_subscript(sig: list[Tok]) -> bool:
    """`len(data['responses'])`: a name indexed by a string in brackets -- a dict/array lookup of Python, JS, PHP or
    Ruby; MSSQL reads `[…]` as a quoted identifier, which never holds a quote mark."""
    return any(sig[k].v == "[" and sig[k - 1].t in ("n", ")") and sig[k + 1].t == "s" and sig[k + 1].closed and
               sig[k + 2].v == "]" for k in range(1, len(sig) - 2))


def _balanced(sig: list[Tok]) -> bool:
    """Every `(` closed by a `)` in order: the value breaks out of no bracket of the query around it."""
    depth = 0
    for t in sig:
        depth += (t.t == "(") - (t.t == ")")
        if depth < 0:
            return False
    return depth == 0


def _unparseable(sig: list[Tok]) -> bool:
    """Before its first `;` the token stream holds what no SQL dialect parses, so the statement it would be spliced
    into fails to compile and nothing in it runs (MySQL stops at the first failing statement, PostgreSQL and MSSQL
    compile the whole batch first): a name right before `{` (a PromQL selector, a code block; MySQL's ODBC `{x expr}`
    stands where an operand does), `{{` (a template tag), a backslash before a word (LaTeX; SQL has none outside
    strings), `|` before a clause word or before a name and a call (`| where`, `| summarize count()`: a pipeline
    stage), or an aggregate called with no argument (`count()`)."""
    for k, t in enumerate(sig):
        if t.t == ";":
            return False
        nxt = sig[k + 1] if k + 1 < len(sig) else None
        if nxt is None:
            return False
        if nxt.v == "{" and (t.t == "n" or t.v in ("{", "]")):  # `]{`: GROQ's projection after its filter
            return True
        if t.v == "\\" and nxt.t in ("n", "f", "k", "E", "o", "&"):
            return True
        if t.v == "|" and (nxt.t == "k" and nxt.v in _PIPE_STAGE_WORDS or
                           nxt.t == "n" and k + 2 < len(sig) and sig[k + 2].t == "f"):
            return True
        if t.t == "f" and t.v in _NEEDS_ARG and nxt.t == "(" and k + 2 < len(sig) and sig[k + 2].t == ")":
            return True
        if t.v == "~" and k > 0 and sig[k - 1].t in ("n", "1", ")") and _numeric_operand(sig, k + 1):
            return True  # `glm(y ~ dose + log(x), …)`: an R or statsmodels model formula; binary `~` is PostgreSQL's
            # regex match, which takes text, and no dialect has `text ~ numeric`: the statement fails to compile
        if t.t == "1" and nxt.t == "1" and t.v[:1].isdigit() and nxt.v[:1].isdigit():
            return True  # `POLYGON((-122.4 37.7, …))`, `POINT(-90 40)`: WKT coordinates; SQL never puts two numbers side by side
        if t.v == "{" and nxt.t == "n" and k + 2 < len(sig) and sig[k + 2].v == "}":
            return True  # `IF({Qty} > 10, …)`: a no-code tool's field reference; MySQL's ODBC `{name expr}` needs the expr
    return False


def _numeric_operand(sig: list[Tok], i: int) -> bool:
    """The operand starting at sig[i] (up to a `,` or a `)` at its own depth) holds no string and is a number: a numeric
    literal or a shared maths function's call in it, or arithmetic (`dose + offset(log(exposure))`)."""
    depth, numeric = 0, False
    for k in range(i, min(len(sig), i + 64)):
        t = sig[k]
        if t.t == "(":
            depth += 1
        elif t.t == ")":
            depth -= 1
            if depth < 0:
                break
        elif t.t == "," and depth == 0 or t.t == ";":
            break
        elif t.t in ("s", "c", "E", "U", "v", "&") or t.t == "k" and not (k + 1 < len(sig) and sig[k + 1].t == "("):
            return False  # (a keyword spelled as a call, R's `offset(…)`, is a name)
        elif t.t == "1" or t.t == "f" and t.v in _MATH_FUNCS or t.t == "o" and t.v in ("+", "*", "/", "^", "-"):
            numeric = True
    return numeric


def _math_call_end(sig: list[Tok], i: int) -> int:
    """Index of the `)` closing sig[i] when it is a call of a shared maths function over numbers only (`max(3,7)`,
    `round(sqrt(2), 3)`, `abs(-4)`), else -1: a constant, which names no column and reads nothing."""
    if sig[i].t != "f" or sig[i].v not in _MATH_FUNCS or i + 1 >= len(sig) or sig[i + 1].t != "(":
        return -1
    k = i + 2
    while k < len(sig):
        t = sig[k]
        if t.t == ")":
            return k
        if t.t == "1" and t.v[:2] not in ("0x", "0b") or t.t == "," and sig[k - 1].t in ("1", ")") or \
                t.t == "o" and t.v in ("-", "+") and sig[k - 1].t in ("(", ","):
            k += 1
        elif t.t == "f" and sig[k - 1].t in ("(", ","):
            k = _math_call_end(sig, k)  # a nested call (`round(sqrt(2), 3)`)
            if k < 0:
                return -1
            k += 1
        else:
            return -1
    return -1


def _math_statement_before(sig: list[Tok], i: int) -> bool:
    """The operand before the logic word at sig[i] is `call` or `call = number` of a maths call over numbers, and it
    opens the value or follows prose (`find max(3,7) and`, `max(3,7) = 7 and`), never an operator or a quote."""
    j = i - 1
    if j >= 2 and sig[j].t == "1":
        j -= 1
        if sig[j].v in ("-", "+") and j >= 2:
            j -= 1
        if sig[j].t != "o" or sig[j].v not in _CMP_MATH:
            return False
        j -= 1
    if j < 0 or sig[j].t != ")":
        return False
    depth = 0
    for k in range(j, -1, -1):  # back to the `(` that opens the call
        depth += sig[k].t == ")"
        depth -= sig[k].t == "("
        if depth == 0:
            break
    else:
        return False
    if k < 1 or _math_call_end(sig, k - 1) != j:
        return False
    return k - 1 == 0 or sig[k - 2].t in ("n", "?", ",", "&", "k") or sig[k - 2].v == "is"  # (SQL's IS takes no call)


def _math_statement_after(sig: list[Tok], j: int) -> bool:
    """sig[j] starts `call` or `call = number` of a maths call over numbers, and the value goes on in prose or ends
    (`and min(-2,5), then`, `and min(2,8) = 2`)."""
    k = _math_call_end(sig, j) if j < len(sig) else -1
    if k < 0:
        return False
    k += 1
    if k + 1 < len(sig) and sig[k].t == "o" and sig[k].v in _CMP_MATH:
        k += 1
        if sig[k].v in ("-", "+"):
            k += 1
        if k >= len(sig) or sig[k].t != "1":
            return False
        k += 1
    return k == len(sig) or sig[k].t in ("n", "?", ",", ".", "&", "k") or sig[k].v == "?"


_CMP_MATH: Final = {"=", "<", ">", "<=", ">=", "!=", "<>"}


def _has_math_pair(sig: list[Tok]) -> bool:
    """Two maths statements joined by a logic word somewhere in the value (`max(3,7) and min(-2,5)`): a sentence
    about arithmetic, whose other calls over numbers are constants too (`min(3,7) = 3, max(3,7) = 7 and …`)."""
    return any(t.t == "&" and _math_statement_before(sig, k) and _math_statement_after(sig, k + 1)
               for k, t in enumerate(sig))


def _replace_values(sig: list[Tok], j: int, stacked: bool) -> bool:
    """REPLACE [INTO] name [(cols)] VALUES (: needs the column list, or a `;`/comment around it, to tell from prose."""
    n = len(sig)
    if j < n and sig[j].v == "into":
        j += 1
    if j >= n or sig[j].t not in ("n", "k"):
        return False
    j += 1
    cols = j < n and sig[j].t == "("
    if cols:
        while j < n and sig[j].t != ")":
            j += 1
        j += 1
    return (cols or stacked) and j + 1 < n and sig[j].v == "values" and sig[j + 1].t == "("


def v_is_stmt(v: str) -> bool:
    return v in _STMT_STRONG


_ODBC_ESCAPE: Final = re.compile(r"\{\s*(?:fn|oj|call|escape)\b|\}")
_ODBC_OPEN: Final = re.compile(r"\{\s*(?:fn|oj|call|escape)\b")  # only a value with an escape has its `}` blanked
# Python's %-format placeholder (`%(name)s`, `%(count)5.2f`): a name in brackets and a conversion letter glued to it.
_PY_PLACEHOLDER: Final = re.compile(r"%\([a-z_][a-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[diouxefgcrsa](?![a-z0-9_(])")
_SHEET_CALL: Final = re.compile(r"^\s*(?:=\s*)?([a-z]+)\s*\(")  # (not `\s*=?\s*`: two blank runs side by side)
# Functions of spreadsheet formulas; the first five groups also exist in SQL, so a formula that uses only them
# must name a cell (A1, B:B, $C$3) to count as one.
_SHEET_FUNCS = {"if", "sum", "min", "max", "avg", "round", "left", "right", "mid", "len", "and", "or", "not", "abs",
                "countif", "countifs", "sumif", "sumifs", "averageif", "averageifs", "average", "vlookup", "hlookup",
                "xlookup", "index", "iferror", "ifs", "concatenate", "textjoin", "today", "counta", "countblank",
                "networkdays", "edate", "eomonth", "sumproduct", "rounddown", "roundup", "isblank", "iserror",
                "datedif", "datevalue", "weekday", "proper", "xmatch", "rank", "large", "small", "median", "stdev",
                "pmt", "isnumber", "istext", "rept"}
# Excel / Google Sheets functions SQL has too: a formula of them is one only over cells (`=CONCAT(B2,C2)`) or over
# literals after a leading `=` (`=DATE(2024,6,1)+30`); the names above that SQL lacks make any formula one
_SHEET_SQL_TOO: Final = {"concat", "date", "year", "month", "day", "days", "hour", "minute", "now", "text", "value", "trim",
                         "upper", "lower", "substitute", "find", "search", "match", "count", "product", "power", "sqrt", "mod",
                         "int", "floor", "ceiling", "choose", "unique", "sort", "exact"}
_SHEET_ONLY: Final = _SHEET_FUNCS - {"if", "sum", "min", "max", "avg", "round", "left", "right", "mid", "len", "and", "or",
                                     "not", "abs", "today", "index"}
_SHEET_FUNCS = _SHEET_FUNCS | _SHEET_SQL_TOO  # a new set: _SHEET_ONLY above keeps the SQL-free names only
_CELL: Final = re.compile(r"^\$?[a-z]{1,3}\$?\d{1,7}$")


def _spreadsheet(s: str) -> bool:
    """The whole value is a spreadsheet formula: calls of spreadsheet functions over cells, ranges, numbers and
    strings, with nothing SQL adds (no statement, keyword, logic word, comment, `;` or variable)."""
    toks = tokenize(s, 80)
    cells = sheet_only = False
    # `=DATE(2024,6,1)+30`: a formula of functions SQL has too is still one when it computes over literals alone,
    # after the `=` that starts every formula (SQL never starts an operand with `=`, and a constant reads no data)
    constant = len(toks) > 2 and toks[0].v == "="
    for k, t in enumerate(toks):
        if t.t == "f" or t.t in ("n", "&", "k", "o", "E") and t.v in _SHEET_FUNCS and toks[k + 1:k + 2] and toks[k + 1].t == "(":
            if t.v not in _SHEET_FUNCS:
                return False
            sheet_only = sheet_only or t.v in _SHEET_ONLY
        elif t.t == "n":
            # a cell (`B2`), or a column range (`A:E`, `Data!A:F`): SQL has no `name:name`
            cells = cells or bool(_CELL.match(t.v)) or k + 2 < len(toks) and toks[k + 1].v == ":" and toks[k + 2].t == "n"
            constant = False
        elif t.t not in ("1", "s", "(", ")", ",", "t") and not (t.t in ("o", "?") and t.v in _SHEET_OPS):
            return False
        elif constant and k and (t.t == "o" and t.v not in _SHEET_ARITH or t.t == "1" and t.v[:2] in ("0x", "0b")
                                 or t.t == "s" and not t.closed or t.t in ("t", "?")):
            constant = False  # a comparison, a hex literal, an open quote: not arithmetic over literals
    return sheet_only or cells or constant


# mysqljs (Node) expands an object bound to `?` into `key = value` pairs: `password[password]=1` (PHP/qs form syntax) or
# `{"password":{"password":1}}` (the JSON body's secret member, a point of sensor/points/json.py) turns
# `WHERE password = ?` into ``password = `password` = 1``, true for every row -- the documented login bypass.
# A credential or identity field whose value is an object keyed by its own name is no form data.
_SELF_KEY: Final = re.compile(r'^([\w\-]{1,64})\[\1\]$|^"([\w\-]{1,64})":\{\s*"\2"\s*:')
# (the word part starts with a letter or digit: `\W*` and a word part free to start with `-` split a dash run every way)
_SELF_KEY_NAME: Final = re.compile(r"^\W*(?:\w[\w\-]*?)?(?:pass(?:word|wd|phrase|code)?|pwd|secret|token|user(?:_?name)?|login|e-?mail|account|otp|pin|api_?key)\W")
# (the first backtick right after a name's last character: a Markdown code span opens after a blank or at the start)
_BACKTICK_BREAK: Final = re.compile(r"[^`]*\w`\s*(?:[=<>!]|\|\||&&|--|#|/\*|;|\)|(?:or|and|xor|union|order|group|limit|"
                                    r"having|where|like|regexp|rlike|between|in|is|not|sounds)\b)")
_SHEET_OPS: Final = {"=", "<", ">", "<=", ">=", "<>", "+", "-", "*", "/", "^", "&", ":", "!", "$", "%"}
_SHEET_ARITH: Final = {"+", "-", "*", "/", "^", "&", "%"}


def analyze(value: str) -> Finding | None:
    s = value.lower()
    if s[:1] != "{" and _SELF_KEY.match(s) and _SELF_KEY_NAME.search(s):
        return Finding(TYPE, "sqli:object_self_key", 0.8)
    if "/*" in s:
        s = _VERSION_COMMENT.sub(" ", s)
    best: tuple[float, str] = (0.0, "")
    if not s.isascii():
        if _LOOKALIKE_QUOTE.search(s):  # look-alike quotes some charsets fold to '
            s = s.translate(_QUOTE_FOLD)
        if chr(0xDCA0) in s:  # a raw 0xA0 byte (not UTF-8) is a blank to MySQL: sqlmap's space2mysqlblank
            s = s.replace(chr(0xDCA0), " ")
    if "%(" in s:
        s = _PY_PLACEHOLDER.sub(" x ", s)  # `"%(name)s"`: a gettext/printf placeholder, not `%` and a bracket
    sheet = _SHEET_CALL.match(s) if "(" in s else None
    # `=COUNTIF(B:B,">5")`, `=ARRAYFORMULA(…)`: a spreadsheet formula (a known function, or any after the `=` that
    # starts every formula), whose calls, comparisons and quotes are its own. Its strings still carry text, and text
    # that breaks out of the quote an application puts around the value (`=LEN(" or 1=1 -- ")`) is read below.
    formula = sheet is not None and (sheet.group(1) in _SHEET_FUNCS or s.lstrip()[:1] == "=") and _spreadsheet(s)
    if "{" in s and _ODBC_OPEN.search(s):
        s = _ODBC_ESCAPE.sub(" ", s)  # ODBC escapes ({fn user()}, {oj …}) run what they wrap: read it as SQL
    variants = [("'", s), ('"', s)] if formula else [("", s), ("'", s), ('"', s)]
    if s.lstrip().startswith("`") or s.count("`") % 2 or "`" in s and _BACKTICK_BREAK.match(s):
        # (an even count too when the first backtick is followed by what breaks out of an identifier: a field name
        # spliced into `…` that closes it and reopens it at its end, as a quote breakout does with its quote)
        variants.append(("`", s))
    if "/*" in s:
        joined = _INNER_COMMENT.sub(_join_split_keyword, s)  # DR/**/OP: comments splitting a keyword
        if joined != s:
            variants.append(("", joined))
    if "+" in s and _PLUS_BLANK.search(s):
        # `-1+union+all+select+1,2,3--+`: literal plus signs between keywords are blanks after the second URL
        # decoding (or form decoding) some applications apply
        plus = s.replace("+", " ")
        variants += [("", plus), ("'", plus), ('"', plus)]
    hint = -1
    if "/*+" in s and _HINT_SQL.search(s):
        # `1 /*+ and 1=2 */`: an optimizer hint holds hint names (INDEX(t i), BKA, PARALLEL); one holding a condition
        # or a clause is no hint but SQL wrapped to pass filters that skip comments (CRS 942500's `/*+`). MySQL and
        # Oracle read a hint only right after the statement verb and ignore it elsewhere, so the SQL in it is not run
        # there -- read it, but as a probe: capped at 0.7, see below
        hint = len(variants)
        variants.append(("", _HINT_SQL.sub(lambda m: " " + m.group(1) + " ", s)))
    pct = -1
    if "%" in s and _PCT_TAMPER.search(s) and any(m.group().replace("%", "") in _SQL_WORDS for m in _PCT_WORD.finditer(s)):
        # ASP/IIS drop a `%` not followed by two hex digits: `%S%E%L%E%C%T` reaches the database as SELECT
        pct = len(variants)
        variants.append(("", _PCT_LONE.sub("", s)))
    n_plain = len(variants)
    if "\\'" in s or '\\"' in s:  # \' defeats addslashes-style escaping in multi-byte charsets
        t = s.replace("\\'", "'").replace('\\"', '"')
        variants += [("'", t), ('"', t)]
    nested = False
    for k, (ctx, s2) in enumerate(variants):
        if ctx and ctx not in s2:
            continue
        toks = tokenize(ctx + s2)
        if k < n_plain and not nested and any(t.t == "n" and t.v in _NESTED_FORMS for t in toks):
            nested = True
            # `UNIunionON SELselectECT`: a filter that strips a keyword once leaves the keyword it was nested in (the
            # words are looked up in the tokens already made: a regex over the value costs more than the tokenizer)
            flat = _NESTED.sub(lambda m: _NESTED_FORMS[m.group()], s)
            variants += [("", flat), ("'", flat), ('"', flat)]
        if ctx and toks and toks[0].t in ("s", "n") and not toks[0].closed:
            continue
        q = s2.find(ctx) if ctx else -1
        opens = q > 0 and (s2[q - 1] == "(" or s2[q - 1] == "=" and _in_tag(s2, q - 1))
        sc = _judge(toks, ctx, 0 < q < len(s2) - 1 and s2[q - 1].isalpha() and s2[q + 1].isalpha(), opens)
        if k >= n_plain and 0 < sc[0] < 0.6 and sc[1].startswith("sqli:quote_") and _ESCAPED_BREAKOUT.match(s):
            # the value *starts* by escaping the quote it breaks out of (`\'and`): no text begins that way, while
            # it is the standard bypass of backslash-escaping filters
            sc = (0.6, sc[1])
        if k == hint and sc[0] > 0.7:
            sc = (0.7, sc[1])
        if k == pct and sc[0] >= REPORT_FLOOR and sc[0] < 0.7:
            sc = (0.7, sc[1])  # SQL spelled with a `%` before every letter: the spelling is the evasion
        if formula and (not ctx or sc[0] < 0.8 or sc[1] == "sqli:quote_operator"):
            continue  # a formula's `"-"`, `"--"`, `"*"` are its operands; only a breakout carrying SQL counts
        if sc[0] > best[0]:
            best = sc
        if best[0] >= 0.95:
            break
    if formula:
        return Finding(TYPE, best[1], best[0]) if best[0] > 0 else None
    # Whole-value shapes (a bare operator, a magic number, a probe word): judged on the value and, when it ends
    # in an SQL comment, on what stands before it too (`1=1-- -`, `<=>#`: the comment only silences the rest).
    # Inline comments are blanks to SQL (`is/**/null`).
    best = _whole_value(s, best)
    if best[0] < 0.6 and ("-" in s or "#" in s or "/*" in s):
        core = _strip_trailing_comment(s)
        if "/*" in core:
            core = _blank_comments(core)
        if core != s and core.strip():
            best = _whole_value(core, best)
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])


def _whole_value(s: str, best: tuple[float, str]) -> tuple[float, str]:
    """Rules about the shape of the whole value; returns the better of `best` and what they find."""
    m = _BARE_TAUTOLOGY.match(s) if best[0] < 0.6 else None
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        op = s[m.end(1):m.start(2)].strip()
        if (op in ("=", "==", "<=>") and a == b) or (op in ("!=", "<>") and a != b):
            best = (0.6, "sqli:bare_tautology")
    if best[0] < 0.55 and len(s) <= 40 and _BARE_OPERATOR.match(s):
        best = (0.55, "sqli:bare_operator")  # under a field naming an operator, see operator_counts()
    st = s.strip()
    if best[0] < 0.55 and (st in _MAGIC_NUMBERS or "e" in st and out_of_range(st)):
        best = (0.55, "sqli:magic_number")
    if best[0] < 0.55 and (st in BARE_WORDS or _BARE_PROC.match(s.strip(" \t\r\n'\"`"))):
        best = (0.55, "sqli:keyword")
    if best[0] < 0.55 and (_QUOTE_NUM.match(s) or _QUOTE_MIX.match(s) and len({c for c in s if c in "'\"`"}) >= 2):
        best = (0.55, "sqli:quote_probe")
    if best[0] < 0.6 and '"' in s and "'" in s and _QUOTE_FUZZ.search(s):
        best = (0.6, "sqli:quote_probe")
    if best[0] < 0.7 and ".e" in s and _SCI_EVASION.search(s):
        best = (0.7, "sqli:scientific_notation")
    if best[0] < 0.7 and "`" in s and (_BACKTICK_SELF.search(s) or _BACKTICK_QUALIFIED.search(s)):
        best = (0.7, "sqli:backtick_condition")
    if best[0] < 0.85 and _catalog(s):
        best = (0.85, "sqli:catalog")
    if best[0] < 0.6 and s.rstrip().endswith("("):
        m = _CALL_PREFIX.match(s)
        if m and (m.group(1) in _FUNC_STRONG or m.group(1) in _PREFIX_WORDS) and m.group(1) not in ("exec", "execute"):
            best = (0.6, "sqli:function_prefix")
    return best


BARE_WORDS: Final = {"xor", "regexp", "rlike", "xp_regread", "xp_cmdshell", "sp_password", "utl_http", "utl_inaddr", "openrowset",
                     "opendatasource", "dbms_java", "sys_context", "mysql.db", "msysaccessobjects", "msysobjects", "northwind", "schema_name", "table_name", "column_name",
                     "sp_executesql", "msdb", "nvarchar", "varchar", "varchar2", "nchar", "information_schema", "sysobjects", "syscolumns",
               "xp_cmdshell", "sp_executesql", "tempdb", "sysdatabases", "dbms_pipe", "utl_http", "pg_sleep", "@@version",
               "msdasql", "sqloledb"}
# The databases' own dangerous procedures and packages (MSSQL extended procedures, OLE DB providers, Oracle
# packages): names no one types into a form unless probing which of them the backend lets through.
_BARE_PROC: Final = re.compile(
    r"^(?:xp_(?:cmdshell|regread|regwrite|dirtree|fileexist|servicecontrol|availablemedia|enumdsn|loginconfig|makecab|"
    r"ntsec_enumdomains|terminate_process|subdirs|regdeletekey|regdeletevalue|regenumvalues|instance_regread|cmdshell)|"
    r"sp_(?:executesql|password|oacreate|oamethod|makewebtask|addextendedproc|configure|addsrvrolemember|addlogin|"
    r"execute_external_script|linkedservers|helplinkedsrvlogin)|utl_(?:http|inaddr|file|smtp|tcp)|"
    r"dbms_(?:java|pipe|lock|xmlgen|ldap|scheduler|sql|output)|openrowset|opendatasource|msdasql|sqloledb|sys_context)$")
# A quote and a number (`'1`, `1'`, `5"'`), or a quote and the brackets it would close (`')`, `"))`): the first
# probes of a scan.
_QUOTE_NUM: Final = re.compile(r"^\s*['\"`]\s*(?:-?\d+|\)+)\s*$|^\s*-?\d+\s*[\"'`]*['`][\"'`]*\s*$|^\s*\(\s*\d+\s*[=<>]\s*\d+\s*\)\s*[*+\-/]\s*\d+\s*$")
_LOOKALIKE_QUOTE: Final = re.compile("[\u2019\u2018\u00b4\u02bc\uff07" + chr(0xDCB4) + chr(0xDC91) + chr(0xDC92) + "]")
_QUOTE_FOLD: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u02bc": "'", "\uff07": "'",
                              chr(0xDCB4): "'", chr(0xDC91): "'", chr(0xDC92): "'"})  # last three: raw latin-1/cp1252 bytes
# Scanners append a run of quotes, brackets and dots to a value to see which one breaks the query (sqlmap's
# heuristic check: `1'.("(,.)"`); text has no run of six such characters holding both quotes and a bracket.
_QUOTE_FUZZ: Final = re.compile(r"""(?<![().,'"])(?=[().,'"]{6})(?=[().,"]*')(?=[().,']*")(?=[.,'"]*[()])""")
_PLUS_BLANK: Final = re.compile(r"\+(?:union|select|and|or|xor|not|order|group|from|where|having|limit|procedure|into|all|distinct)\+")
_NESTED: Final = re.compile(r"(?<![a-z0-9_])(?:" + "|".join(sorted(_NESTED_FORMS, key=len, reverse=True)) + r")(?![a-z0-9_])")
_PCT_TAMPER: Final = re.compile(r"(?:%[a-z]){3}")
_PCT_LONE: Final = re.compile(r"%(?![0-9a-f]{2})")
_PCT_WORD: Final = re.compile(r"(?:%[a-z_]){2,}")
# A comment ends at its first `*/` and holds no `/*` (nor a line break): each character is scanned by one comment at
# most, where `.*?` rescanned to the end of the value from every unclosed `/*` (quadratic: 1 s on 20 kB of `/*on`).
# Words start at a word boundary, which is where the leftmost match starts anyway.
_INNER_COMMENT: Final = re.compile(r"(?<![a-z_])([a-z_]+)(?:/\*(?:(?!\*/|/\*)[^\n])*\*/)+([a-z_]+)")  # DR/**//**/OP too
_SQL_WORDS: Final = _E | _K | _LOGIC | _OPW | _CONST | {"union"}
# Quote characters only (`'"`, `"')`...): the first probe of an injection scan.
_QUOTE_MIX: Final = re.compile(r"^\s*['\"`\\)(;!#\-]{2,6}\s*$")
# MySQL reads `1.e` as a number and ignores it before `(` or `.`: `1.e(ascii(...))`, `1.e.tables` slip past filters.
_HINT_SQL: Final = re.compile(r"/\*\+\s*((?:(?:and|or|xor|not|union|select|having|where|order|group|procedure|waitfor)\b|&&|\|\||;)"
                              r"(?:(?!\*/).)*)(?:\*/|$)", re.S)  # unclosed: a value cut inside the hint (a cookie at its `=`)
_SCI_EVASION: Final = re.compile(r"(?:^|[^\w.])\d+\.e(?:\(|\.[a-z_]|,)")


def _join_split_keyword(m: re.Match) -> str:
    """DR/**/OP -> DROP when the halves form an SQL word; otherwise the comment stays (it separates tokens)."""
    a, b = m.group(1), m.group(2)
    for k in range(1, min(len(a), 12) + 1):
        for j in range(1, min(len(b), 12) + 1):
            if a[-k:] + b[:j] in _SQL_WORDS and (j == len(b) or not b[j].isalnum()) and (k == len(a) or not a[-k - 1].isalnum()):
                return a + b
    return m.group(0)
# A trailing SQL comment: `-- …` (MySQL wants a blank after `--`), `#…`, `/*…` (closed or not), at most 20 chars.
# Matched on the value without its trailing blanks, from _COMMENT_SPAN characters before its end: searched with blanks
# in front (`\s*(?:--…)\s*$`), each start in a long blank run rescanned the run to its end (a 16 KB multipart part
# of CRLFs after `--boundary` cost seconds).
_TRAILING_COMMENT: Final = re.compile(r"(?:--(?:[\s\-+].{0,20})?|#.{0,20}|/\*(?:(?!\*/).){0,20}(?:\*/)?)\Z", re.S)
_COMMENT_SPAN: Final = 24  # the longest comment it takes: `/*`, 20 characters, `*/`


def _strip_trailing_comment(s: str) -> str:
    """`s` without a trailing SQL comment and the blanks around it (`1=1-- -` -> `1=1`); `s` itself when it has none."""
    r = s.rstrip()
    m = _TRAILING_COMMENT.search(r, max(0, len(r) - _COMMENT_SPAN))
    return s if m is None else r[:m.start()].rstrip()


def _blank_comments(s: str) -> str:
    """Every closed `/* … */` as one blank, in one pass (the regex `/\\*.*?\\*/` rescans to the end from each unclosed
    `/*`); an unclosed `/*` and what follows stay as they are, as with the regex."""
    out: list[str] = []
    i = 0
    while (a := s.find("/*", i)) >= 0 and (b := s.find("*/", a + 2)) >= 0:
        out += (s[i:a], " ")
        i = b + 2
    out.append(s[i:])
    return "".join(out)


_ESCAPED_BREAKOUT: Final = re.compile(r"""^\s*\\['"]""")
_BARE_TAUTOLOGY: Final = re.compile(r"^\s*(?:\w+\s*,\s*)?(-?\d+(?:\.\d+)?)\s*(?:=|==|<=>|!=|<>|<|>|<=|>=)\s*(-?\d+(?:\.\d+)?)\s*$")
_PLAIN_COMPARISONS: Final = {"=", "==", "!=", "<>", ">=", "<=", "<", ">"}
# Fields of condition builders whose value *is* an operator (Drupal JSON:API `filter[x][condition][operator]=>=`,
# rule engines' `"op":"=="`): there one comparison operator alone is the expected value, not a probe.
_OPERATOR_FIELDS: Final = frozenset(("operator", "op", "comparator", "comparison", "cmp", "operation", "relation"))


def operator_counts(rule: str, path: list, value: str) -> bool:
    """Whether a sqli finding on this point stands (the engine asks for `sqli:bare_operator` only): one plain
    comparison operator (`>=`, `<>`, `==`) under a field naming an operator is that field's value. SQL-only
    operators (`<=>`, `xor`, `regexp`, `||`, `->>`), runs of them and every other parameter name stay probes."""
    if rule != "sqli:bare_operator" or value.strip() not in _PLAIN_COMPARISONS:
        return True
    name = ""
    for i in range(len(path) - 1, -1, -1):    # an index loop: mypyc fails on reversed()/generators over a bare list
        x = path[i]
        if isinstance(x, str) and x not in ("#key", "hash", "array", "percent"):
            name = x
            break
    if "[" in name:
        name = name.rstrip("]").rsplit("[", 1)[-1]
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    return not (words and words[-1] in _OPERATOR_FIELDS) or path[-1:] == ["#key"]


# A whole value that is nothing but SQL operators: harmless in prose, a probe in a parameter.
_BARE_OPERATOR: Final = re.compile(r"^\s*(?:(?:==|->>|>>|<<|&&|\|\||!=|<=>|<>|>=|<=|xor|regexp|rlike|not\s+like|like\s+null|is\s+(?:not\s+)?null|sounds\s+like|order\s+by|group\s+by)\s*)+$|^\s*(?:not\s+)?in\s*\(\s*[\w'\"]+(?:\s*,\s*[\w'\"\-]+)+\s*\)\s*$", re.I)
# The edges of 32- and 64-bit integers, signed and unsigned, and their neighbours: overflow probes (skipfish, CRS 942220).
_INT_EDGES: Final = {f"{sign}{b + d}" for b in (1 << 31, 1 << 32, 1 << 63, 1 << 64) for d in (-1, 0, 1) for sign in ("", "-")}
# MySQL's quoted identifiers in a condition: a backticked name compared with itself (`id`=`id`), or a qualified
# one (`t`.`c`, which markdown never writes) before a comparison. Code spans in prose quote one name at a time.
# The value may also break out of the backticks the application puts around it (an ORDER BY or column-name
# parameter): ``name` = `name`` opens with the name the application's backtick quotes and ends in the one it closes.
_BACKTICK_SELF: Final = re.compile(r"(?:`|^\s*)([\w$]+)`\s*(?:=|<=>|like\b)\s*`\1(?:`|\s*$)")
_BACKTICK_QUALIFIED: Final = re.compile(r"`[\w$]+`\.`[\w$]+`\s*(?:=|<=>|!=|<>|<|>|like\b|rlike\b|regexp\b|in\b)\s*[(`'\"\d@-]")
_MAGIC_NUMBERS: Final = _INT_EDGES | {"4294967296", "4294967295", "2147483648", "2147483647", "-2147483648", "2.2250738585072011e-308",
                  "9223372036854775807", "9223372036854775808", "18446744073709551615", "1e309"}
_OVERFLOW: Final = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)[eE]\+?\d{3,}\s*")


def out_of_range(value: str) -> bool:
    """A decimal number past the range of a double (`1e309`, `9e999`, `1.5e+400`): no quantity is that large; it
    overflows to infinity or to a database error, the probe of CRS 942220 and skipfish (the engine lets these
    alphanumeric values through to the analyser, see `sqli:magic_number`)."""
    if len(value) > 40 or not _OVERFLOW.fullmatch(value):
        return False
    if value.isalnum() and len(value.strip()) != 5:
        # written with letters and digits only it could be hex (`12e456` a colour, `4e12345` a short commit hash):
        # only the one-digit form the probes use (`1e309`, `9e999`), which no hex format has
        return False
    try:
        return float(value) in (float("inf"), float("-inf"))
    except ValueError:
        return False


_PREFIX_WORDS: Final = {"values", "in", "local", "password", "user", "length", "ln", "exists", "any", "all", "some", "not",
                        "char", "nchar", "varchar", "cast", "convert", "substr", "ascii", "sleep", "benchmark", "if", "iif"}
_CALL_PREFIX: Final = re.compile(r"^\s*([a-z_][a-z0-9_.]*)[^a-z0-9_(]{0,4}\($")


# --- Filter languages (OData $filter, OGC CQL, Meilisearch, RSQL, GROQ, feature-flag rules) ---------------------------
# They join `field op value` predicates with AND/OR as SQL does, but spell operators as words (`eq`, `ge`), call
# predicates (`INTERSECTS(the_geom, POINT(-90 40))`, `defined(x)`), list values in `[…]` and group with `not (…)`.
# A region made of such predicates only -- each comparing a field (a name, or a call over one) with a literal, another
# name or a list -- probes nothing: no literal tautology (`1=1`, `'a'='a'`), no self-comparison, no signal function,
# no extraction call (`ascii(substring(password,1,1)) > 64`), no sub-select.
_GROQ_NAMESPACES: Final = {"pt", "geo", "math", "string", "array", "datetime", "sanity", "delta", "global", "diff", "dateTime"}
_FILTER_WORD_OPS: Final = {"eq", "ne", "gt", "ge", "lt", "le", "has", "contains", "startswith", "endswith"}
_FILTER_OPS: Final = (_CMP - {"not", "between", "sounds", "is", "in"}) | {"~", "!~", "match", "=~"}
# Functions a filter applies to a field's side (`year(BirthDate) eq 1985`, `tolower(Name) eq 'x'`); the rest of SQL's
# vocabulary (substr, ascii, length, if...) reads data piecewise as blind extraction does
_FILTER_FIELD_FUNCS: Final = {"year", "month", "day", "hour", "minute", "second", "date", "time", "round", "floor", "ceiling",
                              "ceil", "abs", "lower", "upper", "tolower", "toupper", "trim", "count", "now"}
_FILTER_ZERO_ARG: Final = {"now", "today", "maxdatetime", "mindatetime", "totaloffsetminutes"}


def _filter_call(sig: list[Tok], k: int, end: int, field: list[bool]) -> int:
    """sig[k] starts a call of a filter function (`intersects(the_geom, point(-90 40))`, `count(*[…])`): the index
    after its `)`, else -1. `field[0]` turns True when a name occurs among its arguments."""
    t = sig[k]
    if t.t not in ("n", "f") or k + 1 >= end or sig[k + 1].t != "(" or t.v in _FUNC_SIGNAL or t.v in _FUNC_CRS4 or \
            t.t == "f" and t.v not in _FILTER_FIELD_FUNCS:
        return -1
    j = k + 2
    if j < end and sig[j].t == ")":
        return j + 1 if t.v in _FILTER_ZERO_ARG or t.t == "n" and t.v not in _FUNC_STRONG else -1
    return _filter_args(sig, j, end, field)


def _filter_args(sig: list[Tok], j: int, end: int, field: list[bool]) -> int:
    """Operands separated by `,` or blanks from sig[j] up to a `)`: the index after it, else -1."""
    while j < end:
        j = _filter_list(sig, j, end) if sig[j].v == "[" else _filter_operand(sig, j, end, field, arg=True)
        if j < 0 or j >= end:
            return -1
        if sig[j].t == ")":
            return j + 1
        if sig[j].t == ",":
            j += 1
    return -1


def _filter_operand(sig: list[Tok], k: int, end: int, field: list[bool], arg: bool = False) -> int:
    """One operand at sig[k]: a name (`user.plan`, `$max`, `^._id`), a literal, a call or `*[filter]`; index after it."""
    if k >= end:
        return -1
    t = sig[k]
    if t.t == "o" and t.v in ("-", "+") and k + 1 < end and sig[k + 1].t == "1":
        return k + 2
    if t.t in ("n", "f") and k + 1 < end and sig[k + 1].t == "(":
        return _filter_call(sig, k, end, field)
    if t.t == "n" and t.v in _GROQ_NAMESPACES and k + 2 < end and sig[k + 1].v == "::" and sig[k + 2].t in ("n", "f", "k"):
        field[0] = True  # `pt::text(body)`: a GROQ namespaced function over a field
        j = k + 3
        if j < end and sig[j].t == "(":
            j = _filter_args(sig, j + 1, end, field)
        return j
    if t.t == "n":
        field[0] = True
        return k + 1
    if t.t == "o" and t.v == "^" and k + 2 < end and sig[k + 1].t == "." and sig[k + 2].t == "n":
        field[0] = True
        return k + 3  # GROQ's parent reference
    if t.t in ("1", "s") and (t.t == "1" or t.closed) or t.t == "t" and t.v in ("null", "true", "false"):
        return k + 1
    if arg and t.v == "*" and k + 1 < end and sig[k + 1].v == "[":
        j = _filter_expr(sig, k + 2, end)  # GROQ's `*[filter]` as an argument: `count(*[_type == "book"])`
        field[0] = True
        return j + 1 if 0 <= j < end and sig[j].v == "]" else -1
    return -1


def _filter_list(sig: list[Tok], k: int, end: int) -> int:
    """`(…)` or `[…]` of literals and names, or a call (`segment("beta")`): the index after it, else -1."""
    if k < end and sig[k].t in ("n",) and k + 1 < end and sig[k + 1].t == "(":
        return _filter_call(sig, k, end, [False])
    if k >= end or sig[k].v not in ("(", "["):
        return -1
    close = ")" if sig[k].v == "(" else "]"
    j = k + 1
    while j + 1 < end and sig[j].t in ("s", "1", "n") and sig[j + 1].t in (",", ")", "?"):
        if sig[j + 1].v == close:
            return j + 2
        if sig[j + 1].t != ",":
            return -1
        j += 2
    return -1


def _filter_pred(sig: list[Tok], k: int, end: int, negated: bool = False) -> int:
    field = [False]
    start = k
    j = _filter_operand(sig, k, end, field)
    if j >= 0 and (j >= end or sig[j].t in ("&", ")") or sig[j].v == "]"):
        # a predicate call (`defined(x)`, `_geoRadius(48.85, 2.35, 2000)`: a name no database has, over anything
        # but a signal function) or, negated, a boolean field (`!user`)
        return j if sig[start].t == "n" and (j > start + 1 and (field[0] or sig[start].v not in _FUNC_STRONG)
                                              or negated and j == start + 1) else -1
    if j < 0 or not field[0]:
        return -1  # a literal (or a call over literals) on the field's side: `1 eq 1`, `ascii('a') = 97`
    left_name = sig[start].v if j == start + 1 else None
    op = sig[j]
    if op.v == "not" and j + 1 < end and sig[j + 1].v in ("in", "like", "ilike"):
        j += 1
        op = sig[j]
    if op.v == "in":
        return _filter_list(sig, j + 1, end)
    if not (op.t == "o" and op.v in _FILTER_OPS or op.t == "n" and op.v in _FILTER_WORD_OPS or op.v == ":"):
        return -1  # (`field:value`: Lucene, Algolia and Kibana's KQL; SQL has no such comparison)
    rf = [False]
    r = _filter_operand(sig, j + 1, end, rf)
    if r < 0 or r == j + 2 and sig[j + 1].t == "n" and sig[j + 1].v == left_name:
        return -1  # `x = x`: a field compared with itself
    return r


def _filter_expr(sig: list[Tok], k: int, end: int) -> int:
    """Predicates joined by AND/OR (not XOR), each maybe negated or grouped, from sig[k]: the index after, else -1."""
    while True:
        negated = False
        while k < end and sig[k].v in ("not", "!"):
            k += 1
            negated = True
        if k < end and sig[k].t == "(":
            j = _filter_expr(sig, k + 1, end)
            if j < 0 or j >= end or sig[j].t != ")":
                return -1
            k = j + 1
        else:
            k = _filter_pred(sig, k, end, negated)
            if k < 0:
                return -1
        if k < end and sig[k].t == "&" and sig[k].v != "xor":
            k += 1
            continue
        return k


def _shallow(sig: list[Tok], limit: int = 12) -> bool:
    """Brackets nest at most `limit` deep: the filter parser recurses per bracket (a deeper value is no filter)."""
    depth = 0
    for t in sig:
        if t.t == "(" or t.v == "[":
            depth += 1
            if depth > limit:
                return False
        elif t.t == ")" or t.v == "]":
            depth -= 1
    return True


def _filter_region(sig: list[Tok], i: int) -> bool:
    """The logic word at sig[i] joins filter-language predicates: the innermost bracket around it (or the value)
    holds nothing else."""
    if not _shallow(sig):
        return False
    depth = 0
    a = -1
    for k in range(i - 1, -1, -1):
        if sig[k].t == ")" or sig[k].v == "]":
            depth += 1
        elif sig[k].t == "(" or sig[k].v == "[":
            if depth == 0:
                a = k
                break
            depth -= 1
    if a < 0:
        return _filter_expr(sig, 0, len(sig)) == len(sig)
    close = ")" if sig[a].t == "(" else "]"
    j = _filter_expr(sig, a + 1, len(sig))
    return 0 <= j < len(sig) and sig[j].v == close
