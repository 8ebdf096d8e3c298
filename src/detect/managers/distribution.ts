// The distribution a root is, from /etc/os-release (os-release(5); /usr/lib/os-release is the
// fallback the man page names), for detect's output and the README's distribution × manager table.
import type { Distribution } from '../../model/host.js';
import type { RootFs } from '../../system/rootfs.js';

export function readOsRelease(fs: RootFs): Distribution | null {
  const text = fs.readText('/etc/os-release', { anyEncoding: true }) ?? fs.readText('/usr/lib/os-release', { anyEncoding: true });
  if (text === null) return null;
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    // Shell-style quoting, as os-release(5) allows: "…" or '…', backslash escapes in double quotes.
    let v = m[2];
    if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    else if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    vars.set(m[1], v);
  }
  const id = vars.get('ID') ?? 'linux';
  return {
    id,
    like: (vars.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    versionId: vars.get('VERSION_ID') ?? null,
    prettyName: vars.get('PRETTY_NAME') ?? vars.get('NAME') ?? id,
  };
}
