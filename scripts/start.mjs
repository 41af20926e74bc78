// `npm start`: runs the bundled CLI (see cli-bundle.mjs), making it first when it is missing or stale.
import { pathToFileURL } from 'node:url';
import { BUNDLE, buildBundle, bundleStale } from './cli-bundle.mjs';

if (bundleStale()) await buildBundle();
await import(pathToFileURL(BUNDLE).href);
