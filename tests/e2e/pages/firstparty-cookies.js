/* The site's own (non-tracker) cookies, written on every visit: fp_pref for 5 years
 * (Max-Age), fp_session without expiry (a session cookie). */
(function () {
  "use strict";
  window.__fpRuns = (window.__fpRuns || 0) + 1;
  document.cookie = "fp_pref=theme-" + Date.now().toString(36) + "; max-age=" + 5 * 365 * 86400 + "; path=/; samesite=lax";
  document.cookie = "fp_session=s" + Date.now().toString(36) + "; path=/; samesite=lax";
})();
