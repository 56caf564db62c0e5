/**
 * `npm run bench -- [--json bench/results.json] [--repeats N] [--sections a,b] [--profiles unthrottled,cpu-4x] [--no-build]`
 *
 * Drives headless Chromium (Playwright, Debian's /usr/bin/chromium unless LOCALRANK_CHROMIUM says otherwise) against the
 * production build served by `vite preview` on 127.0.0.1, runs each section under each profile, and writes the JSON,
 * a markdown report and SVG charts next to it. Every figure carries its median, p95, raw runs, the baseline measured in
 * the same run, and its target — reported, never asserted (tests never assert timings).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import type { BenchContext, Profile, Section, SectionResult } from './types';
import { writeBenchReport } from './write-bench-report';
import { SECTIONS } from './sections';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

interface Args {
  json: string;
  repeats: number;
  sections: string[] | undefined;
  profiles: Profile[];
  build: boolean;
  port: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: 'bench/results.json', repeats: 10, sections: undefined, profiles: ['unthrottled', 'cpu-4x'], build: true, port: 4180 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = next();
    else if (a === '--repeats') args.repeats = Math.max(1, Number.parseInt(next(), 10) || 10);
    else if (a === '--sections') args.sections = next().split(',');
    else if (a === '--profiles') args.profiles = next().split(',') as Profile[];
    else if (a === '--no-build') args.build = false;
    else if (a === '--port') args.port = Number(next()); // not 4190 or other ports on the Fetch spec's blocklist
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

async function waitForServer(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the preview server did not answer at ${url}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
  if (args.build) {
    log('building (npm run build)');
    const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const baseURL = `http://127.0.0.1:${args.port}`;
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(args.port), '--strictPort'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'], // the server's errors (a port in use…) reach the terminal
    detached: true,
  });
  const stop = (): void => {
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      // already gone
    }
  };
  process.on('exit', stop);
  try {
    await waitForServer(`${baseURL}/localrank.js`);
    const env = process.env.LOCALRANK_CHROMIUM;
    const executablePath = env !== undefined ? env || undefined : existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
    const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
    const chosen: Section[] = SECTIONS.filter((s) => !args.sections || args.sections.includes(s.name));
    const results: Record<string, Record<string, SectionResult>> = {};
    const started = Date.now();
    for (const profile of args.profiles) {
      const ctx: BenchContext = {
        browser,
        baseURL,
        profile,
        repeats: args.repeats,
        dist: resolve(root, 'dist'),
        log: (m) => log(`${profile} ${m}`),
        async newPage() {
          const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          if (profile === 'cpu-4x') {
            const cdp = await context.newCDPSession(page);
            await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
          }
          return { context, page };
        },
      };
      for (const section of chosen) {
        if (section.profileIndependent && profile !== args.profiles[0]) continue;
        log(`${profile} ${section.name}`);
        const t0 = Date.now();
        try {
          (results[section.name] ??= {})[section.profileIndependent ? 'any' : profile] = await section.run(ctx);
        } catch (error) {
          (results[section.name] ??= {})[section.profileIndependent ? 'any' : profile] = { figures: [], notes: [`FAILED: ${String(error)}`] };
          log(`${section.name} failed: ${String(error)}`);
        }
        log(`${profile} ${section.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
    const chromiumVersion = browser.version();
    await browser.close();
    const out = resolve(root, args.json);
    mkdirSync(dirname(out), { recursive: true });
    const report = {
      schema: 1,
      at: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, chromium: chromiumVersion, node: process.version },
      repeats: args.repeats,
      profiles: args.profiles,
      seconds: Math.round((Date.now() - started) / 1000),
      sections: results,
    };
    writeFileSync(out, JSON.stringify(report, null, 2));
    writeBenchReport(report, out);
    log(`wrote ${out} (+ .md, .svg) in ${report.seconds} s`);
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] ${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
