// A plain `ws` broadcast server: the floor any hub is measured against (bench/run peers). A client
// connects to ws://127.0.0.1:PORT/?room=NAME and is in that room until it closes. POST
// /api/v1/events takes Switchboard's body (one event {room, type, data} or an array) and sends each
// event, serialised once, to every socket of its room, as the `ws` README's broadcast example does,
// with the id and timestamp a Switchboard subscriber gets (so as many bytes). No history, no resume,
// no SSE, no auth. Loopback only; it exits by itself after MAX_SECONDS.
'use strict';
const http = require('node:http');
const { WebSocketServer } = require('ws');

const rooms = new Map(); // room -> Set of sockets
let nextId = Date.now() * 1000; // 16 digits, as Switchboard's ids
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let events;
    try {
      events = req.method === 'POST' && req.url === '/api/v1/events' ? [].concat(JSON.parse(Buffer.concat(chunks))) : null;
    } catch (e) {
      events = null;
    }
    if (!events || events.some((e) => typeof e?.room !== 'string')) {
      res.writeHead(400, { 'Content-Length': 0 }).end();
      return;
    }
    for (const event of events) {
      const { room, type, data } = event;
      const text = JSON.stringify({ type, room, id: String(nextId++), data, timestamp: new Date().toISOString() });
      for (const socket of rooms.get(event.room) || []) socket.send(text);
    }
    res.writeHead(202, { 'Content-Length': 0 }).end();
  });
});
new WebSocketServer({ server }).on('connection', (socket, req) => {
  const room = new URL(req.url, 'http://localhost').searchParams.get('room') || '';
  if (!rooms.has(room)) rooms.set(room, new Set());
  rooms.get(room).add(socket);
  socket.on('close', () => rooms.get(room).delete(socket));
});

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, Number(process.env.MAX_SECONDS || 900) * 1000).unref();
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`ws ${require('ws/package.json').version} listening on port ${server.address().port}`);
});
