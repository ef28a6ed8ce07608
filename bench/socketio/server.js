// Socket.IO 4 counterpart of Switchboard for the fan-out benchmark (bench/run socketio).
// Clients connect with Engine.IO v4 over WebSocket (or long-polling: polling-load.js) and join a room with 42["join","<room>"]
// (answered by 42["joined",{room}]). Publishers POST /api/v1/events with Switchboard's body (one
// event or an array); each event goes out with io.to(room).emit(type, {room, id, data, timestamp}),
// the same fields a Switchboard subscriber gets. Loopback only; it exits by itself after MAX_SECONDS.
'use strict';
const http = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 0);
const maxSeconds = Number(process.env.MAX_SECONDS || 900);
const lastIds = new Map();
const version = JSON.parse(require('node:fs').readFileSync(require.resolve('socket.io').replace(/dist[\\/]index\.js$/, 'package.json'), 'utf8')).version;

function reply(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/events') {
    reply(res, 404, { code: 'NOT_FOUND', message: 'POST /api/v1/events only' });
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      reply(res, 400, { code: 'MESSAGE_INVALID', message: 'body is not JSON' });
      return;
    }
    const events = Array.isArray(body) ? body : [body];
    if (events.some((e) => typeof e.room !== 'string' || typeof e.type !== 'string')) {
      reply(res, 400, { code: 'MESSAGE_INVALID', message: 'every event needs room and type' });
      return;
    }
    const ids = events.map((e) => {
      const id = (lastIds.get(e.room) || 0) + 1;
      lastIds.set(e.room, id);
      io.to(e.room).emit(e.type, { room: e.room, id: String(id), data: e.data, timestamp: new Date().toISOString() });
      return { [e.room]: String(id) };
    });
    reply(res, 202, { ids: Array.isArray(body) ? ids : ids[0] });
  });
});

// Both transports: the fan-out's clients connect over WebSocket directly, the long-polling load over polling.
const io = new Server(server, { transports: ['polling', 'websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room) => {
    socket.join(String(room));
    socket.emit('joined', { room: String(room) });
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`socket.io ${version} listening on port ${server.address().port}`);
});
const stop = () => {
  io.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, maxSeconds * 1000).unref();
