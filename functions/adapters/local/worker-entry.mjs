// Worker threads do not inherit tsx's loader: register it here when the worker module is TypeScript.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.module);
