"""Scanner fingerprints: user agents, headers and probe paths of known attack tools."""
from __future__ import annotations

TYPE = "scanner"
RULES: list[tuple[str, float, str]] = [
    ("scanner:user_agent", 0.9, r"\b(?:sqlmap|nikto|nmap|masscan|zgrab|acunetix|netsparker|nessus|openvas|w3af|wpscan|dirbuster|gobuster|dirb|wfuzz|ffuf|feroxbuster|nuclei|jaeles|arachni|skipfish|whatweb|havij|pangolin|bsqlbf|commix|xsstrike|dalfox|zap|owasp[ _-]?zap|burp\s*(?:suite|collaborator)|appscan|webinspect|qualys|metasploit|hydra|medusa|brutus|paros|vega|wapiti|sqlninja|jbrofuzz|fimap|joomscan|droopescan|cmsmap|morfeus|zmeu|muieblackcat|crimscanner|netlab360|censys|shodan|project\s*sonar|l9explore|l9tcpid|blackwidow|webshag|uniscan|struts-pwn|jorgee|interactsh)\b"),
    ("scanner:oast_domain", 0.9, r"\b[\w\-]+\.(?:oastify\.com|burpcollaborator\.net|interact\.sh|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com|xss\.ht|bxss\.me)\b"),
    # Spring Boot actuator / Jolokia endpoints that hand out secrets or code execution (heap and thread dumps,
    # resolved environment and config properties, log files, HTTP traces with session cookies, gateway routes, JMX);
    # health, info, metrics and prometheus are what monitoring polls, and stay clean.
    ("scanner:actuator", 0.7, r"/actuator(?:;[^/]*)?/+(?:heapdump|threaddump|env|configprops|jolokia|gateway|logfile|"
     r"httptrace|httpexchanges|trace|shutdown|restart|refresh|sessions|auditevents)(?:[/?;.]|$)|"
     r"/jolokia/+(?:exec|read|write|list|search)\b|(?:^|/)heapdump(?:\.hprof)?(?:[/?;]|$)"),
    ("scanner:probe_path", 0.85, r"nessus_is_probing_you|/nessustest|acunetix-wvs-test|\bwvstest\b|/netsparker-|nikto-test|\bzgrab\b|\bappscan_fingerprint\b|/\.well-known/nuclei"),
]
