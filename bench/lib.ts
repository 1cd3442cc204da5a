// Shared pieces of the benchmarks: starting pinned server processes, waiting for them, and
// driving load with wrk (Debian) or autocannon (npm) from another core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CORES = os.availableParallelism();
export const SERVER_CORE = '0';
export const LOAD_CORE = CORES > 1 ? '1' : '0';

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

const hasTaskset = hasCommand('taskset');

/** Starts a process pinned to one core (when taskset exists). */
export function startPinned(core: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', core, command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d) => process.env.BENCH_VERBOSE && process.stderr.write(d));
  return child;
}

export async function waitForHttp(url: string, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) {
        await res.arrayBuffer();
        return performance.now() - started;
      }
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface LoadResult {
  tool: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** Drives `url` with `connections` for `seconds` from the load core. */
export async function runLoad(url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const headerArgs = Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  if (hasCommand('wrk')) {
    const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', ...headerArgs, url];
    const res = hasTaskset ? spawnSync('taskset', ['-c', LOAD_CORE, 'wrk', ...args], { encoding: 'utf8' }) : spawnSync('wrk', args, { encoding: 'utf8' });
    const out = res.stdout;
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p50 = latencyMs(/\s50%\s+([\d.]+)(us|ms|s)/.exec(out));
    const p99 = latencyMs(/\s99%\s+([\d.]+)(us|ms|s)/.exec(out));
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    if (!rps) throw new Error(`wrk output not understood:\n${out}\n${res.stderr}`);
    return { tool: 'wrk', requestsPerSec: rps, p50Ms: p50, p99Ms: p99, non2xx };
  }
  const script = `
    const autocannon = require('autocannon');
    autocannon({ url: ${JSON.stringify(url)}, connections: ${opts.connections}, duration: ${opts.seconds}, headers: ${JSON.stringify(opts.headers ?? {})} }, (err, r) => {
      if (err) { console.error(err); process.exit(1); }
      console.log(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx }));
    });`;
  const cmd = hasTaskset ? ['taskset', ['-c', LOAD_CORE, process.execPath, '-e', script]] as const : [process.execPath, ['-e', script]] as const;
  const res = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', cwd: ROOT });
  const r = JSON.parse(res.stdout.trim().split('\n').pop()!);
  return { tool: 'autocannon', requestsPerSec: r.rps, p50Ms: r.p50, p99Ms: r.p99, non2xx: r.non2xx };
}

function latencyMs(m: RegExpExecArray | null): number {
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A horizontal bar chart for the terminal: numbers people would rather see than read. */
export function barChart(rows: { label: string; value: number; unit: string }[], width = 40): string {
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  return rows
    .map((r) => `${r.label.padEnd(labelWidth)} ${'█'.repeat(Math.max(1, Math.round((r.value / max) * width)))} ${fmt(r.value)} ${r.unit}`)
    .join('\n');
}

export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}
