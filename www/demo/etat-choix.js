// Demo privacy page: shows the visitor's current choices, live, from the public API
// (Accord.consent(), the "ready" and "change" events). Plain text only.
(function () {
  var LABELS = { necessary: "Nécessaires au site", audience: "Mesure d'audience", advertising: "Publicité personnalisée", video: "Vidéos intégrées" };
  function state(id, c) {
    if (id === "necessary") return "Toujours actifs";
    if ((c.objections || []).indexOf(id) >= 0) return "Vous vous y êtes opposé";
    if (id === "audience") return c.purposes[id] ? "Active (exemptée de consentement)" : "Désactivée";
    if (!c.decided) return "Pas encore choisi : rien n'est déposé";
    return c.purposes[id] ? "Accepté" : "Refusé";
  }
  function show(c) {
    var table = document.getElementById("etat-choix");
    if (!table || !c || !c.purposes) return;
    var body = document.createElement("tbody");
    Object.keys(c.purposes).forEach(function (id) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = LABELS[id] || id;
      var td = document.createElement("td");
      td.textContent = state(id, c);
      tr.append(th, td);
      body.append(tr);
    });
    table.tBodies[0].replaceWith(body);
    var date = document.getElementById("etat-choix-date");
    if (date) date.textContent = c.decided ? "Choix enregistré le " + new Date(c.decided_at).toLocaleString("fr-FR") + " (identifiant " + c.record_id + ")." : "";
  }
  window.Accord.on("ready", show);
  window.Accord.on("change", show);
})();
