/* Reaches the undeclared origin (127.0.0.1:8084) with a pixel and a fetch, at load and
 * whenever the test calls window.__perform("again"). ?r= tags the URLs with the run id. */
(function () {
  "use strict";
  var R = encodeURIComponent(new URLSearchParams(location.search).get("r") || "");
  var UNK = "http://127.0.0.1:8084";
  var out = (window.__unknown = { runs: [], errors: [] });
  function perform(k) {
    out.runs.push(k);
    try {
      new Image().src = UNK + "/t/unknown-img?r=" + R + "&k=" + k;
    } catch (e) {
      out.errors.push(k + " img: " + e.message);
    }
    try {
      fetch(UNK + "/t/unknown-fetch?r=" + R + "&k=" + k).then(null, function () {});
    } catch (e) {
      out.errors.push(k + " fetch: " + e.message);
    }
  }
  window.__perform = perform;
  document.addEventListener("DOMContentLoaded", function () {
    perform("load");
  });
})();
