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

  var techniques = {
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
