const KIB = 1024;
const MIB = 1024 * 1024;

function format(bytes: number): string {
  if (bytes < KIB) return `${bytes} bytes`;
  const [value, unit] = bytes < MIB ? [bytes / KIB, 'KiB'] : [bytes / MIB, 'MiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

/** Human sizes for a "file is X, over the Y limit" message; exact bytes when rounding would make them look equal. */
export function describeSizes(size: number, limit: number): { size: string; limit: string } {
  const sizeText = format(size);
  const limitText = format(limit);
  if (sizeText !== limitText) return { size: sizeText, limit: limitText };
  return { size: `${size} bytes`, limit: `${limit}-byte` };
}
