// Tumbuh chat widget: posts to POST /api/v1/chat; without JavaScript the form posts the page.
// While a handoff is open it asks GET /chat/balasan/ (this session's conversation only) every
// few seconds for an officer's answer, so the visitor need not write again to see it.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.fetch) { return; }
  var log = document.getElementById("chat-log");
  var quick = document.getElementById("chat-quick");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-text");
  var endpoint = root.getAttribute("data-endpoint");
  var conversation = root.getAttribute("data-conversation");
  var repliesUrl = root.getAttribute("data-replies");
  var busy = false;
  var polling = null;
  var POLL_MS = 4000;

  function add(role, text) {
    var item = document.createElement("li");
    item.className = role;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function showQuick(options) {
    quick.textContent = "";
    (options || []).slice(0, 5).forEach(function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", function () { send(label); });
      quick.appendChild(button);
    });
  }

  function showAgent(messages) {
    (messages || []).forEach(function (m) { add("agent", "Petugas: " + m); });
  }

  function poll() {
    if (busy || document.hidden) { return; }
    fetch(repliesUrl, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (response.status !== 200) { return null; }  // rate-limited: try at the next tick
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      showAgent(data.messages);
      if (!data.handoff) { stopPolling(); }
    }).catch(function () { /* offline for a moment: try at the next tick */ });
  }

  function startPolling() {
    if (polling === null && repliesUrl) { polling = window.setInterval(poll, POLL_MS); }
  }

  function stopPolling() {
    if (polling !== null) { window.clearInterval(polling); polling = null; }
  }

  function send(text) {
    text = (text || "").trim();
    if (!text || busy) { return; }
    busy = true;
    add("user", text);
    showQuick([]);
    var waiting = add("note", "…");
    fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ conversation: conversation, text: text })
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      log.removeChild(waiting);
      var data = result.data || {};
      if (result.status !== 200) {
        add("note", typeof data.detail === "string" ? data.detail : "Pesan tidak dapat dikirim.");
        return;
      }
      showAgent(data.messages);
      if (data.handoff) { startPolling(); } else { stopPolling(); }
      if (data.reply) {
        add(data.urgent ? "bot urgent" : "bot", data.reply);
      } else if (data.handoff) {
        add("note", "Pesan Anda diteruskan ke petugas.");
      }
      showQuick(data.quick_replies);
    }).catch(function () {
      if (waiting.parentNode) { log.removeChild(waiting); }
      add("note", "Koneksi terputus. Coba lagi.");
    }).then(function () { busy = false; input.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });
  log.scrollTop = log.scrollHeight;
  if (root.getAttribute("data-handoff") === "1") { startPolling(); }
}());
