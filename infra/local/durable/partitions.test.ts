import { controlQueueName, fnv1a32, partitionCountOf, partitionOf } from "./partitions";

describe("partitions", () => {
  it("hashes with 32-bit FNV-1a over UTF-8, as the Azure Storage provider does", () => {
    // Reference values of FNV-1a 32 (the algorithm's published test vectors).
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    expect(partitionOf("foobar", 4)).toBe(0xbf9cf968 % 4);
  });

  it("spreads order ids over every partition", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 64; i++) seen.add(partitionOf(`order-${i}`, 4));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it("names control queues as the provider does", () => {
    expect(controlQueueName("OrderSagaHub", 3)).toBe("ordersagahub-control-03");
  });

  it("reads storageProvider.partitionCount and rejects values outside 1-16, naming the setting", () => {
    expect(partitionCountOf({})).toBe(4);
    expect(partitionCountOf({ storageProvider: { partitionCount: 2 } })).toBe(2);
    expect(() => partitionCountOf({ storageProvider: { partitionCount: 17 } })).toThrow(
      /extensions\.durableTask\.storageProvider\.partitionCount/,
    );
  });
});
