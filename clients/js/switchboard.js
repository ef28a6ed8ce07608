// Switchboard JavaScript client: one dependency-free ES module for browsers and Node.js >= 20.
// See docs/client.md for the guide and switchboard.d.ts for the types.

/**
 * @typedef {Object} Backoff
 * @property {number} [initialMs=1000] cap of the first reconnect delay
 * @property {number} [maxMs=30000] largest cap of any delay
 * @property {number} [factor=2] the cap grows by this factor with each attempt
 * @property {'full'|'none'} [jitter='full'] 'full': a random delay between 0 and the cap; 'none': the cap itself
 * @property {number} [resetAfterMs=5000] a connection that stays up this long starts the attempt count anew
 */

/**
 * @typedef {Object} ConnectOptions
 * @property {string} [token] sent as the `token` query parameter
 * @property {() => (string|Promise<string>)} [getToken] called before every connection attempt and before the token's `exp`
 * @property {string[]} [rooms] rooms to join at once (and after every reconnect)
 * @property {'auto'|'websocket'|'sse'} [transport='auto']
 * @property {Backoff} [backoff]
 * @property {number} [maxAttempts=Infinity] reconnect attempts in a row before giving up
 * @property {number} [sseFallbackAfter=2] with 'auto': WebSocket attempts that fail to open before using SSE
 * @property {number} [connectTimeoutMs=10000] an attempt that has not opened by then fails
 * @property {boolean} [heartbeat=true] ping the hub when it has been silent, and reconnect when it does not answer
 * @property {{burst: number, perSecond: number}|false} [rateLimit] pace outgoing messages (default 8 burst, 8/s)
 * @property {'reconnect'|'message'} [tokenRefresh='reconnect'] how a fresh token reaches the hub
 * @property {number} [refreshBeforeMs=30000] fetch a new token this long before `exp`
 * @property {string} [sseUrl] the SSE endpoint (default: derived from the WebSocket URL, `/ws` → `/sse`)
 * @property {string} [apiUrl] the REST base (default: derived from the WebSocket URL, `/ws` → `/api/v1`)
 * @property {any} [WebSocket] WebSocket constructor (default: globalThis.WebSocket)
 * @property {any} [EventSource] EventSource constructor (default: globalThis.EventSource)
 * @property {typeof fetch} [fetch] fetch function for SSE commands and history (default: globalThis.fetch)
 */

const DEFAULT_BACKOFF = Object.freeze({ initialMs: 1000, maxMs: 30000, factor: 2, jitter: "full", resetAfterMs: 5000 });
const DEFAULT_RATE = Object.freeze({ burst: 8, perSecond: 8 });
/** Message types the hub sends besides room events; an SSE stream listens to these always. */
const PROTOCOL_TYPES = ["connected", "joined", "left", "pong", "error", "disconnect", "stats_update", "state"];
/** Events the client itself emits (not read from the SSE stream). */
const CLIENT_EVENTS = new Set(["reconnecting", "connect_error", "resync", "*"]);
/** Outgoing messages that belong to one connection: rebuilt, not resent, after a reconnect. */
const CONNECTION_KINDS = new Set(["join", "leave", "ping", "refresh"]);
const MAX_QUEUED = 1000;
const JOIN_REF = "join:";

/**
 * The JSON body of a REST answer with the `expected` status; otherwise rejects with an Error
 * carrying the `status` and the hub's `code`.
 */
async function answer(response, what, expected) {
  const body = await response.json().catch(() => ({}));
  if (response.status !== expected) {
    const error = new Error(`${what} answered ${response.status}: ${body.message ?? ""}`);
    Object.assign(error, { status: response.status, code: body.code });
    throw error;
  }
  return body;
}

/** A room name as a URL path segment (`:` and `@` kept readable). */
function roomPath(room) {
  return encodeURIComponent(room).replace(/%3A/gi, ":").replace(/%40/g, "@");
}

/**
 * Opens a client and starts connecting at once (events are emitted asynchronously, so listeners
 * added right after this call see everything).
 * @param {string} url the hub's WebSocket URL, e.g. `wss://hub.example.com/ws` (http(s) URLs are accepted too)
 * @param {ConnectOptions} [options]
 * @returns {SwitchboardClient}
 */
export function connect(url, options = {}) {
  return new SwitchboardClient(url, options);
}

export class SwitchboardClient {
  /**
   * @param {string} url
   * @param {ConnectOptions} [options]
   */
  constructor(url, options = {}) {
    const base = new URL(url, globalThis.location?.href);
    if (base.protocol === "http:") base.protocol = "ws:";
    if (base.protocol === "https:") base.protocol = "wss:";
    const http = new URL(base.href);
    http.protocol = base.protocol === "wss:" ? "https:" : "http:";
    http.search = "";
    http.hash = "";
    const prefix = http.pathname.endsWith("/ws") ? http.pathname.slice(0, -3) : "";
    /** @private */ this._wsUrl = base.href;
    /** @private */ this._sseUrl = options.sseUrl ?? new URL(prefix + "/sse", http).href;
    /** @private */ this._apiUrl = (options.apiUrl ?? new URL(prefix + "/api/v1", http).href).replace(/\/$/, "");
    /** @private */ this._opt = {
      transport: options.transport ?? "auto",
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      maxAttempts: options.maxAttempts ?? Infinity,
      sseFallbackAfter: options.sseFallbackAfter ?? 2,
      connectTimeoutMs: options.connectTimeoutMs ?? 10000,
      heartbeat: options.heartbeat ?? true,
      rate: options.rateLimit === false ? null : { ...DEFAULT_RATE, ...options.rateLimit },
      tokenRefresh: options.tokenRefresh ?? "reconnect",
      refreshBeforeMs: options.refreshBeforeMs ?? 30000,
      token: options.token,
      getToken: options.getToken,
    };
    if (!["auto", "websocket", "sse"].includes(this._opt.transport)) {
      throw new TypeError(`transport must be 'auto', 'websocket' or 'sse', not '${this._opt.transport}'`);
    }
    /** @private */ this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    /** @private */ this._EventSource = options.EventSource ?? globalThis.EventSource;
    /** @private */ this._fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    const missing = { websocket: !this._WebSocket, sse: !this._EventSource, auto: !this._WebSocket && !this._EventSource }[this._opt.transport];
    if (missing) {
      throw new TypeError(`no ${this._opt.transport === "sse" ? "EventSource" : "WebSocket"} here: pass a constructor as options.${this._opt.transport === "sse" ? "EventSource" : "WebSocket"}`);
    }
    /** @private @type {Map<string, Set<Function>>} */ this._listeners = new Map();
    /** @private @type {Set<string>} */ this._rooms = new Set(options.rooms ?? []);
    /** @private @type {Map<string, string>} */ this._lastIds = new Map();
    /** @private */ this._mode = this._opt.transport === "sse" || (this._opt.transport === "auto" && !this._WebSocket) ? "sse" : "websocket";
    /** @private */ this._wsEverOpened = false;
    /** @private */ this._wsFailures = 0;
    /** @private */ this._sseEverOpened = false;
    /** @private */ this._attempt = 0;
    /** @private */ this._generation = 0;
    /** @private */ this._state = "connecting";
    /** @private */ this._open = false;
    /** @private */ this._ws = null;
    /** @private */ this._es = null;
    /** @private @type {Set<string>} */ this._esTypes = new Set();
    /** @private */ this._connectionId = null;
    /** @private */ this._serverDisconnect = null;
    /** @private */ this._token = this._opt.token;
    /** @private */ this._outbox = [];
    /** @private */ this._credits = this._opt.rate ? this._opt.rate.burst : 0;
    /** @private */ this._refilledAt = Date.now();
    /** @private */ this._timers = { reconnect: null, connect: null, pump: null, watchdog: null, refresh: null, reopen: null, uptime: null };
    /** @private */ this._waiters = [];
    queueMicrotask(() => this._connect());
  }

  /** 'connecting' | 'open' | 'reconnecting' | 'idle' (SSE without rooms) | 'closed' */
  get state() {
    return this._state;
  }

  /** The transport in use or being tried: 'websocket' or 'sse'. */
  get transport() {
    return this._mode;
  }

  /** The id the hub gave the current connection (`connected.connectionId`), or null. */
  get connectionId() {
    return this._open ? this._connectionId : null;
  }

  /** The rooms this client is in (and rejoins after a reconnect). */
  get rooms() {
    return [...this._rooms];
  }

  /**
   * The last position seen in a room: the id of its newest event received, or `joined.lastId`.
   * @param {string} room
   * @returns {string|undefined}
   */
  lastId(room) {
    return this._lastIds.get(room);
  }

  /**
   * Joins a room now and after every reconnect. A room already joined is left alone.
   * @param {string} room
   * @param {{since?: string}} [options] resume from this event id (default: the last id seen, if any)
   */
  join(room, options = {}) {
    if (this._state === "closed" || this._rooms.has(room)) return;
    this._rooms.add(room);
    if (options.since != null) this._lastIds.set(room, String(options.since));
    if (this._mode === "sse") {
      this._reopenSoon();
    } else if (this._open) {
      this._enqueue(this._joinMessage(room), "join");
    }
  }

  /**
   * Leaves a room; it is no longer rejoined and its position is forgotten.
   * @param {string} room
   */
  leave(room) {
    if (this._state === "closed" || !this._rooms.delete(room)) return;
    this._lastIds.delete(room);
    if (this._mode === "sse") {
      this._reopenSoon();
      this._emit({ type: "left", data: { room } });
    } else if (this._open) {
      this._enqueue({ type: "leave", data: { room } }, "leave");
    }
  }

  /**
   * Asks the hub for the room's state document (`sync`). WebSocket only.
   * @param {string} room
   * @returns {boolean} false when the current transport cannot send it (SSE)
   */
  sync(room) {
    return this._sendUser({ type: "sync", data: { room } }, "sync");
  }

  /**
   * Publishes an event from the client (`publish`; the hub must allow it for the room). WebSocket only.
   * @param {string} room
   * @param {string} type
   * @param {any} data
   * @returns {boolean} false when the current transport cannot send it (SSE)
   */
  publish(room, type, data) {
    return this._sendUser({ type: "publish", data: { room, type, data } }, "publish");
  }

  /**
   * Sends a command to the publishers behind a room the client has joined. Over WebSocket the
   * promise resolves once the message is written to the socket (errors come as `error` events);
   * over SSE it is a `POST /api/v1/rooms/{room}/commands` and resolves with `{id}` on 202.
   * @param {string} room
   * @param {string} name
   * @param {any} [data]
   * @returns {Promise<{id?: string}>}
   */
  command(room, name, data) {
    if (this._state === "closed") return Promise.reject(new Error("the client is closed"));
    if (this._mode === "sse") return this._postCommand(room, name, data);
    return new Promise((resolve, reject) => {
      const queued = this._enqueue({ type: "command", data: { room, name, data } }, "command", () => resolve({}), reject);
      if (!queued) reject(new Error("too many messages queued"));
    });
  }

  /**
   * Adds a listener. `type` is a server message type (`connected`, `joined`, `left`, `error`,
   * `pong`, `stats_update`, any room event type), a client event (`reconnecting`,
   * `connect_error`, `disconnect`, `resync`), or `*` for every server message.
   * @param {string} type
   * @param {(message: any) => void} fn
   * @returns {() => void} a function that removes the listener
   */
  on(type, fn) {
    if (!this._listeners.has(type)) this._listeners.set(type, new Set());
    this._listeners.get(type).add(fn);
    if (this._es) this._listenSse(this._es, this._generation, type);
    return () => this.off(type, fn);
  }

  /**
   * Removes a listener added with `on`.
   * @param {string} type
   * @param {(message: any) => void} fn
   */
  off(type, fn) {
    this._listeners.get(type)?.delete(fn);
  }

  /** Closes the connection for good: no reconnect, pending commands are rejected. */
  close() {
    if (this._state === "closed") return;
    const wasOpen = this._open;
    this._state = "closed";
    this._generation++;
    this._teardown();
    for (const key of Object.keys(this._timers)) this._clearTimer(key);
    for (const entry of this._outbox) entry.reject?.(new Error("the client was closed"));
    this._outbox = [];
    for (const waiter of this._waiters) waiter.reject(new Error("the client was closed"));
    this._waiters = [];
    if (wasOpen) this._emit({ type: "disconnect", data: { code: 1000, reason: "closed by the client", reconnect: false, transport: this._mode } });
  }

  // ---------------------------------------------------------------- connecting

  /**
   * @private Starts one connection attempt on the current transport.
   * @param {string} [presetToken] a token already fetched (token refresh)
   */
  async _connect(presetToken) {
    if (this._state === "closed") return;
    const generation = ++this._generation;
    this._state = "connecting";
    let token;
    try {
      token = presetToken !== undefined ? presetToken : await this._resolveToken();
    } catch (error) {
      if (generation === this._generation) this._lost(generation, { opened: false, reason: `getToken failed: ${error?.message ?? error}` });
      return;
    }
    if (generation !== this._generation || this._state === "closed") return;
    this._token = token;
    if (this._mode === "sse") {
      this._openSse(generation, token);
    } else {
      this._openWebSocket(generation, token);
    }
  }

  /** @private */
  async _resolveToken() {
    return this._opt.getToken ? await this._opt.getToken() : this._opt.token;
  }

  /** @private */
  _openWebSocket(generation, token) {
    const url = new URL(this._wsUrl);
    if (token) url.searchParams.set("token", token);
    let ws;
    try {
      if (!this._WebSocket) throw new Error("no WebSocket constructor: pass one as options.WebSocket");
      ws = new this._WebSocket(url.href);
    } catch (error) {
      this._lost(generation, { opened: false, reason: error?.message ?? String(error) });
      return;
    }
    this._ws = ws;
    let opened = false;
    const current = () => generation === this._generation && this._ws === ws;
    this._armConnectTimeout(generation);
    ws.onopen = () => {
      if (!current()) return;
      opened = true;
      this._wsEverOpened = true;
      this._wsFailures = 0;
      this._clearTimer("connect");
      this._opened();
      this._rejoinAll();
    };
    ws.onmessage = (event) => {
      if (current()) this._onFrame(event.data);
    };
    ws.onerror = (event) => {
      // Before the socket opens an error means the attempt failed; afterwards a close follows.
      if (current() && !opened) this._lost(generation, { opened: false, reason: event?.message ?? event?.error?.message ?? "the WebSocket could not connect" });
    };
    ws.onclose = (event) => {
      if (current()) this._lost(generation, { opened, code: event.code, reason: event.reason || (opened ? "the connection closed" : "the WebSocket could not connect") });
    };
  }

  /** @private */
  _openSse(generation, token) {
    if (this._rooms.size === 0) {
      this._state = "idle"; // a stream needs at least one room; join() opens it
      return;
    }
    const url = new URL(this._sseUrl);
    url.searchParams.set("rooms", [...this._rooms].join(","));
    const positions = [...this._rooms].filter((room) => this._lastIds.has(room)).map((room) => `${room}:${this._lastIds.get(room)}`);
    if (positions.length) url.searchParams.set("lastEventId", positions.join(","));
    if (token) url.searchParams.set("token", token);
    let es;
    try {
      if (!this._EventSource) throw new Error("no EventSource constructor: pass one as options.EventSource");
      es = new this._EventSource(url.href);
    } catch (error) {
      this._lost(generation, { opened: false, reason: error?.message ?? String(error) });
      return;
    }
    this._es = es;
    this._esTypes = new Set();
    let opened = false;
    const current = () => generation === this._generation && this._es === es;
    this._armConnectTimeout(generation);
    es.addEventListener("open", () => {
      if (!current()) return;
      opened = true;
      this._sseEverOpened = true;
      this._clearTimer("connect");
      this._opened();
    });
    es.addEventListener("error", () => {
      // An EventSource would retry on its own with the Last-Event-ID it saw; this client
      // reconnects itself instead, with its own positions, backoff and token.
      if (!current()) return;
      es.close();
      this._lost(generation, { opened, code: opened ? 1006 : undefined, reason: opened ? "the stream ended" : "the stream could not be opened" });
    });
    for (const type of PROTOCOL_TYPES) this._listenSse(es, generation, type);
    for (const type of this._listeners.keys()) this._listenSse(es, generation, type);
    es.onmessage = (event) => {
      if (current()) this._onFrame(event.data);
    };
  }

  /** @private An EventSource only delivers event types it listens to by name. */
  _listenSse(es, generation, type) {
    if (CLIENT_EVENTS.has(type) || type === "message" || this._esTypes.has(type)) return; // onmessage has 'message'
    this._esTypes.add(type);
    es.addEventListener(type, (event) => {
      if (generation === this._generation && this._es === es) this._onFrame(event.data);
    });
  }

  /** @private */
  _armConnectTimeout(generation) {
    this._clearTimer("connect");
    this._timers.connect = setTimeout(() => {
      if (generation === this._generation && !this._open) {
        this._lost(generation, { opened: false, reason: `not connected within ${this._opt.connectTimeoutMs} ms` });
      }
    }, this._opt.connectTimeoutMs);
  }

  /** @private The transport is open (the hub's `connected` follows). */
  _opened() {
    this._open = true;
    this._state = "open";
  }

  /** @private Sends a join for every room, ahead of anything the user queued meanwhile. */
  _rejoinAll() {
    const kept = this._outbox.filter((entry) => !CONNECTION_KINDS.has(entry.kind));
    this._outbox = [...[...this._rooms].map((room) => ({ message: this._joinMessage(room), kind: "join" })), ...kept];
    this._pump();
  }

  /** @private */
  _joinMessage(room) {
    const since = this._lastIds.get(room);
    return { type: "join", data: since != null ? { room, since } : { room }, ref: JOIN_REF + room };
  }

  /**
   * @private The current connection is gone (or an attempt failed): tell the listeners, then
   * reconnect after a backoff delay unless the hub or maxAttempts says otherwise.
   * @param {number} generation the connection's generation; a stale one is ignored
   * @param {{opened: boolean, code?: number, reason?: string}} info
   */
  _lost(generation, { opened, code, reason }) {
    if (generation !== this._generation || this._state === "closed") return;
    this._generation++;
    const transport = this._mode;
    this._teardown();
    const server = this._serverDisconnect;
    this._serverDisconnect = null;
    const closeCode = server?.code ?? code;
    const forbidden = server?.reconnect === false || (closeCode >= 4500 && closeCode <= 4999);
    const willRetry = !forbidden && this._attempt + 1 <= this._opt.maxAttempts;
    if (opened) {
      const data = { code: closeCode ?? 1006, reason: server?.reason ?? reason, reconnect: willRetry, transport };
      if (server?.retryAfterMs != null) data.retryAfterMs = server.retryAfterMs;
      this._emit({ type: "disconnect", data });
    } else {
      if (transport === "websocket") this._wsFailures++;
      this._emit({ type: "connect_error", data: { attempt: this._attempt, transport, message: reason, willRetry } });
    }
    if (this._state === "closed") return; // a listener closed the client
    if (!willRetry) {
      this._giveUp();
      return;
    }
    this._scheduleReconnect(server?.retryAfterMs);
  }

  /** @private */
  _giveUp() {
    this._state = "closed";
    for (const key of Object.keys(this._timers)) this._clearTimer(key);
    for (const entry of this._outbox) entry.reject?.(new Error("the client gave up reconnecting"));
    this._outbox = [];
    for (const waiter of this._waiters) waiter.reject(new Error("the client gave up reconnecting"));
    this._waiters = [];
  }

  /** @private */
  _scheduleReconnect(retryAfterMs) {
    const attempt = ++this._attempt;
    if (this._opt.transport === "auto") this._chooseFallback();
    let delayMs = backoffDelay(this._opt.backoff, attempt);
    if (retryAfterMs > 0) delayMs = Math.max(delayMs, retryAfterMs);
    this._state = "reconnecting";
    this._emit({ type: "reconnecting", data: { attempt, delayMs, transport: this._mode } });
    if (this._state !== "reconnecting") return; // a listener closed the client
    this._timers.reconnect = setTimeout(() => this._connect(), delayMs);
  }

  /**
   * @private With transport 'auto': after `sseFallbackAfter` WebSocket attempts in a row failed
   * to open (and none ever opened), try SSE. If SSE opens, stay with it (WebSockets are blocked on
   * the way); if it fails too, the hub itself is probably down, so alternate between the two.
   * A client without rooms has nothing to stream, so it stays with WebSocket.
   */
  _chooseFallback() {
    if (this._mode === "sse") {
      if (!this._sseEverOpened && this._WebSocket) {
        this._mode = "websocket";
        this._wsFailures = this._opt.sseFallbackAfter - 1;
      }
    } else if (!this._wsEverOpened && this._wsFailures >= this._opt.sseFallbackAfter && this._EventSource && this._rooms.size > 0) {
      this._switchToSse();
    }
  }

  /** @private From now on this client streams over SSE; queued commands become POSTs. */
  _switchToSse() {
    this._mode = "sse";
    const queued = this._outbox;
    this._outbox = [];
    for (const entry of queued) {
      if (entry.kind === "command") {
        const { room, name, data } = entry.message.data;
        this._postCommand(room, name, data).then(entry.resolve, entry.reject);
      } else {
        entry.reject?.(new Error(`${entry.kind} needs the WebSocket transport`));
      }
    }
  }

  /** @private Closes the current transport without any event (its handlers are detached first). */
  _teardown() {
    this._open = false;
    this._connectionId = null;
    this._clearTimer("connect");
    this._clearTimer("watchdog");
    this._clearTimer("refresh");
    this._clearTimer("pump");
    this._clearTimer("reopen");
    this._clearTimer("uptime");
    this._outbox = this._outbox.filter((entry) => !CONNECTION_KINDS.has(entry.kind));
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = () => {}; // some implementations report the abandoned handshake as an error
      try {
        ws.close(1000);
      } catch {
        // Already closing.
      }
    }
    const es = this._es;
    this._es = null;
    if (es) es.close();
  }

  /**
   * @private Opens a new connection right away (token refresh, SSE room change): no backoff, no `disconnect`.
   * @param {string} [presetToken]
   */
  _reopen(presetToken) {
    if (this._state === "closed") return;
    this._generation++;
    this._teardown();
    this._clearTimer("reconnect");
    this._connect(presetToken);
  }

  /** @private Coalesces join/leave calls in one task into one new SSE stream. */
  _reopenSoon() {
    if (this._state === "closed" || this._state === "reconnecting" || this._timers.reopen) return;
    this._timers.reopen = setTimeout(() => {
      this._timers.reopen = null;
      if (this._state === "closed" || this._state === "reconnecting" || this._mode !== "sse") return;
      if (this._rooms.size === 0) {
        this._generation++;
        this._teardown();
        this._state = "idle";
      } else {
        this._reopen();
      }
    }, 0);
  }

  // ---------------------------------------------------------------- receiving

  /** @private One WebSocket frame or SSE data: one JSON message per line (`?batch=1` puts several in a frame). */
  _onFrame(text) {
    if (typeof text !== "string") return; // the hub sends text only
    this._heardAt = Date.now();
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      if (message && typeof message.type === "string") this._onMessage(message);
    }
  }

  /** @private */
  _onMessage(message) {
    const data = message.data ?? {};
    switch (message.type) {
      case "connected":
        this._connectionId = data.connectionId ?? null;
        this._startUptime();
        this._serverDisconnect = null;
        this._startWatchdog(data.heartbeat);
        this._scheduleRefresh(this._token);
        for (const waiter of this._waiters) waiter.resolve(this._connectionId);
        this._waiters = [];
        break;
      case "joined":
        // After a recovered resume, lastId is where the replay will end: the position moves with
        // the replayed events instead, so a drop in mid-replay loses nothing.
        if (this._rooms.has(data.room) && data.recovered !== true && data.lastId != null) {
          this._lastIds.set(data.room, String(data.lastId));
        }
        break;
      case "disconnect":
        this._serverDisconnect = data;
        this._emitTo("*", message); // listeners of 'disconnect' get the client's event when the connection closes
        return;
      case "error":
        if (typeof data.ref === "string" && data.ref.startsWith(JOIN_REF)) {
          const room = data.ref.slice(JOIN_REF.length);
          if (data.code === "RATE_LIMITED") {
            const generation = this._generation; // try again in a second, on the same connection
            setTimeout(() => {
              if (generation === this._generation && this._rooms.has(room)) this._enqueue(this._joinMessage(room), "join");
            }, 1000);
          } else {
            this._rooms.delete(room); // the hub refused the room: do not rejoin it on every reconnect
            this._lastIds.delete(room);
          }
        }
        break;
      default:
        if (typeof message.room === "string" && message.id != null && this._rooms.has(message.room)) {
          this._lastIds.set(message.room, String(message.id));
        }
    }
    this._emit(message);
    if (message.type === "joined" && data.recovered === false && this._rooms.has(data.room)) {
      this._emit({ type: "resync", data: { room: data.room, reason: data.reason, lastId: data.lastId, oldestId: data.oldestId } });
      if (this._mode === "websocket") this.sync(data.room);
    }
  }

  // ---------------------------------------------------------------- sending

  /** @private */
  _sendUser(message, kind) {
    if (this._state === "closed" || this._mode === "sse") return false;
    return this._enqueue(message, kind);
  }

  /** @private Queues a message for the socket; it goes out as soon as the connection and the rate allow. */
  _enqueue(message, kind, resolve, reject) {
    if (this._outbox.length >= MAX_QUEUED) {
      const dropped = this._outbox.findIndex((entry) => !CONNECTION_KINDS.has(entry.kind));
      if (dropped < 0 || CONNECTION_KINDS.has(kind)) return false;
      this._outbox.splice(dropped, 1)[0].reject?.(new Error("dropped: too many messages queued"));
    }
    this._outbox.push({ message, kind, resolve, reject });
    this._pump();
    return true;
  }

  /** @private */
  _pump() {
    if (!this._open || !this._ws || this._timers.pump) return;
    const rate = this._opt.rate;
    while (this._outbox.length) {
      if (rate) {
        const now = Date.now();
        this._credits = Math.min(rate.burst, this._credits + ((now - this._refilledAt) * rate.perSecond) / 1000);
        this._refilledAt = now;
        if (this._credits < 1) {
          const waitMs = Math.ceil(((1 - this._credits) * 1000) / rate.perSecond);
          this._timers.pump = setTimeout(() => {
            this._timers.pump = null;
            this._pump();
          }, waitMs);
          return;
        }
        this._credits -= 1;
      }
      const entry = this._outbox.shift();
      try {
        this._ws.send(JSON.stringify(entry.message));
        entry.resolve?.();
      } catch (error) {
        entry.reject?.(error);
      }
    }
  }

  /**
   * Reads a room's recent events over HTTP (`GET {apiUrl}/rooms/{room}/events`, see docs/history.md),
   * with the client's token; no need to be in the room. Without `since`: the newest `limit` events;
   * with it: the events after it (the first `limit`), or `recovered: false` with the `reason` when
   * they are no longer held. Rejects with `status` and `code` when the hub refuses.
   * @param {string} room
   * @param {{since?: string, limit?: number}} [options]
   * @returns {Promise<{room: string, events: object[], recovered: boolean, reason?: string, oldestId: string|null, lastId: string|null, state?: {state: any, lastId: string}}>}
   */
  async history(room, options = {}) {
    if (!this._fetch) throw new Error("no fetch function: pass one as options.fetch");
    const url = new URL(`${this._apiUrl}/rooms/${roomPath(room)}/events`);
    if (options.since != null) url.searchParams.set("since", String(options.since));
    if (options.limit != null) url.searchParams.set("limit", String(options.limit));
    const token = this._token ?? (await this._resolveToken());
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    return answer(await this._fetch(url.href, { headers }), "history", 200);
  }

  /** @private A command from an SSE client: POST with the stream's connection id. */
  async _postCommand(room, name, data) {
    if (!this._fetch) throw new Error("no fetch function: pass one as options.fetch");
    if (this._state === "idle") throw new Error(`join room ${room} before sending it commands`);
    const connectionId = this._open && this._connectionId ? this._connectionId : await this._whenConnected();
    const path = roomPath(room);
    const headers = { "Content-Type": "application/json" };
    if (this._token) headers.Authorization = `Bearer ${this._token}`;
    const response = await this._fetch(`${this._apiUrl}/rooms/${path}/commands`, {
      method: "POST",
      headers,
      body: JSON.stringify({ connectionId, name, data }),
    });
    return answer(response, "command", 202);
  }

  /** @private Resolves with the connection id at the next `connected`. */
  _whenConnected() {
    if (this._state === "closed") return Promise.reject(new Error("the client is closed"));
    return new Promise((resolve, reject) => this._waiters.push({ resolve, reject }));
  }

  // ---------------------------------------------------------------- liveness and tokens

  /**
   * @private Browsers cannot see the hub's ping frames, so a connection that silently died
   * would go unnoticed: when the hub has been quiet for a heartbeat interval, ping it, and
   * reconnect if nothing arrives within the timeout.
   */
  _startWatchdog(heartbeat) {
    this._clearTimer("watchdog");
    if (!this._opt.heartbeat || this._mode !== "websocket" || !heartbeat?.intervalMs || !heartbeat?.timeoutMs) return;
    const { intervalMs, timeoutMs } = heartbeat;
    const generation = this._generation;
    let pingedAt = 0;
    this._heardAt = Date.now();
    this._timers.watchdog = setInterval(() => {
      const now = Date.now();
      if (pingedAt && this._heardAt < pingedAt && now - pingedAt >= timeoutMs) {
        this._lost(generation, { opened: true, code: 4011, reason: "the hub did not answer a ping" });
      } else if (now - this._heardAt >= intervalMs && (!pingedAt || this._heardAt >= pingedAt)) {
        pingedAt = now;
        this._enqueue({ type: "ping", data: { t: now } }, "ping");
      }
    }, Math.max(50, Math.min(intervalMs, timeoutMs) / 2));
  }

  /**
   * @private The attempt count (and so the backoff) starts anew only once a connection has stayed
   * up for a while: a hub that accepts and at once closes again still gets growing delays.
   */
  _startUptime() {
    this._clearTimer("uptime");
    this._timers.uptime = setTimeout(() => {
      this._timers.uptime = null;
      this._attempt = 0;
    }, this._opt.backoff.resetAfterMs);
  }

  /** @private With getToken, fetch a new token before this one's `exp` and hand it to the hub. */
  _scheduleRefresh(token) {
    this._clearTimer("refresh");
    if (!this._opt.getToken || !token) return;
    const expiresAt = jwtExpiry(token);
    if (expiresAt == null) return;
    const remaining = expiresAt - Date.now();
    const lead = Math.min(this._opt.refreshBeforeMs, remaining / 2);
    const generation = this._generation;
    this._timers.refresh = setTimeout(async () => {
      this._timers.refresh = null;
      let fresh;
      try {
        fresh = await this._opt.getToken();
      } catch {
        fresh = null;
      }
      if (generation !== this._generation || !this._open) return;
      const freshExpiry = fresh ? jwtExpiry(fresh) : null;
      if (!fresh || (freshExpiry != null && freshExpiry <= expiresAt)) {
        // No newer token yet: ask again a little later while the current one is valid.
        if (expiresAt - Date.now() > 1000) {
          this._timers.refresh = setTimeout(() => this._scheduleRefresh(token), Math.max(1000, (expiresAt - Date.now()) / 4));
        }
        return;
      }
      if (this._opt.tokenRefresh === "message" && this._mode === "websocket") {
        this._token = fresh;
        this._enqueue({ type: "refresh", data: { token: fresh } }, "refresh");
        this._scheduleRefresh(fresh);
      } else {
        this._reopen(fresh);
      }
    }, Math.max(0, remaining - lead));
  }

  /** @private */
  _clearTimer(key) {
    if (this._timers[key] != null) {
      clearTimeout(this._timers[key]);
      clearInterval(this._timers[key]);
      this._timers[key] = null;
    }
  }

  // ---------------------------------------------------------------- events

  /** @private Emits to the message's type and, for server messages, to `*`. */
  _emit(message) {
    this._emitTo(message.type, message);
    if (!CLIENT_EVENTS.has(message.type) && message.type !== "disconnect") this._emitTo("*", message);
  }

  /** @private */
  _emitTo(type, message) {
    const listeners = this._listeners.get(type);
    if (!listeners) return;
    for (const fn of [...listeners]) {
      try {
        fn(message);
      } catch (error) {
        setTimeout(() => {
          throw error; // a listener's bug must not break the client; report it as uncaught
        }, 0);
      }
    }
  }
}

/**
 * The delay before reconnect attempt `attempt` (1, 2, ...): full jitter picks a random delay
 * between 0 and min(maxMs, initialMs * factor^(attempt-1)).
 * @param {Backoff} backoff
 * @param {number} attempt
 * @returns {number}
 */
export function backoffDelay(backoff, attempt) {
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...backoff };
  const cap = Math.min(maxMs, initialMs * Math.pow(factor, Math.max(0, attempt - 1)));
  return jitter === "none" ? cap : Math.floor(Math.random() * cap);
}

/**
 * When a JWT expires (its payload's `exp`, in ms since the epoch), or null for anything else.
 * The signature is not checked: the hub does that.
 * @param {string} token
 * @returns {number|null}
 */
export function jwtExpiry(token) {
  const payload = typeof token === "string" ? token.split(".")[1] : undefined;
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const exp = JSON.parse(atob(base64)).exp;
    return typeof exp === "number" ? exp * 1000 : null;
  } catch {
    return null;
  }
}
