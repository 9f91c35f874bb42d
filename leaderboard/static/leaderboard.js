// Upload form, "my submissions" and board refresh for /tasks/<task>. No framework.
const $ = (id) => document.getElementById(id);
const tokenBox = $("token");
tokenBox.value = localStorage.getItem("leaderboard-token") || "";
const auth = () => ({ Authorization: "Bearer " + tokenBox.value.trim() });
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (x) => (x === null || x === undefined ? "" : Number(x).toFixed(4));

async function refreshBoard() {
  const res = await fetch(`/tasks/${TASK}/board.html`);
  if (res.ok) $("board").innerHTML = await res.text();
}

async function refreshMine() {
  if (!tokenBox.value.trim()) return;
  const res = await fetch(`/api/tasks/${TASK}/submissions`, { headers: auth() });
  if (!res.ok) { $("remaining").textContent = "Enter a valid token to see your submissions."; return; }
  const data = await res.json();
  $("remaining").textContent = `Remaining today: ${data.remaining_today} of ${data.daily_limit}`;
  $("mine").innerHTML = data.submissions.map((s) =>
    `<tr><td><input type="checkbox" class="pick" value="${s.id}" ${s.selected ? "checked" : ""}></td>` +
    `<td>${s.id}</td><td>${esc(s.created_at)}</td><td class="status">${esc(s.status)}</td>` +
    `<td>${num(s.public_score)}</td><td>${esc(s.description)}</td></tr>`).join("");
}

async function waitScored(id) {
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`/api/submissions/${id}`, { headers: auth() });
    if (res.ok) {
      const s = await res.json();
      if (s.status !== "pending") return s;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

$("upload").addEventListener("submit", async (event) => {
  event.preventDefault();
  localStorage.setItem("leaderboard-token", tokenBox.value.trim());
  const form = new FormData();
  form.append("file", $("file").files[0]);
  form.append("description", $("description").value);
  $("result").textContent = "Uploading...";
  const res = await fetch(`/api/tasks/${TASK}/submissions`, { method: "POST", headers: auth(), body: form });
  const data = await res.json();
  if (!res.ok) {
    const d = data.detail || {};
    const problems = (d.problems || []).map((p) => `<li>${esc(p)}</li>`).join("");
    $("result").innerHTML = `<p class="problems">${esc(d.message || d)}</p><ul class="problems">${problems}</ul>`;
    return;
  }
  const notes = (data.notes || []).map((n) => `<li>${esc(n)}</li>`).join("");
  $("result").innerHTML = `<p id="accepted">Accepted as #${data.id}; scoring... ` +
    `(${data.remaining_today} left today)</p><ul class="notes">${notes}</ul>`;
  await refreshMine();
  const s = await waitScored(data.id);
  $("result").innerHTML += s ? `<p id="scored">Scored: ${num(s.public_score)}</p>` : "<p>Still scoring; reload later.</p>";
  await refreshBoard();
  await refreshMine();
});

$("save-final").addEventListener("click", async () => {
  const ids = [...document.querySelectorAll(".pick:checked")].map((b) => Number(b.value));
  const res = await fetch(`/api/tasks/${TASK}/final`, {
    method: "PUT", headers: { ...auth(), "Content-Type": "application/json" },
    body: JSON.stringify({ submission_ids: ids }) });
  const data = await res.json();
  $("result").textContent = res.ok ? `Final picks saved: ${data.selected.join(", ") || "none (best public is used)"}` : (data.detail || "failed");
  await refreshMine();
});

refreshMine();
setInterval(refreshBoard, 15000);
