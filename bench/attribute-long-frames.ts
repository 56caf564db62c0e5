/** One `long-animation-frame` entry as recorded in the page (only what attribution needs). */
export interface RecordedFrame {
  readonly startTime: number;
  readonly duration: number;
  readonly blockingDuration: number;
  /** The frame's scripts (Chromium lists those longer than 5 ms), with the URL of the script that defined them. */
  readonly scripts: readonly { readonly sourceURL: string; readonly duration: number }[];
}

/** Long frames split by whose scripts ran in them. */
export interface FrameAttribution {
  /** Every long frame (> 50 ms). */
  readonly frames: number;
  /** Long frames whose LocalRank script time is at least the other scripts' time (LocalRank is the main cause). */
  readonly localrank: number;
  /**
   * Of {@link localrank}, the frames that held a long task (blocking time above 0). The others were long without any
   * task over 50 ms: short tasks, and rendering that started late.
   */
  readonly localrankBlocking: number;
  /** Long frames in which any LocalRank script ran (> 5 ms), however small its share. */
  readonly involving: number;
  /** Milliseconds of LocalRank script time inside long frames. */
  readonly localrankScriptMs: number;
  /** Sum of the frames' blocking durations (the part of each frame's long tasks beyond 50 ms). */
  readonly blockingMs: number;
  /**
   * LocalRank scripts that ran over 50 ms on their own (one callback or module evaluation with its microtasks): the
   * nearest attributable thing to "a long task caused by LocalRank", since a long frame may be several short tasks.
   */
  readonly longScripts: number;
}

/**
 * True for LocalRank's own files: the first script `localrank.js` and everything under `chunks/` (runtime, worker,
 * tfjs) or `assets/` (wasm), as served next to it. Host scripts (`/shop.js`) and inline/injected code are not.
 */
export function isLocalRankUrl(url: string): boolean {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  return /(^|\/)localrank\.js$/.test(path) || /\/(chunks|assets)\//.test(path);
}

/**
 * Attributes long animation frames (LoAF) to LocalRank from the `sourceURL` of their scripts. A frame counts as
 * LocalRank's when LocalRank's script time in it is at least the time of all other attributed scripts; `involving`
 * is the stricter upper bound (any LocalRank script in the frame). Rendering time has no script and is not attributed.
 */
export function attributeLongFrames(frames: readonly RecordedFrame[], isOwn: (url: string) => boolean = isLocalRankUrl): FrameAttribution {
  let localrank = 0;
  let localrankBlocking = 0;
  let involving = 0;
  let localrankScriptMs = 0;
  let blockingMs = 0;
  let longScripts = 0;
  for (const f of frames) {
    let own = 0;
    let other = 0;
    for (const s of f.scripts) {
      if (isOwn(s.sourceURL)) {
        own += s.duration;
        if (s.duration > 50) longScripts++;
      } else other += s.duration;
    }
    blockingMs += f.blockingDuration;
    localrankScriptMs += own;
    if (own > 0) involving++;
    if (own > 0 && own >= other) {
      localrank++;
      if (f.blockingDuration > 0) localrankBlocking++;
    }
  }
  return { frames: frames.length, localrank, localrankBlocking, involving, localrankScriptMs, blockingMs, longScripts };
}
