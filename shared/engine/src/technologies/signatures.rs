//! The technology signature table and the matcher that runs it over one page.
//!
//! Every pattern is a lowercase literal tested with `contains`/`starts_with` over strings that
//! were lowercased once during extraction: no regex engine, no per-pattern allocation, and the
//! whole table is walked exactly once per page. Patterns are deliberately specific (asset hosts,
//! attribute names, header names) because a word such as "react" in prose proves nothing.
use super::PageSnapshot;

/// What kind of product a technology is; stable kebab-case names via [`Category::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Cms,
    Ecommerce,
    JavaScriptFramework,
    WebFramework,
    UiFramework,
    ProgrammingLanguage,
    Analytics,
    TagManager,
    Marketing,
    Crm,
    LiveChat,
    ConsentManagement,
    Cdn,
    Hosting,
    WebServer,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Cms => "cms",
            Category::Ecommerce => "ecommerce",
            Category::JavaScriptFramework => "javascript-framework",
            Category::WebFramework => "web-framework",
            Category::UiFramework => "ui-framework",
            Category::ProgrammingLanguage => "programming-language",
            Category::Analytics => "analytics",
            Category::TagManager => "tag-manager",
            Category::Marketing => "marketing",
            Category::Crm => "crm",
            Category::LiveChat => "live-chat",
            Category::ConsentManagement => "consent-management",
            Category::Cdn => "cdn",
            Category::Hosting => "hosting",
            Category::WebServer => "web-server",
        }
    }
}

/// How a header value is compared; `Present` ignores the value.
#[derive(Debug, Clone, Copy)]
enum Op {
    Present,
    Contains,
    StartsWith,
    Equals,
}

/// One header test. Names and values are lowercase literals.
#[derive(Debug)]
struct HeaderRule {
    name: &'static str,
    op: Op,
    value: &'static str,
}

const fn present(name: &'static str) -> HeaderRule {
    HeaderRule {
        name,
        op: Op::Present,
        value: "",
    }
}

const fn contains(name: &'static str, value: &'static str) -> HeaderRule {
    HeaderRule {
        name,
        op: Op::Contains,
        value,
    }
}

const fn starts(name: &'static str, value: &'static str) -> HeaderRule {
    HeaderRule {
        name,
        op: Op::StartsWith,
        value,
    }
}

const fn equals(name: &'static str, value: &'static str) -> HeaderRule {
    HeaderRule {
        name,
        op: Op::Equals,
        value,
    }
}

/// A technology and the evidence that reveals it. Any single hit is enough.
#[derive(Debug)]
struct Signature {
    name: &'static str,
    category: Category,
    headers: &'static [HeaderRule],
    /// Prefixes of `<meta name="generator" content="...">`; prefix, because generators put the
    /// product first and a version after it.
    generator: &'static [&'static str],
    /// Substrings of the whole lowercased document, inline scripts included.
    html: &'static [&'static str],
    /// Substrings of `<script src>` values.
    scripts: &'static [&'static str],
    /// Substrings of `<link href>` values.
    links: &'static [&'static str],
    /// Technologies that are certainly present when this one is (Next.js runs on React).
    implies: &'static [&'static str],
}

/// Starting point for table rows so each row lists only the evidence it uses.
const NONE: Signature = Signature {
    name: "",
    category: Category::Cms,
    headers: &[],
    generator: &[],
    html: &[],
    scripts: &[],
    links: &[],
    implies: &[],
};

static SIGNATURES: &[Signature] = &[
    // ---- CMS and e-commerce ----
    Signature {
        name: "WordPress",
        category: Category::Cms,
        headers: &[contains("link", "api.w.org")],
        generator: &["wordpress"],
        html: &["/wp-content/", "/wp-includes/", "/wp-json/"],
        scripts: &["/wp-content/", "/wp-includes/"],
        links: &["/wp-content/", "/wp-includes/"],
        implies: &["PHP"],
    },
    Signature {
        name: "WooCommerce",
        category: Category::Ecommerce,
        generator: &["woocommerce"],
        html: &["woocommerce-no-js", "/plugins/woocommerce/"],
        scripts: &["/plugins/woocommerce/"],
        links: &["/plugins/woocommerce/"],
        implies: &["WordPress"],
        ..NONE
    },
    Signature {
        name: "Drupal",
        category: Category::Cms,
        headers: &[
            present("x-drupal-cache"),
            present("x-drupal-dynamic-cache"),
            contains("x-generator", "drupal"),
        ],
        generator: &["drupal"],
        html: &[
            "data-drupal-selector",
            "drupal-settings-json",
            "/sites/default/files/",
        ],
        scripts: &["/misc/drupal.js", "/core/misc/drupal"],
        implies: &["PHP"],
        ..NONE
    },
    Signature {
        name: "Joomla",
        category: Category::Cms,
        headers: &[contains("x-content-encoded-by", "joomla")],
        generator: &["joomla"],
        html: &["/media/jui/"],
        scripts: &["/media/jui/js/", "/media/system/js/core.js"],
        implies: &["PHP"],
        ..NONE
    },
    Signature {
        name: "TYPO3",
        category: Category::Cms,
        generator: &["typo3"],
        html: &["/typo3conf/", "/typo3temp/"],
        scripts: &["typo3conf/", "typo3temp/"],
        links: &["typo3conf/", "typo3temp/"],
        implies: &["PHP"],
        ..NONE
    },
    Signature {
        name: "Shopify",
        category: Category::Ecommerce,
        headers: &[
            present("x-shopify-stage"),
            present("x-shopid"),
            present("x-shopify-request-id"),
        ],
        html: &["cdn.shopify.com", "shopify.theme"],
        scripts: &["cdn.shopify.com"],
        links: &["cdn.shopify.com"],
        ..NONE
    },
    Signature {
        name: "Magento",
        category: Category::Ecommerce,
        headers: &[present("x-magento-cache-debug"), present("x-magento-tags")],
        html: &["text/x-magento-init", "mage/cookies"],
        scripts: &["/static/frontend/magento/"],
        implies: &["PHP"],
        ..NONE
    },
    Signature {
        name: "Wix",
        category: Category::Cms,
        headers: &[present("x-wix-request-id")],
        generator: &["wix.com"],
        html: &["static.wixstatic.com", "static.parastorage.com"],
        scripts: &["static.parastorage.com"],
        ..NONE
    },
    Signature {
        name: "Squarespace",
        category: Category::Cms,
        headers: &[contains("server", "squarespace")],
        html: &["static1.squarespace.com", "squarespace-cdn.com"],
        scripts: &["static1.squarespace.com", "assets.squarespace.com"],
        links: &["static1.squarespace.com", "assets.squarespace.com"],
        ..NONE
    },
    Signature {
        name: "Webflow",
        category: Category::Cms,
        generator: &["webflow"],
        html: &["data-wf-page=", "data-wf-site="],
        scripts: &["website-files.com", "webflow.com"],
        links: &["website-files.com"],
        ..NONE
    },
    Signature {
        name: "Ghost",
        category: Category::Cms,
        headers: &[present("x-ghost-cache-status")],
        generator: &["ghost "],
        scripts: &["/ghost/portal@", "/ghost/sodo-search@"],
        ..NONE
    },
    Signature {
        name: "Contentful",
        category: Category::Cms,
        html: &[
            "images.ctfassets.net",
            "assets.ctfassets.net",
            "videos.ctfassets.net",
        ],
        links: &["ctfassets.net"],
        ..NONE
    },
    Signature {
        name: "Hugo",
        category: Category::Cms,
        generator: &["hugo "],
        ..NONE
    },
    // ---- JavaScript frameworks and libraries ----
    Signature {
        name: "React",
        category: Category::JavaScriptFramework,
        html: &["data-reactroot", "data-reactid="],
        scripts: &[
            "react.production.min.js",
            "react.development.js",
            "react-dom.production",
            "/react@",
            "/react-dom@",
        ],
        ..NONE
    },
    Signature {
        name: "Next.js",
        category: Category::JavaScriptFramework,
        headers: &[
            contains("x-powered-by", "next.js"),
            present("x-nextjs-cache"),
            present("x-nextjs-prerender"),
            present("x-nextjs-matched-path"),
        ],
        html: &[
            "id=\"__next\"",
            "id='__next'",
            "__next_data__",
            "/_next/static/",
        ],
        scripts: &["/_next/static/"],
        links: &["/_next/static/"],
        implies: &["React"],
        ..NONE
    },
    Signature {
        name: "Gatsby",
        category: Category::JavaScriptFramework,
        generator: &["gatsby"],
        html: &["id=\"___gatsby\"", "id='___gatsby'"],
        implies: &["React"],
        ..NONE
    },
    Signature {
        name: "Vue.js",
        category: Category::JavaScriptFramework,
        html: &["data-v-app", "data-server-rendered=\"true\""],
        scripts: &[
            "/vue.js",
            "/vue.min.js",
            "/vue@",
            "vue.global.",
            "vue.runtime.",
        ],
        ..NONE
    },
    Signature {
        name: "Nuxt",
        category: Category::JavaScriptFramework,
        headers: &[contains("x-powered-by", "nuxt")],
        html: &["id=\"__nuxt\"", "id='__nuxt'", "window.__nuxt__", "/_nuxt/"],
        scripts: &["/_nuxt/"],
        links: &["/_nuxt/"],
        implies: &["Vue.js"],
        ..NONE
    },
    Signature {
        name: "Angular",
        category: Category::JavaScriptFramework,
        html: &["ng-version=\"", "_nghost-", "_ngcontent-"],
        ..NONE
    },
    Signature {
        name: "Svelte",
        category: Category::JavaScriptFramework,
        html: &[
            "class=\"svelte-",
            "data-svelte-h=",
            "__sveltekit",
            "data-sveltekit-",
        ],
        scripts: &["/_app/immutable/"],
        links: &["/_app/immutable/"],
        ..NONE
    },
    Signature {
        name: "jQuery",
        category: Category::JavaScriptFramework,
        scripts: &["jquery"],
        ..NONE
    },
    // ---- UI frameworks ----
    Signature {
        name: "Bootstrap",
        category: Category::UiFramework,
        scripts: &[
            "bootstrap.min.js",
            "bootstrap.bundle",
            "/bootstrap.js",
            "/bootstrap@",
            "bootstrapcdn.com",
        ],
        links: &[
            "bootstrap.min.css",
            "/bootstrap.css",
            "/bootstrap@",
            "bootstrapcdn.com",
        ],
        ..NONE
    },
    Signature {
        name: "Tailwind CSS",
        category: Category::UiFramework,
        html: &["--tw-"],
        scripts: &["cdn.tailwindcss.com"],
        links: &["tailwind"],
        ..NONE
    },
    // ---- Server-side frameworks and languages ----
    Signature {
        name: "Laravel",
        category: Category::WebFramework,
        headers: &[contains("set-cookie", "laravel_session=")],
        implies: &["PHP"],
        ..NONE
    },
    Signature {
        name: "Django",
        category: Category::WebFramework,
        headers: &[
            starts("set-cookie", "csrftoken="),
            starts("set-cookie", "django_language="),
        ],
        html: &["csrfmiddlewaretoken"],
        ..NONE
    },
    Signature {
        name: "Ruby on Rails",
        category: Category::WebFramework,
        html: &[
            "content=\"authenticity_token\"",
            "data-turbolinks-track",
            "data-turbo-track",
        ],
        ..NONE
    },
    Signature {
        name: "ASP.NET",
        category: Category::WebFramework,
        headers: &[
            present("x-aspnet-version"),
            present("x-aspnetmvc-version"),
            contains("x-powered-by", "asp.net"),
            contains("set-cookie", "asp.net_sessionid"),
            contains("set-cookie", ".aspnetcore."),
        ],
        html: &["id=\"__viewstate\"", "id=\"__eventvalidation\""],
        ..NONE
    },
    Signature {
        name: "PHP",
        category: Category::ProgrammingLanguage,
        headers: &[
            starts("x-powered-by", "php"),
            contains("server", "php/"),
            starts("set-cookie", "phpsessid="),
        ],
        ..NONE
    },
    Signature {
        name: "Express",
        category: Category::WebFramework,
        headers: &[equals("x-powered-by", "express")],
        ..NONE
    },
    // ---- Analytics and tag management ----
    Signature {
        name: "Google Analytics",
        category: Category::Analytics,
        html: &[
            "google-analytics.com/analytics.js",
            "google-analytics.com/ga.js",
            "googletagmanager.com/gtag/js",
        ],
        scripts: &[
            "google-analytics.com/analytics.js",
            "google-analytics.com/ga.js",
            "googletagmanager.com/gtag/js",
        ],
        ..NONE
    },
    Signature {
        name: "Google Tag Manager",
        category: Category::TagManager,
        html: &[
            "googletagmanager.com/gtm.js",
            "googletagmanager.com/ns.html",
        ],
        scripts: &["googletagmanager.com/gtm.js"],
        ..NONE
    },
    Signature {
        name: "Matomo",
        category: Category::Analytics,
        html: &["_paq.push(", "/matomo.js", "/piwik.js"],
        scripts: &["/matomo.js", "/piwik.js", "matomo.cloud"],
        ..NONE
    },
    Signature {
        name: "Hotjar",
        category: Category::Analytics,
        html: &["static.hotjar.com"],
        scripts: &["static.hotjar.com"],
        ..NONE
    },
    Signature {
        name: "Plausible",
        category: Category::Analytics,
        html: &["plausible.io/js/"],
        scripts: &["plausible.io/js/"],
        ..NONE
    },
    Signature {
        name: "Mixpanel",
        category: Category::Analytics,
        html: &["cdn.mxpnl.com", "mixpanel.init("],
        scripts: &["cdn.mxpnl.com"],
        ..NONE
    },
    Signature {
        name: "Segment",
        category: Category::Analytics,
        html: &["cdn.segment.com/analytics.js"],
        scripts: &["cdn.segment.com"],
        ..NONE
    },
    Signature {
        name: "Adobe Analytics",
        category: Category::Analytics,
        html: &[".omtrdc.net", "appmeasurement.js"],
        scripts: &["appmeasurement.js", ".omtrdc.net"],
        ..NONE
    },
    Signature {
        name: "Microsoft Clarity",
        category: Category::Analytics,
        html: &["clarity.ms/tag/"],
        scripts: &["clarity.ms/tag/"],
        ..NONE
    },
    // ---- Marketing automation, CRM, chat and consent ----
    Signature {
        name: "HubSpot",
        category: Category::Marketing,
        headers: &[present("x-hs-hub-id")],
        html: &["js.hs-scripts.com", "js.hsforms.net", "hs-script-loader"],
        scripts: &[
            "js.hs-scripts.com",
            "js.hs-analytics.net",
            "js.hsforms.net",
            "js.hs-banner.com",
            "js.usemessages.com",
        ],
        ..NONE
    },
    Signature {
        name: "Salesforce",
        category: Category::Crm,
        html: &[
            "webto.salesforce.com",
            "salesforceliveagent.com",
            "embedded_svc.init(",
        ],
        scripts: &[
            "salesforceliveagent.com",
            ".my.salesforce.com",
            ".force.com/",
        ],
        ..NONE
    },
    Signature {
        name: "Marketo",
        category: Category::Marketing,
        html: &["munchkin.marketo.net", "mktoform_"],
        scripts: &["munchkin.marketo.net", ".marketo.com/js/forms2"],
        ..NONE
    },
    Signature {
        name: "Pardot",
        category: Category::Marketing,
        html: &["pi.pardot.com", "go.pardot.com", "cdn.pardot.com"],
        scripts: &["pi.pardot.com", "cdn.pardot.com"],
        ..NONE
    },
    Signature {
        name: "Intercom",
        category: Category::LiveChat,
        html: &["widget.intercom.io", "window.intercomsettings"],
        scripts: &["widget.intercom.io", "js.intercomcdn.com"],
        ..NONE
    },
    Signature {
        name: "Drift",
        category: Category::LiveChat,
        html: &["js.driftt.com"],
        scripts: &["js.driftt.com"],
        ..NONE
    },
    Signature {
        name: "Zendesk",
        category: Category::LiveChat,
        headers: &[present("x-zendesk-origin-server")],
        html: &["static.zdassets.com"],
        scripts: &["static.zdassets.com", "v2.zopim.com"],
        ..NONE
    },
    Signature {
        name: "Mailchimp",
        category: Category::Marketing,
        html: &["list-manage.com/subscribe", "mc-embedded-subscribe"],
        scripts: &["chimpstatic.com", "list-manage.com"],
        ..NONE
    },
    Signature {
        name: "Klaviyo",
        category: Category::Marketing,
        html: &["static.klaviyo.com"],
        scripts: &["static.klaviyo.com", "static-tracking.klaviyo.com"],
        ..NONE
    },
    Signature {
        name: "Facebook Pixel",
        category: Category::Marketing,
        html: &["connect.facebook.net/en_us/fbevents.js", "/fbevents.js"],
        scripts: &["/fbevents.js"],
        ..NONE
    },
    Signature {
        name: "LinkedIn Insight Tag",
        category: Category::Marketing,
        html: &["snap.licdn.com/li.lms-analytics"],
        scripts: &["snap.licdn.com/li.lms-analytics"],
        ..NONE
    },
    Signature {
        name: "Usercentrics",
        category: Category::ConsentManagement,
        html: &["app.usercentrics.eu", "web.cmp.usercentrics.eu"],
        scripts: &["usercentrics.eu"],
        ..NONE
    },
    Signature {
        name: "Cookiebot",
        category: Category::ConsentManagement,
        html: &["consent.cookiebot.com"],
        scripts: &["consent.cookiebot.com", "consent.cookiebot.eu"],
        ..NONE
    },
    Signature {
        name: "OneTrust",
        category: Category::ConsentManagement,
        html: &["cdn.cookielaw.org", "optanon-category"],
        scripts: &["cdn.cookielaw.org", "optanon.blob.core.windows.net"],
        ..NONE
    },
    // ---- CDNs ----
    Signature {
        name: "Cloudflare",
        category: Category::Cdn,
        headers: &[
            equals("server", "cloudflare"),
            present("cf-ray"),
            present("cf-cache-status"),
        ],
        html: &[
            "/cdn-cgi/l/email-protection",
            "/cdn-cgi/challenge-platform/",
        ],
        scripts: &["/cdn-cgi/", "static.cloudflareinsights.com"],
        ..NONE
    },
    Signature {
        name: "Akamai",
        category: Category::Cdn,
        headers: &[
            starts("server", "akamaighost"),
            starts("server", "akamainetstorage"),
            present("x-akamai-transformed"),
            present("x-akamai-request-id"),
            present("akamai-grn"),
            present("akamai-cache-status"),
        ],
        ..NONE
    },
    Signature {
        name: "Fastly",
        category: Category::Cdn,
        headers: &[
            present("x-fastly-request-id"),
            present("fastly-debug-digest"),
            starts("x-served-by", "cache-"),
        ],
        ..NONE
    },
    Signature {
        name: "Amazon CloudFront",
        category: Category::Cdn,
        headers: &[
            present("x-amz-cf-id"),
            present("x-amz-cf-pop"),
            contains("via", "cloudfront"),
            contains("x-cache", "cloudfront"),
            equals("server", "cloudfront"),
        ],
        html: &[".cloudfront.net/"],
        implies: &["AWS"],
        ..NONE
    },
    // ---- Hosting and platforms ----
    Signature {
        name: "AWS",
        category: Category::Hosting,
        headers: &[
            equals("server", "amazons3"),
            starts("server", "awselb"),
            present("x-amz-request-id"),
            present("x-amz-id-2"),
            present("x-amzn-requestid"),
            starts("set-cookie", "awsalb="),
            starts("set-cookie", "awsalbcors="),
        ],
        scripts: &[".amazonaws.com/"],
        links: &[".amazonaws.com/"],
        ..NONE
    },
    Signature {
        name: "Vercel",
        category: Category::Hosting,
        headers: &[
            equals("server", "vercel"),
            present("x-vercel-id"),
            present("x-vercel-cache"),
        ],
        ..NONE
    },
    Signature {
        name: "Netlify",
        category: Category::Hosting,
        headers: &[equals("server", "netlify"), present("x-nf-request-id")],
        ..NONE
    },
    Signature {
        name: "Heroku",
        category: Category::Hosting,
        headers: &[
            contains("via", "vegur"),
            contains("via", "heroku-router"),
            equals("server", "heroku"),
        ],
        ..NONE
    },
    Signature {
        name: "Google Cloud",
        category: Category::Hosting,
        headers: &[
            equals("server", "google frontend"),
            contains("via", "1.1 google"),
            present("x-goog-generation"),
            present("x-guploader-uploadid"),
        ],
        scripts: &["storage.googleapis.com/"],
        links: &["storage.googleapis.com/"],
        ..NONE
    },
    Signature {
        name: "Microsoft Azure",
        category: Category::Hosting,
        headers: &[
            present("x-azure-ref"),
            present("x-ms-request-id"),
            starts("server", "windows-azure"),
            starts("set-cookie", "arraffinity="),
        ],
        scripts: &[".azureedge.net/", ".blob.core.windows.net/"],
        links: &[".azureedge.net/", ".blob.core.windows.net/"],
        ..NONE
    },
    // ---- Web servers ----
    Signature {
        name: "nginx",
        category: Category::WebServer,
        headers: &[starts("server", "nginx")],
        ..NONE
    },
    Signature {
        name: "Apache",
        category: Category::WebServer,
        // Prefix plus separator, so Tomcat's "Apache-Coyote" is not taken for httpd.
        headers: &[
            equals("server", "apache"),
            starts("server", "apache/"),
            starts("server", "apache "),
        ],
        ..NONE
    },
    Signature {
        name: "Microsoft IIS",
        category: Category::WebServer,
        headers: &[starts("server", "microsoft-iis")],
        ..NONE
    },
];

pub fn signature_count() -> usize {
    SIGNATURES.len()
}

/// The category of a technology name as returned by `detect`, if it is in the table.
pub fn category_of(name: &str) -> Option<Category> {
    SIGNATURES
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.category)
}

/// The lowercased evidence pulled out of one page, built once and shared by every signature.
#[derive(Debug, Default)]
struct Evidence {
    headers: Vec<(String, String)>,
    html: String,
    generators: Vec<String>,
    scripts: Vec<String>,
    links: Vec<String>,
}

impl Evidence {
    fn from_page(page: &PageSnapshot) -> Self {
        let html = page.body.to_ascii_lowercase();
        let mut ev = Evidence {
            headers: page
                .headers
                .iter()
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase()))
                .collect(),
            ..Evidence::default()
        };
        scan_tags(&html, &mut ev);
        ev.html = html;
        ev
    }
}

/// Names of the technologies whose signatures match, plus what they imply; sorted
/// case-insensitively and deduplicated so the output is stable across runs.
pub fn detect(page: &PageSnapshot) -> Vec<String> {
    let ev = Evidence::from_page(page);
    let mut found: Vec<&'static str> = Vec::new();
    for sig in SIGNATURES {
        if matches(sig, &ev) {
            found.push(sig.name);
            found.extend_from_slice(sig.implies);
        }
    }
    found.sort_by_cached_key(|name| (name.to_ascii_lowercase(), *name));
    found.dedup();
    found.into_iter().map(str::to_owned).collect()
}

fn matches(sig: &Signature, ev: &Evidence) -> bool {
    sig.headers
        .iter()
        .any(|rule| header_matches(rule, &ev.headers))
        || any_starts(&ev.generators, sig.generator)
        || sig.html.iter().any(|p| ev.html.contains(p))
        || any_contains(&ev.scripts, sig.scripts)
        || any_contains(&ev.links, sig.links)
}

fn header_matches(rule: &HeaderRule, headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .filter(|(name, _)| name == rule.name)
        .any(|(_, value)| match rule.op {
            Op::Present => true,
            Op::Contains => value.contains(rule.value),
            Op::StartsWith => value.starts_with(rule.value),
            Op::Equals => value == rule.value,
        })
}

fn any_contains(values: &[String], patterns: &[&str]) -> bool {
    patterns
        .iter()
        .any(|p| values.iter().any(|v| v.contains(p)))
}

fn any_starts(values: &[String], patterns: &[&str]) -> bool {
    patterns
        .iter()
        .any(|p| values.iter().any(|v| v.starts_with(p)))
}

/// Collects `<script src>`, `<link href>` and `<meta name=generator content>` from lowercase
/// HTML. A tolerant forward scan, not a parser: malformed markup yields fewer hits, never a panic.
fn scan_tags(html: &str, ev: &mut Evidence) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let (name, attrs) = after.split_at(name_len);
        // Only the three tags of interest are consumed up to their '>'; anything else (including
        // a stray '<' in inline script or text) advances one character, so an unbalanced quote
        // elsewhere can never swallow a later <script> tag.
        let out = match name {
            "script" => &mut ev.scripts,
            "link" => &mut ev.links,
            "meta" => &mut ev.generators,
            _ => {
                rest = after;
                continue;
            }
        };
        let (attrs, tail) = split_tag(attrs);
        match name {
            "script" => push_attr(attrs, "src", out),
            "link" => push_attr(attrs, "href", out),
            _ if attr(attrs, "name").is_some_and(|n| n.trim() == "generator") => {
                push_attr(attrs, "content", out)
            }
            _ => {}
        }
        rest = tail;
    }
}

fn push_attr(attrs: &str, name: &str, out: &mut Vec<String>) {
    if let Some(value) = attr(attrs, name) {
        let value = value.trim();
        if !value.is_empty() {
            out.push(value.to_owned());
        }
    }
}

/// Splits at the `>` that closes the tag, skipping any `>` inside quoted attribute values.
/// Returns (attributes, text after the tag).
fn split_tag(s: &str) -> (&str, &str) {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return (&s[..i], &s[i + 1..]),
            (None, _) => {}
        }
    }
    (s, "")
}

/// The value of attribute `want` in a tag's attribute text, quoted or bare. Walks attributes in
/// order, so `data-src=` is never mistaken for `src=`.
fn attr<'a>(attrs: &'a str, want: &str) -> Option<&'a str> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'/') && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = &attrs[start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        // A bare attribute (`async`) has no value; the next loop turn starts at the following
        // name. `i` always moved past `start` here or points at '=', so the scan progresses.
        if i >= bytes.len() || bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value, next) = attr_value(attrs, i);
        if name == want {
            return Some(value);
        }
        i = next;
    }
    None
}

/// Reads a quoted or bare attribute value starting at byte `i`; returns it and the index after.
fn attr_value(attrs: &str, i: usize) -> (&str, usize) {
    let bytes = attrs.as_bytes();
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let body = &attrs[i + 1..];
            match body.bytes().position(|b| b == q) {
                Some(end) => (&body[..end], i + 1 + end + 1),
                None => (body, attrs.len()),
            }
        }
        _ => {
            let len = attrs[i..]
                .bytes()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            (&attrs[i..i + len], i + len)
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn has_at_least_forty_signatures() {
        assert!(signature_count() >= 40, "{}", signature_count());
    }

    #[test]
    fn names_are_unique_and_implications_resolve() {
        let mut names: Vec<String> = SIGNATURES
            .iter()
            .map(|s| s.name.to_ascii_lowercase())
            .collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate technology name");
        for sig in SIGNATURES {
            assert!(!sig.name.is_empty());
            for implied in sig.implies {
                assert!(category_of(implied).is_some(), "{implied} not in table");
            }
        }
    }

    #[test]
    fn patterns_are_lowercase_so_they_can_match() {
        for sig in SIGNATURES {
            let pats = sig
                .generator
                .iter()
                .chain(sig.html)
                .chain(sig.scripts)
                .chain(sig.links)
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
}
