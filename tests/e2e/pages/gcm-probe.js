// A tagged advertising script (Google Consent Mode v2 test): records the consent commands
// in the dataLayer at the moment it runs, i.e. what a Google tag released with it would read.
(function () {
  window.__probeRuns = (window.__probeRuns || 0) + 1;
  window.__dlAtProbe = (window.dataLayer || [])
    .filter(function (a) { return Object.prototype.toString.call(a) === "[object Arguments]" && a[0] === "consent"; })
    .map(function (a) { return Array.prototype.slice.call(a); });
})();
