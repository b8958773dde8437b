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
  "use strict";
  if (w.Accord && w.Accord._boot) return;
  var O = Object, P = "prototype", noop = function () {};
  var me = d.currentScript;
  var base = me && me.src ? me.src.replace(/[^/]*([?#].*)?$/, "") : "/accord/";
  var host = location.host;
  var state = 0; // 0: waiting for the module, 1: the module answers, 2: failed closed
  var held = []; // [ask, go, drop]: asked again at each decision
  var cookiesHeld = [];
  var queue = [];
  var last = {};
  var B = {};

  function emit(name, detail) {
    d.dispatchEvent(new CustomEvent("accord:" + name, { detail: detail }));
  }
  function fail(code, message) {
    var detail = { code: code, message: message };
    console.error("Accord " + code + ": " + message);
    emit("error", detail);
    return { error: detail };
  }
  function failClosed(code, message) {
    if (state) return;
    state = 2;
    held.forEach(function (h) { h[2](); });
    held = [];
    cookiesHeld = [];
    if (code) fail(code, message);
  }

  /* ---- the question every hook asks ---- */
  function verdict(kind, v) {
    var u;
    try { u = new URL(String(v), d.baseURI); } catch (e) { return 0; }
    if (!/^(https?|wss?):$/.test(u.protocol) || u.host === host || u.href.indexOf(base) === 0) return 0;
    if (state === 1) return B.ask(kind, u.hostname, +(u.port || (/s:$/.test(u.protocol) ? 443 : 80)), u.href);
    return state ? 2 : 1;
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
    held = held.filter(function (h) {
      var r = h[0]();
      if (r === 1) return true;
      r ? h[2]() : h[1]();
      return false;
    });
    cookiesHeld = cookiesHeld.filter(function (s) {
      var r = B.cookieSet(s);
      if (typeof r === "string") cookieDesc.set.call(d, r);
      return r === 1;
    });
  }

  /* ---- elements: the URL attributes of every loading element ---- */
  var TAGS = { SCRIPT: "src", IMG: "src srcset", IFRAME: "src", FRAME: "src", LINK: "href",
    SOURCE: "src srcset", EMBED: "src", OBJECT: "data", VIDEO: "src poster", AUDIO: "src",
    INPUT: "src", TRACK: "src" };
  var SEL = "script[src],img[src],img[srcset],iframe[src],frame[src],link[href],source[src]," +
    "source[srcset],embed[src],object[data],video[src],video[poster],audio[src],input[src],track[src]";
  var EP = Element[P], setA = EP.setAttribute, remA = EP.removeAttribute, getA = EP.getAttribute;
  function gated(el, name) {
    var a = TAGS[el.tagName];
    return a && (" " + a + " ").indexOf(" " + name + " ") >= 0;
  }
  function urls(name, v) {
    return name === "srcset" ? String(v).split(",").map(function (s) { return s.trim().split(/\s+/)[0]; }) : [v];
  }
  function asker(el, name, v) {
    return function () {
      return urls(name, v).reduce(function (m, u) { return Math.max(m, verdict(el.tagName.toLowerCase(), u)); }, 0);
    };
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
  }
  function guardSet(el, name, v, apply) {
    gate(asker(el, name, v), function () { apply(v); }, function () { setA.call(el, "data-accord-blocked", name); });
  }
  // Removes the URL attributes a subtree may not load yet, before it loads anything.
  function scrub(root) {
    if (!root || !root.querySelectorAll || root.nodeType === 1 && !TAGS[root.tagName] && !root.firstElementChild) return root;
    var list = [].slice.call(root.querySelectorAll(SEL));
    if (root.matches && root.matches(SEL)) list.unshift(root);
    list.forEach(function (el) {
      TAGS[el.tagName].split(" ").forEach(function (name) {
        var v = getA.call(el, name);
        if (v === null) return;
        var ask = asker(el, name, v);
        if (!ask()) return;
        remA.call(el, name);
        if (el.tagName === "SCRIPT" && root._accordParsed) el._accordParsed = 1;
        gate(ask, function () { restore(el, name, v); }, function () { setA.call(el, "data-accord-blocked", name); });
      });
    });
    return root;
  }

  [[HTMLScriptElement, "src"], [HTMLImageElement, "src"], [HTMLImageElement, "srcset"],
   [HTMLIFrameElement, "src"], [HTMLLinkElement, "href"], [HTMLSourceElement, "src"],
   [HTMLSourceElement, "srcset"], [HTMLEmbedElement, "src"], [HTMLObjectElement, "data"],
   [HTMLMediaElement, "src"], [HTMLVideoElement, "poster"], [HTMLInputElement, "src"],
   [HTMLTrackElement, "src"]].forEach(function (p) {
    var proto = p[0][P], name = p[1], desc = O.getOwnPropertyDescriptor(proto, name);
    if (!desc || !desc.set) return;
    O.defineProperty(proto, name, { configurable: true, enumerable: desc.enumerable, get: desc.get,
      set: function (v) { var el = this; guardSet(el, name, v, function (x) { desc.set.call(el, x); }); } });
  });
  EP.setAttribute = function (n, v) {
    var el = this, name = String(n).toLowerCase();
    if (gated(el, name)) return guardSet(el, name, v, function (x) { setA.call(el, n, x); });
    return setA.call(el, n, v);
  };
  var setNS = EP.setAttributeNS;
  EP.setAttributeNS = function (ns, n, v) {
    var el = this, name = String(n).toLowerCase();
    if (!ns && gated(el, name)) return guardSet(el, name, v, function (x) { setNS.call(el, ns, n, x); });
    return setNS.call(el, ns, n, v);
  };
  var attrDesc = O.getOwnPropertyDescriptor(Attr[P], "value");
  O.defineProperty(Attr[P], "value", { configurable: true, get: attrDesc.get, set: function (v) {
    var a = this, el = a.ownerElement;
    if (el && gated(el, a.name)) return guardSet(el, a.name, v, function (x) { attrDesc.set.call(a, x); });
    attrDesc.set.call(a, v);
  } });
  var setNode = EP.setAttributeNode;
  EP.setAttributeNode = function (a) {
    if (gated(this, a.name)) { var v = a.value; a.value = ""; var r = setNode.call(this, a); a.value = v; return r; }
    return setNode.call(this, a);
  };

  // Every way a node enters the document (or a live fragment): scrub it first.
  function wrapArgs(proto, names) {
    names.split(" ").forEach(function (n) {
      var f = proto[n];
      if (f) proto[n] = function () { for (var i = 0; i < arguments.length; i++) scrub(arguments[i]); return f.apply(this, arguments); };
    });
  }
  wrapArgs(Node[P], "appendChild insertBefore replaceChild");
  wrapArgs(EP, "append prepend before after replaceWith replaceChildren");
  wrapArgs(DocumentFragment[P], "append prepend replaceChildren");
  wrapArgs(Document[P], "append prepend replaceChildren");
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
  htmlSetter(EP, "innerHTML", function (el, frag) { (el.content || el).replaceChildren(frag); });
  htmlSetter(ShadowRoot[P], "innerHTML", function (el, frag) { el.replaceChildren(frag); });
  htmlSetter(EP, "outerHTML", function (el, frag) { el.replaceWith(frag); });
  var iah = EP.insertAdjacentHTML;
  EP.insertAdjacentHTML = function (pos, html) {
    if (!URLISH.test(html)) return iah.call(this, pos, html);
    var frag = parse(html), p = String(pos).toLowerCase();
    if (p === "beforebegin") this.before(frag);
    else if (p === "afterbegin") this.prepend(frag);
    else if (p === "beforeend") this.append(frag);
    else if (p === "afterend") this.after(frag);
    else iah.call(this, pos, ""); // throws the browser's own SyntaxError
  };
  ["write", "writeln"].forEach(function (n) {
    var f = d[n];
    d[n] = function () {
      var html = [].join.call(arguments, "");
      if (!URLISH.test(html)) return f.call(d, html);
      var t = d.createElement("template");
      t.content.appendChild(parse(html));
      f.call(d, inner.get.call(t)); // what may not load is written without its URL
    };
  });

  // What the parser inserts while the page loads: scripts are stopped before they run.
  function parsed(records) {
    records.forEach(function (r) {
      [].forEach.call(r.addedNodes, function (n) { if (n.nodeType === 1) { n._accordParsed = 1; scrub(n); } });
    });
  }
  var mo = new MutationObserver(parsed);
  mo.observe(d.documentElement, { childList: true, subtree: true });
  d.addEventListener("DOMContentLoaded", function () { parsed(mo.takeRecords()); mo.disconnect(); });

  /* ---- network APIs ---- */
  var F = w.fetch;
  if (F) w.fetch = function (input) {
    var self = this, args = arguments;
    var u = input && typeof input === "object" && "url" in input ? input.url : input;
    return new Promise(function (ok, ko) {
      gate(function () { return verdict("fetch", u); }, function () { F.apply(self, args).then(ok, ko); },
        function () { ko(new TypeError("Failed to fetch: blocked by Accord")); });
    });
  };
  var XP = XMLHttpRequest[P], xo = XP.open, xs = XP.send;
  XP.open = function (m, u) { this._accordUrl = u; return xo.apply(this, arguments); };
  XP.send = function () {
    var x = this, a = arguments;
    gate(function () { return verdict("xhr", x._accordUrl); }, function () { xs.apply(x, a); }, function () {
      setTimeout(function () { x.dispatchEvent(new ProgressEvent("error")); x.dispatchEvent(new ProgressEvent("loadend")); });
    });
  };
  var nav = navigator, beacon = nav.sendBeacon;
  if (beacon) nav.sendBeacon = function (u, data) {
    return gate(function () { return verdict("beacon", u); }, function () { beacon.call(nav, u, data); }) < 2;
  };
  // A socket or stream cannot wait: refused ones get a closed stand-in that errors.
  ["WebSocket", "EventSource"].forEach(function (n) {
    var C = w[n];
    if (!C) return;
    var G = function (u, opt) {
      if (!verdict(n.toLowerCase(), u)) return opt === undefined ? new C(u) : new C(u, opt);
      var t = new EventTarget();
      t.url = String(u); t.readyState = n === "WebSocket" ? 3 : 2;
      t.send = t.close = noop;
      setTimeout(function () { var e = new Event("error"); t.dispatchEvent(e); if (t.onerror) t.onerror(e); });
      return t;
    };
    G[P] = C[P];
    O.setPrototypeOf(G, C);
    w[n] = G;
  });

  /* ---- cookies ---- */
  var cookieDesc = O.getOwnPropertyDescriptor(Document[P], "cookie");
  function overlay(raw) { // before the module answers, held writes read as written
    var m = {};
    raw.split(/;\s*/).concat(cookiesHeld.map(function (s) { return s.split(";")[0].trim(); })).forEach(function (p) {
      if (p) m[p.split("=")[0]] = p;
    });
    return O.keys(m).map(function (k) { return m[k]; }).join("; ");
  }
  O.defineProperty(Document[P], "cookie", { configurable: true, enumerable: true,
    get: function () {
      var raw = cookieDesc.get.call(this);
      if (this !== d) return raw;
      return state === 1 ? B.cookieGet(raw) : state ? raw : overlay(raw);
    },
    set: function (v) {
      if (this !== d) return cookieDesc.set.call(this, v);
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
    var seen = function (c) { return !c || state !== 1 || B.cookieSeen(c.name) ? c : null; };
    cs.get = function () { return csGet.apply(cs, arguments).then(seen); };
    cs.getAll = function () { return csAll.apply(cs, arguments).then(function (l) { return l.filter(seen); }); };
  }

  /* ---- the module ---- */
  B.rawCookie = function (v) { return v === undefined ? cookieDesc.get.call(d) : cookieDesc.set.call(d, v); };
  B.ready = function () {
    if (state) return false;
    state = 1;
    clearTimeout(timer);
    recheck();
    return true;
  };
  B.changed = recheck;
  B.abort = function () { failClosed(); };
  B.fail = fail;
  B.queue = queue;
  var timer = setTimeout(function () {
    failClosed("ACCORD_MODULE_TIMEOUT", "the Accord module was not ready after 10 s; trackers stay blocked");
  }, 10000);

  function readInline() {
    var el = d.getElementById("accord-config");
    if (el) {
      try { return { config: JSON.parse(el.textContent) }; }
      catch (e) { return fail("ACCORD_CONFIG_SYNTAX", "inline #accord-config is not valid JSON: " + e.message); }
    }
    if (d.readyState === "loading") {
      return new Promise(function (ok) { d.addEventListener("DOMContentLoaded", function () { ok(readInline()); }); });
    }
    return fail("ACCORD_CONFIG_MISSING", "no data-config on the accord.js script and no #accord-config element");
  }
  var src = me && getA.call(me, "data-config");
  B.config = (src
    ? F(src, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) return fail("ACCORD_CONFIG_UNREACHABLE", src + " answered HTTP " + r.status);
        return r.text().then(function (t) {
          try { return { config: JSON.parse(t) }; }
          catch (e) { return fail("ACCORD_CONFIG_SYNTAX", src + " is not valid JSON: " + e.message); }
        });
      }, function (e) { return fail("ACCORD_CONFIG_UNREACHABLE", src + " could not be loaded: " + e.message); })
    : Promise.resolve().then(readInline)
  ).then(function (c) { if (c.error) failClosed(); return c; });

  var link = d.createElement("link");
  link.rel = "stylesheet";
  link.href = base + "accord.css";
  B.css = new Promise(function (ok) { link.onload = link.onerror = ok; });
  (d.head || d.documentElement).appendChild(link);

  d.addEventListener("accord:ready", function (e) { last.ready = e.detail; });
  d.addEventListener("accord:error", function (e) { last.error = e.detail; });
  function later(name) {
    return function () { queue.push([name, [].slice.call(arguments)]); };
  }
  var A = w.Accord = {
    consent: function () {
      return { decided: false, pending: true, purposes: {}, decided_at: null, expires_at: null,
        policy_version: null, record_id: null };
    },
    audit: function () { return { pending: true }; },
    open: later("open"),
    acceptAll: later("acceptAll"),
    refuseAll: later("refuseAll"),
    set: later("set"),
    withdraw: later("withdraw"),
    on: function (name, cb) {
      if (typeof cb !== "function") return;
      d.addEventListener("accord:" + name, function (e) { cb(e.detail); });
      if (last[name]) cb(last[name]);
    }
  };
  O.defineProperty(A, "_boot", { value: B });

  import(base + "accord_widget.js")
    .then(function (m) { return m.default({ module_or_path: F(base + "accord_widget_bg.wasm") }); })
    .catch(function (e) {
      failClosed("ACCORD_MODULE_UNAVAILABLE", "the Accord module did not load (" + e.message + "); trackers stay blocked");
    });
})(window, document);
