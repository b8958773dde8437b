/*! Accord loader. The first script of the page, synchronous. Before any other script
 * runs it hooks every way a page loads a resource or writes a cookie, creates
 * window.Accord (calls are queued until the module is ready), and loads the config,
 * the styles and the WebAssembly module in parallel.
 *
 * It holds no policy. Each hook asks the Rust module: 0 allow, 1 hold until a decision,
 * 2 block. Its only built-in answers are the invariants of the core: the page's own
 * origin and non-network URLs (data:, blob:, about:) are always allowed; until the
 * module answers, everything else is held; if the module or the config fails, or is not
 * ready 10 s after start, everything held is dropped and everything else stays blocked
 * (fail closed), with one accord:error. */
(function (w, d) {
  if (w.Accord && w.Accord._boot) return;
  // Google Consent Mode v2: everything denied before any tag can read the dataLayer
  // (a gtag command is an Arguments object); the module sends "update" on each decision.
  var B = { args: function () { return arguments; } };
  (w.dataLayer = w.dataLayer || []).push(B.args("consent", "default",
    { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" }));
  var O = Object, P = "prototype", noop = () => {};
  var me = d.currentScript;
  var base = me.src.replace(/[^/]*([?#].*)?$/, ""); // a classic script always has one
  var host = location.host;
  var state = 0; // 0: waiting for the module, 1: the module answers, 2: failed closed
  var held = []; // [ask, go, drop]: asked again at each decision
  var hit; // whether the last scrub removed anything
  var cookiesHeld = [];

  function failClosed(code, message) {
    if (state) return;
    state = 2;
    held.forEach((h) => h[2]());
    held = [];
    cookiesHeld = [];
    if (code) {
      console.error("Accord " + code + ": " + message);
      d.dispatchEvent(new CustomEvent("accord:error", { detail: { code: code, message: message } }));
    }
  }

  /* ---- the question every hook asks ---- */
  function verdict(kind, v) {
    var u;
    try { u = new URL(String(v), d.baseURI); } catch (e) { return 0; }
    if (!/^(http|ws)s?:$/.test(u.protocol) || u.host === host || u.href.indexOf(base) === 0) return 0;
    if (state === 1) return B.ask(kind, u.href);
    return state ? 2 : allow.test(u.host) ? 0 : 1;
  }
  // 0 runs go(), 1 keeps it until the answer changes, 2 runs drop().
  function gate(ask, go, drop) {
    var r = ask();
    if (!r) go();
    else if (r === 1) held.push([ask, go, drop || noop]);
    else (drop || noop)();
    return r;
  }
  function recheck() {
    held = held.filter((h) => {
      var r = h[0]();
      if (r === 1) return true;
      r ? h[2]() : h[1]();
      return false;
    });
    cookiesHeld = cookiesHeld.filter((s) => {
      var r = B.cookieSet(s);
      if (typeof r === "string") cookieDesc.set.call(d, r);
      return r === 1;
    });
  }

  /* ---- elements: the URL attributes of every loading element ---- */
  var TAGS = { SCRIPT: "src", IMG: "src srcset", IFRAME: "src", LINK: "href",
    SOURCE: "src srcset", EMBED: "src", OBJECT: "data", VIDEO: "src poster", AUDIO: "src" };
  var SEL = O.keys(TAGS).map((t) => TAGS[t].split(" ").map((a) => t + "[" + a + "]")).join();
  var EP = Element[P], setA = EP.setAttribute, remA = EP.removeAttribute, getA = EP.getAttribute;
  function gated(el, name) {
    var a = TAGS[el.tagName];
    return a && (" " + a + " ").indexOf(" " + name + " ") >= 0;
  }
  function urls(name, v) {
    return name === "srcset" ? String(v).split(",").map((s) => s.trim().split(/\s+/)[0]) : [v];
  }
  function asker(el, name, v) {
    return () => urls(name, v).reduce((m, u) => Math.max(m, verdict(el.tagName.toLowerCase(), u)), 0);
  }
  // A script that the parser inserted, or one that already ran, never runs again when
  // its src is set: a fresh copy takes its place.
  function restore(el, name, v) {
    if (el.tagName === "SCRIPT" && (el._accordParsed || el.isConnected && el.text)) {
      var s = d.createElement("script");
      for (var i = 0; i < el.attributes.length; i++) setA.call(s, el.attributes[i].name, el.attributes[i].value);
      setA.call(s, name, v);
      if (el.parentNode) el.parentNode.replaceChild(s, el); // hooked: asks again, allowed now
      return;
    }
    setA.call(el, name, v);
    media(el);
  }
  function media(el) { // a media element chooses its <source> only when it loads
    var p = el.parentNode;
    if (el.tagName === "SOURCE" && p && p.load) p.load();
  }
  function guardSet(el, name, v, apply) {
    gate(asker(el, name, v), () => { apply(v); media(el); });
  }
  // Removes the URL attributes a subtree may not load yet, before it loads anything.
  function scrub(root) {
    if (!root || !root.querySelectorAll || root.nodeType === 1 && !TAGS[root.tagName] && !root.firstElementChild) return root;
    var list = [].slice.call(root.querySelectorAll(SEL));
    if (root.matches && root.matches(SEL)) list.unshift(root);
    list.forEach((el) => {
      TAGS[el.tagName].split(" ").forEach((name) => {
        var v = getA.call(el, name);
        if (v === null) return;
        var ask = asker(el, name, v);
        if (!ask()) return;
        hit = 1;
        remA.call(el, name);
        if (el.tagName === "SCRIPT" && root._accordParsed) el._accordParsed = 1;
        gate(ask, () => restore(el, name, v));
      });
    });
    return root;
  }

  ("Script:src Image:src Image:srcset IFrame:src Link:href Source:src Source:srcset Embed:src " +
   "Object:data Media:src Video:poster").split(" ").forEach((p) => {
    p = p.split(":");
    var proto = w["HTML" + p[0] + "Element"][P], name = p[1], desc = O.getOwnPropertyDescriptor(proto, name);
    if (!desc || !desc.set) return;
    O.defineProperty(proto, name, { configurable: true, get: desc.get,
      set: function (v) { guardSet(this, name, v, (x) => desc.set.call(this, x)); } });
  });
  EP.setAttribute = function (n, v) {
    var el = this, name = String(n).toLowerCase();
    if (gated(el, name)) return guardSet(el, name, v, (x) => setA.call(el, n, x));
    return setA.call(el, n, v);
  };
  var attrDesc = O.getOwnPropertyDescriptor(Attr[P], "value");
  O.defineProperty(Attr[P], "value", { configurable: true, get: attrDesc.get, set: function (v) {
    var a = this, el = a.ownerElement;
    if (el && gated(el, a.name)) return guardSet(el, a.name, v, (x) => attrDesc.set.call(a, x));
    attrDesc.set.call(a, v);
  } });
  var setNode = EP.setAttributeNode;
  EP.setAttributeNode = function (a) {
    if (gated(this, a.name)) { var v = a.value; a.value = ""; var r = setNode.call(this, a); a.value = v; return r; }
    return setNode.call(this, a);
  };

  // Every way a node enters the document (or a live fragment): scrub it first.
  function wrapArgs(proto, names) {
    names.split(" ").forEach((n) => {
      var f = proto[n];
      if (f) proto[n] = function () { for (var i = 0; i < arguments.length; i++) scrub(arguments[i]); return f.apply(this, arguments); };
    });
  }
  wrapArgs(Node[P], "appendChild insertBefore replaceChild");
  wrapArgs(EP, "append prepend before after replaceWith replaceChildren");
  wrapArgs(Range[P], "insertNode");
  var iae = EP.insertAdjacentElement;
  EP.insertAdjacentElement = function (pos, el) { return iae.call(this, pos, scrub(el)); };
  // Nodes created from elsewhere are scrubbed before they are returned.
  function wrapResult(proto, n) {
    var f = proto[n];
    if (f) proto[n] = function () { return scrub(f.apply(this, arguments)); };
  }
  wrapResult(Node[P], "cloneNode");
  wrapResult(Document[P], "importNode");
  wrapResult(Document[P], "adoptNode");
  wrapResult(Range[P], "createContextualFragment");

  // HTML strings are parsed in an inert <template>, scrubbed, then inserted.
  var URLISH = /\b(src|href|data|srcset|poster)\s*=/i;
  var inner = O.getOwnPropertyDescriptor(EP, "innerHTML");
  function parse(html) {
    var t = d.createElement("template");
    inner.set.call(t, html);
    return scrub(t.content);
  }
  function htmlSetter(proto, n, put) {
    var desc = O.getOwnPropertyDescriptor(proto, n);
    if (!desc) return;
    O.defineProperty(proto, n, { configurable: true, enumerable: desc.enumerable, get: desc.get, set: function (html) {
      if (!URLISH.test(html)) return desc.set.call(this, html);
      put(this, parse(html));
    } });
  }
  var put = (el, frag) => (el.content || el).replaceChildren(frag); // <template> has .content
  htmlSetter(EP, "innerHTML", put);
  htmlSetter(ShadowRoot[P], "innerHTML", put);
  htmlSetter(EP, "outerHTML", (el, frag) => el.replaceWith(frag));
  var iah = EP.insertAdjacentHTML;
  EP.insertAdjacentHTML = function (pos, html) {
    if (!URLISH.test(html)) return iah.call(this, pos, html);
    this[{ beforebegin: "before", afterbegin: "prepend", beforeend: "append", afterend: "after" }[String(pos).toLowerCase()]](parse(html));
  };
  // document.write: when something may not load, the scrubbed nodes go where the
  // parser would have put them (after the running script); held scripts are restored
  // as fresh scripts, as the parser would have run them.
  ["write", "writeln"].forEach((n) => {
    var f = d[n];
    d[n] = function () {
      var html = [].join.call(arguments, "");
      if (URLISH.test(html)) {
        var t = d.createElement("template");
        inner.set.call(t, html);
        var c = t.content;
        c._accordParsed = 1;
        hit = 0;
        scrub(c);
        if (hit) return (d.currentScript || d.body).after(c);
      }
      f.call(d, html);
    };
  });

  // What the parser inserts while the page loads: scripts are stopped before they run.
  // (Other elements have made their request when they are created: only a CSP stops it,
  // and taking their URL away now would only make them ask twice.)
  function parsed(records) {
    records.forEach((r) => [].forEach.call(r.addedNodes, (n) => { if (n.tagName === "SCRIPT") { n._accordParsed = 1; scrub(n); } }));
  }
  var mo = new MutationObserver(parsed);
  mo.observe(d.documentElement, { childList: true, subtree: true });
  d.addEventListener("DOMContentLoaded", () => { parsed(mo.takeRecords()); mo.disconnect(); });

  /* ---- network APIs ---- */
  var F = w.fetch;
  if (F) w.fetch = function (input) {
    var self = this, args = arguments;
    var u = input && typeof input === "object" && "url" in input ? input.url : input;
    return new Promise((ok, ko) => {
      gate(() => verdict("fetch", u), () => F.apply(self, args).then(ok, ko), () => ko(new TypeError("blocked by Accord")));
    });
  };
  var XP = XMLHttpRequest[P], xo = XP.open, xs = XP.send;
  XP.open = function (m, u) { this._accordUrl = u; return xo.apply(this, arguments); };
  XP.send = function () {
    var x = this, a = arguments;
    gate(() => verdict("xhr", x._accordUrl), () => xs.apply(x, a)); // blocked: never sent
  };
  var nav = navigator, beacon = nav.sendBeacon;
  if (beacon) nav.sendBeacon = function (u, data) {
    return gate(() => verdict("beacon", u), () => beacon.call(nav, u, data)) < 2;
  };
  // A socket or stream cannot wait: a refused one gets a closed stand-in.
  ["WebSocket", "EventSource"].forEach((n) => {
    var C = w[n];
    if (!C) return;
    var G = function (u, opt) { // a constructor: not an arrow
      if (!verdict(n.toLowerCase(), u)) return opt === undefined ? new C(u) : new C(u, opt);
      var t = new EventTarget(); // never opens
      t.readyState = C.CLOSED;
      t.send = t.close = noop;
      return t;
    };
    G[P] = C[P];
    O.setPrototypeOf(G, C);
    w[n] = G;
  });

  /* ---- cookies ---- */
  var cookieDesc = O.getOwnPropertyDescriptor(Document[P], "cookie");
  // Until the module answers, its last answer for these same cookies (kept in
  // localStorage: a pattern of the record and opt-out marker, cookies to hide, hosts
  // granted) stands in for it; without one, every cookie is hidden and every
  // cross-origin request held (fail closed).
  var hide = /^/, allow = /(?!)/;
  try {
    var c = localStorage.getItem("accord.c").split("\n");
    if (RegExp(c[0]).test(cookieDesc.get.call(d)) && Date.now() < c[3]) { hide = RegExp(c[1]); allow = RegExp(c[2]); }
  } catch (e) {}
  function visible(name) {
    return state === 1 ? B.cookieSeen(name) : !hide.test(name);
  }
  O.defineProperty(Document[P], "cookie", { configurable: true,
    get: function () { // documents without a browsing context have no cookies: all go here
      var raw = cookieDesc.get.call(d);
      // Held writes show once the module answers them (within the 10 s of loading).
      return state === 1 ? B.cookieGet(raw) : raw.split("; ").filter((p) => visible(p.split("=")[0])).join("; ");
    },
    set: function (v) {
      v = String(v);
      if (state === 1) {
        var r = B.cookieSet(v);
        if (typeof r === "string") cookieDesc.set.call(d, r);
        else if (r === 1) cookiesHeld.push(v);
      } else if (!state) cookiesHeld.push(v);
    } });
  var cs = w.cookieStore;
  if (cs) {
    var csSet = cs.set, csGet = cs.get, csAll = cs.getAll;
    cs.set = function (a, b) { // same path as document.cookie, so the same answers
      var o = typeof a === "object" ? a : { name: a, value: b };
      var s = o.name + "=" + o.value + "; path=" + (o.path || "/");
      if (o.domain) s += "; domain=" + o.domain;
      if (o.expires != null) s += "; expires=" + new Date(o.expires).toUTCString();
      if (o.sameSite) s += "; samesite=" + o.sameSite;
      d.cookie = s;
      return Promise.resolve();
    };
    var seen = (c) => !c || visible(c.name) ? c : null;
    cs.get = function () { return csGet.apply(cs, arguments).then(seen); };
    cs.getAll = function () { return csAll.apply(cs, arguments).then((l) => l.filter(seen)); };
  }

  /* ---- the module ---- */
  B.cookieDesc = cookieDesc; // the module reads and writes through it, never through the hook
  B.ready = () => {
    if (state) return false;
    state = 1;
    clearTimeout(timer);
    recheck();
    return true;
  };
  B.changed = recheck;
  // What a server-sent CSP (accordctl) blocked, from the first byte, for Accord.audit().
  var violations = B.violations = [];
  d.addEventListener("securitypolicyviolation", (e) => violations.push(e.blockedURI));
  B.abort = failClosed; // no code: the module has already said why
  var timer = setTimeout(failClosed, 10000, "ACCORD_MODULE_TIMEOUT", "not ready after 10 s");

  // The config is read by the module (errors, inline #accord-config); the request
  // starts now, in parallel with the module.
  var src = getA.call(me, "data-config");
  B.config = src ? F(src) : null;

  var link = d.createElement("link");
  link.rel = "stylesheet";
  link.href = base + "accord.css";
  B.css = new Promise((ok) => { link.onload = link.onerror = ok; });
  d.head.append(link);

  var queue = B.queue = [];
  function later(name) {
    return function () { queue.push([name, [].slice.call(arguments)]); };
  }
  var A = w.Accord = {
    consent: () => ({ decided: false, pending: true, purposes: {} }),
    on: (name, cb) => d.addEventListener("accord:" + name, (e) => cb(e.detail)) // the module's own also answers a past "ready"
  };
  "open acceptAll refuseAll set withdraw audit".split(" ").forEach((n) => { A[n] = later(n); });
  O.defineProperty(A, "_boot", { value: B });

  import(base + "accord_widget.js")
    .then((m) => m.default({ module_or_path: F(base + "accord_widget_bg.wasm") }))
    .catch((e) => failClosed("ACCORD_MODULE_UNAVAILABLE", e.message));
})(window, document);
