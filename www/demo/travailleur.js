// A worker of the demo site (www/demo/non-balises.js starts it) that calls the ad partner:
// a worker has no document, so no hook of the page follows it; its own response's
// Content-Security-Policy (accordctl nginx sends it on worker scripts too) does.
fetch("http://127.0.0.1:8082/t/worker.gif", { mode: "no-cors" }).catch(function () {});
