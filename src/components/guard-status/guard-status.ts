import { defineElement } from '../define-element.js';
import { GuardStatus } from './guard-status.component.js';

export { GuardStatus };
defineElement('guard-status', GuardStatus);

declare global {
  interface HTMLElementTagNameMap {
    'guard-status': GuardStatus;
  }
}
