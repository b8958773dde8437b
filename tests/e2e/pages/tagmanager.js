/* A "tag manager": an allowed same-origin script that injects an untagged tracker script,
 * which in turn writes a 2-year cookie (_adn) and fires a pixel (/t/tag-manager-pixel). */
(function () {
  "use strict";
  var me = document.currentScript;
  var q = new URL(me.src).searchParams;
  var r = q.get("r") || "";
  var k = q.get("k") || "";
  window.__tagManagerRuns = (window.__tagManagerRuns || 0) + 1;
  var s = document.createElement("script");
  s.async = true;
  s.src = "http://127.0.0.1:8082/t/tag-manager?r=" + encodeURIComponent(r) + "&k=" + encodeURIComponent(k) +
    "&pixel=" + encodeURIComponent("/t/tag-manager-pixel?k=" + k);
  var first = document.getElementsByTagName("script")[0];
  first.parentNode.insertBefore(s, first);
})();
