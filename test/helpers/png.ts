import { PNG } from 'pngjs';

/** A solid PNG in one colour (a colour no template uses, so a screenshot can find it). */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(image);
}
