import { defineElement } from '../define-element.js';
import { GuardedChat } from './guarded-chat.component.js';

export { GuardedChat };
defineElement('guarded-chat', GuardedChat);

declare global {
  interface HTMLElementTagNameMap {
    'guarded-chat': GuardedChat;
  }
}
