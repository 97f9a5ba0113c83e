import type { RpcTypedDataLike } from "../host/plugin";

/** The value of RPC typed data (what a handler returned). */
export function decodeTyped(data: RpcTypedDataLike | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === "string") return JSON.parse(data.json) as unknown;
  if (typeof data.string === "string") return data.string;
  if (typeof data.int === "number") return data.int;
  if (typeof data.double === "number") return data.double;
  if (data.bytes) return Buffer.from(data.bytes).toString("base64");
  return undefined;
}
