// Untagged requests that a script of the demo site makes where no hook of the page can
// follow them (README, "Known limits"): a worker of the site, a blob: worker, a dynamic
// import() of a partner's module, a child frame sent to the partner through its
// location. Only the server's header stops them (tests/e2e/csp-layer.test.mjs).
(function () {
  new Worker("/demo/travailleur.js");
  var code = 'fetch("http://127.0.0.1:8082/t/blob-worker.gif", { mode: "no-cors" }).catch(function () {});';
  new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  import("http://127.0.0.1:8082/t/import.js").catch(function () {});
  var f = document.createElement("iframe");
  f.title = "Cadre envoyé au partenaire";
  f.width = f.height = 1;
  document.body.appendChild(f);
  f.contentWindow.location = "http://127.0.0.1:8082/t/frame-location";
})();
