import { useEffect, useRef } from 'preact/hooks';
import { chartLines } from './chart-lines';
import type { DebugOverlayProps, DebugRankingView, DebugRunView } from './debug-overlay-props';

const W = 280;
const H = 96;

/** Loss and validation metric per epoch of one run, as a small inline SVG with its value ranges in the legend. */
function RunChart({ run }: { run: DebugRunView }) {
  const [loss, metric] = chartLines([{ values: run.loss }, { values: run.metric }], run.epochs, W, H);
  const range = (l: typeof loss) => (l && l.points ? `${l.min.toFixed(3)}–${l.max.toFixed(3)}` : '–');
  return (
    <figure class="lr-Debug-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`Loss and validation MRR over ${run.epoch} of ${run.epochs} epochs`}
        data-testid="lr-debug-chart"
      >
        <rect x="0.5" y="0.5" width={W - 1} height={H - 1} class="lr-Debug-frame" />
        {loss?.points && <polyline points={loss.points} class="lr-Debug-loss" data-testid="lr-debug-loss" />}
        {metric?.points && <polyline points={metric.points} class="lr-Debug-metric" data-testid="lr-debug-metric" />}
      </svg>
      <figcaption>
        <span class="lr-Debug-key lr-Debug-key--loss">loss {range(loss)}</span>{' '}
        <span class="lr-Debug-key lr-Debug-key--metric">validation MRR {range(metric)}</span>
      </figcaption>
    </figure>
  );
}

function Ranking({ ranking, open }: { ranking: DebugRankingView; open: boolean }) {
  return (
    <details class="lr-Debug-ranking" open={open} data-testid="lr-debug-ranking" data-list={ranking.list}>
      <summary>
        <b>{ranking.list}</b> · {ranking.ranker} · {ranking.summary}
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">product</th>
            <th scope="col">score</th>
            <th scope="col">why</th>
          </tr>
        </thead>
        <tbody>
          {ranking.rows.map((r, i) => (
            <tr key={r.id} data-product-id={r.id}>
              <td>{i + 1}</td>
              <td title={r.id}>{r.title}</td>
              <td class="lr-Debug-num">{r.score}</td>
              <td>{r.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * LocalRank's debug overlay for shop developers: the training backend and why, stored events by type, training
 * progress with a loss / validation chart, and the last ranking of every widget with per-item scores and
 * explanations. A non-modal panel fixed to the corner of the viewport; Escape or the close button collapse it to a
 * launcher button, which opens it again (focus follows). Takes only props; style it with {@link debugOverlayStyles}
 * inside a shadow root. Its strings are English only: it is a developer tool, not shown to shoppers.
 */
export function DebugOverlay(props: DebugOverlayProps) {
  const { open, onToggle, runs } = props;
  const panelRef = useRef<HTMLElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Move focus only after the developer toggled it, never at page load.
    if (first.current) {
      first.current = false;
      return;
    }
    if (open) panelRef.current?.querySelector<HTMLElement>('.lr-Debug-close')?.focus();
    else launcherRef.current?.focus();
  }, [open]);

  if (!open) {
    return (
      <button ref={launcherRef} type="button" class="lr-Debug-launcher" aria-expanded="false" onClick={() => onToggle(true)} data-testid="lr-debug-open">
        LocalRank debug
      </button>
    );
  }
  const run = runs.at(-1);
  return (
    <section
      ref={panelRef}
      class="lr-Debug"
      role="dialog"
      aria-modal="false"
      aria-labelledby="lr-debug-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onToggle(false);
        }
      }}
      data-testid="lr-debug"
    >
      <header class="lr-Debug-header">
        <h2 id="lr-debug-title">LocalRank debug</h2>
        <button type="button" class="lr-Debug-close" aria-label="Close debug overlay" onClick={() => onToggle(false)} data-testid="lr-debug-close">
          ×
        </button>
      </header>
      <h3>Backend</h3>
      <p data-testid="lr-debug-backend">
        <b>{props.backend}</b> — {props.backendReason}
      </p>
      <dl class="lr-Debug-facts" data-testid="lr-debug-facts">
        {props.facts.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <h3>Stored events</h3>
      {props.events === undefined ? (
        <p>Reading…</p>
      ) : props.events.length === 0 ? (
        <p>None stored.</p>
      ) : (
        <table class="lr-Debug-events" data-testid="lr-debug-events">
          <tbody>
            {props.events.map((e) => (
              <tr key={e.type} data-type={e.type}>
                <th scope="row">{e.type}</th>
                <td class="lr-Debug-num">{e.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Training</h3>
      {run ? (
        <div data-testid="lr-debug-training">
          <p data-testid="lr-debug-run">{run.summary}</p>
          <progress max={run.epochs || 1} value={run.epoch} aria-label={`Epoch ${run.epoch} of ${run.epochs}`} />
          <RunChart run={run} />
          {runs.length > 1 && (
            <ol class="lr-Debug-runs" reversed>
              {runs
                .slice(0, -1)
                .reverse()
                .map((r, i) => (
                  <li key={i}>{r.summary}</li>
                ))}
            </ol>
          )}
        </div>
      ) : (
        <p data-testid="lr-debug-training">No training run on this page yet.</p>
      )}
      <h3>Last rankings</h3>
      {props.rankings.length === 0 ? <p>No ranking yet.</p> : props.rankings.map((r, i) => <Ranking key={r.list} ranking={r} open={i === 0} />)}
    </section>
  );
}
