// Signing out on a monitor's tablet (ADR 0020, "Sign-out"). Loaded on every page for those who
// record monitoring missions (lib.registry page scripts); it enhances the header's sign-out form.
//
// Nothing recorded may be silently lost. An entry leaves the queue the moment the server records
// it, so what is in the queue is exactly what is not recorded yet. When nothing of this user
// waits, signing out deletes this user's key from the browser: nothing of theirs stays usable
// on the tablet. When observations still wait, the monitor is warned first: signing out anyway
// keeps them and their key on the device, encrypted, to be sent at the next sign-in; staying
// lets them send them first. Texts come from the script element's data attributes (gettext).

const DB_NAME = "atpazit-offline";
const KEYS = "keys";
const QUEUE = "observations";

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function openDb() {
  // The same database and version as offline.js: opening it creates the stores if missing.
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore(KEYS, { keyPath: "owner" });
    db.createObjectStore(QUEUE, { keyPath: "id" }).createIndex("owner", "owner");
  };
  return done(request);
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

// Whether the sign-out may go ahead: wipes the key when nothing waits, asks when something does.
async function readyToSignOut(owner, text) {
  const db = await openDb();
  try {
    const waiting = await done(
      db.transaction(QUEUE).objectStore(QUEUE).index("owner").getAll(owner),
    );
    if (waiting.length) {
      return window.confirm(text.msgUnsent.replace("%(count)s", String(waiting.length)));
    }
    const transaction = db.transaction(KEYS, "readwrite");
    transaction.objectStore(KEYS).delete(owner);
    await finished(transaction);
    return true;
  } finally {
    db.close();
  }
}

function setUp() {
  const script = document.getElementById("script-monitoring-signout");
  const form = document.querySelector("form[data-sign-out]");
  if (!script || !form || !window.indexedDB) return;
  const owner = form.dataset.signOut;
  const text = script.dataset;
  let confirmed = false;
  form.addEventListener("submit", async (event) => {
    if (confirmed) return;
    event.preventDefault();
    let go = true;
    try {
      go = await readyToSignOut(owner, text);
    } catch (error) {
      // The browser's storage cannot be read: nothing was deleted, so nothing is lost.
      go = true;
    }
    if (!go) return;
    confirmed = true;
    HTMLFormElement.prototype.submit.call(form);
  });
}

setUp();
