'use strict';
// sup's Node cluster primary (exec_mode: cluster; docs/supervision.md "Cluster mode").
// sup runs this file with the app's node, in the app's folder and environment; it forks
// SUP_CLUSTER_INSTANCES workers of the app's script with Node's `cluster` module, so the
// workers share every port they listen on, as under PM2. It replaces a worker that dies,
// replaces workers one by one on SIGHUP (sup reload: zero downtime), resizes on SIGUSR2
// (sup scale), stops the workers on SIGTERM/SIGINT and exits once they are gone.
// What it knows it writes to SUP_CLUSTER_STATUS (JSON, replaced atomically) for `sup ls`.
const cluster = require('cluster');
const fs = require('fs');

const env = process.env;
const script = env.SUP_CLUSTER_SCRIPT;
const args = JSON.parse(env.SUP_CLUSTER_ARGS || '[]');
const execArgv = JSON.parse(env.SUP_CLUSTER_EXEC_ARGV || '[]');
const statusFile = env.SUP_CLUSTER_STATUS;
const scaleFile = env.SUP_CLUSTER_SCALE;
const minUptime = Number(env.SUP_CLUSTER_MIN_UPTIME_MS || 1000);
const maxRestarts = Number(env.SUP_CLUSTER_MAX_RESTARTS || 15);
const backoff = Number(env.SUP_CLUSTER_BACKOFF_MS || 100);
const killTimeout = Number(env.SUP_CLUSTER_KILL_TIMEOUT_MS || 5000);
const listenTimeout = Number(env.SUP_CLUSTER_LISTEN_TIMEOUT_MS || 3000);
let wanted = Number(env.SUP_CLUSTER_INSTANCES || 1);
// The workers see the app's environment, not this file's plumbing.
for (const key of Object.keys(env)) if (key.startsWith('SUP_CLUSTER_')) delete env[key];

cluster.setupPrimary({ exec: script, args, execArgv });

const slots = new Map(); // index -> { worker, restarts, fastCrashes, startedAt }
let stopping = false;
let reloads = 0;
let reloading = false;

function log(line) { process.stdout.write(`[sup cluster] ${line}\n`); }

function writeStatus() {
  if (!statusFile) return;
  const workers = [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([index, s]) => ({
    index, pid: s.worker && !s.worker.isDead() ? s.worker.process.pid : null,
    restarts: s.restarts, started_at_ms: s.startedAt, status: s.worker ? 'online' : 'waiting',
  }));
  const tmp = `${statusFile}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, JSON.stringify({ primary: process.pid, instances: wanted, reloads, workers }));
    fs.renameSync(tmp, statusFile);
  } catch (e) { log(`could not write ${statusFile}: ${e.message}`); }
}

function fork(index) {
  const slot = slots.get(index) || { worker: null, restarts: 0, fastCrashes: 0, startedAt: 0 };
  slots.set(index, slot);
  const worker = cluster.fork({ NODE_APP_INSTANCE: String(index), SUP_INSTANCE: String(index) });
  slot.worker = worker;
  slot.startedAt = Date.now();
  worker.on('exit', (code, signal) => exited(index, worker, code, signal));
  writeStatus();
  return worker;
}

function exited(index, worker, code, signal) {
  const slot = slots.get(index);
  if (!slot || slot.worker !== worker) return; // replaced by a reload, or scaled away
  slot.worker = null;
  if (stopping) { writeStatus(); maybeExit(); return; }
  const lived = Date.now() - slot.startedAt;
  slot.fastCrashes = lived < minUptime ? slot.fastCrashes + 1 : 0;
  log(`worker ${index} (pid ${worker.process.pid}) exited ${signal ? 'on ' + signal : 'with code ' + code} after ${lived} ms`);
  if (slot.fastCrashes >= maxRestarts) {
    // Every worker of this slot dies at once: let sup's own crash policy see it.
    log(`worker ${index} crashed ${slot.fastCrashes} times within ${minUptime} ms of starting; stopping the cluster`);
    process.exitCode = 1;
    stop('SIGTERM');
    return;
  }
  slot.restarts++;
  const delay = slot.fastCrashes === 0 ? 0 : Math.min(backoff * 2 ** (slot.fastCrashes - 1), 15000);
  writeStatus();
  setTimeout(() => { if (!stopping && slots.has(index) && !slots.get(index).worker) fork(index); }, delay);
}

function maybeExit() {
  if ([...slots.values()].every(s => !s.worker)) {
    try { if (statusFile) fs.unlinkSync(statusFile); } catch (_) { }
    process.exit();
  }
}

function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const s of slots.values()) if (s.worker) s.worker.process.kill(signal);
  setTimeout(() => { for (const s of slots.values()) if (s.worker) s.worker.process.kill('SIGKILL'); }, killTimeout).unref();
  maybeExit();
}

/**
 * Lets a worker go without dropping a request: disconnect() closes its servers (no new
 * connection is handed to it) and it exits once its open connections are done; one that does
 * not (timers, other handles) gets SIGTERM after kill_timeout, then SIGKILL after another.
 */
function retire(worker) {
  try { worker.disconnect(); } catch (_) { }
  const term = setTimeout(() => { if (!worker.isDead()) worker.process.kill('SIGTERM'); }, killTimeout);
  const kill = setTimeout(() => { if (!worker.isDead()) worker.process.kill('SIGKILL'); }, 2 * killTimeout);
  worker.on('exit', () => { clearTimeout(term); clearTimeout(kill); });
}

/** Starts a new worker for the slot, waits until it listens (or listenTimeout), then retires the old one. */
function replace(index) {
  return new Promise(resolve => {
    const slot = slots.get(index);
    const old = slot && slot.worker;
    const fresh = fork(index);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (old && !old.isDead()) {
        old.on('exit', () => resolve());
        retire(old);
      } else resolve();
    };
    const timer = setTimeout(finish, listenTimeout);
    fresh.once('listening', finish);
    fresh.once('exit', finish);
  });
}

async function reload() {
  if (reloading || stopping) return;
  reloading = true;
  for (const index of [...slots.keys()].sort((a, b) => a - b)) {
    if (stopping) break;
    await replace(index);
  }
  reloading = false;
  reloads++;
  writeStatus();
  log(`reloaded ${slots.size} worker(s)`);
}

function resize() {
  if (stopping) return;
  try { wanted = Math.max(1, Number(fs.readFileSync(scaleFile, 'utf8').split('\n')[0].trim()) || wanted); } catch (_) { }
  for (let i = 0; i < wanted; i++) if (!slots.has(i)) fork(i);
  for (const index of [...slots.keys()].filter(i => i >= wanted)) {
    const slot = slots.get(index);
    slots.delete(index);
    if (slot.worker) retire(slot.worker);
  }
  writeStatus();
  log(`scaled to ${wanted} worker(s)`);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => { reload(); });
process.on('SIGUSR2', resize);

if (scaleFile) { try { wanted = Math.max(1, Number(fs.readFileSync(scaleFile, 'utf8').split('\n')[0].trim()) || wanted); } catch (_) { } }
for (let i = 0; i < wanted; i++) fork(i);
