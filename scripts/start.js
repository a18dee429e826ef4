#!/usr/bin/env node
// `npm start`: builds when sources changed, then hands over to the launcher.
const path = require('node:path');
const { buildIfStale } = require('./build');

buildIfStale()
  .then(() => require(path.resolve(__dirname, '..', 'dist', 'tools', 'launcher', 'main.js')))
  .catch((error) => {
    process.stderr.write(`Build failed: ${error.message}\n`);
    process.exit(1);
  });
