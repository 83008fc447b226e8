import { defineElement } from '../define-element.js';
import { GuardedInput } from './guarded-input.component.js';

export { GuardedInput };
defineElement('guarded-input', GuardedInput);

declare global {
  interface HTMLElementTagNameMap {
    'guarded-input': GuardedInput;
  }
}
