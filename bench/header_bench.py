"""What browsers' request headers cost the first time they are seen: Rampart beside a baseline tree and CRS.

Usage: .venv/bin/python bench/header_bench.py [--no-crs] [--baseline-tree DIR] [--requests 2000]
Each request is a browser's GET of a new product page with its own Accept-Language (real locale lists with
q-values), a Referer (the search page it came from) and one of the Accept, Accept-Encoding, Cache-Control and
Sec-Fetch values browsers send. Groups: `distinct` (one engine, its caches as they fill: path, Accept-Language and
most Referers are new each time, the rest repeats), `cold` (the engine's value caches emptied before each request, as
after a cache turnover on a busy sensor: every header is new) and `cookies` (the same requests to a fresh engine, each
also sending Google Analytics and session ids and OneTrust's consent cookie, whose time stamp changes at every page).
Median and mean CPU µs per request (`time.thread_time_ns` around the call); `flagged` counts requests given an attack
verdict (false positives).
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benign_bench import all_results, each_result, system_parser  # noqa: E402

ACCEPT = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "application/json, text/plain, */*", "*/*", "text/css,*/*;q=0.1",
]
ENCODING = ["gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate", "gzip,deflate", "br;q=1.0, gzip;q=0.8, *;q=0.1"]
CACHE = ["max-age=0", "no-cache", None, None]
FETCH = [("navigate", "document", "none"), ("cors", "empty", "same-origin"), ("no-cors", "image", "same-origin"),
         ("navigate", "document", "same-origin")]
WORDS = "red blue wool linen shirt dress boots jacket scarf sale summer winter kids".split()
LOCALES = ("en-US en-GB de-DE de-AT de-CH fr-FR fr-CA fr-BE es-ES es-MX es-AR it-IT pt-BR pt-PT nl-NL nl-BE sv-SE da-DK "
           "nb-NO fi-FI pl-PL cs-CZ sk-SK hu-HU ro-RO bg-BG el-GR tr-TR ru-RU uk-UA he-IL ar-SA fa-IR hi-IN bn-IN ja-JP "
           "ko-KR zh-CN zh-TW zh-HK th-TH vi-VN id-ID ms-MY en-AU en-CA en-IN en-IE en-NZ en-ZA ca-ES eu-ES gl-ES hr-HR "
           "sl-SI sr-RS lt-LT lv-LV et-EE is-IS ga-IE cy-GB").split()


def _language(rnd: random.Random) -> str:
    """An Accept-Language as browsers build it: a few locales, each followed by its bare language, q descending."""
    tags: list[str] = []
    for loc in rnd.sample(LOCALES, rnd.randint(1, 4)):
        tags += [loc, loc.split("-")[0]] if rnd.random() < 0.8 else [loc]
    tags = list(dict.fromkeys(tags))
    step = rnd.choice((0.1, 0.1, 0.2))
    out = [tags[0]] + [f"{t};q={max(0.1, round(1 - step * (i + 1), 1))}" for i, t in enumerate(tags[1:])]
    return rnd.choice((",", ", ")).join(out)


def _cookie(i: int) -> str:
    """What a shop's visitor sends back with request `i`: Google Analytics ids, a session id, OneTrust's consent
    (stamped at each page). Its own random numbers: the requests are the other groups' requests plus this header."""
    rnd = random.Random(i)
    stamp = f"Sat+Nov+28+2026+{10 + i // 3600 % 14}%3A{i // 60 % 60:02d}%3A{i % 60:02d}+GMT%2B0100"
    return (f"_ga=GA1.2.{rnd.randint(10 ** 8, 10 ** 9)}.{rnd.randint(10 ** 9, 2 * 10 ** 9)}; "
            f"sessionid={rnd.getrandbits(128):032x}; OptanonConsent=isGpcEnabled=0&datestamp={stamp}"
            f"&version=202409.1.0&groups=C0001%3A1%2CC0002%3A{rnd.randint(0, 1)}%2CC0003%3A1&hosts="
            f"&consentId={rnd.randint(10 ** 6, 10 ** 7)}-ab12")


def requests(n: int, cookies: bool = False) -> list:
    from sensor.detect.rawrequest import parse_raw

    rnd, seen, out = random.Random(7), set(), []
    while len(out) < n:
        lang = _language(rnd)
        if lang in seen:
            continue
        seen.add(lang)
        mode, dest, site = rnd.choice(FETCH)
        lines = [f"GET /products/{len(out)} HTTP/1.1", "Host: shop.example", f"Accept: {rnd.choice(ACCEPT)}",
                 f"Accept-Language: {lang}", f"Accept-Encoding: {rnd.choice(ENCODING)}",
                 f"Sec-Fetch-Mode: {mode}", f"Sec-Fetch-Dest: {dest}", f"Sec-Fetch-Site: {site}",
                 f"Referer: https://shop.example/search?q={rnd.choice(WORDS)}+{rnd.choice(WORDS)}&page={len(out) % 7 + 1}"]
        cache = rnd.choice(CACHE)
        if cache:
            lines.append(f"Cache-Control: {cache}")
        if cookies:
            lines.append(f"Cookie: {_cookie(len(out))}")
        out.append((lang, parse_raw(("\r\n".join(lines) + "\r\n\r\n").encode())))
    return out


def measure(fn, reqs: list) -> dict:
    flagged, times = 0, []
    for _label, r in reqs:
        t0 = time.thread_time_ns()
        flagged += bool(fn(r))
        times.append(time.thread_time_ns() - t0)
    return {"flagged": flagged, "total": len(reqs), "median_us": statistics.median(times) / 1000,
            "mean_us": statistics.fmean(times) / 1000}


def _n() -> int:
    return int(os.environ.get("HEADER_BENCH_REQUESTS", "2000"))


def groups() -> dict[str, list]:
    reqs = requests(_n())
    return {"distinct": reqs, "cold": reqs, "cookies": requests(_n(), cookies=True)}


def rampart_results() -> dict:
    from sensor.detect import Engine, verdict

    reqs = requests(_n())
    engine = Engine()
    distinct = measure(lambda r: verdict(engine.inspect(r)) == "attack", reqs)

    def cold(r) -> bool:
        engine._cache.clear()
        engine._acache.clear()
        return verdict(engine.inspect(r)) == "attack"

    cold_results = measure(cold, reqs)
    engine = Engine()   # the distinct group again, each request with a shop's cookies
    return {"distinct": distinct, "cold": cold_results,
            "cookies": measure(lambda r: verdict(engine.inspect(r)) == "attack", requests(_n(), cookies=True))}


def main() -> int:
    ap = system_parser(__doc__)
    ap.add_argument("--requests", type=int, default=2000)
    args = ap.parse_args()
    if not args.json:  # (the --baseline-tree child reads the parent's)
        os.environ["HEADER_BENCH_REQUESTS"] = str(args.requests)
    results = all_results(args, __file__, rampart_results, groups, measure)
    if results is None:
        return 0
    print("| group | system | flagged | median CPU µs/req | mean CPU µs/req |")
    print("|---|---|---|---|---|")
    for g, name, r in each_result(results):
        print(f"| {g} | {name} | {r['flagged']} / {r['total']} | {r['median_us']:.1f} | {r['mean_us']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
