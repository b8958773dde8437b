// An untagged script of the demo site: a CSS rule added through the CSSOM (a constructed
// style sheet) paints an element with an image of the ad partner. No script can hold it
// (the in-page layer does not see style sheets' rules); the server's header stops it.
(function () {
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(".pub-cssom{background-image:url(http://127.0.0.1:8082/t/cssom.gif);width:120px;height:24px;border:1px solid #999}");
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
})();
