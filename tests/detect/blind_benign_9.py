"""Blind benign batch 9: normal traffic to enterprise products and appliances (VPN, ADC, firewall, collab, CMS, NAS)."""
from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus, urlencode


def _raw(head: str, body: str = "") -> str:
    """Build a raw request: header lines separated by \\n in `head`, CRLF on the wire, Content-Length added."""
    lines = head.strip("\n").split("\n")
    if body or lines[0].startswith(("POST ", "PUT ", "PATCH ")):
        lines.append("Content-Length: %d" % len(body.encode("utf-8", "surrogateescape")))
    return "\r\n".join(lines) + "\r\n\r\n" + body


def _b(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_UA_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/125.0.0.0 Safari/537.36")
_UA_FF = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0"
_UA_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80")

_SAML_RESP = _b64(
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" '
    'Version="2.0" IssueInstant="2024-06-14T09:12:31Z" Destination="https://vpn.example.com/remote/saml/login" '
    'InResponseTo="ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685"><saml:Issuer>'
    'https://sts.windows.net/7c1a2f43-1d2e-4b0f-9c55-2b7d3e8a6f10/</saml:Issuer><samlp:Status>'
    '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    '<saml:Assertion ID="_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75" Version="2.0" '
    'IssueInstant="2024-06-14T09:12:31Z"><saml:Issuer>https://sts.windows.net/7c1a2f43-1d2e-4b0f-9c55-2b7d3e8a6f10/'
    '</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'
    'jdoe@example.com</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="username">'
    '<saml:AttributeValue>jdoe</saml:AttributeValue></saml:Attribute><saml:Attribute Name="group">'
    '<saml:AttributeValue>VPN-Users</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>'
    '</saml:Assertion></samlp:Response>')

_HIP_REPORT = (
    '<hip-report name="hip-report"><md5-sum>b8e4f2a4c7d93b1e0f6c2a9d7e3b5a11</md5-sum><user-name>jdoe</user-name>'
    '<domain>CORP</domain><host-name>LAPTOP-7H2K9</host-name><host-id>4c4c4544-0051-3510-8048-b3c04f4e3732</host-id>'
    '<ip-address>10.50.1.23</ip-address><ipv6-address></ipv6-address><generate-time>06/14/2024 09:12:33'
    '</generate-time><hip-report-version>4</hip-report-version><categories><entry name="host-info">'
    '<client-version>6.1.1-5</client-version><os>Microsoft Windows 10 Enterprise , 64-bit</os>'
    '<os-vendor>Microsoft</os-vendor><domain>corp.example.com</domain><host-name>LAPTOP-7H2K9</host-name>'
    '<host-id>4c4c4544-0051-3510-8048-b3c04f4e3732</host-id><network-interface>'
    '<entry name="{6F1C9A2B-3D4E-4F50-8A61-72B3C4D5E6F7}"><description>Intel(R) Wi-Fi 6 AX201 160MHz</description>'
    '<mac-address>a4-c3-f0-85-1d-7e</mac-address><ip><entry name="10.50.1.23"/></ip></entry></network-interface>'
    '</entry><entry name="anti-malware"><list><entry><ProductInfo><Prod vendor="Microsoft Corporation" '
    'name="Windows Defender" version="4.18.24040.4" defver="1.411.402.0" engver="1.1.24040.1" '
    'datemon="6" dateday="13" dateyear="2024" prodType="3" osType="1"/><real-time-protection>yes'
    '</real-time-protection><last-full-scan-time>n/a</last-full-scan-time></ProductInfo></entry></list></entry>'
    '<entry name="disk-encryption"><list><entry><ProductInfo><Prod vendor="Microsoft Corporation" '
    'name="BitLocker Drive Encryption" version="10.0.19041.1"/><drives><entry><drive-name>C:\\</drive-name>'
    '<enc-state>full</enc-state></entry></drives></ProductInfo></entry></list></entry></categories></hip-report>')

_PAN_KEY = "LUFRPT1SanJaQVNZQW5rc0pjb2pKVWJFNTI3ZGxDeVE9UlNWN1k5cjl1dWN3cWt6VGpxSGxldz09"
_PAN_XPATH_ADDR = "/config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/address"

BLIND_BENIGN_9 = [
    # --- Fortinet SSL-VPN portal and FortiClient ---
    ("raw", "", _raw(f"""GET /remote/login?lang=en HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8
Accept-Language: en-US,en;q=0.9
Connection: keep-alive""")),
    ("raw", "", _raw(f"""POST /remote/logincheck HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: text/plain;charset=UTF-8
Origin: https://vpn.example.com
Referer: https://vpn.example.com/remote/login?lang=en
Cookie: SVPNCOOKIE=; SVPNNETWORKCOOKIE=""",
                     "ajax=1&username=jdoe&realm=&credential=Wint3r%23%3C2024%3E%21%26%27")),
    ("raw", "", _raw(f"""GET /remote/fgt_lang?lang=en HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Referer: https://vpn.example.com/remote/login?lang=en
Accept-Language: en-US,en;q=0.9""")),
    ("raw", "", _raw(f"""GET /remote/saml/start?redirect=1 HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
Referer: https://vpn.example.com/remote/login?lang=en""")),
    ("raw", "", _raw(f"""POST /remote/saml/login HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_EDGE}
Content-Type: application/x-www-form-urlencoded
Origin: https://login.microsoftonline.com
Referer: https://login.microsoftonline.com/""",
                     "SAMLResponse=" + quote_plus(_SAML_RESP) + "&RelayState=" + quote_plus("/remote/index"))),
    ("raw", "", _raw("""GET /remote/fortisslvpn_xml?dual_stack=1 HTTP/1.1
Host: vpn.example.com:10443
User-Agent: FortiSSLVPN (Windows NT 10.0; Win64; x64)
Accept: */*
Cookie: SVPNCOOKIE=S+3xZkR9hQy2pV0aM8nTfWc1LgD4rE6uJ7oI5bN2hX0tY9wK3sA1dF8gH6jL4zC7vB5mN0qP2rT4uW6yA8cE1gI3""")),
    ("raw", "", _raw("""GET /remote/index HTTP/1.1
Host: vpn.example.com:10443
User-Agent: openfortivpn/1.21.0
Accept: */*
Cookie: SVPNCOOKIE=S+3xZkR9hQy2pV0aM8nTfWc1LgD4rE6uJ7oI5bN2hX0tY9wK3sA1dF8gH6jL4zC7vB5mN0qP2rT4uW6yA8cE1gI3""")),
    ("raw", "", _raw(f"""POST /logincheck HTTP/1.1
Host: fw01.corp.example.com
User-Agent: {_UA_FF}
Accept: */*
Content-Type: text/plain;charset=UTF-8
Origin: https://fw01.corp.example.com
Referer: https://fw01.corp.example.com/login?redir=%2Fng%2Ffirewall%2Fpolicy%2Fpolicy%2Fstandard""",
                     "ajax=1&username=netadmin&secretkey=Tr0ub4dor%263%7Ehorse&redir=%2Fng%2Ffirewall%2Fpolicy%2Fpolicy%2Fstandard")),

    # --- FortiGate REST API (automation) ---
    ("raw", "", _raw("""GET /api/v2/cmdb/firewall/address?vdom=root&filter=name=@srv-&format=name|subnet|comment HTTP/1.1
Host: fw01.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f
Connection: keep-alive""")),
    ("raw", "", _raw("""POST /api/v2/cmdb/firewall/address?vdom=root HTTP/1.1
Host: fw01.corp.example.com
User-Agent: Ansible-fortios/2.3.5
Accept: application/json
Content-Type: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f""",
                     '{"name":"srv-web-01","type":"ipmask","subnet":"10.20.30.40 255.255.255.255",'
                     '"comment":"Web server (prod) - CHG#4711 / owner: web-team"}')),
    ("raw", "", _raw("""PUT /api/v2/cmdb/system/admin/jsmith?vdom=root HTTP/1.1
Host: fw01.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f""",
                     '{"comments":"Network team - on-call rota","accprofile":"prof_admin",'
                     '"trusthost1":"10.0.0.0 255.0.0.0","trusthost2":"192.168.100.0 255.255.255.0"}')),
    ("raw", "", _raw("""POST /api/v2/cmdb/firewall/policy?vdom=root HTTP/1.1
Host: fw01.corp.example.com
User-Agent: terraform-provider-fortios/1.19.0
Accept: application/json
Content-Type: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f""",
                     '{"name":"DMZ-web-in","srcintf":[{"name":"wan1"}],"dstintf":[{"name":"dmz"}],'
                     '"srcaddr":[{"name":"all"}],"dstaddr":[{"name":"vip-web-443"}],"action":"accept",'
                     '"schedule":"always","service":[{"name":"HTTPS"}],"utm-status":"enable",'
                     '"waf-profile":"default","logtraffic":"all","comments":"Allow 443 -> web VIP; see INC-2291"}')),
    ("raw", "", _raw("""GET /api/v2/log/disk/traffic/forward?rows=100&filter=dstport==443&filter=srcip==10.1.2.3 HTTP/1.1
Host: fw01.corp.example.com
User-Agent: Grafana/10.4.2
Accept: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f""")),
    ("raw", "", _raw("""GET /api/v2/monitor/vpn/ssl?vdom=root HTTP/1.1
Host: fw01.corp.example.com
User-Agent: Zabbix 6.4
Accept: application/json
Authorization: Bearer 4ph9gQk1w0n7Hx3sQz0m8jN5d2cG6f""")),
    ("raw", "", _raw(f"""GET /api/v2/monitor/system/interface?interface_name=port1&include_vlan=true HTTP/1.1
Host: fw01.corp.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/plain, */*
X-CSRFTOKEN: 8Ht7zwQ3nR2pS6vL0aX9cF1dB4mK5jE
X-Requested-With: XMLHttpRequest
Referer: https://fw01.corp.example.com/ng/interface
Cookie: APSCOOKIE_4113419921="Era%3D0%26Payload%3DhP7q1x4aZ2%2Fk9bR0sW3dL6fJ8mT5vC%2BnE1gY%3D%3D%26AuthHash%3Dxv8Nq2%2Bk%3D"; ccsrftoken_4113419921="8Ht7zwQ3nR2pS6vL0aX9cF1dB4mK5jE\"""")),

    # --- Citrix Gateway / StoreFront / ADC NITRO ---
    ("raw", "", _raw(f"""GET /logon/LogonPoint/tmindex.html HTTP/1.1
Host: gateway.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
Cookie: NSC_TMAS=; NSC_TASS=aHR0cHM6Ly9nYXRld2F5LmV4YW1wbGUuY29tL0NpdHJpeC9TdG9yZVdlYi8=""")),
    ("raw", "", _raw(f"""POST /nf/auth/getAuthenticationRequirements.do HTTP/1.1
Host: gateway.example.com
User-Agent: {_UA_CHROME}
Accept: application/xml, text/xml, */*; q=0.01
X-Citrix-Am-Credentialtypes: none, username, domain, password, newpassword, passcode, savecredentials, textcredential, webview, nsg-epa, nsg-epa-v2, nsg-x1, nsg-setclient, nsg-eula, nsg-tlogin, nsg-fullvpn, nsg-hidden, nsg-auth-failure, nsg-auth-success, nsg-epa-success, nsg-l20n, GoBack, nf-recaptcha, ns-dialogue, nf-gw-test, nf-poll, nsg_qrcode, nsg_manageotp, negotiate, nsg_push, nsg_push_otp, nf_sspr_rem
X-Citrix-Am-Labeltypes: none, plain, heading, error, confirmation, image, nsg-epa, nsg-tlogin, nsg-tlogin-heading, nsg-tlogin-single-res, nsg-tlogin-multi-res, nsg-tlogin-heading, nsg-fullvpn, nsg-l20n, nsg-l20n-error, certauth-failure, dialogue-label, tlogin-failure-msg, nsg-loginlabel, tlogin-button-label, nsg-qrcode
X-Requested-With: XMLHttpRequest
Origin: https://gateway.example.com
Referer: https://gateway.example.com/logon/LogonPoint/tmindex.html
Cookie: NSC_TASS=aHR0cHM6Ly9nYXRld2F5LmV4YW1wbGUuY29tL0NpdHJpeC9TdG9yZVdlYi8=""")),
    ("raw", "", _raw(f"""POST /nf/auth/doAuthentication.do HTTP/1.1
Host: gateway.example.com
User-Agent: {_UA_CHROME}
Accept: application/xml, text/xml, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Citrix-Am-Credentialtypes: none, username, domain, password, newpassword, passcode, savecredentials, textcredential, webview, nsg-epa, nsg-epa-v2, nsg-x1, nsg-setclient, nsg-eula, nsg-tlogin, nsg-fullvpn, nsg-hidden, nsg-auth-failure, nsg-auth-success, nsg-epa-success, nsg-l20n, GoBack, nf-recaptcha, ns-dialogue, nf-gw-test, nf-poll, nsg_qrcode, nsg_manageotp, negotiate, nsg_push, nsg_push_otp, nf_sspr_rem
X-Requested-With: XMLHttpRequest
Origin: https://gateway.example.com
Referer: https://gateway.example.com/logon/LogonPoint/tmindex.html
Cookie: NSC_TASS=aHR0cHM6Ly9nYXRld2F5LmV4YW1wbGUuY29tL0NpdHJpeC9TdG9yZVdlYi8=; pwcount=0""",
                     "login=CORP%5Cjdoe&passwd=S%26mmer%3C%3E2024%22%3B&savecredentials=false"
                     "&nsg-x1-logon-button=Log+On&StateContext=bG9naW5zY2hlbWE9ZGVmYXVsdA%3D%3D")),
    ("raw", "", _raw(f"""POST /cgi/setclient?wica HTTP/1.1
Host: gateway.example.com
User-Agent: {_UA_CHROME}
Accept: */*
X-Requested-With: XMLHttpRequest
Referer: https://gateway.example.com/vpn/index.html
Cookie: NSC_AAAC=8d62c1e4a9b07f3526d1e8c4b7a9f0e2; NSC_USER=CORP%5Cjdoe""")),
    ("raw", "", _raw(f"""GET /vpn/js/rdx/core/lang/rdx_en.json.gz HTTP/1.1
Host: gateway.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/javascript, */*; q=0.01
Accept-Encoding: gzip, deflate, br
Referer: https://gateway.example.com/vpn/index.html""")),
    ("raw", "", _raw("""GET /oauth/idp/.well-known/openid-configuration HTTP/1.1
Host: gateway.example.com
User-Agent: Microsoft.IdentityModel.Protocols/6.35.0
Accept: application/json""")),
    ("raw", "", _raw(f"""POST /Citrix/StoreWeb/Home/Configuration HTTP/1.1
Host: storefront.example.com
User-Agent: {_UA_CHROME}
Accept: application/xml, text/xml, */*; q=0.01
X-Citrix-IsUsingHTTPS: Yes
X-Requested-With: XMLHttpRequest
Csrf-Token: 4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54
Origin: https://storefront.example.com
Referer: https://storefront.example.com/Citrix/StoreWeb/
Cookie: CtxsUserPreferredClient=Native; CtxsClientDetectionDone=true; CsrfToken=4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54; ASP.NET_SessionId=y2xq3kz0u4bfqj1hmw0q5l2e""")),
    ("raw", "", _raw(f"""POST /Citrix/StoreWeb/Resources/List HTTP/1.1
Host: storefront.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Citrix-IsUsingHTTPS: Yes
X-Requested-With: XMLHttpRequest
Csrf-Token: 4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54
Referer: https://storefront.example.com/Citrix/StoreWeb/
Cookie: CtxsClientDetectionDone=true; CsrfToken=4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54; ASP.NET_SessionId=y2xq3kz0u4bfqj1hmw0q5l2e; CtxsAuthId=A1B6E0D1""",
                     "format=json&resourceDetails=Default")),
    ("raw", "", _raw(f"""GET /Citrix/StoreWeb/Resources/LaunchIca/Q2l0cml4LkRlc2t0b3AuV2luMTAgUG9vbA--.ica?CsrfToken=4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54&IsUsingHttps=Yes&displayNameDesktopTitle=Windows%2010%20Desktop%20(Finance)&launchId=1718352000123 HTTP/1.1
Host: storefront.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://storefront.example.com/Citrix/StoreWeb/
Cookie: CtxsClientDetectionDone=true; CsrfToken=4F2E0A8A1D3C8B1E6A7C0F3D2B9E1A54; ASP.NET_SessionId=y2xq3kz0u4bfqj1hmw0q5l2e; CtxsAuthId=A1B6E0D1""")),
    ("raw", "", _raw("""POST /nitro/v1/config/login HTTP/1.1
Host: adc01.corp.example.com
User-Agent: Ansible-citrix.adc/2.5.0
Accept: application/json
Content-Type: application/json""",
                     '{"login":{"username":"nsroot","password":"q!7Z#e2$Lp%9"}}')),
    ("raw", "", _raw("""GET /nitro/v1/config/lbvserver?attrs=name,curstate,ipv46,port,servicetype&filter=servicetype:SSL HTTP/1.1
Host: adc01.corp.example.com
User-Agent: curl/8.5.0
Accept: application/json
X-NITRO-USER: monitor
X-NITRO-PASS: Mon1tor!2024""")),
    ("raw", "", _raw("""POST /nitro/v1/config/responderpolicy HTTP/1.1
Host: adc01.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/json
Cookie: NITRO_AUTH_TOKEN=##7B3E1F0C9D8A6B5E4F3A2C1D0E9F8A7B6C5D4E3F2A1B0C9D8E7F6A5B4C3D2E1F0""",
                     '{"responderpolicy":{"name":"ctx267027_block","rule":"HTTP.REQ.URL.DECODE_USING_TEXT_MODE.'
                     'CONTAINS(\\"/vpns/\\") && (!CLIENT.SSLVPN.IS_SSLVPN) || HTTP.REQ.URL.DECODE_USING_TEXT_MODE.'
                     'CONTAINS(\\"/../\\")","action":"RESET","comment":"Vendor-recommended mitigation"}}')),

    # --- Ivanti / Pulse Connect Secure ---
    ("raw", "", _raw(f"""GET /dana-na/auth/url_default/welcome.cgi HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
Accept-Language: en-GB,en;q=0.7
Cookie: lastRealm=Users; DSSIGNIN=url_default""")),
    ("raw", "", _raw(f"""POST /dana-na/auth/url_default/login.cgi HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://remote.example.com
Referer: https://remote.example.com/dana-na/auth/url_default/welcome.cgi
Cookie: lastRealm=Users; DSSIGNIN=url_default; DSSignInURL=/""",
                     "tz_offset=-300&clientMAC=&username=jdoe&password=P%40ss%2Fw0rd%5C%27%3D%3D&realm=Users"
                     "&btnSubmit=Sign+In")),
    ("raw", "", _raw(f"""POST /dana-na/auth/url_default/login.cgi HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://remote.example.com
Referer: https://remote.example.com/dana-na/auth/url_default/login.cgi
Cookie: lastRealm=Users; DSSIGNIN=url_default; DSSignInURL=/""",
                     "btnContinue=Continue%20the%20session&FormDataStr=5f2e1c0b3a8d4f6e7a9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d")),
    ("raw", "", _raw(f"""GET /dana/home/index.cgi HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://remote.example.com/dana-na/auth/url_default/login.cgi
Cookie: DSID=9a7d2c41e5f08b3612ad4e97c0b58f21; DSFirstAccess=1718352011; DSLastAccess=1718352011; lastRealm=Users""")),
    ("raw", "", _raw(f"""GET /dana/home/launch.cgi?url=https%3A%2F%2Fintranet.corp.local%2Fhr%2Fportal%2Fdefault.aspx%3Ftab%3Dleave HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://remote.example.com/dana/home/index.cgi
Cookie: DSID=9a7d2c41e5f08b3612ad4e97c0b58f21; DSFirstAccess=1718352011; DSLastAccess=1718352101""")),
    ("raw", "", _raw(f"""GET /hr/portal/default.aspx,DanaInfo=intranet.corp.local,SSL+tab=leave HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://remote.example.com/dana/home/index.cgi
Cookie: DSID=9a7d2c41e5f08b3612ad4e97c0b58f21; DSLastAccess=1718352102""")),
    ("raw", "", _raw(f"""POST /dana-na/auth/saml-consumer.cgi HTTP/1.1
Host: remote.example.com
User-Agent: {_UA_EDGE}
Content-Type: application/x-www-form-urlencoded
Origin: https://login.microsoftonline.com
Referer: https://login.microsoftonline.com/""",
                     "SAMLResponse=" + quote_plus(_SAML_RESP.replace("+", "/")) +
                     "&RelayState=" + quote_plus("ZGFuYS1uYS9hdXRoL3VybF9kZWZhdWx0L3dlbGNvbWUuY2dp"))),
    ("raw", "", _raw("""GET /api/v1/configuration/authentication/auth-servers HTTP/1.1
Host: remote.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Authorization: Basic SmtCN3FYcFZ6bTJ3UjhkRjZoTDFuQTlzWTNlVDBjVTQ6""")),

    # --- Palo Alto GlobalProtect portal/gateway (client check-ins) ---
    ("raw", "", _raw("""POST /global-protect/prelogin.esp?tmp=tmp&clientVer=4100&clientos=Windows HTTP/1.1
Host: vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded
Accept: */*""",
                     "tmp=tmp&kerberos-support=yes&ipv6-support=yes&clientVer=4100&clientos=Windows"
                     "&os-version=Microsoft+Windows+10+Enterprise+%2C+64-bit&server=vpn.example.com"
                     "&host-id=4c4c4544-0051-3510-8048-b3c04f4e3732&default-browser=1&cas-support=yes")),
    ("raw", "", _raw("""POST /global-protect/getconfig.esp HTTP/1.1
Host: vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "prot=https%3A&server=vpn.example.com&inputStr=&jnlpReady=jnlpReady&user=jdoe"
                     "&passwd=Gl0b%40l%3B%7C%24ecure&computer=LAPTOP-7H2K9&ok=Login&direct=yes&clientVer=4100"
                     "&os-version=Microsoft+Windows+10+Enterprise+%2C+64-bit&clientos=Windows"
                     "&portal-userauthcookie=empty&portal-prelogonuserauthcookie=empty"
                     "&host-id=4c4c4544-0051-3510-8048-b3c04f4e3732&ipv6-support=yes")),
    ("raw", "", _raw("""POST /ssl-vpn/login.esp HTTP/1.1
Host: gw-eu.vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "prot=https%3A&server=gw-eu.vpn.example.com&inputStr=&jnlpReady=jnlpReady&user=jdoe"
                     "&passwd=&computer=LAPTOP-7H2K9&ok=Login&direct=yes&clientVer=4100"
                     "&os-version=Microsoft+Windows+10+Enterprise+%2C+64-bit&clientos=Windows"
                     "&portal-userauthcookie=Lm9Q2nHv3xKc7sZ1fP0bWq4tYe6rUa8iOd5jGhMk2lXz%2FcVb%3D"
                     "&portal-prelogonuserauthcookie=empty&host-id=4c4c4544-0051-3510-8048-b3c04f4e3732"
                     "&selection-type=auto")),
    ("raw", "", _raw("""POST /ssl-vpn/getconfig.esp HTTP/1.1
Host: gw-eu.vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "client-type=1&protocol-version=p1&app-version=6.1.1-5&clientos=Windows"
                     "&os-version=Microsoft+Windows+10+Enterprise+%2C+64-bit&hmac-algo=sha1%2Cmd5%2Csha256"
                     "&enc-algo=aes-256-gcm%2Caes-128-gcm%2Caes-128-cbc&authcookie=7b3f0a9c2e5d81f46a0c3e9b2d7f1a58"
                     "&portal=GP-Gateway&user=jdoe&domain=%28empty_domain%29&computer=LAPTOP-7H2K9"
                     "&preferred-ip=10.50.1.23&preferred-ipv6=&addr1=10.50.1.23%2F32")),
    ("raw", "", _raw("""POST /ssl-vpn/hipreportcheck.esp HTTP/1.1
Host: gw-eu.vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "client-role=global-protect-full&authcookie=7b3f0a9c2e5d81f46a0c3e9b2d7f1a58"
                     "&portal=GP-Gateway&user=jdoe&domain=%28empty_domain%29&computer=LAPTOP-7H2K9"
                     "&client-ip=10.50.1.23&client-ipv6=&md5=b8e4f2a4c7d93b1e0f6c2a9d7e3b5a11")),
    ("raw", "", _raw("""POST /ssl-vpn/hipreport.esp HTTP/1.1
Host: gw-eu.vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "client-role=global-protect-full&authcookie=7b3f0a9c2e5d81f46a0c3e9b2d7f1a58"
                     "&portal=GP-Gateway&user=jdoe&domain=%28empty_domain%29&computer=LAPTOP-7H2K9"
                     "&client-ip=10.50.1.23&client-ipv6=&report=" + quote_plus(_HIP_REPORT))),
    ("raw", "", _raw(f"""GET /global-protect/login.esp HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Cookie: SESSID=9f86d081884c7d659a2feaa0c55ad015""")),
    ("raw", "", _raw(f"""GET /global-protect/getmsi.esp?version=64&platform=windows HTTP/1.1
Host: vpn.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,*/*;q=0.8
Referer: https://vpn.example.com/global-protect/portal/portal.esp
Cookie: SESSID=9f86d081884c7d659a2feaa0c55ad015""")),
    ("raw", "", _raw("""POST /ssl-vpn/logout.esp HTTP/1.1
Host: gw-eu.vpn.example.com
User-Agent: PAN GlobalProtect
Content-Type: application/x-www-form-urlencoded""",
                     "authcookie=7b3f0a9c2e5d81f46a0c3e9b2d7f1a58&portal=GP-Gateway&user=jdoe"
                     "&computer=LAPTOP-7H2K9&os-version=Microsoft+Windows+10+Enterprise+%2C+64-bit")),

    # --- PAN-OS XML API and management UI ---
    ("raw", "", _raw("""GET /api/?type=op&cmd=%3Cshow%3E%3Csystem%3E%3Cinfo%3E%3C%2Finfo%3E%3C%2Fsystem%3E%3C%2Fshow%3E HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: pan-os-python/1.12.0
Accept: */*
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("GET /api/?" + urlencode({"type": "config", "action": "get", "xpath": _PAN_XPATH_ADDR})
                     + """ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: python-requests/2.31.0
Accept: */*
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("""GET /api/?type=config&action=show&xpath=/config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/security/rules/entry[@name='Allow-Web'] HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: curl/8.5.0
Accept: */*
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("""POST /api/ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: pan-os-python/1.12.0
Accept: */*
Content-Type: application/x-www-form-urlencoded
X-PAN-KEY: """ + _PAN_KEY,
                     urlencode({"type": "config", "action": "set", "xpath": _PAN_XPATH_ADDR,
                                "element": "<entry name='web-srv-01'><ip-netmask>10.1.1.10/32</ip-netmask>"
                                           "<description>Web server &amp; reverse proxy</description>"
                                           "<tag><member>prod</member></tag></entry>"}))),
    ("raw", "", _raw("""POST /api/ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: Ansible/2.16 paloaltonetworks.panos
Accept: */*
Content-Type: application/x-www-form-urlencoded""",
                     "type=keygen&user=api-automation&password=" + quote_plus("Xk9#v!Lm2$qR7&zT"))),
    ("raw", "", _raw("GET /api/?" + urlencode({
        "type": "commit",
        "cmd": "<commit><partial><admin><member>api-automation</member></admin></partial>"
               "<description>Add web-srv-01 (CHG0042)</description></commit>"}) + """ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: pan-os-python/1.12.0
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("GET /api/?" + urlencode({
        "type": "log", "log-type": "traffic", "nlogs": "50",
        "query": "(addr.src in 10.0.0.0/8) and (port.dst eq 443) and (action eq deny)"}) + """ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: Splunk-TA-paloalto/8.1.1
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("GET /api/?" + urlencode({
        "type": "op",
        "cmd": "<show><session><all><filter><source>10.1.2.3</source><destination-port>443"
               "</destination-port></filter></all></session></show>"}) + """ HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: python-requests/2.31.0
X-PAN-KEY: """ + _PAN_KEY)),
    ("raw", "", _raw("""POST /api/?type=user-id HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: ClearPass/6.11
Content-Type: application/x-www-form-urlencoded
X-PAN-KEY: """ + _PAN_KEY,
                     "cmd=" + quote_plus('<uid-message><version>1.0</version><type>update</type><payload><login>'
                                         '<entry name="corp\\jdoe" ip="10.50.1.23" timeout="60"/></login>'
                                         '</payload></uid-message>'))),
    ("raw", "", _raw(f"""POST /php/login.php HTTP/1.1
Host: pa-fw01.corp.example.com
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: https://pa-fw01.corp.example.com
Referer: https://pa-fw01.corp.example.com/php/login.php""",
                     "prot=https%3A&server=pa-fw01.corp.example.com&authType=init&challengeCookie=&user=admin"
                     "&passwd=Adm1n%25%5E%26*%28%29&challengePwd=&ok=Log+In")),

    # --- SonicWall SonicOS API and SMA ---
    ("raw", "", _raw("""POST /api/sonicos/auth HTTP/1.1
Host: sonicwall.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/json
Authorization: Basic YXBpYWRtaW46UzBuIWNXYWxsIzIwMjQ=""", '{"override": true}')),
    ("raw", "", _raw("""POST /api/sonicos/address-objects/ipv4 HTTP/1.1
Host: sonicwall.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/json
Cookie: SessId=0B7E21C9A4F3D8E65B21""",
                     '{"address_objects":[{"ipv4":{"name":"Srv-Web (DMZ) #2","zone":"DMZ",'
                     '"host":{"ip":"192.168.20.11"}}}]}')),
    ("raw", "", _raw("""POST /api/sonicos/config/pending HTTP/1.1
Host: sonicwall.corp.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/json
Cookie: SessId=0B7E21C9A4F3D8E65B21""", "{}")),
    ("raw", "", _raw(f"""POST /cgi-bin/userLogin HTTP/1.1
Host: sslvpn.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded
X-Requested-With: XMLHttpRequest
Referer: https://sslvpn.example.com/cgi-bin/welcome""",
                     "username=jdoe&password=Pa%24%24w0rd%21%3C%3E&domain=LocalDomain&portalname=VirtualOffice"
                     "&ajax=true")),
    ("raw", "", _raw(f"""GET /cgi-bin/portal HTTP/1.1
Host: sslvpn.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,*/*;q=0.8
Referer: https://sslvpn.example.com/cgi-bin/welcome
Cookie: swap=Y2Q0ZmE4YjE5ZTZhMmMzZDcwNWI4ZTFmMjQzYTZjOWQ=; TS01a2b3c4=01f6c8e2d4b1a3957c""")),

    # --- F5 BIG-IP iControl REST, AS3 and TMUI ---
    ("raw", "", _raw("""POST /mgmt/shared/authn/login HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: f5-sdk-python/3.0.21
Accept: application/json
Content-Type: application/json""",
                     '{"username":"automation","password":"F5!rest#2024","loginProviderName":"tmos"}')),
    ("raw", "", _raw("""GET /mgmt/tm/ltm/pool/~Common~pool_web/members?$select=name,address,state,session HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: f5-sdk-python/3.0.21
Accept: application/json
X-F5-Auth-Token: OZ6BHUGTJZ2CZ7AVHBN4VLR4XB
Connection: keep-alive""")),
    ("raw", "", _raw("""PATCH /mgmt/tm/ltm/virtual/~Common~vs_web_443 HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: Terraform/1.8.4 terraform-provider-bigip/1.22.0
Accept: application/json
Content-Type: application/json
X-F5-Auth-Token: OZ6BHUGTJZ2CZ7AVHBN4VLR4XB""",
                     '{"pool":"/Common/pool_web","description":"Prod web VIP - CHG0012345 (owner: web-team)"}')),
    ("raw", "", _raw("""GET /mgmt/tm/ltm/virtual?$filter=partition+eq+Common&expandSubcollections=true HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: curl/8.5.0
Accept: application/json
Authorization: Basic bW9uaXRvcjpNMG4hdG9yaW5n""")),
    ("raw", "", _raw("""POST /mgmt/tm/ltm/rule HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: f5-sdk-python/3.0.21
Accept: application/json
Content-Type: application/json
X-F5-Auth-Token: OZ6BHUGTJZ2CZ7AVHBN4VLR4XB""",
                     '{"name":"irule_https_redirect","partition":"Common","apiAnonymous":"when HTTP_REQUEST {\\n'
                     '    HTTP::redirect https://[getfield [HTTP::host] \\":\\" 1][HTTP::uri]\\n}"}')),
    ("raw", "", _raw("""POST /mgmt/shared/appsvcs/declare HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: f5-appsvcs-client
Accept: application/json
Content-Type: application/json
X-F5-Auth-Token: OZ6BHUGTJZ2CZ7AVHBN4VLR4XB""",
                     '{"class":"AS3","action":"deploy","persist":true,"declaration":{"class":"ADC",'
                     '"schemaVersion":"3.50.0","id":"web-prod","Web_Tenant":{"class":"Tenant","App_Web":'
                     '{"class":"Application","service":{"class":"Service_HTTPS","virtualAddresses":["10.0.1.10"],'
                     '"pool":"web_pool","serverTLS":"webtls"},"web_pool":{"class":"Pool","monitors":["http"],'
                     '"members":[{"servicePort":8080,"serverAddresses":["10.0.2.11","10.0.2.12"]}]},'
                     '"webtls":{"class":"TLS_Server","certificates":[{"certificate":"webcert"}]},'
                     '"webcert":{"class":"Certificate","certificate":{"bigip":"/Common/default.crt"},'
                     '"privateKey":{"bigip":"/Common/default.key"}}}}}}')),
    ("raw", "", _raw("""POST /mgmt/tm/sys/config HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: f5-sdk-python/3.0.21
Accept: application/json
Content-Type: application/json
X-F5-Auth-Token: OZ6BHUGTJZ2CZ7AVHBN4VLR4XB""", '{"command":"save"}')),
    ("raw", "", _raw("""GET /mgmt/tm/sys/version HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: Prometheus-bigip-exporter/1.0
Accept: application/json
Authorization: Basic bW9uaXRvcjpNMG4hdG9yaW5n""")),
    ("raw", "", _raw(f"""GET /tmui/login.jsp HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: {_UA_FF}
Accept: text/html,application/xhtml+xml,*/*;q=0.8""")),
    ("raw", "", _raw(f"""POST /tmui/logmein.html HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://bigip01.corp.example.com
Referer: https://bigip01.corp.example.com/tmui/login.jsp""",
                     "username=admin&passwd=B1g%21P%40%24%24%3B--")),
    ("raw", "", _raw(f"""GET /tmui/Control/jspmap/tmui/locallb/virtual_server/properties.jsp?name=/Common/vs_web_443 HTTP/1.1
Host: bigip01.corp.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://bigip01.corp.example.com/tmui/Control/jspmap/tmui/locallb/virtual_server/list.jsp
Cookie: BIGIPAuthUsernameCookie=admin; BIGIPAuthCookie=8A3D9F2C6B1E0F47A5C3D2E1F0B9A8C7D6E5F4A3; f5_refreshpage=https%3A//bigip01.corp.example.com/tmui/Control/jspmap/tmui/locallb/virtual_server/list.jsp; F5_CURRENT_PARTITION=Common""")),

    # --- VMware vCenter (REST, SDK, UI) ---
    ("raw", "", _raw("""POST /api/session HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: govc/0.37.3
Accept: application/json
Authorization: Basic YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZtVzRyZSEyMDI0""")),
    ("raw", "", _raw("""GET /api/vcenter/vm?names=web-01&names=web-02&power_states=POWERED_ON HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: python-requests/2.31.0 vSphere-Automation-SDK
Accept: application/json
vmware-api-session-id: b00db39a4f6c2e1f0d9a8b7c6e5f4d3a""")),
    ("raw", "", _raw("""GET /rest/vcenter/vm?filter.power_states.1=POWERED_ON&filter.clusters.1=domain-c8 HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: Veeam/12.1
Accept: application/json
vmware-api-session-id: b00db39a4f6c2e1f0d9a8b7c6e5f4d3a""")),
    ("raw", "", _raw("""POST /sdk HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: pyvmomi Python/3.11.8 (Linux; 6.5.0; x86_64)
Content-Type: text/xml; charset=utf-8
SOAPAction: "urn:vim25/8.0.2.0"
Cookie: vmware_soap_session="52d8e0c4-9f1b-4a3e-b7c6-2d1e0f9a8b7c\"""",
                     '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
                     'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" '
                     'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                     'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                     '<soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">'
                     'ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>')),
    ("raw", "", _raw("""POST /sdk HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: VMware vim-java 1.0
Content-Type: text/xml; charset=utf-8
SOAPAction: "urn:vim25/7.0.3.0"
Cookie: vmware_soap_session="52d8e0c4-9f1b-4a3e-b7c6-2d1e0f9a8b7c\"""",
                     '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
                     'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
                     '<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this>'
                     '<specSet><propSet><type>VirtualMachine</type><all>false</all><pathSet>name</pathSet>'
                     '<pathSet>runtime.powerState</pathSet><pathSet>guest.ipAddress</pathSet></propSet>'
                     '<objectSet><obj type="Folder">group-d1</obj><skip>false</skip><selectSet '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="TraversalSpec"><name>traverseFolders'
                     '</name><type>Folder</type><path>childEntity</path><skip>false</skip></selectSet></objectSet>'
                     '</specSet><options><maxObjects>500</maxObjects></options></RetrievePropertiesEx>'
                     '</soapenv:Body></soapenv:Envelope>')),
    ("raw", "", _raw(f"""POST /ui/h5-vsan/rest/proxy/service/com.vmware.vsan.client.services.capability.VsanCapabilityProvider/getClusterCapabilityData HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/plain, */*
Content-Type: application/json
X-XSRF-TOKEN: 3f8e2a1c-6b9d-4e0f-a7c5-d2b1e0f9c8a7
Referer: https://vcsa01.corp.example.com/ui/
Cookie: JSESSIONID=8C2D9E1F0A3B4C5D6E7F8091A2B3C4D5; XSRF-TOKEN=3f8e2a1c-6b9d-4e0f-a7c5-d2b1e0f9c8a7""",
                     '{"methodInput":[{"type":"ClusterComputeResource","value":"domain-c8",'
                     '"serverGuid":"5a2b8c1d-3e4f-4a5b-9c6d-7e8f9a0b1c2d"}]}')),
    ("raw", "", _raw(f"""POST /websso/SAML2/SSO/vsphere.local?SAMLRequest=fZJBT8MwDIX%2FSpX7mrbboERtpYkdmAQCbYMDNy%2FxtEhNUuIU%2BPmkZYRxgNtL%2FPz5vTgVgmk7XvfxaNfY12ESZ9s21pOfCjXrveUOSJO3YJB4lH6zvL3hRZbzzrvohGtZsiJCH7WzV85Sb9BvMLxpiQ%2Frm5odY%2BxIcEiEdRkmIcoJh5jpJJNwi6EXE5cpFIv7E%2FiWWrKJ6rmLQl0t3N1qaxl21ObzjlnR%2FedfN89PxnCoMcOHUEd9NJZfxyvfVhmNRGL3xJtJM4Z31yBmHbYP8HMr&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=k3Lm9Q2nHv3xKc7sZ1fP0bWq4tYe6rUa8iOd5jGhMk2lXz%2FcVb%3D HTTP/1.1
Host: vcsa01.corp.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded
CastleAuthorization: Basic YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZtVzRyZSEyMDI0
Origin: https://vcsa01.corp.example.com
Referer: https://vcsa01.corp.example.com/websso/SAML2/SSO/vsphere.local?SAMLRequest=fZJBT8MwDIX%2FSpX7mrbboERtpYkdmAQCbYMDNy%2FxtEhNUuIU""",
                     "CastleAuthorization=Basic%20YWRtaW5pc3RyYXRvckB2c3BoZXJlLmxvY2FsOlZtVzRyZSEyMDI0")),

    # --- Atlassian Confluence (editor, REST, CQL, setup) ---
    ("raw", "", _raw(f"""POST /rest/api/content HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/json; charset=UTF-8
X-Atlassian-Token: no-check
X-Requested-With: XMLHttpRequest
Origin: https://wiki.example.com
Referer: https://wiki.example.com/pages/createpage.action?spaceKey=OPS&fromPageId=65601
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081; seraph.confluence=65537%3A9f3a2b1c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a""",
                     '{"type":"page","title":"Runbook: rotate TLS certs on edge nodes","space":{"key":"OPS"},'
                     '"ancestors":[{"id":"65601"}],"body":{"storage":{"value":"<p>Run on each node:</p>'
                     '<ac:structured-macro ac:name=\\"code\\"><ac:parameter ac:name=\\"language\\">bash</ac:parameter>'
                     '<ac:plain-text-body><![CDATA[sudo certbot renew --deploy-hook \\"systemctl reload nginx\\" && '
                     'curl -sI https://localhost/healthz | head -1]]></ac:plain-text-body></ac:structured-macro>'
                     '<p>Then check <a href=\\"https://grafana.example.com/d/tls?orgId=1&amp;var-host=All\\">the '
                     'dashboard</a>.</p>","representation":"storage"}}}')),
    ("raw", "", _raw(f"""PUT /rest/api/content/98311 HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/json; charset=UTF-8
X-Atlassian-Token: no-check
X-Requested-With: XMLHttpRequest
Origin: https://wiki.example.com
Referer: https://wiki.example.com/pages/editpage.action?pageId=98311
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081; seraph.confluence=65537%3A9f3a2b1c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a""",
                     '{"id":"98311","type":"page","title":"DB failover checklist","version":{"number":14,'
                     '"message":"Added step for read replicas"},"body":{"storage":{"value":"<table><tbody><tr>'
                     '<th>Step</th><th>Command</th></tr><tr><td>1</td><td><code>SELECT pg_is_in_recovery();</code>'
                     '</td></tr><tr><td>2</td><td><code>SELECT pg_promote();</code></td></tr></tbody></table>'
                     '<p>See also <ac:link><ri:page ri:content-title=\\"Runbook: rotate TLS certs on edge nodes\\" />'
                     '</ac:link>.</p>","representation":"storage"}}}')),
    ("raw", "", _raw("GET /rest/api/content/search?" + urlencode({
        "cql": 'space = DEV and type = page and title ~ "release notes" order by lastmodified desc',
        "limit": "25", "expand": "version,space"}) + """ HTTP/1.1
Host: wiki.example.com
User-Agent: atlassian-python-api/3.41.11
Accept: application/json
Authorization: Bearer NjM1ODkzMjQ2MTk4OkF0bGFzc2lhblBBVDEyMzQ1Njc4OTBhYmNk""")),
    ("raw", "", _raw(f"""GET /dosearchsite.action?cql=siteSearch+~+%22select+*+from+pg_stat_activity%22+and+space+%3D+%22DBA%22&queryString=select+*+from+pg_stat_activity HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://wiki.example.com/display/DBA/Database+Team+Home
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""")),
    ("raw", "", _raw(f"""GET /rest/quicknav/1/search?query=%24%7BJAVA_HOME%7D%2Fbin%2Fkeytool&_=1718352000456 HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: https://wiki.example.com/display/OPS/Java+keystores
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""")),
    ("raw", "", _raw(f"""POST /rest/tinymce/1/macro/preview HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: text/html, */*; q=0.01
Content-Type: application/json; charset=UTF-8
X-Requested-With: XMLHttpRequest
Origin: https://wiki.example.com
Referer: https://wiki.example.com/pages/resumedraft.action?draftId=98412&draftShareId=5c2a1f0e-7b3d-4e9a-8c6f-1d2e3f4a5b6c
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""",
                     '{"contentId":"98412","macro":{"name":"widget","body":"","params":{"url":'
                     '"https://www.youtube.com/watch?v=aqz-KE-bpKQ","width":"640","height":"360"}}}')),
    ("raw", "", _raw(f"""GET /plugins/servlet/confluence/placeholder/macro?definition=e2NvZGU6bGFuZ3VhZ2U9amF2YXx0aXRsZT1FeGFtcGxlfQ&locale=en_GB&version=2 HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_FF}
Accept: image/avif,image/webp,*/*
Referer: https://wiki.example.com/pages/editpage.action?pageId=98311
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""")),
    ("raw", "", _raw(f"""POST /rest/api/content HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/json; charset=UTF-8
X-Atlassian-Token: no-check
X-Requested-With: XMLHttpRequest
Referer: https://wiki.example.com/display/OPS/Cleanup+job
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""",
                     '{"type":"comment","container":{"id":"98520","type":"page"},"body":{"storage":{"value":'
                     '"<p>Shouldn\'t step 3 be <code>rm -rf ./build/*</code> rather than <code>rm -rf /build</code>? '
                     'The second one wipes the mount on the runners &gt;_&lt;</p>","representation":"storage"}}}')),
    ("raw", "", _raw(f"""POST /rest/api/content/98311/child/attachment HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryq7MA4YWxkTrZu0gW
X-Atlassian-Token: no-check
Origin: https://wiki.example.com
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""",
                     "------WebKitFormBoundaryq7MA4YWxkTrZu0gW\r\n"
                     'Content-Disposition: form-data; name="file"; filename="failover (v2).drawio"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n"
                     '<mxfile host="app.diagrams.net" agent="Mozilla/5.0" version="24.4.13"><diagram id="k8s" '
                     'name="Page-1"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="2" '
                     'value="primary&lt;br&gt;10.0.3.11" style="shape=cylinder3;whiteSpace=wrap;html=1;" vertex="1" '
                     'parent="1"><mxGeometry x="120" y="80" width="60" height="80" as="geometry"/></mxCell></root>'
                     '</mxGraphModel></diagram></mxfile>\r\n'
                     "------WebKitFormBoundaryq7MA4YWxkTrZu0gW\r\n"
                     'Content-Disposition: form-data; name="comment"\r\n\r\n'
                     "Updated after DR test\r\n"
                     "------WebKitFormBoundaryq7MA4YWxkTrZu0gW\r\n"
                     'Content-Disposition: form-data; name="minorEdit"\r\n\r\n'
                     "true\r\n"
                     "------WebKitFormBoundaryq7MA4YWxkTrZu0gW--\r\n")),
    ("raw", "", _raw(f"""POST /setup/setupadministrator.action HTTP/1.1
Host: wiki-new.example.com:8090
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: http://wiki-new.example.com:8090
Referer: http://wiki-new.example.com:8090/setup/setupadministrator-start.action
Cookie: JSESSIONID=7E6D5C4B3A2918F7E6D5C4B3A2918F70""",
                     "username=admin&fullName=Confluence+Administrator&email=it-admins%40example.com"
                     "&password=C0nfl%21%3F%23%26ence&confirm=C0nfl%21%3F%23%26ence&setup-next-button=Next"
                     "&atl_token=5e8f2a1c9b7d3e6f0a4c8b2d1e9f7a3c5b6d8e0f")),
    ("raw", "", _raw(f"""POST /json/startheartbeatactivity.action HTTP/1.1
Host: wiki.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: https://wiki.example.com/pages/editpage.action?pageId=98311
Cookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081""",
                     "contentId=98311&draftType=page&atl_token=5e8f2a1c9b7d3e6f0a4c8b2d1e9f7a3c5b6d8e0f")),

    # --- Atlassian Jira (JQL, issues, gadgets) ---
    ("raw", "", _raw("GET /rest/api/2/search?" + urlencode({
        "jql": 'project = OPS AND status in ("In Progress", "To Do") AND assignee = currentUser() '
               'ORDER BY priority DESC, updated DESC',
        "fields": "summary,status,priority", "maxResults": "50"}) + """ HTTP/1.1
Host: jira.example.com
User-Agent: jira-cli/1.5.1
Accept: application/json
Authorization: Bearer MzQ2NTg5NzEyMzQ1OkppcmFQQVRzZWNyZXRfeDd5OHo5""")),
    ("raw", "", _raw("""POST /rest/api/2/search HTTP/1.1
Host: jira.example.com
User-Agent: Atlassian Connect/Python
Accept: application/json
Content-Type: application/json
Authorization: Basic c3ZjLWJvdDpTM3J2IWNlQm90IzI=""",
                     '{"jql":"text ~ \\"\\\\\\"NullPointerException\\\\\\" OrderService.java\\" AND created >= -7d '
                     'AND labels not in (wontfix, duplicate)","startAt":0,"maxResults":100,'
                     '"fields":["key","summary","reporter"]}')),
    ("raw", "", _raw(f"""POST /rest/api/2/issue HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: application/json
X-Atlassian-Token: no-check
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=B7K2-9QXP-4LMN-8RST_5d1a2b3c4e5f6a7b8c9d_lin""",
                     '{"fields":{"project":{"key":"SHOP"},"issuetype":{"name":"Bug"},"summary":'
                     '"Checkout fails for customers with an apostrophe in their surname","description":'
                     '"Customer *O\'Brien* cannot place orders. Log:\\n{noformat}\\nERROR: syntax error at or near '
                     '\\"Brien\\"\\n  LINE 1: SELECT * FROM customers WHERE last_name = \'O\'Brien\'\\n'
                     '{noformat}\\nLooks like the legacy search builds the query by string concatenation '
                     '({{CustomerDao.findByName}}). Should use a prepared statement.","priority":{"name":"High"},'
                     '"labels":["checkout","escaping"]}}')),
    ("raw", "", _raw("""POST /rest/api/2/issue/OPS-1432/comment HTTP/1.1
Host: jira.example.com
User-Agent: jira-cli/1.5.1
Accept: application/json
Content-Type: application/json
Authorization: Bearer MzQ2NTg5NzEyMzQ1OkppcmFQQVRzZWNyZXRfeDd5OHo5""",
                     '{"body":"Repro on staging:\\n{code:bash}\\ncurl -s -X POST https://staging.example.com/api/orders '
                     '\\\\\\n  -H \'Content-Type: application/json\' -d \'{\\"items\\":[{\\"sku\\":\\"AB-1\\",\\"qty\\":0}]}\'\\n'
                     '{code}\\nReturns 500 instead of 422."}')),
    ("raw", "", _raw(f"""GET /rest/api/2/user/picker?query=o%27brien&maxResults=10&showAvatar=true HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: https://jira.example.com/browse/SHOP-881
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0""")),
    ("raw", "", _raw(f"""POST /secure/QueryComponent!Jql.jspa HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_FF}
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Atlassian-Token: no-check
X-Requested-With: XMLHttpRequest
Referer: https://jira.example.com/issues/?jql=
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=B7K2-9QXP-4LMN-8RST_5d1a2b3c4e5f6a7b8c9d_lin""",
                     "jql=" + quote_plus('project = SHOP AND summary ~ "O\'Brien" AND fixVersion in unreleasedVersions()')
                     + "&decorator=none")),
    ("raw", "", _raw(f"""POST /plugins/servlet/gadgets/makeRequest HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: https://jira.example.com/secure/Dashboard.jspa
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0""",
                     urlencode({"url": "https://jira.example.com/rest/gadget/1.0/issueTable/filter?filterId=10400"
                                       "&num=10&columnNames=--Default--&enableSorting=true&sortBy=&paging=true",
                                "httpMethod": "GET", "headers": "", "postData": "", "authz": "",
                                "st": "atlassian:a1b2c3d4e5", "contentType": "JSON", "numEntries": "3",
                                "getSummaries": "false", "signOwner": "true", "signViewer": "true",
                                "gadget": "rest/gadgets/1.0/g/com.atlassian.jira.gadgets:filter-results-gadget/"
                                          "gadgets/filter-results-gadget.xml",
                                "container": "atlassian", "bypassSpecCache": "", "nocache": "false",
                                "refresh": "900"}))),
    ("raw", "", _raw(f"""POST /secure/ContactAdministrators.jspa HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_EDGE}
Content-Type: application/x-www-form-urlencoded
Origin: https://jira.example.com
Referer: https://jira.example.com/secure/ContactAdministrators!default.jspa
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=B7K2-9QXP-4LMN-8RST_5d1a2b3c4e5f6a7b8c9d_lin""",
                     "from=jdoe%40example.com&subject=Need+access+to+project+%22FIN%22+%28Q3+close%29"
                     "&details=Hi%2C+could+you+add+me+to+the+%27FIN+-+Developers%27+role%3F+My+manager+%28A.+Smith%29"
                     "+approved+it+in+ticket+HR-2201.+Thanks%21&atl_token=B7K2-9QXP-4LMN-8RST_5d1a2b3c4e5f6a7b8c9d_lin"
                     "&Send=Send")),
    ("raw", "", _raw("""POST /rest/api/2/issue/OPS-1432/transitions HTTP/1.1
Host: jira.example.com
User-Agent: GitLab/16.11 Jira-Integration
Accept: application/json
Content-Type: application/json
Authorization: Basic Z2l0bGFiLWJvdDpHMXRMQGJKMXJhIQ==""",
                     '{"transition":{"id":"31"},"update":{"comment":[{"add":{"body":"Resolved by merge request '
                     '[!482|https://gitlab.example.com/acme/web-app/-/merge_requests/482] (commit a3f9c21)"}}]}}')),
    ("raw", "", _raw(f"""POST /rest/servicedeskapi/request HTTP/1.1
Host: jira.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: application/json
X-ExperimentalApi: opt-in
X-Atlassian-Token: no-check
Cookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0""",
                     '{"serviceDeskId":"4","requestTypeId":"27","requestFieldValues":{"summary":"VPN: "'
                     '"\\"The certificate chain was issued by an authority that is not trusted\\"",'
                     '"description":"Since this morning FortiClient shows the error above when connecting to '
                     'vpn.example.com:10443. Screenshot attached. OS: Windows 11 23H2."}}')),

    # --- Bitbucket Data Center ---
    ("raw", "", _raw("""GET /rest/api/latest/projects/PROJ/repos/web-app/archive?at=refs%2Ftags%2Fv2.3.1&format=tar.gz&prefix=web-app-2.3.1%2F&path=docs HTTP/1.1
Host: bitbucket.example.com
User-Agent: curl/8.5.0
Accept: */*
Authorization: Bearer BBDC-MzY0NzE4Mjk1MDEyOqJ8kz3Lw1vQ2sX9pN4mR7tY0fE5""")),
    ("raw", "", _raw("""GET /rest/api/1.0/projects/PROJ/repos/web-app/browse/src/main/resources/application.yml?at=refs%2Fheads%2Fdevelop HTTP/1.1
Host: bitbucket.example.com
User-Agent: Renovate/37.368.0
Accept: application/json
Authorization: Bearer BBDC-MzY0NzE4Mjk1MDEyOqJ8kz3Lw1vQ2sX9pN4mR7tY0fE5""")),
    ("raw", "", _raw(f"""GET /projects/PROJ/repos/web-app/raw/deploy/nginx/conf.d/default.conf?at=refs%2Fheads%2Fmain HTTP/1.1
Host: bitbucket.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://bitbucket.example.com/projects/PROJ/repos/web-app/browse/deploy/nginx/conf.d
Cookie: BITBUCKETSESSIONID=4B3A29180F7E6D5C4B3A29180F7E6D5C""")),
    ("raw", "", _raw(f"""POST /rest/api/latest/projects/PROJ/repos/web-app/pull-requests/42/comments?diffType=EFFECTIVE&markup=true HTTP/1.1
Host: bitbucket.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/json
X-AUSERNAME: jdoe
X-Requested-With: XMLHttpRequest
Cookie: BITBUCKETSESSIONID=4B3A29180F7E6D5C4B3A29180F7E6D5C""",
                     '{"text":"Please don\'t build this with f-strings:\\n```python\\ncur.execute(f\\"SELECT id, email '
                     'FROM users WHERE name = \'{name}\'\\")\\n```\\nuse parameters instead:\\n```python\\n'
                     'cur.execute(\\"SELECT id, email FROM users WHERE name = %s\\", (name,))\\n```",'
                     '"anchor":{"line":88,"lineType":"ADDED","fileType":"TO","path":"app/repository/users.py"}}')),
    ("raw", "", _raw("""GET /scm/proj/web-app.git/info/refs?service=git-upload-pack HTTP/1.1
Host: bitbucket.example.com
User-Agent: git/2.45.1
Accept: */*
Accept-Encoding: deflate, gzip, br, zstd
Git-Protocol: version=2
Authorization: Basic amRvZTpCQkRDLU16WTBOekU0TWprMU1ERXlPcUo4""")),
    ("raw", "", _raw("""POST /scm/proj/web-app.git/git-upload-pack HTTP/1.1
Host: bitbucket.example.com
User-Agent: git/2.45.1
Accept-Encoding: deflate, gzip, br, zstd
Content-Type: application/x-git-upload-pack-request
Accept: application/x-git-upload-pack-result
Git-Protocol: version=2
Authorization: Basic amRvZTpCQkRDLU16WTBOekU0TWprMU1ERXlPcUo4""",
                     "0014command=ls-refs\n0014agent=git/2.45.10016object-format=sha10001"
                     "0009peel\n000csymrefs\n000bunborn\n0014ref-prefix HEAD\n001bref-prefix refs/heads/\n"
                     "001aref-prefix refs/tags/\n0000")),

    # --- Microsoft Exchange: OWA, ECP, Autodiscover, EWS, ActiveSync, MAPI/HTTP ---
    ("raw", "", _raw(f"""POST /owa/auth.owa HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Content-Type: application/x-www-form-urlencoded
Origin: https://mail.example.com
Referer: https://mail.example.com/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.example.com%2fowa%2f
Cookie: PrivateComputer=true; PBack=0""",
                     "destination=https%3A%2F%2Fmail.example.com%2Fowa%2F&flags=4&forcedownlevel=0"
                     "&username=CORP%5Cjdoe&password=Ex%24h%40nge%3C2024%3E%25&passwordText=&isUtf8=1")),
    ("raw", "", _raw(f"""POST /owa/service.svc?action=GetItem&app=Mail&n=42 HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Accept: */*
Content-Type: application/json; charset=utf-8
Action: GetItem
X-OWA-CANARY: Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.
X-OWA-ActionName: GetMailItem
X-OWA-UrlPostData: %7B%22__type%22%3A%22GetItemJsonRequest%3A%23Exchange%22%2C%22Header%22%3A%7B%22__type%22%3A%22JsonRequestHeaders%3A%23Exchange%22%2C%22RequestServerVersion%22%3A%22V2017_08_18%22%7D%2C%22Body%22%3A%7B%22__type%22%3A%22GetItemRequest%3A%23Exchange%22%2C%22ItemShape%22%3A%7B%22__type%22%3A%22ItemResponseShape%3A%23Exchange%22%2C%22BaseShape%22%3A%22IdOnly%22%7D%2C%22ItemIds%22%3A%5B%7B%22__type%22%3A%22ItemId%3A%23Exchange%22%2C%22Id%22%3A%22AAMkADk0Njc2YjhjLTQ1ZDItNDFjNC05NzA5LWI1ZmZiYzNkYmZkNgBGAAAAAAB%2FAAA%3D%22%7D%5D%7D%7D
X-Requested-With: XMLHttpRequest
Referer: https://mail.example.com/owa/
Cookie: X-OWA-CANARY=Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.; cadata=""; ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D; UC=8f1e2d3c4b5a6978; X-BackEndCookie=S-1-5-21-3623811015-3361044348-30300820-1013=u56Lnp2ejJqBzMucy8bGysvSmZvKyNLLnM7J0sbHzJ3SnZ7KxsnJy57Lx8rNgYHNz87L0s/O0s7Iq8/Iy8XOzMXNzg==""")),
    ("raw", "", _raw(f"""POST /owa/service.svc?action=CreateItem&app=Mail&n=57 HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Accept: */*
Content-Type: application/json; charset=utf-8
Action: CreateItem
X-OWA-CANARY: Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.
X-Requested-With: XMLHttpRequest
Referer: https://mail.example.com/owa/
Cookie: X-OWA-CANARY=Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.; ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D""",
                     '{"__type":"CreateItemJsonRequest:#Exchange","Header":{"__type":"JsonRequestHeaders:#Exchange",'
                     '"RequestServerVersion":"V2017_08_18","TimeZoneContext":{"__type":"TimeZoneContext:#Exchange",'
                     '"TimeZoneDefinition":{"__type":"TimeZoneDefinitionType:#Exchange","Id":"W. Europe Standard Time"}}},'
                     '"Body":{"__type":"CreateItemRequest:#Exchange","Items":[{"__type":"Message:#Exchange",'
                     '"Subject":"Mailbox export - how to","Body":{"__type":"BodyContentType:#Exchange","BodyType":"HTML",'
                     '"Value":"<html><head><meta http-equiv=\\"Content-Type\\" content=\\"text/html; charset=UTF-8\\">'
                     '</head><body><div style=\\"font-family:Calibri,Arial,Helvetica,sans-serif; font-size:12pt\\">'
                     'Hi team,<br>from the EMS run: <code>Get-Mailbox -ResultSize Unlimited | Select DisplayName,'
                     'PrimarySmtpAddress | Export-Csv C:\\\\Temp\\\\mbx.csv -NoTypeInformation</code><br>Cheers, J.'
                     '</div></body></html>"},"ToRecipients":[{"EmailAddress":"it-ops@example.com"}]}],'
                     '"MessageDisposition":"SendAndSaveCopy","SavedItemFolderId":{"__type":"TargetFolderId:#Exchange",'
                     '"BaseFolderId":{"__type":"DistinguishedFolderId:#Exchange","Id":"sentitems"}}}}')),
    ("raw", "", _raw(f"""GET /owa/service.svc/s/GetFileAttachment?id=AAMkADk0Njc2YjhjLTQ1ZDItNDFjNC05NzA5LWI1ZmZiYzNkYmZkNgBGAAAAAAB%2FAAABEgAQAKz1%2BSp6KLtEi5xM%2FZ7cjAc%3D&X-OWA-CANARY=Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.&isImagePreview=True HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Accept: image/avif,image/webp,image/apng,image/*,*/*;q=0.8
Referer: https://mail.example.com/owa/
Cookie: X-OWA-CANARY=Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.; ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D""")),
    ("raw", "", _raw(f"""GET /ecp/?rfr=owa&p=PersonalSettings/Password.aspx HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://mail.example.com/owa/
Cookie: ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D; msExchEcpCanary=q5Rk3vW8yE2uO9iP1aS4dF7gH0jK6lZ.""")),
    ("raw", "", _raw(f"""POST /ecp/DDI/DDIService.svc/GetList?schema=MessageTraceSchema&msExchEcpCanary=q5Rk3vW8yE2uO9iP1aS4dF7gH0jK6lZ. HTTP/1.1
Host: mail.example.com
User-Agent: {_UA_EDGE}
Accept: application/json, text/javascript, */*
Content-Type: application/json; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: https://mail.example.com/ecp/Reporting/MessageTrace.slab?showhelp=false
Cookie: ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D; msExchEcpCanary=q5Rk3vW8yE2uO9iP1aS4dF7gH0jK6lZ.""",
                     '{"filter":{"Parameters":{"__type":"JsonDictionaryOfanyType:#Microsoft.Exchange.Management.'
                     'ControlPanel","SenderAddress":"noreply@vendor.example.net","RecipientAddress":"*@example.com",'
                     '"StartDate":"2024/06/13 00:00:00","EndDate":"2024/06/14 23:59:59"}},'
                     '"sort":{"Direction":1,"PropertyName":"Received"}}')),
    ("raw", "", _raw("""POST /autodiscover/autodiscover.xml HTTP/1.1
Host: autodiscover.example.com
User-Agent: Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)
Content-Type: text/xml
X-MapiHttpCapability: 1
X-AnchorMailbox: jdoe@example.com
Authorization: Basic amRvZUBleGFtcGxlLmNvbTpPdXRsMDBrIQ==""",
                     '<?xml version="1.0" encoding="utf-8"?><Autodiscover '
                     'xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">'
                     '<Request><EMailAddress>jdoe@example.com</EMailAddress><AcceptableResponseSchema>'
                     'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a'
                     '</AcceptableResponseSchema></Request></Autodiscover>')),
    ("raw", "", _raw("""GET /autodiscover/autodiscover.json/v1.0/jdoe@example.com?Protocol=ActiveSync&RedirectCount=1 HTTP/1.1
Host: autodiscover.example.com
User-Agent: Outlook-iOS/728.4283005.prod.iphone (4.2421.0)
Accept: application/json""")),
    ("raw", "", _raw("""GET /autodiscover/autodiscover.json?Email=jdoe@example.com&Protocol=EWS&RedirectCount=1 HTTP/1.1
Host: autodiscover.example.com
User-Agent: Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)
Accept: application/json""")),
    ("raw", "", _raw("""POST /EWS/Exchange.asmx HTTP/1.1
Host: mail.example.com
User-Agent: MacOutlook/16.85.24051214 (Intelx64 Mac OS X 14.5.0 (Build 23F79))
Content-Type: text/xml; charset=utf-8
SOAPAction: "http://schemas.microsoft.com/exchange/services/2006/messages/FindItem"
X-AnchorMailbox: jdoe@example.com
Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21haWwuZXhhbXBsZS5jb20iLCJ1cG4iOiJqZG9lQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJl""",
                     '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                     'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
                     'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" '
                     'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header>'
                     '<t:RequestServerVersion Version="Exchange2016"/></soap:Header><soap:Body>'
                     '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>'
                     '<t:AdditionalProperties><t:FieldURI FieldURI="item:Subject"/><t:FieldURI '
                     'FieldURI="item:DateTimeReceived"/></t:AdditionalProperties></m:ItemShape>'
                     '<m:IndexedPageItemView MaxEntriesReturned="50" Offset="0" BasePoint="Beginning"/>'
                     '<m:Restriction><t:Contains ContainmentMode="Substring" ContainmentComparison="IgnoreCase">'
                     '<t:FieldURI FieldURI="item:Subject"/><t:Constant Value="invoice #2024-06"/></t:Contains>'
                     '</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds>'
                     '</m:FindItem></soap:Body></soap:Envelope>')),
    ("raw", "", _raw("""POST /EWS/Exchange.asmx HTTP/1.1
Host: mail.example.com
User-Agent: ExchangeServicesClient/15.00.0913.015
Content-Type: text/xml; charset=utf-8
SOAPAction: "http://schemas.microsoft.com/exchange/services/2006/messages/GetUserAvailability"
Authorization: Basic c3ZjLXJvb21ib29raW5nQGV4YW1wbGUuY29tOlIwMG0hQjAwayE=""",
                     '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                     'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" '
                     'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" '
                     'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>'
                     '<t:RequestServerVersion Version="Exchange2013_SP1"/><t:TimeZoneContext>'
                     '<t:TimeZoneDefinition Id="W. Europe Standard Time"/></t:TimeZoneContext></soap:Header>'
                     '<soap:Body><m:GetUserAvailabilityRequest><m:MailboxDataArray><t:MailboxData><t:Email>'
                     '<t:Address>room-4.12@example.com</t:Address></t:Email><t:AttendeeType>Room</t:AttendeeType>'
                     '</t:MailboxData></m:MailboxDataArray><t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>'
                     '2024-06-17T00:00:00</t:StartTime><t:EndTime>2024-06-18T00:00:00</t:EndTime></t:TimeWindow>'
                     '<t:MergedFreeBusyIntervalInMinutes>30</t:MergedFreeBusyIntervalInMinutes>'
                     '<t:RequestedView>FreeBusy</t:RequestedView></t:FreeBusyViewOptions>'
                     '</m:GetUserAvailabilityRequest></soap:Body></soap:Envelope>')),
    ("raw", "", _raw("""OPTIONS /Microsoft-Server-ActiveSync HTTP/1.1
Host: mail.example.com
User-Agent: Apple-iPhone15C2/2105.258
Accept: */*
Authorization: Basic Q09SUFxqZG9lOkFjdDF2ZVN5bmMh""")),
    ("raw", "", _raw("""POST /Microsoft-Server-ActiveSync?Cmd=FolderSync&User=jdoe&DeviceId=8B2E4F1A6C3D9E7F0A5B&DeviceType=iPhone HTTP/1.1
Host: mail.example.com
User-Agent: Apple-iPhone15C2/2105.258
Content-Type: application/vnd.ms-sync.wbxml
MS-ASProtocolVersion: 16.1
X-MS-PolicyKey: 3942919513
Authorization: Basic Q09SUFxqZG9lOkFjdDF2ZVN5bmMh""", "\x03\x01j\x00\x00\x07VR\x030\x00\x01\x01")),
    ("raw", "", _raw("""POST /Microsoft-Server-ActiveSync?Cmd=Sync&User=jdoe&DeviceId=androidc1f2e3d4a5b6&DeviceType=Android HTTP/1.1
Host: mail.example.com
User-Agent: Android-Mail/2024.05.19.636245614.Release
Content-Type: application/vnd.ms-sync.wbxml
MS-ASProtocolVersion: 14.1
X-MS-PolicyKey: 1307811267
Authorization: Basic Q09SUFxqZG9lOkFjdDF2ZVN5bmMh""",
                     _b(b"\x03\x01j\x00\x00\x00E\\OK\x03189312004\x00\x01R\x035\x00\x01\x1e\x13WX\x035\x00\x01"
                        b"\x00\x11EF\x032\x00\x01G\x03204800\x00\x01\x01\x01\x01\x01\x01"))),
    ("raw", "", _raw("""POST /Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l HTTP/1.1
Host: mail.example.com
User-Agent: Apple-iPad13C1/2105.258
Content-Type: application/vnd.ms-sync.wbxml
MS-ASProtocolVersion: 14.0
Authorization: Basic Q09SUFxqZG9lOkFjdDF2ZVN5bmMh""",
                     _b(b"\x03\x01j\x00\x00\rEH\x03480\x00\x01IJK\x035\x00\x01L\x03Email\x00\x01\x01\x01\x01"))),
    ("raw", "", _raw("""POST /mapi/emsmdb/?MailboxId=7f3c1b2a-9d8e-4f6a-b5c4-1e2d3f4a5b6c@example.com HTTP/1.1
Host: mail.example.com
User-Agent: Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)
Content-Type: application/mapi-http
X-RequestType: Connect
X-ClientInfo: {2F94A2BF-A2E6-4CCC-BF98-B5F22C542226}:1
X-RequestId: {E2EA6C1C-E61B-49E9-9CFB-38184F907552}:1
X-ClientApplication: Outlook/16.0.17531.20140
Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21haWwuZXhhbXBsZS5jb20iLCJ1cG4iOiJqZG9lQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJl""",
                     _b(b"/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/"
                        b"cn=3f7a1e2d9c8b4a6f-jdoe\x00\x00\x00\x00\x00\xe4\x04\x00\x00\x09\x04\x00\x00\x09\x04\x00\x00"
                        b"\x00\x00\x00\x00\x10\x00\x00\x00\x01\x00\x0a\x0f\x01\x00\x00\x00\x9c\xb2\xfe\x7f\x00\x00"))),
    ("raw", "", _raw("""POST /mapi/nspi/?MailboxId=7f3c1b2a-9d8e-4f6a-b5c4-1e2d3f4a5b6c@example.com HTTP/1.1
Host: mail.example.com
User-Agent: Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)
Content-Type: application/mapi-http
X-RequestType: Bind
X-ClientInfo: {2F94A2BF-A2E6-4CCC-BF98-B5F22C542226}:2
X-RequestId: {E2EA6C1C-E61B-49E9-9CFB-38184F907552}:2
X-ClientApplication: Outlook/16.0.17531.20140
Cookie: MapiContext=QUFBQUFBQUE9; MapiSequence=2-8a1f; sid=5f4e3d2c-1b0a-9f8e-7d6c-5b4a3f2e1d0c""",
                     _b(b"\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                        b"\x00\x00\xe4\x04\x00\x00\x09\x04\x00\x00\x09\x04\x00\x00\x00\x00\x00\x00"))),

    # --- Microsoft SharePoint (REST, CSOM, SOAP, _layouts) ---
    ("raw", "", _raw(f"""GET /sites/hr/_api/web/lists/getbytitle('Documents')/items?$select=Title,FileRef,Modified&$filter=Modified%20ge%20datetime'2024-01-01T00:00:00Z'&$orderby=Modified%20desc&$top=100 HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: application/json;odata=verbose
X-Requested-With: XMLHttpRequest
Referer: https://intranet.example.com/sites/hr/SitePages/Reports.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw; rtFa=5kXq2+Lr7vHw1MZ0N8aTn3uB9y""")),
    ("raw", "", _raw(f"""POST /sites/hr/_api/contextinfo HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: application/json;odata=verbose
X-Requested-With: XMLHttpRequest
Origin: https://intranet.example.com
Referer: https://intranet.example.com/sites/hr/SitePages/Reports.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw(f"""POST /sites/hr/_api/web/lists/getbytitle('Tasks')/items(12) HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: application/json;odata=verbose
Content-Type: application/json;odata=verbose
X-HTTP-Method: MERGE
IF-MATCH: *
X-RequestDigest: 0x8B1E5C1E3B2F4A7D9C6E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6,14 Jun 2024 09:15:02 -0000
Origin: https://intranet.example.com
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""",
                     '{"__metadata":{"type":"SP.Data.TasksListItem"},"Title":"Review \\"Leave policy\\" draft (v2)",'
                     '"Status":"In Progress","PercentComplete":0.5,"Body":"<div>Check section 4.2 &amp; annex B</div>"}')),
    ("raw", "", _raw(f"""POST /sites/hr/_vti_bin/client.svc/ProcessQuery HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: */*
Content-Type: text/xml
X-Requested-With: XMLHttpRequest
X-RequestDigest: 0x8B1E5C1E3B2F4A7D9C6E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6,14 Jun 2024 09:15:02 -0000
Referer: https://intranet.example.com/sites/hr/Lists/Tasks/AllItems.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""",
                     '<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="15.0.0.0" '
                     'LibraryVersion="16.0.0.0" ApplicationName="Javascript Library"><Actions><ObjectPath Id="1" '
                     'ObjectPathId="0" /><ObjectPath Id="3" ObjectPathId="2" /><Query Id="4" ObjectPathId="2">'
                     '<Query SelectAllProperties="false"><Properties><Property Name="Title" ScalarProperty="true" />'
                     '<Property Name="ServerRelativeUrl" ScalarProperty="true" /></Properties></Query></Query>'
                     '</Actions><ObjectPaths><StaticProperty Id="0" TypeId="{3747adcd-a3c3-41b9-bfab-4a64dd2f1e0a}" '
                     'Name="Current" /><Property Id="2" ParentId="0" Name="Web" /></ObjectPaths></Request>')),
    ("raw", "", _raw("""POST /sites/hr/_vti_bin/Lists.asmx HTTP/1.1
Host: intranet.example.com
User-Agent: Nintex Workflow/5.2
Content-Type: text/xml; charset=utf-8
SOAPAction: "http://schemas.microsoft.com/sharepoint/soap/GetListItems"
Authorization: NTLM TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAAAAAB4AAAACAAIAHgAAAAIAAgAgAAAAAAAAACIAAAABYKIogYBsR0AAAAP""",
                     '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                     'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetListItems '
                     'xmlns="http://schemas.microsoft.com/sharepoint/soap/"><listName>Onboarding</listName>'
                     '<query><Query><Where><And><Eq><FieldRef Name=\'Status\'/><Value Type=\'Text\'>Active</Value></Eq>'
                     '<Geq><FieldRef Name=\'StartDate\'/><Value Type=\'DateTime\'><Today OffsetDays=\'-30\'/></Value>'
                     '</Geq></And></Where><OrderBy><FieldRef Name=\'StartDate\' Ascending=\'FALSE\'/></OrderBy>'
                     '</Query></query><viewFields><ViewFields><FieldRef Name=\'Title\'/><FieldRef Name=\'Manager\'/>'
                     '</ViewFields></viewFields><rowLimit>200</rowLimit></GetListItems></soap:Body></soap:Envelope>')),
    ("raw", "", _raw(f"""GET /sites/marketing/SitePages/Home.aspx?ToolPaneView=2&pagemode=edit HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://intranet.example.com/sites/marketing/SitePages/Home.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw(f"""GET /sites/marketing/_layouts/15/ToolPane.aspx?DisplayMode=Edit&a=/sites/marketing/SitePages/Home.aspx HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,application/xhtml+xml,*/*;q=0.8
Referer: https://intranet.example.com/sites/marketing/SitePages/Home.aspx?ToolPaneView=2&pagemode=edit
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw; WSS_FullScreenMode=false""")),
    ("raw", "", _raw(f"""GET /_api/search/query?querytext='budget%202024%20filetype:xlsx%20author:"Anna%20Schmidt"'&selectproperties='Title,Path,Author,LastModifiedTime'&rowlimit=20&trimduplicates=true HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_CHROME}
Accept: application/json;odata=nometadata
X-Requested-With: XMLHttpRequest
Referer: https://intranet.example.com/search/Pages/results.aspx?k=budget%202024
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw(f"""POST /sites/hr/_api/web/GetFolderByServerRelativeUrl('/sites/hr/Shared%20Documents/Policies')/Files/add(url='Leave%20Policy%20(2024)%20v2.docx',overwrite=true) HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: application/json;odata=verbose
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document
X-RequestDigest: 0x8B1E5C1E3B2F4A7D9C6E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6,14 Jun 2024 09:15:02 -0000
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""",
                     _b(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01\x00\x00 \x05\x00\x00"
                        b"\x13\x00\x08\x02[Content_Types].xml \xa2\x04\x02(\xa0\x00\x02\x00\x00\x00\x00\x00\x00"
                        b"\xb4\x94\xcbn\xc20\x10E\xf7\x95\xfa\x0f\x91\xb7U\x13\xe8\xa2\xaa*\x02\x8b>\x96-R\xe9"))),
    ("raw", "", _raw(f"""GET /sites/hr/_layouts/15/upload.aspx?List=%7B8E3F9A2B-1C4D-4E5F-8A6B-7C8D9E0F1A2B%7D&RootFolder=%2Fsites%2Fhr%2FShared%20Documents%2FReports&Source=https%3A%2F%2Fintranet%2Eexample%2Ecom%2Fsites%2Fhr%2FShared%2520Documents%2FForms%2FAllItems%2Easpx&IsDlg=1 HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8
Referer: https://intranet.example.com/sites/hr/Shared%20Documents/Forms/AllItems.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw(f"""GET /sites/hr/_layouts/15/download.aspx?SourceUrl=%2Fsites%2Fhr%2FShared%20Documents%2FPolicies%2FLeave%20Policy%20%282024%29.pdf HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,*/*;q=0.8
Referer: https://intranet.example.com/sites/hr/Shared%20Documents/Forms/AllItems.aspx
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw(f"""GET /_api/web/siteusers?$filter=substringof('o''brien',LoginName)%20or%20substringof('O''Brien',Title)&$select=Id,Title,Email HTTP/1.1
Host: intranet.example.com
User-Agent: {_UA_CHROME}
Accept: application/json;odata=nometadata
X-Requested-With: XMLHttpRequest
Referer: https://intranet.example.com/_layouts/15/people.aspx?MembershipGroupId=5
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""")),
    ("raw", "", _raw("""GET /sites/hr/_vti_bin/owssvr.dll?Cmd=Display&List=%7B8E3F9A2B-1C4D-4E5F-8A6B-7C8D9E0F1A2B%7D&XMLDATA=TRUE HTTP/1.1
Host: intranet.example.com
User-Agent: Microsoft Office Excel 2016
Accept: */*
Authorization: NTLM TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAAAAAB4AAAACAAIAHgAAAAIAAgAgAAAAAAAAACIAAAABYKIogYBsR0AAAAP""")),
    ("raw", "", _raw("""OPTIONS /sites/hr/Shared%20Documents/Policies/ HTTP/1.1
Host: intranet.example.com
User-Agent: Microsoft Office Word 2014
X-Office-Major-Version: 16
X-MS-CookieUri-Requested: t
X-FeatureVersion: 1
Accept-Auth: badger,Wlid1.1,Bearer
Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJpbnRyYW5ldCIsInVwbiI6Impkb2VAZXhhbXBsZS5jb20ifQ.c2ln""")),
    ("raw", "", _raw("""PROPFIND /sites/hr/Shared%20Documents/Policies HTTP/1.1
Host: intranet.example.com
User-Agent: Microsoft-WebDAV-MiniRedir/10.0.19045
Depth: 1
translate: f
Content-Type: text/xml
Cookie: FedAuth=77u/PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0idXRmLTgiPz48U1A+VjE0LDBoLmZ8bWVtYmVyc2hpcHwxMDAzMjAwMGE4YjcxZDIw""",
                     '<?xml version="1.0" encoding="utf-8" ?><D:propfind xmlns:D="DAV:"><D:prop><D:getlastmodified/>'
                     '<D:getcontentlength/><D:resourcetype/><D:displayname/></D:prop></D:propfind>')),

    # --- Managed file transfer: MOVEit, GoAnywhere, CrushFTP ---
    ("raw", "", _raw("""POST /api/v1/token HTTP/1.1
Host: mft.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Content-Type: application/x-www-form-urlencoded""",
                     "grant_type=password&username=svc_payroll_sftp&password=" + quote_plus("Mv!t#2024&Tr@nsf=r"))),
    ("raw", "", _raw("""GET /api/v1/folders?name=Inbound&page=1&perPage=50&sortField=name&sortDirection=asc HTTP/1.1
Host: mft.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Authorization: Bearer AFsR9kP2mQ7vX1zL4cN8bH3jT6wY0eU5iO2aS9dF7gK1lZ3xC""")),
    ("raw", "", _raw("""POST /api/v1/folders/458812345/files HTTP/1.1
Host: mft.example.com
User-Agent: python-requests/2.31.0
Accept: application/json
Authorization: Bearer AFsR9kP2mQ7vX1zL4cN8bH3jT6wY0eU5iO2aS9dF7gK1lZ3xC
Content-Type: multipart/form-data; boundary=8f1c2a7e4b9d3f0a5c6e""",
                     "--8f1c2a7e4b9d3f0a5c6e\r\n"
                     'Content-Disposition: form-data; name="file"; filename="Payroll_2024-06 (final).csv"\r\n'
                     "Content-Type: text/csv\r\n\r\n"
                     "employee_id;name;gross;net\r\n00012345;\"O'Neil, Sean\";5230.00;3411.27\r\n"
                     "00012388;\"Müller-Lüdenscheidt, Eva\";6100.50;3880.02\r\n\r\n"
                     "--8f1c2a7e4b9d3f0a5c6e\r\n"
                     'Content-Disposition: form-data; name="comments"\r\n\r\n'
                     "June run - replaces the file sent 06/13\r\n"
                     "--8f1c2a7e4b9d3f0a5c6e--\r\n")),
    ("raw", "", _raw(f"""POST /human.aspx HTTP/1.1
Host: mft.example.com
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: https://mft.example.com
Referer: https://mft.example.com/human.aspx?OrgID=8128&Language=en
Cookie: siLockLongTermInstID=8128; ASP.NET_SessionId=c1x2v3b4n5m6a7s8d9f0g1h2""",
                     "transaction=signon&fromsignon=1&InstID=8128&Username=partner.acme&Password=Sh%40r3d%21F1l%3Des"
                     "&Language=en")),
    ("raw", "", _raw(f"""POST /goanywhere/auth/Login.xhtml HTTP/1.1
Host: mft2.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://mft2.example.com
Referer: https://mft2.example.com/goanywhere/auth/Login.xhtml
Cookie: ASESSIONID=7C1E9A3B5D2F8E0A4C6B; JSESSIONID=0123456789ABCDEF0123456789ABCDEF""",
                     "formPanel%3AloginGrid%3Auser=jdoe&formPanel%3AloginGrid%3Apassword=G0%21Anyw%5Ehere"
                     "&formPanel%3AloginGrid%3AloginButton=&formPanel_SUBMIT=1"
                     "&javax.faces.ViewState=-4829163574019281375%3A6812345098712345678")),
    ("raw", "", _raw(f"""POST /WebInterface/function/ HTTP/1.1
Host: files.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Origin: https://files.example.com
Referer: https://files.example.com/WebInterface/login.html""",
                     "command=login&username=jdoe&password=Cr%C3%BCsh%2B%25%26Ftp&encoded=true&language=en"
                     "&random=0.7315429867123")),
    ("raw", "", _raw(f"""POST /WebInterface/function/ HTTP/1.1
Host: files.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: https://files.example.com/
Cookie: CrushAuth=1718352123456_Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7b; currentAuth=Z7by""",
                     "command=getXMLListing&format=JSONOBJ&path=" + quote("/Reports/Q1 & Q2 (final)/", safe="")
                     + "&random=0.4172093&serverGroup=MainUsers&c2f=Z7by")),
    ("raw", "", _raw(f"""POST /WebInterface/function/ HTTP/1.1
Host: files.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: https://files.example.com/#/Incoming/
Cookie: CrushAuth=1718352123456_Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7b; currentAuth=Z7by""",
                     "command=makedir&path=%2FIncoming%2F2024-06-14%20%5BACME%5D%2F&random=0.99812&c2f=Z7by")),
    ("raw", "", _raw("""PUT /backups/db/pg_dump_2024-06-14.sql.gz HTTP/1.1
Host: files.example.com:9090
User-Agent: aws-cli/2.15.58 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.cp
Content-Type: application/gzip
X-Amz-Date: 20240614T091530Z
X-Amz-Content-Sha256: UNSIGNED-PAYLOAD
Authorization: AWS4-HMAC-SHA256 Credential=backup_svc/20240614/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=3b1f0c9a2d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a""",
                     _b(b"\x1f\x8b\x08\x08\xc2\x0bkf\x00\x03pg_dump_2024-06-14.sql\x00\xed\x9d[s\xdb\xc6\x15\xc7\xdf"))),

    # --- JetBrains TeamCity ---
    ("raw", "", _raw("""GET /app/rest/builds?locator=buildType:(id:Web_Build),branch:(default:any),status:FAILURE,count:10&fields=build(id,number,status,branchName,webUrl) HTTP/1.1
Host: teamcity.example.com
User-Agent: TeamCity-Slack-Bot/2.1
Accept: application/json
Authorization: Bearer eyJ0eXAiOiAiVENWMiJ9.Wm9aT3pSeDNrWHZ3RnJqZ0tXcUtVNUlPVGdz.MzJhYjc4NmEtN2NlMS00""")),
    ("raw", "", _raw("""POST /app/rest/buildQueue HTTP/1.1
Host: teamcity.example.com
User-Agent: curl/8.5.0
Accept: application/json
Content-Type: application/xml
Authorization: Bearer eyJ0eXAiOiAiVENWMiJ9.Wm9aT3pSeDNrWHZ3RnJqZ0tXcUtVNUlPVGdz.MzJhYjc4NmEtN2NlMS00""",
                     '<build branchName="refs/heads/release/2.4"><buildType id="Web_DeployStaging"/>'
                     '<comment><text>Redeploy after config fix (see OPS-1432)</text></comment><properties>'
                     '<property name="env.DEPLOY_TARGET" value="staging"/><property name="env.EXTRA_ARGS" '
                     'value="--no-cache --build-arg NODE_ENV=production"/></properties></build>')),
    ("raw", "", _raw(f"""POST /app/rest/users/current/tokens HTTP/1.1
Host: teamcity.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: application/json
X-TC-CSRF-Token: 6d1a5f1e-8b0c-4e2a-9f3d-2c7b8a4e6f10
Origin: https://teamcity.example.com
Referer: https://teamcity.example.com/profile.html?item=accessTokens
Cookie: TCSESSIONID=5B8F2A1C9E3D7F0B6A4C2E8D1F9A3B7C""",
                     '{"name":"intellij-plugin","expirationTime":"20250614T000000+0000"}')),
    ("raw", "", _raw("""POST /app/rest/vcs-root-instances/commitHookNotification?locator=vcsRoot:(type:jetbrains.git,count:99999),property:(name:url,value:https://github.com/acme/web-app.git,matchType:equals,ignoreCase:true),count:99999 HTTP/1.1
Host: teamcity.example.com
User-Agent: GitHub-Hookshot/2d9d7f1
Accept: */*
Authorization: Bearer eyJ0eXAiOiAiVENWMiJ9.Wm9aT3pSeDNrWHZ3RnJqZ0tXcUtVNUlPVGdz.MzJhYjc4NmEtN2NlMS00""")),
    ("raw", "", _raw(f"""GET /viewLog.html?buildId=184223&buildTypeId=Web_Build&tab=buildLog&logTab=tree&filter=debug&expand=all HTTP/1.1
Host: teamcity.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Cookie: TCSESSIONID=5B8F2A1C9E3D7F0B6A4C2E8D1F9A3B7C""")),

    # --- Jenkins ---
    ("raw", "", _raw("""POST /job/web-app/buildWithParameters?BRANCH=feature%2Flogin-fix&DEPLOY=false&EXTRA_MVN_ARGS=-DskipITs%3Dtrue+-Pci HTTP/1.1
Host: jenkins.example.com
User-Agent: python-jenkins/1.8.2
Accept: */*
Jenkins-Crumb: 9c1e7f3a2b8d4e6f0a5c1b7d3e9f2a4c6b8d0e1f3a5c7b9d2e4f6a8c0b1d3e5f
Authorization: Basic YnVpbGQtYm90OjExZjNhOWMyYjdkNGU4ZjYxYTBjNWIzZDdlOWYyYTQ2YzE=""")),
    ("raw", "", _raw("""GET /job/web-app/lastBuild/api/json?tree=result,timestamp,duration,changeSet[items[msg,commitId,author[fullName]]],actions[parameters[name,value]] HTTP/1.1
Host: jenkins.example.com
User-Agent: Grafana-Jenkins-Datasource/2.0
Accept: application/json
Authorization: Basic bW9uaXRvcjoxMWE5ZjNjMmI3ZDRlOGY2MWEwYzViM2Q3ZTlmMmE0NmMx""")),
    ("raw", "", _raw(f"""POST /job/web-app/descriptorByName/hudson.plugins.git.UserRemoteConfig/checkUrl HTTP/1.1
Host: jenkins.example.com
User-Agent: {_UA_CHROME}
Accept: text/javascript, text/html, application/xml, text/xml, */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
Jenkins-Crumb: 9c1e7f3a2b8d4e6f0a5c1b7d3e9f2a4c6b8d0e1f3a5c7b9d2e4f6a8c0b1d3e5f
X-Requested-With: XMLHttpRequest
Referer: https://jenkins.example.com/job/web-app/configure
Cookie: JSESSIONID.4f2a9c1e=node0abcdefghijklmn1234567890.node0; screenResolution=1920x1080""",
                     "value=git%40github.com%3Aacme%2Fweb-app.git&credentialsId=github-deploy-key")),
    ("raw", "", _raw("""POST /pipeline-model-converter/validate HTTP/1.1
Host: jenkins.example.com
User-Agent: curl/8.5.0
Accept: */*
Jenkins-Crumb: 9c1e7f3a2b8d4e6f0a5c1b7d3e9f2a4c6b8d0e1f3a5c7b9d2e4f6a8c0b1d3e5f
Authorization: Basic amRvZToxMWQ0ZThmNjFhMGM1YjNkN2U5ZjJhNDZjMWY4ZTJiNzNj
Content-Type: multipart/form-data; boundary=------------------------3c9b1f7e2a4d6c80""",
                     "--------------------------3c9b1f7e2a4d6c80\r\n"
                     'Content-Disposition: form-data; name="jenkinsfile"\r\n\r\n'
                     "pipeline {\n  agent { docker { image 'maven:3.9-eclipse-temurin-21' } }\n  stages {\n"
                     "    stage('Build') {\n      steps {\n        sh 'mvn -B -DskipTests clean package'\n      }\n"
                     "    }\n    stage('Test') {\n      steps {\n        sh 'mvn -B test'\n"
                     "        junit 'target/surefire-reports/*.xml'\n      }\n    }\n  }\n}\n\r\n"
                     "--------------------------3c9b1f7e2a4d6c80--\r\n")),
    ("raw", "", _raw("""GET /crumbIssuer/api/json HTTP/1.1
Host: jenkins.example.com
User-Agent: python-jenkins/1.8.2
Accept: application/json
Authorization: Basic YnVpbGQtYm90OjExZjNhOWMyYjdkNGU4ZjYxYTBjNWIzZDdlOWYyYTQ2YzE=""")),
    ("raw", "", _raw("""POST /github-webhook/ HTTP/1.1
Host: jenkins.example.com
User-Agent: GitHub-Hookshot/2d9d7f1
Accept: */*
Content-Type: application/json
X-GitHub-Event: push
X-GitHub-Delivery: 6a1f2e3d-4c5b-11ef-9a8b-7c6d5e4f3a2b
X-GitHub-Hook-ID: 482113907
X-Hub-Signature-256: sha256=5d2f8a1c9b3e7f0a4c6d2e8b1f9a3c7e5b0d4f2a6c8e1b3d5f7a9c0e2b4d6f8a""",
                     '{"ref":"refs/heads/main","before":"9f1c2b3a4d5e6f708192a3b4c5d6e7f809a1b2c3",'
                     '"after":"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c","repository":{"full_name":"acme/web-app",'
                     '"clone_url":"https://github.com/acme/web-app.git"},"head_commit":{"id":'
                     '"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c","message":"Escape user input in search: use '
                     'html.escape() instead of replace(\'<\', \'&lt;\') (#482)","author":{"name":"Jane Doe",'
                     '"email":"jane@example.com"},"modified":["app/views/search.py","tests/test_search.py"]}}')),
    ("raw", "", _raw(f"""GET /blue/rest/organizations/jenkins/pipelines/web-app/branches/feature%252Flogin-fix/runs/12/nodes/?limit=10000 HTTP/1.1
Host: jenkins.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
X-Requested-With: XMLHttpRequest
Referer: https://jenkins.example.com/blue/organizations/jenkins/web-app/detail/feature%2Flogin-fix/12/pipeline
Cookie: JSESSIONID.4f2a9c1e=node0abcdefghijklmn1234567890.node0""")),
    ("raw", "", _raw(f"""GET /job/platform/job/web-app/job/PR-482/lastBuild/consoleText HTTP/1.1
Host: jenkins.example.com
User-Agent: {_UA_FF}
Accept: text/plain,*/*;q=0.8
Cookie: JSESSIONID.4f2a9c1e=node0abcdefghijklmn1234567890.node0""")),
    ("raw", "", _raw("""POST /bitbucket-scmsource-hook/notify HTTP/1.1
Host: jenkins.example.com
User-Agent: Bitbucket version: 8.19.1, Post webhook plugin
Content-Type: application/json; charset=UTF-8
X-Event-Key: repo:refs_changed
X-Request-Id: 2c1b8e7a-9d3f-4e6a-b5c4-0f1e2d3c4b5a""",
                     '{"eventKey":"repo:refs_changed","date":"2024-06-14T09:20:11+0000","actor":{"name":"jdoe"},'
                     '"repository":{"slug":"web-app","project":{"key":"PROJ"}},"changes":[{"ref":{"id":'
                     '"refs/heads/feature/login-fix","displayId":"feature/login-fix","type":"BRANCH"},'
                     '"refHash":"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c","fromHash":'
                     '"9f1c2b3a4d5e6f708192a3b4c5d6e7f809a1b2c3","toHash":"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c",'
                     '"type":"UPDATE"}]}')),

    # --- GitLab ---
    ("raw", "", _raw("""GET /api/v4/projects/acme%2Fweb-app/repository/files/src%2Fconfig%2Fsettings.py/raw?ref=main HTTP/1.1
Host: gitlab.example.com
User-Agent: python-gitlab/4.6.0
Accept: */*
PRIVATE-TOKEN: glpat-x9Kq2LmN7pR4sT1vW8yZ""")),
    ("raw", "", _raw(f"""POST /api/graphql HTTP/1.1
Host: gitlab.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Content-Type: application/json
X-CSRF-Token: Jq8kN2vL5mR7tY0wZ3bC6eF9hK1nP4sU8xA2dG5jM7qT0vY3bE6hK9nQ2tW5zC8f==
X-GitLab-Feature-Category: code_review_workflow
Referer: https://gitlab.example.com/acme/web-app/-/merge_requests/482
Cookie: _gitlab_session=8c2f1e0d9b7a6c5d4e3f2a1b0c9d8e7f; known_sign_in=T2t4aWZ1Sk1xR3pDZ1E9PS0tN0t5c2Y%3D""",
                     '{"operationName":"getMergeRequestDiscussions","variables":{"fullPath":"acme/web-app","iid":"482",'
                     '"after":null},"query":"query getMergeRequestDiscussions($fullPath: ID!, $iid: String!, $after: '
                     'String) { project(fullPath: $fullPath) { mergeRequest(iid: $iid) { discussions(first: 50, after: '
                     '$after) { nodes { id resolved notes { nodes { id body author { username } } } } pageInfo { '
                     'hasNextPage endCursor } } } } }"}')),
    ("raw", "", _raw("""POST /api/v4/projects/42/merge_requests/482/notes HTTP/1.1
Host: gitlab.example.com
User-Agent: danger-gitlab/8.0.0
Accept: application/json
Content-Type: application/json
PRIVATE-TOKEN: glpat-x9Kq2LmN7pR4sT1vW8yZ""",
                     '{"body":":warning: **Danger** found 1 issue\\n\\n| | |\\n|---|---|\\n| :no_entry_sign: | '
                     '`app/templates/profile.html` uses `{{ bio|safe }}` - user content must be escaped; '
                     'use `{{ bio }}` or `bleach.clean()` |\\n\\n<sub>Generated by :no_entry_sign: '
                     '<a href=\\"https://danger.systems/\\">Danger</a></sub>"}')),
    ("raw", "", _raw(f"""POST /acme/web-app/uploads HTTP/1.1
Host: gitlab.example.com
User-Agent: {_UA_FF}
Accept: application/json, text/plain, */*
X-CSRF-Token: Jq8kN2vL5mR7tY0wZ3bC6eF9hK1nP4sU8xA2dG5jM7qT0vY3bE6hK9nQ2tW5zC8f==
X-Requested-With: XMLHttpRequest
Referer: https://gitlab.example.com/acme/web-app/-/issues/new
Cookie: _gitlab_session=8c2f1e0d9b7a6c5d4e3f2a1b0c9d8e7f
Content-Type: multipart/form-data; boundary=---------------------------2718281828459045""",
                     "-----------------------------2718281828459045\r\n"
                     'Content-Disposition: form-data; name="file"; filename="Screenshot 2024-06-14 at 09.21.33.png"\r\n'
                     "Content-Type: image/png\r\n\r\n"
                     + _b(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x06\x00\x00"
                          b"\x005\xd1\xdc\xe4\x00\x00\x00\x19tEXtSoftware\x00Adobe ImageReadyq\xc9e<\x00\x00\x00"
                          b"\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
                          b"\xaeB`\x82")
                     + "\r\n-----------------------------2718281828459045--\r\n")),
    ("raw", "", _raw("""POST /api/v4/jobs/request HTTP/1.1
Host: gitlab.example.com
User-Agent: gitlab-runner 16.11.1 (16-11-stable; go1.21.9; linux/amd64)
Accept: application/json
Content-Type: application/json""",
                     '{"info":{"name":"gitlab-runner","version":"16.11.1","revision":"535ced5f","platform":"linux",'
                     '"architecture":"amd64","executor":"docker","shell":"bash","features":{"variables":true,'
                     '"image":true,"services":true,"artifacts":true,"cache":true,"shared":true,"upload_multiple_'
                     'artifacts":true,"session":true,"terminal":true,"refspecs":true,"masking":true,"proxy":false,'
                     '"raw_variables":true,"artifacts_exclude":true,"multi_build_steps":true,"trace_reset":true,'
                     '"trace_checksum":true,"trace_size":true,"vault_secrets":true,"cancelable":true,'
                     '"return_exit_code":true,"service_variables":true}},"token":"glrt-t1_Zx8Qm2Kp7Lw4Rv9Ty3Nb",'
                     '"last_update":"a5f1c9e2b7d34f8a"}')),
    ("raw", "", _raw("""GET /api/v4/projects/42/jobs/artifacts/main/download?job=build%20%26%20test%20%28node%2020%29 HTTP/1.1
Host: gitlab.example.com
User-Agent: curl/8.5.0
Accept: */*
JOB-TOKEN: glcbt-64_xYz9Kq2LmN7pR4sT1vW8""")),
    ("raw", "", _raw("""POST /api/v4/projects/42/trigger/pipeline HTTP/1.1
Host: gitlab.example.com
User-Agent: curl/8.5.0
Accept: */*
Content-Type: application/x-www-form-urlencoded""",
                     "token=glptt-3f9a1c7e2b5d8f0a4c6e&ref=release%2F2.4&variables%5BDEPLOY_ENV%5D=staging"
                     "&variables%5BHELM_ARGS%5D=--set+image.tag%3Dv2.4.1+--wait+--timeout%3D10m")),
    ("raw", "", _raw("""PUT /api/v4/projects/42/repository/files/docs%2Finstall.md HTTP/1.1
Host: gitlab.example.com
User-Agent: python-gitlab/4.6.0
Accept: application/json
Content-Type: application/json
PRIVATE-TOKEN: glpat-x9Kq2LmN7pR4sT1vW8yZ""",
                     '{"branch":"docs/install","commit_message":"docs: quick install for Linux",'
                     '"content":"# Install\\n\\n```sh\\ncurl -fsSL https://get.example.com/cli/install.sh | sh\\n'
                     'export PATH=\\"$HOME/.example/bin:$PATH\\"\\nexample-cli --version\\n```\\n\\nOn Windows run '
                     '`iwr https://get.example.com/cli/install.ps1 -useb | iex` in PowerShell.\\n"}')),
    ("raw", "", _raw(f"""GET /acme/web-app/-/raw/main/.gitlab-ci.yml?inline=false HTTP/1.1
Host: gitlab.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://gitlab.example.com/acme/web-app/-/blob/main/.gitlab-ci.yml
Cookie: _gitlab_session=8c2f1e0d9b7a6c5d4e3f2a1b0c9d8e7f""")),

    # --- Oracle E-Business Suite and WebLogic console / REST ---
    ("raw", "", _raw(f"""GET /OA_HTML/AppsLocalLogin.jsp?requestUrl=APPSHOMEPAGE&cancelUrl=http%3A%2F%2Febs.example.com%3A8000%2FOA_HTML%2FAppsLogin HTTP/1.1
Host: ebs.example.com:8000
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8""")),
    ("raw", "", _raw(f"""POST /OA_HTML/OA.jsp?page=/oracle/apps/fnd/sso/login/webui/MainLoginPG&_ri=0&_ti=1473829106&language_code=US&requestUrl=APPSHOMEPAGE&oapc=2&oas=Zk1vPQ.. HTTP/1.1
Host: ebs.example.com:8000
User-Agent: {_UA_EDGE}
Content-Type: application/x-www-form-urlencoded
Referer: http://ebs.example.com:8000/OA_HTML/AppsLocalLogin.jsp
Cookie: JSESSIONID=a1b2c3d4e5f6.e38Lbh4Pb3yKay0Lc3mOc3eOaNeNe0; oracle.uix=0^^GMT+2:00^p""",
                     "_AM_TX_ID_FIELD=0&_FORM=DefaultFormName&_FORM_SUBMIT_BUTTON=SubmitButton"
                     "&usernameField=JDOE&passwordField=Or%40cle%2BEbs%3B2024&langCode=US&requestUrl=APPSHOMEPAGE")),
    ("raw", "", _raw(f"""GET /OA_HTML/OA.jsp?OAFunc=OAHOMEPAGE HTTP/1.1
Host: ebs.example.com:8000
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8
Cookie: JSESSIONID=a1b2c3d4e5f6.e38Lbh4Pb3yKay0Lc3mOc3eOaNeNe0; EBSDB=Xp7HlxTqgDz9rKb1mW3nV5cE""")),
    ("raw", "", _raw(f"""GET /OA_HTML/RF.jsp?function_id=16834&resp_id=50578&resp_appl_id=200&security_group_id=0&lang_code=US&oas=Vm9mSGxQbmRfQ2tzQQ..&params=7Yq2bJ.m9gN4Lz-kHnRtYw HTTP/1.1
Host: ebs.example.com:8000
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8
Referer: http://ebs.example.com:8000/OA_HTML/OA.jsp?OAFunc=OAHOMEPAGE
Cookie: JSESSIONID=a1b2c3d4e5f6.e38Lbh4Pb3yKay0Lc3mOc3eOaNeNe0; EBSDB=Xp7HlxTqgDz9rKb1mW3nV5cE""")),
    ("raw", "", _raw(f"""POST /console/j_security_check HTTP/1.1
Host: wls-admin.corp.example.com:7001
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: http://wls-admin.corp.example.com:7001
Referer: http://wls-admin.corp.example.com:7001/console/login/LoginForm.jsp
Cookie: ADMINCONSOLESESSION=pQ3xK9vL2mN7bR4tY1wZ8cF5hJ0sD6gA!-1738291045""",
                     "j_username=weblogic&j_password=W3bL%21g%23c%3C12%3E&j_character_encoding=UTF-8")),
    ("raw", "", _raw(f"""GET /console/console.portal?_nfpb=true&_pageLabel=CoreServerServerTablePage HTTP/1.1
Host: wls-admin.corp.example.com:7001
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: http://wls-admin.corp.example.com:7001/console/console.portal?_nfpb=true&_pageLabel=HomePage1
Cookie: ADMINCONSOLESESSION=pQ3xK9vL2mN7bR4tY1wZ8cF5hJ0sD6gA!-1738291045""")),
    ("raw", "", _raw(f"""GET /console/console.portal?_nfpb=true&_pageLabel=JdbcDatasourcesJDBCDataSourceConfigGeneralTabPage&handle=com.bea.console.handles.JMXHandle%28%22com.bea%3AName%3DAppDS%2CType%3Dweblogic.j2ee.descriptor.wl.JDBCDataSourceBean%2CParent%3D%5BBaseDomain%5D%2FJDBCSystemResources%5BAppDS%5D%2CPath%3DJDBCResource%5BAppDS%5D%22%29 HTTP/1.1
Host: wls-admin.corp.example.com:7001
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: http://wls-admin.corp.example.com:7001/console/console.portal?_nfpb=true&_pageLabel=GlobalJDBCDataSourceTablePage
Cookie: ADMINCONSOLESESSION=pQ3xK9vL2mN7bR4tY1wZ8cF5hJ0sD6gA!-1738291045""")),
    ("raw", "", _raw("""GET /management/weblogic/latest/domainRuntime/serverRuntimes?links=none&fields=name,state,healthState,openSocketsCurrentCount HTTP/1.1
Host: wls-admin.corp.example.com:7001
User-Agent: Prometheus wls-exporter/2.1
Accept: application/json
X-Requested-By: wls-exporter
Authorization: Basic bW9uaXRvcjpXbFNtMG4hdG9y""")),
    ("raw", "", _raw("""POST /management/weblogic/latest/edit/changeManager/startEdit HTTP/1.1
Host: wls-admin.corp.example.com:7001
User-Agent: curl/8.5.0
Accept: application/json
Content-Type: application/json
X-Requested-By: MyClient
Authorization: Basic d2VibG9naWM6VzNiTCFnI2M8MTI+""", "{}")),

    # --- SAP NetWeaver Gateway / Fiori OData, WebGUI, Portal ---
    ("raw", "", _raw("""GET /sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$filter=BusinessPartnerCategory%20eq%20'2'%20and%20substringof('Acme%20%26%20Sons',BusinessPartnerFullName)&$select=BusinessPartner,BusinessPartnerFullName&$top=50&$format=json&sap-client=100 HTTP/1.1
Host: s4h.corp.example.com:44300
User-Agent: SAP Cloud SDK/3.70.0
Accept: application/json
Authorization: Basic Q1BJX0lOVEVHUkFUSU9OOkNwIUludDNnciR0aW9u""")),
    ("raw", "", _raw(f"""GET /sap/opu/odata/sap/ZHR_LEAVE_SRV/LeaveRequestSet?sap-client=100&$filter=EmployeeId%20eq%20'00012345'%20and%20StartDate%20ge%20datetime'2024-06-01T00:00:00'&$expand=ToApprover&$orderby=StartDate%20desc&$skip=0&$top=20 HTTP/1.1
Host: fiori.corp.example.com
User-Agent: {_UA_CHROME}
Accept: application/json
Accept-Language: en
MaxDataServiceVersion: 2.0
DataServiceVersion: 2.0
sap-cancel-on-close: true
sap-contextid-accept: header
X-CSRF-Token: Fetch
X-Requested-With: XMLHttpRequest
Referer: https://fiori.corp.example.com/sap/bc/ui5_ui5/ui2/ushell/shells/abap/FioriLaunchpad.html?sap-client=100
Cookie: SAP_SESSIONID_S4P_100=Qk3xL9vN2mR7bT4yW1zC8fH5jK0sD6gA-oUMwYdM5u4lU; sap-usercontext=sap-client=100""")),
    ("raw", "", _raw(f"""POST /sap/opu/odata/sap/ZPO_APPROVE_SRV/$batch?sap-client=100 HTTP/1.1
Host: fiori.corp.example.com
User-Agent: {_UA_CHROME}
Accept: multipart/mixed
Content-Type: multipart/mixed;boundary=batch_7a3f-9c1e-42b8
MaxDataServiceVersion: 2.0
DataServiceVersion: 2.0
X-CSRF-Token: Wk1pQ3R5dFhrZ0E9PQ==
sap-contextid-accept: header
X-Requested-With: XMLHttpRequest
Origin: https://fiori.corp.example.com
Cookie: SAP_SESSIONID_S4P_100=Qk3xL9vN2mR7bT4yW1zC8fH5jK0sD6gA-oUMwYdM5u4lU; sap-usercontext=sap-client=100""",
                     "--batch_7a3f-9c1e-42b8\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                     "\r\nGET PurchaseOrderSet('4500012345')?$expand=ToItems HTTP/1.1\r\nsap-cancel-on-close: true\r\n"
                     "Accept: application/json\r\n\r\n\r\n--batch_7a3f-9c1e-42b8\r\n"
                     "Content-Type: multipart/mixed; boundary=changeset_1f2e-3d4c\r\n\r\n--changeset_1f2e-3d4c\r\n"
                     "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                     "POST Approve?PONumber='4500012345'&Comment='OK%20-%20within%20budget%20(cost%20center%204711)' "
                     "HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n\r\n"
                     "--changeset_1f2e-3d4c--\r\n\r\n--batch_7a3f-9c1e-42b8--\r\n")),
    ("raw", "", _raw(f"""GET /sap/bc/ui5_ui5/ui2/ushell/shells/abap/FioriLaunchpad.html?sap-client=100&sap-language=EN HTTP/1.1
Host: fiori.corp.example.com
User-Agent: {_UA_CHROME}
Accept: text/html,*/*;q=0.8
Cookie: MYSAPSSO2=AjQxMDMBABhKAEQATwBFACAAIAAgACAAIAAgACAAIAACAAYxADAAMAADABBTADQAUAAgACAAIAAgACAABAAYMgAwADIANAAwADYAMQA0ADAAOQAyADEA""")),
    ("raw", "", _raw(f"""GET /sap/bc/gui/sap/its/webgui?~transaction=%2FSCWM%2FMON&sap-client=100&sap-language=EN&~webgui=1 HTTP/1.1
Host: s4h.corp.example.com:44300
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8
Cookie: MYSAPSSO2=AjQxMDMBABhKAEQATwBFACAAIAAgACAAIAAgACAAIAACAAYxADAAMAADABBTADQAUAAgACAAIAAgACAABAAYMgAwADIANAAwADYAMQA0ADAAOQAyADEA""")),
    ("raw", "", _raw("""POST /sap/bc/soap/rfc?sap-client=100 HTTP/1.1
Host: s4h.corp.example.com:44300
User-Agent: SAP NetWeaver Application Server (1.0;758)
Content-Type: text/xml; charset=utf-8
SOAPAction: "urn:sap-com:document:sap:rfc:functions"
Authorization: Basic UkZDX0hSX1NZTkM6UmZjIUhyJFluYzIwMjQ=""",
                     '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope '
                     'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                     'xmlns:urn="urn:sap-com:document:sap:rfc:functions"><soapenv:Header/><soapenv:Body>'
                     '<urn:BAPI_USER_GET_DETAIL><USERNAME>JDOE</USERNAME><RETURN><item/></RETURN>'
                     '</urn:BAPI_USER_GET_DETAIL></soapenv:Body></soapenv:Envelope>')),
    ("raw", "", _raw(f"""GET /irj/portal?NavigationTarget=ROLES%3A%2F%2Fportal_content%2Fcom.sap.pct%2Fspecialist%2Fcom.sap.pct.erp.hr.ess%2Fcom.sap.pct.erp.hr.ess.roles%2Fcom.sap.pct.erp.hr.ess.employee_self_service&NavPathUpdate=false HTTP/1.1
Host: portal.corp.example.com
User-Agent: {_UA_EDGE}
Accept: text/html,*/*;q=0.8
Cookie: saplb_*=(J2EE1234520)1234551; JSESSIONID=Kx3_Yq9vL2mN7bR4tY1wZ8cF5hJ0sD6gASAP""")),

    # --- ManageEngine (ServiceDesk Plus, ADSelfService Plus, OpManager) ---
    ("raw", "", _raw("GET /api/v3/requests?input_data=" + quote(
        '{"list_info":{"row_count":20,"start_index":1,"sort_field":"created_time","sort_order":"desc",'
        '"get_total_count":true,"search_criteria":[{"field":"status.name","condition":"is","value":"Open"},'
        '{"field":"subject","condition":"contains","value":"VPN","logical_operator":"AND"}]}}', safe="")
                     + """ HTTP/1.1
Host: helpdesk.example.com:8080
User-Agent: PowerShell/7.4.2
Accept: application/vnd.manageengine.sdp.v3+json
authtoken: 3F9A1C7E-2B5D-4F8A-9C6E-1D0B2A3C4E5F""")),
    ("raw", "", _raw("""POST /api/v3/requests HTTP/1.1
Host: helpdesk.example.com:8080
User-Agent: Zabbix-Webhook/6.4
Accept: application/vnd.manageengine.sdp.v3+json
Content-Type: application/x-www-form-urlencoded
authtoken: 3F9A1C7E-2B5D-4F8A-9C6E-1D0B2A3C4E5F""",
                     "input_data=" + quote_plus(
                         '{"request":{"subject":"[PROBLEM] Disk space low on sql02: C:\\\\ below 10% free",'
                         '"description":"<div>Trigger: <b>Free disk space is less than 10% on volume C:\\\\</b><br>'
                         'Host: sql02 (10.0.5.22)<br>Value: 7.3 %<br>Event ID: 8812345</div>",'
                         '"requester":{"email_id":"zabbix@example.com"},"priority":{"name":"High"},'
                         '"group":{"name":"DBA"}}}'))),
    ("raw", "", _raw(f"""POST /j_security_check HTTP/1.1
Host: selfservice.example.com
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: https://selfservice.example.com
Referer: https://selfservice.example.com/showLogin.cc
Cookie: JSESSIONIDADSSP=4A3B2C1D0E9F8A7B6C5D4E3F2A1B0C9D; _zcsr_tmp=8e1f0a9b-7c6d-5e4f-3a2b-1c0d9e8f7a6b""",
                     "j_username=jdoe&j_password=Pw%21Reset%232024%3C%3E&domainName=CORP&AUTHRULE_NAME=ADAuthenticator"
                     "&adscsrf=8e1f0a9b-7c6d-5e4f-3a2b-1c0d9e8f7a6b")),
    ("raw", "", _raw("""GET /api/json/device/listDevices?apiKey=5b8e1f3a9c2d7e4f0a6b1c8d3e9f2a7b&category=Server&type=Windows&severity=2 HTTP/1.1
Host: opmanager.corp.example.com:8060
User-Agent: Go-http-client/1.1
Accept: application/json""")),

    # --- Zimbra Collaboration ---
    ("raw", "", _raw(f"""POST /service/soap/SearchRequest HTTP/1.1
Host: webmail.example.com
User-Agent: {_UA_FF}
Accept: */*
Content-Type: application/soap+xml; charset=utf-8
X-Zimbra-Csrf-Token: 0_7b3a9f1c2e5d8a4b6c0e1f2d3a4b5c6d7e8f9a0b
Origin: https://webmail.example.com
Referer: https://webmail.example.com/
Cookie: ZM_TEST=true; ZM_AUTH_TOKEN=0_4e1a9c7b2f3d5e8a_69643d33363a61313233343536372d383930312d346263642d656637302d3132333435363738393061623b6578703d31333a313731383539353230303030303b""",
                     '{"Header":{"context":{"_jsns":"urn:zimbra","userAgent":{"name":"ZimbraWebClient - FF126 (Mac)",'
                     '"version":"10.0.8_GA_4643"},"session":{"_content":1842,"id":1842},"account":{"_content":'
                     '"jdoe@example.com","by":"name"},"csrfToken":"0_7b3a9f1c2e5d8a4b6c0e1f2d3a4b5c6d7e8f9a0b"}},'
                     '"Body":{"SearchRequest":{"_jsns":"urn:zimbraMail","sortBy":"dateDesc","header":[{"n":"List-ID"},'
                     '{"n":"To"},{"n":"Reply-To"}],"tz":{"id":"Europe/Berlin"},"locale":{"_content":"en_US"},'
                     '"offset":0,"limit":100,"query":"in:inbox from:(\\"O\'Brien\\") has:attachment after:6/1/24",'
                     '"types":"conversation","recip":"0","fullConversation":1,"needExp":1}}}')),
    ("raw", "", _raw(f"""POST /service/soap/SendMsgRequest HTTP/1.1
Host: webmail.example.com
User-Agent: {_UA_FF}
Accept: */*
Content-Type: application/soap+xml; charset=utf-8
X-Zimbra-Csrf-Token: 0_7b3a9f1c2e5d8a4b6c0e1f2d3a4b5c6d7e8f9a0b
Origin: https://webmail.example.com
Cookie: ZM_AUTH_TOKEN=0_4e1a9c7b2f3d5e8a_69643d33363a61313233343536372d383930312d346263642d656637302d3132333435363738393061623b""",
                     '{"Header":{"context":{"_jsns":"urn:zimbra","csrfToken":"0_7b3a9f1c2e5d8a4b6c0e1f2d3a4b5c6d7e8f9a0b"}},'
                     '"Body":{"SendMsgRequest":{"_jsns":"urn:zimbraMail","suid":1718352300123,"m":{"e":[{"t":"t",'
                     '"a":"team@example.com"},{"t":"f","a":"jdoe@example.com","p":"Jane Doe"}],"su":{"_content":'
                     '"Re: Q2 numbers > forecast?"},"mp":[{"ct":"multipart/alternative","mp":[{"ct":"text/plain",'
                     '"content":{"_content":"Yes - revenue > forecast by ~4%, costs < plan. Details below.\\n\\n'
                     '> On Thu, Jun 13, A. Smith wrote:\\n> Are we above forecast?"}},{"ct":"text/html","content":'
                     '{"_content":"<html><body><div style=\\"font-family: arial, helvetica, sans-serif; font-size: '
                     '12pt\\">Yes - revenue &gt; forecast by ~4%, costs &lt; plan.</div><blockquote style=\\"border-left:'
                     '2px solid #1010FF;margin-left:5px;padding-left:5px\\">Are we above forecast?</blockquote>'
                     '</body></html>"}}]}]}}}}')),
    ("raw", "", _raw(f"""GET /service/home/~/?auth=co&loc=en_US&id=25731&part=2&disp=a HTTP/1.1
Host: webmail.example.com
User-Agent: {_UA_FF}
Accept: text/html,*/*;q=0.8
Referer: https://webmail.example.com/
Cookie: ZM_AUTH_TOKEN=0_4e1a9c7b2f3d5e8a_69643d33363a61313233343536372d383930312d346263642d656637302d3132333435363738393061623b""")),
    ("raw", "", _raw(f"""POST /service/upload?fmt=extended,raw HTTP/1.1
Host: webmail.example.com
User-Agent: {_UA_FF}
Accept: */*
Content-Type: application/pdf
Content-Disposition: attachment; filename="Angebot_M%C3%BCller_%26_S%C3%B6hne_2024-06.pdf"
X-Zimbra-Csrf-Token: 0_7b3a9f1c2e5d8a4b6c0e1f2d3a4b5c6d7e8f9a0b
X-Requested-With: XMLHttpRequest
Cookie: ZM_AUTH_TOKEN=0_4e1a9c7b2f3d5e8a_69643d33363a61313233343536372d383930312d346263642d656637302d3132333435363738393061623b""",
                     "%PDF-1.7\n%\udce2\udce3\udccf\udcd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                     "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")),
    ("raw", "", _raw("""POST /Autodiscover/Autodiscover.xml HTTP/1.1
Host: webmail.example.com
User-Agent: Apple-Mail/3774.600.62
Content-Type: text/xml; charset=utf-8
Authorization: Basic amRvZUBleGFtcGxlLmNvbTpaMW1icmEhTWFpbA==""",
                     '<?xml version="1.0" encoding="utf-8"?>\r\n<Autodiscover '
                     'xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006">\r\n'
                     '  <Request>\r\n    <EMailAddress>jdoe@example.com</EMailAddress>\r\n    <AcceptableResponseSchema>'
                     'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006'
                     '</AcceptableResponseSchema>\r\n  </Request>\r\n</Autodiscover>')),
    ("raw", "", _raw(f"""POST / HTTP/1.1
Host: webmail.example.com
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: https://webmail.example.com
Referer: https://webmail.example.com/
Cookie: ZM_TEST=true; ZM_LOGIN_CSRF=5c1e7a3b-9f2d-4e6a-8b0c-1d2e3f4a5b6c""",
                     "loginOp=login&login_csrf=5c1e7a3b-9f2d-4e6a-8b0c-1d2e3f4a5b6c&username=jdoe"
                     "&password=Zimbr%40%7B2024%7D%24&client=preferred")),
    ("raw", "", _raw("""GET /service/preauth?account=jdoe@example.com&by=name&timestamp=1718352000000&expires=0&preauth=b248f6cfd027edd45c5369f8490125204772f844&redirectURL=%2Fmail%3Fapp%3Dcalendar HTTP/1.1
Host: webmail.example.com
User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1
Accept: text/html,*/*;q=0.8
Referer: https://portal.example.com/""")),

    # --- Joomla ---
    ("raw", "", _raw("""GET /api/index.php/v1/content/articles?filter[search]=release%20notes&filter[state]=1&page[limit]=20&page[offset]=0 HTTP/1.1
Host: www.example.org
User-Agent: Joomla-Sync/1.2 (+https://www.example.org)
Accept: application/vnd.api+json
X-Joomla-Token: c2hhMjU2OjQyOjdmM2E5YzFlMmI1ZDhmMGE0YzZlMWQ3YjlhM2M1ZThmMGIyZDRmNmE4YzBiMmQ0ZjZhOGMwYjJkNGY2YThj""")),
    ("raw", "", _raw("""GET /api/index.php/v1/config/application HTTP/1.1
Host: www.example.org
User-Agent: Joomla-Sync/1.2 (+https://www.example.org)
Accept: application/vnd.api+json
Authorization: Bearer c2hhMjU2OjQyOjdmM2E5YzFlMmI1ZDhmMGE0YzZlMWQ3YjlhM2M1ZThmMGIyZDRmNmE4YzBiMmQ0ZjZhOGMwYjJkNGY2YThj""")),
    ("raw", "", _raw(f"""POST /administrator/index.php?option=com_content&view=article&layout=edit&id=42 HTTP/1.1
Host: www.example.org
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://www.example.org
Referer: https://www.example.org/administrator/index.php?option=com_content&view=article&layout=edit&id=42
Cookie: 2a9f7c1e3b5d8a0c4e6f1b2d3c4e5f6a=k3m9v1q2r7t4y8u0i5o6p2a3s1; joomla_user_state=logged_in""",
                     urlencode({"jform[title]": "Release notes 4.2 \u2013 \"Hydra\"",
                                "jform[alias]": "release-notes-4-2",
                                "jform[articletext]": '<p>What\'s new:</p><ul><li>Faster search (&lt;200 ms)</li>'
                                                      '<li>New <code>{loadmoduleid 93}</code> placement</li></ul>'
                                                      '<p><iframe src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" '
                                                      'width="560" height="315" frameborder="0" allowfullscreen>'
                                                      '</iframe></p>',
                                "jform[state]": "1", "jform[catid]": "8", "jform[language]": "*",
                                "task": "article.apply", "return": "",
                                "4f1c9a7e2b3d5f8a0c6e1b2d3f4a5c6e": "1"}))),
    ("raw", "", _raw(f"""POST /administrator/index.php HTTP/1.1
Host: www.example.org
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://www.example.org
Referer: https://www.example.org/administrator/
Cookie: 2a9f7c1e3b5d8a0c4e6f1b2d3c4e5f6a=k3m9v1q2r7t4y8u0i5o6p2a3s1""",
                     "username=webeditor&passwd=J%21oomla%3A%3B%27%22%7C&lang=&option=com_login&task=login"
                     "&return=aW5kZXgucGhw&4f1c9a7e2b3d5f8a0c6e1b2d3f4a5c6e=1")),

    # --- Drupal ---
    ("raw", "", _raw(f"""POST /node/42/edit?destination=/admin/content%3Ftitle%3D%26type%3Darticle HTTP/1.1
Host: www.example.edu
User-Agent: {_UA_CHROME}
Content-Type: application/x-www-form-urlencoded
Origin: https://www.example.edu
Referer: https://www.example.edu/node/42/edit?destination=/admin/content%3Ftitle%3D%26type%3Darticle
Cookie: SSESS4b1e8f2a9c3d7e0f5a6b1c2d3e4f5a6b=Vq3xK9mL2nR7bT4yW1zC8fH5jK0sD6gAoUMwYdM5u4l""",
                     urlencode({"title[0][value]": "How to connect to eduroam on Linux",
                                "body[0][summary]": "",
                                "body[0][value]": '<p>Create <code>/etc/NetworkManager/system-connections/'
                                                  'eduroam.nmconnection</code> with:</p><pre><code class="language-ini">'
                                                  '[802-1x]\neap=peap;\nidentity=user@example.edu\nphase2-auth=mschapv2'
                                                  '\nca-cert=/etc/ssl/certs/USERTrust_RSA.pem\n</code></pre>'
                                                  '<p>then run <code>sudo nmcli connection reload</code>.</p>',
                                "body[0][format]": "basic_html",
                                "field_tags[target_id]": "wifi (12), linux (31)",
                                "changed": "1718352000", "form_build_id":
                                "form-Zq7m3K9vX1pL4cN8bH2jT6wY0eU5iO2aS9dF7gK1lZ3",
                                "form_token": "mT3vY8kQ1nP5sW9zC2fH6jL0bR4tX7aE", "form_id": "node_article_edit_form",
                                "status[value]": "1", "op": "Save"}))),
    ("raw", "", _raw(f"""POST /node/add/article?element_parents=field_image/widget/0&ajax_form=1&_wrapper_format=drupal_ajax HTTP/1.1
Host: www.example.edu
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Origin: https://www.example.edu
Referer: https://www.example.edu/node/add/article
Cookie: SSESS4b1e8f2a9c3d7e0f5a6b1c2d3e4f5a6b=Vq3xK9mL2nR7bT4yW1zC8fH5jK0sD6gAoUMwYdM5u4l
Content-Type: multipart/form-data; boundary=----WebKitFormBoundary5XkG1vQ9zL2mN7pR""",
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="files[field_image_0]"; filename="campus-map.jpg"\r\n'
                     "Content-Type: image/jpeg\r\n\r\n"
                     + _b(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00\xff\xdb\x00C\x00\x08\x06\x06")
                     + "\r\n------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="form_build_id"\r\n\r\n'
                     "form-Aq1m3K9vX1pL4cN8bH2jT6wY0eU5iO2aS9dF7gK1lZ3\r\n"
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="form_id"\r\n\r\nnode_article_form\r\n'
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="_triggering_element_name"\r\n\r\n'
                     "field_image_0_upload_button\r\n"
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="_triggering_element_value"\r\n\r\nUpload\r\n'
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="_drupal_ajax"\r\n\r\n1\r\n'
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="ajax_page_state[theme]"\r\n\r\nclaro\r\n'
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR\r\n"
                     'Content-Disposition: form-data; name="ajax_page_state[libraries]"\r\n\r\n'
                     "eJxLzs8rycxLLdZPL0osyMjMS9dLzs8rSa0o0U_KzEtJzc8HAMBpC9I\r\n"
                     "------WebKitFormBoundary5XkG1vQ9zL2mN7pR--\r\n")),
    ("raw", "", _raw("""GET /jsonapi/node/article?filter[status]=1&filter[title][operator]=CONTAINS&filter[title][value]=O%27Reilly&sort=-created&page[limit]=10&include=field_tags,uid&fields[node--article]=title,created,field_tags HTTP/1.1
Host: www.example.edu
User-Agent: Next.js (next-drupal/1.6.0)
Accept: application/vnd.api+json
Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6Im5leHQiLCJzdWIiOiIyIn0.c2ln""")),
    ("raw", "", _raw("""PATCH /jsonapi/node/article/6c1f9a2e-3b4d-4e5f-8a7b-9c0d1e2f3a4b HTTP/1.1
Host: www.example.edu
User-Agent: Next.js (next-drupal/1.6.0)
Accept: application/vnd.api+json
Content-Type: application/vnd.api+json
Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6Im5leHQiLCJzdWIiOiIyIn0.c2ln""",
                     '{"data":{"type":"node--article","id":"6c1f9a2e-3b4d-4e5f-8a7b-9c0d1e2f3a4b","attributes":'
                     '{"title":"Library hours <summer term>","body":{"value":"<p>Mon&ndash;Fri 8:00&ndash;20:00</p>",'
                     '"format":"basic_html"}}}}')),
    ("raw", "", _raw(f"""GET /views/ajax?_wrapper_format=drupal_ajax&view_name=content&view_display_id=page_1&view_args=&view_path=%2Fadmin%2Fcontent&view_base_path=admin%2Fcontent&view_dom_id=4f1c9a7e2b3d5f8a&pager_element=0&title=O%27Reilly&type=All&status=All&langcode=All&page=1&_drupal_ajax=1&ajax_page_state%5Btheme%5D=claro&ajax_page_state%5Btheme_token%5D=&ajax_page_state%5Blibraries%5D=eJxLzs8rycxLLdZPL0osyMjMS9dLzs8rSa0o0U_KzEtJzc8HAMBpC9I HTTP/1.1
Host: www.example.edu
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: https://www.example.edu/admin/content?title=O%27Reilly
Cookie: SSESS4b1e8f2a9c3d7e0f5a6b1c2d3e4f5a6b=Vq3xK9mL2nR7bT4yW1zC8fH5jK0sD6gAoUMwYdM5u4l""")),
    ("raw", "", _raw("""POST /user/login?_format=json HTTP/1.1
Host: www.example.edu
User-Agent: okhttp/4.12.0
Accept: application/json
Content-Type: application/json""", '{"name":"campus-app","pass":"Dr\\"up@l#8!"}')),

    # --- WordPress (block editor, admin-ajax, REST, XML-RPC clients) ---
    ("raw", "", _raw(f"""POST /wp-json/wp/v2/posts/1234?_locale=user HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, */*;q=0.1
Content-Type: application/json
X-WP-Nonce: 8c1f3a9e2b
X-HTTP-Method-Override: PUT
Origin: https://blog.example.com
Referer: https://blog.example.com/wp-admin/post.php?post=1234&action=edit
Cookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a; wp-settings-2=libraryContent%3Dbrowse""",
                     '{"id":1234,"title":"Hardening nginx: a short checklist","content":"<!-- wp:paragraph -->\\n<p>'
                     'Deny access to dotfiles:</p>\\n<!-- /wp:paragraph -->\\n\\n<!-- wp:code -->\\n<pre class=\\"wp-block-code\\">'
                     '<code>location ~ /\\\\.(?!well-known) {\\n    deny all;\\n}\\n\\nlocation ~* \\\\.(php|pl|cgi)$ {\\n'
                     '    return 403;\\n}</code></pre>\\n<!-- /wp:code -->\\n\\n<!-- wp:paragraph -->\\n<p>Then run '
                     '<code>nginx -t &amp;&amp; systemctl reload nginx</code>.</p>\\n<!-- /wp:paragraph -->",'
                     '"status":"draft"}')),
    ("raw", "", _raw(f"""POST /wp-admin/admin-ajax.php HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Origin: https://blog.example.com
Referer: https://blog.example.com/wp-admin/post.php?post=1234&action=edit
Cookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a""",
                     "data%5Bwp-refresh-post-lock%5D%5Bpost_id%5D=1234&data%5Bwp-refresh-post-lock%5D%5Block%5D="
                     "1718352300%3A2&data%5Bwp-refresh-post-nonces%5D%5Bpost_id%5D=1234&interval=60&_nonce=b7e2c9a41f"
                     "&action=heartbeat&screen_id=post&has_focus=true")),
    ("raw", "", _raw("""POST /xmlrpc.php HTTP/1.1
Host: blog.example.com
User-Agent: MarsEdit/5.1 (Macintosh; Mac OS X 14.5)
Content-Type: text/xml""",
                     '<?xml version="1.0"?><methodCall><methodName>wp.getUsersBlogs</methodName><params>'
                     '<param><value><string>editor</string></value></param><param><value><string>Wp&amp;P@ss&lt;1'
                     '</string></value></param></params></methodCall>')),
    ("raw", "", _raw("""POST /xmlrpc.php HTTP/1.1
Host: blog.example.com
User-Agent: MarsEdit/5.1 (Macintosh; Mac OS X 14.5)
Content-Type: text/xml""",
                     '<?xml version="1.0"?><methodCall><methodName>metaWeblog.newPost</methodName><params>'
                     '<param><value><string>1</string></value></param><param><value><string>editor</string></value>'
                     '</param><param><value><string>Wp&amp;P@ss&lt;1</string></value></param><param><value><struct>'
                     '<member><name>title</name><value><string>Why we moved from cron to systemd timers</string>'
                     '</value></member><member><name>description</name><value><string>&lt;p&gt;The unit file is '
                     'tiny:&lt;/p&gt;&lt;pre&gt;[Timer]\nOnCalendar=*-*-* 03:00:00\nPersistent=true&lt;/pre&gt;'
                     '</string></value></member><member><name>categories</name><value><array><data><value>'
                     '<string>Ops</string></value></data></array></value></member></struct></value></param>'
                     '<param><value><boolean>0</boolean></value></param></params></methodCall>')),
    ("raw", "", _raw(f"""GET /wp-admin/load-scripts.php?c=1&load%5Bchunk_0%5D=jquery-core,jquery-migrate,utils,moxiejs,plupload&ver=6.5.4 HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Referer: https://blog.example.com/wp-admin/upload.php
Cookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a""")),
    ("raw", "", _raw(f"""POST /wp-admin/async-upload.php HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_CHROME}
Accept: */*
Origin: https://blog.example.com
Referer: https://blog.example.com/wp-admin/upload.php
Cookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a
Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryWp8x2Lq""",
                     "------WebKitFormBoundaryWp8x2Lq\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                     "nginx-dotfiles (diagram).png\r\n------WebKitFormBoundaryWp8x2Lq\r\n"
                     "Content-Disposition: form-data; name=\"action\"\r\n\r\nupload-attachment\r\n"
                     "------WebKitFormBoundaryWp8x2Lq\r\nContent-Disposition: form-data; name=\"_wpnonce\"\r\n\r\n"
                     "4c2e8a1f9b\r\n------WebKitFormBoundaryWp8x2Lq\r\nContent-Disposition: form-data; "
                     "name=\"async-upload\"; filename=\"nginx-dotfiles (diagram).png\"\r\nContent-Type: image/png\r\n\r\n"
                     + _b(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00\x00\x00\x03\x00\x08\x02\x00\x00\x00"
                          b"\xe8\x8f\x8c\x9a\x00\x00\x00\tpHYs\x00\x00\x0e\xc4\x00\x00\x0e\xc4\x01\x95+\x0e\x1b")
                     + "\r\n------WebKitFormBoundaryWp8x2Lq--\r\n")),
    ("raw", "", _raw("""POST /wp-cron.php?doing_wp_cron=1718352000.8123450279235839843750 HTTP/1.1
Host: blog.example.com
User-Agent: WordPress/6.5.4; https://blog.example.com
Accept: */*
Content-Type: application/x-www-form-urlencoded""")),
    ("raw", "", _raw("""GET /?rest_route=/wp/v2/posts&per_page=5&_embed=wp:featuredmedia,author&_fields=id,title,link,_links HTTP/1.1
Host: blog.example.com
User-Agent: Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36
Accept: application/json""")),
    ("raw", "", _raw(f"""POST /wp-login.php HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://blog.example.com
Referer: https://blog.example.com/wp-login.php?redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&reauth=1
Cookie: wordpress_test_cookie=WP%20Cookie%20check""",
                     "log=editor&pwd=%3Cmy%3Epass%27word%22%3B&rememberme=forever&wp-submit=Log+In"
                     "&redirect_to=https%3A%2F%2Fblog.example.com%2Fwp-admin%2F&testcookie=1")),
    ("raw", "", _raw(f"""POST /wp-admin/post.php HTTP/1.1
Host: blog.example.com
User-Agent: {_UA_FF}
Content-Type: application/x-www-form-urlencoded
Origin: https://blog.example.com
Referer: https://blog.example.com/wp-admin/post.php?post=988&action=edit&classic-editor
Cookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a""",
                     urlencode({"_wpnonce": "d91b3f7c0e", "_wp_http_referer": "/wp-admin/post.php?post=988&action=edit",
                                "user_ID": "2", "action": "editpost", "originalaction": "editpost",
                                "post_type": "post", "post_ID": "988", "post_title": "Conference recap: \"Zero Trust\" "
                                                                                     "in practice",
                                "content": '[caption id="attachment_991" align="alignnone" width="800"]<img '
                                           'src="https://blog.example.com/wp-content/uploads/2024/06/stage.jpg" '
                                           'alt="Keynote stage" width="800" height="533" class="size-full '
                                           'wp-image-991" /> Keynote[/caption]\n\n[embed]https://www.youtube.com/'
                                           'watch?v=aqz-KE-bpKQ[/embed]\n\n[gallery ids="991,992,995" columns="3"]',
                                "save": "Update"}))),

    # --- Craft CMS control panel ---
    ("raw", "", _raw(f"""POST /index.php?p=admin/actions/users/login HTTP/1.1
Host: www.example.net
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: application/json
X-CSRF-Token: 5Nq8Zk1vL7mR3tY0wB2cF6hJ9sD4gA1eU8iO5pQ2xC7zV0bN3mK6lH9jG2fD5s==
X-Requested-With: XMLHttpRequest
X-Registered-Asset-Bundles: craft\\web\\assets\\login\\LoginAsset,craft\\web\\assets\\cp\\CpAsset
Origin: https://www.example.net
Referer: https://www.example.net/admin/login
Cookie: CraftSessionId=k8s2m1q9v7b3n4p0; CRAFT_CSRF_TOKEN=e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6""",
                     '{"loginName":"jdoe@example.net","password":"Cr@ft{CMS}#4","rememberMe":true}')),
    ("raw", "", _raw(f"""POST /admin/actions/elements/save HTTP/1.1
Host: www.example.net
User-Agent: {_UA_CHROME}
Accept: application/json
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-CSRF-Token: 5Nq8Zk1vL7mR3tY0wB2cF6hJ9sD4gA1eU8iO5pQ2xC7zV0bN3mK6lH9jG2fD5s==
X-Requested-With: XMLHttpRequest
Origin: https://www.example.net
Referer: https://www.example.net/admin/entries/news/1841-summer-opening-hours?site=default
Cookie: CraftSessionId=k8s2m1q9v7b3n4p0; CRAFT_CSRF_TOKEN=e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6""",
                     urlencode({"CRAFT_CSRF_TOKEN": "5Nq8Zk1vL7mR3tY0wB2cF6hJ9sD4gA1eU8iO5pQ2xC7zV0bN3mK6lH9jG2fD5s==",
                                "elementId": "1841", "siteId": "1", "provisional": "1",
                                "title": "Summer opening hours (Jul & Aug)", "slug": "summer-opening-hours",
                                "fields[body]": '<h2>Hours</h2><p>Mon–Fri <strong>9:00 – 17:00</strong>, Sat by '
                                                'appointment &gt; call us.</p><figure><img src="{asset:2231:url||'
                                                'https://www.example.net/uploads/storefront.jpg}" alt=""></figure>',
                                "fields[seoDescription]": "Opening hours for July & August - \"closed on 15/08\"",
                                "enabled": "1"}))),
    ("raw", "", _raw("""POST /api HTTP/1.1
Host: www.example.net
User-Agent: gatsby-source-craft/2.0
Accept: application/json
Content-Type: application/json
Authorization: Bearer 4bXq9kP2mQ7vX1zL4cN8bH3jT6wY0eU5""",
                     '{"query":"query NewsEntries($limit: Int) { entries(section: \\"news\\", limit: $limit, orderBy: '
                     '\\"postDate DESC\\", search: \\"title:\\\\\\"opening hours\\\\\\"\\") { id title url postDate @formatDateTime('
                     'format: \\"Y-m-d\\") ... on news_default_Entry { body } } }","variables":{"limit":10}}')),
    ("raw", "", _raw(f"""GET /admin/entries/news?source=section:5b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e&site=default&search=%22O%27Reilly%22%20OR%20title%3Afoo*&sort=postDate-desc HTTP/1.1
Host: www.example.net
User-Agent: {_UA_CHROME}
Accept: text/html,*/*;q=0.8
Cookie: CraftSessionId=k8s2m1q9v7b3n4p0; CRAFT_CSRF_TOKEN=e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6""")),

    # --- Magento / Adobe Commerce ---
    ("raw", "", _raw(f"""POST /admin_8k2q/cms/page/save/ HTTP/1.1
Host: shop.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Origin: https://shop.example.com
Referer: https://shop.example.com/admin_8k2q/cms/page/edit/page_id/7/key/1f4a9c2e7b3d5f8a0c6e1b2d3f4a5c6e7b8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f/
Cookie: admin=q8v2m1k9b7n3p4c0x5z6; form_key=Yk3LmN8pQ2rS5tUv""",
                     urlencode({"form_key": "Yk3LmN8pQ2rS5tUv", "page_id": "7", "title": "Summer Sale",
                                "identifier": "summer-sale", "is_active": "1", "store_id[0]": "0",
                                "content": '<h1>Summer Sale</h1><p>{{media url="wysiwyg/banners/summer-2024.jpg"}}</p>'
                                           '{{widget type="Magento\\CatalogWidget\\Block\\Product\\ProductsList" '
                                           'show_pager="0" products_count="8" template="Magento_CatalogWidget::'
                                           'product/widget/content/grid.phtml" conditions_encoded="^[`1`:^[`type`:'
                                           '`Magento||CatalogWidget||Model||Rule||Condition||Combine`,`aggregator`:'
                                           '`all`,`value`:`1`,`new_child`:``^],`1--1`:^[`type`:`Magento||'
                                           'CatalogWidget||Model||Rule||Condition||Product`,`attribute`:'
                                           '`category_ids`,`operator`:`==`,`value`:`42`^]^]"}}'
                                           '<p><a href="{{store url=\'sale\'}}">See all offers</a></p>',
                                "page_layout": "1column", "back": "continue"}))),
    ("raw", "", _raw("""GET /rest/V1/products?searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=WB-%25&searchCriteria[filterGroups][0][filters][0][conditionType]=like&searchCriteria[sortOrders][0][field]=updated_at&searchCriteria[sortOrders][0][direction]=DESC&searchCriteria[pageSize]=100&fields=items[sku,name,price,status] HTTP/1.1
Host: shop.example.com
User-Agent: Akeneo-Connector/3.2
Accept: application/json
Authorization: Bearer eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjMsInV0eXBpZCI6MiwiaWF0IjoxNzE4MzUyMDAwfQ.c2lnbmF0dXJl""")),
    ("raw", "", _raw(f"""POST /rest/default/V1/guest-carts/Xk9Lm2Qp7Rt4Vw1Yz8Bc3Df6Gh0Jk5Nm/estimate-shipping-methods HTTP/1.1
Host: shop.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/json
X-Requested-With: XMLHttpRequest
Origin: https://shop.example.com
Referer: https://shop.example.com/checkout/
Cookie: PHPSESSID=9k2m1q8v7b3n4p0c5x6z; form_key=Yk3LmN8pQ2rS5tUv; private_content_version=8a1f2e3d4c5b6a7988""",
                     '{"address":{"street":["Flat 3, 12 O\'Connell St.","c/o Smith & Co"],"city":"Dublin",'
                     '"region_id":null,"region":"","country_id":"IE","postcode":"D01 F5P2","firstname":"","lastname":"",'
                     '"company":"","telephone":"","save_in_address_book":1,"custom_attributes":[]}}')),
    ("raw", "", _raw(f"""POST /admin_8k2q/catalog/product/save/id/123/type/simple/store/0/set/4/back/edit/ HTTP/1.1
Host: shop.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Origin: https://shop.example.com
Cookie: admin=q8v2m1k9b7n3p4c0x5z6""",
                     urlencode({"form_key": "Yk3LmN8pQ2rS5tUv", "product[name]": "Trail Jacket 2.0 \"Storm\"",
                                "product[sku]": "WB-TRAIL-20", "product[price]": "129.00",
                                "product[description]": '<p>Waterproof (10,000 mm) &amp; breathable.</p>'
                                                        '<p><img src="{{media url=&quot;wysiwyg/size-chart.png&quot;}}" '
                                                        'alt="Size chart"></p><table><tr><td>S</td><td>&lt; 90 cm'
                                                        '</td></tr></table>',
                                "product[url_key]": "trail-jacket-2-0-storm", "affect_product_custom_options": "1"}))),
    ("raw", "", _raw(f"""GET /catalogsearch/result/?q=women%27s+jacket+%26+hoodie+%22size+M%22 HTTP/1.1
Host: shop.example.com
User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1
Accept: text/html,*/*;q=0.8
Referer: https://shop.example.com/
Cookie: PHPSESSID=9k2m1q8v7b3n4p0c5x6z; form_key=Yk3LmN8pQ2rS5tUv; mage-cache-storage=%7B%7D""")),
    ("raw", "", _raw(f"""GET /customer/section/load/?sections=cart%2Cmessages%2Ccustomer%2Cdirectory-data&force_new_section_timestamp=true&_=1718352000123 HTTP/1.1
Host: shop.example.com
User-Agent: {_UA_CHROME}
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: https://shop.example.com/checkout/cart/
Cookie: PHPSESSID=9k2m1q8v7b3n4p0c5x6z; form_key=Yk3LmN8pQ2rS5tUv; section_data_ids=%7B%22cart%22%3A1718351999%2C%22messages%22%3A1718351999%7D""")),
    ("raw", "", _raw("""POST /rest/V1/integration/admin/token HTTP/1.1
Host: shop.example.com
User-Agent: n98-magerun2/7.4
Accept: application/json
Content-Type: application/json""", '{"username":"api-erp","password":"M@gent0!<2024>"}')),

    # --- Routers, NAS, cameras: web UIs and local APIs ---
    ("raw", "", _raw("""POST /cgi-bin/luci/ HTTP/1.1
Host: 192.168.1.1
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0
Content-Type: application/x-www-form-urlencoded
Origin: http://192.168.1.1
Referer: http://192.168.1.1/cgi-bin/luci/""", "luci_username=root&luci_password=0penWrt%21%3F%26")),
    ("raw", "", _raw("""POST /ubus HTTP/1.1
Host: 192.168.1.1
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0
Accept: application/json
Content-Type: application/json
Referer: http://192.168.1.1/cgi-bin/luci/admin/status/overview
Cookie: sysauth_http=9a1f2e3d4c5b6a7988f7e6d5c4b3a291""",
                     '[{"jsonrpc":"2.0","id":17,"method":"call","params":["9a1f2e3d4c5b6a7988f7e6d5c4b3a291",'
                     '"system","board",{}]},{"jsonrpc":"2.0","id":18,'
                     '"method":"call","params":["9a1f2e3d4c5b6a7988f7e6d5c4b3a291","luci-rpc","getDHCPLeases",{}]}]')),
    ("raw", "", _raw("""GET /cgi-bin/luci/;stok=8f2e1a9c7b3d5e0f4a6c2b8d1e9f3a7c/admin/status?form=all&operation=read HTTP/1.1
Host: 192.168.0.1
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: http://192.168.0.1/webpages/index.html
Cookie: sysauth=1c9e2f7a3b5d8e0a4c6f1b2d3e4f5a6c""")),
    ("raw", "", _raw("""GET /webapi/entry.cgi?api=SYNO.API.Info&version=1&method=query&query=SYNO.API.Auth,SYNO.FileStation.List,SYNO.FileStation.Upload HTTP/1.1
Host: nas.home.arpa:5001
User-Agent: DS file/5.21.0 (Android 14)
Accept: */*""")),
    ("raw", "", _raw("""GET /webapi/auth.cgi?api=SYNO.API.Auth&version=6&method=login&account=backup&passwd=Syn%40l0gy%26%3D%23&session=FileStation&format=sid&enable_device_token=yes&device_name=HyperBackup-Win HTTP/1.1
Host: nas.home.arpa:5001
User-Agent: python-synology/1.0
Accept: */*""")),
    ("raw", "", _raw("""POST /webapi/entry.cgi HTTP/1.1
Host: nas.home.arpa:5001
User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-SYNO-TOKEN: r3Gq8kZ1vL7mN2bT
X-Requested-With: XMLHttpRequest
Cookie: id=k8Wq2mZ1vL7nR3bT9yC0fH6jS4dG5aE1uI8oP2xN; did=Zx9Kq2LmN7pR4sT1vW8y""",
                     "api=SYNO.FileStation.List&method=list&version=2&folder_path=%22%2Fhome%2FPhotos%2F2024%20-%20Italy%20(Rome%20%26%20Florence)%22"
                     "&offset=0&limit=1000&sort_by=%22name%22&sort_direction=%22asc%22&action=%22list%22"
                     "&additional=%5B%22real_path%22%2C%22size%22%2C%22owner%22%2C%22time%22%2C%22perm%22%5D"
                     "&filetype=%22all%22")),
    ("raw", "", _raw("""POST /cgi-bin/authLogin.cgi HTTP/1.1
Host: qnap.home.arpa:8080
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Content-Type: application/x-www-form-urlencoded
X-Requested-With: XMLHttpRequest
Referer: http://qnap.home.arpa:8080/cgi-bin/""",
                     "user=admin&serviceKey=1&pwd=UTRuQHAhMjAyNA%3D%3D&client_app=&client_agent=Mozilla&service=1"
                     "&remme=1&q_lang=ENG")),
    ("raw", "", _raw("""GET /cgi-bin/filemanager/utilRequest.cgi?func=get_list&sid=8y2kq9m1&is_iso=0&list_mode=all&path=%2FPublic%2FScans%2F2024&dir=ASC&limit=100&sort=filename&start=0&hidden_file=0 HTTP/1.1
Host: qnap.home.arpa:8080
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: application/json, text/javascript, */*; q=0.01
X-Requested-With: XMLHttpRequest
Referer: http://qnap.home.arpa:8080/cgi-bin/filemanager/""")),
    ("raw", "", _raw("""GET /ISAPI/System/deviceInfo HTTP/1.1
Host: 10.10.20.31
User-Agent: Blue Iris/5.9
Accept: */*
Authorization: Digest username="admin", realm="IP Camera(E2641)", nonce="4e7a3f2c1b9d8e6f5a4c3b2a1f0e9d8c", uri="/ISAPI/System/deviceInfo", algorithm=MD5, response="8d2f1a9c7b3e5d0f4a6c2b8e1d9f3a7c", qop=auth, nc=00000001, cnonce="0a4f113b\"""")),
    ("raw", "", _raw("""PUT /SDK/webLanguage HTTP/1.1
Host: 10.10.20.31
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: */*
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: http://10.10.20.31/doc/page/login.asp?_1718352000123
Cookie: language=en; WebSession_7f2a1c9e3b=5d8e0a4c6f1b2d3e4f5a6c7b8d9e0f1a""",
                     '<?xml version="1.0" encoding="UTF-8"?><language>en</language>')),
    ("raw", "", _raw("""PUT /ISAPI/System/time HTTP/1.1
Host: 10.10.20.31
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: */*
Content-Type: application/xml; charset=UTF-8
X-Requested-With: XMLHttpRequest
SessionTag: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
Referer: http://10.10.20.31/doc/page/config.asp
Cookie: language=en; WebSession_7f2a1c9e3b=5d8e0a4c6f1b2d3e4f5a6c7b8d9e0f1a""",
                     '<?xml version="1.0" encoding="UTF-8"?><Time><timeMode>NTP</timeMode>'
                     '<timeZone>CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00</timeZone></Time>')),
    ("raw", "", _raw("""GET /ISAPI/Streaming/channels/101/picture?snapShotImageType=JPEG&videoResolutionWidth=1920&videoResolutionHeight=1080 HTTP/1.1
Host: 10.10.20.31
User-Agent: HomeAssistant/2024.6.2 aiohttp/3.9.5 Python/3.12
Accept: */*
Authorization: Basic YWRtaW46Q2FtM3JhIVBhc3M=""")),
    ("raw", "", _raw("""GET /axis-cgi/param.cgi?action=list&group=root.Brand,root.Properties.Firmware,root.Network.eth0.MACAddress HTTP/1.1
Host: 10.10.20.40
User-Agent: Milestone XProtect/2024 R1
Accept: */*
Authorization: Basic cm9vdDpBeCFzUGFzcw==""")),
    ("raw", "", _raw("""GET /axis-cgi/jpg/image.cgi?resolution=1280x720&camera=1&compression=30&overlaytext=1&text=Gate%20%232%20-%20%25F%20%25T HTTP/1.1
Host: 10.10.20.40
User-Agent: Frigate/0.13 ffmpeg
Accept: */*
Authorization: Basic cm9vdDpBeCFzUGFzcw==""")),
    ("raw", "", _raw("""POST /RPC2_Login HTTP/1.1
Host: 10.10.20.52
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: application/json, text/javascript, */*; q=0.01
Content-Type: application/x-www-form-urlencoded; charset=UTF-8
X-Requested-With: XMLHttpRequest
Referer: http://10.10.20.52/""",
                     '{"method":"global.login","params":{"userName":"admin","password":"8F2E1A9C7B3D5E0F4A6C2B8D1E9F3A7C",'
                     '"clientType":"Web3.0","loginType":"Direct","authorityType":"Default","passwordType":"Default"},'
                     '"id":2,"session":"3f7a1e2d9c8b4a6f1e0d"}')),
    ("raw", "", _raw("""POST /login.cgi HTTP/1.1
Host: router.asus.com
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Content-Type: application/x-www-form-urlencoded
Origin: http://router.asus.com
Referer: http://router.asus.com/Main_Login.asp""",
                     "group_id=&action_mode=&action_script=&action_wait=5&current_page=Main_Login.asp"
                     "&next_page=index.asp&login_authorization=YWRtaW46UjB1dDNyIUFzdXM%3D&login_captcha=")),
    ("raw", "", _raw("""POST /HNAP1/ HTTP/1.1
Host: 192.168.0.1
User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36
Accept: text/xml
Content-Type: text/xml; charset=utf-8
SOAPAction: "http://purenetworks.com/HNAP1/Login"
HNAP_AUTH: 9B3F1C7E2A5D8F0A4C6E1B2D3F4A5C6E 1718352000123
X-Requested-With: XMLHttpRequest
Referer: http://192.168.0.1/info/Login.html""",
                     '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
                     'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Login '
                     'xmlns="http://purenetworks.com/HNAP1/"><Action>request</Action><Username>Admin</Username>'
                     '<LoginPassword></LoginPassword><Captcha></Captcha></Login></soap:Body></soap:Envelope>')),
    ("raw", "", _raw("""POST /api/auth/login HTTP/1.1
Host: unifi.home.arpa
User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0
Accept: application/json
Content-Type: application/json
Origin: https://unifi.home.arpa
Referer: https://unifi.home.arpa/login?redirect=%2Fnetwork%2Fdefault%2Fdashboard""",
                     '{"username":"admin","password":"Un1F!\\\\Pass\\"word","token":"","rememberMe":true}')),
    ("raw", "", _raw("""GET /rest/ip/firewall/filter?chain=forward&.proplist=.id,action,src-address,dst-port,comment HTTP/1.1
Host: 10.0.0.1
User-Agent: terraform-provider-routeros/1.53.0
Accept: application/json
Authorization: Basic YXBpOk1pa3IwVCFrQVBJ""")),
    ("raw", "", _raw("""POST /index.php HTTP/1.1
Host: pfsense.home.arpa
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0
Content-Type: application/x-www-form-urlencoded
Origin: https://pfsense.home.arpa
Referer: https://pfsense.home.arpa/
Cookie: PHPSESSID=2f7a1e9c3b5d8e0a4c6f1b2d3e4f5a6c""",
                     "__csrf_magic=sid%3A4b1e8f2a9c3d7e0f5a6b1c2d3e4f5a6b7c8d9e0f%2C1718352000%3Bip%3A"
                     "8e1f0a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f%2C1718352000&usernamefld=admin"
                     "&passwordfld=pf%24ense%7C%7C%26%26&login=Sign+In")),
    ("raw", "", _raw("""POST /firewall_aliases_edit.php HTTP/1.1
Host: pfsense.home.arpa
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0
Content-Type: application/x-www-form-urlencoded
Origin: https://pfsense.home.arpa
Referer: https://pfsense.home.arpa/firewall_aliases_edit.php?tab=ip
Cookie: PHPSESSID=2f7a1e9c3b5d8e0a4c6f1b2d3e4f5a6c""",
                     "__csrf_magic=sid%3A4b1e8f2a9c3d7e0f5a6b1c2d3e4f5a6b7c8d9e0f%2C1718352000&name=Office_LAN"
                     "&descr=Office+subnets+%28HQ+%26+branch%29+-+see+%23INC-2291&type=network"
                     "&address0=10.10.0.0&address_subnet0=16&detail0=HQ+%2F+floor+1-3&address1=10.20.0.0"
                     "&address_subnet1=16&detail1=Branch+%22North%22&tab=ip&origname=&save=Save")),

    # --- single values: appliance cookies, headers, paths, file names, queries ---
    ("cookie", "", "BIGipServerpool_web_8080=1677787402.36895.0000"),
    ("cookie", "", "NSC_wt_xfc_443=ffffffff09a1b2c345525d5f4f58455e445a4a423660"),
    ("cookie", "", "MRHSession=8d3f1a9c7b2e5d0f4a6c1b8e9d2f3a7c; LastMRH_Session=8d3f1a9c; F5_ST=1z1z1z1718352000z604800"),
    ("cookie", "", "CtxsUserPreferredClient=Native; CtxsDesktopAutoLaunchDone=no; CtxsHasUpgradeBeenShown=true"),
    ("cookie", "", "X-BackEndCookie=S-1-5-21-3623811015-3361044348-30300820-1013=u56Lnp2ejJqBzMucy8bGysvSmZvKyNLLnM7J0sbHzJ3SnZ7KxsnJy57Lx8rNgYHNz87L0s/O0s7Iq8/Iy8XOzMXNzg=="),
    ("header:SOAPAction", "", '"http://schemas.microsoft.com/exchange/services/2006/messages/SyncFolderItems"'),
    ("header:X-OWA-UrlPostData", "",
     "%7B%22__type%22%3A%22FindConversationJsonRequest%3A%23Exchange%22%2C%22Body%22%3A%7B%22QueryString%22%3A"
     "%22from%3A%5C%22O'Brien%5C%22%20subject%3A(invoice%20OR%20receipt)%22%7D%7D"),
    ("header:X-F5-Auth-Token", "", "OZ6BHUGTJZ2CZ7AVHBN4VLR4XB"),
    ("header:User-Agent", "", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)"),
    ("header:User-Agent", "", "AnyConnect Windows 5.1.3.62"),
    ("path", "", "/+CSCOE+/logon.html?a0=15&a1=&a2=&a3=1"),
    ("path", "", "/+CSCOT+/translation-table?type=po&textdomain=AnyConnect&lang=en-us"),
    ("path", "", "/Citrix/StoreWeb/Resources/Icon/Q2l0cml4LkRlc2t0b3AuV2luMTA-?size=128"),
    ("path", "", "/sap/public/bc/ur/Login/assets/corbu/sap_logo.png"),
    ("path", "", "/_layouts/15/images/spcommon.png?rev=44"),
    ("path", "", "/display/OPS/Runbook%3A+rotate+TLS+certs+on+edge+nodes"),
    ("multipart", "file", "FortiGate_backup_FGT60F_20240614_1030.conf"),
    ("multipart", "file", "support-bundle_bigip01_2024-06-14.qkview"),
    ("multipart", "file", "Invoice #2024-0614 & receipt (O'Brien).pdf"),
    ("query", "jql", 'project = OPS AND text ~ "\\"connection reset by peer\\"" AND created >= startOfWeek() ORDER BY created DESC'),
    ("query", "cql", 'type = page and space in ("OPS","DBA") and label = "runbook" and text ~ "failover"'),
    ("query", "$filter", "startswith(Title,'Q3') and Author/EMail eq 'jdoe@example.com'"),
    ("form", "query", "in:inbox is:unread from:(\"it-helpdesk@example.com\") subject:\"password expires\""),
    ("json", "", '{"loginName":"jdoe","password":"P@ss\\\\w0rd\\"<>","rememberMe":false}'),
]
