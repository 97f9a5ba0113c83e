/** `Set-Cookie` header values from RPC cookies (RFC 6265 attribute order as the host writes them). */
import type { RpcHttpCookie } from "./coreTypes";

export function toSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ""}=${cookie.value ?? ""}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined && seconds !== null) {
    parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  }
  if (cookie.maxAge?.value !== undefined && cookie.maxAge?.value !== null) {
    parts.push(`Max-Age=${Math.trunc(cookie.maxAge.value)}`);
  }
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  const sameSite = String(cookie.sameSite ?? "none").toLowerCase();
  if (sameSite === "lax") parts.push("SameSite=Lax");
  else if (sameSite === "strict") parts.push("SameSite=Strict");
  else if (sameSite === "explicitnone") parts.push("SameSite=None");
  return parts.join("; ");
}
