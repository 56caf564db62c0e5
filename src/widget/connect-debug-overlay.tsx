import { render } from 'preact';
import type { Explanation } from '../core/ranker';
import { INTERACTION_TYPES } from '../core/interaction';
import type { PrivacyState } from '../core/privacy-state';
import { summariseData } from '../core/summarise-data';
import { DebugOverlay } from '../ui/debug-overlay';
import type { DebugOverlayProps, DebugRankingView, DebugRunView } from '../ui/debug-overlay-props';
import { debugOverlayStyles } from '../ui/debug-overlay-styles';
import type { EventLog } from '../storage/event-log';
import type { ModelController } from './connect-model';
import type { DebugFeed } from './debug-feed';
import { trainingRuns } from './training-runs';
import type { TrainingRun } from './training-runs';

/** What {@link connectDebugOverlay} reads; all of it already exists in the runtime. */
export interface DebugOverlayOptions {
  readonly doc: Document;
  /** The runtime's records (rankings, training progress); the overlay sets its `changed`. */
  readonly feed: DebugFeed;
  readonly log: EventLog;
  readonly model: ModelController;
  /** Name of the ranker in use (`heuristic`, `model`). */
  readonly ranker: () => string;
  /** Events the runtime holds (log + this page). */
  readonly events: () => number;
  readonly privacy: () => PrivacyState;
  /** The shopper-facing text of an explanation (the shop's strings). */
  readonly explain: (reason: Explanation) => string;
  readonly locale: string;
}

const mrr = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(3));

/** Items listed per ranking. */
const ROWS = 50;

function runView(run: TrainingRun): DebugRunView {
  const v = run.validation;
  const last = run.points.at(-1);
  const parts = [
    run.origin,
    run.phase === 'epoch' || run.phase === 'start' ? 'training' : run.phase,
    `epoch ${last?.epoch ?? 0}/${run.epochs ?? '?'}`,
    ...(run.examples !== undefined ? [`${run.examples} examples`] : []),
    ...(v ? [`validation MRR ${mrr(v.model)} (heuristic ${mrr(v.heuristic)}${v.before !== undefined ? `, before ${mrr(v.before)}` : ''}, ${v.cases} cases)`] : []),
    ...(run.message ? [run.message] : []),
  ];
  return {
    summary: parts.join(' · '),
    epoch: last?.epoch ?? 0,
    epochs: run.epochs ?? run.points.length,
    loss: run.points.map((p) => p.loss),
    metric: run.points.map((p) => p.model),
  };
}

let sheet: CSSStyleSheet | undefined;

/**
 * Shows the debug overlay (`?localrank-debug` in the page URL, or `data-debug` on the script tag): a Preact
 * component in a shadow root of its own, appended to the document's body. It re-renders at most every 250 ms after
 * the runtime records a ranking, a training step or a stored batch, and once a second for the backend status;
 * stored events are read again only after a change. Loaded as a lazy chunk of its own: shoppers never download it.
 * @returns a function that removes the overlay
 */
export function connectDebugOverlay(options: DebugOverlayOptions): () => void {
  const { doc, feed, log } = options;
  const host = doc.createElement('div');
  host.setAttribute('data-localrank-debug', '');
  const root = host.attachShadow({ mode: 'open' });
  // A constructable stylesheet is not subject to a CSP's style-src (as for the carousels).
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheet ??= new CSSStyleSheet();
    sheet.replaceSync(debugOverlayStyles);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = doc.createElement('style');
    style.textContent = debugOverlayStyles;
    root.append(style);
  }
  (doc.body ?? doc.documentElement).append(host);

  let open = true;
  let events: DebugOverlayProps['events'];
  let reading = false;
  let stale = true;
  const time = (t: number): string => new Date(t).toLocaleTimeString(options.locale);

  const readEvents = (): void => {
    if (reading || !stale) return;
    reading = true;
    stale = false;
    const privacy = options.privacy();
    const read = privacy.storage ? log.read() : Promise.resolve({ events: [], counters: [] });
    void read
      .then((state) => {
        const { counts } = summariseData(state.events, state.counters, () => undefined, 0);
        events = INTERACTION_TYPES.filter((t) => counts[t] > 0).map((type) => ({ type, count: counts[type] }));
      })
      .catch(() => {
        events = [];
      })
      .finally(() => {
        reading = false;
        schedule();
      });
  };

  const paint = (): void => {
    const status = options.model.status();
    const m = status.model;
    const privacy = options.privacy();
    const facts = [
      { label: 'ranker', value: options.ranker() },
      { label: 'model', value: [m.state, m.source, m.origin].filter(Boolean).join(' · ') },
      ...(m.validation ? [{ label: 'model validation', value: `MRR ${mrr(m.validation.model)} vs heuristic ${mrr(m.validation.heuristic)} (${m.validation.cases} cases)` }] : []),
      ...(m.trainedAt ? [{ label: 'trained', value: `${new Date(m.trainedAt).toLocaleString(options.locale)} from ${m.eventsSeen} engaged products` }] : []),
      ...(m.params ? [{ label: 'parameters', value: `${m.params} (${Math.round((m.bytes ?? 0) / 1024)} KB)` }] : []),
      ...(m.neighbours ? [{ label: 'neighbour index', value: `${m.neighbours} products` }] : []),
      { label: 'training runs', value: String(m.runs) },
      ...(status.webglVersion ? [{ label: 'WebGL', value: `${status.webglVersion}${status.renderer ? ` · ${status.renderer}` : ''}` }] : []),
      { label: 'storage', value: `${privacy.storage ? log.mode() : 'off'} · ${options.events()} events in the log · ${log.pendingCount()} queued` },
      { label: 'privacy', value: `consent ${privacy.consent}${privacy.paused ? ' · paused' : ''}${privacy.gpc ? ' · GPC' : ''}` },
    ];
    const rankings: DebugRankingView[] = [...feed.ranks].map(([list, r]) => ({
      list,
      ranker: r.ranker,
      summary: `${r.items.length} items${r.items.length > ROWS ? ` (first ${ROWS})` : ''}, ${time(r.at)}`,
      rows: r.items.slice(0, ROWS).map((i) => ({ id: i.product.id, title: i.product.title, score: i.score.toFixed(4), why: options.explain(i.reason) })),
    }));
    render(
      <DebugOverlay
        open={open}
        onToggle={(next) => {
          open = next;
          if (next) readEvents();
          paint();
        }}
        backend={status.backend}
        backendReason={status.backendReason}
        facts={facts}
        events={events}
        runs={trainingRuns(feed.train).map(runView)}
        rankings={rankings}
      />,
      root,
    );
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = undefined;
      if (open) readEvents();
      paint();
    }, 250);
  }
  feed.changed = () => {
    stale = true;
    schedule();
  };
  // The backend, model and storage status change without a recorder event (worker start, backend choice).
  const tick = setInterval(() => open && paint(), 1000);
  readEvents();
  paint();
  return () => {
    clearInterval(tick);
    clearTimeout(timer);
    feed.changed = () => {};
    render(null, root);
    host.remove();
  };
}
