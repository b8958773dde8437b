// A page script of tests/e2e/pages/late.html: an advertising pixel inserted at once (held,
// then dropped when the loader fails closed at 10 s), and one on demand (window.insertPixel).
(function () {
  function pixel(r) {
    var img = new Image();
    img.src = "http://127.0.0.1:8082/pixel.gif?r=" + r;
    (document.body || document.documentElement).append(img);
  }
  pixel("late-early");
  window.insertPixel = pixel;
})();
