import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { DataPanelInfo, DataPanelProps } from './data-panel-props';

/**
 * "Your data": a small button (for a carousel header) that opens a modal `<dialog>` showing what LocalRank keeps on
 * this device — event counts by type, recent products, the model — with a "Personalise products for me" switch and a
 * "Clear my data" button. The native modal dialog gives keyboard access for free: focus moves into it, Tab stays
 * inside, Escape closes it and focus returns to the button. It sits in the top layer, so opening it never shifts
 * the host page. Takes only props: reading and deleting data are the caller's callbacks.
 */
export function DataPanel({ labels, load, onPause, onClear }: DataPanelProps) {
  const id = 'lr' + useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [info, setInfo] = useState<DataPanelInfo | undefined>(undefined);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [opening, setOpening] = useState(false);

  const refresh = async (): Promise<void> => {
    try {
      setInfo(await load());
    } catch {
      setInfo(undefined);
    }
  };
  const open = (): void => {
    setMessage('');
    void refresh().then(() => setOpening(true));
  };
  // Show the dialog only once it has rendered what is stored: the browser focuses its first focusable control
  // as it opens, and that control (the switch) must already be enabled or disabled for what it will be.
  useEffect(() => {
    const d = dialog.current;
    if (opening && d && !d.open) d.showModal();
    if (opening) setOpening(false);
  }, [opening]);
  const act = async (action: () => Promise<void>, done = ''): Promise<void> => {
    setBusy(true);
    try {
      await action();
      setMessage(done);
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  return (
    <>
      <button type="button" class="lr-DataPanel-open" aria-haspopup="dialog" onClick={open} data-testid="lr-data-open">
        {labels.open}
      </button>
      <dialog ref={dialog} class="lr-DataPanel" aria-labelledby={id + '-h'} data-testid="lr-data-panel">
        <h2 id={id + '-h'} class="lr-DataPanel-title">
          {labels.title}
        </h2>
        <p>{labels.intro}</p>
        {info?.notice && <p class="lr-DataPanel-notice" data-testid="lr-data-notice">{info.notice}</p>}
        <h3>{labels.storedHeading}</h3>
        {info && info.counts.length > 0 ? (
          <ul class="lr-DataPanel-counts" data-testid="lr-data-counts">
            {info.counts.map((c) => (
              <li key={c.type} data-type={c.type} data-value={c.value}>
                {c.label}: <strong>{c.value}</strong>
              </li>
            ))}
          </ul>
        ) : (
          <p data-testid="lr-data-empty">{labels.nothingStored}</p>
        )}
        {info && info.recent.length > 0 && (
          <>
            <h3>{labels.recentHeading}</h3>
            <ul class="lr-DataPanel-recent" data-testid="lr-data-recent">
              {info.recent.map((title, i) => (
                <li key={i}>{title}</li>
              ))}
            </ul>
          </>
        )}
        {info && <p data-testid="lr-data-model">{info.model}</p>}
        <label class="lr-DataPanel-switch">
          <input
            type="checkbox"
            checked={info ? !info.paused : true}
            disabled={busy || !info?.canPause}
            onChange={(e) => void act(() => onPause(!(e.currentTarget as HTMLInputElement).checked))}
            data-testid="lr-data-personalise"
          />
          {labels.personalise}
        </label>
        <div class="lr-DataPanel-actions">
          <button type="button" class="lr-DataPanel-clear" disabled={busy} onClick={() => void act(onClear, labels.cleared)} data-testid="lr-data-clear">
            {labels.clear}
          </button>
          <button type="button" class="lr-DataPanel-close" onClick={() => dialog.current?.close()} data-testid="lr-data-close">
            {labels.close}
          </button>
        </div>
        <p class="lr-DataPanel-status" role="status" data-testid="lr-data-status">
          {message}
        </p>
      </dialog>
    </>
  );
}
