use super::*;

fn page(headers: &[(&str, &str)], body: &str) -> PageSnapshot {
    PageSnapshot {
        final_url: "https://example.com/".into(),
        status: 200,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.into(),
    }
}

#[test]
fn wordpress_with_google_analytics_behind_cloudflare() {
    let body = r#"<!doctype html><html><head>
            <meta name="generator" content="WordPress 6.4.2">
            <link rel='stylesheet' href='https://acme.example/wp-content/themes/acme/style.css' />
            <script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
            <script src="https://acme.example/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
            </head><body>Hello</body></html>"#;
    let p = page(&[("Server", "cloudflare"), ("CF-RAY", "8a1b2c-FRA")], body);
    assert_eq!(
        detect(&p),
        [
            "Cloudflare",
            "Google Analytics",
            "jQuery",
            "PHP",
            "WordPress"
        ]
    );
}

#[test]
fn nextjs_on_vercel() {
    let body = r#"<html><head>
            <link rel="preload" href="/_next/static/css/app.css" as="style"/>
            </head><body><div id="__next"><main>Hi</main></div>
            <script src="/_next/static/chunks/main-abc.js" defer=""></script>
            <script id="__NEXT_DATA__" type="application/json">{}</script></body></html>"#;
    let p = page(
        &[
            ("server", "Vercel"),
            ("x-vercel-id", "fra1::iad1::abc"),
            ("x-powered-by", "Next.js"),
        ],
        body,
    );
    assert_eq!(detect(&p), ["Next.js", "React", "Vercel"]);
}

#[test]
fn shopify_with_hubspot() {
    let body = r#"<html><head>
            <link href="//cdn.shopify.com/s/files/1/0001/t/1/assets/theme.css" rel="stylesheet">
            <script>var Shopify = Shopify || {}; Shopify.theme = {"name":"Dawn"};</script>
            <script type="text/javascript" id="hs-script-loader" async defer
                    src="//js.hs-scripts.com/1234567.js"></script>
            </head><body></body></html>"#;
    let p = page(
        &[("x-shopify-stage", "production"), ("x-shopid", "1")],
        body,
    );
    assert_eq!(detect(&p), ["HubSpot", "Shopify"]);
}

#[test]
fn plain_page_detects_nothing() {
    let body = "<html><head><title>Acme</title></head><body>\
            <p>We build with React, WordPress, Shopify and Angular; see react.dev.</p>\
            <a href=\"/wordpress\">blog</a></body></html>";
    let p = page(&[("content-type", "text/html")], body);
    assert!(detect(&p).is_empty(), "{:?}", detect(&p));
}

#[test]
fn prose_mentions_do_not_trigger_frameworks() {
    let p = page(
        &[],
        "<p>React and Vue.js and jquery and tailwind are great</p>",
    );
    assert!(detect(&p).is_empty());
}

#[test]
fn the_signature_file_parses_whole() {
    let rows: Vec<serde_json::Value> = serde_json::from_str(SIGNATURES_JSON).unwrap();
    let table = signatures();
    assert_eq!(rows.len(), table.len());
    for (row, sig) in rows.iter().zip(table) {
        // The file's category names are the API's (`Category::as_str`).
        assert_eq!(row["category"], sig.category.as_str(), "{}", sig.name);
        for rule in &sig.headers {
            assert_eq!(
                rule.op == Op::Present,
                rule.value.is_empty(),
                "{}",
                sig.name
            );
        }
    }
    let unknown = r#"[{"name": "X", "category": "cms", "scirpts": ["x.js"]}]"#;
    assert!(serde_json::from_str::<Vec<Signature>>(unknown).is_err());
    let category = r#"[{"name": "X", "category": "java-script-framework"}]"#;
    assert!(serde_json::from_str::<Vec<Signature>>(category).is_err());
}

#[test]
fn has_at_least_forty_signatures() {
    assert!(signature_count() >= 40, "{}", signature_count());
}

#[test]
fn names_are_unique_and_implications_resolve() {
    let mut names: Vec<String> = signatures()
        .iter()
        .map(|s| s.name.to_ascii_lowercase())
        .collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate technology name");
    for sig in signatures() {
        assert!(!sig.name.is_empty());
        for implied in &sig.implies {
            assert!(category_of(implied).is_some(), "{implied} not in table");
        }
    }
}

#[test]
fn patterns_are_lowercase_so_they_can_match() {
    for sig in signatures() {
        let pats = sig
            .generator
            .iter()
            .chain(&sig.html)
            .chain(&sig.scripts)
            .chain(&sig.links)
            .chain(sig.headers.iter().flat_map(|h| [&h.name, &h.value]));
        for p in pats {
            assert_eq!(*p, p.to_ascii_lowercase(), "{}: {p}", sig.name);
        }
    }
}

#[test]
fn detection_is_deterministic() {
    let body = r#"<script src="https://cdn.segment.com/analytics.js/v1/x/analytics.min.js"></script>
            <script src="https://static.hotjar.com/c/hotjar-1.js"></script>
            <link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/css/bootstrap.min.css">"#;
    let p = page(&[("server", "nginx/1.25.3"), ("x-amz-cf-id", "abc")], body);
    let first = detect(&p);
    assert_eq!(
        first,
        [
            "Amazon CloudFront",
            "AWS",
            "Bootstrap",
            "Hotjar",
            "nginx",
            "Segment"
        ]
    );
    for _ in 0..5 {
        assert_eq!(detect(&p), first);
    }
}

#[test]
fn header_operators_are_precise() {
    let tomcat = page(&[("server", "Apache-Coyote/1.1")], "");
    assert!(detect(&tomcat).is_empty());
    let httpd = page(&[("server", "Apache/2.4.57 (Debian)")], "");
    assert_eq!(detect(&httpd), ["Apache"]);
    let php = page(&[("x-powered-by", "PHP/8.2.1")], "");
    assert_eq!(detect(&php), ["PHP"]);
}

#[test]
fn scanner_reads_quoted_bare_and_tricky_attributes() {
    let html = r#"<script data-src="/x/jquery.js" src=/app.js></script>
            <script type='text/javascript' src = 'https://a.example/b.js'></script>
            <link title="a > b" href="https://cdn.example/style.css">
            <meta content="Drupal 10 (https://www.drupal.org)" name="generator">
            <scripted src="/not-a-script.js"> <script src="/unterminated.js"#;
    let mut ev = Evidence::default();
    scan_tags(&html.to_ascii_lowercase(), &mut ev);
    assert_eq!(
        ev.scripts,
        ["/app.js", "https://a.example/b.js", "/unterminated.js"]
    );
    assert_eq!(ev.links, ["https://cdn.example/style.css"]);
    assert_eq!(ev.generators, ["drupal 10 (https://www.drupal.org)"]);
}

#[test]
fn garbage_input_never_panics() {
    for body in [
        "<",
        "<script",
        "<script src=",
        "<script src='",
        "<meta name=generator content",
        "<link href=\"\u{00e9}\u{4e2d}",
        "<<<>>>=\"'",
        "<script =x = = src=ok>",
        "\u{1f600}<script src=\u{1f600}>",
    ] {
        let _ = detect(&page(&[("", "")], body));
    }
}
