// The roots of today's distributions (test/fixtures/managers/README.md) and their variants.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, copyFixture } from './roots.js';

export const MANAGERS = path.join(PROJECT, 'test/fixtures/managers');

/** The Ubuntu 24.04 server root with two more NICs (eno2, eno3), for bond-bridge. */
export function ubuntu3nic(): string {
  const root = copyFixture(path.join(MANAGERS, 'ubuntu2404-server/root'));
  for (const [n, mac] of [['eno2', '52:54:00:12:34:57'], ['eno3', '52:54:00:12:34:58']]) {
    fs.mkdirSync(path.join(root, 'sys/class/net', n), { recursive: true });
    fs.writeFileSync(path.join(root, 'sys/class/net', n, 'address'), `${mac}\n`);
  }
  return root;
}
