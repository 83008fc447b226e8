import { expose } from 'comlink';
import { installGuardErrorTransfer } from '../error-transfer.js';
import { JudgeWorkerApi } from './judge-worker-api.js';

installGuardErrorTransfer();
expose(new JudgeWorkerApi());
