"""Blind benign batch 10: device web UIs (routers, cameras, NVRs, NAS, printers, smart home, CPE) and PHP/Java apps."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote


def _b64(s: str) -> str:
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def _enc(s: str) -> str:
    # encodeURIComponent
    return quote(s, safe="-_.!~*'()")


def _js(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _raw(method, target, host, headers=(), body=None, ctype=None):
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines.extend(headers)
    if body is not None:
        if ctype:
            lines.append(f"Content-Type: {ctype}")
        lines.append(f"Content-Length: {len(body.encode('utf-8', 'surrogateescape'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + (body or "")


def _mp(boundary, parts):
    out = []
    for p in parts:
        out.append("--" + boundary)
        if len(p) == 2:
            out.append(f'Content-Disposition: form-data; name="{p[0]}"')
            out.append("")
            out.append(p[1])
        else:
            out.append(f'Content-Disposition: form-data; name="{p[0]}"; filename="{p[1]}"')
            out.append(f"Content-Type: {p[2]}")
            out.append("")
            out.append(p[3])
    out.append("--" + boundary + "--")
    return "\r\n".join(out) + "\r\n"


def _ipp(op, req_id, attrs):
    b = bytes([2, 0]) + op.to_bytes(2, "big") + req_id.to_bytes(4, "big") + b"\x01"
    for tag, name, value in attrs:
        b += bytes([tag]) + len(name).to_bytes(2, "big") + name.encode() + len(value).to_bytes(2, "big") + value.encode()
    b += b"\x03"
    return b.decode("utf-8", "surrogateescape")


_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"
_UA_FF = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0"
_UA_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15"
_FORM = "application/x-www-form-urlencoded; charset=UTF-8"
_FORM_NAV = "application/x-www-form-urlencoded"
_JPEG = "\udcff\udcd8\udcff\udce0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00\udcff\udcdb\x00C\x00\x08\x06\x06\x07\x06\x05\x08\x07\x07\x07\t\t\x08\n\x0c\x14\r\x0c\x0b\x0b\x0c\x19\x12\x13\x0f\x14\x1d\x1a\x1f\x1e\x1d\x1a\x1c\x1c $.' \",#\x1c\x1c(7),01444\x1f'9=82<.342\udcff\udcd9"
_PDF = "%PDF-1.7\n%\udce2\udce3\udccf\udcd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
_PNG = "\udc89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00@\x00\x00\x00@\x08\x06\x00\x00\x00\udcaaiq\udcde\x00\x00\x00\x04gAMA\x00\x00\udcb1\udc8f\x0b\udcfca\x05\x00\x00\x00\x00IEND\udcaeB`\udc82"


def _nav(referer=None, ua=_UA, cookie=None):
    h = [f"User-Agent: {ua}",
         "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
         "Accept-Language: en-US,en;q=0.9",
         "Accept-Encoding: gzip, deflate"]
    if referer:
        h.append(f"Referer: {referer}")
    if cookie:
        h.append(f"Cookie: {cookie}")
    h.append("Connection: keep-alive")
    h.append("Upgrade-Insecure-Requests: 1")
    return h


def _xhr(origin, referer, cookie=None, accept="application/json, text/javascript, */*; q=0.01", extra=(), ua=_UA):
    h = [f"User-Agent: {ua}",
         f"Accept: {accept}",
         "Accept-Language: en-US,en;q=0.9",
         "Accept-Encoding: gzip, deflate",
         "X-Requested-With: XMLHttpRequest",
         f"Origin: {origin}",
         f"Referer: {referer}"]
    h.extend(extra)
    if cookie:
        h.append(f"Cookie: {cookie}")
    h.append("Connection: keep-alive")
    return h


_SOAP11 = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
           '<soap:Body>{}</soap:Body></soap:Envelope>')

_UPNP = ('<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
         's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>{}</s:Body></s:Envelope>\r\n')

_WSSE = ('<s:Header><Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
         '<UsernameToken><Username>admin</Username>'
         '<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">k2tQ6XnHhC0m0b6i3ObfYbPqkFY=</Password>'
         '<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary">LKqI6G/AikKCQrN0zqZFlg==</Nonce>'
         '<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">2024-03-04T10:15:22.000Z</Created>'
         '</UsernameToken></Security></s:Header>')


def _onvif(body, secured=True):
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
            'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">'
            + (_WSSE if secured else "") + "<s:Body>" + body + "</s:Body></s:Envelope>")


def _onvif_req(path, action, body, secured=True, host="192.168.1.64"):
    return _raw("POST", path, host,
                ["User-Agent: gSOAP/2.8", "Accept-Encoding: gzip, deflate", "Connection: close"],
                _onvif(body, secured),
                f'application/soap+xml; charset=utf-8; action="{action}"')


_TP_STOK = "4f1e0c9a7b2d3e5f6a8b9c0d1e2f3a4b"
_TP_PW = ("3b9c6f2a1e8d7c4b5a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b"
          "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80")
_TP_OLD_COOKIE = "Authorization=Basic%20" + _enc(_b64("admin:21232f297a57a5a743894a0e4a801fc3"))

_NG_SOAP = ('<?xml version="1.0" encoding="utf-8" ?>\r\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\r\n'
            '<SOAP-ENV:Header>\r\n<SessionID>A7D88AE69687E58D9A00</SessionID>\r\n</SOAP-ENV:Header>\r\n<SOAP-ENV:Body>\r\n'
            '<M1:GetInfo xmlns:M1="urn:NETGEAR-ROUTER:service:DeviceInfo:1">\r\n</M1:GetInfo>\r\n</SOAP-ENV:Body>\r\n</SOAP-ENV:Envelope>')

_UBUS_SID = "9d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f"

_SAGEM_REQ = {"request": {"id": 4, "session-id": 381947265, "priority": False, "actions": [
    {"id": 0, "method": "getValue", "xpath": "Device/DeviceInfo/SoftwareVersion", "options": {"capability-flags": {"interface": True}}},
    {"id": 1, "method": "getValue", "xpath": "Device/Hosts/Hosts[Active=\"true\"]", "options": {}}],
    "cnonce": 2837465, "auth-key": "8f14e45fceea167a5a36dedd4bea2543"}}

_TR069_INFORM = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">\n'
    '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1804289383</cwmp:ID></soap-env:Header>\n'
    '<soap-env:Body><cwmp:Inform><DeviceId><Manufacturer>Huawei Technologies Co., Ltd</Manufacturer><OUI>00E0FC</OUI>'
    '<ProductClass>HG8245Q2</ProductClass><SerialNumber>48575443A1B2C3D4</SerialNumber></DeviceId>'
    '<Event soap-enc:arrayType="cwmp:EventStruct[2]"><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct>'
    '<EventStruct><EventCode>4 VALUE CHANGE</EventCode><CommandKey></CommandKey></EventStruct></Event>'
    '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-03-04T10:15:22+01:00</CurrentTime><RetryCount>0</RetryCount>'
    '<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[4]">'
    '<ParameterValueStruct><Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name><Value xsi:type="xsd:string">V5R020C10S115</Value></ParameterValueStruct>'
    '<ParameterValueStruct><Name>InternetGatewayDevice.ManagementServer.ConnectionRequestURL</Name><Value xsi:type="xsd:string">http://100.72.14.9:7547/tr069</Value></ParameterValueStruct>'
    '<ParameterValueStruct><Name>InternetGatewayDevice.ManagementServer.ParameterKey</Name><Value xsi:type="xsd:string"></Value></ParameterValueStruct>'
    '<ParameterValueStruct><Name>InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress</Name><Value xsi:type="xsd:string">81.22.104.77</Value></ParameterValueStruct>'
    '</ParameterList></cwmp:Inform></soap-env:Body></soap-env:Envelope>\n')

_TR069_GPV = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">\n'
    '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">acs-5512</cwmp:ID></soap-env:Header>\n'
    '<soap-env:Body><cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[2]">'
    '<ParameterValueStruct><Name>InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID</Name><Value xsi:type="xsd:string">Vodafone-A1B2</Value></ParameterValueStruct>'
    '<ParameterValueStruct><Name>InternetGatewayDevice.Time.NTPServer1</Name><Value xsi:type="xsd:string">ntp1.isp-example.net</Value></ParameterValueStruct>'
    '</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>\n')

_HIK_COOKIE = "language=en; WebSession_8F1C2A6B9E=5b7d9f1e3a6c8e0b2d4f6a8c0e2b4d6f8a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d"
_HIK_SEARCH = (
    '<?xml version="1.0" encoding="utf-8"?><CMSearchDescription><searchID>C8A6E2B1-7F3D-4A9C-B5E0-1D2F3A4B5C6D</searchID>'
    '<trackList><trackID>101</trackID></trackList><timeSpanList><timeSpan><startTime>2024-03-03T00:00:00Z</startTime>'
    '<endTime>2024-03-03T23:59:59Z</endTime></timeSpan></timeSpanList><maxResults>40</maxResults>'
    '<searchResultPostion>0</searchResultPostion><metadataList><metadataDescriptor>//recordType.meta.std-cgi.com</metadataDescriptor>'
    '</metadataList></CMSearchDescription>')

_DAHUA_DIGEST = ('Authorization: Digest username="admin", realm="Login to 4H0C2B7PAZ1E3F9", nonce="1283745921", '
                 'uri="{}", response="6b3d9f1e7a2c4e8b0d5f7a9c1e3b5d7f", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"')

_ESCL = ('<?xml version="1.0" encoding="UTF-8"?>\n<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" '
         'xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">\n  <pwg:Version>2.63</pwg:Version>\n  <scan:Intent>Document</scan:Intent>\n'
         '  <pwg:ScanRegions pwg:MustHonor="false">\n    <pwg:ScanRegion>\n      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>\n'
         '      <pwg:XOffset>0</pwg:XOffset>\n      <pwg:YOffset>0</pwg:YOffset>\n      <pwg:Width>2550</pwg:Width>\n      <pwg:Height>3300</pwg:Height>\n'
         '    </pwg:ScanRegion>\n  </pwg:ScanRegions>\n  <pwg:InputSource>Platen</pwg:InputSource>\n  <scan:ColorMode>RGB24</scan:ColorMode>\n'
         '  <scan:XResolution>300</scan:XResolution>\n  <scan:YResolution>300</scan:YResolution>\n  <pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>\n'
         '</scan:ScanSettings>\n')

_DIDL = ('<DIDL-Lite xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" '
         'xmlns:r="urn:schemas-rinconnetworks-com:metadata-1-0/" xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/">'
         '<item id="-1" parentID="-1" restricted="true"><dc:title>BBC Radio 6 Music</dc:title>'
         '<upnp:class>object.item.audioItem.audioBroadcast</upnp:class>'
         '<desc id="cdudn" nameSpace="urn:schemas-rinconnetworks-com:metadata-1-0/">SA_RINCON65031_</desc></item></DIDL-Lite>')


def _xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_HA_TOKEN = "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI4ZjFlMmQzYzRiNWE2Zjc4IiwiaWF0IjoxNzA5NTQ2MTIyLCJleHAiOjIwMjQ5MDYxMjJ9.Qm9rW3v8x1YtZ5N2cJ7pL0dF4sH6gK9aE3iR1uT8oQw"

_HA_AUTOMATION = {
    "id": "1709546122334", "alias": "Office fan on when hot", "description": "",
    "trigger": [{"platform": "template", "value_template": "{{ states('sensor.office_temperature') | float(0) > 26 }}"}],
    "condition": [{"condition": "time", "after": "08:00:00", "before": "20:00:00", "weekday": ["mon", "tue", "wed", "thu", "fri"]}],
    "action": [{"service": "fan.turn_on", "target": {"entity_id": "fan.office"}, "data": {"percentage": 66}}],
    "mode": "single"}

_HA_TPL = {"type": "render_template", "data": {"battery_widget": {
    "template": "{{ states('sensor.pixel_7_battery_level') }}% | sunrise {{ as_timestamp(state_attr('sun.sun', 'next_rising')) | timestamp_custom('%H:%M') }}",
    "variables": {}}}}

_LV_TOKEN = "h3KxP9mQ2vL7rT5wN8bC4yF6gJ1sD0aZeUiOoXq"
_LV_XSRF = _enc(_b64(_js({"iv": "kX9pQ2rT5vW8yZ1b", "value": "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6", "mac": "4e1f8a2b6c9d3e7f0a5b8c1d4e7f2a6b9c3d6e0f4a7b1c5d8e2f6a9b3c7d0e4f", "tag": ""})))
_LV_COOKIE = f"XSRF-TOKEN={_LV_XSRF}; laravel_session={_enc(_b64(_js({'iv': 'a1B2c3D4e5F6g7H8', 'value': 'c2Vzc2lvbl9wYXlsb2FkX2VuY3J5cHRlZF9ieV9sYXJhdmVs', 'mac': '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0', 'tag': ''})))}"

_LW3_SNAPSHOT = _js({"data": {"name": "Jane Porter", "email": "jane@example.com", "message": ""},
                     "memo": {"id": "pQ7wX2mN4bV9cL1kR8sT", "name": "contact-form", "path": "contact", "method": "GET",
                              "children": [], "scripts": [], "assets": [], "errors": [], "locale": "en"},
                     "checksum": "6f0c2a9e1b7d4f3c8a5e2b9d0c7f1a4e3b6d9c2f5a8e1b4d7c0f3a6e9b2d5c8f"})

_NOVA_FILTERS = _b64(_js([{"class": "App\\Nova\\Filters\\UserType", "value": "admin"},
                          {"class": "App\\Nova\\Filters\\CreatedAfter", "value": "2024-01-01"}]))

_VB_TOKEN = "1709546122-3f6a9c2e8b1d4f7a0c5e9b2d6f8a1c4e7b0d3f69"

_DR_LIBS = ("big_pipe/big_pipe,claro/global-styling,claro/node-form,core/drupal.autocomplete,core/drupal.dialog.ajax,"
            "core/normalize,file/drupal.file,image/form,node/drupal.node,system/base,text/drupal.text,toolbar/toolbar")

_EL_ACTIONS = _js({"save_builder": {"action": "save_builder", "data": {"status": "publish", "elements": [
    {"id": "5a3c9e1", "elType": "container", "settings": {"flex_direction": "row"}, "elements": [
        {"id": "7b2d4f6", "elType": "widget", "widgetType": "heading", "settings": {"title": "Summer Sale \u2013 up to 40% off", "header_size": "h2"}, "elements": []},
        {"id": "9c1e3a5", "elType": "widget", "widgetType": "button", "settings": {"text": "Shop now", "link": {"url": "/shop/?orderby=price", "is_external": "", "nofollow": ""}}, "elements": []}],
        "isInner": False}], "settings": {"post_title": "Summer Sale", "post_status": "publish"}}}})

_WP_GB_CONTENT = ('<!-- wp:paragraph -->\n<p>To disable XML-RPC, add this to your theme\'s <code>functions.php</code>:</p>\n<!-- /wp:paragraph -->\n\n'
                  '<!-- wp:code -->\n<pre class="wp-block-code"><code>add_filter( \'xmlrpc_enabled\', \'__return_false\' );</code></pre>\n<!-- /wp:code -->\n\n'
                  '<!-- wp:paragraph -->\n<p>Then check <a href="/xmlrpc.php">/xmlrpc.php</a> returns a 403 or 405.</p>\n<!-- /wp:paragraph -->')

_WP_CUSTOMIZE = _js({"custom_css[twentytwentyfour]": {"value": ".site-header { background: url(\"/wp-content/uploads/2024/03/header-bg.jpg\") center/cover no-repeat; }\n.wp-block-button__link:hover { filter: brightness(1.1); }"},
                     "blogdescription": {"value": "Tips & tricks for small shops"}})

_JIRA_ISSUE = {"fields": {"project": {"key": "WEB"}, "issuetype": {"name": "Bug"}, "summary": "Checkout fails when coupon contains an apostrophe",
                          "description": "Steps:\n# Add any item\n# Apply coupon {{O'HARA10}}\n# Click *Place order*\n\nLog:\n{code:java}\njava.lang.IllegalArgumentException: Invalid coupon code 'O'HARA10'\n\tat com.example.shop.coupon.CouponService.validate(CouponService.java:88)\n\tat com.example.shop.checkout.CheckoutController.place(CheckoutController.java:142)\n{code}",
                          "labels": ["checkout", "regression"], "priority": {"name": "High"}}}

_CONF_PAGE = {"type": "page", "title": "Deploying the orders service", "space": {"key": "DEV"}, "ancestors": [{"id": "983041"}],
              "body": {"storage": {"representation": "storage", "value":
                  '<p>Run the migration before deploying:</p><ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter>'
                  '<ac:plain-text-body><![CDATA[./gradlew flywayMigrate -Dflyway.url="jdbc:postgresql://db-01:5432/orders"\nkubectl rollout restart deployment/orders -n prod]]></ac:plain-text-body></ac:structured-macro>'}}}

_OCTO_GCODE = ("; generated by PrusaSlicer 2.7.1+win64 on 2024-03-04 at 10:15:22 UTC\n\n; external perimeters extrusion width = 0.45mm\n"
               "M201 X1000 Y1000 Z200 E5000 ; sets maximum accelerations, mm/sec^2\nM104 S215 ; set temperature\nM140 S60 ; set bed temperature\n"
               "G28 W ; home all without mesh bed level\nG80 ; mesh bed leveling\nG1 Z0.2 F720\nG1 X60.0 E9.0 F1000.0 ; intro line\n")

BLIND_BENIGN_10 = [
    # --- routers: TP-Link ---
    ("raw", "", _raw("POST", "/cgi-bin/luci/;stok=/login?form=keys", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/webpages/login.html"), "operation=read", _FORM)),
    ("raw", "", _raw("POST", "/cgi-bin/luci/;stok=/locale?form=country", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/webpages/login.html"), "operation=read", _FORM)),
    ("raw", "", _raw("POST", "/cgi-bin/luci/;stok=/login?form=login", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/webpages/login.html"), "operation=login&password=" + _TP_PW, _FORM)),
    ("raw", "", _raw("POST", f"/cgi-bin/luci/;stok={_TP_STOK}/admin/status?form=all", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/webpages/index.html", cookie="sysauth=a8e3f1c92b7d4e6f"), "operation=read", _FORM)),
    ("raw", "", _raw("GET", "/userRpm/LoginRpm.htm?Save=Save", "192.168.0.1",
                     _nav("http://192.168.0.1/", cookie=_TP_OLD_COOKIE))),
    ("raw", "", _raw("GET", "/HQWKZVLNXPOTEDYG/userRpm/PingIframeRpm.htm?ping_addr=www.google.com&doType=ping&isNew=new&sendNum=4&pSize=64&overTime=800&trHops=20",
                     "192.168.0.1", _nav("http://192.168.0.1/HQWKZVLNXPOTEDYG/userRpm/DiagnosticRpm.htm", cookie=_TP_OLD_COOKIE))),
    ("raw", "", _raw("POST", "/cgi?2", "192.168.1.1",
                     ["User-Agent: " + _UA, "Accept: */*", "Origin: http://192.168.1.1", "Referer: http://192.168.1.1/mainFrame.htm",
                      "Cookie: " + _TP_OLD_COOKIE],
                     "[IPPING_DIAG#0,0,0,0,0,0#0,0,0,0,0,0]0,6\r\ndataBlockSize=64\r\ntimeout=1\r\nnumberOfRepetitions=4\r\nhost=www.tp-link.com\r\n"
                     "X_TP_ConnName=ewan_pppoe\r\ndiagnosticsState=Requested\r\n", "text/plain")),

    # --- routers: Netgear, D-Link, ASUS, Linksys ---
    ("raw", "", _raw("GET", "/currentsetting.htm", "routerlogin.net",
                     ["User-Agent: Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A.240205.004)", "Accept-Encoding: gzip", "Connection: Keep-Alive"])),
    ("raw", "", _raw("POST", "/soap/server_sa/", "routerlogin.net:5000",
                     ["User-Agent: SOAP Toolkit 3.0", "SOAPAction: urn:NETGEAR-ROUTER:service:DeviceInfo:1#GetInfo", "Connection: keep-alive"],
                     _NG_SOAP, "text/xml; charset=utf-8")),
    ("raw", "", _raw("POST", "/ping.cgi?id=8c1f4a7e2b9d", "192.168.1.1",
                     _nav("http://192.168.1.1/DIAG_diag.htm", cookie="XSRF_TOKEN=1222440606") + ["Origin: http://192.168.1.1"],
                     "IPAddr1=&IPAddr2=&IPAddr3=&IPAddr4=&ping=Ping&ping_IPAddr=www.netgear.com", _FORM_NAV)),
    ("raw", "", _raw("GET", "/r7000/ww/fileinfo.txt", "updates1.netgear.com",
                     ["User-Agent: Wget", "Accept: */*", "Connection: close"])),
    ("raw", "", _raw("POST", "/HNAP1/", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/info/Login.html", cookie="uid=Ks3pNcbQ", accept="text/xml",
                          extra=['SOAPAction: "http://purenetworks.com/HNAP1/Login"', "HNAP_AUTH: 8A3E4C1F0B2D9E7A6C5B4D3E2F1A0B9C 1709546122334"]),
                     _SOAP11.format('<Login xmlns="http://purenetworks.com/HNAP1/"><Action>request</Action><Username>Admin</Username>'
                                    '<LoginPassword></LoginPassword><Captcha></Captcha></Login>'), "text/xml; charset=utf-8")),
    ("raw", "", _raw("POST", "/HNAP1/", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/Home.html", cookie="uid=Ks3pNcbQ", accept="text/xml",
                          extra=['SOAPAction: "http://purenetworks.com/HNAP1/GetMultipleHNAPs"', "HNAP_AUTH: 2F7C9A1E4B6D8F0A3C5E7B9D1F2A4C6E 1709546127881"]),
                     _SOAP11.format('<GetMultipleHNAPs xmlns="http://purenetworks.com/HNAP1/"><GetDeviceSettings xmlns="http://purenetworks.com/HNAP1/" />'
                                    '<GetWanStatus xmlns="http://purenetworks.com/HNAP1/" /><GetFirmwareStatus xmlns="http://purenetworks.com/HNAP1/" />'
                                    '</GetMultipleHNAPs>'), "text/xml; charset=utf-8")),
    ("raw", "", _raw("POST", "/diagnostic.php", "192.168.0.1",
                     _xhr("http://192.168.0.1", "http://192.168.0.1/tools_check.php", cookie="uid=Ks3pNcbQ", accept="*/*"),
                     "act=ping&dst=www.dlink.com", _FORM)),
    ("raw", "", _raw("POST", "/login.cgi", "router.asus.com",
                     _nav("http://router.asus.com/Main_Login.asp") + ["Origin: http://router.asus.com"],
                     "group_id=&action_mode=&action_script=&action_wait=5&current_page=Main_Login.asp&next_page=index.asp&login_authorization="
                     + _enc(_b64("admin:Gr33n-Tea!2024")), _FORM_NAV)),
    ("raw", "", _raw("GET", "/appGet.cgi?hook=nvram_get(productid)%3Bnvram_get(firmver)%3Bnvram_get(buildno)%3Bnvram_get(extendno)", "router.asus.com",
                     _xhr("http://router.asus.com", "http://router.asus.com/index.asp", cookie="asus_token=Hq3kV8pN2wZ5xY7bC1dF4gJ6; clickedItem_tab=0"))),
    ("raw", "", _raw("POST", "/appGet.cgi", "192.168.50.1",
                     ["User-Agent: asusrouter-Android-DUTUtil-1.0.0.3.58", "Accept-Encoding: gzip", "Cookie: asus_token=Hq3kV8pN2wZ5xY7bC1dF4gJ6"],
                     "hook=get_clientlist()%3Bwl_sta_list_2g()%3Bwl_sta_list_5g()%3Bnvram_get(custom_clientlist)", _FORM_NAV)),
    ("raw", "", _raw("POST", "/start_apply.htm", "router.asus.com",
                     _nav("http://router.asus.com/Advanced_Wireless_Content.asp", cookie="asus_token=Hq3kV8pN2wZ5xY7bC1dF4gJ6") + ["Origin: http://router.asus.com"],
                     "productid=RT-AX86U&current_page=Advanced_Wireless_Content.asp&next_page=Advanced_Wireless_Content.asp&modified=0&action_mode=apply_new"
                     "&action_script=restart_wireless&action_wait=10&wl_unit=0&wl_ssid=" + _enc("Casa Martínez") + "&wl_auth_mode_x=psk2&wl_crypto=aes&wl_wpa_psk="
                     + _enc("Tortilla&Churros#1987") + "&wl_closed=0", _FORM_NAV)),
    ("raw", "", _raw("POST", "/apply.cgi", "router.asus.com",
                     _xhr("http://router.asus.com", "http://router.asus.com/Main_Analysis_Content.asp", cookie="asus_token=Hq3kV8pN2wZ5xY7bC1dF4gJ6", accept="*/*"),
                     "current_page=Main_Analysis_Content.asp&next_page=Main_Analysis_Content.asp&group_id=&modified=0&action_mode=+Refresh+&action_script="
                     "&action_wait=&first_time=&preferred_lang=EN&SystemCmd=ping+-c+5+www.google.com&firmver=3.0.0.4&cmdMethod=ping&destIP=www.google.com&pingCNT=5",
                     _FORM)),
    ("raw", "", _raw("POST", "/apply.cgi", "192.168.1.1",
                     _nav("http://192.168.1.1/Diagnostics.asp") + ["Authorization: Basic " + _b64("admin:Linksys-Home1")],
                     "submit_button=Diagnostics&change_action=gozila_cgi&submit_type=start_ping&action=&commit=0&ping_ip=www.linksys.com&ping_size=32&ping_times=5&traceroute_ip=",
                     _FORM_NAV)),
    ("raw", "", _raw("POST", "/JNAP/", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/ui/dynamic/home.html", accept="application/json",
                          extra=["X-JNAP-Action: http://linksys.com/jnap/core/Transaction", "X-JNAP-Authorization: Basic " + _b64("admin:Linksys-Home1")]),
                     _js([{"action": "http://linksys.com/jnap/router/GetLANSettings", "request": {}},
                          {"action": "http://linksys.com/jnap/wirelessap/GetRadioInfo", "request": {}},
                          {"action": "http://linksys.com/jnap/firmwareupdate/GetFirmwareUpdateStatus", "request": {}}]),
                     "application/json; charset=UTF-8")),

    # --- routers: OpenWrt / pfSense / OPNsense / MikroTik / Ubiquiti ---
    ("raw", "", _raw("POST", "/cgi-bin/luci/", "192.168.1.1",
                     _nav("http://192.168.1.1/cgi-bin/luci/") + ["Origin: http://192.168.1.1"],
                     "luci_username=root&luci_password=" + _enc("w1ndy-Harbor_42"), _FORM_NAV)),
    ("raw", "", _raw("POST", "/ubus/?1709546122", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/cgi-bin/luci/admin/status/overview", cookie="sysauth_http=" + _UBUS_SID, accept="application/json"),
                     _js([{"jsonrpc": "2.0", "id": 1, "method": "call", "params": [_UBUS_SID, "system", "board", {}]},
                          {"jsonrpc": "2.0", "id": 2, "method": "call", "params": [_UBUS_SID, "luci", "getMountPoints", {}]}]), "application/json")),
    ("raw", "", _raw("POST", "/ubus/?1709546188", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/cgi-bin/luci/admin/network/diagnostics", cookie="sysauth_http=" + _UBUS_SID, accept="application/json"),
                     _js({"jsonrpc": "2.0", "id": 7, "method": "call", "params": [_UBUS_SID, "file", "exec",
                                                                                 {"command": "/bin/ping", "params": ["-4", "-c", "5", "-W", "1", "openwrt.org"]}]}),
                     "application/json")),
    ("raw", "", _raw("POST", "/ubus/?1709546240", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/cgi-bin/luci/admin/system/system", cookie="sysauth_http=" + _UBUS_SID, accept="application/json"),
                     _js([{"jsonrpc": "2.0", "id": 11, "method": "call", "params": [_UBUS_SID, "uci", "set",
                                                                                   {"config": "system", "section": "cfg01e48a", "values": {
                                                                                       "hostname": "OpenWrt-Office", "zonename": "Europe/Berlin",
                                                                                       "timezone": "CET-1CEST,M3.5.0,M10.5.0/3"}}]}]),
                     "application/json")),
    ("raw", "", _raw("GET", "/cgi-bin/luci/admin/network/diag_ping/openwrt.org", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/cgi-bin/luci/admin/network/diagnostics", cookie="sysauth=7c2e9a4f1b8d3e6a0c5f9b2d4e7a1c3f", accept="*/*"))),
    ("raw", "", _raw("POST", "/index.php", "192.168.1.1",
                     _nav("https://192.168.1.1/", ua=_UA_FF, cookie="PHPSESSID=6b1f3e9a2c7d5f8b0e4a6c9d1f3b5e7a") + ["Origin: https://192.168.1.1"],
                     "__csrf_magic=" + _enc("sid:3f9c2a7e1b5d8f4a6c0e9b2d7f1a3c5e8b4d6f0a,1709546122;ip:8a1c4e7b2d9f3a6c0e5b8d1f4a7c2e9b6d3f0a5c,1709546122")
                     + "&usernamefld=admin&passwordfld=" + _enc("pfS3nse!Lab") + "&login=Sign+In", _FORM_NAV)),
    ("raw", "", _raw("POST", "/diag_ping.php", "192.168.1.1",
                     _nav("https://192.168.1.1/diag_ping.php", ua=_UA_FF, cookie="PHPSESSID=6b1f3e9a2c7d5f8b0e4a6c9d1f3b5e7a") + ["Origin: https://192.168.1.1"],
                     "__csrf_magic=" + _enc("sid:3f9c2a7e1b5d8f4a6c0e9b2d7f1a3c5e8b4d6f0a,1709546190")
                     + "&host=dns.quad9.net&ipprotocol=inet&sourceip=&count=3&submit=Ping", _FORM_NAV)),
    ("raw", "", _raw("POST", "/api/core/firmware/check", "opnsense.localdomain",
                     _xhr("https://opnsense.localdomain", "https://opnsense.localdomain/ui/core/firmware", cookie="PHPSESSID=e2b7c91f4a3d6e8b",
                          extra=["X-CSRFToken: WlpzQ2d5cTRmN3JLdk5hMmpUM0h4Zw=="]), "{}", "application/json")),
    ("raw", "", _raw("GET", "/rest/system/resource", "10.0.0.1",
                     ["User-Agent: python-requests/2.31.0", "Accept: */*", "Authorization: Basic " + _b64("monitor:Mikro!T1k"), "Connection: keep-alive"])),
    ("raw", "", _raw("POST", "/rest/ping", "10.0.0.1",
                     ["User-Agent: curl/8.5.0", "Accept: */*", "Authorization: Basic " + _b64("admin:Mikro!T1k")],
                     '{"address":"mikrotik.com","count":"4"}', "application/json")),
    ("raw", "", _raw("POST", "/api/auth/login", "192.168.1.1",
                     _xhr("https://192.168.1.1", "https://192.168.1.1/login?redirect=%2F", accept="application/json, text/plain, */*"),
                     '{"username":"admin","password":"Un1F!-Home","token":"","rememberMe":true}', "application/json")),
    ("raw", "", _raw("GET", "/proxy/network/api/s/default/stat/sta", "192.168.1.1",
                     _xhr("https://192.168.1.1", "https://192.168.1.1/network/default/clients", accept="application/json, text/plain, */*",
                          cookie="TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjc3JmVG9rZW4iOiI2YjJhOWUiLCJ1c2VySWQiOiJhZG1pbiJ9.xQ3v9Lp2mN7rT5wB8yC1dF4gH6jK0sA",
                          extra=["X-CSRF-Token: 6b2a9e4f-1c7d-4e8a-b3f5-9d0c2e7a1b4f"]))),
    ("raw", "", _raw("POST", "/proxy/network/api/s/default/cmd/devmgr", "192.168.1.1",
                     _xhr("https://192.168.1.1", "https://192.168.1.1/network/default/devices", accept="application/json, text/plain, */*",
                          cookie="TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjc3JmVG9rZW4iOiI2YjJhOWUiLCJ1c2VySWQiOiJhZG1pbiJ9.xQ3v9Lp2mN7rT5wB8yC1dF4gH6jK0sA",
                          extra=["X-CSRF-Token: 6b2a9e4f-1c7d-4e8a-b3f5-9d0c2e7a1b4f"]),
                     '{"cmd":"upgrade","mac":"74:ac:b9:12:34:56"}', "application/json")),
    ("raw", "", _raw("POST", "/api/edge/batch.json", "192.168.1.1",
                     _xhr("https://192.168.1.1", "https://192.168.1.1/#Services/DNS", cookie="PHPSESSID=8d3e1f7a2b9c4e6f; X-CSRF-TOKEN=5e9a1c3f7b2d",
                          extra=["X-CSRF-TOKEN: 5e9a1c3f7b2d"]),
                     _js({"SET": {"service": {"dns": {"forwarding": {"cache-size": "400", "name-server": ["1.1.1.1", "9.9.9.9"]}}}},
                          "GET": {"service": {"dns": None}}}), "application/json")),

    # --- VPN appliances (FortiGate SSL-VPN) ---
    ("raw", "", _raw("GET", "/remote/login?lang=en", "vpn.example-corp.com", _nav())),
    ("raw", "", _raw("GET", "/remote/fgt_lang?lang=en", "vpn.example-corp.com",
                     ["User-Agent: " + _UA, "Accept: */*", "Referer: https://vpn.example-corp.com/remote/login?lang=en", "Accept-Language: en-US,en;q=0.9"])),
    ("raw", "", _raw("POST", "/remote/logincheck", "vpn.example-corp.com",
                     _xhr("https://vpn.example-corp.com", "https://vpn.example-corp.com/remote/login?lang=en", accept="*/*"),
                     "ajax=1&username=jdoe&realm=&credential=" + _enc("Spring#2024!"), "text/plain;charset=UTF-8")),

    # --- ISP CPE: Huawei, Sagemcom, ZTE, Realtek, GPON ---
    ("raw", "", _raw("GET", "/api/webserver/SesTokInfo", "192.168.8.1",
                     _xhr("http://192.168.8.1", "http://192.168.8.1/html/home.html", accept="*/*"))),
    ("raw", "", _raw("POST", "/api/user/login", "192.168.8.1",
                     _xhr("http://192.168.8.1", "http://192.168.8.1/html/home.html", accept="*/*",
                          cookie="SessionID=Lk3v9QpXb2mN7rT5wB8yC1dF4gH6jK0sAeUiOoZxYcVbNmQwErTy",
                          extra=["__RequestVerificationToken: Xq8vK3pN9wZ2mL7bR4tY6cF1gJ5sD0aH"]),
                     '<?xml version="1.0" encoding="UTF-8"?><request><Username>admin</Username><Password>'
                     'ZmE0YjJjOGQxZTNmNWE3YjljMGQyZTRmNmE4YjBjMWQzZTVmN2E5YjFjM2Q1ZTdmOWExYg==</Password><password_type>4</password_type></request>',
                     "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("POST", "/cgi/json-req", "192.168.1.1",
                     _xhr("http://192.168.1.1", "http://192.168.1.1/2.0/gui/", accept="application/json, text/javascript, */*; q=0.01"),
                     "req=" + _enc(_js(_SAGEM_REQ)), _FORM)),
    ("raw", "", _raw("POST", "/", "192.168.1.1",
                     _nav("http://192.168.1.1/") + ["Origin: http://192.168.1.1"],
                     "frashnum=&action=login&Frm_Logintoken=2&UserRandomNum=38271&Username=admin&Password=8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918",
                     _FORM_NAV)),
    ("raw", "", _raw("GET", "/getpage.gch?pid=1002&nextpage=status_dev_info_t.gch", "192.168.1.1",
                     _nav("http://192.168.1.1/template.gch", cookie="_TESTCOOKIESUPPORT=1; SID=6a1f3c9e2b7d4f8a"))),
    ("raw", "", _raw("POST", "/login.cgi", "192.168.100.1",
                     _nav("http://192.168.100.1/", cookie="Cookie=body:Language:english:id=-1") + ["Origin: http://192.168.100.1"],
                     "UserName=root&PassWord=" + _enc(_b64("Hua-Fibre!88")) + "&Language=english&x.X_HW_Token=9f3c1a7e5b2d8f4a6c0e", _FORM_NAV)),
    ("raw", "", _raw("POST", "/boaform/admin/formLogin", "192.168.1.1",
                     _nav("http://192.168.1.1/admin/login.asp") + ["Origin: http://192.168.1.1"],
                     "challenge=&username=admin&password=" + _enc("Fibr3Home") + "&save=Login&submit-url=%2Fadmin%2Flogin.asp&postSecurityFlag=27491",
                     _FORM_NAV)),
    ("raw", "", _raw("POST", "/boaform/admin/formPing", "192.168.1.1",
                     _nav("http://192.168.1.1/ping.asp") + ["Origin: http://192.168.1.1"],
                     "target_addr=www.bing.com&waninf=1_INTERNET_R_VID_100&submit-url=%2Fping.asp&postSecurityFlag=41822", _FORM_NAV)),
    ("raw", "", _raw("POST", "/GponForm/LoginForm", "192.168.1.1",
                     _nav("http://192.168.1.1/login.html") + ["Origin: http://192.168.1.1"],
                     "XWebPageName=index&username=admin&password=" + _enc("Gp0n*Home"), _FORM_NAV)),
    ("raw", "", _raw("POST", "/GponForm/diag_Form", "192.168.1.1",
                     _nav("http://192.168.1.1/diag.html") + ["Origin: http://192.168.1.1"],
                     "XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=www.google.com&ipv=0", _FORM_NAV)),

    # --- ISP CPE: AVM FRITZ!Box, TR-064, TR-069, UPnP IGD ---
    ("raw", "", _raw("GET", "/login_sid.lua?version=2", "fritz.box",
                     _xhr("http://fritz.box", "http://fritz.box/", accept="*/*"))),
    ("raw", "", _raw("POST", "/login_sid.lua?version=2", "fritz.box",
                     _xhr("http://fritz.box", "http://fritz.box/", accept="*/*"),
                     "response=" + _enc("2$60000$5f1e8a3c9b2d7e4f6a0c1b3d5e7f9a2c$6000$d4e7a1c3f5b8e2d9a6c0f3b7e1d4a8c2") + "&username=fritz3714", _FORM_NAV)),
    ("raw", "", _raw("POST", "/data.lua", "fritz.box",
                     _xhr("http://fritz.box", "http://fritz.box/", accept="*/*"),
                     "xhr=1&sid=7a3c9e1f5b2d8e40&lang=de&page=overview&xhrId=all&useajax=1&no_sidrenew=", _FORM)),
    ("raw", "", _raw("POST", "/upnp/control/deviceinfo", "fritz.box:49000",
                     ["User-Agent: AVM UPnP/1.0 Client 1.0", "SOAPACTION: urn:dslforum-org:service:DeviceInfo:1#GetInfo",
                      'Authorization: Digest username="homeassistant", realm="F!Box SOAP-Auth", nonce="8A3C5E7F9B1D2E4F", uri="/upnp/control/deviceinfo", '
                      'response="4c9e1a7f3b5d2e8c6a0f9b1d3e5a7c2f", qop=auth, nc=00000001, cnonce="1c8e4a2f"'],
                     _UPNP.format('<u:GetInfo xmlns:u="urn:dslforum-org:service:DeviceInfo:1"></u:GetInfo>'), 'text/xml; charset="utf-8"')),
    ("raw", "", _raw("POST", "/igdupnp/control/WANIPConn1", "fritz.box:49000",
                     ["User-Agent: python-requests/2.31.0", "SOAPAction: urn:schemas-upnp-org:service:WANIPConnection:1#GetExternalIPAddress"],
                     _UPNP.format('<u:GetExternalIPAddress xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1" />'), 'text/xml; charset="utf-8"')),
    ("raw", "", _raw("POST", "/UD/act?1", "192.168.1.1:7547",
                     ["User-Agent: fritzconnection/1.13", "SOAPAction: urn:dslforum-org:service:Time:1#SetNTPServers"],
                     _UPNP.format('<u:SetNTPServers xmlns:u="urn:dslforum-org:service:Time:1"><NewNTPServer1>pool.ntp.org</NewNTPServer1>'
                                  '<NewNTPServer2>time.cloudflare.com</NewNTPServer2></u:SetNTPServers>'), 'text/xml; charset="utf-8"')),
    ("raw", "", _raw("POST", "/cwmpWeb/CPEMgt", "acs.isp-example.net:7547",
                     ["User-Agent: HW_ATP_HTTP", "SOAPAction: \"\"", "Connection: keep-alive"], _TR069_INFORM, "text/xml; charset=\"utf-8\"")),
    ("raw", "", _raw("POST", "/ctl/IPConn", "192.168.1.1:5000",
                     ["User-Agent: Microsoft-Windows/10.0 UPnP/1.0", "SOAPAction: \"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"",
                      "Cache-Control: no-cache"],
                     _UPNP.format('<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewRemoteHost></NewRemoteHost>'
                                  '<NewExternalPort>3074</NewExternalPort><NewProtocol>UDP</NewProtocol><NewInternalPort>3074</NewInternalPort>'
                                  '<NewInternalClient>192.168.1.37</NewInternalClient><NewEnabled>1</NewEnabled>'
                                  '<NewPortMappingDescription>Xbox (3074) UDP</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>'
                                  '</u:AddPortMapping>'), 'text/xml; charset="utf-8"')),

    # --- IP cameras: Hikvision ISAPI ---
    ("raw", "", _raw("GET", "/ISAPI/Security/sessionLogin/capabilities?username=admin", "192.168.1.64",
                     _xhr("http://192.168.1.64", "http://192.168.1.64/doc/index.html", accept="*/*", extra=["If-Modified-Since: 0"]))),
    ("raw", "", _raw("POST", "/ISAPI/Security/sessionLogin?timeStamp=1709546122334", "192.168.1.64",
                     _xhr("http://192.168.1.64", "http://192.168.1.64/doc/index.html", accept="*/*", extra=["If-Modified-Since: 0"]),
                     '<SessionLogin><userName>admin</userName><password>9b1f0c6e4e8b3a2d5c7f1e0a9d8c6b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c</password>'
                     '<sessionID>4c9a1f7e3b2d6e8f0a5c7b9d1e3f5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e</sessionID>'
                     '<isSessionIDValidLongTerm>false</isSessionIDValidLongTerm><sessionIDVersion>2</sessionIDVersion></SessionLogin>',
                     "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("GET", "/ISAPI/System/deviceInfo", "192.168.1.64",
                     _xhr("http://192.168.1.64", "http://192.168.1.64/doc/page/config.asp", accept="*/*", cookie=_HIK_COOKIE, extra=["If-Modified-Since: 0"]))),
    ("raw", "", _raw("PUT", "/ISAPI/System/time", "192.168.1.64",
                     _xhr("http://192.168.1.64", "http://192.168.1.64/doc/page/config.asp", accept="*/*", cookie=_HIK_COOKIE),
                     '<?xml version="1.0" encoding="UTF-8"?><Time version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
                     '<timeMode>NTP</timeMode><timeZone>CST-1:00:00DST01:00:00,M3.5.0/02:00:00,M10.5.0/03:00:00</timeZone></Time>',
                     "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("PUT", "/SDK/webLanguage", "192.168.1.64",
                     _xhr("http://192.168.1.64", "http://192.168.1.64/doc/index.html", accept="*/*"),
                     '<?xml version="1.0" encoding="UTF-8"?><language>English</language>', "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("GET", "/ISAPI/Streaming/channels/101/picture?snapShotImageType=JPEG", "192.168.1.64",
                     ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12",
                      'Authorization: Digest username="admin", realm="IP Camera(D1234)", nonce="4e6a3c2d1b0f9e8d:1709546122", uri="/ISAPI/Streaming/channels/101/picture?snapShotImageType=JPEG", '
                      'response="a7c9e1b3d5f72a4c6e8b0d1f3a5c7e9b", algorithm=MD5, qop=auth, nc=00000001, cnonce="5d2e8f1a"'])),
    ("raw", "", _raw("POST", "/ISAPI/ContentMgmt/search", "192.168.1.100",
                     _xhr("http://192.168.1.100", "http://192.168.1.100/doc/page/playback.asp", accept="*/*", cookie=_HIK_COOKIE),
                     _HIK_SEARCH, "application/x-www-form-urlencoded; charset=UTF-8")),

    # --- IP cameras: Dahua / Amcrest ---
    ("raw", "", _raw("POST", "/RPC2_Login", "192.168.1.108",
                     _xhr("http://192.168.1.108", "http://192.168.1.108/", accept="application/json, text/javascript, */*; q=0.01"),
                     _js({"method": "global.login", "params": {"userName": "admin", "password": "9C1F0E4B7A2D6C8E3F5A1B9D0E7C4A2F", "clientType": "Web3.0",
                                                              "loginType": "Direct", "authorityType": "Default", "passwordType": "Default"},
                          "id": 2, "session": "f3a9c1e7b5d2"}), "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("POST", "/RPC2", "192.168.1.108",
                     _xhr("http://192.168.1.108", "http://192.168.1.108/", accept="application/json, text/javascript, */*; q=0.01",
                          cookie="WebClientSessionID=f3a9c1e7b5d2; username=admin"),
                     _js({"method": "system.multicall", "params": [
                         {"method": "magicBox.getDeviceType", "params": None, "id": 5, "session": "f3a9c1e7b5d2"},
                         {"method": "magicBox.getSoftwareVersion", "params": None, "id": 6, "session": "f3a9c1e7b5d2"},
                         {"method": "configManager.getConfig", "params": {"name": "NTP"}, "id": 7, "session": "f3a9c1e7b5d2"}],
                          "id": 8, "session": "f3a9c1e7b5d2"}), "application/x-www-form-urlencoded; charset=UTF-8")),
    ("raw", "", _raw("GET", "/cgi-bin/configManager.cgi?action=setConfig&NTP.Enable=true&NTP.Address=pool.ntp.org&NTP.Port=123&NTP.TimeZone=13&NTP.UpdatePeriod=60",
                     "192.168.1.108", ["User-Agent: curl/8.5.0", "Accept: */*",
                                       _DAHUA_DIGEST.format("/cgi-bin/configManager.cgi?action=setConfig&NTP.Enable=true&NTP.Address=pool.ntp.org&NTP.Port=123&NTP.TimeZone=13&NTP.UpdatePeriod=60")])),
    ("raw", "", _raw("GET", "/cgi-bin/snapshot.cgi?channel=1&subtype=0", "192.168.1.108",
                     ["User-Agent: BlueIris/5.8.6", "Accept: image/jpeg", _DAHUA_DIGEST.format("/cgi-bin/snapshot.cgi?channel=1&subtype=0")])),
    ("raw", "", _raw("GET", "/cgi-bin/eventManager.cgi?action=attach&codes=[VideoMotion,CrossLineDetection,AlarmLocal]&heartbeat=5", "192.168.1.108",
                     ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12", "Accept: */*",
                      _DAHUA_DIGEST.format("/cgi-bin/eventManager.cgi?action=attach&codes=[VideoMotion,CrossLineDetection,AlarmLocal]&heartbeat=5")])),
    ("raw", "", _raw("GET", "/cgi-bin/mediaFileFind.cgi?action=findFile&object=308911232&condition.Channel=1&condition.StartTime=2024-3-3%2000:00:00&condition.EndTime=2024-3-3%2023:59:59&condition.Types[0]=dav&condition.Flags[0]=Event",
                     "192.168.1.108", ["User-Agent: curl/8.5.0", "Accept: */*",
                                       _DAHUA_DIGEST.format("/cgi-bin/mediaFileFind.cgi?action=findFile&object=308911232")])),

    # --- IP cameras: Axis VAPIX, ONVIF, Foscam, Reolink, others ---
    ("raw", "", _raw("GET", "/axis-cgi/param.cgi?action=list&group=root.Brand,root.Properties.Firmware", "192.168.0.90",
                     ["User-Agent: AXIS Device Manager/5.18", "Accept: */*", "Authorization: Basic " + _b64("root:Ax1s-Cam")])),
    ("raw", "", _raw("GET", "/axis-cgi/param.cgi?action=update&root.Image.I0.Text.TextEnabled=yes&root.Image.I0.Text.String=%25F%20%25T%20Loading%20dock%20%232&root.Image.I0.Text.Position=top",
                     "192.168.0.90", _xhr("http://192.168.0.90", "http://192.168.0.90/camera/index.html", accept="*/*",
                                          extra=["Authorization: Basic " + _b64("root:Ax1s-Cam")]))),
    ("raw", "", _raw("GET", "/axis-cgi/com/ptz.cgi?camera=1&continuouspantiltmove=30,-10&imagerotation=0&timestamp=1709546122334", "192.168.0.90",
                     _xhr("http://192.168.0.90", "http://192.168.0.90/camera/index.html", accept="*/*"))),
    ("raw", "", _onvif_req("/onvif/device_service", "http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime", "<tds:GetSystemDateAndTime/>", secured=False)),
    ("raw", "", _onvif_req("/onvif/device_service", "http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation", "<tds:GetDeviceInformation/>")),
    ("raw", "", _onvif_req("/onvif/Media", "http://www.onvif.org/ver10/media/wsdl/GetStreamUri",
                           "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol>"
                           "</tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetStreamUri>")),
    ("raw", "", _onvif_req("/onvif/PTZ", "http://www.onvif.org/ver20/ptz/wsdl/ContinuousMove",
                           '<tptz:ContinuousMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="0.5" y="0" '
                           'space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace"/></tptz:Velocity><tptz:Timeout>PT1S</tptz:Timeout>'
                           '</tptz:ContinuousMove>', host="192.168.1.108")),
    ("raw", "", _raw("GET", "/cgi-bin/CGIProxy.fcgi?cmd=getDevInfo&usr=admin&pwd=Cam%21Secure9", "192.168.1.50:88",
                     ["User-Agent: Foscam/2.3.4 (iPhone; iOS 17.3.1)", "Accept: */*"])),
    ("raw", "", _raw("POST", "/cgi-bin/api.cgi?cmd=Login", "192.168.1.120",
                     _xhr("http://192.168.1.120", "http://192.168.1.120/", accept="application/json, text/plain, */*"),
                     '[{"cmd":"Login","param":{"User":{"Version":"0","userName":"admin","password":"Re0link&Yard"}}}]', "application/json")),
    ("raw", "", _raw("POST", "/cgi-bin/api.cgi?cmd=GetDevInfo&token=a1b2c3d4e5f6a7b", "192.168.1.120",
                     _xhr("http://192.168.1.120", "http://192.168.1.120/", accept="application/json, text/plain, */*"),
                     '[{"cmd":"GetDevInfo","action":0,"param":{}},{"cmd":"GetAbility","action":0,"param":{"User":{"userName":"admin"}}},'
                     '{"cmd":"CheckFirmware","action":0,"param":{}}]', "application/json")),
    ("raw", "", _raw("GET", "/cgi-bin/hi3510/param.cgi?cmd=getserverinfo&cmd=getnetattr", "192.168.178.21",
                     ["User-Agent: " + _UA, "Accept: */*", "Authorization: Basic " + _b64("admin:instar-garden"),
                      "Referer: http://192.168.178.21/"])),

    # --- NVR / DVR / VMS ---
    ("raw", "", _raw("POST", "/Login.htm", "192.168.1.10",
                     _nav("http://192.168.1.10/") + ["Origin: http://192.168.1.10"], "command=login&username=admin&password=tlJwpbo6", _FORM_NAV)),
    ("raw", "", _raw("POST", "/json", "192.168.1.5:81",
                     ["User-Agent: Blue Iris/1.9.3 CFNetwork/1490.0.4 Darwin/23.2.0", "Accept: */*"],
                     '{"cmd":"camlist","session":"9a1c3e5f7b2d4e6f8a0c"}', "application/json")),
    ("raw", "", _raw("POST", "/zm/index.php", "nvr.home.lan",
                     _nav("https://nvr.home.lan/zm/index.php?view=login") + ["Origin: https://nvr.home.lan"],
                     "__csrf_magic=" + _enc("key:2b9e4f1a7c3d6e8b0a5f9c1d3e7b2a4f,1709546122") + "&action=login&view=console&postLoginQuery=&username=admin&password="
                     + _enc("Zm!nder24"), _FORM_NAV)),
    ("raw", "", _raw("GET", "/zm/cgi-bin/nph-zms?scale=50&width=640px&height=480px&mode=jpeg&maxfps=30&monitor=1&connkey=482911&rand=1709546122", "nvr.home.lan",
                     ["User-Agent: " + _UA, "Accept: image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
                      "Referer: https://nvr.home.lan/zm/index.php?view=watch&mid=1", "Cookie: ZMSESSID=k8p2n6v4r1t9m3q7w5"])),

    # --- NAS: Synology DSM ---
    ("raw", "", _raw("POST", "/webapi/entry.cgi?api=SYNO.API.Auth", "diskstation.local:5001",
                     _xhr("https://diskstation.local:5001", "https://diskstation.local:5001/", accept="*/*"),
                     "api=SYNO.API.Auth&version=7&method=login&session=webui&tabid=41822&enable_syno_token=yes&account=admin&passwd="
                     + _enc("Syn0!Photos") + "&logintype=local&otp_code=&enable_device_token=no&rememberme=0&timezone=%2B01%3A00&client=browser", _FORM)),
    ("raw", "", _raw("POST", "/webapi/entry.cgi", "diskstation.local:5001",
                     _xhr("https://diskstation.local:5001", "https://diskstation.local:5001/", accept="*/*", cookie="id=Hk2xWn9QpZ3bLm7vRt5yC1dF4g; smid=QmN7xK2pW9vL",
                          extra=["X-SYNO-TOKEN: 7bV2qZxN9pLm"]),
                     "offset=0&limit=1000&sort_by=%22name%22&sort_direction=%22ASC%22&action=%22list%22&check_dir=true&additional="
                     + _enc('["real_path","size","owner","time","perm","type","mount_point_type","description","indexed"]')
                     + "&filetype=%22all%22&folder_path=" + _enc('"/photo/2024/Holiday Italy"') + "&api=SYNO.FileStation.List&method=list&version=2", _FORM)),
    ("raw", "", _raw("POST", "/webapi/entry.cgi", "diskstation.local:5001",
                     _xhr("https://diskstation.local:5001", "https://diskstation.local:5001/", accept="*/*", cookie="id=Hk2xWn9QpZ3bLm7vRt5yC1dF4g; smid=QmN7xK2pW9vL",
                          extra=["X-SYNO-TOKEN: 7bV2qZxN9pLm"]),
                     "stop_when_error=false&mode=%22sequential%22&compound="
                     + _enc(_js([{"api": "SYNO.Core.System", "method": "info", "version": 3},
                                 {"api": "SYNO.Core.System.Utilization", "method": "get", "version": 1, "type": "current", "resource": ["cpu", "memory", "network"]},
                                 {"api": "SYNO.Storage.CGI.Storage", "method": "load_info", "version": 1}]))
                     + "&api=SYNO.Entry.Request&method=request&version=1", _FORM)),
    ("raw", "", _raw("POST", "/webapi/entry.cgi?api=SYNO.FileStation.Upload&method=upload&version=2", "diskstation.local:5001",
                     _xhr("https://diskstation.local:5001", "https://diskstation.local:5001/", accept="*/*", cookie="id=Hk2xWn9QpZ3bLm7vRt5yC1dF4g",
                          extra=["X-SYNO-TOKEN: 7bV2qZxN9pLm"]),
                     _mp("----WebKitFormBoundaryS9kQ2vX7pLm4Rt1Z", [("overwrite", "false"), ("path", "/home/Documents/Taxes"), ("create_parents", "true"),
                                                                  ("size", "412"), ("mtime", "1709546122000"),
                                                                  ("file", "Tax Return 2023 (signed).pdf", "application/pdf", _PDF)]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryS9kQ2vX7pLm4Rt1Z")),
    ("raw", "", _raw("POST", "/webapi/entry.cgi", "diskstation.local:5001",
                     _xhr("https://diskstation.local:5001", "https://diskstation.local:5001/", accept="*/*", cookie="id=Hk2xWn9QpZ3bLm7vRt5yC1dF4g",
                          extra=["X-SYNO-TOKEN: 7bV2qZxN9pLm"]),
                     "user_reading=true&need_auto_smallupdate=true&need_promotion=true&api=SYNO.Core.Upgrade.Server&method=check&version=2", _FORM)),
    ("raw", "", _raw("POST", "/webapi/DownloadStation/task.cgi", "diskstation.local:5001",
                     ["User-Agent: DS get/1.9 (Android 14)", "Accept: */*"],
                     "api=SYNO.DownloadStation.Task&version=1&method=create&uri=" + _enc("https://releases.ubuntu.com/22.04.4/ubuntu-22.04.4-live-server-amd64.iso")
                     + "&destination=downloads%2FISO&_sid=Hk2xWn9QpZ3bLm7vRt5yC1dF4g", _FORM_NAV)),

    # --- NAS: QNAP, WD, OMV, Unraid, Nextcloud ---
    ("raw", "", _raw("POST", "/cgi-bin/authLogin.cgi", "192.168.1.20:8080",
                     _xhr("http://192.168.1.20:8080", "http://192.168.1.20:8080/cgi-bin/", accept="*/*"),
                     "user=admin&serviceKey=1&pwd=" + _enc(_b64("Qn4p-Backup!")) + "&remme=1&q_lang=ENG&r=0.38172946", _FORM)),
    ("raw", "", _raw("GET", "/cgi-bin/filemanager/utilRequest.cgi?func=get_list&sid=8k2nq7vx&is_iso=0&list_mode=all&path=%2FMultimedia%2FPhotos%2F2023&dir=ASC&limit=100&sort=filename&start=0&hidden_file=0&_dc=1709546122334",
                     "192.168.1.20:8080", _xhr("http://192.168.1.20:8080", "http://192.168.1.20:8080/cgi-bin/", accept="*/*",
                                                cookie="NAS_USER=admin; NAS_SID=8k2nq7vx; QT=1709546122334"))),
    ("raw", "", _raw("POST", "/cgi-bin/login_mgr.cgi", "wdmycloud.local",
                     _xhr("http://wdmycloud.local", "http://wdmycloud.local/", accept="*/*"),
                     "cmd=wd_login&username=admin&pwd=" + _enc(_b64("WdMyCl0ud!")) + "&port=", _FORM)),
    ("raw", "", _raw("POST", "/rpc.php", "omv.local",
                     _xhr("http://omv.local", "http://omv.local/", accept="application/json, text/plain, */*", cookie="X-OPENMEDIAVAULT-SESSIONID=b2e9c4a7f1d3"),
                     '{"service":"FileSystemMgmt","method":"enumerateFilesystems","params":null,"options":{"updatelastaccess":false}}', "application/json")),
    ("raw", "", _raw("POST", "/update.php", "tower.local",
                     _xhr("http://tower.local", "http://tower.local/Settings/DisplaySettings", accept="*/*", cookie="unraid_8f1e2d3c4b5a=6a9c1e3f5b7d"),
                     "csrf_token=3F8A1C6E9B2D4F70&%23file=dynamix%2Fdynamix.cfg&%23section=display&date=%25c&time=%25R&number=.%2C&unit=C&scale=-1&tabs=1&theme=black",
                     _FORM)),
    ("raw", "", _raw("PROPFIND", "/remote.php/dav/files/alice/Documents/", "cloud.home.lan",
                     ["User-Agent: Mozilla/5.0 (Windows) mirall/3.12.0 (build 20240219) (Nextcloud, windows-10.0.22631 ClientArchitecture: x86_64 OsArchitecture: x86_64)",
                      "Depth: 1", "Authorization: Basic " + _b64("alice:Xk9pQ-2vNm7-Lr4tW-8yBc1")],
                     '<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">'
                     '<d:prop><d:getlastmodified/><d:getetag/><d:getcontenttype/><oc:fileid/><oc:permissions/><oc:size/><nc:has-preview/></d:prop></d:propfind>\n',
                     "application/xml; charset=utf-8")),
    ("raw", "", _raw("POST", "/ocs/v2.php/apps/files_sharing/api/v1/shares", "cloud.home.lan",
                     _xhr("https://cloud.home.lan", "https://cloud.home.lan/apps/files/?dir=/Documents", accept="application/json, text/plain, */*",
                          cookie="oc_sessionPassphrase=Xk2p9Q; nc_session_id=8d1e4f7a2b5c", extra=["OCS-APIRequest: true", "requesttoken: d2E1Zm9vYmFy:Zm9vYmFyYmF6"]),
                     "path=" + _enc("/Documents/Budget 2024.xlsx") + "&shareType=3&permissions=1&password=&expireDate=2024-04-01", _FORM)),

    # --- printers and scanners ---
    ("raw", "", _raw("GET", "/DevMgmt/ProductStatusDyn.xml", "192.168.1.40",
                     ["User-Agent: HP Smart/151.2.1 (Windows 10.0.22631)", "Accept: */*"])),
    ("raw", "", _raw("GET", "/eSCL/ScannerCapabilities", "192.168.1.40",
                     ["User-Agent: sane-airscan/0.99.27", "Accept: */*"])),
    ("raw", "", _raw("POST", "/eSCL/ScanJobs", "192.168.1.40",
                     ["User-Agent: sane-airscan/0.99.27", "Accept: */*"], _ESCL, "text/xml")),
    ("raw", "", _raw("POST", "/ipp/print", "192.168.1.40:631",
                     ["User-Agent: CUPS/2.4.2 (Linux 6.1.0-18-amd64; x86_64) IPP/2.0"],
                     _ipp(0x000B, 1, [(0x47, "attributes-charset", "utf-8"), (0x48, "attributes-natural-language", "en-us"),
                                      (0x45, "printer-uri", "ipp://192.168.1.40:631/ipp/print"), (0x42, "requesting-user-name", "alice"),
                                      (0x44, "requested-attributes", "printer-state"), (0x44, "", "printer-state-reasons"),
                                      (0x44, "", "marker-levels"), (0x44, "", "printer-make-and-model")]),
                     "application/ipp")),
    ("raw", "", _raw("GET", "/general/status.html", "192.168.1.41", _nav("http://192.168.1.41/", cookie="AuthCookie=b9e2c4a7f1d3"))),
    ("raw", "", _raw("GET", "/etc/mnt_info.csv", "192.168.1.41",
                     _nav("http://192.168.1.41/general/information.html?kind=item", cookie="AuthCookie=b9e2c4a7f1d3"))),
    ("raw", "", _raw("POST", "/api/files/local", "octopi.local",
                     _xhr("http://octopi.local", "http://octopi.local/", accept="application/json, text/javascript, */*; q=0.01",
                          extra=["X-Api-Key: 4B9E1F7A3C5D2E8F6A0B9C1D3E5F7A2B"]),
                     _mp("----WebKitFormBoundaryOc7pR2nX9vL4mK1t", [("file", "benchy_0.2mm_PLA_MK3S_1h12m.gcode", "application/octet-stream", _OCTO_GCODE),
                                                                  ("select", "true"), ("print", "false")]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryOc7pR2nX9vL4mK1t")),
    ("raw", "", _raw("POST", "/api/printer/command", "octopi.local",
                     _xhr("http://octopi.local", "http://octopi.local/", accept="application/json, text/javascript, */*; q=0.01",
                          extra=["X-Api-Key: 4B9E1F7A3C5D2E8F6A0B9C1D3E5F7A2B"]),
                     '{"commands":["M104 S215","M140 S60","G28"]}', "application/json; charset=UTF-8")),

    # --- smart home hubs and devices ---
    ("raw", "", _raw("POST", "/api", "192.168.1.2",
                     ["User-Agent: Hue Essentials/1.27 (Android 14)", "Accept: application/json"],
                     '{"devicetype":"hue_essentials#Pixel 7","generateclientkey":true}', "application/json")),
    ("raw", "", _raw("PUT", "/api/Xq8vK3pN9wZ2mL7bR4tY6cF1gJ5sD0aHeUiOo/lights/3/state", "192.168.1.2",
                     ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12", "Accept: application/json"],
                     '{"on":true,"bri":200,"xy":[0.4573,0.41],"transitiontime":4}', "application/json")),
    ("raw", "", _raw("PUT", "/clip/v2/resource/grouped_light/5f3c9a1e-7b2d-4e8f-a6c0-9b1d3e5f7a2c", "192.168.1.2",
                     ["User-Agent: Hue/5.8.0 (iPhone; iOS 17.3.1)", "Accept: application/json", "hue-application-key: Xq8vK3pN9wZ2mL7bR4tY6cF1gJ5sD0aHeUiOo"],
                     '{"on":{"on":false},"dynamics":{"duration":400}}', "application/json")),
    ("raw", "", _raw("POST", "/api/services/light/turn_on", "homeassistant.local:8123",
                     ["User-Agent: curl/8.5.0", "Accept: */*", _HA_TOKEN],
                     '{"entity_id":"light.kitchen","brightness_pct":60,"color_temp_kelvin":3000}', "application/json")),
    ("raw", "", _raw("POST", "/api/config/automation/config/1709546122334", "homeassistant.local:8123",
                     ["User-Agent: " + _UA, "Accept: */*", "Origin: http://homeassistant.local:8123",
                      "Referer: http://homeassistant.local:8123/config/automation/edit/1709546122334", _HA_TOKEN],
                     _js(_HA_AUTOMATION), "application/json")),
    ("raw", "", _raw("GET", "/api/history/period/2024-03-01T00:00:00+00:00?filter_entity_id=sensor.grid_power,sensor.solar_power&end_time=2024-03-04T00:00:00%2B00:00&minimal_response",
                     "homeassistant.local:8123", ["User-Agent: python-requests/2.31.0", "Accept: */*", _HA_TOKEN])),
    ("raw", "", _raw("POST", "/api/webhook/3f9a2c7e1b5d8f4a6c0e9b2d7f1a3c5e8b4d6f0a2c9e1b7d5f3a8c6e0b4d2f9a", "homeassistant.example.net",
                     ["User-Agent: Home Assistant/2024.2.1-13094 (Android 14; Pixel 7)", "Accept: application/json"],
                     _js(_HA_TPL), "application/json; charset=UTF-8")),
    ("raw", "", _raw("GET", "/cm?cmnd=Power%20TOGGLE", "192.168.1.61", ["User-Agent: okhttp/4.12.0", "Accept-Encoding: gzip"])),
    ("raw", "", _raw("GET", "/cm?user=admin&password=T4sm0ta&cmnd=Backlog%20Power1%20ON%3B%20Delay%20600%3B%20Power1%20OFF", "192.168.1.62",
                     ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12", "Accept: */*"])),
    ("raw", "", _raw("GET", "/cm?cmnd=OtaUrl%20http%3A%2F%2Fota.tasmota.com%2Ftasmota%2Frelease%2Ftasmota.bin.gz", "192.168.1.61",
                     ["User-Agent: TasmoAdmin/3.2.0", "Accept: */*"])),
    ("raw", "", _raw("GET", "/rpc/Switch.Set?id=0&on=true&toggle_after=900", "192.168.1.70", ["User-Agent: Shelly/2.4.0 (Android 14)", "Accept: */*"])),
    ("raw", "", _raw("POST", "/rpc", "192.168.1.70", ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12", "Accept: */*"],
                     '{"id":1,"src":"homeassistant","method":"Shelly.GetStatus"}', "application/json")),
    ("raw", "", _raw("GET", "/rpc/Shelly.CheckForUpdate", "192.168.1.70", _xhr("http://192.168.1.70", "http://192.168.1.70/", accept="*/*"))),
    ("raw", "", _raw("POST", "/light/desk_lamp/turn_on?brightness=128&r=255&g=180&b=100&transition=2", "desk-lamp.local",
                     _xhr("http://desk-lamp.local", "http://desk-lamp.local/", accept="*/*"), "", None)),
    ("raw", "", _raw("GET", "/json.htm?type=command&param=switchlight&idx=12&switchcmd=On", "domoticz.local:8080",
                     _xhr("http://domoticz.local:8080", "http://domoticz.local:8080/", accept="application/json, text/plain, */*"))),
    ("raw", "", _raw("GET", "/json.htm?type=command&param=getdevices&filter=light&used=true&order=[Order]&plan=0&lastupdate=1709546000", "domoticz.local:8080",
                     _xhr("http://domoticz.local:8080", "http://domoticz.local:8080/", accept="application/json, text/plain, */*"))),
    ("raw", "", _raw("POST", "/rest/items/Kitchen_Light", "openhab.local:8080",
                     ["User-Agent: openHAB/3.4.0 (iPhone; iOS 17.3.1)", "Accept: application/json", "Authorization: Bearer oh.app.Xq8vK3pN9wZ2mL7bR4tY6cF1gJ5s"],
                     "ON", "text/plain")),
    ("raw", "", _raw("POST", "/MediaRenderer/AVTransport/Control", "192.168.1.80:1400",
                     ["User-Agent: Linux UPnP/1.0 Sonos/76.2-49030 (ACR_iPhone)", 'SOAPACTION: "urn:schemas-upnp-org:service:AVTransport:1#SetAVTransportURI"'],
                     _UPNP.format('<u:SetAVTransportURI xmlns:u="urn:schemas-upnp-org:service:AVTransport:1"><InstanceID>0</InstanceID>'
                                  '<CurrentURI>x-sonosapi-stream:s44491?sid=254&amp;flags=8224&amp;sn=0</CurrentURI><CurrentURIMetaData>'
                                  + _xml_escape(_DIDL) + '</CurrentURIMetaData></u:SetAVTransportURI>'), 'text/xml; charset="utf-8"')),
    ("raw", "", _raw("GET", "/setup/eureka_info?params=version,name,build_info,device_info,net,wifi,setup,settings,opt_in,opencast,multizone&options=detail",
                     "192.168.1.91:8008", ["User-Agent: Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A.240205.004)", "Accept-Encoding: gzip"])),
    ("raw", "", _raw("GET", "/lockAction?nukiId=2a5f9c31&deviceType=0&action=2&nowait=1&token=Xq8vK3", "192.168.1.95:8080",
                     ["User-Agent: HomeAssistant/2024.3.0 aiohttp/3.9.3 Python/3.12", "Accept: */*"])),

    # --- ThinkPHP / FastAdmin / ThinkCMF sites ---
    ("raw", "", _raw("GET", "/index.php?s=/home/article/detail/id/128.html", "www.example-shop.cn",
                     _nav("https://www.example-shop.cn/", cookie="PHPSESSID=u4k8n2p6r1t9m3q7w5e0; think_var=zh-cn"))),
    ("raw", "", _raw("GET", "/index.php?s=captcha&t=0.48193627510398", "www.example-shop.cn",
                     ["User-Agent: " + _UA, "Accept: image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
                      "Referer: https://www.example-shop.cn/index.php?s=/index/user/login.html", "Cookie: PHPSESSID=u4k8n2p6r1t9m3q7w5e0"])),
    ("raw", "", _raw("POST", "/index.php/index/user/login.html", "www.example-shop.cn",
                     _xhr("https://www.example-shop.cn", "https://www.example-shop.cn/index.php/index/user/login.html", cookie="PHPSESSID=u4k8n2p6r1t9m3q7w5e0"),
                     "__token__=8d4c1a7e3b9f2d6c5e0a8b1f4d7c2e9a&account=zhangwei&password=" + _enc("Zw@2024pass") + "&captcha=k7m3&keeplogin=1", _FORM)),
    ("raw", "", _raw("GET", "/aQxWbZtRkY.php/general/attachment/index?sort=id&order=desc&offset=0&limit=10&filter=%7B%7D&op=%7B%7D&_=1709546122334", "admin.example-shop.cn",
                     _xhr("https://admin.example-shop.cn", "https://admin.example-shop.cn/aQxWbZtRkY.php/general/attachment?addtabs=1",
                          cookie="PHPSESSID=p9k3m7n1q5r2t8v4w6; think_var=zh-cn"))),
    ("raw", "", _raw("GET", "/aQxWbZtRkY.php/user/user/index?search=&sort=id&order=desc&offset=0&limit=10&filter="
                     + _enc('{"username":"zhang","createtime":"2024-03-01 00:00:00 - 2024-03-04 23:59:59"}') + "&op="
                     + _enc('{"username":"LIKE","createtime":"RANGE"}') + "&_=1709546130771", "admin.example-shop.cn",
                     _xhr("https://admin.example-shop.cn", "https://admin.example-shop.cn/aQxWbZtRkY.php/user/user?addtabs=1",
                          cookie="PHPSESSID=p9k3m7n1q5r2t8v4w6; think_var=zh-cn"))),
    ("raw", "", _raw("GET", "/index.php?m=Home&c=Goods&a=goodsInfo&id=253", "m.example-shop.cn",
                     _nav("https://m.example-shop.cn/index.php?m=Home&c=Goods&a=goodsList&id=3",
                          ua="Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"))),
    ("raw", "", _raw("GET", "/index.php?g=portal&m=article&a=index&id=5", "www.example-cms.cn", _nav("https://www.example-cms.cn/"))),
    ("raw", "", _raw("POST", "/index.php?s=/api/cart/add", "m.example-shop.cn",
                     _xhr("https://m.example-shop.cn", "https://m.example-shop.cn/index.php?m=Home&c=Goods&a=goodsInfo&id=253", cookie="PHPSESSID=u4k8n2p6r1t9m3q7w5e0"),
                     "goods_id=253&goods_num=2&goods_spec=" + _enc('["12","18"]') + "&form=detail", _FORM)),
    ("raw", "", _raw("POST", "/index.php/api/common/upload", "www.example-shop.cn",
                     _xhr("https://www.example-shop.cn", "https://www.example-shop.cn/index.php/index/user/profile.html", cookie="PHPSESSID=u4k8n2p6r1t9m3q7w5e0"),
                     _mp("----WebKitFormBoundaryTp6xK2nV8qL4mR9w", [("file", "微信图片_20240304101522.jpg", "image/jpeg", _JPEG)]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryTp6xK2nV8qL4mR9w")),

    # --- Laravel applications ---
    ("raw", "", _raw("POST", "/login", "app.example.com",
                     _nav("https://app.example.com/login", cookie=_LV_COOKIE) + ["Origin: https://app.example.com"],
                     f"_token={_LV_TOKEN}&email=jane%40example.com&password=" + _enc("c0rrect-h0rse!") + "&remember=on", _FORM_NAV)),
    ("raw", "", _raw("POST", "/admin/posts/15", "app.example.com",
                     _nav("https://app.example.com/admin/posts/15/edit", cookie=_LV_COOKIE) + ["Origin: https://app.example.com"],
                     f"_method=PUT&_token={_LV_TOKEN}&title=" + _enc("Eloquent: avoiding N+1 with with()") + "&slug=eloquent-avoiding-n-plus-1&body="
                     + _enc("Use eager loading:\n\n```php\n$posts = Post::with('author', 'tags')->where('published', true)->get();\n```\n\nCheck the query log with `DB::enableQueryLog();`.")
                     + "&published=1", _FORM_NAV)),
    ("raw", "", _raw("POST", "/livewire/update", "app.example.com",
                     ["User-Agent: " + _UA, "Accept: */*", "X-Livewire: ", "Origin: https://app.example.com", "Referer: https://app.example.com/contact",
                      "Cookie: " + _LV_COOKIE],
                     _js({"_token": _LV_TOKEN, "components": [{"snapshot": _LW3_SNAPSHOT,
                                                                "updates": {"message": "Hi, the invoice link in my email returns a 404 (order #1042)."},
                                                                "calls": [{"path": "", "method": "submit", "params": []}]}]}),
                     "application/json")),
    ("raw", "", _raw("POST", "/livewire/message/cart-counter", "shop.example.com",
                     ["User-Agent: " + _UA, "Accept: text/html, application/xhtml+xml", "X-Livewire: true", f"X-CSRF-TOKEN: {_LV_TOKEN}",
                      "Origin: https://shop.example.com", "Referer: https://shop.example.com/product/blue-mug", "Cookie: " + _LV_COOKIE],
                     _js({"fingerprint": {"id": "Xk3pQ9vN2mL7", "name": "cart-counter", "locale": "en", "path": "product/blue-mug", "method": "GET", "v": "acj"},
                          "serverMemo": {"children": [], "errors": [], "htmlHash": "5a1c3f2e", "data": {"count": 2, "productId": 118}, "dataMeta": [],
                                         "checksum": "e7b1d3f5a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3"},
                          "updates": [{"type": "callMethod", "payload": {"id": "k9f3", "method": "addToCart", "params": [118, 1]}}]}),
                     "application/json")),
    ("raw", "", _raw("GET", f"/nova-api/users?search=&filters={_NOVA_FILTERS}&orderBy=&orderByDirection=desc&perPage=25&trashed=&page=1&viaResource=&viaResourceId=&viaRelationship=&relationshipType=",
                     "app.example.com", _xhr("https://app.example.com", "https://app.example.com/nova/resources/users", accept="application/json, text/plain, */*",
                                             cookie=_LV_COOKIE, extra=[f"X-XSRF-TOKEN: {_LV_XSRF}"]))),
    ("raw", "", _raw("GET", "/dashboard", "app.example.com",
                     ["User-Agent: " + _UA, "Accept: text/html, application/xhtml+xml", "X-Requested-With: XMLHttpRequest", "X-Inertia: true",
                      "X-Inertia-Version: 207fd484b7c2ceeff7800b8c8a11b3b6", "Referer: https://app.example.com/projects", "Cookie: " + _LV_COOKIE])),
    ("raw", "", _raw("GET", "/api/products?filter[category]=shoes&filter[price_between]=50,100&sort=-created_at&include=images,variants&page[size]=24&page[number]=2",
                     "api.example.com", ["User-Agent: " + _UA, "Accept: application/json", "Origin: https://shop.example.com",
                                         "Authorization: Bearer 17|Qm9rW3v8x1YtZ5N2cJ7pL0dF4sH6gK9aE3iR1uT8"])),
    ("raw", "", _raw("POST", "/broadcasting/auth", "app.example.com",
                     _xhr("https://app.example.com", "https://app.example.com/inbox", accept="application/json, text/plain, */*", cookie=_LV_COOKIE,
                          extra=[f"X-CSRF-TOKEN: {_LV_TOKEN}"]),
                     "socket_id=183923.4481207&channel_name=private-App.Models.User.42", _FORM)),

    # --- vBulletin forums ---
    ("raw", "", _raw("GET", "/showthread.php?t=245612&page=3", "forums.example.org",
                     _nav("https://forums.example.org/forumdisplay.php?f=27", cookie="bb_lastvisit=1709460000; bb_lastactivity=0; bb_sessionhash=3e9a1c7f5b2d8e4a6c0f9b1d3e5a7c2f"))),
    ("raw", "", _raw("POST", "/login.php?do=login", "forums.example.org",
                     _nav("https://forums.example.org/", cookie="bb_lastvisit=1709460000; bb_lastactivity=0") + ["Origin: https://forums.example.org"],
                     "vb_login_username=dave_m&vb_login_password=&vb_login_password_hint=Password&cookieuser=1&s=&securitytoken=guest&do=login"
                     "&vb_login_md5password=7c6a180b36896a0a8c02787eeafb0e4c&vb_login_md5password_utf=7c6a180b36896a0a8c02787eeafb0e4c", _FORM_NAV)),
    ("raw", "", _raw("POST", "/newreply.php?do=postreply&t=245612", "forums.example.org",
                     _nav("https://forums.example.org/newreply.php?do=newreply&p=1843221",
                          cookie="bb_userid=18842; bb_password=9a4f1c7e3b5d2e8a6c0f9b1d3e5a7c2f; bb_sessionhash=3e9a1c7f5b2d8e4a6c0f9b1d3e5a7c2f")
                     + ["Origin: https://forums.example.org"],
                     "title=&message=" + _enc("[QUOTE=dave_m;1843221]Still getting the white page after upgrading to PHP 8.1[/QUOTE]\n\n"
                                              "Check your config.php, the old mysql extension is gone. Mine was:\n\n[PHP]$config['Database']['dbtype'] = 'mysqli';\n"
                                              "$config['Database']['dbname'] = 'forum';[/PHP]\n\nAlso clear the datastore cache.")
                     + "&wysiwyg=0&iconid=0&s=&securitytoken=" + _VB_TOKEN + "&do=postreply&t=245612&p=1843221&specifiedpost=1&posthash=c4e8a2f6b0d3e7a1c5f9b2d6e0a4c8f1"
                     "&poststarttime=1709546100&loggedinuser=18842&multiquoteempty=&sbutton=Submit+Reply&signature=1&parseurl=1&emailupdate=9999", _FORM_NAV)),
    ("raw", "", _raw("POST", "/search.php?do=process", "forums.example.org",
                     _nav("https://forums.example.org/search.php", cookie="bb_userid=18842; bb_sessionhash=3e9a1c7f5b2d8e4a6c0f9b1d3e5a7c2f") + ["Origin: https://forums.example.org"],
                     "query=" + _enc('"Database error" mysqli_connect') + "&titleonly=0&searchuser=&starteronly=0&exactname=1&replyless=0&replylimit=0"
                     "&searchdate=0&beforeafter=after&sortby=lastpost&order=descending&showposts=1&forumchoice%5B%5D=27&childforums=1&dosearch=Search+Now"
                     "&s=&securitytoken=" + _VB_TOKEN + "&searchfromtype=vBForum%3APost&do=process&contenttypeid=1", _FORM_NAV)),
    ("raw", "", _raw("POST", "/ajax/api/content_text/add", "community.example.net",
                     _xhr("https://community.example.net", "https://community.example.net/forum/hardware/routers/98123-archer-c7-wan-drops",
                          cookie="bbsessionhash=5b2d8e4a6c0f9b1d3e5a7c2f3e9a1c7f; bbuserid=4410"),
                     "input%5Bparentid%5D=98123&input%5Btitle%5D=&input%5Brawtext%5D=" + _enc("Same here since firmware 5.1. [URL=\"https://www.tp-link.com/support/download/archer-c7/\"]Rolling back[/URL] fixed it.")
                     + "&input%5Breason%5D=&securitytoken=" + _VB_TOKEN, _FORM)),

    # --- Drupal ---
    ("raw", "", _raw("POST", "/user/login?destination=/node/42%23comment-form", "www.example.org",
                     _nav("https://www.example.org/user/login?destination=/node/42%23comment-form") + ["Origin: https://www.example.org"],
                     "name=editor.anna&pass=" + _enc("Dr#pal-2024") + "&form_build_id=form-Vq3k8_JxR0mYcT2nB5sW9pLh4dF6gA1eZ7uKoIiEy0c&form_id=user_login_form&op=Log+in",
                     _FORM_NAV)),
    ("raw", "", _raw("POST", "/node/add/article?element_parents=field_image/widget/0&ajax_form=1&_wrapper_format=drupal_ajax", "www.example.org",
                     _xhr("https://www.example.org", "https://www.example.org/node/add/article", cookie="SSESS3f5e8a1c9b2d7e4f6a0c1b3d5e7f9a2c=Xk2pQ9vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOo"),
                     _mp("----WebKitFormBoundaryDr8pL2nX9vQ4mK7t", [
                         ("changed", "1709546122"), ("title[0][value]", "Spring open day"),
                         ("files[field_image_0]", "open-day-2024.jpg", "image/jpeg", _JPEG),
                         ("field_image[0][fids]", ""), ("field_image[0][display]", "1"),
                         ("body[0][summary]", ""), ("body[0][value]", "<p>Join us on <strong>March 23</strong> from 10:00 to 15:00.</p>"),
                         ("body[0][format]", "basic_html"),
                         ("form_build_id", "form-Vq3k8_JxR0mYcT2nB5sW9pLh4dF6gA1eZ7uKoIiEy0c"), ("form_token", "Ym9ZxQ3pL7vN2mK9rT5wC1dF4gJ6hA0sEuIoBn8XcVk"),
                         ("form_id", "node_article_form"), ("status[value]", "1"),
                         ("_triggering_element_name", "field_image_0_upload_button"), ("_triggering_element_value", "Upload"), ("_drupal_ajax", "1"),
                         ("ajax_page_state[theme]", "claro"), ("ajax_page_state[theme_token]", "Qm9rW3v8x1YtZ5N2cJ7pL0dF4sH6gK9aE3iR1uT8oQw"),
                         ("ajax_page_state[libraries]", _DR_LIBS)]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryDr8pL2nX9vQ4mK7t")),
    ("raw", "", _raw("POST", "/views/ajax?_wrapper_format=drupal_ajax", "www.example.org",
                     _xhr("https://www.example.org", "https://www.example.org/news?page=1"),
                     "view_name=news&view_display_id=page_1&view_args=&view_path=%2Fnews&view_base_path=news&view_dom_id=9c1e3a5b7d2f4e6a8c0b1d3f5a7e9c2b"
                     "&pager_element=0&page=2&_drupal_ajax=1&ajax_page_state%5Btheme%5D=olivero&ajax_page_state%5Btheme_token%5D="
                     "&ajax_page_state%5Blibraries%5D=" + _enc("core/drupal.ajax,olivero/global-styling,views/views.ajax,views/views.module"), _FORM)),
    ("raw", "", _raw("GET", "/jsonapi/node/article?filter[status]=1&filter[field_tags.name]=events&sort=-created&page[limit]=10&include=field_image,uid&fields[node--article]=title,created,field_image",
                     "www.example.org", ["User-Agent: node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "Accept: application/vnd.api+json"])),
    ("raw", "", _raw("POST", "/node/12/edit", "www.example.org",
                     _nav("https://www.example.org/node/12/edit", cookie="SSESS3f5e8a1c9b2d7e4f6a0c1b3d5e7f9a2c=Xk2pQ9vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOo")
                     + ["Origin: https://www.example.org"],
                     "changed=1709546122&title%5B0%5D%5Bvalue%5D=" + _enc("Opening hours") + "&body%5B0%5D%5Bvalue%5D="
                     + _enc('<p>We are open <strong>Mon&ndash;Fri</strong>.</p><p><img src="/sites/default/files/inline-images/map.png" data-entity-type="file" '
                            'data-entity-uuid="0b7e6a2c-1d3f-4e5a-8b9c-7d6e5f4a3b2c" alt="Map to the front entrance" width="640" height="360"></p>'
                            '<p><a href="mailto:info@example.org?subject=Visit%20request">Book a visit</a></p>')
                     + "&body%5B0%5D%5Bformat%5D=basic_html&form_build_id=form-a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ012345&form_token=Zm9ZxQ3pL7vN2mK9rT5wC1dF4gJ6hA0sEuIoBn8XcVk"
                     "&form_id=node_page_edit_form&status%5Bvalue%5D=1&op=Save", _FORM_NAV)),
    ("raw", "", _raw("POST", "/?q=user/login", "legacy.example.org",
                     _nav("https://legacy.example.org/?q=user") + ["Origin: https://legacy.example.org"],
                     "name=webmaster&pass=" + _enc("0ld-But-G00d") + "&form_build_id=form-Hq2kV8pN4wZ6xY1bC3dF5gJ7lM9nP0rS2tU4vW6xY8z&form_id=user_login&op=Log+in",
                     _FORM_NAV)),
    ("raw", "", _raw("GET", "/index.php?q=taxonomy/autocomplete/field_tags/drup", "legacy.example.org",
                     _xhr("https://legacy.example.org", "https://legacy.example.org/?q=node/add/article", accept="application/json, text/javascript, */*; q=0.01"))),

    # --- WordPress and plugins ---
    ("raw", "", _raw("POST", "/wp-login.php", "blog.example.com",
                     _nav("https://blog.example.com/wp-login.php", cookie="wordpress_test_cookie=WP%20Cookie%20check") + ["Origin: https://blog.example.com"],
                     "log=editor&pwd=" + _enc("Blue-Kettle-91!") + "&rememberme=forever&wp-submit=Log+In&redirect_to=" + _enc("https://blog.example.com/wp-admin/")
                     + "&testcookie=1", _FORM_NAV)),
    ("raw", "", _raw("POST", "/wp-admin/admin-ajax.php", "blog.example.com",
                     _xhr("https://blog.example.com", "https://blog.example.com/wp-admin/post.php?post=42&action=edit",
                          cookie="wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=editor%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
                     "data%5Bwp-refresh-post-lock%5D%5Bpost_id%5D=42&data%5Bwp-refresh-post-lock%5D%5Block%5D=1709546122%3A1&data%5Bwp-refresh-post-nonces%5D%5Bpost_id%5D=42"
                     "&interval=60&_nonce=7c1e9a3f5b&action=heartbeat&screen_id=post&has_focus=true", _FORM)),
    ("raw", "", _raw("POST", "/?wc-ajax=add_to_cart", "shop.example.com",
                     _xhr("https://shop.example.com", "https://shop.example.com/product-category/mugs/", cookie="woocommerce_items_in_cart=1; wp_woocommerce_session_5c0f1a2b=t_9f3c1a%7C%7C1709718922%7C%7C1709715322%7C%7C8a1c4e7b"),
                     "product_sku=MUG-BLU-12&product_id=118&quantity=1", _FORM)),
    ("raw", "", _raw("POST", "/?wc-ajax=update_order_review", "shop.example.com",
                     _xhr("https://shop.example.com", "https://shop.example.com/checkout/", accept="*/*",
                          cookie="woocommerce_items_in_cart=1; wp_woocommerce_session_5c0f1a2b=t_9f3c1a%7C%7C1709718922%7C%7C1709715322%7C%7C8a1c4e7b"),
                     "security=4e8a2c6f0b&payment_method=stripe&country=US&state=CA&postcode=94103&city=San+Francisco&address=" + _enc("1 O'Farrell St, Apt #4")
                     + "&address_2=&s_country=US&s_state=CA&s_postcode=94103&s_city=San+Francisco&s_address=" + _enc("1 O'Farrell St, Apt #4")
                     + "&s_address_2=&has_full_address=true&post_data=" + _enc("billing_first_name=Jane&billing_last_name=O'Neil&billing_company=&billing_country=US"
                                                                               "&billing_address_1=1 O'Farrell St, Apt #4&billing_city=San Francisco&billing_state=CA"
                                                                               "&billing_postcode=94103&billing_phone=(415) 555-0132&billing_email=jane@example.com"
                                                                               "&order_comments=Please leave at the door & ring twice&payment_method=stripe"
                                                                               "&woocommerce-process-checkout-nonce=9b2d6f1a3c&_wp_http_referer=/?wc-ajax=update_order_review"),
                     _FORM)),
    ("raw", "", _raw("POST", "/wp-json/contact-form-7/v1/contact-forms/123/feedback", "www.example.com",
                     ["User-Agent: " + _UA, "Accept: application/json, */*;q=0.1", "Origin: https://www.example.com", "Referer: https://www.example.com/contact/"],
                     _mp("----WebKitFormBoundaryCf7xK2nV8qL4mR9w", [
                         ("_wpcf7", "123"), ("_wpcf7_version", "5.8.7"), ("_wpcf7_locale", "en_US"), ("_wpcf7_unit_tag", "wpcf7-f123-p45-o1"),
                         ("_wpcf7_container_post", "45"), ("_wpcf7_posted_data_hash", ""), ("your-name", "Tom O'Reilly"), ("your-email", "tom@example.net"),
                         ("your-subject", "Order #1042 - \"processing\" for 5 days?"),
                         ("your-message", "Hi,\nmy order still says 'processing'. Tracking link: https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223344556677\nThanks!")]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryCf7xK2nV8qL4mR9w")),
    ("raw", "", _raw("POST", "/wp-json/wp/v2/posts/42/autosaves?_locale=user", "blog.example.com",
                     ["User-Agent: " + _UA, "Accept: application/json, */*;q=0.1", "X-WP-Nonce: 7c1e9a3f5b", "Origin: https://blog.example.com",
                      "Referer: https://blog.example.com/wp-admin/post.php?post=42&action=edit",
                      "Cookie: wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=editor%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"],
                     _js({"id": 42, "title": "How to disable XML-RPC in WordPress", "excerpt": "", "content": _WP_GB_CONTENT}), "application/json")),
    ("raw", "", _raw("POST", "/wp-admin/admin-ajax.php", "shop.example.com",
                     _xhr("https://shop.example.com", "https://shop.example.com/wp-admin/post.php?post=812&action=elementor",
                          cookie="wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=admin%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
                     "action=elementor_ajax&_nonce=a9c3e7b1d5&editor_post_id=812&initial_document_id=812&actions=" + _enc(_EL_ACTIONS), _FORM)),
    ("raw", "", _raw("POST", "/wp-admin/admin-ajax.php", "blog.example.com",
                     _xhr("https://blog.example.com", "https://blog.example.com/wp-admin/customize.php?return=%2Fwp-admin%2Fthemes.php",
                          cookie="wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=admin%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
                     "wp_customize=on&customize_theme=twentytwentyfour&nonce=5f1b9d3a7e&customize_changeset_uuid=6b2e8c4a-1f3d-4e7a-9c5b-0d2f4a6c8e1b"
                     "&customize_autosaved=on&customize_changeset_status=publish&action=customize_save&customize_preview_nonce=2c8e4a6f0b&customize_changeset_data="
                     + _enc(_WP_CUSTOMIZE), _FORM)),
    ("raw", "", _raw("POST", "/xmlrpc.php", "blog.example.com",
                     ["User-Agent: wp-android/24.3", "Accept-Encoding: gzip"],
                     "<?xml version='1.0' ?><methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value><string>editor</string></value></param>"
                     "<param><value><string>Blue-Kettle-91!</string></value></param></params></methodCall>", "text/xml")),
    ("raw", "", _raw("POST", "/wp-admin/async-upload.php", "blog.example.com",
                     ["User-Agent: " + _UA, "Accept: */*", "Origin: https://blog.example.com", "Referer: https://blog.example.com/wp-admin/upload.php",
                      "Cookie: wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=editor%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"],
                     _mp("----WebKitFormBoundaryWpUp2nV8qL4mR9wX", [("name", "IMG_4432.jpg"), ("action", "upload-attachment"), ("_wpnonce", "3e9a1c7f5b"),
                                                                  ("post_id", "42"), ("async-upload", "IMG_4432.jpg", "image/jpeg", _JPEG)]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryWpUp2nV8qL4mR9wX")),
    ("raw", "", _raw("POST", "/wp-cron.php?doing_wp_cron=1709546122.3816740512847900390625", "blog.example.com",
                     ["User-Agent: WordPress/6.4.3; https://blog.example.com", "Accept: */*", "Accept-Encoding: deflate, gzip, br, zstd", "Referer: https://blog.example.com/wp-cron.php?doing_wp_cron=1709546122.3816740512847900390625"],
                     "", None)),
    ("raw", "", _raw("GET", "/?rest_route=/wp/v2/posts&per_page=5&_embed=wp:featuredmedia&_fields=id,title,link,_links", "news.example.net",
                     ["User-Agent: Feedly/1.0 (+http://www.feedly.com/fetcher.html)", "Accept: application/json"])),
    ("raw", "", _raw("GET", "/wp-json/wc/v3/orders?status=processing&per_page=50&after=2024-03-01T00:00:00&orderby=date&order=asc", "shop.example.com",
                     ["User-Agent: ShipStation/1.0", "Accept: application/json",
                      "Authorization: Basic " + _b64("ck_4e8a2c6f0b1d3e5f7a9c2e4b6d8f0a1c3e5b7d9f:cs_9b2d6f1a3c5e7b9d1f3a5c7e9b2d4f6a8c0e1b3d")])),
    ("raw", "", _raw("POST", "/wp-admin/post.php", "blog.example.com",
                     _nav("https://blog.example.com/wp-admin/post.php?post=57&action=edit&classic-editor",
                          cookie="wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=admin%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b")
                     + ["Origin: https://blog.example.com"],
                     "_wpnonce=8c2e6a0f4b&_wp_http_referer=" + _enc("/wp-admin/post.php?post=57&action=edit&classic-editor") + "&user_ID=1&action=editpost"
                     "&originalaction=editpost&post_author=1&post_type=post&original_post_status=draft&post_ID=57&post_title=" + _enc("Our launch, as seen on Twitter")
                     + "&content=" + _enc('Thanks for all the kind words!\n\n<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Congrats to the team on the launch!</p>'
                                          '&mdash; Sam (@sam_dev) <a href="https://twitter.com/sam_dev/status/1765012345678901234?ref_src=twsrc%5Etfw">March 5, 2024</a></blockquote>\n'
                                          '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
                     + "&publish=Publish&post_status=draft&visibility=public", _FORM_NAV)),

    # --- Java: Struts / Confluence / Jira ---
    ("raw", "", _raw("POST", "/portal/login.action", "intranet.example.com",
                     _nav("https://intranet.example.com/portal/login.action", cookie="JSESSIONID=5E1F8A3C9B2D7E4F6A0C1B3D5E7F9A2C") + ["Origin: https://intranet.example.com"],
                     "struts.token.name=token&token=B7X1Q9ZK4M2N8P6R3T5V&username=a.keller&password=" + _enc("Winter2024!") + "&rememberMe=true&__checkbox_rememberMe=true",
                     _FORM_NAV)),
    ("raw", "", _raw("POST", "/portal/customer/save.action", "intranet.example.com",
                     _nav("https://intranet.example.com/portal/customer/edit.action?customer.id=42", cookie="JSESSIONID=5E1F8A3C9B2D7E4F6A0C1B3D5E7F9A2C")
                     + ["Origin: https://intranet.example.com"],
                     "customer.id=42&customer.firstName=Renate&customer.lastName=M%C3%BCller-L%C3%BCdenscheidt&customer.address.street=" + _enc("Hauptstraße 12a")
                     + "&customer.address.city=K%C3%B6ln&customer.address.zip=50667&customer.birthDate=1985-04-12&customer.tags=vip&customer.tags=newsletter"
                     "&__multiselect_customer.tags=&customer.active=true&__checkbox_customer.active=true&struts.token.name=token&token=H2K8P4W6Z1X9C3V7B5N0", _FORM_NAV)),
    ("raw", "", _raw("GET", "/billing/viewInvoice.do?method=view&invoiceId=88812&print=true", "erp.example.com",
                     _nav("https://erp.example.com/billing/listInvoices.do?method=list&status=OPEN", cookie="JSESSIONID=0A1B2C3D4E5F60718293A4B5C6D7E8F9"))),
    ("raw", "", _raw("POST", "/portal/document/upload.action", "intranet.example.com",
                     ["User-Agent: " + _UA, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Origin: https://intranet.example.com",
                      "Referer: https://intranet.example.com/portal/document/new.action", "Cookie: JSESSIONID=5E1F8A3C9B2D7E4F6A0C1B3D5E7F9A2C"],
                     _mp("----WebKitFormBoundaryStr2pL9nX4vQ7mK1t", [("upload", "Quarterly Report Q3 (draft v2).pdf", "application/pdf", _PDF),
                                                                   ("document.title", "Quarterly report Q3"), ("document.category", "FINANCE"),
                                                                   ("struts.token.name", "token"), ("token", "M3N7Q1W5E9R2T6Y0U4I8")]),
                     "multipart/form-data; boundary=----WebKitFormBoundaryStr2pL9nX4vQ7mK1t")),
    ("raw", "", _raw("GET", "/portal/search.action?query=Reisekosten+2024&request_locale=de_DE", "intranet.example.com",
                     _nav("https://intranet.example.com/portal/index.action", cookie="JSESSIONID=5E1F8A3C9B2D7E4F6A0C1B3D5E7F9A2C"))),
    ("raw", "", _raw("GET", "/pages/viewpage.action?pageId=983041&preview=%2F983041%2F983077%2Farchitecture-overview.png", "wiki.example.com",
                     _nav("https://wiki.example.com/display/DEV/Architecture", cookie="JSESSIONID=7C2E9A4F1B8D3E6A0C5F9B2D4E7A1C3F; seraph.confluence=983041%3A5b2d8e4a6c0f"))),
    ("raw", "", _raw("POST", "/rest/api/content", "wiki.example.com",
                     ["User-Agent: Apache-HttpClient/4.5.14 (Java/17.0.10)", "Accept: application/json",
                      "Authorization: Bearer NjYzMTk0NjQ3NzQ5OmK8v2xQ9pL3mN7rT5wB1yC4dF6gH"],
                     _js(_CONF_PAGE), "application/json")),
    ("raw", "", _raw("GET", "/rest/api/2/search?jql=" + _enc('project = WEB AND status in ("In Progress", Review) AND assignee = currentUser() ORDER BY updated DESC')
                     + "&maxResults=50&fields=summary,status,assignee", "jira.example.com",
                     _xhr("https://jira.example.com", "https://jira.example.com/secure/Dashboard.jspa", accept="application/json, text/javascript, */*; q=0.01",
                          cookie="JSESSIONID=9F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=BWP3-NZB2-6EDY-6KH9_a1b2c3d4e5f6_lin"))),
    ("raw", "", _raw("POST", "/rest/api/2/issue", "jira.example.com",
                     ["User-Agent: " + _UA, "Accept: application/json", "X-Atlassian-Token: no-check", "Origin: https://jira.example.com",
                      "Cookie: JSESSIONID=9F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=BWP3-NZB2-6EDY-6KH9_a1b2c3d4e5f6_lin"],
                     _js(_JIRA_ISSUE), "application/json")),

    # --- Java: Spring, JSF, Solr, GeoServer, Jenkins, Liferay ---
    ("raw", "", _raw("POST", "/login", "portal.example.com",
                     _nav("https://portal.example.com/login", cookie="JSESSIONID=B2C4E6A8F0D1E3F5A7C9B1D3E5F7A9C2") + ["Origin: https://portal.example.com"],
                     "username=m.rossi&password=" + _enc("Spr1ng!Time") + "&remember-me=on&_csrf=7f3a9c1e-5b2d-4e8f-a6c0-9b1d3e5f7a2c", _FORM_NAV)),
    ("raw", "", _raw("POST", "/owners/12/pets/new", "petclinic.example.com",
                     _nav("https://petclinic.example.com/owners/12/pets/new", cookie="JSESSIONID=C3D5F7A9B1E2D4F6A8C0B2E4D6F8A1C3") + ["Origin: https://petclinic.example.com"],
                     "id=&name=Leo&birthDate=2021-06-14&type=cat", _FORM_NAV)),
    ("raw", "", _raw("GET", "/owners?lastName=O%27Brien", "petclinic.example.com",
                     _nav("https://petclinic.example.com/owners/find", cookie="JSESSIONID=C3D5F7A9B1E2D4F6A8C0B2E4D6F8A1C3"))),
    ("raw", "", _raw("POST", "/orders", "shop.example.de",
                     _nav("https://shop.example.de/cart", cookie="JSESSIONID=D4E6A8C0F2B4D6E8A0C2F4B6D8E0A2C4") + ["Origin: https://shop.example.de"],
                     "items%5B0%5D.productId=1042&items%5B0%5D.quantity=2&items%5B1%5D.productId=877&items%5B1%5D.quantity=1&shippingAddress.name="
                     + _enc("Jürgen Groß") + "&shippingAddress.street=" + _enc("Königsallee 1") + "&shippingAddress.zip=40212&shippingAddress.city=D%C3%BCsseldorf"
                     "&billingSameAsShipping=true&_billingSameAsShipping=on&_csrf=1a3c5e7f-9b2d-4f6a-8c0e-2b4d6f8a0c1e", _FORM_NAV)),
    ("raw", "", _raw("GET", "/api/orders?page=0&size=20&sort=createdAt,desc&sort=id,asc&status=SHIPPED", "api.example.de",
                     ["User-Agent: " + _UA, "Accept: application/hal+json", "Origin: https://shop.example.de",
                      "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtLnJvc3NpIiwic2NvcGUiOiJvcmRlcnMifQ.c2lnbmF0dXJlLWhlcmU"])),
    ("raw", "", _raw("GET", "/actuator/health/readiness", "10.42.3.17:8081",
                     ["User-Agent: kube-probe/1.28", "Accept: */*", "Connection: close"])),
    ("raw", "", _raw("PATCH", "/api/orders/5512", "api.example.de",
                     ["User-Agent: okhttp/4.12.0", "Accept: application/json",
                      "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3YXJlaG91c2UifQ.c2lnbmF0dXJlLWhlcmU"],
                     '[{"op":"replace","path":"/status","value":"SHIPPED"},{"op":"add","path":"/trackingNumbers/-","value":"1Z999AA10123456784"}]',
                     "application/json-patch+json")),
    ("raw", "", _raw("POST", "/instances", "boot-admin.internal:8080",
                     ["User-Agent: Java-http-client/17.0.10", "Accept: application/json", "Authorization: Basic " + _b64("sba-client:R3g!ster")],
                     _js({"name": "orders-service", "managementUrl": "http://10.42.3.17:8081/actuator", "healthUrl": "http://10.42.3.17:8081/actuator/health",
                          "serviceUrl": "http://10.42.3.17:8080/", "metadata": {"startup": "2024-03-04T10:15:22.481+01:00", "tags.environment": "prod"}}),
                     "application/json")),
    ("raw", "", _raw("POST", "/faces/orders/edit.xhtml", "erp.example.com",
                     _xhr("https://erp.example.com", "https://erp.example.com/faces/orders/edit.xhtml?id=5512", accept="application/xml, text/xml, */*; q=0.01",
                          cookie="JSESSIONID=F6A8C0E2B4D6F8A0C2E4B6D8F0A2C4E6", extra=["Faces-Request: partial/ajax"]),
                     "javax.faces.partial.ajax=true&javax.faces.source=form%3Asave&javax.faces.partial.execute=form&javax.faces.partial.render=form%3Amessages+form%3Atable"
                     "&form%3Asave=form%3Asave&form=form&form%3Acustomer_input=" + _enc("Müller & Söhne GmbH") + "&form%3Acustomer_hinput=311&form%3Anotes="
                     + _enc("Deliver to gate 3 <loading bay>") + "&javax.faces.ViewState=" + _enc("-4875223041887623155:3312779001457112368"), _FORM)),
    ("raw", "", _raw("GET", "/solr/products/select?q=" + _enc('name:"usb c cable" AND inStock:true') + "&fq=" + _enc("price:[10 TO 50]") + "&fq=" + _enc("{!tag=brand}brand:(Anker OR Belkin)")
                     + "&facet=true&facet.field=" + _enc("{!ex=brand}brand") + "&sort=" + _enc("score desc,price asc") + "&rows=20&wt=json", "search.internal:8983",
                     ["User-Agent: Solr[org.apache.solr.client.solrj.impl.HttpSolrClient] 9.4.1", "Accept: application/json"])),
    ("raw", "", _raw("GET", "/geoserver/ows?service=WFS&version=2.0.0&request=GetFeature&typeNames=topp:states&outputFormat=application/json&count=50&CQL_FILTER="
                     + _enc("STATE_NAME IN ('California','Oregon') AND PERSONS > 1000000"), "maps.example.org",
                     ["User-Agent: Mozilla/5.0 QGIS/33400/Windows 11 Version 2009", "Accept: */*"])),
    ("raw", "", _raw("POST", "/job/webapp-deploy/buildWithParameters?BRANCH=release%2F2.4&ENV=staging&DRY_RUN=false", "ci.example.com",
                     ["User-Agent: GitLab/16.9.1", "Accept: */*", "Authorization: Basic " + _b64("deploy-bot:11e4c8a2f6b0d3e7a1c5f9b2d6e0a4c8f1"),
                      "Jenkins-Crumb: 9f3c1a7e5b2d8f4a6c0e9b2d7f1a3c5e"], "", None)),
    ("raw", "", _raw("POST", "/api/jsonws/invoke", "portal.example.net",
                     _xhr("https://portal.example.net", "https://portal.example.net/group/guest/home", accept="application/json, text/javascript, */*; q=0.01",
                          cookie="JSESSIONID=A7B9C1D3E5F7A9B1C3D5E7F9A1B3C5D7; GUEST_LANGUAGE_ID=en_US; COOKIE_SUPPORT=true"),
                     "cmd=" + _enc('{"/announcementsentry/get-entries":{"groupId":20121,"classNameId":0,"classPK":0,"start":0,"end":20}}') + "&p_auth=Xq8vK3pN", _FORM)),

    # --- device and app user agents ---
    ("header:User-Agent", "", "Hik-Connect/5.3.1 (iPhone; iOS 17.3.1; Scale/3.00)"),
    ("header:User-Agent", "", "gSOAP/2.8"),
    ("header:User-Agent", "", "Apache-HttpClient/4.5.14 (Java/17.0.10)"),
    ("header:User-Agent", "", "WordPress/6.4.3; https://blog.example.com"),
    ("header:User-Agent", "", "Home Assistant/2024.2.1-13094 (Android 14; Pixel 7)"),
    ("header:User-Agent", "", "Linux UPnP/1.0 Sonos/76.2-49030 (ZPS40)"),
    ("header:User-Agent", "", "asusrouter-Android-DUTUtil-1.0.0.3.58"),
    ("header:User-Agent", "", "CUPS/2.4.7 (Darwin 23.3.0; arm64) IPP/2.0"),
    ("header:User-Agent", "", "Java/1.8.0_402"),
    ("header:User-Agent", "", "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0; .NET4.0C; .NET4.0E; SmartPSS)"),

    # --- device auth / SOAP / referer headers ---
    ("header:Authorization", "", 'Digest username="admin", realm="IP Camera(D1234)", nonce="4e6a3c2d1b0f9e8d:1709546122", uri="/ISAPI/System/deviceInfo", '
                                 'algorithm=MD5, response="c1e3a5b7d9f2a4c6e8b0d1f3a5c7e9b2", qop=auth, nc=00000002, cnonce="7f3a9c1e"'),
    ("header:SOAPAction", "", '"http://purenetworks.com/HNAP1/GetDeviceSettings"'),
    ("header:SOAPAction", "", "urn:dslforum-org:service:Hosts:1#X_AVM-DE_GetHostListPath"),
    ("header:X-JNAP-Action", "", "http://linksys.com/jnap/router/GetWANStatus3"),
    ("header:Referer", "", "http://192.168.0.1/HQWKZVLNXPOTEDYG/userRpm/PingIframeRpm.htm?ping_addr=8.8.8.8&doType=ping&isNew=new&sendNum=4&pSize=64&overTime=800&trHops=20"),
    ("header:Referer", "", "https://blog.example.com/wp-admin/admin.php?page=wpcf7&post=123&action=edit"),

    # --- device and app cookies ---
    ("cookie", "", _TP_OLD_COOKIE),
    ("cookie", "think_var", "zh-cn"),
    ("cookie", "", "wp-settings-1=libraryContent%3Dbrowse%26editor%3Dtinymce%26posts_list_mode%3Dlist%26mfold%3Do; wp-settings-time-1=1709546122"),
    ("cookie", "", "wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=editor%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
    ("cookie", "", _LV_COOKIE),
    ("cookie", "", "bb_lastvisit=1709460000; bb_lastactivity=0; bb_userid=18842; bb_password=9a4f1c7e3b5d2e8a6c0f9b1d3e5a7c2f"),
    ("cookie", "", "NAS_USER=admin; NAS_SID=8k2nq7vx; QT=1709546122334; NAS_LANG=ENG"),
    ("cookie", "", "DhWebClientSessionID=1183457219; DhWebCookie=%7B%22username%22%3A%22admin%22%2C%22pswd%22%3A%22%22%2C%22talktype%22%3A1%2C%22logintype%22%3A0%7D"),
    ("cookie", "", "Cookie=body:Language:english:id=-1"),
    ("cookie", "", "SPRING_SECURITY_REMEMBER_ME_COOKIE=" + _b64("m.rossi:1712138522000:SHA256:5f3c9a1e7b2d4e8fa6c09b1d3e5f7a2c9e1b7d5f3a8c6e0b4d2f9a1c3e5b7d9f").rstrip("=")),
    ("cookie", "", "JSESSIONID=5E1F8A3C9B2D7E4F6A0C1B3D5E7F9A2C.node2; atlassian.xsrf.token=BWP3-NZB2-6EDY-6KH9_a1b2c3d4e5f6_lin"),

    # --- device and app URL paths ---
    ("path", "", "/ISAPI/Streaming/channels/102/picture?snapShotImageType=JPEG"),
    ("path", "", "/index.php/Home/Goods/goodsList/id/3/sort/sales_sum/sort_asc/desc.html"),
    ("path", "", "/wp-content/plugins/woocommerce/assets/js/frontend/cart-fragments.min.js?ver=8.6.1"),
    ("path", "", "/sites/default/files/styles/large/public/2024-03/open-day-2024.jpg?itok=Qx7_aB3c"),
    ("path", "", "/cgi-bin/CGIProxy.fcgi?cmd=getDevState&usr=viewer&pwd=Viewer%212024"),
    ("path", "", "/browse/WEB-1432?focusedCommentId=88123&page=com.atlassian.jira.plugin.system.issuetabpanels:comment-tabpanel"),
    ("path", "", "/xmlrpc.php?rsd"),
    ("path", "", "/geoserver/wms?service=WMS&version=1.1.0&request=GetMap&layers=topp:states&bbox=-124.73,24.96,-66.97,49.37&width=768&height=330&srs=EPSG:4326&format=image/png"),
    ("path", "", "/forumdisplay.php?f=27&order=desc&sort=lastpost&daysprune=-1"),
    ("path", "", "/axis-cgi/mjpg/video.cgi?resolution=640x480&fps=15&compression=30"),

    # --- uploaded file names (firmware, backups, documents) ---
    ("multipart", "file", "TL-WR841Nv14_EU_0.9.1_4.18_up_boot[201029-rel63906].bin"),
    ("multipart", "file", "digicap.dav"),
    ("multipart", "file", "DSM_DS920+_69057.pat"),
    ("multipart", "file", "FRITZ.Box_7590-07.57.image"),
    ("multipart", "file", "RT-AX86U_3.0.0.4_388_24243-gd83d5e5_ubi.w"),
    ("multipart", "file", "openwrt-23.05.2-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin"),
    ("multipart", "file", "DH_IPC-HX5XXX-Volt_MultiLang_PN_Stream3_V2.800.0000000.7.R.220815.bin"),
    ("multipart", "file", "backup_RT-AX86U_2024-03-04.CFG"),
    ("multipart", "file", "tasmota32.bin.gz"),
    ("multipart", "file", "contact-form-7.5.8.7.zip"),
    ("multipart", "file", "résumé – Jane O'Neil (2024).pdf"),
    ("multipart", "file", "Screenshot 2024-03-04 at 10.15.22.png"),
    ("multipart", "file", "TS-X53B_20240226-5.1.5.2679.img"),

    # --- single values: searches, form fields, JSON bodies ---
    ("query", "q", "RewriteRule ^(.*)$ index.php?s=$1 [QSA,PT,L] thinkphp nginx"),
    ("query", "q", "Archer C7 diagnostic ping 8.8.8.8 request timed out"),
    ("query", "query", "vBulletin 4.2.5 PHP 8 white page config.php"),
    ("query", "q", "${spring.datasource.url} placeholder not resolved in application.yml"),
    ("query", "s", "add_filter('the_content') wpautop"),
    ("query", "q", "hikvision ISAPI /ISAPI/System/deviceInfo 401 digest"),
    ("form", "wl_ssid", "Bill's iPhone <5GHz>"),
    ("form", "wl_wpa_psk", "p@ss;w0rd|Garden&2024$"),
    ("form", "ntp_server", "0.pool.ntp.org 1.pool.ntp.org time.google.com"),
    ("form", "message", "[CODE]location / {\n    try_files $uri $uri/ /index.php?$query_string;\n}[/CODE]\nThat fixed the 404 on Laravel routes for me."),
    ("form", "description", "{code:sql}SELECT id, status FROM orders WHERE status = 'PENDING' AND created_at < now() - interval '1 day';{code}"),
    ("json", "template", "{{ states('sensor.outdoor_temperature') | round(1) }} °C"),
    ("json", "", '{"entity_id":"cover.living_room","position":40}'),
    ("json", "", '{"method":"Switch.Set","id":3,"params":{"id":0,"on":false}}'),
    ("body:text/xml", "onvif", _onvif("<trt:GetSnapshotUri><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetSnapshotUri>")),
    ("body:application/xml", "isapi", '<?xml version="1.0" encoding="UTF-8"?><IrcutFilter version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
                                      '<IrcutFilterType>auto</IrcutFilterType><nightToDayFilterLevel>4</nightToDayFilterLevel></IrcutFilter>'),
]
