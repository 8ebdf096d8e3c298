// A minimal DHCP client for the namespace testbed (RFC 2131): DISCOVER → OFFER → REQUEST → ACK
// over an ordinary UDP socket, with the broadcast flag set so the server's answers reach a client
// that has no address yet. (busybox udhcpc reads through a raw socket and drops the veth's
// offloaded checksums.) Usage: node dhcpClient.mjs MAC [SECONDS]; prints "lease IP from SERVER"
// and exits 0, or "no offer" and exits 1.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';

const [macText, seconds = '4'] = process.argv.slice(2);
const mac = Buffer.from(macText.split(':').map((h) => parseInt(h, 16)));
const xid = randomBytes(4);

function packet(type, extra = []) {
  const head = Buffer.alloc(240);
  head[0] = 1; head[1] = 1; head[2] = 6; // BOOTREQUEST, Ethernet, 6-byte address
  xid.copy(head, 4);
  head.writeUInt16BE(0x8000, 10); // broadcast flag
  mac.copy(head, 28);
  head.writeUInt32BE(0x63825363, 236); // magic cookie
  const opts = [53, 1, type, ...extra, 255];
  return Buffer.concat([head, Buffer.from(opts)]);
}

function parse(buf) {
  if (buf.length < 240 || buf[0] !== 2 || !buf.subarray(4, 8).equals(xid)) return null;
  const opts = {};
  for (let i = 240; i < buf.length && buf[i] !== 255;) {
    if (buf[i] === 0) { i++; continue; }
    opts[buf[i]] = buf.subarray(i + 2, i + 2 + buf[i + 1]);
    i += 2 + buf[i + 1];
  }
  return { yiaddr: [...buf.subarray(16, 20)].join('.'), type: opts[53]?.[0], server: opts[54] };
}

const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
const timer = setTimeout(() => { console.log('no offer'); process.exit(1); }, Number(seconds) * 1000);
const send = (buf) => sock.send(buf, 67, '255.255.255.255');
sock.on('message', (buf) => {
  const m = parse(buf);
  if (!m) return;
  if (m.type === 2 && m.server) {
    // OFFER → REQUEST the offered address from that server (options 50 and 54).
    send(packet(3, [50, 4, ...m.yiaddr.split('.').map(Number), 54, 4, ...m.server]));
  } else if (m.type === 5) {
    clearTimeout(timer);
    console.log(`lease ${m.yiaddr} from ${[...m.server].join('.')}`);
    process.exit(0);
  }
});
sock.bind(68, () => {
  sock.setBroadcast(true);
  send(packet(1));
});
