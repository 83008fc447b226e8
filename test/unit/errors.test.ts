import { describe, expect, it } from 'vitest';
import { deserializeError, GuardError, serializeError } from '../../src/errors.js';

describe('GuardError serialization (the worker boundary)', () => {
  it('round-trips code, message and cause chain', () => {
    const original = new GuardError('model-load-failed', 'could not fetch config.json', {
      cause: new TypeError('Failed to fetch'),
    });
    const rebuilt = deserializeError(structuredClone(serializeError(original)));
    expect(rebuilt).toBeInstanceOf(GuardError);
    expect((rebuilt as GuardError).code).toBe('model-load-failed');
    expect(rebuilt.message).toBe('could not fetch config.json');
    expect(rebuilt.cause).toBeInstanceOf(Error);
    expect((rebuilt.cause as Error).name).toBe('TypeError');
    expect((rebuilt.cause as Error).message).toBe('Failed to fetch');
  });

  it('keeps plain errors plain and turns non-errors into messages', () => {
    const plain = deserializeError(serializeError(new RangeError('bad')));
    expect(plain).not.toBeInstanceOf(GuardError);
    expect(plain.name).toBe('RangeError');
    expect(deserializeError(serializeError('just a string')).message).toBe('just a string');
  });

  it('bounds a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let depth = 0;
    for (let e: { cause?: unknown } | undefined = serializeError(a); e; e = e.cause as typeof e) depth++;
    expect(depth).toBeLessThanOrEqual(5);
  });
});
