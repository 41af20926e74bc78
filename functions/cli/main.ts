/**
 * The one command-line entry (changelogen's `cli.ts`): routes the first word to a module of
 * `commands/`, and anything else to the build, so `npm start -- [options]` reads as before.
 * Each command is loaded only when asked for: `--help` and a mistake answer at once.
 *
 *   npm start -- [options]                        commands/build.ts (and --explain: commands/explain.ts)
 *   npm run send-test -- [options]                commands/send-test.ts
 *   npm run dev:cloud -- [options]                commands/dev-cloud.ts
 *   npm run migrate:subscriber-ids -- [options]   commands/migrate-subscriber-ids.ts
 *   npm run subscribers -- import|export|forget   commands/subscribers.ts
 */
type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  'send-test': async () => (await import('./commands/send-test.js')).main,
  'dev-cloud': async () => (await import('./commands/dev-cloud.js')).main,
  'migrate-subscriber-ids': async () => (await import('./commands/migrate-subscriber-ids.js')).run,
  subscribers: async () => (await import('./commands/subscribers.js')).run,
};

export async function route(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined ? undefined : COMMANDS[first];
  if (command) return (await command())(rest);
  return (await import('./commands/build.js')).main(argv);
}

// `npm start | head`: the reader is gone before the summary is written. The build is done by then, and
// what is left to print has nobody to read it: not an uncaught EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await route(process.argv.slice(2));
