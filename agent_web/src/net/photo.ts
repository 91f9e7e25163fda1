// Profile photos: checked here before upload (type and size, to answer at once), then checked
// again by the server, which also looks at the file's first bytes.

export const PHOTO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
/** The server's default AISLE_MAX_UPLOAD_BYTES; the server's own answer wins if it is lower. */
export const MAX_PHOTO_BYTES = 2_000_000;

export function photoProblem(type: string, size: number, maxBytes = MAX_PHOTO_BYTES): string | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(type)) {
    return "Choose a PNG, JPEG or WebP image.";
  }
  if (size === 0) return "That file is empty.";
  if (size > maxBytes) {
    return `That image is ${(size / 1_000_000).toFixed(1)} MB; the limit is ${(maxBytes / 1_000_000).toFixed(1)} MB.`;
  }
  return null;
}
