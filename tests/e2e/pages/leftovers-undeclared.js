/* Plays the advertising vendor (PubNet) writing under names the config does NOT declare,
 * served from the vendor's own origin (127.0.0.1:8082/pages/…, see scripts/serve.mjs) so
 * that its frames are on the call stack of each write: a localStorage and a
 * sessionStorage key, an IndexedDB database and a cache, one of them from a timer
 * callback. Then it keeps rewriting its localStorage key every 300 ms, as a vendor still
 * running after a withdrawal would. window.__vendor2.done resolves when all exist. */
(function () {
  "use strict";
  localStorage.setItem("pn_uid", "u-" + Math.random().toString(36).slice(2));
  sessionStorage.setItem("pn_s", "s1");
  var later = new Promise(function (ok) {
    setTimeout(function () {
      localStorage.setItem("pn_later", "t1");
      ok();
    }, 50);
  });
  var db = new Promise(function (ok, ko) {
    var req = indexedDB.open("pn-undeclared-db", 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore("ids");
    };
    req.onsuccess = function () {
      req.result.close();
      ok();
    };
    req.onerror = function () {
      ko(req.error);
    };
  });
  var cache = caches.open("pn-undeclared-cache").then(function (c) {
    return c.put("/__test/cached-by-pn", new Response("tracking"));
  });
  window.__vendor2 = { done: Promise.all([later, db, cache]).then(function () { return true; }), rewrites: 0, refused: 0 };
  setInterval(function () {
    try {
      localStorage.setItem("pn_uid", "again-" + Date.now());
      window.__vendor2.rewrites++;
    } catch (e) {
      window.__vendor2.refused++;
    }
  }, 300);
})();
