// routed-lan's policy routing in dom0 (seed 000 lines 463–514): the rt_tables entries, the
// route.conf that set_route() reads, the shell functions that read it, and the same routes and
// rules as `ip` steps for a live dom0.
import type { RoutingSpec } from '../model/topology.js';
import type { FileChange, ReadFile, Step } from '../model/plan.js';
import { InputError } from '../errors.js';
import { commandStep } from '../model/steps.js';

export const RT_TABLES = '/etc/iproute2/rt_tables';
export const ROUTE_CONF = '/etc/xen/route.conf';

/**
 * seed 000 lines 502–506: the tables' entries appended to rt_tables, laid out as the guide prints
 * them; entries already there are left alone. An id or name taken by another table is refused
 * (iproute2 would resolve the name to the other table).
 */
export function renderRtTables(tables: RoutingSpec['tables'], read: ReadFile): FileChange | null {
  const file = read(RT_TABLES);
  const before = file?.text ?? '';
  const present = new Map<string, number>();
  const ids = new Map<number, string>();
  for (const line of before.split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    present.set(m[2], Number(m[1]));
    ids.set(Number(m[1]), m[2]);
  }
  const missing = tables.filter((t) => present.get(t.name) !== t.id);
  for (const t of missing) {
    if (present.has(t.name)) throw new InputError('error.rtTableName', { file: RT_TABLES, name: t.name, id: present.get(t.name)! });
    if (ids.has(t.id)) throw new InputError('error.rtTableId', { file: RT_TABLES, id: t.id, name: ids.get(t.id)! });
  }
  if (missing.length === 0) return null;
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  const after = before + sep + missing.map((t) => `${t.id}    ${t.name}\n`).join('');
  return { path: RT_TABLES, mode: file?.mode ?? '0644', before: file ? before : null, after };
}

/** A route.conf line starting with one of these is an `ip rule` (seed 000 line 473). */
export const RULE_SELECTORS = ['from', 'to', 'iif', 'oif', 'fwmark', 'not', 'pref', 'priority', 'tos', 'lookup'];

/**
 * route.conf (seed 000 lines 465–469): one `ip route replace` or `ip rule add` argument string a
 * line, the routes of each table before the rule that sends packets to it.
 */
export function renderRouteConf(routing: RoutingSpec, comments: Record<string, string>): string {
  const lines = [
    '# /etc/xen/route.conf: read by set_route() (network-bridge-util) — seed 000 lines 465–473.',
    '# Each line is what follows `ip route replace`, or `ip rule add` when it starts with a',
    `# rule selector (${RULE_SELECTORS.join(', ')}).`,
    '# Lines starting with # and blank lines are ignored.',
  ];
  const tableOf = (args: string[]) => args[args.indexOf('table') + 1];
  for (const table of routing.tables) {
    lines.push('', `# ${table.name}: ${comments[table.name] ?? ''}`.trimEnd());
    lines.push(...routing.routes.filter((r) => tableOf(r) === table.name).map((r) => r.join(' ')));
    lines.push(...routing.rules.filter((r) => tableOf(r) === table.name).map((r) => r.join(' ')));
  }
  return lines.join('\n') + '\n';
}

/**
 * set_route / unset_route, POSIX sh (dash runs the libvirt hook on Debian). The author's
 * network-bridge-util is not in the text (seed 000 line 408 links to it; the link is cut): this
 * is what lines 467–473 describe. `ip rule add` adds a duplicate at every run, so an earlier copy
 * is deleted first; unset_route undoes each line (routes with `ip route del`).
 */
export const SET_ROUTE_FUNCTIONS = `is_rule () {
    case "$1" in
        ${RULE_SELECTORS.join('|')}) return 0 ;;
    esac
    return 1
}

route_lines () {
    # Each non-blank line that is not a comment, with leading blanks dropped.
    sed -e 's/^[[:space:]]*//' -e '/^#/d' -e '/^$/d' "$1"
}

route_conf () {
    # route_conf set|unset FILE
    [ -r "$2" ] || return 0
    route_lines "$2" | while read -r line; do
        set -f
        if is_rule $line; then
            while ip rule del $line 2>/dev/null; do :; done
            if [ "$1" = set ]; then ip rule add $line; fi
        elif [ "$1" = set ]; then
            ip route replace $line
        else
            ip route del $line 2>/dev/null
        fi
        set +f
    done
}

set_route () { route_conf set "$1"; }
unset_route () { route_conf unset "$1"; }
`;

/** Table names → numbers, so the live steps do not depend on which rt_tables `ip` reads. */
function numbered(args: string[], routing: RoutingSpec): string[] {
  return args.map((a, i) => (args[i - 1] === 'table' ? String(routing.tables.find((t) => t.name === a)?.id ?? a) : a));
}

/** The routes, then the rules, applied now: `ip route replace` / `ip rule add`, each with its undo. */
export function routingSteps(routing: RoutingSpec): Step[] {
  const routes = routing.routes.map((r) => numbered(r, routing)).map((args) =>
    commandStep(`ip-route-${args.join('-')}`, 'after-edit', ['ip', 'route', 'replace', ...args], {
      undo: ['ip', 'route', 'del', ...args],
      title: { key: 'step.ipRoute', params: { route: args.join(' ') } },
    }));
  const rules = routing.rules.map((r) => numbered(r, routing)).map((args) =>
    commandStep(`ip-rule-${args.join('-')}`, 'after-edit', ['ip', 'rule', 'add', ...args], {
      undo: ['ip', 'rule', 'del', ...args],
      title: { key: 'step.ipRule', params: { rule: args.join(' ') } },
    }));
  return [...routes, ...rules];
}
