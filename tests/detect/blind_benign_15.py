"""Blind benign batch 15: CMS and admin traffic, page builders, rich-text editors, e-mail templates and uploads, written by hand."""
from __future__ import annotations

_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


def _multipart(
    path: str,
    filename: str,
    content_type: str,
    content: str,
    *,
    field: str = "file",
    fields: tuple[tuple[str, str], ...] = (),
    host: str = "www.example.com",
    boundary: str = "----WebKitFormBoundaryq7Yv2kLm9XcT4pRz",
) -> str:
    """Build a raw Chrome-style multipart upload with CRLF line ends and an exact Content-Length."""
    content = content.replace("\r\n", "\n").replace("\n", "\r\n")
    parts = []
    for name, value in fields:
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"\r\n'
            f"\r\n"
            f"{value}\r\n"
        )
    parts.append(
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n"
        f"\r\n"
        f"{content}\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    body = "".join(parts)
    length = len(body.encode("utf-8"))
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Connection: keep-alive\r\n"
        f"Content-Length: {length}\r\n"
        f"User-Agent: {_UA}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Accept: */*\r\n"
        f"Origin: https://{host}\r\n"
        f"Accept-Encoding: gzip, deflate, br\r\n"
        f"Accept-Language: en-GB,en;q=0.9\r\n"
        f"\r\n"
    )
    return head + body


BLIND_BENIGN_15: list[tuple[str, str, str]] = [
    # ------------------------------------------------------------------
    # 1. CMS and admin traffic
    # ------------------------------------------------------------------
    # WordPress admin-ajax / classic editor forms
    ("form", "action", "heartbeat"),
    ("form", "data[wp-refresh-post-lock][post_id]", "1287"),
    ("form", "action", "sample-permalink"),
    ("form", "new_title", "10 Easy Weeknight Dinners (Under 30 Minutes!)"),
    ("form", "post_title", "Spring Sale: 20% Off All Linen & Cotton Shirts"),
    ("form", "content", '<!-- wp:paragraph -->\n<p>Welcome to our spring collection. Browse the <a href="/shop/new-arrivals/">new arrivals</a> before they sell out &mdash; most sizes ship within 24 hours.</p>\n<!-- /wp:paragraph -->'),
    ("form", "excerpt", "A quick look at what's new in our autumn range, plus a few care tips for merino wool."),
    ("form", "tax_input[post_tag]", "recipes, vegan, weeknight dinners, one-pot"),
    ("form", "newcategory", "Behind the Scenes"),
    ("form", "widget-text[3][text]", "<p><strong>Opening hours</strong><br>Mon–Fri 9:00–17:30<br>Sat 10:00–14:00<br>Sun closed</p>"),
    ("form", "widget-custom_html[2][content]", '<div class="newsletter-cta">\n  <h4>Get the weekly digest</h4>\n  <p>One e-mail every Friday. No spam, unsubscribe anytime.</p>\n  <a class="button" href="/newsletter/">Subscribe</a>\n</div>'),
    ("form", "menu-item-title[1042]", "Shop & Collections"),
    ("form", "menu-item-url[1043]", "https://www.example.com/contact-us/#opening-hours"),
    ("form", "menu-item-attr-title[1044]", "Read our story"),
    ("form", "blogdescription", "Small-batch sourdough, baked daily in Leith"),
    ("form", "permalink_structure", "/%year%/%monthnum%/%postname%/"),
    ("form", "date_format", "F j, Y"),
    ("form", "time_format", "g:i a"),
    ("form", "customized", r'{"blogname":{"value":"Harbour Bakery"},"nav_menu_locations[primary]":{"value":3},"custom_css[twentytwentyfour]":{"value":".site-header {\n  background: #fdf6ec;\n}\n.wp-block-button__link {\n  border-radius: 4px;\n}"}}'),
    ("form", "wpcf7-form", '<label> Your name\n    [text* your-name autocomplete:name] </label>\n\n<label> Your email\n    [email* your-email autocomplete:email] </label>\n\n<label> Subject\n    [text* your-subject] </label>\n\n<label> Your message (optional)\n    [textarea your-message] </label>\n\n[submit "Submit"]'),
    ("form", "wpcf7-mail[body]", "From: [your-name] <[your-email]>\nSubject: [your-subject]\n\nMessage Body:\n[your-message]\n\n-- \nThis e-mail was sent from a contact form on [_site_title] ([_site_url])"),
    ("form", "content", '[gallery ids="201,202,203,207" columns="4" size="medium" link="file"]'),
    ("form", "yoast_wpseo_title", "%%title%% %%page%% %%sep%% %%sitename%%"),
    ("form", "yoast_wpseo_metadesc", "Our guide to choosing a beginner road bike: frame sizes, gearing, and what to spend (and not spend) in 2024."),
    ("form", "yoast_wpseo_focuskw", "beginner road bike"),
    ("form", "acf[field_5f1a2b3c4d5e6]", "Dr. Amara Nwosu, Head of Research"),
    ("form", "_regular_price", "24.99"),
    ("form", "_sale_price_dates_from", "2024-06-01"),
    ("form", "_sku", "TEE-ORG-BLK-M"),
    ("form", "attribute_values[0]", "Small | Medium | Large | X-Large"),
    ("form", "_wp_page_template", "templates/full-width.php"),
    # WordPress REST / Gutenberg block markup
    ("json", "post", r'{"id":1287,"title":"How we source our coffee","content":"<!-- wp:heading {\"level\":2} -->\n<h2 class=\"wp-block-heading\">Direct trade, explained</h2>\n<!-- /wp:heading -->\n\n<!-- wp:paragraph {\"dropCap\":true} -->\n<p class=\"has-drop-cap\">We buy green coffee directly from three cooperatives in Huila, Colombia.</p>\n<!-- /wp:paragraph -->","status":"draft"}'),
    ("json", "content", '<!-- wp:image {"id":512,"sizeSlug":"large","linkDestination":"none"} -->\n<figure class="wp-block-image size-large"><img src="https://www.example.com/wp-content/uploads/2024/05/roastery-1024x683.jpg" alt="Roaster checking a batch of beans" class="wp-image-512"/><figcaption class="wp-element-caption">Our Probat roaster, installed in 2019.</figcaption></figure>\n<!-- /wp:image -->'),
    ("json", "content", '<!-- wp:columns -->\n<div class="wp-block-columns"><!-- wp:column {"width":"66.66%"} -->\n<div class="wp-block-column" style="flex-basis:66.66%"><!-- wp:paragraph -->\n<p>Tickets go on sale Monday at 10am.</p>\n<!-- /wp:paragraph --></div>\n<!-- /wp:column -->\n\n<!-- wp:column {"width":"33.33%"} -->\n<div class="wp-block-column" style="flex-basis:33.33%"><!-- wp:paragraph {"fontSize":"small"} -->\n<p class="has-small-font-size">Limit of 4 per household.</p>\n<!-- /wp:paragraph --></div>\n<!-- /wp:column --></div>\n<!-- /wp:columns -->'),
    ("json", "content", '<!-- wp:buttons {"layout":{"type":"flex","justifyContent":"center"}} -->\n<div class="wp-block-buttons"><!-- wp:button {"backgroundColor":"vivid-cyan-blue","className":"is-style-fill"} -->\n<div class="wp-block-button is-style-fill"><a class="wp-block-button__link has-vivid-cyan-blue-background-color has-background wp-element-button" href="/book-a-table/">Book a table</a></div>\n<!-- /wp:button --></div>\n<!-- /wp:buttons -->'),
    ("json", "content", '<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->\n<li>Preheat the oven to 200&nbsp;°C.</li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>Toss the squash with oil, salt &amp; chilli flakes.</li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>Roast for 25–30 minutes, turning once.</li>\n<!-- /wp:list-item --></ol>\n<!-- /wp:list -->'),
    ("json", "content", '<!-- wp:table {"hasFixedLayout":true} -->\n<figure class="wp-block-table"><table class="has-fixed-layout"><thead><tr><th>Plan</th><th>Price</th><th>Users</th></tr></thead><tbody><tr><td>Starter</td><td>$9/mo</td><td>1</td></tr><tr><td>Team</td><td>$29/mo</td><td>up to 10</td></tr></tbody></table></figure>\n<!-- /wp:table -->'),
    ("json", "content", '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ","type":"video","providerNameSlug":"youtube","responsive":true,"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->\n<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n</div></figure>\n<!-- /wp:embed -->'),
    ("json", "content", '<!-- wp:cover {"url":"https://www.example.com/wp-content/uploads/2024/04/harbour.jpg","id":498,"dimRatio":40,"minHeight":420,"isDark":false} -->\n<div class="wp-block-cover is-light" style="min-height:420px"><span aria-hidden="true" class="wp-block-cover__background has-background-dim-40 has-background-dim"></span><img class="wp-block-cover__image-background wp-image-498" alt="" src="https://www.example.com/wp-content/uploads/2024/04/harbour.jpg" data-object-fit="cover"/><div class="wp-block-cover__inner-container"><!-- wp:heading {"textAlign":"center","level":1} -->\n<h1 class="wp-block-heading has-text-align-center">Fresh from the harbour</h1>\n<!-- /wp:heading --></div></div>\n<!-- /wp:cover -->'),
    ("json", "content", '<!-- wp:shortcode -->\n[contact-form-7 id="1a2b3c4" title="Contact form 1"]\n<!-- /wp:shortcode -->'),
    ("json", "content", '<!-- wp:block {"ref":2215} /-->\n\n<!-- wp:separator {"className":"is-style-wide"} -->\n<hr class="wp-block-separator has-alpha-channel-opacity is-style-wide"/>\n<!-- /wp:separator -->'),
    ("json", "content", '<!-- wp:template-part {"slug":"header","theme":"twentytwentyfour","tagName":"header"} /-->\n\n<!-- wp:group {"tagName":"main","layout":{"type":"constrained"}} -->\n<main class="wp-block-group"><!-- wp:post-title {"level":1} /-->\n\n<!-- wp:post-content {"layout":{"type":"constrained"}} /--></main>\n<!-- /wp:group -->\n\n<!-- wp:template-part {"slug":"footer","theme":"twentytwentyfour","tagName":"footer"} /-->'),
    ("json", "content", '<!-- wp:navigation {"ref":4,"overlayMenu":"never","layout":{"type":"flex","justifyContent":"right"}} /-->'),
    ("json", "content", '<!-- wp:quote {"className":"is-style-large"} -->\n<blockquote class="wp-block-quote is-style-large"><!-- wp:paragraph -->\n<p>Best croissant I have had outside Paris.</p>\n<!-- /wp:paragraph --><cite>Edinburgh Evening News</cite></blockquote>\n<!-- /wp:quote -->'),
    ("json", "settings", r'{"version":2,"settings":{"color":{"palette":{"theme":[{"slug":"base","color":"#fdf6ec","name":"Base"},{"slug":"contrast","color":"#1a1a1a","name":"Contrast"},{"slug":"accent","color":"#c2410c","name":"Accent"}]}}},"styles":{"color":{"background":"var(--wp--preset--color--base)","text":"var(--wp--preset--color--contrast)"},"typography":{"fontFamily":"var(--wp--preset--font-family--inter)","lineHeight":"1.6"},"elements":{"link":{"color":{"text":"var(--wp--preset--color--accent)"},":hover":{"typography":{"textDecoration":"none"}}}}}}'),
    ("json", "widget", r'{"id":"block-5","sidebar":"sidebar-1","instance":{"raw":{"content":"<!-- wp:search {\"label\":\"Search\",\"buttonText\":\"Search\",\"buttonPosition\":\"button-inside\"} /-->"}}}'),
    ("json", "menu_item", '{"title":"Gift Cards","url":"https://www.example.com/gift-cards/","menus":3,"parent":0,"menu_order":5,"status":"publish","type":"custom","target":"","classes":["menu-highlight"]}'),
    ("json", "settings", '{"title":"Harbour Bakery","description":"Small-batch sourdough","timezone":"Europe/London","date_format":"j F Y","time_format":"H:i","start_of_week":1,"posts_per_page":12,"default_comment_status":"closed"}'),
    ("json", "plugin", '{"status":"active"}'),
    ("json", "meta", '{"meta":{"_wp_page_template":"","footnotes":"[{\\"content\\":\\"Source: ONS, 2023.\\",\\"id\\":\\"f1a2\\"}]"},"featured_media":512,"categories":[4,11],"tags":[27]}'),
    # Page builders
    ("form", "actions", r'{"save_builder":{"action":"save_builder","data":{"status":"draft","elements":[{"id":"3f2a1b9","elType":"section","settings":{"layout":"boxed","gap":"default"},"elements":[{"id":"8c4d2e1","elType":"column","settings":{"_column_size":100},"elements":[{"id":"b71e0a4","elType":"widget","settings":{"title":"Our Story","header_size":"h2","align":"center"},"elements":[],"widgetType":"heading"},{"id":"c92f5d3","elType":"widget","settings":{"editor":"<p>Founded in 2011 by two sisters with a very old starter.</p>"},"elements":[],"widgetType":"text-editor"}]}]}],"settings":{"post_title":"About","post_status":"draft"}}}}'),
    ("form", "actions", r'{"get_widgets_config":{"action":"get_widgets_config","data":{"exclude":{"heading":true,"image":true,"text-editor":true}}}}'),
    ("json", "elementor", '{"id":"5e7d9a1","elType":"widget","settings":{"text":"Download the brochure","link":{"url":"/wp-content/uploads/2024/05/brochure.pdf","is_external":"on","nofollow":"","custom_attributes":""},"align":"center","size":"md","selected_icon":{"value":"fas fa-download","library":"fa-solid"},"custom_css":"selector .elementor-button { letter-spacing: 0.04em; }"},"elements":[],"widgetType":"button"}'),
    ("form", "et_pb_content", '[et_pb_section fb_built="1" _builder_version="4.24.0" global_colors_info="{}"][et_pb_row _builder_version="4.24.0"][et_pb_column type="4_4" _builder_version="4.24.0"][et_pb_text _builder_version="4.24.0" text_font_size="18px"]<p>Join us for our <strong>summer open day</strong> on Saturday 6 July.</p>[/et_pb_text][et_pb_button button_url="/open-day/" button_text="Register" _builder_version="4.24.0"][/et_pb_button][/et_pb_column][/et_pb_row][/et_pb_section]'),
    ("form", "content", '[vc_row full_width="stretch_row"][vc_column width="1/2"][vc_column_text]<h3>Wedding cakes</h3>\nTiered, naked or classic fondant, made to order.[/vc_column_text][/vc_column][vc_column width="1/2"][vc_single_image image="734" img_size="large"][/vc_column][/vc_row]'),
    ("json", "webflow_item", '{"isArchived":false,"isDraft":false,"fieldData":{"name":"Summer Lookbook","slug":"summer-lookbook","post-summary":"Light layers for long evenings.","post-body":"<h2>Linen, everywhere</h2><p>Breathable shirts and wide-leg trousers in five new colours.</p><figure class=\\"w-richtext-figure-type-image w-richtext-align-fullwidth\\"><div><img src=\\"https://cdn.example.com/lookbook/pier.jpg\\" alt=\\"Model in a linen shirt on a pier\\"></div></figure>","featured":true}}'),
    ("form", "fl_builder_data[settings]", '{"heading":"Meet the team","tag":"h2","font_size":"custom","custom_font_size":"36","color":"1d3557","link":"","link_target":"_self"}'),
    # Drupal admin forms
    ("form", "form_id", "node_article_edit_form"),
    ("form", "title[0][value]", "Community garden opens on Elm Street"),
    ("form", "body[0][value]", '<p>The new community garden on <strong>Elm Street</strong> opens to residents this Saturday.</p>\r\n\r\n<h2>How to get a plot</h2>\r\n\r\n<ol>\r\n\t<li>Fill in the <a href="/forms/garden-plot">application form</a>.</li>\r\n\t<li>Attend a short induction.</li>\r\n</ol>\r\n\r\n<drupal-media data-align="center" data-entity-type="media" data-entity-uuid="0c3f1e2a-9b7d-4e55-8a61-2f4b8d7c9e10"></drupal-media>'),
    ("form", "body[0][format]", "basic_html"),
    ("form", "body[0][summary]", "Plots are free for residents of the ward; tools and seeds provided."),
    ("form", "field_tags[target_id]", "Community (12), Events (7), Green spaces"),
    ("form", "path[0][alias]", "/news/community-garden-elm-street"),
    ("form", "moderation_state[0][state]", "published"),
    ("form", "revision_log[0][value]", "Fixed typo in second paragraph and updated opening date."),
    ("form", "field_event_date[0][value][date]", "2024-06-15"),
    ("query", "type", "article"),
    ("query", "combine", "garden"),
    ("json", "jsonapi", '{"data":{"type":"node--article","attributes":{"title":"Library summer reading challenge","body":{"value":"<p>Kids aged 4 to 11 can sign up at any branch.</p>","format":"basic_html"},"status":true},"relationships":{"field_tags":{"data":[{"type":"taxonomy_term--tags","id":"5a1c2f33-8e6b-4d0a-9c1e-7f2b3a4d5e6f"}]}}}}'),
    ("body:application/vnd.api+json", "node/page", '{"data":{"type":"node--page","id":"b3e1c7d2-4f5a-4b6c-8d9e-0a1b2c3d4e5f","attributes":{"title":"Accessibility statement","body":{"value":"<p>We aim to meet WCAG 2.2 level AA.</p>","format":"full_html"}}}}'),
    # Joomla administrator
    ("form", "task", "article.apply"),
    ("form", "jform[title]", "Annual General Meeting 2024 – Minutes"),
    ("form", "jform[alias]", "agm-2024-minutes"),
    ("form", "jform[articletext]", '<p>The meeting opened at 7:05pm with 34 members present.</p>\r\n<hr id="system-readmore">\r\n<h3>Treasurer\'s report</h3>\r\n<p>Membership income rose by 8% compared with last year.</p>'),
    ("form", "jform[metadesc]", "Minutes of the 2024 AGM, including the treasurer's report and committee elections."),
    ("form", "jform[attribs][article_layout]", "_:default"),
    ("form", "jform[images]", '{"image_intro":"images/news/agm-2024.jpg#joomlaImage://local-images/news/agm-2024.jpg?width=800&height=533","image_intro_alt":"Members seated in the village hall","float_intro":"","image_intro_caption":""}'),
    ("query", "option", "com_content"),
    ("query", "filter[search]", "id:42"),
    ("query", "list[fullordering]", "a.publish_up DESC"),
    # Shopify admin
    ("json", "product", '{"product":{"id":8123456789,"title":"Hand-thrown Stoneware Mug","body_html":"<p>Each mug is thrown by hand in our Bristol studio, so no two are quite alike.</p>\\n<ul>\\n<li>Holds 350&nbsp;ml</li>\\n<li>Dishwasher &amp; microwave safe</li>\\n</ul>","vendor":"Clayworks","product_type":"Mugs","tags":"ceramics, gifts, handmade","status":"active"}}'),
    ("json", "asset", '{"asset":{"key":"snippets/price-badge.liquid","value":"{% if product.compare_at_price > product.price %}\\n  <span class=\\"badge badge--sale\\">{{ \'products.product.on_sale\' | t }}</span>\\n{% elsif product.available == false %}\\n  <span class=\\"badge badge--sold-out\\">{{ \'products.product.sold_out\' | t }}</span>\\n{% endif %}"}}'),
    ("json", "settings_data", '{"current":{"colors_solid_button_labels":"#ffffff","type_header_font":"assistant_n4","announcement_text":"Free UK delivery on orders over £40","sections":{"header":{"type":"header","settings":{"logo_width":140,"menu":"main-menu"}}}}}'),
    ("json", "graphql", '{"query":"mutation productUpdate($input: ProductInput!) { productUpdate(input: $input) { product { id title handle } userErrors { field message } } }","variables":{"input":{"id":"gid://shopify/Product/8123456789","title":"Hand-thrown Stoneware Mug – Speckled","descriptionHtml":"<p>Now in a speckled oatmeal glaze.</p>"}}}'),
    ("json", "graphql", '{"query":"query Orders($first: Int!, $query: String) { orders(first: $first, query: $query) { edges { node { id name totalPriceSet { shopMoney { amount currencyCode } } } } } }","variables":{"first":25,"query":"financial_status:paid created_at:>=2024-05-01"}}'),
    ("form", "settings[custom_liquid]", "{% assign ship_date = 'now' | date: '%s' | plus: 172800 | date: '%A, %B %-d' %}\n<p class=\"ship-estimate\">Order today, ships by {{ ship_date }}</p>"),
    ("query", "query", "status:open fulfillment_status:unshipped tag:'wholesale'"),
    # Magento admin
    ("form", "product[description]", '<div data-content-type="row" data-appearance="contained" data-element="main"><div data-enable-parallax="0" data-parallax-speed="0.5" data-background-images="{}" data-background-type="image" data-video-loop="true" data-element="inner" style="justify-content: flex-start; display: flex; flex-direction: column; background-position: left top; background-size: cover; background-repeat: no-repeat; border-style: none; border-width: 1px; border-radius: 0px; margin: 0px 0px 10px; padding: 10px;"><div data-content-type="text" data-appearance="default" data-element="main" style="border-style: none; border-width: 1px; border-radius: 0px; margin: 0px; padding: 0px;"><p>Waterproof to 10,000&nbsp;mm with fully taped seams.</p></div></div></div>'),
    ("form", "product[short_description]", "<p>Lightweight 3-layer shell for year-round hiking.</p>"),
    ("form", "product[url_key]", "trailhead-3l-shell-jacket-mens"),
    ("form", "product[meta_keyword]", "waterproof jacket, hiking shell, 3-layer, breathable"),
    ("form", "content", '<p>{{widget type="Magento\\CatalogWidget\\Block\\Product\\ProductsList" show_pager="0" products_count="8" template="Magento_CatalogWidget::product/widget/content/grid.phtml" conditions_encoded="^[`1`:^[`type`:`Magento||CatalogWidget||Model||Rule||Condition||Combine`,`aggregator`:`all`,`value`:`1`,`new_child`:``^]^]"}}</p>\n<p><img src="{{media url="wysiwyg/banners/summer-sale.jpg"}}" alt="Summer sale banner"></p>\n<p><a href="{{store url="customer/account/create"}}">Create an account</a></p>'),
    ("json", "search", '{"namespace":"product_listing","search":"blue hoodie","filters":{"placeholder":true,"status":"1","visibility":"4"},"sorting":{"field":"entity_id","direction":"desc"},"paging":{"pageSize":20,"current":1}}'),
    # Headless CMS
    ("json", "contentful", '{"fields":{"title":{"en-US":"Winter opening hours"},"slug":{"en-US":"winter-opening-hours"},"body":{"en-US":{"nodeType":"document","data":{},"content":[{"nodeType":"paragraph","data":{},"content":[{"nodeType":"text","value":"From 1 November we close at ","marks":[],"data":{}},{"nodeType":"text","value":"4pm","marks":[{"type":"bold"}],"data":{}},{"nodeType":"text","value":" on weekdays. See ","marks":[],"data":{}},{"nodeType":"hyperlink","data":{"uri":"https://www.example.com/visit"},"content":[{"nodeType":"text","value":"planning your visit","marks":[],"data":{}}]},{"nodeType":"text","value":".","marks":[],"data":{}}]}]}}}}'),
    ("header:X-Contentful-Content-Type", "X-Contentful-Content-Type", "blogPost"),
    ("json", "strapi", '{"data":{"title":"Five tips for better product photos","slug":"better-product-photos","content":"## Use natural light\\n\\nShoot near a north-facing window and avoid direct sun.\\n\\n## Keep the background simple\\n\\nA sheet of white card works wonders.","category":3,"publishedAt":null,"locale":"en"}}'),
    ("query", "populate[cover][fields][0]", "url"),
    ("query", "filters[slug][$eq]", "better-product-photos"),
    ("json", "sanity", '{"mutations":[{"patch":{"id":"drafts.post-7f3a9c","set":{"title":"Trail running for beginners","body":[{"_type":"block","_key":"a1b2c3","style":"normal","markDefs":[{"_type":"link","_key":"l1","href":"https://www.example.com/guides/shoes"}],"children":[{"_type":"span","_key":"s1","text":"Start with the right ","marks":[]},{"_type":"span","_key":"s2","text":"shoes","marks":["l1"]},{"_type":"span","_key":"s3","text":" and short loops.","marks":[]}]},{"_type":"block","_key":"d4e5f6","style":"h2","markDefs":[],"children":[{"_type":"span","_key":"s4","text":"Pacing","marks":[]}]}]}}}]}'),
    ("query", "query", '*[_type == "post" && slug.current == $slug][0]{title, publishedAt, "author": author->name, "categories": categories[]->title, body}'),
    ("query", "$slug", '"trail-running-for-beginners"'),
    ("json", "ghost", '{"posts":[{"title":"We are hiring a pastry chef","status":"draft","tags":["Jobs"],"lexical":"{\\"root\\":{\\"children\\":[{\\"children\\":[{\\"detail\\":0,\\"format\\":0,\\"mode\\":\\"normal\\",\\"style\\":\\"\\",\\"text\\":\\"Full time, Tuesday to Saturday, early starts.\\",\\"type\\":\\"extended-text\\",\\"version\\":1}],\\"direction\\":\\"ltr\\",\\"format\\":\\"\\",\\"indent\\":0,\\"type\\":\\"paragraph\\",\\"version\\":1}],\\"direction\\":\\"ltr\\",\\"format\\":\\"\\",\\"indent\\":0,\\"type\\":\\"root\\",\\"version\\":1}}","updated_at":"2024-05-12T09:14:27.000Z"}]}'),
    ("query", "filter", "status:published+tag:[news,updates]+published_at:>'2024-01-01'"),
    # Admin search, list screens and report filters
    ("query", "s", "summer menu"),
    ("query", "post_status", "draft"),
    ("query", "orderby", "title"),
    ("query", "q", "order #10452"),
    ("query", "sort", "-updated_at"),
    ("query", "fields", "id,title,slug,status,updated_at"),
    ("query", "date_range", "2024-01-01..2024-03-31"),
    ("query", "filter[created_at][gte]", "2024-05-01T00:00:00Z"),
    ("query", "report", "sales_by_product"),
    ("query", "compare", "previous_period"),
    ("query", "columns", "orders,net_sales,avg_order_value,refunds"),
    ("query", "email", "maria.gonzalez+shop@example.org"),
    ("query", "role__in[]", "editor"),
    # User management
    ("form", "user_login", "j.okafor"),
    ("form", "email", "zoe.obrien-muller@example.co.uk"),
    ("form", "role", "shop_manager"),
    ("form", "display_name", "Zoë O'Brien-Müller"),
    ("form", "first_name", "José Luis"),
    ("form", "last_name", "D'Angelo"),
    ("form", "description", "Zoë writes about gardening, slow travel and the occasional recipe. She lives in Cork with two cats."),
    ("form", "url", "https://zoe-obrien.example.ie/about/"),
    ("json", "users", '{"username":"priya.raman","email":"priya.raman@example.com","name":"Priya Raman","roles":["author"],"locale":"en_GB","send_user_notification":true}'),
    ("json", "invite", '{"invites":[{"email":"tom.becker@example.de","role_id":"6421d0c5e1f7a2001c3b9f10","expires_at":null}]}'),
    ("form", "bulk_edit_roles", "contributor"),
    # Admin cookies, headers and paths
    ("cookie", "wp-settings-1", "libraryContent=browse&editor=tinymce&mfold=o&hidetb=1&posts_list_mode=list"),
    ("cookie", "wp-settings-time-1", "1716023456"),
    ("cookie", "", "wordpress_test_cookie=WP%20Cookie%20check"),
    ("cookie", "", "wp-saving-post=1287-saved"),
    ("cookie", "Drupal.visitor.name", "Mar%C3%ADa"),
    ("cookie", "_secure_admin_session_id", "d41f6c2b9a7e48f0b3c1e5a7d9f2b4c6"),
    ("header:X-WP-Nonce", "X-WP-Nonce", "8f3a2c1d9e"),
    ("header:X-Requested-With", "X-Requested-With", "XMLHttpRequest"),
    ("header:Referer", "Referer", "https://www.example.com/wp-admin/post.php?post=1287&action=edit&classic-editor"),
    ("header:X-HTTP-Method-Override", "X-HTTP-Method-Override", "PUT"),
    ("header:X-Shopify-Shop-Domain", "X-Shopify-Shop-Domain", "clayworks-studio.myshopify.com"),
    ("path", "", "/wp-admin/post.php?post=1287&action=edit"),
    ("path", "", "/wp-json/wp/v2/posts/1287?_locale=user"),
    ("path", "", "/wp-json/wp/v2/block-renderer/core/archives?context=edit&attributes%5BdisplayAsDropdown%5D=false&attributes%5BshowPostCounts%5D=true&post_id=1287"),
    ("path", "", "/wp-admin/edit.php?s=spring&post_status=all&post_type=post&action=-1&m=0&cat=0&paged=1&action2=-1"),
    ("path", "", "/wp-admin/admin.php?page=wc-orders&status=wc-processing&_customer_user=&m=202405"),
    ("path", "", "/node/42/edit?destination=/admin/content%3Ftype%3Darticle"),
    ("path", "", "/administrator/index.php?option=com_content&view=article&layout=edit&id=42"),
    ("path", "", "/admin/api/2024-04/products/8123456789/variants.json?fields=id,sku,price,inventory_quantity"),
    ("path", "", "/ghost/api/admin/posts/?filter=status%3Adraft&limit=15&order=updated_at%20desc&formats=lexical"),
    ("path", "", "/jsonapi/node/article?filter[status]=1&sort=-created&page[limit]=10&include=field_image"),
    ("path", "summer-lookbook-2024", "summer-lookbook-2024"),
    # ------------------------------------------------------------------
    # 2. Rich text and templates
    # ------------------------------------------------------------------
    # TinyMCE output
    ("form", "content", "<p>Hi team,</p>\n<p>Please find the <strong>updated rota</strong> for June below. Let me know by <em>Friday</em> if anything clashes.</p>\n<ul>\n<li>Mon &ndash; Alex</li>\n<li>Tue &ndash; Priya</li>\n<li>Wed &ndash; Sam (half day)</li>\n</ul>"),
    ("form", "content", '<p style="text-align: center;"><span style="color: #e03e2d; font-size: 18pt;">Closed on Monday 27 May for the bank holiday</span></p>'),
    ("form", "content", '<table style="border-collapse: collapse; width: 100%;" border="1"><colgroup><col style="width: 50%;"><col style="width: 50%;"></colgroup>\n<tbody>\n<tr>\n<td>Size</td>\n<td>Chest (cm)</td>\n</tr>\n<tr>\n<td>M</td>\n<td>96&ndash;101</td>\n</tr>\n<tr>\n<td>L</td>\n<td>102&ndash;107</td>\n</tr>\n</tbody>\n</table>'),
    ("form", "content", '<p><img src="/media/uploads/2024/05/venue-map.png" alt="Map showing the venue entrance on Castle Street" width="600" height="400"></p>\n<p>Parking is available behind the building.</p>'),
    ("form", "content", '<p>By booking you agree to our <a href="https://www.example.com/terms" target="_blank" rel="noopener">terms and conditions</a>.</p>'),
    ("form", "content", '<pre class="language-css"><code>.card {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));\n  gap: 1rem;\n}</code></pre>'),
    ("form", "content", "<blockquote>\n<p>The best time to plant a tree was twenty years ago. The second best time is now.</p>\n</blockquote>\n<p>&mdash; Chinese proverb</p>"),
    ("form", "content", '<p class="MsoNormal"><span lang="EN-GB" style="font-family: Calibri, sans-serif;">Dear Parents and Carers,</span></p>\n<p class="MsoNormal"><span lang="EN-GB" style="font-family: Calibri, sans-serif;">The Year 5 trip to the Science Museum will take place on <b>Thursday 13<sup>th</sup> June</b>. Please return the consent slip by Friday.</span></p>'),
    ("form", "content", '<p><iframe title="YouTube video player" src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" width="560" height="315" frameborder="0" allowfullscreen="allowfullscreen"></iframe></p>'),
    ("form", "message", "<p>Thanks for the quick turnaround!&nbsp;</p>\n<p>One small thing: could we change &ldquo;colour&rdquo; to &ldquo;color&rdquo; for the US site?</p>"),
    # CKEditor 4/5 output
    ("json", "body", '<figure class="image image-style-side"><img src="/uploads/team-2024.jpg" alt="The whole team at the summer party" width="1200" height="800"><figcaption>Summer party, July 2024</figcaption></figure><p>What a day! Thanks to everyone who came along.</p>'),
    ("json", "body", '<figure class="table"><table><thead><tr><th>Item</th><th>Qty</th><th>Owner</th></tr></thead><tbody><tr><td>Folding chairs</td><td>40</td><td>Facilities</td></tr><tr><td>Projector</td><td>1</td><td>IT</td></tr></tbody></table></figure>'),
    ("json", "body", '<p><span class="mention" data-mention="@lena">@lena</span> could you review the intro before we publish?</p>'),
    ("json", "body", '<ul class="todo-list"><li><label class="todo-list__label"><input type="checkbox" disabled="disabled" checked="checked"><span class="todo-list__label__description">Book venue</span></label></li><li><label class="todo-list__label"><input type="checkbox" disabled="disabled"><span class="todo-list__label__description">Order catering</span></label></li></ul>'),
    ("json", "body", '<p>Example <code>docker-compose.yml</code>:</p><pre><code class="language-yaml">version: "3.8"\nservices:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n    volumes:\n      - ./public:/usr/share/nginx/html:ro</code></pre>'),
    ("json", "body", '<p><mark class="marker-yellow">Deadline moved</mark> to 30 June. <s>15 June</s></p>'),
    ("json", "body", '<figure class="media"><oembed url="https://vimeo.com/76979871"></oembed></figure><p>Recording of the April all-hands.</p>'),
    ("form", "editor1", '<p><span style="font-size:14px"><span style="font-family:Georgia,serif">Kind regards,</span></span></p>\r\n\r\n<p><span style="font-size:14px"><span style="font-family:Georgia,serif">Helen Carter<br />\r\nOffice Manager</span></span></p>'),
    ("form", "body", '<h2 style="font-style:italic">Summer timetable</h2>\r\n\r\n<p>Buses run every <u>20 minutes</u> until 23:00.</p>\r\n\r\n<p>&nbsp;</p>'),
    # Quill HTML and deltas
    ("json", "html", '<p class="ql-align-center"><strong>Agenda</strong></p><ol><li>Welcome and apologies</li><li class="ql-indent-1">New members</li><li>Budget review</li></ol><p><br></p>'),
    ("json", "html", '<pre class="ql-syntax" spellcheck="false">const total = items.reduce((sum, item) =&gt; sum + item.price * item.qty, 0);\n</pre><p>Then format it with <code>Intl.NumberFormat</code>.</p>'),
    ("json", "delta", r'{"ops":[{"insert":"Shopping list"},{"attributes":{"header":2},"insert":"\n"},{"insert":"Eggs"},{"attributes":{"list":"bullet"},"insert":"\n"},{"insert":"Oat milk"},{"attributes":{"list":"bullet"},"insert":"\n"},{"attributes":{"bold":true},"insert":"Birthday candles"},{"attributes":{"list":"bullet"},"insert":"\n"}]}'),
    ("json", "delta", r'{"ops":[{"insert":"See the "},{"attributes":{"link":"https://help.example.com/setup"},"insert":"setup guide"},{"insert":" for details.\n"},{"insert":{"image":"https://cdn.example.com/help/step-1.png"}},{"insert":"\n"},{"attributes":{"italic":true,"color":"#888888"},"insert":"Screenshot from version 3.2"},{"attributes":{"align":"center"},"insert":"\n"}]}'),
    ("json", "comment", r'{"delta":{"ops":[{"insert":{"mention":{"index":"0","denotationChar":"@","id":"4471","value":"Oluwaseun Adeyemi"}}},{"insert":" can you take this one? I am out until Tuesday.\n"}]},"html":"<p><span class=\"mention\" data-index=\"0\" data-denotation-char=\"@\" data-id=\"4471\" data-value=\"Oluwaseun Adeyemi\">@Oluwaseun Adeyemi</span> can you take this one? I am out until Tuesday.</p>"}'),
    # ProseMirror / TipTap / ADF / Lexical / Slate / Editor.js / Draft.js
    ("json", "doc", '{"type":"doc","content":[{"type":"heading","attrs":{"level":1},"content":[{"type":"text","text":"Release notes 2.4"}]},{"type":"paragraph","content":[{"type":"text","text":"We fixed "},{"type":"text","marks":[{"type":"bold"}],"text":"12 bugs"},{"type":"text","text":" and added a dark theme."}]},{"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"Faster search"}]}]},{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"CSV export for reports"}]}]}]}]}'),
    ("json", "doc", '{"type":"doc","content":[{"type":"taskList","content":[{"type":"taskItem","attrs":{"checked":true},"content":[{"type":"paragraph","content":[{"type":"text","text":"Draft the brief"}]}]},{"type":"taskItem","attrs":{"checked":false},"content":[{"type":"paragraph","content":[{"type":"text","text":"Send to legal"}]}]}]}]}'),
    ("json", "doc", r'{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Add this to your "},{"type":"text","marks":[{"type":"code"}],"text":"tsconfig.json"},{"type":"text","text":":"}]},{"type":"codeBlock","attrs":{"language":"json"},"content":[{"type":"text","text":"{\n  \"compilerOptions\": {\n    \"strict\": true,\n    \"target\": \"ES2022\"\n  }\n}"}]},{"type":"paragraph","content":[{"type":"text","marks":[{"type":"link","attrs":{"href":"https://www.typescriptlang.org/tsconfig","target":"_blank","rel":"noopener noreferrer nofollow","class":null}}],"text":"Full reference"}]}]}'),
    ("json", "doc", '{"type":"doc","content":[{"type":"table","content":[{"type":"tableRow","content":[{"type":"tableHeader","attrs":{"colspan":1,"rowspan":1,"colwidth":null},"content":[{"type":"paragraph","content":[{"type":"text","text":"Region"}]}]},{"type":"tableHeader","attrs":{"colspan":1,"rowspan":1,"colwidth":null},"content":[{"type":"paragraph","content":[{"type":"text","text":"Q2 target"}]}]}]},{"type":"tableRow","content":[{"type":"tableCell","attrs":{"colspan":1,"rowspan":1,"colwidth":null},"content":[{"type":"paragraph","content":[{"type":"text","text":"EMEA"}]}]},{"type":"tableCell","attrs":{"colspan":1,"rowspan":1,"colwidth":null},"content":[{"type":"paragraph","content":[{"type":"text","text":"€1.4M"}]}]}]}]}]}'),
    ("json", "adf", '{"version":1,"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Steps to reproduce:"}]},{"type":"orderedList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"Open the invoice page"}]}]},{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"Click "},{"type":"text","text":"Download PDF","marks":[{"type":"strong"}]}]}]}]},{"type":"panel","attrs":{"panelType":"info"},"content":[{"type":"paragraph","content":[{"type":"text","text":"Only happens in Safari 17."}]}]}]}'),
    ("json", "lexical", '{"root":{"children":[{"children":[{"detail":0,"format":1,"mode":"normal","style":"","text":"Heads up:","type":"text","version":1},{"detail":0,"format":0,"mode":"normal","style":"","text":" the office is closed on Friday.","type":"text","version":1}],"direction":"ltr","format":"","indent":0,"type":"paragraph","version":1}],"direction":"ltr","format":"","indent":0,"type":"root","version":1}}'),
    ("json", "value", '[{"type":"paragraph","children":[{"text":"A line of text in a "},{"text":"paragraph","bold":true},{"text":"."}]},{"type":"block-quote","children":[{"text":"A wise quote."}]},{"type":"link","url":"https://docs.example.com","children":[{"text":"Docs"}]}]'),
    ("json", "editorjs", '{"time":1716023456789,"blocks":[{"id":"oUq2g_tl8y","type":"header","data":{"text":"Volunteer handbook","level":2}},{"id":"zbGZFPM-iI","type":"paragraph","data":{"text":"Thanks for giving your time. This page covers <b>shifts</b>, <i>safety</i> and who to call."}},{"id":"XV87kJS_H1","type":"list","data":{"style":"unordered","items":["Sign in at reception","Wear your lanyard","Report any incidents to the duty manager"]}},{"id":"7ccBNLs2d3","type":"image","data":{"file":{"url":"https://cdn.example.com/vol/lanyard.jpg"},"caption":"Volunteer lanyards are green","withBorder":false,"stretched":false,"withBackground":false}}],"version":"2.29.1"}'),
    ("json", "draft", '{"blocks":[{"key":"5g8h1","text":"Hello Maya, the draft is ready for review.","type":"unstyled","depth":0,"inlineStyleRanges":[{"offset":0,"length":5,"style":"BOLD"}],"entityRanges":[{"offset":6,"length":4,"key":0}],"data":{}},{"key":"9ak2p","text":"Changes since v1","type":"header-three","depth":0,"inlineStyleRanges":[],"entityRanges":[],"data":{}},{"key":"c3m7q","text":"Shortened the intro","type":"unordered-list-item","depth":0,"inlineStyleRanges":[],"entityRanges":[],"data":{}}],"entityMap":{"0":{"type":"mention","mutability":"SEGMENTED","data":{"mention":{"name":"Maya Chen","link":"/users/maya-chen","avatar":"/avatars/maya.png"}}}}}'),
    ("json", "draft", '{"blocks":[{"key":"f1d0a","text":"Read the full announcement on our blog.","type":"unstyled","depth":0,"inlineStyleRanges":[{"offset":9,"length":17,"style":"ITALIC"}],"entityRanges":[{"offset":32,"length":4,"key":0}],"data":{}}],"entityMap":{"0":{"type":"LINK","mutability":"MUTABLE","data":{"url":"https://blog.example.com/announcing-v3","targetOption":"_blank"}}}}'),
    # HTML e-mail templates
    ("json", "html_body", '<!DOCTYPE html>\n<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="x-apple-disable-message-reformatting">\n<title>Your receipt</title>\n<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->\n</head>\n<body style="margin:0;padding:0;background-color:#f4f4f5;">\n<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">\n<tr><td align="center" style="padding:24px 12px;">\n<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;">\n<tr><td style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#111827;">\n<h1 style="margin:0 0 16px;font-size:22px;">Thanks for your order, {{first_name}}!</h1>\n<p style="margin:0 0 24px;">Order <strong>#{{order_number}}</strong> was placed on {{order_date}}.</p>\n<a href="{{order_url}}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;">View order</a>\n</td></tr>\n</table>\n</td></tr>\n</table>\n</body>\n</html>'),
    ("form", "html", '<table width="100%" cellpadding="0" cellspacing="0" style="font-family:Georgia,serif;"><tr><td style="padding:20px;border-bottom:1px solid #e5e5e5;"><img src="https://cdn.example.com/email/logo.png" width="140" height="40" alt="The Reading Room" style="display:block;border:0;"></td></tr><tr><td style="padding:20px;font-size:17px;line-height:1.5;color:#333333;">This month&rsquo;s pick is <em>Small Things Like These</em>. We meet on the 18th at 7pm.</td></tr></table>'),
    ("form", "html", '<!--[if mso]>\n<v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://www.example.com/webinar" style="height:44px;v-text-anchor:middle;width:220px;" arcsize="10%" stroke="f" fillcolor="#16a34a">\n<center style="color:#ffffff;font-family:sans-serif;font-size:16px;">Save my seat</center>\n</v:roundrect>\n<![endif]-->\n<!--[if !mso]><!-- --><a href="https://www.example.com/webinar" style="background-color:#16a34a;border-radius:4px;color:#ffffff;display:inline-block;font-family:sans-serif;font-size:16px;line-height:44px;text-align:center;text-decoration:none;width:220px;">Save my seat</a><!--<![endif]-->'),
    ("json", "mjml", '<mjml>\n  <mj-head>\n    <mj-title>Your order has shipped</mj-title>\n    <mj-attributes>\n      <mj-all font-family="Helvetica, Arial, sans-serif" />\n      <mj-text font-size="16px" line-height="24px" color="#333333" />\n    </mj-attributes>\n  </mj-head>\n  <mj-body background-color="#f4f4f4">\n    <mj-section background-color="#ffffff" padding="24px">\n      <mj-column>\n        <mj-image width="120px" src="https://cdn.example.com/logo.png" alt="Acme Outdoor" />\n        <mj-text font-size="20px" color="#222222">Good news, {{first_name}}!</mj-text>\n        <mj-text>Order #{{order_number}} is on its way and should arrive by {{eta}}.</mj-text>\n        <mj-button background-color="#0a7cff" href="{{tracking_url}}">Track package</mj-button>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>'),
    ("json", "mjml", '<mj-section>\n  <mj-column width="50%">\n    <mj-image src="https://cdn.example.com/products/mug.jpg" alt="Speckled mug" href="https://shop.example.com/mug" />\n  </mj-column>\n  <mj-column width="50%">\n    <mj-text font-weight="bold">Speckled mug</mj-text>\n    <mj-text>£18.00</mj-text>\n    <mj-divider border-width="1px" border-color="#eeeeee" />\n  </mj-column>\n</mj-section>'),
    # Mailchimp / Mandrill merge tags
    ("form", "content[html]", '<p>Hi *|FNAME|*,</p>\n<p>Thanks for joining *|LIST:COMPANY|*. Here&rsquo;s 10% off your first order: <strong>WELCOME10</strong></p>\n*|IF:MMERGE3=Gold|*<p>As a Gold member you also get free shipping.</p>*|END:IF|*\n<p style="font-size:12px;color:#777;">You are receiving this because you signed up at *|LIST:URL|*.<br><a href="*|UNSUB|*">Unsubscribe</a> | <a href="*|UPDATE_PROFILE|*">Update preferences</a><br>*|LIST:ADDRESSLINE|*</p>'),
    ("form", "subject", "*|FNAME|*, your cart misses you 🛒"),
    ("form", "preview_text", "*|IF:FNAME|*Hey *|FNAME|*, *|ELSE:|*Hey there, *|END:IF|*new arrivals just landed"),
    ("form", "footer", "Copyright © *|CURRENT_YEAR|* *|LIST:COMPANY|*, All rights reserved.\n*|IFNOT:ARCHIVE_PAGE|* *|LIST:DESCRIPTION|* *|END:IF|*"),
    ("form", "subject", "{{first_name}}, your May statement is ready"),
    # Handlebars / Mustache / Liquid / Jinja templates
    ("form", "template", '{{#if order.discount}}\n<tr><td>Discount ({{order.discount_code}})</td><td align="right">-{{formatCurrency order.discount}}</td></tr>\n{{/if}}\n{{#each order.items}}\n<tr><td>{{this.name}} &times; {{this.quantity}}</td><td align="right">{{formatCurrency this.total}}</td></tr>\n{{else}}\n<tr><td colspan="2">No items</td></tr>\n{{/each}}'),
    ("json", "template", "Hi {{name}},\n\n{{#has_trial}}Your free trial ends on {{trial_end}}.{{/has_trial}}\n{{^has_trial}}Your plan renews on {{renewal_date}}.{{/has_trial}}\n\nManage billing: {{{billing_portal_url}}}"),
    ("form", "template", "{% if customer.first_name %}Hi {{ customer.first_name }},{% else %}Hi there,{% endif %}\n\nWe've received your order {{ order_name }}.\n\n{% for line in line_items %}\n  {{ line.quantity }} × {{ line.title }} — {{ line.final_line_price | money }}\n{% endfor %}\n\nSubtotal: {{ subtotal_price | money }}\nShipping: {{ shipping_price | money }}\n{% if discounts %}Discount: -{{ discounts_amount | money }}{% endif %}"),
    ("form", "template", "{% capture email_title %}Your order is on the way{% endcapture %}\n{% if fulfillment.tracking_numbers.size > 0 %}\n  Tracking number: {{ fulfillment.tracking_numbers | join: ', ' }}\n{% endif %}"),
    ("json", "body", "Hi {{ first_name|default:'there' }}, good news: the {{ event.ProductName }} you were looking at is back in stock."),
    ("json", "message", "Hey {{${first_name} | default: 'there'}}, you have {{custom_attribute.${points_balance}}} points waiting. {% if ${language} == 'es' %}¡Úsalos pronto!{% endif %}"),
    ("form", "text", "Hello %recipient.first_name%,\n\nYour confirmation code is %recipient.code%.\n\nIf you did not request this, you can ignore this email."),
    ("json", "sendgrid", '{"personalizations":[{"to":[{"email":"sam.taylor@example.com","name":"Sam Taylor"}],"dynamic_template_data":{"first_name":"Sam","order_id":"10452","items":[{"name":"Speckled mug","qty":2,"price":"£36.00"}],"total":"£40.95"}}],"from":{"email":"orders@example.com","name":"Clayworks"},"reply_to":{"email":"help@example.com"},"template_id":"d-8f2a1b3c4d5e6f7a8b9c0d1e2f3a4b5c"}'),
    ("json", "postmark", '{"From":"receipts@example.com","To":"alex@example.org","TemplateAlias":"receipt","TemplateModel":{"product_name":"Notebook Pro","name":"Alex","receipt_details":[{"description":"Annual plan","amount":"$96.00"}],"total":"$96.00","support_url":"https://help.example.com"},"MessageStream":"outbound"}'),
    ("form", "template", '{% extends "emails/base.html" %}\n{% load i18n %}\n{% block content %}\n<p>{% blocktrans with name=user.get_full_name %}Hello {{ name }},{% endblocktrans %}</p>\n<p>{% trans "Your password was changed successfully." %}</p>\n{% endblock %}'),
    ("form", "template", "{% for item in cart.items %}\n- {{ item.name }} ({{ item.qty }}){% if not loop.last %},{% endif %}\n{% endfor %}\nTotal: {{ '%.2f'|format(cart.total) }}"),
    # Notification / SMS / i18n templates with placeholders
    ("form", "sms_template", "Hi {name}, your appointment with {provider} is on {date} at {time}. Reply C to confirm or R to reschedule."),
    ("form", "push_template", "{{actor.display_name}} commented on your post “{{post.title}}”"),
    ("form", "message", "{count, plural, =0 {No new messages} one {# new message} other {# new messages}}"),
    ("json", "welcome", "Welcome back, {{name}}! You have {{count}} unread notifications."),
    ("json", "cart_count", "%{count} items in your cart"),
    ("form", "otp_template", "Your {{app_name}} verification code is {{code}}. It expires in 10 minutes. Don't share it with anyone."),
    ("form", "reminder", "Reminder: [Event Name] starts tomorrow at [Start Time]. Add it to your calendar: [Calendar Link]"),
    ("json", "slack", '{"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*New order* <https://admin.example.com/orders/10452|#10452> from *Sam Taylor*\\nTotal: £40.95"}},{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Mark as shipped"},"style":"primary","value":"ship_10452"}]}]}'),
    ("form", "out_of_office", "Thanks for your message. I'm out of the office until Monday 3 June with limited access to e-mail. For urgent matters please contact support@example.com."),
    # Markdown documents
    ("json", "readme", "# acme-widgets\n\nA tiny library for rendering dashboard widgets.\n\n[![npm](https://img.shields.io/npm/v/acme-widgets.svg)](https://www.npmjs.com/package/acme-widgets)\n\n## Installation\n\n```bash\nnpm install acme-widgets\n```\n\n## Configuration\n\n```yaml\nwidgets:\n  theme: dark\n  refresh_interval: 30\n  locale: en-GB\n```\n\n## License\n\nMIT © 2024 Acme Ltd."),
    ("json", "body", "---\ntitle: \"Hello, Hugo\"\ndate: 2024-05-12T09:00:00+01:00\ntags: [\"meta\", \"blogging\"]\ndraft: false\n---\n\nFirst post on the new site. Everything is now built with **Hugo** and deployed on every push.\n\n![The new homepage](/images/homepage.png \"Homepage\")"),
    ("form", "body", "## Deploying behind nginx\n\nAdd a server block like this:\n\n```nginx\nserver {\n    listen 80;\n    server_name app.example.com;\n\n    location / {\n        proxy_pass http://127.0.0.1:3000;\n        proxy_set_header Host $host;\n    }\n}\n```\n\nThen reload nginx."),
    ("form", "body", "### Environment\n\nCopy `.env.example` to `.env` and adjust:\n\n```env\nAPP_ENV=local\nAPP_URL=http://localhost:8000\nMAIL_FROM_ADDRESS=hello@example.com\nCACHE_DRIVER=redis\n```"),
    ("json", "issue", "**Describe the bug**\nThe date picker shows the wrong week start for `en-GB`.\n\n**To Reproduce**\n1. Go to *Settings → Profile*\n2. Set locale to English (UK)\n3. Open any date field\n\n**Expected behavior**\nWeeks should start on Monday.\n\n- [x] I searched existing issues\n- [ ] I can submit a PR\n\n| Browser | Version |\n|---------|---------|\n| Chrome  | 124     |\n| Firefox | 125     |"),
    ("json", "changelog", "## [2.4.0] - 2024-05-10\n### Added\n- CSV export on the reports page (#812)\n- Dark theme\n\n### Fixed\n- Avatars not loading on slow connections (#799)\n\n[2.4.0]: https://github.com/acme/widgets/compare/v2.3.1...v2.4.0"),
    ("form", "comment", "LGTM 👍 — just one nit: can we rename `getUsr` to `getUser`?\n\n> Also, should this default to `false`?\n\nYes, I think so."),
    ("json", "body", "| Day | Opening | Closing |\n|:----|:-------:|--------:|\n| Mon–Fri | 08:00 | 18:00 |\n| Sat | 09:00 | 16:00 |\n| Sun | — | — |\n\n_Hours may vary on public holidays._"),
    ("form", "notes", "Footnotes work too.[^1]\n\n[^1]: Like this one.\n\n<details>\n<summary>Click to expand</summary>\n\nHidden content for the FAQ.\n\n</details>"),
    # Wiki markup
    ("form", "wpTextbox1", "{{Infobox settlement\n| name        = Leith\n| country     = Scotland\n| population  = 50,000\n| os_grid_reference = NT270765\n}}\n'''Leith''' is a port area in the north of [[Edinburgh]], [[Scotland]], at the mouth of the [[Water of Leith]].\n\n== History ==\nLeith was merged with Edinburgh in 1920.<ref>{{cite web |url=https://www.example.org/leith-history |title=A short history of Leith |access-date=12 May 2024}}</ref>\n\n== References ==\n{{reflist}}\n\n[[Category:Ports and harbours of Scotland]]"),
    ("form", "wpTextbox1", '{| class="wikitable sortable"\n|+ Population by year\n! Year !! Population\n|-\n| 1901 || 77,439\n|-\n| 2011 || 50,000\n|}'),
    ("form", "wpSummary", "/* History */ add citation, fix date format"),
    ("form", "wikitext", "====== Onboarding ======\n\n  * Request a laptop via [[it:hardware|the IT page]]\n  * Read the **code of conduct**\n  - Numbered item\n\n<code yaml>\nteam: platform\nmanager: r.silva\n</code>"),
    ("form", "wiki", "h1. Release plan\n\n||Version||Date||Owner||\n|2.4|10 May|Ana|\n|2.5|14 June|Ben|\n\n{info}Code freeze is two days before each release.{info}\n\n{code:language=bash}\n./gradlew assembleRelease\n{code}"),
    # BBCode
    ("form", "message", '[quote="Dave_W"]Has anyone tried the new firmware on the X200?[/quote]\nYes — [b]works fine[/b] on mine. Battery life is slightly better too. [url=https://forum.example.com/t/x200-firmware/1234]See this thread[/url] for the changelog.'),
    ("form", "message", "Here's the wiring I used:\n[img]https://i.imgur.com/4Jt6Qk2.png[/img]\n[list]\n[*]Red → 5V\n[*]Black → GND\n[*]Yellow → GPIO 18\n[/list]"),
    ("form", "message", "[size=150][color=#cc0000]SOLD[/color][/size] — thanks everyone. [spoiler]Went to a collector in Leeds.[/spoiler]"),
    ("form", "signature", "[i]Running Arch since 2015.[/i] | [url=https://github.com/example]GitHub[/url]"),
    ("form", "message", "[code]\n[Unit]\nDescription=My backup timer\n\n[Timer]\nOnCalendar=daily\nPersistent=true\n[/code]"),
    # LaTeX
    ("json", "answer", r"The solutions are $x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$, so here $x = 3$ or $x = -\tfrac{1}{2}$."),
    ("json", "content", r"\begin{align}" "\n" r"  \nabla \cdot \mathbf{E} &= \frac{\rho}{\varepsilon_0} \\" "\n" r"  \nabla \cdot \mathbf{B} &= 0" "\n" r"\end{align}"),
    ("form", "source", "\\documentclass[11pt]{article}\n\\usepackage{amsmath}\n\\usepackage{graphicx}\n\\title{Lab Report 3: Pendulum Motion}\n\\author{Chloé Martin}\n\\begin{document}\n\\maketitle\n\\section{Introduction}\nThe period of a simple pendulum is $T = 2\\pi\\sqrt{L/g}$.\n\\end{document}"),
    ("form", "formula", r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}"),
    # Other lightweight markup
    ("form", "body", "Installation\n============\n\n.. code-block:: console\n\n   $ pip install acme-widgets\n\n.. note::\n   Requires Python 3.9 or newer.\n\nSee :ref:`configuration` for options."),
    ("form", "body", "= Release Guide\n:toc:\n:icons: font\n\n== Building\n\n[source,shell]\n----\nmvn -B package\n----\n\nNOTE: Artifacts land in `target/`."),
    ("form", "body", 'h2. Opening night\n\n*Doors* at 7pm, _show_ at 7:30pm.\n\n"Buy tickets":https://tickets.example.com/opening'),
    ("form", "body", "* TODO Finish quarterly report\n  DEADLINE: <2024-06-28 Fri>\n** DONE Collect figures from finance\n   CLOSED: [2024-05-20 Mon 16:02]"),
    # More editor output (Trix, Froala, Summernote, Google Docs paste)
    ("form", "post[body]", '<div>Hi all,<br><br>Minutes from today are attached.<br><br><strong>Next meeting:</strong> Thursday 10am</div><action-text-attachment sgid="BAh7CEkiCGdpZAY6BkVUSSIrZ2lkOi8vYXBwL0FjdGl2ZVN0b3JhZ2U6OkJsb2IvNDI" content-type="application/pdf" url="https://app.example.com/rails/active_storage/blobs/redirect/minutes.pdf" filename="minutes-2024-05-16.pdf" filesize="48213" presentation="gallery"></action-text-attachment>'),
    ("form", "description", '<p>Our <span style="color: rgb(44, 130, 201);">spring workshop</span> is back! 🌷</p><p><span class="fr-emoticon fr-deletable">😊</span> Bring your own apron.</p><p><img src="https://cdn.example.com/workshop.jpg" style="width: 300px;" class="fr-fic fr-dib" alt="Pottery wheel"></p>'),
    ("form", "summernote", '<p><b>Important:</b> the car park will be resurfaced on <u>8–9 June</u>.</p><p><br></p><p style="margin-left: 25px;">Please use the Tesco car park opposite.</p>'),
    ("form", "content", '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-3a1f2b7c-7fff-c1d2-e3f4-5a6b7c8d9e0f"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;vertical-align:baseline;white-space:pre-wrap;">Draft press release – embargoed until 9am Tuesday.</span></p></b>'),
    ("json", "body", '<h2 id="faq">Frequently asked questions</h2><details><summary>Can I change my delivery date?</summary><p>Yes, up to 48 hours before dispatch from <a href="/account/orders">your account</a>.</p></details>'),
    ("form", "content", "<p>Prices from £12&nbsp;pp &bull; Children under 5 eat free &bull; <abbr title=\"Value Added Tax\">VAT</abbr> included</p>"),
    ("json", "notion", "## Weekly sync — 13 May\n\n**Attendees:** @Ana, @Ben, @Chidi\n\n- [ ] Ana: finalise pricing page copy\n- [x] Ben: migrate images to the CDN\n\n> 💡 Idea: run the newsletter on Tuesdays instead of Fridays."),
    ("json", "body", "Ciao {{nome}},\n\ngrazie per il tuo ordine n. {{numero_ordine}}. Lo spediremo entro 2 giorni lavorativi.\n\nA presto,\nil team di Bottega Verde"),
    ("form", "template", "Sehr geehrte/r {{anrede}} {{nachname}},\n\nvielen Dank für Ihre Anfrage vom {{datum}}. Wir melden uns innerhalb von 48 Stunden.\n\nMit freundlichen Grüßen\nIhr Kundenservice"),
    ("json", "template", "<p>{{ 'customer.order.greeting' | t: name: customer.first_name }}</p>\n{% render 'order-summary', order: order, show_images: true %}"),
    # ------------------------------------------------------------------
    # 3. Uploads and exports
    # ------------------------------------------------------------------
    # Uploaded file names
    ("multipart", "file", "Quarterly Report Q3 2024 (final).pdf"),
    ("multipart", "file", "IMG_20240512_143022.jpg"),
    ("multipart", "file", "Screenshot 2024-05-12 at 14.30.22.png"),
    ("multipart", "file", "résumé – Zoë Müller.docx"),
    ("multipart", "file", "会议纪要_2024年5月.docx"),
    ("multipart", "file", "Презентация проекта v2.pptx"),
    ("multipart", "file", "التقرير السنوي 2023.pdf"),
    ("multipart", "file", "製品カタログ 2024年版.pdf"),
    ("multipart", "file", "invoice #10452.pdf"),
    ("multipart", "file", "logo@2x.png"),
    ("multipart", "file", "hero-banner_1920x1080.webp"),
    ("multipart", "file", "Budget [DRAFT] v1.3.xlsx"),
    ("multipart", "file", "team photo – offsite (1).jpeg"),
    ("multipart", "file", "O'Reilly contract - signed.pdf"),
    ("multipart", "file", "orders_export_2024-05-01T08-00-00Z.csv"),
    ("multipart", "file", "favicon.ico"),
    ("multipart", "file", "Copy of Copy of Menu.pdf"),
    ("multipart", "file", "été à Montréal.heic"),
    ("multipart", "file", "회의록 2024-05-13.hwp"),
    ("multipart", "file", "podcast_ep42_final_FINAL.mp3"),
    ("multipart", "import", "harbourbakery.WordPress.2024-05-12.xml"),
    ("multipart", "themezip", "astra-child-theme-1.0.2.zip"),
    ("multipart", "file", "Ελληνική μετάφραση.pdf"),
    ("multipart", "file", "कार्यक्रम सूची.pdf"),
    ("multipart", "file", "Ślub Ani i Tomka – zaproszenie.pdf"),
    ("multipart", "file", "Jahresbericht_2023_Übersicht.pdf"),
    ("multipart", "file", "notes (copy 2).md"),
    ("multipart", "file", "Meeting notes 12.05.24.odt"),
    ("multipart", "file", "Floor plan – 3rd floor.dwg"),
    ("multipart", "file", "Price list 2024 €.xlsx"),
    ("multipart", "file", "100% organic label.png"),
    ("multipart", "file", "A&B Partners – NDA.pdf"),
    ("multipart", "file", "DSC_0042.NEF"),
    ("multipart", "file", "product-shot-white-bg (edited).tiff"),
    ("multipart", "file", "Employee Handbook v4.2 [2024].pdf"),
    ("multipart", "file", "2024-05-12 Board minutes, approved.docx"),
    ("multipart", "file", "מצגת סיכום שנה.pptx"),
    ("multipart", "file", "Tiếng Việt - hướng dẫn sử dụng.pdf"),
    ("multipart", "file", "subtitles.en-GB.vtt"),
    ("multipart", "file", "Brand guidelines ~ 2024.key"),
    # Alt text, captions and media details
    ("form", "attachments[412][alt]", "Two baristas pouring latte art at the counter"),
    ("form", "attachments[412][caption]", "Photo: Jane Doe / CC BY 4.0"),
    ("form", "attachments[413][post_content]", "Shot on a Fujifilm X-T4, 23mm f/2, natural light."),
    ("json", "alt_text", "Chart: revenue grew from $1.2M in Q1 to $2.8M in Q4"),
    ("json", "caption", "<p>Sunrise over Arthur&#8217;s Seat, <em>May 2024</em></p>"),
    ("form", "image_alt", "Close-up of hands kneading dough on a floured wooden board"),
    ("form", "alt", "Logo: “Harbour Bakery” in serif type next to a wheat sheaf"),
    ("json", "media", '{"title":"volunteers-pilrig-park","alt_text":"Group of volunteers in green T-shirts planting trees","caption":"Tree-planting day, Pilrig Park","description":"Thanks to everyone who turned up in the rain!"}'),
    ("form", "product[media_gallery][images][x7k2p][label]", "Back view – navy"),
    ("json", "altText", "Screenshot of the Settings page with the 'Export CSV' button highlighted"),
    ("form", "credit", "© 2024 Marta Kowalska / Studio Północ"),
    ("json", "caption", "Left to right: Ana, Ben and Chidi at the 2024 awards 🏆"),
    ("form", "alt", "Diagram: browser → load balancer → three app servers → database"),
    ("form", "alt", "Un perro corriendo en la playa al atardecer"),
    ("form", "alt", "夕暮れの京都の街並み"),
    # Raw multipart uploads whose content matters
    ("raw", "", _multipart(
        "/wp-admin/async-upload.php", "check.svg", "image/svg+xml",
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" class="feather feather-check"><polyline points="20 6 9 17 4 12"></polyline></svg>',
        field="async-upload",
        fields=(("name", "check.svg"), ("action", "upload-attachment"), ("_wpnonce", "3b7e9f2a1c")),
    )),
    ("raw", "", _multipart(
        "/wp-json/wp/v2/media", "home-outline.svg", "image/svg+xml",
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" stroke-width="1.5" stroke="currentColor" class="w-6 h-6">\n  <path stroke-linecap="round" stroke-linejoin="round" d="m2.25 12 8.954-8.955c.44-.439 1.152-.439 1.591 0L21.75 12M4.5 9.75v10.125c0 .621.504 1.125 1.125 1.125H9.75v-4.875c0-.621.504-1.125 1.125-1.125h2.25c.621 0 1.125.504 1.125 1.125V21h4.125c.621 0 1.125-.504 1.125-1.125V9.75M8.25 21h8.25" />\n</svg>\n',
    )),
    ("raw", "", _multipart(
        "/admin/settings/files/upload", "harbour-bakery-logo.svg", "image/svg+xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 220 60" role="img" aria-labelledby="title">\n  <title id="title">Harbour Bakery</title>\n  <defs>\n    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">\n      <stop offset="0" stop-color="#f59e0b"/>\n      <stop offset="1" stop-color="#c2410c"/>\n    </linearGradient>\n  </defs>\n  <circle cx="30" cy="30" r="24" fill="url(#g)"/>\n  <path d="M30 14c-4 6-4 26 0 32M30 14c4 6 4 26 0 32" stroke="#fff" stroke-width="2" fill="none"/>\n  <text x="64" y="38" font-family="Georgia, serif" font-size="22" fill="#1a1a1a">Harbour Bakery</text>\n</svg>\n',
        host="clayworks-studio.myshopify.com",
    )),
    ("raw", "", _multipart(
        "/media/upload", "icon-download.svg", "image/svg+xml",
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 27.5.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"\n\t viewBox="0 0 24 24" style="enable-background:new 0 0 24 24;" xml:space="preserve">\n<style type="text/css">\n\t.st0{fill:#231F20;}\n</style>\n<path class="st0" d="M12,16l-5-5h3V4h4v7h3L12,16z M5,18h14v2H5V18z"/>\n</svg>\n',
        field="files[]",
    )),
    ("raw", "", _multipart(
        "/api/v1/icons", "schedule.svg", "image/svg+xml",
        '<svg xmlns="http://www.w3.org/2000/svg" height="24" viewBox="0 -960 960 960" width="24"><path d="m612-292 56-56-148-148v-184h-80v216l172 172ZM480-80q-83 0-156-31.5T197-197q-54-54-85.5-127T80-480q0-83 31.5-156T197-763q54-54 127-85.5T480-880q83 0 156 31.5T763-763q54 54 85.5 127T880-480q0 83-31.5 156T763-197q-54 54-127 85.5T480-80Z"/></svg>',
    )),
    ("raw", "", _multipart(
        "/reports/import", "P&L summary 2024.csv", "text/csv",
        "Month,Revenue,Costs,Profit,Margin\nJan,12500,8200,=B2-C2,=D2/B2\nFeb,13100,8450,=B3-C3,=D3/B3\nMar,15800,9100,=B4-C4,=D4/B4\nApr,14900,8900,=B5-C5,=D5/B5\nMay,16250,9400,=B6-C6,=D6/B6\nJun,17400,9800,=B7-C7,=D7/B7\nJul,18100,10200,=B8-C8,=D8/B8\nAug,16900,9700,=B9-C9,=D9/B9\nTotal,=SUM(B2:B9),=SUM(C2:C9),=SUM(D2:D9),=D10/B10\nAverage,=AVERAGE(B2:B9),=AVERAGE(C2:C9),=AVERAGE(D2:D9),\n",
        host="finance.example.com",
    )),
    ("raw", "", _multipart(
        "/admin/products/import", "products_export_1.csv", "text/csv",
        'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Image Src,Image Alt Text\nspeckled-mug,Speckled Mug,"<p>Hand-thrown stoneware, holds 350&nbsp;ml.</p><ul><li>Dishwasher safe</li></ul>",Clayworks,Mugs,"ceramics, gifts",TRUE,Colour,Oatmeal,MUG-SPK-OAT,18.00,24,https://cdn.shopify.com/s/files/1/0612/3456/7890/products/mug-oatmeal.jpg,Speckled oatmeal mug on a wooden table\nspeckled-mug,,,,,,,,Sage,MUG-SPK-SAG,18.00,11,https://cdn.shopify.com/s/files/1/0612/3456/7890/products/mug-sage.jpg,Speckled sage mug\n',
        host="clayworks-studio.myshopify.com",
        field="csv_file",
        fields=(("overwrite", "true"),),
    )),
    ("raw", "", _multipart(
        "/lists/members/import", "newsletter-contacts.csv", "text/csv",
        'Email Address,First Name,Last Name,Tags,Language,Signup Date\nana.souza@example.com.br,Ana,Souza,"customer,vip",pt,2024-01-14\nkenji.watanabe@example.jp,Kenji,Watanabe,customer,ja,2024-02-02\nsiobhan.ni.bhriain@example.ie,Siobhán,Ní Bhriain,"newsletter",en,2024-03-21\nfrancois.lefevre@example.fr,François,Lefèvre,,fr,2024-04-30\n',
        host="us21.admin.mailchimp.com",
    )),
    ("raw", "", _multipart(
        "/buchhaltung/import", "Bestellung_Mai_2024.csv", "text/csv",
        "Artikel;Menge;Einzelpreis;Gesamt\nKaffee Espresso 1kg;3;24,50;=B2*C2\nHafermilch 1l;12;2,19;=B3*C3\nPapierbecher 300ml (100 Stk.);2;8,90;=B4*C4\nSumme;;;=SUMME(D2:D4)\nMwSt 19%;;;=RUNDEN(D5*0,19;2)\n",
        host="intranet.example.de",
    )),
    ("raw", "", _multipart(
        "/api/v1/gradebook/import", "grades_year10_maths.csv", "text/csv",
        'Student,Test 1,Test 2,Test 3,Average,Result\n"Okafor, Chidi",78,84,91,=AVERAGE(B2:D2),"=IF(E2>=50,""Pass"",""Resit"")"\n"Nowak, Zofia",65,59,72,=AVERAGE(B3:D3),"=IF(E3>=50,""Pass"",""Resit"")"\n"Rossi, Luca",44,52,49,=AVERAGE(B4:D4),"=IF(E4>=50,""Pass"",""Resit"")"\nClass average,=AVERAGE(B2:B4),=AVERAGE(C2:C4),=AVERAGE(D2:D4),=AVERAGE(E2:E4),\n',
        host="school.example.org",
    )),
    ("raw", "", _multipart(
        "/admin/seo/sitemaps", "sitemap.xml", "application/xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="//www.example.com/main-sitemap.xsl"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url>\n    <loc>https://www.example.com/</loc>\n    <lastmod>2024-05-12T09:14:27+00:00</lastmod>\n    <changefreq>daily</changefreq>\n    <priority>1.0</priority>\n  </url>\n  <url>\n    <loc>https://www.example.com/menu/</loc>\n    <lastmod>2024-05-10</lastmod>\n  </url>\n  <url>\n    <loc>https://www.example.com/blog/how-we-source-our-coffee/</loc>\n    <lastmod>2024-05-08</lastmod>\n  </url>\n</urlset>\n',
    )),
    ("raw", "", _multipart(
        "/admin/seo/sitemaps", "sitemap_index.xml", "text/xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <sitemap>\n    <loc>https://www.example.com/post-sitemap.xml</loc>\n    <lastmod>2024-05-12T09:14:27+00:00</lastmod>\n  </sitemap>\n  <sitemap>\n    <loc>https://www.example.com/page-sitemap.xml</loc>\n    <lastmod>2024-04-30T16:02:11+00:00</lastmod>\n  </sitemap>\n  <sitemap>\n    <loc>https://www.example.com/product-sitemap.xml</loc>\n    <lastmod>2024-05-11T21:40:03+00:00</lastmod>\n  </sitemap>\n</sitemapindex>\n',
    )),
    ("raw", "", _multipart(
        "/admin/seo/sitemaps", "sitemap-images-hreflang.xml", "application/xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"\n        xmlns:xhtml="http://www.w3.org/1999/xhtml">\n  <url>\n    <loc>https://www.example.com/en/products/speckled-mug</loc>\n    <xhtml:link rel="alternate" hreflang="fr" href="https://www.example.com/fr/produits/tasse-mouchetee"/>\n    <xhtml:link rel="alternate" hreflang="en" href="https://www.example.com/en/products/speckled-mug"/>\n    <image:image>\n      <image:loc>https://cdn.example.com/products/mug-oatmeal.jpg</image:loc>\n    </image:image>\n  </url>\n</urlset>\n',
    )),
    ("raw", "", _multipart(
        "/calendar/import", "garden-open-day.ics", "text/calendar",
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nCALSCALE:GREGORIAN\nMETHOD:PUBLISH\nX-WR-CALNAME:Community events\nX-WR-TIMEZONE:Europe/London\nBEGIN:VEVENT\nDTSTART:20240615T090000Z\nDTEND:20240615T160000Z\nDTSTAMP:20240512T101500Z\nUID:7kq2m3n4p5r6s7t8u9v0w1x2y3@google.com\nCREATED:20240510T083000Z\nDESCRIPTION:Tours\\, seed swap and tea. All welcome – bring a friend!\nLOCATION:Elm Street Community Garden\\, Leith\\, Edinburgh EH6 5AA\nSEQUENCE:0\nSTATUS:CONFIRMED\nSUMMARY:Community garden open day\nTRANSP:OPAQUE\nEND:VEVENT\nEND:VCALENDAR\n",
        host="events.example.org",
    )),
    ("raw", "", _multipart(
        "/calendar/import", "Weekly team sync.ics", "text/calendar",
        "BEGIN:VCALENDAR\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\nDTSTART:16011028T030000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010325T020000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nORGANIZER;CN=Anna Schmidt:mailto:anna.schmidt@example.de\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Ben Okoro:mailto:ben.okoro@example.de\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=12\nSUMMARY;LANGUAGE=de-DE:Weekly team sync\nDTSTART;TZID=W. Europe Standard Time:20240603T100000\nDTEND;TZID=W. Europe Standard Time:20240603T103000\nUID:040000008200E00074C5B7101A82E0080000000010B2C3D4E5F6A7B8\nLOCATION;LANGUAGE=de-DE:Microsoft Teams Meeting\nBEGIN:VALARM\nDESCRIPTION:REMINDER\nTRIGGER;RELATED=START:-PT15M\nACTION:DISPLAY\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
        host="intranet.example.de",
    )),
    ("raw", "", _multipart(
        "/crm/contacts/import", "Amara Nwosu.vcf", "text/vcard",
        "BEGIN:VCARD\nVERSION:3.0\nN:Nwosu;Amara;;Dr.;\nFN:Dr. Amara Nwosu\nORG:Harbour Research Institute;Marine Biology\nTITLE:Head of Research\nTEL;TYPE=WORK,VOICE:+44 131 496 0123\nTEL;TYPE=CELL:+44 7700 900123\nEMAIL;TYPE=INTERNET,PREF:amara.nwosu@example.ac.uk\nADR;TYPE=WORK:;;12 Shore Road;Edinburgh;;EH6 6QW;United Kingdom\nURL:https://www.example.ac.uk/people/anwosu\nNOTE:Met at the Oceans conference\\, Lisbon 2024.\nEND:VCARD\n",
        host="crm.example.com",
    )),
    ("raw", "", _multipart(
        "/crm/contacts/import", "contacts-export.vcf", "text/x-vcard",
        "BEGIN:VCARD\nVERSION:4.0\nFN:José Luis García\nN:García;José Luis;;;\nEMAIL;TYPE=work:jl.garcia@example.es\nTEL;VALUE=uri;TYPE=cell:tel:+34-600-123-456\nBDAY:19850412\nLANG;PREF=1:es\nLANG;PREF=2:en\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Mei Ling Tan\nN:Tan;Mei Ling;;;\nORG:Lion City Design Pte Ltd\nEMAIL;TYPE=work:meiling@example.sg\nADR;TYPE=work:;;71 Robinson Road;Singapore;;068895;Singapore\nEND:VCARD\n",
        host="crm.example.com",
    )),
    ("raw", "", _multipart(
        "/email/templates/upload", "order-confirmation.html", "text/html",
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Order confirmation</title>\n<style>\n  @media only screen and (max-width: 600px) { .container { width: 100% !important; } }\n</style>\n</head>\n<body style="margin:0;background:#f6f6f6;">\n<table role="presentation" class="container" width="600" align="center" cellpadding="0" cellspacing="0" style="background:#ffffff;font-family:Arial,sans-serif;">\n  <tr><td style="padding:24px;font-size:20px;font-weight:bold;">Thanks, {{ customer.first_name }}!</td></tr>\n  <tr><td style="padding:0 24px 24px;font-size:15px;color:#444;">We received order {{ order.name }} and will e-mail you when it ships.</td></tr>\n  <tr><td style="padding:16px 24px;font-size:12px;color:#999;border-top:1px solid #eee;">Clayworks Studio · 4 Mill Lane · Bristol BS1 4QA</td></tr>\n</table>\n</body>\n</html>\n',
        field="template",
        host="mail.example.com",
    )),
    ("raw", "", _multipart(
        "/email/templates/upload", "newsletter-may.mjml", "application/octet-stream",
        '<mjml>\n  <mj-body width="600px">\n    <mj-section>\n      <mj-column>\n        <mj-text font-size="24px" font-weight="700">May newsletter</mj-text>\n        <mj-text>Hi *|FNAME|*, here is what happened at the studio this month.</mj-text>\n        <mj-button href="https://www.example.com/blog" background-color="#c2410c">Read the blog</mj-button>\n        <mj-text font-size="11px" color="#888888"><a href="*|UNSUB|*">Unsubscribe</a></mj-text>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>\n',
        field="template",
        host="mail.example.com",
    )),
    ("raw", "", _multipart(
        "/wp-admin/admin.php?page=loco-translate", "woocommerce-fr_FR.po", "text/x-gettext-translation",
        'msgid ""\nmsgstr ""\n"Project-Id-Version: Clayworks Theme 1.4\\n"\n"Language: fr_FR\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n#: templates/cart.php:42\nmsgid "Add to cart"\nmsgstr "Ajouter au panier"\n\n#: templates/cart.php:57\n#, php-format\nmsgid "%d item"\nmsgid_plural "%d items"\nmsgstr[0] "%d article"\nmsgstr[1] "%d articles"\n',
        field="po",
    )),
    ("raw", "", _multipart(
        "/docs/import", "CONTRIBUTING.md", "text/markdown",
        "# Contributing\n\nThanks for helping out! 🎉\n\n1. Fork the repo and create a branch: `git checkout -b fix/typo-in-readme`\n2. Run the tests:\n\n   ```bash\n   npm ci\n   npm test\n   ```\n\n3. Open a pull request and fill in the template.\n\nPlease follow the [code of conduct](CODE_OF_CONDUCT.md).\n",
        host="wiki.example.com",
    )),
    ("raw", "", _multipart(
        "/wp-admin/admin-ajax.php", "elementor-landing-page-template.json", "application/json",
        '{\n  "version": "0.4",\n  "title": "Landing page – spring",\n  "type": "page",\n  "content": [\n    {\n      "id": "1a2b3c4",\n      "elType": "section",\n      "settings": {"background_background": "classic", "background_color": "#FDF6EC"},\n      "elements": [\n        {\n          "id": "5d6e7f8",\n          "elType": "column",\n          "settings": {"_column_size": 100},\n          "elements": [\n            {"id": "9a0b1c2", "elType": "widget", "widgetType": "heading", "settings": {"title": "Spring is here", "header_size": "h1"}, "elements": []}\n          ]\n        }\n      ]\n    }\n  ],\n  "page_settings": {"hide_title": "yes"}\n}\n',
        field="file",
        fields=(("action", "elementor_library_direct_actions"), ("library_action", "direct_import_template"), ("_nonce", "a9c3e1f7b2")),
    )),
    ("raw", "", _multipart(
        "/routes/upload", "Pentland Hills loop 14km.gpx", "application/gpx+xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Strava" xmlns="http://www.topografix.com/GPX/1/1">\n  <metadata><name>Pentland Hills loop</name><time>2024-05-11T08:02:11Z</time></metadata>\n  <trk>\n    <name>Morning Run</name>\n    <type>running</type>\n    <trkseg>\n      <trkpt lat="55.8721" lon="-3.2294"><ele>243.6</ele><time>2024-05-11T08:02:11Z</time></trkpt>\n      <trkpt lat="55.8725" lon="-3.2301"><ele>245.1</ele><time>2024-05-11T08:02:19Z</time></trkpt>\n    </trkseg>\n  </trk>\n</gpx>\n',
        host="clubs.example.org",
    )),
]
