import { visit } from "jsonc-parser";
import { formatIssuePath } from "../../contracts";

/**
 * The path of the first object member whose name repeats an earlier one of the same object
 * (`payment.token`, `items[0].sku`), or undefined when every name is unique. `JSON.parse`
 * keeps the last of duplicates silently, while other parsers keep the first (RFC 8259 §4
 * leaves it open), so a body with duplicates could mean one thing to a gateway and another
 * to this app; the API refuses it instead (docs/http-api.md "JSON bodies").
 *
 * Call it on text `JSON.parse` accepted: jsonc-parser (VS Code's JSON scanner) only walks it.
 * Names are compared after unescaping, so `"a"` and `"\u0061"` are the same name.
 */
export function duplicateJsonKey(text: string): string | undefined {
  const open: Set<string>[] = [];
  let duplicate: string | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (name: string, _offset, _length, _line, _column, pathSupplier) => {
        const names = open[open.length - 1];
        if (duplicate !== undefined || names === undefined) return;
        // pathSupplier() is the path of the object the member belongs to.
        if (names.has(name)) duplicate = formatIssuePath([...pathSupplier(), name]);
        else names.add(name);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return duplicate;
}
