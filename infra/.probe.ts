import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { synthesize } from '../test/infra/synth.js';
const t0 = Date.now();
let s;
try { s = synthesize(JSON.parse(process.argv[2] ?? '{}')); } catch (e) { console.log('SYNTH FAILED', (e as Error).message.slice(0, 6000)); process.exit(1); }
console.log('synth ms', Date.now() - t0);
for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
  const r = pack.validateScope(s.app);
  for (const v of r.violations) console.log(v.severity, v.ruleName, v.violatingResources.map((x) => x.constructPath).join(' | '));
}
