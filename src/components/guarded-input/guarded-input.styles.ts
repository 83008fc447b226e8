import { css } from 'lit';

export const guardedInputStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    --_blocked: var(--guarded-input-blocked-color, #b3261e);
    --_warn: var(--guarded-input-warn-color, #8a5300);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_blocked: var(--guarded-input-blocked-color, #f2b8b5);
      --_warn: var(--guarded-input-warn-color, #f5c16c);
    }
  }
  :host([hidden]) { display: none; }
  /* The notice row has a reserved height: a verdict appearing must not shift the page's layout. */
  [part='notice-row'] {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: var(--guarded-input-notice-height, 2.25rem);
    font-family: var(--guarded-input-font, inherit);
    font-size: var(--guarded-input-notice-font-size, 0.9em);
  }
  [part='notice'] { margin: 0; flex: 1; }
  :host([verdict='block']) [part='notice'] { color: var(--_blocked); }
  :host([verdict='warn']) [part='notice'] { color: var(--_warn); }
  [part='confirm'] { font: inherit; padding: 0.25rem 0.75rem; }
  /* Kept in the layout when hidden (visibility, not display), so showing it moves nothing. */
  [part='confirm'][data-shown='false'] { visibility: hidden; }
  [part='confirm']:focus-visible { outline: 2px solid var(--guarded-input-focus-color, Highlight); outline-offset: 2px; }
`;
