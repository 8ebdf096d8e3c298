// A tiny UDP echo for the testbed: the server answers each datagram with the source address it
// saw, so a guest can tell whether the LAN sees its real address or dom0's (NAT, seed 000 line 392).
import dgram from 'node:dgram';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'server') {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => sock.send(rinfo.address, rinfo.port, rinfo.address));
  sock.bind(Number(a), () => console.log('ready'));
  setTimeout(() => process.exit(0), Number(b ?? 60) * 1000);
} else {
  const sock = dgram.createSocket('udp4');
  const timer = setTimeout(() => {
    console.log('timeout');
    process.exit(1);
  }, 3000);
  sock.on('message', (msg) => {
    clearTimeout(timer);
    console.log(String(msg));
    process.exit(0);
  });
  sock.send('who am i', Number(b), a);
}
