"""Realistic benign traffic (shop, forum, CMS, SaaS API, browser headers) for measuring detector false positives."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
import zlib

from sensor.detect.rawrequest import RawRequest, parse_raw
from tests.detect.conftest import req

# Every value below was written by hand from knowledge of ordinary web traffic (not taken from any attack corpus).
# Entries are (carrier, key, value); the key is the parameter / JSON field / cookie name the value travels under.
# Carriers: query, form, json, cookie, header:<Name>, path, multipart (the value is an uploaded file's name),
# body:<Content-Type> (the value is the whole body; the key names the endpoint under /api/v1/), raw (the value is the
# whole request as sent: request line, headers, blank line, body; the key is unused).
# A `json` value that is itself a JSON object/array document is sent as the whole body (an API call).
# A `path` value starting with "/" is the whole URL path; otherwise it becomes one segment under a plausible prefix.
# A `cookie` value of the form "name=value" is sent as that cookie; otherwise (base64 padding `…==` included) it goes
# under the entry's key.


def _b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def _jwt(payload: dict, alg: str = "HS256", kid: str | None = None) -> str:
    """A well-formed JWT as identity providers issue them (signature is an HMAC over a fixed test key)."""
    head = {"alg": alg, "typ": "JWT"}
    if kid:
        head["kid"] = kid
    signing = _b64url(json.dumps(head, separators=(",", ":")).encode()) + "." + \
        _b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = hmac.new(b"wild-benign-test-key", signing.encode(), hashlib.sha256).digest()
    if alg.startswith("RS"):
        sig = sig * 8  # RS256 signatures are 256 bytes
    return signing + "." + _b64url(sig)


def _tok(seed: str, n: int = 32, alphabet: str = "hex") -> str:
    """Deterministic random-looking token (session ids, CSRF tokens) derived from a seed."""
    raw = hashlib.sha512(seed.encode()).digest() * 4
    if alphabet == "hex":
        return raw.hex()[:n]
    if alphabet == "b64":
        return base64.b64encode(raw).decode()[:n]
    return _b64url(raw)[:n]


def _saml_request() -> str:
    """A SAML AuthnRequest as the HTTP-Redirect binding sends it: raw-deflated XML, base64."""
    xml = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
           'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" '
           'Version="2.0" IssueInstant="2024-06-01T12:34:56Z" '
           'AssertionConsumerServiceURL="https://sp.example.org/saml/acs">'
           '<saml:Issuer>https://sp.example.org/metadata</saml:Issuer>'
           '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>'
           '</samlp:AuthnRequest>')
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(xml.encode()) + c.flush()).decode()


def _uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


_E = list[tuple[str, str, str]]


def _g(carrier: str, key: str, values: list[str]) -> _E:
    return [(carrier, key, v) for v in values]


# --- e-commerce search box (GET /search?q=...)
SHOP_SEARCH: _E = _g("query", "q", [
    "running shoes", "men's running shoes size 10", "women's waterproof jacket", "kids' rain boots",
    'tv 55"', 'monitor 27" 4k', '27" iMac stand', "2x4 lumber 8'", "5'11\" mattress topper", "5' x 8' area rug",
    "3/4 inch plywood", "1/2\" copper pipe fittings", "m&m's party pack", "ben & jerry's cookie dough",
    "salt & pepper grinder set", "cat & dog toys", "black & decker drill", "procter & gamble", "h&m jeans",
    "at&t prepaid sim", "AT&T", "johnson & johnson baby shampoo", "dolce & gabbana light blue",
    "usb-c to usb-c cable 2m", "hdmi 2.1 cable", "iphone 15 pro max case", "samsung galaxy s24+ screen protector",
    "airpods (3rd generation)", "lego 42115", "nike air max 90 - white/black", "levi's 501 w32 l34",
    "coffee grinder burr", "l'oréal paris shampoo", "l'occitane hand cream", "dr. martens 1460",
    "o'neill wetsuit 4/3", "tommy hilfiger polo (slim fit)", "24\" x 36\" poster frame", "12-pack paper towels",
    "#2 pencils", "100% cotton t-shirt", "vitamin d3 1000 iu", "gluten-free pasta", "50% off", "sale -50%",
    "gift card $50", "£20 gift voucher", "€ 15 voucher", "organic baby formula stage 1", "protein bar 20g",
    "wireless mouse + keyboard combo", "table lamp (brass)", "desk 120x60", "4k 144hz monitor", "rtx 4070 ti",
    "ssd 1tb nvme m.2", "ram ddr5 32gb (2x16gb)", "office chair lumbar support", "select comfort pillow",
    "union jack flag", "drop leaf table", "delete key keyboard cover", "update kit for printer", "insert tray",
    "exec chair", "table and chairs set", "bedside table or nightstand", "where the crawdads sing",
    "order of the phoenix hardcover", "the union of the rings", "alter ego perfume", "grant thornton audit guide",
    "drop earrings gold", "sleep mask", "benchmark scale", "char siu sauce", "ls2 helmet full face",
    "script font stencil", "alert whistle", "cat litter", "ping golf driver",
    "nc state hoodie", "echo dot 5th gen", "id card holder",
    "sudoku puzzle book", "kill bill vol. 1 dvd", "bash boots", "shell necklace", "rm williams boots",
    "1 or 2 seater sofa", "x-men 97 figure", "<3 valentine card", "smile :) mug",
])

# --- product titles / descriptions as a shop admin or marketplace API receives them
PRODUCTS: _E = _g("json", "name", [
    'Samsung 55" Class QLED 4K Q60C', "Apple MacBook Air 13.6\" M2 (8GB/256GB) - Midnight",
    "Lodge 10.25\" Cast Iron Skillet", "Herman Miller Aeron Chair, Size B", "Ben & Jerry's Phish Food 465ml",
    "Levi's® 511™ Slim Fit Jeans", "Kiehl's Ultra Facial Cream 50 ml", "Crocs Classic Clog – Unisex",
    "Bose QuietComfort 45 (Black)", "Anker 737 Power Bank (PowerCore 24K)", "Dyson V15 Detect Absolute",
    "KitchenAid 5-Qt. Artisan Stand Mixer", "Le Creuset Signature 5½ qt Round Dutch Oven",
    "Philips Hue White & Color Ambiance Starter Kit", "Nintendo Switch – OLED Model w/ White Joy-Con",
    "Sony WH-1000XM5 | Wireless Noise Cancelling", "Pack of 3 - Men's Boxer Briefs (M/L)",
    "Table Runner 14\" x 72\" - Linen", "Select Series Dishwasher 24\"", "Drop-in Bathroom Sink, 19-1/4\" x 16-1/4\"",
    "Union Square Tote Bag", "Union Made Work Shirt", "Alert Pro Smoke Detector (2-pack)",
    "Script Lettering Wall Decal - \"Home Sweet Home\"", "Cat6 Ethernet Cable 10ft (3m) – Blue",
    "USB 3.0 Hub, 4-Port; Aluminium", "Rock 'n' Roll T-Shirt", "Kids' Pyjamas – Age 4/5", "Mr. & Mrs. Mugs",
    "Women's Wool Coat (UK 12 / EU 40)", "Mattress Protector, King (76\" x 80\")",
])

PRODUCT_DESCRIPTIONS: _E = _g("form", "description", [
    "Made from 100% organic cotton. Machine wash cold; tumble dry low.",
    "Fits 13\"-15\" laptops. Dimensions: 40 x 30 x 12 cm (approx.)",
    "Includes: 1 x charger, 1 x USB-C cable, 1 x quick start guide.",
    "Select your size from the drop-down menu, then click \"Add to cart\".",
    "Note: colours may vary slightly from the image shown on your screen.",
    "Weight: 2.4 kg / 5.3 lbs. Max load 120 kg (265 lbs).",
    "Compatible with iPhone 12/13/14 & AirPods. Not for Android < 10.",
    "Water resistant to 50 m (5 ATM) – not suitable for diving.",
    "Set of 4 wine glasses, 350 ml each. Dishwasher-safe (top rack only).",
    "Use code SUMMER24 at checkout for 10% off orders over $75*. *Exclusions apply.",
])

# --- names and addresses (checkout, account forms)
PEOPLE: _E = (
    _g("form", "last_name", ["O'Brien", "D'Angelo", "O'Connor-Smith", "van der Berg", "de la Cruz", "Müller",
                             "Nuñez", "Ó Súilleabháin", "Al-Rashid", "N'Diaye", "D'Souza", "St. John", "Smith Jr.",
                             "McDonald's", "Mc'Kay", "Dell'Acqua", "L'Estrange", "Łukasiewicz", "Øvergaard"])
    + _g("form", "full_name", ["Mary-Jane O'Neil", "Dr. Ann-Marie D'Arcy, PhD", "José María Pérez-Reverte",
                               "Zoë Saldaña", "François L'Heureux", "Renée O'Hara (née Smith)", "李小龙",
                               "محمد بن سلمان", "Jean-Luc Picard", "Björn Ångström", "Siobhán Ní Bhriain"])
    + _g("form", "address_line1", ["12 O'Connell Street", "221B Baker Street", "Flat 3/2, 14 Byres Rd",
                                   "1600 Amphitheatre Pkwy", "350 Fifth Ave, Suite #3400", "Apt. 5-B, 10 Main St.",
                                   "c/o Acme Ltd, Unit 7", "PO Box 1234", "Rue de l'Église 8", "Straße des 17. Juni 135",
                                   "ul. Marszałkowska 1/23", "Via dell'Orso 3", "12 Rue d'Alésia",
                                   "4 Privet Drive; Little Whinging", "Corner of 5th & Main", "Unit 1 - 3, Drop Lane",
                                   "3 Union Street", "Table Bay Blvd", "Select House, 7 Order Road"])
    + _g("form", "address_line2", ["Building \"C\", 2nd floor", "Attn: Accounts Payable", "Gate code #4512",
                                   "Leave at back door (dog is friendly!)", "Ring bell twice; no answer? call me",
                                   "Behind the red & white shop", "Floor 3 – Room 301/302"])
    + _g("form", "city", ["Coeur d'Alene", "Val-d'Or", "Land O' Lakes", "St. John's", "Winston-Salem",
                          "Saint-Jean-sur-Richelieu", "Kraków", "São Paulo", "Düsseldorf", "Llanfair­pwll", "Zürich"])
    + _g("form", "postcode", ["SW1A 1AA", "EC1V 9HX", "10115", "75001", "00-950", "02134-1234", "H3Z 2Y7", "2000"])
    + _g("form", "company", ["Procter & Gamble", "AT&T Inc.", "Barnes & Noble", "Ernst & Young (EY)",
                             "Marks & Spencer plc", "O'Reilly Media, Inc.", "Toys \"R\" Us", "Yahoo!", "E*TRADE",
                             "Macy's", "Dunkin'", "1-800-Flowers.com", "Select Software GmbH & Co. KG",
                             "Union Pacific", "Drop Inc.", "Cat Footwear", "Script & Seal Ltd"])
    + _g("form", "email", ["o'brien@example.com", "jane.doe+newsletter@gmail.com", "first.last@sub.example.co.uk",
                           "user_name-123@example.org", "info@müller.de", "a.b.c@d-e.example"])
)

# --- multilingual free text
MULTILINGUAL: _E = (
    _g("query", "q", ["chaussures de course homme", "café crème", "pâte à tartiner", "l'été dernier",
                      "qu'est-ce que c'est ?", "Größe 42 – Herrenschuhe", "Straßenbahn Fahrplan",
                      "Bücher über Geschichte", "zażółć gęślą jaźń", "buty do biegania męskie",
                      "książka \"Pan Tadeusz\"", "手机壳 iPhone 15", "无线耳机 降噪", "ワイヤレスイヤホン", "노트북 가방",
                      "هاتف سامسونج", "سماعات لاسلكية", "телефон самсунг", "кроссовки мужские 43",
                      "zapatos de niña", "¿dónde está mi pedido?", "ração para cães", "सस्ते जूते",
                      "Ελληνικά βιβλία", "שמלת ערב", "ขายรองเท้า", "ördek yumurtası", "naïve café résumé"])
    + _g("form", "comment", ["C'est vraiment génial, j'adore ! 😍", "Très bon produit, livraison rapide 👍",
                             "Das Produkt ist super – würde es wieder kaufen.",
                             "Nie polecam; paczka przyszła uszkodzona :(", "Świetna jakość, szybka wysyłka!",
                             "质量很好，物流也快。", "非常满意！五星好评⭐⭐⭐⭐⭐", "المنتج رائع والتوصيل سريع",
                             "Отличный товар, рекомендую!", "Muy buen producto; llegó antes de lo esperado.",
                             "Ottimo prodotto, l'ho già consigliato agli amici.", "🔥🔥🔥 best purchase ever 🙌",
                             "Love it ❤️❤️", "👨‍👩‍👧‍👦 family pack was perfect", "10/10 would buy again 💯"])
    + _g("json", "message", ["Bonjour, pourriez-vous m'envoyer la facture ? Merci d'avance.",
                             "Guten Tag, ich hätte gern eine Rückerstattung für Bestellung #12345.",
                             "Dzień dobry, kiedy będzie dostępny rozmiar M?", "你好，请问什么时候发货？",
                             "こんにちは、注文をキャンセルしたいです。", "مرحبا، أريد تغيير عنوان التوصيل"])
)

# --- forum / review / support prose that naturally contains SQL, shell or HTML words
PROSE: _E = _g("form", "comment", [
    "Please select the best option from the list below.", "Select all that apply.",
    "Drop me a line if you have questions!", "Feel free to drop by the store anytime.",
    "I'll update the firmware; then restart the router.", "I'll update it; then restart.",
    "a < b but b > c", "x = 1 or 2", "if x > 5 and y < 3 then it's fine", "1 + 1 = 2",
    "It's 5 o'clock somewhere", "Don't forget to insert the batteries (AA) first.",
    "Union members voted to strike on Friday.", "The table was wobbly, so we returned it.",
    "Delete my account, please.", "Please delete the old address from my profile.",
    "I want to drop the class but keep the lab.", "Where do I update my payment details?",
    "Order by phone or online – whichever you prefer.", "Group by size, then sort by price.",
    "My kid's school has a 'no nuts' policy", "She said \"it's fine\" and left.",
    "It's not 'broken', it's just 'different' :)", "We're #1 in customer service!",
    "Cat & dog owners will love this.", "Rock & roll never dies", "Tom & Jerry marathon tonight",
    "R&D team says it'll ship in Q3", "Q&A session at 3pm", "Terms & Conditions apply",
    "Is it safe to sleep with the window open?", "I need more sleep (at least 8 hours).",
    "Benchmark results were great: 120 fps at 1440p.", "Exec summary attached -- see p. 3.",
    "Run, don't walk, to get this deal!", "Kill two birds with one stone.", "Ping me when it's ready.",
    "Just echo what the manual says.", "Grab a cat nap if you can.", "She can't find her keys; again.",
    "Wait... what? That's $20 more than last week!", "Price went from $19.99 -> $24.99 (ugh)",
    "Temperature: -5 °C to +30 °C", "Ratio is 3:2 (width:height).", "Use 2-3 drops per cup.",
    "Buy 2, get 1 free (lowest price item).", "Shipping to AK/HI may take 5–7 days.",
    "Tried it w/ & w/o the filter – no difference.", "Is this compatible with Windows 11 and/or macOS?",
    "Please don't <3 my post lol", "I <3 this store!!!", ">>> see above <<<", "-- Sent from my iPhone",
    "The select committee meets on Tuesday.", "Insert coin to continue... just kidding.",
    "We had to alter the dress (hem + sleeves).", "Can I change the order from 2 to 3 units?",
    "Where can I find the \"union\" adapter for the hose?", "1=1 is always true, right?",
    "It's either this or that; or both.", "Hi, I'm O'Malley from accounts; call me back?",
    "Item arrived with a dent (see photo) -- refund or replacement?",
    "Admin: please remove the spam post above.", "Replace '&' with 'and' in the title.",
    "What's the difference between 'null' and 'undefined'?", "Set the value to true/false in settings.",
    "Sort order: newest -> oldest", "Filter by: price < $50", "Rating >= 4 stars only", "size=M & colour=blue",
    "Hey @jane, see #42 for details.", "Call 555-0100 ext. 23 between 9-5.", "Password must be 8+ chars.",
    "Love the new update!! The app doesn't crash anymore.", "Version 2.0 -> 2.1 changelog: bug fixes",
    "He's 6'2\" and the XL fit perfectly.", "My daughter is 4'10\" – size 12 was right.",
    "The 'Select' button is greyed out on checkout.", "The 'Drop' collection sold out in minutes.",
    "My cat's name is Script, don't ask.",
    "I work in IT; sysadmin by trade, cook by passion.", "Tip: wipe with a damp cloth, then dry.",
    "Not bad... not great either. 3/5", "Best. Purchase. Ever.", "Meh.", "???", "!!!", "N/A", "-",
    "See you at 10:30 -- don't be late!", "I'll be there @ 7pm; save me a seat.",
    "Only 1 in 10 people know this trick", "Return window: 30 days (60 for members).",
    "Why did my order #A-10293 say 'cancelled'?", "I ordered the wrong size (S instead of M) :(",
])

# --- rich text a CMS / forum accepts: Markdown and a safe HTML subset
RICH_TEXT: _E = (
    _g("form", "body", [
        "# Release notes\n\n- Fixed login bug\n- Improved *performance*\n", "**Bold** and _italic_ text",
        "See [our docs](https://docs.example.com/start) for more.", "![diagram](/uploads/2024/06/diagram.png)",
        "> Quoted reply\n\nI agree with this.", "1. First\n2. Second\n3. Third",
        "Inline `code` in a sentence.", "| Size | Price |\n|------|-------|\n| S | $10 |\n| M | $12 |",
        "~~old price~~ new price", "- [x] done\n- [ ] todo", "Line one  \nLine two", "---\n\nHorizontal rule above",
        "Footnote here[^1]\n\n[^1]: The footnote.", "Email me: <jane@example.com>", "Autolink <https://example.com>",
    ])
    + _g("form", "content", [
        "<p>Hello <b>world</b>!</p>", "<p>Our <strong>summer sale</strong> starts <em>today</em>.</p>",
        '<p>Read the <a href="https://blog.example.com/2024/06/sale">announcement</a>.</p>',
        '<img src="/media/banner.png" alt="">', '<img src="/x.png" alt="Red shoes, side view" width="600" height="400">',
        "<ul><li>Fast shipping</li><li>Free returns</li></ul>", "<h2>FAQ</h2><p>Q: Do you ship abroad?<br>A: Yes.</p>",
        '<blockquote cite="https://example.org/quote">Less is more.</blockquote>', "<p>Line&nbsp;one<br/>Line two</p>",
        "<table><tr><th>Size</th><th>EU</th></tr><tr><td>M</td><td>48</td></tr></table>",
        '<p style="text-align: center;">Centered text</p>', '<span class="highlight">New!</span>',
        '<a href="mailto:support@example.com">Contact support</a>', '<a href="/account/orders" title="My orders">Orders</a>',
        "<p>5 &lt; 10 &amp;&amp; 10 &gt; 5</p>", "<p>&copy; 2024 Example Ltd. All rights reserved.</p>",
        "<p>Price: &pound;20 &ndash; &euro;23</p>", "<h1>Welcome</h1>\n<p>Select a category to start.</p>",
        '<figure><img src="https://cdn.example.com/i/42.jpg" alt="Product"><figcaption>Front</figcaption></figure>',
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" target="_blank" rel="noopener">Video</a></p>',
        "<p>Drop us a line &mdash; we reply fast.</p>",
        "<ol><li>Select size</li><li>Add to cart</li><li>Checkout</li></ol>", "<hr><p><small>Terms apply</small></p>",
        '<p><abbr title="HyperText Markup Language">HTML</abbr> basics</p>', "<p>H<sub>2</sub>O and E=mc<sup>2</sup></p>",
    ])
    + _g("json", "html", [
        "<p>Thanks for your order, <b>Jane</b>!</p>", '<div class="note"><p>Ships in 2&ndash;3 days</p></div>',
        '<p><img src="/static/emoji/smile.png" alt=":)" class="emoji"></p>',
    ])
)


def _api_docs() -> list[str]:
    docs = [
        {"order": {"id": _uuid("order-1"), "created_at": "2024-06-01T12:34:56.789Z", "currency": "EUR",
                   "items": [{"sku": "TSH-BLK-M", "qty": 2, "unit_price": 19.99},
                             {"sku": "MUG-001", "qty": 1, "unit_price": 8.5}],
                   "shipping": {"name": "Siobhán O'Brien", "line1": "12 O'Connell St", "city": "Dublin",
                                "postcode": "D01 F5P2", "country": "IE"},
                   "gift": False, "note": "Please leave with neighbour at #14 if I'm out"}},
        {"email": "jane.doe@example.com", "password": "C0rrect-Horse-Battery!", "remember_me": True},
        {"username": "mike_o'neil", "password": "P@ss'w0rd\"2024", "otp": "492817"},
        {"query": "laptop", "filters": {"brand": ["Dell", "HP", "Lenovo"], "price": {"min": 300, "max": 1200},
                                         "in_stock": True}, "sort": "-rating", "page": 2, "per_page": 24},
        {"event": "page_view", "ts": 1717245296123, "props": {"path": "/products/select-shoes", "referrer": "",
                                                               "title": "Select Shoes | Shop"}},
        [{"op": "replace", "path": "/profile/display_name", "value": "D'Angelo"},
         {"op": "add", "path": "/tags/-", "value": "vip"}, {"op": "remove", "path": "/tags/0"}],
        {"data": {"type": "articles", "id": "42", "attributes": {"title": "How to select a laptop in 2024",
                                                                 "body": "Drop the specs sheet; look at benchmarks."}}},
        {"customer": {"id": "cus_NffrFeUfNV2Hib", "address": {"line1": "510 Townsend St", "postal_code": "98140"}},
         "amount": 2000, "currency": "usd", "metadata": {"order_id": "6735"}},
        {"name": "Weekly report", "cron": "0 9 * * 1", "timezone": "Europe/London", "enabled": True},
        {"lat": 51.5072, "lng": -0.1276, "radius_km": 2.5, "categories": ["cafe", "bakery"]},
        {"rating": 5, "title": "Great value!", "body": "Bought 2 -- one for me & one for my dad. He's 6'1\".",
         "recommend": True, "photos": []},
        {"settings": {"theme": "dark", "language": "pt-BR", "notifications": {"email": False, "push": True},
                      "quiet_hours": {"from": "22:00", "to": "07:00"}}},
        {"id": None, "tags": [], "score": -1.5e-3, "ratio": 0.75, "nested": {"a": {"b": {"c": [1, 2, [3, 4]]}}}},
        {"cart_id": _uuid("cart-9"), "coupon": "SAVE-10%", "items": [{"product_id": 1234, "variant": "27\" / Black"}]},
        {"message": {"role": "user", "content": "Write a SQL query to select the top 5 customers by revenue"}},
        {"search": {"text": "union station parking", "near": "Washington, DC"}},
        {"ticket": {"subject": "Can't log in", "priority": "high",
                    "description": "Steps: 1) open app 2) tap 'Sign in' 3) nothing happens; tried restart."}},
        {"from": "2024-01-01", "to": "2024-12-31", "granularity": "month", "metrics": ["revenue", "orders"]},
        {"version": "1.4.2", "platform": "android", "device": "Pixel 8 Pro", "os": "Android 14 (UQ1A.240205.004)"},
        {"comment": {"body": "I'd select option B -- it's cheaper & faster.", "parent_id": 9981}},
        {"file": {"name": "Q2 report (final).xlsx", "size": 48213, "mime": "application/vnd.openxmlformats-"
                                                                          "officedocument.spreadsheetml.sheet"}},
        {"address": "350 5th Ave, New York, NY 10118", "components": ["street_number", "route", "locality"]},
        {"user": {"bio": "Dad, runner & coffee nerd ☕ | he/him | Opinions are my own",
                  "website": "https://janedoe.dev"}},
        {"shipment": {"carrier": "UPS", "tracking": "1Z999AA10123456784", "eta": "2024-06-05T17:00:00+02:00"}},
        {"price": "1,299.00", "compare_at": "1 499,00 €", "tax_rate": "20%"},
        {"consent": {"analytics": True, "marketing": False, "version": "2024-03"}},
        {"q": "x = 1 or 2", "lang": "en"},
    ]
    return [json.dumps(d, ensure_ascii=False) for d in docs]


def _graphql() -> list[str]:
    docs = [
        {"operationName": "GetProduct", "variables": {"id": "gid://shopify/Product/123456789"},
         "query": "query GetProduct($id: ID!) { product(id: $id) { id title variants(first: 10) { edges { node "
                  "{ id price } } } } }"},
        {"query": "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, "
                  "lines: $lines) { cart { id totalQuantity } userErrors { field message } } }",
         "variables": {"cartId": "gid://shopify/Cart/c1-abc", "lines": [{"merchandiseId": "gid://x/1", "quantity": 2}]}},
        {"query": "{ viewer { login repositories(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) "
                  "{ nodes { name } } } }"},
        {"query": "query Search($q: String!) { search(query: $q, type: REPOSITORY, first: 10) "
                  "{ repositoryCount } }", "variables": {"q": "select language:sql"}},
        {"query": "mutation { updateUser(input: {id: 7, name: \"O'Brien\"}) { user { id name } } }"},
        {"query": "query { orders(filter: {status: {in: [PAID, SHIPPED]}}, sort: {createdAt: DESC}) "
                  "{ totalCount } }"},
        {"query": "fragment UserParts on User { id name avatarUrl } query { me { ...UserParts } }"},
        {"operationName": "IntrospectionLite", "query": "query IntrospectionLite { __typename }"},
    ]
    return [json.dumps(d) for d in docs]


API_JSON: _E = _g("json", "", _api_docs() + _graphql())

# --- webhooks and integrations with external URLs in their configuration
WEBHOOKS: _E = _g("json", "", [json.dumps(d) for d in [
    {"callback_url": "https://hooks.example.com/services/T000/B000/XXXX", "events": ["order.created"]},
    {"callback_url": "https://api.partner.io/v2/webhooks/rampart?token=abc123", "secret": _tok("wh1", 32)},
    {"url": "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx",
     "channel": "#alerts", "username": "shop-bot"},
    {"webhook": {"target": "https://outlook.office.com/webhook/abc@def/IncomingWebhook/123/456",
                 "active": True}},
    {"notify_url": "https://my-shop.myshopify.com/apps/notify", "return_url": "https://my-shop.example/thanks"},
    {"image_url": "https://images.unsplash.com/photo-1523275335684-37898b6baf30?w=800&q=80"},
    {"avatar_url": "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=200&d=identicon"},
    {"feed_url": "https://blog.example.org/feed.xml", "poll_minutes": 30},
    {"redirect_uris": ["https://app.example.com/oauth/callback", "http://localhost:3000/callback"]},
    {"link": "https://example.com/search?q=select+chairs&sort=price_asc"},
]])

# --- OAuth 2 / OIDC authorisation requests and redirects (GET /authorize?...)
_OAUTH = [
    ("redirect_uri", "https://app.example/cb"), ("redirect_uri", "https://app.example.com/oauth2/callback?next=%2Fdashboard"),
    ("redirect_uri", "com.example.app://oauth/callback"), ("redirect_uri", "http://localhost:8080/login/oauth2/code/google"),
    ("state", _tok("state-1", 43, "url")), ("state", "eyJyZXR1cm5UbyI6Ii9jYXJ0In0"), ("nonce", _tok("nonce", 22, "url")),
    ("code_challenge", _b64url(hashlib.sha256(b"verifier-1").digest())), ("code_challenge_method", "S256"),
    ("scope", "openid profile email offline_access"), ("scope", "https://www.googleapis.com/auth/calendar.readonly"),
    ("scope", "read:user user:email repo"), ("response_type", "code id_token"), ("response_mode", "form_post"),
    ("prompt", "select_account consent"), ("login_hint", "jane.doe@example.com"), ("acr_values", "urn:mace:incommon:iap:silver"),
    ("code", "4/0AY0e-g7" + _tok("code", 60, "url")), ("code", "SplxlOBeZQQYbYS6WxSbIA"),
    ("client_id", "1234567890-abc123def456.apps.googleusercontent.com"), ("client_id", _uuid("client")),
    ("return_to", "/account/orders?page=2&sort=desc"), ("next", "/checkout/shipping"),
    ("continue", "https://accounts.example.com/ManageAccount?hl=en"), ("RelayState", "https://sp.example.org/app/home"),
    ("SAMLRequest", _saml_request()),
]
OAUTH: _E = [("query", k, v) for k, v in _OAUTH]

# --- tokens: bearer JWTs, API keys, session ids
_NOW = 1717245296
TOKENS: _E = (
    _g("header:Authorization", "", [
        "Bearer " + _jwt({"sub": "1234567890", "name": "Jane O'Brien", "iat": _NOW, "exp": _NOW + 3600}),
        "Bearer " + _jwt({"iss": "https://accounts.example.com", "aud": "api://shop", "sub": _uuid("u1"),
                          "scope": "orders:read orders:write", "iat": _NOW, "exp": _NOW + 900}, "RS256", "k1"),
        "Bearer " + _jwt({"https://example.com/roles": ["admin", "editor"], "email": "ops@example.com"}, "RS256"),
        "Basic " + base64.b64encode(b"jane.doe@example.com:S3cure!Pass'word").decode(),
        "Basic " + base64.b64encode(b"api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0").decode(),
        "Bearer ghp_" + _tok("gh", 36, "url").replace("-", "a").replace("_", "b"),
        "token " + _tok("tok", 40), "Bearer sk_test_" + _tok("stripe", 24, "url").replace("-", "x").replace("_", "y"),
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240601/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-date, Signature=" + _tok("aws", 64),
        "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
        "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\"",
    ])
    + _g("header:X-Api-Key", "", [_tok("apikey", 40), "AIzaSyD-" + _tok("g", 31, "url").replace("-", "Q")])
    + _g("header:X-CSRF-Token", "", [_tok("csrf1", 44, "b64"), _tok("csrf2", 88, "b64")])
    + _g("header:X-Request-ID", "", [_uuid("req-1"), "req_" + _tok("r", 24)])
    + _g("query", "token", [_jwt({"sub": "reset", "email": "a@example.com", "exp": _NOW + 600}), _tok("reset", 64)])
    + _g("query", "signature", [base64.b64encode(hashlib.sha256(b"sig").digest()).decode()])
    + _g("query", "X-Amz-Credential", ["AKIAIOSFODNN7EXAMPLE/20240601/eu-west-1/s3/aws4_request"])
    + _g("form", "g-recaptcha-response", ["03AFcWeA" + _tok("captcha", 300, "url")])
    + _g("form", "cf-turnstile-response", ["0.Zx" + _tok("turnstile", 200, "url")])
    + _g("form", "__VIEWSTATE", ["/wEPDwUKLTE2MjE1NjYwOWRkZ7hY3ZgJfvQm2YfqJrX0kU7xE3o=",
                                 "/wEPDwULLTE2MTY2ODcyMjkPZBYCZg9kFgICAw9kFgICAQ8PFgIeBFRleHQFDUhlbGxvLCB3b3JsZGRkZA=="
                                 + _tok("vs", 80, "b64")])
    + _g("form", "__EVENTVALIDATION", ["/wEdAAOjHYD" + _tok("ev", 60, "b64")])
    + _g("form", "authenticity_token", [_tok("rails", 86, "b64")])
    + _g("form", "csrfmiddlewaretoken", [_tok("django", 64, "url").replace("-", "k").replace("_", "Z")])
)

# --- cookies a browser sends (analytics, CDN, frameworks, consent, preferences)
COOKIES: _E = _g("cookie", "", [
    "_ga=GA1.2.1234567890.1717245296", "_ga_ABC123XYZ=GS1.1.1717245296.3.1.1717245400.0.0.0",
    "_gid=GA1.2.987654321.1717245296", "_gcl_au=1.1.1122334455.1717245296", "_fbp=fb.1.1717245296123.1234567890",
    "_fbc=fb.1.1717245296123.IwAR2xYz" + _tok("fbclid", 40, "url"), "_hjSessionUser_123456=" + _b64url(
        b'{"id":"1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d","created":1717245296123,"existing":true}'),
    "__cf_bm=" + _tok("cfbm", 43, "url") + "-1717245296-1.0.1.1-" + _tok("cfbm2", 60, "url"),
    "cf_clearance=" + _tok("cfc", 43, "url") + "-1717245296-1.0.1.1-" + _tok("cfc2", 90, "url"),
    "__cfruid=" + _tok("cfruid", 40) + "-1717245296", "csrftoken=" + _tok("django-csrf", 32, "url").replace("-", "a"),
    "sessionid=" + _tok("django-session", 32).replace("a", "z"), "PHPSESSID=" + _tok("php", 26),
    "JSESSIONID=" + _tok("java", 32).upper() + ".node01", "ASP.NET_SessionId=" + _tok("aspnet", 24, "url").lower(),
    ".AspNetCore.Antiforgery.9fXoN5jHCXs=CfDJ8" + _tok("anti", 150, "url"),
    ".AspNetCore.Cookies=CfDJ8" + _tok("aspcookies", 400, "url"), ".ASPXAUTH=" + _tok("aspxauth", 160).upper(),
    "_myapp_session=" + _tok("rails-s", 200, "b64").replace("=", "%3D") + "--" + _tok("rails-d", 40),
    "remember_user_token=" + "W1sxMjNdLCIkMmEkMTAkV0FCQ0RFRkdISUpLTE1OT1BRUlNUVSIsIjE3MTcyNDUyOTYuMTIzIl0%3D--"
    + _tok("rut", 40),
    "laravel_session=eyJpdiI6I" + _tok("lv", 120, "b64"), "XSRF-TOKEN=eyJpdiI6I" + _tok("xsrf", 120, "b64"),
    "wordpress_logged_in_abc123=jane%7C1717418096%7C" + _tok("wp", 43, "url") + "%7C" + _tok("wp2", 64),
    "wp-settings-1=libraryContent%3Dbrowse%26editor%3Dtinymce", "wp-settings-time-1=1717245296",
    "OptanonConsent=isGpcEnabled=0&datestamp=Sat+Jun+01+2024+12%3A34%3A56+GMT%2B0100+(British+Summer+Time)"
    "&version=202401.1.0&isIABGlobal=false&hosts=&consentId=" + _uuid("consent") + "&interactionCount=1"
    "&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A1%2CC0004%3A0",
    "OptanonAlertBoxClosed=2024-06-01T11:34:58.123Z", "CookieConsent={stamp:%27" + _tok("cc", 40, "url")
    + "%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:false%2Cmarketing:false%2Cmethod:%27explicit%27"
    "%2Cver:1%2Cutc:1717245296123%2Cregion:%27gb%27}",
    "euconsent-v2=CP" + _tok("tcf", 80, "url").replace("-", "A").replace("_", "B"),
    "cart=%7B%22items%22%3A%5B%7B%22id%22%3A123%2C%22qty%22%3A2%7D%5D%7D", "currency=EUR", "locale=fr_CA",
    "lang=pt-BR", "tz=Europe%2FBerlin", "theme=dark", "recently_viewed=123%2C456%2C789", "ab_test=variant_b",
    "last_search=men%27s%20running%20shoes", "shipping_country=IE", "ajs_anonymous_id=%22" + _uuid("seg") + "%22",
    "mp_abc123_mixpanel=%7B%22distinct_id%22%3A%20%22" + _uuid("mp") + "%22%2C%22%24initial_referrer%22%3A%20%22"
    "%24direct%22%7D", "intercom-session-abc123=" + _tok("icom", 80, "b64"),
    "_shopify_y=" + _uuid("shy"), "_shopify_s=" + _uuid("shs"), "cart_sig=" + _tok("csig", 32),
    "__stripe_mid=" + _uuid("smid") + "a1b2c3", "__Host-next-auth.csrf-token=" + _tok("na", 64) + "%7C" + _tok("na2", 64),
    "__Secure-next-auth.session-token=" + _jwt({"name": "Jane", "email": "jane@example.com"}),
    "AWSALB=" + _tok("alb", 120, "b64"), "AWSALBCORS=" + _tok("albc", 120, "b64"), "NID=511=" + _tok("nid", 160, "url"),
    "user_pref=" + base64.b64encode(b'{"layout":"grid","per_page":48}').decode(),
    "display_name=Jane%20O%27Brien", "greeting=Ol%C3%A1%21", "returning=true", "visits=17",
])

# --- ordinary User-Agents: browsers, mobile apps, crawlers, embedded webviews
USER_AGENTS: _E = _g("header:User-Agent", "", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.113 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/462.0.0.38.104;FBBV/591234567;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/en_GB;FBOP/80]",
    "Mozilla/5.0 (Linux; Android 13; 2201117TY Build/TKQ1.221114.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (33/13; 440dpi; 1080x2400; Xiaomi; 2201117TY; spes; qcom; en_GB; 597123456)",
    "Mozilla/5.0 (Linux; Android 12; SM-A525F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/463.0.0.46.106;]",
    "ShopApp/5.12.1 (com.example.shop; build:5121; iOS 17.5.1) Alamofire/5.9.1",
    "ShopApp/5.12.0 (Android 14; Pixel 7; Build/UQ1A.240505.004) okhttp/4.12.0",
    "okhttp/4.12.0", "Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B Build/TP1A.220624.014)",
    "MyBank/8.3 CFNetwork/1494.0.7 Darwin/23.4.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/124.0.6367.118 Safari/537.36",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) 94.0.4606.31/7.0 TV Safari/537.36",
    "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Roku/DVP-12.5 (12.5.0.4174-AE)", "Spotify/8.9.40 iOS/17.5 (iPhone15,3)",
    "WhatsApp/2.24.10.74 A", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
    "Stripe/1.0 (+https://stripe.com/docs/webhooks)", "GitHub-Hookshot/a1b2c3d", "Shopify-Captain-Hook",
    "UptimeRobot/2.0; http://www.uptimerobot.com/", "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "ELB-HealthChecker/2.0", "kube-probe/1.29", "Amazon CloudFront", "Mediapartners-Google",
])

# --- Referers with long query strings
REFERERS: _E = _g("header:Referer", "", [
    "https://www.google.com/", "https://www.google.com/search?q=best+running+shoes+for+flat+feet&rlz=1C1GCEA_enGB1000GB1000"
    "&oq=best+running+shoes&gs_lcrp=EgZjaHJvbWUqBwgBEAAYgAQyBggAEEUYOTIHCAEQABiABNIBCDQ1MjRqMGo3qAIAsAIA&sourceid=chrome&ie=UTF-8",
    "https://www.google.co.uk/url?sa=t&rct=j&q=&esrc=s&source=web&cd=&ved=2ahUKEwi&url=https%3A%2F%2Fshop.example%2F&usg=AOvVaw",
    "https://shop.example/products/select-shoes?utm_source=newsletter&utm_medium=email&utm_campaign=summer_sale_2024"
    "&utm_content=hero+banner&utm_term=running%20shoes",
    "https://shop.example/search?q=men%27s+jeans&page=2&sort=price_asc", "https://shop.example/cart",
    "https://shop.example/checkout/shipping?step=2&cart_id=" + _uuid("cartref"),
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example%2Fsale%3Ffbclid%3DIwAR3x&h=AT0abc",
    "https://t.co/AbCdEf1234", "https://www.bing.com/search?q=union+jack+cushion&form=QBLH&sp=-1&pq=union+jack",
    "https://duckduckgo.com/", "https://search.yahoo.com/search?p=drop+leaf+table&fr=yfp-t",
    "https://www.reddit.com/r/BuyItForLife/comments/1d5abc/whats_the_best_cast_iron_skillet/",
    "https://news.ycombinator.com/item?id=40562345", "android-app://com.google.android.gm/",
    "https://mail.google.com/", "https://www.youtube.com/", "https://accounts.example.com/login?return_to=%2Fdashboard",
    "https://shop.example/blog/2024/06/how-to-select-a-laptop#comments",
    "https://www.amazon.co.uk/s?k=27%22+monitor&crid=2M096C61O4MLT&sprefix=27+monitor%2Caps%2C95&ref=nb_sb_ss_ts-doa-p_1_10",
    "https://www.ebay.com/sch/i.html?_from=R40&_trksid=p2380057.m570.l1313&_nkw=o%27neill+wetsuit&_sacat=0",
])

# --- other ordinary request headers
HEADERS_MISC: _E = (
    _g("header:Accept", "", [
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
        "application/signed-exchange;v=b3;q=0.7", "application/json, text/plain, */*", "*/*",
        "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "application/vnd.github+json",
        "application/vnd.api+json", "text/event-stream", "application/json;charset=UTF-8",
        "text/css,*/*;q=0.1", "application/graphql-response+json, application/json;q=0.9",
    ])
    + _g("header:Accept-Language", "", [
        "en-GB,en;q=0.9", "en-US,en;q=0.9,fr;q=0.8,de;q=0.7", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
        "zh-CN,zh;q=0.9,en;q=0.8", "pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", "ar-SA,ar;q=0.9", "*", "de",
        "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7,es;q=0.6", "sr-Latn-RS,sr;q=0.9",
    ])
    + _g("header:Accept-Encoding", "", ["gzip, deflate, br, zstd", "gzip", "identity", "br;q=1.0, gzip;q=0.8, *;q=0.1"])
    + _g("header:X-Forwarded-For", "", [
        "203.0.113.195", "203.0.113.195, 70.41.3.18, 150.172.238.178", "2001:db8:85a3:8d3:1319:8a2e:370:7348",
        "198.51.100.7, 10.0.0.12", "unknown, 192.0.2.60", "192.0.2.43:47011, [2001:db8::17]:4711",
    ])
    + _g("header:Forwarded", "", ['for=192.0.2.60;proto=http;by=203.0.113.43', 'for="[2001:db8:cafe::17]:4711"',
                                  "for=192.0.2.43, for=198.51.100.17;host=shop.example;proto=https"])
    + _g("header:Origin", "", ["https://shop.example", "https://app.example.com", "null"])
    + _g("header:If-None-Match", "", ['W/"5e15153d-120f"', '"33a64df551425fcc55e4d42a148795d9f25f89d4"'])
    + _g("header:If-Modified-Since", "", ["Sat, 01 Jun 2024 12:34:56 GMT"])
    + _g("header:Range", "", ["bytes=0-1023", "bytes=200-1000, 2000-6576, 19000-"])
    + _g("header:Cache-Control", "", ["no-cache", "max-age=0", "no-store, no-cache, must-revalidate"])
    + _g("header:Sec-CH-UA", "", ['"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'])
    + _g("header:Sec-CH-UA-Platform", "", ['"Windows"'])
    + _g("header:Traceparent", "", ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
    + _g("header:X-Cloud-Trace-Context", "", ["105445aa7843bc8bf206b12000100000/1;o=1"])
    + _g("header:Baggage", "", ["userId=alice,serverNode=DF%2028,isProduction=false"])
    + _g("header:Content-Disposition", "", ['attachment; filename="report (final) v2.pdf"'])
    + _g("header:X-Requested-With", "", ["XMLHttpRequest", "com.example.shop"])
    + _g("header:Link", "", ['</styles.css>; rel=preload; as=style'])
    + _g("header:X-Shopify-Hmac-Sha256", "", [base64.b64encode(hashlib.sha256(b"shopify").digest()).decode()])
    + _g("header:Stripe-Signature", "", ["t=1717245296,v1=" + _tok("stripe-sig", 64) + ",v0=" + _tok("s0", 64)])
    + _g("header:X-Hub-Signature-256", "", ["sha256=" + _tok("hub", 64)])
    + _g("header:X-Forwarded-Host", "", ["shop.example", "shop.example:8443"])
    + _g("header:X-Original-URL", "", ["/products/select-shoes?size=10"])
    + _g("header:Save-Data", "", ["on"])
    + _g("header:Via", "", ["1.1 vegur", "1.1 2e4c5d6f.cloudfront.net (CloudFront)"])
)

# --- uploaded file names (multipart/form-data)
FILENAMES: _E = _g("multipart", "file", [
    "report (final) v2.pdf", "IMG_2024-06-01.jpg", "IMG_0042.HEIC", "Screenshot 2024-06-01 at 12.34.56.png",
    "Screen Shot 2024-06-01 at 9.05.13 AM.png", "CV - Jane O'Brien.docx", "invoice #1234.pdf", "Q2 results & forecast.xlsx",
    "résumé_français.pdf", "写真.png", "صورة.jpg", "zdjęcie z wakacji.jpg", "photo (1).jpeg", "photo (2) (1).jpeg",
    "my.backup.tar.gz", "data-export_2024-06-01T12-34-56Z.csv", "Meeting notes 01.06.2024.txt",
    "logo@2x.png", "favicon.ico", "README.md", "scan0001.tif", "Rock 'n' Roll mix.mp3", "VID_20240601_123456.mp4",
    "Tom & Jerry.gif", "select-chairs-catalogue.pdf", "union_contract_2024.pdf", "drop_shipping_guide.pdf",
    "Table of Contents.docx", "update-notes.txt", "delete me.txt", "50% off flyer.pdf", "~$draft.docx",
    "Copy of Copy of Budget (3).xlsx", "signed_contract[1].pdf", "receipt-£23.50.png", "floor plan 12'x14'.pdf",
])

# --- numbers people type: phones, money, maths, dates, versions, ids
NUMBERS: _E = (
    _g("form", "phone", ["+44 20 7946 0958", "(555) 010-0199", "+1-202-555-0143", "020 7946 0958", "+49 (0)30 1234567",
                         "+33 1 23 45 67 89", "555.010.0199 ext. 12", "+48 22 123 45 67", "+86 10 1234 5678",
                         "+971 4 123 4567", "0800-FLOWERS", "*67 555 0100", "#31#"])
    + _g("form", "amount", ["$1,299.99", "€1.299,99", "£20", "¥12,800", "1 299,99 zł", "CHF 49.–", "-$5.00", "+15%",
                            "0.00", "1e3", "3.5k", "USD 100", "R$ 59,90", "₹2,499", "₿0.0012"])
    + _g("query", "expr", ["2+2", "3*4", "10/2", "2^10", "(1+2)*3", "sqrt(16)", "sin(pi/2)", "log(100)", "5!",
                           "x^2 + 2x + 1 = 0", "a*b-c", "1 - 1 = 0", "100 % 7", "f(x) = 3x + 2", "max(3, 7)",
                           "e^(i*pi) + 1 = 0", "1/3 ≈ 0.333", "√2", "∑ n² for n=1..10", "50 °F to °C"])
    + _g("query", "date", ["2024-06-01", "01/06/2024", "06/01/2024", "1 June 2024", "June 1st, 2024", "2024-06-01T12:34:56Z",
                           "2024-06-01T12:34:56.789+02:00", "Sat, 01 Jun 2024 12:34:56 GMT", "2024-W22", "Q2 2024",
                           "12:30", "12:30 PM", "1717245296", "yesterday", "last 7 days", "2024-06-01..2024-06-30"])
    + _g("query", "version", ["1.2.3", "v2.0.0-beta.1", "10.0.19045.4412", "3.11.9", "1.0.0+build.5", ">=1.2,<2.0",
                              "^4.17.21", "~1.2", "2024.06", "R2024a", "14.5 (23F79)", "5.15.0-107-generic"])
    + _g("query", "id", ["ORD-2024-000123", "A-10293", "SKU#123-456", "1Z999AA10123456784", "978-0-306-40615-7",
                         "0-306-40615-2", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "4111 1111 1111 1111",
                         "VIN 1HGCM82633A004352", "TKT#4412", "case 00123456", "ref: INV/2024/06/001",
                         _uuid("id-1"), "{" + _uuid("id-2") + "}", "urn:uuid:" + _uuid("id-3")])
)

# --- URL paths
PATHS: _E = _g("path", "", [
    "/blog/2024/06/how-to-select-a-laptop", "/blog/2023/11/drop-shipping-101", "/blog/union-vs-intersection-types",
    "/products/select-comfort-pillow", "/products/drop-leaf-table-oak", "/products/cat-and-dog-toys-bundle",
    "/products/mens-27-inch-monitor", "/collections/sale/products/tommy-hilfiger-polo", "/c/home-garden/tables-chairs",
    "/p/B09XYZ1234", "/dp/B0CHX1W1XY/ref=sr_1_3", "/en-gb/shop/women/shoes", "/fr/produits/chaussures-homme",
    "/de/Herren/Schuhe/", "/wiki/O'Brien", "/wiki/Procter_&_Gamble", "/wiki/C%2B%2B", "/wiki/Select_(SQL)",
    "/wiki/Union_(set_theory)", "/wiki/Bash_(Unix_shell)", "/user/jane.doe/settings", "/u/dangelo/posts",
    "/api/v2/orders/" + _uuid("path-order"), "/api/v1/users/42/addresses/7", "/api/v1/search/suggest",
    "/static/js/main.4f3c2a1b.chunk.js", "/assets/fonts/Inter-Regular.woff2", "/images/products/1234/large@2x.jpg",
    "/favicon.ico", "/robots.txt", "/sitemap.xml", "/.well-known/openid-configuration", "/.well-known/security.txt",
    "/.well-known/apple-app-site-association", "/apple-touch-icon-precomposed.png", "/manifest.webmanifest",
    "/docs/getting-started/install", "/help/articles/360001234567-How-do-I-update-my-address-",
    "/forum/t/how-do-i-delete-my-account/1234", "/forum/t/best-way-to-drop-a-course/9876/3",
    "/r/BuyItForLife/comments/1d5abc/whats_the_best_cast_iron_skillet/", "/2024/06/01/exec-summary-q2",
    "/search/men's shoes", "/tag/rock-%26-roll", "/files/report%20(final)%20v2.pdf", "/café/menu", "/מוצרים/נעליים",
    "/商品/手机", "/cart;jsessionid=" + _tok("pj", 32).upper(), "/index.php/catalog/product/view/id/42",
    "/wp-content/uploads/2024/06/IMG_0042-1024x768.jpg", "/wp-json/wp/v2/posts?per_page=10",
    "/graphql", "/oauth2/authorize", "/login/callback", "/admin/orders/1001/edit", "/account/orders/ORD-2024-000123",
    "/v1/files/path/to/My%20Documents/Q2%20Report.xlsx", "/s3/bucket-name/folder%2Fsub%2Ffile.txt",
])
PATHS += _g("path", "", ["how-to-select-a-laptop", "drop-me-a-line", "cat & dog toys", "Rock 'n' Roll", "O'Brien",
                         "5'11\" mattress", "27\" monitor", "50% off", "résumé", "x=1", "a+b", "C#", "F#", "node.js",
                         "1+1=2", "q&a", "100% cotton", "#hashtag", "@jane", "~jane"])

# --- values that arrive already percent-encoded (nested redirect URLs, encoded JSON state, pre-encoded search)
ENCODED: _E = (
    _g("query", "redirect", ["https://shop.example/checkout?step=2&coupon=SAVE%2010", "%2Faccount%2Forders%3Fpage%3D2",
                             "https%3A%2F%2Fapp.example%2Fcb%3Fstate%3Dxyz", "/search?q=men%27s%20shoes"])
    + _g("query", "q", ["caf%C3%A9", "100%25%20cotton", "a%2Bb", "50%", "%", "%%", "rock%20%26%20roll"])
    + _g("form", "state", ["%7B%22returnTo%22%3A%22%2Fcart%22%2C%22ts%22%3A1717245296%7D",
                           base64.b64encode(json.dumps({"returnTo": "/cart", "nonce": "abc"}).encode()).decode()])
    + _g("json", "url", ["https://example.com/path%20with%20spaces/file%281%29.pdf",
                         "https://maps.google.com/?q=51.5072%2C-0.1276&z=15"])
)

# --- search boxes, filters and sort parameters in list views
FILTERS: _E = (
    _g("query", "sort", ["price_asc", "-created_at", "name,-price", "relevance desc", "updated_at:desc", "rating DESC"])
    + _g("query", "filter", ["brand:nike,adidas", "price:[10 TO 50]", "color=red|blue", "size in (S,M,L)",
                             "status:open AND label:bug", "author:jane -is:draft", "created>2024-01-01",
                             "category = 'shoes'", "tags:\"summer sale\"", "in_stock:true"])
    + _g("query", "fields", ["id,name,price", "id,title,author(name,email)", "*", "items/name,items/price"])
    + _g("query", "select", ["id,name", "name,email,created_at"])
    + _g("query", "$filter", ["Name eq 'O''Brien'", "Price lt 20 and Category eq 'Books'",
                              "startswith(CompanyName, 'Alfred')"])
    + _g("query", "$orderby", ["Name desc", "Price asc, Rating desc"])
    + _g("query", "q", ["name:\"O'Brien\"", "title:(select OR drop)", "\"exact phrase\"", "-excluded +required",
                        "site:example.com union", "intitle:review 2024", "author:o'reilly", "lang:fr",
                        "price < 100", "rating >= 4", "a AND b", "NOT discontinued"])
)

# --- login / sign-up forms: passwords and handles contain anything a keyboard can type
ACCOUNTS: _E = (
    _g("form", "password", ["P@ssw0rd!", "Tr0ub4dor&3", "correct horse battery staple", "pa$$w0rd", "1qaz@WSX3edc",
                            "hunter2;", "--Secret--2024", "p'ssw\"rd", "<MyP@ss>", "O'Brien#1987", "Summer2024!!",
                            "qwerty/123\\", "(Jane)=[Doe]", "~!@#$%^&*()_+", "café-crème-42", "ZXCvbn%^&789",
                            "letmein123!", "I love my cat & dog", "$ecur3*Pa55", "a`b~c|d"])
    + _g("form", "username", ["jane_doe", "o'neil.mike", "xX_Sniper_Xx", "@jane", "d'angelo88", "user.name+tag",
                              "Jürgen", "李雷", "admin2", "the_real_slim_shady", "null", "undefined", "true", "select"])
    + _g("form", "coupon", ["SAVE10", "SUMMER-24", "WELCOME15%", "FREE_SHIP", "BF2024!", "10OFF50"])
)

# --- more everyday prose: support tickets, reviews, chat
PROSE_MORE: _E = (
    _g("form", "message", [
        "I saved the invoice to C:\\Users\\Jane\\Downloads\\invoice.pdf but it won't open.",
        "The app stores files in /Users/jane/Library/Application Support/ShopApp, is that right?",
        "Error says: \"Could not connect to server (code 503)\". Tried again at 10:30 -- same.",
        "Hi,\n\nmy order #A-10293 hasn't arrived yet. Could you check?\n\nThanks,\nJane O'Brien",
        "Thanks!\n--\nJane Doe | Head of Ops | Example Ltd.\nT: +44 20 7946 0958",
        "Press Ctrl+Alt+Del, then select Task Manager.", "Cmd+Shift+4 to take a screenshot on a Mac.",
        "I can't select anything from the dropdown on Safari 17.", "The page won't update after I click 'Save'.",
        "O'Reilly's book on SQL is great -- highly recommend.", "I love C++ & C# but Python pays the bills.",
        "brb; lunch", "lol || lmao", "¯\\_(ツ)_/¯", "(╯°□°）╯︵ ┻━┻", "\\o/ it worked!", "^_^", ">_<", "o_O", "-_-",
        ":-) ;-) :-P", "<(^_^)>", "</3 so sad", "<<< back", "->", "=>", "1 < 2", "x != y", "a == b",
        "1/2 cup sugar; 2 tbsp butter; pinch of salt", "Bake at 180 °C (350 °F) for 25-30 min.",
        "Final score 3-1 (2-0 at half time)", "Meet @ 5; bring ID & $20", "Lat/long: 51°30′26″N 0°7′39″W",
        "§ 3(1) BGB applies", "Art. 6(1)(f) GDPR – legitimate interest", "f'(x) = 2x", "It's 50/50 whether it ships today.",
        "We're open Mon–Fri 9:00–17:30; Sat 10–14.", "Size chart: S (36-38), M (40-42), L (44-46)",
        "Ticket JIRA-1234 blocked by JIRA-1200", "See PR #4512 and issue #4498.", "Tom &amp; Jerry", "&quot;quoted&quot;",
        "caf&eacute; au lait", "Use the 'Forgot password?' link, then check spam.", "Mr. Null called about the delivery.",
        "Is the 'Select' model (2023) compatible with the 'Union' base?", "My son's 'Drop Zone' playset broke.",
        "Who's on first? What's on second? I don't know's on third.", "Q: 2+2? A: 4.", "Rate: 4/5 ⭐",
        "Colour: #FF5733 (coral)", "font-size: 14px; color: #333;", "Dimensions (W x H x D): 60 x 90 x 45 cm",
        "It costs $5 -- or $4.50 if you order 10+.", "Please, please, PLEASE restock!!!", "... and that's all, folks.",
        "If it's < 2 kg, post it; if > 2 kg, courier.", "order id 123; tracking 1Z999AA10123456784",
        "My email is jane(at)example(dot)com", "Website: https://www.example.com/?ref=abc&utm_source=x",
        "Check https://status.example.com/incidents/xyz for updates.", "the /account page shows an error",
        "Go to Settings > Privacy > Delete account", "Menu → File → Export → CSV", "use promo code \"SPRING\"",
    ])
    + _g("json", "text", [
        "Hey team, drop your ideas for the offsite in this thread 👇", "Reminder: update your timesheets by Friday!",
        "Can someone select a date for the retro? Options: Tue/Wed/Thu", "Deploy done ✅ -- v2.3.1 is live",
        "lunch order: 2x pad thai, 1x green curry (no nuts!)", "I'll be OOO 12/06–19/06; ping @mike for anything urgent",
        "FYI the 'union' meeting moved to 3pm", "@here the wifi password is on the whiteboard",
    ])
    + _g("query", "q", [
        "what's the weather like in coeur d'alene", "how to get rid of ants", "is 5'11\" tall for a woman",
        "convert 27\" to cm", "dr. pepper vs coke", "rock 'n' roll hall of fame tickets", "ac/dc back in black vinyl",
        "guns n' roses t-shirt", "what does 'select' mean in spanish", "drop dead gorgeous 1999 cast",
        "where is union station", "table for 2 tonight", "delete facebook account", "update iphone to ios 17",
        "exec summary template", "\"summer dress\" -maxi", "laptop OR notebook", "shoes site:example.com",
        "1 in to cm", "10% of 250", "-5 + 3", "$", "&", "'", "\"", "?", "#", "@", "!", "%20", "a/b testing",
        "c++ books", "f# for beginners", ".net 8 hosting", "node.js vs deno", "<br> tag", "100 < x < 200",
    ])
)

# --- tracking / pagination / state parameters on landing pages and list views
QUERY_PARAMS: _E = [("query", k, v) for k, v in [
    ("utm_source", "google"), ("utm_medium", "cpc"), ("utm_campaign", "summer_sale_2024 | UK | Search"),
    ("utm_content", "text-ad/variant_b"), ("utm_term", "men's running shoes"), ("gclid", "Cj0KCQjw" + _tok("gclid", 80, "url")),
    ("fbclid", "IwAR2" + _tok("fbclid2", 60, "url")), ("msclkid", _tok("msclkid", 32)), ("mc_cid", "a1b2c3d4e5"),
    ("_hsenc", "p2ANqtz-" + _tok("hsenc", 80, "url")), ("ref", "producthunt"), ("ref_src", "twsrc^tfw|twcamp^tweetembed"),
    ("cursor", base64.b64encode(b'{"id":12345,"ts":"2024-06-01T12:34:56Z"}').decode()),
    ("after", "YXJyYXljb25uZWN0aW9uOjQ5"), ("page_token", _tok("pt", 40, "url")), ("continuation", _tok("cont", 120, "url")),
    ("callback", "jQuery351012345678901234567_1717245296123"), ("_", "1717245296123"), ("v", "3f2a1c9"),
    ("lang", "fr-CA"), ("tz", "America/New_York"), ("currency", "EUR"), ("ids", "12,34,56"), ("ids[]", "12"),
    ("color", "#ff0000"), ("bg", "rgba(0, 0, 0, 0.5)"), ("size", "10.5 (US)"), ("range", "10-50"),
    ("bbox", "-0.489,51.28,0.236,51.686"), ("ll", "51.5072,-0.1276"), ("zoom", "14z"),
    ("ts", "2024-06-01T12:34:56+01:00"), ("name", "O'Brien & Sons"), ("title", "Rock 'n' Roll (Live)"),
    ("email", "jane.doe+orders@example.com"), ("return_url", "https://shop.example/orders?status=open"),
    ("download", "report (final) v2.pdf"), ("file", "IMG_2024-06-01.jpg"), ("template", "invoice-v2"),
    ("view", "grid"), ("mode", "edit"), ("action", "delete"), ("cmd", "save"), ("op", "update"), ("query", "union jack"),
    ("sql", "off"), ("debug", "false"), ("exec", "1"), ("script", "main"), ("where", "london"), ("from", "LHR"),
    ("to", "JFK"), ("select", "all"), ("order", "asc"), ("limit", "50"), ("offset", "100"), ("group", "month"),
]]

# --- avatars / attachments inline in JSON, and other API-style documents
API_JSON_MORE: _E = _g("json", "", [json.dumps(d) for d in [
    {"avatar": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="},
    {"attachment": {"filename": "note.txt", "content": base64.b64encode(b"Hi team,\nsee attached.\nJane\n").decode()}},
    {"signature": "data:image/svg+xml;base64," + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0L10 10"/></svg>').decode()},
    {"jsonrpc": "2.0", "method": "eth_getBalance", "params": ["0x407d73d8a49eeb85d32cf465507dd71d507100c1", "latest"], "id": 1},
    {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.1276, 51.5072]},
                                                "properties": {"name": "Trafalgar Sq."}}]},
    {"@context": "https://schema.org", "@type": "Product", "name": "Cast Iron Skillet 10.25\"",
     "offers": {"@type": "Offer", "price": "29.99", "priceCurrency": "USD"}},
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"name": {"type": "string"}}},
    {"locale": "de-DE", "strings": {"cart.empty": "Dein Warenkorb ist leer.", "cart.total": "Gesamt: {amount} €"}},
    {"template": "Hello {{first_name}}, your order {{order_id}} has shipped!", "channel": "email"},
    {"mjml": "<mjml><mj-body><mj-section><mj-column><mj-text>Hi Jane</mj-text></mj-column></mj-section></mj-body></mjml>"},
    {"expression": "price * quantity - discount", "format": "0.00"},
    {"regex": "^[A-Z]{2}\\d{2} ?\\d{4}$", "field": "postcode", "message": "Enter a valid postcode"},
    {"cron": "*/15 * * * *", "command_name": "sync_inventory", "args": ["--since", "2024-06-01"]},
    {"path": "/Users/jane/Documents/report.pdf", "modified": "2024-06-01T12:34:56Z"},
    {"ip": "203.0.113.42", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "country": "GB"},
    {"query": "union station", "sessiontoken": _uuid("places"), "types": "transit_station"},
    {"feedback": "Select-all doesn't work; Ctrl+A works though.", "page": "/inbox", "screen": "1920x1080"},
    {"address": {"street": "O'Connell St. 12", "city": "Coeur d'Alene", "zip": "83814", "state": "ID"}},
    {"color": {"hex": "#1E90FF", "rgb": [30, 144, 255], "name": "dodger blue"}},
    {"dimensions": {"w": '27"', "h": '16"', "unit": "in"}, "label": "Monitor 27\" (68.6 cm)"},
]])

# --- the same everyday words and quote marks in other carriers: app headers, cookies, JSON reviews
CARRIER_MIX: _E = (
    _g("header:X-Device-Name", "", ["Jane's iPhone", "O'Brien's MacBook Pro", "DESKTOP-4F3K2LQ", "Mike’s Galaxy S24",
                                    "Living Room TV (2)", "iPad de Zoé", "Büro-PC #3"])
    + _g("header:X-App-Version", "", ["5.12.1 (5121)", "2024.06.1-beta+42", "v3.0.0-rc.2"])
    + _g("header:X-Timezone", "", ["Europe/London", "America/Argentina/Buenos_Aires", "UTC+05:30"])
    + _g("header:X-Client-Info", "", ["supabase-js/2.43.4", "ios/17.5; iPhone15,2; en_GB", "web; Chrome 124; Windows 10"])
    + _g("header:X-Search-Context", "", ["category=shoes&gender=men's&size=10.5", "brand:\"Levi's\" | fit:slim"])
    + _g("cookie", "", ["recent_searches=men%27s%20jeans%7C27%22%20monitor%7Ccat%20%26%20dog%20toys",
                        "delivery_note=Leave%20by%20the%20door%3B%20thanks!", "store=Union%20Square%20(NYC)",
                        "fav_category=Tables%20%26%20Chairs", "user_name=D%27Angelo", "city=Coeur%20d%27Alene",
                        "last_viewed=%22Select%20Comfort%22%20Pillow"])
    + _g("json", "review", [
        "Bought the 27\" for my desk and the 32\" for the lounge -- both great.", "It's 6' long, fits a 5'11\" person fine.",
        "I'd select this over the 'Pro' version any day.", "Don't 'update' the firmware -- it bricked mine!",
        "Returned it; the 'union' fitting leaked.", "5 stars -- drop-in replacement for the old one.",
        "Works w/ the 'Select' series; not w/ the 'Classic'.", "Colour is 'sand' not 'beige' as shown.",
        "Cheaper than 'Brand X' & just as good.", "The 'or' in 'colour or pattern' confused me at checkout.",
        "It's not 100% waterproof -- 'water-resistant' at best.", "Sizes run small: order 1 up (I'm usually a 'M').",
    ])
    + _g("header:Referer", "", [
        "https://www.google.com/search?q=select+the+best+laptop+for+students&sca_esv=123&ei=abc",
        "https://www.google.com/search?q=o%27brien+surname+origin&oq=o%27brien",
        "https://www.bing.com/search?q=%2227%22+monitor%22+vs+32%22&qs=n",
        "https://shop.example/search?q=cat+%26+dog+toys&filter=price%3C20",
    ])
    + _g("form", "notes", [
        "Gate code: #1234*", "Deliver between 9am-5pm; not Sunday.", "Apt 4B -- buzzer doesn't work, call on arrival.",
        "Gift: please don't include the receipt!", "Engraving: \"Love always, J & M\"", "Engraving: 'To D'Angelo -- 25 yrs'",
        "Monogram: J.O'B.", "Cake text: Happy 30th, Sam! <3", "Name on card: Mary-Kate O'Connell",
        "Please select a sturdy box (fragile items).",
    ])
)

# --- a second batch, written at 09:10 and kept out of the tree until measured at 10:00 (unseen by the detector
# helpers: its flag rate then measured how well their fixes generalised)
LATE_BATCH: _E = (
    _g("query", "q", [
        "women's trail running shoes gore-tex", "kids' bike 16\" with stabilisers", "6'x4' garden shed", "bed 4'6\" double",
        "32\" curved gaming monitor 165hz", "2.5\" ssd enclosure", "1/4\" drive socket set", "3/8\" x 25' garden hose",
        "b&q paint", "p&o ferries", "crabtree & evelyn", "abercrombie & fitch hoodie", "barnes & noble gift card",
        "l'oreal elvive", "dr. oetker pizza", "ben's original rice", "kellogg's special k", "children's paracetamol",
        "the lord of the rings (box set)", "harry potter & the philosopher's stone", "50 shades of grey",
        "select fit jeans", "drop shoulder t-shirt", "union suit pajamas", "table tennis bats", "update: new arrivals",
        "delete button sticker", "sleep apnea pillow", "shell suit 80s", "echo show 8", "kill switch motorcycle",
        "cat 6a cable", "ping pong balls", "sudo shirt", "where's wally book", "who's afraid of virginia woolf",
        "and/or", "this or that game", "1 or 2 person tent", "x or y chromosome book",
    ])
    + _g("form", "comment", [
        "Arrived in 2 days; box was a bit crushed (contents fine).", "I'd give it 4.5/5 if I could.",
        "Can't believe it's only £12 -- bargain!", "Wouldn't recommend; the zip broke after a week :(",
        "Ordered the 'Navy' but got 'Black' -- please advise.", "Does the \"Pro\" version come with a case?",
        "My wife's 5'4\" and the petite fit her perfectly.", "Selected express delivery, still took 5 days?!",
        "Drop-off point was closed; had to go to the depot.", "Update: seller replaced it, now 5 stars.",
        "UPDATE -- they refunded me. Thanks!", "Union Jack design is lovely, colours are vivid.",
        "Order #88231 & #88232 were combined, is that ok?", "I'm not sure whether to select size 10 or 10.5...",
        "Hello; is this still available? Thanks.", "Tried everything: reboot, reset, reinstall -- nothing.",
        "If you're between sizes, go up one.", "Note to self: don't wash on 60°.", "Good for 2-4 people (or 6 kids).",
        "Fits a 15.6\" laptop + charger + mouse.", "\"Best\" is subjective; it's good for the price.",
        "Is 'free returns' really free? Or is there a fee?", "She said: 'where did you get that?!' 😂",
        "Compared to the old model (2019), it's quieter & lighter.", "a.k.a. the \"grey one\"", "Five stars ***** !",
        "Does it work with 110V/220V?", "width=30cm, height=45cm, depth=20cm", "Weight < 1kg -- great for travel.",
        "The instructions said 'insert tab A into slot B' -- classic.", "What's the difference between 'slim' and 'skinny'?",
        "We ordered 3 (one each for the kids) and they love them.", "Had to drill new holes; the template was off by 1/8\".",
        "Thank you!!! <3 <3", "Stars: 3; Value: 5; Quality: 4", "It's okay-ish. Not great, not terrible.",
        "Why does checkout ask for my phone number?", "Can I pay with PayPal and/or Apple Pay?",
        "It says 'out of stock' but the app says 'in stock'?", "My order's status is 'processing' for 3 days now.",
        "Hi! Can you drop the price if I buy 5?", "Please select \"gift wrap\" for me, forgot at checkout.",
        "Love the smell -- like 'fresh linen' but not too strong.", "(Sorry for the long review!)",
        "Customer since 2012 -- never had a problem until now.", "Is the table top solid oak or veneer?",
        "Kill me now, I ordered the wrong colour again 🙈", "Ping me on WhatsApp: +44 7700 900123",
        "Tip -- run it once empty before first use.", "Echoing what others said: runs small!",
    ])
    + _g("form", "full_name", ["Seán Ó Ceallaigh", "D'Arcy Carden", "Lorenzo Dell'Orto", "Kateřina Nováková",
                               "Ngozi Okonjo-Iweala", "Miles O'Keeffe Jr.", "Anne-Sophie d'Hérouville", "Tōru Watanabe",
                               "Chloë Grace Moretz", "O'Shaughnessy-Brown, Aoife"])
    + _g("form", "address_line1", ["10 Rue de l'Université", "Flat 2, 3 O'Hara Court", "35 King's Road", "Unit 4/12 Smith St",
                                   "Rua 25 de Março, 100", "ul. Piękna 24/26", "Am Hauptbahnhof 1 (Eingang B)",
                                   "1 Infinite Loop; Bldg 2", "The Old Rectory, Church Lane", "#05-12 Marina Bay Sands"])
    + _g("form", "content", [
        "<p>We&rsquo;re <em>thrilled</em> to announce our new store!</p>", "<h3>Delivery &amp; Returns</h3><p>Free over &pound;50.</p>",
        '<p><a href="https://www.instagram.com/example/" rel="nofollow noopener" target="_blank">Follow us</a></p>',
        '<img src="https://cdn.shopify.com/s/files/1/0001/files/banner_1200x.jpg?v=1717245296" alt="Summer sale banner">',
        '<picture><source srcset="/img/hero.webp" type="image/webp"><img src="/img/hero.jpg" alt="Hero"></picture>',
        "<p><strong>Note:</strong> select your size before adding to cart.</p>", "<ul><li>Drop-in design</li><li>Union fitting</li></ul>",
        '<p>Call us: <a href="tel:+442079460958">020 7946 0958</a></p>', '<video src="/media/demo.mp4" controls muted></video>',
        "## Sizing\n\n| UK | EU |\n|---|---|\n| 8 | 42 |", "**Update (2024-06-01):** shipping delays resolved.",
        "> \"Best purchase this year\" -- Jane, London", "Click [here](/account/orders?status=open) to track.",
        "1) Select colour\n2) Select size\n3) Add to basket", "<p style=\"color:#c00;font-weight:bold\">Sale ends Sunday!</p>",
    ])
    + _g("json", "", [json.dumps(d) for d in [
        {"items": [{"id": 1, "name": "T-shirt \"Basic\"", "size": "M"}], "note": "Gift -- don't include receipt"},
        {"filter": {"and": [{"field": "status", "op": "eq", "value": "open"}, {"field": "total", "op": "gt", "value": 100}]}},
        {"where": {"email": {"contains": "@example.com"}}, "orderBy": {"createdAt": "desc"}, "take": 20},
        {"select": ["id", "name"], "from": "2024-06-01", "to": "2024-06-30"},
        {"action": "delete", "ids": [12, 34], "confirm": True},
        {"command": "refund", "order_id": "ORD-88231", "reason": "Item arrived damaged; customer sent photos."},
        {"script": "summer-campaign", "exec_at": "2024-06-01T09:00:00Z"},
        {"sql_mode": "strict", "db": "shop_prod"},
        {"user": {"name": "Seán O'Brien", "bio": "Coffee > tea. Tabs > spaces. Dogs & cats."}},
        {"text": "Meet me @ 5pm -- usual place; bring $20 & your ID"},
        {"url": "https://www.google.com/maps/place/Trafalgar+Square/@51.508,-0.128,17z"},
        {"html": "<p>Hi <b>{{name}}</b>, your order <a href=\"https://shop.example/o/123\">#123</a> shipped.</p>"},
        {"markdown": "# Title\n\nSome `inline` text and a [link](https://example.com)."},
        {"search": "\"cast iron\" -enamel skillet 10\""},
        {"callback_url": "https://webhook.site/6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f"},
    ]])
    + _g("cookie", "", ["_clck=1abc2de%7C2%7Cfmc%7C0%7C1614", "_clsk=xyz123%7C1717245296123%7C3%7C1%7Cz.clarity.ms%2Fcollect",
                        "_uetsid=abc123def45611ef", "_uetvid=abc123def45611ef", "__hstc=12345.abcdef.1717245296.1717245296.1717245296.1",
                        "hubspotutk=5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d", "_pin_unauth=dWlkPU1qQXhNakk", "_tt_enable_cookie=1",
                        "_ttp=2abcDEFghiJKLmnoPQRstu", "sbjs_first=typ%3Dorganic%7C%7C%7Csrc%3Dgoogle%7C%7C%7Cmdm%3Dorganic",
                        "woocommerce_items_in_cart=1", "wp_woocommerce_session_abc=1%7C%7C1717418096%7C%7C1717414496%7C%7Cdeadbeef",
                        "cookielawinfo-checkbox-analytics=yes", "gdpr=%7B%22necessary%22%3Atrue%2C%22ads%22%3Afalse%7D",
                        "filters=size%3DM%26colour%3Dnavy%26sort%3Dprice", "compare=%5B12%2C34%2C56%5D"])
    + _g("header:User-Agent", "", [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/316.0.635786440 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; U; Android 12; zh-cn; 2201123C Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.7.30",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36 Vivaldi/6.7.3329.35",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Pinterestbot/1.0 (+http://www.pinterest.com/bot.html)", "AppleCoreMedia/1.0.0.21F90 (iPhone; U; CPU OS 17_5 like Mac OS X; en_gb)",
    ])
    + _g("header:Referer", "", [
        "https://www.google.com/search?q=how+to+drop+a+class+at+university&oq=how+to+drop",
        "https://www.google.de/search?q=m%C3%BCller+%26+s%C3%B6hne+gmbh&hl=de",
        "https://www.pinterest.co.uk/pin/123456789012345678/", "https://shop.example/p/cat%20&%20dog%20toys?ref=nav",
    ])
    + _g("header:X-Forwarded-For", "", ["2a02:c7f:1234:5600::1, 172.70.85.12", "100.64.0.7, 198.51.100.3"])
    + _g("path", "", [
        "/blog/2024/05/select-the-right-running-shoe", "/blog/tag/drop-shipping", "/recipes/chicken-tikka-masala-(easy)",
        "/en/artists/guns-n'-roses", "/wiki/AT%26T", "/wiki/Don't_Stop_Believin'", "/products/27-inch-monitor-stand",
        "/shop/women/dresses?size=10&colour=navy", "/help/how-do-i-update-my-card", "/events/union-square-market-2024",
        "/@jane.doe/posts/123", "/~jane/cv.pdf", "/files/Invoice%20%231234.pdf", "/u/d'angelo",
        "/api/v2/search?q=o%27brien&limit=10", "/de/Gr%C3%B6%C3%9Fentabelle", "/products/select-series-dishwasher",
        "/docs/v1.2.3/changelog", "/t/how-to-delete-a-post/4521", "/forum/cat-and-dog-corner/thread-88",
    ])
    + _g("multipart", "file", ["Passport scan (front).jpg", "Jane's CV 2024.pdf", "order #88231 - damage.png",
                               "Invoice_2024-06_£120.pdf", "WhatsApp Image 2024-06-01 at 12.34.56.jpeg",
                               "brochure [draft] v3.indd", "Mietvertrag_Müller.pdf", "家族写真 2024.jpg",
                               "select_fit_size_chart.pdf", "drop-test-results.xlsx"])
    + _g("query", "expr", ["min(4, 9)", "avg(3, 5, 7)", "abs(-3)", "round(2.567, 2)", "floor(7/2)", "pow(2, 8)", "ln(e)", "cos(60°)"])
    + _g("form", "amount", ["1.234,56 €", "$ 12.00 USD", "12/mo", "£9.99/month (billed yearly)"])
    + _g("query", "next", ["/account/orders?status=open&page=2", "https://shop.example/checkout?step=payment"])
    + _g("query", "redirect_uri", ["http://127.0.0.1:51234/callback", "https://oauth.pstmn.io/v1/callback",
                                   "msauth.com.example.app://auth", "urn:ietf:wg:oauth:2.0:oob"])
)

# --- a third batch (written 13:20 by a helper who had not read the detectors; measured once, afterwards):
# help-desk / DevOps prose naming tools, program-name products, function-like everyday words, config and backup file
# names in ordinary contexts, CMS markdown/CSS, webhooks, GraphQL, tokens, and multilingual text
LATE_BATCH_2: _E = (
    _g("query", "q", [
        "pacman ghost night light", "ms pac-man arcade cabinet", "chef knife 8 inch german steel",
        "himalayan salt lamp large", "puppet theatre for kids", "shell station opening hours",
        "rust game server hosting", "go board game 19x19 wooden", "python snake plush toy", "ruby red grapefruit juice",
        "java coffee beans 1kg", "apache helicopter lego", "perl necklace", "echo falls wine", "char broil gas grill",
        "trim hedge trimmer 60cm", "exploded diagram lawn mower parts", "select committee hearing schedule",
        "union rep contact details", "drop-off table booking", "order by date newest first", "stddev vs variance",
        "date format dd/mm/yyyy in excel", "excel vlookup returns #n/a", "sumif with two criteria",
        "how do i install winget on windows 10", "outlook keeps asking for password", "vpn disconnects every 5 minutes",
        "reset mfa authenticator new phone", "printer offline windows 11", "mysqldump backup failed access denied",
        "cron job not running at midnight", "nginx 502 bad gateway after update", "wordpress white screen after plugin update",
        "kubernetes certification course", "terraform vs pulumi", "flights london to lisbon 12 june",
        "hotel near gare du nord with parking", "cheap flights krakow to rome", "bank holiday opening hours",
        "steam deck 512gb", "league of legends ping spikes", "counter-strike 2 config file location",
        "elden ring shadow of the erdtree", "sims 4 money cheat", "system of a down tickets", "root vegetable soup",
        "admin assistant jobs manchester",
    ])
    + _g("query", "s", ["salt lamp dimmer", "chef john's shepherd's pie", "how to join two tables in excel",
                        "union dues calculator", "max and min of a function (gcse)"])
    + _g("query", "destination", ["L'Aquila, Italy", "Hôtel de l'Europe, Avignon", "Côte d'Azur", "İstanbul (IST)",
                                  "Kraków Główny", "東京駅"])
    + _g("form", "description", [
        "The nightly backup job using mysqldump failed last night around 02:00 with 'Access denied for user backup'. "
        "Can someone check the credentials?",
        "How do I install winget on Windows 10? The Microsoft Store version won't update.",
        "Since Tuesday's patch, PowerShell says the execution policy is Restricted when I open my profile script.",
        "Get-ADUser returns nothing for the new starters in the Leeds OU -- is replication stuck?",
        "Our Jenkins build broke after someone changed the Dockerfile; the base image tag no longer exists.",
        "The cron entry for the invoice export is 0 2 * * * but nothing lands in the SFTP folder.",
        "Laptop won't boot -- stuck on 'Preparing Automatic Repair'. Tried holding the power button, no luck.",
        "Can IT allow zoom.us on the guest Wi-Fi? Clients can't join our calls.",
        "After the Outlook update, shared calendars show as 'Not available'. Restarting didn't help.",
        "Excel crashes when I open Q3_forecast.xlsm with macros enabled; works fine if macros are off.",
        "Teams keeps signing me out every morning. I've cleared the cache in %appdata%\\Microsoft\\Teams as the wiki said.",
        "GlobalProtect says 'Gateway not responding' from home but works in the office.",
        "The shared drive S:\\Finance\\2024 is read-only for me since yesterday, can you restore write access?",
        "Staging ran out of disk; /var/log is 40 GB. Who owns log rotation?",
        "Please reset the MFA for j.kowalski@example.com -- new phone, the old one was stolen.",
        "The Chef cookbook for the web tier fails on the nginx recipe since the version bump.",
        "Salt minion on db-03 is not responding to highstate; last check-in was 3 days ago.",
        "Puppet agent run reports 12 changes every time even though nothing changed.",
        "Ansible playbook hangs at 'Gathering Facts' for the Windows hosts only.",
        "Is it ok to delete the old .bak files on the SQL box? They're from 2021 and take 300 GB.",
        "The scheduled task that runs cleanup.ps1 shows 'Last Run Result: 0x1'. Any idea?",
        "Chrome says NET::ERR_CERT_DATE_INVALID on the intranet wiki since this morning.",
        "Could you install Python 3.11 and Git on my workstation? Approved by my manager (see thread).",
        "The kiosk PCs in reception should auto-login and open the visitor sign-in page on boot.",
        "Where is the web.config on the new IIS box? The old one was under D:\\inetpub\\wwwroot\\shop.",
    ])
    + _g("form", "comment", [
        "Anyone else getting rubber-banding in Rust since the last wipe? 150 ping on EU servers.",
        "Got to 5 dan in Go last month -- the trick was reviewing every game I lost.",
        "Pacman 256 is still my favourite mobile game, the endless maze is genius.",
        "Our puppet theatre show is on Saturday at 11:00, tickets £5 at the door.",
        "The Shell station on the A34 has the cheapest diesel this week (1.42/l).",
        "My salt lamp stopped glowing -- is it the bulb or the dimmer switch?",
        "Made the Chef John recipe tonight: 2 cups flour, 1 tsp salt, 3/4 cup warm water. Perfect.",
        "Arch user here, the latest pacman update broke my Wi-Fi driver again lol",
        "In Minecraft you can type /time set day to skip the night if cheats are on.",
        "The union rep said the select committee will hear evidence on the drop in wages next month.",
        "Maths homework: find max(3,7) and min(-2,5), then explain why.",
        "Explode the diagram on page 4 to see how the hinge fits together.",
        "Don't let the budget implode just because Q2 was slow.",
        "Trim the hedge to about 1.2 m and sweep the clippings into the green bin.",
        "Please enter the date as dd/mm/yyyy, e.g. 01/06/2024.",
        "Set the table by the window; the drop-off table for coats is by the door.",
        "Sort the class list: order by date of birth, then by surname.",
        "The stddev of the sample was 4.2 with n=30, so the CI is roughly ±1.5.",
        "Grandma's recipe: 250g butter, 200g sugar, 4 eggs; mix, then fold in the flour.",
        "Can we join the Tuesday and Thursday groups into one session?",
        "Where do I find the exec committee minutes from March?",
        "Script for Sunday's play is in the shared folder, please print 12 copies.",
        "The kids loved the 'Shell Shock' escape room -- book the 4pm slot.",
        "Password reset email never arrived; checked spam and the 'Promotions' tab.",
        "Found it cheaper here: https://deals.example.co.uk/p/salt-lamp?utm_source=facebook&utm_medium=social&utm_campaign=june",
        "Deploy went fine 🚀🎉 thanks all 🙏", "Booked the 07:45 train; coach C, seats 42 & 43.",
        "Is the 'Select Plus' account worth it over the basic current account?",
        "Lost my save file after the update -- is there a cloud backup for the Switch version?",
        "Teacher said to show working: 3x + 5 = 20, so x = 5.",
    ])
    + _g("form", "formula", [
        "=SUM(B2:B14)", '=IF(C2>1000,"High","Low")', "=VLOOKUP(A2,Rates!A:B,2,FALSE)", "=ROUND(AVERAGE(D2:D31),2)",
        '=TEXT(A2,"dd/mm/yyyy")', '=CONCAT(B2," ",C2)', "=STDEV.S(E2:E50)", '=XLOOKUP(F2,Products[SKU],Products[Price],"n/a")',
        "=MAX(0,G2-H2)", '=SUMIFS(Amount,Category,"Travel",Month,"Jun")', "=IFERROR(B2/C2,0)", "=DATE(2024,6,1)+30",
    ])
    + _g("form", "ingredients", [
        "2 cups (250 g) flour\n1 tsp baking soda\n1/2 tsp salt\n3/4 cup (180 ml) buttermilk",
        "Mix 1:1 water & vinegar; spray, wait 5 min, wipe.", "Reduce heat to low (2/9) and simmer 20-25 min.",
        "Salt & pepper to taste -- or a pinch of chilli if you're brave.",
    ])
    + _g("form", "answer", [
        "x = 4 because 2x + 3 = 11", "The mean is 12.5 and the stddev is 3.1", "max(3,7) = 7",
        "6CO2 + 6H2O → C6H12O6 + 6O2", "(b) -- because the union of A and B contains every element of both sets",
    ])
    + _g("form", "payment_reference", ["Rent June – Flat 3/2", "INV-2024/06/17", "Mum's birthday 🎂",
                                       "Gym membership (June)", "Split bill: pizza & drinks", "Zaliczka – faktura 12/06/2024"])
    + _g("form", "beneficiary_name", ["Müller & Söhne GmbH", "O'Donnell Plumbing Ltd", "Société Générale – M. Dupont"])
    + _g("form", "filename", ["report_2024.sql.gz", "db_nightly_2024-06-02.sql.gz", "customers_export (1).csv",
                              "Copy of settings.py", "web.config.old", "site-backup-2024-06-01.zip"])
    + _g("json", "text", [
        "Heads up: .env.example in the repo is out of date, the README still mentions DB_HOST.",
        "Can you upload your Dockerfile and docker-compose.yml to the ticket so we can reproduce?",
        "The settings.py in the starter template has DEBUG = True, remember to flip it before launch.",
        "Question about web.config transformation: the Release transform doesn't replace the connection string.",
        "I put the API base URL in config.json but the app still calls localhost:3000.",
        "Restore from report_2024.sql.gz or the Monday snapshot? Monday is smaller.",
        "PR looks good, just rename utils.js to date-utils.js and add a test.",
        "Standup: yesterday fixed the CSV export; today the timezone bug; no blockers.",
        "Server room temp alarm at 31°C -- facilities notified, AC engineer due at 14:00.",
        "Customer says the invoice PDF shows 'NaN' in the VAT column for orders before 1 May.",
        "Can someone from DevOps look at the failed terraform apply on the staging workspace?",
        "Reminder: the Go meetup moves to the library's room 2B this month.", "Quick poll: tabs or spaces? 👀",
        "The select box on mobile doesn't open on iOS 17.4, works on Android.",
        "Finance: please drop the Q1 accruals into the shared sheet by EOD.",
    ])
    + _g("json", "path", ["C:\\Program Files\\Acme\\Agent\\logs\\agent.log", "/home/jkowalski/projects/shop-web/.env.example",
                          "\\\\fileserver01\\Finance\\2024\\Q2", "~/Library/Logs/zoom.us/zoom_stdout_stderr.log"])
    + _g("json", "", [json.dumps(d, ensure_ascii=False) for d in [
        {"ref": "refs/heads/main", "repository": {"full_name": "acme/shop-web", "private": True},
         "head_commit": {"id": _tok("commit-1", 40), "message": "Fix: select drop-down closes on scroll (#482)",
                         "author": {"name": "Zoë O'Neill", "email": "zoe@example.com"}, "modified": ["src/Select.tsx"]}},
        {"ticket": {"id": 48213, "subject": "Backup job failed (mysqldump)", "requester": "ops@example.com",
                    "tags": ["backup", "database"], "status": "open"}},
        {"webhookEvent": "jira:issue_updated", "issue": {"key": "OPS-1422", "fields": {
            "summary": "Rotate logs in /var/log/nginx weekly", "priority": {"name": "Medium"}}}},
        {"id": "evt_" + _tok("evt", 24, "url").replace("-", "Q").replace("_", "z"), "type": "invoice.payment_failed",
         "data": {"object": {"customer": "cus_Q2xv7ZpLmN3k1a", "amount_due": 4900, "currency": "eur"}}},
        {"status": "firing", "alerts": [{"labels": {"alertname": "DiskSpaceLow", "instance": "db-03:9100",
                                                     "mountpoint": "/var/lib/mysql"},
                                          "annotations": {"summary": "Less than 10% disk left on db-03"}}]},
        {"query": "query Tickets($status: TicketStatus) { tickets(status: $status, orderBy: {field: CREATED_AT, "
                  "direction: DESC}, first: 20) { nodes { id subject requester { name } } } }",
         "variables": {"status": "OPEN"}},
        {"operationName": "CreateBooking", "query": "mutation CreateBooking($input: BookingInput!) { "
                                                    "createBooking(input: $input) { id status } }",
         "variables": {"input": {"hotelId": "H-2231", "checkIn": "2024-07-12", "checkOut": "2024-07-15", "guests": 2}}},
        {"origin": "KRK", "destination": "FCO", "departure": "2024-09-14", "return": "2024-09-21",
         "passengers": {"adults": 2, "children": 1}, "cabin": "economy"},
        {"from_account": "GB33BUKB20201555555555", "to_iban": "DE89370400440532013000", "amount": "250.00",
         "currency": "EUR", "reference": "Rent June – Flat 3/2"},
        {"course_id": "MATH-101", "assignment": "Homework 4", "answer": "max(3,7) = 7 and min(-2,5) = -2",
         "submitted_at": "2024-06-03T21:14:00Z"},
        {"player": "xX_Pacman_Xx", "match_id": "m-88213", "score": {"kills": 12, "deaths": 3}, "map": "de_dust2",
         "server": "eu-west"},
        {"post": {"title": "Choosing a salt lamp for the bedroom", "slug": "choosing-a-salt-lamp", "status": "draft",
                  "tags": ["home", "wellbeing"]}},
        {"type": "event_callback", "event": {"type": "message", "channel": "C024BE91L", "user": "U2147483697",
                                             "text": "can someone restart the staging db? the migration job is stuck"}},
        {"pipeline": {"name": "nightly-backup", "schedule": "0 2 * * *", "steps": ["dump", "compress", "upload"]},
         "notify": "ops@example.com"},
        {"flag": "new-checkout", "rules": [{"attribute": "country", "operator": "in", "values": ["DE", "AT", "CH"]}],
         "rollout": 25},
        {"event": "signup", "properties": {"utm_source": "newsletter", "utm_campaign": "spring_launch",
                                           "landing": "/pricing?plan=team"}},
        {"grant_type": "authorization_code", "code": _tok("authcode-2", 43, "url"),
         "redirect_uri": "https://app.example.com/auth/callback", "code_verifier": _tok("verifier-2", 64, "url")},
        {"form_response": {"answers": [{"type": "text", "text": "I'd like the 'select all' option back please"},
                                       {"type": "choice", "choice": {"label": "Union Square store"}}]}},
        {"id": 820982911946154508, "email": "jon@example.com", "note": "Please gift wrap – it's for my mum's 60th",
         "line_items": [{"title": "Himalayan Salt Lamp (Large)", "quantity": 1}]},
        {"avatar": "data:image/jpeg;base64," + base64.b64encode(
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
            + bytes(range(64)) + b"\xff\xd9").decode()},
    ]])
    + _g("form", "body", [
        "## Setup\n\n1. Copy `.env.example` to `.env`\n2. Fill in `DATABASE_URL`\n3. Start the app with `npm run dev`",
        "Upload your `Dockerfile` and we'll build the image for you. See the "
        "[build docs](https://docs.example.com/build?utm_source=forum&utm_medium=post).",
        "> **Note:** `settings.py` is ignored by git; use `settings.example.py` as a template.",
        "Fixed in **v2.4.1** -- the `select` element now keeps focus on iOS. Thanks @mkowalski! 🎉",
        "| Function | Result |\n|---|---|\n| `max(3,7)` | 7 |\n| `min(3,7)` | 3 |",
        "The `web.config` transform only runs on *publish*, not on build -- that caught me out too.",
        "Contents:\n- [Install](#install)\n- [Configure](#configure)\n- [FAQ](#faq)",
        "~~Friday~~ **Monday**: the office is closed for the bank holiday.",
        "Put your API key in `config.json` under `\"apiKey\"`, never in the README.",
    ])
    + _g("form", "custom_css", [
        ".product-title { font-size: 1.25rem; text-transform: uppercase; }",
        "@media (max-width: 768px) { .header__logo { max-width: 120px; } }",
        "body { font-family: 'Inter', sans-serif; background: #fafafa; }",
        ".btn-primary:hover { background-color: #0056b3; border-color: #004085; }",
        ":root { --brand: #e4002b; --radius: 6px; }", '.announcement-bar::before { content: "★ "; }',
        "@import url('https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap');",
    ])
    + _g("form", "content", [
        "<p>Opening hours: Mon&ndash;Fri 9&ndash;5 &bull; Sat 10&ndash;2</p>",
        "<p>Caf&eacute; &amp; Bistro &ldquo;Le Petit&rdquo; &ndash; r&eacute;servez maintenant</p>",
        '<p>Questions? Visit our <a href="https://help.example.com/?utm_source=site&amp;utm_medium=footer">Help Centre</a>.</p>',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" width="560" height="315" '
        'title="YouTube video player" allowfullscreen></iframe>',
        "<p>5 &times; 3 = 15 &nbsp;|&nbsp; 10 &divide; 2 = 5</p>", "<p><code>config.json</code> lives in the project root.</p>",
        "<details><summary>Show shipping rates</summary><p>UK £3.95, EU €9.95</p></details>",
    ])
    + _g("query", "q", [
        "Wie installiere ich winget unter Windows 10?", "où trouver l'option « sélectionner tout » ?",
        "çay bardağı 6'lı set", "İstanbul'dan Ankara'ya otobüs bileti", "東京 大阪 新幹線 指定席 予約",
        "エクセルで日付を yyyy/mm/dd にしたい", "как установить winget на windows 10", "купить чайник электрический 1,7 л",
        "jak zmienić hasło do dziennika elektronicznego", "pastel de nata receita fácil",
    ])
    + _g("form", "message", [
        "Das Backup mit mysqldump ist heute Nacht fehlgeschlagen – bitte prüfen.",
        "Kann ich die Bestellung noch ändern? Ich habe „Größe M“ statt „L“ gewählt.",
        "Bonjour, j'ai oublié mon mot de passe et l'e-mail de réinitialisation n'arrive pas.",
        "C'est l'anniversaire d'Hélène : pourriez-vous ajouter un mot « Joyeux anniversaire » ?",
        "¿Cómo cambio el formato de fecha a dd/mm/aaaa en la hoja de cálculo?",
        "Hola, el vuelo de Madrid a Lisboa aparece como 'cancelado' pero no recibí ningún correo.",
        "¡Qué buena pinta tiene la receta! ¿Cuántos gramos de sal lleva?",
        "Olá, o boleto venceu ontem; posso pagar com Pix?", "Quero cancelar a reserva do hotel no Porto (check-in 12/07).",
        "não consigo fazer login no app do banco desde a atualização",
        "Dzień dobry, przelew na konto 12 1020 1026 0000 0402 0123 4567 nie doszedł — proszę o sprawdzenie.",
        "Zamówiłem rozmiar 42, a przyszło 44 – chcę wymienić.", "Merhaba, siparişim 3 gündür 'hazırlanıyor' görünüyor.",
        "Şifremi unuttum, SMS kodu gelmiyor.", "パスワードを忘れました。再設定メールが届きません。",
        "「ワイヤレスイヤホン」の在庫はいつ入りますか？", "Здравствуйте! Не проходит оплата картой «Мир», что делать?",
        "Бронь в отеле «Космос» на 12–15 июля, 2 взрослых.",
    ])
    + _g("json", "message", ["Rückgabe bis 30 Tage, Originalverpackung nicht nötig?", "L'hôtel n'a pas reçu ma réservation.",
                             "Sınav sonuçları ne zaman açıklanacak?", "Обновите, пожалуйста, приложение — не открывается."])
    + _g("cookie", "", [
        "timezone=Europe%2FWarsaw", "kb_recent=winget%7Cmysqldump%7Cvpn%20disconnects", "editor_theme=solarized-dark",
        "sidebar_collapsed=true", "_hjid=" + _uuid("hjid"), "ajs_user_id=%22usr_8213%22", "preferred_airport=KRK",
        "booking_draft=%7B%22hotel%22%3A%22H-2231%22%2C%22nights%22%3A3%7D", "helpdesk_view=my_open_tickets",
        "game_region=eu-west", "course_progress=MATH-101%3A4%2F12", "pll_language=de", "wp-wpml_current_language=fr",
        "_dd_s=rum=1&id=" + _uuid("dd") + "&created=1717245296123&expire=1717246196123", "_octo=GH1.1.123456789.1717245296",
        "dotcom_user=jane-odev", "lang=tr-TR",
    ])
    + _g("header:User-Agent", "", [
        "Mozilla/5.0 (Windows; U; Windows NT 10.0; en-US; Valve Steam Client/default/1716584626; ) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.6478.183 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox Series X) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
        "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 "
        "NintendoBrowser/5.1.0.20389",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.11.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.38.125 "
        "Chrome/124.0.6367.243 Electron/30.1.0 Safari/537.36 Sonic Slack_SSB/4.38.125",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Code/1.90.0 "
        "Chrome/122.0.6261.156 Electron/29.4.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
        "YaBrowser/24.4.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-NX9; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/114.0.5735.196 HuaweiBrowser/14.0.6.300 Mobile Safari/537.36",
        "Mozilla/5.0 (Mobile; LYF/F300B/LYF-F300B-001-01-15-130718-i;Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
        "NordBank/24.6.0 (iPhone14,5; iOS 17.5.1; Scale/3.00)", "Duolingo/5.150.4 (iPhone; iOS 17.5.1; Scale/3.00)",
    ])
    + _g("header:Referer", "", [
        "https://www.google.com/search?q=how+do+i+install+winget+on+windows+10",
        "https://support.example.com/hc/en-us/articles/4410233-Backup-job-failed-mysqldump",
        "https://stackoverflow.com/questions/1234567/web-config-transformation-not-applied-on-publish",
        "https://github.com/acme/shop-web/blob/main/README.md#configuration",
        "https://www.booking.com/searchresults.en-gb.html?ss=Lisbon&checkin=2024-07-12&checkout=2024-07-15&group_adults=2",
        "https://www.skyscanner.net/transport/flights/krk/fcoa/240914/?adultsv2=2&cabinclass=economy",
        "https://www.reddit.com/r/playrust/comments/1dabc2/server_wipe_schedule_thread/",
        "https://teams.microsoft.com/", "https://classroom.google.com/c/NjQ1MjM0NTY3ODkw/a/NjYxMjM0NTY3ODk/details",
        "https://www.google.com.tr/search?q=%C3%A7ay+bardaklar%C4%B1+6%27l%C4%B1+set",
        "https://yandex.ru/search/?text=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C+%D1%87%D0%B0%D0%B9%D0%BD%D0%B8%D0%BA&lr=213",
    ])
    + _g("header:Accept-Language", "", ["tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7", "ja,en-US;q=0.9,en;q=0.8",
                                        "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "de-CH,de;q=0.9,fr-CH;q=0.8"])
    + _g("header:X-GitHub-Event", "", ["push", "pull_request"])
    + _g("header:X-Gitlab-Event", "", ["Pipeline Hook"])
    + _g("header:X-Slack-Signature", "", ["v0=" + _tok("slack-sig", 64)])
    + _g("header:Idempotency-Key", "", [_uuid("idem-1")])
    + _g("header:Prefer", "", ["return=representation", "respond-async, wait=10"])
    + _g("header:X-Device-Name", "", ["Kuba's ThinkPad", "Salle de réunion 2 (Teams Room)"])
    + _g("header:Authorization", "", [
        "Bearer " + _jwt({"aud": "api://helpdesk", "iss": "https://login.microsoftonline.com/" + _uuid("tenant") + "/v2.0",
                          "name": "Kowalski, Jakub", "preferred_username": "j.kowalski@example.com",
                          "roles": ["Tickets.ReadWrite"], "iat": _NOW, "exp": _NOW + 3600}, "RS256", "nOo3ZDrODXEK1jKWhXslHR_KXEg"),
        "Bearer ya29.a0AfB_by" + _tok("google-at", 150, "url"),
        "Bearer glpat-" + _tok("gitlab", 20, "url").replace("-", "x").replace("_", "y"),
        "Bearer " + _tok("opaque-1", 48, "url"),
    ])
    + _g("query", "redirect_uri", ["https://app.example.com/auth/callback/azure-ad",
                                   "https://login.microsoftonline.com/common/oauth2/nativeclient",
                                   "io.example.bank://oauth2redirect", "https://staging.example.dev/api/auth/callback/github"])
    + _g("query", "scope", ["https://graph.microsoft.com/User.Read offline_access", "user-read-email playlist-read-private"])
    + _g("path", "", [
        "/kb/how-to-install-winget-on-windows-10", "/help-center/articles/backup-job-failed-mysqldump-access-denied",
        "/docs/configuration/config-json", "/docs/deploy/dockerfile-reference",
        "/blog/2024/06/web-config-transformation-explained", "/recipes/chef-johns-shepherds-pie",
        "/games/pacman-championship-edition", "/shop/home/salt-lamps/himalayan-salt-lamp-large",
        "/events/puppet-theatre-saturday-matinee", "/stations/shell-a34-oxford", "/servers/rust/eu-main-2x-weekly-wipe",
        "/clubs/go/ladder?season=2024", "/tickets/OPS-1422", "/helpdesk/tickets/48213/comments", "/en/flights/krakow-to-rome",
        "/hotels/pt/lisboa/hotel-do-chiado", "/tr/urun/cay-bardagi-6li-set", "/ja/help/パスワードを忘れた",
        "/ru/katalog/chayniki", "/pl/pomoc/jak-zmienic-haslo", "/fr/aide/comment-supprimer-mon-compte",
        "/de/hilfe/rechnung-herunterladen", "/courses/math-101/assignments/4/submissions",
        "/banking/accounts/GB33BUKB20201555555555/statements?month=2024-05", "/developers/docs/webhooks/verifying-signatures",
        "/acme/shop-web/blob/main/.env.example", "/wiki/Go_(game)", "/wiki/Rust_(video_game)",
        "/forum/t/salt-lamp-dimmer-not-working/7712",
    ])
    + _g("multipart", "file", [
        "Dockerfile", "docker-compose.yml", ".env.example", "config.json", "settings.py", "web.config", "Web.Release.config",
        "shop_db_2024-06-01.sql.gz", "cleanup.ps1", "map_drives.bat", "error_log.txt", "nginx.conf",
        "id_ed25519.pub", "autoexec.cfg", "Screenshot 2024-06-03 094512.png", "Hausaufgabe Mathe – Kapitel 4.pdf",
        "Relevé de compte juin 2024.pdf", "Wyciąg bankowy 05-2024.pdf", "Fatura_2024-06_Türk Telekom.pdf",
        "領収書_2024年6月.pdf", "Договор аренды (скан).pdf", "boarding-pass_KRK-FCO.pdf",
    ])
)

BENIGN_ENTRIES: _E = (SHOP_SEARCH + PRODUCTS + PRODUCT_DESCRIPTIONS + PEOPLE + MULTILINGUAL + PROSE + RICH_TEXT + API_JSON
                      + WEBHOOKS + OAUTH + TOKENS + COOKIES + USER_AGENTS + REFERERS + HEADERS_MISC + FILENAMES
                      + NUMBERS + PATHS + ENCODED + FILTERS + ACCOUNTS + PROSE_MORE + QUERY_PARAMS
                      + API_JSON_MORE + CARRIER_MIX
                      + LATE_BATCH + LATE_BATCH_2)

# --- developer-docs site searches: code-ish text that a strict WAF may legitimately flag (measured separately)
DEV_DOCS_ENTRIES: _E = (
    _g("query", "q", [
        "python list comprehension", "git reset --hard HEAD~1", "SELECT syntax", "how to use grep -r",
        "SELECT * FROM users WHERE id = 1", "sql left join vs inner join", "DROP TABLE IF EXISTS", "UNION ALL vs UNION",
        "ORDER BY 1 DESC", "insert into values multiple rows", "update set where mysql", "delete from table where",
        "rm -rf node_modules", "chmod +x script.sh", "ls -la | grep .env", "cat /etc/hosts", "find . -name '*.py'",
        "curl -X POST -H 'Content-Type: application/json'", "docker run -it --rm ubuntu bash", "ps aux | grep python",
        "echo $PATH", "export PATH=$PATH:/usr/local/bin", "kill -9 $(lsof -t -i:3000)", "sudo apt-get install nginx",
        "javascript alert() vs console.log", "document.getElementById is null", "<script> tag async defer",
        "<img onerror>", "onclick vs addEventListener", "window.location.href redirect", "innerHTML vs textContent",
        "${variable} template literal", "{{ variable }} jinja2", "{% for item in items %}", "<%= erb %>",
        "../relative path import", "/etc/passwd format", "C:\\Windows\\System32\\drivers\\etc\\hosts",
        "os.system vs subprocess.run", "eval() is evil", "exec() python", "__import__('os')", "Runtime.getRuntime().exec",
        "<?php echo phpinfo(); ?>", "sleep(5) in bash", "WAITFOR DELAY sql server", "xp_cmdshell enable",
        "char(13) + char(10)", "CONCAT_WS mysql", "information_schema.tables", "1=1 in where clause",
        "' OR '1'='1 explained", "ldap filter (&(objectClass=user)(cn=*))", "$where mongodb", "{\"$gt\": \"\"} mongo",
        "xml <!DOCTYPE> declaration", "<!ENTITY> in xml", "ssrf 169.254.169.254", "file:///etc/hosts in browser",
        "jndi lookup log4j", "nc -lvp 4444", "wget -O- | sh", "bash -i >& /dev/tcp", "powershell -enc",
        "cmd.exe /c dir", "%0d%0a header", "Set-Cookie: HttpOnly; Secure", "${jndi:ldap://...} explained",
        "SELECT COUNT(*) FROM orders GROUP BY status", "how to escape ' in sql", "regex ^(a+)+$ catastrophic backtracking",
        "python f-string {x!r}", "bash if [ -f file ]; then", "pip install requests", "sudo systemctl restart nginx",
        "<div onclick=...>", "xss prevention cheat sheet", "sql injection prevention", "jq '.items[] | .name'",
        "awk '{print $1}'", "sed -i 's/foo/bar/g' *.txt", "find . -type f | xargs -0 rm", "tar -xzvf file.tar.gz",
        "ssh -i key.pem ec2-user@10.0.0.5", "<iframe sandbox>", "javascript:void(0)", "document.cookie httponly",
        "fetch('/api').then(r => r.json())", "SELECT ... FOR UPDATE SKIP LOCKED", "LIMIT 10 OFFSET 20",
        "CASE WHEN x > 0 THEN 'pos' END", "ALTER TABLE users ADD COLUMN age int", "TRUNCATE TABLE logs",
        "GRANT SELECT ON db.* TO 'app'@'%'", "sleep 5 && echo done", "python -m http.server 8000",
        "http://169.254.169.254/latest/meta-data", "{{7*7}} jinja", "${7*7}", "<!-- html comment -->",
        "String.fromCharCode(72, 105)", "base64 -d <<< aGVsbG8=", "nslookup example.com", "ping -c 4 8.8.8.8",
        "whoami /priv", "net user /domain", "php -r 'echo 1;'", "perl -e 'print 1'", "ruby -e 'puts 1'",
    ])
    + _g("form", "body", [
        "To list files run `ls -la`; to remove them use `rm -rf build/`.",
        "```sql\nSELECT id, name FROM users WHERE active = 1 ORDER BY name;\n```",
        "```bash\ncurl -s https://api.example.com/v1/status | jq .\n```",
        "```js\nconst x = document.querySelector('#app');\nx.innerHTML = '<p>Hi</p>';\n```",
        "<pre><code>npm install --save lodash</code></pre>", "chmod 777 sticker",
        "```python\nimport os\nprint(os.environ.get('HOME'))\n```",
        "Use `<script src=\"/app.js\"></script>` at the end of `<body>`.",
        "In Jinja use {{ user.name }} and {% if user %}...{% endif %}.",
        "My query `SELECT COUNT(*) FROM orders WHERE status = 'paid'` is slow, any ideas?",
        "Try: `git log --oneline | head -n 5 && git status`",
        "Path on Windows is C:\\Users\\jane\\AppData\\Local; on Linux ~/.config",
    ])
    + _g("path", "", ["/docs/sql/select-statement", "/docs/bash/rm-command", "/man/1/grep", "/wiki/Cross-site_scripting",
                      "/docs/javascript/alert", "/questions/1234/how-to-escape-single-quote-in-sql",
                      "/docs/etc/passwd-file-format"])
)

# --- command-line HTTP clients and libraries: legitimate, but tool fingerprints a WAF may flag by design
TOOLS_ENTRIES: _E = _g("header:User-Agent", "", [
    "curl/8.5.0", "curl/7.81.0", "Wget/1.21.4", "python-requests/2.31.0", "Python-urllib/3.11", "python-httpx/0.27.0",
    "aiohttp/3.9.5", "Go-http-client/1.1", "Go-http-client/2.0", "Java/17.0.10", "Apache-HttpClient/4.5.14 (Java/17.0.10)",
    "axios/1.7.2", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "undici", "PostmanRuntime/7.39.0",
    "insomnia/2023.5.8", "HTTPie/3.2.2", "libwww-perl/6.77", "Ruby", "Faraday v2.9.0", "GuzzleHttp/7",
    "Microsoft-CryptoAPI/10.0", "Prometheus/2.52.0", "Grafana/10.4.2", "Terraform/1.8.4", "aws-sdk-go/1.51.0",
    "Dart/3.3 (dart:io)", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "Deno/1.44.0",
    "k6/0.51.0 (https://k6.io/)", "ApacheBench/2.3", "Vercel Edge Functions", "Java-http-client/17.0.10",
    "Boto3/1.34.100 md/Botocore#1.34.100 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.9",
])


def _flat(entries: _E) -> list[tuple[str, str]]:
    return [(c, v) for c, _, v in entries]


BENIGN: list[tuple[str, str]] = _flat(BENIGN_ENTRIES)
DEV_DOCS: list[tuple[str, str]] = _flat(DEV_DOCS_ENTRIES)
TOOLS: list[tuple[str, str]] = _flat(TOOLS_ENTRIES)

# --- request building
_CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/124.0.0.0 Safari/537.36")
_BASE_COOKIES = "_ga=GA1.2.1234567890.1717245296; _gid=GA1.2.987654321.1717245296; sessionid=" + _tok("base-sess", 32)
_PAGE_HEADERS = [
    ("User-Agent", _CHROME_UA),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
    ("Accept-Language", "en-GB,en;q=0.9"),
    ("Accept-Encoding", "gzip, deflate, br"),
    ("Connection", "keep-alive"),
    ("Upgrade-Insecure-Requests", "1"),
    ("Sec-Fetch-Dest", "document"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Site", "same-origin"),
]
_XHR_ACCEPT = "application/json, text/plain, */*"
_PATH_SAFE = "/:@!$&'()*+,;=-._~"  # what browsers leave unescaped in a path
_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7f) if chr(c) not in '"#<>')
_QUERY_PATH = {"q": "/search", "redirect": "/login", "token": "/password/reset", "signature": "/download",
               "X-Amz-Credential": "/bucket/report.pdf", "expr": "/calculator", "date": "/reports/sales",
               "version": "/downloads", "id": "/track"}
_OAUTH_KEYS = {k for k, _ in _OAUTH}


def _with(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in headers if k.lower() != name.lower()]
    out.append((name, value))
    return out


def build_request(carrier: str, value: str, key: str = "") -> RawRequest:
    """A realistic browser/app request carrying `value` in `carrier` (see the module comment for the conventions)."""
    hs = list(_PAGE_HEADERS) + [("Cookie", _BASE_COOKIES)]
    if carrier == "query":
        key = key or "q"
        if key in _OAUTH_KEYS:
            pairs = [("response_type", "code"), ("client_id", "shop-web")] if key not in ("response_type", "client_id") else []
            path = "/oauth2/authorize"
        else:
            pairs, path = [], _QUERY_PATH.get(key, "/products")
        if path == "/products":
            pairs.append(("page", "1"))
        # bytes above 0x7f written as surrogate escapes (the batches' convention) go out percent-encoded as bytes
        qs = urllib.parse.urlencode(pairs + [(key, value)], errors="surrogateescape")
        return req(f"{path}?{qs}", headers=_with(hs, "Referer", "https://shop.example/"))
    if carrier == "form":
        key = key or "comment"
        fields = [("csrfmiddlewaretoken", _tok("form-csrf", 64, "url").replace("-", "k").replace("_", "Z")),
                  (key, value), ("submit", "Save")]
        body = urllib.parse.urlencode(fields, errors="surrogateescape").encode()
        hs = _with(hs, "Content-Type", "application/x-www-form-urlencoded")
        hs = _with(hs, "Origin", "https://shop.example")
        return req("/account/submit", method="POST", headers=hs, body=body)
    if carrier == "json":
        doc: object = None
        if value[:1] in "{[":
            try:
                doc = json.loads(value)
            except ValueError:
                doc = None
        if doc is None:
            doc = {"data": {"type": "item", "id": _uuid(value)[:8], "attributes": {key or "text": value,
                                                                                "locale": "en-GB", "draft": False}},
                   "meta": {"client": "web", "ts": "2024-06-01T12:34:56Z"}}
        body = json.dumps(doc, ensure_ascii=False).encode()
        hs = _with(hs, "Content-Type", "application/json")
        hs = _with(hs, "Accept", _XHR_ACCEPT)
        hs = _with(hs, "Origin", "https://shop.example")
        target = "/graphql" if isinstance(doc, dict) and "query" in doc and "{" in str(doc.get("query")) else "/api/v1/items"
        return req(target, method="PATCH" if isinstance(doc, list) else "POST", headers=hs, body=body)
    if carrier == "cookie":
        # "name=value" only when something follows the `=`: base64 padding (`eyJ…fQ==`) is part of a value
        first = value.split(";")[0].partition("=")
        pair = value if first[2].strip("=") else f"{key or 'pref'}={value}"
        name = pair.split("=", 1)[0]
        base = [c for c in _BASE_COOKIES.split("; ") if c.split("=", 1)[0] != name]  # a browser sends a name once
        return req("/", headers=_with(hs, "Cookie", "; ".join(base + [pair])))
    if carrier.startswith("header:"):
        name = carrier.split(":", 1)[1]
        if name.lower() == "cookie":
            return req("/", headers=_with(hs, "Cookie", value))
        return req("/api/v1/me" if name.lower() in ("authorization", "x-api-key") else "/", headers=_with(hs, name, value))
    if carrier == "path":
        if value.startswith("/"):
            p, _, qs = value.partition("?")
            # the query as a browser sends it: the WHATWG query set (space, quotes, <, >, #) and non-ASCII escaped
            target = urllib.parse.quote(p, safe=_PATH_SAFE + "%", errors="surrogateescape") + (
                "?" + urllib.parse.quote(qs, safe=_QUERY_SAFE, errors="surrogateescape") if qs else "")
        else:
            target = "/p/" + urllib.parse.quote(value, safe=_PATH_SAFE.replace("/", ""), errors="surrogateescape")
        return req(target, headers=hs)
    if carrier == "multipart":
        boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        fname = value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")  # what browsers do
        ext = value.rsplit(".", 1)[-1].lower() if "." in value else ""
        mime = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                "gif": "image/gif", "txt": "text/plain", "md": "text/markdown", "csv": "text/csv"}.get(ext,
                                                                                           "application/octet-stream")
        content = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" if ext == "pdf" else (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" if ext == "png" else b"hello, world\n")
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMy upload\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key or 'file'}\"; filename=\"{fname}\"\r\n"
                f"Content-Type: {mime}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        hs = _with(hs, "Content-Type", f"multipart/form-data; boundary={boundary}")
        return req("/account/uploads", method="POST", headers=hs, body=body)
    if carrier == "raw":  # the value is the whole request as sent (request line, headers, body), read leniently
        return parse_raw(value.encode("utf-8", "surrogateescape"))
    if carrier.startswith("body:"):  # the value is the whole request body, sent with that Content-Type
        hs = _with(hs, "Content-Type", carrier.split(":", 1)[1])
        hs = _with(hs, "Origin", "https://shop.example")
        return req(f"/api/v1/{key or 'import'}", method="POST", headers=hs, body=value.encode("utf-8", "surrogateescape"))
    raise ValueError(f"unknown carrier {carrier!r}")


def _requests(entries: _E) -> list[tuple[str, RawRequest]]:
    return [(f"{c}:{v}", build_request(c, v, k)) for c, k, v in entries]


def benign_requests() -> list[tuple[str, RawRequest]]:
    """One (label, request) per BENIGN value, in BENIGN order; the label is f"{carrier}:{value}"."""
    return _requests(BENIGN_ENTRIES)


def dev_docs_requests() -> list[tuple[str, RawRequest]]:
    """One (label, request) per DEV_DOCS value (developer-docs searches a strict WAF may flag)."""
    return _requests(DEV_DOCS_ENTRIES)


def tools_requests() -> list[tuple[str, RawRequest]]:
    """One (label, request) per TOOLS value (command-line client / library User-Agents)."""
    return _requests(TOOLS_ENTRIES)
