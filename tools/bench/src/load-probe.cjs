// Runs in a fresh Node process (plain CommonJS, nothing preloaded): the cold start of one deployed
// function app as the Functions Node worker does it, until the app could take its first event:
//   1. `@azure/functions-core` is provided (the worker's API), so the app's `app.*` calls really
//      register (not the library's test mode, which skips them);
//   2. the entry point is required (the worker loads CommonJS apps with require);
//   3. the programming model is asked for its capabilities (the worker does, once loading is done);
//   4. the appStart hooks run: settings are parsed and every client the app builds at start is built.
// The environment is Azure's (identity-based connections, Application Insights on, see packages.ts),
// so what a deployed instance loads at start is loaded here. Whatever an app loads later, on first
// use, is listed (`lazyLoaded` files) so the bench can show it stayed out of this path.
// Output: one JSON line { cpu, wall, functions, files, bytes } (CPU of this process, user + system).
'use strict';
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');

const entry = path.resolve(process.argv[2]);
const functions = [];
const hooks = { appStart: [], appTerminate: [], preInvocation: [], postInvocation: [], log: [] };
let model;
class Disposable {
  static from(...likes) {
    return new Disposable(() => likes.forEach((l) => l.dispose()));
  }
  constructor(onDispose) {
    this.onDispose = onDispose;
  }
  dispose() {
    const f = this.onDispose;
    this.onDispose = undefined;
    return f?.();
  }
}
const coreApi = {
  version: '3.10.1',
  hostVersion: '4.1040.0',
  registerFunction(metadata) {
    functions.push(metadata.name);
    return new Disposable(() => undefined);
  },
  registerHook(name, callback) {
    if (!(name in hooks)) throw new RangeError(`Unrecognized hook "${name}"`);
    hooks[name].push(callback);
    return new Disposable(() => undefined);
  },
  setProgrammingModel: (m) => (model = m),
  getProgrammingModel: () => model,
  log: () => undefined,
  Disposable,
};
// The worker answers require('@azure/functions-core') itself (Module.prototype.require is patched).
const originalRequire = Module.prototype.require;
Module.prototype.require = function require(id) {
  return id === '@azure/functions-core' ? coreApi : originalRequire.apply(this, arguments);
};

async function main() {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  require(entry);
  if (model?.getCapabilities) await model.getCapabilities({});
  for (const hook of hooks.appStart) await hook({ hookData: {}, appHookData: {}, functionAppDirectory: path.dirname(entry) });
  const used = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const dir = path.dirname(entry) + path.sep;
  const files = Object.keys(require.cache).filter((f) => f.startsWith(dir));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  process.stdout.write('\n' + JSON.stringify({ cpu: (used.user + used.system) / 1e3, wall, functions, files: files.map((f) => path.relative(dir, f)), bytes }) + '\n');
  // Clients may hold timers or sockets; the measure is taken.
  process.exit(0);
}
main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
