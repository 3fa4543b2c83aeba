// The console: every value from the API reaches the page as text (textContent / text nodes),
// never as markup; the key lives in this tab's sessionStorage only and goes out only in the
// Authorization header of calls to this origin's API.
"use strict";
(() => {
  const KEY_SLOT = "prospect-console.key";
  // The page is served at <base>/console, the API's operations beside it.
  const BASE = new URL(".", location.href);
  const LANG = /^de\b/i.test((navigator.languages && navigator.languages[0]) || navigator.language || "") ? "de" : "en";
  const REFRESH_MS = 10000;
  const PAGE = 50;

  const TEXT = {
    en: {
      skip: "Skip to content", title: "Prospect discovery console", signOut: "Sign out",
      signInTitle: "Sign in with an API key",
      signInHelp: "Paste your API key. It stays in this browser tab only and is forgotten when you sign out or close the tab.",
      apiKey: "API key", signIn: "Sign in", keyRequired: "Paste an API key.", keyRejected: "This key was not accepted.",
      noScopes: "This key may not read anything the console shows.",
      signedOut: "Signed out. The key is forgotten.", loading: "Loading…", networkError: "The API could not be reached.",
      requestId: "request id", error: "Error",
      queue: "Review queue", inflight: "In flight", stuck: "Stuck & failed", webhooks: "Failed webhooks", keys: "API keys",
      orders: "Orders", blacklists: "Blacklists", secret: "Webhook secret",
      queueEmpty: "No order is waiting for review.", refresh: "Refresh", autoRefresh: "Refreshes every 10 seconds.",
      colTitle: "Title", colTenant: "Tenant", colType: "Type", colPriority: "Priority", colCompanies: "Companies",
      colCreated: "Created", colStatus: "Status", colProgress: "Progress", colCost: "Cost", colAccepted: "Accepted",
      colNotes: "Notes", colName: "Name", colEntries: "Entries", colUpdated: "Updated", colWebsite: "Website",
      colCity: "City", colCountry: "Country", colDomain: "Domain", colScore: "Score", colReasons: "Reasons",
      colEmployees: "Employees", colProspects: "Prospects", colEvent: "Event", colAttempt: "Attempt",
      colOutcome: "Outcome", colCode: "Response", colTime: "Time", colPrefix: "Prefix", colScopes: "Scopes",
      colEnv: "Environment", colRate: "Per minute", colExpires: "Expires", colRevoked: "Revoked", colOrder: "Order",
      colError: "Error", colSince: "Since", colDescription: "Description", colActions: "Actions",
      open: "Open", back: "Back", orderDetail: "Order", preview: "Preview: what it would deliver",
      previewCount: "Matching companies", previewCost: "Estimated cost", previewEstimate: "(estimate)",
      previewMissing: "A preview is not available for this order on this server.",
      accept: "Accept", acceptNotes: "Notes (optional)", reject: "Reject", rejectNotes: "Reason for the partner (required)",
      notesRequired: "Write why the order is rejected.", accepted: "Accepted. Following the order until it completes…",
      rejected: "Rejected.", nowStatus: "Status now: {0}",
      inflightEmpty: "No order is being processed.", delivered: "{0} of {1}",
      stuckAfter: "In flight for more than (minutes)", showStuck: "Show", colRun: "Run",
      runGoing: "still running", runEnded: "ended", stuckEmpty: "No order is stuck.", stuckMissing: "Finding stuck orders is not available on this server.",
      repair: "Repair", confirmRepair: "End order {0} as cancelled with a note for the partner?", repaired: "Repaired.",
      cancelledTitle: "Cancelled orders and why", cancelledEmpty: "No cancelled order.",
      failedEmpty: "No failed webhook delivery.", failedMissing: "Listing failed deliveries across partners is not available on this server.",
      redeliver: "Redeliver", redelivered: "Queued for delivery again.", recoverTitle: "Recover a partner's failed events",
      tenantId: "Tenant id", since: "Failed since", recover: "Recover", recovered: "{0} events queued again.",
      keysFilter: "Show keys of tenant", showKeys: "Show", keysEmpty: "No key.", createKey: "Create a key",
      keyName: "Name", scopes: "Scopes", rateLimit: "Requests per minute", expiresAt: "Expires at (optional)",
      environment: "Environment", live: "live", test: "test", create: "Create",
      keyCreated: "The key (shown only now; copy it):", copy: "Copy", copied: "Copied.",
      revoke: "Revoke", confirmRevoke: "Revoke the key \"{0}\"? It stops working at once.", revoked: "Revoked.",
      nameRequired: "A name is required.", scopesRequired: "Choose at least one scope.",
      rateInvalid: "A number from 1 to 100000.",
      ordersEmpty: "No order yet.", statusFilter: "Status", all: "All",
      results: "Results", resultsEmpty: "No result delivered yet.", downloadCsv: "Download CSV (all pages)",
      downloading: "Downloading: {0} of {1} results…", downloaded: "Downloaded {0} results.",
      previous: "Previous", next: "Next", pageOf: "{0}–{1} of {2}", deliveryLog: "Webhook delivery log",
      deliveriesEmpty: "No webhook delivery for this order.", sortBy: "Sort by {0}",
      blacklistsEmpty: "No blacklist yet.", createBlacklist: "Create a blacklist", description: "Description (optional)",
      entries: "Entries", entriesEmpty: "No entry yet.", addEntries: "Add entries",
      pasteLabel: "Paste rows: company name, website, city, country (one company per line)",
      uploadLabel: "Or upload a CSV file (columns company_name, website_url, city, country)",
      add: "Add", nothingToAdd: "Paste rows or choose a file.",
      addedSummary: "Added {0}, {1} duplicates. {2} rows rejected.", rowError: "Row {0}: {1} — {2}",
      deleteBlacklist: "Delete blacklist", confirmDeleteBlacklist: "Delete the blacklist \"{0}\" and all its entries?",
      deleted: "Deleted.", deleteEntry: "Delete", confirmDeleteEntry: "Delete this entry?",
      secretHelp: "The secret signs the webhooks sent to your receiver.", reveal: "Reveal", hide: "Hide",
      rotate: "Rotate", confirmRotate: "Rotate the signing secret? The previous one keeps signing for 24 hours.",
      secretCreated: "Created", previousExpires: "Previous secret valid until",
      none: "—", yes: "yes", no: "no",
      f_tenant_id: "Tenant", f_order_id: "Order id", f_title: "Title", f_order_type: "Type", f_status: "Status",
      f_priority: "Priority", f_company_count: "Companies", f_features: "Features", f_estimated_cost: "Estimated cost",
      f_ideal_customer_profile: "Ideal customer profile", f_seller_offering: "Seller offering",
      f_seller_industry: "Seller industry", f_target_countries: "Countries", f_target_cities: "Cities",
      f_excluded_industries: "Excluded industries", f_blacklist_ids: "Blacklists", f_webhook_url: "Webhook host",
      f_warnings: "Warnings", f_admin_notes: "Operator notes", f_output_language: "Language",
      f_created_at: "Created", f_accepted_at: "Accepted", f_completed_at: "Completed", f_cancelled_at: "Cancelled",
      f_prospect_search_id: "Run id", f_lookalike_domains: "Lookalike domains", f_contact_roles: "Contact roles",
      f_exclude_delivered: "Exclude delivered", f_excluded_delivered_count: "Excluded as delivered",
      f_delivered_count: "Delivered", f_profile_id: "Profile",
    },
    de: {
      skip: "Zum Inhalt springen", title: "Prospect-Discovery-Konsole", signOut: "Abmelden",
      signInTitle: "Mit einem API-Schlüssel anmelden",
      signInHelp: "Fügen Sie Ihren API-Schlüssel ein. Er bleibt nur in diesem Browser-Tab und wird beim Abmelden oder Schließen des Tabs vergessen.",
      apiKey: "API-Schlüssel", signIn: "Anmelden", keyRequired: "Bitte einen API-Schlüssel einfügen.",
      keyRejected: "Dieser Schlüssel wurde nicht angenommen.",
      noScopes: "Dieser Schlüssel darf nichts lesen, was die Konsole zeigt.",
      signedOut: "Abgemeldet. Der Schlüssel ist vergessen.", loading: "Wird geladen…", networkError: "Die API ist nicht erreichbar.",
      requestId: "Request-ID", error: "Fehler",
      queue: "Prüfliste", inflight: "In Bearbeitung", stuck: "Hängend & fehlgeschlagen", webhooks: "Fehlgeschlagene Webhooks",
      keys: "API-Schlüssel", orders: "Aufträge", blacklists: "Sperrlisten", secret: "Webhook-Secret",
      queueEmpty: "Kein Auftrag wartet auf Prüfung.", refresh: "Aktualisieren", autoRefresh: "Aktualisiert sich alle 10 Sekunden.",
      colTitle: "Titel", colTenant: "Mandant", colType: "Art", colPriority: "Priorität", colCompanies: "Firmen",
      colCreated: "Erstellt", colStatus: "Status", colProgress: "Fortschritt", colCost: "Kosten", colAccepted: "Angenommen",
      colNotes: "Notizen", colName: "Name", colEntries: "Einträge", colUpdated: "Geändert", colWebsite: "Website",
      colCity: "Stadt", colCountry: "Land", colDomain: "Domain", colScore: "Bewertung", colReasons: "Gründe",
      colEmployees: "Mitarbeitende", colProspects: "Kontakte", colEvent: "Ereignis", colAttempt: "Versuch",
      colOutcome: "Ergebnis", colCode: "Antwort", colTime: "Zeit", colPrefix: "Präfix", colScopes: "Berechtigungen",
      colEnv: "Umgebung", colRate: "Pro Minute", colExpires: "Läuft ab", colRevoked: "Widerrufen", colOrder: "Auftrag",
      colError: "Fehler", colSince: "Seit", colDescription: "Beschreibung", colActions: "Aktionen",
      open: "Öffnen", back: "Zurück", orderDetail: "Auftrag", preview: "Vorschau: was er liefern würde",
      previewCount: "Passende Firmen", previewCost: "Geschätzte Kosten", previewEstimate: "(Schätzung)",
      previewMissing: "Für diesen Auftrag ist auf diesem Server keine Vorschau verfügbar.",
      accept: "Annehmen", acceptNotes: "Notizen (optional)", reject: "Ablehnen", rejectNotes: "Begründung für den Partner (Pflicht)",
      notesRequired: "Bitte begründen, warum der Auftrag abgelehnt wird.",
      accepted: "Angenommen. Der Auftrag wird bis zum Abschluss verfolgt…", rejected: "Abgelehnt.", nowStatus: "Status jetzt: {0}",
      inflightEmpty: "Kein Auftrag in Bearbeitung.", delivered: "{0} von {1}",
      stuckAfter: "In Bearbeitung seit mehr als (Minuten)", showStuck: "Anzeigen", colRun: "Lauf",
      runGoing: "läuft noch", runEnded: "beendet", stuckEmpty: "Kein Auftrag hängt.", stuckMissing: "Hängende Aufträge lassen sich auf diesem Server nicht abrufen.",
      repair: "Reparieren", confirmRepair: "Auftrag {0} mit einer Notiz für den Partner abbrechen?", repaired: "Repariert.",
      cancelledTitle: "Abgebrochene Aufträge und warum", cancelledEmpty: "Kein abgebrochener Auftrag.",
      failedEmpty: "Keine fehlgeschlagene Webhook-Zustellung.",
      failedMissing: "Fehlgeschlagene Zustellungen aller Partner lassen sich auf diesem Server nicht abrufen.",
      redeliver: "Erneut senden", redelivered: "Erneut zur Zustellung eingereiht.",
      recoverTitle: "Fehlgeschlagene Ereignisse eines Partners erneut senden", tenantId: "Mandanten-ID",
      since: "Fehlgeschlagen seit", recover: "Erneut senden", recovered: "{0} Ereignisse erneut eingereiht.",
      keysFilter: "Schlüssel des Mandanten zeigen", showKeys: "Zeigen", keysEmpty: "Kein Schlüssel.",
      createKey: "Schlüssel erstellen", keyName: "Name", scopes: "Berechtigungen", rateLimit: "Anfragen pro Minute",
      expiresAt: "Läuft ab am (optional)", environment: "Umgebung", live: "live", test: "test", create: "Erstellen",
      keyCreated: "Der Schlüssel (nur jetzt sichtbar; bitte kopieren):", copy: "Kopieren", copied: "Kopiert.",
      revoke: "Widerrufen", confirmRevoke: "Schlüssel „{0}“ widerrufen? Er funktioniert sofort nicht mehr.", revoked: "Widerrufen.",
      nameRequired: "Ein Name ist erforderlich.", scopesRequired: "Mindestens eine Berechtigung wählen.",
      rateInvalid: "Eine Zahl von 1 bis 100000.",
      ordersEmpty: "Noch kein Auftrag.", statusFilter: "Status", all: "Alle",
      results: "Ergebnisse", resultsEmpty: "Noch keine Ergebnisse geliefert.", downloadCsv: "CSV herunterladen (alle Seiten)",
      downloading: "Download: {0} von {1} Ergebnissen…", downloaded: "{0} Ergebnisse heruntergeladen.",
      previous: "Zurück", next: "Weiter", pageOf: "{0}–{1} von {2}", deliveryLog: "Webhook-Zustellprotokoll",
      deliveriesEmpty: "Keine Webhook-Zustellung für diesen Auftrag.", sortBy: "Nach {0} sortieren",
      blacklistsEmpty: "Noch keine Sperrliste.", createBlacklist: "Sperrliste erstellen", description: "Beschreibung (optional)",
      entries: "Einträge", entriesEmpty: "Noch kein Eintrag.", addEntries: "Einträge hinzufügen",
      pasteLabel: "Zeilen einfügen: Firmenname, Website, Stadt, Land (eine Firma pro Zeile)",
      uploadLabel: "Oder eine CSV-Datei hochladen (Spalten company_name, website_url, city, country)",
      add: "Hinzufügen", nothingToAdd: "Zeilen einfügen oder eine Datei wählen.",
      addedSummary: "{0} hinzugefügt, {1} Duplikate. {2} Zeilen abgelehnt.", rowError: "Zeile {0}: {1} — {2}",
      deleteBlacklist: "Sperrliste löschen", confirmDeleteBlacklist: "Sperrliste „{0}“ mit allen Einträgen löschen?",
      deleted: "Gelöscht.", deleteEntry: "Löschen", confirmDeleteEntry: "Diesen Eintrag löschen?",
      secretHelp: "Das Secret signiert die Webhooks an Ihren Empfänger.", reveal: "Anzeigen", hide: "Verbergen",
      rotate: "Rotieren", confirmRotate: "Signatur-Secret rotieren? Das bisherige signiert noch 24 Stunden mit.",
      secretCreated: "Erstellt", previousExpires: "Bisheriges Secret gültig bis",
      none: "—", yes: "ja", no: "nein",
      f_tenant_id: "Mandant", f_order_id: "Auftrags-ID", f_title: "Titel", f_order_type: "Art", f_status: "Status",
      f_priority: "Priorität", f_company_count: "Firmen", f_features: "Leistungen", f_estimated_cost: "Geschätzte Kosten",
      f_ideal_customer_profile: "Ideales Kundenprofil", f_seller_offering: "Angebot des Verkäufers",
      f_seller_industry: "Branche des Verkäufers", f_target_countries: "Länder", f_target_cities: "Städte",
      f_excluded_industries: "Ausgeschlossene Branchen", f_blacklist_ids: "Sperrlisten", f_webhook_url: "Webhook-Host",
      f_warnings: "Warnungen", f_admin_notes: "Notizen der Betreiber", f_output_language: "Sprache",
      f_created_at: "Erstellt", f_accepted_at: "Angenommen", f_completed_at: "Abgeschlossen", f_cancelled_at: "Abgebrochen",
      f_prospect_search_id: "Lauf-ID", f_lookalike_domains: "Lookalike-Domains", f_contact_roles: "Kontaktrollen",
      f_exclude_delivered: "Gelieferte ausschließen", f_excluded_delivered_count: "Als geliefert ausgeschlossen",
      f_delivered_count: "Geliefert", f_profile_id: "Profil",
    },
  };
  function t(key, ...args) {
    const s = TEXT[LANG][key] ?? TEXT.en[key] ?? key;
    return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
  }

  // ---- Building the page from text only ----
  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else if (k === "hidden") e.hidden = true;
      else if (k === "value") e.value = v;
      else if (k === "checked") e.checked = true;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    append(e, children);
    return e;
  }
  function append(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  // Replaces an element's content (nulls and nested arrays allowed, as in h()).
  function put(e, ...children) { return append(clear(e), children); }
  const $ = (sel) => document.querySelector(sel);
  const text = (v) => (v === null || v === undefined || v === "" ? t("none") : Array.isArray(v) ? (v.length ? v.join(", ") : t("none")) : String(v));
  function when(iso) {
    if (!iso) return t("none");
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    // The viewer's own zone: toLocaleString uses it when none is named.
    return h("time", { datetime: iso, title: iso }, d.toLocaleString(LANG === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short" }));
  }
  function money(c) {
    if (!c || typeof c.total !== "number") return t("none");
    try { return new Intl.NumberFormat(LANG === "de" ? "de-DE" : "en-GB", { style: "currency", currency: c.currency || "EUR" }).format(c.total); }
    catch (_) { return `${c.total} ${c.currency || ""}`; }
  }
  function hostOf(url) { try { return new URL(url).host; } catch (_) { return url; } }
  function table(headers, rows, { label, empty } = {}) {
    if (!rows.length) return h("p", { class: "empty" }, empty || t("none"));
    return h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": label || "" },
      h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => (x instanceof Node ? x : h("th", { scope: "col" }, x))))),
        h("tbody", {}, rows)));
  }
  const loading = () => h("p", { class: "loading" }, t("loading"));

  // ---- Messages ----
  function say(msg) { const s = $("#status"); s.textContent = ""; s.textContent = msg; }
  function hideError() { const b = $("#error"); b.hidden = true; clear(b); }
  function showError(err) {
    const b = clear($("#error"));
    const e = err instanceof ApiError ? err : new ApiError(0, "ERROR", String((err && err.message) || err), null, []);
    append(b, [h("strong", {}, `${t("error")} ${e.status ? e.status + " " : ""}${e.code}: `), e.message]);
    if (e.requestId) append(b, [" (", t("requestId"), " ", h("span", { class: "rid" }, e.requestId), ")"]);
    if (e.details && e.details.length) b.append(h("ul", { class: "errors" }, e.details.map((d) => h("li", {}, `${d.field || ""}: ${d.message || ""}`))));
    b.hidden = false;
  }
  // Field errors beside their inputs: `fields` maps an API field name to its input.
  function fieldErrors(fields, details) {
    let shown = false;
    for (const input of Object.values(fields)) setFieldError(input, null);
    for (const d of details || []) {
      const input = fields[(d.field || "").split(/[.[]/)[0]];
      if (input) { setFieldError(input, d.message); shown = true; }
    }
    return shown;
  }
  function setFieldError(input, message) {
    const p = document.getElementById(input.getAttribute("aria-describedby"));
    if (!p) return;
    p.textContent = message || "";
    p.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
  let fieldSeq = 0;
  // A labelled input with its error line; returns [wrapper, input].
  function field(label, control) {
    const id = `f${++fieldSeq}`;
    control.id = id;
    control.setAttribute("aria-describedby", `${id}-error`);
    const wrap = h("div", { class: "field" }, h("label", { for: id }, label), control, h("p", { class: "field-error", id: `${id}-error`, hidden: true }));
    return [wrap, control];
  }

  // ---- The API ----
  class ApiError extends Error {
    constructor(status, code, message, requestId, details) {
      super(message);
      Object.assign(this, { status, code, requestId, details });
    }
  }
  const key = () => sessionStorage.getItem(KEY_SLOT);
  const GIVE_UP_MS = 30000;
  async function api(method, path, { query, body } = {}) {
    const k = key();
    if (!k) throw new ApiError(401, "UNAUTHORIZED", t("keyRequired"), null, []);
    const url = new URL(path, BASE);
    for (const [name, value] of Object.entries(query || {})) if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
    const headers = { Authorization: `Bearer ${k}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    // API Gateway gives up on a request after 30 s, so one unanswered by then never will be: a
    // read is asked once more (it changes nothing); a write is reported, never repeated.
    for (let attempt = 0; ; attempt++) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), GIVE_UP_MS);
      try {
        res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer", signal: abort.signal });
        break;
      } catch (_) {
        if (method === "GET" && attempt === 0) continue;
        throw new ApiError(0, "NETWORK", t("networkError"), null, []);
      } finally {
        clearTimeout(timer);
      }
    }
    const rid = res.headers.get("x-request-id");
    let data = null;
    if (res.status !== 204) { try { data = await res.json(); } catch (_) { data = null; } }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code || `HTTP_${res.status}`, e.message || res.statusText, e.request_id || rid, e.details || []);
    }
    return data;
  }
  // A route this server does not have yet answers the API's 404 `NOT_FOUND` (route-not-found).
  const missingRoute = (e) => e instanceof ApiError && e.status === 404 && e.code === "NOT_FOUND";
  async function busy(button, work) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try { return await work(); } finally { button.disabled = false; button.removeAttribute("aria-busy"); }
  }

  // ---- Session and navigation ----
  const state = { scopes: new Set(), timers: [], view: null };
  const VIEWS = [
    { id: "queue", scope: "admin" }, { id: "inflight", scope: "admin" }, { id: "stuck", scope: "admin" },
    { id: "webhooks", scope: "admin" }, { id: "keys", scope: "admin" },
    { id: "orders", scope: "orders" }, { id: "blacklists", scope: "blacklists" }, { id: "secret", scope: "orders" },
  ];
  function stopTimers() { for (const id of state.timers) clearInterval(id); state.timers = []; }
  function every(ms, fn) { state.timers.push(setInterval(fn, ms)); }

  async function probe(path) {
    try { await api("GET", path, { query: { limit: 1 } }); return true; }
    catch (e) { if (e.status === 403) return false; throw e; }
  }
  async function signIn(k) {
    sessionStorage.setItem(KEY_SLOT, k);
    const [admin, orders, blacklists] = await Promise.all([probe("admin/orders"), probe("orders"), probe("blacklists")]);
    state.scopes = new Set([admin && "admin", orders && "orders", blacklists && "blacklists"].filter(Boolean));
    if (!state.scopes.size) throw new ApiError(403, "AUTHORIZATION_ERROR", t("noScopes"), null, []);
  }
  function signOut() {
    stopTimers();
    sessionStorage.removeItem(KEY_SLOT);
    state.scopes = new Set();
    clear($("#views"));
    clear($("#nav")).hidden = true;
    $("#sign-out").hidden = true;
    $("#sign-in").hidden = false;
    $("#key-input").value = "";
    hideError();
    say(t("signedOut"));
    $("#key-input").focus();
  }
  function buildNav() {
    const nav = clear($("#nav"));
    for (const v of VIEWS.filter((v) => state.scopes.has(v.scope))) {
      nav.append(h("button", { type: "button", "data-view": v.id, onclick: () => show(v.id) }, t(v.id)));
    }
    nav.hidden = false;
    $("#sign-out").hidden = false;
    $("#sign-in").hidden = true;
  }
  // Shows one view: a section with a heading (focused, for keyboard and screen-reader users).
  function show(id, arg) {
    stopTimers();
    hideError();
    state.view = id;
    for (const b of document.querySelectorAll("#nav button")) {
      if (b.dataset.view === id) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
    }
    const views = clear($("#views"));
    const heading = h("h2", { tabindex: "-1", id: `view-${id}` });
    const section = h("section", { "aria-labelledby": `view-${id}`, "data-view": id }, heading);
    views.append(section);
    RENDER[id](section, heading, arg);
    heading.focus();
  }

  // ---- Operators ----
  function queueRow(o, extra) {
    return h("tr", { "data-order-id": o.order_id },
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => show("adminOrder", o.order_id) }, o.title || o.order_id)),
      h("td", {}, h("span", { class: `badge ${o.priority}` }, o.priority)),
      h("td", {}, o.tenant_id), h("td", {}, o.order_type), h("td", { class: "num" }, o.company_count),
      h("td", {}, when(o.created_at)), extra);
  }
  const RENDER = {};
  RENDER.queue = (section, heading) => {
    heading.textContent = t("queue");
    const body = h("div", {}, loading());
    const load = async () => {
      try {
        // EXPRESS first, then oldest first: the API's order.
        const page = await api("GET", "admin/orders", { query: { status: "RECEIVED", limit: 100 } });
        put(body, table(
          [t("colTitle"), t("colPriority"), t("colTenant"), t("colType"), t("colCompanies"), t("colCreated")],
          page.items.map((o) => queueRow(o)), { label: t("queue"), empty: t("queueEmpty") }));
      } catch (e) { showError(e); }
    };
    append(section, [h("p", { class: "notice" }, t("autoRefresh")),
      h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: load }, t("refresh"))), body]);
    load();
    every(REFRESH_MS, load);
  };

  const ORDER_FIELDS = ["tenant_id", "order_id", "title", "order_type", "status", "priority", "features", "company_count",
    "estimated_cost", "ideal_customer_profile", "seller_offering", "seller_industry", "target_countries", "target_cities",
    "excluded_industries", "blacklist_ids", "webhook_url", "warnings", "admin_notes", "output_language", "created_at",
    "accepted_at", "completed_at", "cancelled_at", "prospect_search_id"];
  function orderDetail(o) {
    // The known fields in a reading order, then anything newer the API adds, all as text.
    const names = ORDER_FIELDS.filter((f) => f in o).concat(Object.keys(o).filter((f) => !ORDER_FIELDS.includes(f)));
    const dl = h("dl", { class: "detail" });
    for (const f of names) {
      let v = o[f];
      if (f === "estimated_cost") v = money(v);
      else if (f === "webhook_url") v = v ? hostOf(v) : t("none");
      else if (f.endsWith("_at")) v = when(v);
      else if (v !== null && typeof v === "object" && !Array.isArray(v)) v = JSON.stringify(v);
      else if (typeof v === "boolean") v = t(v ? "yes" : "no");
      dl.append(h("dt", {}, TEXT[LANG][`f_${f}`] || TEXT.en[`f_${f}`] || f), h("dd", { "data-field": f }, v instanceof Node ? v : text(v)));
    }
    return dl;
  }
  function previewBlock(p) {
    const top = (p.items || []).slice(0, 5);
    return h("div", { "data-preview": "" },
      h("dl", { class: "detail" },
        h("dt", {}, t("previewCount")), h("dd", {}, `${p.matching_companies}${p.count_is_estimate ? " " + t("previewEstimate") : ""}`),
        h("dt", {}, t("previewCost")), h("dd", {}, money(p.estimated_cost))),
      table([t("colName"), t("colScore"), t("colReasons"), t("colCountry")],
        top.map((c) => h("tr", {}, h("td", {}, c.name, c.match_reasoning ? h("div", { class: "empty" }, c.match_reasoning) : null),
          h("td", { class: "num" }, text(c.match_score)), h("td", {}, text(c.match_reasons)), h("td", {}, text(c.country)))),
        { label: t("preview"), empty: t("resultsEmpty") }));
  }
  RENDER.adminOrder = (section, heading, id) => {
    heading.textContent = t("orderDetail");
    const detail = h("div", {}, loading());
    const statusLine = h("p", { class: "ok", "aria-live": "polite" });
    const preview = h("div", {}, loading());
    append(section, [h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => show("queue") }, t("back"))),
      statusLine, detail, h("h3", {}, t("preview")), preview]);
    const refresh = async () => {
      const o = await api("GET", `admin/orders/${encodeURIComponent(id)}`);
      heading.textContent = `${t("orderDetail")}: ${o.title}`;
      put(detail, orderDetail(o));
      return o;
    };
    (async () => {
      let o;
      try { o = await refresh(); } catch (e) { clear(detail); showError(e); return; }
      if (o.status === "RECEIVED") section.append(reviewForms(o, refresh, statusLine));
      try { put(preview, previewBlock(await api("GET", `admin/orders/${encodeURIComponent(id)}/preview`))); }
      catch (e) {
        if (missingRoute(e) || e.status === 404 || e.status === 422 || e.status === 409) put(preview, h("p", { class: "empty" }, t("previewMissing"), " ", e.message || ""));
        else { clear(preview); showError(e); }
      }
    })();
  };
  function reviewForms(o, refresh, statusLine) {
    const [acceptField, acceptNotes] = field(t("acceptNotes"), h("textarea", { name: "admin_notes", maxlength: "2000" }));
    const [rejectField, rejectNotes] = field(t("rejectNotes"), h("textarea", { name: "admin_notes", maxlength: "2000" }));
    const follow = () => {
      // Follows the order until it ends (the run goes on without anyone).
      every(2000, async () => {
        try {
          const now = await refresh();
          statusLine.textContent = t("nowStatus", now.status);
          if (now.status === "COMPLETED" || now.status === "CANCELLED") stopTimers();
        } catch (e) { showError(e); stopTimers(); }
      });
    };
    const acceptForm = h("form", { novalidate: true, "aria-label": t("accept") }, acceptField,
      h("button", { type: "submit" }, t("accept")));
    const rejectForm = h("form", { novalidate: true, "aria-label": t("reject") }, rejectField,
      h("button", { type: "submit", class: "danger" }, t("reject")));
    acceptForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      busy(acceptForm.querySelector("button"), async () => {
        const notes = acceptNotes.value.trim();
        try {
          await api("POST", `admin/orders/${encodeURIComponent(o.order_id)}/accept`, { body: notes ? { admin_notes: notes } : {} });
          statusLine.textContent = t("accepted");
          say(t("accepted"));
          acceptForm.parentElement.remove();
          await refresh();
          follow();
        } catch (e) { if (!fieldErrors({ admin_notes: acceptNotes }, e.details)) showError(e); else showError(e); }
      });
    });
    rejectForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      const notes = rejectNotes.value.trim();
      if (!notes) { setFieldError(rejectNotes, t("notesRequired")); rejectNotes.focus(); return; }
      setFieldError(rejectNotes, null);
      busy(rejectForm.querySelector("button"), async () => {
        try {
          await api("POST", `admin/orders/${encodeURIComponent(o.order_id)}/reject`, { body: { admin_notes: notes } });
          statusLine.textContent = t("rejected");
          say(t("rejected"));
          rejectForm.parentElement.remove();
          await refresh();
        } catch (e) { fieldErrors({ admin_notes: rejectNotes }, e.details); showError(e); }
      });
    });
    return h("div", { class: "grid2" }, acceptForm, rejectForm);
  }

  RENDER.inflight = (section, heading) => {
    heading.textContent = t("inflight");
    const body = h("div", {}, loading());
    const load = async () => {
      try {
        const pages = await Promise.all(["ACCEPTED", "IN_PROGRESS"].map((s) => api("GET", "admin/orders", { query: { status: s, limit: 100 } })));
        const items = pages.flatMap((p) => p.items);
        put(body, table(
          [t("colTitle"), t("colPriority"), t("colTenant"), t("colStatus"), t("colProgress"), t("colAccepted")],
          items.map((o) => h("tr", { "data-order-id": o.order_id },
            h("td", {}, h("button", { type: "button", class: "link", onclick: () => show("adminOrder", o.order_id) }, o.title || o.order_id)),
            h("td", {}, o.priority), h("td", {}, o.tenant_id), h("td", {}, o.status), h("td", {}, progress(o.delivered_count ?? 0, o.company_count)),
            h("td", {}, when(o.accepted_at)))),
          { label: t("inflight"), empty: t("inflightEmpty") }));
      } catch (e) { showError(e); }
    };
    append(section, [h("p", { class: "notice" }, t("autoRefresh")), body]);
    load();
    every(REFRESH_MS, load);
  };
  function progress(delivered, planned) {
    if (typeof delivered !== "number") return text(planned);
    const label = t("delivered", delivered, planned || 0);
    return h("span", {}, h("progress", { class: "progress", max: String(Math.max(planned || 0, delivered, 1)), value: String(delivered), "aria-label": label }), " ", label);
  }

  RENDER.stuck = (section, heading) => {
    heading.textContent = t("stuck");
    const stuckBody = h("div", {}, loading());
    const cancelledBody = h("div", {}, loading());
    // How long an order may be in flight before it counts as stuck (the API's default: 30 minutes).
    const [afterField, after] = field(t("stuckAfter"), h("input", { type: "number", name: "stuck_after_minutes", min: "0", max: "10080", value: "30" }));
    const filterForm = h("form", { novalidate: true, class: "row" }, afterField, h("button", { type: "submit", class: "secondary" }, t("showStuck")));
    filterForm.addEventListener("submit", (ev) => { ev.preventDefault(); hideError(); loadStuck(); });
    append(section, [filterForm, stuckBody, h("h3", {}, t("cancelledTitle")), cancelledBody]);
    const loadStuck = async () => {
      setFieldError(after, null);
      try {
        const page = await api("GET", "admin/orders/stuck", { query: { limit: 100, stuck_after_minutes: after.value.trim() } });
        // Each item is {order, execution_running, recorded_stuck} (GET /admin/orders/stuck).
        const items = (page.items || []).map((i) => Object.assign({}, i.order || i, { execution_running: i.execution_running }));
        put(stuckBody, table(
          [t("colTitle"), t("colTenant"), t("colStatus"), t("colRun"), t("colNotes"), t("colSince"), t("colActions")],
          items.map((o) => h("tr", { "data-order-id": o.order_id },
            h("td", {}, o.title || o.order_id), h("td", {}, o.tenant_id), h("td", {}, o.status),
            h("td", {}, o.execution_running ? t("runGoing") : t("runEnded")),
            h("td", {}, text(o.reason || o.problem || o.admin_notes)), h("td", {}, when(o.stuck_since || o.accepted_at || o.created_at)),
            // A run still going is not repaired (the API answers 409): it may yet finish.
            h("td", {}, o.execution_running ? null : h("button", { type: "button", class: "danger", "aria-label": `${t("repair")} ${o.title || o.order_id}`, onclick: (ev) => repair(ev.currentTarget, o) }, t("repair"))))),
          { label: t("stuck"), empty: t("stuckEmpty") }));
      } catch (e) {
        if (missingRoute(e)) put(stuckBody, h("p", { class: "empty" }, t("stuckMissing")));
        else { clear(stuckBody); fieldErrors({ stuck_after_minutes: after }, e.details); showError(e); }
      }
    };
    const repair = (button, o) => {
      if (!confirm(t("confirmRepair", o.title || o.order_id))) return;
      busy(button, async () => {
        try { await api("POST", `admin/orders/${encodeURIComponent(o.order_id)}/repair`, { body: {} }); say(t("repaired")); loadStuck(); }
        catch (e) { showError(e); }
      });
    };
    const loadCancelled = async () => {
      try {
        const page = await api("GET", "admin/orders", { query: { status: "CANCELLED", limit: 50 } });
        put(cancelledBody, table([t("colTitle"), t("colTenant"), t("colNotes"), t("colTime")],
          page.items.map((o) => h("tr", {}, h("td", {}, h("button", { type: "button", class: "link", onclick: () => show("adminOrder", o.order_id) }, o.title || o.order_id)),
            h("td", {}, o.tenant_id), h("td", {}, text(o.admin_notes)), h("td", {}, when(o.cancelled_at)))),
          { label: t("cancelledTitle"), empty: t("cancelledEmpty") }));
      } catch (e) { clear(cancelledBody); showError(e); }
    };
    loadStuck();
    loadCancelled();
  };

  RENDER.webhooks = (section, heading) => {
    heading.textContent = t("webhooks");
    const body = h("div", {}, loading());
    const load = async () => {
      try {
        const page = await api("GET", "admin/webhook-deliveries", { query: { status: "failed", limit: 100 } });
        // Each item: {event_id, tenant_id, order_id, event_status, webhook_url, status, round, attempts,
        // failed_at, failure} (GET /admin/webhook-deliveries).
        put(body, table(
          [t("colTenant"), t("colOrder"), t("colEvent"), t("colAttempt"), t("colError"), t("colTime"), t("colActions")],
          (page.items || []).map((d) => h("tr", { "data-event-id": d.event_id },
            h("td", {}, text(d.tenant_id)), h("td", {}, text(d.order_id)),
            h("td", {}, text(d.event_status), d.webhook_url ? h("div", { class: "empty" }, hostOf(d.webhook_url)) : null),
            h("td", { class: "num" }, text(d.attempts)), h("td", {}, text(d.failure)), h("td", {}, when(d.failed_at)),
            h("td", {}, h("button", { type: "button", "aria-label": `${t("redeliver")} ${text(d.event_status)} ${text(d.order_id)}`, onclick: (ev) => redeliver(ev.currentTarget, d) }, t("redeliver"))))),
          { label: t("webhooks"), empty: t("failedEmpty") }));
      } catch (e) {
        if (missingRoute(e)) put(body, h("p", { class: "empty" }, t("failedMissing")));
        else { clear(body); showError(e); }
      }
    };
    const redeliver = (button, d) => busy(button, async () => {
      try { await api("POST", `admin/webhook-deliveries/${encodeURIComponent(d.event_id)}/redeliver`); say(t("redelivered")); load(); }
      catch (e) { showError(e); }
    });
    const [tenantField, tenant] = field(t("tenantId"), h("input", { type: "text", name: "tenant_id", autocomplete: "off" }));
    const [sinceField, since] = field(t("since"), h("input", { type: "datetime-local", name: "since" }));
    const result = h("p", { class: "ok", "aria-live": "polite" });
    const form = h("form", { novalidate: true, "aria-label": t("recoverTitle") }, h("div", { class: "row" }, tenantField, sinceField,
      h("button", { type: "submit" }, t("recover"))), result);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      const problems = {};
      if (!tenant.value.trim()) problems.tenant_id = t("tenantId");
      if (!since.value) problems.since = t("since");
      setFieldError(tenant, problems.tenant_id ? `${t("tenantId")}?` : null);
      setFieldError(since, problems.since ? `${t("since")}?` : null);
      if (Object.keys(problems).length) return;
      busy(form.querySelector("button"), async () => {
        try {
          const r = await api("POST", `admin/tenants/${encodeURIComponent(tenant.value.trim())}/webhook-deliveries/recover`,
            { body: { since: new Date(since.value).toISOString() } });
          result.textContent = t("recovered", r.requeued);
          load();
        } catch (e) { fieldErrors({ since, tenant_id: tenant }, e.details); showError(e); }
      });
    });
    append(section, [body, h("h3", {}, t("recoverTitle")), form]);
    load();
  };

  const SCOPES = ["orders:read", "orders:write", "blacklists:read", "blacklists:write", "admin"];
  RENDER.keys = (section, heading) => {
    heading.textContent = t("keys");
    const body = h("div", {}, loading());
    const [filterField, filter] = field(t("keysFilter"), h("input", { type: "text", name: "tenant_id", autocomplete: "off" }));
    const filterForm = h("form", { novalidate: true, class: "row", "aria-label": t("keysFilter") }, filterField, h("button", { type: "submit", class: "secondary" }, t("showKeys")));
    const load = async () => {
      try {
        const page = await api("GET", "admin/api-keys", { query: { tenant_id: filter.value.trim(), limit: 100 } });
        put(body, table(
          [t("colName"), t("colTenant"), t("colPrefix"), t("colScopes"), t("colEnv"), t("colRate"), t("colCreated"), t("colExpires"), t("colRevoked"), t("colActions")],
          page.items.map((k) => h("tr", { "data-key-id": k.key_id },
            h("td", {}, k.name), h("td", {}, k.tenant_id), h("td", {}, h("code", {}, k.prefix)), h("td", {}, text(k.scopes)),
            h("td", {}, k.environment), h("td", { class: "num" }, text(k.rate_limit_per_minute)), h("td", {}, when(k.created_at)),
            h("td", {}, when(k.expires_at)), h("td", {}, when(k.revoked_at)),
            h("td", {}, k.revoked_at ? null : h("button", { type: "button", class: "danger", "aria-label": `${t("revoke")} ${k.name}`, onclick: (ev) => revoke(ev.currentTarget, k) }, t("revoke"))))),
          { label: t("keys"), empty: t("keysEmpty") }));
      } catch (e) { fieldErrors({ tenant_id: filter }, e.details); showError(e); }
    };
    filterForm.addEventListener("submit", (ev) => { ev.preventDefault(); hideError(); load(); });
    const revoke = (button, k) => {
      if (!confirm(t("confirmRevoke", k.name))) return;
      busy(button, async () => {
        try { await api("DELETE", `admin/api-keys/${encodeURIComponent(k.key_id)}`); say(t("revoked")); load(); }
        catch (e) { showError(e); }
      });
    };
    // Creating a key: the plaintext is in the answer only, shown once with a copy button.
    const [nameField, name] = field(t("keyName"), h("input", { type: "text", name: "name", maxlength: "200", autocomplete: "off" }));
    const [tenantField, tenant] = field(t("tenantId"), h("input", { type: "text", name: "tenant_id", autocomplete: "off" }));
    const scopeError = h("p", { class: "field-error", id: "scopes-error", hidden: true });
    const scopeBoxes = SCOPES.map((s) => h("input", { type: "checkbox", name: "scopes", value: s }));
    const scopeSet = h("fieldset", { class: "checks", "aria-describedby": "scopes-error" }, h("legend", {}, t("scopes")),
      scopeBoxes.map((b) => h("label", {}, b, b.value)));
    const [rateField, rate] = field(t("rateLimit"), h("input", { type: "number", name: "rate_limit_per_minute", min: "1", max: "100000", value: "600" }));
    const [expField, expires] = field(t("expiresAt"), h("input", { type: "datetime-local", name: "expires_at" }));
    const env = h("select", { name: "environment" }, h("option", { value: "live" }, t("live")), h("option", { value: "test" }, t("test")));
    const [envField] = field(t("environment"), env);
    const created = h("div", { "aria-live": "polite" });
    const createForm = h("form", { novalidate: true, "aria-label": t("createKey") }, h("div", { class: "grid2" }, h("div", {}, nameField, tenantField, envField),
      h("div", {}, scopeSet, scopeError, rateField, expField)), h("button", { type: "submit" }, t("create")), created);
    createForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      clear(created);
      const scopes = scopeBoxes.filter((b) => b.checked).map((b) => b.value);
      const rateValue = Number(rate.value);
      setFieldError(name, name.value.trim() ? null : t("nameRequired"));
      scopeError.textContent = scopes.length ? "" : t("scopesRequired");
      scopeError.hidden = !!scopes.length;
      const rateOk = Number.isInteger(rateValue) && rateValue >= 1 && rateValue <= 100000;
      setFieldError(rate, rateOk ? null : t("rateInvalid"));
      if (!name.value.trim() || !scopes.length || !rateOk) return;
      const req = { name: name.value.trim(), scopes, rate_limit_per_minute: rateValue, environment: env.value };
      if (tenant.value.trim()) req.tenant_id = tenant.value.trim();
      if (expires.value) req.expires_at = new Date(expires.value).toISOString();
      busy(createForm.querySelector("button[type=submit]"), async () => {
        try {
          const k = await api("POST", "admin/api-keys", { body: req });
          const secret = h("p", { class: "secret", "data-secret": "" }, k.api_key);
          const copied = h("span", { class: "ok", "aria-live": "polite" });
          created.append(h("div", { class: "notice" }, h("p", {}, t("keyCreated"), " ", `${k.name} (${k.tenant_id})`), secret,
            h("button", { type: "button", class: "secondary", onclick: async () => {
              try { await navigator.clipboard.writeText(k.api_key); copied.textContent = t("copied"); }
              catch (_) { const r = document.createRange(); r.selectNodeContents(secret); const s = getSelection(); s.removeAllRanges(); s.addRange(r); }
            } }, t("copy")), " ", copied));
          filter.value = k.tenant_id;
          load();
        } catch (e) {
          fieldErrors({ name, tenant_id: tenant, rate_limit_per_minute: rate, expires_at: expires, environment: env }, e.details);
          showError(e);
        }
      });
    });
    append(section, [filterForm, body, h("h3", {}, t("createKey")), createForm]);
    load();
  };

  // ---- Partners ----
  const STATUSES = ["RECEIVED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "CANCELLED"];
  function pager(page, onMove) {
    const from = page.total ? page.offset + 1 : 0;
    const to = page.offset + page.items.length;
    return h("div", { class: "pager" },
      h("button", { type: "button", class: "secondary", disabled: page.offset <= 0, onclick: () => onMove(Math.max(0, page.offset - page.limit)) }, t("previous")),
      h("span", {}, t("pageOf", from, to, page.total)),
      h("button", { type: "button", class: "secondary", disabled: !page.has_more, onclick: () => onMove(page.offset + page.limit) }, t("next")));
  }
  RENDER.orders = (section, heading) => {
    heading.textContent = t("orders");
    const status = h("select", { name: "status" }, h("option", { value: "" }, t("all")), STATUSES.map((s) => h("option", { value: s }, s)));
    const [statusField] = field(t("statusFilter"), status);
    const body = h("div", {}, loading());
    const load = async (offset = 0) => {
      try {
        const page = await api("GET", "orders", { query: { limit: PAGE, offset, status: status.value } });
        const cells = new Map();
        put(body, table(
          [t("colTitle"), t("colType"), t("colStatus"), t("colProgress"), t("colCost"), t("colCreated")],
          page.items.map((o) => {
            const cell = h("td", {}, text(o.company_count));
            cells.set(o, cell);
            return h("tr", { "data-order-id": o.order_id },
              h("td", {}, h("button", { type: "button", class: "link", onclick: () => show("order", o.order_id) }, o.title || o.order_id)),
              h("td", {}, o.order_type), h("td", {}, o.status), cell, h("td", {}, money(o.estimated_cost)), h("td", {}, when(o.created_at)));
          }), { label: t("orders"), empty: t("ordersEmpty") }), page.total > PAGE ? pager(page, load) : null);
        // Progress (delivered of planned) for the orders that deliver: the results' total, a few at a time.
        const delivering = page.items.filter((o) => o.status === "IN_PROGRESS" || o.status === "COMPLETED");
        for (let i = 0; i < delivering.length; i += 4) {
          await Promise.all(delivering.slice(i, i + 4).map(async (o) => {
            try {
              const r = await api("GET", `orders/${encodeURIComponent(o.order_id)}/results`, { query: { limit: 1 } });
              clear(cells.get(o)).append(progress(r.total, o.company_count));
            } catch (_) { /* the count stays */ }
          }));
        }
      } catch (e) { clear(body); showError(e); }
    };
    status.addEventListener("change", () => load(0));
    append(section, [h("div", { class: "row" }, statusField), body]);
    load();
  };

  const RESULT_COLUMNS = [
    { key: "match_score", label: "colScore", num: true, value: (c) => c.match_score },
    { key: "name", label: "colName", value: (c) => c.name },
    { key: "website_url", label: "colWebsite", value: (c) => c.normalized_url || c.website_url },
    { key: "city", label: "colCity", value: (c) => c.city },
    { key: "country", label: "colCountry", value: (c) => c.country },
    { key: "employee_count", label: "colEmployees", num: true, value: (c) => c.employee_count },
    { key: "match_reasons", label: "colReasons", value: (c) => (c.match_reasons || []).join(", ") },
    { key: "prospects", label: "colProspects", num: true, value: (c) => (c.prospects || []).length },
  ];
  function resultsTable(items) {
    const sort = { key: null, dir: 1 };
    const wrap = h("div", {});
    const draw = () => {
      const rows = items.slice();
      if (sort.key) {
        const col = RESULT_COLUMNS.find((c) => c.key === sort.key);
        rows.sort((a, b) => {
          const x = col.value(a), y = col.value(b);
          if (x === y) return 0;
          if (x === null || x === undefined || x === "") return 1;
          if (y === null || y === undefined || y === "") return -1;
          return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), LANG)) * sort.dir;
        });
      }
      const headers = RESULT_COLUMNS.map((c) => h("th", { scope: "col", class: c.num ? "num" : null,
        "aria-sort": sort.key === c.key ? (sort.dir > 0 ? "ascending" : "descending") : "none" },
        h("button", { type: "button", class: "sort", title: t("sortBy", t(c.label)), "aria-label": t("sortBy", t(c.label)), onclick: () => {
          sort.dir = sort.key === c.key ? -sort.dir : c.num ? -1 : 1;
          sort.key = c.key;
          draw();
          wrap.querySelector(`th[aria-sort]:not([aria-sort="none"]) button`).focus();
        } }, t(c.label), sort.key === c.key ? (sort.dir > 0 ? " ▲" : " ▼") : "")));
      put(wrap, table(headers, rows.map((c) => h("tr", { "data-result-id": c.id },
        RESULT_COLUMNS.map((col) => h("td", { class: col.num ? "num" : null }, text(col.value(c)))))),
      { label: t("results"), empty: t("resultsEmpty") }));
    };
    draw();
    return wrap;
  }

  // CSV of every result, fetched page by page: each page becomes one Blob part at once, so the tab
  // holds bytes rather than parsed pages, and stays responsive between pages.
  const CSV_COLUMNS = ["id", "source_id", "name", "website_url", "normalized_url", "business_type", "city", "country",
    "employee_count", "description", "phone_numbers", "match_score", "match_reasons", "match_reasoning",
    "web_technologies", "delivered_at", "prospects"];
  function csvCell(v) {
    if (v === null || v === undefined) return "";
    let s = Array.isArray(v) ? v.join("; ") : typeof v === "object" ? JSON.stringify(v) : String(v);
    // A cell a spreadsheet would run as a formula is kept as text.
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }
  function csvRow(c) {
    return CSV_COLUMNS.map((k) => csvCell(k === "prospects"
      ? (c.prospects || []).map((p) => [p.first_name, p.last_name, p.job_title ? `(${p.job_title})` : "", p.email ? `<${p.email}>` : ""].filter(Boolean).join(" "))
      : c[k])).join(",") + "\r\n";
  }
  async function downloadCsv(orderId, button, line) {
    await busy(button, async () => {
      const parts = [new Blob(["\ufeff" + CSV_COLUMNS.join(",") + "\r\n"])];
      let offset = 0, total = 0, count = 0;
      try {
        for (;;) {
          const page = await api("GET", `orders/${encodeURIComponent(orderId)}/results`, { query: { limit: 100, offset } });
          total = page.total;
          parts.push(new Blob([page.items.map(csvRow).join("")]));
          count += page.items.length;
          offset += page.items.length;
          line.textContent = t("downloading", count, total);
          if (!page.has_more || !page.items.length) break;
        }
      } catch (e) { showError(e); return; }
      const url = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
      const a = h("a", { href: url, download: `order-${orderId}-results.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      line.textContent = t("downloaded", count);
    });
  }

  RENDER.order = (section, heading, id) => {
    heading.textContent = t("orderDetail");
    const detail = h("div", {}, loading());
    const results = h("div", {}, loading());
    const deliveries = h("div", {}, loading());
    const csvLine = h("span", { "aria-live": "polite", "data-csv-status": "" });
    const csvButton = h("button", { type: "button", onclick: () => downloadCsv(id, csvButton, csvLine) }, t("downloadCsv"));
    append(section, [h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => show("orders") }, t("back"))),
      detail, h("h3", {}, t("results")), h("div", { class: "actions" }, csvButton, csvLine), results, h("h3", {}, t("deliveryLog")), deliveries]);
    const path = `orders/${encodeURIComponent(id)}`;
    (async () => {
      try {
        const o = await api("GET", path);
        heading.textContent = `${t("orderDetail")}: ${o.title}`;
        put(detail, orderDetail(o));
      } catch (e) { clear(detail); showError(e); return; }
      const loadResults = async (offset = 0) => {
        try {
          const page = await api("GET", `${path}/results`, { query: { limit: PAGE, offset } });
          put(results, resultsTable(page.items), page.total > PAGE ? pager(page, loadResults) : null);
        } catch (e) { clear(results); showError(e); }
      };
      const loadDeliveries = async (offset = 0) => {
        try {
          const page = await api("GET", `${path}/webhook-deliveries`, { query: { limit: PAGE, offset } });
          put(deliveries, table([t("colEvent"), t("colAttempt"), t("colOutcome"), t("colCode"), t("colError"), t("colTime")],
            page.items.map((d) => h("tr", {}, h("td", {}, `${text(d.previous_status)} → ${text(d.status)}`), h("td", { class: "num" }, text(d.attempt)),
              h("td", {}, text(d.outcome)), h("td", {}, text(d.response_code)), h("td", {}, text(d.error_class)), h("td", {}, when(d.attempted_at)))),
            { label: t("deliveryLog"), empty: t("deliveriesEmpty") }), page.total > PAGE ? pager(page, loadDeliveries) : null);
        } catch (e) { clear(deliveries); showError(e); }
      };
      loadResults();
      loadDeliveries();
    })();
  };

  RENDER.blacklists = (section, heading) => {
    heading.textContent = t("blacklists");
    const body = h("div", {}, loading());
    const load = async (offset = 0) => {
      try {
        const page = await api("GET", "blacklists", { query: { limit: PAGE, offset } });
        put(body, table([t("colName"), t("colDescription"), t("colEntries"), t("colUpdated")],
          page.items.map((b) => h("tr", { "data-blacklist-id": b.id },
            h("td", {}, h("button", { type: "button", class: "link", onclick: () => show("blacklist", b.id) }, b.name)),
            h("td", {}, text(b.description)), h("td", { class: "num" }, b.entry_count), h("td", {}, when(b.updated_at)))),
          { label: t("blacklists"), empty: t("blacklistsEmpty") }), page.total > PAGE ? pager(page, load) : null);
      } catch (e) { clear(body); showError(e); }
    };
    const [nameField, name] = field(t("colName"), h("input", { type: "text", name: "name", maxlength: "200" }));
    const [descField, desc] = field(t("description"), h("input", { type: "text", name: "description", maxlength: "1000" }));
    const form = h("form", { novalidate: true, "aria-label": t("createBlacklist") }, h("div", { class: "row" }, nameField, descField,
      h("button", { type: "submit" }, t("create"))));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      if (!name.value.trim()) { setFieldError(name, t("nameRequired")); name.focus(); return; }
      setFieldError(name, null);
      busy(form.querySelector("button"), async () => {
        try {
          const b = await api("POST", "blacklists", { body: { name: name.value.trim(), description: desc.value.trim() || null } });
          show("blacklist", b.id);
        } catch (e) { fieldErrors({ name, description: desc }, e.details); showError(e); }
      });
    });
    append(section, [body, h("h3", {}, t("createBlacklist")), form]);
    load();
  };

  // CSV as RFC 4180 (quotes, doubled quotes, line breaks inside quotes); rows keep their line numbers.
  function parseCsv(source) {
    const rows = [];
    let row = [], cell = "", quoted = false, line = 1, rowLine = 1;
    for (let i = 0; i < source.length; i++) {
      const ch = source[i];
      if (quoted) {
        if (ch === '"' && source[i + 1] === '"') { cell += '"'; i++; }
        else if (ch === '"') quoted = false;
        else { if (ch === "\n") line++; cell += ch; }
      } else if (ch === '"' && cell === "") quoted = true;
      else if (ch === "," || ch === ";" || ch === "\t") { row.push(cell); cell = ""; }
      else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[i + 1] === "\n") i++;
        row.push(cell); rows.push({ line: rowLine, cells: row }); row = []; cell = ""; line++; rowLine = line;
      } else cell += ch;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push({ line: rowLine, cells: row }); }
    return rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  }
  const HEADER_NAMES = {
    company_name: "company_name", name: "company_name", company: "company_name", firma: "company_name", firmenname: "company_name",
    website_url: "website_url", website: "website_url", domain: "website_url", url: "website_url",
    city: "city", stadt: "city", ort: "city", country: "country", land: "country",
  };
  function entriesOf(source) {
    const rows = parseCsv(source.replace(/^\ufeff/, ""));
    let columns = ["company_name", "website_url", "city", "country"];
    if (rows.length && rows[0].cells.some((c) => HEADER_NAMES[c.trim().toLowerCase()])) {
      columns = rows.shift().cells.map((c) => HEADER_NAMES[c.trim().toLowerCase()] || null);
    }
    return rows.map((r) => {
      const entry = {};
      columns.forEach((col, i) => { const v = (r.cells[i] || "").trim(); if (col && v) entry[col] = v; });
      return { line: r.line, entry };
    });
  }
  // Adds rows 1,000 a call. A call the API refuses with per-row errors (`entries[i].field`) is sent
  // again without those rows, and the refused rows are listed with their line numbers.
  async function addEntries(blacklistId, rows, report) {
    let added = 0, duplicates = 0;
    const refused = [];
    for (let i = 0; i < rows.length; i += 1000) {
      let batch = rows.slice(i, i + 1000);
      for (let round = 0; round < 2 && batch.length; round++) {
        try {
          const r = await api("POST", `blacklists/${encodeURIComponent(blacklistId)}/entries`, { body: { entries: batch.map((b) => b.entry) } });
          added += r.added; duplicates += r.duplicates;
          break;
        } catch (e) {
          const bad = new Set();
          for (const d of e.details || []) {
            const m = /^entries\[(\d+)\]\.?(.*)$/.exec(d.field || "");
            if (m && batch[Number(m[1])]) { bad.add(Number(m[1])); refused.push({ line: batch[Number(m[1])].line, field: m[2] || "entry", message: d.message }); }
          }
          if (!bad.size || round === 1) throw e;
          batch = batch.filter((_, j) => !bad.has(j));
        }
      }
      report(added, duplicates, refused);
    }
    return { added, duplicates, refused };
  }

  RENDER.blacklist = (section, heading, id) => {
    heading.textContent = t("blacklists");
    const path = `blacklists/${encodeURIComponent(id)}`;
    const info = h("div", {}, loading());
    const entries = h("div", {}, loading());
    let current = null;
    const loadInfo = async () => {
      try {
        current = await api("GET", path);
        heading.textContent = `${t("blacklists")}: ${current.name}`;
        put(info, h("dl", { class: "detail" }, h("dt", {}, t("colDescription")), h("dd", {}, text(current.description)),
          h("dt", {}, t("colEntries")), h("dd", { "data-entry-count": "" }, current.entry_count), h("dt", {}, t("colUpdated")), h("dd", {}, when(current.updated_at))));
      } catch (e) { clear(info); showError(e); }
    };
    const loadEntries = async (offset = 0) => {
      try {
        const page = await api("GET", `${path}/entries`, { query: { limit: PAGE, offset } });
        put(entries, table([t("colName"), t("colWebsite"), t("colCity"), t("colCountry"), t("colDomain"), t("colActions")],
          page.items.map((en) => h("tr", { "data-entry-id": en.id }, h("td", {}, text(en.company_name)), h("td", {}, text(en.website_url)),
            h("td", {}, text(en.city)), h("td", {}, text(en.country)), h("td", {}, text(en.normalized_domain)),
            h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": `${t("deleteEntry")} ${en.company_name || en.website_url}`,
              onclick: (ev) => { if (confirm(t("confirmDeleteEntry"))) busy(ev.currentTarget, async () => {
                try { await api("DELETE", `${path}/entries/${encodeURIComponent(en.id)}`); say(t("deleted")); loadInfo(); loadEntries(page.offset); }
                catch (e) { showError(e); }
              }); } }, t("deleteEntry"))))),
          { label: t("entries"), empty: t("entriesEmpty") }), page.total > PAGE ? pager(page, loadEntries) : null);
      } catch (e) { clear(entries); showError(e); }
    };
    const [pasteField, paste] = field(t("pasteLabel"), h("textarea", { name: "paste", rows: "5", spellcheck: "false" }));
    const [fileField, file] = field(t("uploadLabel"), h("input", { type: "file", name: "file", accept: ".csv,text/csv,text/plain" }));
    const outcome = h("div", { "aria-live": "polite", "data-add-outcome": "" });
    const addForm = h("form", { novalidate: true, "aria-label": t("addEntries") }, pasteField, fileField, h("button", { type: "submit" }, t("add")), outcome);
    addForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      clear(outcome);
      busy(addForm.querySelector("button"), async () => {
        const source = file.files && file.files[0] ? await file.files[0].text() : paste.value;
        const rows = entriesOf(source);
        if (!rows.length) { setFieldError(paste, t("nothingToAdd")); return; }
        setFieldError(paste, null);
        const summary = h("p", { class: "ok" });
        const list = h("ul", { class: "errors" });
        outcome.append(summary, list);
        const report = (added, duplicates, refused) => {
          summary.textContent = t("addedSummary", added, duplicates, refused.length);
          put(list, refused.map((r) => h("li", { "data-line": r.line }, t("rowError", r.line, r.field, r.message))));
        };
        try {
          const r = await addEntries(id, rows, report);
          report(r.added, r.duplicates, r.refused);
          paste.value = "";
          file.value = "";
        } catch (e) { showError(e); }
        loadInfo();
        loadEntries();
      });
    });
    const del = h("button", { type: "button", class: "danger", onclick: () => {
      if (!confirm(t("confirmDeleteBlacklist", current ? current.name : id))) return;
      busy(del, async () => {
        try { await api("DELETE", path); say(t("deleted")); show("blacklists"); } catch (e) { showError(e); }
      });
    } }, t("deleteBlacklist"));
    append(section, [h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => show("blacklists") }, t("back")), del),
      info, h("h3", {}, t("addEntries")), addForm, h("h3", {}, t("entries")), entries]);
    loadInfo();
    loadEntries();
  };

  RENDER.secret = (section, heading) => {
    heading.textContent = t("secret");
    const out = h("div", { "aria-live": "polite" });
    const render = (s) => put(out, h("p", { class: "secret", "data-secret": "" }, s.secret),
      h("dl", { class: "detail" }, h("dt", {}, t("secretCreated")), h("dd", {}, when(s.created_at)),
        h("dt", {}, t("previousExpires")), h("dd", {}, when(s.previous_secret_expires_at))));
    const reveal = h("button", { type: "button", "aria-expanded": "false", onclick: () => {
      if (reveal.getAttribute("aria-expanded") === "true") { clear(out); reveal.textContent = t("reveal"); reveal.setAttribute("aria-expanded", "false"); return; }
      busy(reveal, async () => {
        try { render(await api("GET", "webhook-secret")); reveal.textContent = t("hide"); reveal.setAttribute("aria-expanded", "true"); }
        catch (e) { showError(e); }
      });
    } }, t("reveal"));
    const rotate = h("button", { type: "button", class: "danger", onclick: () => {
      if (!confirm(t("confirmRotate"))) return;
      busy(rotate, async () => {
        try { render(await api("POST", "webhook-secret/rotate")); reveal.textContent = t("hide"); reveal.setAttribute("aria-expanded", "true"); }
        catch (e) { showError(e); }
      });
    } }, t("rotate"));
    append(section, [h("p", {}, t("secretHelp")), h("div", { class: "actions" }, reveal, rotate), out]);
  };

  // ---- Start ----
  function start() {
    document.documentElement.lang = LANG;
    document.title = t("title");
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    $("#sign-out").addEventListener("click", signOut);
    const input = $("#key-input");
    $("#sign-in-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      hideError();
      const k = input.value.trim();
      if (!k) { setFieldError(input, t("keyRequired")); input.focus(); return; }
      setFieldError(input, null);
      busy($("#sign-in-form button"), async () => {
        try {
          await signIn(k);
          input.value = "";
          buildNav();
          show(VIEWS.find((v) => state.scopes.has(v.scope)).id);
        } catch (e) {
          sessionStorage.removeItem(KEY_SLOT);
          setFieldError(input, e.status === 401 ? t("keyRejected") : e.message);
          showError(e);
          input.focus();
        }
      });
    });
    // A reload in the same tab keeps the session (sessionStorage outlives a reload, not the tab).
    if (key()) {
      signIn(key()).then(() => { buildNav(); show(VIEWS.find((v) => state.scopes.has(v.scope)).id); })
        .catch((e) => { sessionStorage.removeItem(KEY_SLOT); showError(e); });
    }
  }
  start();
})();
