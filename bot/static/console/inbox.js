// The inbox refreshes itself every 2 s. User text is inserted with textContent only.
(function () {
  const body = document.getElementById("cases");
  const api = body.dataset.api;
  const caseLink = body.dataset.caseLink;
  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function show(data) {
    body.replaceChildren();
    document.getElementById("unsent").hidden = !data.unsent;
    if (!data.cases.length) { cell(body.insertRow(), "Không có yêu cầu nào đang mở.").colSpan = 6; return; }
    for (const c of data.cases) {
      const row = document.createElement("tr");
      row.dataset.case = c.id;
      const link = document.createElement("a");
      link.href = caseLink + c.id;
      link.textContent = "#" + c.id;
      cell(row, "").appendChild(link);
      cell(row, c.reason === "danger" ? "Nguy hiểm" : "Muốn gặp cán bộ", c.reason === "danger" ? "danger" : "");
      cell(row, c.reference); cell(row, c.channel); cell(row, String(c.waiting_minutes));
      cell(row, c.status === "claimed" ? "Đã nhận: " + c.handler : "Mới");
      body.appendChild(row);
    }
  }
  async function refresh() {
    try {
      const response = await fetch(api, {credentials: "same-origin"});
      if (response.redirected) { location.href = response.url; return; }
      if (response.ok) show(await response.json());
    } catch (e) { /* try again at the next tick */ }
  }
  setInterval(refresh, 2000);
})();
