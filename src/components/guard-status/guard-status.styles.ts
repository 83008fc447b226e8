import { css } from 'lit';

export const guardStatusStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    font-family: var(--guard-status-font, system-ui, sans-serif);
    font-size: 0.9em;
    border: 1px solid var(--guard-status-border, color-mix(in srgb, currentColor 25%, transparent));
    border-radius: var(--guard-status-radius, 0.5rem);
    padding: 0.5rem 0.75rem;
  }
  .row { display: flex; gap: 0.5rem; align-items: center; }
  progress { flex: 1; min-width: 6rem; }
  button { font: inherit; padding: 0.25rem 0.75rem; }
  button:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
  p { margin: 0.25rem 0 0; }
  /* Reserved height: lines changing must not shift the layout. */
  [part='state'], [part='backend'], [part='cache'] { min-height: 1.3em; }
  [part='state'].error { color: var(--guard-status-error-color, #b3261e); }
`;
