import { promises as fs } from "node:fs";
import * as path from "node:path";

/**
 * Writes `content` to `dir/name` unless that file exists. The text goes to a temporary name
 * first and is then hard-linked to its final name, which fails if the name is taken: the
 * file appears whole and at most once, however many writers race. Returns whether this call
 * created it.
 */
export async function writeFileOnce(dir: string, name: string, content: string): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true });
  const final = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(temp, content, "utf8");
  try {
    await fs.link(temp, final);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** `order-1:OrderConfirmed` → `order-1_OrderConfirmed` (safe on every file system). */
export function fileStem(idempotencyKey: string): string {
  return idempotencyKey.replace(/[^A-Za-z0-9._-]/g, "_");
}
