// Recipe vlan-bridges, xend era: seed 002 line 105 — "an init.d script to bring the interface up
// between xend and xendomains starting" — is mentioned, not printed; this one does just that.
import type { VlanLayout } from '../../backends/types.js';

export const INIT_SCRIPT = '/etc/init.d/xen-vlan-bridges';

/**
 * seed 002 line 105: "an init.d script to bring the interface up between xend and xendomains" —
 * not printed in the seed; this one does exactly that for the bridges above (no `auto`, line 98).
 */
export function renderXendInit(layout: VlanLayout): string {
  const bridges = layout.vlans.map((v) => v.bridge).join(' ');
  return [
    '#!/bin/sh',
    '### BEGIN INIT INFO',
    '# Provides:          xen-vlan-bridges',
    '# Required-Start:    $network xend',
    '# Required-Stop:     $network xend',
    '# X-Start-Before:    xendomains',
    '# X-Stop-After:      xendomains',
    '# Default-Start:     2 3 4 5',
    '# Default-Stop:      0 1 6',
    '# Short-Description: Xen VLAN bridges (xen-net-wizard, seed 002 lines 97–105)',
    '### END INIT INFO',
    '',
    `BRIDGES="${bridges}"`,
    '',
    'case "$1" in',
    '  start)',
    '        for b in $BRIDGES; do ifup "$b"; done',
    '        ;;',
    '  stop)',
    '        for b in $BRIDGES; do ifdown "$b"; done',
    '        ;;',
    '  restart|force-reload)',
    '        "$0" stop',
    '        "$0" start',
    '        ;;',
    '  *)',
    '        echo "Usage: $0 {start|stop|restart|force-reload}" >&2',
    '        exit 1',
    'esac',
    '',
  ].join('\n');
}
