#!/usr/bin/env node
// Part of `npm run build`: dist/man/xen-net-wizard.1 from the built spec and the English texts
// (the same source as --help).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { manPage } = await import(path.join(project, 'dist/src/cli/manPage.js'));
const { translator } = await import(path.join(project, 'dist/src/i18n.js'));
const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
const out = path.join(project, 'dist/man/xen-net-wizard.1');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, manPage(translator('en'), pkg.version));
