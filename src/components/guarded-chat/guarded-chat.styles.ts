import { css } from 'lit';

export const guardedChatStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    font-family: var(--guarded-chat-font, system-ui, sans-serif);
    border: 1px solid var(--guarded-chat-border, color-mix(in srgb, currentColor 25%, transparent));
    border-radius: var(--guarded-chat-radius, 0.5rem);
    padding: 0.75rem;
  }
  [part='log'] {
    list-style: none;
    margin: 0 0 0.75rem;
    padding: 0;
    max-height: var(--guarded-chat-log-height, 24rem);
    overflow-y: auto;
  }
  [part~='message'] {
    margin: 0.25rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: 0.5rem;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part~='user'] { background: var(--guarded-chat-user-bg, color-mix(in srgb, Highlight 15%, transparent)); }
  [part~='assistant'] { background: var(--guarded-chat-assistant-bg, color-mix(in srgb, currentColor 7%, transparent)); }
  [part~='withheld'], [part~='incomplete'] { font-style: italic; }
  [part~='warned'] { outline: 1px dashed var(--guarded-chat-warn-color, #b26a00); }
  form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
  /* The composer keeps at least 16rem; on a narrower chat the buttons wrap below it. */
  textarea { flex: 1 1 16rem; min-width: 0; font: inherit; padding: 0.5rem; min-height: 2.5rem; resize: vertical; }
  button { font: inherit; padding: 0.5rem 1rem; }
  button:focus-visible, textarea:focus-visible, [part~="log"]:focus-visible { outline: 2px solid Highlight; outline-offset: 2px; }
  /* Reserved height: a notice appearing must not shift the layout. */
  [part='notice'] { min-height: 1.5em; margin: 0.5rem 0 0; font-size: 0.9em; }
  [part='notice'].blocked { color: var(--guarded-chat-blocked-color, #b3261e); }
`;
