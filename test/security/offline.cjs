/**
 * Preloaded into electronegativity by electronegativity.test.ts: it keeps the scan offline and
 * quick. The tool fetches translations (and, in a check the test leaves out, Electron's release
 * list) over HTTP; here every request fails at once with a code got does not retry, so the scan
 * never waits on a network that CI may not have. Its English strings ship with the package.
 */
'use strict';
const http = require('node:http');
const https = require('node:https');

function offline() {
  const err = new Error('network access is disabled for the electronegativity scan');
  err.code = 'ELOUPEOFFLINE';
  throw err;
}
for (const mod of [http, https]) {
  mod.request = offline;
  mod.get = offline;
}
