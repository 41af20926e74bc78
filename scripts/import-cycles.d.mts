export function importGraph(roots: string[]): Map<string, string[]>;
export function findCycles(graph: Map<string, string[]>): string[][];
