/**
 * CSS of the `Carousel` component, written for the widget's Shadow DOM: adopt it with a constructable stylesheet
 * (`const s = new CSSStyleSheet(); s.replaceSync(carouselStyles); root.adoptedStyleSheets = [s]`) or, where that
 * is missing, a `<style>` element inside the shadow root. It styles `:host`, so it is meaningless outside one.
 *
 * Isolation from the host page: `:host` uses `!important` (inside the shadow tree that beats even a page's
 * `* { all: unset }`), and the root `.lr-Carousel` starts with `all: initial`, so no inherited property (font, colour,
 * letter-spacing, text-transform, …) leaks in; all lengths are px or em of the root's 16px, never rem, which
 * follows the page's `<html>` font size.
 *
 * Theming only through custom properties, set on the host element or any ancestor (each has a default):
 * `--lr-accent`, `--lr-bg`, `--lr-surface` (image boxes, skeletons), `--lr-text`, `--lr-muted`, `--lr-radius` (8px),
 * `--lr-danger` ("Clear my data"), `--lr-font`, `--lr-gap` (12px between cards), `--lr-card-width` (176px = 11rem at the default root size) and
 * `--lr-height` (whole widget; default `--lr-card-width` + 176px, so 352px = 22rem; a smaller height clips the
 * cards). Under `prefers-color-scheme: dark` only the colour defaults change; shop values always win, so a shop
 * that sets `--lr-text` should set `--lr-bg` too.
 */
export const carouselStyles = `
:host{display:block!important;contain:layout style;min-block-size:var(--lr-height,calc(var(--lr-card-width,176px) + 176px))!important}
:host([hidden]){display:none!important}
.lr-Carousel{all:initial;
--_accent:var(--lr-accent,#0b57d0);--_bg:var(--lr-bg,#fff);--_surface:var(--lr-surface,#f1f3f5);--_text:var(--lr-text,#1f2328);--_muted:var(--lr-muted,#59636e);--_danger:var(--lr-danger,#b3261e);--_radius:var(--lr-radius,8px);--_w:var(--lr-card-width,176px);
position:relative;display:grid;grid-template-rows:auto minmax(0,1fr);gap:8px;box-sizing:border-box;block-size:var(--lr-height,calc(var(--_w) + 176px));padding:12px;overflow:hidden;
font-family:var(--lr-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);font-size:16px;line-height:1.4;color:var(--_text);background:var(--_bg);border-radius:var(--_radius);text-align:start}
@media (prefers-color-scheme:dark){.lr-Carousel{--_accent:var(--lr-accent,#8ab4f8);--_bg:var(--lr-bg,#17191d);--_surface:var(--lr-surface,#292d33);--_text:var(--lr-text,#e6e8eb);--_muted:var(--lr-muted,#a1a9b3);--_danger:var(--lr-danger,#f2b8b5)}}
.lr-Carousel *{box-sizing:border-box;margin:0;padding:0}
.lr-Carousel [hidden]{display:none!important}
:where(.lr-Carousel) :where(button){font:inherit;color:inherit;background:none;border:0;cursor:pointer;-webkit-appearance:none;appearance:none}
:where(.lr-Carousel) :where(a){color:inherit;text-decoration:none}
.lr-Carousel :focus-visible{outline:2px solid var(--_accent);outline-offset:2px}
.lr-Carousel-header{display:flex;align-items:center;gap:8px;min-block-size:32px}
.lr-Carousel-heading{flex:1;min-inline-size:0;font-size:1.125em;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lr-Carousel-nav{inline-size:32px;block-size:32px;border-radius:50%;background:var(--_surface);font-size:1.25em;line-height:1;transition:background-color .15s,color .15s}
.lr-Carousel-nav:hover:not(:disabled){background:var(--_accent);color:var(--_bg)}
.lr-Carousel-nav:disabled{opacity:.4;cursor:default}
.lr-Carousel-nav:dir(rtl){transform:scaleX(-1)}
.lr-Carousel-track{display:flex;gap:var(--lr-gap,12px);overflow:auto hidden;padding:4px;scroll-padding-inline:4px;scroll-snap-type:x mandatory;overscroll-behavior-x:contain;list-style:none;scrollbar-width:none}
.lr-Carousel-track::-webkit-scrollbar{display:none}
.lr-Carousel-item{position:relative;display:flex;flex-direction:column;gap:4px;flex:0 0 var(--_w);inline-size:var(--_w);scroll-snap-align:start}
.lr-Carousel-link{display:flex;flex-direction:column;gap:6px;border-radius:var(--_radius)}
.lr-Carousel-media{display:block;inline-size:100%;aspect-ratio:1;overflow:hidden;border-radius:var(--_radius);background:var(--_surface)}
.lr-Carousel-media img{display:block;inline-size:100%;block-size:100%;object-fit:contain}
.lr-Carousel-title{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;line-clamp:2;overflow:hidden;block-size:2.6em;font-size:.875em;line-height:1.3;overflow-wrap:anywhere}
.lr-Carousel-link[href]:hover .lr-Carousel-title{text-decoration:underline}
.lr-Carousel-price{display:block;block-size:1.4em;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lr-Carousel-why{align-self:flex-start;margin-block-start:auto;min-block-size:24px;max-inline-size:100%;font-size:.75em;color:var(--_muted);text-decoration:underline dotted;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lr-Carousel-why:hover,.lr-Carousel-why[aria-expanded=true]{color:var(--_accent)}
.lr-Carousel-reason{position:absolute;inset:0 0 auto;aspect-ratio:1;overflow:auto;padding:10px;font-size:.8125em;background:var(--_surface);color:var(--_text);border-radius:var(--_radius)}
.lr-Carousel-bar{display:block;block-size:14px;border-radius:4px}
.lr-Carousel-bar+.lr-Carousel-bar{inline-size:40%}
.lr-Carousel-item--skeleton :is(.lr-Carousel-media,.lr-Carousel-bar){background:linear-gradient(90deg,var(--_surface) 35%,var(--_bg),var(--_surface) 65%) 0 0/300%;animation:lr-shimmer 1.4s linear infinite}
@keyframes lr-shimmer{from{background-position:100% 0}to{background-position:0 0}}
.lr-Carousel-empty{display:grid;place-items:center;padding:16px;text-align:center;color:var(--_muted)}
.lr-DataPanel-open{min-block-size:24px;padding-inline:4px;font-size:.8125em;color:var(--_muted);text-decoration:underline dotted;white-space:nowrap}
.lr-DataPanel-open:hover{color:var(--_accent)}
.lr-Carousel .lr-DataPanel{margin:auto;inline-size:min(28em,calc(100vw - 32px));max-block-size:calc(100vh - 32px);overflow:auto;padding:20px;border:0;border-radius:var(--_radius);background:var(--_bg);color:var(--_text);box-shadow:0 8px 32px rgb(0 0 0/.3)}
.lr-DataPanel::backdrop{background:rgb(0 0 0/.4)}
.lr-DataPanel>*+*{margin-block-start:10px}
.lr-DataPanel-title{font-size:1.125em;font-weight:600}
.lr-DataPanel h3{font-size:.875em;font-weight:600;color:var(--_muted)}
.lr-DataPanel :is(p,ul){font-size:.9375em}
.lr-DataPanel ul{padding-inline-start:1.2em}
.lr-DataPanel-notice{padding:8px;background:var(--_surface);border-radius:var(--_radius)}
.lr-DataPanel-switch{display:flex;gap:8px;align-items:center;cursor:pointer}
.lr-DataPanel-switch input{inline-size:18px;block-size:18px;accent-color:var(--_accent)}
.lr-DataPanel-actions{display:flex;flex-wrap:wrap;gap:8px}
.lr-DataPanel-actions button{min-block-size:32px;padding:6px 12px;border-radius:var(--_radius);background:var(--_surface)}
.lr-DataPanel-actions button:hover:not(:disabled){background:var(--_accent);color:var(--_bg)}
.lr-DataPanel-clear{color:var(--_danger)}
.lr-DataPanel-status:empty{display:none}
.lr-visually-hidden{position:absolute!important;inline-size:1px!important;block-size:1px!important;overflow:hidden!important;clip-path:inset(50%)!important;white-space:nowrap!important;margin:-1px!important}
@media (prefers-reduced-motion:reduce){.lr-Carousel,.lr-Carousel *{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;
