/* Keeps trying, every 500 ms from load, several ways to reach the trackers (advertising,
 * audience, video) and to write their cookies. ?r= tags every URL with the test's run id.
 * window.__repeat counts the rounds and the errors the page saw. */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var R = encodeURIComponent(q.get("r") || "");
  var ADS = "http://127.0.0.1:8082", AUD = "http://127.0.0.1:8081", VID = "http://127.0.0.1:8083";
  var st = (window.__repeat = { rounds: 0, errors: 0, lastError: null });
  function u(origin, name) {
    return origin + "/t/" + name + "?r=" + R + "&n=" + st.rounds;
  }
  function attempt(f) {
    try {
      var p = f();
      if (p && typeof p.then === "function") p.then(null, function () {});
    } catch (e) {
      st.errors++;
      st.lastError = String((e && e.message) || e);
    }
  }
  function host() {
    return document.getElementById("host") || document.body || document.documentElement;
  }
  function round() {
    st.rounds++;
    attempt(function () {
      var s = document.createElement("script");
      s.src = u(ADS, "fc-script");
      (document.head || document.documentElement).appendChild(s);
    });
    attempt(function () {
      new Image().src = u(ADS, "fc-image");
    });
    attempt(function () {
      return fetch(u(ADS, "fc-fetch"));
    });
    attempt(function () {
      var x = new XMLHttpRequest();
      x.open("GET", u(AUD, "fc-xhr"));
      x.onerror = function () {};
      x.send();
    });
    attempt(function () {
      navigator.sendBeacon(u(ADS, "fc-beacon"), "x");
    });
    attempt(function () {
      var f = document.createElement("iframe");
      f.title = "vidéo";
      f.src = u(VID, "fc-iframe");
      host().appendChild(f);
      if (host().childNodes.length > 20) host().removeChild(host().firstChild);
    });
    attempt(function () {
      host().insertAdjacentHTML("beforeend", '<img alt="" src="' + u(AUD, "fc-html-img") + '">');
    });
    attempt(function () {
      document.cookie = "_adn=fc" + st.rounds + "; max-age=63072000; path=/";
      document.cookie = "_aud_id=fc" + st.rounds + "; max-age=63072000; path=/";
    });
  }
  round();
  setInterval(round, 500);
})();
