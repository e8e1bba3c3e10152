"""Scanner fingerprints: user agents, headers and probe paths of known attack tools."""
from __future__ import annotations

import re
from typing import Any

from core.events import Hit

TYPE = "scanner"
# Header *names* only tools send (Acunetix's AcuSensor handshake, WebInspect's request memos, ratproxy's loop guard);
# their values alone (`enabled`, a hex password) say nothing, and names are no points of their own.
_TOOL_HEADER = re.compile(r"acunetix-[\w-]+|x-(?:scan|request|requestmanager)-memo|x-wipp|x-ratproxy-loop", re.I)


def tool_headers(request: Any) -> list[Hit]:
    """A `scanner:tool_header` hit for the first request header whose name is a tool's own."""
    for name, _value in getattr(request, "headers", ()) or ():
        if _TOOL_HEADER.fullmatch(name):
            return [Hit(type=TYPE, point=["header", name.upper()], value=name[:256], rule="scanner:tool_header", score=0.8)]
    return []

RULES: list[tuple[str, float, str]] = [
    ("scanner:user_agent", 0.9, r"\b(?:sqlmap|nikto|nmap|masscan|zgrab|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|wfuzz|ffuf|feroxbuster|nuclei|jaeles|arachni|skipfish|whatweb|havij|pangolin|bsqlbf|commix|xsstrike|dalfox|zap|owasp[ _-]?zap|burp\s*(?:suite|collaborator)|appscan|webinspect|qualys|metasploit|hydra|medusa|brutus|paros|vega|wapiti|sqlninja|jbrofuzz|fimap|joomscan|droopescan|cmsmap|morfeus|zmeu|muieblackcat|crimscanner|netlab360|censys|shodan|project\s*sonar|l9explore|l9tcpid|blackwidow|webshag|uniscan|struts-pwn|jorgee|interactsh|fuzz\s+faster\s+u\s+fool|dirsearch|dotdotpwn|toata\s+dragostea|grendel-scan|n-stealth|gootkit|"
     r"pmafind|mysqloit|sql\s+power\s+injector|nsauditor|cgichk|webvulnscan|fhscan|cisco-torch|datacha0s|webbandit|hakrawler|"
     r"gospider)\b"),
    ("scanner:oast_domain", 0.9, r"\b[\w\-]+\.(?:oastify\.com|burpcollaborator\.net|interact\.sh|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com|xss\.ht|bxss\.me)\b"),
    # Spring Boot actuator / Jolokia endpoints that hand out secrets or code execution (heap and thread dumps,
    # resolved environment and config properties, log files, HTTP traces with session cookies, gateway routes, JMX);
    # health, info, metrics and prometheus are what monitoring polls, and stay clean.
    ("scanner:actuator", 0.7, r"/actuator(?:;[^/]*)?/+(?:heapdump|threaddump|env|configprops|jolokia|gateway|logfile|"
     r"httptrace|httpexchanges|trace|shutdown|restart|refresh|sessions|auditevents)(?:[/?;.]|$)|"
     r"/jolokia/+(?:exec|read|write|list|search)\b|(?:^|/)heapdump(?:\.hprof)?(?:[/?;]|$)"),
    # strings only a tool writes, wherever it puts them (cookies, parameters, paths)
    # (`androxgh0st` as a whole value: the Androxgh0st botnet's check-in, `0x[]=androxgh0st`, posted to Laravel sites)
    ("scanner:tool_marker", 0.9, r"acunetix[_\-]wvs|\baspectalerts\b|nessus_is_probing_you|w00tw00t\.at\.(?:isc\.sans|blackhats)|^androxgh0st$|"
     r"\bwvs_?test_for_\w+|"
     # a parameter *name* reaching into Confluence's setup state (CVE-2023-22515): only that exploit spells it
     r"^bootstrapStatusProvider\.applicationConfig\."),
    # A site-root archive named for the whole site or a dump (`/www.zip`, `/backup.tar.gz`, `/db.sql`): backup-file
    # wordlists; a site publishes its downloads under names of their own, not as its web root.
    ("scanner:backup_probe", 0.7, r"^/(?:www|wwwroot|web|site|website|backup|backups|htdocs|public_html|html|root|db|"
     r"database|dump|sql|data|old|bak|src|source|code|admin|archive)\.(?:zip|rar|7z|tar|tgz|tar\.gz|tar\.bz2|gz|bz2|sql|"
     r"sql\.gz|bak|old)$"),
    # Development and diagnostics endpoints that run code or hand out internals, and exist in no production route:
    # PHPUnit's eval-stdin (CVE-2017-9841), Laravel Ignition's solution runner (CVE-2021-3129) and Telescope, Symfony's
    # profiler phpinfo, Go's pprof, phpMyAdmin's setup script, Apache's test-cgi. Admin consoles (Tomcat manager,
    # server-status, Solr admin) are used by their owners and stay to the dirbust windows and per-site rules.
    ("scanner:debug_endpoint", 0.8, r"phpunit/(?:phpunit/)?src/util/php/eval-stdin\.php|/_ignition/(?:execute-solution|"
     r"health-check|update-config)|/telescope/(?:requests|telescope-api)|/_profiler/(?:phpinfo|open\?file=)|"
     r"/debug/pprof/(?:goroutine|heap|profile|cmdline|trace|allocs|block|mutex|threadcreate)\b|"
     r"/phpmyadmin/setup/index\.php|/cgi-bin/(?:test-cgi|printenv)(?:[/?]|$)"),
    ("scanner:probe_path", 0.85, r"nessus_is_probing_you|/nessustest|acunetix-wvs-test|\bwvstest\b|/netsparker-|nikto-test|\bzgrab\b|\bappscan_fingerprint\b|/\.well-known/nuclei"),
    # Router and camera firmware endpoints (D-Link HNAP, Boa, GPON, Huawei HG532, TP-Link LuCI `;stok=/locale`, Linksys,
    # Hikvision): on a web site, bots' recon of a device that is not there; on the device, its own UI. Reported, not
    # blocked: the exploits sent to them carry payloads or match the KEV virtual patches (sensor/vpatches).
    ("scanner:device_path", 0.45, r"^/HNAP1(?:[/?]|$)|purenetworks\.com/HNAP1/|^/boaform/|^/GponForm/|^/ctrlt/DeviceUpgrade_|"
     r";stok=/locale|^/(?:tm|hnd)Unblock\.cgi|^/SDK/webLanguage"),
    # Enterprise products' exploited entry points that a site's visitors never ask for, not their consoles: Confluence
    # setup and restore (CVE-2023-22518), Zimbra mboximport (CVE-2022-27925), vCenter uploadova (CVE-2021-21972),
    # MOVEit's `folder_add_by_path` transaction header (CVE-2023-34362), wp-file-manager's connector (CVE-2020-25213),
    # WebLogic wls-wsat/_async (CVE-2017-10271, CVE-2019-2725) and a T3 handshake URL in a header, Jenkins' securityRealm
    # ACL bypass.
    ("scanner:probe_path", 0.8, r"/json/setup-restore(?:-local|-progress)?\.action|/setup/setupadministrator\.action|/service/extension/backup/mboximport|"
     r"/ui/vropspluginui/rest/services/uploadova|\bfolder_add_by_path\b|"
     r"/wp-content/plugins/wp-file-manager/lib/php/connector\.minimal\.php|/wls-wsat/\w+PortType|/_async/AsyncResponseService|"
     r"/securityRealm/user/[^/]+/descriptorByName/|^t3s?://"),
]
