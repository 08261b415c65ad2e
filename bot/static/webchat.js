"use strict";
// The local web chat (bot/templates/webchat.html); loaded as a file so the page needs no inline script.
(function () {
  const labels = JSON.parse(document.getElementById("labels").textContent);
  const phones = JSON.parse(document.getElementById("phones").textContent);
  const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const phonePattern = new RegExp("(?<![0-9])(" + Object.keys(phones).sort((a, b) => b.length - a.length)
    .map(escapeRegex).join("|") + ")(?![0-9])", "g");
  const isPhone = (part) => Object.prototype.hasOwnProperty.call(phones, part);
  const log = document.getElementById("log");
  const input = document.getElementById("text");
  // Who this browser is lives in an HttpOnly cookie the bot service sets: never in the page or a URL.

  function bubble(text, who) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    // Built from text nodes and links only, never innerHTML: whatever anyone types stays text.
    const parts = who.startsWith("bot") && Object.keys(phones).length ? text.split(phonePattern) : [text];
    for (const part of parts) {
      if (isPhone(part)) {
        const link = document.createElement("a");
        link.href = "tel:" + phones[part];
        link.textContent = part;
        div.appendChild(link);
      } else {
        div.appendChild(document.createTextNode(part));
      }
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function buttons(list) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const b of list) {
      if (b.payload.startsWith("tel:")) {  // a call button: the phone dials, nothing is sent
        const call = document.createElement("a");
        call.className = "call";
        call.href = b.payload;
        call.textContent = b.title;
        row.appendChild(call);
        continue;
      }
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => {
        row.querySelectorAll("button").forEach(x => x.disabled = true);
        send(b.payload, b.title, true);
      });
      row.appendChild(button);
    }
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
  }

  function send(message, shown, button) {
    return post("/api/chat", {"Content-Type": "application/json"}, JSON.stringify({message: message, button: !!button}), shown);
  }

  async function post(url, headers, body, shown) {
    if (shown !== null) bubble(shown, "user");
    let replies;
    try {
      const response = await fetch(url, {method: "POST", headers: headers, body: body});
      if (response.status === 413) { bubble(labels.too_long, "bot error"); return; }
      if (response.status === 429) { bubble(labels.too_fast, "bot error"); return; }
      if (response.status === 415) { bubble(labels.image_refused, "bot error"); return; }
      if (!response.ok) throw new Error(response.status);
      replies = await response.json();
    } catch (e) {
      bubble(labels.unavailable, "bot error");
      return;
    }
    show(replies);
  }

  function show(replies) {
    for (const r of replies) {
      if (r.text) bubble(r.text, "bot");
      if (r.image) bubble(r.image, "bot");
      if (r.buttons && r.buttons.length) buttons(r.buttons);
    }
  }

  // Hotline staff replies arrive outside any request of ours: fetch them every few seconds.
  async function fetchUpdates() {
    try {
      const response = await fetch("/api/chat/updates");
      if (response.ok) show(await response.json());
    } catch (e) { /* next time */ }
  }
  setInterval(fetchUpdates, 3000);

  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });
  document.getElementById("image").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) post("/api/chat-image", {"Content-Type": file.type || "image/png"}, file, labels.image_sent);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); document.getElementById("composer").requestSubmit(); }
  });
  post("/api/chat/start", {}, null, null);  // the greeting and its menu, without a user bubble
})();
