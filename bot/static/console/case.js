// The case page fetches new transcript lines every 2 s. User text is inserted with textContent only.
(function () {
  const transcript = document.getElementById("transcript");
  const url = transcript.dataset.api;
  let last = Number(transcript.dataset.last);
  const authors = {user: "Người dùng", staff: "Cán bộ ", assistant: "Trợ lý"};
  const statuses = {new: "Mới", claimed: "Đã nhận", closed: "Đã đóng"};
  function add(m) {
    const item = document.createElement("div");
    item.className = "msg " + m.author;
    item.dataset.id = m.id;
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = authors[m.author] + (m.author === "staff" ? m.staff : "") + " · " + m.at;
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = m.text;
    item.append(meta, text);
    transcript.appendChild(item);
  }
  function showList(box, notices, line) {
    document.getElementById(box + "-list").replaceChildren(...notices.map(function (notice) {
      const item = document.createElement("li");
      item.textContent = line(notice).join(" · ");
      return item;
    }));
    document.getElementById(box).hidden = notices.length === 0;
  }
  async function refresh() {
    try {
      const response = await fetch(url + "?after=" + last, {credentials: "same-origin"});
      if (!response.ok || response.redirected) return;
      const data = await response.json();
      for (const m of data.messages) { add(m); last = m.id; }
      showList("undelivered", data.undelivered, function (u) {
        return [u.at, u.channel, u.staff_reply ? "Trả lời của cán bộ" : "Tin nhắn của trợ lý", u.reason];
      });
      showList("written-elsewhere", data.written_elsewhere, function (w) { return [w.at, w.channel]; });
      document.getElementById("status").textContent = statuses[data.status];
    } catch (e) { /* next tick */ }
  }
  setInterval(refresh, 2000);
})();
