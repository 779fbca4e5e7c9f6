// Stands in for "next/cache" in tests: server actions call revalidatePath,
// which needs a running Next request. Records the calls so tests can check them.
export const revalidatedPaths: string[] = [];

export function revalidatePath(path: string): void {
  revalidatedPaths.push(path);
}

export function revalidateTag(tag: string): void {
  revalidatedPaths.push(`tag:${tag}`);
}
