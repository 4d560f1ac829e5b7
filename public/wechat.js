// Share cards inside WeChat. The shell imports this module once the page has loaded, and only
// when the user agent says MicroMessenger, so no first load pays for it. On every page (and
// every in-app navigation) it asks the server to sign wx.config
// (GET /api/v1/dealers/{dealer}/wechat/js-config): iOS checks the signature against the URL
// the visitor landed on, Android against the current one. The answer names the JS-SDK script
// to load (server setting CHELINK_WECHAT_JS) and the page's share card. The link shared is the
// viewer's own short link (POST /api/v1/dealers/{dealer}/links) or, when there is none, the
// plain page URL. Anything failing (WeChat down, no settings) leaves WeChat's own sharing of
// the plain page.
const landing = location.href.split("#")[0];
const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
const dealer = location.pathname.split("/")[1] || "";
const api = "/api/v1/dealers/" + encodeURIComponent(dealer);
let sdk = null;

function loadSdk(src) {
  if (window.wx) return Promise.resolve();
  if (!sdk) {
    sdk = new Promise(function (loaded, failed) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = loaded;
      script.onerror = function (e) { sdk = null; failed(e); };
      document.head.appendChild(script);
    });
  }
  return sdk;
}

// The page without the ch= tag it was opened with: a friend's visit comes from the sharer.
function withoutChannel(page) {
  const [path, query] = page.split("?");
  const kept = (query || "").split("&").filter(function (p) { return p && !p.startsWith("ch="); });
  return kept.length ? path + "?" + kept.join("&") : path;
}

async function json(request) {
  try {
    const response = await request;
    return response.ok ? await response.json() : null;
  } catch (e) {
    return null;
  }
}

async function share(page) {
  const url = ios ? landing : location.href.split("#")[0];
  const config = await json(fetch(api + "/wechat/js-config?url=" + encodeURIComponent(url) +
    "&page=" + encodeURIComponent(page)));
  if (!config) return;
  try {
    await loadSdk(config.script);
  } catch (e) {
    return;
  }
  const target = withoutChannel(page);
  const made = await json(fetch(api + "/links", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ target: target, channel: "chat" }),
  }));
  const link = location.origin +
    (made && typeof made.path === "string" && made.path.startsWith("/s/") ? made.path : target);
  // Another navigation came first: its own call sets the card.
  if (page !== location.pathname + location.search) return;
  wx.config({
    debug: false,
    appId: config.app_id,
    timestamp: config.timestamp,
    nonceStr: config.nonce_str,
    signature: config.signature,
    jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"],
  });
  wx.ready(function () {
    const card = { title: config.share.title, desc: config.share.description, link: link,
      imgUrl: config.share.image };
    wx.updateAppMessageShareData(card);
    wx.updateTimelineShareData(card);
  });
}

// The app routes with history.pushState / replaceState; back and forward fire popstate.
let shown = null;
function changed() {
  const page = location.pathname + location.search;
  if (page === shown) return;
  shown = page;
  share(page);
}
["pushState", "replaceState"].forEach(function (name) {
  const original = history[name];
  history[name] = function () {
    const result = original.apply(this, arguments);
    changed();
    return result;
  };
});
addEventListener("popstate", changed);
changed();
