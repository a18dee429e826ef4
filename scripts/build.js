#!/usr/bin/env node
// Builds every app and tool into dist/ in one webpack run.
// `--if-stale` skips the build when dist/ is newer than every source and build file.
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, 'dist', '.build-stamp');
const sources = ['apps', 'libs', 'tools', 'bench'];
const buildFiles = [
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'webpack.config.js',
];

function newestMtime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function isStale() {
  const stamp = fs.statSync(stampFile, { throwIfNoEntry: false });
  if (!stamp) return true;
  const newestSource = Math.max(
    ...[...sources, ...buildFiles].map((entry) => newestMtime(path.join(root, entry))),
  );
  return newestSource > stamp.mtimeMs;
}

function build() {
  return new Promise((resolve, reject) => {
    webpack(require(path.join(root, 'webpack.config.js')), (error, stats) => {
      if (error) return reject(error);
      if (stats.hasErrors()) return reject(new Error(stats.toString('errors-only')));
      fs.mkdirSync(path.dirname(stampFile), { recursive: true });
      fs.writeFileSync(stampFile, new Date().toISOString());
      resolve();
    });
  });
}

async function main() {
  if (process.argv.includes('--if-stale') && !isStale()) return;
  const started = Date.now();
  process.stdout.write('Building Jarvis…\n');
  await build();
  process.stdout.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

module.exports = { buildIfStale: () => (isStale() ? main() : Promise.resolve()) };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`Build failed: ${error.message}\n`);
    process.exit(1);
  });
}
