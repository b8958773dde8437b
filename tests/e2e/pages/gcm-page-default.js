// A site script that gets Consent Mode wrong (Google Consent Mode v2 test): a new
// window.dataLayer whose first command is a `consent default` of its own, then its gtag
// calls. ?v= picks the default:
//   granting (none given): all four signals granted;
//   partial: a Consent Mode v1 leftover, denying only ad_storage and analytics_storage;
//   region: all four denied, but for region US only;
//   array: all four denied, but pushed as a plain array (gtag ignores it).
(function () {
  var v = new URLSearchParams(location.search).get("v") || "granting";
  window.dataLayer = [];
  Object.defineProperty(window.dataLayer, "__pageArray", { value: true });
  function gtag() { dataLayer.push(arguments); }
  window.gtag = gtag;
  var D = "denied";
  if (v === "granting") gtag("consent", "default", { ad_storage: "granted", analytics_storage: "granted", ad_user_data: "granted", ad_personalization: "granted" });
  if (v === "partial") gtag("consent", "default", { ad_storage: D, analytics_storage: D });
  if (v === "region") gtag("consent", "default", { ad_storage: D, analytics_storage: D, ad_user_data: D, ad_personalization: D, region: ["US"] });
  if (v === "array") dataLayer.push(["consent", "default", { ad_storage: D, analytics_storage: D, ad_user_data: D, ad_personalization: D }]);
  gtag("js", new Date());
  gtag("config", "G-TEST");
})();
