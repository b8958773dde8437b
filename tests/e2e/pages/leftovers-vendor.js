/* Plays the advertising vendor (PubNet, 127.0.0.1:8082 in the files) once its purpose is
 * granted: writes a localStorage and a sessionStorage key, an IndexedDB database and a
 * Cache API cache, all under its declared storage_keys (tests/e2e/pages/leftovers.json),
 * and inserts its own cookie-sync iframe and pixel. window.__vendor.done resolves when
 * all of it exists. */
(function () {
  "use strict";
  var ADS = "http://127.0.0.1:8082";
  localStorage.setItem("pubnet:uid", "u-" + Math.random().toString(36).slice(2));
  sessionStorage.setItem("pubnet:session", "s1");
  var frame = document.createElement("iframe");
  frame.title = "PubNet sync";
  frame.width = frame.height = 1;
  frame.src = ADS + "/t/cookie-sync?r=leftovers";
  document.body.appendChild(frame);
  var host = document.getElementById("host");
  var shadow = host.attachShadow({ mode: "open" });
  var px = document.createElement("img");
  px.alt = "";
  px.src = ADS + "/t/shadow-pixel?r=leftovers";
  shadow.appendChild(px);
  var db = new Promise(function (ok, ko) {
    var req = indexedDB.open("pubnet-db", 1);
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
  var cache = caches.open("pubnet-cache").then(function (c) {
    return c.put("/__test/cached-by-pubnet", new Response("tracking"));
  });
  window.__vendor = { done: Promise.all([db, cache]).then(function () { return true; }) };
})();
