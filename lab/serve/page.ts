/**
 * The browser side: one page, one terminal. Everything it loads comes from this server (no CDN:
 * classrooms are often offline), and the same relative URLs work behind the balancer's /lab/.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>xmpp-mitm-lab</title>
<link rel="stylesheet" href="xterm.css">
<style>
  html, body { margin: 0; height: 100%; background: #0c0c0c; color: #e8e8e8; font: 16px system-ui, sans-serif; }
  #bar { height: 2.2rem; display: flex; align-items: center; gap: .6rem; padding: 0 .8rem; background: #1b1b1b; }
  #bar button { font: inherit; background: #2c2c2c; color: inherit; border: 1px solid #555; border-radius: 4px; padding: .1rem .6rem; cursor: pointer; }
  #bar .grow { flex: 1; }
  #term { position: absolute; top: 2.2rem; left: 0; right: 0; bottom: 0; padding: 6px; box-sizing: border-box; }
  #msg { position: absolute; left: 50%; top: 40%; transform: translate(-50%, -50%); background: #222; border: 2px solid #888;
         padding: 1.2rem 1.6rem; font-size: 1.3rem; text-align: center; max-width: 80%; }
</style>
</head>
<body>
<div id="bar"><strong>xmpp-mitm-lab</strong><span id="who"></span><span class="grow"></span>
  <span>text size</span><button id="smaller" title="smaller text">A&minus;</button><button id="bigger" title="bigger text">A+</button></div>
<div id="term"></div>
<div id="msg" hidden></div>
<script src="xterm.js"></script>
<script src="addon-fit.js"></script>
<script src="client.js"></script>
</body>
</html>
`;

export const CLIENT_JS = `"use strict";
(function () {
  var params = new URLSearchParams(location.search);
  // The token came in the link; the server has set it as a cookie, so take it out of the address bar.
  if (params.has("token")) { params.delete("token"); var q = params.toString(); history.replaceState(null, "", location.pathname + (q ? "?" + q : "")); }
  var el = document.getElementById("term"), msg = document.getElementById("msg");
  // Readable on a projector: the largest font that still gives the console 100x30, unless the
  // presenter chose a size (A-/A+, remembered in this browser).
  function autoFont() {
    var w = el.clientWidth / (100 * 0.6), h = el.clientHeight / (30 * 1.2);
    return Math.max(12, Math.min(36, Math.floor(Math.min(w, h))));
  }
  var chosen = Number(localStorage.getItem("mitm-lab-font")) || 0;
  var term = new Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace', fontSize: chosen || autoFont(),
    cursorBlink: true, scrollback: 2000, theme: { background: "#0c0c0c" } });
  var fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(el);
  fit.fit();
  term.focus();
  var ws = null, enc = new TextEncoder();
  function send(bytes) { if (ws && ws.readyState === 1) ws.send(bytes); }
  term.onData(function (d) { if (!ws || ws.readyState > 1) return connect(); send(enc.encode(d)); });
  term.onBinary(function (d) { var b = new Uint8Array(d.length); for (var i = 0; i < d.length; i++) b[i] = d.charCodeAt(i) & 255; send(b); });
  term.onResize(function (s) { send(JSON.stringify({ type: "resize", cols: s.cols, rows: s.rows })); });
  var pending = 0;
  function refit() { cancelAnimationFrame(pending); pending = requestAnimationFrame(function () { if (!chosen) term.options.fontSize = autoFont(); fit.fit(); }); }
  window.addEventListener("resize", refit);
  function setFont(by) { chosen = Math.max(8, Math.min(72, (chosen || term.options.fontSize) + by)); localStorage.setItem("mitm-lab-font", String(chosen)); term.options.fontSize = chosen; fit.fit(); term.focus(); }
  document.getElementById("smaller").onclick = function () { setFont(-2); };
  document.getElementById("bigger").onclick = function () { setFont(2); };
  function connect() {
    msg.hidden = true;
    term.reset();
    var url = new URL("tty", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("cols", term.cols);
    url.searchParams.set("rows", term.rows);
    if (params.get("scenario")) url.searchParams.set("scenario", params.get("scenario"));
    ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onmessage = function (e) { term.write(typeof e.data === "string" ? e.data : new Uint8Array(e.data)); };
    ws.onclose = function (e) {
      msg.textContent = (e.reason || "The connection to the lab was lost.") + " Press Enter for a new lab.";
      msg.hidden = false;
    };
  }
  connect();
})();
`;

export const TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>xmpp-mitm-lab: token</title>
<style>body { background: #0c0c0c; color: #e8e8e8; font: 20px system-ui, sans-serif; display: grid; place-items: center; height: 90vh; }
input, button { font: inherit; padding: .3rem .6rem; }</style></head>
<body><form method="get" action="./"><p>This lab needs the token your instructor gave you.</p>
<p><input name="token" autocomplete="off" autofocus size="28" aria-label="token"> <button>Open my lab</button></p></form></body></html>
`;
