/* The benchmark's work, identical with and without Accord: insert 10,000 elements, write
 * 1,000 cookies, make 1,000 same-origin fetches; timed in the page with performance.now().
 * Starts once the page has settled: after accord:ready with Accord (the banner is up, the
 * firewall decides), after load without; then 200 ms of idle time in both.
 * Result: window.__bench = { total, elements, cookies, fetches } (ms) or { error }. */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var N_EL = Number(q.get("elements") || 10000);
  var N_CK = Number(q.get("cookies") || 1000);
  var N_F = Number(q.get("fetches") || 1000);
  var BATCH = 50;
  var withAccord = document.documentElement.getAttribute("data-variant") === "with";
  var PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

  function insertElements(host) {
    // Per 100 elements: 60 div (appendChild), 10 span (insertBefore), 10 a (append),
    // 10 img with a data: URL (appendChild), 10 p through insertAdjacentHTML.
    var n = 0;
    while (n < N_EL) {
      var box = document.createElement("section");
      host.appendChild(box);
      n++;
      for (var i = 0; i < 59 && n < N_EL; i++, n++) {
        var d = document.createElement("div");
        d.textContent = "ligne " + n;
        box.appendChild(d);
      }
      for (i = 0; i < 10 && n < N_EL; i++, n++) {
        var s = document.createElement("span");
        s.textContent = "s" + n;
        box.insertBefore(s, box.firstChild);
      }
      for (i = 0; i < 10 && n < N_EL; i++, n++) {
        var a = document.createElement("a");
        a.href = "/__bench/ping.json?a=" + n;
        a.textContent = "lien " + n;
        box.append(a);
      }
      for (i = 0; i < 10 && n < N_EL; i++, n++) {
        var img = document.createElement("img");
        img.alt = "";
        img.src = PIXEL;
        box.appendChild(img);
      }
      if (n < N_EL) {
        var k = Math.min(10, N_EL - n);
        var html = "";
        for (i = 0; i < k; i++) html += "<p>paragraphe " + (n + i) + "</p>";
        box.insertAdjacentHTML("beforeend", html);
        n += k;
      }
    }
  }
  function writeCookies() {
    for (var i = 0; i < N_CK; i++) document.cookie = "bench_" + i + "=v" + i + "; max-age=31536000; path=/; samesite=lax";
  }
  function fetches() {
    var b = 0;
    function next() {
      if (b >= N_F) return Promise.resolve();
      var batch = [];
      for (var j = 0; j < BATCH && b < N_F; j++, b++) {
        batch.push(
          fetch("/__bench/ping.json?i=" + b, { cache: "no-store" }).then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.text();
          }),
        );
      }
      return Promise.all(batch).then(next);
    }
    return next();
  }
  function run() {
    var host = document.getElementById("host");
    var t0 = performance.now();
    insertElements(host);
    var t1 = performance.now();
    writeCookies();
    var t2 = performance.now();
    fetches().then(
      function () {
        var t3 = performance.now();
        window.__bench = { total: t3 - t0, elements: t1 - t0, cookies: t2 - t1, fetches: t3 - t2, started: t0 };
      },
      function (e) {
        window.__bench = { error: "fetch failed: " + ((e && e.message) || e) };
      },
    );
  }
  function settle() {
    setTimeout(run, 200);
  }
  if (withAccord) {
    document.addEventListener("accord:ready", settle, { once: true });
    document.addEventListener("accord:error", function (e) {
      window.__bench = { error: "accord:error " + JSON.stringify(e.detail) };
    });
  } else {
    window.addEventListener("load", settle, { once: true });
  }
})();
