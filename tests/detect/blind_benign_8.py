"""Blind benign batch 8: query languages and filter syntaxes sent by SPAs, API clients and integrations."""
from __future__ import annotations

import json
from urllib.parse import quote


def _j(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _qs(pairs) -> str:
    return "&".join(f"{quote(k, safe='[]$')}={quote(v, safe=',:*()')}" for k, v in pairs)


_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/124.0.0.0 Safari/537.36")


def _raw(method: str, target: str, headers=(), body: str = "", host: str = "app.example.com") -> str:
    head = [f"{method} {target} HTTP/1.1", f"Host: {host}", f"User-Agent: {_UA}"]
    if not any(h.lower().startswith("accept:") for h in headers):
        head.append("Accept: application/json")
    head += list(headers)
    if body or method in ("POST", "PUT", "PATCH", "SEARCH"):
        head.append(f"Content-Length: {len(body.encode('utf-8'))}")
    return "\r\n".join(head) + "\r\n\r\n" + body


_APQ_HASH = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"

_GQL_UPLOAD_BOUNDARY = "----WebKitFormBoundaryq8Xr2mT4bN1zK7pL"
_GQL_UPLOAD_BODY = (
    f"--{_GQL_UPLOAD_BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="operations"\r\n\r\n'
    + _j({"query": "mutation ImportContacts($file: Upload!) { importContacts(file: $file) { imported skipped } }",
          "variables": {"file": None}})
    + f"\r\n--{_GQL_UPLOAD_BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="map"\r\n\r\n'
    '{"0":["variables.file"]}'
    f"\r\n--{_GQL_UPLOAD_BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="0"; filename="contacts (2024).csv"\r\n'
    "Content-Type: text/csv\r\n\r\n"
    "name,email,company\r\nAda Lovelace,ada@example.com,\"Analytical Engines, Ltd.\"\r\n"
    f"\r\n--{_GQL_UPLOAD_BOUNDARY}--\r\n"
)

_ODATA_BATCH_BOUNDARY = "batch_36522ad7-fc75-4b56-8c71-56071383e77b"
_ODATA_BATCH_BODY = (
    f"--{_ODATA_BATCH_BOUNDARY}\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n\r\n"
    "GET Customers('ALFKI')?$select=CompanyName,ContactName HTTP/1.1\r\n"
    "Accept: application/json\r\n\r\n"
    f"--{_ODATA_BATCH_BOUNDARY}\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n\r\n"
    "GET Orders?$filter=CustomerID%20eq%20'ALFKI'%20and%20Freight%20gt%2020&$orderby=OrderDate%20desc&$top=5 HTTP/1.1\r\n"
    "Accept: application/json\r\n\r\n"
    f"--{_ODATA_BATCH_BOUNDARY}--\r\n"
)

BLIND_BENIGN_8 = [
    # --- GraphQL: queries, fragments, directives, aliases, variables ---
    ("json", "", _j({"operationName": "GetUser", "variables": {"id": "VXNlcjoxMjM0"},
                     "query": "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n    email\n"
                              "    avatarUrl(size: 64)\n    __typename\n  }\n}\n"})),
    ("json", "", _j({"operationName": "Feed", "variables": {"first": 20, "after": "YXJyYXljb25uZWN0aW9uOjE5"},
                     "query": "query Feed($first: Int = 20, $after: String) { feed(first: $first, after: $after) "
                              "{ edges { cursor node { ...PostCard } } pageInfo { hasNextPage endCursor } } }\n"
                              "fragment PostCard on Post { id title excerpt createdAt author { ...AuthorChip } }\n"
                              "fragment AuthorChip on User { id displayName avatar(size: 40) }"})),
    ("json", "", _j({"operationName": "Profile", "variables": {"withPosts": True, "skipBio": False},
                     "query": "query Profile($withPosts: Boolean!, $skipBio: Boolean = false) { me { id name "
                              "bio @skip(if: $skipBio) posts(first: 5) @include(if: $withPosts) "
                              "{ nodes { id title publishedAt } } } }"})),
    ("json", "", _j({"query": "query CompareAvatars { me { small: avatarUrl(size: 32) large: avatarUrl(size: 256) "
                              "joined: createdAt } viewer: me { login } }"})),
    ("json", "", _j({"operationName": "SearchProducts", "variables": {"q": "usb-c cable 2m", "first": 24},
                     "extensions": {"persistedQuery": {"version": 1, "sha256Hash": _APQ_HASH}}})),
    ("query", "extensions", _j({"persistedQuery": {"version": 1, "sha256Hash": _APQ_HASH}})),
    ("query", "variables", _j({"slug": "summer-sale-2024", "locale": "de-DE", "preview": False})),
    ("path", "", '/graphql?operationName=ProductBySlug&variables={"slug":"red-wool-scarf"}'
                 '&extensions={"persistedQuery":{"version":1,"sha256Hash":"' + _APQ_HASH + '"}}'),
    ("query", "query", '{ product(handle: "red-wool-scarf") { title priceRange { minVariantPrice '
                       '{ amount currencyCode } } } }'),
    ("json", "", _j({"operationName": "CreateIssue",
                     "variables": {"input": {"repositoryId": "R_kgDOGq0bZw", "title": "Crash when filter contains a quote (')",
                                             "body": "Steps:\n1. Open /search\n2. Type `O'Reilly` into the filter\n\n"
                                                     "```\nTypeError: Cannot read properties of undefined (reading 'map')\n"
                                                     "    at FilterBar.render (FilterBar.tsx:42:17)\n```\n\nExpected: results list",
                                             "labelIds": ["LA_kwDOGq0bZ88AAAABB1x2Yw"]}},
                     "query": "mutation CreateIssue($input: CreateIssueInput!) { createIssue(input: $input) "
                              "{ issue { number url } } }"})),
    ("json", "", _j({"operationName": "UpdateProfile",
                     "variables": {"input": {"bio": "Backend dev. Rust & Go. Opinions are my own <3",
                                             "websiteUrl": "https://jdoe.dev/?ref=gh&utm_source=profile",
                                             "location": "Zürich, CH", "pronouns": "she/her"}},
                     "query": "mutation UpdateProfile($input: UpdateUserInput!) { updateUser(input: $input) "
                              "{ user { id bio websiteUrl } errors { field message } } }"})),
    ("json", "", _j({"query": 'query { repository(owner: "octocat", name: "Hello-World") { issues(last: 20, '
                              'states: CLOSED, orderBy: {field: CREATED_AT, direction: DESC}) { edges { node '
                              '{ title url labels(first: 5) { edges { node { name color } } } } } } } }'})),
    ("json", "", _j({"query": "query Products($q: String) { products(first: 10, query: $q, sortKey: BEST_SELLING) "
                              "{ edges { node { id handle title } } } }",
                     "variables": {"q": "title:*shirt* AND product_type:'T-Shirt' AND -tag:archived"}})),
    ("json", "", _j([{"operationName": "Cart", "variables": {}, "query": "query Cart { cart { id totalQuantity } }"},
                     {"operationName": "Notifications", "variables": {"unreadOnly": True},
                      "query": "query Notifications($unreadOnly: Boolean) { notifications(unreadOnly: $unreadOnly) "
                               "{ totalCount } }"}])),
    ("json", "", _j({"query": "query Node($id: ID!) { node(id: $id) { __typename id ... on Repository "
                              "{ nameWithOwner stargazerCount } ... on Issue { title state } "
                              "... on PullRequest { title mergeable } } }", "variables": {"id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5"}})),
    ("json", "", _j({"query": 'query { blogPostCollection(where: { OR: [{ title_contains: "react" }, '
                              '{ tags_contains_some: ["hooks", "next.js"] }] }, order: publishDate_DESC, '
                              'limit: 10, locale: "en-US") { items { title slug publishDate } } }'})),
    ("body:application/graphql", "graphql", "query RecentOrders {\n  orders(first: 10, sortKey: CREATED_AT, reverse: true) {\n"
                                            "    edges { node { name totalPriceSet { shopMoney { amount } } } }\n  }\n}\n"),
    ("json", "", _j({"query": 'query { project(fullPath: "gitlab-org/gitlab") { mergeRequests(state: opened, '
                              'labels: ["type::bug", "priority::1"], sort: UPDATED_DESC, first: 20) '
                              '{ nodes { iid title webUrl author { username } } } } }'})),
    ("json", "", _j({"operationName": "CreateWebhook",
                     "variables": {"input": {"url": "https://hooks.slack.com/services/T0001/B0002/xK3pQ9wLm2",
                                             "events": ["PUSH", "PULL_REQUEST"], "contentType": "JSON",
                                             "active": True}},
                     "query": "mutation CreateWebhook($input: WebhookInput!) { createWebhook(input: $input) { id } }"})),
    ("json", "", _j({"operationName": "AddComment",
                     "variables": {"postId": "42", "body": "Tip: in the email template use `<br>` instead of a "
                                                          "literal newline, and escape `&` as `&amp;`."},
                     "query": "mutation AddComment($postId: ID!, $body: String!) { addComment(postId: $postId, "
                              "body: $body) { id createdAt } }"})),
    ("json", "", _j({"query": "query Search($term: String!, $types: [SearchType!] = [ISSUE, PULL_REQUEST]) "
                              "{ search(term: $term, types: $types, first: 15) { nodes { ... on Issue { title } "
                              "... on PullRequest { title } } } }", "variables": {"term": "is:open \"memory leak\""}})),
    ("json", "", _j({"operationName": "CheckoutCreate",
                     "variables": {"input": {"lineItems": [{"variantId": "gid://shopify/ProductVariant/44581",
                                                            "quantity": 2}],
                                             "note": "Leave at back door - gate code #4421 (dog is friendly!)",
                                             "shippingAddress": {"address1": "12 O'Connell St", "city": "Dublin",
                                                                 "zip": "D01 F5P2", "country": "IE"}}},
                     "query": "mutation CheckoutCreate($input: CheckoutCreateInput!) { checkoutCreate(input: $input) "
                              "{ checkout { id webUrl } checkoutUserErrors { code field message } } }"})),
    ("json", "", _j({"query": 'query { product(id: "p-1193") { name price ... @defer(label: "reviews") '
                              '{ reviews(first: 3) { rating body } } } }'})),
    ("json", "", _j({"query": "# Used by the dashboard header\n# TODO: drop legacyPlan once billing v2 ships\n"
                              "query Header { me { id name legacyPlan: plan { name } } }"})),
    ("json", "", _j({"query": 'query { posts(where: { search: "hello world", categoryName: "news", '
                              'orderby: { field: DATE, order: DESC } }, first: 9) { nodes { title uri date } } }'})),
    ("json", "", _j({"operationName": "Login",
                     "variables": {"input": {"clientMutationId": "login-1", "username": "m.keller",
                                             "password": "c0rrect-h0rse;Battery!#"}},
                     "query": "mutation Login($input: LoginInput!) { login(input: $input) { authToken user { id } } }"})),
    ("raw", "", _raw("POST", "/graphql", ["Content-Type: multipart/form-data; boundary=" + _GQL_UPLOAD_BOUNDARY,
                                           "Apollo-Require-Preflight: true", "Origin: https://app.example.com"],
                     _GQL_UPLOAD_BODY)),

    # --- Hasura / Prisma style where objects ---
    ("json", "", _j({"query": 'query { orders(where: {_and: [{status: {_in: ["paid", "shipped"]}}, '
                              '{total: {_gte: 100}}, {customer: {email: {_ilike: "%@acme.com"}}}]}, '
                              'order_by: {created_at: desc}, limit: 50) { id total status } }'})),
    ("json", "", _j({"query": "query Tasks($where: tasks_bool_exp!) { tasks(where: $where) { id title due_at } }",
                     "variables": {"where": {"_or": [{"assignee_id": {"_is_null": True}},
                                                     {"assignee": {"name": {"_ilike": "%o'neil%"}}}],
                                             "_not": {"status": {"_eq": "done"}}}}})),
    ("json", "", _j({"query": "mutation Upsert($o: orders_insert_input!) { insert_orders_one(object: $o, "
                              "on_conflict: {constraint: orders_pkey, update_columns: [status, updated_at]}) { id } }",
                     "variables": {"o": {"id": 981, "status": "refunded", "updated_at": "2024-05-02T10:15:00Z"}}})),
    ("json", "", _j({"query": 'query { users_aggregate(where: {created_at: {_gte: "2024-01-01"}, '
                              'email: {_nlike: "%@test.local"}}) { aggregate { count max { created_at } } } }'})),
    ("json", "", _j({"where": {"OR": [{"email": {"contains": "smith", "mode": "insensitive"}},
                                      {"name": {"startsWith": "J"}}], "NOT": {"role": "ADMIN"}},
                     "orderBy": [{"createdAt": "desc"}], "take": 20, "skip": 40,
                     "include": {"posts": {"select": {"id": True, "title": True}}}})),
    ("json", "", _j({"where": {"status": {"in": ["PAID", "REFUNDED"]},
                               "createdAt": {"gte": "2024-01-01T00:00:00.000Z", "lt": "2024-02-01T00:00:00.000Z"},
                               "items": {"some": {"sku": {"endsWith": "-XL"}}}},
                     "select": {"id": True, "total": True, "customer": {"select": {"email": True}}}})),
    ("json", "", _j({"filter": {"and": [{"property": "Status", "status": {"equals": "In progress"}},
                                        {"property": "Due", "date": {"on_or_before": "2024-06-30"}},
                                        {"or": [{"property": "Tags", "multi_select": {"contains": "Q2"}},
                                                {"property": "Owner", "people": {"is_empty": True}}]}]},
                     "sorts": [{"property": "Due", "direction": "ascending"}], "page_size": 50})),
    ("raw", "", _raw("POST", "/v1/graphql",
                     ["Content-Type: application/json", "x-hasura-role: editor",
                      "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"],
                     _j({"query": "query Drafts { articles(where: {published: {_eq: false}, "
                                  "title: {_similar: \"%(draft|wip)%\"}}) { id title } }"}))),

    # --- OData ---
    ("query", "$filter", "Name eq 'Milk' and Price lt 2.55"),
    ("query", "$filter", "contains(tolower(CompanyName),'o''reilly')"),
    ("query", "$filter", "startswith(LastName,'Mc') or endswith(Email,'@contoso.com')"),
    ("query", "$expand", "Orders($filter=Amount gt 100;$orderby=OrderDate desc;$top=5;$select=OrderID,Amount)"),
    ("query", "$select", "id,displayName,mail,jobTitle,officeLocation"),
    ("query", "$orderby", "lastModifiedDateTime desc,subject asc"),
    ("query", "$filter", "receivedDateTime ge 2024-01-01T00:00:00Z and from/emailAddress/address eq 'alerts@github.com'"),
    ("query", "$filter", "Tags/any(t: t eq 'urgent')"),
    ("query", "$filter", "not (Status eq 'Closed') and Priority in ('High','Critical')"),
    ("query", "$filter", "year(BirthDate) eq 1985 and month(BirthDate) ge 6"),
    ("query", "$filter", "geo.distance(Location, geography'POINT(-122.131577 47.678581)') lt 10"),
    ("query", "$filter", "geo.intersects(location, geography'POLYGON((-122.031577 47.578581, -122.031577 47.678581, "
                         "-122.131577 47.678581, -122.131577 47.578581, -122.031577 47.578581))')"),
    ("query", "$filter", "Addresses/any(a: a/City eq 'Seattle' and a/PostalCode ne null)"),
    ("query", "$filter", "Price mul 1.2 le 100 and Discontinued eq false"),
    ("query", "$apply", "filter(Year eq 2023)/groupby((Category),aggregate(Amount with sum as Total))"),
    ("query", "$search", "\"blue jeans\" OR chinos NOT kids"),
    ("query", "$filter", "userPrincipalName eq 'o''brien.k@contoso.onmicrosoft.com'"),
    ("query", "$filter", "Created ge datetime'2024-03-01T00:00:00Z' and substringof('Invoice',Title) eq true"),
    ("query", "$filter", "search.ismatch('lux* OR spa', 'Description') and Rating ge 4"),
    ("path", "", "/_api/web/lists/getbytitle('Documents')/items?$select=Title,FileRef,Author/Title&$expand=Author"
                 "&$filter=Created ge datetime'2024-03-01T00:00:00Z'&$top=100"),
    ("path", "", "/api/data/v9.2/accounts?$select=name,revenue&$filter=contains(name,'(sample)')&$orderby=revenue desc&$top=3"),
    ("path", "", "/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$filter=BusinessPartnerCategory eq '2' "
                 "and substringof('GmbH',OrganizationBPName1)&$format=json&$inlinecount=allpages"),
    ("path", "", "/odata/Products?$count=true&$skip=20&$top=20&$orderby=UnitPrice desc&$filter=Category/Name eq 'Beverages'"),
    ("query", "fetchXml", '<fetch top="50"><entity name="account"><attribute name="name"/><attribute name="accountid"/>'
                          '<order attribute="name"/><filter type="and"><condition attribute="statecode" operator="eq" '
                          'value="0"/><condition attribute="name" operator="like" value="Contoso%"/></filter></entity></fetch>'),
    ("raw", "", _raw("GET", "/v1.0/users?" + _qs([("$search", '"displayName:wa" OR "mail:wa"'),
                                                  ("$filter", "accountEnabled eq true"),
                                                  ("$count", "true"), ("$select", "id,displayName,mail")]),
                     ["ConsistencyLevel: eventual", "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJub25jZSI6Ik1Z"],
                     host="graph.microsoft.com")),
    ("raw", "", _raw("POST", "/sap/opu/odata/sap/ZSALES_SRV/$batch",
                     ["Content-Type: multipart/mixed; boundary=" + _ODATA_BATCH_BOUNDARY, "MaxDataServiceVersion: 2.0",
                      "X-CSRF-Token: Kq1jYb0ZxqzqV7uXQv6vMw=="], _ODATA_BATCH_BODY)),
    ("json", "", _j({"search": "hotel near beach", "filter": "Rating ge 4 and Tags/any(t: t eq 'pool')",
                     "orderby": "geo.distance(Location, geography'POINT(-73.9857 40.7484)') asc",
                     "select": "HotelName,Rating,Address/City", "top": 10, "count": True})),

    # --- JSON:API ---
    ("query", "filter[title]", "Getting started with \"JSON:API\""),
    ("query", "include", "author,comments.author,tags"),
    ("query", "sort", "-created,title"),
    ("query", "fields[articles]", "title,body,author,published-at"),
    ("path", "", "/api/articles?include=author&filter[tag]=rust&sort=-published_at&page[number]=2&page[size]=10"),
    ("path", "", "/jsonapi/node/article?filter[a-label][condition][path]=field_first_name"
                 "&filter[a-label][condition][operator]==&filter[a-label][condition][value]=Janis"),
    ("path", "", "/jsonapi/node/event?filter[date-filter][condition][path]=field_date"
                 "&filter[date-filter][condition][operator]=>=&filter[date-filter][condition][value]=2024-06-01"
                 "&sort=field_date"),
    ("path", "", "/jsonapi/node/article?filter[or-group][group][conjunction]=OR"
                 "&filter[t][condition][path]=title&filter[t][condition][operator]=CONTAINS"
                 "&filter[t][condition][value]=drupal&filter[t][condition][memberOf]=or-group"
                 "&filter[s][condition][path]=status&filter[s][condition][operator]=<>"
                 "&filter[s][condition][value]=0&filter[s][condition][memberOf]=or-group"),
    ("body:application/vnd.api+json", "articles", _j({"data": {"type": "articles", "attributes": {
        "title": "Ember & JSON:API: a love story", "body": "<p>Use <code>{{#each}}</code> for lists.</p>"},
        "relationships": {"author": {"data": {"type": "people", "id": "9"}}}}})),
    ("raw", "", _raw("PATCH", "/api/articles/1",
                     ["Content-Type: application/vnd.api+json", "Accept: application/vnd.api+json"],
                     _j({"data": {"type": "articles", "id": "1", "attributes": {"title": "Rails 7.1 - what's new?"},
                              "relationships": {"tags": {"data": [{"type": "tags", "id": "2"},
                                                                   {"type": "tags", "id": "3"}]}}}}))),

    # --- PostgREST / Supabase ---
    ("query", "select", "*,author:profiles(name,avatar_url),comments(count)"),
    ("query", "id", "eq.5"),
    ("query", "or", "(age.lt.18,age.gt.21)"),
    ("query", "order", "created_at.desc.nullslast"),
    ("query", "title", "ilike.*postgres*"),
    ("query", "tags", "cs.{rust,wasm}"),
    ("query", "status", "in.(draft,review)"),
    ("query", "deleted_at", "is.null"),
    ("query", "and", "(rating.gte.4,or(price.lt.20,on_sale.is.true))"),
    ("query", "fts", "wfts(english).the fat cats"),
    ("query", "during", "ov.[2024-01-01,2024-02-01)"),
    ("query", "id", "not.in.(1,2,3)"),
    ("query", "metadata->>size", "eq.XL"),
    ("query", "last_name", "ilike.*o'brien*"),
    ("query", "select", "id,title,metadata->>color,address->city,tags:metadata->tags"),
    ("path", "", "/rest/v1/messages?select=id,body,sender:users!messages_sender_id_fkey(username)"
                 "&channel_id=eq.42&order=inserted_at.desc&limit=50"),
    ("path", "", "/rest/v1/products?select=*&price=gte.10&price=lte.99.99&category=eq.garden&or=(stock.gt.0,backorder.is.true)"),
    ("path", "", "/rest/v1/countries?select=name,cities!inner(name)&cities.name=eq.Bali&limit=1"),
    ("raw", "", _raw("GET", "/rest/v1/todos?select=*&is_complete=is.false&order=inserted_at.asc",
                     ["apikey: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.abc123",
                      "Range-Unit: items", "Range: 0-24", "Prefer: count=exact"], host="xyzcompany.supabase.co")),
    ("raw", "", _raw("PATCH", "/rest/v1/profiles?id=eq.7f3c1b2e-9d4a-4c8b-a1e2-0b9d8c7e6f5a",
                     ["Content-Type: application/json", "Prefer: return=representation",
                      "apikey: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.abc123"],
                     _j({"username": "dan_o'hara", "website": "https://dan.example/?a=1&b=2"}),
                     host="xyzcompany.supabase.co")),
    ("raw", "", _raw("POST", "/rest/v1/cart_items?on_conflict=cart_id,sku",
                     ["Content-Type: application/json", "Prefer: resolution=merge-duplicates,return=minimal"],
                     _j([{"cart_id": 88, "sku": "TSHIRT-BLK-M", "qty": 2}, {"cart_id": 88, "sku": "MUG-11OZ", "qty": 1}]),
                     host="xyzcompany.supabase.co")),
    ("json", "", _j({"search_term": "drop shipping", "match_count": 10, "min_similarity": 0.78})),

    # --- Strapi ---
    ("query", "filters[$and][0][title][$contains]", "graphql"),
    ("query", "filters[$or][1][author][name][$eqi]", "kai doe"),
    ("query", "populate[author][fields][0]", "name"),
    ("query", "sort[0]", "publishedAt:desc"),
    ("query", "filters[price][$between][0]", "10"),
    ("query", "filters[slug][$in][1]", "why-we-moved-to-postgres"),
    ("path", "", "/api/articles?filters[$or][0][date][$eq]=2020-01-20&filters[$or][1][date][$eq]=2020-01-21"
                 "&filters[author][name][$eq]=Kai doe&populate=*&pagination[page]=1&pagination[pageSize]=25"),
    ("path", "", "/api/restaurants?filters[chef][restaurants][stars][$gte]=4&filters[name][$notNull]=true"
                 "&filters[name][$containsi]=bistro&locale=fr&fields[0]=name&fields[1]=slug"),

    # --- Directus ---
    ("query", "filter[status][_eq]", "published"),
    ("query", "filter", _j({"_and": [{"date_created": {"_gte": "$NOW(-7 days)"}},
                                     {"user_created": {"_eq": "$CURRENT_USER"}}]})),
    ("query", "fields", "*,author.*,translations.*,cover.id,cover.title"),
    ("query", "deep[translations][_filter][languages_code][_eq]", "en-US"),
    ("query", "aggregate[count]", "*"),
    ("query", "filter[title][_icontains]", "q&a"),
    ("path", "", "/items/articles?filter[_or][0][title][_contains]=vue&filter[_or][1][tags][_intersects]=vue,nuxt"
                 "&sort[]=-date_published&limit=20&meta=filter_count"),
    ("raw", "", _raw("SEARCH", "/items/articles", ["Content-Type: application/json",
                                                  "Authorization: Bearer R1x9ZrXkPq_d3m0t0k3n"],
                     _j({"query": {"filter": {"_and": [{"status": {"_in": ["published", "scheduled"]}},
                                                       {"publish_on": {"_lte": "$NOW"}}]},
                                   "fields": ["id", "title", "author.first_name"], "sort": ["-publish_on"],
                                   "limit": 10}}), host="cms.example.com")),

    # --- Parse / Firebase / Firestore / Atlas Data API ---
    ("query", "where", _j({"score": {"$gte": 1000, "$lte": 3000},
                           "playerName": {"$regex": "^Sean", "$options": "i"}})),
    ("query", "where", _j({"$or": [{"wins": {"$gt": 150}}, {"wins": {"$lt": 5}}]})),
    ("query", "where", _j({"location": {"$nearSphere": {"__type": "GeoPoint", "latitude": 30.0, "longitude": -20.0},
                                        "$maxDistanceInKilometers": 10.0}})),
    ("query", "where", _j({"post": {"$inQuery": {"where": {"image": {"$exists": True}}, "className": "Post"}}})),
    ("query", "order", "-score,playerName"),
    ("raw", "", _raw("GET", "/parse/classes/Comment?" + _qs([("where", _j({"$relatedTo": {"object": {
        "__type": "Pointer", "className": "Post", "objectId": "8TOXdXf3tz"}, "key": "likes"}})),
        ("include", "author"), ("keys", "text,author.username"), ("limit", "20")]),
        ["X-Parse-Application-Id: myAppId", "X-Parse-REST-API-Key: 0f4b7c9d2e1a"], host="api.example.com")),
    ("path", "", '/dinosaurs.json?orderBy="$key"&startAt="a"&endAt="m\uf8ff"&limitToFirst=10'),
    ("query", "orderBy", '"height"'),
    ("query", "equalTo", '"O\'Reilly Media"'),
    ("json", "", _j({"structuredQuery": {"from": [{"collectionId": "cities"}],
                                         "where": {"compositeFilter": {"op": "AND", "filters": [
                                             {"fieldFilter": {"field": {"fieldPath": "population"}, "op": "GREATER_THAN",
                                                              "value": {"integerValue": "1000000"}}},
                                             {"fieldFilter": {"field": {"fieldPath": "regions"}, "op": "ARRAY_CONTAINS_ANY",
                                                              "value": {"arrayValue": {"values": [{"stringValue": "west_coast"},
                                                                                                  {"stringValue": "east_coast"}]}}}}]}},
                                         "orderBy": [{"field": {"fieldPath": "population"}, "direction": "DESCENDING"}],
                                         "limit": 10}})),
    ("json", "", _j({"dataSource": "Cluster0", "database": "shop", "collection": "orders",
                     "filter": {"status": "A", "qty": {"$lt": 30}, "tags": {"$all": ["red", "blank"]}},
                     "sort": {"date": -1}, "limit": 20})),

    # --- RSQL / FIQL ---
    ("query", "search", "name==foo*;age=gt=30"),
    ("query", "filter", "status=in=(OPEN,IN_PROGRESS);assignee.email==*@example.com"),
    ("query", "filter", "createdAt=ge=2024-01-01T00:00:00Z,priority=='P1'"),
    ("query", "query", "title=='Hello World';(author==john,author==jane)"),
    ("query", "search", "genres=out=(horror,thriller);year=le=1999"),
    ("query", "_s", "name==CXF;version=ge=2.2"),
    ("query", "filter", "lastName=='O\\'Brien' or firstName==\"Mary Ann\""),
    ("query", "q", "tags=in=(\"c++\",\"c#\");rating=gt=4.5;deleted==false"),

    # --- Lucene / Elasticsearch query strings and Kibana / log search bars ---
    ("query", "q", "title:\"quick brown fox\" AND (status:published OR status:draft) -author:bot"),
    ("query", "q", "price:[10 TO 100] AND category:books"),
    ("query", "q", "name:jo?n* AND age:{18 TO *]"),
    ("query", "q", "\"connection reset\"~3 AND host:web-0? AND NOT level:debug"),
    ("query", "q", "message:/joh?n(ath[oa]n)/"),
    ("query", "q", "path:\\/api\\/v2\\/orders* AND status:>=500"),
    ("query", "query", "http.response.status_code >= 500 and not url.path : \"/healthz\""),
    ("query", "query", "user.name : * and event.action : (\"user-login\" or \"user-logout\")"),
    ("query", "query", "service:web-store status:error @http.url_details.path:\"/api/v1/cart*\" -@http.status_code:404"),
    ("query", "expr", "{app=\"nginx\", env=~\"prod|staging\"} |= \"timeout\" != \"healthcheck\" | json | status >= 500"),
    ("query", "query", "sum by (job) (rate(http_requests_total{status=~\"5..\",job!=\"canary\"}[5m])) "
                       "/ sum by (job) (rate(http_requests_total[5m]))"),
    ("query", "q", "repo:^github\\.com/acme/ lang:go \"func main(\" -file:_test\\.go$"),
    ("query", "q", "title:(+\"data lake\" -hadoop) OR body:(spark^2 flink)"),
    ("json", "", _j({"query": {"bool": {
        "must": [{"multi_match": {"query": "wireless headphones", "fields": ["title^3", "description", "brand"],
                                  "type": "best_fields", "fuzziness": "AUTO"}}],
        "filter": [{"term": {"in_stock": True}}, {"range": {"price": {"gte": 20, "lte": 150}}},
                   {"terms": {"brand.keyword": ["Sony", "Bose", "JBL"]}}],
        "should": [{"match_phrase": {"title": {"query": "noise cancelling", "slop": 2}}}],
        "must_not": [{"term": {"condition": "refurbished"}}]}},
        "highlight": {"pre_tags": ["<em class=\"hl\">"], "post_tags": ["</em>"], "fields": {"title": {}}},
        "from": 0, "size": 24, "sort": [{"_score": "desc"}, {"price": "asc"}]})),
    ("json", "", _j({"size": 0, "query": {"range": {"@timestamp": {"gte": "now-7d/d", "lt": "now/d"}}},
                     "aggs": {"per_day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "1d"},
                                          "aggs": {"top_paths": {"terms": {"field": "url.path", "size": 5}}}}}})),
    ("json", "", _j({"query": {"bool": {"filter": {"geo_distance": {"distance": "12km",
                                                                     "pin.location": {"lat": 40.7128, "lon": -74.006}}}}},
                     "sort": [{"_geo_distance": {"pin.location": {"lat": 40.7128, "lon": -74.006}, "order": "asc",
                                                 "unit": "km"}}]})),
    ("json", "", _j({"query": {"query_string": {"query": "(error OR exception) AND service:\"checkout-api\" "
                                                         "AND NOT message:\"GET /health\"",
                                                "default_field": "message"}},
                     "search_after": [1714557600000, "log-2024.05.01#9f3a"], "size": 100,
                     "sort": [{"@timestamp": "desc"}, {"_id": "asc"}]})),
    ("json", "", _j({"suggest": {"title-suggest": {"prefix": "elast", "completion": {"field": "suggest",
                                                                                     "fuzzy": {"fuzziness": 1}}}}})),
    ("body:application/x-ndjson", "_msearch",
     '{"index":"products"}\n' + _j({"query": {"match": {"title": "running shoes"}}, "size": 10}) + "\n"
     '{"index":"articles"}\n' + _j({"query": {"match_phrase_prefix": {"title": "how to lace"}}, "size": 3}) + "\n"),
    ("json", "", _j({"query": {"nested": {"path": "comments", "query": {"bool": {"must": [
        {"match": {"comments.author": "alice"}}, {"wildcard": {"comments.text": {"value": "*refund*"}}}]}}}},
        "_source": ["id", "subject"]})),
    ("json", "", _j({"query": {"regexp": {"sku.keyword": {"value": "AB-[0-9]{4}-(RED|BLU)", "flags": "ALL"}}}})),

    # --- product search syntaxes typed into app search bars ---
    ("query", "q", "is:issue is:open label:\"good first issue\" -label:wontfix author:@me sort:updated-desc"),
    ("query", "q", "from:(alice@example.com OR bob@example.com) has:attachment after:2024/01/01 -in:chats"),
    ("query", "jql", "project = WEB AND status in (\"In Progress\", \"Code Review\") AND assignee = currentUser() "
                     "ORDER BY priority DESC, updated ASC"),
    ("query", "jql", "text ~ \"\\\"null pointer\\\"\" AND created >= -7d AND labels is EMPTY AND sprint in openSprints()"),
    ("query", "query", "status:'active' AND metadata['order_id']:'6735'"),
    ("query", "query", "email~'acme.com' AND created>1704067200"),
    ("query", "query", "financial_status:paid AND created_at:>=2024-01-01 AND NOT tag:'wholesale'"),
    ("query", "query", "type:ticket status<solved requester:*@acme.com tags:billing"),
    ("query", "query", "is:unresolved !has:assignee level:error release:\"frontend@2.3.1\" url:*checkout*"),
    ("query", "q", "in:#eng-incidents from:@maria during:yesterday \"rollback\""),
    ("json", "", _j({"filterGroups": [{"filters": [{"propertyName": "lifecyclestage", "operator": "EQ",
                                                    "value": "customer"},
                                                   {"propertyName": "email", "operator": "CONTAINS_TOKEN",
                                                    "value": "*@gmail.com"}]},
                                      {"filters": [{"propertyName": "hs_lead_status", "operator": "IN",
                                                    "values": ["NEW", "OPEN"]}]}],
                     "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}],
                     "properties": ["email", "firstname", "lastname"], "limit": 100, "after": "0"})),
    ("path", "", "/spaces/k8s2b1x/environments/master/entries?content_type=blogPost&fields.title[match]=graphql"
                 "&sys.createdAt[gte]=2024-01-01T00:00:00Z&fields.tags[in]=api,web&order=-sys.createdAt&limit=10"),

    # --- Sanity GROQ ---
    ("query", "query", "*[_type == \"post\" && slug.current == $slug][0]{title, \"author\": author->name, body, "
                       "\"imageUrl\": mainImage.asset->url}"),
    ("query", "$slug", "\"hello-world\""),
    ("query", "query", "*[_type == \"post\" && defined(publishedAt) && publishedAt < now()] | order(publishedAt desc)"
                       "[0...10]{_id, title, \"comments\": count(*[_type == \"comment\" && post._ref == ^._id])}"),
    ("query", "query", "*[_type == \"product\" && pt::text(description) match \"organic*\" && price <= $max]"
                       "{name, price, \"category\": coalesce(category->title, \"Uncategorised\")}"),
    ("query", "query", "*[_type == \"author\" && count(*[_type == \"book\" && references(^._id)]) > 2]{name}"),
    ("query", "query", "*[_type in [\"event\", \"webinar\"] && dateTime(startsAt) > dateTime(now()) - 60*60*24]"
                       " | order(startsAt asc){title, startsAt, \"venue\": venue->{name, city}}"),
    ("json", "", _j({"query": "*[_type == $type && language == $lang && !(_id in path(\"drafts.**\"))]",
                     "params": {"type": "article", "lang": "nb-NO"}})),

    # --- Algolia / Meilisearch / Typesense ---
    ("json", "", _j({"requests": [{"indexName": "products",
                                   "params": "query=iphone%20case&hitsPerPage=20&facetFilters=%5B%5B%22brand%3AApple%22"
                                             "%2C%22brand%3ASamsung%22%5D%5D&numericFilters=%5B%22price%3C%3D50%22%5D"
                                             "&highlightPreTag=%3Cais-highlight-0000000000%3E"
                                             "&highlightPostTag=%3C%2Fais-highlight-0000000000%3E"}]})),
    ("query", "filters", "category:Book AND (author:\"Stephen King\" OR author:\"J. R. R. Tolkien\") AND price:10 TO 20 "
                         "AND NOT _tags:out-of-stock"),
    ("query", "aroundLatLng", "40.71,-74.01"),
    ("query", "insideBoundingBox", "[[47.3165,4.9665,47.3424,5.0201]]"),
    ("query", "numericFilters", "[\"rating>=4\",\"release_year:1990 TO 2000\"]"),
    ("json", "", _j({"q": "harry potter", "filter": "genres = fantasy AND (rating >= 4 OR release_date > 1577836800) "
                                                   "AND NOT status IN [archived, draft]",
                     "sort": ["price:asc"], "facets": ["genres", "author"], "attributesToHighlight": ["title"],
                     "highlightPreTag": "<mark>", "highlightPostTag": "</mark>", "limit": 20})),
    ("json", "", _j({"q": "pizza", "filter": "_geoRadius(48.8566, 2.3522, 2000) AND price_range < 3",
                     "sort": ["_geoPoint(48.8566, 2.3522):asc"]})),
    ("json", "", _j({"q": "", "filter": ["_geoBoundingBox([45.494181, 9.214024], [45.449484, 9.179175])",
                                         ["color = red", "color = \"dark blue\""]]})),
    ("query", "filter_by", "price:[10..100] && brand:=[Nike,Adidas] && in_stock:true"),
    ("query", "sort_by", "_text_match:desc,price:asc"),
    ("raw", "", _raw("POST", "/1/indexes/*/queries?x-algolia-agent=Algolia%20for%20JavaScript%20(4.22.1)%3B%20Browser",
                     ["Content-Type: application/x-www-form-urlencoded", "Origin: https://shop.example.com",
                      "x-algolia-api-key: 6be0576ff61c053d5f9a3225e2a90f76", "x-algolia-application-id: LATENCY"],
                     _j({"requests": [{"indexName": "instant_search", "params": "query=o'neill%20wetsuit&page=0"
                                                                                 "&filters=price%20%3E%2050"}]}),
                     host="latency-dsn.algolia.net")),

    # --- JSONPath / JMESPath / mapping expressions in integration tools ---
    ("query", "path", "$.store.book[?(@.price < 10 && @.category == 'fiction')].title"),
    ("query", "path", "$..book[-1:]"),
    ("json", "", _j({"name": "Extract work emails", "source": "response.body",
                     "jsonpath": "$.data[?(@.email =~ /.*@example\\.com/i)].email"})),
    ("query", "expression", "locations[?state == 'WA'].name | sort(@) | {WashingtonCities: join(', ', @)}"),
    ("query", "query", "Reservations[].Instances[?State.Name=='running'].InstanceId"),
    ("query", "expression", "people[?age > `20`].[name, age]"),
    ("json", "", _j({"Comment": "Order pipeline", "StartAt": "Validate", "States": {
        "Validate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.detail",
                     "Parameters": {"FunctionName": "validate-order", "Payload.$": "$"},
                     "ResultSelector": {"orderId.$": "$.Payload.id", "msg.$": "States.Format('Order {} ok', $.Payload.id)"},
                     "Next": "IsBig"},
        "IsBig": {"Type": "Choice", "Choices": [{"Variable": "$.Payload.total", "NumericGreaterThan": 1000,
                                                 "Next": "Review"}], "Default": "Done"},
        "Review": {"Type": "Succeed"}, "Done": {"Type": "Succeed"}}})),
    ("json", "", _j({"nodes": [{"parameters": {"conditions": {"string": [{"value1": "={{ $json.email }}",
                                                                           "operation": "endsWith",
                                                                           "value2": "@acme.com"}]}},
                                "name": "IF work email", "type": "n8n-nodes-base.if", "typeVersion": 1,
                                "position": [460, 300]}],
                     "connections": {}, "name": "Lead routing"})),
    ("form", "mapping", "{{1.customer.first_name}} {{1.customer.last_name}} <{{1.customer.email}}>"),
    ("query", "filter", "$[?(@.status in ['active','trial'] && @.seats >= 5)]"),
    ("json", "", _j({"rules": [{"field": "$.headers['x-github-event']", "op": "==", "value": "push"},
                               {"field": "$.body.ref", "op": "matches", "value": "^refs/heads/(main|release/.+)$"}]})),

    # --- cron expressions ---
    ("form", "schedule", "*/15 * * * *"),
    ("form", "schedule", "0 9 * * 1-5"),
    ("json", "", _j({"name": "Nightly report", "schedule": "0 3 * * *", "timezone": "Europe/Berlin",
                     "enabled": True})),
    ("json", "", _j({"jobName": "cleanup-temp", "cronExpression": "0 0/5 14,18 * * ?"})),
    ("form", "cron", "0 15 10 ? * 6L 2024-2030"),
    ("json", "", _j({"ScheduleExpression": "cron(0 12 * * ? *)", "State": "ENABLED", "Name": "daily-noon-sync"})),
    ("form", "schedule", "rate(5 minutes)"),
    ("query", "cron", "30 2 1,15 * *"),
    ("form", "cron", "0 8-18/2 * * MON-FRI"),
    ("body:application/x-yaml", "workflows", "on:\n  schedule:\n    - cron: '*/30 5-22 * * *'\n  workflow_dispatch: {}\n"
                                             "jobs:\n  ping:\n    runs-on: ubuntu-latest\n"),

    # --- regular expressions users type into log/search filters and rules ---
    ("query", "regex", "^(GET|POST) /api/v[12]/users/\\d+$"),
    ("query", "pattern", "(?i)error|exception|fatal"),
    ("json", "", _j({"name": "Redact SSNs", "pattern": "\\b\\d{3}-\\d{2}-\\d{4}\\b", "replacement": "***-**-****",
                     "applyTo": ["message", "attributes.*"]})),
    ("form", "email_regex", "^[\\w.+-]+@[\\w-]+\\.[\\w.]+$"),
    ("query", "regex", "(?<=user=)\\w+"),
    ("query", "filter", ".*\\.(jpe?g|png|gif|webp)$"),
    ("json", "", _j({"from": "^/blog/(\\d{4})/(\\d{2})/(.*)$", "to": "/posts/$3", "status": 301})),
    ("json", "", _j({"inboundFilters": {"errorMessages": ["*ResizeObserver loop*", "Script error.",
                                                          "*Non-Error promise rejection captured*"]}})),
    ("query", "q", "/timeout after \\d+ms/ AND service:payments"),
    ("form", "exclude_pattern", "^/(healthz|readyz|metrics)(\\?.*)?$"),
    ("query", "line_filter", "status=(4|5)\\d\\d .* upstream_time=[0-9.]{3,}"),
    ("json", "", _j({"keywordRule": {"matchType": "regex", "pattern": "(?i)\\b(refund|chargeback|dispute)s?\\b",
                                     "action": "tag", "tag": "billing"}})),
    ("query", "grep", "\\[(WARN|ERROR)\\] .*pool exhausted"),
    ("form", "branch_filter", "^(feature|bugfix)/[A-Z]+-\\d+-.+$"),

    # --- SCIM filters ---
    ("query", "filter", "userName eq \"bjensen\""),
    ("query", "filter", "name.familyName co \"O'Malley\""),
    ("query", "filter", "emails[type eq \"work\" and value ew \"@example.com\"]"),
    ("query", "filter", "meta.lastModified gt \"2024-01-01T00:00:00Z\""),
    ("query", "filter", "title pr and userType eq \"Employee\""),
    ("query", "filter", "(userName sw \"j\" or displayName sw \"j\") and active eq true"),
    ("path", "", "/scim/v2/Groups?filter=members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"
                 "&attributes=displayName&startIndex=1&count=50"),
    ("body:application/scim+json", "Users", _j({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                                 "Operations": [{"op": "replace", "path": "emails[type eq \"work\"].value",
                                                                 "value": "b.jensen@example.com"},
                                                                {"op": "remove",
                                                                 "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]})),
    ("json", "", _j({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                     "attributes": ["userName", "name.givenName"],
                     "filter": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"",
                     "startIndex": 1, "count": 10})),

    # --- directory search boxes (plain user input) ---
    ("query", "q", "Jensen, Barbara"),
    ("query", "q", "Smith (Contractor)"),
    ("query", "name", "Dr. Anne-Marie O'Neill"),
    ("query", "department", "Sales & Marketing"),
    ("query", "q", "Müller*"),
    ("query", "location", "Bldg C / Room 4.12"),
    ("query", "q", "bob+test@corp.example.com"),

    # --- spreadsheet-style formulas in no-code tools ---
    ("query", "filterByFormula", "AND({Status}='Done', IS_AFTER({Due}, TODAY()))"),
    ("query", "filterByFormula", "OR(FIND(\"urgent\", LOWER({Notes})), {Priority} = \"High\")"),
    ("query", "filterByFormula", "REGEX_MATCH({Email}, \"^[^@]+@acme\\.com$\")"),
    ("path", "", "/v0/appX7k2Lm9QpR4sT1/Tasks?filterByFormula=NOT({Assignee} = '')&sort[0][field]=Due"
                 "&sort[0][direction]=asc&maxRecords=100&view=Grid view"),
    ("json", "", _j({"name": "Discounted price", "type": "formula",
                     "options": {"formula": "IF({Qty} > 10, {Price} * 0.9, {Price})"}})),
    ("json", "", _j({"fields": {"Full name": "CONCATENATE({First}, \" \", {Last})",
                                "Created (NY)": "DATETIME_FORMAT(SET_TIMEZONE({Created}, 'America/New_York'), "
                                                "'YYYY-MM-DD')"}})),
    ("json", "", _j({"range": "Summary!D2", "majorDimension": "ROWS",
                     "values": [["=SUMIFS(C:C, A:A, \">=\"&DATE(2024,1,1), B:B, \"Paid\")"]]})),
    ("json", "", _j({"range": "Orders!F2:F3", "values": [["=VLOOKUP(A2,Products!$A:$D,4,FALSE)"],
                                                         ["=IFERROR(INDEX(Products!B:B, MATCH(A3, Products!A:A, 0)), \"n/a\")"]]})),
    ("json", "", _j({"cells": [{"columnId": 7421985125543812, "formula": "=COUNTIFS([Status]:[Status], \"Complete\", "
                                                                         "[Owner]:[Owner], @cell = \"Dana\")"}]})),
    ("json", "", _j({"property": "Days left", "formula": {"expression": "if(prop(\"Done\"), \"✅\", "
                                                                        "format(dateBetween(prop(\"Due\"), now(), \"days\")) + \" days left\")"}})),
    ("json", "", _j({"range": "Links!B2", "values": [["=HYPERLINK(\"https://docs.example.com/onboarding\", \"Onboarding guide\")"]]})),
    ("form", "formula", "=ROUND(AVERAGEIF(D2:D200,\"<>0\"),2)"),
    ("json", "", _j({"column": "margin", "expression": "ROUND(({revenue} - {cost}) / {revenue} * 100, 1) & \"%\""})),

    # --- sorting and ranges ---
    ("query", "sort", "-created_at,+title"),
    ("query", "sort", "price:asc,rating:desc"),
    ("query", "order_by", "name asc nulls last"),
    ("query", "price[gte]", "19.99"),
    ("query", "created", "2024-01-01..2024-03-31"),
    ("query", "range", "[2024-01-01T00:00:00Z TO now-1d]"),
    ("query", "sort", "[{\"field\":\"updatedAt\",\"dir\":\"desc\"},{\"field\":\"id\",\"dir\":\"asc\"}]"),
    ("query", "ordering", "-pub_date,author__last_name"),
    ("query", "created_at__gte", "2024-04-01T00:00:00+02:00"),
    ("raw", "", _raw("GET", "/api/items?sort(+name,-price)", ["Range: items=0-24", "X-Requested-With: XMLHttpRequest"])),
    ("path", "", "/api/v1/invoices?amount[gt]=100&amount[lte]=5000&status[]=open&status[]=overdue&sort=-due_date&cursor=eyJpZCI6MTIzfQ=="),

    # --- geo queries ---
    ("query", "bbox", "-122.52,37.70,-122.35,37.83"),
    ("query", "near", "40.7128,-74.0060"),
    ("query", "within", "POLYGON((-122.4 37.7, -122.4 37.8, -122.3 37.8, -122.3 37.7, -122.4 37.7))"),
    ("path", "", "/arcgis/rest/services/Census/MapServer/3/query?where=1=1&outFields=*&returnGeometry=true&f=geojson"),
    ("path", "", "/arcgis/rest/services/USA/FeatureServer/0/query?where=POP2000 > 350000 AND STATE_NAME = 'California'"
                 "&outFields=NAME,POP2000&orderByFields=POP2000 DESC&f=json"),
    ("query", "geometry", _j({"xmin": -13656000, "ymin": 4540000, "xmax": -13600000, "ymax": 4580000,
                              "spatialReference": {"wkid": 102100}})),
    ("query", "CQL_FILTER", "INTERSECTS(the_geom, POINT(-90 40)) AND name LIKE 'Riv%'"),
    ("query", "CQL_FILTER", "DWITHIN(geom, POINT(12.49 41.89), 500, meters) AND type IN ('cafe','bar')"),
    ("query", "filter", "S_INTERSECTS(geometry, BBOX(-10,40,10,50)) AND \"eo:cloud_cover\" < 10"),
    ("json", "", _j({"collections": ["sentinel-2-l2a"], "bbox": [-122.5, 37.6, -122.3, 37.9],
                     "datetime": "2024-06-01T00:00:00Z/2024-06-30T23:59:59Z",
                     "query": {"eo:cloud_cover": {"lt": 20}}, "sortby": [{"field": "properties.datetime",
                                                                          "direction": "desc"}], "limit": 50})),
    ("json", "", _j({"location": {"$geoWithin": {"$centerSphere": [[-73.93414657, 40.82302903], 0.00126]}},
                     "cuisine": "Italian"})),
    ("query", "q", "1600 Pennsylvania Ave NW, Washington, DC 20500"),
    ("query", "latlng", "51.5007,-0.1246"),
    ("query", "polyline", "_p~iF~ps|U_ulLnnqC_mqNvxq`@"),
]
