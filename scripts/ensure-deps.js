#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs the locked dependencies when
// node_modules is missing or older than package-lock.json, so a fresh clone needs no other step.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installed = fs.statSync(path.join(root, 'node_modules', '.package-lock.json'), {
  throwIfNoEntry: false,
});
const locked = fs.statSync(path.join(root, 'package-lock.json'));

if (!installed || installed.mtimeMs < locked.mtimeMs) {
  process.stdout.write('Installing dependencies (npm ci)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
