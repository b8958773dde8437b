/* Runs inside a srcdoc iframe (a same-origin child realm) for the firewall catalogue's
 * realm techniques: ?do=cookie writes the advertising cookie _adn (value starting with
 * ?k=) from the child's own document.cookie; ?do=fetch calls the child's own fetch on
 * ?url=. An external script, since the test pages' CSP refuses inline ones (a srcdoc
 * document inherits it). */
(function () {
  "use strict";
  var q = new URL(document.currentScript.src).searchParams;
  var k = q.get("k") || "";
  if (q.get("do") === "cookie") {
    document.cookie = "_adn=" + k + Math.random().toString(36).slice(2) + "; max-age=63072000; path=/";
  } else {
    fetch(q.get("url")).catch(function () {});
  }
})();
