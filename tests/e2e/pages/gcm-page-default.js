// A site script that gets Consent Mode wrong (Google Consent Mode v2 test): a new
// window.dataLayer whose first command is its own `consent default` granting all four
// signals, then its gtag calls.
(function () {
  window.dataLayer = [];
  Object.defineProperty(window.dataLayer, "__pageArray", { value: true });
  function gtag() { dataLayer.push(arguments); }
  window.gtag = gtag;
  gtag("consent", "default", { ad_storage: "granted", analytics_storage: "granted", ad_user_data: "granted", ad_personalization: "granted" });
  gtag("js", new Date());
  gtag("config", "G-TEST");
})();
