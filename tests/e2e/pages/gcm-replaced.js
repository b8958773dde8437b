// A careless site script (Google Consent Mode v2 test): replaces window.dataLayer with a new
// array, losing the loader's `consent default`, then makes its gtag calls on the new array.
(function () {
  window.dataLayer = [{ event: "x" }];
  Object.defineProperty(window.dataLayer, "__pageArray", { value: true });
  function gtag() { dataLayer.push(arguments); }
  window.gtag = gtag;
  gtag("js", new Date());
  gtag("config", "G-TEST");
  window.__dlAtConfig = dataLayer.length;
})();
