// Types for switchboard.js, the Switchboard client for browsers and Node.js >= 20 (docs/client.md).

/** Reconnect timing: the delay before attempt n is random(0, min(maxMs, initialMs * factor^(n-1))). */
export interface Backoff {
  /** Cap of the first reconnect delay. Default 1000. */
  initialMs?: number;
  /** Largest cap of any delay. Default 30000. */
  maxMs?: number;
  /** The cap grows by this factor with each attempt. Default 2. */
  factor?: number;
  /** 'full' (default): a random delay between 0 and the cap; 'none': the cap itself. */
  jitter?: "full" | "none";
  /** A connection that stays up this long starts the attempt count anew. Default 5000. */
  resetAfterMs?: number;
}

export interface ConnectOptions {
  /** Sent as the `token` query parameter (WebSocket and SSE) and as `Authorization: Bearer` on SSE commands. */
  token?: string;
  /** Called before every connection attempt, and before the token's JWT `exp` to replace it. Wins over `token`. */
  getToken?: () => string | Promise<string>;
  /** Rooms to join at once, and to rejoin after every reconnect. */
  rooms?: string[];
  /** 'auto' (default): WebSocket, falling back to SSE when it cannot connect. */
  transport?: "auto" | "websocket" | "sse";
  backoff?: Backoff;
  /** Reconnect attempts in a row before giving up (a final `connect_error`/`disconnect` with no retry). Default Infinity. */
  maxAttempts?: number;
  /** With transport 'auto': WebSocket attempts in a row that fail to open before SSE is tried. Default 2. */
  sseFallbackAfter?: number;
  /** An attempt that has not opened by then fails. Default 10000. */
  connectTimeoutMs?: number;
  /** Ping the hub when it has been silent for its heartbeat interval; reconnect when it does not answer. Default true. */
  heartbeat?: boolean;
  /** Pace outgoing messages below the hub's inbound limit. Default { burst: 8, perSecond: 8 }; false: no pacing. */
  rateLimit?: { burst: number; perSecond: number } | false;
  /** How a fresh token from getToken reaches the hub: a new connection (default) or a `refresh` message. */
  tokenRefresh?: "reconnect" | "message";
  /** Ask getToken for a new token this long before `exp` (at most half the remaining lifetime). Default 30000. */
  refreshBeforeMs?: number;
  /** The SSE endpoint. Default: the WebSocket URL with http(s) and `/ws` replaced by `/sse`. */
  sseUrl?: string;
  /** The REST base for SSE commands. Default: the WebSocket URL with http(s) and `/ws` replaced by `/api/v1`. */
  apiUrl?: string;
  /** WebSocket constructor (Node 20 has none: pass the `ws` package's). Default globalThis.WebSocket. */
  WebSocket?: unknown;
  /** EventSource constructor (Node has none: pass the `eventsource` package's). Default globalThis.EventSource. */
  EventSource?: unknown;
  /** fetch, for commands over SSE and for history(). Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** Every message from the hub: `{type, data, timestamp}`; room events add `room` and `id` (and their meta fields). */
export interface ServerMessage<T = any> {
  type: string;
  data: T;
  timestamp?: string;
  room?: string;
  id?: string;
  [meta: string]: unknown;
}

/** A room event as published, e.g. `{type: "greeting", room: "demo:1", id: "1795431000102001", data: {...}}`. */
export interface RoomEvent<T = any> extends ServerMessage<T> {
  room: string;
  id: string;
}

export interface ConnectedData {
  connectionId: string;
  userId?: string;
  rooms: string[];
  heartbeat: { intervalMs: number; timeoutMs: number };
}

export interface JoinedData {
  room: string;
  /** Present when the join carried `since`: whether exactly the missed events follow. */
  recovered?: boolean;
  /** The room's position: a good `since` for later (absent for `$stats`). */
  lastId?: string;
  /** With recovered:false. */
  reason?: "history_trimmed" | "unknown_position" | "stream_reset";
  oldestId?: string;
}

export interface ErrorData {
  code: string;
  message: string;
  /** The `ref` of the message that caused it; the client's joins carry `join:<room>`. */
  ref?: string;
  dropped?: number;
}

/** Emitted once per lost connection (and on close() of an open one). */
export interface DisconnectData {
  code: number;
  reason: string;
  /** Whether this client will reconnect: the hub's advice, close codes 4500-4999, maxAttempts and close() decide. */
  reconnect: boolean;
  /** The hub asked to wait this long before the next attempt; the client does. */
  retryAfterMs?: number;
  transport: "websocket" | "sse";
}

export interface ReconnectingData {
  /** 1, 2, 3, ... since the last connection that stayed up. */
  attempt: number;
  delayMs: number;
  /** The transport the attempt will use. */
  transport: "websocket" | "sse";
}

export interface ConnectErrorData {
  /** 0 for the first attempt, then the reconnect attempt's number. */
  attempt: number;
  transport: "websocket" | "sse";
  message: string;
  /** false: the client gave up (maxAttempts) and is closed. */
  willRetry: boolean;
}

/** A room could not be resumed (`joined` with recovered:false): the client sent `sync` (WebSocket) for its state. */
export interface ResyncData {
  room: string;
  reason?: string;
  lastId?: string;
  oldestId?: string;
}

export interface ClientEvents {
  connected: ServerMessage<ConnectedData>;
  joined: ServerMessage<JoinedData>;
  left: ServerMessage<{ room: string }>;
  error: ServerMessage<ErrorData>;
  pong: ServerMessage;
  stats_update: ServerMessage;
  state: ServerMessage<{ room: string; state: unknown; lastId?: string }>;
  disconnect: { type: "disconnect"; data: DisconnectData };
  reconnecting: { type: "reconnecting"; data: ReconnectingData };
  connect_error: { type: "connect_error"; data: ConnectErrorData };
  resync: { type: "resync"; data: ResyncData };
  /** Every message from the hub (not the client's own events). */
  "*": ServerMessage;
}

/** What {@link SwitchboardClient.history} resolves with. */
export interface HistoryPage {
  room: string;
  /** Oldest first, each as the WebSocket delivers it. */
  events: RoomEvent[];
  /** False when the events after `since` are no longer held whole; `events` is then empty. */
  recovered: boolean;
  reason?: "history_trimmed" | "unknown_position" | "stream_reset";
  /** The oldest id the room's history still holds. */
  oldestId: string | null;
  /** The room's newest id (more may follow the page's last event). */
  lastId: string | null;
  /** The room's state document, with a page that is not recovered. */
  state?: { state: unknown; lastId: string };
}

export type ClientState = "connecting" | "open" | "reconnecting" | "idle" | "closed";

export declare class SwitchboardClient {
  constructor(url: string, options?: ConnectOptions);
  /** 'idle': an SSE client without rooms (a stream needs one). */
  readonly state: ClientState;
  readonly transport: "websocket" | "sse";
  /** The current connection's id (from `connected`), or null while not connected. */
  readonly connectionId: string | null;
  /** The rooms this client is in and rejoins after a reconnect. */
  readonly rooms: string[];
  /** The last position seen in a room (newest event id or `joined.lastId`). */
  lastId(room: string): string | undefined;
  /** Joins now and after every reconnect; a room already joined is left alone. */
  join(room: string, options?: { since?: string }): void;
  leave(room: string): void;
  /** Asks for the room's state document. False when the transport (SSE) cannot send it. */
  sync(room: string): boolean;
  /** Publishes from the client where the hub allows it. False when the transport (SSE) cannot send it. */
  publish(room: string, type: string, data?: unknown): boolean;
  /** Sends a command upstream; over SSE a POST that resolves with `{id}` on 202 and rejects with `status` and `code` otherwise. */
  command(room: string, name: string, data?: unknown): Promise<{ id?: string }>;
  /**
   * A room's recent events over HTTP (`GET /api/v1/rooms/{room}/events`), with the client's token.
   * Without `since` the newest `limit` (default 100, at most 1000); with it the events after it, or
   * `recovered: false` with `reason`. Rejects with `status` and `code` when refused.
   */
  history(room: string, options?: { since?: string; limit?: number }): Promise<HistoryPage>;
  on<K extends keyof ClientEvents>(type: K, fn: (message: ClientEvents[K]) => void): () => void;
  on(type: string, fn: (message: RoomEvent) => void): () => void;
  off<K extends keyof ClientEvents>(type: K, fn: (message: ClientEvents[K]) => void): void;
  off(type: string, fn: (message: RoomEvent) => void): void;
  /** Closes for good: no reconnect; pending commands are rejected. */
  close(): void;
}

/** Opens a client and starts connecting at once; events are emitted asynchronously. */
export declare function connect(url: string, options?: ConnectOptions): SwitchboardClient;

/** The delay before reconnect attempt `attempt` (1, 2, ...). */
export declare function backoffDelay(backoff: Backoff, attempt: number): number;

/** A JWT's `exp` in ms since the epoch, or null (the signature is not checked). */
export declare function jwtExpiry(token: string): number | null;
