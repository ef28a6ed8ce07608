// Long-polling fan-out load for bench/run socketio: SUBSCRIBERS socket.io-client sockets with
// transports: ["polling"] join ROOM (42["join", ROOM]); one publisher POSTs RATE events per second to
// /api/v1/events for SECONDS (Switchboard's body, which bench/socketio/server.js takes too), each
// carrying its send time; every subscriber notes each event's delay and order. Prints a human line and
// a "CSV " header and row (bench/run collects those). Same process for clients and publisher, so both
// servers are measured by the same client machinery; loopback only; ends by itself.
'use strict';
const { io } = require('socket.io-client');
const { performance } = require('node:perf_hooks');

const target = process.env.TARGET; // http://127.0.0.1:PORT
const label = process.env.LABEL || 'polling';
const subscribers = Number(process.env.SUBSCRIBERS || 200);
const rate = Number(process.env.RATE || 20);
const seconds = Number(process.env.SECONDS || 5);
const warmup = Number(process.env.WARMUP || 1);
const room = process.env.ROOM || 'bench:polling';
const drainMs = 5000;

const now = () => performance.timeOrigin + performance.now();
const delays = [];
let received = 0;
let outOfOrder = 0;
let duplicates = 0;
let failed = 0;
let closedEarly = 0;
let measuring = false;

function subscriber() {
  return new Promise((resolve) => {
    const socket = io(target, { transports: ['polling'], forceNew: true, reconnection: false, timeout: 20000 });
    let last = -1n; // the server's event id: the order the server published in (POSTs overlap)
    socket.on('connect', () => socket.emit('join', room));
    socket.once('joined', () => resolve(socket));
    socket.once('connect_error', () => { failed++; resolve(null); });
    socket.on('disconnect', () => { if (measuring) closedEarly++; });
    socket.on('tick', (arg, details) => {
      // Switchboard: (data, {room, id, …}); bench/socketio/server.js: ({room, id, data, timestamp}).
      const data = details ? arg : arg.data;
      const id = BigInt(details ? details.id : arg.id);
      if (id <= last) (id === last ? duplicates++ : outOfOrder++);
      if (id > last) last = id;
      if (data.measured) {
        received++;
        delays.push(now() - data.sentAt);
      }
    });
  });
}

async function publish(seq, measured) {
  const response = await fetch(`${target}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ room, type: 'tick', data: { seq, sentAt: now(), measured } }),
  });
  if (response.status !== 202) throw new Error(`publish answered ${response.status}`);
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

(async () => {
  const sockets = [];
  for (let i = 0; i < subscribers; i += 50) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, subscribers - i) }, subscriber))));
  }
  const connected = sockets.filter(Boolean);
  let seq = 0;
  // Each event is sent when due, without waiting for the previous POST's answer, so that the offered
  // rate holds however slowly the server answers; all of them answered, the run is over.
  const run = async (secs, measured) => {
    const start = now();
    const total = Math.round(secs * rate);
    const posts = [];
    for (let n = 0; n < total; n++) {
      const due = start + (n * 1000) / rate;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      posts.push(publish(++seq, measured));
    }
    await Promise.all(posts);
    return (now() - start) / 1000;
  };
  await run(warmup, false);
  measuring = true;
  const started = now();
  const published = await run(seconds, true);
  const expected = connected.length * Math.round(seconds * rate);
  const deadline = now() + drainMs;
  while (received < expected && now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (now() - started) / 1000; // first measured publish to the last receipt (or the drain's end)
  measuring = false;
  delays.sort((a, b) => a - b);
  const row = [label, connected.length, rate, (rate * connected.length).toFixed(0), published.toFixed(1), (received / elapsed).toFixed(0),
    percentile(delays, 50).toFixed(3), percentile(delays, 99).toFixed(3), (delays[delays.length - 1] || 0).toFixed(3),
    expected - received, outOfOrder, duplicates, closedEarly, failed].join(',');
  console.log(`${label}: ${connected.length} polling subscribers, ${received} of ${expected} deliveries (published in ${published.toFixed(1)} s for ${seconds} s scheduled), p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${percentile(delays, 99).toFixed(1)} ms`);
  console.log('CSV transport,subscribers,rate,offered_per_s,published_s,deliveries_per_s,p50_ms,p99_ms,max_ms,missing,out_of_order,duplicates,closed_early,failed');
  console.log('CSV ' + row);
  for (const s of connected) s.close();
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
