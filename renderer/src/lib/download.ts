import type { ExportFile } from '../../../app/contract/api';
import { safeCell } from '../../../app/contract/cells';

/** Hands a file to the browser's download machinery (Blob + <a download>). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Chromium reads the blob on click; revoking later keeps slow disks safe.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Saves an export and, when it has one, its provenance file beside it; returns the names saved. */
export function saveExportFile(file: ExportFile): string[] {
  let body: BlobPart;
  if (file.encoding === 'base64') {
    const bin = atob(file.content);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    body = bytes;
  } else {
    body = file.content;
  }
  saveBlob(new Blob([body], { type: file.mime }), file.filename);
  if (!file.sidecar) return [file.filename];
  const { filename, mime, content } = file.sidecar;
  saveBlob(new Blob([content], { type: mime }), filename);
  return [file.filename, filename];
}

/** Copies the same content as plain text (TSV) and HTML, so spreadsheets and editors both paste well. */
export async function copyRich(text: string, html: string): Promise<void> {
  if (typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
    try {
      await navigator.clipboard.write([
        new ClipboardItem({
          'text/plain': new Blob([text], { type: 'text/plain' }),
          'text/html': new Blob([html], { type: 'text/html' }),
        }),
      ]);
      return;
    } catch {
      /* fall through to plain text */
    }
  }
  await navigator.clipboard.writeText(text);
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A TSV cell of copied lines, by the rule every export follows (contract/cells.ts). */
export function tsvCell(s: string): string {
  return safeCell(s);
}
