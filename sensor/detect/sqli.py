"""SQL injection: a SQL tokenizer run in the contexts a value can sit in (bare, inside '…', inside "…")."""
from __future__ import annotations

import functools
import re

from sensor.detect.base import Finding

TYPE = "sqli"

# Hyperscan pre-filter: a value without any of these cannot be SQL worth tokenizing.
TRIGGERS = [
    r"['\"`]", r"--", r"#", r"/\*", r";", r"\bunion\b", r"\bselect\b", r"\b(?:and|or|xor|not|div|like|rlike|regexp|sounds)\b",
    r"&&", r"\|\|", r"\w\s*\(", r"@@?\w", r"\b(?:insert|update|delete|drop|create|alter|truncate|exec|execute|declare|waitfor|shutdown|having|order|group|into|case|procedure)\b",
    r"^\s*['\"`]?\s*(?:xp_\w+|sp_\w+|utl_\w+|dbms_\w+|openrowset|opendatasource|msdasql|sqloledb|sys_context|pg_sleep|@@version)\s*['\"`]?\s*$",
    r"\b(?:information_schema|sysobjects|syscolumns|sqlite_master|pg_catalog|mysql\.user|pg_shadow|msysobjects|dual)\b",
    r"\b0x[0-9a-f]{4,}", r"[=<>!]", r"::", r"^\s*(?:xor|regexp|rlike|order\s+by|group\s+by)\s*$", r"'\s*\?", r"->|\|\||&&|>>|<<", r"^\s*(?:mysql\.db|msysaccessobjects|northwind|schema_name|table_name|column_name|sp_executesql|4294967296|4294967295|2147483648|2147483647|2\.2250738585072011e-308)\s*$", r"\xe2\x80[\x98\x99]|\xc2\xb4", r"\b(?:from|where|limit|like|null|as|collate)\b", r"\)\s*(?:when|then)\b", r"\w\W{0,4}\($", r"\d\.e[(.,]", r"^\s*(?:msdb|n?varchar2?|nchar|tempdb)\s*$",
]

_E = {"select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute", "declare",
      "shutdown", "waitfor", "grant", "revoke", "rename", "handler", "load", "call", "merge", "replace", "set", "use",
      "begin", "commit", "rollback", "kill", "deallocate", "prepare", "show", "describe", "desc"}
_STMT_STRONG = {"select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute",
                "declare", "shutdown", "waitfor", "grant", "load", "handler", "deallocate", "prepare", "kill", "rename",
                "call", "merge", "revoke"}
_K = {"from", "where", "into", "values", "table", "database", "order", "group", "by", "having", "limit", "offset",
      "procedure", "delay", "case", "when", "then", "else", "end", "join", "on", "as", "distinct", "all", "top",
      "outfile", "dumpfile", "asc", "elseif", "exists", "union", "char", "nchar", "varchar", "columns", "schema",
      "tables", "inner", "outer", "left", "right", "cross", "natural", "straight_join", "sql_calc_found_rows",
      "information_schema", "lock", "share", "mode", "for", "xml", "path", "raw", "explicit", "returning", "with",
      "recursive", "over", "partition", "fetch", "next", "rows", "only", "time", "zone", "interval", "binary", "escape",
      "default", "key", "primary", "using", "instead", "of", "if", "while", "loop", "begin", "return", "function"}
_LOGIC = {"and", "or", "xor", "&&", "||"}
_OPW = {"not", "like", "rlike", "regexp", "is", "in", "between", "div", "mod", "sounds", "collate", "glob", "match",
        "against", "ilike", "similar", "escape", "notnull", "isnull", "any", "some"}
_CONST = {"null", "true", "false", "unknown", "current_user", "current_date", "current_time", "current_timestamp",
          "session_user", "system_user", "localtime", "localtimestamp", "user", "dual"}
# Functions whose names do not occur in prose: a call is a strong signal even with spaces before '('.
_FUNC_STRONG = {
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
    "div", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "degrees", "radians", "lo_get",
}
# Words that are common in prose too: only count as calls when '(' follows immediately.
_FUNC_PROSE = {"if", "case", "char", "left", "right", "date", "time", "year", "month", "day", "hour", "minute", "second",
               "count", "sum", "min", "max", "avg", "now", "round", "sign", "space", "repeat", "reverse", "trim", "format",
               "insert", "replace", "length", "len", "lower", "upper", "log", "power", "position", "field", "version",
               "database", "schema", "interval", "encode", "decode", "password", "row", "exists", "extract", "week",
               "abs", "exp", "pi", "mod", "least", "greatest", "cast", "convert", "user", "ln", "md5", "sqrt", "std",
               "match", "truncate", "uuid", "unicode", "locate", "instr", "elt", "soundex", "encrypt", "compress",
               "std", "pow", "ceil", "floor", "rand", "mid", "bin", "hex", "ord", "ascii", "chr", "concat", "typeof",
               "changes", "nchar", "lpad", "rpad", "to_char", "execute", "exec", "waitfor", "sin", "cos", "tan", "cot", "degrees", "radians", "asin", "acos",
               "atan", "atan2"}
_FUNC_SIGNAL = {"lo_get", "lo_import", "lo_export", "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sys_eval",
                "sys_exec", "group_concat", "concat_ws", "name_const", "dbms_pipe.receive_message", "dbms_lock.sleep",
                "utl_inaddr.get_host_address", "utl_http.request", "randomblob", "load_extension", "pg_read_file",
                "openrowset", "sp_oacreate", "xmltype", "json_keys", "gtid_subset", "procedure_analyse", "unistr",
                "ctxsys.drithsx.sn", "dbms_xmlgen.getxml", "sqlite_version", "make_set", "export_set"}
_TABLES = re.compile(r"information_schema|sysobjects|syscolumns|sysusers|sqlite_master|sqlite_temp_master|pg_catalog|"
                     r"pg_shadow|pg_user|pg_database|mysql\.user|mysql\.db|msysobjects|msysaccessobjects|all_tables|"
                     r"user_tables|all_tab_columns|user_tab_columns|dba_users|sys\.tables|sys\.objects|sys\.columns|"
                     r"master\.\.sysdatabases|master\.dbo|sysdatabases|sys\.sql_logins|v\$version|v\$instance")
# /*!50000 code */ is executed by MySQL: drop the opener so the code reads as code. Optimizer hints (/*+ … */)
# stay comments: their content is not SQL that runs.
_VERSION_COMMENT = re.compile(r"/\*!\d*")
_WS = " \t\r\n\x0b\x0c\xa0"
_OPS3 = ("<=>", "!<>", "->>", "#>>", "===", "!==")
_OPS2 = ("==", "<=", ">=", "<>", "!=", "||", "&&", ":=", "::", "<<", ">>", "!<", "!>", "^=", "|=", "&=", "->", "<@", "@>", "#>", "?|", "?&")
_WORD = re.compile(r"[a-z_$\x80-\uffff][a-z0-9_$\x80-\uffff]*(?:\.[a-z_$][a-z0-9_$]*)*")
_NUM = re.compile(r"0x[0-9a-f]+|0b[01]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?")


# Token class of a word, first set wins: compound-query operators (U), logic, statements, operator words,
# constants, keywords; anything else is a bare name (n).
_WORD_CLASS: dict[str, str] = {}
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


# Inside a string: everything but the closing quote and (outside backticks) the backslash escape.
_STR_PLAIN = {"'": re.compile(r"[^'\\]+"), '"': re.compile(r'[^"\\]+'), "`": re.compile(r"[^`]+")}


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
                        if m2:
                            out[-1] = Tok("n", m.group() + m2.group())
                            i = m2.end()
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
                out.append(Tok("f", w.rsplit(".", 1)[1]))
            elif paren and (w in _FUNC_STRONG and (tight or w not in _FUNC_PROSE) or w in _FUNC_SIGNAL):
                out.append(Tok("f", w))
            else:
                out.append(_tok(_WORD_CLASS.get(w, "n"), w))
            continue
        if ch in "(),;.":
            out.append(_tok(ch, ch))
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


_LITERAL = {"1", "s", "t", "v"}
_EXPR_START = {"1", "s", "n", "t", "(", "f", "v", "E"}
_CMP = {"=", "==", "===", "!==", "<", ">", "<=", ">=", "<>", "!=", "<=>", "like", "rlike", "regexp", "is", "in", "between", "sounds",
        "glob", "ilike", "not"}


def _compare_after(toks: list[Tok], i: int) -> float:
    """Score the expression starting at toks[i] (after a logic operator)."""
    if i >= len(toks):
        return 0.0
    t = toks[i]
    j = i
    while j < len(toks) and toks[j].t in ("(", "o") and toks[j].v in ("(", "not", "!", "-", "+", "~"):
        j += 1
    if j >= len(toks):
        return 0.5 if t.t in ("(",) else 0.0
    a = toks[j]
    if a.t == "f":
        return 0.9
    if a.t == "E" and a.v == "select":
        # `and select from the best` is prose: SELECT needs a select list (column, literal, call, `*`)
        b = toks[j + 1] if j + 1 < len(toks) else None
        return 0.9 if b is None or b.t in ("f", "v", "1", "s", "t", "(", "n") and not _prose_run(toks, j + 1) or b.v == "*" else 0.0
    if a.t in ("1", "s", "t", "v", "n"):
        if j + 2 < len(toks) and toks[j + 1].t == "o" and toks[j + 1].v in _CMP:
            b = toks[j + 2]
            if b.t in _LITERAL or b.t in ("f", "(") or b.t == "n" and a.t == "n" and a.v == b.v:
                return 0.9
            if b.t == "n" and a.t in _LITERAL:
                return 0.7
            return 0.5
        if j + 1 < len(toks) and toks[j + 1].t == "c" and a.t != "n":
            return 0.8
        if j + 1 == len(toks) and a.t in ("1", "t", "v"):
            return 0.7
        if a.t in ("1", "t") and j + 1 < len(toks) and toks[j + 1].t in ("&", ")", ";"):
            return 0.7
        if j + 1 < len(toks) and toks[j + 1].t == "o" and toks[j + 1].v != "?" and j + 2 == len(toks):
            return 0.7  # `or x=` cut off; a trailing `?` is a question mark (`yes or no?`)
    return 0.0


def _judge(toks: list[Tok], ctx: str) -> tuple[float, str]:
    """Best (score, rule) for one token stream; `ctx` is the quote the value was assumed to start inside."""
    best, rule = 0.0, ""
    sig = [t for t in toks if t.t != "c"]
    ncomments = len(toks) - len(sig)
    nt = len(sig)

    def take(score: float, name: str) -> None:
        nonlocal best, rule
        if score > best:
            best, rule = score, name

    for i, t in enumerate(sig):
        nxt = sig[i + 1] if i + 1 < nt else None
        if t.t == "U":
            j = i + 1
            while j < nt and (sig[j].v in ("all", "distinct", "(")):
                j += 1
            if j < nt and sig[j].v == "select":
                take(0.97 if t.v == "union" else 0.85, "sqli:union_select")
            elif j < nt and sig[j].v == "values" and j + 1 < nt and sig[j + 1].t == "(":
                take(0.85, "sqli:union_values")
        elif t.t == "E" and nxt is not None:
            v = t.v
            if v == "select":
                rest = {x.v for x in sig[i + 1:i + 40]}
                if "from" in rest or nxt.t in ("f", "v", "1", "s", "t") or nxt.v in ("*", "(") or "_" in nxt.v and nxt.v in _FUNC_SIGNAL:
                    sqlish = any(x.t in ("f", "v", "(", ",", "s", "1", "c") or x.v in ("*", "where", "limit", "dual")
                                 for x in sig[i + 1:i + 40]) or ncomments > 0 or bool(_TABLES.search(" ".join(rest)))
                    if "from" in rest:
                        take(0.9 if sqlish and _select_list_ok(sig, i + 1, ncomments) else 0.45, "sqli:select_from")
                    elif nxt.t in ("f", "v") or nxt.t == "n" and "_" in nxt.v and nxt.v in _FUNC_SIGNAL or nxt.t in ("1", "s") and (i + 2 >= nt or sig[i + 2].t in (",", ")", "c", "o", "&")):
                        take(0.85, "sqli:select_expr")
                    elif nxt.v == "(":
                        take(0.6, "sqli:select_expr")
            elif v == "replace" and _replace_values(sig, i + 1, i > 0 and sig[i - 1].t == ";" or ncomments > 0):
                take(0.85, "sqli:insert")  # MySQL REPLACE [INTO] t (cols) VALUES (...)
            elif v == "insert" and nxt.v == "into":
                take(0.85 if "values" in {x.v for x in sig[i:i + 30]} or "select" in {x.v for x in sig[i:i + 30]} else 0.5, "sqli:insert")
            elif v == "update" and any(x.v == "set" for x in sig[i + 2:i + 4]):
                take(0.85, "sqli:update")
            elif v == "delete" and nxt.v == "from":
                take(0.85, "sqli:delete")
            elif v in ("drop", "create", "alter", "truncate") and nxt.v in ("table", "database", "schema", "user",
                                                                             "procedure", "function", "view", "index", "trigger", "login"):
                take(0.9, "sqli:ddl")
            elif v == "waitfor" and nxt.v in ("delay", "time"):
                take(0.95, "sqli:waitfor")
            elif v in ("exec", "execute") and nxt.v == "immediate":
                take(0.85, "sqli:exec_immediate")  # Oracle dynamic SQL
            elif v in ("exec", "execute") and (nxt.v.startswith(("xp_", "sp_", "master.", "master..")) or nxt.v == "master"):
                take(0.9, "sqli:exec")
            elif v in ("exec", "execute") and i + 2 < nt and (nxt.t in ("n", "(", "v", "s") and (nxt.v.startswith(("xp_", "sp_", "master.", "(")) or nxt.t in ("(", "v"))):
                take(0.9, "sqli:exec")
            elif v == "declare" and nxt.t == "v":
                take(0.9, "sqli:declare")
            elif v == "shutdown" and (nxt is None or nxt.t in (";",)):
                take(0.8, "sqli:shutdown")
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
        if t.t == ";" and nxt is not None and nxt.t == "E" and nxt.v in _STMT_STRONG:
            take(0.9 if i + 2 < nt or nxt.v == "shutdown" else 0.7, "sqli:stacked")
        if t.t == "f":
            name = t.v
            strong = name in _FUNC_SIGNAL
            # a call sitting in prose (`the sleep(5) function`, `count(items) should be 5`) is not in SQL position
            if not _call_in_prose(sig, i):
                take(0.9 if strong else 0.45 if _formula(toks) else 0.6, "sqli:function")
        if t.t == "v" and t.v.startswith("@@"):
            take(0.85, "sqli:system_variable")
        if t.t in ("n", "k") and _TABLES.search(t.v):
            take(0.9, "sqli:catalog")
        if t.t == "k" and t.v in ("outfile", "dumpfile") and i > 0 and sig[i - 1].v == "into":
            take(0.95, "sqli:into_outfile")
        if t.t == "&" and nxt is None and toks[-1].t == "c" and i >= 2 and sig[i - 2].t == "o" and sig[i - 2].v in _CMP:
            take(0.7, "sqli:logic_comment")
        if t.t == "&" and nxt is not None:
            sc = _compare_after(sig, i + 1)
            if sc:
                take(sc * (0.95 if i == 0 or sig[i - 1].t in ("1", "s", "t", ")", "n") else 0.85), "sqli:logic_tautology")
        if t.t == "k" and t.v == "order" and nxt is not None and nxt.v == "by" and i + 2 < nt and sig[i + 2].t in ("1", "n"):
            after = sig[i + 3] if i + 3 < nt else None
            if after is None and (ncomments or i == 0 or i > 0 and sig[i - 1].t in ("s", ")", "1")):
                # a bare `order by phone` is English; `order by 3` probes the column count
                take(0.75 if ncomments or ctx else 0.5 if sig[i + 2].t == "1" else 0.45, "sqli:order_by")
            elif after is not None and after.t in (",", "&", ";", "o", "k") and sig[i + 2].t == "1":
                take(0.75, "sqli:order_by")
        if t.t == "k" and t.v == "having" and nxt is not None and nxt.t in ("1", "n", "f", "(") and (i > 0 or i + 2 < nt and sig[i + 2].v in _CMP):
            take(0.7, "sqli:having")
        if t.t == "k" and t.v == "procedure" and nxt is not None and nxt.v == "analyse":
            take(0.85, "sqli:procedure_analyse")
        if t.t == "k" and t.v == "as" and nxt is not None and nxt.t in ("s", "n", "t", "k") and i + 2 < nt and sig[i + 2].v == "from" and i > 0 and sig[i - 1].t in ("1", ")", "s", "n"):
            take(0.75, "sqli:alias_from")
        if t.t == "k" and t.v == "from" and nxt is not None and nxt.t in ("n", "k") and i + 2 < nt and sig[i + 2].v in ("limit", "group", "order", "having", "join", "union") or \
                t.t == "k" and t.v == "from" and nxt is not None and nxt.t == "n" and i + 2 < nt and sig[i + 2].t == "." :
            take(0.7, "sqli:from_clause")
        if t.t == "k" and t.v == "from" and nxt is not None and nxt.t == "n" and i + 5 < nt + 1 and i + 4 < nt and sig[i + 2].v == "where" \
                and sig[i + 3].t == "n" and sig[i + 4].t == "o" and sig[i + 4].v in _CMP and i + 5 < nt and sig[i + 5].t in _LITERAL:
            take(0.7, "sqli:from_clause")  # FROM table WHERE column = literal
        if t.t == "o" and t.v == "::" and nxt is not None and nxt.v in ("jsonb", "json", "int", "integer", "text", "varchar", "bigint", "numeric", "bool", "boolean", "regclass", "oid", "bytea", "inet", "xml", "float", "char", "double", "real", "date", "timestamp", "money", "uuid", "name", "smallint"):
            take(0.75, "sqli:pg_cast")
        if t.t == "o" and t.v in ("<@", "@>", "->>", "->", "#>", "#>>", "?|", "?&", "?") and i > 0 and sig[i - 1].t in ("s", ")") and nxt is not None and (nxt.t in ("s", "1") or nxt.v == "array") and \
                (not t.v.startswith("?") or sig[i - 1].v.lstrip()[:1] in ("{", "[")):
            take(0.75, "sqli:json_operator")
        if t.t == "k" and t.v == "case" and any(x.v == "when" for x in sig[i + 1:i + 4]) and any(x.v == "then" for x in sig[i + 2:i + 20]):
            take(0.75, "sqli:case_when")
    # Breaking out of the assumed quote context.
    if ctx and nt and sig[0].t == ("n" if ctx == "`" else "s") and sig[0].closed:
        t1 = sig[1] if nt > 1 else None
        t2 = sig[2] if nt > 2 else None
        if t1 is None:
            if ncomments and toks[-1].t == "c":
                take(0.85, "sqli:quote_comment")
        elif t1.t == "&":
            sc = _compare_after(sig, 2)
            commented = any(x.t == "c" for x in toks[-2:]) and nt <= 4
            take(max(sc, 0.8 if t2 is not None and (t2.t in _EXPR_START or t2.v == "not") or commented else 0.45), "sqli:quote_logic")
        elif t1.t == "o" and t1.v == "collate" and t2 is not None and t2.t in ("n", "s", "k", "t"):
            take(0.8, "sqli:quote_collate")
        elif t1.t == ";":
            take(0.85 if t2 is None or t2.t in ("E", "c", "k", "n") else 0.6, "sqli:quote_stacked")
        elif t1.t == "o" and t1.v != "?" and (t2 is not None and t2.t in ("s", "1", "f", "v", "t", "(", "E") or
                              toks[-1].t == "c" and nt <= 6 and t1.v not in ("~", "!", "collate")):
            take(0.8, "sqli:quote_operator")
        elif t1.t == "o" and t2 is None and toks[-1].t == "c":
            take(0.8, "sqli:quote_operator")
        elif t1.t in ("U", "k") and t1.v in ("union", "having", "order", "group", "limit", "procedure", "into", "where", "from"):
            take(0.8 if t2 is not None else 0.6, "sqli:quote_clause")
        elif t1.t == ")" and t2 is not None and t2.t in ("&", ";", "U", "o", ")") or t1.t == ")" and t2 is None and ncomments:
            take(0.8, "sqli:quote_paren")
        elif t1.t == "E" and t1.v in _STMT_STRONG and t2 is not None:
            take(0.6, "sqli:quote_statement")
        if toks[1:2] and toks[1].t == "c" and nt > 1:
            take(0.8, "sqli:quote_comment")
    if not ctx and nt >= 2:
        t0, t1 = sig[0], sig[1]
        j = 1
        while j < nt and sig[j].t == ")":
            j += 1
        if t0.t in ("1", "n", "t") and j < nt and sig[j].t == "U" and (j + 1 < nt and sig[j + 1].v in ("select", "values", "all", "distinct", "(") or j + 1 == nt and t0.t == "1" or j + 1 < nt and sig[j + 1].t == "c" or ncomments and sig[j].v == "union") or t0.t == "1" and j > 1 and j < nt and sig[j].t in ("&", ";", "c"):
            take(0.7, "sqli:numeric_breakout")
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
    if nt == 2 and sig[0].t == "E" and sig[0].v in ("exec", "execute") and sig[1].t in ("n", "k", "E") and not ctx:
        take(0.55, "sqli:exec_procedure")  # the whole value is `EXEC name`: a complete T-SQL/PL statement
    return best, rule


def _prose_run(sig: list[Tok], j: int, run: int = 3) -> bool:
    """`run` bare words in a row from sig[j] on: English, not SQL (an expression is at most `name alias`)."""
    k = j
    while k < len(sig) and sig[k].t == "n" and "." not in sig[k].v and "_" not in sig[k].v:
        k += 1
    return k - j >= run


# Keywords that are ordinary nouns after a call in prose (`the sleep(5) function`).
_PROSE_K = {"function", "time", "mode", "path", "key", "share", "lock", "only", "next", "rows", "default", "raw", "table",
            "database", "of", "return", "loop", "zone", "columns", "tables", "schema"}


def _select_list_ok(sig: list[Tok], j: int, ncomments: int) -> bool:
    """SELECT's list up to FROM holds an expression, not nothing (`select from many`) or a phrase (`select the best option`)."""
    k = j
    while k < len(sig) and sig[k].v != "from":
        if _prose_run(sig, k):
            return False
        k += 1
    return any(t.t in ("n", "1", "s", "f", "v", "t", "(") or t.v == "*" for t in sig[j:k]) or ncomments > 0


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
        or len(after) >= 1 and (after[0].t == "n" or after[0].v in _PROSE_K) and (len(after) == 1 or after[1].t == "n")
    words_before = before is not None and before.t == "n" and "." not in before.v
    return (words_after and (words_before or wordy or i == 0)) or (words_before and (wordy or not after))


# Functions that spreadsheets, calculators and programming languages share with SQL.
_MATH_FUNCS = {"max", "min", "count", "sum", "avg", "sin", "cos", "tan", "cot", "asin", "acos", "atan", "atan2", "abs",
               "round", "floor", "ceil", "ceiling", "sqrt", "pow", "power", "exp", "log", "ln", "mod", "sign", "pi",
               "rand", "degrees", "radians", "greatest", "least", "now", "len", "length", "lower", "upper", "trim"}
_FORMULA_OPS = {"+", "-", "*", "/", "^", "%", ":", "<", ">", "<=", ">=", "="}


def _formula(toks: list[Tok]) -> bool:
    """`max(a, b)`, `sin(x)/cos(x)`, `SUM(A1:A10)`: calls of shared math functions over names and numbers, nothing
    else (no string, comment, keyword, logic or separator that would tie the value to an SQL statement)."""
    # ... over at least one variable or cell (`cos(0)`, a call on constants only, is how probes look)
    return any(t.t == "n" or t.v == "*" for t in toks) and \
        all(t.t in ("n", "1", "(", ")", ",") or t.t == "f" and t.v in _MATH_FUNCS or
            t.t in ("o", "?") and t.v in _FORMULA_OPS for t in toks)


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


def analyze(value: str) -> Finding | None:
    s = value.lower()
    if "/*" in s:
        s = _VERSION_COMMENT.sub(" ", s)
    best: tuple[float, str] = (0.0, "")
    if not s.isascii() and _LOOKALIKE_QUOTE.search(s):  # look-alike quotes some charsets fold to '
        s = s.translate(_QUOTE_FOLD)
    variants = [("", s), ("'", s), ('"', s)]
    if s.lstrip().startswith("`") or s.count("`") % 2:
        variants.append(("`", s))
    if "/*" in s:
        joined = _INNER_COMMENT.sub(_join_split_keyword, s)  # DR/**/OP: comments splitting a keyword
        if joined != s:
            variants.append(("", joined))
    n_plain = len(variants)
    if "\\'" in s or '\\"' in s:  # \' defeats addslashes-style escaping in multi-byte charsets
        t = s.replace("\\'", "'").replace('\\"', '"')
        variants += [("'", t), ('"', t)]
    for k, (ctx, s2) in enumerate(variants):
        if ctx and ctx not in s2:
            continue
        toks = tokenize(ctx + s2)
        if ctx and toks and toks[0].t in ("s", "n") and not toks[0].closed:
            continue
        sc = _judge(toks, ctx)
        if k >= n_plain and 0 < sc[0] < 0.6 and sc[1].startswith("sqli:quote_") and _ESCAPED_BREAKOUT.match(s):
            # the value *starts* by escaping the quote it breaks out of (`\'and`): no text begins that way, while
            # it is the standard bypass of backslash-escaping filters
            sc = (0.6, sc[1])
        if sc[0] > best[0]:
            best = sc
        if best[0] >= 0.95:
            break
    # Whole-value shapes (a bare operator, a magic number, a probe word): judged on the value and, when it ends
    # in an SQL comment, on what stands before it too (`1=1-- -`, `<=>#`: the comment only silences the rest).
    # Inline comments are blanks to SQL (`is/**/null`).
    best = _whole_value(s, best)
    if best[0] < 0.6 and ("-" in s or "#" in s or "/*" in s):
        core = _TRAILING_COMMENT.sub("", s, count=1)
        if "/*" in core:
            core = _CLOSED_COMMENT.sub(" ", core)
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
        best = (0.55, "sqli:bare_operator")
    if best[0] < 0.55 and s.strip() in _MAGIC_NUMBERS:
        best = (0.55, "sqli:magic_number")
    if best[0] < 0.55 and (s.strip() in BARE_WORDS or _BARE_PROC.match(s.strip(" \t\r\n'\"`"))):
        best = (0.55, "sqli:keyword")
    if best[0] < 0.55 and (_QUOTE_NUM.match(s) or _QUOTE_MIX.match(s) and len({c for c in s if c in "'\"`"}) >= 2):
        best = (0.55, "sqli:quote_probe")
    if best[0] < 0.7 and ".e" in s and _SCI_EVASION.search(s):
        best = (0.7, "sqli:scientific_notation")
    if best[0] < 0.85 and _TABLES.search(s):
        best = (0.85, "sqli:catalog")
    if best[0] < 0.6 and s.rstrip().endswith("("):
        m = _CALL_PREFIX.match(s)
        if m and (m.group(1) in _FUNC_STRONG or m.group(1) in _PREFIX_WORDS) and m.group(1) not in ("exec", "execute"):
            best = (0.6, "sqli:function_prefix")
    return best


BARE_WORDS = {"xor", "regexp", "rlike", "xp_regread", "xp_cmdshell", "sp_password", "utl_http", "utl_inaddr", "openrowset",
              "opendatasource", "dbms_java", "sys_context", "mysql.db", "msysaccessobjects", "msysobjects", "northwind", "schema_name", "table_name", "column_name",
              "sp_executesql", "msdb", "nvarchar", "varchar", "varchar2", "nchar", "information_schema", "sysobjects", "syscolumns",
               "xp_cmdshell", "sp_executesql", "tempdb", "sysdatabases", "dbms_pipe", "utl_http", "pg_sleep", "@@version",
               "msdasql", "sqloledb"}
# The databases' own dangerous procedures and packages (MSSQL extended procedures, OLE DB providers, Oracle
# packages): names no one types into a form unless probing which of them the backend lets through.
_BARE_PROC = re.compile(
    r"^(?:xp_(?:cmdshell|regread|regwrite|dirtree|fileexist|servicecontrol|availablemedia|enumdsn|loginconfig|makecab|"
    r"ntsec_enumdomains|terminate_process|subdirs|regdeletekey|regdeletevalue|regenumvalues|instance_regread|cmdshell)|"
    r"sp_(?:executesql|password|oacreate|oamethod|makewebtask|addextendedproc|configure|addsrvrolemember|addlogin|"
    r"execute_external_script|linkedservers|helplinkedsrvlogin)|utl_(?:http|inaddr|file|smtp|tcp)|"
    r"dbms_(?:java|pipe|lock|xmlgen|ldap|scheduler|sql|output)|openrowset|opendatasource|msdasql|sqloledb|sys_context)$")
_QUOTE_NUM = re.compile(r"^\s*['\"`]\s*-?\d+\s*$|^\s*-?\d+\s*['\"`]\s*$|^\s*\(\s*\d+\s*[=<>]\s*\d+\s*\)\s*[*+\-/]\s*\d+\s*$")
_LOOKALIKE_QUOTE = re.compile("[\u2019\u2018\u00b4\u02bc\uff07\udcb4\udc91\udc92]")
_QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u02bc": "'", "\uff07": "'",
                              "\udcb4": "'", "\udc91": "'", "\udc92": "'"})  # last three: raw latin-1/cp1252 bytes
_INNER_COMMENT = re.compile(r"([a-z_]+)/\*.*?\*/([a-z_]+)")
_SQL_WORDS = _E | _K | _LOGIC | _OPW | _CONST | {"union"}
# Quote characters only (`'"`, `"')`...): the first probe of an injection scan.
_QUOTE_MIX = re.compile(r"^\s*['\"`\\)(;!#\-]{2,6}\s*$")
# MySQL reads `1.e` as a number and ignores it before `(` or `.`: `1.e(ascii(...))`, `1.e.tables` slip past filters.
_SCI_EVASION = re.compile(r"(?:^|[^\w.])\d+\.e(?:\(|\.[a-z_]|,)")


def _join_split_keyword(m: re.Match) -> str:
    """DR/**/OP -> DROP when the halves form an SQL word; otherwise the comment stays (it separates tokens)."""
    a, b = m.group(1), m.group(2)
    for k in range(1, min(len(a), 12) + 1):
        for j in range(1, min(len(b), 12) + 1):
            if a[-k:] + b[:j] in _SQL_WORDS and (j == len(b) or not b[j].isalnum()) and (k == len(a) or not a[-k - 1].isalnum()):
                return a + b
    return m.group(0)
# A trailing SQL comment: `-- …` (MySQL wants a blank after `--`), `#…`, `/*…` (closed or not), at most 20 chars
_TRAILING_COMMENT = re.compile(r"\s*(?:--(?:[\s\-+].{0,20})?|#.{0,20}|/\*(?:(?!\*/).){0,20}(?:\*/)?)\s*$", re.S)
_CLOSED_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_ESCAPED_BREAKOUT = re.compile(r"""^\s*\\['"]""")
_BARE_TAUTOLOGY = re.compile(r"^\s*(?:\w+\s*,\s*)?(-?\d+(?:\.\d+)?)\s*(?:=|==|<=>|!=|<>|<|>|<=|>=)\s*(-?\d+(?:\.\d+)?)\s*$")
# A whole value that is nothing but SQL operators: harmless in prose, a probe in a parameter.
_BARE_OPERATOR = re.compile(r"^\s*(?:(?:==|->>?|>>|<<|&&|\|\||!=|<=>|<>|>=|<=|xor|regexp|rlike|not\s+like|like\s+null|is\s+(?:not\s+)?null|sounds\s+like|order\s+by|group\s+by)\s*)+$|^\s*(?:not\s+)?in\s*\(\s*[\w'\"]+(?:\s*,\s*[\w'\"\-]+)+\s*\)\s*$", re.I)
_MAGIC_NUMBERS = {"4294967296", "4294967295", "2147483648", "2147483647", "-2147483648", "2.2250738585072011e-308",
                  "9223372036854775807", "9223372036854775808", "18446744073709551615", "1e309"}
_PREFIX_WORDS = {"values", "in", "local", "password", "user", "length", "ln", "exists", "any", "all", "some", "not",
                 "char", "nchar", "varchar", "cast", "convert", "substr", "ascii", "sleep", "benchmark", "if", "iif"}
_CALL_PREFIX = re.compile(r"^\s*([a-z_][a-z0-9_.]*)[^a-z0-9_(]{0,4}\($")
