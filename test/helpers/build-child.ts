/**
 * A child process that loads the build (the costly part: renderers, templates) and then runs one
 * in-process build of the workspace it is sent, so a fault suite can SIGKILL a build in the middle of
 * its writes without paying the start-up in the timed window. Sends 'ready', then 'done' (or the
 * error's message) after the build.
 */
import type { Workspace } from './cli.js';
import { buildHere } from './local-build.js';

process.once('message', (ws: Workspace) => {
  buildHere(ws).then(
    () => process.send?.('done'),
    (error: Error) => process.send?.(error.message),
  );
});
process.send?.('ready');
