/*! Accord loader. First script of the page, synchronous. It creates window.Accord
 * (calls are queued until the module is ready), starts loading the config, the styles
 * and the WebAssembly module in parallel, and reports its own failures. It holds no
 * policy: every allow/hold decision is made by the Rust module. If the module or the
 * config never arrives, tagged trackers stay inert (type="text/plain", data-src). */
(function (w, d) {
  "use strict";
  if (w.Accord && w.Accord._boot) return;
  var me = d.currentScript;
  var base = me && me.src ? me.src.replace(/[^/]*([?#].*)?$/, "") : "/accord/";
  var queue = [];
  var last = {};

  function emit(name, detail) {
    d.dispatchEvent(new CustomEvent("accord:" + name, { detail: detail }));
  }
  function fail(code, message) {
    var detail = { code: code, message: message };
    console.error("Accord " + code + ": " + message);
    emit("error", detail);
    return { error: detail };
  }
  d.addEventListener("accord:ready", function (e) { last.ready = e.detail; });
  d.addEventListener("accord:error", function (e) { last.error = e.detail; });

  function later(name) {
    return function () { queue.push([name, Array.prototype.slice.call(arguments)]); };
  }
  var pending = { decided: false, pending: true, purposes: {}, decided_at: null,
                  expires_at: null, policy_version: null, record_id: null };

  function readInline() {
    var el = d.getElementById("accord-config");
    if (el) {
      try { return { config: JSON.parse(el.textContent) }; }
      catch (e) { return fail("ACCORD_CONFIG_SYNTAX", "inline #accord-config is not valid JSON: " + e.message); }
    }
    if (d.readyState === "loading") {
      return new Promise(function (ok) {
        d.addEventListener("DOMContentLoaded", function () { ok(readInline()); });
      });
    }
    return fail("ACCORD_CONFIG_MISSING", "no data-config on the accord.js script and no #accord-config element");
  }
  var src = me && me.getAttribute("data-config");
  var config = src
    ? fetch(src, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) return fail("ACCORD_CONFIG_UNREACHABLE", src + " answered HTTP " + r.status);
        return r.text().then(function (t) {
          try { return { config: JSON.parse(t) }; }
          catch (e) { return fail("ACCORD_CONFIG_SYNTAX", src + " is not valid JSON: " + e.message); }
        });
      }, function (e) { return fail("ACCORD_CONFIG_UNREACHABLE", src + " could not be loaded: " + e.message); })
    : Promise.resolve().then(readInline);

  var link = d.createElement("link");
  link.rel = "stylesheet";
  link.href = base + "accord.css";
  var css = new Promise(function (ok) { link.onload = link.onerror = ok; });
  (d.head || d.documentElement).appendChild(link);

  var A = w.Accord = {
    consent: function () { return pending; },
    audit: function () { return { pending: true }; },
    open: later("open"),
    acceptAll: later("acceptAll"),
    refuseAll: later("refuseAll"),
    set: later("set"),
    withdraw: later("withdraw"),
    on: function (name, cb) {
      if (typeof cb !== "function") return;
      d.addEventListener("accord:" + name, function (e) { cb(e.detail); });
      if (last[name] && name !== "change") cb(last[name]);
    }
  };
  Object.defineProperty(A, "_boot", {
    value: { queue: queue, config: config, css: css, base: base, fail: fail }
  });

  import(base + "accord_widget.js")
    .then(function (m) { return m.default({ module_or_path: base + "accord_widget_bg.wasm" }); })
    .catch(function (e) {
      fail("ACCORD_MODULE_UNAVAILABLE", "the Accord module did not load (" + e.message + "); trackers stay blocked");
    });
})(window, document);
