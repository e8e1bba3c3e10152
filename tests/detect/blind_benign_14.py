"""Blind benign batch 14: API traffic (JSON, GraphQL, SOAP, FHIR, webhooks, mobile apps) and text in many languages, written by hand."""
from __future__ import annotations

import base64
import json


def _raw(method: str, target: str, host: str, headers: list[str], body: str = "") -> str:
    """Build a whole HTTP/1.1 request with CRLF line ends and an exact Content-Length."""
    data = body.encode("utf-8")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", *headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(data)}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def _b64json(obj: object) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).decode("ascii")


BLIND_BENIGN_14: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- CRM / ticketing / project tools
    ("json", "contacts", '{"properties":{"email":"maria.gonzalez@talleresnorte.es","firstname":"Maria","lastname":"Gonzalez","phone":"+34 612 345 678","company":"Talleres Norte S.L.","website":"https://talleresnorte.es","lifecyclestage":"lead","hs_lead_status":"NEW"}}'),
    ("json", "opportunity", '{"StageName":"Closed Won","Amount":48000,"CloseDate":"2024-06-28","Probability":100,"NextStep":"Send countersigned MSA to legal","Description":"3-year renewal incl. premium support"}'),
    ("query", "q", "SELECT Id, Name, Amount, CloseDate, Account.Name FROM Opportunity WHERE StageName = 'Closed Won' AND CloseDate = THIS_QUARTER ORDER BY Amount DESC LIMIT 50"),
    ("json", "deals", '{"title":"Nordwind GmbH - renewal FY25","value":12500,"currency":"EUR","person_id":4821,"org_id":377,"stage_id":3,"status":"open","expected_close_date":"2024-09-30","visible_to":"3"}'),
    ("json", "tickets", r'{"ticket":{"subject":"Printer on 3rd floor keeps jamming","comment":{"body":"Hi team,\n\nThe HP LaserJet next to the kitchen shows \"13.20.00 Jam in tray 2\" every few pages. We already replaced the paper.\n\nThanks,\nPriya"},"priority":"normal","type":"incident","tags":["hardware","floor-3"],"requester":{"name":"Priya Raman","email":"priya.raman@example.org"},"custom_fields":[{"id":360012345678,"value":"office_berlin"}]}}'),
    ("json", "reply", '{"message_type":"comment","type":"admin","admin_id":"5017691","body":"<p>Thanks for the screenshot! I have passed this to our billing team and you will hear back within 24 hours.</p><p>Best,<br>Lena</p>"}'),
    ("json", "issue", '{"fields":{"project":{"key":"OPS"},"summary":"Nightly backup job exceeds 6h window","issuetype":{"name":"Bug"},"priority":{"name":"High"},"labels":["backup","infra"],"components":[{"name":"Storage"}],"description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Since the upgrade to v4.2 the "},{"type":"text","text":"pg_dump","marks":[{"type":"code"}]},{"type":"text","text":" step takes 4h longer."}]}]}}}'),
    ("query", "jql", 'project = OPS AND status in ("In Progress", "To Do") AND assignee = currentUser() ORDER BY updated DESC'),
    ("json", "graphql", r'{"query":"mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url title } } }","variables":{"input":{"teamId":"9cfb482a-81e3-4154-b5b9-2c805e70a02d","title":"Checkout button misaligned on Safari 17","description":"Steps:\n1. Open cart on iPad\n2. Rotate to landscape\n\nExpected: button stays in footer","priority":2,"labelIds":["5e9a7c1b-3f42-4d1e-9a0b-7c2d8e6f1a33"]}}}'),
    ("json", "tasks", '{"data":{"name":"Prepare Q3 board deck","notes":"Pull ARR and churn numbers from the Looker dashboard, then ask Finance to review.","due_on":"2024-07-12","assignee":"me","projects":["1204567890123456"],"workspace":"1198765432109876","followers":["1201234567890123"]}}'),
    ("json", "ticket", '{"description":"<div>My order #100234 arrived with a cracked lid. Photos are attached.</div>","subject":"Damaged item on arrival","email":"tom.hughes@example.com","priority":2,"status":2,"source":2,"cc_emails":["support-lead@example.com"],"custom_fields":{"cf_order_number":"100234"}}'),
    ("query", "desc", "Checklist:\n- update DNS records\n- renew TLS cert\n- notify #ops channel"),
    ("query", "filter", "status:open assignee:me -label:wontfix sort:updated-desc"),
    # ---------------------------------------------------------------- e-commerce carts and orders
    ("json", "items", '{"items":[{"id":39872104857,"quantity":2,"properties":{"Engraving":"For Mum, love always","_gift_wrap":"yes"}}]}'),
    ("json", "updates", '{"updates":{"39872104857":0,"40011223344":3},"note":"Leave with the neighbour at no. 14 if nobody is home"}'),
    ("form", "updates[]", "2"),
    ("form", "note", "Please gift wrap - it's a birthday present! No invoice in the box please."),
    ("path", "", "/discount/WELCOME10?redirect=%2Fcollections%2Fsummer-sale"),
    ("json", "orders", '{"payment_method":"bacs","payment_method_title":"Direct Bank Transfer","set_paid":false,"billing":{"first_name":"John","last_name":"Doe","address_1":"969 Market","address_2":"","city":"San Francisco","state":"CA","postcode":"94103","country":"US","email":"john.doe@example.com","phone":"(555) 555-5555"},"shipping":{"first_name":"John","last_name":"Doe","address_1":"969 Market","city":"San Francisco","state":"CA","postcode":"94103","country":"US"},"line_items":[{"product_id":93,"quantity":2},{"product_id":22,"variation_id":23,"quantity":1}],"shipping_lines":[{"method_id":"flat_rate","method_title":"Flat Rate","total":"10.00"}]}'),
    ("json", "cartItem", '{"cartItem":{"sku":"WS12-M-Orange","qty":1,"quote_id":"hVgUOZsGh4XrB9bZxYAKXf7M4BGMIiuT","product_option":{"extension_attributes":{"configurable_item_options":[{"option_id":"93","option_value":56},{"option_id":"144","option_value":168}]}}}}'),
    ("json", "cart", '{"version":7,"actions":[{"action":"addLineItem","productId":"5f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8","variantId":2,"quantity":1},{"action":"setShippingAddress","address":{"firstName":"Anna","lastName":"Schmidt","streetName":"Lindenstrasse","streetNumber":"7","postalCode":"10969","city":"Berlin","country":"DE"}},{"action":"addDiscountCode","code":"SUMMER-24"}]}'),
    ("json", "checkout", '{"line_items":[{"variant_id":447654529,"quantity":1}],"email":"jon@example.com","shipping_address":{"first_name":"Jon","last_name":"Snow","address1":"126 York St.","city":"Ottawa","province_code":"ON","country_code":"CA","zip":"K1N 5T5","phone":"+1 613 555 0142"},"discount_code":"FALL15"}'),
    ("form", "coupon_code", "FREESHIP-2024"),
    ("query", "sort_by", "price-ascending"),
    ("query", "filter.v.option.size", "M"),
    ("query", "filter.v.price.lte", "79.99"),
    # ---------------------------------------------------------------- payments
    ("raw", "", _raw("POST", "/v1/payment_intents", "api.stripe.com", [
        "Authorization: Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "Content-Type: application/x-www-form-urlencoded",
        "Idempotency-Key: 8b7d3c2e-6a1f-4e9b-b0d2-51c3a7f9e4d6",
        "Stripe-Version: 2024-06-20",
        "User-Agent: Stripe/v1 NodeBindings/15.12.0",
        "Accept: application/json",
    ], "amount=2000&currency=usd&automatic_payment_methods%5Benabled%5D=true&customer=cus_NffrFeUfNV2Hib&description=Order+%236735&metadata%5Border_id%5D=6735&receipt_email=jenny.rosen%40example.com")),
    ("form", "payment_method_data[billing_details][address][postal_code]", "94107"),
    ("form", "payment_method_data[billing_details][name]", "Jenny Rosen"),
    ("json", "orders", '{"intent":"CAPTURE","purchase_units":[{"reference_id":"d9f80740-38f0-11e8-b467-0ed5f89f718b","description":"Sporting goods","custom_id":"CUST-HighFashions","soft_descriptor":"HighFashions","amount":{"currency_code":"USD","value":"230.00","breakdown":{"item_total":{"currency_code":"USD","value":"180.00"},"shipping":{"currency_code":"USD","value":"30.00"},"tax_total":{"currency_code":"USD","value":"20.00"}}}}],"payment_source":{"paypal":{"experience_context":{"payment_method_preference":"IMMEDIATE_PAYMENT_REQUIRED","brand_name":"EXAMPLE INC","locale":"en-US","landing_page":"LOGIN","shipping_preference":"SET_PROVIDED_ADDRESS","user_action":"PAY_NOW","return_url":"https://example.com/returnUrl","cancel_url":"https://example.com/cancelUrl"}}}}'),
    ("json", "payments", '{"amount":{"currency":"EUR","value":1000},"reference":"ORDER-2024-000187","paymentMethod":{"type":"scheme","encryptedCardNumber":"adyenjs_0_1_25$XxfFq1h4b2sNmH9y0Uk3Zw==","encryptedExpiryMonth":"adyenjs_0_1_25$Q2w3e4r5t6y7u8i9o0p==","encryptedExpiryYear":"adyenjs_0_1_25$Zx8Cv7Bn6Mm5Ll4Kk3==","encryptedSecurityCode":"adyenjs_0_1_25$Aa1Ss2Dd3Ff4Gg5Hh6=="},"shopperReference":"shopper-7781","returnUrl":"https://shop.example.com/checkout/return?shopperOrder=12xy","merchantAccount":"ExampleShopECOM","browserInfo":{"userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36","acceptHeader":"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8","language":"nl-NL","colorDepth":24,"screenHeight":900,"screenWidth":1440,"timeZoneOffset":-120,"javaEnabled":false}}'),
    ("json", "payments", '{"idempotency_key":"7b0f3ec5-086a-4871-8f13-3c81b3875218","amount_money":{"amount":1500,"currency":"USD"},"source_id":"cnon:card-nonce-ok","autocomplete":true,"location_id":"LH2G6SB4QF9KS","reference_id":"tab-42","note":"Brunch for two","tip_money":{"amount":300,"currency":"USD"}}'),
    ("json", "sessions", '{"purchase_country":"SE","purchase_currency":"SEK","locale":"sv-SE","order_amount":25900,"order_tax_amount":5180,"order_lines":[{"type":"physical","reference":"19-402-SWE","name":"Red T-Shirt","quantity":1,"unit_price":25900,"tax_rate":2500,"total_amount":25900,"total_discount_amount":0,"total_tax_amount":5180}]}'),
    ("json", "session", '{"validationURL":"https://apple-pay-gateway-cert.apple.com/paymentservices/startSession","displayName":"Corner Bakery","domainName":"shop.cornerbakery.example","initiative":"web","initiativeContext":"shop.cornerbakery.example"}'),
    ("json", "transfers", '{"amount":7000,"currency":"gbp","destination":"acct_1032D82eZvKYlo2C","transfer_group":"ORDER_95","description":"Payout for March rentals"}'),
    # ---------------------------------------------------------------- maps / geo
    ("query", "address", "1600 Amphitheatre Parkway, Mountain View, CA 94043"),
    ("query", "latlng", "40.714224,-73.961452"),
    ("path", "", "/directions/v5/mapbox/driving-traffic/-122.42,37.78;-122.45,37.91?alternatives=true&geometries=geojson&overview=full&steps=true&language=en&access_token=pk.eyJ1IjoibWFwYm94LWRlbW8iLCJhIjoiY2x4Z2ZkZ2FhMDFqczJrcW5ya3ZzNnR0cyJ9.b3VlZmZ5UWpm"),
    ("json", "computeRoutes", '{"origin":{"location":{"latLng":{"latitude":37.419734,"longitude":-122.0827784}}},"destination":{"location":{"latLng":{"latitude":37.417670,"longitude":-122.079595}}},"travelMode":"DRIVE","routingPreference":"TRAFFIC_AWARE","computeAlternativeRoutes":false,"routeModifiers":{"avoidTolls":false,"avoidHighways":false,"avoidFerries":true},"languageCode":"en-US","units":"IMPERIAL"}'),
    ("header:X-Goog-FieldMask", "", "routes.duration,routes.distanceMeters,routes.polyline.encodedPolyline,routes.legs.steps.navigationInstruction"),
    ("json", "features", '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[13.404954,52.520008]},"properties":{"name":"Alexanderplatz pickup","capacity":12}},{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[13.37,52.51],[13.42,52.51],[13.42,52.53],[13.37,52.53],[13.37,52.51]]]},"properties":{"zone":"Mitte"}}]}'),
    ("form", "data", '[out:json][timeout:25];area[name="Berlin"][admin_level=4]->.a;node["amenity"="cafe"]["wheelchair"="yes"](area.a);out center 100;'),
    ("query", "bbox", "-0.1406,51.5031,-0.1134,51.5155"),
    # ---------------------------------------------------------------- calendars
    ("json", "events", '{"summary":"Quarterly planning","location":"Room 4B / Google Meet","description":"Agenda: roadmap review, hiring plan, budget.","start":{"dateTime":"2024-07-15T09:00:00-07:00","timeZone":"America/Los_Angeles"},"end":{"dateTime":"2024-07-15T11:00:00-07:00","timeZone":"America/Los_Angeles"},"recurrence":["RRULE:FREQ=QUARTERLY;COUNT=4"],"attendees":[{"email":"lpage@example.com"},{"email":"sbrin@example.com","optional":true}],"reminders":{"useDefault":false,"overrides":[{"method":"email","minutes":1440},{"method":"popup","minutes":10}]},"conferenceData":{"createRequest":{"requestId":"7qxalsvy0e","conferenceSolutionKey":{"type":"hangoutsMeet"}}}}'),
    ("json", "event", '{"subject":"Lunch with the design team","body":{"contentType":"HTML","content":"<p>Let\'s try the new ramen place on 5th.</p>"},"start":{"dateTime":"2024-06-21T12:00:00","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2024-06-21T13:00:00","timeZone":"Pacific Standard Time"},"location":{"displayName":"Menya Ultra"},"attendees":[{"emailAddress":{"address":"adele.vance@contoso.com","name":"Adele Vance"},"type":"required"}],"allowNewTimeProposals":true,"isOnlineMeeting":false}'),
    ("body:text/calendar", "calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp//Scheduler 3.1//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:20240715T160000Z-4821@scheduler.example.com\r\nDTSTAMP:20240620T101500Z\r\nDTSTART;TZID=Europe/Berlin:20240715T180000\r\nDTEND;TZID=Europe/Berlin:20240715T190000\r\nSUMMARY:Dentist - check-up\r\nLOCATION:Praxis Dr. Weber\\, Kastanienallee 3\\, Berlin\r\nRRULE:FREQ=YEARLY\r\nBEGIN:VALARM\r\nTRIGGER:-PT1H\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
    ("query", "timeMin", "2024-07-01T00:00:00Z"),
    ("query", "$filter", "startsWith(displayName,'Sales') and accountEnabled eq true"),
    ("query", "$select", "id,displayName,mail,jobTitle,officeLocation"),
    ("query", "$orderby", "start/dateTime desc"),
    ("json", "getSchedule", '{"schedules":["adelev@contoso.com","meganb@contoso.com"],"startTime":{"dateTime":"2024-06-24T09:00:00","timeZone":"W. Europe Standard Time"},"endTime":{"dateTime":"2024-06-24T18:00:00","timeZone":"W. Europe Standard Time"},"availabilityViewInterval":60}'),
    # ---------------------------------------------------------------- GraphQL
    ("json", "graphql", r'{"query":"query RepoIssues($owner: String!, $name: String!, $first: Int = 20, $after: String, $withLabels: Boolean!) { repository(owner: $owner, name: $name) { issues(first: $first, after: $after, states: OPEN, orderBy: {field: UPDATED_AT, direction: DESC}) { pageInfo { hasNextPage endCursor } nodes { ...IssueFields labels(first: 5) @include(if: $withLabels) { nodes { name color } } } } } }\nfragment IssueFields on Issue { number title url createdAt author { login avatarUrl(size: 48) } }","variables":{"owner":"octocat","name":"Hello-World","first":20,"after":null,"withLabels":true},"operationName":"RepoIssues"}'),
    ("json", "graphql", '{"query":"mutation AddComment($subjectId: ID!, $body: String!) { addComment(input: {subjectId: $subjectId, body: $body}) { commentEdge { node { id url createdAt } } subject { id } } }","variables":{"subjectId":"I_kwDOAHz1OX5xJ3qQ","body":"Thanks for the report! This is fixed in #1342 and will ship in v2.8.1."}}'),
    ("json", "graphql", '{"query":"query Viewer { viewer { login name contributionsCollection { totalCommitContributions contributionCalendar { totalContributions weeks { contributionDays { date contributionCount color } } } } } rateLimit { limit remaining resetAt } }"}'),
    ("json", "graphql", r'{"query":"mutation cartCreate($input: CartInput!, $country: CountryCode, $language: LanguageCode) @inContext(country: $country, language: $language) { cartCreate(input: $input) { cart { id checkoutUrl cost { totalAmount { amount currencyCode } } lines(first: 10) { edges { node { id quantity merchandise { ... on ProductVariant { id title product { handle } } } } } } } userErrors { field message } } }","variables":{"input":{"lines":[{"quantity":1,"merchandiseId":"gid://shopify/ProductVariant/44312054972610"}],"buyerIdentity":{"countryCode":"CA"},"attributes":[{"key":"gift_message","value":"Happy birthday Sam!"}]},"country":"CA","language":"FR"}}'),
    ("json", "graphql", '{"query":"query ($query: String!, $cursor: String) { products(first: 50, after: $cursor, query: $query) { edges { cursor node { id title handle status totalInventory variants(first: 3) { nodes { sku price } } } } pageInfo { hasNextPage } } }","variables":{"query":"status:active AND tag:summer AND inventory_total:>0","cursor":null}}'),
    ("json", "graphql", '{"query":"mutation productVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $productId, variants: $variants) { productVariants { id price } userErrors { field message } } }","variables":{"productId":"gid://shopify/Product/8034871181506","variants":[{"id":"gid://shopify/ProductVariant/44312054972610","price":"24.99","compareAtPrice":"29.99"}]}}'),
    ("json", "graphql", r'{"query":"query BlogPosts($locale: String, $preview: Boolean = false, $skip: Int) { blogPostCollection(limit: 10, skip: $skip, locale: $locale, preview: $preview, order: publishDate_DESC, where: { tags_contains_some: [\"engineering\"] }) { total items { sys { id publishedAt } title slug excerpt heroImage { url(transform: { width: 800, format: WEBP }) description } author @skip(if: $preview) { name } } } }","variables":{"locale":"de-DE","preview":false,"skip":0}}'),
    ("query", "operationName", "ProductDetailsQuery"),
    ("query", "variables", '{"handle":"linen-shirt-sand","country":"GB","first":12}'),
    ("query", "extensions", '{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}'),
    ("json", "graphql", r'{"query":"query GetOrders($since: timestamptz!) { orders(where: {created_at: {_gte: $since}, status: {_in: [\"paid\", \"shipped\"]}}, order_by: {created_at: desc}, limit: 20) { id total customer { name email } items_aggregate { aggregate { count } } } }","variables":{"since":"2024-05-01T00:00:00Z"},"operationName":"GetOrders"}'),
    ("json", "batch", '[{"operationName":"CurrentUser","variables":{},"query":"query CurrentUser { me { id name avatarUrl __typename } }"},{"operationName":"Notifications","variables":{"first":5},"query":"query Notifications($first: Int!) { notifications(first: $first) { edges { node { id text read createdAt __typename } __typename } __typename } }"}]'),
    ("json", "graphql", r'{"query":"mutation AddToCart($cartId: String!, $items: [CartItemInput!]!) { addProductsToCart(cartId: $cartId, cartItems: $items) { cart { id total_quantity prices { grand_total { value currency } } } user_errors { code message } } }","variables":{"cartId":"PGuzKJjAYzxS1WXnHQkPmSTWpnIUcUHF","items":[{"sku":"VA12-SI-NA","quantity":1,"selected_options":["Y29uZmlndXJhYmxlLzkzLzUz"]}]}}'),
    ("json", "graphql", '{"query":"query RecentPosts($first: Int, $category: String) { posts(first: $first, where: {categoryName: $category, status: PUBLISH}) { nodes { databaseId title uri date featuredImage { node { sourceUrl(size: MEDIUM_LARGE) altText } } } } }","variables":{"first":6,"category":"recipes"}}'),
    ("query", "filters[title][$containsi]", "vegan"),
    ("query", "populate[0]", "cover"),
    ("query", "pagination[pageSize]", "25"),
    ("json", "graphql", r'{"query":"query SearchRepos($q: String!) { search(query: $q, type: REPOSITORY, first: 10) { repositoryCount edges { node { ... on Repository { nameWithOwner stargazerCount primaryLanguage { name } } } } } }","variables":{"q":"language:rust stars:>1000 topic:cli pushed:>2024-01-01"}}'),
    # ---------------------------------------------------------------- SOAP (banking, logistics, travel GDS, tax)
    ("body:application/soap+xml", "accounts", """<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:acc="http://services.examplebank.com/accounts/v3">
  <soap:Header>
    <acc:RequestContext>
      <acc:ChannelId>MOBILE</acc:ChannelId>
      <acc:CorrelationId>5f0c2d1e-8a7b-4c3d-9e10-2f3a4b5c6d7e</acc:CorrelationId>
      <acc:Timestamp>2024-06-30T08:15:02.331Z</acc:Timestamp>
    </acc:RequestContext>
  </soap:Header>
  <soap:Body>
    <acc:GetAccountBalanceRequest>
      <acc:IBAN>DE89370400440532013000</acc:IBAN>
      <acc:Currency>EUR</acc:Currency>
      <acc:AsOfDate>2024-06-30</acc:AsOfDate>
    </acc:GetAccountBalanceRequest>
  </soap:Body>
</soap:Envelope>
"""),
    ("body:text/xml", "payments", """<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pay="http://bank.example.com/payments/2019">
  <soapenv:Header/>
  <soapenv:Body>
    <pay:InitiateCreditTransfer>
      <pay:MessageId>MSG-20240618-000417</pay:MessageId>
      <pay:Debtor>
        <pay:Name>Bakkerij de Gouden Korenaar B.V.</pay:Name>
        <pay:IBAN>NL91ABNA0417164300</pay:IBAN>
        <pay:BIC>ABNANL2A</pay:BIC>
      </pay:Debtor>
      <pay:Creditor>
        <pay:Name>Molenaar Meelhandel</pay:Name>
        <pay:IBAN>NL20INGB0001234567</pay:IBAN>
      </pay:Creditor>
      <pay:Amount currency="EUR">1842.50</pay:Amount>
      <pay:RequestedExecutionDate>2024-06-20</pay:RequestedExecutionDate>
      <pay:RemittanceInformation>Factuur 2024-0613 meel juni</pay:RemittanceInformation>
    </pay:InitiateCreditTransfer>
  </soapenv:Body>
</soapenv:Envelope>
"""),
    ("body:text/xml", "track", """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:upss="http://www.ups.com/XMLSchema/XOLTWS/UPSS/v1.0" xmlns:trk="http://www.ups.com/XMLSchema/XOLTWS/Track/v2.0" xmlns:common="http://www.ups.com/XMLSchema/XOLTWS/Common/v1.0">
  <soapenv:Header>
    <upss:UPSSecurity>
      <upss:UsernameToken>
        <upss:Username>shipdesk_acme</upss:Username>
        <upss:Password>Xk29mQ7vL1</upss:Password>
      </upss:UsernameToken>
      <upss:ServiceAccessToken>
        <upss:AccessLicenseNumber>7D1A2B3C4E5F6A7B</upss:AccessLicenseNumber>
      </upss:ServiceAccessToken>
    </upss:UPSSecurity>
  </soapenv:Header>
  <soapenv:Body>
    <trk:TrackRequest>
      <common:Request>
        <common:RequestOption>15</common:RequestOption>
        <common:TransactionReference>
          <common:CustomerContext>Order 88213</common:CustomerContext>
        </common:TransactionReference>
      </common:Request>
      <trk:InquiryNumber>1Z12345E0205271688</trk:InquiryNumber>
    </trk:TrackRequest>
  </soapenv:Body>
</soapenv:Envelope>
"""),
    ("header:SOAPAction", "", '"http://onlinetools.ups.com/webservices/TrackBinding/v2.0"'),
    ("body:text/xml", "rate", """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v28="http://fedex.com/ws/rate/v28">
  <SOAP-ENV:Body>
    <v28:RateRequest>
      <v28:WebAuthenticationDetail>
        <v28:UserCredential><v28:Key>aBcD1234eFgH</v28:Key><v28:Password>kT8pQ2wZ9sYx</v28:Password></v28:UserCredential>
      </v28:WebAuthenticationDetail>
      <v28:ClientDetail><v28:AccountNumber>510087020</v28:AccountNumber><v28:MeterNumber>119238145</v28:MeterNumber></v28:ClientDetail>
      <v28:Version><v28:ServiceId>crs</v28:ServiceId><v28:Major>28</v28:Major><v28:Intermediate>0</v28:Intermediate><v28:Minor>0</v28:Minor></v28:Version>
      <v28:RequestedShipment>
        <v28:DropoffType>REGULAR_PICKUP</v28:DropoffType>
        <v28:PackagingType>YOUR_PACKAGING</v28:PackagingType>
        <v28:Shipper><v28:Address><v28:PostalCode>38117</v28:PostalCode><v28:CountryCode>US</v28:CountryCode></v28:Address></v28:Shipper>
        <v28:Recipient><v28:Address><v28:PostalCode>90210</v28:PostalCode><v28:CountryCode>US</v28:CountryCode><v28:Residential>true</v28:Residential></v28:Address></v28:Recipient>
        <v28:PackageCount>1</v28:PackageCount>
        <v28:RequestedPackageLineItems>
          <v28:SequenceNumber>1</v28:SequenceNumber>
          <v28:GroupPackageCount>1</v28:GroupPackageCount>
          <v28:Weight><v28:Units>LB</v28:Units><v28:Value>4.5</v28:Value></v28:Weight>
        </v28:RequestedPackageLineItems>
      </v28:RequestedShipment>
    </v28:RateRequest>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"""),
    ("body:text/xml", "fares", """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:add="http://www.w3.org/2005/08/addressing" xmlns:oas="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:oas1="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" xmlns:fmp="http://xml.amadeus.com/FMPTBQ_23_1_1A">
  <soapenv:Header>
    <add:MessageID>urn:uuid:0c9a3f5e-2b7d-4e61-8f0a-91c4d2e7b835</add:MessageID>
    <add:Action>http://webservices.amadeus.com/FMPTBQ_23_1_1A</add:Action>
    <add:To>https://nodeD1.test.webservices.amadeus.com/1ASIWXXXXXX</add:To>
    <oas:Security>
      <oas:UsernameToken oas1:Id="UsernameToken-1">
        <oas:Username>WSXXXTRV</oas:Username>
        <oas:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">c2VjcmV0bm9uY2UxMjM0NQ==</oas:Nonce>
        <oas:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">+LzcaRc+ndGAcZIXmq/N7xGes+k=</oas:Password>
        <oas1:Created>2024-06-18T10:41:12Z</oas1:Created>
      </oas:UsernameToken>
    </oas:Security>
  </soapenv:Header>
  <soapenv:Body>
    <fmp:Fare_MasterPricerTravelBoardSearch>
      <fmp:numberOfUnit>
        <fmp:unitNumberDetail><fmp:numberOfUnits>2</fmp:numberOfUnits><fmp:typeOfUnit>PX</fmp:typeOfUnit></fmp:unitNumberDetail>
        <fmp:unitNumberDetail><fmp:numberOfUnits>50</fmp:numberOfUnits><fmp:typeOfUnit>RC</fmp:typeOfUnit></fmp:unitNumberDetail>
      </fmp:numberOfUnit>
      <fmp:paxReference><fmp:ptc>ADT</fmp:ptc><fmp:traveller><fmp:ref>1</fmp:ref></fmp:traveller><fmp:traveller><fmp:ref>2</fmp:ref></fmp:traveller></fmp:paxReference>
      <fmp:itinerary>
        <fmp:requestedSegmentRef><fmp:segRef>1</fmp:segRef></fmp:requestedSegmentRef>
        <fmp:departureLocalization><fmp:departurePoint><fmp:locationId>LHR</fmp:locationId></fmp:departurePoint></fmp:departureLocalization>
        <fmp:arrivalLocalization><fmp:arrivalPointDetails><fmp:locationId>JFK</fmp:locationId></fmp:arrivalPointDetails></fmp:arrivalLocalization>
        <fmp:timeDetails><fmp:firstDateTimeDetail><fmp:date>150824</fmp:date></fmp:firstDateTimeDetail></fmp:timeDetails>
      </fmp:itinerary>
    </fmp:Fare_MasterPricerTravelBoardSearch>
  </soapenv:Body>
</soapenv:Envelope>
"""),
    ("body:text/xml", "OTA_HotelAvail", """<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">
  <soap-env:Header>
    <eb:MessageHeader xmlns:eb="http://www.ebxml.org/namespaces/messageHeader" soap-env:mustUnderstand="1" eb:version="1.0">
      <eb:From><eb:PartyId>WebServiceClient</eb:PartyId></eb:From>
      <eb:To><eb:PartyId>WebServiceSupplier</eb:PartyId></eb:To>
      <eb:CPAId>G7RE</eb:CPAId>
      <eb:ConversationId>2024-06-18T10:44:00@travelagency.example</eb:ConversationId>
      <eb:Service>OTA_HotelAvailLLSRQ</eb:Service>
      <eb:Action>OTA_HotelAvailLLSRQ</eb:Action>
    </eb:MessageHeader>
    <wsse:Security xmlns:wsse="http://schemas.xmlsoap.org/ws/2002/12/secext">
      <wsse:BinarySecurityToken>Shared/IDL:IceSess\\/SessMgr:1\\.0.IDL/Common/!ICESMS\\/RESD!ICESMSLB\\/RES.LB!-3162787052465438710!513764!0</wsse:BinarySecurityToken>
    </wsse:Security>
  </soap-env:Header>
  <soap-env:Body>
    <OTA_HotelAvailRQ xmlns="http://webservices.sabre.com/sabreXML/2011/10" Version="2.3.0">
      <AvailRequestSegment>
        <GuestCounts Count="2"/>
        <HotelSearchCriteria><Criterion><HotelRef HotelCityCode="BCN"/></Criterion></HotelSearchCriteria>
        <TimeSpan End="09-14" Start="09-10"/>
      </AvailRequestSegment>
    </OTA_HotelAvailRQ>
  </soap-env:Body>
</soap-env:Envelope>
"""),
    ("body:text/xml", "checkVatService", """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:ec.europa.eu:taxud:vies:services:checkVat:types">
   <soapenv:Header/>
   <soapenv:Body>
      <urn:checkVat>
         <urn:countryCode>IE</urn:countryCode>
         <urn:vatNumber>6388047V</urn:vatNumber>
      </urn:checkVat>
   </soapenv:Body>
</soapenv:Envelope>
"""),
    ("raw", "", _raw("POST", "/CurrencyConvertor/Service.asmx", "services.example-fx.com", [
        "Content-Type: text/xml; charset=utf-8",
        'SOAPAction: "http://www.example-fx.com/webservices/GetConversionRate"',
        "User-Agent: Apache-HttpClient/4.5.14 (Java/17.0.11)",
        "Accept-Encoding: gzip,deflate",
        "Connection: Keep-Alive",
    ], '<?xml version="1.0" encoding="utf-8"?>\r\n<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetConversionRate xmlns="http://www.example-fx.com/webservices/"><FromCurrency>CHF</FromCurrency><ToCurrency>JPY</ToCurrency><RateDate>2024-06-18</RateDate></GetConversionRate></soap:Body></soap:Envelope>')),
    ("header:SOAPAction", "", "urn:checkVat"),
    # ---------------------------------------------------------------- FHIR / HL7
    ("body:application/fhir+json", "Patient", '{"resourceType":"Patient","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},"identifier":[{"use":"usual","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"urn:oid:1.2.36.146.595.217.0.1","value":"12345"}],"active":true,"name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},{"use":"usual","given":["Jim"]}],"telecom":[{"system":"phone","value":"(03) 5555 6473","use":"work","rank":1},{"system":"email","value":"jim.chalmers@example.com"}],"gender":"male","birthDate":"1974-12-25","address":[{"use":"home","type":"both","line":["534 Erewhon St"],"city":"PleasantVille","district":"Rainbow","state":"Vic","postalCode":"3999","period":{"start":"1974-12-25"}}],"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en-AU"}]},"preferred":true}]}'),
    ("body:application/fhir+json", "Observation", '{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel with all children optional"}],"text":"Blood pressure systolic & diastolic"},"subject":{"reference":"Patient/example"},"effectiveDateTime":"2024-06-17T09:30:00+02:00","performer":[{"reference":"Practitioner/f201"}],"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},"valueQuantity":{"value":128,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}]},"valueQuantity":{"value":82,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}],"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"N","display":"Normal"}]}]}'),
    ("body:application/fhir+json", "MedicationRequest", '{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076","display":"lisinopril 10 MG Oral Tablet"}]},"subject":{"reference":"Patient/pat-7731","display":"Ana Silva"},"authoredOn":"2024-06-17","requester":{"reference":"Practitioner/prac-044","display":"Dr. Helen Okafor"},"reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertensive disorder"}]}],"dosageInstruction":[{"sequence":1,"text":"Take one tablet by mouth once daily in the morning","timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d","when":["MORN"]}},"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral route"}]},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet","system":"http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm","code":"TAB"}}]}],"dispenseRequest":{"numberOfRepeatsAllowed":3,"quantity":{"value":30,"unit":"tablet"},"expectedSupplyDuration":{"value":30,"unit":"days","system":"http://unitsofmeasure.org","code":"d"}},"substitution":{"allowedBoolean":true}}'),
    ("body:application/fhir+json", "Bundle", '{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a","resource":{"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},"subject":{"reference":"Patient/pat-7731"},"period":{"start":"2024-06-17T09:00:00+02:00","end":"2024-06-17T09:25:00+02:00"}},"request":{"method":"POST","url":"Encounter"}},{"resource":{"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"J06.9","display":"Acute upper respiratory infection, unspecified"}]},"subject":{"reference":"Patient/pat-7731"},"encounter":{"reference":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"},"onsetDateTime":"2024-06-14"},"request":{"method":"POST","url":"Condition"}}]}'),
    ("body:application/fhir+json", "AllergyIntolerance", '{"resourceType":"AllergyIntolerance","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"confirmed"}]},"type":"allergy","category":["medication"],"criticality":"high","code":{"coding":[{"system":"http://snomed.info/sct","code":"764146007","display":"Penicillin"}]},"patient":{"reference":"Patient/pat-7731"},"recordedDate":"2019-03-02","reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"247472004","display":"Hives"}]}],"severity":"moderate","note":[{"text":"Rash on arms and chest within 2 hours of first dose of amoxicillin."}]}]}'),
    ("body:application/fhir+json", "Immunization", '{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"150","display":"influenza, injectable, quadrivalent, preservative free"}]},"patient":{"reference":"Patient/pat-7731"},"occurrenceDateTime":"2023-10-12T14:05:00-04:00","lotNumber":"UT7831AA","site":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActSite","code":"LA","display":"left arm"}]},"doseQuantity":{"value":0.5,"unit":"mL","system":"http://unitsofmeasure.org","code":"mL"},"performer":[{"actor":{"reference":"Practitioner/prac-102"}}]}'),
    ("body:application/fhir+json", "Patient/$match", '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","name":[{"family":"Nguyen","given":["Linh"]}],"gender":"female","birthDate":"1988-04-09","telecom":[{"system":"phone","value":"+1-206-555-0178"}]}},{"name":"onlyCertainMatches","valueBoolean":false},{"name":"count","valueInteger":3}]}'),
    ("path", "", "/fhir/R4/Observation?patient=Patient/pat-7731&code=http://loinc.org|8867-4,http://loinc.org|85354-9&date=ge2024-01-01&_sort=-date&_count=50&_include=Observation:performer"),
    ("path", "", "/fhir/R4/Patient?family:exact=O%27Brien&birthdate=1961-07-03&_elements=id,name,birthDate"),
    ("body:x-application/hl7-v2+er7", "adt", "MSH|^~\\&|EPIC|STMARYS|LABSYS|STMARYS|20240617093512||ADT^A01^ADT_A01|MSG00017731|P|2.5.1\rEVN|A01|20240617093500\rPID|1||7731^^^STMARYS^MR||SILVA^ANA^M||19790322|F|||Rua das Flores 12^^Boston^MA^02118^USA||(617)555-0199|||M\rPV1|1|I|4W^412^B^STMARYS||||1044^OKAFOR^HELEN|||MED||||ADM|||||||||||||||||||||||||20240617093000\r"),
    ("form", "scope", "launch/patient patient/Observation.read patient/Patient.read patient/MedicationRequest.read openid fhirUser offline_access"),
    ("form", "aud", "https://fhir.example-hospital.org/r4"),
    # ---------------------------------------------------------------- webhooks
    ("json", "stripe", '{"id":"evt_3PVx2kLkdIwHu7ix0yZ8bQ3m","object":"event","api_version":"2024-06-20","created":1719412345,"data":{"object":{"id":"pi_3PVx2kLkdIwHu7ix0dQ1aB2c","object":"payment_intent","amount":2000,"amount_received":2000,"currency":"usd","customer":"cus_NffrFeUfNV2Hib","description":"Order #6735","latest_charge":"ch_3PVx2kLkdIwHu7ix0Xy9Zab1","metadata":{"order_id":"6735"},"payment_method":"pm_1PVx2jLkdIwHu7ixAbCdEfGh","payment_method_types":["card"],"status":"succeeded"}},"livemode":false,"pending_webhooks":1,"request":{"id":"req_8fJqZ1a2B3c4D5","idempotency_key":"a5c2e9f0-7b1d-4e3a-9c8b-6d5e4f3a2b1c"},"type":"payment_intent.succeeded"}'),
    ("header:Stripe-Signature", "", "t=1719412345,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"),
    ("json", "stripe", '{"id":"evt_1PWaB2LkdIwHu7ixQw3eR4tY","object":"event","api_version":"2024-06-20","created":1719500000,"type":"customer.subscription.updated","data":{"object":{"id":"sub_1MowQVLkdIwHu7ixeRlqHVzs","object":"subscription","customer":"cus_Na6dX7aXxi11N4","status":"active","cancel_at_period_end":true,"current_period_end":1722092400,"items":{"object":"list","data":[{"id":"si_Na6dzxczY5fwHx","price":{"id":"price_1MowQULkdIwHu7ixraBm864M","unit_amount":1200,"currency":"usd","recurring":{"interval":"month","interval_count":1}},"quantity":3}]}},"previous_attributes":{"cancel_at_period_end":false}},"livemode":true,"pending_webhooks":2,"request":{"id":null,"idempotency_key":null}}'),
    ("raw", "", _raw("POST", "/webhooks/github", "ci.example.dev", [
        "Accept: */*",
        "Content-Type: application/json",
        "User-Agent: GitHub-Hookshot/7d5f3b2",
        "X-GitHub-Delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-GitHub-Event: push",
        "X-GitHub-Hook-ID: 292430182",
        "X-GitHub-Hook-Installation-Target-ID: 79929171",
        "X-GitHub-Hook-Installation-Target-Type: repository",
        "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    ], '{"ref":"refs/heads/main","before":"9049f1265b7d61be4a8904a9a27120d2064dab3b","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","repository":{"id":79929171,"name":"website","full_name":"acme/website","private":true,"default_branch":"main"},"pusher":{"name":"mona","email":"mona@acme.dev"},"head_commit":{"id":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","message":"Fix typo in pricing page\\n\\nCloses #412","timestamp":"2024-06-18T12:03:11+02:00","author":{"name":"Mona Lisa","email":"mona@acme.dev","username":"mona"},"added":[],"removed":[],"modified":["src/pages/pricing.tsx"]},"commits":[{"id":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","distinct":true,"message":"Fix typo in pricing page\\n\\nCloses #412"}]}')),
    ("json", "github", '{"action":"opened","number":1347,"pull_request":{"id":1928374650,"number":1347,"state":"open","title":"Add dark mode toggle to settings","body":"This PR adds a `prefers-color-scheme` aware toggle.\\n\\n- [x] tests\\n- [ ] docs","user":{"login":"octocat","id":583231,"type":"User"},"head":{"ref":"feature/dark-mode","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"},"base":{"ref":"main","sha":"a10867b14bb761a232cd80139fbd4c0d33264240"},"draft":false,"mergeable_state":"unknown","additions":214,"deletions":37,"changed_files":9},"repository":{"full_name":"acme/app"},"sender":{"login":"octocat"}}'),
    ("header:X-GitHub-Event", "", "pull_request"),
    ("json", "slack", '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T061EG9R6","api_app_id":"A0PNCHHK2","event":{"type":"message","channel":"C024BE91L","user":"U2147483697","text":"Can someone review <https://github.com/acme/app/pull/1347|#1347>? :pray:","ts":"1719414000.000200","channel_type":"channel","event_ts":"1719414000.000200"},"type":"event_callback","event_id":"Ev0PV52K21","event_time":1719414000,"authorizations":[{"team_id":"T061EG9R6","user_id":"U0JD3BPNC","is_bot":true}]}'),
    ("raw", "", _raw("POST", "/slack/commands", "bot.example.com", [
        "Content-Type: application/x-www-form-urlencoded",
        "User-Agent: Slackbot 1.0 (+https://api.slack.com/robots)",
        "Accept: application/json,*/*",
        "X-Slack-Request-Timestamp: 1719414061",
        "X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    ], "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&enterprise_name=Globular%20Construct%20Inc&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456")),
    ("form", "payload", '{"type":"block_actions","user":{"id":"U2147483697","username":"steve","team_id":"T0001"},"api_app_id":"A123456","token":"gIkuvaNzQIHg97ATvDxqgjtO","container":{"type":"message","message_ts":"1719414100.000300","channel_id":"C2147483705","is_ephemeral":false},"trigger_id":"13345224609.738474920.8088930838d88f008e0","team":{"id":"T0001","domain":"example"},"channel":{"id":"C2147483705","name":"deploys"},"response_url":"https://hooks.slack.com/actions/T0001/1234567890/abcdEFGHijkl","actions":[{"action_id":"approve_deploy","block_id":"deploy_3121","text":{"type":"plain_text","text":"Approve","emoji":true},"value":"release-2.31.0","style":"primary","type":"button","action_ts":"1719414105.482913"}]}'),
    ("json", "shopify", '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","email":"jon@example.com","created_at":"2024-06-18T10:02:31-04:00","currency":"CAD","financial_status":"paid","fulfillment_status":null,"name":"#9999","note":"Please ring the bell twice","subtotal_price":"398.00","total_price":"448.74","total_tax":"50.74","tags":"wholesale, vip","customer":{"id":115310627314723954,"first_name":"Jon","last_name":"Snow","email":"jon@example.com"},"line_items":[{"id":866550311766439020,"title":"IPod Nano - 8GB","variant_title":"Pink","sku":"IPOD2008PINK","quantity":1,"price":"199.00"}],"shipping_address":{"address1":"126 York St.","city":"Ottawa","province_code":"ON","zip":"K1N 5T5","country_code":"CA"}}'),
    ("header:X-Shopify-Hmac-Sha256", "", "XWmrwMey6OsLMeiZKwP4FppHH3cmAiiJJAweH5Jo4bM="),
    ("header:X-Shopify-Topic", "", "orders/create"),
    ("raw", "", _raw("POST", "/twilio/sms", "sms.example.org", [
        "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent: TwilioProxy/1.1",
        "X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        "I-Twilio-Idempotency-Token: 7a2e6a5b-3c1d-4f0e-9b8a-1c2d3e4f5a6b",
        "Accept: */*",
    ], "ToCountry=US&ToState=CA&SmsMessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&NumMedia=0&ToCity=SAN+FRANCISCO&FromZip=94105&SmsSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&FromState=CA&SmsStatus=received&FromCity=SAN+FRANCISCO&Body=Yes%2C+I+can+make+it+at+3pm.+See+you+then%21&FromCountry=US&To=%2B14155550100&ToZip=94108&NumSegments=1&MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B14155550199&ApiVersion=2010-04-01")),
    ("form", "MessageStatus", "delivered"),
    ("form", "CallStatus", "completed"),
    ("json", "sendgrid", '[{"email":"example@test.com","timestamp":1719415000,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"processed","category":["cat facts"],"sg_event_id":"rbtnWrG1DVDGGGFHFyun0A==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},{"email":"example@test.com","timestamp":1719415120,"event":"open","sg_machine_open":false,"useragent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.24","sg_event_id":"FOTFFO0ecsBE-zxFXfs6WA==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},{"email":"example@test.com","timestamp":1719415190,"event":"click","url":"https://example.com/blog/cats?utm_source=newsletter&utm_medium=email","url_offset":{"index":0,"type":"html"},"sg_event_id":"ZGVmYXVsdC0xMjM0NTY3ODk=","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}]'),
    ("json", "mailgun", '{"signature":{"timestamp":"1719415300","token":"a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0","signature":"d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"},"event-data":{"id":"CPgfbmQMTCKtHW6uIWtuVe","timestamp":1719415299.275396,"event":"delivered","recipient":"alice@example.com","message":{"headers":{"to":"Alice <alice@example.com>","message-id":"20240618153000.1.ABCDEF@mg.example.com","from":"Bob <bob@mg.example.com>","subject":"Your invoice INV-2024-0613"},"size":18421},"delivery-status":{"code":250,"message":"OK","description":"","tls":true,"mx-host":"aspmx.l.google.com"},"tags":["invoice"]}}'),
    ("json", "pagerduty", '{"event":{"id":"01DEN0ZF8V5M3QZ2K1P0EXAMPLE","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2024-06-18T03:12:44.117Z","agent":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","type":"service_reference"},"data":{"id":"Q1B2C3D4E5F6G7","type":"incident","title":"High 5xx rate on checkout-api (eu-west-1)","status":"triggered","urgency":"high","number":4821,"service":{"id":"PF9KMXH","summary":"checkout-api","type":"service_reference"},"html_url":"https://acme.pagerduty.com/incidents/Q1B2C3D4E5F6G7"}}}'),
    ("json", "gitlab", '{"object_kind":"pipeline","object_attributes":{"id":1189,"iid":402,"ref":"main","tag":false,"sha":"bcbb5ec396a2c0f828686f14fac9b80b780504f2","status":"failed","detailed_status":"failed","stages":["build","test","deploy"],"created_at":"2024-06-18 11:00:02 UTC","finished_at":"2024-06-18 11:09:47 UTC","duration":585},"user":{"name":"Administrator","username":"root"},"project":{"id":27,"name":"shop-frontend","path_with_namespace":"acme/shop-frontend","web_url":"https://gitlab.example.com/acme/shop-frontend"},"builds":[{"id":4102,"stage":"test","name":"unit-tests","status":"failed","failure_reason":"script_failure"}]}'),
    ("header:X-Gitlab-Event", "", "Pipeline Hook"),
    ("json", "zoom", '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}'),
    ("json", "discord", '{"content":"Deploy finished :white_check_mark:","username":"CI Bot","avatar_url":"https://cdn.example.com/ci-bot.png","embeds":[{"title":"shop-api v2.31.0","url":"https://github.com/acme/shop-api/releases/tag/v2.31.0","color":5763719,"fields":[{"name":"Environment","value":"production","inline":true},{"name":"Duration","value":"4m 12s","inline":true}],"footer":{"text":"triggered by @mona"},"timestamp":"2024-06-18T12:10:00.000Z"}],"allowed_mentions":{"parse":[]}}'),
    ("json", "teams", '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","size":"Medium","weight":"Bolder","text":"Nightly build failed"},{"type":"FactSet","facts":[{"title":"Branch","value":"release/2.31"},{"title":"Failed job","value":"integration-tests"}]}],"actions":[{"type":"Action.OpenUrl","title":"Open pipeline","url":"https://dev.azure.com/acme/shop/_build/results?buildId=88123"}]}}]}'),
    # ---------------------------------------------------------------- mobile apps
    ("json", "devices", '{"device_id":"3F2504E0-4F89-11D3-9A0C-0305E82C3301","platform":"ios","os_version":"17.5.1","model":"iPhone15,2","app_version":"5.12.0","build":"1843","locale":"en_GB","timezone":"Europe/London","push_token":"740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad","push_environment":"production","notifications_enabled":true,"carrier":"EE","screen":{"width":1179,"height":2556,"scale":3}}'),
    ("json", "register", '{"token":"fcm:dQw4w9WgXcQ:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx4Lp8v3hHxS2q7sZkHwQ6V2uYdN0aXc9yR1bT7pLmK3jF8eGhD5sA","platform":"android","app_id":"com.example.groceries","app_version":"3.44.1 (30441)","os":"Android 14","sdk_int":34,"manufacturer":"samsung","model":"SM-S911B","language":"de-DE","topics":["offers_de","order_updates"]}'),
    ("json", "messages:send", '{"message":{"token":"bk3RNwTe3H0:CI2k_HHwgIpoDKCIZvvDMExUdFQ3P1","notification":{"title":"Your order has shipped","body":"Order #48213 is on its way. Expected delivery: Thu, 20 Jun."},"data":{"order_id":"48213","deeplink":"shop://orders/48213"},"android":{"priority":"high","notification":{"channel_id":"order_updates","icon":"ic_stat_truck"}},"apns":{"headers":{"apns-priority":"10"},"payload":{"aps":{"badge":1,"sound":"default","category":"ORDER_SHIPPED"}}}}}'),
    ("json", "batch", '{"batch":[{"type":"track","event":"Product Viewed","messageId":"ajs-next-1719416000123-7f3c","anonymousId":"507f191e810c19729de860ea","userId":"u_88213","properties":{"product_id":"507f1f77bcf86cd799439011","sku":"G-32","category":"Games","name":"Monopoly: 3rd Edition","brand":"Hasbro","price":18.99,"currency":"USD"},"context":{"app":{"name":"ShopApp","version":"5.12.0","build":"1843","namespace":"com.example.shop"},"device":{"id":"B5372DB0-C21E-11E4-8DFC-AA07A5B093DB","manufacturer":"Apple","model":"iPhone15,2","type":"ios"},"os":{"name":"iOS","version":"17.5.1"},"network":{"wifi":true,"cellular":false},"locale":"en-US","timezone":"America/Chicago"},"timestamp":"2024-06-18T14:53:20.123Z"},{"type":"screen","name":"Cart","messageId":"ajs-next-1719416010456-1a2b","userId":"u_88213","timestamp":"2024-06-18T14:53:30.456Z"}],"sentAt":"2024-06-18T14:53:31.000Z"}'),
    ("json", "event", r'''{"event_id":"fc6d8c0c43fc4630ad850ee518f1b9d0","timestamp":"2024-06-18T15:02:11.482Z","platform":"java","level":"fatal","release":"com.example.groceries@3.44.1+30441","environment":"production","contexts":{"os":{"name":"Android","version":"14","build":"UP1A.231005.007"},"device":{"model":"Pixel 7","manufacturer":"Google","memory_size":7922089984,"orientation":"portrait"},"app":{"app_identifier":"com.example.groceries","app_version":"3.44.1"}},"exception":{"values":[{"type":"NullPointerException","module":"java.lang","value":"Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference","mechanism":{"type":"UncaughtExceptionHandler","handled":false},"stacktrace":{"frames":[{"module":"android.os.Looper","function":"loop","filename":"Looper.java","lineno":317,"in_app":false},{"module":"android.view.View","function":"performClick","filename":"View.java","lineno":7659,"in_app":false},{"module":"com.example.groceries.checkout.CheckoutFragment","function":"onPlaceOrderClicked","filename":"CheckoutFragment.kt","lineno":212,"in_app":true},{"module":"com.example.groceries.checkout.AddressValidator","function":"validatePostcode","filename":"AddressValidator.kt","lineno":48,"in_app":true}]}}]},"breadcrumbs":{"values":[{"timestamp":"2024-06-18T15:02:09.001Z","category":"ui.click","message":"btn_place_order"},{"timestamp":"2024-06-18T15:02:05.310Z","category":"navigation","data":{"from":"CartFragment","to":"CheckoutFragment"}}]}}'''),
    ("json", "crash", r'{"platform":"cocoa","exception":{"values":[{"type":"EXC_BAD_ACCESS","value":"KERN_INVALID_ADDRESS at 0x0000000000000010","mechanism":{"type":"mach","meta":{"mach_exception":{"exception":1,"code":1,"subcode":16,"name":"EXC_BAD_ACCESS"},"signal":{"number":11,"name":"SIGSEGV"}}},"stacktrace":{"frames":[{"function":"start","package":"/usr/lib/dyld","instruction_addr":"0x1b2f2e4d4","in_app":false},{"function":"UIApplicationMain","package":"/System/Library/PrivateFrameworks/UIKitCore.framework/UIKitCore","in_app":false},{"function":"PhotoGridViewController.collectionView(_:cellForItemAt:)","package":"/private/var/containers/Bundle/Application/8A1B2C3D/Gallery.app/Gallery","filename":"PhotoGridViewController.swift","lineno":131,"instruction_addr":"0x1005a3f2c","in_app":true}]}}]},"contexts":{"device":{"model":"iPhone14,5","arch":"arm64e","free_memory":215023616},"os":{"name":"iOS","version":"17.4.1","build":"21E236"},"app":{"app_identifier":"com.example.gallery","app_version":"2.9","app_build":"412"}},"debug_meta":{"images":[{"type":"macho","code_file":"/private/var/containers/Bundle/Application/8A1B2C3D/Gallery.app/Gallery","debug_id":"9c4d2e1f-5a6b-3c7d-8e9f-0a1b2c3d4e5f","image_addr":"0x100458000","image_size":5128192}]}}'),
    ("json", "errors", r'{"message":"TypeError: undefined is not an object (evaluating \u0027user.profile.avatarUrl\u0027)","stack":"TypeError: undefined is not an object (evaluating \u0027user.profile.avatarUrl\u0027)\n    at ProfileHeader (index.android.bundle:1:482913)\n    at renderWithHooks (index.android.bundle:1:219874)\n    at beginWork (index.android.bundle:1:241008)\n    at performUnitOfWork (index.android.bundle:1:262311)","isFatal":false,"componentStack":"\n    in ProfileHeader\n    in ScrollView\n    in ProfileScreen\n    in RCTView","app":{"version":"4.2.0","buildNumber":"210","jsEngine":"hermes","codePushLabel":"v17"},"device":{"os":"android","osVersion":"13","brand":"Xiaomi","model":"Redmi Note 12"}}'),
    ("header:User-Agent", "", "Instagram 309.0.0.40.113 Android (33/13; 420dpi; 1080x2340; samsung; SM-S911B; dm1q; qcom; en_GB; 541635863)"),
    ("header:User-Agent", "", "MyBank/5.12.0 (com.example.mybank; build:1843; iOS 17.5.1) Alamofire/5.9.1"),
    ("header:User-Agent", "", "okhttp/4.12.0"),
    ("header:User-Agent", "", "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Pro Build/AP1A.240505.005)"),
    ("header:X-Device-Info", "", "platform=android; os=14; model=Pixel 8 Pro; app=3.44.1; build=30441; locale=de_DE; tz=Europe/Berlin"),
    ("header:X-Client-Version", "", "ios/5.12.0 (1843)"),
    ("form", "data", _b64json({"event": "Signed Up", "properties": {"token": "e3bc4100330c35722740fb8c6f5abddc", "distinct_id": "13793", "time": 1719416400, "$insert_id": "29fc2962-6d9c-455d-95ad-95b84f09b9e4", "$os": "Android", "$app_version_string": "3.44.1", "Referred By": "Friend", "plan": "Premium"}})),
    ("json", "httpapi", '{"api_key":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","events":[{"user_id":"u_88213","device_id":"C8F9E604-F01A-4BD9-95C6-8E5357DF265D","event_type":"watch_tutorial","time":1719416402123,"event_properties":{"load_time":0.8371,"source":"notification","dates":["monday","tuesday"]},"user_properties":{"age":25,"gender":"female","interests":["chess","football"]},"app_version":"2.1.3","platform":"iOS","os_name":"iOS","os_version":"17.5.1","device_brand":"Apple","device_model":"iPhone 15","carrier":"Verizon","country":"United States","region":"California","city":"San Francisco","language":"English","insert_id":"5f0adeff-6668-4427-8d02-57d803a2b841"}]}'),
    ("json", "notifications", '{"signedPayload":"eyJhbGciOiJFUzI1NiIsIng1YyI6WyJNSUlFTURDQ0E3YWdBd0lCQWdJUWFQb1BsZHZwU29FSDBsQnJqRFB2OWpBS0JnZ3Foa2pPUFFRREF6QjFNVVF3UWdZRFZRUURERHRCY0hCc1pTQlhiM0pzWkhkcFpHVWdSR1YyWld4dmNHVnlJRkpsYkdGMGFXOXVjeUJEWlhKMGFXWnBZMkYwYVc5dUlFRjFkR2h2Y21sMGVURUxNQWtHQTFVRUN3d0NSell4RXpBUkJnTlZCQW9NQ2tGd2NHeGxJRWx1WXk0eEN6QUpCZ05WQkFZVEFsVlQiXX0.eyJub3RpZmljYXRpb25UeXBlIjoiRElEX1JFTkVXIiwic3VidHlwZSI6IkJJTExJTkdfUkVDT1ZFUlkiLCJub3RpZmljYXRpb25VVUlEIjoiMDAyZTE0ZDUtNTFmNS00NTAzLWI1YTUtYzNhMDUzZTU0NWVmIn0.n9Q2mYx8V5ZqjXk3Qk2LJ0pFq0w7bS4yWc1dXh8tRZl5p6o3Kq8m9n2b4v7c1x0zA5sD6fG7hJ8kL9"}'),
    ("json", "pubsub", '{"message":{"attributes":{"origin":"play"},"data":"eyJ2ZXJzaW9uIjoiMS4wIiwicGFja2FnZU5hbWUiOiJjb20uZXhhbXBsZS5ncm9jZXJpZXMiLCJldmVudFRpbWVNaWxsaXMiOiIxNzE5NDE2NTAwMDAwIiwic3Vic2NyaXB0aW9uTm90aWZpY2F0aW9uIjp7InZlcnNpb24iOiIxLjAiLCJub3RpZmljYXRpb25UeXBlIjo0LCJwdXJjaGFzZVRva2VuIjoiYWJjZGVmZ2hpamtsbW5vcCIsInN1YnNjcmlwdGlvbklkIjoicHJlbWl1bV9tb250aGx5In19","messageId":"11487912330718497","message_id":"11487912330718497","publishTime":"2024-06-18T15:21:40.512Z","publish_time":"2024-06-18T15:21:40.512Z"},"subscription":"projects/example-groceries/subscriptions/play-rtdn-push"}'),
    ("json", "config", '{"appInstanceId":"c1a2b3d4e5f6a7b8c9d0e1f2a3b4c5d6","appInstanceIdToken":"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6IjE6MTIzNDU2Nzg5OmFuZHJvaWQ6YWJjZGVmIn0.c2lnbmF0dXJl","appId":"1:123456789012:android:a1b2c3d4e5f6a7b8","countryCode":"BR","languageCode":"pt-BR","platformVersion":"34","timeZone":"America/Sao_Paulo","appVersion":"3.44.1","appBuild":"30441","packageName":"com.example.groceries","sdkVersion":"21.6.3","analyticsUserProperties":{}}'),
    ("json", "location", '{"lat":-23.561414,"lng":-46.655881,"accuracy":14.2,"altitude":791.3,"speed":0.0,"bearing":null,"provider":"fused","battery":0.63,"is_charging":false,"recorded_at":"2024-06-18T12:22:09-03:00"}'),
    # ---------------------------------------------------------------- JSON-RPC / XML-RPC
    ("json", "rpc", '{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","data":"0x70a08231000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045"},"latest"],"id":1}'),
    ("json", "rpc", '[{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":1},{"jsonrpc":"2.0","method":"eth_getBalance","params":["0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045","latest"],"id":2},{"jsonrpc":"2.0","method":"eth_gasPrice","params":[],"id":3}]'),
    ("json", "bitcoind", '{"jsonrpc":"1.0","id":"curltest","method":"getblock","params":["00000000c937983704a73af28acdec37b049d214adbda81d7e2a3dd146f6ed09",1]}'),
    ("json", "jsonrpc", '{"jsonrpc":"2.0","method":"call","params":{"service":"object","method":"execute_kw","args":["acme_prod",2,"2f1e8a4c9b7d6e5f","res.partner","search_read",[[["is_company","=",true],["country_id.code","=","BE"]]],{"fields":["name","vat","email"],"limit":5,"order":"name asc"}]},"id":1742}'),
    ("json", "zabbix", '{"jsonrpc":"2.0","method":"host.get","params":{"output":["hostid","host","name"],"selectInterfaces":["interfaceid","ip"],"filter":{"status":"0"},"search":{"host":"web-"},"sortfield":"name","limit":100},"auth":"0424bd59b807674191e7d77572075f33","id":2}'),
    ("json", "kodi", '{"jsonrpc":"2.0","method":"Player.Open","params":{"item":{"file":"smb://nas/media/Movies/The General (1926)/The.General.1926.mkv"},"options":{"resume":true}},"id":"libPlayer"}'),
    ("json", "transmission", '{"method":"torrent-get","arguments":{"fields":["id","name","percentDone","rateDownload","eta","status"],"ids":"recently-active"},"tag":39693}'),
    ("body:text/xml", "xmlrpc", """<?xml version="1.0"?>
<methodCall>
  <methodName>wp.getPosts</methodName>
  <params>
    <param><value><int>1</int></value></param>
    <param><value><string>editor_anna</string></value></param>
    <param><value><string>qT4v 9kLm 2Xp8 Rz6w Yb3n Hc7d</string></value></param>
    <param><value><struct>
      <member><name>post_type</name><value><string>post</string></value></member>
      <member><name>post_status</name><value><string>draft</string></value></member>
      <member><name>number</name><value><int>20</int></value></member>
      <member><name>orderby</name><value><string>date</string></value></member>
    </struct></value></param>
  </params>
</methodCall>
"""),
    ("body:text/xml", "RPC2", """<?xml version="1.0"?>
<methodCall>
  <methodName>supervisor.getAllProcessInfo</methodName>
  <params>
  </params>
</methodCall>
"""),
    ("body:text/xml", "xmlrpc", """<?xml version='1.0'?>
<methodCall>
<methodName>execute_kw</methodName>
<params>
<param><value><string>acme_prod</string></value></param>
<param><value><int>2</int></value></param>
<param><value><string>2f1e8a4c9b7d6e5f</string></value></param>
<param><value><string>sale.order</string></value></param>
<param><value><string>read</string></value></param>
<param><value><array><data><value><int>4410</int></value></data></array></value></param>
<param><value><struct><member><name>fields</name><value><array><data><value><string>name</string></value><value><string>amount_total</string></value><value><string>state</string></value></data></array></value></member></struct></value></param>
</params>
</methodCall>
"""),
    # ---------------------------------------------------------------- NDJSON bulk
    ("body:application/x-ndjson", "_bulk", """{"index":{"_index":"products-2024.06","_id":"SKU-10023"}}
{"sku":"SKU-10023","name":"Trail running shoe","brand":"Salomon","price":129.95,"currency":"EUR","sizes":[40,41,42,43,44],"in_stock":true,"updated_at":"2024-06-18T09:00:00Z"}
{"update":{"_index":"products-2024.06","_id":"SKU-10024"}}
{"doc":{"price":89.0,"in_stock":false}}
{"delete":{"_index":"products-2024.06","_id":"SKU-09911"}}
"""),
    ("body:application/x-ndjson", "_msearch", """{"index":"articles"}
{"query":{"multi_match":{"query":"heat pump subsidy","fields":["title^3","body"]}},"size":5}
{"index":"faq"}
{"query":{"match":{"question":"heat pump installation cost"}},"size":3}
"""),
    ("body:application/x-ndjson", "logs", """{"@timestamp":"2024-06-18T15:30:01.112Z","level":"info","service":"checkout-api","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"order created","order_id":48213,"duration_ms":84}
{"@timestamp":"2024-06-18T15:30:01.540Z","level":"warn","service":"checkout-api","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"payment provider slow","provider":"adyen","duration_ms":2310}
{"@timestamp":"2024-06-18T15:30:02.003Z","level":"error","service":"inventory","msg":"stock reservation failed","sku":"SKU-10024","error":"insufficient quantity: requested 3, available 1"}
"""),
    ("body:application/x-ndjson", "batches", """{"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Summarise this support ticket in one sentence."}],"max_tokens":200}}
{"custom_id":"request-2","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Translate 'Your parcel is on its way' into German and French."}],"max_tokens":200}}
"""),
    # ---------------------------------------------------------------- search APIs
    ("json", "_search", '{"query":{"bool":{"must":[{"multi_match":{"query":"wireless noise cancelling headphones","fields":["title^3","description","brand^2"],"type":"best_fields","fuzziness":"AUTO"}}],"filter":[{"term":{"in_stock":true}},{"range":{"price":{"gte":50,"lte":300}}},{"terms":{"brand.keyword":["Sony","Bose","Sennheiser"]}}],"must_not":[{"term":{"refurbished":true}}]}},"aggs":{"brands":{"terms":{"field":"brand.keyword","size":10}},"price_ranges":{"range":{"field":"price","ranges":[{"to":100},{"from":100,"to":200},{"from":200}]}}},"sort":[{"_score":"desc"},{"rating":"desc"}],"from":0,"size":24,"_source":["title","price","brand","rating","image_url"]}'),
    ("json", "_search", '{"size":0,"query":{"bool":{"filter":[{"range":{"@timestamp":{"gte":"now-24h","lt":"now"}}},{"term":{"service.name":"checkout-api"}}]}},"aggs":{"per_hour":{"date_histogram":{"field":"@timestamp","fixed_interval":"1h","time_zone":"Europe/Berlin"},"aggs":{"p95_latency":{"percentiles":{"field":"event.duration","percents":[95]}},"errors":{"filter":{"range":{"http.response.status_code":{"gte":500}}}}}}}}'),
    ("json", "_search", '{"query":{"match_phrase":{"content":{"query":"right to be forgotten","slop":2}}},"highlight":{"pre_tags":["<mark>"],"post_tags":["</mark>"],"fields":{"content":{"fragment_size":150,"number_of_fragments":3}}}}'),
    ("json", "queries", '{"requests":[{"indexName":"prod_products","params":"query=running%20shoes&hitsPerPage=24&page=0&facets=%5B%22brand%22%2C%22color%22%5D&facetFilters=%5B%5B%22brand%3ANike%22%2C%22brand%3AAsics%22%5D%5D&numericFilters=%5B%22price%3C150%22%5D&clickAnalytics=true&analyticsTags=%5B%22web%22%5D"},{"indexName":"prod_products_query_suggestions","params":"query=running%20shoes&hitsPerPage=5"}]}'),
    ("query", "filters", "(category:Book OR category:Ebook) AND _tags:published AND price < 30 AND NOT author:\"Anonymous\""),
    ("header:X-Algolia-Agent", "", "Algolia for JavaScript (4.23.3); Browser (lite); instantsearch.js (4.68.1); react (18.3.1); react-instantsearch (7.8.1); react-instantsearch-core (7.8.1); JS Helper (3.19.0)"),
    ("query", "q", 'title:"climate change" AND year:[2015 TO 2023] AND -type:editorial'),
    ("query", "fq", "{!tag=lang}language:(en OR de)"),
    ("query", "facet.field", "{!ex=lang}language"),
    ("query", "fl", "id,title,score,author_s,pub_date_dt"),
    ("json", "search", '{"q":"ergonomic office chair","filter":"price >= 100 AND price <= 400 AND (color = black OR color = grey) AND in_stock = true","sort":["rating:desc"],"facets":["brand","material"],"limit":20,"attributesToHighlight":["title"]}'),
    ("query", "filter_by", "num_employees:>100 && country: [USA, UK] && founded:[1990..2010]"),
    ("query", "query", 'http.response.status_code >= 500 and not service.name : "healthcheck" and url.path : /api/v2/*'),
    ("form", "search", "search index=web sourcetype=access_combined status>=500 earliest=-24h | stats count by uri_path, status | sort -count | head 10"),
    ("query", "query", "service:checkout env:prod status:error @http.status_code:[500 TO 599] -@http.url_details.path:/health"),
    ("query", "q", 'repo:rails/rails is:issue is:open label:"good first issue" sort:created-desc'),
    ("query", "filterByFormula", "AND({Status}='Active', {Score} > 80, IS_AFTER({Signup date}, '2024-01-01'))"),
    ("query", "query", "select * from Invoice where TotalAmt > '100.00' and TxnDate >= '2024-04-01' orderby TxnDate desc maxresults 50"),
    ("json", "action/find", '{"dataSource":"Cluster0","database":"shop","collection":"orders","filter":{"status":"shipped","total":{"$gte":50},"createdAt":{"$gte":{"$date":"2024-06-01T00:00:00Z"}}},"projection":{"_id":1,"total":1,"customer.email":1},"sort":{"createdAt":-1},"limit":20}'),
    ("json", "query", '{"filter":{"and":[{"property":"Status","status":{"equals":"In progress"}},{"property":"Due","date":{"on_or_before":"2024-06-30"}}]},"sorts":[{"property":"Priority","direction":"descending"}],"page_size":50}'),
    # ---------------------------------------------------------------- misc SaaS / platform APIs
    ("raw", "", _raw("POST", "/oauth/token", "auth.example.com", [
        "Content-Type: application/x-www-form-urlencoded",
        "Accept: application/json",
        "Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW",
        "User-Agent: python-requests/2.32.3",
    ], "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
    ("form", "refresh_token", "tGzv3JOkF0XG5Qx2TlKWIA"),
    ("header:Authorization", "", "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InJzYS0yMDI0LTA2In0.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwic3ViIjoiYXV0aDB8NjY3MWE4ZjIiLCJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsImlhdCI6MTcxOTQxNjAwMCwiZXhwIjoxNzE5NDE5NjAwLCJzY29wZSI6InJlYWQ6b3JkZXJzIHdyaXRlOmNhcnQifQ.QmFzZTY0U2lnbmF0dXJlSGVyZUZvclRlc3RpbmdPbmx5X2Jsb2JfYWJjZGVmZ2hpams"),
    ("header:Authorization", "", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240618/eu-central-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"),
    ("body:application/json-patch+json", "deployments", '[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels/release","value":"2.31.0"},{"op":"remove","path":"/spec/template/metadata/annotations/debug"}]'),
    ("body:application/merge-patch+json", "users", '{"profile":{"displayName":"Sam Rivera","pronouns":"they/them"},"preferences":{"newsletter":false,"theme":"dark"},"phone":null}'),
    ("body:application/scim+json", "Users", '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"bjensen@example.com","name":{"givenName":"Barbara","familyName":"Jensen","formatted":"Ms. Barbara J Jensen III"},"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}}'),
    ("body:application/activity+json", "inbox", '{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/alice/statuses/112640351219023456/activity","type":"Create","actor":"https://mastodon.example/users/alice","published":"2024-06-18T15:40:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://mastodon.example/users/alice/followers"],"object":{"id":"https://mastodon.example/users/alice/statuses/112640351219023456","type":"Note","content":"<p>First strawberries from the balcony garden! <a href=\\"https://mastodon.example/tags/gardening\\" class=\\"mention hashtag\\" rel=\\"tag\\">#<span>gardening</span></a></p>","attributedTo":"https://mastodon.example/users/alice","sensitive":false,"tag":[{"type":"Hashtag","href":"https://mastodon.example/tags/gardening","name":"#gardening"}]}}'),
    ("body:application/cloudevents+json", "events", '{"specversion":"1.0","type":"com.example.order.shipped","source":"/warehouse/ams-2","id":"A234-1234-1234","time":"2024-06-18T15:45:00Z","datacontenttype":"application/json","subject":"order/48213","data":{"orderId":48213,"carrier":"PostNL","trackingCode":"3SABCD1234567"}}'),
    ("json", "chat/completions", '{"model":"gpt-4o","messages":[{"role":"system","content":"You are a concise travel assistant."},{"role":"user","content":"Plan a 2-day itinerary for Porto in October, with one rainy-day option."}],"temperature":0.7,"max_tokens":800,"stream":true}'),
    ("json", "messages", '{"model":"claude-3-5-sonnet-20240620","max_tokens":1024,"system":"You help small businesses write friendly emails.","messages":[{"role":"user","content":"Write a short note telling customers our shop will be closed on 3 October for the holiday."}]}'),
    ("json", "values:append", '{"range":"Orders!A:F","majorDimension":"ROWS","values":[["2024-06-18","#48213","Jon Snow","CAD",448.74,"paid"],["2024-06-18","#48214","Arya Stark","CAD",62.10,"pending"]]}'),
    ("json", "pages", '{"parent":{"database_id":"d9824bdc84454327be8b5b47500af6ce"},"icon":{"emoji":"\\ud83d\\udcdd"},"properties":{"Name":{"title":[{"text":{"content":"Retro notes - Sprint 42"}}]},"Status":{"status":{"name":"Draft"}},"Tags":{"multi_select":[{"name":"retro"},{"name":"team-web"}]}},"children":[{"object":"block","type":"bulleted_list_item","bulleted_list_item":{"rich_text":[{"type":"text","text":{"content":"Went well: release train on time"}}]}}]}'),
    ("json", "chat.postMessage", '{"channel":"C024BE91L","text":"Release 2.31.0 is live","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*Release 2.31.0* is live :rocket:\\n<https://github.com/acme/app/releases/tag/v2.31.0|Changelog>"}},{"type":"context","elements":[{"type":"mrkdwn","text":"Deployed by <@U2147483697> at 15:50 UTC"}]}],"unfurl_links":false}'),
    ("form", "status", "Just finished reading \"The Left Hand of Darkness\" again. Still brilliant. #books #scifi"),
    ("form", "visibility", "unlisted"),
    ("json", "Invoices", '{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"eaa28f49-6028-4b6e-bb12-d8f6278073fc"},"Date":"2024-06-18","DueDate":"2024-07-18","LineAmountTypes":"Exclusive","Reference":"PO-7781","LineItems":[{"Description":"Consulting services - June","Quantity":12.5,"UnitAmount":120.00,"AccountCode":"200","TaxType":"OUTPUT2"}],"Status":"AUTHORISED"}]}'),
    ("json", "tweets", '{"text":"We are hiring! Backend engineers (Go, Postgres) - remote within EU. Apply: https://example.com/jobs #hiring #golang","reply_settings":"following"}'),
    ("json", "link/token/create", '{"client_name":"Budget Buddy","country_codes":["US","CA"],"language":"en","user":{"client_user_id":"user-7f3c2a"},"products":["transactions"],"transactions":{"days_requested":730},"webhook":"https://api.budgetbuddy.example/plaid/webhook","redirect_uri":"https://budgetbuddy.example/oauth"}'),
    ("query", "fields", "items(id,snippet(title,publishedAt),statistics(viewCount,likeCount)),nextPageToken"),
    ("query", "units", "metric"),
    ("query", "q", "Zürich,CH"),
    ("json", "import", '{"contacts":[{"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","custom_fields":{"e1_T":"London"}},{"email":"grace@example.com","first_name":"Grace","last_name":"Hopper"}],"list_ids":["ca7a3796-e8a8-4029-9ccb-df8937940562"]}'),
    ("json", "members", '{"email_address":"urist.mcvankab@freddiesjokes.com","status":"subscribed","merge_fields":{"FNAME":"Urist","LNAME":"McVankab"},"tags":["newsletter","spring-promo"],"language":"en","vip":false}'),
    # ---------------------------------------------------------------- Chinese (simplified)
    ("form", "address", "北京市朝阳区建国路88号SOHO现代城A座1203室，邮编100022"),
    ("query", "q", "华为 Mate 60 Pro 手机壳 防摔 磨砂"),
    ("json", "review", "物流很快，包装完好。耳机音质不错，低音很足，就是戴久了耳朵有点疼。总体满意，给四星！👍"),
    ("form", "message", "您好，我上周下的订单（订单号：２０２４０６１８００１２３）至今还没有发货，请帮忙查一下，谢谢！"),
    ("json", "steps", "番茄炒蛋：鸡蛋3个打散加少许盐；热锅凉油，炒至凝固后盛出；番茄切块炒出汁，加白糖一小勺，倒回鸡蛋翻炒均匀即可出锅。"),
    ("form", "content", "床前明月光，疑是地上霜。举头望明月，低头思故乡。——李白《静夜思》"),
    ("multipart", "file", "2024年度财务报告（终稿）.xlsx"),
    ("json", "text", "今天终于爬上了泰山顶🏔️ 日出太美了！凌晨三点出发值得了～ #泰山 #旅行 #日出"),
    ("form", "clause", "本协议自双方签字盖章之日起生效，一式两份，甲乙双方各执一份，具有同等法律效力。"),
    ("json", "question", "我在用React 18的时候遇到了一个问题：useEffect在StrictMode下执行了两次，这是正常的吗？"),
    ("form", "lyrics", "好一朵美丽的茉莉花，好一朵美丽的茉莉花，芬芳美丽满枝桠，又香又白人人夸。"),
    ("json", "symptoms", "孩子发烧38.5℃两天了，伴有咳嗽和流鼻涕，精神还可以，需要去医院吗？"),
    # ---------------------------------------------------------------- Chinese (traditional)
    ("form", "address", "台北市信義區信義路五段7號89樓"),
    ("query", "q", "珍珠奶茶 推薦 台中 逢甲夜市"),
    ("json", "comment", "這家餐廳的牛肉麵湯頭濃郁，麵條Q彈，價格也很實惠，下次還會再來。"),
    ("form", "shipping_address", "香港九龍尖沙咀彌敦道132號美麗華廣場一期8樓"),
    ("multipart", "attachment", "會議紀錄_2024-06-12（修訂版）.docx"),
    ("json", "post", "颱風天在家煮火鍋🍲 大家出門注意安全喔！#颱風假 #火鍋"),
    ("form", "note", "請於下午三點前送達，管理室代收即可，謝謝。"),
    # ---------------------------------------------------------------- Japanese
    ("form", "name", "山田 太郎"),
    ("form", "name_kana", "ヤマダ タロウ"),
    ("form", "address", "〒150-0002 東京都渋谷区渋谷２丁目２１−１ 渋谷ヒカリエ １１階"),
    ("json", "review", "サイズ感はぴったりでした。生地が思ったより薄いですが、夏にはちょうどいいです。リピートします！"),
    ("form", "haiku", "古池や　蛙飛び込む　水の音"),
    ("form", "inquiry", "お世話になっております。先日購入したプリンターの電源が入らなくなりました。保証期間内ですので、修理の手配をお願いできますでしょうか。よろしくお願いいたします。"),
    ("query", "q", "東京 ラーメン 深夜営業　おすすめ"),
    ("multipart", "file", "見積書_株式会社サンプル御中_2024年6月.pdf"),
    ("json", "status", "今日のランチは渋谷の新しいカフェで🍰☕️ #カフェ巡り #渋谷カフェ"),
    ("query", "keyword", "ｶﾞﾝﾀﾞﾑ ﾌﾟﾗﾓ HG"),
    ("json", "instructions", "1日3回、毎食後に1錠服用してください。眠気が出ることがありますので、車の運転は避けてください。"),
    ("form", "nickname", "ｓａｋｕｒａ＿２０２４"),
    # ---------------------------------------------------------------- Korean
    ("form", "name", "김민준"),
    ("form", "address", "서울특별시 강남구 테헤란로 152 강남파이낸스센터 21층 (역삼동)"),
    ("json", "review", "배송이 정말 빨라요! 색상도 사진이랑 똑같고 재질도 좋아요. 다음에 또 구매할게요 😊"),
    ("query", "query", "제주도 3박4일 여행 코스 추천"),
    ("json", "recipe", "김치찌개: 돼지고기를 먼저 볶다가 신김치를 넣고 함께 볶아주세요. 물을 붓고 두부와 대파를 넣어 20분간 끓이면 완성!"),
    ("form", "lyrics", "아리랑 아리랑 아라리요 아리랑 고개로 넘어간다 나를 버리고 가시는 님은 십리도 못 가서 발병 난다"),
    ("multipart", "file", "2024_상반기_실적보고서_최종.pptx"),
    ("json", "message", "오늘 회의 agenda 공유드립니다. Q3 roadmap 관련해서 feedback 부탁드려요!"),
    ("form", "terms", "본 약관은 2024년 7월 1일부터 시행합니다."),
    # ---------------------------------------------------------------- Arabic
    ("form", "full_name", "محمد عبد الله الأحمد"),
    ("form", "address", "شارع الملك فهد، حي العليا، الرياض 12211، المملكة العربية السعودية"),
    ("json", "review", "المنتج ممتاز والتوصيل كان سريع جداً، وصلني خلال يومين فقط. أنصح به بشدة 👌"),
    ("form", "message", "مرحباً، لدي مشكلة في تسجيل الدخول إلى تطبيق iPhone بعد تحديث الإصدار 5.2.1، رقم الطلب 48213"),
    ("query", "q", "مطاعم قريبة مني مفتوحة الآن"),
    ("json", "verse", "الخيلُ والليلُ والبيداءُ تعرفني ... والسيفُ والرمحُ والقرطاسُ والقلمُ"),
    ("json", "dosage", "يُؤخذ قرص واحد مرتين يومياً بعد الأكل لمدة ٧ أيام"),
    ("multipart", "file", "عقد_الإيجار_٢٠٢٤.pdf"),
    ("form", "comment", "اشتريت MacBook Air M2 بسعر 4,299 ريال من متجر Jarir والأداء رائع"),
    ("json", "tweet", "رمضان كريم 🌙 كل عام وأنتم بخير #رمضان_كريم"),
    # ---------------------------------------------------------------- Hebrew
    ("form", "name", "יוסף כהן"),
    ("form", "address", "רחוב הרצל 25, דירה 4, תל אביב-יפו 6578401"),
    ("json", "message", "שלום, הזמנתי מקרר Samsung RF50 בתאריך 12/05 ועדיין לא קיבלתי תאריך משלוח. מספר הזמנה: 77120"),
    ("query", "q", "מתכון לשקשוקה"),
    ("json", "text", "חג שמח לכולם! 🕎 #חנוכה"),
    ("form", "clause", "הצדדים מסכימים כי כל מחלוקת תידון בבית המשפט המוסמך בתל אביב בלבד."),
    ("form", "note", "ראו את המדריך המלא בכתובת https://example.co.il/guide עמוד 3"),
    # ---------------------------------------------------------------- Persian
    ("form", "name", "زهرا محمدی"),
    ("form", "address", "تهران، خیابان ولیعصر، کوچه‌ی بهار، پلاک ۱۲، واحد ۳، کد پستی ۱۵۹۸۷۶۵۴۳۲"),
    ("json", "poem", "الا یا ایها الساقی ادر کأساً و ناولها / که عشق آسان نمود اول ولی افتاد مشکل‌ها"),
    ("json", "review", "کیفیت پارچه خیلی خوب بود ولی سایز کمی کوچک‌تر از جدول بود."),
    ("query", "q", "قیمت گوشی سامسونگ گلکسی A54"),
    ("form", "bio", "بشنو این نی چون شکایت می‌کند / از جدایی‌ها حکایت می‌کند"),
    # ---------------------------------------------------------------- Russian
    ("form", "fio", "Иванов Сергей Петрович"),
    ("form", "address", "г. Москва, ул. Тверская, д. 7, кв. 15, 125009"),
    ("json", "review", "Отличный пылесос! Тихий, мощный, аккумулятора хватает на всю квартиру. Единственный минус — маленький контейнер для пыли."),
    ("form", "poem", "Я помню чудное мгновенье: Передо мной явилась ты, Как мимолётное виденье, Как гений чистой красоты."),
    ("json", "message", "Здравствуйте! Не приходит SMS с кодом подтверждения на номер +7 (916) 123-45-67. Что делать?"),
    ("query", "q", "купить зимние шины 205/55 R16 недорого"),
    ("form", "contract_text", "Настоящий договор вступает в силу с момента его подписания Сторонами и действует до 31 декабря 2024 года."),
    ("multipart", "file", "Договор_поставки_№15-2024.docx"),
    ("path", "", "/wiki/%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0"),
    # ---------------------------------------------------------------- Ukrainian
    ("form", "pib", "Шевченко Олена Миколаївна"),
    ("form", "address", "м. Київ, вул. Хрещатик, 22, кв. 8, 01001"),
    ("json", "poem", "Як умру, то поховайте Мене на могилі, Серед степу широкого, На Вкраїні милій"),
    ("json", "review", "Дуже смачна кава, замовляю вже втретє. Дякую за швидку доставку Новою поштою!"),
    ("query", "q", "рецепт борщу з пампушками"),
    ("json", "text", "Доброго ранку, Львове! ☕🇺🇦 #львів #ранок"),
    ("form", "np_branch", "Відділення №34 (до 30 кг): вул. Городоцька, 174"),
    # ---------------------------------------------------------------- Hindi
    ("form", "name", "राहुल शर्मा"),
    ("form", "address", "फ्लैट नं. 302, सनशाइन अपार्टमेंट, सेक्टर 15, नोएडा, उत्तर प्रदेश 201301"),
    ("json", "review", "फोन की बैटरी बहुत अच्छी है, पूरे दिन चलती है। कैमरा भी शानदार है।"),
    ("query", "q", "दिल्ली से आगरा ट्रेन टिकट"),
    ("json", "question", "बुखार 3 दिन से है, साथ में सिरदर्द और बदन दर्द। क्या मुझे डॉक्टर से मिलना चाहिए?"),
    ("json", "comment", "bhai kal ka match dekha? Kohli ne kya shot maara 🔥🏏 #INDvsAUS"),
    ("form", "doha", "बुरा जो देखन मैं चला, बुरा न मिलिया कोय। जो दिल खोजा आपना, मुझसे बुरा न कोय॥"),
    # ---------------------------------------------------------------- Bengali
    ("form", "name", "সৌমিত্র চট্টোপাধ্যায়"),
    ("form", "address", "১২/৩ বালিগঞ্জ প্লেস, কলকাতা ৭০০০১৯"),
    ("json", "lyrics", "আমার সোনার বাংলা, আমি তোমায় ভালোবাসি। চিরদিন তোমার আকাশ, তোমার বাতাস, আমার প্রাণে বাজায় বাঁশি॥"),
    ("json", "review", "শাড়িটা খুব সুন্দর, রংটা ছবির মতোই। ডেলিভারি সময়মতো পেয়েছি।"),
    ("query", "q", "ঢাকা থেকে কক্সবাজার বাস ভাড়া"),
    # ---------------------------------------------------------------- Thai
    ("form", "name", "สมชาย ใจดี"),
    ("form", "address", "99/12 หมู่ 5 ถนนสุขุมวิท แขวงคลองตันเหนือ เขตวัฒนา กรุงเทพมหานคร 10110"),
    ("json", "review", "อาหารอร่อยมาก ต้มยำกุ้งรสชาติจัดจ้าน บริการดี จะกลับมาอีกแน่นอนค่ะ 😋"),
    ("query", "q", "ร้านกาแฟ เชียงใหม่ นิมมาน"),
    ("form", "message", "สวัสดีครับ สั่งสินค้าไปตั้งแต่วันที่ ๓ มิ.ย. ยังไม่ได้รับของเลยครับ เลขพัสดุ TH0123456789"),
    ("multipart", "file", "ใบเสนอราคา_มิถุนายน_2567.pdf"),
    # ---------------------------------------------------------------- Vietnamese
    ("form", "ho_ten", "Nguyễn Thị Minh Khai"),
    ("form", "dia_chi", "Số 12, ngõ 34 phố Hàng Bạc, phường Hàng Bạc, quận Hoàn Kiếm, Hà Nội"),
    ("json", "review", "Áo đẹp, vải mát, giao hàng nhanh. Shop tư vấn nhiệt tình, sẽ ủng hộ tiếp ạ!"),
    ("query", "q", "phở bò ngon ở Sài Gòn quận 1"),
    ("json", "recipe", "Cách làm gỏi cuốn: luộc tôm và thịt ba chỉ, cuốn cùng bún, rau sống trong bánh tráng, chấm nước mắm pha hoặc tương đậu phộng."),
    ("form", "verse", "Trăm năm trong cõi người ta, Chữ tài chữ mệnh khéo là ghét nhau."),
    ("multipart", "file", "Báo cáo tài chính Q2-2024.xlsx"),
    # ---------------------------------------------------------------- Turkish
    ("form", "ad_soyad", "Çağrı Öztürk"),
    ("form", "adres", "Atatürk Cad. No:45 D:7, 34710 Kadıköy/İstanbul"),
    ("json", "yorum", "Ürün çok kaliteli, kargo hızlıydı. Satıcıya teşekkürler, kesinlikle tavsiye ederim!"),
    ("query", "q", "İstanbul'da Boğaz manzaralı kahvaltı mekanları"),
    ("form", "mesaj", "Merhaba, siparişim (No: 1203948) hasarlı geldi. İade sürecini nasıl başlatabilirim?"),
    ("json", "quote", "Gelin tanış olalım, işi kolay kılalım; sevelim sevilelim, bu dünya kimseye kalmaz."),
    # ---------------------------------------------------------------- Polish
    ("form", "imie_nazwisko", "Małgorzata Wiśniewska"),
    ("form", "adres", "ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa"),
    ("json", "opinia", "Świetny produkt, działa bez zarzutu. Jedyny minus – instrukcja tylko po angielsku."),
    ("query", "q", "przepis na pierogi ruskie"),
    ("form", "cytat", "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. Ile cię trzeba cenić, ten tylko się dowie, kto cię stracił."),
    ("json", "test", "Zażółć gęślą jaźń"),
    # ---------------------------------------------------------------- Czech
    ("form", "jmeno", "Jiří Dvořák"),
    ("form", "adresa", "Václavské náměstí 846/1, 110 00 Praha 1"),
    ("json", "recenze", "Kvalita výborná, doručení do druhého dne. Určitě objednám znovu."),
    ("query", "q", "řízek s bramborovým salátem recept"),
    ("json", "sample", "Příliš žluťoučký kůň úpěl ďábelské ódy."),
    ("form", "ustanoveni", "Smluvní strany se dohodly, že tato smlouva se řídí právním řádem České republiky."),
    # ---------------------------------------------------------------- Greek
    ("form", "onoma", "Γιώργος Παπαδόπουλος"),
    ("form", "dieuthynsi", "Λεωφόρος Βασιλίσσης Σοφίας 45, 106 76 Αθήνα"),
    ("json", "review", "Πολύ καλό ξενοδοχείο, καθαρό και με υπέροχη θέα στην Ακρόπολη. Το πρωινό ήταν εξαιρετικό!"),
    ("query", "q", "συνταγή για μουσακά"),
    ("json", "quote", "Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη"),
    ("form", "odigies", "Λαμβάνετε 1 δισκίο την ημέρα, το πρωί, με άδειο στομάχι."),
    # ---------------------------------------------------------------- German
    ("form", "name", "Jürgen Weiß"),
    ("form", "strasse", "Hauptstraße 12a, 3. OG links"),
    ("json", "bewertung", "Die Kaffeemaschine macht super Espresso, aber das Milchsystem ist etwas mühsam zu reinigen. 4 von 5 Sternen."),
    ("form", "nachricht", "Sehr geehrte Damen und Herren,\r\nleider ist meine Bestellung Nr. 302-1234567-8901234 unvollständig angekommen – es fehlt das Netzteil.\r\nMit freundlichen Grüßen\r\nJürgen Weiß"),
    ("json", "hinweis", "Gemäß § 312g BGB steht Ihnen ein Widerrufsrecht von 14 Tagen zu."),
    ("json", "gedicht", "Über allen Gipfeln ist Ruh, in allen Wipfeln spürest du kaum einen Hauch"),
    ("query", "q", "Straßenbahn Fahrplan Köln Hbf → Müngersdorf"),
    ("multipart", "file", "Steuererklärung_2023_Übersicht.pdf"),
    # ---------------------------------------------------------------- French
    ("form", "nom", "François Lefèvre"),
    ("form", "adresse", "12, rue de la Paix, 75002 Paris, France"),
    ("json", "avis", "Très bon rapport qualité-prix ! La livraison a été rapide et le colis bien emballé. Je recommande."),
    ("form", "message", "Bonjour, je n'arrive pas à réinitialiser mon mot de passe : le lien reçu par e-mail a expiré. Pouvez-vous m'aider ? Cordialement"),
    ("json", "recette", "Crêpes : 250 g de farine, 4 œufs, ½ litre de lait, une pincée de sel, 50 g de beurre fondu. Laisser reposer la pâte 1 h."),
    ("form", "poeme", "Les sanglots longs des violons de l'automne blessent mon cœur d'une langueur monotone."),
    ("query", "q", "boulangerie ouverte dimanche près de moi"),
    ("json", "mentions", "Conformément à l'article L.221-18 du Code de la consommation, vous disposez d'un délai de quatorze jours pour exercer votre droit de rétractation."),
    # ---------------------------------------------------------------- Spanish
    ("form", "nombre", "José Ángel Núñez"),
    ("form", "direccion", "Calle de Alcalá, 123, 4º B, 28009 Madrid"),
    ("json", "resena", "¡Me encantó! La talla es perfecta y el color es tal cual la foto. Llegó antes de lo previsto."),
    ("form", "mensaje", "Hola, ¿pueden cambiar la dirección de envío de mi pedido #55871? Me mudé la semana pasada. ¡Gracias!"),
    ("json", "receta", "Tortilla de patatas: pelar y cortar 4 patatas, freír a fuego lento con la cebolla, batir 6 huevos, mezclar y cuajar por ambos lados."),
    ("form", "poema", "¿Qué es poesía?, dices mientras clavas en mi pupila tu pupila azul. ¿Qué es poesía? ¿Y tú me lo preguntas? Poesía... eres tú."),
    ("form", "domicilio", "Av. Insurgentes Sur 1602, Col. Crédito Constructor, Benito Juárez, 03940 Ciudad de México, CDMX"),
    ("query", "q", "vuelos baratos Bogotá Cartagena diciembre"),
    # ---------------------------------------------------------------- Portuguese
    ("form", "nome", "João Conceição"),
    ("form", "endereco", "Rua Augusta, 1508, apto 52 – Consolação, São Paulo – SP, 01304-001"),
    ("json", "avaliacao", "Produto chegou antes do prazo, muito bem embalado. A qualidade superou minhas expectativas!"),
    ("form", "mensagem", "Boa tarde, gostaria de saber se é possível alterar a data de entrega da minha encomenda. Obrigado."),
    ("json", "soneto", "Amor é fogo que arde sem se ver; É ferida que dói, e não se sente; É um contentamento descontente;"),
    ("query", "q", "receita de pão de queijo mineiro"),
    ("form", "cpf", "123.456.789-09"),
    # ---------------------------------------------------------------- Italian
    ("form", "nome", "Giuseppe Esposito"),
    ("form", "indirizzo", "Via dei Condotti, 21, 00187 Roma RM"),
    ("json", "recensione", "Pizza buonissima, impasto leggero e ingredienti di qualità. Il servizio un po' lento ma ne vale la pena."),
    ("json", "verso", "Nel mezzo del cammin di nostra vita mi ritrovai per una selva oscura, ché la diritta via era smarrita."),
    ("json", "ricetta", "Carbonara: guanciale croccante, tuorli, pecorino romano e pepe nero. Niente panna!"),
    ("query", "q", "orari treni Milano Firenze Frecciarossa"),
    ("form", "codice_fiscale", "RSSMRA85T10A562S"),
    # ---------------------------------------------------------------- Dutch
    ("form", "naam", "Pieter van den Berg"),
    ("form", "adres", "Prinsengracht 263-267, 1016 GV Amsterdam"),
    ("json", "review", "Prima fiets, rijdt lekker licht. De bel zat wel los bij levering, maar verder top!"),
    ("form", "bericht", "Goedemiddag, mijn pakket is volgens PostNL bezorgd maar ik heb niets ontvangen. Kunnen jullie dit nakijken?"),
    ("query", "q", "stroopwafels zelf maken"),
    # ---------------------------------------------------------------- Swedish
    ("form", "namn", "Åsa Lindström"),
    ("form", "adress", "Drottninggatan 53, 111 21 Stockholm"),
    ("json", "omdome", "Jättebra kvalitet på tröjan, mjuk och varm. Passar perfekt till vintern!"),
    ("query", "q", "kanelbullar recept"),
    ("form", "sang", "Små grodorna, små grodorna är lustiga att se. Ej öron, ej öron, ej svansar hava de."),
    # ---------------------------------------------------------------- Indonesian
    ("form", "nama", "Dewi Lestari Putri"),
    ("form", "alamat", "Jl. Jend. Sudirman Kav. 52-53, RT.5/RW.3, Senayan, Kebayoran Baru, Jakarta Selatan 12190"),
    ("json", "ulasan", "Barangnya bagus banget, sesuai deskripsi. Pengiriman cepat, seller ramah. Mantap gan! 👍"),
    ("query", "q", "resep nasi goreng kampung"),
    ("form", "pesan", "Halo kak, saya sudah transfer tapi status pesanan masih 'menunggu pembayaran'. Mohon dicek ya, terima kasih."),
    # ---------------------------------------------------------------- mixed scripts in cookies, headers, paths and JSON documents
    ("cookie", "", "recent_search=%E6%9D%B1%E4%BA%AC%20%E3%83%9B%E3%83%86%E3%83%AB"),
    ("cookie", "lang", "zh-Hant-TW"),
    ("header:Accept-Language", "", "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"),
    ("header:Accept-Language", "", "ar-SA,ar;q=0.9,en-GB;q=0.8,en;q=0.7,fr;q=0.6"),
    ("path", "", "/search/%E5%8C%97%E4%BA%AC%E7%83%A4%E9%B8%AD?sort=rating"),
    ("path", "", "café-crème-brûlée"),
    ("json", "translations", '{"locale":"multi","namespace":"onboarding","strings":{"greeting":{"en":"Hello","fr":"Bonjour","ja":"こんにちは","ar":"مرحبا","hi":"नमस्ते","ru":"Здравствуйте","ko":"안녕하세요","th":"สวัสดี","el":"Γεια σας","he":"שלום"}}}'),
    ("json", "contact", '{"name":"李小龙 (Bruce Lee)","email":"xiaolong.li@example.cn","subject":"会议通知","message":"会议改到３点，在Ｂ栋２０１室。请带上ＵＳＢ－Ｃ转接头。"}'),
    ("json", "order", '{"customer":{"name":"فاطمة الزهراء","city":"دبي","phone":"+971 50 123 4567"},"note":"يرجى التوصيل بعد الساعة 6 مساءً - Building 12, Apt 304","items":[{"sku":"AB-1192","qty":2}]}'),
    ("form", "post", "Family trip 👨‍👩‍👧‍👦 to the beach 🏖️ — best weekend ever! 🇵🇹 #familytime"),
    ("multipart", "file", "חשבונית_2024-06.pdf"),
]
