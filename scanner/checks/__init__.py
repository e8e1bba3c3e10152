"""Active checks, one module per vulnerability class; PARAM_CHECKS probe injection points, the rest whole sites."""
from __future__ import annotations

from scanner.checks import (cmdi, cookies, crlf, exposed, headers, open_redirect, ptrav, sqli, ssrf, ssti,
                            xss)

# Order matters only for speed: cheap single-request checks first, time-based ones last.
PARAM_CHECKS = (xss, ssti, ptrav, open_redirect, crlf, ssrf, sqli, cmdi)
RESPONSE_CHECKS = (headers, cookies)
ORIGIN_CHECKS = (exposed,)
BY_TYPE = {"xss": xss, "ssti": ssti, "ptrav": ptrav, "open_redirect": open_redirect, "crlf": crlf,
           "ssrf": ssrf, "sqli": sqli, "rce": cmdi}
