import { css } from 'lit';

export const guardedOutputStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    --_blocked: var(--guarded-output-blocked-color, #b3261e);
    --_warn: var(--guarded-output-warn-color, #8a5300);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_blocked: var(--guarded-output-blocked-color, #f2b8b5);
      --_warn: var(--guarded-output-warn-color, #f5c16c);
    }
  }
  :host([hidden]) { display: none; }
  [part='content'][hidden] { display: none; }
  [part='withheld'] {
    margin: 0;
    font-style: italic;
    white-space: pre-wrap;
    background: var(--guarded-output-withheld-bg, transparent);
  }
  /* Reserved height: a verdict appearing must not shift the layout. */
  [part='notice'] {
    margin: 0.25rem 0 0;
    min-height: var(--guarded-output-notice-height, 1.5em);
    font-family: var(--guarded-output-font, inherit);
    font-size: var(--guarded-output-notice-font-size, 0.9em);
  }
  :host([verdict='block']) [part='notice'] { color: var(--_blocked); }
  :host([verdict='warn']) [part='notice'] { color: var(--_warn); }
`;
