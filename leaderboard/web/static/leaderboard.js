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
  if (!tokenBox.value.trim()) { $("mine").innerHTML = ""; $("remaining").textContent = ""; return; }
  const res = await fetch(`/api/tasks/${TASK}/submissions`, { headers: auth() });
  if (!res.ok) { $("remaining").textContent = "Enter a valid token to see your submissions."; return; }
  const data = await res.json();
  $("remaining").textContent = `Remaining today: ${data.remaining_today} of ${data.daily_limit}` +
    ` (invalid uploads left: ${data.invalid_left_today} of ${data.invalid_daily_limit})`;
  $("mine").innerHTML = data.submissions.map((s) =>
    `<tr><td><input type="checkbox" class="pick" value="${s.id}" data-number="${s.number}" ${s.selected ? "checked" : ""}></td>` +
    `<td>${s.number}</td><td>${esc(String(s.created_at).slice(0, 16).replace("T", " "))} UTC</td><td class="status">${esc(s.status)}</td>` +
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

// "My submissions" loads as soon as a token is entered, not only after an upload.
let typing = null;
tokenBox.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    localStorage.setItem("leaderboard-token", tokenBox.value.trim());
    refreshMine();
  }, 300);
});
tokenBox.addEventListener("change", refreshMine);

$("upload").addEventListener("submit", async (event) => {
  event.preventDefault();
  localStorage.setItem("leaderboard-token", tokenBox.value.trim());
  const form = new FormData();
  form.append("file", $("file").files[0]);
  form.append("description", $("description").value);
  $("result").textContent = "Uploading...";
  const res = await fetch(`/api/tasks/${TASK}/submissions`, { method: "POST", headers: auth(), body: form });
  const data = await res.json().catch(() => ({ detail: `${res.status} ${res.statusText}` }));
  if (!res.ok) {
    const d = typeof data.detail === "string" ? { message: data.detail } : (data.detail || {});
    const problems = (d.problems || []).map((p) => `<li>${esc(p)}</li>`).join("");
    $("result").innerHTML = `<p class="problems">${esc(d.message || d)}</p><ul class="problems">${problems}</ul>`;
    return;
  }
  const notes = (data.notes || []).map((n) => `<li>${esc(n)}</li>`).join("");
  $("result").innerHTML = `<p id="accepted">Accepted as your team's submission #${data.number}; scoring... ` +
    `(${data.remaining_today} left today)</p><ul class="notes">${notes}</ul>`;
  await refreshMine();
  const s = await waitScored(data.id);
  $("result").innerHTML += s ? `<p id="scored">Scored: ${num(s.public_score)}</p>` : "<p>Still scoring; reload later.</p>";
  await refreshBoard();
  await refreshMine();
});

$("save-final").addEventListener("click", async () => {
  const picked = [...document.querySelectorAll(".pick:checked")];
  const ids = picked.map((b) => Number(b.value));
  const numbers = picked.map((b) => "#" + b.dataset.number);
  const res = await fetch(`/api/tasks/${TASK}/final`, {
    method: "PUT", headers: { ...auth(), "Content-Type": "application/json" },
    body: JSON.stringify({ submission_ids: ids }) });
  const data = await res.json();
  $("result").textContent = res.ok ? `Final picks saved: ${numbers.join(", ") || "none (best public is used)"}` : (data.detail || "failed");
  await refreshMine();
});

refreshMine();
setInterval(refreshBoard, 15000);
