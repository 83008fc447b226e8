import { transferHandlers } from 'comlink';
import { deserializeError, serializeError, type SerializedError } from './errors.js';

let installed = false;

/**
 * Comlink's built-in 'throw' handler keeps only name, message and stack; ours also keeps a
 * `GuardError`'s `code` and the `cause` chain. Both sides of the worker boundary install it.
 * It reuses the built-in `canHandle`, which recognises Comlink's private thrown-value marker.
 */
export function installGuardErrorTransfer(): void {
  if (installed) return;
  const builtin = transferHandlers.get('throw');
  if (!builtin) throw new Error('comlink has no "throw" transfer handler to extend');
  transferHandlers.set('throw', {
    canHandle: builtin.canHandle,
    serialize: (thrown) => [serializeError((thrown as { value: unknown }).value), []],
    deserialize: (data) => {
      throw deserializeError(data as SerializedError);
    },
  });
  installed = true;
}
