import { defineElement } from '../define-element.js';
import { GuardedOutput } from './guarded-output.component.js';

export { GuardedOutput };
defineElement('guarded-output', GuardedOutput);

declare global {
  interface HTMLElementTagNameMap {
    'guarded-output': GuardedOutput;
  }
}
