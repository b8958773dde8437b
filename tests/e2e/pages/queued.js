// Runs right after the loader, long before the module is ready (SPEC §9: calls made
// before the module is ready are queued and replayed).
(function () {
  "use strict";
  var out = (window.__queued = { early: Accord.consent(), readyCalls: 0, changes: [] });
  Accord.on("ready", function () { out.readyCalls++; });
  Accord.on("change", function (c) { out.changes.push(c.purposes); });
  Accord.set({ video: true });
  Accord.set({ advertising: true });
})();
