import { describe, expect, it } from 'vitest';
import { attributeLongFrames, isLocalRankUrl } from './attribute-long-frames';

const frame = (scripts: [string, number][], duration = 80, blockingDuration = duration - 50) => ({
  startTime: 0,
  duration,
  blockingDuration,
  scripts: scripts.map(([sourceURL, d]) => ({ sourceURL, duration: d })),
});

describe('isLocalRankUrl', () => {
  it('knows LocalRank files by path', () => {
    expect(isLocalRankUrl('http://127.0.0.1:4191/localrank.js')).toBe(true);
    expect(isLocalRankUrl('http://127.0.0.1:4191/chunks/create-runtime-Drm8gpgq.js')).toBe(true);
    expect(isLocalRankUrl('https://cdn.example/lr/chunks/tfjs-core-x.js')).toBe(true);
    expect(isLocalRankUrl('http://127.0.0.1:4191/assets/tfjs-backend-wasm-a.wasm')).toBe(true);
  });
  it('does not claim host scripts, inline code or garbage', () => {
    expect(isLocalRankUrl('http://127.0.0.1:4191/shop.js')).toBe(false);
    expect(isLocalRankUrl('http://127.0.0.1:4191/index.html')).toBe(false);
    expect(isLocalRankUrl('http://127.0.0.1:4191/notlocalrank.jsx')).toBe(false);
    expect(isLocalRankUrl('')).toBe(false);
  });
});

describe('attributeLongFrames', () => {
  it('counts nothing for no frames', () => {
    expect(attributeLongFrames([])).toEqual({ frames: 0, localrank: 0, localrankBlocking: 0, involving: 0, localrankScriptMs: 0, blockingMs: 0, longScripts: 0 });
  });
  it('blames LocalRank when its scripts are the main cause, and lists every frame it ran in', () => {
    const a = attributeLongFrames([
      frame([['http://h/localrank.js', 40], ['http://h/shop.js', 20]]), // LocalRank dominant
      frame([['http://h/chunks/create-runtime-x.js', 10], ['http://h/shop.js', 60]], 90), // shop dominant
      frame([['http://h/shop.js', 70]]), // host only
      frame([], 60), // rendering only: no script to blame
      frame([['http://h/chunks/a.js', 30], ['http://h/shop.js', 30]]), // tie: LocalRank
    ]);
    expect(a.frames).toBe(5);
    expect(a.localrank).toBe(2);
    expect(a.involving).toBe(3);
    expect(a.localrankScriptMs).toBe(80);
    expect(a.blockingMs).toBe(30 + 40 + 30 + 10 + 30);
  });
  it('counts LocalRank scripts over 50 ms on their own, not frames made long by several short ones', () => {
    const a = attributeLongFrames([
      frame([['http://h/localrank.js', 30], ['http://h/chunks/create-runtime-x.js', 30]], 70), // two short tasks
      frame([['http://h/chunks/create-runtime-x.js', 51]], 60), // one long LocalRank task
      frame([['http://h/shop.js', 90]], 95), // the host's long task
    ]);
    expect(a.localrank).toBe(2);
    expect(a.longScripts).toBe(1);
  });
  it('tells the frames LocalRank is blamed for that held a long task from those long without one', () => {
    const a = attributeLongFrames([
      frame([['http://h/chunks/create-runtime-x.js', 10]], 120, 0), // long only because rendering started late
      frame([['http://h/chunks/create-runtime-x.js', 30]], 90, 15), // a long task in it
      frame([['http://h/shop.js', 40]], 90, 25), // the host's
    ]);
    expect(a.localrank).toBe(2);
    expect(a.localrankBlocking).toBe(1);
  });
  it('takes a custom ownership test', () => {
    expect(attributeLongFrames([frame([['x', 60]])], (u) => u === 'x').localrank).toBe(1);
  });
});
