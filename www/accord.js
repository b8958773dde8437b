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
 * (fail closed), with one accord:error. A module that arrives after the 10 s still
 * boots (state 3 lets B.ready through): the banner, and what is granted from then on.
 *
 * Every hook goes through hook(), which records it: a same-origin child realm (an
 * about:blank or srcdoc iframe, a window.open("about:blank")) gets the very same hooks
 * (adopt) before the page's code can reach it. */
/**
 * The boot object B (window.Accord._boot): what the loader and the module share. Each
 * field has one typed binding in src/browser/loader.rs, and only there.
 * @typedef {Object} AccordBoot
 * @property {Promise<Response>|null} config the config request (data-config), or null
 * @property {Promise<void>} css settles when accord.css has loaded or failed
 * @property {Array<[string, Array<*>]>} queue window.Accord calls made before the module was ready
 * @property {string[]} violations URLs a server-sent CSP blocked, from the first byte
 * @property {PropertyDescriptor} cookieDesc the untouched document.cookie accessor
 * @property {function(...*): IArguments} args makes a gtag command
 * @property {function(): boolean} ready the module answers from now on; false once failed closed
 * @property {function(): void} changed the answers may have changed: ask again what is held
 * @property {function(): void} hold the module stops answering: hold everything again
 * @property {function(): void} abort fail closed for good
 * @property {function(string): Promise<Object>} load (name) imports accord_name.js next
 *   to accord.js, instantiates accord_name_bg.wasm: a promise of the module's exports
 * Set by the module (src/browser/guard.rs):
 * @property {function(string, string): number} ask (kind, url): 0 allow, 1 hold, 2 block
 * @property {function(string, string): number} askText (kind, text naming URLs): the most restricted answer
 * @property {function(Array<RTCIceServer>): Array<RTCIceServer>} ice the ICE servers that may be used
 * @property {function(*, *): string} cookieText a cookieStore.set call as a cookie string
 * @property {function(string): (string|number)} cookieSet the cookie string to write, or 1 hold, 2 block
 * @property {function(string): string} cookieGet the jar as the page may read it
 * @property {function(string): boolean} cookieSeen may the page see this cookie?
 * @property {function(string, string, string): number} stored (kind, name, stack): 0 allow, 2 refuse
 */
(function (w, d) {
  if (w.Accord && w.Accord._boot) return;
  // Google Consent Mode v2: everything denied before any tag can read the dataLayer
  // (a gtag command is an Arguments object); the module sends "update" on each decision.
  /** @type {AccordBoot} */
  var B = { args: function () { return arguments; } };
  (w.dataLayer = w.dataLayer || []).push(B.args("consent", "default",
    { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" }));
  var O = Object, P = "prototype", noop = () => {};
  var me = d.currentScript;
  var base = me.src.replace(/[^/]*([?#].*)?$/, ""); // a classic script always has one
  var host = location.host;
  var state = 0; // 0: waiting for the module, 1: the module answers, 2: failed closed, 3: timed out (failed closed until the module arrives)
  var held = []; // [ask, go, drop]: asked again at each decision
  var hit; // whether the last scrub removed anything
  var cookiesHeld = [];

  // hook(interface, names, make): make(original descriptor, name) gives the new one (a
  // function for a method). Each hook is remembered so that child realms get it too.
  var H = [];
  var at = (win, i) => i ? win[i]?.[P] : win;
  function hook(i, names, make) {
    names.split(" ").forEach((n) => {
      var t = at(w, i), desc = t && O.getOwnPropertyDescriptor(t, n);
      if (!desc) return;
      var r = make(desc, n);
      if (r.call) { desc.value = r; r = desc; } // a method (a descriptor has no call: this runs before any page script)
      O.defineProperty(t, n, r);
      H.push([i, n]);
    });
  }
  var wrap = (i, names, f) => hook(i, names, (desc) => f(desc.value));
  // A child realm of the same origin: the same hooks, the same answers.
  function adopt(cw) {
    try {
      if (cw._accord === B) return 1;
      H.forEach((h) => { try { var t = at(cw, h[0]); t && O.defineProperty(t, h[1], O.getOwnPropertyDescriptor(at(w, h[0]), h[1])); } catch (e) {} });
      O.defineProperty(cw, "_accord", { value: B }); // last: a realm is marked only once hooked
      return 1;
    } catch (e) { return 0; } // another origin: out of the page's reach too
  }
  function frames(win) { // every child realm, nested ones too
    win = win || w;
    for (var i = 0; i < win.length; i++) adopt(win[i]) && frames(win[i]);
  }
  function failClosed(code, message, s) {
    if (state) return;
    state = s || 2;
    held.forEach((h) => h[2]());
    held = [];
    cookiesHeld = [];
    if (code) {
      console.error("Accord " + code + ":", message);
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
  // A text naming URLs (a srcdoc's HTML, speculation rules, a font's sources, CSS, ICE
  // servers): the module reads them out and answers for the most restricted. Before it
  // answers, the cached answer's hosts may load; ICE servers and anything escaped wait
  // (after a timeout too: a late module may still answer), and are refused once failed.
  // A text naming only the page's own relative URLs always goes.
  function inText(kind, t) {
    t = String(t);
    return state === 1 ? B.askText(kind, t) : kind === "ice" || /&(#|colon|sol)|\\/i.test(t) ||
      (t.match(/\/\/[^/\s"'<>)?#]+/g) || []).some((h) => !allow.test(h.slice(2))) ? state % 3 ? 2 : 1 : 0;
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
      r === 1 || h[r ? 2 : 1]();
      return r === 1;
    });
    cookiesHeld = cookiesHeld.filter((s) => {
      var r = B.cookieSet(s);
      if (typeof r === "string") cookieDesc.set.call(d, r);
      return r === 1;
    });
  }

  /* ---- elements: the URL attributes of every loading element ---- */
  var TAGS = { SCRIPT: "src", IMG: "src srcset", IFRAME: "src srcdoc", FRAME: "src", LINK: "href",
    SOURCE: "src srcset", EMBED: "src", OBJECT: "data", VIDEO: "src poster", AUDIO: "src", A: "ping", AREA: "ping" };
  var SEL = O.keys(TAGS).map((t) => TAGS[t].split(" ").map((a) => t + "[" + a + "]")).join() + ",script[type*=speculationrules i]";
  var EP = Element[P], setA = EP.setAttribute, remA = EP.removeAttribute, getA = EP.getAttribute;
  function gated(el, name) {
    var a = TAGS[el.tagName];
    return a && a.split(" ").includes(name);
  }
  // A srcset's and a ping's every word (a srcset's sizes read as relative URLs: allowed).
  var urls = (name, v) => /srcset|ping/.test(name) ? String(v).split(/[\s,]+/) : [v];
  // A srcdoc document loads what its HTML names: it waits for the most restricted.
  function asker(el, name, v) {
    return () => name === "srcdoc" ? inText("srcdoc", v) : urls(name, v).reduce((m, u) => Math.max(m, verdict(el.tagName.toLowerCase(), u)), 0);
  }
  // A script that the parser inserted, or one that already ran, never runs again when
  // its src is set: a fresh copy takes its place.
  function restore(el, name, v) {
    if (el.tagName === "SCRIPT" && (el._accordParsed || el.isConnected && el.text)) {
      var s = d.createElement("script");
      for (var i = 0; i < el.attributes.length; i++) setA.call(s, el.attributes[i].name, el.attributes[i].value);
      setA.call(s, name, v);
      el.parentNode?.replaceChild(s, el); // hooked: asks again, allowed now
      return;
    }
    setA.call(el, name, v);
    media(el);
  }
  function media(el) { // a media element chooses its <source> only when it loads
    el.tagName === "SOURCE" && el.parentNode?.load?.();
  }
  function guardSet(el, name, v, apply) {
    gate(asker(el, name, v), () => { apply(v); media(el); });
  }
  // CSS naming a URL (a style attribute, a <style>'s text): held as a whole while it
  // names a gated vendor, put back on grant. Checked by the observer below, on every
  // insertion and change (element.style, cssText, setProperty, a <style>'s text): it
  // runs before the browser next computes styles, which is when their images load.
  var CSSURL = /url\(|image-set|@import|\\/i;
  function css(el) {
    var s = el.tagName === "STYLE", v = s ? el.textContent : getA.call(el, "style"),
      ask = () => inText("css", v);
    if (v && CSSURL.test(v) && ask()) {
      s ? el.textContent = "" : remA.call(el, "style");
      gate(ask, () => s ? el.textContent = v : el.style.cssText = v); // the CSSOM, which a CSP allows
    }
  }
  // Removes the URL attributes a subtree may not load yet, before it loads anything.
  function scrub(root) {
    if (!root?.querySelectorAll || root.nodeType === 1 && !TAGS[root.tagName] && !root.firstElementChild) return root;
    var list = [].slice.call(root.querySelectorAll(SEL));
    if (root.matches?.(SEL)) list.unshift(root);
    list.forEach((el) => {
      // Speculation rules (prefetch, prerender) naming a gated vendor are dropped: they
      // only make pages faster, and no CSP governs them.
      if (/^\s*speculationrules\s*$/i.test(getA.call(el, "type")) && inText("prefetch", el.text)) el.text = "";
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

  ("Script:src Image:src,srcset IFrame:src,srcdoc Frame:src Link:href Source:src,srcset Embed:src " +
   "Object:data Media:src Video:poster Anchor:ping Area:ping").split(" ").forEach((p) => {
    p = p.split(":");
    hook("HTML" + p[0] + "Element", p[1].replace(",", " "), (desc, name) => ({ configurable: true, get: desc.get,
      set: function (v) { guardSet(this, name, v, (x) => desc.set.call(this, x)); } }));
  });
  // setAttribute(name, value) and setAttributeNS(ns, prefix:name, value).
  hook("Element", "setAttribute setAttributeNS", ({ value: f }, n) => function (...a) {
    var el = this, i = +(n.length > 12), name = String(a[i]).replace(/.*:/, "").toLowerCase();
    if (gated(el, name)) return guardSet(el, name, a[i + 1], (x) => f.apply(el, (a[i + 1] = x, a)));
    return f.apply(el, a);
  });
  hook("Attr", "value", (desc) => ({ configurable: true, get: desc.get, set: function (v) {
    var a = this, el = a.ownerElement;
    if (el && gated(el, a.name)) return guardSet(el, a.name, v, (x) => desc.set.call(a, x));
    desc.set.call(a, v);
  } }));
  wrap("Element", "setAttributeNode", (f) => function (a) {
    if (gated(this, a.name)) { var v = a.value; a.value = ""; var r = f.call(this, a); a.value = v; return r; }
    return f.call(this, a);
  });

  // Every way a node enters the document (or a live fragment): scrub it first; a frame
  // it brings gets the hooks before the call returns.
  var after = (r) => (frames(), r);
  var insert = (f) => function () { [].forEach.call(arguments, scrub); return after(f.apply(this, arguments)); };
  wrap("Node", "appendChild insertBefore replaceChild", insert);
  wrap("Element", "append prepend before after replaceWith replaceChildren", insert);
  wrap("Range", "insertNode", insert);
  wrap("Element", "insertAdjacentElement", (f) => function (pos, el) { return after(f.call(this, pos, scrub(el))); });
  // Nodes created from elsewhere are scrubbed before they are returned.
  var made = (f) => function () { return scrub(f.apply(this, arguments)); };
  wrap("Node", "cloneNode", made);
  wrap("Document", "importNode adoptNode", made);
  wrap("Range", "createContextualFragment", made);
  // Reaching a frame's realm through its element: hooked first.
  ["IFrame", "Frame", "Object"].forEach((i) => hook("HTML" + i + "Element", "contentWindow contentDocument",
    (desc) => ({ configurable: true, get: function () { frames(); return desc.get.call(this); } })));
  // A frame that navigated has a new realm: hooked before the page's own load listeners
  // (capture on the document: a frame's load event does not reach the window; it also
  // runs before an onload fired inside the insertion itself).
  d.addEventListener("load", () => frames(), true);

  // HTML strings are parsed in an inert <template>, scrubbed, then inserted.
  var URLISH = /\b(src|href|data|srcset|poster|ping)\s*=/i;
  // Parsed by the same native as the call (setHTML keeps its sanitizer, setHTMLUnsafe its
  // options), the Element one, on the template.
  var N = {};
  "innerHTML setHTMLUnsafe setHTML".split(" ").forEach((n) => { N[n] = O.getOwnPropertyDescriptor(EP, n); });
  var inner = N.innerHTML;
  function parse(args, n) {
    var t = d.createElement("template"), x = N[n] || inner;
    (x.set || x.value).apply(t, args);
    return scrub(t.content);
  }
  var put = (el, frag) => (el.content || el).replaceChildren(frag); // <template> has .content
  function html(i, n, set) {
    hook(i, n, (desc, name) => {
      var f = desc.set || desc.value;
      var g = function (html) {
        if (!URLISH.test(html)) return after(f.apply(this, arguments));
        set(this, parse(arguments, name));
      };
      return desc.set ? { configurable: true, enumerable: desc.enumerable, get: desc.get, set: g } : g;
    });
  }
  html("Element", "innerHTML setHTMLUnsafe setHTML", put);
  html("ShadowRoot", "innerHTML setHTMLUnsafe setHTML", put);
  html("Element", "outerHTML", (el, frag) => el.replaceWith(frag));
  wrap("Element", "insertAdjacentHTML", (f) => function (pos, html) {
    if (!URLISH.test(html)) return after(f.call(this, pos, html));
    this[{ beforebegin: "before", afterbegin: "prepend", beforeend: "append", afterend: "after" }[String(pos).toLowerCase()]](parse([html]));
  });
  // document.write: when something may not load, the scrubbed nodes go where the
  // parser would have put them (after the running script); held scripts are restored
  // as fresh scripts, as the parser would have run them.
  wrap("Document", "write writeln", (f) => function () {
    var doc = this, html = [].join.call(arguments, ""), at;
    if (URLISH.test(html)) {
      var t = d.createElement("template");
      inner.set.call(t, html);
      var c = t.content;
      c._accordParsed = 1;
      hit = 0;
      scrub(c);
      at = doc.currentScript || doc.body;
      if (hit) return at ? after(at.after(c)) : f.call(doc, inner.get.call(t)); // an opened empty document: what may load
    }
    after(f.call(doc, html));
  });

  // What the parser inserts while the page loads: scripts are stopped before they run,
  // frames get the hooks before the next script can reach them.
  // (Other elements have made their request when they are created: only a CSP stops it,
  // and taking their URL away now would only make them ask twice.) Once the document is
  // parsed, for the rest of its life: CSS set by script (the page's own CSS, parsed with
  // it, is never held: no flash of unstyled content).
  var loaded;
  function parsed(records) {
    records.forEach((r) => {
      var t = r.target;
      t = t.parentNode && !t.tagName ? t.parentNode : t; // a <style>'s text node: its <style>
      loaded && (r.attributeName || t.tagName === "STYLE") && css(t); // a style attribute, a <style>'s text
      [].forEach.call(r.addedNodes, (n) => {
        if (loaded) return n.querySelectorAll && [n, ...n.querySelectorAll("[style],style")].forEach(css);
        if (n.tagName === "SCRIPT") n._accordParsed = 1;
        /^(SCRIPT|A|AREA|IFRAME)$/.test(n.tagName) && scrub(n); // a link pings when clicked, a srcdoc loads later
      });
    });
    loaded || frames(); // afterwards every insertion goes through the hooks, which look
  }
  var mo = new MutationObserver(parsed);
  mo.observe(d, { childList: true, subtree: true, characterData: true, attributeFilter: ["style"] });
  // The parser is done at "interactive", before deferred and module scripts run.
  d.addEventListener("readystatechange", () => { parsed(mo.takeRecords()); loaded = 1; });

  /* ---- network APIs ---- */
  var F = w.fetch;
  // The URL a call will use, read once: a Request's own (a brand check, not a duck test,
  // tried on objects only: a string, the usual argument, never throws), else the argument
  // as a string, which is what the call then receives.
  var reqUrl = O.getOwnPropertyDescriptor(Request[P], "url").get;
  function urlArg(a, x) {
    x = a[0];
    try { if (typeof x == "object") return reqUrl.call(x); } catch (e) {}
    return a[0] = x == null ? x : String(x);
  }
  // What answers with a promise waits: released on grant, rejected on refusal.
  var waits = (kind) => (f) => function (...args) {
    var self = this, u = urlArg(args);
    return new Promise((ok, ko) => {
      gate(() => verdict(kind, u), () => f.apply(self, args).then(ok, ko), () => ko(no()));
    });
  };
  wrap("", "fetch", waits("fetch"));
  wrap("Worklet", "addModule", waits("worklet")); // audioWorklet, paintWorklet
  wrap("XMLHttpRequest", "open", (f) => function (m, u) { this._accordUrl = u; return f.apply(this, arguments); });
  wrap("XMLHttpRequest", "send", (f) => function () {
    var x = this, a = arguments;
    gate(() => verdict("xhr", x._accordUrl), () => f.apply(x, a)); // blocked: never sent
  });
  wrap("Navigator", "sendBeacon", (f) => function (u, data) {
    var nav = this;
    return gate(() => verdict("beacon", u), () => f.call(nav, u, data)) < 2;
  });
  // Sent when the page is left: cannot wait for a decision, so refused until granted.
  wrap("", "fetchLater", (f) => function (...args) {
    if (verdict("fetch", urlArg(args))) throw no();
    return f.apply(this, args);
  });
  // Constructors answer at once: a refused socket or stream gets a closed stand-in, a
  // peer connection loses its gated STUN/TURN servers, a font its gated sources.
  var ctor = (names, f) => wrap("", names, (C) => {
    var G = function () { return f(C, arguments); }; // a constructor: not an arrow
    G[P] = C[P];
    O.setPrototypeOf(G, C);
    return G;
  });
  ctor("WebSocket EventSource WebSocketStream", (C, a) => {
    if (!verdict(C.name.toLowerCase(), a[0])) return new C(...a);
    var t = new EventTarget(); // never opens
    t.readyState = C.CLOSED;
    t.send = t.close = noop;
    return t;
  });
  // (Its ICE servers are read by the module; until it answers there are none.)
  ctor("RTCPeerConnection webkitRTCPeerConnection", (C, a) =>
    new C(a[0] && O.assign({}, a[0], { iceServers: state === 1 ? B.ice(a[0].iceServers) : [] }), a[1]));
  ctor("FontFace", (C, a) => new C(a[0], typeof a[1] === "string" && inText("font", a[1]) ? "local(accord-refused)" : a[1], a[2]));
  // A popup cannot wait either; about:blank (or the page's own origin) gets the hooks.
  wrap("", "open", (f) => function (...args) {
    var u = urlArg(args);
    if (u && verdict("open", u)) return null;
    var x = f.apply(this, args);
    x && adopt(x);
    return x;
  });
  // A form posted to a vendor: sent on grant when the page submits it, refused when the
  // person does (a navigation cannot wait).
  var action = (fm, b) => b && getA.call(b, "formaction") || getA.call(fm, "action") || "";
  wrap("HTMLFormElement", "submit requestSubmit", (f) => function (b) {
    var fm = this, a = arguments;
    gate(() => verdict("form", action(fm, b)), () => f.apply(fm, a));
  });
  w.addEventListener("submit", (e) => { verdict("form", action(e.target, e.submitter)) && e.preventDefault(); }, true);

  /* ---- cookies ---- */
  var cookieDesc = O.getOwnPropertyDescriptor(Document[P], "cookie");
  // Until the module answers, its last answer for these same cookies (kept in
  // localStorage: a pattern of the record and opt-out marker, cookies to hide, hosts
  // granted) stands in for it; without one, every cookie is hidden and every
  // cross-origin request held (fail closed).
  var hide = /^/, allow = /(?!)/;
  try {
    // None on a first visit: then neither a throw (slow with DevTools open) nor a jar read.
    var c = localStorage.getItem("accord.c")?.split("\n");
    if (c && RegExp(c[0]).test(cookieDesc.get.call(d)) && Date.now() < c[3]) { hide = RegExp(c[1]); allow = RegExp(c[2]); }
  } catch (e) {}
  function visible(name) {
    return state === 1 ? B.cookieSeen(name) : !hide.test(name);
  }
  // Every realm's document.cookie reads and writes the page's jar through these.
  hook("Document", "cookie", () => ({ configurable: true,
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
    } }));
  // On the prototype, so that a method taken from another realm is hooked too.
  var cs = w.cookieStore;
  if (cs) {
    // The same path as document.cookie, so the same answers: the module writes the
    // options as a cookie string (until it answers, the call waits).
    wrap("CookieStore", "set", () => function (a, b) {
      return new Promise((ok) => gate(() => state == 1 ? 0 : state ? 2 : 1, () => ok(void (d.cookie = B.cookieText(a, b))), ok));
    });
    var seen = (c) => !c || visible(c.name) ? c : null;
    wrap("CookieStore", "get", (f) => function () { return f.apply(cs, arguments).then(seen); });
    wrap("CookieStore", "getAll", (f) => function () { return f.apply(cs, arguments).then((l) => l.filter(seen)); });
  }

  /* ---- storage: whose script writes it is on the call stack ---- */
  // The innermost script of another origin on the stack is the writer; the module says
  // whether its purpose may write (and remembers the name, to delete it with the
  // purpose): 0 yes, 2 no. Before the module answers, only a script the cached answer
  // granted can run: its writes happen and are told to the module when it is ready.
  var pend = [];
  var E = Error;
  function refused(kind, n) {
    n = String(n);
    if (!n.indexOf("accord.")) return 0; // Accord's own keys: no stack to read
    var st = "", l = E.stackTraceLimit, p = E.prepareStackTrace;
    try { // the page cannot blind it: no limit, no custom formatting
      E.stackTraceLimit = 50;
      E.prepareStackTrace = undefined;
      st = String(new E().stack);
    } catch (e) {}
    E.stackTraceLimit = l;
    E.prepareStackTrace = p;
    // The module reads the writer off the stack (the innermost script that is not
    // Accord's). Until it answers, writes happen and are told to it when it does; failed
    // closed, only scripts that ran under the cached answer (a consent) can write, and
    // nothing is kept for a module that may never come.
    if (state === 1) return B.stored(kind, n, st);
    state || pend.push([kind, n, st]);
    return 0;
  }
  var no = () => new TypeError("blocked by Accord");
  // A refused write: setItem does nothing, indexedDB.open throws, caches.open rejects.
  [["Storage", "setItem", "storage"], ["IDBFactory", "open", "idb", 1], ["CacheStorage", "open", "cache", 2]].forEach((s) =>
    wrap(s[0], s[1], (f) => function (n) {
      if (!refused(s[2], n)) return f.apply(this, arguments);
      if (s[3] === 1) throw no();
      if (s[3]) return Promise.reject(no());
    }));

  /* ---- the module ---- */
  B.cookieDesc = cookieDesc; // the module reads and writes through it, never through the hook
  B.ready = () => {
    if (state % 3) return false; // waiting, or timed out: a late module still boots
    state = 1;
    clearTimeout(timer);
    recheck();
    pend.forEach((p) => B.stored(...p));
    return true;
  };
  B.changed = recheck;
  B.hold = () => state &= 2; // the module went away (unmounted): 1 → 0, hold until one answers; failed stays failed
  // What a server-sent CSP (accordctl) blocked, from the first byte, for Accord.audit().
  B.violations = [];
  d.addEventListener("securitypolicyviolation", (e) => B.violations.push(e.blockedURI));
  B.abort = failClosed; // no code: the module has already said why
  var timer = setTimeout(failClosed, 10000, "ACCORD_MODULE_TIMEOUT", "not ready after 10 s", 3);

  // The config is read by the module (errors, inline #accord-config); the request
  // starts now, in parallel with the module.
  var src = getA.call(me, "data-config");
  B.config = src ? F(src) : null;

  var link = d.createElement("link");
  link.rel = "stylesheet";
  link.href = base + "accord.css";
  B.css = new Promise((ok) => { link.onload = link.onerror = ok; });
  d.head.append(link);

  B.queue = [];
  var A = w.Accord = {
    consent: () => ({ decided: false, pending: true, purposes: {} }),
    on: (name, cb) => d.addEventListener("accord:" + name, (e) => cb(e.detail)) // the module's own also answers a past "ready"
  };
  "open acceptAll refuseAll set withdraw audit".split(" ").forEach((n) => { A[n] = (...a) => void B.queue.push([n, a]); });
  O.defineProperty(A, "_boot", { value: B });

  // The page's module now; the module loads the dialogs the same way when one must show.
  // The wasm is requested at once, beside its glue, not after it: one round trip less.
  (B.load = (n, u) => ((u = F(base + "accord_" + n + "_bg.wasm")).catch(noop), import(base + "accord_" + n + ".js")
    .then((m) => m.default({ module_or_path: u }).then(() => m))))("widget")
    .catch((e) => failClosed("ACCORD_MODULE_UNAVAILABLE", e.message));
})(window, document);
