/* Firewall catalogue: performs, from an ordinary page script (after the Accord loader ran),
 * the technique named by ?t= against the advertising origin (127.0.0.1:8082, a gated
 * purpose; serve.mjs rewrites the port). Every tracker URL carries ?r= (the test's run id)
 * and &k= (which performance: "load" at page load, "again" when the test calls
 * window.__perform("again")), so parallel tests can tell their hits apart.
 * Results land in window.__tech: { technique, runs, errors, reads }. */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var T = q.get("t") || "";
  var R = q.get("r") || "";
  var ADS = "http://127.0.0.1:8082";
  var WS = "ws://127.0.0.1:8082";
  var TWO_YEARS_S = 63072000;
  var out = (window.__tech = { technique: T, runs: [], errors: [], reads: [], done: [] });

  function U(k, extra) {
    return ADS + "/t/" + T + "?r=" + encodeURIComponent(R) + "&k=" + k + (extra || "");
  }
  function host() {
    return document.getElementById("host") || document.body || document.documentElement;
  }
  function placeholder() {
    var ph = document.createElement("span");
    ph.className = "placeholder";
    host().appendChild(ph);
    return ph;
  }
  function script(k) {
    var s = document.createElement("script");
    s.src = U(k);
    return s;
  }
  function hasAdn(str) {
    return /(^|;\s*)_adn=/.test(str || "");
  }

  /** A fresh same-origin child realm: an about:blank iframe in the page. */
  function realm() {
    var f = document.createElement("iframe");
    f.title = "realm";
    f.width = f.height = 1;
    host().appendChild(f);
    return f.contentWindow;
  }
  function adnValue(k) {
    return "_adn=" + k + Math.random().toString(36).slice(2) + "; max-age=" + TWO_YEARS_S + "; path=/";
  }
  function srcdoc(html) {
    var f = document.createElement("iframe");
    f.title = "srcdoc";
    f.width = f.height = 1;
    f.srcdoc = html;
    host().appendChild(f);
  }

  /** A hidden frame named "sink-<k>" where links and forms navigate, so the page stays. */
  function sink(k) {
    var f = document.createElement("iframe");
    f.name = "sink-" + k;
    f.title = "sink";
    f.width = f.height = 1;
    host().appendChild(f);
    return f.name;
  }
  function pingLink(k, set) {
    var a = document.createElement("a");
    a.href = "/__test/other.html?k=" + k;
    a.target = sink(k);
    a.textContent = "lien " + k;
    set(a, U(k));
    host().appendChild(a);
    a.click();
  }
  function vendorForm(k, how) {
    var f = document.createElement("form");
    f.method = "get";
    f.target = sink(k);
    f.setAttribute("action", ADS + "/t/" + T);
    var add = function (n, v) {
      var i = document.createElement("input");
      i.type = "hidden";
      i.name = n;
      i.value = v;
      f.appendChild(i);
    };
    add("r", R);
    add("k", k);
    var b = document.createElement("button");
    b.type = "submit";
    b.textContent = "Envoyer " + k;
    f.appendChild(b);
    host().appendChild(f);
    how(f, b);
  }

  var techniques = {
    // ---- 2026 channels (issue 12)
    "FontFace-url": function (k) {
      var f = new FontFace("accord-test-" + k, "url(" + U(k) + ")");
      document.fonts.add(f);
      return f.load().catch(function () {});
    },
    "a-ping-property": function (k) {
      pingLink(k, function (a, u) {
        a.ping = u;
      });
    },
    "a-ping-setAttribute": function (k) {
      pingLink(k, function (a, u) {
        a.setAttribute("ping", u);
      });
    },
    "a-ping-innerHTML": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<a href="/__test/other.html?k=' + k + '" target="' + sink(k) + '" ping="' + U(k) + '">lien</a>';
      d.firstChild.click();
    },
    "paintWorklet-addModule": function (k) {
      if (!window.CSS || !CSS.paintWorklet) throw new Error("no CSS.paintWorklet in this browser");
      return CSS.paintWorklet.addModule(U(k)).catch(function (e) {
        if (/blocked by Accord/.test(e.message)) throw e; // a module that does not parse still made its request
      });
    },
    "audioWorklet-addModule": function (k) {
      var ctx = new AudioContext();
      return ctx.audioWorklet.addModule(U(k)).catch(function (e) {
        if (/blocked by Accord/.test(e.message)) throw e;
      });
    },
    fetchLater: function (k) {
      if (!window.fetchLater) throw new Error("no fetchLater in this browser");
      fetchLater(U(k), { activateAfter: 0 });
    },
    websocketstream: function (k) {
      if (!window.WebSocketStream) throw new Error("no WebSocketStream in this browser");
      var ws = new WebSocketStream(WS + "/t/" + T + "?r=" + encodeURIComponent(R) + "&k=" + k);
      window.__sockets = (window.__sockets || []).concat(ws);
      if (ws.opened) ws.opened.catch(function () {});
      if (ws.closed) ws.closed.catch(function () {});
    },
    "form-requestSubmit": function (k) {
      vendorForm(k, function (f, b) {
        f.requestSubmit(b);
      });
    },
    "form-button-click": function (k) {
      vendorForm(k, function (f, b) {
        b.click(); // as the person would: a submit event, then the navigation
      });
    },
    "form-submit": function (k) {
      vendorForm(k, function (f) {
        f.submit();
      });
    },
    // ---- CSS naming a vendor (issue 12): each element is shown (10 × 10 px), so the
    // browser fetches its image when it computes its style.
    "innerHTML-styled-subtree": function (k) {
      // a styled wrapper around a vendor image (review: a style attribute in an inserted
      // subtree must not stop the firewall from reading the rest)
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<div style="display:flex"><svg width="1" height="1"><path style="fill:red" d="M0 0"/></svg><img alt="" src="' + U(k) + '"></div>';
    },
    "css-style-setAttribute": function (k) {
      var d = document.createElement("div");
      d.setAttribute("style", "width:10px;height:10px;background-image:url(" + U(k) + ")");
      host().appendChild(d);
    },
    "css-style-property": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.style.width = d.style.height = "10px";
      d.style.backgroundImage = "url(" + U(k) + ")";
    },
    "css-style-cssText": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.style.cssText = "width:10px;height:10px;background:url('" + U(k) + "')";
    },
    "css-style-setProperty": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.style.setProperty("width", "10px");
      d.style.setProperty("height", "10px");
      d.style.setProperty("background-image", 'url("' + U(k) + '")');
    },
    "css-style-element": function (k) {
      var d = document.createElement("div");
      d.className = "css-el-" + k;
      host().appendChild(d);
      var st = document.createElement("style");
      st.textContent = ".css-el-" + k + "{width:10px;height:10px;background-image:url(" + U(k) + ")}";
      document.head.appendChild(st);
    },
    "css-style-element-text-later": function (k) {
      var d = document.createElement("div");
      d.className = "css-later-" + k;
      host().appendChild(d);
      var st = document.createElement("style");
      document.head.appendChild(st);
      st.textContent = ".css-later-" + k + "{width:10px;height:10px;background-image:url(" + U(k) + ")}";
    },
    "css-style-innerHTML": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<p class="css-inner-' + k + '">x</p><style>.css-inner-' + k + "{width:10px;height:10px;background-image:url(" + U(k) + ")}</style>";
    },
    "css-style-escaped": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      // u\72 l( is url( for the browser's CSS tokenizer
      d.setAttribute("style", "width:10px;height:10px;background-image:u\\72 l(" + U(k) + ")");
    },
    "window-open-vendor": function (k) {
      // Into a named frame of the page (a top-level popup would also fetch the vendor's
      // favicon, a hit no run id can attribute).
      window.open(U(k), sink(k));
    },
    // ---- fresh realms (issue 12): a same-origin child window's own APIs
    "realm-iframe-cookie": function (k) {
      realm().document.cookie = adnValue(k);
    },
    "realm-frames-index-cookie": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<iframe title="realm"></iframe>'; // no URL: the HTML setter's fast path
      window.frames[window.frames.length - 1].document.cookie = adnValue(k);
    },
    "realm-cookie-setter-on-top": function (k) {
      var desc = Object.getOwnPropertyDescriptor(realm().Document.prototype, "cookie");
      desc.set.call(document, adnValue(k));
    },
    "realm-cookieStore-proto-on-top": function (k) {
      var cw = realm();
      if (!cw.CookieStore) throw new Error("no CookieStore in this browser");
      return cw.CookieStore.prototype.set.call(window.cookieStore, { name: "_adn", value: k + Math.random().toString(36).slice(2), path: "/", expires: Date.now() + TWO_YEARS_S * 1000 });
    },
    "realm-srcdoc-cookie": function (k) {
      srcdoc('<script src="/__test/realm-child.js?do=cookie&k=' + k + '"></scr' + "ipt>");
    },
    // A frame that navigates a second time gets a new realm; the page reaches it through
    // window[i] (no getter) in the frame's own load handler.
    "realm-renavigated-cookie": function (k) {
      var f = document.createElement("iframe");
      f.title = "realm";
      f.width = f.height = 1;
      f.src = "/__test/blank.html?first";
      host().appendChild(f);
      return new Promise(function (ok) {
        f.onload = function () {
          f.onload = function () {
            window[window.length - 1].document.cookie = adnValue(k);
            ok();
          };
          f.setAttribute("src", "/__test/blank.html?second");
        };
      });
    },
    // An iframe without src fires its load event inside the insertion itself.
    "realm-sync-onload-cookie": function (k) {
      var f = document.createElement("iframe");
      f.title = "realm";
      f.width = f.height = 1;
      f.onload = function () {
        window[window.length - 1].document.cookie = adnValue(k);
      };
      host().appendChild(f);
    },
    "realm-fetch": function (k) {
      return realm().fetch(U(k)).then(function (r) {
        return r.text();
      });
    },
    "realm-xhr": function (k) {
      var x = new (realm().XMLHttpRequest)();
      x.open("GET", U(k));
      x.send();
    },
    "realm-sendBeacon": function (k) {
      var queued = realm().navigator.sendBeacon(U(k), "beacon");
      out.done.push(k + ":sendBeacon=" + queued);
    },
    "realm-script-in-child-document": function (k) {
      var cw = realm();
      var s = cw.document.createElement("script");
      s.src = U(k);
      cw.document.body.appendChild(s);
    },
    "realm-srcdoc-script-src": function (k) {
      srcdoc('<script src="' + U(k) + '"></scr' + "ipt>");
    },
    "realm-srcdoc-entity-encoded": function (k) {
      srcdoc('<script src="' + U(k).replace("://", "&#58;//") + '"></scr' + "ipt>");
    },
    "realm-srcdoc-script-fetch": function (k) {
      srcdoc('<script src="/__test/realm-child.js?do=fetch&url=' + encodeURIComponent(U(k)) + '"></scr' + "ipt>");
    },
    "realm-open-blank-fetch": function (k) {
      var w2 = window.open("about:blank", "_blank", "width=50,height=50");
      if (!w2) throw new Error("the popup was refused");
      window.__popups = (window.__popups || []).concat(w2);
      return w2.fetch(U(k)).then(function (r) {
        return r.text();
      });
    },
    // ---- <script> inserted by DOM methods
    "script-createElement-appendChild": function (k) {
      document.head.appendChild(script(k));
    },
    "script-setAttribute-insertBefore": function (k) {
      var s = document.createElement("script");
      s.setAttribute("src", U(k));
      var parent = host();
      parent.insertBefore(s, parent.firstChild);
    },
    "script-append": function (k) {
      host().append(script(k));
    },
    "script-prepend": function (k) {
      host().prepend(script(k));
    },
    "script-replaceWith": function (k) {
      placeholder().replaceWith(script(k));
    },
    "script-replaceChild": function (k) {
      var ph = placeholder();
      ph.parentNode.replaceChild(script(k), ph);
    },
    "script-before": function (k) {
      placeholder().before(script(k));
    },
    "script-after": function (k) {
      placeholder().after(script(k));
    },
    // ---- HTML strings
    "innerHTML-img": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<img alt="" width="1" height="1" src="' + U(k) + '">';
    },
    "innerHTML-iframe": function (k) {
      var d = document.createElement("div");
      host().appendChild(d);
      d.innerHTML = '<iframe title="pub" width="300" height="150" src="' + U(k) + '"></iframe>';
    },
    "outerHTML-img": function (k) {
      placeholder().outerHTML = '<img alt="" width="1" height="1" src="' + U(k) + '">';
    },
    "insertAdjacentHTML-img": function (k) {
      host().insertAdjacentHTML("beforeend", '<img alt="" width="1" height="1" src="' + U(k) + '">');
    },
    "document-write-script": function (k) {
      if (k !== "load") throw new Error("document.write only while the document is parsed");
      document.write('<script src="' + U(k) + '"></scr' + "ipt>");
    },
    // ---- images
    "new-Image": function (k) {
      new Image().src = U(k);
    },
    "img-setAttribute-detached": function (k) {
      document.createElement("img").setAttribute("src", U(k));
    },
    "img-srcset": function (k) {
      var img = document.createElement("img");
      img.alt = "";
      img.srcset = U(k) + " 1x";
      host().appendChild(img);
    },
    "picture-source-srcset": function (k) {
      var pic = document.createElement("picture");
      var src = document.createElement("source");
      src.srcset = U(k);
      var img = document.createElement("img");
      img.alt = "";
      pic.appendChild(src);
      pic.appendChild(img);
      host().appendChild(pic);
    },
    // ---- frames, embeds, links, media
    "iframe-createElement": function (k) {
      var f = document.createElement("iframe");
      f.title = "pub";
      f.src = U(k);
      host().appendChild(f);
    },
    "embed-src": function (k) {
      var e = document.createElement("embed");
      e.type = "text/html";
      e.src = U(k);
      host().appendChild(e);
    },
    "object-data": function (k) {
      var o = document.createElement("object");
      o.type = "text/html";
      o.data = U(k);
      host().appendChild(o);
    },
    "link-stylesheet": function (k) {
      var l = document.createElement("link");
      l.rel = "stylesheet";
      l.href = U(k);
      document.head.appendChild(l);
    },
    "link-preload": function (k) {
      var l = document.createElement("link");
      l.rel = "preload";
      l.as = "image";
      l.href = U(k);
      document.head.appendChild(l);
    },
    "link-prefetch": function (k) {
      var l = document.createElement("link");
      l.rel = "prefetch";
      l.href = U(k);
      document.head.appendChild(l);
    },
    "video-source-src": function (k) {
      var v = document.createElement("video");
      v.preload = "auto";
      v.muted = true;
      var s = document.createElement("source");
      s.src = U(k);
      v.appendChild(s);
      host().appendChild(v);
    },
    "video-poster": function (k) {
      var v = document.createElement("video");
      v.poster = U(k);
      v.width = 32;
      v.height = 32;
      host().appendChild(v);
    },
    // ---- network APIs
    fetch: function (k) {
      return fetch(U(k)).then(function (r) {
        return r.text();
      });
    },
    // The loader reads a Request's own URL (a brand check) and any other argument as a
    // string: both shapes, besides the plain string above.
    "fetch-request": function (k) {
      return fetch(new Request(U(k))).then(function (r) {
        return r.text();
      });
    },
    "fetch-url": function (k) {
      return fetch(new URL(U(k))).then(function (r) {
        return r.text();
      });
    },
    xhr: function (k) {
      var x = new XMLHttpRequest();
      x.open("GET", U(k));
      x.send();
    },
    sendBeacon: function (k) {
      var queued = navigator.sendBeacon(U(k), "beacon");
      out.done.push(k + ":sendBeacon=" + queued);
    },
    websocket: function (k) {
      var ws = new WebSocket(WS + "/t/" + T + "?r=" + encodeURIComponent(R) + "&k=" + k);
      window.__sockets = (window.__sockets || []).concat(ws);
      ws.onerror = function () {};
    },
    eventsource: function (k) {
      var es = new EventSource(U(k));
      window.__sources = (window.__sources || []).concat(es);
      es.onerror = function () {};
    },
    // ---- parsers
    "createContextualFragment-script": function (k) {
      var range = document.createRange();
      range.selectNode(host());
      var frag = range.createContextualFragment('<script src="' + U(k) + '"></scr' + "ipt>");
      host().appendChild(frag);
    },
    "DOMParser-importNode-img": function (k) {
      var doc = new DOMParser().parseFromString('<img alt="" src="' + U(k) + '">', "text/html");
      var img = document.importNode(doc.body.firstChild, true);
      host().appendChild(img);
    },
    "DOMParser-adoptNode-img": function (k) {
      var doc = new DOMParser().parseFromString('<img alt="" src="' + U(k) + '">', "text/html");
      var img = document.adoptNode(doc.body.firstChild);
      host().appendChild(img);
    },
    // ---- a tag manager: an allowed same-origin script that injects the tracker
    "tag-manager": function (k) {
      var s = document.createElement("script");
      s.src = "/__test/tagmanager.js?r=" + encodeURIComponent(R) + "&k=" + k;
      document.head.appendChild(s);
    },
    // ---- cookies
    "document.cookie-write": function (k) {
      document.cookie = "_adn=" + k + Math.random().toString(36).slice(2) + "; max-age=" + TWO_YEARS_S + "; path=/";
      out.reads.push({ k: k, after_write_visible: hasAdn(document.cookie) });
    },
    "cookieStore-set": function (k) {
      if (!window.cookieStore) throw new Error("no cookieStore in this browser");
      return window.cookieStore
        .set({ name: "_adn", value: k + Math.random().toString(36).slice(2), path: "/", expires: Date.now() + TWO_YEARS_S * 1000 })
        .then(function () {
          out.done.push(k + ":set");
        });
    },
    "document.cookie-read-seeded": function (k) {
      var c = document.cookie;
      var m = /(?:^|;\s*)_adn=([^;]*)/.exec(c || "");
      out.reads.push({ k: k, revealed: !!m, value: m ? m[1] : null });
    },
    "cookieStore-get-seeded": function (k) {
      if (!window.cookieStore) throw new Error("no cookieStore in this browser");
      return Promise.all([window.cookieStore.get("_adn"), window.cookieStore.getAll()]).then(function (res) {
        var one = res[0];
        var all = (res[1] || []).filter(function (c) {
          return c && c.name === "_adn";
        });
        var value = one ? one.value : all.length ? all[0].value : null;
        out.reads.push({ k: k, revealed: !!(one || all.length), value: value });
      });
    },
  };

  function perform(k) {
    var f = techniques[T];
    out.runs.push(k);
    if (!f) {
      out.errors.push(k + ": unknown technique " + JSON.stringify(T));
      return;
    }
    try {
      var res = f(k);
      if (res && typeof res.then === "function") {
        res.then(
          function () {
            out.done.push(k);
          },
          function (e) {
            out.errors.push(k + ": " + ((e && e.message) || e));
          },
        );
      } else {
        out.done.push(k);
      }
    } catch (e) {
      out.errors.push(k + ": " + ((e && e.message) || e));
    }
  }
  window.__perform = perform;
  window.__techniques = Object.keys(techniques);

  if (T === "document-write-script") {
    perform("load"); // while the document is parsed, from this external script
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      perform("load");
    });
  } else {
    perform("load");
  }
})();
