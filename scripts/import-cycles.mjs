#!/usr/bin/env node
// Lists import cycles among the TypeScript files under the given folders (default: functions),
// type-only imports included: a cycle of types is still two modules that cannot be read apart.
// Exit status 1 when there is one. Used by test/unit/layout.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export function importGraph(roots) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(resolve(path));
    }
  };
  for (const root of roots) walk(root);
  const graph = new Map();
  const spec = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const file of files) {
    const deps = new Set();
    for (const match of readFileSync(file, 'utf8').matchAll(spec)) {
      const target = resolve(dirname(file), match[1]).replace(/\.js$/, '.ts');
      if (existsSync(target)) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

export function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const roots = process.argv.slice(2);
  const cycles = findCycles(importGraph(roots.length ? roots : ['functions']));
  for (const cycle of cycles) console.log(cycle.map((file) => relative(process.cwd(), file)).join(' → '));
  console.log(`${cycles.length} import cycle(s)`);
  process.exitCode = cycles.length ? 1 : 0;
}
