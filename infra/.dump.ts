import { writeFileSync } from 'node:fs';
import { synthesize } from '../test/infra/synth.js';
const s = synthesize(JSON.parse(process.argv[2] ?? '{}'));
writeFileSync(process.argv[3] ?? '/tmp/tpl.json', JSON.stringify(s.template.toJSON(), null, 1));
