"""Round 12 (SQL analyser and the password-field leniency): the classes behind blind batches t/u/v and benign_11's
sqli misses and false positives.

Entries are (carrier, key, value), sent the way tests/detect/wild_benign.py's build_request sends them. Benign
entries must carry no blocking sqli finding (other detectors are judged in their own files); attacks must carry one."""
from __future__ import annotations

import pytest

from sensor.detect import THRESHOLD, verdict
from sensor.detect.sqli import out_of_range
from tests.detect.conftest import req
from tests.detect.wild_benign import build_request

# (a) a DDL/DML keyword pair, an object name, then a word the statement's grammar has no place for: a search
DDL_PROSE_BENIGN = [
    ("query", "q", "drop table tennis paddles"),
    ("query", "q", "drop table leaf extension"),
    ("query", "q", "drop table hinge replacement"),
    ("query", "search", "create table lamp shades"),
    ("query", "q", "alter table height guide"),
    ("query", "q", "truncate table legs diy"),
    ("query", "q", "insert into hot tub cover"),
    ("query", "q", "insert into calendar google sheets"),
    ("query", "q", "how to insert into pdf acrobat"),
    ("form", "message", "x; drop table tennis paddles"),
]
DDL_ATTACKS = [
    ("query", "q", "drop table users"),
    ("query", "q", "drop table users cascade"),
    ("query", "q", "drop table if exists users"),
    ("query", "q", "drop table users, orders"),
    ("query", "q", "drop table users--"),
    ("query", "q", "1; drop table users"),
    ("query", "q", "x'; drop table users cascade constraints--"),
    ("query", "q", "'; drop table users go"),
    ("query", "q", "'; drop table users print 1--"),
    ("query", "q", "'; truncate table logs restart identity--"),
    ("query", "q", "'; create table pwn(out text);--"),
    ("query", "q", "'; create user hacker identified by 'x';--"),
    ("query", "q", "'; create function sys_exec returns integer soname 'udf.so';--"),
    ("query", "q", "'; alter table users add column x int;--"),
    ("query", "q", "'; alter user root identified by 'x';--"),
    ("query", "q", "'; insert into users values ('a','b')--"),
    ("query", "q", "'; insert into users (name) values ('a')--"),
    ("query", "q", "'; insert into users value ('a')--"),
    ("query", "q", "'; insert into users select * from admins--"),
    ("query", "q", "insert into users set role='admin'"),
]

# (b) UNION SELECT needs a select list: `union select tickets 2024` puts a number right after a column
UNION_BENIGN = [
    ("header:Referer", "", "https://www.google.com/search?q=union+select+tickets+2024"),
    ("header:Referer", "", "https://www.bing.com/search?q=union+select+seats+2025+price"),
    ("query", "q", "union select tickets 2024"),
    ("query", "q", "credit union select checking 500 bonus"),
]
UNION_ATTACKS = [
    ("header:Referer", "", "https://victim.example/item?id=-1+union+select+1,2,3--+"),
    ("query", "q", "union select tickets"),
    ("query", "q", "union select tickets from events"),
    ("query", "id", "-1 union select username,password from users--"),
    ("query", "id", "-1 union select 1 a, 2 b--"),
    ("query", "id", "-1 union select sql_no_cache 1,2,3--"),
    ("query", "q", "x' union select null,null--"),
    ("query", "q", "') union select 1,@@version,3 from dual-- -"),
    ("query", "id", "1 union select tickets 2024"),   # a number, then UNION: the breakout reading still stands
]

# (c) a common SQL function name called inside a sentence: words before it, a phrase after it
FUNCTION_PROSE_BENIGN = [
    ("form", "message", 'In cell B2 put =IF(A2>100,"high","low") and drag down'),
    ("form", "message", "In column C type =LEFT(A1,3) and copy it down the sheet"),
    ("form", "message", "Then enter =ROUND(B3*1.2,2) or just use the toolbar button"),
    ("form", "question", "What's the difference between char(10) and varchar(10) in MySQL?"),
    ("form", "question", "What's the max length of nchar(4000) vs nvarchar(max) in SQL Server?"),
    ("form", "message", "The Substr (Substring) function in your spreadsheet app is off by one"),
    ("form", "message", "we store it as char(36) and the uuid gets truncated"),
]
FUNCTION_ATTACKS = [
    ("form", "message", "x' and substr(password,1,1)='a"),
    ("form", "message", "1 and substr(version(),1,1)=5"),
    ("form", "message", "x' or char(65)='A"),
    ("form", "message", "put = if(1=1,sleep(5),0) and drag down"),
    ("form", "message", "' and if(1=1,sleep(5),0) and 'a'='a"),
    ("form", "message", "' or ascii(substr(user(),1,1))>64 and 'x'='x"),
    ("form", "message", "admin' and char(65) and drag down"),
]

# (d) the login bypass that is only an operator between two quotes, in a password field (strong passwords with
# quotes stay reported only: bench/password_bench.py)
PASSWORD_BENIGN = [
    ("form", "password", "Xk9'='mZ#q"),
    ("form", "password", "a'^'b7Qz!x"),
    ("form", "password", "p@ss'-'w0rd"),
    ("form", "new_password", "T'*'7hq_Lm"),
    ("json", "password", "9f'|'Kd2$e"),
]
PASSWORD_ATTACKS = [
    ("form", "pass", "'='"),
    ("form", "password", "'^'"),
    ("form", "password", "'-'"),
    ("form", "password", "'*'"),
    ("form", "password", "'&'"),
    ("form", "password", "'|'"),
    ("form", "passwd", '"="'),
    ("json", "password", "'='"),
    ("form", "password", "x'='x"),
    ("form", "password", "1'='1"),
    ("form", "pwd", "a'^'a"),
]

# (e) backticks the application puts around a column name, broken out of: a column compared with itself
BACKTICK_BENIGN = [
    ("form", "message", "use `name` = `value` in your config"),
    ("form", "column", "name` = `title"),
    ("query", "q", "the `name` field"),
]
BACKTICK_ATTACKS = [
    ("form", "column", "name` = `name"),
    ("form", "column", "name`=`name"),
    ("query", "sort", "id` like `id"),
    ("form", "column", "`name` = `name`"),
]

# (f) a quote closing the string, then a NUL that cuts the rest of the query off (C-string drivers, SQLite)
NUL_BENIGN = [
    ("query", "user", "admin\x00"),
    ("query", "q", "it's\x00 fine"),
]
NUL_ATTACKS = [
    ("query", "user", "admin'\x00"),
    ("form", "username", "admin'\x00"),
    ("json", "user", "admin'\x00"),
    ("query", "user", 'admin"\x00'),
    ("query", "id", "1')\x00"),
]

# (g) T-SQL statements that arrive as bare cookie crumbs (a raw `;` in the Cookie header splits the value)
TSQL_BENIGN = [
    ("form", "choice", "--"),            # a select's placeholder option: a value, not a name
    ("query", "x", "--"),
    ("query", "q", "a -- b"),
    ("query", "q", "Home: goto home page"),
    ("query", "q", "Settings: goto settings and click save"),
    ("query", "q", "shutdown with nowait button"),
]
TSQL_ATTACKS = [
    ("cookie", "user", "x';--"),         # the crumb `--` (sqli:comment_name) is all that shows of `;--`
    ("cookie", "user", "x';-- -"),
    ("cookie", "sid", "abc'; --"),
    ("cookie", "sid", "x'; shutdown with nowait;--"),
    ("cookie", "ref", "a';begin:goto begin--"),
    ("query", "q", "shutdown with nowait"),
    ("query", "q", "x: goto x;"),
]

# (h) a decimal number past a double's range (overflow probe), never hex written with digits and one `e`
OVERFLOW_BENIGN = [
    ("query", "color", "12e456"),
    ("query", "sha", "4e12345"),
    ("query", "amount", "1e308"),
    ("json", "amount", "2.5e10"),
]
OVERFLOW_ATTACKS = [
    ("json", "amount", "1e309"),
    ("query", "amount", "9e999"),
    ("query", "amount", "1.5e+400"),
    ("query", "amount", "-1e309"),
]

BENIGN = DDL_PROSE_BENIGN + UNION_BENIGN + FUNCTION_PROSE_BENIGN + PASSWORD_BENIGN + BACKTICK_BENIGN + NUL_BENIGN + \
    TSQL_BENIGN + OVERFLOW_BENIGN
ATTACKS = DDL_ATTACKS + UNION_ATTACKS + FUNCTION_ATTACKS + PASSWORD_ATTACKS + BACKTICK_ATTACKS + NUL_ATTACKS + \
    TSQL_ATTACKS + OVERFLOW_ATTACKS


def _id(e: tuple) -> str:
    return f"{e[0]}:{e[1]}:{e[2][:60]!r}"


@pytest.mark.parametrize("entry", BENIGN, ids=[_id(e) for e in BENIGN])
def test_round12_sqli_benign_is_clean(engine, entry):
    carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert not any(h.type == "sqli" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("entry", ATTACKS, ids=[_id(e) for e in ATTACKS])
def test_round12_sqli_attack_is_caught(engine, entry):
    carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert any(h.type == "sqli" and h.score >= THRESHOLD for h in hits), hits


def test_round12_password_shapes_stay_lenient(engine):
    # a quote-operator-quote *inside* a longer password is a chance shape: reported, not blocked
    body = b"username=jdoe&password=Kq7%27%3D%27mZ%21v2"
    hits = engine.inspect(req("/login", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body))
    assert hits and all(h.score < THRESHOLD for h in hits), hits


@pytest.mark.parametrize("target", ["/p?id=1;--"])
def test_round12_comment_after_separator(engine, target):
    assert any(h.type == "sqli" and h.score >= THRESHOLD for h in engine.inspect(req(target)))


def test_round12_a_bare_dashes_name_in_a_query_is_no_comment(engine):
    # `?a=1&--` names an empty parameter `--` (PHP gives `$_GET['--'] = ''`), the same as the argv probe `/?--` that
    # test_round10_cve pins clean: only a cookie's `;` cuts a value into a crumb `--` (`x';--`)
    assert verdict(engine.inspect(req("/p?a=1&--"))) == "clean"
    assert verdict(engine.inspect(req("/", headers=[("Cookie", "theme=dark; user=x';--")]))) == "attack"


def test_round12_comment_name_only_on_names(engine):
    # `--` as a JSON key or as a value stays clean: the rule reads names cut off a value, see sqli.RULES
    r = req("/api", "POST", [("Content-Type", "application/json")], b'{"--": "--", "n": 1}')
    assert not any(h.type == "sqli" and h.score >= THRESHOLD for h in engine.inspect(r))


def test_round12_out_of_range():
    assert out_of_range("1e309") and out_of_range("9e999") and out_of_range("-1.0e400") and out_of_range("1E+309")
    assert not out_of_range("1e308") and not out_of_range("12e456") and not out_of_range("1e30") and not out_of_range("e309")


def test_round12_sizes():
    assert len({_id(e) for e in ATTACKS}) == len(ATTACKS)
    assert len({_id(e) for e in BENIGN}) == len(BENIGN)
    assert not set(ATTACKS) & set(BENIGN)
