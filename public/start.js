// The shells' start-up script, inlined in each (`{{start}}` in index.html and console.html)
// by `cargo xtask build` with `{{entry}}` its entry's name: a Chinese page where WebAssembly is
// missing or the code fails to load, the skeleton lifted when the app paints, and the
// entry's code fetched once the first frame is on screen.
(function () {
  var v = "/assets/{{version}}/";
  function page(title, text, retry) {
    var s = document.getElementById("skeleton");
    if (!s) { s = document.createElement("div"); s.id = "skeleton"; document.body.insertBefore(s, document.body.firstChild); }
    s.removeAttribute("aria-hidden");
    s.innerHTML = '<div class="sk-msg"><h1>' + title + '</h1><p>' + text + '</p>' +
      (retry ? '<p><a href="">重新加载</a></p>' : '') + '</div>';
    // No inline handler: the Content-Security-Policy allows this script by its hash alone.
    var again = s.querySelector("a");
    if (again) again.addEventListener("click", function (e) { e.preventDefault(); location.reload(); });
  }
  var ok = false;
  try {
    ok = typeof WebAssembly === "object" && WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) { ok = false; }
  if (!ok) {
    page("当前微信或浏览器版本过低", "请升级微信或浏览器到最新版本后再打开", false);
    return;
  }
  // The skeleton stays until the app has painted the page's own <main> (and, where the
  // skeleton shows the page's data, until that <main> is no longer aria-busy), and goes in
  // that very frame: no blank screen while a page's chunk (or who is signed in) loads, and
  // nothing moves.
  var app = document.getElementById("app");
  new MutationObserver(function (_, seen) {
    var main = app.querySelector("main");
    if (!main || main.getAttribute("aria-busy") === "true") return;
    var s = document.getElementById("skeleton");
    if (s) s.remove();
    seen.disconnect();
  }).observe(app, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-busy"] });
  window.__chelinkFail = function () { page("页面加载失败", "请检查网络后重试", true); };
  // Paint first: the code and the page's data start downloading once the first frame (the
  // skeleton) is on screen, so on a slow link they never compete with what it needs.
  var started = false;
  function start() {
    if (started) return;
    started = true;
    var later = document.getElementById("after-paint");
    if (later) document.head.appendChild(later.content);
    // A module imported, not an inline one written: the CSP allows only our own files.
    import(v + "{{entry}}/{{entry}}.js").then(function (app) {
      return app.default({ module_or_path: v + "{{entry}}/{{entry}}_bg.wasm" });
    }).catch(function () { window.__chelinkFail(); });
  }
  requestAnimationFrame(function () { setTimeout(start, 0); });
  // A page opened in the background paints no frame until it is shown.
  setTimeout(start, 1000);
})();
