/** Path of Debian's Chromium (or CHROMIUM_PATH), or undefined when not installed. */
export function chromiumPath(): string | undefined;
