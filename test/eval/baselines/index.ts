import { llmGuardrail } from './llm-guardrail.js';
import type { PeerGuard } from './peer.js';
import { vardPeer } from './vard.js';

export type { PeerGuard } from './peer.js';

/** The peers every `--baseline` report shows beside ours. */
export const PEERS: readonly PeerGuard[] = [llmGuardrail, vardPeer];
