import rhea from "rhea";

/**
 * Service Bus writes a lock token into the delivery tag as .NET writes a Guid to bytes: the
 * first three groups little-endian. The SDK swaps them back (reorderLockToken in
 * @azure/service-bus) before turning the tag into the `lockToken` string, so the broker swaps
 * them the same way. The swap is its own inverse.
 */
function swapGuidBytes(b: Buffer): Buffer {
  return Buffer.from([
    b[3],
    b[2],
    b[1],
    b[0],
    b[5],
    b[4],
    b[7],
    b[6],
    ...b.subarray(8),
  ] as number[]);
}

export function lockTokenToDeliveryTag(token: string): Buffer {
  return swapGuidBytes(rhea.string_to_uuid(token));
}

/** Lock tokens in $management requests are AMQP uuids in network order. */
export function uuidBytesToString(bytes: Buffer): string {
  return rhea.uuid_to_string(bytes);
}

export function lockTokenToUuidBytes(token: string): Buffer {
  return rhea.string_to_uuid(token);
}
