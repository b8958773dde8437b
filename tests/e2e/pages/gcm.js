// The site's gtag snippet (Google Consent Mode v2 test): runs right after the loader, so
// the loader's `consent default` must already be in the dataLayer it reads.
(function () {
  window.__dlAtStart = (window.dataLayer || []).map(function (a) { return Array.prototype.slice.call(a); });
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  window.gtag = gtag;
  gtag("js", new Date());
  gtag("config", "G-TEST");
  window.__dlAtConfig = dataLayer.length;
})();
