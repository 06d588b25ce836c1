// Offline capture on a monitoring stage page (issue 12 item 7; docs/decisions ADR "offline
// observations"). Progressive enhancement over the observation form: without JavaScript, a
// secure context, IndexedDB or WebCrypto the form posts as before.
//
// Every observation is first kept in this browser's IndexedDB, encrypted with AES-GCM under a
// key generated here as non-extractable (scripts can use it, never read it out), one key per
// signed-in user; the owner and the entry's id are bound in as additional data. Then it is sent
// to the sync endpoint with the id the device chose, so a resend never records it twice. An
// entry leaves the queue only when the server says it is recorded, or when the monitor removes
// it after a warning: a conflict (mission completed, stage removed, session ended) keeps it,
// with the reason shown. All texts come from data attributes rendered through gettext.

const DB_NAME = "atpazit-offline";
const KEYS = "keys";
const QUEUE = "observations";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function openDb() {
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore(KEYS, { keyPath: "owner" });
    db.createObjectStore(QUEUE, { keyPath: "id" }).createIndex("owner", "owner");
  };
  return done(request);
}

function store(db, name, mode = "readonly") {
  return db.transaction(name, mode).objectStore(name);
}

async function ownerKey(db, owner) {
  const kept = await done(store(db, KEYS).get(owner));
  if (kept) return kept.key;
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  await done(store(db, KEYS, "readwrite").put({ owner, key }));
  return key;
}

async function seal(key, owner, id, fields) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(`${owner}:${id}`) },
    key,
    encoder.encode(JSON.stringify(fields)),
  );
  return { iv, data };
}

async function unseal(key, entry) {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: entry.iv, additionalData: encoder.encode(`${entry.owner}:${entry.id}`) },
    key,
    entry.data,
  );
  return JSON.parse(decoder.decode(plain));
}

function setUp(form) {
  const panel = document.querySelector("[data-offline-queue]");
  const owner = form.dataset.offlineOwner;
  if (!panel || !owner || !window.isSecureContext || !window.indexedDB || !crypto.subtle) return;
  const text = form.dataset;
  const list = panel.querySelector("[data-queue-list]");
  const status = panel.querySelector("[data-queue-status]");
  const sendButton = panel.querySelector("[data-queue-send]");
  let dbPromise = null;
  let sending = false;
  const db = () => (dbPromise = dbPromise || openDb());
  const say = (message) => {
    status.textContent = message || "";
  };

  async function entries() {
    const all = await done(store(await db(), QUEUE).index("owner").getAll(owner));
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  async function show() {
    const key = await ownerKey(await db(), owner);
    const queued = await entries();
    panel.hidden = queued.length === 0 && !status.textContent;
    list.replaceChildren();
    for (const entry of queued) {
      const item = document.createElement("li");
      item.dataset.queued = entry.id;
      let summary = text.msgUnreadable;
      try {
        const fields = await unseal(key, entry);
        summary = (fields.text || "").slice(0, 120);
      } catch (error) {
        // Recorded under a key this browser no longer has: shown, never hidden.
      }
      const where = document.createElement("strong");
      where.textContent = entry.where;
      const what = document.createElement("span");
      what.textContent = ` — ${summary}`;
      item.append(where, what);
      if (entry.problem) {
        const problem = document.createElement("p");
        problem.className = "errorlist";
        problem.textContent = entry.problem;
        item.append(problem);
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button-small button-secondary";
      remove.textContent = text.msgRemove;
      remove.addEventListener("click", async () => {
        if (!window.confirm(text.msgRemoveConfirm)) return;
        await done(store(await db(), QUEUE, "readwrite").delete(entry.id));
        await show();
      });
      item.append(" ", remove);
      list.append(item);
    }
    sendButton.hidden = queued.length === 0;
    return queued.length;
  }

  async function keep(entry, problem) {
    entry.problem = problem;
    await done(store(await db(), QUEUE, "readwrite").put(entry));
  }

  // One entry to the server. "sent" when recorded (now or before), "invalid" when the server
  // refused the input, "kept" when it stays queued (offline, conflict, session ended).
  async function send(entry, key) {
    const fields = await unseal(key, entry);
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of [].concat(value)) body.append(name, one);
    }
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      await keep(entry, text.msgOffline);
      return "kept";
    }
    let answer = {};
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      answer = await response.json();
    }
    if (response.status === 200 || response.status === 201) {
      await done(store(await db(), QUEUE, "readwrite").delete(entry.id));
      return "sent";
    }
    if (response.type === "opaqueredirect" || response.status === 403 || response.status === 401) {
      await keep(entry, text.msgSession);
      return "kept";
    }
    if (response.status === 404) {
      await keep(entry, text.msgGone);
      return "kept";
    }
    await keep(entry, answer.message || text.msgFailed);
    return answer.status === "invalid" ? "invalid" : "kept";
  }

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const key = await ownerKey(await db(), owner);
      let sent = 0;
      for (const entry of await entries()) {
        if ((await send(entry, key)) === "sent") sent += 1;
      }
      const left = await entries();
      say(left.length ? text.msgConflicts : sent ? text.msgAllSent : "");
      if (sent) sessionStorage.setItem("atpazit-offline-flash", text.msgAllSent);
      await show();
      if (sent && !left.length) window.location.reload();
    } finally {
      sending = false;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken" || name === "client_id") continue;
      fields[name] = name in fields ? [].concat(fields[name], value) : value;
    }
    const id = crypto.randomUUID();
    fields.client_id = id;
    const database = await db();
    const key = await ownerKey(database, owner);
    const entry = {
      id,
      owner,
      url: form.dataset.offlineSync,
      where: form.dataset.offlineWhere,
      createdAt: Date.now(),
      problem: "",
      ...(await seal(key, owner, id, fields)),
    };
    // The entry and its key in one transaction: the sign-in page's sweep (sweep.js) may have
    // deleted the key meanwhile, in another tab; an entry is never kept without its key.
    const keeping = database.transaction([KEYS, QUEUE], "readwrite");
    keeping.objectStore(KEYS).put({ owner, key });
    keeping.objectStore(QUEUE).put(entry);
    await new Promise((resolve, reject) => {
      keeping.oncomplete = () => resolve();
      keeping.onerror = () => reject(keeping.error);
      keeping.onabort = () => reject(keeping.error);
    });
    if (!navigator.onLine) {
      form.reset();
      say(text.msgQueued);
      await show();
      return;
    }
    const outcome = await send(entry, key);
    if (outcome === "sent") {
      // The server put its answer among the page's messages; the reload shows it.
      window.location.reload();
    } else if (outcome === "invalid") {
      // Refused input: the page's own form shows what to fix, field by field (I8).
      await done(store(database, QUEUE, "readwrite").delete(id));
      form.querySelector("[name=client_id]").value = id;
      HTMLFormElement.prototype.submit.call(form);
    } else {
      form.reset();
      say(text.msgQueued);
      await show();
    }
  });

  sendButton.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => say(text.msgWentOffline));
  const flash = sessionStorage.getItem("atpazit-offline-flash");
  sessionStorage.removeItem("atpazit-offline-flash");
  if (flash) say(flash);
  show().then((count) => {
    if (count) flush();
  });
}

const form = document.querySelector("form[data-observation-form][data-offline-sync]");
if (form) setUp(form);
