// The sign-in page of a monitor's tablet (ADR 0020, "Sign-out"). A session that ends by itself
// (idle timeout, browser closed) runs no sign-out script, so the monitor's offline key would
// stay usable on the tablet. Every page of nobody signed in — the sign-in page such a session
// lands on — deletes each key with no observation of its owner waiting; a key whose owner
// still has observations waiting stays, so they are sent at that owner's next sign-in.
//
// One read-write transaction over both stores: offline.js stores an entry together with its
// key in one transaction too, so an entry is never left under a key deleted here.

const DB_NAME = "atpazit-offline";
const KEYS = "keys";
const QUEUE = "observations";

async function exists() {
  // Chromium and Firefox list the origin's databases: a browser that never kept anything
  // gets no empty database from a visit to the sign-in page.
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((database) => database.name === DB_NAME);
}

async function sweep() {
  if (!window.indexedDB || !(await exists())) return;
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore(KEYS, { keyPath: "owner" });
    db.createObjectStore(QUEUE, { keyPath: "id" }).createIndex("owner", "owner");
  };
  request.onsuccess = () => {
    const db = request.result;
    const transaction = db.transaction([KEYS, QUEUE], "readwrite");
    const keys = transaction.objectStore(KEYS);
    const owners = keys.getAllKeys();
    const entries = transaction.objectStore(QUEUE).getAll();
    // Requests in one transaction complete in order: the owners are known by now.
    entries.onsuccess = () => {
      const withEntries = new Set(entries.result.map((entry) => entry.owner));
      for (const owner of owners.result) if (!withEntries.has(owner)) keys.delete(owner);
    };
    transaction.oncomplete = () => db.close();
    transaction.onabort = () => db.close();
  };
}

sweep().catch(() => {
  // The browser's storage cannot be read: nothing was deleted, so nothing is lost.
});
