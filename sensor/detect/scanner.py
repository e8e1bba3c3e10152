"""Scanner fingerprints: user agents, headers and probe paths of known attack tools."""
from __future__ import annotations

TYPE = "scanner"
RULES: list[tuple[str, float, str]] = [
    ("scanner:user_agent", 0.9, r"\b(?:sqlmap|nikto|nmap|masscan|zgrab|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|wfuzz|ffuf|feroxbuster|nuclei|jaeles|arachni|skipfish|whatweb|havij|pangolin|bsqlbf|commix|xsstrike|dalfox|zap|owasp[ _-]?zap|burp\s*(?:suite|collaborator)|appscan|webinspect|qualys|metasploit|hydra|medusa|brutus|paros|vega|wapiti|sqlninja|jbrofuzz|fimap|joomscan|droopescan|cmsmap|morfeus|zmeu|muieblackcat|crimscanner|netlab360|censys|shodan|project\s*sonar|l9explore|l9tcpid|blackwidow|webshag|uniscan|struts-pwn|jorgee|interactsh|fuzz\s+faster\s+u\s+fool)\b"),
    ("scanner:oast_domain", 0.9, r"\b[\w\-]+\.(?:oastify\.com|burpcollaborator\.net|interact\.sh|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com|xss\.ht|bxss\.me)\b"),
    # Spring Boot actuator / Jolokia endpoints that hand out secrets or code execution (heap and thread dumps,
    # resolved environment and config properties, log files, HTTP traces with session cookies, gateway routes, JMX);
    # health, info, metrics and prometheus are what monitoring polls, and stay clean.
    ("scanner:actuator", 0.7, r"/actuator(?:;[^/]*)?/+(?:heapdump|threaddump|env|configprops|jolokia|gateway|logfile|"
     r"httptrace|httpexchanges|trace|shutdown|restart|refresh|sessions|auditevents)(?:[/?;.]|$)|"
     r"/jolokia/+(?:exec|read|write|list|search)\b|(?:^|/)heapdump(?:\.hprof)?(?:[/?;]|$)"),
    # strings only a tool writes, wherever it puts them (cookies, parameters, paths)
    ("scanner:tool_marker", 0.9, r"acunetix[_\-]wvs|nessus_is_probing_you|w00tw00t\.at\.(?:isc\.sans|blackhats)|\bwvs_?test_for_\w+"),
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
]
