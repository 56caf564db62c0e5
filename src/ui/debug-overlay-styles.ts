/**
 * CSS of the `DebugOverlay` component, for its own shadow root (host CSS cannot reach it: `:host` rules are
 * `!important`, which inside a shadow tree beats the page, and the panel starts from `all: initial`). Always dark
 * and high-contrast: it is a developer tool laid over any shop. Lengths in px, never rem.
 */
export const debugOverlayStyles = `
:host{all:initial!important;display:block!important;position:fixed!important;inset:auto 12px 12px auto!important;z-index:2147483647!important}
.lr-Debug,.lr-Debug-launcher{all:initial;box-sizing:border-box;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#e8eaed;background:#15181c;border:1px solid #3c4043;border-radius:10px;box-shadow:0 8px 32px rgb(0 0 0/.35)}
.lr-Debug{display:block;inline-size:min(460px,calc(100vw - 24px));max-block-size:min(80vh,760px);overflow:auto;padding:12px 14px}
.lr-Debug *{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}
.lr-Debug>*+*{margin-block-start:6px}
.lr-Debug-launcher{display:block;padding:8px 12px;cursor:pointer;font-weight:600}
.lr-Debug :focus-visible,.lr-Debug-launcher:focus-visible{outline:2px solid #8ab4f8;outline-offset:2px}
.lr-Debug-header{display:flex;align-items:center;gap:8px}
.lr-Debug h2{flex:1;font-size:15px;font-weight:700}
.lr-Debug h3{margin-block-start:12px;font-size:11px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;color:#9aa0a6}
.lr-Debug b{font-weight:700;color:#fff}
.lr-Debug-close{inline-size:28px;block-size:28px;border:0;border-radius:50%;background:#2d3136;font-size:18px;line-height:1;cursor:pointer}
.lr-Debug-close:hover{background:#3c4043}
.lr-Debug-facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px}
.lr-Debug-facts div{display:contents}
.lr-Debug-facts dt{color:#9aa0a6}
.lr-Debug table{inline-size:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
.lr-Debug :is(th,td){padding:2px 6px 2px 0;text-align:start;vertical-align:top;border-block-end:1px solid #2d3136}
.lr-Debug thead th,.lr-Debug tbody th{color:#9aa0a6;font-weight:400}
.lr-Debug-events{inline-size:auto!important}
.lr-Debug .lr-Debug-num{text-align:end;white-space:nowrap}
.lr-Debug progress{display:block;inline-size:100%;block-size:6px;accent-color:#8ab4f8}
.lr-Debug-chart svg{display:block;max-inline-size:100%;block-size:auto;margin-block-start:6px}
.lr-Debug-frame{fill:#1c2025;stroke:#3c4043}
.lr-Debug-loss,.lr-Debug-metric{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.lr-Debug-loss{stroke:#f28b82}
.lr-Debug-metric{stroke:#81c995}
.lr-Debug-key::before{content:"";display:inline-block;inline-size:10px;block-size:3px;margin-inline-end:4px;vertical-align:middle}
.lr-Debug-key--loss::before{background:#f28b82}
.lr-Debug-key--metric::before{background:#81c995}
.lr-Debug figcaption{color:#bdc1c6;font-size:12px}
.lr-Debug-runs{padding-inline-start:18px;color:#bdc1c6}
.lr-Debug-ranking summary{cursor:pointer;padding-block:3px}
.lr-Debug-ranking td:nth-child(2){max-inline-size:150px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.lr-Debug-ranking td:last-child{color:#bdc1c6}
`;
