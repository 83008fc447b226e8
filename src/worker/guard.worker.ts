import { expose } from 'comlink';
import { installGuardErrorTransfer } from '../error-transfer.js';
import { GuardWorkerApi } from './guard-worker-api.js';

installGuardErrorTransfer();
expose(new GuardWorkerApi());
