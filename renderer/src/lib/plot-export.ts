/**
 * Plot export. SVG: a self-contained copy with computed colours written in. PNG: the plot's
 * rect/line/text elements painted on a canvas directly, because the CSP (default-src 'self')
 * forbids loading the SVG as an image from a blob: or data: URL.
 */
import { saveBlob } from './download';

const PAINTED = ['fill', 'stroke', 'stroke-width', 'opacity', 'font-size', 'font-family', 'font-weight'] as const;

export function exportSvg(svg: SVGSVGElement, filename: string): void {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const target = copies[i];
    if (!target) return;
    const cs = getComputedStyle(el);
    for (const prop of PAINTED) target.setAttribute(prop, cs.getPropertyValue(prop));
    target.removeAttribute('class');
  });
  const { width, height } = viewBox(svg);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', pageBackground());
  copy.insertBefore(bg, copy.firstChild);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
  saveBlob(new Blob([text], { type: 'image/svg+xml' }), filename);
}

export async function exportPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const { x: vx, y: vy, width, height } = viewBox(svg);
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas available');
  ctx.scale(scale, scale);
  ctx.translate(-vx, -vy);
  ctx.fillStyle = pageBackground();
  ctx.fillRect(vx, vy, width, height);
  for (const el of svg.querySelectorAll('rect, line, text')) paint(ctx, el);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The canvas could not be encoded as PNG');
  saveBlob(blob, filename);
}

function paint(ctx: CanvasRenderingContext2D, el: Element): void {
  const cs = getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility === 'hidden') return;
  const num = (name: string) => Number.parseFloat(el.getAttribute(name) ?? '0') || 0;
  const fill = cs.fill;
  const stroke = cs.stroke;
  ctx.globalAlpha = Number.parseFloat(cs.opacity) || 1;
  if (el.tagName === 'rect') {
    if (fill && fill !== 'none') {
      ctx.fillStyle = fill;
      ctx.fillRect(num('x'), num('y'), num('width'), num('height'));
    }
  } else if (el.tagName === 'line') {
    if (stroke && stroke !== 'none') {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = Number.parseFloat(cs.strokeWidth) || 1;
      ctx.beginPath();
      ctx.moveTo(num('x1'), num('y1'));
      ctx.lineTo(num('x2'), num('y2'));
      ctx.stroke();
    }
  } else if (el.tagName === 'text') {
    ctx.fillStyle = fill && fill !== 'none' ? fill : '#000';
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const anchor = el.getAttribute('text-anchor') ?? cs.getPropertyValue('text-anchor');
    ctx.textAlign = anchor === 'end' ? 'right' : anchor === 'middle' ? 'center' : 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(el.textContent ?? '', num('x'), num('y'));
  }
  ctx.globalAlpha = 1;
}

function viewBox(svg: SVGSVGElement): { x: number; y: number; width: number; height: number } {
  const vb = svg.viewBox.baseVal;
  if (vb && vb.width > 0) return { x: vb.x, y: vb.y, width: vb.width, height: vb.height };
  const r = svg.getBoundingClientRect();
  return { x: 0, y: 0, width: r.width, height: r.height };
}

function pageBackground(): string {
  return getComputedStyle(document.body).backgroundColor || '#ffffff';
}
