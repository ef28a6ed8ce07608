import { io } from "socket.io-client";
import { startHub } from "./hub.mjs";
const hub = await startHub({ profile: "hooky" });
await fetch(`${hub.base}/api/v1/rooms/webhook:xyz-789`, { method: "PUT" });
const socket = io(hub.base, { transports: ["polling"], reconnection: false , forceNew: true, reconnectionDelay: 100});
socket.on("disconnect", (r) => console.log("disconnect", r));
socket.on("connect", async () => { console.log("connected"); const t0=Date.now(); let n=0; try { for (; n < 1000; n++) await socket.timeout(3000).emitWithAck("leave", "xyz-789"); } catch (e) { console.log("err", n, e.message); } console.log(n, Date.now()-t0); socket.close(); hub.stop(); });
